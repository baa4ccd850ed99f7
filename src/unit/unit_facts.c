/* unit_facts.c - the numerics facts the units share (unit_facts.h). */
#include "unit_facts.h"
#include "error.h"

#include <math.h>

fp8_class fp8_facts_product_class(const fp8_class *cls, int nf, int *invalid)
{
  bool nan = false, inf = false, zero = false;
  for (int i = 0; i < nf; i++) {
    nan |= cls[i] == FP8_CLASS_NAN;
    inf |= cls[i] == FP8_CLASS_INF;
    zero |= cls[i] == FP8_CLASS_ZERO;
  }
  *invalid = !nan && inf && zero;
  if (nan || (inf && zero))
    return FP8_CLASS_NAN;
  if (inf)
    return FP8_CLASS_INF;
  return zero ? FP8_CLASS_ZERO : FP8_CLASS_NORMAL;
}

fp8_class fp8_facts_sum_class(const fp8_special_sum *s, int *sign, int *invalid)
{
  *invalid = !s->nan && s->pinf && s->ninf;
  *sign = 0;
  if (s->nan || (s->pinf && s->ninf))
    return FP8_CLASS_NAN;
  if (s->pinf || s->ninf) {
    *sign = s->ninf;
    return FP8_CLASS_INF;
  }
  return FP8_CLASS_NORMAL;
}

int fp8_facts_ceil_log2(double x)
{
  int e = 0;
  while (ldexp(1.0, e) < x)
    e++;
  return e;
}

int fp8_facts_check_inputs(const fp8_format *fa, const fp8_format *fb, char *err, size_t errlen)
{
  if (fa->bits > 16 || fb->bits > 16)
    return fp8_error_set(err, errlen, "input format %s has %d bits (expected a storage format of at most 16 bits)",
                         fa->bits > 16 ? fa->name : fb->name, fa->bits > 16 ? fa->bits : fb->bits);
  return 0;
}

void fp8_mac_product(const fp8_format *fa, uint32_t a, const fp8_format *fb, uint32_t b,
                     fp8_product *p)
{
  fp8_unpacked x, y;
  fp8_codec_unpack(fa, a, &x);
  fp8_codec_unpack(fb, b, &y);
  const fp8_class cls[2] = {x.cls, y.cls};
  p->sign = x.sign ^ y.sign;
  p->cls = fp8_facts_product_class(cls, 2, &p->invalid);
  p->sig = 0;
  p->exp = 0;
  if (p->cls == FP8_CLASS_NORMAL) {
    p->sig = (uint64_t)x.sig * y.sig;
    p->exp = x.exp + y.exp;
  }
}

/* Weight exponent of one operand's LSB: emin - M for floats, 0 for integers. */
int fp8_facts_operand_lsb(const fp8_format *f)
{
  return f->ebits ? fp8_format_emin(f) - f->mbits : 0;
}

int fp8_mac_product_lsb_exp(const fp8_format *fa, const fp8_format *fb)
{
  return fp8_facts_operand_lsb(fa) + fp8_facts_operand_lsb(fb);
}

/* Largest magnitude of a finite code, in units of the operand LSB, as a bit
 * length (the value itself when it fits 63 bits, else 0 with *bits set). */
static uint64_t operand_max_units(const fp8_format *f, int *bits)
{
  if (f->ebits == 0) {
    uint64_t v = fp8_format_max_code(f) + (f->intenc == FP8_INT_TWOS); /* -2^M */
    *bits = 64 - __builtin_clzll(v);
    return v;
  }
  fp8_unpacked u;
  fp8_codec_unpack(f, fp8_format_max_code(f), &u);
  int sh = u.exp - fp8_facts_operand_lsb(f);
  *bits = 32 - __builtin_clz(u.sig) + sh;
  return *bits <= 63 ? (uint64_t)u.sig << sh : 0;
}

bool fp8_facts_same_format(const fp8_format *x, const fp8_format *y)
{
  return x->bits == y->bits && x->ebits == y->ebits && x->mbits == y->mbits &&
         x->bias == y->bias && x->special == y->special && x->intenc == y->intenc &&
         x->subnormals == y->subnormals && x->is_unsigned == y->is_unsigned && x->nozero == y->nozero;
}

int fp8_mac_product_bits(const fp8_format *fa, const fp8_format *fb)
{
  if (fp8_facts_same_format(fa, fb))
    return fp8_format_product_bits(fa);
  int ba, bb;
  uint64_t ma = operand_max_units(fa, &ba), mb = operand_max_units(fb, &bb);
  if (ba + bb > 126)
    return ba + bb + 1;      /* too wide for a Kulisch unit either way */
  unsigned __int128 p = (unsigned __int128)ma * mb;
  int len = 0;
  while (p) {
    len++;
    p >>= 1;
  }
  return len + 1;
}

int fp8_facts_kulisch_width(const fp8_format *fa, const fp8_format *fb)
{
  return fp8_mac_product_bits(fa, fb) + FP8_KULISCH_GUARD_BITS;
}

int fp8_facts_exact_window(const fp8_format *in)
{
  return 2 * (fp8_format_emax(in) - fp8_format_emin(in)) + 2 * in->mbits;
}
