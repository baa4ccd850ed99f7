/* exhaustive_cast.c - every one of the 2^32 float32 inputs (make check-exhaustive).
 *
 * Usage: exhaustive_cast [--all-modes] [--shard K/N] [--result FILE] [--sample-bits B] FORMAT...
 *        exhaustive_cast --merge [--result FILE] FILE...
 * For each format: the fast array kernel, the generic fp8_codec_encode and the
 * brute-force reference (codec_ref.c) must agree on the code of every float32,
 * and the kernel's flags must equal the OR of the reference's, in rne with sat
 * and nonsat (--all-modes: rtz and rna too).  Prints the first mismatches (at
 * most 10) and exits 1; progress goes to stderr every 2^28 inputs.
 *
 * Shards (sim/verify_shard.h): the inputs are blocks of 2^16 consecutive
 * float32 bit patterns, and shard K of N checks the blocks b with
 * b mod N = K - 1, so the N shards check every input exactly once.  --result
 * writes one row per format, rounding and overflow mode (inputs checked,
 * mismatches, a digest of the (input, reference code) pairs, the first
 * mismatch); --merge checks that its files are every shard of one run and
 * prints the totals (src/cli/verify_merge.h).  --sample-bits B checks only
 * every 2^(32-B)-th float32 (2^B inputs: quick runs and the tests).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "codec.h"
#include "codec_ref.h"
#include "verify_merge.h"
#include "verify_shard.h"

#define BLOCK (1u << 16)

static const char *const mode_name[] = {"rne", "rtz", "rna"};

typedef struct campaign {
  fp8_shard shard;
  int bits;                /* 2^bits inputs: every 2^(32-bits)-th float32 */
} campaign;

static unsigned long long run(const fp8_format *f, const codec_ref *r, fp8_round_mode mode,
                              fp8_overflow_mode ovf, const char *name, const campaign *c,
                              fp8_result_row *row)
{
  static float in[BLOCK];
  static uint16_t fast[BLOCK];
  fp8_rounding rc = {.mode = mode, .overflow = ovf};
  unsigned long long bad = 0;
  unsigned fast_flags = 0, ref_flags = 0;
  uint64_t total = 1ull << c->bits, blk = total < BLOCK ? total : BLOCK, done = 0;
  unsigned shift = 32u - (unsigned)c->bits;
  for (uint64_t base = 0; base < total; base += blk) {
    row->units++;
    if (!fp8_shard_owns(&c->shard, base / blk, 0))
      continue;
    for (uint32_t i = 0; i < blk; i++) {
      uint32_t b = (uint32_t)((base + i) << shift);
      memcpy(&in[i], &b, sizeof b);
    }
    fp8_codec_encode_f32_u16(f, in, fast, blk, &rc, &fast_flags);
    for (uint32_t i = 0; i < blk; i++) {
      unsigned gf = 0, rf = 0;
      uint32_t g = fp8_codec_encode(f, in[i], &rc, &gf);
      uint32_t w = codec_ref_encode(r, in[i], mode, ovf, &rf);
      uint32_t b;
      memcpy(&b, &in[i], sizeof b);
      row->digest += fp8_digest_mix((uint64_t)b << 32 | w);
      ref_flags |= rf;
      if (g != w || gf != rf || fast[i] != w) {
        char line[400];
        snprintf(line, sizeof line, "%s %s %s: float32 0x%08x (%a): fast 0x%x, generic 0x%x flags %u, "
                 "reference 0x%x flags %u", name, mode_name[mode], ovf ? "nonsat" : "sat", b,
                 (double)in[i], fast[i], g, gf, w, rf);
        if (bad++ < 10)
          printf("%s\n", line);
        if (bad == 1) {
          snprintf(row->first, sizeof row->first, "%s", line);
          row->first_unit = base / blk;
        }
      }
    }
    done += blk;
    row->checked += blk;
    if ((done & ((1ull << 28) - 1)) == 0)
      fprintf(stderr, "\r%s %s %s: %3.0f%%", name, mode_name[mode], ovf ? "nonsat" : "sat",
              100.0 * (double)done * c->shard.n / (double)total);
  }
  fprintf(stderr, "\n");
  if (fast_flags != ref_flags) {
    printf("%s %s %s: kernel flags %u, reference flags %u\n", name, mode_name[mode],
           ovf ? "nonsat" : "sat", fast_flags, ref_flags);
    if (!bad)
      snprintf(row->first, sizeof row->first, "kernel flags %u, reference flags %u", fast_flags, ref_flags);
    bad++;
  }
  row->mismatches = bad;
  return bad;
}

static int usage(void)
{
  fprintf(stderr, "usage: exhaustive_cast [--all-modes] [--shard K/N] [--result FILE] [--sample-bits B] "
          "FORMAT...\n       exhaustive_cast --merge [--result FILE] FILE...\n");
  return 2;
}

int main(int argc, char **argv)
{
  enum { OPT_ALL = 256, OPT_SHARD, OPT_RESULT, OPT_MERGE, OPT_BITS };
  static const struct option opts[] = {
    {"all-modes", no_argument, NULL, OPT_ALL}, {"shard", required_argument, NULL, OPT_SHARD},
    {"result", required_argument, NULL, OPT_RESULT}, {"merge", no_argument, NULL, OPT_MERGE},
    {"sample-bits", required_argument, NULL, OPT_BITS}, {NULL, 0, NULL, 0}};
  int all = 0, merge = 0, nfmt = 0, o;
  const char *result = NULL;
  campaign c = {{0, 1}, 32};
  char err[256];
  long v;
  fp8_report_progname = "exhaustive_cast";
  setvbuf(stdout, NULL, _IOLBF, 0);   /* results appear as they come, also into a log */
  while ((o = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
    switch (o) {
    case OPT_ALL: all = 1; break;
    case OPT_MERGE: merge = 1; break;
    case OPT_RESULT: result = optarg; break;
    case OPT_SHARD:
      if (fp8_shard_parse(optarg, &c.shard, err, sizeof err)) {
        fprintf(stderr, "exhaustive_cast: --shard: %s\n", err);
        return 2;
      }
      break;
    case OPT_BITS:
      if (cli_parse_long(NULL, "--sample-bits", optarg, 1, 32, &v))
        return 2;
      c.bits = (int)v;
      break;
    default: return usage();
    }
  }
  if (merge)
    return optind < argc ? verify_merge(NULL, argv + optind, argc - optind, result, false) : usage();
  fp8_result res = {.tool = "exhaustive_cast", .shard = c.shard};
  unsigned long long bad = 0;
  for (int i = optind; i < argc; i++) {
    fp8_format f;
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
        char name[128];
        snprintf(name, sizeof name, "%s/%s/%s", argv[i], mode_name[m], ovf ? "nonsat" : "sat");
        fp8_result_row *row = fp8_result_add(&res, name);
        if (!row) {
          fprintf(stderr, "exhaustive_cast: out of memory\n");
          return 1;
        }
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        unsigned long long b = run(&f, r, (fp8_round_mode)m, (fp8_overflow_mode)ovf, argv[i], &c, row);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        row->seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
        row->first_shard = c.shard.k + 1;
        printf("%s %s %s: %s2^%d float32 inputs (%" PRIu64 " checked): %s\n", argv[i], mode_name[m],
               ovf ? "nonsat" : "sat", c.shard.n > 1 ? "a shard of the " : "all ", c.bits, row->checked,
               b ? "MISMATCH" : "fast = generic = reference");
        bad += b;
      }
    codec_ref_free(r);
  }
  if (!nfmt)
    return usage();
  snprintf(res.params, sizeof res.params, "modes=%s sample-bits=%d", all ? "all" : "rne", c.bits);
  for (int i = optind; i < argc; i++) {
    size_t n = strlen(res.params);
    snprintf(res.params + n, sizeof res.params - n, "%s%s", i == optind ? " formats=" : ",", argv[i]);
  }
  int rc = bad ? 1 : 0;
  if (result && verify_result_save(NULL, result, &res))
    rc = 1;
  fp8_result_free(&res);
  return rc;
}
