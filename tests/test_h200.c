/* test_h200.c - fp8_gemm with the hopper-fp8 unit against what an NVIDIA
 * H200 returned (tests/data/h200-fp8: 720 torch._scaled_mm cases, 737,280
 * outputs, e4m3fn/e5m2 inputs, f32/bf16/f16 outputs, fast and default
 * accumulation, K = 16..4096, scales).  The expected values are the chip's:
 * every output must match bit for bit.  Fast accumulation is one chain
 * (promote=0); the default promotes every 4 steps (cuBLAS). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "dot.h"

#ifndef FP8_ABS_SRCDIR
#define FP8_ABS_SRCDIR "."
#endif
#define DATA FP8_ABS_SRCDIR "/tests/data/h200-fp8/"

static unsigned char *slurp(const char *name, size_t *len)
{
  FILE *f = fopen(name, "rb");
  ck_assert_msg(f != NULL, "cannot open %s", name);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *p = malloc((size_t)n + 1);
  ck_assert(p != NULL);
  ck_assert_int_eq(fread(p, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  p[n] = 0;
  *len = (size_t)n;
  return p;
}

static fp8_format fmt(const char *recorded)
{
  fp8_format f;
  const char *name = !strcmp(recorded, "e4m3fn") ? "float8_e4m3fn"
                     : !strcmp(recorded, "e5m2") ? "float8_e5m2"
                     : !strcmp(recorded, "f32") ? "fp32"
                     : !strcmp(recorded, "f16") ? "fp16" : recorded;
  ck_assert_msg(fp8_format_parse(name, &f, NULL, 0) == 0, "format %s", recorded);
  return f;
}

START_TEST(h200_bit_exact)
{
  size_t la, lb, lo, lm;
  unsigned char *A = slurp(DATA "a.bin", &la), *B = slurp(DATA "b.bin", &lb);
  unsigned char *O = slurp(DATA "out.bin", &lo), *man = slurp(DATA "manifest.tsv", &lm);
  long cases = 0, outputs = 0, bad = 0, nfast = 0, nbf16 = 0, nf16 = 0, nscaled = 0, mixed = 0;
  char *save, *line = strtok_r((char *)man, "\n", &save);
  for (; line; line = strtok_r(NULL, "\n", &save)) {
    if (line[0] == '#' || !strncmp(line, "case\t", 5))
      continue;
    char af[16], bf[16], of[16], dist[16];
    int id, fast;
    float sa, sb;
    size_t m, n, k, ao, bo, oo;
    ck_assert_msg(sscanf(line, "%d %15s %15s %15s %d %f %f %zu %zu %zu %15s %zu %zu %zu", &id, af, bf, of,
                         &fast, &sa, &sb, &m, &n, &k, dist, &ao, &bo, &oo) == 14, "manifest line: %s", line);
    fp8_format fa = fmt(af), fb = fmt(bf), fo = fmt(of);
    size_t osz = fo.bits <= 16 ? 2 : 4;
    ck_assert(ao + m * k <= la && bo + n * k <= lb && oo + m * n * osz <= lo);
    fp8_dot_spec u;
    char err[320];
    ck_assert(fp8_dot_spec_parse(fast ? "hopper-fp8" : "hopper-fp8:promote=4", &u, err, sizeof err) == 0);
    void *c = malloc(m * n * osz);
    ck_assert(c != NULL);
    fp8_block_format oa, ob;
    fp8_block_from_format(&fa, &oa);
    fp8_block_from_format(&fb, &ob);
    ck_assert_msg(fp8_gemm(&u, &oa, &ob, m, n, k, A + ao, B + bo, NULL, NULL, sa, sb, &fo, c, err, sizeof err) == 0,
                  "%s", err);
    for (size_t i = 0; i < m * n; i++) {
      uint32_t want = 0, got = osz == 2 ? ((uint16_t *)c)[i] : ((uint32_t *)c)[i];
      for (size_t j = 0; j < osz; j++)
        want |= (uint32_t)O[oo + i * osz + j] << (8 * j);
      if (want != got && bad++ < 10)
        printf("case %d (%s x %s -> %s, fast %d, K %zu, %s) output %zu: chip 0x%x, model 0x%x\n", id, af,
               bf, of, fast, k, dist, i, want, got);
    }
    free(c);
    cases++;
    outputs += (long)(m * n);
    nfast += fast;
    nbf16 += !strcmp(of, "bf16");
    nf16 += !strcmp(of, "f16");
    nscaled += sa != 1.0f;
    mixed += strcmp(af, bf) != 0;
  }
  printf("h200: %ld cases (%ld fast, %ld bf16, %ld f16, %ld scaled, %ld mixed formats), %ld outputs, "
         "%ld differ\n", cases, nfast, nbf16, nf16, nscaled, mixed, outputs, bad);
  ck_assert_int_eq(cases, 720);
  ck_assert_int_eq(outputs, 737280);
  ck_assert(nfast > 0 && nfast < cases && nbf16 > 0 && nf16 > 0 && nscaled > 0 && mixed > 0);
  ck_assert_int_eq(bad, 0);
  free(A);
  free(B);
  free(O);
  free(man);
}
END_TEST

int main(void)
{
  Suite *s = suite_create("h200");
  TCase *t = tcase_create("gemm");
  tcase_set_timeout(t, 300);
  tcase_add_test(t, h200_bit_exact);
  suite_add_tcase(s, t);
  return fp8_check_run(s);
}
