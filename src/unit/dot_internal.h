/* dot_internal.h - the fp8_dot workspace, shared by dot.c (set-up, chain,
 * readout), dot_round.c (exact sums rounded once), dot_kernel.c (the steps),
 * dot_fast.c (the 32-bit lanes) and dot_gemm.c.  Not installed.
 * Calls run one way: dot_gemm.c -> dot.c -> dot_kernel.c -> dot_fast.c,
 * dot_round.c (doc/DESIGN.md section 3). */
#ifndef FP8_DOT_INTERNAL_H
#define FP8_DOT_INTERNAL_H

#include "dot.h"

/* One operand code: signed significand (value = sv * 2^(ae - M)), its
 * alignment exponent, and whether it is Inf/NaN (the slow path). */
typedef struct dot_op {
  int32_t sv;
  int16_t ae;
  uint8_t special;
} dot_op;

/* C inside the chain: (-1)^sign * sig * 2^exp, or a special class (ZERO,
 * NORMAL = any finite nonzero, INF, NAN).  Always a value of the acc format. */
typedef struct dot_c {
  fp8_class cls;
  int sign;
  uint64_t sig;
  int exp;
} dot_c;

/* The block-scale stage as a value: B = sp.kblock products share one scale
 * pair; with kblock 0 the stage is absent (every table NULL) and the steps
 * are the per-tensor ones. */
typedef struct dot_stage {
  dot_op *sa, *sb;            /* scale codes: signed significand, ae + the element shift, special */
  uint32_t qa, qb;            /* scale code masks */
  int ms;                     /* M_ZA + M_ZB: a scale pair's value is sa.sv * sb.sv * 2^(aeA + aeB - ms) */
  uint16_t one_a, one_b;      /* the scale codes of X = 1 (fp8_dot_push_u8/u16) */
  uint16_t *psa, *psb;        /* the scale of each buffered product (pa, pb) */
  size_t pos;                 /* products fed since the chain was cleared */
  bool narrow;                /* windowed, every term and the step's sum fit 62 bits: int64 sums */
} dot_stage;

struct fp8_dot {
  fp8_dot_spec sp;
  fp8_block_format oa, ob;   /* the operands */
  fp8_format fa, fb, f32;    /* the operands' element formats, fp32 */
  fp8_mac *mac;              /* Kulisch and the MAC case: the unit is mac.h's */
  dot_op *ta, *tb;           /* per code (tb == ta when B = A) */
  int mt;                    /* MA + MB: a product's value is sv * 2^(ae - mt) */
  int lsb;                   /* exact alignment: the product LSB exponent L */
  fp8_rounding rc_acc, rc_f32;
  dot_c c;                   /* C */
  int acc_emin, acc_emax;    /* the accumulator's normal range */
  uint32_t p;                /* P, the outer fp32 accumulator (bits) */
  unsigned flags;
  int since;                 /* steps since the last promotion */
  int pending;               /* pairs buffered for the current step */
  uint16_t *pa, *pb;         /* the buffer, n pairs */
  int16_t zexp;
  bool fast32;               /* window, rtz: dot_fast_products' 32-bit lanes hold every term */
  void *mem;
  dot_stage stage;           /* the block-scale stage; absent when sp.kblock == 0 */
};

/* (-1)^sign * mag * 2^exp rounded once into f (fp8_round_pack with rc); a
 * zero result is +0.  mag may have up to 127 bits. */
uint32_t dot_round_wide(const fp8_format *f, const fp8_rounding *rc, int sign,
                        unsigned __int128 mag, int exp, unsigned *flags);
/* round(x + s * 2^es) for x = (-1)^xs * xsig * 2^xexp (xsig < 2^24) and s a
 * signed integer of at most 76 bits: one rounding of the exact sum into f; an
 * exact zero sum is +0. */
uint32_t dot_round_sum(const fp8_format *f, const fp8_rounding *rc, int xs, uint64_t xsig, int xexp,
                       __int128 s, int es, unsigned *flags);
/* dot_round_wide into the unit's accumulator, as a dot_c.  Results in the
 * normal range are rounded in line (RTZ / RNE to the acc's precision), the
 * rest through dot_round_wide; tests check both against fp8_round_pack. */
void dot_round_c(const fp8_dot *d, int sign, uint64_t mag, int exp, dot_c *c, unsigned *flags);
/* A code of the accumulator as a dot_c, and back (exact). */
void dot_c_from_code(const fp8_dot *d, uint32_t code, dot_c *c);
uint32_t dot_c_to_code(const fp8_dot *d, const dot_c *c);

/* Add x (a code of f, C or P) and y (a code of g) under IEEE specials; returns
 * 1 and sets *code if either is Inf/NaN, else 0. */
int dot_special_add(const fp8_format *f, uint32_t x, const fp8_format *g, uint32_t y,
                    uint32_t *code, unsigned *flags);

/* dot.c: after a step, count it and promote every k. */
void dot_after_step(fp8_dot *d);

/* The step on n pairs of codes (uint8_t or uint16_t arrays): C <- step.
 * With a block-scale stage the products carry scale 1 (the unit's one_a,
 * one_b). */
void dot_step_u8(fp8_dot *d, const uint8_t *a, const uint8_t *b, dot_c *c, unsigned *flags);
void dot_step_u16(fp8_dot *d, const uint16_t *a, const uint16_t *b, dot_c *c, unsigned *flags);
/* The step of a unit with a block-scale stage on valid (0..n) products, each
 * with its scale codes sa[i], sb[i]; the rest of the step is absent (no term,
 * no scale). */
void dot_step_scaled(fp8_dot *d, const uint16_t *a, const uint16_t *b, const uint16_t *sa,
                     const uint16_t *sb, int valid, dot_c *c, unsigned *flags);
/* The step on decoded operands (no Inf/NaN among them): fast32 units only. */
void dot_step_decoded(fp8_dot *d, const int16_t *sva, const int16_t *aea, const int16_t *svb,
                      const int16_t *aeb, dot_c *c, unsigned *flags);
/* dot_fast.c: emax = max(emax_in, the products' alignment exponents) into
 * *emax_out, and the sum of the n products rounded toward zero into units of
 * 2^(emax - F), each |a*b| pre-shifted left by pre and right by
 * emax - ae + extra. */
int32_t dot_fast_products(int n, const int16_t *sva, const int16_t *aea, const int16_t *svb,
                          const int16_t *aeb, int zexp, int pre, int extra, int emax_in, int *emax_out);
/* v / 2^sh rounded to an integer (sh >= 0), v of at most 62 bits, the
 * term rounding of the windowed steps (dot_kernel.c). */
static inline __attribute__((always_inline)) int64_t dot_shift_round(int64_t v, int sh, fp8_dot_term_round mode)
{
  if (sh > 63)
    sh = 63;
  switch (mode) {
  case FP8_DOT_RTZ: {
    int64_t s = v >> 63;                  /* 0 or -1 */
    return ((((v ^ s) - s) >> sh) ^ s) - s;
  }
  case FP8_DOT_RDN:
    return v >> sh;
  default: {
    if (sh == 0)
      return v;
    int64_t q = v >> sh, rem = v - (int64_t)((uint64_t)q << sh), half = (int64_t)1 << (sh - 1);
    return q + (rem > half || (rem == half && (q & 1)));
  }
  }
}

/* dot_reduce.c: the split-K reduction (dot.h) of a chain of k products:
 * run(d, k0, k1, ctx, flags) computes one chunk, products [k0, k1), as a chain
 * of its own on the cleared unit d and returns its fp32 result (bits); the
 * results are added in order.  splitk 0/1: one call, run(d, 0, k). */
typedef uint32_t (*dot_chunk_fn)(fp8_dot *d, size_t k0, size_t k1, void *ctx, unsigned *flags);
uint32_t dot_splitk(fp8_dot *d, size_t k, dot_chunk_fn run, void *ctx, unsigned *flags);

/* After a step: count it, promote every k. */
void dot_after_step(fp8_dot *d);

#endif
