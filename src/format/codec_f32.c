/* codec_f32.c - the fast float32 -> code path behind fp8_codec_encode_f32_u8/_u16.
 *
 * Every element is converted by the same straight-line, branch-free kernel so
 * that gcc vectorizes the loops (this file is built with its own optimisation
 * flags, see Makefile.am).  The kernel reproduces fp8_round_pack exactly; the
 * tests compare it against the generic path and against a brute-force
 * nearest-value search, and `make check-exhaustive` does so for all 2^32 inputs.
 *
 * How a float32 |x| (bits a) becomes a magnitude code:
 *  - |x| >= 2^emin (a target normal): the float32 bits already are sign,
 *    exponent, mantissa; dropping the low 23-M mantissa bits after adding a
 *    rounding increment rounds in place, a carry moving into the exponent on
 *    its own (the fp32 -> bf16 trick), and rebiasing the exponent is one
 *    subtraction.
 *  - |x| < 2^emin (target subnormals, or the {0, 2^emin} grid of :nosub), and
 *    every integer: y = |x| / quantum is formed by exact power-of-two
 *    multiplies, then truncated (cvttps2dq); the fraction y - trunc(y) is exact
 *    and decides the round-up.  Integers use the same route with quantum 1.
 * Both are computed for every lane and one is selected; NaN, Inf and overflow
 * are selected in last from per-sign codes prepared once per call.
 *
 * Covered: rne, rtz, rna; every overflow and NaN mode (they only change the
 * per-call special codes, which come from the generic path); signed floats of
 * <= 16 bits with bias <= 127 (so 2^emin is a float32 normal) and M + bias >= 1
 * (so the scaling is exact), any convention; integers of <= 16 bits.  Anything
 * else (directed, odd and stochastic roundings, unsigned and nozero formats,
 * wider formats, extreme biases) goes element by element through
 * fp8_codec_encode.
 */
#include "codec.h"

#include <string.h>

/* Per-call constants of the kernel. */
typedef struct f32_plan {
  uint32_t thr;          /* float32 bits of 2^emin: below it the scaled route */
  float s1, s2;          /* y = |x| * s1 * s2 = |x| / quantum, both exact */
  float ylim;            /* clamp keeps the float -> int conversion defined */
  uint32_t subshift;     /* scaled count -> magnitude code: M for :nosub, else 0 */
  uint32_t d;            /* 23 - M: float32 mantissa bits dropped */
  uint32_t rbias;        /* rounding increment below the kept bits (without the RNE lsb) */
  uint32_t eadj;         /* (127 - bias) << M: float32 exponent -> target exponent */
  uint32_t minnorm;      /* 1 << M: magnitudes below it are subnormal or zero (underflow) */
  uint32_t maxpos, maxneg;           /* largest magnitude code per sign */
  uint32_t ovfpos, ovfneg;           /* full codes on overflow */
  uint32_t infpos, infneg;           /* full codes for +-Inf input */
  uint32_t inf_flags;                /* flags raised by an Inf input */
  uint32_t nanpos, nanneg;           /* full codes for NaN input */
  uint32_t nan_flags;
  uint32_t negxor, negadd, mask;     /* negative code = ((mag ^ negxor) + negadd) & mask */
  uint32_t negzero;                  /* 1 if -0 has its own code */
  uint32_t isint;
} f32_plan;

static float pow2f(int e)           /* 2^e for -126 <= e <= 127 */
{
  uint32_t b = (uint32_t)(e + 127) << 23;
  float f;
  memcpy(&f, &b, sizeof f);
  return f;
}

/* Fill the plan; returns 0 if the fast kernel covers (f, rc). */
static int f32_plan_make(const fp8_format *f, const fp8_rounding *rc, f32_plan *p)
{
  if (f->bits > 16 || f->is_unsigned || f->nozero ||
      (rc->mode != FP8_ROUND_RNE && rc->mode != FP8_ROUND_RTZ && rc->mode != FP8_ROUND_RNA))
    return -1;
  memset(p, 0, sizeof *p);
  int M = f->mbits;
  int qe;                                   /* exponent of the scaled route's quantum */
  if (f->ebits == 0) {
    qe = 0;
    p->thr = 0xffffffffu;                   /* every finite input takes the scaled route */
    p->isint = 1;
  } else {
    int emin = fp8_format_emin(f);
    if (f->bias > 127 || M + f->bias < 1)
      return -1;
    qe = f->subnormals ? emin - M : emin;
    p->thr = (uint32_t)(emin + 127) << 23;
    p->subshift = f->subnormals ? 0 : (uint32_t)M;
  }
  int s = -qe;                              /* 0 <= s <= 23 + 127 - 1 */
  int s1 = s > 127 ? 127 : s;
  p->s1 = pow2f(s1);
  p->s2 = pow2f(s - s1);
  p->ylim = 16777216.0f;                    /* 2^24 > any magnitude code */
  p->d = (uint32_t)(23 - M);
  p->rbias = rc->mode == FP8_ROUND_RTZ ? 0
           : rc->mode == FP8_ROUND_RNA ? 1u << (22 - M) : (1u << (22 - M)) - 1;
  p->eadj = f->ebits ? (uint32_t)(127 - f->bias) << M : 0;
  p->minnorm = f->ebits ? 1u << M : 0;
  p->mask = fp8_format_ncodes_minus1(f);
  uint32_t sb = fp8_format_sign_bit(f);
  bool twos = f->ebits == 0 && f->intenc == FP8_INT_TWOS;
  p->maxpos = fp8_format_max_code(f);
  p->maxneg = p->maxpos + (twos ? 1 : 0);
  p->negxor = twos ? 0xffffffffu : sb;
  p->negadd = twos ? 1 : 0;
  p->negzero = fp8_format_has_negzero(f);
  /* The special codes come from the generic path itself, so they agree by construction. */
  fp8_rounding g = *rc;
  unsigned fl = 0;
  int beyond = fp8_format_emax(f) + 2;      /* 2^beyond overflows in every mode */
  p->ovfpos = fp8_round_pack(f, 0, 1, beyond, &g, NULL);
  p->ovfneg = fp8_round_pack(f, 1, 1, beyond, &g, NULL);
  p->infpos = fp8_codec_encode(f, (double)__builtin_inff(), &g, &fl);
  p->infneg = fp8_codec_encode(f, -(double)__builtin_inff(), &g, NULL);
  p->inf_flags = fl;
  fl = 0;
  p->nanpos = fp8_codec_encode(f, (double)__builtin_nanf(""), &g, &fl);
  p->nanneg = fp8_codec_encode(f, -(double)__builtin_nanf(""), &g, NULL);
  p->nan_flags = fl;
  return 0;
}

/* c ? a : b for c in {0, 1}, as masks: written as a ternary, gcc sinks the
 * arms into branches that its if-conversion then cannot undo. */
static inline uint32_t sel(uint32_t c, uint32_t a, uint32_t b)
{
  uint32_t m = -c;
  return (a & m) | (b & ~m);
}

/* One element.  mode is a compile-time constant at every call (always_inline),
 * so each loop below is specialised and free of branches. */
static inline __attribute__((always_inline)) uint32_t
f32_kernel(const f32_plan *p, float x, fp8_round_mode mode, unsigned *lane_flags)
{
  uint32_t u;
  memcpy(&u, &x, sizeof u);
  uint32_t sign = u >> 31, a = u & 0x7fffffffu;
  float ax;
  memcpy(&ax, &a, sizeof ax);

  /* scaled route */
  float y = ax * p->s1 * p->s2;
  y = y < p->ylim ? y : p->ylim;            /* also maps NaN to ylim */
  int32_t t = (int32_t)y;
  float fr = y - (float)t;
  uint32_t up;
  if (mode == FP8_ROUND_RNE)
    up = (fr > 0.5f) | ((fr == 0.5f) & (uint32_t)t);
  else if (mode == FP8_ROUND_RNA)
    up = fr >= 0.5f;
  else
    up = 0;
  up &= 1;
  uint32_t ks = ((uint32_t)t + up) << p->subshift;
  uint32_t ex_s = fr != 0.0f;

  /* normal route */
  /* RNE adds the lsb of the truncated code (for M = 0 the exponent's, which
   * rebiasing can flip: hence the subtraction) */
  uint32_t r = a + p->rbias + (mode == FP8_ROUND_RNE ? ((a >> p->d) - p->eadj) & 1 : 0);
  uint32_t kn = (r >> p->d) - p->eadj;
  uint32_t ex_n = (a & ((1u << p->d) - 1)) != 0;

  uint32_t scaled = a < p->thr;
  uint32_t mag = sel(scaled, ks, kn);
  uint32_t inexact = sel(scaled, ex_s, ex_n);

  uint32_t negcode = ((mag ^ p->negxor) + p->negadd) & p->mask;
  uint32_t code = sel(sign & ((mag != 0) | p->negzero), negcode, mag);
  uint32_t ovf = mag > sel(sign, p->maxneg, p->maxpos);
  code = sel(ovf, sel(sign, p->ovfneg, p->ovfpos), code);
  uint32_t fl = inexact | ovf | (ovf << 2)
              | ((inexact & (mag < p->minnorm) & (ovf ^ 1)) << 1);
  uint32_t isinf = a == 0x7f800000u, isnan = a > 0x7f800000u;
  code = sel(isinf, sel(sign, p->infneg, p->infpos), code);
  code = sel(isnan, sel(sign, p->nanneg, p->nanpos), code);
  fl = sel(isinf, p->inf_flags, fl);
  fl = sel(isnan, p->nan_flags, fl);
  *lane_flags |= fl;
  return code;
}

/* The loops: one per (output width, mode, flags wanted); flags are ORed lane
 * by lane and reduced once, which the vectorizer turns into a vector OR.  On
 * x86-64 each loop is also cloned for AVX2 (twice the lanes), picked at load
 * time by the CPU it runs on.  -DFP8_NO_CLONES builds the baseline loops only
 * (tests/test_codec_sse2 runs them on AVX2 machines too). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__ELF__) && !defined(FP8_NO_CLONES)
#define F32_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define F32_CLONES
#endif
#define F32_LOOP(NAME, OUT_T, MODE, FLAGS)                                       \
  F32_CLONES static unsigned NAME(const f32_plan *p, const float *restrict in,  \
                                  OUT_T *restrict out, size_t n)                \
  {                                                                              \
    unsigned acc = 0;                                                            \
    const f32_plan P = *p;  /* a local copy: its fields become registers */      \
    for (size_t i = 0; i < n; i++) {                                             \
      unsigned lf = 0;                                                           \
      out[i] = (OUT_T)f32_kernel(&P, in[i], MODE, &lf);                          \
      if (FLAGS)                                                                 \
        acc |= lf;                                                               \
    }                                                                            \
    return acc;                                                                  \
  }
#define F32_LOOPS(W, OUT_T)                                                      \
  F32_LOOP(loop_##W##_rne, OUT_T, FP8_ROUND_RNE, 0)                              \
  F32_LOOP(loop_##W##_rtz, OUT_T, FP8_ROUND_RTZ, 0)                              \
  F32_LOOP(loop_##W##_rna, OUT_T, FP8_ROUND_RNA, 0)                              \
  F32_LOOP(loop_##W##_rne_fl, OUT_T, FP8_ROUND_RNE, 1)                           \
  F32_LOOP(loop_##W##_rtz_fl, OUT_T, FP8_ROUND_RTZ, 1)                           \
  F32_LOOP(loop_##W##_rna_fl, OUT_T, FP8_ROUND_RNA, 1)                           \
  static unsigned loop_##W(const f32_plan *p, fp8_round_mode mode, bool flags,  \
                           const float *in, OUT_T *out, size_t n)               \
  {                                                                              \
    switch (mode) {                                                              \
    case FP8_ROUND_RTZ: return (flags ? loop_##W##_rtz_fl : loop_##W##_rtz)(p, in, out, n); \
    case FP8_ROUND_RNA: return (flags ? loop_##W##_rna_fl : loop_##W##_rna)(p, in, out, n); \
    default:            return (flags ? loop_##W##_rne_fl : loop_##W##_rne)(p, in, out, n); \
    }                                                                            \
  }
F32_LOOPS(u8, uint8_t)
F32_LOOPS(u16, uint16_t)

void fp8_codec_encode_f32_u8(const fp8_format *f, const float *in, uint8_t *out,
                             size_t n, const fp8_rounding *rc, unsigned *flags)
{
  f32_plan p;
  if (!rc)
    rc = &fp8_rounding_default;
  if (f->bits > 8 || f32_plan_make(f, rc, &p)) {
    fp8_codec_encode_f32_u8_generic(f, in, out, n, rc, flags);
    return;
  }
  unsigned acc = loop_u8(&p, rc->mode, flags != NULL, in, out, n);
  if (flags)
    *flags |= acc;
}

void fp8_codec_encode_f32_u16(const fp8_format *f, const float *in, uint16_t *out,
                              size_t n, const fp8_rounding *rc, unsigned *flags)
{
  f32_plan p;
  if (!rc)
    rc = &fp8_rounding_default;
  if (f32_plan_make(f, rc, &p)) {
    fp8_codec_encode_f32_u16_generic(f, in, out, n, rc, flags);
    return;
  }
  unsigned acc = loop_u16(&p, rc->mode, flags != NULL, in, out, n);
  if (flags)
    *flags |= acc;
}

bool fp8_codec_f32_fast_covers(const fp8_format *f, const fp8_rounding *rc)
{
  f32_plan p;
  return f32_plan_make(f, rc ? rc : &fp8_rounding_default, &p) == 0;
}
