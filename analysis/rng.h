/* rng.h - seeded random numbers for everything random in fp8lab (GSL's MT19937). */
#ifndef FP8_RNG_H
#define FP8_RNG_H

#include <stdint.h>
#include <gsl/gsl_rng.h>

/* A MT19937 generator seeded with all 64 bits of seed and the 32 of stream
 * (init_by_array over the key {seed low, seed high, stream}: the same pair
 * gives the same stream bit for bit, different pairs different streams);
 * NULL when out of memory.  One experiment that needs several independent
 * streams from one user seed takes streams 0, 1, 2, ... of it. */
gsl_rng *fp8_rng_alloc_stream(unsigned long seed, uint32_t stream);
/* fp8_rng_alloc_stream(seed, 0): the stream of cast --seed and the bindings. */
gsl_rng *fp8_rng_alloc(unsigned long seed);
/* Reseed a generator from fp8_rng_alloc as fp8_rng_alloc_stream would (use
 * these, not gsl_rng_set, which keeps only 32 bits). */
void fp8_rng_seed_stream(gsl_rng *r, unsigned long seed, uint32_t stream);
void fp8_rng_seed(gsl_rng *r, unsigned long seed);
/* 64 random bits from a gsl_rng *; fits fp8_rounding.rand64. */
uint64_t fp8_rng_bits64(void *state);

/* Back rc's stochastic rounding with r (rand64 = fp8_rng_bits64). */
struct fp8_rounding;
void fp8_rng_rounding(struct fp8_rounding *rc, gsl_rng *r);
/* gsl_rng_free, for bindings that load this library only. */
void fp8_rng_free(gsl_rng *r);

#endif
