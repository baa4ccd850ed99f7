/* codec_names.h - the spellings of rounding, overflow and NaN modes for every
 * front end (the CLI's --round/--overflow/--nan, the Python package's
 * rounding=/overflow= strings): the names themselves are the codec's one
 * table (codec_modes.c, declared in codec.h), so a mode added there is
 * accepted everywhere.  These wrappers set an fp8_rounding and say what was
 * expected when a name is unknown. */
#ifndef FP8_CODEC_NAMES_H
#define FP8_CODEC_NAMES_H

#include <stddef.h>

#include "codec.h"

/* Set rc->mode (and rc->sr_bits for sr-a:N, sr-b:N, sr-c:N) from a rounding
 * name.  NULL leaves rc as it is.  Returns 0, or -1 with a message naming the
 * bad name and the accepted ones in err. */
int fp8_round_mode_parse(const char *name, fp8_rounding *rc, char *err, size_t errlen);

/* Set rc->overflow from an overflow name (satpropagate = sat, satfinite,
 * nonsat, satnone).  Same contract. */
int fp8_overflow_mode_parse(const char *name, fp8_rounding *rc, char *err, size_t errlen);

/* Set rc->nan from a NaN-encoding name (keep, ones).  Same contract. */
int fp8_nan_mode_parse(const char *name, fp8_rounding *rc, char *err, size_t errlen);

/* For bindings that keep fp8_rounding opaque: its size, a default context
 * (RNE, saturating, no generator) written into rc, and whether rc's mode
 * draws random bits (then rand64/rand_state must be set, e.g. fp8_rng_rounding
 * in analysis/rng.h). */
size_t fp8_rounding_sizeof(void);
void fp8_rounding_init(fp8_rounding *rc);
int fp8_rounding_needs_rand(const fp8_rounding *rc);

#endif
