/* block_mse.h - expected squared error of a block-scaled format on a
 * distribution, analytically (doc/DESIGN.md section 6).
 *
 * Model: a block holds B iid values Y = a*X (X from the distribution d, a > 0
 * its overall scale).  Their largest magnitude M has CDF F(m)^B, F the CDF of
 * |Y|; the block's scale is a function of M alone (fp8_block_scale_code, so
 * exactly the rule the quantizer applies), and given M = m the other B - 1
 * values are iid |Y| < m with a random sign.  The MSE per value is
 *   E[(Y - q(Y))^2] = int f_M(m) [ (B-1)/B E[(Y - q_m(Y))^2 | |Y| < m]
 *                                 + 1/B (m - q_m(+-m))^2 ] dm
 *   = int F(m)^(B-1) f(m) e(m) + (B-1) F(m)^(B-2) f(m) G_m(m) dm,
 * f the density of |Y|, e(m) the max's own error (both signs averaged: an
 * asymmetric element grid such as int8 saturates differently at +m and -m),
 * G_m(m) = int_{|y|<m} (y - q_m(y))^2 p(y) dy, q_m the quantizer under the
 * scale that m selects.  G is a sum of closed-form cell integrals (the
 * distribution's partial moments); the outer integral is GSL's QAGP over
 * the m-intervals on which the scale is constant (their ends found by
 * bisection on fp8_block_scale_code itself, so any rule and scale format
 * works), with the element grid's midpoints times the scale as the known
 * kinks of e(m).  The element grid is the element format's, less an
 * outermost value the block quantizer never produces (probed through it).
 * A clip's point masses at +-c add 2 tau e(c) + G_c(c)(1 - F(c-)^(B-1)).  M is integrated from where F^B = 1e-15 to where
 * B P(|Y| > m) = 1e-25 (or the distribution's upper end).
 *
 * The scale is given by the rule, never optimised: unlike the per-tensor
 * case there is no range setting.  The distribution's overall scale a
 * matters through the scale format's range (E8M0: 2^-127..2^127) and,
 * for power-of-two scales, through log2(a) modulo 1: multiplying a by a
 * power of two leaves the MSE / a^2 exactly unchanged; other factors move
 * the blocks' maxima relative to the binade edges (a small periodic
 * effect that fp8_block_mse exposes through a).
 *
 * Empirical distributions (samples) are not supported (GSL_EINVAL).
 */
#ifndef FP8_BLOCK_MSE_H
#define FP8_BLOCK_MSE_H

#include "block.h"
#include "dist.h"

/* The tensor size that defines NVFP4's tensor scale for a distribution. */
#define FP8_BLOCK_TENSOR_VALUES 1048576.0

/* The largest magnitude A of a tensor of n values of d: the median of the
 * max of n iid |X|, i.e. the t with P(|X| > t) = 1 - 2^(-1/n) (capped at the
 * distribution's upper end).
 *
 * A format with a tensor scale (NVFP4) is modelled on such a tensor: the
 * values are X conditioned on |X| <= A (given its max, a tensor's other
 * values are iid below it) and T = fp8_block_tensor_scale(bf, A), with
 * A from n = FP8_BLOCK_TENSOR_VALUES.  A fixed T without the conditioning
 * would saturate the blocks above A, a loss real NVFP4 never has (T comes
 * from the tensor's own max) and that dominates heavy tails (Student-t 3:
 * 0.3 bit).  What is not modelled: A's spread from tensor to tensor, which
 * moves only where m / (6 T) falls between UE4M3's values. */
double fp8_block_dist_amax(const fp8_dist *d, double n);

/* Standard deviation of X conditioned on |X| <= cut (cut at or beyond the
 * upper end: fp8_dist_sigma, point masses included). */
double fp8_block_cut_sigma(const fp8_dist *d, double cut);

typedef struct fp8_block_mse_workspace fp8_block_mse_workspace;
/* A workspace for elements of up to FP8_QUANT_GRID_MAX_BITS bits; NULL when
 * out of memory. */
fp8_block_mse_workspace *fp8_block_mse_alloc(void);
void fp8_block_mse_free(fp8_block_mse_workspace *w);

/* The expected MSE per value of bf on Y = a*X, X ~ d conditioned on
 * |Y| <= cut (INFINITY: no conditioning), under tensor scale t (1 for
 * formats without one).  *abserr: QAGP's error estimate (summed).
 * Returns 0, or a GSL error code: GSL_EINVAL (an empirical distribution,
 * a <= 0, an element wider than 16 bits), or the integrator's failure
 * (GSL_EROUND alone is accepted: the estimate is then limited by the
 * cell integrals' rounding, far below what bits of accuracy resolve). */
int fp8_block_mse(fp8_block_mse_workspace *w, const fp8_block_format *bf, const fp8_dist *d,
                  double a, double cut, double t, double *mse, double *abserr);

#endif
