/* fuzz_cast_binary.c - 'fp8lab cast --binary': little-endian float32 on stdin.
 * Byte 0 picks the format, byte 1 the options; the rest is stdin.  Invariant
 * checked besides: the vectorized float32 kernel gives, for every input
 * float, the code of the scalar double path (fp8_codec_encode). */
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "commands.h"
#include "fuzz.h"

static const char *const formats[] = {"fp8-e4", "float8_e4m3fn", "float8_e5m2", "int8", "fp16",
                                      "e2m1:none:nosub", "bf16", "int8-sm", "float8_e4m3fnuz",
                                      "e3m4", "e5m10:ieee", "float8_e4m3b11fnuz"};

FUZZ_TARGET(cast_binary)
{
  unsigned a = fuzz_byte(data, size, 0), b = fuzz_byte(data, size, 1);
  const char *fname = formats[a % (sizeof formats / sizeof *formats)];
  const char *argv[12] = {"cast", "--binary", "--to", fname};
  int n = 4;
  if (b & 1) {
    argv[n++] = "--overflow";
    argv[n++] = "nonsat";
  }
  if (b & 2)
    argv[n++] = "--flags";
  if (b & 4) {
    argv[n++] = "--scale";
    argv[n++] = "0.25";
  }
  size_t skip = size < 2 ? size : 2;
  fuzz_run(cmd_cast, n, argv, data + skip, size - skip);

  fp8_format f;
  if (fp8_format_parse(fname, &f, NULL, 0))
    abort();
  fp8_rounding rc = fp8_rounding_default;
  rc.overflow = b & 1 ? FP8_OVERFLOW_NONSAT : FP8_OVERFLOW_SAT;
  size_t nv = (size - skip) / 4;
  float *in = malloc((nv + 1) * sizeof *in);
  uint16_t *codes = malloc((nv + 1) * sizeof *codes);
  if (!in || !codes)
    abort();
  if (nv)
    memcpy(in, data + skip, nv * 4);           /* the fuzzing hosts are little-endian */
  unsigned fl = 0;
  fp8_codec_encode_f32_u16(&f, in, codes, nv, &rc, &fl);
  for (size_t i = 0; i < nv; i++) {
    unsigned fl1 = 0;
    if (codes[i] != fp8_codec_encode(&f, (double)in[i], &rc, &fl1))
      abort();                                  /* the kernel and the scalar path disagree */
  }
  free(in);
  free(codes);
  return 0;
}
