/* test_quant.c - scaled quantization and the grid, against brute force. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "check_run.h"
#include "quant.h"

static unsigned long seed;

static fp8_format get(const char *spec)
{
  fp8_format f;
  char err[256];
  ck_assert_msg(fp8_format_parse(spec, &f, err, sizeof err) == 0, "%s: %s", spec, err);
  return f;
}

static int cmp(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

START_TEST(grid_int8)
{
  fp8_format f = get("int8");
  double g[256];
  ck_assert_uint_eq(fp8_quant_grid(&f, g), 256);
  for (int i = 0; i < 256; i++)
    ck_assert(g[i] == i - 128);
  f = get("int8-sm");
  ck_assert_uint_eq(fp8_quant_grid(&f, g), 255);   /* -0 and +0 once */
  ck_assert(g[0] == -127 && g[254] == 127);
}
END_TEST

/* The paper's FP8-E4 (Appendix A: bias 8, subnormals, 0x80 NaN) from its
 * defining formula, not from the codec. */
START_TEST(grid_fp8_e4_formula)
{
  fp8_format f = get("fp8-e4");
  double g[256], ref[256];
  size_t n = fp8_quant_grid(&f, g), k = 0;
  for (int s = 0; s < 2; s++)
    for (int e = 0; e < 16; e++)
      for (int m = 0; m < 8; m++) {
        double v = e ? (1 + m / 8.0) * ldexp(1, e - 8) : m * ldexp(1, 1 - 8 - 3);
        if (s && v == 0)
          continue;
        ref[k++] = s ? -v : v;
      }
  qsort(ref, k, sizeof *ref, cmp);
  ck_assert_uint_eq(n, 255);
  ck_assert_uint_eq(k, 255);
  for (size_t i = 0; i < n; i++)
    ck_assert_msg(g[i] == ref[i], "grid[%zu] = %g, formula %g", i, g[i], ref[i]);
  ck_assert(g[254] == 240);
}
END_TEST

/* q(x) is the nearest grid value times s (linear scan), saturating. */
START_TEST(quant_is_nearest)
{
  const char *fmts[] = {"int8", "fp8-e2", "fp8-e5", "float8_e4m3fn", "e2m1"};
  srand((unsigned)seed);
  for (size_t fi = 0; fi < sizeof fmts / sizeof *fmts; fi++) {
    fp8_format f = get(fmts[fi]);
    double g[256];
    size_t n = fp8_quant_grid(&f, g);
    double s = 0.37;
    for (int t = 0; t < 20000; t++) {
      double x = ((double)rand() / RAND_MAX - 0.5) * 2.5 * s * g[n - 1];
      size_t best = 0;
      for (size_t i = 1; i < n; i++)
        if (fabs(x - s * g[i]) < fabs(x - s * g[best]))
          best = i;
      double q = fp8_quant_value(&f, s, x, NULL, NULL);
      double d1 = fabs(x - q), d2 = fabs(x - s * g[best]);
      ck_assert_msg(d1 <= d2 * (1 + 1e-12), "%s x=%.17g q=%.17g nearest=%.17g (seed %lu)",
                    fmts[fi], x, q, s * g[best], seed);
      ck_assert_uint_eq(fp8_quant_grid_nearest(g, n, x / s), best);
    }
  }
}
END_TEST

START_TEST(per_channel_max)
{
  fp8_format f = get("fp8-e4");
  double in[3 * 4] = {0.1, -0.7, 0.3, 0.2, 5, 1, -2, 0.5, -1e-3, 2e-3, 0, 1e-4};
  double s[3], out[12];
  fp8_quant_scales_max(&f, in, 3, 4, s);
  ck_assert(fabs(s[0] - 0.7 / 240) < 1e-18 && fabs(s[1] - 5.0 / 240) < 1e-16);
  fp8_quant_channels(&f, s, in, out, 3, 4, NULL, NULL);
  ck_assert(fabs(out[1] + 0.7) < 1e-15 && fabs(out[4] - 5) < 1e-14 && fabs(out[9] - 2e-3) < 1e-17);
  for (int i = 0; i < 12; i++)   /* 3 mantissa bits: relative error <= 2^-4 above the subnormals */
    ck_assert(fabs(out[i] - in[i]) <= fabs(in[i]) / 16 + s[i / 4] * ldexp(1, -10));
  ck_assert(fp8_quant_scale_max(&f, 0) == 1);
}
END_TEST

int main(void)
{
  const char *e = getenv("FP8LAB_SEED");
  seed = e ? strtoul(e, NULL, 10) : 20230614UL;
  printf("test_quant: seed %lu (set FP8LAB_SEED to override)\n", seed);
  Suite *s = suite_create("quant");
  TCase *tc = tcase_create("quant");
  tcase_add_test(tc, grid_int8);
  tcase_add_test(tc, grid_fp8_e4_formula);
  tcase_add_test(tc, quant_is_nearest);
  tcase_add_test(tc, per_channel_max);
  suite_add_tcase(s, tc);
  return fp8_check_run(s);
}
