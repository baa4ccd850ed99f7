// fp8_fpacc_norm - leading-zero count and normalising shift.
//
// Contract: the input mag_i (P+4 bits, bit P+2 weighing 2^(exp_i - AccBias))
// is shifted so that bit P+2 of win_o weighs 2^(exp_o - AccBias) with
// exp_o = max(exp of the leading one, 1): normal results have their leading
// one at bit P+2, subnormal ones are aligned to the minimum exponent.  Right
// shifts (a carry, or a product below the accumulator's range) OR the bits
// they drop into win_o[0].
module fp8_fpacc_norm #(
  parameter int P  = 11,
  parameter int XW = 9
) (
  input  logic [P+3:0]  mag_i,
  input  logic [XW-1:0] exp_i,
  output logic [P+2:0]  win_o,
  output logic [XW-1:0] exp_o
);
  localparam int LW = $clog2(P + 5);
  logic [LW-1:0] lz;
  logic [XW-1:0] er, k, rk;
  logic [P+3:0]  shl, shr, lost;
  logic          unused_top;

  fp8_lzc #(.W(P + 4)) u_lzc (.in_i(mag_i), .count_o(lz));

  always_comb begin
    er    = exp_i + XW'(1) - XW'(lz);
    exp_o = ($signed(er) >= $signed(XW'(1))) ? er : XW'(1);
    k     = exp_i - exp_o;           // > 0: left shift, < 0: right shift
    rk    = -k;
    shl   = mag_i << k;
    if ($signed(rk) >= $signed(XW'(P + 4))) begin
      shr  = '0;
      lost = mag_i;
    end else begin
      shr  = mag_i >> rk;
      lost = mag_i & ~({(P + 4){1'b1}} << rk);
    end
    // the leading one never lands above bit P+2 after either shift
    unused_top = shl[P+3] | shr[P+3];
    if ($signed(k) >= 0) win_o = shl[P+2:0];
    else                 win_o = {shr[P+2:1], shr[0] | (|lost)};
  end
endmodule
