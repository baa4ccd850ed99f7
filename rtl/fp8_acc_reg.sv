// fp8_acc_reg - the MAC's state register: accumulator and sticky flags.
//
// Contract, per clock: clear_i -> 0 (acc and flags; the same state as reset);
// else load_i -> load_acc_i / load_flags_i (an initial partial sum, as a MAC
// array tile loads one); else en_i -> next_acc_i / next_flags_i (the caller
// ORs the old flags in); else hold.
module fp8_acc_reg #(
  parameter int W  = 16,
  parameter int FW = 4
) (
  input  logic          clk_i,
  input  logic          rst_ni,
  input  logic          en_i,
  input  logic          clear_i,
  input  logic          load_i,
  input  logic [W-1:0]  load_acc_i,
  input  logic [FW-1:0] load_flags_i,
  input  logic [W-1:0]  next_acc_i,
  input  logic [FW-1:0] next_flags_i,
  output logic [W-1:0]  acc_o,
  output logic [FW-1:0] flags_o
);
  logic [W-1:0]  acc_d, acc_q;
  logic [FW-1:0] flags_d, flags_q;

  // Deliberately broken variants (tests/verify_protocol_bug.sh) behind
  // FP8_BUG_LOAD_OVER_CLEAR, FP8_BUG_NO_HOLD and FP8_BUG_RESET_KEEPS_FLAGS.
  always_comb begin
    acc_d   = acc_q;
    flags_d = flags_q;
`ifdef FP8_BUG_LOAD_OVER_CLEAR
    // broken: load wins over clear
    if (load_i) begin
      acc_d   = load_acc_i;
      flags_d = load_flags_i;
    end else if (clear_i) begin
      acc_d   = '0;
      flags_d = '0;
    end else if (en_i) begin
`else
    if (clear_i) begin
      acc_d   = '0;
      flags_d = '0;
    end else if (load_i) begin
      acc_d   = load_acc_i;
      flags_d = load_flags_i;
`ifdef FP8_BUG_NO_HOLD
    // broken: the register follows the datapath with en_i low
    end else begin
`else
    end else if (en_i) begin
`endif
`endif
      acc_d   = next_acc_i;
      flags_d = next_flags_i;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      acc_q   <= '0;
`ifndef FP8_BUG_RESET_KEEPS_FLAGS
      flags_q <= '0;
`endif
    end else begin
      acc_q   <= acc_d;
      flags_q <= flags_d;
    end
  end

  assign acc_o   = acc_q;
  assign flags_o = flags_q;
endmodule
