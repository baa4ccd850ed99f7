/* test_mac.c - the golden MAC model against independent oracles:
 *   exact products: all 65,536 pairs of every preset of at most 8 bits against
 *     the product of the two decoded values (exact in double);
 *   Kulisch: a bit-by-bit ripple-carry adder of W+1 bits (any width up to 256)
 *     and __int128 sums, with wrap and sticky flags from their definitions;
 *   the batch call against single steps; spec and allocation errors.
 * (fp32 accumulation against fmaf is test_mac_fp32.c.)
 * Randomised parts print their seed; FP8LAB_SEED overrides it and
 * FP8LAB_LEVEL (default 1) multiplies the step counts. */
#include <math.h>
#include <string.h>

#include "mac_test_util.h"

static const char *const small_presets[] = {
  "int8", "int8-sm", "fp8-e2", "fp8-e3", "fp8-e4", "fp8-e5", "float8_e4m3fn", "float8_e5m2",
  "float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e4m3b11fnuz", "float8_e3m4", "float8_e4m3",
  "float6_e2m3fn", "float6_e3m2fn", "float4_e2m1fn", "e3m2:ieee:nosub", "int4"};
#define NSMALL (sizeof small_presets / sizeof small_presets[0])

/* ---- exact products ------------------------------------------------------------- */

START_TEST(products_exhaustive)
{
  fp8_format f = get(small_presets[_i]);
  fp8_mac *m = unit(&f, NULL, "kulisch", 0);
  uint32_t n = fp8_format_ncodes_minus1(&f) + 1;
  int fx = fp8_mac_product_bits(&f, &f), L = fp8_mac_product_lsb_exp(&f, &f);
  double maxmag = 0;
  for (uint32_t a = 0; a < n; a++)
    for (uint32_t b = 0; b < n; b++) {
      double want = fp8_codec_decode(&f, a) * fp8_codec_decode(&f, b);
      fp8_product p;
      fp8_mac_product(&f, a, &f, b, &p);
      fp8_mac_clear(m);
      fp8_mac_step(m, a, b);
      fp8_mac_state s;
      fp8_mac_get_state(m, &s);
      if (isnan(want)) {
        REQUIRE(p.cls == FP8_CLASS_NAN, "%s %02x*%02x: class %d, want NaN", f.name, a, b, p.cls);
        REQUIRE(s.flags == FP8_MAC_NAN, "%s %02x*%02x: flags", f.name, a, b);
        continue;
      }
      if (isinf(want)) {
        REQUIRE(p.cls == FP8_CLASS_INF && p.sign == (want < 0), "%s %02x*%02x", f.name, a, b);
        REQUIRE(s.flags == (want < 0 ? FP8_MAC_NINF : FP8_MAC_PINF), "%s %02x*%02x: flags", f.name, a, b);
        continue;
      }
      double got = p.cls == FP8_CLASS_ZERO ? 0.0 : ldexp((double)p.sig, p.exp);
      if (p.sign)
        got = -got;
      REQUIRE(got == want && signbit(got) == signbit(want),
                    "%s %02x*%02x: product %.17g, want %.17g", f.name, a, b, got, want);
      REQUIRE(fp8_mac_value(m) == want, "%s %02x*%02x: Kulisch %.17g, want %.17g", f.name, a,
                    b, fp8_mac_value(m), want);
      REQUIRE(s.flags == 0, "%s %02x*%02x: flags", f.name, a, b);
      /* In units of 2^L the product is an integer of FX bits, two's complement. */
      double units = ldexp(fabs(want), -L);
      REQUIRE(units == floor(units), "%s %02x*%02x below the LSB", f.name, a, b);
      REQUIRE(want < 0 ? units <= ldexp(1, fx - 1) : units < ldexp(1, fx - 1),
                    "%s %02x*%02x does not fit %d bits", f.name, a, b, fx);
      if (units > maxmag)
        maxmag = units;
    }
  /* ... and FX is not wider than it must be (one spare bit allowed for M = 0). */
  REQUIRE(maxmag >= ldexp(1, fx - 3), "%s: FX %d wider than the largest product needs", f.name, fx);
  fp8_mac_free(m);
}
END_TEST

/* The default widths. */
START_TEST(default_widths)
{
  static const struct { const char *f; int w; } t[] = {
    {"int8-sm", 27}, {"int8", 28}, {"fp8-e4", 49}, {"fp8-e5", 79}, {"float8_e5m2", 77}};
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
    fp8_format f = get(t[i].f);
    fp8_mac *m = unit(&f, NULL, "kulisch", 0);
    ck_assert_msg(fp8_mac_width(m) == t[i].w, "%s: W %d, want %d", t[i].f, fp8_mac_width(m), t[i].w);
    fp8_mac_free(m);
  }
}
END_TEST

/* ---- Kulisch against a ripple-carry adder of bits ------------------------------- */

typedef struct bits_acc {
  int w;
  unsigned char b[FP8_MAC_KULISCH_MAX_BITS + 1];
  unsigned flags;
} bits_acc;

/* acc <- acc + p, with p an exact integer (|p| < 2^126) and W+1-bit arithmetic. */
static void bits_add(bits_acc *x, __int128 p)
{
  int w = x->w;
  unsigned char ext[FP8_MAC_KULISCH_MAX_BITS + 1], pb[FP8_MAC_KULISCH_MAX_BITS + 1];
  for (int i = 0; i <= w; i++) {
    ext[i] = i < w ? x->b[i] : x->b[w - 1];
    pb[i] = i < 127 ? (unsigned char)((p >> i) & 1) : (unsigned char)(p < 0);
  }
  int carry = 0;
  unsigned char s[FP8_MAC_KULISCH_MAX_BITS + 1];
  for (int i = 0; i <= w; i++) {
    int t = ext[i] + pb[i] + carry;
    s[i] = (unsigned char)(t & 1);
    carry = t >> 1;
  }
  if (s[w] != s[w - 1])
    x->flags |= FP8_MAC_WRAP;
  memcpy(x->b, s, (size_t)w);
}

static void bits_special(bits_acc *x, double prod)
{
  if (isnan(prod))
    x->flags |= FP8_MAC_NAN;
  else if (isinf(prod))
    x->flags |= prod < 0 ? FP8_MAC_NINF : FP8_MAC_PINF;
  if ((x->flags & FP8_MAC_PINF) && (x->flags & FP8_MAC_NINF))
    x->flags |= FP8_MAC_NAN;
}

static void bits_compare(const bits_acc *x, const fp8_mac_state *s, const char *what, long step)
{
  for (int i = 0; i < FP8_MAC_KULISCH_MAX_BITS; i++) {
    int want = i < x->w ? x->b[i] : 0;
    int got = (int)(s->acc[i / 64] >> (i % 64) & 1);
    REQUIRE(got == want, "%s step %ld: bit %d is %d, want %d (seed %lu)", what, step, i, got,
                  want, test_seed);
  }
  REQUIRE(s->flags == x->flags, "%s step %ld: flags 0x%x, want 0x%x (seed %lu)", what, step,
                s->flags, x->flags, test_seed);
}

/* A random W-bit state, biased to the edges: near +max, near -max, near 0. */
static void random_state(bits_acc *x, fp8_mac_state *s)
{
  int kind = (int)(rnd() % 4);
  for (int i = 0; i < x->w; i++) {
    int bit = (int)(rnd() & 1);
    if (kind == 1 && i < x->w - 1 && i > 3)
      bit = 1;                               /* just below +max */
    if (kind == 1 && i == x->w - 1)
      bit = 0;
    if (kind == 2 && i > 3)
      bit = i == x->w - 1;                   /* just above -max */
    if (kind == 3 && i > 8)
      bit = (int)(rnd() % 2) ? x->b[i] : 0;
    x->b[i] = (unsigned char)bit;
  }
  x->flags = (unsigned)(rnd() % 8 == 0 ? FP8_MAC_WRAP : 0);
  memset(s, 0, sizeof *s);
  for (int i = 0; i < x->w; i++)
    s->acc[i / 64] |= (uint64_t)x->b[i] << (i % 64);
  s->flags = x->flags;
}

static void kulisch_vs_bits(const fp8_format *fa, const fp8_format *fb, int width, long steps)
{
  fp8_mac *m = unit(fa, fb, "kulisch", width);
  bits_acc x = {.w = fp8_mac_width(m)};
  int L = fp8_mac_lsb_exp(m);
  uint32_t na = fp8_format_ncodes_minus1(fa), nb = fp8_format_ncodes_minus1(fb);
  char what[128];
  snprintf(what, sizeof what, "%s x %s kulisch:%d", fa->name, fb->name, x.w);
  fp8_mac_state s;
  for (long i = 0; i < steps; i++) {
    if (i % 200 == 0) {
      char err[200];
      random_state(&x, &s);
      REQUIRE(fp8_mac_set_state(m, &s, err, sizeof err) == 0, "%s", err);
    }
    uint32_t a = (uint32_t)rnd() & na, b = (uint32_t)rnd() & nb;
    if (rnd() % 4 == 0) {                    /* extreme products drive the wrap */
      a = fp8_format_max_code(fa) | (rnd() & 1 ? fp8_format_sign_bit(fa) : 0);
      b = fp8_format_max_code(fb);
      if (fa->ebits == 0 && fa->intenc == FP8_INT_TWOS && rnd() % 2)
        a = fp8_format_sign_bit(fa);         /* -2^M */
    }
    double prod = fp8_codec_decode(fa, a) * fp8_codec_decode(fb, b);
    fp8_mac_step(m, a, b);
    if (isfinite(prod))
      bits_add(&x, (__int128)ldexp(prod, -L));
    else
      bits_special(&x, prod);
    fp8_mac_get_state(m, &s);
    bits_compare(&x, &s, what, i);
  }
  fp8_mac_free(m);
}

START_TEST(kulisch_widths)
{
  fp8_format f = get(small_presets[_i]);
  int fx = fp8_mac_product_bits(&f, &f);
  const int widths[] = {0, fx, fx + 1, 62, 63, 64, 65, 126, 127, 128, 129, 160, 255, 256};
  for (size_t k = 0; k < sizeof widths / sizeof widths[0]; k++)
    if (widths[k] == 0 || widths[k] >= fx)
      kulisch_vs_bits(&f, &f, widths[k], 3000 * level);
}
END_TEST

START_TEST(kulisch_mixed)
{
  static const char *const pairs[][2] = {
    {"float8_e4m3fn", "float8_e5m2"}, {"fp8-e4", "int8"}, {"int8", "int8-sm"}, {"fp8-e5", "fp8-e2"},
    {"fp16", "float8_e4m3fn"}};
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
    fp8_format a = get(pairs[i][0]), b = get(pairs[i][1]);
    kulisch_vs_bits(&a, &b, 0, 20000 * level);
    kulisch_vs_bits(&a, &b, fp8_mac_product_bits(&a, &b), 5000 * level);
  }
}
END_TEST

/* Long runs through the batch call against an __int128 sum (no wrap at the
 * default widths for these lengths? checked: the sum is compared exactly). */
START_TEST(kulisch_batch_int128)
{
  fp8_format f = get(small_presets[_i]);
  fp8_mac *m = unit(&f, NULL, "kulisch", 0);
  int w = fp8_mac_width(m), L = fp8_mac_lsb_exp(m);
  size_t n = 1u << 16;
  uint8_t *a = malloc(n), *b = malloc(n);
  uint32_t mask = fp8_format_ncodes_minus1(&f);
  __int128 sum = 0;
  unsigned flags = 0;
  for (long rep = 0; rep < 8 * level; rep++) {
    for (size_t i = 0; i < n; i++) {
      a[i] = (uint8_t)(rnd() & mask);
      b[i] = (uint8_t)(rnd() & mask);
      double prod = fp8_codec_decode(&f, a[i]) * fp8_codec_decode(&f, b[i]);
      if (isnan(prod))
        flags |= FP8_MAC_NAN;
      else if (isinf(prod))
        flags |= prod < 0 ? FP8_MAC_NINF : FP8_MAC_PINF;
      else
        sum += (__int128)ldexp(prod, -L);
    }
    if ((flags & FP8_MAC_PINF) && (flags & FP8_MAC_NINF))
      flags |= FP8_MAC_NAN;
    fp8_mac_batch_u8(m, a, b, n);
  }
  fp8_mac_state s;
  fp8_mac_get_state(m, &s);
  __int128 lim = (__int128)1 << (w - 1);
  ck_assert_msg(sum >= -lim && sum < lim, "%s: test sum outside W bits (pick fewer steps)", f.name);
  unsigned __int128 want = (unsigned __int128)sum;
  if (w < 128)
    want &= ((unsigned __int128)1 << w) - 1;
  ck_assert_msg(s.acc[0] == (uint64_t)want && s.acc[1] == (uint64_t)(want >> 64) && !s.acc[2],
                "%s: batch sum differs (seed %lu)", f.name, test_seed);
  ck_assert_uint_eq(s.flags, flags);
  int64_t mant;
  int e;
  if (!(flags & (FP8_MAC_NAN | FP8_MAC_PINF | FP8_MAC_NINF)) && sum == (int64_t)sum) {
    ck_assert_int_eq(fp8_mac_scaled_int64(m, &mant, &e), 0);
    ck_assert(mant == (int64_t)sum && e == L);
  }
  free(a);
  free(b);
  fp8_mac_free(m);
}
END_TEST

/* Directed: wrap exactly at the boundary, carries across all words, flags. */
START_TEST(kulisch_directed)
{
  fp8_format i8 = get("int8");
  fp8_mac *m = unit(&i8, NULL, "kulisch", 16);
  fp8_mac_state s;
  fp8_mac_step(m, 0x80, 0x80);                /* +16384 fits 16 bits */
  fp8_mac_get_state(m, &s);
  ck_assert_uint_eq(s.acc[0], 0x4000);
  ck_assert_uint_eq(s.flags, 0);
  fp8_mac_step(m, 0x80, 0x80);                /* 32768 wraps to -32768 */
  fp8_mac_get_state(m, &s);
  ck_assert_uint_eq(s.acc[0], 0x8000);
  ck_assert_uint_eq(s.flags, FP8_MAC_WRAP);
  ck_assert(fp8_mac_value(m) == -32768.0);
  fp8_mac_clear(m);
  fp8_mac_get_state(m, &s);
  ck_assert(s.acc[0] == 0 && s.flags == 0);
  fp8_mac_free(m);

  m = unit(&i8, NULL, "kulisch", 200);
  fp8_mac_step(m, 0xff, 0x01);                /* -1: all 200 bits set */
  fp8_mac_get_state(m, &s);
  ck_assert(s.acc[0] == ~0ull && s.acc[1] == ~0ull && s.acc[2] == ~0ull && s.acc[3] == 0xff);
  char dec[64];
  fp8_mac_decimal(m, dec, sizeof dec);
  ck_assert_str_eq(dec, "-1");
  fp8_mac_step(m, 0x01, 0x01);                /* +1: carry through every word */
  fp8_mac_get_state(m, &s);
  ck_assert(s.acc[0] == 0 && s.acc[1] == 0 && s.acc[2] == 0 && s.acc[3] == 0 && s.flags == 0);
  fp8_mac_free(m);

  fp8_format e5 = get("float8_e5m2");
  m = unit(&e5, NULL, "kulisch", 0);
  fp8_mac_step(m, 0x3c, 0x3c);                /* 1 */
  fp8_mac_step(m, 0x7c, 0x3c);                /* +Inf */
  fp8_mac_get_state(m, &s);
  ck_assert_uint_eq(s.flags, FP8_MAC_PINF);
  ck_assert(fp8_mac_value(m) == INFINITY);
  fp8_mac_step(m, 0x7c, 0xbc);                /* -Inf as well: NaN */
  fp8_mac_get_state(m, &s);
  ck_assert_uint_eq(s.flags, FP8_MAC_PINF | FP8_MAC_NINF | FP8_MAC_NAN);
  ck_assert(isnan(fp8_mac_value(m)));
  ck_assert(fp8_mac_value(m) != fp8_mac_value(m));
  fp8_mac_clear(m);
  fp8_mac_step(m, 0x00, 0x7c);                /* 0 x Inf */
  fp8_mac_get_state(m, &s);
  ck_assert_uint_eq(s.flags, FP8_MAC_NAN);
  fp8_mac_free(m);
}
END_TEST

/* Readouts: exact decimal and one rounding, against hand-computed values. */
START_TEST(kulisch_readout)
{
  fp8_format e4 = get("fp8-e4"), h = get("fp16"), e4fn = get("float8_e4m3fn");
  fp8_mac *m = unit(&e4, NULL, "kulisch", 0);
  char dec[128];
  fp8_mac_step(m, 0x01, 0x01);                /* 2^-10 * 2^-10 = 2^-20 */
  fp8_mac_decimal(m, dec, sizeof dec);
  ck_assert_str_eq(dec, "0.00000095367431640625");
  fp8_mac_step(m, 0x7f, 0x7f);                /* + 240^2 */
  fp8_mac_decimal(m, dec, sizeof dec);
  ck_assert_str_eq(dec, "57600.00000095367431640625");
  unsigned fl = 0;
  ck_assert_uint_eq(fp8_mac_round(m, &h, NULL, &fl), 0x7b08);   /* 57600 in fp16, inexact */
  ck_assert_uint_eq(fl, FP8_FLAG_INEXACT);
  fl = 0;
  ck_assert_uint_eq(fp8_mac_round(m, &e4fn, NULL, &fl), 0x7e);  /* saturates at 448 */
  ck_assert(fl & FP8_FLAG_OVERFLOW);
  fp8_mac_step(m, 0xff, 0x7f);                /* - 240^2 */
  ck_assert(fp8_mac_value(m) == ldexp(1, -20));
  fp8_mac_step(m, 0x81, 0x01);                /* 0x81 = -2^-10: total 0 */
  fp8_mac_decimal(m, dec, sizeof dec);
  ck_assert_str_eq(dec, "0");
  fp8_mac_step(m, 0x81, 0x01);
  fp8_mac_decimal(m, dec, sizeof dec);
  ck_assert_str_eq(dec, "-0.00000095367431640625");
  fp8_mac_free(m);
  uint64_t w[4] = {5, 0, 0, 0};
  fp8_mac_decimal_string(dec, sizeof dec, 1, w, 4, 3);
  ck_assert_str_eq(dec, "-40");
  w[0] = 3;
  fp8_mac_decimal_string(dec, sizeof dec, 0, w, 4, -1);
  ck_assert_str_eq(dec, "1.5");
}
END_TEST

/* The batch call gives the same final state as single steps. */
START_TEST(batch_equals_steps)
{
  const char *accs[] = {"fp16", "bf16", "fp32", "fp16:ftz", "kulisch", "kulisch:100", "kulisch:200"};
  fp8_format f = get("float8_e5m2");
  size_t n = 20000;
  uint8_t *a = malloc(n), *b = malloc(n);
  for (size_t i = 0; i < n; i++) {
    a[i] = (uint8_t)rnd();
    b[i] = (uint8_t)rnd();
  }
  for (size_t k = 0; k < sizeof accs / sizeof accs[0]; k++) {
    fp8_mac *x = unit(&f, NULL, accs[k], 0), *y = unit(&f, NULL, accs[k], 0);
    for (size_t lo = 0; lo < n; lo += 997) {    /* uneven chunks, across the specials */
      size_t len = lo + 997 < n ? 997 : n - lo;
      fp8_mac_batch_u8(x, a + lo, b + lo, len);
      for (size_t i = lo; i < lo + len; i++)
        fp8_mac_step(y, a[i], b[i]);
      fp8_mac_state sx, sy;
      fp8_mac_get_state(x, &sx);
      fp8_mac_get_state(y, &sy);
      ck_assert_msg(memcmp(&sx, &sy, sizeof sx) == 0, "%s: batch and steps differ at %zu", accs[k], lo);
    }
    fp8_mac_free(x);
    fp8_mac_free(y);
  }
  free(a);
  free(b);
}
END_TEST

/* Specs and allocation errors name the bad value. */
START_TEST(spec_errors)
{
  fp8_acc_spec s;
  char err[320];
  ck_assert_int_eq(fp8_acc_spec_parse("fp17", &s, err, sizeof err), -1);
  ck_assert(strstr(err, "fp17") != NULL);
  ck_assert_int_eq(fp8_acc_spec_parse("kulisch:9999", &s, err, sizeof err), -1);
  ck_assert(strstr(err, "kulisch:9999") != NULL);
  ck_assert_int_eq(fp8_acc_spec_parse("float8_e4m3fn", &s, err, sizeof err), -1);
  ck_assert_int_eq(fp8_acc_spec_parse("fp16:nosub", &s, err, sizeof err), -1);
  ck_assert_int_eq(fp8_acc_spec_parse("kulisch:ftz", &s, err, sizeof err), -1);
  ck_assert_int_eq(fp8_acc_spec_parse("e6m9:ftz", &s, err, sizeof err), 0);
  ck_assert(s.kind == FP8_ACC_FP && s.ftz && s.fmt.ebits == 6 && s.fmt.mbits == 9);
}
END_TEST

START_TEST(alloc_errors)
{
  fp8_acc_spec s;
  char err[320];
  fp8_format e4 = get("fp8-e4"), bf = get("bf16"), f32 = get("fp32");
  ck_assert_int_eq(fp8_acc_spec_parse("kulisch:36", &s, err, sizeof err), 0);
  ck_assert(fp8_mac_alloc(&e4, NULL, &s, err, sizeof err) == NULL);  /* W < FX = 37 */
  ck_assert(strstr(err, "36") != NULL);
  ck_assert_int_eq(fp8_acc_spec_parse("kulisch", &s, err, sizeof err), 0);
  ck_assert(fp8_mac_alloc(&bf, NULL, &s, err, sizeof err) == NULL);  /* bf16 products: too wide */
  ck_assert(fp8_mac_alloc(&f32, NULL, &s, err, sizeof err) == NULL); /* inputs > 16 bits */
  /* a spec may name any width the gate model counts; the model simulates <= 256 */
  ck_assert_int_eq(fp8_acc_spec_parse("kulisch:999", &s, err, sizeof err), 0);
  ck_assert(fp8_mac_alloc(&e4, NULL, &s, err, sizeof err) == NULL);
  ck_assert(strstr(err, "999") != NULL);
  fp8_mac *m = unit(&e4, NULL, "kulisch", 0);
  fp8_mac_state st = {{1ull << 49, 0, 0, 0}, 0};
  ck_assert_int_eq(fp8_mac_set_state(m, &st, err, sizeof err), -1);
  st.acc[0] = 1;
  st.flags = FP8_MAC_INEXACT;
  ck_assert_int_eq(fp8_mac_set_state(m, &st, err, sizeof err), -1);
  fp8_mac_free(m);
}
END_TEST

/* ---- the shared facts (unit_facts.h), hand-computed ------------------------------ */

START_TEST(unit_facts)
{
  static const double x[] = {0.5, 1, 2, 3, 4, 5, 1024, 1025};
  static const int lg[] = {0, 0, 1, 2, 2, 3, 10, 11};
  for (size_t i = 0; i < sizeof x / sizeof x[0]; i++)
    ck_assert_msg(fp8_facts_ceil_log2(x[i]) == lg[i], "ceil(log2 %g) = %d, expected %d", x[i],
                  fp8_facts_ceil_log2(x[i]), lg[i]);
  /* float8_e4m3fn: emax 8, emin -6, M 3 -> 2 * 14 + 6; float8_e5m2: 2 * 29 + 4 */
  fp8_format e4 = get("float8_e4m3fn"), e5 = get("float8_e5m2");
  ck_assert_int_eq(fp8_facts_exact_window(&e4), 34);
  ck_assert_int_eq(fp8_facts_exact_window(&e5), 62);
  /* e5m2: max 7 * 2^13 over the LSB 2^-16 is 7 * 2^29; its square 49 * 2^58
   * takes 64 bits and a sign: FX 65, W = 65 + 12 */
  ck_assert_int_eq(fp8_facts_kulisch_width(&e5, &e5), 77);
  int inv;
  const fp8_class zi[4] = {FP8_CLASS_NORMAL, FP8_CLASS_INF, FP8_CLASS_NORMAL, FP8_CLASS_ZERO};
  ck_assert(fp8_facts_product_class(zi, 4, &inv) == FP8_CLASS_NAN && inv == 1);   /* 0 x Inf */
  const fp8_class nz[4] = {FP8_CLASS_NAN, FP8_CLASS_INF, FP8_CLASS_ZERO, FP8_CLASS_NORMAL};
  ck_assert(fp8_facts_product_class(nz, 4, &inv) == FP8_CLASS_NAN && inv == 0);   /* a NaN factor */
  const fp8_class in[4] = {FP8_CLASS_INF, FP8_CLASS_NORMAL, FP8_CLASS_SUBNORMAL, FP8_CLASS_NORMAL};
  ck_assert(fp8_facts_product_class(in, 4, &inv) == FP8_CLASS_INF && inv == 0);
  const fp8_class zn[2] = {FP8_CLASS_ZERO, FP8_CLASS_SUBNORMAL};
  ck_assert(fp8_facts_product_class(zn, 2, &inv) == FP8_CLASS_ZERO && inv == 0);
  int sign;
  fp8_special_sum s = {false, false, false};
  fp8_facts_sum_term(&s, FP8_CLASS_NORMAL, 1);
  ck_assert(fp8_facts_sum_class(&s, &sign, &inv) == FP8_CLASS_NORMAL);
  fp8_facts_sum_term(&s, FP8_CLASS_INF, 1);
  ck_assert(fp8_facts_sum_class(&s, &sign, &inv) == FP8_CLASS_INF && sign == 1 && inv == 0);
  fp8_facts_sum_term(&s, FP8_CLASS_INF, 0);   /* -Inf + +Inf */
  ck_assert(fp8_facts_sum_class(&s, &sign, &inv) == FP8_CLASS_NAN && inv == 1);
  fp8_facts_sum_term(&s, FP8_CLASS_NAN, 0);   /* a NaN term: NaN, not invalid */
  ck_assert(fp8_facts_sum_class(&s, &sign, &inv) == FP8_CLASS_NAN && inv == 0);
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("mac");
  TCase *t = tcase_create("products");
  tcase_set_timeout(t, 600);
  tcase_add_loop_test(t, products_exhaustive, 0, NSMALL);
  tcase_add_test(t, default_widths);
  tcase_add_test(t, unit_facts);
  suite_add_tcase(s, t);
  t = tcase_create("kulisch");
  tcase_set_timeout(t, 600);
  tcase_add_loop_test(t, kulisch_widths, 0, NSMALL);
  tcase_add_test(t, kulisch_mixed);
  tcase_add_loop_test(t, kulisch_batch_int128, 0, NSMALL);
  tcase_add_test(t, kulisch_directed);
  tcase_add_test(t, kulisch_readout);
  suite_add_tcase(s, t);
  t = tcase_create("api");
  tcase_add_test(t, batch_equals_steps);
  tcase_add_test(t, spec_errors);
  tcase_add_test(t, alloc_errors);
  suite_add_tcase(s, t);
  return s;
}

int main(void)
{
  test_init("test_mac", 20260322ul);
  return run_suite(suite());
}
