/* test_shard.c - shard arithmetic and result files (sim/verify_shard.h,
 * sim/verify_result.h): K/N parsing, every unit owned by exactly one shard,
 * a result file read back field for field, and merges of hand-made shards
 * (sums and the earliest first mismatch worked out here). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_run.h"
#include "verify_result.h"
#include "verify_shard.h"

START_TEST(parse_good)
{
  fp8_shard sh;
  char err[200];
  ck_assert_int_eq(fp8_shard_parse("1/1", &sh, err, sizeof err), 0);
  ck_assert_uint_eq(sh.k, 0);
  ck_assert_uint_eq(sh.n, 1);
  ck_assert_int_eq(fp8_shard_parse("3/4", &sh, err, sizeof err), 0);
  ck_assert_uint_eq(sh.k, 2);
  ck_assert_uint_eq(sh.n, 4);
  ck_assert_int_eq(fp8_shard_parse("1000000/1000000", &sh, err, sizeof err), 0);
  ck_assert_uint_eq(sh.k, 999999);
}
END_TEST

START_TEST(parse_bad)
{
  static const char *const bad[] = {"", "1", "0/3", "4/3", "1/0", "a/b", "1/2x", " 1/2", "-1/2", "1/-2",
                                    "1/+2", "1//2", "/2", "1/", "1/1000001", "99999999999999999999/2"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    fp8_shard sh;
    char err[200] = "";
    ck_assert_msg(fp8_shard_parse(bad[i], &sh, err, sizeof err) == -1, "'%s' accepted", bad[i]);
    ck_assert_msg(strstr(err, bad[i]) && strstr(err, "K/N"), "'%s': message '%s'", bad[i], err);
  }
}
END_TEST

START_TEST(partition)
{
  static const unsigned rots[] = {0, 1, 12345, 0xffffffffu};
  for (unsigned n = 1; n <= 9; n++)
    for (size_t r = 0; r < 4; r++)
      for (uint64_t u = 0; u < 1000; u++) {
        int owners = 0;
        for (unsigned k = 0; k < n; k++)
          owners += fp8_shard_owns(&(fp8_shard){k, n}, u, rots[r]);
        ck_assert_msg(owners == 1, "n=%u rot=%u unit %llu: %d owners", n, rots[r], (unsigned long long)u,
                      owners);
      }
}
END_TEST

START_TEST(unit_seeds)
{
  unsigned long s[100];
  for (int u = 0; u < 100; u++) {
    s[u] = fp8_shard_unit_seed(42, (uint64_t)u);
    ck_assert(s[u] != 0 && s[u] <= 0xffffffffu);
    ck_assert(s[u] == fp8_shard_unit_seed(42, (uint64_t)u));
    ck_assert(s[u] != fp8_shard_unit_seed(43, (uint64_t)u));
    for (int v = 0; v < u; v++)
      ck_assert(s[u] != s[v]);
  }
}
END_TEST

/* A one-row result of shard k/n. */
static void part(fp8_result *r, unsigned k, unsigned n, uint64_t checked, uint64_t mism, uint64_t digest,
                 uint64_t first_unit)
{
  memset(r, 0, sizeof *r);
  snprintf(r->tool, sizeof r->tool, "verify");
  r->seed = 7;
  snprintf(r->params, sizeof r->params, "level=1");
  r->shard = (fp8_shard){k, n};
  fp8_result_row *w = fp8_result_add(r, "fp8-e4/fp16");
  ck_assert_ptr_nonnull(w);
  w->checked = checked;
  w->mismatches = mism;
  w->digest = digest;
  w->units = 10;
  w->seconds = 1.5;
  if (mism) {
    w->first_shard = k + 1;
    w->first_unit = first_unit;
    snprintf(w->first, sizeof w->first, "mismatch of shard %u", k + 1);
    snprintf(w->vecfile, sizeof w->vecfile, "v%u.vec", k + 1);
  }
}

START_TEST(file_round_trip)
{
  fp8_result a, b;
  part(&a, 1, 3, 123456789012ull, 2, 0xfedcba9876543210ull, 99);
  snprintf(a.rows[0].first, sizeof a.rows[0].first, "a\tb");
  char path[] = "/tmp/test_shard.XXXXXX";
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  FILE *fp = fdopen(fd, "w");
  ck_assert_int_eq(fp8_result_fprint(fp, &a), 0);
  fclose(fp);
  char err[600];
  ck_assert_msg(fp8_result_read(path, &b, err, sizeof err) == 0, "%s", err);
  ck_assert_str_eq(b.tool, "verify");
  ck_assert_uint_eq(b.seed, 7);
  ck_assert_str_eq(b.params, "level=1");
  ck_assert_uint_eq(b.shard.k, 1);
  ck_assert_uint_eq(b.shard.n, 3);
  ck_assert_uint_eq(b.nrows, 1);
  ck_assert_str_eq(b.rows[0].name, "fp8-e4/fp16");
  ck_assert(b.rows[0].checked == 123456789012ull);
  ck_assert(b.rows[0].mismatches == 2);
  ck_assert(b.rows[0].digest == 0xfedcba9876543210ull);
  ck_assert(b.rows[0].first_unit == 99 && b.rows[0].first_shard == 2);
  ck_assert_str_eq(b.rows[0].first, "a b");
  ck_assert_str_eq(b.rows[0].vecfile, "v2.vec");
  fp8_result_free(&b);
  /* a file cut before its end line is refused */
  struct stat st;
  ck_assert_int_eq(stat(path, &st), 0);
  ck_assert_int_eq(truncate(path, st.st_size - (off_t)strlen("end\t1\n")), 0);
  ck_assert_int_eq(fp8_result_read(path, &b, err, sizeof err), -1);
  ck_assert_msg(strstr(err, "incomplete: no end line"), "%s", err);
  unlink(path);
  fp8_result_free(&a);
}
END_TEST

START_TEST(merge_sums)
{
  fp8_result p[3], m;
  part(&p[0], 2, 3, 100, 1, 5, 8);   /* given out of order */
  part(&p[1], 0, 3, 200, 0, 7, 0);
  part(&p[2], 1, 3, 300, 4, UINT64_MAX, 4);
  const char *paths[] = {"c", "a", "b"};
  char err[600];
  ck_assert_msg(fp8_result_merge(p, paths, 3, &m, err, sizeof err) == 0, "%s", err);
  ck_assert_uint_eq(m.shard.n, 1);
  ck_assert(m.rows[0].checked == 600);
  ck_assert(m.rows[0].mismatches == 5);
  ck_assert(m.rows[0].digest == 11);           /* 5 + 7 + (2^64 - 1) mod 2^64 */
  ck_assert(m.rows[0].first_unit == 4);        /* the earlier unit wins: shard 2's */
  ck_assert_uint_eq(m.rows[0].first_shard, 2);
  ck_assert_str_eq(m.rows[0].vecfile, "v2.vec");
  fp8_result_free(&m);
  /* missing, duplicated, foreign */
  ck_assert_int_eq(fp8_result_merge(p, paths, 2, &m, err, sizeof err), -1);
  ck_assert_msg(strstr(err, "shard 2/3 is missing"), "%s", err);
  p[1].shard.k = 2;
  ck_assert_int_eq(fp8_result_merge(p, paths, 3, &m, err, sizeof err), -1);
  ck_assert_msg(strstr(err, "a: shard 3/3 again (also in c)"), "%s", err);
  p[1].shard.k = 0;
  p[1].seed = 8;
  ck_assert_int_eq(fp8_result_merge(p, paths, 3, &m, err, sizeof err), -1);
  ck_assert_msg(strstr(err, "a: seed 8"), "%s", err);
  p[1].seed = 7;
  p[1].rows[0].units = 11;
  ck_assert_int_eq(fp8_result_merge(p, paths, 3, &m, err, sizeof err), -1);
  ck_assert_msg(strstr(err, "a: fp8-e4/fp16 has 11 units, in c 10: not the same stimulus"), "%s", err);
  for (int i = 0; i < 3; i++)
    fp8_result_free(&p[i]);
}
END_TEST

int main(void)
{
  Suite *s = suite_create("shard");
  TCase *tc = tcase_create("shard");
  tcase_add_test(tc, parse_good);
  tcase_add_test(tc, parse_bad);
  tcase_add_test(tc, partition);
  tcase_add_test(tc, unit_seeds);
  tcase_add_test(tc, file_round_trip);
  tcase_add_test(tc, merge_sums);
  suite_add_tcase(s, tc);
  return fp8_check_run(s);
}
