/* bench_mac.c - MAC/s of the golden model's batch call (one core), fp8-e4
 * inputs into Kulisch, fp16, bf16 and fp32 accumulators, plus float8_e5m2 into
 * a 77-bit Kulisch (the __int128 kernel) and into kulisch:200 (the word
 * kernel).  Goals: Kulisch >= 200 M/s, FP accumulators >= 50 M/s.
 * Usage: bench_mac [N]  (N MACs per measurement, default 2^24). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mac.h"

static double now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
  size_t n = argc > 1 ? strtoul(argv[1], NULL, 0) : (size_t)1 << 24;
  static const struct { const char *fmt, *acc; double goal; } runs[] = {
    {"fp8-e4", "kulisch", 200e6}, {"fp8-e4", "fp16", 50e6},  {"fp8-e4", "bf16", 50e6},
    {"fp8-e4", "fp32", 50e6},     {"fp8-e4", "fp16:ftz", 50e6}, {"int8", "kulisch:27", 200e6},
    {"float8_e5m2", "kulisch", 0}, {"float8_e5m2", "kulisch:200", 0}};
  uint8_t *a = malloc(n), *b = malloc(n);
  if (!a || !b || n == 0) {
    fprintf(stderr, "bench_mac: cannot allocate %zu codes\n", n);
    return 1;
  }
  uint64_t x = 88172645463325252ull;   /* xorshift64: fixed inputs */
  for (size_t i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    a[i] = (uint8_t)x;
    b[i] = (uint8_t)(x >> 8);
  }
  printf("%-12s %-12s %6s %12s %10s\n", "input", "accumulator", "width", "MAC/s", "goal");
  for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
    fp8_format f;
    fp8_acc_spec s;
    char err[320];
    if (fp8_format_parse(runs[r].fmt, &f, err, sizeof err) ||
        fp8_acc_spec_parse(runs[r].acc, &s, err, sizeof err)) {
      fprintf(stderr, "bench_mac: %s\n", err);
      return 1;
    }
    fp8_mac *m = fp8_mac_alloc(&f, NULL, &s, err, sizeof err);
    if (!m) {
      fprintf(stderr, "bench_mac: %s\n", err);
      return 1;
    }
    double best = 0;
    for (int rep = 0; rep < 3; rep++) {    /* best of three */
      fp8_mac_clear(m);
      double t0 = now();
      fp8_mac_batch_u8(m, a, b, n);
      double rate = (double)n / (now() - t0);
      if (rate > best)
        best = rate;
    }
    char goal[32] = "-";
    if (runs[r].goal > 0)
      snprintf(goal, sizeof goal, "%s %.0fM", best >= runs[r].goal ? ">=" : "MISSED", runs[r].goal / 1e6);
    printf("%-12s %-12s %6d %10.1f M %10s\n", runs[r].fmt, runs[r].acc, fp8_mac_width(m), best / 1e6, goal);
    fp8_mac_free(m);
  }
  free(a);
  free(b);
  return 0;
}
