/* test_block.c - block-scaled formats (block.h) against definitions written
 * here independently: element grids from the formula of each format (OCP MX
 * v1.0 section 5, OCP 8-bit FP), the scale rules by brute-force search over
 * exponents, rounding by exact comparison with the midpoints between grid
 * values (exact in double: a midpoint has <= 5 significant bits, a scale
 * <= 28), and hand-computed values at the edges. */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block.h"
#include "check_run.h"

static unsigned long seed = 14;

static fp8_block_format get(const char *s)
{
  fp8_block_format bf;
  char err[256];
  ck_assert_msg(fp8_block_parse(s, &bf, err, sizeof err) == 0, "%s: %s", s, err);
  return bf;
}

/* ---- independent definitions ---------------------------------------------- */

/* An element or scale format by its defining parameters. */
typedef struct ref_fmt {
  int ebits, mbits, bias;
  double max;               /* largest finite value */
  int bits;                 /* storage bits, sign included when signed */
  int is_signed;
} ref_fmt;

static const ref_fmt R_E4M3 = {4, 3, 7, 448, 8, 1};        /* OCP E4M3: S.1111.110 = 448 */
static const ref_fmt R_E5M2 = {5, 2, 15, 57344, 8, 1};     /* OCP E5M2 */
static const ref_fmt R_E3M2 = {3, 2, 3, 28, 6, 1};         /* OCP MX FP6 E3M2 */
static const ref_fmt R_E2M3 = {2, 3, 1, 7.5, 6, 1};        /* OCP MX FP6 E2M3 */
static const ref_fmt R_E2M1 = {2, 1, 1, 6, 4, 1};          /* OCP MX FP4 E2M1 */
static const ref_fmt R_UE4M3 = {4, 3, 7, 448, 7, 0};       /* NVFP4's block scale */

/* The nonnegative values of f in ascending order (index = positive code). */
static int ref_grid(const ref_fmt *f, double *g)
{
  int n = 0;
  for (int e = 0; e < (1 << f->ebits); e++)
    for (int m = 0; m < (1 << f->mbits); m++) {
      double v = e ? (1 + ldexp(m, -f->mbits)) * ldexp(1, e - f->bias)
                   : ldexp(m, 1 - f->bias - f->mbits);
      if (v > f->max)
        return n;
      g[n++] = v;
    }
  return n;
}

/* RNE of x / d onto f's grid, saturating to +-max; the code (sign bit |
 * index), decided by comparing |x| with mid * d (exact).  Ties go to the
 * even index (consecutive grid values alternate the mantissa's last bit). */
static uint32_t ref_round(const ref_fmt *f, double x, double d)
{
  double g[2048];
  int n = ref_grid(f, g), i = 0;
  double a = fabs(x);
  while (i + 1 < n && g[i + 1] * d <= a)
    i++;
  if (i + 1 < n && g[i] * d != a) {
    double mid = (g[i] + g[i + 1]) / 2 * d;
    if (a > mid || (a == mid && (i & 1)))
      i++;
  }
  uint32_t code = (uint32_t)i;
  return signbit(x) && f->is_signed ? code | 1u << (f->bits - 1) : code;
}

/* Two's complement int8 with 6 fraction bits, saturated symmetrically to the
 * max normal 127/64 (OCP MX: elements saturate to +-max normal):
 * clamp(RNE(x/d * 64), -127, 127). */
static uint32_t ref_int8(double x, double d)
{
  double q = x / d * 64;   /* d a power of two: exact */
  double r = nearbyint(q); /* default rounding mode: ties to even */
  if (r > 127) r = 127;
  if (r < -127) r = -127;
  return (uint32_t)((int)r & 0xff);
}

/* The E8M0 code of 2^e: e + 127 (OCP MX table: 2^-127..2^127, 0xff NaN). */
static uint32_t e8m0(int e) { return (uint32_t)(e + 127); }

/* Brute force: the largest e with 2^e <= a, the smallest with 2^e >= a, the
 * smallest with a <= 2^e * emaxv, over the whole double range. */
static int bf_floor(double a)
{
  int e = -1100;
  while (ldexp(1, e + 1) <= a) e++;
  return e;
}

static int bf_ceil(double a)
{
  int e = -1100;
  while (ldexp(1, e) < a) e++;
  return e;
}

static int bf_rceil(double a, double emaxv)
{
  int e = -1100;
  while (ldexp(emaxv, e) < a) e++;
  return e;
}

static int clamp127(int e) { return e < -127 ? -127 : e > 127 ? 127 : e; }

static double urand(void)
{
  seed = seed * 6364136223846793005ul + 1442695040888963407ul;
  return (double)(seed >> 11) * 0x1p-53;
}

/* A float32 value: random sign, magnitude 2^[lo, hi) spread log-uniformly. */
static double rand_f32(int lo, int hi)
{
  double v = (float)ldexp(1 + urand(), (int)floor(lo + (hi - lo) * urand()));
  return urand() < 0.5 ? -v : v;
}

/* ---- spelling ---------------------------------------------------------------- */

static const struct {
  const char *name;
  const ref_fmt *elem;   /* NULL: MXINT8 */
  double emaxv;
  int emax, block, tensor;
  fp8_block_rule rule;
  double bits;
} presets[] = {
  {"mxfp8_e4m3", &R_E4M3, 448, 8, 32, 0, FP8_BLOCK_FLOOR, 8.25},
  {"mxfp8_e5m2", &R_E5M2, 57344, 15, 32, 0, FP8_BLOCK_FLOOR, 8.25},
  {"mxfp6_e3m2", &R_E3M2, 28, 4, 32, 0, FP8_BLOCK_FLOOR, 6.25},
  {"mxfp6_e2m3", &R_E2M3, 7.5, 2, 32, 0, FP8_BLOCK_FLOOR, 6.25},
  {"mxfp4_e2m1", &R_E2M1, 6, 2, 32, 0, FP8_BLOCK_FLOOR, 4.25},
  {"mxint8", NULL, 127.0 / 64, 0, 32, 0, FP8_BLOCK_FLOOR, 8.25},
  {"nvfp4", &R_E2M1, 6, 2, 16, 1, FP8_BLOCK_NEAREST, 4.5},
};
#define NP (sizeof presets / sizeof presets[0])

static const char *const mx_rules[] = {"floor", "ceil", "rceil"};

/* Preset p under power-of-two rule r (its spelling into sp). */
static fp8_block_format mx_rule(size_t p, int r, char *sp, size_t len)
{
  snprintf(sp, len, "%s:rule=%s", presets[p].name, mx_rules[r]);
  return get(sp);
}

/* The E8M0 exponent rule r gives preset p for a block max a: brute force,
 * clamped to 2^-127..2^127. */
static int ref_mx_exp(size_t p, int r, double a)
{
  return clamp127(r == 0 ? bf_floor(a) - presets[p].emax
                : r == 1 ? bf_ceil(a) - presets[p].emax
                         : bf_rceil(a, presets[p].emaxv));
}

START_TEST(presets_parse)
{
  ck_assert_uint_eq(fp8_block_preset_count(), NP);
  for (size_t i = 0; i < NP; i++) {
    ck_assert_str_eq(fp8_block_preset_name(i), presets[i].name);
    ck_assert(strlen(fp8_block_preset_note(i)) > 10 && strlen(fp8_block_preset_source(i)) > 10);
    fp8_block_format bf = get(presets[i].name);
    ck_assert(fp8_block_is_block_spelling(presets[i].name));
    ck_assert_msg(fp8_block_elem_max(&bf) == presets[i].emaxv, "%s", presets[i].name);
    ck_assert_int_eq(fp8_block_elem_emax(&bf), presets[i].emax);
    ck_assert_int_eq(bf.block, presets[i].block);
    ck_assert_int_eq(bf.tensor, presets[i].tensor);
    ck_assert_int_eq(bf.rule, presets[i].rule);
    ck_assert(fp8_block_bits_per_value(&bf) == presets[i].bits);
    int sbits = presets[i].tensor ? 7 : 8;
    ck_assert_int_eq(bf.scale.bits, sbits);
    char name[FP8_BLOCK_NAME_LEN];
    fp8_block_name(&bf, name, sizeof name);
    ck_assert_str_eq(name, presets[i].name);
  }
  ck_assert(!fp8_block_is_block_spelling("float8_e4m3fn"));
  ck_assert(!fp8_block_is_block_spelling("blocks"));
  ck_assert(fp8_block_is_block_spelling("block:elem=e2m1:none"));
}
END_TEST

/* Spellings, their canonical names, and that a name parses back to the same
 * fields and names itself. */
START_TEST(spellings_round_trip)
{
  static const char *const s[][2] = {
    {"mxfp8_e4m3:rule=rceil", "mxfp8_e4m3:rule=rceil"},
    {"mxfp8_e4m3:rule=floor", "mxfp8_e4m3"},
    {"nvfp4:block=32", "nvfp4:block=32"},
    {"nvfp4:rule=rceil:tensor=off", "nvfp4:rule=rceil:tensor=off"},
    {"mxfp4_e2m1:block=16:rule=ceil", "mxfp4_e2m1:block=16:rule=ceil"},
    {"block:elem=float4_e2m1fn:scale=ue4m3:block=16:rule=nearest:tensor=on", "nvfp4"},
    {"block:elem=e3m2:none:scale=ue8m0", "mxfp6_e3m2"},
    {"block:elem=int8:shift=-6", "mxint8"},
    {"block:elem=int8", "block:elem=int8:scale=ue8m0:fn:nozero:block=32:rule=floor"},
    {"block:elem=e4m3:fn:scale=fp16:block=8", "block:elem=e4m3:fn:scale=e5m10:ieee:block=8:rule=floor"},
    {"block:elem=e2m1:none:scale=ue4m3:rule=rceil:tensor=on:shift=3",
     "block:elem=e2m1:none:scale=ue4m3:fn:block=32:rule=rceil:tensor=on:shift=3"},
  };
  for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
    fp8_block_format a = get(s[i][0]), b;
    char n1[FP8_BLOCK_NAME_LEN], n2[FP8_BLOCK_NAME_LEN];
    fp8_block_name(&a, n1, sizeof n1);
    ck_assert_str_eq(n1, s[i][1]);
    b = get(n1);
    fp8_block_name(&b, n2, sizeof n2);
    ck_assert_str_eq(n1, n2);
    ck_assert(a.block == b.block && a.rule == b.rule && a.tensor == b.tensor && a.shift == b.shift);
    ck_assert(a.elem.bits == b.elem.bits && a.elem.ebits == b.elem.ebits && a.elem.bias == b.elem.bias);
    ck_assert(a.scale.bits == b.scale.bits && a.scale.ebits == b.scale.ebits && a.scale.bias == b.scale.bias);
  }
}
END_TEST

/* Bad spellings: refused, with a message that names the bad part. */
START_TEST(spellings_bad)
{
  static const char *const s[][2] = {
    {"", "empty"},
    {"mxfp9", "'mxfp9'"},
    {"mxfp9:rule=ceil", "'mxfp9'"},
    {"block", "no elem="},
    {"block:block=16", "no elem="},
    {"mxfp8_e4m3:rule=round", "rule=round"},
    {"mxfp8_e4m3:block=0", "block=0"},
    {"mxfp8_e4m3:block=4097", "block=4097"},
    {"mxfp8_e4m3:block=3x", "block=3x"},
    {"mxfp8_e4m3:elem=fp32", "32 bits"},
    {"mxfp8_e4m3:elem=ue4m3", "unsigned"},
    {"mxfp8_e4m3:scale=int8", "integer"},
    {"mxfp8_e4m3:elem=e9m9", "elem=e9m9"},
    {"mxfp8_e4m3:foo=1", "'foo=1'"},
    {"mxfp8_e4m3:rule", "'rule'"},
    {"mxfp8_e4m3:tensor=yes", "tensor=yes"},
    {"mxfp8_e4m3:shift=65", "shift=65"},
    {"mxfp8_e4m3:", "empty part"},
    {"mxfp8_e4m3::rule=ceil", "empty part"},
    {"mxfp8_e4m3:rule=ceil:rule=floor", "rule= given twice"},
  };
  for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
    fp8_block_format bf;
    char err[256] = "";
    ck_assert_msg(fp8_block_parse(s[i][0], &bf, err, sizeof err) == -1, "'%s' accepted", s[i][0]);
    ck_assert_msg(strstr(err, s[i][1]) != NULL, "'%s': message '%s' lacks '%s'", s[i][0], err, s[i][1]);
  }
}
END_TEST

/* ---- scale choice -------------------------------------------------------------- */

/* Block maxima exactly on 2^k, one ulp below and one above, under every
 * power-of-two rule, for every MX preset: the E8M0 code against the brute-force
 * exponent, clamped to 2^-127..2^127. */
START_TEST(scale_powers_of_two)
{
  for (size_t p = 0; p < NP; p++)
    for (int r = 0; r < 3 && !presets[p].tensor; r++) {
      char sp[64];
      fp8_block_format bf = mx_rule(p, r, sp, sizeof sp);
      for (int k = -150; k <= 150; k++) {
        double a[3] = {ldexp(1, k), nextafter(ldexp(1, k), 0), nextafter(ldexp(1, k), INFINITY)};
        for (int j = 0; j < 3; j++) {
          int e = ref_mx_exp(p, r, a[j]);
          uint32_t got = fp8_block_scale_code(&bf, a[j], 1.0);
          ck_assert_msg(got == e8m0(e), "%s amax %a: code %u, expected 2^%d", sp, a[j], (unsigned)got, e);
          ck_assert(fp8_block_scale_value(&bf, got, 1.0) == ldexp(1, e));
        }
      }
    }
  /* hand-computed: MXFP8 E4M3 (emax 8) */
  fp8_block_format f = get("mxfp8_e4m3");
  ck_assert_uint_eq(fp8_block_scale_code(&f, 448, 1), 127);        /* 2^0 */
  ck_assert_uint_eq(fp8_block_scale_code(&f, 512, 1), 128);        /* 2^1 */
  ck_assert_uint_eq(fp8_block_scale_code(&f, 511.99, 1), 127);
  ck_assert_uint_eq(fp8_block_scale_code(&f, 0x1p135, 1), 254);    /* 2^127: the top */
  ck_assert_uint_eq(fp8_block_scale_code(&f, 0x1p136, 1), 254);    /* clamped */
  ck_assert_uint_eq(fp8_block_scale_code(&f, 0x1p-119, 1), 0);     /* 2^-127: the bottom */
  ck_assert_uint_eq(fp8_block_scale_code(&f, 0x1p-120, 1), 0);     /* clamped */
  ck_assert_uint_eq(fp8_block_scale_code(&f, -512, 1), 128);       /* magnitude */
  f = get("mxfp8_e4m3:rule=rceil");
  ck_assert_uint_eq(fp8_block_scale_code(&f, 448, 1), 127);        /* 448 / 1 fits */
  ck_assert_uint_eq(fp8_block_scale_code(&f, nextafter(448, 1000), 1), 128);
  ck_assert_uint_eq(fp8_block_scale_code(&f, 512, 1), 128);        /* 512 / 2 = 256 */
  ck_assert(fp8_block_scale_value(&f, 255, 1) != fp8_block_scale_value(&f, 255, 1));  /* NaN */
}
END_TEST

/* All-zero blocks: the smallest scale (E8M0 2^-127; NVFP4 zero), zero codes. */
START_TEST(zero_blocks)
{
  double x[32] = {0}, out[32];
  uint32_t c[32];
  x[3] = -0.0;
  for (size_t p = 0; p < NP; p++) {
    fp8_block_format bf = get(presets[p].name);
    uint32_t sc = fp8_block_encode(&bf, 1.0, x, (size_t)bf.block, c, NULL, NULL);
    ck_assert_uint_eq(sc, 0);   /* E8M0 0x00 = 2^-127, UE4M3 0x00 = 0 */
    ck_assert(fp8_block_scale_value(&bf, sc, 1.0) == (presets[p].tensor ? 0 : 0x1p-127));
    fp8_block_decode(&bf, 1.0, sc, c, (size_t)bf.block, out);
    for (int i = 0; i < bf.block; i++) {
      ck_assert(out[i] == 0);
      ck_assert_uint_eq(c[i] & ~(1u << (bf.elem.bits - 1)), 0);   /* +0 or -0 */
    }
  }
  /* every rule */
  fp8_block_format f = get("mxfp4_e2m1:rule=nearest");
  ck_assert_uint_eq(fp8_block_scale_code(&f, 0, 1), 0);   /* E8M0 has no zero: 2^-127 */
  f = get("nvfp4:rule=rceil");
  ck_assert_uint_eq(fp8_block_scale_code(&f, 0, 1), 1);   /* the smallest positive, 2^-9 */
}
END_TEST

/* A block whose max saturates under floor and not under rceil. */
START_TEST(saturation_floor_not_rceil)
{
  static const struct { const char *p; const ref_fmt *f; double amax; } t[] = {
    {"mxfp8_e4m3", &R_E4M3, 511}, {"mxfp8_e5m2", &R_E5M2, 65000}, {"mxfp6_e3m2", &R_E3M2, 31.5},
    {"mxfp6_e2m3", &R_E2M3, 7.9}, {"mxfp4_e2m1", &R_E2M1, 7.9},
  };
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
    double x[4] = {t[i].amax, -t[i].amax, 1.0, -0.25};
    uint32_t c[4];
    unsigned fl = 0;
    fp8_block_format bf = get(t[i].p);
    uint32_t sc = fp8_block_encode(&bf, 1, x, 4, c, NULL, &fl);
    ck_assert_uint_eq(sc, 127);   /* X = 1: amax < 2^(emax+1) */
    double g[2048];
    int n = ref_grid(t[i].f, g);
    ck_assert_uint_eq(c[0], (uint32_t)(n - 1));                            /* +max */
    ck_assert_uint_eq(c[1], (uint32_t)(n - 1) | 1u << (t[i].f->bits - 1)); /* -max */
    ck_assert(fl & FP8_FLAG_OVERFLOW);
    char sp[64];
    snprintf(sp, sizeof sp, "%s:rule=rceil", t[i].p);
    bf = get(sp);
    fl = 0;
    sc = fp8_block_encode(&bf, 1, x, 4, c, NULL, &fl);
    ck_assert_uint_eq(sc, 128);   /* X = 2 */
    ck_assert(!(fl & FP8_FLAG_OVERFLOW));
    for (int j = 0; j < 4; j++)
      ck_assert_uint_eq(c[j], ref_round(t[i].f, x[j], 2));
    ck_assert_uint_lt(c[0], (uint32_t)(n - 1) + 1);
  }
}
END_TEST

/* E8M0's limits: a block beyond 2^127 * Emax saturates its elements; one far
 * below 2^-127 flushes them. */
START_TEST(e8m0_limits)
{
  fp8_block_format bf = get("mxfp8_e4m3");
  double x[3] = {0x1p200, 0x1p136, 0x1p134};
  uint32_t c[3];
  ck_assert_uint_eq(fp8_block_encode(&bf, 1, x, 3, c, NULL, NULL), 254);
  ck_assert_uint_eq(c[0], 0x7e);   /* 448 */
  ck_assert_uint_eq(c[1], 0x7e);   /* 2^9 > 448 */
  ck_assert_uint_eq(c[2], ref_round(&R_E4M3, x[2], 0x1p127));   /* 2^7 exactly */
  ck_assert_uint_eq(c[2], 0x70);
  double y[3] = {0x1p-130, -0x1p-133, 0x1p-140};
  ck_assert_uint_eq(fp8_block_encode(&bf, 1, y, 3, c, NULL, NULL), 0);
  ck_assert_uint_eq(c[0], 0x20);   /* 2^-3 = 0.0100.000 */
  ck_assert_uint_eq(c[1], 0x80 | 0x08);   /* -2^-6: min normal */
  ck_assert_uint_eq(c[2], 0);      /* 2^-13 < half the min subnormal 2^-9 */
}
END_TEST

/* NaN or Inf anywhere in a block: the NaN scale, zero codes, NaN values. */
START_TEST(nan_inf_blocks)
{
  const double bad[3] = {NAN, INFINITY, -INFINITY};
  for (size_t p = 0; p < NP; p++)
    for (int k = 0; k < 3; k++) {
      fp8_block_format bf = get(presets[p].name);
      double x[5] = {1, -2, 3, 4, 5}, out[5];
      uint32_t c[5];
      x[2] = bad[k];
      uint32_t sc = fp8_block_encode(&bf, 1, x, 5, c, NULL, NULL);
      ck_assert_uint_eq(sc, presets[p].tensor ? 0x7f : 0xff);   /* UE4M3 / E8M0 NaN */
      fp8_block_decode(&bf, 1, sc, c, 5, out);
      for (int i = 0; i < 5; i++) {
        ck_assert_uint_eq(c[i], 0);
        ck_assert(isnan(out[i]));
      }
    }
}
END_TEST

/* Random blocks of float32 values under floor, ceil and rceil for every MX
 * preset: codes against the reference scale and element rounding; short
 * blocks included. */
START_TEST(random_mx_blocks)
{
  for (size_t p = 0; p < NP; p++)
    for (int r = 0; r < 3 && !presets[p].tensor; r++) {
      char sp[64];
      fp8_block_format bf = mx_rule(p, r, sp, sizeof sp);
      for (int trial = 0; trial < 400; trial++) {
        double x[32], out[32];
        uint32_t c[32];
        size_t len = trial % 5 == 0 ? 1 + (size_t)(urand() * 31) : 32;
        int spread = 1 + (int)(urand() * 20), lo = -145 + (int)(urand() * (272 - spread));
        double amax = 0;
        for (size_t i = 0; i < len; i++) {
          x[i] = urand() < 0.05 ? 0 : rand_f32(lo, lo + spread);
          amax = fmax(amax, fabs(x[i]));
        }
        if (trial % 7 == 0)   /* a max on a power of two, or just below */
          x[0] = amax = trial % 14 ? ldexp(1, lo + spread) : (float)nextafterf((float)ldexp(1, lo + spread), 0);
        if (!(amax > 0))
          continue;
        int e = ref_mx_exp(p, r, amax);
        unsigned fl = 0, each[32], fl_each = 0;
        uint32_t sc = fp8_block_encode(&bf, 1, x, len, c, NULL, &fl), c2[32];
        /* the element-by-element path (per-value flags) gives the same codes and flags */
        ck_assert_uint_eq(fp8_block_encode_each(&bf, 1, x, len, c2, NULL, each), sc);
        for (size_t i = 0; i < len; i++) {
          ck_assert_uint_eq(c2[i], c[i]);
          fl_each |= each[i];
        }
        ck_assert_uint_eq(fl_each, fl);
        ck_assert_msg(sc == e8m0(e), "%s trial %d: scale code %u, expected %u", sp, trial, (unsigned)sc,
                      (unsigned)e8m0(e));
        double X = ldexp(1, e);
        for (size_t i = 0; i < len; i++) {
          uint32_t want = presets[p].elem ? ref_round(presets[p].elem, x[i], X) : ref_int8(x[i], X);
          ck_assert_msg(c[i] == want, "%s trial %d: x = %a, X = 2^%d: code 0x%x, expected 0x%x", sp, trial,
                        x[i], e, (unsigned)c[i], (unsigned)want);
        }
        fp8_block_decode(&bf, 1, sc, c, len, out);
        for (size_t i = 0; i < len; i++) {
          double g[2048];
          if (!presets[p].elem)
            continue;
          ref_grid(presets[p].elem, g);
          uint32_t sb = 1u << (presets[p].elem->bits - 1);
          double v = g[c[i] & (sb - 1)] * X;
          ck_assert(out[i] == ((c[i] & sb) ? -v : v));
        }
      }
    }
}
END_TEST

/* MXINT8: the implicit 2^-6, saturation at +-127 (never -128). */
START_TEST(mxint8)
{
  fp8_block_format bf = get("mxint8");
  double x[6] = {1.0, 1.5, -1.0, 1.999, -1.999, 1.0 / 128}, out[6], z[2] = {-1.98, -1.984375};
  uint32_t c[6];
  unsigned fl = 0;
  ck_assert_uint_eq(fp8_block_encode(&bf, 1, x, 6, c, NULL, &fl), 127);   /* X = 1 */
  ck_assert_uint_eq(c[0], 64);
  ck_assert_uint_eq(c[1], 96);
  ck_assert_uint_eq(c[2], 0xc0);   /* -64 */
  ck_assert_uint_eq(c[3], 127);    /* 127.936 saturates */
  ck_assert_uint_eq(c[4], 0x81);   /* -127.936 saturates to -127: -128 is below -max */
  ck_assert_uint_eq(c[5], 0);      /* 0.5: a tie, to even 0 */
  ck_assert(fl & FP8_FLAG_OVERFLOW);
  fp8_block_decode(&bf, 1, 127, c, 6, out);
  ck_assert(out[0] == 1 && out[1] == 1.5 && out[2] == -1 && out[3] == 127.0 / 64 && out[4] == -127.0 / 64);
  fl = 0;   /* -126.72 -> -127 (inexact only); -127 exact */
  ck_assert_uint_eq(fp8_block_encode(&bf, 1, z, 2, c, NULL, &fl), 127);
  ck_assert_uint_eq(c[0], 0x81);
  ck_assert_uint_eq(c[1], 0x81);
  ck_assert_uint_eq(fl, FP8_FLAG_INEXACT);
  float w[3] = {-1.99609375f, 1.5f, -0.5f};   /* float32 inputs: -127.75 -> -127, not -128 */
  double wd[3] = {w[0], w[1], w[2]};
  fl = 0;
  ck_assert_uint_eq(fp8_block_encode(&bf, 1, wd, 3, c, NULL, &fl), 127);
  ck_assert_uint_eq(c[0], 0x81);
  ck_assert_uint_eq(c[1], 96);
  ck_assert_uint_eq(c[2], 0xe0);
  ck_assert(fl & FP8_FLAG_OVERFLOW);
  double y[2] = {3.0, 0.75};   /* X = 2: 3 / 2 * 64 = 96, 0.75 / 2 * 64 = 24 */
  ck_assert_uint_eq(fp8_block_encode(&bf, 1, y, 2, c, NULL, NULL), 128);
  ck_assert_uint_eq(c[0], 96);
  ck_assert_uint_eq(c[1], 24);
}
END_TEST

/* NVFP4: T = fp32(amax_tensor / 2688), the block scale amax_block / (6 T)
 * rounded to nearest even in UE4M3 (saturating at 448, zero below half of
 * 2^-9), elements RNE of x / (S T), saturating at 6. */
START_TEST(nvfp4_two_level)
{
  fp8_block_format bf = get("nvfp4");
  ck_assert(fp8_block_tensor_scale(&bf, 2688) == 1);
  ck_assert(fp8_block_tensor_scale(&bf, 1) == (double)(float)(1.0 / 2688));
  ck_assert(fp8_block_tensor_scale(&bf, 0) == 1);
  ck_assert(fp8_block_tensor_scale(&bf, INFINITY) == 1);
  ck_assert(fp8_block_tensor_scale(&bf, 1e-300) == FLT_TRUE_MIN);
  ck_assert(fp8_block_tensor_scale(&bf, 1e300) == FLT_MAX);
  fp8_block_format mx = get("mxfp8_e4m3");
  ck_assert(fp8_block_tensor_scale(&mx, 1e5) == 1);
  /* the zero block scale: amax / 6 below 2^-10 (half the smallest UE4M3) */
  ck_assert_uint_eq(fp8_block_scale_code(&bf, 6 * 0x1p-11, 1), 0);
  ck_assert_uint_eq(fp8_block_scale_code(&bf, 6 * 0x1p-10, 1), 0);   /* tie: even 0 */
  ck_assert_uint_eq(fp8_block_scale_code(&bf, nextafter(6 * 0x1p-10, 1), 1), 1);
  ck_assert_uint_eq(fp8_block_scale_code(&bf, 6 * 448.0, 1), 0x7e);
  ck_assert_uint_eq(fp8_block_scale_code(&bf, 6 * 1000.0, 1), 0x7e);   /* saturates */
  double x[16] = {0x1p-20, -0x1p-21}, out[16];
  uint32_t c[16];
  ck_assert_uint_eq(fp8_block_encode(&bf, 1, x, 2, c, NULL, NULL), 0);
  fp8_block_decode(&bf, 1, 0, c, 2, out);
  ck_assert(out[0] == 0 && out[1] == 0);
  /* random tensors of random blocks (double inputs: 53 bits) */
  for (int trial = 0; trial < 300; trial++) {
    double v[64];
    int lo = -30 + (int)(urand() * 60);
    double amax = 0;
    for (int i = 0; i < 64; i++) {
      v[i] = ldexp(urand() * 2 - 1, lo + (int)(urand() * 12));
      amax = fmax(amax, fabs(v[i]));
    }
    double T = (float)(amax / 2688);
    ck_assert(fp8_block_tensor_scale(&bf, amax) == T);
    for (int b = 0; b < 64; b += 16) {
      size_t len = trial % 3 == 0 && b == 48 ? 5 : 16;
      double ba = 0;
      for (size_t i = 0; i < len; i++)
        ba = fmax(ba, fabs(v[b + i]));
      /* S: nearest in UE4M3 to ba / (6 T), compared exactly as ba vs mid * 6T */
      uint32_t want_s = ref_round(&R_UE4M3, ba, 6 * T);
      uint32_t sc = fp8_block_encode(&bf, T, v + b, len, c, NULL, NULL);
      ck_assert_msg(sc == want_s, "trial %d block %d: S code 0x%x, expected 0x%x", trial, b, (unsigned)sc,
                    (unsigned)want_s);
      double g[256];
      ref_grid(&R_UE4M3, g);
      double D = g[sc] * T;
      if (ba == amax)
        ck_assert_uint_eq(sc, 0x7e);   /* the tensor's max block takes S = 448 */
      for (size_t i = 0; i < len; i++) {
        uint32_t want = D > 0 ? ref_round(&R_E2M1, v[b + i], D) : 0;
        ck_assert_msg(c[i] == want, "trial %d: x = %a, D = %a: 0x%x, expected 0x%x", trial, v[b + i], D,
                      (unsigned)c[i], (unsigned)want);
      }
    }
  }
}
END_TEST

/* Rows with a short last block: each block's scale from its own values. */
START_TEST(rows_short_last_block)
{
  fp8_block_format bf = get("mxfp4_e2m1");
  enum { ROWS = 3, LEN = 70 };
  double in[ROWS * LEN], out[ROWS * LEN];
  for (int i = 0; i < ROWS * LEN; i++)
    in[i] = rand_f32(-3, 5);
  in[LEN - 1] = 100;       /* only the last (6-value) block of row 0 sees it */
  fp8_block_quant_rows(&bf, 1, in, out, ROWS, LEN, NULL, NULL);
  for (int r = 0; r < ROWS; r++)
    for (int j = 0; j < LEN; j += 32) {
      int n = LEN - j < 32 ? LEN - j : 32;
      double amax = 0;
      for (int i = 0; i < n; i++)
        amax = fmax(amax, fabs(in[r * LEN + j + i]));
      double X = ldexp(1, clamp127(bf_floor(amax) - 2)), g[16];
      ref_grid(&R_E2M1, g);
      for (int i = 0; i < n; i++) {
        double x = in[r * LEN + j + i];
        uint32_t c = ref_round(&R_E2M1, x, X);
        double want = (c & 8 ? -1 : 1) * g[c & 7] * X;
        ck_assert_msg(out[r * LEN + j + i] == want, "row %d col %d: %g, expected %g", r, j + i,
                      out[r * LEN + j + i], want);
      }
    }
  ck_assert(out[LEN - 1] == 96);   /* 100 / 2^4 = 6.25 -> 6 */
  /* in place */
  fp8_block_quant_rows(&bf, 1, in, in, ROWS, LEN, NULL, NULL);
  ck_assert(!memcmp(in, out, sizeof in));
}
END_TEST

/* A tensor scale with the power-of-two rules: the scale value is 2^e with e
 * = floor(log2(amax / T)) - emax, decided exactly. */
START_TEST(tensor_scale_floor)
{
  fp8_block_format bf = get("nvfp4:rule=floor");
  double T = (float)(1.0 / 3);
  for (int k = -20; k <= 20; k++) {
    double a[3] = {ldexp(T, k), nextafter(ldexp(T, k), 0), nextafter(ldexp(T, k), 1e9)};
    for (int j = 0; j < 3; j++) {
      int e = -200;
      while (ldexp(T, e + 1) <= a[j]) e++;
      e -= 2;
      if (e < -9) e = -9;   /* UE4M3's smallest power of two */
      if (e > 8) e = 8;
      uint32_t sc = fp8_block_scale_code(&bf, a[j], T);
      ck_assert_msg(fp8_block_scale_value(&bf, sc, 1) == ldexp(1, e), "amax %a: 2^%d expected", a[j], e);
    }
  }
}
END_TEST

/* An operand with no block scale (fp8_block_from_format) is the plain
 * format: its values are the element codes' own (hand-computed E4M3 codes,
 * OCP 8-bit FP: 1.0 = 0x38, 448 = 0x7e, NaN 0x7f), saturating beyond 448 as
 * block elements do, with no scales written and rows longer than
 * FP8_BLOCK_MAX in one piece. */
START_TEST(plain_operand)
{
  fp8_format f;
  char err[256];
  ck_assert_msg(fp8_format_parse("float8_e4m3fn", &f, err, sizeof err) == 0, "%s", err);
  fp8_block_format bf;
  fp8_block_from_format(&f, &bf);
  ck_assert(!fp8_block_is_scaled(&bf));
  ck_assert_int_eq(bf.block, FP8_BLOCK_NONE);
  ck_assert_str_eq(bf.name, f.name);
  ck_assert(fp8_block_bits_per_value(&bf) == 8);
  ck_assert_uint_eq(fp8_block_nscales(&bf, 1000), 0);
  ck_assert(fp8_block_tensor_scale(&bf, 1e6) == 1);
  ck_assert(fp8_block_elem_max(&bf) == 448);
  /* 1 + 2^-4 ties to 1.0 (even), 1 + 3 * 2^-4 to 1.25; -Inf and 1000 saturate */
  const double x[8] = {1.0, 448, 1000, NAN, 1 + 0x1p-4, 1 + 3 * 0x1p-4, -INFINITY, 0x1p-9};
  const uint32_t want[8] = {0x38, 0x7e, 0x7e, 0x7f, 0x38, 0x3a, 0xfe, 0x01};
  uint32_t codes[8];
  unsigned flags = 0;
  ck_assert_uint_eq(fp8_block_encode(&bf, 1, x, 8, codes, NULL, &flags), 0);
  for (int i = 0; i < 8; i++)
    ck_assert_msg((codes[i] & 0x7f) == (want[i] & 0x7f) && (i == 3 || codes[i] == want[i]),
                  "x[%d] = %a: code 0x%x, expected 0x%x", i, x[i], codes[i], want[i]);
  ck_assert(flags & FP8_FLAG_OVERFLOW);
  /* rows longer than FP8_BLOCK_MAX: every value its own code, no scale */
  const size_t len = FP8_BLOCK_MAX + 7;
  double *in = malloc(len * sizeof *in), *out = malloc(len * sizeof *out);
  uint32_t *c = malloc(len * sizeof *c), scale_guard = 0xdeadbeef;
  ck_assert(in && out && c);
  for (size_t i = 0; i < len; i++)
    in[i] = ldexp((double)(8 + i % 8), (int)(i % 13) - 9);   /* 1.mmm * 2^e, on the grid */
  fp8_block_encode_rows(&bf, 1, in, 1, len, c, &scale_guard, NULL, NULL);
  ck_assert_uint_eq(scale_guard, 0xdeadbeef);
  fp8_block_decode_rows(&bf, 1, c, NULL, 1, len, out);
  for (size_t i = 0; i < len; i++)
    ck_assert_msg(out[i] == in[i], "value %zu: %a, expected %a", i, out[i], in[i]);
  fp8_block_quant_rows(&bf, 1, in, out, 1, len, NULL, NULL);
  for (size_t i = 0; i < len; i++)
    ck_assert_msg(out[i] == in[i], "quant %zu: %a, expected %a", i, out[i], in[i]);
  free(in);
  free(out);
  free(c);
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("block");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, presets_parse);
  tcase_add_test(tc, spellings_round_trip);
  tcase_add_test(tc, spellings_bad);
  tcase_add_test(tc, scale_powers_of_two);
  tcase_add_test(tc, zero_blocks);
  tcase_add_test(tc, saturation_floor_not_rceil);
  tcase_add_test(tc, e8m0_limits);
  tcase_add_test(tc, nan_inf_blocks);
  tcase_add_test(tc, random_mx_blocks);
  tcase_add_test(tc, mxint8);
  tcase_add_test(tc, nvfp4_two_level);
  tcase_add_test(tc, rows_short_last_block);
  tcase_add_test(tc, tensor_scale_floor);
  tcase_add_test(tc, plain_operand);
  suite_add_tcase(s, tc);
  return s;
}

int main(void)
{
  printf("test_block: seed %lu\n", seed);
  return fp8_check_run(suite());
}
