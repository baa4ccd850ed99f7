/* report.h - messages to the user and numbers in text, for the layers that
 * talk to a user (the CLI, the verify driver of sim/, output files): one
 * prefix, "fp8lab CMD: ", for every message. */
#ifndef FP8_REPORT_H
#define FP8_REPORT_H

#include <stdarg.h>
#include <stddef.h>

/* The program's name in messages ("fp8lab"). */
extern const char *fp8_report_progname;

/* Print "fp8lab CMD: message" (cmd NULL: "fp8lab: message") and a newline to
 * stderr, after flushing stdout.  Every control byte of the formatted message
 * but the newline is written as \xHH: a name read from a file cannot move the
 * cursor, clear the screen or retitle a terminal. */
void fp8_report(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fp8_vreport(const char *cmd, const char *fmt, va_list ap);

/* A malloc'ed copy of s that is safe in a table cell, a TSV field and a
 * terminal: control bytes (below 0x20, and 0x7f) become \xHH and a backslash
 * becomes \\, so the map is one to one (two names stay two names) and the
 * result holds no tab, newline or escape.  NULL when out of memory. */
char *fp8_printable(const char *s);

/* Shortest decimal that reads back as exactly x ("nan", "inf", "-inf"). */
void fp8_format_double(char *buf, size_t len, double x);

#endif
