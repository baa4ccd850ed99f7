/* lloydmax.c - Lloyd-Max iteration from a companding start. */
#include "lloydmax.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_linalg.h>

#include "mse.h"

#define COMPAND_TABLE 2048

fp8_lloydmax *fp8_lloydmax_alloc(size_t n)
{
  if (n < 2)
    return NULL;
  fp8_lloydmax *w = calloc(1, sizeof *w);
  if (!w)
    return NULL;
  w->n = n;
  w->levels = malloc(n * sizeof *w->levels);
  w->work = malloc(2 * (COMPAND_TABLE + 1) * sizeof *w->work);
  if (!w->levels || !w->work) {
    fp8_lloydmax_free(w);
    return NULL;
  }
  return w;
}

void fp8_lloydmax_free(fp8_lloydmax *w)
{
  if (!w)
    return;
  free(w->levels);
  free(w->work);
  free(w);
}

static double cube_root_pdf(double x, void *p)
{
  return cbrt(fp8_dist_pdf(p, x));
}

/* Panter-Dite start: levels at the (i+1/2)/n quantiles of the density
 * proportional to p^(1/3), from a table of its integral over [0, L] on an
 * asinh-spaced grid (fine near 0, reaching far into heavy tails). */
static void compand_start(fp8_lloydmax *w, const fp8_dist *d)
{
  double *xs = w->work, *cum = w->work + COMPAND_TABLE + 1;
  double L = fp8_dist_upper(d);
  if (isinf(L))
    L = fp8_dist_abs_quantile_upper(d, 1e-15);
  gsl_function F = {cube_root_pdf, (void *)d};
  double a = asinh(L);
  xs[0] = cum[0] = 0;
  for (int j = 1; j <= COMPAND_TABLE; j++) {
    xs[j] = j == COMPAND_TABLE ? L : sinh(a * j / COMPAND_TABLE);
    double r, err;
    size_t neval;
    gsl_integration_qng(&F, xs[j - 1], xs[j], 0, 1e-8, &r, &err, &neval);
    cum[j] = cum[j - 1] + r;
  }
  double total = cum[COMPAND_TABLE];
  size_t n = w->n;
  int j = 0;
  for (size_t i = n / 2; i < n; i++) {   /* upper half, then mirror */
    double target = (2.0 * ((double)i + 0.5) / (double)n - 1) * total;
    while (j < COMPAND_TABLE - 1 && cum[j + 1] < target)
      j++;
    double span = cum[j + 1] - cum[j];
    double t = span > 0 ? (target - cum[j]) / span : 0;
    w->levels[i] = xs[j] + t * (xs[j + 1] - xs[j]);
    w->levels[n - 1 - i] = -w->levels[i];
  }
  if (n % 2)
    w->levels[n / 2] = 0;
}

/* Cell i of the current codebook: [lo, hi] and its mass and first moment,
 * point masses at +-clip included. */
static void cell_moments(const fp8_lloydmax *w, const fp8_dist *d, size_t i,
                         double *lo, double *hi, double m[3])
{
  size_t n = w->n;
  double tail = fp8_dist_tail_mass(d), c = d->clip;
  *lo = i > 0 ? 0.5 * (w->levels[i - 1] + w->levels[i]) : -INFINITY;
  *hi = i + 1 < n ? 0.5 * (w->levels[i] + w->levels[i + 1]) : INFINITY;
  fp8_dist_moments(d, *lo, *hi, m);
  if (tail > 0) {
    if (*lo < c && c <= *hi) {
      m[0] += tail;
      m[1] += tail * c;
    }
    if (*lo < -c && -c <= *hi) {
      m[0] += tail;
      m[1] -= tail * c;
    }
  }
}

/* One Lloyd sweep: thresholds at midpoints, levels at centroids. */
static void lloyd_sweep(fp8_lloydmax *w, const fp8_dist *d, double *next)
{
  for (size_t i = 0; i < w->n; i++) {
    double lo, hi, m[3];
    cell_moments(w, d, i, &lo, &hi, m);
    next[i] = m[0] > 0 ? m[1] / m[0] : w->levels[i];
  }
  memcpy(w->levels, next, w->n * sizeof *next);
}

/* One Newton step on F_i(y) = y_i - centroid_i(y) = 0.  The centroid of cell
 * i moves with its two thresholds only (d c/d t = p(t) (t - c) / mass), and
 * each threshold is the mean of two levels, so the Jacobian is tridiagonal
 * (solved by GSL).  Returns the largest |F_i| before the step, or -1 if the
 * system could not be solved. */
static double newton_step(fp8_lloydmax *w, const fp8_dist *d, double *buf)
{
  size_t n = w->n;
  double *diag = buf, *sup = buf + n, *sub = sup + n, *rhs = sub + n, *dx = rhs + n;
  double fmax_ = 0;
  for (size_t i = 0; i < n; i++) {
    double lo, hi, m[3];
    cell_moments(w, d, i, &lo, &hi, m);
    double c = m[0] > 0 ? m[1] / m[0] : w->levels[i];
    double dhi = m[0] > 0 && isfinite(hi) ? fp8_dist_pdf(d, hi) * (hi - c) / m[0] : 0;
    double dlo = m[0] > 0 && isfinite(lo) ? fp8_dist_pdf(d, lo) * (c - lo) / m[0] : 0;
    rhs[i] = -(w->levels[i] - c);
    fmax_ = fmax(fmax_, fabs(rhs[i]));
    diag[i] = 1 - 0.5 * (dhi + dlo);
    if (i + 1 < n)
      sup[i] = -0.5 * dhi;
    if (i > 0)
      sub[i - 1] = -0.5 * dlo;
  }
  gsl_vector_view vd = gsl_vector_view_array(diag, n), ve = gsl_vector_view_array(sup, n - 1);
  gsl_vector_view vf = gsl_vector_view_array(sub, n - 1), vb = gsl_vector_view_array(rhs, n);
  gsl_vector_view vx = gsl_vector_view_array(dx, n);
  if (gsl_linalg_solve_tridiag(&vd.vector, &ve.vector, &vf.vector, &vb.vector, &vx.vector))
    return -1;
  for (size_t i = 0; i < n; i++)
    w->levels[i] += dx[i];
  return fmax_;
}

static int sorted(const double *y, size_t n)
{
  for (size_t i = 1; i < n; i++)
    if (!(y[i - 1] < y[i]))
      return 0;
  return 1;
}

int fp8_lloydmax_solve(fp8_lloydmax *w, const fp8_dist *d, double tol, int max_iter)
{
  if (tol <= 0)
    tol = 1e-11;
  if (max_iter <= 0)
    max_iter = 200000;
  size_t n = w->n;
  double *buf = malloc(6 * n * sizeof *buf);
  if (!buf)
    GSL_ERROR("out of memory", GSL_ENOMEM);
  double *save = buf + 5 * n;
  compand_start(w, d);
  double mse = fp8_mse_levels(d, w->levels, n, 1.0);
  int st = GSL_EMAXITER;
  /* Newton converges quadratically from the companding start; a step that
   * unsorts the levels or raises the MSE is undone and replaced by a Lloyd
   * sweep, which never raises it. */
  for (int it = 1; it <= max_iter; it++) {
    w->iterations = it;
    memcpy(save, w->levels, n * sizeof *save);
    double res = newton_step(w, d, buf);
    double next = NAN;
    if (res >= 0 && sorted(w->levels, n))
      next = fp8_mse_levels(d, w->levels, n, 1.0);
    if (!(next <= mse * (1 + 1e-13))) {
      memcpy(w->levels, save, n * sizeof *save);
      lloyd_sweep(w, d, buf);
      next = fp8_mse_levels(d, w->levels, n, 1.0);
    }
    int done = fabs(mse - next) <= tol * next;
    mse = fmin(mse, next);
    if (done) {
      st = GSL_SUCCESS;
      break;
    }
  }
  w->mse = fp8_mse_levels(d, w->levels, n, 1.0);
  free(buf);
  return st;
}
