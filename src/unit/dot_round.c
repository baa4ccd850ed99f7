/* dot_round.c - exact sums rounded once into an accumulator format: the
 * step's result, "C added after", and promotion into fp32.  Every value goes
 * through fp8_round_pack (the one rounding point). */
#include "dot_internal.h"

typedef unsigned __int128 u128;

static int bitlen128(u128 x)
{
  uint64_t hi = (uint64_t)(x >> 64), lo = (uint64_t)x;
  return hi ? 128 - __builtin_clzll(hi) : lo ? 64 - __builtin_clzll(lo) : 0;
}

static int ctz128(u128 x)
{
  uint64_t lo = (uint64_t)x;
  return lo ? __builtin_ctzll(lo) : 64 + __builtin_ctzll((uint64_t)(x >> 64));
}

uint32_t dot_round_wide(const fp8_format *f, const fp8_rounding *rc, int sign, u128 mag, int exp,
                        unsigned *flags)
{
  if (mag == 0)
    return 0;
  int len = bitlen128(mag);
  uint64_t sig;
  if (len > 63) {
    /* 62 bits and a sticky bit: at most 24 target bits, so the sticky bit is
     * far below the rounding point and stands for everything dropped. */
    int drop = len - 62;
    sig = (uint64_t)(mag >> drop) | ((mag & (((u128)1 << drop) - 1)) != 0);
    exp += drop;
  } else {
    sig = (uint64_t)mag;
  }
  unsigned fl = 0;
  uint32_t code = fp8_round_pack(f, sign, sig, exp, rc, &fl);
  if (flags)
    *flags |= fl;
  if (code == fp8_format_sign_bit(f))   /* -0 -> +0 */
    code = 0;
  return code;
}

uint32_t dot_round_sum(const fp8_format *f, const fp8_rounding *rc, int xs, uint64_t xsig, int xexp,
                       __int128 s, int es, unsigned *flags)
{
  int ss = s < 0;
  u128 smag = ss ? -(u128)s : (u128)s;
  if (xsig == 0)
    return dot_round_wide(f, rc, ss, smag, es, flags);
  u128 xmag = xsig;
  if (smag == 0)
    return dot_round_wide(f, rc, xs, xmag, xexp, flags);
  int tz = ctz128(smag);
  smag >>= tz;
  es += tz;
  tz = ctz128(xmag);
  xmag >>= tz;
  xexp += tz;
  int g = f->mbits + 4;        /* precision + 3 */
  int s_msb = es + bitlen128(smag) - 1, x_msb = xexp + bitlen128(xmag) - 1;
  /* One operand far below the other's last bit (and below every rounding
   * point of their sum) acts as a signed sticky bit under it. */
  if (x_msb < es - g || s_msb < xexp - g) {
    int big_s = x_msb < es - g;
    u128 big = big_s ? smag : xmag;
    int bsign = big_s ? ss : xs, tsign = big_s ? xs : ss, bexp = big_s ? es : xexp;
    big <<= g;
    big = bsign == tsign ? big + 1 : big - 1;
    return dot_round_wide(f, rc, bsign, big, bexp - g, flags);
  }
  /* Otherwise both fit 126 bits from the lower last bit (dot.h's bounds). */
  int lo = es < xexp ? es : xexp;
  __int128 a = (__int128)(smag << (es - lo)), b = (__int128)(xmag << (xexp - lo));
  __int128 sum = (ss ? -a : a) + (xs ? -b : b);
  int neg = sum < 0;
  return dot_round_wide(f, rc, neg, neg ? -(u128)sum : (u128)sum, lo, flags);
}

int dot_special_add(const fp8_format *f, uint32_t x, const fp8_format *g, uint32_t y,
                    uint32_t *code, unsigned *flags)
{
  fp8_unpacked u, v;
  fp8_codec_unpack(f, x, &u);
  fp8_codec_unpack(g, y, &v);
  fp8_special_sum s = {false, false, false};
  fp8_facts_sum_term(&s, u.cls, u.sign);
  fp8_facts_sum_term(&s, v.cls, v.sign);
  int sign, invalid;
  fp8_class r = fp8_facts_sum_class(&s, &sign, &invalid);
  if (r == FP8_CLASS_NORMAL)
    return 0;
  if (invalid)
    *flags |= FP8_DOT_INVALID;
  *code = r == FP8_CLASS_NAN ? fp8_format_nan_code(f, 0) : fp8_format_inf_code(f, sign);
  return 1;
}

void dot_c_from_code(const fp8_dot *d, uint32_t code, dot_c *c)
{
  fp8_unpacked u;
  fp8_codec_unpack(&d->sp.acc.fmt, code, &u);
  c->cls = u.cls == FP8_CLASS_SUBNORMAL ? FP8_CLASS_NORMAL : u.cls;
  c->sign = u.sign;
  c->sig = u.sig;
  c->exp = u.exp;
}

uint32_t dot_c_to_code(const fp8_dot *d, const dot_c *c)
{
  const fp8_format *f = &d->sp.acc.fmt;
  switch (c->cls) {
  case FP8_CLASS_NAN: return fp8_format_nan_code(f, 0);
  case FP8_CLASS_INF: return fp8_format_inf_code(f, c->sign);
  case FP8_CLASS_ZERO: return c->sign ? fp8_format_sign_bit(f) : 0;
  default: return fp8_round_pack(f, c->sign, c->sig, c->exp, NULL, NULL);   /* exact */
  }
}

void dot_round_c(const fp8_dot *d, int sign, uint64_t mag, int exp, dot_c *c, unsigned *flags)
{
  if (mag == 0) {
    *c = (dot_c){FP8_CLASS_ZERO, 0, 0, 0};
    return;
  }
  const int p = d->sp.acc.fmt.mbits + 1, len = 64 - __builtin_clzll(mag);
  int top = exp + len - 1;
  if (top >= d->acc_emin && top <= d->acc_emax) {
    if (len <= p) {            /* exact; normalized so that exp + M is its exponent */
      *c = (dot_c){FP8_CLASS_NORMAL, sign, mag << (p - len), exp - (p - len)};
      return;
    }
    int drop = len - p;
    uint64_t q = mag >> drop, rem = mag & ((1ull << drop) - 1);
    if (d->sp.round == FP8_ROUND_RNE) {
      uint64_t half = 1ull << (drop - 1);
      q += rem > half || (rem == half && (q & 1));
      if (q >> p) {            /* carried into a new binade */
        q >>= 1;
        drop++;
        top++;
      }
    }
    if (top <= d->acc_emax) {
      if (rem && flags)
        *flags |= FP8_DOT_INEXACT;
      *c = (dot_c){FP8_CLASS_NORMAL, sign, q, exp + drop};
      return;
    }
  }
  dot_c_from_code(d, dot_round_wide(&d->sp.acc.fmt, &d->rc_acc, sign, mag, exp, flags), c);
}
