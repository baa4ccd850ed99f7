/* fuzz_format.c - the format grammar (fp8_format_parse: --to, --format, ...).
 * Invariant checked: every format it accepts decodes each code (up to 2^12
 * of them) to a value that encodes back to a code of the same value. */
#include <math.h>
#include <stdlib.h>

#include "codec.h"
#include "format.h"
#include "fuzz.h"

FUZZ_TARGET(format)
{
  char *spec = fuzz_cstring(data, size);
  fp8_format f;
  char err[256];
  if (fp8_format_parse(spec, &f, err, sizeof err) == 0) {
    uint32_t n = f.bits > 12 ? 1u << 12 : 1u << f.bits;
    for (uint32_t c = 0; c < n; c++) {
      double v = fp8_codec_decode(&f, c);
      if (isnan(v))
        continue;
      unsigned fl = 0;
      uint32_t back = fp8_codec_encode(&f, v, &fp8_rounding_default, &fl);
      if (fp8_codec_decode(&f, back) != v)
        abort();                                /* a value of the format is not its own */
    }
  }
  free(spec);
  return 0;
}
