/* codec_names.h - the spellings of rounding and overflow modes, one table for
 * every front end (the CLI's --round/--overflow, the Python package's
 * rounding=/overflow= strings), so a mode added here is accepted everywhere. */
#ifndef FP8_CODEC_NAMES_H
#define FP8_CODEC_NAMES_H

#include <stddef.h>

#include "codec.h"

/* Set rc->mode from a rounding name (rne, rtz, rna, stochastic).  NULL leaves
 * rc->mode as it is.  Returns 0, or -1 with a message naming the bad name and
 * the accepted ones in err. */
int fp8_round_mode_parse(const char *name, fp8_rounding *rc, char *err, size_t errlen);

/* Set rc->overflow from an overflow name (sat, nonsat).  Same contract. */
int fp8_overflow_mode_parse(const char *name, fp8_rounding *rc, char *err, size_t errlen);

/* For bindings that keep fp8_rounding opaque: its size, a default context
 * (RNE, saturating, no generator) written into rc, and whether rc's mode
 * draws random bits (then rand64/rand_state must be set, e.g. fp8_rng_rounding
 * in analysis/rng.h). */
size_t fp8_rounding_sizeof(void);
void fp8_rounding_init(fp8_rounding *rc);
int fp8_rounding_needs_rand(const fp8_rounding *rc);

/* The name of a mode; "?" for a value that has none. */
const char *fp8_round_mode_name(fp8_round_mode m);
const char *fp8_overflow_mode_name(fp8_overflow_mode m);

#endif
