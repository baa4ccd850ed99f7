/* verify.h - the RTL cross-check: a Verilated unit (sim/model.h: a MAC is the
 * unit of n = 1, a dot-product unit takes n products per step) and the golden
 * model (dot.h) driven with the same operations, compared after every cycle.
 *
 * A harness (fp8_verify) owns one RTL unit and its golden model: dot.h's step
 * (fp8_dot_step) for n > 1 and, for n = 1, mac.h's kernel, which is what
 * fp8_dot runs for that case (dot.h) and the only one that holds the MACs'
 * Kulisch registers of up to 256 bits (fp8_dot_step's stop at 32).  The state
 * of every unit is an fp8_mac_state: the accumulator's W bits (an FP code, or
 * the Kulisch register) and mac.h's sticky flags (FP: FP8_MAC_INEXACT..INVALID
 * = FP8_DOT_*; Kulisch: FP8_MAC_WRAP..NINF).  Every operation (load a state,
 * clear, step, one cycle of the control protocol) is applied to both; after
 * each step the accumulator bits and the flags are compared.  A mismatch is
 * counted, the first one is reported on stderr (configuration, cycle, inputs,
 * state before, expected, got), and each one, up to the error cap, is written
 * to a vector file that fp8_verify_replay reproduces:
 *
 *   # comment
 *   config  fp8-e4/fp16
 *   load    ACC FLAGS      (hex; ACC the W-bit accumulator, FLAGS as fp8_mac_state)
 *   clear
 *   step    A B            (the n operand codes of a and of b, hex, comma-separated:
 *                           "3c 41" for a MAC, "3c,0,0,7e 41,0,0,1" for n = 4;
 *                           the state is compared after the step)
 *   cycle   RST CLEAR LOAD EN ACC FLAGS A B
 *                          (one clock cycle of the control protocol, src/unit/mac.h:
 *                           RST..EN 0/1 (RST 1 = rst_ni low), ACC FLAGS the
 *                           load data as in load, A B as in step; the state is
 *                           compared before the edge and after it)
 *
 * Randomness comes only from the seed in the options (same seed, same run).
 */
#ifndef FP8_SIM_VERIFY_H
#define FP8_SIM_VERIFY_H

#include <stdbool.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "dot.h"
#include "mac.h"
#include "model.h"
#include "verify_shard.h"

typedef struct fp8_verify_opts {
  int level;             /* 1 (default, make check), 2 (deeper) or 3 (long campaigns) */
  long long random;      /* random steps per configuration; < 0: the level's default */
  unsigned long seed;
  long max_errors;       /* mismatches recorded per configuration before it stops */
  const char *vecdir;    /* directory for mismatch-<config>.vec; NULL: write none */
  fp8_shard shard;       /* the part of the run to do; {0, 0} or {0, 1}: all of it */
  bool count_only;       /* run no unit, count them (fp8_verify_result.units) */
  const char *progress;  /* label of a progress line on stderr; NULL: none */
  uint64_t progress_units; /* units of the run, for the progress percentage */
} fp8_verify_opts;

typedef struct fp8_verify_result {
  uint64_t checked;      /* steps and protocol cycles compared */
  uint64_t mismatches;
  char vecfile[512];     /* the vector file written, or "" */
  uint64_t digest;       /* sum of the checked vectors' hashes (verify_shard.h) */
  uint64_t units;        /* units of the whole run (run or skipped) */
  uint64_t first_unit;   /* the unit of the first mismatch (valid if mismatches) */
  char first[640];       /* the first mismatch on one line, or "" */
} fp8_verify_result;

typedef struct fp8_verify fp8_verify;

/* What the stimulus needs to know of a unit. */
typedef struct fp8_verify_unit_info {
  const fp8_format *in;          /* input format (a and b) */
  const fp8_dot_spec *spec;      /* the golden unit (a Kulisch width resolved) */
  const fp8_format *acc;         /* an FP accumulator's format; NULL for Kulisch */
  int n;                         /* products per step */
  int width;                     /* the state's accumulator bits W */
  const fp8_mac *mac;            /* n = 1: the golden MAC (mac.h's queries); else NULL */
} fp8_verify_unit_info;

/* A harness for md; NULL with a message in err if the golden model rejects
 * the configuration or the widths disagree. */
fp8_verify *fp8_verify_alloc(const fp8sim_unit *md, const fp8_verify_opts *o,
                             char *err, size_t errlen);
/* Commits the vector file (if any mismatch was written) and frees.  Returns 0,
 * or -1 if the vector file could not be written (message printed). */
int fp8_verify_free(fp8_verify *v, fp8_verify_result *r);

const fp8_verify_unit_info *fp8_verify_info(const fp8_verify *v);
/* Is s a state the unit can hold?  (0, or -1 with a message in err.) */
int fp8_verify_check_state(const fp8_verify *v, const fp8_mac_state *s, char *err, size_t errlen);
/* Load s (a state the unit can hold) into both models. */
void fp8_verify_load(fp8_verify *v, const fp8_mac_state *s);
void fp8_verify_clear(fp8_verify *v);
/* One step of n code pairs a[0..n-1], b[0..n-1] on both models; true when the
 * states still agree. */
bool fp8_verify_step(fp8_verify *v, const uint32_t *a, const uint32_t *b);

/* One clock cycle of every input of a unit. */
typedef struct fp8_verify_ctrl {
  bool rst, clear, load, en;
  fp8_mac_state load_state;      /* load_acc_i / load_flags_i: a state the unit can hold */
  const uint32_t *a, *b;         /* a_i, b_i: n codes each */
} fp8_verify_ctrl;
/* One clock cycle of the control protocol on both models (src/unit/mac.h: rst >
 * clear > load > en > hold, the reset asynchronous): the RTL's outputs are
 * compared with the contract before the edge (reset: the cleared state at
 * once; otherwise the old state) and after it.  Returns true when both
 * comparisons agree. */
bool fp8_verify_cycle(fp8_verify *v, const fp8_verify_ctrl *c);
/* The error cap is reached: callers stop driving. */
bool fp8_verify_done(const fp8_verify *v);
/* Starts the next self-contained unit of the stimulus (verify_shard.h): true
 * when this shard runs it, with *unit_seed the seed of its random stream. */
bool fp8_verify_unit(fp8_verify *v, unsigned long *unit_seed);
/* fp8_verify_unit with rng set to the unit's stream. */
bool fp8_verify_unit_rng(fp8_verify *v, gsl_rng *rng);

/* The full stimulus for one configuration at o->level (sim/verify_stim.c). */
void fp8_verify_run(fp8_verify *v, const fp8_verify_opts *o);
/* Its phases: the control protocol (sim/verify_protocol.c), the states only a
 * load creates (sim/verify_states.c), the phases of a unit of n > 1 products
 * per step (sim/verify_stim_lanes.c).  false: stop (cap). */
bool fp8_verify_protocol(fp8_verify *v, const fp8_verify_opts *o);
bool fp8_verify_states(fp8_verify *v, const fp8_verify_opts *o);
void fp8_verify_lanes(fp8_verify *v, const fp8_verify_opts *o);
/* The control-protocol sequences over any unit (sim/verify_protocol_seq.c):
 * the harness puts both models in start state k (0 zero, 1 a value without
 * flags, 2 another value with every flag, 3 the idle runs' value) and runs one
 * cycle of every input on both, comparing before and after the edge: ld the
 * load data (0, 1: fixed, differing from every start; 2: zero; -1: random),
 * pair the operands (the harness's directed pairs, -1: random codes).  cycle
 * returns false when the harness stops (the error cap). */
typedef struct fp8_proto_ops {
  void *ctx;
  void (*start)(void *ctx, int k);
  bool (*cycle)(void *ctx, int rst, int clear, int load, int en, int ld, int pair);
} fp8_proto_ops;
/* Back-to-back pairs of all 16 control combinations from 3 states, idle runs
 * and a held reset, nrandom random control cycles (rng), a final idle cycle.
 * false: stopped. */
bool fp8_verify_protocol_run(const fp8_proto_ops *ops, gsl_rng *rng, long nrandom);

/* Replay a vector file against the unit table; results summed into r.
 * Returns 0, or -1 (message printed) for an unreadable or malformed file. */
int fp8_verify_replay(const char *path, const fp8_verify_opts *o, fp8_verify_result *r);

/* The table entry for a configuration name (NULL if none). */
const fp8sim_unit *fp8_verify_find(const char *config);

#endif
