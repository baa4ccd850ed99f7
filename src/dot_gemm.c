/* dot_gemm.c - fp8_gemm: one dot-product chain per output, then the epilogue
 * (dot.h).  The library entry point behind 'fp8lab gemm' and the Python
 * package. */
#include "dot_internal.h"
#include "error.h"

#include <string.h>

static uint32_t f2u(float x) { uint32_t u; memcpy(&u, &x, 4); return u; }
static float u2f(uint32_t u) { float x; memcpy(&x, &u, 4); return x; }

int fp8_gemm(const fp8_dot_spec *unit, const fp8_format *fa, const fp8_format *fb,
             size_t m, size_t n, size_t k, const uint8_t *a, const uint8_t *b,
             float scale_a, float scale_b, const fp8_format *out, void *c,
             char *err, size_t errlen)
{
  if (fa->bits > 8 || fb->bits > 8)
    return fp8_error_set(err, errlen, "gemm: input format %s has %d bits (expected at most 8: codes are bytes)",
                         fa->bits > 8 ? fa->name : fb->name, fa->bits > 8 ? fa->bits : fb->bits);
  if (out->ebits == 0 || out->bits > 32)
    return fp8_error_set(err, errlen, "gemm: output format %s is not a float of at most 32 bits", out->name);
  fp8_dot *d = fp8_dot_alloc(fa, fb, unit, err, errlen);
  if (!d)
    return -1;
  const fp8_rounding rc = {FP8_ROUND_RNE, FP8_OVERFLOW_NONSAT, NULL, NULL};
  const bool f32 = out->bits == 32 && out->ebits == 8 && out->mbits == 23;
  const float scale = scale_a * scale_b;       /* round_fp32(scale_a * scale_b) */
  for (size_t i = 0; i < m; i++) {
    for (size_t j = 0; j < n; j++) {
      fp8_dot_clear(d);
      fp8_dot_push_u8(d, a + i * k, b + j * k, k);
      float r = u2f(fp8_dot_result_f32(d, NULL)) * scale;   /* round_fp32(acc * scale) */
      uint32_t code = f32 ? f2u(r) : fp8_codec_encode(out, (double)r, &rc, NULL);
      if (out->bits <= 16)
        ((uint16_t *)c)[i * n + j] = (uint16_t)code;
      else
        ((uint32_t *)c)[i * n + j] = code;
    }
  }
  fp8_dot_free(d);
  return 0;
}
