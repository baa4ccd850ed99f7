/* dot_spec.c - the dot-product unit's description: presets and spelling. */
#include "dot.h"
#include "error.h"
#include "spell.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A preset is a spelling in the generic grammar, a note, and its source. */
static const fp8_preset presets[] = {
  {"hopper-fp8", "e8m13:n=32:window=13:term=rtz:zero=-133:c=fused:round=rtz",
   "NVIDIA Hopper (H100/H200) FP8 tensor core: checked bit for bit against an H200",
   "MMA-Sim (arXiv 2511.10909); Khattak & Mikaitis (arXiv 2512.07004); "
   "checked against tests/data/h200-fp8 (737,280 outputs)"},
  {"ada-fp8", "e8m13:n=16:window=13:term=rtz:zero=-132:c=fused:round=rtz",
   "NVIDIA Ada (L40, RTX 40) FP8 tensor core: from published models, not checked against a chip here",
   "MMA-Sim (arXiv 2511.10909); Khattak & Mikaitis (arXiv 2512.07004)"},
  {"blackwell-fp8", "fp32:n=32:window=25:term=rtz:zero=-133:c=fused:round=rtz",
   "NVIDIA Blackwell FP8 tensor core: from published models, not checked against a chip here",
   "MMA-Sim (arXiv 2511.10909); Khattak & Mikaitis (arXiv 2512.07004)"},
  /* Block-scaled units (fp8_dot_alloc with block operands).  Zero products sit
   * below every scaled term (zero=-30000): MMA-Sim gives zeros exponent -999,
   * below the 2^-254 of two E8M0 scales. */
  {"blackwell-mxf8f6f4", "fp32:n=32:window=25:term=rtz:zero=-30000:c=fused:round=rtz:kblock=32:group=product",
   "NVIDIA Blackwell MXFP8/MXFP6/MXFP4 (kind::mxf8f6f4, E8M0 scale per 32): each product carries its "
   "scales' exponents into the alignment; from published models, not checked against a chip here",
   "MMA-Sim (arXiv 2511.10909), nv_fused_dot_add with scales; window from Khattak & Mikaitis "
   "(arXiv 2512.07004), B200 F = 25"},
  {"blackwell-mxf4", "fp32:n=64:window=35:term=rtz:zero=-30000:c=fused:round=rtz:kblock=32:group=16",
   "NVIDIA Blackwell MXFP4 (kind::mxf4, E8M0 scale per 32): exact sums of 16 products, scaled, aligned "
   "on the scales' exponents; from published models, not checked against a chip here",
   "MMA-Sim (arXiv 2511.10909), nv_fused_dot_add_with_block_scale, F = 35"},
  {"blackwell-nvf4", "fp32:n=64:window=35:term=rtz:zero=-30000:c=fused:round=rtz:kblock=16:group=16",
   "NVIDIA Blackwell NVFP4 (kind::mxf4nvf4, UE4M3 scale per 16; the fp32 tensor scales in the epilogue): "
   "from published models, not checked against a chip here",
   "MMA-Sim (arXiv 2511.10909), nv_fused_dot_add_with_block_scale, F = 35"},
  {"mx-exact", "fp32:n=32:window=exact:term=rtz:zero=-30000:c=after:round=rne:kblock=32:group=32",
   "reference: each block's dot product exact, times X_A*X_B, added into fp32 with one RNE rounding "
   "per block (blocks of 32)", "OCP Microscaling Formats (MX) v1.0, section 6 (Dot, DotGeneral)"},
  {"nvfp4-exact", "fp32:n=16:window=exact:term=rtz:zero=-30000:c=after:round=rne:kblock=16:group=16",
   "reference: each block's dot product exact, times X_A*X_B, added into fp32 with one RNE rounding "
   "per block (blocks of 16)", "OCP Microscaling Formats (MX) v1.0, section 6, with NVFP4's blocks"},
};
#define NPRESETS (sizeof presets / sizeof presets[0])

const fp8_preset *fp8_dot_spec_presets(size_t *n)
{
  *n = NPRESETS;
  return presets;
}

/* The keys write the descriptor's fields directly: its enums are int-sized. */
_Static_assert(sizeof(fp8_dot_term_round) == sizeof(int) && sizeof(fp8_round_mode) == sizeof(int),
               "enum fields stored as int");

static int set_acc(void *obj, const char *v, char *err, size_t errlen)
{
  fp8_dot_spec *sp = obj;
  fp8_acc_spec a;
  char e2[256];
  if (fp8_acc_spec_parse(v, &a, e2, sizeof e2))
    return fp8_error_set(err, errlen, "expected an IEEE eXmY such as e8m13 or fp32: %s", e2);
  if (a.kind != FP8_ACC_FP)
    return fp8_error_set(err, errlen, "expected an IEEE eXmY such as e8m13 or fp32, not a Kulisch register "
                         "(spell it as the base: kulisch:n=...)");
  sp->acc = a;
  return 0;
}

/* Base classes: a preset, or an accumulator (which names the accumulator,
 * so acc= would contradict it). */
enum { BASE_PRESET = 1, BASE_ACC = 2 };
static const char *const window_words[] = {"exact", NULL};
static const long window_values[] = {FP8_DOT_EXACT};
static const char *const term_words[] = {"rtz", "rne", "rdn", NULL};
static const long term_values[] = {FP8_DOT_RTZ, FP8_DOT_RNE, FP8_DOT_RDN};
static const char *const c_words[] = {"fused", "after", NULL};
static const long c_values[] = {1, 0};
static const char *const round_words[] = {"rtz", "rne", NULL};
static const long round_values[] = {FP8_ROUND_RTZ, FP8_ROUND_RNE};
static const char *const group_words[] = {"product", NULL};
static const long group_values[] = {0};
static const char *const splitk_words[] = {"auto", NULL};
static const long splitk_values[] = {FP8_DOT_SPLITK_AUTO};
#define F(m) FP8_SPELL_FIELD(fp8_dot_spec, m)
static const fp8_spell_key unit_keys[] = {
  {"n", FP8_SPELL_INT, F(n), 1, FP8_DOT_MAX_N, 0, 0, NULL, NULL, NULL, 0, 0, NULL, "products per step"},
  {"window", FP8_SPELL_INT, F(window), 0, FP8_DOT_MAX_WINDOW, 0, 0, window_words, window_values, NULL, 0, 0,
   NULL, "fraction bits"},
  {"term", FP8_SPELL_ENUM, F(term), 0, 0, 0, 0, term_words, term_values, NULL, 0, 0, NULL, NULL},
  {"zero", FP8_SPELL_INT, F(zero_exp), -100000, 100000, 0, 0, NULL, NULL, NULL, 0, 0, NULL,
   "(the exponent a zero product aligns at, e.g. -133)"},
  {"c", FP8_SPELL_ENUM, F(fused), 0, 0, 0, 0, c_words, c_values, NULL, 0, 0, NULL, NULL},
  {"acc", FP8_SPELL_SUB, 0, 0, 0, 0, 0, 0, NULL, NULL, set_acc, 0, BASE_PRESET,
   "presets only: an accumulator base names the accumulator itself", NULL},
  {"round", FP8_SPELL_ENUM, F(round), 0, 0, 0, 0, round_words, round_values, NULL, 0, 0, NULL, NULL},
  {"promote", FP8_SPELL_INT, F(promote), 0, 1 << 20, 0, 0, NULL, NULL, NULL, 0, 0, NULL,
   "(0: never; else every K steps)"},
  {"kblock", FP8_SPELL_INT, F(kblock), 0, FP8_BLOCK_MAX, 0, 0, NULL, NULL, NULL, 0, 0, NULL,
   "(0: no block scales; else products per scale)"},
  {"group", FP8_SPELL_INT, F(group), 1, FP8_BLOCK_MAX, 0, 0, group_words, group_values, NULL, 0, 0, NULL,
   "products summed exactly per term"},
  {"splitk", FP8_SPELL_INT, F(splitk), 1, FP8_DOT_MAX_SPLITK, 0, 0, splitk_words, splitk_values, NULL, 0, 0,
   NULL, "chunks of K"},
};
#undef F
static const fp8_spell_table unit_table = {"unit", ":", true, unit_keys, sizeof unit_keys / sizeof unit_keys[0],
                                           NULL, NULL, presets, NPRESETS};

/* The first key that makes sp more than the per-step MAC, as "n=4", or NULL. */
static const char *not_mac_key(const fp8_dot_spec *sp, char *buf, size_t len)
{
  if (sp->window != FP8_DOT_EXACT)
    snprintf(buf, len, "window=%d", sp->window);
  else if (sp->promote)
    snprintf(buf, len, "promote=%d", sp->promote);
  else if (sp->kblock)
    snprintf(buf, len, "kblock=%d", sp->kblock);
  else if (sp->round != FP8_ROUND_RNE)
    snprintf(buf, len, "round=rtz");
  else if (sp->n != 1)
    snprintf(buf, len, "n=%d", sp->n);
  else
    return NULL;
  return buf;
}

/* An unknown base: a misspelt format or accumulator gets the accumulator's
 * own message; any other name the preset list (from the table), not a chain of
 * every parser's message (which outgrew the callers' buffers). */
static int unknown_base(const char *s, const char *base, const char *e2, char *err, size_t errlen)
{
  fp8_format f;
  bool acc_like = fp8_format_parse(base, &f, NULL, 0) == 0 || !strncmp(base, "kulisch", 7) ||
                  !strncmp(base, "fp", 2) || !strncmp(base, "bf", 2) ||
                  (base[0] == 'e' && isdigit((unsigned char)base[1]));
  if (acc_like)
    return fp8_error_set(err, errlen, "unit '%.60s': %s", s, e2);
  char names[256];
  fp8_spell_preset_names(presets, NPRESETS, names, sizeof names);
  return fp8_error_set(err, errlen, "unknown unit '%.60s' (expected a preset: %s; or an accumulator: "
                       "kulisch, kulisch:W, fp16, bf16, fp32 or an IEEE eXmY such as e8m13, each "
                       "optionally :ftz; then optionally :KEY=VALUE)", s, names);
}

int fp8_dot_spec_parse(const char *s, fp8_dot_spec *spec, char *err, size_t errlen)
{
  if (!s || !*s)
    return fp8_error_set(err, errlen, "empty unit (expected a preset such as hopper-fp8, or an "
                         "accumulator such as fp32 or kulisch)");
  fp8_spell sp;
  if (fp8_spell_split(&unit_table, s, &sp, err, errlen))
    return -1;
  fp8_dot_spec u;
  memset(&u, 0, sizeof u);
  const fp8_preset *pr = sp.preset;
  if (pr) {
    if (fp8_dot_spec_parse(pr->spelling, &u, err, errlen))
      return -1;                   /* a bad preset table: the tests parse every preset */
  } else {
    char e2[320];
    if (fp8_acc_spec_parse(sp.base, &u.acc, e2, sizeof e2))
      return unknown_base(s, sp.base, e2, err, errlen);
    u.n = 1;
    u.window = FP8_DOT_EXACT;
    u.term = FP8_DOT_RTZ;
    u.fused = true;
    u.round = FP8_ROUND_RNE;
  }
  if (fp8_spell_apply(&unit_table, &sp, &u, pr ? BASE_PRESET : BASE_ACC, sp.base, err, errlen))
    return -1;
  /* Keys that contradict the accumulator the base names (doc/DESIGN.md
   * section 3): a Kulisch register is exact, and ftz is the MAC's. */
  char key[32];
  if (u.acc.kind == FP8_ACC_KULISCH && (u.window != FP8_DOT_EXACT || u.promote || u.kblock) &&
      not_mac_key(&u, key, sizeof key))
    return fp8_spell_error(err, errlen, "unit", s, "%s contradicts the base '%.40s' (a Kulisch accumulator is "
                           "exact: expected window=exact, promote=0 and kblock=0)", key, sp.base);
  if (u.group && !u.kblock)          /* (the name would drop it: kulisch's window rule) */
    return fp8_spell_error(err, errlen, "unit", s, "group=%d contradicts kblock=0 (group= sums the products of "
                           "a block-scaled unit: expected kblock=B with it)", u.group);
  if (u.acc.ftz && not_mac_key(&u, key, sizeof key))
    return fp8_spell_error(err, errlen, "unit", s, "%s contradicts the base '%.40s' (':ftz' applies to the "
                           "per-step MAC only: n=1, window=exact, round=rne, promote=0, kblock=0)", key, sp.base);
  *spec = u;
  return 0;
}

size_t fp8_dot_spec_sizeof(void) { return sizeof(fp8_dot_spec); }

bool fp8_dot_spec_is_mac(const fp8_dot_spec *sp)
{
  return sp->n == 1 && sp->window == FP8_DOT_EXACT && sp->promote == 0 && sp->round == FP8_ROUND_RNE &&
         sp->kblock == 0;
}

static bool same_spec(const fp8_dot_spec *x, const fp8_dot_spec *y)
{
  char a[64], b[64];
  fp8_acc_spec_name(&x->acc, a, sizeof a);
  fp8_acc_spec_name(&y->acc, b, sizeof b);
  return x->n == y->n && x->window == y->window && x->term == y->term && x->zero_exp == y->zero_exp &&
         x->fused == y->fused && !strcmp(a, b) && x->round == y->round && x->kblock == y->kblock &&
         x->group == y->group;
}

/* The unit's name without its split-K key. */
static void name_unit(const fp8_dot_spec *sp, char *buf, size_t len)
{
  char acc[64];
  fp8_acc_spec_name(&sp->acc, acc, sizeof acc);
  for (size_t p = 0; p < NPRESETS; p++) {
    fp8_dot_spec ps;
    if (fp8_dot_spec_parse(presets[p].spelling, &ps, NULL, 0) == 0 && same_spec(&ps, sp)) {
      if (sp->promote)
        snprintf(buf, len, "%s:promote=%d", presets[p].name, sp->promote);
      else
        snprintf(buf, len, "%s", presets[p].name);
      return;
    }
  }
  if (fp8_dot_spec_is_mac(sp)) {
    snprintf(buf, len, "%s", acc);
    return;
  }
  static const char *const tr[] = {"rtz", "rne", "rdn"};
  char w[16];
  if (sp->window == FP8_DOT_EXACT)
    snprintf(w, sizeof w, "exact");
  else
    snprintf(w, sizeof w, "%d", sp->window);
  int k = snprintf(buf, len, "%s:n=%d:window=%s:term=%s:zero=%d:c=%s:round=%s:promote=%d", acc, sp->n, w,
                   tr[sp->term], sp->zero_exp, sp->fused ? "fused" : "after",
                   sp->round == FP8_ROUND_RTZ ? "rtz" : "rne", sp->promote);
  if (sp->kblock && k >= 0 && (size_t)k < len) {
    if (sp->group)
      snprintf(buf + k, len - (size_t)k, ":kblock=%d:group=%d", sp->kblock, sp->group);
    else
      snprintf(buf + k, len - (size_t)k, ":kblock=%d:group=product", sp->kblock);
  }
}

void fp8_dot_spec_name(const fp8_dot_spec *sp, char *buf, size_t len)
{
  if (!len)
    return;
  name_unit(sp, buf, len);
  size_t l = strlen(buf);   /* then the split-K key, when K is split */
  if (sp->splitk == FP8_DOT_SPLITK_AUTO)
    snprintf(buf + l, len - l, ":splitk=auto");
  else if (sp->splitk > 1)
    snprintf(buf + l, len - l, ":splitk=%d", sp->splitk);
}

size_t fp8_dot_spec_describe(const fp8_dot_spec *sp, char *buf, size_t len)
{
  char name[160], acc[64], w[16];
  fp8_dot_spec_name(sp, name, sizeof name);
  fp8_acc_spec_name(&sp->acc, acc, sizeof acc);
  if (sp->window == FP8_DOT_EXACT)
    snprintf(w, sizeof w, "exact");
  else
    snprintf(w, sizeof w, "%d", sp->window);
  static const char *const tr[] = {"rtz", "rne", "rdn"};
  int n = snprintf(buf, len, "name=%s\nacc=%s\nn=%d\nwindow=%s\nterm=%s\nzero=%d\nc=%s\nround=%s\npromote=%d\n"
                   "kblock=%d\ngroup=%d\nsplitk=%d\nis_mac=%d\n", name, acc, sp->n, w, tr[sp->term], sp->zero_exp,
                   sp->fused ? "fused" : "after", sp->round == FP8_ROUND_RTZ ? "rtz" : "rne", sp->promote,
                   sp->kblock, sp->group, sp->splitk, fp8_dot_spec_is_mac(sp) ? 1 : 0);
  return n < 0 ? 0 : (size_t)n;
}
