// fp8_kulisch_acc - W-bit two's-complement accumulator with sticky flags.
//
// Contract, per clock with en_i: acc <- acc + addend_i modulo 2^W; the flags
// are sticky: Wrap when the exact sum leaves [-2^(W-1), 2^(W-1)) (signed
// overflow of the adder), PosInf / NegInf for an Inf product, Nan for a NaN
// product or once PosInf and NegInf are both set.  The product's specials
// arrive with addend_i = 0, so acc is the wrapped sum of the finite products.  clear_i zeroes acc and flags;
// load_i writes load_acc_i / load_flags_i (an initial partial sum, as a MAC
// array tile does); clear_i wins over load_i, load_i over en_i.
// flags_o = {NegInf, PosInf, Nan, Wrap} (FP8_MAC_WRAP.. FP8_MAC_NINF >> 4).
module fp8_kulisch_acc #(
  parameter int W = 49
) (
  input  logic         clk_i,
  input  logic         rst_ni,
  input  logic         en_i,
  input  logic         clear_i,
  input  logic         load_i,
  input  logic [W-1:0] load_acc_i,
  input  logic [3:0]   load_flags_i,
  input  logic [W-1:0] addend_i,
  input  logic         nan_i,
  input  logic         pinf_i,
  input  logic         ninf_i,
  output logic [W-1:0] acc_o,
  output logic [3:0]   flags_o
);
  logic [W-1:0] acc_d, acc_q, sum;
  logic [3:0]   flags_d, flags_q;
  logic         ovf;
  logic [3:0]   flags_new;

  always_comb begin
    sum = acc_q + addend_i;
    ovf = (acc_q[W-1] == addend_i[W-1]) & (sum[W-1] != acc_q[W-1]);
    acc_d     = acc_q;
    flags_d   = flags_q;
    flags_new = flags_q;
    if (clear_i) begin
      acc_d   = '0;
      flags_d = '0;
    end else if (load_i) begin
      acc_d   = load_acc_i;
      flags_d = load_flags_i;
    end else if (en_i) begin
      acc_d   = sum;
      flags_new = flags_q | {ninf_i, pinf_i, nan_i, ovf};
      // +Inf and -Inf seen together make the sum NaN
      flags_d = flags_new | {2'b00, flags_new[3] & flags_new[2], 1'b0};
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      acc_q   <= '0;
      flags_q <= '0;
    end else begin
      acc_q   <= acc_d;
      flags_q <= flags_d;
    end
  end

  assign acc_o   = acc_q;
  assign flags_o = flags_q;
endmodule
