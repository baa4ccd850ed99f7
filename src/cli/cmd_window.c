/* cmd_window.c - fp8lab window: what each bit of a dot-product unit's
 * alignment window costs in gates and buys in accuracy (issue 13's figure).
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

int cmd_window(int argc, char **argv)
{
  static const struct option opts[] = {
    {"format", required_argument, NULL, 'f'}, {"n", required_argument, NULL, 'n'},
    {"windows", required_argument, NULL, 'w'}, {"length", required_argument, NULL, 'k'},
    {"trials", required_argument, NULL, 'T'}, {"seed", required_argument, NULL, 's'},
    {"components", required_argument, NULL, 'c'}, {"tsv", no_argument, NULL, 't'},
    {"plot", required_argument, NULL, 'p'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  const char *fmt = "float8_e4m3fn", *nlist = "4,16,32", *wins = "8..30", *cfile = NULL, *plot = NULL;
  long length = 4096, trials = 64, v;
  unsigned long seed = 0;
  bool have_seed = false, tsv = false;
  int c;
  while ((c = getopt_long(argc, argv, "+f:n:w:k:T:s:c:tp:h", opts, NULL)) != -1) {
    switch (c) {
    case 'f': fmt = optarg; break;
    case 'n': nlist = optarg; break;
    case 'w': wins = optarg; break;
    case 'k':
      if (cli_parse_long(CMD, "--length", optarg, 1, 1L << 20, &length))
        return EXIT_USAGE;
      break;
    case 'T':
      if (cli_parse_long(CMD, "--trials", optarg, 1, 100000, &trials))
        return EXIT_USAGE;
      break;
    case 's':
      if (cli_parse_seed(CMD, optarg, &seed))
        return EXIT_USAGE;
      have_seed = true;
      break;
    case 'c': cfile = optarg; break;
    case 't': tsv = true; break;
    case 'p': plot = optarg; break;
    case 'h': usage(stdout); return EXIT_OK;
    default: return cli_usage_error(CMD, "unknown option (see the list below --help)");
    }
  }
  if (optind < argc)
    return cli_usage_error(CMD, "unexpected argument '%s' (window takes options only)", argv[optind]);
  if (plot && cli_plot_check_path(CMD, plot))
    return EXIT_USAGE;

  fp8_accumulate_opts o = {0};
  if (cli_parse_format(CMD, "--format", fmt, &o.fmt))
    return EXIT_USAGE;
  if (o.fmt.ebits == 0 || o.fmt.bits > 8)
    return cli_usage_error(CMD, "--format: '%s' (expected a float format of at most 8 bits)", fmt);
  int ns[MAX_N], nn = 0;
  char buf[256], nstr[256] = "";
  snprintf(buf, sizeof buf, "%s", nlist);
  char *save = NULL;
  for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    if (nn == MAX_N)
      return cli_usage_error(CMD, "--n: more than %d values", MAX_N);
    if (cli_parse_long(CMD, "--n", t, 1, 1024, &v))
      return EXIT_USAGE;
    ns[nn++] = (int)v;
    snprintf(nstr + strlen(nstr), sizeof nstr - strlen(nstr), "%s%ld", nn > 1 ? " " : "", v);
  }
  if (nn == 0)
    return cli_usage_error(CMD, "--n: empty list (expected e.g. 4,16,32)");
  int wlo, whi;
  char tail;
  if (sscanf(wins, "%d..%d%c", &wlo, &whi, &tail) != 2 || wlo < 0 || whi < wlo || whi > 40)
    return cli_usage_error(CMD, "--windows: '%s' (expected A..B with 0 <= A <= B <= 40)", wins);

  char err[600];
  fp8_gates_costs costs;
  if (cli_costs_load(CMD, cfile, &costs))
    return EXIT_FAIL;

  /* the units: sweep (n, F), exact per n, then the two presets */
  static fp8_dot_spec units[MAX_UNITS];
  static int mark[MAX_UNITS], exact[MAX_UNITS];
  int nu = 0;
  for (int i = 0; i < nn; i++)
    for (int w = wlo; w <= whi + 1 && nu < MAX_UNITS - 2; w++) {
      char s[96];
      if (w <= whi)
        snprintf(s, sizeof s, "blackwell-fp8:n=%d:window=%d", ns[i], w);
      else
        snprintf(s, sizeof s, "blackwell-fp8:n=%d:window=exact", ns[i]);
      exact[nu] = w > whi;
      if (fp8_dot_spec_parse(s, &units[nu++], err, sizeof err))
        return cli_usage_error(CMD, "%s", err);
    }
  fp8_dot_spec_parse("hopper-fp8", &units[nu], NULL, 0);
  mark[nu++] = 1;
  fp8_dot_spec_parse("blackwell-fp8", &units[nu], NULL, 0);
  mark[nu++] = 2;
  fp8_block_format op;
  fp8_block_from_format(&o.fmt, &op);
  for (int k = 0; k < nu; k++) {
    fp8_dot *d = fp8_dot_alloc(&op, NULL, &units[k], err, sizeof err);
    if (!d)
      return cli_usage_error(CMD, "%s", err);
    fp8_dot_free(d);
  }

  size_t len = (size_t)length;
  o.accs = units;
  o.nacc = nu;
  o.lengths = &len;
  o.nlen = 1;
  o.trials = (int)trials;
  o.max_scale = true;
  fp8_dist_parse("gaussian", &o.dist, NULL, 0);
  o.seed = have_seed ? seed : cli_default_seed();
  fprintf(stderr, "fp8lab window: seed %lu\n", o.seed);
  fp8_accumulate_result *res = fp8_accumulate_alloc(1, nu);
  if (!res) {
    cli_error(CMD, "out of memory");
    return EXIT_FAIL;
  }
  if (fp8_accumulate_run(&o, res, NULL, NULL, err, sizeof err)) {
    cli_error(CMD, "%s", err);
    fp8_accumulate_free(res);
    return EXIT_FAIL;
  }

  static const char *const hdr[] = {"unit", "n", "window", "exact", "mark", "gates", "per_product",
                                    "rel_err_median", "rel_err_max"};
  cli_table *t = cli_table_new(9, hdr);
  int rc = EXIT_OK;
  for (int k = 0; k < nu && rc == EXIT_OK; k++) {
    fp8_gates_bom bom;
    if (fp8_gates_dot_bom_build(&o.fmt, &units[k], &bom, err, sizeof err)) {
      cli_error(CMD, "%s", err);
      rc = EXIT_FAIL;
      break;
    }
    double g = fp8_gates_bom_total(&bom, &costs);
    char name[96];
    if (mark[k])
      snprintf(name, sizeof name, "%s", mark[k] == 1 ? "hopper-fp8" : "blackwell-fp8");
    else if (exact[k])
      snprintf(name, sizeof name, "blackwell-fp8:n=%d:window=exact", units[k].n);
    else
      snprintf(name, sizeof name, "blackwell-fp8:n=%d:window=%d", units[k].n, units[k].window);
    int w = units[k].window == FP8_DOT_EXACT ? fp8_facts_exact_window(&o.fmt) : units[k].window;
    cli_table_addf(t, "%s\t%d\t%d\t%d\t%d\t%.0f\t%.1f\t%.3e\t%.3e", name, units[k].n, w, exact[k], mark[k], g,
                   g / units[k].n, res->median[k], res->max[k]);
  }
  fp8_accumulate_free(res);
  if (rc == EXIT_OK) {
    cli_table_print(t, stdout, tsv);
    char body[4096], title[64];
    size_t j = 0;
    for (const char *p = o.fmt.name; *p && j + 3 < sizeof title; p++) {   /* '_' is a subscript in gnuplot */
      if (*p == '_')
        title[j++] = '\\';
      title[j++] = *p;
    }
    title[j] = 0;
    snprintf(body, sizeof body, plot_fmt, title, length, nstr,
             mac_gates("int8", "kulisch:27", &costs), mac_gates("fp8-e4", "fp16:ftz", &costs),
             mac_gates("fp8-e4", "fp32:ftz", &costs), mac_gates("int8", "kulisch:27:n=32", &costs) / 32, nstr);
    cli_plot_opts po = {1400, 560};
    if (plot && cli_plot(CMD, plot, t, body, &po))
      rc = EXIT_FAIL;
  }
  cli_table_free(t);
  return rc;
}
