/* accumulate.h - accumulation error against dot-product length (the paper's
 * section 3.2: floating-point accumulators are "notoriously inaccurate" for
 * long sums), for any dot-product unit of dot.h on any operand of block.h:
 * a per-tensor format is the operand with no block scale (doc/DESIGN.md
 * section 2), so per-tensor and block-scaled units run one experiment.
 *
 * Each trial draws two vectors x, y of the longest length from a distribution
 * (dist.h; plus mean) and quantizes them for every unit through
 * fp8_block_encode, in blocks of B along the vector (one row):
 *   no block scale: the operand's tensor scale t is s = max(f) / max|x|
 *     (max_scale: the vector's largest magnitude maps to the format's largest
 *     finite value, the paper's "max" range setting) or 1 (values as drawn);
 *   block-scaled: t is the format's tensor scale (NVFP4's T from the vector's
 *     largest magnitude; 1 for MX), each block's scale by its rule;
 * and feeds the codes (with their scale codes) to the unit; its estimate of
 * x.y is its value times t_x t_y (the GEMM epilogue's scales).
 * At each length (a prefix of the same vectors; a unit's value at a length is
 * what its chain would return if K ended there) two relative errors:
 *   vs the quantized data: |value - sum q(x_i) q(y_i) / (t_x t_y)| / |...|,
 *     the accumulation's own error;
 *   vs the data: |estimate - sum x_i y_i| / |sum x y|, quantization and
 *     accumulation together.
 * The reference sums: every product exact (quantized products are exact
 * doubles; x_i y_i as the pair fl(x y) + fma(x, y, -fl(x y)), on x and y
 * scaled by powers of two when their products could overflow double, with
 * the estimate scaled alike: any finite data, e.g. --mean 1e300), added by
 * Neumaier's compensated summation: relative error near 2^-53 for these
 * well-conditioned sums, far below the errors measured.
 * Each error is 0 when both are 0, +Inf when only the reference is 0 or the
 * unit holds Inf or NaN.  Statistics over trials: median and maximum (+Inf
 * counted as the largest), and the number of non-finite errors (vs the
 * quantized data) per length and unit. */
#ifndef FP8_ACCUMULATE_H
#define FP8_ACCUMULATE_H

#include <stdbool.h>
#include <stddef.h>

#include "block.h"
#include "dist.h"
#include "dot.h"

typedef struct fp8_accumulate_opts {
  fp8_format fmt;              /* the operand of units without one in blocks */
  const fp8_dot_spec *accs;    /* accumulators / dot-product units to measure (dot.h) */
  int nacc;
  const size_t *lengths;       /* increasing */
  int nlen;
  int trials;
  fp8_dist dist;
  double mean;                 /* added to every drawn value (0: zero-mean data) */
  bool max_scale;              /* operands without a block scale: see above */
  unsigned long seed;
  const fp8_block_format *const *blocks;   /* [nacc] a unit's operand, NULL entries (or
                                              blocks NULL): fmt with no block scale */
} fp8_accumulate_opts;

/* Results, indexed [length * nacc + acc]. */
typedef struct fp8_accumulate_result {
  double *median, *max;             /* vs the quantized data */
  long *nonfinite;
  double *median_data, *max_data;   /* vs the data */
} fp8_accumulate_result;

fp8_accumulate_result *fp8_accumulate_alloc(int nlen, int nacc);
void fp8_accumulate_free(fp8_accumulate_result *r);

/* Run the experiment.  progress (may be NULL) is called after each trial.
 * Returns 0, or -1 with a message in err (a unit its operand cannot feed,
 * out of memory). */
int fp8_accumulate_run(const fp8_accumulate_opts *o, fp8_accumulate_result *res,
                       void (*progress)(int done, int total, void *arg), void *arg,
                       char *err, size_t errlen);

/* The relative error above (0 when both are 0, +Inf when only exact is 0 or
 * v is not finite). */
double fp8_accumulate_rel_error(double v, double exact);
/* Sort v[0..n-1] (+Inf last), write its median and maximum, return how many
 * are not finite. */
long fp8_accumulate_stats(double *v, int n, double *median, double *max);

#endif
