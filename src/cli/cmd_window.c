/* cmd_window.c - fp8lab window: what each bit of a dot-product unit's
 * alignment window costs in gates and buys in accuracy.
 *
 * For N in a list and windows F in a range (plus the exact window), the unit
 * blackwell-fp8:n=N:window=F (fp32 accumulator, terms truncated, C fused: only
 * the window varies) is counted with the bill of materials of gates_dot.c and
 * measured with the golden model: the median and maximum relative error of
 * K-term dot products of Gaussian data quantized to the format (accumulate.h,
 * max scaling), against the exact sum.  hopper-fp8 and blackwell-fp8
 * themselves are added as marked rows. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accumulate.h"
#include "cli.h"
#include "commands.h"
#include "datadir.h"
#include "gates.h"
#include "plot.h"

#define CMD "window"
#define MAX_N 8
#define MAX_UNITS 160

static void usage(FILE *out)
{
  fprintf(out,
          "Usage: fp8lab window [--format F] [--n LIST] [--windows A..B] [--length K]\n"
          "                     [--trials T] [--seed S] [--components FILE] [--tsv]\n"
          "                     [--plot FILE.png]\n"
          "Gates per product and accuracy of N-term dot-product units against the\n"
          "alignment window F: blackwell-fp8:n=N:window=F (fp32 accumulator, terms\n"
          "truncated toward zero) for every F in A..B and the exact window; gates from\n"
          "the bill of materials of 'fp8lab gates', relative error |dot - exact| / |exact|\n"
          "of K-term products of N(0,1) data scaled to F's max, median and maximum over\n"
          "the trials (golden model).  hopper-fp8 and blackwell-fp8 are marked rows.\n\n"
          "  --format F        float input format (default float8_e4m3fn)\n"
          "  --n LIST          comma-separated products per step (default 4,16,32)\n"
          "  --windows A..B    fraction bits, 0 <= A <= B <= 40 (default 8..30)\n"
          "  --length K        products per dot product (default 4096)\n"
          "  --trials T        dot products per unit (default 64)\n"
          "  --seed S          random seed (default from the clock; printed on stderr)\n"
          "  --components FILE cost table (default components.tsv in the data folder)\n"
          "  --tsv             tab-separated output, one header row\n"
          "  --plot FILE.png   gates per product and error against F (.svg/.tsv/.gp beside)\n"
          "  --help            this text\n");
}

static const char plot_fmt[] =
  "set multiplot layout 1,2 title 'What each bit of alignment window costs and buys (%s, K = %ld)'\n"
  "set grid\nset key bottom right maxrows 5 opaque\nset xlabel 'alignment window F (fraction bits below the largest term)'\n"
  "set ylabel '2-input gates per product (per MAC)'\nset yrange [0:*]\n"
  "plot for [n in \"%s\"] datafile using (($2 == n + 0 && $4 == 0 && $5 == 0) ? $3 : 1/0):7 "
  "with linespoints title sprintf('N = %%s', n), \\\n"
  "  datafile using ($4 == 1 ? $3 : 1/0):7 with points pt 6 ps 1.5 title 'exact window', \\\n"
  "  datafile using ($5 == 1 ? $3 : 1/0):7 with points pt 7 ps 2 lc rgb 'black' title 'hopper-fp8 (e8m13)', \\\n"
  "  datafile using ($5 == 2 ? $3 : 1/0):7 with points pt 5 ps 2 lc rgb 'red' title 'blackwell-fp8', \\\n"
  "  %g with lines dt 2 lc rgb 'gray30' title 'MAC: INT8, 27-bit Kulisch', \\\n"
  "  %g with lines dt 3 lc rgb 'gray30' title 'MAC: FP8-E4, fp16 acc.', \\\n"
  "  %g with lines dt 4 lc rgb 'gray30' title 'MAC: FP8-E4, fp32 acc.', \\\n"
  "  %g with lines dt 1 lw 2 lc rgb 'gray60' title 'INT8 N = 32 unit, 27-bit Kulisch'\n"
  "set logscale y\nset yrange [*:*]\nset format y '10^{%%L}'\nset key top right\n"
  "set ylabel 'relative error of the dot product (median)'\n"
  "plot for [n in \"%s\"] datafile using (($2 == n + 0 && $4 == 0 && $5 == 0) ? $3 : 1/0):8 "
  "with linespoints title sprintf('N = %%s', n), \\\n"
  "  datafile using ($4 == 1 ? $3 : 1/0):8 with points pt 6 ps 1.5 title 'exact window', \\\n"
  "  datafile using ($5 == 1 ? $3 : 1/0):8 with points pt 7 ps 2 lc rgb 'black' title 'hopper-fp8 (e8m13)', \\\n"
  "  datafile using ($5 == 2 ? $3 : 1/0):8 with points pt 5 ps 2 lc rgb 'red' title 'blackwell-fp8'\n"
  "unset multiplot\n";

static double mac_gates(const char *fmt, const char *acc, const fp8_gates_costs *c)
{
  fp8_format f;
  fp8_gates_bom bom;
  int products, bits;
  if (fp8_format_parse(fmt, &f, NULL, 0) || fp8_gates_unit_bom(acc, &f, &bom, &products, &bits, NULL, 0))
    return 0;
  return fp8_gates_bom_total(&bom, c);
}

/* The command line, as given. */
typedef struct window_opts {
  const char *fmt, *nlist, *wins, *cfile, *plot;
  long length, trials;
  unsigned long seed;
  bool have_seed, tsv;
} window_opts;

/* What the run needs: the experiment, the units and their marks, the costs. */
typedef struct window_setup {
  fp8_accumulate_opts acc;
  fp8_dot_spec units[MAX_UNITS];
  int mark[MAX_UNITS], exact[MAX_UNITS], nu;
  char nstr[CLI_ITEM_LEN * MAX_N];
  fp8_gates_costs costs;
} window_setup;

/* -1: go on; else the exit status (--help, a usage error). */
static int window_parse(int argc, char **argv, window_opts *o)
{
  static const struct option opts[] = {
    {"format", required_argument, NULL, 'f'}, {"n", required_argument, NULL, 'n'},
    {"windows", required_argument, NULL, 'w'}, {"length", required_argument, NULL, 'k'},
    {"trials", required_argument, NULL, 'T'}, {"seed", required_argument, NULL, 's'},
    {"components", required_argument, NULL, 'c'}, {"tsv", no_argument, NULL, 't'},
    {"plot", required_argument, NULL, 'p'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  *o = (window_opts){.fmt = "float8_e4m3fn", .nlist = "4,16,32", .wins = "8..30", .length = 4096, .trials = 64};
  int c;
  while ((c = getopt_long(argc, argv, "+f:n:w:k:T:s:c:tp:h", opts, NULL)) != -1) {
    switch (c) {
    case 'f': o->fmt = optarg; break;
    case 'n': o->nlist = optarg; break;
    case 'w': o->wins = optarg; break;
    case 'k':
      if (cli_parse_long(CMD, "--length", optarg, 1, 1L << 20, &o->length))
        return EXIT_USAGE;
      break;
    case 'T':
      if (cli_parse_long(CMD, "--trials", optarg, 1, 100000, &o->trials))
        return EXIT_USAGE;
      break;
    case 's':
      if (cli_parse_seed(CMD, optarg, &o->seed))
        return EXIT_USAGE;
      o->have_seed = true;
      break;
    case 'c': o->cfile = optarg; break;
    case 't': o->tsv = true; break;
    case 'p': o->plot = optarg; break;
    case 'h': usage(stdout); return EXIT_OK;
    default: return cli_usage_error(CMD, "unknown option (see the list below --help)");
    }
  }
  if (optind < argc)
    return cli_usage_error(CMD, "unexpected argument '%s' (window takes options only)", argv[optind]);
  if (o->plot && cli_plot_check_path(CMD, o->plot))
    return EXIT_USAGE;
  return -1;
}

/* The units: the sweep over (n, F), the exact window per n, then the two
 * presets as marked rows; each checked against the format.  -1: go on. */
static int window_units(const window_opts *o, window_setup *s)
{
  if (cli_parse_format(CMD, "--format", o->fmt, &s->acc.fmt))
    return EXIT_USAGE;
  if (s->acc.fmt.ebits == 0 || s->acc.fmt.bits > 8)
    return cli_usage_error(CMD, "--format: '%s' (expected a float format of at most 8 bits)", o->fmt);
  char items[MAX_N][CLI_ITEM_LEN];
  size_t nn;
  int ns[MAX_N];
  long v;
  if (cli_split_list(CMD, "--n", o->nlist, false, items, MAX_N, &nn))
    return EXIT_USAGE;
  for (size_t i = 0; i < nn; i++) {
    if (cli_parse_long(CMD, "--n", items[i], 1, 1024, &v))
      return EXIT_USAGE;
    ns[i] = (int)v;
    snprintf(s->nstr + strlen(s->nstr), sizeof s->nstr - strlen(s->nstr), "%s%ld", i ? " " : "", v);
  }
  int wlo, whi;
  char tail;
  if (sscanf(o->wins, "%d..%d%c", &wlo, &whi, &tail) != 2 || wlo < 0 || whi < wlo || whi > 40)
    return cli_usage_error(CMD, "--windows: '%s' (expected A..B with 0 <= A <= B <= 40)", o->wins);
  char err[600];
  for (size_t i = 0; i < nn; i++)
    for (int w = wlo; w <= whi + 1 && s->nu < MAX_UNITS - 2; w++) {
      char sp[96];
      if (w <= whi)
        snprintf(sp, sizeof sp, "blackwell-fp8:n=%d:window=%d", ns[i], w);
      else
        snprintf(sp, sizeof sp, "blackwell-fp8:n=%d:window=exact", ns[i]);
      s->exact[s->nu] = w > whi;
      if (fp8_dot_spec_parse(sp, &s->units[s->nu++], err, sizeof err))
        return cli_usage_error(CMD, "%s", err);
    }
  fp8_dot_spec_parse("hopper-fp8", &s->units[s->nu], NULL, 0);
  s->mark[s->nu++] = 1;
  fp8_dot_spec_parse("blackwell-fp8", &s->units[s->nu], NULL, 0);
  s->mark[s->nu++] = 2;
  fp8_block_format op;
  fp8_block_from_format(&s->acc.fmt, &op);
  for (int k = 0; k < s->nu; k++) {
    fp8_dot *d = fp8_dot_alloc(&op, NULL, &s->units[k], err, sizeof err);
    if (!d)
      return cli_usage_error(CMD, "%s", err);
    fp8_dot_free(d);
  }
  return -1;
}

/* One row per unit: its gates (bill of materials) and its errors. */
static int window_rows(const window_setup *s, const fp8_accumulate_result *res, cli_table *t)
{
  char err[600];
  for (int k = 0; k < s->nu; k++) {
    const fp8_dot_spec *u = &s->units[k];
    fp8_gates_bom bom;
    if (fp8_gates_dot_bom_build(&s->acc.fmt, u, &bom, err, sizeof err)) {
      cli_error(CMD, "%s", err);
      return EXIT_FAIL;
    }
    double g = fp8_gates_bom_total(&bom, &s->costs);
    char name[96];
    if (s->mark[k])
      snprintf(name, sizeof name, "%s", s->mark[k] == 1 ? "hopper-fp8" : "blackwell-fp8");
    else if (s->exact[k])
      snprintf(name, sizeof name, "blackwell-fp8:n=%d:window=exact", u->n);
    else
      snprintf(name, sizeof name, "blackwell-fp8:n=%d:window=%d", u->n, u->window);
    int w = u->window == FP8_DOT_EXACT ? fp8_facts_exact_window(&s->acc.fmt) : u->window;
    cli_table_addf(t, "%s\t%d\t%d\t%d\t%d\t%.0f\t%.1f\t%.3e\t%.3e", name, u->n, w, s->exact[k], s->mark[k], g,
                   g / u->n, res->median[k], res->max[k]);
  }
  return EXIT_OK;
}

/* The two panels, with the scalar MACs and the INT8 N = 32 unit as reference lines. */
static int window_plot(const window_opts *o, const window_setup *s, const cli_table *t)
{
  char body[4096], title[64];
  size_t j = 0;
  for (const char *p = s->acc.fmt.name; *p && j + 3 < sizeof title; p++) {   /* '_' is a subscript in gnuplot */
    if (*p == '_')
      title[j++] = '\\';
    title[j++] = *p;
  }
  title[j] = 0;
  snprintf(body, sizeof body, plot_fmt, title, o->length, s->nstr,
           mac_gates("int8", "kulisch:27", &s->costs), mac_gates("fp8-e4", "fp16:ftz", &s->costs),
           mac_gates("fp8-e4", "fp32:ftz", &s->costs), mac_gates("int8", "kulisch:27:n=32", &s->costs) / 32,
           s->nstr);
  cli_plot_opts po = {1400, 560};
  return cli_plot(CMD, o->plot, t, body, &po) ? EXIT_FAIL : EXIT_OK;
}

int cmd_window(int argc, char **argv)
{
  window_opts o;
  int rc = window_parse(argc, argv, &o);
  if (rc >= 0)
    return rc;
  static window_setup s;
  memset(&s, 0, sizeof s);
  if ((rc = window_units(&o, &s)) >= 0)
    return rc;
  if (cli_costs_load(CMD, o.cfile, &s.costs))
    return EXIT_FAIL;

  size_t len = (size_t)o.length;
  char err[600];
  s.acc.accs = s.units;
  s.acc.nacc = s.nu;
  s.acc.lengths = &len;
  s.acc.nlen = 1;
  s.acc.trials = (int)o.trials;
  s.acc.max_scale = true;
  fp8_dist_parse("gaussian", &s.acc.dist, NULL, 0);
  s.acc.seed = o.have_seed ? o.seed : cli_default_seed();
  fprintf(stderr, "fp8lab window: seed %lu\n", s.acc.seed);
  fp8_accumulate_result *res = fp8_accumulate_alloc(1, s.nu);
  if (!res) {
    cli_error(CMD, "out of memory");
    return EXIT_FAIL;
  }
  if (fp8_accumulate_run(&s.acc, res, NULL, NULL, err, sizeof err)) {
    cli_error(CMD, "%s", err);
    fp8_accumulate_free(res);
    return EXIT_FAIL;
  }
  static const char *const hdr[] = {"unit", "n", "window", "exact", "mark", "gates", "per_product",
                                    "rel_err_median", "rel_err_max"};
  cli_table *t = cli_table_new(9, hdr);
  rc = window_rows(&s, res, t);
  fp8_accumulate_free(res);
  if (rc == EXIT_OK) {
    cli_table_print(t, stdout, o.tsv);
    if (o.plot)
      rc = window_plot(&o, &s, t);
  }
  cli_table_free(t);
  return rc;
}
