/* test_dist.c - distributions: closed-form moments against GSL adaptive
 * quadrature of GSL's own densities, sigma and tail masses, spec errors. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>

#include "check_run.h"
#include "dist.h"

static fp8_dist get(const char *spec)
{
  fp8_dist d;
  char err[256];
  ck_assert_msg(fp8_dist_parse(spec, &d, err, sizeof err) == 0, "%s: %s", spec, err);
  return d;
}

typedef struct { const fp8_dist *d; int k; } integrand;
static double f_xk_pdf(double x, void *p)
{
  const integrand *in = p;
  return pow(x, in->k) * fp8_dist_pdf(in->d, x);
}

/* Oracle: QAGS / QAGI of x^k times the density. */
static double quad(const fp8_dist *d, int k, double a, double b)
{
  gsl_integration_workspace *w = gsl_integration_workspace_alloc(2000);
  integrand in = {d, k};
  gsl_function F = {f_xk_pdf, &in};
  double r, err;
  int st;
  if (isinf(b) && isinf(a))
    st = gsl_integration_qagi(&F, 0, 1e-11, 2000, w, &r, &err);
  else if (isinf(b))
    st = gsl_integration_qagiu(&F, a, 0, 1e-11, 2000, w, &r, &err);
  else if (isinf(a))
    st = gsl_integration_qagil(&F, b, 0, 1e-11, 2000, w, &r, &err);
  else
    st = gsl_integration_qags(&F, a, b, 0, 1e-11, 2000, w, &r, &err);
  gsl_integration_workspace_free(w);
  ck_assert_msg(st == 0 || st == GSL_EROUND, "oracle quadrature failed: %s", gsl_strerror(st));
  return r;
}

START_TEST(moments_vs_quadrature)
{
  const char *specs[] = {"uniform", "gaussian", "laplace", "student-t:nu=3", "student-t:nu=8,clip=100",
                         "student-t:nu=1.5,clip=20", "gaussian:clip=2"};
  const double iv[][2] = {{0, 1e-3}, {-0.3, 0.7}, {0.9, 1.2}, {2, 2.5}, {-6, -3.5}, {4, INFINITY},
                          {-INFINITY, -1.5}, {12, 15}, {-INFINITY, INFINITY}};
  for (size_t i = 0; i < sizeof specs / sizeof *specs; i++) {
    fp8_dist d = get(specs[i]);
    for (size_t j = 0; j < sizeof iv / sizeof *iv; j++) {
      double a = fmax(iv[j][0], -fp8_dist_upper(&d)), b = fmin(iv[j][1], fp8_dist_upper(&d));
      if (!(a < b))
        continue;
      double m[3];
      fp8_dist_moments(&d, iv[j][0], iv[j][1], m);
      for (int k = 0; k < 3; k++) {
        double ref = quad(&d, k, a, b);
        ck_assert_msg(fabs(m[k] - ref) <= 1e-9 * fabs(ref) + 1e-15,
                      "%s [%g,%g] k=%d: %.15g vs quadrature %.15g", specs[i], a, b, k, m[k], ref);
      }
    }
  }
}
END_TEST

START_TEST(sigma_and_tails)
{
  ck_assert(fabs(get("uniform").sigma - 1 / sqrt(3)) < 1e-14);
  ck_assert(fabs(get("gaussian").sigma - 1) < 1e-14);
  ck_assert(fabs(get("laplace").sigma - sqrt(2)) < 1e-14);
  ck_assert(fabs(get("student-t:nu=5").sigma - sqrt(5.0 / 3)) < 1e-12);
  ck_assert(fabs(get("student-t").nu - 8) == 0);
  /* clipped: E[clip(X)^2] = int_-c^c x^2 p + 2 c^2 Q(c) */
  fp8_dist d = get("student-t:nu=3,clip=10");
  ck_assert(fabs(d.tail - gsl_cdf_tdist_Q(10, 3)) < 1e-15);
  double v = quad(&d, 2, -10, 10) + 2 * 100 * gsl_cdf_tdist_Q(10, 3);
  ck_assert(fabs(d.sigma - sqrt(v)) < 1e-9);
  fp8_dist u = get("uniform:clip=0.5");
  ck_assert(fabs(u.tail - 0.25) < 1e-15);
  ck_assert(fabs(u.sigma * u.sigma - (0.125 / 3 * 2 / 2 + 2 * 0.25 * 0.25)) < 1e-14);
  ck_assert(fabs(fp8_dist_cdf(&d, 0) - 0.5) < 1e-15 && fp8_dist_cdf(&d, 10) == 1 && fp8_dist_cdf(&d, -10.01) == 0);
}
END_TEST

START_TEST(spec_errors)
{
  const char *bad[] = {"student-t:nu=0", "student-t:nu=-2", "foo", "gaussian:clip=0",
                       "gaussian:clip=-1", "student-t:nu=2", "student-t:nu=abc", "uniform:nu=3",
                       "laplace:clip", "student-t:nu=3,clip=0"};
  const char *mention[] = {"nu", "nu", "foo", "clip", "clip", "infinite variance", "abc", "nu",
                           "clip", "clip"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    fp8_dist d;
    char err[256] = "";
    ck_assert_msg(fp8_dist_parse(bad[i], &d, err, sizeof err) == -1, "'%s' accepted", bad[i]);
    ck_assert_msg(strstr(err, mention[i]), "'%s': message '%s' does not name '%s'", bad[i], err, mention[i]);
  }
  fp8_dist d = get("student-t:nu=2,clip=50");
  ck_assert_str_eq(d.name, "student-t:nu=2,clip=50");
}
END_TEST

int main(void)
{
  gsl_set_error_handler_off();   /* the oracle's status is checked instead */
  Suite *s = suite_create("dist");
  TCase *tc = tcase_create("dist");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, moments_vs_quadrature);
  tcase_add_test(tc, sigma_and_tails);
  tcase_add_test(tc, spec_errors);
  suite_add_tcase(s, tc);
  return fp8_check_run(s);
}
