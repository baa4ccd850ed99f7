/* test_mac_mpfr.c - floating-point accumulators other than plain fp32 against
 * MPFR: fp16, bf16, an 8-bit IEEE accumulator and e6m9, and the flush-to-zero
 * variants of fp16, bf16 and fp32.
 *
 * Oracle for one step acc <- acc + a*b: the exact a*b + acc (MPFR at 640 bits,
 * enough for every exponent spread here), rounded to the accumulator's
 * precision, then mpfr_check_range and mpfr_subnormalize with the format's
 * exponent range (the MPFR manual's recipe for IEEE subnormals).  Flush to
 * zero follows mac.h from its definition: a subnormal acc is read as a zero of
 * its sign; an exact sum below 2^emin in magnitude becomes a zero of its sign.
 * Values, NaN-ness, zero signs and the four flags are compared after every
 * step, from TestFloat-style random accumulator states. */
#include <math.h>
#include <string.h>

#include <mpfr.h>

#include "mac_test_util.h"

#define EXACT_PREC 640

static const char *const accs[] = {"fp16", "bf16", "e4m3", "e6m9", "fp16:ftz", "bf16:ftz", "fp32:ftz"};
static const char *const inputs[] = {"int8", "fp8-e2", "fp8-e4", "fp8-e5", "float8_e4m3fn",
                                     "float8_e5m2", "float8_e3m4", "fp16", "bf16"};
#define NACC (sizeof accs / sizeof accs[0])
#define NIN (sizeof inputs / sizeof inputs[0])

/* A random accumulator code: zeros, subnormals, the smallest and largest
 * binades, around 1, Inf, NaN, or random bits. */
static uint32_t pattern_code(const fp8_format *f)
{
  uint32_t sign = (uint32_t)(rnd() & 1) << (f->bits - 1);
  uint32_t mmask = (1u << f->mbits) - 1, emax_field = (1u << f->ebits) - 1;
  uint32_t m = (uint32_t)rnd() & mmask, e;
  switch (rnd() % 8) {
  case 0: e = 0; m = 0; break;
  case 1: e = 0; break;
  case 2: e = 1 + (uint32_t)(rnd() % 2); break;
  case 3: e = emax_field - 1 - (uint32_t)(rnd() % 2); break;
  case 4: e = (uint32_t)f->bias; break;
  case 5: e = emax_field; m = rnd() % 2 ? 0 : m | (1u << (f->mbits - 1)); break;
  default: e = (uint32_t)(rnd() % (emax_field + 1)); break;
  }
  return sign | (e << f->mbits) | m;
}

typedef struct oracle {
  mpfr_t a, b, c, x, r;
  mpfr_exp_t emin, emax;
} oracle;

static void set_code(mpfr_t v, const fp8_format *f, uint32_t code)
{
  mpfr_set_d(v, fp8_codec_decode(f, code), MPFR_RNDN);   /* exact: <= 24 bits */
}

/* Expected code and flags of one step. */
static uint32_t expect(oracle *o, const fp8_format *fa, uint32_t a, const fp8_format *fb, uint32_t b,
                       const fp8_format *F, bool ftz, uint32_t acc, unsigned *flags)
{
  set_code(o->a, fa, a);
  set_code(o->b, fb, b);
  set_code(o->c, F, acc);
  if ((mpfr_zero_p(o->a) && mpfr_inf_p(o->b)) || (mpfr_inf_p(o->a) && mpfr_zero_p(o->b)))
    *flags |= FP8_MAC_INVALID;                /* 0 x Inf, whatever acc is (mac.h) */
  if (mpfr_nan_p(o->c) || mpfr_nan_p(o->a) || mpfr_nan_p(o->b))
    return fp8_format_nan_code(F, 0);         /* quiet NaNs raise nothing */
  if (ftz && fp8_codec_classify(F, acc) == FP8_CLASS_SUBNORMAL)
    mpfr_set_zero(o->c, mpfr_signbit(o->c) ? -1 : 1);
  mpfr_fma(o->x, o->a, o->b, o->c, MPFR_RNDN);              /* exact */
  if (mpfr_nan_p(o->x)) {
    *flags |= FP8_MAC_INVALID;                              /* 0 x Inf, Inf - Inf */
    return fp8_format_nan_code(F, 0);
  }
  if (ftz && mpfr_regular_p(o->x) && mpfr_get_exp(o->x) - 1 < fp8_format_emin(F)) {
    *flags |= FP8_MAC_INEXACT | FP8_MAC_UNDERFLOW;
    return mpfr_signbit(o->x) ? fp8_format_sign_bit(F) : 0;
  }
  int t = mpfr_set(o->r, o->x, MPFR_RNDN);
  mpfr_set_emin(o->emin);
  mpfr_set_emax(o->emax);
  t = mpfr_check_range(o->r, t, MPFR_RNDN);
  t = mpfr_subnormalize(o->r, t, MPFR_RNDN);
  mpfr_set_emin(mpfr_get_emin_min());
  mpfr_set_emax(mpfr_get_emax_max());
  if (t)
    *flags |= FP8_MAC_INEXACT;
  if (mpfr_inf_p(o->r) && !mpfr_inf_p(o->x))
    *flags |= FP8_MAC_OVERFLOW;
  if (t && !ftz && (mpfr_zero_p(o->r) || (mpfr_regular_p(o->r) && mpfr_get_exp(o->r) - 1 < fp8_format_emin(F))))
    *flags |= FP8_MAC_UNDERFLOW;
  return fp8_codec_encode(F, mpfr_get_d(o->r, MPFR_RNDN), NULL, NULL);  /* exact: in F */
}

START_TEST(fp_vs_mpfr)
{
  fp8_format F0;
  const char *accname = accs[_i / NIN];
  fp8_format fin = get(inputs[_i % NIN]);
  fp8_mac *m = unit(&fin, NULL, accname, 0);
  const fp8_acc_spec *spec = fp8_mac_acc(m);
  F0 = spec->fmt;
  const fp8_format *F = &F0;
  oracle o;
  mpfr_set_emin(mpfr_get_emin_min());
  mpfr_set_emax(mpfr_get_emax_max());
  mpfr_inits2(64, o.a, o.b, o.c, (mpfr_ptr)0);
  mpfr_init2(o.x, EXACT_PREC);
  mpfr_init2(o.r, F->mbits + 1);
  /* MPFR's significands are in [1/2, 1): emax = emax(F) + 1, and the least
   * subnormal 2^(emin - M) is 2^(emin - M + 1) * 1/2. */
  o.emax = fp8_format_emax(F) + 1;
  o.emin = fp8_format_emin(F) - F->mbits + 1;
  uint32_t mask = fp8_format_ncodes_minus1(&fin);
  long steps = 500000 * level, flushes = 0, subs = 0, ovf = 0;
  fp8_mac_state s;
  char err[200];
  uint32_t code = 0;
  for (long i = 0; i < steps; i++) {
    if (i % 64 == 0) {
      memset(&s, 0, sizeof s);
      s.acc[0] = code = pattern_code(F);
      REQUIRE(fp8_mac_set_state(m, &s, err, sizeof err) == 0, "%s", err);
    } else {
      s.flags = 0;                            /* flags of this step only */
      REQUIRE(fp8_mac_set_state(m, &s, err, sizeof err) == 0, "%s", err);
    }
    uint64_t r = rnd();
    uint32_t a = (uint32_t)r & mask, b = (uint32_t)(r >> 20) & mask;
    unsigned want_flags = 0;
    uint32_t want = expect(&o, &fin, a, &fin, b, F, spec->ftz, code, &want_flags);
    fp8_mac_step(m, a, b);
    fp8_mac_get_state(m, &s);
    REQUIRE((uint32_t)s.acc[0] == want && s.flags == want_flags,
            "%s x %s -> %s step %ld: %x*%x + 0x%x gave 0x%llx flags 0x%x, want 0x%x flags 0x%x (seed %lu)",
            fin.name, fin.name, accname, i, a, b, code, (unsigned long long)s.acc[0], s.flags, want,
            want_flags, test_seed);
    code = want;
    flushes += spec->ftz && (want_flags & FP8_MAC_UNDERFLOW);
    subs += fp8_codec_classify(F, want) == FP8_CLASS_SUBNORMAL;
    ovf += (want_flags & FP8_MAC_OVERFLOW) != 0;
  }
  printf("  %s x %s -> %s: %ld steps, %ld subnormal results, %ld flushes, %ld overflows\n", fin.name,
         fin.name, accname, steps, subs, flushes, ovf);
  if (spec->ftz)
    ck_assert_msg(subs == 0, "ftz produced subnormals");
  mpfr_clears(o.a, o.b, o.c, o.x, o.r, (mpfr_ptr)0);
  fp8_mac_free(m);
}
END_TEST

/* Signed-zero and special rules of mac.h, directed (fp16 accumulator). */
START_TEST(fp_directed)
{
  fp8_format e5 = get("float8_e5m2"), h = get("fp16");
  fp8_mac *m = unit(&e5, NULL, "fp16", 0);
  fp8_mac_state s = {{0x8000, 0, 0, 0}, 0};   /* -0 */
  char err[200];
  ck_assert_int_eq(fp8_mac_set_state(m, &s, err, sizeof err), 0);
  fp8_mac_step(m, 0x80, 0x3c);                /* -0 * 1: -0 + -0 = -0 */
  fp8_mac_get_state(m, &s);
  ck_assert_uint_eq(s.acc[0], 0x8000);
  fp8_mac_step(m, 0x00, 0x3c);                /* +0: -0 + +0 = +0 */
  fp8_mac_get_state(m, &s);
  ck_assert_uint_eq(s.acc[0], 0x0000);
  fp8_mac_step(m, 0x3c, 0x3c);                /* 1 */
  fp8_mac_step(m, 0xbc, 0x3c);                /* - 1: x + (-x) = +0 */
  fp8_mac_get_state(m, &s);
  ck_assert_uint_eq(s.acc[0], 0x0000);
  fp8_mac_step(m, 0x7c, 0x00);                /* Inf * 0 */
  fp8_mac_get_state(m, &s);
  ck_assert_uint_eq(s.acc[0], fp8_format_nan_code(&h, 0));
  ck_assert_uint_eq(s.flags, FP8_MAC_INVALID);
  fp8_mac_clear(m);
  fp8_mac_step(m, 0x7b, 0x7b);                /* 57344^2: overflow to Inf */
  fp8_mac_get_state(m, &s);
  ck_assert_uint_eq(s.acc[0], 0x7c00);
  ck_assert_uint_eq(s.flags, FP8_MAC_OVERFLOW | FP8_MAC_INEXACT);
  fp8_mac_step(m, 0xfc, 0x3c);                /* + -Inf: Inf - Inf */
  fp8_mac_get_state(m, &s);
  ck_assert_uint_eq(s.acc[0], 0x7e00);
  ck_assert(s.flags & FP8_MAC_INVALID);
  fp8_mac_free(m);

  /* ftz: a subnormal acc is read as a zero of its sign; tiny sums flush. */
  m = unit(&e5, NULL, "fp16:ftz", 0);
  s = (fp8_mac_state){{0x8001, 0, 0, 0}, 0};  /* -2^-24, read as -0 */
  ck_assert_int_eq(fp8_mac_set_state(m, &s, err, sizeof err), 0);
  fp8_mac_step(m, 0x80, 0x3c);                /* + -0 = -0 */
  fp8_mac_get_state(m, &s);
  ck_assert_uint_eq(s.acc[0], 0x8000);
  ck_assert_uint_eq(s.flags, 0);
  fp8_mac_step(m, 0x84, 0x01);                /* -2^-14 * 2^-16 = -2^-30: flushed to -0 */
  fp8_mac_get_state(m, &s);
  ck_assert_uint_eq(s.acc[0], 0x8000);
  ck_assert_uint_eq(s.flags, FP8_MAC_INEXACT | FP8_MAC_UNDERFLOW);
  fp8_mac_free(m);
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("mac_mpfr");
  TCase *t = tcase_create("mpfr");
  tcase_set_timeout(t, 1200);
  tcase_add_loop_test(t, fp_vs_mpfr, 0, NACC * NIN);
  tcase_add_test(t, fp_directed);
  suite_add_tcase(s, t);
  return s;
}

int main(void)
{
  test_init("test_mac_mpfr", 20260323ul);
  return run_suite(suite());
}
