/* tensors.h - bits of accuracy of formats on real tensors, with the
 * same quantizer and the same scale search as the distribution experiments.
 *
 * Each tensor (or each output channel of it) is an empirical distribution
 * (empirical.h); fp8_accuracy_format finds its scale exactly as `accuracy`
 * does for a pdf (FP8_RANGE_MSE: the global MSE-optimal scale; FP8_RANGE_MAX:
 * absmax onto the format's max).  The tensor is then quantized through the
 * codec (fp8_quant_channels, round-to-nearest-even, saturating) with those
 * scales, and
 *
 *   bits = -log2(RMSE / sigma),  RMSE over every element, sigma the tensor's
 *                                population standard deviation.
 *
 * The analytic MSE of the cell integration is kept beside the codec's: the
 * two agree to rounding (a check of the empirical moments).
 */
#ifndef FP8_TENSORS_H
#define FP8_TENSORS_H

#include <stddef.h>
#include <stdint.h>

#include "accuracy.h"
#include "format.h"

typedef struct fp8_tensor_stats {
  size_t n;
  double mean, sigma, rms, absmax;
  double kurtosis;        /* excess kurtosis (0 for a Gaussian); NaN if sigma == 0 */
} fp8_tensor_stats;

/* Statistics of x[0..n) (n >= 1; GSL's estimators). */
void fp8_tensors_stats(const double *x, size_t n, fp8_tensor_stats *s);

typedef enum fp8_granularity { FP8_GRAN_TENSOR, FP8_GRAN_CHANNEL, FP8_GRAN_BLOCK } fp8_granularity;

/* The output-channel axis of a weight of ndim dimensions read by op at input
 * slot `input` (ONNX): MatMul B [.., K, N] -> ndim-1; Gemm B -> transB ? 0 : 1;
 * ConvTranspose W [C, M/g, ..] -> 1; anything else (Conv W [M, C, ..], an
 * unknown consumer, PyTorch-style [out, in] arrays) -> 0.  -1 for ndim < 2
 * (vectors are scaled per tensor). */
int fp8_tensors_channel_axis(const char *op, int input, int trans_b, int ndim);

typedef struct fp8_tensor_result {
  double bits;            /* through the codec */
  double mse;             /* codec MSE over all elements */
  double mse_analytic;    /* cell integration at the same scales */
  size_t nscales;         /* 1 per tensor, dims[axis] per channel */
} fp8_tensor_result;

typedef struct fp8_tensors_workspace fp8_tensors_workspace;
/* Room for tensors of up to cap elements. */
fp8_tensors_workspace *fp8_tensors_alloc(size_t cap);
/* An upper bound on the bytes a workspace of cap elements and the calls on it
 * hold at their peak, for tensors of at most max_channels channels (their
 * largest dimension bounds it) and up to 16 formats: five doubles per
 * element, the exact scale search's events, the per-channel scales.  What a
 * caller adds to the model's bytes to bound the whole run. */
size_t fp8_tensors_workspace_bytes(size_t cap, size_t max_channels);
void fp8_tensors_free(fp8_tensors_workspace *w);

/* Bits of accuracy of formats f[0..nf) on x (shape dims[0..ndim), row-major,
 * count <= cap), scaled per tensor, or per channel along axis (axis < 0 or
 * ndim < 2: per tensor).  res[k] for f[k].  Returns 0, or a GSL error code
 * (GSL_EINVAL: NaN/Inf in the tensor, a zero sigma, a format wider than 16
 * bits, count > cap). */
int fp8_tensors_bits(fp8_tensors_workspace *w, const double *x, int ndim, const int64_t *dims,
                     fp8_granularity gran, int axis, fp8_range range,
                     const fp8_format *f, size_t nf, fp8_tensor_result *res);

/* Block scaling: bits of accuracy of formats f[0..nf) used as the
 * elements of block formats (block.h: block:elem=f[k]:scale=ue8m0:block=B:
 * rule=rule, the OCP MX scheme with the element of your choice), blocks of B
 * running along each output channel's values in the channel-major order of
 * fp8_tensors_bits (the reduction axis: MatMul weights [K, N] block along K;
 * axis < 0 or ndim < 2: the whole tensor one row).  No scale search: each
 * block's scale is the rule's.  res[k].mse_analytic is NaN (no cell
 * integration); res[k].nscales = channels * ceil(row length / B).  Returns 0,
 * or GSL_EINVAL (NaN/Inf, zero sigma, count > cap, a format that cannot be
 * an element: unsigned or wider than 16 bits). */
int fp8_tensors_bits_block(fp8_tensors_workspace *w, const double *x, int ndim, const int64_t *dims,
                           int axis, int block, int rule, const fp8_format *f, size_t nf,
                           fp8_tensor_result *res);

/* Where the best format changes with kurtosis: layers i with kurtosis k[i] and
 * high[i] (the best format has 3 or more exponent bits) or not.  The threshold
 * t minimising the layers on the wrong side of "high iff k >= t" (the midpoint
 * between two neighbouring kurtosis values); *agree = layers on the right side.
 * NaN when either class is empty. */
double fp8_tensors_change_point(const double *k, const int *high, size_t n, size_t *agree);

#endif
