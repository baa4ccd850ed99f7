/* block.c - the block quantizer (block.h): a block's scale from its largest
 * magnitude, elements through the codec.  Every rounding of a value into a
 * format goes through fp8_codec_encode (fp8_round_pack); the power-of-two
 * rules work on exact exponents (frexp/ldexp), never on a rounded log2. */
#include "block.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void fp8_block_from_format(const fp8_format *f, fp8_block_format *bf)
{
  memset(bf, 0, sizeof *bf);
  bf->elem = *f;
  bf->block = FP8_BLOCK_NONE;
  snprintf(bf->name, sizeof bf->name, "%s", f->name);
}

bool fp8_block_is_scaled(const fp8_block_format *bf) { return bf->block > 0; }

size_t fp8_block_nscales(const fp8_block_format *bf, size_t len)
{
  return bf->block > 0 ? (len + (size_t)bf->block - 1) / (size_t)bf->block : 0;
}

/* The values one call of fp8_block_encode takes: a block, or (no block
 * scale) a run of at most FP8_BLOCK_MAX, the size of encode's buffers. */
static size_t run_len(const fp8_block_format *bf)
{
  return bf->block > 0 ? (size_t)bf->block : FP8_BLOCK_MAX;
}

double fp8_block_elem_max(const fp8_block_format *bf)
{
  return ldexp(fp8_format_max(&bf->elem), bf->shift);
}

/* floor(log2 x) for finite x > 0, exactly. */
static int floor_log2(double x)
{
  int e;
  double f = frexp(x, &e);   /* x = f * 2^e, f in [0.5, 1) */
  (void)f;
  return e - 1;
}

/* ceil(log2 x) for finite x > 0, exactly. */
static int ceil_log2(double x)
{
  int e;
  double f = frexp(x, &e);
  return f == 0.5 ? e - 1 : e;
}

int fp8_block_elem_emax(const fp8_block_format *bf)
{
  return floor_log2(fp8_block_elem_max(bf));
}

double fp8_block_bits_per_value(const fp8_block_format *bf)
{
  if (!fp8_block_is_scaled(bf))
    return bf->elem.bits;
  return bf->elem.bits + (double)((bf->scale.bits + 7) / 8 * 8) / bf->block;
}

/* Rounding contexts of the scale: nearest and upward, both saturating to the
 * largest finite scale (a scale never overflows to Inf or NaN). */
static const fp8_rounding scale_rne = {FP8_ROUND_RNE, FP8_OVERFLOW_SATFINITE, NULL, NULL, 0,
                                       FP8_NAN_KEEP_SIGN};
static const fp8_rounding scale_up = {FP8_ROUND_RTP, FP8_OVERFLOW_SATFINITE, NULL, NULL, 0,
                                      FP8_NAN_KEEP_SIGN};
/* Elements: nearest even, saturating to +-max (OCP MX section 6.3). */
static const fp8_rounding elem_default = {FP8_ROUND_RNE, FP8_OVERFLOW_SATFINITE, NULL, NULL, 0,
                                          FP8_NAN_KEEP_SIGN};

double fp8_block_tensor_scale(const fp8_block_format *bf, double amax_tensor)
{
  if (!bf->tensor || !(amax_tensor > 0) || isinf(amax_tensor))
    return 1.0;
  double q = amax_tensor / (fp8_format_max(&bf->scale) * fp8_block_elem_max(bf));
  if (q > FLT_MAX)
    return FLT_MAX;                  /* a double tensor beyond fp32: T stays finite */
  double t = (float)q;
  return t > 0 ? t : FLT_TRUE_MIN;   /* a tensor so small that T underflows fp32 */
}

/* floor(log2(a / d)) and ceil(log2(a / d)) for finite a, d > 0, exactly:
 * the largest e with 2^e * d <= a, the smallest e with 2^e * d >= a (d = 1
 * for MX; a tensor scale T or Emax_v * T otherwise; ldexp of d is exact
 * while it stays normal, and beyond the double range its overflow to Inf or
 * underflow toward 0 still orders correctly against a). */
static long floor_log2_ratio(double a, double d)
{
  long e = (long)floor_log2(a) - floor_log2(d);
  while (ldexp(d, (int)e) > a) e--;
  while (ldexp(d, (int)(e + 1)) <= a) e++;
  return e;
}

static long ceil_log2_ratio(double a, double d)
{
  long e = (long)ceil_log2(a) - floor_log2(d);
  while (ldexp(d, (int)(e - 1)) >= a) e--;
  while (ldexp(d, (int)e) < a) e++;
  return e;
}

/* The scale code of 2^e, e clamped to the powers of two the scale format
 * holds: [log2 of its smallest positive value, floor(log2 max)]. */
static uint32_t pow2_code(const fp8_format *sf, long e)
{
  long lo = floor_log2(fp8_format_min_subnormal(sf));
  long hi = floor_log2(fp8_format_max(sf));
  if (e < lo) e = lo;
  if (e > hi) e = hi;
  return fp8_codec_encode(sf, ldexp(1.0, (int)e), &scale_rne, NULL);
}

/* x / xs rounded to odd in double: the quotient truncated, with its last bit
 * set when inexact (fma gives the exact remainder).  A later rounding into
 * the element's <= 24 bits then equals the rounding of the exact quotient in
 * every mode (round to odd keeps the sticky information), for any double x,
 * not only float32 inputs and power-of-two scales, where x / xs is exact or
 * innocuously rounded anyway. */
static double quotient_odd(double x, double xs)
{
  double q = x / xs;
  if (q == 0 || !isfinite(q))
    return q;
  double r = fma(-q, xs, x);      /* x - q * xs exactly (q, xs normal) */
  if (r == 0)
    return q;
  /* truncate: q was rounded away from zero when r has the other sign */
  if ((r < 0) != (q < 0))
    q = nextafter(q, 0.0);
  uint64_t u;
  memcpy(&u, &q, sizeof u);
  u |= 1;                         /* odd: the sticky bit */
  memcpy(&q, &u, sizeof q);
  return q;
}

uint32_t fp8_block_scale_code(const fp8_block_format *bf, double amax, double t)
{
  const fp8_format *sf = &bf->scale;
  if (!fp8_block_is_scaled(bf))
    return 0;
  if (isnan(amax) || isinf(amax))
    return fp8_format_has_nan(sf) ? fp8_format_nan_code(sf, 0) : fp8_format_max_code(sf);
  amax = fabs(amax);
  double em = fp8_block_elem_max(bf);
  int emax = floor_log2(em);
  if (amax == 0) {
    if (bf->rule == FP8_BLOCK_NEAREST && fp8_format_has_zero(sf))
      return 0;
    return fp8_format_min_code(sf);
  }
  switch (bf->rule) {
  case FP8_BLOCK_FLOOR:
    return pow2_code(sf, floor_log2_ratio(amax, t) - emax);
  case FP8_BLOCK_CEIL:
    return pow2_code(sf, ceil_log2_ratio(amax, t) - emax);
  case FP8_BLOCK_NEAREST:
    return fp8_codec_encode(sf, quotient_odd(amax, em * t), &scale_rne, NULL);
  default: {
    /* rceil: the smallest scale value s with amax <= s * t * em.  em * t is
     * exact in a double (each has at most 24 significant bits), and fma
     * decides the comparison exactly where the quotient may have rounded
     * down onto a scale value. */
    double d = em * t;
    if (sf->mbits == 0)     /* powers of two only (E8M0) */
      return pow2_code(sf, ceil_log2_ratio(amax, d));
    uint32_t c = fp8_codec_encode(sf, quotient_odd(amax, d), &scale_up, NULL);
    if (fma(fp8_codec_decode(sf, c), d, -amax) < 0 && c < fp8_format_max_code(sf))
      c++;   /* unsigned or positive codes ascend with their values */
    return c;
  }
  }
}

double fp8_block_scale_value(const fp8_block_format *bf, uint32_t code, double t)
{
  if (!fp8_block_is_scaled(bf))
    return t;
  return fp8_codec_decode(&bf->scale, code) * t;
}

/* The fast path of a block whose every quotient x_i / xs is exact in
 * float32 (MX: power-of-two scales and float32 inputs): the vectorized
 * kernel, bit-identical to fp8_codec_encode element by element (codec.h),
 * on the exact quotients.  Returns false, having written nothing, when a
 * quotient is inexact (or beyond float32): the caller takes the generic path. */
static bool encode_exact_f32(const fp8_block_format *bf, double xs, const double *x, size_t len,
                             uint32_t *codes, const fp8_rounding *rc, unsigned *flags)
{
  float y[FP8_BLOCK_MAX];
  if (len == 0)
    return true;
  for (size_t i = 0; i < len; i++) {
    double q = x[i] / xs;
    y[i] = (float)q;
    if ((double)y[i] != q)
      return false;
  }
  if (bf->elem.bits <= 8) {
    uint8_t c[FP8_BLOCK_MAX];
    fp8_codec_encode_f32_u8(&bf->elem, y, c, len, rc, flags);
    for (size_t i = 0; i < len; i++)
      codes[i] = c[i];
  } else {
    uint16_t c[FP8_BLOCK_MAX];
    fp8_codec_encode_f32_u16(&bf->elem, y, c, len, rc, flags);
    for (size_t i = 0; i < len; i++)
      codes[i] = c[i];
  }
  return true;
}

/* One block; element flags ORed into *flags and, when each is not NULL,
 * stored per element in each[i]. */
static uint32_t encode_block(const fp8_block_format *bf, double t, const double *x, size_t len,
                             uint32_t *codes, const fp8_rounding *rc, unsigned *flags, unsigned *each)
{
  double amax = 0;
  bool special = false;
  /* Without a block scale a NaN or Inf is the element's own value, not the
   * block's NaN scale. */
  for (size_t i = 0; fp8_block_is_scaled(bf) && i < len; i++) {
    if (isnan(x[i]) || isinf(x[i]))
      special = true;
    else if (fabs(x[i]) > amax)
      amax = fabs(x[i]);
  }
  uint32_t sc = fp8_block_scale_code(bf, special ? NAN : amax, t);
  double xs = ldexp(fp8_block_scale_value(bf, sc, t), bf->shift);
  /* Two's complement elements: -2^(n-1) lies below -max (MXINT8's -2). */
  const fp8_format *ef = &bf->elem;
  bool twos = ef->ebits == 0 && ef->intenc == FP8_INT_TWOS;
  uint32_t lo_code = twos ? 1u << (ef->bits - 1) : UINT32_MAX;
  uint32_t neg_max = twos ? lo_code + 1 : 0;
  if (!each && !special && xs > 0 && encode_exact_f32(bf, xs, x, len, codes, rc ? rc : &elem_default, flags)) {
    for (size_t i = 0; lo_code != UINT32_MAX && i < len; i++)
      if (codes[i] == lo_code) {
        codes[i] = neg_max;
        if (flags)
          *flags |= FP8_FLAG_OVERFLOW | FP8_FLAG_INEXACT;
      }
    return sc;
  }
  for (size_t i = 0; i < len; i++) {
    unsigned fl = 0;
    codes[i] = special || !(xs > 0) ? 0
             : fp8_codec_encode(&bf->elem, quotient_odd(x[i], xs), rc ? rc : &elem_default, &fl);
    if (lo_code != UINT32_MAX && codes[i] == lo_code) {   /* below -max: saturate symmetrically */
      codes[i] = neg_max;
      fl |= FP8_FLAG_OVERFLOW | FP8_FLAG_INEXACT;
    }
    if (flags)
      *flags |= fl;
    if (each)
      each[i] = fl;
  }
  return sc;
}

uint32_t fp8_block_encode(const fp8_block_format *bf, double t, const double *x, size_t len,
                          uint32_t *codes, const fp8_rounding *rc, unsigned *flags)
{
  return encode_block(bf, t, x, len, codes, rc, flags, NULL);
}

uint32_t fp8_block_encode_each(const fp8_block_format *bf, double t, const double *x, size_t len,
                               uint32_t *codes, const fp8_rounding *rc, unsigned *each)
{
  return encode_block(bf, t, x, len, codes, rc, NULL, each);
}

void fp8_block_decode(const fp8_block_format *bf, double t, uint32_t scale_code,
                      const uint32_t *codes, size_t len, double *out)
{
  double xs = ldexp(fp8_block_scale_value(bf, scale_code, t), bf->shift);
  for (size_t i = 0; i < len; i++)
    out[i] = isnan(xs) ? NAN : fp8_codec_decode(&bf->elem, codes[i]) * xs;
}

void fp8_block_encode_rows(const fp8_block_format *bf, double t, const double *in, size_t nrows,
                           size_t len, uint32_t *codes, uint32_t *scales, const fp8_rounding *rc,
                           unsigned *flags)
{
  size_t b = run_len(bf), nb = fp8_block_nscales(bf, len);
  for (size_t r = 0; r < nrows; r++)
    for (size_t k = 0, j = 0; j < len; k++, j += b) {
      size_t n = len - j < b ? len - j : b;
      uint32_t sc = fp8_block_encode(bf, t, in + r * len + j, n, codes + r * len + j, rc, flags);
      if (nb)
        scales[r * nb + k] = sc;
    }
}

void fp8_block_decode_rows(const fp8_block_format *bf, double t, const uint32_t *codes,
                           const uint32_t *scales, size_t nrows, size_t len, double *out)
{
  size_t b = run_len(bf), nb = fp8_block_nscales(bf, len);
  for (size_t r = 0; r < nrows; r++)
    for (size_t k = 0, j = 0; j < len; k++, j += b) {
      size_t n = len - j < b ? len - j : b;
      fp8_block_decode(bf, t, nb ? scales[r * nb + k] : 0, codes + r * len + j, n, out + r * len + j);
    }
}

size_t fp8_block_format_sizeof(void) { return sizeof(fp8_block_format); }

void fp8_block_quant_rows(const fp8_block_format *bf, double t, const double *in, double *out,
                          size_t nrows, size_t len, const fp8_rounding *rc, unsigned *flags)
{
  uint32_t codes[FP8_BLOCK_MAX];
  const size_t b = run_len(bf);
  for (size_t r = 0; r < nrows; r++)
    for (size_t j = 0; j < len; j += b) {
      size_t n = len - j < b ? len - j : b;
      const double *x = in + r * len + j;
      uint32_t sc = fp8_block_encode(bf, t, x, n, codes, rc, flags);
      fp8_block_decode(bf, t, sc, codes, n, out + r * len + j);
    }
}
