/* dot_kernel.c - one step of the dot-product unit (dot.h's contract): the
 * windowed step on 64-bit integers, the exactly aligned step on __int128, and
 * the special-value path.  Every result goes through dot_round.c. */
#include "dot_internal.h"

#define ALWAYS_INLINE static inline __attribute__((always_inline))
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define CODE(p, i, wide) ((wide) ? ((const uint16_t *)(p))[i] : ((const uint8_t *)(p))[i])

/* v / 2^sh rounded to an integer (sh >= 0), v of at most 62 bits. */
ALWAYS_INLINE int64_t shift_round(int64_t v, int sh, fp8_dot_term_round mode)
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

/* The step with a special value among its terms (rare): NaN, Inf, 0 x Inf. */
static uint32_t special_step(fp8_dot *d, const void *a, const void *b, int wide, uint32_t c,
                             unsigned *flags)
{
  const fp8_format *f = &d->sp.acc.fmt;
  fp8_unpacked cu;
  fp8_codec_unpack(f, c, &cu);
  bool nan = cu.cls == FP8_CLASS_NAN, pinf = false, ninf = false;
  if (cu.cls == FP8_CLASS_INF)
    *(cu.sign ? &ninf : &pinf) = true;
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
  if (nan)
    return fp8_format_nan_code(f, 0);
  return fp8_format_inf_code(f, ninf);
}

ALWAYS_INLINE uint32_t window_step(fp8_dot *d, const void *a, const void *b, int wide, uint32_t c,
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
  fp8_unpacked cu;
  fp8_codec_unpack(f, c, &cu);
  if (UNLIKELY(special || cu.cls == FP8_CLASS_NAN || cu.cls == FP8_CLASS_INF))
    return special_step(d, a, b, wide, c, flags);
  int cae = cu.sig ? cu.exp + f->mbits : zexp;
  if (d->sp.fused && cae > emax)
    emax = cae;
  /* A product is sv * 2^(ae - mt); in units of 2^(emax - F) it is
   * sv * 2^(F - mt) / 2^(emax - ae): pre-shift left, then round right. */
  const int base = F - d->mt, pre = base > 0 ? base : 0, extra = base < 0 ? -base : 0;
  int64_t sum = 0;
  for (int i = 0; i < n; i++)
    sum += shift_round(sv[i] * ((int64_t)1 << pre), emax - ae[i] + extra, mode);
  if (d->sp.fused) {
    int cb = F - f->mbits;
    int64_t cv = (int64_t)cu.sig * ((int64_t)1 << (cb > 0 ? cb : 0));
    sum += shift_round(cu.sign ? -cv : cv, emax - cae + (cb < 0 ? -cb : 0), mode);
    int neg = sum < 0;
    return dot_round_wide(f, &d->rc_acc, neg, (unsigned __int128)(neg ? -(uint64_t)sum : (uint64_t)sum),
                          emax - F, flags);
  }
  if (sum == 0 && cu.cls == FP8_CLASS_ZERO)
    return 0;
  return dot_round_sum(f, &d->rc_acc, cu.sign, cu.sig, cu.exp, sum, emax - F, flags);
}

ALWAYS_INLINE uint32_t exact_step(fp8_dot *d, const void *a, const void *b, int wide, uint32_t c,
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
  const fp8_format *f = &d->sp.acc.fmt;
  fp8_unpacked cu;
  fp8_codec_unpack(f, c, &cu);
  if (UNLIKELY(special || cu.cls == FP8_CLASS_NAN || cu.cls == FP8_CLASS_INF))
    return special_step(d, a, b, wide, c, flags);
  if (s == 0 && cu.cls == FP8_CLASS_ZERO)
    return 0;
  return dot_round_sum(f, &d->rc_acc, cu.sign, cu.sig, cu.exp, s, L, flags);
}

ALWAYS_INLINE uint32_t step(fp8_dot *d, const void *a, const void *b, int wide, uint32_t c,
                            unsigned *flags)
{
  if (d->sp.window == FP8_DOT_EXACT)
    return exact_step(d, a, b, wide, c, flags);
  switch (d->sp.term) {
  case FP8_DOT_RTZ:
    return window_step(d, a, b, wide, c, flags, FP8_DOT_RTZ);
  case FP8_DOT_RDN:
    return window_step(d, a, b, wide, c, flags, FP8_DOT_RDN);
  default:
    return window_step(d, a, b, wide, c, flags, FP8_DOT_RNE);
  }
}

uint32_t dot_step_u8(fp8_dot *d, const uint8_t *a, const uint8_t *b, uint32_t c, unsigned *flags)
{
  return step(d, a, b, 0, c, flags);
}

uint32_t dot_step_u16(fp8_dot *d, const uint16_t *a, const uint16_t *b, uint32_t c, unsigned *flags)
{
  return step(d, a, b, 1, c, flags);
}
