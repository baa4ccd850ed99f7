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
 * minimum over [s_lo, s_hi], with no scan spacing to miss a narrow minimum.
 * A and B are kept in double-double (Neumaier's two-sum): a wide format's
 * levels span 2^64 in their squares, and plain updates of B from n * max^2
 * down to the values near the optimum would cancel away every bit of it. */
#include "empirical.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

/* The first index of mids[0..n) with mids[i] >= v: the level index of a
 * value v (the count of midpoints below it; at a midpoint, the lower level,
 * as fp8_quant_grid_nearest). */
static size_t level_of(const double *mids, size_t n, double v)
{
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (mids[mid] < v)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* Events ascending by s: an LSD radix sort on the bits of s (positive
 * doubles order as their bit patterns), a byte a pass, skipping the bytes all
 * keys share (the exponent's, mostly).  qsort's calls through a comparison
 * made the sweep eight times slower than the scan it replaces. */
static int sort_events(event *ev, size_t n)
{
  event *tmp = malloc((n ? n : 1) * sizeof *tmp);
  if (!tmp)
    return -1;
  for (int shift = 0; shift < 64; shift += 8) {
    size_t count[257] = {0};
    for (size_t i = 0; i < n; i++) {
      uint64_t k;
      memcpy(&k, &ev[i].s, sizeof k);
      count[((k >> shift) & 0xff) + 1]++;
    }
    bool one = false;
    for (int b = 1; b <= 256; b++)
      one |= count[b] == n;
    if (one)
      continue;
    for (int b = 1; b <= 256; b++)
      count[b] += count[b - 1];
    for (size_t i = 0; i < n; i++) {
      uint64_t k;
      memcpy(&k, &ev[i].s, sizeof k);
      tmp[count[(k >> shift) & 0xff]++] = ev[i];
    }
    memcpy(ev, tmp, n * sizeof *ev);
  }
  free(tmp);
  return 0;
}

int fp8_empirical_scale_exact(const fp8_empirical *e, const double *levels, size_t nl,
                              double s_lo, double s_hi, double *scale, double *mse)
{
  if (nl < 2 || e->n == 0 || !(s_lo > 0) || !(s_hi > s_lo) || isinf(s_hi))
    return GSL_EINVAL;
  size_t nm = nl - 1;
  double *mids = malloc(nm * sizeof *mids);
  if (!mids)
    return GSL_ENOMEM;
  for (size_t j = 0; j < nm; j++)
    mids[j] = 0.5 * (levels[j] + levels[j + 1]);
  /* Pass 1: how many midpoints each value crosses between s_lo and s_hi
   * (its level at s is level_of(x / s): it walks from level_of(x / s_lo) to
   * level_of(x / s_hi), one event per midpoint), bounded before any memory. */
  size_t nev = 0;
  for (size_t i = 0; i < e->n; i++) {
    size_t a = level_of(mids, nm, e->x[i] / s_lo), b = level_of(mids, nm, e->x[i] / s_hi);
    nev += a > b ? a - b : b - a;
    if (nev > FP8_EMPIRICAL_EXACT_MAX) {
      free(mids);
      return GSL_EINVAL;
    }
  }
  event *ev = malloc((nev ? nev : 1) * sizeof *ev);
  if (!ev) {
    free(mids);
    return GSL_ENOMEM;
  }
  /* Pass 2: the sums at s_lo and the events.  A positive x walks down
   * (crossing m_j moves it from level j+1 to j), a negative x up. */
  dd A = {0, 0}, B = {0, 0};
  double C = 0;
  size_t k = 0;
  for (size_t i = 0; i < e->n; i++) {
    double x = e->x[i];
    size_t a = level_of(mids, nm, x / s_lo), b = level_of(mids, nm, x / s_hi);
    dd_add(&A, x * levels[a]);
    dd_add(&B, levels[a] * levels[a]);
    C += x * x;
    for (size_t j = a; j > b; j--)       /* x > 0: down through m_{j-1} */
      ev[k++] = (event){x / mids[j - 1], x, (uint32_t)j, (uint32_t)(j - 1)};
    for (size_t j = a; j < b; j++)       /* x < 0: up through m_j */
      ev[k++] = (event){x / mids[j], x, (uint32_t)j, (uint32_t)(j + 1)};
  }
  free(mids);
  if (sort_events(ev, nev)) {
    free(ev);
    return GSL_ENOMEM;
  }
  double best_f = INFINITY, best_s = 0, lo = s_lo;
  for (size_t q = 0; q <= nev; q++) {
    double hi = q < nev ? fmin(fmax(ev[q].s, lo), s_hi) : s_hi;
    double a = dd_value(A), b = dd_value(B);
    if (b > 0 && hi >= lo) {
      double s = fmin(fmax(a / b, lo), hi);
      double f = C - 2 * s * a + s * s * b;
      if (f < best_f) {
        best_f = f;
        best_s = s;
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
