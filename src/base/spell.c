/* spell.c - the spelling grammar, its key tables and its messages (spell.h). */
#include "spell.h"
#include "error.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* s quoted for a message: at most 60 bytes (57 + "..."), control bytes as '?'. */
static void quote(const char *s, size_t len, char out[64])
{
  size_t n = len > 60 ? 57 : len, k = 0;
  for (size_t i = 0; i < n; i++)
    out[k++] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
  if (len > 60)
    for (int i = 0; i < 3; i++)
      out[k++] = '.';
  out[k] = 0;
}

static int verror(char *err, size_t errlen, const char *what, const char *s, size_t slen,
                  const char *fmt, va_list ap)
{
  if (!err || !errlen)
    return -1;
  char q[64];
  quote(s ? s : "", s ? slen : 0, q);
  int k = snprintf(err, errlen, "%s '%s': ", what, q);
  if (k >= 0 && (size_t)k < errlen)
    vsnprintf(err + k, errlen - (size_t)k, fmt, ap);
  return -1;
}

int fp8_spell_error(char *err, size_t errlen, const char *what, const char *s, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  verror(err, errlen, what, s, s ? strnlen(s, FP8_SPELL_MAX_LEN + 1) : 0, fmt, ap);
  va_end(ap);
  return -1;
}

static int lerror(char *err, size_t errlen, const char *what, const char *s, size_t len, const char *fmt, ...)
  __attribute__((format(printf, 6, 7)));
static int lerror(char *err, size_t errlen, const char *what, const char *s, size_t len, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  verror(err, errlen, what, s, len, fmt, ap);
  va_end(ap);
  return -1;
}

int fp8_spell_check(const char *s, size_t len, const char *what, char *err, size_t errlen)
{
  if (!s)
    return fp8_error_set(err, errlen, "no %s given (expected a spelling)", what);
  if (len > FP8_SPELL_MAX_LEN)
    return lerror(err, errlen, what, s, len, "%zu characters long (expected at most %d)", len,
                  FP8_SPELL_MAX_LEN);
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == 0)
      return lerror(err, errlen, what, s, len, "a NUL byte at byte %zu (expected printable characters)", i);
    if (c < 0x20 || c == 0x7f)
      return lerror(err, errlen, what, s, len, "control character 0x%02x at byte %zu (expected printable "
                    "characters)", c, i);
  }
  return 0;
}

int fp8_spell_long(const char *s, long lo, long hi, long *out)
{
  const char *p = s;
  bool neg = *p == '-';
  if (neg)
    p++;
  if (*p < '0' || *p > '9')
    return -1;
  unsigned long v = 0, lim = neg ? (unsigned long)-(lo < 0 ? lo : 0) : (unsigned long)(hi > 0 ? hi : 0);
  for (; *p; p++) {
    if (*p < '0' || *p > '9')
      return -1;
    unsigned d = (unsigned)(*p - '0');
    if (d > lim || v > (lim - d) / 10)
      return -1;                 /* beyond the range: no wrap-around */
    v = v * 10 + d;
  }
  long x = neg ? -(long)v : (long)v;
  if (x < lo || x > hi)
    return -1;
  *out = x;
  return 0;
}

int fp8_spell_double(const char *s, double lo, double hi, double *out)
{
  if (!*s || strchr(" \t\n\v\f\r", *s))
    return -1;                   /* strtod would skip leading space */
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (end == s || *end || errno == ERANGE || !isfinite(v) || v < lo || v > hi)
    return -1;
  *out = v;
  return 0;
}

static int find_key(const fp8_spell_table *t, const char *name, size_t len, bool flag)
{
  for (size_t k = 0; k < t->nkeys; k++)
    if ((t->keys[k].type == FP8_SPELL_FLAG) == flag && strlen(t->keys[k].name) == len &&
        !strncmp(t->keys[k].name, name, len))
      return (int)k;
  return -1;
}

/* "n=, window=, ..., ftz" of a table, whole names only. */
static void key_list(const fp8_spell_table *t, char *buf, size_t len)
{
  size_t used = 0;
  buf[0] = 0;
  for (size_t k = 0; k < t->nkeys; k++) {
    const fp8_spell_key *key = &t->keys[k];
    int n = snprintf(buf + used, len - used, "%s%s%s", k ? ", " : "", key->name,
                     key->type == FP8_SPELL_FLAG ? "" : "=");
    if (n < 0 || (size_t)n >= len - used) {
      buf[used] = 0;
      return;
    }
    used += (size_t)n;
  }
}

int fp8_spell_split(const fp8_spell_table *t, const char *s, fp8_spell *sp, char *err, size_t errlen)
{
  if (!s || !*s)
    return fp8_error_set(err, errlen, "empty %s (expected BASE[:KEY=VALUE]...)", t->what);
  size_t len = strlen(s);
  if (fp8_spell_check(s, len, t->what, err, errlen))
    return -1;
  sp->text = s;
  memcpy(sp->buf, s, len + 1);
  sp->base = sp->buf;
  sp->n = 0;
  size_t ends[FP8_SPELL_MAX_ITEMS + 1], nparts = 0;   /* where the base and each item end */
  bool open = t->base_parts;    /* the part before may take ':'-parts (base, SUB) */
  size_t a = 0;
  for (;;) {
    size_t b = a + strcspn(sp->buf + a, t->seps);
    if (b == a)
      return lerror(err, errlen, t->what, s, len, "an empty part at character %zu (expected "
                    "BASE[:KEY=VALUE]..., no '%c' at the end or twice in a row)", a + 1, t->seps[0]);
    const char *tok = sp->buf + a;
    const char *eq = memchr(tok, '=', b - a);
    int k = -1;
    if (a > 0) {
      k = eq ? find_key(t, tok, (size_t)(eq - tok), false) : find_key(t, tok, b - a, true);
      if (k < 0 && !eq && t->bare_key && sp->n == 0 && tok[0] >= '0' && tok[0] <= '9') {
        k = find_key(t, t->bare_key, strlen(t->bare_key), false);
        eq = tok - 1;           /* the whole token is the value */
      }
    }
    if (k >= 0) {
      if (sp->n == FP8_SPELL_MAX_ITEMS)
        return lerror(err, errlen, t->what, s, len, "more than %d keys (expected each key at most once)",
                      FP8_SPELL_MAX_ITEMS);
      ends[nparts++] = a - 1;
      sp->item[sp->n].key = k;
      sp->item[sp->n].value = eq ? eq + 1 : NULL;
      sp->n++;
      open = t->keys[k].type == FP8_SPELL_SUB;
    } else if (!open && a > 0) {
      char keys[200], q[64];
      key_list(t, keys, sizeof keys);
      quote(tok, b - a, q);
      return lerror(err, errlen, t->what, s, len, "unknown part '%s' (expected %s)", q,
                    keys);
    }
    if (!sp->buf[b])
      break;
    a = b + 1;
  }
  ends[nparts++] = len;
  for (size_t i = 0; i < nparts; i++)
    sp->buf[ends[i]] = 0;
  sp->preset = fp8_spell_preset(t->presets, t->npresets, sp->base, strlen(sp->base));
  return 0;
}

bool fp8_spell_has(const fp8_spell_table *t, const fp8_spell *sp, const char *name)
{
  for (size_t i = 0; i < sp->n; i++)
    if (!strcmp(t->keys[sp->item[i].key].name, name))
      return true;
  return false;
}

static void store(void *obj, const fp8_spell_key *k, long v)
{
  char *p = (char *)obj + k->offset;
  if (k->size == sizeof(bool))
    *(bool *)p = v != 0;
  else
    *(int *)p = (int)v;
}

/* "exact or 0..48 fraction bits", "rtz, rne or rdn". */
static void expectation(const fp8_spell_key *k, char *buf, size_t len)
{
  size_t used = 0, nn = 0;
  buf[0] = 0;
  while (k->names && k->names[nn])
    nn++;
  for (size_t i = 0; i < nn; i++) {
    const char *sep = i == 0 ? "" : i + 1 < nn || k->type == FP8_SPELL_INT ? ", " : " or ";
    int n = snprintf(buf + used, len - used, "%s%s", sep, k->names[i]);
    if (n < 0 || (size_t)n >= len - used)
      return;
    used += (size_t)n;
  }
  if (k->type == FP8_SPELL_INT)
    snprintf(buf + used, len - used, "%s%ld..%ld%s%s", nn ? " or " : "", k->lo, k->hi, k->help ? " " : "",
             k->help ? k->help : "");
  else if (k->type == FP8_SPELL_DOUBLE)
    snprintf(buf, len, "%s", k->help);
}

static int lookup_name(const fp8_spell_key *k, const char *v, long *out)
{
  for (size_t i = 0; k->names && k->names[i]; i++)
    if (!strcmp(k->names[i], v)) {
      *out = k->values ? k->values[i] : (long)i;
      return 0;
    }
  return -1;
}

static void key_names_of_slot(const fp8_spell_table *t, int slot, char *buf, size_t len)
{
  size_t used = 0;
  buf[0] = 0;
  for (size_t k = 0; k < t->nkeys; k++)
    if (t->keys[k].slot == slot) {
      int n = snprintf(buf + used, len - used, "%s%s%s", used ? ", " : "", t->keys[k].name,
                       t->keys[k].type == FP8_SPELL_FLAG ? "" : "=");
      if (n < 0 || (size_t)n >= len - used)
        return;
      used += (size_t)n;
    }
}

int fp8_spell_apply(const fp8_spell_table *t, const fp8_spell *sp, void *obj, unsigned base_class,
                    const char *base_name, char *err, size_t errlen)
{
  const char *s = sp->text;
  for (size_t i = 0; i < sp->n; i++) {
    const fp8_spell_key *k = &t->keys[sp->item[i].key];
    const char *v = sp->item[i].value;
    char q[64];
    quote(v ? v : "", v ? strlen(v) : 0, q);
    const char *eq = v ? "=" : "";
    for (size_t j = 0; j < i; j++) {
      const fp8_spell_key *o = &t->keys[sp->item[j].key];
      if (o == k)
        return fp8_spell_error(err, errlen, t->what, s, "%s%s given twice (expected each key at most once)",
                               k->name, v ? "=" : "");
      if (k->slot && o->slot == k->slot) {
        char names[160];
        key_names_of_slot(t, k->slot, names, sizeof names);
        return fp8_spell_error(err, errlen, t->what, s, "conflicting %s '%s' and '%s' (expected at most one "
                               "of %s)", t->slot_names ? t->slot_names[k->slot] : "keys", o->name, k->name, names);
      }
    }
    if (k->bases && base_class && !(k->bases & base_class))
      return fp8_spell_error(err, errlen, t->what, s, "%s%s%s contradicts the base '%.40s' (%s%s applies to %s)", k->name, eq, q, base_name, k->name, eq, k->only ? k->only : "other bases only");
    long x;
    double d;
    char ex[160];
    switch (k->type) {
    case FP8_SPELL_FLAG:
      store(obj, k, k->lo);
      break;
    case FP8_SPELL_INT:
      if (lookup_name(k, v, &x) && fp8_spell_long(v, k->lo, k->hi, &x)) {
        expectation(k, ex, sizeof ex);
        return fp8_spell_error(err, errlen, t->what, s, "%s=%s (expected %s)", k->name, q, ex);
      }
      store(obj, k, x);
      break;
    case FP8_SPELL_ENUM:
      if (lookup_name(k, v, &x)) {
        expectation(k, ex, sizeof ex);
        return fp8_spell_error(err, errlen, t->what, s, "%s=%s (expected %s)", k->name, q, ex);
      }
      store(obj, k, x);
      break;
    case FP8_SPELL_DOUBLE:
      if (fp8_spell_double(v, k->dlo, k->dhi, &d))
        return fp8_spell_error(err, errlen, t->what, s, "%s=%s (expected %s)", k->name, q, k->help);
      *(double *)((char *)obj + k->offset) = d;
      break;
    case FP8_SPELL_SUB: {
      char e2[256] = "";
      if (k->set(obj, v, e2, sizeof e2))
        return fp8_spell_error(err, errlen, t->what, s, "%s=%s: %s", k->name, q, e2);
      break;
    }
    }
  }
  return 0;
}

const fp8_preset *fp8_spell_preset(const fp8_preset *p, size_t n, const char *name, size_t len)
{
  for (size_t i = 0; i < n; i++)
    if (strlen(p[i].name) == len && !strncmp(p[i].name, name, len))
      return &p[i];
  return NULL;
}

void fp8_spell_preset_names(const fp8_preset *p, size_t n, char *buf, size_t len)
{
  size_t used = 0;
  if (!len)
    return;
  buf[0] = 0;
  for (size_t i = 0; i < n; i++) {
    int k = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", p[i].name);
    if (k < 0 || (size_t)k + 5 >= len - used) {
      snprintf(buf + used, len - used, "%s", len - used > 5 ? ", ..." : "");
      return;
    }
    used += (size_t)k;
  }
}
