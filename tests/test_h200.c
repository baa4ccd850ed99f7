/* test_h200.c - fp8_gemm with the hopper-fp8 unit against what NVIDIA chips
 * returned from torch._scaled_mm (cuBLASLt), every output bit for bit:
 *   tests/data/h200-fp8: an H200, 720 cases, 737,280 outputs, K = 16..4096;
 *   tests/data/h100-fp8-largek: an H100, 192 cases, 196,608 outputs,
 *     K = 6144..16384, where cuBLAS splits K (dot.h, "Split-K reduction");
 * e4m3fn/e5m2 inputs, f32/bf16/f16 outputs, fast and default accumulation,
 * scales.  The expected values are the chips'.  Fast accumulation is one
 * chain per chunk (promote=0); the default promotes every 4 steps; both run
 * with splitk=auto, which must give one chain at K <= 4096.  The other tests
 * check the split-K reduction on hand-computed sums and that splitk=1 is the
 * single chain. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "dot.h"

#ifndef FP8_ABS_SRCDIR
#define FP8_ABS_SRCDIR "."
#endif
#define DATA FP8_ABS_SRCDIR "/tests/data/"

static unsigned char *slurp(const char *dir, const char *file, size_t *len)
{
  char name[512];
  snprintf(name, sizeof name, "%s%s/%s", DATA, dir, file);
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

/* Every case of recording dir through hopper-fp8 with splitk=auto; the
 * recording must hold the given numbers of cases and outputs and span K
 * from kmin to kmax. */
static void check_recording(const char *dir, long want_cases, long want_outputs, size_t kmin, size_t kmax)
{
  size_t la, lb, lo, lm;
  unsigned char *A = slurp(dir, "a.bin", &la), *B = slurp(dir, "b.bin", &lb);
  unsigned char *O = slurp(dir, "out.bin", &lo), *man = slurp(dir, "manifest.tsv", &lm);
  long cases = 0, outputs = 0, bad = 0, nfast = 0, nbf16 = 0, nf16 = 0, nscaled = 0, mixed = 0;
  size_t lo_k = (size_t)-1, hi_k = 0;
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
    ck_assert(fp8_dot_spec_parse(fast ? "hopper-fp8:splitk=auto" : "hopper-fp8:promote=4:splitk=auto", &u, err,
                                 sizeof err) == 0);
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
        printf("%s case %d (%s x %s -> %s, fast %d, K %zu, %s) output %zu: chip 0x%x, model 0x%x\n", dir, id,
               af, bf, of, fast, k, dist, i, want, got);
    }
    free(c);
    cases++;
    outputs += (long)(m * n);
    nfast += fast;
    nbf16 += !strcmp(of, "bf16");
    nf16 += !strcmp(of, "f16");
    nscaled += sa != 1.0f;
    mixed += strcmp(af, bf) != 0;
    lo_k = k < lo_k ? k : lo_k;
    hi_k = k > hi_k ? k : hi_k;
  }
  printf("%s: %ld cases (%ld fast, %ld bf16, %ld f16, %ld scaled, %ld mixed formats), K %zu..%zu, %ld outputs, "
         "%ld differ\n", dir, cases, nfast, nbf16, nf16, nscaled, mixed, lo_k, hi_k, outputs, bad);
  ck_assert_int_eq(cases, want_cases);
  ck_assert_int_eq(outputs, want_outputs);
  ck_assert(lo_k == kmin && hi_k == kmax);
  ck_assert(nfast > 0 && nfast < cases && nbf16 > 0 && nf16 > 0 && nscaled > 0 && mixed > 0);
  ck_assert_int_eq(bad, 0);
  free(A);
  free(B);
  free(O);
  free(man);
}

START_TEST(h200_bit_exact) { check_recording("h200-fp8", 720, 737280, 16, 4096); }
END_TEST

START_TEST(h100_largek_bit_exact) { check_recording("h100-fp8-largek", 192, 196608, 6144, 16384); }
END_TEST

/* The chunks: counts and lengths worked out by hand from dot.h's rule. */
START_TEST(splitk_chunks)
{
  static const struct {
    const char *unit;
    size_t k, chunks, len;
  } t[] = {
    {"hopper-fp8", 16384, 1, 16384},            /* no key: one chain */
    {"hopper-fp8:splitk=1", 16384, 1, 16384},
    {"hopper-fp8:splitk=auto", 4096, 1, 4096},  /* the H200's one chain */
    {"hopper-fp8:splitk=auto", 6144, 2, 3072},  /* 48 tiles, 24 each */
    {"hopper-fp8:splitk=auto", 8192, 3, 2816},  /* 64 tiles, 22 each: 22+22+20 */
    {"hopper-fp8:splitk=auto", 12288, 4, 3072},
    {"hopper-fp8:splitk=auto", 16384, 6, 2816}, /* 128 tiles, 22 each: 5 x 22 + 18 */
    {"hopper-fp8:splitk=auto", 4097, 2, 2176},  /* 33 tiles, 17 each */
    {"hopper-fp8:splitk=4", 300, 3, 128},       /* 3 tiles: the fourth chunk is absent */
    {"hopper-fp8:splitk=2", 100, 1, 100},       /* less than one tile */
    {"hopper-fp8:splitk=5", 0, 1, 0},
  };
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
    fp8_dot_spec u;
    size_t len = 0;
    ck_assert(fp8_dot_spec_parse(t[i].unit, &u, NULL, 0) == 0);
    size_t s = fp8_dot_splitk_chunks(&u, t[i].k, &len);
    ck_assert_msg(s == t[i].chunks && len == t[i].len, "%s at K = %zu: %zu chunks of %zu (expected %zu of %zu)",
                  t[i].unit, t[i].k, s, len, t[i].chunks, t[i].len);
  }
}
END_TEST

/* One output of e5m2 x e5m2 codes with the products 2^24 at index 0 and 1 at
 * indices i1 and i2 (all else zero), K = 384, through unit; fp32 bits. */
static uint32_t three_products(const char *unit, size_t i1, size_t i2)
{
  fp8_format e5, f32;
  ck_assert(fp8_format_parse("float8_e5m2", &e5, NULL, 0) == 0 && fp8_format_parse("fp32", &f32, NULL, 0) == 0);
  uint8_t a[384] = {0}, b[384] = {0};
  a[0] = b[0] = 0x6c;                /* 2^12: exponent field 27 = 12 + bias 15 */
  a[i1] = b[i1] = a[i2] = b[i2] = 0x3c;   /* 1.0: exponent field 15 */
  fp8_dot_spec u;
  char err[320];
  ck_assert(fp8_dot_spec_parse(unit, &u, err, sizeof err) == 0);
  uint32_t r;
  fp8_block_format o5;
  fp8_block_from_format(&e5, &o5);
  ck_assert_msg(fp8_gemm(&u, &o5, &o5, 1, 1, 384, a, b, NULL, NULL, 1, 1, &f32, &r, err, sizeof err) == 0, "%s", err);
  return r;
}

/* Hand-computed sums that tell the rule from its alternatives.  2^24 + 1 is
 * a tie in fp32 and rounds to 2^24 (even); 2^24 + 2 is exact.  In one Hopper
 * chain a 1 after 2^24 falls below the window (2^(24-13)) and is truncated. */
START_TEST(splitk_order_and_boundaries)
{
  const uint32_t two24 = 0x4b800000u, two24p2 = 0x4b800001u;
  /* splitk=3: chunks [0,128) [128,256) [256,384): r = 2^24, 1, 1, added in
   * order: (2^24 + 1) + 1 = 2^24.  Reversed or exact: 2^24 + 2. */
  ck_assert_uint_eq(three_products("hopper-fp8:splitk=3", 128, 256), two24);
  /* splitk=2 over 3 tiles: chunks [0,256) and [256,384), so the 1 at 200
   * shares the 2^24's chain and is truncated: 2^24 + 1 = 2^24.  Halves of K
   * ([0,192), a 32-product granule) would give 2^24 + (1 + 1) exactly. */
  ck_assert_uint_eq(three_products("hopper-fp8:splitk=2", 200, 300), two24);
  /* The same with the 1s both in the second chunk: 2^24 + 2 exactly. */
  ck_assert_uint_eq(three_products("hopper-fp8:splitk=2", 260, 300), two24p2);
  /* One chain: both 1s are truncated. */
  ck_assert_uint_eq(three_products("hopper-fp8", 260, 300), two24);
  /* An exact accumulator sees 2^24 + 2 whatever the split. */
  ck_assert_uint_eq(three_products("kulisch", 128, 256), two24p2);
  /* The vector entry point (accumulate's): the same sums, and the unit's
   * own chain (fp8_dot_push) is not split. */
  fp8_format e5;
  fp8_dot_spec u;
  ck_assert(fp8_format_parse("float8_e5m2", &e5, NULL, 0) == 0);
  ck_assert(fp8_dot_spec_parse("hopper-fp8:splitk=2", &u, NULL, 0) == 0);
  fp8_block_format o5;
  fp8_block_from_format(&e5, &o5);
  fp8_dot *d = fp8_dot_alloc(&o5, NULL, &u, NULL, 0);
  ck_assert(d != NULL);
  uint16_t a[384] = {0};
  a[0] = 0x6c;
  a[260] = a[300] = 0x3c;
  ck_assert_uint_eq(fp8_dot_splitk_u16(d, a, a, 384, NULL), two24p2);
  fp8_dot_clear(d);
  fp8_dot_push_u16(d, a, a, 384);
  ck_assert_uint_eq(fp8_dot_result_f32(d, NULL), two24);
  fp8_dot_free(d);
}
END_TEST

/* splitk=1 and splitk=auto at K <= 4096 are the single chain, bit for bit,
 * on random codes (Inf/NaN codes included, so both operand paths run). */
START_TEST(splitk_one_is_one_chain)
{
  static const char *const units[][2] = {
    {"hopper-fp8", "hopper-fp8:splitk=1"}, {"hopper-fp8:promote=4", "hopper-fp8:promote=4:splitk=1"},
    {"hopper-fp8", "hopper-fp8:splitk=auto"}, {"fp32", "fp32:splitk=1"}, {"ada-fp8", "ada-fp8:splitk=1"}};
  fp8_format e4, f32;
  ck_assert(fp8_format_parse("float8_e4m3fn", &e4, NULL, 0) == 0 && fp8_format_parse("fp32", &f32, NULL, 0) == 0);
  const size_t m = 3, n = 4, k = 4000;
  fp8_block_format o4;
  fp8_block_from_format(&e4, &o4);
  uint8_t *a = malloc(m * k), *b = malloc(n * k);
  uint32_t c0[12], c1[12];
  ck_assert(a && b);
  uint64_t x = 0x9e3779b97f4a7c15u;
  for (int special = 0; special < 2; special++) {
    for (size_t i = 0; i < m * k; i++)
      a[i] = (uint8_t)((x = x * 6364136223846793005u + 1442695040888963407u) >> 56);
    for (size_t i = 0; i < n * k; i++)
      b[i] = (uint8_t)(((x = x * 6364136223846793005u + 1442695040888963407u) >> 56) & 0x77);
    for (size_t i = 0; i < m * k; i++)
      if ((a[i] & 0x7f) == 0x7f && !special)
        a[i] = 0;   /* no NaN on the first pass: the decoded path */
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
      fp8_dot_spec s0, s1;
      char err[320];
      ck_assert(fp8_dot_spec_parse(units[u][0], &s0, NULL, 0) == 0 && fp8_dot_spec_parse(units[u][1], &s1, NULL, 0) == 0);
      ck_assert(fp8_gemm(&s0, &o4, &o4, m, n, k, a, b, NULL, NULL, 0.5f, 3, &f32, c0, err, sizeof err) == 0);
      ck_assert(fp8_gemm(&s1, &o4, &o4, m, n, k, a, b, NULL, NULL, 0.5f, 3, &f32, c1, err, sizeof err) == 0);
      ck_assert_msg(!memcmp(c0, c1, sizeof c0), "%s differs from %s", units[u][1], units[u][0]);
    }
  }
  free(a);
  free(b);
}
END_TEST

/* The key's spelling, its canonical name, and bad values. */
START_TEST(splitk_spelling)
{
  static const char *const good[][2] = {
    {"hopper-fp8:splitk=auto", "hopper-fp8:splitk=auto"},
    {"hopper-fp8:promote=4:splitk=3", "hopper-fp8:promote=4:splitk=3"},
    {"hopper-fp8:splitk=1", "hopper-fp8"},
    {"fp32:splitk=2", "fp32:splitk=2"}};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    fp8_dot_spec u;
    char name[160];
    ck_assert(fp8_dot_spec_parse(good[i][0], &u, NULL, 0) == 0);
    fp8_dot_spec_name(&u, name, sizeof name);
    ck_assert_str_eq(name, good[i][1]);
  }
  static const char *const bad[] = {"hopper-fp8:splitk=0", "hopper-fp8:splitk=1025", "hopper-fp8:splitk=",
                                    "hopper-fp8:splitk=two", "hopper-fp8:splitk=-1"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    fp8_dot_spec u;
    char err[320] = "";
    ck_assert(fp8_dot_spec_parse(bad[i], &u, err, sizeof err) == -1);
    ck_assert_msg(strstr(err, "splitk=") && strstr(err, "expected auto or 1..1024"), "%s: %s", bad[i], err);
  }
  /* A spec built by hand with an impossible value: fp8_gemm refuses it. */
  fp8_dot_spec u;
  fp8_format e4;
  char err[320] = "";
  uint8_t a[4] = {0}, b[4] = {0};
  float c;
  ck_assert(fp8_dot_spec_parse("hopper-fp8", &u, NULL, 0) == 0 && fp8_format_parse("fp32", &e4, NULL, 0) == 0);
  fp8_format in;
  ck_assert(fp8_format_parse("float8_e4m3fn", &in, NULL, 0) == 0);
  fp8_block_format oin;
  fp8_block_from_format(&in, &oin);
  u.splitk = 5000;
  ck_assert(fp8_gemm(&u, &oin, &oin, 1, 1, 4, a, b, NULL, NULL, 1, 1, &e4, &c, err, sizeof err) == -1);
  ck_assert_msg(strstr(err, "splitk = 5000"), "%s", err);
}
END_TEST

int main(void)
{
  Suite *s = suite_create("h200");
  TCase *t = tcase_create("recordings");
  tcase_set_timeout(t, 600);
  tcase_add_test(t, h200_bit_exact);
  tcase_add_test(t, h100_largek_bit_exact);
  suite_add_tcase(s, t);
  TCase *r = tcase_create("splitk");
  tcase_add_test(r, splitk_chunks);
  tcase_add_test(r, splitk_order_and_boundaries);
  tcase_add_test(r, splitk_one_is_one_chain);
  tcase_add_test(r, splitk_spelling);
  suite_add_tcase(s, r);
  return fp8_check_run(s);
}
