/* verify_protocol.c - the control-protocol phase of `fp8lab verify`.
 *
 * Checks the RTL against the contract of src/mac.h ("Control protocol":
 * reset > clear > load > en > hold, asynchronous reset of acc AND flags, the
 * result of an edge visible right after it and not before) through
 * fp8_verify_cycle, which compares the outputs before and after every edge.
 * Per configuration:
 *  1. every pair of back-to-back cycles, each any of the 16 combinations of
 *     rst/clear/load/en, from three states (zero; a value, no flags; another
 *     value with every flag), then an idle cycle; the load data and the
 *     operands of each cycle differ from the state, so every wrong priority,
 *     a lost hold or a reset that misses a bit shows;
 *  2. idle runs: 1..4 cycles with en low (operands and load data changing)
 *     between steps, and a reset held over several edges;
 *  3. seeded random control (reset mid-run now and then), every cycle with
 *     random operands and random load data.
 * The operands: a pair with the largest finite product of either sign, and
 * one with a NaN / Inf product where the input format has one.
 */
#include "verify.h"

#include <string.h>

#include "rng.h"

#define NW FP8_MAC_WORDS

typedef struct proto {
  fp8_verify *v;
  const fp8_mac *g;
  bool kulisch;
  int width;
  uint32_t ncodes;
  unsigned flags_mask;       /* the flags this accumulator has */
  uint32_t pa[4], pb[4];     /* operand pairs */
  int npairs;
  gsl_rng *rng;
} proto;

static uint64_t rnd(proto *p) { return fp8_rng_bits64(p->rng); }

/* Any state the unit can hold: W random bits and random flags of its kind. */
static void random_state(proto *p, fp8_mac_state *st)
{
  memset(st, 0, sizeof *st);
  for (int w = 0; w < NW && 64 * w < p->width; w++) {
    st->acc[w] = rnd(p);
    if (p->width - 64 * w < 64)
      st->acc[w] &= (1ull << (p->width - 64 * w)) - 1;
  }
  st->flags = (unsigned)rnd(p) & p->flags_mask;
  if ((st->flags & (FP8_MAC_PINF | FP8_MAC_NINF)) == (FP8_MAC_PINF | FP8_MAC_NINF))
    st->flags |= FP8_MAC_NAN;   /* the only reachable form (fp8_mac_set_state) */
}

/* A nonzero value that a step of the pairs below changes (FP: 1.5). */
static void value_state(const proto *p, fp8_mac_state *st, uint64_t kulisch_value, unsigned flags)
{
  memset(st, 0, sizeof *st);
  if (p->kulisch) {
    st->acc[0] = kulisch_value & (p->width < 64 ? (1ull << p->width) - 1 : ~0ull);
  } else {
    const fp8_format *F = &fp8_mac_acc(p->g)->fmt;
    st->acc[0] = ((uint32_t)F->bias << F->mbits) | (F->mbits ? 1u << (F->mbits - 1) : 1u);
  }
  st->flags = flags;
}

static void operand_pairs(proto *p)
{
  const fp8_format *in = fp8_mac_format_a(p->g);
  uint32_t mx = fp8_format_max_code(in);
  uint32_t neg = in->ebits == 0 && in->intenc == FP8_INT_TWOS ? (p->ncodes - mx) & (p->ncodes - 1)
                                                                : mx ^ fp8_format_sign_bit(in);
  p->npairs = 0;
  p->pa[p->npairs] = mx, p->pb[p->npairs++] = mx;
  p->pa[p->npairs] = mx, p->pb[p->npairs++] = neg;
  if (fp8_format_has_nan(in))
    p->pa[p->npairs] = fp8_format_nan_code(in, 0), p->pb[p->npairs++] = mx;
  if (fp8_format_has_inf(in))
    p->pa[p->npairs] = fp8_format_inf_code(in, 1), p->pb[p->npairs++] = mx;
}

static bool cycle(proto *p, int rst, int clear, int load, int en, const fp8_mac_state *ld, int pair)
{
  fp8_mac_ctrl c = {.rst = rst, .clear = clear, .load = load, .en = en, .load_state = *ld,
                    .a = p->pa[pair % p->npairs], .b = p->pb[pair % p->npairs]};
  fp8_verify_cycle(p->v, &c);
  return !fp8_verify_done(p->v);
}

/* 1: every pair of back-to-back control combinations from three states. */
static bool pairs_of_combinations(proto *p)
{
  fp8_mac_state start[3], ld[2];
  memset(&start[0], 0, sizeof start[0]);
  value_state(p, &start[1], 0x5a5a5a5a5a5aull, 0);
  value_state(p, &start[2], 0x123456789abcull, p->flags_mask);
  if (!p->kulisch)
    start[2].acc[0] |= fp8_format_sign_bit(&fp8_mac_acc(p->g)->fmt);  /* -1.5 */
  random_state(p, &ld[0]);
  ld[0].flags = p->flags_mask & 0x55;      /* differs from every start in acc and flags */
  random_state(p, &ld[1]);
  ld[1].flags = p->flags_mask & 0xaa;
  for (int s = 0; s < 3; s++)
    for (int k1 = 0; k1 < 16; k1++)
      for (int k2 = 0; k2 < 16; k2++) {
        fp8_verify_load(p->v, &start[s]);
        if (!cycle(p, k1 >> 3 & 1, k1 >> 2 & 1, k1 >> 1 & 1, k1 & 1, &ld[0], k1 + k2) ||
            !cycle(p, k2 >> 3 & 1, k2 >> 2 & 1, k2 >> 1 & 1, k2 & 1, &ld[1], k1 + k2 + 1) ||
            !cycle(p, 0, 0, 0, 0, &ld[k2 & 1], k1 + k2 + 2))
          return false;
      }
  return true;
}

/* 2: idle runs between steps, and a reset held over several edges. */
static bool idle_runs(proto *p)
{
  fp8_mac_state st, ld;
  value_state(p, &st, 0x3c3c3c3cull, 0);
  fp8_verify_load(p->v, &st);
  for (int run = 1; run <= 4; run++) {
    for (int i = 0; i < run; i++) {
      random_state(p, &ld);
      if (!cycle(p, 0, 0, 0, 0, &ld, run + i))
        return false;
    }
    random_state(p, &ld);
    if (!cycle(p, 0, 0, 0, 1, &ld, run))
      return false;
  }
  for (int i = 0; i < 3; i++) {
    random_state(p, &ld);
    if (!cycle(p, 1, 0, i == 1, 1, &ld, i))
      return false;
  }
  random_state(p, &ld);
  return cycle(p, 0, 0, 0, 0, &ld, 0);
}

/* 3: random control; reset 1 cycle in 64, clear and load 1 in 16 each. */
static bool random_control(proto *p, long n)
{
  fp8_mac_state ld;
  for (long i = 0; i < n; i++) {
    uint64_t r = rnd(p);
    random_state(p, &ld);
    fp8_mac_ctrl c = {.rst = (r & 63) == 0, .clear = (r >> 6 & 15) == 0, .load = (r >> 10 & 15) == 0,
                      .en = (r >> 14 & 3) != 0, .load_state = ld,
                      .a = (uint32_t)(r >> 16) & (p->ncodes - 1), .b = (uint32_t)(r >> 32) & (p->ncodes - 1)};
    fp8_verify_cycle(p->v, &c);
    if (fp8_verify_done(p->v))
      return false;
  }
  return true;
}

bool fp8_verify_protocol(fp8_verify *v, const fp8_verify_opts *o)
{
  proto p = {.v = v, .g = fp8_verify_golden(v)};
  p.kulisch = fp8_mac_acc(p.g)->kind == FP8_ACC_KULISCH;
  p.width = fp8_mac_width(p.g);
  p.ncodes = 1u << fp8_mac_format_a(p.g)->bits;
  p.flags_mask = p.kulisch ? FP8_MAC_WRAP | FP8_MAC_NAN | FP8_MAC_PINF | FP8_MAC_NINF
                           : FP8_MAC_INEXACT | FP8_MAC_UNDERFLOW | FP8_MAC_OVERFLOW | FP8_MAC_INVALID;
  p.rng = fp8_rng_alloc(o->seed ^ 0x70726f746fUL);   /* its own stream: other phases keep theirs */
  operand_pairs(&p);
  bool go = pairs_of_combinations(&p) && idle_runs(&p) &&
            random_control(&p, o->level >= 2 ? 1000000L : 20000L);
  /* leave the ports idle, reset released, for the phases that follow */
  fp8_mac_state ld;
  memset(&ld, 0, sizeof ld);
  if (go)
    cycle(&p, 0, 0, 0, 0, &ld, 0);
  gsl_rng_free(p.rng);
  return go && !fp8_verify_done(v);
}
