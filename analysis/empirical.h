/* empirical.h - a sample of real values (a tensor, one channel of it) as a
 * distribution: the empirical measure, 1/n at each value.
 *
 * fp8_dist_empirical makes an fp8_dist of it, so the analytic MSE and the
 * global scale search of mse.h, and fp8_accuracy_format, apply unchanged to
 * real data: the partial moments over a cell [a, b) are the sums of x^0, x^1,
 * x^2 over the values in the cell, divided by n, read from prefix sums of the
 * sorted values (two searches per cell; consecutive cells reuse the shared
 * boundary, so a sweep over a grid costs O(levels + log n)).
 *
 * Cells are half-open [a, b): a value exactly at a midpoint between two
 * levels goes to the upper cell, and its squared error is the same either way.
 *
 * The workspace is not thread-safe (the search cursor is cached in it).
 */
#ifndef FP8_EMPIRICAL_H
#define FP8_EMPIRICAL_H

#include <stddef.h>
#include <gsl/gsl_rng.h>

typedef struct fp8_empirical {
  size_t n, cap;
  double *x;            /* the values, ascending */
  double *p1, *p2;      /* p_k[i] = sum of x[j]^k, j < i (n + 1 entries) */
  double mean, sigma;   /* sigma: population standard deviation (1/n) */
  double absmax;
  size_t cursor;        /* index found by the last moments call */
  double cursor_at;
} fp8_empirical;

/* Room for samples of up to cap values.  NULL if out of memory. */
fp8_empirical *fp8_empirical_alloc(size_t cap);
void fp8_empirical_free(fp8_empirical *e);

/* Take n values x[0], x[stride], ... (n <= cap).  Returns 0, or a GSL error
 * code: GSL_EINVAL for n == 0, n > cap or a NaN/infinite value. */
int fp8_empirical_set(fp8_empirical *e, const double *x, size_t n, size_t stride);

/* m[k] = (1/n) * sum of x^k over values in [a, b), k = 0, 1, 2. */
void fp8_empirical_moments(fp8_empirical *e, double a, double b, double m[3]);
/* E[(X - q(X))^2] for q = nearest of s*levels[0..nl) (ascending, s > 0): for
 * small samples one merge of the sorted values with the cells, O(n + nl), which
 * fp8_mse_levels uses instead of the per-cell moments when n is at most a few
 * times nl; the same number up to rounding (a value at a midpoint has the same
 * error on either side). */
double fp8_empirical_mse_levels(const fp8_empirical *e, const double *levels, size_t nl, double s);
/* Whether fp8_empirical_mse_levels is the faster way for nl levels. */
static inline int fp8_empirical_prefers_merge(const fp8_empirical *e, size_t nl)
{ return e->n <= 8 * nl; }

/* The exact minimum over the scales s in [s_lo, s_hi] (0 < s_lo < s_hi) of
 * the sample's E[(X - q(X))^2], q = nearest of s*levels[0..nl) (ascending,
 * nl >= 2): a sweep over the breakpoints where a value changes level
 * (empirical_exact.c).  O(E log E) for the E level changes between s_lo and
 * s_hi, so it refuses more than FP8_EMPIRICAL_EXACT_MAX of them: GSL_EINVAL
 * (then search as for a model distribution), GSL_ENOMEM, or GSL_SUCCESS with
 * *scale and *mse (the MSE from the sweep's sums; fp8_mse_levels at *scale
 * is the same up to rounding). */
#define FP8_EMPIRICAL_EXACT_MAX ((size_t)1 << 20)
int fp8_empirical_scale_exact(const fp8_empirical *e, const double *levels, size_t nl,
                              double s_lo, double s_hi, double *scale, double *mse);

/* P(X <= x). */
double fp8_empirical_cdf(const fp8_empirical *e, double x);
/* The smallest t >= 0 with P(|X| > t) <= q (0 < q < 1). */
double fp8_empirical_abs_quantile_upper(const fp8_empirical *e, double q);
/* One value drawn uniformly from the sample. */
double fp8_empirical_sample(const fp8_empirical *e, gsl_rng *r);

#endif
