/* dot_fast.c - the hot loop of the windowed, toward-zero step (hopper-fp8
 * and its relatives) on decoded operands, in 32-bit lanes.  Built on its own
 * with the vectorizer on (Makefile.am); on x86-64 it is also cloned for AVX2,
 * whose per-lane variable shifts (vpsrlvd) the second loop needs. */
#include "dot_internal.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__ELF__) && !defined(FP8_NO_CLONES)
#define DOT_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define DOT_CLONES
#endif

DOT_CLONES int32_t dot_fast_products(int n, const int16_t *restrict sva, const int16_t *restrict aea,
                                     const int16_t *restrict svb, const int16_t *restrict aeb,
                                     int zexp, int pre, int extra, int emax_in, int *emax_out)
{
  int32_t p[FP8_DOT_MAX_N], e[FP8_DOT_MAX_N];
  int32_t emax = emax_in;
  for (int i = 0; i < n; i++) {
    int32_t x = (int32_t)sva[i] * svb[i];
    int32_t y = x ? (int32_t)aea[i] + aeb[i] : zexp;
    p[i] = x;
    e[i] = y;
    emax = y > emax ? y : emax;
  }
  int32_t sum = 0;
  for (int i = 0; i < n; i++) {
    int32_t s = p[i] >> 31;                           /* 0 or -1 */
    uint32_t m = (uint32_t)((p[i] ^ s) - s) << pre;   /* |p| in window units before the shift */
    int32_t sh = emax - e[i] + extra;
    sh = sh > 31 ? 31 : sh;
    int32_t t = (int32_t)(m >> sh);
    sum += (t ^ s) - s;
  }
  *emax_out = emax;
  return sum;
}
