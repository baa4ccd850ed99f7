/* test_ndarray.c - strided n-d encode/decode/quantize (ndarray.h), the mode
 * names (codec_names.h) and the descriptor as text (format_describe.h).
 * Expected values come element by element from fp8_codec_encode /
 * fp8_codec_decode / fp8_quant_value on the logical C-order sequence (the
 * per-element paths, not the walker under test), laid out by hand. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "codec_names.h"
#include "format_describe.h"
#include "ndarray.h"
#include "quant.h"

static unsigned long seed;

static fp8_format get(const char *spec)
{
  fp8_format f;
  char err[256];
  ck_assert_msg(fp8_format_parse(spec, &f, err, sizeof err) == 0, "%s: %s", spec, err);
  return f;
}

/* splitmix64: the test's own generator (no GSL), for values and for rand64 */
static uint64_t mix(uint64_t *s)
{
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
static uint64_t rand64(void *state) { return mix(state); }

static double value(uint64_t *s)
{
  double u = (double)(mix(s) >> 11) * 0x1p-53;
  return (u - 0.5) * ldexp(1.0, (int)(mix(s) % 24) - 12);
}

/* A 3-d float buffer of P x Q x R values, and views into it. */
enum { P = 5, Q = 700, R = 3 };

START_TEST(encode_views)
{
  static float buf[P * Q * R];
  static uint8_t out[P * Q * R + 1];
  uint64_t s = seed;
  for (size_t i = 0; i < P * Q * R; i++)
    buf[i] = (float)value(&s);
  fp8_format f = get("float8_e4m3fn");
  const ptrdiff_t fs = sizeof(float);
  /* view 0: transposed (R, Q, P); 1: reversed on every axis; 2: middle axis stride 3,
   * outer broadcast (stride 0); 3: 0-d; 4: empty */
  struct { int nd; ptrdiff_t shape[3], strides[3]; ptrdiff_t off; } v[] = {
    {3, {R, Q, P}, {fs, R * fs, Q * R * fs}, 0},
    {3, {P, Q, R}, {-Q * R * fs, -R * fs, -fs}, (P * Q * R - 1) * fs},
    {3, {4, Q / 3, R}, {0, 3 * R * fs, fs}, 0},
    {0, {0}, {0}, 7 * fs},
    {2, {3, 0}, {fs, fs}, 0},
  };
  for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
    ptrdiff_t n = 1, ostr[3];
    for (int d = v[k].nd - 1; d >= 0; d--) {   /* output: C-contiguous */
      ostr[d] = n;
      n *= v[k].shape[d];
    }
    memset(out, 0xee, sizeof out);
    fp8_array in = {(char *)buf + v[k].off, FP8_DTYPE_F32, v[k].nd, v[k].shape, v[k].strides};
    fp8_array o = {out, FP8_DTYPE_U8, v[k].nd, v[k].shape, ostr};
    char err[256];
    unsigned fl = 0;
    ck_assert_msg(fp8_array_encode(&f, &in, &o, NULL, &fl, err, sizeof err) == 0, "%s", err);
    ptrdiff_t idx[3] = {0};
    unsigned want_fl = 0;
    for (ptrdiff_t i = 0; i < n; i++) {         /* C order of the logical view */
      ptrdiff_t off = v[k].off;
      for (int d = 0; d < v[k].nd; d++)
        off += idx[d] * v[k].strides[d];
      uint32_t want = fp8_codec_encode(&f, *(float *)((char *)buf + off), NULL, &want_fl);
      ck_assert_msg(out[i] == want, "view %zu element %td: 0x%02x, expected 0x%02x", k, i, out[i], want);
      for (int d = v[k].nd - 1; d >= 0 && ++idx[d] == v[k].shape[d]; d--)
        idx[d] = 0;
    }
    ck_assert_uint_eq(fl, want_fl);
    ck_assert_uint_eq(out[n], 0xee);           /* nothing beyond */
  }
}
END_TEST

/* Stochastic rounding consumes rand64 in C order whatever the layout: the
 * codes are those of the flattened sequence with the same generator. */
START_TEST(stochastic_c_order)
{
  enum { A = 40, B = 30 };
  static double x[A * B];
  uint8_t got[A * B], want[A * B];
  uint64_t s = seed;
  for (size_t i = 0; i < A * B; i++)
    x[i] = value(&s);
  fp8_format f = get("e3m4:fnuz");
  uint64_t g1 = seed ^ 1, g2 = seed ^ 1;
  fp8_rounding rc = {FP8_ROUND_STOCHASTIC, FP8_OVERFLOW_SAT, rand64, &g1};
  ptrdiff_t shape[2] = {B, A}, tstr[2] = {sizeof(double), B * sizeof(double)}, ostr[2] = {A, 1};
  fp8_array in = {x, FP8_DTYPE_F64, 2, shape, tstr}, o = {got, FP8_DTYPE_U8, 2, shape, ostr};
  char err[256];
  ck_assert_msg(fp8_array_encode(&f, &in, &o, &rc, NULL, err, sizeof err) == 0, "%s", err);
  rc.rand_state = &g2;
  for (int i = 0; i < B; i++)
    for (int j = 0; j < A; j++)
      want[i * A + j] = (uint8_t)fp8_codec_encode(&f, x[j * B + i], &rc, NULL);
  ck_assert(memcmp(got, want, sizeof got) == 0);
}
END_TEST

START_TEST(decode_and_errors)
{
  fp8_format f = get("float6_e2m3fn");
  uint8_t codes[2][2] = {{1, 0x45}, {0x50, 2}};
  float out[4];
  ptrdiff_t shape[2] = {2, 2}, tstr[2] = {1, 2}, ostr[2] = {2 * sizeof(float), sizeof(float)};
  fp8_array in = {codes, FP8_DTYPE_U8, 2, shape, tstr}, o = {out, FP8_DTYPE_F32, 2, shape, ostr};
  char err[256] = "";
  /* transposed: C order is 1, 0x50, 0x45, 2; the first bad one is 0x50 at 1 */
  ck_assert_int_eq(fp8_array_decode(&f, &in, &o, err, sizeof err), -1);
  ck_assert_msg(strstr(err, "0x50") && strstr(err, "flat index 1") && strstr(err, "0x0..0x3f"), "%s", err);
  codes[0][1] = 0x05;
  codes[1][0] = 0x3f;
  ck_assert_int_eq(fp8_array_decode(&f, &in, &o, err, sizeof err), 0);
  uint8_t order[4] = {1, 0x3f, 0x05, 2};
  for (int i = 0; i < 4; i++)
    ck_assert(out[i] == (float)fp8_codec_decode(&f, order[i]));
  /* shapes, types and scales that do not fit */
  ptrdiff_t other[2] = {2, 3};
  fp8_array bad = {out, FP8_DTYPE_F32, 2, other, ostr};
  ck_assert_int_eq(fp8_array_decode(&f, &in, &bad, err, sizeof err), -1);
  ck_assert_msg(strstr(err, "extent 2 of dimension 1") != NULL, "%s", err);
  fp8_array u16 = {out, FP8_DTYPE_U16, 2, shape, ostr};
  ck_assert_int_eq(fp8_array_decode(&f, &in, &u16, err, sizeof err), -1);
  ck_assert_msg(strstr(err, "uint16") && strstr(err, "float32 or float64"), "%s", err);
  fp8_format h = get("fp16");
  ck_assert_int_eq(fp8_array_decode(&h, &in, &o, err, sizeof err), -1);
  ck_assert_msg(strstr(err, "as uint8 (expected uint16)") != NULL, "%s", err);
  double sc[3] = {1, 2, -1};
  fp8_array fin = {out, FP8_DTYPE_F32, 2, shape, ostr};
  ck_assert_int_eq(fp8_array_quantize(&f, &fin, &fin, sc, 3, NULL, NULL, err, sizeof err), -1);
  ck_assert_msg(strstr(err, "3 scales") && strstr(err, "expected 1 or 2"), "%s", err);
  ck_assert_int_eq(fp8_array_quantize(&f, &fin, &fin, sc + 1, 2, NULL, NULL, err, sizeof err), -1);
  ck_assert_msg(strstr(err, "scale -1") && strstr(err, "index 1"), "%s", err);
}
END_TEST

START_TEST(quantize_channels)
{
  enum { C = 3, L = 600 };
  static double x[C * L], q[C * L];
  uint64_t s = seed;
  for (size_t i = 0; i < C * L; i++)
    x[i] = value(&s);
  fp8_format f = get("fp8-e4");
  double sc[C] = {0.001, 0.01, 0.1};
  /* channel axis first, inner axis strided by 2 over L/2 elements, in place */
  memcpy(q, x, sizeof q);
  ptrdiff_t shape[2] = {C, L / 2}, str[2] = {L * sizeof(double), 2 * sizeof(double)};
  fp8_array a = {q, FP8_DTYPE_F64, 2, shape, str};
  char err[256];
  ck_assert_msg(fp8_array_quantize(&f, &a, &a, sc, C, NULL, NULL, err, sizeof err) == 0, "%s", err);
  for (int c = 0; c < C; c++)
    for (int j = 0; j < L; j++) {
      double want = j % 2 ? x[c * L + j] : fp8_quant_value(&f, sc[c], x[c * L + j], NULL, NULL);
      ck_assert_msg(q[c * L + j] == want, "channel %d element %d", c, j);
    }
}
END_TEST

START_TEST(mode_names)
{
  fp8_rounding rc;
  fp8_rounding_init(&rc);
  ck_assert_int_eq(rc.mode, FP8_ROUND_RNE);
  ck_assert_int_eq(rc.overflow, FP8_OVERFLOW_SAT);
  ck_assert_uint_eq(fp8_rounding_sizeof(), sizeof(fp8_rounding));
  char err[256];
  static const char *const rn[] = {"rne", "rtz", "rna", "stochastic"};
  static const fp8_round_mode rv[] = {FP8_ROUND_RNE, FP8_ROUND_RTZ, FP8_ROUND_RNA, FP8_ROUND_STOCHASTIC};
  for (int i = 0; i < 4; i++) {
    ck_assert_int_eq(fp8_round_mode_parse(rn[i], &rc, err, sizeof err), 0);
    ck_assert_int_eq(rc.mode, rv[i]);
    ck_assert_str_eq(fp8_round_mode_name(rv[i]), rn[i]);
  }
  ck_assert(fp8_rounding_needs_rand(&rc));
  ck_assert_int_eq(fp8_overflow_mode_parse("nonsat", &rc, err, sizeof err), 0);
  ck_assert_int_eq(rc.overflow, FP8_OVERFLOW_NONSAT);
  ck_assert_int_eq(fp8_round_mode_parse("up", &rc, err, sizeof err), -1);
  ck_assert_str_eq(err, "unknown rounding mode 'up' (expected rne, rtz, rna, rtp, rtn, rto, stochastic, sr-a:N, sr-b:N or sr-c:N (N = 1..63))");
  ck_assert_int_eq(fp8_overflow_mode_parse("clip", &rc, err, sizeof err), -1);
  ck_assert_str_eq(err, "unknown overflow mode 'clip' (expected satpropagate (= sat), satfinite, nonsat or satnone)");
  ck_assert_int_eq(rc.mode, FP8_ROUND_STOCHASTIC);  /* unchanged by a failure */
}
END_TEST

/* The OCP E4M3 facts (doc/DESIGN.md section 2) read back from the text. */
START_TEST(describe)
{
  fp8_format f = get("float8_e4m3fn");
  size_t need = fp8_format_describe(&f, NULL, 0);
  char small[16], *buf = malloc(need + 1);
  ck_assert_uint_eq(fp8_format_describe(&f, small, sizeof small), need);
  ck_assert_uint_eq(strlen(small), sizeof small - 1);     /* truncated, terminated */
  ck_assert_uint_eq(fp8_format_describe(&f, buf, need + 1), need);
  ck_assert_uint_eq(strlen(buf), need);
  static const char *const want[] = {"name=float8_e4m3fn\n", "canonical=e4m3:fn\n", "bits=8\n",
    "bias=7\n", "special=fn\n", "max=448\n", "min_normal=0.015625\n", "min_subnormal=0.001953125\n",
    "nan_code=127\n", "inf_code=-1\n", "max_code=126\n", "has_inf=0\n", "finite_values=253\n"};
  for (size_t i = 0; i < sizeof want / sizeof *want; i++)
    ck_assert_msg(strstr(buf, want[i]) != NULL, "missing %s in\n%s", want[i], buf);
  free(buf);
  ck_assert_uint_eq(fp8_format_sizeof(), sizeof(fp8_format));
}
END_TEST

int main(void)
{
  const char *e = getenv("FP8LAB_SEED");
  seed = e ? strtoul(e, NULL, 10) : 20260105UL;
  printf("test_ndarray: seed %lu (set FP8LAB_SEED to override)\n", seed);
  Suite *s = suite_create("ndarray");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, encode_views);
  tcase_add_test(tc, stochastic_c_order);
  tcase_add_test(tc, decode_and_errors);
  tcase_add_test(tc, quantize_channels);
  tcase_add_test(tc, mode_names);
  tcase_add_test(tc, describe);
  suite_add_tcase(s, tc);
  return fp8_check_run(s);
}
