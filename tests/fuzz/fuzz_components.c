/* fuzz_components.c - the component table (--components FILE), read through
 * the same bounded loader as 'fp8lab gates'.  Invariant checked: a table that
 * loads has a finite, non-negative cost for every cell. */
#include <math.h>
#include <stdlib.h>

#include "fuzz.h"
#include "gates.h"

FUZZ_TARGET(components)
{
  const char *path = fuzz_file("components.tsv", data, size);
  fp8_gates_costs c;
  char err[600];
  if (fp8_gates_costs_load(path, &c, err, sizeof err) == 0) {
    for (int i = 0; i < FP8_CELL_COUNT; i++)
      if (!isfinite(c.cost[i]) || c.cost[i] < 0)
        abort();
    double ref;
    fp8_gates_reference_total(&c, &ref);
  }
  return 0;
}
