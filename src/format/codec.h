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

/* nu: the discarded part as a fraction of the result's last place, in [0, 1);
 * "up" is away from zero.  For the P3109 stochastic roundings R is uniform on
 * 0..2^N-1 (N = fp8_rounding.sr_bits, 1..63: the top N bits of one rand64()):
 *   SR_A: up iff floor(nu * 2^N) + R >= 2^N
 *   SR_B: up iff floor(nu * 2^(N+1)) + 2R + 1 >= 2^(N+1)
 *   SR_C: up iff RNE(nu * 2^N) + R >= 2^N
 * STOCHASTIC (fp8lab's first): up iff rand64() < nu * 2^64, so up with
 * probability nu exactly to 2^-64 (A's probability at N = 64, but not A's
 * comparison: the same seed gives other bits than SR_A). */
typedef enum fp8_round_mode {
  FP8_ROUND_RNE,        /* to nearest, ties to even (default) */
  FP8_ROUND_RTZ,        /* toward zero */
  FP8_ROUND_RNA,        /* to nearest, ties away from zero */
  FP8_ROUND_STOCHASTIC, /* up with probability = discarded fraction */
  FP8_ROUND_RTP,        /* toward +Inf */
  FP8_ROUND_RTN,        /* toward -Inf */
  FP8_ROUND_RTO,        /* to odd: truncate, then the odd neighbour if inexact */
  FP8_ROUND_SR_A,       /* P3109 stochastic A, B, C with N random bits */
  FP8_ROUND_SR_B,
  FP8_ROUND_SR_C
} fp8_round_mode;
#define FP8_ROUND_NMODES 10

/* Beyond the largest finite value (and for +-Inf inputs).  The P3109 modes
 * follow the IEEE P3109 interim report v4.0 (2026-06); doc/DESIGN.md section 2.
 * "Overflowing toward Inf" means the rounding goes away from zero there: rne,
 * rna, the stochastic ones, rtp for +, rtn for -; rtz never does; rto where
 * the Inf code is the odd neighbour of max's (P3109 signed extended).
 *                      finite overflow        +-Inf in (format with Inf / without)
 *   SATPROPAGATE (sat) +-max                  +-Inf / +-max            (P3109 SatPropagate; fp8lab's first sat)
 *   SATFINITE          +-max                  +-max / +-max            (CUDA satfinite, P3109 SatFinite,
 *                                                                     ONNX Cast saturate=1 for E4M3FN, E5M2)
 *   NONSAT             +-Inf, else NaN,       +-Inf / NaN, else +-max  (OCP non-saturating, ml_dtypes)
 *                      else +-max
 *   SATNONE            +-Inf, else +-max      +-Inf / +-max            (P3109 SatNone)
 * In NONSAT and SATNONE an overflow that does not round toward Inf gives
 * +-max (IEEE 754).  In every mode a NaN input gives NaN where there is one.
 * Below the range (unsigned formats: negative nonzero inputs; nozero formats:
 * zero): NONSAT gives NaN (INVALID); SATPROPAGATE and SATFINITE the smallest
 * value (0, or 2^-bias with nozero) with INVALID | INEXACT, except that zero
 * into a nozero format is UNDERFLOW | INEXACT there.  SATNONE (v4.0; v3.2.1
 * gave 0), for unsigned formats with a zero and a NaN: a negative value or
 * -Inf is 0 under rtz and rtp (INEXACT); otherwise it rounds as if the format
 * had negative values, and is NaN (INVALID | INEXACT) unless that gives 0. */
typedef enum fp8_overflow_mode {
  FP8_OVERFLOW_SATPROPAGATE,
  FP8_OVERFLOW_NONSAT,
  FP8_OVERFLOW_SATFINITE,
  FP8_OVERFLOW_SATNONE
} fp8_overflow_mode;
#define FP8_OVERFLOW_SAT FP8_OVERFLOW_SATPROPAGATE
#define FP8_OVERFLOW_NMODES 4

/* Which NaN a NaN input becomes. */
typedef enum fp8_nan_mode {
  FP8_NAN_KEEP_SIGN,    /* the canonical NaN with the input's sign (ml_dtypes, PyTorch on CPU) */
  FP8_NAN_ONES          /* +NaN with every magnitude bit set (0x7f: CUDA/PTX cvt) */
} fp8_nan_mode;

/* Names (CLI spellings) of the modes; parse returns 0 or -1.  A rounding
 * name may carry the number of random bits: "sr-a:8". */
const char *fp8_round_mode_name(fp8_round_mode m);
const char *fp8_overflow_mode_name(fp8_overflow_mode m);
int fp8_round_mode_lookup(const char *s, fp8_round_mode *m, int *sr_bits);
int fp8_overflow_mode_lookup(const char *s, fp8_overflow_mode *m);
int fp8_nan_mode_lookup(const char *s, fp8_nan_mode *m);
/* stochastic, sr-a, sr-b, sr-c: the modes that draw random bits. */
bool fp8_round_mode_is_stochastic(fp8_round_mode m);

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
 * stochastic mode rounds toward zero; for SR_A/B/C it counts as R = 0.
 * sr_bits outside 1..63 is taken as the nearest of 1 and 63. */
typedef struct fp8_rounding {
  fp8_round_mode mode;
  fp8_overflow_mode overflow;
  uint64_t (*rand64)(void *state);
  void *rand_state;
  int sr_bits;          /* N of SR_A/B/C: 1..63 */
  fp8_nan_mode nan;
} fp8_rounding;

/* RNE, saturating: the default everywhere. */
extern const fp8_rounding fp8_rounding_default;

fp8_class fp8_codec_classify(const fp8_format *f, uint32_t code);
/* True when a and b have the same width and every code has the same value
 * (NaN codes NaN in both, zeros of the same sign): e.g. binary8p4sf and
 * float8_e4m3fnuz.  Formats of at most 16 bits; false otherwise. */
bool fp8_codec_same_values(const fp8_format *a, const fp8_format *b);
void fp8_codec_unpack(const fp8_format *f, uint32_t code, fp8_unpacked *u);
/* Exact wherever the value is a double: every format with E <= 11 (<= 24
 * significand bits).  Beyond (E >= 12: binary16p1se, ...) ldexp's result:
 * +-Inf above 2^1024, a rounded subnormal or 0 below 2^-1074.  NaN -> NAN. */
double fp8_codec_decode(const fp8_format *f, uint32_t code);
/* The exact value of a code that is no double (see fp8_codec_decode) as hex
 * floating point, "0x1.8p+20000" or "-0x1p-32768", in buf: returns true.
 * False, buf untouched, when fp8_codec_decode is exact for the code. */
bool fp8_codec_value_text_wide(const fp8_format *f, uint32_t code, char *buf, size_t len);

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
 *  - Overflow (result beyond max finite): as fp8_overflow_mode says.  Two's
 *    complement saturates to -2^(n-1).  Directed roundings: rtp/rtn give the
 *    neighbour above/below; rto the neighbour with the odd code (the larger
 *    one when both are even: 0 | 2^emin under :nosub).
 *  - Unsigned formats: a negative nonzero value is below the range (see
 *    fp8_overflow_mode); nozero formats round values below 2^-bias up to it.
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
