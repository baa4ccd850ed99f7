// fp8_dot_kulisch - an N-term integer dot-product unit into a Kulisch
// (fixed-point) accumulator, one step per cycle: the paper's INT8 baseline at
// dot-product granularity (src/unit/dot.h, the Kulisch unit with n = Terms).
//
// acc <- acc + sum of Terms exact products, modulo 2^W:
//   Terms two's complement multipliers (fp8_imul, Baugh-Wooley) -> the
//   products sign-extended to SW bits, a carry-save tree (fp8_dot_csa) and one
//   carry-propagate adder: the exact step sum S (|S| < 2^(SW-1), no wrap) ->
//   the accumulator (fp8_kulisch_acc: acc + S, the sticky flags, the MACs'
//   register and control protocol: clear > load > enable > hold).
// Wrap (flags_o[0]) is set when a step's exact result acc + S leaves the
// W-bit range (dot.h: a Kulisch unit's wrap is per step).  Integers have no
// specials: flags_o[3:1] only change by load_i.  Inputs are N-bit two's
// complement codes, code i at bits [i*N, i*N + N).  Not pipelined: a step's
// result is in acc_o one clock edge after en_i.  Requires W >= SW.
module fp8_dot_kulisch #(
  parameter int N     = 8,
  parameter int Terms = 4,
  parameter int W     = 28,
  localparam int SW   = 2 * N + $clog2(Terms) + 1
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  input  logic               en_i,
  input  logic               clear_i,
  input  logic               load_i,
  input  logic [W-1:0]       load_acc_i,
  input  logic [3:0]         load_flags_i,
  input  logic [Terms*N-1:0] a_i,
  input  logic [Terms*N-1:0] b_i,
  output logic [W-1:0]       acc_o,
  output logic [3:0]         flags_o
);
`ifdef FP8_BUG_NARROW_SUM
  // A deliberately broken build (tests/verify_dot_worst_bug.sh): the step sum
  // one bit narrower than Terms x (-2^(N-1))^2 = 2^(2N-2+log2 Terms) needs, so
  // only the step of every lane at -2^(N-1) x -2^(N-1) wraps.
  localparam int TW = SW - 2;
`else
  localparam int TW = SW;
`endif
  logic [Terms*TW-1:0] terms;
  for (genvar i = 0; i < Terms; i++) begin : g_mul
    logic [2*N-1:0] prod;
    fp8_imul #(.N(N)) u_imul (.a_i(a_i[i*N +: N]), .b_i(b_i[i*N +: N]), .p_o(prod));
    assign terms[i*TW +: TW] = TW'($signed(prod));
  end

  logic [TW-1:0] cs_sum, cs_carry, sum;
  fp8_dot_csa #(.K(Terms), .W(TW)) u_csa (.in_i(terms), .sum_o(cs_sum), .carry_o(cs_carry));
  assign sum = cs_sum + cs_carry;         // the one carry-propagate adder

  fp8_kulisch_acc #(.W(W)) u_acc (
    .clk_i(clk_i), .rst_ni(rst_ni), .en_i(en_i), .clear_i(clear_i),
    .load_i(load_i), .load_acc_i(load_acc_i), .load_flags_i(load_flags_i),
    .addend_i(W'($signed(sum))), .nan_i(1'b0), .pinf_i(1'b0), .ninf_i(1'b0),
    .acc_o(acc_o), .flags_o(flags_o));
endmodule
