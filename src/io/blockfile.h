/* blockfile.h - the binary layout of an operand in a block format (block.h),
 * as 'fp8lab cast --binary' writes it and 'cast --decode', 'gemm' and the
 * Python package read it (fp8lab(1), LAYOUT OF BLOCK FORMATS; doc/DESIGN.md
 * section 2).  One description of the bytes, so a new scaling scheme changes
 * this file and block.h, not each reader.
 *
 * n values in rows of N (row-major), blocks of B along each row (a row's last
 * block is short when B does not divide N; nothing is padded):
 *   1. the codes section: the n element codes in value order, one byte each
 *      for elements of <= 8 bits (4- and 6-bit codes unpacked, in the low
 *      bits, the rest 0), two little-endian bytes for 9..16 bits;
 *   2. the scales section: for a format with a tensor scale (NVFP4) first T as
 *      a little-endian float32, then one scale code per block, row by row: one
 *      byte each for scale formats of <= 8 bits, two little-endian bytes wider.
 * The scales section follows the codes in one stream, or is a file of its own.
 * A format without a block scale (block.h: block FP8_BLOCK_NONE, a per-tensor
 * format) has an empty scales section: its layout is the codes alone.
 *
 * Checks (fp8_blockfile_check): every element code within the element
 * format's 2^bits codes, every scale code within the scale format's, T a
 * finite positive float32; a failure names the value, its index, its byte
 * offset in its file and what was expected.  This layer prints nothing: the
 * messages go to the caller's buffer. */
#ifndef FP8_BLOCKFILE_H
#define FP8_BLOCKFILE_H

#include <stddef.h>
#include <stdint.h>

#include "block.h"

/* w (1..4) little-endian bytes at p. */
static inline uint32_t fp8_le_load(const unsigned char *p, size_t w)
{
  uint32_t v = 0;
  for (size_t k = 0; k < w; k++)
    v |= (uint32_t)p[k] << (8 * k);
  return v;
}

static inline void fp8_le_store(unsigned char *p, uint32_t v, size_t w)
{
  for (size_t k = 0; k < w; k++)
    p[k] = (unsigned char)(v >> (8 * k));
}

typedef struct fp8_blockfile {
  size_t n, row, rows;   /* values, N, rows */
  size_t nbr, nblocks;   /* scale codes per row, in all (0 without a block scale) */
  size_t cw, sw, tb;     /* bytes per element code, per scale code, of T (4 or 0) */
} fp8_blockfile;

/* The widths of bf's layout; no values yet. */
void fp8_blockfile_init(fp8_blockfile *l, const fp8_block_format *bf);
/* n values in rows of row (row divides n, row >= 1). */
void fp8_blockfile_rows(fp8_blockfile *l, const fp8_block_format *bf, size_t n, size_t row);
/* Bytes of the codes section, of the scales section (T included). */
size_t fp8_blockfile_codes_bytes(const fp8_blockfile *l);
size_t fp8_blockfile_scales_bytes(const fp8_blockfile *l);
/* Bytes of one row in the combined stream (its codes and its scale codes). */
size_t fp8_blockfile_row_bytes(const fp8_blockfile *l, const fp8_block_format *bf, size_t row);

/* The layout of a combined stream of size bytes (codes, then the scales
 * section): in rows of row values, or (row 0) one row whose length is solved
 * from the size.  0, or -1 with a message in err (what names the stream)
 * when no layout has that size.  size 0 gives n = 0. */
int fp8_blockfile_solve(fp8_blockfile *l, const fp8_block_format *bf, size_t size, size_t row,
                        const char *what, char *err, size_t errlen);

/* Element code i, scale code k, and T (1 without a tensor scale) of a layout
 * whose codes section is at codes and scales section at sec. */
uint32_t fp8_blockfile_code(const fp8_blockfile *l, const unsigned char *codes, size_t i);
uint32_t fp8_blockfile_scale(const fp8_blockfile *l, const unsigned char *sec, size_t k);
float fp8_blockfile_tensor(const fp8_blockfile *l, const unsigned char *sec);
/* The tensor scale's 4 bytes (float32 little-endian). */
void fp8_blockfile_put_tensor(unsigned char *p, double t);

/* The checks above.  codes_what / sec_what name the two sections' files in
 * messages, sec_base is the scales section's byte offset in its file (the
 * codes' size when it follows them).  On success *t = T.  0, or -1 with a
 * message in err. */
int fp8_blockfile_check(const fp8_blockfile *l, const fp8_block_format *bf, const unsigned char *codes,
                        const unsigned char *sec, const char *codes_what, const char *sec_what,
                        size_t sec_base, double *t, char *err, size_t errlen);

#endif
