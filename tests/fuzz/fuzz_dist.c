/* fuzz_dist.c - distribution specs as --dist takes them: a comma list
 * (cli_split_list) of items for fp8_dist_parse.  Invariant checked: every
 * distribution accepted has a finite positive sigma and finite moments. */
#include <math.h>
#include <stdlib.h>

#include "cli.h"
#include "dist.h"
#include "fuzz.h"

FUZZ_TARGET(dist)
{
  static FILE *null;
  if (!null && !(null = fopen("/dev/null", "w")))
    abort();
  FILE *err_stream = stderr;
  stderr = null;                   /* cli_split_list's usage messages */
  char *s = fuzz_cstring(data, size);
  char items[8][CLI_ITEM_LEN];
  size_t n;
  if (cli_split_list("fuzz", "--dist", s, true, items, 8, &n) == 0) {
    for (size_t i = 0; i < n; i++) {
      fp8_dist d;
      char err[256];
      if (fp8_dist_parse(items[i], &d, err, sizeof err))
        continue;
      double m[3], up = fp8_dist_upper(&d);
      if (!(isfinite(d.sigma) && d.sigma > 0))
        abort();
      fp8_dist_moments(&d, -fmin(up, 1e3), fmin(up, 1e3), m);
      if (!isfinite(m[0]) || !isfinite(m[1]) || !isfinite(m[2]))
        abort();
    }
  }
  stderr = err_stream;
  free(s);
  return 0;
}
