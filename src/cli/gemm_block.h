/* gemm_block.h - the operands of 'fp8lab gemm' in block formats (block.h):
 * element codes and their scales section, in the layout of blockfile.h (that
 * of 'fp8lab cast --binary' into a block format with --row K; README
 * "Block-scaled dot products"), elements and scales of at most 8 bits: rows x K
 * codes one byte each, row-major; the scales section either after them in
 * the same file or in its own file.  Every code and T are checked
 * (fp8_blockfile_check), as cast --decode checks them. */
#ifndef FP8_GEMM_BLOCK_H
#define FP8_GEMM_BLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "block.h"

typedef struct gemm_block_operand {
  uint8_t *codes;    /* rows x K */
  uint8_t *scales;   /* rows x ceil(K/B) */
  float t;           /* T from the scales section; 1 without a tensor scale */
  void *mem;
} gemm_block_operand;

/* Read one operand: path holds the codes (and the scales section unless
 * scales_path is given).  what names it in messages ("A", "B").  Returns
 * EXIT_OK, or EXIT_USAGE / EXIT_FAIL with a message printed. */
int gemm_block_read(const char *path, const char *scales_path, const fp8_block_format *bf, size_t rows,
                    size_t k, const char *what, gemm_block_operand *op);
void gemm_block_free(gemm_block_operand *op);

/* cmd_gemm.c: the whole file, which must hold exactly want bytes (expl says
 * what they are); NULL with *rc set and a message printed otherwise. */
uint8_t *gemm_read_exact(const char *path, size_t want, const char *what, const char *expl, int *rc);

#endif
