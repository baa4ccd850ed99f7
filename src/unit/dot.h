/* dot.h - the generalized dot-product unit (doc/DESIGN.md section 3): N exact
 * products and the accumulator C added in one step, the terms aligned to the
 * step's largest alignment exponent and rounded into a window, the sum
 * rounded into the accumulator format, promotion into fp32 every k steps.
 * The scalar MAC of mac.h is the case N = 1, exact alignment (the unit runs
 * mac.h's kernels for it); the tensor-core presets are other values.
 *
 * This header is the contract the RTL is judged against.  No GSL, no
 * printing.  The operands are block.h's one description: a per-tensor
 * format is the block format with no block scale (fp8_block_from_format).
 *
 * ---- The description (fp8_dot_spec) -----------------------------------------
 *   n        products per step, 1..FP8_DOT_MAX_N.  A chain of K products runs
 *            ceil(K/n) steps; the last step is padded with zero products.
 *   window   F >= 0: terms are rounded to a multiple of 2^(emax - F), i.e. F
 *            fraction bits below the step's largest alignment exponent emax;
 *            FP8_DOT_EXACT: no rounding of terms (exact alignment).
 *   term     rounding of each term into the window: FP8_DOT_RTZ (toward zero:
 *            the magnitude is truncated), FP8_DOT_RNE, FP8_DOT_RDN (toward -Inf:
 *            an arithmetic shift of the two's complement term).
 *   zero_exp the alignment exponent of a zero term (product or C).
 *   fused    true: C is one more term of the step (its alignment exponent
 *            takes part in emax, it is rounded into the window like the
 *            products); false: the products alone are aligned and summed
 *            (exactly, into S), and then C + S is rounded once.
 *   acc      the accumulator: an IEEE-style eXmY of at most 24 bits of
 *            precision (fp32, fp16, bf16, Hopper's e8m13, ...) or Kulisch.
 *   round    rounding of the step's result into an FP acc: FP8_ROUND_RNE or
 *            FP8_ROUND_RTZ (through fp8_round_pack: one rounding point;
 *            overflow to Inf under RNE, to max finite under RTZ, IEEE 754).
 *   promote  k >= 1: after every k steps, and after the last step of a chain,
 *            C is added into an outer fp32 accumulator P with one RNE
 *            rounding of the exact sum (P <- round_fp32(P + C)) and C restarts
 *            at +0; 0: no promotion, the chain's result is C.
 *   kblock   0: no block-scale stage (per-tensor units; everything above).
 *            B >= 1: a block-scale stage (block-scaled formats, block.h): every
 *            B consecutive products of a chain share one scale pair X_A, X_B,
 *            and the stage applies them to the terms before alignment; see
 *            "The block-scale stage" below.
 *   group    (with kblock) 0 (spelled `product`): every product is a term,
 *            scaled; G >= 1: the exact sum of G consecutive products is one
 *            term, scaled (G divides B and n).
 *
 * ---- Alignment exponents -------------------------------------------------------
 * For an operand code x of format X (fp8_codec_unpack: x = sig * 2^exp) its
 * alignment exponent is ae(x) = exp + M_X: the unbiased exponent field, a
 * subnormal counted at emin = 1 - bias (integers: M_X = bits - 1).  A
 * product term a*b has ae = ae(a) + ae(b) and value sigA*sigB * 2^(ae - MA - MB)
 * (the significand product unnormalized, in [0, 4)); C has ae = exp + M_acc
 * (its exponent, emin if subnormal).  A zero term has ae = zero_exp.
 * emax = max ae over the step's n products (and C when fused).
 *
 * ---- One step (FP accumulator), in this order ----------------------------------
 *   1. specials: a NaN operand, 0 x Inf, or C NaN -> C = NaN; else Inf terms
 *      (products and C) all of one sign -> C = that Inf; Inf of both signs ->
 *      NaN.  0 x Inf and Inf - Inf set FP8_DOT_INVALID.  NaN is the canonical
 *      positive quiet NaN of the accumulator format.
 *   2. each term t (a value v) becomes t' = round_term(v / 2^(emax - F)) *
 *      2^(emax - F) (exact alignment: t' = v).
 *   3. fused: s = sum of the t' (exact);  after: s = C + sum of the t'.
 *   4. C = s == 0 ? +0 : round_acc(s) (fp8_round_pack into acc with `round`).
 *      No -0 is ever produced (the published convention; -0 inputs are zeros).
 * Flags (sticky, FP8_DOT_*, the FP values of mac.h) collect fp8_round_pack's
 * INEXACT, UNDERFLOW and OVERFLOW over steps and promotions; the rounding of
 * terms into the window is not a flag (it is the unit's arithmetic).
 * The N = 1, exact, RNE case equals mac.h's FP accumulator bit for bit (there
 * a -0 survives -0 + -0, as IEEE 754 says; such a unit runs mac.h's kernel).
 *
 * ---- Kulisch accumulator --------------------------------------------------------
 * acc.kind == FP8_ACC_KULISCH requires exact alignment and promote == 0: the
 * products of a chain are added exactly into the W-bit register of mac.h (its
 * wrap and special-value flags); n changes nothing in the register's value.
 * W must hold the sum of n products (W >= FX + ceil(log2 n)).  A step of n
 * products (fp8_dot_step, the RTL's fp8_dot_kulisch) adds their exact sum S
 * at once: FP8_MAC_WRAP is set when acc + S leaves the W-bit range (the
 * chain's mac.h kernel flags each product's add; the two differ only when a
 * partial sum inside one step leaves the range and comes back).
 *
 * ---- The block-scale stage (kblock = B >= 1) ----------------------------------------
 * The unit is allocated with block formats (fp8_dot_alloc) and fed codes
 * with one scale code per B products (fp8_dot_push_block).  A scale code S of
 * scale format Z (block.h: E8M0, UE4M3, ...) with the element's implicit
 * 2^shift stands for X = sigS * 2^(aeS - M_Z), aeS = exp + M_Z + shift (the
 * alignment exponent of the scale, like an operand's); the per-tensor fp32
 * scale of NVFP4 is not the unit's: it is the GEMM epilogue's scale_a/scale_b.
 * Terms of a step, replacing the products of "Alignment exponents":
 *   group 0:   each product a*b of block k:  value X_A*X_B*a*b, alignment
 *              exponent ae(a) + ae(b) + aeS_A + aeS_B (the scales' exponents
 *              join each product's alignment; MMA-Sim's kind::mxf8f6f4 model);
 *              a zero product has ae = zero_exp.
 *   group G:   each run of G products (one scale pair): value X_A*X_B*sum,
 *              the sum exact, alignment exponent aeS_A + aeS_B whatever the
 *              sum's magnitude, also for a zero sum (MMA-Sim's kind::mxf4 and
 *              kind::mxf4nvf4 model, G = 16); a zero scale value gives a zero
 *              term with ae = zero_exp.
 * Then steps 2-4 above, unchanged (window F below emax, term rounding, fused
 * or after, one rounding into acc).  With window = exact every step must see
 * one scale pair (n <= B, B a multiple of n): the step's exact sum is
 * X_A*X_B*(sum of its products) and C + it is rounded once (the OCP MX
 * reference semantics with n = G = B: Dot exact per block, accumulated into
 * fp32 with one RNE rounding per block).
 * Specials: a NaN scale (E8M0 0xff, UE4M3 0x7f) makes its products NaN, so the
 * step's C is NaN; Inf scales (formats that have them) act as Inf factors
 * (0 x Inf is NaN, FP8_DOT_INVALID).  A chain's last block may be short;
 * a partial step is padded with absent products (no term, no scale).
 *
 * ---- Promotion --------------------------------------------------------------------
 * P starts at +0; P <- round_fp32_rne(P + C) with IEEE specials (NaN wins,
 * Inf - Inf = NaN); an exact zero sum is +0.  The chain's fp32 result is P when
 * promote >= 1, else C rounded RNE into fp32 (exact for every acc of at most
 * fp32's range and precision); a NaN result is FP8_DOT_NAN_F32 (0x7fffffff).
 *
 * ---- The GEMM epilogue (fp8_gemm) -------------------------------------------------
 * out[i][j] = round_out(round_fp32(r * round_fp32(scale_a * scale_b))), r the
 * chain's fp32 result over A's row i and B's row j, round_out RNE (overflow to
 * Inf) into the output format; NaN is written as the format's
 * fp8_format_nan_code_ones (format.h): the positive NaN with every magnitude
 * bit set where that code is a NaN (0x7fffffff, 0x7fff: NVIDIA's canonical
 * NaN, recorded on an H200; 0x7f for E4M3FN and E5M2), else the format's own
 * NaN (0x80 for FNUZ and signed P3109 formats).  An output format without a
 * NaN (e.g. float4_e2m1fn) is refused before any work, whether or not a NaN
 * would arise: the rule does not depend on the data.
 *
 * ---- Split-K reduction (splitk; dot_reduce.c) -----------------------------------------
 * How a GEMM reduces a long K around the unit (doc/DESIGN.md section 3): the
 * unit's chain is unchanged, the GEMM cuts K into chunks and adds their
 * results.  splitk S:
 *   0 or 1   one chain over K (everything above; 0 is a zeroed spec's value).
 *   S >= 2   K is cut into tiles of FP8_DOT_SPLITK_TILE = 128 products, the
 *            tiles into chunks of T = ceil(ceil(K/128) / S) tiles: chunk i is
 *            products [128*T*i, min(128*T*(i+1), K)), the last one shorter,
 *            chunks past K absent (so at most S of them).  Each chunk is a
 *            chain of its own from C = +0 (and P = +0: promotion counts steps
 *            from the chunk's start), read as that chain's fp32 result r_i.
 *            The results are added in order in fp32, each addition one RNE
 *            rounding of the exact sum with the specials of "Promotion":
 *            R = round(...round(round(r_0 + r_1) + r_2)... + r_last).  R takes
 *            the place of r in the epilogue: the scale is applied once, after.
 *   FP8_DOT_SPLITK_AUTO (spelled auto): S = 1 for K <= 4096, else
 *            S = ceil(K / 3072): what cuBLASLt (CUDA 13.0, torch 2.11) chose
 *            for torch._scaled_mm on an H100 with M = N = 32 at K = 6144 (S = 2),
 *            8192 (3), 12288 (4) and 16384 (6), and (S = 1) on an H200 at
 *            K <= 4096 (tests/data/h100-fp8-largek, tests/data/h200-fp8).  The
 *            library's choice depends on the shape, the GPU and its version:
 *            outside those shapes the rule is an extrapolation.
 * The evidence (every output of the recording; fp8lab(1), gemm): this rule
 * matches 196,608 of 196,608; one chain 136,548; a 32-product granule instead
 * of 128, 151,719; a pairwise tree of the r_i 196,207; their exact sum rounded
 * once 196,027; the scale applied to each r_i before the sum 188,926.
 * splitk belongs to the GEMM (fp8_gemm, fp8_dot_splitk_u16): a chain fed
 * through fp8_dot_push is one chain whatever splitk says, and the commands
 * that model one chain (mac, window, gates, verify) ignore it.
 *
 * ---- What the RTL reproduces --------------------------------------------
 * Per step: the n (sign, significand product, alignment exponent) terms and C
 * as above, emax, each term shifted right by emax - ae and rounded into F
 * fraction bits (toward zero: the magnitude truncated, i.e. a sign-magnitude
 * shift; never an arithmetic shift of a two's complement value, which is
 * toward -Inf), an exact adder tree, one normalize-and-round into the
 * accumulator format.  fp8_dot_step is the reference for one step; the
 * registers are C (and P with promotion) and the step counter.
 *
 * ---- Errors ------------------------------------------------------------------------
 * Functions that can fail return -1 / NULL and write a message naming the bad
 * value and what was expected into err.
 */
#ifndef FP8_DOT_H
#define FP8_DOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "block.h"
#include "codec.h"
#include "format.h"
#include "mac.h"

#define FP8_DOT_MAX_N 1024
/* A NaN result of a unit's chain (not of the per-step MAC): NVIDIA's
 * canonical NaN, as MMA-Sim models it; fp8_gemm writes 0x7fff into 16-bit
 * outputs. */
#define FP8_DOT_NAN_F32 0x7fffffffu
#define FP8_DOT_EXACT (-1)
/* Largest window: every term of a step and their sum fit 64 bits. */
#define FP8_DOT_MAX_WINDOW 48
/* Split-K (see "Split-K reduction"): the automatic choice, the granule of the
 * chunk boundaries (products), and the largest S. */
#define FP8_DOT_SPLITK_AUTO (-1)
#define FP8_DOT_SPLITK_TILE 128
#define FP8_DOT_MAX_SPLITK 1024

typedef enum fp8_dot_term_round { FP8_DOT_RTZ, FP8_DOT_RNE, FP8_DOT_RDN } fp8_dot_term_round;

enum {
  FP8_DOT_INEXACT = FP8_MAC_INEXACT, FP8_DOT_UNDERFLOW = FP8_MAC_UNDERFLOW,
  FP8_DOT_OVERFLOW = FP8_MAC_OVERFLOW, FP8_DOT_INVALID = FP8_MAC_INVALID
};

typedef struct fp8_dot_spec {
  int n;
  int window;                 /* F, or FP8_DOT_EXACT */
  fp8_dot_term_round term;
  int zero_exp;
  bool fused;
  fp8_acc_spec acc;
  fp8_round_mode round;       /* FP8_ROUND_RNE or FP8_ROUND_RTZ */
  int promote;
  int kblock;                 /* 0, or B products per scale pair */
  int group;                  /* 0: per product; G: exact sums of G products */
  int splitk;                 /* 0/1: one chain; S: split-K chunks; FP8_DOT_SPLITK_AUTO */
} fp8_dot_spec;

/* ---- Spelling ---------------------------------------------------------------------
 * BASE[:KEY=VALUE]...  BASE is a preset (fp8_dot_spec_presets) or an accumulator
 * of mac.h (kulisch, kulisch:W, fp16, bf16, fp32, eXmY, each :ftz) meaning
 * n = 1, exact, rne, fused, promote 0.  Keys override: n=N, window=F|exact,
 * term=rtz|rne|rdn, zero=E, c=fused|after, acc=FORMAT (an IEEE eXmY),
 * round=rtz|rne, promote=K, kblock=B (0: none), group=product|G,
 * splitk=S|auto (1..FP8_DOT_MAX_SPLITK).  E.g.
 * hopper-fp8, hopper-fp8:promote=4, fp32:n=16:window=24:term=rne,
 * blackwell-nvf4, fp32:n=32:window=exact:c=after:kblock=32:group=32.
 * The grammar is spell.h's: the accumulator's own parts come before the
 * keys; refused besides: acc= after an accumulator base, and keys that
 * contradict the accumulator (kulisch with window, promote or kblock;
 * :ftz with anything but the per-step MAC).
 * Returns 0, or -1 with a message in err. */
int fp8_dot_spec_parse(const char *s, fp8_dot_spec *spec, char *err, size_t errlen);
/* sizeof(fp8_dot_spec), for bindings that hold one as opaque bytes (the
 * Python package parses units into such a buffer and passes it to fp8_gemm). */
size_t fp8_dot_spec_sizeof(void);
/* The canonical spelling: a preset's name (with its changed keys), or the
 * accumulator's name for the MAC case, else the accumulator with every key. */
void fp8_dot_spec_name(const fp8_dot_spec *spec, char *buf, size_t len);
/* True for the per-step MAC of mac.h (n = 1, exact, no promotion, rne, no
 * block-scale stage). */
bool fp8_dot_spec_is_mac(const fp8_dot_spec *spec);

/* "key=value\n" lines (snprintf semantics; returns the length needed): name
 * acc n window (exact or F) term zero c round promote kblock group (0 =
 * product) is_mac (0/1). */
size_t fp8_dot_spec_describe(const fp8_dot_spec *spec, char *buf, size_t len);
/* Presets (*n of them): name, spelling, one-line description, and where the
 * model comes from. */
const fp8_preset *fp8_dot_spec_presets(size_t *n);

/* ---- The unit ----------------------------------------------------------------------
 * A chain: fp8_dot_clear, then fp8_dot_push any number of times (the unit
 * keeps a partial step), then read the result; reading does not end the chain
 * (it gives what the chain would return if K ended here: the partial step
 * padded with zero products, then the final promotion). */
typedef struct fp8_dot fp8_dot;

/* The unit for operands oa and ob (ob == NULL means ob = oa): per-tensor
 * formats (block FP8_BLOCK_NONE: fp8_block_from_format) for a unit without a
 * block-scale stage, block formats of block size kblock for a unit with one
 * (their elements are the input formats, their scale formats the scales').
 * Fails for inputs wider than 16 bits, operands that do not match the
 * unit's stage, a spec out of range (n, window, promote), a Kulisch acc with
 * a window or promotion, ftz off the MAC case, products too wide for exact
 * alignment into an FP accumulator (more than 70 bits with the step's
 * carries); with the stage, group not dividing kblock and n, an exact
 * window with more than one scale pair per step, or terms too wide for the
 * step's 127-bit sum; or no memory. */
fp8_dot *fp8_dot_alloc(const fp8_block_format *oa, const fp8_block_format *ob, const fp8_dot_spec *spec,
                       char *err, size_t errlen);
void fp8_dot_free(fp8_dot *d);
const fp8_dot_spec *fp8_dot_spec_of(const fp8_dot *d);

void fp8_dot_clear(fp8_dot *d);
/* Feed len code pairs (_u8: input formats of at most 8 bits). */
void fp8_dot_push_u8(fp8_dot *d, const uint8_t *a, const uint8_t *b, size_t len);
void fp8_dot_push_u16(fp8_dot *d, const uint16_t *a, const uint16_t *b, size_t len);

/* Feed len code pairs and the scale codes of the blocks they touch: blocks
 * are B products from the start of the chain, sa[0], sb[0] scale the block
 * the first product falls in (a push may start mid-block: it continues that
 * block, whose scale must be the one given before), sa[1] the next, ...
 * Returns 0, or -1 for a unit without the stage.  fp8_dot_push_u8/u16 on
 * such a unit feed every product with the scale 1 (X = 1: the code of 1.0,
 * or of 2^-shift). */
int fp8_dot_push_block(fp8_dot *d, const uint16_t *a, const uint16_t *b, const uint16_t *sa,
                       const uint16_t *sb, size_t len);

/* One complete step from a given C (the RTL's view): n code pairs
 * a[0..n-1], b[0..n-1] and C's code in the accumulator format; returns the
 * new C's code (before any promotion: promotion is the chain's, outside the
 * step).  Flags of this step ORed into *flags (may be NULL).  Does not touch
 * the unit's chain.  A Kulisch
 * unit: c is the W-bit register (W <= 32; wider registers are returned
 * unchanged), *flags carries mac.h's Kulisch flags in and out (the incoming
 * ones take part in the NaN rule), the step as "Kulisch accumulator" says. */
uint32_t fp8_dot_step(fp8_dot *d, const uint32_t *a, const uint32_t *b, uint32_t c,
                      unsigned *flags);

/* The chain's fp32 result (see Promotion), as float32 bits. */
uint32_t fp8_dot_result_f32(const fp8_dot *d, unsigned *flags);
/* The chain's value as a double: promote = 0, C's value (exact; Kulisch:
 * mac.h's fp8_mac_value, the nearest double); promote >= 1, the fp32 result. */
double fp8_dot_value(const fp8_dot *d);

/* ---- GEMM --------------------------------------------------------------------------
 * C[m][n] = epilogue(chain over k of A[m][:] and B[n][:]): A is M x K codes
 * of operand oa, B is N x K codes of ob, row-major (row j is column j of the
 * product), one chain per output, codes of at most 8 bits.  Block operands
 * also take their scale codes: sa M x ceil(K/B), sb N x ceil(K/B), one byte
 * each, row-major (blocks along K; a row's last block may be short); NULL
 * for per-tensor operands.  scale_a, scale_b: the per-tensor fp32 scales
 * (NVFP4's second level; 1 for MX), applied in the epilogue.  out: the
 * output format (fp32, bf16, fp16 or any float); c receives M x N codes
 * row-major, uint16_t for outputs of at most 16 bits, else uint32_t.  Every
 * byte must be a code of its format (below 2^bits: a 4-bit format takes
 * 0x00..0x0f); a byte beyond it is refused, never masked.  Memory: besides
 * the operands and c, per-tensor operands are decoded once (4 bytes per code)
 * when that takes at most FP8_GEMM_DECODE_MAX bytes, else every chain reads
 * the codes (same results, bounded memory, slower for large M and N).
 * Returns 0, or -1 with a message (bad formats, codes or spec, out of
 * memory; messages do not name the command: callers prefix it).  The
 * unit's splitk splits each chain (see "Split-K reduction"; block operands
 * with a split K are refused: split-K is measured for per-tensor FP8 only). */
#define FP8_GEMM_DECODE_MAX (256ul << 20)
/* The codes x[0..rows*cols-1] of format f (at most 8 bits), row-major: 0 if
 * each is below 2^bits, else -1 with a message naming what, the first bad
 * byte, its index (the byte offset of a file holding x), row and column, and
 * the format. */
int fp8_gemm_check_codes(const fp8_format *f, const uint8_t *x, size_t rows, size_t cols, const char *what,
                         char *err, size_t errlen);
int fp8_gemm(const fp8_dot_spec *unit, const fp8_block_format *oa, const fp8_block_format *ob,
             size_t m, size_t n, size_t k, const uint8_t *a, const uint8_t *b, const uint8_t *sa,
             const uint8_t *sb, float scale_a, float scale_b, const fp8_format *out, void *c,
             char *err, size_t errlen);
/* ---- Split-K (dot_reduce.c) ----------------------------------------------------------
 * Returns 0 if spec's splitk is 0, 1, FP8_DOT_SPLITK_AUTO or 2..FP8_DOT_MAX_SPLITK,
 * else -1 with a message naming it. */
int fp8_dot_splitk_check(const fp8_dot_spec *spec, char *err, size_t errlen);
/* The chunks of a chain of k products under spec's splitk (auto resolved):
 * returns their number (1 for one chain, also for k = 0) and writes the length
 * of every chunk but the last into *len (may be NULL). */
size_t fp8_dot_splitk_chunks(const fp8_dot_spec *spec, size_t k, size_t *len);
/* The GEMM's fp32 result for one pair of code vectors a, b of length k under
 * d's splitk (one chain when it is 0 or 1): the unit is cleared and runs the
 * chunks; returns R as float32 bits (a NaN is FP8_DOT_NAN_F32).  Flags of the
 * chains and of the additions ORed into *flags (may be NULL).  Leaves the
 * unit holding the last chunk's chain. */
uint32_t fp8_dot_splitk_u16(fp8_dot *d, const uint16_t *a, const uint16_t *b, size_t k, unsigned *flags);

#endif
