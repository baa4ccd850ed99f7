/* cmd_explore.c - fp8lab explore: every exponent/mantissa split of the given
 * widths as an operand (block.h: per tensor, the operand with no block scale;
 * with --block, the element of blocks of each size under each scale rule),
 * its bits of accuracy per distribution (accuracy.h) against a cost (per
 * tensor: the gate count of a MAC per accumulator; in blocks: bits per value),
 * with the cost/accuracy Pareto front marked.  One sweep for both kinds. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "accuracy.h"
#include "block.h"
#include "cli.h"
#include "commands.h"
#include "datadir.h"
#include "gates.h"
#include "plot.h"
#include "rng.h"

#define CMD "explore"
#define MAX_ITEMS 16
#define MAX_FORMATS 160

static void usage(FILE *out)
{
  fprintf(out,
          "Usage: fp8lab explore [OPTIONS]\n"
          "For every split of the given widths (intN and eXmY, X = 1..min(8, N-2)), the\n"
          "analytic gate count of a MAC per accumulator, the bits of accuracy per\n"
          "distribution, and whether the point is on the cost/accuracy Pareto front\n"
          "(no other point of the same distribution is as cheap and as accurate).\n\n"
          "  --bits LIST          widths: N, A..B or a comma list of those (default 8; 4..16)\n"
          "  --convention C       special values of the float splits: fnuz (the paper's,\n"
          "                       default), fn, ieee, none, p3109f or p3109e\n"
          "  --acc LIST           accumulators (default kulisch,fp16,fp32): kulisch,\n"
          "                       kulisch:W, or a float format, optionally :ftz\n"
          "  --dist LIST          distributions (default gaussian); see fp8lab accuracy\n"
          "  --range mse|max      scale: MSE-optimal (default) or min-max of samples\n"
          "  --samples N          calibration samples for --range max (default 1000000)\n"
          "  --seed S             seed for --range max (printed)\n"
          "  --components FILE    gate cost table (default: components.tsv in the data folder)\n"
          "  --tsv                tab-separated: bits format E M accumulator gates\n"
          "                       distribution accuracy_bits pareto\n"
          "  --plot FILE.png      gates against bits of accuracy, one marker per accumulator,\n"
          "                       the front joined and labelled (a panel per distribution)\n"
          "Block formats (--block): every split as the element of blocks of each size\n"
          "under each scale rule, bits of accuracy against bits per value (the scale's\n"
          "share included), the front of that trade marked; --acc does not apply.\n"
          "  --block LIST         block sizes (e.g. 8,16,32,64; 1..4096)\n"
          "  --rule LIST          scale rules (default floor,rceil): floor, ceil, rceil,\n"
          "                       nearest\n"
          "  --scale FORMAT       scale format (default float8_e8m0fnu; e.g. ue4m3)\n"
          "  --help               this text\n");
}

typedef struct point {
  int bits, E, M;
  char format[48];
  int series;       /* per tensor: the accumulator's index; in blocks: the rule */
  int block;        /* B, or FP8_BLOCK_NONE */
  int dist;         /* index into the distribution list */
  double cost;      /* gates per MAC, or bits per value */
  double acc_bits;
  bool pareto;
} point;

/* The plot: a panel per distribution, bits of accuracy against the cost, a
 * marker per series, the front joined and labelled "format/<col_label>".
 * Columns are 1-based gnuplot columns of the plotted table. */
typedef struct plot_spec {
  const char *xlabel, *title;         /* title follows "<distribution>: " */
  int col_dist, col_series, col_x, col_y, col_pareto, col_label;
  const char *const *series;          /* values of col_series, one marker each */
  size_t nseries;
  const char *series_suffix;          /* appended to each series' key entry */
  const char *const *dists;
  size_t nd;
  const char *front_title;
  int width, panel_height;
} plot_spec;

/* "8", "4..16", "6,8,10..12" -> widths[]; each 3..16. */
static int parse_bits(const char *s, int *w, int *nw)
{
  char items[MAX_ITEMS][CLI_ITEM_LEN];
  size_t n;
  if (cli_split_list(CMD, "--bits", s, false, items, MAX_ITEMS, &n))
    return -1;
  *nw = 0;
  for (size_t i = 0; i < n; i++) {
    long a, b;
    char *dots = strstr(items[i], "..");
    if (dots) {
      *dots = 0;
      if (cli_parse_long(CMD, "--bits", items[i], 3, 16, &a) ||
          cli_parse_long(CMD, "--bits", dots + 2, 3, 16, &b))
        return -1;
      if (b < a)
        return cli_usage_error(CMD, "--bits: range %ld..%ld is empty (expected A <= B)", a, b), -1;
    } else {
      if (cli_parse_long(CMD, "--bits", items[i], 3, 16, &a))
        return -1;
      b = a;
    }
    for (long v = a; v <= b; v++) {
      bool seen = false;
      for (int k = 0; k < *nw; k++)
        seen |= w[k] == v;
      if (!seen && *nw < 16)
        w[(*nw)++] = (int)v;
    }
  }
  return 0;
}

/* Every split of width n: intN, then eXmY:conv for X = 1..min(8, n-2) (a
 * convention impossible for a split is left out).  Returns how many. */
static int splits(int n, const char *conv, fp8_format *out, int max)
{
  int k = 0;
  char spec[48];
  snprintf(spec, sizeof spec, "int%d", n);
  if (k < max && fp8_format_parse(spec, &out[k], NULL, 0) == 0)
    k++;
  for (int e = 1; e <= 8 && e <= n - 2 && k < max; e++) {
    snprintf(spec, sizeof spec, "e%dm%d:%s", e, n - 1 - e, conv);
    if (fp8_format_parse(spec, &out[k], NULL, 0) == 0)
      k++;  /* a convention impossible for this split (e1 ieee) is left out */
  }
  return k;
}

/* A point is on the front of its distribution if no point of that
 * distribution has cost <= and bits >=, one of them strictly. */
static void mark_pareto(point *p, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    p[i].pareto = true;
    for (size_t j = 0; j < n && p[i].pareto; j++)
      if (j != i && p[j].dist == p[i].dist && p[j].cost <= p[i].cost &&
          p[j].acc_bits >= p[i].acc_bits &&
          (p[j].cost < p[i].cost || p[j].acc_bits > p[i].acc_bits))
        p[i].pareto = false;
  }
}

/* Plot order: gnuplot joins consecutive rows only, so each distribution's
 * front comes first and contiguous, in cost order (a qsort comparator). */
static int by_dist_front_cost(const void *a, const void *b)
{
  const point *x = a, *y = b;
  if (x->dist != y->dist)
    return x->dist - y->dist;
  if (x->pareto != y->pareto)
    return y->pareto - x->pareto;
  return (x->cost > y->cost) - (x->cost < y->cost);
}

static int plot_front(const char *out, const cli_table *t, const plot_spec *ps)
{
  /* gnuplot: one panel per distribution; points per series; the front as a
   * line through the front points (sorted first and contiguous). */
  size_t cap = 4096 + 1024 * ps->nd * (ps->nseries + 2);
  char *body = malloc(cap);
  if (!body)
    return -1;
  size_t len = 0;
#define ADD(...) len += (size_t)snprintf(body + len, cap - len, __VA_ARGS__)
  ADD("set grid\nset key outside right top noenhanced\nset xlabel '%s'\n"
      "set ylabel 'bits of accuracy'\n", ps->xlabel);
  if (ps->nd > 1)
    ADD("set multiplot layout %zu,1\n", ps->nd);
  static const int pt[] = {7, 5, 9, 11, 13, 3, 1, 2};
  int cd = ps->col_dist, cs = ps->col_series, cx = ps->col_x, cy = ps->col_y, cp = ps->col_pareto;
  for (size_t d = 0; d < ps->nd; d++) {
    const char *dn = ps->dists[d];
    ADD("set title '%s: %s' noenhanced\nplot ", dn, ps->title);
    for (size_t a = 0; a < ps->nseries; a++)
      ADD("datafile using (strcol(%d) eq '%s' && strcol(%d) eq '%s' ? $%d : NaN):%d with points pt %d "
          "ps 1.3 title '%s%s', ", cd, dn, cs, ps->series[a], cx, cy, pt[a % 8], ps->series[a],
          ps->series_suffix);
    ADD("datafile using (strcol(%d) eq '%s' && strcol(%d) eq 'yes' ? $%d : NaN):%d with lines lw 2 lc rgb "
        "'black' title '%s', ", cd, dn, cp, cx, cy, ps->front_title);
    ADD("datafile using (strcol(%d) eq '%s' && strcol(%d) eq 'yes' ? $%d : NaN):%d:(sprintf('%%s/%%s', "
        "strcol(2), strcol(%d))) with labels offset 0,0.9 font ',8' notitle\n", cd, dn, cp, cx, cy,
        ps->col_label);
  }
  if (ps->nd > 1)
    ADD("unset multiplot\n");
#undef ADD
  cli_plot_opts po = {ps->width, (int)(ps->panel_height * (ps->nd > 1 ? ps->nd : 1.4))};
  int rc = cli_plot(CMD, out, t, body, &po);
  free(body);
  return rc;
}

/* The table of the points: per tensor with the accumulator and its gates; in
 * blocks with the block size, rule and bits per value. */
static cli_table *table_of(const point *p, size_t n, bool blocks, const char accs[][CLI_ITEM_LEN],
                           const fp8_dist *dist)
{
  static const char *const hdr[] = {"bits", "format", "E", "M", "accumulator", "gates",
                                    "distribution", "accuracy_bits", "pareto"};
  static const char *const bhdr[] = {"bits", "format", "E", "M", "block", "rule", "bits_per_value",
                                     "distribution", "accuracy_bits", "pareto"};
  cli_table *t = blocks ? cli_table_new(10, bhdr) : cli_table_new(9, hdr);
  for (size_t i = 0; i < n; i++)
    if (blocks)
      cli_table_addf(t, "%d\t%s\t%d\t%d\t%d\t%s\t%.4f\t%s\t%.4f\t%s", p[i].bits, p[i].format, p[i].E,
                     p[i].M, p[i].block, fp8_block_rule_name((fp8_block_rule)p[i].series), p[i].cost,
                     dist[p[i].dist].name, p[i].acc_bits, p[i].pareto ? "yes" : "no");
    else
      cli_table_addf(t, "%d\t%s\t%d\t%d\t%s\t%.0f\t%s\t%.4f\t%s", p[i].bits, p[i].format, p[i].E,
                     p[i].M, accs[p[i].series], p[i].cost, dist[p[i].dist].name, p[i].acc_bits,
                     p[i].pareto ? "yes" : "no");
  return t;
}

int cmd_explore(int argc, char **argv)
{
  static const struct option opts[] = {
    {"bits", required_argument, NULL, 'b'}, {"convention", required_argument, NULL, 'c'},
    {"acc", required_argument, NULL, 'a'}, {"dist", required_argument, NULL, 'd'},
    {"range", required_argument, NULL, 'r'}, {"samples", required_argument, NULL, 'n'},
    {"seed", required_argument, NULL, 's'}, {"components", required_argument, NULL, 'C'},
    {"tsv", no_argument, NULL, 't'}, {"plot", required_argument, NULL, 'p'},
    {"block", required_argument, NULL, 'B'}, {"rule", required_argument, NULL, 'R'},
    {"scale", required_argument, NULL, 'S'},
    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  const char *bits_s = "8", *conv = "fnuz", *acc_s = NULL, *dist_s = "gaussian";
  const char *block_s = NULL, *rule_s = NULL, *scale_s = NULL;
  const char *range_s = "mse", *cfile = NULL, *plot = NULL;
  long samples = 1000000;
  unsigned long seed = 0;
  bool tsv = false, have_seed = false;
  int c;
  while ((c = getopt_long(argc, argv, "b:c:a:d:r:n:s:C:tp:h", opts, NULL)) != -1) {
    switch (c) {
    case 'b': bits_s = optarg; break;
    case 'c': conv = optarg; break;
    case 'a': acc_s = optarg; break;
    case 'd': dist_s = optarg; break;
    case 'r': range_s = optarg; break;
    case 'n':
      if (cli_parse_long(CMD, "--samples", optarg, 1, 1000000000L, &samples))
        return EXIT_USAGE;
      break;
    case 's':
      if (cli_parse_seed(CMD, optarg, &seed))
        return EXIT_USAGE;
      have_seed = true;
      break;
    case 'C': cfile = optarg; break;
    case 'B': block_s = optarg; break;
    case 'R': rule_s = optarg; break;
    case 'S': scale_s = optarg; break;
    case 't': tsv = true; break;
    case 'p': plot = optarg; break;
    case 'h': usage(stdout); return EXIT_OK;
    default: return cli_usage_error(CMD, "unknown option");
    }
  }
  if (optind < argc)
    return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
  if (plot && cli_plot_check_path(CMD, plot))
    return EXIT_USAGE;
  bool conv_ok = false;
  for (int i = 0; i < FP8_SPECIAL_NCONV; i++)
    conv_ok |= !strcmp(conv, fp8_special_name((fp8_special)i));
  if (!conv_ok)
    return cli_usage_error(CMD, "--convention: '%s' (expected fnuz, fn, ieee, none, p3109f or p3109e)", conv);
  fp8_range range;
  if (fp8_range_parse(range_s, &range))
    return cli_usage_error(CMD, "--range: '%s' (expected mse or max)", range_s);

  int widths[16], nw;
  if (parse_bits(bits_s, widths, &nw))
    return EXIT_USAGE;
  bool blocks = block_s || rule_s || scale_s;
  if (blocks) {
    if (!block_s)
      return cli_usage_error(CMD, "--rule and --scale need --block (block sizes to explore)");
    if (acc_s || cfile)
      return cli_usage_error(CMD, "--acc and --components do not apply with --block (no gate model for "
                             "block formats: the cost is bits per value)");
    if (range != FP8_RANGE_MSE)
      return cli_usage_error(CMD, "--range does not apply with --block (the scale rule sets each block's "
                             "scale)");
  }
  char items[MAX_ITEMS][CLI_ITEM_LEN], accs[MAX_ITEMS][CLI_ITEM_LEN], err[600];
  size_t na = 0, nd;
  /* The operand of each split: per tensor one, with no block scale; with
   * --block one per block size and rule (in that order), the element left
   * to fill in. */
  fp8_block_format var[MAX_ITEMS * FP8_BLOCK_NRULES];
  size_t nv = 0;
  fp8_gates_costs costs;
  if (blocks) {
    size_t nb, nr;
    int bsize[MAX_ITEMS], rules[FP8_BLOCK_NRULES];
    if (cli_split_list(CMD, "--block", block_s, false, items, MAX_ITEMS, &nb))
      return EXIT_USAGE;
    for (size_t i = 0; i < nb; i++) {
      long b;
      if (cli_parse_long(CMD, "--block", items[i], 1, FP8_BLOCK_MAX, &b))
        return EXIT_USAGE;
      bsize[i] = (int)b;
    }
    if (cli_split_list(CMD, "--rule", rule_s ? rule_s : "floor,rceil", false, items, MAX_ITEMS, &nr))
      return EXIT_USAGE;
    size_t k = 0;
    for (size_t i = 0; i < nr; i++) {
      fp8_block_rule r;
      if (fp8_block_rule_lookup(items[i], &r))
        return cli_usage_error(CMD, "--rule: '%s' (expected floor, ceil, rceil or nearest)", items[i]);
      bool dup = false;
      for (size_t j = 0; j < k; j++)
        dup |= rules[j] == (int)r;
      if (!dup)
        rules[k++] = (int)r;
    }
    nr = k;
    /* the scale format, checked once through the block grammar */
    char spec[256];
    fp8_block_format probe;
    snprintf(spec, sizeof spec, "block:elem=int8:scale=%s", scale_s ? scale_s : "float8_e8m0fnu");
    if (fp8_block_parse(spec, &probe, err, sizeof err))
      return cli_usage_error(CMD, "--scale: %s", err);
    for (size_t b = 0; b < nb; b++)
      for (size_t r = 0; r < nr; r++) {
        var[nv] = probe;
        var[nv].block = bsize[b];
        var[nv++].rule = (fp8_block_rule)rules[r];
      }
  } else {
    fp8_format int8;
    fp8_format_parse("int8", &int8, NULL, 0);
    fp8_block_from_format(&int8, &var[nv++]);
    if (cli_split_list(CMD, "--acc", acc_s ? acc_s : "kulisch,fp16,fp32", false, accs, MAX_ITEMS, &na))
      return EXIT_USAGE;
  }
  if (cli_split_list(CMD, "--dist", dist_s, true, items, MAX_ITEMS, &nd))
    return EXIT_USAGE;
  fp8_dist dist[MAX_ITEMS];
  for (size_t d = 0; d < nd; d++)
    if (fp8_dist_parse(items[d], &dist[d], err, sizeof err))
      return cli_usage_error(CMD, "--dist: %s", err);
  if (!blocks) {
    for (size_t a = 0; a < na; a++) {
      fp8_acc_spec spec;
      if (fp8_gates_acc_parse(accs[a], &var[0].elem, &spec, err, sizeof err))
        return cli_usage_error(CMD, "--acc: %s", err);
    }
    if (cli_costs_load(CMD, cfile, &costs))
      return EXIT_FAIL;
  }
  if (range == FP8_RANGE_MAX) {
    if (!have_seed)
      seed = cli_default_seed();
    fprintf(stderr, "fp8lab explore: seed %lu\n", seed);
  }

  fp8_format fmts[MAX_FORMATS];
  int nf = 0;
  for (int i = 0; i < nw; i++)
    nf += splits(widths[i], conv, fmts + nf, MAX_FORMATS - nf);
  size_t ncost = blocks ? 1 : na;   /* costs per operand: per accumulator, or bits per value */
  point *pts = calloc((size_t)nf * nv * ncost * nd + 1, sizeof *pts);
  double *absmax = calloc(nd, sizeof *absmax);
  fp8_accuracy_workspace *ws = fp8_accuracy_alloc();
  if (!pts || !absmax || !ws) {
    free(pts);
    free(absmax);
    fp8_accuracy_free(ws);
    cli_error(CMD, "out of memory");
    return EXIT_FAIL;
  }
  for (size_t d = 0; d < nd && range == FP8_RANGE_MAX; d++) {
    gsl_rng *g = fp8_rng_alloc(seed + d);
    absmax[d] = fp8_dist_sample_absmax(&dist[d], g, (size_t)samples);
    gsl_rng_free(g);
  }
  size_t np = 0;
  int rc = EXIT_OK;
  bool progress = nf > 8 && isatty(STDERR_FILENO);  /* a terminal line, rewritten in place */
  for (int i = 0; i < nf && rc == EXIT_OK; i++) {
    if (progress)
      fprintf(stderr, "\rfp8lab explore: %d/%d %-14s", i + 1, nf, fmts[i].name);
    for (size_t v = 0; v < nv && rc == EXIT_OK; v++) {
      fp8_block_format bf = var[v];
      bf.elem = fmts[i];
      char what[160];
      if (fp8_block_is_scaled(&bf))
        snprintf(what, sizeof what, "%.100s in blocks of %d (%s)", fmts[i].name, bf.block,
                 fp8_block_rule_name(bf.rule));
      else
        snprintf(what, sizeof what, "%.100s", fmts[i].name);
      /* bits of accuracy: the block rule's scales, or the range setting's per-tensor scale */
      double bits[MAX_ITEMS];
      for (size_t d = 0; d < nd; d++) {
        fp8_accuracy a;
        int st = fp8_block_is_scaled(&bf) ? fp8_accuracy_block(ws, &bf, &dist[d], &a)
                                          : fp8_accuracy_format(ws, &bf.elem, &dist[d], range, absmax[d], &a);
        if (st || !isfinite(a.bits)) {
          cli_error(CMD, "accuracy of %s on %s: %s", what, dist[d].name,
                    st ? gsl_strerror(st) : "the result is not finite");
          rc = EXIT_FAIL;
          break;
        }
        bits[d] = a.bits;
      }
      for (size_t a = 0; a < ncost && rc == EXIT_OK; a++) {
        double cost = fp8_block_bits_per_value(&bf);
        if (!blocks) {
          fp8_acc_spec spec;
          if (fp8_gates_acc_parse(accs[a], &fmts[i], &spec, err, sizeof err) ||
              fp8_gates_total(&fmts[i], &spec, &costs, &cost, err, sizeof err)) {
            cli_error(CMD, "%s with %s: %s", fmts[i].name, accs[a], err);
            rc = EXIT_FAIL;
            break;
          }
        }
        for (size_t d = 0; d < nd; d++) {
          point *p = &pts[np++];
          p->bits = fmts[i].bits;
          p->E = fmts[i].ebits;
          p->M = fmts[i].mbits;
          snprintf(p->format, sizeof p->format, "%.47s", fmts[i].name);
          p->series = blocks ? (int)bf.rule : (int)a;
          p->block = bf.block;
          p->dist = (int)d;
          p->cost = cost;
          p->acc_bits = bits[d];
        }
      }
    }
  }
  if (progress)
    fputc('\n', stderr);
  fp8_accuracy_free(ws);
  free(absmax);
  if (rc != EXIT_OK) {
    free(pts);
    return rc;
  }
  mark_pareto(pts, np);
  cli_table *t = table_of(pts, np, blocks, accs, dist);
  cli_table_print(t, stdout, tsv);
  if (plot) {
    qsort(pts, np, sizeof *pts, by_dist_front_cost);
    cli_table *pt = table_of(pts, np, blocks, accs, dist);
    const char *dnames[MAX_ITEMS], *snames[MAX_ITEMS * FP8_BLOCK_NRULES];
    size_t ns = 0;
    for (size_t d = 0; d < nd; d++)
      dnames[d] = dist[d].name;
    for (size_t a = 0; !blocks && a < na; a++)
      snames[ns++] = accs[a];
    for (size_t v = 0; blocks && v < nv; v++) {   /* the rules, in --rule order */
      bool seen = false;
      for (size_t j = 0; j < ns; j++)
        seen |= !strcmp(snames[j], fp8_block_rule_name(var[v].rule));
      if (!seen)
        snames[ns++] = fp8_block_rule_name(var[v].rule);
    }
    plot_spec ps = {"2-input gates per MAC", "cost against accuracy (Pareto front joined)",
                    7, 5, 6, 8, 9, 5, snames, ns, "", dnames, nd, "Pareto front", 1000, 420};
    if (blocks)
      ps = (plot_spec){"bits per value (element + scale bits / block size)",
                       "block formats, accuracy against storage (front joined, labelled element/B)",
                       8, 6, 7, 9, 10, 5, snames, ns, " rule", dnames, nd, "front", 1100, 460};
    if (plot_front(plot, pt, &ps))
      rc = EXIT_FAIL;
    cli_table_free(pt);
  }
  cli_table_free(t);
  free(pts);
  return rc;
}
