/* model_write.h - small model files with known contents, for the tests of the
 * model readers and of fp8lab tensors: ONNX through the protobuf-c code
 * generated from onnx.proto (packing, not hand-made bytes), .npy by the
 * format's specification, .npz and wheels through libzip. */
#ifndef FP8_TESTS_MODEL_WRITE_H
#define FP8_TESTS_MODEL_WRITE_H

#include <stddef.h>
#include <stdint.h>

/* Every writer returns 0, or -1 with a message on stderr. */

/* small.onnx: the tensors listed in model_write.c (known_*) in one graph with
 * a MatMul, a Gemm (transB=1), a Constant and an If whose branch holds a
 * Constant and an initializer. */
int mw_onnx_small(const char *path);
/* One float32 initializer of shape dims[0..ndim) with n values given
 * (typed float_data if typed, else raw_data), named name ('w' when NULL): for
 * hostile shapes and names. */
int mw_onnx_one(const char *path, const char *name, int ndim, const int64_t *dims, const float *v, size_t n,
                int typed);
/* If nodes nested depth deep, a Constant at the bottom. */
int mw_onnx_nested(const char *path, int depth);

/* An .npy (version 1) of little-endian values: descr e.g. "<f4", the shape
 * as a Python tuple text e.g. "(2, 3)", data bytes as given. */
int mw_npy(const char *path, const char *descr, const char *shape, const void *data, size_t nbytes);
/* Bytes of such an .npy in memory (malloc'ed). */
uint8_t *mw_npy_bytes(const char *descr, const char *shape, const void *data, size_t nbytes,
                      size_t *len);

/* A zip of members (names[i] with bytes data[i] of len[i]), deflated where
 * deflate[i]. */
int mw_zip(const char *path, size_t n, const char *const *names, const uint8_t *const *data,
           const size_t *len, const int *deflate);

/* The test set in DIR: small.onnx, small.npz, pkg.whl (valid, known
 * contents); trunc.onnx, garbage.onnx, hugedims.onnx, negdim.onnx, deep.onnx,
 * hugeshape.npy, bigendian.npy, bomb.npz (hostile). */
int mw_write_valid(const char *dir);
int mw_write_hostile(const char *dir);

/* DIR/LEAF in one of 8 rotating static buffers. */
const char *mw_path(const char *dir, const char *leaf);

/* A file's bytes (malloc'ed), or NULL. */
uint8_t *mw_slurp(const char *path, size_t *len);

/* The known contents of small.onnx and small.npz. */
extern const float mw_w_raw[6];       /* 'w_raw' 2x3 float32 raw_data, read by MatMul input 1 */
extern const float mw_w_typed[4];     /* 'w_typed' 4 float32 float_data, read by Gemm input 1 */
extern const uint16_t mw_h16[4];      /* 'h16' 2x2 float16 in int32_data */
extern const double mw_h16_val[4];
extern const uint16_t mw_bf16[2];     /* 'bf16' bfloat16 raw_data */
extern const double mw_bf16_val[2];

#endif
