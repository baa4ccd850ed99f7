/* error.c - the core library's one error-message helper (error.h). */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

int fp8_error_set(char *err, size_t errlen, const char *fmt, ...)
{
  if (err && errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return -1;
}
