// fp8_dot_csa - carry-save reduction of K W-bit operands to two (a Wallace
// tree of 3:2 compressors, one full adder per bit per group of three).
//
// Contract: sum_o + carry_o == sum over k of in_i[k*W +: W] (mod 2^W), so
// two's complement operands sign-extended to W bits add correctly when W
// holds the true sum.
module fp8_dot_csa #(
  parameter int K = 3,
  parameter int W = 8
) (
  input  logic [K*W-1:0] in_i,
  output logic [W-1:0]   sum_o,
  output logic [W-1:0]   carry_o
);
  if (K == 1) begin : g_one
    assign sum_o   = in_i;
    assign carry_o = '0;
  end else if (K == 2) begin : g_two
    assign sum_o   = in_i[W-1:0];
    assign carry_o = in_i[2*W-1:W];
  end else begin : g_level
    localparam int G  = K / 3;          // full-adder rows in this level
    localparam int R  = K - 3 * G;      // operands passed on
    localparam int KN = 2 * G + R;
    logic [KN*W-1:0] next;
    for (genvar g = 0; g < G; g++) begin : g_fa
      logic [W-1:0] x, y, z, maj;
      logic         unused_msb;     // the carry out of the top bit: beyond the modulus
      assign x   = in_i[(3*g)*W +: W];
      assign y   = in_i[(3*g+1)*W +: W];
      assign z   = in_i[(3*g+2)*W +: W];
      assign maj = (x & y) | (x & z) | (y & z);
      assign next[(2*g)*W +: W]   = x ^ y ^ z;
      assign next[(2*g+1)*W +: W] = {maj[W-2:0], 1'b0};
      assign unused_msb = maj[W-1];
    end
    if (R > 0) begin : g_pass
      assign next[KN*W-1:2*G*W] = in_i[K*W-1:3*G*W];
    end
    fp8_dot_csa #(.K(KN), .W(W)) u_next (.in_i(next), .sum_o(sum_o), .carry_o(carry_o));
  end
endmodule
