/* cmd_accumulate.c - fp8lab accumulate: accumulator error against length. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accumulate.h"
#include "dot.h"
#include "cli.h"
#include "commands.h"
#include "plot.h"

#define MAX_ACCS 16
#define MAX_LOG2_LEN 23

static void usage(FILE *out)
{
  fprintf(out,
          "Usage: fp8lab accumulate [--format F] [--acc LIST] [--lengths A..B] [--trials T]\n"
          "                         [--dist D] [--seed S] [--tsv] [--plot FILE.png]\n"
          "For dot products of random codes of F, the relative error |acc - exact| / |exact|\n"
          "of each accumulator against the exact (Kulisch) sum, at each length A, 2A, ..., B\n"
          "(prefixes of the same vectors).  Values are drawn from D and scaled so each\n"
          "vector's largest magnitude maps to F's max (the paper's 'max' range setting),\n"
          "or with --range unit used as drawn (N(0,1) values stay near 1).\n"
          "Columns per accumulator: median and maximum over the trials, and how many\n"
          "trials gave no finite error (the accumulator overflowed to Inf or gave NaN).\n\n"
          "  --format F      input format (default fp8-e4)\n"
          "  --acc LIST      comma-separated accumulators (default fp16,bf16,fp32,kulisch):\n"
          "                  kulisch, kulisch:W, fp16, bf16, fp32, IEEE eXmY, each with :ftz,\n"
          "                  or dot-product units: hopper-fp8, hopper-fp8:promote=4, ada-fp8,\n"
          "                  blackwell-fp8, any unit spelling of 'fp8lab gemm'; or block units\n"
          "                  on block-quantized data, UNIT@BLOCKFORMAT: e.g.\n"
          "                  blackwell-mxf8f6f4@mxfp8_e4m3, mx-exact@mxfp8_e4m3,\n"
          "                  blackwell-nvf4@nvfp4.  With any of these every unit gets two more\n"
          "                  columns, U.data and U.data.max: the error against the exact dot\n"
          "                  product of the unquantized data (U and U.max: against the exact\n"
          "                  dot product of the quantized data); block units quantize the\n"
          "                  drawn values themselves (their blocks are their range setting)\n"
          "  --lengths A..B  powers of two, 1..2^%d (default 16..262144); or one length\n"
          "  --trials T      dot products per length (default 16)\n"
          "  --dist D        uniform, gaussian (default), laplace, student-t:nu=V[,clip=C]\n"
          "                  (the grammar of fp8lab accuracy)\n"
          "  --range R       max (default: scale to F's max) or unit (no scaling)\n"
          "  --mean MU       add MU to every drawn value (default 0; e.g. uniform with\n"
          "                  --mean 1 is U[0,2): all products positive, no cancellation)\n"
          "  --seed S        random seed (default from the clock; always printed on stderr)\n"
          "  --tsv           tab-separated output, one header row\n"
          "  --plot FILE.png also write FILE.png/.svg/.tsv/.gp (error vs length)\n"
          "  --plot-stat S   what --plot draws: median (default), max, or both (max dashed)\n"
          "  --help          this text\n", MAX_LOG2_LEN);
}

static bool is_pow2(unsigned long v) { return v && !(v & (v - 1)); }

static int parse_lengths(const char *s, size_t *lens, int *n)
{
  char *end;
  unsigned long lo = strtoul(s, &end, 10), hi = lo;
  if (end != s && strncmp(end, "..", 2) == 0) {
    const char *h = end + 2;
    hi = strtoul(h, &end, 10);
    if (end == h)
      hi = 0;
  }
  if (end == s || *end || *s == '-' || !is_pow2(lo) || !is_pow2(hi) || lo > hi ||
      hi > (1ul << MAX_LOG2_LEN)) {
    cli_usage_error("accumulate", "--lengths: '%s' is not A..B with powers of two 1 <= A <= B <= %lu",
                    s, 1ul << MAX_LOG2_LEN);
    return -1;
  }
  *n = 0;
  for (unsigned long v = lo; v <= hi; v *= 2)
    lens[(*n)++] = v;
  return 0;
}

/* Entries UNIT or UNIT@BLOCKFORMAT; *nblk counts the block units. */
static int parse_accs(const char *list, fp8_dot_spec *accs, fp8_block_format *blocks, bool *isblk, int *n,
                      int *nblk)
{
  char buf[512];
  if (strlen(list) >= sizeof buf)
    return cli_usage_error("accumulate", "--acc: list too long"), -1;
  snprintf(buf, sizeof buf, "%s", list);
  *n = *nblk = 0;
  char *save;
  for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    char err[1024];
    if (*n == MAX_ACCS)
      return cli_usage_error("accumulate", "--acc: more than %d accumulators", MAX_ACCS), -1;
    char *at = strchr(t, '@');
    isblk[*n] = at != NULL;
    if (at) {
      *at = 0;
      if (fp8_block_parse(at + 1, &blocks[*n], err, sizeof err))
        return cli_usage_error("accumulate", "--acc %s@%s: %s", t, at + 1, err), -1;
      (*nblk)++;
    }
    if (fp8_dot_spec_parse(t, &accs[*n], err, sizeof err))
      return cli_usage_error("accumulate", "--acc: %s", err), -1;
    (*n)++;
  }
  if (*n == 0)
    return cli_usage_error("accumulate", "--acc: empty list (expected e.g. fp16,fp32,kulisch)"), -1;
  return 0;
}

typedef struct progress_state {
  struct timespec start;
  bool shown;
} progress_state;

static void progress(int done, int total, void *arg)
{
  progress_state *p = arg;
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  double dt = (double)(now.tv_sec - p->start.tv_sec) + 1e-9 * (double)(now.tv_nsec - p->start.tv_nsec);
  if (dt > 1.0 || p->shown) {
    fprintf(stderr, "\rfp8lab accumulate: trial %d/%d", done, total);
    p->shown = true;
    if (done == total)
      fputc('\n', stderr);
  }
}

static void fmt_err(char *buf, size_t len, double x)
{
  if (isinf(x))
    snprintf(buf, len, "inf");
  else
    snprintf(buf, len, "%.3g", x);
}

/* Whether series k (stat 0 median, 1 max) has a point on the log axes. */
static bool drawable(const double *median, const double *max, int nlen, int nacc, int k, int stat)
{
  for (int l = 0; l < nlen; l++) {
    double v = (stat ? max : median)[(size_t)l * nacc + k];
    if (v > 0 && isfinite(v))
      return true;
  }
  return false;
}

/* The error plot: one key entry per drawn series (median solid, maximum
 * dashed, each named); a series with no point (exact everywhere, or Inf/NaN)
 * is named in the title instead of keeping an empty key entry.  The key sits
 * below the axes, so it hides no series.  median/max: [length][unit]; the
 * table has per columns a unit, median and max first; of_quantized: the
 * errors are against the exact sum of the quantized data (block units). */
static int plot_errors(const char *plot, const cli_table *t, const double *median, const double *max,
                       const fp8_accumulate_opts *o, const char names[][5][200], int per,
                       bool of_quantized, double mean, long trials, const char *stat)
{
  char body[8192], none[1024] = "";
  bool med = strcmp(stat, "max") != 0, mx = strcmp(stat, "median") != 0;
  const char *what = med && mx ? "median (solid) and maximum (dashed)" : med ? "median" : "maximum";
  char mn[48] = "";
  if (mean != 0)
    snprintf(mn, sizeof mn, " %+g", mean);
  size_t nn = 0;
  for (int k = 0; k < o->nacc; k++)
    if (!(med && drawable(median, max, o->nlen, o->nacc, k, 0)) &&
        !(mx && drawable(median, max, o->nlen, o->nacc, k, 1)))
      nn += (size_t)snprintf(none + nn, sizeof none - nn, "%s%s", nn ? ", " : "", names[k][0]);
  int n = snprintf(body, sizeof body,
                   "set logscale x 2\n"
                   "set logscale y 10\n"
                   "set format x '2^{%%L}'\n"
                   "set format y '10^{%%L}'\n"
                   "set xlabel 'dot-product length'\n"
                   "set ylabel '%s relative error vs exact sum%s'\n"
                   "set title \"%s inputs (%s%s, %s, %ld trials): %s relative error\\n"
                   "points missing: exact (0, e.g. Kulisch) or Inf/NaN (overflow)%s%s\" noenhanced\n"
                   "set key outside below center maxrows %d noenhanced\n"
                   "plot ", med && !mx ? "median" : mx && !med ? "maximum" : "",
                   of_quantized ? " of the quantized data" : "", o->fmt.name, o->dist.name,
                   mn, o->max_scale ? "scaled to max" : "unscaled", trials, what,
                   nn ? "; not drawn: " : "", none, med && mx ? 4 : 2);
  const char *sep = "";
  for (int k = 0; k < o->nacc; k++)
    for (int st = 0; st < 2; st++) {
      if (!(st ? mx : med) || !drawable(median, max, o->nlen, o->nacc, k, st))
        continue;
      n += snprintf(body + n, sizeof body - (size_t)n,
                    "%sdatafile using 1:(column(%d) > 0 ? column(%d) : 1/0) with linespoints lc %d %s "
                    "title '%s%s'", sep, 2 + per * k + st, 2 + per * k + st, k + 1,
                    st ? "dt 2 pt 6" : "lw 2", names[k][0], med && mx && st ? " (max)" : "");
      sep = ", \\\n  ";
    }
  if (!*sep)   /* nothing to draw: an empty frame with the title saying why */
    snprintf(body + n, sizeof body - (size_t)n, "set xrange [1:2]\nset yrange [1:10]\nplot NaN notitle\n");
  else
    snprintf(body + n, sizeof body - (size_t)n, "\n");
  cli_plot_opts po = {900, 640};
  return cli_plot("accumulate", plot, t, body, &po);
}

int cmd_accumulate(int argc, char **argv)
{
  static const struct option opts[] = {
    {"format", required_argument, NULL, 'f'}, {"acc", required_argument, NULL, 'a'},
    {"lengths", required_argument, NULL, 'l'}, {"trials", required_argument, NULL, 'n'},
    {"dist", required_argument, NULL, 'd'},    {"seed", required_argument, NULL, 's'},
    {"tsv", no_argument, NULL, 't'},           {"plot", required_argument, NULL, 'p'},
    {"range", required_argument, NULL, 'r'},   {"help", no_argument, NULL, 'h'},
    {"plot-stat", required_argument, NULL, 'S'}, {"mean", required_argument, NULL, 'm'},
    {NULL, 0, NULL, 0}};
  const char *fmt = "fp8-e4", *acc = "fp16,bf16,fp32,kulisch", *lengths = "16..262144";
  const char *dist = "gaussian", *plot = NULL, *range = "max", *stat = "median";
  long trials = 16;
  double mean = 0;
  unsigned long seed = 0;
  bool have_seed = false, tsv = false;
  int c;
  while ((c = getopt_long(argc, argv, "+f:a:l:n:d:s:tp:r:hS:m:", opts, NULL)) != -1) {
    switch (c) {
    case 'f': fmt = optarg; break;
    case 'a': acc = optarg; break;
    case 'l': lengths = optarg; break;
    case 'n':
      if (cli_parse_long("accumulate", "--trials", optarg, 1, 100000, &trials))
        return EXIT_USAGE;
      break;
    case 'd': dist = optarg; break;
    case 's':
      if (cli_parse_seed("accumulate", optarg, &seed))
        return EXIT_USAGE;
      have_seed = true;
      break;
    case 't': tsv = true; break;
    case 'p': plot = optarg; break;
    case 'r': range = optarg; break;
    case 'S': stat = optarg; break;
    case 'm':
      if (cli_parse_double("accumulate", "--mean", optarg, &mean) || !isfinite(mean))
        return isfinite(mean) ? EXIT_USAGE : cli_usage_error("accumulate", "--mean: '%s' is not finite", optarg);
      break;
    case 'h': usage(stdout); return EXIT_OK;
    default: return cli_usage_error("accumulate", "unknown option");
    }
  }
  if (optind < argc)
    return cli_usage_error("accumulate", "unexpected argument '%s'", argv[optind]);
  if (plot && cli_plot_check_path("accumulate", plot))
    return EXIT_USAGE;
  fp8_accumulate_opts o = {0};
  fp8_dot_spec accs[MAX_ACCS];
  fp8_block_format blocks[MAX_ACCS];
  const fp8_block_format *bptr[MAX_ACCS];
  bool isblk[MAX_ACCS];
  int nblk;
  size_t lens[MAX_LOG2_LEN + 1];
  char err[1024];
  if (cli_parse_format("accumulate", "--format", fmt, &o.fmt) || parse_accs(acc, accs, blocks, isblk, &o.nacc, &nblk) ||
      parse_lengths(lengths, lens, &o.nlen))
    return EXIT_USAGE;
  if (fp8_dist_parse(dist, &o.dist, err, sizeof err))
    return cli_usage_error("accumulate", "--dist: %s", err);
  if (strcmp(range, "max") && strcmp(range, "unit"))
    return cli_usage_error("accumulate", "--range: '%s' (expected max or unit)", range);
  o.max_scale = strcmp(range, "max") == 0;
  o.mean = mean;
  if (strcmp(stat, "median") && strcmp(stat, "max") && strcmp(stat, "both"))
    return cli_usage_error("accumulate", "--plot-stat: '%s' (expected median, max or both)", stat);
  /* Check every accumulator against the format before the long run. */
  for (int k = 0; k < o.nacc; k++) {
    bptr[k] = isblk[k] ? &blocks[k] : NULL;
    fp8_dot *m = isblk[k] ? fp8_dot_alloc_block(&blocks[k], NULL, &accs[k], err, sizeof err)
                          : fp8_dot_alloc(&o.fmt, NULL, &accs[k], err, sizeof err);
    if (!m)
      return cli_usage_error("accumulate", "%s", err);
    accs[k] = *fp8_dot_spec_of(m);
    fp8_dot_free(m);
  }
  o.accs = accs;
  o.lengths = lens;
  o.trials = (int)trials;
  o.seed = have_seed ? seed : cli_default_seed();
  fprintf(stderr, "fp8lab accumulate: seed %lu\n", o.seed);

  /* One experiment for every unit (accumulate.h); the errors against the
   * unquantized data are shown when block units are present. */
  const int per = nblk ? 5 : 3;
  o.blocks = bptr;
  fp8_accumulate_result *res = fp8_accumulate_alloc(o.nlen, o.nacc);
  if (!res) {
    cli_error("accumulate", "out of memory");
    return EXIT_FAIL;
  }
  progress_state ps = {{0}, false};
  clock_gettime(CLOCK_MONOTONIC, &ps.start);
  if (fp8_accumulate_run(&o, res, progress, &ps, err, sizeof err)) {
    cli_error("accumulate", "%s", err);
    fp8_accumulate_free(res);
    return EXIT_FAIL;
  }
  int ncols = 1 + per * o.nacc;
  char names[MAX_ACCS][5][200];
  const char *hdr[1 + 5 * MAX_ACCS] = {"length"};
  for (int k = 0; k < o.nacc; k++) {
    char an[160];
    fp8_dot_spec_name(&accs[k], an, sizeof an);
    if (isblk[k])
      snprintf(an + strlen(an), sizeof an - strlen(an), "@%.80s", blocks[k].name);
    static const char *const sfx[5] = {"", ".max", ".nonfinite", ".data", ".data.max"};
    for (int j = 0; j < per; j++) {
      snprintf(names[k][j], sizeof names[k][j], "%s%s", an, sfx[j]);
      hdr[1 + per * k + j] = names[k][j];
    }
  }
  cli_table *t = cli_table_new(ncols, hdr);
  for (int l = 0; l < o.nlen; l++) {
    char cells[1 + 5 * MAX_ACCS][32];
    const char *row[1 + 5 * MAX_ACCS];
    snprintf(cells[0], 32, "%zu", lens[l]);
    for (int k = 0; k < o.nacc; k++) {
      size_t i = (size_t)l * o.nacc + k;
      fmt_err(cells[1 + per * k], 32, res->median[i]);
      fmt_err(cells[2 + per * k], 32, res->max[i]);
      snprintf(cells[3 + per * k], 32, "%ld", res->nonfinite[i]);
      if (nblk) {
        fmt_err(cells[4 + per * k], 32, res->median_data[i]);
        fmt_err(cells[5 + per * k], 32, res->max_data[i]);
      }
    }
    for (int j = 0; j < ncols; j++)
      row[j] = cells[j];
    cli_table_add(t, row);
  }
  int rc = EXIT_OK;
  char mn[48] = "";
  if (mean != 0)
    snprintf(mn, sizeof mn, " %+g", mean);
  if (!tsv) {
    char fn[64];
    const char *dn = o.dist.name;
    fp8_format_canonical(&o.fmt, fn, sizeof fn);
    printf("# %s (%s) inputs, %s%s values (%s), %ld trials; relative error vs the exact sum "
           "(median, max, trials with Inf/NaN)\n", o.fmt.name, fn, dn, mn,
           o.max_scale ? "scaled to the format's max" : "unscaled", trials);
  }
  cli_table_print(t, stdout, tsv);
  if (plot && plot_errors(plot, t, res->median, res->max, &o,
                          names, per, nblk > 0, mean, trials, stat))
    rc = EXIT_FAIL;
  cli_table_free(t);
  fp8_accumulate_free(res);
  return rc;
}
