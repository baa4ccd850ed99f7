/* codec_ref.c - the brute-force reference encoder (see codec_ref.h). */
#include "codec_ref.h"

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Codes per the definitions: signed formats have the top bit as sign, unsigned
 * ones none; conventions as in doc/DESIGN.md section 2 and the P3109 report. */
double codec_ref_decode(const fp8_format *f, uint32_t code)
{
  uint32_t all = f->bits >= 32 ? 0xffffffffu : (1u << f->bits) - 1;
  uint32_t sb = f->is_unsigned ? 0 : 1u << (f->bits - 1);
  uint32_t mag = code & (all & ~sb);
  int neg = (code & sb) != 0;
  if (f->ebits == 0) {
    if (f->intenc == FP8_INT_TWOS)
      return neg ? (double)code - 2.0 * sb : (double)code;
    double v = (double)(code & (sb - 1));
    return neg ? -v : v;
  }
  uint32_t emask = (1u << f->ebits) - 1, mmask = (1u << f->mbits) - 1;
  uint32_t e = (mag >> f->mbits) & emask, m = code & mmask;
  double inf = neg ? -INFINITY : INFINITY;
  switch (f->special) {
  case FP8_SPECIAL_IEEE:
    if (e == emask)
      return m ? NAN : inf;
    break;
  case FP8_SPECIAL_FN:
    if (mag == (all & ~sb))
      return NAN;
    break;
  case FP8_SPECIAL_FNUZ:
    if (code == sb)
      return NAN;
    break;
  case FP8_SPECIAL_P3109F:
  case FP8_SPECIAL_P3109E:
    if (code == (f->is_unsigned ? all : sb))
      return NAN;
    if (f->special == FP8_SPECIAL_P3109E && mag == (f->is_unsigned ? all - 1 : sb - 1))
      return inf;
    break;
  case FP8_SPECIAL_NONE:
    break;
  }
  double v;
  if (e == 0 && !f->nozero)
    v = f->subnormals ? ldexp((double)m, 1 - f->bias - f->mbits) : 0.0;
  else
    v = ldexp((double)(m + (1u << f->mbits)), (int)e - f->bias - f->mbits);
  return neg ? -v : v;
}

typedef struct entry { double v; uint32_t code; } entry;

static int cmp_entry(const void *a, const void *b)
{
  const entry *x = a, *y = b;
  if (x->v != y->v)
    return x->v < y->v ? -1 : 1;
  return x->code < y->code ? -1 : x->code > y->code;
}

/* Sort the magnitudes of one sign, keep the smallest code of equal values. */
static size_t build_side(const fp8_format *f, int sign, double **vals, uint32_t **codes)
{
  uint32_t sb = 1u << (f->bits - 1);
  uint32_t ncodes = f->is_unsigned ? (sign ? 0 : 2 * sb) : sb;   /* unsigned: no negative side */
  entry *e = malloc((2 * sb + 1) * sizeof *e);
  if (!e)
    return 0;
  size_t n = 0;
  for (uint32_t c = 0; c < ncodes; c++) {
    uint32_t code = sign ? c | sb : c;
    double v = codec_ref_decode(f, code);
    if (isnan(v) || isinf(v))
      continue;
    e[n].v = fabs(v);
    e[n].code = code;
    n++;
  }
  if (!f->nozero) {  /* +0 stands for zero where the sign has none (fnuz, two's complement) */
    e[n].v = 0.0;
    e[n].code = 0;
    n++;
  } else if (n == 0) {
    free(e);
    return 0;
  }
  qsort(e, n, sizeof *e, cmp_entry);
  /* Zero of a signed side: its own -0 if it has one, else +0 (code 0 sorts first). */
  if (sign && n > 1 && e[1].v == 0.0 && (e[1].code & sb) && f->special != FP8_SPECIAL_FNUZ &&
      f->special != FP8_SPECIAL_P3109F && f->special != FP8_SPECIAL_P3109E &&
      !(f->ebits == 0 && f->intenc == FP8_INT_TWOS))
    e[0] = e[1];
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (k == 0 || e[i].v != e[k - 1].v)
      e[k++] = e[i];
  *vals = malloc(k * sizeof **vals);
  *codes = malloc(k * sizeof **codes);
  if (!*vals || !*codes) {
    free(e);
    return 0;
  }
  for (size_t i = 0; i < k; i++) {
    (*vals)[i] = e[i].v;
    (*codes)[i] = e[i].code;
  }
  free(e);
  return k;
}

codec_ref *codec_ref_alloc(const fp8_format *f)
{
  if (f->bits > 16)
    return NULL;
  codec_ref *r = calloc(1, sizeof *r);
  if (!r)
    return NULL;
  r->f = *f;
  r->npos = build_side(f, 0, &r->pos, &r->poscode);
  r->nneg = f->is_unsigned ? 0 : build_side(f, 1, &r->neg, &r->negcode);
  if (!r->npos || (!r->nneg && !f->is_unsigned)) {
    codec_ref_free(r);
    return NULL;
  }
  return r;
}

void codec_ref_free(codec_ref *r)
{
  if (!r)
    return;
  free(r->pos);
  free(r->neg);
  free(r->poscode);
  free(r->negcode);
  free(r);
}

/* The value one step beyond the largest: max + ulp(max). */
static double beyond_max(const fp8_format *f, double max)
{
  if (f->ebits == 0)
    return max + 1;
  int ex;
  frexp(max, &ex);                  /* max = 0.f * 2^ex: its binade is 2^(ex-1) */
  return max + ldexp(1.0, ex - 1 - f->mbits);
}

static uint32_t ref_nan(const fp8_format *f, int sign)
{
  uint32_t all = (1u << f->bits) - 1;
  uint32_t sb = f->is_unsigned ? 0 : 1u << (f->bits - 1), s = sign ? sb : 0;
  switch (f->special) {
  case FP8_SPECIAL_IEEE: return s | (((1u << f->ebits) - 1) << f->mbits) | (f->mbits ? 1u << (f->mbits - 1) : 0);
  case FP8_SPECIAL_FN:   return s | (all & ~sb);
  case FP8_SPECIAL_FNUZ: return sb;
  case FP8_SPECIAL_P3109F:
  case FP8_SPECIAL_P3109E: return f->is_unsigned ? all : sb;
  default:               return 0;
  }
}

static int ref_has_inf(const fp8_format *f)
{ return f->ebits && (f->special == FP8_SPECIAL_IEEE || f->special == FP8_SPECIAL_P3109E); }

static uint32_t ref_inf(const fp8_format *f, int sign)
{
  uint32_t all = (1u << f->bits) - 1, sb = f->is_unsigned ? 0 : 1u << (f->bits - 1);
  if (f->special == FP8_SPECIAL_P3109E)
    return f->is_unsigned ? all - 1 : (sign ? all : sb - 1);
  return (sign ? sb : 0) | (((1u << f->ebits) - 1) << f->mbits);
}

/* The table in codec.h (fp8_overflow_mode), written out again. */
static uint32_t ref_overflow(const codec_ref *r, int sign, fp8_round_mode mode, fp8_overflow_mode ovf)
{
  const fp8_format *f = &r->f;
  uint32_t maxcode = sign ? r->negcode[r->nneg - 1] : r->poscode[r->npos - 1];
  /* rto: the neighbour with the odd code, max's or Inf's (the virtual code
   * after max is Inf's only in P3109 signed extended formats). */
  int toward_inf = mode == FP8_ROUND_RTP ? !sign : mode == FP8_ROUND_RTN ? sign
                 : mode == FP8_ROUND_RTO ? ref_has_inf(f) && ref_inf(f, 0) % 2
                 : mode != FP8_ROUND_RTZ;
  if (!toward_inf || f->ebits == 0)
    return maxcode;
  if (ovf == FP8_OVERFLOW_NONSAT) {
    if (ref_has_inf(f))
      return ref_inf(f, sign);
    return f->special == FP8_SPECIAL_NONE ? maxcode : ref_nan(f, sign);
  }
  if (ovf == FP8_OVERFLOW_SATNONE && ref_has_inf(f))
    return ref_inf(f, sign);
  return maxcode;
}

/* Below the range (negative into unsigned; zero into nozero). */
static uint32_t ref_underrange(const fp8_format *f, fp8_overflow_mode ovf)
{
  if (ovf == FP8_OVERFLOW_NONSAT && f->special != FP8_SPECIAL_NONE)
    return ref_nan(f, 0);
  return 0;                     /* 0, or with nozero the code of 2^-bias */
}

/* The magnitude code of grid entry i of one side (i == n: the virtual value
 * after max, max's code + 1). */
static uint32_t mag_code(const codec_ref *r, int sign, size_t i)
{
  const fp8_format *f = &r->f;
  size_t n = sign ? r->nneg : r->npos;
  const double *g = sign ? r->neg : r->pos;
  const uint32_t *gc = sign ? r->negcode : r->poscode;
  if (i >= n)
    return mag_code(r, sign, n - 1) + 1;
  if (f->ebits == 0 && f->intenc == FP8_INT_TWOS)
    return (uint32_t)g[i];
  return f->is_unsigned ? gc[i] : gc[i] & ((1u << (f->bits - 1)) - 1);
}

uint32_t codec_ref_encode(const codec_ref *r, double x, fp8_round_mode mode,
                          fp8_overflow_mode ovf, unsigned *flags)
{
  const fp8_format *f = &r->f;
  unsigned fl = 0;
  uint32_t code;
  int sign = signbit(x) != 0;
  int side = sign && !f->is_unsigned;   /* unsigned: one side */
  const double *g = side ? r->neg : r->pos;
  const uint32_t *gc = side ? r->negcode : r->poscode;
  size_t n = side ? r->nneg : r->npos;
  if (isnan(x)) {
    if (f->ebits == 0 || f->special == FP8_SPECIAL_NONE) {
      fl = FP8_FLAG_INVALID;
      code = 0;
    } else {
      code = ref_nan(f, sign);
    }
    goto out;
  }
  /* P3109 v4.0 SatNone: negative into unsigned (with a zero and a NaN) is 0
   * toward zero and toward +Inf, else NaN unless the magnitude rounds to 0. */
  int below = f->is_unsigned && sign && x != 0 && ovf == FP8_OVERFLOW_SATNONE && !f->nozero &&
              f->special != FP8_SPECIAL_NONE;
  if (below && (mode == FP8_ROUND_RTZ || mode == FP8_ROUND_RTP)) {
    fl = FP8_FLAG_INEXACT;
    code = 0;
    goto out;
  }
  if (f->is_unsigned && sign && !below) {
    if (x == 0) {
      code = 0;
      if (f->nozero)
        goto zero_nozero;
      goto out;
    }
    fl = FP8_FLAG_INVALID | FP8_FLAG_INEXACT;
    code = ref_underrange(f, ovf);
    goto out;
  }
  if (below && isinf(x))
    goto below_nan;
  if (isinf(x)) {
    if (ref_has_inf(f) && ovf != FP8_OVERFLOW_SATFINITE) {
      code = ref_inf(f, sign);
    } else {
      fl = FP8_FLAG_OVERFLOW | FP8_FLAG_INEXACT;
      code = ref_overflow(r, sign, FP8_ROUND_RNE, ovf);
    }
    goto out;
  }
  double a = fabs(x);
  if (f->nozero && a < g[0]) {      /* nothing below the smallest value */
    if (a == 0) {
    zero_nozero:
      code = ref_underrange(f, ovf);
      fl = code ? FP8_FLAG_INVALID : FP8_FLAG_UNDERFLOW | FP8_FLAG_INEXACT;
      if (!code)
        code = gc[0];
      goto out;
    }
    fl = FP8_FLAG_UNDERFLOW | FP8_FLAG_INEXACT;
    code = gc[0];
    goto out;
  }
  size_t lo = 0, hi = n;            /* largest i with g[i] <= a: g[lo] <= a < g[hi] */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (g[mid] <= a)
      lo = mid;
    else
      hi = mid;
  }
  if (g[lo] == a) {
    if (below)
      goto below_nan;
    code = gc[lo];
    goto out;
  }
  fl = FP8_FLAG_INEXACT;
  double vlo = g[lo], vhi = lo + 1 < n ? g[lo + 1] : beyond_max(f, g[n - 1]);
  double mid = (vlo + vhi) / 2;    /* exact: adjacent grid values */
  size_t pick;
  switch (mode) {
  case FP8_ROUND_RTZ: pick = lo; break;
  case FP8_ROUND_RNA: pick = a >= mid ? lo + 1 : lo; break;
  case FP8_ROUND_RTP: pick = sign ? lo : lo + 1; break;
  case FP8_ROUND_RTN: pick = sign ? lo + 1 : lo; break;
  case FP8_ROUND_RTO:              /* the odd code; both even only for 0 | 2^emin (:nosub): the larger */
    pick = mag_code(r, side, lo) % 2 && mag_code(r, side, lo + 1) % 2 == 0 ? lo : lo + 1;
    break;
  default:
    if (a != mid)
      pick = a > mid ? lo + 1 : lo;
    else                           /* tie: the even code; both even only for 0 | 2^emin (:nosub) */
      pick = mag_code(r, side, lo + 1) % 2 == 0 && mag_code(r, side, lo) % 2 ? lo + 1 : lo;
    break;
  }
  /* IEEE 754 overflow: the result with an unbounded exponent range would
   * exceed max, i.e. it is max + ulp or beyond (so rtz overflows too, to max). */
  if (below && pick > 0)
    goto below_nan;
  if (pick >= n || a >= beyond_max(f, g[n - 1])) {
    fl |= FP8_FLAG_OVERFLOW;
    code = ref_overflow(r, sign, mode, ovf);
    goto out;
  }
  code = gc[pick];
  if (f->ebits && g[pick] < ldexp(1.0, (f->nozero ? 0 : 1) - f->bias))
    fl |= FP8_FLAG_UNDERFLOW;
  goto out;
below_nan:
  fl = FP8_FLAG_INVALID | FP8_FLAG_INEXACT;
  code = ref_nan(f, 0);
out:
  if (flags)
    *flags |= fl;
  return code;
}

/* ---- stratified inputs ---------------------------------------------------------- */
static uint64_t splitmix64(uint64_t *s)
{
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static float from_bits(uint32_t b) { float x; memcpy(&x, &b, sizeof x); return x; }

typedef struct vec { float *p; size_t n, cap; } vec;

static void push(vec *v, double x)
{
  if (v->n == v->cap) {
    v->cap = v->cap ? 2 * v->cap : 4096;
    float *q = realloc(v->p, v->cap * sizeof *q);
    if (!q) {
      fprintf(stderr, "codec_ref: out of memory\n");
      exit(99);
    }
    v->p = q;
  }
  v->p[v->n++] = (float)x;
}

/* x (if a float32) and its float32 neighbours. */
static void push3(vec *v, double x)
{
  float fx = (float)x;
  if ((double)fx != x || isinf(fx))
    return;
  push(v, fx);
  push(v, nextafterf(fx, INFINITY));
  push(v, nextafterf(fx, -INFINITY));
}

size_t codec_ref_inputs(const codec_ref *r, uint64_t seed, size_t n_min, float **out)
{
  vec v = {0};
  uint64_t s = seed;
  static const uint32_t special[] = {
    0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001,
    0xff800001, 0x7fffffff, 0x7f7fffff, 0xff7fffff, 0x00000001, 0x80000001, 0x00800000,
    0x007fffff, 0x3f800000, 0xbf800000};
  for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
    push(&v, from_bits(special[i]));
  for (int sign = 0; sign < 2; sign++) {
    if (sign && r->f.is_unsigned) {   /* the mirror images of the positive side */
      for (size_t i = 0; i < r->npos; i++)
        push3(&v, -r->pos[i]);
      continue;
    }
    const double *g = sign ? r->neg : r->pos;
    size_t n = sign ? r->nneg : r->npos;
    double sg = sign ? -1 : 1;
    for (size_t i = 0; i < n; i++) {
      double hi = i + 1 < n ? g[i + 1] : beyond_max(&r->f, g[i]);
      push3(&v, sg * g[i]);
      push3(&v, sg * (g[i] + hi) / 2);
      if (i + 1 == n) {
        push3(&v, sg * hi);
        push3(&v, sg * 2 * hi);
      }
    }
  }
  for (uint32_t e = 0; e < 255; e++)          /* every float32 binade, both signs */
    for (int k = 0; k < 16; k++) {
      uint64_t z = splitmix64(&s);
      push(&v, from_bits(((uint32_t)(z >> 32) & 0x80000000u) | e << 23 | ((uint32_t)z & 0x7fffffu)));
    }
  /* Fill: half random bit patterns, half log-uniform over the format's range. */
  double lo = r->pos[1] / 8, hi = 4 * beyond_max(&r->f, r->pos[r->npos - 1]);
  double l2lo = log2(lo), l2hi = log2(hi);
  while (v.n < n_min) {
    uint64_t z = splitmix64(&s);
    if (z & 1) {
      push(&v, from_bits((uint32_t)(z >> 32)));
    } else {
      double u = (double)(z >> 11) / 9007199254740992.0;
      double x = exp2(l2lo + u * (l2hi - l2lo));
      float fx = (float)x;
      if (isinf(fx) || fx == 0)
        continue;
      push(&v, (z & 2) ? -fx : fx);
    }
  }
  *out = v.p;
  return v.n;
}

uint64_t codec_ref_seed(const char *name, uint64_t dflt)
{
  const char *e = getenv("FP8LAB_SEED");
  uint64_t seed = dflt;
  if (e && *e)
    seed = strtoull(e, NULL, 0);
  fprintf(stderr, "%s: seed %" PRIu64 " (override with FP8LAB_SEED)\n", name, seed);
  return seed;
}
