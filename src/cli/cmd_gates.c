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

/* Split a comma list into at most MAX_ITEMS non-empty items (in place). */
static int split_list(const char *opt, char *s, char **items)
{
  int n = 0;
  char *save = NULL;
  for (char *t = strtok_r(s, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    if (n == MAX_ITEMS) {
      cli_usage_error(CMD, "%s: more than %d items", opt, MAX_ITEMS);
      return -1;
    }
    items[n++] = t;
  }
  if (n == 0) {
    cli_usage_error(CMD, "%s: empty list (expected comma-separated names)", opt);
    return -1;
  }
  return n;
}

static const char *plot_body =
  CLI_PLOT_GATE_BARS
  "set title 'Gate count per format and accumulator (cf. van Baalen et al. 2023, Fig. 3)'\n"
  "plot for [i=2:%d] datafile using i:xtic(1)\n";

int cmd_gates(int argc, char **argv)
{
  static const struct option opts[] = {
    {"format", required_argument, NULL, 'f'}, {"acc", required_argument, NULL, 'a'},
    {"breakdown", no_argument, NULL, 'b'}, {"tsv", no_argument, NULL, 't'},
    {"components", required_argument, NULL, 'c'}, {"plot", required_argument, NULL, 'p'},
    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  const char *flist = NULL, *alist = NULL, *cfile = NULL, *plot = NULL;
  bool breakdown = false, tsv = false;
  int c;
  while ((c = getopt_long(argc, argv, "f:a:btc:p:h", opts, NULL)) != -1) {
    switch (c) {
    case 'f': flist = optarg; break;
    case 'a': alist = optarg; break;
    case 'b': breakdown = true; break;
    case 't': tsv = true; break;
    case 'c': cfile = optarg; break;
    case 'p': plot = optarg; break;
    case 'h': usage(stdout); return EXIT_OK;
    default: return cli_usage_error(CMD, "unknown option");
    }
  }
  if (optind < argc)
    return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
  if (plot && cli_plot_check_path(CMD, plot))
    return EXIT_USAGE;

  char err[600];
  fp8_gates_costs costs;
  if (cli_costs_load(CMD, cfile, &costs))
    return EXIT_FAIL;
  double ref;
  if (fp8_gates_reference_total(&costs, &ref) || !(ref > 0) || !isfinite(ref)) {
    cli_error(CMD, "%s: INT8 -> 27-bit Kulisch costs %g under this table; ratios need a "
              "finite cost > 0", cfile, ref);
    return EXIT_FAIL;
  }

  bool figure = flist == NULL;
  char *fbuf = strdup(flist ? flist : fig3_formats), *abuf = strdup(alist ? alist : fig3_accs);
  char *fnames[MAX_ITEMS], *anames[MAX_ITEMS];
  int nf = split_list("--format", fbuf, fnames), na = nf < 0 ? -1 : split_list("--acc", abuf, anames);
  int rc = EXIT_OK;
  fp8_format fmts[MAX_ITEMS];
  for (int i = 0; nf > 0 && i < nf; i++)
    if (cli_parse_format(CMD, "--format", fnames[i], &fmts[i]))
      nf = -1;
  if (nf < 0 || na < 0) {
    free(fbuf);
    free(abuf);
    return EXIT_USAGE;
  }

  static const char *const hdr[] = {"format", "accumulator", "acc_bits", "gates", "ratio", "per_product"};
  static const char *const bhdr[] = {"format", "accumulator", "block", "role", "component",
                                     "n", "k", "gates"};
  cli_table *t = breakdown ? cli_table_new(8, bhdr) : cli_table_new(6, hdr);
  const char *phdr[MAX_ITEMS + 1] = {"format"};
  for (int j = 0; j < na; j++)
    phdr[j + 1] = anames[j];
  cli_table *pt = cli_table_new(na + 1, phdr);

  for (int i = 0; i < nf && rc == EXIT_OK; i++) {
    const char *prow[MAX_ITEMS + 1] = {fnames[i]};
    char pcell[MAX_ITEMS][32];
    for (int j = 0; j < na; j++) {
      /* The paper's INT8 bar is "15+12 = 27" bits: it leaves out (-128)^2. */
      const char *aname = anames[j];
      if (figure && strcmp(fnames[i], "int8") == 0 && strcmp(aname, "kulisch") == 0)
        aname = "kulisch:27";
      fp8_gates_bom bom;
      int products, abits;
      if (fp8_gates_unit_bom(aname, &fmts[i], &bom, &products, &abits, err, sizeof err)) {
        rc = cli_usage_error(CMD, "--acc: %s", err);
        break;
      }
      double g = fp8_gates_bom_total(&bom, &costs);
      if (!isfinite(g)) {
        cli_error(CMD, "%s: %s with %s costs %g gates under this table (expected a finite count)",
                  cfile, fnames[i], aname, g);
        rc = EXIT_FAIL;
        break;
      }
      char gs[32], rs[32], bits[16], pp[32];
      fp8_format_double(gs, sizeof gs, g);
      snprintf(pp, sizeof pp, "%.1f", g / products);
      snprintf(rs, sizeof rs, "%.3f", g / ref);
      snprintf(bits, sizeof bits, "%d", abits);
      snprintf(pcell[j], sizeof pcell[j], "%s", gs);
      prow[j + 1] = pcell[j];
      if (!breakdown) {
        cli_table_add(t, (const char *const[]){fnames[i], aname, bits, gs, rs, pp});
        continue;
      }
      for (size_t l = 0; l < bom.n; l++) {
        const fp8_gates_line *ln = &bom.line[l];
        char ns[32], ks[16], lg[32];
        if (ln->count > 1)   /* a dot-product unit's per-lane block: lanes x size */
          snprintf(ns, sizeof ns, "%dx%d", ln->count, ln->n);
        else
          snprintf(ns, sizeof ns, "%d", ln->n);
        snprintf(ks, sizeof ks, "%d", ln->k);
        fp8_format_double(lg, sizeof lg, fp8_gates_line_cost(ln, &costs));
        cli_table_add(t, (const char *const[]){fnames[i], aname, ln->block, ln->what,
                                                fp8_gates_line_component(ln), ns, ks, lg});
      }
      if (!tsv) {
        char tot[128];
        snprintf(tot, sizeof tot, "%s (%.3fx; %s per product)", gs, g / ref, pp);
        cli_table_add(t, (const char *const[]){fnames[i], aname, "total", "", "", "", "", tot});
      }
    }
    if (rc == EXIT_OK)
      cli_table_add(pt, prow);
  }
  if (rc == EXIT_OK) {
    cli_table_print(t, stdout, tsv);
    char body[1024];
    snprintf(body, sizeof body, plot_body, na + 1);
    if (plot && cli_plot(CMD, plot, pt, body, NULL))
      rc = EXIT_FAIL;
  }
  cli_table_free(t);
  cli_table_free(pt);
  free(fbuf);
  free(abuf);
  return rc;
}
