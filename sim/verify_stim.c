/* verify_stim.c - the stimulus of `fp8lab verify` (TestFloat style), one for
 * every unit of the table (sim/model.h).
 *
 * Per configuration, in this order (every step is compared): the
 * control-protocol phase (verify_protocol.c), the loaded states
 * (verify_states.c); then, for a unit of n > 1 products per step, its lanes'
 * phases (verify_stim_lanes.c), and for a MAC (n = 1) 1-5 below; last, the
 * worst-case steps of the unit's widths (below):
 *  1. all operand pairs from each accumulator state of a list: zero, small,
 *     random, near overflow / wrap, subnormal, min normal, max finite, and the
 *     specials the accumulator can hold (FP: +-0, +-Inf, NaN; Kulisch: the
 *     PINF / NINF / NAN / WRAP flags);
 *  2. pattern states (exponent table x significand patterns, or Kulisch bit
 *     patterns) crossed with pattern operands (level 1) or all pairs (level 2);
 *  3. directed sequences: cancellation to exact zero; FP ties (a state whose
 *     last place is twice the product's, both parities, both signs); Kulisch
 *     carries across the whole width (acc = -p -> 0, acc = 2^(W-1) - p -> wrap,
 *     one below -> max);
 *  4. (level 3) all pairs from 64 random accumulator states;
 *  5. seeded random sequences with random clears and loads;
 *  6. (every unit) the worst-case steps.
 * Each numbered part is a list of self-contained units (verify_shard.h: an
 * accumulator state's pairs, one first operand of a directed sequence, a
 * block of RANDOM_UNIT random steps); unit() skips the units of other shards
 * and seeds the random stream of the ones this shard runs.  Random draws
 * outside a unit happen only before the first one (the state lists).
 */
#include "verify.h"

#include <math.h>
#include <string.h>

#include "rng.h"

#define NW FP8_MAC_WORDS
#define RANDOM_UNIT 65536         /* random steps per unit */
#define LEVEL3_STATES 64          /* random states x all pairs at level 3 */
#define LEVEL3_RANDOM 1000000000LL

typedef struct stim {
  fp8_verify *v;
  const fp8_verify_unit_info *u;
  const fp8_format *in, *acc;   /* acc: an FP accumulator's format, NULL for Kulisch */
  bool kulisch;
  int width;
  uint32_t ncodes;
  gsl_rng *rng;
} stim;

/* ---- W-bit two's complement words ------------------------------------------ */
static void w_mask(uint64_t *w, int width)
{
  for (int i = 0; i < NW; i++) {
    int lo = 64 * i;
    if (lo >= width)
      w[i] = 0;
    else if (width - lo < 64)
      w[i] &= (1ull << (width - lo)) - 1;
  }
}

static void w_neg(uint64_t *w, int width)
{
  int carry = 1;
  for (int i = 0; i < NW; i++) {
    w[i] = ~w[i] + (uint64_t)carry;
    carry = carry && w[i] == 0;
  }
  w_mask(w, width);
}

static void w_add(uint64_t *w, const uint64_t *x, int width)
{
  unsigned __int128 c = 0;
  for (int i = 0; i < NW; i++) {
    c += (unsigned __int128)w[i] + x[i];
    w[i] = (uint64_t)c;
    c >>= 64;
  }
  w_mask(w, width);
}

static void w_setbit(uint64_t *w, int bit) { if (bit >= 0 && bit < 64 * NW) w[bit / 64] |= 1ull << (bit % 64); }

/* Ones in bits [lo, hi). */
static void w_ones(uint64_t *w, int lo, int hi)
{
  for (int b = lo; b < hi; b++)
    w_setbit(w, b);
}

/* ---- building blocks ---------------------------------------------------------- */
static bool unit(stim *s) { return fp8_verify_unit_rng(s->v, s->rng); }

/* One MAC step. */
static void step1(stim *s, uint32_t a, uint32_t b) { fp8_verify_step(s->v, &a, &b); }

static bool load_step(stim *s, const fp8_mac_state *st, uint32_t a, uint32_t b)
{
  fp8_verify_load(s->v, st);
  step1(s, a, b);
  return !fp8_verify_done(s->v);
}

static bool all_pairs(stim *s, const fp8_mac_state *st)
{
  for (uint32_t a = 0; a < s->ncodes; a++)
    for (uint32_t b = 0; b < s->ncodes; b++)
      if (!load_step(s, st, a, b))
        return false;
  return true;
}

static uint32_t neg_code(const stim *s, uint32_t a)
{
  if (s->in->ebits == 0 && s->in->intenc == FP8_INT_TWOS)
    return (s->ncodes - a) & (s->ncodes - 1);
  return a ^ fp8_format_sign_bit(s->in);
}

static uint64_t rnd(stim *s) { return fp8_rng_bits64(s->rng); }

static void random_state(stim *s, fp8_mac_state *st);

/* ---- accumulator states --------------------------------------------------------- */
static int fp_states(stim *s, fp8_mac_state *out, int max)
{
  const fp8_format *F = s->acc;
  uint32_t sign = fp8_format_sign_bit(F), mmask = (1u << F->mbits) - 1;
  uint32_t one = (uint32_t)F->bias << F->mbits;
  uint32_t emaxf = (1u << F->ebits) - 2;
  uint32_t rnd_normal = (uint32_t)((1 + rnd(s) % emaxf) << F->mbits) | ((uint32_t)rnd(s) & mmask);
  const uint32_t codes[] = {
    0, sign, 1, 0x5555u & mmask, mmask, mmask | sign, 1u << F->mbits, (1u << F->mbits) | sign,
    one, one | sign, rnd_normal, rnd_normal ^ sign, fp8_format_max_code(F), fp8_format_max_code(F) | sign,
    (emaxf << F->mbits) ^ sign, fp8_format_inf_code(F, 0), fp8_format_inf_code(F, 1), fp8_format_nan_code(F, 0)};
  int n = 0;
  for (size_t i = 0; i < sizeof codes / sizeof codes[0] && n < max; i++, n++) {
    memset(&out[n], 0, sizeof out[n]);
    out[n].acc[0] = codes[i];
  }
  if (n < max) {                  /* sticky flags must survive a step */
    memset(&out[n], 0, sizeof out[n]);
    out[n].acc[0] = rnd_normal;
    out[n++].flags = FP8_MAC_INEXACT | FP8_MAC_UNDERFLOW | FP8_MAC_OVERFLOW | FP8_MAC_INVALID;
  }
  return n;
}

static int kulisch_states(stim *s, fp8_mac_state *out, int max)
{
  int W = s->width, FX = fp8_mac_product_bits(s->in, s->in);
  int n = 0;
  memset(out, 0, sizeof *out * (size_t)max);
#define NEXT() (n < max ? &out[n++] : &out[max - 1])
  NEXT();                                               /* zero */
  NEXT()->acc[0] = 1;
  { fp8_mac_state *t = NEXT(); w_ones(t->acc, 0, W); }    /* -1: carries run the width */
  { fp8_mac_state *t = NEXT(); w_ones(t->acc, 0, W - 1); } /* max */
  { fp8_mac_state *t = NEXT(); w_setbit(t->acc, W - 1); }  /* min */
  { fp8_mac_state *t = NEXT(); w_ones(t->acc, FX - 2 > 0 ? FX - 2 : 0, W - 1); } /* near +wrap */
  { fp8_mac_state *t = NEXT(); w_ones(t->acc, W - 1, W); w_setbit(t->acc, FX - 2 > 0 ? FX - 2 : 0); }
  random_state(s, NEXT());
  { fp8_mac_state *t = NEXT(); t->acc[0] = rnd(s) & ((1ull << (FX - 1 < 63 ? FX - 1 : 63)) - 1); }
  { fp8_mac_state *t = NEXT(); t->flags = FP8_MAC_PINF; }
  { fp8_mac_state *t = NEXT(); t->flags = FP8_MAC_NINF; }
  { fp8_mac_state *t = NEXT(); t->flags = FP8_MAC_NAN | FP8_MAC_PINF; }
  { fp8_mac_state *t = NEXT(); t->acc[0] = 12345; w_mask(t->acc, W); t->flags = FP8_MAC_WRAP; }
#undef NEXT
  return n;
}

/* TestFloat-style pattern states. */
static int pattern_states(stim *s, fp8_mac_state *out, int max)
{
  int n = 0;
  if (s->kulisch) {
    int W = s->width, FX = fp8_mac_product_bits(s->in, s->in);
    const int pos[] = {0, 1, FX / 2, FX - 1, FX, W / 2, W - 2};
    for (size_t i = 0; i < sizeof pos / sizeof pos[0]; i++)
      for (int kind = 0; kind < 4 && n < max; kind++) {
        fp8_mac_state *t = &out[n++];
        memset(t, 0, sizeof *t);
        switch (kind) {
        case 0: w_setbit(t->acc, pos[i]); break;            /* single bit */
        case 1: w_ones(t->acc, 0, pos[i] + 1); break;       /* ones below */
        case 2: w_ones(t->acc, pos[i], W); break;           /* negative: ones above */
        case 3: w_setbit(t->acc, pos[i]); w_neg(t->acc, W); break;
        }
        w_mask(t->acc, W);
      }
    return n;
  }
  const fp8_format *F = s->acc;
  uint32_t mmask = (1u << F->mbits) - 1, emaxf = (1u << F->ebits) - 2;
  const uint32_t exps[] = {0, 1, 2, (uint32_t)F->bias - 1, (uint32_t)F->bias, (uint32_t)F->bias + 1,
                           emaxf / 2, emaxf - 1, emaxf};
  const uint32_t sigs[] = {0, 1, mmask, 1u << (F->mbits - 1), 0x55555555u & mmask, 0xaaaaaaaau & mmask,
                           (1u << (F->mbits - 1)) | 1};
  for (size_t e = 0; e < sizeof exps / sizeof exps[0]; e++)
    for (size_t m = 0; m < sizeof sigs / sizeof sigs[0]; m++)
      for (uint32_t sg = 0; sg < 2 && n < max; sg++) {
        fp8_mac_state *t = &out[n++];
        memset(t, 0, sizeof *t);
        t->acc[0] = (sg ? fp8_format_sign_bit(F) : 0) | (exps[e] << F->mbits) | sigs[m];
      }
  return n;
}

/* Operands with mantissa 0 or all ones (or integer patterns), both signs. */
static int pattern_codes(const stim *s, uint32_t *out)
{
  int n = 0;
  for (uint32_t c = 0; c < s->ncodes; c++) {
    uint32_t m = s->in->ebits ? c & ((1u << s->in->mbits) - 1) : c & 0x7f;
    uint32_t mm = s->in->ebits ? (1u << s->in->mbits) - 1 : 0x7f;
    if (m == 0 || m == mm || m == 1 || (s->in->ebits == 0 && (m & (m - 1)) == 0))
      out[n++] = c;
  }
  return n;
}

/* ---- directed sequences ------------------------------------------------------------ */
static bool cancellation(stim *s)
{
  const uint32_t bs[] = {1, 0x21, 0x38, 0x3f, 0x40, 0x47, 0x55, 0x7f};
  for (uint32_t a = 0; a < s->ncodes; a++)
    for (size_t i = 0; i < sizeof bs / sizeof bs[0]; i++) {
      uint32_t b = bs[i] & (s->ncodes - 1);
      fp8_verify_clear(s->v);
      step1(s, a, b);
      step1(s, neg_code(s, a), b);
      if (fp8_verify_done(s->v))
        return false;
    }
  return true;
}

/* For each finite nonzero product p = sig * 2^k (sig odd), accumulator states
 * 2^(k+prec) and 2^(k+prec) + 2^(k+1), both signs: acc + p is an exact tie
 * (ties to even goes down for the first and up for the second).
 * One unit per first operand a (as in carries()). */
static bool ties(stim *s)
{
  const fp8_format *F = s->acc;
  int prec = F->mbits + 1;
  for (uint32_t a = 0; a < s->ncodes; a++)
    for (uint32_t b = 0; b < s->ncodes && (b || unit(s)); b++) {
      fp8_product p;
      fp8_mac_product(s->in, a, s->in, b, &p);
      if (p.cls != FP8_CLASS_NORMAL)
        continue;
      int k = p.exp + __builtin_ctzll(p.sig);
      for (int odd = 0; odd < 2; odd++)
        for (int neg = 0; neg < 2; neg++) {
          double acc = ldexp(1.0, k + prec) + (odd ? ldexp(1.0, k + 1) : 0.0);
          if (neg)
            acc = -acc;
          unsigned fl = 0;
          uint32_t code = fp8_codec_encode(F, acc, NULL, &fl);
          if (fl || fp8_codec_decode(F, code) != acc)
            continue;           /* outside F's range */
          fp8_mac_state st;
          memset(&st, 0, sizeof st);
          st.acc[0] = code;
          if (!load_step(s, &st, a, b))
            return false;
        }
    }
  return true;
}

/* acc = -P -> 0 (a carry through every bit), 2^(W-1) - P -> wraps to the
 * minimum, one less -> the maximum without wrapping; P = the product in LSBs. */
static bool carries(stim *s)
{
  int W = s->width, L = fp8_mac_lsb_exp(s->u->mac);
  for (uint32_t a = 0; a < s->ncodes; a++)
    for (uint32_t b = 0; b < s->ncodes && (b || unit(s)); b++) {
      fp8_product p;
      fp8_mac_product(s->in, a, s->in, b, &p);
      if (p.cls != FP8_CLASS_NORMAL)
        continue;
      uint64_t P[NW] = {0};
      int sh = p.exp - L;           /* >= 0: products are whole LSBs */
      for (int bit = 0; bit < 64; bit++)
        if (p.sig >> bit & 1)
          w_setbit(P, bit + sh);
      if (p.sign)
        w_neg(P, W);
      fp8_mac_state st;
      memset(&st, 0, sizeof st);
      memcpy(st.acc, P, sizeof P);
      w_neg(st.acc, W);             /* -P */
      if (!load_step(s, &st, a, b))
        return false;
      memset(&st, 0, sizeof st);
      w_setbit(st.acc, W - 1);      /* 2^(W-1) as a bit pattern; minus P */
      uint64_t mP[NW];
      memcpy(mP, P, sizeof P);
      w_neg(mP, W);
      w_add(st.acc, mP, W);
      if (!load_step(s, &st, a, b))
        return false;
      uint64_t m1[NW];
      memset(m1, 0, sizeof m1);
      w_ones(m1, 0, W);             /* -1 */
      w_add(st.acc, m1, W);
      if (!load_step(s, &st, a, b))
        return false;
    }
  return true;
}

/* Any state the accumulator can hold: random W bits, or a random code of F. */
static void random_state(stim *s, fp8_mac_state *st)
{
  memset(st, 0, sizeof *st);
  if (s->kulisch) {
    for (int w = 0; w < NW; w++)
      st->acc[w] = rnd(s);
    w_mask(st->acc, s->width);
  } else {
    st->acc[0] = rnd(s) & fp8_format_ncodes_minus1(s->acc);
  }
}

/* Random sequences: uniform operand codes, a clear or a random load now and
 * then (always at the start of a unit). */
static void random_steps(stim *s, long long nsteps)
{
  long long run = 0;
  for (long long i = 0; i < nsteps; i++) {
    if (i % RANDOM_UNIT == 0) {
      if (!unit(s)) {
        i += RANDOM_UNIT - 1;
        continue;
      }
      run = 0;
    }
    if (run-- <= 0) {
      run = (long long)(rnd(s) % 4096);
      if (rnd(s) % 4 == 0) {
        fp8_mac_state st;
        random_state(s, &st);
        fp8_verify_load(s->v, &st);
      } else {
        fp8_verify_clear(s->v);
      }
    }
    uint64_t r = rnd(s);
    step1(s, (uint32_t)r & (s->ncodes - 1), (uint32_t)(r >> 32) & (s->ncodes - 1));
    if (fp8_verify_done(s->v))
      return;
  }
}

/* ---- worst-case steps of the unit's widths (every unit, one unit of the campaign) ----
 * The internal sums of a unit are as wide as its parameters say (a Kulisch
 * unit's step sum: 2w + ceil(log2 n) bits of n products of w-bit operands; a
 * window unit's: F bits per term, n + 1 terms); a sum one bit short fails
 * only at the extremes, which random and single-lane steps never reach.  So:
 * every lane at the largest product of one sign (integers: -128 x -128 and
 * -128 x 127), from a state of 0, at the extreme of that step (Kulisch: the
 * sum S lands on 2^(W-1) - 1, or one past it: a wrap, and likewise at
 * -2^(W-1)), and (FP) from C the largest value of the products' binade and the
 * largest finite value; every state with its flags cleared, so the step's
 * inexact and overflow flags are its own (they are sticky).  And two lanes
 * with infinite products of opposite signs (Inf - Inf), and of one sign. */

/* The codes of the largest product of each sign: pos[0] x pos[1] > 0 and
 * neg[0] x neg[1] < 0 of the largest magnitude. */
static void extreme_pairs(const stim *s, uint32_t pos[2], uint32_t neg[2])
{
  if (s->in->ebits == 0 && s->in->intenc == FP8_INT_TWOS) {
    uint32_t mn = s->ncodes / 2, mx = mn - 1;        /* -2^(w-1) and 2^(w-1) - 1 */
    pos[0] = pos[1] = mn;
    neg[0] = mn, neg[1] = mx;
    return;
  }
  uint32_t mx = fp8_format_max_code(s->in);
  pos[0] = pos[1] = neg[0] = mx;
  neg[1] = neg_code(s, mx);
}

/* One step of every lane a x b from state st (flags cleared). */
static bool worst_step(stim *s, const fp8_mac_state *st, uint32_t a, uint32_t b)
{
  uint32_t av[FP8_DOT_MAX_N], bv[FP8_DOT_MAX_N];
  for (int i = 0; i < s->u->n; i++)
    av[i] = a, bv[i] = b;
  fp8_verify_load(s->v, st);
  fp8_verify_step(s->v, av, bv);
  return !fp8_verify_done(s->v);
}

static bool worst_kulisch(stim *s, const uint32_t pair[2])
{
  const int W = s->width, n = s->u->n;
  fp8_product p;
  fp8_mac_product(s->in, pair[0], s->in, pair[1], &p);
  uint64_t S[NW] = {0}, one[NW] = {1}, ext[NW];
  int sh = p.exp - fp8_format_product_lsb_exp(s->in);   /* >= 0: products are whole LSBs */
  for (int k = 0; k < n; k++)                            /* S = n x the product, in LSBs */
    for (int bit = 0; bit < 64; bit++)
      if (p.sig >> bit & 1) {
        uint64_t t[NW] = {0};
        w_setbit(t, bit + sh);
        w_add(S, t, W);
      }
  if (p.sign)
    w_neg(S, W);
  fp8_mac_state st;
  memset(&st, 0, sizeof st);
  if (!worst_step(s, &st, pair[0], pair[1]))              /* from 0 */
    return false;
  memset(ext, 0, sizeof ext);
  if (p.sign)
    w_setbit(ext, W - 1);                                /* -2^(W-1) */
  else
    w_ones(ext, 0, W - 1);                               /* 2^(W-1) - 1 */
  for (int past = 0; past < 2; past++) {                 /* acc + S = the extreme, then one past it */
    memset(&st, 0, sizeof st);
    memcpy(st.acc, S, sizeof S);
    w_neg(st.acc, W);
    w_add(st.acc, ext, W);
    if (past) {
      uint64_t d[NW];
      memcpy(d, one, sizeof d);
      if (p.sign)
        w_neg(d, W);                                     /* one below -2^(W-1) */
      w_add(st.acc, d, W);
    }
    if (!worst_step(s, &st, pair[0], pair[1]))
      return false;
  }
  memset(&st, 0, sizeof st);
  memcpy(st.acc, ext, sizeof ext);                        /* at the extreme already */
  return worst_step(s, &st, pair[0], pair[1]);
}

static bool worst_fp(stim *s, const uint32_t pair[2])
{
  const fp8_format *F = s->acc;
  double pv = fp8_codec_decode(s->in, pair[0]) * fp8_codec_decode(s->in, pair[1]);
  int e;
  frexp(pv < 0 ? -pv : pv, &e);                          /* 2^(e-1) <= |p| < 2^e */
  double top = ldexp(ldexp(1.0, F->mbits + 1) - 1.0, e - 1 - F->mbits);  /* all ones in p's binade */
  const double cs[] = {0.0, top, pv < 0 ? -fp8_format_max(F) : fp8_format_max(F)};
  for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++) {
    unsigned fl = 0;
    double c = pv < 0 ? -fabs(cs[i]) : fabs(cs[i]);
    fp8_mac_state st;
    memset(&st, 0, sizeof st);
    st.acc[0] = fp8_codec_encode(F, c, NULL, &fl);
    if (fl && i != 0)
      continue;                                           /* outside F's range */
    if (!worst_step(s, &st, pair[0], pair[1]))
      return false;
  }
  return true;
}

/* Two lanes i < j with products +Inf and -Inf (and both +Inf), the other lanes
 * the largest finite product, from C = 0, +-Inf and max finite. */
static bool opposite_infinities(stim *s)
{
  const int n = s->u->n;
  if (n < 2 || !fp8_format_has_inf(s->in))
    return true;
  uint32_t mx = fp8_format_max_code(s->in), pinf = fp8_format_inf_code(s->in, 0);
  uint32_t ninf = fp8_format_inf_code(s->in, 1);
  const uint32_t cs[] = {0, fp8_format_inf_code(s->acc, 0), fp8_format_inf_code(s->acc, 1),
                         fp8_format_max_code(s->acc)};
  uint32_t av[FP8_DOT_MAX_N], bv[FP8_DOT_MAX_N];
  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n; j++)
      for (int same = 0; same < 2; same++)
        for (size_t c = 0; c < sizeof cs / sizeof cs[0]; c++) {
          for (int k = 0; k < n; k++)
            av[k] = bv[k] = mx;
          av[i] = pinf;
          av[j] = same ? pinf : ninf;
          fp8_mac_state st;
          memset(&st, 0, sizeof st);
          st.acc[0] = cs[c];
          fp8_verify_load(s->v, &st);
          fp8_verify_step(s->v, av, bv);
          if (fp8_verify_done(s->v))
            return false;
        }
  return true;
}

static bool worst_steps(stim *s)
{
  uint32_t pos[2], neg[2];
  extreme_pairs(s, pos, neg);
  if (s->kulisch)
    return worst_kulisch(s, pos) && worst_kulisch(s, neg);
  return worst_fp(s, pos) && worst_fp(s, neg) && opposite_infinities(s);
}

void fp8_verify_run(fp8_verify *v, const fp8_verify_opts *o)
{
  /* The control-protocol phase, the load-only states and the worst-case steps
     are one unit each of the campaign (verify_shard.h): a shard runs them
     whole or not at all. */
  unsigned long useed;
  if (fp8_verify_unit(v, &useed) && !fp8_verify_protocol(v, o))
    return;
  if (fp8_verify_unit(v, &useed) && !fp8_verify_states(v, o))
    return;
  stim s = {.v = v, .u = fp8_verify_info(v)};
  s.in = s.u->in;
  s.acc = s.u->acc;
  s.kulisch = s.acc == NULL;
  s.width = s.u->width;
  s.ncodes = 1u << s.in->bits;
  if (s.u->n > 1) {
    fp8_verify_lanes(v, o);
    if (!fp8_verify_done(v) && fp8_verify_unit(v, &useed))
      worst_steps(&s);
    return;
  }
  s.rng = fp8_rng_alloc(o->seed);
  fp8_mac_state st[128];
  uint32_t pc[1u << 16];
  int n = s.kulisch ? kulisch_states(&s, st, 128) : fp_states(&s, st, 128);
  for (int i = 0; i < n; i++)
    if (unit(&s) && !all_pairs(&s, &st[i]))
      goto out;
  n = pattern_states(&s, st, 128);
  int np = pattern_codes(&s, pc);
  for (int i = 0; i < n; i++) {
    if (!unit(&s))
      continue;
    if (o->level >= 2) {
      if (!all_pairs(&s, &st[i]))
        goto out;
      continue;
    }
    for (int x = 0; x < np; x++)
      for (int y = 0; y < np; y++)
        if (!load_step(&s, &st[i], pc[x], pc[y]))
          goto out;
  }
  if (unit(&s) && !cancellation(&s))
    goto out;
  if (!(s.kulisch ? carries(&s) : ties(&s)))
    goto out;
  for (int i = 0; o->level >= 3 && i < LEVEL3_STATES; i++)
    if (unit(&s)) {
      random_state(&s, &st[0]);
      if (!all_pairs(&s, &st[0]))
        goto out;
    }
  random_steps(&s, o->random >= 0 ? o->random
                   : o->level >= 3 ? LEVEL3_RANDOM : o->level >= 2 ? 10000000LL : 200000LL);
  /* last, so that the units before keep their numbers (and streams) */
  if (fp8_verify_unit(v, &useed))
    worst_steps(&s);
out:
  gsl_rng_free(s.rng);
}
