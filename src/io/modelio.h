/* modelio.h - tensors read from model files (doc/DESIGN.md section 1: io, no numerics).
 *
 * A model spec names a file, or a member inside a zip archive (a wheel, an
 * .npz):
 *   model.onnx                     ONNX: initializers and Constant nodes, in
 *                                  subgraphs (If/Loop/Scan bodies) too
 *   weights.npy | weights.npz      NumPy; .npz members stored or deflated
 *   pkg.whl:path/in/archive.onnx   a member of a zip archive (any of the above;
 *                                  an .npz inside a wheel works too)
 * A path that exists as a file is taken whole; otherwise the spec is split at
 * the first ':' whose left part is an existing file.
 *
 * Element types: float32, float16, bfloat16 (ONNX, .npy), float64 (.npy).
 * Values are widened exactly to double (float16/bfloat16 through the codec).
 *
 * Hostile input: every size is checked against the bytes actually present
 * before anything is allocated (a declared shape never allocates more than the
 * file holds), and the whole read is bounded by limits.max_bytes (file or
 * member bytes read plus decoded values).  Errors name the file, the tensor and
 * the bad value.
 */
#ifndef FP8_IO_MODELIO_H
#define FP8_IO_MODELIO_H

#include <stddef.h>
#include <stdint.h>

#define FP8_IO_MAX_DIMS 8
#define FP8_IO_DEFAULT_MAX_BYTES ((size_t)4 << 30)   /* 4 GiB */

typedef enum fp8_io_dtype { FP8_IO_F32, FP8_IO_F16, FP8_IO_BF16, FP8_IO_F64 } fp8_io_dtype;

typedef struct fp8_io_tensor {
  char *name;
  int ndim;
  int64_t dims[FP8_IO_MAX_DIMS];
  size_t count;             /* product of dims (1 for a scalar) */
  fp8_io_dtype dtype;       /* as stored in the file */
  double *data;             /* count values, row-major (C order) */
  /* The first node that reads the tensor (ONNX only; op[0] == 0 otherwise):
   * op_type, the input slot, and Gemm's transB.  The analysis derives the
   * output-channel axis from it (MatMul B is [K, N]; Conv W is [O, I, ...]). */
  char op[32];
  int input;
  int trans_b;
} fp8_io_tensor;

typedef struct fp8_io_model {
  fp8_io_tensor *t;
  size_t n, cap;
  size_t params;            /* sum of counts */
  size_t bytes;             /* held once read (values, names, the list), charged to max_bytes */
  size_t skipped;           /* tensors of other element types (int64 shapes, ...) */
} fp8_io_model;

typedef struct fp8_io_limits {
  size_t max_bytes;         /* 0: FP8_IO_DEFAULT_MAX_BYTES */
  /* A deflated archive member may inflate to at most max_ratio times its
   * compressed size, or FP8_IO_RATIO_FLOOR bytes, whichever is more (0: no
   * such bound).  Trained weights deflate by well under 2:1; a zip bomb by
   * up to 1032:1, which under the byte limit alone lets a 1 MiB file take
   * gigabytes. */
  size_t max_ratio;
} fp8_io_limits;
#define FP8_IO_DEFAULT_MAX_RATIO 64
#define FP8_IO_RATIO_FLOOR ((size_t)64 << 20)   /* 64 MiB */

/* Read every floating-point tensor of the model spec into m (zeroed first).
 * Returns 0, or -1 with a message in err (m is then empty). */
int fp8_io_model_read(const char *spec, const fp8_io_limits *lim, fp8_io_model *m,
                      char *err, size_t errlen);
void fp8_io_model_free(fp8_io_model *m);

const char *fp8_io_dtype_name(fp8_io_dtype t);

/* Whether this build reads models (protobuf-c and libzip found). */
int fp8_io_available(void);

#endif
