#!/bin/sh
# tensors.sh - fp8lab tensors from the command line on models the test writes
# itself (tests/model_write: ONNX through protobuf-c, .npz through libzip; and,
# when python3 has numpy, .npz files written by numpy as an independent
# writer): the table, the paper's anchors on known layers, per-channel
# scaling, archive members, plots, usage errors and hostile files.  The real
# models of the README's install step are analysed when they are present.
. "${top_srcdir:?}/tests/testlib.sh"
T="$(printf '\t')"

if [ ! -x "${MODEL_WRITE:-}" ]; then
  # built without protobuf-c/libzip: the command must say so, not crash
  "$FP8LAB" tensors x.onnx >/dev/null 2>"$tmp/err"; rc=$?
  [ $rc -eq 1 ] || fail "without model readers: exit $rc, expected 1"
  grep -q "built without the model readers" "$tmp/err" || fail "no reason given: $(cat "$tmp/err")"
  finish tensors.sh
fi
"$MODEL_WRITE" "$tmp" || { echo "model_write failed"; exit 99; }

# known layers: uniform 64x64 evenly spaced, gauss 128x64, heavy (Student-t
# nu=2.5) 128x64, and a 64-value bias below the default --min-size
"$FP8LAB" tensors "$tmp/layers.npz" --tsv >"$tmp/l.tsv" 2>"$tmp/err" || fail "layers.npz: $(cat "$tmp/err")"
[ "$(head -1 "$tmp/l.tsv")" = "model${T}tensor${T}shape${T}params${T}absmax${T}rms${T}kurtosis${T}int8${T}fp8-e1${T}fp8-e2${T}fp8-e3${T}fp8-e4${T}fp8-e5${T}best" ] \
  || fail "TSV header: $(head -1 "$tmp/l.tsv")"
[ "$(wc -l <"$tmp/l.tsv")" -eq 4 ] || fail "expected 3 rows (bias below --min-size), got $(($(wc -l <"$tmp/l.tsv") - 1))"
grep -q "4 float tensors, 20544 parameters" "$tmp/err" || fail "counts: $(cat "$tmp/err")"
col() { awk -F"$T" -v t="$1" -v c="$2" '$2==t {print $c}' "$tmp/l.tsv"; }
# doc/DESIGN.md section 6: INT8 on U[-1,1] gives 8 bits; an even grid of 4096 values is that to 0.02
awk -v b="$(col uniform 8)" 'BEGIN { exit !(b > 7.98 && b < 8.02) }' || fail "int8 on uniform: $(col uniform 8) bits"
case "$(col uniform 14)" in int8|fp8-e1) ;; *) fail "uniform best is $(col uniform 14), expected INT8 (or its sign-magnitude twin)";; esac
# the paper's Figure 5: FP8-E2 best on Gaussian data; heavy tails want more exponent bits
[ "$(col gauss 14)" = fp8-e2 ] || fail "gauss best is $(col gauss 14)"
case "$(col heavy 14)" in fp8-e3|fp8-e4|fp8-e5) ;; *) fail "heavy-tailed best is $(col heavy 14)";; esac
awk -v k="$(col heavy 7)" 'BEGIN { exit !(k > 3) }' || fail "heavy kurtosis $(col heavy 7)"
"$FP8LAB" tensors "$tmp/layers.npz" --tsv --min-size 1 2>/dev/null | grep -q "^layers.npz${T}bias${T}64${T}64${T}" \
  || fail "--min-size 1 keeps the bias"

# per channel: every layer's own scales never lose to one per tensor
"$FP8LAB" tensors "$tmp/layers.npz" --tsv --granularity channel >"$tmp/c.tsv" 2>/dev/null || fail "--granularity channel"
paste "$tmp/l.tsv" "$tmp/c.tsv" | awk -F"$T" 'NR > 1 { for (i = 8; i <= 13; i++) if ($(i + 14) < $i - 1e-9) { print $2, i; bad = 1 } } END { exit bad }' \
  || fail "per-channel bits below per-tensor bits"
"$FP8LAB" tensors "$tmp/layers.npz" --tsv --range max >"$tmp/m.tsv" 2>/dev/null || fail "--range max"
cmp -s "$tmp/l.tsv" "$tmp/m.tsv" && fail "--range max gives the MSE-optimal table"

# ONNX: initializers (raw, typed, float16, bfloat16), a Constant and an If
# branch's Constant and initializer; the int64 shape is skipped
"$FP8LAB" tensors "$tmp/small.onnx" --tsv --min-size 1 >"$tmp/o.tsv" 2>"$tmp/err" || fail "small.onnx: $(cat "$tmp/err")"
[ "$(cut -f2 "$tmp/o.tsv" | tail -n +2 | tr '\n' ' ')" = "w_raw w_typed h16 bf16 c0 sub_init c_then " ] \
  || fail "ONNX tensors: $(cut -f2 "$tmp/o.tsv" | tr '\n' ' ')"
grep -q "7 float tensors, 20 parameters (1 other tensors skipped)" "$tmp/err" || fail "ONNX counts: $(cat "$tmp/err")"
grep -q "^small.onnx${T}h16${T}2x2${T}4${T}65504${T}" "$tmp/o.tsv" || fail "float16 max 65504 not read"
grep -q "^small.onnx${T}c_then${T}1${T}1${T}9${T}.*(constant)" "$tmp/o.tsv" || fail "constant tensor row"
# the same model from inside a wheel (deflated member), and an .npz inside it (stored)
"$FP8LAB" tensors "$tmp/pkg.whl:pkg/models/small.onnx" --tsv --min-size 1 >"$tmp/w.tsv" 2>/dev/null || fail "wheel member"
cmp -s "$tmp/o.tsv" "$tmp/w.tsv" || fail "wheel member differs from the file"
"$FP8LAB" tensors "$tmp/pkg.whl:pkg/w.npz" --tsv --min-size 1 >"$tmp/z.tsv" 2>/dev/null || fail ".npz inside a wheel"
grep -q "^w.npz${T}a${T}2x3${T}6${T}6${T}" "$tmp/z.tsv" || fail ".npz in wheel: $(cat "$tmp/z.tsv")"

# plots and the summary file
"$FP8LAB" tensors "$tmp/layers.npz" "$tmp/small.onnx" --summary-tsv "$tmp/s.tsv" --plot "$tmp/layers.png" \
  --plot-kurtosis "$tmp/kurt.png" >"$tmp/out.txt" 2>/dev/null || fail "plots"
for f in layers.png layers.svg layers.tsv layers.gp kurt.png kurt.svg kurt.tsv kurt.gp; do
  [ -s "$tmp/$f" ] || fail "$f not written"
done
[ "$(head -1 "$tmp/s.tsv")" = "model${T}format${T}won${T}tensors${T}params_won_pct${T}weighted_bits${T}mean_bits" ] || fail "summary header"
grep -q "^all${T}fp8-e2${T}" "$tmp/s.tsv" || fail "no 'all' rows for two models"
grep -q "where the best format changes" "$tmp/out.txt" || fail "no change point in the text summary"

# block scaling: int8 elements with an E8M0 scale per 32 values along each row
# (OCP MX floor rule: X = 2^(floor(log2 amax) - 6), elements RNE clamped to +-127), recomputed
# in numpy from the definition; 64x2 + 128x2 + 128x2 = 640 blocks
"$FP8LAB" tensors "$tmp/layers.npz" --tsv --granularity block:32 >"$tmp/b.tsv" 2>"$tmp/err" || fail "block:32: $(cat "$tmp/err")"
grep -q "(640 scales per format)" "$tmp/err" || fail "block:32 scales: $(cat "$tmp/err")"
if [ -n "${PYTHON:-}" ] && "$PYTHON" -c "import numpy" 2>/dev/null; then
  "$PYTHON" - "$tmp/layers.npz" "$tmp/b.tsv" <<'PY' || fail "block:32 bits differ from numpy's MX int8"
import sys
import numpy as np
z = np.load(sys.argv[1])
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[2])]
col = rows[0].index("int8")
bad = 0
for r in rows[1:]:
    x = z[r[1]].astype(np.float64).reshape(z[r[1]].shape[0], -1)
    q = np.empty_like(x)
    for j in range(0, x.shape[1], 32):
        b = x[:, j:j + 32]
        amax = np.abs(b).max(axis=1, keepdims=True)
        e = np.clip(np.where(amax > 0, np.frexp(amax)[1] - 1 - 6, -127), -127, 127)
        X = np.ldexp(1.0, e)
        q[:, j:j + 32] = np.clip(np.rint(b / X), -127, 127) * X
    bits = -np.log2(np.sqrt(np.mean((x - q) ** 2)) / x.std())
    if abs(bits - float(r[col])) > 1e-5:
        print(f"{r[1]}: fp8lab {r[col]} bits, numpy {bits:.6f}")
        bad = 1
sys.exit(bad)
PY
fi
# rows of 64: blocks of 64 and of 4096 are both one block per row, so the same quantizer
"$FP8LAB" tensors "$tmp/layers.npz" --tsv --granularity block:64 >"$tmp/b64.tsv" 2>/dev/null || fail "block:64"
"$FP8LAB" tensors "$tmp/layers.npz" --tsv --granularity block:4096 >"$tmp/b4k.tsv" 2>/dev/null || fail "block:4096"
cmp -s "$tmp/b64.tsv" "$tmp/b4k.tsv" || fail "block:64 and block:4096 differ on rows of 64"
cmp -s "$tmp/b.tsv" "$tmp/b64.tsv" && fail "block:32 and block:64 give the same table"

# usage errors: exit 2, the bad value named
check_usage() {
  "$FP8LAB" tensors "$@" >/dev/null 2>"$tmp/err"; rc=$?
  [ $rc -eq 2 ] || fail "'$*' exit $rc, expected 2"
  grep -q -- "$want" "$tmp/err" || fail "'$*' message lacks '$want': $(cat "$tmp/err")"
}
want="no MODEL"; check_usage
want="block size '0'"; check_usage "$tmp/layers.npz" --granularity block:0
want="rule 'round'"; check_usage "$tmp/layers.npz" --granularity block:32:round
want="--range does not apply"; check_usage "$tmp/layers.npz" --granularity block:32 --range max
want="ue4m3"; check_usage "$tmp/layers.npz" --granularity block:32 --format int8,ue4m3
want="'layer'"; check_usage "$tmp/layers.npz" --granularity layer
want="'best'"; check_usage "$tmp/layers.npz" --range best
want="e9m9"; check_usage "$tmp/layers.npz" --format int8,e9m9
want="fp32"; check_usage "$tmp/layers.npz" --format fp32
want="--min-size"; check_usage "$tmp/layers.npz" --min-size 0
"$FP8LAB" tensors --help | grep -q -- "--granularity" || fail "--help"

# hostile files: exit 1, the file and the problem named, no output file left
check_bad() {
  spec=$1; shift
  rm -f "$tmp"/bad.*
  "$FP8LAB" tensors "$spec" "$@" --plot "$tmp/bad.png" >/dev/null 2>"$tmp/err"; rc=$?
  [ $rc -eq 1 ] || fail "$spec: exit $rc, expected 1"
  grep -q -- "$want" "$tmp/err" || fail "$spec: message lacks '$want': $(cat "$tmp/err")"
  grep -q -- "$(basename "$spec")" "$tmp/err" || fail "$spec: message does not name the file"
  ls "$tmp"/bad.* >/dev/null 2>&1 && fail "$spec: output written"
}
want="not a valid ONNX model"; check_bad "$tmp/trunc.onnx"
want="not a valid ONNX model"; check_bad "$tmp/garbage.onnx"
want="overflows"; check_bad "$tmp/hugedims.onnx"
want="dimension 1 is -1"; check_bad "$tmp/negdim.onnx"
want="nested deeper than"; check_bad "$tmp/deep.onnx"
want="nested deeper than"; check_bad "$tmp/deep3000.onnx"
want="nested deeper than"; check_bad "$tmp/deep.whl:pkg/deep.onnx"
# the deepest nesting allowed still reads: 64 subgraphs, the Constant at the bottom
"$FP8LAB" tensors --min-size 1 --tsv "$tmp/deep64.onnx" >"$tmp/deep64.tsv" 2>"$tmp/err" || fail "deep64.onnx: $(cat "$tmp/err")"
grep -q "^deep64.onnx	deep	" "$tmp/deep64.tsv" || fail "deep64.onnx: the Constant 'deep' was not read: $(cat "$tmp/deep64.tsv")"
want="but 8 bytes are stored"; check_bad "$tmp/hugeshape.npy"
want="dtype '>f4'"; check_bad "$tmp/bigendian.npy"
want="read limit"; check_bad "$tmp/bomb.npz" --max-mib 8
# bounded memory: under the default limit an archive member may not inflate past 64:1
# (80 MiB of zeros in a 80 kB member: refused before it is inflated, in well under
# the 640 MiB of address space ulimit leaves it); analysis scratch counts against
# --max-mib (4 Mi values: 48 MiB to read, 209 MiB more to analyse)
want="zip bomb"; check_bad "$tmp/bomb80.npz"
( ulimit -v 655360; "$FP8LAB" tensors "$tmp/bomb80.npz" >/dev/null 2>"$tmp/err" ); rc=$?
[ $rc -eq 1 ] && grep -q "zip bomb" "$tmp/err" || fail "bomb80.npz under ulimit -v 640 MiB: exit $rc: $(cat "$tmp/err")"
# an explicit --max-mib is the bound instead: the member is read, its values pass 100 MiB
want="read limit"; check_bad "$tmp/bomb80.npz" --max-mib 100
grep -q "zip bomb" "$tmp/err" && fail "bomb80.npz --max-mib 100: the ratio bound was not lifted"
want="raise --max-mib"; check_bad "$tmp/wide.npy" --max-mib 130
grep -q "analysing its largest tensor (4194304 values)" "$tmp/err" || fail "wide.npy --max-mib 130: $(cat "$tmp/err")"
want="no member 'nope.onnx'"; check_bad "$tmp/pkg.whl:nope.onnx"
want="name the model inside it"; check_bad "$tmp/pkg.whl"

# hostile names: a file name that closes a gnuplot string and calls system() runs
# nothing (the label is an octal-escaped constant), nor does a --plot path that
# gnuplot would read as a command ('<cmd' for data, '|cmd' for output); a tensor
# name's tab, newline and escape reach neither the table, the TSV nor the terminal
(cd "$tmp" && "$FP8LAB" tensors --min-size 1 --plot names.png ./"a';system('touch PWNED');b='.npy" \
   ./"$(printf 'b"`touch PWNED2`@x\n.npy')" >names.out 2>names.err) || fail "hostile file names: $(cat "$tmp/names.err")"
[ -e "$tmp/PWNED" ] || [ -e "$tmp/PWNED2" ] && fail "a file name ran a command through gnuplot"
[ -s "$tmp/names.png" ] || fail "hostile file names: no plot"
grep -q "system" "$tmp/names.out" || fail "hostile file names: the model is not in the table"
"$FP8LAB" tensors --min-size 1 "$tmp/hostile_names.onnx" --tsv >"$tmp/hn.tsv" 2>"$tmp/hn.err" || fail "hostile tensor name: $(cat "$tmp/hn.err")"
[ "$(wc -l <"$tmp/hn.tsv")" -eq 2 ] || fail "hostile tensor name: the TSV is not one header and one row"
[ "$(awk -F'\t' 'NR == 2 { print NF }' "$tmp/hn.tsv")" = "$(awk -F'\t' 'NR == 1 { print NF }' "$tmp/hn.tsv")" ] \
  || fail "hostile tensor name: a tab split the row"
grep -q 'w\\x09col\\x0arow\\x1b\[2J' "$tmp/hn.tsv" || fail "hostile tensor name: not shown escaped: $(cat "$tmp/hn.tsv")"
"$FP8LAB" tensors --min-size 1 "$tmp/hostile_names.onnx" >"$tmp/hn.txt" 2>>"$tmp/hn.err" || fail "hostile tensor name (table)"
if LC_ALL=C grep -q "$(printf '\033')" "$tmp/hn.txt" "$tmp/hn.err" "$tmp/hn.tsv"; then fail "an escape byte reached the output"; fi
for p in '<touch PWNED3;x.png' '|touch PWNED4;x.png'; do
  (cd "$tmp" && "$FP8LAB" tensors --plot "$p" "$tmp/layers.npz" >/dev/null 2>"$tmp/perr") || fail "--plot '$p': $(cat "$tmp/perr")"
done
[ -e "$tmp/PWNED3" ] || [ -e "$tmp/PWNED4" ] && fail "a --plot path ran a command through gnuplot"

# numpy as an independent writer (np.savez stores, np.savez_compressed deflates):
# counts, shapes and absmax as numpy computes them
if [ -n "${PYTHON:-}" ] && "$PYTHON" -c "import numpy" 2>/dev/null; then
  "$PYTHON" - "$tmp" <<'PY' || fail "numpy writer"
import sys, numpy as np
d = sys.argv[1]
g = np.random.default_rng(15)
a = g.standard_t(3, size=(32, 48)).astype(np.float32)
b = (g.standard_normal(2000) * 0.01).astype(np.float16)
np.savez(d + "/np_stored.npz", a=a, b=b)
np.savez_compressed(d + "/np_deflated.npz", a=a, b=b)
with open(d + "/np_expect.tsv", "w") as f:
    for k, v in (("a", a), ("b", b)):
        f.write("%s\t%s\t%d\t%.9g\n" % (k, "x".join(map(str, v.shape)), v.size, float(np.abs(v.astype(np.float64)).max())))
PY
  for z in np_stored np_deflated; do
    "$FP8LAB" tensors "$tmp/$z.npz" --tsv --min-size 1 --format int8 2>/dev/null | tail -n +2 | cut -f2-5 >"$tmp/$z.got" \
      || fail "$z.npz"
    cmp -s "$tmp/$z.got" "$tmp/np_expect.tsv" || fail "$z.npz: $(cat "$tmp/$z.got") vs numpy $(cat "$tmp/np_expect.tsv")"
  done
fi

# the real models of the README's install step, when present (never downloaded here)
if [ -f "${FP8_MODELS_DIR:-/nonexistent}/rapidocr-3.10.0-py3-none-any.whl" ] &&
   [ -f "$FP8_MODELS_DIR/g2p_en-2.1.0-py3-none-any.whl" ]; then
  "$FP8LAB" tensors --installed --format int8,fp8-e2,fp8-e3 --tsv >"$tmp/real.tsv" 2>"$tmp/err" || fail "installed models: $(cat "$tmp/err")"
  cat "$tmp/err"
  # the issue: PP-OCRv6_rec_small has 5.3 M parameters and linear_3.w_0 a kurtosis above 700
  p=$(sed -n 's/.*PP-OCRv6_rec_small.onnx: [0-9]* float tensors, \([0-9]*\) parameters.*/\1/p' "$tmp/err")
  awk -v p="${p:-0}" 'BEGIN { exit !(p > 5.25e6 && p < 5.35e6) }' || fail "rapidocr parameters: ${p:-none}"
  awk -F"$T" '$2=="linear_3.w_0" && $7 > 700 { ok = 1 } END { exit !ok }' "$tmp/real.tsv" || fail "linear_3.w_0 kurtosis"
  awk -F"$T" '$2=="linear_3.w_0" { exit !($NF=="fp8-e3") }' "$tmp/real.tsv" || fail "linear_3.w_0: an outlier layer not won by fp8-e3"
  # g2p-en: numpy's count of the arrays of checkpoint20.npz, when numpy is there
  if [ -n "${PYTHON:-}" ] && "$PYTHON" -c "import numpy" 2>/dev/null; then
    n=$("$PYTHON" -c "
import io, sys, zipfile, numpy as np
z = zipfile.ZipFile(sys.argv[1]); d = np.load(io.BytesIO(z.read('g2p_en/checkpoint20.npz')))
print('%d float tensors, %d parameters' % (len(d.files), sum(d[k].size for k in d.files)))" \
      "$FP8_MODELS_DIR/g2p_en-2.1.0-py3-none-any.whl")
    grep -q "checkpoint20.npz: $n" "$tmp/err" || fail "g2p-en counts differ from numpy's ($n)"
  fi
else
  echo "tensors.sh: the real models are not in $FP8_MODELS_DIR (README install step); their checks did not run"
fi
finish tensors.sh
