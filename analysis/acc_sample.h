/* acc_sample.h - the small sampler behind 'fp8lab accumulate': draw values from
 * a distribution with GSL, scale them to a format's range, encode them.
 * (A fuller distribution module is issue 6's; this one only feeds dot products.) */
#ifndef FP8_ACC_SAMPLE_H
#define FP8_ACC_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

#include "format.h"

typedef enum fp8_acc_dist_kind {
  FP8_ACC_DIST_UNIFORM,   /* U[-1, 1] */
  FP8_ACC_DIST_GAUSSIAN,  /* N(0, 1) */
  FP8_ACC_DIST_STUDENT_T  /* Student-t with nu degrees of freedom */
} fp8_acc_dist_kind;

typedef struct fp8_acc_dist {
  fp8_acc_dist_kind kind;
  double nu;              /* Student-t only, > 0 */
} fp8_acc_dist;

/* "uniform", "gaussian" (or "normal"), "student-t:nu=V".  0, or -1 + err. */
int fp8_acc_dist_parse(const char *s, fp8_acc_dist *d, char *err, size_t errlen);
void fp8_acc_dist_name(const fp8_acc_dist *d, char *buf, size_t len);

/* n codes of f: values drawn from d with r, scaled by s = max(f) / max|x| when
 * max_scale (the vector's largest magnitude maps to the format's largest
 * finite value: the paper's "max" range setting), else s = 1 (values as
 * drawn), then encoded RNE-saturating by fp8_codec_encode.  work holds n
 * doubles.  Deterministic for a given generator state. */
void fp8_acc_sample_codes(const fp8_format *f, const fp8_acc_dist *d, bool max_scale, gsl_rng *r,
                          double *work, uint16_t *codes, size_t n);

#endif
