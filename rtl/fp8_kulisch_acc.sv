// fp8_kulisch_acc - W-bit two's-complement accumulator with sticky flags.
//
// Contract, per clock with en_i: acc <- acc + addend_i modulo 2^W; the flags
// are sticky: Wrap when the exact sum leaves [-2^(W-1), 2^(W-1)) (signed
// overflow of the adder), PosInf / NegInf for an Inf product, Nan for a NaN
// product or once PosInf and NegInf are both set.  The product's specials
// arrive with addend_i = 0, so acc is the wrapped sum of the finite products.
// clear_i / load_i as fp8_acc_reg.
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
  logic [W-1:0] sum;
  logic [3:0]   flags_seen, flags_next;
  logic         ovf;

  always_comb begin
    sum = acc_o + addend_i;
    ovf = (acc_o[W-1] == addend_i[W-1]) & (sum[W-1] != acc_o[W-1]);
    flags_seen = flags_o | {ninf_i, pinf_i, nan_i, ovf};
    // +Inf and -Inf seen together make the sum NaN
    flags_next = flags_seen | {2'b00, flags_seen[3] & flags_seen[2], 1'b0};
  end

  fp8_acc_reg #(.W(W), .FW(4)) u_reg (
    .clk_i(clk_i), .rst_ni(rst_ni), .en_i(en_i), .clear_i(clear_i), .load_i(load_i),
    .load_acc_i(load_acc_i), .load_flags_i(load_flags_i),
    .next_acc_i(sum), .next_flags_i(flags_next), .acc_o(acc_o), .flags_o(flags_o));
endmodule
