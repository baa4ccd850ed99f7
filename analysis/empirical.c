/* empirical.c - the empirical distribution of a sample: sorted values and
 * prefix sums of x and x^2. */
#include "empirical.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

fp8_empirical *fp8_empirical_alloc(size_t cap)
{
  fp8_empirical *e = calloc(1, sizeof *e);
  if (!e)
    return NULL;
  e->cap = cap ? cap : 1;
  e->x = malloc(e->cap * sizeof *e->x);
  e->p1 = malloc((e->cap + 1) * sizeof *e->p1);
  e->p2 = malloc((e->cap + 1) * sizeof *e->p2);
  if (!e->x || !e->p1 || !e->p2) {
    fp8_empirical_free(e);
    return NULL;
  }
  return e;
}

void fp8_empirical_free(fp8_empirical *e)
{
  if (!e)
    return;
  free(e->x);
  free(e->p1);
  free(e->p2);
  free(e);
}

int fp8_empirical_set(fp8_empirical *e, const double *x, size_t n, size_t stride)
{
  if (n == 0 || n > e->cap)
    GSL_ERROR("empirical sample: need 1..cap values", GSL_EINVAL);
  for (size_t i = 0; i < n; i++) {
    e->x[i] = x[i * stride];
    if (!isfinite(e->x[i]))
      GSL_ERROR("empirical sample: a value is NaN or infinite", GSL_EINVAL);
  }
  e->n = n;
  gsl_sort(e->x, 1, n);
  e->p1[0] = e->p2[0] = 0;
  for (size_t i = 0; i < n; i++) {
    e->p1[i + 1] = e->p1[i] + e->x[i];
    e->p2[i + 1] = e->p2[i] + e->x[i] * e->x[i];
  }
  e->mean = gsl_stats_mean(e->x, 1, n);
  e->sigma = sqrt(gsl_stats_variance_with_fixed_mean(e->x, 1, n, e->mean));
  e->absmax = fmax(-e->x[0], e->x[n - 1]);
  e->cursor = 0;
  e->cursor_at = -INFINITY;
  return GSL_SUCCESS;
}

/* First index i in [0, n] with i == n or x[i] >= v, searched from hint h
 * (galloping when the answer is at or after h, binary below it). */
static size_t lower_bound(const fp8_empirical *e, double v, size_t h)
{
  size_t lo = 0, hi = e->n;
  if (h > e->n)
    h = e->n;
  if (h > 0 && !(e->x[h - 1] < v)) {
    hi = h - 1;
  } else {
    lo = h;
    for (size_t step = 1;; step *= 2) {
      size_t probe = lo + step - 1;
      if (probe >= e->n) {
        hi = e->n;
        break;
      }
      if (e->x[probe] >= v) {
        hi = probe;
        break;
      }
      lo = probe + 1;
    }
  }
  while (lo < hi) {   /* answer in [lo, hi] */
    size_t mid = lo + (hi - lo) / 2;
    if (e->x[mid] < v)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

void fp8_empirical_moments(fp8_empirical *e, double a, double b, double m[3])
{
  m[0] = m[1] = m[2] = 0;
  if (!(a < b) || e->n == 0)
    return;
  size_t ia = a == e->cursor_at ? e->cursor : lower_bound(e, a, e->cursor);
  size_t ib = lower_bound(e, b, ia);
  e->cursor = ib;
  e->cursor_at = b;
  double n = (double)e->n;
  m[0] = (double)(ib - ia) / n;
  m[1] = (e->p1[ib] - e->p1[ia]) / n;
  m[2] = (e->p2[ib] - e->p2[ia]) / n;
}

double fp8_empirical_mse_levels(const fp8_empirical *e, const double *levels, size_t nl, double s)
{
  size_t k = 0;
  double total = 0;
  for (size_t i = 0; i < e->n; i++) {
    double x = e->x[i];
    while (k + 1 < nl && x >= s * 0.5 * (levels[k] + levels[k + 1]))
      k++;                       /* cells are [midpoint below, midpoint above) */
    double err = x - s * levels[k];
    total += err * err;
  }
  return total / (double)e->n;
}

double fp8_empirical_cdf(const fp8_empirical *e, double x)
{
  /* count of values <= x: the first index with value > x */
  size_t lo = 0, hi = e->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (e->x[mid] <= x)
      lo = mid + 1;
    else
      hi = mid;
  }
  return e->n ? (double)lo / (double)e->n : 0;
}

double fp8_empirical_abs_quantile_upper(const fp8_empirical *e, double q)
{
  /* |x| sorted would need a copy; the k-th largest |x| from both ends instead */
  size_t n = e->n, k = (size_t)floor(q * (double)n);   /* at most k values may exceed t */
  if (n == 0)
    return 0;
  if (k >= n)
    return 0;
  size_t lo = 0, hi = n - 1;
  /* walk k values off the ends, always the larger magnitude first */
  for (size_t i = 0; i < k; i++) {
    if (-e->x[lo] > e->x[hi])
      lo++;
    else
      hi--;
  }
  return fmax(-e->x[lo], e->x[hi]);
}

double fp8_empirical_sample(const fp8_empirical *e, gsl_rng *r)
{
  return e->x[gsl_rng_uniform_int(r, e->n)];
}
