/* bench_verify - throughput of the RTL cross-check (make bench).
 *
 * Per unit of the table (the MACs, n = 1, and the dot-product units):
 * cross-checked steps per second on a random sequence (Verilated step of n
 * products + golden step + compare of state and flags), and the wall time of
 * its level-1 stimulus; then the level-1 total, and the time to
 * Verilate and compile every top from scratch with 2 parallel jobs (the
 * build, reported apart).  Goals: >= 5 M checked MACs/s; level 1
 * under 3 minutes on 2 cores.  BENCH_VERIFY_NOBUILD=1 skips the build timing. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "verify.h"

static double now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* CPU time of this process: the machine may be shared, and the goal is about
 * what the harness costs, not about the neighbours. */
static double cpu(void)
{
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double build_seconds(void)
{
  char cmd[4096];
  snprintf(cmd, sizeof cmd,
           "set -e; d=$(mktemp -d); trap 'rm -rf \"$d\"' EXIT; "
           "ls %s/rtl/tops/mac_*.sv | xargs -P 2 -I{} sh -c "
           "'VERILATOR=%s CXX=\"%s\" SIM_CXXFLAGS=-O2 sh %s/sim/vbuild.sh \"$0\"/$(basename {} .sv).o "
           "$(basename {} .sv) {} %s' \"$d\"",
           FP8_SRCDIR, FP8_VERILATOR, FP8_CXX, FP8_SRCDIR, FP8_SRCDIR);
  double t0 = now();
  if (system(cmd) != 0)
    return -1;
  return now() - t0;
}

int main(void)
{
  fp8_verify_opts o = {.level = 1, .random = -1, .seed = 1, .max_errors = 10, .vecdir = NULL};
  const long long nrand = 2000000, nrand_dot = 200000;
  double l1_total = 0, l1_cpu = 0, rate_min = 1e300;
  printf("%-36s %11s %10s %10s %12s %10s %10s\n", "config", "rand steps", "steps/s cpu", "steps/s wall",
         "level-1 vec", "level-1 s", "l1 cpu s");
  for (const fp8sim_unit *m = fp8sim_units; m->top; m++) {
    char err[300];
    fp8_verify_result r = {0};
    fp8_verify_opts ro = o;
    ro.random = nrand;
    fp8_verify *v = fp8_verify_alloc(m, &ro, err, sizeof err);
    if (!v) {
      fprintf(stderr, "bench_verify: %s\n", err);
      return 1;
    }
    const long long nr = m->n == 1 ? nrand : nrand_dot;
    uint32_t a[FP8_DOT_MAX_N], b[FP8_DOT_MAX_N];
    double t0 = now(), c0 = cpu();
    for (long long i = 0; i < nr; i++) {
      for (int k = 0; k < m->n; k++) {
        uint32_t x = (uint32_t)(i * m->n + k);
        a[k] = (x * 2654435761u) & 0xff;
        b[k] = (x * 40503u >> 3) & 0xff;
      }
      fp8_verify_step(v, a, b);
    }
    double rate = (double)nr / (cpu() - c0), wrate = (double)nr / (now() - t0);
    fp8_verify_free(v, &r);
    v = fp8_verify_alloc(m, &o, err, sizeof err);
    t0 = now();
    c0 = cpu();
    fp8_verify_run(v, &o);
    double secs = now() - t0;
    double l1c = cpu() - c0;
    l1_cpu += l1c;
    fp8_verify_result r1 = {0};
    fp8_verify_free(v, &r1);
    l1_total += secs;
    if (m->n == 1 && rate < rate_min)
      rate_min = rate;
    printf("%-36s %11lld %9.2fM %10.2fM %12llu %10.2f %10.2f%s\n", m->config, nr, rate / 1e6,
           wrate / 1e6, (unsigned long long)r1.checked, secs, l1c,
           r.mismatches + r1.mismatches ? "  MISMATCH" : "");
  }
  printf("level 1, all configurations: %.1f s wall, %.1f s cpu (goal < 180 s); "
         "slowest MAC cross-check %.2f M steps/s cpu (goal >= 5)\n", l1_total, l1_cpu, rate_min / 1e6);
  const char *nb = getenv("BENCH_VERIFY_NOBUILD");
  if (!nb || !*nb) {
    double b = build_seconds();
    if (b < 0)
      printf("build of every top: FAILED\n");
    else
      printf("build of every top from scratch (Verilator + g++ -O2, 2 jobs): %.1f s wall\n", b);
  }
  return 0;
}
