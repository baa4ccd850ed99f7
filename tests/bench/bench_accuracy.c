/* bench_accuracy.c - wall time of the default accuracy table (Figure 5:
 * 6 formats x 3 distributions, analytic MSE with the global scale search,
 * plus Lloyd-Max at 256 levels), of the block presets' table (7 presets x
 * 4 distributions, analytic) and Monte Carlo throughput, per tensor and
 * through the block quantizer. */
#include <stdio.h>
#include <time.h>

#include "accuracy.h"
#include "block.h"
#include "mse.h"
#include "rng.h"

static double now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(void)
{
  const char *dists[] = {"uniform", "gaussian", "student-t:nu=3"};
  const char *fmts[] = {"int8", "fp8-e1", "fp8-e2", "fp8-e3", "fp8-e4", "fp8-e5"};
  char err[256];
  fp8_format F[6];
  for (int i = 0; i < 6; i++)
    fp8_format_parse(fmts[i], &F[i], err, sizeof err);
  fp8_accuracy_workspace *ws = fp8_accuracy_alloc();
  double t0 = now();
  for (int k = 0; k < 3; k++) {
    fp8_dist d;
    fp8_dist_parse(dists[k], &d, err, sizeof err);
    fp8_accuracy a;
    for (int i = 0; i < 6; i++)
      fp8_accuracy_format(ws, &F[i], &d, FP8_RANGE_MSE, 0, &a);
    fp8_accuracy_lloydmax(256, &d, &a);
  }
  double t1 = now();
  printf("default accuracy table (18 format rows + 3 Lloyd-Max, analytic): %.3f s (goal < 2 s)\n", t1 - t0);

  fp8_dist g;
  fp8_dist_parse("gaussian", &g, err, sizeof err);
  fp8_mc_quantizer q = {.fmt = &F[4], .scale = 0.04};
  fp8_mc_result r;
  gsl_rng *rng = fp8_rng_alloc(1);
  size_t n = 4000000;
  t0 = now();
  fp8_mse_mc(&g, rng, n, &q, 1, &r);
  t1 = now();
  printf("Monte Carlo, gaussian, 1 quantizer (fp8-e4): %.3g samples/s (sampling + codec + stats)\n",
         (double)n / (t1 - t0));
  fp8_mc_quantizer q6[6];
  for (int i = 0; i < 6; i++)
    q6[i] = (fp8_mc_quantizer){.fmt = &F[i], .scale = 0.04};
  fp8_mc_result r6[6];
  t0 = now();
  fp8_mse_mc(&g, rng, n, q6, 6, r6);
  t1 = now();
  printf("Monte Carlo, gaussian, 6 quantizers on shared samples: %.3g samples quantized/s\n",
         6.0 * (double)n / (t1 - t0));

  const char *bdists[] = {"uniform", "gaussian", "student-t:nu=3", "laplace"};
  size_t np = fp8_block_preset_count();
  fp8_block_format bf[16];
  for (size_t i = 0; i < np && i < 16; i++)
    fp8_block_parse(fp8_block_preset_name(i), &bf[i], err, sizeof err);
  t0 = now();
  for (int k = 0; k < 4; k++) {
    fp8_dist d;
    fp8_dist_parse(bdists[k], &d, err, sizeof err);
    fp8_accuracy a;
    for (size_t i = 0; i < np && i < 16; i++)
      fp8_accuracy_block(ws, &bf[i], &d, &a);
  }
  t1 = now();
  printf("block presets' accuracy table (%zu presets x 4 distributions, analytic): %.3f s\n", np, t1 - t0);
  fp8_mc_quantizer qb = {.block = &bf[0], .t = 1, .a = 1};   /* mxfp8_e4m3 */
  t0 = now();
  fp8_mse_mc(&g, rng, n, &qb, 1, &r);
  t1 = now();
  printf("Monte Carlo, gaussian, 1 block quantizer (%s): %.3g samples/s\n", fp8_block_preset_name(0),
         (double)n / (t1 - t0));
  gsl_rng_free(rng);
  fp8_accuracy_free(ws);
  return 0;
}
