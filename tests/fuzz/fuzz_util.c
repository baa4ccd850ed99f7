/* fuzz_util.c - helpers of the fuzz harnesses (fuzz.h). */
#include "fuzz.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *fuzz_cstring(const uint8_t *data, size_t size)
{
  char *s = malloc(size + 1);
  if (!s)
    abort();
  memcpy(s, data, size);
  s[size] = 0;
  return s;
}

const char *fuzz_dir(void)
{
  static char dir[256];
  if (!dir[0]) {
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/fp8lab-fuzz.XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(dir))
      abort();
  }
  return dir;
}

const char *fuzz_file(const char *leaf, const uint8_t *data, size_t size)
{
  static char path[512];
  snprintf(path, sizeof path, "%s/%s", fuzz_dir(), leaf);
  FILE *fp = fopen(path, "wb");
  if (!fp || (size && fwrite(data, 1, size, fp) != size) || fclose(fp))
    abort();
  return path;
}

static void quiet(void)
{
  static int done;
  if (done)
    return;
  done = 1;
  if (!freopen("/dev/null", "w", stdout))
    abort();
  /* The program's messages go to stdio's stderr; the sanitizers and libFuzzer
   * write to file descriptor 2 themselves, which stays. */
  const char *v = getenv("FP8_FUZZ_VERBOSE");
  if (!(v && *v == '1')) {
    FILE *null = fopen("/dev/null", "w");
    if (null)
      stderr = null;
  }
}

int fuzz_run(int (*fn)(int, char **), int argc, const char *const *argv, const uint8_t *data, size_t size)
{
  quiet();
  if (data) {
    const char *in = fuzz_file("stdin", data, size);
    if (!freopen(in, "r", stdin))
      abort();
  }
  char *av[32];
  int n = 0;
  for (; n < argc && n < 31; n++)
    av[n] = (char *)argv[n];
  av[n] = NULL;
  optind = 0;                     /* GNU getopt: re-initialise, as main does */
  int rc = fn(n, av);
  fflush(stdout);
  return rc;
}
