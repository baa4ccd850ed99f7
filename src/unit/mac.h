/* mac.h - the golden MAC model (doc/DESIGN.md section 3): acc <- acc + a*b.
 * This is the N = 1, exact-alignment case of the dot-product unit (dot.h),
 * which runs these kernels for it; dot.h generalizes to N products per step,
 * alignment windows, accumulator formats and promotion.
 *
 * This header is the contract the RTL is judged against: every rule below is
 * what the Verilog must reproduce bit for bit, state and flags, after every
 * step.  No GSL, no printing.
 *
 * ---- Operands -------------------------------------------------------------
 * a is a code of format A, b a code of format B (B = A unless mixed).  Both
 * are storage formats of at most 16 bits, decoded exactly by fp8_codec_unpack
 * (so a format's own subnormals are real values, and with :nosub its e == 0
 * codes are zeros).  Bits of a code above the format's width are ignored.
 *
 * ---- The exact product (fp8_mac_product) ----------------------------------
 * Its class, value, width FX and LSB exponent L: unit_facts.h, the facts
 * every unit shares.
 *
 * ---- Kulisch (fixed-point) accumulator -------------------------------------
 * State: acc, a W-bit two's complement integer whose LSB weighs 2^L, stored
 * in fp8_mac_state.acc[] as little-endian 64-bit words (word 0 holds bits
 * 0..63); bits at and above W are always zero.  W defaults to FX + 12 (49 for
 * fp8-e4, 28 for int8, 27 for int8-sm, 79 for fp8-e5, 77 for float8_e5m2);
 * any FX <= W <= FP8_MAC_KULISCH_MAX_BITS may be chosen.  Sticky flags:
 *   FP8_MAC_WRAP  a step's exact sum acc + p left [-2^(W-1), 2^(W-1) - 1]
 *                 (= signed overflow of the W-bit adder); acc keeps the sum
 *                 modulo 2^W (it wraps);
 *   FP8_MAC_PINF  a +Inf product was seen;  FP8_MAC_NINF  a -Inf product;
 *   FP8_MAC_NAN   a NaN product was seen (NaN operand or 0 x Inf), or PINF
 *                 and NINF are both set (set in the step that sets the second).
 * A step with a NaN or Inf product leaves acc unchanged and only sets flags;
 * a zero product changes nothing.  So acc is always the wrapped sum of the
 * finite products.  The value read out is NaN if FP8_MAC_NAN, else +Inf if
 * PINF, else -Inf if NINF, else acc * 2^L.
 *
 * ---- Floating-point accumulator -------------------------------------------
 * Format F: any IEEE-style fp8_format (special == FP8_SPECIAL_IEEE, with
 * subnormals) of at most 32 bits and at most 24 bits of precision: fp16 =
 * e5m10, bf16 = e8m7, fp32 = e8m23, or any eXmY.  State: acc[0] = the code of
 * acc in F (acc[1..3] = 0).  A step computes acc <- round(acc + p), ONE
 * rounding of the exact sum (fused), round to nearest even, overflow to Inf
 * (fp8_round_pack with FP8_ROUND_RNE, FP8_OVERFLOW_NONSAT).  In order:
 *   1. acc is NaN, or p is NaN            -> canonical NaN of F: the positive
 *      quiet NaN fp8_format_nan_code(F, 0) (0x7e00 fp16, 0x7fc0 bf16,
 *      0x7fc00000 fp32).  INVALID is set whenever p is 0 x Inf (whatever acc
 *      is; IEEE 754 leaves it open for a quiet-NaN addend, and x86 FMA does
 *      not signal there), never for a NaN operand (all NaN codes are quiet).
 *   2. p is Inf: acc Inf of the other sign -> canonical NaN, INVALID (Inf-Inf);
 *      otherwise                          -> Inf with p's sign.
 *   3. acc is Inf (p finite)              -> acc unchanged.
 *   4. ftz only: a subnormal acc is read as a zero of its own sign.
 *   5. p is zero: acc zero -> -0 if both are -0, else +0; else acc unchanged.
 *   6. acc zero (p finite nonzero)        -> round(p).
 *   7. the exact sum s = acc + p: s == 0 -> +0 (x + (-x) = +0 under RNE);
 *      else round(s).
 *   round(x), ftz off: fp8_round_pack(F, sign, ...) with IEEE subnormals.
 *   round(x), ftz on: if |x| < 2^emin(F) (tiny BEFORE rounding: the exact
 *      value is below the smallest normal), the result is a zero with the sign
 *      of x and the flags INEXACT | UNDERFLOW; otherwise fp8_round_pack (the
 *      result is then normal or Inf: never subnormal).  So with ftz the state
 *      never holds a subnormal unless fp8_mac_set_state put one there.
 * Sticky flags (ORed over steps, cleared only by clear / set_state):
 *   FP8_MAC_INEXACT   a rounding discarded nonzero bits (or ftz flushed a
 *                     nonzero value);
 *   FP8_MAC_UNDERFLOW ftz off: a rounded result is zero or subnormal and
 *                     inexact (tininess after rounding, in F's own range, as
 *                     fp8_round_pack reports it); ftz on: a flush;
 *   FP8_MAC_OVERFLOW  a finite exact sum rounded to Inf;
 *   FP8_MAC_INVALID   0 x Inf, or Inf - Inf.
 * These equal FP8_FLAG_INEXACT, _UNDERFLOW, _OVERFLOW, _INVALID of codec.h.
 *
 * ---- Clear / reset ---------------------------------------------------------
 * fp8_mac_clear (and a freshly allocated unit): acc = all words 0 (Kulisch 0;
 * FP +0.0, code 0) and flags = 0.  The RTL's reset and its clear input give
 * the same state.
 *
 * ---- Control protocol (the RTL's ports; fp8_mac_cycle is its model) ---------
 * A unit is one register holding (acc, flags), with the inputs rst_ni
 * (active low), clear_i, load_i with load_acc_i / load_flags_i, en_i, a_i,
 * b_i, and the outputs acc_o / flags_o (the register itself).
 *   Reset is asynchronous: while rst_ni is low the state is the cleared state
 *     (acc 0 AND flags 0), at once, with or without a clock edge, whatever
 *     the other inputs say.
 *   At a rising clock edge with rst_ni high, exactly one action, by priority
 *     clear > load > en > hold:
 *       clear_i          -> the cleared state;
 *       else load_i      -> (load_acc_i, load_flags_i), as fp8_mac_set_state;
 *       else en_i        -> one fp8_mac_step(a_i, b_i);
 *       else             -> hold: the state does not change, whatever a_i,
 *                           b_i, load_acc_i and load_flags_i do.
 *   Latency: the result of an edge is visible on the outputs right after that
 *     edge and not before; changing the inputs between edges changes nothing
 *     that can be read (no path from inputs to outputs but the register).
 * Back-to-back actions need no idle cycle between them.  On the RTL, Kulisch
 * flags travel as fp8_mac_state.flags >> 4 (4 bits).
 *
 * ---- Errors -----------------------------------------------------------------
 * Functions that can fail return 0 / NULL on success / failure as documented
 * and write a message naming the bad value and what was expected into err.
 */
#ifndef FP8_MAC_H
#define FP8_MAC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "format.h"
#include "unit_facts.h"

#define FP8_MAC_WORDS (FP8_MAC_KULISCH_MAX_BITS / 64)
/* Widest Kulisch a spec may name (the gate model counts any; the golden model
 * simulates up to FP8_MAC_KULISCH_MAX_BITS and says so at fp8_mac_alloc). */
#define FP8_ACC_MAX_WIDTH 4096
/* FP8_MAC_KULISCH_MAX_BITS and FP8_MAC_PRODUCT_MAX_BITS (the largest exact
 * product a Kulisch unit takes: its value must fit __int128): unit_facts.h. */

/* Sticky flags.  The FP ones equal codec.h's FP8_FLAG_* values. */
enum {
  FP8_MAC_INEXACT   = FP8_FLAG_INEXACT,    /* FP  */
  FP8_MAC_UNDERFLOW = FP8_FLAG_UNDERFLOW,  /* FP  */
  FP8_MAC_OVERFLOW  = FP8_FLAG_OVERFLOW,   /* FP  */
  FP8_MAC_INVALID   = FP8_FLAG_INVALID,    /* FP  */
  FP8_MAC_WRAP      = 1u << 4,             /* Kulisch */
  FP8_MAC_NAN       = 1u << 5,             /* Kulisch */
  FP8_MAC_PINF      = 1u << 6,             /* Kulisch */
  FP8_MAC_NINF      = 1u << 7              /* Kulisch */
};

typedef enum fp8_acc_kind { FP8_ACC_KULISCH, FP8_ACC_FP } fp8_acc_kind;

/* What accumulates.  Kulisch: width (0 = FX + 12).  FP: fmt and ftz.
 * The one accumulator type of fp8lab: the golden model, the RTL tops and the
 * gate counts (gates.h) all take it. */
typedef struct fp8_acc_spec {
  fp8_acc_kind kind;
  int width;
  fp8_format fmt;
  bool ftz;
} fp8_acc_spec;

/* Parse "kulisch", "kulisch:W" (W bits; also kulisch:width=W), "fp16",
 * "bf16", "fp32", any IEEE eXmY spelling, each optionally followed by ":ftz"
 * (FP only), in the grammar of spell.h (kulisch:ftz and fp16:27 contradict
 * their base).  Returns 0, or -1 with a message in err. */
int fp8_acc_spec_parse(const char *s, fp8_acc_spec *spec, char *err, size_t errlen);
/* A short name: "kulisch" / "kulisch:W" / "fp16" / "e6m9:ieee" (+ ":ftz"). */
void fp8_acc_spec_name(const fp8_acc_spec *spec, char *buf, size_t len);
/* "key=value\n" lines (snprintf semantics; returns the length needed): name
 * kind (kulisch|fp) width (W, 0 = FX + 12; FP: the format's bits) format
 * (canonical; - for Kulisch) ftz (0/1). */
size_t fp8_acc_spec_describe(const fp8_acc_spec *spec, char *buf, size_t len);
/* The presets (*n of them): kulisch, fp16, bf16, fp32, with note and source. */
const fp8_preset *fp8_acc_spec_presets(size_t *n);

/* The observable state after any step (see the contract above). */
typedef struct fp8_mac_state {
  uint64_t acc[FP8_MAC_WORDS];
  unsigned flags;
} fp8_mac_state;

/* An exact product (class as above; sig == 0 unless finite nonzero). */
/* fp8_product, fp8_mac_product, fp8_mac_product_bits, fp8_mac_product_lsb_exp:
 * unit_facts.h. */

/* Kulisch flags after a NaN or Inf product p (sets NAN when +Inf and -Inf
 * meet, unit_facts.h's sum rule): the flags every Kulisch unit keeps.  p
 * NULL applies the rule to the flags alone (a loaded state, fp8_dot_step). */
unsigned fp8_mac_special_flags(unsigned flags, const fp8_product *p);

/* The unit: formats, accumulator, state, and precomputed operand tables. */
typedef struct fp8_mac fp8_mac;

/* fb == NULL means fb = fa.  Fails (NULL + err) for inputs wider than 16 bits,
 * a Kulisch width outside FX..256 or FX > FP8_MAC_PRODUCT_MAX_BITS, a
 * non-IEEE or :nosub FP accumulator (use ftz), or out of memory. */
fp8_mac *fp8_mac_alloc(const fp8_format *fa, const fp8_format *fb, const fp8_acc_spec *acc,
                       char *err, size_t errlen);
void fp8_mac_free(fp8_mac *m);

const fp8_format *fp8_mac_format_a(const fp8_mac *m);
const fp8_format *fp8_mac_format_b(const fp8_mac *m);
const fp8_acc_spec *fp8_mac_acc(const fp8_mac *m); /* width filled in for Kulisch */
int fp8_mac_width(const fp8_mac *m);       /* Kulisch W; FP: F's bits */
int fp8_mac_lsb_exp(const fp8_mac *m);     /* Kulisch: L; FP: 0 */

void fp8_mac_clear(fp8_mac *m);
void fp8_mac_step(fp8_mac *m, uint32_t a, uint32_t b);
/* n steps with a[i], b[i]; same result as n calls of fp8_mac_step.  _u8 for
 * input formats of at most 8 bits, _u16 for any. */
void fp8_mac_batch_u8(fp8_mac *m, const uint8_t *a, const uint8_t *b, size_t n);
void fp8_mac_batch_u16(fp8_mac *m, const uint16_t *a, const uint16_t *b, size_t n);

/* One clock cycle of the control protocol above (rst = rst_ni low). */
typedef struct fp8_mac_ctrl {
  bool rst, clear, load, en;
  fp8_mac_state load_state;   /* load_acc_i / load_flags_i */
  uint32_t a, b;              /* a_i, b_i */
} fp8_mac_ctrl;
/* The state after one rising edge with inputs c (reset: the cleared state).
 * Returns 0, or -1 + err when c->load wins and c->load_state is not a state m
 * can hold (fp8_mac_set_state; m is then unchanged). */
int fp8_mac_cycle(fp8_mac *m, const fp8_mac_ctrl *c, char *err, size_t errlen);

void fp8_mac_get_state(const fp8_mac *m, fp8_mac_state *s);
/* Load a state (the RTL harness starts from chosen states).  Fails (-1 + err)
 * if bits at or above the width are set, flags are not of this kind, or the
 * Kulisch flags hold PINF and NINF without NAN (no step leaves that state; a
 * load of it is outside the control protocol's contract). */
int fp8_mac_set_state(fp8_mac *m, const fp8_mac_state *s, char *err, size_t errlen);

/* ---- Readout ---------------------------------------------------------------
 * fp8_mac_round: the accumulator's value (NaN / Inf as above) rounded ONCE
 * into format `to` through fp8_round_pack (rc NULL = RNE, saturating); the
 * codec's flags are ORed into *flags.  NaN into a format without NaN gives +0
 * and FP8_FLAG_INVALID; Inf into one without Inf follows rc's overflow mode. */
uint32_t fp8_mac_round(const fp8_mac *m, const fp8_format *to, const fp8_rounding *rc,
                       unsigned *flags);
/* The value as the nearest double (RNE; exact when it has <= 53 significant
 * bits, which every FP accumulator value and most Kulisch sums have). */
double fp8_mac_value(const fp8_mac *m);
/* Exact decimal ("-12.375", "0", "nan", "inf", "-inf"); snprintf-style:
 * returns the length the full string needs. */
size_t fp8_mac_decimal(const fp8_mac *m, char *buf, size_t len);
/* The (integer, power-of-two scale) readout.  For any width it is the state
 * itself: the W-bit two's complement words times 2^fp8_mac_lsb_exp.  This
 * convenience form: Kulisch: value = (*mant) * 2^(*exp2) with *mant the
 * accumulator as a signed integer, when it fits int64 (returns 0), else -1.  FP: the decoded value as
 * an odd integer times a power of two (0 * 2^0 for zeros); -1 for Inf/NaN. */
int fp8_mac_scaled_int64(const fp8_mac *m, int64_t *mant, int *exp2);

/* Exact decimal of (-1)^neg * mag * 2^exp2, mag little-endian 64-bit words. */
size_t fp8_mac_decimal_string(char *buf, size_t len, int neg, const uint64_t *mag,
                              int nwords, int exp2);

#endif
