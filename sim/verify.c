/* verify.c - the harness: both models, the comparison, reports and vectors
 * (see verify.h). */
#include "verify.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outfile.h"
#include "report.h"
#include "rng.h"
#include "verify_vecfile.h"

#define ACC_WORDS32 (FP8_MAC_WORDS * 2)
#define AB_WORDS32 (FP8_DOT_MAX_N * 16 / 32 + 1)
#define KULISCH_FLAGS (FP8_MAC_WRAP | FP8_MAC_NAN | FP8_MAC_PINF | FP8_MAC_NINF)
#define FP_FLAGS (FP8_MAC_INEXACT | FP8_MAC_UNDERFLOW | FP8_MAC_OVERFLOW | FP8_MAC_INVALID)

struct fp8_verify {
  const fp8sim_unit *md;
  void *rtl;
  fp8_mac *mac;            /* the golden model of n = 1 (mac.h's kernel) */
  fp8_dot *dot;            /* ... of n > 1 (fp8_dot_step) */
  fp8_dot_spec spec;
  fp8_format fmt;          /* input format */
  fp8_verify_unit_info info;
  bool kulisch;
  int n, width;            /* products per step, accumulator bits */
  int nwords, abwords;     /* 32-bit words of the accumulator, of a_i / b_i */
  long max_errors;
  uint64_t cycle, checked, mismatches;
  fp8_shard_cursor units;  /* which units of the stimulus this shard runs */
  uint64_t digest, first_unit;
  char first[640];
  fp8_mac_state before;    /* golden state before the next step */
  fp8_vecfile vec;
};

const fp8sim_unit *fp8_verify_find(const char *config)
{
  for (const fp8sim_unit *m = fp8sim_units; m->top; m++)
    if (strcmp(m->config, config) == 0)
      return m;
  return NULL;
}

fp8_verify *fp8_verify_alloc(const fp8sim_unit *md, const fp8_verify_opts *o,
                             char *err, size_t errlen)
{
  fp8_verify *v = calloc(1, sizeof *v);
  if (!v) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  char e2[256];
  if (fp8_format_parse(md->format, &v->fmt, e2, sizeof e2) ||
      fp8_dot_spec_parse(md->unit, &v->spec, e2, sizeof e2)) {
    snprintf(err, errlen, "configuration %s: %s", md->config, e2);
    free(v);
    return NULL;
  }
  if (v->spec.n != md->n) {
    snprintf(err, errlen, "configuration %s: the table says %d products per step, the unit %s %d",
             md->config, md->n, md->unit, v->spec.n);
    free(v);
    return NULL;
  }
  v->n = md->n;
  if (v->n == 1) {
    /* the MAC case of dot.h: its kernel, whose state holds any Kulisch width */
    if (!(v->mac = fp8_mac_alloc(&v->fmt, NULL, &v->spec.acc, e2, sizeof e2))) {
      snprintf(err, errlen, "configuration %s: %s", md->config, e2);
      free(v);
      return NULL;
    }
    v->kulisch = fp8_mac_acc(v->mac)->kind == FP8_ACC_KULISCH;
    v->width = fp8_mac_width(v->mac);
    v->spec.acc = *fp8_mac_acc(v->mac);          /* a Kulisch width resolved */
  } else {
    fp8_block_format op;                          /* a per-tensor operand */
    fp8_block_from_format(&v->fmt, &op);
    if (!(v->dot = fp8_dot_alloc(&op, NULL, &v->spec, e2, sizeof e2))) {
      snprintf(err, errlen, "configuration %s: %s", md->config, e2);
      free(v);
      return NULL;
    }
    v->spec = *fp8_dot_spec_of(v->dot);          /* a Kulisch width resolved */
    v->kulisch = v->spec.acc.kind == FP8_ACC_KULISCH;
    v->width = v->kulisch ? v->spec.acc.width : v->spec.acc.fmt.bits;
    if (v->width > 32) {
      snprintf(err, errlen, "configuration %s: a %d-bit accumulator (fp8_dot_step holds at most 32)",
               md->config, v->width);
      fp8_dot_free(v->dot);
      free(v);
      return NULL;
    }
  }
  v->md = md;
  v->nwords = (v->width + 31) / 32;
  v->abwords = (v->n * v->fmt.bits + 31) / 32;
  v->info = (fp8_verify_unit_info){.in = &v->fmt, .spec = &v->spec, .acc = v->kulisch ? NULL : &v->spec.acc.fmt,
                                   .n = v->n, .width = v->width, .mac = v->mac};
  v->max_errors = o->max_errors;
  v->units.shard = o->shard.n ? o->shard : (fp8_shard){0, 1};
  v->units.rot = fp8_shard_rot(md->config);
  v->units.seed = o->seed;
  v->units.count_only = o->count_only;
  v->units.label = o->progress;
  v->units.total = o->progress_units;
  v->units.checked = &v->checked;
  fp8_vecfile_init(&v->vec, o->vecdir, md->config, &v->units.shard);
  v->rtl = md->create();
  /* No width probe here: Verilator keeps whatever bits a caller writes above
   * a port's width, so a load/read round trip cannot measure it.  The
   * generated tops match by construction (tests/rtl_tops.sh); a hand-made top
   * of another width fails the carry and wrap sequences as mismatches. */
  md->reset(v->rtl);
  if (v->mac)
    fp8_mac_clear(v->mac);
  memset(&v->before, 0, sizeof v->before);
  return v;
}

const fp8_verify_unit_info *fp8_verify_info(const fp8_verify *v) { return &v->info; }
bool fp8_verify_done(const fp8_verify *v) { return (long)v->mismatches >= v->max_errors; }
bool fp8_verify_unit(fp8_verify *v, unsigned long *unit_seed) { return fp8_shard_next(&v->units, unit_seed); }

bool fp8_verify_unit_rng(fp8_verify *v, gsl_rng *rng)
{
  unsigned long seed;
  if (!fp8_shard_next(&v->units, &seed))
    return false;
  fp8_rng_seed(rng, seed);   /* all 64 bits: gsl_rng_set keeps 32 */
  return true;
}

int fp8_verify_check_state(const fp8_verify *v, const fp8_mac_state *s, char *err, size_t errlen)
{
  for (int bit = v->width; bit < 64 * FP8_MAC_WORDS; bit++)
    if (s->acc[bit / 64] >> (bit % 64) & 1) {
      snprintf(err, errlen, "accumulator bit %d set (the unit's accumulator has %d bits)", bit, v->width);
      return -1;
    }
  unsigned kind = v->kulisch ? KULISCH_FLAGS : FP_FLAGS;
  if (s->flags & ~kind) {
    snprintf(err, errlen, "flags 0x%x are not of a%s accumulator (expected bits of 0x%x)", s->flags,
             v->kulisch ? " Kulisch" : "n FP", kind);
    return -1;
  }
  if (v->kulisch && (s->flags & (FP8_MAC_PINF | FP8_MAC_NINF)) == (FP8_MAC_PINF | FP8_MAC_NINF) &&
      !(s->flags & FP8_MAC_NAN)) {
    snprintf(err, errlen, "flags 0x%x: +Inf and -Inf without NaN (no step leaves that state)", s->flags);
    return -1;
  }
  return 0;
}

/* The hash of one checked vector: inputs and the state before the step (a
 * MAC's as it has always been, so its digests stay those of earlier runs). */
static uint64_t vector_hash(const fp8_verify *v, const uint32_t *a, const uint32_t *b)
{
  uint64_t h = fp8_digest_mix((uint64_t)a[0] << 32 | (uint64_t)b[0] << 8 | v->before.flags);
  for (int i = 1; i < v->n; i++)
    h = fp8_digest_mix(h ^ ((uint64_t)a[i] << 32 | (uint64_t)b[i] << 8 | (uint64_t)i));
  for (int i = 0; i < FP8_MAC_WORDS; i++)
    h = fp8_digest_mix(h ^ v->before.acc[i]);
  return h;
}

static void to32(const fp8_mac_state *s, uint32_t *w, int n)
{
  for (int i = 0; i < n; i++)
    w[i] = (uint32_t)(s->acc[i / 2] >> (32 * (i % 2)));
}

/* The n codes x packed into words (sim/model.h: code i at bits [i*w, i*w + w)). */
static void pack(const fp8_verify *v, const uint32_t *x, uint32_t *w)
{
  const int bits = v->fmt.bits;
  memset(w, 0, sizeof *w * (size_t)v->abwords);
  for (int i = 0; i < v->n; i++) {
    uint64_t code = x[i] & ((1u << bits) - 1);
    int pos = i * bits;
    w[pos / 32] |= (uint32_t)(code << (pos % 32));
    if (pos % 32 + bits > 32)
      w[pos / 32 + 1] |= (uint32_t)(code >> (32 - pos % 32));
  }
}

/* Accumulator as hex of exactly width bits. */
static void acc_hex(const fp8_verify *v, const uint32_t *w, char *buf, size_t len)
{
  int digits = (v->width + 3) / 4;
  size_t k = 0;
  for (int d = digits - 1; d >= 0 && k + 1 < len; d--)
    buf[k++] = "0123456789abcdef"[(w[d / 8] >> (4 * (d % 8))) & 15];
  buf[k] = 0;
}

static void describe_acc(const fp8_verify *v, const uint32_t *w, unsigned flags, char *buf, size_t len)
{
  char hex[80], val[48] = "";
  acc_hex(v, w, hex, sizeof hex);
  if (!v->kulisch) {
    char d[40];
    fp8_format_double(d, sizeof d, fp8_codec_decode(&v->spec.acc.fmt, w[0]));
    snprintf(val, sizeof val, " (%s)", d);
  }
  snprintf(buf, len, "acc=0x%s%s flags=0x%02x", hex, val, flags);
}

/* The n codes as "0x3c (1.5)" for a MAC, "3c,0,7e,..." for n > 1. */
static void describe_codes(const fp8_verify *v, const uint32_t *x, char *buf, size_t len)
{
  if (v->n == 1) {
    char d[40];
    fp8_format_double(d, sizeof d, fp8_codec_decode(&v->fmt, x[0]));
    snprintf(buf, len, "0x%02x (%s)", x[0], d);
    return;
  }
  size_t k = 0;
  for (int i = 0; i < v->n && k < len; i++) {
    int w = snprintf(buf + k, len - k, "%s%x", i ? "," : "", x[i]);
    if (w < 0)
      break;
    k += (size_t)w;
  }
}

static void print_codes(FILE *f, const fp8_verify *v, const uint32_t *x)
{
  for (int i = 0; i < v->n; i++)
    fprintf(f, "%s%x", i ? "," : "", x[i]);
}

void fp8_verify_load(fp8_verify *v, const fp8_mac_state *s)
{
  uint32_t w[ACC_WORDS32];
  char err[256];
  to32(s, w, v->nwords);
  v->md->load(v->rtl, w, v->nwords, v->kulisch ? s->flags >> 4 : s->flags);
  if (v->mac ? fp8_mac_set_state(v->mac, s, err, sizeof err) == 0
             : fp8_verify_check_state(v, s, err, sizeof err) == 0)
    v->before = *s;
  v->cycle++;
}

void fp8_verify_clear(fp8_verify *v)
{
  v->md->clear(v->rtl);
  if (v->mac)
    fp8_mac_clear(v->mac);
  memset(&v->before, 0, sizeof v->before);
  v->cycle++;
}

/* The golden step from v->before into *after. */
static void golden_step(fp8_verify *v, const uint32_t *a, const uint32_t *b, fp8_mac_state *after)
{
  if (v->mac) {
    fp8_mac_step(v->mac, a[0], b[0]);
    fp8_mac_get_state(v->mac, after);
    return;
  }
  /* fp8_dot_step: a Kulisch unit's flags are mac.h's, in and out; an FP
     unit's are this step's, sticky here */
  unsigned fl = v->kulisch ? v->before.flags : 0;
  memset(after, 0, sizeof *after);
  after->acc[0] = fp8_dot_step(v->dot, a, b, (uint32_t)v->before.acc[0], &fl);
  after->flags = v->kulisch ? fl & KULISCH_FLAGS : v->before.flags | (fl & FP_FLAGS);
}

/* The state before and the step (c NULL) or protocol cycle c that failed. */
static void write_vector(fp8_verify *v, const uint32_t *a, const uint32_t *b, const fp8_verify_ctrl *c)
{
  FILE *fp = fp8_vecfile_fp(&v->vec);
  if (!fp)
    return;
  uint32_t w[ACC_WORDS32];
  char hex[80];
  to32(&v->before, w, v->nwords);
  acc_hex(v, w, hex, sizeof hex);
  fprintf(fp, "# mismatch %" PRIu64 " at cycle %" PRIu64 "%s\nload\t%s\t%x\n", v->mismatches, v->cycle,
          c ? ", control protocol" : "", hex, v->before.flags);
  if (!c) {
    fputs("step\t", fp);
  } else {
    to32(&c->load_state, w, v->nwords);
    acc_hex(v, w, hex, sizeof hex);
    fprintf(fp, "cycle\t%d\t%d\t%d\t%d\t%s\t%x\t", c->rst, c->clear, c->load, c->en, hex,
            c->load_state.flags);
  }
  print_codes(fp, v, a);
  fputc('\t', fp);
  print_codes(fp, v, b);
  fputc('\n', fp);
}

static bool rtl_is(const fp8_verify *v, const fp8_mac_state *want, uint32_t *got, unsigned *gflags)
{
  uint32_t w[ACC_WORDS32];
  v->md->read(v->rtl, got, v->nwords, gflags);
  if (v->kulisch)
    *gflags <<= 4;
  to32(want, w, v->nwords);
  return *gflags == want->flags && memcmp(got, w, sizeof w[0] * v->nwords) == 0;
}

static const char *built_with(const fp8_verify *v) { return v->md->variant ? ", built with " : ""; }

bool fp8_verify_step(fp8_verify *v, const uint32_t *a, const uint32_t *b)
{
  uint32_t got[ACC_WORDS32], wa[AB_WORDS32], wb[AB_WORDS32];
  unsigned gflags;
  fp8_mac_state after;
  if (v->n == 1) {
    wa[0] = a[0];
    wb[0] = b[0];
  } else {
    pack(v, a, wa);
    pack(v, b, wb);
  }
  v->md->step(v->rtl, wa, wb, v->abwords);
  golden_step(v, a, b, &after);
  v->cycle++;
  v->checked++;
  v->digest += vector_hash(v, a, b);
  bool same = rtl_is(v, &after, got, &gflags);
  if (!same) {
    v->mismatches++;
    if (v->mismatches == 1) {
      char sb[160], se[160], sg[160], da[FP8_DOT_MAX_N * 6 + 40], db[FP8_DOT_MAX_N * 6 + 40];
      uint32_t bw[ACC_WORDS32], aw[ACC_WORDS32];
      to32(&v->before, bw, v->nwords);
      to32(&after, aw, v->nwords);
      describe_acc(v, bw, v->before.flags, sb, sizeof sb);
      describe_acc(v, aw, after.flags, se, sizeof se);
      describe_acc(v, got, gflags, sg, sizeof sg);
      describe_codes(v, a, da, sizeof da);
      describe_codes(v, b, db, sizeof db);
      fflush(stdout);
      fprintf(stderr,
              "MISMATCH %s (top %s%s%s), cycle %" PRIu64 ":\n"
              "  inputs       a=%s%sb=%s\n"
              "  state before %s\n"
              "  expected     %s\n"
              "  got          %s\n",
              v->md->config, v->md->top, built_with(v), v->md->variant ? v->md->variant : "", v->cycle, da,
              v->n == 1 ? " " : "\n               ", db, sb, se, sg);
      v->first_unit = v->units.unit - 1;
      snprintf(v->first, sizeof v->first, "a=%.110s b=%.110s; before %.110s; expected %.110s; got %.110s", da,
               db, sb, se, sg);
    }
    if ((long)v->mismatches <= v->max_errors)
      write_vector(v, a, b, NULL);
    /* Continue from the golden state so one bug is not counted every cycle. */
    fp8_verify_load(v, &after);
  }
  v->before = after;
  return same;
}

int fp8_verify_free(fp8_verify *v, fp8_verify_result *r)
{
  int rc = 0;
  if (r) {
    r->checked += v->checked;
    r->mismatches += v->mismatches;
    r->digest += v->digest;
    r->units += v->units.unit;
    if (v->mismatches && !r->first[0]) {
      r->first_unit = v->first_unit;
      snprintf(r->first, sizeof r->first, "%s", v->first);
    }
  }
  fp8_shard_progress_end(&v->units);
  if (fp8_vecfile_close(&v->vec, r ? r->vecfile : NULL, sizeof r->vecfile))
    rc = -1;
  v->md->free(v->rtl);
  fp8_mac_free(v->mac);
  fp8_dot_free(v->dot);
  free(v);
  return rc;
}

/* ---- the control protocol: one cycle of every input (src/unit/mac.h) ------------ */

/* The golden state after the edge: mac.h's fp8_mac_cycle for n = 1; for n > 1
 * the same contract (rst > clear > load > en > hold) around fp8_dot_step. */
static void golden_cycle(fp8_verify *v, const fp8_verify_ctrl *c, fp8_mac_state *after)
{
  char err[256];
  if (v->mac) {
    fp8_mac_ctrl mc = {.rst = c->rst, .clear = c->clear, .load = c->load, .en = c->en,
                       .load_state = c->load_state, .a = c->a[0], .b = c->b[0]};
    if (fp8_mac_cycle(v->mac, &mc, err, sizeof err))
      fprintf(stderr, "fp8lab verify: internal error: protocol load state rejected: %s\n", err);
    fp8_mac_get_state(v->mac, after);
  } else if (c->rst || c->clear) {
    memset(after, 0, sizeof *after);
  } else if (c->load) {
    *after = c->load_state;
  } else if (c->en) {
    golden_step(v, c->a, c->b, after);
  } else {
    *after = v->before;
  }
}

bool fp8_verify_cycle(fp8_verify *v, const fp8_verify_ctrl *c)
{
  static const fp8_mac_state zero;
  uint32_t lw[ACC_WORDS32], got[ACC_WORDS32], wa[AB_WORDS32], wb[AB_WORDS32];
  unsigned gflags;
  to32(&c->load_state, lw, v->nwords);
  pack(v, c->a, wa);
  pack(v, c->b, wb);
  fp8sim_inputs in = {.rst_n = !c->rst, .clear = c->clear, .load = c->load, .en = c->en,
                      .load_acc = lw, .nwords = v->nwords,
                      .load_flags = v->kulisch ? c->load_state.flags >> 4 : c->load_state.flags,
                      .a = wa, .b = wb, .abwords = v->abwords};
  v->md->drive(v->rtl, &in);
  bool pre = rtl_is(v, c->rst ? &zero : &v->before, got, &gflags);
  uint32_t pre_got[ACC_WORDS32];
  unsigned pre_flags = gflags;
  memcpy(pre_got, got, sizeof got);
  v->md->edge(v->rtl);
  fp8_mac_state after;
  golden_cycle(v, c, &after);
  v->cycle++;
  v->checked++;
  v->digest += vector_hash(v, c->a, c->b) ^ (uint64_t)(c->rst | c->clear << 1 | c->load << 2 | c->en << 3);
  bool post = rtl_is(v, &after, got, &gflags);
  if (!pre || !post) {
    v->mismatches++;
    if (v->mismatches == 1) {
      char sb[160], sl[160], se[160], sg[160], da[FP8_DOT_MAX_N * 6 + 40], db[FP8_DOT_MAX_N * 6 + 40];
      uint32_t bw[ACC_WORDS32] = {0}, aw[ACC_WORDS32] = {0};
      to32(&v->before, bw, v->nwords);
      to32(pre ? &after : (c->rst ? &zero : &v->before), aw, v->nwords);
      describe_acc(v, bw, v->before.flags, sb, sizeof sb);
      describe_acc(v, lw, c->load_state.flags, sl, sizeof sl);
      describe_acc(v, aw, pre ? after.flags : c->rst ? 0 : v->before.flags, se, sizeof se);
      describe_acc(v, pre ? got : pre_got, pre ? gflags : pre_flags, sg, sizeof sg);
      describe_codes(v, c->a, da, sizeof da);
      describe_codes(v, c->b, db, sizeof db);
      fflush(stdout);
      fprintf(stderr,
              "MISMATCH %s (top %s%s%s), cycle %" PRIu64 ", control protocol, %s the clock edge:\n"
              "  inputs       rst=%d clear=%d load=%d en=%d a=%s b=%s\n"
              "  load data    %s\n"
              "  state before %s\n"
              "  expected     %s\n"
              "  got          %s\n",
              v->md->config, v->md->top, built_with(v), v->md->variant ? v->md->variant : "", v->cycle,
              pre ? "after" : "before", c->rst, c->clear, c->load, c->en, da, db, sl, sb, se, sg);
      v->first_unit = v->units.unit - 1;
      snprintf(v->first, sizeof v->first, "control rst=%d clear=%d load=%d en=%d a=%.100s b=%.100s; "
               "before %.100s; expected %.100s; got %.100s", c->rst, c->clear, c->load, c->en, da, db, sb, se, sg);
    }
    if ((long)v->mismatches <= v->max_errors)
      write_vector(v, c->a, c->b, c);
    fp8_verify_load(v, &after);
  }
  v->before = after;
  return pre && post;
}
