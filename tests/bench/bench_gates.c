/* bench_gates.c - how fast the analytic gate model answers (the split explorer
 * asks for every split of widths 4..16 under several accumulators).  Prints
 * figures; asserts nothing about time. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "gates.h"

#ifndef FP8_ABS_SRCDIR
#define FP8_ABS_SRCDIR "."
#endif

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(void)
{
  char err[600];
  fp8_gates_costs c;
  const char *path = FP8_ABS_SRCDIR "/data/components.tsv";
  int reps = 200;
  double t0 = now();
  for (int i = 0; i < reps; i++)
    if (fp8_gates_costs_load(path, &c, err, sizeof err)) {
      fprintf(stderr, "bench_gates: %s\n", err);
      return 1;
    }
  double t_load = (now() - t0) / reps;

  static const char *const accs[] = {"kulisch", "fp16", "bf16", "fp32"};
  long evals = 0;
  double sum = 0;
  t0 = now();
  for (int r = 0; r < 50; r++)
    for (int e = 1; e <= 8; e++)
      for (int m = 0; e + m + 1 <= 16; m++) {
        char spec[32];
        fp8_format f;
        snprintf(spec, sizeof spec, "e%dm%d:fnuz", e, m);
        if (e + m + 1 < 4 || fp8_format_parse(spec, &f, NULL, 0))
          continue;
        for (int a = 0; a < 4; a++) {
          fp8_acc_spec acc;
          double t;
          if (fp8_gates_acc_parse(accs[a], &f, &acc, NULL, 0) ||
              fp8_gates_total(&f, &acc, &c, &t, NULL, 0))
            continue;
          sum += t;
          evals++;
        }
      }
  double dt = now() - t0;
  printf("components.tsv load+parse: %.1f us\n", t_load * 1e6);
  printf("format parse + accumulator parse + BOM + cost: %ld evaluations in %.3f s = %.2f us each "
         "(checksum %.0f)\n", evals, dt, dt / evals * 1e6, sum);
  return 0;
}
