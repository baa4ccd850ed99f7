/* test_rng.c - every (seed, stream) pair gives its own stream, and one pair
 * repeats bit for bit.  The first words are checked against numpy's legacy
 * RandomState, which seeds the same MT19937 through the reference
 * init_by_array over a uint32 key (an independent implementation).  Expected
 * values were printed by
 *   python3 -c 'import numpy as np; r = np.random.RandomState(np.array([S & 0xffffffff, S >> 32, K], dtype=np.uint32)); print(r._bit_generator.random_raw(4))'
 * (numpy 2.4.6).  With the earlier key ({low} below 2^32, else {low, high})
 * seeds s and s + (s - 1) * 2^32 gave one stream, e.g. 2 and 2^32 + 2:
 * seeds_distinct failed on it. */
#include <check.h>
#include <stdint.h>

#include "check_run.h"
#include "rng.h"

static const struct {
  unsigned long seed;
  uint32_t stream;
  unsigned long first[4];
} cases[] = {
  {0u, 0u, {274818031u, 1021993735u, 325123277u, 3089267499u}},
  {1u, 0u, {3807940808u, 2493144325u, 3212378364u, 3300255798u}},
  {2u, 0u, {4132034998u, 301116207u, 2911530323u, 1637788870u}},
  {4357u, 0u, {4060562932u, 705875658u, 729127064u, 3993925368u}},
  {4294967297u, 0u, {56780517u, 3043432380u, 2204991581u, 2083778655u}},
  {4294967298u, 0u, {4106135923u, 3707026329u, 4070888059u, 3646664648u}},
  {18446744073709551615u, 0u, {551056585u, 3623642780u, 711167611u, 1584399152u}},
  {12345678901234567890u, 0u, {4082699732u, 3955852182u, 3313253947u, 3315482302u}},
  {7u, 1u, {4134331577u, 364536972u, 1405532956u, 207176672u}},
  {7u, 2u, {3557104399u, 1205373438u, 2756001510u, 3065834714u}},
  {8u, 0u, {2894987734u, 1600415887u, 1112054446u, 550505098u}},
  {8u, 1u, {3990142564u, 2681303604u, 2365876460u, 2728528714u}},
};

START_TEST(seeds_against_numpy)
{
  for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
    gsl_rng *r = cases[c].stream ? fp8_rng_alloc_stream(cases[c].seed, cases[c].stream)
                                 : fp8_rng_alloc(cases[c].seed);
    ck_assert_ptr_nonnull(r);
    for (int k = 0; k < 4; k++) {
      unsigned long got = gsl_rng_get(r);
      ck_assert_msg(got == cases[c].first[k], "seed %lu stream %u word %d: got %lu, numpy %lu", cases[c].seed,
                    (unsigned)cases[c].stream, k, got, cases[c].first[k]);
    }
    gsl_rng_free(r);
  }
}
END_TEST

static uint64_t head(gsl_rng *r)
{
  uint64_t h = 0;
  for (int k = 0; k < 4; k++)
    h = h * 0x100000001b3ULL ^ gsl_rng_get(r);
  return h;
}

static uint64_t head_of(unsigned long seed, uint32_t stream)
{
  gsl_rng *r = fp8_rng_alloc_stream(seed, stream);
  ck_assert_ptr_nonnull(r);
  uint64_t h = head(r);
  gsl_rng_free(r);
  return h;
}

/* The pairs the variable-length key merged: s and s + (s - 1) * 2^32 for
 * small and large s, and a derived seed + 1 meeting the next user seed. */
START_TEST(seeds_distinct)
{
  for (unsigned long s = 2; s < 40; s++) {
    unsigned long t = s + (s - 1) * 4294967296UL;
    ck_assert_msg(head_of(s, 0) != head_of(t, 0), "seeds %lu and %lu give one stream", s, t);
    ck_assert_msg(head_of(s, 1) != head_of(s + 1, 0), "seed %lu stream 1 is seed %lu stream 0", s, s + 1);
    ck_assert_msg(head_of(s, 0) != head_of(s, 1), "seed %lu: streams 0 and 1 agree", s);
  }
  ck_assert(head_of(0, 0) != head_of(4357, 0));
  ck_assert(head_of(1, 0) != head_of(4294967297UL, 0));
}
END_TEST

START_TEST(seed_repeats)
{
  gsl_rng *a = fp8_rng_alloc(99), *b = fp8_rng_alloc(99);
  ck_assert_ptr_nonnull(a);
  ck_assert_ptr_nonnull(b);
  for (int k = 0; k < 2000; k++)
    ck_assert_uint_eq(gsl_rng_get(a), gsl_rng_get(b));
  fp8_rng_seed(a, 99);   /* reseeding starts the stream again */
  gsl_rng *c = fp8_rng_alloc(99);
  for (int k = 0; k < 2000; k++)
    ck_assert_uint_eq(gsl_rng_get(a), gsl_rng_get(c));
  fp8_rng_seed_stream(a, 99, 3);
  ck_assert_uint_eq(head(a), head_of(99, 3));
  gsl_rng_free(a);
  gsl_rng_free(b);
  gsl_rng_free(c);
}
END_TEST

int main(void)
{
  Suite *s = suite_create("rng");
  TCase *tc = tcase_create("rng");
  tcase_add_test(tc, seeds_against_numpy);
  tcase_add_test(tc, seeds_distinct);
  tcase_add_test(tc, seed_repeats);
  suite_add_tcase(s, tc);
  return fp8_check_run(s);
}
