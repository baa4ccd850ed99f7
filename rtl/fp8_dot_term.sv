// fp8_dot_term - one term of a dot-product step shifted right into the
// alignment window and rounded toward zero (dot.h "What the RTL reproduces").
//
// Contract: mag_i is the term's magnitude, already scaled so that a shift of
// sh_i (>= 0, unsigned) puts it in units of 2^(emax - F); the magnitude is
// truncated (a sign-magnitude shift: toward zero, never an arithmetic shift of
// a two's complement value, which would round toward -Inf), then negated when
// sign_i: term_o = (-1)^sign * floor(mag / 2^sh) as SW-bit two's complement.
// The caller guarantees that the truncated magnitude fits TW bits.
module fp8_dot_term #(
  parameter int MW = 8,
  parameter int TW = 15,
  parameter int SW = 22,
  parameter int XW = 12
) (
  input  logic          sign_i,
  input  logic [MW-1:0] mag_i,
  input  logic [XW-1:0] sh_i,
  output logic [SW-1:0] term_o
);
  logic [MW-1:0] q;
  logic [TW-1:0] t;
  logic          unused_q;
`ifdef FP8_BUG_TERM_RNE
  // deliberately broken variant (tests/verify_dot_bug.sh): terms rounded to
  // nearest even instead of truncated
  logic [2*MW-1:0] ext;
  logic            guard, sticky, up;
  always_comb begin
    ext    = (sh_i >= XW'(2 * MW)) ? '0 : ({mag_i, {MW{1'b0}}} >> sh_i);
    guard  = ext[MW-1];
    sticky = |ext[MW-2:0];
    up     = guard & (sticky | ext[MW]);
    q      = ext[2*MW-1:MW] + MW'(up);
  end
`elsif FP8_BUG_NARROW_WINDOW
  // deliberately broken variant: a window one bit narrower (the last bit of
  // every term dropped)
  always_comb begin
    q = (sh_i >= XW'(MW)) ? '0 : (mag_i >> sh_i);
    q = {q[MW-1:1], 1'b0};
  end
`else
  always_comb q = (sh_i >= XW'(MW)) ? '0 : (mag_i >> sh_i);
`endif
  always_comb begin
    t        = TW'(q);
    unused_q = ^q;
    term_o   = sign_i ? -(SW'(t)) : SW'(t);
  end
endmodule
