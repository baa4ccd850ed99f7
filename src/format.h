/* format.h - the number-format descriptor (DESIGN.md section 2).
 *
 * One const descriptor describes every format fp8lab handles: two's-complement
 * and sign-magnitude integers (ebits == 0) and ExMy floating point with any
 * bias, special-value convention and subnormal setting.  No code anywhere is
 * specialised per format; everything derives from these fields.
 *
 * Value of a code (floats, ebits >= 1), with e the exponent field and m the
 * mantissa field:
 *   normal     e >= 1           (-1)^s * (1 + m/2^M) * 2^(e - bias)
 *   subnormal  e == 0, m != 0   (-1)^s * (m/2^M) * 2^(1 - bias)   (subnormals on)
 *              e == 0, m != 0   read as zero, never produced         (subnormals off)
 * minus the codes the convention reserves (fp8_special).
 * Integers (ebits == 0, mbits == bits-1) hold whole numbers: two's complement
 * -2^(n-1)..2^(n-1)-1, or sign-magnitude -(2^(n-1)-1)..2^(n-1)-1 with a -0.
 */
#ifndef FP8_FORMAT_H
#define FP8_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FP8_FORMAT_MAX_BITS 32   /* fp32 is the widest (an accumulator format) */
#define FP8_FORMAT_MAX_EBITS 8
#define FP8_FORMAT_NAME_LEN 40

typedef enum fp8_special {
  FP8_SPECIAL_IEEE,  /* all-ones exponent: m == 0 Inf, m != 0 NaN */
  FP8_SPECIAL_FN,    /* finite; NaN only at S.1...1 (OCP E4M3) */
  FP8_SPECIAL_FNUZ,  /* finite, unsigned zero; the -0 code is the one NaN */
  FP8_SPECIAL_NONE   /* every code is a number */
} fp8_special;

typedef enum fp8_intenc {
  FP8_INT_TWOS,      /* two's complement */
  FP8_INT_SIGNMAG    /* sign-magnitude (the paper's FP8-E1 grid) */
} fp8_intenc;

typedef struct fp8_format {
  char name[FP8_FORMAT_NAME_LEN]; /* the spelling it was made from */
  int bits;          /* n: 2..16 for storage formats, up to 32 (fp32) */
  int ebits;         /* E: 0 (integer) .. 8 */
  int mbits;         /* M: fraction bits; for integers bits-1 */
  int bias;          /* exponent bias (floats only) */
  fp8_special special;
  fp8_intenc intenc; /* integers only */
  bool subnormals;   /* floats only */
} fp8_format;

/* Parse a preset name (int8, fp8-e4, float8_e4m3fn, torch.float8_e5m2, fp16,
 * ...) or a generic spelling  eXmY[:ieee|fn|fnuz|none][:bias=B][:nosub]  or
 * intN / intN-sm.  Returns 0 on success; otherwise -1 with a message naming the
 * bad part and what was expected written to err (if err != NULL). */
int fp8_format_parse(const char *spec, fp8_format *fmt, char *err, size_t errlen);

/* Build a float descriptor from fields; bias < 0 means the convention's
 * default (2^(E-1) for fnuz, 2^(E-1)-1 otherwise).  Returns 0 or -1 (+err). */
int fp8_format_make_float(fp8_format *fmt, int ebits, int mbits, int bias,
                          fp8_special special, bool subnormals,
                          char *err, size_t errlen);

/* Presets, in table order. */
size_t fp8_format_preset_count(void);
const char *fp8_format_preset_name(size_t i);
const char *fp8_format_preset_note(size_t i); /* one line: where it comes from */

/* Canonical generic spelling, e.g. "e4m3:fn:bias=7", "int8", "int8-sm". */
void fp8_format_canonical(const fp8_format *fmt, char *buf, size_t len);
const char *fp8_special_name(fp8_special s);

/* Derived quantities. */
static inline uint32_t fp8_format_ncodes_minus1(const fp8_format *f)
{ return f->bits >= 32 ? 0xffffffffu : (1u << f->bits) - 1u; }
static inline uint32_t fp8_format_sign_bit(const fp8_format *f)
{ return 1u << (f->bits - 1); }
bool fp8_format_has_inf(const fp8_format *f);
bool fp8_format_has_nan(const fp8_format *f);
bool fp8_format_has_negzero(const fp8_format *f);
int fp8_format_emin(const fp8_format *f);     /* unbiased exponent of min normal (1-bias); 0 for ints */
int fp8_format_emax(const fp8_format *f);     /* unbiased exponent of the top finite binade; bits-2 for ints */
uint32_t fp8_format_max_code(const fp8_format *f); /* positive code of the largest finite value */
double fp8_format_max(const fp8_format *f);
double fp8_format_min_normal(const fp8_format *f);    /* 1 for ints */
double fp8_format_min_subnormal(const fp8_format *f); /* = min normal without subnormals */
uint32_t fp8_format_nan_code(const fp8_format *f, int sign); /* canonical NaN; only if has_nan */
uint32_t fp8_format_inf_code(const fp8_format *f, int sign); /* only if has_inf */
/* Number of distinct finite values (+0 and -0 count once). */
uint64_t fp8_format_finite_values(const fp8_format *f);
/* Exact product width FX = 2s + k + 1 (DESIGN.md section 3), sign included;
 * integers: 2M+1 (sign-magnitude), 2M+2 (two's complement, (-2^M)^2 = 2^2M). */
int fp8_format_product_bits(const fp8_format *f);
/* Weight of the product's least significant bit: 2^(2*(emin - M)) for floats, 1 for ints. */
int fp8_format_product_lsb_exp(const fp8_format *f);
static inline int fp8_format_kulisch_bits(const fp8_format *f)
{ return fp8_format_product_bits(f) + 12; }

#endif
