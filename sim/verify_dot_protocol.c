/* verify_dot_protocol.c - the control-protocol phase of `fp8lab verify` for
 * the dot-product units: the MACs' sequences (sim/verify_protocol.c,
 * fp8_verify_protocol_run: back-to-back pairs of every rst/clear/load/en
 * combination from three states, idle runs and a held reset, seeded random
 * control) driven through fp8_verify_dot_cycle.
 * The operands: every lane a pair with the largest finite product of either
 * sign, or a NaN / Inf product where the input format has one, the pairs
 * rotating over the lanes; random cycles take random codes in every lane.
 */
#include "verify_dot.h"

#include "dot.h"
#include "rng.h"

typedef struct dproto {
  fp8_verify_dot *v;
  const fp8_format *in;
  int n, kw;
  uint32_t cmask;
  uint32_t pa[4], pb[4];
  int npairs;
  uint32_t ld_acc[2];
  gsl_rng *rng;
} dproto;

static uint64_t rnd(dproto *p) { return fp8_rng_bits64(p->rng); }

/* A nonzero accumulator value that a step of the pairs changes: FP 1.5 (or
 * -1.5), Kulisch the given bits. */
static uint32_t value(const dproto *p, uint32_t kulisch_bits, int neg)
{
  if (p->kw)
    return kulisch_bits & p->cmask;
  const fp8_format *f = fp8_verify_dot_acc(p->v);
  return ((uint32_t)f->bias << f->mbits) | (1u << (f->mbits - 1)) | (neg ? fp8_format_sign_bit(f) : 0);
}

static void start(void *ctx, int k)
{
  dproto *p = ctx;
  static const uint32_t bits[4] = {0, 0x5a5a5a5au, 0x12345678u, 0x3c3c3c3cu};
  fp8_verify_dot_load(p->v, k ? value(p, bits[k], k == 2) : 0, k == 2 ? 15 : 0);
}

static bool cycle(void *ctx, int rst, int clear, int load, int en, int ld, int pair)
{
  dproto *p = ctx;
  uint32_t a[FP8_DOT_MAX_N], b[FP8_DOT_MAX_N], lacc = 0;
  unsigned lflags = 0;
  const uint32_t nc = fp8_format_ncodes_minus1(p->in);
  for (int i = 0; i < p->n; i++) {
    if (pair >= 0) {
      a[i] = p->pa[(pair + i) % p->npairs];
      b[i] = p->pb[(pair + i) % p->npairs];
    } else {
      uint64_t r = rnd(p);
      a[i] = (uint32_t)r & nc;
      b[i] = (uint32_t)(r >> 32) & nc;
    }
  }
  if (ld == 0 || ld == 1) {             /* differs from every start in acc and flags */
    lacc = p->ld_acc[ld];
    lflags = ld ? 0xa : 0x5;
  } else if (ld < 0) {
    lacc = (uint32_t)rnd(p) & p->cmask;
    lflags = (unsigned)rnd(p) & 15;
  }
  fp8_verify_dot_cycle(p->v, rst, clear, load, en, lacc, lflags, a, b);
  return !fp8_verify_dot_done(p->v);
}

bool fp8_verify_dot_protocol(fp8_verify_dot *v, const fp8_verify_opts *o)
{
  dproto p = {.v = v, .in = fp8_verify_dot_in(v), .n = fp8_verify_dot_n(v),
              .kw = fp8_verify_dot_kulisch_width(v)};
  p.cmask = p.kw ? (uint32_t)(((uint64_t)1 << p.kw) - 1) : fp8_format_ncodes_minus1(fp8_verify_dot_acc(v));
  uint32_t mx = fp8_format_max_code(p.in);
  uint32_t neg = p.in->ebits == 0 && p.in->intenc == FP8_INT_TWOS
                   ? (fp8_format_ncodes_minus1(p.in) + 1 - mx) & fp8_format_ncodes_minus1(p.in)
                   : mx ^ fp8_format_sign_bit(p.in);
  p.pa[p.npairs] = mx, p.pb[p.npairs++] = mx;
  p.pa[p.npairs] = mx, p.pb[p.npairs++] = neg;
  if (fp8_format_has_nan(p.in))
    p.pa[p.npairs] = fp8_format_nan_code(p.in, 0), p.pb[p.npairs++] = mx;
  if (fp8_format_has_inf(p.in))
    p.pa[p.npairs] = fp8_format_inf_code(p.in, 1), p.pb[p.npairs++] = mx;
  p.rng = fp8_rng_alloc_stream(o->seed, 0x70726f74);   /* its own stream ("prot"): other phases keep theirs */
  p.ld_acc[0] = (uint32_t)rnd(&p) & p.cmask;
  p.ld_acc[1] = (uint32_t)rnd(&p) & p.cmask;
  fp8_proto_ops ops = {&p, start, cycle};
  bool go = fp8_verify_protocol_run(&ops, p.rng, o->level >= 2 ? 1000000L : 20000L);
  gsl_rng_free(p.rng);
  return go && !fp8_verify_dot_done(v);
}
