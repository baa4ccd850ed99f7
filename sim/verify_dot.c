/* verify_dot.c - the dot-product harness: both models, the comparison,
 * reports, vector files and their replay (see verify_dot.h). */
#include "verify_dot.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outfile.h"
#include "report.h"
#include "dot.h"
#include "verify_vecfile.h"

#define MAXW (FP8_DOT_MAX_N * 16 / 32 + 1)

struct fp8_verify_dot {
  const fp8sim_dot_model *md;
  void *rtl;
  fp8_dot *gold;
  fp8_dot_spec sp;
  fp8_format fmt;
  int n;
  long max_errors;
  uint64_t cycle, checked, mismatches;
  uint32_t c;              /* golden C before the next step */
  uint32_t cmask;          /* the accumulator's code bits */
  int kw;                  /* a Kulisch register's width W, 0 for an FP accumulator */
  unsigned flags;
  fp8_vecfile vec;
};

const fp8sim_dot_model *fp8_verify_dot_find(const char *config)
{
  for (const fp8sim_dot_model *m = fp8sim_dot_models; m->top; m++)
    if (strcmp(m->config, config) == 0)
      return m;
  return NULL;
}

int fp8_verify_dot_n(const fp8_verify_dot *v) { return v->n; }
const fp8_format *fp8_verify_dot_in(const fp8_verify_dot *v) { return &v->fmt; }
const fp8_format *fp8_verify_dot_acc(const fp8_verify_dot *v) { return &v->sp.acc.fmt; }
int fp8_verify_dot_window(const fp8_verify_dot *v) { return v->sp.window; }
int fp8_verify_dot_kulisch_width(const fp8_verify_dot *v) { return v->kw; }
bool fp8_verify_dot_done(const fp8_verify_dot *v) { return (long)v->mismatches >= v->max_errors; }

static fp8_verify_dot *dot_alloc(const fp8sim_dot_model *md, const fp8_verify_opts *o)
{
  fp8_verify_dot *v = calloc(1, sizeof *v);
  char e2[256];
  if (!v) {
    fp8_report("verify", "out of memory");
    return NULL;
  }
  fp8_block_format op;
  bool bad = fp8_format_parse(md->format, &v->fmt, e2, sizeof e2) ||
             fp8_dot_spec_parse(md->unit, &v->sp, e2, sizeof e2);
  if (!bad) {
    fp8_block_from_format(&v->fmt, &op);
    bad = !(v->gold = fp8_dot_alloc(&op, NULL, &v->sp, e2, sizeof e2));
  }
  if (bad) {
    fp8_report("verify", "configuration %s: %s", md->config, e2);
    free(v);
    return NULL;
  }
  v->md = md;
  v->sp = *fp8_dot_spec_of(v->gold);          /* a Kulisch width resolved */
  v->n = v->sp.n;
  v->kw = v->sp.acc.kind == FP8_ACC_KULISCH ? v->sp.acc.width : 0;
  if (v->kw > 32) {
    fp8_report("verify", "configuration %s: a %d-bit Kulisch register (the harness steps at most 32)",
              md->config, v->kw);
    fp8_dot_free(v->gold);
    free(v);
    return NULL;
  }
  v->cmask = v->kw ? (uint32_t)(((uint64_t)1 << v->kw) - 1) : fp8_format_ncodes_minus1(&v->sp.acc.fmt);
  v->max_errors = o->max_errors;
  fp8_vecfile_init(&v->vec, o->vecdir, md->config, NULL);
  v->rtl = md->create();
  md->reset(v->rtl);
  return v;
}

static int dot_free(fp8_verify_dot *v, fp8_verify_result *r)
{
  int rc = 0;
  if (r) {
    r->checked += v->checked;
    r->mismatches += v->mismatches;
  }
  if (fp8_vecfile_close(&v->vec, r ? r->vecfile : NULL, sizeof r->vecfile))
    rc = -1;
  v->md->free(v->rtl);
  fp8_dot_free(v->gold);
  free(v);
  return rc;
}

void fp8_verify_dot_load(fp8_verify_dot *v, uint32_t c, unsigned flags)
{
  c &= v->cmask;
  v->md->load(v->rtl, &c, 1, flags & 15);
  v->c = c;
  v->flags = flags & 15;
  v->cycle++;
}

void fp8_verify_dot_clear(fp8_verify_dot *v)
{
  v->md->clear(v->rtl);
  v->c = 0;
  v->flags = 0;
  v->cycle++;
}

static void pack(const fp8_verify_dot *v, const uint32_t *x, uint32_t *w, int nw)
{
  const int bits = v->fmt.bits;
  memset(w, 0, sizeof *w * (size_t)nw);
  for (int i = 0; i < v->n; i++) {
    uint64_t code = x[i] & ((1u << bits) - 1);
    int pos = i * bits;
    w[pos / 32] |= (uint32_t)(code << (pos % 32));
    if (pos % 32 + bits > 32)
      w[pos / 32 + 1] |= (uint32_t)(code >> (32 - pos % 32));
  }
}

static void print_codes(FILE *f, const fp8_verify_dot *v, const uint32_t *x)
{
  for (int i = 0; i < v->n; i++)
    fprintf(f, "%s%x", i ? "," : "", x[i]);
}

static void describe(const fp8_verify_dot *v, uint32_t c, unsigned flags, char *buf, size_t len)
{
  char d[40];
  if (v->kw) {                                 /* the register as a signed integer (units of the LSB) */
    int64_t x = (int64_t)c - ((c >> (v->kw - 1)) & 1 ? (int64_t)1 << v->kw : 0);
    snprintf(d, sizeof d, "%" PRId64 " LSB", x);
  } else {
    fp8_format_double(d, sizeof d, fp8_codec_decode(&v->sp.acc.fmt, c));
  }
  snprintf(buf, len, "acc=0x%06x (%s) flags=0x%x", c, d, flags);
}

static void write_vector(fp8_verify_dot *v, const uint32_t *a, const uint32_t *b)
{
  FILE *fp = fp8_vecfile_fp(&v->vec);
  if (!fp)
    return;
  fprintf(fp, "# mismatch %" PRIu64 " at cycle %" PRIu64 "\nload\t%x\t%x\nstepn\t", v->mismatches,
          v->cycle, v->c, v->flags);
  print_codes(fp, v, a);
  fputc('\t', fp);
  print_codes(fp, v, b);
  fputc('\n', fp);
}

/* The golden step from (v->c, v->flags): the new C and the RTL's 4 flags. */
static uint32_t golden_step(fp8_verify_dot *v, const uint32_t *a, const uint32_t *b, unsigned *wflags)
{
  unsigned fl = v->kw ? v->flags << 4 : 0;   /* Kulisch: mac.h's flags are the RTL's << 4 */
  uint32_t want = fp8_dot_step(v->gold, a, b, v->c, &fl);
  *wflags = v->kw ? (fl >> 4) & 15 : v->flags | fl;
  return want;
}

static void print_control(FILE *f, const fp8_verify_dot *v, int rst, int clear, int load, int en,
                          uint32_t lacc, unsigned lflags, const uint32_t *a, const uint32_t *b)
{
  fprintf(f, "%d\t%d\t%d\t%d\t%x\t%x\t", rst, clear, load, en, lacc, lflags);
  print_codes(f, v, a);
  fputc('\t', f);
  print_codes(f, v, b);
}

bool fp8_verify_dot_cycle(fp8_verify_dot *v, int rst, int clear, int load, int en, uint32_t lacc,
                          unsigned lflags, const uint32_t *a, const uint32_t *b)
{
  uint32_t wa[MAXW], wb[MAXW], lw = lacc & v->cmask, got, pre_got;
  unsigned gflags, pre_flags;
  const int nw = (v->n * v->fmt.bits + 31) / 32;
  lflags &= 15;
  pack(v, a, wa, nw);
  pack(v, b, wb, nw);
  fp8sim_inputs in = {.rst_n = !rst, .clear = clear, .load = load, .en = en, .load_acc = &lw, .nwords = 1,
                      .load_flags = lflags, .av = wa, .bv = wb, .abwords = nw};
  v->md->drive(v->rtl, &in);
  v->md->read(v->rtl, &pre_got, 1, &pre_flags);
  /* before the edge: the old state, or the cleared one at once under reset */
  bool pre = rst ? pre_got == 0 && pre_flags == 0 : pre_got == v->c && pre_flags == v->flags;
  v->md->edge(v->rtl);
  uint32_t want = v->c;                       /* rst > clear > load > en > hold */
  unsigned wflags = v->flags;
  if (rst || clear)
    want = 0, wflags = 0;
  else if (load)
    want = lw, wflags = lflags;
  else if (en)
    want = golden_step(v, a, b, &wflags);
  v->md->read(v->rtl, &got, 1, &gflags);
  v->cycle++;
  v->checked++;
  bool post = got == want && gflags == wflags;
  if (!pre || !post) {
    v->mismatches++;
    if (v->mismatches == 1) {
      char sb[120], se[120], sg[120];
      describe(v, v->c, v->flags, sb, sizeof sb);
      describe(v, pre ? want : rst ? 0 : v->c, pre ? wflags : rst ? 0 : v->flags, se, sizeof se);
      describe(v, pre ? got : pre_got, pre ? gflags : pre_flags, sg, sizeof sg);
      fflush(stdout);
      fprintf(stderr, "MISMATCH %s (top %s%s%s), cycle %" PRIu64 ", control protocol, %s the clock edge:\n"
              "  inputs       rst=%d clear=%d load=%d en=%d load data 0x%x flags 0x%x\n  a=",
              v->md->config, v->md->top, v->md->variant ? ", built with " : "",
              v->md->variant ? v->md->variant : "", v->cycle, pre ? "after" : "before", rst, clear, load,
              en, lw, lflags);
      print_codes(stderr, v, a);
      fprintf(stderr, "\n  b=");
      print_codes(stderr, v, b);
      fprintf(stderr, "\n  state before %s\n  expected     %s\n  got          %s\n", sb, se, sg);
    }
    FILE *fp = (long)v->mismatches <= v->max_errors ? fp8_vecfile_fp(&v->vec) : NULL;
    if (fp) {
      fprintf(fp, "# mismatch %" PRIu64 " at cycle %" PRIu64 ", control protocol\nload\t%x\t%x\ncontrol\t",
              v->mismatches, v->cycle, v->c, v->flags);
      print_control(fp, v, rst, clear, load, en, lw, lflags, a, b);
      fputc('\n', fp);
    }
    fp8_verify_dot_load(v, want, wflags);     /* go on from the golden state */
  }
  v->c = want;
  v->flags = wflags;
  return pre && post;
}

bool fp8_verify_dot_step(fp8_verify_dot *v, const uint32_t *a, const uint32_t *b)
{
  uint32_t wa[MAXW], wb[MAXW], got;
  const int nw = (v->n * v->fmt.bits + 31) / 32;
  unsigned gflags, wflags;
  pack(v, a, wa, nw);
  pack(v, b, wb, nw);
  v->md->stepv(v->rtl, wa, wb, nw);
  uint32_t want = golden_step(v, a, b, &wflags);
  v->cycle++;
  v->checked++;
  v->md->read(v->rtl, &got, 1, &gflags);
  bool same = got == want && gflags == wflags;
  if (!same) {
    v->mismatches++;
    if (v->mismatches == 1) {
      char sb[120], se[120], sg[120];
      describe(v, v->c, v->flags, sb, sizeof sb);
      describe(v, want, wflags, se, sizeof se);
      describe(v, got, gflags, sg, sizeof sg);
      fflush(stdout);
      fprintf(stderr, "MISMATCH %s (top %s%s%s), cycle %" PRIu64 ":\n  inputs       a=",
              v->md->config, v->md->top, v->md->variant ? ", built with " : "",
              v->md->variant ? v->md->variant : "", v->cycle);
      print_codes(stderr, v, a);
      fprintf(stderr, "\n               b=");
      print_codes(stderr, v, b);
      fprintf(stderr, "\n  state before %s\n  expected     %s\n  got          %s\n", sb, se, sg);
    }
    if ((long)v->mismatches <= v->max_errors)
      write_vector(v, a, b);
    fp8_verify_dot_load(v, want, wflags);   /* go on from the golden state */
  }
  v->c = want;
  v->flags = wflags;
  return same;
}

int fp8_verify_dot_config(const fp8sim_dot_model *md, const fp8_verify_opts *o, fp8_verify_result *r)
{
  fp8_verify_dot *v = dot_alloc(md, o);
  if (!v)
    return -1;
  fp8_verify_dot_run(v, o);
  return dot_free(v, r);
}

/* "a,b,c" hex codes into x[0..n-1]; -1 on a bad list. */
static int parse_codes(char *s, int n, uint32_t max, uint32_t *x)
{
  int k = 0;
  char *save = NULL;
  for (char *t = strtok_r(s, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    char *end;
    errno = 0;
    unsigned long c = strtoul(t, &end, 16);
    if (k == n || end == t || *end || errno || c > max)
      return -1;
    x[k++] = (uint32_t)c;
  }
  return k == n ? 0 : -1;
}

int fp8_verify_dot_replay(const char *path, const fp8_verify_opts *o, fp8_verify_result *r)
{
  FILE *in = fopen(path, "r");
  if (!in)
    return 1;                          /* the MAC replay reports it */
  char line[FP8_DOT_MAX_N * 12], *f[10];
  int lineno = 0, rc = 0;
  fp8_verify_dot *v = NULL;
  fp8_verify_opts ro = *o;
  ro.vecdir = NULL;                    /* never overwrite the input */
  while (rc == 0 && fgets(line, sizeof line, in)) {
    lineno++;
    if (!v && lineno > 64)
      break;                           /* no dot-product header near the top */
    line[strcspn(line, "\r\n")] = 0;
    int nf = 0;
    char *save = NULL;
    for (char *t = strtok_r(line, " \t", &save); t && nf < 10; t = strtok_r(NULL, " \t", &save))
      f[nf++] = t;
    if (nf == 0 || f[0][0] == '#')
      continue;
    if (!v && rc == 0 && strcmp(f[0], "config"))
      break;                           /* a MAC file (or no vector file at all) */
    if (!strcmp(f[0], "config") && nf == 2) {
      const fp8sim_dot_model *md = fp8_verify_dot_find(f[1]);
      if (!md && !v) {
        fclose(in);
        return 1;                      /* not a dot-product file */
      }
      if (v && dot_free(v, r))
        rc = -1;
      v = md ? dot_alloc(md, &ro) : NULL;
      if (!v)
        rc = -1;
      continue;
    }
    if (!v) {
      fp8_report("verify", "%s:%d: expected a 'config NAME' line first", path, lineno);
      rc = -1;
    } else if (!strcmp(f[0], "clear") && nf == 1) {
      fp8_verify_dot_clear(v);
    } else if (!strcmp(f[0], "load") && nf == 3) {
      uint32_t c, fl;
      if (parse_codes(f[1], 1, v->cmask, &c) ||
          parse_codes(f[2], 1, 15, &fl)) {
        fp8_report("verify", "%s:%d: bad load '%s %s' (expected a hex accumulator code and hex flags 0..f)",
                  path, lineno, f[1], f[2]);
        rc = -1;
      } else {
        fp8_verify_dot_load(v, c, fl);
      }
    } else if (!strcmp(f[0], "stepn") && nf == 3) {
      uint32_t a[FP8_DOT_MAX_N], b[FP8_DOT_MAX_N], max = fp8_format_ncodes_minus1(&v->fmt);
      if (parse_codes(f[1], v->n, max, a) || parse_codes(f[2], v->n, max, b)) {
        fp8_report("verify", "%s:%d: bad stepn (expected two lists of %d hex codes 0..%x, comma-separated)",
                  path, lineno, v->n, max);
        rc = -1;
      } else {
        fp8_verify_dot_step(v, a, b);
      }
    } else if (!strcmp(f[0], "control") && nf == 9) {
      uint32_t ctl[4], c, fl, a[FP8_DOT_MAX_N], b[FP8_DOT_MAX_N], max = fp8_format_ncodes_minus1(&v->fmt);
      int bad = 0;
      for (int k = 0; k < 4; k++)
        bad |= parse_codes(f[1 + k], 1, 1, &ctl[k]);
      if (bad || parse_codes(f[5], 1, v->cmask, &c) || parse_codes(f[6], 1, 15, &fl) ||
          parse_codes(f[7], v->n, max, a) || parse_codes(f[8], v->n, max, b)) {
        fp8_report("verify", "%s:%d: bad control line (expected rst clear load en as 0/1, the load data and "
                  "flags in hex, two lists of %d hex codes)", path, lineno, v->n);
        rc = -1;
      } else {
        fp8_verify_dot_cycle(v, (int)ctl[0], (int)ctl[1], (int)ctl[2], (int)ctl[3], c, fl, a, b);
      }
    } else {
      fp8_report("verify", "%s:%d: unknown line '%s' (expected config, load, clear, stepn or control)", path,
                lineno, f[0]);
      rc = -1;
    }
  }
  fclose(in);
  if (!v && rc == 0)
    return 1;                          /* not a dot-product file: the MAC replay reports it */
  if (v && dot_free(v, r))
    rc = -1;
  return rc;
}
