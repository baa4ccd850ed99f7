/* verify_replay.c - run a vector file of any unit (see verify.h for its format).
 *
 * Reads are bounded: a line is at most REPLAY_LINE_MAX bytes, a file at most
 * REPLAY_BYTES_MAX; a NUL byte, a directory or a file without a single vector
 * is an error naming the file (and line), never "0 vectors checked". */
#include "verify.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "outfile.h"
#include "report.h"

/* Hex of up to FP8_MAC_KULISCH_MAX_BITS bits into little-endian words. */
static int parse_hex_words(const char *s, uint64_t *w)
{
  size_t n = strlen(s);
  if (n == 0 || n > FP8_MAC_KULISCH_MAX_BITS / 4)
    return -1;
  memset(w, 0, sizeof(uint64_t) * FP8_MAC_WORDS);
  for (size_t i = 0; i < n; i++) {
    int c = tolower((unsigned char)s[n - 1 - i]);
    int d = isdigit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
    if (d < 0)
      return -1;
    w[i / 16] |= (uint64_t)d << (4 * (i % 16));
  }
  return 0;
}

static int parse_hex32(const char *s, uint32_t max, uint32_t *out)
{
  char *end;
  errno = 0;
  unsigned long v = strtoul(s, &end, 16);
  if (end == s || *end || errno || v > max || *s == '-' || *s == '+')
    return -1;
  *out = (uint32_t)v;
  return 0;
}

/* "a,b,c": exactly n hex codes 0..max into x (s is cut up); -1 on a bad list. */
static int parse_codes(char *s, int n, uint32_t max, uint32_t *x)
{
  int k = 0;
  char *save = NULL;
  for (char *t = strtok_r(s, ",", &save); t; t = strtok_r(NULL, ",", &save))
    if (k == n || parse_hex32(t, max, &x[k++]))
      return -1;
  return k == n ? 0 : -1;
}

/* 'load ACC FLAGS' or a cycle's load data (f: the 2 fields) into st: 0 or -1
 * (message printed). */
static int parse_state(const fp8_verify *v, char **f, fp8_mac_state *st, const char *what, const char *path,
                       int lineno)
{
  uint32_t fl;
  char err[256];
  if (parse_hex_words(f[0], st->acc) || parse_hex32(f[1], 0xff, &fl)) {
    fp8_report("verify", "%s:%d: bad %s '%s %s' (expected hex accumulator and hex flags)", path, lineno, what,
               f[0], f[1]);
    return -1;
  }
  st->flags = fl;
  if (fp8_verify_check_state(v, st, err, sizeof err)) {
    fp8_report("verify", "%s:%d: %s", path, lineno, err);
    return -1;
  }
  return 0;
}

/* The operands A B of a step or cycle (f: the 2 fields): 0 or -1 (message printed). */
static int parse_operands(const fp8_verify *v, char **f, uint32_t *a, uint32_t *b, const char *what,
                          const char *path, int lineno)
{
  const fp8_verify_unit_info *u = fp8_verify_info(v);
  uint32_t max = fp8_format_ncodes_minus1(u->in);
  char fa[64], fb[64];
  snprintf(fa, sizeof fa, "%s", f[0]);
  snprintf(fb, sizeof fb, "%s", f[1]);
  if (parse_codes(f[0], u->n, max, a) || parse_codes(f[1], u->n, max, b)) {
    if (u->n == 1)
      fp8_report("verify", "%s:%d: bad %s '%s %s' (expected two hex codes 0..%x)", path, lineno, what, fa, fb,
                 max);
    else
      fp8_report("verify", "%s:%d: bad %s '%.40s %.40s' (expected two lists of %d hex codes 0..%x, "
                 "comma-separated)", path, lineno, what, fa, fb, u->n, max);
    return -1;
  }
  return 0;
}

/* 'cycle RST CLEAR LOAD EN ACC FLAGS A B' (f: the 8 fields): 0 or -1 (message printed). */
static int replay_cycle(fp8_verify *v, char **f, const char *path, int lineno)
{
  uint32_t bit[4], a[FP8_DOT_MAX_N], b[FP8_DOT_MAX_N];
  fp8_verify_ctrl c = {.rst = false};
  for (int i = 0; i < 4; i++)
    if (parse_hex32(f[i], 1, &bit[i])) {
      fp8_report("verify", "%s:%d: bad cycle control '%s' (expected 0 or 1 for rst, clear, load, en)",
                path, lineno, f[i]);
      return -1;
    }
  if (parse_state(v, f + 4, &c.load_state, "cycle load data", path, lineno) ||
      parse_operands(v, f + 6, a, b, "cycle operands", path, lineno))
    return -1;
  c.rst = bit[0], c.clear = bit[1], c.load = bit[2], c.en = bit[3];
  c.a = a, c.b = b;
  fp8_verify_cycle(v, &c);
  return 0;
}

/* bytes, newline included: a cycle line of the table's widest unit (n = 32
 * codes of a and of b, 8 bits each) takes about 230 */
#define REPLAY_LINE_MAX 1024
#define REPLAY_BYTES_MAX (1024LL * 1024 * 1024)    /* 1 GiB */

/* One line of at most REPLAY_LINE_MAX - 1 bytes into buf (newline dropped).
 * Returns 1 for a line, 0 at the end, -1 with a message for a line too long,
 * a NUL byte, a file over REPLAY_BYTES_MAX or a read error. */
static int replay_getline(FILE *in, const char *path, int lineno, long long *total,
                          char *buf, size_t len)
{
  size_t n = 0;
  int c;
  while ((c = getc(in)) != EOF) {
    if (++*total > REPLAY_BYTES_MAX) {
      fp8_report("verify", "%s:%d: file larger than %lld bytes (a vector file is text; is this the "
                "right file?)", path, lineno, REPLAY_BYTES_MAX);
      return -1;
    }
    if (c == '\n')
      break;
    if (c == 0) {
      fp8_report("verify", "%s:%d: NUL byte in line (expected a text vector file)", path, lineno);
      return -1;
    }
    if (n + 1 >= len) {
      fp8_report("verify", "%s:%d: line longer than %zu bytes (expected a vector line)", path, lineno,
                len - 1);
      return -1;
    }
    buf[n++] = (char)c;
  }
  if (ferror(in)) {
    fp8_report("verify", "%s:%d: read error: %s", path, lineno, strerror(errno));
    return -1;
  }
  buf[n] = 0;
  return c == EOF && n == 0 ? 0 : 1;
}

int fp8_verify_replay(const char *path, const fp8_verify_opts *o, fp8_verify_result *r)
{
  FILE *in = fopen(path, "r");
  if (!in) {
    fp8_report("verify", "--replay: cannot open '%s': %s", path, strerror(errno));
    return -1;
  }
  struct stat sb;
  if (fstat(fileno(in), &sb) == 0 && S_ISDIR(sb.st_mode)) {
    fp8_report("verify", "--replay: '%s' is a directory (expected a vector file)", path);
    fclose(in);
    return -1;
  }
  fp8_verify *v = NULL;
  const fp8sim_unit *md = NULL;
  char line[REPLAY_LINE_MAX], err[256];
  int lineno = 0, rc = 0, got;
  long long total = 0;
  uint64_t checked = r->checked;
  /* a replay reports but writes no vectors: it could overwrite its own input */
  fp8_verify_opts ro = *o;
  ro.vecdir = NULL;
  while (rc == 0 && (got = replay_getline(in, path, lineno + 1, &total, line, sizeof line)) != 0) {
    lineno++;
    if (got < 0) {
      rc = -1;
      break;
    }
    line[strcspn(line, "\r")] = 0;
    char *f[10] = {NULL}, *save = NULL;
    int nf = 0;
    for (char *t = strtok_r(line, " \t", &save); t && nf < 10; t = strtok_r(NULL, " \t", &save))
      f[nf++] = t;
    if (nf == 0 || f[0][0] == '#')
      continue;
    if (!strcmp(f[0], "config") && nf == 2) {
      if (!(md = fp8_verify_find(f[1]))) {
        fp8_report("verify", "%s:%d: unknown configuration '%s' (expected one 'fp8lab verify --list' shows)",
                  path, lineno, f[1]);
        rc = -1;
      } else {
        if (v && fp8_verify_free(v, r))
          rc = -1;
        if (!(v = fp8_verify_alloc(md, &ro, err, sizeof err))) {
          fp8_report("verify", "%s", err);
          rc = -1;
        }
      }
      continue;
    }
    if (!v) {
      fp8_report("verify", "%s:%d: expected a 'config NAME' line first", path, lineno);
      rc = -1;
    } else if (!strcmp(f[0], "clear") && nf == 1) {
      fp8_verify_clear(v);
    } else if (!strcmp(f[0], "load") && nf == 3) {
      fp8_mac_state st;
      if (parse_state(v, f + 1, &st, "load", path, lineno))
        rc = -1;
      else
        fp8_verify_load(v, &st);
    } else if (!strcmp(f[0], "step") && nf == 3) {
      uint32_t a[FP8_DOT_MAX_N], b[FP8_DOT_MAX_N];
      if (parse_operands(v, f + 1, a, b, "step", path, lineno))
        rc = -1;
      else
        fp8_verify_step(v, a, b);
    } else if (!strcmp(f[0], "cycle") && nf == 9) {
      if (replay_cycle(v, f + 1, path, lineno))
        rc = -1;
    } else {
      fp8_report("verify", "%s:%d: unknown line '%s' (expected config, load, clear, step or cycle)",
                path, lineno, f[0]);
      rc = -1;
    }
  }
  fclose(in);
  if (v && fp8_verify_free(v, r))
    rc = -1;
  if (rc == 0 && r->checked == checked) {
    fp8_report("verify", "--replay: '%s' holds no vectors (expected 'config NAME' and 'step A B' "
              "lines, as verify writes them)", path);
    rc = -1;
  }
  return rc;
}
