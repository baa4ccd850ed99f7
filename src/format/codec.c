/* codec.c - unpack/decode, the one rounding point, and encode. */
#include "codec.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const fp8_rounding fp8_rounding_default = {.mode = FP8_ROUND_RNE, .overflow = FP8_OVERFLOW_SAT};

void fp8_codec_unpack(const fp8_format *f, uint32_t code, fp8_unpacked *u)
{
  uint32_t sign_bit = fp8_format_sign_bit(f);    /* 0 when unsigned */
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
  uint32_t magmask = fp8_format_mag_mask(f), mag = code & magmask;
  uint32_t emask = (1u << f->ebits) - 1, mmask = (1u << f->mbits) - 1;
  uint32_t e = (mag >> f->mbits) & emask, m = code & mmask;
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
    if (mag == magmask)
      goto nan;
    break;
  case FP8_SPECIAL_P3109F:
  case FP8_SPECIAL_P3109E:
    if (code == fp8_format_nan_code(f, 0))
      goto nan;
    if (f->special == FP8_SPECIAL_P3109E && mag == (fp8_format_inf_code(f, 0) & magmask)) {
      u->cls = FP8_CLASS_INF;
      return;
    }
    break;
  case FP8_SPECIAL_NONE:
    break;
  }
  if (e == 0 && !f->nozero) {
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

bool fp8_codec_same_values(const fp8_format *a, const fp8_format *b)
{
  if (a->bits != b->bits || a->bits > 16)
    return false;
  for (uint32_t c = 0; c <= fp8_format_ncodes_minus1(a); c++) {
    double x = fp8_codec_decode(a, c), y = fp8_codec_decode(b, c);
    if (isnan(x) != isnan(y) || (!isnan(x) && (x != y || signbit(x) != signbit(y))))
      return false;
  }
  return true;
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

bool fp8_codec_value_text_wide(const fp8_format *f, uint32_t code, char *buf, size_t len)
{
  fp8_unpacked u;
  fp8_codec_unpack(f, code, &u);
  if (u.cls != FP8_CLASS_NORMAL && u.cls != FP8_CLASS_SUBNORMAL)
    return false;
  int t = 31 - __builtin_clz(u.sig);             /* value = 1.frac * 2^(exp + t) */
  if (u.exp >= -1074 && u.exp + t <= 1023)
    return false;
  int nib = (t + 3) / 4;
  uint64_t frac = (uint64_t)(u.sig - (1u << t)) << (4 * nib - t);
  while (nib && !(frac & 0xf)) {
    frac >>= 4;
    nib--;
  }
  if (nib)
    snprintf(buf, len, "%s0x1.%0*llxp%+d", u.sign ? "-" : "", nib, (unsigned long long)frac, u.exp + t);
  else
    snprintf(buf, len, "%s0x1p%+d", u.sign ? "-" : "", u.exp + t);
  return true;
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

static uint32_t nan_code(const fp8_format *f, int sign, const fp8_rounding *rc)
{
  return rc->nan == FP8_NAN_ONES ? fp8_format_nan_code_ones(f) : fp8_format_nan_code(f, sign);
}

/* Does a rounding of a value beyond max go toward Inf (away from zero)?
 * rto goes to the neighbour with the odd code: Inf where the format has an
 * Inf with an odd code (P3109 signed extended: 2^(K-1)-1), else max. */
static bool toward_inf(const fp8_format *f, const fp8_rounding *rc, int sign)
{
  switch (rc->mode) {
  case FP8_ROUND_RTZ: return false;
  case FP8_ROUND_RTO: return fp8_format_has_inf(f) && (fp8_format_inf_code(f, 0) & 1);
  case FP8_ROUND_RTP: return !sign;
  case FP8_ROUND_RTN: return sign;
  default:            return true;
  }
}

/* Result of an overflow (fp8_overflow_mode's table). */
static uint32_t overflow_code(const fp8_format *f, int sign, const fp8_rounding *rc)
{
  if (toward_inf(f, rc, sign)) {
    if (rc->overflow == FP8_OVERFLOW_NONSAT || rc->overflow == FP8_OVERFLOW_SATNONE) {
      if (fp8_format_has_inf(f))
        return fp8_format_inf_code(f, sign);
      if (rc->overflow == FP8_OVERFLOW_NONSAT && fp8_format_has_nan(f))
        return nan_code(f, sign, rc);
    }
  }
  return max_code_signed(f, sign);
}

/* Below the range: a negative value into an unsigned format, zero into a
 * nozero one.  NONSAT: NaN (where there is one); else the smallest value.
 * (SATNONE's negative values into unsigned formats are rounded first: see
 * below_nan.) */
static uint32_t underrange_code(const fp8_format *f, const fp8_rounding *rc)
{
  if (rc->overflow == FP8_OVERFLOW_NONSAT && fp8_format_has_nan(f))
    return nan_code(f, 0, rc);
  return f->nozero ? fp8_format_min_code(f) : 0;
}

/* Decide the round-up of an inexact result: frac is the discarded part
 * top-aligned in 64 bits (nu = frac / 2^64), odd the parity of the kept code. */
static int round_up(const fp8_rounding *rc, int sign, uint64_t frac, uint64_t odd)
{
  const uint64_t half = 1ull << 63;
  int n = rc->sr_bits < 1 ? 1 : rc->sr_bits > 63 ? 63 : rc->sr_bits;
  uint64_t r;
  switch (rc->mode) {
  case FP8_ROUND_RNE: return frac > half || (frac == half && odd);
  case FP8_ROUND_RNA: return frac >= half;
  case FP8_ROUND_RTZ: return 0;
  case FP8_ROUND_RTP: return !sign;
  case FP8_ROUND_RTN: return sign;
  case FP8_ROUND_RTO: return !odd;
  case FP8_ROUND_STOCHASTIC: return rc->rand64 && rc->rand64(rc->rand_state) < frac;
  case FP8_ROUND_SR_A:   /* floor(nu 2^N) + R >= 2^N */
    r = rc->rand64 ? rc->rand64(rc->rand_state) >> (64 - n) : 0;
    return (frac >> (64 - n)) + r >= 1ull << n;
  case FP8_ROUND_SR_B:   /* floor(nu 2^(N+1)) + 2R + 1 >= 2^(N+1) */
    r = rc->rand64 ? rc->rand64(rc->rand_state) >> (64 - n) : 0;
    return (frac >> (63 - n)) + 2 * r + 1 >= 1ull << (n + 1);
  case FP8_ROUND_SR_C: { /* RNE(nu 2^N) + R >= 2^N */
    r = rc->rand64 ? rc->rand64(rc->rand_state) >> (64 - n) : 0;
    uint64_t t = frac >> (64 - n), rest = frac << n;
    t += rest > half || (rest == half && (t & 1));
    return t + r >= 1ull << n;
  }
  }
  return 0;
}

/* SATNONE (P3109 v4.0): a negative value (or -Inf) into an unsigned format
 * with a zero and a NaN is 0 under rtz and rtp (the nearest value in their
 * direction); under the other roundings it rounds as if the format had the
 * negative values too, and is NaN unless that gives 0 (rne, rna below half
 * the smallest value; the stochastic modes when they round toward zero). */
static bool below_nan(const fp8_format *f, int sign, const fp8_rounding *rc)
{
  return sign && f->is_unsigned && !f->nozero && rc->overflow == FP8_OVERFLOW_SATNONE &&
         fp8_format_has_nan(f);
}

uint32_t fp8_round_pack(const fp8_format *f, int sign, uint64_t sig, int exp,
                        const fp8_rounding *rc, unsigned *flags)
{
  unsigned fl = 0;
  uint32_t code;
  if (!rc)
    rc = &fp8_rounding_default;
  bool below = sig != 0 && below_nan(f, sign, rc);
  if (sig == 0) {
    if (f->nozero) {
      fl |= rc->overflow == FP8_OVERFLOW_NONSAT && fp8_format_has_nan(f) ? FP8_FLAG_INVALID
                                                                         : FP8_FLAG_UNDERFLOW | FP8_FLAG_INEXACT;
      code = underrange_code(f, rc);
      if (code == fp8_format_min_code(f))
        code = with_sign(f, sign, code);   /* -0 -> -2^-bias where there is a sign */
    } else {
      code = zero_code(f, sign);
    }
    goto done;
  }
  if (sign && f->is_unsigned && !below) {
    fl |= FP8_FLAG_INVALID | FP8_FLAG_INEXACT;
    code = underrange_code(f, rc);
    goto done;
  }
  if (below && (rc->mode == FP8_ROUND_RTZ || rc->mode == FP8_ROUND_RTP)) {
    fl |= FP8_FLAG_INEXACT;
    code = 0;
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
  if (f->nozero && binade < emin) {  /* nothing below 2^emin: it is the nearest in every mode */
    fl |= FP8_FLAG_UNDERFLOW | FP8_FLAG_INEXACT;
    code = with_sign(f, sign, fp8_format_min_code(f));
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
  } else {                         /* below half the quantum */
    kept = 0;
    /* The bits shifted out below the 64 of frac become a sticky bit, set
     * only when one of them is: an exact quarter must stay one for sr-c's
     * RNE(nu 2^N) (a tie there rounds to even). */
    frac = shift - 64 >= 64 ? 1 : (sig >> (shift - 64)) | ((sig << (128 - shift)) != 0);
  }
  if (frac) {
    fl |= FP8_FLAG_INEXACT;
    /* Ties go to the even code (rto: to the odd one): the lsb of kept,
     * except for M = 0, where every normal significand is 1 and the code's
     * lsb is the exponent's. */
    uint64_t odd = kept & 1;
    if (f->ebits && f->mbits == 0 && kept)
      odd = (uint64_t)(q + f->bias) & 1;
    kept += (uint64_t)round_up(rc, sign, frac, odd);
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
  if (below && code != 0) {        /* a negative result: no such value */
    code = nan_code(f, 0, rc);
    fl = FP8_FLAG_INVALID | FP8_FLAG_INEXACT;
  }
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
        return nan_code(f, sign, rc);
      if (flags)
        *flags |= FP8_FLAG_INVALID;
      return 0;
    }
    if (sign && f->is_unsigned)                /* -Inf: below an unsigned range */
      return fp8_round_pack(f, sign, 1, 0, rc, flags);
    if (fp8_format_has_inf(f) && rc->overflow != FP8_OVERFLOW_SATFINITE)
      return fp8_format_inf_code(f, sign);     /* Inf stays Inf, exactly */
    /* Clamped (satfinite), or no Inf: an infinite magnitude overflows,
     * whatever the rounding mode: NaN (nonsat, where there is one) or +-max. */
    if (flags)
      *flags |= FP8_FLAG_OVERFLOW | FP8_FLAG_INEXACT;
    if (rc->overflow == FP8_OVERFLOW_NONSAT && fp8_format_has_nan(f))
      return nan_code(f, sign, rc);
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
