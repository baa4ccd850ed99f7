/* gates_err.h - internal to the gates module: how its functions report errors. */
#ifndef FP8_GATES_ERR_H
#define FP8_GATES_ERR_H

#include <stddef.h>

/* Format a message into err (if err != NULL) and return -1. */
int fp8_gates_fail(char *err, size_t errlen, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

#endif
