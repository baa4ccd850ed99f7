/* verify_stim_lanes.c - the phases of `fp8lab verify` for a unit of n > 1
 * products per step (TestFloat style, biased toward what breaks alignment),
 * after the phases every unit runs (verify_stim.c).
 *
 * Per configuration, in this order (every step is compared):
 *  1. every operand pair (a, b) as the single nonzero term of a step, at a
 *     position that walks the n lanes, from an accumulator state that cycles
 *     through the state classes (zero, -0, small / random / near-product
 *     normals of both signs, subnormal, min normal, max finite, +-Inf, NaN);
 *     level 2: every pair from every class;
 *  2. every state class against every single nonzero term a x b (a every
 *     code, b a few random finite codes);
 *  3. directed sequences: exact cancellation (a*b + (-a)*b, and C = a*b then
 *     -a*b), overflow from max finite with the largest products, a chain of
 *     steps from zero, all-zero steps;
 *  4. seeded random steps (with random loads and clears), each of a kind:
 *     uniform codes, one huge term and many tiny ones, exponent spreads
 *     just inside and just outside the window, cancelling pairs,
 *     subnormal operands, all zeros, C near the terms.
 * Each part is a list of self-contained units (verify_shard.h: one first
 * operand's pairs, one state class, a block of directed repetitions, the
 * chain, a block of RANDOM_UNIT random steps), each starting with a load or a
 * clear and drawing only from the stream unit() seeds for it.
 */
#include "verify.h"

#include <string.h>

#include "unit_facts.h"
#include "rng.h"

#define RANDOM_UNIT 65536         /* random steps per unit */
#define DIRECTED_UNIT 250         /* cancellation repetitions per unit */

typedef struct dstim {
  fp8_verify *v;
  const fp8_format *in, *acc;
  int n, F;
  int kw;                                  /* Kulisch register width, 0: FP */
  gsl_rng *rng;
  uint32_t a[FP8_DOT_MAX_N], b[FP8_DOT_MAX_N];
} dstim;

static uint64_t rnd(dstim *s) { return fp8_rng_bits64(s->rng); }
static int rint_(dstim *s, int lo, int hi) { return lo + (int)(rnd(s) % (uint64_t)(hi - lo + 1)); }

static bool finite_code(const fp8_format *f, uint32_t c)
{
  fp8_class k = fp8_codec_classify(f, c);
  return k != FP8_CLASS_NAN && k != FP8_CLASS_INF;
}

/* An input code of sign, exponent field e (clamped to the format) and a
 * random mantissa, finite. */
static uint32_t in_code(dstim *s, int sign, int e)
{
  const fp8_format *f = s->in;
  int emaxf = (1 << f->ebits) - 1;
  e = e < 0 ? 0 : e > emaxf ? emaxf : e;
  for (int t = 0; t < 16; t++) {
    uint32_t m = (uint32_t)(rnd(s) & ((1u << f->mbits) - 1));
    uint32_t c = ((uint32_t)sign << (f->bits - 1)) | ((uint32_t)e << f->mbits) | m;
    if (finite_code(f, c))
      return c;
    e = e > 1 ? e - 1 : e;
  }
  return 0;
}

static uint32_t rand_finite(dstim *s)
{
  uint32_t c;
  do
    c = (uint32_t)(rnd(s) & fp8_format_ncodes_minus1(s->in));
  while (!finite_code(s->in, c));
  return c;
}

/* An accumulator code of sign, exponent field e (clamped) and mantissa m. */
static uint32_t acc_code(const fp8_format *f, int sign, long e, uint64_t m)
{
  long emaxf = (1L << f->ebits) - 1;
  e = e < 0 ? 0 : e > emaxf ? emaxf : e;
  return ((uint32_t)sign << (f->bits - 1)) | ((uint32_t)e << f->mbits) |
         (uint32_t)(m & ((1ull << f->mbits) - 1));
}

/* The accumulator exponent field of a value near the products of exponent
 * field sum es (biased input exponents ea + eb). */
static long acc_field_near(dstim *s, int es, int spread)
{
  long unb = es - 2L * s->in->bias;
  return unb + s->acc->bias + rint_(s, -spread, spread);
}

enum { NCLASS = 13 };

/* State class k (0 .. NCLASS-1) of the accumulator. */
static uint32_t state_of(dstim *s, int k)
{
  const fp8_format *f = s->acc;
  long emaxf = (1L << f->ebits) - 1;
  int sign = (int)(rnd(s) & 1);
  uint64_t m = rnd(s);
  int mid = (1 << s->in->ebits) - 2;
  switch (k) {
  case 0: return 0;
  case 1: return fp8_format_sign_bit(f);                               /* -0 */
  case 2: return acc_code(f, sign, acc_field_near(s, rint_(s, 0, 2 * mid), 2), m);
  case 3: return acc_code(f, sign, rint_(s, 1, (int)emaxf - 1), m);      /* any normal */
  case 4: return acc_code(f, sign, acc_field_near(s, rint_(s, 0, 2 * mid), s->F + 4), m);
  case 5: return acc_code(f, sign, 0, m | 1);                          /* subnormal */
  case 6: return acc_code(f, sign, 1, 0);                              /* min normal */
  case 7: return acc_code(f, sign, emaxf - 1, ~0ull);                  /* max finite */
  case 8: return fp8_format_inf_code(f, 0);
  case 9: return fp8_format_inf_code(f, 1);
  case 10: return fp8_format_nan_code(f, 0);
  case 11: return acc_code(f, sign, acc_field_near(s, rint_(s, 0, 2 * mid), 0), 0);
  default: return acc_code(f, sign, emaxf - 1 - rint_(s, 0, 3), m);     /* near overflow */
  }
}

/* Kulisch: state class k as a W-bit register (zero, -1, small, random,
 * large, one, max, min, near max and min, powers of two, near overflow). */
static uint32_t kstate_of(dstim *s, int k)
{
  const int w = s->kw;
  const int64_t half = (int64_t)1 << (w - 1), big = (int64_t)1 << (w - 7);
  int64_t r = (int64_t)(rnd(s) >> 1), x;
  int sign = (int)(rnd(s) & 1);
  switch (k) {
  case 0: x = 0; break;
  case 1: x = -1; break;
  case 2: x = r % (1 << 16); break;
  case 3: x = r % (2 * half) - half; break;
  case 4: x = r % big; break;
  case 5: x = -(r % (1 << 16)); break;
  case 6: x = 1; break;
  case 7: x = half - 1; break;
  case 8: x = -half; break;
  case 9: x = half - 1 - r % (1 << 20); break;
  case 10: x = -half + r % (1 << 20); break;
  case 11: x = (int64_t)1 << (r % (w - 1)); break;
  default: x = half - 1 - r % (1 << 16); break;
  }
  if (sign && k >= 11)
    x = -x - 1;
  return (uint32_t)((uint64_t)x & (uint64_t)(2 * half - 1));
}

/* A state of class k of the unit's accumulator. */
static uint32_t acc_state(dstim *s, int k)
{
  return s->kw ? kstate_of(s, k) : state_of(s, k);
}

/* The accumulator code of the exact value x (an exact product). */
static uint32_t acc_encode(dstim *s, double x)
{
  if (s->kw)
    return (uint32_t)((uint64_t)(int64_t)x & (((uint64_t)1 << s->kw) - 1));
  return fp8_codec_encode(s->acc, x, NULL, NULL);
}

static void zero_terms(dstim *s)
{
  memset(s->a, 0, sizeof s->a[0] * (size_t)s->n);
  memset(s->b, 0, sizeof s->b[0] * (size_t)s->n);
}

/* One random step of a kind that stresses the alignment. */
static void random_terms(dstim *s)
{
  const int n = s->n, ef = (1 << s->in->ebits) - 1;
  int kind = rint_(s, 0, 7);
  switch (kind) {
  case 0:                                             /* uniform codes */
    for (int i = 0; i < n; i++) {
      s->a[i] = (uint32_t)(rnd(s) & fp8_format_ncodes_minus1(s->in));
      s->b[i] = (uint32_t)(rnd(s) & fp8_format_ncodes_minus1(s->in));
    }
    break;
  case 1: {                                           /* one huge, many tiny */
    for (int i = 0; i < n; i++) {
      s->a[i] = in_code(s, (int)(rnd(s) & 1), rint_(s, 0, 2));
      s->b[i] = in_code(s, (int)(rnd(s) & 1), rint_(s, 0, ef / 2));
    }
    int h = rint_(s, 0, n - 1);
    s->a[h] = in_code(s, (int)(rnd(s) & 1), ef - rint_(s, 0, 2));
    s->b[h] = in_code(s, (int)(rnd(s) & 1), ef - rint_(s, 0, 2));
    break;
  }
  case 2: case 3: {                                   /* spreads at the window's edge */
    int ref = rint_(s, ef / 2, 2 * ef - 2);
    for (int i = 0; i < n; i++) {
      int d = i == 0 ? 0 : s->F + rint_(s, -4, 3);
      if (kind == 3 && i > 0)
        d = rint_(s, 0, s->F + 4);
      int es = ref - d, ea = rint_(s, 0, ef);
      if (ea > es)
        ea = es > 0 ? es : 0;
      if (es - ea > ef)
        ea = es - ef;
      s->a[i] = in_code(s, (int)(rnd(s) & 1), ea);
      s->b[i] = in_code(s, (int)(rnd(s) & 1), es - ea);
    }
    break;
  }
  case 4:                                             /* cancelling pairs */
    for (int i = 0; i + 1 < n; i += 2) {
      s->a[i] = rand_finite(s);
      s->b[i] = rand_finite(s);
      s->a[i + 1] = s->a[i] ^ fp8_format_sign_bit(s->in);
      s->b[i + 1] = s->b[i];
    }
    if (n & 1)
      s->a[n - 1] = s->b[n - 1] = rand_finite(s);
    break;
  case 5:                                             /* subnormal operands */
    for (int i = 0; i < n; i++) {
      s->a[i] = in_code(s, (int)(rnd(s) & 1), 0);
      s->b[i] = rnd(s) & 1 ? in_code(s, (int)(rnd(s) & 1), 0) : rand_finite(s);
    }
    break;
  case 6:
    zero_terms(s);
    break;
  default:                                            /* a few terms, the rest zero */
    zero_terms(s);
    for (int k = rint_(s, 1, 3); k > 0; k--) {
      int i = rint_(s, 0, n - 1);
      s->a[i] = rand_finite(s);
      s->b[i] = rand_finite(s);
    }
  }
}

static void step(dstim *s) { fp8_verify_step(s->v, s->a, s->b); }

/* Load accumulator code c and the RTL's 4 flags (a Kulisch unit's shifted
 * into mac.h's place; +Inf and -Inf together only with NaN, the states a
 * step can leave). */
static void load(dstim *s, uint32_t c, unsigned flags)
{
  fp8_mac_state st;
  memset(&st, 0, sizeof st);
  st.acc[0] = c & (s->kw ? (uint32_t)(((uint64_t)1 << s->kw) - 1) : fp8_format_ncodes_minus1(s->acc));
  st.flags = flags & 15;
  if (s->kw) {
    st.flags <<= 4;
    if ((st.flags & (FP8_MAC_PINF | FP8_MAC_NINF)) == (FP8_MAC_PINF | FP8_MAC_NINF))
      st.flags |= FP8_MAC_NAN;
  }
  fp8_verify_load(s->v, &st);
}

static bool unit(dstim *s) { return fp8_verify_unit_rng(s->v, s->rng); }

void fp8_verify_lanes(fp8_verify *v, const fp8_verify_opts *o)
{
  const fp8_verify_unit_info *u = fp8_verify_info(v);
  dstim s = {.v = v, .in = u->in, .acc = u->acc, .n = u->n, .F = u->spec->window};
  s.kw = u->acc ? 0 : u->width;
  if (s.F < 0)                      /* exact: spreads over the whole product range */
    s.F = fp8_facts_exact_window(s.in);
  s.rng = fp8_rng_alloc(o->seed);
  const uint32_t nc = fp8_format_ncodes_minus1(s.in) + 1;
  const int classes_per_pair = o->level >= 2 ? NCLASS : 1;

  /* 1. every pair as the single nonzero term; one unit per first operand */
  for (uint32_t a = 0; a < nc; a++) {
    if (!unit(&s))
      continue;
    for (uint32_t b = 0; b < nc; b++)
      for (int k = 0; k < classes_per_pair; k++) {
        uint32_t j = a * nc + b;
        zero_terms(&s);
        int pos = (int)((j * 7 + (uint32_t)k) % (uint32_t)s.n);
        s.a[pos] = a;
        s.b[pos] = b;
        load(&s, acc_state(&s, classes_per_pair > 1 ? k : (int)(j % NCLASS)), 0);
        step(&s);
        if (fp8_verify_done(v))
          goto out;
      }
  }
  /* 2. every state class against every single term a x b; one unit per class */
  for (int k = 0; k < NCLASS; k++) {
    if (!unit(&s))
      continue;
    for (uint32_t a = 0; a < nc; a++)
      for (int r = 0; r < 4; r++) {
        zero_terms(&s);
        int pos = rint_(&s, 0, s.n - 1);
        s.a[pos] = a;
        s.b[pos] = rand_finite(&s);
        load(&s, acc_state(&s, k), (unsigned)(rnd(&s) & 15));
        step(&s);
        if (fp8_verify_done(v))
          goto out;
      }
  }
  /* 3. directed sequences */
  for (int r = 0; r < 2000; r++) {
    if (r % DIRECTED_UNIT == 0 && !unit(&s)) {
      r += DIRECTED_UNIT - 1;
      continue;
    }
    uint32_t a = rand_finite(&s), b = rand_finite(&s), sb = fp8_format_sign_bit(s.in);
    zero_terms(&s);                                   /* a*b + (-a)*b = +0 */
    int i = rint_(&s, 0, s.n - 1), j = (i + 1 + rint_(&s, 0, s.n - 1)) % s.n;
    s.a[i] = a;
    s.b[i] = b;
    if (j != i) {
      s.a[j] = a ^ sb;
      s.b[j] = b;
    }
    load(&s, acc_state(&s, r % NCLASS), 0);
    step(&s);
    /* C = a*b exactly (FP8 products fit the accumulator), then -a*b */
    double p = fp8_codec_decode(s.in, a) * fp8_codec_decode(s.in, b);
    load(&s, acc_encode(&s, p), 0);
    zero_terms(&s);
    s.a[i] = a ^ sb;
    s.b[i] = b;
    step(&s);
    if (fp8_verify_done(v))
      goto out;
  }
  if (unit(&s))                                       /* overflow */
    for (int r = 0; r < 200; r++) {
      load(&s, acc_state(&s, 7), 0);
      int sign = (int)(rnd(&s) & 1), ef = (1 << s.in->ebits) - 1;
      for (int i = 0; i < s.n; i++) {
        s.a[i] = in_code(&s, sign, ef);
        s.b[i] = in_code(&s, 0, ef);
      }
      step(&s);
      if (fp8_verify_done(v))
        goto out;
    }
  if (unit(&s)) {                                     /* a chain from zero */
    fp8_verify_clear(v);
    for (int r = 0; r < 2000; r++) {
      random_terms(&s);
      step(&s);
      if (fp8_verify_done(v))
        goto out;
    }
  }
  /* 4. random steps; each unit starts from a random state */
  long long nr = o->random >= 0 ? o->random : o->level >= 2 ? 2000000 : 100000;
  for (long long r = 0; r < nr; r++) {
    if (r % RANDOM_UNIT == 0) {
      if (!unit(&s)) {
        r += RANDOM_UNIT - 1;
        continue;
      }
      load(&s, acc_state(&s, (int)(rnd(&s) % NCLASS)), (unsigned)(rnd(&s) & 15));
    }
    uint64_t x = rnd(&s);
    if ((x & 7) == 0)
      load(&s, acc_state(&s, (int)((x >> 3) % NCLASS)), (unsigned)((x >> 8) & 15));
    else if ((x & 255) == 1)
      fp8_verify_clear(v);
    random_terms(&s);
    step(&s);
    if (fp8_verify_done(v))
      goto out;
  }
out:
  gsl_rng_free(s.rng);
}
