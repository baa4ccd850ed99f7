/* codec.c - unpack/decode, the one rounding point, and encode. */
#include "codec.h"

#include <math.h>
#include <string.h>

const fp8_rounding fp8_rounding_default = {FP8_ROUND_RNE, FP8_OVERFLOW_SAT, NULL, NULL};

void fp8_codec_unpack(const fp8_format *f, uint32_t code, fp8_unpacked *u)
{
  uint32_t sign_bit = fp8_format_sign_bit(f);
  code &= fp8_format_ncodes_minus1(f);
  u->sign = (code & sign_bit) != 0;
  u->sig = 0;
  u->exp = 0;
  if (f->ebits == 0) {
    if (f->intenc == FP8_INT_TWOS)
      u->sig = u->sign ? (uint32_t)((2ull * sign_bit - code) & 0xffffffffu) : code;
    else
      u->sig = code & (sign_bit - 1);
    u->cls = u->sig ? FP8_CLASS_NORMAL : FP8_CLASS_ZERO;
    return;
  }
  uint32_t emask = (1u << f->ebits) - 1, mmask = (1u << f->mbits) - 1;
  uint32_t e = (code >> f->mbits) & emask, m = code & mmask;
  switch (f->special) {
  case FP8_SPECIAL_FNUZ:
    if (code == sign_bit)
      goto nan;
    break;
  case FP8_SPECIAL_IEEE:
    if (e == emask) {
      if (m)
        goto nan;
      u->cls = FP8_CLASS_INF;
      return;
    }
    break;
  case FP8_SPECIAL_FN:
    if (e == emask && m == mmask)
      goto nan;
    break;
  case FP8_SPECIAL_NONE:
    break;
  }
  if (e == 0) {
    if (m == 0 || !f->subnormals) {
      u->cls = FP8_CLASS_ZERO;
      return;
    }
    u->cls = FP8_CLASS_SUBNORMAL;
    u->sig = m;
    u->exp = 1 - f->bias - f->mbits;
    return;
  }
  u->cls = FP8_CLASS_NORMAL;
  u->sig = m | (1u << f->mbits);
  u->exp = (int)e - f->bias - f->mbits;
  return;
nan:
  u->cls = FP8_CLASS_NAN;
}

fp8_class fp8_codec_classify(const fp8_format *f, uint32_t code)
{
  fp8_unpacked u;
  fp8_codec_unpack(f, code, &u);
  return u.cls;
}

double fp8_codec_decode(const fp8_format *f, uint32_t code)
{
  fp8_unpacked u;
  fp8_codec_unpack(f, code, &u);
  switch (u.cls) {
  case FP8_CLASS_NAN:
    return NAN;
  case FP8_CLASS_INF:
    return u.sign ? -INFINITY : INFINITY;
  case FP8_CLASS_ZERO:
    return u.sign ? -0.0 : 0.0;
  default:
    return ldexp(u.sign ? -(double)u.sig : (double)u.sig, u.exp);
  }
}

static uint32_t zero_code(const fp8_format *f, int sign)
{
  return sign && fp8_format_has_negzero(f) ? fp8_format_sign_bit(f) : 0;
}

/* Pack a positive magnitude code with a sign. */
static uint32_t with_sign(const fp8_format *f, int sign, uint32_t mag_code)
{
  if (f->ebits == 0 && f->intenc == FP8_INT_TWOS)
    return sign ? (uint32_t)(-(uint64_t)mag_code) & fp8_format_ncodes_minus1(f) : mag_code;
  return sign ? (mag_code | fp8_format_sign_bit(f)) : mag_code;
}

/* The finite value of largest magnitude with this sign (-2^(n-1) for two's
 * complement). */
static uint32_t max_code_signed(const fp8_format *f, int sign)
{
  if (f->ebits == 0 && f->intenc == FP8_INT_TWOS && sign)
    return fp8_format_sign_bit(f);
  return with_sign(f, sign, fp8_format_max_code(f));
}

/* Result of an overflow: max finite, or Inf / NaN in non-saturating mode.
 * Like IEEE 754, rounding toward zero never overflows to Inf. */
static uint32_t overflow_code(const fp8_format *f, int sign, const fp8_rounding *rc)
{
  if (rc->overflow == FP8_OVERFLOW_NONSAT && rc->mode != FP8_ROUND_RTZ) {
    if (fp8_format_has_inf(f))
      return fp8_format_inf_code(f, sign);
    if (fp8_format_has_nan(f))
      return fp8_format_nan_code(f, sign);
  }
  return max_code_signed(f, sign);
}

uint32_t fp8_round_pack(const fp8_format *f, int sign, uint64_t sig, int exp,
                        const fp8_rounding *rc, unsigned *flags)
{
  unsigned fl = 0;
  uint32_t code;
  if (!rc)
    rc = &fp8_rounding_default;
  if (sig == 0) {
    code = zero_code(f, sign);
    goto done;
  }
  int lz = __builtin_clzll(sig);
  sig <<= lz;
  exp -= lz;                       /* value = sig * 2^exp, bit 63 set */
  int binade = exp + 63;
  int emin = fp8_format_emin(f), emax = fp8_format_emax(f);

  /* Quantum (weight of the result's last place).  Without subnormals the
   * only values below 2^emin are 0 and 2^emin itself: a quantum of 2^emin. */
  int q;
  if (f->ebits == 0)
    q = 0;
  else if (binade >= emin)
    q = binade - f->mbits;
  else
    q = f->subnormals ? emin - f->mbits : emin;

  if (binade > emax + 1) {         /* beyond any rounding back into range */
    fl |= FP8_FLAG_OVERFLOW | FP8_FLAG_INEXACT;
    code = overflow_code(f, sign, rc);
    goto done;
  }

  int shift = q - exp;             /* bits of sig below the quantum */
  uint64_t kept, frac;             /* frac: discarded part, top-aligned in 64 bits */
  if (shift <= 0) {                /* unreachable for n <= 32; kept for safety */
    kept = -shift >= 64 ? 0 : sig << -shift;
    frac = 0;
  } else if (shift < 64) {
    kept = sig >> shift;
    frac = sig << (64 - shift);
  } else if (shift == 64) {
    kept = 0;
    frac = sig;
  } else {
    kept = 0;
    frac = shift - 64 >= 64 ? 1 : (sig >> (shift - 64)) | 1; /* below half; sticky */
  }
  if (frac) {
    fl |= FP8_FLAG_INEXACT;
    int up = 0;
    const uint64_t half = 1ull << 63;
    /* Ties go to the even code: the lsb of kept, except for M = 0, where
     * every normal significand is 1 and the code's lsb is the exponent's. */
    uint64_t odd = kept & 1;
    if (f->ebits && f->mbits == 0 && kept)
      odd = (uint64_t)(q + f->bias) & 1;
    switch (rc->mode) {
    case FP8_ROUND_RNE: up = frac > half || (frac == half && odd); break;
    case FP8_ROUND_RNA: up = frac >= half; break;
    case FP8_ROUND_RTZ: up = 0; break;
    case FP8_ROUND_STOCHASTIC: up = rc->rand64 && rc->rand64(rc->rand_state) < frac; break;
    }
    kept += (uint64_t)up;
  }

  if (f->ebits == 0) {
    uint64_t maxmag = fp8_format_max_code(f) + (uint64_t)(sign && f->intenc == FP8_INT_TWOS);
    if (kept > maxmag) {
      fl |= FP8_FLAG_OVERFLOW | FP8_FLAG_INEXACT;
      code = overflow_code(f, sign, rc);
    } else {
      code = kept ? with_sign(f, sign, (uint32_t)kept) : zero_code(f, sign);
    }
    goto done;
  }

  if (kept == 0) {
    if (fl & FP8_FLAG_INEXACT)
      fl |= FP8_FLAG_UNDERFLOW;
    code = zero_code(f, sign);
    goto done;
  }
  /* Normalise kept into [2^M, 2^(M+1)) when it can be: a round-up may have
   * carried into the next binade; a subnormal stays below 2^M at q = emin-M. */
  while (kept >> (f->mbits + 1)) {
    kept >>= 1;                    /* exact: only reached after a carry */
    q++;
  }
  while (!(kept >> f->mbits) && q > emin - f->mbits) {
    kept <<= 1;                    /* nosub quantum 2^emin: kept == 1 -> 2^emin */
    q--;
  }
  uint32_t mag;
  if (!(kept >> f->mbits)) {       /* subnormal */
    mag = (uint32_t)kept;
    if (fl & FP8_FLAG_INEXACT)
      fl |= FP8_FLAG_UNDERFLOW;
  } else {
    int64_t e = (int64_t)q + f->mbits + f->bias;
    if (e > (int64_t)((1u << f->ebits) - 1)) {
      fl |= FP8_FLAG_OVERFLOW | FP8_FLAG_INEXACT;
      code = overflow_code(f, sign, rc);
      goto done;
    }
    mag = ((uint32_t)e << f->mbits) | ((uint32_t)kept & ((1u << f->mbits) - 1));
  }
  if (mag > fp8_format_max_code(f)) {
    fl |= FP8_FLAG_OVERFLOW | FP8_FLAG_INEXACT;
    code = overflow_code(f, sign, rc);
    goto done;
  }
  code = with_sign(f, sign, mag);
done:
  if (flags)
    *flags |= fl;
  return code;
}

uint32_t fp8_codec_encode(const fp8_format *f, double x, const fp8_rounding *rc, unsigned *flags)
{
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  int sign = (int)(bits >> 63);
  int e = (int)((bits >> 52) & 0x7ff);
  uint64_t m = bits & ((1ull << 52) - 1);
  if (!rc)
    rc = &fp8_rounding_default;
  if (e == 0x7ff) {
    if (m) {                                   /* NaN */
      if (fp8_format_has_nan(f))
        return fp8_format_nan_code(f, sign);
      if (flags)
        *flags |= FP8_FLAG_INVALID;
      return 0;
    }
    if (fp8_format_has_inf(f))                 /* Inf */
      return fp8_format_inf_code(f, sign);
    /* No Inf: an infinite magnitude overflows, whatever the rounding mode:
     * NaN (nonsat, where there is one) or +-max. */
    if (flags)
      *flags |= FP8_FLAG_OVERFLOW | FP8_FLAG_INEXACT;
    if (rc->overflow == FP8_OVERFLOW_NONSAT && fp8_format_has_nan(f))
      return fp8_format_nan_code(f, sign);
    return max_code_signed(f, sign);
  }
  if (e == 0)
    return fp8_round_pack(f, sign, m, -1074, rc, flags);
  return fp8_round_pack(f, sign, m | (1ull << 52), e - 1075, rc, flags);
}

void fp8_codec_encode_f32_u8_generic(const fp8_format *f, const float *in, uint8_t *out,
                             size_t n, const fp8_rounding *rc, unsigned *flags)
{
  for (size_t i = 0; i < n; i++)
    out[i] = (uint8_t)fp8_codec_encode(f, in[i], rc, flags);
}

void fp8_codec_encode_f32_u16_generic(const fp8_format *f, const float *in, uint16_t *out,
                              size_t n, const fp8_rounding *rc, unsigned *flags)
{
  for (size_t i = 0; i < n; i++)
    out[i] = (uint16_t)fp8_codec_encode(f, in[i], rc, flags);
}
