/* unit_facts.h - the numerics facts every unit shares (doc/DESIGN.md
 * section 3): the exact product of two codes, its width FX and LSB exponent
 * L, the Kulisch register's default width, the window of exact alignment,
 * the special-value rules of a product of factors and of a sum, and
 * ceil(log2).  Below mac.h, dot.h, the gate counts
 * and the RTL generator, which all read these facts here instead of keeping
 * their own copies.  Only format.h and codec.h beneath it.
 *
 * ---- The exact product (fp8_mac_product) ----------------------------------
 * Class, in this order of precedence (fp8_facts_product_class):
 *   NaN   if a factor is NaN, or one is zero and another Inf (0 x Inf:
 *         invalid);
 *   Inf   if a factor is Inf (no factor zero), sign = XOR of the signs;
 *   zero  if a factor is zero, sign = XOR of the signs (fnuz and two's
 *         complement integers have no -0, so their zeros are +0);
 *   finite nonzero: (-1)^(sA^sB) * (sigA*sigB) * 2^(expA+expB), exact.
 * A unit's block-scale stage multiplies two more factors, the scales, into
 * each product; the same rule decides its class.
 * In units of the product LSB 2^L, L = lsbA + lsbB with lsbX = emin - M for
 * floats and 0 for integers (for A = B, L = fp8_format_product_lsb_exp), every
 * finite product is an integer of at most FX bits in two's complement, FX =
 * fp8_mac_product_bits (for A = B exactly fp8_format_product_bits: 37 for
 * fp8-e4, 16 for int8, 15 for int8-sm, 65 for float8_e5m2).
 */
#ifndef FP8_UNIT_FACTS_H
#define FP8_UNIT_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "format.h"

/* The widest Kulisch register and the widest exact product a Kulisch unit
 * simulates (the register's words; the product's two int64 factors). */
#define FP8_MAC_KULISCH_MAX_BITS 256
#define FP8_MAC_PRODUCT_MAX_BITS 126

typedef struct fp8_product {
  fp8_class cls;   /* FP8_CLASS_ZERO, _NORMAL (any finite nonzero), _INF, _NAN */
  int invalid;     /* 1 when cls is NaN because of 0 x Inf (no NaN operand) */
  int sign;
  uint64_t sig;
  int exp;
} fp8_product;

void fp8_mac_product(const fp8_format *fa, uint32_t a, const fp8_format *fb, uint32_t b,
                     fp8_product *p);
/* FX for A x B and L, the product LSB exponent (see above); an operand's
 * LSB exponent lsbX. */
int fp8_mac_product_bits(const fp8_format *fa, const fp8_format *fb);
int fp8_mac_product_lsb_exp(const fp8_format *fa, const fp8_format *fb);
int fp8_facts_operand_lsb(const fp8_format *f);

/* The class of a product of nf factors of classes cls[0..nf-1] (the rule
 * above): FP8_CLASS_NAN (*invalid = 1 for 0 x Inf without a NaN factor, else
 * 0), _INF, _ZERO or _NORMAL. */
fp8_class fp8_facts_product_class(const fp8_class *cls, int nf, int *invalid);
/* The special-value rule of a sum (IEEE 754 addition, of any number of
 * terms at once): NaN if a term is NaN, or +Inf and -Inf meet (invalid);
 * else the Inf of the infinite terms; else a finite sum, which the unit's
 * own arithmetic forms.  Terms are folded in with fp8_facts_sum_term. */
typedef struct fp8_special_sum {
  bool nan, pinf, ninf;
} fp8_special_sum;
static inline void fp8_facts_sum_term(fp8_special_sum *s, fp8_class cls, int sign)
{
  s->nan |= cls == FP8_CLASS_NAN;
  s->pinf |= cls == FP8_CLASS_INF && !sign;
  s->ninf |= cls == FP8_CLASS_INF && sign;
}
/* FP8_CLASS_NAN (*invalid = 1 when only because +Inf met -Inf), _INF (with
 * *sign), or _NORMAL for a finite sum. */
fp8_class fp8_facts_sum_class(const fp8_special_sum *s, int *sign, int *invalid);

/* The default Kulisch width W = FX + FP8_KULISCH_GUARD_BITS (the paper's
 * twelve carry bits; format.h's fp8_format_kulisch_bits for A = B).  The
 * golden model caps it at FP8_MAC_KULISCH_MAX_BITS, the gate count does not. */
int fp8_facts_kulisch_width(const fp8_format *fa, const fp8_format *fb);
/* The smallest window F that holds every product of in x in exactly (the
 * exact alignment of dot.h as a window): the span of the products'
 * alignment exponents, 2 (emax - emin), plus their fraction bits 2M. */
int fp8_facts_exact_window(const fp8_format *in);
/* Input formats of a unit: at most 16 bits (every unit's per-code tables).
 * 0, or -1 with a message naming the format. */
int fp8_facts_check_inputs(const fp8_format *fa, const fp8_format *fb, char *err, size_t errlen);
/* Same format fields (bits, ebits, mbits, bias, specials, integer
 * encoding, subnormals, sign, zero): A x A rather than A x B. */
bool fp8_facts_same_format(const fp8_format *x, const fp8_format *y);
/* ceil(log2 x): the smallest e >= 0 with 2^e >= x (0 for x <= 1); the bits
 * a count of x values adds to a sum is fp8_facts_ceil_log2(x). */
int fp8_facts_ceil_log2(double x);

#endif
