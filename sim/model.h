/* model.h - the Verilated MAC models as the C driver sees them.
 *
 * Each top is compiled with sim/shim.cpp into functions fp8sim_<top>_*; a
 * table of fp8sim_model entries (sim/models.c: every top of
 * rtl/tops/configs.tsv, through sim/models.def) is what `fp8lab verify` runs.
 * Accumulator values cross the boundary as little-endian 32-bit words; flags
 * are the top's 4-bit flags_o (Kulisch: FP8_MAC_WRAP..NINF >> 4; FP:
 * FP8_MAC_INEXACT..INVALID as they are).  Latency: the state read after step()
 * already includes that step (the MACs are not pipelined).
 *
 * reset/clear/load/step are the fast paths of the datapath checks (each drives
 * every control input itself); drive/edge expose the ports one cycle at a
 * time for the control-protocol check (src/mac.h, "Control protocol"):
 * drive() sets every input with the clock low and settles (an asynchronous
 * reset acts here), edge() gives one rising clock edge.
 */
#ifndef FP8_SIM_MODEL_H
#define FP8_SIM_MODEL_H

#include <stddef.h>
#include <stdint.h>

/* Every input of a top for one cycle (rst_n = 0 asserts the reset). */
typedef struct fp8sim_inputs {
  unsigned rst_n, clear, load, en;
  const uint32_t *load_acc;   /* nwords little-endian words */
  int nwords;
  unsigned load_flags;
  uint32_t a, b;
  const uint32_t *av, *bv;    /* non-NULL: a_i and b_i as abwords words (the dot-product tops) */
  int abwords;
} fp8sim_inputs;

typedef struct fp8sim_model {
  const char *top;       /* Verilator top module */
  const char *config;    /* e.g. "fp8-e4/fp16" */
  const char *format;    /* input format spelling */
  const char *acc;       /* accumulator spelling (fp8_acc_spec_parse) */
  const char *variant;   /* NULL, or the define a deliberately broken build used */
  void *(*create)(void);
  void (*free)(void *h);
  void (*reset)(void *h);
  void (*clear)(void *h);
  void (*load)(void *h, const uint32_t *acc, int nwords, unsigned flags);
  void (*step)(void *h, uint32_t a, uint32_t b);
  void (*read)(void *h, uint32_t *acc, int nwords, unsigned *flags);
  void (*drive)(void *h, const fp8sim_inputs *in);
  void (*edge)(void *h);
} fp8sim_model;

/* The table, terminated by an entry with top == NULL (empty without Verilator). */
extern const fp8sim_model fp8sim_models[];

#define FP8SIM_DECLARE(t)                                                       \
  void *fp8sim_##t##_create(void);                                            \
  void fp8sim_##t##_free(void *);                                             \
  void fp8sim_##t##_reset(void *);                                            \
  void fp8sim_##t##_clear(void *);                                            \
  void fp8sim_##t##_load(void *, const uint32_t *, int, unsigned);            \
  void fp8sim_##t##_step(void *, uint32_t, uint32_t);                         \
  void fp8sim_##t##_read(void *, uint32_t *, int, unsigned *);                \
  void fp8sim_##t##_drive(void *, const fp8sim_inputs *);                      \
  void fp8sim_##t##_edge(void *);

#define FP8SIM_ENTRY(t, cfg, fmt, acc, var)                                     \
  {#t, cfg, fmt, acc, var, fp8sim_##t##_create, fp8sim_##t##_free,            \
   fp8sim_##t##_reset, fp8sim_##t##_clear, fp8sim_##t##_load,                  \
   fp8sim_##t##_step, fp8sim_##t##_read, fp8sim_##t##_drive, fp8sim_##t##_edge}

/* The end of a table. */
#define FP8SIM_END {.top = NULL}

#endif
