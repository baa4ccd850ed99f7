/* test_dot.c - the dot-product unit (dot.h) against exact arithmetic.
 *
 * Directed cases, each worked out by hand from the rule (tests/data/h200-fp8/
 * README.md) and the OCP formats: a term wholly below the window, cancellation
 * to +0, subnormal operands aligned at the minimum exponent, the all-zero
 * step, negative terms truncated toward zero (not toward -Inf), the e8m13
 * rounding of C, the promotion boundary at every 4th step, K not a multiple
 * of 32, the scaled epilogue with bf16 output, and Inf/NaN.
 *
 * Random chains against an MPFR model of dot.h's contract written here from
 * its words (values from fp8_codec_decode, exponents from ilogb, terms rounded
 * with mpfr_trunc / mpfr_rint / mpfr_floor, sums exact at 512 bits), for the
 * presets and variants (term=rne|rdn, c=after, round=rne, promote, mixed
 * formats, ragged K).
 *
 * The N = 1 case against C99 fmaf (the per-step MAC's oracle) through the
 * general kernel, and equal to mac.h's unit; Kulisch units against __int128. */
#include <math.h>
#include <string.h>

#include <mpfr.h>

#include "dot.h"
#include "mac_test_util.h"

static float u2f(uint32_t u) { float x; memcpy(&x, &u, 4); return x; }
static uint32_t f2u(float x) { uint32_t u; memcpy(&u, &x, 4); return u; }

static fp8_dot *dunit(const char *spell, const char *fa, const char *fb)
{
  fp8_dot_spec s;
  char err[400];
  ck_assert_msg(fp8_dot_spec_parse(spell, &s, err, sizeof err) == 0, "%s: %s", spell, err);
  fp8_format a = get(fa), b = get(fb);
  fp8_block_format oa, ob;
  fp8_block_from_format(&a, &oa);
  fp8_block_from_format(&b, &ob);
  fp8_dot *d = fp8_dot_alloc(&oa, &ob, &s, err, sizeof err);
  ck_assert_msg(d != NULL, "%s: %s", spell, err);
  return d;
}

/* The chain's fp32 result for codes a[], b[] of length k. */
static float run(fp8_dot *d, const uint8_t *a, const uint8_t *b, size_t k)
{
  fp8_dot_clear(d);
  fp8_dot_push_u8(d, a, b, k);
  return u2f(fp8_dot_result_f32(d, NULL));
}

/* ---- directed cases (E4M3: 0x38 = 1, 0xb8 = -1, 0x01 = 2^-9, 0x81 = -2^-9,
 * 0x08 = 2^-6, 0x10 = 2^-5, 0x18 = 2^-4, 0x30 = 0.5; E5M2: 0x3c = 1,
 * 0x01 = 2^-16, 0x0c = 2^-12) ---------------------------------------------- */

START_TEST(below_window)
{
  fp8_dot *h = dunit("hopper-fp8", "float8_e4m3fn", "float8_e4m3fn");
  fp8_dot *f = dunit("fp32", "float8_e4m3fn", "float8_e4m3fn");
  uint8_t a[32] = {0x38, 0x01}, b[32] = {0x38, 0x18};
  ck_assert_float_eq(run(h, a, b, 32), 1.0f + 0x1p-13f);   /* the window's last bit */
  b[1] = 0x10;                                               /* 2^-14: below it */
  ck_assert_float_eq(run(h, a, b, 32), 1.0f);
  ck_assert_float_eq(run(f, a, b, 32), 1.0f + 0x1p-14f);
  a[1] = 0x81;                                               /* -2^-14 */
  ck_assert_float_eq(run(h, a, b, 32), 1.0f);                /* toward zero: the term is 0 */
  fp8_dot *r = dunit("hopper-fp8:term=rdn", "float8_e4m3fn", "float8_e4m3fn");
  ck_assert_float_eq(run(r, a, b, 32), 1.0f - 0x1p-13f);     /* toward -Inf: -2^-13 */
  fp8_dot *n = dunit("hopper-fp8:term=rne", "float8_e4m3fn", "float8_e4m3fn");
  ck_assert_float_eq(run(n, a, b, 32), 1.0f);                /* -2^-14 is a tie: to even, 0 */
  a[1] = 0x83; b[1] = 0x10;                                  /* -3 * 2^-14 -> -2^-12 under rne */
  ck_assert_float_eq(run(n, a, b, 32), 1.0f - 0x1p-12f);
  ck_assert_float_eq(run(h, a, b, 32), 1.0f - 0x1p-13f);     /* rtz: -2^-13 */
  fp8_dot_free(h); fp8_dot_free(f); fp8_dot_free(r); fp8_dot_free(n);
}
END_TEST

START_TEST(cancellation_and_zero_steps)
{
  fp8_dot *h = dunit("hopper-fp8", "float8_e4m3fn", "float8_e4m3fn");
  uint8_t a[64] = {0x38, 0xb8}, b[64] = {0x38, 0x38};
  ck_assert_uint_eq(f2u(run(h, a, b, 32)), 0);               /* 1 - 1 = +0, never -0 */
  a[0] = 0xb8; a[1] = 0x38;
  ck_assert_uint_eq(f2u(run(h, a, b, 32)), 0);
  ck_assert_uint_eq(f2u(run(h, a, b, 0)), 0);                /* empty chain */
  memset(a, 0, sizeof a);
  memset(b, 0x38, sizeof b);
  ck_assert_uint_eq(f2u(run(h, a, b, 64)), 0);               /* all-zero steps */
  for (int i = 0; i < 32; i++)
    a[i] = 0x38;                                             /* 32 ones, then a zero step */
  ck_assert_float_eq(run(h, a, b, 64), 32.0f);
  a[0] = 0x80;                                               /* -0 is a zero */
  ck_assert_float_eq(run(h, a, b, 64), 31.0f);
  fp8_dot_free(h);
}
END_TEST

START_TEST(subnormal_alignment)
{
  /* E5M2 0x01 = 2^-16 (subnormal: alignment exponent emin = -14), times 1:
   * emax = -14, window unit 2^-27; the other product 2^-16 * 2^-12 = 2^-28
   * (alignment exponent -26) falls below it.  Aligned at its true exponent
   * (-16) it would have been kept. */
  fp8_dot *h = dunit("hopper-fp8", "float8_e5m2", "float8_e5m2");
  fp8_dot *f = dunit("fp32", "float8_e5m2", "float8_e5m2");
  uint8_t a[32] = {0x01, 0x01}, b[32] = {0x3c, 0x0c};
  ck_assert_float_eq(run(h, a, b, 32), 0x1p-16f);
  ck_assert_float_eq(run(f, a, b, 32), 0x1p-16f + 0x1p-28f);
  /* Two subnormals: 2^-16 * 2^-16 = 2^-32 alone is exact. */
  b[0] = 0x01; a[1] = b[1] = 0;
  ck_assert_float_eq(run(h, a, b, 32), 0x1p-32f);
  fp8_dot_free(h); fp8_dot_free(f);
}
END_TEST

START_TEST(e8m13_rounding_of_c)
{
  /* 1 + 1 + 2^-13: the terms are exact (emax 0), the sum 2 + 2^-13 needs 15
   * bits: C keeps 14, toward zero -> 2; negated -> -2.  fp32 keeps it. */
  fp8_dot *h = dunit("hopper-fp8", "float8_e4m3fn", "float8_e4m3fn");
  fp8_dot *n = dunit("hopper-fp8:round=rne", "float8_e4m3fn", "float8_e4m3fn");
  fp8_dot *f = dunit("fp32", "float8_e4m3fn", "float8_e4m3fn");
  uint8_t a[32] = {0x38, 0x38, 0x01}, b[32] = {0x38, 0x38, 0x18};
  ck_assert_float_eq(run(h, a, b, 32), 2.0f);
  ck_assert_float_eq(run(f, a, b, 32), 2.0f + 0x1p-13f);
  a[0] = a[1] = 0xb8; a[2] = 0x81;
  ck_assert_float_eq(run(h, a, b, 32), -2.0f);
  /* 2 + 3*2^-13 (0x03 = 3*2^-9): 15 bits, the dropped bit is a half -> rne
   * rounds to even: 2 + 2*2^-13 = 2 + 2^-12; rtz gives 2 + 2^-12 too; with
   * 2 + 2^-13 + 0 the rne tie goes to 2. */
  a[0] = a[1] = 0x38; a[2] = 0x03;
  ck_assert_float_eq(run(n, a, b, 32), 2.0f + 0x1p-11f);
  ck_assert_float_eq(run(h, a, b, 32), 2.0f + 0x1p-12f);
  a[2] = 0x01;
  ck_assert_float_eq(run(n, a, b, 32), 2.0f);
  fp8_dot_free(h); fp8_dot_free(n); fp8_dot_free(f);
}
END_TEST

START_TEST(promotion_boundary)
{
  /* 128 ones, then 2^-6 * 0.5 = 2^-7 at index 128 (the 5th step).  One
   * chain: C = 128 enters step 5 with emax 7, so 2^-7 is below the window
   * (unit 2^-6): 128.  Promotion every 4 steps: P = 128 after step 4, step 5
   * starts from C = 0 and keeps 2^-7: 128 + 2^-7 in fp32.  Every 5 steps:
   * step 5 is again in the first chain: 128.  K = 129 and 160 (ragged and
   * not) give the same. */
  uint8_t a[160] = {0}, b[160] = {0};
  for (int i = 0; i < 128; i++)
    a[i] = b[i] = 0x38;
  a[128] = 0x08; b[128] = 0x30;
  const char *units[] = {"hopper-fp8", "hopper-fp8:promote=4", "hopper-fp8:promote=5", "hopper-fp8:promote=1"};
  const float want[] = {128.0f, 128.0f + 0x1p-7f, 128.0f, 128.0f + 0x1p-7f};
  for (int u = 0; u < 4; u++) {
    fp8_dot *h = dunit(units[u], "float8_e4m3fn", "float8_e4m3fn");
    ck_assert_float_eq(run(h, a, b, 129), want[u]);
    ck_assert_float_eq(run(h, a, b, 160), want[u]);
    /* pushed in pieces of 7: the same chain */
    fp8_dot_clear(h);
    for (size_t i = 0; i < 160; i += 7)
      fp8_dot_push_u8(h, a + i, b + i, i + 7 <= 160 ? 7 : 160 - i);
    ck_assert_float_eq(u2f(fp8_dot_result_f32(h, NULL)), want[u]);
    fp8_dot_free(h);
  }
}
END_TEST

static uint16_t bf16_rne(float x)   /* float32 -> bf16, round to nearest even (finite x) */
{
  uint32_t u = f2u(x);
  return (uint16_t)((u + 0x7fffu + ((u >> 16) & 1)) >> 16);
}

START_TEST(scaled_epilogue)
{
  /* 2 x 2 x 33 (ragged): C[i][j] = the chain's value (exact here: small
   * integers), then round_fp32(C * round_fp32(0.3f * 1.7f)), then bf16. */
  const size_t m = 2, n = 2, k = 33;
  uint8_t a[66], b[66];
  for (size_t i = 0; i < 66; i++) {
    a[i] = i % 3 ? 0x38 : 0x40;        /* 1 or 2 */
    b[i] = i % 5 ? 0x38 : 0xc0;        /* 1 or -2 */
  }
  fp8_format f = get("float8_e4m3fn"), bf = get("bf16"), f32 = get("fp32");
  fp8_block_format op;
  fp8_block_from_format(&f, &op);
  fp8_dot_spec s;
  ck_assert(fp8_dot_spec_parse("hopper-fp8", &s, NULL, 0) == 0);
  uint16_t out[4];
  uint32_t o32[4];
  ck_assert(fp8_gemm(&s, &op, &op, m, n, k, a, b, NULL, NULL, 0.3f, 1.7f, &bf, out, NULL, 0) == 0);
  ck_assert(fp8_gemm(&s, &op, NULL, m, n, k, a, b, NULL, NULL, 0.3f, 1.7f, &f32, o32, NULL, 0) == 0);
  volatile float sa = 0.3f, sb = 1.7f;
  float scale = sa * sb;
  for (size_t i = 0; i < m; i++)
    for (size_t j = 0; j < n; j++) {
      float acc = 0;
      for (size_t t = 0; t < k; t++)
        acc += (float)(fp8_codec_decode(&f, a[i * k + t]) * fp8_codec_decode(&f, b[j * k + t]));
      float r = acc * scale;
      ck_assert_uint_eq(o32[i * n + j], f2u(r));
      ck_assert_uint_eq(out[i * n + j], bf16_rne(r));
    }
}
END_TEST

START_TEST(specials)
{
  fp8_dot *h = dunit("hopper-fp8", "float8_e5m2", "float8_e5m2");
  uint8_t a[32] = {0x3c, 0x7c}, b[32] = {0x3c, 0x3c};      /* 1, +Inf */
  ck_assert(isinf(run(h, a, b, 32)) && run(h, a, b, 32) > 0);
  a[2] = 0xfc; b[2] = 0x3c;                                /* + -Inf */
  unsigned fl = 0;
  fp8_dot_clear(h);
  fp8_dot_push_u8(h, a, b, 32);
  ck_assert_uint_eq(fp8_dot_result_f32(h, &fl), 0x7fffffffu);   /* NVIDIA's NaN (MMA-Sim) */
  ck_assert(fl & FP8_DOT_INVALID);
  a[2] = 0; b[2] = 0xfc;                                   /* 0 x -Inf */
  fl = 0;
  fp8_dot_clear(h);
  fp8_dot_push_u8(h, a, b, 32);
  ck_assert(isnan(u2f(fp8_dot_result_f32(h, &fl))));
  ck_assert(fl & FP8_DOT_INVALID);
  uint8_t c[64] = {0x7e}, d[64] = {0x3c};                  /* NaN, then finite steps */
  d[40] = c[40] = 0x3c;
  ck_assert(isnan(run(h, c, d, 64)));
  fp8_dot_free(h);
}
END_TEST

START_TEST(step_api)
{
  /* fp8_dot_step from C's code, step by step, equals the chain (promote 0);
   * for the MAC it is mac.h's step: 1 + 1*1 = 2 in fp32. */
  fp8_dot *h = dunit("hopper-fp8", "float8_e4m3fn", "float8_e5m2");
  fp8_format e8m13 = get("e8m13"), fa = get("float8_e4m3fn"), fb = get("float8_e5m2");
  for (int rep = 0; rep < 200; rep++) {
    uint8_t a[96], b[96];
    uint32_t x[32], y[32], c = 0;
    for (int i = 0; i < 96; i++) {
      do { a[i] = (uint8_t)rnd(); } while (!isfinite(fp8_codec_decode(&fa, a[i])));
      do { b[i] = (uint8_t)rnd(); } while (!isfinite(fp8_codec_decode(&fb, b[i])));
    }
    for (int st = 0; st < 3; st++) {
      for (int i = 0; i < 32; i++) {
        x[i] = a[32 * st + i];
        y[i] = b[32 * st + i];
      }
      c = fp8_dot_step(h, x, y, c, NULL);
    }
    REQUIRE((float)fp8_codec_decode(&e8m13, c) == run(h, a, b, 96), "step API vs chain");
  }
  fp8_dot_free(h);
  fp8_dot *m = dunit("fp32", "float8_e4m3fn", "float8_e4m3fn");
  uint32_t one = 0x38;
  ck_assert_uint_eq(fp8_dot_step(m, &one, &one, 0x3f800000u, NULL), 0x40000000u);
  fp8_dot_free(m);
  /* dot.h step 4: an exact zero sum is +0, also from a loaded C = -0 with
   * only zero products, for every way C enters (fused, after, exact) */
  const char *units[] = {"hopper-fp8:n=4", "hopper-fp8:n=4:c=after", "fp32:n=4:window=exact",
                         "fp32:n=4:window=exact:c=after"};
  for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
    fp8_dot *z = dunit(units[u], "float8_e4m3fn", "float8_e4m3fn");
    const fp8_format *acc = &fp8_dot_spec_of(z)->acc.fmt;
    uint32_t zx[4] = {0, 0x80, 0, 0}, zy[4] = {0x38, 0x38, 0, 0};
    REQUIRE(fp8_dot_step(z, zx, zy, fp8_format_sign_bit(acc), NULL) == 0, "-0 + zero products is +0");
    fp8_dot_free(z);
  }
}
END_TEST

/* ---- random chains against an MPFR model of dot.h ----------------------------- */

#define P 512

typedef struct ref_unit {
  const char *spell;
  int n, F, zexp, promote, p;      /* p: acc precision */
  fp8_dot_term_round term;
  bool fused, rne;
} ref_unit;

/* Alignment exponent of a nonzero value of format f: floor(log2 |v|), but
 * not below emin (a subnormal counts at the minimum exponent). */
static int align_exp(double v, int emin)
{
  int e = ilogb(v);
  return e < emin ? emin : e;
}

static void round_term(mpfr_t t, fp8_dot_term_round mode)
{
  if (mode == FP8_DOT_RTZ)
    mpfr_trunc(t, t);
  else if (mode == FP8_DOT_RDN)
    mpfr_floor(t, t);
  else
    mpfr_rint(t, t, MPFR_RNDN);
}

/* C <- one step of u on products pa[i]*pb[i] (ae in ea[i] + eb[i]). */
static void ref_step(const ref_unit *u, mpfr_t c, const double *va, const double *vb, const int *ea,
                     const int *eb, mpfr_t s, mpfr_t t, int acc_emin)
{
  int emax = INT32_MIN;
  int ae[64];
  for (int i = 0; i < u->n; i++) {
    ae[i] = va[i] * vb[i] != 0 ? ea[i] + eb[i] : u->zexp;
    emax = ae[i] > emax ? ae[i] : emax;
  }
  int cae = mpfr_zero_p(c) ? u->zexp : align_exp(mpfr_get_d(c, MPFR_RNDZ), acc_emin);
  if (u->fused && cae > emax)
    emax = cae;
  mpfr_set_zero(s, 1);
  for (int i = 0; i < u->n; i++) {
    mpfr_set_d(t, va[i], MPFR_RNDN);
    mpfr_mul_d(t, t, vb[i], MPFR_RNDN);                    /* exact */
    mpfr_mul_2si(t, t, -(emax - u->F), MPFR_RNDN);
    round_term(t, u->term);
    mpfr_mul_2si(t, t, emax - u->F, MPFR_RNDN);
    mpfr_add(s, s, t, MPFR_RNDN);                          /* exact at 512 bits */
  }
  mpfr_set(t, c, MPFR_RNDN);
  if (u->fused) {
    mpfr_mul_2si(t, t, -(emax - u->F), MPFR_RNDN);
    round_term(t, u->term);
    mpfr_mul_2si(t, t, emax - u->F, MPFR_RNDN);
  }
  mpfr_add(s, s, t, MPFR_RNDN);
  if (mpfr_zero_p(s))
    mpfr_set_zero(c, 1);
  else
    mpfr_set(c, s, MPFR_RNDN), mpfr_prec_round(c, u->p, u->rne ? MPFR_RNDN : MPFR_RNDZ), mpfr_prec_round(c, P, MPFR_RNDN);
}

START_TEST(random_chains_vs_mpfr)
{
  static const ref_unit units[] = {
    {"hopper-fp8", 32, 13, -133, 0, 14, FP8_DOT_RTZ, true, false},
    {"hopper-fp8:promote=4", 32, 13, -133, 4, 14, FP8_DOT_RTZ, true, false},
    {"ada-fp8", 16, 13, -132, 0, 14, FP8_DOT_RTZ, true, false},
    {"blackwell-fp8", 32, 25, -133, 0, 24, FP8_DOT_RTZ, true, false},
    {"hopper-fp8:term=rne:round=rne", 32, 13, -133, 0, 14, FP8_DOT_RNE, true, true},
    {"hopper-fp8:term=rdn:promote=2", 32, 13, -133, 2, 14, FP8_DOT_RDN, true, false},
    {"hopper-fp8:c=after", 32, 13, -133, 0, 14, FP8_DOT_RTZ, false, false},
    {"e8m13:n=8:window=20:term=rne:c=after:round=rne:promote=3", 8, 20, 0, 3, 14, FP8_DOT_RNE, false, true},
    {"fp32:n=4:window=5", 4, 5, 0, 0, 24, FP8_DOT_RTZ, true, true},
  };
  static const char *const fmts[][2] = {{"float8_e4m3fn", "float8_e4m3fn"}, {"float8_e5m2", "float8_e4m3fn"},
                                        {"float8_e5m2", "float8_e5m2"}};
  const ref_unit *u = &units[_i];
  mpfr_t c, pp, s, t;
  mpfr_inits2(P, c, pp, s, t, (mpfr_ptr)0);
  long chains = 0;
  for (int fi = 0; fi < 3; fi++) {
    fp8_format fa = get(fmts[fi][0]), fb = get(fmts[fi][1]);
    fp8_dot *d = dunit(u->spell, fmts[fi][0], fmts[fi][1]);
    for (int rep = 0; rep < 150 * level; rep++) {
      size_t k = 1 + rnd() % 300;
      uint8_t a[300], b[300];
      int narrow = rnd() % 2;    /* codes of nearby exponents (cancellation) or any finite code */
      for (size_t i = 0; i < k; i++) {
        do {
          a[i] = narrow ? (uint8_t)(0x30 + rnd() % 24) | (uint8_t)(rnd() % 2 << 7) : (uint8_t)rnd();
          b[i] = narrow ? (uint8_t)(0x30 + rnd() % 24) | (uint8_t)(rnd() % 2 << 7) : (uint8_t)rnd();
        } while (!isfinite(fp8_codec_decode(&fa, a[i])) || !isfinite(fp8_codec_decode(&fb, b[i])));
      }
      float got = run(d, a, b, k);
      /* the model */
      mpfr_set_zero(c, 1);
      mpfr_set_zero(pp, 1);
      size_t steps = (k + u->n - 1) / (size_t)u->n;
      for (size_t st = 0; st < steps; st++) {
        double va[64], vb[64];
        int ea[64], eb[64];
        for (int i = 0; i < u->n; i++) {
          size_t j = st * (size_t)u->n + (size_t)i;
          va[i] = j < k ? fp8_codec_decode(&fa, a[j]) : 0;
          vb[i] = j < k ? fp8_codec_decode(&fb, b[j]) : 0;
          ea[i] = va[i] != 0 ? align_exp(va[i], fp8_format_emin(&fa)) : 0;
          eb[i] = vb[i] != 0 ? align_exp(vb[i], fp8_format_emin(&fb)) : 0;
        }
        ref_step(u, c, va, vb, ea, eb, s, t, -126);
        if (u->promote && ((st + 1) % (size_t)u->promote == 0 || st + 1 == steps)) {
          mpfr_add(pp, pp, c, MPFR_RNDN);
          mpfr_prec_round(pp, 24, MPFR_RNDN);
          mpfr_prec_round(pp, P, MPFR_RNDN);
          mpfr_set_zero(c, 1);
        }
      }
      float want = mpfr_get_flt(u->promote ? pp : c, MPFR_RNDN);
      if (want == 0)
        want = 0.0f;     /* +0 */
      REQUIRE(f2u(got) == f2u(want), "%s, %s x %s, K %zu: got %a, model %a", u->spell, fa.name, fb.name,
              k, (double)got, (double)want);
      chains++;
    }
    fp8_dot_free(d);
  }
  printf("%s: %ld random chains equal the MPFR model\n", u->spell, chains);
  mpfr_clears(c, pp, s, t, (mpfr_ptr)0);
}
END_TEST

/* ---- N = 1: the MAC ------------------------------------------------------------ */

START_TEST(n1_is_the_mac)
{
  /* fp32:promote=1048576 is n = 1, exact alignment, one promotion at the end
   * (P = +0 + C = C): the general kernel, not mac.h's.  Oracle: fmaf chains;
   * and bit-equal to mac.h's unit except that the dot unit never gives -0. */
  static const char *const fmts[] = {"float8_e4m3fn", "float8_e5m2", "fp8-e4", "int8", "float8_e3m4"};
  fp8_format f = get(fmts[_i]);
  fp8_dot *d = dunit("fp32:promote=1048576", fmts[_i], fmts[_i]);
  fp8_mac *m = unit(&f, NULL, "fp32", 0);
  fp8_format f32 = get("fp32");
  for (int rep = 0; rep < 2000 * level; rep++) {
    size_t k = 1 + rnd() % 64;
    uint8_t a[64], b[64];
    float acc = 0;
    for (size_t i = 0; i < k; i++) {
      a[i] = (uint8_t)rnd();
      b[i] = (uint8_t)rnd();
      acc = fmaf((float)fp8_codec_decode(&f, a[i]), (float)fp8_codec_decode(&f, b[i]), acc);
    }
    float got = run(d, a, b, k);
    fp8_mac_clear(m);
    fp8_mac_batch_u8(m, a, b, k);
    uint32_t mac = fp8_mac_round(m, &f32, NULL, NULL);
    if (isnan(acc)) {
      REQUIRE(isnan(got) && isnan(u2f(mac)), "%s K %zu: NaN expected", f.name, k);
    } else {
      if (acc == 0)
        acc = 0.0f;
      REQUIRE(f2u(got) == f2u(acc), "%s K %zu: got %a, fmaf %a", f.name, k, (double)got, (double)acc);
      REQUIRE(f2u(got) == (u2f(mac) == 0 ? 0 : mac), "%s K %zu: got %a, mac %a", f.name, k, (double)got,
              (double)u2f(mac));
    }
  }
  fp8_dot_free(d);
  fp8_mac_free(m);
}
END_TEST

START_TEST(kulisch_units_exact)
{
  /* A Kulisch unit of any n is the exact sum: __int128 of the products in
   * units of the product LSB (2^-18 for E4M3: 2^-9 * 2^-9). */
  fp8_format f = get("float8_e4m3fn");
  fp8_dot *d = dunit("kulisch:n=32", "float8_e4m3fn", "float8_e4m3fn");
  for (int rep = 0; rep < 500; rep++) {
    size_t k = 1 + rnd() % 200;
    uint8_t a[200], b[200];
    __int128 exact = 0;
    for (size_t i = 0; i < k; i++) {
      do { a[i] = (uint8_t)rnd(); } while ((a[i] & 0x7f) == 0x7f);
      do { b[i] = (uint8_t)rnd(); } while ((b[i] & 0x7f) == 0x7f);
      exact += (__int128)(fp8_codec_decode(&f, a[i]) * 512) * (__int128)(fp8_codec_decode(&f, b[i]) * 512);
    }
    fp8_dot_clear(d);
    fp8_dot_push_u8(d, a, b, k);
    REQUIRE(fp8_dot_value(d) == ldexp((double)exact, -18), "K %zu", k);
  }
  fp8_dot_free(d);
}
END_TEST

START_TEST(kulisch_step_wrap)
{
  /* dot.h: a Kulisch step of n products adds their exact sum S at once; the
   * register is acc + S modulo 2^W and WRAP is set when acc + S leaves
   * [-2^(W-1), 2^(W-1)).  Random int8 steps from random 27-bit states, the
   * expected values from 64-bit integer arithmetic; and the case where a
   * product-by-product add would wrap twice but the step does not. */
  fp8_format f = get("int8");
  fp8_dot *d = dunit("kulisch:27:n=4", "int8", "int8");
  const int64_t half = (int64_t)1 << 26;
  for (int rep = 0; rep < 20000; rep++) {
    uint32_t a[4], b[4];
    int64_t s = 0, acc = (int64_t)(rnd() % (2 * (uint64_t)half)) - half;
    if (rep % 4 == 0)
      acc = rep % 8 ? half - 1 - (int64_t)(rnd() % 70000) : -half + (int64_t)(rnd() % 70000);
    for (int i = 0; i < 4; i++) {
      a[i] = (uint32_t)(rnd() & 0xff);
      b[i] = (uint32_t)(rnd() & 0xff);
      s += (int64_t)fp8_codec_decode(&f, a[i]) * (int64_t)fp8_codec_decode(&f, b[i]);
    }
    unsigned fl = 0;
    uint32_t c = fp8_dot_step(d, a, b, (uint32_t)(acc & (2 * half - 1)), &fl);
    int64_t r = acc + s;
    REQUIRE(c == (uint32_t)(r & (2 * half - 1)), "value, rep %d", rep);
    REQUIRE(!!(fl & FP8_MAC_WRAP) == (r < -half || r >= half), "wrap, rep %d", rep);
  }
  /* max + 127*127 - 127*127 (0x7f = 127, 0x81 = -127): S = 0, no wrap */
  uint32_t a[4] = {0x7f, 0x81, 0, 0}, b[4] = {0x7f, 0x7f, 0, 0};
  unsigned fl = 0;
  ck_assert_uint_eq(fp8_dot_step(d, a, b, (uint32_t)(half - 1), &fl), (uint32_t)(half - 1));
  ck_assert_uint_eq(fl & FP8_MAC_WRAP, 0);
  /* incoming flags take part in the NaN rule (dot.h): +Inf and -Inf seen
   * before this step of finite products make the step set NaN */
  fl = FP8_MAC_PINF | FP8_MAC_NINF;
  ck_assert_uint_eq(fp8_dot_step(d, a, b, 0, &fl), 0);
  ck_assert_uint_eq(fl, FP8_MAC_PINF | FP8_MAC_NINF | FP8_MAC_NAN);
  fl = FP8_MAC_PINF;
  fp8_dot_step(d, a, b, 0, &fl);
  ck_assert_uint_eq(fl, FP8_MAC_PINF);
  fp8_dot_free(d);
}
END_TEST

START_TEST(spelling)
{
  fp8_dot_spec s;
  char name[128], err[400];
  ck_assert(fp8_dot_spec_parse("hopper-fp8:promote=4", &s, err, sizeof err) == 0);
  ck_assert_int_eq(s.n, 32);
  ck_assert_int_eq(s.window, 13);
  ck_assert_int_eq(s.promote, 4);
  ck_assert_int_eq(s.zero_exp, -133);
  ck_assert_int_eq(s.acc.fmt.mbits, 13);
  ck_assert_int_eq(s.acc.fmt.ebits, 8);
  fp8_dot_spec_name(&s, name, sizeof name);
  ck_assert_str_eq(name, "hopper-fp8:promote=4");
  ck_assert(fp8_dot_spec_parse("fp16:ftz", &s, err, sizeof err) == 0 && fp8_dot_spec_is_mac(&s));
  fp8_dot_spec_name(&s, name, sizeof name);
  ck_assert_str_eq(name, "fp16:ftz");
  ck_assert(fp8_dot_spec_parse("kulisch:40", &s, err, sizeof err) == 0 && s.acc.width == 40);
  ck_assert(fp8_dot_spec_parse("e6m9:ieee:n=4:window=exact", &s, err, sizeof err) == 0 && s.n == 4);
  ck_assert(fp8_dot_spec_parse("hopper-fp8:n=0", &s, err, sizeof err) == -1 && strstr(err, "n=0"));
  ck_assert(fp8_dot_spec_parse("hopper-fp8:term=up", &s, err, sizeof err) == -1 && strstr(err, "term=up"));
  ck_assert(fp8_dot_spec_parse("tpu", &s, err, sizeof err) == -1 && strstr(err, "unknown unit 'tpu'"));
  ck_assert(fp8_dot_spec_parse("hopper-fp8:acc=kulisch", &s, err, sizeof err) == -1 && strstr(err, "acc=kulisch"));
  fp8_format f = get("float8_e4m3fn");
  fp8_block_format op;
  fp8_block_from_format(&f, &op);
  /* keys that contradict the accumulator the base names: refused when spelled */
  ck_assert(fp8_dot_spec_parse("kulisch:window=13", &s, err, sizeof err) == -1 && strstr(err, "Kulisch"));
  ck_assert(fp8_dot_spec_parse("fp16:ftz:n=4", &s, err, sizeof err) == -1 && strstr(err, "ftz"));
  /* and by the unit when a descriptor is filled in by hand */
  ck_assert(fp8_dot_spec_parse("kulisch", &s, err, sizeof err) == 0);
  s.window = 13;
  ck_assert(fp8_dot_alloc(&op, NULL, &s, err, sizeof err) == NULL && strstr(err, "Kulisch"));
  ck_assert(fp8_dot_spec_parse("fp16:ftz", &s, err, sizeof err) == 0);
  s.n = 4;
  ck_assert(fp8_dot_alloc(&op, NULL, &s, err, sizeof err) == NULL && strstr(err, "ftz"));
}
END_TEST

int main(void)
{
  test_init("test_dot", 20261129);
  Suite *s = suite_create("dot");
  TCase *t = tcase_create("directed");
  tcase_add_test(t, below_window);
  tcase_add_test(t, cancellation_and_zero_steps);
  tcase_add_test(t, subnormal_alignment);
  tcase_add_test(t, e8m13_rounding_of_c);
  tcase_add_test(t, promotion_boundary);
  tcase_add_test(t, scaled_epilogue);
  tcase_add_test(t, specials);
  tcase_add_test(t, spelling);
  tcase_add_test(t, step_api);
  suite_add_tcase(s, t);
  TCase *r = tcase_create("oracles");
  tcase_set_timeout(r, 300);
  tcase_add_loop_test(r, random_chains_vs_mpfr, 0, 9);
  tcase_add_loop_test(r, n1_is_the_mac, 0, 5);
  tcase_add_test(r, kulisch_units_exact);
  tcase_add_test(r, kulisch_step_wrap);
  suite_add_tcase(s, r);
  return run_suite(s);
}
