/* cmd_figures.c - fp8lab figures: regenerate every table and plot.
 *
 * Each part is one run of fp8lab itself (/proc/self/exe) with its standard
 * output captured into an atomically written file, so a part that fails
 * leaves nothing half-written, the parts already done stay in place, and a
 * rerun overwrites cleanly.  The parts are exactly the commands a user would
 * type, which keeps the main job honest: it can only show what the CLI does. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "figures.h"
#include "plot.h"

static void usage(FILE *out)
{
  fprintf(out,
          "Usage: fp8lab figures [--out DIR] [--seed N] [--only PART[,PART...]] [--list]\n"
          "Regenerate every table and plot of the paper that fp8lab reproduces, and ours,\n"
          "into DIR (default results/), with an index.html that shows them all.\n\n"
          "  --out DIR     output folder (created if missing)\n"
          "  --seed N      seed for every random part (default: from the clock; printed)\n"
          "  --only LIST   run only these parts (see --list)\n"
          "  --list        list the parts and exit\n"
          "  --help        this text\n\n"
          "Progress goes to stderr. A part that fails is named; the others still run;\n"
          "the exit status is then 1.\n");
}

/* SIGINT/SIGTERM: pass the signal to the running part, which removes its own
 * temporaries (outfile.c); this process aborts its own.  Nothing is removed
 * by pattern: a user's notes.tmp.keep, or another run's temporaries in the
 * same folder, are never touched. */
static volatile sig_atomic_t interrupted;
static volatile pid_t running_child;

static void on_signal(int sig)
{
  interrupted = sig;
  if (running_child > 0)
    kill(running_child, SIGTERM);
}

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Run 'fp8lab ARGS...' with stdout into out_path (atomically, when non-NULL). */
static int run_part(const char *const *args, const char *out_path)
{
  fp8_outfile o = {0};
  if (out_path && fp8_outfile_open(&o, out_path))
    return -1;
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    cli_error("figures", "fork: %s", strerror(errno));
    if (out_path)
      fp8_outfile_abort(&o);
    return -1;
  }
  if (pid == 0) {
    if (out_path) {
      dup2(fileno(o.fp), STDOUT_FILENO);
    } else {                       /* a plot run: its table is already saved */
      int null = open("/dev/null", O_WRONLY);
      if (null >= 0)
        dup2(null, STDOUT_FILENO);
    }
    char *argv[32];
    int n = 0;
    argv[n++] = (char *)"fp8lab";
    for (; args[n - 1] && n < 31; n++)
      argv[n] = (char *)args[n - 1];
    argv[n] = NULL;
    execv("/proc/self/exe", argv);
    _exit(127);
  }
  running_child = pid;
  int st;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
    ;
  running_child = 0;
  int ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
  if (!out_path)
    return ok ? 0 : -1;
  if (!ok) {
    fp8_outfile_abort(&o);
    return -1;
  }
  return fp8_outfile_commit(&o);
}

static bool wanted(const char *only, const char *name)
{
  if (!only)
    return true;
  size_t n = strlen(name);
  for (const char *p = only; *p;) {
    size_t len = strcspn(p, ",");
    if (len == n && !strncmp(p, name, n))
      return true;
    p += len + (p[len] == ',');
  }
  return false;
}

static char *join(const char *dir, const char *leaf)
{
  size_t n = strlen(dir) + strlen(leaf) + 2;
  char *s = malloc(n);
  if (s)
    snprintf(s, n, "%s/%s", dir, leaf);
  return s;
}

/* The command line, as given. */
typedef struct figures_opts {
  const char *dir, *only;
  unsigned long seed;
  bool have_seed, list;
} figures_opts;

/* -1: go on; else the exit status (--help, a usage error). */
static int figures_parse(int argc, char **argv, figures_opts *o)
{
  static const struct option opts[] = {
    {"out", required_argument, NULL, 'o'}, {"seed", required_argument, NULL, 's'},
    {"only", required_argument, NULL, 'O'}, {"list", no_argument, NULL, 'l'},
    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  *o = (figures_opts){.dir = "results"};
  int c;
  while ((c = getopt_long(argc, argv, "o:s:O:lh", opts, NULL)) != -1) {
    switch (c) {
    case 'o': o->dir = optarg; break;
    case 's':
      if (cli_parse_seed("figures", optarg, &o->seed))
        return EXIT_USAGE;
      o->have_seed = true;
      break;
    case 'O': o->only = optarg; break;
    case 'l': o->list = true; break;
    case 'h': usage(stdout); return EXIT_OK;
    default: return cli_usage_error("figures", "unknown option");
    }
  }
  if (optind < argc)
    return cli_usage_error("figures", "unexpected argument '%s'", argv[optind]);
  return -1;
}

/* --only: every comma-separated name is a part.  0 or EXIT_USAGE (reported). */
static int check_only(const char *only, const fig_part *parts, size_t nparts)
{
  for (const char *p = only; p && *p;) {
    size_t len = strcspn(p, ",");
    bool known = false;
    for (size_t i = 0; i < nparts; i++)
      known |= strlen(parts[i].name) == len && !strncmp(parts[i].name, p, len);
    if (!known)
      return cli_usage_error("figures", "--only: unknown part '%.*s' (see 'fp8lab figures --list')",
                             (int)len, p);
    p += len + (p[len] == ',');
  }
  return 0;
}

static void catch_signals(void)
{
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}

/* One run of a part, its arguments expanded: @SEED the seed, @leaf DIR/leaf,
 * and without gnuplot no --plot FILE.  0 or -1. */
static int run_expanded(const fig_run *run, const char *dir, const char *seed, bool plots)
{
  const char *args[24];
  char *owned[24];
  int n = 0, no = 0;
  for (int k = 0; run->args[k] && n < 23; k++) {
    const char *a = run->args[k];
    if (!plots && !strcmp(a, "--plot") && run->args[k + 1]) {
      k++;                             /* and its file */
      continue;
    }
    if (!strcmp(a, "@SEED")) {
      args[n++] = seed;
    } else if (a[0] == '@') {          /* @leaf: a file in the output folder */
      owned[no] = join(dir, a + 1);
      args[n++] = owned[no++];
    } else {
      args[n++] = a;
    }
  }
  args[n] = NULL;
  char *out = run->stdout_to ? join(dir, run->stdout_to) : NULL;
  int rc = run_part(args, out);
  free(out);
  for (int k = 0; k < no; k++)
    free(owned[k]);
  return rc;
}

/* Every run of part p, stopping at the first that fails; the progress lines
 * say what became of it.  Its status (FIG_NOT_RUN: interrupted). */
static fig_status figure_part(const fig_part *p, const char *dir, const char *seed, bool plots,
                              int done, int total)
{
  if (p->available && !p->available()) {
    fprintf(stderr, "[%d/%d] %-11s skipped: %s\n", done, total, p->name, p->unavailable_why);
    return FIG_SKIPPED;
  }
  fprintf(stderr, "[%d/%d] %-11s %s ...\n", done, total, p->name, p->caption);
  double t0 = now_s();
  int bad = 0;
  for (int r = 0; r < FIG_MAX_RUNS && p->runs[r].args[0] && !bad; r++)
    bad = run_expanded(&p->runs[r], dir, seed, plots) != 0;
  double dt = now_s() - t0;
  if (interrupted) {
    fprintf(stderr, "[%d/%d] %-11s interrupted; finished parts are kept, nothing partial is left\n",
            done, total, p->name);
    return FIG_NOT_RUN;
  }
  if (bad) {
    fprintf(stderr, "[%d/%d] %-11s FAILED after %.1f s (its earlier outputs, if any, are kept)\n",
            done, total, p->name, dt);
    return FIG_FAILED;
  }
  fprintf(stderr, "[%d/%d] %-11s done in %.1f s\n", done, total, p->name, dt);
  return FIG_DONE;
}

int cmd_figures(int argc, char **argv)
{
  figures_opts o;
  int rc = figures_parse(argc, argv, &o);
  if (rc >= 0)
    return rc;
  size_t nparts;
  const fig_part *parts = fig_parts(&nparts);
  if (o.list) {
    for (size_t i = 0; i < nparts; i++)
      printf("%-12s %s\n", parts[i].name, parts[i].caption);
    return EXIT_OK;
  }
  if (check_only(o.only, parts, nparts))
    return EXIT_USAGE;
  if (!o.have_seed)
    o.seed = cli_default_seed();
  if (mkdir(o.dir, 0777) && errno != EEXIST) {
    cli_error("figures", "cannot create output folder '%s': %s", o.dir, strerror(errno));
    return EXIT_FAIL;
  }
  char seed[32];
  snprintf(seed, sizeof seed, "%lu", o.seed);
  fprintf(stderr, "fp8lab figures: writing into %s/ (seed %s)\n", o.dir, seed);
  catch_signals();
  /* Without gnuplot every table is still written; plots are skipped, said once. */
  bool plots = cli_gnuplot_program() != NULL;
  if (!plots)
    fprintf(stderr, "fp8lab figures: gnuplot not found (not on PATH, or FP8LAB_GNUPLOT not executable): "
            "plots are skipped, every table is still written\n");
  int failed = 0, done = 0, total = 0;
  for (size_t i = 0; i < nparts; i++)
    total += wanted(o.only, parts[i].name);
  fig_status *status = calloc(nparts, sizeof *status);
  for (size_t i = 0; i < nparts; i++) {
    if (!wanted(o.only, parts[i].name))
      continue;
    status[i] = figure_part(&parts[i], o.dir, seed, plots, ++done, total);
    if (status[i] == FIG_NOT_RUN) {
      free(status);
      return 128 + interrupted;
    }
    failed += status[i] == FIG_FAILED;
  }
  if (fig_write_index(o.dir, parts, status, nparts, seed))
    failed++;
  free(status);
  if (failed) {
    cli_error("figures", "%d part%s failed; see the messages above", failed, failed == 1 ? "" : "s");
    return EXIT_FAIL;
  }
  fprintf(stderr, "fp8lab figures: all done; open %s/index.html\n", o.dir);
  return EXIT_OK;
}
