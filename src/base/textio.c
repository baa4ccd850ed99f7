/* textio.c - bounded line reading (textio.h). */
#include "textio.h"
#include "error.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void fp8_line_init(fp8_line_reader *r, FILE *fp, const char *name, size_t max_line, size_t max_total)
{
  memset(r, 0, sizeof *r);
  r->fp = fp;
  r->name = name;
  r->max_line = max_line;
  r->max_total = max_total;
}

void fp8_line_free(fp8_line_reader *r)
{
  free(r->buf);
  r->buf = NULL;
  r->cap = r->len = 0;
}

static int grow(fp8_line_reader *r, char *err, size_t errlen)
{
  size_t cap = r->cap ? 2 * r->cap : 256;
  if (cap > r->max_line + 2)
    cap = r->max_line + 2;
  char *b = realloc(r->buf, cap);
  if (!b)
    return fp8_error_set(err, errlen, "%s: out of memory", r->name);
  r->buf = b;
  r->cap = cap;
  return 0;
}

int fp8_line_next(fp8_line_reader *r, char *err, size_t errlen)
{
  r->len = 0;
  if (!r->buf && grow(r, err, errlen))
    return -1;
  int c;
  for (;;) {
    c = getc(r->fp);
    if (c == EOF)
      break;
    if (r->max_total && ++r->total > r->max_total)
      return fp8_error_set(err, errlen, "%s: more than %zu bytes (expected a table of at most that size)",
                           r->name, r->max_total);
    if (c == '\n')
      break;
    if (c == 0)
      return fp8_error_set(err, errlen, "%s: line %lu contains a NUL byte (expected text)",
                           r->name, r->lineno + 1);
    if (r->len >= r->max_line)
      return fp8_error_set(err, errlen, "%s: line %lu is longer than %zu bytes", r->name,
                           r->lineno + 1, r->max_line);
    if (r->len + 1 >= r->cap && grow(r, err, errlen))
      return -1;
    r->buf[r->len++] = (char)c;
  }
  if (c == EOF && ferror(r->fp))
    return fp8_error_set(err, errlen, "%s: read error after line %lu: %s", r->name, r->lineno,
                         strerror(errno ? errno : EIO));
  if (c == EOF && r->len == 0)
    return 0;
  if (r->len && r->buf[r->len - 1] == '\r')
    r->len--;
  r->buf[r->len] = 0;
  r->lineno++;
  return 1;
}

char *fp8_text_read_table(const char *path, char *err, size_t errlen)
{
  FILE *fp = fopen(path, "r");
  if (!fp) {
    fp8_error_set(err, errlen, "cannot read '%s': %s", path, strerror(errno));
    return NULL;
  }
  fp8_line_reader r;
  fp8_line_init(&r, fp, path, FP8_TEXT_TABLE_MAX_LINE, FP8_TEXT_TABLE_MAX_BYTES);
  size_t n = 0, cap = 1024;
  char *text = malloc(cap);
  int st = text ? 0 : -1;
  if (!text)
    fp8_error_set(err, errlen, "%s: out of memory", path);
  while (st == 0 && (st = fp8_line_next(&r, err, errlen)) == 1) {
    st = 0;
    if (n + r.len + 2 > cap) {
      while (n + r.len + 2 > cap)
        cap *= 2;
      char *t = realloc(text, cap);
      if (!t) {
        st = fp8_error_set(err, errlen, "%s: out of memory", path);
        break;
      }
      text = t;
    }
    memcpy(text + n, r.buf, r.len);
    n += r.len;
    text[n++] = '\n';
  }
  fp8_line_free(&r);
  fclose(fp);
  if (st < 0) {
    free(text);
    return NULL;
  }
  text[n] = 0;
  return text;
}
