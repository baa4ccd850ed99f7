/* report.c - messages to the user and numbers in text (report.h). */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

const char *fp8_report_progname = "fp8lab";

void fp8_vreport(const char *cmd, const char *fmt, va_list ap)
{
  fflush(stdout);
  if (cmd)
    fprintf(stderr, "%s %s: ", fp8_report_progname, cmd);
  else
    fprintf(stderr, "%s: ", fp8_report_progname);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
}

void fp8_report(const char *cmd, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fp8_vreport(cmd, fmt, ap);
  va_end(ap);
}

void fp8_format_double(char *buf, size_t len, double x)
{
  if (isnan(x)) {
    snprintf(buf, len, "nan");
    return;
  }
  if (isinf(x)) {
    snprintf(buf, len, x < 0 ? "-inf" : "inf");
    return;
  }
  if (x == nearbyint(x) && fabs(x) < 1e16) {   /* whole numbers without exponents */
    snprintf(buf, len, "%.0f", x);
    if (signbit(x) && x == 0)
      snprintf(buf, len, "-0");
    return;
  }
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(buf, len, "%.*g", prec, x);
    if (strtod(buf, NULL) == x)
      return;
  }
}
