/* test_lloydmax.c - Lloyd-Max codebooks against Max (1960) and Panter-Dite. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "check_run.h"
#include "lloydmax.h"

static double solve(const char *spec, size_t n, fp8_lloydmax **out)
{
  fp8_dist d;
  char err[256];
  ck_assert_msg(fp8_dist_parse(spec, &d, err, sizeof err) == 0, "%s", err);
  fp8_lloydmax *w = fp8_lloydmax_alloc(n);
  ck_assert_int_eq(fp8_lloydmax_solve(w, &d, 0, 0), 0);
  double mse = w->mse;
  if (out)
    *out = w;
  else
    fp8_lloydmax_free(w);
  return mse;
}

/* Max, "Quantizing for minimum distortion", IRE Trans. IT-6 (1960), Table I. */
START_TEST(max_1960_gaussian)
{
  fp8_lloydmax *w;
  double m4 = solve("gaussian", 4, &w);
  ck_assert_msg(fabs(m4 - 0.1175) < 0.00006, "N=4 MSE %.6f, Max 0.1175", m4);
  ck_assert_msg(fabs(w->levels[3] - 1.510) < 0.001 && fabs(w->levels[2] - 0.4528) < 0.0005,
                "N=4 levels %.4f %.4f, Max 0.4528 1.510", w->levels[2], w->levels[3]);
  fp8_lloydmax_free(w);
  double m8 = solve("gaussian", 8, NULL);
  ck_assert_msg(fabs(m8 - 0.03454) < 0.00001, "N=8 MSE %.6f, Max 0.03454", m8);
}
END_TEST

START_TEST(panter_dite_256)
{
  double pd = sqrt(3) * M_PI / 2 * pow(4, -8);
  double m = solve("gaussian", 256, NULL);
  ck_assert_msg(fabs(m / pd - 1) < 0.01, "N=256 MSE %.6g, Panter-Dite %.6g", m, pd);
  ck_assert(m < pd);   /* the asymptote is approached from below at this N */
}
END_TEST

/* On U[-1,1] the optimum is the uniform midrise quantizer: MSE = (2/N)^2/12. */
START_TEST(uniform_is_uniform)
{
  fp8_lloydmax *w;
  double m = solve("uniform", 256, &w);
  ck_assert(fabs(m - pow(2.0 / 256, 2) / 12) < 1e-15);
  for (size_t i = 0; i < 256; i++)
    ck_assert(fabs(w->levels[i] - (-1 + (2.0 * i + 1) / 256)) < 1e-12);
  fp8_lloydmax_free(w);
}
END_TEST

int main(void)
{
  Suite *s = suite_create("lloydmax");
  TCase *tc = tcase_create("lloydmax");
  tcase_add_test(tc, max_1960_gaussian);
  tcase_add_test(tc, panter_dite_256);
  tcase_add_test(tc, uniform_is_uniform);
  suite_add_tcase(s, tc);
  return fp8_check_run(s);
}
