/* test_block_accuracy.c - bits of accuracy of block-scaled formats: the
 * analytic MSE (block_mse.c) against closed forms worked out here, against
 * its own invariance under power-of-two input scales, and against Monte
 * Carlo through the block quantizer (fp8_block_quant_rows) for every preset
 * and distribution. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "check_run.h"
#include "accuracy.h"
#include "block.h"
#include "block_mse.h"
#include "mse.h"
#include "rng.h"

static unsigned long seed;
static fp8_block_mse_workspace *bw;
static fp8_accuracy_workspace *ws;

static fp8_block_format blk(const char *s)
{
  fp8_block_format bf;
  char err[256];
  ck_assert_msg(fp8_block_parse(s, &bf, err, sizeof err) == 0, "%s", err);
  return bf;
}

static fp8_dist dist(const char *s)
{
  fp8_dist d;
  char err[256];
  ck_assert_msg(fp8_dist_parse(s, &d, err, sizeof err) == 0, "%s", err);
  return d;
}

static double mse_of(const char *b, const char *ds, double a)
{
  fp8_block_format bf = blk(b);
  fp8_dist d = dist(ds);
  double mse, err;
  ck_assert_int_eq(fp8_block_mse(bw, &bf, &d, a, INFINITY, 1, &mse, &err), 0);
  return mse;
}

/* A constant scale: U[-a, a] with a = 2^-127, MXINT8 under the floor rule.
 * Every block max m <= 2^-127 asks for 2^(floor(log2 m) - 0) <= 2^-127, which
 * E8M0 clamps to its smallest value 2^-127, so every element is
 * 2^-127 * 2^-6 * round(x / 2^-133): a uniform quantizer with step
 * 2^-133 = a/64 whose 129 levels -64..64 cover [-a, a] without saturation.
 * Cells of width h hold h^2/12 each, the two half cells at +-a h^2/24 each, so
 * the MSE is exactly h^2/12 = a^2 / (12 * 4096), sigma^2 = a^2/3, 7 bits, for
 * every block size: the conditioning on the block max must integrate to 1. */
START_TEST(constant_scale_exact)
{
  static const char *const sp[] = {"mxint8", "mxint8:block=1", "mxint8:block=2", "mxint8:block=7"};
  double a = ldexp(1, -127);
  for (size_t i = 0; i < sizeof sp / sizeof *sp; i++) {
    double mse = mse_of(sp[i], "uniform", a), want = a * a / (12 * 4096.0);
    ck_assert_msg(fabs(mse / want - 1) < 1e-9, "%s: MSE %.15g, expected %.15g", sp[i], mse, want);
  }
}
END_TEST

/* B = 1 on U[-1, 1]: each value is its own block.  Sign-magnitude int8
 * elements with MXINT8's implicit 2^-6 (levels -127..127: the same on both
 * sides), floor: for |x| in [2^j, 2^(j+1)) the scale is 2^j and the element
 * grid has step h = 2^j/64; in units of h, u = |x|/h runs over [64, 128) and
 * rounds to the nearest integer, except that [127.5, 128) saturates to 127.
 * So the binade holds h^3 E with
 *   E = 1/24 + 63/12 + (1^3 - 0.5^3)/3
 * (the half cell at 64, the 63 whole cells 65..127, the saturated piece),
 * and the MSE (|x| uniform on [0, 1]) is
 * sum over j <= -1 of (2^j/64)^3 E = E / 64^3 / 7. */
START_TEST(single_value_blocks_exact)
{
  double E = 1.0 / 24 + 63.0 / 12 + (1 - 0.125) / 3;
  double want = E / (64.0 * 64 * 64) / 7;
  double mse = mse_of("block:elem=int8-sm:shift=-6:block=1", "uniform", 1);
  ck_assert_msg(fabs(mse / want - 1) < 1e-8, "MSE %.15g, expected %.15g", mse, want);
}
END_TEST

/* Power-of-two input scales move every block max by whole binades: with a
 * power-of-two scale the MSE / a^2 cannot change (away from E8M0's limits). */
START_TEST(power_of_two_invariance)
{
  static const char *const sp[] = {"mxfp8_e4m3", "mxfp4_e2m1", "mxint8", "mxfp6_e2m3:rule=rceil"};
  for (size_t i = 0; i < sizeof sp / sizeof *sp; i++) {
    double m1 = mse_of(sp[i], "gaussian", 1), m8 = mse_of(sp[i], "gaussian", 8);
    double mq = mse_of(sp[i], "gaussian", 0.25);
    ck_assert_msg(fabs(m8 / 64 / m1 - 1) < 1e-7 && fabs(mq * 16 / m1 - 1) < 1e-7,
                  "%s: MSE/a^2 %.10g (a = 1), %.10g (a = 8), %.10g (a = 1/4)", sp[i], m1, m8 / 64,
                  mq * 16);
  }
}
END_TEST

/* Analytic against Monte Carlo through fp8_block_quant_rows, within 4 standard
 * errors (of the blocks' mean errors: a block's values share a scale), for
 * every preset, two other scale rules, and the four distributions.
 * Student-t (nu = 3) is clipped at 100 as in test_accuracy.c: unclipped, the
 * squared error has no finite variance and no standard error means anything
 * (the clip's point masses also exercise their own term). */
START_TEST(analytic_vs_monte_carlo)
{
  static const char *const dists[] = {"uniform", "gaussian", "student-t:nu=3,clip=100", "laplace"};
  static const char *const extra[] = {"mxfp8_e4m3:rule=rceil", "mxfp4_e2m1:rule=ceil",
                                      "block:elem=e3m4:none:block=24:rule=rceil"};
  enum { NX = sizeof extra / sizeof *extra, NMAX = 16 };
  const char *e = getenv("FP8LAB_MC_SAMPLES");
  size_t ns = e ? strtoul(e, NULL, 10) : 1u << 20;
  size_t np = fp8_block_preset_count(), nb = np + NX;
  ck_assert(nb <= NMAX);
  fp8_block_format bf[NMAX];
  const char *names[NMAX];
  for (size_t i = 0; i < nb; i++) {
    names[i] = i < np ? fp8_block_preset_name(i) : extra[i - np];
    bf[i] = blk(names[i]);
  }
  for (size_t k = 0; k < sizeof dists / sizeof *dists; k++) {
    fp8_dist d = dist(dists[k]);
    fp8_accuracy an[NMAX];
    fp8_mc_quantizer q[NMAX];
    fp8_mc_result r[NMAX];
    for (size_t i = 0; i < nb; i++) {
      ck_assert_int_eq(fp8_accuracy_block(ws, &bf[i], &d, &an[i]), 0);
      q[i] = (fp8_mc_quantizer){.block = &bf[i], .t = an[i].scale, .a = 1,
                                .cut = isinf(an[i].cut) ? 0 : an[i].cut};
    }
    /* one call per cut (the quantizers of a call share their samples) */
    for (int pass = 0; pass < 2; pass++) {
      fp8_mc_quantizer qq[NMAX];
      fp8_mc_result rr[NMAX];
      size_t idx[NMAX], nq = 0;
      for (size_t i = 0; i < nb; i++)
        if ((q[i].cut > 0) == (pass == 1)) {
          idx[nq] = i;
          qq[nq++] = q[i];
        }
      if (!nq)
        continue;
      gsl_rng *g = fp8_rng_alloc(seed + 2 * k + (unsigned long)pass);
      ck_assert_int_eq(fp8_mse_mc(&d, g, ns, qq, nq, rr), 0);
      gsl_rng_free(g);
      for (size_t j = 0; j < nq; j++)
        r[idx[j]] = rr[j];
    }
    for (size_t i = 0; i < nb; i++)
      ck_assert_msg(fabs(r[i].mse - an[i].mse) < 4 * r[i].se,
                    "%s on %s: analytic %.6g (%.4f bits), Monte Carlo %.6g +- %.2g (seed %lu)", names[i],
                    dists[k], an[i].mse, an[i].bits, r[i].mse, r[i].se, seed);
  }
}
END_TEST

/* The floor rule's known loss (OCP MX section 6.3): a uniformly spread
 * block's max sits near the top of its binade, m/X near 2^(emax+1), above
 * E4M3's 448 = 1.75 * 2^8, so the largest elements saturate; rceil never
 * saturates.  On U[-1,1] that costs MXFP8 E4M3 more than a bit.  INT8
 * elements reach 127/64, just under 2^(0+1), so floor barely saturates
 * there, while rceil doubles the scale of every block whose max lies in
 * (127/128, 1) (a quarter of them at B = 32) and wastes a bit on those. */
START_TEST(floor_saturation_loss)
{
  fp8_dist u = dist("uniform");
  fp8_accuracy fl, rc, ifl, irc;
  fp8_block_format a = blk("mxfp8_e4m3"), b = blk("mxfp8_e4m3:rule=rceil");
  fp8_block_format c = blk("mxint8"), e = blk("mxint8:rule=rceil");
  ck_assert_int_eq(fp8_accuracy_block(ws, &a, &u, &fl), 0);
  ck_assert_int_eq(fp8_accuracy_block(ws, &b, &u, &rc), 0);
  ck_assert_int_eq(fp8_accuracy_block(ws, &c, &u, &ifl), 0);
  ck_assert_int_eq(fp8_accuracy_block(ws, &e, &u, &irc), 0);
  ck_assert_msg(rc.bits > fl.bits + 1, "e4m3 floor %.4f, rceil %.4f bits", fl.bits, rc.bits);
  ck_assert_msg(ifl.bits > irc.bits + 0.1, "int8 floor %.4f, rceil %.4f bits", ifl.bits, irc.bits);
}
END_TEST

/* Bad input: an empirical distribution and a non-positive scale are refused. */
START_TEST(refusals)
{
  fp8_block_format bf = blk("mxfp8_e4m3");
  fp8_dist d = dist("gaussian");
  double mse, err;
  ck_assert_int_eq(fp8_block_mse(bw, &bf, &d, 0, INFINITY, 1, &mse, &err), GSL_EINVAL);
  ck_assert_int_eq(fp8_block_mse(bw, &bf, &d, 1, 0, 1, &mse, &err), GSL_EINVAL);
  d.kind = FP8_DIST_EMPIRICAL;
  ck_assert_int_eq(fp8_block_mse(bw, &bf, &d, 1, INFINITY, 1, &mse, &err), GSL_EINVAL);
}
END_TEST

int main(void)
{
  gsl_set_error_handler_off();
  const char *e = getenv("FP8LAB_SEED");
  seed = e ? strtoul(e, NULL, 10) : 1960UL;
  printf("test_block_accuracy: seed %lu (set FP8LAB_SEED to override)\n", seed);
  bw = fp8_block_mse_alloc();
  ws = fp8_accuracy_alloc();
  Suite *s = suite_create("block_accuracy");
  TCase *tc = tcase_create("block_accuracy");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, constant_scale_exact);
  tcase_add_test(tc, single_value_blocks_exact);
  tcase_add_test(tc, power_of_two_invariance);
  tcase_add_test(tc, analytic_vs_monte_carlo);
  tcase_add_test(tc, floor_saturation_loss);
  tcase_add_test(tc, refusals);
  suite_add_tcase(s, tc);
  int rc = fp8_check_run(s);
  fp8_accuracy_free(ws);
  fp8_block_mse_free(bw);
  return rc;
}
