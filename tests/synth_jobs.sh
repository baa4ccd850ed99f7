#!/bin/sh
# synth_jobs.sh - fp8lab synth's process handling, with stand-in Yosys scripts
# (so it runs without Yosys): every option is checked before Yosys runs
# SIGINT, SIGTERM and --timeout stop Yosys's whole process
# group and leave no $TMPDIR/fp8lab-synth.* behind, nor does a missing or
# non-executable Yosys (defect 7); --jobs N gives the same output as --jobs 1.
. "${top_srcdir:?}/tests/testlib.sh"
rtl="$top_srcdir/rtl"
[ -f "$rtl/tops/configs.tsv" ] || { echo "no $rtl/tops/configs.tsv"; exit 99; }
cfg=$(awk -F'\t' 'NR == 2 { print $1 }' "$rtl/tops/configs.tsv")
three=$(awk -F'\t' 'NR >= 2 && NR <= 4 { printf "%s%s", s, $1; s = "," }' "$rtl/tops/configs.tsv")
mkdir "$tmp/t"
pids="$tmp/pids"
export FAKE_PIDS="$pids"

# A Yosys that records that it ran, then sleeps in a child of its own.
cat >"$tmp/sleepy" <<'EOF'
#!/bin/sh
echo $$ >>"$FAKE_PIDS"
sleep 300 &
echo $! >>"$FAKE_PIDS"
wait
EOF
# A Yosys that writes statistics after a delay that makes the first config finish last.
cat >"$tmp/quick" <<'EOF'
#!/bin/sh
top=$(sed -n 's/^hierarchy -check -top //p' synth.ys)
case "$top" in *int8_k27*) sleep 1 ;; esac
printf '=== %s ===\n\n   Number of cells:   2\n     $_AND_   %d\n     $_XOR_   1\n\n' "$top" "${#top}" >stat.txt
EOF
printf '#!/bin/sh\nexit 3\n' >"$tmp/failing"
chmod +x "$tmp/sleepy" "$tmp/quick" "$tmp/failing"
printf 'not a program\n' >"$tmp/plain"

# alive PID: the process exists and is not a zombie
alive() { [ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) //' "/proc/$1/stat" | cut -c1)" != Z ]; }
clean_tmpdir() {   # $1: what was run
  left=$(ls "$tmp/t")
  [ -z "$left" ] || fail "$1: left in TMPDIR: $left"
  rm -rf "$tmp/t"/*
}
no_yosys_left() {  # $1: what was run
  [ -f "$pids" ] || { fail "$1: the stand-in Yosys never ran"; return; }
  for p in $(cat "$pids"); do
    alive "$p" && { fail "$1: Yosys process $p still running"; kill -9 "$p" 2>/dev/null; }
  done
  rm -f "$pids"
}
synth() { TMPDIR="$tmp/t" "$FP8LAB" synth --rtl "$rtl" "$@"; }

# ---- defect 8: validation before any work ----------------------------------------
FP8LAB_YOSYS="$tmp/sleepy" synth --config "$cfg" --breakdown --plot "$tmp/sb.png" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] || fail "--breakdown --plot: exit $rc, expected 2"
grep -q -- "--breakdown" "$tmp/err" || fail "--breakdown --plot: message $(cat "$tmp/err")"
[ ! -s "$tmp/out" ] || fail "--breakdown --plot printed a table before failing"
[ ! -f "$pids" ] || fail "--breakdown --plot ran Yosys before failing"
[ ! -e "$tmp/sb.png" ] || fail "--breakdown --plot wrote a plot"
for bad in "" "$cfg," ",$cfg" "$cfg,,$cfg"; do
  FP8LAB_YOSYS="$tmp/sleepy" synth --config "$bad" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  [ $rc -eq 2 ] && grep -q "empty" "$tmp/err" || fail "--config '$bad': exit $rc, $(cat "$tmp/err")"
  [ ! -s "$tmp/out" ] && [ ! -f "$pids" ] || fail "--config '$bad' did work before failing"
done
for bad in 0 -1 x 1.5 ""; do
  FP8LAB_YOSYS="$tmp/sleepy" synth --config "$cfg" --jobs "$bad" >/dev/null 2>"$tmp/err"
  rc=$?
  [ $rc -eq 2 ] && grep -q -- "--jobs" "$tmp/err" || fail "--jobs '$bad': exit $rc, $(cat "$tmp/err")"
done
FP8LAB_YOSYS="$tmp/sleepy" synth --config "$cfg" --plot "" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] || fail "--plot '': exit $rc"
[ ! -f "$pids" ] || fail "a usage error ran Yosys"
clean_tmpdir "usage errors"

# ---- defect 7: signals, timeout, missing Yosys ---------------------------------
for sig in INT TERM; do
  # not through the function: $! must be fp8lab itself
  TMPDIR="$tmp/t" FP8LAB_YOSYS="$tmp/sleepy" "$FP8LAB" synth --rtl "$rtl" --config "$three" --jobs 2 \
    >/dev/null 2>"$tmp/err" &
  spid=$!
  i=0
  while [ "$(cat "$pids" 2>/dev/null | wc -l)" -lt 4 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  kill -"$sig" $spid
  i=0
  while alive $spid && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  alive $spid && { fail "SIG$sig: synth still running 10 s after the signal"; kill -9 $spid; }
  wait $spid
  rc=$?
  want=$((128 + $(kill -l "$sig")))
  [ $rc -eq $want ] || fail "SIG$sig: exit $rc, expected $want"
  [ "$(wc -l <"$pids")" -eq 4 ] || fail "SIG$sig: --jobs 2 did not run two Yosys at once"
  no_yosys_left "SIG$sig"
  clean_tmpdir "SIG$sig"
done
FP8LAB_YOSYS="$tmp/sleepy" synth --config "$cfg" --timeout 0.5 >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && grep -q "longer than 0.5 s" "$tmp/err" || fail "--timeout: exit $rc, $(cat "$tmp/err")"
no_yosys_left "--timeout"
clean_tmpdir "--timeout"
FP8LAB_YOSYS=/nonexistent synth --config "$cfg" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && grep -q "cannot run Yosys '/nonexistent'" "$tmp/err" || fail "missing Yosys: exit $rc, $(cat "$tmp/err")"
clean_tmpdir "missing Yosys"
FP8LAB_YOSYS="$tmp/plain" synth --config "$cfg" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && grep -q "not executable" "$tmp/err" && ! grep -q "install yosys" "$tmp/err" ||
  fail "non-executable Yosys: exit $rc, $(cat "$tmp/err")"
clean_tmpdir "non-executable Yosys"
FP8LAB_YOSYS="$tmp" synth --config "$cfg" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && grep -q "not executable" "$tmp/err" || fail "Yosys is a folder: exit $rc, $(cat "$tmp/err")"
FP8LAB_YOSYS="$tmp/failing" synth --config "$three" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && grep -q "Yosys failed (exit status 3)" "$tmp/err" || fail "failing Yosys: exit $rc, $(cat "$tmp/err")"
clean_tmpdir "failing Yosys"

# ---- --jobs: same output, in configs.tsv order, whatever finishes first ----------
FP8LAB_YOSYS="$tmp/quick" synth --config "$three" --jobs 1 --tsv >"$tmp/j1" 2>"$tmp/e1" || fail "--jobs 1: $(cat "$tmp/e1")"
FP8LAB_YOSYS="$tmp/quick" synth --config "$three" --jobs 3 --tsv >"$tmp/j3" 2>"$tmp/e3" || fail "--jobs 3: $(cat "$tmp/e3")"
cmp -s "$tmp/j1" "$tmp/j3" || fail "--jobs 3 output differs from --jobs 1: $(cat "$tmp/j1" "$tmp/j3")"
echo "$three" | tr , '\n' >"$tmp/want"
awk -F'\t' 'NR > 1 { print $1 }' "$tmp/j3" >"$tmp/got"
cmp -s "$tmp/want" "$tmp/got" || fail "rows not in configs.tsv order: $(cat "$tmp/got")"
sed -n 's/^fp8lab synth: \([^ ]*\) .*/\1/p' "$tmp/e3" >"$tmp/got"
cmp -s "$tmp/want" "$tmp/got" || fail "progress lines not in configs.tsv order: $(cat "$tmp/e3")"
clean_tmpdir "--jobs"
finish synth_jobs.sh
