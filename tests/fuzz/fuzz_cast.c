/* fuzz_cast.c - numbers for 'fp8lab cast': the text on stdin, one per line.
 * Byte 0 picks the format, byte 1 the rounding/overflow/scale/flags options;
 * the rest is stdin. */
#include "commands.h"
#include "fuzz.h"

static const char *const formats[] = {"fp8-e4", "float8_e4m3fn", "float8_e5m2", "int8", "fp16",
                                      "e2m1:none:nosub", "e5m10:ieee", "bf16", "fp32", "int8-sm",
                                      "float8_e4m3fnuz", "e3m4"};
static const char *const rounds[] = {"rne", "rtz", "rna", "stochastic"};

FUZZ_TARGET(cast)
{
  unsigned a = fuzz_byte(data, size, 0), b = fuzz_byte(data, size, 1);
  const char *argv[16] = {"cast", "--to", formats[a % (sizeof formats / sizeof *formats)],
                          "--round", rounds[b & 3]};
  int n = 5;
  if (b & 4) {
    argv[n++] = "--overflow";
    argv[n++] = "nonsat";
  }
  if (b & 8)
    argv[n++] = "--flags";
  if (b & 16) {
    argv[n++] = "--scale";
    argv[n++] = b & 32 ? "1e-300" : "3.5";
  }
  if ((b & 3) == 3) {
    argv[n++] = "--seed";
    argv[n++] = "7";
  }
  size_t skip = size < 2 ? size : 2;
  fuzz_run(cmd_cast, n, argv, data + skip, size - skip);
  return 0;
}
