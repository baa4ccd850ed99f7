/* quant_search.c - MSE-optimal scale of a tensor (quant_search.h): the tensor
 * becomes an empirical distribution (empirical.h) and goes through the same
 * scale search as the model distributions (fp8_mse_scale_search). */
#include "quant_search.h"
#include "dist.h"
#include "empirical.h"
#include "error.h"
#include "mse.h"
#include "quant.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

int fp8_quant_search_mse(const fp8_format *f, const fp8_array *xa, double *scale, double *mse,
                         char *err, size_t errlen)
{
  if (!f || !xa)
    return fp8_error_set(err, errlen, "missing format or array (NULL)");
  if (f->bits > FP8_QUANT_GRID_MAX_BITS)
    return fp8_error_set(err, errlen, "format '%s' has %d bits (expected at most %d for the scale search)",
                         f->name, f->bits, FP8_QUANT_GRID_MAX_BITS);
  size_t n = 1;
  for (int i = 0; i < xa->ndim && xa->ndim <= FP8_ARRAY_MAX_DIMS; i++)
    n *= xa->shape[i] > 0 ? (size_t)xa->shape[i] : 0;
  double *buf = malloc(n * sizeof *buf + ((size_t)1 << FP8_QUANT_GRID_MAX_BITS) * sizeof *buf);
  if (!buf)
    return fp8_error_set(err, errlen, "out of memory for %zu values", n);
  double *x = buf, *grid = x + n;
  int st = -1;
  if (fp8_array_to_f64(xa, x, n, err, errlen))
    goto out;
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    if (isinf(x[i])) {
      fp8_error_set(err, errlen, "value %g at flat index %zu is infinite (expected finite values or NaN "
                    "for the MSE scale search)", x[i], i);
      goto out;
    }
    if (!isnan(x[i]))
      x[m++] = x[i];
  }
  size_t g = fp8_quant_grid(f, grid);
  double gmax = g ? fmax(grid[g - 1], -grid[0]) : 0;
  if (g < 2 || !(gmax > 0)) {
    fp8_error_set(err, errlen, "format '%s' has fewer than two values", f->name);
    goto out;
  }
  double absmax = 0;
  for (size_t i = 0; i < m; i++)
    absmax = fmax(absmax, fabs(x[i]));
  if (!(absmax > 0)) {
    *scale = 1;
    *mse = 0;
    st = 0;
    goto out;
  }
  fp8_empirical *emp = fp8_empirical_alloc(m);
  if (!emp || fp8_empirical_set(emp, x, m, 1)) {
    fp8_empirical_free(emp);
    fp8_error_set(err, errlen, "out of memory for %zu values", m);
    goto out;
  }
  fp8_dist d;
  fp8_dist_empirical(&d, emp, "tensor");
  double s, ms;
  int gst = fp8_mse_scale_search(&d, grid, g, 0, &s, &ms);
  fp8_empirical_free(emp);
  if (gst) {
    fp8_error_set(err, errlen, "scale search failed: %s", gsl_strerror(gst));
    goto out;
  }
  double sum = 0;
  for (size_t i = 0; i < m; i++) {
    double e = x[i] - fp8_quant_value(f, s, x[i], NULL, NULL);
    sum += e * e;
  }
  *scale = s;
  *mse = sum / (double)m;
  st = 0;
out:
  free(buf);
  return st;
}
