/* test_codec.c - decode/encode: exhaustive round trips, spec facts, the C
 * compiler's own conversions, integers, :nosub, flags, stochastic rounding,
 * and the fast kernel against the generic path over random formats.
 * Expected values come from the OCP 8-bit FP spec v1.0, IEEE 754 as the C
 * compiler implements it ((float)x, (_Float16)x), the independent decoder in
 * codec_ref.c, or exact statistics.  Seed printed; FP8LAB_SEED overrides it.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "codec.h"
#include "codec_ref.h"
#include "rng.h"

static uint64_t seed;

static fp8_format get(const char *spec)
{
  fp8_format f;
  char err[256];
  ck_assert_msg(fp8_format_parse(spec, &f, err, sizeof err) == 0, "%s: %s", spec, err);
  return f;
}

static const fp8_rounding SAT = {.mode = FP8_ROUND_RNE, .overflow = FP8_OVERFLOW_SAT};
static const fp8_rounding NONSAT = {.mode = FP8_ROUND_RNE, .overflow = FP8_OVERFLOW_NONSAT};

static uint32_t enc(const char *fmt, double x, const fp8_rounding *rc, unsigned *flags)
{
  fp8_format f = get(fmt);
  return fp8_codec_encode(&f, x, rc, flags);
}

/* ---- exhaustive over every preset's codes ----------------------------------- */
START_TEST(roundtrip_every_code)
{
  size_t np = fp8_format_preset_count();
  for (size_t k = 0; k < np; k++) {
    const char *name = fp8_format_preset_name(k);
    fp8_format f = get(name);
    if (f.bits > 16)
      continue;                                 /* fp32: see fp32_against_cast */
    uint32_t ncodes = 1u << f.bits;
    for (uint32_t c = 0; c < ncodes; c++) {
      double v = fp8_codec_decode(&f, c), w = codec_ref_decode(&f, c);
      if (!(isnan(v) && isnan(w)) && memcmp(&v, &w, sizeof v))
        ck_abort_msg("%s: decode(0x%x) = %a, definition gives %a", name, c, v, w);
      unsigned fl = 0;
      uint32_t back = fp8_codec_encode(&f, v, &SAT, &fl);
      if (isnan(v)) {               /* NaN codes: any NaN comes back as the canonical NaN */
        if (fp8_codec_classify(&f, back) != FP8_CLASS_NAN || fl)
          ck_abort_msg("%s: NaN 0x%x re-encodes to 0x%x flags %u", name, c, back, fl);
        continue;
      }
      if (back != c || fl)
        ck_abort_msg("%s: 0x%x -> %a -> 0x%x (flags %u)", name, c, v, back, fl);
    }
  }
}
END_TEST

/* Values of each sign strictly increase with the magnitude code, so all
 * finite values are distinct; class counts match the conventions. */
START_TEST(ordered_unique_counts)
{
  static const struct { const char *name; unsigned finite_codes, nan, inf; unsigned long long values; } w[] = {
    {"fp8-e2", 255, 1, 0, 255}, {"fp8-e3", 255, 1, 0, 255}, {"fp8-e4", 255, 1, 0, 255},
    {"fp8-e5", 255, 1, 0, 255}, {"float8_e4m3fnuz", 255, 1, 0, 255}, {"float8_e5m2fnuz", 255, 1, 0, 255},
    {"float8_e4m3b11fnuz", 255, 1, 0, 255},
    {"float8_e4m3fn", 254, 2, 0, 253}, {"float8_e5m2", 248, 6, 2, 247},
    {"float8_e3m4", 224, 30, 2, 223}, {"float8_e4m3", 240, 14, 2, 239},
    {"int8", 256, 0, 0, 256}, {"int8-sm", 256, 0, 0, 255},
    {"float6_e2m3fn", 64, 0, 0, 63}, {"float6_e3m2fn", 64, 0, 0, 63}, {"float4_e2m1fn", 16, 0, 0, 15},
    {"fp16", 63488, 2046, 2, 63487}, {"bf16", 65280, 254, 2, 65279}};
  for (size_t k = 0; k < sizeof w / sizeof w[0]; k++) {
    fp8_format f = get(w[k].name);
    uint32_t sb = 1u << (f.bits - 1);
    unsigned nfin = 0, nnan = 0, ninf = 0;
    bool twos = f.ebits == 0 && f.intenc == FP8_INT_TWOS;
    for (int sign = 0; sign < 2; sign++) {
      double prev = -1;
      /* codes of one sign in order of magnitude; two's complement negatives are
       * 2^n - mag for mag = 1 .. 2^(n-1) */
      for (uint32_t m = sign && twos ? 1 : 0; m < sb + (sign && twos); m++) {
        uint32_t c = !sign ? m : twos ? 2 * sb - m : sb | m;
        fp8_class cls = fp8_codec_classify(&f, c);
        if (cls == FP8_CLASS_NAN) { nnan++; continue; }
        if (cls == FP8_CLASS_INF) { ninf++; continue; }
        nfin++;
        double a = fabs(fp8_codec_decode(&f, c));
        if (!(a > prev))
          ck_abort_msg("%s: |value| of 0x%x = %a does not increase (previous %a)", w[k].name, c, a, prev);
        prev = a;
      }
    }
    ck_assert_msg(nfin == w[k].finite_codes && nnan == w[k].nan && ninf == w[k].inf,
                  "%s: %u finite, %u NaN, %u Inf codes; expected %u, %u, %u", w[k].name,
                  nfin, nnan, ninf, w[k].finite_codes, w[k].nan, w[k].inf);
    ck_assert_uint_eq(fp8_format_finite_values(&f), w[k].values);
  }
}
END_TEST

/* ---- OCP 8-bit FP spec v1.0 facts ------------------------------------------------ */
START_TEST(ocp_e4m3)
{
  unsigned fl;
  const char *F = "float8_e4m3fn";
  ck_assert_uint_eq(enc(F, 448, &SAT, NULL), 0x7e);
  ck_assert_uint_eq(enc(F, -448, &SAT, NULL), 0xfe);
  ck_assert_uint_eq(enc(F, ldexp(1, -6), &SAT, NULL), 0x08);         /* min normal S.0001.000 */
  ck_assert_uint_eq(enc(F, ldexp(1, -9), &SAT, NULL), 0x01);         /* min subnormal S.0000.001 */
  ck_assert_uint_eq(enc(F, 0.875 * ldexp(1, -6), &SAT, NULL), 0x07); /* max subnormal */
  fl = 0;
  ck_assert_uint_eq(enc(F, ldexp(1, -10), &SAT, &fl), 0x00);         /* tie to the even code 0 */
  ck_assert_uint_eq(fl, FP8_FLAG_INEXACT | FP8_FLAG_UNDERFLOW);
  ck_assert_uint_eq(enc(F, 3 * ldexp(1, -10), &SAT, NULL), 0x02);    /* 1.5 ulp: tie to even 2 */
  for (int nonsat = 0; nonsat < 2; nonsat++) {
    const fp8_rounding *rc = nonsat ? &NONSAT : &SAT;
    fl = 0;
    ck_assert_uint_eq(enc(F, 464, rc, &fl), 0x7e);                   /* tie to even: down to 448 */
    ck_assert_uint_eq(fl, FP8_FLAG_INEXACT);
    fl = 0;
    ck_assert_uint_eq(enc(F, 465, rc, &fl), nonsat ? 0x7f : 0x7e);
    ck_assert_uint_eq(fl, FP8_FLAG_INEXACT | FP8_FLAG_OVERFLOW);
    ck_assert_uint_eq(enc(F, -465, rc, NULL), nonsat ? 0xff : 0xfe);
    ck_assert_uint_eq(enc(F, 1e30, rc, NULL), nonsat ? 0x7f : 0x7e);
    ck_assert_uint_eq(enc(F, INFINITY, rc, NULL), nonsat ? 0x7f : 0x7e); /* no Inf in E4M3 */
    ck_assert_uint_eq(enc(F, -INFINITY, rc, NULL), nonsat ? 0xff : 0xfe);
    ck_assert_uint_eq(enc(F, NAN, rc, NULL), 0x7f);                  /* NaN S.1111.111 */
    ck_assert_uint_eq(enc(F, -NAN, rc, NULL), 0xff);
  }
  /* rtz never overflows to NaN; it still flags an overflow at max + ulp */
  fp8_rounding rtz = {.mode = FP8_ROUND_RTZ, .overflow = FP8_OVERFLOW_NONSAT};
  fl = 0;
  ck_assert_uint_eq(enc(F, 479, &rtz, &fl), 0x7e);
  ck_assert_uint_eq(fl, FP8_FLAG_INEXACT);
  fl = 0;
  ck_assert_uint_eq(enc(F, 480, &rtz, &fl), 0x7e);
  ck_assert_uint_eq(fl, FP8_FLAG_INEXACT | FP8_FLAG_OVERFLOW);
  fp8_rounding rna = {.mode = FP8_ROUND_RNA, .overflow = FP8_OVERFLOW_NONSAT};
  ck_assert_uint_eq(enc(F, 464, &rna, NULL), 0x7f);                  /* ties away: overflow */
  ck_assert_uint_eq(enc(F, 0.0, &SAT, NULL), 0x00);
  ck_assert_uint_eq(enc(F, -0.0, &SAT, NULL), 0x80);
}
END_TEST

START_TEST(ocp_e5m2)
{
  const char *F = "float8_e5m2";
  unsigned fl;
  ck_assert_uint_eq(enc(F, 57344, &SAT, NULL), 0x7b);                /* max S.11110.11 */
  ck_assert_uint_eq(enc(F, ldexp(1, -14), &SAT, NULL), 0x04);        /* min normal */
  ck_assert_uint_eq(enc(F, ldexp(1, -16), &SAT, NULL), 0x01);        /* min subnormal */
  ck_assert_uint_eq(enc(F, INFINITY, &SAT, NULL), 0x7c);             /* Inf S.11111.00, exact */
  ck_assert_uint_eq(enc(F, -INFINITY, &SAT, NULL), 0xfc);
  fp8_format f = get(F);
  for (uint32_t c = 0x7d; c <= 0x7f; c++)
    ck_assert(fp8_codec_classify(&f, c) == FP8_CLASS_NAN && fp8_codec_classify(&f, c | 0x80) == FP8_CLASS_NAN);
  ck_assert_uint_eq(fp8_codec_classify(&f, enc(F, NAN, &SAT, NULL)), FP8_CLASS_NAN);
  for (int nonsat = 0; nonsat < 2; nonsat++) {
    const fp8_rounding *rc = nonsat ? &NONSAT : &SAT;
    fl = 0;
    ck_assert_uint_eq(enc(F, 61439, rc, &fl), 0x7b);                 /* below the midpoint */
    ck_assert_uint_eq(fl, FP8_FLAG_INEXACT);
    fl = 0;
    ck_assert_uint_eq(enc(F, 61440, rc, &fl), nonsat ? 0x7c : 0x7b); /* tie: to even = up = Inf */
    ck_assert_uint_eq(fl, FP8_FLAG_INEXACT | FP8_FLAG_OVERFLOW);
    ck_assert_uint_eq(enc(F, -61440, rc, NULL), nonsat ? 0xfc : 0xfb);
  }
}
END_TEST

START_TEST(fnuz_and_paper)
{
  /* fnuz: -0 -> +0; the one NaN is 0x80; max 240 (bias 8) */
  ck_assert_uint_eq(enc("float8_e4m3fnuz", -0.0, &SAT, NULL), 0x00);
  ck_assert_uint_eq(enc("float8_e4m3fnuz", -ldexp(1, -12), &SAT, NULL), 0x00);   /* underflows to +0 */
  ck_assert_uint_eq(enc("float8_e4m3fnuz", NAN, &SAT, NULL), 0x80);
  ck_assert_uint_eq(enc("float8_e4m3fnuz", -NAN, &SAT, NULL), 0x80);
  ck_assert_uint_eq(enc("float8_e4m3fnuz", 240, &SAT, NULL), 0x7f);
  ck_assert_uint_eq(enc("float8_e4m3fnuz", 248, &SAT, NULL), 0x7f);              /* tie, sat */
  ck_assert_uint_eq(enc("float8_e4m3fnuz", 248, &NONSAT, NULL), 0x80);           /* tie to even -> NaN */
  ck_assert_uint_eq(enc("float8_e4m3fnuz", -INFINITY, &NONSAT, NULL), 0x80);
  ck_assert_uint_eq(enc("float8_e4m3fnuz", -INFINITY, &SAT, NULL), 0xff);
  /* the paper's FP8-E4 is the same grid: 2^-10 smallest, 240 largest */
  fp8_format f = get("fp8-e4");
  ck_assert(fp8_codec_decode(&f, 0x01) == ldexp(1, -10) && fp8_codec_decode(&f, 0x7f) == 240);
  /* bias 11: max 1.875 * 2^4 = 30 */
  ck_assert_uint_eq(enc("float8_e4m3b11fnuz", 30, &SAT, NULL), 0x7f);
  ck_assert_uint_eq(enc("float8_e4m3b11fnuz", 1000, &NONSAT, NULL), 0x80);
}
END_TEST

START_TEST(integers)
{
  unsigned fl = 0;
  ck_assert_uint_eq(enc("int8", 2.5, &SAT, NULL), 2);
  ck_assert_uint_eq(enc("int8", 3.5, &SAT, NULL), 4);
  ck_assert_uint_eq(enc("int8", -2.5, &SAT, NULL), 0xfe);
  ck_assert_uint_eq(enc("int8", 127.49, &SAT, NULL), 127);
  ck_assert_uint_eq(enc("int8", 127.5, &SAT, &fl), 127);             /* tie to even 128: overflow */
  ck_assert_uint_eq(fl, FP8_FLAG_INEXACT | FP8_FLAG_OVERFLOW);
  ck_assert_uint_eq(enc("int8", -128, &SAT, NULL), 0x80);
  ck_assert_uint_eq(enc("int8", -128.5, &SAT, NULL), 0x80);          /* tie to even -128 */
  ck_assert_uint_eq(enc("int8", -129, &NONSAT, NULL), 0x80);         /* no Inf/NaN: saturates */
  ck_assert_uint_eq(enc("int8", -0.4, &SAT, NULL), 0x00);            /* no -0 */
  ck_assert_uint_eq(enc("int8", 1e9, &SAT, NULL), 0x7f);
  ck_assert_uint_eq(enc("int8-sm", -0.4, &SAT, NULL), 0x80);         /* -0 exists */
  ck_assert_uint_eq(enc("int8-sm", -127.6, &SAT, NULL), 0xff);
  ck_assert_uint_eq(enc("int8-sm", -128, &SAT, NULL), 0xff);
  fl = 0;
  ck_assert_uint_eq(enc("int8", NAN, &SAT, &fl), 0x00);
  ck_assert_uint_eq(fl, FP8_FLAG_INVALID);
  fl = 0;
  ck_assert_uint_eq(enc("int8", 0.25, &SAT, &fl), 0x00);             /* integers never underflow */
  ck_assert_uint_eq(fl, FP8_FLAG_INEXACT);
  fp8_rounding rna = {.mode = FP8_ROUND_RNA, .overflow = FP8_OVERFLOW_SAT};
  ck_assert_uint_eq(enc("int8", -2.5, &rna, NULL), 0xfd);
  ck_assert_uint_eq(enc("int4", -8.4, &SAT, NULL), 0x8);
}
END_TEST

START_TEST(nosub_grid)
{
  const char *F = "e4m3:fn:nosub";
  fp8_format f = get(F);
  double mn = ldexp(1, -6);
  ck_assert(fp8_codec_decode(&f, 0x01) == 0.0 && fp8_codec_decode(&f, 0x81) == 0.0);
  ck_assert(fp8_format_min_subnormal(&f) == mn);
  ck_assert_uint_eq(enc(F, 0.75 * mn, &SAT, NULL), 0x08);
  ck_assert_uint_eq(enc(F, 0.25 * mn, &SAT, NULL), 0x00);
  ck_assert_uint_eq(enc(F, 0.5 * mn, &SAT, NULL), 0x00);             /* tie: even significand 0 */
  fp8_rounding rna = {.mode = FP8_ROUND_RNA, .overflow = FP8_OVERFLOW_SAT};
  fp8_rounding rtz = {.mode = FP8_ROUND_RTZ, .overflow = FP8_OVERFLOW_SAT};
  ck_assert_uint_eq(enc(F, 0.5 * mn, &rna, NULL), 0x08);
  ck_assert_uint_eq(enc(F, -0.99 * mn, &rtz, NULL), 0x80);
  unsigned fl = 0;
  ck_assert_uint_eq(enc(F, 0.75 * mn, &SAT, &fl), 0x08);             /* rounded to a normal: no underflow */
  ck_assert_uint_eq(fl, FP8_FLAG_INEXACT);
}
END_TEST

/* ---- the C compiler's own conversions -------------------------------------------- */
static uint64_t mix(uint64_t *s)
{
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* Random doubles: every double binade near the float range, random bits. */
static double random_double(uint64_t *s, int emin, int emax)
{
  uint64_t z = mix(s);
  int e = emin + (int)(mix(s) % (uint64_t)(emax - emin + 1));
  double m = 1.0 + (double)(z >> 12) / 4503599627370496.0;
  if (z & 1)              /* half the time a midpoint-ish pattern: few low bits */
    m = 1.0 + (double)((z >> 12) & ~0xfffffffull) / 4503599627370496.0 + ((z >> 2) & 1 ? 0x1p-25 : 0x1p-12);
  double x = ldexp(m, e);
  return (z >> 63) ? -x : x;
}

START_TEST(fp32_against_cast)
{
  fp8_format f = get("fp32");
  uint64_t s = seed;
  for (int i = 0; i < 2000000; i++) {
    double x = random_double(&s, -160, 130);
    float y = (float)x;                        /* IEEE RNE, Inf on overflow */
    uint32_t want;
    memcpy(&want, &y, sizeof want);
    uint32_t got = fp8_codec_encode(&f, x, &NONSAT, NULL);
    if (got != want)
      ck_abort_msg("fp32: x = %a: 0x%08x, (float)x = 0x%08x", x, got, want);
  }
}
END_TEST

START_TEST(fp16_against_cast)
{
  fp8_format f = get("fp16");
  uint64_t s = seed ^ 0x5555;
  for (int i = 0; i < 2000000; i++) {
    double x = random_double(&s, -27, 17);
    _Float16 h = (_Float16)x;                 /* one correct rounding, gcc 12 x86-64 */
    uint16_t want;
    memcpy(&want, &h, sizeof want);
    uint32_t got = fp8_codec_encode(&f, x, &NONSAT, NULL);
    if (got != want)
      ck_abort_msg("fp16: x = %a: 0x%04x, (_Float16)x = 0x%04x", x, got, want);
    float xf = (float)x;                      /* the float32 fast path against the same cast */
    uint16_t fast;
    fp8_codec_encode_f32_u16(&f, &xf, &fast, 1, &NONSAT, NULL);
    h = (_Float16)xf;
    memcpy(&want, &h, sizeof want);
    if (fast != want)
      ck_abort_msg("fp16 fast: x = %a: 0x%04x, (_Float16)x = 0x%04x", (double)xf, fast, want);
  }
}
END_TEST

/* ---- the fast kernel over random formats (and their fallbacks) --------------------- */
START_TEST(fast_matches_generic_random_formats)
{
  uint64_t s = seed ^ 0xfa57;
  enum { NIN = 1 << 14 };
  float *in = malloc(NIN * sizeof *in);
  uint16_t *fa = malloc(NIN * sizeof *fa), *ge = malloc(NIN * sizeof *ge);
  uint8_t *fa8 = malloc(NIN);
  ck_assert(in && fa && ge && fa8);
  for (int k = 0; k < 300; k++) {
    fp8_format f;
    int E = (int)(mix(&s) % 9), bits = 2 + (int)(mix(&s) % 15);
    if (E == 0) {
      char spec[24];
      snprintf(spec, sizeof spec, "int%d%s", bits, mix(&s) & 1 ? "-sm" : "");
      f = get(spec);
    } else {
      int M = bits - 1 - E;
      if (M < 0)
        continue;
      fp8_special sp = (fp8_special)(mix(&s) % 6);
      int bias = mix(&s) & 1 ? -1 : (int)(mix(&s) % 140);
      if (fp8_format_make_float(&f, E, M, bias, sp, mix(&s) % 4 != 0, NULL, 0))
        continue;
    }
    double mx = fp8_format_max(&f);
    for (int i = 0; i < NIN; i++) {
      uint64_t z = mix(&s);
      if (z & 1) {
        uint32_t b = (uint32_t)(z >> 32);
        memcpy(&in[i], &b, sizeof b);
      } else {                              /* in the format's range, often on midpoints */
        double u = (double)(z >> 11) / 9007199254740992.0;
        double x = ldexp(1.0, (int)floor(log2(mx)) - (int)(u * 40)) * (1 + ((z >> 3) & 63) / 64.0);
        in[i] = (float)((z & 2) ? -x : x);
      }
    }
    for (int mode = 0; mode < 3; mode++)
      for (int ov = 0; ov < FP8_OVERFLOW_NMODES; ov++) {
        fp8_rounding rc = {.mode = (fp8_round_mode)mode, .overflow = (fp8_overflow_mode)ov};
        unsigned ff = 0, gf = 0, f8 = 0;
        fp8_codec_encode_f32_u16(&f, in, fa, NIN, &rc, &ff);
        fp8_codec_encode_f32_u16_generic(&f, in, ge, NIN, &rc, &gf);
        for (int i = 0; i < NIN; i++)
          if (fa[i] != ge[i])
            ck_abort_msg("%s mode %d ovf %d: x = %a: fast 0x%x, generic 0x%x", f.name, mode, ov,
                         (double)in[i], fa[i], ge[i]);
        ck_assert_msg(ff == gf, "%s mode %d ovf %d: flags fast %u generic %u", f.name, mode, ov, ff, gf);
        if (f.bits <= 8) {
          fp8_codec_encode_f32_u8(&f, in, fa8, NIN, &rc, &f8);
          for (int i = 0; i < NIN; i++)
            if (fa8[i] != ge[i])
              ck_abort_msg("%s u8: x = %a: fast 0x%x, generic 0x%x", f.name, (double)in[i], fa8[i], ge[i]);
          ck_assert_uint_eq(f8, gf);
        }
      }
  }
  free(in);
  free(fa);
  free(ge);
  free(fa8);
}
END_TEST

/* ---- stochastic rounding ------------------------------------------------------------ */
START_TEST(stochastic_unbiased)
{
  static const struct { const char *fmt; double x; } w[] = {
    {"float8_e4m3fn", 1.0 + 0.3 * 0.125}, {"float8_e4m3fn", -3.3}, {"float8_e4m3fn", 0.7 * ldexp(1, -9)},
    {"float8_e4m3fn", 300.0}, {"fp8-e4", 0.1}, {"float8_e5m2", 1000.1}, {"int8", -17.25},
    {"e3m4:fnuz", 0.0123}, {"e4m3:fn:nosub", 0.3 * ldexp(1, -6)}, {"bf16", 3.14159}};
  enum { N = 200000 };
  gsl_rng *g = fp8_rng_alloc((unsigned long)seed);
  fp8_rounding rc = {.mode = FP8_ROUND_STOCHASTIC, .overflow = FP8_OVERFLOW_SAT, .rand64 = fp8_rng_bits64, .rand_state = g};
  for (size_t k = 0; k < sizeof w / sizeof w[0]; k++) {
    fp8_format f = get(w[k].fmt);
    /* the two neighbours, from RTZ and the next grid value away from zero */
    fp8_rounding rtz = {.mode = FP8_ROUND_RTZ, .overflow = FP8_OVERFLOW_SAT};
    double lo = fp8_codec_decode(&f, fp8_codec_encode(&f, w[k].x, &rtz, NULL));
    double sum = 0, sumsq = 0;
    for (int i = 0; i < N; i++) {
      double v = fp8_codec_decode(&f, fp8_codec_encode(&f, w[k].x, &rc, NULL));
      if (v != lo && fabs(v) <= fabs(lo))
        ck_abort_msg("%s: %a rounded to %a, not a neighbour", w[k].fmt, w[k].x, v);
      sum += v;
      sumsq += v * v;
    }
    double mean = sum / N, var = sumsq / N - mean * mean;
    double se = sqrt(var / N);
    ck_assert_msg(var > 0, "%s: %a never rounded up or never down", w[k].fmt, w[k].x);
    ck_assert_msg(fabs(mean - w[k].x) < 5 * se, "%s: mean of stochastic roundings of %a is %a, 5 s.e. = %a",
                  w[k].fmt, w[k].x, mean, 5 * se);
  }
  gsl_rng_free(g);
}
END_TEST

START_TEST(stochastic_reproducible)
{
  fp8_format f = get("e3m4:fnuz");
  enum { N = 4096 };
  uint8_t a[N], b[N], c[N];
  float in[N];
  uint64_t s = seed;
  for (int i = 0; i < N; i++)
    in[i] = (float)random_double(&s, -8, 4);
  gsl_rng *g1 = fp8_rng_alloc(7), *g2 = fp8_rng_alloc(7), *g3 = fp8_rng_alloc(8);
  fp8_rounding r1 = {.mode = FP8_ROUND_STOCHASTIC, .overflow = FP8_OVERFLOW_SAT, .rand64 = fp8_rng_bits64, .rand_state = g1};
  fp8_rounding r2 = r1, r3 = r1;
  r2.rand_state = g2;
  r3.rand_state = g3;
  fp8_codec_encode_f32_u8(&f, in, a, N, &r1, NULL);
  fp8_codec_encode_f32_u8(&f, in, b, N, &r2, NULL);
  fp8_codec_encode_f32_u8(&f, in, c, N, &r3, NULL);
  ck_assert_msg(memcmp(a, b, N) == 0, "same seed, different codes");
  ck_assert_msg(memcmp(a, c, N) != 0, "seeds 7 and 8 gave the same codes");
  /* the array path draws in element order: one element at a time gives the same */
  fp8_rng_seed(g2, 7);
  for (int i = 0; i < N; i++)
    if (fp8_codec_encode(&f, in[i], &r2, NULL) != a[i])
      ck_abort_msg("stochastic: element %d differs between array and scalar encoding", i);
  /* exact values never consume randomness and never move */
  ck_assert_uint_eq(fp8_codec_encode(&f, 0.5, &r1, NULL), fp8_codec_encode(&f, 0.5, &SAT, NULL));
  gsl_rng_free(g1);
  gsl_rng_free(g2);
  gsl_rng_free(g3);
}
END_TEST

int main(void)
{
  seed = codec_ref_seed("test_codec", 20260102);
  Suite *s = suite_create("codec");
  TCase *tc = tcase_create("codec");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, roundtrip_every_code);
  tcase_add_test(tc, ordered_unique_counts);
  tcase_add_test(tc, ocp_e4m3);
  tcase_add_test(tc, ocp_e5m2);
  tcase_add_test(tc, fnuz_and_paper);
  tcase_add_test(tc, integers);
  tcase_add_test(tc, nosub_grid);
  tcase_add_test(tc, fp32_against_cast);
  tcase_add_test(tc, fp16_against_cast);
  tcase_add_test(tc, fast_matches_generic_random_formats);
  tcase_add_test(tc, stochastic_unbiased);
  tcase_add_test(tc, stochastic_reproducible);
  suite_add_tcase(s, tc);
  return fp8_check_run(s);
}
