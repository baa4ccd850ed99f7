/* test_mac_cycle.c - the control protocol of the golden MAC (mac.h,
 * "Control protocol"): every combination of reset/clear/load/en on an int8
 * Kulisch unit, the expected state computed here by plain integer arithmetic
 * and the written priority reset > clear > load > en > hold; and the one
 * Kulisch flag state that no unit reaches is refused by set_state. */
#include <check.h>
#include <string.h>

#include "check_run.h"
#include "mac.h"

static fp8_mac *int8_unit(void)
{
  fp8_format f;
  fp8_acc_spec spec;
  char err[256];
  ck_assert_int_eq(fp8_format_parse("int8", &f, err, sizeof err), 0);
  ck_assert_int_eq(fp8_acc_spec_parse("kulisch:28", &spec, err, sizeof err), 0);
  fp8_mac *m = fp8_mac_alloc(&f, NULL, &spec, err, sizeof err);
  ck_assert_msg(m != NULL, "%s", err);
  return m;
}

START_TEST(every_combination)
{
  fp8_mac *m = int8_unit();
  char err[256];
  const uint64_t start = 1000, loaded = 77;
  const unsigned start_flags = FP8_MAC_WRAP, load_flags = FP8_MAC_PINF;
  for (int k = 0; k < 16; k++) {
    fp8_mac_state st = {.acc = {start}, .flags = start_flags};
    ck_assert_int_eq(fp8_mac_set_state(m, &st, err, sizeof err), 0);
    fp8_mac_ctrl c = {.rst = k >> 3 & 1, .clear = k >> 2 & 1, .load = k >> 1 & 1, .en = k & 1,
                      .load_state = {.acc = {loaded}, .flags = load_flags},
                      .a = 0xfd, .b = 0x05};       /* int8 -3 * 5 = -15 */
    ck_assert_int_eq(fp8_mac_cycle(m, &c, err, sizeof err), 0);
    uint64_t want = start;
    unsigned want_flags = start_flags;
    if (c.rst || c.clear)
      want = 0, want_flags = 0;
    else if (c.load)
      want = loaded, want_flags = load_flags;
    else if (c.en)
      want = start - 15;
    fp8_mac_state got;
    fp8_mac_get_state(m, &got);
    ck_assert_msg(got.acc[0] == want && got.flags == want_flags,
                  "rst=%d clear=%d load=%d en=%d: acc %llu flags 0x%x, expected %llu 0x%x", c.rst, c.clear,
                  c.load, c.en, (unsigned long long)got.acc[0], got.flags, (unsigned long long)want,
                  want_flags);
  }
  fp8_mac_free(m);
}
END_TEST

START_TEST(both_infinities_need_nan)
{
  fp8_mac *m = int8_unit();
  char err[256] = "";
  fp8_mac_state st = {.flags = FP8_MAC_PINF | FP8_MAC_NINF};
  ck_assert_int_eq(fp8_mac_set_state(m, &st, err, sizeof err), -1);
  ck_assert_msg(strstr(err, "0xc0") && strstr(err, "0xe0"), "message: %s", err);
  st.flags |= FP8_MAC_NAN;
  ck_assert_int_eq(fp8_mac_set_state(m, &st, err, sizeof err), 0);
  /* a load of the refused state fails the cycle and leaves the unit alone */
  fp8_mac_ctrl c = {.load = true, .load_state = {.flags = FP8_MAC_PINF | FP8_MAC_NINF}};
  ck_assert_int_eq(fp8_mac_cycle(m, &c, err, sizeof err), -1);
  fp8_mac_state got;
  fp8_mac_get_state(m, &got);
  ck_assert_uint_eq(got.flags, FP8_MAC_PINF | FP8_MAC_NINF | FP8_MAC_NAN);
  fp8_mac_free(m);
}
END_TEST

int main(void)
{
  Suite *s = suite_create("mac_cycle");
  TCase *tc = tcase_create("protocol");
  tcase_add_test(tc, every_combination);
  tcase_add_test(tc, both_infinities_need_nan);
  suite_add_tcase(s, tc);
  return fp8_check_run(s);
}
