/* quant_search.c - MSE-optimal scale of a tensor (quant_search.h). */
#include "quant_search.h"
#include "error.h"
#include "mse.h"
#include "quant.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

typedef struct emp {
  const double *x;        /* sorted finite samples */
  const double *p1, *p2;  /* p1[i] = sum of x[0..i), p2 the same of x^2 */
  size_t n;
  const double *grid;
  size_t g;
} emp;

/* First index with x[i] > v (upper: true) or x[i] >= v (upper: false). */
static size_t bound(const double *x, size_t n, double v, bool upper)
{
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (x[mid] < v || (upper && x[mid] == v))
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* The empirical MSE at scale s.  A sample on a midpoint goes to the lower
 * level, as fp8_quant_grid_nearest decides.  Cell by cell from the prefix
 * sums (O(g log n)) or sample by sample (O(n log g)), whichever is cheaper:
 * 16-bit grids outnumber small tensors. */
static double emp_mse(double s, void *p)
{
  const emp *e = p;
  double total = 0;
  if (e->n < e->g) {
    for (size_t i = 0; i < e->n; i++) {
      double d = e->x[i] - s * e->grid[fp8_quant_grid_nearest(e->grid, e->g, e->x[i] / s)];
      total += d * d;
    }
    return total / (double)e->n;
  }
  size_t a = 0;
  for (size_t i = 0; i < e->g; i++) {
    size_t b = i + 1 < e->g ? bound(e->x, e->n, s * 0.5 * (e->grid[i] + e->grid[i + 1]), true) : e->n;
    if (b > a) {
      double y = s * e->grid[i];
      double cell = (e->p2[b] - e->p2[a]) - 2 * y * (e->p1[b] - e->p1[a]) + y * y * (double)(b - a);
      if (cell > 0)
        total += cell;
    }
    a = b;
  }
  return total / (double)e->n;
}

static int cmp_double(const void *pa, const void *pb)
{
  double a = *(const double *)pa, b = *(const double *)pb;
  return (a > b) - (a < b);
}

/* The k-th smallest |x| (0-based) of sorted x: merge outward from zero. */
static double abs_rank(const double *x, size_t n, size_t k)
{
  size_t pos = bound(x, n, 0.0, false), neg = pos;  /* x[neg-1] < 0 <= x[pos] */
  double v = 0;
  for (size_t i = 0; i <= k; i++) {
    if (pos < n && (neg == 0 || x[pos] <= -x[neg - 1]))
      v = x[pos++];
    else
      v = -x[--neg];
  }
  return v;
}

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
  double *buf = malloc((3 * n + 2) * sizeof *buf + ((size_t)1 << FP8_QUANT_GRID_MAX_BITS) * sizeof *buf);
  if (!buf)
    return fp8_error_set(err, errlen, "out of memory for %zu values", n);
  double *x = buf, *p1 = x + n, *p2 = p1 + n + 1, *grid = p2 + n + 1;
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
  qsort(x, m, sizeof *x, cmp_double);
  double absmax = m ? fmax(-x[0], x[m - 1]) : 0;
  if (!(absmax > 0)) {
    *scale = 1;
    *mse = 0;
    st = 0;
    goto out;
  }
  p1[0] = p2[0] = 0;
  for (size_t i = 0; i < m; i++) {
    p1[i + 1] = p1[i] + x[i];
    p2[i + 1] = p2[i] + x[i] * x[i];
  }
  double lo = abs_rank(x, m, m / 2);
  if (!(lo > 0)) {                        /* half or more are zeros: the smallest nonzero */
    size_t zeros = bound(x, m, 0.0, true) - bound(x, m, 0.0, false);
    lo = abs_rank(x, m, zeros);
  }
  emp e = {x, p1, p2, m, grid, g};
  double s, ms;
  int gst = fp8_mse_search(emp_mse, &e, gmax, fmin(lo, absmax), 2 * absmax, 0, &s, &ms);
  if (gst) {
    fp8_error_set(err, errlen, "scale search failed: %s", gsl_strerror(gst));
    goto out;
  }
  double sum = 0;
  for (size_t i = 0; i < m; i++) {
    double d = x[i] - fp8_quant_value(f, s, x[i], NULL, NULL);
    sum += d * d;
  }
  *scale = s;
  *mse = sum / (double)m;
  st = 0;
out:
  free(buf);
  return st;
}
