// fp8_mac_front - the front end both MACs share: unpack a and b, multiply.
//
// Contract: the exact product of codes a_i and b_i of the input format
// (parameters as fp8_unpack) as fp8_mul delivers it: sign, 2S-bit significand,
// biased exponent sum, and the product's class (zero / NaN / Inf).
// nan_by_invalid_o: the NaN comes from 0 x Inf, not from a NaN operand.
module fp8_mac_front #(
  parameter int EBits      = 4,
  parameter int MBits      = 3,
  parameter int Special    = 2,
  parameter int IntSignMag = 0,
  parameter int Subnormals = 1,
  localparam int N  = 1 + EBits + MBits,
  localparam int S  = MBits + 1,
  localparam int EW = (EBits > 0) ? EBits : 1
) (
  input  logic [N-1:0]   a_i,
  input  logic [N-1:0]   b_i,
  output logic           sign_o,
  output logic [2*S-1:0] sig_o,
  output logic [EW:0]    exp_o,
  output logic           zero_o,
  output logic           nan_o,
  output logic           nan_by_invalid_o,
  output logic           inf_o
);
  logic          a_sign, b_sign, a_zero, b_zero, a_nan, b_nan, a_inf, b_inf;
  logic [S-1:0]  a_sig, b_sig;
  logic [EW-1:0] a_exp, b_exp;

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
    .sign_o(sign_o), .sig_o(sig_o), .exp_o(exp_o),
    .zero_o(zero_o), .nan_o(nan_o), .inf_o(inf_o));

  assign nan_by_invalid_o = nan_o & ~a_nan & ~b_nan;
endmodule
