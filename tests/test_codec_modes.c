/* test_codec_modes.c - the rounding, saturation and NaN modes beyond rne/sat,
 * and the unsigned / P3109 / nozero formats, against independent sources:
 *  - the brute-force reference (codec_ref.c: grid search, its own overflow
 *    table) for rne, rtz, rna, rtp, rtn, rto x satpropagate, satfinite,
 *    nonsat, satnone over conventions old and new (generic and fast paths);
 *  - spec facts at the overflow boundary (OCP 8-bit FP v1.0, the ONNX Cast
 *    table (saturate=1: +-Inf -> +-FLT_MAX for E4M3FN and E5M2), CUDA's
 *    satfinite, P3109's saturation modes);
 *  - P3109 stochastic rounding A/B/C: every R of N bits enumerated, the number
 *    of round-ups equal to the report's inequality evaluated here on exact
 *    integers, and to the closed-form probabilities;
 *  - the H200's fp16 -> e4m3fn / e5m2 satfinite tables (65,536 codes each,
 *    tests/data/h200-fp8/cvt), bit for bit, with the CUDA NaN (--nan ones).
 * Seed printed; FP8LAB_SEED overrides it.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "codec.h"
#include "codec_ref.h"

#ifndef FP8_SRCDIR
#define FP8_SRCDIR "."
#endif

static uint64_t seed;

static fp8_format get(const char *spec)
{
  fp8_format f;
  char err[256];
  ck_assert_msg(fp8_format_parse(spec, &f, err, sizeof err) == 0, "%s: %s", spec, err);
  return f;
}

static const char *const formats[] = {
  "float8_e4m3fn", "float8_e5m2", "fp8-e4", "float8_e3m4", "int8", "int8-sm", "float4_e2m1fn",
  "e4m3:fn:nosub", "e5m0:fn", "e3m0:none:nosub", "fp16",
  "binary8p3se", "binary8p4se", "binary8p4sf", "binary8p1se", "binary8p7sf", "binary6p3se",
  "binary8p5ue", "binary8p4uf", "binary8p8ue", "binary8p1ue", "binary5p2uf",
  "float8_e8m0fnu", "ue4m3", "ue3m2:ieee", "ue2m1:none", "e3m2:none:nozero", "ue4m2:fn:nozero",
  "e4m3:p3109e:nosub"};
#define NFORMATS (sizeof formats / sizeof formats[0])

static const fp8_round_mode modes[] = {FP8_ROUND_RNE, FP8_ROUND_RTZ, FP8_ROUND_RNA,
                                       FP8_ROUND_RTP, FP8_ROUND_RTN, FP8_ROUND_RTO};

START_TEST(against_reference)
{
  const char *name = formats[_i];
  fp8_format f = get(name);
  codec_ref *r = codec_ref_alloc(&f);
  ck_assert_ptr_nonnull(r);
  float *in;
  size_t n = codec_ref_inputs(r, seed, (size_t)1 << 15, &in);
  uint16_t *fast = malloc(n * sizeof *fast);
  ck_assert_ptr_nonnull(fast);
  for (size_t mi = 0; mi < sizeof modes / sizeof *modes; mi++)
    for (int ov = 0; ov < FP8_OVERFLOW_NMODES; ov++) {
      fp8_rounding rc = {.mode = modes[mi], .overflow = (fp8_overflow_mode)ov};
      unsigned fast_flags = 0, ref_all = 0;
      fp8_codec_encode_f32_u16(&f, in, fast, n, &rc, &fast_flags);
      for (size_t i = 0; i < n; i++) {
        unsigned rf = 0, gf = 0;
        uint32_t want = codec_ref_encode(r, in[i], modes[mi], rc.overflow, &rf);
        uint32_t got = fp8_codec_encode(&f, in[i], &rc, &gf);
        ref_all |= rf;
        if (got != want || gf != rf)
          ck_abort_msg("%s %s %s: x = %a: fp8lab 0x%x flags %u, reference 0x%x flags %u", name,
                       fp8_round_mode_name(modes[mi]), fp8_overflow_mode_name(rc.overflow), in[i],
                       got, gf, want, rf);
        if (fast[i] != want)
          ck_abort_msg("%s %s %s: x = %a: array path 0x%x, reference 0x%x", name,
                       fp8_round_mode_name(modes[mi]), fp8_overflow_mode_name(rc.overflow), in[i],
                       fast[i], want);
      }
      ck_assert_msg(fast_flags == ref_all, "%s: array flags %u, reference %u", name, fast_flags, ref_all);
    }
  free(fast);
  free(in);
  codec_ref_free(r);
}
END_TEST

/* Every saturation mode x convention at and around the overflow boundary,
 * and for +-Inf and NaN inputs.  Expected codes from the specs, by hand. */
START_TEST(saturation_facts)
{
  static const struct { const char *fmt; double x; fp8_overflow_mode ovf; uint32_t want; } w[] = {
    /* OCP E4M3 (fn): max 448 = 0x7e, NaN 0x7f; 464 is the tie above max */
    {"float8_e4m3fn", 464, FP8_OVERFLOW_SATPROPAGATE, 0x7e}, {"float8_e4m3fn", 464, FP8_OVERFLOW_NONSAT, 0x7e},
    {"float8_e4m3fn", 465, FP8_OVERFLOW_NONSAT, 0x7f}, {"float8_e4m3fn", 465, FP8_OVERFLOW_SATFINITE, 0x7e},
    {"float8_e4m3fn", 465, FP8_OVERFLOW_SATNONE, 0x7e},   /* P3109 SatNone: a finite format gives max */
    {"float8_e4m3fn", INFINITY, FP8_OVERFLOW_SATPROPAGATE, 0x7e}, /* no Inf to propagate: max */
    {"float8_e4m3fn", -INFINITY, FP8_OVERFLOW_SATFINITE, 0xfe},
    {"float8_e4m3fn", INFINITY, FP8_OVERFLOW_NONSAT, 0x7f},      /* OCP non-saturating: NaN */
    {"float8_e4m3fn", -INFINITY, FP8_OVERFLOW_SATNONE, 0xfe},
    /* OCP E5M2 (ieee): max 57344 = 0x7b, Inf 0x7c; 61440 ties up to Inf */
    {"float8_e5m2", 61440, FP8_OVERFLOW_NONSAT, 0x7c}, {"float8_e5m2", 61439, FP8_OVERFLOW_NONSAT, 0x7b},
    {"float8_e5m2", 61440, FP8_OVERFLOW_SATPROPAGATE, 0x7b}, {"float8_e5m2", 61440, FP8_OVERFLOW_SATFINITE, 0x7b},
    {"float8_e5m2", 61440, FP8_OVERFLOW_SATNONE, 0x7c},
    {"float8_e5m2", INFINITY, FP8_OVERFLOW_SATPROPAGATE, 0x7c}, /* P3109 SatPropagate: Inf stays Inf */
    {"float8_e5m2", INFINITY, FP8_OVERFLOW_SATFINITE, 0x7b},     /* ONNX saturate=1: Inf -> FLT_MAX */
    {"float8_e5m2", -INFINITY, FP8_OVERFLOW_SATFINITE, 0xfb},   /* CUDA satfinite: -Inf -> -max */
    {"float8_e5m2", -INFINITY, FP8_OVERFLOW_NONSAT, 0xfc},
    /* fnuz: one NaN 0x80 */
    {"float8_e4m3fnuz", 1e6, FP8_OVERFLOW_NONSAT, 0x80}, {"float8_e4m3fnuz", 1e6, FP8_OVERFLOW_SATNONE, 0x7f},
    {"float8_e4m3fnuz", -INFINITY, FP8_OVERFLOW_SATFINITE, 0xff},
    /* P3109 extended: Inf 0x7f / 0xff, max 0x7e */
    {"binary8p4se", 1e6, FP8_OVERFLOW_SATNONE, 0x7f}, {"binary8p4se", -1e6, FP8_OVERFLOW_NONSAT, 0xff},
    {"binary8p4se", -1e6, FP8_OVERFLOW_SATFINITE, 0xfe}, {"binary8p4se", INFINITY, FP8_OVERFLOW_SATFINITE, 0x7e},
    {"binary8p4se", INFINITY, FP8_OVERFLOW_SATPROPAGATE, 0x7f}, {"binary8p4se", NAN, FP8_OVERFLOW_SATFINITE, 0x80},
    /* P3109 finite signed: SatNone gives max even for Inf; nonsat the NaN */
    {"binary8p4sf", INFINITY, FP8_OVERFLOW_SATNONE, 0x7f}, {"binary8p4sf", INFINITY, FP8_OVERFLOW_NONSAT, 0x80},
    /* unsigned extended: +Inf 0xfe, NaN 0xff, max 0xfd; negatives below the range */
    {"binary8p4ue", 1e9, FP8_OVERFLOW_SATNONE, 0xfe}, {"binary8p4ue", 1e9, FP8_OVERFLOW_SATFINITE, 0xfd},
    {"binary8p4ue", -1, FP8_OVERFLOW_SATFINITE, 0x00}, {"binary8p4ue", -1, FP8_OVERFLOW_NONSAT, 0xff},
    {"binary8p4ue", -INFINITY, FP8_OVERFLOW_SATPROPAGATE, 0x00}, {"binary8p4ue", -0.0, FP8_OVERFLOW_NONSAT, 0x00},
    /* E8M0: no zero; 2^-127 = 0x00 is the smallest value, 0xff NaN */
    {"float8_e8m0fnu", 0.0, FP8_OVERFLOW_SATFINITE, 0x00}, {"float8_e8m0fnu", 0.0, FP8_OVERFLOW_NONSAT, 0xff},
    {"float8_e8m0fnu", 1e-45, FP8_OVERFLOW_NONSAT, 0x00}, {"float8_e8m0fnu", 1.0, FP8_OVERFLOW_NONSAT, 0x7f},
    {"float8_e8m0fnu", 1e39, FP8_OVERFLOW_NONSAT, 0xff}, {"float8_e8m0fnu", 1e39, FP8_OVERFLOW_SATFINITE, 0xfe},
    /* no Inf, no NaN: every mode gives max */
    {"float4_e2m1fn", INFINITY, FP8_OVERFLOW_NONSAT, 0x7}, {"float4_e2m1fn", 7, FP8_OVERFLOW_SATNONE, 0x7}};
  for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
    fp8_format f = get(w[i].fmt);
    fp8_rounding rc = {.mode = FP8_ROUND_RNE, .overflow = w[i].ovf};
    uint32_t got = fp8_codec_encode(&f, w[i].x, &rc, NULL);
    ck_assert_msg(got == w[i].want, "%s %s: %g -> 0x%x, expected 0x%x", w[i].fmt,
                  fp8_overflow_mode_name(w[i].ovf), w[i].x, got, w[i].want);
  }
  /* Directed roundings at the boundary (IEEE 754 7.4): toward the other side gives max. */
  fp8_format e5 = get("float8_e5m2");
  fp8_rounding rtp = {.mode = FP8_ROUND_RTP, .overflow = FP8_OVERFLOW_NONSAT};
  fp8_rounding rtn = {.mode = FP8_ROUND_RTN, .overflow = FP8_OVERFLOW_NONSAT};
  fp8_rounding rto = {.mode = FP8_ROUND_RTO, .overflow = FP8_OVERFLOW_NONSAT};
  ck_assert_uint_eq(fp8_codec_encode(&e5, 57345, &rtp, NULL), 0x7c);
  ck_assert_uint_eq(fp8_codec_encode(&e5, -57345, &rtp, NULL), 0xfb);
  ck_assert_uint_eq(fp8_codec_encode(&e5, -57345, &rtn, NULL), 0xfc);
  ck_assert_uint_eq(fp8_codec_encode(&e5, 1e6, &rto, NULL), 0x7b);
  ck_assert_uint_eq(fp8_codec_encode(&e5, 1.1, &rto, NULL), 0x3d);   /* 1.25: odd code */
  ck_assert_uint_eq(fp8_codec_encode(&e5, 1.3, &rto, NULL), 0x3d);
  ck_assert_uint_eq(fp8_codec_encode(&e5, 1.25, &rto, NULL), 0x3d);  /* exact stays */
  ck_assert_uint_eq(fp8_codec_encode(&e5, 1.5, &rto, NULL), 0x3e);
  /* NaN modes: CUDA writes 0x7f for every NaN, ml_dtypes keeps the sign */
  fp8_rounding ones = {.mode = FP8_ROUND_RNE, .overflow = FP8_OVERFLOW_SATFINITE, .nan = FP8_NAN_ONES};
  ck_assert_uint_eq(fp8_codec_encode(&e5, -NAN, &ones, NULL), 0x7f);
  ck_assert_uint_eq(fp8_codec_encode(&e5, -NAN, NULL, NULL), 0xfe);
}
END_TEST

/* ---- P3109 stochastic rounding -------------------------------------------------- */
typedef struct fixed_r { uint64_t r; int calls; } fixed_r;
static uint64_t fixed_rand(void *s)
{
  fixed_r *f = s;
  f->calls++;
  return f->r;
}

/* Three conversions the IEEE P3109 interim report v4.0 defines otherwise than
 * fp8lab did (values by hand from the report's definitions). */
START_TEST(p3109_v4_regressions)
{
  /* SatNone: a negative value into an unsigned format is NaN (0xff) unless the
   * rounding goes toward zero or +Inf, or the value rounds to 0 (min 2^-18). */
  fp8_format u = get("binary8p4ue");
  static const struct { fp8_round_mode m; double x; uint32_t want; } neg[] = {
    {FP8_ROUND_RNE, -1, 0xff}, {FP8_ROUND_RTZ, -1, 0x00}, {FP8_ROUND_RTP, -1, 0x00},
    {FP8_ROUND_RTN, -1, 0xff}, {FP8_ROUND_RNA, -1, 0xff}, {FP8_ROUND_RTO, -1, 0xff},
    {FP8_ROUND_RNE, -0x1p-20, 0x00}, {FP8_ROUND_RNE, -0x1p-19, 0x00},   /* tie: to the even code 0 */
    {FP8_ROUND_RNA, -0x1p-19, 0xff}, {FP8_ROUND_RTO, -0x1p-20, 0xff},
    {FP8_ROUND_RNE, -INFINITY, 0xff}, {FP8_ROUND_RTZ, -INFINITY, 0x00}, {FP8_ROUND_RNE, -0.0, 0x00}};
  for (size_t i = 0; i < sizeof neg / sizeof neg[0]; i++) {
    fp8_rounding rc = {.mode = neg[i].m, .overflow = FP8_OVERFLOW_SATNONE};
    unsigned fl = 0;
    uint32_t c = fp8_codec_encode(&u, neg[i].x, &rc, &fl);
    ck_assert_msg(c == neg[i].want, "binary8p4ue %s satnone %a: 0x%x, expected 0x%x",
                  fp8_round_mode_name(neg[i].m), neg[i].x, c, neg[i].want);
    ck_assert(!(c == 0xff) == !(fl & FP8_FLAG_INVALID));
  }
  fp8_rounding sf = {.mode = FP8_ROUND_RNE, .overflow = FP8_OVERFLOW_SATFINITE};
  ck_assert_uint_eq(fp8_codec_encode(&u, -1, &sf, NULL), 0x00);        /* satfinite: still 0 */
  /* rto beyond max under satnone: the odd code of max and Inf -- signed
   * extended Inf 0x7f (max 0x7e), unsigned extended max 0xfd (Inf 0xfe). */
  fp8_rounding rto = {.mode = FP8_ROUND_RTO, .overflow = FP8_OVERFLOW_SATNONE};
  fp8_format s = get("binary8p4se");
  ck_assert_uint_eq(fp8_codec_encode(&s, 1e6, &rto, NULL), 0x7f);
  ck_assert_uint_eq(fp8_codec_encode(&s, -1e6, &rto, NULL), 0xff);
  ck_assert_uint_eq(fp8_codec_encode(&u, 1e9, &rto, NULL), 0xfd);
  rto.overflow = FP8_OVERFLOW_SATFINITE;
  ck_assert_uint_eq(fp8_codec_encode(&s, 1e6, &rto, NULL), 0x7e);
  /* sr-c:1, R = 1: binary3p1se (values 0, 0.5, 1), x = -0.125 is nu = 1/4 of
   * the way to -0.5; RNE(nu 2) = RNE(0.5) = 0, 0 + 1 < 2: toward zero, 0. */
  fp8_format b3 = get("binary3p1se");
  fixed_r st = {1ull << 63, 0};
  fp8_rounding src = {.mode = FP8_ROUND_SR_C, .overflow = FP8_OVERFLOW_SATFINITE, .rand64 = fixed_rand,
                      .rand_state = &st, .sr_bits = 1};
  ck_assert_uint_eq(fp8_codec_encode(&b3, -0.125, &src, NULL), 0x0);
  ck_assert_uint_eq(fp8_codec_encode(&b3, -0.375, &src, NULL), 0x5);   /* nu = 3/4: RNE(1.5) = 2 */
}
END_TEST

/* For x = 1 + nu * 2^-3 in e4m3fn (ulp 2^-3 at 1), nu = num / 2^D: count the R
 * in 0..2^N-1 that round up, and compare with the report's inequality. */
START_TEST(stochastic_abc_enumerated)
{
  fp8_format f = get("float8_e4m3fn");
  enum { D = 20 };
  uint64_t s = seed;
  for (int N = 1; N <= 6; N++)
    for (int k = 0; k < 400; k++) {
      uint64_t num;
      if (k < 64)                   /* every nu on a grid of 2^-6, then random ones */
        num = (uint64_t)k << (D - 6);
      else {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        num = (s >> 20) & ((1ull << D) - 1);
      }
      double x = 1.0 + ldexp((double)num, -D - 3);
      uint64_t scale = 1ull << N;
      /* floor(nu 2^N), floor(nu 2^(N+1)), RNE(nu 2^N) on exact integers */
      uint64_t fa = num >> (D - N), fb = num >> (D - N - 1);
      uint64_t rem = num & ((1ull << (D - N)) - 1), halfd = 1ull << (D - N - 1);
      uint64_t fc = fa + (rem > halfd || (rem == halfd && (fa & 1)));
      for (int which = 0; which < 3; which++) {
        fp8_round_mode m = which == 0 ? FP8_ROUND_SR_A : which == 1 ? FP8_ROUND_SR_B : FP8_ROUND_SR_C;
        uint64_t ups = 0, want = 0;
        for (uint64_t R = 0; R < scale; R++) {
          fixed_r st = {R << (64 - N), 0};
          fp8_rounding rc = {.mode = m, .overflow = FP8_OVERFLOW_SATFINITE, .rand64 = fixed_rand,
                             .rand_state = &st, .sr_bits = N};
          uint32_t c = fp8_codec_encode(&f, x, &rc, NULL);
          ck_assert_int_eq(st.calls, num ? 1 : 0);        /* one draw per inexact result */
          ck_assert_msg(c == 0x38 || c == 0x39, "x = %a: code 0x%x", x, c);
          ups += c == 0x39;
          int up = which == 0 ? fa + R >= scale : which == 1 ? fb + 2 * R + 1 >= 2 * scale : fc + R >= scale;
          want += (uint64_t)up;
          uint32_t cneg = fp8_codec_encode(&f, -x, &rc, NULL);  /* away from zero for negatives too */
          ck_assert_uint_eq(cneg, c | 0x80);
        }
        if (num == 0)
          want = 0;                                       /* exact: no rounding at all */
        ck_assert_msg(ups == want, "sr-%c:%d nu = %llu/2^%d: %llu ups, definition %llu", 'a' + which, N,
                      (unsigned long long)num, D, (unsigned long long)ups, (unsigned long long)want);
        /* closed forms: A = floor(nu 2^N), B = ceil(floor(nu 2^(N+1)) / 2), C = RNE(nu 2^N) */
        uint64_t closed = which == 0 ? fa : which == 1 ? (fb + 1) / 2 : fc;
        if (num)
          ck_assert_uint_eq(ups, closed);
      }
    }
}
END_TEST

/* splitmix64 as a seeded source: the same seed gives the same bytes. */
static uint64_t splitmix_rand(void *st)
{
  uint64_t z = (*(uint64_t *)st += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

START_TEST(stochastic_seeded_repeat)
{
  fp8_format f = get("float8_e5m2");
  enum { NX = 4096 };
  static uint8_t a[NX], b[NX];
  for (int m = FP8_ROUND_SR_A; m <= FP8_ROUND_SR_C; m++) {
    int ups = 0;
    for (int pass = 0; pass < 2; pass++) {
      uint64_t st = seed;
      fp8_rounding rc = {.mode = (fp8_round_mode)m, .overflow = FP8_OVERFLOW_SATFINITE,
                         .rand64 = splitmix_rand, .rand_state = &st, .sr_bits = 5};
      for (int i = 0; i < NX; i++) {
        (pass ? b : a)[i] = (uint8_t)fp8_codec_encode(&f, 1.0 + (i % 64) / 256.0, &rc, NULL);
        ups += pass == 0 && a[i] != (uint8_t)(0x3c + (i % 64) / 16);
      }
    }
    ck_assert_msg(memcmp(a, b, NX) == 0, "%s: same seed, other bytes", fp8_round_mode_name((fp8_round_mode)m));
    ck_assert_msg(ups > 0, "%s: never rounded up", fp8_round_mode_name((fp8_round_mode)m));
  }
}
END_TEST

/* ---- the H200's fp16 -> fp8 satfinite tables ---------------------------------------- */
static void check_h200_table(const char *file, const char *fmt)
{
  char path[1024];
  snprintf(path, sizeof path, "%s/tests/data/h200-fp8/cvt/%s", FP8_SRCDIR, file);
  FILE *fp = fopen(path, "rb");
  ck_assert_msg(fp != NULL, "cannot open %s", path);
  static uint8_t chip[65536];
  ck_assert_uint_eq(fread(chip, 1, sizeof chip, fp), sizeof chip);
  ck_assert_int_eq(fgetc(fp), EOF);
  fclose(fp);
  fp8_format f = get(fmt);
  fp8_rounding rc = {.mode = FP8_ROUND_RNE, .overflow = FP8_OVERFLOW_SATFINITE, .nan = FP8_NAN_ONES};
  int bad = 0;
  for (uint32_t i = 0; i < 65536; i++) {
    uint16_t h16 = (uint16_t)i;
    _Float16 h;                              /* the compiler's IEEE binary16 */
    memcpy(&h, &h16, sizeof h);
    uint32_t got = fp8_codec_encode(&f, (double)h, &rc, NULL);
    if (got != chip[i] && bad++ < 5)
      fprintf(stderr, "%s: fp16 0x%04x (%a): fp8lab 0x%02x, H200 0x%02x\n", file, i, (double)h, got, chip[i]);
  }
  ck_assert_msg(bad == 0, "%s: %d of 65536 codes differ from the H200", file, bad);
}

START_TEST(h200_f16_e4m3fn) { check_h200_table("f16_to_e4m3fn_satfinite.u8", "float8_e4m3fn"); }
END_TEST
START_TEST(h200_f16_e5m2) { check_h200_table("f16_to_e5m2_satfinite.u8", "float8_e5m2"); }
END_TEST

/* ---- names ------------------------------------------------------------------------ */
START_TEST(mode_names)
{
  fp8_round_mode m;
  fp8_overflow_mode o;
  int n = 0;
  ck_assert_int_eq(fp8_round_mode_lookup("sr-b:12", &m, &n), 0);
  ck_assert(m == FP8_ROUND_SR_B && n == 12);
  ck_assert_int_eq(fp8_round_mode_lookup("rto", &m, &n), 0);
  ck_assert(m == FP8_ROUND_RTO);
  static const char *const bad[] = {"sr-a", "sr-a:", "sr-a:0", "sr-a:64", "sr-a:08", "rne:3", "sr-a:1x", "up", ""};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    ck_assert_msg(fp8_round_mode_lookup(bad[i], &m, &n) == -1, "'%s' accepted", bad[i]);
  ck_assert_int_eq(fp8_overflow_mode_lookup("sat", &o), 0);
  ck_assert(o == FP8_OVERFLOW_SATPROPAGATE);
  ck_assert_int_eq(fp8_overflow_mode_lookup("satfinite", &o), 0);
  ck_assert(o == FP8_OVERFLOW_SATFINITE);
  ck_assert_int_eq(fp8_overflow_mode_lookup("satnone", &o), 0);
  ck_assert(o == FP8_OVERFLOW_SATNONE);
  ck_assert_int_eq(fp8_overflow_mode_lookup("saturate", &o), -1);
}
END_TEST

int main(void)
{
  seed = codec_ref_seed("test_codec_modes", 20261129);
  Suite *s = suite_create("codec_modes");
  TCase *tc = tcase_create("modes");
  tcase_set_timeout(tc, 300);
  tcase_add_loop_test(tc, against_reference, 0, NFORMATS);
  tcase_add_test(tc, saturation_facts);
  tcase_add_test(tc, stochastic_abc_enumerated);
  tcase_add_test(tc, p3109_v4_regressions);
  tcase_add_test(tc, stochastic_seeded_repeat);
  tcase_add_test(tc, h200_f16_e4m3fn);
  tcase_add_test(tc, h200_f16_e5m2);
  tcase_add_test(tc, mode_names);
  suite_add_tcase(s, tc);
  return fp8_check_run(s);
}
