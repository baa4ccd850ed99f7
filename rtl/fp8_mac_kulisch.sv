// fp8_mac_kulisch - one MAC per cycle into a Kulisch (fixed-point) accumulator.
//
// Input format: EBits/MBits/Bias/Special/IntSignMag/Subnormals as fp8_unpack;
// W = accumulator width (default FX + 12).  Two's complement integers
// (EBits = 0, IntSignMag = 0) take a signed multiplier (fp8_imul) straight
// into the adder; floats and sign-magnitude integers go through fp8_mac_front
// and fp8_kulisch_align (sign-magnitude product, shifted, then negated).
// Not pipelined: the product of
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
  logic         p_nan, p_pinf, p_ninf;
  logic [W-1:0] addend;

  if (EBits == 0 && IntSignMag == 0) begin : g_twos
    // Two's complement integers: the signed product goes straight to the
    // adder, sign-extended; no sign-magnitude detour, no specials.
    // (Bias, Special and Subnormals do not apply to integers.)
    logic [2*N-1:0] prod;
    logic           unused;
    assign unused = ^{Bias, Special, Subnormals, S, EW, FX};
    fp8_imul #(.N(N)) u_imul (.a_i(a_i), .b_i(b_i), .p_o(prod));
    assign addend = W'($signed(prod));
    assign p_nan  = 1'b0;
    assign p_pinf = 1'b0;
    assign p_ninf = 1'b0;
  end else begin : g_signmag
    // Bias only matters when the accumulator is read out as a number; the
    // fixed-point position is relative to the smallest product.
    // (nor whether a NaN came from 0 x Inf: the Kulisch flags do not say)
    logic           p_sign, p_zero, p_nan_invalid, p_inf;
    logic [2*S-1:0] p_sig;
    logic [EW:0]    p_exp;
    logic           unused;
    assign unused = ^{Bias, p_nan_invalid};

    fp8_mac_front #(.EBits(EBits), .MBits(MBits), .Special(Special), .IntSignMag(IntSignMag),
                    .Subnormals(Subnormals)) u_front (
      .a_i(a_i), .b_i(b_i), .sign_o(p_sign), .sig_o(p_sig), .exp_o(p_exp),
      .zero_o(p_zero), .nan_o(p_nan), .nan_by_invalid_o(p_nan_invalid), .inf_o(p_inf));

    fp8_kulisch_align #(.S(S), .EW(EW), .FX(FX), .W(W)) u_align (
      .sign_i(p_sign), .sig_i(p_sig), .exp_i(p_exp),
      .kill_i(p_zero | p_nan | p_inf), .addend_o(addend));

    assign p_pinf = p_inf & ~p_sign;
    assign p_ninf = p_inf & p_sign;
  end

  fp8_kulisch_acc #(.W(W)) u_acc (
    .clk_i(clk_i), .rst_ni(rst_ni), .en_i(en_i), .clear_i(clear_i),
    .load_i(load_i), .load_acc_i(load_acc_i), .load_flags_i(load_flags_i),
    .addend_i(addend), .nan_i(p_nan), .pinf_i(p_pinf), .ninf_i(p_ninf),
    .acc_o(acc_o), .flags_o(flags_o));
endmodule
