/* accumulate_block.h - accumulation error by length with block-scaled units
 * beside per-tensor ones ('fp8lab accumulate' with UNIT@BLOCKFORMAT entries).
 *
 * Each trial draws two vectors x, y of the longest length from a distribution
 * (dist.h; plus mean) and quantizes them for every unit:
 *   per-tensor units (block == NULL): codes of fmt, scaled so the vector's
 *     largest magnitude maps to fmt's max (max_scale; else unscaled), as
 *     fp8_acc_sample_codes does; the unit's estimate of x.y is its value
 *     times s_x * s_y;
 *   block units: the vector quantized by fp8_block_encode in blocks of B
 *     along it (one row; the NVFP4 tensor scale T from its largest magnitude),
 *     fed with its scale codes (fp8_dot_push_block); the estimate is the
 *     unit's value times T_x * T_y (the GEMM epilogue's scales).
 * At each length (a prefix of the same vectors) two relative errors:
 *   vs the quantized data: |estimate - sum q(x_i) q(y_i)| / |sum q q|, the
 *     accumulation's own error;
 *   vs the data: |estimate - sum x_i y_i| / |sum x y|, quantization and
 *     accumulation together.
 * The reference sums: every product exact (quantized products are exact
 * doubles; x_i y_i as the pair fl(x y) + fma(x, y, -fl(x y)), on x and y
 * scaled by powers of two when their products could overflow double, with
 * the estimate scaled alike: any finite data, e.g. --mean 1e300), added by
 * Neumaier's compensated summation: relative error near 2^-53 for these
 * well-conditioned sums, far below the errors measured.  Conventions of
 * accumulate.h: 0 when both are 0, +Inf when only the reference is 0 or the
 * unit holds Inf/NaN; median, max (+Inf largest) and a count of non-finite
 * errors (vs the quantized data) per length and unit. */
#ifndef FP8_ACCUMULATE_BLOCK_H
#define FP8_ACCUMULATE_BLOCK_H

#include <stdbool.h>
#include <stddef.h>

#include "block.h"
#include "dist.h"
#include "dot.h"

typedef struct fp8_accumulate_block_opts {
  fp8_format fmt;                          /* per-tensor units' input format */
  const fp8_dot_spec *accs;                /* the units */
  const fp8_block_format *const *blocks;   /* [nacc]: a block unit's format, NULL per tensor */
  int nacc;
  const size_t *lengths;                   /* increasing */
  int nlen;
  int trials;
  fp8_dist dist;
  double mean;
  bool max_scale;                          /* per-tensor units: scale to fmt's max */
  unsigned long seed;
} fp8_accumulate_block_opts;

/* Results, indexed [length * nacc + unit]. */
typedef struct fp8_accumulate_block_result {
  double *median, *max;             /* vs the quantized data */
  long *nonfinite;
  double *median_data, *max_data;   /* vs the data */
} fp8_accumulate_block_result;

fp8_accumulate_block_result *fp8_accumulate_block_alloc(int nlen, int nacc);
void fp8_accumulate_block_free(fp8_accumulate_block_result *r);

/* Run the experiment; progress (may be NULL) after each trial.  Returns 0, or
 * -1 with a message in err (a unit its format cannot feed, out of memory). */
int fp8_accumulate_block_run(const fp8_accumulate_block_opts *o, fp8_accumulate_block_result *res,
                             void (*progress)(int done, int total, void *arg), void *arg, char *err,
                             size_t errlen);

#endif
