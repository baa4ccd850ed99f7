/* exhaustive_cast.c - every one of the 2^32 float32 inputs (make check-exhaustive).
 *
 * Usage: exhaustive_cast [--all-modes] FORMAT...
 * For each format: the fast array kernel, the generic fp8_codec_encode and the
 * brute-force reference (codec_ref.c) must agree on the code of every float32,
 * and the kernel's flags must equal the OR of the reference's, in rne with sat
 * and nonsat (--all-modes: rtz and rna too).  Prints the first mismatches (at
 * most 10) and exits 1; progress goes to stderr every 2^28 inputs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "codec_ref.h"

#define BLOCK (1u << 16)

static const char *const mode_name[] = {"rne", "rtz", "rna"};

static unsigned long long run(const fp8_format *f, const codec_ref *r, fp8_round_mode mode,
                              fp8_overflow_mode ovf, const char *name)
{
  static float in[BLOCK];
  static uint16_t fast[BLOCK];
  fp8_rounding rc = {.mode = mode, .overflow = ovf};
  unsigned long long bad = 0;
  unsigned fast_flags = 0, ref_flags = 0;
  for (uint64_t base = 0; base < (1ull << 32); base += BLOCK) {
    for (uint32_t i = 0; i < BLOCK; i++) {
      uint32_t b = (uint32_t)base + i;
      memcpy(&in[i], &b, sizeof b);
    }
    fp8_codec_encode_f32_u16(f, in, fast, BLOCK, &rc, &fast_flags);
    for (uint32_t i = 0; i < BLOCK; i++) {
      unsigned gf = 0, rf = 0;
      uint32_t g = fp8_codec_encode(f, in[i], &rc, &gf);
      uint32_t w = codec_ref_encode(r, in[i], mode, ovf, &rf);
      ref_flags |= rf;
      if (g != w || gf != rf || fast[i] != w) {
        if (bad++ < 10)
          printf("%s %s %s: float32 0x%08x (%a): fast 0x%x, generic 0x%x flags %u, reference 0x%x flags %u\n",
                 name, mode_name[mode], ovf ? "nonsat" : "sat", (uint32_t)base + i, (double)in[i],
                 fast[i], g, gf, w, rf);
      }
    }
    if (((base + BLOCK) & ((1ull << 28) - 1)) == 0)
      fprintf(stderr, "\r%s %s %s: %3.0f%%", name, mode_name[mode], ovf ? "nonsat" : "sat",
              100.0 * (double)(base + BLOCK) / 4294967296.0);
  }
  fprintf(stderr, "\n");
  if (fast_flags != ref_flags) {
    printf("%s %s %s: kernel flags %u, reference flags %u\n", name, mode_name[mode],
           ovf ? "nonsat" : "sat", fast_flags, ref_flags);
    bad++;
  }
  return bad;
}

int main(int argc, char **argv)
{
  int all = 0, nfmt = 0;
  setvbuf(stdout, NULL, _IOLBF, 0);   /* results appear as they come, also into a log */
  unsigned long long bad = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--all-modes")) {
      all = 1;
      continue;
    }
    fp8_format f;
    char err[256];
    if (fp8_format_parse(argv[i], &f, err, sizeof err) || f.bits > 16) {
      fprintf(stderr, "exhaustive_cast: '%s': %s\n", argv[i], f.bits > 16 ? "wider than 16 bits" : err);
      return 2;
    }
    codec_ref *r = codec_ref_alloc(&f);
    if (!r) {
      fprintf(stderr, "exhaustive_cast: out of memory\n");
      return 1;
    }
    nfmt++;
    for (int m = 0; m < (all ? 3 : 1); m++)
      for (int ovf = 0; ovf < 2; ovf++) {
        unsigned long long b = run(&f, r, (fp8_round_mode)m, (fp8_overflow_mode)ovf, argv[i]);
        printf("%s %s %s: all 2^32 float32 inputs: %s\n", argv[i], mode_name[m], ovf ? "nonsat" : "sat",
               b ? "MISMATCH" : "fast = generic = reference");
        bad += b;
      }
    codec_ref_free(r);
  }
  if (!nfmt) {
    fprintf(stderr, "usage: exhaustive_cast [--all-modes] FORMAT...\n");
    return 2;
  }
  return bad ? 1 : 0;
}
