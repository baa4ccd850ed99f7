/* error.h - how the core library reports a failure: the function returns -1
 * (or NULL) and, when the caller passed a buffer, a message that names the bad
 * value and what was expected.  One helper for every module. */
#ifndef FP8_ERROR_H
#define FP8_ERROR_H

#include <stddef.h>

/* Format the message into err (ignored if err is NULL or errlen is 0); returns -1. */
int fp8_error_set(char *err, size_t errlen, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

#endif
