/* dot_gemm_block.c - fp8_gemm_block: fp8_gemm for block formats, one chain
 * of a block-scaled unit per output, the epilogue shared with fp8_gemm
 * (dot_gemm_store).  The library entry point behind 'fp8lab gemm' with block
 * formats. */
#include "dot_internal.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

/* bytes -> uint16_t codes (the unit's feed). */
static void widen(const uint8_t *x, size_t len, uint16_t *y)
{
  for (size_t i = 0; i < len; i++)
    y[i] = x[i];
}

int fp8_gemm_block(const fp8_dot_spec *unit, const fp8_block_format *ba, const fp8_block_format *bb,
                   size_t m, size_t n, size_t k, const uint8_t *a, const uint8_t *b, const uint8_t *sa,
                   const uint8_t *sb, float scale_a, float scale_b, const fp8_format *out, void *c,
                   char *err, size_t errlen)
{
  const fp8_block_format *fmt[2] = {ba, bb};
  for (int i = 0; i < 2; i++)
    if (fmt[i]->elem.bits > 8 || fmt[i]->scale.bits > 8)
      return fp8_error_set(err, errlen, "gemm: block format %s has %d-bit elements and %d-bit scales (expected "
                           "at most 8 each: codes are bytes)", fmt[i]->name, fmt[i]->elem.bits, fmt[i]->scale.bits);
  if (out->ebits == 0 || out->bits > 32)
    return fp8_error_set(err, errlen, "gemm: output format %s is not a float of at most 32 bits", out->name);
  if (fp8_dot_splitk_check(unit, err, errlen))
    return -1;
  if (fp8_dot_splitk_chunks(unit, k, NULL) > 1)
    return fp8_error_set(err, errlen, "gemm: splitk=%d cuts K = %zu for block formats %s x %s (split-K is "
                         "modelled for per-tensor formats only; expected splitk=1)", unit->splitk, k, ba->name,
                         bb->name);
  fp8_dot *d = fp8_dot_alloc_block(ba, bb, unit, err, errlen);
  if (!d)
    return -1;
  const size_t B = (size_t)ba->block, nb = (k + B - 1) / B;
  uint16_t *w = malloc(2 * (k + nb) * sizeof *w + 1);
  uint16_t *ra = malloc((m * (k + nb)) * sizeof *ra + 1);
  if (!w || !ra) {
    free(w);
    free(ra);
    fp8_dot_free(d);
    return fp8_error_set(err, errlen, "gemm: out of memory for %zu x %zu operands", m, k);
  }
  for (size_t i = 0; i < m; i++) {   /* A's rows, codes then scales, widened once */
    widen(a + i * k, k, ra + i * (k + nb));
    widen(sa + i * nb, nb, ra + i * (k + nb) + k);
  }
  const float scale = scale_a * scale_b;   /* round_fp32(scale_a * scale_b) */
  for (size_t j = 0; j < n; j++) {
    widen(b + j * k, k, w);
    widen(sb + j * nb, nb, w + k);
    for (size_t i = 0; i < m; i++) {
      const uint16_t *r = ra + i * (k + nb);
      fp8_dot_clear(d);
      fp8_dot_push_block(d, r, w, r + k, w + k, k);
      uint32_t bits = fp8_dot_result_f32(d, NULL);
      float f;
      memcpy(&f, &bits, 4);
      dot_gemm_store(out, f, scale, c, i * n + j);
    }
  }
  free(w);
  free(ra);
  fp8_dot_free(d);
  return 0;
}
