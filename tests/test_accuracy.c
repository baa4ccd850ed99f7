/* test_accuracy.c - bits of accuracy: the INT8 / uniform anchor, the paper's
 * qualitative results, the global scale search against a dense scan, and the
 * analytic MSE against Monte Carlo through the codec. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "check_run.h"
#include "accuracy.h"
#include "lloydmax.h"
#include "mse.h"
#include "quant.h"
#include "rng.h"

static unsigned long seed;
static fp8_accuracy_workspace *ws;
static const char *fig5_formats[] = {"int8", "fp8-e1", "fp8-e2", "fp8-e3", "fp8-e4", "fp8-e5"};
#define NF 6

static fp8_format fmt(const char *s)
{
  fp8_format f;
  char err[256];
  ck_assert_msg(fp8_format_parse(s, &f, err, sizeof err) == 0, "%s", err);
  return f;
}

static fp8_dist dist(const char *s)
{
  fp8_dist d;
  char err[256];
  ck_assert_msg(fp8_dist_parse(s, &d, err, sizeof err) == 0, "%s", err);
  return d;
}

static double bits_of(const char *f, const char *d)
{
  fp8_format F = fmt(f);
  fp8_dist D = dist(d);
  fp8_accuracy a;
  ck_assert_int_eq(fp8_accuracy_format(ws, &F, &D, FP8_RANGE_MSE, 0, &a), 0);
  return a.bits;
}

/* INT8 (two's complement, 256 levels -128..127) on U[-1,1]: 8 bits up to the
 * one-sided level (-128 covers no more of [-1,1] than a midrise grid would). */
START_TEST(int8_uniform_8_bits)
{
  double b = bits_of("int8", "uniform");
  ck_assert_msg(fabs(b - 8) < 0.01, "int8 on uniform: %.5f bits", b);
}
END_TEST

START_TEST(paper_qualitative)
{
  double u[NF], g[NF];
  for (int i = 0; i < NF; i++) {
    u[i] = bits_of(fig5_formats[i], "uniform");
    g[i] = bits_of(fig5_formats[i], "gaussian");
  }
  /* uniform: int8 best (int8-sm's grid is a subset of int8's: a tie is allowed) */
  for (int i = 1; i < NF; i++)
    ck_assert_msg(u[0] >= u[i] - 1e-9, "uniform: int8 %.4f < %s %.4f", u[0], fig5_formats[i], u[i]);
  /* gaussian: fp8-e2 best, int8 second */
  for (int i = 0; i < NF; i++)
    if (i != 2)
      ck_assert_msg(g[2] > g[i], "gaussian: fp8-e2 %.4f <= %s %.4f", g[2], fig5_formats[i], g[i]);
  for (int i = 1; i < NF; i++)
    if (i != 2)
      ck_assert_msg(g[0] > g[i], "gaussian: int8 %.4f <= %s %.4f", g[0], fig5_formats[i], g[i]);
  /* heavy tails (student-t nu=3): fp8-e4 best, as the paper's Figure 5c */
  double t4 = bits_of("fp8-e4", "student-t:nu=3");
  for (int i = 0; i < NF; i++)
    if (i != 4)
      ck_assert(t4 > bits_of(fig5_formats[i], "student-t:nu=3"));
}
END_TEST

/* fp8-e4 on a Gaussian: MSE(scale) has a local minimum per octave, nearly
 * equal.  The search must return the lowest one that a dense scan finds. */
START_TEST(global_scale_search)
{
  fp8_format f = fmt("fp8-e4");
  fp8_dist d = dist("gaussian");
  static double g[256];
  size_t n = fp8_quant_grid(&f, g);
  double s, mse;
  ck_assert_int_eq(fp8_mse_scale_search(&d, g, n, 0, &s, &mse), 0);
  /* dense scan: 4000 points over the same 1/240 .. 16/240 range */
  int nmin = 0;
  double best = INFINITY, prev2 = INFINITY, prev = INFINITY, second = INFINITY;
  for (int i = 0; i <= 4000; i++) {
    double v = fp8_mse_levels(&d, g, n, exp(log(0.5 / 240) + i * log(32.0) / 4000));
    if (prev < prev2 && prev < v) {
      nmin++;
      if (prev < best) {
        second = best;
        best = prev;
      } else if (prev < second) {
        second = prev;
      }
    }
    prev2 = prev;
    prev = v;
  }
  ck_assert_msg(nmin >= 2, "expected several local minima, scan found %d", nmin);
  ck_assert_msg(second < best * 1.01, "the two best minima are not near-equal: %g %g", best, second);
  ck_assert_msg(mse <= best * (1 + 1e-9), "search %.12g above the dense scan's %.12g", mse, best);
  ck_assert(fabs(fp8_mse_levels(&d, g, n, s) - mse) <= 1e-15);
}
END_TEST

/* Analytic vs Monte Carlo (10^7 samples through the codec) within 4 standard
 * errors, every Figure 5 format and the Lloyd-Max codebook, per distribution.
 * student-t is clipped at 100 so that (x - q(x))^2 has a finite variance and
 * the standard error means something. */
START_TEST(analytic_vs_monte_carlo)
{
  const char *dists[] = {"uniform", "gaussian", "student-t:nu=3,clip=100", "laplace"};
  const char *e = getenv("FP8LAB_MC_SAMPLES");
  size_t ns = e ? strtoul(e, NULL, 10) : 10000000;
  fp8_format F[NF];
  for (int i = 0; i < NF; i++)
    F[i] = fmt(fig5_formats[i]);
  for (size_t k = 0; k < sizeof dists / sizeof *dists; k++) {
    fp8_dist d = dist(dists[k]);
    fp8_mc_quantizer q[NF + 1];
    double an[NF + 1];
    for (int i = 0; i < NF; i++) {
      fp8_accuracy a;
      ck_assert_int_eq(fp8_accuracy_format(ws, &F[i], &d, FP8_RANGE_MSE, 0, &a), 0);
      q[i] = (fp8_mc_quantizer){.fmt = &F[i], .scale = a.scale};
      an[i] = a.mse;
    }
    fp8_lloydmax *lm = fp8_lloydmax_alloc(256);
    ck_assert_int_eq(fp8_lloydmax_solve(lm, &d, 0, 0), 0);
    q[NF] = (fp8_mc_quantizer){.scale = 1, .levels = lm->levels, .nlevels = 256};
    an[NF] = lm->mse;
    fp8_mc_result r[NF + 1];
    gsl_rng *g = fp8_rng_alloc(seed + k);
    ck_assert_int_eq(fp8_mse_mc(&d, g, ns, q, NF + 1, r), 0);
    gsl_rng_free(g);
    for (int i = 0; i <= NF; i++)
      ck_assert_msg(fabs(r[i].mse - an[i]) < 4 * r[i].se,
                    "%s %s: analytic %.6g, Monte Carlo %.6g +- %.2g (seed %lu)", dists[k],
                    i < NF ? fig5_formats[i] : "lloyd-max", an[i], r[i].mse, r[i].se, seed + k);
    fp8_lloydmax_free(lm);
  }
}
END_TEST

int main(void)
{
  const char *e = getenv("FP8LAB_SEED");
  seed = e ? strtoul(e, NULL, 10) : 1960UL;
  printf("test_accuracy: seed %lu (set FP8LAB_SEED to override)\n", seed);
  ws = fp8_accuracy_alloc();
  Suite *s = suite_create("accuracy");
  TCase *tc = tcase_create("accuracy");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, int8_uniform_8_bits);
  tcase_add_test(tc, paper_qualitative);
  tcase_add_test(tc, global_scale_search);
  tcase_add_test(tc, analytic_vs_monte_carlo);
  suite_add_tcase(s, tc);
  int rc = fp8_check_run(s);
  fp8_accuracy_free(ws);
  return rc;
}
