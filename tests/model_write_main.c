/* model_write_main.c - `model_write DIR`: the test models of tests/tensors.sh
 * (the valid ones with known contents and the hostile ones), written into DIR.
 * The layers of layers.npz come from GSL's generators with a fixed seed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "model_write.h"

#define at mw_path

/* layers.npz: 'uniform' 64x64 evenly spaced in (-1, 1); 'gauss' 128x64 N(0,1);
 * 'heavy' 128x64 Student-t nu=2.5; 'bias' 64 values (below the default --min-size). */
static int layers(const char *dir)
{
  enum { N = 4096, M = 8192 };
  static float u[N], g[M], h[M], b[64];
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 15);
  for (int i = 0; i < N; i++)
    u[i] = (float)(-1.0 + (2.0 * i + 1.0) / N);
  for (int i = 0; i < M; i++)
    g[i] = (float)gsl_ran_gaussian(r, 1.0);
  for (int i = 0; i < M; i++)
    h[i] = (float)gsl_ran_tdist(r, 2.5);
  for (int i = 0; i < 64; i++)
    b[i] = (float)gsl_ran_gaussian(r, 0.1);
  gsl_rng_free(r);
  size_t len[4];
  uint8_t *d[4] = {mw_npy_bytes("<f4", "(64, 64)", u, sizeof u, &len[0]),
                   mw_npy_bytes("<f4", "(128, 64)", g, sizeof g, &len[1]),
                   mw_npy_bytes("<f4", "(128, 64)", h, sizeof h, &len[2]),
                   mw_npy_bytes("<f4", "(64,)", b, sizeof b, &len[3])};
  const char *names[4] = {"uniform.npy", "gauss.npy", "heavy.npy", "bias.npy"};
  int defl[4] = {1, 0, 1, 0};
  int rc = mw_zip(at(dir, "layers.npz"), 4, names, (const uint8_t *const *)d, len, defl);
  for (int i = 0; i < 4; i++)
    free(d[i]);
  return rc;
}

int main(int argc, char **argv)
{
  if (argc != 2) {
    fprintf(stderr, "usage: model_write DIR\n");
    return 2;
  }
  return mw_write_valid(argv[1]) || mw_write_hostile(argv[1]) || layers(argv[1]) ? 1 : 0;
}
