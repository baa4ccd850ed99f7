/* fuzz_mac.c - 'fp8lab mac' vector lines ("A B", "clear", comments) on stdin.
 * Byte 0 picks the input format, byte 1 the accumulator and options; the rest
 * is stdin. */
#include "commands.h"
#include "fuzz.h"

static const char *const formats[] = {"fp8-e4", "float8_e4m3fn", "float8_e5m2", "int8", "fp8-e2",
                                      "fp8-e5", "e2m1:none:nosub", "int8-sm"};
static const char *const accs[] = {"kulisch", "fp16", "bf16", "fp32", "e5m10", "e8m7"};

FUZZ_TARGET(mac)
{
  unsigned a = fuzz_byte(data, size, 0), b = fuzz_byte(data, size, 1);
  const char *argv[12] = {"mac", "--format", formats[a % (sizeof formats / sizeof *formats)], "--acc",
                          accs[b % (sizeof accs / sizeof *accs)]};
  int n = 5;
  if (a & 0x80)
    argv[n++] = "--trace";
  if (a & 0x40) {
    argv[n++] = "--round-to";
    argv[n++] = "fp8-e4";
  }
  size_t skip = size < 2 ? size : 2;
  fuzz_run(cmd_mac, n, argv, data + skip, size - skip);
  return 0;
}
