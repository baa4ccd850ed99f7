#!/bin/sh
# cast_binary.sh - cast --binary's I/O path: mapped file input, pipe
# input and unaligned input give the same bytes; --threads N gives the bytes of
# one thread; 16-bit formats; --decode (codes -> float32) against ml_dtypes'
# astype(float32), bit for bit, for every code (when python3 has ml_dtypes);
# errors: codes beyond the format, a partial value, options that do not apply.
. "${top_srcdir:?}/tests/testlib.sh"
# Every bf16 code 0..65535 as two little-endian bytes (LC_ALL=C: awk writes bytes).
LC_ALL=C awk 'BEGIN { for (i = 0; i < 65536; i++) printf "%c%c", i % 256, int(i / 256) }' >"$tmp/bf16.codes"
[ "$(wc -c <"$tmp/bf16.codes")" -eq 131072 ] || { echo "could not write the code list"; exit 99; }
# float32 inputs: every bf16 value (exact, with NaNs, Infs, subnormals), five times
# (327680 values: enough for parts on several threads)
"$FP8LAB" cast --binary --decode --to bf16 <"$tmp/bf16.codes" >"$tmp/one.f32" || fail "decode bf16"
cat "$tmp/one.f32" "$tmp/one.f32" "$tmp/one.f32" "$tmp/one.f32" "$tmp/one.f32" >"$tmp/in.f32"
[ "$(wc -c <"$tmp/in.f32")" -eq 1310720 ] || fail "decoded size: $(wc -c <"$tmp/in.f32")"
# bf16 -> float32 -> bf16 is the identity on the codes (NaN codes: the quiet NaN of their sign)
"$FP8LAB" cast --binary --to bf16 --overflow nonsat <"$tmp/one.f32" >"$tmp/back.codes" || fail "encode bf16"
LC_ALL=C awk 'BEGIN { for (i = 0; i < 65536; i++) { e = int(i / 128) % 256; m = i % 128
  if (e == 255 && m) i2 = (i >= 32768 ? 65472 : 32704); else i2 = i
  printf "%c%c", i2 % 256, int(i2 / 256) } }' >"$tmp/want.codes"
cmp -s "$tmp/back.codes" "$tmp/want.codes" || fail "bf16 round trip through float32 is not the identity"

for to in float8_e4m3fn fp8-e4 int8 fp16 e2m1; do
  "$FP8LAB" cast --binary --to "$to" --threads 1 <"$tmp/in.f32" >"$tmp/t1" 2>/dev/null || fail "$to: 1 thread"
  for t in 2 3 7; do
    "$FP8LAB" cast --binary --to "$to" --threads $t <"$tmp/in.f32" >"$tmp/tn" 2>/dev/null || fail "$to: $t threads"
    cmp -s "$tmp/t1" "$tmp/tn" || fail "$to: $t threads differ from 1"
  done
  cat "$tmp/in.f32" | "$FP8LAB" cast --binary --to "$to" --threads 2 >"$tmp/tp" 2>/dev/null || fail "$to: pipe"
  cmp -s "$tmp/t1" "$tmp/tp" || fail "$to: pipe input differs from file input"
  "$FP8LAB" cast --binary --to "$to" -o "$tmp/to" <"$tmp/in.f32" 2>/dev/null || fail "$to: -o"
  cmp -s "$tmp/t1" "$tmp/to" || fail "$to: -o FILE differs from stdout"
  # stdin positioned 4 bytes in (mapped from an offset), and 1 byte in (unaligned floats)
  (dd bs=4 count=1 of=/dev/null 2>/dev/null; "$FP8LAB" cast --binary --to "$to" --threads 2) \
    <"$tmp/in.f32" >"$tmp/t4" 2>/dev/null || fail "$to: offset 4"
  w=$(wc -c <"$tmp/t1"); w=$((w / 327680))
  tail -c +$((w + 1)) "$tmp/t1" | cmp -s - "$tmp/t4" || fail "$to: input at offset 4"
  # appending output (>>) keeps what was there
  printf 'keep' >"$tmp/ta"
  "$FP8LAB" cast --binary --to "$to" --threads 2 <"$tmp/in.f32" >>"$tmp/ta" 2>/dev/null || fail "$to: >>"
  { printf 'keep'; cat "$tmp/t1"; } | cmp -s - "$tmp/ta" || fail "$to: appended output"
done
# unaligned input: one stray byte in front, cut off again: 327679 values, then 3 stray bytes
{ printf 'x'; cat "$tmp/in.f32"; } >"$tmp/odd.f32"
(dd bs=1 count=1 of=/dev/null 2>/dev/null; "$FP8LAB" cast --binary --to fp8-e4 --threads 2) \
  <"$tmp/odd.f32" >"$tmp/tu" 2>/dev/null || fail "unaligned input"
"$FP8LAB" cast --binary --to fp8-e4 <"$tmp/in.f32" | cmp -s - "$tmp/tu" || fail "unaligned input differs"

# decode: 1 and 2 threads, pipe and file
"$FP8LAB" cast --binary --to float8_e5m2 <"$tmp/in.f32" >"$tmp/c8" 2>/dev/null
"$FP8LAB" cast --binary --decode --to float8_e5m2 --threads 1 <"$tmp/c8" >"$tmp/d1" || fail "decode 1 thread"
"$FP8LAB" cast --binary --decode --to float8_e5m2 --threads 2 <"$tmp/c8" >"$tmp/d2" || fail "decode 2 threads"
cmp -s "$tmp/d1" "$tmp/d2" || fail "decode: 2 threads differ from 1"
cat "$tmp/c8" | "$FP8LAB" cast --binary --decode --to float8_e5m2 >"$tmp/d3" || fail "decode from a pipe"
cmp -s "$tmp/d1" "$tmp/d3" || fail "decode: pipe differs from file"
# OCP facts: e4m3fn 0x7e = 448, 0xff = NaN (-, quiet); e5m2 0x7c = +Inf, 0x01 = 2^-16
printf '\176\377' | "$FP8LAB" cast --binary --decode --to float8_e4m3fn | od -An -tx4 | tr -d ' \n' >"$tmp/o"
[ "$(cat "$tmp/o")" = "43e00000ffc00000" ] || fail "decode e4m3fn 0x7e 0xff: $(cat "$tmp/o")"
printf '\174\001' | "$FP8LAB" cast --binary --decode --to float8_e5m2 | od -An -tx4 | tr -d ' \n' >"$tmp/o"
[ "$(cat "$tmp/o")" = "7f80000037800000" ] || fail "decode e5m2 0x7c 0x01: $(cat "$tmp/o")"

# errors
printf '\001\020' | "$FP8LAB" cast --binary --decode --to e2m1 >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "code 1 (0x10" "$tmp/err" || fail "code beyond e2m1: exit $rc, $(cat "$tmp/err")"
printf '\001\000\002' | "$FP8LAB" cast --binary --decode --to fp16 >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "1 stray byte" "$tmp/err" || fail "odd bytes for fp16: exit $rc, $(cat "$tmp/err")"
"$FP8LAB" cast --decode --to fp16 1 >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q -- "--binary" "$tmp/err" || fail "--decode without --binary: exit $rc"
for opt in "--scale 2" "--round rtz" "--flags" "--overflow nonsat"; do
  # shellcheck disable=SC2086
  "$FP8LAB" cast --binary --decode --to fp16 $opt </dev/null >/dev/null 2>"$tmp/err"; rc=$?
  [ $rc -eq 2 ] && grep -q "do not apply" "$tmp/err" || fail "--decode $opt: exit $rc, $(cat "$tmp/err")"
done
"$FP8LAB" cast --binary --decode --to e8m7:bias=200 </dev/null >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "float32 cannot hold" "$tmp/err" || fail "decode beyond float32: exit $rc, $(cat "$tmp/err")"
for bad in 0 -1 x 257 ""; do
  "$FP8LAB" cast --binary --to fp16 --threads "$bad" </dev/null >/dev/null 2>"$tmp/err"; rc=$?
  [ $rc -eq 2 ] && grep -q -- "--threads" "$tmp/err" || fail "--threads '$bad': exit $rc, $(cat "$tmp/err")"
done
"$FP8LAB" cast --binary --decode --to fp8-e4 </dev/null >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "no codes" "$tmp/err" || fail "empty decode input: exit $rc"

# a failure stops the output at the same byte whatever the threads: a code beyond
# e2m1 at value 200000 of 300000 (zeros otherwise), through pipes (ordered
# writes): exit 2 naming it, the same bytes for 1, 2 and 3 threads, and those
# bytes a prefix of the 300000 decoded zeros (4-byte float32 0.0 each)
LC_ALL=C awk 'BEGIN { for (i = 0; i < 300000; i++) printf "%c", (i == 200000 ? 16 : 0) }' >"$tmp/badat"
for t in 1 2 3; do
  cat "$tmp/badat" | "$FP8LAB" cast --binary --decode --to e2m1 --threads $t 2>"$tmp/err" | cat >"$tmp/bad$t"
  grep -q "code 200000 (0x10" "$tmp/err" || fail "bad code, $t threads: $(cat "$tmp/err")"
  cmp -s "$tmp/bad1" "$tmp/bad$t" || fail "bad code: $t threads wrote other bytes than 1"
done
cat "$tmp/badat" | "$FP8LAB" cast --binary --decode --to e2m1 --threads 2 >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "bad code through a pipe: exit $rc, expected 2"
n=$(wc -c <"$tmp/bad1")
[ $((n % 4)) -eq 0 ] && [ "$n" -le 800000 ] && [ "$(tr -d '\000' <"$tmp/bad1" | wc -c)" -eq 0 ] \
  || fail "bad code: output of $n bytes is not a prefix of the decoded zeros"
# a write error (a full device) from pipe input: exit 1, named
if [ -w /dev/full ]; then
  cat "$tmp/in.f32" | "$FP8LAB" cast --binary --to fp8-e4 --threads 2 >/dev/full 2>"$tmp/err"; rc=$?
  [ $rc -eq 1 ] && grep -q "writing output" "$tmp/err" || fail "full device: exit $rc, $(cat "$tmp/err")"
fi

# ml_dtypes: every code of each 8-bit type and of bfloat16, decoded bit for bit
# (NaNs: sign and NaN-ness)
if [ "${HAVE_ML_DTYPES:-no}" = yes ] && [ -n "${PYTHON:-}" ] && "$PYTHON" -c 'import numpy, ml_dtypes' 2>/dev/null; then
  LC_ALL=C awk 'BEGIN { for (i = 0; i < 256; i++) printf "%c", i }' >"$tmp/all8"
  for t in float8_e4m3fn float8_e5m2 float8_e4m3fnuz float8_e5m2fnuz float8_e4m3b11fnuz bfloat16:bf16; do
    name=${t%%:*}
    case $t in bfloat16:*) codes="$tmp/bf16.codes"; to=bf16 ;; *) codes="$tmp/all8"; to=$name ;; esac
    "$FP8LAB" cast --binary --decode --to "$to" --threads 2 <"$codes" >"$tmp/ours" || fail "decode $name"
    "$PYTHON" -c "import sys, numpy as np, ml_dtypes
w = 2 if '$name' == 'bfloat16' else 1
c = np.fromfile('$codes', np.uint16 if w == 2 else np.uint8)
ref = c.view(getattr(ml_dtypes, '$name')).astype(np.float32).view(np.uint32)
ours = np.fromfile('$tmp/ours', np.uint32)
# NaN codes: a NaN of the same sign (fp8lab gives the quiet NaN; ml_dtypes keeps a
# bfloat16 payload, and canonicalises the 8-bit types' NaNs as fp8lab does)
nan = ((ref & 0x7fffffff) > 0x7f800000) & ((ours & 0x7fffffff) > 0x7f800000) & ((ref >> 31) == (ours >> 31))
bad = np.nonzero((ref != ours) & ~nan)[0]
print('%s: %d codes, %d differ%s' % ('$name', c.size, bad.size, '' if not bad.size else ': code 0x%x ml_dtypes 0x%08x fp8lab 0x%08x' % (c[bad[0]], ref[bad[0]], ours[bad[0]])))
sys.exit(1 if bad.size or ref.size != ours.size else 0)" || fail "decode $name differs from ml_dtypes"
  done
else
  echo "ml_dtypes not available: the decode comparison with ml_dtypes is not run"
fi
finish cast_binary.sh
