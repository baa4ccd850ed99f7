/* zip.c - members of zip archives (wheels, .npz) through libzip, read with a
 * bounded budget: the declared size is checked before anything is allocated
 * (against the byte budget and, where asked, the inflation ratio), and a
 * member that inflates to more than it declared is an error. */
#include "io_internal.h"

#include <stdlib.h>
#include <string.h>

#include <zip.h>

static zip_t *open_zip(io_ctx *c, const char *path, const uint8_t *buf, size_t len)
{
  zip_error_t ze;
  zip_error_init(&ze);
  zip_t *za = NULL;
  if (path) {
    int code = 0;
    za = zip_open(path, ZIP_RDONLY, &code);
    if (!za)
      zip_error_init_with_code(&ze, code);
  } else {
    zip_source_t *src = zip_source_buffer_create(buf, len, 0, &ze);
    if (src) {
      za = zip_open_from_source(src, ZIP_RDONLY, &ze);
      if (!za)
        zip_source_free(src);
    }
  }
  if (!za)
    io_fail(c, "not a readable zip archive: %s", zip_error_strerror(&ze));
  zip_error_fini(&ze);
  return za;
}

/* Read entry idx (declared size checked against the budget). */
static int read_entry(io_ctx *c, zip_t *za, zip_uint64_t idx, const char *member,
                      uint8_t **out, size_t *outlen)
{
  zip_stat_t sb;
  zip_stat_init(&sb);
  if (zip_stat_index(za, idx, 0, &sb) || !(sb.valid & ZIP_STAT_SIZE))
    return io_fail(c, "member '%s': no size in the archive directory", member);
  if (sb.size >= SIZE_MAX)
    return io_fail(c, "member '%s' declares %llu bytes", member, (unsigned long long)sb.size);
  if (c->max_ratio && (sb.valid & ZIP_STAT_COMP_SIZE) && sb.size > FP8_IO_RATIO_FLOOR &&
      sb.size / c->max_ratio > sb.comp_size)
    return io_fail(c, "member '%s' inflates %llu bytes to %llu (%llu:1), more than %zu:1 past %zu MiB: "
                   "not weights but a zip bomb? (an explicit --max-mib lifts this bound)", member,
                   (unsigned long long)sb.comp_size, (unsigned long long)sb.size,
                   (unsigned long long)(sb.size / (sb.comp_size ? sb.comp_size : 1)), c->max_ratio,
                   FP8_IO_RATIO_FLOOR >> 20);
  if (io_charge(c, (size_t)sb.size, "the archive member"))
    return -1;
  size_t n = (size_t)sb.size;
  uint8_t *b = malloc(n + 1);
  if (!b)
    return io_fail(c, "out of memory for member '%s' (%zu bytes)", member, n);
  zip_file_t *zf = zip_fopen_index(za, idx, 0);
  if (!zf) {
    free(b);
    return io_fail(c, "member '%s': %s", member, zip_strerror(za));
  }
  size_t got = 0;
  while (got <= n) {   /* one byte of room: a member longer than declared is caught */
    zip_int64_t r = zip_fread(zf, b + got, n + 1 - got);
    if (r < 0) {
      io_fail(c, "member '%s': %s", member, zip_file_strerror(zf));
      zip_fclose(zf);
      free(b);
      return -1;
    }
    if (r == 0)
      break;
    got += (size_t)r;
  }
  zip_fclose(zf);
  if (got != n) {
    free(b);
    return io_fail(c, "member '%s' holds %s bytes than the %zu its directory entry declares",
                   member, got > n ? "more" : "fewer", n);
  }
  *out = b;
  *outlen = n;
  return 0;
}

int io_zip_member(io_ctx *c, const char *path, const uint8_t *buf, size_t len,
                  const char *member, uint8_t **out, size_t *outlen)
{
  zip_t *za = open_zip(c, path, buf, len);
  if (!za)
    return -1;
  zip_int64_t idx = zip_name_locate(za, member, 0);
  int st;
  if (idx < 0)
    st = io_fail(c, "no member '%s' in the archive", member);
  else
    st = read_entry(c, za, (zip_uint64_t)idx, member, out, outlen);
  zip_discard(za);
  return st;
}

int io_npz_read(io_ctx *c, const uint8_t *buf, size_t len)
{
  zip_t *za = open_zip(c, NULL, buf, len);
  if (!za)
    return -1;
  zip_int64_t n = zip_get_num_entries(za, 0);
  int st = 0, found = 0;
  for (zip_int64_t i = 0; i < n && !st; i++) {
    const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
    size_t nl = name ? strlen(name) : 0;
    if (nl < 4 || strcmp(name + nl - 4, ".npy"))
      continue;
    found = 1;
    uint8_t *b = NULL;
    size_t bl = 0;
    st = read_entry(c, za, (zip_uint64_t)i, name, &b, &bl);
    if (!st) {
      char *tname = strndup(name, nl - 4);   /* numpy.savez names members KEY.npy */
      st = tname ? io_npy_read(c, tname, b, bl) : io_fail(c, "out of memory");
      free(tname);
      c->budget += bl;                        /* the member's bytes are freed */
    }
    free(b);
  }
  zip_discard(za);
  if (!st && !found)
    st = io_fail(c, "no .npy member in the archive");
  return st;
}
