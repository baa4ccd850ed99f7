/* fuzz_onnx.c - ONNX models, through the reader 'fp8lab tensors' uses
 * (fp8_io_model_read on a file, under a 64 MiB read limit).  Invariants
 * checked: a model that reads has, for every tensor, as many values as its
 * shape says, and the parameter count is their sum; nesting, sizes and
 * corrupt bytes end in a message, never a crash (the reader scans the nesting
 * before protobuf-c, whose unpacking recurses without a bound). */
#include <stdlib.h>

#include "fuzz.h"
#include "modelio.h"

FUZZ_TARGET(onnx)
{
  const char *path = fuzz_file("model.onnx", data, size);
  fp8_io_limits lim = {(size_t)64 << 20};
  fp8_io_model m;
  char err[600];
  if (fp8_io_model_read(path, &lim, &m, err, sizeof err) == 0) {
    size_t params = 0;
    for (size_t i = 0; i < m.n; i++) {
      size_t count = 1;
      for (int d = 0; d < m.t[i].ndim; d++)
        count *= (size_t)m.t[i].dims[d];
      if (count != m.t[i].count || (count && !m.t[i].data))
        abort();
      params += count;
    }
    if (params != m.params)
      abort();
    fp8_io_model_free(&m);
  }
  return 0;
}
