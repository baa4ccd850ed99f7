/* codec_modes.c - the CLI spellings of rounding, overflow and NaN modes. */
#include "codec.h"

#include <stdlib.h>
#include <string.h>

static const char *const round_names[FP8_ROUND_NMODES] = {
  "rne", "rtz", "rna", "stochastic", "rtp", "rtn", "rto", "sr-a", "sr-b", "sr-c"};
static const char *const overflow_names[FP8_OVERFLOW_NMODES] = {
  "satpropagate", "nonsat", "satfinite", "satnone"};

bool fp8_round_mode_is_stochastic(fp8_round_mode m)
{
  return m == FP8_ROUND_STOCHASTIC || m == FP8_ROUND_SR_A || m == FP8_ROUND_SR_B || m == FP8_ROUND_SR_C;
}

const char *fp8_round_mode_name(fp8_round_mode m)
{ return (unsigned)m < FP8_ROUND_NMODES ? round_names[m] : "?"; }

const char *fp8_overflow_mode_name(fp8_overflow_mode m)
{ return (unsigned)m < FP8_OVERFLOW_NMODES ? overflow_names[m] : "?"; }

/* "sr-a:N" with N = 1..63 (plain decimal); the other names take no ":N". */
int fp8_round_mode_lookup(const char *s, fp8_round_mode *m, int *sr_bits)
{
  size_t len = strcspn(s, ":");
  for (int i = 0; i < FP8_ROUND_NMODES; i++) {
    if (strlen(round_names[i]) != len || strncmp(s, round_names[i], len))
      continue;
    bool sr = i >= FP8_ROUND_SR_A;
    if (!sr)
      return s[len] ? -1 : (*m = (fp8_round_mode)i, 0);
    const char *n = s + len;
    if (*n != ':' || n[1] < '1' || n[1] > '9' || strspn(n + 1, "0123456789") != strlen(n + 1) ||
        strlen(n + 1) > 2)
      return -1;
    int bits = atoi(n + 1);
    if (bits > 63)
      return -1;
    *m = (fp8_round_mode)i;
    if (sr_bits)
      *sr_bits = bits;
    return 0;
  }
  return -1;
}

int fp8_overflow_mode_lookup(const char *s, fp8_overflow_mode *m)
{
  if (!strcmp(s, "sat")) {          /* the first name of satpropagate */
    *m = FP8_OVERFLOW_SATPROPAGATE;
    return 0;
  }
  for (int i = 0; i < FP8_OVERFLOW_NMODES; i++)
    if (!strcmp(s, overflow_names[i])) {
      *m = (fp8_overflow_mode)i;
      return 0;
    }
  return -1;
}

int fp8_nan_mode_lookup(const char *s, fp8_nan_mode *m)
{
  if (!strcmp(s, "keep"))
    *m = FP8_NAN_KEEP_SIGN;
  else if (!strcmp(s, "ones"))
    *m = FP8_NAN_ONES;
  else
    return -1;
  return 0;
}
