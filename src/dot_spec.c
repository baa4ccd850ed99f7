/* dot_spec.c - the dot-product unit's description: presets and spelling. */
#include "dot.h"
#include "error.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A preset is a spelling in the generic grammar, a note, and its source. */
static const struct {
  const char *name, *spec, *note, *source;
} presets[] = {
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

size_t fp8_dot_preset_count(void) { return NPRESETS; }
const char *fp8_dot_preset_name(size_t i) { return i < NPRESETS ? presets[i].name : NULL; }
const char *fp8_dot_preset_note(size_t i) { return i < NPRESETS ? presets[i].note : NULL; }
const char *fp8_dot_preset_source(size_t i) { return i < NPRESETS ? presets[i].source : NULL; }

static int parse_int(const char *s, long lo, long hi, long *out)
{
  char *end;
  long v = strtol(s, &end, 10);
  if (end == s || *end || v < lo || v > hi)
    return -1;
  *out = v;
  return 0;
}

static const char *const keys[] = {"n", "window", "term", "zero", "c", "acc", "round", "promote",
                                   "kblock", "group", "splitk"};

/* The key of token t ("n=32" -> 0), or -1 if t is part of the base. */
static int key_of(const char *t)
{
  const char *eq = strchr(t, '=');
  if (!eq)
    return -1;
  for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
    if (strlen(keys[k]) == (size_t)(eq - t) && !strncmp(t, keys[k], (size_t)(eq - t)))
      return (int)k;
  return -1;
}

static int set_key(fp8_dot_spec *sp, int k, const char *v, const char *s, char *err, size_t errlen)
{
  long x;
  switch (k) {
  case 0:
    if (parse_int(v, 1, FP8_DOT_MAX_N, &x))
      return fp8_error_set(err, errlen, "unit '%s': n=%s (expected 1..%d products per step)", s, v,
                           FP8_DOT_MAX_N);
    sp->n = (int)x;
    return 0;
  case 1:
    if (!strcmp(v, "exact")) {
      sp->window = FP8_DOT_EXACT;
      return 0;
    }
    if (parse_int(v, 0, FP8_DOT_MAX_WINDOW, &x))
      return fp8_error_set(err, errlen, "unit '%s': window=%s (expected exact or 0..%d fraction bits)", s,
                           v, FP8_DOT_MAX_WINDOW);
    sp->window = (int)x;
    return 0;
  case 2:
    if (!strcmp(v, "rtz")) sp->term = FP8_DOT_RTZ;
    else if (!strcmp(v, "rne")) sp->term = FP8_DOT_RNE;
    else if (!strcmp(v, "rdn")) sp->term = FP8_DOT_RDN;
    else return fp8_error_set(err, errlen, "unit '%s': term=%s (expected rtz, rne or rdn)", s, v);
    return 0;
  case 3:
    if (parse_int(v, -100000, 100000, &x))
      return fp8_error_set(err, errlen, "unit '%s': zero=%s (expected a whole exponent, e.g. -133)", s, v);
    sp->zero_exp = (int)x;
    return 0;
  case 4:
    if (!strcmp(v, "fused")) sp->fused = true;
    else if (!strcmp(v, "after")) sp->fused = false;
    else return fp8_error_set(err, errlen, "unit '%s': c=%s (expected fused or after)", s, v);
    return 0;
  case 5: {
    char e2[1024] = "";
    fp8_acc_spec a;
    memset(&a, 0, sizeof a);
    if (fp8_acc_spec_parse(v, &a, e2, sizeof e2) || a.kind != FP8_ACC_FP)
      return fp8_error_set(err, errlen, "unit '%s': acc=%s (expected an IEEE eXmY such as e8m13 or fp32)%s%s",
                           s, v, a.kind == FP8_ACC_FP ? ": " : "", a.kind == FP8_ACC_FP ? e2 : "");
    sp->acc = a;
    return 0;
  }
  case 6:
    if (!strcmp(v, "rtz")) sp->round = FP8_ROUND_RTZ;
    else if (!strcmp(v, "rne")) sp->round = FP8_ROUND_RNE;
    else return fp8_error_set(err, errlen, "unit '%s': round=%s (expected rtz or rne)", s, v);
    return 0;
  case 8:
    if (parse_int(v, 0, FP8_BLOCK_MAX, &x))
      return fp8_error_set(err, errlen, "unit '%s': kblock=%s (expected 0 (no block scales) or 1..%d "
                           "products per scale)", s, v, FP8_BLOCK_MAX);
    sp->kblock = (int)x;
    return 0;
  case 9:
    if (!strcmp(v, "product")) {
      sp->group = 0;
      return 0;
    }
    if (parse_int(v, 1, FP8_BLOCK_MAX, &x))
      return fp8_error_set(err, errlen, "unit '%s': group=%s (expected product or 1..%d products summed "
                           "exactly per term)", s, v, FP8_BLOCK_MAX);
    sp->group = (int)x;
    return 0;
  case 10:
    if (!strcmp(v, "auto")) {
      sp->splitk = FP8_DOT_SPLITK_AUTO;
      return 0;
    }
    if (parse_int(v, 1, FP8_DOT_MAX_SPLITK, &x))
      return fp8_error_set(err, errlen, "unit '%s': splitk=%s (expected auto or 1..%d chunks of K)", s, v,
                           FP8_DOT_MAX_SPLITK);
    sp->splitk = (int)x;
    return 0;
  default:
    if (parse_int(v, 0, 1 << 20, &x))
      return fp8_error_set(err, errlen, "unit '%s': promote=%s (expected 0 (never) or every K >= 1 steps)",
                           s, v);
    sp->promote = (int)x;
    return 0;
  }
}

int fp8_dot_spec_parse(const char *s, fp8_dot_spec *spec, char *err, size_t errlen)
{
  char buf[160], base[160] = "", e2[1024];
  if (!s || !*s)
    return fp8_error_set(err, errlen, "empty unit (expected a preset such as hopper-fp8, or an "
                         "accumulator such as fp32 or kulisch)");
  if (strlen(s) >= sizeof buf)
    return fp8_error_set(err, errlen, "unit spelling too long (%zu characters)", strlen(s));
  snprintf(buf, sizeof buf, "%s", s);
  /* The base: the tokens that are not keys, joined back with ':'. */
  char *save, *t;
  for (t = strtok_r(buf, ":", &save); t; t = strtok_r(NULL, ":", &save))
    if (key_of(t) < 0)
      snprintf(base + strlen(base), sizeof base - strlen(base), "%s%s", *base ? ":" : "", t);
  memset(spec, 0, sizeof *spec);
  size_t p;
  for (p = 0; p < NPRESETS; p++)
    if (!strcmp(base, presets[p].name))
      break;
  if (p < NPRESETS) {
    if (fp8_dot_spec_parse(presets[p].spec, spec, err, errlen))
      return -1;
  } else {
    if (fp8_acc_spec_parse(base, &spec->acc, e2, sizeof e2)) {
      /* A format or an accumulator spelled wrongly gets the accumulator's own
       * message; any other name the lists (the presets from the table), not a chain of
       * every parser's message (which outgrew the callers' buffers). */
      fp8_format f;
      bool acc_like = fp8_format_parse(base, &f, NULL, 0) == 0 || !strncmp(base, "kulisch", 7) ||
                      !strncmp(base, "fp", 2) || !strncmp(base, "bf", 2) ||
                      (base[0] == 'e' && isdigit((unsigned char)base[1]));
      if (acc_like)
        return fp8_error_set(err, errlen, "unit '%.60s': %s", s, e2);
      char names[256] = "";
      for (size_t i = 0; i < NPRESETS; i++)
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "",
                 presets[i].name);
      return fp8_error_set(err, errlen, "unknown unit '%.60s' (expected a preset: %s; or an accumulator: "
                           "kulisch, kulisch:W, fp16, bf16, fp32 or an IEEE eXmY such as e8m13, each "
                           "optionally :ftz; then optionally :KEY=VALUE)", s, names);
    }
    spec->n = 1;
    spec->window = FP8_DOT_EXACT;
    spec->term = FP8_DOT_RTZ;
    spec->zero_exp = 0;
    spec->fused = true;
    spec->round = FP8_ROUND_RNE;
  }
  snprintf(buf, sizeof buf, "%s", s);
  for (t = strtok_r(buf, ":", &save); t; t = strtok_r(NULL, ":", &save)) {
    int k = key_of(t);
    if (k >= 0 && set_key(spec, k, strchr(t, '=') + 1, s, err, errlen))
      return -1;
  }
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
    if (fp8_dot_spec_parse(presets[p].spec, &ps, NULL, 0) == 0 && same_spec(&ps, sp)) {
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
