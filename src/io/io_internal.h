/* io_internal.h - what the model readers share: one read context carrying the
 * error buffer and the byte budget, tensor creation with checked shapes, and
 * the little-endian element decoder. */
#ifndef FP8_IO_INTERNAL_H
#define FP8_IO_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "modelio.h"

typedef struct io_ctx {
  const char *file;       /* the spec being read, for messages */
  char *err;
  size_t errlen;
  size_t budget;          /* bytes that may still be held */
  size_t max_bytes;
  size_t max_ratio;       /* fp8_io_limits.max_ratio */
  fp8_io_model *m;
} io_ctx;

/* Message "FILE: ..." into ctx->err; returns -1. */
int io_fail(io_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Take bytes from the budget; -1 (message naming what) when it runs out. */
int io_charge(io_ctx *c, size_t bytes, const char *what);

/* a * b, or SIZE_MAX on overflow. */
size_t io_mul(size_t a, size_t b);

/* A new tensor with a checked shape (0 <= dims, ndim <= FP8_IO_MAX_DIMS, the
 * product fits).  No data yet.  NULL after io_fail. */
fp8_io_tensor *io_tensor_new(io_ctx *c, const char *name, int ndim, const int64_t *dims,
                             fp8_io_dtype dtype);
/* Element size in bytes of a dtype. */
size_t io_dtype_size(fp8_io_dtype t);
/* Fill t->data from nbytes of little-endian elements, which must be exactly
 * t->count elements; charges the budget for the doubles.  0 or -1. */
int io_tensor_decode(io_ctx *c, fp8_io_tensor *t, const uint8_t *bytes, size_t nbytes);
/* Fill t->data from values already widened (ONNX typed fields): count must
 * match.  get(i) reads element i. */
int io_tensor_fill(io_ctx *c, fp8_io_tensor *t, size_t n, double (*get)(const void *, size_t),
                   const void *src);
/* Drop the last tensor (after a failed fill). */
void io_tensor_drop_last(io_ctx *c);
/* Widen a 16-bit float16/bfloat16 code exactly. */
double io_half_to_double(fp8_io_dtype t, uint32_t code);

/* Readers: 0 or -1 after io_fail. */
int io_onnx_read(io_ctx *c, const uint8_t *buf, size_t len);
int io_npy_read(io_ctx *c, const char *name, const uint8_t *buf, size_t len);
/* A zip (an .npz) held in memory: every member ending in .npy. */
int io_npz_read(io_ctx *c, const uint8_t *buf, size_t len);
/* The bytes of a member of a zip archive (a file path, or a buffer when path
 * is NULL), bounded by the budget.  *out is malloc'ed; 0 or -1. */
int io_zip_member(io_ctx *c, const char *path, const uint8_t *buf, size_t len,
                  const char *member, uint8_t **out, size_t *outlen);

#endif
