/* npy.c - one NumPy .npy array (format versions 1-3): the header dictionary
 * ('descr', 'fortran_order', 'shape') and little-endian float16/32/64 data. */
#include "io_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The value text after 'key': in the header, or NULL. */
static const char *find_key(const char *h, const char *key)
{
  char pat[32];
  snprintf(pat, sizeof pat, "'%s':", key);
  const char *p = strstr(h, pat);
  if (!p)
    return NULL;
  p += strlen(pat);
  while (*p == ' ')
    p++;
  return p;
}

static int parse_shape(io_ctx *c, const char *name, const char *p, int *ndim, int64_t *dims)
{
  if (*p != '(')
    return io_fail(c, "array '%s': 'shape' is not a tuple", name);
  p++;
  *ndim = 0;
  for (;;) {
    while (*p == ' ' || *p == ',')
      p++;
    if (*p == ')')
      return 0;
    if (!isdigit((unsigned char)*p))
      return io_fail(c, "array '%s': bad 'shape' entry at \"%.20s\"; expected a size >= 0", name, p);
    if (*ndim == FP8_IO_MAX_DIMS)
      return io_fail(c, "array '%s' has more than %d dimensions", name, FP8_IO_MAX_DIMS);
    errno = 0;
    char *end;
    unsigned long long v = strtoull(p, &end, 10);
    if (errno || v > INT64_MAX)
      return io_fail(c, "array '%s': shape entry \"%.20s\" is out of range", name, p);
    dims[(*ndim)++] = (int64_t)v;
    p = end;
  }
}

int io_npy_read(io_ctx *c, const char *name, const uint8_t *b, size_t n)
{
  if (n < 10 || memcmp(b, "\x93NUMPY", 6))
    return io_fail(c, "array '%s': not a .npy file (no \\x93NUMPY magic)", name);
  int major = b[6];
  size_t hl, off;
  if (major == 1) {
    hl = b[8] | (size_t)b[9] << 8;
    off = 10;
  } else if (major == 2 || major == 3) {
    if (n < 12)
      return io_fail(c, "array '%s': truncated header", name);
    hl = b[8] | (size_t)b[9] << 8 | (size_t)b[10] << 16 | (size_t)b[11] << 24;
    off = 12;
  } else {
    return io_fail(c, "array '%s': .npy format version %d; expected 1, 2 or 3", name, major);
  }
  if (hl > n - off)
    return io_fail(c, "array '%s': header of %zu bytes but only %zu follow (truncated)", name, hl,
                   n - off);
  char *h = strndup((const char *)b + off, hl);
  if (!h)
    return io_fail(c, "out of memory");
  int st = 0, ndim = 0;
  int64_t dims[FP8_IO_MAX_DIMS];
  fp8_io_dtype dt = FP8_IO_F32;
  const char *d = find_key(h, "descr"), *fo = find_key(h, "fortran_order"), *sh = find_key(h, "shape");
  if (!d || !fo || !sh) {
    st = io_fail(c, "array '%s': header lacks 'descr', 'fortran_order' or 'shape'", name);
  } else if (!strncmp(d, "'<f4'", 5)) {
    dt = FP8_IO_F32;
  } else if (!strncmp(d, "'<f2'", 5)) {
    dt = FP8_IO_F16;
  } else if (!strncmp(d, "'<f8'", 5)) {
    dt = FP8_IO_F64;
  } else if (!strncmp(d, "'<i", 3) || !strncmp(d, "'<u", 3) || !strncmp(d, "'|", 2)) {
    c->m->skipped++;   /* integer and bool arrays are not weights: counted, skipped */
    free(h);
    return 0;
  } else {
    const char *q = d + (*d == '\'');
    st = io_fail(c, "array '%s' has dtype '%.*s'; expected little-endian float16, float32 or "
                 "float64 ('<f2', '<f4', '<f8')", name, (int)strcspn(q, "'"), q);
  }
  if (!st)
    st = parse_shape(c, name, sh, &ndim, dims);
  if (!st && !strncmp(fo, "True", 4) && ndim > 1)
    st = io_fail(c, "array '%s' is in Fortran order; expected C order (save with "
                 "numpy.ascontiguousarray)", name);
  if (!st) {
    fp8_io_tensor *t = io_tensor_new(c, name, ndim, dims, dt);
    if (!t || io_tensor_decode(c, t, b + off + hl, n - off - hl)) {
      if (t)
        io_tensor_drop_last(c);
      st = -1;
    }
  }
  free(h);
  return st;
}
