/* accuracy_plot.c - the accuracy plots: Figure 5 panels and the tail sweep.
 * One wide data table (a column per panel and series) feeds one gnuplot
 * script, so a single BASE.tsv beside the plot holds everything it shows. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "accuracy_cli.h"
#include "cli.h"
#include "plot.h"

static bool is_lloyd(const acc_row *r) { return !strcmp(r->range, "opt"); }

/* Append printf output to a growing string. */
static void sappend(char **s, size_t *len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void sappend(char **s, size_t *len, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  *s = realloc(*s, *len + (size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(*s + *len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  *len += (size_t)n;
}

static void cell(char *buf, size_t len, double v)
{
  fp8_format_double(buf, len, v);
}

/* Distinct (format, range) series of non-Lloyd rows, in first-seen order. */
static size_t series(const acc_row *rows, size_t nrows, const acc_row **out)
{
  size_t ns = 0;
  for (size_t i = 0; i < nrows; i++) {
    if (is_lloyd(&rows[i]))
      continue;
    size_t k;
    for (k = 0; k < ns; k++)
      if (!strcmp(out[k]->format, rows[i].format) && !strcmp(out[k]->range, rows[i].range))
        break;
    if (k == ns)
      out[ns++] = &rows[i];
  }
  return ns;
}

static double find(const acc_row *rows, size_t nrows, size_t dist, const char *format,
                   const char *range)
{
  for (size_t i = 0; i < nrows; i++)
    if (rows[i].dist == dist && !strcmp(rows[i].format, format) && !strcmp(rows[i].range, range))
      return rows[i].bits;
  return NAN;
}

static const acc_row *lloyd_of(const acc_row *rows, size_t nrows, size_t dist)
{
  for (size_t i = 0; i < nrows; i++)
    if (rows[i].dist == dist && is_lloyd(&rows[i]))
      return &rows[i];
  return NULL;
}

/* Sweep: x = nu, a line per (format, range), Lloyd-Max dashed. */
static int plot_sweep(const char *path, const acc_row *rows, size_t nrows, size_t ndists)
{
  const acc_row **ser = malloc((nrows + 1) * sizeof *ser);
  size_t ns = series(rows, nrows, ser);
  bool lloyd = lloyd_of(rows, nrows, 0) != NULL;
  size_t ncols = 1 + ns + lloyd;
  const char **hdr = malloc(ncols * sizeof *hdr);
  char (*names)[CLI_ITEM_LEN + 8] = malloc(ncols * sizeof *names);
  hdr[0] = "nu";
  for (size_t k = 0; k < ns; k++) {
    snprintf(names[k], sizeof names[k], "%s/%s", ser[k]->format, ser[k]->range);
    hdr[1 + k] = names[k];
  }
  if (lloyd)
    hdr[ncols - 1] = lloyd_of(rows, nrows, 0)->format;
  cli_table *t = cli_table_new((int)ncols, hdr);
  char (*cells)[40] = malloc(ncols * sizeof *cells);
  const char **cp = malloc(ncols * sizeof *cp);
  for (size_t d = 0; d < ndists; d++) {
    const acc_row *any = NULL;
    for (size_t i = 0; i < nrows && !any; i++)
      if (rows[i].dist == d)
        any = &rows[i];
    if (!any)
      continue;
    cell(cells[0], 40, any->nu);
    for (size_t k = 0; k < ns; k++)
      cell(cells[1 + k], 40, find(rows, nrows, d, ser[k]->format, ser[k]->range));
    if (lloyd)
      cell(cells[ncols - 1], 40, lloyd_of(rows, nrows, d)->bits);
    for (size_t c = 0; c < ncols; c++)
      cp[c] = cells[c];
    cli_table_add(t, cp);
  }
  char *body = NULL, clip[64] = "";
  size_t len = 0;
  const char *cp0 = strstr(rows[0].dist_name, "clip=");
  if (cp0)
    snprintf(clip, sizeof clip, ", clipped at ±%.*s (tails as point masses)",
             (int)strcspn(cp0 + 5, ",:"), cp0 + 5);
  sappend(&body, &len,
          "set title 'Bits of accuracy against Student-t tail heaviness%s' noenhanced\n"
          "set xlabel 'degrees of freedom {/Symbol n} (smaller = heavier tails)'\n"
          "set ylabel 'bits of accuracy = -log_2(RMSE/{/Symbol s})'\n"
          "set key outside right noenhanced\nset grid\nplot ", clip);
  /* A series drawn under a later one that equals it everywhere (INT8 and
   * FP8-E1 differ by < 0.01 bit) says so in its key entry. */
  for (size_t k = 0; k < ns; k++) {
    const char *under = NULL;
    for (size_t j = k + 1; j < ns && !under; j++) {
      bool same = true;
      for (size_t d = 0; d < ndists && same; d++) {
        double a = find(rows, nrows, d, ser[k]->format, ser[k]->range);
        double b = find(rows, nrows, d, ser[j]->format, ser[j]->range);
        same = !(fabs(a - b) >= 0.02);   /* NaN (no row) counts as the same */
      }
      if (same)
        under = names[j];
    }
    char qk[256], qu[256];   /* names as gnuplot constants, never '%s' (plot.h) */
    if (under)
      sappend(&body, &len, "%sdatafile using 1:%zu with linespoints lw 2 title %s.' (= '.%s.', under it)'",
              k ? ", " : "", k + 2, cli_plot_quote(qk, sizeof qk, names[k]), cli_plot_quote(qu, sizeof qu, under));
    else
      sappend(&body, &len, "%sdatafile using 1:%zu with linespoints lw 2 title columnhead(%zu)",
              k ? ", " : "", k + 2, k + 2);
  }
  if (lloyd)
    sappend(&body, &len, ", datafile using 1:%zu with lines dt 2 lw 2 lc rgb 'black' title columnhead(%zu)",
            ncols, ncols);
  sappend(&body, &len, "\n");
  cli_plot_opts o = {1100, 600};
  int rc = cli_plot("accuracy", path, t, body, &o);
  free(body);
  cli_table_free(t);
  free(cells);
  free(cp);
  free(names);
  free(hdr);
  free(ser);
  return rc;
}

/* Figure 5: a panel per distribution, clustered bars (one per range) per
 * format, and the panel's Lloyd-Max bits as a dashed line. */
static int plot_panels(const char *path, const acc_row *rows, size_t nrows, size_t ndists,
                       const char *const *ranges, size_t nranges)
{
  const acc_row **ser = malloc((nrows + 1) * sizeof *ser);
  size_t ns = series(rows, nrows, ser);
  /* rows of the plot table: distinct formats */
  const char **fmts = malloc((ns + 1) * sizeof *fmts);
  size_t nf = 0;
  for (size_t k = 0; k < ns; k++) {
    size_t j;
    for (j = 0; j < nf && strcmp(fmts[j], ser[k]->format); j++)
      ;
    if (j == nf)
      fmts[nf++] = ser[k]->format;
  }
  size_t per = nranges + 1;   /* columns per distribution: ranges, then Lloyd-Max */
  size_t ncols = 1 + ndists * per;
  const char **hdr = malloc(ncols * sizeof *hdr);
  char (*names)[128] = malloc(ncols * sizeof *names);
  hdr[0] = "format";
  for (size_t d = 0; d < ndists; d++) {
    const char *dn = "";
    for (size_t i = 0; i < nrows; i++)
      if (rows[i].dist == d)
        dn = rows[i].dist_name;
    for (size_t r = 0; r <= nranges; r++) {
      size_t c = 1 + d * per + r;
      snprintf(names[c], sizeof names[c], "%s/%s", dn, r < nranges ? ranges[r] : "lloyd-max");
      hdr[c] = names[c];
    }
  }
  cli_table *t = cli_table_new((int)ncols, hdr);
  char (*cells)[40] = malloc(ncols * sizeof *cells);
  const char **cp = malloc(ncols * sizeof *cp);
  for (size_t f = 0; f < nf; f++) {
    cp[0] = fmts[f];
    for (size_t d = 0; d < ndists; d++) {
      const acc_row *lm = lloyd_of(rows, nrows, d);
      for (size_t r = 0; r <= nranges; r++) {
        size_t c = 1 + d * per + r;
        cell(cells[c], 40, r < nranges ? find(rows, nrows, d, fmts[f], ranges[r])
                                       : lm ? lm->bits : NAN);
        cp[c] = cells[c];
      }
    }
    cli_table_add(t, cp);
  }
  char *body = NULL;
  size_t len = 0;
  /* up to 3 panels a row (4 as 2 x 2); wider panels for many formats */
  size_t cols = ndists == 4 ? 2 : ndists < 3 ? ndists : 3;
  int pw = 520 + (nf > 8 ? 40 * (int)(nf - 8) : 0);
  sappend(&body, &len,
          "set multiplot layout %zu,%zu title 'Bits of accuracy (more is better); dashed: Lloyd-Max optimum'\n"
          "set style data histograms\nset style histogram clustered gap 1\n"
          "set style fill solid 0.85 border -1\nset boxwidth 0.9\nset grid ytics\n"
          "set yrange [0:*]\nset ylabel 'bits of accuracy'\nset xtics rotate by -45 noenhanced\n"
          "set key %s noenhanced\n",
          (ndists + cols - 1) / cols, cols,
          nranges > 2 ? "below horizontal maxrows 2" : "top right");   /* many series: below */
  for (size_t d = 0; d < ndists; d++) {
    size_t c0 = 1 + d * per;
    char dn[128], qdn[4 * sizeof dn];   /* the distribution: the header minus '/range' */
    snprintf(dn, sizeof dn, "%s", names[c0]);
    *strrchr(dn, '/') = 0;
    sappend(&body, &len,
            "undefine STATS_*\nstats datafile using %zu nooutput\n"
            "if (exists('STATS_max')) { set arrow 1 from graph 0, first STATS_max to graph 1, "
            "first STATS_max nohead dt 2 lw 2 lc rgb 'black'; set yrange [0:1.2 * STATS_max] } "
            "else { set yrange [0:*] }\n"   /* room for the key above the Lloyd-Max line */
            "set title %s noenhanced\nplot ", c0 + nranges + 1, cli_plot_quote(qdn, sizeof qdn, dn));
    for (size_t r = 0; r < nranges; r++) {
      bool per_tensor = !strcmp(ranges[r], "mse") || !strcmp(ranges[r], "max");
      sappend(&body, &len, "%sdatafile using %zu:xtic(1) title '%s %s'", r ? ", " : "",
              c0 + r + 1, ranges[r],     /* gnuplot counts columns from 1 */
              per_tensor ? (nranges > 1 ? "range (per tensor)" : "range") : "rule (per block)");
    }
    sappend(&body, &len, "\nunset arrow 1\n");
  }
  sappend(&body, &len, "unset multiplot\n");
  cli_plot_opts o = {pw * (int)cols, (nranges > 2 ? 600 : 520) * (int)((ndists + cols - 1) / cols)};
  int rc = cli_plot("accuracy", path, t, body, &o);
  free(body);
  cli_table_free(t);
  free(cells);
  free(cp);
  free(names);
  free(hdr);
  free(fmts);
  free(ser);
  return rc;
}

int acc_plot(const char *path, const acc_row *rows, size_t nrows, size_t ndists,
             const char *const *ranges, size_t nranges, bool sweep)
{
  return sweep ? plot_sweep(path, rows, nrows, ndists)
               : plot_panels(path, rows, nrows, ndists, ranges, nranges);
}
