/* rng.c - seeded GSL generators for the experiments and stochastic rounding.
 *
 * GSL seeds MT19937 through gsl_rng_set with the reference init_genrand, which
 * keeps only the low 32 bits of the seed and maps seed 0 to 4357: seeds 1 and
 * 2^32+1, or 0 and 4357, would give one stream.  fp8lab seeds instead with the
 * reference init_by_array (Matsumoto & Nishimura, mt19937ar.c, 2002), written
 * into GSL's generator state.  The key always has three 32-bit words, {seed
 * low, seed high, stream}: init_by_array mixes in key[j] + j, so keys of
 * different lengths can meet ({2} and {2, 1} give one stream, as do CPython's
 * random.seed(2) and random.seed(2**32 + 2)), while keys of one length map
 * one to one.  So every (seed, stream) pair of the 2^128 gives its own
 * generator, and a caller that needs several independent streams from one
 * seed asks for streams 0, 1, ... instead of seed + 1, which is another
 * seed's stream.  numpy's legacy RandomState(uint32 array) seeds with the same
 * init_by_array: the independent check of tests/test_rng.c.  The state layout
 * is GSL's mt.c (624 words and the index); its size is checked. */
#include "rng.h"

#include <gsl/gsl_rng.h>

#include "codec.h"
#define MT_N 624

typedef struct {
  unsigned long mt[MT_N];
  int mti;
} mt_state;

static void init_genrand(unsigned long *mt, unsigned long s)
{
  mt[0] = s & 0xffffffffUL;
  for (int i = 1; i < MT_N; i++)
    mt[i] = (1812433253UL * (mt[i - 1] ^ (mt[i - 1] >> 30)) + (unsigned long)i) & 0xffffffffUL;
}

static void init_by_array(mt_state *st, const unsigned long *key, int klen)
{
  unsigned long *mt = st->mt;
  init_genrand(mt, 19650218UL);
  int i = 1, j = 0;
  for (int k = MT_N > klen ? MT_N : klen; k; k--) {
    mt[i] = ((mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525UL)) + key[j] + (unsigned long)j) & 0xffffffffUL;
    i++;
    j++;
    if (i >= MT_N) {
      mt[0] = mt[MT_N - 1];
      i = 1;
    }
    if (j >= klen)
      j = 0;
  }
  for (int k = MT_N - 1; k; k--) {
    mt[i] = ((mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941UL)) - (unsigned long)i) & 0xffffffffUL;
    i++;
    if (i >= MT_N) {
      mt[0] = mt[MT_N - 1];
      i = 1;
    }
  }
  mt[0] = 0x80000000UL;
  st->mti = MT_N;
}

void fp8_rng_seed_stream(gsl_rng *r, unsigned long seed, uint32_t stream)
{
  unsigned long key[3] = {seed & 0xffffffffUL, (unsigned long)((uint64_t)seed >> 32), stream};
  init_by_array(gsl_rng_state(r), key, 3);
}

void fp8_rng_seed(gsl_rng *r, unsigned long seed)
{
  fp8_rng_seed_stream(r, seed, 0);
}

gsl_rng *fp8_rng_alloc_stream(unsigned long seed, uint32_t stream)
{
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  if (!r)
    return NULL;
  if (gsl_rng_size(r) != sizeof(mt_state)) {   /* not the layout above: refuse, never guess */
    gsl_rng_free(r);
    return NULL;
  }
  fp8_rng_seed_stream(r, seed, stream);
  return r;
}

gsl_rng *fp8_rng_alloc(unsigned long seed)
{
  return fp8_rng_alloc_stream(seed, 0);
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
