/* fuzz.h - what the libFuzzer harnesses share (see tests/fuzz/README).
 *
 * Each harness feeds a user's bytes to one parser, through the same entry point
 * the program uses.  Built two ways from one source:
 *   make fuzz        clang -fsanitize=fuzzer,address,undefined: each harness
 *                    defines LLVMFuzzerTestOneInput and runs under libFuzzer;
 *   make check       -DFP8_FUZZ_REPLAY (ASan+UBSan where the compiler has them):
 *                    every harness is fuzz_<name>() in one program that replays
 *                    the committed corpora (tests/fuzz/corpus/<name>/). */
#ifndef FP8_FUZZ_H
#define FP8_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#ifdef FP8_FUZZ_REPLAY
#define FUZZ_TARGET(name) int fuzz_##name(const uint8_t *data, size_t size)
#else
#define FUZZ_TARGET(name) int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
#endif

/* data as a C string (malloc'd; a NUL inside ends the string, as in argv). */
char *fuzz_cstring(const uint8_t *data, size_t size);
/* data into a private file (one per leaf name, rewritten each call); its path. */
const char *fuzz_file(const char *leaf, const uint8_t *data, size_t size);
/* A private folder for this process (created once). */
const char *fuzz_dir(void);
/* Run a subcommand as main() would (getopt reset), stdin from data (when
 * non-NULL), stdout and the program's messages discarded
 * (FP8_FUZZ_VERBOSE=1 keeps the messages).  Returns its exit status. */
int fuzz_run(int (*fn)(int, char **), int argc, const char *const *argv, const uint8_t *data, size_t size);
/* Byte k of data, or 0 past the end. */
static inline unsigned fuzz_byte(const uint8_t *data, size_t size, size_t k)
{
  return k < size ? data[k] : 0;
}

#endif
