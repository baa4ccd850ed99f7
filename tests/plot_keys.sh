#!/bin/sh
# plot_keys.sh - every plot fp8lab draws has a key that matches its series
# judged from gnuplot's own output: each plotting command runs as
# 'fp8lab figures' runs it (smaller where the figure takes minutes), and
# tests/plot_keys.py reads the SVG gnuplot wrote beside the PNG: a key entry
# for every series and a series for every key entry, in the same style; no two
# entries alike; no series hidden under an equal one unless its entry says so;
# no data inside a key entry.  The SVG must hold every panel of the PNG.
. "${top_srcdir:?}/tests/testlib.sh"
py=${PYTHON:-}
[ -n "$py" ] || py=$(command -v python3 || true)
if [ -z "$py" ] || ! command -v gnuplot >/dev/null 2>&1; then
  echo "python3 or gnuplot not found: the plots' keys are not checked"
  exit 77
fi
cd "$tmp" || exit 99
# plot NAME PANELS -- COMMAND...: make NAME.svg with COMMAND, expect PANELS panels
plot() {
  name=$1 panels=$2
  shift 3
  "$FP8LAB" "$@" >/dev/null 2>"$tmp/err" || { fail "$name: $* exited $?: $(cat "$tmp/err")"; return; }
  [ -s "$name.svg" ] || { fail "$name: no $name.svg"; return; }
  echo "$name.svg $panels" >>"$tmp/list"
}
: >"$tmp/list"
plot gates 1 -- gates --plot gates.png
plot accuracy 3 -- accuracy --seed 1 --plot accuracy.png
plot tails 1 -- accuracy --sweep nu=3..5:2 --plot tails.png
plot accumulate 1 -- accumulate --seed 1 --plot accumulate.png
plot accumulate-units 1 -- accumulate --format float8_e4m3fn --mean 1 --lengths 16..4096 --trials 8 \
  --seed 1 --acc bf16,fp32,ada-fp8,hopper-fp8,hopper-fp8:promote=4,blackwell-fp8 --plot-stat both \
  --plot accumulate-units.png
plot window 2 -- window --seed 1 --plot window.png
plot pareto 1 -- explore --bits 8 --plot pareto.png
# block-format plots: the block Figure 5 (4 panels, rule columns),
# the block sweep's front, the error plot with a block unit's 5-column stride
plot accuracy-block 4 -- accuracy --seed 1 --dist uniform,gaussian,student-t:nu=3,laplace \
  --format int8,float8_e4m3fn,mxint8,mxfp8_e4m3,mxfp4_e2m1,nvfp4 --rule own,ceil,rceil --plot accuracy-block.png
plot explore-block 1 -- explore --bits 8 --block 16,32 --plot explore-block.png
plot accumulate-block 1 -- accumulate --format float8_e4m3fn --lengths 64..1024 --trials 4 --seed 1 \
  --acc fp32,mx-exact@mxfp8_e4m3,blackwell-nvf4@nvfp4 --plot-stat both --plot accumulate-block.png
if [ -x "${MODEL_WRITE:-}" ] && "$MODEL_WRITE" "$tmp" >/dev/null 2>&1; then
  plot tensors 1 -- tensors "$tmp/layers.npz" --plot tensors.png --plot-kurtosis tensors-kurtosis.png
  [ -s tensors-kurtosis.svg ] && echo "tensors-kurtosis.svg 1" >>"$tmp/list"
else
  echo "built without the model readers: the tensors plots are not checked"
fi
if [ -n "${YOSYS:-}" ] && [ -x "${YOSYS:-}" ]; then
  plot synth 1 -- synth --config int8/kulisch27 --plot synth.png
else
  echo "Yosys not found: the synthesized Figure 3 is not checked"
fi

# shellcheck disable=SC2046
"$py" "$top_srcdir/tests/plot_keys.py" $(cut -d' ' -f1 "$tmp/list") >"$tmp/report"; rc=$?
cat "$tmp/report"
[ $rc -eq 0 ] || fail "plot_keys.py found problems (above)"
while read -r svg panels; do
  got=$(sed -n "s|^$svg: \([0-9]*\) panel(s), \([0-9]*\) key entries.*|\1 \2|p" "$tmp/report")
  [ "${got% *}" = "$panels" ] || fail "$svg: ${got% *} panel(s), expected $panels (the PNG's)"
  [ "${got#* }" -gt 0 ] 2>/dev/null || fail "$svg: no key entries found"
done <"$tmp/list"
[ "$(wc -l <"$tmp/list")" -ge 10 ] || fail "only $(wc -l <"$tmp/list") plots made"
finish plot_keys.sh
