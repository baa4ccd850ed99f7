/* verify_dot.h - the RTL cross-check of the dot-product units: a Verilated
 * N-term unit (sim/dot_model.h) and the golden model's step (dot.h,
 * fp8_dot_step) driven with the same operations, compared after every step.
 *
 * State: the accumulator C (a code of the unit's acc format) and the sticky
 * flags (FP8_DOT_*, the RTL's flags_o).  A mismatch is counted, the first is
 * reported on stderr (configuration, cycle, all N pairs, state before,
 * expected, got) and each, up to the cap, written to a vector file that
 * fp8_verify_dot_replay reproduces:
 *
 *   config  float8_e4m3fn/hopper-fp8
 *   load    ACC FLAGS          (hex)
 *   clear
 *   stepn   A0,A1,...  B0,B1,...   (hex codes, n of each)
 *   control RST CLEAR LOAD EN ACC FLAGS A0,... B0,...  (one protocol cycle)
 */
#ifndef FP8_SIM_VERIFY_DOT_H
#define FP8_SIM_VERIFY_DOT_H

#include "dot_model.h"
#include "verify.h"

const fp8sim_dot_model *fp8_verify_dot_find(const char *config);
/* Build both models, run the stimulus at o->level (sim/verify_dot_stim.c),
 * sum into r.  Returns 0, or -1 (message printed) if the golden model rejects
 * the configuration or the vector file could not be written. */
int fp8_verify_dot_config(const fp8sim_dot_model *md, const fp8_verify_opts *o, fp8_verify_result *r);
/* Replay a vector file whose config is a dot-product unit: 0 / -1 as
 * fp8_verify_replay; 1 when the file names no dot-product configuration (the
 * caller replays it as a MAC file). */
int fp8_verify_dot_replay(const char *path, const fp8_verify_opts *o, fp8_verify_result *r);

/* ---- the harness, for the stimulus ---- */
typedef struct fp8_verify_dot fp8_verify_dot;
int fp8_verify_dot_n(const fp8_verify_dot *v);
const fp8_format *fp8_verify_dot_in(const fp8_verify_dot *v);
const fp8_format *fp8_verify_dot_acc(const fp8_verify_dot *v);
int fp8_verify_dot_window(const fp8_verify_dot *v);
/* A Kulisch unit's register width W (its state: a W-bit code, flags as the
 * RTL's = mac.h's >> 4); 0 for an FP accumulator. */
int fp8_verify_dot_kulisch_width(const fp8_verify_dot *v);
void fp8_verify_dot_load(fp8_verify_dot *v, uint32_t c, unsigned flags);
void fp8_verify_dot_clear(fp8_verify_dot *v);
/* One step of n pairs on both; true when the states still agree. */
bool fp8_verify_dot_step(fp8_verify_dot *v, const uint32_t *a, const uint32_t *b);
/* One clock cycle of every input on both (the control protocol of src/mac.h:
 * rst > clear > load > en > hold; reset asynchronous, a step visible after
 * the edge and not before): compared before and after the edge.  A mismatch
 * is reported and written as a 'control' vector line. */
bool fp8_verify_dot_cycle(fp8_verify_dot *v, int rst, int clear, int load, int en, uint32_t lacc,
                          unsigned lflags, const uint32_t *a, const uint32_t *b);
/* The control-protocol phase (sim/verify_dot_protocol.c, the sequences of
 * sim/verify_protocol.c).  false: stopped at the cap. */
bool fp8_verify_dot_protocol(fp8_verify_dot *v, const fp8_verify_opts *o);
bool fp8_verify_dot_done(const fp8_verify_dot *v);
void fp8_verify_dot_run(fp8_verify_dot *v, const fp8_verify_opts *o);

#endif
