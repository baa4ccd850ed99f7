/* test_codec_ref.c - encoding against the brute-force reference (codec_ref.c).
 *
 * For every preset of at most 16 bits, >= 2^20 stratified float32 inputs
 * (every grid value and midpoint +-1 ulp, overflow boundaries, every float32
 * binade, specials, random) in rne/rtz/rna x sat/nonsat: the generic
 * fp8_codec_encode and the fast array kernels must give the reference's code
 * and flags.  Seed printed; FP8LAB_SEED overrides it.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "codec.h"
#include "codec_ref.h"

static uint64_t seed;

static const char *const formats[] = {
  "int8", "int8-sm", "fp8-e2", "fp8-e3", "fp8-e4", "fp8-e5",
  "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e4m3b11fnuz",
  "float8_e3m4", "float8_e4m3", "float6_e2m3fn", "float6_e3m2fn", "float4_e2m1fn",
  "fp16", "bf16",
  /* beyond the presets: no-subnormal grids, odd widths, integers of other sizes */
  "e4m3:fn:nosub", "e5m2:ieee:nosub", "e3m2:fnuz:nosub", "e2m1:none:nosub", "int4", "int12-sm",
  "e6m9:fnuz", "e1m6:none", "e8m7:ieee:bias=100", "e4m0:fnuz", "e5m0:fn", "e3m0:none:nosub"};
#define NFORMATS (sizeof formats / sizeof formats[0])

static const char *mode_name[] = {"rne", "rtz", "rna", "stochastic"};

static void check_format(const char *name)
{
  fp8_format f;
  char err[256];
  ck_assert_msg(fp8_format_parse(name, &f, err, sizeof err) == 0, "%s: %s", name, err);
  fp8_rounding rne = {.mode = FP8_ROUND_RNE, .overflow = FP8_OVERFLOW_SAT};
  ck_assert_msg(fp8_codec_f32_fast_covers(&f, &rne), "%s: not covered by the fast kernel", name);
  codec_ref *r = codec_ref_alloc(&f);
  ck_assert_ptr_nonnull(r);
  float *in;
  size_t n = codec_ref_inputs(r, seed, (size_t)1 << 20, &in);
  ck_assert_uint_ge(n, (size_t)1 << 20);
  uint16_t *fast = malloc(n * sizeof *fast), *fast_nf = malloc(n * sizeof *fast);
  uint8_t *fast8 = malloc(n);
  ck_assert_ptr_nonnull(fast);
  ck_assert_ptr_nonnull(fast_nf);
  ck_assert_ptr_nonnull(fast8);
  static const fp8_round_mode modes[] = {FP8_ROUND_RNE, FP8_ROUND_RTZ, FP8_ROUND_RNA};
  for (int mi = 0; mi < 3; mi++)
    for (int ov = 0; ov < 2; ov++) {
      fp8_rounding rc = {.mode = modes[mi], .overflow = ov ? FP8_OVERFLOW_NONSAT : FP8_OVERFLOW_SAT};
      unsigned fast_flags = 0, ref_all = 0;
      fp8_codec_encode_f32_u16(&f, in, fast, n, &rc, &fast_flags);
      fp8_codec_encode_f32_u16(&f, in, fast_nf, n, &rc, NULL);   /* the loops without flags */
      ck_assert_msg(memcmp(fast, fast_nf, n * sizeof *fast) == 0, "%s %s: flag-less loop differs",
                    name, mode_name[mi]);
      if (f.bits <= 8) {
        unsigned f8 = 0;
        fp8_codec_encode_f32_u8(&f, in, fast8, n, &rc, &f8);
        ck_assert_uint_eq(f8, fast_flags);
      }
      for (size_t i = 0; i < n; i++) {
        unsigned rf = 0, gf = 0;
        uint32_t want = codec_ref_encode(r, in[i], modes[mi], rc.overflow, &rf);
        uint32_t got = fp8_codec_encode(&f, in[i], &rc, &gf);
        ref_all |= rf;
        if (got != want || gf != rf)     /* plain ifs: ck_assert marks a point through a pipe */
          ck_abort_msg("%s %s %s: x = %a: generic 0x%x flags %u, reference 0x%x flags %u", name, mode_name[mi], ov ? "nonsat" : "sat", in[i], got, gf, want, rf);
        if (fast[i] != want)
          ck_abort_msg("%s %s %s: x = %a: fast 0x%x, reference 0x%x",
                       name, mode_name[mi], ov ? "nonsat" : "sat", in[i], fast[i], want);
        if (f.bits <= 8 && fast8[i] != want)
          ck_abort_msg("%s %s %s: x = %a: fast u8 0x%x, reference 0x%x",
                       name, mode_name[mi], ov ? "nonsat" : "sat", in[i], fast8[i], want);
      }
      ck_assert_msg(fast_flags == ref_all, "%s %s %s: fast flags %u, reference %u", name,
                    mode_name[mi], ov ? "nonsat" : "sat", fast_flags, ref_all);
    }
  free(fast);
  free(fast_nf);
  free(fast8);
  free(in);
  codec_ref_free(r);
}

START_TEST(against_reference)
{
  check_format(formats[_i]);
}
END_TEST

/* The reference itself, on hand-checked values, so a shared mistake would show. */
START_TEST(reference_sanity)
{
  fp8_format f;
  ck_assert_int_eq(fp8_format_parse("float8_e4m3fn", &f, NULL, 0), 0);
  codec_ref *r = codec_ref_alloc(&f);
  ck_assert_uint_eq(r->npos, 127);                 /* 0 .. 448 */
  ck_assert(r->pos[126] == 448.0 && r->pos[1] == ldexp(1, -9));
  ck_assert_uint_eq(codec_ref_encode(r, 464, FP8_ROUND_RNE, FP8_OVERFLOW_NONSAT, NULL), 0x7e);
  ck_assert_uint_eq(codec_ref_encode(r, 465, FP8_ROUND_RNE, FP8_OVERFLOW_NONSAT, NULL), 0x7f);
  ck_assert_uint_eq(codec_ref_encode(r, -0.0, FP8_ROUND_RNE, FP8_OVERFLOW_SAT, NULL), 0x80);
  codec_ref_free(r);
  ck_assert_int_eq(fp8_format_parse("int8", &f, NULL, 0), 0);
  r = codec_ref_alloc(&f);
  ck_assert_uint_eq(r->nneg, 129);
  ck_assert_uint_eq(codec_ref_encode(r, -300, FP8_ROUND_RNE, FP8_OVERFLOW_SAT, NULL), 0x80);
  ck_assert_uint_eq(codec_ref_encode(r, 2.5, FP8_ROUND_RNE, FP8_OVERFLOW_SAT, NULL), 2);
  ck_assert_uint_eq(codec_ref_encode(r, -2.5, FP8_ROUND_RNA, FP8_OVERFLOW_SAT, NULL), 0xfd);
  codec_ref_free(r);
}
END_TEST

int main(void)
{
  seed = codec_ref_seed("test_codec_ref", 20260101);
  Suite *s = suite_create("codec_ref");
  TCase *tc = tcase_create("reference");
  tcase_set_timeout(tc, 600);
  tcase_add_test(tc, reference_sanity);
  tcase_add_loop_test(tc, against_reference, 0, (int)NFORMATS);
  suite_add_tcase(s, tc);
  return fp8_check_run(s);
}
