/* gates_dot.c - the bill of materials of the N-term dot-product unit
 * (gates.h; the RTL is rtl/fp8_dot_fpacc.sv and the blocks it names).
 *
 * Notation: float inputs with E exponent bits and s = M + 1 significand bits,
 * N products per step, window F, accumulator (we exponent bits, precision p);
 * ew = max(we, E + 1) + 2 bits for the alignment exponents (signed, the zero
 * exponent included); K = N + 1 terms (C is fused); a product term is
 * PW = 2s + max(F - 2M, 0) bits before its shift, C's CW = p + max(F - p + 1, 0);
 * every term lands in TW = F + 2 bits; the sum has SW = TW + 1 + ceil(log2 K)
 * bits; the normaliser works on NW = max(SW, p + 4) bits.
 *
 *   fp8_unpack      N * 2E OR (hidden bits, subnormal exponent fix) + (we-1) OR (C)
 *   fp8_mul         N * (PP(s) + reduce(s) + add(E) + XOR sign)
 *   fp8_dot_fpacc   K * ew AND (a zero term's exponent), add(ew) (C's exponent to
 *                   the products' bias), add(SW) (the one carry-propagate adder),
 *                   SW XOR + incr(SW) (the sum to sign-magnitude)
 *   fp8_dot_max     N comparators: add(ew) + ew MUX each (a tree of K - 1)
 *   fp8_dot_term    per term: add(ew) shift amount, (ew - ceil(log2(PW+1))) OR
 *                   + PW AND clamp, >>[0, PW] on PW bits (truncation: no sticky),
 *                   (TW + 1) XOR + incr(TW + 1) conditional negate
 *   fp8_dot_csa     (K - 2) * SW FA: each 3:2 compressor row removes one operand
 *   fp8_fpacc_norm  leading-zero detect sum_{i<ceil(log2 NW)} (2^i - 1) OR,
 *                   <<[0, NW-1] on NW bits, add(ew) exponent adjust, and for
 *                   gradual underflow add(ew) + ceil(log2(NW+1)) MUX
 *   fp8_fpacc_round (NW - 1 - p) OR sticky (the inexact flag); round to nearest
 *                   even adds AO21 + OR + incr(p) + incr(we); 2(we+p) AND
 *                   saturate, 2we OR range detect
 *   fp8_dot_fpacc   (we + p) FF: the register (fp8_acc_reg, credited to its
 *                   enclosing unit as the MACs' is)
 * The MAC's product pipe register does not exist here (one step per cycle,
 * not pipelined).
 *
 * Exact (window=exact, the same fp8_dot_fpacc with Window -1): no maximum tree
 * and no zero-term exponents (emax is a constant, the top of the products'
 * range), C is not a term; the products land in a fixed-point sum of
 * F = ExpTop - 2 + 2M fraction bits (ExpTop = 2(2^E - 1), the largest
 * exponent sum), K = N, TW = F + 2, SW = TW + 1 + ceil(log2 N):
 *   fp8_dot_term    per product: add(E + 1) shift amount, >>[0, ExpTop - 2] on
 *                   TW bits (it never shifts a product out: no clamp), (TW + 1)
 *                   XOR + incr(TW + 1) conditional negate
 *   fp8_dot_csa     (N - 2) * SW FA;  fp8_dot_fpacc: add(SW) + SW XOR + incr(SW)
 *   fp8_fpacc_align the sum's leading-zero detect and normalising shift
 *                   <<[0, SW - 2] on SW - 1 bits (a MAC's 2s-bit product needs
 *                   almost none), then the MACs' adder for a (SW - 1)-bit
 *                   addend (gates_bom.c, fp8_gates_bom_fpacc), its register
 *                   credited to fp8_dot_fpacc.
 * INT8 into a Kulisch register (rtl/fp8_dot_kulisch.sv), n-bit two's
 * complement inputs, W-bit register, SW = 2n + ceil(log2 N) + 1:
 *   fp8_imul        N * (PP(n) + reduce(n)) (Baugh-Wooley, as the INT8 MAC)
 *   fp8_dot_csa     (N - 2) * SW FA;  fp8_dot_kulisch: add(SW)
 *   fp8_kulisch_acc add(W) + W FF (the MAC's adder and register)
 */
#include "gates.h"
#include "error.h"

#include <string.h>

static int imax(int a, int b) { return a > b ? a : b; }

typedef struct dbuild {
  fp8_gates_bom *bom;
  int full;
} dbuild;

static void line(dbuild *b, int count, const char *block, const char *what, fp8_gates_kind kind,
                 fp8_gates_cell cell, int n, int k)
{
  if (n <= 0 || count <= 0)
    return;
  if (b->bom->n == FP8_GATES_BOM_MAX) {
    b->full = 1;
    return;
  }
  b->bom->line[b->bom->n++] = (fp8_gates_line){block, what, kind, cell, n, k, count};
}

#define CELLS(cnt, blk, what, cell, n) line(b, cnt, blk, what, FP8_GK_CELL, cell, n, 0)
#define COMP(cnt, blk, what, kind, n, k) line(b, cnt, blk, what, kind, FP8_CELL_NOT, n, k)

static int lzd_or(int w)          /* the leading-zero detector over w bits, in OR2 */
{
  int lzd = 0;
  for (int i = 0; i < fp8_facts_ceil_log2(w); i++)
    lzd += (1 << i) - 1;
  return lzd;
}

/* The carry-save tree of k SW-bit terms, the one carry-propagate adder and
 * the sum to sign-magnitude (fp8_dot_fpacc). */
static void tree(dbuild *b, int k, int sw)
{
  CELLS(1, "fp8_dot_csa", "3:2 compressor rows", FP8_CELL_FA, (k - 2) * sw);
  COMP(1, "fp8_dot_fpacc", "carry-propagate adder", FP8_GK_ADD, sw, 0);
  CELLS(1, "fp8_dot_fpacc", "sum to sign-magnitude", FP8_CELL_XOR2, sw);
  COMP(1, "fp8_dot_fpacc", "sum to sign-magnitude", FP8_GK_INC, sw, 0);
}

/* fp8_dot_kulisch: two's complement integers into a W-bit register. */
static void kulisch_unit(dbuild *b, const fp8_format *in, const fp8_dot_spec *sp)
{
  const int n = sp->n, w = sp->acc.width ? sp->acc.width : fp8_facts_kulisch_width(in, in);
  const int sw = 2 * in->bits + fp8_facts_ceil_log2(n) + 1;
  COMP(n, "fp8_imul", "partial products", FP8_GK_PP, in->bits, 0);
  COMP(n, "fp8_imul", "partial-product reduction", FP8_GK_PP_REDUCE, in->bits, 0);
  CELLS(1, "fp8_dot_csa", "3:2 compressor rows", FP8_CELL_FA, (n - 2) * sw);
  COMP(1, "fp8_dot_kulisch", "carry-propagate adder", FP8_GK_ADD, sw, 0);
  COMP(1, "fp8_kulisch_acc", "accumulator adder", FP8_GK_ADD, w, 0);
  CELLS(1, "fp8_kulisch_acc", "accumulator register", FP8_CELL_FF, w);
}

/* fp8_dot_fpacc with Window -1: the exact fixed-point sum, then the MACs' adder. */
static void exact_unit(dbuild *b, const fp8_format *in, const fp8_dot_spec *sp)
{
  const int n = sp->n, e = in->ebits, s = in->mbits + 1, m = in->mbits;
  const int top = 2 * ((1 << e) - 1), f = top - 2 + 2 * m, tw = f + 2, sw = tw + 1 + fp8_facts_ceil_log2(n);
  CELLS(n, "fp8_unpack", "hidden bits, subnormal exponent fix", FP8_CELL_OR2, 2 * e);
  COMP(n, "fp8_mul", "significand partial products", FP8_GK_PP, s, 0);
  COMP(n, "fp8_mul", "partial-product reduction", FP8_GK_PP_REDUCE, s, 0);
  COMP(n, "fp8_mul", "exponent add", FP8_GK_ADD, e, 0);
  CELLS(n, "fp8_mul", "product sign", FP8_CELL_XOR2, 1);
  COMP(n, "fp8_dot_term", "shift amount ExpTop - exponent sum", FP8_GK_ADD, e + 1, 0);
  COMP(n, "fp8_dot_term", "product into the fixed-point sum", FP8_GK_SHR, tw, top - 2);
  CELLS(n, "fp8_dot_term", "conditional negate", FP8_CELL_XOR2, tw + 1);
  COMP(n, "fp8_dot_term", "conditional negate", FP8_GK_INC, tw + 1, 0);
  tree(b, n, sw);
  CELLS(1, "fp8_fpacc_align", "sum: leading-zero detect", FP8_CELL_OR2, lzd_or(sw - 1));
  COMP(1, "fp8_fpacc_align", "sum: normalising left shift", FP8_GK_SHL, sw - 1, sw - 2);
  if (fp8_gates_bom_fpacc(b->bom, in, &sp->acc, sw - 1, "fp8_dot_fpacc", sp->round == FP8_ROUND_RNE))
    b->full = 1;
}

int fp8_gates_dot_bom_build(const fp8_format *in, const fp8_dot_spec *sp, fp8_gates_bom *bom,
                            char *err, size_t errlen)
{
  dbuild bb = {bom, 0}, *b = &bb;
  bom->n = 0;
  if (sp->acc.kind == FP8_ACC_KULISCH && in->ebits == 0 && in->intenc == FP8_INT_TWOS)
    kulisch_unit(b, in, sp);
  else if (in->ebits == 0 || sp->acc.kind != FP8_ACC_FP)
    return fp8_error_set(err, errlen, "dot-product unit: counted for float inputs (got %s) and an FP "
                         "accumulator, or two's complement integers and a Kulisch register", in->name);
  else if (sp->window == FP8_DOT_EXACT)
    exact_unit(b, in, sp);
  if (bom->n) {
    if (bb.full)
      return fp8_error_set(err, errlen, "bill of materials longer than %d lines", FP8_GATES_BOM_MAX);
    return 0;
  }
  const int n = sp->n, e = in->ebits, s = in->mbits + 1, m = in->mbits;
  const int we = sp->acc.fmt.ebits, p = sp->acc.fmt.mbits + 1;
  const int f = sp->window;
  const int k = n + 1, ew = imax(we, e + 1) + 2;
  const int pw = 2 * s + imax(f - 2 * m, 0), cw = p + imax(f - p + 1, 0);
  const int tw = f + 2, sw = tw + 1 + fp8_facts_ceil_log2(k), nw = imax(sw, p + 4);
  const int lzd = lzd_or(nw);

  CELLS(n, "fp8_unpack", "hidden bits, subnormal exponent fix", FP8_CELL_OR2, 2 * e);
  CELLS(1, "fp8_unpack", "accumulator hidden bit", FP8_CELL_OR2, we - 1);
  COMP(n, "fp8_mul", "significand partial products", FP8_GK_PP, s, 0);
  COMP(n, "fp8_mul", "partial-product reduction", FP8_GK_PP_REDUCE, s, 0);
  COMP(n, "fp8_mul", "exponent add", FP8_GK_ADD, e, 0);
  CELLS(n, "fp8_mul", "product sign", FP8_CELL_XOR2, 1);
  CELLS(k, "fp8_dot_fpacc", "a zero term's alignment exponent", FP8_CELL_AND2, ew);
  COMP(1, "fp8_dot_fpacc", "C's exponent to the products' bias", FP8_GK_ADD, ew, 0);
  COMP(n, "fp8_dot_max", "comparator: subtract", FP8_GK_ADD, ew, 0);
  CELLS(n, "fp8_dot_max", "comparator: select", FP8_CELL_MUX2, ew);
  COMP(k, "fp8_dot_term", "shift amount emax - ae", FP8_GK_ADD, ew, 0);
  CELLS(n, "fp8_dot_term", "shift-amount clamp", FP8_CELL_OR2, ew - fp8_facts_ceil_log2(pw + 1));
  CELLS(n, "fp8_dot_term", "clamp: zero a far-shifted term", FP8_CELL_AND2, pw);
  COMP(n, "fp8_dot_term", "product into the window (truncating)", FP8_GK_SHR, pw, pw);
  CELLS(1, "fp8_dot_term", "C shift-amount clamp", FP8_CELL_OR2, ew - fp8_facts_ceil_log2(cw + 1));
  CELLS(1, "fp8_dot_term", "C clamp", FP8_CELL_AND2, cw);
  COMP(1, "fp8_dot_term", "C into the window (truncating)", FP8_GK_SHR, cw, cw);
  CELLS(k, "fp8_dot_term", "conditional negate", FP8_CELL_XOR2, tw + 1);
  COMP(k, "fp8_dot_term", "conditional negate", FP8_GK_INC, tw + 1, 0);
  tree(b, k, sw);
  CELLS(1, "fp8_fpacc_norm", "leading-zero detect", FP8_CELL_OR2, lzd);
  COMP(1, "fp8_fpacc_norm", "normalising left shift", FP8_GK_SHL, nw, nw - 1);
  COMP(1, "fp8_fpacc_norm", "exponent adjust", FP8_GK_ADD, ew, 0);
  COMP(1, "fp8_fpacc_norm", "subnormal: leading zeros vs exponent", FP8_GK_ADD, ew, 0);
  CELLS(1, "fp8_fpacc_norm", "subnormal: limit the shift amount", FP8_CELL_MUX2, fp8_facts_ceil_log2(nw + 1));
  CELLS(1, "fp8_fpacc_round", "sticky of discarded bits (inexact)", FP8_CELL_OR2, nw - 1 - p);
  if (sp->round == FP8_ROUND_RNE) {
    CELLS(1, "fp8_fpacc_round", "round-to-nearest-even decision", FP8_CELL_AO21, 1);
    CELLS(1, "fp8_fpacc_round", "round-to-nearest-even decision", FP8_CELL_OR2, 1);
    COMP(1, "fp8_fpacc_round", "significand round increment", FP8_GK_INC, p, 0);
    COMP(1, "fp8_fpacc_round", "exponent increment on carry-out", FP8_GK_INC, we, 0);
  }
  CELLS(1, "fp8_fpacc_round", "saturate / flush to zero", FP8_CELL_AND2, 2 * (we + p));
  CELLS(1, "fp8_fpacc_round", "overflow / underflow detect", FP8_CELL_OR2, 2 * we);
  CELLS(1, "fp8_dot_fpacc", "accumulator register (fp8_acc_reg)", FP8_CELL_FF, we + p);
  if (bb.full)
    return fp8_error_set(err, errlen, "bill of materials longer than %d lines", FP8_GATES_BOM_MAX);
  return 0;
}

int fp8_gates_unit_bom(const char *unit, const fp8_format *in, fp8_gates_bom *bom, int *products,
                       int *acc_bits, char *err, size_t errlen)
{
  fp8_acc_spec acc;
  char e1[1024];
  if (fp8_gates_acc_parse(unit, in, &acc, e1, sizeof e1) == 0) {
    *products = 1;
    *acc_bits = acc.kind == FP8_ACC_KULISCH ? acc.width : acc.fmt.bits;
    return fp8_gates_bom_build(in, &acc, bom, err, errlen);
  }
  fp8_dot_spec sp;
  if (fp8_dot_spec_parse(unit, &sp, NULL, 0) || fp8_dot_spec_is_mac(&sp))
    return fp8_error_set(err, errlen, "%s (or a dot-product unit such as hopper-fp8:n=16)", e1);
  if (sp.kblock)
    return fp8_error_set(err, errlen, "unit %s: the gates of a block-scale stage (kblock=%d) are not "
                         "modelled (expected a per-tensor unit such as blackwell-fp8)", unit, sp.kblock);
  *products = sp.n;
  *acc_bits = sp.acc.kind == FP8_ACC_KULISCH ? (sp.acc.width ? sp.acc.width : fp8_facts_kulisch_width(in, in))
                                             : sp.acc.fmt.bits;
  return fp8_gates_dot_bom_build(in, &sp, bom, err, errlen);
}
