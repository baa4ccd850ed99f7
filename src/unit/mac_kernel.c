/* mac_kernel.c - the step: Kulisch (one word, __int128, or words) and the
 * floating-point accumulator.  fp8_mac_step and the batch calls run the same
 * inlined kernels, so a batch is bit-identical to single steps by construction. */
#include "mac_internal.h"

#define ALWAYS_INLINE static inline __attribute__((always_inline))
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

/* Code i of an operand array: wide = 1 for uint16_t, 0 for uint8_t. */
#define CODE(p, i, wide) ((wide) ? ((const uint16_t *)(p))[i] : ((const uint8_t *)(p))[i])

static void special_step(fp8_mac *m, uint32_t x, uint32_t y, unsigned *flags)
{
  fp8_product p;
  fp8_mac_product(&m->fa, x, &m->fb, y, &p);
  *flags = fp8_mac_special_flags(*flags, &p);
}

/* ---- Kulisch ------------------------------------------------------------------
 * Each kernel holds acc sign-extended in a wider integer, adds the exact
 * product (ka * kb: the operands in units of their LSBs, so the product is in
 * units of 2^L), and wraps back to W bits.  A sum out of the W-bit range makes
 * (s + 2^(W-1)) >> W nonzero: ORing those over the run gives the WRAP flag
 * without a branch. */

ALWAYS_INLINE void kulisch64(fp8_mac *m, const void *a, const void *b, size_t n, int wide,
                             uint32_t ma, uint32_t mb)
{
  const int w = m->acc.width, sh = 64 - w;
  const uint64_t half = 1ull << (w - 1);
  const int64_t *ka = m->ka, *kb = m->kb;
  const uint8_t *spa = m->spa, *spb = m->spb;
  int64_t acc = (int64_t)(m->st.acc[0] << sh) >> sh;
  uint64_t out = 0;
  unsigned flags = m->st.flags;
  for (size_t i = 0; i < n; i++) {
    uint32_t x = CODE(a, i, wide) & ma, y = CODE(b, i, wide) & mb;
    if (UNLIKELY(spa[x] | spb[y])) {
      special_step(m, x, y, &flags);
      continue;
    }
    int64_t s = acc + ka[x] * kb[y];
    out |= (uint64_t)s + half;
    acc = (int64_t)((uint64_t)s << sh) >> sh;
  }
  if (out >> w)
    flags |= FP8_MAC_WRAP;
  m->st.acc[0] = (uint64_t)acc & (~0ull >> sh);
  m->st.flags = flags;
}

ALWAYS_INLINE void kulisch128(fp8_mac *m, const void *a, const void *b, size_t n, int wide,
                              uint32_t ma, uint32_t mb)
{
  typedef unsigned __int128 u128;
  const int w = m->acc.width, sh = 128 - w;
  const u128 half = (u128)1 << (w - 1);
  const int64_t *ka = m->ka, *kb = m->kb;
  const uint8_t *spa = m->spa, *spb = m->spb;
  __int128 acc = (__int128)(((u128)m->st.acc[1] << 64 | m->st.acc[0]) << sh) >> sh;
  u128 out = 0;
  unsigned flags = m->st.flags;
  for (size_t i = 0; i < n; i++) {
    uint32_t x = CODE(a, i, wide) & ma, y = CODE(b, i, wide) & mb;
    if (UNLIKELY(spa[x] | spb[y])) {
      special_step(m, x, y, &flags);
      continue;
    }
    __int128 s = acc + (__int128)ka[x] * kb[y];
    out |= (u128)s + half;
    acc = (__int128)((u128)s << sh) >> sh;
  }
  if (out >> w)
    flags |= FP8_MAC_WRAP;
  u128 v = (u128)acc & (~(u128)0 >> sh);
  m->st.acc[0] = (uint64_t)v;
  m->st.acc[1] = (uint64_t)(v >> 64);
  m->st.flags = flags;
}

/* Widths above 126 bits: the state's words, sign-extended on the fly. */
static void kulisch_words_add(fp8_mac *m, __int128 p)
{
  const int w = m->acc.width;
  uint64_t *acc = m->st.acc;
  int top = (w - 1) / 64, bit = (w - 1) % 64;
  uint64_t ext = (acc[top] >> bit & 1) ? ~0ull : 0;  /* acc's sign, extended */
  uint64_t add[FP8_MAC_WORDS], sum[FP8_MAC_WORDS];
  uint64_t pext = p < 0 ? ~0ull : 0;
  add[0] = (uint64_t)p;
  add[1] = (uint64_t)((unsigned __int128)p >> 64);
  for (int i = 2; i < FP8_MAC_WORDS; i++)
    add[i] = pext;
  unsigned carry = 0;
  for (int i = 0; i < FP8_MAC_WORDS; i++) {
    uint64_t x = acc[i];
    if (i == top && bit < 63)
      x |= ext << (bit + 1);
    else if (i > top)
      x = ext;
    uint64_t s = x + add[i];
    unsigned c1 = s < x;
    sum[i] = s + carry;
    carry = c1 | (sum[i] < s);
  }
  /* The exact sum has 257 bits at most; it is in range iff bits W-1 .. 255
   * all equal and (for W = 256) the add did not overflow signed. */
  int in_range;
  if (w == FP8_MAC_KULISCH_MAX_BITS) {
    int sa = (int)(ext & 1), sp = p < 0, sr = (int)(sum[FP8_MAC_WORDS - 1] >> 63);
    in_range = !(sa == sp && sr != sa);
  } else {
    uint64_t sign = (sum[top] >> bit & 1) ? ~0ull : 0;
    in_range = 1;
    for (int i = top; i < FP8_MAC_WORDS; i++) {
      uint64_t mask = i == top ? ~0ull << bit : ~0ull;
      if ((sum[i] & mask) != (sign & mask))
        in_range = 0;
    }
  }
  if (!in_range)
    m->st.flags |= FP8_MAC_WRAP;
  for (int i = 0; i < FP8_MAC_WORDS; i++) {
    uint64_t keep = w >= 64 * (i + 1) ? ~0ull : w <= 64 * i ? 0 : ~0ull >> (64 - (w - 64 * i));
    acc[i] = sum[i] & keep;
  }
}

ALWAYS_INLINE void kulisch_words(fp8_mac *m, const void *a, const void *b, size_t n, int wide,
                                 uint32_t ma, uint32_t mb)
{
  for (size_t i = 0; i < n; i++) {
    uint32_t x = CODE(a, i, wide) & ma, y = CODE(b, i, wide) & mb;
    if (UNLIKELY(m->spa[x] | m->spb[y]))
      special_step(m, x, y, &m->st.flags);
    else
      kulisch_words_add(m, (__int128)m->ka[x] * m->kb[y]);
  }
}

/* ---- floating-point accumulator ---------------------------------------------- */

static uint32_t fp_zero(const fp8_format *f, int sign)
{
  return sign ? fp8_format_sign_bit(f) : 0;
}

/* round((-1)^sign * sig * 2^exp) into the accumulator format, sig != 0 (bit 0
 * may be a sticky bit), with the flush-to-zero rule of mac.h. */
static uint32_t fp_round(fp8_mac *m, int sign, uint64_t sig, int exp, unsigned *flags)
{
  const fp8_format *f = &m->acc.fmt;
  if (m->acc.ftz && exp + 63 - __builtin_clzll(sig) < fp8_format_emin(f)) {
    *flags |= FP8_MAC_INEXACT | FP8_MAC_UNDERFLOW;
    return fp_zero(f, sign);
  }
  return fp8_round_pack(f, sign, sig, exp, &m->rc, flags);
}

/* The exact sum of two nonzero finite values (significands of at most 48
 * bits), aligned in 64 bits with the larger leading bit at bit 61, the
 * smaller's dropped bits ORed into bit 0.  Dropping happens only when the
 * leading bits are more than 14 apart; the sum then keeps its leading bit at
 * 60 or 61, so the rounding point (at most 24 bits) lies >= 36 bits above the
 * sticky bit and sees the same value as the exact sum would give it. */
static uint32_t fp_add(fp8_mac *m, int sx, uint64_t mx, int ex, int sy, uint64_t my, int ey,
                       unsigned *flags)
{
  int tx = ex + 63 - __builtin_clzll(mx), ty = ey + 63 - __builtin_clzll(my);
  if (ty > tx) {
    int ts = sx; sx = sy; sy = ts;
    uint64_t tm = mx; mx = my; my = tm;
    int te = ex; ex = ey; ey = te;
    tx = ty;
  }
  int e0 = tx - 61;
  uint64_t X = mx << (ex - e0), Y;
  int d = ey - e0;
  if (d >= 0)
    Y = my << d;
  else if (d > -64)
    Y = (my >> -d) | ((my << (64 + d)) != 0);
  else
    Y = 1;
  uint64_t r;
  int s = sx;
  if (sx == sy) {
    r = X + Y;
  } else if (X >= Y) {
    r = X - Y;
  } else {
    r = Y - X;
    s = sy;
  }
  if (r == 0)
    return 0;           /* x + (-x) = +0 under RNE */
  return fp_round(m, s, r, e0, flags);
}

ALWAYS_INLINE void fp_step(fp8_mac *m, uint32_t x, uint32_t y)
{
  const fp8_format *f = &m->acc.fmt;
  const fp8_unpacked *pa = &m->ua[x], *pb = &m->ub[y];
  uint32_t code = (uint32_t)m->st.acc[0];
  unsigned flags = m->st.flags;
  fp8_product p;
  if (pa->sig && pb->sig) {
    p.cls = FP8_CLASS_NORMAL;
    p.invalid = 0;
    p.sign = pa->sign ^ pb->sign;
    p.sig = (uint64_t)pa->sig * pb->sig;
    p.exp = pa->exp + pb->exp;
  } else {
    fp8_mac_product(&m->fa, x, &m->fb, y, &p);
  }
  fp8_unpacked c;
  fp8_codec_unpack(f, code, &c);
  if (UNLIKELY(p.invalid))
    flags |= FP8_MAC_INVALID;
  if (UNLIKELY(c.cls >= FP8_CLASS_INF || p.cls >= FP8_CLASS_INF)) {
    fp8_special_sum s = {false, false, false};
    fp8_facts_sum_term(&s, c.cls, c.sign);
    fp8_facts_sum_term(&s, p.cls, p.sign);
    int sign, invalid;
    fp8_class r = fp8_facts_sum_class(&s, &sign, &invalid);
    if (invalid)
      flags |= FP8_MAC_INVALID;
    code = r == FP8_CLASS_NAN ? fp8_format_nan_code(f, 0) : fp8_format_inf_code(f, sign);
  } else {
    if (m->acc.ftz && c.cls == FP8_CLASS_SUBNORMAL)
      c.cls = FP8_CLASS_ZERO;
    if (p.cls == FP8_CLASS_ZERO) {
      if (c.cls == FP8_CLASS_ZERO)
        code = fp_zero(f, c.sign & p.sign);
    } else if (c.cls == FP8_CLASS_ZERO) {
      code = fp_round(m, p.sign, p.sig, p.exp, &flags);
    } else {
      code = fp_add(m, c.sign, c.sig, c.exp, p.sign, p.sig, p.exp, &flags);
    }
  }
  m->st.acc[0] = code;
  m->st.flags = flags;
}

/* ---- dispatch ------------------------------------------------------------------ */

ALWAYS_INLINE void run(fp8_mac *m, const void *a, const void *b, size_t n, int wide)
{
  uint32_t ma = fp8_format_ncodes_minus1(&m->fa), mb = fp8_format_ncodes_minus1(&m->fb);
  switch (m->kernel) {
  case MAC_K64:
    kulisch64(m, a, b, n, wide, ma, mb);
    break;
  case MAC_K128:
    kulisch128(m, a, b, n, wide, ma, mb);
    break;
  case MAC_KWORDS:
    kulisch_words(m, a, b, n, wide, ma, mb);
    break;
  case MAC_FP:
    for (size_t i = 0; i < n; i++)
      fp_step(m, CODE(a, i, wide) & ma, CODE(b, i, wide) & mb);
    break;
  }
}

void fp8_mac_step(fp8_mac *m, uint32_t a, uint32_t b)
{
  /* Bits above 16 are above every input format's width: masked like the rest. */
  uint16_t x = (uint16_t)a, y = (uint16_t)b;
  run(m, &x, &y, 1, 1);
}

void fp8_mac_batch_u8(fp8_mac *m, const uint8_t *a, const uint8_t *b, size_t n)
{
  run(m, a, b, n, 0);
}

void fp8_mac_batch_u16(fp8_mac *m, const uint16_t *a, const uint16_t *b, size_t n)
{
  run(m, a, b, n, 1);
}
