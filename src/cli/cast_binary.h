/* cast_binary.h - the I/O path of 'fp8lab cast --binary': float32 <-> codes
 * between file descriptors, as fast as the kernel allows.
 *
 * Encode: little-endian float32 in; one byte per code out (formats of <= 8
 * bits), two little-endian bytes (9..16 bits).  Decode: the reverse, each code
 * to its exact float32 value (NaN codes to the quiet NaN 0x7fc00000 with the
 * code's sign bit, as ml_dtypes' astype(float32) does for its 8-bit types; a NaN
 * payload is not kept).
 * Input comes through mmap when it is a regular file, else read(); on
 * little-endian hosts the float32 (or 16-bit code) input is used in place and
 * the kernel writes the output buffer directly.  When the input is mapped and
 * the output takes pwrite (a regular file or device, not O_APPEND) each thread
 * converts one contiguous share in cache-sized pieces and writes each piece at
 * its own offset; otherwise (pipes, >>, unmapped input) the threads take
 * cache-sized pieces round robin, each reading, converting into its own reused
 * buffers and writing in turn, so I/O and conversion overlap and the pieces
 * come out in order.  A value's output depends on that value only, so the
 * bytes written do not depend on the number of threads (in ordered mode not
 * even after an error: every piece before the failing one, none after).
 */
#ifndef FP8_CAST_BINARY_H
#define FP8_CAST_BINARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "blockfile.h"
#include "codec.h"

typedef struct cast_bin {
  const fp8_format *f;
  const fp8_rounding *rc;
  double scale;             /* encode: x/scale in double, element by element, when != 1 */
  bool flags;               /* encode: count every flag (element by element) */
  bool decode;              /* codes -> float32 instead */
  int threads;              /* >= 1; stochastic rounding, scale and flags use one */
  unsigned long n;          /* out: values converted */
  unsigned long count[4];   /* out: inputs raising FP8_FLAG_INEXACT..INVALID (invalid always;
                               the others with flags) */
} cast_bin;

/* Validate what decode needs (every value of f exact in float32; at most 16
 * bits).  0, or -1 with a message naming the format. */
int cast_binary_check_decode(const char *cmd, const fp8_format *f, const char *spec);

/* Convert all of in_fd into out (flushed, then written through its descriptor).
 * Returns EXIT_OK, EXIT_FAIL (I/O; message printed) or EXIT_USAGE (input that
 * ends in a partial value, or a code outside the format: message printed). */
int cast_binary_run(const char *cmd, cast_bin *b, int in_fd, FILE *out);

#endif
