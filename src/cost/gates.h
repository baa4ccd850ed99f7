/* gates.h - 2-input-gate counts of MAC units (doc/DESIGN.md section 5).
 *
 * Three layers, each usable alone:
 *  1. a cost table (fp8_gates_costs): the price of each cell in 2-input-gate
 *     equivalents, C = sum(fan-in - 1), read from data/components.tsv
 *     (van Baalen et al. 2023, Appendix B) or from a user's table;
 *  2. the composite blocks of Appendix B as formulas over that table (N-bit add,
 *     increment, partial products and their reduction, three shifters), with
 *     ceil(log2(k+1)) shifter stages;
 *  3. a bill of materials (fp8_gates_bom) for one MAC architecture, built from
 *     the input format descriptor and an accumulator (Kulisch of any width, or
 *     a floating-point accumulator of any exponent width and precision).  Every
 *     line names the RTL module it counts (fp8_unpack, fp8_mul,
 *     fp8_kulisch_align, fp8_kulisch_acc, fp8_fpacc_align, fp8_fpacc_add,
 *     fp8_fpacc_norm, fp8_fpacc_round), so the analytic count and the RTL
 *     describe the same circuit.
 * No printing, no GSL.  Functions that can fail return 0 or -1 and write a
 * message naming the bad value (and file:line for tables) to err.
 */
#ifndef FP8_GATES_H
#define FP8_GATES_H

#include <stddef.h>

#include "format.h"
#include "dot.h"
#include "mac.h"

/* ---- 1. cells and their costs ------------------------------------------------ */
typedef enum fp8_gates_cell {
  FP8_CELL_NOT, FP8_CELL_AND2, FP8_CELL_NAND2, FP8_CELL_OR2, FP8_CELL_NOR2,
  FP8_CELL_AO21, FP8_CELL_AOI21, FP8_CELL_OA21, FP8_CELL_OAI21,
  FP8_CELL_MUX2, FP8_CELL_XOR2, FP8_CELL_XNOR2,
  FP8_CELL_HA, FP8_CELL_FA, FP8_CELL_FF,
  FP8_CELL_COUNT
} fp8_gates_cell;

/* The table's spelling of a cell ("AND2", "FF", ...); NULL if out of range. */
const char *fp8_gates_cell_name(fp8_gates_cell c);
/* Cell by spelling (case-sensitive); -1 if unknown. */
int fp8_gates_cell_lookup(const char *name);

typedef struct fp8_gates_costs {
  double cost[FP8_CELL_COUNT];   /* every entry >= 0 */
} fp8_gates_costs;

/* Parse a cost table held in text (format: data/components.tsv's header).
 * fname is only used in messages ("FILE:LINE: ...").  Every cell must be
 * given exactly once; costs are non-negative numbers or sums of K*NAME terms
 * over cells defined on earlier lines.  Returns 0, or -1 with err set. */
int fp8_gates_costs_parse(const char *text, const char *fname, fp8_gates_costs *c,
                          char *err, size_t errlen);
/* Read and parse the table in a file. */
int fp8_gates_costs_load(const char *path, fp8_gates_costs *c, char *err, size_t errlen);

/* ---- 2. Appendix B's composite blocks ------------------------------------------ */
/* ceil(log2(k + 1)): the stages a shifter by [0, k] needs (0 for k <= 0). */
int fp8_gates_shift_stages(int k);
double fp8_gates_add(const fp8_gates_costs *c, int n);      /* (N-1) FA + HA */
double fp8_gates_inc(const fp8_gates_costs *c, int n);      /* N HA */
double fp8_gates_pp(const fp8_gates_costs *c, int n);       /* N^2 AND2 */
double fp8_gates_pp_reduce(const fp8_gates_costs *c, int n);/* (N-1)^2 FA + (N-1) HA */
/* N-bit << [0,k]:        N*st*MUX2 - k*(MUX2 - AND2)
 * N-bit >> [0,k] signed: (N-1)*st*MUX2
 * N-bit << [0,k] widen:  (N-2)*st*MUX2 + k*(MUX2 + AND2),   st = ceil(log2(k+1)) */
double fp8_gates_shl(const fp8_gates_costs *c, int n, int k);
double fp8_gates_shr(const fp8_gates_costs *c, int n, int k);
double fp8_gates_shl_widen(const fp8_gates_costs *c, int n, int k);

/* ---- 3. accumulators and bills of materials ------------------------------------ */
/* The accumulator spec is the golden model's (mac.h: fp8_acc_spec, parsed by
 * fp8_acc_spec_parse): one type for the model, the RTL and the gate counts. */

/* Parse an accumulator spelling for inputs of format in:
 *   kulisch          two's complement, W = FX + 12 (fp8_format_kulisch_bits)
 *   kulisch:W        W bits, FX <= W <= FP8_ACC_MAX_WIDTH
 *   FORMAT           any float spelling fp8_format_parse accepts (fp16, bf16,
 *                    fp32, e5m10, e8m23:ieee, ...): exponent bits and precision,
 *                    IEEE semantics with gradual underflow (doc/DESIGN.md section 3)
 *   FORMAT:ftz       the same kept normalised, flushing to zero below the min
 *                    normal: the paper's Figure 2 (right) and Figure 3 design
 * i.e. fp8_acc_spec_parse, with the Kulisch width resolved (FX + 12 when not
 * given) and checked against the product width of in.
 * Returns 0, or -1 with err naming the bad part. */
int fp8_gates_acc_parse(const char *spec, const fp8_format *in, fp8_acc_spec *acc,
                        char *err, size_t errlen);

typedef enum fp8_gates_kind {
  FP8_GK_CELL,        /* count cells of one kind */
  FP8_GK_ADD,         /* N-bit add */
  FP8_GK_INC,         /* N-bit increment */
  FP8_GK_PP,          /* N x N partial-product bits */
  FP8_GK_PP_REDUCE,   /* N x N partial-product reduction */
  FP8_GK_SHL,         /* N-bit << [0,k] */
  FP8_GK_SHR,         /* N-bit >> [0,k], signed (sticky-free) */
  FP8_GK_SHL_WIDEN    /* N-bit << [0,k] widening */
} fp8_gates_kind;

typedef struct fp8_gates_line {
  const char *block;  /* the RTL module it counts, e.g. "fp8_mul" */
  const char *what;   /* its role, e.g. "significand partial products" */
  fp8_gates_kind kind;
  fp8_gates_cell cell;/* FP8_GK_CELL only */
  int n;              /* width N, or the cell count for FP8_GK_CELL */
  int k;              /* shift range for the shifters, else 0 */
  int count;          /* instances of it (0 means 1): the dot-product unit's N lanes */
} fp8_gates_line;

#define FP8_GATES_BOM_MAX 48

typedef struct fp8_gates_bom {
  size_t n;
  fp8_gates_line line[FP8_GATES_BOM_MAX];
} fp8_gates_bom;

/* The bill of materials of a MAC with inputs of format in and accumulator
 * acc (doc/DESIGN.md section 5; the formulas are spelt out in gates_bom.c).
 * Returns 0, or -1 with err set (e.g. a Kulisch narrower than the product). */
int fp8_gates_bom_build(const fp8_format *in, const fp8_acc_spec *acc, fp8_gates_bom *bom,
                        char *err, size_t errlen);

/* Drop the product pipe register lines: the bill of materials of the same MAC
 * without a pipeline stage between multiplier and accumulator, as fp8lab's RTL
 * is built (one MAC per cycle, the result one edge later).  'synth' compares
 * the RTL against this; 'gates' keeps the paper's register (Figure 3). */
void fp8_gates_bom_unpipelined(fp8_gates_bom *bom);

/* The bill of materials of an N-term dot-product unit (dot.h; the RTL of
 * rtl/fp8_dot_fpacc.sv): inputs of format in (a float), spec sp with an FP
 * accumulator and a window F (FP8_DOT_EXACT counts the window that holds every
 * product exactly, unit_facts.h's fp8_facts_exact_window).  Lines name fp8_unpack,
 * fp8_mul, fp8_dot_fpacc, fp8_dot_max, fp8_dot_term, fp8_dot_csa,
 * fp8_fpacc_norm and fp8_fpacc_round (formulas in gates_dot.c).
 * Returns 0, or -1 with err set. */
int fp8_gates_dot_bom_build(const fp8_format *in, const fp8_dot_spec *sp, fp8_gates_bom *bom,
                            char *err, size_t errlen);
/* Append the floating-point accumulator's adder (fp8_unpack of C through
 * fp8_fpacc_align, _add, _norm, _round, and the register, credited to the
 * block unit) for an addend of p_prod significand bits, as in a MAC with
 * inputs in and accumulator acc: the exact dot-product unit adds its wide
 * product sum with it; rne = 0 rounds toward zero (no increment).  0, or -1
 * when the list is full. */
int fp8_gates_bom_fpacc(fp8_gates_bom *bom, const fp8_format *in, const fp8_acc_spec *acc, int p_prod,
                        const char *unit, int rne);
/* A unit by name: a MAC accumulator (fp8_gates_acc_parse) or a dot-product
 * unit (fp8_dot_spec_parse, e.g. hopper-fp8:n=16).  *products: products per
 * step (1 for a MAC); *acc_bits: the accumulator's width.  0, or -1 + err. */
int fp8_gates_unit_bom(const char *unit, const fp8_format *in, fp8_gates_bom *bom, int *products,
                       int *acc_bits, char *err, size_t errlen);

/* Cost of one line (all its instances); component spelling of a line ("add", "shl-widen", "AND2", ...). */
double fp8_gates_line_cost(const fp8_gates_line *l, const fp8_gates_costs *c);
const char *fp8_gates_line_component(const fp8_gates_line *l);
double fp8_gates_bom_total(const fp8_gates_bom *b, const fp8_gates_costs *c);
/* Sum of the lines counting one RTL block. */
double fp8_gates_bom_block_total(const fp8_gates_bom *b, const char *block,
                                 const fp8_gates_costs *c);

/* One call for the split explorer: total gates of (in, acc) under c.
 * Returns 0 and *total, or -1 with err set. */
int fp8_gates_total(const fp8_format *in, const fp8_acc_spec *acc, const fp8_gates_costs *c,
                    double *total, char *err, size_t errlen);

/* The paper's reference MAC: int8 inputs, 27-bit Kulisch ("15 + 12").
 * Ratios in Figure 3 and in 'fp8lab gates' are relative to it. */
int fp8_gates_reference_total(const fp8_gates_costs *c, double *total);

/* ---- 4. synthesized netlists: Yosys 'stat' after abc -g ... -------------------- */
/* The RTL modules the contract between the RTL and the gate counts fixes
 * (NULL-terminated); bill-of-materials lines name these. */
extern const char *const fp8_gates_rtl_blocks[];

/* Cost of one gate-level Yosys cell type ($_AND_, $_AOI3_, $_DFF_PN0_, ...):
 * NOT/BUF 0-cost cells, 2-input gates, AOI3/OAI3 as AOI21/OAI21, MUX, XOR,
 * XNOR, and every flip-flop or latch type as one FF bit.  Returns 0 and *cost,
 * or -1 for a type that is not such a cell (a submodule, an unmapped $alu...). */
int fp8_gates_yosys_cell_cost(const char *type, const fp8_gates_costs *c, double *cost);

#define FP8_SYNTH_MAX_BLOCKS 32

typedef struct fp8_synth_result {
  double total;        /* weighted cells of the flattened design (stat's hierarchy part) */
  double tree_total;   /* the same summed module by module through the instance tree */
  long cells, flops;   /* gate-level cells and flip-flop bits in the whole design */
  size_t nblocks;
  struct {
    char name[64];     /* a contract module, or the top's name for its own glue */
    double gates;
  } block[FP8_SYNTH_MAX_BLOCKS];
} fp8_synth_result;

/* Parse Yosys 'stat' text for a design whose top module is top; weight every
 * cell with c.  A module's own cells are credited to the nearest enclosing
 * contract module (itself if it is one; parameterised copies such as
 * $paramod\fp8_mul\... count as fp8_mul); the top's own cells to the top.
 * Returns 0, or -1 with err set (no stat text, unknown cell type, a module
 * missing from the text). */
int fp8_gates_synth_parse(const char *stat_text, const char *top, const fp8_gates_costs *c,
                          fp8_synth_result *r, char *err, size_t errlen);

#endif
