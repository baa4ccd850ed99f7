/* bench_inputs.h - the float32 inputs the cast benchmarks share: like scaled
 * weights, log-uniform magnitudes over 2^-14..2^10 (mostly in range, some
 * subnormal, some overflowing 8-bit formats), both signs, from a fixed LCG so
 * every run converts the same values. */
#ifndef FP8_BENCH_INPUTS_H
#define FP8_BENCH_INPUTS_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

static inline void bench_fill_weights(float *x, size_t n)
{
  uint64_t s = 12345;
  for (size_t i = 0; i < n; i++) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    double u = (double)(s >> 11) / 9007199254740992.0;
    double v = exp2(-14 + 24 * u);
    x[i] = (float)((s >> 7) & 1 ? -v : v);
  }
}

#endif
