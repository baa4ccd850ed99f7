// fp8_kulisch_align - place an exact product at its Kulisch position.
//
// Contract: addend_o = (-1)^sign_i * sig_i * 2^(exp_i - 2), as a W-bit two's
// complement number whose LSB weighs the smallest product's LSB (exp_i is the
// biased exponent sum, each exponent >= 1 after the subnormal fix).  The
// widening left shift spans [0, 2*(ExpMaxField - 1)]; FX = product width with
// sign.  kill_i (zero, NaN or Inf product) gives 0: specials only set flags.
// If W < FX the value wraps modulo 2^W like the accumulator itself.
module fp8_kulisch_align #(
  parameter int S  = 4,
  parameter int EW = 4,
  parameter int FX = 37,
  parameter int W  = 49
) (
  input  logic           sign_i,
  input  logic [2*S-1:0] sig_i,
  input  logic [EW:0]    exp_i,
  input  logic           kill_i,
  output logic [W-1:0]   addend_o
);
  localparam int XW = (FX > W) ? FX : W;
  logic [EW:0]   shamt;
  logic [XW-1:0] wide, shifted, signed_val;
  always_comb begin
    shamt      = exp_i - (EW+1)'(2);
    wide       = XW'(sig_i);
    shifted    = wide << shamt;
    signed_val = sign_i ? (~shifted + 1'b1) : shifted;
    addend_o   = kill_i ? '0 : signed_val[W-1:0];
  end
endmodule
