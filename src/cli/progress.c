/* progress.c - progress lines on stderr for runs longer than a second (cli.h). */
#include "cli.h"

#include <stdarg.h>
#include <time.h>

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

void cli_progress_start(cli_progress *p, const char *cmd)
{
  p->cmd = cmd;
  p->t0 = p->last = now_s();
}

void cli_progress_note(cli_progress *p, const char *fmt, ...)
{
  double t = now_s();
  if (t - p->t0 < 1.0 || t - p->last < 1.0)
    return;
  p->last = t;
  fflush(stdout);
  fprintf(stderr, "%s %s: ", fp8_report_progname, p->cmd);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, " (%.0f s)\n", t - p->t0);
}
