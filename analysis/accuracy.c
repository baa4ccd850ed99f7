/* accuracy.c - bits of accuracy for (format, distribution, range method). */
#include "accuracy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "block_mse.h"
#include "lloydmax.h"
#include "mse.h"
#include "quant.h"

struct fp8_accuracy_workspace {
  double grid[1u << FP8_QUANT_GRID_MAX_BITS];
  fp8_block_mse_workspace *block;   /* allocated at the first block format */
};

const char *fp8_range_name(fp8_range r)
{
  return r == FP8_RANGE_MAX ? "max" : "mse";
}

int fp8_range_parse(const char *s, fp8_range *r)
{
  if (!strcmp(s, "mse"))
    *r = FP8_RANGE_MSE;
  else if (!strcmp(s, "max"))
    *r = FP8_RANGE_MAX;
  else
    return -1;
  return 0;
}

fp8_accuracy_workspace *fp8_accuracy_alloc(void)
{
  fp8_accuracy_workspace *w = malloc(sizeof *w);
  if (w)
    w->block = NULL;
  return w;
}

void fp8_accuracy_free(fp8_accuracy_workspace *w)
{
  if (w)
    fp8_block_mse_free(w->block);
  free(w);
}

int fp8_accuracy_format(fp8_accuracy_workspace *w, const fp8_format *f, const fp8_dist *d,
                        fp8_range range, double absmax, fp8_accuracy *out)
{
  size_t n = fp8_quant_grid(f, w->grid);
  if (n < 2)
    GSL_ERROR("format too wide for a grid (more than 16 bits) or with fewer than 2 values",
              GSL_EINVAL);
  if (range == FP8_RANGE_MAX) {
    out->scale = fp8_quant_scale_max(f, absmax);
    out->mse = fp8_mse_levels(d, w->grid, n, out->scale);
  } else {
    int st = fp8_mse_scale_search(d, w->grid, n, 0, &out->scale, &out->mse);
    if (st)
      return st;
  }
  out->cut = INFINITY;
  out->sigma = fp8_dist_sigma(d);
  out->bits = fp8_mse_bits(out->mse, out->sigma);
  return GSL_SUCCESS;
}

int fp8_accuracy_block(fp8_accuracy_workspace *w, const fp8_block_format *bf,
                       const fp8_dist *d, fp8_accuracy *out)
{
  if (!w->block && !(w->block = fp8_block_mse_alloc()))
    GSL_ERROR("out of memory", GSL_ENOMEM);
  double cut = INFINITY;
  out->scale = 1;
  if (bf->tensor) {
    cut = fp8_block_dist_amax(d, FP8_BLOCK_TENSOR_VALUES);
    out->scale = fp8_block_tensor_scale(bf, cut);
  }
  double err;
  int st = fp8_block_mse(w->block, bf, d, 1, cut, out->scale, &out->mse, &err);
  if (st)
    return st;
  out->cut = cut;
  out->sigma = fp8_block_cut_sigma(d, cut);
  out->bits = fp8_mse_bits(out->mse, out->sigma);
  return GSL_SUCCESS;
}

int fp8_accuracy_lloydmax(size_t nlevels, const fp8_dist *d, fp8_accuracy *out)
{
  fp8_lloydmax *lm = fp8_lloydmax_alloc(nlevels);
  if (!lm)
    GSL_ERROR("Lloyd-Max needs at least 2 levels (or memory ran out)", GSL_EINVAL);
  int st = fp8_lloydmax_solve(lm, d, 0, 0);
  out->scale = 1;
  out->mse = lm->mse;
  out->cut = INFINITY;
  out->sigma = fp8_dist_sigma(d);
  out->bits = fp8_mse_bits(lm->mse, out->sigma);
  fp8_lloydmax_free(lm);
  return st;
}
