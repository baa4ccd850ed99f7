/* dot_gemm.c - fp8_gemm: one dot-product chain per output, then the epilogue
 * (dot.h), for any operands (per-tensor or block formats).  The library
 * entry point behind 'fp8lab gemm' and the Python package. */
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

static void store(const fp8_format *out, float r, float scale, void *c, size_t i)
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

/* bytes -> uint16_t codes (the feed of a unit with the stage). */
static void widen(const uint8_t *x, size_t len, uint16_t *y)
{
  for (size_t i = 0; i < len; i++)
    y[i] = x[i];
}

/* Block operands: each chain fed with its scale codes; A's rows (codes then
 * scales) and each column of B widened once. */
static int gemm_scaled(fp8_dot *d, size_t m, size_t n, size_t k, const uint8_t *a, const uint8_t *b,
                       const uint8_t *sa, const uint8_t *sb, float scale, const fp8_format *out, void *c,
                       char *err, size_t errlen)
{
  const size_t B = (size_t)d->sp.kblock, nb = (k + B - 1) / B;
  uint16_t *w = malloc(2 * (k + nb) * sizeof *w + 1);
  uint16_t *ra = malloc((m * (k + nb)) * sizeof *ra + 1);
  if (!w || !ra) {
    free(w);
    free(ra);
    return fp8_error_set(err, errlen, "gemm: out of memory for %zu x %zu operands", m, k);
  }
  for (size_t i = 0; i < m; i++) {
    widen(a + i * k, k, ra + i * (k + nb));
    widen(sa + i * nb, nb, ra + i * (k + nb) + k);
  }
  for (size_t j = 0; j < n; j++) {
    widen(b + j * k, k, w);
    widen(sb + j * nb, nb, w + k);
    for (size_t i = 0; i < m; i++) {
      const uint16_t *r = ra + i * (k + nb);
      fp8_dot_clear(d);
      fp8_dot_push_block(d, r, w, r + k, w + k, k);
      store(out, u2f(fp8_dot_result_f32(d, NULL)), scale, c, i * n + j);
    }
  }
  free(w);
  free(ra);
  return 0;
}

/* Per-tensor operands: with 32-bit lanes, rows decoded once (unless a code
 * is Inf or NaN), else each chain fed with codes. */
static int gemm_plain(fp8_dot *d, size_t m, size_t n, size_t k, const uint8_t *a, const uint8_t *b,
                      float scale, const fp8_format *out, void *c, char *err, size_t errlen)
{
  int16_t *dec = NULL;
  if (d->fast32) {
    dec = malloc(2 * (m + n) * k * sizeof *dec + 1);
    if (!dec)
      return fp8_error_set(err, errlen, "gemm: out of memory for %zu x %zu and %zu x %zu operands", m, k, n, k);
    int16_t *sva = dec, *aea = sva + m * k, *svb = aea + m * k, *aeb = svb + n * k;
    if (decode(d, d->ta, fp8_format_ncodes_minus1(&d->fa), a, m * k, sva, aea) |
        decode(d, d->tb, fp8_format_ncodes_minus1(&d->fb), b, n * k, svb, aeb)) {
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
      store(out, u2f(dot_splitk(d, k, run_chunk, &o, NULL)), scale, c, i * n + j);
    }
  }
  free(dec);
  return 0;
}

int fp8_gemm(const fp8_dot_spec *unit, const fp8_block_format *oa, const fp8_block_format *ob,
             size_t m, size_t n, size_t k, const uint8_t *a, const uint8_t *b, const uint8_t *sa,
             const uint8_t *sb, float scale_a, float scale_b, const fp8_format *out, void *c,
             char *err, size_t errlen)
{
  if (!ob)
    ob = oa;
  const fp8_block_format *op[2] = {oa, ob};
  const uint8_t *sc[2] = {sa, sb};
  for (int i = 0; i < 2; i++) {
    const bool scaled = fp8_block_is_scaled(op[i]);
    if (!scaled && op[i]->elem.bits > 8)
      return fp8_error_set(err, errlen, "gemm: input format %s has %d bits (expected at most 8: codes are bytes)",
                           op[i]->name, op[i]->elem.bits);
    if (scaled && (op[i]->elem.bits > 8 || op[i]->scale.bits > 8))
      return fp8_error_set(err, errlen, "gemm: block format %s has %d-bit elements and %d-bit scales (expected "
                           "at most 8 each: codes are bytes)", op[i]->name, op[i]->elem.bits, op[i]->scale.bits);
    if (scaled && !sc[i])
      return fp8_error_set(err, errlen, "gemm: block format %s without its scale codes", op[i]->name);
  }
  if (out->ebits == 0 || out->bits > 32)
    return fp8_error_set(err, errlen, "gemm: output format %s is not a float of at most 32 bits", out->name);
  if (fp8_dot_splitk_check(unit, err, errlen))
    return -1;
  if ((fp8_block_is_scaled(oa) || fp8_block_is_scaled(ob)) && fp8_dot_splitk_chunks(unit, k, NULL) > 1)
    return fp8_error_set(err, errlen, "gemm: splitk=%d cuts K = %zu for block formats %s x %s (split-K is "
                         "modelled for per-tensor formats only; expected splitk=1)", unit->splitk, k, oa->name,
                         ob->name);
  fp8_dot *d = fp8_dot_alloc(oa, ob, unit, err, errlen);
  if (!d)
    return -1;
  const float scale = scale_a * scale_b;       /* round_fp32(scale_a * scale_b) */
  int r = d->sp.kblock ? gemm_scaled(d, m, n, k, a, b, sa, sb, scale, out, c, err, errlen)
                       : gemm_plain(d, m, n, k, a, b, scale, out, c, err, errlen);
  fp8_dot_free(d);
  return r;
}
