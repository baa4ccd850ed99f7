/* exhaustive_digest.c - every non-NaN float32 against the H200's cvt digests
 * (make check-exhaustive).
 *
 * Usage: exhaustive_digest DIGESTS.tsv
 * DIGESTS.tsv is tests/data/h200-fp8/cvt/f32_digests.tsv (its README defines
 * it): per conversion and per chunk c of the inputs i in [c*2^24, (c+1)*2^24)
 * (i the float32's bits), digest = sum of code(i) * splitmix64(i) mod 2^64 over
 * the chunk's non-NaN inputs.  The four conversions the chip recorded are run
 * through the array kernel (fp8_codec_encode_f32_u16):
 *   e4m3fn_satfinite  float8_e4m3fn, rne, satfinite
 *   e5m2_satfinite    float8_e5m2,   rne, satfinite
 *   bf16_rn           bf16, rne, nonsat (IEEE: overflow to Inf)
 *   f16_rn            fp16, rne, nonsat
 * and every chunk's digest must equal the chip's.  One more pass checks that
 * the check can fail: e5m2 with satpropagate (today's `sat`, which keeps +-Inf)
 * must differ from the chip's satfinite in exactly the two chunks that hold
 * +-Inf (0x7f and 0xff).  Prints per conversion the equal chunks and the time;
 * exits 1 on any difference, 2 on a bad or missing file.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec.h"

#define NCHUNK 256
#define BLOCK (1u << 16)

typedef struct conv {
  const char *name, *format;
  fp8_overflow_mode ovf;
  uint64_t want[NCHUNK];
  int have[NCHUNK];
} conv;

static uint64_t splitmix64(uint64_t z)
{
  z += 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* The 256 chunk digests of (format, rne, ovf). */
static int digests(const char *fmt, fp8_overflow_mode ovf, uint64_t *out)
{
  fp8_format f;
  char err[256];
  if (fp8_format_parse(fmt, &f, err, sizeof err)) {
    fprintf(stderr, "exhaustive_digest: %s\n", err);
    return -1;
  }
  fp8_rounding rc = {.mode = FP8_ROUND_RNE, .overflow = ovf};
  static float in[BLOCK];
  static uint16_t code[BLOCK];
  for (uint32_t c = 0; c < NCHUNK; c++) {
    uint64_t d = 0;
    for (uint32_t b = 0; b < (1u << 24); b += BLOCK) {
      uint32_t base = c << 24 | b;
      for (uint32_t i = 0; i < BLOCK; i++) {
        uint32_t bits = base + i;
        memcpy(&in[i], &bits, sizeof bits);
      }
      fp8_codec_encode_f32_u16(&f, in, code, BLOCK, &rc, NULL);
      for (uint32_t i = 0; i < BLOCK; i++) {
        uint32_t bits = base + i;
        if ((bits & 0x7fffffffu) > 0x7f800000u)      /* NaN: not recorded */
          continue;
        d += (uint64_t)code[i] * splitmix64(bits);
      }
    }
    out[c] = d;
  }
  return 0;
}

static double now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
  static conv cv[] = {
    {"e4m3fn_satfinite", "float8_e4m3fn", FP8_OVERFLOW_SATFINITE, {0}, {0}},
    {"e5m2_satfinite", "float8_e5m2", FP8_OVERFLOW_SATFINITE, {0}, {0}},
    {"bf16_rn", "bf16", FP8_OVERFLOW_NONSAT, {0}, {0}},
    {"f16_rn", "fp16", FP8_OVERFLOW_NONSAT, {0}, {0}}};
  enum { NCONV = sizeof cv / sizeof cv[0] };
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc != 2) {
    fprintf(stderr, "usage: exhaustive_digest DIGESTS.tsv\n");
    return 2;
  }
  FILE *fp = fopen(argv[1], "r");
  if (!fp) {
    fprintf(stderr, "exhaustive_digest: cannot open '%s'\n", argv[1]);
    return 2;
  }
  char line[256];
  while (fgets(line, sizeof line, fp)) {
    char name[64];
    unsigned chunk;
    uint64_t d;
    if (line[0] == '#' || !strncmp(line, "conversion", 10))
      continue;
    if (sscanf(line, "%63s %u %" SCNx64, name, &chunk, &d) != 3 || chunk >= NCHUNK) {
      fprintf(stderr, "exhaustive_digest: %s: bad line '%s'\n", argv[1], line);
      fclose(fp);
      return 2;
    }
    for (int k = 0; k < NCONV; k++)
      if (!strcmp(name, cv[k].name)) {
        cv[k].want[chunk] = d;
        cv[k].have[chunk] = 1;
      }
  }
  fclose(fp);
  int bad = 0;
  static uint64_t got[NCHUNK];
  for (int k = 0; k < NCONV; k++) {
    for (int c = 0; c < NCHUNK; c++)
      if (!cv[k].have[c]) {
        fprintf(stderr, "exhaustive_digest: %s: no digest for %s chunk %d\n", argv[1], cv[k].name, c);
        return 2;
      }
    double t0 = now();
    if (digests(cv[k].format, cv[k].ovf, got))
      return 2;
    int eq = 0;
    for (int c = 0; c < NCHUNK; c++) {
      if (got[c] == cv[k].want[c])
        eq++;
      else if (bad++ < 20)
        printf("MISMATCH %s chunk %d (inputs 0x%08x..0x%08x): fp8lab %016" PRIx64 ", H200 %016" PRIx64 "\n",
               cv[k].name, c, (unsigned)c << 24, ((unsigned)c << 24) | 0xffffffu, got[c], cv[k].want[c]);
    }
    printf("%-17s %s rne %-9s: %d of %d chunks equal the H200's (%.1f s)\n", cv[k].name, cv[k].format,
           fp8_overflow_mode_name(cv[k].ovf), eq, NCHUNK, now() - t0);
  }
  /* The check can fail: satpropagate keeps +-Inf, the chip's satfinite clamps. */
  double t0 = now();
  if (digests("float8_e5m2", FP8_OVERFLOW_SATPROPAGATE, got))
    return 2;
  int ndiff = 0, right = 1;
  for (int c = 0; c < NCHUNK; c++)
    if (got[c] != cv[1].want[c]) {
      ndiff++;
      right &= c == 0x7f || c == 0xff;
    }
  printf("e5m2 satpropagate : differs from the H200's satfinite in %d chunks%s (%.1f s)\n", ndiff,
         ndiff == 2 && right ? ", exactly the two holding +-Inf, as it should" : " -- expected exactly 0x7f and 0xff",
         now() - t0);
  if (ndiff != 2 || !right)
    bad++;
  printf("%s\n", bad ? "FAIL" : "PASS: all 4 conversions of the 4,278,190,082 non-NaN float32 equal the H200's");
  return bad ? 1 : 0;
}
