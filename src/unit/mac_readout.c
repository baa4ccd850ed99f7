/* mac_readout.c - the accumulator's value: exact decimal, scaled integer,
 * nearest double, and one rounding into any format through fp8_round_pack. */
#include "mac_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* What the state holds, as a sign and a magnitude in words times 2^exp, or a
 * special class.  Kulisch: the W-bit two's complement negated when negative. */
typedef struct mac_value {
  fp8_class cls;       /* ZERO, NORMAL (finite nonzero), INF, NAN */
  int sign;
  uint64_t mag[FP8_MAC_WORDS];
  int exp;
} mac_value;

static void read_value(const fp8_mac *m, mac_value *v)
{
  memset(v, 0, sizeof *v);
  if (m->kernel == MAC_FP) {
    fp8_unpacked u;
    fp8_codec_unpack(&m->acc.fmt, (uint32_t)m->st.acc[0], &u);
    v->cls = u.cls == FP8_CLASS_SUBNORMAL ? FP8_CLASS_NORMAL : u.cls;
    v->sign = u.sign;
    v->mag[0] = u.sig;
    v->exp = u.exp;
    return;
  }
  unsigned fl = m->st.flags;
  if (fl & (FP8_MAC_NAN | FP8_MAC_PINF | FP8_MAC_NINF)) {
    v->cls = fl & FP8_MAC_NAN ? FP8_CLASS_NAN : FP8_CLASS_INF;
    v->sign = !(fl & FP8_MAC_NAN) && !(fl & FP8_MAC_PINF);
    return;
  }
  int w = m->acc.width, top = (w - 1) / 64;
  v->exp = m->lsb;
  v->sign = (int)(m->st.acc[top] >> ((w - 1) % 64) & 1);
  uint64_t nz = 0;
  for (int i = 0; i < FP8_MAC_WORDS; i++) {
    v->mag[i] = m->st.acc[i];
    if (v->sign && i > top)
      v->mag[i] = ~0ull;
    else if (v->sign && i == top && (w % 64))
      v->mag[i] |= ~0ull << (w % 64);
  }
  if (v->sign) {                     /* two's complement negate: ~x + 1 */
    unsigned carry = 1;
    for (int i = 0; i < FP8_MAC_WORDS; i++) {
      v->mag[i] = ~v->mag[i] + carry;
      carry = carry && v->mag[i] == 0;
    }
  }
  for (int i = 0; i < FP8_MAC_WORDS; i++)
    nz |= v->mag[i];
  v->cls = nz ? FP8_CLASS_NORMAL : FP8_CLASS_ZERO;
}

/* The top 63 bits of a nonzero magnitude with everything below ORed into
 * bit 0 (a sticky bit), and the weight exponent of bit 0. */
static uint64_t top_bits(const mac_value *v, int *exp)
{
  int hi = FP8_MAC_WORDS - 1;
  while (!v->mag[hi])
    hi--;
  int msb = 64 * hi + 63 - __builtin_clzll(v->mag[hi]);  /* bit index of the leading 1 */
  int drop = msb - 62 > 0 ? msb - 62 : 0;
  uint64_t r = 0, sticky = 0;
  for (int i = 0; i < FP8_MAC_WORDS; i++) {
    for (int j = 0; j < 64; j++) {
      if (!(v->mag[i] >> j & 1))
        continue;
      int pos = 64 * i + j;
      if (pos < drop)
        sticky = 1;
      else
        r |= 1ull << (pos - drop);
    }
  }
  *exp = v->exp + drop;
  return r | sticky;
}

uint32_t fp8_mac_round(const fp8_mac *m, const fp8_format *to, const fp8_rounding *rc,
                       unsigned *flags)
{
  mac_value v;
  read_value(m, &v);
  switch (v.cls) {
  case FP8_CLASS_NAN:
    return fp8_codec_encode(to, NAN, rc, flags);
  case FP8_CLASS_INF:
    return fp8_codec_encode(to, v.sign ? -INFINITY : INFINITY, rc, flags);
  case FP8_CLASS_ZERO:
    return fp8_round_pack(to, v.sign, 0, 0, rc, flags);
  default: {
    int e;
    uint64_t sig = top_bits(&v, &e);
    return fp8_round_pack(to, v.sign, sig, e, rc, flags);
  }
  }
}

double fp8_mac_value(const fp8_mac *m)
{
  mac_value v;
  read_value(m, &v);
  switch (v.cls) {
  case FP8_CLASS_NAN:
    return NAN;
  case FP8_CLASS_INF:
    return v.sign ? -INFINITY : INFINITY;
  case FP8_CLASS_ZERO:
    return v.sign ? -0.0 : 0.0;
  default: {
    /* 63 bits with a sticky bit convert to double with one correct rounding
     * (the hardware's, RNE): the sticky bit is 10 bits below the last kept. */
    int e;
    uint64_t sig = top_bits(&v, &e);
    double d = ldexp((double)sig, e);
    return v.sign ? -d : d;
  }
  }
}

size_t fp8_mac_decimal(const fp8_mac *m, char *buf, size_t len)
{
  mac_value v;
  read_value(m, &v);
  switch (v.cls) {
  case FP8_CLASS_NAN:
    return (size_t)snprintf(buf, len, "nan");
  case FP8_CLASS_INF:
    return (size_t)snprintf(buf, len, "%sinf", v.sign ? "-" : "");
  default:
    return fp8_mac_decimal_string(buf, len, v.sign, v.mag, FP8_MAC_WORDS, v.exp);
  }
}

int fp8_mac_scaled_int64(const fp8_mac *m, int64_t *mant, int *exp2)
{
  mac_value v;
  read_value(m, &v);
  if (v.cls == FP8_CLASS_NAN || v.cls == FP8_CLASS_INF)
    return -1;
  for (int i = 1; i < FP8_MAC_WORDS; i++)
    if (v.mag[i])
      return -1;
  uint64_t x = v.mag[0];
  int e = v.exp;
  if (m->kernel == MAC_FP) {
    if (!x)
      e = 0;
    while (x && !(x & 1)) {
      x >>= 1;
      e++;
    }
  }
  if (x > (uint64_t)INT64_MAX + v.sign)
    return -1;
  *mant = v.sign ? (int64_t)(0 - x) : (int64_t)x;
  *exp2 = e;
  return 0;
}

/* ---- exact decimal -------------------------------------------------------------
 * mag * 2^exp2 = (mag * 5^k) / 10^k for exp2 = -k < 0, so the digits are those
 * of the integer mag * 5^k with the point k places from the right.  Limbs of
 * 32 bits; 2,048 bits cover 256-bit magnitudes times 5^760 or 2^1790. */
#define DEC_LIMBS 64

size_t fp8_mac_decimal_string(char *buf, size_t len, int neg, const uint64_t *mag,
                              int nwords, int exp2)
{
  uint32_t n[DEC_LIMBS] = {0};
  int used = 0;
  for (int i = 0; i < nwords && 2 * i + 1 < DEC_LIMBS; i++) {
    n[2 * i] = (uint32_t)mag[i];
    n[2 * i + 1] = (uint32_t)(mag[i] >> 32);
    if (mag[i])
      used = 2 * i + 2;
  }
  if (used == 0)
    return (size_t)snprintf(buf, len, "%s0", neg ? "-" : "");
  int k = exp2 < 0 ? -exp2 : 0;
  for (int step = 0; step < (exp2 < 0 ? k : exp2); step++) {
    uint64_t carry = 0, f = exp2 < 0 ? 5 : 2;
    for (int i = 0; i < used; i++) {
      uint64_t t = (uint64_t)n[i] * f + carry;
      n[i] = (uint32_t)t;
      carry = t >> 32;
    }
    if (carry) {
      if (used == DEC_LIMBS)
        return (size_t)snprintf(buf, len, "?");  /* beyond any format fp8lab has */
      n[used++] = (uint32_t)carry;
    }
  }
  /* Digits, least significant first, by repeated division by 10^9. */
  char digits[DEC_LIMBS * 10 + 16];
  int nd = 0;
  while (used) {
    uint64_t rem = 0;
    for (int i = used - 1; i >= 0; i--) {
      uint64_t t = rem << 32 | n[i];
      n[i] = (uint32_t)(t / 1000000000u);
      rem = t % 1000000000u;
    }
    while (used && !n[used - 1])
      used--;
    for (int j = 0; j < 9; j++) {
      digits[nd++] = (char)('0' + rem % 10);
      rem /= 10;
    }
  }
  while (nd > 1 && digits[nd - 1] == '0')
    nd--;
  /* Drop trailing fraction zeros; pad so that at least one integer digit shows. */
  int lead = 0;
  while (lead < k && lead < nd && digits[lead] == '0')
    lead++;
  int frac = k - lead;               /* fraction digits kept */
  char out[sizeof digits + 8];
  size_t o = 0;
  if (neg)
    out[o++] = '-';
  int intdigits = nd - k;
  if (intdigits <= 0) {
    out[o++] = '0';
  } else {
    for (int i = nd - 1; i >= k; i--)
      out[o++] = digits[i];
  }
  if (frac > 0) {
    out[o++] = '.';
    for (int i = k - 1; i >= lead; i--)
      out[o++] = i < nd ? digits[i] : '0';
  }
  out[o] = 0;
  return (size_t)snprintf(buf, len, "%s", out);
}
