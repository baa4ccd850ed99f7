/* verify_shard.c - shard ownership, unit streams and the progress line. */
#include "verify_shard.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int fp8_shard_parse(const char *s, fp8_shard *sh, char *err, size_t errlen)
{
  char *end;
  errno = 0;
  unsigned long k = strtoul(s, &end, 10), n = 0;
  bool ok = end != s && *end == '/' && s[0] >= '0' && s[0] <= '9' && errno == 0;
  if (ok) {
    const char *p = end + 1;
    n = strtoul(p, &end, 10);
    ok = end != p && *end == 0 && p[0] >= '0' && p[0] <= '9' && errno == 0;
  }
  if (!ok || n < 1 || n > 1000000 || k < 1 || k > n) {
    snprintf(err, errlen, "'%s' is not a shard K/N (expected whole numbers 1 <= K <= N <= 1000000)", s);
    return -1;
  }
  sh->k = (unsigned)(k - 1);
  sh->n = (unsigned)n;
  return 0;
}

unsigned fp8_shard_rot(const char *name)
{
  uint64_t h = 0;
  for (const char *c = name; *c; c++)
    h = fp8_digest_mix(h ^ (unsigned char)*c);
  return (unsigned)(h >> 32);
}

unsigned long fp8_shard_unit_seed(unsigned long seed, uint64_t u)
{
  /* gsl_rng_mt19937 uses the low 32 bits of its seed; 0 means its default. */
  uint64_t x = fp8_digest_mix(fp8_digest_mix((uint64_t)seed) ^ u);
  unsigned long s = (unsigned long)(x & 0xffffffffu);
  return s ? s : 1;
}

static double now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void progress(fp8_shard_cursor *c)
{
  double t = now();
  if (c->t0 == 0) {
    c->t0 = c->last = t;
    return;
  }
  bool tty = isatty(STDERR_FILENO);
  if (t - c->last < (tty ? 1.0 : 60.0))
    return;
  c->last = t;
  double done = c->checked ? (double)*c->checked : 0;
  char units[80];
  if (c->total)
    snprintf(units, sizeof units, "unit %" PRIu64 "/%" PRIu64 " (%.1f%%)", c->unit, c->total,
             100.0 * (double)c->unit / (double)c->total);
  else
    snprintf(units, sizeof units, "unit %" PRIu64, c->unit);
  fprintf(stderr, "%s%s: %s, %.1f M vectors, %.2f M/s%s", tty ? "\r" : "", c->label, units,
          done / 1e6, done / 1e6 / (t - c->t0), tty ? "\033[K" : "\n");
}

bool fp8_shard_next(fp8_shard_cursor *c, unsigned long *unit_seed)
{
  uint64_t u = c->unit++;
  if (c->label)
    progress(c);
  if (c->count_only || !fp8_shard_owns(&c->shard, u, c->rot))
    return false;
  *unit_seed = fp8_shard_unit_seed(c->seed, u);
  return true;
}

void fp8_shard_progress_end(fp8_shard_cursor *c)
{
  if (c->label && c->t0 != 0 && c->last != c->t0 && isatty(STDERR_FILENO))
    fputc('\n', stderr);
}
