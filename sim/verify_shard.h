/* verify_shard.h - deterministic shards of a verification campaign.
 *
 * A campaign (the stimulus of `fp8lab verify`, or the 2^32 float32 inputs of
 * tests/exhaustive_cast) is a sequence of self-contained units numbered
 * 0, 1, 2, ... in the order the unsharded run takes them.  Shard K of N
 * (fp8_shard: k = K - 1) runs exactly the units u with (u + rot) mod N == k,
 * rot a fixed offset per configuration (a hash of its name, the same in
 * every build and selection of configurations) so that the first units of
 * every configuration do not all land on shard 1.  A unit:
 *   - starts from a state it sets itself (a clear or a load), never from the
 *     state an earlier unit left;
 *   - draws randomness only from the stream fp8_shard_next seeds for it,
 *     derived from the configuration's seed and the unit's index alone.
 * So the N shards are disjoint and their union is the unsharded run,
 * whatever N is.  A new phase of the stimulus plugs in by calling
 * fp8_shard_next (through fp8_verify_unit) at the start of each of its units
 * and skipping the unit when it returns false.
 *
 * The digest: every checked vector is hashed (fp8_digest_mix) and the hashes
 * are added modulo 2^64, so the digest of a union of disjoint shards is the
 * sum of their digests, in any order.
 */
#ifndef FP8_SIM_VERIFY_SHARD_H
#define FP8_SIM_VERIFY_SHARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct fp8_shard {
  unsigned k, n;         /* this is part k + 1 of n (n = 1: the whole campaign) */
} fp8_shard;

/* "K/N" with 1 <= K <= N <= 1000000; -1 with a message in err otherwise. */
int fp8_shard_parse(const char *s, fp8_shard *sh, char *err, size_t errlen);

/* Does shard sh own unit u of a sequence rotated by rot? */
static inline bool fp8_shard_owns(const fp8_shard *sh, uint64_t u, unsigned rot)
{
  return (u + rot) % sh->n == sh->k;
}

/* SplitMix64's finaliser: a bijective 64-bit mix (Steele, Lea, Flood 2014). */
static inline uint64_t fp8_digest_mix(uint64_t x)
{
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

/* The rotation of the configuration named name. */
unsigned fp8_shard_rot(const char *name);

/* The seed of unit u's random stream, from the configuration's seed. */
unsigned long fp8_shard_unit_seed(unsigned long seed, uint64_t u);

/* The unit cursor of one configuration's run. */
typedef struct fp8_shard_cursor {
  fp8_shard shard;
  unsigned rot;
  unsigned long seed;    /* the configuration's seed */
  uint64_t unit;         /* units seen so far (run or skipped) */
  bool count_only;       /* own no unit: a dry run that counts them */
  /* progress line on stderr (at most once a second) when label != NULL */
  const char *label;
  uint64_t total;        /* units of the whole run, for the percentage (0: unknown) */
  const uint64_t *checked;
  double t0, last;
} fp8_shard_cursor;

/* Starts the next unit: true when this shard runs it, with *unit_seed the
 * seed of its stream; false when the caller skips it. */
bool fp8_shard_next(fp8_shard_cursor *c, unsigned long *unit_seed);
/* Ends the progress line (if one was printed). */
void fp8_shard_progress_end(fp8_shard_cursor *c);

#endif
