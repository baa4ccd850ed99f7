#!/bin/sh
# The dot-product units' RTL: Verilator -Wall --lint-only is clean for every
# dot top of rtl/tops/configs.tsv and for the deliberately broken variants
# (waivers only in rtl/fp8lab.vlt), Yosys reads and elaborates each top, and
# the tops carry the parameters the golden model's presets say (dot.h:
# hopper-fp8 is N = 32, F = 13, e8m13 = AccE 8, AccP 14, toward zero).
. "$top_srcdir/tests/testlib.sh"
[ -n "${VERILATOR:-}" ] || { echo "no Verilator: skipped"; exit 77; }
rtl="$top_srcdir/rtl"
n=0
for t in "$rtl"/tops/dot_*.sv; do
  m=$(basename "$t" .sv)
  n=$((n + 1))
  "$VERILATOR" --lint-only -Wall "$rtl/fp8lab.vlt" "$rtl"/fp8_*.sv "$t" --top-module "$m" || fail "lint: $m"
  if [ -n "${YOSYS:-}" ]; then
    "$YOSYS" -q -p "read_verilog -sv $rtl/fp8_*.sv $t; hierarchy -check -top $m; proc" >"$tmp/y" 2>&1 \
      || { cat "$tmp/y"; fail "yosys: $m"; }
  fi
done
want=$(awk -F '\t' 'NR > 1 && $2 ~ /^dot_/' "$rtl/tops/configs.tsv" | wc -l)
[ "$n" -eq "$want" ] && [ "$n" -ge 5 ] || fail "expected $want dot tops (at least 5), found $n"
for bug in FP8_BUG_NARROW_WINDOW FP8_BUG_TERM_RNE; do
  "$VERILATOR" --lint-only -Wall +define+$bug "$rtl/fp8lab.vlt" "$rtl"/fp8_*.sv "$rtl/tops/dot_e4m3fn_n4_f13.sv" \
    --top-module dot_e4m3fn_n4_f13 || fail "lint: broken variant $bug"
done
"$VERILATOR" --lint-only -Wall +define+FP8_BUG_NARROW_SUM "$rtl/fp8lab.vlt" "$rtl"/fp8_*.sv \
  "$rtl/tops/dot_int8_n4_k27.sv" --top-module dot_int8_n4_k27 || fail "lint: broken variant FP8_BUG_NARROW_SUM"
for c in float8_e4m3fn/hopper-fp8 float8_e5m2/hopper-fp8 float8_e4m3fn/hopper-fp8:n=4 \
         float8_e4m3fn/hopper-fp8:n=16 float8_e4m3fn/hopper-fp8:window=25 \
         float8_e4m3fn/fp32:n=4:window=exact float8_e4m3fn/fp32:n=32:window=exact \
         int8/kulisch27:n=4 int8/kulisch27:n=32; do
  grep -q "^$c	" "$rtl/tops/configs.tsv" || fail "missing configuration $c"
done
grep -q '\.Terms(32), \.Window(13), \.AccE(8), \.AccP(14), \.ZeroExp(-133), \.Rtz(1)' \
  "$rtl/tops/dot_e4m3fn_hopper.sv" || fail "hopper-fp8: expected N 32, F 13, e8m13, zero -133, toward zero"
# the exact units: the window parameter says exact (-1), fp32 (AccE 8, AccP 24), RNE; the
# INT8 units: N 8-bit two's complement pairs into the paper's 27-bit register
grep -q '\.Terms(32), \.Window(-1), \.AccE(8), \.AccP(24), .*\.Rtz(0)' "$rtl/tops/dot_e4m3fn_n32_exact.sv" ||
  fail "exact N = 32: expected Window -1, fp32, RNE"
grep -q '\.N(8), \.Terms(32), \.W(27)' "$rtl/tops/dot_int8_n32_k27.sv" || fail "int8 N = 32: expected N 8, W 27"
finish rtl_dot
