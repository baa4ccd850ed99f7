/* verify_result.c - campaign result files and the merge of shards (see verify_result.h). */
#include "verify_result.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define RESULT_VERSION 1

fp8_result_row *fp8_result_add(fp8_result *r, const char *name)
{
  if (r->nrows == r->cap) {
    size_t cap = r->cap ? 2 * r->cap : 16;
    fp8_result_row *p = realloc(r->rows, cap * sizeof *p);
    if (!p)
      return NULL;
    r->rows = p;
    r->cap = cap;
  }
  fp8_result_row *w = &r->rows[r->nrows++];
  memset(w, 0, sizeof *w);
  snprintf(w->name, sizeof w->name, "%s", name);
  snprintf(w->top, sizeof w->top, "-");
  return w;
}

void fp8_result_free(fp8_result *r)
{
  free(r->rows);
  memset(r, 0, sizeof *r);
}

/* s with tabs and newlines as spaces, "-" when empty. */
static const char *field(const char *s, char *buf, size_t len)
{
  if (!s[0])
    return "-";
  size_t i = 0;
  for (; s[i] && i + 1 < len; i++)
    buf[i] = (s[i] == '\t' || s[i] == '\n' || s[i] == '\r') ? ' ' : s[i];
  buf[i] = 0;
  return buf;
}

int fp8_result_fprint(FILE *fp, const fp8_result *r)
{
  char b1[512], b2[512], b3[512];
  fprintf(fp, "# fp8lab campaign result: merge the shards with 'fp8lab verify --merge FILE...'\n"
          "fp8lab-result\t%d\ntool\t%s\nseed\t%lu\nparams\t%s\nshard\t%u/%u\n",
          RESULT_VERSION, field(r->tool, b1, sizeof b1), r->seed, field(r->params, b2, sizeof b2),
          r->shard.k + 1, r->shard.n);
  for (size_t i = 0; i < r->nrows; i++) {
    const fp8_result_row *w = &r->rows[i];
    fprintf(fp, "row\t%s\t%s\t%" PRIu64 "\t%" PRIu64 "\t%016" PRIx64 "\t%" PRIu64 "\t%.3f\t%s\n",
            field(w->name, b1, sizeof b1), field(w->top, b2, sizeof b2), w->checked, w->mismatches,
            w->digest, w->units, w->seconds, field(w->vecfile, b3, sizeof b3));
    if (w->mismatches && w->first[0])
      fprintf(fp, "first\t%s\t%u\t%" PRIu64 "\t%s\n", field(w->name, b1, sizeof b1), w->first_shard,
              w->first_unit, field(w->first, b3, sizeof b3));
  }
  fprintf(fp, "end\t%zu\n", r->nrows);
  return ferror(fp) ? -1 : 0;
}

/* ---- reading ----------------------------------------------------------------- */
static int fail(char *err, size_t len, const char *path, int line, const char *fmt, ...)
  __attribute__((format(printf, 5, 6)));
static int fail(char *err, size_t len, const char *path, int line, const char *fmt, ...)
{
  /* path NULL: a message about the whole set of files (the caller names the option) */
  int n = !path ? 0 : line ? snprintf(err, len, "%s:%d: ", path, line) : snprintf(err, len, "%s: ", path);
  va_list ap;
  va_start(ap, fmt);
  if (n >= 0 && (size_t)n < len)
    vsnprintf(err + n, len - (size_t)n, fmt, ap);
  va_end(ap);
  return -1;
}

static bool parse_u64(const char *s, int base, uint64_t *out)
{
  char *end;
  errno = 0;
  if (!s || !*s || *s == '-' || *s == '+')
    return false;
  unsigned long long v = strtoull(s, &end, base);
  *out = v;
  return !*end && errno == 0;
}

static void copy(char *dst, size_t len, const char *s)
{
  snprintf(dst, len, "%s", strcmp(s, "-") ? s : "");
}

int fp8_result_read(const char *path, fp8_result *r, char *err, size_t errlen)
{
  memset(r, 0, sizeof *r);
  FILE *in = fopen(path, "r");
  if (!in)
    return fail(err, errlen, path, 0, "cannot open: %s", strerror(errno));
  char line[2048];
  int lineno = 0, rc = 0;
  bool magic = false, shard = false, seed = false, end = false;
  while (rc == 0 && fgets(line, sizeof line, in)) {
    lineno++;
    if (!strchr(line, '\n') && !feof(in)) {
      rc = fail(err, errlen, path, lineno, "line longer than %zu characters", sizeof line - 2);
      break;
    }
    line[strcspn(line, "\r\n")] = 0;
    if (!line[0] || line[0] == '#')
      continue;
    char *f[10] = {NULL};
    int nf = 0;
    /* split on tabs; the last field of 'first' keeps the rest of the line */
    char *p = line;
    int maxf = !strncmp(line, "first\t", 6) ? 5 : 10;
    while (p && nf < maxf) {
      f[nf++] = p;
      p = nf < maxf ? strchr(p, '\t') : NULL;
      if (p)
        *p++ = 0;
    }
    uint64_t x, y, z, u;
    if (end) {
      rc = fail(err, errlen, path, lineno, "text after the end line");
    } else if (!magic) {
      if (nf != 2 || strcmp(f[0], "fp8lab-result") || strcmp(f[1], "1"))
        rc = fail(err, errlen, path, lineno, "not an fp8lab result file (expected 'fp8lab-result\\t%d' first)",
                  RESULT_VERSION);
      magic = true;
    } else if (!strcmp(f[0], "tool") && nf == 2) {
      snprintf(r->tool, sizeof r->tool, "%s", f[1]);
    } else if (!strcmp(f[0], "seed") && nf == 2 && parse_u64(f[1], 10, &x)) {
      r->seed = (unsigned long)x;
      seed = true;
    } else if (!strcmp(f[0], "params") && nf == 2) {
      copy(r->params, sizeof r->params, f[1]);
    } else if (!strcmp(f[0], "shard") && nf == 2) {
      char e[200];
      if (fp8_shard_parse(f[1], &r->shard, e, sizeof e))
        rc = fail(err, errlen, path, lineno, "%s", e);
      shard = true;
    } else if (!strcmp(f[0], "row") && nf == 9 && parse_u64(f[3], 10, &x) && parse_u64(f[4], 10, &y) &&
               strlen(f[5]) == 16 && parse_u64(f[5], 16, &z) && parse_u64(f[6], 10, &u)) {
      char *e;
      double secs = strtod(f[7], &e);
      if (*e || !isfinite(secs) || secs < 0) {          /* strtod takes "nan" and "inf" */
        rc = FP8_RESULT_EBAD;
        fail(err, errlen, path, lineno, "bad seconds '%s' (expected a finite number >= 0)", f[7]);
        continue;
      }
      if (y > x) {
        rc = FP8_RESULT_EBAD;
        fail(err, errlen, path, lineno, "%s: %" PRIu64 " mismatches of %" PRIu64 " vectors checked "
             "(expected at most one mismatch per vector)", f[1], y, x);
        continue;
      }
      if (r->nrows >= FP8_RESULT_MAX_ROWS) {
        rc = FP8_RESULT_EBAD;
        fail(err, errlen, path, lineno, "more than %d rows (expected one row per configuration)",
             FP8_RESULT_MAX_ROWS);
        break;
      }
      fp8_result_row *w = fp8_result_add(r, f[1]);
      if (!w) {
        rc = fail(err, errlen, path, lineno, "out of memory");
        continue;
      }
      copy(w->top, sizeof w->top, f[2]);
      w->checked = x, w->mismatches = y, w->digest = z, w->units = u, w->seconds = secs;
      copy(w->vecfile, sizeof w->vecfile, f[8]);
    } else if (!strcmp(f[0], "first") && nf == 5 && parse_u64(f[2], 10, &x) && parse_u64(f[3], 10, &y)) {
      fp8_result_row *w = r->nrows ? &r->rows[r->nrows - 1] : NULL;
      if (!w || strcmp(w->name, f[1]) || x == 0)
        rc = fail(err, errlen, path, lineno, "'first' line for '%s' does not follow its row", f[1]);
      else {
        w->first_shard = (unsigned)x;
        w->first_unit = y;
        snprintf(w->first, sizeof w->first, "%s", f[4]);
      }
    } else if (!strcmp(f[0], "end") && nf == 2 && parse_u64(f[1], 10, &x)) {
      if (x != r->nrows)
        rc = fail(err, errlen, path, lineno, "end line counts %" PRIu64 " rows, the file has %zu", x, r->nrows);
      end = true;
    } else {
      rc = fail(err, errlen, path, lineno, "malformed '%s' line (expected tool, seed, params, shard, row, "
                "first or end with its fields)", f[0]);
    }
  }
  if (rc == 0 && ferror(in))
    rc = fail(err, errlen, path, 0, "read error");
  fclose(in);
  if (rc == 0 && !magic)
    rc = fail(err, errlen, path, 0, "empty (expected an fp8lab result file)");
  else if (rc == 0 && (!end || !shard || !seed || !r->tool[0]))
    rc = fail(err, errlen, path, 0, "incomplete: no %s line (a shard that did not finish?)",
              !end ? "end" : !shard ? "shard" : !seed ? "seed" : "tool");
  else if (rc == 0 && r->nrows == 0) {
    rc = FP8_RESULT_EBAD;
    fail(err, errlen, path, 0, "no rows (expected at least one 'row' line: a campaign checks something)");
  }
  if (rc)
    fp8_result_free(r);
  return rc;
}

/* ---- merging ------------------------------------------------------------------- */
int fp8_result_merge(const fp8_result *parts, const char *const *paths, size_t n,
                     fp8_result *out, char *err, size_t errlen)
{
  memset(out, 0, sizeof *out);
  if (n == 0)
    return fail(err, errlen, NULL, 0, "no result files");
  const fp8_result *a = &parts[0];
  for (size_t i = 1; i < n; i++) {
    const fp8_result *b = &parts[i];
    if (strcmp(a->tool, b->tool))
      return fail(err, errlen, paths[i], 0, "a result of '%s', %s is of '%s': not a shard of the same campaign",
                  b->tool, paths[0], a->tool);
    if (a->seed != b->seed)
      return fail(err, errlen, paths[i], 0, "seed %lu, %s has seed %lu: not a shard of the same campaign",
                  b->seed, paths[0], a->seed);
    if (strcmp(a->params, b->params))
      return fail(err, errlen, paths[i], 0, "parameters '%s', %s has '%s': not a shard of the same campaign",
                  b->params, paths[0], a->params);
    if (a->shard.n != b->shard.n)
      return fail(err, errlen, paths[i], 0, "shard %u/%u, %s is a shard of %u: not the same split",
                  b->shard.k + 1, b->shard.n, paths[0], a->shard.n);
    bool same = a->nrows == b->nrows;
    for (size_t j = 0; same && j < a->nrows; j++)
      same = !strcmp(a->rows[j].name, b->rows[j].name);
    if (!same)
      return fail(err, errlen, paths[i], 0, "its configurations (%zu, from '%s') are not those of %s (%zu, from "
                  "'%s'): not a shard of the same campaign", b->nrows, b->nrows ? b->rows[0].name : "",
                  paths[0], a->nrows, a->nrows ? a->rows[0].name : "");
    for (size_t j = 0; j < a->nrows; j++)
      if (a->rows[j].units != b->rows[j].units)
        return fail(err, errlen, paths[i], 0, "%s has %" PRIu64 " units, in %s %" PRIu64 ": not the same "
                    "stimulus (another version of the program?)", b->rows[j].name, b->rows[j].units, paths[0],
                    a->rows[j].units);
  }
  unsigned N = a->shard.n;
  int *owner = malloc(sizeof *owner * N);
  if (!owner)
    return fail(err, errlen, NULL, 0, "out of memory");
  for (unsigned k = 0; k < N; k++)
    owner[k] = -1;
  int rc = 0;
  for (size_t i = 0; i < n && rc == 0; i++) {
    unsigned k = parts[i].shard.k;
    if (owner[k] >= 0)
      rc = fail(err, errlen, paths[i], 0, "shard %u/%u again (also in %s): each shard must be given once",
                k + 1, N, paths[owner[k]]);
    owner[k] = (int)i;
  }
  for (unsigned k = 0; k < N && rc == 0; k++)
    if (owner[k] < 0)
      rc = fail(err, errlen, NULL, 0, "shard %u/%u is missing (%zu of the %u shards given)",
                k + 1, N, n, N);
  free(owner);
  if (rc)
    return rc;
  *out = (fp8_result){.seed = a->seed, .shard = {0, 1}};
  snprintf(out->tool, sizeof out->tool, "%s", a->tool);
  snprintf(out->params, sizeof out->params, "%s", a->params);
  for (size_t j = 0; j < a->nrows; j++) {
    fp8_result_row *w = fp8_result_add(out, a->rows[j].name);
    if (!w) {
      fp8_result_free(out);
      return fail(err, errlen, NULL, 0, "out of memory");
    }
    snprintf(w->top, sizeof w->top, "%s", a->rows[j].top);
    for (size_t i = 0; i < n; i++) {
      const fp8_result_row *p = &parts[i].rows[j];
      /* counts must not wrap (the digest is a sum modulo 2^64 by design) */
      if (__builtin_add_overflow(w->checked, p->checked, &w->checked) ||
          __builtin_add_overflow(w->mismatches, p->mismatches, &w->mismatches)) {
        fail(err, errlen, paths[i], 0, "%s: %" PRIu64 " vectors checked, %" PRIu64 " mismatches: the sum over "
             "the shards exceeds 2^64 - 1 (expected counts of a real campaign)", p->name, p->checked,
             p->mismatches);
        fp8_result_free(out);
        return FP8_RESULT_EBAD;
      }
      w->digest += p->digest;
      w->seconds += p->seconds;
      w->units = p->units;
      if (p->mismatches && p->first[0] && (!w->first[0] || p->first_unit < w->first_unit)) {
        w->first_unit = p->first_unit;
        w->first_shard = p->first_shard;
        snprintf(w->first, sizeof w->first, "%s", p->first);
        snprintf(w->vecfile, sizeof w->vecfile, "%s", p->vecfile);
      }
    }
  }
  return 0;
}

uint64_t fp8_result_digest(const fp8_result *r)
{
  uint64_t d = 0;
  for (size_t j = 0; j < r->nrows; j++) {
    d += fp8_digest_mix(fp8_shard_rot(r->rows[j].name) ^ r->rows[j].digest);
  }
  return d;
}
