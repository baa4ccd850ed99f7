/* mse.c - analytic and Monte Carlo MSE, and the global scale search. */
#include "mse.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_statistics_double.h>

#include "block.h"
#include "empirical.h"
#include "quant.h"

double fp8_mse_levels(const fp8_dist *d, const double *levels, size_t n, double s)
{
  if (d->kind == FP8_DIST_EMPIRICAL && fp8_empirical_prefers_merge(d->emp, n))
    return fp8_empirical_mse_levels(d->emp, levels, n, s);
  double c = fp8_dist_upper(d), total = 0;
  double lo = -INFINITY;
  for (size_t i = 0; i < n; i++) {
    double y = s * levels[i];
    double hi = i + 1 < n ? s * 0.5 * (levels[i] + levels[i + 1]) : INFINITY;
    if (hi > -c && lo < c) {      /* skip cells outside the support */
      double m[3];
      fp8_dist_moments(d, lo, hi, m);
      /* expanded (x-y)^2: the cancellation costs about log10(12 (y/w)^2)
       * digits for a cell of width w, at most ~6 for 8-bit grids */
      double cell = m[2] - 2 * y * m[1] + y * y * m[0];
      if (cell > 0)
        total += cell;
    }
    lo = hi;
  }
  double tail = fp8_dist_tail_mass(d);
  if (tail > 0) {                 /* the point masses at +-clip */
    for (int sg = -1; sg <= 1; sg += 2) {
      double x = sg * d->clip;
      double e = x - s * levels[fp8_quant_grid_nearest(levels, n, x / s)];
      total += tail * e * e;
    }
  }
  return total;
}

double fp8_mse_bits(double mse, double sigma)
{
  return -0.5 * log2(mse / (sigma * sigma));
}

/* ---- global scale search --------------------------------------------------- */

typedef struct search_ctx {
  double (*mse_of)(double s, void *ctx);
  void *ctx;
} search_ctx;

static double mse_of_log_scale(double u, void *p)
{
  const search_ctx *c = p;
  return c->mse_of(exp(u), c->ctx);
}

/* Brent on [a, b] from m (f(m) below both ends).  Returns the best point. */
static void refine(gsl_min_fminimizer *mz, gsl_function *F, double a, double m, double b,
                   double fa, double fm, double fb, double *u_best, double *f_best)
{
  if (gsl_min_fminimizer_set_with_values(mz, F, m, fm, a, fa, b, fb) != GSL_SUCCESS)
    return;
  for (int it = 0; it < 100; it++) {
    if (gsl_min_fminimizer_iterate(mz) != GSL_SUCCESS)
      break;
    if (gsl_min_test_interval(gsl_min_fminimizer_x_lower(mz), gsl_min_fminimizer_x_upper(mz),
                              1e-9, 0) == GSL_SUCCESS)
      break;
  }
  double f = gsl_min_fminimizer_f_minimum(mz);
  if (f < *f_best) {
    *f_best = f;
    *u_best = gsl_min_fminimizer_x_minimum(mz);
  }
}

#define REFINE_CANDIDATES 4

int fp8_mse_search(double (*mse_of)(double s, void *ctx), void *ctx, double gmax,
                   double top_lo, double top_hi, int per_octave, double *scale, double *mse)
{
  if (!(gmax > 0) || !(top_lo > 0) || !(top_hi >= top_lo) || isinf(top_hi))
    GSL_ERROR("scale search needs a nonzero level and a finite range 0 < lo <= hi", GSL_EINVAL);
  if (per_octave <= 0)
    per_octave = 32;
  double u0 = log(top_lo / gmax), u1 = log(top_hi / gmax);
  size_t np = (size_t)ceil((u1 - u0) / M_LN2 * per_octave) + 1;
  if (np < 3)
    np = 3;
  double *f = malloc(np * sizeof *f);
  if (!f)
    GSL_ERROR("out of memory", GSL_ENOMEM);
  double du = (u1 - u0) / (double)(np - 1);
  search_ctx sc = {mse_of, ctx};
  size_t ibest = 0;
  for (size_t i = 0; i < np; i++) {
    f[i] = mse_of_log_scale(u0 + du * (double)i, &sc);
    if (f[i] < f[ibest])
      ibest = i;
  }
  double u_best = u0 + du * (double)ibest, f_best = f[ibest];

  /* The best few strict interior minima of the scan, each refined: the scan
   * spacing can misorder two near-equal minima, Brent cannot cross them. */
  size_t cand[REFINE_CANDIDATES];
  int nc = 0;
  for (; nc < REFINE_CANDIDATES; nc++) {   /* selection: the nc-th best minimum */
    size_t pick = 0;
    for (size_t i = 1; i + 1 < np; i++) {
      if (!(f[i] < f[i - 1] && f[i] < f[i + 1]) || (pick && f[pick] <= f[i]))
        continue;
      int taken = 0;
      for (int k = 0; k < nc; k++)
        taken |= cand[k] == i;
      if (!taken)
        pick = i;
    }
    if (!pick)
      break;
    cand[nc] = pick;
  }
  gsl_min_fminimizer *mz = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
  if (!mz) {
    free(f);
    GSL_ERROR("out of memory", GSL_ENOMEM);
  }
  gsl_function F = {mse_of_log_scale, &sc};
  for (int k = 0; k < nc; k++) {
    size_t i = cand[k];
    refine(mz, &F, u0 + du * (double)(i - 1), u0 + du * (double)i, u0 + du * (double)(i + 1),
           f[i - 1], f[i], f[i + 1], &u_best, &f_best);
  }
  gsl_min_fminimizer_free(mz);
  free(f);
  *scale = exp(u_best);
  *mse = f_best;
  return GSL_SUCCESS;
}

typedef struct dist_ctx {
  const fp8_dist *d;
  const double *levels;
  size_t n;
} dist_ctx;

static double mse_of_dist(double s, void *p)
{
  const dist_ctx *c = p;
  return fp8_mse_levels(c->d, c->levels, c->n, s);
}

int fp8_mse_scale_search(const fp8_dist *d, const double *levels, size_t n,
                         int per_octave, double *scale, double *mse)
{
  double gmax = n ? fmax(levels[n - 1], -levels[0]) : 0;
  if (n < 2 || !(gmax > 0))
    GSL_ERROR("scale search needs at least two levels and a nonzero one", GSL_EINVAL);
  double top_lo, top_hi;
  fp8_dist_scale_span(d, &top_lo, &top_hi);
  /* a sample with few enough level changes over the scan's span: the exact
   * sweep over that span; its MSE through the same cell sums as every other
   * scale's, so tables compare like with like */
  if (d->kind == FP8_DIST_EMPIRICAL &&
      fp8_empirical_scale_exact(d->emp, levels, n, top_lo / gmax, top_hi / gmax, scale, mse) == 0) {
    *mse = fp8_mse_levels(d, levels, n, *scale);
    return GSL_SUCCESS;
  }
  dist_ctx c = {d, levels, n};
  int st = fp8_mse_search(mse_of_dist, &c, gmax, top_lo, top_hi, per_octave, scale, mse);
  /* Point masses at +-clip (a clipped model, a sample's repeated extreme
   * values) put a V-shaped minimum where a top level meets the clip exactly:
   * too narrow for the scan, so those scales are tried too. */
  double edge = d->kind == FP8_DIST_EMPIRICAL ? d->emp->absmax : d->tail > 0 ? d->clip : 0;
  for (int k = 0; st == GSL_SUCCESS && edge > 0 && isfinite(edge) && k < 2; k++) {
    double top = k ? -levels[0] : levels[n - 1];
    if (top > 0) {
      double m = fp8_mse_levels(d, levels, n, edge / top);
      if (m < *mse) {
        *mse = m;
        *scale = edge / top;
      }
    }
  }
  return st;
}

/* ---- Monte Carlo ----------------------------------------------------------- */

#define MC_CHUNK 4096
#define MC_MAX_GROUP 65536

static size_t gcd(size_t a, size_t b)
{
  while (b) {
    size_t r = a % b;
    a = b;
    b = r;
  }
  return a;
}

int fp8_mse_mc(const fp8_dist *d, gsl_rng *r, size_t n,
               const fp8_mc_quantizer *q, size_t nq, fp8_mc_result *res)
{
  if (n < 2)
    GSL_ERROR("Monte Carlo needs at least 2 samples", GSL_EINVAL);
  size_t L = 1;      /* every block size divides the chunk */
  for (size_t k = 0; k < nq; k++)
    if (q[k].block) {
      L = L / gcd(L, (size_t)q[k].block->block) * (size_t)q[k].block->block;
      if (L > MC_MAX_GROUP)
        GSL_ERROR("Monte Carlo: the block sizes' least common multiple exceeds 65536", GSL_EINVAL);
    }
  double cut = nq ? q[0].cut : 0;
  for (size_t k = 0; k < nq; k++)
    if (q[k].cut != cut)
      GSL_ERROR("Monte Carlo: quantizers sharing samples need the same cut", GSL_EINVAL);
  if (cut > 0 && !(fp8_dist_cdf(d, cut) - fp8_dist_cdf(d, -cut) >= 1e-6))
    GSL_ERROR("Monte Carlo: the cut keeps almost nothing of the distribution", GSL_EINVAL);
  size_t chunk = (MC_CHUNK + L - 1) / L * L;
  n = (n + L - 1) / L * L;
  double *x = malloc(3 * chunk * sizeof *x);
  double *mean = calloc(3 * (nq ? nq : 1), sizeof *mean);
  if (!x || !mean) {
    free(x);
    free(mean);
    GSL_ERROR("out of memory", GSL_ENOMEM);
  }
  double *y = x + chunk, *e = y + chunk, *m2 = mean + nq, *groups = m2 + nq;
  for (size_t done = 0; done < n;) {
    size_t m = n - done < chunk ? n - done : chunk;
    for (size_t j = 0; j < m; j++)
      do
        x[j] = fp8_dist_sample(d, r);
      while (cut > 0 && fabs(x[j]) > cut);
    for (size_t k = 0; k < nq; k++) {
      size_t g = 1;    /* values per independent group */
      if (q[k].block) {
        const fp8_block_format *bf = q[k].block;
        double a = q[k].a > 0 ? q[k].a : 1;
        g = (size_t)bf->block;
        for (size_t j = 0; j < m; j++)
          y[j] = a * x[j];
        fp8_block_quant_rows(bf, q[k].t, y, y, 1, m, NULL, NULL);
        for (size_t j = 0; j < m; j++)
          y[j] /= a;
      } else if (q[k].fmt) {
        fp8_quant_tensor(q[k].fmt, q[k].scale, x, y, m, NULL, NULL);
      } else {
        for (size_t j = 0; j < m; j++)
          y[j] = q[k].levels[fp8_quant_grid_nearest(q[k].levels, q[k].nlevels, x[j])];
      }
      size_t ng = m / g;
      for (size_t j = 0; j < ng; j++) {
        double s = 0;
        for (size_t i = j * g; i < (j + 1) * g; i++)
          s += (x[i] - y[i]) * (x[i] - y[i]);
        e[j] = s / (double)g;
      }
      /* chunk mean and sum of squares from GSL, merged exactly (Chan et al.) */
      double cm = gsl_stats_mean(e, 1, ng), tss = gsl_stats_tss_m(e, 1, ng, cm);
      double na = groups[k], nb = (double)ng, delta = cm - mean[k];
      mean[k] += delta * nb / (na + nb);
      m2[k] += tss + delta * delta * na * nb / (na + nb);
      groups[k] += nb;
    }
    done += m;
  }
  for (size_t k = 0; k < nq; k++) {
    res[k].mse = mean[k];
    res[k].se = sqrt(m2[k] / (groups[k] - 1) / groups[k]);
  }
  free(x);
  free(mean);
  return GSL_SUCCESS;
}
