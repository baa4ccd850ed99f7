/* report.c - messages to the user and numbers in text (report.h). */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *fp8_report_progname = "fp8lab";

static int is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

char *fp8_printable(const char *s)
{
  size_t n = 1;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    n += is_control(*p) ? 4 : *p == '\\' ? 2 : 1;
  char *o = malloc(n), *q = o;
  if (!o)
    return NULL;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (is_control(*p))
      q += sprintf(q, "\\x%02x", *p);
    else if (*p == '\\')
      q += sprintf(q, "\\\\");
    else
      *q++ = (char)*p;
  }
  *q = 0;
  return o;
}

void fp8_vreport(const char *cmd, const char *fmt, va_list ap)
{
  fflush(stdout);
  if (cmd)
    fprintf(stderr, "%s %s: ", fp8_report_progname, cmd);
  else
    fprintf(stderr, "%s: ", fp8_report_progname);
  /* formatted first, then written byte by byte with the controls shown */
  va_list aq;
  va_copy(aq, ap);
  int n = vsnprintf(NULL, 0, fmt, aq);
  va_end(aq);
  char small[1024], *msg = n >= 0 && (size_t)n < sizeof small ? small : n >= 0 ? malloc((size_t)n + 1) : NULL;
  if (!msg) {
    fputs("(message lost: out of memory)", stderr);
  } else {
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    for (const unsigned char *p = (const unsigned char *)msg; *p; p++)
      if (is_control(*p) && *p != '\n')
        fprintf(stderr, "\\x%02x", *p);
      else
        fputc(*p, stderr);
    if (msg != small)
      free(msg);
  }
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
