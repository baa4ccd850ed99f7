/* verify_states.c - the states only a load can create (`fp8lab verify`,
 * every level, every unit with an FP accumulator).
 *
 * A floating-point accumulator's own steps only ever produce the canonical
 * NaN, so an RTL that decodes other NaNs wrongly (reads a NaN whose payload is
 * just the low bit as Inf, say) passes every datapath check.  A load can put
 * any code there, so the check loads, for every IEEE accumulator:
 *   every NaN with a single-bit payload and the all-ones payload, both signs;
 *   +-Inf;
 *   the codes just below the all-ones exponent (max finite and its
 *   neighbours, and the top binade's smallest codes), both signs;
 *   the smallest and largest subnormals (and their neighbours), both signs;
 * and steps each with every product of an operand set that makes every
 * special product: +-0, +-min subnormal, +-1, +-max, +-Inf and every NaN code
 * of the input format (so +-Inf of either sign, 0 x Inf, NaN x anything,
 * zeros of both signs, and the extreme finite products); then every NaN
 * payload of both signs (nan_payloads, below).
 * Before those, the rounding carry of every finite product (below).
 * A unit of n > 1 takes each pair in one lane (walking over the lanes), the
 * other lanes zero.
 * Kulisch accumulators hold no codes: their flag states are in verify_stim.c.
 */
#include "verify.h"

#include <math.h>
#include <string.h>

#define MAX_STATES 160
#define MAX_OPS 64

static int add_code(uint32_t *out, int n, uint32_t code)
{
  for (int i = 0; i < n; i++)
    if (out[i] == code)
      return n;
  out[n] = code;
  return n + 1;
}

static int load_states(const fp8_format *F, uint32_t *out)
{
  uint32_t sign = fp8_format_sign_bit(F), mmask = (1u << F->mbits) - 1;
  uint32_t eones = ((1u << F->ebits) - 1) << F->mbits, etop = eones - (1u << F->mbits);
  int n = 0;
  for (int neg = 0; neg < 2; neg++) {
    uint32_t s = neg ? sign : 0;
    for (int bit = 0; bit < F->mbits; bit++)
      n = add_code(out, n, s | eones | 1u << bit);        /* single-bit payload NaNs */
    n = add_code(out, n, s | eones | mmask);
    n = add_code(out, n, s | eones);                      /* Inf */
    const uint32_t below[] = {mmask, mmask - 1, mmask >> 1, 1, 0};
    for (size_t i = 0; i < sizeof below / sizeof below[0]; i++)
      n = add_code(out, n, s | etop | (below[i] & mmask)); /* top binade */
    const uint32_t sub[] = {1, 2, mmask, mmask - 1};
    for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++)
      n = add_code(out, n, s | (sub[i] & mmask));           /* subnormals */
  }
  return n;
}

static int special_operands(const fp8_format *in, uint32_t *out)
{
  int n = 0;
  uint32_t ncodes = 1u << in->bits;
  double mx = fp8_format_max(in), sub = fp8_format_min_subnormal(in);
  for (uint32_t c = 0; c < ncodes && n < MAX_OPS; c++) {
    double x = fp8_codec_decode(in, c);
    double m = x < 0 ? -x : x;
    if (x != x || m == 0 || m == 1 || m == mx || m == sub || m > mx)  /* NaN, zeros, +-1, max, Inf */
      out[n++] = c;
  }
  return n;
}

/* The rounding carry: for each finite nonzero product p, 2^m/2 <= |p| < 2^m,
 * the state acc = (2^prec - 1) * 2^m (all-ones significand, ulp 2^m) of p's
 * sign: acc + p rounds up (a tie rounds to even, which is up from an odd
 * significand) and the significand carries into the next binade.  Level 1's
 * other states reach this only by chance (coverage showed it). */
/* One step of the pair (a, b) in lane k % n, the other lanes zero. */
static void lane_step(fp8_verify *v, int n, uint32_t k, uint32_t a, uint32_t b)
{
  uint32_t av[FP8_DOT_MAX_N] = {0}, bv[FP8_DOT_MAX_N] = {0};
  av[k % (uint32_t)n] = a;
  bv[k % (uint32_t)n] = b;
  fp8_verify_step(v, av, bv);
}

static bool rounding_carries(fp8_verify *v, const fp8_verify_unit_info *u)
{
  const fp8_format *F = u->acc, *in = u->in;
  uint32_t ncodes = 1u << in->bits;
  for (uint32_t a = 0; a < ncodes; a++)
    for (uint32_t b = 0; b < ncodes; b++) {
      fp8_product p;
      fp8_mac_product(in, a, in, b, &p);
      if (p.cls != FP8_CLASS_NORMAL)
        continue;
      int m = p.exp + 64 - __builtin_clzll(p.sig);       /* 2^(m-1) <= |p| < 2^m */
      double acc = ldexp(ldexp(1.0, F->mbits + 1) - 1.0, m);
      unsigned fl = 0;
      uint32_t code = fp8_codec_encode(F, p.sign ? -acc : acc, NULL, &fl);
      if (fl)
        continue;                                         /* outside F's range */
      fp8_mac_state s;
      memset(&s, 0, sizeof s);
      s.acc[0] = code;
      fp8_verify_load(v, &s);
      lane_step(v, u->n, a + b, a, b);
      if (fp8_verify_done(v))
        return false;
    }
  return true;
}

/* Every NaN payload of both signs (accumulators of up to ALL_PAYLOADS_BITS
 * mantissa bits: fp16, bf16, Hopper's e8m13; a wider one: every payload of
 * ones in a run of bits [lo, hi) - single bits, low and high runs), each
 * stepped with all lanes zero and with the largest finite product in one
 * lane: the result is NaN whatever the RTL decodes the payload as. */
#define ALL_PAYLOADS_BITS 13
static bool nan_payloads(fp8_verify *v, const fp8_verify_unit_info *u)
{
  const fp8_format *F = u->acc;
  const uint32_t mx = fp8_format_max_code(u->in);
  const uint32_t zero[FP8_DOT_MAX_N] = {0};
  uint32_t eones = ((1u << F->ebits) - 1) << F->mbits, m = (uint32_t)F->mbits;
  uint64_t count = m <= ALL_PAYLOADS_BITS ? (1ull << m) - 1 : (uint64_t)m * (m + 1) / 2;
  for (uint64_t i = 0; i < count; i++) {
    uint32_t pay = (uint32_t)(i + 1);
    if (m > ALL_PAYLOADS_BITS) {                  /* run i of the m(m+1)/2 runs [lo, hi) */
      uint32_t lo = 0, k = (uint32_t)i;
      while (k >= m - lo)
        k -= m - lo++;
      uint32_t hi = lo + k + 1;
      pay = (uint32_t)(((1ull << hi) - 1) & ~((1ull << lo) - 1));
    }
    for (int neg = 0; neg < 2; neg++)
      for (int op = 0; op < 2; op++) {
        fp8_mac_state s;
        memset(&s, 0, sizeof s);
        s.acc[0] = (neg ? fp8_format_sign_bit(F) : 0) | eones | pay;
        fp8_verify_load(v, &s);
        if (op)
          lane_step(v, u->n, (uint32_t)i, mx, mx);
        else
          fp8_verify_step(v, zero, zero);
        if (fp8_verify_done(v))
          return false;
      }
  }
  return true;
}

bool fp8_verify_states(fp8_verify *v, const fp8_verify_opts *o)
{
  (void)o;
  const fp8_verify_unit_info *u = fp8_verify_info(v);
  if (!u->acc)
    return true;
  if (!rounding_carries(v, u))
    return false;
  uint32_t st[MAX_STATES], ops[MAX_OPS];
  const fp8_format *F = u->acc;
  int ns = load_states(F, st);
  int no = special_operands(u->in, ops);
  for (int i = 0; i < ns; i++)
    for (int x = 0; x < no; x++)
      for (int y = 0; y < no; y++) {
        fp8_mac_state s;
        memset(&s, 0, sizeof s);
        s.acc[0] = st[i];
        fp8_verify_load(v, &s);
        lane_step(v, u->n, (uint32_t)(i + x + y), ops[x], ops[y]);
        if (fp8_verify_done(v))
          return false;
      }
  return fp8_format_has_nan(F) ? nan_payloads(v, u) : true;
}
