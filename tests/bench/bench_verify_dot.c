/* bench_verify_dot - throughput of the dot-product units' cross-check (make
 * bench, issue 13): per configuration, the level-1 stimulus of fp8lab verify
 * (seed 1) with its checked steps per second of CPU time (Verilated step of N
 * products + fp8_dot_step + compare) and its wall time; then the level-1
 * total (goal: under 2 minutes on 2 cores). */
#include <stdio.h>
#include <time.h>

#include "verify_dot.h"

static double clk(clockid_t id)
{
  struct timespec t;
  clock_gettime(id, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(void)
{
  fp8_verify_opts o = {.level = 1, .random = -1, .seed = 1, .max_errors = 10, .vecdir = NULL};
  double wall = 0, cpu = 0;
  printf("%-36s %10s %14s %10s %10s\n", "config", "steps", "dot-steps/s cpu", "wall s", "cpu s");
  for (const fp8sim_dot_model *m = fp8sim_dot_models; m->top; m++) {
    fp8_verify_result r = {0};
    double w0 = clk(CLOCK_MONOTONIC), c0 = clk(CLOCK_PROCESS_CPUTIME_ID);
    if (fp8_verify_dot_config(m, &o, &r))
      return 1;
    double w = clk(CLOCK_MONOTONIC) - w0, c = clk(CLOCK_PROCESS_CPUTIME_ID) - c0;
    wall += w;
    cpu += c;
    printf("%-36s %10llu %14.0f %10.2f %10.2f%s\n", m->config, (unsigned long long)r.checked,
           (double)r.checked / c, w, c, r.mismatches ? "  MISMATCH" : "");
  }
  printf("level 1, all dot-product units: %.1f s wall, %.1f s cpu (goal < 120 s)\n", wall, cpu);
  return 0;
}
