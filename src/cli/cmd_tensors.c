/* cmd_tensors.c - fp8lab tensors: per-layer bits of accuracy of formats on the
 * weights of real models (ONNX, .npy/.npz, members of wheels), with the same
 * quantizer and scale search as `accuracy` (analysis/tensors.h). */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "block.h"
#include "cli.h"
#include "commands.h"
#include "datadir.h"
#include "modelio.h"
#include "plot.h"
#include "tensors_cli.h"

#define CMD "tensors"
#define DEFAULT_FORMATS "int8,fp8-e1,fp8-e2,fp8-e3,fp8-e4,fp8-e5"
#define DEFAULT_MIN_SIZE 1024
#define MAX_MODELS 32

/* The models the README's install step puts in data/models (pinned wheels). */
const char *const tensors_installed[TENSORS_INSTALLED][2] = {
  {"models/rapidocr-3.10.0-py3-none-any.whl", "rapidocr/models/PP-OCRv6_rec_small.onnx"},
  {"models/g2p_en-2.1.0-py3-none-any.whl", "g2p_en/checkpoint20.npz"},
};

bool tensors_installed_present(void)
{
  for (size_t i = 0; i < TENSORS_INSTALLED; i++) {
    char path[4096];
    if (access(cli_data_path(tensors_installed[i][0], path, sizeof path), R_OK))
      return false;
  }
  return fp8_io_available() != 0;
}

static void usage(FILE *out)
{
  fprintf(out,
    "Usage: fp8lab tensors [OPTIONS] MODEL...\n"
    "Bits of accuracy, -log2(RMSE/sigma), of number formats on every weight tensor of\n"
    "real models, with the scale found as by 'accuracy' (global MSE-optimal or max).\n"
    "MODEL: model.onnx | arrays.npy | arrays.npz | ARCHIVE:member (e.g. a wheel:\n"
    "pkg.whl:pkg/models/net.onnx).  ONNX initializers and Constant nodes (subgraphs\n"
    "too), float32/float16/bfloat16.\n\n"
    "  --installed        add the models the README installs into data/models\n"
    "  --format LIST      formats (default " DEFAULT_FORMATS ")\n"
    "  --granularity G    tensor (one scale per tensor, default) | channel (one scale\n"
    "                     per output channel: axis 0, MatMul weights the last axis) |\n"
    "                     block:B[:RULE] (each format as the elements of a block format:\n"
    "                     an E8M0 scale per B values along each output channel, RULE\n"
    "                     floor (OCP MX, default), ceil, rceil or nearest; no --range)\n"
    "  --range R          mse (MSE-optimal scale, default) | max (absmax -> format max)\n"
    "  --min-size N       skip tensors of fewer than N values (default %d)\n"
    "  --max-mib N        memory limit for reading and analysing one model (default %zu MiB,\n"
    "                     and then no archive member may inflate more than 64:1 past 64 MiB)\n"
    "  --tsv              tab-separated per-tensor table, no summary\n"
    "  --summary-tsv FILE write the summary table as TSV to FILE\n"
    "  --plot FILE.png    bits per layer for each format (PNG, SVG, .tsv, .gp)\n"
    "  --plot-kurtosis FILE.png  bits against kurtosis over all layers\n"
    "  --help             this text\n", DEFAULT_MIN_SIZE, FP8_IO_DEFAULT_MAX_BYTES >> 20);
}

typedef struct opts {
  fp8_format fmts[TENSORS_MAX_FORMATS];
  char names[TENSORS_MAX_FORMATS][CLI_ITEM_LEN];
  size_t nf;
  fp8_granularity gran;
  int block, rule;          /* block:B[:RULE] */
  bool have_range;
  fp8_range range;
  long min_size;
  fp8_io_limits lim;
  bool tsv;
  const char *summary_tsv, *plot, *plot_kurt;
  const char *formats;      /* --format as given, parsed into fmts and names */
  bool installed, explicit_mib;
  long mib;
} opts;

/* --granularity block:B[:RULE]. */
static int parse_block(const char *arg, opts *o)
{
  char buf[64];
  snprintf(buf, sizeof buf, "%s", arg + 6);
  char *colon = strchr(buf, ':');
  fp8_block_rule r = FP8_BLOCK_FLOOR;
  if (colon) {
    *colon = 0;
    if (fp8_block_rule_lookup(colon + 1, &r))
      return cli_usage_error(CMD, "--granularity %s: rule '%s' (expected floor, ceil, rceil or nearest)",
                             arg, colon + 1), -1;
  }
  long b;
  char *end;
  b = strtol(buf, &end, 10);
  if (end == buf || *end || b < 1 || b > FP8_BLOCK_MAX)
    return cli_usage_error(CMD, "--granularity %s: block size '%s' (expected 1..%d values per block)",
                           arg, buf, FP8_BLOCK_MAX), -1;
  o->gran = FP8_GRAN_BLOCK;
  o->block = (int)b;
  o->rule = (int)r;
  return 0;
}

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Label of a model spec: the last path component of the member or file. */
static const char *label_of(const char *spec)
{
  const char *colon = strrchr(spec, ':'), *s = colon ? colon + 1 : spec;
  const char *slash = strrchr(s, '/');
  return slash ? slash + 1 : s;
}

static void shape_str(const fp8_io_tensor *t, char *buf, size_t len)
{
  size_t k = (size_t)snprintf(buf, len, "%s", t->ndim ? "" : "scalar");
  for (int i = 0; i < t->ndim && k < len; i++)
    k += (size_t)snprintf(buf + k, len - k, "%s%lld", i ? "x" : "", (long long)t->dims[i]);
}

static int best_of(const double *bits, size_t nf)
{
  int b = 0;
  for (size_t k = 1; k < nf; k++)
    if (bits[k] > bits[b])
      b = (int)k;
  return b;
}

/* The largest tensor of m: *maxn values, *maxdim along one axis. */
static void model_extent(const fp8_io_model *m, size_t *maxn, size_t *maxdim)
{
  *maxn = 1;
  *maxdim = 1;
  for (size_t i = 0; i < m->n; i++) {
    if (m->t[i].count > *maxn)
      *maxn = m->t[i].count;
    for (int d = 0; d < m->t[i].ndim; d++)
      if ((size_t)m->t[i].dims[d] > *maxdim)
        *maxdim = (size_t)m->t[i].dims[d];
  }
}

/* A new zeroed row at the end of *rows; out of memory ends the program. */
static tensor_row *row_add(tensor_row **rows, size_t *nrows, size_t *cap)
{
  if (*nrows == *cap) {
    *cap = *cap ? 2 * *cap : 64;
    *rows = realloc(*rows, *cap * sizeof **rows);
    if (!*rows) {
      cli_error(CMD, "out of memory");
      exit(EXIT_FAIL);
    }
  }
  tensor_row *r = &(*rows)[(*nrows)++];
  memset(r, 0, sizeof *r);
  return r;
}

/* Tensor t of model label into row r: statistics, and the bits of each
 * format.  0 analysed (its scales per format added to *nscales), 1 constant
 * or not finite (no bits, said on stderr), -1 a failure (reported). */
static int tensor_analyse(fp8_tensors_workspace *w, const fp8_io_tensor *t, const char *label, const opts *o,
                          tensor_row *r, size_t *nscales)
{
  r->model = label;
  r->name = fp8_printable(t->name);   /* a name from the file: no tab, newline or escape in tables */
  if (!r->name) {
    cli_error(CMD, "out of memory");
    exit(EXIT_FAIL);
  }
  shape_str(t, r->shape, sizeof r->shape);
  r->params = t->count;
  fp8_tensors_stats(t->data, t->count, &r->st);
  r->best = -1;
  fp8_tensor_result res[TENSORS_MAX_FORMATS];
  int axis = fp8_tensors_channel_axis(t->op, t->input, t->trans_b, t->ndim);
  int st = o->gran == FP8_GRAN_BLOCK
         ? fp8_tensors_bits_block(w, t->data, t->ndim, t->dims, axis, o->block, o->rule, o->fmts, o->nf,
                                  res)
         : fp8_tensors_bits(w, t->data, t->ndim, t->dims, o->gran, axis, o->range, o->fmts, o->nf, res);
  if (st == GSL_EINVAL) {
    fprintf(stderr, "fp8lab %s: %s: tensor '%s' is constant or holds NaN/Inf; no bits\n", CMD,
            label, r->name);
    return 1;
  }
  if (st) {
    cli_error(CMD, "%s: tensor '%s': %s", label, r->name, gsl_strerror(st));
    return -1;
  }
  r->ok = true;
  for (size_t k = 0; k < o->nf; k++)
    r->bits[k] = res[k].bits;
  r->best = best_of(r->bits, o->nf);
  *nscales += res[0].nscales;
  return 0;
}

/* Read and analyse one model, appending rows.  0 or -1 (reported). */
static int run_model(const char *spec, const char *label, const opts *o, tensor_row **rows,
                     size_t *nrows, size_t *cap)
{
  char err[512];
  fp8_io_model m;
  double t0 = now_s();
  if (fp8_io_model_read(spec, &o->lim, &m, err, sizeof err)) {
    cli_error(CMD, "%s", err);
    return -1;
  }
  double t1 = now_s();
  size_t maxn, maxdim, small = 0, analysed = 0, nscales = 0;
  model_extent(&m, &maxn, &maxdim);
  /* the analysis of the largest tensor beside the values read: the whole run
   * stays within --max-mib */
  size_t ws = fp8_tensors_workspace_bytes(maxn, maxdim), lim = o->lim.max_bytes;
  if (ws > lim || m.bytes > lim - ws) {
    cli_error(CMD, "%s: analysing its largest tensor (%zu values) needs %zu MiB beside the %zu MiB of "
              "values read, more than the %zu MiB limit (raise --max-mib)", label, maxn, ws >> 20,
              m.bytes >> 20, lim >> 20);
    fp8_io_model_free(&m);
    return -1;
  }
  fp8_tensors_workspace *w = fp8_tensors_alloc(maxn);
  if (!w) {
    fp8_io_model_free(&m);
    cli_error(CMD, "%s: out of memory for a tensor of %zu values", spec, maxn);
    return -1;
  }
  int rc = 0;
  for (size_t i = 0; i < m.n && !rc; i++) {
    if (m.t[i].count < (size_t)o->min_size) {
      small++;
      continue;
    }
    int st = tensor_analyse(w, &m.t[i], label, o, row_add(rows, nrows, cap), &nscales);
    analysed += st == 0;
    rc = st < 0 ? -1 : 0;
  }
  double t2 = now_s();
  if (!rc)
    fprintf(stderr, "fp8lab %s: %s: %zu float tensors, %zu parameters (%zu other tensors "
            "skipped); %zu analysed (%zu scales per format), %zu smaller than --min-size; read in "
            "%.2f s, analysed in %.2f s\n", CMD, label, m.n, m.params, m.skipped, analysed, nscales,
            small, t1 - t0, t2 - t1);
  fp8_tensors_free(w);
  fp8_io_model_free(&m);
  return rc;
}

static int parse_formats(const char *s, opts *o)
{
  char items[TENSORS_MAX_FORMATS][CLI_ITEM_LEN];
  if (cli_split_list(CMD, "--format", s, false, items, TENSORS_MAX_FORMATS, &o->nf))
    return -1;
  for (size_t i = 0; i < o->nf; i++) {
    if (cli_parse_format(CMD, "--format", items[i], &o->fmts[i]))
      return -1;
    if (o->fmts[i].bits > 16)
      return cli_usage_error(CMD, "--format: '%s' has %d bits; tensors handles formats of at "
                             "most 16 bits", items[i], o->fmts[i].bits), -1;
    snprintf(o->names[i], sizeof o->names[i], "%.*s", CLI_ITEM_LEN - 1, items[i]);
  }
  return 0;
}

/* -1: go on; else the exit status (--help, a usage error). */
static int tensors_parse(int argc, char **argv, opts *o)
{
  static const struct option lo[] = {
    {"installed", no_argument, NULL, 'I'},
    {"format", required_argument, NULL, 'f'},
    {"granularity", required_argument, NULL, 'g'},
    {"range", required_argument, NULL, 'r'},
    {"min-size", required_argument, NULL, 'm'},
    {"max-mib", required_argument, NULL, 'M'},
    {"tsv", no_argument, NULL, 't'},
    {"summary-tsv", required_argument, NULL, 's'},
    {"plot", required_argument, NULL, 'p'},
    {"plot-kurtosis", required_argument, NULL, 'k'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};
  memset(o, 0, sizeof *o);
  o->min_size = DEFAULT_MIN_SIZE;
  o->formats = DEFAULT_FORMATS;
  o->mib = (long)(FP8_IO_DEFAULT_MAX_BYTES >> 20);
  int c;
  optind = 0;
  while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
    switch (c) {
    case 'I': o->installed = true; break;
    case 'f': o->formats = optarg; break;
    case 'g':
      if (!strcmp(optarg, "tensor"))
        o->gran = FP8_GRAN_TENSOR;
      else if (!strcmp(optarg, "channel"))
        o->gran = FP8_GRAN_CHANNEL;
      else if (!strncmp(optarg, "block:", 6)) {
        if (parse_block(optarg, o))
          return EXIT_USAGE;
      } else {
        return cli_usage_error(CMD, "--granularity: '%s'; expected tensor, channel or block:B[:RULE]",
                               optarg);
      }
      break;
    case 'r':
      if (fp8_range_parse(optarg, &o->range))
        return cli_usage_error(CMD, "--range: '%s'; expected mse or max", optarg);
      o->have_range = true;
      break;
    case 'm':
      if (cli_parse_long(CMD, "--min-size", optarg, 1, 1L << 40, &o->min_size))
        return EXIT_USAGE;
      break;
    case 'M':
      if (cli_parse_long(CMD, "--max-mib", optarg, 1, 1L << 30, &o->mib))
        return EXIT_USAGE;
      o->explicit_mib = true;
      break;
    case 't': o->tsv = true; break;
    case 's': o->summary_tsv = optarg; break;
    case 'p': o->plot = optarg; break;
    case 'k': o->plot_kurt = optarg; break;
    case 'h': usage(stdout); return cli_check_stdout();
    default: return cli_usage_error(CMD, "unknown option");
    }
  }
  return -1;
}

/* The options together: the memory limit, the formats, the plot paths.  -1: go on. */
static int tensors_check(opts *o)
{
  if (o->gran == FP8_GRAN_BLOCK && o->have_range)
    return cli_usage_error(CMD, "--range does not apply to --granularity block:%d (each block's scale "
                           "comes from its rule)", o->block);
  o->lim.max_bytes = (size_t)o->mib << 20;
  /* the default limit trusts no archive to inflate like a bomb; a limit the
   * user chose is the bound */
  o->lim.max_ratio = o->explicit_mib ? 0 : FP8_IO_DEFAULT_MAX_RATIO;
  if (parse_formats(o->formats, o))
    return EXIT_USAGE;
  if ((o->plot && cli_plot_check_path(CMD, o->plot)) || (o->plot_kurt && cli_plot_check_path(CMD, o->plot_kurt)))
    return EXIT_USAGE;
  for (size_t k = 0; o->gran == FP8_GRAN_BLOCK && k < o->nf; k++)
    if (o->fmts[k].is_unsigned)
      return cli_usage_error(CMD, "--format %s: unsigned, so it cannot be the elements of a block format "
                             "(expected signed formats with --granularity block:B)", o->names[k]);
  return -1;
}

/* The models: --installed's, then the arguments, into specs[*nm].  -1: go on. */
static int tensors_specs(const opts *o, int nargs, char **args, char specs[][4096], size_t *nm)
{
  *nm = 0;
  if (o->installed) {
    for (size_t i = 0; i < TENSORS_INSTALLED; i++) {
      char path[4000];
      cli_data_path(tensors_installed[i][0], path, sizeof path);
      snprintf(specs[(*nm)++], 4096, "%s:%s", path, tensors_installed[i][1]);
    }
  }
  for (int i = 0; i < nargs; i++) {
    if (*nm == MAX_MODELS)
      return cli_usage_error(CMD, "at most %d models per run", MAX_MODELS);
    snprintf(specs[(*nm)++], 4096, "%s", args[i]);
  }
  if (*nm == 0)
    return cli_usage_error(CMD, "no MODEL given (name model files, or --installed)");
  return -1;
}

/* The per-tensor table, the summary (on stdout unless --tsv, and to
 * --summary-tsv), the plots.  EXIT_OK or EXIT_FAIL. */
static int tensors_output(const opts *o, const tensors_report *rep)
{
  int rc = EXIT_OK;
  tensors_print_table(rep, stdout, o->tsv);
  cli_table *sum = tensors_summary_table(rep);
  if (!o->tsv) {
    if (o->gran == FP8_GRAN_BLOCK)
      printf("\nsummary (E8M0 scale per block of %d along each output channel, rule %s; won = tensors "
             "where the format has the most bits):\n", o->block, fp8_block_rule_name((fp8_block_rule)o->rule));
    else
      printf("\nsummary (%s scale per %s; won = tensors where the format has the most bits):\n",
             fp8_range_name(o->range), o->gran == FP8_GRAN_CHANNEL ? "output channel" : "tensor");
    cli_table_print(sum, stdout, false);
    tensors_print_change_points(rep, stdout);
  }
  if (o->summary_tsv && cli_table_write_tsv(sum, o->summary_tsv))
    rc = EXIT_FAIL;
  cli_table_free(sum);
  if (rc == EXIT_OK && o->plot && tensors_plot_layers(rep, o->plot))
    rc = EXIT_FAIL;
  if (rc == EXIT_OK && o->plot_kurt && tensors_plot_kurtosis(rep, o->plot_kurt))
    rc = EXIT_FAIL;
  return rc;
}

int cmd_tensors(int argc, char **argv)
{
  opts o;
  char specs[MAX_MODELS][4096];
  size_t nm;
  int rc = tensors_parse(argc, argv, &o);
  if (rc >= 0 || (rc = tensors_check(&o)) >= 0
      || (rc = tensors_specs(&o, argc - optind, argv + optind, specs, &nm)) >= 0)
    return rc;
  tensor_row *rows = NULL;
  size_t nrows = 0, cap = 0;
  const char *labels[MAX_MODELS] = {0}, *fnames[TENSORS_MAX_FORMATS];
  rc = EXIT_OK;
  for (size_t i = 0; i < nm && rc == EXIT_OK; i++) {
    labels[i] = fp8_printable(label_of(specs[i]));   /* a file name: shown in tables and plots */
    if (!labels[i]) {
      cli_error(CMD, "out of memory");
      return EXIT_FAIL;
    }
    if (run_model(specs[i], labels[i], &o, &rows, &nrows, &cap))
      rc = EXIT_FAIL;
  }
  for (size_t k = 0; k < o.nf; k++)
    fnames[k] = o.names[k];
  tensors_report rep = {rows, nrows, o.fmts, fnames, o.nf, labels, nm};
  if (rc == EXIT_OK)
    rc = tensors_output(&o, &rep);
  for (size_t i = 0; i < nrows; i++)
    free(rows[i].name);
  free(rows);
  for (size_t i = 0; i < nm; i++)
    free((char *)labels[i]);
  if (rc != EXIT_OK)
    return rc;
  return cli_check_stdout();
}
