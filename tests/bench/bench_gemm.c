/* bench_gemm.c - products/s of fp8_gemm (one core) for the tensor-core units
 * and, in the same run, the per-step fp32 MAC and the exact Kulisch unit:
 * float8_e4m3fn x float8_e4m3fn, M = N = 64, K = 4096 (16.8 M products),
 * random codes (NaN codes replaced by zeros), best of three, per second of
 * the thread's CPU time (so that other load on the machine does not count).
 * Goal (issue 11): hopper-fp8 >= 200 M products/s.
 * Usage: bench_gemm [K [UNIT]]  (UNIT: only that unit). */
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "dot.h"

static double now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);   /* CPU time: fair on a loaded machine */
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
  const size_t m = 64, n = 64, k = argc > 1 ? strtoul(argv[1], NULL, 0) : 4096;
  static const struct { const char *unit; double goal; } runs[] = {
    {"hopper-fp8", 200e6}, {"hopper-fp8:promote=4", 0}, {"ada-fp8", 0}, {"blackwell-fp8", 0},
    {"fp32", 0}, {"kulisch", 0}};
  uint8_t *a = malloc(m * k), *b = malloc(n * k);
  float *c = malloc(m * n * sizeof *c);
  if (!a || !b || !c || k == 0) {
    fprintf(stderr, "bench_gemm: cannot allocate K = %zu\n", k);
    return 1;
  }
  uint64_t x = 88172645463325252ull;
  for (size_t i = 0; i < m * k; i++) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    a[i] = (x & 0x7f) == 0x7f ? 0 : (uint8_t)x;          /* no NaN (S.1111.111) */
    b[i] = (x >> 8 & 0x7f) == 0x7f ? 0 : (uint8_t)(x >> 8);
  }
  fp8_format f, f32;
  fp8_format_parse("float8_e4m3fn", &f, NULL, 0);
  fp8_format_parse("fp32", &f32, NULL, 0);
  printf("float8_e4m3fn x float8_e4m3fn, M = N = %zu, K = %zu, one core\n", m, k);
  printf("%-22s %14s %12s\n", "unit", "products/s", "goal");
  for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
    if (argc > 2 && strcmp(argv[2], runs[r].unit))
      continue;
    fp8_dot_spec u;
    char err[320];
    if (fp8_dot_spec_parse(runs[r].unit, &u, err, sizeof err)) {
      fprintf(stderr, "bench_gemm: %s\n", err);
      return 1;
    }
    double best = 0;
    for (int rep = 0; rep < 3; rep++) {
      double t0 = now();
      if (fp8_gemm(&u, &f, &f, m, n, k, a, b, 1.0f, 1.0f, &f32, c, err, sizeof err)) {
        fprintf(stderr, "bench_gemm: %s\n", err);
        return 1;
      }
      double rate = (double)(m * n * k) / (now() - t0);
      best = rate > best ? rate : best;
    }
    char goal[32] = "-";
    if (runs[r].goal > 0)
      snprintf(goal, sizeof goal, "%s %.0fM", best >= runs[r].goal ? ">=" : "MISSED", runs[r].goal / 1e6);
    printf("%-22s %12.1f M %12s\n", runs[r].unit, best / 1e6, goal);
  }
  free(a);
  free(b);
  free(c);
  return 0;
}
