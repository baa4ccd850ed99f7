/* acc_sample.h - the operands of 'fp8lab accumulate': values drawn from a
 * distribution (dist.h), scaled to a format's range (quant.h), encoded. */
#ifndef FP8_ACC_SAMPLE_H
#define FP8_ACC_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

#include "dist.h"
#include "format.h"

/* n codes of f: values drawn from d with r, plus mean (0: as drawn), scaled by s = max(f) / max|x| when
 * max_scale (the vector's largest magnitude maps to the format's largest
 * finite value: the paper's "max" range setting), else s = 1 (values as
 * drawn), then encoded RNE-saturating by fp8_codec_encode.  work holds n
 * doubles.  Deterministic for a given generator state. */
void fp8_acc_sample_codes(const fp8_format *f, const fp8_dist *d, double mean, bool max_scale, gsl_rng *r,
                          double *work, uint16_t *codes, size_t n);

#endif
