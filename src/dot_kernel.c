/* dot_kernel.c - one step of the dot-product unit (dot.h's contract): the
 * windowed step on 64-bit integers, the exactly aligned step on __int128, and
 * the special-value path.  Every result goes through dot_round.c. */
#include "dot_internal.h"

#define ALWAYS_INLINE static inline __attribute__((always_inline))
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define CODE(p, i, wide) ((wide) ? ((const uint16_t *)(p))[i] : ((const uint8_t *)(p))[i])

/* The step with a special value among its terms (rare): NaN, Inf, 0 x Inf. */
static void special_step(fp8_dot *d, const void *a, const void *b, int wide, dot_c *c,
                         unsigned *flags)
{
  bool nan = c->cls == FP8_CLASS_NAN, pinf = false, ninf = false;
  if (c->cls == FP8_CLASS_INF)
    *(c->sign ? &ninf : &pinf) = true;
  for (int i = 0; i < d->sp.n; i++) {
    fp8_product p;
    fp8_mac_product(&d->fa, CODE(a, i, wide), &d->fb, CODE(b, i, wide), &p);
    if (p.invalid)
      *flags |= FP8_DOT_INVALID;
    if (p.cls == FP8_CLASS_NAN)
      nan = true;
    else if (p.cls == FP8_CLASS_INF)
      *(p.sign ? &ninf : &pinf) = true;
  }
  if (!nan && pinf && ninf) {
    nan = true;
    *flags |= FP8_DOT_INVALID;
  }
  *c = (dot_c){nan ? FP8_CLASS_NAN : FP8_CLASS_INF, nan ? 0 : ninf, 0, 0};
}

/* The end of a windowed step: sum holds the products' terms in units of
 * 2^(emax - F); fused: add C's term and round the sum into C; after: C <- C +
 * sum with one rounding. */
ALWAYS_INLINE void end_step(fp8_dot *d, int64_t sum, int emax, int cae, dot_c *c, unsigned *flags,
                            fp8_dot_term_round mode)
{
  const fp8_format *f = &d->sp.acc.fmt;
  const int F = d->sp.window;
  if (d->sp.fused) {
    int cb = F - f->mbits;
    int64_t cv = (int64_t)c->sig * ((int64_t)1 << (cb > 0 ? cb : 0));
    sum += dot_shift_round(c->sign ? -cv : cv, emax - cae + (cb < 0 ? -cb : 0), mode);
    int neg = sum < 0;
    dot_round_c(d, neg, neg ? -(uint64_t)sum : (uint64_t)sum, emax - F, c, flags);
    return;
  }
  if (sum == 0 && c->cls == FP8_CLASS_ZERO) {
    c->sign = 0;                      /* an exact zero sum is +0, a loaded -0 too */
    return;
  }
  dot_c_from_code(d, dot_round_sum(f, &d->rc_acc, c->sign, c->sig, c->exp, sum, emax - F, flags), c);
}

void dot_step_decoded(fp8_dot *d, const int16_t *sva, const int16_t *aea, const int16_t *svb,
                      const int16_t *aeb, dot_c *c, unsigned *flags)
{
  const fp8_format *f = &d->sp.acc.fmt;
  const int F = d->sp.window, base = F - d->mt;
  const int cae = c->sig ? c->exp + f->mbits : d->zexp;
  int emax;
  int64_t sum = dot_fast_products(d->sp.n, sva, aea, svb, aeb, d->zexp, base > 0 ? base : 0,
                                  base < 0 ? -base : 0, d->sp.fused ? cae : -(1 << 30), &emax);
  end_step(d, sum, emax, cae, c, flags, FP8_DOT_RTZ);
}

/* fast32 units: decode the codes, then the vectorized loop. */
ALWAYS_INLINE void fast_step(fp8_dot *d, const void *a, const void *b, int wide, dot_c *c,
                             unsigned *flags)
{
  int16_t sva[FP8_DOT_MAX_N], aea[FP8_DOT_MAX_N], svb[FP8_DOT_MAX_N], aeb[FP8_DOT_MAX_N];
  const dot_op *ta = d->ta, *tb = d->tb;
  const uint32_t ma = fp8_format_ncodes_minus1(&d->fa), mb = fp8_format_ncodes_minus1(&d->fb);
  unsigned special = 0;
  for (int i = 0; i < d->sp.n; i++) {
    const dot_op x = ta[CODE(a, i, wide) & ma], y = tb[CODE(b, i, wide) & mb];
    sva[i] = (int16_t)x.sv;
    aea[i] = x.ae;
    svb[i] = (int16_t)y.sv;
    aeb[i] = y.ae;
    special |= x.special | y.special;
  }
  if (UNLIKELY(special || c->cls >= FP8_CLASS_INF))
    special_step(d, a, b, wide, c, flags);
  else
    dot_step_decoded(d, sva, aea, svb, aeb, c, flags);
}

ALWAYS_INLINE void window_step(fp8_dot *d, const void *a, const void *b, int wide, dot_c *c,
                               unsigned *flags, fp8_dot_term_round mode)
{
  const int n = d->sp.n, F = d->sp.window, zexp = d->zexp;
  const dot_op *ta = d->ta, *tb = d->tb;
  const uint32_t ma = fp8_format_ncodes_minus1(&d->fa), mb = fp8_format_ncodes_minus1(&d->fb);
  int64_t sv[FP8_DOT_MAX_N];
  int ae[FP8_DOT_MAX_N];
  int emax = -(1 << 30);
  unsigned special = 0;
  for (int i = 0; i < n; i++) {
    const dot_op x = ta[CODE(a, i, wide) & ma], y = tb[CODE(b, i, wide) & mb];
    int64_t p = (int64_t)x.sv * y.sv;
    int e = p ? x.ae + y.ae : zexp;
    special |= x.special | y.special;
    sv[i] = p;
    ae[i] = e;
    emax = e > emax ? e : emax;
  }
  const fp8_format *f = &d->sp.acc.fmt;
  if (UNLIKELY(special || c->cls >= FP8_CLASS_INF)) {
    special_step(d, a, b, wide, c, flags);
    return;
  }
  int cae = c->sig ? c->exp + f->mbits : zexp;
  if (d->sp.fused && cae > emax)
    emax = cae;
  /* A product is sv * 2^(ae - mt); in units of 2^(emax - F) it is
   * sv * 2^(F - mt) / 2^(emax - ae): pre-shift left, then round right. */
  const int base = F - d->mt, pre = base > 0 ? base : 0, extra = base < 0 ? -base : 0;
  int64_t sum = 0;
  for (int i = 0; i < n; i++)
    sum += dot_shift_round(sv[i] * ((int64_t)1 << pre), emax - ae[i] + extra, mode);
  end_step(d, sum, emax, cae, c, flags, mode);
}

ALWAYS_INLINE void exact_step(fp8_dot *d, const void *a, const void *b, int wide, dot_c *c,
                              unsigned *flags)
{
  const int n = d->sp.n, L = d->lsb;
  const dot_op *ta = d->ta, *tb = d->tb;
  const uint32_t ma = fp8_format_ncodes_minus1(&d->fa), mb = fp8_format_ncodes_minus1(&d->fb);
  __int128 s = 0;
  unsigned special = 0;
  for (int i = 0; i < n; i++) {
    const dot_op x = ta[CODE(a, i, wide) & ma], y = tb[CODE(b, i, wide) & mb];
    special |= x.special | y.special;
    int64_t p = (int64_t)x.sv * y.sv;
    if (p)
      s += (__int128)p * ((__int128)1 << (x.ae + y.ae - d->mt - L));
  }
  if (UNLIKELY(special || c->cls >= FP8_CLASS_INF)) {
    special_step(d, a, b, wide, c, flags);
    return;
  }
  if (s == 0 && c->cls == FP8_CLASS_ZERO) {
    c->sign = 0;                      /* an exact zero sum is +0, a loaded -0 too */
    return;
  }
  dot_c_from_code(d, dot_round_sum(&d->sp.acc.fmt, &d->rc_acc, c->sign, c->sig, c->exp, s, L, flags), c);
}

ALWAYS_INLINE void step(fp8_dot *d, const void *a, const void *b, int wide, dot_c *c,
                        unsigned *flags)
{
  if (d->sp.window == FP8_DOT_EXACT)
    exact_step(d, a, b, wide, c, flags);
  else if (d->fast32)
    fast_step(d, a, b, wide, c, flags);
  else if (d->sp.term == FP8_DOT_RTZ)
    window_step(d, a, b, wide, c, flags, FP8_DOT_RTZ);
  else if (d->sp.term == FP8_DOT_RDN)
    window_step(d, a, b, wide, c, flags, FP8_DOT_RDN);
  else
    window_step(d, a, b, wide, c, flags, FP8_DOT_RNE);
}

void dot_step_u8(fp8_dot *d, const uint8_t *a, const uint8_t *b, dot_c *c, unsigned *flags)
{
  step(d, a, b, 0, c, flags);
}

void dot_step_u16(fp8_dot *d, const uint16_t *a, const uint16_t *b, dot_c *c, unsigned *flags)
{
  step(d, a, b, 1, c, flags);
}
