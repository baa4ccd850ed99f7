/* block_mse.c - the analytic MSE of a block-scaled format (block_mse.h):
 * condition on the block's largest magnitude, integrate over it with QAGP. */
#include "block_mse.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>

#include "quant.h"

#define GRID_MAX (1u << FP8_QUANT_GRID_MAX_BITS)
#define QAGP_LIMIT 1024
#define QAGP_CHUNK 128           /* breakpoints per QAGP call (<= QAGP_LIMIT) */
#define LO_MASS 1e-15            /* P(M < m_lo) */
#define HI_MASS 1e-25            /* B P(|Y| > m_hi) */

struct fp8_block_mse_workspace {
  double grid[GRID_MAX];         /* element values, ascending */
  double bnd[GRID_MAX + 1];      /* cell boundaries in y: bnd[i] <= cell i < bnd[i+1] */
  double cum[GRID_MAX + 1];      /* H(bnd[j]) = signed int_0^bnd[j] of err * p */
  double kink[2 * GRID_MAX + 66]; /* the breakpoints of one scale's m-interval */
  double pts[QAGP_CHUNK + 2];
  gsl_integration_workspace *iw;
};

/* What the integrand needs: the distribution, the block, and the quantizer
 * under the current scale (levels lv[0..n) times xs; xs = 0: everything to 0). */
typedef struct ctx {
  fp8_block_mse_workspace *w;
  const fp8_dist *d;
  double a;                      /* Y = a X */
  double z_cut;                  /* P(|Y| <= cut): the conditioning's normalisation */
  int B;
  const double *lv;
  size_t n, z;                   /* z: the cell holding 0 */
  double xs;
} ctx;

double fp8_block_dist_amax(const fp8_dist *d, double n)
{
  return fp8_dist_abs_quantile_upper(d, -expm1(-M_LN2 / n));
}

fp8_block_mse_workspace *fp8_block_mse_alloc(void)
{
  fp8_block_mse_workspace *w = malloc(sizeof *w);
  if (!w)
    return NULL;
  w->iw = gsl_integration_workspace_alloc(QAGP_LIMIT);
  if (!w->iw) {
    free(w);
    return NULL;
  }
  return w;
}

void fp8_block_mse_free(fp8_block_mse_workspace *w)
{
  if (!w)
    return;
  gsl_integration_workspace_free(w->iw);
  free(w);
}

/* X * 2^shift for a block whose largest magnitude is m. */
static double scale_of(const fp8_block_format *bf, double m, double t)
{
  return ldexp(fp8_block_scale_value(bf, fp8_block_scale_code(bf, m, t), t), bf->shift);
}

/* int_u^w (y - xs*lv[i])^2 p_Y(y) dy, from the partial moments of X. */
static double cell(const ctx *c, size_t i, double u, double w)
{
  double m[3], yv = c->xs * c->lv[i];
  fp8_dist_moments(c->d, u / c->a, w / c->a, m);
  double v = c->a * c->a * m[2] - 2 * c->a * yv * m[1] + yv * yv * m[0];
  return v > 0 ? v : 0;
}

/* The cell holding y: bnd[i] <= y < bnd[i+1]. */
static size_t cell_of(const ctx *c, double y)
{
  size_t lo = 0, hi = c->n;      /* bnd[lo] <= y < bnd[hi] */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (c->w->bnd[mid] <= y)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

/* Set the quantizer for scale xs, with cum[] over the cells that |y| <= hi
 * reaches: cum[j] for cell_of(-hi) < j <= cell_of(hi). */
static void set_scale(ctx *c, const double *grid, size_t n, double xs, double hi)
{
  static const double zero = 0;
  double *bnd = c->w->bnd, *cum = c->w->cum;
  c->xs = xs;
  c->lv = xs > 0 ? grid : &zero;
  c->n = xs > 0 ? n : 1;
  bnd[0] = -INFINITY;
  bnd[c->n] = INFINITY;
  for (size_t i = 1; i < c->n; i++)
    bnd[i] = xs * 0.5 * (c->lv[i - 1] + c->lv[i]);
  size_t z = c->z = cell_of(c, 0);
  size_t ilo = cell_of(c, -hi), ihi = cell_of(c, hi);
  if (z + 1 <= ihi) {
    cum[z + 1] = cell(c, z, 0, bnd[z + 1]);
    for (size_t j = z + 2; j <= ihi; j++)
      cum[j] = cum[j - 1] + cell(c, j - 1, bnd[j - 1], bnd[j]);
  }
  if (ilo + 1 <= z) {
    cum[z] = -cell(c, z, bnd[z], 0);
    for (size_t j = z - 1; j >= ilo + 1; j--)
      cum[j] = cum[j + 1] - cell(c, j, bnd[j], bnd[j + 1]);
  }
}

/* H(y) = signed int_0^y (y' - q(y'))^2 p_Y(y') dy', |y| < hi of set_scale. */
static double H(const ctx *c, double y)
{
  size_t i = cell_of(c, y);
  const double *bnd = c->w->bnd, *cum = c->w->cum;
  if (i > c->z)
    return cum[i] + cell(c, i, bnd[i], y);
  if (i < c->z)
    return cum[i + 1] - cell(c, i, y, bnd[i + 1]);
  return y >= 0 ? cell(c, i, 0, y) : -cell(c, i, y, 0);
}

static double q_of(const ctx *c, double y)
{
  return c->xs > 0 ? c->xs * c->lv[fp8_quant_grid_nearest(c->lv, c->n, y / c->xs)] : 0;
}

/* The max's own error, both signs averaged. */
static double e_max(const ctx *c, double m)
{
  double ep = m - q_of(c, m), en = -m - q_of(c, -m);
  return 0.5 * (ep * ep + en * en);
}

static double G(const ctx *c, double m)
{
  double g = H(c, m) - H(c, -m);
  return g > 0 ? g : 0;
}

/* P(|Y| <= m) for m below the clip. */
static double F_abs(const ctx *c, double m)
{
  double mo[3];
  fp8_dist_moments(c->d, -m / c->a, m / c->a, mo);
  return mo[0];
}

static double integrand(double m, void *p)
{
  const ctx *c = p;
  double F = F_abs(c, m) / c->z_cut, f = 2 * fp8_dist_pdf(c->d, m / c->a) / c->a / c->z_cut;
  if (!(f > 0))
    return 0;
  double v = pow(F, c->B - 1) * e_max(c, m);
  if (c->B > 1)
    v += (c->B - 1) * pow(F, c->B - 2) * G(c, m) / c->z_cut;
  return v * f;
}

static int cmp_double(const void *x, const void *y)
{
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

/* The first m in (lo, end] whose scale differs from lo's, or end. */
static double next_break(const fp8_block_format *bf, double t, double lo, double end)
{
  double x0 = scale_of(bf, lo, t), hi = lo;
  for (;;) {
    hi = fmin(2 * hi, end);
    if (scale_of(bf, hi, t) != x0)
      break;
    if (hi >= end)
      return end;
  }
  double a = lo, b = hi;        /* scale(a) = x0 != scale(b) */
  for (;;) {
    double mid = a + 0.5 * (b - a);
    if (mid <= a || mid >= b)
      return b;
    if (scale_of(bf, mid, t) == x0)
      a = mid;
    else
      b = mid;
  }
}

/* int_lo^hi of the integrand under one scale, the cell edges (the kinks of
 * e(m)) as QAGP's breakpoints, at most QAGP_CHUNK intervals per call. */
static int integrate_piece(ctx *c, double lo, double hi, double epsabs, double *sum, double *err)
{
  fp8_block_mse_workspace *w = c->w;
  size_t nk = 0;
  w->kink[nk++] = lo;
  for (size_t k = cell_of(c, lo) + 1; k <= cell_of(c, hi) && k < c->n; k++)
    if (w->bnd[k] > lo && w->bnd[k] < hi)
      w->kink[nk++] = w->bnd[k];
  for (size_t j = cell_of(c, -hi) + 1; j <= cell_of(c, -lo) && j < c->n; j++)
    if (-w->bnd[j] > lo && -w->bnd[j] < hi)
      w->kink[nk++] = -w->bnd[j];
  /* and a point per octave: a saturated scale can hold over a wide range,
   * where a power-law tail would otherwise meet one QAGP interval */
  for (double m = 2 * lo; m < hi && nk < 2 * GRID_MAX + 64; m *= 2)
    w->kink[nk++] = m;
  qsort(w->kink + 1, nk - 1, sizeof *w->kink, cmp_double);
  w->kink[nk++] = hi;
  gsl_function F = {integrand, c};
  for (size_t s = 0; s + 1 < nk;) {
    size_t np = 1;
    w->pts[0] = w->kink[s];
    for (size_t k = s + 1; k < nk && np <= QAGP_CHUNK; k++)
      if (w->kink[k] > w->pts[np - 1])     /* drop duplicates (+-edges of a symmetric grid) */
        w->pts[np++] = w->kink[s = k];
      else
        s = k;
    if (np < 2)
      break;
    double r, e;
    int st = gsl_integration_qagp(&F, w->pts, np, epsabs, 1e-10, QAGP_LIMIT, w->iw, &r, &e);
    if (st && st != GSL_EROUND)
      return st;
    *sum += r;
    *err += e;
  }
  return GSL_SUCCESS;
}

double fp8_block_cut_sigma(const fp8_dist *d, double cut)
{
  if (!(cut < fp8_dist_upper(d)))
    return fp8_dist_sigma(d);
  double m[3];
  fp8_dist_moments(d, -cut, cut, m);
  return sqrt(m[2] / m[0]);
}

/* An outermost grid level the block quantizer never produces is dropped
 * (e.g. a two's complement element's -2^(n-1), below -max, if the quantizer
 * saturates symmetrically).  Probed through fp8_block_quant_rows itself:
 * one-value blocks just inside a power of two (and of t times one), whose
 * quotient by their own scale lies nearest to the end level; the first probe
 * that reaches that level's cell decides. */
static void trim_ends(const fp8_block_format *bf, double t, double *grid, size_t *n)
{
  for (int end = 0; end < 2 && *n > 2; end++) {
    double v = end ? grid[*n - 1] : grid[0];
    size_t want = end ? *n - 1 : 0;
    for (int k = 0; k < 34; k++) {
      double m = ldexp(1 - 0x1p-30, k % 17 - 8) * (k < 17 ? 1 : t);
      double xs = scale_of(bf, m, t);
      double x = v < 0 ? -m : m, q;
      if (!(xs > 0) || fp8_quant_grid_nearest(grid, *n, x / xs) != want)
        continue;
      fp8_block_quant_rows(bf, t, &x, &q, 1, 1, NULL, NULL);
      if (q != v * xs) {          /* unreachable: drop it */
        if (!end)
          memmove(grid, grid + 1, (*n - 1) * sizeof *grid);
        (*n)--;
      }
      break;
    }
  }
}

int fp8_block_mse(fp8_block_mse_workspace *w, const fp8_block_format *bf, const fp8_dist *d,
                  double a, double cut, double t, double *mse, double *abserr)
{
  if (d->kind == FP8_DIST_EMPIRICAL)
    GSL_ERROR("block formats: the analytic MSE needs a parametric distribution", GSL_EINVAL);
  if (!(a > 0) || isinf(a))
    GSL_ERROR("block formats: the distribution's scale must be finite and positive", GSL_EINVAL);
  size_t n = fp8_quant_grid(&bf->elem, w->grid);
  if (n < 2)
    GSL_ERROR("block formats: element format wider than 16 bits", GSL_EINVAL);
  if (!(cut > 0))
    GSL_ERROR("block formats: the cut must be positive", GSL_EINVAL);
  trim_ends(bf, t, w->grid, &n);
  ctx c = {.w = w, .d = d, .a = a, .z_cut = 1, .B = bf->block};
  double up = a * fp8_dist_upper(d);
  double m_hi = fmin(a * fp8_dist_abs_quantile_upper(d, HI_MASS / bf->block), up);
  if (cut < up) {            /* Y conditioned on |Y| <= cut: no point masses */
    m_hi = fmin(m_hi, cut);
    c.z_cut = F_abs(&c, cut);
  }
  double m_lo = a * fp8_dist_abs_quantile_upper(d, -expm1(log(LO_MASS) / bf->block));
  if (!(m_lo > 0) || m_lo >= m_hi)
    m_lo = m_hi * 1e-30;
  double sigma = a * fp8_block_cut_sigma(d, cut / a);
  double epsabs = 1e-16 * sigma * sigma;
  double sum = 0, err = 0;
  for (double lo = m_lo; lo < m_hi;) {
    double hi = next_break(bf, t, lo, m_hi);
    set_scale(&c, w->grid, n, scale_of(bf, lo, t), hi);
    int st = integrate_piece(&c, lo, hi, epsabs, &sum, &err);
    if (st)
      return st;
    lo = hi;
  }
  double tau = fp8_dist_tail_mass(d);
  if (tau > 0 && !(cut < up)) {   /* the point masses at +-clip: M = c */
    double cl = up;
    set_scale(&c, w->grid, n, scale_of(bf, cl, t), cl);
    double Fc = F_abs(&c, cl);
    sum += 2 * tau * e_max(&c, cl) + G(&c, cl) * (1 - pow(Fc, bf->block - 1));
  }
  *mse = sum;
  *abserr = err;
  return GSL_SUCCESS;
}
