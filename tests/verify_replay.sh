#!/bin/sh
# --replay: a hand-written vector file of corner cases (ties, cancellation,
# Inf - Inf, a wrap) passes; malformed files fail with the line named; the
# usage errors of verify exit 2 naming the bad value.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$FP8LAB" verify --list >"$tmp/list" 2>&1
if grep -q "built without Verilator" "$tmp/list"; then exit 77; fi
cat > "$tmp/ok.vec" <<'V'
# fp8-e4 (e4m3 fnuz, bias 8): 0x40 = 1.0, 0x41 = 1.125, 0xc0 = -1.0
config	fp8-e4/fp16
clear
step	40	40
step	c0	40
load	3c00	0
step	01	01
load	7c00	0
step	7f	ff
config	float8_e5m2/kulisch77
load	0	0
step	7c	3c
step	fc	3c
load	fffffffffffffffffff	0
step	01	01
config	int8/kulisch27
load	3ffffff	0
step	01	01
V
"$FP8LAB" verify --replay "$tmp/ok.vec" >"$tmp/out" 2>&1; rc=$?
cat "$tmp/out"
[ $rc -eq 0 ] || { echo "expected exit 0, got $rc"; exit 1; }
grep -q "8 vectors checked, 0 mismatches" "$tmp/out" || { echo "expected 8 vectors checked"; exit 1; }
printf 'config\tfp8-e4/fp16\nstep\t40\t1ff\n' > "$tmp/bad.vec"
"$FP8LAB" verify --replay "$tmp/bad.vec" >"$tmp/out" 2>&1; rc=$?
cat "$tmp/out"
[ $rc -eq 1 ] && grep -q "bad.vec:2: bad step" "$tmp/out" || { echo "malformed step not reported"; exit 1; }
printf 'step\t40\t40\n' > "$tmp/bad2.vec"
"$FP8LAB" verify --replay "$tmp/bad2.vec" >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 1 ] && grep -q "expected a 'config NAME' line first" "$tmp/out" || { echo "missing config not reported"; exit 1; }
printf 'config\tfp8-e4/fp16\nload\t1ffff\t0\n' > "$tmp/bad3.vec"
"$FP8LAB" verify --replay "$tmp/bad3.vec" >"$tmp/out" 2>&1; rc=$?
cat "$tmp/out"
[ $rc -eq 1 ] || { echo "an out-of-width load must fail"; exit 1; }
"$FP8LAB" verify --replay "$tmp/none.vec" >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 1 ] && grep -q "cannot open" "$tmp/out" || { echo "missing file not reported"; exit 1; }
# Issue 10, defect 9: no vectors is an error, reads are bounded, NUL is not skipped.
replay_fails() { # pattern file
  "$FP8LAB" verify --replay "$2" >"$tmp/out" 2>&1; rc=$?
  cat "$tmp/out"
  [ $rc -eq 1 ] && grep -q -- "$1" "$tmp/out" || { echo "--replay $2: expected exit 1 and '$1', got $rc"; exit 1; }
}
replay_fails "is a directory" "$tmp"
: > "$tmp/empty.vec"
replay_fails "holds no vectors" "$tmp/empty.vec"
printf '# only a comment\nconfig\tfp8-e4/fp16\nclear\n' > "$tmp/novec.vec"
replay_fails "holds no vectors" "$tmp/novec.vec"
# /dev/zero must end at once (a NUL on line 1), not run for ever
replay_fails "NUL byte" /dev/zero
printf 'config\tfp8-e4/fp16\n\000step\t40\t40\nstep\t40\t40\n' > "$tmp/nul.vec"
replay_fails "nul.vec:2: NUL byte" "$tmp/nul.vec"
{ printf 'config\tfp8-e4/fp16\n'; head -c 5000 /dev/zero | tr '\0' '#'; printf '\n'; } > "$tmp/long.vec"
replay_fails "long.vec:2: line longer than 1023 bytes" "$tmp/long.vec"
exit 0
