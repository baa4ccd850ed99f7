/* quant.h - scaled quantization onto a format (doc/DESIGN.md section 2).
 *
 * q(x) = s * decode(encode(x / s)): the scale s maps the real line onto the
 * format, the codec rounds (round-to-nearest-even, saturating unless the
 * rounding context says otherwise), and the scale maps back.  Every rounding
 * goes through fp8_round_pack; nothing here decides a rounding itself.
 *
 * The grid (sorted distinct finite values of a format) is what the analytic
 * MSE integrates over: with RNE and saturation, q(x/s)*s is the grid value
 * nearest to x (cells end at midpoints of adjacent values; the outermost
 * cells run to +-infinity), which is exactly what fp8_quant_value computes.
 */
#ifndef FP8_QUANT_H
#define FP8_QUANT_H

#include <stddef.h>

#include "codec.h"
#include "format.h"

/* The widest format whose grid is enumerated (2^16 codes). */
#define FP8_QUANT_GRID_MAX_BITS 16

/* s * decode(encode(x / s)) with rc (NULL: RNE, saturating); flags as the
 * codec reports them (may be NULL).  s > 0.  A NaN result (a NaN input, or a
 * non-saturating overflow) is returned as NaN. */
double fp8_quant_value(const fp8_format *f, double s, double x,
                       const fp8_rounding *rc, unsigned *flags);

/* Per tensor: out[i] = q(in[i]) with one scale; in and out may alias. */
void fp8_quant_tensor(const fp8_format *f, double s, const double *in, double *out,
                      size_t n, const fp8_rounding *rc, unsigned *flags);

/* Per channel: in is nchan rows of len values (row-major); row c uses
 * scales[c].  in and out may alias. */
void fp8_quant_channels(const fp8_format *f, const double *scales, const double *in,
                        double *out, size_t nchan, size_t len,
                        const fp8_rounding *rc, unsigned *flags);

/* Largest |x| over n values (NaNs ignored); 0 for n == 0. */
double fp8_quant_absmax(const double *x, size_t n);

/* Max range setting: the scale that maps absmax onto the format's largest
 * finite value.  absmax <= 0 (an all-zero tensor) gives 1. */
double fp8_quant_scale_max(const fp8_format *f, double absmax);

/* Per-channel max range setting: scales[c] from row c of in (nchan x len). */
void fp8_quant_scales_max(const fp8_format *f, const double *in, size_t nchan,
                          size_t len, double *scales);

/* The grid: the distinct finite values of f in ascending order (+0 and -0
 * once).  Writes fp8_format_finite_values(f) values to out.  Returns that
 * count, or 0 if f is wider than FP8_QUANT_GRID_MAX_BITS or has values
 * that are no doubles (E >= 12: binary16p4se, ...). */
size_t fp8_quant_grid(const fp8_format *f, double *out);

/* Index of the grid value nearest to x in grid[0..n) (ascending, n >= 1);
 * at an exact midpoint the lower index. */
size_t fp8_quant_grid_nearest(const double *grid, size_t n, double x);

#endif
