/* dot_kernel.c - one step of the dot-product unit (dot.h's contract).  The
 * block-scale stage is a value of the unit (dot_stage): absent, the terms
 * are the products and the step runs on 64-bit integers (windowed; 32-bit
 * lanes in dot_fast.c when they hold every term) or __int128 (exact
 * alignment); present, the terms are scaled products or scaled exact sums of
 * G products.  One special-value path serves both (unit_facts.h's product
 * rule over the factors).  Every result goes through dot_round.c
 * (fp8_round_pack, the one rounding point). */
#include "dot_internal.h"

typedef __int128 i128;
typedef unsigned __int128 u128;

#define ALWAYS_INLINE static inline __attribute__((always_inline))
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define CODE(p, i, wide) ((wide) ? ((const uint16_t *)(p))[i] : ((const uint8_t *)(p))[i])

/* The step with an Inf or NaN among its factors (elements, and scales when
 * sa is not NULL) or in C (rare): valid products, codes read as CODE. */
static void special_step(fp8_dot *d, const void *a, const void *b, const uint16_t *sa,
                         const uint16_t *sb, int valid, int wide, dot_c *c, unsigned *flags)
{
  fp8_special_sum sum = {false, false, false};
  fp8_facts_sum_term(&sum, c->cls, c->sign);
  const fp8_format *f[4] = {&d->fa, &d->fb, &d->oa.scale, &d->ob.scale};
  const int nf = sa ? 4 : 2;
  for (int i = 0; i < valid; i++) {
    const uint32_t code[4] = {CODE(a, i, wide), CODE(b, i, wide), sa ? sa[i] : 0, sb ? sb[i] : 0};
    fp8_class cls[4];
    int sign = 0, invalid;
    for (int j = 0; j < nf; j++) {
      fp8_unpacked u;
      fp8_codec_unpack(f[j], code[j] & fp8_format_ncodes_minus1(f[j]), &u);
      cls[j] = u.cls;
      sign ^= u.sign;
    }
    fp8_facts_sum_term(&sum, fp8_facts_product_class(cls, nf, &invalid), sign);
    if (invalid)
      *flags |= FP8_DOT_INVALID;
  }
  int sign, invalid;
  fp8_class r = fp8_facts_sum_class(&sum, &sign, &invalid);
  if (invalid)
    *flags |= FP8_DOT_INVALID;
  *c = (dot_c){r, sign, 0, 0};
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
    special_step(d, a, b, NULL, NULL, d->sp.n, wide, c, flags);
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
    special_step(d, a, b, NULL, NULL, d->sp.n, wide, c, flags);
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
    special_step(d, a, b, NULL, NULL, d->sp.n, wide, c, flags);
    return;
  }
  if (s == 0 && c->cls == FP8_CLASS_ZERO) {
    c->sign = 0;                      /* an exact zero sum is +0, a loaded -0 too */
    return;
  }
  dot_c_from_code(d, dot_round_sum(&d->sp.acc.fmt, &d->rc_acc, c->sign, c->sig, c->exp, s, L, flags), c);
}

/* v / 2^sh rounded to an integer (sh >= 1), as dot_shift_round, on 128 bits. */
static inline __attribute__((always_inline)) i128 shift_round128(i128 v, int sh, fp8_dot_term_round mode)
{
  if (sh > 127)
    sh = 127;
  switch (mode) {
  case FP8_DOT_RTZ: {
    u128 m = v < 0 ? -(u128)v : (u128)v;
    i128 q = (i128)(m >> sh);
    return v < 0 ? -q : q;
  }
  case FP8_DOT_RDN:
    return v >> sh;
  default: {
    if (sh > 125)   /* |v| <= 2^125 (the set-up's bound): at most a tie, which goes to 0 */
      return 0;
    i128 q = v >> sh, rem = v - q * ((i128)1 << sh), half = (i128)1 << (sh - 1);
    return q + (rem > half || (rem == half && (q & 1)));
  }
  }
}

/* The step with the block-scale stage (dot_internal.h). */
void dot_step_scaled(fp8_dot *d, const uint16_t *a, const uint16_t *b, const uint16_t *sa,
                       const uint16_t *sb, int valid, dot_c *c, unsigned *flags)
{
  const dot_stage *k = &d->stage;
  const int G = d->sp.group, F = d->sp.window, L = d->lsb, mt = d->mt;
  const uint32_t ma = fp8_format_ncodes_minus1(&d->fa), mb = fp8_format_ncodes_minus1(&d->fb);
  const fp8_format *f = &d->sp.acc.fmt;
  /* The terms: value v * 2^x, alignment exponent ae (garbage when a factor
   * is Inf or NaN: the special path then replaces the step).  A run of G
   * products lies in one block (G divides B), so its first scale is its. */
  unsigned special = c->cls >= FP8_CLASS_INF;
  i128 v[FP8_DOT_MAX_N];
  int x[FP8_DOT_MAX_N], nt = 0, emax = -(1 << 30);
  const int step = G ? G : 1;
  for (int s = 0; s < valid; s += step) {
    const dot_op ya = k->sa[sa[s] & k->qa], yb = k->sb[sb[s] & k->qb];
    const int end = s + step < valid ? s + step : valid;
    i128 sum = 0;
    int ae = ya.ae + yb.ae, xs = 0;
    special |= ya.special | yb.special;
    for (int i = s; i < end; i++) {
      const dot_op oa = d->ta[a[i] & ma], ob = d->tb[b[i] & mb];
      special |= oa.special | ob.special;
      int64_t p = (int64_t)oa.sv * ob.sv;
      if (!p)
        continue;
      if (G)
        sum += (i128)p * ((i128)1 << (oa.ae + ob.ae - mt - L));
      else {
        sum = p;
        ae += oa.ae + ob.ae;
        xs = oa.ae + ob.ae - mt;
      }
    }
    if ((sum == 0 && !G) || !ya.sv || !yb.sv) {   /* a zero product, or a zero scale */
      emax = d->zexp > emax ? d->zexp : emax;
      continue;
    }
    v[nt] = sum * ya.sv * yb.sv;
    x[nt] = (G ? L : xs) + ya.ae + yb.ae - k->ms;
    emax = ae > emax ? ae : emax;
    nt++;
  }
  if (special) {
    special_step(d, a, b, sa, sb, valid, 1, c, flags);
    return;
  }
  if (F == FP8_DOT_EXACT) {   /* one scale pair per step (set-up): a common last bit */
    const dot_op ya = k->sa[sa[0] & k->qa], yb = k->sb[sb[0] & k->qb];
    const int lo = L + ya.ae + yb.ae - k->ms;
    i128 s = 0;
    for (int t = 0; t < nt; t++)
      s += v[t] * ((i128)1 << (x[t] - lo));
    if (s == 0 && c->cls == FP8_CLASS_ZERO)
      return;
    dot_c_from_code(d, dot_round_sum(f, &d->rc_acc, c->sign, c->sig, c->exp, s, lo, flags), c);
    return;
  }
  const int cae = c->sig ? c->exp + f->mbits : d->zexp;
  if (d->sp.fused && cae > emax)
    emax = cae;
  const int base = emax - F;   /* the window's last bit */
  i128 s = 0;
  /* the terms in units of 2^base: 64-bit lanes when they fit (narrow) */
#define WINDOW_SUM(T, SHIFT, MODE)                                                               \
  do {                                                                                           \
    T acc = 0;                                                                                   \
    for (int t = 0; t < nt; t++)                                                                 \
      acc += x[t] >= base ? (T)v[t] * ((T)1 << (x[t] - base)) : SHIFT((T)v[t], base - x[t], MODE); \
    s = acc;                                                                                     \
  } while (0)
  if (k->narrow && d->sp.term == FP8_DOT_RTZ)
    WINDOW_SUM(int64_t, dot_shift_round, FP8_DOT_RTZ);
  else if (k->narrow)
    WINDOW_SUM(int64_t, dot_shift_round, d->sp.term);
  else if (d->sp.term == FP8_DOT_RTZ)
    WINDOW_SUM(i128, shift_round128, FP8_DOT_RTZ);
  else
    WINDOW_SUM(i128, shift_round128, d->sp.term);
#undef WINDOW_SUM
  if (d->sp.fused) {
    if (c->sig) {
      i128 cv = c->sign ? -(i128)c->sig : (i128)c->sig;
      s += c->exp >= base ? cv * ((i128)1 << (c->exp - base)) : shift_round128(cv, base - c->exp, d->sp.term);
    }
    int neg = s < 0;
    dot_c_from_code(d, dot_round_wide(f, &d->rc_acc, neg, neg ? -(u128)s : (u128)s, base, flags), c);
    return;
  }
  if (s == 0 && c->cls == FP8_CLASS_ZERO)
    return;
  dot_c_from_code(d, dot_round_sum(f, &d->rc_acc, c->sign, c->sig, c->exp, s, base, flags), c);
}

/* A unit with the stage fed without scales: every product with scale 1. */
static void unscaled_step(fp8_dot *d, const void *a, const void *b, int wide, dot_c *c,
                          unsigned *flags)
{
  uint16_t x[FP8_DOT_MAX_N], y[FP8_DOT_MAX_N], sa[FP8_DOT_MAX_N], sb[FP8_DOT_MAX_N];
  for (int i = 0; i < d->sp.n; i++) {
    x[i] = (uint16_t)CODE(a, i, wide);
    y[i] = (uint16_t)CODE(b, i, wide);
    sa[i] = d->stage.one_a;
    sb[i] = d->stage.one_b;
  }
  dot_step_scaled(d, x, y, sa, sb, d->sp.n, c, flags);
}

ALWAYS_INLINE void step(fp8_dot *d, const void *a, const void *b, int wide, dot_c *c,
                        unsigned *flags)
{
  if (UNLIKELY(d->sp.kblock))
    unscaled_step(d, a, b, wide, c, flags);
  else if (d->sp.window == FP8_DOT_EXACT)
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
