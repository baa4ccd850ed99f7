#!/bin/sh
# gemm.sh - fp8lab gemm from the command line: 1 x 1 products worked out by
# hand from the Hopper rule (tests/data/h200-fp8/README.md) and the format
# definitions, two recorded H200 cases through the binary output, and the
# error paths (exit 2 naming the bad value; no output file left behind).
. "${top_srcdir:-.}/tests/testlib.sh"
D="$top_srcdir/tests/data/h200-fp8"

# row FILE BYTES...: the given codes (octal escapes), zero-padded to 32 bytes.
row() {
  f=$1; shift
  printf "$*" > "$tmp/$f"
  n=$(wc -c < "$tmp/$f")
  head -c $((32 - n)) /dev/zero >> "$tmp/$f"
}
val() {  # val UNIT A B: the f32 output code of a 1 x 1 x 32 product
  "$FP8LAB" gemm -m 1 -n 1 -k 32 --unit "$1" --tsv "$tmp/$2" "$tmp/$3" | cut -f3
}
check() { [ "$2" = "$3" ] || fail "$1: expected $2, got $3"; }

# E4M3 (bias 7): 0x38 = 1, 0x01 = 2^-9, 0x81 = -2^-9, 0x10 = 2^-5, 0x18 = 2^-4.
# 1*1 + 2^-9*2^-4 = 1 + 2^-13: exactly the window's last bit (emax 0, F 13).
row a1 '\070\001'; row b1 '\070\030'
check "term at the window's last bit" 0x3f800400 "$(val hopper-fp8 a1 b1)"
# 1 + 2^-14: below the window -> dropped by Hopper, kept by fp32 (1 + 2^-14 = 0x3f800200).
row b2 '\070\020'
check "term below the window" 0x3f800000 "$(val hopper-fp8 a1 b2)"
check "fp32 keeps it" 0x3f800200 "$(val fp32 a1 b2)"
check "kulisch keeps it" 0x3f800200 "$(val kulisch a1 b2)"
# 1 - 2^-14: toward zero the term is 0 -> 1; toward -Inf it is -2^-13 -> 1 - 2^-13 (0x3f7ff800).
row a3 '\070\201'
check "negative term truncated toward zero" 0x3f800000 "$(val hopper-fp8 a3 b2)"
check "toward -inf" 0x3f7ff800 "$(val hopper-fp8:term=rdn a3 b2)"
check "fp32: 1 - 2^-14" 0x3f7ffc00 "$(val fp32 a3 b2)"

# The same products through 'fp8lab mac' (one line per product; the partial step is padded).
out=$(printf '38 38\n01 10\n' | "$FP8LAB" mac --format float8_e4m3fn --acc hopper-fp8)
check "mac --acc hopper-fp8" "result=0x3f800000 value=1 flags=none" "$out"
out=$(printf '38 38\n01 10\n' | "$FP8LAB" mac --format float8_e4m3fn --acc fp32)
check "mac --acc fp32 (the MAC's own output)" "acc=0x3f800200 value=1.00006103515625 flags=none" "$out"

# Recorded cases 0 (default accumulation) and 1 (fast): K = 16, 32 x 32, f32.
head -c 512 "$D/a.bin" > "$tmp/A"; head -c 512 "$D/b.bin" > "$tmp/B"
head -c 4096 "$D/out.bin" > "$tmp/C0"; tail -c +4097 "$D/out.bin" | head -c 4096 > "$tmp/C1"
"$FP8LAB" gemm -m 32 -n 32 -k 16 --promote 4 -o "$tmp/out0" "$tmp/A" "$tmp/B" && cmp -s "$tmp/out0" "$tmp/C0" \
  || fail "recorded case 0 (promote 4) differs"
"$FP8LAB" gemm -m 32 -n 32 -k 16 "$tmp/A" "$tmp/B" > "$tmp/out1" && cmp -s "$tmp/out1" "$tmp/C1" \
  || fail "recorded case 1 (fast accumulation) differs"

# Recorded H100 cases where cuBLAS splits K (tests/data/h100-fp8-largek): case 49 (K = 8192, fast,
# f32: 3 chunks) and case 176 (K = 16384, default accumulation, e4m3fn x e5m2, bf16, scales 0.3 and
# 1.7: 6 chunks) with --splitk auto; the single chain misses outputs of both.
L="$top_srcdir/tests/data/h100-fp8-largek"
cut_bytes() { tail -c +$(($2 + 1)) "$1" | head -c "$3"; }   # cut_bytes FILE OFFSET LEN
cut_bytes "$L/a.bin" 1179648 262144 > "$tmp/A49"; cut_bytes "$L/b.bin" 1179648 262144 > "$tmp/B49"
cut_bytes "$L/out.bin" 135168 4096 > "$tmp/C49"
cut_bytes "$L/a.bin" 6684672 524288 > "$tmp/A176"; cut_bytes "$L/b.bin" 6684672 524288 > "$tmp/B176"
cut_bytes "$L/out.bin" 483328 2048 > "$tmp/C176"
"$FP8LAB" gemm -m 32 -n 32 -k 8192 --splitk auto -o "$tmp/o49" "$tmp/A49" "$tmp/B49" && cmp -s "$tmp/o49" "$tmp/C49" \
  || fail "recorded H100 case 49 (splitk auto) differs"
"$FP8LAB" gemm -m 32 -n 32 -k 8192 --unit hopper-fp8:splitk=3 -o "$tmp/o49" "$tmp/A49" "$tmp/B49" \
  && cmp -s "$tmp/o49" "$tmp/C49" || fail "recorded H100 case 49 (unit key splitk=3) differs"
"$FP8LAB" gemm -m 32 -n 32 -k 16384 --promote 4 --splitk auto --b-format float8_e5m2 --out bf16 \
  --scale-a 0.30000001192092896 --scale-b 1.7000000476837158 -o "$tmp/o176" "$tmp/A176" "$tmp/B176" \
  && cmp -s "$tmp/o176" "$tmp/C176" || fail "recorded H100 case 176 (splitk auto) differs"
"$FP8LAB" gemm -m 32 -n 32 -k 8192 -o "$tmp/o49" "$tmp/A49" "$tmp/B49" && cmp -s "$tmp/o49" "$tmp/C49" \
  && fail "recorded H100 case 49: the single chain matches too (the test cannot tell the split)"

# Chunks of exactly 128 products (4 Hopper steps) added in order in fp32 are promotion every 4
# steps: splitk=1024 (chunks of 128 up to K = 131072) must equal promote=4 at every length, in
# accumulate (which splits each length anew) as in gemm.
"$FP8LAB" accumulate --format float8_e4m3fn --lengths 64..16384 --trials 8 --seed 7 --mean 1 \
  --acc hopper-fp8:splitk=1024,hopper-fp8:promote=4 --tsv > "$tmp/acc" 2>/dev/null || fail "accumulate splitk"
awk -F'\t' 'NR > 1 && ($2 != $5 || $3 != $6) { bad = 1 } END { exit bad || NR != 10 }' "$tmp/acc" \
  || fail "accumulate: splitk=1024 differs from promote=4: $(cat "$tmp/acc")"
"$FP8LAB" gemm -m 32 -n 32 -k 8192 --splitk 64 -o "$tmp/s64" "$tmp/A49" "$tmp/B49" \
  && "$FP8LAB" gemm -m 32 -n 32 -k 8192 --promote 4 -o "$tmp/p4" "$tmp/A49" "$tmp/B49" \
  && cmp -s "$tmp/s64" "$tmp/p4" || fail "gemm: splitk=64 at K = 8192 differs from promote=4"

# Errors: exit 2 and a message naming the bad value; -o left untouched.
err() {  # err NAME PATTERN -- command...
  name=$1 pat=$2; shift 3
  "$@" > "$tmp/o" 2> "$tmp/e"; st=$?
  [ "$st" = 2 ] && grep -q -- "$pat" "$tmp/e" || fail "$name: status $st, stderr: $(cat "$tmp/e")"
  grep -q 'gemm: gemm:' "$tmp/e" && fail "$name: the command is named twice: $(cat "$tmp/e")"
}
err "A too short" "expected exactly 544" -- "$FP8LAB" gemm -m 32 -n 32 -k 17 -o "$tmp/none" "$tmp/A" "$tmp/B"
[ -e "$tmp/none" ] && fail "a failed run left its output file"
err "bad unit" "unknown unit 'tpu'" -- "$FP8LAB" gemm -m 1 -n 1 -k 32 --unit tpu "$tmp/a1" "$tmp/b1"
err "bad key" "n=0" -- "$FP8LAB" gemm -m 1 -n 1 -k 32 --unit hopper-fp8:n=0 "$tmp/a1" "$tmp/b1"
err "no shape" "-m, -n and -k are required" -- "$FP8LAB" gemm "$tmp/a1" "$tmp/b1"
err "16-bit input" "fp16 has 16 bits" -- "$FP8LAB" gemm -m 1 -n 1 -k 16 --a-format fp16 "$tmp/a1" "$tmp/b1"
err "bad out" "--out: 'f8'" -- "$FP8LAB" gemm -m 1 -n 1 -k 32 --out f8 "$tmp/a1" "$tmp/b1"
err "kulisch window" "Kulisch accumulator is exact" -- "$FP8LAB" gemm -m 1 -n 1 -k 32 --unit kulisch:window=13 "$tmp/a1" "$tmp/b1"
err "bad splitk" "--splitk: '0' (expected auto or 1..1024" -- "$FP8LAB" gemm -m 1 -n 1 -k 32 --splitk 0 "$tmp/a1" "$tmp/b1"
err "splitk with keys" "--splitk: '2:n=4'" -- "$FP8LAB" gemm -m 1 -n 1 -k 32 --splitk 2:n=4 "$tmp/a1" "$tmp/b1"
err "bad splitk key" "splitk=x (expected auto" -- "$FP8LAB" gemm -m 1 -n 1 -k 32 --unit hopper-fp8:splitk=x "$tmp/a1" "$tmp/b1"
err "splitk on blocks" "split-K is modelled for per-tensor formats only" -- "$FP8LAB" gemm -m 1 -n 1 -k 256 \
  --a-format mxfp8_e4m3 --splitk 2 "$tmp/A49" "$tmp/B49"
err "splitk in accumulate on blocks" "split-K is modelled for per-tensor units only" -- "$FP8LAB" accumulate \
  --acc blackwell-mxf8f6f4:splitk=auto@mxfp8_e4m3 --lengths 64
err "one file" "expected two files" -- "$FP8LAB" gemm -m 1 -n 1 -k 32 "$tmp/a1"

# A NaN output is the format's NaN (dot.h, the GEMM epilogue), from the format definitions:
# IEEE fp32/bf16/fp16 and E5M2 and FN E4M3 have NaN at every magnitude bit set (NVIDIA's 0x7fffffff,
# 0x7fff, 0x7f); FNUZ (fp8-e4) and signed P3109 (binary8p3se) have one NaN, 0x80, while 0x7f is 240
# and Inf; unsigned E8M0 has NaN 0xff (0x7f is 1); 7-bit UE4M3 has NaN 0x7f (0x3f is 1.875).
printf '\177' > "$tmp/nan"; printf '\070' > "$tmp/one"   # E4M3FN NaN and 1
for case in f32:0x7fffffff bf16:0x7fff f16:0x7fff float8_e4m3fn:0x007f float8_e5m2:0x007f fp8-e4:0x0080 \
            float8_e8m0fnu:0x00ff ue4m3:0x007f binary8p3se:0x0080; do
  got=$("$FP8LAB" gemm -m 1 -n 1 -k 1 --out "${case%%:*}" --tsv "$tmp/nan" "$tmp/one" | cut -f3,4)
  check "NaN output in ${case%%:*}" "${case#*:}	nan" "$got"
done
# An output format without NaN is refused before any work, whatever the data.
err "out without NaN" "float4_e2m1fn has no NaN" -- "$FP8LAB" gemm -m 1 -n 1 -k 1 --out float4_e2m1fn \
  -o "$tmp/none" "$tmp/one" "$tmp/one"
[ -e "$tmp/none" ] && fail "a refused --out left its output file"

# A byte that is not a code of its format is refused (E2M1 has 4 bits: 0xf2 is none), never masked.
printf '\002\002\362' > "$tmp/bad4"; printf '\002\002\002' > "$tmp/ok4"; printf '\070\070\070' > "$tmp/one3"
err "byte beyond a 4-bit format" "A '$tmp/bad4': byte 2 (row 0, column 2) is 0xf2, beyond the 4-bit format float4_e2m1fn" \
  -- "$FP8LAB" gemm -m 1 -n 1 -k 3 --a-format float4_e2m1fn "$tmp/bad4" "$tmp/ok4"
err "byte beyond B's format" "B '$tmp/bad4': byte 2 (row 0, column 2) is 0xf2, beyond the 4-bit format float4_e2m1fn" \
  -- "$FP8LAB" gemm -m 1 -n 1 -k 3 --b-format float4_e2m1fn "$tmp/one3" "$tmp/bad4"

# -o into a missing folder: refused before the operands are read (A does not exist either).
err "-o in a missing folder" "$tmp/no/such/C" -- "$FP8LAB" gemm -m 1 -n 1 -k 1 -o "$tmp/no/such/C" \
  "$tmp/no-A" "$tmp/one"

# Long K: decoded rows beyond FP8_GEMM_DECODE_MAX (256 MiB) go in tiles of rows (4 x 2^24 codes:
# two tiles of A) or, when one row is too long, through the codes (K = 2^25 + 32).  Hand values
# from the Hopper rule: each term is cut to the window's 13 bits below C's exponent, so adding 32
# products v*1 per step stops when C reaches 2^14 * v: 1 -> 16384, 2 -> 32768, 0.5 -> 8192.
rep() { head -c "$2" /dev/zero | tr '\0' "$1"; }
K=16777216
{ rep '\070' $K; rep '\100' $K; rep '\060' $K; rep '\070' $K; } > "$tmp/tA"; rep '\070' $K > "$tmp/tB"
got=$("$FP8LAB" gemm -m 4 -n 1 -k $K --tsv "$tmp/tA" "$tmp/tB" | cut -f3 | tr '\n' ' ')
check "tiles of rows" "0x46800000 0x47000000 0x46000000 0x46800000 " "$got"
rm -f "$tmp/tA"
rep '\070' $((2 * K + 32)) > "$tmp/lA"
check "rows too long for a tile" 0x46800000 \
  "$("$FP8LAB" gemm -m 1 -n 1 -k $((2 * K + 32)) --tsv "$tmp/lA" "$tmp/lA" | cut -f3)"
rm -f "$tmp/lA" "$tmp/tB"
finish gemm.sh
