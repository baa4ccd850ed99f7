#!/bin/sh
# figures.sh - the main job: 'fp8lab figures' into a temporary folder writes
# every listed file (non-empty; PNGs that are PNGs; TSVs with a header and
# rows of one width), an index that shows every plot and the paper's numbers;
# a failing part is named while the others finish; an interrupted run and a
# failed part leave no partial or temporary file; a rerun overwrites cleanly.
. "${top_srcdir:?}/tests/testlib.sh"
command -v gnuplot >/dev/null 2>&1 || { echo "SKIP: no gnuplot"; exit 77; }

out="$tmp/all"
"$FP8LAB" figures --out "$out" --seed 5 2>"$tmp/log" || { cat "$tmp/log"; fail "figures exit status $?"; }
grep -q "seed 5" "$tmp/log" || fail "the seed is not printed"
files="formats.tsv gates.tsv accuracy.tsv accuracy-block.tsv tails.tsv accumulate.tsv accumulate-units.tsv window.tsv explore.tsv index.html"
for p in fig3-gates fig5-accuracy fig5-block fig-tails fig-accumulate fig-accumulate-units fig-window fig-pareto; do
  files="$files $p.png $p.svg $p.tsv $p.gp"
done
if command -v yosys >/dev/null 2>&1; then files="$files synth.tsv fig3-synth.png fig3-synth.svg"; fi
if "$FP8LAB" verify --list >/dev/null 2>&1; then files="$files verify.txt"; fi
for f in $files; do
  [ -s "$out/$f" ] || fail "$f missing or empty"
done
for f in "$out"/*.png; do
  head -c 8 "$f" | od -An -tx1 | grep -q "89 50 4e 47 0d 0a 1a 0a" || fail "$(basename "$f") is not a PNG"
done
for f in "$out"/*.tsv; do
  awk -F'\t' 'NR == 1 { n = NF; if (n < 2) bad = 1; next } NF != n { bad = 1 } END { exit bad || NR < 2 }' "$f" ||
    fail "$(basename "$f") does not parse as a TSV (header, then rows of the same width)"
done
for f in "$out"/*.svg; do grep -q "<svg" "$f" || fail "$(basename "$f") is not an SVG"; done
for p in "$out"/*.png; do
  grep -q "src=\"$(basename "$p")\"" "$out/index.html" || fail "index.html does not show $(basename "$p")"
done
grep -q "1.53" "$out/index.html" || fail "index.html lacks the paper's Figure 3 number"
grep -q "FP8-E2 best" "$out/index.html" || fail "index.html lacks the paper's Figure 5 claim"
if [ -f "$out/verify.txt" ]; then grep -q " 0 mismatches" "$out/verify.txt" || fail "verify.txt: $(tail -n 1 "$out/verify.txt")"; fi
ls "$out" | grep -q '\.tmp\.' && fail "temporary files left: $(ls "$out" | grep '\.tmp\.')"

# the real layers, when the README's models are installed (else the part says it is
# skipped): plots, tables, the verdict
if grep -q "tensors .*done in" "$tmp/log"; then
  for f in tensors.tsv tensors-summary.tsv fig-tensors-layers.png fig-tensors-kurtosis.png; do
    [ -s "$out/$f" ] || fail "$f missing or empty"
  done
  grep -q "bear out the paper" "$out/index.html" || fail "index.html lacks the real-layer verdict"
fi

# the same seed gives the same tables
"$FP8LAB" figures --out "$tmp/again" --seed 5 --only accumulate,gates 2>/dev/null || fail "rerun"
cmp -s "$out/accumulate.tsv" "$tmp/again/accumulate.tsv" || fail "accumulate.tsv differs for the same seed"
# a rerun overwrites cleanly
"$FP8LAB" figures --out "$tmp/again" --seed 5 --only gates 2>/dev/null || fail "second rerun"
cmp -s "$out/gates.tsv" "$tmp/again/gates.tsv" || fail "gates.tsv differs after a rerun"

# a failing part (its table cannot be renamed onto a folder) is named; the others finish
mkdir -p "$tmp/bad/gates.tsv"
"$FP8LAB" figures --out "$tmp/bad" --only formats,gates,explore 2>"$tmp/badlog"
rc=$?
[ "$rc" -eq 1 ] || fail "a failing part: exit $rc, expected 1"
grep -q "gates .*FAILED" "$tmp/badlog" || fail "the failing part is not named: $(cat "$tmp/badlog")"
[ -s "$tmp/bad/formats.tsv" ] && [ -s "$tmp/bad/explore.tsv" ] || fail "the other parts did not finish"
ls "$tmp/bad" | grep -q '\.tmp\.' && fail "temporary files left after a failing part"

# an interrupted run leaves nothing partial
"$FP8LAB" figures --out "$tmp/int" --only tails 2>/dev/null &
pid=$!
sleep 2
kill -TERM "$pid"
wait "$pid"
rc=$?
[ "$rc" -ne 0 ] || fail "an interrupted run exited 0"
ls "$tmp/int" | grep -q '\.tmp\.' && fail "temporary files left after an interrupt: $(ls "$tmp/int")"
[ -e "$tmp/int/tails.tsv" ] && fail "an interrupted part left tails.tsv"

# usage
"$FP8LAB" figures --only nope >/dev/null 2>&1; [ $? -eq 2 ] || fail "--only nope does not exit 2"
"$FP8LAB" figures --out /proc/nowhere/x >/dev/null 2>&1; [ $? -eq 1 ] || fail "unwritable --out does not exit 1"

finish figures.sh
