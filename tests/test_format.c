/* test_format.c - descriptor facts from the OCP 8-bit FP spec v1.0 and the paper. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "format.h"

static fp8_format get(const char *spec)
{
  fp8_format f;
  char err[256];
  ck_assert_msg(fp8_format_parse(spec, &f, err, sizeof err) == 0, "%s: %s", spec, err);
  return f;
}

START_TEST(ocp_e4m3_limits)
{
  fp8_format f = get("float8_e4m3fn");
  ck_assert_int_eq(f.bias, 7);
  ck_assert(fp8_format_max(&f) == 448.0);
  ck_assert_uint_eq(fp8_format_max_code(&f), 0x7e);
  ck_assert_uint_eq(fp8_format_nan_code(&f, 0), 0x7f);
  ck_assert(fp8_format_min_normal(&f) == ldexp(1, -6));
  ck_assert(fp8_format_min_subnormal(&f) == ldexp(1, -9));
  ck_assert(!fp8_format_has_inf(&f));
}
END_TEST

START_TEST(ocp_e5m2_limits)
{
  fp8_format f = get("float8_e5m2");
  ck_assert(fp8_format_max(&f) == 57344.0);
  ck_assert_uint_eq(fp8_format_inf_code(&f, 0), 0x7c);
  ck_assert(fp8_format_min_subnormal(&f) == ldexp(1, -16));
  ck_assert(fp8_format_has_inf(&f));
}
END_TEST

START_TEST(fnuz_limits)
{
  fp8_format f = get("float8_e4m3fnuz");
  ck_assert_int_eq(f.bias, 8);
  ck_assert(fp8_format_max(&f) == 240.0);
  ck_assert_uint_eq(fp8_format_nan_code(&f, 1), 0x80);
  ck_assert(!fp8_format_has_negzero(&f));
  fp8_format g = get("float8_e4m3");
  ck_assert(fp8_format_max(&g) == 240.0);
}
END_TEST

/* doc/DESIGN.md section 3: FX for the paper's formats and the Kulisch widths. */
START_TEST(product_widths)
{
  static const struct { const char *name; int fx; } w[] = {
    {"fp8-e1", 15}, {"int8-sm", 15}, {"int8", 16}, {"fp8-e2", 17}, {"fp8-e3", 23},
    {"fp8-e4", 37}, {"fp8-e5", 67}, {"float8_e5m2", 65}};
  for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
    fp8_format f = get(w[i].name);
    ck_assert_msg(fp8_format_product_bits(&f) == w[i].fx, "%s: FX %d, expected %d", w[i].name,
                  fp8_format_product_bits(&f), w[i].fx);
  }
  fp8_format f = get("fp8-e4");
  ck_assert_int_eq(fp8_format_kulisch_bits(&f), 49);
}
END_TEST

/* Canonical spellings read back as the same descriptor. */
START_TEST(canonical_roundtrip)
{
  static const char *const w[] = {"ue4m3:fn", "ue8m0:fn:nozero", "e4m3:p3109e", "ue5m2:p3109f", "e3m2:none:nozero",
                                  "ue3m4:ieee:bias=2", "e5m2:p3109e:nosub", "binary8p4se", "float8_e8m0fnu"};
  for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
    fp8_format f = get(w[i]), g;
    char c[64];
    fp8_format_name(&f, c, sizeof c);
    g = get(c);
    ck_assert_msg(f.bits == g.bits && f.ebits == g.ebits && f.mbits == g.mbits && f.bias == g.bias &&
                  f.special == g.special && f.subnormals == g.subnormals && f.is_unsigned == g.is_unsigned &&
                  f.nozero == g.nozero, "%s -> %s differs", w[i], c);
  }
  fp8_format u = get("ue4m3:fn");
  ck_assert_int_eq(u.bits, 7);
  ck_assert(u.is_unsigned && !fp8_format_has_negzero(&u));
}
END_TEST

START_TEST(finite_value_counts)
{
  static const struct { const char *name; unsigned long long n; } w[] = {
    {"fp8-e2", 255}, {"fp8-e3", 255}, {"fp8-e4", 255}, {"fp8-e5", 255}, {"int8", 256},
    {"int8-sm", 255}, {"float8_e4m3fn", 253}, {"float8_e5m2", 247}};
  /* e4m3fn: 254 finite codes, +0 and -0 one value -> 253; e5m2: 256 - 6 NaN - 2 Inf = 248 codes -> 247 */
  for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
    fp8_format f = get(w[i].name);
    ck_assert_msg(fp8_format_finite_values(&f) == w[i].n, "%s: %llu finite values, expected %llu",
                  w[i].name, (unsigned long long)fp8_format_finite_values(&f), w[i].n);
  }
}
END_TEST

START_TEST(parse_errors)
{
  fp8_format f;
  char err[256];
  const char *bad[] = {"", "e4", "e4m", "x4m3", "e17m3", "e4m3:foo", "e4m3:bias=x", "e1m3:ieee",
                       "int1", "int17", "int8-xx", "e4m30"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    err[0] = 0;
    ck_assert_msg(fp8_format_parse(bad[i], &f, err, sizeof err) == -1, "'%s' accepted", bad[i]);
    ck_assert_msg(err[0] != 0, "'%s': no message", bad[i]);
  }
  /* conflicting conventions are an error, not the last one named */
  const char *bad2[] = {"e4m3:fn:fnuz", "e4m3:ieee:none", "e5m2:p3109e:fn", "e4m3:sub:nosub", "e4m3:fn:nozero:sub",
                        "ue4m3:fnuz", "e4m3:p3109f:nozero", "binary8p8se", "binary8p0se", "binary8p9ue",
                        "binary8p4sx", "binary8p4s", "binary1p1uf", "binary17p4se", "binaryp4se", "ue4m3:fnuz:bias=3"};
  for (size_t i = 0; i < sizeof bad2 / sizeof bad2[0]; i++) {
    err[0] = 0;
    ck_assert_msg(fp8_format_parse(bad2[i], &f, err, sizeof err) == -1, "'%s' accepted", bad2[i]);
    ck_assert_msg(strstr(err, bad2[i]) != NULL || strstr(err, "fnuz") != NULL, "'%s': message '%s' does not name it",
                  bad2[i], err);
  }
  ck_assert_int_eq(fp8_format_parse("e4m3:fn:fnuz", &f, err, sizeof err), -1);
  ck_assert_msg(strstr(err, "conflicting") && strstr(err, "'fn'") && strstr(err, "'fnuz'"), "%s", err);
  /* the message names what the user typed, not what is left after 'torch.' */
  ck_assert_int_eq(fp8_format_parse("torch.", &f, err, sizeof err), -1);
  ck_assert_msg(strstr(err, "'torch.'") != NULL, "%s", err);
  ck_assert_int_eq(fp8_format_parse("torch.float9", &f, err, sizeof err), -1);
  ck_assert_msg(strstr(err, "'torch.float9'") != NULL, "%s", err);
  ck_assert_int_eq(fp8_format_parse("ml_dtypes.e4m3:fn:fnuz", &f, err, sizeof err), -1);
  ck_assert_msg(strstr(err, "'ml_dtypes.e4m3:fn:fnuz'") != NULL, "%s", err);
  fp8_format g = get("torch.float8_e5m2");
  ck_assert_int_eq(g.ebits, 5);
  fp8_format h = get("e4m3:fn:bias=7");
  ck_assert_int_eq(h.special, FP8_SPECIAL_FN);
  /* a key given twice is refused like any other repetition (spell.h), even
   * when both say the same */
  ck_assert_int_eq(fp8_format_parse("e4m3:fn:fn", &f, err, sizeof err), -1);
  ck_assert_msg(strstr(err, "fn given twice") != NULL, "%s", err);
}
END_TEST

int main(void)
{
  Suite *s = suite_create("format");
  TCase *tc = tcase_create("descriptor");
  tcase_add_test(tc, ocp_e4m3_limits);
  tcase_add_test(tc, ocp_e5m2_limits);
  tcase_add_test(tc, fnuz_limits);
  tcase_add_test(tc, product_widths);
  tcase_add_test(tc, finite_value_counts);
  tcase_add_test(tc, parse_errors);
  tcase_add_test(tc, canonical_roundtrip);
  suite_add_tcase(s, tc);
  return fp8_check_run(s);
}
