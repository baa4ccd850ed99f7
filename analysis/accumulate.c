/* accumulate.c - relative error of accumulators vs the exact sum, by length. */
#include "accumulate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "rng.h"

fp8_accumulate_result *fp8_accumulate_alloc(int nlen, int nacc)
{
  fp8_accumulate_result *r = calloc(1, sizeof *r);
  size_t n = (size_t)nlen * (size_t)nacc;
  if (!r)
    return NULL;
  r->median = calloc(n, sizeof *r->median);
  r->max = calloc(n, sizeof *r->max);
  r->nonfinite = calloc(n, sizeof *r->nonfinite);
  if (!r->median || !r->max || !r->nonfinite) {
    fp8_accumulate_free(r);
    return NULL;
  }
  return r;
}

void fp8_accumulate_free(fp8_accumulate_result *r)
{
  if (!r)
    return;
  free(r->median);
  free(r->max);
  free(r->nonfinite);
  free(r);
}

double fp8_accumulate_rel_error(double v, double exact)
{
  if (!isfinite(v))
    return INFINITY;
  if (exact == 0)
    return v == 0 ? 0 : INFINITY;
  return fabs(v - exact) / fabs(exact);
}

long fp8_accumulate_stats(double *v, int n, double *median, double *max)
{
  long nf = 0;
  for (int t = 0; t < n; t++)
    nf += !isfinite(v[t]);
  gsl_sort(v, 1, (size_t)n);   /* +Inf sorts last */
  *median = gsl_stats_median_from_sorted_data(v, 1, (size_t)n);
  *max = v[n - 1];
  return nf;
}

int fp8_accumulate_run(const fp8_accumulate_opts *o, fp8_accumulate_result *res,
                       void (*progress)(int, int, void *), void *arg, char *err, size_t errlen)
{
  int rc = -1;
  size_t n = o->lengths[o->nlen - 1];
  size_t cells = (size_t)o->nlen * (size_t)o->nacc;
  fp8_dot **units = calloc((size_t)o->nacc, sizeof *units);
  fp8_mac *ref = NULL;
  uint16_t *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
  double *work = malloc(n * sizeof *work);
  double *rel = malloc(cells * (size_t)o->trials * sizeof *rel);  /* [cell][trial] */
  gsl_rng *r = fp8_rng_alloc(o->seed);
  if (!units || !a || !b || !work || !rel || !r) {
    snprintf(err, errlen, "out of memory for dot products of length %zu", n);
    goto out;
  }
  fp8_acc_spec exact;
  memset(&exact, 0, sizeof exact);
  exact.kind = FP8_ACC_KULISCH;
  exact.width = FP8_MAC_KULISCH_MAX_BITS;
  if (!(ref = fp8_mac_alloc(&o->fmt, NULL, &exact, err, errlen)))
    goto out;
  fp8_block_format op;
  fp8_block_from_format(&o->fmt, &op);
  for (int k = 0; k < o->nacc; k++) {
    if (fp8_dot_splitk_check(&o->accs[k], err, errlen))
      goto out;
    units[k] = fp8_dot_alloc(&op, NULL, &o->accs[k], err, errlen);
    if (!units[k])
      goto out;
  }
  fp8_format f32;
  fp8_format_parse("fp32", &f32, NULL, 0);
  for (int t = 0; t < o->trials; t++) {
    fp8_acc_sample_codes(&o->fmt, &o->dist, o->mean, o->max_scale, r, work, a, n);
    fp8_acc_sample_codes(&o->fmt, &o->dist, o->mean, o->max_scale, r, work, b, n);
    fp8_mac_clear(ref);
    for (int k = 0; k < o->nacc; k++)
      fp8_dot_clear(units[k]);
    size_t done = 0;
    for (int l = 0; l < o->nlen; l++) {
      size_t len = o->lengths[l];
      fp8_mac_batch_u16(ref, a + done, b + done, len - done);
      for (int k = 0; k < o->nacc; k++)
        fp8_dot_push_u16(units[k], a + done, b + done, len - done);
      done = len;
      double ex = fp8_mac_value(ref);
      for (int k = 0; k < o->nacc; k++) {
        /* A unit that splits K (dot.h) reduces the whole prefix anew: its
         * chunks depend on the length.  Its value is the fp32 sum. */
        double v = fp8_dot_splitk_chunks(&o->accs[k], len, NULL) > 1
                   ? fp8_codec_decode(&f32, fp8_dot_splitk_u16(units[k], a, b, len, NULL))
                   : fp8_dot_value(units[k]);
        rel[((size_t)l * o->nacc + k) * o->trials + t] = fp8_accumulate_rel_error(v, ex);
      }
    }
    if (progress)
      progress(t + 1, o->trials, arg);
  }
  for (size_t c = 0; c < cells; c++)
    res->nonfinite[c] = fp8_accumulate_stats(rel + c * (size_t)o->trials, o->trials, &res->median[c],
                                             &res->max[c]);
  rc = 0;
out:
  fp8_mac_free(ref);
  if (units)
    for (int k = 0; k < o->nacc; k++)
      fp8_dot_free(units[k]);
  free(units);
  free(a);
  free(b);
  free(work);
  free(rel);
  if (r)
    gsl_rng_free(r);
  return rc;
}
