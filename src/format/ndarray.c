/* ndarray.c - strided n-dimensional encode/decode/quantize (ndarray.h).
 *
 * One walker serves the three operations: it drops extent-1 dimensions,
 * merges dimensions that are contiguous with each other in both arrays (so a
 * C-contiguous pair is one run), then visits the innermost runs in C order and
 * hands each op contiguous pieces, gathering and scattering through a stack
 * buffer where a run is strided. */
#include "ndarray.h"
#include "codec_names.h"
#include "error.h"
#include "quant.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 512   /* elements per gathered piece */

/* An operation on m contiguous elements: 0, or -1 to stop the walk (its
 * message already written by the op).  done is the C-order index of in[0]. */
typedef int (*run_fn)(void *ctx, const void *in, void *out, size_t m, size_t done);

typedef struct walk {
  int nd;
  ptrdiff_t shape[FP8_ARRAY_MAX_DIMS];
  ptrdiff_t sa[FP8_ARRAY_MAX_DIMS], sb[FP8_ARRAY_MAX_DIMS];
  size_t n;
} walk;

static size_t dtype_size(int t)
{
  switch (t) {
  case FP8_DTYPE_F32: return 4;
  case FP8_DTYPE_F64: return 8;
  case FP8_DTYPE_U8:  return 1;
  case FP8_DTYPE_U16: return 2;
  }
  return 0;
}

static const char *dtype_name(int t)
{
  switch (t) {
  case FP8_DTYPE_F32: return "float32";
  case FP8_DTYPE_F64: return "float64";
  case FP8_DTYPE_U8:  return "uint8";
  case FP8_DTYPE_U16: return "uint16";
  }
  return "unknown";
}

static ptrdiff_t mag(ptrdiff_t v) { return v < 0 ? -v : v; }

/* Same ndim and shape, sane extents; fills w (merged dimensions).  reorder:
 * visit in a's memory order (dimensions by decreasing |stride| of a, then of
 * b) instead of C order, so that a view runs as contiguous as it can. */
static int walk_make(const fp8_array *a, const fp8_array *b, walk *w, bool reorder,
                     char *err, size_t errlen)
{
  if (!a || !b)
    return fp8_error_set(err, errlen, "missing array (NULL)");
  if (a->ndim < 0 || a->ndim > FP8_ARRAY_MAX_DIMS)
    return fp8_error_set(err, errlen, "ndim %d out of range (expected 0..%d)", a->ndim, FP8_ARRAY_MAX_DIMS);
  if (a->ndim != b->ndim)
    return fp8_error_set(err, errlen, "input has %d dimensions, output %d (expected the same)",
                         a->ndim, b->ndim);
  w->nd = 0;
  w->n = 1;
  for (int i = 0; i < a->ndim; i++) {
    ptrdiff_t e = a->shape[i];
    if (e < 0 || b->shape[i] != e)
      return fp8_error_set(err, errlen, "extent %td of dimension %d does not match the output's %td "
                           "(expected equal extents >= 0)", e, i, b->shape[i]);
    if (e && w->n > SIZE_MAX / (size_t)e)
      return fp8_error_set(err, errlen, "array of more than SIZE_MAX elements");
    w->n *= (size_t)e;
  }
  if (w->n && (!a->data || !b->data))
    return fp8_error_set(err, errlen, "array data is NULL");
  int order[FP8_ARRAY_MAX_DIMS];
  for (int i = 0; i < a->ndim; i++) {    /* insertion sort: stable, ndim is small */
    int k = i;
    for (; reorder && k > 0; k--) {
      int j = order[k - 1];
      ptrdiff_t sj = mag(a->strides[j]), si = mag(a->strides[i]);
      if (sj > si || (sj == si && mag(b->strides[j]) >= mag(b->strides[i])))
        break;
      order[k] = j;
    }
    order[k] = i;
  }
  for (int o = 0; o < a->ndim; o++) {
    int i = order[o];
    ptrdiff_t e = a->shape[i];
    if (e == 1)
      continue;                          /* its stride never matters */
    int k = w->nd - 1;
    if (k >= 0 && w->sa[k] == e * a->strides[i] && w->sb[k] == e * b->strides[i]) {
      w->shape[k] *= e;                  /* dimension k steps over i exactly: merge */
      w->sa[k] = a->strides[i];
      w->sb[k] = b->strides[i];
      continue;
    }
    w->shape[w->nd] = e;
    w->sa[w->nd] = a->strides[i];
    w->sb[w->nd] = b->strides[i];
    w->nd++;
  }
  if (w->nd == 0) {                      /* one element */
    w->shape[0] = 1;
    w->sa[0] = (ptrdiff_t)dtype_size(a->dtype);
    w->sb[0] = (ptrdiff_t)dtype_size(b->dtype);
    w->nd = 1;
  }
  return 0;
}

static void copy_elems(char *dst, ptrdiff_t ds, const char *src, ptrdiff_t ss, size_t m, size_t size)
{
  for (size_t j = 0; j < m; j++, dst += ds, src += ss)
    switch (size) {
    case 1: *dst = *src; break;
    case 2: memcpy(dst, src, 2); break;
    case 4: memcpy(dst, src, 4); break;
    default: memcpy(dst, src, 8); break;
    }
}

/* One innermost run of len elements. */
static int run_line(run_fn op, void *ctx, const char *pa, ptrdiff_t sa, size_t ia,
                    char *pb, ptrdiff_t sb, size_t ib, size_t len, size_t done)
{
  if (sa == (ptrdiff_t)ia && sb == (ptrdiff_t)ib)
    return op(ctx, pa, pb, len, done);
  double bufa[CHUNK], bufb[CHUNK];
  for (size_t off = 0; off < len; off += CHUNK) {
    size_t m = len - off < CHUNK ? len - off : CHUNK;
    const char *src = pa + (ptrdiff_t)off * sa;
    char *dst = pb + (ptrdiff_t)off * sb;
    const void *in = src;
    void *out = dst;
    if (sa != (ptrdiff_t)ia) {
      copy_elems((char *)bufa, (ptrdiff_t)ia, src, sa, m, ia);
      in = bufa;
    }
    if (sb != (ptrdiff_t)ib)
      out = bufb;
    if (op(ctx, in, out, m, done + off))
      return -1;
    if (out == bufb)
      copy_elems(dst, sb, (const char *)bufb, (ptrdiff_t)ib, m, ib);
  }
  return 0;
}

/* Every element of (a, b) in C order, through op. */
static int walk_run(const walk *w, const fp8_array *a, const fp8_array *b, run_fn op, void *ctx)
{
  if (w->n == 0)
    return 0;
  size_t ia = dtype_size(a->dtype), ib = dtype_size(b->dtype);
  int in = w->nd - 1;                    /* the inner dimension */
  size_t len = (size_t)w->shape[in];
  ptrdiff_t idx[FP8_ARRAY_MAX_DIMS] = {0};
  const char *pa = a->data;
  char *pb = b->data;
  for (size_t done = 0; done < w->n; done += len) {
    if (run_line(op, ctx, pa, w->sa[in], ia, pb, w->sb[in], ib, len, done))
      return -1;
    for (int d = in - 1; d >= 0; d--) {  /* odometer over the outer dimensions */
      pa += w->sa[d];
      pb += w->sb[d];
      if (++idx[d] < w->shape[d])
        break;
      pa -= w->sa[d] * w->shape[d];
      pb -= w->sb[d] * w->shape[d];
      idx[d] = 0;
    }
  }
  return 0;
}

/* ---- encode ------------------------------------------------------------------ */

typedef struct enc_ctx {
  const fp8_format *f;
  const fp8_rounding *rc;
  unsigned flags;
  unsigned *flagp;         /* &flags, or NULL when the caller wants none (faster kernel) */
  int tin, tout;
} enc_ctx;

static int enc_run(void *p, const void *in, void *out, size_t m, size_t done)
{
  enc_ctx *c = p;
  if (c->tin == FP8_DTYPE_F32) {
    if (c->tout == FP8_DTYPE_U8)
      fp8_codec_encode_f32_u8(c->f, in, out, m, c->rc, c->flagp);
    else
      fp8_codec_encode_f32_u16(c->f, in, out, m, c->rc, c->flagp);
    return 0;
  }
  const double *x = in;
  for (size_t j = 0; j < m; j++) {
    uint32_t code = fp8_codec_encode(c->f, x[j], c->rc, c->flagp);
    if (c->tout == FP8_DTYPE_U8)
      ((uint8_t *)out)[j] = (uint8_t)code;
    else
      ((uint16_t *)out)[j] = (uint16_t)code;
  }
  return 0;
}

/* The code type that holds f; checks t is it (or, for U16, wide enough). */
static int check_code_type(const fp8_format *f, int t, const char *which, char *err, size_t errlen)
{
  if (f->bits > 16)
    return fp8_error_set(err, errlen, "format '%s' has %d bits (expected at most 16 for code arrays)",
                         f->name, f->bits);
  if (t == FP8_DTYPE_U16 || (t == FP8_DTYPE_U8 && f->bits <= 8))
    return 0;
  return fp8_error_set(err, errlen, "%s codes of '%s' (%d bits) as %s (expected %s)", which, f->name,
                       f->bits, dtype_name(t), f->bits <= 8 ? "uint8 or uint16" : "uint16");
}

static int check_float_type(int t, const char *which, char *err, size_t errlen)
{
  if (t == FP8_DTYPE_F32 || t == FP8_DTYPE_F64)
    return 0;
  return fp8_error_set(err, errlen, "%s of type %s (expected float32 or float64)", which, dtype_name(t));
}

int fp8_array_encode(const fp8_format *f, const fp8_array *in, const fp8_array *out,
                     const fp8_rounding *rc, unsigned *flags, char *err, size_t errlen)
{
  walk w;
  if (!f)
    return fp8_error_set(err, errlen, "missing format (NULL)");
  if (walk_make(in, out, &w, false, err, errlen) || check_float_type(in->dtype, "input", err, errlen) ||
      check_code_type(f, out->dtype, "output", err, errlen))
    return -1;
  enc_ctx c = {f, rc ? rc : &fp8_rounding_default, 0, flags ? &c.flags : NULL, in->dtype, out->dtype};
  /* C order where random bits are drawn (a seed must give the CLI's codes) */
  if (walk_make(in, out, &w, !fp8_rounding_needs_rand(c.rc), err, errlen))
    return -1;
  walk_run(&w, in, out, enc_run, &c);
  if (flags)
    *flags |= c.flags;
  return 0;
}

/* ---- decode ------------------------------------------------------------------ */

typedef struct dec_ctx {
  const fp8_format *f;
  const double *lut;       /* value of every code, or NULL: decode each */
  uint32_t mask;
  int tin, tout;
} dec_ctx;

static uint32_t code_at(int t, const char *p)
{
  uint16_t v;
  if (t == FP8_DTYPE_U8)
    return (uint8_t)*p;
  memcpy(&v, p, sizeof v);
  return v;
}

/* The first code above mask in C order (the walk may have gone in memory
 * order): its flat index and value.  Only on the error path. */
static size_t first_bad_code(const fp8_array *a, uint32_t mask, uint32_t *code)
{
  ptrdiff_t idx[FP8_ARRAY_MAX_DIMS] = {0};
  const char *p = a->data;
  for (size_t flat = 0;; flat++) {
    if ((*code = code_at(a->dtype, p)) > mask)
      return flat;
    int d = a->ndim - 1;
    for (; d >= 0; d--) {
      p += a->strides[d];
      if (++idx[d] < a->shape[d])
        break;
      p -= a->strides[d] * a->shape[d];
      idx[d] = 0;
    }
    if (d < 0)
      return flat + 1;     /* not reached: the walk found a bad code */
  }
}

static int dec_run(void *p, const void *in, void *out, size_t m, size_t done)
{
  dec_ctx *c = p;
  for (size_t j = 0; j < m; j++) {
    uint32_t code = c->tin == FP8_DTYPE_U8 ? ((const uint8_t *)in)[j] : ((const uint16_t *)in)[j];
    if (code > c->mask)
      return -1;
    double v = c->lut ? c->lut[code] : fp8_codec_decode(c->f, code);
    if (c->tout == FP8_DTYPE_F32)
      ((float *)out)[j] = (float)v;
    else
      ((double *)out)[j] = v;
  }
  return 0;
}

int fp8_array_decode(const fp8_format *f, const fp8_array *in, const fp8_array *out,
                     char *err, size_t errlen)
{
  walk w;
  if (!f)
    return fp8_error_set(err, errlen, "missing format (NULL)");
  if (walk_make(in, out, &w, true, err, errlen) || check_code_type(f, in->dtype, "input", err, errlen) ||
      check_float_type(out->dtype, "output", err, errlen))
    return -1;
  dec_ctx c = {f, NULL, fp8_format_ncodes_minus1(f), in->dtype, out->dtype};
  /* A table of every code's value pays off once there are more codes to
   * decode than a quarter of the table (always, for 8-bit formats). */
  double *lut = NULL;
  size_t ncodes = (size_t)c.mask + 1;
  if (w.n * 4 >= ncodes && (lut = malloc(ncodes * sizeof *lut)) != NULL) {
    for (size_t k = 0; k < ncodes; k++)
      lut[k] = fp8_codec_decode(f, (uint32_t)k);
    c.lut = lut;
  }
  int st = walk_run(&w, in, out, dec_run, &c);
  free(lut);
  if (st) {
    uint32_t code;
    size_t flat = first_bad_code(in, c.mask, &code);
    return fp8_error_set(err, errlen, "code 0x%" PRIx32 " at flat index %zu does not fit '%s' "
                         "(%d bits: expected 0x0..0x%" PRIx32 ")", code, flat, f->name, f->bits, c.mask);
  }
  return 0;
}

/* ---- quantize ---------------------------------------------------------------- */

typedef struct quant_ctx {
  const fp8_format *f;
  const fp8_rounding *rc;
  double scale;
  unsigned flags;
  int tin, tout;
} quant_ctx;

static int quant_run(void *p, const void *in, void *out, size_t m, size_t done)
{
  quant_ctx *c = p;
  for (size_t j = 0; j < m; j++) {
    double x = c->tin == FP8_DTYPE_F32 ? ((const float *)in)[j] : ((const double *)in)[j];
    double q = fp8_quant_value(c->f, c->scale, x, c->rc, &c->flags);
    if (c->tout == FP8_DTYPE_F32)
      ((float *)out)[j] = (float)q;
    else
      ((double *)out)[j] = q;
  }
  return 0;
}

int fp8_array_quantize(const fp8_format *f, const fp8_array *in, const fp8_array *out,
                       const double *scales, size_t nscales, const fp8_rounding *rc,
                       unsigned *flags, char *err, size_t errlen)
{
  walk w;
  if (!f)
    return fp8_error_set(err, errlen, "missing format (NULL)");
  if (walk_make(in, out, &w, false, err, errlen) || check_float_type(in->dtype, "input", err, errlen) ||
      check_float_type(out->dtype, "output", err, errlen))
    return -1;
  if (!scales || nscales == 0)
    return fp8_error_set(err, errlen, "no scale given (expected 1, or one per index of the first axis)");
  if (nscales != 1 && (in->ndim == 0 || (size_t)in->shape[0] != nscales))
    return fp8_error_set(err, errlen, "%zu scales for a first axis of extent %td (expected 1 or %td)",
                         nscales, in->ndim ? in->shape[0] : 0, in->ndim ? in->shape[0] : 0);
  for (size_t c = 0; c < nscales; c++)
    if (!(scales[c] > 0) || scales[c] > 1.7976931348623157e308)
      return fp8_error_set(err, errlen, "scale %g (index %zu) is not a finite number > 0", scales[c], c);
  quant_ctx c = {f, rc ? rc : &fp8_rounding_default, scales[0], 0, in->dtype, out->dtype};
  bool reorder = !fp8_rounding_needs_rand(c.rc);
  if (nscales == 1) {
    if (walk_make(in, out, &w, reorder, err, errlen) == 0)
      walk_run(&w, in, out, quant_run, &c);
  } else {                   /* per channel: the sub-array of each first index */
    fp8_array a = *in, b = *out;
    a.ndim = b.ndim = in->ndim - 1;
    a.shape = in->shape + 1;
    b.shape = out->shape + 1;
    a.strides = in->strides + 1;
    b.strides = out->strides + 1;
    for (size_t k = 0; k < nscales; k++) {
      a.data = (char *)in->data + (ptrdiff_t)k * in->strides[0];
      b.data = (char *)out->data + (ptrdiff_t)k * out->strides[0];
      c.scale = scales[k];
      if (walk_make(&a, &b, &w, reorder, err, errlen) == 0)
        walk_run(&w, &a, &b, quant_run, &c);
    }
  }
  if (flags)
    *flags |= c.flags;
  return 0;
}

/* ---- copy to doubles ---------------------------------------------------------- */

static int copy_run(void *p, const void *in, void *out, size_t m, size_t done)
{
  const int *tin = p;
  for (size_t j = 0; j < m; j++)
    ((double *)out)[j] = *tin == FP8_DTYPE_F32 ? ((const float *)in)[j] : ((const double *)in)[j];
  return 0;
}

int fp8_array_to_f64(const fp8_array *in, double *out, size_t n, char *err, size_t errlen)
{
  walk w;
  if (!in)
    return fp8_error_set(err, errlen, "missing array (NULL)");
  if (in->ndim < 0 || in->ndim > FP8_ARRAY_MAX_DIMS)
    return fp8_error_set(err, errlen, "ndim %d out of range (expected 0..%d)", in->ndim, FP8_ARRAY_MAX_DIMS);
  ptrdiff_t strides[FP8_ARRAY_MAX_DIMS], step = (ptrdiff_t)sizeof(double);
  for (int i = in->ndim - 1; i >= 0; i--) {   /* C-contiguous doubles */
    strides[i] = step;
    step *= in->shape[i] > 0 ? in->shape[i] : 1;
  }
  fp8_array b = {out, FP8_DTYPE_F64, in->ndim, in->shape, strides};
  if (walk_make(in, &b, &w, false, err, errlen) || check_float_type(in->dtype, "input", err, errlen))
    return -1;
  if (w.n != n)
    return fp8_error_set(err, errlen, "room for %zu values, the array has %zu (expected equal)", n, w.n);
  return walk_run(&w, in, &b, copy_run, (void *)&in->dtype);
}
