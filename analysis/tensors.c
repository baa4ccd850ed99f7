/* tensors.c - per-tensor and per-channel bits of accuracy on real data. */
#include "tensors.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_statistics_double.h>

#include "dist.h"
#include "empirical.h"
#include "mse.h"
#include "quant.h"

struct fp8_tensors_workspace {
  size_t cap;
  fp8_accuracy_workspace *acc;
  fp8_empirical *emp;
  double *rows;     /* channel-major copy */
  double *q;        /* quantized */
};

void fp8_tensors_stats(const double *x, size_t n, fp8_tensor_stats *s)
{
  s->n = n;
  s->mean = gsl_stats_mean(x, 1, n);
  s->sigma = sqrt(gsl_stats_variance_with_fixed_mean(x, 1, n, s->mean));
  s->rms = sqrt(gsl_stats_tss_m(x, 1, n, 0.0) / (double)n);
  s->absmax = fp8_quant_absmax(x, n);
  /* population moments throughout: E[(x-mean)^4] / sigma^4 - 3 */
  s->kurtosis = s->sigma > 0 ? gsl_stats_kurtosis_m_sd(x, 1, n, s->mean, s->sigma) : NAN;
}

int fp8_tensors_channel_axis(const char *op, int input, int trans_b, int ndim)
{
  if (ndim < 2)
    return -1;
  if (op && input == 1) {
    if (!strcmp(op, "MatMul"))
      return ndim - 1;
    if (!strcmp(op, "Gemm"))
      return trans_b ? 0 : 1;
    if (!strcmp(op, "ConvTranspose"))
      return 1;
  }
  return 0;
}

fp8_tensors_workspace *fp8_tensors_alloc(size_t cap)
{
  fp8_tensors_workspace *w = calloc(1, sizeof *w);
  if (!w)
    return NULL;
  w->cap = cap ? cap : 1;
  w->acc = fp8_accuracy_alloc();
  w->emp = fp8_empirical_alloc(w->cap);
  w->rows = malloc(w->cap * sizeof *w->rows);
  w->q = malloc(w->cap * sizeof *w->q);
  if (!w->acc || !w->emp || !w->rows || !w->q) {
    fp8_tensors_free(w);
    return NULL;
  }
  return w;
}

void fp8_tensors_free(fp8_tensors_workspace *w)
{
  if (!w)
    return;
  fp8_accuracy_free(w->acc);
  fp8_empirical_free(w->emp);
  free(w->rows);
  free(w->q);
  free(w);
}

/* rows[c*len + o*inner + i] = x[(o*nchan + c)*inner + i]. */
static void to_channel_major(const double *x, double *rows, size_t outer, size_t nchan,
                             size_t inner)
{
  size_t len = outer * inner;
  for (size_t o = 0; o < outer; o++)
    for (size_t c = 0; c < nchan; c++)
      memcpy(rows + c * len + o * inner, x + (o * nchan + c) * inner, inner * sizeof *x);
}

int fp8_tensors_bits(fp8_tensors_workspace *w, const double *x, int ndim, const int64_t *dims,
                     fp8_granularity gran, int axis, fp8_range range,
                     const fp8_format *f, size_t nf, fp8_tensor_result *res)
{
  size_t count = 1;
  for (int i = 0; i < ndim; i++)
    count *= (size_t)dims[i];
  if (count == 0 || count > w->cap)
    GSL_ERROR("tensor empty or larger than the workspace", GSL_EINVAL);
  fp8_tensor_stats st;
  fp8_tensors_stats(x, count, &st);
  if (!isfinite(st.sigma) || !(st.sigma > 0) || !isfinite(st.absmax))
    GSL_ERROR("tensor is constant or holds NaN/Inf: bits of accuracy are undefined", GSL_EINVAL);

  size_t nchan = 1, len = count;
  const double *rows = x;
  if (gran == FP8_GRAN_CHANNEL && ndim >= 2 && axis >= 0 && axis < ndim) {
    size_t outer = 1, inner = 1;
    for (int i = 0; i < axis; i++)
      outer *= (size_t)dims[i];
    for (int i = axis + 1; i < ndim; i++)
      inner *= (size_t)dims[i];
    nchan = (size_t)dims[axis];
    len = outer * inner;
    to_channel_major(x, w->rows, outer, nchan, inner);
    rows = w->rows;
  }
  double *scales = malloc(nf * nchan * sizeof *scales);   /* scales[k*nchan + c] */
  if (!scales)
    GSL_ERROR("out of memory", GSL_ENOMEM);
  for (size_t k = 0; k < nf; k++) {
    res[k].mse_analytic = 0;
    res[k].nscales = nchan;
  }
  for (size_t c = 0; c < nchan; c++) {   /* each channel sorted once, for every format */
    int e = fp8_empirical_set(w->emp, rows + c * len, len, 1);
    fp8_dist d;
    fp8_dist_empirical(&d, w->emp, NULL);
    for (size_t k = 0; k < nf && !e; k++) {
      fp8_accuracy a = {1, 0, 0};        /* an all-zero channel is exact at any scale */
      if (w->emp->absmax > 0)
        e = fp8_accuracy_format(w->acc, &f[k], &d, range, w->emp->absmax, &a);
      scales[k * nchan + c] = a.scale;
      res[k].mse_analytic += a.mse * (double)len / (double)count;
    }
    if (e) {
      free(scales);
      return e;
    }
  }
  for (size_t k = 0; k < nf; k++) {
    fp8_quant_channels(&f[k], scales + k * nchan, rows, w->q, nchan, len, NULL, NULL);
    double sum = 0;
    for (size_t i = 0; i < count; i++)
      sum += (rows[i] - w->q[i]) * (rows[i] - w->q[i]);
    res[k].mse = sum / (double)count;
    res[k].bits = fp8_mse_bits(res[k].mse, st.sigma);
  }
  free(scales);
  return GSL_SUCCESS;
}

typedef struct kv { double k; int high; } kv;

static int cmp_kv(const void *a, const void *b)
{
  double x = ((const kv *)a)->k, y = ((const kv *)b)->k;
  return (x > y) - (x < y);
}

double fp8_tensors_change_point(const double *k, const int *high, size_t n, size_t *agree)
{
  *agree = 0;
  kv *v = malloc((n ? n : 1) * sizeof *v);
  if (!v)
    return NAN;
  size_t m = 0, nhigh = 0;
  for (size_t i = 0; i < n; i++)
    if (isfinite(k[i])) {
      v[m++] = (kv){k[i], high[i] != 0};
      nhigh += high[i] != 0;
    }
  if (nhigh == 0 || nhigh == m) {
    free(v);
    return NAN;
  }
  qsort(v, m, sizeof *v, cmp_kv);
  /* threshold before index j: right = lows below + highs at or above */
  size_t lows_below = 0, highs_above = nhigh, best = 0;
  double t = NAN;
  for (size_t j = 0; j <= m; j++) {
    if (j == 0 || j == m || v[j].k > v[j - 1].k) {
      size_t right = lows_below + highs_above;
      if (right > best) {
        best = right;
        t = j == 0 ? v[0].k : j == m ? INFINITY : 0.5 * (v[j - 1].k + v[j].k);
      }
    }
    if (j < m) {
      if (v[j].high)
        highs_above--;
      else
        lows_below++;
    }
  }
  free(v);
  *agree = best;
  return t;
}
