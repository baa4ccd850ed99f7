// fp8_dot_fpacc - an N-term dot-product unit with an alignment window, one
// step per cycle into a floating-point accumulator (src/dot.h: the
// generalized unit; "What the RTL reproduces" is this module's contract).
//
// acc <- round(acc + sum of N exact products), staged as the golden model:
//   N fronts (fp8_unpack, fp8_mul) -> alignment exponents (product: the sum of
//   the operands' unbiased exponents; C: its exponent; a zero term: ZeroExp)
//   -> their maximum emax (fp8_dot_max) -> each term shifted right into
//   Window fraction bits below emax and truncated toward zero (fp8_dot_term;
//   C is one more term: fused) -> carry-save tree (fp8_dot_csa) and one
//   carry-propagate adder -> leading-zero count and normalising shift
//   (fp8_fpacc_norm) -> rounding into the accumulator (fp8_fpacc_round: RNE,
//   or toward zero when Rtz) -> the register (fp8_acc_reg: clear > load >
//   enable > hold).  A zero result is +0.  Specials: a NaN operand, 0 x Inf or
//   a NaN C give the canonical NaN; Inf terms of one sign give that Inf, of
//   both signs NaN; 0 x Inf and Inf - Inf set invalid.  flags_o = {invalid,
//   overflow, underflow, inexact}, sticky.  Not pipelined: a step's result is
//   in acc_o one clock edge after en_i.
module fp8_dot_fpacc #(
  parameter int EBits      = 4,
  parameter int MBits      = 3,
  parameter int Bias       = 7,
  parameter int Special    = 1,
  parameter int Subnormals = 1,
  parameter int Terms      = 32,
  parameter int Window     = 13,
  parameter int AccE       = 8,
  parameter int AccP       = 14,
  parameter int ZeroExp    = -133,
  parameter int Rtz        = 1,
  localparam int CW     = 1 + EBits + MBits,
  localparam int S      = MBits + 1,
  localparam int EW     = EBits,
  localparam int AW     = AccE + AccP,
  localparam int XW     = 12,
  localparam int AccBias = (1 << (AccE - 1)) - 1,
  // product terms: |sigA sigB| < 2^(2S); pre-shifted left by PPre bits and
  // right by the exponent difference plus PExtra, in units of 2^(emax - F)
  localparam int PBase  = Window - 2 * MBits,
  localparam int PPre   = (PBase > 0) ? PBase : 0,
  localparam int PExtra = (PBase < 0) ? -PBase : 0,
  localparam int PW     = 2 * S + PPre,
  // C's term: its AccP-bit significand likewise
  localparam int CBase  = Window - (AccP - 1),
  localparam int CPre   = (CBase > 0) ? CBase : 0,
  localparam int CExtra = (CBase < 0) ? -CBase : 0,
  localparam int CMW    = AccP + CPre,
  // every term is below 2^(F+2); Terms + 1 of them with a sign
  localparam int TW     = Window + 2,
  localparam int K      = Terms + 1,
  localparam int SW     = TW + 1 + $clog2(K),
  // the normaliser's window: P + 4 bits hold the sum, P >= AccP
  localparam int P      = (SW - 4 > AccP) ? SW - 4 : AccP
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  input  logic               en_i,
  input  logic               clear_i,
  input  logic               load_i,
  input  logic [AW-1:0]      load_acc_i,
  input  logic [3:0]         load_flags_i,
  input  logic [Terms*CW-1:0] a_i,
  input  logic [Terms*CW-1:0] b_i,
  output logic [AW-1:0]      acc_o,
  output logic [3:0]         flags_o
);
  // ---- N fronts and the alignment exponents ----
  logic [Terms-1:0] p_sign, p_nan, p_nan_invalid, p_inf, unused_p_zero;
  logic [K*XW-1:0]  ae;              // term k's alignment exponent (k = Terms: C)
  logic [Terms*PW-1:0] p_mag;     // term i's magnitude, pre-shifted

  for (genvar i = 0; i < Terms; i++) begin : g_term_front
    logic [2*S-1:0] sig;
    logic [EW:0]    exp;
    fp8_mac_front #(.EBits(EBits), .MBits(MBits), .Special(Special), .IntSignMag(0),
                    .Subnormals(Subnormals)) u_front (
      .a_i(a_i[i*CW +: CW]), .b_i(b_i[i*CW +: CW]), .sign_o(p_sign[i]), .sig_o(sig),
      .exp_o(exp), .zero_o(unused_p_zero[i]), .nan_o(p_nan[i]),
      .nan_by_invalid_o(p_nan_invalid[i]), .inf_o(p_inf[i]));
    assign ae[i*XW +: XW] = (sig == '0) ? XW'(ZeroExp) : XW'(exp) - XW'(2 * Bias);
    assign p_mag[i*PW +: PW] = PW'(sig) << PPre;
  end

  // ---- C, the accumulator ----
  logic            c_sign, c_zero, c_nan, c_inf;
  logic [AccP-1:0] c_sig;
  logic [AccE-1:0] c_exp;
  fp8_unpack #(.EBits(AccE), .MBits(AccP - 1), .Special(0), .IntSignMag(0),
               .Subnormals(1)) u_unpack_acc (
    .code_i(acc_o), .sign_o(c_sign), .sig_o(c_sig), .exp_o(c_exp),
    .zero_o(c_zero), .nan_o(c_nan), .inf_o(c_inf));
  assign ae[Terms*XW +: XW] = c_zero ? XW'(ZeroExp) : XW'(c_exp) - XW'(AccBias);

  // ---- emax, the terms in the window, the tree ----
  logic [XW-1:0]   emax;
  logic [K*SW-1:0] terms;
  fp8_dot_max #(.K(K), .XW(XW)) u_max (.in_i(ae), .max_o(emax));

  for (genvar i = 0; i < Terms; i++) begin : g_term_align
    fp8_dot_term #(.MW(PW), .TW(TW), .SW(SW), .XW(XW)) u_term (
      .sign_i(p_sign[i]), .mag_i(p_mag[i*PW +: PW]),
      .sh_i(emax - ae[i*XW +: XW] + XW'(PExtra)), .term_o(terms[i*SW +: SW]));
  end
  fp8_dot_term #(.MW(CMW), .TW(TW), .SW(SW), .XW(XW)) u_term_c (
    .sign_i(c_sign), .mag_i(CMW'(c_sig) << CPre),
    .sh_i(emax - ae[Terms*XW +: XW] + XW'(CExtra)), .term_o(terms[Terms*SW +: SW]));

  logic [SW-1:0]  cs_sum, cs_carry, sum, sum_mag;
  logic           sum_neg;
  fp8_dot_csa #(.K(K), .W(SW)) u_csa (.in_i(terms), .sum_o(cs_sum), .carry_o(cs_carry));
  always_comb begin
    sum     = cs_sum + cs_carry;          // the one carry-propagate adder
    sum_neg = sum[SW-1];
    sum_mag = sum_neg ? -sum : sum;
  end

  // ---- normalise and round into the accumulator ----
  logic [P+2:0]  n_win;
  logic [XW-1:0] n_exp, top_exp;
  // bit P+2 of the normaliser's input weighs 2^(emax - F + P + 2)
  assign top_exp = emax - XW'(Window) + XW'(P + 2 + AccBias);
  fp8_fpacc_norm #(.P(P), .XW(XW)) u_norm (
    .mag_i((P + 4)'(sum_mag)), .exp_i(top_exp), .win_o(n_win), .exp_o(n_exp));

  logic any_nan, pos_inf, neg_inf, conflict, r_nan, r_inf, r_invalid;
  always_comb begin
    any_nan   = c_nan | (|p_nan);
    pos_inf   = (c_inf & ~c_sign) | (|(p_inf & ~p_sign));
    neg_inf   = (c_inf & c_sign) | (|(p_inf & p_sign));
    conflict  = ~any_nan & pos_inf & neg_inf;
    r_invalid = (|p_nan_invalid) | conflict;
    r_nan     = any_nan | conflict;
    r_inf     = ~r_nan & (pos_inf | neg_inf);
  end

  logic [AW-1:0] r_code;
  logic [2:0]    r_flags;
  fp8_fpacc_round #(.AccE(AccE), .AccP(AccP), .P(P), .XW(XW), .Ftz(0), .Rtz(Rtz), .PosZero(1)) u_round (
    .sign_i(sum_neg), .win_i(n_win), .exp_i(n_exp), .zero_sign_i(1'b0),
    .nan_i(r_nan), .inf_i(r_inf), .inf_sign_i(neg_inf),
    .code_o(r_code), .flags_o(r_flags));

  fp8_acc_reg #(.W(AW), .FW(4)) u_reg (
    .clk_i(clk_i), .rst_ni(rst_ni), .en_i(en_i), .clear_i(clear_i), .load_i(load_i),
    .load_acc_i(load_acc_i), .load_flags_i(load_flags_i),
    .next_acc_i(r_code), .next_flags_i(flags_o | {r_invalid, r_flags}),
    .acc_o(acc_o), .flags_o(flags_o));
endmodule
