/* textio.h - bounded reading of text a user gives us (tables, vector files,
 * lines of numbers): every line has a length limit, a file may have a total
 * size limit, and a NUL byte is an error naming its line, never a silent end
 * of the line.  Memory use is bounded by the limits, whatever the input
 * (/dev/zero, an endless stream of newlines, a multi-gigabyte line). */
#ifndef FP8_TEXTIO_H
#define FP8_TEXTIO_H

#include <stddef.h>
#include <stdio.h>

/* Limits for tables read whole (component table, configs.tsv, vector files). */
#define FP8_TEXT_TABLE_MAX_LINE 4096
#define FP8_TEXT_TABLE_MAX_BYTES (16u << 20)

typedef struct fp8_line_reader {
  FILE *fp;
  const char *name;          /* for messages: the path the user gave, or "stdin" */
  size_t max_line;           /* bytes in one line, without its '\n' */
  size_t max_total;          /* bytes in the whole input; 0: no limit (a stream) */
  size_t total;
  unsigned long lineno;      /* of the line last returned */
  char *buf;                 /* the line, NUL-terminated, '\n' (and a final '\r') removed */
  size_t len, cap;
} fp8_line_reader;

/* Start reading fp (not closed by the reader). */
void fp8_line_init(fp8_line_reader *r, FILE *fp, const char *name, size_t max_line, size_t max_total);
/* The next line into r->buf / r->len: 1, or 0 at the end of the input, or -1
 * with a message in err naming the input and line: a NUL byte, a line longer
 * than max_line, more than max_total bytes, a read error. */
int fp8_line_next(fp8_line_reader *r, char *err, size_t errlen);
void fp8_line_free(fp8_line_reader *r);

/* The whole of a table file as one NUL-terminated string (lines joined by '\n')
 * within the table limits above; NULL with a message.  Free with free(). */
char *fp8_text_read_table(const char *path, char *err, size_t errlen);

#endif
