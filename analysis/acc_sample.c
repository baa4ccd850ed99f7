/* acc_sample.c - distribution choice and encoding for the accumulation experiment. */
#include "acc_sample.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>

#include "codec.h"

int fp8_acc_dist_parse(const char *s, fp8_acc_dist *d, char *err, size_t errlen)
{
  d->nu = 0;
  if (!strcmp(s, "uniform")) {
    d->kind = FP8_ACC_DIST_UNIFORM;
    return 0;
  }
  if (!strcmp(s, "gaussian") || !strcmp(s, "normal")) {
    d->kind = FP8_ACC_DIST_GAUSSIAN;
    return 0;
  }
  if (!strncmp(s, "student-t:nu=", 13)) {
    char *end;
    double nu = strtod(s + 13, &end);
    if (end != s + 13 && !*end && nu > 0 && isfinite(nu)) {
      d->kind = FP8_ACC_DIST_STUDENT_T;
      d->nu = nu;
      return 0;
    }
  }
  snprintf(err, errlen, "unknown distribution '%s' (expected uniform, gaussian or student-t:nu=V "
           "with V > 0)", s);
  return -1;
}

void fp8_acc_dist_name(const fp8_acc_dist *d, char *buf, size_t len)
{
  switch (d->kind) {
  case FP8_ACC_DIST_UNIFORM: snprintf(buf, len, "uniform"); break;
  case FP8_ACC_DIST_GAUSSIAN: snprintf(buf, len, "gaussian"); break;
  case FP8_ACC_DIST_STUDENT_T: snprintf(buf, len, "student-t:nu=%g", d->nu); break;
  }
}

void fp8_acc_sample_codes(const fp8_format *f, const fp8_acc_dist *d, bool max_scale, gsl_rng *r,
                          double *work, uint16_t *codes, size_t n)
{
  double big = 0;
  for (size_t i = 0; i < n; i++) {
    double x;
    switch (d->kind) {
    case FP8_ACC_DIST_UNIFORM: x = 2 * gsl_rng_uniform(r) - 1; break;
    case FP8_ACC_DIST_GAUSSIAN: x = gsl_ran_gaussian_ziggurat(r, 1.0); break;
    default: x = gsl_ran_tdist(r, d->nu); break;
    }
    work[i] = x;
    if (fabs(x) > big)
      big = fabs(x);
  }
  double s = max_scale && big > 0 ? fp8_format_max(f) / big : 1;
  for (size_t i = 0; i < n; i++)
    codes[i] = (uint16_t)fp8_codec_encode(f, work[i] * s, NULL, NULL);
}
