/* fuzz_unit.c - the unit grammar (fp8_dot_spec_parse: --acc of accumulate,
 * gates, gemm, window).  Invariants checked: a spelling with a control byte
 * or longer than FP8_SPELL_MAX_LEN is refused; a refusal has a message; an
 * accepted unit's canonical name parses back to the same name (the name is
 * a spelling), and its description is whole. */
#include <stdlib.h>
#include <string.h>

#include "dot.h"
#include "fuzz.h"
#include "spell.h"

FUZZ_TARGET(unit)
{
  char *s = fuzz_cstring(data, size);
  fp8_dot_spec u, v;
  char err[512] = "", name[512], again[512], desc[1024];
  bool clean = fp8_spell_check(s, strlen(s), "unit", NULL, 0) == 0;
  if (fp8_dot_spec_parse(s, &u, err, sizeof err) == 0) {
    if (!clean)
      abort();                                  /* a control byte or an overlong spelling got in */
    fp8_dot_spec_name(&u, name, sizeof name);
    if (fp8_dot_spec_parse(name, &v, err, sizeof err))
      abort();                                  /* the canonical name is not a spelling */
    fp8_dot_spec_name(&v, again, sizeof again);
    if (strcmp(name, again))
      abort();
    size_t n = fp8_dot_spec_describe(&u, desc, sizeof desc);
    if (n >= sizeof desc || strlen(desc) != n)
      abort();
  } else if (!err[0]) {
    abort();                                    /* a refusal without a message */
  }
  free(s);
  return 0;
}
