/* format_describe.h - a descriptor's fields and derived limits as text, for
 * bindings that must not depend on the layout of struct fp8_format (a field
 * added to the descriptor is a line added here, and reaches Python without a
 * change there). */
#ifndef FP8_FORMAT_DESCRIBE_H
#define FP8_FORMAT_DESCRIBE_H

#include <stddef.h>

#include "format.h"

/* Writes "key=value\n" lines into buf (snprintf semantics: truncated to len,
 * always terminated when len > 0) and returns the length the full text needs.
 * Keys: name canonical bits ebits mbits bias special intenc subnormals
 * has_inf has_nan has_negzero emin emax max min_normal min_subnormal max_code
 * nan_code inf_code (-1 where there is none) finite_values product_bits
 * kulisch_bits.  Booleans are 0/1, doubles are %.17g (they read back exactly). */
size_t fp8_format_describe(const fp8_format *f, char *buf, size_t len);

/* sizeof(fp8_format): bindings allocate an opaque descriptor of this size and
 * fill it with fp8_format_parse. */
size_t fp8_format_sizeof(void);

#endif
