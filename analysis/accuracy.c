/* accuracy.c - bits of accuracy for (format, distribution, range method). */
#include "accuracy.h"

#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "lloydmax.h"
#include "mse.h"
#include "quant.h"

struct fp8_accuracy_workspace {
  double grid[1u << FP8_QUANT_GRID_MAX_BITS];
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
  return malloc(sizeof(fp8_accuracy_workspace));
}

void fp8_accuracy_free(fp8_accuracy_workspace *w)
{
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
  out->bits = fp8_mse_bits(out->mse, fp8_dist_sigma(d));
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
  out->bits = fp8_mse_bits(lm->mse, fp8_dist_sigma(d));
  fp8_lloydmax_free(lm);
  return st;
}
