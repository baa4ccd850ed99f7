// fp8_dot_fpacc - an N-term dot-product unit with an alignment window, or
// exact, one step per cycle into a floating-point accumulator (src/unit/dot.h: the
// generalized unit; "What the RTL reproduces" is this module's contract).
//
// Window >= 0: acc <- round(acc + sum of N products, each truncated into the
// window), staged as the golden model:
//   N fronts (fp8_unpack, fp8_mul) -> alignment exponents (product: the sum of
//   the operands' unbiased exponents; C: its exponent; a zero term: ZeroExp)
//   -> their maximum emax (fp8_dot_max) -> each term shifted right into
//   Window fraction bits below emax and truncated toward zero (fp8_dot_term;
//   C is one more term: fused) -> carry-save tree (fp8_dot_csa) and one
//   carry-propagate adder -> leading-zero count and normalising shift
//   (fp8_fpacc_norm) -> rounding into the accumulator (fp8_fpacc_round: RNE,
//   or toward zero when Rtz) -> the register (fp8_acc_reg: clear > load >
//   enable > hold).
// Window < 0 (FP8_DOT_EXACT, the MXDOTP-style unit): the window is the whole
//   product range, so no bit of a product is lost: emax is the constant top
//   alignment exponent of a product (no maximum tree, ZeroExp unused), each
//   product lands in a fixed-point sum whose LSB is the smallest product's
//   LSB (fp8_dot_term: a right shift that never truncates), the carry-save
//   tree and the carry-propagate adder give the exact sum S of the N
//   products, and C + S is rounded once by the MACs' adder (fp8_fpacc_align
//   with the wide S as its "product", fp8_fpacc_add, fp8_fpacc_norm,
//   fp8_fpacc_round).  That is dot.h's exact step (C fused or after is the
//   same number when no term is rounded).
// A zero result is +0.  Specials: a NaN operand, 0 x Inf or a NaN C give the
// canonical NaN; Inf terms of one sign give that Inf, of both signs NaN; 0 x
// Inf and Inf - Inf set invalid.  flags_o = {invalid, overflow, underflow,
// inexact}, sticky.  Not pipelined: a step's result is in acc_o one clock edge
// after en_i.
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
  localparam bit Exact  = Window < 0,
  // the largest exponent sum of a product (biased fields, subnormals at 1);
  // the exact window spans every product from 2 up to it
  localparam int ExpTop = 2 * ((1 << EBits) - 1),
  localparam int F      = Exact ? ExpTop - 2 + 2 * MBits : Window,
  // product terms: |sigA sigB| < 2^(2S); pre-shifted left by PPre bits and
  // right by the exponent difference plus PExtra, in units of 2^(emax - F)
  localparam int PBase  = F - 2 * MBits,
  localparam int PPre   = (PBase > 0) ? PBase : 0,
  localparam int PExtra = (PBase < 0) ? -PBase : 0,
  localparam int PW     = 2 * S + PPre,
  // C's term: its AccP-bit significand likewise
  localparam int CBase  = F - (AccP - 1),
  localparam int CPre   = (CBase > 0) ? CBase : 0,
  localparam int CExtra = (CBase < 0) ? -CBase : 0,
  localparam int CMW    = AccP + CPre,
  // every term is below 2^(F+2); Terms + 1 of them (C fused) with a sign,
  // Terms of them when exact
  localparam int TW     = F + 2,
  localparam int K      = Exact ? Terms : Terms + 1,
  localparam int SW     = TW + 1 + $clog2(K),
  // the normaliser's window: P + 4 bits hold the sum, P >= AccP; exact: the
  // adder's P holds the sum's SW - 1 magnitude bits
  localparam int P      = Exact ? ((SW - 1 > AccP) ? SW - 1 : AccP)
                                : ((SW - 4 > AccP) ? SW - 4 : AccP)
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
  logic [(Terms+1)*XW-1:0] ae;       // term k's alignment exponent (k = Terms: C)
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
  if (Exact) begin : g_emax_exact
    // the top of the exact window: no product is ever truncated
    logic unused_ae;
    assign unused_ae = ^ae[Terms*XW +: XW];
    assign emax = XW'(ExpTop - 2 * Bias);
  end else begin : g_emax
    fp8_dot_max #(.K(K), .XW(XW)) u_max (.in_i(ae), .max_o(emax));
  end

  for (genvar i = 0; i < Terms; i++) begin : g_term_align
    fp8_dot_term #(.MW(PW), .TW(TW), .SW(SW), .XW(XW)) u_term (
      .sign_i(p_sign[i]), .mag_i(p_mag[i*PW +: PW]),
      .sh_i(emax - ae[i*XW +: XW] + XW'(PExtra)), .term_o(terms[i*SW +: SW]));
  end
  if (!Exact) begin : g_term_c
    fp8_dot_term #(.MW(CMW), .TW(TW), .SW(SW), .XW(XW)) u_term_c (
      .sign_i(c_sign), .mag_i(CMW'(c_sig) << CPre),
      .sh_i(emax - ae[Terms*XW +: XW] + XW'(CExtra)), .term_o(terms[Terms*SW +: SW]));
  end

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
  logic [XW-1:0] n_exp;
  logic          r_sign;
  if (Exact) begin : g_after
    // C + S, one rounding: S is the MACs' "product", SW - 1 bits wide, its
    // LSB that of a product of exponent sum 2 (the smallest)
    logic          x_sign, y_sign;
    logic [P-1:0]  x_sig;
    logic [P+2:0]  y_win;
    logic [P+3:0]  s_mag;
    logic [XW-1:0] x_exp;
    logic          unused_sum_top;
    assign unused_sum_top = sum_mag[SW-1];
    fp8_fpacc_align #(.S(S), .EW(EW), .Bias(Bias), .AccE(AccE), .AccP(AccP), .P(P), .XW(XW),
                      .PW(SW - 1)) u_align (
      .p_sign_i(sum_neg), .p_sig_i(sum_mag[SW-2:0]), .p_exp_i((EW + 1)'(2)), .p_zero_i(sum == '0),
      .a_sign_i(c_sign), .a_sig_i(c_sig), .a_exp_i(c_exp), .a_zero_i(c_zero),
      .x_sign_o(x_sign), .x_sig_o(x_sig), .x_exp_o(x_exp), .y_sign_o(y_sign), .y_win_o(y_win));
    fp8_fpacc_add #(.P(P)) u_add (
      .x_sign_i(x_sign), .x_sig_i(x_sig), .y_sign_i(y_sign), .y_win_i(y_win),
      .sign_o(r_sign), .mag_o(s_mag));
    fp8_fpacc_norm #(.P(P), .XW(XW)) u_norm (
      .mag_i(s_mag), .exp_i(x_exp), .win_o(n_win), .exp_o(n_exp));
  end else begin : g_fused
    // the sum holds C: bit P+2 of the normaliser's input weighs
    // 2^(emax - F + P + 2)
    logic [XW-1:0] top_exp;
    assign top_exp = emax - XW'(F) + XW'(P + 2 + AccBias);
    assign r_sign  = sum_neg;
    fp8_fpacc_norm #(.P(P), .XW(XW)) u_norm (
      .mag_i((P + 4)'(sum_mag)), .exp_i(top_exp), .win_o(n_win), .exp_o(n_exp));
  end

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
    .sign_i(r_sign), .win_i(n_win), .exp_i(n_exp), .zero_sign_i(1'b0),
    .nan_i(r_nan), .inf_i(r_inf), .inf_sign_i(neg_inf),
    .code_o(r_code), .flags_o(r_flags));

  fp8_acc_reg #(.W(AW), .FW(4)) u_reg (
    .clk_i(clk_i), .rst_ni(rst_ni), .en_i(en_i), .clear_i(clear_i), .load_i(load_i),
    .load_acc_i(load_acc_i), .load_flags_i(load_flags_i),
    .next_acc_i(r_code), .next_flags_i(flags_o | {r_invalid, r_flags}),
    .acc_o(acc_o), .flags_o(flags_o));
endmodule
