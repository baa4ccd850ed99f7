#!/bin/sh
# mac_cli.sh - fp8lab mac and fp8lab accumulate from the command line: known
# outputs worked out by hand from the format definitions, and every error path
# (message names the line and the bad token; exit 1 for bad data, 2 for usage).
: "${FP8LAB:=./fp8lab}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
check() {  # check NAME EXPECTED ACTUAL
  if [ "$2" != "$3" ]; then
    echo "FAIL $1: expected [$2], got [$3]"; fail=1
  else
    echo "ok   $1"
  fi
}
expect_error() {  # expect_error NAME STATUS PATTERN -- command...
  name=$1 want=$2 pat=$3; shift 4
  "$@" >"$tmp/out" 2>"$tmp/err"; st=$?
  if [ "$st" != "$want" ] || ! grep -q -- "$pat" "$tmp/err"; then
    echo "FAIL $name: status $st (want $want), stderr: $(cat "$tmp/err")"; fail=1
  else
    echo "ok   $name"
  fi
}

# (-128)*(-128) = 16384 twice = 32768: wraps to -32768 in 16 bits, flag set.
out=$(printf '80 80\n0x80 0x80\n' | "$FP8LAB" mac --format int8 --acc kulisch --width 16)
check "int8 wrap at 16 bits" "acc=0x8000 value=-32768 flags=overflow" "$out"
# fp8-e4 (fnuz, bias 8): 0x01 = 2^-10, so 0x01*0x01 = 2^-20 = the LSB of a 49-bit Kulisch.
out=$(printf '01 01\n7f 7f\n' | "$FP8LAB" mac --format fp8-e4)
check "fp8-e4 exact decimal" "acc=0x0000e10000001 value=57600.00000095367431640625 flags=none" "$out"
# 57600 = 1.7578125 * 2^15: fp16 exponent field 30, fraction 776 -> 0x7b08 (the 2^-20 is below half an ulp).
out=$(printf '01 01\n7f 7f\n' | "$FP8LAB" mac --format fp8-e4 --round-to fp16)
check "round once to fp16" "acc=0x0000e10000001 value=57600.00000095367431640625 flags=none fp16=0x7b08 (57600)" "$out"
expect_error "bad --round-to" 2 "unknown format 'fp7'" -- "$FP8LAB" mac --format fp8-e4 --round-to fp7
# clear: one line per dot product.
out=$(printf '40 40\nclear\n48 40 # 2*1\n' | "$FP8LAB" mac --format fp8-e4 | tr '\n' '|')
check "clear ends a dot product" "acc=0x0000000100000 value=1 flags=none|acc=0x0000000200000 value=2 flags=none|" "$out"
# fp32: 1.0 is 0x38 in E4M3 (bias 7); 1 + 448*448 = 200705 = 0x31001 -> 0x48440040.
out=$(printf '38 38\n7e 7e\n' | "$FP8LAB" mac --format float8_e4m3fn --acc fp32 --trace | tr '\n' '|')
check "fp32 trace" "step=1 a=0x38 b=0x38 acc=0x3f800000 value=1 flags=none|step=2 a=0x7e b=0x7e acc=0x48440040 value=200705 flags=none|" "$out"
# mixed: E4M3 1.0 (0x38) x E5M2 1.0 (0x3c); E5M2 Inf (0x7c) into fp16 gives Inf.
out=$(printf '38 3c\n38 7c\n' | "$FP8LAB" mac --format float8_e4m3fn --format-b float8_e5m2 --acc fp16)
check "mixed inputs, Inf" "acc=0x7c00 value=inf flags=none" "$out"
# E4M3 x E5M2: FX = 51 (7*2^15 x 7*2^29 units), W = 63: 16 hex digits.
out=$(printf '38 7c\n38 fc\n' | "$FP8LAB" mac --format float8_e4m3fn --format-b float8_e5m2)
check "kulisch +inf and -inf" "acc=0x0000000000000000 value=nan flags=nan,+inf,-inf" "$out"
# fp16: 1 + 2^-11 is a tie: RNE keeps 1 and sets inexact.
out=$(printf '3c 3c\n1c 1c\n' | "$FP8LAB" mac --format float8_e5m2 --acc fp16 --trace | tail -n 1)
check "fp16 tie to even" "step=2 a=0x1c b=0x1c acc=0x3c00 value=1 flags=inexact" "$out"

expect_error "not hex" 1 "line 2: 'zz' is not a hex code" -- sh -c "printf '40 40\nzz 01\n' | \"$FP8LAB\" mac --format fp8-e4"
expect_error "out of range" 1 "line 1: code '0x100' out of range" -- sh -c "printf '0x100 1\n' | \"$FP8LAB\" mac --format fp8-e4"
expect_error "6-bit range" 1 "code '40' out of range for a float6_e2m3fn" -- sh -c "printf '40 1\n' | \"$FP8LAB\" mac --format float6_e2m3fn"
expect_error "one token" 1 "line 1: '40' alone" -- sh -c "printf '40\n' | \"$FP8LAB\" mac --format fp8-e4"
expect_error "three tokens" 1 "line 3: unexpected '7'" -- sh -c "printf '1 1\n\n1 1 7\n' | \"$FP8LAB\" mac --format fp8-e4"
expect_error "unknown acc" 2 "unknown accumulator 'fp17'" -- "$FP8LAB" mac --format fp8-e4 --acc fp17
expect_error "non-IEEE acc" 2 "not an IEEE-style float" -- "$FP8LAB" mac --format fp8-e4 --acc float8_e4m3fn
expect_error "width with fp" 2 "applies to --acc kulisch" -- "$FP8LAB" mac --format fp8-e4 --acc fp16 --width 40
expect_error "width below FX" 2 "width 30 out of range" -- "$FP8LAB" mac --format fp8-e4 --width 30
expect_error "width too big" 2 "'300' is not a whole number" -- "$FP8LAB" mac --format fp8-e4 --width 300
expect_error "ftz on kulisch" 2 "floating-point accumulators" -- "$FP8LAB" mac --format fp8-e4 --ftz
expect_error "no format" 2 "--format F is required" -- "$FP8LAB" mac
expect_error "bad format" 2 "unknown format 'fp9'" -- "$FP8LAB" mac --format fp9
expect_error "missing file" 1 "cannot open" -- "$FP8LAB" mac --format fp8-e4 "$tmp/none"
expect_error "bf16 kulisch" 2 "too wide for a Kulisch" -- "$FP8LAB" mac --format bf16

# accumulate: repeatable with a seed, the seed printed, the exact Kulisch unit exact.
a1=$("$FP8LAB" accumulate --lengths 16..256 --trials 3 --seed 7 --tsv 2>"$tmp/seed")
a2=$("$FP8LAB" accumulate --lengths 16..256 --trials 3 --seed 7 --tsv 2>/dev/null)
check "accumulate repeats" "$a1" "$a2"
check "accumulate prints the seed" "fp8lab accumulate: seed 7" "$(head -n 1 "$tmp/seed")"
check "accumulate rows" "6" "$(printf '%s\n' "$a1" | wc -l | tr -d ' ')"
kul=$(printf '%s\n' "$a1" | awk -F'\t' 'NR > 1 { print $11 $12 }' | sort -u)
check "kulisch error is 0" "00" "$kul"
expect_error "lengths" 2 "powers of two" -- "$FP8LAB" accumulate --lengths 10..100
expect_error "dist" 2 "unknown distribution 'cauchy'" -- "$FP8LAB" accumulate --dist cauchy
expect_error "range" 2 "--range: .huge. (expected max or unit)" -- "$FP8LAB" accumulate --range huge
expect_error "acc list" 2 "unknown accumulator 'fp15'" -- "$FP8LAB" accumulate --acc fp16,fp15
if command -v gnuplot >/dev/null 2>&1; then
  "$FP8LAB" accumulate --lengths 16..64 --trials 2 --seed 1 --plot "$tmp/err.png" >/dev/null 2>&1
  for ext in png svg tsv gp; do
    [ -s "$tmp/err.$ext" ] && echo "ok   plot .$ext" || { echo "FAIL plot .$ext missing"; fail=1; }
  done
fi
exit $fail
