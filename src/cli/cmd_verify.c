/* cmd_verify.c - fp8lab verify: the Verilated RTL against the golden model.
 *
 * The units (MACs, n = 1, and dot-product units) are linked into fp8lab when
 * configure found Verilator (the table in sim/models.c); without it the table
 * is empty and verify says so.  One
 * program keeps the golden model and the RTL in one address space: no
 * pipes, no second binary to find at run time, and one step costs two
 * function calls. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "commands.h"
#include "verify.h"
#include "verify_merge.h"
#include "verify_cov.h"

static const char usage[] =
  "Usage: fp8lab verify [OPTION]...\n"
  "   or: fp8lab verify --merge [--result FILE] FILE...\n"
  "Cross-check the Verilated RTL MACs and dot-product units (rtl/) against the golden\n"
  "model, cycle by cycle.\n\n"
  "  -c, --config NAME     only this configuration (repeatable; --list shows them)\n"
  "  -l, --level N         1 (default): all operand pairs from 13-19 accumulator states,\n"
  "                        pattern states x pattern operands, directed sequences,\n"
  "                        200000 random steps; 2: pattern states x all pairs and\n"
  "                        10000000 random steps; 3 (long campaigns, progress line):\n"
  "                        level 2, all pairs from 64 random states, 10^9 random steps\n"
  "  -r, --random N        random steps per configuration\n"
  "  -s, --seed S          seed of the random parts (printed on stderr)\n"
  "      --replay FILE     run a vector file written by an earlier mismatch\n"
  "      --shard K/N       run only part K of N of the campaign (the N parts are\n"
  "                        disjoint and together exactly the unsharded run)\n"
  "      --result FILE     also write the result (counts, digest, first mismatch)\n"
  "                        for --merge\n"
  "      --merge           merge the result files given as arguments: every shard\n"
  "                        of one campaign once; prints the table and totals\n"
  "      --coverage        rebuild the models with Verilator line and toggle coverage,\n"
  "                        run the stimulus, print per block and configuration the\n"
  "                        lines and toggle bits hit, and the uncovered lines\n"
  "                        (coverage data and annotated sources in DIR/coverage)\n"
  "  -m, --max-errors N    mismatches recorded per configuration (default 10)\n"
  "  -o, --vectors DIR     where mismatch-<config>.vec files go (default .)\n"
  "      --list            list the configurations and exit\n"
  "      --tsv             tab-separated output\n"
  "  -h, --help            this help\n"
  "Exit status: 0 all agree, 1 a mismatch (or a failure), 2 usage error.\n";

static unsigned long config_seed(unsigned long seed, const char *config)
{
  unsigned long h = 1469598103934665603ul;   /* FNV-1a: per-config streams */
  for (const char *c = config; *c; c++)
    h = (h ^ (unsigned char)*c) * 1099511628211ul;
  return seed ^ h;                          /* all 64 bits reach the generator */
}

/* The units of m's stimulus: a dry run that runs none. */
static uint64_t count_units(const fp8sim_unit *m, const fp8_verify_opts *o)
{
  char err[300];
  fp8_verify_opts co = *o;
  co.count_only = true;
  co.progress = NULL;
  co.vecdir = NULL;
  fp8_verify *h = fp8_verify_alloc(m, &co, err, sizeof err);
  fp8_verify_result r = {0};
  if (h) {
    fp8_verify_run(h, &co);
    fp8_verify_free(h, &r);
  }
  return r.units;
}

/* One configuration's row of the result; false when out of memory. */
static bool add_row(fp8_result *res, const char *config, const char *top, const fp8_verify_result *r,
                    uint64_t units, double secs, fp8_shard sh)
{
  fp8_result_row *w = fp8_result_add(res, config);
  if (!w)
    return false;
  snprintf(w->top, sizeof w->top, "%s", top);
  w->checked = r->checked;
  w->mismatches = r->mismatches;
  w->digest = r->digest;
  w->units = units;
  w->seconds = secs;
  snprintf(w->vecfile, sizeof w->vecfile, "%s", r->vecfile);
  w->first_shard = sh.k + 1;
  w->first_unit = r->first_unit;
  snprintf(w->first, sizeof w->first, "%s", r->first);
  return true;
}

static int no_models(void)
{
  cli_error("verify", "built without Verilator: configure found no 'verilator', so no RTL model "
            "is linked in (install Verilator 5 and re-run configure)");
  return EXIT_FAIL;
}

static int list_configs(bool tsv)
{
  static const char *const hdr[] = {"config", "top", "format", "accumulator"};
  cli_table *t = cli_table_new(4, hdr);
  for (const fp8sim_unit *m = fp8sim_units; m->top; m++) {
    const char *row[] = {m->config, m->top, m->format, m->unit};
    cli_table_add(t, row);
  }
  cli_table_print(t, stdout, tsv);
  cli_table_free(t);
  return EXIT_OK;
}

/* The command line, as given. */
typedef struct verify_cli {
  fp8_verify_opts v;
  const char *configs[64], *replay, *result;
  int nconfigs;
  bool merge, seeded, list, tsv, coverage;
} verify_cli;

/* -1: go on; else the exit status (--help, a usage error). */
static int verify_parse(int argc, char **argv, verify_cli *o)
{
  enum { OPT_REPLAY = 256, OPT_LIST, OPT_TSV, OPT_SHARD, OPT_RESULT, OPT_MERGE, OPT_COVERAGE };
  static const struct option opts[] = {
    {"config", required_argument, NULL, 'c'}, {"level", required_argument, NULL, 'l'},
    {"random", required_argument, NULL, 'r'}, {"seed", required_argument, NULL, 's'},
    {"replay", required_argument, NULL, OPT_REPLAY}, {"max-errors", required_argument, NULL, 'm'},
    {"vectors", required_argument, NULL, 'o'}, {"list", no_argument, NULL, OPT_LIST},
    {"tsv", no_argument, NULL, OPT_TSV}, {"help", no_argument, NULL, 'h'},
    {"shard", required_argument, NULL, OPT_SHARD}, {"result", required_argument, NULL, OPT_RESULT},
    {"merge", no_argument, NULL, OPT_MERGE}, {"coverage", no_argument, NULL, OPT_COVERAGE},
    {NULL, 0, NULL, 0}};
  *o = (verify_cli){.v = {.level = 1, .random = -1, .max_errors = 10, .vecdir = "."}};
  char err[300];
  long v;
  int c;
  while ((c = getopt_long(argc, argv, "+c:l:r:s:m:o:h", opts, NULL)) != -1) {
    switch (c) {
    case 'c':
      if (o->nconfigs == 64)
        return cli_usage_error("verify", "--config: at most 64 configurations");
      o->configs[o->nconfigs++] = optarg;
      break;
    case 'l':
      if (cli_parse_long("verify", "--level", optarg, 1, 3, &v))
        return EXIT_USAGE;
      o->v.level = (int)v;
      break;
    case 'r':
      if (cli_parse_long("verify", "--random", optarg, 0, 1000000000000L, &v))
        return EXIT_USAGE;
      o->v.random = v;
      break;
    case 's':
      if (cli_parse_seed("verify", optarg, &o->v.seed))
        return EXIT_USAGE;
      o->seeded = true;
      break;
    case 'm':
      if (cli_parse_long("verify", "--max-errors", optarg, 1, 1000000, &v))
        return EXIT_USAGE;
      o->v.max_errors = v;
      break;
    case 'o': o->v.vecdir = optarg; break;
    case OPT_REPLAY: o->replay = optarg; break;
    case OPT_LIST: o->list = true; break;
    case OPT_SHARD:
      if (fp8_shard_parse(optarg, &o->v.shard, err, sizeof err))
        return cli_usage_error("verify", "--shard: %s", err);
      break;
    case OPT_RESULT: o->result = optarg; break;
    case OPT_MERGE: o->merge = true; break;
    case OPT_TSV: o->tsv = true; break;
    case OPT_COVERAGE: o->coverage = true; break;
    case 'h': fputs(usage, stdout); return EXIT_OK;
    default: return cli_usage_error("verify", "unknown option (see the list below --help)");
    }
  }
  return -1;
}

/* The options that exclude --coverage or --merge.  -1: go on. */
static int verify_check_modes(const verify_cli *o)
{
  if (o->coverage && (o->merge || o->result || o->v.shard.n))
    return cli_usage_error("verify", "--coverage takes no --shard, --result or --merge (it runs the whole "
                           "stimulus of each configuration once)");
  if (o->merge && o->v.shard.n)
    return cli_usage_error("verify", "--merge takes no --shard (it merges the shards' result files; got "
                           "--shard %u/%u)", o->v.shard.k + 1, o->v.shard.n);
  return -1;
}

/* Each --config among the linked models, and the options a run excludes.  -1: go on. */
static int verify_check_run(const verify_cli *o)
{
  for (int i = 0; i < o->nconfigs; i++)
    if (!fp8_verify_find(o->configs[i]))
      return cli_usage_error("verify", "--config: unknown configuration '%s' (expected one of "
                             "'fp8lab verify --list')", o->configs[i]);
  if (o->coverage && o->replay)
    return cli_usage_error("verify", "--coverage and --replay exclude each other (coverage runs the stimulus)");
  return -1;
}

/* --replay: one vector file, its row and the totals on stdout. */
static int verify_replay_file(verify_cli *o)
{
  static const char *const hdr[] = {"config", "top", "checked", "mismatches", "seconds", "vector_file"};
  cli_table *t = cli_table_new(6, hdr);
  fp8_verify_result r = {0};
  int rc = fp8_verify_replay(o->replay, &o->v, &r) ? EXIT_FAIL : EXIT_OK;
  cli_table_addf(t, "%s\t-\t%llu\t%llu\t-\t-", o->replay, (unsigned long long)r.checked,
                 (unsigned long long)r.mismatches);
  cli_table_print(t, stdout, o->tsv);
  cli_table_free(t);
  if (!o->tsv)
    printf("%llu vectors checked, %llu mismatches\n", (unsigned long long)r.checked,
           (unsigned long long)r.mismatches);
  return r.mismatches ? EXIT_FAIL : rc;
}

/* One configuration m of the campaign o, its row added to res and its
 * mismatches to *mismatches.  EXIT_OK or EXIT_FAIL. */
static int verify_config(const fp8sim_unit *m, const fp8_verify_opts *o, fp8_result *res,
                         uint64_t *mismatches)
{
  char err[300];
  fp8_verify_opts co = *o;
  co.seed = config_seed(o->seed, m->config);
  /* the units of the stimulus: in the result (shards of another stimulus do not merge)
     and, for a long run, the progress line's percentage */
  co.progress_units = count_units(m, &co);
  char label[160];
  if (o->level >= 3 || o->random > 10000000) {
    snprintf(label, sizeof label, "fp8lab verify: %s", m->config);
    co.progress = label;
  }
  fp8_verify *h = fp8_verify_alloc(m, &co, err, sizeof err);
  if (!h) {
    cli_error("verify", "%s", err);
    return EXIT_FAIL;
  }
  int rc = EXIT_OK;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  fp8_verify_run(h, &co);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  fp8_verify_result r = {0};
  if (fp8_verify_free(h, &r))
    rc = EXIT_FAIL;
  double secs = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
  *mismatches += r.mismatches;
  if (!add_row(res, m->config, m->top, &r, co.progress_units, secs, o->shard)) {
    cli_error("verify", "out of memory");
    rc = EXIT_FAIL;
  }
  return rc;
}

/* The campaign (or its --shard) over the chosen configurations: the result
 * table, and with --result its file, opened before the work so that a
 * missing folder fails now, not after it. */
static int verify_campaign(verify_cli *o)
{
  fp8_outfile rout;
  if (o->result && fp8_outfile_open(&rout, o->result))
    return EXIT_FAIL;
  if (!o->seeded)
    o->v.seed = cli_default_seed();
  if (!o->v.shard.n)
    o->v.shard = (fp8_shard){0, 1};
  char part[48] = "";
  if (o->v.shard.n > 1)
    snprintf(part, sizeof part, ", shard %u/%u", o->v.shard.k + 1, o->v.shard.n);
  fprintf(stderr, "fp8lab verify: seed %lu (level %d%s)\n", o->v.seed, o->v.level, part);
  fp8_result res = {.tool = "verify", .seed = o->v.seed, .shard = o->v.shard};
  snprintf(res.params, sizeof res.params, "level=%d random=%lld max-errors=%ld", o->v.level, o->v.random,
           o->v.max_errors);
  uint64_t mismatches = 0;
  int rc = EXIT_OK;
  for (const fp8sim_unit *m = fp8sim_units; m->top; m++) {
    bool wanted = o->nconfigs == 0;
    for (int i = 0; i < o->nconfigs; i++)
      wanted |= strcmp(o->configs[i], m->config) == 0;
    if (wanted && verify_config(m, &o->v, &res, &mismatches) != EXIT_OK)
      rc = EXIT_FAIL;
  }
  verify_result_report(&res, o->tsv);
  if (o->result && verify_result_write("verify", &rout, o->result, &res))
    rc = EXIT_FAIL;
  fp8_result_free(&res);
  return mismatches ? EXIT_FAIL : rc;
}

int cmd_verify(int argc, char **argv)
{
  verify_cli o;
  int rc = verify_parse(argc, argv, &o);
  if (rc >= 0 || (rc = verify_check_modes(&o)) >= 0)
    return rc;
  if (o.merge)
    return verify_merge("verify", argv + optind, argc - optind, o.result, o.tsv);
  if (optind < argc)
    return cli_usage_error("verify", "unexpected argument '%s' (verify takes options only)", argv[optind]);
  if (o.replay && (o.result || o.v.shard.n))
    return cli_usage_error("verify", "--replay takes no --shard or --result (a vector file is one unit)");
  if (!fp8sim_units[0].top)
    return no_models();
  if (o.list)
    return list_configs(o.tsv);
  if ((rc = verify_check_run(&o)) >= 0)
    return rc;
  if (o.coverage) {
    if (!o.seeded)
      o.v.seed = cli_default_seed();
    fprintf(stderr, "fp8lab verify: seed %lu (level %d, coverage)\n", o.v.seed, o.v.level);
    return cli_verify_coverage(o.configs, o.nconfigs, &o.v, o.tsv, config_seed);
  }
  return o.replay ? verify_replay_file(&o) : verify_campaign(&o);
}
