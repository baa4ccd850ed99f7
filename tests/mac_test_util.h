/* mac_test_util.h - what the MAC test programs share: their own seeded
 * generator (splitmix64; FP8LAB_SEED overrides the seed, FP8LAB_LEVEL scales
 * the step counts), format and unit construction, and a cheap assertion. */
#ifndef FP8_MAC_TEST_UTIL_H
#define FP8_MAC_TEST_UTIL_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "mac.h"

/* Check's ck_assert records its location with a write per call: in loops of
 * millions of checks that is most of the run time, so loops use REQUIRE. */
#define REQUIRE(c, ...) do { if (!(c)) ck_abort_msg(__VA_ARGS__); } while (0)

static uint64_t rng_state;
static unsigned long test_seed;
static long level = 1;

static void test_init(const char *prog, unsigned long default_seed)
{
  const char *e = getenv("FP8LAB_SEED");
  test_seed = e ? strtoul(e, NULL, 0) : default_seed;
  const char *lv = getenv("FP8LAB_LEVEL");
  if (lv && atol(lv) > 0)
    level = atol(lv);
  printf("%s: seed %lu (FP8LAB_SEED overrides), level %ld (FP8LAB_LEVEL)\n", prog, test_seed, level);
  rng_state = test_seed;
}

static uint64_t rnd(void)
{
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static fp8_format get(const char *spec)
{
  fp8_format f;
  char err[256];
  ck_assert_msg(fp8_format_parse(spec, &f, err, sizeof err) == 0, "%s: %s", spec, err);
  return f;
}

static fp8_mac *unit(const fp8_format *fa, const fp8_format *fb, const char *acc, int width)
{
  fp8_acc_spec s;
  char err[320];
  ck_assert_msg(fp8_acc_spec_parse(acc, &s, err, sizeof err) == 0, "%s", err);
  if (width)
    s.width = width;
  fp8_mac *m = fp8_mac_alloc(fa, fb, &s, err, sizeof err);
  ck_assert_msg(m != NULL, "%s x %s -> %s:%d: %s", fa->name, fb ? fb->name : "", acc, width, err);
  return m;
}

static int run_suite(Suite *s)
{
  SRunner *r = srunner_create(s);
  srunner_set_fork_status(r, CK_NOFORK);
  srunner_run_all(r, CK_NORMAL);
  int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
