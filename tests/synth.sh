#!/bin/sh
# synth.sh - fp8lab synth: Yosys plumbing on a tiny RTL tree written here (runs
# whenever Yosys is installed), then the project's own RTL (runs once
# rtl/tops/configs.tsv exists).  Skipped (77) without Yosys.
# Checks: exit codes and messages, the TSV shape, positive counts, per-block sums
# equal to the total, and the paper's ordering INT8->27-bit < fp8-e4->fp32.
# Every MAC configuration of the RTL is synthesized (measured: about 35 s of CPU for the
# 19 configurations of the first RTL; the dot-product units but the N = 4 one are
# left to 'fp8lab synth', about 10 s of CPU each); FP8LAB_SYNTH_QUICK=1 keeps to
# the three the checks need (INT8 -> 27-bit, fp8-e4 -> fp16 and fp32).
set -u
: "${FP8LAB:?}" "${top_srcdir:?}"
if ! command -v "${FP8LAB_YOSYS:-yosys}" >/dev/null 2>&1; then
  echo "yosys not found: fp8lab synth not tested (apt-get install yosys)"
  exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/synth-test.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# ---- a toy tree: 4x4 multiplier feeding a 12-bit accumulator -----------------
mkdir -p "$tmp/rtl/tops"
cat >"$tmp/rtl/fp8_mul.sv" <<'SV'
module fp8_mul #(parameter int N = 4) (
  input  logic [N-1:0]   a_i, b_i,
  output logic [2*N-1:0] p_o
);
  assign p_o = a_i * b_i;
endmodule
SV
cat >"$tmp/rtl/fp8_kulisch_acc.sv" <<'SV'
module fp8_kulisch_acc #(parameter int W = 12) (
  input  logic clk_i, rst_ni, en_i,
  input  logic [W-1:0] x_i,
  output logic [W-1:0] acc_o
);
  logic [W-1:0] acc_d, acc_q;
  assign acc_d = en_i ? acc_q + x_i : acc_q;
  always_ff @(posedge clk_i or negedge rst_ni)
    if (!rst_ni) acc_q <= '0; else acc_q <= acc_d;
  assign acc_o = acc_q;
endmodule
SV
cat >"$tmp/rtl/tops/mac_toy.sv" <<'SV'
module mac_toy (
  input  logic clk_i, rst_ni, en_i,
  input  logic [3:0] a_i, b_i,
  output logic [11:0] acc_o
);
  logic [7:0] p;
  fp8_mul #(.N(4)) u_mul (.a_i(a_i), .b_i(b_i), .p_o(p));
  fp8_kulisch_acc #(.W(12)) u_acc (.clk_i(clk_i), .rst_ni(rst_ni), .en_i(en_i),
                                   .x_i({4'b0, p}), .acc_o(acc_o));
endmodule
SV
printf 'config\ttop\tformat\taccumulator\nint8/kulisch27\tmac_toy\tint8\tkulisch:27\n' \
  >"$tmp/rtl/tops/configs.tsv"

"$FP8LAB" synth --rtl "$tmp/rtl" --tsv >"$tmp/out" 2>"$tmp/err" || fail "toy synth: $(cat "$tmp/err")"
[ "$(head -n 1 "$tmp/out")" = "$(printf 'config\tanalytic\tsynthesized\tanalytic_ratio\tsynthesized_ratio')" ] ||
  fail "synth header: $(head -n 1 "$tmp/out")"
# 775 = the analytic INT8 -> 27-bit count; the toy synthesizes to something positive, ratio 1 to itself
awk -F'\t' 'NR == 2 { ok = ($1 == "int8/kulisch27" && $2 == 775 && $3 > 0 && $4 == "1.000" && $5 == "1.000") } END { exit !ok }' \
  "$tmp/out" || fail "toy row: $(cat "$tmp/out")"
grep -q "int8/kulisch27" "$tmp/err" || fail "no progress line on stderr"
FP8LAB_RTL_DIR="$tmp/rtl" "$FP8LAB" synth --breakdown --tsv >"$tmp/b" 2>/dev/null || fail "breakdown"
awk -F'\t' 'NR > 1 && $2 != "total" { s += $4 } $2 == "total" { t = $4 } END { exit !(t > 0 && s == t) }' \
  "$tmp/b" || fail "toy blocks do not add up: $(cat "$tmp/b")"
grep -q "$(printf '\tfp8_mul\t')" "$tmp/b" || fail "no fp8_mul block in the breakdown"
# errors: unknown config (2), missing Yosys (1), broken RTL (1, with the log's end)
"$FP8LAB" synth --rtl "$tmp/rtl" --config nosuch >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "nosuch" "$tmp/err" || fail "unknown config: exit $rc"
FP8LAB_YOSYS="$tmp/no-yosys" "$FP8LAB" synth --rtl "$tmp/rtl" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "cannot run Yosys" "$tmp/err" || fail "missing yosys: exit $rc, $(cat "$tmp/err")"
"$FP8LAB" synth --rtl "$tmp/nowhere" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "nowhere/tops/configs.tsv" "$tmp/err" || fail "missing rtl: exit $rc"
echo "module fp8_mul(; endmodule" >"$tmp/rtl/fp8_mul.sv"
mkdir "$tmp/t"   # a private TMPDIR: a failed run removes its temporary folder too
TMPDIR="$tmp/t" "$FP8LAB" synth --rtl "$tmp/rtl" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "Yosys failed" "$tmp/err" || fail "broken RTL: exit $rc, $(cat "$tmp/err")"
[ -z "$(ls "$tmp/t")" ] || fail "broken RTL: left in TMPDIR: $(ls "$tmp/t")"

# ---- the project's RTL ----------------------------------------------------------------
list="$top_srcdir/rtl/tops/configs.tsv"
if [ ! -f "$list" ]; then
  echo "no $list yet: the RTL synthesis checks are skipped"
  [ $fails -eq 0 ] || exit 1
  exit 77
fi
if [ "${FP8LAB_SYNTH_QUICK:-0}" = 1 ]; then
  sel=$(awk -F'\t' 'NR > 1 && (($3 == "int8" && $4 == "kulisch:27") || ($3 == "fp8-e4" && ($4 == "fp16" || $4 == "fp32"))) { printf "%s%s", s, $1; s = "," }' "$list")
else
  # every MAC and the smallest dot-product unit (N = 4); 'fp8lab synth' alone does all
  sel=$(awk -F'\t' 'NR > 1 && $1 !~ /^#/ && ($2 !~ /^dot_/ || $2 == "dot_e4m3fn_n4_f13") { printf "%s%s", s, $1; s = "," }' "$list")
fi
echo "synthesizing: $sel"
"$FP8LAB" synth --rtl "$top_srcdir/rtl" --config "$sel" --tsv >"$tmp/r" || fail "synth of the RTL"
cat "$tmp/r"
awk -F'\t' 'NR > 1 && !($3 > 0) { bad = 1 } END { exit bad || NR < 2 }' "$tmp/r" || fail "a count is not positive"
ref=$(awk -F'\t' 'NR > 1 && $5 == "1.000" { print $3; exit }' "$tmp/r")
e4s=$(awk -F'\t' 'FILENAME == ARGV[1] && $3 == "fp8-e4" && $4 == "fp32" { c = $1 } FILENAME == ARGV[2] && $1 == c { print $3 }' "$list" "$tmp/r")
if [ -n "$ref" ] && [ -n "$e4s" ]; then
  awk -v a="$ref" -v b="$e4s" 'BEGIN { exit !(a < b) }' || fail "synthesized INT8-Kulisch $ref >= fp8-e4/fp32 $e4s"
fi
# The paper's Figure 3, qualitatively, in both columns (analytic of the RTL as built, and
# synthesized), for whichever of these configurations were run: INT8 -> 27-bit is the
# cheapest MAC of all (its RTL is a true two's complement datapath); Kulisch
# beats an fp16 accumulator up to fp8-e3; fp16 beats Kulisch at fp8-e5.
awk -F'\t' 'FILENAME == ARGV[1] { acc = $4; if ($3 != "int8") sub(/^kulisch:.*/, "kulisch", acc); key[$1] = $3 "/" acc; next }
  FNR > 1 { for (col = 2; col <= 3; col++) g[key[$1], col] = $col; if (key[$1] == "int8/kulisch:27") ref = 1 }
  END {
    for (col = 2; col <= 3; col++) {
      name = col == 2 ? "analytic" : "synthesized"
      for (k in g) { split(k, kk, SUBSEP)
        if (ref && kk[2] == col && kk[1] != "int8/kulisch:27" && kk[1] !~ /^int8\/kulisch/ && !(g[k] > g["int8/kulisch:27", col])) {
          print name ": " kk[1] " " g[k] " is not above INT8 -> 27-bit " g["int8/kulisch:27", col]; bad = 1 } }
      n = split("fp8-e2 fp8-e3", f, " ")
      for (i = 1; i <= n; i++) if ((f[i] "/kulisch", col) in g && (f[i] "/fp16", col) in g &&
          !(g[f[i] "/kulisch", col] < g[f[i] "/fp16", col])) { print name ": " f[i] " Kulisch is not below fp16"; bad = 1 }
      if (("fp8-e5/kulisch", col) in g && ("fp8-e5/fp16", col) in g && !(g["fp8-e5/fp16", col] < g["fp8-e5/kulisch", col])) {
        print name ": fp8-e5 fp16 is not below Kulisch"; bad = 1 }
    }
    exit bad }' "$list" "$tmp/r" || fail "Figure 3's ordering does not hold"
[ "$(awk 'END { print NR }' "$tmp/r")" -eq "$(echo "$sel" | awk -F, '{ print NF + 1 }')" ] ||
  fail "not every selected configuration has a row"
# per-block split of two configurations (a Kulisch and an FP accumulator)
bsel=$(awk -F'\t' 'NR > 1 && (($3 == "int8" && $4 == "kulisch:27") || ($3 == "fp8-e4" && $4 == "fp16")) { printf "%s%s", s, $1; s = "," }' "$list")
[ -n "$bsel" ] || bsel=$(awk -F'\t' 'NR == 2 { print $1 }' "$list")
"$FP8LAB" synth --rtl "$top_srcdir/rtl" --config "$bsel" --breakdown --tsv >"$tmp/rb" 2>/dev/null || fail "breakdown"
cat "$tmp/rb"
awk -F'\t' 'NR == 1 { next } $2 == "total" { if ($4 != s[$1] || !($4 > 0)) { print $1 ": " s[$1] " != " $4; bad = 1 } next } { s[$1] += $4 } END { exit bad }' \
  "$tmp/rb" || fail "RTL blocks do not add up to the totals"

[ $fails -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "synth.sh: all checks passed"
