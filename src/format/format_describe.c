/* format_describe.c - the descriptor as key=value text (format_describe.h). */
#include "format_describe.h"

#include <stdarg.h>
#include <stdio.h>

typedef struct out {
  char *buf;
  size_t len, need;
} out;

static void put(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(out *o, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  size_t room = o->need < o->len ? o->len - o->need : 0;
  int k = vsnprintf(room ? o->buf + o->need : NULL, room, fmt, ap);
  va_end(ap);
  if (k > 0)
    o->need += (size_t)k;
}

size_t fp8_format_describe(const fp8_format *f, char *buf, size_t len)
{
  out o = {buf, len, 0};
  if (buf && len)
    buf[0] = 0;
  char canon[FP8_FORMAT_NAME_LEN + 24];
  fp8_format_name(f, canon, sizeof canon);
  bool isint = f->ebits == 0;
  put(&o, "name=%s\ncanonical=%s\n", f->name, canon);
  put(&o, "bits=%d\nebits=%d\nmbits=%d\nbias=%d\n", f->bits, f->ebits, f->mbits, f->bias);
  put(&o, "special=%s\nintenc=%s\nsubnormals=%d\n", isint ? "-" : fp8_special_name(f->special),
      !isint ? "-" : f->intenc == FP8_INT_SIGNMAG ? "signmag" : "twos", f->subnormals ? 1 : 0);
  put(&o, "has_inf=%d\nhas_nan=%d\nhas_negzero=%d\n", fp8_format_has_inf(f),
      fp8_format_has_nan(f), fp8_format_has_negzero(f));
  put(&o, "emin=%d\nemax=%d\n", fp8_format_emin(f), fp8_format_emax(f));
  put(&o, "max=%.17g\nmin_normal=%.17g\nmin_subnormal=%.17g\n", fp8_format_max(f),
      fp8_format_min_normal(f), fp8_format_min_subnormal(f));
  put(&o, "max_code=%lu\nnan_code=%ld\ninf_code=%ld\n", (unsigned long)fp8_format_max_code(f),
      fp8_format_has_nan(f) ? (long)fp8_format_nan_code(f, 0) : -1L,
      fp8_format_has_inf(f) ? (long)fp8_format_inf_code(f, 0) : -1L);
  put(&o, "finite_values=%llu\nproduct_bits=%d\nkulisch_bits=%d\n",
      (unsigned long long)fp8_format_finite_values(f), fp8_format_product_bits(f),
      fp8_format_kulisch_bits(f));
  return o.need;
}

size_t fp8_format_sizeof(void)
{
  return sizeof(fp8_format);
}
