/* bench_cast_cli.c - 'fp8lab cast --binary' as a user runs it, whole process,
 * beside the kernel alone and ml_dtypes' astype, all in the same run.
 *
 * Usage: bench_cast_cli [MILLION_VALUES]   (default 40)
 * A file of N float32 (log-uniform magnitudes over 2^-14..2^10, both signs,
 * one NaN in 1000) is written to $TMPDIR; then, best of 3 each:
 *  - kernel: fp8_codec_encode_f32_u8 / _u16 (decode: the CLI's table lookup)
 *    in this process, one core, thread CPU time (so other load on the machine
 *    affects it less);
 *  - whole process: fp8lab cast --binary --to F --threads T < file > file2, for
 *    T = 1, 2: wall time, and for T = 1 the process's CPU time (user + system:
 *    every copy and page fault counted), then --decode back; and T = 2 into a
 *    pipe that this process drains;
 *  - the program run is the one 'make install' installs (libtool keeps it in
 *    .libs/, run with LD_LIBRARY_PATH=.libs, as libtool's build-tree wrapper
 *    script ./fp8lab runs it); the wrapper's own start-up (a shell and sed) is
 *    printed apart, measured on a one-value input beside the program's;
 *  - the ratio: whole-process CPU rate (1 thread) / kernel rate; on an idle
 *    machine the wall rate of 1 thread approaches the CPU rate;
 *  - ml_dtypes: numpy's x.astype(F) in-process (skipped with a note when
 *    python3 or ml_dtypes is missing).
 * Outputs of 1 and 2 threads are compared byte for byte.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_inputs.h"
#include "codec.h"

static double clock_s(clockid_t id)
{
  struct timespec ts;
  clock_gettime(id, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}
static double now(void) { return clock_s(CLOCK_MONOTONIC); }

/* Run fp8lab with stdin from in_path and stdout to out_path, or into a pipe
 * this process drains when out_path is NULL; wall and CPU seconds. */
static int run(const char *const *argv, const char *in_path, const char *out_path, double *wall,
               double *cpu)
{
  int fd[2] = {-1, -1};
  if (!out_path && pipe(fd))
    return -1;
  double t0 = now();
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    int in = open(in_path, O_RDONLY);
    int out = out_path ? open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600) : fd[1];
    if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0)
      _exit(126);
    if (!out_path)
      close(fd[0]);
    execv(argv[0], (char *const *)argv);
    _exit(127);
  }
  if (!out_path) {
    static char sink[1 << 20];
    close(fd[1]);
    while (read(fd[0], sink, sizeof sink) > 0)
      ;
    close(fd[0]);
  }
  int st;
  struct rusage ru;
  if (wait4(pid, &st, 0, &ru) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
    return -1;
  *wall = now() - t0;
  *cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
  return 0;
}

static int same_file(const char *a, const char *b)
{
  FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
  int same = fa && fb;
  while (same) {
    int ca = getc(fa), cb = getc(fb);
    same = ca == cb;
    if (ca == EOF)
      break;
  }
  if (fa)
    fclose(fa);
  if (fb)
    fclose(fb);
  return same;
}

/* ml_dtypes' astype rate in values/s, or 0 when it cannot be measured. */
static double mldtypes_rate(const char *path, const char *fmt, int decode)
{
  const char *py = getenv("PYTHON");
  char cmd[2048];
  snprintf(cmd, sizeof cmd,
           "'%s' -c \"import sys, time, numpy as np, ml_dtypes as m\n"
           "x = np.fromfile('%s', np.float32)\n"
           "dt = getattr(m, '%s')\n"
           "y = x.astype(dt)\n"
           "src, to = (y, np.float32) if %d else (x, dt)\n"
           "best = 1e9\n"
           "for _ in range(3):\n"
           "    t0 = time.perf_counter(); src.astype(to); best = min(best, time.perf_counter() - t0)\n"
           "print(x.size / best)\" 2>/dev/null",
           py && *py ? py : "python3", path, fmt, decode);
  FILE *p = popen(cmd, "r");
  double r = 0;
  if (!p || fscanf(p, "%lf", &r) != 1)
    r = 0;
  if (p)
    pclose(p);
  return r;
}

/* Start-up: one value through the program and through libtool's wrapper
 * script (median of 9 each, wall and CPU milliseconds). */
static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void startup(const char *wrapper, const char *prog, const char *dir)
{
  char one[4200], sink[4200];
  snprintf(one, sizeof one, "%s/one.f32", dir);
  snprintf(sink, sizeof sink, "%s/one.out", dir);
  FILE *fp = fopen(one, "wb");
  float v = 1.0f;
  if (!fp || fwrite(&v, sizeof v, 1, fp) != 1 || fclose(fp))
    return;
  printf("start-up, one value:");
  const char *progs[] = {prog, wrapper};
  for (int k = 0; k < (prog == wrapper ? 1 : 2); k++) {
    const char *args[] = {progs[k], "cast", "--binary", "--to", "float8_e4m3fn", NULL};
    double w[9], c[9];
    int r = 0;
    while (r < 9 && !run(args, one, sink, &w[r], &c[r]))
      r++;
    if (r < 9)
      return;
    qsort(w, 9, sizeof *w, cmp_double);
    qsort(c, 9, sizeof *c, cmp_double);
    printf("%s %s %.1f ms wall, %.1f ms CPU", k ? ";" : "",
           k ? "libtool's build-tree wrapper ./fp8lab" : "the program (as installed)", w[4] * 1e3,
           c[4] * 1e3);
  }
  printf("\n");
  unlink(one);
  unlink(sink);
}

int main(int argc, char **argv)
{
  double millions = argc > 1 ? atof(argv[1]) : 40;
  if (!(millions > 0 && millions <= 1000)) {
    fprintf(stderr, "usage: bench_cast_cli [MILLION_VALUES in (0, 1000]]\n");
    return 2;
  }
  size_t n = (size_t)(millions * 1e6);
  const char *tmpdir = getenv("TMPDIR");
  char dir[4096], in_path[4200], out1[4200], out2[4200], back[4200];
  snprintf(dir, sizeof dir, "%s/bench_cast_cli.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  snprintf(in_path, sizeof in_path, "%s/in.f32", dir);
  snprintf(out1, sizeof out1, "%s/out1", dir);
  snprintf(out2, sizeof out2, "%s/out2", dir);
  snprintf(back, sizeof back, "%s/back.f32", dir);
  float *x = malloc(n * sizeof *x);
  uint8_t *c8 = malloc(n);
  uint16_t *c16 = malloc(n * sizeof *c16);
  if (!x || !c8 || !c16)
    return 1;
  bench_fill_weights(x, n);
  for (size_t i = 0; i < n; i += 1000)
    x[i] = NAN;
  FILE *fp = fopen(in_path, "wb");
  if (!fp || fwrite(x, sizeof *x, n, fp) != n || fclose(fp)) {
    perror(in_path);
    return 1;
  }
  static const char *const fmts[] = {"float8_e4m3fn", "bf16"};
  static const char *const ml_names[] = {"float8_e4m3fn", "bfloat16"};
  const char *wrapper = FP8_ABS_BUILDDIR "/fp8lab", *fp8lab = wrapper;
  if (access(FP8_ABS_BUILDDIR "/.libs/fp8lab", X_OK) == 0) {   /* the program libtool installs */
    const char *old = getenv("LD_LIBRARY_PATH");
    char path[8192];
    snprintf(path, sizeof path, "%s%s%s", FP8_ABS_BUILDDIR "/.libs", old && *old ? ":" : "",
             old ? old : "");
    setenv("LD_LIBRARY_PATH", path, 1);
    fp8lab = FP8_ABS_BUILDDIR "/.libs/fp8lab";
  }
  long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
  printf("fp8lab cast --binary, whole process (fork+exec, file in, file or pipe out; best of 3), %zu values,\n"
         "beside the kernel alone (this process, one core) and ml_dtypes' astype (in-process), %ld cores\n",
         n, ncpu);
  startup(wrapper, fp8lab, dir);
  printf("%-14s %-7s %11s %13s %14s %14s %14s %14s %11s\n", "format", "dir", "kernel Mv/s",
         "CPU(1t) Mv/s", "wall(1t) Mv/s", "wall(2t) Mv/s", "pipe(2t) Mv/s", "ml_dtypes Mv/s",
         "CPU/kernel");
  int rc = 0;
  for (size_t k = 0; k < sizeof fmts / sizeof fmts[0]; k++) {
    fp8_format f;
    if (fp8_format_parse(fmts[k], &f, NULL, 0))
      return 1;
    float *table = malloc(((size_t)1 << f.bits) * sizeof *table);
    if (!table)
      return 1;
    for (uint32_t c = 0; c < (1u << f.bits); c++)
      table[c] = (float)fp8_codec_decode(&f, c);
    for (int decode = 0; decode <= 1; decode++) {
      double kbest = 1e9;
      for (int r = 0; r < 3; r++) {
        double t0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
        if (!decode) {
          if (f.bits <= 8)
            fp8_codec_encode_f32_u8(&f, x, c8, n, NULL, NULL);
          else
            fp8_codec_encode_f32_u16(&f, x, c16, n, NULL, NULL);
        } else {
          if (f.bits <= 8)                 /* the CLI's decode: a table lookup per code */
            for (size_t i = 0; i < n; i++)
              x[i] = table[c8[i]];
          else
            for (size_t i = 0; i < n; i++)
              x[i] = table[c16[i]];
        }
        double dt = clock_s(CLOCK_THREAD_CPUTIME_ID) - t0;
        kbest = dt < kbest ? dt : kbest;
      }
      if (decode) {   /* restore the input for the next format */
        FILE *rp = fopen(in_path, "rb");
        if (!rp || fread(x, sizeof *x, n, rp) != n)
          return 1;
        fclose(rp);
      }
      const char *src = decode ? out1 : in_path;
      double best[3] = {1e9, 1e9, 1e9}, cpu1 = 1e9, pipe2 = 1e9;
      for (int t = 1; t <= 2; t++) {
        char tt[16];
        snprintf(tt, sizeof tt, "%d", t);
        const char *args[] = {fp8lab, "cast", "--binary", "--to", fmts[k], "--threads", tt,
                              decode ? "--decode" : NULL, NULL};
        for (int r = 0; r < 3; r++) {
          double wall, cpu;
          const char *dst = decode ? back : (t == 1 ? out1 : out2);
          if (run(args, src, dst, &wall, &cpu)) {
            fprintf(stderr, "bench_cast_cli: %s cast failed\n", fmts[k]);
            return 1;
          }
          best[t] = wall < best[t] ? wall : best[t];
          if (t == 1)
            cpu1 = cpu < cpu1 ? cpu : cpu1;
        }
        if (decode && t == 1)
          rename(back, out2);
      }
      for (int r = 0; r < 3; r++) {   /* 2 threads into a pipe */
        const char *args[] = {fp8lab, "cast", "--binary", "--to", fmts[k], "--threads", "2",
                              decode ? "--decode" : NULL, NULL};
        double wall, cpu;
        if (run(args, src, NULL, &wall, &cpu)) {
          fprintf(stderr, "bench_cast_cli: %s cast into a pipe failed\n", fmts[k]);
          return 1;
        }
        pipe2 = wall < pipe2 ? wall : pipe2;
      }
      /* encode: 1 and 2 threads wrote the same bytes; decode: likewise */
      if (!same_file(decode ? out2 : out1, decode ? back : out2)) {
        fprintf(stderr, "bench_cast_cli: %s %s: 2 threads differ from 1\n", fmts[k],
                decode ? "decode" : "encode");
        rc = 1;
      }
      double ml = mldtypes_rate(in_path, ml_names[k], decode);
      char mls[32];
      if (ml > 0)
        snprintf(mls, sizeof mls, "%.1f", ml / 1e6);
      else
        snprintf(mls, sizeof mls, "skipped");
      printf("%-14s %-7s %11.1f %13.1f %14.1f %14.1f %14.1f %14s %10.2fx\n", fmts[k],
             decode ? "decode" : "encode", n / kbest / 1e6, n / cpu1 / 1e6, n / best[1] / 1e6,
             n / best[2] / 1e6, n / pipe2 / 1e6, mls, kbest / cpu1);
    }
    free(table);
  }
  if (mldtypes_rate(in_path, "float8_e4m3fn", 0) <= 0)
    printf("(ml_dtypes not measured: python3 with numpy and ml_dtypes not found)\n");
  unlink(in_path);
  unlink(out1);
  unlink(out2);
  unlink(back);
  rmdir(dir);
  free(x);
  free(c8);
  free(c16);
  return rc;
}
