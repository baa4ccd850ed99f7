/* mac.c - exact products, accumulator specs, and the unit's set-up and state. */
#include "mac_internal.h"
#include "error.h"
#include "spell.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- accumulator specs ------------------------------------------------------ */

static int check_fp_acc(const fp8_format *f, const char *spell, char *err, size_t errlen)
{
  if (f->ebits == 0 || f->special != FP8_SPECIAL_IEEE || f->is_unsigned || f->nozero) {
    fp8_error_set(err, errlen, "accumulator '%s' is not an IEEE-style float (expected kulisch, fp16, bf16, "
            "fp32 or a signed eXmY with IEEE Inf/NaN)", spell);
    return -1;
  }
  if (!f->subnormals) {
    fp8_error_set(err, errlen, "accumulator '%s': no-subnormal accumulators are spelled with ':ftz' "
            "(e.g. fp16:ftz), not ':nosub'", spell);
    return -1;
  }
  return 0;
}

/* kulisch[:W] or an IEEE format spelling, then :ftz (FP only). */
enum { ACC_KULISCH = 1, ACC_FP = 2 };
static const fp8_spell_key acc_keys[] = {
  {"ftz", FP8_SPELL_FLAG, FP8_SPELL_FIELD(fp8_acc_spec, ftz), 1, 0, 0, 0, NULL, NULL, NULL, 0, ACC_FP,
   "floating-point accumulators only", NULL},
  {"width", FP8_SPELL_INT, FP8_SPELL_FIELD(fp8_acc_spec, width), 2, FP8_ACC_MAX_WIDTH, 0, 0, NULL, NULL, NULL,
   0, ACC_KULISCH, "kulisch only", "bits"},
};
static const fp8_spell_table acc_table = {"accumulator", ":", true, acc_keys,
                                          sizeof acc_keys / sizeof acc_keys[0], "width", NULL, NULL, 0};

static const fp8_preset acc_presets[] = {
  {"kulisch", "kulisch", "exact fixed-point register, FX + 12 bits by default (kulisch:W for W bits)",
   "U. Kulisch, Computer Arithmetic and Validity (2013); Kuzmin et al. (arXiv 2208.09225)"},
  {"fp16", "fp16", "IEEE binary16, one RNE rounding per step (fp16:ftz flushes subnormals)", "IEEE 754-2019"},
  {"bf16", "bf16", "bfloat16, one RNE rounding per step", "Google Brain bfloat16 (TPU, ml_dtypes)"},
  {"fp32", "fp32", "IEEE binary32, one RNE rounding per step", "IEEE 754-2019"},
};

const fp8_preset *fp8_acc_spec_presets(size_t *n)
{
  *n = sizeof acc_presets / sizeof acc_presets[0];
  return acc_presets;
}

int fp8_acc_spec_parse(const char *s, fp8_acc_spec *spec, char *err, size_t errlen)
{
  if (!s || !*s) {
    fp8_error_set(err, errlen, "empty accumulator (expected kulisch, kulisch:W, fp16, bf16, fp32 or eXmY)");
    return -1;
  }
  fp8_spell sp;
  if (fp8_spell_split(&acc_table, s, &sp, err, errlen))
    return -1;
  fp8_acc_spec a;
  memset(&a, 0, sizeof a);
  if (!strcmp(sp.base, "kulisch")) {
    a.kind = FP8_ACC_KULISCH;
    if (fp8_spell_apply(&acc_table, &sp, &a, ACC_KULISCH, sp.base, err, errlen))
      return -1;
    *spec = a;
    return 0;
  }
  a.kind = FP8_ACC_FP;
  char e2[320];
  if (!strncmp(sp.base, "kulisch", 7))
    return fp8_error_set(err, errlen, "bad accumulator '%.60s' (expected kulisch or kulisch:W with W = 2..%d "
                         "bits)", s, FP8_ACC_MAX_WIDTH);
  if (fp8_format_parse(sp.base, &a.fmt, e2, sizeof e2))
    return fp8_error_set(err, errlen, "unknown accumulator '%.60s' (expected kulisch, kulisch:W, fp16, bf16, "
                         "fp32, or an IEEE eXmY such as e6m9, optionally with :ftz): %s", s, e2);
  if (fp8_spell_apply(&acc_table, &sp, &a, ACC_FP, sp.base, err, errlen) ||
      check_fp_acc(&a.fmt, s, err, errlen))
    return -1;
  *spec = a;
  return 0;
}

void fp8_acc_spec_name(const fp8_acc_spec *spec, char *buf, size_t len)
{
  if (spec->kind == FP8_ACC_KULISCH) {
    if (spec->width)
      snprintf(buf, len, "kulisch:%d", spec->width);
    else
      snprintf(buf, len, "kulisch");
    return;
  }
  snprintf(buf, len, "%s%s", spec->fmt.name, spec->ftz ? ":ftz" : "");
}

size_t fp8_acc_spec_describe(const fp8_acc_spec *spec, char *buf, size_t len)
{
  char name[FP8_FORMAT_NAME_LEN + 8], fmt[FP8_FORMAT_NAME_LEN + 24] = "-";
  fp8_acc_spec_name(spec, name, sizeof name);
  if (spec->kind == FP8_ACC_FP)
    fp8_format_name(&spec->fmt, fmt, sizeof fmt);
  int n = snprintf(buf, len, "name=%s\nkind=%s\nwidth=%d\nformat=%s\nftz=%d\n", name,
                   spec->kind == FP8_ACC_KULISCH ? "kulisch" : "fp",
                   spec->kind == FP8_ACC_KULISCH ? spec->width : spec->fmt.bits, fmt, spec->ftz ? 1 : 0);
  return n < 0 ? 0 : (size_t)n;
}

/* ---- the unit ----------------------------------------------------------------- */

/* Fill one operand's tables.  Returns the bit length of its largest Kulisch
 * operand value (units of its LSB). */
static int fill_tables(const fp8_format *f, fp8_unpacked *u, int64_t *k, uint8_t *sp)
{
  uint32_t ncodes = fp8_format_ncodes_minus1(f) + 1;
  int lsb = fp8_facts_operand_lsb(f), maxbits = 0;
  for (uint32_t c = 0; c < ncodes; c++) {
    fp8_codec_unpack(f, c, &u[c]);
    sp[c] = u[c].cls == FP8_CLASS_INF ? MAC_OP_INF : u[c].cls == FP8_CLASS_NAN ? MAC_OP_NAN : 0;
    k[c] = 0;
    if (u[c].sig) {
      int sh = u[c].exp - lsb;
      int bits = 32 - __builtin_clz(u[c].sig) + sh;
      if (bits > maxbits)
        maxbits = bits;
      if (bits <= 62) {
        int64_t v = (int64_t)((uint64_t)u[c].sig << sh);
        k[c] = u[c].sign ? -v : v;
      }
    }
  }
  return maxbits;
}

static size_t table_bytes(const fp8_format *f)
{
  size_t n = (size_t)fp8_format_ncodes_minus1(f) + 1;
  return n * (sizeof(fp8_unpacked) + sizeof(int64_t) + 1);
}

static void *carve(char **p, size_t bytes)
{
  void *r = *p;
  *p += (bytes + 15) & ~(size_t)15;
  return r;
}


fp8_mac *fp8_mac_alloc(const fp8_format *fa, const fp8_format *fb, const fp8_acc_spec *acc,
                       char *err, size_t errlen)
{
  if (!fb)
    fb = fa;
  if (fp8_facts_check_inputs(fa, fb, err, errlen))
    return NULL;
  fp8_mac *m = calloc(1, sizeof *m);
  if (!m) {
    fp8_error_set(err, errlen, "out of memory");
    return NULL;
  }
  m->fa = *fa;
  m->fb = *fb;
  m->acc = *acc;
  m->fx = fp8_mac_product_bits(fa, fb);
  m->lsb = fp8_mac_product_lsb_exp(fa, fb);
  m->rc = (fp8_rounding){.mode = FP8_ROUND_RNE, .overflow = FP8_OVERFLOW_NONSAT};
  bool shared = fp8_facts_same_format(fa, fb);
  size_t bytes = table_bytes(fa) + (shared ? 0 : table_bytes(fb)) + 6 * 16;
  char *p = m->mem = malloc(bytes);
  if (!p) {
    fp8_error_set(err, errlen, "out of memory");
    free(m);
    return NULL;
  }
  size_t na = (size_t)fp8_format_ncodes_minus1(fa) + 1, nb = (size_t)fp8_format_ncodes_minus1(fb) + 1;
  m->ua = carve(&p, na * sizeof *m->ua);
  m->ka = carve(&p, na * sizeof *m->ka);
  m->spa = carve(&p, na);
  int bits_a = fill_tables(fa, m->ua, m->ka, m->spa), bits_b = bits_a;
  if (shared) {
    m->ub = m->ua;
    m->kb = m->ka;
    m->spb = m->spa;
  } else {
    m->ub = carve(&p, nb * sizeof *m->ub);
    m->kb = carve(&p, nb * sizeof *m->kb);
    m->spb = carve(&p, nb);
    bits_b = fill_tables(fb, m->ub, m->kb, m->spb);
  }

  if (acc->kind == FP8_ACC_FP) {
    if (check_fp_acc(&acc->fmt, acc->fmt.name, err, errlen))
      goto fail;
    m->kernel = MAC_FP;
    return m;
  }
  if (m->fx > FP8_MAC_PRODUCT_MAX_BITS || bits_a > 62 || bits_b > 62) {
    fp8_error_set(err, errlen, "%s x %s products need %d bits: too wide for a Kulisch accumulator "
            "(at most %d; use a floating-point accumulator)", fa->name, fb->name, m->fx,
            FP8_MAC_PRODUCT_MAX_BITS);
    goto fail;
  }
  if (m->acc.width == 0)
    m->acc.width = fp8_facts_kulisch_width(fa, fb) > FP8_MAC_KULISCH_MAX_BITS ? FP8_MAC_KULISCH_MAX_BITS
                                                                              : fp8_facts_kulisch_width(fa, fb);
  if (m->acc.width < m->fx || m->acc.width > FP8_MAC_KULISCH_MAX_BITS) {
    fp8_error_set(err, errlen, "Kulisch width %d out of range for %s x %s (expected %d..%d: at least the "
            "product's %d bits)", m->acc.width, fa->name, fb->name, m->fx, FP8_MAC_KULISCH_MAX_BITS, m->fx);
    goto fail;
  }
  /* |acc| <= 2^(W-1) and |p| <= 2^(FX-1): their exact sum fits the word. */
  if (m->acc.width <= 62 && m->fx <= 62)
    m->kernel = MAC_K64;
  else if (m->acc.width <= 126)
    m->kernel = MAC_K128;
  else
    m->kernel = MAC_KWORDS;
  return m;
fail:
  fp8_mac_free(m);
  return NULL;
}

void fp8_mac_free(fp8_mac *m)
{
  if (!m)
    return;
  free(m->mem);
  free(m);
}

const fp8_format *fp8_mac_format_a(const fp8_mac *m) { return &m->fa; }
const fp8_format *fp8_mac_format_b(const fp8_mac *m) { return &m->fb; }
const fp8_acc_spec *fp8_mac_acc(const fp8_mac *m) { return &m->acc; }
int fp8_mac_width(const fp8_mac *m) { return m->kernel == MAC_FP ? m->acc.fmt.bits : m->acc.width; }
int fp8_mac_lsb_exp(const fp8_mac *m) { return m->kernel == MAC_FP ? 0 : m->lsb; }

void fp8_mac_clear(fp8_mac *m)
{
  memset(&m->st, 0, sizeof m->st);
}

void fp8_mac_get_state(const fp8_mac *m, fp8_mac_state *s)
{
  *s = m->st;
}

int fp8_mac_set_state(fp8_mac *m, const fp8_mac_state *s, char *err, size_t errlen)
{
  int w = fp8_mac_width(m);
  for (int i = 0; i < FP8_MAC_WORDS; i++) {
    uint64_t above = w >= 64 * (i + 1) ? 0 : w <= 64 * i ? ~0ull : ~0ull << (w - 64 * i);
    if (s->acc[i] & above) {
      fp8_error_set(err, errlen, "state word %d = 0x%016llx has bits at or above the width %d", i,
              (unsigned long long)s->acc[i], w);
      return -1;
    }
  }
  unsigned allowed = m->kernel == MAC_FP ? MAC_FP_FLAGS : MAC_KULISCH_FLAGS;
  if (s->flags & ~allowed) {
    fp8_error_set(err, errlen, "flags 0x%x include bits this accumulator does not have (allowed 0x%x)",
            s->flags, allowed);
    return -1;
  }
  unsigned infs = FP8_MAC_PINF | FP8_MAC_NINF;
  if ((s->flags & infs) == infs && !(s->flags & FP8_MAC_NAN)) {
    fp8_error_set(err, errlen, "flags 0x%x hold +Inf and -Inf without NaN, a state no unit reaches "
                  "(both infinities make the sum NaN: expected 0x%x)", s->flags, s->flags | FP8_MAC_NAN);
    return -1;
  }
  m->st = *s;
  return 0;
}

unsigned fp8_mac_special_flags(unsigned flags, const fp8_product *p)
{
  /* the sticky flags are the sum's special state: what the chain has seen */
  fp8_special_sum s = {flags & FP8_MAC_NAN, flags & FP8_MAC_PINF, flags & FP8_MAC_NINF};
  if (p)
    fp8_facts_sum_term(&s, p->cls, p->sign);
  int sign, invalid;
  if (fp8_facts_sum_class(&s, &sign, &invalid) == FP8_CLASS_NAN)
    flags |= FP8_MAC_NAN;
  return flags | (s.pinf ? FP8_MAC_PINF : 0) | (s.ninf ? FP8_MAC_NINF : 0);
}
