/* fuzz_block.c - the block-format grammar (fp8_block_parse: --to of cast,
 * --block of accuracy, ...).  Invariants checked: a spelling with a control
 * byte or longer than FP8_SPELL_MAX_LEN is refused; a refusal has a message;
 * an accepted format's canonical name parses back to the same fields (the
 * same name again), and one block of values survives a quantization. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "block.h"
#include "fuzz.h"
#include "spell.h"

FUZZ_TARGET(block)
{
  char *s = fuzz_cstring(data, size);
  fp8_block_format b, c;
  char err[512] = "", name[512], again[512];
  bool clean = fp8_spell_check(s, strlen(s), "block format", NULL, 0) == 0;
  if (fp8_block_parse(s, &b, err, sizeof err) == 0) {
    if (!clean)
      abort();                                  /* a control byte or an overlong spelling got in */
    fp8_block_name(&b, name, sizeof name);
    if (fp8_block_parse(name, &c, err, sizeof err))
      abort();                                  /* the canonical name is not a spelling */
    fp8_block_name(&c, again, sizeof again);
    if (strcmp(name, again) || b.block != c.block || b.rule != c.rule || b.tensor != c.tensor ||
        b.shift != c.shift)
      abort();
    double x[8] = {1, -0.5, 3.25, 0, 1e-3, -7, 0.125, 2}, y[8];
    size_t len = b.block < 8 ? (size_t)b.block : 8;
    fp8_block_quant_rows(&b, fp8_block_tensor_scale(&b, 7), x, y, 1, len, NULL, NULL);
    for (size_t i = 0; i < len; i++)
      if (isnan(y[i]))
        abort();                                /* finite input, a finite scale: no NaN */
  } else if (!err[0]) {
    abort();                                    /* a refusal without a message */
  }
  free(s);
  return 0;
}
