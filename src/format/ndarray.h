/* ndarray.h - encode, decode and quantize strided n-dimensional arrays (numpy's
 * layout: any shape, byte strides of any sign), for bindings and other callers
 * that hold arrays they did not lay out themselves.
 *
 * Contract common to every function here:
 *  - in and out have the same ndim (0..FP8_ARRAY_MAX_DIMS) and shape; ndim 0
 *    is one element; an extent of 0 is an empty array (nothing is touched).
 *  - Where the rounding draws random bits (stochastic), elements are visited
 *    in C (row-major) order of the logical shape, so rc->rand64 is consumed
 *    as fp8_codec_encode does on the flattened array: a seed gives the codes
 *    the CLI gives.  Otherwise in the input's memory order (dimensions sorted
 *    by stride), so that a transposed view runs contiguously.
 *  - Runs that are contiguous in both arrays go straight through the array
 *    kernels (fp8_codec_encode_f32_*: the vectorized path); other runs are
 *    gathered into and scattered from a small stack buffer.  Nothing is
 *    allocated but decode's lookup table.
 *  - out must not overlap in unless it is the same elements in the same layout
 *    (quantize in place).
 *  - Every function is reentrant: no global state; flags are ORed into *flags
 *    (may be NULL).  On bad arguments it returns -1 with a message naming the
 *    bad value and what was expected in err, before writing anything; except
 *    that decode writes codes up to the first one that does not fit f.
 */
#ifndef FP8_NDARRAY_H
#define FP8_NDARRAY_H

#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "format.h"

#define FP8_ARRAY_MAX_DIMS 64    /* numpy's NPY_MAXDIMS */

typedef enum fp8_dtype {
  FP8_DTYPE_F32,   /* float (IEEE binary32) */
  FP8_DTYPE_F64,   /* double */
  FP8_DTYPE_U8,    /* codes of formats of <= 8 bits */
  FP8_DTYPE_U16    /* codes of formats of <= 16 bits */
} fp8_dtype;

typedef struct fp8_array {
  void *data;                 /* address of element (0, ..., 0) */
  int dtype;                  /* an fp8_dtype */
  int ndim;
  const ptrdiff_t *shape;     /* ndim extents, each >= 0 */
  const ptrdiff_t *strides;   /* ndim byte steps, any sign, 0 allowed in inputs */
} fp8_array;

/* Codes of f from floats: out[i] = fp8_codec_encode(f, in[i], rc, flags),
 * bit for bit.  in: F32 or F64; out: U8 (f->bits <= 8) or U16 (<= 16).
 * rc NULL: round to nearest even, saturating. */
int fp8_array_encode(const fp8_format *f, const fp8_array *in, const fp8_array *out,
                     const fp8_rounding *rc, unsigned *flags, char *err, size_t errlen);

/* Values of codes: out[i] = fp8_codec_decode(f, in[i]) (rounded to float for
 * F32 output, exact whenever the value is a float).  in: U8 or U16, every
 * code < 2^f->bits (else -1 naming the first code in C order that is not,
 * and its flat C-order index);
 * out: F32 or F64. */
int fp8_array_decode(const fp8_format *f, const fp8_array *in, const fp8_array *out,
                     char *err, size_t errlen);

/* Fake quantization: out[i] = s * decode(encode(in[i] / s)) in double
 * (fp8_quant_value), rounded to out's type.  nscales == 1: one scale for the
 * tensor; nscales == shape[0] (ndim >= 1): scales[c] for the elements with
 * first index c (per channel; move the channel axis first).  Every scale
 * finite and > 0.  in and out: F32 or F64; in place allowed. */
int fp8_array_quantize(const fp8_format *f, const fp8_array *in, const fp8_array *out,
                       const double *scales, size_t nscales, const fp8_rounding *rc,
                       unsigned *flags, char *err, size_t errlen);

/* The elements of in (F32 or F64) in C order as doubles: out[0..n), n the
 * element count of in (else -1).  For callers that need a private copy
 * (sorting, say) of an array of any layout. */
int fp8_array_to_f64(const fp8_array *in, double *out, size_t n, char *err, size_t errlen);

#endif
