// fp8_mac_kulisch - one MAC per cycle into a Kulisch (fixed-point) accumulator.
//
// Input format: EBits/MBits/Bias/Special/IntSignMag/Subnormals as fp8_unpack;
// W = accumulator width (default FX + 12).  Not pipelined: the product of
// a_i, b_i is in acc_o one clock edge after en_i.  See fp8_kulisch_acc for the
// state register, clear/load and flags.
module fp8_mac_kulisch #(
  parameter int EBits      = 4,
  parameter int MBits      = 3,
  parameter int Bias       = 8,
  parameter int Special    = 2,
  parameter int IntSignMag = 0,
  parameter int Subnormals = 1,
  parameter int FX         = 37,
  parameter int W          = 49,
  localparam int N  = 1 + EBits + MBits,
  localparam int S  = MBits + 1,
  localparam int EW = (EBits > 0) ? EBits : 1
) (
  input  logic         clk_i,
  input  logic         rst_ni,
  input  logic         en_i,
  input  logic         clear_i,
  input  logic         load_i,
  input  logic [W-1:0] load_acc_i,
  input  logic [3:0]   load_flags_i,
  input  logic [N-1:0] a_i,
  input  logic [N-1:0] b_i,
  output logic [W-1:0] acc_o,
  output logic [3:0]   flags_o
);
  // Bias only matters when the accumulator is read out as a number; the
  // fixed-point position is relative to the smallest product.
  logic unused_bias;
  assign unused_bias = ^Bias;

  logic          a_sign, b_sign, a_zero, b_zero, a_nan, b_nan, a_inf, b_inf;
  logic [S-1:0]  a_sig, b_sig;
  logic [EW-1:0] a_exp, b_exp;
  logic          p_sign, p_zero, p_nan, p_inf;
  logic [2*S-1:0] p_sig;
  logic [EW:0]   p_exp;
  logic [W-1:0]  addend;

  fp8_unpack #(.EBits(EBits), .MBits(MBits), .Special(Special), .IntSignMag(IntSignMag),
               .Subnormals(Subnormals)) u_unpack_a (
    .code_i(a_i), .sign_o(a_sign), .sig_o(a_sig), .exp_o(a_exp),
    .zero_o(a_zero), .nan_o(a_nan), .inf_o(a_inf));
  fp8_unpack #(.EBits(EBits), .MBits(MBits), .Special(Special), .IntSignMag(IntSignMag),
               .Subnormals(Subnormals)) u_unpack_b (
    .code_i(b_i), .sign_o(b_sign), .sig_o(b_sig), .exp_o(b_exp),
    .zero_o(b_zero), .nan_o(b_nan), .inf_o(b_inf));

  fp8_mul #(.S(S), .EW(EW)) u_mul (
    .a_sign_i(a_sign), .a_sig_i(a_sig), .a_exp_i(a_exp), .a_zero_i(a_zero),
    .a_nan_i(a_nan), .a_inf_i(a_inf),
    .b_sign_i(b_sign), .b_sig_i(b_sig), .b_exp_i(b_exp), .b_zero_i(b_zero),
    .b_nan_i(b_nan), .b_inf_i(b_inf),
    .sign_o(p_sign), .sig_o(p_sig), .exp_o(p_exp),
    .zero_o(p_zero), .nan_o(p_nan), .inf_o(p_inf));

  fp8_kulisch_align #(.S(S), .EW(EW), .FX(FX), .W(W)) u_align (
    .sign_i(p_sign), .sig_i(p_sig), .exp_i(p_exp),
    .kill_i(p_zero | p_nan | p_inf), .addend_o(addend));

  fp8_kulisch_acc #(.W(W)) u_acc (
    .clk_i(clk_i), .rst_ni(rst_ni), .en_i(en_i), .clear_i(clear_i),
    .load_i(load_i), .load_acc_i(load_acc_i), .load_flags_i(load_flags_i),
    .addend_i(addend), .nan_i(p_nan), .pinf_i(p_inf & ~p_sign), .ninf_i(p_inf & p_sign),
    .acc_o(acc_o), .flags_o(flags_o));
endmodule
