/* cmd_synth.c - fp8lab synth: Yosys on the RTL, cells weighted like the analytic count.
 *
 * For each configuration in RTL/tops/configs.tsv (config, top, format,
 * accumulator) Yosys reads every .sv file in RTL and the top, runs synth with the hierarchy
 * kept, dffunmap (so enables and synchronous resets become gates, not free
 * flip-flop features), abc -g AND,NAND,OR,NOR,XOR,XNOR,MUX,AOI3,OAI3, and
 * 'stat'; gates_synth.c weighs the cells with the same cost table as 'gates'.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "plot.h"
#include "commands.h"
#include "datadir.h"
#include "gates.h"
#include "synth_jobs.h"
#include "textio.h"

#define CMD "synth"
#define MAX_CONFIGS 128

typedef struct config {
  char name[64], top[64], format[64], acc[64];
  int lineno;
  int selected;
  int done;          /* synthesized */
  int dot;           /* a dot-product unit (accumulator column a unit of dot.h) */
  double analytic, synth;
  fp8_gates_bom bom;
  fp8_synth_result res;
} config;

static void usage(FILE *out)
{
  fprintf(out,
          "Usage: fp8lab synth [--config LIST] [--rtl DIR] [--components FILE] [--breakdown]\n"
          "                    [--jobs N] [--timeout SEC] [--tsv] [--plot FILE.png]\n"
          "Synthesize each RTL configuration with Yosys (synth, hierarchy kept; dffunmap;\n"
          "abc -g AND,NAND,OR,NOR,XOR,XNOR,MUX,AOI3,OAI3), weigh the cells with the\n"
          "component costs of 'fp8lab gates' (NOT 0, 2-input 1, AOI3/OAI3 2, MUX/XOR/XNOR 3,\n"
          "flip-flop bit 6) and print them beside the analytic count.  Ratios are to INT8\n"
          "with a 27-bit Kulisch accumulator, each in its own column's terms.\n\n"
          "  --config LIST      comma-separated names from DIR/tops/configs.tsv, or 'dot'\n"
          "                     (every dot-product unit) or 'all' (default: the MACs)\n"
          "  --rtl DIR          the RTL tree (default: the source tree's rtl/ from the build\n"
          "                     tree, else the installed one; FP8LAB_RTL_DIR overrides)\n"
          "  --components FILE  cost table (default components.tsv in the data folder)\n"
          "  --breakdown        per RTL block: analytic and synthesized gates\n"
          "  --jobs N           run up to N Yosys processes at once (default: the number of\n"
          "                     cores); the output does not depend on N\n"
          "  --timeout SEC      give up on one Yosys run after SEC seconds (default 1800)\n"
          "  --tsv              tab-separated, one header row\n"
          "  --plot FILE.png    bars of analytic and synthesized gates per configuration\n"
          "                     (Figure 3's synthesized twin), with .svg, .tsv and .gp beside\n"
          "  --help             this text\n\n"
          "Yosys is found as FP8LAB_YOSYS, else '%s'.  Progress and timings go to stderr.\n"
          "Every option is checked before Yosys runs; on SIGINT/SIGTERM or --timeout the\n"
          "Yosys process groups are stopped and their temporary folders removed.\n",
          FP8_YOSYS);
}

static const char *plot_body =
  CLI_PLOT_GATE_BARS
  /* 19 clusters: the key goes above the bars, the labels get room on the right */
  "set key at graph 0.5, graph 1.01 center bottom horizontal noenhanced\n"
  "set tmargin 5\n"
  "set rmargin 10\n"
  "set xtics rotate by -35 noenhanced font ',8'\n"
  "set title 'Analytic (Appendix B) and Yosys-synthesized gate counts of the fp8lab RTL' offset 0,1\n"
  "plot datafile using 2:xtic(1) title 'analytic', '' using 3 title 'synthesized (Yosys, abc -g)'\n";

static const char *yosys_prog(void)
{
  const char *e = getenv("FP8LAB_YOSYS");
  return e && *e ? e : FP8_YOSYS;
}

/* ---- configs.tsv ------------------------------------------------------------------- */
static int read_configs(const char *rtl, config *cf, int *ncf)
{
  char path[PATH_MAX + 64];
  snprintf(path, sizeof path, "%s/tops/configs.tsv", rtl);
  FILE *fp = fopen(path, "r");
  if (!fp) {
    cli_error(CMD, "cannot read the RTL configuration list '%s': %s (point --rtl or "
              "FP8LAB_RTL_DIR at an RTL tree)", path, strerror(errno));
    return -1;
  }
  /* bounded lines and size, a NUL is an error (textio.h) */
  fp8_line_reader rd;
  fp8_line_init(&rd, fp, path, FP8_TEXT_TABLE_MAX_LINE, FP8_TEXT_TABLE_MAX_BYTES);
  char rerr[PATH_MAX + 128];
  int lineno = 0, n = 0, header = 0, st;
  while ((st = fp8_line_next(&rd, rerr, sizeof rerr)) == 1) {
    char *line = rd.buf;
    lineno++;
    if (!*line || *line == '#')
      continue;
    char *f[4] = {0}, *save = NULL;
    int k = 0;
    for (char *t = strtok_r(line, "\t", &save); t && k < 4; t = strtok_r(NULL, "\t", &save))
      f[k++] = t;
    if (!header++) {
      if (k < 4 || strcmp(f[0], "config") || strcmp(f[1], "top") || strcmp(f[2], "format") ||
          strcmp(f[3], "accumulator")) {
        cli_error(CMD, "%s:%d: expected the header 'config<TAB>top<TAB>format<TAB>accumulator'",
                  path, lineno);
        fp8_line_free(&rd);
        fclose(fp);
        return -1;
      }
      continue;
    }
    if (k < 4 || n == MAX_CONFIGS || strlen(f[0]) >= 64 || strlen(f[1]) >= 64 ||
        strlen(f[2]) >= 64 || strlen(f[3]) >= 64) {
      cli_error(CMD, "%s:%d: malformed line (expected 4 tab-separated fields: config, top, "
                "format, accumulator)", path, lineno);
      fp8_line_free(&rd);
      fclose(fp);
      return -1;
    }
    memset(&cf[n], 0, sizeof cf[n]);
    snprintf(cf[n].name, 64, "%s", f[0]);
    snprintf(cf[n].top, 64, "%s", f[1]);
    snprintf(cf[n].format, 64, "%s", f[2]);
    snprintf(cf[n].acc, 64, "%s", f[3]);
    cf[n].lineno = lineno;
    n++;
  }
  fclose(fp);
  fp8_line_free(&rd);
  if (st < 0) {
    cli_error(CMD, "%s", rerr);
    return -1;
  }
  if (n == 0) {
    cli_error(CMD, "%s lists no configurations", path);
    return -1;
  }
  *ncf = n;
  return 0;
}

static int analytic(const char *rtl, config *c, const fp8_gates_costs *costs)
{
  fp8_format f;
  char err[600];
  int products, bits;
  if (fp8_format_parse(c->format, &f, err, sizeof err) ||
      fp8_gates_unit_bom(c->acc, &f, &c->bom, &products, &bits, err, sizeof err)) {
    cli_error(CMD, "%s/tops/configs.tsv:%d: config '%s': %s", rtl, c->lineno, c->name, err);
    return -1;
  }
  fp8_gates_bom_unpipelined(&c->bom);   /* the RTL has no product pipe stage */
  fp8_acc_spec mac;
  c->dot = fp8_gates_acc_parse(c->acc, &f, &mac, NULL, 0) != 0;
  c->analytic = fp8_gates_bom_total(&c->bom, costs);
  return 0;
}

/* ---- running Yosys --------------------------------------------------------------------- */
typedef struct job_arg {
  const char *rtl;
  config *c;
  const fp8_gates_costs *costs;
} job_arg;

/* Yosys runs in the temporary folder: 'tee -o' takes a quoted name literally. */
static int write_script(const char *path, void *arg)
{
  const job_arg *j = arg;
  const char *rtl = j->rtl;
  char pat[PATH_MAX + 64];
  FILE *fp = fopen(path, "w");
  if (!fp)
    return -1;
  glob_t g;
  memset(&g, 0, sizeof g);
  snprintf(pat, sizeof pat, "%s/*.sv", rtl);
  glob(pat, 0, NULL, &g);
  snprintf(pat, sizeof pat, "%s/*.v", rtl);
  glob(pat, GLOB_APPEND, NULL, &g);
  fprintf(fp, "# written by fp8lab synth for config %s\n", j->c->name);
  for (size_t i = 0; i < g.gl_pathc; i++)
    fprintf(fp, "read_verilog -sv -I \"%s\" \"%s\"\n", rtl, g.gl_pathv[i]);
  globfree(&g);
  fprintf(fp, "read_verilog -sv -I \"%s\" \"%s/tops/%s.sv\"\n", rtl, rtl, j->c->top);
  fprintf(fp, "hierarchy -check -top %s\n", j->c->top);
  fprintf(fp, "synth -top %s\n", j->c->top);
  fputs("dffunmap\nabc -g AND,NAND,OR,NOR,XOR,XNOR,MUX,AOI3,OAI3\nopt_clean\n", fp);
  fputs("tee -q -o stat.txt stat\n", fp);
  return fclose(fp);
}

static char *slurp(const char *path)
{
  FILE *fp = fopen(path, "r");
  if (!fp)
    return NULL;
  size_t cap = 1 << 16, n = 0;
  char *s = malloc(cap);
  for (size_t got; s && (got = fread(s + n, 1, cap - n - 1, fp)) > 0;) {
    n += got;
    if (n + 1 == cap) {
      char *t = realloc(s, cap *= 2);
      if (!t)
        free(s);
      s = t;
    }
  }
  fclose(fp);
  if (s)
    s[n] = 0;
  return s;
}

/* Yosys succeeded: weigh its statistics. */
static int read_stat(const char *stat, void *arg)
{
  job_arg *j = arg;
  config *c = j->c;
  char err[600];
  int rc = 0;
  char *text = slurp(stat);
  if (!text)
    rc = -1, cli_error(CMD, "config '%s': Yosys wrote no statistics", c->name);
  else if (fp8_gates_synth_parse(text, c->top, j->costs, &c->res, err, sizeof err))
    rc = -1, cli_error(CMD, "config '%s': %s", c->name, err);
  free(text);
  if (rc == 0) {
    c->synth = c->res.total;
    c->done = 1;
  }
  return rc;
}

/* ---- output ----------------------------------------------------------------------------- */
static void add_unique(const char **seen, size_t *ns, const char *name)
{
  for (size_t j = 0; j < *ns; j++)
    if (strcmp(seen[j], name) == 0)
      return;
  seen[(*ns)++] = name;
}

/* Blocks of both the bill of materials and the netlist, in that order. */
static void add_breakdown(cli_table *t, const config *c, const fp8_gates_costs *costs)
{
  const char *seen[FP8_GATES_BOM_MAX + FP8_SYNTH_MAX_BLOCKS];
  size_t ns = 0;
  for (size_t i = 0; i < c->bom.n; i++)
    add_unique(seen, &ns, c->bom.line[i].block);
  for (size_t i = 0; i < c->res.nblocks; i++)
    add_unique(seen, &ns, c->res.block[i].name);
  for (size_t j = 0; j < ns; j++) {
    double s = 0;
    for (size_t i = 0; i < c->res.nblocks; i++)
      if (strcmp(c->res.block[i].name, seen[j]) == 0)
        s += c->res.block[i].gates;
    double an = fp8_gates_bom_block_total(&c->bom, seen[j], costs);
    if (an == 0 && s == 0)
      continue;   /* a thin top with nothing of its own */
    char a[32], b[32];
    fp8_format_double(a, sizeof a, an);
    fp8_format_double(b, sizeof b, s);
    cli_table_add(t, (const char *const[]){c->name, seen[j], a, b});
  }
  char a[32], b[32];
  fp8_format_double(a, sizeof a, c->analytic);
  fp8_format_double(b, sizeof b, c->synth);
  cli_table_add(t, (const char *const[]){c->name, "total", a, b});
}

/* --config LIST: every item non-empty and listed in configs.tsv. */
static int select_configs(const char *clist, const char *rtl, config *cf, int ncf)
{
  if (!clist) {   /* the MACs (Figure 3); dot-product units on request */
    for (int i = 0; i < ncf; i++)
      cf[i].selected = !cf[i].dot;
    return 0;
  }
  if (!*clist)
    return cli_usage_error(CMD, "--config: empty list (expected comma-separated names from "
                           "%s/tops/configs.tsv, e.g. %s)", rtl, cf[0].name);
  for (const char *p = clist;;) {
    size_t len = strcspn(p, ",");
    if (len == 0)
      return cli_usage_error(CMD, "--config: empty name in '%s' (expected comma-separated names "
                             "from %s/tops/configs.tsv, e.g. %s)", clist, rtl, cf[0].name);
    bool all = len == 3 && !strncmp(p, "all", 3), dot = len == 3 && !strncmp(p, "dot", 3);
    if (all || dot) {   /* every row / every dot-product unit */
      for (int k = 0; k < ncf; k++)
        cf[k].selected |= all || cf[k].dot;
    } else {
      int i = 0;
      while (i < ncf && (strlen(cf[i].name) != len || strncmp(cf[i].name, p, len)))
        i++;
      if (i == ncf)
        return cli_usage_error(CMD, "--config: no configuration '%.*s' in %s/tops/configs.tsv (it "
                               "lists: %s%s)", (int)len, p, rtl, cf[0].name, ncf > 1 ? ", ..." : "");
      cf[i].selected = 1;
    }
    if (!p[len])
      return 0;
    p += len + 1;
  }
}

/* ---- the command ------------------------------------------------------------------------ */
/* The command line, as given; rtl is resolved by synth_setup. */
typedef struct synth_opts {
  const char *clist, *rtl, *cfile, *plot;
  bool breakdown, tsv;
  double timeout;
  long jobs;
} synth_opts;

/* -1: go on; else the exit status (--help, a usage error).  Every option is
 * checked here, before any Yosys run. */
static int synth_parse(int argc, char **argv, synth_opts *o)
{
  static const struct option opts[] = {
    {"config", required_argument, NULL, 'c'}, {"rtl", required_argument, NULL, 'r'},
    {"components", required_argument, NULL, 'C'}, {"breakdown", no_argument, NULL, 'b'},
    {"timeout", required_argument, NULL, 'T'}, {"tsv", no_argument, NULL, 't'},
    {"plot", required_argument, NULL, 'p'}, {"jobs", required_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  long ncores = sysconf(_SC_NPROCESSORS_ONLN);
  *o = (synth_opts){.timeout = 1800, .jobs = ncores > 0 ? ncores : 1};
  int c;
  while ((c = getopt_long(argc, argv, "c:r:C:bT:tp:j:h", opts, NULL)) != -1) {
    switch (c) {
    case 'c': o->clist = optarg; break;
    case 'r': o->rtl = optarg; break;
    case 'C': o->cfile = optarg; break;
    case 'b': o->breakdown = true; break;
    case 'T':
      if (cli_parse_double(CMD, "--timeout", optarg, &o->timeout))
        return EXIT_USAGE;
      if (!(o->timeout > 0) || o->timeout > 1e7)
        return cli_usage_error(CMD, "--timeout: '%s' is not a number of seconds in (0, 1e7]", optarg);
      break;
    case 't': o->tsv = true; break;
    case 'p': o->plot = optarg; break;
    case 'j':
      if (cli_parse_long(CMD, "--jobs", optarg, 1, MAX_CONFIGS, &o->jobs))
        return EXIT_USAGE;
      break;
    case 'h': usage(stdout); return EXIT_OK;
    default: return cli_usage_error(CMD, "unknown option");
    }
  }
  if (optind < argc)
    return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
  if (o->plot && o->breakdown)
    return cli_usage_error(CMD, "--plot draws the totals; it does not go with --breakdown");
  if (o->plot && cli_plot_check_path(CMD, o->plot))
    return EXIT_USAGE;
  if (o->rtl && !*o->rtl)
    return cli_usage_error(CMD, "--rtl: empty folder name");
  if (o->cfile && !*o->cfile)
    return cli_usage_error(CMD, "--components: empty file name");
  return -1;
}

/* The RTL tree (absolute: Yosys runs elsewhere; a missing tree is reported by
 * read_configs), the costs, every configuration counted analytically and the
 * selected ones marked.  -1: go on; else the exit status. */
static int synth_setup(synth_opts *o, char *rabs, fp8_gates_costs *costs, config *cf, int *ncf)
{
  static char rbuf[4096];
  if (!o->rtl)
    o->rtl = cli_rtl_dir(rbuf, sizeof rbuf);
  if (realpath(o->rtl, rabs))
    o->rtl = rabs;
  if (cli_costs_load(CMD, o->cfile, costs))
    return EXIT_FAIL;
  if (read_configs(o->rtl, cf, ncf))
    return EXIT_FAIL;
  for (int i = 0; i < *ncf; i++)
    if (analytic(o->rtl, &cf[i], costs))
      return EXIT_FAIL;
  if (select_configs(o->clist, o->rtl, cf, *ncf))
    return EXIT_USAGE;
  return -1;
}

/* The INT8 -> 27-bit Kulisch reference of the synthesized ratios, or -1 (said). */
static int find_reference(const config *cf, int ncf)
{
  for (int i = 0; i < ncf; i++)
    if (strcmp(cf[i].format, "int8") == 0 && strcmp(cf[i].acc, "kulisch:27") == 0)
      return i;
  cli_error(CMD, "note: no int8/kulisch:27 configuration in the RTL list: synthesized ratios "
            "are left out");
  return -1;
}

/* Yosys on the selected configurations and the reference: 0 or the exit status. */
static int synth_all(const synth_opts *o, const char *prog, config *cf, int ncf, int ref,
                     const fp8_gates_costs *costs)
{
  static synth_job job[MAX_CONFIGS];
  static job_arg jarg[MAX_CONFIGS];
  int njobs = 0;
  for (int i = 0; i < ncf; i++) {
    if (!(cf[i].selected || i == ref))
      continue;
    jarg[njobs] = (job_arg){o->rtl, &cf[i], costs};
    job[njobs] = (synth_job){cf[i].name, cf[i].top, &jarg[njobs]};
    njobs++;
  }
  static const synth_job_fns fns = {write_script, read_stat};
  int jrc = synth_jobs_run(CMD, prog, job, njobs, (int)o->jobs, o->timeout, &fns);
  return jrc > 0 ? jrc : jrc < 0 ? EXIT_FAIL : 0;
}

/* One row of totals: gates, and ratios to the analytic and synthesized reference. */
static void add_total(cli_table *t, const config *c, double aref, const config *ref)
{
  char a[32], s[32], ar[32], sr[32];
  fp8_format_double(a, sizeof a, c->analytic);
  fp8_format_double(s, sizeof s, c->synth);
  snprintf(ar, sizeof ar, "%.3f", c->analytic / aref);
  if (ref && ref->synth > 0)
    snprintf(sr, sizeof sr, "%.3f", c->synth / ref->synth);
  else
    snprintf(sr, sizeof sr, "nan");
  cli_table_add(t, (const char *const[]){c->name, a, s, ar, sr});
}

int cmd_synth(int argc, char **argv)
{
  synth_opts o;
  int rc = synth_parse(argc, argv, &o);
  if (rc >= 0)
    return rc;
  static char rabs[PATH_MAX];
  static config cf[MAX_CONFIGS];
  fp8_gates_costs costs;
  int ncf = 0;
  if ((rc = synth_setup(&o, rabs, &costs, cf, &ncf)) >= 0)
    return rc;
  const char *prog = yosys_prog();
  if (synth_jobs_check_prog(CMD, prog))
    return EXIT_FAIL;
  int ref = find_reference(cf, ncf);
  double aref;
  fp8_gates_reference_total(&costs, &aref);
  if ((rc = synth_all(&o, prog, cf, ncf, ref, &costs)))
    return rc;

  static const char *const hdr[] = {"config", "analytic", "synthesized", "analytic_ratio",
                                    "synthesized_ratio"};
  static const char *const bhdr[] = {"config", "block", "analytic", "synthesized"};
  cli_table *t = o.breakdown ? cli_table_new(4, bhdr) : cli_table_new(5, hdr);
  for (int i = 0; i < ncf; i++) {
    if (!cf[i].selected)
      continue;
    if (o.breakdown)
      add_breakdown(t, &cf[i], &costs);
    else
      add_total(t, &cf[i], aref, ref >= 0 ? &cf[ref] : NULL);
  }
  cli_table_print(t, stdout, o.tsv);
  if (o.plot && cli_plot(CMD, o.plot, t, plot_body, NULL))
    rc = EXIT_FAIL;
  cli_table_free(t);
  return rc;
}
