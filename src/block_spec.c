/* block_spec.c - block formats: presets and spelling (block.h). */
#include "block.h"
#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A preset is a spelling in the generic grammar, a note, and its source. */
static const struct {
  const char *name, *spec, *note, *source;
} presets[] = {
  {"mxfp8_e4m3", "block:elem=float8_e4m3fn:scale=float8_e8m0fnu:block=32:rule=floor",
   "OCP MXFP8 (E4M3 elements, E8M0 scale per 32)", "OCP Microscaling Formats (MX) v1.0, table 1 and section 6.3"},
  {"mxfp8_e5m2", "block:elem=float8_e5m2:scale=float8_e8m0fnu:block=32:rule=floor",
   "OCP MXFP8 (E5M2 elements, E8M0 scale per 32)", "OCP Microscaling Formats (MX) v1.0, table 1 and section 6.3"},
  {"mxfp6_e3m2", "block:elem=float6_e3m2fn:scale=float8_e8m0fnu:block=32:rule=floor",
   "OCP MXFP6 (E3M2 elements, E8M0 scale per 32)", "OCP Microscaling Formats (MX) v1.0, table 1 and section 6.3"},
  {"mxfp6_e2m3", "block:elem=float6_e2m3fn:scale=float8_e8m0fnu:block=32:rule=floor",
   "OCP MXFP6 (E2M3 elements, E8M0 scale per 32)", "OCP Microscaling Formats (MX) v1.0, table 1 and section 6.3"},
  {"mxfp4_e2m1", "block:elem=float4_e2m1fn:scale=float8_e8m0fnu:block=32:rule=floor",
   "OCP MXFP4 (E2M1 elements, E8M0 scale per 32)", "OCP Microscaling Formats (MX) v1.0, table 1 and section 6.3"},
  {"mxint8", "block:elem=int8:shift=-6:scale=float8_e8m0fnu:block=32:rule=floor",
   "OCP MXINT8 (two's complement int8 with an implicit 2^-6, E8M0 scale per 32)",
   "OCP Microscaling Formats (MX) v1.0, table 1 and section 5.4"},
  {"nvfp4", "block:elem=float4_e2m1fn:scale=ue4m3:block=16:rule=nearest:tensor=on",
   "NVIDIA NVFP4 (E2M1 elements, UE4M3 scale per 16, fp32 scale per tensor)",
   "NVIDIA Blackwell NVFP4 (PTX ISA block-scaled mma kind::mxf4nvf4; cuBLAS 1D block scaling)"},
};
#define NPRESETS (sizeof presets / sizeof presets[0])

size_t fp8_block_preset_count(void) { return NPRESETS; }
const char *fp8_block_preset_name(size_t i) { return i < NPRESETS ? presets[i].name : NULL; }
const char *fp8_block_preset_note(size_t i) { return i < NPRESETS ? presets[i].note : NULL; }
const char *fp8_block_preset_source(size_t i) { return i < NPRESETS ? presets[i].source : NULL; }

static const char *const rule_names[FP8_BLOCK_NRULES] = {"floor", "ceil", "rceil", "nearest"};

const char *fp8_block_rule_name(fp8_block_rule r)
{
  return (unsigned)r < FP8_BLOCK_NRULES ? rule_names[r] : "?";
}

int fp8_block_rule_lookup(const char *s, fp8_block_rule *r)
{
  for (int i = 0; i < FP8_BLOCK_NRULES; i++)
    if (!strcmp(s, rule_names[i])) {
      *r = (fp8_block_rule)i;
      return 0;
    }
  return -1;
}

static int preset_index(const char *base, size_t len)
{
  for (size_t i = 0; i < NPRESETS; i++)
    if (strlen(presets[i].name) == len && !strncmp(base, presets[i].name, len))
      return (int)i;
  return -1;
}

bool fp8_block_is_block_spelling(const char *s)
{
  if (!s)
    return false;
  size_t len = strcspn(s, ":");
  return preset_index(s, len) >= 0 || (len == 5 && !strncmp(s, "block", 5));
}

enum { K_ELEM, K_SCALE, K_BLOCK, K_RULE, K_TENSOR, K_SHIFT, NKEYS };
static const char *const keys[NKEYS] = {"elem", "scale", "block", "rule", "tensor", "shift"};

static int key_of(const char *t)
{
  const char *eq = strchr(t, '=');
  if (!eq)
    return -1;
  for (int k = 0; k < NKEYS; k++)
    if (strlen(keys[k]) == (size_t)(eq - t) && !strncmp(t, keys[k], (size_t)(eq - t)))
      return k;
  return -1;
}

static int parse_long(const char *v, long lo, long hi, long *out)
{
  char *end;
  long x = strtol(v, &end, 10);
  if (end == v || *end || x < lo || x > hi)
    return -1;
  *out = x;
  return 0;
}

/* A format-valued key, checked: at most 16 bits (elements and scales are
 * storage formats); signed elements; float scales. */
static int set_format(fp8_format *f, const char *what, const char *v, const char *s, bool is_elem,
                      char *err, size_t errlen)
{
  char e2[200] = "";
  if (fp8_format_parse(v, f, e2, sizeof e2))
    return fp8_error_set(err, errlen, "block format '%.80s': %s=%.60s: %s", s, what, v, e2);
  if (f->bits > 16)
    return fp8_error_set(err, errlen, "block format '%.80s': %s=%.60s has %d bits (expected a storage "
                         "format of at most 16 bits)", s, what, v, f->bits);
  if (is_elem && f->is_unsigned)
    return fp8_error_set(err, errlen, "block format '%.80s': elem=%.60s is unsigned (expected a signed "
                         "element format)", s, v);
  if (!is_elem && f->ebits == 0)
    return fp8_error_set(err, errlen, "block format '%.80s': scale=%.60s is an integer (expected a float "
                         "scale format such as float8_e8m0fnu or ue4m3)", s, v);
  return 0;
}

static int set_key(fp8_block_format *bf, int k, const char *v, const char *s, char *err, size_t errlen)
{
  long x;
  switch (k) {
  case K_ELEM:
    return set_format(&bf->elem, "elem", v, s, true, err, errlen);
  case K_SCALE:
    return set_format(&bf->scale, "scale", v, s, false, err, errlen);
  case K_BLOCK:
    if (parse_long(v, 1, FP8_BLOCK_MAX, &x))
      return fp8_error_set(err, errlen, "block format '%.80s': block=%.40s (expected 1..%d values per "
                           "block)", s, v, FP8_BLOCK_MAX);
    bf->block = (int)x;
    return 0;
  case K_RULE:
    if (fp8_block_rule_lookup(v, &bf->rule))
      return fp8_error_set(err, errlen, "block format '%.80s': rule=%.40s (expected floor, ceil, rceil or "
                           "nearest)", s, v);
    return 0;
  case K_TENSOR:
    if (!strcmp(v, "on")) bf->tensor = true;
    else if (!strcmp(v, "off")) bf->tensor = false;
    else return fp8_error_set(err, errlen, "block format '%.80s': tensor=%.40s (expected on or off)", s, v);
    return 0;
  default:
    if (parse_long(v, -64, 64, &x))
      return fp8_error_set(err, errlen, "block format '%.80s': shift=%.40s (expected a whole exponent "
                           "-64..64)", s, v);
    bf->shift = (int)x;
    return 0;
  }
}

/* Apply the key tokens of spelling s (after its base) to bf.  A token that is
 * not a known key=value continues the previous format-valued key's value
 * ("elem=e2m1:none"). */
static int apply_keys(fp8_block_format *bf, const char *rest, const char *s, bool *seen,
                      char *err, size_t errlen)
{
  char cur[256] = "";
  int ck = -1;
  while (*rest) {
    size_t len = strcspn(rest, ":");
    char tok[256];
    if (len >= sizeof tok)
      return fp8_error_set(err, errlen, "block format '%.80s': a part longer than %zu characters", s,
                           sizeof tok - 1);
    memcpy(tok, rest, len);
    tok[len] = 0;
    rest += rest[len] ? len + 1 : len;
    int k = key_of(tok);
    if (k < 0) {
      if (ck != K_ELEM && ck != K_SCALE)
        return fp8_error_set(err, errlen, "block format '%.80s': '%.60s' (expected KEY=VALUE with KEY one "
                             "of elem, scale, block, rule, tensor, shift)", s, tok);
      if (strlen(cur) + 1 + len >= sizeof cur)
        return fp8_error_set(err, errlen, "block format '%.80s': a value longer than %zu characters", s,
                             sizeof cur - 1);
      strcat(cur, ":");
      strcat(cur, tok);
      continue;
    }
    if (ck >= 0 && set_key(bf, ck, cur, s, err, errlen))
      return -1;
    if (seen[k])
      return fp8_error_set(err, errlen, "block format '%.80s': %s= given twice (expected each key at "
                           "most once)", s, keys[k]);
    ck = k;
    seen[k] = true;
    snprintf(cur, sizeof cur, "%s", strchr(tok, '=') + 1);
  }
  return ck >= 0 ? set_key(bf, ck, cur, s, err, errlen) : 0;
}

int fp8_block_parse(const char *s, fp8_block_format *bf, char *err, size_t errlen)
{
  if (!s || !*s)
    return fp8_error_set(err, errlen, "empty block format (expected a preset such as mxfp8_e4m3 or "
                         "nvfp4, or block:elem=FORMAT:...)");
  if (strlen(s) >= 512)
    return fp8_error_set(err, errlen, "block format '%.40s...' is %zu characters long (expected at most "
                         "511)", s, strlen(s));
  size_t slen = strlen(s);
  if (s[slen - 1] == ':' || strstr(s, "::"))
    return fp8_error_set(err, errlen, "block format '%.80s': an empty part between ':' (expected "
                         "BASE[:KEY=VALUE]...)", s);
  fp8_block_format b;
  memset(&b, 0, sizeof b);
  bool seen[NKEYS] = {false};
  size_t blen = strcspn(s, ":");
  int p = preset_index(s, blen);
  if (p >= 0) {
    const char *ps = presets[p].spec;
    if (apply_keys(&b, ps + strcspn(ps, ":") + 1, ps, seen, err, errlen))
      return -1;   /* a bad preset table: the tests parse every preset */
    memset(seen, 0, sizeof seen);
  } else if (blen == 5 && !strncmp(s, "block", 5)) {
    b.block = 32;
    b.rule = FP8_BLOCK_FLOOR;
    if (fp8_format_parse("float8_e8m0fnu", &b.scale, err, errlen))
      return -1;
  } else {
    char names[256] = "";
    for (size_t i = 0; i < NPRESETS; i++) {
      strcat(names, presets[i].name);
      strcat(names, ", ");
    }
    return fp8_error_set(err, errlen, "unknown block format '%.*s' (expected one of %sor "
                         "block:elem=FORMAT)", (int)(blen > 60 ? 60 : blen), s, names);
  }
  if (s[blen] && apply_keys(&b, s + blen + 1, s, seen, err, errlen))
    return -1;
  if (p < 0 && !seen[K_ELEM])
    return fp8_error_set(err, errlen, "block format '%.80s': no elem= (expected block:elem=FORMAT, e.g. "
                         "block:elem=e2m1:none)", s);
  snprintf(b.name, sizeof b.name, "%s", s);
  *bf = b;
  return 0;
}

void fp8_block_name(const fp8_block_format *bf, char *buf, size_t len)
{
  char e[64], sc[64], pe[64], psc[64];
  fp8_format_canonical(&bf->elem, e, sizeof e);
  fp8_format_canonical(&bf->scale, sc, sizeof sc);
  /* The first preset with the same element, shift and scale formats: its
   * name, then the keys whose values differ from it. */
  for (size_t i = 0; i < NPRESETS; i++) {
    fp8_block_format p;
    if (fp8_block_parse(presets[i].name, &p, NULL, 0))
      continue;
    fp8_format_canonical(&p.elem, pe, sizeof pe);
    fp8_format_canonical(&p.scale, psc, sizeof psc);
    if (p.shift != bf->shift || strcmp(pe, e) || strcmp(psc, sc))
      continue;
    int n = snprintf(buf, len, "%s", presets[i].name);
    if (n >= 0 && (size_t)n < len && p.block != bf->block)
      n += snprintf(buf + n, len - (size_t)n, ":block=%d", bf->block);
    if (n >= 0 && (size_t)n < len && p.rule != bf->rule)
      n += snprintf(buf + n, len - (size_t)n, ":rule=%s", fp8_block_rule_name(bf->rule));
    if (n >= 0 && (size_t)n < len && p.tensor != bf->tensor)
      snprintf(buf + n, len - (size_t)n, ":tensor=%s", bf->tensor ? "on" : "off");
    return;
  }
  int n = snprintf(buf, len, "block:elem=%s:scale=%s:block=%d:rule=%s", e, sc, bf->block,
                   fp8_block_rule_name(bf->rule));
  if (n >= 0 && (size_t)n < len && bf->tensor)
    n += snprintf(buf + n, len - (size_t)n, ":tensor=on");
  if (n >= 0 && (size_t)n < len && bf->shift)
    snprintf(buf + n, len - (size_t)n, ":shift=%d", bf->shift);
}

size_t fp8_block_describe(const fp8_block_format *bf, char *buf, size_t len)
{
  char canon[FP8_BLOCK_NAME_LEN], e[64], sc[64];
  fp8_block_name(bf, canon, sizeof canon);
  fp8_format_canonical(&bf->elem, e, sizeof e);
  fp8_format_canonical(&bf->scale, sc, sizeof sc);
  int n = snprintf(buf, len,
                   "name=%s\ncanonical=%s\nelem=%s\nscale=%s\nshift=%d\nblock=%d\nrule=%s\ntensor=%d\n"
                   "elem_bits=%d\nscale_bits=%d\nelem_max=%.17g\nemax=%d\nbits_per_value=%.17g\n"
                   "elem_max_code=%u\nscale_max_code=%u\n",
                   bf->name, canon, e, sc, bf->shift, bf->block, fp8_block_rule_name(bf->rule), bf->tensor,
                   bf->elem.bits, bf->scale.bits, fp8_block_elem_max(bf), fp8_block_elem_emax(bf),
                   fp8_block_bits_per_value(bf), (unsigned)fp8_format_ncodes_minus1(&bf->elem),
                   (unsigned)fp8_format_ncodes_minus1(&bf->scale));
  return n < 0 ? 0 : (size_t)n;
}
