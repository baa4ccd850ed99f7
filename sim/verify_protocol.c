/* verify_protocol.c - the control-protocol phase of `fp8lab verify`, for
 * every unit (a MAC and a dot-product unit alike).
 *
 * Checks the RTL against the contract of src/unit/mac.h ("Control protocol":
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
 * The operands: every lane a pair with the largest finite product of either
 * sign, or one with a NaN / Inf product where the input format has one, the
 * pairs rotating over the lanes; random cycles take random codes in every lane.
 * The sequences are sim/verify_protocol_seq.c's (fp8_verify_protocol_run);
 * this file is the harness's side of them (fp8_proto_ops).
 */
#include "verify.h"

#include <string.h>

#include "rng.h"

#define NW FP8_MAC_WORDS

typedef struct proto {
  fp8_verify *v;
  const fp8_verify_unit_info *u;
  bool kulisch;
  int width, n;
  uint32_t ncodes;
  unsigned flags_mask;       /* the flags this accumulator has */
  uint32_t pa[4], pb[4];     /* operand pairs */
  int npairs;
  fp8_mac_state ld[2];       /* the load data of the back-to-back pairs */
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
    const fp8_format *F = p->u->acc;
    st->acc[0] = ((uint32_t)F->bias << F->mbits) | (F->mbits ? 1u << (F->mbits - 1) : 1u);
  }
  st->flags = flags;
}

static void operand_pairs(proto *p)
{
  const fp8_format *in = p->u->in;
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

/* Start states: zero; a value, no flags; another value with every flag (FP:
 * -1.5); the idle runs' value. */
static void start(void *ctx, int k)
{
  proto *p = ctx;
  fp8_mac_state st;
  memset(&st, 0, sizeof st);
  if (k == 1)
    value_state(p, &st, 0x5a5a5a5a5a5aull, 0);
  if (k == 2) {
    value_state(p, &st, 0x123456789abcull, p->flags_mask);
    if (!p->kulisch)
      st.acc[0] |= fp8_format_sign_bit(p->u->acc);
  }
  if (k == 3)
    value_state(p, &st, 0x3c3c3c3cull, 0);
  fp8_verify_load(p->v, &st);
}

/* Load data 0 and 1 differ from every start in acc and flags; 2 is zero;
 * -1 random.  Operands: pair % npairs, or random codes (-1). */
static bool cycle(void *ctx, int rst, int clear, int load, int en, int ld, int pair)
{
  proto *p = ctx;
  fp8_mac_state st;
  if (ld == 2) {
    memset(&st, 0, sizeof st);
  } else {
    random_state(p, &st);
    if (ld >= 0)
      st = p->ld[ld];
  }
  uint32_t a[FP8_DOT_MAX_N], b[FP8_DOT_MAX_N];
  for (int i = 0; i < p->n; i++) {
    if (pair >= 0) {
      a[i] = p->pa[(pair + i) % p->npairs];
      b[i] = p->pb[(pair + i) % p->npairs];
    } else {
      uint64_t r = rnd(p);
      a[i] = (uint32_t)r & (p->ncodes - 1);
      b[i] = (uint32_t)(r >> 32) & (p->ncodes - 1);
    }
  }
  fp8_verify_ctrl c = {.rst = rst, .clear = clear, .load = load, .en = en, .load_state = st, .a = a, .b = b};
  fp8_verify_cycle(p->v, &c);
  return !fp8_verify_done(p->v);
}

bool fp8_verify_protocol(fp8_verify *v, const fp8_verify_opts *o)
{
  proto p = {.v = v, .u = fp8_verify_info(v)};
  p.kulisch = p.u->acc == NULL;
  p.width = p.u->width;
  p.n = p.u->n;
  p.ncodes = fp8_format_ncodes_minus1(p.u->in) + 1;
  p.flags_mask = p.kulisch ? FP8_MAC_WRAP | FP8_MAC_NAN | FP8_MAC_PINF | FP8_MAC_NINF
                           : FP8_MAC_INEXACT | FP8_MAC_UNDERFLOW | FP8_MAC_OVERFLOW | FP8_MAC_INVALID;
  p.rng = fp8_rng_alloc_stream(o->seed, 0x70726f74);   /* its own stream ("prot"): other phases keep theirs */
  operand_pairs(&p);
  random_state(&p, &p.ld[0]);
  p.ld[0].flags = p.flags_mask & 0x55;
  random_state(&p, &p.ld[1]);
  p.ld[1].flags = p.flags_mask & 0xaa;
  fp8_proto_ops ops = {&p, start, cycle};
  bool go = fp8_verify_protocol_run(&ops, p.rng, o->level >= 2 ? 1000000L : 20000L);
  gsl_rng_free(p.rng);
  return go && !fp8_verify_done(v);
}
