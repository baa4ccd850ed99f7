/* test_dot_block.c - the block-scale stage of the dot-product unit (dot.h)
 * against exact arithmetic.
 *
 * Element and scale values come from decoders written here from the OCP
 * definitions (E4M3: bias 7, max 448, NaN S.1111.111; E2M1: 0, 0.5, 1, 1.5,
 * 2, 3, 4, 6; E8M0: 2^(c-127), 0xff NaN; UE4M3: E4M3 without the sign), never
 * from the codec.  Expected results are exact sums in MPFR (2048 bits: every
 * sum here is exact), rounded once into fp32 by mpfr_get_flt in the model's
 * direction.  The Blackwell models are written here from dot.h's words: a
 * term's alignment exponent is floor(log2) of each factor (the element's
 * minimum normal exponent for subnormals), summed; terms are truncated to a
 * multiple of 2^(emax - F); the sum rounds toward zero into fp32.
 *
 * Directed: powers of two in small blocks, cancellation (a term truncated
 * out of the window; blocks cancelling to +0), E8M0 at 2^127 and 2^-127
 * (product 1, underflow, overflow), NaN scales, a zero-sum group whose scale
 * still sets the window, NVFP4's two-level scales through fp8_gemm.
 * Random chains over many blocks: MXFP8 and MXFP4 and NVFP4 through every
 * block preset against the MPFR models; misuse errors and pushes that start
 * mid-block. */
#include <float.h>
#include <math.h>
#include <string.h>

#include <mpfr.h>

#include "check_run.h"
#include "dot.h"
#include "mac_test_util.h"

#define PREC 2048

static float u2f(uint32_t u) { float x; memcpy(&x, &u, 4); return x; }
static uint32_t f2u(float x) { uint32_t u; memcpy(&u, &x, 4); return u; }

/* ---- independent decoders (OCP MX v1.0 and OCP 8-bit FP v1.0) ------------- */
static double e4m3(unsigned c)
{
  int s = c >> 7 & 1, e = c >> 3 & 15, m = c & 7;
  double v = e == 0 ? ldexp(m, -9) : ldexp(8 + m, e - 10);
  return (e == 15 && m == 7) ? NAN : s ? -v : v;
}
static double e2m1(unsigned c)
{
  static const double t[8] = {0, 0.5, 1, 1.5, 2, 3, 4, 6};
  return c & 8 ? -t[c & 7] : t[c & 7];
}
static double e8m0(unsigned c) { return c == 255 ? NAN : ldexp(1.0, (int)c - 127); }
static double ue4m3(unsigned c) { return c == 0x7f ? NAN : e4m3(c & 0x7f); }
/* Alignment exponent of a nonzero value: floor(log2 |x|), at least emin. */
static int aexp(double x, int emin)
{
  int e = ilogb(x);
  return e < emin ? emin : e;
}

typedef struct bfmt {
  const char *name;
  double (*elem)(unsigned);
  int emin;                       /* the element's minimum normal exponent */
  double (*scale)(unsigned);
  int semin;                      /* the scale's minimum normal exponent */
} bfmt;
static const bfmt MX8 = {"mxfp8_e4m3", e4m3, -6, e8m0, -127};
static const bfmt MX4 = {"mxfp4_e2m1", e2m1, 0, e8m0, -127};
static const bfmt NV4 = {"nvfp4", e2m1, 0, ue4m3, -6};

static fp8_dot *bunit(const char *spell, const char *fmt)
{
  fp8_dot_spec s;
  fp8_block_format b;
  char err[400];
  ck_assert_msg(fp8_dot_spec_parse(spell, &s, err, sizeof err) == 0, "%s: %s", spell, err);
  ck_assert_msg(fp8_block_parse(fmt, &b, err, sizeof err) == 0, "%s: %s", fmt, err);
  fp8_dot *d = fp8_dot_alloc(&b, NULL, &s, err, sizeof err);
  ck_assert_msg(d != NULL, "%s on %s: %s", spell, fmt, err);
  return d;
}

/* The chain's fp32 result for k codes and their ceil(k/B) scale codes. */
static uint32_t run(fp8_dot *d, const uint16_t *a, const uint16_t *b, const uint16_t *sa,
                    const uint16_t *sb, size_t k, unsigned *flags)
{
  fp8_dot_clear(d);
  ck_assert_int_eq(fp8_dot_push_block(d, a, b, sa, sb, k), 0);
  return fp8_dot_result_f32(d, flags);
}

/* Variants of the windowed models: term rounding (RNDZ: toward zero, RNDN:
 * nearest even, RNDD: toward -Inf) and C added after the terms (c=after: C
 * takes no part in emax, and C + the terms' sum is rounded once). */
static mpfr_rnd_t model_term = MPFR_RNDZ;
static bool model_after = false;

/* ---- the models ---------------------------------------------------------------
 * kind: 'x' exact per block (mx-exact, nvfp4-exact: n = G = B, RNE into fp32
 * after each block); 'p' per-product terms (blackwell-mxf8f6f4); 'g' groups of
 * 16 (blackwell-mxf4, blackwell-nvf4).  F the window, n products per step, B
 * the block.  Returns the fp32 result's bits; NaN as 0x7fffffff. */
static uint32_t model(const bfmt *f, char kind, int F, int n, int B, const uint16_t *a, const uint16_t *b,
                      const uint16_t *sa, const uint16_t *sb, size_t k)
{
  mpfr_t c, t, sum, q;
  mpfr_inits2(PREC, c, t, sum, q, (mpfr_ptr)0);
  mpfr_set_zero(c, 1);
  uint32_t res = 0;
  for (size_t s0 = 0; s0 < k; s0 += (size_t)n) {
    size_t end = s0 + (size_t)n < k ? s0 + (size_t)n : k;
    for (size_t i = s0; i < end; i++)
      if (isnan(f->scale(sa[i / B])) || isnan(f->scale(sb[i / B])) || isnan(f->elem(a[i])) ||
          isnan(f->elem(b[i]))) {
        res = 0x7fffffff;
        goto out;
      }
    if (kind == 'x') {
      mpfr_set_zero(sum, 1);
      for (size_t i = s0; i < end; i++) {
        mpfr_set_d(t, f->elem(a[i]), MPFR_RNDN);
        mpfr_mul_d(t, t, f->elem(b[i]), MPFR_RNDN);
        mpfr_add(sum, sum, t, MPFR_RNDN);
      }
      mpfr_mul_d(sum, sum, f->scale(sa[s0 / B]), MPFR_RNDN);
      mpfr_mul_d(sum, sum, f->scale(sb[s0 / B]), MPFR_RNDN);
      mpfr_add(sum, sum, c, MPFR_RNDN);
      mpfr_set_flt(c, mpfr_get_flt(sum, MPFR_RNDN), MPFR_RNDN);
      continue;
    }
    /* windowed: emax over the terms' alignment exponents (and C's) */
    int emax = mpfr_zero_p(c) || model_after ? -100000 : aexp(mpfr_get_d(c, MPFR_RNDN), -126);
    int G = kind == 'g' ? 16 : 1;
    for (size_t g = s0; g < end; g += (size_t)G) {
      double xa = f->scale(sa[g / B]), xb = f->scale(sb[g / B]), s = 0;
      size_t ge = g + (size_t)G < end ? g + (size_t)G : end;
      for (size_t i = g; i < ge; i++)
        s += f->elem(a[i]) * f->elem(b[i]);   /* exact: few bits */
      if (xa == 0 || xb == 0 || (kind == 'p' && s == 0))
        continue;
      int e = kind == 'g' ? aexp(xa, f->semin) + aexp(xb, f->semin)
                          : aexp(f->elem(a[g]), f->emin) + aexp(f->elem(b[g]), f->emin) + aexp(xa, f->semin) +
                            aexp(xb, f->semin);
      emax = e > emax ? e : emax;
    }
    /* sum of terms truncated to multiples of 2^(emax - F), C included */
    mpfr_set_zero(sum, 1);
    for (size_t g = s0; g < end; g += (size_t)G) {
      double xa = f->scale(sa[g / B]), xb = f->scale(sb[g / B]), s = 0;
      size_t ge = g + (size_t)G < end ? g + (size_t)G : end;
      for (size_t i = g; i < ge; i++)
        s += f->elem(a[i]) * f->elem(b[i]);
      if (xa == 0 || xb == 0 || (kind == 'p' && s == 0))
        continue;
      mpfr_set_d(t, s, MPFR_RNDN);
      mpfr_mul_d(t, t, xa, MPFR_RNDN);
      mpfr_mul_d(t, t, xb, MPFR_RNDN);
      mpfr_mul_2si(t, t, F - emax, MPFR_RNDN);
      mpfr_rint(t, t, model_term);
      mpfr_mul_2si(t, t, emax - F, MPFR_RNDN);
      mpfr_add(sum, sum, t, MPFR_RNDN);
    }
    if (model_after) {
      mpfr_add(sum, sum, c, MPFR_RNDN);   /* exact at PREC */
    } else {
      mpfr_mul_2si(t, c, F - emax, MPFR_RNDN);
      mpfr_rint(t, t, model_term);
      mpfr_mul_2si(t, t, emax - F, MPFR_RNDN);
      mpfr_add(sum, sum, t, MPFR_RNDN);
    }
    float r = mpfr_get_flt(sum, MPFR_RNDZ);
    mpfr_set_flt(c, r == 0 ? 0.0f : r, MPFR_RNDN);
  }
  res = f2u(mpfr_get_flt(c, MPFR_RNDN));
  if (res == 0x80000000u)
    res = 0;
out:
  mpfr_clears(c, t, sum, q, (mpfr_ptr)0);
  return res;
}

/* E4M3 codes: 0x38 = 1, 0x40 = 2, 0x30 = 0.5, 0x01 = 2^-9, 0x7e = 448;
 * E2M1: 0x1 = 0.5, 0x2 = 1, 0x7 = 6; E8M0: 127 = 1; UE4M3: 0x38 = 1. */

START_TEST(powers_of_two)
{
  /* 32 products 2^j (j = -8..23 from a = 2^(j/2), b = ...), scales 2^3 and 2^-5. */
  uint16_t a[32], b[32], sa[1] = {130}, sb[1] = {122};
  double exact = 0;
  for (int i = 0; i < 32; i++) {
    a[i] = (uint16_t)(0x38 + 8 * (i % 8 - 4));   /* 2^(i%8 - 4) */
    b[i] = (uint16_t)(0x38 + 8 * (i / 8));       /* 2^(i/8) */
    exact += ldexp(1.0, i % 8 - 4 + i / 8);
  }
  exact *= 0x1p-2;
  const char *units[] = {"mx-exact", "blackwell-mxf8f6f4"};
  for (int u = 0; u < 2; u++) {
    fp8_dot *d = bunit(units[u], "mxfp8_e4m3");
    unsigned fl = 0;
    uint32_t r = run(d, a, b, sa, sb, 32, &fl);
    ck_assert_msg(u2f(r) == (float)exact && (float)exact == exact, "%s: %a, expected %a", units[u],
                  (double)u2f(r), exact);
    ck_assert_msg(!(fl & FP8_DOT_INEXACT), "%s: exact sum flagged inexact", units[u]);
    fp8_dot_free(d);
  }
}
END_TEST

START_TEST(cancellation)
{
  /* 448*448 - 448*448 + 2^-9*2^-9 in one block: exactly 2^-18 (times X = 2^4
   * * 2^-1).  The Blackwell window: emax = 8 + 8 + 4 - 1 = 19, last bit
   * 2^(19 - 25) = 2^-6: the term 2^-15 is truncated away -> +0. */
  uint16_t a[32] = {0x7e, 0xfe, 0x01}, b[32] = {0x7e, 0x7e, 0x01}, sa[1] = {131}, sb[1] = {126};
  fp8_dot *x = bunit("mx-exact", "mxfp8_e4m3"), *w = bunit("blackwell-mxf8f6f4", "mxfp8_e4m3");
  ck_assert_uint_eq(run(x, a, b, sa, sb, 32, NULL), f2u(0x1p-15f));
  ck_assert_uint_eq(run(w, a, b, sa, sb, 32, NULL), 0);   /* +0, not -0 */
  ck_assert_uint_eq(model(&MX8, 'p', 25, 32, 32, a, b, sa, sb, 32), 0);
  /* Two blocks that cancel exactly: +0. */
  uint16_t a2[64], b2[64], sa2[2] = {140, 120}, sb2[2] = {127, 147};
  for (int i = 0; i < 32; i++) {
    a2[i] = 0x40;          /* 2 */
    b2[i] = 0x38;          /* 1: block sum 64, times 2^13 */
    a2[32 + i] = 0xc0;     /* -2 */
    b2[32 + i] = 0x38;     /* block sum -64, times 2^-7 * 2^20 = 2^13 */
  }
  ck_assert_uint_eq(run(x, a2, b2, sa2, sb2, 64, NULL), 0);
  ck_assert_uint_eq(run(w, a2, b2, sa2, sb2, 64, NULL), 0);
  fp8_dot_free(x);
  fp8_dot_free(w);
}
END_TEST

START_TEST(e8m0_limits)
{
  uint16_t a[32] = {0x7e, 0x01}, b[32] = {0x7e, 0x01}, sa[1], sb[1];
  const double blocksum = 448.0 * 448.0 + 0x1p-18;   /* exact in a double */
  fp8_dot *x = bunit("mx-exact", "mxfp8_e4m3"), *w = bunit("blackwell-mxf8f6f4", "mxfp8_e4m3");
  /* 2^127 * 2^-127 = 1 */
  sa[0] = 254;
  sb[0] = 0;
  ck_assert_uint_eq(run(x, a, b, sa, sb, 32, NULL), f2u((float)blocksum));
  ck_assert_uint_eq(run(w, a, b, sa, sb, 32, NULL), model(&MX8, 'p', 25, 32, 32, a, b, sa, sb, 32));
  ck_assert_float_eq(u2f(run(w, a, b, sa, sb, 32, NULL)), 200704.0f);  /* 2^-18 below the window */
  /* 2^-127 * 2^-127: 2^-254 * 2^17.6 underflows fp32 -> +0, inexact and underflow */
  sa[0] = 0;
  unsigned fl = 0;
  ck_assert_uint_eq(run(x, a, b, sa, sb, 32, &fl), 0);
  ck_assert(fl & FP8_DOT_UNDERFLOW);
  ck_assert_uint_eq(run(w, a, b, sa, sb, 32, NULL), 0);
  /* 2^127 * 2^127: overflow; RNE -> +Inf, the Blackwell unit's RTZ -> FLT_MAX */
  sa[0] = sb[0] = 254;
  fl = 0;
  ck_assert_uint_eq(run(x, a, b, sa, sb, 32, &fl), 0x7f800000);
  ck_assert(fl & FP8_DOT_OVERFLOW);
  ck_assert_uint_eq(run(w, a, b, sa, sb, 32, NULL), f2u(FLT_MAX));
  /* 2^127 * 2^-127 with the smallest products: 2^-18 exactly */
  sa[0] = 254;
  sb[0] = 0;
  a[0] = b[0] = 0;
  ck_assert_uint_eq(run(x, a, b, sa, sb, 32, NULL), f2u(0x1p-18f));
  fp8_dot_free(x);
  fp8_dot_free(w);
}
END_TEST

START_TEST(nan_scale)
{
  uint16_t a[64] = {0x38}, b[64] = {0x38}, sa[2] = {127, 255}, sb[2] = {127, 127};
  const char *units[] = {"mx-exact", "blackwell-mxf8f6f4"};
  for (int u = 0; u < 2; u++) {
    fp8_dot *d = bunit(units[u], "mxfp8_e4m3");
    /* the NaN scale's block has only zero elements: still NaN (OCP MX 6.3) */
    ck_assert_uint_eq(run(d, a, b, sa, sb, 64, NULL), FP8_DOT_NAN_F32);
    ck_assert_uint_eq(run(d, a, b, sb, sa, 64, NULL), FP8_DOT_NAN_F32);
    ck_assert_uint_eq(run(d, a, b, sa, sb, 32, NULL), f2u(1.0f));   /* before the NaN block */
    fp8_dot_free(d);
  }
  uint16_t a4[64] = {0x2}, b4[64] = {0x2}, s4[4] = {0x38, 0x38, 0x7f, 0x38}, t4[4] = {0x38, 0x38, 0x38, 0x38};
  fp8_dot *d = bunit("blackwell-nvf4", "nvfp4");
  ck_assert_uint_eq(run(d, a4, b4, s4, t4, 64, NULL), FP8_DOT_NAN_F32);
  ck_assert_uint_eq(run(d, a4, b4, t4, t4, 64, NULL), f2u(1.0f));
  fp8_dot_free(d);
}
END_TEST

START_TEST(group_scale_sets_window)
{
  /* blackwell-nvf4: group 0 is all zeros but scaled by 448 x 448 (ae 8 + 8);
   * group 1 holds 0.5 x 0.5 scaled by 2^-9 x 2^-9 (ae -6 + -6): 2^-20, below
   * 2^(16 - 35) = 2^-19 -> truncated to +0.  The exact unit keeps 2^-20. */
  uint16_t a[64] = {0}, b[64] = {0}, sa[4] = {0x7e, 0x01, 0x38, 0x38}, sb[4] = {0x7e, 0x01, 0x38, 0x38};
  a[16] = b[16] = 0x1;
  fp8_dot *w = bunit("blackwell-nvf4", "nvfp4"), *x = bunit("nvfp4-exact", "nvfp4");
  ck_assert_uint_eq(run(w, a, b, sa, sb, 64, NULL), 0);
  ck_assert_uint_eq(model(&NV4, 'g', 35, 64, 16, a, b, sa, sb, 64), 0);
  ck_assert_uint_eq(run(x, a, b, sa, sb, 64, NULL), f2u(0x1p-20f));
  /* group 1 = 0.25 + 0.5 = 0.75: 2^-19 + 2^-20, truncated at the window's last bit 2^-19 */
  a[17] = 0x1;
  b[17] = 0x2;
  ck_assert_uint_eq(run(w, a, b, sa, sb, 64, NULL), f2u(0x1p-19f));
  ck_assert_uint_eq(model(&NV4, 'g', 35, 64, 16, a, b, sa, sb, 64), f2u(0x1p-19f));
  ck_assert_uint_eq(run(x, a, b, sa, sb, 64, NULL), f2u(0x1.8p-19f));
  a[17] = b[17] = 0;
  /* with group 0's scale 1 (ae 0 + 0), 2^-20 >= 2^-35 stays */
  sa[0] = sb[0] = 0x38;
  ck_assert_uint_eq(run(w, a, b, sa, sb, 64, NULL), f2u(0x1p-20f));
  fp8_dot_free(w);
  fp8_dot_free(x);
}
END_TEST

START_TEST(wide_terms_rounded)
{
  /* blackwell-mxf4 on MXFP8 data: E4M3 groups of 16 need the 128-bit sums.
   * Groups 0 and 1 (X = 1): 448^2 - 448^2, emax 0, last bit 2^-35; group 2
   * (X = 2^-20 x 2^-20): 4 x 5 = 20, i.e. 0.625 x 2^-35: toward zero 0, to
   * nearest 2^-35, toward -Inf 0 (positive). */
  uint16_t a[64] = {0}, b[64] = {0}, sa[2] = {127, 107}, sb[2] = {127, 107};
  a[0] = 0x7e; b[0] = 0x7e;
  a[16] = 0xfe; b[16] = 0x7e;
  a[32] = 0x48; b[32] = 0x4a;
  const char *u[3] = {"blackwell-mxf4", "blackwell-mxf4:term=rne", "blackwell-mxf4:term=rdn"};
  const uint32_t want[3] = {0, f2u(0x1p-35f), 0};
  for (int i = 0; i < 3; i++) {
    fp8_dot *d = bunit(u[i], "mxfp8_e4m3");
    ck_assert_msg(run(d, a, b, sa, sb, 64, NULL) == want[i], "%s", u[i]);
    fp8_dot_free(d);
  }
  /* negative: -20 x 2^-40 -> toward zero 0, nearest -2^-35, toward -Inf -2^-35 */
  a[32] = 0xc8;
  const uint32_t neg[3] = {0, f2u(-0x1p-35f), f2u(-0x1p-35f)};
  for (int i = 0; i < 3; i++) {
    fp8_dot *d = bunit(u[i], "mxfp8_e4m3");
    ck_assert_msg(run(d, a, b, sa, sb, 64, NULL) == neg[i], "%s (negative)", u[i]);
    fp8_dot_free(d);
  }
}
END_TEST

START_TEST(nvfp4_two_level)
{
  /* 2 x 2 x 32 GEMM on NVFP4: block scales 1.5 (0x3c) and 0.375 (0x2c),
   * tensor scales 3 * 2^-10 and 5 * 2^-12; out = round_fp32(r * round_fp32(Ta * Tb)). */
  fp8_block_format nv;
  fp8_dot_spec u[2];
  fp8_format f32;
  char err[300];
  ck_assert(fp8_block_parse("nvfp4", &nv, err, sizeof err) == 0);
  ck_assert(fp8_dot_spec_parse("blackwell-nvf4", &u[0], err, sizeof err) == 0);
  ck_assert(fp8_dot_spec_parse("nvfp4-exact", &u[1], err, sizeof err) == 0);
  ck_assert(fp8_format_parse("fp32", &f32, err, sizeof err) == 0);
  uint8_t A[64], B[64], SA[4] = {0x3c, 0x2c, 0x2c, 0x3c}, SB[4] = {0x38, 0x3c, 0x2c, 0x38};
  for (int i = 0; i < 64; i++) {
    A[i] = (uint8_t)((i * 5 + 1) % 16);
    B[i] = (uint8_t)((i * 3 + 7) % 16);
  }
  const float ta = 3 * 0x1p-10f, tb = 5 * 0x1p-12f;
  for (int v = 0; v < 2; v++) {
    uint32_t C[4];
    ck_assert_msg(fp8_gemm(&u[v], &nv, &nv, 2, 2, 32, A, B, SA, SB, ta, tb, &f32, C, err, sizeof err) == 0,
                  "%s", err);
    for (int i = 0; i < 2; i++)
      for (int j = 0; j < 2; j++) {
        double s = 0;   /* exact: e2m1 products times two 4-bit scales */
        for (int blk = 0; blk < 2; blk++) {
          double bs = 0;
          for (int t = 0; t < 16; t++)
            bs += e2m1(A[i * 32 + blk * 16 + t]) * e2m1(B[j * 32 + blk * 16 + t]);
          s += bs * ue4m3(SA[i * 2 + blk]) * ue4m3(SB[j * 2 + blk]);
        }
        float want = (float)s * (ta * tb);   /* s exact in fp32 here (few bits) */
        ck_assert_msg(u2f(C[i * 2 + j]) == want, "unit %d C[%d][%d] = %a, expected %a", v, i, j,
                      (double)u2f(C[i * 2 + j]), (double)want);
      }
  }
}
END_TEST

/* Random chains over many blocks against the models. */
static void random_chain(const bfmt *f, const char *unit, const char *fmt, char kind, int F, int n, int B,
                         int ebits, int spread, int trials)
{
  fp8_dot *d = bunit(unit, fmt);
  enum { K = 64 * 21 + 7 };   /* ragged: a short last block and a partial step */
  static uint16_t a[K], b[K], sa[K], sb[K];
  for (int t = 0; t < trials; t++) {
    int k = t % 3 == 0 ? K : (int)(rnd() % K) + 1;
    for (int i = 0; i < k; i++) {
      do a[i] = (uint16_t)(rnd() & ((1u << ebits) - 1)); while (isnan(f->elem(a[i])));
      do b[i] = (uint16_t)(rnd() & ((1u << ebits) - 1)); while (isnan(f->elem(b[i])));
    }
    for (int j = 0; j < (k + B - 1) / B; j++) {
      if (f->scale == e8m0) {
        sa[j] = (uint16_t)(127 + (int)(rnd() % (2 * spread + 1)) - spread);
        sb[j] = (uint16_t)(127 + (int)(rnd() % (2 * spread + 1)) - spread);
      } else {
        do sa[j] = (uint16_t)(rnd() & 0x7f); while (isnan(ue4m3(sa[j])));
        do sb[j] = (uint16_t)(rnd() & 0x7f); while (isnan(ue4m3(sb[j])));
      }
    }
    uint32_t got = run(d, a, b, sa, sb, (size_t)k, NULL);
    uint32_t want = model(f, kind, F, n, B, a, b, sa, sb, (size_t)k);
    ck_assert_msg(got == want, "%s on %s, trial %d (K = %d, seed %lu): got %08x (%a), expected %08x (%a)", unit,
                  fmt, t, k, test_seed, got, (double)u2f(got), want, (double)u2f(want));
  }
  fp8_dot_free(d);
}

START_TEST(chains)
{
  int tr = (int)(20 * level);
  random_chain(&MX8, "mx-exact", "mxfp8_e4m3", 'x', 0, 32, 32, 8, 6, tr);
  random_chain(&MX8, "blackwell-mxf8f6f4", "mxfp8_e4m3", 'p', 25, 32, 32, 8, 6, tr);
  random_chain(&MX8, "blackwell-mxf8f6f4", "mxfp8_e4m3", 'p', 25, 32, 32, 8, 40, tr);
  random_chain(&MX4, "blackwell-mxf8f6f4", "mxfp4_e2m1", 'p', 25, 32, 32, 4, 6, tr);
  random_chain(&MX4, "blackwell-mxf4", "mxfp4_e2m1", 'g', 35, 64, 32, 4, 6, tr);
  random_chain(&MX4, "blackwell-mxf4", "mxfp4_e2m1", 'g', 35, 64, 32, 4, 30, tr);
  random_chain(&MX4, "mx-exact", "mxfp4_e2m1", 'x', 0, 32, 32, 4, 10, tr);
  random_chain(&NV4, "blackwell-nvf4", "nvfp4", 'g', 35, 64, 16, 4, 0, tr);
  random_chain(&MX4, "blackwell-mxf4", "mxfp4_e2m1", 'g', 35, 64, 32, 4, 14, tr);
  random_chain(&NV4, "nvfp4-exact", "nvfp4", 'x', 0, 16, 16, 4, 0, tr);
  /* E4M3 groups of 16 in a 35-bit window: terms beyond 62 bits (the 128-bit sums) */
  random_chain(&MX8, "blackwell-mxf4", "mxfp8_e4m3", 'g', 35, 64, 32, 8, 6, tr);
  model_term = MPFR_RNDN;
  random_chain(&MX8, "blackwell-mxf4:term=rne", "mxfp8_e4m3", 'g', 35, 64, 32, 8, 30, tr);
  model_term = MPFR_RNDZ;
  /* the other term roundings and C added after, on narrow windows where they bite */
  static const struct { const char *suffix; mpfr_rnd_t term; bool after; } v[] = {
    {":term=rne", MPFR_RNDN, false}, {":term=rdn", MPFR_RNDD, false}, {":c=after", MPFR_RNDZ, true},
    {":term=rne:c=after", MPFR_RNDN, true}};
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    char u1[96], u2[96];
    snprintf(u1, sizeof u1, "blackwell-mxf8f6f4:window=12%s", v[i].suffix);
    snprintf(u2, sizeof u2, "blackwell-nvf4:window=9%s", v[i].suffix);
    model_term = v[i].term;
    model_after = v[i].after;
    random_chain(&MX8, u1, "mxfp8_e4m3", 'p', 12, 32, 32, 8, 6, tr);
    random_chain(&NV4, u2, "nvfp4", 'g', 9, 64, 16, 4, 0, tr);
  }
  model_term = MPFR_RNDZ;
  model_after = false;
}
END_TEST

START_TEST(misuse)
{
  fp8_dot_spec s;
  fp8_block_format mx, nv;
  fp8_format e4 = get("float8_e4m3fn");
  fp8_block_format pe4;
  fp8_block_from_format(&e4, &pe4);
  char err[400];
  ck_assert(fp8_block_parse("mxfp8_e4m3", &mx, err, sizeof err) == 0);
  ck_assert(fp8_block_parse("nvfp4", &nv, err, sizeof err) == 0);
  ck_assert(fp8_dot_spec_parse("blackwell-mxf8f6f4", &s, err, sizeof err) == 0);
  ck_assert(fp8_dot_alloc(&pe4, NULL, &s, err, sizeof err) == NULL);
  ck_assert_msg(strstr(err, "block-scale stage"), "%s", err);
  ck_assert(fp8_dot_alloc(&nv, NULL, &s, err, sizeof err) == NULL);   /* blocks of 16 vs 32 */
  ck_assert_msg(strstr(err, "blocks of 16"), "%s", err);
  ck_assert(fp8_dot_spec_parse("hopper-fp8", &s, err, sizeof err) == 0);
  ck_assert(fp8_dot_alloc(&mx, NULL, &s, err, sizeof err) == NULL);
  ck_assert_msg(strstr(err, "no block-scale stage"), "%s", err);
  ck_assert(fp8_dot_spec_parse("fp32:n=64:window=exact:kblock=32:group=32", &s, err, sizeof err) == 0);
  ck_assert(fp8_dot_alloc(&mx, NULL, &s, err, sizeof err) == NULL);
  ck_assert_msg(strstr(err, "one scale pair per step"), "%s", err);
  ck_assert(fp8_dot_spec_parse("fp32:n=32:window=25:kblock=32:group=5", &s, err, sizeof err) == 0);
  ck_assert(fp8_dot_alloc(&mx, NULL, &s, err, sizeof err) == NULL);
  /* one operand with a block scale and one without: the unit names the plain one */
  ck_assert(fp8_dot_spec_parse("blackwell-mxf8f6f4", &s, err, sizeof err) == 0);
  ck_assert(fp8_dot_alloc(&mx, &pe4, &s, err, sizeof err) == NULL);
  ck_assert_msg(strstr(err, "not float8_e4m3fn"), "%s", err);
  /* block operands without their scale codes */
  uint8_t ca[32] = {0};
  uint32_t cc[1];
  fp8_format f32 = get("fp32");
  ck_assert(fp8_gemm(&s, &mx, &mx, 1, 1, 32, ca, ca, NULL, NULL, 1, 1, &f32, cc, err, sizeof err) == -1);
  ck_assert_msg(strstr(err, "mxfp8_e4m3 without its scale codes"), "%s", err);
  ck_assert(fp8_dot_spec_parse("blackwell-mxf4:group=x", &s, err, sizeof err) == -1);
  ck_assert_msg(strstr(err, "group=x"), "%s", err);
  /* a push that starts mid-block continues it: 20 + 20 products in blocks of
   * 32 with X_A = 2^1 (block 0) and 2^2 (block 1), X_B = 1: 32 * 2 + 8 * 4 */
  fp8_dot *d = bunit("mx-exact", "mxfp8_e4m3");
  uint16_t a[40], b[40], sc[2] = {128, 129}, one[2] = {127, 127};
  for (int i = 0; i < 40; i++)
    a[i] = b[i] = 0x38;
  ck_assert_int_eq(fp8_dot_push_block(d, a, b, sc, one, 20), 0);
  ck_assert_int_eq(fp8_dot_push_block(d, a, b, sc, one, 20), 0);
  ck_assert_uint_eq(fp8_dot_result_f32(d, NULL), f2u(96.0f));
  for (int i = 1; i < 40; i++)
    a[i] = 0;
  /* the per-tensor feed scales by 1: the plain sum */
  fp8_dot_clear(d);
  fp8_dot_push_u16(d, a, b, 40);
  ck_assert_uint_eq(fp8_dot_result_f32(d, NULL), f2u(1.0f));
  char name[160];
  fp8_dot_spec_name(fp8_dot_spec_of(d), name, sizeof name);
  ck_assert_str_eq(name, "mx-exact");
  fp8_dot_free(d);
}
END_TEST

int main(void)
{
  test_init("test_dot_block", 0x14c);
  mpfr_set_emin(mpfr_get_emin_min());
  mpfr_set_emax(mpfr_get_emax_max());
  Suite *s = suite_create("dot_block");
  TCase *tc = tcase_create("block");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, powers_of_two);
  tcase_add_test(tc, cancellation);
  tcase_add_test(tc, e8m0_limits);
  tcase_add_test(tc, nan_scale);
  tcase_add_test(tc, group_scale_sets_window);
  tcase_add_test(tc, wide_terms_rounded);
  tcase_add_test(tc, nvfp4_two_level);
  tcase_add_test(tc, chains);
  tcase_add_test(tc, misuse);
  suite_add_tcase(s, tc);
  (void)run_suite;   /* mac_test_util.h's helpers this suite does not use */
  (void)unit;
  return fp8_check_run(s);
}
