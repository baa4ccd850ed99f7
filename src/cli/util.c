/* util.c - shared CLI plumbing (see cli.h). */
#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>


static char *xstrdup(const char *s);


void cli_error(const char *cmd, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fp8_vreport(cmd, fmt, ap);
  va_end(ap);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fp8_vreport(cmd, fmt, ap);
  va_end(ap);
  fprintf(stderr, "Try '%s %s --help'.\n", fp8_report_progname, cmd ? cmd : "");
  return EXIT_USAGE;
}

int cli_parse_format(const char *cmd, const char *opt, const char *spec, fp8_format *f)
{
  char err[256];
  if (fp8_format_parse(spec, f, err, sizeof err) == 0)
    return 0;
  cli_usage_error(cmd, "%s: %s", opt, err);
  return -1;
}

int cli_parse_double(const char *cmd, const char *opt, const char *s, double *out)
{
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (end == s || *end) {
    cli_usage_error(cmd, "%s: '%s' is not a number", opt, s);
    return -1;
  }
  if (errno == ERANGE) {
    cli_usage_error(cmd, "%s: '%s' is out of range (%s)", opt, s,
                    fabs(v) > 1 ? "beyond the largest double, about 1.8e308"
                                : "below the smallest normal double, about 2.2e-308");
    return -1;
  }
  *out = v;
  return 0;
}

int cli_parse_long(const char *cmd, const char *opt, const char *s, long lo, long hi, long *out)
{
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (end == s || *end || errno == ERANGE || v < lo || v > hi) {
    cli_usage_error(cmd, "%s: '%s' is not a whole number in %ld..%ld", opt, s, lo, hi);
    return -1;
  }
  *out = v;
  return 0;
}

/* Plain decimal digits only: no sign, blank, base prefix or suffix; leading
 * zeros are decimal (010 is ten).  All 64 bits reach the generator (rng.h). */
int cli_parse_seed(const char *cmd, const char *s, unsigned long *seed)
{
  uint64_t v = 0;
  bool ok = *s != 0;
  for (const char *p = s; ok && *p; p++) {
    unsigned d = (unsigned)(*p - '0');
    if (d > 9) {
      ok = false;
    } else if (v > (UINT64_MAX - d) / 10) {
      cli_usage_error(cmd, "--seed: '%s' is out of range (expected a whole number 0..%" PRIu64 ")",
                      s, UINT64_MAX);
      return -1;
    } else {
      v = 10 * v + d;
    }
  }
  if (!ok) {
    cli_usage_error(cmd, "--seed: '%s' is not a plain decimal whole number (expected 0..%" PRIu64 ")",
                    s, UINT64_MAX);
    return -1;
  }
  *seed = (unsigned long)v;
  return 0;
}

unsigned long cli_default_seed(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  uint64_t z = (uint64_t)ts.tv_sec * 1000000007u ^ (uint64_t)ts.tv_nsec << 20 ^ (uint64_t)getpid();
  z ^= z >> 31;                    /* spread the clock over all 64 bits */
  z *= 0x9e3779b97f4a7c15u;
  return (unsigned long)(z ^ z >> 29);
}


int cli_split_list(const char *cmd, const char *opt, const char *s, bool dists,
                   char items[][CLI_ITEM_LEN], size_t max, size_t *n)
{
  char *buf = xstrdup(s), *save = NULL;
  *n = 0;
  for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    if (dists && *n && strchr(tok, '=') && !strchr(tok, ':')) {
      size_t l = strlen(items[*n - 1]);
      if (l + 1 + strlen(tok) >= CLI_ITEM_LEN) {      /* never cut silently */
        cli_usage_error(cmd, "%s: item '%s,%.40s%s' is longer than %d characters", opt, items[*n - 1], tok,
                        strlen(tok) > 40 ? "..." : "", CLI_ITEM_LEN - 1);
        free(buf);
        return -1;
      }
      snprintf(items[*n - 1] + l, CLI_ITEM_LEN - l, ",%s", tok);
      continue;
    }
    if (*n == max) {
      free(buf);
      cli_usage_error(cmd, "%s: more than %zu items", opt, max);
      return -1;
    }
    if (strlen(tok) >= CLI_ITEM_LEN) {
      cli_usage_error(cmd, "%s: item '%.60s...' is longer than %d characters", opt, tok, CLI_ITEM_LEN - 1);
      free(buf);
      return -1;
    }
    snprintf(items[(*n)++], CLI_ITEM_LEN, "%s", tok);
  }
  free(buf);
  if (*n == 0) {
    cli_usage_error(cmd, "%s: empty list (expected comma-separated names)", opt);
    return -1;
  }
  return 0;
}

/* ---- tables ------------------------------------------------------------------ */
struct cli_table {
  int ncols;
  size_t nrows, cap;
  char **cells;      /* (nrows + 1) * ncols, row 0 the header */
};

static char *xstrdup(const char *s)
{
  char *p = strdup(s ? s : "");
  if (!p) {
    fprintf(stderr, "%s: out of memory\n", fp8_report_progname);
    exit(EXIT_FAIL);
  }
  return p;
}

cli_table *cli_table_new(int ncols, const char *const *headers)
{
  cli_table *t = calloc(1, sizeof *t);
  if (!t)
    return NULL;
  t->ncols = ncols;
  t->cap = 16;
  t->cells = calloc(t->cap * (size_t)ncols, sizeof *t->cells);
  for (int c = 0; c < ncols; c++)
    t->cells[c] = xstrdup(headers[c]);
  t->nrows = 0;
  return t;
}

void cli_table_add(cli_table *t, const char *const *cells)
{
  if (t->nrows + 2 > t->cap) {
    t->cap *= 2;
    t->cells = realloc(t->cells, t->cap * (size_t)t->ncols * sizeof *t->cells);
    if (!t->cells) {
      fprintf(stderr, "%s: out of memory\n", fp8_report_progname);
      exit(EXIT_FAIL);
    }
  }
  t->nrows++;
  for (int c = 0; c < t->ncols; c++)
    t->cells[t->nrows * (size_t)t->ncols + c] = xstrdup(cells[c]);
}

void cli_table_addf(cli_table *t, const char *fmt, ...)
{
  char buf[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  const char *cells[64];
  char *p = buf;
  int n = 0;
  for (; n < t->ncols && n < 64; n++) {
    cells[n] = p;
    char *tab = strchr(p, '\t');
    if (!tab) {
      n++;
      break;
    }
    *tab = 0;
    p = tab + 1;
  }
  for (; n < t->ncols; n++)
    cells[n] = "";
  cli_table_add(t, cells);
}

void cli_table_print(const cli_table *t, FILE *out, bool tsv)
{
  size_t w[64] = {0};
  int nc = t->ncols < 64 ? t->ncols : 64;
  for (size_t r = 0; r <= t->nrows; r++)
    for (int c = 0; c < nc; c++) {
      size_t l = strlen(t->cells[r * t->ncols + c]);
      if (l > w[c])
        w[c] = l;
    }
  for (size_t r = 0; r <= t->nrows; r++) {
    for (int c = 0; c < nc; c++) {
      const char *s = t->cells[r * t->ncols + c];
      if (tsv)
        fprintf(out, "%s%s", s, c + 1 < nc ? "\t" : "\n");
      else if (c + 1 < nc)
        fprintf(out, "%-*s  ", (int)w[c], s);
      else
        fprintf(out, "%s\n", s);
    }
  }
}

int cli_table_write_tsv(const cli_table *t, const char *path)
{
  fp8_outfile o;
  if (fp8_outfile_open(&o, path))
    return -1;
  cli_table_print(t, o.fp, true);
  return fp8_outfile_commit(&o);
}

void cli_table_free(cli_table *t)
{
  if (!t)
    return;
  for (size_t i = 0; i < (t->nrows + 1) * (size_t)t->ncols; i++)
    free(t->cells[i]);
  free(t->cells);
  free(t);
}

int cli_check_stdout(void)
{
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "%s: error writing standard output: %s\n", fp8_report_progname, strerror(errno));
    return EXIT_FAIL;
  }
  return EXIT_OK;
}
