// fp8_mul - exact product of two unpacked operands.
//
// Contract: sig_o = sig_a * sig_b (2S bits, exact), exp_o = exp_a + exp_b
// (biased sum, one bit wider), sign_o = sign_a ^ sign_b.  Specials as IEEE
// multiplication: NaN if either is NaN or Inf * 0; Inf if either is Inf
// otherwise; zero if either is zero otherwise (sig_o is then 0 as well).
module fp8_mul #(
  parameter int S  = 4,
  parameter int EW = 4
) (
  input  logic          a_sign_i,
  input  logic [S-1:0]  a_sig_i,
  input  logic [EW-1:0] a_exp_i,
  input  logic          a_zero_i,
  input  logic          a_nan_i,
  input  logic          a_inf_i,
  input  logic          b_sign_i,
  input  logic [S-1:0]  b_sig_i,
  input  logic [EW-1:0] b_exp_i,
  input  logic          b_zero_i,
  input  logic          b_nan_i,
  input  logic          b_inf_i,
  output logic          sign_o,
  output logic [2*S-1:0] sig_o,
  output logic [EW:0]   exp_o,
  output logic          zero_o,
  output logic          nan_o,
  output logic          inf_o
);
  always_comb begin
    sign_o = a_sign_i ^ b_sign_i;
    // The partial-product array and its reduction: synthesis builds them
    // from the multiply; both factors are at most S bits wide.
    sig_o  = {{S{1'b0}}, a_sig_i} * {{S{1'b0}}, b_sig_i};
    exp_o  = {1'b0, a_exp_i} + {1'b0, b_exp_i};
    nan_o  = a_nan_i | b_nan_i | (a_inf_i & b_zero_i) | (a_zero_i & b_inf_i);
    inf_o  = (a_inf_i | b_inf_i) & ~nan_o;
    zero_o = (a_zero_i | b_zero_i) & ~nan_o & ~inf_o;
  end
endmodule
