/* dot_reduce.c - the split-K reduction around the unit (dot.h, "Split-K
 * reduction"; doc/DESIGN.md section 3): K cut into chunks on 128-product
 * tiles, one chain per chunk, the chunks' fp32 results added in order with
 * one RNE rounding per addition.  The chains themselves are dot.c's; the
 * GEMMs call dot_splitk with a callback that runs one chunk on their own
 * operand layout. */
#include "dot_internal.h"
#include "error.h"

/* The automatic choice (dot.h): cuBLASLt's split as recorded on an H100
 * (tests/data/h100-fp8-largek) and an H200 (tests/data/h200-fp8). */
#define AUTO_MAX_ONE_CHAIN 4096
#define AUTO_CHUNK 3072

int fp8_dot_splitk_check(const fp8_dot_spec *spec, char *err, size_t errlen)
{
  if (spec->splitk < FP8_DOT_SPLITK_AUTO || spec->splitk > FP8_DOT_MAX_SPLITK)
    return fp8_error_set(err, errlen, "unit: splitk = %d (expected auto, or 1..%d chunks of K)", spec->splitk,
                         FP8_DOT_MAX_SPLITK);
  return 0;
}

size_t fp8_dot_splitk_chunks(const fp8_dot_spec *spec, size_t k, size_t *len)
{
  size_t s = spec->splitk == FP8_DOT_SPLITK_AUTO ? (k <= AUTO_MAX_ONE_CHAIN ? 1 : (k + AUTO_CHUNK - 1) / AUTO_CHUNK)
             : spec->splitk > 1 ? (size_t)spec->splitk : 1;
  size_t tiles = (k + FP8_DOT_SPLITK_TILE - 1) / FP8_DOT_SPLITK_TILE;
  if (s <= 1 || tiles <= 1) {
    if (len)
      *len = k;
    return 1;
  }
  size_t l = (tiles + s - 1) / s * FP8_DOT_SPLITK_TILE;   /* T tiles per chunk */
  if (len)
    *len = l;
  return (k + l - 1) / l;                                /* empty chunks are absent */
}

/* round_fp32(x + y), x and y float32 bits: the specials of dot_special_add,
 * else one RNE rounding of the exact sum (an exact zero sum is +0). */
static uint32_t add_f32(fp8_dot *d, uint32_t x, uint32_t y, unsigned *flags)
{
  uint32_t code;
  if (dot_special_add(&d->f32, x, &d->f32, y, &code, flags))
    return code;
  fp8_unpacked u, v;
  fp8_codec_unpack(&d->f32, x, &u);
  fp8_codec_unpack(&d->f32, y, &v);
  return dot_round_sum(&d->f32, &d->rc_f32, u.sign, u.sig, u.exp, v.sign ? -(__int128)v.sig : (__int128)v.sig,
                       v.exp, flags);
}

uint32_t dot_splitk(fp8_dot *d, size_t k, dot_chunk_fn run, void *ctx, unsigned *flags)
{
  size_t len, s = fp8_dot_splitk_chunks(&d->sp, k, &len);
  uint32_t r = run(d, 0, s == 1 ? k : len, ctx, flags);
  for (size_t i = 1; i < s; i++) {
    size_t k0 = i * len, k1 = k0 + len < k ? k0 + len : k;
    r = add_f32(d, r, run(d, k0, k1, ctx, flags), flags);
  }
  return fp8_codec_classify(&d->f32, r) == FP8_CLASS_NAN ? FP8_DOT_NAN_F32 : r;
}

typedef struct vectors {
  const uint16_t *a, *b;
} vectors;

static uint32_t run_u16(fp8_dot *d, size_t k0, size_t k1, void *ctx, unsigned *flags)
{
  const vectors *v = ctx;
  fp8_dot_clear(d);
  fp8_dot_push_u16(d, v->a + k0, v->b + k0, k1 - k0);
  return fp8_dot_result_f32(d, flags);
}

uint32_t fp8_dot_splitk_u16(fp8_dot *d, const uint16_t *a, const uint16_t *b, size_t k, unsigned *flags)
{
  vectors v = {a, b};
  return dot_splitk(d, k, run_u16, &v, flags);
}
