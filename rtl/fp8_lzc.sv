// fp8_lzc - leading-zero count of a W-bit vector (W when it is all zero).
module fp8_lzc #(
  parameter int W  = 8,
  localparam int CW = $clog2(W + 1)
) (
  input  logic [W-1:0]  in_i,
  output logic [CW-1:0] count_o
);
  always_comb begin
    count_o = CW'(W);
    for (int i = 0; i < W; i++) begin
      if (in_i[i]) count_o = CW'(W - 1 - i);
    end
  end
endmodule
