/* gemm_block.c - reading block-format operands for 'fp8lab gemm'
 * (gemm_block.h). */
#include <stdlib.h>
#include <string.h>

#include "blockfile.h"
#include "cli.h"
#include "gemm_block.h"

int gemm_block_read(const char *path, const char *scales_path, const fp8_block_format *bf, size_t rows,
                    size_t k, const char *what, gemm_block_operand *op)
{
  memset(op, 0, sizeof *op);
  fp8_blockfile l;
  fp8_blockfile_init(&l, bf);
  fp8_blockfile_rows(&l, bf, rows * k, k);
  if (l.cw != 1 || l.sw != 1)
    return cli_usage_error("gemm", "%s: %s has codes of two bytes (expected elements and scales of at most "
                           "8 bits: one byte per code)", what, bf->name);
  const size_t ncodes = fp8_blockfile_codes_bytes(&l), nsec = fp8_blockfile_scales_bytes(&l);
  char expl[512], sexpl[200];
  snprintf(sexpl, sizeof sexpl, "the scales section: %s%zu x %zu scale codes of %s, one byte each",
           l.tb ? "the float32 tensor scale, then " : "", rows, l.nbr, bf->name);
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
  op->scales = sec + l.tb;
  /* every code within its format and T a finite positive float32, as cast --decode checks */
  char cw[1100], sw[1100], err[2600];
  double t;
  snprintf(cw, sizeof cw, "%s '%s'", what, path);
  snprintf(sw, sizeof sw, "%s '%s'", scales_path ? "its scales" : what, scales_path ? scales_path : path);
  if (fp8_blockfile_check(&l, bf, op->codes, sec, cw, sw, scales_path ? 0 : ncodes, &t, err, sizeof err)) {
    gemm_block_free(op);
    return cli_usage_error("gemm", "%s", err);
  }
  op->t = (float)t;
  return EXIT_OK;
}

void gemm_block_free(gemm_block_operand *op)
{
  free(op->mem);
  memset(op, 0, sizeof *op);
}
