// fp8_fpacc_add - add or subtract the aligned significands.
//
// Contract: mag_o = |X - Y| or X + Y on P+4 bits (bit P+3 is the carry; X
// sits at bits P+2..3), sign_o the sign of the exact result (X's sign, flipped
// when Y was larger, which only happens without bits lost to the sticky).
module fp8_fpacc_add #(
  parameter int P = 11
) (
  input  logic         x_sign_i,
  input  logic [P-1:0] x_sig_i,
  input  logic         y_sign_i,
  input  logic [P+2:0] y_win_i,
  output logic         sign_o,
  output logic [P+3:0] mag_o
);
  logic [P+4:0] xa, ya, r;
  always_comb begin
    xa = {2'b00, x_sig_i, 3'b000};
    ya = {2'b00, y_win_i};
    r  = (x_sign_i ^ y_sign_i) ? (xa - ya) : (xa + ya);
    sign_o = x_sign_i ^ r[P+4];
    mag_o  = r[P+4] ? ((~r[P+3:0]) + 1'b1) : r[P+3:0];
  end
endmodule
