/* spell.h - the one grammar every descriptor is spelled in (doc/DESIGN.md
 * section 2), and the typed key tables that give each descriptor its words.
 *
 *   SPELLING = BASE { SEP TOKEN }       TOKEN = KEY "=" VALUE | FLAG
 *
 * SEP is ':' (distributions also take ',').  BASE names what is described (a
 * preset, an accumulator, "block", "student-t", ...) and may itself have
 * ':'-parts where the table says so (a unit's accumulator e4m3:bias=7,
 * kulisch:27): a token that is not a key of the table continues the part
 * before it when that part is such a base or a key of type FP8_SPELL_SUB
 * (elem=e2m1:none), and is refused otherwise.  The base's parts
 * come before the first key.
 *
 * Refused, by fp8_spell_split, for every descriptor alike: a NULL or empty
 * spelling, one longer than FP8_SPELL_MAX_LEN bytes, a control character
 * (0x01..0x1f, 0x7f; NUL by fp8_spell_check for callers that hold a length),
 * an empty token ("a::b", a trailing ':'), and by fp8_spell_apply: a key
 * given twice, two keys that set the same field (ieee and fn; sub and nosub),
 * a key the base does not take (kulisch:ftz, gaussian:nu=3), a value that is
 * not of the key's type or outside its range.  Numbers are strict: the whole
 * token, decimal, no overflow, no NaN or Inf.
 *
 * Messages: "<what> '<spelling>': <the bad part> (expected <what was
 * expected>)"; the spelling is quoted up to 60 characters (then "..."), so a
 * message stays within a 320-byte buffer and is never cut mid-word.
 *
 * Lowest layer: libc and error.h only; no printing, no allocation. */
#ifndef FP8_SPELL_H
#define FP8_SPELL_H

#include <stdbool.h>
#include <stddef.h>

#define FP8_SPELL_MAX_LEN 255    /* longest spelling, in bytes */
#define FP8_SPELL_MAX_ITEMS 64   /* keys in one spelling (each at most once) */
#define FP8_SPELL_MAX_KEYS 32    /* keys in one table */

/* A preset: a name, the spelling it stands for, one line on what it is, and
 * where it comes from.  Every descriptor lists its presets in this form. */
typedef struct fp8_preset {
  const char *name;
  const char *spelling;
  const char *note;
  const char *source;
} fp8_preset;

typedef enum fp8_spell_type {
  FP8_SPELL_INT,     /* whole number in lo..hi, or one of names (stored as values[i]) */
  FP8_SPELL_DOUBLE,  /* finite number in dlo..dhi */
  FP8_SPELL_ENUM,    /* one of names; stores values[i], or i without values */
  FP8_SPELL_FLAG,    /* a bare word; stores lo */
  FP8_SPELL_SUB      /* a spelling of another descriptor: set() parses it */
} fp8_spell_type;

typedef struct fp8_spell_key {
  const char *name;             /* KEY of KEY=VALUE, or the FLAG word */
  fp8_spell_type type;
  size_t offset, size;          /* the field: int, bool (size 1) or double */
  long lo, hi;                  /* INT: range; FLAG: lo is the value stored */
  double dlo, dhi;              /* DOUBLE: range */
  const char *const *names;     /* ENUM: its words; INT: words standing for values */
  const long *values;           /* the value of each of names (NULL: its index) */
  int (*set)(void *obj, const char *value, char *err, size_t errlen); /* SUB */
  int slot;                     /* keys with the same slot > 0 set one field */
  unsigned bases;               /* base classes that take it (bit per class; 0: all) */
  const char *only;             /* with bases: the bases that take it, for messages */
  const char *help;             /* what the value means (INT, DOUBLE: the whole expectation) */
} fp8_spell_key;

/* The field of key K of struct TYPE: offset and size for fp8_spell_key. */
#define FP8_SPELL_FIELD(type, member) offsetof(type, member), sizeof(((type *)0)->member)

typedef struct fp8_spell_table {
  const char *what;             /* "unit", "block format", ...: the messages' first word */
  const char *seps;             /* ":" or ":," */
  bool base_parts;              /* the base may have ':'-parts of its own (kulisch:27) */
  const fp8_spell_key *keys;
  size_t nkeys;
  /* INT key that may be given bare after the base (kulisch:27), or NULL */
  const char *bare_key;
  /* what the keys of slot i > 0 set, for messages ("conventions"), or NULL */
  const char *const *slot_names;
  /* the descriptor's presets: fp8_spell_split finds the base among them */
  const fp8_preset *presets;
  size_t npresets;
} fp8_spell_table;

/* A spelling cut into its base and keys (fp8_spell_split). */
typedef struct fp8_spell {
  const char *text;                      /* the spelling as given (for messages) */
  char buf[FP8_SPELL_MAX_LEN + 1];       /* its copy, cut at the parts' ends */
  const char *base;
  const fp8_preset *preset;              /* the preset the base names, or NULL */
  size_t n;
  struct { int key; const char *value; } item[FP8_SPELL_MAX_ITEMS];
} fp8_spell;

/* Refuse a NUL among len bytes, a control character, or more than
 * FP8_SPELL_MAX_LEN bytes; what names the descriptor in the message. */
int fp8_spell_check(const char *s, size_t len, const char *what, char *err, size_t errlen);

/* Cut s into sp (see the grammar above).  0, or -1 + err. */
int fp8_spell_split(const fp8_spell_table *t, const char *s, fp8_spell *sp, char *err, size_t errlen);

/* Store sp's keys into obj, in order, for a base of class base_class (one
 * bit; 0: any) named base_name in messages.  0, or -1 + err. */
int fp8_spell_apply(const fp8_spell_table *t, const fp8_spell *sp, void *obj, unsigned base_class,
                    const char *base_name, char *err, size_t errlen);

/* Whether sp gave key name (after fp8_spell_split). */
bool fp8_spell_has(const fp8_spell_table *t, const fp8_spell *sp, const char *name);

/* The one message style: "<what> '<s, up to 60 characters>': <fmt...>". */
int fp8_spell_error(char *err, size_t errlen, const char *what, const char *s, const char *fmt, ...)
  __attribute__((format(printf, 5, 6)));

/* Strict numbers: all of s, decimal, within lo..hi (no overflow).  0 or -1. */
int fp8_spell_long(const char *s, long lo, long hi, long *out);
/* All of s, finite (no NaN, Inf or overflow), within lo..hi.  0 or -1. */
int fp8_spell_double(const char *s, double lo, double hi, double *out);

/* The preset of table p (n entries) named name (len bytes), or NULL. */
const fp8_preset *fp8_spell_preset(const fp8_preset *p, size_t n, const char *name, size_t len);
/* "a, b, c" of the presets' names into buf (snprintf semantics, whole names
 * only: a name that does not fit is left out with the rest, as ", ..."). */
void fp8_spell_preset_names(const fp8_preset *p, size_t n, char *buf, size_t len);

#endif
