#!/bin/sh
# accumulate_block.sh - fp8lab accumulate with block units (UNIT@BLOCKFORMAT)
# beside per-tensor ones, one experiment for both (accumulate.h):
# repeatable with a seed; the per-tensor units' columns equal those of the
# run without block units (the same draws); a Kulisch unit (an exact
# register) has error exactly 0 against the compensated sum of exact products
# at every length up to 2^18 (two independent exact sums); NVFP4 at length 16
# is one block whose exact sum fits fp32
# (E2M1 products have at most 2 significant bits and 2 fraction bits, 16 of
# them at most 10 bits; the two UE4M3 scales add 4 bits each), so the
# accumulation error of both NVFP4 units is exactly 0 there; the error against
# the unquantized data is never below what the exact unit reaches; data near
# 1e300; the usage errors.
. "${top_srcdir:-.}/tests/testlib.sh"

run() { "$FP8LAB" accumulate --format float8_e4m3fn --lengths 16..1024 --trials 5 --seed 3 --tsv "$@" 2>/dev/null; }
run --acc fp32,hopper-fp8,blackwell-nvf4@nvfp4,nvfp4-exact@nvfp4,mx-exact@mxfp8_e4m3,blackwell-mxf8f6f4@mxfp8_e4m3 \
  > "$tmp/a" || fail "run with block units: exit $?"
run --acc fp32,hopper-fp8,blackwell-nvf4@nvfp4,nvfp4-exact@nvfp4,mx-exact@mxfp8_e4m3,blackwell-mxf8f6f4@mxfp8_e4m3 \
  > "$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || fail "not repeatable for one seed"
run --acc fp32,hopper-fp8 > "$tmp/plain"
# columns 2-4 and 7-9 (fp32 and hopper-fp8: median, max, nonfinite) against the plain run's 2-7
cut -f2-4,7-9 "$tmp/a" | sed 1d > "$tmp/x"
cut -f2-7 "$tmp/plain" | sed 1d > "$tmp/y"
cmp -s "$tmp/x" "$tmp/y" || fail "per-tensor columns differ from the plain run: $(diff "$tmp/x" "$tmp/y" | head -3)"
"$FP8LAB" accumulate --acc kulisch,fp32 --lengths 16..262144 --trials 3 --seed 5 --tsv > "$tmp/k" 2>/dev/null \
  || fail "kulisch run: exit $?"
awk -F'\t' 'NR > 1 && !($2 == 0 && $3 == 0 && $4 == 0) { exit 1 }' "$tmp/k" \
  || fail "Kulisch unit not exactly 0 against the exact reference: $(cut -f1-4 "$tmp/k")"
hdr=$(head -n 1 "$tmp/a" | cut -f12-16)
want=$(printf 'blackwell-nvf4@nvfp4\tblackwell-nvf4@nvfp4.max\tblackwell-nvf4@nvfp4.nonfinite\tblackwell-nvf4@nvfp4.data\tblackwell-nvf4@nvfp4.data.max')
[ "$hdr" = "$want" ] || fail "header: $hdr"
l16=$(awk -F'\t' '$1 == 16 { print $12, $13, $17, $18 }' "$tmp/a")
[ "$l16" = "0 0 0 0" ] || fail "NVFP4 one block of 16: accumulation errors '$l16' (expected exactly 0)"
# vs the data, the Blackwell MXFP8 unit's median is the exact unit's up to its own rounding:
# both are dominated by quantization (a few percent), never 0
awk -F'\t' 'NR > 1 && !($25 > 0.001 && $30 > 0.001) { exit 1 }' "$tmp/a" \
  || fail "MXFP8 error vs the data not the quantization's few percent"

# Data near 1e300 (products beyond double): 1e300 + N(0,1) is 1e300 itself,
# so every x_i = y_i = 1e300.  Per tensor, q = 1e300 to within an ulp: error vs
# the data below 1e-12.  MXFP8's E8M0 scale stops at 2^127, its elements
# saturate at 448 (OCP MX v1.0): each product is 448^2 2^254 > 2^271, beyond
# the exact unit's float32 result, so its value is Inf in all 5 trials and both
# errors are inf (accumulate.h's convention).  No NaN, exit 0.
run --lengths 16..64 --mean 1e300 --acc fp32,mx-exact@mxfp8_e4m3,blackwell-mxf8f6f4@mxfp8_e4m3 > "$tmp/big" || fail "--mean 1e300: exit $?"
grep -qi nan "$tmp/big" && fail "--mean 1e300 printed NaN: $(cat "$tmp/big")"
awk -F'\t' 'NR > 1 && !($5 < 1e-12 && $6 < 1e-12 && $9 == 5 && $10 == "inf" && $11 == "inf") { exit 1 }' \
  "$tmp/big" || fail "--mean 1e300: errors vs the data not ~0 (fp32) and inf (MXFP8): $(cat "$tmp/big")"

expect_usage "bad block format" "mxfp9" -- "$FP8LAB" accumulate --acc mx-exact@mxfp9
expect_usage "per-tensor unit on blocks" "no block-scale stage" -- "$FP8LAB" accumulate --acc hopper-fp8@mxfp8_e4m3
expect_usage "block unit without blocks" "block-scale stage" -- "$FP8LAB" accumulate --acc mx-exact
expect_usage "block size" "blocks of 32" -- "$FP8LAB" accumulate --acc blackwell-nvf4@mxfp8_e4m3
finish accumulate_block.sh
