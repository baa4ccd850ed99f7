/* cast_block.h - 'fp8lab cast' into and out of block-scaled formats (block.h).
 *
 * ---- The binary layout (fp8lab(1), README "Block-scaled formats") ------------------
 * Input: little-endian float32, n values, read as rows of N (--row N; default
 * one row of all n).  Blocks of B run along each row; a row's last block is
 * short when B does not divide N (quantized as if padded with zeros, which
 * leaves its max alone; no padding is written).  Output, in this order:
 *   1. the n element codes in input order: one byte each for elements of <= 8
 *      bits (4- and 6-bit codes unpacked, in the low bits, the rest 0), two
 *      little-endian bytes for 9..16 bits;
 *   2. the scales section: for formats with a tensor scale (NVFP4) first T as
 *      a little-endian float32 (4 bytes), then one scale code per block in
 *      row-major order (row 0's blocks, then row 1's, ...): one byte each for
 *      scale formats of <= 8 bits (E8M0, UE4M3), two little-endian bytes wider.
 * With --scales FILE the scales section goes to FILE and the output holds
 * only the element codes.  T is computed from the largest finite magnitude of
 * the whole input (NaN/Inf blocks get the NaN scale, block.h).
 *
 * --decode reads that layout back (codes on stdin, the scales section after
 * them or in --scales FILE) and writes each value v_i = decode(c_i) * 2^shift
 * * S * T rounded to float32 (RNE; exact for MX formats within float32's
 * range, beyond it +-Inf; NaN scales give the quiet NaN 0x7fc00000).  With
 * --row N the sizes are checked against rows of N; without it the input is
 * one row and its length is solved from the size (a stream cut short may then
 * read as a shorter row: give --row or --scales to have it checked).
 *
 * Every --to is an operand (block.h): a per-tensor format is the one with no
 * block scale, whose layout (blockfile.h) is its codes alone.  Its encode and
 * decode go to cast_binary_run, the streaming vectorized kernel (cast_binary.h:
 * no whole-input buffer, every core), with --scale as its x / S.
 */
#ifndef FP8_CAST_BLOCK_H
#define FP8_CAST_BLOCK_H

#include <stdbool.h>
#include <stdio.h>

#include "block.h"

typedef struct cast_block {
  const fp8_block_format *bf;
  const fp8_rounding *rc;   /* elements (NULL: RNE, SATFINITE) */
  double scale;             /* no block scale: encode x / scale (1: as is) */
  size_t row;               /* N; 0: the whole input is one row */
  bool flags;               /* count element flags */
  int threads;              /* >= 1; stochastic rounding uses one */
  unsigned long n;          /* out: values */
  unsigned long count[4];   /* out: values raising FP8_FLAG_INEXACT..INVALID (no block
                               scale: invalid always, the others with flags) */
  unsigned long nan_blocks; /* out: blocks with a NaN or Inf (NaN scale) */
  double tensor;            /* out: T */
} cast_block;

/* Encode float32 from in_fd: codes to out, the scales section to scales (or,
 * when NULL, to out after the codes; an operand with no block scale has no
 * scales section and scales must be NULL).  Decode: codes (+ scales section) from
 * in_fd, the scales section from scales_in when not NULL (named scales_path),
 * float32 to out.  EXIT_OK, EXIT_USAGE (bad input: message printed, nothing
 * meant to be kept) or EXIT_FAIL (I/O). */
int cast_block_encode(const char *cmd, cast_block *cb, int in_fd, FILE *out, FILE *scales);
int cast_block_decode(const char *cmd, cast_block *cb, int in_fd, FILE *scales_in,
                      const char *scales_path, FILE *out);
/* Text: the n numbers x as rows of cb->row (0: one row), one line per value:
 * 0xCODE, the value, the block's index, its 0xSCALE code and scale value X
 * (S * T), then the flags when flags_col (tsv: a header row first). */
int cast_block_text(const char *cmd, cast_block *cb, const double *x, size_t n, FILE *out, bool tsv,
                    bool flags_col);

#endif
