#!/bin/sh
# The committed tops and sim/models.def (the one table of units: MACs and
# dot-product units) are exactly what sim/gentops derives
# from rtl/tops/configs.tsv through the format descriptor and the golden
# model's accumulator spec; and every configuration the issue asks for is there.
set -eu
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$GENTOPS" "$top_srcdir/rtl/tops/configs.tsv" "$tmp"
status=0
for f in "$tmp"/*.sv; do
  cmp -s "$f" "$top_srcdir/rtl/tops/$(basename "$f")" || { echo "stale or missing: rtl/tops/$(basename "$f")"; status=1; }
done
cmp -s "$tmp/models.def" "$top_srcdir/sim/models.def" || { echo "stale: sim/models.def"; status=1; }
cmp -s "$tmp/tops.mk" "$top_srcdir/rtl/tops/tops.mk" || { echo "stale: rtl/tops/tops.mk (the make fragment)"; status=1; }
# the one list of blocks is every rtl/*.sv (make builds from it, the cost model splits netlists by it)
for f in "$top_srcdir"/rtl/*.sv; do
  b=$(basename "$f" .sv)
  grep -q "^FP8_RTL_\(PRICED\|PART\)($b)\$" "$top_srcdir/rtl/blocks.def" || { echo "rtl/$b.sv is not in rtl/blocks.def"; status=1; }
done
[ "$(grep -c '^FP8_RTL_' "$top_srcdir/rtl/blocks.def")" -eq "$(ls "$top_srcdir"/rtl/*.sv | wc -l)" ] \
  || { echo "rtl/blocks.def and rtl/*.sv do not list the same number of blocks"; status=1; }
[ ! -e "$tmp/dot_models.def" ] || { echo "gentops wrote a second table (dot_models.def): one table of units"; status=1; }
# every row once in the one table, a MAC with n = 1 and a dot-product unit with its n
[ "$(grep -c '^FP8SIM_UNIT(' "$tmp/models.def")" -eq "$(awk -F '\t' 'NR > 1 && NF == 4 && $1 !~ /^#/' \
  "$top_srcdir/rtl/tops/configs.tsv" | wc -l)" ] || { echo "models.def: not one line per row of configs.tsv"; status=1; }
grep -q '^FP8SIM_UNIT(mac_int8_k27, "int8/kulisch27", "int8", "kulisch:27", 1)$' "$tmp/models.def" \
  || { echo "models.def: int8/kulisch27 is not the unit of n = 1"; status=1; }
grep -q '^FP8SIM_UNIT(dot_e4m3fn_hopper, .*, 32)$' "$tmp/models.def" \
  || { echo "models.def: hopper-fp8 is not the unit of n = 32"; status=1; }
for c in int8/kulisch27 int8/kulisch28 fp8-e2/kulisch29 fp8-e2/fp16 fp8-e2/fp32 fp8-e3/kulisch35 \
         fp8-e3/fp16 fp8-e3/fp32 fp8-e4/kulisch49 fp8-e4/fp16 fp8-e4/fp32 fp8-e5/kulisch79 fp8-e5/fp16 \
         fp8-e5/fp32 float8_e4m3fn/kulisch49 float8_e4m3fn/fp32 float8_e5m2/kulisch77 float8_e5m2/fp32; do
  grep -q "^$c	" "$top_srcdir/rtl/tops/configs.tsv" || { echo "missing configuration $c"; status=1; }
done
# widths the DESIGN states (section 3): Kulisch W = FX + 12 for the paper's formats
grep -q '\.FX(37), \.W(49)' "$top_srcdir/rtl/tops/mac_fp8_e4_k49.sv" || { echo "fp8-e4: expected FX 37, W 49"; status=1; }
grep -q '\.FX(67), \.W(79)' "$top_srcdir/rtl/tops/mac_fp8_e5_k79.sv" || { echo "fp8-e5: expected FX 67, W 79"; status=1; }
grep -q '\.FX(16), \.W(27)' "$top_srcdir/rtl/tops/mac_int8_k27.sv" || { echo "int8: expected FX 16, W 27"; status=1; }
exit $status
