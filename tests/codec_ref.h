/* codec_ref.h - an independent reference encoder for the codec tests and the
 * benchmark: decode every code from the format's definition (its own formula,
 * not fp8_codec_decode), sort the finite values, and round by searching that
 * grid for the neighbours of x.  Slow and obviously right is the point.
 *
 * Rounding rules as specified (doc/DESIGN.md section 2, IEEE 754 / OCP):
 *  - nearest value; a tie goes to the value with the even index in the
 *    magnitude grid (= the even code for every preset; 0 for :nosub's
 *    {0, 2^emin} tie); rna: away from zero; rtz: the smaller magnitude;
 *  - above max: as if one more value, max + ulp(max), followed: rounding to
 *    it overflows (sat: +-max; nonsat: Inf, else NaN, else +-max; rtz: +-max);
 *  - NaN in: fp8_format_nan_code (sign kept), or +0 and INVALID with no NaN;
 *    Inf in: Inf code, else overflow as above whatever the mode.
 */
#ifndef FP8_CODEC_REF_H
#define FP8_CODEC_REF_H

#include <stddef.h>
#include <stdint.h>

#include "codec.h"

typedef struct codec_ref {
  fp8_format f;
  size_t npos, nneg;      /* grid sizes (magnitudes, 0 first) */
  double *pos, *neg;      /* ascending magnitudes for sign 0 / sign 1 */
  uint32_t *poscode, *negcode;
} codec_ref;

/* Build the grid of f (<= 16 bits); NULL when out of memory. */
codec_ref *codec_ref_alloc(const fp8_format *f);
void codec_ref_free(codec_ref *r);

/* The value of code from the format's definition (NaN for NaN codes). */
double codec_ref_decode(const fp8_format *f, uint32_t code);

/* Reference rounding of x; flags (FP8_FLAG_*) ORed into *flags if not NULL. */
uint32_t codec_ref_encode(const codec_ref *r, double x, fp8_round_mode mode,
                          fp8_overflow_mode ovf, unsigned *flags);

/* Stratified float32 inputs for f: specials, every grid value and every
 * midpoint of adjacent grid values with one float32 ulp either side, the
 * overflow boundary, every float32 binade, and random bit patterns up to at
 * least n_min.  Returns the count; *out is malloc()ed. */
size_t codec_ref_inputs(const codec_ref *r, uint64_t seed, size_t n_min, float **out);

/* FP8LAB_SEED from the environment, else dflt; printed on stderr with name. */
uint64_t codec_ref_seed(const char *name, uint64_t dflt);

#endif
