/* verify_protocol_seq.c - the control-protocol sequences of `fp8lab verify`
 * over any unit (verify.h, fp8_proto_ops): the MACs (sim/verify_protocol.c)
 * and the dot-product units (sim/verify_dot_protocol.c) run the same cycles.
 *  1. every pair of back-to-back cycles, each any of the 16 combinations of
 *     rst/clear/load/en, from three states (zero; a value, no flags; another
 *     value with every flag), then an idle cycle; the load data differ from
 *     every state, so a wrong priority, a lost hold or a reset that misses a
 *     bit shows;
 *  2. idle runs: 1..4 cycles with en low (operands and load data changing)
 *     between steps, and a reset held over several edges;
 *  3. seeded random control (reset 1 cycle in 64, clear and load 1 in 16
 *     each), random operands and load data;
 * then an idle cycle with the reset released for the phases that follow. */
#include "verify.h"

#include "rng.h"

/* ---- the sequences, over any unit ---- */

/* 1: every pair of back-to-back control combinations from three states. */
static bool pairs_of_combinations(const fp8_proto_ops *u)
{
  for (int s = 0; s < 3; s++)
    for (int k1 = 0; k1 < 16; k1++)
      for (int k2 = 0; k2 < 16; k2++) {
        u->start(u->ctx, s);
        if (!u->cycle(u->ctx, k1 >> 3 & 1, k1 >> 2 & 1, k1 >> 1 & 1, k1 & 1, 0, k1 + k2) ||
            !u->cycle(u->ctx, k2 >> 3 & 1, k2 >> 2 & 1, k2 >> 1 & 1, k2 & 1, 1, k1 + k2 + 1) ||
            !u->cycle(u->ctx, 0, 0, 0, 0, k2 & 1, k1 + k2 + 2))
          return false;
      }
  return true;
}

/* 2: idle runs between steps, and a reset held over several edges. */
static bool idle_runs(const fp8_proto_ops *u)
{
  u->start(u->ctx, 3);
  for (int run = 1; run <= 4; run++) {
    for (int i = 0; i < run; i++)
      if (!u->cycle(u->ctx, 0, 0, 0, 0, -1, run + i))
        return false;
    if (!u->cycle(u->ctx, 0, 0, 0, 1, -1, run))
      return false;
  }
  for (int i = 0; i < 3; i++)
    if (!u->cycle(u->ctx, 1, 0, i == 1, 1, -1, i))
      return false;
  return u->cycle(u->ctx, 0, 0, 0, 0, -1, 0);
}

/* 3: random control; reset 1 cycle in 64, clear and load 1 in 16 each. */
static bool random_control(const fp8_proto_ops *u, gsl_rng *rng, long n)
{
  for (long i = 0; i < n; i++) {
    uint64_t r = fp8_rng_bits64(rng);
    if (!u->cycle(u->ctx, (r & 63) == 0, (r >> 6 & 15) == 0, (r >> 10 & 15) == 0, (r >> 14 & 3) != 0,
                  -1, -1))
      return false;
  }
  return true;
}

bool fp8_verify_protocol_run(const fp8_proto_ops *u, gsl_rng *rng, long nrandom)
{
  return pairs_of_combinations(u) && idle_runs(u) && random_control(u, rng, nrandom) &&
         u->cycle(u->ctx, 0, 0, 0, 0, 2, 0);   /* leave the ports idle, reset released */
}

