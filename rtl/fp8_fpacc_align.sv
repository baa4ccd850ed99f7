// fp8_fpacc_align - line up the exact product and the accumulator.
//
// Both operands become P-bit significands whose top bit weighs
// 2^(exp - AccBias), exp in the accumulator's biased scale (XW-bit signed):
//   accumulator: its p-bit significand, exponent with the subnormal fix;
//   product: normalised first (leading-zero count over its PW bits), so that
//     the larger operand X is normalised unless it is a subnormal accumulator,
//     which is what makes guard + round + sticky enough for one correct
//     rounding of the exact sum.
// The product is a PW-bit magnitude whose least significant bit weighs what
// the LSB of a 2S-bit significand product weighs at exponent sum p_exp_i
// (the MACs: PW = 2S, one product; the exact dot-product unit, fp8_dot_fpacc:
// the magnitude of the exact sum of its N products, p_exp_i the smallest
// exponent sum).  P >= max(PW, AccP).
// The operand with the larger exponent is X (swap); the other, Y, is shifted
// right by the difference into P+3 bits (guard, round, sticky), the bits shifted
// out ORed into the last.  A zero operand is always Y.
module fp8_fpacc_align #(
  parameter int S     = 4,
  parameter int EW    = 4,
  parameter int Bias  = 8,
  parameter int AccE  = 5,
  parameter int AccP  = 11,
  parameter int P     = 11,
  parameter int XW    = 9,
  parameter int PW    = 2 * S
) (
  input  logic            p_sign_i,
  input  logic [PW-1:0]   p_sig_i,
  input  logic [EW:0]     p_exp_i,
  input  logic            p_zero_i,
  input  logic            a_sign_i,
  input  logic [AccP-1:0] a_sig_i,
  input  logic [AccE-1:0] a_exp_i,
  input  logic            a_zero_i,
  output logic            x_sign_o,
  output logic [P-1:0]    x_sig_o,
  output logic [XW-1:0]   x_exp_o,
  output logic            y_sign_o,
  output logic [P+2:0]    y_win_o
);
  localparam int AccBias = (1 << (AccE - 1)) - 1;
  localparam int LW = $clog2(PW + 1);

  logic [LW-1:0]   p_lz;
  logic [PW-1:0]   p_norm;
  logic [P-1:0]    p_sigw, a_sigw, y_sig;
  logic [XW-1:0]   p_e, a_e, d;
  logic            swap, sticky;
  logic [P+2:0]    y_full, y_shifted, y_lost_mask;

  fp8_lzc #(.W(PW)) u_lzc (.in_i(p_sig_i), .count_o(p_lz));

  always_comb begin
    p_norm = p_sig_i << p_lz;
    p_sigw = P'(p_norm) << (P - PW);
    a_sigw = P'(a_sig_i) << (P - AccP);
    // top bit of the 2S-bit product weighs 2^(exp_a + exp_b - 2*Bias + 1),
    // of the PW-bit magnitude PW - 2S bits more
    p_e = XW'(p_exp_i) - XW'(2 * Bias - 1 - AccBias - (PW - 2 * S)) - XW'(p_lz);
    a_e = XW'(a_exp_i);
    swap = ~p_zero_i & (a_zero_i | ($signed(p_e) > $signed(a_e)));
    x_sign_o = swap ? p_sign_i : a_sign_i;
    x_sig_o  = swap ? p_sigw : a_sigw;
    x_exp_o  = swap ? p_e : a_e;
    y_sign_o = swap ? a_sign_i : p_sign_i;
    y_sig    = swap ? a_sigw : p_sigw;
    d        = swap ? (p_e - a_e) : (a_e - p_e);
    y_full   = {y_sig, 3'b000};
    if ((swap ? a_zero_i : p_zero_i) || $signed(d) >= $signed(XW'(P + 3))) begin
      y_shifted   = '0;
      y_lost_mask = '1;
    end else begin
      y_shifted   = y_full >> d;
      y_lost_mask = ~({(P + 3){1'b1}} << d);
    end
    sticky  = |(y_full & y_lost_mask);
`ifdef FP8_BUG_DROP_STICKY
    // deliberately broken variant: the bits shifted out are forgotten
    y_win_o = y_shifted | {(P + 3){sticky & 1'b0}};
`else
    y_win_o = {y_shifted[P+2:1], y_shifted[0] | sticky};
`endif
  end
endmodule
