/* bench_cast.c - float32 -> code throughput on one core, rne/sat:
 * the fast kernel vs the generic path vs the brute-force reference, for
 * float8_e4m3fn and fp8-e4 (plus fp16 and int8 for context).
 *
 * Usage: bench_cast [SECONDS_PER_MEASUREMENT]   (default 0.5)
 * Times are thread CPU time, so other load on the machine affects them less;
 * every path's codes are compared, so a fast wrong kernel cannot look good.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_inputs.h"
#include "codec.h"
#include "codec_ref.h"

#define N (1u << 20)

static double cpu_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

typedef enum { FAST, GENERIC, REF, NPATHS } path;

/* Output of one path: bytes for formats of <= 8 bits, 16-bit words above. */
typedef struct codes { uint8_t *u8; uint16_t *u16; } codes;

static void run(path p, const fp8_format *f, const codec_ref *r, const float *in, codes o, size_t n)
{
  bool narrow = f->bits <= 8;
  switch (p) {
  case FAST:
    if (narrow)
      fp8_codec_encode_f32_u8(f, in, o.u8, n, NULL, NULL);
    else
      fp8_codec_encode_f32_u16(f, in, o.u16, n, NULL, NULL);
    break;
  case GENERIC:
    if (narrow)
      fp8_codec_encode_f32_u8_generic(f, in, o.u8, n, NULL, NULL);
    else
      fp8_codec_encode_f32_u16_generic(f, in, o.u16, n, NULL, NULL);
    break;
  default:
    for (size_t i = 0; i < n; i++) {
      uint32_t c = codec_ref_encode(r, in[i], FP8_ROUND_RNE, FP8_OVERFLOW_SAT, NULL);
      if (narrow)
        o.u8[i] = (uint8_t)c;
      else
        o.u16[i] = (uint16_t)c;
    }
    break;
  }
}

/* Values per second of one path, repeating its slice for at least secs. */
static double measure(path p, const fp8_format *f, const codec_ref *r, const float *in,
                      codes o, size_t n, double secs)
{
  double t0 = cpu_now(), t;
  size_t done = 0;
  do {
    run(p, f, r, in, o, n);
    done += n;
    t = cpu_now() - t0;
  } while (t < secs);
  return done / t;
}

int main(int argc, char **argv)
{
  double secs = argc > 1 ? atof(argv[1]) : 0.5;
  if (!(secs > 0)) {
    fprintf(stderr, "usage: bench_cast [SECONDS_PER_MEASUREMENT > 0]\n");
    return 2;
  }
  static const char *const names[] = {"float8_e4m3fn", "fp8-e4", "float8_e5m2", "int8", "fp16", "bf16"};
  float *in = malloc(N * sizeof *in);
  codes o[NPATHS];
  for (int p = 0; p < NPATHS; p++) {
    o[p].u8 = malloc(N);
    o[p].u16 = malloc(N * sizeof *o[p].u16);
    if (!o[p].u8 || !o[p].u16)
      return 1;
  }
  if (!in)
    return 1;
  bench_fill_weights(in, N);
  printf("float32 -> code, rne/sat, one core (thread CPU time), %u values per pass\n", N);
  printf("%-14s %12s %12s %12s %10s %10s\n", "format", "fast Mv/s", "generic Mv/s", "ref Mv/s",
         "fast/gen", "fast/ref");
  int rc = 0;
  for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
    fp8_format f;
    if (fp8_format_parse(names[k], &f, NULL, 0))
      return 1;
    codec_ref *r = codec_ref_alloc(&f);
    if (!r)
      return 1;
    double v[NPATHS];
    size_t len[NPATHS] = {N, N, N / 16};    /* the reference is slow: a slice suffices */
    for (int p = 0; p < NPATHS; p++)
      v[p] = measure((path)p, &f, r, in, o[p], len[p], secs);
    bool narrow = f.bits <= 8;
    for (size_t i = 0; i < N; i++) {
      uint32_t c[NPATHS];
      for (int p = 0; p < NPATHS; p++)
        c[p] = narrow ? o[p].u8[i] : o[p].u16[i];
      if (c[FAST] != c[GENERIC] || (i < len[REF] && c[FAST] != c[REF])) {
        fprintf(stderr, "%s: x = %a: fast 0x%x, generic 0x%x, reference 0x%x\n", names[k],
                in[i], c[FAST], c[GENERIC], c[REF]);
        rc = 1;
        break;
      }
    }
    printf("%-14s %12.1f %12.1f %12.1f %9.1fx %9.1fx\n", names[k], v[FAST] / 1e6, v[GENERIC] / 1e6,
           v[REF] / 1e6, v[FAST] / v[GENERIC], v[FAST] / v[REF]);
    codec_ref_free(r);
  }
  free(in);
  for (int p = 0; p < NPATHS; p++) {
    free(o[p].u8);
    free(o[p].u16);
  }
  return rc;
}
