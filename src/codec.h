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
 * library stays free of GSL). */
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
 * into f, and returns the code.  Zero results follow the format: fnuz has no
 * -0.  Flags are ORed into *flags (which may be NULL). */
uint32_t fp8_round_pack(const fp8_format *f, int sign, uint64_t sig, int exp,
                        const fp8_rounding *rc, unsigned *flags);

/* double -> code, with NaN and Inf handled as DESIGN.md section 2 says. */
uint32_t fp8_codec_encode(const fp8_format *f, double x,
                          const fp8_rounding *rc, unsigned *flags);

/* Arrays of float32 -> codes (one byte per code, f->bits <= 8; two bytes,
 * f->bits <= 16).  Bit-identical to fp8_codec_encode on each element. */
void fp8_codec_encode_f32_u8(const fp8_format *f, const float *in, uint8_t *out,
                             size_t n, const fp8_rounding *rc, unsigned *flags);
void fp8_codec_encode_f32_u16(const fp8_format *f, const float *in, uint16_t *out,
                              size_t n, const fp8_rounding *rc, unsigned *flags);

#endif
