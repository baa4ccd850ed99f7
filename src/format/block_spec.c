/* block_spec.c - block formats: presets and spelling (block.h). */
#include "block.h"
#include "error.h"
#include "spell.h"

#include <stdio.h>
#include <string.h>

/* A preset is a spelling in the generic grammar, a note, and its source. */
static const fp8_preset presets[] = {
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

const fp8_preset *fp8_block_presets(size_t *n)
{
  *n = NPRESETS;
  return presets;
}
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

bool fp8_block_is_block_spelling(const char *s)
{
  if (!s)
    return false;
  size_t len = strcspn(s, ":");
  return fp8_spell_preset(presets, NPRESETS, s, len) || (len == 5 && !strncmp(s, "block", 5));
}

/* A format-valued key, checked: at most 16 bits (elements and scales are
 * storage formats); signed elements; float scales. */
static int set_format(fp8_format *f, const char *v, bool is_elem, char *err, size_t errlen)
{
  if (fp8_format_parse(v, f, err, errlen))
    return -1;
  if (f->bits > 16)
    return fp8_error_set(err, errlen, "%.60s has %d bits (expected a storage format of at most 16 bits)", v,
                         f->bits);
  if (is_elem && f->is_unsigned)
    return fp8_error_set(err, errlen, "%.60s is unsigned (expected a signed element format)", v);
  if (!is_elem && f->ebits == 0)
    return fp8_error_set(err, errlen, "%.60s is an integer (expected a float scale format such as "
                         "float8_e8m0fnu or ue4m3)", v);
  return 0;
}

static int set_elem(void *obj, const char *v, char *err, size_t errlen)
{
  return set_format(&((fp8_block_format *)obj)->elem, v, true, err, errlen);
}

static int set_scale(void *obj, const char *v, char *err, size_t errlen)
{
  return set_format(&((fp8_block_format *)obj)->scale, v, false, err, errlen);
}

/* Base classes: a preset names its element and scale formats (and MXINT8's
 * shift); only `block` takes them as keys. */
enum { BASE_PRESET = 1, BASE_BLOCK = 2 };
#define BLOCK_ONLY "block:... spellings only: a preset's name fixes it"
_Static_assert(sizeof(fp8_block_rule) == sizeof(int), "enum field stored as int");
static const char *const rule_words[] = {"floor", "ceil", "rceil", "nearest", NULL};
static const char *const tensor_words[] = {"on", "off", NULL};
static const long tensor_values[] = {1, 0};
#define F(m) FP8_SPELL_FIELD(fp8_block_format, m)
static const fp8_spell_key block_keys[] = {
  {"elem", FP8_SPELL_SUB, 0, 0, 0, 0, 0, 0, NULL, NULL, set_elem, 0, BASE_BLOCK, BLOCK_ONLY, NULL},
  {"scale", FP8_SPELL_SUB, 0, 0, 0, 0, 0, 0, NULL, NULL, set_scale, 0, BASE_BLOCK, BLOCK_ONLY, NULL},
  {"block", FP8_SPELL_INT, F(block), 1, FP8_BLOCK_MAX, 0, 0, NULL, NULL, NULL, 0, 0, NULL, "values per block"},
  {"rule", FP8_SPELL_ENUM, F(rule), 0, 0, 0, 0, rule_words, NULL, NULL, 0, 0, NULL, NULL},
  {"tensor", FP8_SPELL_ENUM, F(tensor), 0, 0, 0, 0, tensor_words, tensor_values, NULL, 0, 0, NULL, NULL},
  {"shift", FP8_SPELL_INT, F(shift), -64, 64, 0, 0, NULL, NULL, NULL, 0, BASE_BLOCK, BLOCK_ONLY,
   "(the elements' implicit power of two)"},
};
#undef F
static const fp8_spell_table block_table = {"block format", ":", false, block_keys,
                                            sizeof block_keys / sizeof block_keys[0], NULL, NULL, presets, NPRESETS};

int fp8_block_parse(const char *s, fp8_block_format *bf, char *err, size_t errlen)
{
  if (!s || !*s)
    return fp8_error_set(err, errlen, "empty block format (expected a preset such as mxfp8_e4m3 or "
                         "nvfp4, or block:elem=FORMAT:...)");
  fp8_spell sp;
  if (fp8_spell_split(&block_table, s, &sp, err, errlen))
    return -1;
  fp8_block_format b;
  memset(&b, 0, sizeof b);
  const fp8_preset *pr = sp.preset;
  if (pr) {
    if (fp8_block_parse(pr->spelling, &b, err, errlen))
      return -1;   /* a bad preset table: the tests parse every preset */
  } else if (!strcmp(sp.base, "block")) {
    b.block = 32;
    b.rule = FP8_BLOCK_FLOOR;
    if (fp8_format_parse("float8_e8m0fnu", &b.scale, err, errlen))
      return -1;
  } else {
    char names[256];
    fp8_spell_preset_names(presets, NPRESETS, names, sizeof names);
    return fp8_error_set(err, errlen, "unknown block format '%.60s' (expected one of %s, or "
                         "block:elem=FORMAT)", sp.base, names);
  }
  if (fp8_spell_apply(&block_table, &sp, &b, pr ? BASE_PRESET : BASE_BLOCK, sp.base, err, errlen))
    return -1;
  if (!pr && !fp8_spell_has(&block_table, &sp, "elem"))
    return fp8_spell_error(err, errlen, "block format", s, "no elem= (expected block:elem=FORMAT, e.g. "
                           "block:elem=e2m1:none)");
  snprintf(b.name, sizeof b.name, "%s", s);
  *bf = b;
  return 0;
}

void fp8_block_name(const fp8_block_format *bf, char *buf, size_t len)
{
  char e[64], sc[64], pe[64], psc[64];
  fp8_format_name(&bf->elem, e, sizeof e);
  fp8_format_name(&bf->scale, sc, sizeof sc);
  /* The first preset with the same element, shift and scale formats: its
   * name, then the keys whose values differ from it. */
  for (size_t i = 0; i < NPRESETS; i++) {
    fp8_block_format p;
    if (fp8_block_parse(presets[i].name, &p, NULL, 0))
      continue;
    fp8_format_name(&p.elem, pe, sizeof pe);
    fp8_format_name(&p.scale, psc, sizeof psc);
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
  fp8_format_name(&bf->elem, e, sizeof e);
  fp8_format_name(&bf->scale, sc, sizeof sc);
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
