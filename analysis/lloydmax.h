/* lloydmax.h - the optimal n-level quantizer of a distribution (Lloyd 1957/1982, Max 1960).
 *
 * The MSE-optimal codebook for X ~ d with n levels satisfies two conditions:
 * every threshold is the midpoint of its two levels, and every level is the
 * centroid E[X | X in its cell] (point masses at +-clip included).  Starting
 * from the Panter-Dite companding codebook (level density proportional to
 * p^(1/3), asymptotically optimal), the solver alternates the two conditions
 * with closed-form cell moments (fp8_dist_moments) until the MSE changes by
 * less than tol (relative) in one sweep.  It is the bound every n-level
 * format is compared to. */
#ifndef FP8_LLOYDMAX_H
#define FP8_LLOYDMAX_H

#include <stddef.h>

#include "dist.h"

typedef struct fp8_lloydmax {
  size_t n;            /* number of levels */
  double *levels;      /* n levels, ascending */
  double mse;          /* expected MSE of the final codebook */
  int iterations;      /* Lloyd sweeps taken */
  double *work;        /* internal */
} fp8_lloydmax;

/* Workspace for n >= 2 levels; NULL on bad n or no memory. */
fp8_lloydmax *fp8_lloydmax_alloc(size_t n);
void fp8_lloydmax_free(fp8_lloydmax *w);

/* Solve for d.  tol <= 0 means 1e-11; max_iter <= 0 means 200000.  Returns 0,
 * or GSL_EMAXITER when max_iter sweeps did not converge (levels and mse then
 * hold the last sweep, still a valid quantizer). */
int fp8_lloydmax_solve(fp8_lloydmax *w, const fp8_dist *d, double tol, int max_iter);

#endif
