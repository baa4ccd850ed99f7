/* test_p3109.c - the IEEE P3109 formats binaryKpP{s|u}{e|f} against the
 * interim report's definition, written out here on its own (not from the
 * descriptor fields): for K = 3..8 and every P, every code decoded by the
 * definition must equal fp8_codec_decode and re-encode to itself; the counts
 * of finite values, max, min normal and min subnormal follow from the
 * definition too.  Also the unsigned scale formats (E8M0, UE4M3) from the OCP
 * MX spec v1.0 and NVIDIA's NVFP4 description, and which P3109 formats are
 * fp8lab formats under another name.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check_run.h"
#include "codec.h"

/* The report's definition.  K bits, precision P (P-1 trailing significand
 * bits), signed (top bit the sign) or unsigned, extended (with infinities) or
 * finite.  One zero at code 0; NaN at 2^(K-1) (signed) or 2^K-1 (unsigned);
 * extended: +Inf at 2^(K-1)-1 and -Inf at 2^K-1 (signed), +Inf at 2^K-2
 * (unsigned).  Bias 2^(K-P-1) (signed), 2^(K-P) (unsigned); the exponent field
 * is the code's magnitude bits above the trailing significand; subnormals
 * (exponent field 0) when P > 1. */
static double p3109_value(int K, int P, int is_signed, int ext, uint32_t code)
{
  uint32_t ncodes = 1u << K;
  if (is_signed) {
    uint32_t half = ncodes / 2;
    if (code == half)
      return NAN;
    if (ext && code == half - 1)
      return INFINITY;
    if (ext && code == ncodes - 1)
      return -INFINITY;
  } else {
    if (code == ncodes - 1)
      return NAN;
    if (ext && code == ncodes - 2)
      return INFINITY;
  }
  double sgn = 1;
  uint32_t mag = code;
  if (is_signed && code >= ncodes / 2) {
    sgn = -1;
    mag = code - ncodes / 2;
  }
  int bias = is_signed ? 1 << (K - P - 1) : 1 << (K - P);
  uint32_t t = mag & ((1u << (P - 1)) - 1), e = mag >> (P - 1);
  double v;
  if (e == 0)
    v = ldexp((double)t, 1 - bias - (P - 1));
  else
    v = ldexp(1.0 + ldexp((double)t, -(P - 1)), (int)e - bias);
  return sgn * v;
}

START_TEST(every_code_every_format)
{
  int nformats = 0;
  for (int K = 3; K <= 8; K++)
    for (int is_signed = 0; is_signed < 2; is_signed++)
      for (int P = 1; P <= (is_signed ? K - 1 : K); P++)
        for (int ext = 0; ext < 2; ext++) {
          char name[32], err[256];
          snprintf(name, sizeof name, "binary%dp%d%c%c", K, P, is_signed ? 's' : 'u', ext ? 'e' : 'f');
          fp8_format f;
          ck_assert_msg(fp8_format_parse(name, &f, err, sizeof err) == 0, "%s: %s", name, err);
          ck_assert_int_eq(f.bits, K);
          nformats++;
          double max = 0, minpos = INFINITY;
          unsigned long long finite = 0;
          int nan = 0, inf = 0;
          for (uint32_t c = 0; c < (1u << K); c++) {
            double want = p3109_value(K, P, is_signed, ext, c), got = fp8_codec_decode(&f, c);
            if (isnan(want)) {
              nan++;
              ck_assert_msg(isnan(got) && fp8_codec_classify(&f, c) == FP8_CLASS_NAN,
                            "%s: code 0x%x is NaN by definition, decodes to %a", name, c, got);
              ck_assert_uint_eq(fp8_codec_encode(&f, NAN, NULL, NULL), c);
              continue;
            }
            if (memcmp(&want, &got, sizeof want))
              ck_abort_msg("%s: code 0x%x: definition %a, fp8lab %a", name, c, want, got);
            unsigned fl = 0;
            uint32_t back = fp8_codec_encode(&f, want, NULL, &fl);
            if (back != c || fl)
              ck_abort_msg("%s: %a re-encodes to 0x%x (flags %u), expected 0x%x", name, want, back, fl, c);
            if (isinf(want)) {
              inf++;
              continue;
            }
            finite++;
            if (want > max)
              max = want;
            if (want > 0 && want < minpos)
              minpos = want;
          }
          ck_assert_int_eq(nan, 1);
          ck_assert_int_eq(inf, ext ? (is_signed ? 2 : 1) : 0);
          /* every non-special code is a distinct finite value: 2^K minus NaN minus Infs */
          ck_assert_uint_eq(finite, (1ull << K) - 1 - (unsigned)inf);
          ck_assert_uint_eq(fp8_format_finite_values(&f), finite);
          ck_assert_msg(fp8_format_max(&f) == max, "%s: max %a, definition %a", name, fp8_format_max(&f), max);
          ck_assert_msg(fp8_format_min_subnormal(&f) == minpos, "%s: min %a, definition %a", name,
                        fp8_format_min_subnormal(&f), minpos);
          int bias = is_signed ? 1 << (K - P - 1) : 1 << (K - P);
          ck_assert_msg(fp8_format_min_normal(&f) == ldexp(1.0, 1 - bias), "%s: min normal", name);
          ck_assert_msg(minpos == (P > 1 ? ldexp(1.0, 1 - bias - (P - 1)) : ldexp(1.0, 1 - bias)),
                        "%s: min subnormal %a", name, minpos);
          ck_assert(fp8_format_has_inf(&f) == (ext != 0));
        }
  /* K = 3..8: signed P = 1..K-1, unsigned P = 1..K, each extended and finite */
  ck_assert_int_eq(nformats, 2 * ((2 + 3 + 4 + 5 + 6 + 7) + (3 + 4 + 5 + 6 + 7 + 8)));
}
END_TEST

/* Hand facts from the report's tables for K = 8. */
START_TEST(binary8_facts)
{
  fp8_format f;
  ck_assert_int_eq(fp8_format_parse("binary8p3se", &f, NULL, 0), 0);
  ck_assert(fp8_format_max(&f) == 49152.0);          /* 1.5 * 2^15 */
  ck_assert_uint_eq(fp8_format_inf_code(&f, 0), 0x7f);
  ck_assert_uint_eq(fp8_format_inf_code(&f, 1), 0xff);
  ck_assert_uint_eq(fp8_format_nan_code(&f, 1), 0x80);
  ck_assert(fp8_format_min_subnormal(&f) == ldexp(1, -17));
  ck_assert_int_eq(fp8_format_parse("binary8p4se", &f, NULL, 0), 0);
  ck_assert(fp8_format_max(&f) == 224.0);            /* 1.75 * 2^7: 0x7e */
  ck_assert_int_eq(fp8_format_parse("binary8p1ue", &f, NULL, 0), 0);
  ck_assert(fp8_format_max(&f) == ldexp(1, 125));    /* 0xfd = 2^(253-128) */
  ck_assert_uint_eq(fp8_format_inf_code(&f, 0), 0xfe);
  ck_assert_uint_eq(fp8_format_nan_code(&f, 0), 0xff);
}
END_TEST

/* Same formats under two names: the report notes binary8p4sf/p3sf are the
 * fnuz types (bias 8, 16); extended ones and other biases are not. */
START_TEST(equivalences)
{
  static const struct { const char *a, *b; int same; } w[] = {
    {"binary8p4sf", "float8_e4m3fnuz", 1}, {"binary8p3sf", "float8_e5m2fnuz", 1},
    {"binary8p4sf", "fp8-e4", 1}, {"binary8p6sf", "fp8-e2", 1}, {"binary8p5sf", "fp8-e3", 1},
    {"binary8p4se", "float8_e4m3fnuz", 0}, {"binary8p4sf", "float8_e4m3fn", 0},
    {"binary8p4sf", "float8_e4m3b11fnuz", 0}, {"binary8p1uf", "float8_e8m0fnu", 0},
    {"float8_e8m0fnu", "ue8m0", 1}};
  for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
    fp8_format a, b;
    ck_assert_int_eq(fp8_format_parse(w[i].a, &a, NULL, 0), 0);
    ck_assert_int_eq(fp8_format_parse(w[i].b, &b, NULL, 0), 0);
    ck_assert_msg(fp8_codec_same_values(&a, &b) == w[i].same, "%s vs %s", w[i].a, w[i].b);
  }
}
END_TEST

/* OCP MX v1.0 section 5.4.1: E8M0 is 2^(e-127) for e = 0..254, 0xff NaN, no
 * zero, no sign.  NVFP4's UE4M3: OCP E4M3 with the sign bit 0. */
START_TEST(scale_formats)
{
  fp8_format f, g;
  ck_assert_int_eq(fp8_format_parse("float8_e8m0fnu", &f, NULL, 0), 0);
  ck_assert_int_eq(f.bits, 8);
  for (uint32_t e = 0; e < 255; e++)
    ck_assert_msg(fp8_codec_decode(&f, e) == ldexp(1.0, (int)e - 127), "e8m0 code %u", e);
  ck_assert(isnan(fp8_codec_decode(&f, 0xff)));
  ck_assert(!fp8_format_has_zero(&f));
  ck_assert_uint_eq(fp8_format_finite_values(&f), 255);
  ck_assert_int_eq(fp8_format_parse("ue4m3", &f, NULL, 0), 0);
  ck_assert_int_eq(fp8_format_parse("float8_e4m3fn", &g, NULL, 0), 0);
  ck_assert_int_eq(f.bits, 7);
  for (uint32_t c = 0; c < 0x80; c++) {
    double a = fp8_codec_decode(&f, c), b = fp8_codec_decode(&g, c);
    ck_assert_msg((isnan(a) && isnan(b)) || a == b, "ue4m3 0x%x: %a vs e4m3fn %a", c, a, b);
  }
  ck_assert(fp8_format_max(&f) == 448.0);
  ck_assert_uint_eq(fp8_format_finite_values(&f), 127);
}
END_TEST

int main(void)
{
  Suite *s = suite_create("p3109");
  TCase *tc = tcase_create("formats");
  tcase_add_test(tc, every_code_every_format);
  tcase_add_test(tc, binary8_facts);
  tcase_add_test(tc, equivalences);
  tcase_add_test(tc, scale_formats);
  suite_add_tcase(s, tc);
  return fp8_check_run(s);
}
