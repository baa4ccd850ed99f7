/* quant_search.h - the MSE-optimal scale of a tensor: `accuracy`'s global scale
 * search (fp8_mse_search: a log-spaced scan, then GSL's Brent minimiser on the
 * best few minima) on the empirical distribution of the data instead of a
 * model distribution.
 *
 * The tensor's finite values become an empirical distribution (empirical.h:
 * the cell integrals of fp8_mse_levels read from prefix sums of the sorted
 * values), so the search is fp8_mse_scale_search itself, the same code as
 * `accuracy` and `tensors`.  The MSE reported at the chosen scale is
 * recomputed through the codec (fp8_quant_value, RNE, saturating).
 *
 * Like every analysis entry point it reports through GSL: callers that must
 * not abort turn GSL's default handler off (the CLI and the Python package do).
 */
#ifndef FP8_QUANT_SEARCH_H
#define FP8_QUANT_SEARCH_H

#include <stddef.h>

#include "format.h"
#include "ndarray.h"

/* x: F32 or F64 array of any layout; NaNs are ignored, an Inf is an error.
 * f at most FP8_QUANT_GRID_MAX_BITS bits.  An empty or all-zero x gives scale 1
 * (as fp8_quant_scale_max) and MSE 0.  Returns 0, or -1 with a message naming
 * the bad value and what was expected in err. */
int fp8_quant_search_mse(const fp8_format *f, const fp8_array *x, double *scale, double *mse,
                         char *err, size_t errlen);

#endif
