/* verify_merge.h - result files of campaigns on the command line: writing one
 * atomically, and `--merge` of the N shards of a campaign (sim/verify_result.h).
 * Shared by `fp8lab verify` and tests/exhaustive_cast. */
#ifndef FP8_CLI_VERIFY_MERGE_H
#define FP8_CLI_VERIFY_MERGE_H

#include <stdbool.h>

#include "outfile.h"
#include "verify_result.h"

/* Writes r to path (temporary name, renamed into place); 0, or -1 with the
 * error printed. */
int verify_result_save(const char *cmd, const char *path, const fp8_result *r);
/* Writes r to o, opened on path before the work (so a missing folder fails
 * first, as cast's --output does), and commits it; 0, or -1 with the error
 * printed (o aborted). */
int verify_result_write(const char *cmd, fp8_outfile *o, const char *path, const fp8_result *r);

/* Prints the usual table of r (first column named after r->tool's rows),
 * each row's first mismatch with its replay file on stdout, and the totals
 * line with the campaign digest. */
void verify_result_report(const fp8_result *r, bool tsv);

/* Reads paths[0..n), merges them (they must be the N shards of one campaign),
 * reports the merged result and writes it to result_path unless NULL.
 * EXIT_OK, or EXIT_FAIL on a mismatch, an unreadable file or a set of files
 * that is not every shard of one campaign once, EXIT_USAGE for a file that
 * contradicts itself or counts that overflow (the message names the file). */
int verify_merge(const char *cmd, char *const *paths, int n, const char *result_path, bool tsv);

#endif
