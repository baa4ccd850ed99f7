/* acc_sample.c - operands for the accumulation experiment. */
#include "acc_sample.h"

#include "codec.h"
#include "quant.h"

void fp8_acc_sample_codes(const fp8_format *f, const fp8_dist *d, double mean, bool max_scale, gsl_rng *r,
                          double *work, uint16_t *codes, size_t n)
{
  for (size_t i = 0; i < n; i++)
    work[i] = fp8_dist_sample(d, r) + mean;
  double big = fp8_quant_absmax(work, n);
  double s = max_scale && big > 0 ? fp8_quant_scale_max(f, big) : 1;
  for (size_t i = 0; i < n; i++)
    codes[i] = (uint16_t)fp8_codec_encode(f, work[i] / s, NULL, NULL);
}
