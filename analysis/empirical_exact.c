/* empirical_exact.c - the exact MSE-optimal scale of a sample (empirical.h).
 *
 * On a sample, E[(X - q_s(X))^2] is a piecewise quadratic of s: value x_i is
 * quantized to level l_k(i) as long as x_i / s stays between the two
 * midpoints around l_k, so the assignment changes only at the breakpoints
 * s = x_i / m_j (m_j a midpoint of the same sign as x_i), and between two
 * breakpoints MSE(s) = (C - 2 s A + s^2 B) / n with A = sum x_i l_k(i),
 * B = sum l_k(i)^2, C = sum x_i^2.  The curve is continuous (at a breakpoint
 * the two levels are equally far), so the global minimum is the least of the
 * pieces' minima, each at A/B clamped into its piece.  One sweep over the
 * sorted breakpoints updates A and B as single values change level: the
 * minimum over all s > 0, with no scan spacing to miss a narrow minimum.
 * A and B are kept in double-double (Neumaier's two-sum): a wide format's
 * levels span 2^64 in their squares, and plain updates of B from n * max^2
 * down to the values near the optimum would cancel away every bit of it. */
#include "empirical.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct event {
  double s;        /* the breakpoint x_i / m_j */
  double x;        /* x_i */
  uint32_t from, to;
} event;

typedef struct dd { double hi, lo; } dd;

static void dd_add(dd *a, double v)
{
  double s = a->hi + v, bb = s - a->hi;
  a->lo += (a->hi - (s - bb)) + (v - bb);
  a->hi = s;
}

static double dd_value(dd a) { return a.hi + a.lo; }

static int cmp_event(const void *a, const void *b)
{
  double x = ((const event *)a)->s, y = ((const event *)b)->s;
  return (x > y) - (x < y);
}

int fp8_empirical_scale_exact(const fp8_empirical *e, const double *levels, size_t nl,
                              double *scale, double *mse)
{
  if (nl < 2 || e->n == 0)
    return GSL_EINVAL;
  size_t npos_mid = 0, nneg_mid = 0, npos = 0, nneg = 0;
  for (size_t j = 0; j + 1 < nl; j++) {
    double m = 0.5 * (levels[j] + levels[j + 1]);
    npos_mid += m > 0;
    nneg_mid += m < 0;
  }
  for (size_t i = 0; i < e->n; i++) {
    npos += e->x[i] > 0;
    nneg += e->x[i] < 0;
  }
  /* the sizes are bounded before they are multiplied */
  if (npos_mid > FP8_EMPIRICAL_EXACT_MAX || nneg_mid > FP8_EMPIRICAL_EXACT_MAX ||
      (npos && npos_mid > FP8_EMPIRICAL_EXACT_MAX / npos) ||
      (nneg && nneg_mid > FP8_EMPIRICAL_EXACT_MAX / nneg) ||
      npos * npos_mid + nneg * nneg_mid > FP8_EMPIRICAL_EXACT_MAX)
    return GSL_EINVAL;
  size_t nev = npos * npos_mid + nneg * nneg_mid, k = 0;
  event *ev = malloc((nev ? nev : 1) * sizeof *ev);
  if (!ev)
    return GSL_ENOMEM;
  /* As s grows from 0, a positive x walks down from the top level, a
   * negative x up from the bottom one; zeros sit at the level nearest 0. */
  dd A = {0, 0}, B = {0, 0};
  double C = 0;
  size_t izero = 0;
  for (size_t j = 1; j < nl; j++)
    if (fabs(levels[j]) < fabs(levels[izero]))
      izero = j;
  for (size_t i = 0; i < e->n; i++) {
    double x = e->x[i];
    size_t at = x > 0 ? nl - 1 : x < 0 ? 0 : izero;
    dd_add(&A, x * levels[at]);
    dd_add(&B, levels[at] * levels[at]);
    C += x * x;
    for (size_t j = 0; j + 1 < nl; j++) {
      double m = 0.5 * (levels[j] + levels[j + 1]);
      if (x > 0 && m > 0)
        ev[k++] = (event){x / m, x, (uint32_t)(j + 1), (uint32_t)j};
      else if (x < 0 && m < 0)
        ev[k++] = (event){x / m, x, (uint32_t)j, (uint32_t)(j + 1)};
    }
  }
  qsort(ev, nev, sizeof *ev, cmp_event);
  double best_f = INFINITY, best_s = 0, lo = 0;
  for (size_t q = 0; q <= nev; q++) {
    double hi = q < nev ? ev[q].s : INFINITY;
    double a = dd_value(A), b = dd_value(B);
    if (b > 0 && hi > lo) {
      double s = fmin(fmax(a / b, lo), hi);
      if (s > 0 && isfinite(s)) {
        double f = C - 2 * s * a + s * s * b;
        if (f < best_f) {
          best_f = f;
          best_s = s;
        }
      }
    }
    if (q < nev) {
      double lf = levels[ev[q].from], lt = levels[ev[q].to];
      dd_add(&A, ev[q].x * lt);
      dd_add(&A, -ev[q].x * lf);
      dd_add(&B, lt * lt);
      dd_add(&B, -lf * lf);
      lo = hi;
    }
  }
  free(ev);
  if (!(best_s > 0))
    return GSL_EINVAL;
  *scale = best_s;
  *mse = fmax(best_f, 0) / (double)e->n;
  return GSL_SUCCESS;
}
