/* quant.c - scaled quantization through the codec, and the format's grid. */
#include "quant.h"

#include <math.h>
#include <stdlib.h>

double fp8_quant_value(const fp8_format *f, double s, double x,
                       const fp8_rounding *rc, unsigned *flags)
{
  double v = fp8_codec_decode(f, fp8_codec_encode(f, x / s, rc, flags));
  return s * v;
}

void fp8_quant_tensor(const fp8_format *f, double s, const double *in, double *out,
                      size_t n, const fp8_rounding *rc, unsigned *flags)
{
  for (size_t i = 0; i < n; i++)
    out[i] = fp8_quant_value(f, s, in[i], rc, flags);
}

void fp8_quant_channels(const fp8_format *f, const double *scales, const double *in,
                        double *out, size_t nchan, size_t len,
                        const fp8_rounding *rc, unsigned *flags)
{
  for (size_t c = 0; c < nchan; c++)
    fp8_quant_tensor(f, scales[c], in + c * len, out + c * len, len, rc, flags);
}

double fp8_quant_absmax(const double *x, size_t n)
{
  double m = 0;
  for (size_t i = 0; i < n; i++)
    if (fabs(x[i]) > m)   /* false for NaN */
      m = fabs(x[i]);
  return m;
}

double fp8_quant_scale_max(const fp8_format *f, double absmax)
{
  return absmax > 0 ? absmax / fp8_format_max(f) : 1.0;
}

void fp8_quant_scales_max(const fp8_format *f, const double *in, size_t nchan,
                          size_t len, double *scales)
{
  for (size_t c = 0; c < nchan; c++)
    scales[c] = fp8_quant_scale_max(f, fp8_quant_absmax(in + c * len, len));
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

size_t fp8_quant_grid(const fp8_format *f, double *out)
{
  if (f->bits > FP8_QUANT_GRID_MAX_BITS)
    return 0;
  /* Values beyond a double (E >= 12) would decode to +-Inf or collapse into 0. */
  if (f->ebits && (fp8_format_emax(f) > 1023 || fp8_format_emin(f) - f->mbits < -1074))
    return 0;
  size_t n = 0;
  for (uint32_t code = 0; code <= fp8_format_ncodes_minus1(f); code++) {
    double v = fp8_codec_decode(f, code);
    if (isfinite(v))
      out[n++] = v == 0 ? 0.0 : v;   /* -0 and +0 are one grid value */
  }
  qsort(out, n, sizeof *out, cmp_double);
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (k == 0 || out[i] != out[k - 1])
      out[k++] = out[i];
  return k;
}

size_t fp8_quant_grid_nearest(const double *grid, size_t n, double x)
{
  size_t lo = 0, hi = n - 1;         /* invariant: answer in [lo, hi] */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (grid[mid] <= x)
      lo = mid;
    else
      hi = mid;
  }
  if (lo == hi)
    return lo;
  return x - grid[lo] <= grid[hi] - x ? lo : hi;
}
