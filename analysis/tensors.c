/* tensors.c - per-tensor and per-channel bits of accuracy on real data. */
#include "tensors.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_statistics_double.h>

#include "block.h"
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

size_t fp8_tensors_workspace_bytes(size_t cap, size_t max_channels)
{
  /* empirical's x, p1, p2 and the rows and q copies: five doubles a value;
   * the exact search sorts at most FP8_EMPIRICAL_EXACT_MAX events of three
   * words (empirical_exact.c) with as many again for the radix sort's
   * buffer; a scale per channel and format; a MiB for the fixed parts. */
  size_t c = cap ? cap : 1, ch = max_channels ? max_channels : 1;
  if (c > SIZE_MAX / 256 || ch > SIZE_MAX / 256)
    return SIZE_MAX;
  return 5 * sizeof(double) * (c + 1) + 2 * FP8_EMPIRICAL_EXACT_MAX * 3 * sizeof(double) +
         16 * sizeof(double) * ch + ((size_t)1 << 20);
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

/* The tensor's element count (checked against the workspace) and sigma,
 * and its rows: per channel along axis (channel-major, in w->rows) when
 * per_channel, else x as one row.  Returns 0 or GSL_EINVAL. */
static int tensor_rows(fp8_tensors_workspace *w, const double *x, int ndim, const int64_t *dims,
                       bool per_channel, int axis, size_t *count, double *sigma, const double **rows,
                       size_t *nchan, size_t *len)
{
  *count = 1;
  for (int i = 0; i < ndim; i++)
    *count *= (size_t)dims[i];
  if (*count == 0 || *count > w->cap)
    GSL_ERROR("tensor empty or larger than the workspace", GSL_EINVAL);
  fp8_tensor_stats st;
  fp8_tensors_stats(x, *count, &st);
  if (!isfinite(st.sigma) || !(st.sigma > 0) || !isfinite(st.absmax))
    GSL_ERROR("tensor is constant or holds NaN/Inf: bits of accuracy are undefined", GSL_EINVAL);
  *sigma = st.sigma;
  *nchan = 1;
  *len = *count;
  *rows = x;
  if (per_channel && ndim >= 2 && axis >= 0 && axis < ndim) {
    size_t outer = 1, inner = 1;
    for (int i = 0; i < axis; i++)
      outer *= (size_t)dims[i];
    for (int i = axis + 1; i < ndim; i++)
      inner *= (size_t)dims[i];
    *nchan = (size_t)dims[axis];
    *len = outer * inner;
    to_channel_major(x, w->rows, outer, *nchan, inner);
    *rows = w->rows;
  }
  return GSL_SUCCESS;
}

/* MSE of q against rows over count values. */
static double mse_of(const double *rows, const double *q, size_t count)
{
  double sum = 0;
  for (size_t i = 0; i < count; i++)
    sum += (rows[i] - q[i]) * (rows[i] - q[i]);
  return sum / (double)count;
}

int fp8_tensors_bits_block(fp8_tensors_workspace *w, const double *x, int ndim, const int64_t *dims,
                           int axis, int block, int rule, const fp8_format *f, size_t nf,
                           fp8_tensor_result *res)
{
  size_t count, nchan, len;
  double sigma;
  const double *rows;
  int e = tensor_rows(w, x, ndim, dims, true, axis, &count, &sigma, &rows, &nchan, &len);
  if (e)
    return e;
  if (block < 1 || block > FP8_BLOCK_MAX || rule < 0 || rule >= FP8_BLOCK_NRULES)
    GSL_ERROR("block size or rule out of range", GSL_EINVAL);
  fp8_block_format bf;
  if (fp8_block_parse("block:elem=int8", &bf, NULL, 0))   /* E8M0 scales; elem replaced below */
    GSL_ERROR("block descriptor", GSL_EFAILED);
  bf.block = block;
  bf.rule = (fp8_block_rule)rule;
  for (size_t k = 0; k < nf; k++) {
    if (f[k].bits > 16 || f[k].is_unsigned)
      GSL_ERROR("a block element format must be signed and at most 16 bits", GSL_EINVAL);
    bf.elem = f[k];
    fp8_block_quant_rows(&bf, 1.0, rows, w->q, nchan, len, NULL, NULL);
    res[k].mse = mse_of(rows, w->q, count);
    res[k].bits = fp8_mse_bits(res[k].mse, sigma);
    res[k].mse_analytic = NAN;
    res[k].nscales = nchan * ((len + (size_t)block - 1) / (size_t)block);
  }
  return GSL_SUCCESS;
}

int fp8_tensors_bits(fp8_tensors_workspace *w, const double *x, int ndim, const int64_t *dims,
                     fp8_granularity gran, int axis, fp8_range range,
                     const fp8_format *f, size_t nf, fp8_tensor_result *res)
{
  size_t count, nchan, len;
  double sigma;
  const double *rows;
  int e0 = tensor_rows(w, x, ndim, dims, gran == FP8_GRAN_CHANNEL, axis, &count, &sigma, &rows, &nchan,
                       &len);
  if (e0)
    return e0;
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
      fp8_accuracy a = {.scale = 1};      /* an all-zero channel is exact at any scale */
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
    res[k].mse = mse_of(rows, w->q, count);
    res[k].bits = fp8_mse_bits(res[k].mse, sigma);
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
