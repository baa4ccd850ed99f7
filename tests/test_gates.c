/* test_gates.c - the gate-count model against hand-computed values and the
 * paper's Figure 3 claims (van Baalen et al. 2023, section 3.3, Appendix B).
 *
 * Expected numbers are worked by hand from Appendix B's definitions in the
 * comments beside them, never taken from the code under test.  Nothing here is
 * random (the split sweep is exhaustive), so there is no seed to print. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "gates.h"

#ifndef FP8_ABS_SRCDIR
#define FP8_ABS_SRCDIR "."
#endif

static fp8_gates_costs paper;   /* data/components.tsv, loaded once */

static int load_paper(void)
{
  char err[600];
  const char *path = FP8_ABS_SRCDIR "/data/components.tsv";
  if (fp8_gates_costs_load(path, &paper, err, sizeof err) == 0)
    return 0;
  fprintf(stderr, "test_gates: %s\n", err);
  return -1;
}

static fp8_format fmt(const char *spec)
{
  fp8_format f;
  char err[256];
  ck_assert_msg(fp8_format_parse(spec, &f, err, sizeof err) == 0, "%s: %s", spec, err);
  return f;
}

static double total(const char *in, const char *acc)
{
  fp8_format f = fmt(in);
  fp8_acc_spec a;
  double t;
  char err[600];
  ck_assert_msg(fp8_gates_acc_parse(acc, &f, &a, err, sizeof err) == 0, "%s: %s", acc, err);
  ck_assert_msg(fp8_gates_total(&f, &a, &paper, &t, err, sizeof err) == 0, "%s/%s: %s", in, acc, err);
  return t;
}

/* Appendix B: [N]AND2/[N]OR2 1, AO[I]21/OA[I]21 2, MUX2/X[N]OR2/HA 3,
 * FA = 2 HA + OR2 = 7, FF = 2 MUX2 = 6; NOT is free. */
START_TEST(table_matches_appendix_b)
{
  static const struct { const char *cell; double cost; } want[] = {
    {"NOT", 0}, {"AND2", 1}, {"NAND2", 1}, {"OR2", 1}, {"NOR2", 1}, {"AO21", 2}, {"AOI21", 2},
    {"OA21", 2}, {"OAI21", 2}, {"MUX2", 3}, {"XOR2", 3}, {"XNOR2", 3}, {"HA", 3}, {"FA", 7},
    {"FF", 6}};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    int id = fp8_gates_cell_lookup(want[i].cell);
    ck_assert_msg(id >= 0, "%s unknown", want[i].cell);
    ck_assert_msg(paper.cost[id] == want[i].cost, "%s costs %g, Appendix B says %g", want[i].cell,
                  paper.cost[id], want[i].cost);
  }
}
END_TEST

START_TEST(shift_stages)
{
  /* ceil(log2(k+1)): [0,1] one stage; [0,3] two; [0,4]..[0,7] three; [0,8] four */
  static const int k[] = {0, 1, 2, 3, 4, 7, 8, 14, 15, 16, 27, 28, 60, 63, 64};
  static const int st[] = {0, 1, 2, 2, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 7};
  for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
    ck_assert_msg(fp8_gates_shift_stages(k[i]) == st[i], "k=%d: %d stages, expected %d", k[i],
                  fp8_gates_shift_stages(k[i]), st[i]);
}
END_TEST

START_TEST(composites_by_hand)
{
  /* 27-bit add: 26 FA + HA = 26*7 + 3 = 185 */
  ck_assert(fp8_gates_add(&paper, 27) == 185);
  /* 11-bit increment: 11 HA = 33 */
  ck_assert(fp8_gates_inc(&paper, 11) == 33);
  /* 8x8 PP bits: 64 AND2 = 64; reduce: 7^2 FA + 7 HA = 343 + 21 = 364 */
  ck_assert(fp8_gates_pp(&paper, 8) == 64);
  ck_assert(fp8_gates_pp_reduce(&paper, 8) == 364);
  /* 4x4 reduce: 9 FA + 3 HA = 63 + 9 = 72 */
  ck_assert(fp8_gates_pp_reduce(&paper, 4) == 72);
  /* 15-bit << [0,14]: 4 stages; 15*4*3 - 14*(3-1) = 180 - 28 = 152 */
  ck_assert(fp8_gates_shl(&paper, 15, 14) == 152);
  /* 14-bit >> [0,14] signed: 13*4*3 = 156 */
  ck_assert(fp8_gates_shr(&paper, 14, 14) == 156);
  /* 9-bit << [0,28] widening: 5 stages; 7*5*3 + 28*(3+1) = 105 + 112 = 217 */
  ck_assert(fp8_gates_shl_widen(&paper, 9, 28) == 217);
  /* a shift by [0,0] is wires */
  ck_assert(fp8_gates_shl(&paper, 9, 0) == 0 && fp8_gates_shr(&paper, 9, 0) == 0);
}
END_TEST

/* The formulas follow the table, including FA written as 2*HA + OR2. */
START_TEST(composites_follow_the_table)
{
  static const char text[] =
    "NOT\t0\nAND2\t2\nNAND2\t2\nOR2\t1\nNOR2\t1\nAO21\t3\nAOI21\t3\nOA21\t3\nOAI21\t3\n"
    "MUX2\t5\nXOR2\t4\nXNOR2\t4\nHA\t4\nFA\t2*HA + OR2\nFF\t2*MUX2 + 1.5\n";
  fp8_gates_costs c;
  char err[600];
  ck_assert_msg(fp8_gates_costs_parse(text, "t.tsv", &c, err, sizeof err) == 0, "%s", err);
  ck_assert(c.cost[FP8_CELL_FA] == 9);     /* 2*4 + 1 */
  ck_assert(c.cost[FP8_CELL_FF] == 11.5);  /* 2*5 + 1.5 */
  /* 4-bit << [0,3]: 2 stages; 4*2*5 - 3*(5-2) = 40 - 9 = 31 */
  ck_assert(fp8_gates_shl(&c, 4, 3) == 31);
  /* 5-bit add: 4*9 + 4 = 40 */
  ck_assert(fp8_gates_add(&c, 5) == 40);
}
END_TEST

/* doc/DESIGN.md section 5, worked by hand:
 * INT8 -> 27: PP(8) 64 + reduce(8) 364 + add(27) 185 + 27 FF 162 = 775.
 * fp8-e4 (E4, s=4, FX=37, Kulisch 49): front end = 2E OR 8 + PP(4) 16 + reduce(4) 72
 *   + add(4) 24 + XOR 3 + (2s+E+2 = 14) FF 84 = 207;
 *   Kulisch: negate(9) 9*(3+3) = 54 + widen(9, 28) 217 + add(49) 48*7+3 = 339 + 49 FF 294
 *   -> 207 + 54 + 217 + 339 + 294 = 1111.
 *   fp16 (we=5, p=11, W=14, ew=6): 4 + 38 + 36 + 81 + 2 + 14 + 156 + 14 + 45 + 101 + 90
 *   + 11 + 152 + 38 + 3 + 3 + 33 + 15 + 32 + 10 + 3 + 96 = 977 -> 1184.
 *   fp32 (we=8, p=24, W=27, ew=9): 7 + 59 + 54 + 168 + 4 + 27 + 390 + 27 + 84 + 192 + 168
 *   + 26 + 366 + 59 + 3 + 3 + 72 + 24 + 64 + 16 + 3 + 192 = 2008 -> 2215. */
START_TEST(reconstruction_totals)
{
  double ref;
  ck_assert(fp8_gates_reference_total(&paper, &ref) == 0);
  ck_assert_msg(ref == 775, "INT8 -> 27-bit: %g gates, expected 775", ref);
  ck_assert_msg(total("int8", "kulisch:27") == 775, "int8 kulisch:27");
  ck_assert_msg(total("fp8-e4", "kulisch") == 1111, "e4 kulisch: %g", total("fp8-e4", "kulisch"));
  ck_assert_msg(total("fp8-e4", "fp16:ftz") == 1184, "e4 fp16:ftz: %g", total("fp8-e4", "fp16:ftz"));
  ck_assert_msg(total("fp8-e4", "fp32:ftz") == 2215, "e4 fp32:ftz: %g", total("fp8-e4", "fp32:ftz"));
  /* gradual underflow adds add(max(we, L) + 1) + L MUX2, L = ceil(log2(W+1)):
   * fp16: L = 4, add(6) 38 + 12 = 50 -> 1234;  fp32: L = 5, add(9) 59 + 15 = 74 -> 2289 */
  ck_assert_msg(total("fp8-e4", "fp16") == 1234, "e4 fp16: %g", total("fp8-e4", "fp16"));
  ck_assert_msg(total("fp8-e4", "fp32") == 2289, "e4 fp32: %g", total("fp8-e4", "fp32"));
}
END_TEST

/* The paper's Figure 3 claims (section 3.3), for its accumulators, which are
 * kept normalised ("The design maintains normalization of the accumulator"). */
START_TEST(figure3_claims)
{
  double ref = total("int8", "kulisch:27");
  double e4h = total("fp8-e4", "fp16:ftz") / ref, e4s = total("fp8-e4", "fp32:ftz") / ref;
  ck_assert_msg(fabs(e4h - 1.53) <= 0.05, "fp8-e4 -> fp16: %.3fx, paper +53%%", e4h);
  ck_assert_msg(fabs(e4s - 2.83) <= 0.07, "fp8-e4 -> fp32: %.3fx, paper +183%%", e4s);
  /* "For INT8 all the way up to FP8-E3, the fixed-precision accumulator is the most efficient" */
  static const char *const cheap[] = {"int8", "fp8-e2", "fp8-e3"};
  for (int i = 0; i < 3; i++) {
    double k = total(cheap[i], strcmp(cheap[i], "int8") ? "kulisch" : "kulisch:27");
    ck_assert_msg(k < total(cheap[i], "fp16:ftz") && k < total(cheap[i], "fp32:ftz"),
                  "%s: Kulisch %g is not the cheapest", cheap[i], k);
  }
  /* "For FP8-E4 the floating-point and fixed-point accumulation almost break even" */
  double be = total("fp8-e4", "kulisch") / total("fp8-e4", "fp16:ftz");
  ck_assert_msg(be >= 0.9 && be <= 1.1, "fp8-e4 Kulisch/fp16 = %.3f", be);
  /* past the break-even, fp8-e5 is cheaper with an fp16 accumulator */
  ck_assert(total("fp8-e5", "fp16:ftz") < total("fp8-e5", "kulisch"));
}
END_TEST

/* The RTL's bill of materials: no product pipe register, the
 * two's complement multiplier in its own block.  By hand, from the totals
 * above: fp8-e4 registers 2s+E+2 = 14 product bits, 14 FF = 84 gates:
 * Kulisch 1111 - 84 = 1027, fp16:ftz 1184 - 84 = 1100; INT8 -> 27 has no
 * register: 775, all of PP(8) 64 + reduce(8) 364 = 428 in fp8_imul. */
static double unpipelined(const char *in, const char *acc, const char *block)
{
  fp8_format f = fmt(in);
  fp8_acc_spec a;
  fp8_gates_bom b;
  char err[600];
  ck_assert_msg(fp8_gates_acc_parse(acc, &f, &a, err, sizeof err) == 0, "%s: %s", acc, err);
  ck_assert_msg(fp8_gates_bom_build(&f, &a, &b, err, sizeof err) == 0, "%s", err);
  fp8_gates_bom_unpipelined(&b);
  return block ? fp8_gates_bom_block_total(&b, block, &paper) : fp8_gates_bom_total(&b, &paper);
}

START_TEST(rtl_bill_of_materials)
{
  ck_assert_msg(unpipelined("fp8-e4", "kulisch", NULL) == 1027, "%g", unpipelined("fp8-e4", "kulisch", NULL));
  ck_assert_msg(unpipelined("fp8-e4", "fp16:ftz", NULL) == 1100, "%g", unpipelined("fp8-e4", "fp16:ftz", NULL));
  ck_assert(unpipelined("fp8-e4", "kulisch", "fp8_mac_kulisch") == 0);
  ck_assert(unpipelined("int8", "kulisch:27", NULL) == 775);
  ck_assert(unpipelined("int8", "kulisch:27", "fp8_imul") == 428);
  ck_assert(unpipelined("int8", "kulisch:27", "fp8_mul") == 0);
  ck_assert(unpipelined("int8", "kulisch:27", "fp8_kulisch_align") == 0);
}
END_TEST

START_TEST(accumulator_widths)
{
  fp8_acc_spec a;
  char err[600];
  fp8_format e4 = fmt("fp8-e4"), i8 = fmt("int8"), e5m2 = fmt("float8_e5m2");
  ck_assert(fp8_gates_acc_parse("kulisch", &e4, &a, err, sizeof err) == 0);
  ck_assert_int_eq(a.kind, FP8_ACC_KULISCH);
  ck_assert_int_eq(a.width, 49);                 /* FX 37 + 12: "INT37" + 12 */
  ck_assert(fp8_gates_acc_parse("kulisch", &i8, &a, err, sizeof err) == 0);
  ck_assert_int_eq(a.width, 28);                 /* (-128)^2 = 2^14: FX 16 + 12 */
  ck_assert(fp8_gates_acc_parse("kulisch", &e5m2, &a, err, sizeof err) == 0);
  ck_assert_int_eq(a.width, 77);                 /* OCP E5M2 loses the top binade: 65 + 12 */
  ck_assert(fp8_gates_acc_parse("kulisch:27", &i8, &a, err, sizeof err) == 0);
  ck_assert_int_eq(a.width, 27);
  ck_assert(fp8_gates_acc_parse("kulisch:15", &i8, &a, err, sizeof err) == -1);
  ck_assert_msg(strstr(err, "FX = 16"), "%s", err);
  ck_assert(fp8_gates_acc_parse("kulisch:x", &i8, &a, err, sizeof err) == -1);
  ck_assert(fp8_gates_acc_parse("kulisch:36", &e4, &a, err, sizeof err) == -1);
  static const struct { const char *s; int e, p; } fp[] = {
    {"fp16", 5, 11}, {"bf16", 8, 8}, {"fp32", 8, 24}, {"e5m10", 5, 11}, {"e6m9:ieee", 6, 10},
    {"fp16:ftz", 5, 11}, {"e8m7:ftz", 8, 8}};
  for (size_t i = 0; i < sizeof fp / sizeof fp[0]; i++) {
    ck_assert_msg(fp8_gates_acc_parse(fp[i].s, &e4, &a, err, sizeof err) == 0, "%s: %s", fp[i].s, err);
    ck_assert_int_eq(a.kind, FP8_ACC_FP);
    ck_assert_int_eq(a.fmt.ebits, fp[i].e);
    ck_assert_int_eq(a.fmt.mbits + 1, fp[i].p);
    ck_assert_int_eq(a.ftz, strstr(fp[i].s, ":ftz") != NULL);
  }
  ck_assert(fp8_gates_acc_parse("int32", &e4, &a, err, sizeof err) == -1);
  ck_assert(fp8_gates_acc_parse("nonsense", &e4, &a, err, sizeof err) == -1);
  ck_assert_msg(strstr(err, "nonsense"), "%s", err);
}
END_TEST

static const fp8_gates_line *find_line(const fp8_gates_bom *b, const char *block, fp8_gates_kind k)
{
  for (size_t i = 0; i < b->n; i++)
    if (!strcmp(b->line[i].block, block) && b->line[i].kind == k)
      return &b->line[i];
  return NULL;
}

/* Line sizes come from the descriptor: fp8-e5 (s=3, k=60, FX=67, Kulisch 79). */
START_TEST(bom_widths)
{
  fp8_format f = fmt("fp8-e5");
  fp8_acc_spec a;
  fp8_gates_bom b;
  char err[600];
  ck_assert(fp8_gates_acc_parse("kulisch", &f, &a, err, sizeof err) == 0);
  ck_assert(fp8_gates_bom_build(&f, &a, &b, err, sizeof err) == 0);
  const fp8_gates_line *l = find_line(&b, "fp8_kulisch_align", FP8_GK_SHL_WIDEN);
  ck_assert(l && l->n == 7 && l->k == 60);     /* 2s+1 = 7 bits over 67 - 7 = 60 positions */
  l = find_line(&b, "fp8_kulisch_acc", FP8_GK_ADD);
  ck_assert(l && l->n == 79);
  l = find_line(&b, "fp8_mul", FP8_GK_PP);
  ck_assert(l && l->n == 3);
  /* fp8-e5 -> bf16 (we 8, p 8): W = max(2s=6, 8) + 3 = 11 */
  ck_assert(fp8_gates_acc_parse("bf16", &f, &a, err, sizeof err) == 0);
  ck_assert(fp8_gates_bom_build(&f, &a, &b, err, sizeof err) == 0);
  l = find_line(&b, "fp8_fpacc_align", FP8_GK_SHR);
  ck_assert(l && l->n == 11 && l->k == 11);
  l = find_line(&b, "fp8_fpacc_norm", FP8_GK_SHL);
  ck_assert(l && l->n == 12 && l->k == 11);
  /* a Kulisch narrower than the product is refused, not counted */
  a.kind = FP8_ACC_KULISCH;
  a.width = 66;
  ck_assert(fp8_gates_bom_build(&f, &a, &b, err, sizeof err) == -1);
  ck_assert_msg(strstr(err, "67"), "%s", err);
}
END_TEST

static int is_rtl_block(const char *s)
{
  for (size_t i = 0; fp8_gates_rtl_blocks[i]; i++)
    if (!strcmp(fp8_gates_rtl_blocks[i], s))
      return 1;
  return 0;
}

/* Every split the descriptor allows (4..16 bits), with each accumulator:
 * the BOM builds, names contract blocks only, its blocks sum to the total,
 * and one more mantissa bit never makes a MAC cheaper. */
START_TEST(every_split)
{
  static const char *const accs[] = {"kulisch", "fp16", "bf16:ftz", "fp32"};
  int checked = 0;
  for (int e = 1; e <= 8; e++)
    for (int m = 0; e + m + 1 <= 16; m++)
      for (int ai = 0; ai < 4; ai++) {
        char spec[32], err[600];
        fp8_format f;
        snprintf(spec, sizeof spec, "e%dm%d:fnuz", e, m);
        if (e + m + 1 < 4 || fp8_format_parse(spec, &f, err, sizeof err))
          continue;
        fp8_acc_spec a;
        fp8_gates_bom b;
        ck_assert_msg(fp8_gates_acc_parse(accs[ai], &f, &a, err, sizeof err) == 0, "%s", err);
        ck_assert_msg(fp8_gates_bom_build(&f, &a, &b, err, sizeof err) == 0, "%s/%s: %s", spec,
                      accs[ai], err);
        double t = fp8_gates_bom_total(&b, &paper), sum = 0;
        for (size_t i = 0; i < b.n; i++) {
          ck_assert_msg(is_rtl_block(b.line[i].block), "%s: '%s'", spec, b.line[i].block);
          ck_assert(fp8_gates_line_cost(&b.line[i], &paper) >= 0);
        }
        for (size_t i = 0; fp8_gates_rtl_blocks[i]; i++)
          sum += fp8_gates_bom_block_total(&b, fp8_gates_rtl_blocks[i], &paper);
        ck_assert(t > 0 && isfinite(t) && fabs(sum - t) < 1e-9);
        char next[32];
        fp8_format g;
        snprintf(next, sizeof next, "e%dm%d:fnuz", e, m + 1);
        if (e + m + 2 <= 16 && fp8_format_parse(next, &g, err, sizeof err) == 0 &&
            fp8_gates_acc_parse(accs[ai], &g, &a, err, sizeof err) == 0) {
          double tn;
          ck_assert(fp8_gates_total(&g, &a, &paper, &tn, err, sizeof err) == 0);
          ck_assert_msg(tn > t, "%s/%s %g gates >= %s %g", spec, accs[ai], t, next, tn);
        }
        checked++;
      }
  ck_assert_int_ge(checked, 4 * 80);
}
END_TEST

/* Bad tables: the message names the file and line and what was expected. */
static const char good[] =
  "component\tcost\tnote\nNOT\t0\nAND2\t1\nNAND2\t1\nOR2\t1\nNOR2\t1\nAO21\t2\nAOI21\t2\n"
  "OA21\t2\nOAI21\t2\nMUX2\t3\nXOR2\t3\nXNOR2\t3\nHA\t3\nFA\t2*HA+OR2\nFF\t2*MUX2\n";

static void expect_bad(const char *text, const char *needle1, const char *needle2)
{
  fp8_gates_costs c;
  char err[600] = "";
  ck_assert_msg(fp8_gates_costs_parse(text, "my.tsv", &c, err, sizeof err) == -1,
                "accepted a table that should fail with '%s'", needle1);
  ck_assert_msg(strstr(err, needle1) && (!needle2 || strstr(err, needle2)),
                "message '%s' lacks '%s' / '%s'", err, needle1, needle2 ? needle2 : "");
}

START_TEST(bad_tables)
{
  fp8_gates_costs c;
  char err[600], buf[2048];
  ck_assert_msg(fp8_gates_costs_parse(good, "my.tsv", &c, err, sizeof err) == 0, "%s", err);
  /* missing component: drop the FF line */
  snprintf(buf, sizeof buf, "%.*s", (int)(strstr(good, "FF\t") - good), good);
  expect_bad(buf, "missing component 'FF'", "my.tsv");
  /* negative cost on line 3 */
  expect_bad("component\tcost\nNOT\t0\nAND2\t-1\n", "my.tsv:3:", "negative");
  /* malformed line (no tab) on line 2 */
  expect_bad("component\tcost\nNOT 0\n", "my.tsv:2:", "malformed");
  /* unknown component on line 1 */
  expect_bad("FOO\t1\n", "my.tsv:1:", "unknown component 'FOO'");
  /* a cost that is no number and no component */
  expect_bad("NOT\t0\nAND2\tcheap\n", "my.tsv:2:", "'cheap'");
  /* a component given twice */
  expect_bad("NOT\t0\nNOT\t0\n", "my.tsv:2:", "twice");
  /* FA before HA: a forward reference */
  expect_bad("NOT\t0\nOR2\t1\nFA\t2*HA+OR2\n", "my.tsv:3:", "before");
  /* blank lines and comments keep the line count right */
  expect_bad("# c\n\nNOT\t0\n\n  \nBAD\t1\n", "my.tsv:6:", NULL);
  /* a missing file names itself */
  ck_assert(fp8_gates_costs_load("/nonexistent/cells.tsv", &c, err, sizeof err) == -1);
  ck_assert_msg(strstr(err, "/nonexistent/cells.tsv"), "%s", err);
}
END_TEST

/* A real Yosys 0.23 'stat' (synth; dffunmap; abc -g ...) of a small design with
 * two submodules.  Weights worked by hand:
 *  fp8_mul:  AND 21 + AOI3 5*2 + NAND 8 + NOR 4 + OAI3 2*2 + XNOR 10*3 + XOR 9*3 = 104
 *  kulisch_acc: AND 6 + AOI3 3*2 + DFF 12*6 + MUX 10*3 + NAND 6 + NOR 4 + OAI3 9*2
 *            + OR 3 + XNOR 12*3 + XOR 10*3 = 211
 *  top: XOR 8*3 = 24;  total 339 = the flattened part's
 *  27 + 16 + 72 + 30 + 14 + 8 + 22 + 3 + 66 + 81. */
static const char stat_text[] =
  "9. Printing statistics.\n\n"
  "=== $paramod\\fp8_kulisch_acc\\W=s32'00000000000000000000000000001100 ===\n\n"
  "   Number of wires:                 69\n   Number of cells:                 75\n"
  "     $_AND_                          6\n     $_AOI3_                         3\n"
  "     $_DFF_PN0_                     12\n     $_MUX_                         10\n"
  "     $_NAND_                         6\n     $_NOR_                          4\n"
  "     $_OAI3_                         9\n     $_OR_                           3\n"
  "     $_XNOR_                        12\n     $_XOR_                         10\n\n"
  "=== $paramod\\fp8_mul\\N=s32'00000000000000000000000000000100 ===\n\n"
  "   Number of wires:                 54\n   Number of cells:                 59\n"
  "     $_AND_                         21\n     $_AOI3_                         5\n"
  "     $_NAND_                         8\n     $_NOR_                          4\n"
  "     $_OAI3_                         2\n     $_XNOR_                        10\n"
  "     $_XOR_                          9\n\n"
  "=== mac_toy ===\n\n   Number of wires:                 15\n"
  "   Number of cells:                 10\n     $_XOR_                          8\n"
  "     $paramod\\fp8_kulisch_acc\\W=s32'00000000000000000000000000001100      1\n"
  "     $paramod\\fp8_mul\\N=s32'00000000000000000000000000000100      1\n\n"
  "=== design hierarchy ===\n\n   mac_toy                           1\n"
  "     $paramod\\fp8_kulisch_acc\\W=s32'00000000000000000000000000001100      1\n"
  "     $paramod\\fp8_mul\\N=s32'00000000000000000000000000000100      1\n\n"
  "   Number of wires:                138\n   Number of cells:                142\n"
  "     $_AND_                         27\n     $_AOI3_                         8\n"
  "     $_DFF_PN0_                     12\n     $_MUX_                         10\n"
  "     $_NAND_                        14\n     $_NOR_                          8\n"
  "     $_OAI3_                        11\n     $_OR_                           3\n"
  "     $_XNOR_                        22\n     $_XOR_                         27\n";

static double block_gates(const fp8_synth_result *r, const char *name)
{
  for (size_t i = 0; i < r->nblocks; i++)
    if (!strcmp(r->block[i].name, name))
      return r->block[i].gates;
  return -1;
}

START_TEST(synth_stat_weights)
{
  fp8_synth_result r;
  char err[600];
  ck_assert_msg(fp8_gates_synth_parse(stat_text, "mac_toy", &paper, &r, err, sizeof err) == 0,
                "%s", err);
  ck_assert_msg(r.total == 339, "total %g", r.total);
  ck_assert(r.tree_total == 339);
  ck_assert_int_eq(r.cells, 142);
  ck_assert_int_eq(r.flops, 12);
  ck_assert(block_gates(&r, "fp8_mul") == 104);
  ck_assert(block_gates(&r, "fp8_kulisch_acc") == 211);
  ck_assert(block_gates(&r, "mac_toy") == 24);
  /* the flattened part disagreeing with the modules is caught */
  char *bad = strdup(stat_text);
  static const char xor27[] = "$_XOR_                         27";
  char *p = strstr(strstr(bad, "design hierarchy"), xor27);
  memcpy(p + strlen(xor27) - 2, "28", 2);
  ck_assert(fp8_gates_synth_parse(bad, "mac_toy", &paper, &r, err, sizeof err) == -1);
  ck_assert_msg(strstr(err, "disagree"), "%s", err);
  free(bad);
  /* a coarse cell abc did not map has no cost */
  ck_assert(fp8_gates_synth_parse("=== t ===\n   Number of cells: 1\n     $alu   1\n"
                                  "=== design hierarchy ===\n   Number of cells: 1\n     $alu   1\n",
                                  "t", &paper, &r, err, sizeof err) == -1);
  ck_assert_msg(strstr(err, "$alu"), "%s", err);
  ck_assert(fp8_gates_synth_parse(stat_text, "nosuchtop", &paper, &r, err, sizeof err) == -1);
  ck_assert_msg(strstr(err, "nosuchtop"), "%s", err);
}
END_TEST

int main(void)
{
  if (load_paper())
    return EXIT_FAILURE;
  Suite *s = suite_create("gates");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, table_matches_appendix_b);
  tcase_add_test(tc, shift_stages);
  tcase_add_test(tc, composites_by_hand);
  tcase_add_test(tc, composites_follow_the_table);
  tcase_add_test(tc, reconstruction_totals);
  tcase_add_test(tc, figure3_claims);
  tcase_add_test(tc, rtl_bill_of_materials);
  tcase_add_test(tc, accumulator_widths);
  tcase_add_test(tc, bom_widths);
  tcase_add_test(tc, every_split);
  tcase_add_test(tc, bad_tables);
  tcase_add_test(tc, synth_stat_weights);
  suite_add_tcase(s, tc);
  return fp8_check_run(s);
}
