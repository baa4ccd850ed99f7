#!/bin/sh
# Yosys (Debian 12: 0.23) reads every block and top with read_verilog -sv and
# elaborates each top's hierarchy: fp8lab synth builds on exactly that.
[ -n "${YOSYS:-}" ] || { echo "no Yosys: skipped"; exit 77; }
status=0
for t in "$top_srcdir"/rtl/tops/mac_*.sv; do
  m=$(basename "$t" .sv)
  "$YOSYS" -q -p "read_verilog -sv $top_srcdir/rtl/fp8_*.sv $t; hierarchy -check -top $m; proc" \
    || { echo "yosys FAILED: $m"; status=1; }
done
exit $status
