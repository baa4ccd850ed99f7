// fp8_fpacc_round - round to nearest even, specials, overflow, pack.
//
// Contract: win_i (P+3 bits, bit P+2 weighing 2^(exp_i - AccBias), exp_i >= 1,
// the last bit sticky) is rounded to AccP significant bits with ties to even
// and packed as an IEEE-style code (AccE exponent bits, bias 2^(AccE-1)-1).
//   - an exact zero sum is +0, or -0 when both addends were -0 (zero_sign_i);
//   - exponent beyond the top binade -> Inf (overflow, inexact);
//   - Ftz: a sum below 2^emin BEFORE rounding (win_i[P+2] clear at exp_i 1)
//     becomes a zero of its sign (underflow, inexact), as the golden model's
//     contract says; otherwise the result is normal or Inf;
//   - specials: nan_i -> the canonical quiet NaN (positive, top fraction bit);
//     inf_i -> Inf with inf_sign_i.
//   - Rtz != 0 (the dot-product units): round toward zero, an overflow gives
//     the largest finite value of the sign (IEEE 754), never Inf;
//   - PosZero != 0 (the dot-product units): a result that rounds to zero is +0.
// flags_o = {invalid, overflow, underflow, inexact}; invalid comes from outside.
module fp8_fpacc_round #(
  parameter int AccE = 5,
  parameter int AccP = 11,
  parameter int P    = 11,
  parameter int XW   = 9,
  parameter int Ftz  = 0,
  parameter int Rtz  = 0,
  parameter int PosZero = 0,
  localparam int AW = AccE + AccP
) (
  input  logic          sign_i,
  input  logic [P+2:0]  win_i,
  input  logic [XW-1:0] exp_i,
  input  logic          zero_sign_i,
  input  logic          nan_i,
  input  logic          inf_i,
  input  logic          inf_sign_i,
  output logic [AW-1:0] code_o,
  output logic [2:0]    flags_o
);
  localparam logic [AccE-1:0] EMaxField = {AccE{1'b1}};
  logic [AccP-1:0] kept;
  logic [AccP:0]   r;
  logic            guard, sticky, up, inexact, normal, sum_zero;
  logic [XW-1:0]   e;

  always_comb begin
    sum_zero = ~|win_i;
    kept     = win_i[P+2 -: AccP];
    guard    = win_i[P+2-AccP];
    sticky   = |win_i[P+1-AccP:0];
`ifdef FP8_BUG_RNE_TIES_AWAY
    // deliberately broken variant (tests/verify_bug.sh): ties away from zero
    up       = guard;
`else
    up       = (Rtz == 0) & guard & (sticky | kept[0]);
`endif
    inexact  = guard | sticky;
    r        = {1'b0, kept} + (AccP+1)'(up);
    e        = exp_i;
    if (r[AccP]) begin
      r = r >> 1;
      e = e + XW'(1);
    end
    normal  = r[AccP-1];
    flags_o = {1'b0, 1'b0, inexact};
    if (nan_i) begin
      code_o  = {1'b0, EMaxField, 1'b1, {(AccP-2){1'b0}}};
      flags_o = '0;
    end else if (inf_i) begin
      code_o  = {inf_sign_i, EMaxField, {(AccP-1){1'b0}}};
      flags_o = '0;
    end else if (sum_zero) begin
      code_o  = {zero_sign_i, {(AW-1){1'b0}}};
      flags_o = '0;
    end else if (normal && $signed(e) >= $signed(XW'(EMaxField))) begin
      code_o  = (Rtz != 0) ? {sign_i, EMaxField - AccE'(1), {(AccP-1){1'b1}}}
                           : {sign_i, EMaxField, {(AccP-1){1'b0}}};
      flags_o = 3'b101;
    end else if (!win_i[P+2] && Ftz != 0) begin
      code_o  = {sign_i, {(AW-1){1'b0}}};
      flags_o = 3'b011;
    end else begin
      code_o  = {sign_i & ~(PosZero != 0 && r == '0), normal ? e[AccE-1:0] : {AccE{1'b0}},
                 r[AccP-2:0]};
      flags_o = {1'b0, ~normal & inexact, inexact};
    end
  end
endmodule
