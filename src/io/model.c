/* model.c - model specs (path or archive:member), the read context, tensors
 * with checked shapes, and dispatch to the readers by content. */
#include "io_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "codec.h"
#include "format.h"

int io_fail(io_ctx *c, const char *fmt, ...)
{
  if (c->err && c->errlen) {
    int k = snprintf(c->err, c->errlen, "%s: ", c->file);
    if (k >= 0 && (size_t)k < c->errlen) {
      va_list ap;
      va_start(ap, fmt);
      vsnprintf(c->err + k, c->errlen - (size_t)k, fmt, ap);
      va_end(ap);
    }
  }
  return -1;
}

int io_charge(io_ctx *c, size_t bytes, const char *what)
{
  if (bytes > c->budget)
    return io_fail(c, "%s would take %zu bytes more, past the %zu MiB read limit "
                   "(raise --max-mib if the model is really that large)",
                   what, bytes, c->max_bytes >> 20);
  c->budget -= bytes;
  return 0;
}

size_t io_mul(size_t a, size_t b)
{
  return b && a > SIZE_MAX / b ? SIZE_MAX : a * b;
}

size_t io_dtype_size(fp8_io_dtype t)
{
  return t == FP8_IO_F64 ? 8 : t == FP8_IO_F32 ? 4 : 2;
}

const char *fp8_io_dtype_name(fp8_io_dtype t)
{
  switch (t) {
  case FP8_IO_F32: return "float32";
  case FP8_IO_F16: return "float16";
  case FP8_IO_BF16: return "bfloat16";
  case FP8_IO_F64: return "float64";
  }
  return "?";
}

fp8_io_tensor *io_tensor_new(io_ctx *c, const char *name, int ndim, const int64_t *dims,
                             fp8_io_dtype dtype)
{
  if (ndim < 0 || ndim > FP8_IO_MAX_DIMS) {
    io_fail(c, "tensor '%s' has %d dimensions; at most %d are supported", name, ndim,
            FP8_IO_MAX_DIMS);
    return NULL;
  }
  size_t count = 1;
  for (int i = 0; i < ndim; i++) {
    if (dims[i] < 0) {
      io_fail(c, "tensor '%s': dimension %d is %lld; expected a size >= 0", name, i,
              (long long)dims[i]);
      return NULL;
    }
    count = io_mul(count, (size_t)dims[i]);
    if (count == SIZE_MAX || (uint64_t)dims[i] > SIZE_MAX) {
      io_fail(c, "tensor '%s': the shape's element count overflows", name);
      return NULL;
    }
  }
  fp8_io_model *m = c->m;
  if (m->n == m->cap) {
    size_t cap = m->cap ? 2 * m->cap : 16;
    if (io_charge(c, (cap - m->cap) * sizeof *m->t, "the tensor list"))
      return NULL;
    fp8_io_tensor *t = realloc(m->t, cap * sizeof *t);
    if (!t) {
      io_fail(c, "out of memory");
      return NULL;
    }
    m->t = t;
    m->cap = cap;
  }
  size_t nl = strlen(name);
  if (io_charge(c, nl + 1, "a tensor name"))
    return NULL;
  fp8_io_tensor *t = &m->t[m->n];
  memset(t, 0, sizeof *t);
  t->name = malloc(nl + 1);
  if (!t->name) {
    io_fail(c, "out of memory");
    return NULL;
  }
  memcpy(t->name, name, nl + 1);
  t->ndim = ndim;
  for (int i = 0; i < ndim; i++)
    t->dims[i] = dims[i];
  t->count = count;
  t->dtype = dtype;
  m->n++;
  return t;
}

void io_tensor_drop_last(io_ctx *c)
{
  fp8_io_tensor *t = &c->m->t[--c->m->n];
  free(t->name);
  free(t->data);
}

double io_half_to_double(fp8_io_dtype t, uint32_t code)
{
  static fp8_format f16, bf16;
  static int ready;
  if (!ready) {   /* presets; parse cannot fail */
    fp8_format_parse("fp16", &f16, NULL, 0);
    fp8_format_parse("bf16", &bf16, NULL, 0);
    ready = 1;
  }
  return fp8_codec_decode(t == FP8_IO_BF16 ? &bf16 : &f16, code & 0xffffu);
}

static int alloc_data(io_ctx *c, fp8_io_tensor *t)
{
  if (io_charge(c, io_mul(t->count ? t->count : 1, sizeof(double)), "the tensor's values"))
    return -1;
  t->data = malloc((t->count ? t->count : 1) * sizeof(double));
  if (!t->data)
    return io_fail(c, "out of memory for tensor '%s' (%zu values)", t->name, t->count);
  c->m->params += t->count;
  return 0;
}

int io_tensor_decode(io_ctx *c, fp8_io_tensor *t, const uint8_t *b, size_t nbytes)
{
  size_t es = io_dtype_size(t->dtype);
  if (nbytes / es != t->count || nbytes % es)
    return io_fail(c, "tensor '%s': shape needs %zu %s values (%zu bytes) but %zu bytes are stored",
                   t->name, t->count, fp8_io_dtype_name(t->dtype), io_mul(t->count, es), nbytes);
  if (alloc_data(c, t))
    return -1;
  for (size_t i = 0; i < t->count; i++, b += es) {
    uint64_t u = 0;
    for (size_t k = 0; k < es; k++)
      u |= (uint64_t)b[k] << (8 * k);
    if (t->dtype == FP8_IO_F32) {
      uint32_t w = (uint32_t)u;
      float f;
      memcpy(&f, &w, 4);
      t->data[i] = f;
    } else if (t->dtype == FP8_IO_F64) {
      memcpy(&t->data[i], &u, 8);
    } else {
      t->data[i] = io_half_to_double(t->dtype, (uint32_t)u);
    }
  }
  return 0;
}

int io_tensor_fill(io_ctx *c, fp8_io_tensor *t, size_t n, double (*get)(const void *, size_t),
                   const void *src)
{
  if (n != t->count)
    return io_fail(c, "tensor '%s': shape needs %zu values but %zu are stored", t->name,
                   t->count, n);
  if (alloc_data(c, t))
    return -1;
  for (size_t i = 0; i < n; i++)
    t->data[i] = get(src, i);
  return 0;
}

/* ---- files and dispatch ------------------------------------------------------ */

static int read_file(io_ctx *c, const char *path, uint8_t **out, size_t *len)
{
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return io_fail(c, "cannot open: %s", strerror(errno));
  struct stat st;
  if (fstat(fileno(fp), &st) || !S_ISREG(st.st_mode)) {
    fclose(fp);
    return io_fail(c, "not a regular file");
  }
  size_t n = (size_t)st.st_size;
  if (io_charge(c, n, "reading the file")) {
    fclose(fp);
    return -1;
  }
  uint8_t *b = malloc(n ? n : 1);
  if (!b) {
    fclose(fp);
    return io_fail(c, "out of memory reading %zu bytes", n);
  }
  size_t got = fread(b, 1, n, fp);
  int bad = ferror(fp);
  fclose(fp);
  if (bad || got != n) {
    free(b);
    return io_fail(c, "read error (%zu of %zu bytes)", got, n);
  }
  *out = b;
  *len = n;
  return 0;
}

static int ends_with(const char *s, const char *suf)
{
  size_t a = strlen(s), b = strlen(suf);
  return a >= b && !strcmp(s + a - b, suf);
}

/* Dispatch on content: NumPy magic, zip magic (an .npz), else ONNX protobuf. */
static int read_buffer(io_ctx *c, const char *name, const uint8_t *b, size_t n)
{
  if (n >= 6 && !memcmp(b, "\x93NUMPY", 6))
    return io_npy_read(c, name, b, n);
  if (n >= 4 && !memcmp(b, "PK\x03\x04", 4)) {
    if (!ends_with(name, ".npz"))
      return io_fail(c, "a zip archive: name the model inside it, e.g. %s:path/in/archive.onnx "
                     "(only an .npz is read whole)", name);
    return io_npz_read(c, b, n);
  }
  if (n >= 4 && !memcmp(b, "PK\x05\x06", 4))
    return io_fail(c, "an empty zip archive");
  if (ends_with(name, ".npy") || ends_with(name, ".npz"))
    return io_fail(c, "not a NumPy file (expected the magic \\x93NUMPY or a zip archive)");
  return io_onnx_read(c, b, n);
}

static int is_file(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int fp8_io_model_read(const char *spec, const fp8_io_limits *lim, fp8_io_model *m,
                      char *err, size_t errlen)
{
  memset(m, 0, sizeof *m);
  io_ctx c = {.file = spec, .err = err, .errlen = errlen, .m = m};
  c.max_bytes = lim && lim->max_bytes ? lim->max_bytes : FP8_IO_DEFAULT_MAX_BYTES;
  c.max_ratio = lim ? lim->max_ratio : 0;
  c.budget = c.max_bytes;
  uint8_t *buf = NULL;
  size_t len = 0;
  int st;
  const char *member = NULL;
  char *path = NULL;
  if (!is_file(spec)) {   /* ARCHIVE:MEMBER, split at the first ':' naming a file */
    for (const char *p = strchr(spec, ':'); p; p = strchr(p + 1, ':')) {
      char *pre = strndup(spec, (size_t)(p - spec));
      if (pre && is_file(pre)) {
        path = pre;
        member = p + 1;
        break;
      }
      free(pre);
    }
  }
  if (member) {
    if (!*member)
      st = io_fail(&c, "empty member name after ':'; expected ARCHIVE:path/in/archive");
    else
      st = io_zip_member(&c, path, NULL, 0, member, &buf, &len);
  } else {
    st = read_file(&c, spec, &buf, &len);
  }
  if (!st)
    st = read_buffer(&c, member ? member : spec, buf, len);
  free(buf);
  free(path);
  if (st)
    fp8_io_model_free(m);
  else   /* the file's or member's bytes, charged while read, are freed */
    m->bytes = c.max_bytes - c.budget > len ? c.max_bytes - c.budget - len : 0;
  return st;
}

void fp8_io_model_free(fp8_io_model *m)
{
  for (size_t i = 0; i < m->n; i++) {
    free(m->t[i].name);
    free(m->t[i].data);
  }
  free(m->t);
  memset(m, 0, sizeof *m);
}

int fp8_io_available(void)
{
  return 1;
}
