#!/bin/sh
# Verilator -Wall --lint-only is clean for every top (waivers only in
# rtl/fp8lab.vlt), and for the deliberately broken variants too.
[ -n "${VERILATOR:-}" ] || { echo "no Verilator: skipped"; exit 77; }
status=0
for t in "$top_srcdir"/rtl/tops/mac_*.sv; do
  m=$(basename "$t" .sv)
  "$VERILATOR" --lint-only -Wall "$top_srcdir/rtl/fp8lab.vlt" "$top_srcdir"/rtl/fp8_*.sv "$t" \
    --top-module "$m" || { echo "lint FAILED: $m"; status=1; }
done
"$VERILATOR" --lint-only -Wall +define+FP8_BUG_RNE_TIES_AWAY "$top_srcdir/rtl/fp8lab.vlt" \
  "$top_srcdir"/rtl/fp8_*.sv "$top_srcdir/rtl/tops/mac_fp8_e4_fp16.sv" --top-module mac_fp8_e4_fp16 \
  || { echo "lint FAILED: broken variant (ties away)"; status=1; }
"$VERILATOR" --lint-only -Wall +define+FP8_BUG_DROP_STICKY "$top_srcdir/rtl/fp8lab.vlt" \
  "$top_srcdir"/rtl/fp8_*.sv "$top_srcdir/rtl/tops/mac_fp8_e4_fp32.sv" --top-module mac_fp8_e4_fp32 \
  || { echo "lint FAILED: broken variant (dropped sticky)"; status=1; }
exit $status
