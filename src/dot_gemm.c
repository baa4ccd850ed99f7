/* dot_gemm.c - fp8_gemm: one dot-product chain per output, then the epilogue
 * (dot.h).  The library entry point behind 'fp8lab gemm' and the Python
 * package. */
#include "dot_internal.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

/* Rows of codes decoded once (sv, ae: dot_internal.h); returns 1 if any code
 * is Inf or NaN (then the chains take the per-step path). */
static int decode(const fp8_dot *d, const dot_op *t, uint32_t mask, const uint8_t *x, size_t len,
                  int16_t *sv, int16_t *ae)
{
  unsigned special = 0;
  for (size_t i = 0; i < len; i++) {
    const dot_op o = t[x[i] & mask];
    sv[i] = (int16_t)o.sv;
    ae[i] = o.ae;
    special |= o.special;
  }
  return special != 0;
}

/* One chain on decoded rows: whole steps on the decoded operands, the tail
 * (K mod n) through the codes (the unit pads it). */
static void chain(fp8_dot *d, const int16_t *sva, const int16_t *aea, const int16_t *svb,
                  const int16_t *aeb, const uint8_t *a, const uint8_t *b, size_t k)
{
  const size_t n = (size_t)d->sp.n;
  size_t i = 0;
  for (; i + n <= k; i += n) {
    dot_step_decoded(d, sva + i, aea + i, svb + i, aeb + i, &d->c, &d->flags);
    dot_after_step(d);
  }
  fp8_dot_push_u8(d, a + i, b + i, k - i);
}

/* One output's operands for dot_splitk: rows i of A and j of B, decoded (dec
 * non-NULL: sva, aea, svb, aeb at dec + 0, 1, 2, 3 strides of m*k or n*k) or
 * as codes. */
typedef struct output {
  const int16_t *sva, *aea, *svb, *aeb;
  const uint8_t *a, *b;
} output;

/* The chain over products [k0, k1) of one output (a dot_chunk_fn). */
static uint32_t run_chunk(fp8_dot *d, size_t k0, size_t k1, void *ctx, unsigned *flags)
{
  const output *o = ctx;
  fp8_dot_clear(d);
  if (o->sva)
    chain(d, o->sva + k0, o->aea + k0, o->svb + k0, o->aeb + k0, o->a + k0, o->b + k0, k1 - k0);
  else
    fp8_dot_push_u8(d, o->a + k0, o->b + k0, k1 - k0);
  return fp8_dot_result_f32(d, flags);
}

static uint32_t f2u(float x) { uint32_t u; memcpy(&u, &x, 4); return u; }
static float u2f(uint32_t u) { float x; memcpy(&x, &u, 4); return x; }

void dot_gemm_store(const fp8_format *out, float r, float scale, void *c, size_t i)
{
  static const fp8_rounding rc = {.mode = FP8_ROUND_RNE, .overflow = FP8_OVERFLOW_NONSAT};
  const bool f32 = out->bits == 32 && out->ebits == 8 && out->mbits == 23;
  r *= scale;                                                   /* round_fp32(acc * scale) */
  uint32_t code = r != r ? fp8_format_ncodes_minus1(out) >> 1   /* NaN: 0x7fff... */
                  : f32 ? f2u(r) : fp8_codec_encode(out, (double)r, &rc, NULL);
  if (out->bits <= 16)
    ((uint16_t *)c)[i] = (uint16_t)code;
  else
    ((uint32_t *)c)[i] = code;
}

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
  if (fp8_dot_splitk_check(unit, err, errlen))
    return -1;
  fp8_dot *d = fp8_dot_alloc(fa, fb, unit, err, errlen);
  if (!d)
    return -1;
  const float scale = scale_a * scale_b;       /* round_fp32(scale_a * scale_b) */
  int16_t *dec = NULL;
  if (d->fast32) {
    dec = malloc(2 * (m + n) * k * sizeof *dec + 1);
    if (!dec) {
      fp8_dot_free(d);
      return fp8_error_set(err, errlen, "gemm: out of memory for %zu x %zu and %zu x %zu operands", m, k, n, k);
    }
    int16_t *sva = dec, *aea = sva + m * k, *svb = aea + m * k, *aeb = svb + n * k;
    if (decode(d, d->ta, fp8_format_ncodes_minus1(fa), a, m * k, sva, aea) |
        decode(d, d->tb, fp8_format_ncodes_minus1(fb), b, n * k, svb, aeb)) {
      free(dec);
      dec = NULL;
    }
  }
  for (size_t i = 0; i < m; i++) {
    for (size_t j = 0; j < n; j++) {
      output o = {NULL, NULL, NULL, NULL, a + i * k, b + j * k};
      if (dec)
        o = (output){dec + i * k, dec + m * k + i * k, dec + 2 * m * k + j * k, dec + 2 * m * k + n * k + j * k,
                     a + i * k, b + j * k};
      dot_gemm_store(out, u2f(dot_splitk(d, k, run_chunk, &o, NULL)), scale, c, i * n + j);
    }
  }
  free(dec);
  fp8_dot_free(d);
  return 0;
}
