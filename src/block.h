/* block.h - block-scaled formats (OCP Microscaling MX, NVIDIA NVFP4, and any
 * other element/scale/block combination): one descriptor, presets that are
 * spellings of it, and the quantizer (DESIGN.md section 2).
 *
 * ---- Operands ---------------------------------------------------------------------
 * fp8_block_format is the description of every operand fp8lab quantizes or
 * feeds to a unit: a per-tensor format is the block format with no block
 * scale (block == 0, FP8_BLOCK_NONE; fp8_block_from_format makes one from an
 * fp8_format).  Such an operand has shift 0, no tensor scale, and a scale
 * format that is never read (all zero); its X is 1, so every function below
 * treats its values as the element codes' own (scale codes are 0 and rows
 * have no scales: fp8_block_nscales is 0).  The parser and fp8_block_name
 * know only block spellings; a plain operand's name is its format's spelling.
 *
 * ---- The descriptor (fp8_block_format) ------------------------------------------
 * A block of `block` consecutive values along a tensor's last axis shares one
 * scale, stored as a code of the scale format `scale`.  Element i of a block
 * with scale code S stands for
 *     v_i = decode_elem(c_i) * 2^shift * X,   X = decode_scale(S) * T
 * where shift is the elements' implicit power of two (MXINT8: -6, so int8
 * codes are 2's complement fixed point with 6 fraction bits) and T is the
 * per-tensor fp32 scale when `tensor` is set (NVFP4's second level), else 1.
 * The element's largest value is Emax_v = max_elem * 2^shift and its exponent
 * emax = floor(log2 Emax_v) (e4m3fn 8, e5m2 15, e3m2 4, e2m3 2, e2m1 2,
 * MXINT8 0: the "emax_elem" of the OCP MX specification, table 1).
 *
 * ---- The scale of a block (fp8_block_scale_code) -----------------------------------
 * amax = the block's largest magnitude.  The rules:
 *   floor    X = 2^(floor(log2 amax) - emax)             (OCP MX v1.0, section 6.3)
 *   ceil     X = 2^(ceil(log2 amax) - emax)
 *            (with a tensor scale T, the scale value is 2^(floor or ceil of
 *            log2(amax / T)) - emax), decided exactly, and X is that times T)
 *   rceil    the smallest power of two X with amax / X <= Emax_v (cuBLAS's RCEIL:
 *            no element ever saturates); for a non-power-of-two scale format, the
 *            smallest scale value with amax / (value * T) <= Emax_v
 *   nearest  amax / (Emax_v * T) rounded to nearest even in the scale format
 *            (the quotient rounded once: formed rounded to odd, see Elements)
 *            (NVFP4: amax / 6 in UE4M3)
 * The power-of-two rules clamp the exponent to the powers of two the scale
 * format holds (E8M0: 2^-127..2^127); `nearest`/`rceil` saturate to the scale
 * format's largest finite value.  An all-zero block (amax = 0) gets the
 * smallest scale (E8M0: 2^-127; under `nearest`, zero where the scale format
 * has one).  A block holding a NaN or an Inf gets the scale format's NaN (the
 * whole block decodes NaN: OCP MX section 6.3 leaves it to the implementation;
 * fp8lab follows torchao and the spec's rule that a NaN scale makes every
 * element NaN) and its element codes are 0.
 * Under floor, an element above Emax_v * X (possible: amax may be up to
 * 2^(emax+1) * X - ulp) saturates: the rule's known loss on uniformly spread
 * blocks.
 *
 * ---- Elements ---------------------------------------------------------------------
 * c_i = encode_elem(x_i / (X * 2^shift)) with the rounding context rc (NULL:
 * round to nearest even, SATFINITE: beyond Emax_v an element becomes +-max,
 * OCP MX section 6.3); through fp8_codec_encode and so fp8_round_pack, the one
 * rounding point.  Saturation is symmetric: a two's complement element never
 * takes -2^(n-1), which lies below -max (MXINT8's -2: a result that rounds
 * there becomes -127 * 2^-6 with OVERFLOW | INEXACT, as the OCP reference
 * code microxcaling clamps integer elements to +-max_norm), so quantized
 * values re-quantize to the same codes.  X = 0 (a `nearest` scale that rounded to zero) gives zero
 * codes.  The quotient x_i / (X * 2^shift) is formed in double rounded to
 * odd (its sticky bit kept, through fma), so the element is the one correct
 * rounding of the exact quotient for any double x_i and any scale.
 *
 * ---- The tensor scale (NVFP4) --------------------------------------------------------
 * T = round_fp32(amax_tensor / (Smax * Emax_v)), Smax the scale format's largest
 * finite value (UE4M3: 448, so T = amax / (448 * 6) for NVFP4), kept within
 * fp32's finite range (FLT_TRUE_MIN..FLT_MAX); T = 1 for an all-zero or
 * non-finite tensor, and for descriptors without `tensor`.
 *
 * ---- Spelling -----------------------------------------------------------------------
 * BASE[:KEY=VALUE]...  BASE is a preset (mxfp8_e4m3, mxfp8_e5m2, mxfp6_e3m2,
 * mxfp6_e2m3, mxfp4_e2m1, mxint8, nvfp4) or `block` (then elem= is required).
 * Keys: elem=FORMAT, scale=FORMAT (format spellings of format.h; their own
 * ':'-parts follow them: `elem=e2m1:none`), block=B (1..FP8_BLOCK_MAX),
 * rule=floor|ceil|rceil|nearest, tensor=on|off, shift=K (-64..64); each key
 * at most once, no empty parts.
 * E.g. mxfp8_e4m3:rule=rceil, nvfp4:block=32, block:elem=e3m2:none:scale=ue8m0.
 */
#ifndef FP8_BLOCK_H
#define FP8_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "format.h"

#define FP8_BLOCK_MAX 4096
/* The block size of an operand with no block scale (a per-tensor format). */
#define FP8_BLOCK_NONE 0
#define FP8_BLOCK_NAME_LEN 96

typedef enum fp8_block_rule {
  FP8_BLOCK_FLOOR,
  FP8_BLOCK_CEIL,
  FP8_BLOCK_RCEIL,
  FP8_BLOCK_NEAREST
} fp8_block_rule;
#define FP8_BLOCK_NRULES 4

typedef struct fp8_block_format {
  char name[FP8_BLOCK_NAME_LEN]; /* the spelling it was made from */
  fp8_format elem;               /* element format, at most 16 bits */
  int shift;                     /* elements' implicit 2^shift */
  fp8_format scale;              /* scale format, at most 16 bits */
  int block;                     /* B, or FP8_BLOCK_NONE */
  fp8_block_rule rule;
  bool tensor;                   /* a per-tensor fp32 scale T (NVFP4) */
} fp8_block_format;

/* The operand of format f with no block scale (see Operands): elem = *f,
 * block FP8_BLOCK_NONE, name f's name. */
void fp8_block_from_format(const fp8_format *f, fp8_block_format *bf);
/* True when bf has a block scale (block >= 1). */
bool fp8_block_is_scaled(const fp8_block_format *bf);
/* Scales per row of len values: ceil(len / B), 0 without a block scale. */
size_t fp8_block_nscales(const fp8_block_format *bf, size_t len);

/* Parse a spelling (above).  Returns 0, or -1 with a message naming the bad
 * part and what was expected in err. */
int fp8_block_parse(const char *s, fp8_block_format *bf, char *err, size_t errlen);
/* True if s names a block format (a preset, or starts with `block`, with or
 * without keys): lets a command accept both kinds of --to. */
bool fp8_block_is_block_spelling(const char *s);
/* The canonical spelling: the name of the first preset with the same
 * element format, shift and scale format, followed by the keys (block, rule,
 * tensor, in that order) whose values differ from it (mxfp8_e4m3:rule=rceil,
 * nvfp4:block=32); else block:elem=E:scale=S:block=B:rule=R[:tensor=on]
 * [:shift=K] with E and S canonical format spellings.  It parses back to
 * the same fields. */
void fp8_block_name(const fp8_block_format *bf, char *buf, size_t len);
const char *fp8_block_rule_name(fp8_block_rule r);
int fp8_block_rule_lookup(const char *s, fp8_block_rule *r);

/* Presets, in table order: name, one-line note, source. */
size_t fp8_block_preset_count(void);
const char *fp8_block_preset_name(size_t i);
const char *fp8_block_preset_note(size_t i);
const char *fp8_block_preset_source(size_t i);

/* Emax_v and emax of the element (above). */
double fp8_block_elem_max(const fp8_block_format *bf);
int fp8_block_elem_emax(const fp8_block_format *bf);
/* Bits per value in storage: elem bits + the scale's bits in whole bytes / B
 * (elem bits without a block scale)
 * (scales are stored in bytes: NVFP4's 7-bit UE4M3 takes 8, so 4.5 bits per
 * value; the tensor's 32 bits / tensor size is not counted). */
double fp8_block_bits_per_value(const fp8_block_format *bf);

/* T for a tensor whose largest magnitude is amax_tensor (1 without `tensor`). */
double fp8_block_tensor_scale(const fp8_block_format *bf, double amax_tensor);
/* The scale code of a block whose largest magnitude is amax (NaN and Inf give
 * the scale format's NaN code), under tensor scale t. */
uint32_t fp8_block_scale_code(const fp8_block_format *bf, double amax, double t);
/* X = decode_scale(code) * t; NaN for a NaN code. */
double fp8_block_scale_value(const fp8_block_format *bf, uint32_t code, double t);

/* One block: len <= bf->block values x (a short last block is allowed;
 * without a block scale, any len <= FP8_BLOCK_MAX: the codes of x, and the
 * scale code 0).
 * Writes len element codes and returns the scale code; element flags ORed
 * into *flags (may be NULL).  rc NULL: RNE, SATFINITE. */
uint32_t fp8_block_encode(const fp8_block_format *bf, double t, const double *x, size_t len,
                          uint32_t *codes, const fp8_rounding *rc, unsigned *flags);
/* The same, with each element's own flags stored in each[i] (len entries,
 * not ORed: the CLI counts values raising each flag). */
uint32_t fp8_block_encode_each(const fp8_block_format *bf, double t, const double *x, size_t len,
                               uint32_t *codes, const fp8_rounding *rc, unsigned *each);
/* The values of one block: out[i] = v_i (NaN for all with a NaN scale). */
void fp8_block_decode(const fp8_block_format *bf, double t, uint32_t scale_code,
                      const uint32_t *codes, size_t len, double *out);
/* q(x) for nrows rows of len values (row-major; blocks along each row, the
 * last block of a row may be short): out = decode(encode(in)).  t as from
 * fp8_block_tensor_scale over the whole tensor.  in and out may alias. */
void fp8_block_quant_rows(const fp8_block_format *bf, double t, const double *in, double *out,
                          size_t nrows, size_t len, const fp8_rounding *rc, unsigned *flags);

/* Whole arrays, for bindings (the Python package): nrows rows of len values
 * (row-major), blocks along each row, nb = fp8_block_nscales blocks per row.
 * encode writes nrows * len element codes and nrows * nb scale codes (row
 * by row); decode is its reverse into doubles.  rc and flags as for
 * fp8_block_encode. */
void fp8_block_encode_rows(const fp8_block_format *bf, double t, const double *in, size_t nrows,
                           size_t len, uint32_t *codes, uint32_t *scales, const fp8_rounding *rc,
                           unsigned *flags);
void fp8_block_decode_rows(const fp8_block_format *bf, double t, const uint32_t *codes,
                           const uint32_t *scales, size_t nrows, size_t len, double *out);
/* sizeof(fp8_block_format), for bindings that allocate one. */
size_t fp8_block_format_sizeof(void);
/* The descriptor as "key=value\n" lines for bindings (the pattern of
 * fp8_format_describe: snprintf semantics, returns the length needed).
 * Keys: name canonical elem scale (canonical format spellings) shift block
 * rule tensor (0/1) elem_bits scale_bits elem_max emax bits_per_value
 * elem_max_code scale_max_code (the largest code of each format's width:
 * 2^bits - 1). */
size_t fp8_block_describe(const fp8_block_format *bf, char *buf, size_t len);

#endif
