#!/bin/sh
# gemm_block.sh - fp8lab gemm on block formats: 1 x 1 products worked out by
# hand from the OCP MX and NVFP4 definitions (E4M3 0x38 = 1, 0x40 = 2, 0x7e =
# 448, 0xfe = -448, 0x01 = 2^-9; E2M1 0x2 = 1, 0x7 = 6; E8M0 code c = 2^(c-127);
# UE4M3 0x3c = 1.5, 0x38 = 1), the scales in their own file and after the
# codes, NVFP4's float32 tensor scale from the scales section, a term the
# Blackwell window drops and the exact unit keeps, and the usage errors.
. "${top_srcdir:-.}/tests/testlib.sh"

# zeros FILE N: N zero bytes; put FILE OFFSET BYTES...: octal bytes at OFFSET.
zeros() { head -c "$2" /dev/zero > "$tmp/$1"; }
put() {
  f=$1 off=$2; shift 2
  printf "$*" | dd of="$tmp/$f" bs=1 seek="$off" conv=notrunc 2>/dev/null
}
val() {  # val ARGS...: the f32 output code of a 1 x 1 product
  "$FP8LAB" gemm -m 1 -n 1 --tsv "$@" 2>"$tmp/err" | cut -f3
}
check() { [ "$2" = "$3" ] || fail "$1: expected $2, got $3 ($(cat "$tmp/err"))"; }

# MXFP8, K = 32: a = (1, 1), b = (1, 2); X_A = 2^3 (130 = \202), X_B = 2^-5
# (122 = \172): (1 + 2) * 2^-2 = 0.75 = 0x3f400000.
zeros a 32; put a 0 '\070\070'; zeros b 32; put b 0 '\070\100'
printf '\202' > "$tmp/sa"; printf '\172' > "$tmp/sb"
for u in blackwell-mxf8f6f4 mx-exact; do
  check "mxfp8 $u, scales in files" 0x3f400000 "$(val -k 32 --unit $u --a-format mxfp8_e4m3 \
    --a-scales "$tmp/sa" --b-scales "$tmp/sb" "$tmp/a" "$tmp/b")"
done
cat "$tmp/a" "$tmp/sa" > "$tmp/a+s"; cat "$tmp/b" "$tmp/sb" > "$tmp/b+s"
check "mxfp8, scales after the codes (default unit)" 0x3f400000 \
  "$(val -k 32 --a-format mxfp8_e4m3 "$tmp/a+s" "$tmp/b+s")"

# Two blocks (K = 40, the second short): block 2 holds 448 x 448 with X = 2^-10 x 2^0:
# 0.75 + 200704 * 2^-10 = 196.75 = 0x4344c000.
zeros a2 40; put a2 0 '\070\070'; put a2 32 '\176'; zeros b2 40; put b2 0 '\070\100'; put b2 32 '\176'
printf '\202\165' > "$tmp/sa2"; printf '\172\177' > "$tmp/sb2"
check "mxfp8 two blocks, short last" 0x4344c000 "$(val -k 40 --a-format mxfp8_e4m3 \
  --a-scales "$tmp/sa2" --b-scales "$tmp/sb2" "$tmp/a2" "$tmp/b2")"

# 448*448 - 448*448 + 2^-9*2^-9 with X = 1: exact 2^-18 (0x36800000); the
# Blackwell window (emax 16, F 25: last bit 2^-9) drops it -> +0.
zeros c 32; put c 0 '\176\376\001'; zeros d 32; put d 0 '\176\176\001'
printf '\177' > "$tmp/one"
check "exact unit keeps 2^-18" 0x36800000 "$(val -k 32 --unit mx-exact --a-format mxfp8_e4m3 \
  --a-scales "$tmp/one" --b-scales "$tmp/one" "$tmp/c" "$tmp/d")"
check "blackwell window drops it" 0x00000000 "$(val -k 32 --unit blackwell-mxf8f6f4 --a-format mxfp8_e4m3 \
  --a-scales "$tmp/one" --b-scales "$tmp/one" "$tmp/c" "$tmp/d")"

# NVFP4, K = 16: 6 x 1 with block scales 1.5 and 1, tensor scales 0.5
# (0x3f000000) and 0.25 (0x3e800000): 9 * round(0.5 * 0.25) = 1.125 = 0x3f900000.
zeros n1 16; put n1 0 '\007'; zeros n2 16; put n2 0 '\002'
printf '\000\000\000\077\074' > "$tmp/ns1"; printf '\000\000\200\076\070' > "$tmp/ns2"
for u in blackwell-nvf4 nvfp4-exact; do
  check "nvfp4 $u, two-level scales" 0x3f900000 "$(val -k 16 --unit $u --a-format nvfp4 \
    --a-scales "$tmp/ns1" --b-scales "$tmp/ns2" "$tmp/n1" "$tmp/n2")"
done

# Errors: exit 2, the bad value named, -o untouched.
expect_usage "scales too short" "expected exactly 2" -- "$FP8LAB" gemm -m 1 -n 1 -k 40 --a-format mxfp8_e4m3 \
  --a-scales "$tmp/sa" --b-scales "$tmp/sb2" -o "$tmp/none" "$tmp/a2" "$tmp/b2"
[ -e "$tmp/none" ] && fail "a failed run left its output file"
expect_usage "codes+scales size" "then the scales section" -- "$FP8LAB" gemm -m 1 -n 1 -k 32 \
  --a-format mxfp8_e4m3 -o "$tmp/none" "$tmp/a" "$tmp/b+s"
expect_usage "block and plain" "expected both or neither" -- "$FP8LAB" gemm -m 1 -n 1 -k 32 \
  --a-format mxfp8_e4m3 --b-format float8_e4m3fn -o "$tmp/none" "$tmp/a+s" "$tmp/b"
expect_usage "scales for a plain format" "not a block format" -- "$FP8LAB" gemm -m 1 -n 1 -k 32 \
  --a-scales "$tmp/sa" -o "$tmp/none" "$tmp/a" "$tmp/b"
expect_usage "per-tensor unit" "no block-scale stage" -- "$FP8LAB" gemm -m 1 -n 1 -k 32 --unit hopper-fp8 \
  --a-format mxfp8_e4m3 -o "$tmp/none" "$tmp/a+s" "$tmp/b+s"
expect_usage "block size mismatch" "blocks of 16" -- "$FP8LAB" gemm -m 1 -n 1 -k 16 \
  --unit blackwell-mxf8f6f4 --a-format nvfp4 -o "$tmp/none" "$tmp/n1" "$tmp/n2"
expect_usage "plain format, block unit" "block-scale stage" -- "$FP8LAB" gemm -m 1 -n 1 -k 32 \
  --unit mx-exact -o "$tmp/none" "$tmp/a" "$tmp/b"
expect_usage "scale-a with nvfp4" "own tensor scale" -- "$FP8LAB" gemm -m 1 -n 1 -k 16 --a-format nvfp4 \
  --scale-a 2 --a-scales "$tmp/ns1" --b-scales "$tmp/ns2" -o "$tmp/none" "$tmp/n1" "$tmp/n2"
printf '\000\000\300\177\074' > "$tmp/nsnan"
expect_usage "NaN tensor scale" "tensor scale of nvfp4" -- "$FP8LAB" gemm -m 1 -n 1 -k 16 --a-format nvfp4 \
  --a-scales "$tmp/nsnan" --b-scales "$tmp/ns2" -o "$tmp/none" "$tmp/n1" "$tmp/n2"
# Codes beyond their formats (NVFP4: 4-bit elements, 7-bit UE4M3 scales) are
# refused naming the code and its byte offset, as cast --decode refuses them.
printf '\000\000\000\077\200' > "$tmp/ns80"
expect_usage "scale byte 0x80 (separate file)" "scale code 0 is 0x80 (byte offset 4)" -- "$FP8LAB" gemm \
  -m 1 -n 1 -k 16 --a-format nvfp4 --a-scales "$tmp/ns80" --b-scales "$tmp/ns2" -o "$tmp/none" \
  "$tmp/n1" "$tmp/n2"
cat "$tmp/n1" "$tmp/ns80" > "$tmp/n1+s80"; cat "$tmp/n2" "$tmp/ns2" > "$tmp/n2+s"
expect_usage "scale byte 0x80 (after the codes)" "scale code 0 is 0x80 (byte offset 20)" -- "$FP8LAB" gemm \
  -m 1 -n 1 -k 16 --a-format nvfp4 -o "$tmp/none" "$tmp/n1+s80" "$tmp/n2+s"
cp "$tmp/n2" "$tmp/nff"; put nff 3 '\377'
expect_usage "element code 0xff" "element code 3 is 0xff (byte offset 3)" -- "$FP8LAB" gemm \
  -m 1 -n 1 -k 16 --a-format nvfp4 --a-scales "$tmp/ns1" --b-scales "$tmp/ns2" -o "$tmp/none" \
  "$tmp/n1" "$tmp/nff"
[ -e "$tmp/none" ] && fail "a failed run left its output file"
finish gemm_block.sh
