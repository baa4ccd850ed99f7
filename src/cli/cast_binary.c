/* cast_binary.c - the I/O path of 'fp8lab cast --binary' (cast_binary.h). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cast_binary.h"
#include "cli.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HOST_LE 1
#else
#define HOST_LE 0
#endif

enum { BLOCK = 1 << 22 };          /* values per block: 16 MiB of float32 */
enum { MIN_PART = 1 << 16 };       /* smaller parts are not worth a thread */
enum { PIECE = 1 << 16 };          /* ranged mode: values per write, so the output stays in cache */

typedef struct job {
  const cast_bin *b;
  const uint32_t *table;          /* decode: float32 bits per code */
  const unsigned char *in;        /* this part's input bytes */
  unsigned char *out;             /* this part's output bytes */
  size_t n;
  unsigned long nan_in;           /* encode: NaN inputs (the kernel's flags are an OR) */
  size_t bad;                     /* decode: index of a code beyond the format + 1, or 0 */
  /* ranged mode (run_range): convert in PIECE-value pieces through a small
   * buffer and pwrite each at its own offset of out_fd */
  int out_fd;
  off_t out_off;
  int err;                        /* errno of a failed pwrite */
} job;

static size_t in_width(const cast_bin *b) { return b->decode ? (b->f->bits > 8 ? 2 : 1) : 4; }
static size_t out_width(const cast_bin *b) { return b->decode ? 4 : (b->f->bits > 8 ? 2 : 1); }

/* Encode one part.  The fast kernels on little-endian hosts; the rest element
 * by element (scale, flags, or a big-endian host). */
static void encode_part(job *j)
{
  const cast_bin *b = j->b;
  size_t ow = out_width(b);
  bool per_element = b->scale != 1.0 || b->flags;
  if (HOST_LE && !per_element && ((uintptr_t)j->in & 3) == 0) {
    /* no flags: the kernel's loop without them is the faster one */
    const float *in = (const float *)(const void *)j->in;
    if (ow == 1)
      fp8_codec_encode_f32_u8(b->f, in, j->out, j->n, b->rc, NULL);
    else
      fp8_codec_encode_f32_u16(b->f, in, (uint16_t *)(void *)j->out, j->n, b->rc, NULL);
    if (!fp8_format_has_nan(b->f)) {   /* NaN inputs raise invalid: count them */
      const uint32_t *u = (const uint32_t *)(const void *)j->in;
      unsigned long nans = 0;
      for (size_t i = 0; i < j->n; i++)
        nans += (u[i] & 0x7fffffffu) > 0x7f800000u;
      j->nan_in += nans;
    }
    return;
  }
  cast_bin *mb = (cast_bin *)b;    /* element by element runs on one thread only */
  for (size_t i = 0; i < j->n; i++) {
    uint32_t u = cast_load_le(j->in + 4 * i, 4);
    float x;
    memcpy(&x, &u, sizeof x);
    unsigned fl = 0;
    uint32_t code = fp8_codec_encode(b->f, per_element ? x / b->scale : x, b->rc, &fl);
    if (b->flags)
      for (int k = 0; k < 4; k++)
        mb->count[k] += (fl >> k) & 1;
    else
      j->nan_in += (fl & FP8_FLAG_INVALID) != 0;
    cast_store_le(j->out + ow * i, code, ow);
  }
}

/* Decode one part through the table; a code beyond the format stops it. */
static void decode_part(job *j)
{
  size_t iw = in_width(j->b);
  uint32_t limit = fp8_format_ncodes_minus1(j->b->f);
  if (HOST_LE) {
    uint32_t *out = (uint32_t *)(void *)j->out;
    uint32_t over = 0;
    if (iw == 1) {
      const uint8_t *in = j->in;
      for (size_t i = 0; i < j->n; i++) {
        over |= in[i] > limit;
        out[i] = j->table[in[i] & limit];
      }
    } else {
      const uint16_t *in = (const uint16_t *)(const void *)j->in;
      for (size_t i = 0; i < j->n; i++) {
        over |= in[i] > limit;
        out[i] = j->table[in[i] & limit];
      }
    }
    if (!over)
      return;
  }
  for (size_t i = 0; i < j->n; i++) {
    uint32_t c = cast_load_le(j->in + iw * i, iw);
    if (c > limit) {
      j->bad = i + 1;
      return;
    }
    cast_store_le(j->out + 4 * i, j->table[c], 4);
  }
}

/* Threads for n values: one where results depend on element order or are
 * counted element by element (stochastic rounding, scale, flags), else as
 * asked, but no part smaller than MIN_PART values. */
static size_t threads_for(const cast_bin *b, size_t n)
{
  bool one = b->scale != 1.0 || b->flags || (!b->decode && !fp8_codec_f32_fast_covers(b->f, b->rc));
  size_t t = one ? 1 : (size_t)(b->threads < 256 ? b->threads : 256);
  if (t > 1 && n / t < MIN_PART)
    t = n / MIN_PART > 0 ? n / MIN_PART : 1;
  return t;
}

static void *run_job(void *arg)
{
  job *j = arg;
  if (j->b->decode)
    decode_part(j);
  else
    encode_part(j);
  return NULL;
}

/* Ranged mode: one thread's contiguous share, piece by piece, each piece
 * written at its own offset (the bytes do not depend on who writes them). */
static void *run_range(void *arg)
{
  job *j = arg;
  size_t iw = in_width(j->b), ow = out_width(j->b), total = j->n;
  unsigned char *buf = NULL;
  if (posix_memalign((void **)&buf, 4096, (size_t)PIECE * ow)) {
    j->err = ENOMEM;
    return NULL;
  }
  const unsigned char *in = j->in;
  off_t off = j->out_off;
  for (size_t at = 0; at < total && !j->err && !j->bad; at += PIECE) {
    job piece = *j;
    piece.in = in + iw * at;
    piece.out = buf;
    piece.n = total - at < PIECE ? total - at : PIECE;
    piece.nan_in = 0;
    run_job(&piece);
    j->nan_in += piece.nan_in;
    if (piece.bad) {
      j->bad = at + piece.bad;
      break;
    }
    for (size_t done = 0, len = ow * piece.n; done < len;) {
      ssize_t w = pwrite(j->out_fd, buf + done, len - done, off + (off_t)done);
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0) {
        j->err = w < 0 ? errno : EIO;
        break;
      }
      done += (size_t)w;
    }
    off += (off_t)(ow * piece.n);
  }
  free(buf);
  return NULL;
}

/* Convert n values split across the threads, one contiguous share each.
 * out != NULL: into out (the caller writes it); out == NULL: ranged mode, each
 * share written with pwrite at out_pos + its offset, then out_fd's offset is
 * moved past the end. */
static int convert_parts(const char *cmd, cast_bin *b, const uint32_t *table,
                         const unsigned char *in, unsigned char *out, size_t n, int out_fd,
                         off_t out_pos)
{
  enum { MAXT = 256 };
  job jobs[MAXT];
  pthread_t tid[MAXT];
  bool started[MAXT] = {false};
  void *(*worker)(void *) = out ? run_job : run_range;
  size_t t = threads_for(b, n), per = (n / t + 63) & ~(size_t)63, iw = in_width(b), ow = out_width(b);
  for (size_t k = 0, at = 0; k < t; k++) {
    size_t len = k + 1 == t || at + per > n ? n - at : per;
    jobs[k] = (job){.b = b, .table = table, .in = in + iw * at, .out = out ? out + ow * at : NULL,
                    .n = len, .out_fd = out_fd, .out_off = out_pos + (off_t)(ow * at)};
    at += len;
  }
  for (size_t k = 1; k < t; k++)
    started[k] = pthread_create(&tid[k], NULL, worker, &jobs[k]) == 0;
  worker(&jobs[0]);
  for (size_t k = 1; k < t; k++)
    if (started[k])
      pthread_join(tid[k], NULL);
    else
      worker(&jobs[k]);
  for (size_t k = 0, at = 0; k < t; at += jobs[k].n, k++) {
    b->count[3] += jobs[k].nan_in;
    if (jobs[k].bad) {
      size_t i = at + jobs[k].bad - 1;
      cli_usage_error(cmd, "--decode: code %lu (0x%x, byte offset %lu) is beyond %s (expected codes "
                      "0..0x%x)", b->n + i, (unsigned)cast_load_le(in + iw * i, iw),
                      (b->n + i) * (unsigned long)iw, b->f->name, (unsigned)fp8_format_ncodes_minus1(b->f));
      return EXIT_USAGE;
    }
    if (jobs[k].err) {
      cli_error(cmd, "writing output: %s", strerror(jobs[k].err));
      return EXIT_FAIL;
    }
  }
  b->n += n;
  if (!out)
    lseek(out_fd, out_pos + (off_t)(ow * n), SEEK_SET);
  return EXIT_OK;
}

static int write_all(const char *cmd, int fd, const unsigned char *p, size_t len)
{
  while (len) {
    ssize_t w = write(fd, p, len);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      cli_error(cmd, "writing output: %s", w < 0 ? strerror(errno) : "nothing written");
      return EXIT_FAIL;
    }
    p += w;
    len -= (size_t)w;
  }
  return EXIT_OK;
}

int cast_binary_check_decode(const char *cmd, const fp8_format *f, const char *spec)
{
  if (f->bits > 16)
    return cli_usage_error(cmd, "--decode: '%s' has %d bits (expected at most 16)", spec, f->bits), -1;
  for (uint32_t c = 0; c <= fp8_format_ncodes_minus1(f); c++) {
    double v = fp8_codec_decode(f, c);
    if (!isnan(v) && (double)(float)v != v)
      return cli_usage_error(cmd, "--decode: '%s' code 0x%x is %g, which float32 cannot hold exactly "
                             "(expected a format within float32's range and precision)", spec,
                             (unsigned)c, v), -1;
  }
  return 0;
}

static uint32_t *decode_table(const fp8_format *f)
{
  uint32_t ncodes = fp8_format_ncodes_minus1(f) + 1, sb = fp8_format_sign_bit(f);
  uint32_t *t = malloc(ncodes * sizeof *t);
  for (uint32_t c = 0; t && c < ncodes; c++) {
    double v = fp8_codec_decode(f, c);
    float x = (float)v;
    if (isnan(v))
      t[c] = (c & sb) ? 0xffc00000u : 0x7fc00000u;
    else
      memcpy(&t[c], &x, sizeof x);
  }
  return t;
}

/* Input that ends inside a value: a usage error. */
static int stray_bytes(const char *cmd, const cast_bin *b, size_t rest)
{
  return cli_usage_error(cmd, "--binary: stdin ends with %zu stray byte%s after %lu %s (expected a "
                         "multiple of %zu bytes)", rest, rest == 1 ? "" : "s", b->n,
                         b->decode ? "codes" : "float32 values", in_width(b));
}

/* Regular-file input: map it and convert in place. */
static int run_mapped(const char *cmd, cast_bin *b, int in_fd, int out_fd, const uint32_t *table,
                      unsigned char *out, bool *mapped)
{
  struct stat st;
  off_t pos = lseek(in_fd, 0, SEEK_CUR);
  *mapped = false;
  if (fstat(in_fd, &st) || !S_ISREG(st.st_mode) || pos < 0 || st.st_size <= pos ||
      (uint64_t)st.st_size > SIZE_MAX)
    return EXIT_OK;
  size_t size = (size_t)st.st_size, iw = in_width(b), ow = out_width(b);
  unsigned char *base = mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, in_fd, 0);
  if (base == MAP_FAILED)
    return EXIT_OK;                /* e.g. a file system without mmap: read() instead */
  *mapped = true;
  madvise(base, size, MADV_SEQUENTIAL);
  const unsigned char *in = base + pos;
  size_t nv = (size - (size_t)pos) / iw, rest = (size - (size_t)pos) % iw;
  int rc = EXIT_OK;
  off_t out_pos = lseek(out_fd, 0, SEEK_CUR);
  int fl = fcntl(out_fd, F_GETFL);
  if (out_pos >= 0 && fl >= 0 && !(fl & O_APPEND) && nv > 0)
    rc = convert_parts(cmd, b, table, in, NULL, nv, out_fd, out_pos);
  else
    for (size_t at = 0; at < nv && rc == EXIT_OK; at += BLOCK) {
      size_t n = nv - at < BLOCK ? nv - at : BLOCK;
      rc = convert_parts(cmd, b, table, in + iw * at, out, n, out_fd, 0);
      if (rc == EXIT_OK)
        rc = write_all(cmd, out_fd, out, ow * n);
    }
  munmap(base, size);
  lseek(in_fd, (off_t)size, SEEK_SET);
  if (rc == EXIT_OK && rest)
    rc = stray_bytes(cmd, b, rest);
  return rc;
}

int cast_binary_run(const char *cmd, cast_bin *b, int in_fd, FILE *out)
{
  size_t iw = in_width(b), ow = out_width(b);
  uint32_t *table = NULL;
  unsigned char *ibuf = NULL, *obuf = NULL;
  int rc = EXIT_FAIL, out_fd = fileno(out);
  if (fflush(out)) {
    cli_error(cmd, "writing output: %s", strerror(errno));
    return EXIT_FAIL;
  }
  if ((b->decode && !(table = decode_table(b->f))) ||
      posix_memalign((void **)&obuf, 4096, (size_t)BLOCK * ow)) {
    cli_error(cmd, "out of memory");
    goto out;
  }
  bool mapped;
  rc = run_mapped(cmd, b, in_fd, out_fd, table, obuf, &mapped);
  if (mapped || rc != EXIT_OK)
    goto out;
  if (posix_memalign((void **)&ibuf, 4096, (size_t)BLOCK * iw)) {
    cli_error(cmd, "out of memory");
    rc = EXIT_FAIL;
    goto out;
  }
  size_t have = 0;
  for (bool eof = false; !eof && rc == EXIT_OK;) {
    while (have < (size_t)BLOCK * iw) {
      ssize_t r = read(in_fd, ibuf + have, (size_t)BLOCK * iw - have);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0) {
        cli_error(cmd, "reading stdin: %s", strerror(errno));
        rc = EXIT_FAIL;
        goto out;
      }
      if (r == 0) {
        eof = true;
        break;
      }
      have += (size_t)r;
    }
    size_t n = have / iw;
    if (n) {
      rc = convert_parts(cmd, b, table, ibuf, obuf, n, out_fd, 0);
      if (rc == EXIT_OK)
        rc = write_all(cmd, out_fd, obuf, ow * n);
    }
    memmove(ibuf, ibuf + iw * n, have - iw * n);
    have -= iw * n;
  }
  if (rc == EXIT_OK && have)
    rc = stray_bytes(cmd, b, have);
out:
  free(table);
  free(ibuf);
  free(obuf);
  return rc;
}
