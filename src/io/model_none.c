/* model_none.c - the model reader of a build without protobuf-c or libzip:
 * every read fails with what to install. */
#include <string.h>

#include "error.h"
#include "modelio.h"

int fp8_io_model_read(const char *spec, const fp8_io_limits *lim, fp8_io_model *m,
                      char *err, size_t errlen)
{
  (void)lim;
  memset(m, 0, sizeof *m);
  return fp8_error_set(err, errlen, "%s: this fp8lab was built without the model readers "
                       "(install protobuf-c-compiler libprotobuf-c-dev libzip-dev libonnx-dev, "
                       "then ./configure && make)", spec);
}

void fp8_io_model_free(fp8_io_model *m)
{
  memset(m, 0, sizeof *m);
}

const char *fp8_io_dtype_name(fp8_io_dtype t)
{
  (void)t;
  return "?";
}

int fp8_io_available(void)
{
  return 0;
}
