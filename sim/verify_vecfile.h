/* verify_vecfile.h - the vector file of one configuration's mismatches, shared
 * by the MAC and the dot-product cross-checks: named
 * DIR/mismatch-<config>[.shardKofN].vec, opened on the first mismatch (with the
 * header that names the configuration, which --replay reads), written to a
 * temporary name and renamed into place when the run ends (fp8_outfile). */
#ifndef FP8_VERIFY_VECFILE_H
#define FP8_VERIFY_VECFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "outfile.h"
#include "report.h"
#include "verify_shard.h"

typedef struct fp8_vecfile {
  fp8_outfile out;
  bool open, failed, none;
  const char *config;
  char path[512];
} fp8_vecfile;

/* dir NULL: no vector file at all.  shard NULL or of one part: no shard suffix. */
void fp8_vecfile_init(fp8_vecfile *f, const char *dir, const char *config, const fp8_shard *shard);
/* The open file (opened with its header on the first call), or NULL when
 * there is no file or it could not be opened (the message is printed once). */
FILE *fp8_vecfile_fp(fp8_vecfile *f);
/* Commit the file if one was written; its path goes to name (when not NULL).
 * Returns 0, or -1 when the file could not be opened or written. */
int fp8_vecfile_close(fp8_vecfile *f, char *name, size_t len);

#endif
