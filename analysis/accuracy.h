/* accuracy.h - bits of accuracy of a format on a distribution (doc/DESIGN.md section 6),
 * the entry point for the accuracy table and the split explorer.
 *
 *   bits = -log2(RMSE / sigma),  sigma of the distribution as used.
 *
 * Range setting:
 *   FP8_RANGE_MSE  the scale minimising the expected MSE, found globally
 *                  (fp8_mse_scale_search);
 *   FP8_RANGE_MAX  the scale mapping absmax (the largest |x| of a calibration
 *                  sample, fp8_dist_sample_absmax) onto the format's max:
 *                  min-max post-training calibration.
 */
#ifndef FP8_ACCURACY_H
#define FP8_ACCURACY_H

#include <stddef.h>

#include "dist.h"
#include "format.h"

typedef enum fp8_range { FP8_RANGE_MSE, FP8_RANGE_MAX } fp8_range;

/* "mse" / "max"; parse returns 0 or -1. */
const char *fp8_range_name(fp8_range r);
int fp8_range_parse(const char *s, fp8_range *r);

typedef struct fp8_accuracy {
  double scale;   /* s in q(x) = s * decode(encode(x / s)); 1 for a Lloyd-Max codebook */
  double mse;     /* expected MSE, analytic */
  double bits;    /* -0.5 * log2(mse / sigma^2) */
  double sigma;   /* sigma of the values as used (fp8_dist_sigma, or conditioned on |x| <= cut) */
  double cut;     /* the values are |x| <= cut (INFINITY but for a tensor-scaled block format) */
} fp8_accuracy;

/* Workspace: room for the grid of any format up to 16 bits. */
typedef struct fp8_accuracy_workspace fp8_accuracy_workspace;
fp8_accuracy_workspace *fp8_accuracy_alloc(void);
void fp8_accuracy_free(fp8_accuracy_workspace *w);

/* Bits of accuracy of format f (at most 16 bits) on d.  absmax is used only
 * by FP8_RANGE_MAX.  Returns 0 or a GSL error code (format too wide). */
int fp8_accuracy_format(fp8_accuracy_workspace *w, const fp8_format *f, const fp8_dist *d,
                        fp8_range range, double absmax, fp8_accuracy *out);

/* Bits of accuracy of the block format bf on d (block_mse.h): each block's
 * scale by bf's rule (there is no range setting to choose), the element
 * errors integrated analytically.  out->scale is the tensor scale T used:
 * T = fp8_block_tensor_scale(bf, fp8_block_dist_amax(d, FP8_BLOCK_TENSOR_VALUES))
 * for a format with a tensor scale (NVFP4: the median largest magnitude A of
 * a 2^20-value tensor of d; the values are then d conditioned on |x| <= A,
 * out->cut = A, out->sigma theirs: block_mse.h), else 1.  Returns 0 or a GSL error code. */
struct fp8_block_format;
int fp8_accuracy_block(fp8_accuracy_workspace *w, const struct fp8_block_format *bf,
                       const fp8_dist *d, fp8_accuracy *out);

/* The Lloyd-Max bound with nlevels levels (>= 2).  Returns 0 or a GSL error
 * code (GSL_EMAXITER: not converged; out still holds the last codebook). */
int fp8_accuracy_lloydmax(size_t nlevels, const fp8_dist *d, fp8_accuracy *out);

#endif
