/* block.c - the block quantizer (block.h): a block's scale from its largest
 * magnitude, elements through the codec.  Every rounding of a value into a
 * format goes through fp8_codec_encode (fp8_round_pack); the power-of-two
 * rules work on exact exponents (frexp/ldexp), never on a rounded log2. */
#include "block.h"

#include <float.h>
#include <math.h>

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
  return bf->elem.bits + (double)bf->scale.bits / bf->block;
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
  double t = (float)(amax_tensor / (fp8_format_max(&bf->scale) * fp8_block_elem_max(bf)));
  return t > 0 ? t : FLT_TRUE_MIN;   /* a tensor so small that T underflows fp32 */
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

uint32_t fp8_block_scale_code(const fp8_block_format *bf, double amax, double t)
{
  const fp8_format *sf = &bf->scale;
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
    return pow2_code(sf, (long)floor_log2(amax) - emax);
  case FP8_BLOCK_CEIL:
    return pow2_code(sf, (long)ceil_log2(amax) - emax);
  case FP8_BLOCK_NEAREST:
    return fp8_codec_encode(sf, amax / (em * t), &scale_rne, NULL);
  default: {
    /* rceil: the smallest scale value s with amax <= s * t * em.  em * t is
     * exact in a double (each has at most 24 significant bits), and fma
     * decides the comparison exactly where the quotient may have rounded
     * down onto a scale value. */
    double d = em * t;
    if (sf->mbits == 0) {   /* powers of two only (E8M0) */
      long e = (long)ceil_log2(amax) - floor_log2(d);
      while (ldexp(d, (int)(e - 1)) >= amax) e--;
      while (ldexp(d, (int)e) < amax) e++;
      return pow2_code(sf, e);
    }
    uint32_t c = fp8_codec_encode(sf, amax / d, &scale_up, NULL);
    if (fma(fp8_codec_decode(sf, c), d, -amax) < 0 && c < fp8_format_max_code(sf))
      c++;   /* unsigned or positive codes ascend with their values */
    return c;
  }
  }
}

double fp8_block_scale_value(const fp8_block_format *bf, uint32_t code, double t)
{
  return fp8_codec_decode(&bf->scale, code) * t;
}

uint32_t fp8_block_encode(const fp8_block_format *bf, double t, const double *x, size_t len,
                          uint32_t *codes, const fp8_rounding *rc, unsigned *flags)
{
  double amax = 0;
  bool special = false;
  for (size_t i = 0; i < len; i++) {
    if (isnan(x[i]) || isinf(x[i]))
      special = true;
    else if (fabs(x[i]) > amax)
      amax = fabs(x[i]);
  }
  uint32_t sc = fp8_block_scale_code(bf, special ? NAN : amax, t);
  double xs = ldexp(fp8_block_scale_value(bf, sc, t), bf->shift);
  for (size_t i = 0; i < len; i++)
    codes[i] = special || !(xs > 0) ? 0
             : fp8_codec_encode(&bf->elem, x[i] / xs, rc ? rc : &elem_default, flags);
  return sc;
}

void fp8_block_decode(const fp8_block_format *bf, double t, uint32_t scale_code,
                      const uint32_t *codes, size_t len, double *out)
{
  double xs = ldexp(fp8_block_scale_value(bf, scale_code, t), bf->shift);
  for (size_t i = 0; i < len; i++)
    out[i] = isnan(xs) ? NAN : fp8_codec_decode(&bf->elem, codes[i]) * xs;
}

void fp8_block_quant_rows(const fp8_block_format *bf, double t, const double *in, double *out,
                          size_t nrows, size_t len, const fp8_rounding *rc, unsigned *flags)
{
  uint32_t codes[FP8_BLOCK_MAX];
  for (size_t r = 0; r < nrows; r++)
    for (size_t j = 0; j < len; j += (size_t)bf->block) {
      size_t n = len - j < (size_t)bf->block ? len - j : (size_t)bf->block;
      const double *x = in + r * len + j;
      uint32_t sc = fp8_block_encode(bf, t, x, n, codes, rc, flags);
      fp8_block_decode(bf, t, sc, codes, n, out + r * len + j);
    }
}
