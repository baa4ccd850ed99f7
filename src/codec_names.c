/* codec_names.c - rounding and overflow mode names (codec_names.h). */
#include "codec_names.h"
#include "error.h"

#include <stdio.h>
#include <string.h>

typedef struct mode_name {
  const char *name;
  int value;
} mode_name;

static const mode_name round_names[] = {
  {"rne", FP8_ROUND_RNE}, {"rtz", FP8_ROUND_RTZ}, {"rna", FP8_ROUND_RNA},
  {"stochastic", FP8_ROUND_STOCHASTIC},
};
static const mode_name overflow_names[] = {
  {"sat", FP8_OVERFLOW_SAT}, {"nonsat", FP8_OVERFLOW_NONSAT},
};
#define COUNT(a) (sizeof (a) / sizeof (a)[0])

/* Look name up in t; on failure the message lists every accepted name. */
static int lookup(const char *what, const mode_name *t, size_t n, const char *name, int *out,
                  char *err, size_t errlen)
{
  for (size_t i = 0; i < n; i++)
    if (!strcmp(name, t[i].name)) {
      *out = t[i].value;
      return 0;
    }
  char list[160] = "";
  size_t len = 0;
  for (size_t i = 0; i < n && len < sizeof list; i++)
    len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
                            i == 0 ? "" : i + 1 == n ? " or " : ", ", t[i].name);
  return fp8_error_set(err, errlen, "unknown %s mode '%s' (expected %s)", what, name, list);
}

int fp8_round_mode_parse(const char *name, fp8_rounding *rc, char *err, size_t errlen)
{
  int v = 0;
  if (!name)
    return 0;
  if (lookup("rounding", round_names, COUNT(round_names), name, &v, err, errlen))
    return -1;
  rc->mode = (fp8_round_mode)v;
  return 0;
}

int fp8_overflow_mode_parse(const char *name, fp8_rounding *rc, char *err, size_t errlen)
{
  int v = 0;
  if (!name)
    return 0;
  if (lookup("overflow", overflow_names, COUNT(overflow_names), name, &v, err, errlen))
    return -1;
  rc->overflow = (fp8_overflow_mode)v;
  return 0;
}

static const char *name_of(const mode_name *t, size_t n, int v)
{
  for (size_t i = 0; i < n; i++)
    if (t[i].value == v)
      return t[i].name;
  return "?";
}

const char *fp8_round_mode_name(fp8_round_mode m)
{ return name_of(round_names, COUNT(round_names), (int)m); }

const char *fp8_overflow_mode_name(fp8_overflow_mode m)
{ return name_of(overflow_names, COUNT(overflow_names), (int)m); }

size_t fp8_rounding_sizeof(void) { return sizeof(fp8_rounding); }

void fp8_rounding_init(fp8_rounding *rc) { *rc = fp8_rounding_default; }

int fp8_rounding_needs_rand(const fp8_rounding *rc) { return rc->mode == FP8_ROUND_STOCHASTIC; }
