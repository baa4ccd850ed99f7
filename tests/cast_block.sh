#!/bin/sh
# cast_block.sh - fp8lab cast into and out of block formats: the
# binary layout byte by byte against hand-computed inputs (OCP MX floor rule,
# NVFP4's two-level scale, worked out in the comments), --decode back to
# float32, round trips (MX floor: quantizing quantized values changes no
# code), threads and pipes give the same bytes, text output, and bad input:
# a scales file of the wrong size, a wrong row length, truncated streams,
# codes beyond their formats, options that do not apply; no output file is
# left behind by a failed run.
. "${top_srcdir:?}/tests/testlib.sh"

# bytes HEX...: write the bytes (LC_ALL=C: awk writes bytes)
bytes() {
  LC_ALL=C awk -v s="$*" 'function h(c) { return index("0123456789abcdef", c) - 1 }
    BEGIN { n = split(s, a, " "); for (i = 1; i <= n; i++) printf "%c", h(substr(a[i], 1, 1)) * 16 + h(substr(a[i], 2, 1)) }'
}
# hex FILE: its bytes as "hh hh ..." on one line
hex() { od -An -v -tx1 "$1" | tr -s ' \n' '  ' | sed 's/^ //; s/ $//'; }

# ---- MXFP4 with blocks of 4, rows of 6: two rows, two blocks each (4 + 2) ----------
# row 0: 1 2 3 6 | -0.5 12      row 1: 0.75 -1.5 0 0 | 0 0.25
# block 0: amax 6 = 1.5 * 2^2, emax(e2m1) = 2: X = 2^0, E8M0 0x7f; 1 2 3 6 -> e2m1 2 4 5 7
# block 1: amax 12: X = 2^1 (0x80); -0.5 / 2 = -0.25, a tie between 0 and 0.5 -> even: -0 (0x8); 12 / 2 = 6 (7)
# block 2: amax 1.5: X = 2^-2 (0x7d); 3 -> 5, -6 -> 0xf, 0 0
# block 3: amax 0.25: X = 2^-4 (0x7b); 0 -> 0, 4 -> 6
bytes 00 00 80 3f 00 00 00 40 00 00 40 40 00 00 c0 40 00 00 00 bf 00 00 40 41 \
      00 00 40 3f 00 00 c0 bf 00 00 00 00 00 00 00 00 00 00 00 00 00 00 80 3e >"$tmp/mx.f32"
[ "$(wc -c <"$tmp/mx.f32")" -eq 48 ] || { echo "could not write the input"; exit 99; }
want_codes="02 04 05 07 08 07 05 0f 00 00 00 06"
want_scales="7f 80 7d 7b"
"$FP8LAB" cast --to mxfp4_e2m1:block=4 --binary --row 6 <"$tmp/mx.f32" >"$tmp/mx.out" || fail "mx: encode"
[ "$(hex "$tmp/mx.out")" = "$want_codes $want_scales" ] || fail "mx layout: $(hex "$tmp/mx.out")"
"$FP8LAB" cast --to mxfp4_e2m1:block=4 --binary --row 6 --scales "$tmp/mx.sc" -o "$tmp/mx.codes" <"$tmp/mx.f32" \
  || fail "mx: encode --scales"
[ "$(hex "$tmp/mx.codes")" = "$want_codes" ] || fail "mx codes file: $(hex "$tmp/mx.codes")"
[ "$(hex "$tmp/mx.sc")" = "$want_scales" ] || fail "mx scales file: $(hex "$tmp/mx.sc")"
# decode: 1 2 3 6 -0 12 0.75 -1.5 0 0 0 0.25 as float32
want_dec="00 00 80 3f 00 00 00 40 00 00 40 40 00 00 c0 40 00 00 00 80 00 00 40 41 00 00 40 3f 00 00 c0 bf 00 00 00 00 00 00 00 00 00 00 00 00 00 00 80 3e"
"$FP8LAB" cast --to mxfp4_e2m1:block=4 --binary --decode --row 6 <"$tmp/mx.out" >"$tmp/mx.dec" || fail "mx: decode"
[ "$(hex "$tmp/mx.dec")" = "$want_dec" ] || fail "mx decode: $(hex "$tmp/mx.dec")"
"$FP8LAB" cast --to mxfp4_e2m1:block=4 --binary --decode --row 6 --scales "$tmp/mx.sc" <"$tmp/mx.codes" \
  >"$tmp/mx.dec2" || fail "mx: decode --scales"
cmp -s "$tmp/mx.dec" "$tmp/mx.dec2" || fail "mx: decode with --scales differs"
# one row (no --row): 12 values in blocks 4 4 4, the length solved from 12 + 3 bytes
"$FP8LAB" cast --to mxfp4_e2m1:block=4 --binary <"$tmp/mx.f32" >"$tmp/mx1.out" || fail "mx one row"
# blocks: [1 2 3 6] 0x7f; [-0.5 12 0.75 -1.5] X = 2: -0 6 0.375->0.5 (1) -0.75->-1 (0xa), 0x80;
# [0 0 0 0.25] X = 2^-4: 0 0 0 4 (6), 0x7b
[ "$(hex "$tmp/mx1.out")" = "02 04 05 07 08 07 01 0a 00 00 00 06 7f 80 7b" ] || fail "mx one row: $(hex "$tmp/mx1.out")"
"$FP8LAB" cast --to mxfp4_e2m1:block=4 --binary --decode <"$tmp/mx1.out" >"$tmp/mx1.dec" || fail "mx one row: decode"
[ "$(wc -c <"$tmp/mx1.dec")" -eq 48 ] || fail "mx one row: decoded $(wc -c <"$tmp/mx1.dec") bytes, expected 48"

# ---- NVFP4: rows of 20 (blocks of 16 and 4) --------------------------------------
# tensor amax 2688 = 448 * 6, so T = 1 (float32 00 00 80 3f, first in the scales section)
# block 0: 2688 -1344 1 0.5, 0 x 12: S = 2688 / 6 = 448 (UE4M3 0x7e); 6 -> 7, -3 -> 0xd, 1/448 and 0.5/448 -> 0
# block 1: 3 -1.5 0.75 0.1: S = 3 / 6 = 0.5 (UE4M3 0x30); 6 -> 7, -3 -> 0xd, 1.5 -> 3, 0.2 -> 0
bytes 00 00 28 45 00 00 a8 c4 00 00 80 3f 00 00 00 3f \
      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 \
      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 \
      00 00 40 40 00 00 c0 bf 00 00 40 3f cd cc cc 3d >"$tmp/nv.f32"
want_nv="07 0d 00 00 00 00 00 00 00 00 00 00 00 00 00 00 07 0d 03 00"
"$FP8LAB" cast --to nvfp4 --binary --row 20 <"$tmp/nv.f32" >"$tmp/nv.out" 2>"$tmp/nv.err" || fail "nvfp4: encode"
[ "$(hex "$tmp/nv.out")" = "$want_nv 00 00 80 3f 7e 30" ] || fail "nvfp4 layout: $(hex "$tmp/nv.out")"
grep -q "tensor scale T = 1$" "$tmp/nv.err" || fail "nvfp4: T not reported: $(cat "$tmp/nv.err")"
"$FP8LAB" cast --to nvfp4 --binary --scales "$tmp/nv.sc" <"$tmp/nv.f32" >"$tmp/nv.codes" 2>/dev/null || fail "nvfp4 --scales"
[ "$(hex "$tmp/nv.sc")" = "00 00 80 3f 7e 30" ] || fail "nvfp4 scales file: $(hex "$tmp/nv.sc")"
# decode: 2688 -1344 0 0 0 x 12 3 -1.5 0.75 0
"$FP8LAB" cast --to nvfp4 --binary --decode <"$tmp/nv.out" >"$tmp/nv.dec" || fail "nvfp4: decode"
[ "$(hex "$tmp/nv.dec")" = "00 00 28 45 00 00 a8 c4 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 40 40 00 00 c0 bf 00 00 40 3f 00 00 00 00" ] \
  || fail "nvfp4 decode: $(hex "$tmp/nv.dec")"
# text: the same values, codes, blocks and scales
"$FP8LAB" cast --to nvfp4 --row 4 2688 -1344 1 0.5 >"$tmp/nv.txt" 2>/dev/null || fail "nvfp4 text"
printf '0x7\t2688\t0\t0x7e\t448\n0xd\t-1344\t0\t0x7e\t448\n0x0\t0\t0\t0x7e\t448\n0x0\t0\t0\t0x7e\t448\n' \
  | cmp -s - "$tmp/nv.txt" || fail "nvfp4 text: $(cat "$tmp/nv.txt")"
expect_out "mxfp8 text" "$(printf '0x48\t1\t0\t0x7d\t0.25\n0x7c\t96\t0\t0x7d\t0.25')" -- \
  "$FP8LAB" cast --to mxfp8_e4m3 1 100

# ---- round trips on every bf16 value (with NaN, Inf, subnormals), five times ------
LC_ALL=C awk 'BEGIN { for (i = 0; i < 65536; i++) printf "%c%c", i % 256, int(i / 256) }' >"$tmp/bf16.codes"
"$FP8LAB" cast --binary --decode --to bf16 <"$tmp/bf16.codes" >"$tmp/one.f32" || fail "decode bf16"
cat "$tmp/one.f32" "$tmp/one.f32" "$tmp/one.f32" "$tmp/one.f32" "$tmp/one.f32" >"$tmp/in.f32"
for to in mxfp8_e4m3 mxfp8_e5m2 mxfp6_e3m2 mxfp6_e2m3 mxfp4_e2m1 mxint8; do
  "$FP8LAB" cast --to $to --binary --row 1024 --threads 1 <"$tmp/in.f32" >"$tmp/c1" 2>/dev/null || fail "$to: encode"
  n=$(wc -c <"$tmp/c1")
  [ "$n" -eq $((327680 + 327680 / 32)) ] || fail "$to: $n bytes, expected 327680 codes + 10240 scales"
  "$FP8LAB" cast --to $to --binary --row 1024 --threads 3 <"$tmp/in.f32" >"$tmp/c3" 2>/dev/null || fail "$to: 3 threads"
  cmp -s "$tmp/c1" "$tmp/c3" || fail "$to: 3 threads differ from 1"
  cat "$tmp/in.f32" | "$FP8LAB" cast --to $to --binary --row 1024 >"$tmp/cp" 2>/dev/null || fail "$to: pipe"
  cmp -s "$tmp/c1" "$tmp/cp" || fail "$to: pipe input differs from file input"
  "$FP8LAB" cast --to $to --binary --decode --row 1024 <"$tmp/c1" >"$tmp/d1" 2>/dev/null || fail "$to: decode"
  [ "$(wc -c <"$tmp/d1")" -eq 1310720 ] || fail "$to: decoded $(wc -c <"$tmp/d1") bytes"
  "$FP8LAB" cast --to $to --binary --row 1024 <"$tmp/d1" >"$tmp/c2" 2>/dev/null || fail "$to: re-encode"
  cmp -s "$tmp/c1" "$tmp/c2" || fail "$to: quantized values do not re-encode to the same codes"
done
"$FP8LAB" cast --to nvfp4 --binary --row 4096 <"$tmp/in.f32" >"$tmp/nv1" 2>/dev/null || fail "nvfp4: bf16 values"
[ "$(wc -c <"$tmp/nv1")" -eq $((327680 + 4 + 327680 / 16)) ] || fail "nvfp4: $(wc -c <"$tmp/nv1") bytes"
"$FP8LAB" cast --to nvfp4 --binary --decode --row 4096 <"$tmp/nv1" >/dev/null 2>&1 || fail "nvfp4: decode"
# stochastic rounding of the elements: a seed repeats, whatever --threads says; another seed differs
"$FP8LAB" cast --to mxfp4_e2m1 --binary --round stochastic --seed 3 <"$tmp/in.f32" >"$tmp/s1" 2>"$tmp/err" \
  || fail "stochastic: $(cat "$tmp/err")"
grep -q "seed 3" "$tmp/err" || fail "stochastic: seed not printed"
"$FP8LAB" cast --to mxfp4_e2m1 --binary --round stochastic --seed 3 --threads 2 <"$tmp/in.f32" >"$tmp/s2" 2>/dev/null
cmp -s "$tmp/s1" "$tmp/s2" || fail "stochastic: the same seed gave other bytes"
"$FP8LAB" cast --to mxfp4_e2m1 --binary --round stochastic --seed 4 <"$tmp/in.f32" >"$tmp/s3" 2>/dev/null
cmp -s "$tmp/s1" "$tmp/s3" && fail "stochastic: seeds 3 and 4 gave the same bytes"
# --flags counts values: the hand-made MXFP4 input has 12 values, inexact: -0.5 (to -0) only
"$FP8LAB" cast --to mxfp4_e2m1:block=4 --binary --row 6 --flags <"$tmp/mx.f32" 2>"$tmp/err" >/dev/null || fail "--flags"
grep -q "12 values; inexact 1, underflow 1, overflow 0, invalid 0" "$tmp/err" || fail "--flags: $(cat "$tmp/err")"

# 16-bit elements and scales: two bytes each
"$FP8LAB" cast --to block:elem=fp16:scale=bf16:block=3 --binary <"$tmp/mx.f32" >"$tmp/w.out" || fail "fp16 elements"
[ "$(wc -c <"$tmp/w.out")" -eq 32 ] || fail "fp16 elements: $(wc -c <"$tmp/w.out") bytes, expected 24 + 8"
"$FP8LAB" cast --to block:elem=fp16:scale=bf16:block=3 --binary --decode <"$tmp/w.out" | cmp -s - "$tmp/mx.f32" \
  || fail "fp16 elements: the round trip is not exact"

# ---- fp8lab formats --block: every preset, its limits from the OCP MX / NVFP4 tables ----
"$FP8LAB" formats --block --tsv >"$tmp/fb" || fail "formats --block"
[ "$(wc -l <"$tmp/fb")" -eq 8 ] || fail "formats --block: $(wc -l <"$tmp/fb") lines, expected a header and 7 presets"
# name, elem_max, emax, bits_per_value
got=$(awk -F'\t' 'NR > 1 { printf "%s %s %s %s;", $1, $9, $10, $11 }' "$tmp/fb")
[ "$got" = "mxfp8_e4m3 448 8 8.25;mxfp8_e5m2 57344 15 8.25;mxfp6_e3m2 28 4 6.25;mxfp6_e2m3 7.5 2 6.25;mxfp4_e2m1 6 2 4.25;mxint8 1.984375 0 8.25;nvfp4 6 2 4.5;" ] \
  || fail "formats --block: $got"
# every canonical name is accepted by cast and names itself
for f in $(awk -F'\t' 'NR > 1 { print $1 }' "$tmp/fb") nvfp4:block=32 mxfp8_e5m2:rule=rceil "block:elem=e3m2:none:block=8"; do
  c=$("$FP8LAB" formats --tsv "$f" | awk -F'\t' 'NR == 2 { print $2 }')
  [ -n "$c" ] || { fail "formats $f"; continue; }
  c2=$("$FP8LAB" formats --tsv "$c" | awk -F'\t' 'NR == 2 { print $2 }')
  [ "$c" = "$c2" ] || fail "formats: $f names itself $c, which names itself $c2"
  "$FP8LAB" cast --to "$c" 1 >/dev/null 2>&1 || fail "cast --to $c"
done
expect_usage "formats: block and number formats mixed" "is a block format" -- "$FP8LAB" formats nvfp4 fp16
expect_usage "formats: bad block format" "block=0" -- "$FP8LAB" formats --block mxfp8_e4m3:block=0

# ---- bad input -----------------------------------------------------------------------
printf '\177\177\177' >"$tmp/short.sc"
expect_usage "scales file of the wrong size" "--scales .*3 bytes (expected 4" -- \
  sh -c '"$0" cast --to mxfp4_e2m1:block=4 --binary --decode --row 6 --scales "$1" <"$2"' \
  "$FP8LAB" "$tmp/short.sc" "$tmp/mx.codes"
expect_usage "wrong row length (encode)" "--row 5: the 12 input values" -- \
  sh -c '"$0" cast --to mxfp4_e2m1:block=4 --binary --row 5 <"$1"' "$FP8LAB" "$tmp/mx.f32"
expect_usage "wrong row length (decode)" "not a number of whole rows of 5" -- \
  sh -c '"$0" cast --to mxfp4_e2m1:block=4 --binary --decode --row 5 <"$1"' "$FP8LAB" "$tmp/mx.out"
head -c 15 "$tmp/mx.out" >"$tmp/cut.out"
expect_usage "truncated codes and scales" "15 bytes" -- \
  sh -c '"$0" cast --to mxfp4_e2m1:block=4 --binary --decode --row 6 <"$1"' "$FP8LAB" "$tmp/cut.out"
head -c 11 "$tmp/mx.codes" >"$tmp/cut.codes"
expect_usage "truncated codes file" "the 11 input values" -- \
  sh -c '"$0" cast --to mxfp4_e2m1:block=4 --binary --decode --row 6 --scales "$1" <"$2"' \
  "$FP8LAB" "$tmp/mx.sc" "$tmp/cut.codes"
head -c 47 "$tmp/mx.f32" >"$tmp/cut.f32"
expect_usage "truncated float32" "3 stray bytes" -- \
  sh -c '"$0" cast --to mxfp8_e4m3 --binary <"$1"' "$FP8LAB" "$tmp/cut.f32"
bytes 02 04 05 17 08 07 05 0f 00 00 00 06 7f 80 7d 7b >"$tmp/badcode"
expect_usage "element code beyond e2m1" "element code 3 is 0x17" -- \
  sh -c '"$0" cast --to mxfp4_e2m1:block=4 --binary --decode --row 6 <"$1"' "$FP8LAB" "$tmp/badcode"
bytes 07 0d 00 00 00 00 00 00 00 00 00 00 00 00 00 00 07 0d 03 00 00 00 80 3f 7e 80 >"$tmp/badscale"
expect_usage "scale code beyond ue4m3" "scale code 1 is 0x80" -- \
  sh -c '"$0" cast --to nvfp4 --binary --decode --row 20 <"$1"' "$FP8LAB" "$tmp/badscale"
bytes 07 0d 00 00 00 00 00 00 00 00 00 00 00 00 00 00 07 0d 03 00 00 00 c0 7f 7e 30 >"$tmp/badt"
expect_usage "NaN tensor scale" "tensor scale" -- \
  sh -c '"$0" cast --to nvfp4 --binary --decode --row 20 <"$1"' "$FP8LAB" "$tmp/badt"
bytes 07 0d 00 >"$tmp/nofit"
expect_usage "no row length fits" "fits no row length" -- \
  sh -c '"$0" cast --to nvfp4 --binary --decode <"$1"' "$FP8LAB" "$tmp/nofit"
expect_usage "missing scales file" "--scales $tmp/none" -- \
  sh -c '"$0" cast --to nvfp4 --binary --decode --scales "$1" <"$2"' "$FP8LAB" "$tmp/none" "$tmp/nv.codes"
expect_usage "empty input" "no float32 values" -- sh -c '"$0" cast --to nvfp4 --binary </dev/null' "$FP8LAB"
expect_usage "bad block spelling" "rule=roundup" -- "$FP8LAB" cast --to mxfp8_e4m3:rule=roundup 1
expect_usage "unknown block key" "'size=3'" -- "$FP8LAB" cast --to nvfp4:size=3 1
expect_usage "--row for a scalar format" "--row and --scales are for block formats" -- \
  "$FP8LAB" cast --to float8_e4m3fn --row 4 1
expect_usage "--scale with a block format" "--scale and --nan do not apply" -- "$FP8LAB" cast --to nvfp4 --scale 2 1
expect_usage "--scales in text mode" "--scales FILE is for --binary" -- "$FP8LAB" cast --to nvfp4 --scales x 1
expect_usage "--scales = --output" "the same file as --output" -- \
  "$FP8LAB" cast --to nvfp4 --binary --scales "$tmp/same" -o "$tmp/same"
expect_usage "--row 0" "--row" -- "$FP8LAB" cast --to nvfp4 --row 0 1
expect_usage "text rows" "--row 3: the 4 input values" -- "$FP8LAB" cast --to nvfp4 --row 3 1 2 3 4
# an endless scales stream is read no further than the codes allow (a scales
# section has at most one byte per code and NVFP4's 4-byte T), within 256 MiB
expect_usage "--scales /dev/zero" "for these codes" -- \
  sh -c 'ulimit -v 262144; "$0" cast --to nvfp4 --binary --decode --scales /dev/zero <"$1"' "$FP8LAB" "$tmp/nv.codes"
# a failed run leaves neither output file
sh -c '"$0" cast --to mxfp4_e2m1:block=4 --binary --row 5 -o "$1" --scales "$2" <"$3"' \
  "$FP8LAB" "$tmp/f.out" "$tmp/f.sc" "$tmp/mx.f32" 2>/dev/null
[ $? -eq 2 ] || fail "failed run: exit status"
[ ! -e "$tmp/f.out" ] && [ ! -e "$tmp/f.sc" ] || fail "a failed run left an output file"
ls "$tmp" | grep -q '\.tmp\.' && fail "a failed run left a temporary"
finish cast_block.sh
