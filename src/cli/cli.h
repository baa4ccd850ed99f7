/* cli.h - what the subcommands share: the command table, usage errors,
 * tables printed as text or TSV, atomic output files, seeds. */
#ifndef FP8_CLI_H
#define FP8_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "format.h"
#include "outfile.h"
#include "report.h"

/* Exit codes (documented in fp8lab(1)). */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

typedef struct cli_command {
  const char *name;
  int (*fn)(int argc, char **argv);
  const char *help;    /* one line, for 'fp8lab help' and the man page check */
} cli_command;

extern const cli_command cli_commands[];
/* The entry of NAME in the table, or NULL. */
const cli_command *cli_find_command(const char *name);
/* 'fp8lab --help': the usage line and the table. */
void cli_print_usage(FILE *out);

/* Print "fp8lab CMD: message" to stderr. */
void cli_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Usage error: message plus a pointer to --help; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parse a format spec or report it (naming the option) and return -1. */
int cli_parse_format(const char *cmd, const char *opt, const char *spec, fp8_format *f);
/* Strict number parsers: the whole string, in range; report and return -1. */
int cli_parse_double(const char *cmd, const char *opt, const char *s, double *out);
int cli_parse_long(const char *cmd, const char *opt, const char *s, long lo, long hi, long *out);
/* A seed: plain decimal 0..2^64-1 (unsigned long is 64 bits here). */
_Static_assert(sizeof(unsigned long) == 8, "seeds are 64-bit unsigned long");
int cli_parse_seed(const char *cmd, const char *s, unsigned long *seed);
/* A seed from the clock when the user gave none; always printed by the caller. */
unsigned long cli_default_seed(void);

/* A text table: add columns, then rows of cells; print aligned or as TSV. */
typedef struct cli_table cli_table;
cli_table *cli_table_new(int ncols, const char *const *headers);
void cli_table_add(cli_table *t, const char *const *cells);
void cli_table_addf(cli_table *t, const char *fmt, ...); /* cells separated by '\t' in fmt's output */
void cli_table_print(const cli_table *t, FILE *out, bool tsv);
int cli_table_write_tsv(const cli_table *t, const char *path); /* atomic; 0 or -1 */
void cli_table_free(cli_table *t);


/* Split a comma list into items (at most max of CLI_ITEM_LEN chars).  With
 * dists, a piece KEY=VALUE without ':' continues the previous item, so
 * "student-t:nu=3,clip=10,gaussian" is two items.  Reports a usage error
 * (naming opt) and returns -1 on an empty or too long list. */
#define CLI_ITEM_LEN 96
int cli_split_list(const char *cmd, const char *opt, const char *s, bool dists,
                   char items[][CLI_ITEM_LEN], size_t max, size_t *n);


/* Progress for long runs: silent during the first second, then at most one
 * line a second on stderr: "fp8lab CMD: <note> (T s)". */
typedef struct cli_progress {
  const char *cmd;
  double t0, last;
} cli_progress;
void cli_progress_start(cli_progress *p, const char *cmd);
void cli_progress_note(cli_progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Standard output must have been written without error (kmod's check). */
int cli_check_stdout(void);

#endif
