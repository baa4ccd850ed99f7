/* dot.c - the dot-product unit: set-up (for any operands: per-tensor
 * formats and block formats are one description, block.h), the chain
 * (buffering a partial step with its scales, promotion), and readout.  The
 * steps are in dot_kernel.c. */
#include "dot_internal.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Codes as operands: value sv * 2^(ae - M), with an implicit 2^shift folded
 * into ae (element codes: 0; scale codes: the element's shift). */
static void fill_ops(const fp8_format *f, int shift, dot_op *t)
{
  uint32_t n = fp8_format_ncodes_minus1(f) + 1;
  for (uint32_t c = 0; c < n; c++) {
    fp8_unpacked u;
    fp8_codec_unpack(f, c, &u);
    t[c].sv = u.cls == FP8_CLASS_ZERO ? 0 : u.sign ? -(int32_t)u.sig : (int32_t)u.sig;
    t[c].ae = (int16_t)(u.exp + f->mbits + shift);
    t[c].special = u.cls == FP8_CLASS_INF || u.cls == FP8_CLASS_NAN;
  }
}

static int check_spec(const fp8_format *fa, const fp8_format *fb, const fp8_dot_spec *sp,
                      char *err, size_t errlen)
{
  if (sp->n < 1 || sp->n > FP8_DOT_MAX_N)
    return fp8_error_set(err, errlen, "unit: n = %d products per step (expected 1..%d)", sp->n, FP8_DOT_MAX_N);
  if (sp->window != FP8_DOT_EXACT && (sp->window < 0 || sp->window > FP8_DOT_MAX_WINDOW))
    return fp8_error_set(err, errlen, "unit: window = %d (expected exact or 0..%d)", sp->window,
                         FP8_DOT_MAX_WINDOW);
  if (sp->promote < 0)
    return fp8_error_set(err, errlen, "unit: promote = %d (expected >= 0)", sp->promote);
  if (sp->zero_exp < -30000 || sp->zero_exp > 30000)
    return fp8_error_set(err, errlen, "unit: zero exponent %d out of range (expected |E| <= 30000)", sp->zero_exp);
  if (sp->round != FP8_ROUND_RNE && sp->round != FP8_ROUND_RTZ)
    return fp8_error_set(err, errlen, "unit: the result rounds rne or rtz only");
  if (sp->kblock && sp->acc.kind == FP8_ACC_KULISCH)
    return fp8_error_set(err, errlen, "unit: a block-scale stage (kblock=%d) needs an FP accumulator, not "
                         "Kulisch", sp->kblock);
  if (sp->acc.kind == FP8_ACC_KULISCH) {
    if (sp->window != FP8_DOT_EXACT || sp->promote)
      return fp8_error_set(err, errlen, "unit: a Kulisch accumulator is exact: it takes window=exact and "
                           "promote=0 (got window %d, promote %d)", sp->window, sp->promote);
    int nb = fp8_facts_ceil_log2(sp->n);
    int fx = fp8_mac_product_bits(fa, fb);
    if (sp->acc.width && sp->acc.width < fx + nb)
      return fp8_error_set(err, errlen, "unit: a %d-bit Kulisch register cannot hold the sum of %d products "
                           "of %d bits (expected at least %d bits)", sp->acc.width, sp->n, fx, fx + nb);
    return 0;
  }
  if (sp->acc.ftz && !fp8_dot_spec_is_mac(sp))
    return fp8_error_set(err, errlen, "unit: ':ftz' applies to the per-step MAC only (n=1, exact, rne, "
                         "promote=0)");
  if (sp->acc.fmt.mbits + 1 > 24 || sp->acc.fmt.bits > 32)
    return fp8_error_set(err, errlen, "unit: accumulator %s has %d bits of precision (expected at most 24)",
                         sp->acc.fmt.name, sp->acc.fmt.mbits + 1);
  if (sp->window == FP8_DOT_EXACT && !fp8_dot_spec_is_mac(sp) && !sp->kblock) {   /* block: check_stage */
    int bits = fp8_mac_product_bits(fa, fb), nb = fp8_facts_ceil_log2(sp->n);
    if (bits + nb > 76)
      return fp8_error_set(err, errlen, "unit: %s x %s products need %d bits: too wide for exact alignment "
                           "of %d terms into an FP accumulator (at most 76 bits with carries; use a window)",
                           fa->name, fb->name, bits, sp->n);
  }
  if (sp->window != FP8_DOT_EXACT) {
    int nb = fp8_facts_ceil_log2(sp->n + 1);
    if (sp->window + 3 + nb > 62)
      return fp8_error_set(err, errlen, "unit: window %d with %d terms does not fit 64 bits (expected "
                           "window <= %d)", sp->window, sp->n, 59 - nb);
  }
  return 0;
}

/* The operands against the unit's block-scale stage: a unit without one
 * takes per-tensor operands, a unit with one block formats of its block
 * size; then the stage's own bounds (dot.h: group, exact window, the step's
 * 127-bit sum).  *bits, *vbits: the step's sum and a term before its shift
 * into the window, for the choice of 64-bit lanes. */
static int check_stage(const fp8_block_format *ba, const fp8_block_format *bb, const fp8_dot_spec *spec,
                       int *bits, int *vbits, char *err, size_t errlen)
{
  const int n = spec->n, B = spec->kblock, G = spec->group;
  char name[160];
  fp8_dot_spec_name(spec, name, sizeof name);
  if (B == 0) {
    if (!fp8_block_is_scaled(ba) && !fp8_block_is_scaled(bb))
      return 0;
    return fp8_error_set(err, errlen, "unit %s has no block-scale stage (kblock=0): block formats such as %s "
                         "need a block unit (blackwell-mxf8f6f4, blackwell-mxf4, blackwell-nvf4, mx-exact, "
                         "nvfp4-exact, or :kblock=B)", name, fp8_block_is_scaled(ba) ? ba->name : bb->name);
  }
  if (!fp8_block_is_scaled(ba) || !fp8_block_is_scaled(bb))
    return fp8_error_set(err, errlen, "unit %s has a block-scale stage (kblock=%d): it takes block formats such "
                         "as mxfp8_e4m3 or nvfp4, not %s", name, B, fp8_block_is_scaled(ba) ? bb->name : ba->name);
  if (ba->block != B || bb->block != B)
    return fp8_error_set(err, errlen, "unit %s scales every %d products, but %s has blocks of %d (expected the "
                         "same block size)", name, B, ba->block != B ? ba->name : bb->name,
                         ba->block != B ? ba->block : bb->block);
  if (G && (B % G || n % G))
    return fp8_error_set(err, errlen, "unit %s: group=%d must divide kblock=%d and n=%d", name, G, B, n);
  if (spec->window == FP8_DOT_EXACT && (n > B || B % n))
    return fp8_error_set(err, errlen, "unit %s: an exact window needs one scale pair per step (n=%d must "
                         "divide kblock=%d)", name, n, B);
  /* Bounds of the step's integer sum (dot.h's 127 bits, and dot_round_sum's
   * 76 when C is added after).  R: log2 of a term's magnitude / 2^ae. */
  const fp8_format *fa = &ba->elem, *fb = &bb->elem;
  const int sbits = ba->scale.mbits + 1 + bb->scale.mbits + 1;
  const int nt = G ? n / G : n, lgn = fp8_facts_ceil_log2(nt + 1);
  if (spec->window == FP8_DOT_EXACT) {
    *bits = fp8_mac_product_bits(fa, fb) + fp8_facts_ceil_log2(n) + sbits;
  } else {
    int R = G ? fp8_facts_ceil_log2(G * fp8_format_max(fa) * fp8_format_max(fb) * 4) + 1 : 4;
    *bits = spec->window + R + lgn + 1;
  }
  /* a term before its shift into the window: a product (or the sum of a
   * group's) times the scale significands */
  *vbits = fp8_mac_product_bits(fa, fb) + (G ? fp8_facts_ceil_log2(G) : 0) + sbits;
  const int most = spec->fused && spec->window != FP8_DOT_EXACT ? 126 : 75;
  if (*bits > most)
    return fp8_error_set(err, errlen, "unit %s: %s x %s terms need %d bits in a step (expected at most %d: "
                         "use a narrower window or smaller groups)", name, fa->name, fb->name, *bits, most);
  return 0;
}

fp8_dot *fp8_dot_alloc(const fp8_block_format *oa, const fp8_block_format *ob, const fp8_dot_spec *spec,
                       char *err, size_t errlen)
{
  if (!ob)
    ob = oa;
  const fp8_format *fa = &oa->elem, *fb = &ob->elem;
  int bits = 0, vbits = 0;
  if (fp8_facts_check_inputs(fa, fb, err, errlen) || check_stage(oa, ob, spec, &bits, &vbits, err, errlen) ||
      check_spec(fa, fb, spec, err, errlen))
    return NULL;
  fp8_dot *d = calloc(1, sizeof *d);
  if (!d) {
    fp8_error_set(err, errlen, "out of memory");
    return NULL;
  }
  d->sp = *spec;
  d->oa = *oa;
  d->ob = *ob;
  d->fa = *fa;
  d->fb = *fb;
  fp8_format_parse("fp32", &d->f32, NULL, 0);
  d->rc_acc = (fp8_rounding){.mode = spec->round, .overflow = FP8_OVERFLOW_NONSAT};
  d->rc_f32 = (fp8_rounding){.mode = FP8_ROUND_RNE, .overflow = FP8_OVERFLOW_NONSAT};
  d->zexp = (int16_t)(spec->zero_exp < -32768 ? -32768 : spec->zero_exp);
  d->mt = fa->mbits + fb->mbits;
  d->acc_emin = fp8_format_emin(&spec->acc.fmt);
  d->acc_emax = fp8_format_emax(&spec->acc.fmt);
  d->lsb = fp8_mac_product_lsb_exp(fa, fb);
  if (spec->acc.kind == FP8_ACC_KULISCH || fp8_dot_spec_is_mac(spec)) {
    d->mac = fp8_mac_alloc(fa, fb, &spec->acc, err, errlen);
    if (!d->mac) {
      free(d);
      return NULL;
    }
    d->sp.acc = *fp8_mac_acc(d->mac);
    return d;
  }
  /* One allocation: the operand tables, the step's buffer, and with the
   * stage the scale tables and the buffer's scales. */
  const bool scaled = spec->kblock > 0;
  size_t na = (size_t)fp8_format_ncodes_minus1(fa) + 1, nb = (size_t)fp8_format_ncodes_minus1(fb) + 1;
  size_t za = scaled ? (size_t)fp8_format_ncodes_minus1(&oa->scale) + 1 : 0;
  size_t zb = scaled ? (size_t)fp8_format_ncodes_minus1(&ob->scale) + 1 : 0;
  size_t bytes = (na + nb + za + zb) * sizeof(dot_op) + (scaled ? 4 : 2) * (size_t)spec->n * sizeof(uint16_t);
  char *p = d->mem = malloc(bytes);
  if (!p) {
    fp8_error_set(err, errlen, "out of memory");
    free(d);
    return NULL;
  }
  d->ta = (dot_op *)p;
  d->tb = d->ta + na;
  dot_op *ts = d->tb + nb;
  d->pa = (uint16_t *)(ts + za + zb);
  d->pb = d->pa + spec->n;
  fill_ops(fa, 0, d->ta);
  fill_ops(fb, 0, d->tb);
  if (scaled) {
    dot_stage *k = &d->stage;
    k->sa = ts;
    k->sb = ts + za;
    k->psa = d->pb + spec->n;
    k->psb = k->psa + spec->n;
    fill_ops(&oa->scale, oa->shift, k->sa);
    fill_ops(&ob->scale, ob->shift, k->sb);
    k->qa = fp8_format_ncodes_minus1(&oa->scale);
    k->qb = fp8_format_ncodes_minus1(&ob->scale);
    k->ms = oa->scale.mbits + ob->scale.mbits;
    k->narrow = spec->window != FP8_DOT_EXACT && bits <= 62 && vbits <= 62;
    k->one_a = (uint16_t)fp8_codec_encode(&oa->scale, ldexp(1.0, -oa->shift), NULL, NULL);
    k->one_b = (uint16_t)fp8_codec_encode(&ob->scale, ldexp(1.0, -ob->shift), NULL, NULL);
  }
  /* 32-bit lanes: |a*b| < 2^(mt+2), so a term is < 2^(F+2) and n + 1 of them
   * (C included) stay below 2^31; operands fit int16 (<= 16-bit formats). */
  const int lg = fp8_facts_ceil_log2(spec->n + 1);
  d->fast32 = spec->window != FP8_DOT_EXACT && spec->term == FP8_DOT_RTZ && spec->window + 2 + lg <= 30 &&
              !scaled;
  return d;
}

void fp8_dot_free(fp8_dot *d)
{
  if (!d)
    return;
  fp8_mac_free(d->mac);
  free(d->mem);
  free(d);
}

const fp8_dot_spec *fp8_dot_spec_of(const fp8_dot *d) { return &d->sp; }

void fp8_dot_clear(fp8_dot *d)
{
  if (d->mac)
    fp8_mac_clear(d->mac);
  d->c = (dot_c){FP8_CLASS_ZERO, 0, 0, 0};
  d->p = 0;
  d->flags = 0;
  d->since = d->pending = 0;
  d->stage.pos = 0;
}

/* P <- round_fp32(P + C), C <- +0. */
static void promote(fp8_dot *d)
{
  uint32_t code;
  if (!dot_special_add(&d->f32, d->p, &d->sp.acc.fmt, dot_c_to_code(d, &d->c), &code, &d->flags)) {
    fp8_unpacked p;
    fp8_codec_unpack(&d->f32, d->p, &p);
    code = dot_round_sum(&d->f32, &d->rc_f32, p.sign, p.sig, p.exp,
                         d->c.sign ? -(__int128)d->c.sig : (__int128)d->c.sig, d->c.exp, &d->flags);
  }
  d->p = code;
  d->c = (dot_c){FP8_CLASS_ZERO, 0, 0, 0};
  d->since = 0;
}

void dot_after_step(fp8_dot *d)
{
  if (d->sp.promote && ++d->since == d->sp.promote)
    promote(d);
}

/* Buffer one product with its scales (a unit with the stage); a full buffer
 * is a step. */
static inline void feed(fp8_dot *d, uint16_t a, uint16_t b, uint16_t sa, uint16_t sb)
{
  dot_stage *k = &d->stage;
  d->pa[d->pending] = a;
  d->pb[d->pending] = b;
  k->psa[d->pending] = sa;
  k->psb[d->pending] = sb;
  if (++d->pending == d->sp.n) {
    dot_step_scaled(d, d->pa, d->pb, k->psa, k->psb, d->sp.n, &d->c, &d->flags);
    d->pending = 0;
    dot_after_step(d);
  }
}

int fp8_dot_push_block(fp8_dot *d, const uint16_t *a, const uint16_t *b, const uint16_t *sa,
                       const uint16_t *sb, size_t len)
{
  dot_stage *k = &d->stage;
  if (!d->sp.kblock)
    return -1;
  const size_t B = (size_t)d->sp.kblock, first = k->pos / B;
  for (size_t i = 0; i < len; i++) {
    size_t j = (k->pos + i) / B - first;
    feed(d, a[i], b[i], sa[j], sb[j]);
  }
  k->pos += len;
  return 0;
}

/* fp8_dot_push_u8/u16 on a unit with the stage: every product with scale 1. */
static void push_unscaled(fp8_dot *d, const void *a, const void *b, size_t len, int wide)
{
  dot_stage *k = &d->stage;
  for (size_t i = 0; i < len; i++)
    feed(d, wide ? ((const uint16_t *)a)[i] : ((const uint8_t *)a)[i],
         wide ? ((const uint16_t *)b)[i] : ((const uint8_t *)b)[i], k->one_a, k->one_b);
  k->pos += len;
}

/* One chain's feed; the MAC case runs mac.h's batch kernel. */
#define PUSH(NAME, T, STEP, BATCH)                                                   \
  void NAME(fp8_dot *d, const T *a, const T *b, size_t len)                          \
  {                                                                                  \
    if (d->mac) {                                                                    \
      BATCH(d->mac, a, b, len);                                                      \
      return;                                                                        \
    }                                                                                \
    if (d->sp.kblock) {                                                              \
      push_unscaled(d, a, b, len, sizeof(T) == 2);                                   \
      return;                                                                        \
    }                                                                                \
    const size_t n = (size_t)d->sp.n;                                                \
    size_t i = 0;                                                                    \
    while (i < len) {                                                                \
      if (d->pending == 0 && len - i >= n) {                                         \
        STEP(d, a + i, b + i, &d->c, &d->flags);                                     \
        dot_after_step(d);                                                           \
        i += n;                                                                      \
        continue;                                                                    \
      }                                                                              \
      d->pa[d->pending] = a[i];                                                      \
      d->pb[d->pending] = b[i];                                                      \
      i++;                                                                           \
      if (++d->pending == (int)n) {                                                  \
        dot_step_u16(d, d->pa, d->pb, &d->c, &d->flags);                             \
        d->pending = 0;                                                              \
        dot_after_step(d);                                                           \
      }                                                                              \
    }                                                                                \
  }

PUSH(fp8_dot_push_u8, uint8_t, dot_step_u8, fp8_mac_batch_u8)
PUSH(fp8_dot_push_u16, uint16_t, dot_step_u16, fp8_mac_batch_u16)

/* A Kulisch step (dot.h): the n exact products (mac.h's fp8_mac_product) in
 * units of the product LSB 2^L summed into S (|S| < 2^(W-1): check_spec),
 * then acc + S modulo 2^W with the step's wrap; NaN / Inf products set
 * mac.h's flags (their addend is zero), and NaN once +Inf and -Inf are both
 * among the incoming and the new flags. */
static uint32_t kulisch_step(fp8_dot *d, const uint16_t *x, const uint16_t *y, uint32_t c,
                             unsigned *flags)
{
  const int w = d->sp.acc.width;
  if (w > 32)
    return c;
  const int64_t half = (int64_t)1 << (w - 1), mask = 2 * half - 1;
  int64_t s = 0;
  /* the incoming flags take part in the NaN rule, as the RTL's register does */
  unsigned fl = fp8_mac_special_flags(flags ? *flags : 0, NULL);
  for (int i = 0; i < d->sp.n; i++) {
    fp8_product p;
    fp8_mac_product(&d->fa, x[i], &d->fb, y[i], &p);
    if (p.cls >= FP8_CLASS_INF)
      fl = fp8_mac_special_flags(fl, &p);
    else if (p.sig) {
      int64_t m = (int64_t)(p.sig << (p.exp - d->lsb));
      s += p.sign ? -m : m;
    }
  }
  int64_t acc = (int64_t)(c & (uint64_t)mask);
  acc = acc >= half ? acc - 2 * half : acc;
  int64_t r = acc + s;
  if (r < -half || r >= half)
    fl |= FP8_MAC_WRAP;
  if (flags)
    *flags = fl;
  return (uint32_t)(r & mask);
}

uint32_t fp8_dot_step(fp8_dot *d, const uint32_t *a, const uint32_t *b, uint32_t c, unsigned *flags)
{
  uint16_t x[FP8_DOT_MAX_N], y[FP8_DOT_MAX_N];
  unsigned fl = 0;
  for (int i = 0; i < d->sp.n; i++) {
    x[i] = (uint16_t)(a[i] & fp8_format_ncodes_minus1(&d->fa));
    y[i] = (uint16_t)(b[i] & fp8_format_ncodes_minus1(&d->fb));
  }
  if (d->mac) {                       /* the MAC: mac.h's step from state c */
    if (d->sp.acc.kind == FP8_ACC_KULISCH)
      return kulisch_step(d, x, y, c, flags);
    fp8_mac_state st, keep;
    fp8_mac_get_state(d->mac, &keep);
    memset(&st, 0, sizeof st);
    st.acc[0] = c & fp8_format_ncodes_minus1(&d->sp.acc.fmt);
    fp8_mac_set_state(d->mac, &st, NULL, 0);
    fp8_mac_step(d->mac, x[0], y[0]);
    fp8_mac_get_state(d->mac, &st);
    fp8_mac_set_state(d->mac, &keep, NULL, 0);
    if (flags)
      *flags |= st.flags;
    return (uint32_t)st.acc[0];
  }
  dot_c cv;
  dot_c_from_code(d, c & fp8_format_ncodes_minus1(&d->sp.acc.fmt), &cv);
  dot_step_u16(d, x, y, &cv, &fl);
  if (flags)
    *flags |= fl;
  return dot_c_to_code(d, &cv);
}

/* The chain as if it ended here: the final C and P. */
static void finish(const fp8_dot *d, fp8_dot *t)
{
  *t = *d;
  uint16_t x[FP8_DOT_MAX_N], y[FP8_DOT_MAX_N];
  if (t->pending && t->sp.kblock) {   /* absent products: no term, no scale */
    dot_step_scaled(t, d->pa, d->pb, d->stage.psa, d->stage.psb, d->pending, &t->c, &t->flags);
    t->pending = 0;
    t->since++;
  } else if (t->pending) {
    memcpy(x, d->pa, (size_t)d->pending * sizeof *x);
    memcpy(y, d->pb, (size_t)d->pending * sizeof *y);
    memset(x + d->pending, 0, (size_t)(d->sp.n - d->pending) * sizeof *x);  /* code 0 is a zero */
    memset(y + d->pending, 0, (size_t)(d->sp.n - d->pending) * sizeof *y);
    dot_step_u16(t, x, y, &t->c, &t->flags);
    t->pending = 0;
    t->since++;
  }
  if (t->sp.promote && t->since)
    promote(t);
}

uint32_t fp8_dot_result_f32(const fp8_dot *d, unsigned *flags)
{
  if (d->mac) {
    unsigned fl = 0;
    uint32_t r = fp8_mac_round(d->mac, &d->f32, &d->rc_f32, &fl);
    if (flags)
      *flags |= fl;
    return r;
  }
  fp8_dot t;
  finish(d, &t);
  if (flags)
    *flags |= t.flags;
  if (t.sp.promote)
    return fp8_codec_classify(&t.f32, t.p) == FP8_CLASS_NAN ? FP8_DOT_NAN_F32 : t.p;
  if (t.c.cls == FP8_CLASS_NAN)
    return FP8_DOT_NAN_F32;
  if (t.c.cls == FP8_CLASS_INF)
    return fp8_format_inf_code(&t.f32, t.c.sign);
  return dot_round_wide(&t.f32, &t.rc_f32, t.c.sign, t.c.sig, t.c.exp, flags);
}

double fp8_dot_value(const fp8_dot *d)
{
  if (d->mac)
    return fp8_mac_value(d->mac);
  if (d->sp.promote)
    return fp8_codec_decode(&d->f32, fp8_dot_result_f32(d, NULL));
  fp8_dot t;
  finish(d, &t);
  return fp8_codec_decode(&t.sp.acc.fmt, dot_c_to_code(&t, &t.c));
}
