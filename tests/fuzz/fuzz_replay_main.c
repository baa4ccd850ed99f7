/* fuzz_replay_main.c - make check's replay of the committed fuzz corpora:
 *   fuzz_replay TARGET FILE...
 *   fuzz_replay --targets      (the harnesses this build has)
 * runs harness TARGET (fuzz.h) on each FILE, as libFuzzer would; a crash or a
 * sanitizer report ends the program with a non-zero status and names the file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

#define T(name) int fuzz_##name(const uint8_t *data, size_t size);
#ifdef FP8_FUZZ_MODELIO   /* the model readers are built (protobuf-c, libzip) */
#define MODEL_TARGETS T(onnx)
#else
#define MODEL_TARGETS
#endif
#define TARGETS T(format) T(cast) T(cast_binary) T(mac) T(replay) T(dist) T(components) T(configs) T(unit) T(block) \
  MODEL_TARGETS
TARGETS
#undef T
#define T(name) {#name, fuzz_##name},
static const struct {
  const char *name;
  int (*fn)(const uint8_t *, size_t);
} targets[] = {TARGETS};

int main(int argc, char **argv)
{
  if (argc < 2) {
    fprintf(stderr, "usage: fuzz_replay TARGET FILE...\n");
    return 2;
  }
  if (!strcmp(argv[1], "--targets")) {   /* the harnesses built in, one a line */
    for (size_t i = 0; i < sizeof targets / sizeof *targets; i++)
      puts(targets[i].name);
    return 0;
  }
  int (*fn)(const uint8_t *, size_t) = NULL;
  for (size_t i = 0; i < sizeof targets / sizeof *targets; i++)
    if (!strcmp(argv[1], targets[i].name))
      fn = targets[i].fn;
  if (!fn) {
    fprintf(stderr, "fuzz_replay: unknown target '%s'\n", argv[1]);
    return 2;
  }
  for (int k = 2; k < argc; k++) {
    FILE *fp = fopen(argv[k], "rb");
    if (!fp) {
      fprintf(stderr, "fuzz_replay: cannot read '%s'\n", argv[k]);
      return 1;
    }
    size_t cap = 1 << 16, n = 0, got;
    unsigned char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, fp)) > 0) {
      n += got;
      if (n == cap) {
        unsigned char *b = realloc(buf, cap *= 2);
        if (!b)
          free(buf);
        buf = b;
      }
    }
    fclose(fp);
    if (!buf)
      return 1;
    dprintf(2, "%s %s\n", argv[1], argv[k]);   /* first: a crash names its input (fd 2: the
                                                 harnesses silence stdio's stderr) */
    fn(buf, n);
    free(buf);
  }
  return 0;
}
