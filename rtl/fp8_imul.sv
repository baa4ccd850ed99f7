// fp8_imul - two's complement integer multiplier (Baugh-Wooley).
//
// Contract: p_o = a_i * b_i, all three two's complement, exact: an N x N
// signed product always fits in 2N bits ((-2^(N-1))^2 = 2^(2N-2) included).
// No sign-magnitude conversion: the N x N partial-product bits are ANDs, the
// ones that meet exactly one sign bit are inverted (NAND), and the constant
// 2^N + 2^(2N-1) corrects the inversions (Baugh & Wooley 1973, the modified
// form); the rows and the constant are summed as one multi-operand addition,
// which synthesis reduces like the unsigned array.  So it costs what the
// unsigned N x N array costs (gates_bom.c: PP(N) + reduce(N)).
module fp8_imul #(
  parameter int N = 8
) (
  input  logic [N-1:0]   a_i,
  input  logic [N-1:0]   b_i,
  output logic [2*N-1:0] p_o
);
  logic [2*N-1:0] row [N];
  logic [2*N-1:0] sum;

  always_comb begin
    for (int i = 0; i < N; i++) begin
      row[i] = '0;
      for (int j = 0; j < N; j++) begin
        // a weight-2^(i+j) bit; inverted where exactly one factor is a sign bit
        row[i][i + j] = (a_i[i] & b_i[j]) ^ ((i == N - 1) != (j == N - 1));
      end
    end
    sum = ((2 * N)'(1) << N) | ((2 * N)'(1) << (2 * N - 1));
    for (int i = 0; i < N; i++) begin
      sum = sum + row[i];
    end
    p_o = sum;
  end
endmodule
