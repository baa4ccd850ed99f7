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
    uint32_t u = fp8_le_load(j->in + 4 * i, 4);
    float x;
    memcpy(&x, &u, sizeof x);
    unsigned fl = 0;
    uint32_t code = fp8_codec_encode(b->f, per_element ? x / b->scale : x, b->rc, &fl);
    if (b->flags)
      for (int k = 0; k < 4; k++)
        mb->count[k] += (fl >> k) & 1;
    else
      j->nan_in += (fl & FP8_FLAG_INVALID) != 0;
    fp8_le_store(j->out + ow * i, code, ow);
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
    uint32_t c = fp8_le_load(j->in + iw * i, iw);
    if (c > limit) {
      j->bad = i + 1;
      return;
    }
    fp8_le_store(j->out + 4 * i, j->table[c], 4);
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

/* Write len bytes at offset off (pwrite), or at the file's offset when off < 0
 * (write).  0, or the errno of the failure. */
static int put_all(int fd, const unsigned char *p, size_t len, off_t off)
{
  while (len) {
    ssize_t w = off < 0 ? write(fd, p, len) : pwrite(fd, p, len, off);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return w < 0 ? errno : EIO;
    p += w;
    len -= (size_t)w;
    off += off < 0 ? 0 : w;
  }
  return 0;
}

/* A code beyond the format at value index i (counted from b->n): a usage error. */
static int bad_code(const char *cmd, const cast_bin *b, size_t i, uint32_t code)
{
  size_t iw = in_width(b);
  cli_usage_error(cmd, "--decode: code %lu (0x%x, byte offset %lu) is beyond %s (expected codes "
                  "0..0x%x)", b->n + i, (unsigned)code, (b->n + i) * (unsigned long)iw, b->f->name,
                  (unsigned)fp8_format_ncodes_minus1(b->f));
  return EXIT_USAGE;
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
    if ((j->err = put_all(j->out_fd, buf, ow * piece.n, off)))
      break;
    off += (off_t)(ow * piece.n);
  }
  free(buf);
  return NULL;
}

/* Ranged mode: convert n values split across the threads, one contiguous
 * share each, each share written with pwrite at out_pos + its offset; then
 * out_fd's offset is moved past the end. */
static int convert_ranged(const char *cmd, cast_bin *b, const uint32_t *table,
                          const unsigned char *in, size_t n, int out_fd, off_t out_pos)
{
  enum { MAXT = 256 };
  job jobs[MAXT];
  pthread_t tid[MAXT];
  bool started[MAXT] = {false};
  size_t t = threads_for(b, n), per = (n / t + 63) & ~(size_t)63, iw = in_width(b), ow = out_width(b);
  for (size_t k = 0, at = 0; k < t; k++) {
    size_t len = k + 1 == t || at + per > n ? n - at : per;
    jobs[k] = (job){.b = b, .table = table, .in = in + iw * at, .n = len, .out_fd = out_fd,
                    .out_off = out_pos + (off_t)(ow * at)};
    at += len;
  }
  for (size_t k = 1; k < t; k++)
    started[k] = pthread_create(&tid[k], NULL, run_range, &jobs[k]) == 0;
  run_range(&jobs[0]);
  for (size_t k = 1; k < t; k++)
    if (started[k])
      pthread_join(tid[k], NULL);
    else
      run_range(&jobs[k]);
  for (size_t k = 0, at = 0; k < t; at += jobs[k].n, k++) {
    b->count[3] += jobs[k].nan_in;
    if (jobs[k].bad)
      return bad_code(cmd, b, at + jobs[k].bad - 1, fp8_le_load(in + iw * (at + jobs[k].bad - 1), iw));
    if (jobs[k].err) {
      cli_error(cmd, "writing output: %s", strerror(jobs[k].err));
      return EXIT_FAIL;
    }
  }
  b->n += n;
  lseek(out_fd, out_pos + (off_t)(ow * n), SEEK_SET);
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

/* Ordered mode (pipes, >>, input that is not a regular file): the input is
 * cut into PIECE-value pieces and thread k takes pieces k, k + T, k + 2T, ...:
 * it reads its piece in turn (or takes it from the mapping), converts it into
 * its own cache-sized buffers, reused for every piece, and writes it in turn.
 * So reading, converting and writing overlap, every thread converts, and the
 * bytes come out in input order.  The first piece that fails (a read or write
 * error, a code beyond the format) stops the run: every piece before it is
 * written, none after it, whatever the number of threads. */
enum stop_why { STOP_NONE, STOP_END, STOP_READ, STOP_BAD, STOP_WRITE, STOP_THREAD };

typedef struct stream {
  const cast_bin *b;
  const uint32_t *table;
  int in_fd, out_fd;
  const unsigned char *in;        /* mapped input, or NULL: read() from in_fd */
  size_t nv;                      /* mapped: values */
  size_t nthreads;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  size_t read_turn, write_turn;   /* the next piece to read, to write */
  size_t stop;                    /* the first piece not written (SIZE_MAX: none yet) */
  enum stop_why why;              /* and why */
  int err;                        /* STOP_READ, STOP_WRITE: errno */
  size_t bad;                     /* STOP_BAD: value index of the code, and the code */
  uint32_t bad_code;
  size_t rest;                    /* STOP_END: bytes of a partial value at the end */
  size_t done;                    /* values written */
  unsigned long nan_in;           /* NaN inputs among them */
} stream;

typedef struct stream_worker {
  stream *s;
  size_t k;
} stream_worker;

/* With s->mu held: stop before piece p for why (the earliest piece wins). */
static void stream_stop(stream *s, size_t p, enum stop_why why, int err)
{
  if (p < s->stop) {
    s->stop = p;
    s->why = why;
    s->err = err;
  }
  pthread_cond_broadcast(&s->cv);
}

/* Read piece p into buf (s->mu held on entry and exit; released while
 * reading).  Its number of values, 0 at the end or on failure. */
static size_t stream_read(stream *s, size_t p, unsigned char *buf, size_t cap)
{
  while (s->read_turn != p && p < s->stop)
    pthread_cond_wait(&s->cv, &s->mu);
  if (p >= s->stop)
    return 0;
  pthread_mutex_unlock(&s->mu);
  size_t have = 0, iw = in_width(s->b);
  int err = 0;
  bool eof = false;
  while (have < cap && !eof && !err) {
    ssize_t r = read(s->in_fd, buf + have, cap - have);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      err = errno;
    else if (r == 0)
      eof = true;
    else
      have += (size_t)r;
  }
  pthread_mutex_lock(&s->mu);
  s->read_turn = p + 1;
  if (err)
    stream_stop(s, p, STOP_READ, err);
  else if (eof) {
    stream_stop(s, have >= iw ? p + 1 : p, STOP_END, 0);
    if (s->why == STOP_END)
      s->rest = have % iw;
  }
  pthread_cond_broadcast(&s->cv);
  return err ? 0 : have / iw;
}

static void *stream_run(void *arg)
{
  stream_worker *w = arg;
  stream *s = w->s;
  size_t iw = in_width(s->b), ow = out_width(s->b);
  unsigned char *ibuf = NULL, *obuf = NULL;
  pthread_mutex_lock(&s->mu);
  if ((!s->in && posix_memalign((void **)&ibuf, 4096, (size_t)PIECE * iw)) ||
      posix_memalign((void **)&obuf, 4096, (size_t)PIECE * ow))
    stream_stop(s, w->k, STOP_WRITE, ENOMEM);   /* "writing output: out of memory" */
  for (size_t p = w->k; p < s->stop; p += s->nthreads) {
    job j = {.b = s->b, .table = s->table, .out = obuf};
    if (s->in) {
      if (p >= (s->nv + PIECE - 1) / PIECE)
        break;
      j.in = s->in + iw * PIECE * p;
      j.n = s->nv - PIECE * p < PIECE ? s->nv - PIECE * p : PIECE;
    } else {
      j.in = ibuf;
      if (!(j.n = stream_read(s, p, ibuf, (size_t)PIECE * iw)))
        break;
    }
    pthread_mutex_unlock(&s->mu);
    run_job(&j);
    pthread_mutex_lock(&s->mu);
    if (j.bad) {
      if (p < s->stop) {
        stream_stop(s, p, STOP_BAD, 0);
        s->bad = PIECE * p + j.bad - 1;
        s->bad_code = fp8_le_load(j.in + iw * (j.bad - 1), iw);
      }
      break;
    }
    while (s->write_turn != p && p < s->stop)
      pthread_cond_wait(&s->cv, &s->mu);
    if (p >= s->stop)
      break;
    pthread_mutex_unlock(&s->mu);
    int err = put_all(s->out_fd, obuf, ow * j.n, -1);
    pthread_mutex_lock(&s->mu);
    if (err) {
      stream_stop(s, p, STOP_WRITE, err);
      break;
    }
    s->write_turn = p + 1;
    s->done += j.n;
    s->nan_in += j.nan_in;
    pthread_cond_broadcast(&s->cv);
  }
  pthread_mutex_unlock(&s->mu);
  free(ibuf);
  free(obuf);
  return NULL;
}

/* Run the ordered mode on s (in, nv, in_fd, out_fd set) with t threads. */
static int run_stream(const char *cmd, cast_bin *b, stream *s, size_t t)
{
  enum { MAXT = 256 };
  stream_worker w[MAXT];
  pthread_t tid[MAXT];
  bool started[MAXT] = {false};
  int terr = 0;
  s->b = b;
  s->nthreads = t;
  s->stop = SIZE_MAX;
  pthread_mutex_init(&s->mu, NULL);
  pthread_cond_init(&s->cv, NULL);
  for (size_t k = 0; k < t; k++)
    w[k] = (stream_worker){.s = s, .k = k};
  for (size_t k = 1; k < t && !terr; k++)
    started[k] = !(terr = pthread_create(&tid[k], NULL, stream_run, &w[k]));
  if (terr) {                       /* pieces are dealt round robin: all threads or none */
    pthread_mutex_lock(&s->mu);
    stream_stop(s, 0, STOP_THREAD, terr);
    pthread_mutex_unlock(&s->mu);
  }
  stream_run(&w[0]);
  for (size_t k = 1; k < t; k++)
    if (started[k])
      pthread_join(tid[k], NULL);
  pthread_cond_destroy(&s->cv);
  pthread_mutex_destroy(&s->mu);
  b->count[3] += s->nan_in;
  switch (s->why) {
  case STOP_BAD:
    return bad_code(cmd, b, s->bad, s->bad_code);
  case STOP_READ:
    cli_error(cmd, "reading stdin: %s", strerror(s->err));
    return EXIT_FAIL;
  case STOP_WRITE:
    cli_error(cmd, "writing output: %s", strerror(s->err));
    return EXIT_FAIL;
  case STOP_THREAD:
    cli_error(cmd, "starting %zu threads: %s", t, strerror(s->err));
    return EXIT_FAIL;
  default:
    b->n += s->done;
    return s->rest ? stray_bytes(cmd, b, s->rest) : EXIT_OK;
  }
}

/* Regular-file input: map it and convert in place (ranged mode when the
 * output takes pwrite, else ordered mode). */
static int run_mapped(const char *cmd, cast_bin *b, int in_fd, int out_fd, const uint32_t *table,
                      bool *mapped)
{
  struct stat st;
  off_t pos = lseek(in_fd, 0, SEEK_CUR);
  *mapped = false;
  if (fstat(in_fd, &st) || !S_ISREG(st.st_mode) || pos < 0 || st.st_size <= pos ||
      (uint64_t)st.st_size > SIZE_MAX)
    return EXIT_OK;
  size_t size = (size_t)st.st_size, iw = in_width(b);
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
  if (nv == 0)
    ;
  else if (out_pos >= 0 && fl >= 0 && !(fl & O_APPEND))
    rc = convert_ranged(cmd, b, table, in, nv, out_fd, out_pos);
  else {
    stream s = {.table = table, .in = in, .nv = nv, .in_fd = -1, .out_fd = out_fd};
    rc = run_stream(cmd, b, &s, threads_for(b, nv));
  }
  munmap(base, size);
  lseek(in_fd, (off_t)size, SEEK_SET);
  if (rc == EXIT_OK && rest)
    rc = stray_bytes(cmd, b, rest);
  return rc;
}

int cast_binary_run(const char *cmd, cast_bin *b, int in_fd, FILE *out)
{
  uint32_t *table = NULL;
  int rc = EXIT_FAIL, out_fd = fileno(out);
  if (fflush(out)) {
    cli_error(cmd, "writing output: %s", strerror(errno));
    return EXIT_FAIL;
  }
  if (b->decode && !(table = decode_table(b->f))) {
    cli_error(cmd, "out of memory");
    return EXIT_FAIL;
  }
  bool mapped;
  rc = run_mapped(cmd, b, in_fd, out_fd, table, &mapped);
  if (!mapped && rc == EXIT_OK) {
    stream s = {.table = table, .in_fd = in_fd, .out_fd = out_fd};
    rc = run_stream(cmd, b, &s, threads_for(b, SIZE_MAX));
  }
  free(table);
  return rc;
}
