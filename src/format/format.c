/* format.c - descriptor construction, parsing, presets and derived limits. */
#include "format.h"
#include "error.h"
#include "spell.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The presets: name, the generic spelling it stands for, note, source. */
#define PAPER "Kuzmin et al., FP8 Quantization: The Power of the Exponent (arXiv 2208.09225)"
#define OCP8 "OCP 8-bit Floating Point Specification (OFP8) rev 1.0; ml_dtypes"
#define OCPMX "OCP Microscaling Formats (MX) v1.0, section 5; ml_dtypes"
#define MLD "ml_dtypes (jax-ml/ml_dtypes)"
#define P3109 "IEEE SA P3109 interim report (binaryKpP formats)"
#define IEEE754 "IEEE 754-2019"
static const fp8_preset presets[] = {
  {"int8",      "int8",      "two's complement -128..127", PAPER},
  {"int8-sm",   "int8-sm",   "sign-magnitude -127..127 (the paper's FP8-E1 grid)", PAPER},
  {"fp8-e1",    "int8-sm",   "the paper's FP8-E1: alias of int8-sm", PAPER},
  {"fp8-e2",    "e2m5:fnuz", "the paper's FP8-E2 (Appendix A: fnuz, bias 2^(E-1))", PAPER},
  {"fp8-e3",    "e3m4:fnuz", "the paper's FP8-E3", PAPER},
  {"fp8-e4",    "e4m3:fnuz", "the paper's FP8-E4", PAPER},
  {"fp8-e5",    "e5m2:fnuz", "the paper's FP8-E5", PAPER},
  {"float8_e4m3fn",      "e4m3:fn",          "OCP E4M3, ml_dtypes/PyTorch (max 448)", OCP8},
  {"float8_e5m2",        "e5m2:ieee",        "OCP E5M2, ml_dtypes/PyTorch (max 57344)", OCP8},
  {"float8_e4m3fnuz",    "e4m3:fnuz",        "ml_dtypes/PyTorch (bias 8, max 240)", MLD},
  {"float8_e5m2fnuz",    "e5m2:fnuz",        "ml_dtypes/PyTorch (bias 16)", MLD},
  {"float8_e4m3b11fnuz", "e4m3:fnuz:bias=11", "ml_dtypes (bias 11)", MLD},
  {"float8_e3m4",        "e3m4:ieee",        "ml_dtypes, IEEE-like", MLD},
  {"float8_e4m3",        "e4m3:ieee",        "ml_dtypes, IEEE-like (max 240)", MLD},
  {"float6_e2m3fn",      "e2m3:none",        "OCP MX FP6, ml_dtypes (no Inf/NaN)", OCPMX},
  {"float6_e3m2fn",      "e3m2:none",        "OCP MX FP6, ml_dtypes (no Inf/NaN)", OCPMX},
  {"float4_e2m1fn",      "e2m1:none",        "OCP MX FP4, ml_dtypes (no Inf/NaN)", OCPMX},
  {"float8_e8m0fnu",     "ue8m0:fn:nozero",  "OCP MX scale E8M0, ml_dtypes/PyTorch: unsigned 2^-127..2^127, no zero, NaN 0xff", OCPMX},
  {"ue8m0",              "ue8m0:fn:nozero",  "alias of float8_e8m0fnu (NVIDIA's spelling)", OCPMX},
  {"ue4m3",              "ue4m3:fn",         "NVFP4 scale: E4M3 with the sign bit held at 0 (7 bits in a byte)", "NVIDIA PTX ISA, block-scaled mma kind::mxf4nvf4 (NVFP4 scale)"},
  {"binary8p3se",        "binary8p3se",      "IEEE P3109 signed extended, P = 3 (one NaN 0x80, Inf 0x7f/0xff)", P3109},
  {"binary8p4se",        "binary8p4se",      "IEEE P3109 signed extended, P = 4", P3109},
  {"binary8p3sf",        "binary8p3sf",      "IEEE P3109 signed finite, P = 3", P3109},
  {"binary8p4sf",        "binary8p4sf",      "IEEE P3109 signed finite, P = 4", P3109},
  {"fp16",      "e5m10:ieee", "IEEE binary16", IEEE754},
  {"bf16",      "e8m7:ieee",  "bfloat16", "Google Brain bfloat16 (TPU, ml_dtypes)"},
  {"fp32",      "e8m23:ieee", "IEEE binary32", IEEE754},
};
#define NPRESETS (sizeof presets / sizeof presets[0])

const fp8_preset *fp8_format_presets(size_t *n)
{
  *n = NPRESETS;
  return presets;
}
size_t fp8_format_preset_count(void) { return NPRESETS; }
const char *fp8_format_preset_name(size_t i) { return i < NPRESETS ? presets[i].name : NULL; }
const char *fp8_format_preset_note(size_t i) { return i < NPRESETS ? presets[i].note : NULL; }

const char *fp8_special_name(fp8_special s)
{
  switch (s) {
  case FP8_SPECIAL_IEEE: return "ieee";
  case FP8_SPECIAL_FN:   return "fn";
  case FP8_SPECIAL_FNUZ: return "fnuz";
  case FP8_SPECIAL_NONE: return "none";
  case FP8_SPECIAL_P3109F: return "p3109f";
  case FP8_SPECIAL_P3109E: return "p3109e";
  }
  return "?";
}

int fp8_format_default_bias(fp8_special special, int ebits)
{
  bool half = special == FP8_SPECIAL_FNUZ || special == FP8_SPECIAL_P3109F ||
              special == FP8_SPECIAL_P3109E;
  return half ? 1 << (ebits - 1) : (1 << (ebits - 1)) - 1;
}

int fp8_format_make_float2(fp8_format *f, int ebits, int mbits, int bias,
                           fp8_special special, bool subnormals, bool is_unsigned,
                           bool nozero, char *err, size_t errlen)
{
  const char *u = is_unsigned ? "u" : "";
  if (ebits < 1 || ebits > FP8_FORMAT_MAX_EBITS) {
    fp8_error_set(err, errlen, "exponent bits %d out of range (expected 1..%d)", ebits, FP8_FORMAT_MAX_EBITS);
    return -1;
  }
  if (mbits < 0 || mbits > 23) {
    fp8_error_set(err, errlen, "mantissa bits %d out of range (expected 0..23)", mbits);
    return -1;
  }
  int bits = (is_unsigned ? 0 : 1) + ebits + mbits;
  if (bits < 2 || bits > FP8_FORMAT_MAX_BITS) {
    fp8_error_set(err, errlen, "total width %d bits out of range (expected 2..%d)", bits, FP8_FORMAT_MAX_BITS);
    return -1;
  }
  if (special == FP8_SPECIAL_IEEE && ebits < 2) {
    fp8_error_set(err, errlen, "%se%dm%d:ieee reserves its only exponent value for Inf/NaN (expected E >= 2)", u, ebits, mbits);
    return -1;
  }
  if (special == FP8_SPECIAL_IEEE && mbits < 1) {
    fp8_error_set(err, errlen, "%se%dm0:ieee has no NaN code (all-ones exponent with m != 0) (expected M >= 1)", u, ebits);
    return -1;
  }
  if (special == FP8_SPECIAL_FNUZ && is_unsigned) {
    fp8_error_set(err, errlen, "fnuz's NaN is the code of -0, which an unsigned format does not have "
                  "(expected fn, none, ieee, or p3109f/p3109e)");
    return -1;
  }
  if (nozero && (special == FP8_SPECIAL_FNUZ || special == FP8_SPECIAL_P3109F || special == FP8_SPECIAL_P3109E)) {
    fp8_error_set(err, errlen, "nozero contradicts %s, which has a zero at code 0 (expected ieee, fn or none)",
                  fp8_special_name(special));
    return -1;
  }
  if (bias < 0)
    bias = fp8_format_default_bias(special, ebits);
  if (bias > FP8_FORMAT_MAX_BIAS) {
    fp8_error_set(err, errlen, "bias %d out of range (expected 0..%d)", bias, FP8_FORMAT_MAX_BIAS);
    return -1;
  }
  memset(f, 0, sizeof *f);
  f->bits = bits;
  f->ebits = ebits;
  f->mbits = mbits;
  f->bias = bias;
  f->special = special;
  f->intenc = FP8_INT_TWOS;
  f->subnormals = subnormals && !nozero;
  f->is_unsigned = is_unsigned;
  f->nozero = nozero;
  if (fp8_format_max_code(f) == 0 || (!nozero && fp8_format_max_code(f) < fp8_format_min_code(f))) {
    fp8_error_set(err, errlen, "%se%dm%d:%s has no finite nonzero value left (expected more bits)",
                  u, ebits, mbits, fp8_special_name(special));
    return -1;
  }
  fp8_format_canonical(f, f->name, sizeof f->name);
  return 0;
}

int fp8_format_make_float(fp8_format *f, int ebits, int mbits, int bias,
                          fp8_special special, bool subnormals,
                          char *err, size_t errlen)
{
  return fp8_format_make_float2(f, ebits, mbits, bias, special, subnormals, false, false, err, errlen);
}

static int make_int(fp8_format *f, int bits, fp8_intenc enc, char *err, size_t errlen)
{
  if (bits < 2 || bits > 16) {
    fp8_error_set(err, errlen, "integer width %d out of range (expected 2..16)", bits);
    return -1;
  }
  memset(f, 0, sizeof *f);
  f->bits = bits;
  f->ebits = 0;
  f->mbits = bits - 1;
  f->bias = 0;
  f->special = FP8_SPECIAL_NONE;
  f->intenc = enc;
  f->subnormals = true;
  fp8_format_canonical(f, f->name, sizeof f->name);
  return 0;
}

/* A run of digits as a number (K, P of binaryKpP; N of intN), or -1. */
static long digits(const char *s, size_t len)
{
  char buf[8];
  long v;
  if (len == 0 || len >= sizeof buf)
    return -1;
  memcpy(buf, s, len);
  buf[len] = 0;
  return fp8_spell_long(buf, 0, 1000, &v) ? -1 : v;
}

/* binaryKpP{s|u}{e|f} (IEEE P3109): signed E = K-P, unsigned E = K-P+1;
 * M = P-1; bias 2^(E-1) (= 2^(K-P-1) signed, 2^(K-P) unsigned); subnormals
 * when P > 1.  0 / -1 (+err). */
static int parse_p3109(const char *spec, const char *shown, fp8_format *f, char *err, size_t errlen)
{
  const char *p = spec + 6;
  size_t nk = strspn(p, "0123456789");
  const char *q = p + nk;
  size_t np = q[0] == 'p' ? strspn(q + 1, "0123456789") : 0;
  const char *r = q + 1 + np;
  long k = digits(p, nk), prec = np ? digits(q + 1, np) : -1;
  if (k < 0 || prec < 0 || (r[0] != 's' && r[0] != 'u') || (r[1] != 'e' && r[1] != 'f') || r[2]) {
    fp8_error_set(err, errlen, "bad P3109 format '%s' (expected binaryKpP followed by s or u (signed, "
                  "unsigned) and e or f (extended, finite), e.g. binary8p4se)", shown);
    return -1;
  }
  bool is_unsigned = r[0] == 'u';
  long pmax = is_unsigned ? k : k - 1;
  if (k < 2 || k > 16 || prec < 1 || prec > pmax) {
    fp8_error_set(err, errlen, "P3109 format '%s': K = %ld, P = %ld out of range (expected K = 2..16 and "
                  "P = 1..%s)", shown, k, prec, is_unsigned ? "K for unsigned formats" : "K-1 for signed formats");
    return -1;
  }
  int ebits = (int)(k - prec) + (is_unsigned ? 1 : 0);
  char e2[200];
  if (fp8_format_make_float2(f, ebits, (int)prec - 1, -1, r[1] == 'e' ? FP8_SPECIAL_P3109E : FP8_SPECIAL_P3109F,
                             true, is_unsigned, false, e2, sizeof e2)) {
    fp8_error_set(err, errlen, "P3109 format '%s': %s", shown, e2);
    return -1;
  }
  return 0;
}

/* ---- the spelling: [u]eXmY[:CONVENTION][:bias=B][:sub|:nosub|:nozero] ------ */

typedef struct float_keys {
  int special;    /* FP8_SPECIAL_* */
  int sub;        /* -1 unset, 0 nosub, 1 sub */
  bool nozero;
  int bias;       /* -1: the convention's default */
} float_keys;

/* Base classes: only an eXmY spelling takes options; a preset, intN or a
 * P3109 name fixes every field. */
enum { BASE_FLOAT = 1, BASE_FIXED = 2 };
#define CONVENTION(name, value) \
  {name, FP8_SPELL_FLAG, FP8_SPELL_FIELD(float_keys, special), value, 0, 0, 0, NULL, NULL, NULL, 1, \
   BASE_FLOAT, FLOAT_ONLY, NULL}
#define FLOAT_ONLY "eXmY spellings only: presets, intN and binaryKpP names fix every field"
static const fp8_spell_key float_keys_table[] = {
  CONVENTION("ieee", FP8_SPECIAL_IEEE), CONVENTION("fn", FP8_SPECIAL_FN), CONVENTION("fnuz", FP8_SPECIAL_FNUZ),
  CONVENTION("none", FP8_SPECIAL_NONE), CONVENTION("p3109f", FP8_SPECIAL_P3109F),
  CONVENTION("p3109e", FP8_SPECIAL_P3109E),
  {"sub", FP8_SPELL_FLAG, FP8_SPELL_FIELD(float_keys, sub), 1, 0, 0, 0, NULL, NULL, NULL, 2, BASE_FLOAT,
   FLOAT_ONLY, NULL},
  {"nosub", FP8_SPELL_FLAG, FP8_SPELL_FIELD(float_keys, sub), 0, 0, 0, 0, NULL, NULL, NULL, 2, BASE_FLOAT,
   FLOAT_ONLY, NULL},
  {"nozero", FP8_SPELL_FLAG, FP8_SPELL_FIELD(float_keys, nozero), 1, 0, 0, 0, NULL, NULL, NULL, 0, BASE_FLOAT,
   FLOAT_ONLY, NULL},
  {"bias", FP8_SPELL_INT, FP8_SPELL_FIELD(float_keys, bias), 0, FP8_FORMAT_MAX_BIAS, 0, 0, NULL, NULL, NULL, 0, BASE_FLOAT,
   FLOAT_ONLY, "(the exponent bias)"},
};
static const char *const slot_names[] = {"keys", "conventions", "options"};
static const fp8_spell_table format_table = {
  "format", ":", false, float_keys_table, sizeof float_keys_table / sizeof float_keys_table[0], NULL, slot_names,
  presets, NPRESETS};

/* An eXmY base with its keys; messages quote shown (what the user typed). */
static int parse_float(const char *base, const fp8_spell *sp, const char *shown, fp8_format *f,
                       char *err, size_t errlen)
{
  const char *p = base;
  bool is_unsigned = p[0] == 'u';
  p += is_unsigned;
  size_t ne = strspn(p + 1, "0123456789");
  long ebits = digits(p + 1, ne);
  if (ebits < 0 || p[1 + ne] != 'm') {
    fp8_error_set(err, errlen, "bad format '%s' (expected [u]eXmY, e.g. e4m3, optionally followed by "
            ":ieee|:fn|:fnuz|:none|:p3109f|:p3109e, :bias=B, :nosub|:nozero)", shown);
    return -1;
  }
  const char *mq = p + 2 + ne;
  size_t nm = strspn(mq, "0123456789");
  long mbits = digits(mq, nm);
  if (mbits < 0 || mq[nm]) {
    fp8_error_set(err, errlen, "bad format '%s': %s after 'm' (expected eXmY, e.g. e4m3)", shown,
                  mbits < 0 ? "missing mantissa width" : "unexpected characters");
    return -1;
  }
  float_keys k = {FP8_SPECIAL_IEEE, -1, false, -1};
  if (fp8_spell_apply(&format_table, sp, &k, BASE_FLOAT, base, err, errlen))
    return -1;
  if (k.nozero && k.sub == 1) {
    fp8_error_set(err, errlen, "bad format '%s': conflicting options 'sub' and 'nozero' (nozero has no subnormals)", shown);
    return -1;
  }
  char e2[200];
  if (fp8_format_make_float2(f, (int)ebits, (int)mbits, k.bias, (fp8_special)k.special, k.sub != 0, is_unsigned,
                             k.nozero, e2, sizeof e2)) {
    fp8_error_set(err, errlen, "bad format '%s': %s", shown, e2);
    return -1;
  }
  return 0;
}

/* A spelling without the torch./ml_dtypes. prefix; shown is the whole. */
static int parse_spelling(const char *s, const char *shown, bool presets_ok, fp8_format *f, char *err,
                          size_t errlen)
{
  fp8_spell sp;
  if (fp8_spell_split(&format_table, s, &sp, err, errlen))
    return -1;
  sp.text = shown;                 /* messages name what was typed (torch.e4m3:...) */
  const char *base = sp.base;
  /* Two presets are also eXmY spellings (ue8m0, ue4m3): with keys they are
   * the spelling (ue8m0:fn:nozero), and so is the preset's own spelling. */
  const fp8_preset *pr = presets_ok ? sp.preset : NULL;
  if (pr && sp.n && (base[0] == 'e' || base[0] == 'u'))
    pr = NULL;
  bool fixed = pr || !strncmp(base, "binary", 6) || !strncmp(base, "int", 3);
  if (fixed && fp8_spell_apply(&format_table, &sp, f, BASE_FIXED, base, err, errlen))
    return -1;                     /* (a fixed base takes no keys: this only refuses) */
  if (pr) {
    if (parse_spelling(pr->spelling, shown, false, f, err, errlen))
      return -1;
    snprintf(f->name, sizeof f->name, "%s", pr->name);
    return 0;
  }
  if (!strncmp(base, "binary", 6)) {
    if (parse_p3109(base, shown, f, err, errlen))
      return -1;
    snprintf(f->name, sizeof f->name, "%s", base);
    return 0;
  }
  if (!strncmp(base, "int", 3)) {
    const char *q = base + 3;
    size_t nd = strspn(q, "0123456789");
    long bits = digits(q, nd);
    if (bits >= 0 && (!q[nd] || !strcmp(q + nd, "-sm")))
      return make_int(f, (int)bits, q[nd] ? FP8_INT_SIGNMAG : FP8_INT_TWOS, err, errlen);
    fp8_error_set(err, errlen, "unknown format '%s' (expected intN or intN-sm, N = 2..16)", shown);
    return -1;
  }
  if (base[0] != 'e' && (base[0] != 'u' || base[1] != 'e')) {
    fp8_error_set(err, errlen, "unknown format '%s' (expected a preset such as int8, fp8-e4, "
            "float8_e4m3fn, fp16, a P3109 name such as binary8p4se, or a spelling such as e4m3:fn; "
            "'fp8lab formats' lists presets)", shown);
    return -1;
  }
  return parse_float(base, &sp, shown, f, err, errlen);
}

int fp8_format_parse(const char *spec, fp8_format *f, char *err, size_t errlen)
{
  if (!spec || !*spec) {
    fp8_error_set(err, errlen, "empty format name (expected a preset or eXmY spelling)");
    return -1;
  }
  /* PyTorch spells them torch.float8_e4m3fn; ml_dtypes as ml_dtypes.float8_... */
  const char *s = spec;
  if (!strncmp(s, "torch.", 6))
    s += 6;
  else if (!strncmp(s, "ml_dtypes.", 10))
    s += 10;
  if (!*s) {
    fp8_error_set(err, errlen, "unknown format '%s': no type name after '%.*s' (expected e.g. %sfloat8_e4m3fn)",
                  spec, (int)(s - spec), spec, spec);
    return -1;
  }
  size_t len = strlen(spec);
  if (fp8_spell_check(spec, len, "format", err, errlen))
    return -1;
  char shown[64];                  /* messages quote at most 60 characters */
  snprintf(shown, sizeof shown, len > 60 ? "%.57s..." : "%s", spec);
  return parse_spelling(s, shown, true, f, err, errlen);
}

void fp8_format_canonical(const fp8_format *f, char *buf, size_t len)
{
  fp8_format_name(f, buf, len);
}

void fp8_format_name(const fp8_format *f, char *buf, size_t len)
{
  if (f->ebits == 0) {
    snprintf(buf, len, "int%d%s", f->bits, f->intenc == FP8_INT_SIGNMAG ? "-sm" : "");
    return;
  }
  char b[24] = "";
  if (f->bias != fp8_format_default_bias(f->special, f->ebits))
    snprintf(b, sizeof b, ":bias=%d", f->bias);
  snprintf(buf, len, "%se%dm%d:%s%s%s", f->is_unsigned ? "u" : "", f->ebits, f->mbits,
           fp8_special_name(f->special), b,
           f->nozero ? ":nozero" : f->subnormals ? "" : ":nosub");
}

bool fp8_format_has_inf(const fp8_format *f)
{ return f->ebits > 0 && (f->special == FP8_SPECIAL_IEEE || f->special == FP8_SPECIAL_P3109E); }

bool fp8_format_has_nan(const fp8_format *f)
{ return f->ebits > 0 && f->special != FP8_SPECIAL_NONE; }

bool fp8_format_has_negzero(const fp8_format *f)
{
  if (f->ebits == 0)
    return f->intenc == FP8_INT_SIGNMAG;
  if (f->is_unsigned || f->nozero)
    return false;
  return f->special == FP8_SPECIAL_IEEE || f->special == FP8_SPECIAL_FN || f->special == FP8_SPECIAL_NONE;
}

bool fp8_format_has_zero(const fp8_format *f)
{ return !f->nozero; }

int fp8_format_emin(const fp8_format *f)
{ return f->ebits ? (f->nozero ? 0 : 1) - f->bias : 0; }

uint32_t fp8_format_max_code(const fp8_format *f)
{
  uint32_t mag = fp8_format_mag_mask(f);
  if (f->ebits == 0)
    return mag;
  switch (f->special) {
  case FP8_SPECIAL_IEEE:
    return (((1u << f->ebits) - 2) << f->mbits) | ((1u << f->mbits) - 1);
  case FP8_SPECIAL_FN:
    return mag - 1;       /* S.1...1 is NaN; the code below it is the max */
  case FP8_SPECIAL_P3109F:
    return f->is_unsigned ? mag - 1 : mag;
  case FP8_SPECIAL_P3109E:
    return f->is_unsigned ? mag - 2 : mag - 1;
  default:
    return mag;
  }
}

uint32_t fp8_format_min_code(const fp8_format *f)
{
  if (f->ebits == 0)
    return 1;
  if (f->nozero)
    return 0;
  return f->subnormals && f->mbits ? 1 : 1u << f->mbits;
}

int fp8_format_emax(const fp8_format *f)
{
  if (f->ebits == 0)
    return f->bits - 2;
  uint32_t e = fp8_format_max_code(f) >> f->mbits;
  return (int)e - f->bias;
}

double fp8_format_max(const fp8_format *f)
{
  uint32_t c = fp8_format_max_code(f);
  if (f->ebits == 0)
    return (double)c;
  uint32_t e = c >> f->mbits, m = c & ((1u << f->mbits) - 1);
  return ldexp((double)((1u << f->mbits) | m), (int)e - f->bias - f->mbits);
}

double fp8_format_min_normal(const fp8_format *f)
{ return f->ebits ? ldexp(1.0, fp8_format_emin(f)) : 1.0; }

double fp8_format_min_subnormal(const fp8_format *f)
{
  if (f->ebits == 0 || !f->subnormals || f->mbits == 0)
    return fp8_format_min_normal(f);
  return ldexp(1.0, 1 - f->bias - f->mbits);
}

uint32_t fp8_format_nan_code(const fp8_format *f, int sign)
{
  uint32_t s = sign ? fp8_format_sign_bit(f) : 0;
  switch (f->special) {
  case FP8_SPECIAL_IEEE: /* quiet NaN: top mantissa bit set */
    return s | (((1u << f->ebits) - 1) << f->mbits) | (f->mbits ? 1u << (f->mbits - 1) : 0);
  case FP8_SPECIAL_FN:
    return s | fp8_format_mag_mask(f);
  case FP8_SPECIAL_FNUZ:
    return fp8_format_sign_bit(f);
  case FP8_SPECIAL_P3109F:
  case FP8_SPECIAL_P3109E:
    return f->is_unsigned ? fp8_format_mag_mask(f) : fp8_format_sign_bit(f);
  default:
    return 0;
  }
}

uint32_t fp8_format_nan_code_ones(const fp8_format *f)
{
  uint32_t c = fp8_format_mag_mask(f);
  if (f->special == FP8_SPECIAL_IEEE || f->special == FP8_SPECIAL_FN)
    return c;
  return fp8_format_nan_code(f, 0);
}

uint32_t fp8_format_inf_code(const fp8_format *f, int sign)
{
  uint32_t s = sign ? fp8_format_sign_bit(f) : 0;
  if (f->special == FP8_SPECIAL_P3109E)
    return f->is_unsigned ? fp8_format_mag_mask(f) - 1 : s | fp8_format_mag_mask(f);
  return s | (((1u << f->ebits) - 1) << f->mbits);
}

uint64_t fp8_format_finite_values(const fp8_format *f)
{
  uint64_t positive = (uint64_t)fp8_format_max_code(f); /* codes 1..max are distinct positives */
  if (f->nozero)
    positive += 1;                     /* code 0 is 2^-bias, not zero */
  else if (f->ebits && !f->subnormals)
    positive -= (1u << f->mbits) - 1;  /* e == 0, m != 0 read as zero */
  uint64_t negative = f->is_unsigned ? 0 : positive;
  if (f->ebits == 0 && f->intenc == FP8_INT_TWOS)
    negative = positive + 1;           /* -2^(n-1) */
  return positive + negative + (f->nozero ? 0 : 1);  /* one zero */
}

int fp8_format_product_bits(const fp8_format *f)
{
  if (f->ebits == 0)
    return 2 * f->mbits + (f->intenc == FP8_INT_TWOS ? 2 : 1);
  int s = f->mbits + 1;
  int k = 2 * (fp8_format_emax(f) - fp8_format_emin(f));
  return 2 * s + k + 1;
}

int fp8_format_product_lsb_exp(const fp8_format *f)
{
  if (f->ebits == 0)
    return 0;
  return 2 * (fp8_format_emin(f) - f->mbits);
}
