/* verify.c - the harness: both models, the comparison, reports and vectors. */
#include "verify.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outfile.h"
#include "report.h"
#include "verify_vecfile.h"

#define ACC_WORDS32 (FP8_MAC_WORDS * 2)

struct fp8_verify {
  const fp8sim_model *md;
  void *rtl;
  fp8_mac *gold;
  fp8_format fmt;          /* input format */
  bool kulisch;
  int width;               /* accumulator bits */
  int nwords;              /* 32-bit words of the accumulator */
  long max_errors;
  uint64_t cycle, checked, mismatches;
  fp8_shard_cursor units;  /* which units of the stimulus this shard runs */
  uint64_t digest, first_unit;
  char first[640];
  fp8_mac_state before;    /* golden state before the next step */
  fp8_vecfile vec;
};

const fp8sim_model *fp8_verify_find(const char *config)
{
  for (const fp8sim_model *m = fp8sim_models; m->top; m++)
    if (strcmp(m->config, config) == 0)
      return m;
  return NULL;
}

fp8_verify *fp8_verify_alloc(const fp8sim_model *md, const fp8_verify_opts *o,
                             char *err, size_t errlen)
{
  fp8_verify *v = calloc(1, sizeof *v);
  if (!v) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  fp8_acc_spec spec;
  char e2[256];
  if (fp8_format_parse(md->format, &v->fmt, e2, sizeof e2) ||
      fp8_acc_spec_parse(md->acc, &spec, e2, sizeof e2) ||
      !(v->gold = fp8_mac_alloc(&v->fmt, NULL, &spec, e2, sizeof e2))) {
    snprintf(err, errlen, "configuration %s: %s", md->config, e2);
    free(v);
    return NULL;
  }
  v->md = md;
  v->kulisch = fp8_mac_acc(v->gold)->kind == FP8_ACC_KULISCH;
  v->width = fp8_mac_width(v->gold);
  v->nwords = (v->width + 31) / 32;
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
  fp8_mac_clear(v->gold);
  fp8_mac_get_state(v->gold, &v->before);
  return v;
}

const fp8_mac *fp8_verify_golden(const fp8_verify *v) { return v->gold; }
bool fp8_verify_done(const fp8_verify *v) { return (long)v->mismatches >= v->max_errors; }
bool fp8_verify_unit(fp8_verify *v, unsigned long *unit_seed) { return fp8_shard_next(&v->units, unit_seed); }

/* The hash of one checked vector: inputs and the state before the step. */
static uint64_t vector_hash(const fp8_verify *v, uint32_t a, uint32_t b)
{
  uint64_t h = fp8_digest_mix((uint64_t)a << 32 | (uint64_t)b << 8 | v->before.flags);
  for (int i = 0; i < FP8_MAC_WORDS; i++)
    h = fp8_digest_mix(h ^ v->before.acc[i]);
  return h;
}

static void to32(const fp8_mac_state *s, uint32_t *w, int n)
{
  for (int i = 0; i < n; i++)
    w[i] = (uint32_t)(s->acc[i / 2] >> (32 * (i % 2)));
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
    fp8_format_double(d, sizeof d, fp8_codec_decode(&fp8_mac_acc(v->gold)->fmt, w[0]));
    snprintf(val, sizeof val, " (%s)", d);
  }
  snprintf(buf, len, "acc=0x%s%s flags=0x%02x", hex, val, flags);
}

void fp8_verify_load(fp8_verify *v, const fp8_mac_state *s)
{
  uint32_t w[ACC_WORDS32];
  char err[256];
  to32(s, w, v->nwords);
  v->md->load(v->rtl, w, v->nwords, v->kulisch ? s->flags >> 4 : s->flags);
  if (fp8_mac_set_state(v->gold, s, err, sizeof err) == 0)
    v->before = *s;
  v->cycle++;
}

void fp8_verify_clear(fp8_verify *v)
{
  v->md->clear(v->rtl);
  fp8_mac_clear(v->gold);
  fp8_mac_get_state(v->gold, &v->before);
  v->cycle++;
}

/* The state before and the step (c NULL) or protocol cycle c that failed. */
static void write_vector(fp8_verify *v, uint32_t a, uint32_t b, const fp8_mac_ctrl *c)
{
  FILE *fp = fp8_vecfile_fp(&v->vec);
  if (!fp)
    return;
  uint32_t w[ACC_WORDS32];
  char hex[80];
  to32(&v->before, w, v->nwords);
  acc_hex(v, w, hex, sizeof hex);
  fprintf(fp, "# mismatch %" PRIu64 " at cycle %" PRIu64 "\nload\t%s\t%x\n",
          v->mismatches, v->cycle, hex, v->before.flags);
  if (!c) {
    fprintf(fp, "step\t%x\t%x\n", a, b);
    return;
  }
  to32(&c->load_state, w, v->nwords);
  acc_hex(v, w, hex, sizeof hex);
  fprintf(fp, "cycle\t%d\t%d\t%d\t%d\t%s\t%x\t%x\t%x\n", c->rst, c->clear, c->load, c->en,
          hex, c->load_state.flags, a, b);
}

bool fp8_verify_step(fp8_verify *v, uint32_t a, uint32_t b)
{
  uint32_t got[ACC_WORDS32], want[ACC_WORDS32];
  unsigned gflags;
  fp8_mac_state after;
  v->md->step(v->rtl, a, b);
  fp8_mac_step(v->gold, a, b);
  v->cycle++;
  v->checked++;
  v->digest += vector_hash(v, a, b);
  v->md->read(v->rtl, got, v->nwords, &gflags);
  if (v->kulisch)
    gflags <<= 4;
  fp8_mac_get_state(v->gold, &after);
  to32(&after, want, v->nwords);
  bool same = gflags == after.flags && memcmp(got, want, sizeof got[0] * v->nwords) == 0;
  if (!same) {
    v->mismatches++;
    if (v->mismatches == 1) {
      char sb[160], se[160], sg[160], da[40], db[40];
      uint32_t bw[ACC_WORDS32];
      to32(&v->before, bw, v->nwords);
      describe_acc(v, bw, v->before.flags, sb, sizeof sb);
      describe_acc(v, want, after.flags, se, sizeof se);
      describe_acc(v, got, gflags, sg, sizeof sg);
      fp8_format_double(da, sizeof da, fp8_codec_decode(&v->fmt, a));
      fp8_format_double(db, sizeof db, fp8_codec_decode(&v->fmt, b));
      fflush(stdout);
      fprintf(stderr,
              "MISMATCH %s (top %s%s%s), cycle %" PRIu64 ":\n"
              "  inputs       a=0x%02x (%s) b=0x%02x (%s)\n"
              "  state before %s\n"
              "  expected     %s\n"
              "  got          %s\n",
              v->md->config, v->md->top, v->md->variant ? ", built with " : "",
              v->md->variant ? v->md->variant : "", v->cycle, a, da, b, db, sb, se, sg);
      v->first_unit = v->units.unit - 1;
      snprintf(v->first, sizeof v->first, "a=0x%02x b=0x%02x; before %s; expected %s; got %s",
               a, b, sb, se, sg);
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
  fp8_mac_free(v->gold);
  free(v);
  return rc;
}

/* ---- the control protocol: one cycle of every input (src/mac.h) ------------ */
static bool rtl_is(const fp8_verify *v, const fp8_mac_state *want, uint32_t *got, unsigned *gflags)
{
  uint32_t w[ACC_WORDS32];
  v->md->read(v->rtl, got, v->nwords, gflags);
  if (v->kulisch)
    *gflags <<= 4;
  to32(want, w, v->nwords);
  return *gflags == want->flags && memcmp(got, w, sizeof w[0] * v->nwords) == 0;
}

bool fp8_verify_cycle(fp8_verify *v, const fp8_mac_ctrl *c)
{
  static const fp8_mac_state zero;
  uint32_t lw[ACC_WORDS32], got[ACC_WORDS32];
  unsigned gflags;
  char err[256];
  to32(&c->load_state, lw, v->nwords);
  fp8sim_inputs in = {.rst_n = !c->rst, .clear = c->clear, .load = c->load, .en = c->en,
                      .load_acc = lw, .nwords = v->nwords,
                      .load_flags = v->kulisch ? c->load_state.flags >> 4 : c->load_state.flags,
                      .a = c->a, .b = c->b};
  v->md->drive(v->rtl, &in);
  bool pre = rtl_is(v, c->rst ? &zero : &v->before, got, &gflags);
  uint32_t pre_got[ACC_WORDS32];
  unsigned pre_flags = gflags;
  memcpy(pre_got, got, sizeof got);
  v->md->edge(v->rtl);
  fp8_mac_state after;
  if (fp8_mac_cycle(v->gold, c, err, sizeof err))
    fprintf(stderr, "fp8lab verify: internal error: protocol load state rejected: %s\n", err);
  fp8_mac_get_state(v->gold, &after);
  v->cycle++;
  v->checked++;
  bool post = rtl_is(v, &after, got, &gflags);
  if (!pre || !post) {
    v->mismatches++;
    if (v->mismatches == 1) {
      char sb[160], sl[160], se[160], sg[160];
      uint32_t bw[ACC_WORDS32] = {0}, aw[ACC_WORDS32] = {0};
      to32(&v->before, bw, v->nwords);
      to32(pre ? &after : (c->rst ? &zero : &v->before), aw, v->nwords);
      describe_acc(v, bw, v->before.flags, sb, sizeof sb);
      describe_acc(v, lw, c->load_state.flags, sl, sizeof sl);
      describe_acc(v, aw, pre ? after.flags : c->rst ? 0 : v->before.flags, se, sizeof se);
      describe_acc(v, pre ? got : pre_got, pre ? gflags : pre_flags, sg, sizeof sg);
      fflush(stdout);
      fprintf(stderr,
              "MISMATCH %s (top %s%s%s), cycle %" PRIu64 ", control protocol, %s the clock edge:\n"
              "  inputs       rst=%d clear=%d load=%d en=%d a=0x%02x b=0x%02x\n"
              "  load data    %s\n"
              "  state before %s\n"
              "  expected     %s\n"
              "  got          %s\n",
              v->md->config, v->md->top, v->md->variant ? ", built with " : "",
              v->md->variant ? v->md->variant : "", v->cycle, pre ? "after" : "before",
              c->rst, c->clear, c->load, c->en, c->a, c->b, sl, sb, se, sg);
      v->first_unit = v->units.unit - 1;
      snprintf(v->first, sizeof v->first, "control rst=%d clear=%d load=%d en=%d a=0x%02x b=0x%02x; "
               "before %s; expected %s; got %s", c->rst, c->clear, c->load, c->en, c->a, c->b, sb, se, sg);
    }
    if ((long)v->mismatches <= v->max_errors)
      write_vector(v, c->a, c->b, c);
    fp8_verify_load(v, &after);
  }
  v->before = after;
  return pre && post;
}
