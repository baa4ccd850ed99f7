/* bench_gemm.c - products/s of fp8_gemm (one core) for the tensor-core units
 * and, in the same run, the per-step fp32 MAC and the exact Kulisch unit:
 * float8_e4m3fn x float8_e4m3fn, M = N = 64, K = 4096 (16.8 M products),
 * random codes (NaN codes replaced by zeros), best of three, per second of
 * the thread's CPU time (so that other load on the machine does not count).
 * Goal: hopper-fp8 >= 200 M products/s.
 * Then the block-scaled units through fp8_gemm with block operands on the same
 * shape: MXFP8 (E4M3, E8M0 scales near 1) and NVFP4 (E2M1, UE4M3 scales)
 * codes from the same generator.
 * Usage: bench_gemm [K [UNIT]]  (UNIT: only that unit). */
#include <stdbool.h>
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
  fp8_block_format op;
  fp8_block_from_format(&f, &op);
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
      if (fp8_gemm(&u, &op, &op, m, n, k, a, b, NULL, NULL, 1.0f, 1.0f, &f32, c, err, sizeof err)) {
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
  /* Block-scaled units: codes of the block format, scales one per 32 or 16. */
  static const struct { const char *unit, *fmt; } blk[] = {
    {"blackwell-mxf8f6f4", "mxfp8_e4m3"}, {"mx-exact", "mxfp8_e4m3"}, {"blackwell-mxf4", "mxfp4_e2m1"},
    {"blackwell-nvf4", "nvfp4"}, {"nvfp4-exact", "nvfp4"}};
  uint8_t *sa = malloc(m * k), *sb = malloc(n * k), *a4 = malloc(m * k), *b4 = malloc(n * k);
  if (!sa || !sb || !a4 || !b4)
    return 1;
  for (size_t i = 0; i < m * k; i++) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    a4[i] = (uint8_t)(x & 15);
    b4[i] = (uint8_t)(x >> 4 & 15);
    sa[i] = (uint8_t)(x >> 8);    /* scale codes: the low bits pick one below */
    sb[i] = (uint8_t)(x >> 16);
  }
  printf("block formats, M = N = %zu, K = %zu, one core (fp8_gemm, block operands)\n", m, k);
  printf("%-22s %-12s %14s\n", "unit", "format", "products/s");
  for (size_t r = 0; r < sizeof blk / sizeof blk[0]; r++) {
    if (argc > 2 && strcmp(argv[2], blk[r].unit))
      continue;
    fp8_dot_spec u;
    fp8_block_format bf;
    char err[320];
    if (fp8_dot_spec_parse(blk[r].unit, &u, err, sizeof err) || fp8_block_parse(blk[r].fmt, &bf, err, sizeof err)) {
      fprintf(stderr, "bench_gemm: %s\n", err);
      return 1;
    }
    const bool e8m0 = bf.scale.mbits == 0, fp4 = bf.elem.bits == 4;
    size_t nb = (k + (size_t)bf.block - 1) / (size_t)bf.block;
    uint8_t *ssa = malloc(m * nb), *ssb = malloc(n * nb);
    if (!ssa || !ssb)
      return 1;
    for (size_t i = 0; i < m * nb; i++)
      ssa[i] = e8m0 ? (uint8_t)(120 + sa[i] % 15) : (uint8_t)(0x30 + sa[i] % 32);   /* 2^-7..2^7; 0.5..7.5 */
    for (size_t i = 0; i < n * nb; i++)
      ssb[i] = e8m0 ? (uint8_t)(120 + sb[i] % 15) : (uint8_t)(0x30 + sb[i] % 32);
    double best = 0;
    for (int rep = 0; rep < 3; rep++) {
      double t0 = now();
      if (fp8_gemm(&u, &bf, &bf, m, n, k, fp4 ? a4 : a, fp4 ? b4 : b, ssa, ssb, 1.0f, 1.0f, &f32, c, err,
                   sizeof err)) {
        fprintf(stderr, "bench_gemm: %s\n", err);
        return 1;
      }
      double rate = (double)(m * n * k) / (now() - t0);
      best = rate > best ? rate : best;
    }
    printf("%-22s %-12s %12.1f M\n", blk[r].unit, blk[r].fmt, best / 1e6);
    free(ssa);
    free(ssb);
  }
  free(sa);
  free(sb);
  free(a4);
  free(b4);
  free(a);
  free(b);
  free(c);
  return 0;
}
