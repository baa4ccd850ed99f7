/* format.c - descriptor construction, parsing, presets and derived limits. */
#include "format.h"
#include "error.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A preset is a name, the generic spelling it stands for, and a note. */
typedef struct preset {
  const char *name;
  const char *spec;
  const char *note;
} preset;

static const preset presets[] = {
  {"int8",      "int8",      "two's complement -128..127"},
  {"int8-sm",   "int8-sm",   "sign-magnitude -127..127 (the paper's FP8-E1 grid)"},
  {"fp8-e1",    "int8-sm",   "the paper's FP8-E1: alias of int8-sm"},
  {"fp8-e2",    "e2m5:fnuz", "the paper's FP8-E2 (Appendix A: fnuz, bias 2^(E-1))"},
  {"fp8-e3",    "e3m4:fnuz", "the paper's FP8-E3"},
  {"fp8-e4",    "e4m3:fnuz", "the paper's FP8-E4"},
  {"fp8-e5",    "e5m2:fnuz", "the paper's FP8-E5"},
  {"float8_e4m3fn",      "e4m3:fn",          "OCP E4M3, ml_dtypes/PyTorch (max 448)"},
  {"float8_e5m2",        "e5m2:ieee",        "OCP E5M2, ml_dtypes/PyTorch (max 57344)"},
  {"float8_e4m3fnuz",    "e4m3:fnuz",        "ml_dtypes/PyTorch (bias 8, max 240)"},
  {"float8_e5m2fnuz",    "e5m2:fnuz",        "ml_dtypes/PyTorch (bias 16)"},
  {"float8_e4m3b11fnuz", "e4m3:fnuz:bias=11", "ml_dtypes (bias 11)"},
  {"float8_e3m4",        "e3m4:ieee",        "ml_dtypes, IEEE-like"},
  {"float8_e4m3",        "e4m3:ieee",        "ml_dtypes, IEEE-like (max 240)"},
  {"float6_e2m3fn",      "e2m3:none",        "OCP MX FP6, ml_dtypes (no Inf/NaN)"},
  {"float6_e3m2fn",      "e3m2:none",        "OCP MX FP6, ml_dtypes (no Inf/NaN)"},
  {"float4_e2m1fn",      "e2m1:none",        "OCP MX FP4, ml_dtypes (no Inf/NaN)"},
  {"float8_e8m0fnu",     "ue8m0:fn:nozero",  "OCP MX scale E8M0, ml_dtypes/PyTorch: unsigned 2^-127..2^127, no zero, NaN 0xff"},
  {"ue8m0",              "ue8m0:fn:nozero",  "alias of float8_e8m0fnu (NVIDIA's spelling)"},
  {"ue4m3",              "ue4m3:fn",         "NVFP4 scale: E4M3 with the sign bit held at 0 (7 bits in a byte)"},
  {"binary8p3se",        "binary8p3se",      "IEEE P3109 signed extended, P = 3 (one NaN 0x80, Inf 0x7f/0xff)"},
  {"binary8p4se",        "binary8p4se",      "IEEE P3109 signed extended, P = 4"},
  {"binary8p3sf",        "binary8p3sf",      "IEEE P3109 signed finite, P = 3"},
  {"binary8p4sf",        "binary8p4sf",      "IEEE P3109 signed finite, P = 4"},
  {"fp16",      "e5m10:ieee", "IEEE binary16"},
  {"bf16",      "e8m7:ieee",  "bfloat16"},
  {"fp32",      "e8m23:ieee", "IEEE binary32"},
};
#define NPRESETS (sizeof presets / sizeof presets[0])

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

/* Strict decimal integer: all of s, no sign unless allow_neg. */
static int parse_int(const char *s, size_t len, int *out)
{
  char buf[16];
  if (len == 0 || len >= sizeof buf)
    return -1;
  memcpy(buf, s, len);
  buf[len] = 0;
  for (size_t i = 0; i < len; i++)
    if (!isdigit((unsigned char)buf[i]))
      return -1;
  errno = 0;
  long v = strtol(buf, NULL, 10);
  if (errno || v > 1000)
    return -1;
  *out = (int)v;
  return 0;
}

/* binaryKpP{s|u}{e|f} (IEEE P3109): signed E = K-P, unsigned E = K-P+1;
 * M = P-1; bias 2^(E-1) (= 2^(K-P-1) signed, 2^(K-P) unsigned); subnormals
 * when P > 1.  Returns 1 if spec is not spelled binary..., else 0 / -1. */
static int parse_p3109(const char *spec, const char *shown, fp8_format *f, char *err, size_t errlen)
{
  if (strncmp(spec, "binary", 6))
    return 1;
  const char *p = spec + 6;
  size_t nk = strspn(p, "0123456789");
  int k, prec;
  const char *q = p + nk;
  size_t np = q[0] == 'p' ? strspn(q + 1, "0123456789") : 0;
  const char *r = q + 1 + np;
  if (!nk || !np || parse_int(p, nk, &k) || parse_int(q + 1, np, &prec) ||
      (r[0] != 's' && r[0] != 'u') || (r[1] != 'e' && r[1] != 'f') || r[2]) {
    fp8_error_set(err, errlen, "bad P3109 format '%s' (expected binaryKpP followed by s or u (signed, "
                  "unsigned) and e or f (extended, finite), e.g. binary8p4se)", shown);
    return -1;
  }
  bool is_unsigned = r[0] == 'u';
  int pmax = is_unsigned ? k : k - 1;
  if (k < 2 || k > 16 || prec < 1 || prec > pmax) {
    fp8_error_set(err, errlen, "P3109 format '%s': K = %d, P = %d out of range (expected K = 2..16 and "
                  "P = 1..%s)", shown, k, prec, is_unsigned ? "K for unsigned formats" : "K-1 for signed formats");
    return -1;
  }
  int ebits = k - prec + (is_unsigned ? 1 : 0);
  char e2[200];
  if (fp8_format_make_float2(f, ebits, prec - 1, -1, r[1] == 'e' ? FP8_SPECIAL_P3109E : FP8_SPECIAL_P3109F,
                             true, is_unsigned, false, e2, sizeof e2)) {
    fp8_error_set(err, errlen, "P3109 format '%s': %s", shown, e2);
    return -1;
  }
  return 0;
}

/* Generic spellings; messages quote shown (what the user typed). */
static int parse_generic(const char *spec, const char *shown, fp8_format *f, char *err, size_t errlen)
{
  const char *p = spec;
  int pr = parse_p3109(spec, shown, f, err, errlen);
  if (pr <= 0)
    return pr;
  /* intN and intN-sm */
  if (strncmp(p, "int", 3) == 0) {
    const char *q = p + 3;
    size_t nd = strspn(q, "0123456789");
    int bits;
    if (nd && parse_int(q, nd, &bits) == 0) {
      if (q[nd] == 0)
        return make_int(f, bits, FP8_INT_TWOS, err, errlen);
      if (strcmp(q + nd, "-sm") == 0)
        return make_int(f, bits, FP8_INT_SIGNMAG, err, errlen);
    }
    fp8_error_set(err, errlen, "unknown format '%s' (expected intN or intN-sm, N = 2..16)", shown);
    return -1;
  }
  bool is_unsigned = p[0] == 'u' && p[1] == 'e';
  if (is_unsigned)
    p++;
  if (p[0] != 'e') {
    fp8_error_set(err, errlen, "unknown format '%s' (expected a preset such as int8, fp8-e4, "
            "float8_e4m3fn, fp16, a P3109 name such as binary8p4se, or a spelling such as e4m3:fn; "
            "'fp8lab formats' lists presets)", shown);
    return -1;
  }
  size_t ne = strspn(p + 1, "0123456789");
  int ebits, mbits;
  if (!ne || p[1 + ne] != 'm' || parse_int(p + 1, ne, &ebits)) {
    fp8_error_set(err, errlen, "bad format '%s' (expected [u]eXmY, e.g. e4m3, optionally followed by "
            ":ieee|:fn|:fnuz|:none|:p3109f|:p3109e, :bias=B, :nosub|:nozero)", shown);
    return -1;
  }
  const char *mq = p + 2 + ne;
  size_t nm = strspn(mq, "0123456789");
  if (!nm || parse_int(mq, nm, &mbits)) {
    fp8_error_set(err, errlen, "bad format '%s': missing mantissa width after 'm' (expected eXmY)", shown);
    return -1;
  }
  static const fp8_special conventions[] = {FP8_SPECIAL_IEEE, FP8_SPECIAL_FN, FP8_SPECIAL_FNUZ,
                                            FP8_SPECIAL_NONE, FP8_SPECIAL_P3109F, FP8_SPECIAL_P3109E};
  fp8_special special = FP8_SPECIAL_IEEE;
  int bias = -1;
  int sub = -1;               /* -1 unset, 0 nosub, 1 sub */
  bool seen_special = false, nozero = false;
  p = mq + nm;
  while (*p) {
    if (*p != ':') {
      fp8_error_set(err, errlen, "bad format '%s': unexpected '%s' (expected ':' then an option)", shown, p);
      return -1;
    }
    p++;
    size_t len = strcspn(p, ":");
    int conv = -1;
    for (size_t i = 0; i < sizeof conventions / sizeof *conventions; i++) {
      const char *cn = fp8_special_name(conventions[i]);
      if (len == strlen(cn) && !strncmp(p, cn, len))
        conv = (int)i;
    }
    if (conv >= 0) {
      if (seen_special && special != conventions[conv]) {
        fp8_error_set(err, errlen, "bad format '%s': conflicting conventions '%s' and '%s' (expected at most one "
                      "of ieee, fn, fnuz, none, p3109f, p3109e)", shown, fp8_special_name(special),
                      fp8_special_name(conventions[conv]));
        return -1;
      }
      special = conventions[conv];
      seen_special = true;
    } else if ((len == 5 && !strncmp(p, "nosub", 5)) || (len == 3 && !strncmp(p, "sub", 3))) {
      int want = len == 3;
      if (sub >= 0 && sub != want) {
        fp8_error_set(err, errlen, "bad format '%s': conflicting options 'sub' and 'nosub'", shown);
        return -1;
      }
      sub = want;
    } else if (len == 6 && !strncmp(p, "nozero", 6)) {
      nozero = true;
    } else if (len > 5 && !strncmp(p, "bias=", 5)) {
      if (parse_int(p + 5, len - 5, &bias)) {
        fp8_error_set(err, errlen, "bad format '%s': bias '%.*s' is not a whole number in 0..%d", shown, (int)(len - 5), p + 5,
                    FP8_FORMAT_MAX_BIAS);
        return -1;
      }
    } else {
      fp8_error_set(err, errlen, "bad format '%s': unknown option '%.*s' (expected ieee, fn, fnuz, none, "
              "p3109f, p3109e, bias=B, sub, nosub, nozero)", shown, (int)len, p);
      return -1;
    }
    p += len;
  }
  if (nozero && sub == 1) {
    fp8_error_set(err, errlen, "bad format '%s': conflicting options 'sub' and 'nozero' (nozero has no subnormals)", shown);
    return -1;
  }
  char e2[200];
  if (fp8_format_make_float2(f, ebits, mbits, bias, special, sub != 0, is_unsigned, nozero, e2, sizeof e2)) {
    fp8_error_set(err, errlen, "bad format '%s': %s", shown, e2);
    return -1;
  }
  return 0;
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
  for (size_t i = 0; i < NPRESETS; i++) {
    if (strcmp(s, presets[i].name) == 0) {
      if (parse_generic(presets[i].spec, spec, f, err, errlen))
        return -1;
      snprintf(f->name, sizeof f->name, "%s", presets[i].name);
      return 0;
    }
  }
  if (strlen(s) >= 64) {
    fp8_error_set(err, errlen, "format name too long (%zu characters)", strlen(s));
    return -1;
  }
  if (parse_generic(s, spec, f, err, errlen))
    return -1;
  if (!strncmp(s, "binary", 6))
    snprintf(f->name, sizeof f->name, "%s", s);
  return 0;
}

void fp8_format_canonical(const fp8_format *f, char *buf, size_t len)
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
