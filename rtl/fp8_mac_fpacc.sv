// fp8_mac_fpacc - one fused MAC per cycle into a floating-point accumulator.
//
// acc <- round(acc + a*b): the product is exact, the sum is rounded once
// (round to nearest even) into an IEEE-style format with AccE exponent bits and
// AccP significant bits (fp16: 5, 11; bf16: 8, 8; fp32: 8, 24).  Ftz != 0 keeps
// the accumulator normalised: subnormal results flush to zero and a subnormal
// accumulator reads as zero.  Not pipelined: the result is in acc_o one clock
// edge after en_i.  flags_o = {invalid, overflow, underflow, inexact} (the bit
// order of codec.h's FP8_FLAG_*), sticky until clear_i or load_i.
module fp8_mac_fpacc #(
  parameter int EBits      = 4,
  parameter int MBits      = 3,
  parameter int Bias       = 8,
  parameter int Special    = 2,
  parameter int Subnormals = 1,
  parameter int AccE       = 5,
  parameter int AccP       = 11,
  parameter int Ftz        = 0,
  localparam int N  = 1 + EBits + MBits,
  localparam int S  = MBits + 1,
  localparam int EW = EBits,
  localparam int AW = AccE + AccP,
  localparam int P  = (AccP > 2 * S) ? AccP : 2 * S,
  localparam int XW = ((AccE > EBits + 1) ? AccE : EBits + 1) + 3
) (
  input  logic          clk_i,
  input  logic          rst_ni,
  input  logic          en_i,
  input  logic          clear_i,
  input  logic          load_i,
  input  logic [AW-1:0] load_acc_i,
  input  logic [3:0]    load_flags_i,
  input  logic [N-1:0]  a_i,
  input  logic [N-1:0]  b_i,
  output logic [AW-1:0] acc_o,
  output logic [3:0]    flags_o
);
  logic           p_sign, p_zero, p_nan, p_nan_invalid, p_inf;
  logic [2*S-1:0] p_sig;
  logic [EW:0]    p_exp;
  logic           c_sign, c_zero, c_nan, c_inf;
  logic [AccP-1:0] c_sig;
  logic [AccE-1:0] c_exp;
  logic           x_sign, y_sign, s_sign, r_nan, r_inf, r_inf_sign, r_invalid;
  logic [P-1:0]   x_sig;
  logic [P+2:0]   y_win, n_win;
  logic [P+3:0]   s_mag;
  logic [XW-1:0]  x_exp, n_exp;
  logic [AW-1:0]  r_code;
  logic [2:0]     r_flags;

  fp8_mac_front #(.EBits(EBits), .MBits(MBits), .Special(Special), .IntSignMag(0),
                  .Subnormals(Subnormals)) u_front (
    .a_i(a_i), .b_i(b_i), .sign_o(p_sign), .sig_o(p_sig), .exp_o(p_exp),
    .zero_o(p_zero), .nan_o(p_nan), .nan_by_invalid_o(p_nan_invalid), .inf_o(p_inf));

  // the accumulator is an IEEE-style format (Special 0)
  fp8_unpack #(.EBits(AccE), .MBits(AccP - 1), .Special(0), .IntSignMag(0),
               .Subnormals(Ftz == 0 ? 1 : 0)) u_unpack_acc (
    .code_i(acc_o), .sign_o(c_sign), .sig_o(c_sig), .exp_o(c_exp),
    .zero_o(c_zero), .nan_o(c_nan), .inf_o(c_inf));

  fp8_fpacc_align #(.S(S), .EW(EW), .Bias(Bias), .AccE(AccE), .AccP(AccP), .P(P), .XW(XW)) u_align (
    .p_sign_i(p_sign), .p_sig_i(p_sig), .p_exp_i(p_exp), .p_zero_i(p_zero),
    .a_sign_i(c_sign), .a_sig_i(c_sig), .a_exp_i(c_exp), .a_zero_i(c_zero),
    .x_sign_o(x_sign), .x_sig_o(x_sig), .x_exp_o(x_exp), .y_sign_o(y_sign), .y_win_o(y_win));

  fp8_fpacc_add #(.P(P)) u_add (
    .x_sign_i(x_sign), .x_sig_i(x_sig), .y_sign_i(y_sign), .y_win_i(y_win),
    .sign_o(s_sign), .mag_o(s_mag));

  fp8_fpacc_norm #(.P(P), .XW(XW)) u_norm (
    .mag_i(s_mag), .exp_i(x_exp), .win_o(n_win), .exp_o(n_exp));

  always_comb begin
    // Inf - Inf and 0 * Inf are invalid; a NaN operand propagates quietly
    r_invalid  = p_nan_invalid | (c_inf & p_inf & (c_sign != p_sign));
    r_nan      = c_nan | p_nan | r_invalid;
    r_inf      = ~r_nan & (c_inf | p_inf);
    r_inf_sign = c_inf ? c_sign : p_sign;
  end

  fp8_fpacc_round #(.AccE(AccE), .AccP(AccP), .P(P), .XW(XW), .Ftz(Ftz)) u_round (
    .sign_i(s_sign), .win_i(n_win), .exp_i(n_exp), .zero_sign_i(c_sign & p_sign),
    .nan_i(r_nan), .inf_i(r_inf), .inf_sign_i(r_inf_sign),
    .code_o(r_code), .flags_o(r_flags));

  fp8_acc_reg #(.W(AW), .FW(4)) u_reg (
    .clk_i(clk_i), .rst_ni(rst_ni), .en_i(en_i), .clear_i(clear_i), .load_i(load_i),
    .load_acc_i(load_acc_i), .load_flags_i(load_flags_i),
    .next_acc_i(r_code), .next_flags_i(flags_o | {r_invalid, r_flags}),
    .acc_o(acc_o), .flags_o(flags_o));
endmodule
