/* cmd_gates.c - fp8lab gates: analytic 2-input-gate counts per MAC (Figure 3). */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "datadir.h"
#include "gates.h"
#include "plot.h"

#define CMD "gates"
#define MAX_ITEMS 64

static const char *const fig3_formats = "int8,fp8-e2,fp8-e3,fp8-e4,fp8-e5";
static const char *const fig3_accs = "kulisch,fp16:ftz,fp32:ftz";

static void usage(FILE *out)
{
  fprintf(out,
          "Usage: fp8lab gates [--format LIST] [--acc LIST] [--breakdown] [--tsv]\n"
          "                    [--components FILE] [--plot FILE.png]\n"
          "Count the 2-input gates of a multiply-accumulate unit for each input format and\n"
          "accumulator, from a bill of materials over Appendix B's component costs\n"
          "(van Baalen et al. 2023).  ratio is relative to INT8 with a 27-bit Kulisch\n"
          "accumulator under the same costs.\n\n"
          "  --format LIST      comma-separated input formats (default: Figure 3's\n"
          "                     %s)\n"
          "  --acc LIST         comma-separated accumulators (default %s):\n"
          "                     kulisch (two's complement, FX+12 bits), kulisch:W (W bits),\n"
          "                     or a floating-point format: fp16, bf16, fp32, e5m10, ...\n"
          "                     with IEEE gradual underflow, or FORMAT:ftz kept normalised\n"
          "                     (flush to zero), the paper's design; or a dot-product\n"
          "                     unit (hopper-fp8, hopper-fp8:n=16, ...: float inputs);\n"
          "                     per_product is its gates / products per step\n"
          "                     Without --format, int8's kulisch is the paper's 27 bits\n"
          "                     (15+12); asked for by name it is FX+12 = 28.\n"
          "  --breakdown        one row per bill-of-materials line: the RTL block it\n"
          "                     counts, its role, the component, its size and gates\n"
          "  --tsv              tab-separated, one header row\n"
          "  --components FILE  cost table (default: components.tsv in the data folder;\n"
          "                     FP8LAB_DATADIR overrides the folder)\n"
          "  --plot FILE.png    grouped bars like Figure 3 (also .svg, .tsv, .gp beside it)\n"
          "  --help             this text\n",
          fig3_formats, fig3_accs);
}

static const char *plot_body =
  CLI_PLOT_GATE_BARS
  "set title 'Gate count per format and accumulator (cf. van Baalen et al. 2023, Fig. 3)'\n"
  "plot for [i=2:%d] datafile using i:xtic(1)\n";

typedef struct gates_opts {
  const char *flist, *alist, *cfile, *plot;
  bool breakdown, tsv, figure;    /* figure: no --format, Figure 3's formats */
  char fnames[MAX_ITEMS][CLI_ITEM_LEN], anames[MAX_ITEMS][CLI_ITEM_LEN];
  size_t nf, na;
  fp8_format fmts[MAX_ITEMS];
  fp8_gates_costs costs;
  double ref;                     /* INT8 -> 27-bit Kulisch under the costs */
} gates_opts;

/* -1: go on; else the exit status (--help, a usage error). */
static int gates_parse(int argc, char **argv, gates_opts *o)
{
  static const struct option opts[] = {
    {"format", required_argument, NULL, 'f'}, {"acc", required_argument, NULL, 'a'},
    {"breakdown", no_argument, NULL, 'b'}, {"tsv", no_argument, NULL, 't'},
    {"components", required_argument, NULL, 'c'}, {"plot", required_argument, NULL, 'p'},
    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  int c;
  while ((c = getopt_long(argc, argv, "f:a:btc:p:h", opts, NULL)) != -1) {
    switch (c) {
    case 'f': o->flist = optarg; break;
    case 'a': o->alist = optarg; break;
    case 'b': o->breakdown = true; break;
    case 't': o->tsv = true; break;
    case 'c': o->cfile = optarg; break;
    case 'p': o->plot = optarg; break;
    case 'h': usage(stdout); return EXIT_OK;
    default: return cli_usage_error(CMD, "unknown option");
    }
  }
  if (optind < argc)
    return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
  if (o->plot && cli_plot_check_path(CMD, o->plot))
    return EXIT_USAGE;
  o->figure = o->flist == NULL;
  if (cli_split_list(CMD, "--format", o->flist ? o->flist : fig3_formats, false, o->fnames, MAX_ITEMS, &o->nf) ||
      cli_split_list(CMD, "--acc", o->alist ? o->alist : fig3_accs, false, o->anames, MAX_ITEMS, &o->na))
    return EXIT_USAGE;
  for (size_t i = 0; i < o->nf; i++)
    if (cli_parse_format(CMD, "--format", o->fnames[i], &o->fmts[i]))
      return EXIT_USAGE;
  return -1;
}

/* The rows of one unit (format i, accumulator aname): its total, or with
 * --breakdown one row per bill-of-materials line.  *g is the total. */
static int gates_unit(const gates_opts *o, size_t i, const char *aname, cli_table *t, double *g)
{
  char err[600];
  fp8_gates_bom bom;
  int products, abits;
  if (fp8_gates_unit_bom(aname, &o->fmts[i], &bom, &products, &abits, err, sizeof err))
    return cli_usage_error(CMD, "--acc: %s", err);
  *g = fp8_gates_bom_total(&bom, &o->costs);
  if (!isfinite(*g)) {
    cli_error(CMD, "%s: %s with %s costs %g gates under this table (expected a finite count)",
              o->cfile, o->fnames[i], aname, *g);
    return EXIT_FAIL;
  }
  char gs[32], rs[32], bits[16], pp[32];
  fp8_format_double(gs, sizeof gs, *g);
  snprintf(pp, sizeof pp, "%.1f", *g / products);
  snprintf(rs, sizeof rs, "%.3f", *g / o->ref);
  snprintf(bits, sizeof bits, "%d", abits);
  if (!o->breakdown) {
    cli_table_add(t, (const char *const[]){o->fnames[i], aname, bits, gs, rs, pp});
    return EXIT_OK;
  }
  for (size_t l = 0; l < bom.n; l++) {
    const fp8_gates_line *ln = &bom.line[l];
    char ns[32], ks[16], lg[32];
    if (ln->count > 1)   /* a dot-product unit's per-lane block: lanes x size */
      snprintf(ns, sizeof ns, "%dx%d", ln->count, ln->n);
    else
      snprintf(ns, sizeof ns, "%d", ln->n);
    snprintf(ks, sizeof ks, "%d", ln->k);
    fp8_format_double(lg, sizeof lg, fp8_gates_line_cost(ln, &o->costs));
    cli_table_add(t, (const char *const[]){o->fnames[i], aname, ln->block, ln->what,
                                            fp8_gates_line_component(ln), ns, ks, lg});
  }
  if (!o->tsv) {
    char tot[128];
    snprintf(tot, sizeof tot, "%s (%.3fx; %s per product)", gs, *g / o->ref, pp);
    cli_table_add(t, (const char *const[]){o->fnames[i], aname, "total", "", "", "", "", tot});
  }
  return EXIT_OK;
}

int cmd_gates(int argc, char **argv)
{
  static gates_opts o;
  memset(&o, 0, sizeof o);
  int rc = gates_parse(argc, argv, &o);
  if (rc >= 0)
    return rc;
  if (cli_costs_load(CMD, o.cfile, &o.costs))
    return EXIT_FAIL;
  if (fp8_gates_reference_total(&o.costs, &o.ref) || !(o.ref > 0) || !isfinite(o.ref)) {
    cli_error(CMD, "%s: INT8 -> 27-bit Kulisch costs %g under this table; ratios need a "
              "finite cost > 0", o.cfile, o.ref);
    return EXIT_FAIL;
  }
  static const char *const hdr[] = {"format", "accumulator", "acc_bits", "gates", "ratio", "per_product"};
  static const char *const bhdr[] = {"format", "accumulator", "block", "role", "component",
                                     "n", "k", "gates"};
  cli_table *t = o.breakdown ? cli_table_new(8, bhdr) : cli_table_new(6, hdr);
  const char *phdr[MAX_ITEMS + 1] = {"format"};
  for (size_t j = 0; j < o.na; j++)
    phdr[j + 1] = o.anames[j];
  cli_table *pt = cli_table_new((int)o.na + 1, phdr);   /* the plot's: one column per accumulator */
  rc = EXIT_OK;
  for (size_t i = 0; i < o.nf && rc == EXIT_OK; i++) {
    const char *prow[MAX_ITEMS + 1] = {o.fnames[i]};
    char pcell[MAX_ITEMS][32];
    for (size_t j = 0; j < o.na && rc == EXIT_OK; j++) {
      /* The paper's INT8 bar is "15+12 = 27" bits: it leaves out (-128)^2. */
      bool paper_int8 = o.figure && strcmp(o.fnames[i], "int8") == 0 && strcmp(o.anames[j], "kulisch") == 0;
      double g = 0;
      rc = gates_unit(&o, i, paper_int8 ? "kulisch:27" : o.anames[j], t, &g);
      fp8_format_double(pcell[j], sizeof pcell[j], g);
      prow[j + 1] = pcell[j];
    }
    if (rc == EXIT_OK)
      cli_table_add(pt, prow);
  }
  if (rc == EXIT_OK) {
    cli_table_print(t, stdout, o.tsv);
    char body[1024];
    snprintf(body, sizeof body, plot_body, (int)o.na + 1);
    if (o.plot && cli_plot(CMD, o.plot, pt, body, NULL))
      rc = EXIT_FAIL;
  }
  cli_table_free(t);
  cli_table_free(pt);
  return rc;
}
