/* codec_names.c - mode names for front ends (codec_names.h), over the codec's
 * one table of names (codec_modes.c). */
#include "codec_names.h"
#include "error.h"

#define ROUND_NAMES "rne, rtz, rna, rtp, rtn, rto, stochastic, sr-a:N, sr-b:N or sr-c:N (N = 1..63)"
#define OVERFLOW_NAMES "satpropagate (= sat), satfinite, nonsat or satnone"
#define NAN_NAMES "keep or ones"

int fp8_round_mode_parse(const char *name, fp8_rounding *rc, char *err, size_t errlen)
{
  if (!name)
    return 0;
  fp8_round_mode m;
  int bits = rc->sr_bits;
  if (fp8_round_mode_lookup(name, &m, &bits))
    return fp8_error_set(err, errlen, "unknown rounding mode '%s' (expected " ROUND_NAMES ")", name);
  rc->mode = m;
  rc->sr_bits = bits;
  return 0;
}

int fp8_overflow_mode_parse(const char *name, fp8_rounding *rc, char *err, size_t errlen)
{
  if (!name)
    return 0;
  if (fp8_overflow_mode_lookup(name, &rc->overflow))
    return fp8_error_set(err, errlen, "unknown overflow mode '%s' (expected " OVERFLOW_NAMES ")", name);
  return 0;
}

int fp8_nan_mode_parse(const char *name, fp8_rounding *rc, char *err, size_t errlen)
{
  if (!name)
    return 0;
  if (fp8_nan_mode_lookup(name, &rc->nan))
    return fp8_error_set(err, errlen, "unknown NaN mode '%s' (expected " NAN_NAMES ")", name);
  return 0;
}

size_t fp8_rounding_sizeof(void) { return sizeof(fp8_rounding); }

void fp8_rounding_init(fp8_rounding *rc) { *rc = fp8_rounding_default; }

int fp8_rounding_needs_rand(const fp8_rounding *rc) { return fp8_round_mode_is_stochastic(rc->mode); }
