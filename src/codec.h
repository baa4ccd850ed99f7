/* codec.h - decode and encode codes of any fp8_format.
 *
 * All rounding goes through fp8_round_pack (SoftFloat's structure: unpack ->
 * exact raw value -> one rounding point), so casts, quantization and the
 * floating-point accumulator share one decision about rounding, overflow and
 * flags.
 */
#ifndef FP8_CODEC_H
#define FP8_CODEC_H

#include "format.h"

typedef enum fp8_class {
  FP8_CLASS_ZERO, FP8_CLASS_SUBNORMAL, FP8_CLASS_NORMAL, FP8_CLASS_INF, FP8_CLASS_NAN
} fp8_class;

/* An exactly decoded code: value = (-1)^sign * sig * 2^exp.  sig == 0 for
 * zeros, Inf and NaN.  For integers exp == 0. */
typedef struct fp8_unpacked {
  fp8_class cls;
  int sign;
  uint32_t sig;
  int exp;
} fp8_unpacked;

typedef enum fp8_round_mode {
  FP8_ROUND_RNE,        /* to nearest, ties to even (default) */
  FP8_ROUND_RTZ,        /* toward zero */
  FP8_ROUND_RNA,        /* to nearest, ties away from zero */
  FP8_ROUND_STOCHASTIC  /* up with probability = discarded fraction */
} fp8_round_mode;

typedef enum fp8_overflow_mode {
  FP8_OVERFLOW_SAT,     /* out of range -> +-max finite */
  FP8_OVERFLOW_NONSAT   /* -> +-Inf, or NaN where there is no Inf (IEEE: RTZ still gives max) */
} fp8_overflow_mode;

/* Exception flags, sticky: callers clear them. */
enum {
  FP8_FLAG_INEXACT   = 1u << 0,
  FP8_FLAG_UNDERFLOW = 1u << 1,  /* result tiny (below min normal) and inexact */
  FP8_FLAG_OVERFLOW  = 1u << 2,  /* magnitude rounded beyond max finite */
  FP8_FLAG_INVALID   = 1u << 3   /* NaN into a format with no NaN (encoded as +0) */
};

/* Rounding context.  For stochastic rounding, rand64 returns 64 uniformly random
 * bits from state (the CLI backs it with a seeded GSL generator; the core
 * library stays free of GSL): a result rounds away from zero with probability
 * (discarded fraction) / ulp, exactly to 2^-64, and rand64 is called once per
 * inexact result only, so a seed fixes the output.  A NULL rand64 in
 * stochastic mode rounds toward zero. */
typedef struct fp8_rounding {
  fp8_round_mode mode;
  fp8_overflow_mode overflow;
  uint64_t (*rand64)(void *state);
  void *rand_state;
} fp8_rounding;

/* RNE, saturating: the default everywhere. */
extern const fp8_rounding fp8_rounding_default;

fp8_class fp8_codec_classify(const fp8_format *f, uint32_t code);
void fp8_codec_unpack(const fp8_format *f, uint32_t code, fp8_unpacked *u);
/* Exact for every format fp8lab accepts (<= 24 significand bits). NaN -> NAN. */
double fp8_codec_decode(const fp8_format *f, uint32_t code);

/* The one rounding point.  Rounds (-1)^sign * sig * 2^exp (sig != 0, any
 * position; callers that dropped bits below bit 0 must OR them into bit 0, a
 * sticky bit: with at most 24 target bits a 64-bit sig leaves room for it)
 * into f, and returns the code.
 *  - The grid: the format's finite values.  With :nosub the only values below
 *    the min normal 2^emin are 0 and 2^emin (the codes e = 0, m != 0 read as
 *    zero and are never produced); a tie at 2^(emin-1) goes to 0 under RNE
 *    (its significand at quantum 2^emin is even) and to 2^emin under RNA.
 *  - Ties: RNE to the even code (the even significand; for M = 0, where every
 *    significand is 1, the even exponent field), RNA away from zero.
 *  - Overflow (result beyond max finite): sat gives +-max; nonsat gives +-Inf,
 *    or the NaN code where there is no Inf (fn, fnuz), or +-max where there is
 *    neither (none, integers).  As in IEEE 754, RTZ never overflows to Inf or
 *    NaN: it gives +-max in both modes.  Two's complement saturates to -2^(n-1).
 *  - Zero results keep the sign where the format has -0 (ieee, fn, none,
 *    sign-magnitude integers); fnuz and two's complement give +0.
 *  - Flags (ORed into *flags, which may be NULL): INEXACT; UNDERFLOW when
 *    inexact and the rounded result is below 2^emin (zero or subnormal;
 *    never for integers); OVERFLOW (with INEXACT) when the result rounded
 *    with an unbounded exponent range would exceed max (IEEE 754; so under
 *    rtz from max + ulp(max) on, although the result is max). */
uint32_t fp8_round_pack(const fp8_format *f, int sign, uint64_t sig, int exp,
                        const fp8_rounding *rc, unsigned *flags);

/* double -> code through fp8_round_pack.  NaN -> the canonical NaN with the
 * input's sign (fnuz: its one NaN 0x80..0); where the format has no NaN, +0
 * and FP8_FLAG_INVALID.  +-Inf -> +-Inf where the format has it (exact, no
 * flag); otherwise it overflows: NaN in nonsat mode where there is a NaN,
 * else +-max, with OVERFLOW | INEXACT. */
uint32_t fp8_codec_encode(const fp8_format *f, double x,
                          const fp8_rounding *rc, unsigned *flags);

/* Arrays of float32 -> codes (one byte per code, f->bits <= 8; two bytes,
 * f->bits <= 16).  Codes and flags are bit-identical to fp8_codec_encode on
 * each element; flags are the OR over the array.  A branch-free vectorized
 * kernel (codec_f32.c) does rne/rtz/rna in both overflow modes for every
 * float format with bias <= 127 and M + bias >= 1 and every integer format;
 * the rest (stochastic rounding above all, which also consumes rand64 in
 * element order) runs the generic path. */
void fp8_codec_encode_f32_u8(const fp8_format *f, const float *in, uint8_t *out,
                             size_t n, const fp8_rounding *rc, unsigned *flags);
void fp8_codec_encode_f32_u16(const fp8_format *f, const float *in, uint16_t *out,
                              size_t n, const fp8_rounding *rc, unsigned *flags);
/* The same, element by element through fp8_codec_encode (the reference the
 * fast kernel is tested and benchmarked against). */
void fp8_codec_encode_f32_u8_generic(const fp8_format *f, const float *in, uint8_t *out,
                                     size_t n, const fp8_rounding *rc, unsigned *flags);
void fp8_codec_encode_f32_u16_generic(const fp8_format *f, const float *in, uint16_t *out,
                                      size_t n, const fp8_rounding *rc, unsigned *flags);
/* True if fp8_codec_encode_f32_u16 takes the fast kernel for (f, rc). */
bool fp8_codec_f32_fast_covers(const fp8_format *f, const fp8_rounding *rc);

#endif
