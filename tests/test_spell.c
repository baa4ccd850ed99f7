/* test_spell.c - the one spelling grammar (spell.h) through all five
 * descriptors: the refusals every parser shares (a key contradicting its
 * base, a key twice, empty parts, control bytes, the length limit), the
 * strict number parsers, and the common descriptor verbs (_parse, _name,
 * _describe, _presets).  Expected values are written from the grammar's
 * contract and from C's own literals, never read back from the parsers. */
#include <check.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block.h"
#include "check_run.h"
#include "dist.h"
#include "dot.h"
#include "format_describe.h"
#include "mac.h"
#include "spell.h"

/* The five parsers behind one signature. */
static int p_format(const char *s, char *err, size_t n) { fp8_format f; return fp8_format_parse(s, &f, err, n); }
static int p_acc(const char *s, char *err, size_t n) { fp8_acc_spec a; return fp8_acc_spec_parse(s, &a, err, n); }
static int p_unit(const char *s, char *err, size_t n) { fp8_dot_spec u; return fp8_dot_spec_parse(s, &u, err, n); }
static int p_block(const char *s, char *err, size_t n) { fp8_block_format b; return fp8_block_parse(s, &b, err, n); }
static int p_dist(const char *s, char *err, size_t n) { fp8_dist d; return fp8_dist_parse(s, &d, err, n); }

static const struct parser {
  const char *what;
  int (*parse)(const char *, char *, size_t);
  const char *good;          /* a valid spelling that takes keys */
  const char *key;           /* one of its keys, ":KEY" or ":KEY=VALUE" */
} parsers[] = {
  {"format", p_format, "e4m3", ":fn"},
  {"accumulator", p_acc, "fp16", ":ftz"},
  {"unit", p_unit, "hopper-fp8", ":n=16"},
  {"block format", p_block, "mxfp8_e4m3", ":rule=ceil"},
  {"distribution", p_dist, "student-t", ":nu=3"},
};
#define NPARSERS (sizeof parsers / sizeof parsers[0])

/* Refused, with a message holding want, whole (not cut by the buffer). */
static void refused(int (*parse)(const char *, char *, size_t), const char *s, const char *want)
{
  char err[320] = "";
  ck_assert_msg(parse(s, err, sizeof err) == -1, "'%s' accepted", s);
  ck_assert_msg(strstr(err, want) != NULL, "'%s': message '%s' lacks '%s'", s, err, want);
  ck_assert_msg(strlen(err) < sizeof err - 1, "'%s': message cut at %zu bytes: %s", s, sizeof err, err);
}

static void accepted(int (*parse)(const char *, char *, size_t), const char *s)
{
  char err[320] = "";
  ck_assert_msg(parse(s, err, sizeof err) == 0, "'%s' refused: %s", s, err);
}

/* A key given twice, an empty part anywhere, a control byte, one byte over
 * the limit: refused by every descriptor alike. */
START_TEST(shared_refusals)
{
  for (size_t i = 0; i < NPARSERS; i++) {
    const struct parser *p = &parsers[i];
    char s[FP8_SPELL_MAX_LEN + 40], want[80];
    accepted(p->parse, p->good);
    snprintf(s, sizeof s, "%s%s", p->good, p->key);
    accepted(p->parse, s);
    snprintf(s, sizeof s, "%s%s%s", p->good, p->key, p->key);
    snprintf(want, sizeof want, "%s given twice", p->key + 1);
    if (strchr(want, '='))
      strcpy(strchr(want, '=') + 1, " given twice");
    refused(p->parse, s, want);
    snprintf(s, sizeof s, "%s:", p->good);
    refused(p->parse, s, "empty part");
    snprintf(s, sizeof s, "%s:%s", p->good, p->key);
    refused(p->parse, s, "empty part");
    snprintf(s, sizeof s, "%s", p->key);
    refused(p->parse, s, "empty part at character 1");
    static const char ctl[] = {'\001', '\t', '\n', '\033', '\177'};
    for (size_t c = 0; c < sizeof ctl; c++) {
      snprintf(s, sizeof s, "%s%c%s", p->good, ctl[c], p->key);
      snprintf(want, sizeof want, "control character 0x%02x at byte %zu", (unsigned)ctl[c], strlen(p->good));
      refused(p->parse, s, want);
    }
    memset(s, 'x', FP8_SPELL_MAX_LEN + 1);
    s[FP8_SPELL_MAX_LEN + 1] = 0;
    memcpy(s, p->good, strlen(p->good));
    refused(p->parse, s, "256 characters long (expected at most 255)");
  }
}
END_TEST

/* The limit is a limit, not a cut: a 255-byte spelling is read whole (the
 * bias's leading zeros pad it; the value is the last digits). */
START_TEST(longest_spelling)
{
  char s[FP8_SPELL_MAX_LEN + 1];
  int n = snprintf(s, sizeof s, "e4m3:fn:bias=");
  memset(s + n, '0', FP8_SPELL_MAX_LEN - n - 2);
  strcpy(s + FP8_SPELL_MAX_LEN - 2, "11");
  ck_assert_uint_eq(strlen(s), FP8_SPELL_MAX_LEN);
  fp8_format f;
  char err[320];
  ck_assert_msg(fp8_format_parse(s, &f, err, sizeof err) == 0, "%s", err);
  ck_assert_int_eq(f.bias, 11);
}
END_TEST

/* Keys that contradict what the base names: one rule for every descriptor. */
START_TEST(contradictions)
{
  refused(p_unit, "kulisch:acc=fp32", "acc=fp32 contradicts the base 'kulisch'");
  refused(p_unit, "fp16:acc=fp32", "acc=fp32 contradicts the base 'fp16'");
  refused(p_unit, "kulisch:window=3", "window=3 contradicts the base 'kulisch'");
  refused(p_unit, "kulisch:n=4:promote=2", "promote=2 contradicts the base 'kulisch'");
  refused(p_unit, "kulisch:kblock=32", "kblock=32 contradicts the base 'kulisch'");
  refused(p_unit, "fp16:ftz:n=4", "n=4 contradicts the base 'fp16:ftz'");
  refused(p_unit, "fp32:ftz:window=13", "window=13 contradicts the base 'fp32:ftz'");
  refused(p_unit, "blackwell-fp8:group=32", "group=32 contradicts kblock=0");   /* found by fuzz_unit */
  refused(p_acc, "kulisch:ftz", "ftz contradicts the base 'kulisch'");
  refused(p_acc, "fp16:27", "width=27 contradicts the base 'fp16'");
  refused(p_format, "int8:fn", "fn contradicts the base 'int8'");
  refused(p_format, "binary8p4se:bias=3", "bias=3 contradicts the base 'binary8p4se'");
  refused(p_format, "float8_e4m3fn:nosub", "nosub contradicts the base 'float8_e4m3fn'");
  refused(p_block, "mxfp8_e4m3:elem=e5m2", "elem=e5m2 contradicts the base 'mxfp8_e4m3'");
  refused(p_dist, "gaussian:nu=3", "nu=3 contradicts the base 'gaussian'");
  refused(p_dist, "laplace,nu=3", "nu=3 contradicts the base 'laplace'");
  /* two keys of one field */
  refused(p_format, "e4m3:ieee:fnuz", "conflicting conventions 'ieee' and 'fnuz'");
  refused(p_format, "e4m3:nosub:sub", "conflicting options 'nosub' and 'sub'");
  /* what the bases do take stays accepted */
  accepted(p_unit, "hopper-fp8:acc=fp32");
  accepted(p_unit, "kulisch:27:n=4");
  accepted(p_unit, "kulisch:window=exact:promote=0");
  accepted(p_unit, "e8m13:bias=127:n=2");
  accepted(p_acc, "kulisch:27");
  accepted(p_acc, "e5m10:bias=15:ftz");
  accepted(p_format, "ue8m0:fn:nozero");
  accepted(p_block, "block:elem=e2m1:none:scale=ue4m3:shift=2");
  accepted(p_dist, "t,nu=3,clip=100");
}
END_TEST

/* Strict numbers: the whole token, decimal, no wrap-around, no NaN/Inf. */
START_TEST(numbers)
{
  long v;
  ck_assert(fp8_spell_long("9223372036854775807", 0, LONG_MAX, &v) == 0 && v == LONG_MAX);
  ck_assert(fp8_spell_long("-9223372036854775807", -LONG_MAX, 0, &v) == 0 && v == -LONG_MAX);
  ck_assert(fp8_spell_long("007", 0, 10, &v) == 0 && v == 7);
  ck_assert(fp8_spell_long("-0", 0, 10, &v) == 0 && v == 0);
  static const char *const bad_long[] = {"9223372036854775808", "18446744073709551623", "11", "-1", "+5",
                                         " 5", "5 ", "", "-", "0x10", "1e3", "5.0", "4294967297"};
  for (size_t i = 0; i < sizeof bad_long / sizeof bad_long[0]; i++)
    ck_assert_msg(fp8_spell_long(bad_long[i], 0, 10, &v) == -1, "'%s' read as %ld", bad_long[i], v);
  ck_assert(fp8_spell_long("4294967297", 0, 100, &v) == -1);     /* no 32-bit wrap to 1 */
  double d;
  ck_assert(fp8_spell_double("1e-3", 0, 1, &d) == 0 && d == 1e-3);
  ck_assert(fp8_spell_double("0x1p-4", 0, 1, &d) == 0 && d == 0.0625);
  static const char *const bad_double[] = {"nan", "NAN", "inf", "-inf", "1e999", " 1", "1 ", "", "2", "1,5"};
  for (size_t i = 0; i < sizeof bad_double / sizeof bad_double[0]; i++)
    ck_assert_msg(fp8_spell_double(bad_double[i], -1, 1, &d) == -1, "'%s' read as %g", bad_double[i], d);
  refused(p_dist, "student-t:nu=nan", "nu=nan");
  refused(p_dist, "gaussian:clip=inf", "clip=inf");
  refused(p_unit, "hopper-fp8:n=18446744073709551617", "n=18446744073709551617 (expected 1..");
  refused(p_format, "e4m3:bias=4294967303", "bias=4294967303");
  /* a NUL inside a spelling whose length the caller holds (bindings, files) */
  char err[160];
  ck_assert(fp8_spell_check("e4m3\0:fn", 8, "format", err, sizeof err) == -1);
  ck_assert_msg(strstr(err, "a NUL byte at byte 4") != NULL, "%s", err);
  ck_assert(fp8_spell_check("e4m3:fn", 7, "format", err, sizeof err) == 0);
}
END_TEST

/* Every descriptor: its presets parse, carry a note and a source, and their
 * canonical names are spellings of the same descriptor. */
START_TEST(descriptor_verbs)
{
  size_t n;
  char name[320], again[320], desc[2048], err[320];
  const fp8_preset *p = fp8_format_presets(&n);
  ck_assert_uint_eq(n, fp8_format_preset_count());
  for (size_t i = 0; i < n; i++) {
    fp8_format f, g;
    ck_assert_msg(p[i].note && *p[i].note && p[i].source && *p[i].source, "format %s", p[i].name);
    ck_assert_msg(fp8_format_parse(p[i].name, &f, err, sizeof err) == 0, "%s", err);
    fp8_format_name(&f, name, sizeof name);
    ck_assert_msg(fp8_format_parse(name, &g, err, sizeof err) == 0, "%s: %s", name, err);
    fp8_format_name(&g, again, sizeof again);
    ck_assert_str_eq(name, again);
    ck_assert_uint_eq(fp8_format_describe(&f, desc, sizeof desc), strlen(desc));
  }
  p = fp8_acc_spec_presets(&n);
  ck_assert_uint_eq(n, 4);
  for (size_t i = 0; i < n; i++) {
    fp8_acc_spec a;
    ck_assert_msg(fp8_acc_spec_parse(p[i].spelling, &a, err, sizeof err) == 0, "%s", err);
    fp8_acc_spec_name(&a, name, sizeof name);
    ck_assert_str_eq(name, p[i].name);
    ck_assert_uint_eq(fp8_acc_spec_describe(&a, desc, sizeof desc), strlen(desc));
  }
  fp8_acc_spec a;
  ck_assert(fp8_acc_spec_parse("kulisch:27", &a, err, sizeof err) == 0);
  fp8_acc_spec_describe(&a, desc, sizeof desc);
  ck_assert_str_eq(desc, "name=kulisch:27\nkind=kulisch\nwidth=27\nformat=-\nftz=0\n");
  ck_assert(fp8_acc_spec_parse("e6m9:ftz", &a, err, sizeof err) == 0);
  fp8_acc_spec_describe(&a, desc, sizeof desc);
  ck_assert_str_eq(desc, "name=e6m9:ieee:ftz\nkind=fp\nwidth=16\nformat=e6m9:ieee\nftz=1\n");

  p = fp8_dot_spec_presets(&n);
  ck_assert_uint_eq(n, 8);
  for (size_t i = 0; i < n; i++) {
    fp8_dot_spec u, v;
    ck_assert_msg(p[i].source && *p[i].source, "unit %s", p[i].name);
    ck_assert_msg(fp8_dot_spec_parse(p[i].name, &u, err, sizeof err) == 0, "%s", err);
    fp8_dot_spec_name(&u, name, sizeof name);
    ck_assert_str_eq(name, p[i].name);
    ck_assert_msg(fp8_dot_spec_parse(p[i].spelling, &v, err, sizeof err) == 0, "%s", err);
    fp8_dot_spec_name(&v, again, sizeof again);
    ck_assert_str_eq(again, p[i].name);
    ck_assert_uint_eq(fp8_dot_spec_describe(&u, desc, sizeof desc), strlen(desc));
  }
  /* Hopper: 32 products per step, 13 fraction bits kept, RTZ throughout
   * (MMA-Sim, arXiv 2511.10909; Khattak & Mikaitis, arXiv 2512.07004) */
  fp8_dot_spec u;
  ck_assert(fp8_dot_spec_parse("hopper-fp8", &u, err, sizeof err) == 0);
  fp8_dot_spec_describe(&u, desc, sizeof desc);
  ck_assert_msg(strstr(desc, "\nacc=e8m13:ieee\nn=32\nwindow=13\nterm=rtz\nzero=-133\nc=fused\nround=rtz\n"
                             "promote=0\nkblock=0\ngroup=0\nsplitk=0\nis_mac=0\n"), "%s", desc);

  p = fp8_block_presets(&n);
  ck_assert_uint_eq(n, fp8_block_preset_count());
  for (size_t i = 0; i < n; i++) {
    fp8_block_format b;
    ck_assert_msg(fp8_block_parse(p[i].name, &b, err, sizeof err) == 0, "%s", err);
    fp8_block_name(&b, name, sizeof name);
    ck_assert_str_eq(name, p[i].name);
    ck_assert_uint_eq(fp8_block_describe(&b, desc, sizeof desc), strlen(desc));
  }

  p = fp8_dist_presets(&n);
  ck_assert_uint_eq(n, 4);
  for (size_t i = 0; i < n; i++) {
    fp8_dist d, e;
    ck_assert_msg(fp8_dist_parse(p[i].spelling, &d, err, sizeof err) == 0, "%s", err);
    fp8_dist_name(&d, name, sizeof name);
    ck_assert_msg(fp8_dist_parse(name, &e, err, sizeof err) == 0, "%s: %s", name, err);
    ck_assert(e.kind == d.kind && e.nu == d.nu && e.clip == d.clip);
    ck_assert_uint_eq(fp8_dist_describe(&d, desc, sizeof desc), strlen(desc));
  }
  fp8_dist d;
  ck_assert(fp8_dist_parse("t,nu=3,clip=100", &d, err, sizeof err) == 0);
  fp8_dist_describe(&d, desc, sizeof desc);
  ck_assert_msg(!strncmp(desc, "name=student-t:nu=3,clip=100\nkind=student-t\nnu=3\nclip=100\n", 58), "%s", desc);
  /* Student's t, nu = 3, unclipped: variance nu/(nu-2) = 3 */
  ck_assert(fp8_dist_parse("student-t:nu=3", &d, err, sizeof err) == 0);
  ck_assert_msg(fabs(d.sigma - sqrt(3.0)) < 1e-12, "sigma %.17g", d.sigma);
}
END_TEST

int main(void)
{
  Suite *s = suite_create("spell");
  TCase *tc = tcase_create("grammar");
  tcase_add_test(tc, shared_refusals);
  tcase_add_test(tc, longest_spelling);
  tcase_add_test(tc, contradictions);
  tcase_add_test(tc, numbers);
  tcase_add_test(tc, descriptor_verbs);
  suite_add_tcase(s, tc);
  return fp8_check_run(s);
}
