/* mse.h - expected squared quantization error of a distribution (doc/DESIGN.md section 6).
 *
 * A quantizer here is a sorted set of levels (a format's grid times a scale,
 * or a Lloyd-Max codebook); x goes to the nearest level.  The analytic MSE
 * integrates (x - y_i)^2 p(x) over each cell [midpoint below, midpoint above]
 * with the distribution's closed-form partial moments, plus the point masses
 * at +-clip; the outermost cells run to +-infinity (saturation).
 *
 * The Monte Carlo estimate draws from a seeded gsl_rng and quantizes through
 * the codec (fp8_quant_tensor), so it checks the analytic cell integration
 * against the real rounding path.
 */
#ifndef FP8_MSE_H
#define FP8_MSE_H

#include <stddef.h>
#include <gsl/gsl_rng.h>

#include "dist.h"
#include "format.h"

/* E[(X - q(X))^2] for q = nearest of s*levels[0..n), levels ascending, n >= 1, s > 0. */
double fp8_mse_levels(const fp8_dist *d, const double *levels, size_t n, double s);

/* bits of accuracy = -log2(RMSE / sigma) = -0.5*log2(mse / sigma^2). */
double fp8_mse_bits(double mse, double sigma);

/* Global scale search: the scale s minimising fp8_mse_levels(d, levels, n, s).
 * The curve has near-equal local minima (about one per octave for FP grids),
 * so a local minimiser alone is not enough: a log-spaced scan (per_octave
 * points per octave; 0 = 32) puts the largest level from the median of |X| to
 * twice the 1e-12 tail quantile (or twice the clip, or twice the uniform's
 * edge), and GSL's Brent minimiser refines the best few scan minima in log s;
 * where the distribution has point masses at +-clip (a clipped model, or a
 * sample's largest |x|) the scales that put a top level exactly on the clip
 * are tried too (a V-shaped minimum too narrow for the scan).  A sample whose
 * values change level at most FP8_EMPIRICAL_EXACT_MAX times over the scan's
 * span takes the exact sweep of empirical.h instead: the minimum over the span.
 * Returns 0, or a GSL error code (nothing to scan).  *scale and *mse set. */
int fp8_mse_scale_search(const fp8_dist *d, const double *levels, size_t n,
                         int per_octave, double *scale, double *mse);

/* The search itself, on any MSE curve (fp8_mse_scale_search's, or a tensor's,
 * quant_search.h): mse_of(s, ctx) for a scale s > 0; the scan puts the
 * largest level gmax * s from top_lo to top_hi (0 < top_lo <= top_hi < inf).
 * Returns 0 or a GSL error code; *scale and *mse set on success. */
int fp8_mse_search(double (*mse_of)(double s, void *ctx), void *ctx, double gmax,
                   double top_lo, double top_hi, int per_octave, double *scale, double *mse);

struct fp8_block_format;

/* One quantizer for the Monte Carlo estimate: a format with a scale
 * (fmt != NULL), a block format (block != NULL: blocks of block->block
 * consecutive samples through fp8_block_quant_rows, tensor scale t, values
 * a*x for samples x; a = 0 means 1), or nearest-of levels[0..nlevels)
 * (neither).  cut > 0: the samples are d conditioned on |x| <= cut (drawn by
 * rejection; block_mse.h's model of a tensor-scaled format); 0 means none.
 * The quantizers of one call share their samples, so all have the same cut. */
typedef struct fp8_mc_quantizer {
  const fp8_format *fmt;
  double scale;
  const double *levels;
  size_t nlevels;
  const struct fp8_block_format *block;
  double t, a;
  double cut;
} fp8_mc_quantizer;

typedef struct fp8_mc_result {
  double mse;   /* mean of (x - q(x))^2 over the samples (block: divided by a^2) */
  double se;    /* its standard error: sd of (x - q(x))^2 / sqrt(n); for a block
                 * format sd of the blocks' mean errors / sqrt(blocks), since
                 * the values of a block share a scale and are not independent */
} fp8_mc_result;

/* Monte Carlo MSE of nq quantizers on the same n samples of d drawn from r
 * (common random numbers: differences between quantizers are not blurred by
 * sampling noise).  With block quantizers n is rounded up to a multiple of
 * the least common multiple L of their block sizes (whole blocks for each).
 * Returns 0 or a GSL error code (n < 2, L > 65536, different cuts, a cut
 * that keeps less than 1e-6 of d, no memory). */
int fp8_mse_mc(const fp8_dist *d, gsl_rng *r, size_t n,
               const fp8_mc_quantizer *q, size_t nq, fp8_mc_result *res);

#endif
