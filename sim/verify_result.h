/* verify_result.h - the machine-readable result of a campaign or of one of
 * its shards (verify_shard.h), and the merge of the N shards of a campaign.
 *
 * The file is text, one record a line, fields separated by tabs:
 *
 *   # comment
 *   fp8lab-result  1
 *   tool    verify                    (or exhaustive_cast)
 *   seed    42
 *   params  level=1 random=-1 ...     (the rest of what defines the campaign)
 *   shard   K/N
 *   row     NAME TOP CHECKED MISMATCHES DIGEST UNITS SECONDS VECFILE
 *   first   NAME SHARD UNIT TEXT      (the row's first mismatch, if any)
 *   end     NROWS
 *
 * DIGEST is 16 hex digits, VECFILE "-" for none; NAME, TOP, VECFILE and TEXT
 * hold no tab or newline (the writer replaces them by spaces).  A file
 * without its end line is refused (a shard that died while writing).
 */
#ifndef FP8_SIM_VERIFY_RESULT_H
#define FP8_SIM_VERIFY_RESULT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "verify_shard.h"

typedef struct fp8_result_row {
  char name[96];         /* configuration, or exhaustive_cast's case */
  char top[64];          /* Verilator top, or "-" */
  uint64_t checked, mismatches, digest;
  uint64_t units;        /* units of the whole stimulus of this row (all shards): equal in every
                            shard of a campaign, so another version of the stimulus is refused */
  double seconds;        /* summed over merged shards */
  char vecfile[512];     /* the vector file of the first mismatch, or "" */
  unsigned first_shard;  /* 1-based shard of the first mismatch (if mismatches) */
  uint64_t first_unit;   /* its unit: the first in the unsharded order */
  char first[640];       /* the first mismatch on one line, or "" */
} fp8_result_row;

typedef struct fp8_result {
  char tool[32];
  unsigned long seed;
  char params[256];
  fp8_shard shard;
  size_t nrows, cap;
  fp8_result_row *rows;
} fp8_result;

/* A new zeroed row named name (NULL: out of memory). */
fp8_result_row *fp8_result_add(fp8_result *r, const char *name);
void fp8_result_free(fp8_result *r);

/* Writes r; returns 0, or -1 on a write error. */
int fp8_result_fprint(FILE *fp, const fp8_result *r);
/* The return value of a file whose contents contradict themselves (more
 * mismatches than vectors, seconds not a finite number >= 0, no row) or of
 * counts whose sum over the shards does not fit 64 bits: bad input, a usage
 * error of the caller, where -1 is an unreadable file or a set of files that
 * is not one campaign. */
#define FP8_RESULT_EBAD (-2)
/* Rows one file may hold: a campaign has one row per configuration.  Each
 * row takes about 1.4 KB, so a file's memory is bounded whatever it claims. */
#define FP8_RESULT_MAX_ROWS 4096

/* Reads path into r (zeroed first); -1 or FP8_RESULT_EBAD with
 * "path:line: ..." in err. */
int fp8_result_read(const char *path, fp8_result *r, char *err, size_t errlen);

/* Merges parts[0..n) (read from paths[0..n)) into out (shard 1/1): they must
 * be every shard 1..N of one campaign (same tool, seed, params, rows and units
 * per row, each K once).  Counts and digests add up; a row's first mismatch is the one of
 * the lowest unit.  -1 (FP8_RESULT_EBAD: counts that overflow) with a message
 * naming the file and what was expected (no file: about the whole set). */
int fp8_result_merge(const fp8_result *parts, const char *const *paths, size_t n,
                     fp8_result *out, char *err, size_t errlen);

/* The digest of a whole result: its rows' digests mixed with their names. */
uint64_t fp8_result_digest(const fp8_result *r);

#endif
