/* format.h - the number-format descriptor (doc/DESIGN.md section 2).
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
 * Unsigned formats (is_unsigned) have no sign bit: n = E + M, and every code is
 * a magnitude (NVFP4's UE4M3 stored in a byte with the top bit 0; OCP MX's
 * E8M0; the P3109 binaryKpPu* formats).  With nozero the exponent field 0 is a
 * normal binade too (value (1 + m/2^M) * 2^(0 - bias)): no zero, no
 * subnormals (E8M0, whose codes are the powers 2^-127..2^127).
 * Integers (ebits == 0, mbits == bits-1) hold whole numbers: two's complement
 * -2^(n-1)..2^(n-1)-1, or sign-magnitude -(2^(n-1)-1)..2^(n-1)-1 with a -0.
 */
#ifndef FP8_FORMAT_H
#define FP8_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spell.h"

#define FP8_FORMAT_MAX_BITS 32   /* fp32 is the widest (an accumulator format) */
#define FP8_FORMAT_MAX_EBITS 16  /* binary16p1u*: P3109 K <= 16, every P */
/* Values span 2^-(bias+M) .. 2^(2^E-bias): beyond a double's range from E = 12
 * on (fp8_codec_decode says what it returns there); exponents stay ints. */
#define FP8_FORMAT_MAX_BIAS (1 << FP8_FORMAT_MAX_EBITS)
#define FP8_FORMAT_NAME_LEN 40

typedef enum fp8_special {
  FP8_SPECIAL_IEEE,  /* all-ones exponent: m == 0 Inf, m != 0 NaN */
  FP8_SPECIAL_FN,    /* finite; NaN only at S.1...1 (OCP E4M3) */
  FP8_SPECIAL_FNUZ,  /* finite, unsigned zero; the -0 code is the one NaN */
  FP8_SPECIAL_NONE,  /* every code is a number */
  /* IEEE P3109 binaryKpP{s|u}{f|e}: one zero (code 0), one NaN: the sign-bit
   * code 2^(K-1) when signed (as fnuz), the all-ones code 2^K-1 when unsigned. */
  FP8_SPECIAL_P3109F, /* finite: no Inf */
  FP8_SPECIAL_P3109E  /* extended: +Inf at the top magnitude code (signed:
                       * 2^(K-1)-1, -Inf 2^K-1; unsigned: 2^K-2) */
} fp8_special;
#define FP8_SPECIAL_NCONV 6   /* conventions, 0..5 */

typedef enum fp8_intenc {
  FP8_INT_TWOS,      /* two's complement */
  FP8_INT_SIGNMAG    /* sign-magnitude (the paper's FP8-E1 grid) */
} fp8_intenc;

typedef struct fp8_format {
  char name[FP8_FORMAT_NAME_LEN]; /* the spelling it was made from */
  int bits;          /* n: 2..16 for storage formats, up to 32 (fp32) */
  int ebits;         /* E: 0 (integer) .. FP8_FORMAT_MAX_EBITS */
  int mbits;         /* M: fraction bits; for integers bits-1 */
  int bias;          /* exponent bias (floats only) */
  fp8_special special;
  fp8_intenc intenc; /* integers only */
  bool subnormals;   /* floats only */
  bool is_unsigned;  /* floats only: no sign bit (bits = E + M) */
  bool nozero;       /* floats only: exponent field 0 is normal; no zero (E8M0) */
} fp8_format;

/* Parse a preset name (int8, fp8-e4, float8_e4m3fn, torch.float8_e5m2, fp16,
 * ...), a P3109 name binaryKpP{s|u}{e|f} (K = 2..16, 1 <= P < K signed,
 * 1 <= P <= K unsigned), or a generic spelling
 *   [u]eXmY[:ieee|fn|fnuz|none|p3109f|p3109e][:bias=B][:nosub|:nozero]
 * (u: unsigned) or intN / intN-sm, in the grammar of spell.h: a key given
 * twice, two conventions, sub with nosub or nozero, and any key after a
 * preset, intN or P3109 name (they fix every field) are errors.  Returns 0
 * on success; otherwise -1 with a message naming the bad part and what was
 * expected written to err (if err != NULL).  fp8_format_describe
 * (format_describe.h) is the descriptor's describe verb. */
int fp8_format_parse(const char *spec, fp8_format *fmt, char *err, size_t errlen);

/* Build a float descriptor from fields; bias < 0 means the convention's
 * default (2^(E-1) for fnuz and p3109*, 2^(E-1)-1 otherwise).  Returns 0 or
 * -1 (+err).  fp8_format_make_float2 adds unsigned and nozero. */
int fp8_format_make_float(fp8_format *fmt, int ebits, int mbits, int bias,
                          fp8_special special, bool subnormals,
                          char *err, size_t errlen);
int fp8_format_make_float2(fp8_format *fmt, int ebits, int mbits, int bias,
                           fp8_special special, bool subnormals, bool is_unsigned,
                           bool nozero, char *err, size_t errlen);
/* Default bias of a convention for E exponent bits. */
int fp8_format_default_bias(fp8_special special, int ebits);

/* The presets, in table order (*n of them): name, spelling, note, source. */
const fp8_preset *fp8_format_presets(size_t *n);
/* The same one at a time, for bindings (ctypes reads strings, not structs). */
size_t fp8_format_preset_count(void);
const char *fp8_format_preset_name(size_t i);
const char *fp8_format_preset_note(size_t i);

/* Canonical generic spelling, e.g. "e4m3:fn:bias=7", "int8", "int8-sm".
 * fp8_format_canonical is its older name. */
void fp8_format_name(const fp8_format *fmt, char *buf, size_t len);
void fp8_format_canonical(const fp8_format *fmt, char *buf, size_t len);
const char *fp8_special_name(fp8_special s);

/* Derived quantities. */
static inline uint32_t fp8_format_ncodes_minus1(const fp8_format *f)
{ return f->bits >= 32 ? 0xffffffffu : (1u << f->bits) - 1u; }
/* The sign bit; 0 for unsigned formats (no code has a sign). */
static inline uint32_t fp8_format_sign_bit(const fp8_format *f)
{ return f->is_unsigned ? 0 : 1u << (f->bits - 1); }
/* All magnitude bits (every bit but the sign). */
static inline uint32_t fp8_format_mag_mask(const fp8_format *f)
{ return f->is_unsigned ? fp8_format_ncodes_minus1(f) : (1u << (f->bits - 1)) - 1u; }
bool fp8_format_has_inf(const fp8_format *f);
bool fp8_format_has_nan(const fp8_format *f);
bool fp8_format_has_negzero(const fp8_format *f);
bool fp8_format_has_zero(const fp8_format *f);   /* false only with nozero */
int fp8_format_emin(const fp8_format *f);     /* unbiased exponent of min normal (1-bias, nozero: -bias); 0 for ints */
int fp8_format_emax(const fp8_format *f);     /* unbiased exponent of the top finite binade; bits-2 for ints */
uint32_t fp8_format_max_code(const fp8_format *f); /* positive code of the largest finite value */
double fp8_format_max(const fp8_format *f);
double fp8_format_min_normal(const fp8_format *f);    /* 1 for ints */
double fp8_format_min_subnormal(const fp8_format *f); /* = min normal without subnormals */
uint32_t fp8_format_nan_code(const fp8_format *f, int sign); /* canonical NaN; only if has_nan */
/* The NaN CUDA/PTX conversions write: positive, every magnitude bit set (0x7f
 * for both OCP formats); the canonical NaN where that code is not a NaN. */
uint32_t fp8_format_nan_code_ones(const fp8_format *f);
uint32_t fp8_format_inf_code(const fp8_format *f, int sign); /* only if has_inf */
/* Smallest positive value's code: 1 with subnormals, the min normal's
 * otherwise (0 with nozero). */
uint32_t fp8_format_min_code(const fp8_format *f);
/* Number of distinct finite values (+0 and -0 count once). */
uint64_t fp8_format_finite_values(const fp8_format *f);
/* Exact product width FX = 2s + k + 1 (doc/DESIGN.md section 3), sign included;
 * integers: 2M+1 (sign-magnitude), 2M+2 (two's complement, (-2^M)^2 = 2^2M). */
int fp8_format_product_bits(const fp8_format *f);
/* Weight of the product's least significant bit: 2^(2*(emin - M)) for floats, 1 for ints. */
int fp8_format_product_lsb_exp(const fp8_format *f);
/* The default Kulisch register: FX + FP8_KULISCH_GUARD_BITS, the paper's
 * twelve carry bits (unit_facts.h's fp8_facts_kulisch_width for A x B). */
#define FP8_KULISCH_GUARD_BITS 12
static inline int fp8_format_kulisch_bits(const fp8_format *f)
{ return fp8_format_product_bits(f) + FP8_KULISCH_GUARD_BITS; }

#endif
