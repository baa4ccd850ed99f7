/* dot_block.c - the block-scale stage of the dot-product unit (dot.h, "The
 * block-scale stage"): set-up for block formats, the chain fed with scale
 * codes, and the step whose terms are scaled products (group = product) or
 * scaled exact sums of G products.  Every result goes through dot_round.c
 * (fp8_round_pack, the one rounding point). */
#include "dot_internal.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef __int128 i128;
typedef unsigned __int128 u128;

struct dot_blk {
  fp8_block_format ba, bb;
  dot_op *sa, *sb;            /* scale codes: signed significand, ae + the element shift, special */
  uint32_t qa, qb;            /* scale code masks */
  int ms;                     /* M_ZA + M_ZB: a scale pair's value is sa.sv * sb.sv * 2^(aeA + aeB - ms) */
  uint16_t one_a, one_b;      /* the scale codes of X = 1 (fp8_dot_push_u8/u16) */
  uint16_t *psa, *psb;        /* the scale of each buffered product (d->pa, d->pb) */
  size_t pos;                 /* products fed since the chain was cleared */
  bool narrow;                /* windowed, every term and the step's sum fit 62 bits: int64 sums */
};

static int lg2ceil(double x)
{
  int e = 0;
  while (ldexp(1.0, e) < x)
    e++;
  return e;
}

/* Scale codes as operands: X = sv * 2^(ae - M_Z), the element's 2^shift
 * folded into ae. */
static void fill_scales(const fp8_format *z, int shift, dot_op *t)
{
  uint32_t n = fp8_format_ncodes_minus1(z) + 1;
  for (uint32_t c = 0; c < n; c++) {
    fp8_unpacked u;
    fp8_codec_unpack(z, c, &u);
    t[c].sv = u.sign ? -(int32_t)u.sig : (int32_t)u.sig;
    t[c].ae = (int16_t)(u.exp + z->mbits + shift);
    t[c].special = u.cls == FP8_CLASS_INF || u.cls == FP8_CLASS_NAN;
    if (u.cls == FP8_CLASS_ZERO)
      t[c].sv = 0;
  }
}

void dot_block_free(struct dot_blk *b)
{
  if (!b)
    return;
  free(b->sa);
  free(b->sb);
  free(b->psa);
  free(b->psb);
  free(b);
}

void dot_block_clear(fp8_dot *d) { d->blk->pos = 0; }

fp8_dot *fp8_dot_alloc_block(const fp8_block_format *ba, const fp8_block_format *bb,
                             const fp8_dot_spec *spec, char *err, size_t errlen)
{
  if (!bb)
    bb = ba;
  const int n = spec->n, B = spec->kblock, G = spec->group;
  char name[160];
  fp8_dot_spec_name(spec, name, sizeof name);
  if (B == 0) {
    fp8_error_set(err, errlen, "unit %s has no block-scale stage (kblock=0): block formats such as %s need a "
                  "block unit (blackwell-mxf8f6f4, blackwell-mxf4, blackwell-nvf4, mx-exact, nvfp4-exact, "
                  "or :kblock=B)", name, ba->name);
    return NULL;
  }
  if (ba->block != B || bb->block != B) {
    fp8_error_set(err, errlen, "unit %s scales every %d products, but %s has blocks of %d (expected the "
                  "same block size)", name, B, ba->block != B ? ba->name : bb->name,
                  ba->block != B ? ba->block : bb->block);
    return NULL;
  }
  if (G && (B % G || n % G)) {
    fp8_error_set(err, errlen, "unit %s: group=%d must divide kblock=%d and n=%d", name, G, B, n);
    return NULL;
  }
  if (spec->window == FP8_DOT_EXACT && (n > B || B % n)) {
    fp8_error_set(err, errlen, "unit %s: an exact window needs one scale pair per step (n=%d must divide "
                  "kblock=%d)", name, n, B);
    return NULL;
  }
  /* Bounds of the step's integer sum (dot.h's 127 bits, and dot_round_sum's
   * 76 when C is added after).  R: log2 of a term's magnitude / 2^ae. */
  const fp8_format *fa = &ba->elem, *fb = &bb->elem;
  const int sbits = ba->scale.mbits + 1 + bb->scale.mbits + 1;
  int nt = G ? n / G : n, lgn = lg2ceil(nt + 1), bits;
  if (spec->window == FP8_DOT_EXACT) {
    bits = fp8_mac_product_bits(fa, fb) + lg2ceil(n) + sbits;
  } else {
    int R = G ? lg2ceil(G * fp8_format_max(fa) * fp8_format_max(fb) * 4) + 1 : 4;
    bits = spec->window + R + lgn + 1;
  }
  /* a term before its shift into the window: a product (or the sum of a
   * group's) times the scale significands */
  const int vbits = fp8_mac_product_bits(fa, fb) + (G ? lg2ceil(G) : 0) + sbits;
  if (bits > (spec->fused && spec->window != FP8_DOT_EXACT ? 126 : 75)) {
    fp8_error_set(err, errlen, "unit %s: %s x %s terms need %d bits in a step (expected at most %d: use a "
                  "narrower window or smaller groups)", name, fa->name, fb->name, bits,
                  spec->fused && spec->window != FP8_DOT_EXACT ? 126 : 75);
    return NULL;
  }
  fp8_dot *d = dot_alloc(fa, fb, spec, err, errlen);
  if (!d)
    return NULL;
  struct dot_blk *k = calloc(1, sizeof *k);
  size_t za = (size_t)fp8_format_ncodes_minus1(&ba->scale) + 1, zb = (size_t)fp8_format_ncodes_minus1(&bb->scale) + 1;
  if (k) {
    k->sa = malloc(za * sizeof *k->sa);
    k->sb = malloc(zb * sizeof *k->sb);
    k->psa = malloc((size_t)n * sizeof *k->psa);
    k->psb = malloc((size_t)n * sizeof *k->psb);
  }
  d->blk = k;
  if (!k || !k->sa || !k->sb || !k->psa || !k->psb) {
    fp8_dot_free(d);
    fp8_error_set(err, errlen, "out of memory");
    return NULL;
  }
  k->ba = *ba;
  k->bb = *bb;
  fill_scales(&ba->scale, ba->shift, k->sa);
  fill_scales(&bb->scale, bb->shift, k->sb);
  k->qa = fp8_format_ncodes_minus1(&ba->scale);
  k->qb = fp8_format_ncodes_minus1(&bb->scale);
  k->ms = ba->scale.mbits + bb->scale.mbits;
  k->narrow = spec->window != FP8_DOT_EXACT && bits <= 62 && vbits <= 62;
  k->one_a = (uint16_t)fp8_codec_encode(&ba->scale, ldexp(1.0, -ba->shift), NULL, NULL);
  k->one_b = (uint16_t)fp8_codec_encode(&bb->scale, ldexp(1.0, -bb->shift), NULL, NULL);
  return d;
}

/* v / 2^sh rounded to an integer (sh >= 1), as dot_kernel.c's shift_round. */
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

/* A step with an Inf or NaN among its factors (elements, scales) or in C. */
static void special_step(fp8_dot *d, const uint16_t *a, const uint16_t *b, const uint16_t *sa,
                         const uint16_t *sb, int valid, dot_c *c, unsigned *flags)
{
  const struct dot_blk *k = d->blk;
  bool nan = c->cls == FP8_CLASS_NAN, pinf = false, ninf = false;
  if (c->cls == FP8_CLASS_INF)
    *(c->sign ? &ninf : &pinf) = true;
  for (int i = 0; i < valid; i++) {
    const fp8_format *f[4] = {&d->fa, &d->fb, &k->ba.scale, &k->bb.scale};
    const uint32_t code[4] = {a[i], b[i], sa[i], sb[i]};
    bool fn = false, fi = false, fz = false;
    int sign = 0;
    for (int j = 0; j < 4; j++) {
      fp8_unpacked u;
      fp8_codec_unpack(f[j], code[j] & fp8_format_ncodes_minus1(f[j]), &u);
      fn |= u.cls == FP8_CLASS_NAN;
      fi |= u.cls == FP8_CLASS_INF;
      fz |= u.cls == FP8_CLASS_ZERO;
      sign ^= u.sign;
    }
    if (!fn && fi && fz)
      *flags |= FP8_DOT_INVALID;
    if (fn || (fi && fz))
      nan = true;
    else if (fi)
      *(sign ? &ninf : &pinf) = true;
  }
  if (!nan && pinf && ninf) {
    nan = true;
    *flags |= FP8_DOT_INVALID;
  }
  *c = (dot_c){nan ? FP8_CLASS_NAN : FP8_CLASS_INF, nan ? 0 : ninf, 0, 0};
}

/* One step on valid (1..n) products with their per-product scale codes; the
 * rest of the step is absent (no term, no scale). */
static void block_step(fp8_dot *d, const uint16_t *a, const uint16_t *b, const uint16_t *sa,
                       const uint16_t *sb, int valid, dot_c *c, unsigned *flags)
{
  const struct dot_blk *k = d->blk;
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
    special_step(d, a, b, sa, sb, valid, c, flags);
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

/* Buffer one product with its scales; a full buffer is a step. */
static inline void feed(fp8_dot *d, uint16_t a, uint16_t b, uint16_t sa, uint16_t sb)
{
  struct dot_blk *k = d->blk;
  d->pa[d->pending] = a;
  d->pb[d->pending] = b;
  k->psa[d->pending] = sa;
  k->psb[d->pending] = sb;
  if (++d->pending == d->sp.n) {
    block_step(d, d->pa, d->pb, k->psa, k->psb, d->sp.n, &d->c, &d->flags);
    d->pending = 0;
    dot_after_step(d);
  }
}

int fp8_dot_push_block(fp8_dot *d, const uint16_t *a, const uint16_t *b, const uint16_t *sa,
                       const uint16_t *sb, size_t len)
{
  struct dot_blk *k = d->blk;
  if (!k)
    return -1;
  const size_t B = (size_t)d->sp.kblock, first = k->pos / B;
  for (size_t i = 0; i < len; i++) {
    size_t j = (k->pos + i) / B - first;
    feed(d, a[i], b[i], sa[j], sb[j]);
  }
  k->pos += len;
  return 0;
}

void dot_block_push_unscaled(fp8_dot *d, const void *a, const void *b, size_t len, int wide)
{
  struct dot_blk *k = d->blk;
  for (size_t i = 0; i < len; i++)
    feed(d, wide ? ((const uint16_t *)a)[i] : ((const uint8_t *)a)[i],
         wide ? ((const uint16_t *)b)[i] : ((const uint8_t *)b)[i], k->one_a, k->one_b);
  k->pos += len;
}

void dot_block_finish(fp8_dot *d)
{
  block_step(d, d->pa, d->pb, d->blk->psa, d->blk->psb, d->pending, &d->c, &d->flags);
  d->pending = 0;
  d->since++;
}

uint32_t dot_block_step_code(fp8_dot *d, const uint16_t *a, const uint16_t *b, uint32_t c, unsigned *flags)
{
  uint16_t sa[FP8_DOT_MAX_N], sb[FP8_DOT_MAX_N];
  for (int i = 0; i < d->sp.n; i++) {
    sa[i] = d->blk->one_a;
    sb[i] = d->blk->one_b;
  }
  unsigned fl = 0;
  dot_c cv;
  dot_c_from_code(d, c, &cv);
  block_step(d, a, b, sa, sb, d->sp.n, &cv, &fl);
  if (flags)
    *flags |= fl;
  return dot_c_to_code(d, &cv);
}
