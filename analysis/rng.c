/* rng.c - seeded GSL generators for the experiments and stochastic rounding. */
#include "rng.h"

#include <gsl/gsl_rng.h>

#include "codec.h"

gsl_rng *fp8_rng_alloc(unsigned long seed)
{
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  if (r)
    gsl_rng_set(r, seed);
  return r;
}

/* gsl_rng_mt19937 yields 32 bits per call; two calls make 64. */
uint64_t fp8_rng_bits64(void *state)
{
  gsl_rng *r = state;
  uint64_t hi = gsl_rng_get(r), lo = gsl_rng_get(r);
  return hi << 32 | lo;
}

void fp8_rng_rounding(struct fp8_rounding *rc, gsl_rng *r)
{
  rc->rand64 = fp8_rng_bits64;
  rc->rand_state = r;
}

void fp8_rng_free(gsl_rng *r)
{
  gsl_rng_free(r);
}
