/* gates_bom.c - bills of materials of the MAC architectures (gates.h).
 *
 * Notation: inputs with E exponent bits and s = M + 1 significand bits; FX the
 * exact product width (fp8_format_product_bits); P the product significand
 * width (2s for floats, FX - 1 magnitude bits for integers).  The structure is
 * the paper's Figure 2 (after Brunie 2017), counted the way doc/DESIGN.md section 5
 * reconstructs Figure 3:
 *
 * integer, two's complement   fp8_imul: PP(n) + reduce(n) (a Baugh-Wooley signed
 *                             array costs what the unsigned one does; the RTL's
 *                             fp8_imul is one, feeding the Kulisch adder directly)
 * integer, sign-magnitude     fp8_mul: PP(M) + reduce(M) + sign XOR
 * float                       fp8_unpack: 2E OR (hidden bits, subnormal exponent
 *                             fix); fp8_mul: PP(s) + reduce(s) + add(E) + sign XOR
 * Kulisch, W bits             float or sign-magnitude: fp8_kulisch_align negates
 *                             the product (n XOR + n-bit increment, n = 2s+1 or FX)
 *                             and floats shift it by [0, FX-2s-1] (widening);
 *                             fp8_kulisch_acc: add(W) + W FF.  Integers have no
 *                             product pipe stage (the paper: "integer inputs need
 *                             neither"); floats register (2s + E + 2) bits.
 * float accumulator (we, p)   single path, kept normalised; datapath
 *                             W = max(P, p) + 3 (guard, round, sticky), exponent
 *                             difference ew = max(we, E + 1) + 1 bits:
 *   fp8_unpack      (we-1) OR   accumulator hidden bit
 *   fp8_fpacc_align add(ew) + negate(ew) exponent difference and its magnitude,
 *                   (2 max(P,p) + we) MUX swap, (ew - ceil(log2(W+1))) OR clamp
 *                   + W AND, >>[0,W] on W bits, W OR sticky
 *   fp8_fpacc_add   (W+1) XOR + add(W+1) + negate(W+1)
 *   fp8_fpacc_norm  leading-zero detect sum_{i<ceil(log2 W)} (2^i - 1) OR,
 *                   <<[0,W] on W+1 bits, add(we+1) exponent adjust; with gradual
 *                   underflow (not :ftz) also add(max(we, L) + 1) to compare the
 *                   leading zeros with the exponent and L MUX to limit the
 *                   shift, L = ceil(log2(W+1)).  The paper's design is :ftz.
 *   fp8_fpacc_round AO21 + OR RNE decision, (W-p) OR sticky, incr(p) + incr(we),
 *                   2(we+p) AND saturate/flush, 2we OR range detect, sign MUX
 *   fp8_mac_fpacc   (we + p) FF accumulator + the product pipe register
 *                   (2s + E + 2 bits for floats, FX for integers, whose product
 *                   is first made sign-magnitude in fp8_mul: FX XOR + incr(FX)).
 * With the paper's table this gives 775 gates for INT8 -> 27-bit and, for
 * fp8-e4, 1.53x (fp16:ftz) and 2.86x (fp32:ftz) of it.
 */
#include "gates.h"
#include "error.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


int fp8_gates_acc_parse(const char *spec, const fp8_format *in, fp8_acc_spec *acc,
                        char *err, size_t errlen)
{
  if (fp8_acc_spec_parse(spec, acc, err, errlen))
    return -1;
  if (acc->kind != FP8_ACC_KULISCH)
    return 0;
  int fx = fp8_format_product_bits(in);
  if (!acc->width)
    acc->width = fp8_facts_kulisch_width(in, in);
  else if (acc->width < fx)
    return fp8_error_set(err, errlen, "accumulator '%s': width %d is narrower than the exact product "
                          "of %s (FX = %d bits; expected %d..%d)", spec, acc->width, in->name, fx, fx,
                          FP8_ACC_MAX_WIDTH);
  return 0;
}

/* ---- building ---------------------------------------------------------------------- */
typedef struct builder {
  fp8_gates_bom *bom;
  int overflow;
} builder;

static void put(builder *b, const char *block, const char *what, fp8_gates_kind kind,
                fp8_gates_cell cell, int n, int k)
{
  if (n <= 0)
    return;    /* a zero-size block is no hardware */
  if (b->bom->n >= FP8_GATES_BOM_MAX) {
    b->overflow = 1;
    return;
  }
  b->bom->line[b->bom->n++] = (fp8_gates_line){block, what, kind, cell, n, k, 1};
}

static void cells(builder *b, const char *block, const char *what, fp8_gates_cell cell, int n)
{ put(b, block, what, FP8_GK_CELL, cell, n, 0); }

static void comp(builder *b, const char *block, const char *what, fp8_gates_kind kind, int n, int k)
{ put(b, block, what, kind, FP8_CELL_NOT, n, k); }

/* Two's complement negation, conditional on a sign: n XOR + n-bit increment. */
static void negate(builder *b, const char *block, const char *what, int n)
{
  cells(b, block, what, FP8_CELL_XOR2, n);
  comp(b, block, what, FP8_GK_INC, n, 0);
}


static int imax(int a, int b) { return a > b ? a : b; }

static const char pipe_register[] = "product pipe register";

void fp8_gates_bom_unpipelined(fp8_gates_bom *bom)
{
  size_t k = 0;
  for (size_t i = 0; i < bom->n; i++)
    if (bom->line[i].what != pipe_register)
      bom->line[k++] = bom->line[i];
  bom->n = k;
}

/* Multiplier and input decode; returns the product significand width P. */
static int front_end(builder *b, const fp8_format *in, const fp8_acc_spec *acc)
{
  int fx = fp8_format_product_bits(in);
  const char *mac = acc->kind == FP8_ACC_KULISCH ? "fp8_mac_kulisch" : "fp8_mac_fpacc";
  if (in->ebits == 0) {
    int twos = in->intenc == FP8_INT_TWOS;
    int n = twos ? in->bits : in->mbits;
    const char *mul = twos ? "fp8_imul" : "fp8_mul";
    comp(b, mul, "partial products", FP8_GK_PP, n, 0);
    comp(b, mul, "partial-product reduction", FP8_GK_PP_REDUCE, n, 0);
    if (!twos)
      cells(b, mul, "product sign", FP8_CELL_XOR2, 1);
    if (acc->kind == FP8_ACC_FP) {
      if (twos)
        negate(b, mul, "product to sign-magnitude", fx);
      cells(b, mac, pipe_register, FP8_CELL_FF, fx);
    }
    return fx - 1;
  }
  int s = in->mbits + 1, e = in->ebits;
  cells(b, "fp8_unpack", "hidden bits, subnormal exponent fix", FP8_CELL_OR2, 2 * e);
  comp(b, "fp8_mul", "significand partial products", FP8_GK_PP, s, 0);
  comp(b, "fp8_mul", "partial-product reduction", FP8_GK_PP_REDUCE, s, 0);
  comp(b, "fp8_mul", "exponent add", FP8_GK_ADD, e, 0);
  cells(b, "fp8_mul", "product sign", FP8_CELL_XOR2, 1);
  cells(b, mac, pipe_register, FP8_CELL_FF, 2 * s + e + 2);
  return 2 * s;
}

static void kulisch(builder *b, const fp8_format *in, int w)
{
  int fx = fp8_format_product_bits(in);
  if (in->ebits) {
    int n = 2 * (in->mbits + 1) + 1;
    negate(b, "fp8_kulisch_align", "product negate", n);
    comp(b, "fp8_kulisch_align", "product to its fixed-point position", FP8_GK_SHL_WIDEN, n, fx - n);
  } else if (in->intenc == FP8_INT_SIGNMAG) {
    negate(b, "fp8_kulisch_align", "product negate", fx);
  }
  comp(b, "fp8_kulisch_acc", "accumulator adder", FP8_GK_ADD, w, 0);
  cells(b, "fp8_kulisch_acc", "accumulator register", FP8_CELL_FF, w);
}

static void fpacc(builder *b, const fp8_format *in, const fp8_acc_spec *acc, int p_prod,
                  const char *unit, int rne)
{
  int we = acc->fmt.ebits, p = acc->fmt.mbits + 1;
  int w = imax(p_prod, p) + 3;
  int ew = imax(we, in->ebits ? in->ebits + 1 : 0) + 1;
  int lzd = 0;
  for (int i = 0; i < fp8_facts_ceil_log2(w); i++)
    lzd += (1 << i) - 1;
  cells(b, "fp8_unpack", "accumulator hidden bit", FP8_CELL_OR2, we - 1);
  comp(b, "fp8_fpacc_align", "exponent difference", FP8_GK_ADD, ew, 0);
  negate(b, "fp8_fpacc_align", "exponent difference magnitude", ew);
  cells(b, "fp8_fpacc_align", "swap larger/smaller operand", FP8_CELL_MUX2,
        2 * imax(p_prod, p) + we);
  cells(b, "fp8_fpacc_align", "shift-amount clamp", FP8_CELL_OR2, ew - fp8_facts_ceil_log2(w + 1));
  cells(b, "fp8_fpacc_align", "clamp: zero a far-shifted operand", FP8_CELL_AND2, w);
  comp(b, "fp8_fpacc_align", "alignment right shift", FP8_GK_SHR, w, w);
  cells(b, "fp8_fpacc_align", "sticky of shifted-out bits", FP8_CELL_OR2, w);
  cells(b, "fp8_fpacc_add", "conditional invert (subtract)", FP8_CELL_XOR2, w + 1);
  comp(b, "fp8_fpacc_add", "significand adder", FP8_GK_ADD, w + 1, 0);
  negate(b, "fp8_fpacc_add", "negative sum to magnitude", w + 1);
  cells(b, "fp8_fpacc_norm", "leading-zero detect", FP8_CELL_OR2, lzd);
  comp(b, "fp8_fpacc_norm", "normalising left shift", FP8_GK_SHL, w + 1, w);
  comp(b, "fp8_fpacc_norm", "exponent adjust", FP8_GK_ADD, we + 1, 0);
  if (!acc->ftz) {   /* gradual underflow: never shift further left than the exponent allows */
    comp(b, "fp8_fpacc_norm", "subnormal: leading zeros vs exponent", FP8_GK_ADD,
         imax(we, fp8_facts_ceil_log2(w + 1)) + 1, 0);
    cells(b, "fp8_fpacc_norm", "subnormal: limit the shift amount", FP8_CELL_MUX2, fp8_facts_ceil_log2(w + 1));
  }
  if (rne) {
    cells(b, "fp8_fpacc_round", "round-to-nearest-even decision", FP8_CELL_AO21, 1);
    cells(b, "fp8_fpacc_round", "round-to-nearest-even decision", FP8_CELL_OR2, 1);
  }
  cells(b, "fp8_fpacc_round", "sticky of discarded bits", FP8_CELL_OR2, w - p);
  if (rne) {
    comp(b, "fp8_fpacc_round", "significand round increment", FP8_GK_INC, p, 0);
    comp(b, "fp8_fpacc_round", "exponent increment on carry-out", FP8_GK_INC, we, 0);
  }
  cells(b, "fp8_fpacc_round", "saturate / flush to zero", FP8_CELL_AND2, 2 * (we + p));
  cells(b, "fp8_fpacc_round", "overflow / underflow detect", FP8_CELL_OR2, 2 * we);
  cells(b, "fp8_fpacc_round", "result sign", FP8_CELL_MUX2, 1);
  cells(b, unit, "accumulator register", FP8_CELL_FF, we + p);
}

int fp8_gates_bom_fpacc(fp8_gates_bom *bom, const fp8_format *in, const fp8_acc_spec *acc, int p_prod,
                        const char *unit, int rne)
{
  builder b = {bom, 0};
  fpacc(&b, in, acc, p_prod, unit, rne);
  return b.overflow ? -1 : 0;
}

int fp8_gates_bom_build(const fp8_format *in, const fp8_acc_spec *acc, fp8_gates_bom *bom,
                        char *err, size_t errlen)
{
  builder b = {bom, 0};
  bom->n = 0;
  if (acc->kind == FP8_ACC_KULISCH) {
    int fx = fp8_format_product_bits(in);
    if (acc->width < fx || acc->width > FP8_ACC_MAX_WIDTH)
      return fp8_error_set(err, errlen, "a %d-bit Kulisch accumulator cannot hold the %d-bit exact product "
                  "of %s (expected %d..%d bits)", acc->width, fx, in->name, fx, FP8_ACC_MAX_WIDTH);
    front_end(&b, in, acc);
    kulisch(&b, in, acc->width);
  } else {
    if (acc->fmt.ebits < 2 || acc->fmt.mbits + 1 < 2)
      return fp8_error_set(err, errlen, "floating-point accumulator with %d exponent bits and precision %d "
                  "(expected at least 2 and 2)", acc->fmt.ebits, acc->fmt.mbits + 1);
    int p_prod = front_end(&b, in, acc);
    fpacc(&b, in, acc, p_prod, "fp8_mac_fpacc", 1);
  }
  if (b.overflow)
    return fp8_error_set(err, errlen, "bill of materials longer than %d lines", FP8_GATES_BOM_MAX);
  return 0;
}

/* ---- costing -------------------------------------------------------------------------- */
static double line_cost1(const fp8_gates_line *l, const fp8_gates_costs *c)
{
  switch (l->kind) {
  case FP8_GK_CELL: return l->n * c->cost[l->cell];
  case FP8_GK_ADD: return fp8_gates_add(c, l->n);
  case FP8_GK_INC: return fp8_gates_inc(c, l->n);
  case FP8_GK_PP: return fp8_gates_pp(c, l->n);
  case FP8_GK_PP_REDUCE: return fp8_gates_pp_reduce(c, l->n);
  case FP8_GK_SHL: return fp8_gates_shl(c, l->n, l->k);
  case FP8_GK_SHR: return fp8_gates_shr(c, l->n, l->k);
  case FP8_GK_SHL_WIDEN: return fp8_gates_shl_widen(c, l->n, l->k);
  }
  return 0;
}

double fp8_gates_line_cost(const fp8_gates_line *l, const fp8_gates_costs *c)
{
  return (l->count > 1 ? l->count : 1) * line_cost1(l, c);
}

const char *fp8_gates_line_component(const fp8_gates_line *l)
{
  switch (l->kind) {
  case FP8_GK_CELL: return fp8_gates_cell_name(l->cell);
  case FP8_GK_ADD: return "add";
  case FP8_GK_INC: return "increment";
  case FP8_GK_PP: return "pp-bits";
  case FP8_GK_PP_REDUCE: return "pp-reduce";
  case FP8_GK_SHL: return "shift-left";
  case FP8_GK_SHR: return "shift-right";
  case FP8_GK_SHL_WIDEN: return "shift-left-widen";
  }
  return "?";
}

double fp8_gates_bom_total(const fp8_gates_bom *b, const fp8_gates_costs *c)
{
  double t = 0;
  for (size_t i = 0; i < b->n; i++)
    t += fp8_gates_line_cost(&b->line[i], c);
  return t;
}

double fp8_gates_bom_block_total(const fp8_gates_bom *b, const char *block,
                                 const fp8_gates_costs *c)
{
  double t = 0;
  for (size_t i = 0; i < b->n; i++)
    if (strcmp(b->line[i].block, block) == 0)
      t += fp8_gates_line_cost(&b->line[i], c);
  return t;
}

int fp8_gates_total(const fp8_format *in, const fp8_acc_spec *acc, const fp8_gates_costs *c,
                    double *total, char *err, size_t errlen)
{
  fp8_gates_bom bom;
  if (fp8_gates_bom_build(in, acc, &bom, err, errlen))
    return -1;
  *total = fp8_gates_bom_total(&bom, c);
  return 0;
}

int fp8_gates_reference_total(const fp8_gates_costs *c, double *total)
{
  fp8_format in;
  fp8_acc_spec acc;
  if (fp8_format_parse("int8", &in, NULL, 0) ||
      fp8_gates_acc_parse("kulisch:27", &in, &acc, NULL, 0))
    return -1;
  return fp8_gates_total(&in, &acc, c, total, NULL, 0);
}
