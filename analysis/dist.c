/* dist.c - pdf, cdf, sampling and partial moments of the input distributions.
 *
 * Moments are built from half-line antiderivatives of the unclipped ("base")
 * density, for x >= 0:  L_k(x) = int_0^x t^k p,  U_k(x) = int_x^inf t^k p.
 * Near zero L keeps relative precision; far out U does (1 - F(x) computed as
 * F(x) loses every digit in a tail), so a cell beyond TAIL_SWITCH uses U.
 * The negative half follows by symmetry. */
#include "dist.h"
#include "empirical.h"
#include "error.h"
#include "spell.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>

#define TAIL_SWITCH 1.0

/* ---- half-line antiderivatives of the base distribution ---------------- */

/* Student's t: x^2 p_nu = nu*C_nu*(1+x^2/nu)^(-(nu-1)/2) - nu*p_nu, and the
 * first term is, after y = x*sqrt((nu-2)/nu), a t density with nu-2 degrees
 * of freedom: this factor turns it into nu-2 cdf values (nu > 2). */
static double t_m2_factor(double nu)
{
  return nu * gsl_ran_tdist_pdf(0, nu) / gsl_ran_tdist_pdf(0, nu - 2) * sqrt(nu / (nu - 2));
}

/* int_0^x t p_nu(t) dt, closed form for every nu > 0. */
static double t_L1(double nu, double x)
{
  double c = gsl_ran_tdist_pdf(0, nu), l = log1p(x * x / nu);
  if (nu == 1)
    return c * 0.5 * l;
  return c * nu / (nu - 1) * -expm1(-(nu - 1) / 2 * l);
}

/* Whether U_k exists (is finite) for the base distribution. */
static int has_U(const fp8_dist *d, int k)
{
  if (d->kind == FP8_DIST_UNIFORM)
    return 0;                 /* bounded: L is exact everywhere */
  if (d->kind == FP8_DIST_STUDENT_T)
    return d->nu > k;
  return 1;
}

/* All three antiderivatives at x >= 0 (x may be INFINITY where finite), from
 * below (upper == 0: L_k) or from the tail (upper == 1: U_k, only where
 * has_U).  One call shares the expensive cdf evaluations between k. For
 * Student's t with nu <= 2, L_2 is left out (see quad_m2). */
static void base_anti(const fp8_dist *d, double x, int upper, double v[3])
{
  v[0] = v[1] = v[2] = NAN;
  if (upper && isinf(x)) {
    v[0] = v[1] = v[2] = 0;
    return;
  }
  switch (d->kind) {
  case FP8_DIST_UNIFORM: {
    double u = fmin(x, 1.0);
    v[0] = u / 2;
    v[1] = u * u / 4;
    v[2] = u * u * u / 6;
    return;
  }
  case FP8_DIST_GAUSSIAN: {
    if (isinf(x)) {
      v[0] = v[2] = 0.5;
      v[1] = gsl_ran_ugaussian_pdf(0);
      return;
    }
    double phi = gsl_ran_ugaussian_pdf(x);
    if (upper) {
      v[0] = gsl_cdf_ugaussian_Q(x);
      v[1] = phi;
      v[2] = v[0] + x * phi;
    } else {
      v[0] = 0.5 * erf(x * M_SQRT1_2);
      v[1] = -gsl_ran_ugaussian_pdf(0) * expm1(-0.5 * x * x);
      v[2] = v[0] - x * phi;
    }
    return;
  }
  case FP8_DIST_LAPLACE: {
    if (isinf(x)) {
      v[0] = v[1] = 0.5;
      v[2] = 1;
      return;
    }
    double e = exp(-x), em = -expm1(-x);
    if (upper) {
      v[0] = 0.5 * e;
      v[1] = 0.5 * (x + 1) * e;
      v[2] = 0.5 * (x * x + 2 * x + 2) * e;
    } else {
      v[0] = 0.5 * em;
      v[1] = 0.5 * (em - x * e);
      v[2] = 0.5 * (2 * em - (x * x + 2 * x) * e);
    }
    return;
  }
  case FP8_DIST_STUDENT_T: {
    double nu = d->nu, c = gsl_ran_tdist_pdf(0, nu);
    if (isinf(x)) {
      v[0] = 0.5;
      v[1] = nu > 1 ? c * nu / (nu - 1) : INFINITY;
      v[2] = nu > 2 ? 0.5 * nu / (nu - 2) : INFINITY;
      return;
    }
    double y = x * sqrt((nu - 2) / nu);
    if (upper) {
      v[0] = gsl_cdf_tdist_Q(x, nu);
      v[1] = c * nu / (nu - 1) * exp(-(nu - 1) / 2 * log1p(x * x / nu));
      if (nu > 2)
        v[2] = t_m2_factor(nu) * gsl_cdf_tdist_Q(y, nu - 2) - nu * v[0];
    } else {
      v[0] = gsl_cdf_tdist_P(x, nu) - 0.5;
      v[1] = t_L1(nu, x);
      if (nu > 2)
        v[2] = t_m2_factor(nu) * (gsl_cdf_tdist_P(y, nu - 2) - 0.5) - nu * v[0];
    }
    return;
  }
  case FP8_DIST_EMPIRICAL:   /* moments come from the sample (fp8_empirical_moments) */
    return;
  }
}

static double x2_pdf(double x, void *p)
{
  const fp8_dist *d = p;
  return x * x * gsl_ran_tdist_pdf(x, d->nu);
}

/* int_a^b x^2 p for Student's t with nu <= 2 (no closed form that GSL's
 * special functions cover), 0 <= a <= b.  Bounded work: one non-adaptive
 * Gauss-Kronrod (qng) where the integrand is tame; else adaptive qag over
 * u = log x (the integrand x^3 p(x) in u is smooth over any number of
 * octaves, clip=1e300 included) with at most QUAD_LIMIT subintervals, and the
 * error estimate acted on: NAN when the result is not within QUAD_REL, which
 * the callers report instead of printing a wrong number. */
#define QUAD_LIMIT 200
#define QUAD_REL 1e-10

static double x3_pdf_log(double u, void *p)
{
  const fp8_dist *d = p;
  double x = exp(u);
  return x * x * x * gsl_ran_tdist_pdf(x, d->nu);
}

static double quad_m2(const fp8_dist *d, double a, double b)
{
  gsl_function F = {x2_pdf, (void *)d};
  double r, err, total = 0;
  size_t neval;
  /* not converging is a cue to try harder, not an error: handler off (restored) */
  gsl_error_handler_t *h = gsl_set_error_handler_off();
  int st = gsl_integration_qng(&F, a, b, 0, 1e-11, &r, &err, &neval);
  if (st == GSL_SUCCESS) {
    gsl_set_error_handler(h);
    return r;
  }
  gsl_integration_workspace *w = gsl_integration_workspace_alloc(QUAD_LIMIT);
  st = w ? GSL_SUCCESS : GSL_ENOMEM;
  double lo = a;
  if (st == GSL_SUCCESS && a < 1) {          /* [a, min(b, 1)] directly: bounded, smooth */
    double hi = fmin(b, 1.0);
    st = gsl_integration_qag(&F, a, hi, 0, QUAD_REL, QUAD_LIMIT, GSL_INTEG_GAUSS21, w, &r, &err);
    total += r;
    lo = hi;
  }
  if (st == GSL_SUCCESS && lo < b) {
    gsl_function G = {x3_pdf_log, (void *)d};
    st = gsl_integration_qag(&G, log(lo), log(b), 0, QUAD_REL, QUAD_LIMIT, GSL_INTEG_GAUSS21, w, &r, &err);
    total += r;
  }
  gsl_integration_workspace_free(w);
  gsl_set_error_handler(h);
  return st == GSL_SUCCESS && isfinite(total) ? total : NAN;
}

/* Moments over [a, b] with 0 <= a <= b, clipped support already applied. */
static void half_moments(const fp8_dist *d, double a, double b, double m[3])
{
  double va[3], vb[3];
  int upper = a >= TAIL_SWITCH && has_U(d, 0);
  base_anti(d, a, upper, va);
  base_anti(d, b, upper, vb);
  for (int k = 0; k < 3; k++) {
    if (upper && !has_U(d, k)) {   /* t with nu <= k: from below instead */
      double la[3], lb[3];
      base_anti(d, a, 0, la);
      base_anti(d, b, 0, lb);
      va[k] = -la[k];
      vb[k] = -lb[k];
    }
    m[k] = upper ? va[k] - vb[k] : vb[k] - va[k];
  }
  if (d->kind == FP8_DIST_STUDENT_T && d->nu <= 2)
    m[2] = quad_m2(d, a, b);
}

void fp8_dist_moments(const fp8_dist *d, double a, double b, double m[3])
{
  if (d->kind == FP8_DIST_EMPIRICAL) {
    fp8_empirical_moments(d->emp, a, b, m);
    return;
  }
  double c = fp8_dist_upper(d);
  a = fmax(a, -c);
  b = fmin(b, c);
  m[0] = m[1] = m[2] = 0;
  if (!(a < b))
    return;
  if (b > 0) {
    double h[3];
    half_moments(d, fmax(a, 0), b, h);
    for (int k = 0; k < 3; k++)
      m[k] += h[k];
  }
  if (a < 0) {                       /* mirror: x -> -x flips odd moments */
    double h[3];
    half_moments(d, fmax(-b, 0), -a, h);
    m[0] += h[0];
    m[1] -= h[1];
    m[2] += h[2];
  }
}

/* ---- pdf, cdf, quantiles, sampling ---------------------------------------- */

static double base_pdf(const fp8_dist *d, double x)
{
  switch (d->kind) {
  case FP8_DIST_UNIFORM: return gsl_ran_flat_pdf(x, -1, 1);
  case FP8_DIST_GAUSSIAN: return gsl_ran_ugaussian_pdf(x);
  case FP8_DIST_LAPLACE: return gsl_ran_laplace_pdf(x, 1);
  case FP8_DIST_STUDENT_T: return gsl_ran_tdist_pdf(x, d->nu);
  case FP8_DIST_EMPIRICAL: return NAN;
  }
  return NAN;
}

static double base_cdf(const fp8_dist *d, double x)
{
  switch (d->kind) {
  case FP8_DIST_UNIFORM: return gsl_cdf_flat_P(x, -1, 1);
  case FP8_DIST_GAUSSIAN: return gsl_cdf_ugaussian_P(x);
  case FP8_DIST_LAPLACE: return gsl_cdf_laplace_P(x, 1);
  case FP8_DIST_STUDENT_T: return gsl_cdf_tdist_P(x, d->nu);
  case FP8_DIST_EMPIRICAL: return fp8_empirical_cdf(d->emp, x);
  }
  return NAN;
}

double fp8_dist_pdf(const fp8_dist *d, double x)
{
  return fabs(x) > d->clip ? 0 : base_pdf(d, x);
}

double fp8_dist_cdf(const fp8_dist *d, double x)
{
  if (x < -d->clip)
    return 0;
  if (x >= d->clip)
    return 1;
  return base_cdf(d, x);
}

double fp8_dist_upper(const fp8_dist *d)
{
  return d->kind == FP8_DIST_UNIFORM ? fmin(1.0, d->clip) : d->clip;
}

double fp8_dist_abs_quantile_upper(const fp8_dist *d, double q)
{
  double t = NAN;
  switch (d->kind) {
  case FP8_DIST_UNIFORM: t = 1 - q; break;
  case FP8_DIST_GAUSSIAN: t = gsl_cdf_ugaussian_Qinv(q / 2); break;
  case FP8_DIST_LAPLACE: t = gsl_cdf_laplace_Qinv(q / 2, 1); break;
  case FP8_DIST_STUDENT_T: t = gsl_cdf_tdist_Qinv(q / 2, d->nu); break;
  case FP8_DIST_EMPIRICAL: t = fp8_empirical_abs_quantile_upper(d->emp, q); break;
  }
  return fmin(t, fp8_dist_upper(d));
}

void fp8_dist_scale_span(const fp8_dist *d, double *lo, double *hi)
{
  double up = fp8_dist_upper(d);
  *lo = fp8_dist_abs_quantile_upper(d, 0.5);
  /* a clip whose point masses carry nothing is no clip for the scale */
  *hi = 2 * (d->tail > 0 && isfinite(up) ? up : fp8_dist_abs_quantile_upper(d, 1e-12));
  if (!(*lo > 0))     /* a sample with more than half zeros: its median |x| is 0 */
    *lo = *hi * 0x1p-24;
}

double fp8_dist_sample(const fp8_dist *d, gsl_rng *r)
{
  double x = 0;
  switch (d->kind) {
  case FP8_DIST_UNIFORM: x = gsl_ran_flat(r, -1, 1); break;
  case FP8_DIST_GAUSSIAN: x = gsl_ran_gaussian_ziggurat(r, 1); break;
  case FP8_DIST_LAPLACE: x = gsl_ran_laplace(r, 1); break;
  case FP8_DIST_STUDENT_T: x = gsl_ran_tdist(r, d->nu); break;
  case FP8_DIST_EMPIRICAL: x = fp8_empirical_sample(d->emp, r); break;
  }
  return fmin(fmax(x, -d->clip), d->clip);
}

double fp8_dist_sample_absmax(const fp8_dist *d, gsl_rng *r, size_t n)
{
  double m = 0;
  for (size_t i = 0; i < n; i++)
    m = fmax(m, fabs(fp8_dist_sample(d, r)));
  return m;
}

/* ---- construction and parsing ---------------------------------------------- */

void fp8_dist_empirical(fp8_dist *d, fp8_empirical *e, const char *name)
{
  memset(d, 0, sizeof *d);
  d->kind = FP8_DIST_EMPIRICAL;
  d->clip = nextafter(e->absmax, INFINITY);   /* every value inside the support */
  d->tail = 0;
  d->sigma = e->sigma;
  d->emp = e;
  snprintf(d->name, sizeof d->name, "%s", name ? name : "empirical");
}

static double tail_mass_at(const fp8_dist *d, double c)
{
  double v[3];
  base_anti(d, c, 1, v);
  return v[0];
}

static const char *const kind_names[] = {"uniform", "gaussian", "student-t", "laplace", "empirical"};

int fp8_dist_make(fp8_dist *d, fp8_dist_kind kind, double nu, double clip,
                  char *err, size_t errlen)
{
  if (kind == FP8_DIST_EMPIRICAL) {
    snprintf(err, errlen, "an empirical distribution is made from a sample (fp8_dist_empirical)");
    return -1;
  }
  if (kind == FP8_DIST_STUDENT_T && !(nu >= FP8_DIST_MIN_NU && nu <= FP8_DIST_MAX_NU)) {
    snprintf(err, errlen, "student-t: nu must be in %g..%g, got %g (%s)", FP8_DIST_MIN_NU, FP8_DIST_MAX_NU, nu,
             nu > FP8_DIST_MAX_NU ? "beyond it the closed-form moments lose their digits, and the "
             "distribution is gaussian within 1e-4: use gaussian"
             : "below it nearly all the mass sits in the point masses at +-clip, and the Lloyd-Max "
             "bound needs minutes of iterations to converge");
    return -1;
  }
  if (!(clip >= FP8_DIST_MIN_CLIP)) {
    snprintf(err, errlen, "%s: clip must be a number >= %g, got %g (smaller, the distribution is "
             "two points near the smallest doubles and bits of accuracy are undefined)",
             kind_names[kind], FP8_DIST_MIN_CLIP, clip);
    return -1;
  }
  if (kind == FP8_DIST_STUDENT_T && nu <= 2 && isinf(clip)) {
    snprintf(err, errlen, "student-t:nu=%g has an infinite variance, so bits of accuracy "
             "are undefined; add clip=C (e.g. student-t:nu=%g,clip=100)", nu, nu);
    return -1;
  }
  memset(d, 0, sizeof *d);
  d->kind = kind;
  d->nu = kind == FP8_DIST_STUDENT_T ? nu : 0;
  d->clip = clip;
  int n = snprintf(d->name, sizeof d->name, "%s", kind_names[kind]);
  if (kind == FP8_DIST_STUDENT_T)
    n += snprintf(d->name + n, sizeof d->name - n, ":nu=%g", nu);
  if (isfinite(clip))
    snprintf(d->name + n, sizeof d->name - n, "%sclip=%g", kind == FP8_DIST_STUDENT_T ? "," : ":", clip);

  double c = fp8_dist_upper(d);
  double m[3];
  fp8_dist_moments(d, 0, c, m);
  d->tail = kind == FP8_DIST_UNIFORM ? fmax(0.0, (1 - c) / 2)
            : isinf(c) ? 0 : tail_mass_at(d, c);
  d->sigma = sqrt(2 * (m[2] + (d->tail > 0 ? d->tail * c * c : 0)));
  double lo, hi;
  fp8_dist_scale_span(d, &lo, &hi);
  if (!(hi / lo <= FP8_DIST_MAX_SPAN)) {
    snprintf(err, errlen, "%s: its clip is %.3g times its median |X| (at most %g supported): the "
             "point masses at +-clip would dominate the variance, so any 2^n-level quantizer's bits "
             "of accuracy are meaningless; expected a smaller clip", d->name, hi / 2 / lo, FP8_DIST_MAX_SPAN / 2);
    return -1;
  }
  if (!isfinite(d->sigma) || !(d->sigma > 0)) {
    snprintf(err, errlen, "%s: its standard deviation is not a finite positive number (%g): "
             "expected a smaller clip", d->name, d->sigma);
    return -1;
  }
  return 0;
}

/* ---- the spelling: KIND[:nu=V][:clip=C] (':' or ',' between parts) -------- */

typedef struct dist_keys {
  double nu, clip;
} dist_keys;

enum { BASE_T = 1, BASE_OTHER = 2 };
static const fp8_spell_key dist_keys_table[] = {
  {"nu", FP8_SPELL_DOUBLE, FP8_SPELL_FIELD(dist_keys, nu), 0, 0, DBL_TRUE_MIN, DBL_MAX, NULL, NULL, NULL, 0,
   BASE_T, "student-t only", "a number > 0 (degrees of freedom)"},
  {"clip", FP8_SPELL_DOUBLE, FP8_SPELL_FIELD(dist_keys, clip), 0, 0, DBL_TRUE_MIN, DBL_MAX, NULL, NULL, NULL, 0,
   0, NULL, "a number > 0 (the tails are held at +-C)"},
};
static const fp8_spell_table dist_table = {"distribution", ":,", false, dist_keys_table,
                                           sizeof dist_keys_table / sizeof dist_keys_table[0], NULL, NULL, NULL, 0};

#define KUZMIN "Kuzmin et al., FP8 Quantization: The Power of the Exponent (arXiv 2208.09225), section 3"
static const fp8_preset presets[] = {
  {"uniform", "uniform", "U[-1, 1]", KUZMIN},
  {"gaussian", "gaussian", "N(0, 1); also spelled normal", KUZMIN},
  {"laplace", "laplace", "density exp(-|x|)/2 (sigma = sqrt 2)", "heavier-tailed stand-in for activations"},
  {"student-t", "student-t:nu=8", "Student's t, nu = 8 unless nu= says otherwise; also spelled t", KUZMIN},
};
#define NPRESETS (sizeof presets / sizeof presets[0])

const fp8_preset *fp8_dist_presets(size_t *n)
{
  *n = NPRESETS;
  return presets;
}

/* Base names, aliases included. */
static const struct {
  const char *name;
  fp8_dist_kind kind;
} kinds[] = {{"uniform", FP8_DIST_UNIFORM}, {"gaussian", FP8_DIST_GAUSSIAN}, {"normal", FP8_DIST_GAUSSIAN},
             {"student-t", FP8_DIST_STUDENT_T}, {"t", FP8_DIST_STUDENT_T}, {"laplace", FP8_DIST_LAPLACE}};

int fp8_dist_parse(const char *spec, fp8_dist *d, char *err, size_t errlen)
{
  fp8_spell sp;
  if (fp8_spell_split(&dist_table, spec, &sp, err, errlen))
    return -1;
  size_t k = 0, nk = sizeof kinds / sizeof kinds[0];
  while (k < nk && strcmp(sp.base, kinds[k].name))
    k++;
  if (k == nk)
    return fp8_error_set(err, errlen, "unknown distribution '%.60s' (expected uniform, gaussian, "
                         "student-t[:nu=V] or laplace, optionally with clip=C)", sp.base);
  dist_keys v = {FP8_DIST_DEFAULT_NU, INFINITY};
  if (fp8_spell_apply(&dist_table, &sp, &v, kinds[k].kind == FP8_DIST_STUDENT_T ? BASE_T : BASE_OTHER,
                      sp.base, err, errlen))
    return -1;
  return fp8_dist_make(d, kinds[k].kind, v.nu, v.clip, err, errlen);
}

void fp8_dist_name(const fp8_dist *d, char *buf, size_t len)
{
  snprintf(buf, len, "%s", d->name);
}

size_t fp8_dist_describe(const fp8_dist *d, char *buf, size_t len)
{
  int n = snprintf(buf, len, "name=%s\nkind=%s\nnu=%.17g\nclip=%.17g\nsigma=%.17g\ntail=%.17g\nupper=%.17g\n",
                   d->name, kind_names[d->kind], d->nu, d->clip, d->sigma, d->tail, fp8_dist_upper(d));
  return n < 0 ? 0 : (size_t)n;
}
