/* cmd_accuracy.c - fp8lab accuracy: bits of accuracy of formats on distributions
 * (the paper's Figure 5), with the Lloyd-Max bound, Monte Carlo cross-check
 * and the Student-t tail sweep. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "accuracy.h"
#include "accuracy_cli.h"
#include "block.h"
#include "cli.h"
#include "commands.h"
#include "lloydmax.h"
#include "mse.h"
#include "plot.h"
#include "rng.h"

#define CMD "accuracy"
#define MAX_ITEMS 64
#define DEFAULT_DISTS "uniform,gaussian,student-t:nu=3"
#define DEFAULT_FORMATS "int8,fp8-e1,fp8-e2,fp8-e3,fp8-e4,fp8-e5,lloyd-max"
#define SWEEP_DEFAULT_CLIP 100.0

static void usage(FILE *out)
{
  fprintf(out,
    "Usage: fp8lab accuracy [OPTIONS]\n"
    "Bits of accuracy, -log2(RMSE/sigma), of number formats on distributions, with\n"
    "the scale set globally MSE-optimal or by min-max calibration, and the Lloyd-Max\n"
    "optimal quantizer as the bound.  Default: the paper's Figure 5.\n\n"
    "  --dist LIST       distributions (default " DEFAULT_DISTS "):\n"
    "                    uniform | gaussian | laplace | student-t[:nu=V]  [,clip=C]\n"
    "  --format LIST     formats (default " DEFAULT_FORMATS ");\n"
    "                    lloyd-max[:N] is the optimal N-level quantizer (default 2^bits),\n"
    "                    added when the list does not name it; block formats (mxfp8_e4m3,\n"
    "                    mxfp8_e5m2, mxfp6_e3m2, mxfp6_e2m3, mxfp4_e2m1, mxint8, nvfp4,\n"
    "                    block:elem=F[:KEY=V]...) scale each block by their rule (NVFP4's\n"
    "                    tensor: 2^20 values whose max is the median max)\n"
    "  --range LIST      mse (MSE-optimal scale), max (max of --max-samples samples\n"
    "                    maps to the format's max); default mse\n"
    "  --rule LIST       block formats under these scale rules: own (the format's,\n"
    "                    default), floor, ceil, rceil, nearest\n"
    "  --method M        analytic (default) | mc (Monte Carlo) | both\n"
    "  --samples N       Monte Carlo samples (default 1000000)\n"
    "  --max-samples N   calibration samples for --range max (default 1000000)\n"
    "  --seed S          seed for sampling (default: from the clock; always printed)\n"
    "  --sweep nu=A..B[:STEP]  Student-t with nu from A to B (STEP 1); clip from a\n"
    "                    student-t in --dist, else clip=%g\n"
    "  --tsv             tab-separated: distribution format range scale mse bits\n"
    "                    [mc_mse mc_bits mc_se]; range is the block rule for block formats,\n"
    "                    scale their tensor scale T (1 without one)\n"
    "  --plot FILE.png   Figure 5 panels, or the sweep as lines (PNG, SVG, .tsv, .gp)\n"
    "  --help            this text\n", SWEEP_DEFAULT_CLIP);
}

typedef struct fmt_item {
  char spec[CLI_ITEM_LEN];
  bool lloyd, block;
  size_t levels;         /* Lloyd-Max only */
  fp8_format f;          /* per-tensor formats only */
  fp8_block_format bf;   /* block formats only */
} fmt_item;

static int split_list(const char *opt, const char *s, bool dists, char items[][CLI_ITEM_LEN], size_t *n)
{
  return cli_split_list(CMD, opt, s, dists, items, MAX_ITEMS, n);
}

static int parse_formats(const char *s, fmt_item *fi, size_t *n)
{
  char items[MAX_ITEMS][CLI_ITEM_LEN];
  if (split_list("--format", s, false, items, n))
    return -1;
  for (size_t i = 0; i < *n; i++) {
    memset(&fi[i], 0, sizeof fi[i]);
    memcpy(fi[i].spec, items[i], CLI_ITEM_LEN);   /* same size: never cut */
    if (!strncmp(items[i], "lloyd-max", 9) && (!items[i][9] || items[i][9] == ':')) {
      fi[i].lloyd = true;
      long lv = 0;
      if (items[i][9] && cli_parse_long(CMD, "--format lloyd-max:N", items[i] + 10, 2, 1L << 16, &lv))
        return -1;
      fi[i].levels = (size_t)lv;   /* 0: 2^bits of the widest format */
    } else if (fp8_block_is_block_spelling(items[i])) {
      char err[512];
      fi[i].block = true;
      if (fp8_block_parse(items[i], &fi[i].bf, err, sizeof err))
        return cli_usage_error(CMD, "--format: %s", err), -1;
    } else {
      if (cli_parse_format(CMD, "--format", items[i], &fi[i].f))
        return -1;
      if (fi[i].f.bits > 16)
        return cli_usage_error(CMD, "--format: '%s' has %d bits; accuracy handles formats of "
                               "at most 16 bits", items[i], fi[i].f.bits), -1;
    }
  }
  return 0;
}

static int parse_dists(const char *s, fp8_dist *d, size_t *n)
{
  char items[MAX_ITEMS][CLI_ITEM_LEN], err[256];
  if (split_list("--dist", s, true, items, n))
    return -1;
  for (size_t i = 0; i < *n; i++)
    if (fp8_dist_parse(items[i], &d[i], err, sizeof err))
      return cli_usage_error(CMD, "--dist: %s", err), -1;
  return 0;
}

/* strtod over exactly [s, e). */
static int number_span(const char *s, const char *e, double *v)
{
  char buf[64];
  if (e <= s || (size_t)(e - s) >= sizeof buf)
    return -1;
  memcpy(buf, s, (size_t)(e - s));
  buf[e - s] = 0;
  char *end;
  *v = strtod(buf, &end);
  return end != buf && !*end ? 0 : -1;
}

/* nu=A..B[:STEP]: the points A + k*STEP <= B (within 1e-12 relative), counted
 * here once, before anything is built: at most SWEEP_MAX_POINTS, and STEP must
 * advance nu at every point (A + STEP == A does not, nor a STEP below the
 * spacing of doubles near B). */
#define SWEEP_MAX_POINTS 1000
static int parse_sweep(const char *s, double *a, double *b, double *step, size_t *npoints)
{
  *step = 1;
  const char *dots = strstr(s, ".."), *colon = dots ? strchr(dots, ':') : NULL;
  const char *end = s + strlen(s);
  if (strncmp(s, "nu=", 3) || !dots || number_span(s + 3, dots, a) ||
      number_span(dots + 2, colon ? colon : end, b) || (colon && number_span(colon + 1, end, step)))
    return cli_usage_error(CMD, "--sweep: '%s' is not nu=A..B or nu=A..B:STEP (e.g. nu=1..30)", s), -1;
  if (!(*a > 0) || !isfinite(*b) || !(*b >= *a) || !(*step > 0) || !isfinite(*step))
    return cli_usage_error(CMD, "--sweep: '%s' needs finite 0 < A <= B and STEP > 0", s), -1;
  double span = (*b - *a) / *step;
  if (!(span <= SWEEP_MAX_POINTS - 1 + 1e-9))
    return cli_usage_error(CMD, "--sweep: '%s' gives %.3g points (expected at most %d: a larger STEP "
                           "or a narrower A..B)", s, span + 1, SWEEP_MAX_POINTS), -1;
  size_t n = (size_t)floor(span * (1 + 1e-12) + 1e-9) + 1;
  for (size_t k = 1; k < n; k++)
    if (!(*a + *step * (double)k > *a + *step * (double)(k - 1)))
      return cli_usage_error(CMD, "--sweep: STEP %g does not advance nu at %g (expected a step "
                             "above the spacing of doubles there)", *step, *a + *step * (double)k), -1;
  *npoints = n;
  return 0;
}

#define RULE_OWN FP8_BLOCK_NRULES
typedef struct run_opts {
  cli_progress *progress;
  size_t ndists;
  fp8_range ranges[2];
  const char *range_names[2];
  size_t nranges;
  int rules[FP8_BLOCK_NRULES + 1];   /* fp8_block_rule, or RULE_OWN */
  size_t nrules;
  bool analytic, mc;
  long samples, max_samples;
  unsigned long seed;
} run_opts;

static void row_init(acc_row *r, size_t di, const fp8_dist *d, const char *fmt, const char *range)
{
  memset(r, 0, sizeof *r);
  r->dist = di;
  snprintf(r->dist_name, sizeof r->dist_name, "%s", d->name);
  r->nu = d->kind == FP8_DIST_STUDENT_T ? d->nu : 0;
  snprintf(r->format, sizeof r->format, "%s", fmt);
  r->range = range;
  r->mc_mse = r->mc_se = r->mc_bits = NAN;
}

/* The rows of block format fi under each --rule (a rule met twice, e.g.
 * own = floor, once); appends to rows, q, sigma at *nr.  0 or -1 (reported). */
static int block_rows(size_t di, const fp8_dist *d, const fmt_item *fi, const run_opts *o,
                      fp8_accuracy_workspace *ws, acc_row *rows, fp8_mc_quantizer *q, double *sigma,
                      fp8_block_format *bfs, int *nr)
{
  bool done[FP8_BLOCK_NRULES] = {false};
  for (size_t k = 0; k < o->nrules; k++) {
    fp8_block_format *bf = &bfs[*nr];
    *bf = fi->bf;
    if (o->rules[k] != RULE_OWN)
      bf->rule = (fp8_block_rule)o->rules[k];
    if (done[bf->rule])
      continue;
    done[bf->rule] = true;
    acc_row *r = &rows[*nr];
    row_init(r, di, d, fi->spec, fp8_block_rule_name(bf->rule));
    fp8_accuracy a;
    int st = fp8_accuracy_block(ws, bf, d, &a);
    if (st || !isfinite(a.bits)) {
      cli_error(CMD, "%s (rule %s) on %s: %s", fi->spec, r->range, d->name,
                st ? gsl_strerror(st) : "the result is not finite");
      return -1;
    }
    r->scale = a.scale;
    r->mse = o->analytic ? a.mse : NAN;
    r->bits = o->analytic ? a.bits : NAN;
    q[*nr] = (fp8_mc_quantizer){.block = bf, .t = a.scale, .a = 1, .cut = isinf(a.cut) ? 0 : a.cut};
    sigma[(*nr)++] = a.sigma;
  }
  return 0;
}

/* Monte Carlo of the rows' quantizers, one call per cut (a tensor-scaled
 * block format's model draws below the tensor's max; the others share the
 * unconditioned samples).  0 or -1 (reported). */
static int mc_rows(const fp8_dist *d, const run_opts *o, const fp8_mc_quantizer *q,
                   fp8_mc_result *res, size_t nq)
{
  enum { QMAX = MAX_ITEMS * (FP8_BLOCK_NRULES + 1) };
  bool done[QMAX] = {false};
  for (size_t i = 0; i < nq; i++) {
    if (done[i])
      continue;
    fp8_mc_quantizer sub[QMAX];
    fp8_mc_result sres[QMAX];
    size_t idx[QMAX], n = 0;
    for (size_t k = i; k < nq; k++)
      if (!done[k] && q[k].cut == q[i].cut) {
        idx[n] = k;
        sub[n++] = q[k];
        done[k] = true;
      }
    /* its own stream, so MC samples are independent of the calibration's */
    gsl_rng *g = fp8_rng_alloc_stream(o->seed, 1 + (q[i].cut > 0));
    int st = fp8_mse_mc(d, g, (size_t)o->samples, sub, n, sres);
    gsl_rng_free(g);
    if (st) {
      cli_error(CMD, "Monte Carlo on %s: %s", d->name, gsl_strerror(st));
      return -1;
    }
    for (size_t k = 0; k < n; k++)
      res[idx[k]] = sres[k];
  }
  return 0;
}

/* The row of Lloyd-Max item fi (its codebook solved into *lm, which the
 * caller frees); appends to rows, q, sigma at *nr.  0 or -1 (reported). */
static int lloyd_row(size_t di, const fp8_dist *d, const fmt_item *fi, fp8_lloydmax **lm,
                     acc_row *rows, fp8_mc_quantizer *q, double *sigma, int *nr)
{
  *lm = fp8_lloydmax_alloc(fi->levels);
  if (!*lm || fp8_lloydmax_solve(*lm, d, 0, 0) != GSL_SUCCESS) {
    cli_error(CMD, "Lloyd-Max with %zu levels did not converge on %s", fi->levels, d->name);
    return -1;
  }
  acc_row *r = &rows[(*nr)++];
  row_init(r, di, d, fi->spec, "opt");
  r->scale = 1;
  r->mse = (*lm)->mse;
  r->bits = fp8_mse_bits(r->mse, fp8_dist_sigma(d));
  if (!isfinite(r->bits) || !isfinite(r->mse)) {
    cli_error(CMD, "%s on %s: the result is not finite (mse %g, bits %g): the distribution is "
              "outside what the analysis resolves", fi->spec, d->name, r->mse, r->bits);
    return -1;
  }
  q[*nr - 1] = (fp8_mc_quantizer){.scale = 1, .levels = (*lm)->levels, .nlevels = (*lm)->n};
  sigma[*nr - 1] = fp8_dist_sigma(d);
  return 0;
}

/* The rows of per-tensor format fi under each --range (absmax: the sampled
 * maximum for --range max); appends at *nr.  0 or -1 (reported). */
static int format_rows(size_t di, const fp8_dist *d, const fmt_item *fi, const run_opts *o,
                       double absmax, fp8_accuracy_workspace *ws, acc_row *rows,
                       fp8_mc_quantizer *q, double *sigma, int *nr)
{
  for (size_t k = 0; k < o->nranges; k++) {
    acc_row *r = &rows[(*nr)++];
    row_init(r, di, d, fi->spec, o->range_names[k]);
    fp8_accuracy a;
    int st = fp8_accuracy_format(ws, &fi->f, d, o->ranges[k], absmax, &a);
    if (st) {
      cli_error(CMD, "%s on %s: %s", fi->spec, d->name, gsl_strerror(st));
      return -1;
    }
    if (o->analytic && (!isfinite(a.mse) || !isfinite(a.bits) || !isfinite(a.scale))) {
      cli_error(CMD, "%s on %s: the result is not finite (scale %g, mse %g, bits %g): the "
                "distribution is outside what the analysis resolves", fi->spec, d->name, a.scale, a.mse, a.bits);
      return -1;
    }
    r->scale = a.scale;
    r->mse = o->analytic ? a.mse : NAN;
    r->bits = o->analytic ? a.bits : NAN;
    q[*nr - 1] = (fp8_mc_quantizer){.fmt = &fi->f, .scale = a.scale};
    sigma[*nr - 1] = a.sigma;
  }
  return 0;
}

/* All rows of one distribution; returns the number added or -1. */
static int run_dist(size_t di, const fp8_dist *d, const fmt_item *fi, size_t nf,
                    const run_opts *o, fp8_accuracy_workspace *ws, acc_row *rows)
{
  int nr = 0, rc = -1;
  double absmax = 0;
  fp8_lloydmax *lm[MAX_ITEMS + 1] = {0};
  enum { QMAX = MAX_ITEMS * (FP8_BLOCK_NRULES + 1) };
  fp8_mc_quantizer q[QMAX];
  fp8_mc_result res[QMAX];
  double sigma[QMAX];
  static fp8_block_format bfs[QMAX];
  for (size_t r = 0; r < o->nranges; r++) {
    if (o->ranges[r] != FP8_RANGE_MAX)
      continue;
    gsl_rng *g = fp8_rng_alloc(o->seed);
    absmax = fp8_dist_sample_absmax(d, g, (size_t)o->max_samples);
    gsl_rng_free(g);
  }
  for (size_t i = 0; i < nf; i++) {
    cli_progress_note(o->progress, "distribution %zu of %zu (%s), %s", di + 1, o->ndists, d->name, fi[i].spec);
    int st = fi[i].lloyd ? lloyd_row(di, d, &fi[i], &lm[i], rows, q, sigma, &nr)
           : fi[i].block ? block_rows(di, d, &fi[i], o, ws, rows, q, sigma, bfs, &nr)
           : format_rows(di, d, &fi[i], o, absmax, ws, rows, q, sigma, &nr);
    if (st)
      goto out;
  }
  if (o->mc && mc_rows(d, o, q, res, (size_t)nr))
    goto out;
  for (int k = 0; o->mc && k < nr; k++) {
    rows[k].mc_mse = res[k].mse;
    rows[k].mc_se = res[k].se;
    rows[k].mc_bits = fp8_mse_bits(res[k].mse, sigma[k]);
  }
  rc = nr;
out:
  for (size_t i = 0; i < nf; i++)
    fp8_lloydmax_free(lm[i]);
  return rc;
}

static void print_rows(const acc_row *rows, size_t n, const run_opts *o, bool tsv)
{
  static const char *const hdr[] = {"distribution", "format", "range", "scale", "mse", "bits",
                                    "mc_mse", "mc_bits", "mc_se"};
  int nc = o->mc ? 9 : 6;
  cli_table *t = cli_table_new(nc, hdr);
  for (size_t i = 0; i < n; i++) {
    const acc_row *r = &rows[i];
    double v[6] = {r->scale, r->mse, r->bits, r->mc_mse, r->mc_bits, r->mc_se};
    char cells[6][40];
    const char *cp[9] = {r->dist_name, r->format, r->range};
    for (int k = 0; k < 6; k++) {
      if (tsv)
        fp8_format_double(cells[k], sizeof cells[k], v[k]);
      else if (isnan(v[k]))
        snprintf(cells[k], sizeof cells[k], "-");
      else
        snprintf(cells[k], sizeof cells[k], k == 2 || k == 4 ? "%.4f" : "%.6g", v[k]);
      cp[3 + k] = cells[k];
    }
    if (!strcmp(r->range, "opt"))
      cp[3] = tsv ? "nan" : "-";   /* a codebook has no scale */
    cli_table_add(t, cp);
  }
  cli_table_print(t, stdout, tsv);
  cli_table_free(t);
}

/* The command line, as given: the lists still unsplit, the run's scalars set. */
typedef struct acc_opts {
  const char *dist_s, *fmt_s, *range_s, *rule_s, *sweep_s, *plot;
  bool tsv, have_seed;
  run_opts run;
} acc_opts;

/* -1: go on; else the exit status (--help, a usage error). */
static int accuracy_parse(int argc, char **argv, acc_opts *o)
{
  static const struct option opts[] = {
    {"dist", required_argument, NULL, 'd'}, {"format", required_argument, NULL, 'f'},
    {"range", required_argument, NULL, 'r'}, {"method", required_argument, NULL, 'm'},
    {"samples", required_argument, NULL, 'n'}, {"max-samples", required_argument, NULL, 'N'},
    {"seed", required_argument, NULL, 's'}, {"sweep", required_argument, NULL, 'w'},
    {"rule", required_argument, NULL, 'R'},
    {"tsv", no_argument, NULL, 't'}, {"plot", required_argument, NULL, 'p'},
    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  *o = (acc_opts){.fmt_s = DEFAULT_FORMATS, .range_s = "mse", .rule_s = "own",
                  .run = {.analytic = true, .samples = 1000000, .max_samples = 1000000}};
  int c;
  while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
    switch (c) {
    case 'd': o->dist_s = optarg; break;
    case 'f': o->fmt_s = optarg; break;
    case 'r': o->range_s = optarg; break;
    case 'R': o->rule_s = optarg; break;
    case 'w': o->sweep_s = optarg; break;
    case 't': o->tsv = true; break;
    case 'p': o->plot = optarg; break;
    case 'm':
      if (strcmp(optarg, "analytic") && strcmp(optarg, "mc") && strcmp(optarg, "both"))
        return cli_usage_error(CMD, "--method: '%s' is not analytic, mc or both", optarg);
      o->run.analytic = strcmp(optarg, "mc") != 0;
      o->run.mc = strcmp(optarg, "analytic") != 0;
      break;
    case 'n':
      if (cli_parse_long(CMD, "--samples", optarg, 2, 1L << 40, &o->run.samples))
        return EXIT_USAGE;
      break;
    case 'N':
      if (cli_parse_long(CMD, "--max-samples", optarg, 1, 1L << 40, &o->run.max_samples))
        return EXIT_USAGE;
      break;
    case 's':
      if (cli_parse_seed(CMD, optarg, &o->run.seed))
        return EXIT_USAGE;
      o->have_seed = true;
      break;
    case 'h': usage(stdout); return EXIT_OK;
    default: return cli_usage_error(CMD, "unknown option");
    }
  }
  if (optind != argc)
    return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
  if (o->plot && cli_plot_check_path(CMD, o->plot))
    return EXIT_USAGE;
  return -1;
}

/* --range LIST into o->ranges, each once.  0 or -1 (reported). */
static int parse_ranges(const char *s, run_opts *o)
{
  char items[MAX_ITEMS][CLI_ITEM_LEN];
  size_t n;
  if (split_list("--range", s, false, items, &n))
    return -1;
  for (size_t i = 0; i < n; i++) {
    fp8_range r;
    if (fp8_range_parse(items[i], &r))
      return cli_usage_error(CMD, "--range: '%s' is not mse or max", items[i]), -1;
    bool dup = false;
    for (size_t k = 0; k < o->nranges; k++)
      dup |= o->ranges[k] == r;
    if (!dup) {
      o->ranges[o->nranges] = r;
      o->range_names[o->nranges++] = fp8_range_name(r);
    }
  }
  return 0;
}

/* --rule LIST into o->rules, each once (own: RULE_OWN).  0 or -1 (reported). */
static int parse_rules(const char *s, run_opts *o)
{
  char items[MAX_ITEMS][CLI_ITEM_LEN];
  size_t n;
  if (split_list("--rule", s, false, items, &n))
    return -1;
  for (size_t i = 0; i < n; i++) {
    fp8_block_rule br;
    int r = RULE_OWN;
    if (strcmp(items[i], "own")) {
      if (fp8_block_rule_lookup(items[i], &br))
        return cli_usage_error(CMD, "--rule: '%s' is not own, floor, ceil, rceil or nearest", items[i]), -1;
      r = (int)br;
    }
    bool dup = false;
    for (size_t k = 0; k < o->nrules; k++)
      dup |= o->rules[k] == r;
    if (!dup)
      o->rules[o->nrules++] = r;
  }
  return 0;
}

/* The Lloyd-Max bound belongs in every table: appended when the list does not
 * name it (fi has room for one more), and given 2^bits of the widest format
 * when it has no level count.  0 or -1 (reported). */
static int add_lloyd_bound(fmt_item *fi, size_t *nf)
{
  bool have_lloyd = false;
  for (size_t i = 0; i < *nf; i++)
    have_lloyd |= fi[i].lloyd;
  if (!have_lloyd) {
    memset(&fi[*nf], 0, sizeof fi[*nf]);
    snprintf(fi[*nf].spec, sizeof fi[*nf].spec, "lloyd-max");
    fi[(*nf)++].lloyd = true;
  }
  int maxbits = 0;
  for (size_t i = 0; i < *nf; i++) {
    int b = fi[i].lloyd ? 0 : fi[i].block ? fi[i].bf.elem.bits : fi[i].f.bits;
    if (b > maxbits)
      maxbits = b;
  }
  for (size_t i = 0; i < *nf; i++)
    if (fi[i].lloyd && !fi[i].levels) {
      if (maxbits > 12)
        return cli_usage_error(CMD, "--format: lloyd-max needs a level count (lloyd-max:N, N <= 65536) "
                               "beside formats wider than 12 bits"), -1;
      fi[i].levels = (size_t)1 << (maxbits ? maxbits : 8);
    }
  return 0;
}

/* The distributions: --dist, or with --sweep the Student-t points, clipped
 * like the first student-t of an explicit --dist.  0 or -1 (reported). */
static int build_dists(const acc_opts *o, fp8_dist *dists, size_t *nd)
{
  if (parse_dists(o->dist_s ? o->dist_s : DEFAULT_DISTS, dists, nd))
    return -1;
  if (!o->sweep_s)
    return 0;
  double a, b, step, clip = SWEEP_DEFAULT_CLIP;
  size_t npoints;
  if (parse_sweep(o->sweep_s, &a, &b, &step, &npoints))
    return -1;
  for (size_t i = 0; o->dist_s && i < *nd; i++)
    if (dists[i].kind == FP8_DIST_STUDENT_T) {
      clip = dists[i].clip;
      break;
    }
  for (*nd = 0; *nd < npoints; (*nd)++) {
    char err[256];
    if (fp8_dist_make(&dists[*nd], FP8_DIST_STUDENT_T, a + step * (double)*nd, clip, err, sizeof err))
      return cli_usage_error(CMD, "--sweep: %s", err), -1;
  }
  return 0;
}

/* The plot's columns are the ranges, then the block rules, each if some row
 * has it.  0 or -1 (reported). */
static int plot_rows(const char *path, const acc_row *rows, size_t n, size_t nd, const run_opts *o,
                     bool sweep)
{
  const char *cols[2 + FP8_BLOCK_NRULES];
  size_t nc = 0;
  for (size_t k = 0; k < o->nranges + FP8_BLOCK_NRULES; k++) {
    const char *name = k < o->nranges ? o->range_names[k]
                                      : fp8_block_rule_name((fp8_block_rule)(k - o->nranges));
    bool used = false;
    for (size_t i = 0; i < n && !used; i++)
      used = !strcmp(rows[i].range, name);
    if (used)
      cols[nc++] = name;
  }
  return acc_plot(path, rows, n, nd, cols, nc, sweep);
}

/* Every distribution's rows, printed and plotted: the exit status. */
static int run_all(const acc_opts *a, run_opts *o, const fmt_item *fi, size_t nf,
                   const fp8_dist *dists, size_t nd)
{
  size_t per_dist = nf * (o->nranges > o->nrules ? o->nranges : o->nrules);
  acc_row *rows = malloc(nd * per_dist * sizeof *rows);
  fp8_accuracy_workspace *ws = fp8_accuracy_alloc();
  if (!rows || !ws) {
    free(rows);
    fp8_accuracy_free(ws);
    cli_error(CMD, "out of memory");
    return EXIT_FAIL;
  }
  size_t n = 0;
  int rc = EXIT_OK;
  cli_progress prog;
  cli_progress_start(&prog, CMD);
  o->progress = &prog;
  o->ndists = nd;
  for (size_t i = 0; i < nd && rc == EXIT_OK; i++) {
    int k = run_dist(i, &dists[i], fi, nf, o, ws, rows + n);
    if (k < 0)
      rc = EXIT_FAIL;
    else
      n += (size_t)k;
  }
  if (rc == EXIT_OK) {
    print_rows(rows, n, o, a->tsv);
    if (a->plot && plot_rows(a->plot, rows, n, nd, o, a->sweep_s != NULL))
      rc = EXIT_FAIL;
  }
  fp8_accuracy_free(ws);
  free(rows);
  return rc;
}

int cmd_accuracy(int argc, char **argv)
{
  acc_opts o;
  int rc = accuracy_parse(argc, argv, &o);
  if (rc >= 0)
    return rc;
  static fmt_item fi[MAX_ITEMS + 1];
  static fp8_dist dists[SWEEP_MAX_POINTS > MAX_ITEMS ? SWEEP_MAX_POINTS : MAX_ITEMS];
  size_t nf, nd;
  if (parse_ranges(o.range_s, &o.run) || parse_rules(o.rule_s, &o.run) ||
      parse_formats(o.fmt_s, fi, &nf) || add_lloyd_bound(fi, &nf) || build_dists(&o, dists, &nd))
    return EXIT_USAGE;

  bool random = o.run.mc;
  for (size_t k = 0; k < o.run.nranges; k++)
    random |= o.run.ranges[k] == FP8_RANGE_MAX;
  if (!o.have_seed)
    o.run.seed = cli_default_seed();
  if (random)
    fprintf(stderr, "fp8lab accuracy: seed %lu\n", o.run.seed);
  return run_all(&o, &o.run, fi, nf, dists, nd);
}
