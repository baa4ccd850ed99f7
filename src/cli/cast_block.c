/* cast_block.c - cast --binary into and out of any operand (cast_block.h).
 * Every code comes from fp8_block_encode / fp8_block_decode, or for an
 * operand with no block scale from cast_binary.c's kernel; this file reads,
 * checks sizes and codes (blockfile.h), splits blocks over threads and writes. */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cast_binary.h"
#include "cast_block.h"
#include "cli.h"

/* A stream that is not a regular file is read into memory up to this size
 * (a regular file is mapped, whatever its size). */
#define MAX_STREAM_BYTES ((size_t)1 << 31)

/* ---- whole inputs --------------------------------------------------------------- */

typedef struct input {
  const unsigned char *p;   /* from the descriptor's offset on */
  size_t size;
  void *map;                /* mapping to unmap, or NULL */
  size_t maplen;
  unsigned char *heap;      /* buffer to free, or NULL */
} input;

static void input_free(input *in)
{
  if (in->map)
    munmap(in->map, in->maplen);
  free(in->heap);
  memset(in, 0, sizeof *in);
}

/* All of fd from its offset on; what names it in messages. */
static int input_read(const char *cmd, int fd, const char *what, input *in)
{
  struct stat st;
  memset(in, 0, sizeof *in);
  off_t pos = lseek(fd, 0, SEEK_CUR);
  if (!fstat(fd, &st) && S_ISREG(st.st_mode) && pos >= 0 && st.st_size > pos &&
      (uint64_t)st.st_size <= SIZE_MAX) {
    void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m != MAP_FAILED) {
      in->map = m;
      in->maplen = (size_t)st.st_size;
      in->p = (const unsigned char *)m + pos;
      in->size = (size_t)(st.st_size - pos);
      madvise(m, in->maplen, MADV_SEQUENTIAL);
      return EXIT_OK;
    }
  }
  size_t cap = 0, have = 0;
  for (;;) {
    if (have == cap) {
      if (cap >= MAX_STREAM_BYTES) {
        free(in->heap);
        in->heap = NULL;
        return cli_usage_error(cmd, "%s: a stream of more than %zu bytes (expected at most that much "
                               "through a pipe; give a regular file for more)", what, MAX_STREAM_BYTES);
      }
      cap = cap ? 2 * cap : (size_t)1 << 20;
      unsigned char *b = realloc(in->heap, cap);
      if (!b) {
        cli_error(cmd, "%s: out of memory", what);
        return EXIT_FAIL;
      }
      in->heap = b;
    }
    ssize_t r = read(fd, in->heap + have, cap - have);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      cli_error(cmd, "reading %s: %s", what, strerror(errno));
      return EXIT_FAIL;
    }
    if (r == 0)
      break;
    have += (size_t)r;
  }
  in->p = in->heap;
  in->size = have;
  return EXIT_OK;
}

/* ---- the layout (blockfile.h) ------------------------------------------------------ */

typedef fp8_blockfile layout;

static float load_f32(const unsigned char *p)
{
  uint32_t u = fp8_le_load(p, 4);
  float x;
  memcpy(&x, &u, sizeof x);
  return x;
}

static int check_rows(const char *cmd, size_t n, size_t row)
{
  if (n % row)
    return cli_usage_error(cmd, "--row %zu: the %zu input values are not a whole number of rows "
                           "(expected a multiple of %zu values)", row, n, row);
  return EXIT_OK;
}

/* T over the finite values of n float32 at p (1 without a tensor scale). */
static double tensor_scale(const fp8_block_format *bf, const unsigned char *p, size_t n)
{
  if (!bf->tensor)
    return 1.0;
  float amax = 0;
  for (size_t i = 0; i < n; i++) {
    float a = fabsf(load_f32(p + 4 * i));
    if (a > amax && a <= FLT_MAX)
      amax = a;
  }
  return fp8_block_tensor_scale(bf, amax);
}

/* ---- encode ---------------------------------------------------------------------- */

typedef struct enc_job {
  const cast_block *cb;
  const layout *l;
  const unsigned char *in;     /* float32 */
  unsigned char *codes, *scales;
  size_t k0, k1;               /* blocks [k0, k1) */
  unsigned long count[4], nan_blocks;
} enc_job;

static void *encode_blocks(void *arg)
{
  enc_job *j = arg;
  const fp8_block_format *bf = j->cb->bf;
  const layout *l = j->l;
  double x[FP8_BLOCK_MAX];
  uint32_t c[FP8_BLOCK_MAX];
  for (size_t k = j->k0; k < j->k1; k++) {
    size_t r = k / l->nbr, col = k % l->nbr * (size_t)bf->block;
    size_t len = l->row - col < (size_t)bf->block ? l->row - col : (size_t)bf->block, at = r * l->row + col;
    for (size_t i = 0; i < len; i++)
      x[i] = load_f32(j->in + 4 * (at + i));
    unsigned each[FP8_BLOCK_MAX];
    uint32_t s;
    if (j->cb->flags) {   /* per-value counts: the element-by-element path */
      s = fp8_block_encode_each(bf, j->cb->tensor, x, len, c, j->cb->rc, each);
      for (size_t i = 0; i < len; i++)
        for (int b = 0; b < 4; b++)
          j->count[b] += (each[i] >> b) & 1;
    } else {
      s = fp8_block_encode(bf, j->cb->tensor, x, len, c, j->cb->rc, NULL);
    }
    if (fp8_format_has_nan(&bf->scale) && isnan(fp8_block_scale_value(bf, s, 1)))
      j->nan_blocks++;
    for (size_t i = 0; i < len; i++)
      fp8_le_store(j->codes + l->cw * (at + i), c[i], l->cw);
    fp8_le_store(j->scales + l->sw * k, s, l->sw);
  }
  return NULL;
}

/* Run fn over the blocks on up to cb->threads threads (contiguous shares). */
static void run_blocks(const cast_block *cb, const layout *l, enc_job *proto, unsigned long *count,
                       unsigned long *nan_blocks)
{
  enum { MAXT = 64, MIN_BLOCKS = 4096 };
  enc_job jobs[MAXT];
  pthread_t tid[MAXT];
  bool started[MAXT] = {false};
  size_t t = (size_t)(cb->threads < 1 ? 1 : cb->threads > MAXT ? MAXT : cb->threads);
  if (cb->rc && fp8_round_mode_is_stochastic(cb->rc->mode))
    t = 1;   /* one random stream, in block order */
  if (l->nblocks / t < MIN_BLOCKS)
    t = l->nblocks / MIN_BLOCKS > 0 ? l->nblocks / MIN_BLOCKS : 1;
  size_t per = (l->nblocks + t - 1) / t;
  for (size_t k = 0; k < t; k++) {
    jobs[k] = *proto;
    jobs[k].k0 = k * per < l->nblocks ? k * per : l->nblocks;
    jobs[k].k1 = (k + 1) * per < l->nblocks ? (k + 1) * per : l->nblocks;
  }
  for (size_t k = 1; k < t; k++)
    started[k] = pthread_create(&tid[k], NULL, encode_blocks, &jobs[k]) == 0;
  encode_blocks(&jobs[0]);
  for (size_t k = 1; k < t; k++) {
    if (started[k])
      pthread_join(tid[k], NULL);
    else
      encode_blocks(&jobs[k]);
  }
  for (size_t k = 0; k < t; k++) {
    for (int b = 0; b < 4; b++)
      count[b] += jobs[k].count[b];
    *nan_blocks += jobs[k].nan_blocks;
  }
}

static int write_out(const char *cmd, FILE *f, const void *p, size_t len)
{
  if (len && fwrite(p, 1, len, f) != len) {
    cli_error(cmd, "writing output: %s", strerror(errno));
    return EXIT_FAIL;
  }
  return EXIT_OK;
}

/* The scales section: T (float32) when the format has one, then the codes. */
static int write_scales(const char *cmd, const cast_block *cb, const layout *l, FILE *f,
                        const unsigned char *scales)
{
  unsigned char b[4];
  fp8_blockfile_put_tensor(b, cb->tensor);
  if (write_out(cmd, f, b, l->tb))
    return EXIT_FAIL;
  return write_out(cmd, f, scales, l->sw * l->nblocks);
}

/* No block scale: the streaming kernel (cast_binary.h) both ways. */
static int cast_unscaled(const char *cmd, cast_block *cb, bool decode, int in_fd, FILE *out)
{
  cast_bin b = {.f = &cb->bf->elem, .rc = cb->rc, .scale = decode ? 1 : cb->scale, .flags = cb->flags,
                .decode = decode, .threads = cb->threads};
  if (decode && cast_binary_check_decode(cmd, b.f, cb->bf->name))
    return EXIT_USAGE;
  int rc = cast_binary_run(cmd, &b, in_fd, out);
  cb->n = b.n;
  memcpy(cb->count, b.count, sizeof cb->count);
  return rc;
}

int cast_block_encode(const char *cmd, cast_block *cb, int in_fd, FILE *out, FILE *scales)
{
  if (!fp8_block_is_scaled(cb->bf))
    return cast_unscaled(cmd, cb, false, in_fd, out);
  input in;
  int rc = input_read(cmd, in_fd, "stdin", &in);
  if (rc)
    return rc;
  layout l;
  fp8_blockfile_init(&l, cb->bf);
  unsigned char *codes = NULL, *sc = NULL;
  if (in.size % 4) {
    rc = cli_usage_error(cmd, "--binary: stdin ends with %zu stray byte%s after %zu float32 values "
                         "(expected a multiple of 4 bytes)", in.size % 4, in.size % 4 == 1 ? "" : "s",
                         in.size / 4);
    goto out;
  }
  size_t n = in.size / 4;
  if (n == 0)
    goto out;   /* the caller reports empty input */
  if ((rc = check_rows(cmd, n, cb->row ? cb->row : n)))
    goto out;
  fp8_blockfile_rows(&l, cb->bf, n, cb->row ? cb->row : n);
  cb->tensor = tensor_scale(cb->bf, in.p, n);
  codes = malloc(l.cw * n);
  sc = malloc(l.sw * l.nblocks);
  if (!codes || !sc) {
    cli_error(cmd, "out of memory (%zu values)", n);
    rc = EXIT_FAIL;
    goto out;
  }
  enc_job proto = {.cb = cb, .l = &l, .in = in.p, .codes = codes, .scales = sc};
  run_blocks(cb, &l, &proto, cb->count, &cb->nan_blocks);
  cb->n = n;
  rc = write_out(cmd, out, codes, l.cw * n);
  if (!rc)
    rc = write_scales(cmd, cb, &l, scales ? scales : out, sc);
out:
  free(codes);
  free(sc);
  input_free(&in);
  return rc;
}

/* ---- decode ------------------------------------------------------------------------ */

/* Sizes to layout: codes at *codes, the scales section at *sec. */
static int decode_layout(const char *cmd, const cast_block *cb, layout *l, const input *in,
                         const input *sin, const char *spath, const unsigned char **codes,
                         const unsigned char **sec)
{
  const fp8_block_format *bf = cb->bf;
  char err[512];
  if (!sin) {
    if (fp8_blockfile_solve(l, bf, in->size, cb->row, "stdin", err, sizeof err))
      return cli_usage_error(cmd, "--decode: %s", err);
    *codes = in->p;
    *sec = in->p + fp8_blockfile_codes_bytes(l);
    return EXIT_OK;
  }
  if (in->size % l->cw)
    return cli_usage_error(cmd, "--decode: stdin ends with a stray byte after %zu two-byte codes "
                           "(expected a multiple of 2 bytes)", in->size / 2);
  size_t n = in->size / l->cw;
  if (n == 0)
    return EXIT_OK;
  size_t row = cb->row ? cb->row : n;
  if (check_rows(cmd, n, row))
    return EXIT_USAGE;
  fp8_blockfile_rows(l, bf, n, row);
  size_t want = fp8_blockfile_scales_bytes(l);
  if (sin->size != want) {
    char nm[FP8_BLOCK_NAME_LEN];
    fp8_block_name(bf, nm, sizeof nm);
    return cli_usage_error(cmd, "--scales %s: %zu bytes (expected %zu: %s%zu scale code%s of %zu byte%s "
                           "for %zu values in rows of %zu, blocks of %d, %s)", spath, sin->size, want,
                           l->tb ? "the float32 tensor scale and " : "", l->nblocks,
                           l->nblocks == 1 ? "" : "s", l->sw, l->sw == 1 ? "" : "s", n, row, bf->block, nm);
  }
  *codes = in->p;
  *sec = sin->p;
  return EXIT_OK;
}

/* Every code within its format, and T a finite positive float32. */
static int check_codes(const char *cmd, const cast_block *cb, const layout *l, const unsigned char *codes,
                       const unsigned char *sec, const char *spath, double *t)
{
  char err[512];
  if (fp8_blockfile_check(l, cb->bf, codes, sec, "stdin", spath ? spath : "stdin",
                          spath ? 0 : fp8_blockfile_codes_bytes(l), t, err, sizeof err))
    return cli_usage_error(cmd, "--decode: %s", err);
  return EXIT_OK;
}

int cast_block_decode(const char *cmd, cast_block *cb, int in_fd, FILE *scales_in, const char *scales_path,
                      FILE *out)
{
  if (!fp8_block_is_scaled(cb->bf))
    return cast_unscaled(cmd, cb, true, in_fd, out);
  input in, sin;
  memset(&sin, 0, sizeof sin);
  int rc = input_read(cmd, in_fd, "stdin", &in);
  if (rc)
    return rc;
  if (scales_in && (rc = input_read(cmd, fileno(scales_in), scales_path, &sin))) {
    input_free(&in);
    return rc;
  }
  layout l;
  fp8_blockfile_init(&l, cb->bf);
  const unsigned char *codes = NULL, *sec = NULL;
  unsigned char *buf = NULL;
  double t = 1;
  if ((rc = decode_layout(cmd, cb, &l, &in, scales_in ? &sin : NULL, scales_path, &codes, &sec)) ||
      l.n == 0 || (rc = check_codes(cmd, cb, &l, codes, sec, scales_in ? scales_path : NULL, &t)))
    goto out;
  cb->tensor = t;
  buf = malloc(4 * l.n);
  if (!buf) {
    cli_error(cmd, "out of memory (%zu values)", l.n);
    rc = EXIT_FAIL;
    goto out;
  }
  const fp8_block_format *bf = cb->bf;
  uint32_t c[FP8_BLOCK_MAX];
  double v[FP8_BLOCK_MAX];
  for (size_t k = 0; k < l.nblocks; k++) {
    size_t r = k / l.nbr, col = k % l.nbr * (size_t)bf->block;
    size_t len = l.row - col < (size_t)bf->block ? l.row - col : (size_t)bf->block, at = r * l.row + col;
    for (size_t i = 0; i < len; i++)
      c[i] = fp8_blockfile_code(&l, codes, at + i);
    uint32_t s = fp8_blockfile_scale(&l, sec, k);
    fp8_block_decode(bf, t, s, c, len, v);
    for (size_t i = 0; i < len; i++) {
      float f = (float)v[i];
      uint32_t u;
      memcpy(&u, &f, sizeof u);
      fp8_le_store(buf + 4 * (at + i), isnan(v[i]) ? 0x7fc00000u : u, 4);
    }
    if (isnan(fp8_block_scale_value(bf, s, 1)))
      cb->nan_blocks++;
  }
  cb->n = l.n;
  rc = write_out(cmd, out, buf, 4 * l.n);
out:
  free(buf);
  input_free(&in);
  input_free(&sin);
  return rc;
}

/* ---- text ------------------------------------------------------------------------- */

static const char *const flag_name[4] = {"inexact", "underflow", "overflow", "invalid"};

int cast_block_text(const char *cmd, cast_block *cb, const double *x, size_t n, FILE *out, bool tsv,
                    bool flags_col)
{
  const fp8_block_format *bf = cb->bf;
  size_t row = cb->row ? cb->row : n;
  if (check_rows(cmd, n, row))
    return EXIT_USAGE;
  double amax = 0;
  for (size_t i = 0; i < n; i++)
    if (isfinite(x[i]) && fabs(x[i]) > amax)
      amax = fabs(x[i]);
  double t = cb->tensor = fp8_block_tensor_scale(bf, amax);
  if (tsv)
    fprintf(out, "code\tvalue\tblock\tscale_code\tscale%s\n", flags_col ? "\tflags" : "");
  int ew = (bf->elem.bits + 3) / 4, sw = (bf->scale.bits + 3) / 4;
  uint32_t c[FP8_BLOCK_MAX];
  double v[FP8_BLOCK_MAX];
  size_t nbr = (row + (size_t)bf->block - 1) / (size_t)bf->block;
  for (size_t k = 0; k < n / row * nbr; k++) {
    size_t r = k / nbr, col = k % nbr * (size_t)bf->block;
    size_t len = row - col < (size_t)bf->block ? row - col : (size_t)bf->block, at = r * row + col;
    unsigned each[FP8_BLOCK_MAX];
    uint32_t s = fp8_block_encode_each(bf, t, x + at, len, c, cb->rc, each);
    fp8_block_decode(bf, t, s, c, len, v);
    if (isnan(fp8_block_scale_value(bf, s, 1)))
      cb->nan_blocks++;
    char sv[48];
    fp8_format_double(sv, sizeof sv, fp8_block_scale_value(bf, s, t));
    for (size_t i = 0; i < len; i++) {
      unsigned fl = each[i];
      for (int b = 0; b < 4; b++)
        cb->count[b] += (fl >> b) & 1;
      char vs[48];
      fp8_format_double(vs, sizeof vs, v[i]);
      fprintf(out, "0x%0*x\t%s\t%zu\t0x%0*x\t%s", ew, (unsigned)c[i], vs, k, sw, (unsigned)s, sv);
      if (flags_col) {
        fputc('\t', out);
        if (!fl)
          fputc('-', out);
        for (int b = 0, first = 1; b < 4; b++)
          if (fl >> b & 1) {
            fprintf(out, "%s%s", first ? "" : ",", flag_name[b]);
            first = 0;
          }
      }
      fputc('\n', out);
    }
  }
  cb->n = n;
  return EXIT_OK;
}
