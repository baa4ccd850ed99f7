/* accumulate.h - accumulation error against dot-product length (the paper's
 * section 3.2: floating-point accumulators are "notoriously inaccurate" for
 * long sums).
 *
 * For each trial, two code vectors of the longest length are drawn (acc_sample.h)
 * and fed to every accumulator (any dot-product unit of dot.h: the per-step
 * MACs and the tensor-core presets; a unit's value at a length is what its
 * chain would return if K ended there; a unit whose splitk cuts K, the split
 * reduction of dot.h over the prefix) and to an exact reference (a Kulisch unit of
 * the maximum width, which cannot wrap at these lengths); at each length in
 * the list (a prefix of the same vectors) the relative error
 *     |value(acc) - exact| / |exact|
 * is recorded (0 when both are 0, +Inf when only exact is 0, +Inf when the
 * accumulator holds Inf or NaN).  Statistics over trials: median and maximum
 * (with +Inf counted as the largest), and the number of non-finite errors
 * (the accumulator overflowed or gave NaN, or the exact sum was 0 and it was not). */
#ifndef FP8_ACCUMULATE_H
#define FP8_ACCUMULATE_H

#include <stddef.h>

#include "acc_sample.h"
#include "dot.h"
#include "mac.h"

typedef struct fp8_accumulate_opts {
  fp8_format fmt;              /* input format of a and b */
  const fp8_dot_spec *accs;    /* accumulators / dot-product units to measure (dot.h) */
  int nacc;
  const size_t *lengths;       /* increasing */
  int nlen;
  int trials;
  fp8_dist dist;
  double mean;                 /* added to every drawn value (0: zero-mean data) */
  bool max_scale;              /* see fp8_acc_sample_codes */
  unsigned long seed;
} fp8_accumulate_opts;

/* Results, indexed [length * nacc + acc]. */
typedef struct fp8_accumulate_result {
  double *median, *max;
  long *nonfinite;
} fp8_accumulate_result;

fp8_accumulate_result *fp8_accumulate_alloc(int nlen, int nacc);
void fp8_accumulate_free(fp8_accumulate_result *r);

/* Run the experiment.  progress (may be NULL) is called after each trial.
 * Returns 0, or -1 with a message in err (an accumulator the inputs cannot
 * feed, out of memory). */
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
