/* dot_gemm.c - fp8_gemm: one dot-product chain per output, then the epilogue
 * (dot.h), for any operands (per-tensor or block formats).  The library
 * entry point behind 'fp8lab gemm' and the Python package. */
#include "dot_internal.h"
#include "error.h"

#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Rows of codes decoded once (sv, ae: dot_internal.h); returns 1 if any code
 * is Inf or NaN (then the chains take the per-step path).  The codes were
 * checked (fp8_gemm_check_codes): each indexes the table. */
static int decode(const dot_op *t, const uint8_t *x, size_t len, int16_t *sv, int16_t *ae)
{
  unsigned special = 0;
  for (size_t i = 0; i < len; i++) {
    const dot_op o = t[x[i]];
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
  uint32_t code = r != r ? fp8_format_nan_code_ones(out)   /* NaN: see dot.h, the epilogue */
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
    return fp8_error_set(err, errlen, "out of memory for %zu x %zu operands", m, k);
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

/* Per-tensor operands: with 32-bit lanes, rows decoded into tiles of rows:
 * all of A and B at once when their decoded rows take at most
 * FP8_GEMM_DECODE_MAX bytes, else tiles of A's rows and of B's rows of at
 * most half of it each (B's tile decoded again for each tile of A: a cost in
 * decoding, linear in K, for a bound on memory); a tile pair holding an Inf or
 * NaN code, or rows too long for any tile, feed their chains with codes.
 * Both paths run the same steps (dot.c's dot_step_u8 decodes through the same
 * tables): tiles trade memory for speed, never the results. */
static int gemm_plain(fp8_dot *d, size_t m, size_t n, size_t k, const uint8_t *a, const uint8_t *b,
                      float scale, const fp8_format *out, void *c, char *err, size_t errlen)
{
  if (m == 0 || n == 0)
    return 0;                                   /* no outputs (and no tiles to size) */
  const size_t row = 2 * k * sizeof(int16_t);   /* one decoded row: sv then ae */
  size_t ra = 0, rb = 0;                        /* rows per tile; 0: codes only */
  if (d->fast32 && (m + n) * row <= FP8_GEMM_DECODE_MAX) {
    ra = m;
    rb = n;
  } else if (d->fast32 && row <= FP8_GEMM_DECODE_MAX / 2) {
    ra = FP8_GEMM_DECODE_MAX / 2 / row < m ? FP8_GEMM_DECODE_MAX / 2 / row : m;
    rb = FP8_GEMM_DECODE_MAX / 2 / row < n ? FP8_GEMM_DECODE_MAX / 2 / row : n;
  }
  int16_t *da = ra ? malloc(ra * row + 1) : NULL, *db = rb ? malloc(rb * row + 1) : NULL;
  if (ra && (!da || !db)) {
    free(da);
    free(db);
    return fp8_error_set(err, errlen, "out of memory for %zu x %zu and %zu x %zu operands", m, k, n, k);
  }
  size_t loaded = SIZE_MAX;   /* the first row of B's decoded tile */
  int special_b = 1;
  for (size_t i0 = 0; i0 < m; i0 += ra ? ra : m) {
    const size_t i1 = ra && i0 + ra < m ? i0 + ra : m;
    const int special_a = ra ? decode(d->ta, a + i0 * k, (i1 - i0) * k, da, da + ra * k) : 1;
    for (size_t j0 = 0; j0 < n; j0 += rb ? rb : n) {
      const size_t j1 = rb && j0 + rb < n ? j0 + rb : n;
      if (rb && !special_a && loaded != j0) {
        special_b = decode(d->tb, b + j0 * k, (j1 - j0) * k, db, db + rb * k);
        loaded = j0;
      }
      const bool fast = !special_a && loaded == j0 && !special_b;
      for (size_t i = i0; i < i1; i++) {
        for (size_t j = j0; j < j1; j++) {
          output o = {NULL, NULL, NULL, NULL, a + i * k, b + j * k};
          if (fast)
            o = (output){da + (i - i0) * k, da + ra * k + (i - i0) * k, db + (j - j0) * k,
                         db + rb * k + (j - j0) * k, a + i * k, b + j * k};
          store(out, u2f(dot_splitk(d, k, run_chunk, &o, NULL)), scale, c, i * n + j);
        }
      }
    }
  }
  free(da);
  free(db);
  return 0;
}

int fp8_gemm_check_codes(const fp8_format *f, const uint8_t *x, size_t rows, size_t cols, const char *what,
                         char *err, size_t errlen)
{
  const uint32_t max = fp8_format_ncodes_minus1(f);
  if (max >= 0xff)
    return 0;
  unsigned over = 0;   /* a branch-free scan first: the loop below runs only to name the byte */
  for (size_t i = 0; i < rows * cols; i++)
    over |= x[i] > max;
  for (size_t i = 0; over && i < rows * cols; i++)
    if (x[i] > max)
      return fp8_error_set(err, errlen, "%s: byte %zu (row %zu, column %zu) is 0x%02x, beyond the %d-bit format "
                           "%s (expected 0..0x%x)", what, i, i / cols, i % cols, x[i], f->bits, f->name,
                           (unsigned)max);
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
      return fp8_error_set(err, errlen, "input format %s has %d bits (expected at most 8: codes are bytes)",
                           op[i]->name, op[i]->elem.bits);
    if (scaled && (op[i]->elem.bits > 8 || op[i]->scale.bits > 8))
      return fp8_error_set(err, errlen, "block format %s has %d-bit elements and %d-bit scales (expected "
                           "at most 8 each: codes are bytes)", op[i]->name, op[i]->elem.bits, op[i]->scale.bits);
    if (scaled && !sc[i])
      return fp8_error_set(err, errlen, "block format %s without its scale codes", op[i]->name);
  }
  if (out->ebits == 0 || out->bits > 32)
    return fp8_error_set(err, errlen, "output format %s is not a float of at most 32 bits", out->name);
  if (!fp8_format_has_nan(out))
    return fp8_error_set(err, errlen, "output format %s has no NaN (expected a format with a NaN code: a NaN "
                         "output could not be written)", out->name);
  if (fp8_dot_splitk_check(unit, err, errlen))
    return -1;
  if ((fp8_block_is_scaled(oa) || fp8_block_is_scaled(ob)) && fp8_dot_splitk_chunks(unit, k, NULL) > 1)
    return fp8_error_set(err, errlen, "splitk=%d cuts K = %zu for block formats %s x %s (split-K is "
                         "modelled for per-tensor formats only; expected splitk=1)", unit->splitk, k, oa->name,
                         ob->name);
  const uint8_t *x[2] = {a, b};
  const size_t rows[2] = {m, n};
  for (int i = 0; i < 2; i++) {
    char what[40];
    snprintf(what, sizeof what, "%c's codes", "AB"[i]);
    if (fp8_gemm_check_codes(&op[i]->elem, x[i], rows[i], k, what, err, errlen))
      return -1;
    if (fp8_block_is_scaled(op[i])) {
      snprintf(what, sizeof what, "%c's scale codes", "AB"[i]);
      const size_t nb = (k + (size_t)op[i]->block - 1) / (size_t)op[i]->block;
      if (fp8_gemm_check_codes(&op[i]->scale, sc[i], rows[i], nb, what, err, errlen))
        return -1;
    }
  }
  fp8_dot *d = fp8_dot_alloc(oa, ob, unit, err, errlen);
  if (!d)
    return -1;
  const float scale = scale_a * scale_b;       /* round_fp32(scale_a * scale_b) */
  int r = d->sp.kblock ? gemm_scaled(d, m, n, k, a, b, sa, sb, scale, out, c, err, errlen)
                       : gemm_plain(d, m, n, k, a, b, scale, out, c, err, errlen);
  fp8_dot_free(d);
  return r;
}
