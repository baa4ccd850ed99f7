/* blockfile.c - the binary layout of block-format operands (blockfile.h). */
#include "blockfile.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void fp8_blockfile_init(fp8_blockfile *l, const fp8_block_format *bf)
{
  memset(l, 0, sizeof *l);
  l->cw = bf->elem.bits > 8 ? 2 : 1;
  l->sw = bf->scale.bits > 8 ? 2 : 1;
  l->tb = bf->tensor ? 4 : 0;
}

void fp8_blockfile_rows(fp8_blockfile *l, const fp8_block_format *bf, size_t n, size_t row)
{
  l->n = n;
  l->row = row;
  l->rows = row ? n / row : 0;
  l->nbr = fp8_block_nscales(bf, row);
  l->nblocks = l->rows * l->nbr;
}

size_t fp8_blockfile_codes_bytes(const fp8_blockfile *l) { return l->cw * l->n; }
size_t fp8_blockfile_scales_bytes(const fp8_blockfile *l) { return l->tb + l->sw * l->nblocks; }

size_t fp8_blockfile_row_bytes(const fp8_blockfile *l, const fp8_block_format *bf, size_t row)
{
  return row * l->cw + fp8_block_nscales(bf, row) * l->sw;
}

int fp8_blockfile_solve(fp8_blockfile *l, const fp8_block_format *bf, size_t size, size_t row,
                        const char *what, char *err, size_t errlen)
{
  char nm[FP8_BLOCK_NAME_LEN];
  fp8_block_name(bf, nm, sizeof nm);
  fp8_blockfile_rows(l, bf, 0, row ? row : 1);
  if (size == 0)
    return 0;
  size_t body = size >= l->tb ? size - l->tb : 0;
  if (row) {
    size_t rb = fp8_blockfile_row_bytes(l, bf, row);
    if (size < l->tb || body % rb) {
      snprintf(err, errlen, "%s has %zu bytes, which is not %s%s whole rows of %zu values (%zu bytes "
               "each: codes, then one scale code per block of %d; %s)", what, size,
               l->tb ? "4 (the tensor scale) plus " : "", l->tb ? "" : "a number of", row, rb, bf->block, nm);
      return -1;
    }
  } else {   /* the N with N codes + ceil(N / B) scale codes = body (increasing in N) */
    size_t lo = 1, hi = body;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (fp8_blockfile_row_bytes(l, bf, mid) < body)
        lo = mid + 1;
      else
        hi = mid;
    }
    if (body == 0 || fp8_blockfile_row_bytes(l, bf, lo) != body) {
      snprintf(err, errlen, "%s has %zu bytes, which fits no row length (expected %sN codes of %zu byte%s "
               "then ceil(N / %d) scale codes for %s; give --row N or --scales FILE)", what, size,
               l->tb ? "4 bytes of tensor scale after " : "", l->cw, l->cw == 1 ? "" : "s", bf->block, nm);
      return -1;
    }
    row = lo;
  }
  fp8_blockfile_rows(l, bf, body / fp8_blockfile_row_bytes(l, bf, row) * row, row);
  return 0;
}

uint32_t fp8_blockfile_code(const fp8_blockfile *l, const unsigned char *codes, size_t i)
{
  return fp8_le_load(codes + l->cw * i, l->cw);
}

uint32_t fp8_blockfile_scale(const fp8_blockfile *l, const unsigned char *sec, size_t k)
{
  return fp8_le_load(sec + l->tb + l->sw * k, l->sw);
}

float fp8_blockfile_tensor(const fp8_blockfile *l, const unsigned char *sec)
{
  if (!l->tb)
    return 1;
  uint32_t u = fp8_le_load(sec, 4);
  float x;
  memcpy(&x, &u, sizeof x);
  return x;
}

void fp8_blockfile_put_tensor(unsigned char *p, double t)
{
  float f = (float)t;
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  fp8_le_store(p, u, 4);
}

int fp8_blockfile_check(const fp8_blockfile *l, const fp8_block_format *bf, const unsigned char *codes,
                        const unsigned char *sec, const char *codes_what, const char *sec_what,
                        size_t sec_base, double *t, char *err, size_t errlen)
{
  char nm[FP8_BLOCK_NAME_LEN];
  fp8_block_name(bf, nm, sizeof nm);
  uint32_t emax = fp8_format_ncodes_minus1(&bf->elem), smax = fp8_format_ncodes_minus1(&bf->scale);
  /* a word-at-a-time scan first: the per-code loop runs only to name a bad one */
  uint32_t over = 0;
  for (size_t i = 0; i < l->n; i++)
    over |= fp8_blockfile_code(l, codes, i) > emax;
  for (size_t i = 0; over && i < l->n; i++) {
    uint32_t c = fp8_blockfile_code(l, codes, i);
    if (c > emax) {
      snprintf(err, errlen, "%s: element code %zu is 0x%x (byte offset %zu), beyond the %d-bit element "
               "format of %s (expected 0..0x%x)", codes_what, i, (unsigned)c, l->cw * i, bf->elem.bits, nm,
               (unsigned)emax);
      return -1;
    }
  }
  *t = 1;
  if (l->tb) {
    float tf = fp8_blockfile_tensor(l, sec);
    if (!(tf > 0) || !isfinite(tf)) {
      snprintf(err, errlen, "%s: the tensor scale of %s (byte offset %zu) is %g (expected a finite "
               "positive float32)", sec_what, nm, sec_base, (double)tf);
      return -1;
    }
    *t = tf;
  }
  for (size_t k = 0; k < l->nblocks; k++) {
    uint32_t s = fp8_blockfile_scale(l, sec, k);
    if (s > smax) {
      snprintf(err, errlen, "%s: scale code %zu is 0x%x (byte offset %zu), beyond the %d-bit scale "
               "format of %s (expected 0..0x%x)", sec_what, k, (unsigned)s, sec_base + l->tb + l->sw * k,
               bf->scale.bits, nm, (unsigned)smax);
      return -1;
    }
  }
  return 0;
}
