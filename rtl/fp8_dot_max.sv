// fp8_dot_max - the alignment-exponent maximum of K signed exponents: a
// balanced tree of K - 1 comparators (a subtractor and a mux each).
//
// Contract: max_o = max over k of $signed(in_i[k*XW +: XW]).
module fp8_dot_max #(
  parameter int K  = 2,
  parameter int XW = 12
) (
  input  logic [K*XW-1:0] in_i,
  output logic [XW-1:0]   max_o
);
  if (K == 1) begin : g_leaf
    assign max_o = in_i;
  end else begin : g_node
    localparam int KL = K / 2;
    localparam int KH = K - KL;
    logic [XW-1:0] lo, hi;
    fp8_dot_max #(.K(KL), .XW(XW)) u_lo (.in_i(in_i[KL*XW-1:0]), .max_o(lo));
    fp8_dot_max #(.K(KH), .XW(XW)) u_hi (.in_i(in_i[K*XW-1:KL*XW]), .max_o(hi));
    assign max_o = ($signed(hi) > $signed(lo)) ? hi : lo;
  end
endmodule
