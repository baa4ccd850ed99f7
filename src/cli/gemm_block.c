/* gemm_block.c - reading block-format operands for 'fp8lab gemm'
 * (gemm_block.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gemm_block.h"

int gemm_block_read(const char *path, const char *scales_path, const fp8_block_format *bf, size_t rows,
                    size_t k, const char *what, gemm_block_operand *op)
{
  memset(op, 0, sizeof *op);
  const size_t nb = (k + (size_t)bf->block - 1) / (size_t)bf->block, tb = bf->tensor ? 4 : 0;
  const size_t ncodes = rows * k, nsec = tb + rows * nb;
  char expl[512], sexpl[200];
  snprintf(sexpl, sizeof sexpl, "the scales section: %s%zu x %zu scale codes of %s, one byte each",
           tb ? "the float32 tensor scale, then " : "", rows, nb, bf->name);
  int rc = EXIT_OK;
  uint8_t *sec;
  if (scales_path) {
    snprintf(expl, sizeof expl, "%zu x %zu element codes of %s, one byte each", rows, k, bf->name);
    op->mem = gemm_read_exact(path, ncodes, what, expl, &rc);
    if (!op->mem)
      return rc;
    char sw[32];
    snprintf(sw, sizeof sw, "%s's scales", what);
    sec = gemm_read_exact(scales_path, nsec, sw, sexpl, &rc);
    if (!sec) {
      gemm_block_free(op);
      return rc;
    }
    /* one allocation to free: append the section after the codes */
    uint8_t *both = realloc(op->mem, ncodes + nsec + 1);
    if (!both) {
      free(sec);
      gemm_block_free(op);
      cli_error("gemm", "out of memory");
      return EXIT_FAIL;
    }
    memcpy(both + ncodes, sec, nsec);
    free(sec);
    op->mem = both;
  } else {
    snprintf(expl, sizeof expl, "%zu x %zu element codes of %s, one byte each, then %s (or give the scales "
             "in their own file)", rows, k, bf->name, sexpl);
    op->mem = gemm_read_exact(path, ncodes + nsec, what, expl, &rc);
    if (!op->mem)
      return rc;
  }
  op->codes = op->mem;
  sec = op->codes + ncodes;
  op->scales = sec + tb;
  op->t = 1;
  if (tb) {
    uint32_t u = (uint32_t)sec[0] | (uint32_t)sec[1] << 8 | (uint32_t)sec[2] << 16 | (uint32_t)sec[3] << 24;
    memcpy(&op->t, &u, 4);
    if (!isfinite(op->t) || !(op->t > 0)) {
      cli_usage_error("gemm", "%s: the tensor scale of %s is %g (expected a finite float32 > 0)", what,
                      bf->name, (double)op->t);
      gemm_block_free(op);
      return EXIT_USAGE;
    }
  }
  return EXIT_OK;
}

void gemm_block_free(gemm_block_operand *op)
{
  free(op->mem);
  memset(op, 0, sizeof *op);
}
