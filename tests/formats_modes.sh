#!/bin/sh
# formats_modes.sh - P3109 and unsigned formats, and the rounding, saturation
# and NaN modes, through every command that takes a format or a mode (formats,
# table, cast, mac, accuracy, explore); the issue-10 parsing messages.
# Expected codes: the P3109 interim report, OCP 8-bit FP v1.0 / MX v1.0, CUDA's
# satfinite, by hand.
. "${top_srcdir:?}/tests/testlib.sh"
tab=$(printf '\t')

# --- conflicting conventions, the message names what was typed ---
expect_usage "e4m3:fn:fnuz" "conflicting conventions 'fn' and 'fnuz'" -- "$FP8LAB" formats e4m3:fn:fnuz
expect_usage "cast e4m3:fn:fnuz" "e4m3:fn:fnuz" -- "$FP8LAB" cast --to e4m3:fn:fnuz 1
expect_usage "formats torch." "'torch.'" -- "$FP8LAB" formats torch.
expect_usage "formats ml_dtypes." "'ml_dtypes.'" -- "$FP8LAB" formats ml_dtypes.
expect_usage "bad P3109" "binary8p8se" -- "$FP8LAB" table binary8p8se

# --- formats and table -----------------------------------------------------------
"$FP8LAB" formats --tsv >"$tmp/f" || fail "formats"
for p in float8_e8m0fnu ue4m3 binary8p3se binary8p4sf; do
  grep -q "^$p$tab" "$tmp/f" || fail "formats does not list $p"
done
grep "^binary8p4sf$tab" "$tmp/f" | grep -q "float8_e4m3fnuz" || fail "formats: binary8p4sf not shown as float8_e4m3fnuz"
"$FP8LAB" table --tsv binary8p3se >"$tmp/t" || fail "table binary8p3se"
[ "$(wc -l <"$tmp/t")" -eq 257 ] || fail "table binary8p3se: $(wc -l <"$tmp/t") lines, expected 257"
grep -q "^0x7f${tab}0${tab}31${tab}3${tab}inf${tab}inf$" "$tmp/t" || fail "binary8p3se 0x7f is not +Inf"
grep -q "^0xff${tab}1${tab}31${tab}3${tab}inf${tab}-inf$" "$tmp/t" || fail "binary8p3se 0xff is not -Inf"
grep -q "^0x80${tab}1${tab}0${tab}0${tab}nan${tab}nan$" "$tmp/t" || fail "binary8p3se 0x80 is not NaN"
grep -q "^0x7e${tab}0${tab}31${tab}2${tab}normal${tab}49152$" "$tmp/t" || fail "binary8p3se max is not 49152"
"$FP8LAB" table --tsv float8_e8m0fnu >"$tmp/t" || fail "table e8m0"
grep -q "^0x7f${tab}0${tab}127${tab}0${tab}normal${tab}1$" "$tmp/t" || fail "e8m0 0x7f is not 1"
grep -q "^0x00${tab}0${tab}0${tab}0${tab}normal${tab}5.877471754111438e-39$" "$tmp/t" || fail "e8m0 0x00 is not 2^-127"
[ "$("$FP8LAB" table --tsv ue4m3 | wc -l)" -eq 129 ] || fail "table ue4m3: not 128 codes"

# --- cast: every mode by name ----------------------------------------------------
expect_out "satfinite +inf" "0x7b${tab}57344" -- "$FP8LAB" cast --to float8_e5m2 -O satfinite inf
expect_out "satpropagate +inf" "0x7c${tab}inf" -- "$FP8LAB" cast --to float8_e5m2 -O satpropagate inf
expect_out "sat = satpropagate" "0x7c${tab}inf" -- "$FP8LAB" cast --to float8_e5m2 -O sat inf
expect_out "satnone e4m3fn" "0x7e${tab}448" -- "$FP8LAB" cast --to float8_e4m3fn -O satnone 1000
expect_out "nonsat e4m3fn" "0x7f${tab}nan" -- "$FP8LAB" cast --to float8_e4m3fn -O nonsat 1000
expect_out "nan ones" "0x7f${tab}nan" -- "$FP8LAB" cast --to float8_e5m2 --nan ones -- -nan
expect_out "nan keep" "0xfe${tab}nan" -- "$FP8LAB" cast --to float8_e5m2 --nan keep -- -nan
expect_out "rtp" "0x39${tab}1.125" -- "$FP8LAB" cast --to float8_e4m3fn -r rtp 1.01
expect_out "rtn" "0xb9${tab}-1.125" -- "$FP8LAB" cast --to float8_e4m3fn -r rtn -- -1.01
expect_out "rto" "0x39${tab}1.125" -- "$FP8LAB" cast --to float8_e4m3fn -r rto 1.01
expect_out "e8m0 rna" "0x81${tab}4" -- "$FP8LAB" cast --to float8_e8m0fnu -r rna 3
expect_out "unsigned negative nonsat" "0xff${tab}nan" -- "$FP8LAB" cast --to binary8p4ue -O nonsat -- -1
expect_out "unsigned negative satfinite" "0x00${tab}0" -- "$FP8LAB" cast --to binary8p4ue -O satfinite -- -1
expect_usage "bad round" "'sr-a:64'" -- "$FP8LAB" cast --to fp8-e4 -r sr-a:64 1
expect_usage "bad overflow" "'saturate'" -- "$FP8LAB" cast --to fp8-e4 -O saturate 1
expect_usage "bad nan" "'quiet'" -- "$FP8LAB" cast --to fp8-e4 --nan quiet 1
expect_usage "seed without stochastic" "--seed" -- "$FP8LAB" cast --to fp8-e4 -r rtp --seed 3 1

# --- stochastic A/B/C: seeded, printed, repeatable --------------------------------
awk 'BEGIN { for (i = 0; i < 2000; i++) printf "%.9g\n", 1 + i / 16384 }' >"$tmp/in"
for m in sr-a:4 sr-b:4 sr-c:4 sr-a:1; do
  "$FP8LAB" cast --to float8_e4m3fn -r $m --seed 42 <"$tmp/in" >"$tmp/o1" 2>"$tmp/e1" || fail "$m"
  "$FP8LAB" cast --to float8_e4m3fn -r $m --seed 42 <"$tmp/in" >"$tmp/o2" 2>/dev/null || fail "$m"
  "$FP8LAB" cast --to float8_e4m3fn -r $m --seed 43 <"$tmp/in" >"$tmp/o3" 2>/dev/null || fail "$m"
  cmp -s "$tmp/o1" "$tmp/o2" || fail "$m: the same seed gave other output"
  cmp -s "$tmp/o1" "$tmp/o3" && fail "$m: seeds 42 and 43 gave the same output"
  grep -q "seed 42" "$tmp/e1" || fail "$m: seed not printed"
  [ "$(grep -c '^0x39' "$tmp/o1")" -gt 0 ] || fail "$m: never rounded up"
done

# --- mac, accuracy, explore take the new formats ---------------------------------
expect_out "mac binary8p4se Inf" "acc=0x7f800000 value=inf flags=none" -- sh -c "echo '7f 01' | $FP8LAB mac --format binary8p4se --acc fp32"
expect_out "mac ue4m3" "acc=0x40000000 value=2 flags=none" -- sh -c "echo '38 40' | $FP8LAB mac --format ue4m3 --acc fp32"
expect_out "mac round-to e8m0" "acc=0x0000000090000 value=2.25 flags=none float8_e8m0fnu=0x80 (2)" -- sh -c "echo '3c 3c' | $FP8LAB mac --format float8_e4m3fn --round-to float8_e8m0fnu"
expect_out "mac e8m0 x e4m3fn" "acc=0x1e400000 value=1.0164395367051604e-20 flags=none" -- sh -c "echo '3c 3c' | $FP8LAB mac --format float8_e8m0fnu --format-b float8_e4m3fn --acc fp32"
expect_usage "unsigned accumulator" "'ue5m10:ieee'" -- "$FP8LAB" mac --format fp8-e4 --acc ue5m10:ieee
"$FP8LAB" accuracy --dist gaussian --format binary8p4se,binary8p4sf,ue4m3 --tsv >"$tmp/a" 2>/dev/null || fail "accuracy with P3109/unsigned formats"
[ "$(grep -c '^gaussian' "$tmp/a")" -eq 4 ] || fail "accuracy: not 3 formats + lloyd-max"
# an unsigned grid loses the negative half of N(0,1): MSE ~ 1/2, bits ~ 1/2
awk -F'\t' '$2 == "ue4m3" && !($6 > 0.49 && $6 < 0.51) { exit 1 }' "$tmp/a" || fail "accuracy ue4m3 on gaussian is not ~0.5 bits"
"$FP8LAB" explore --bits 6 --convention p3109e --acc kulisch --tsv >"$tmp/x" 2>/dev/null || fail "explore --convention p3109e"
grep -q "e3m2:p3109e" "$tmp/x" || fail "explore: no p3109e split"
expect_usage "explore bad convention" "'bogus'" -- "$FP8LAB" explore --convention bogus

# --- P3109 interim report v4.0 (values by hand from its definitions) --------------
# SatNone: a negative value into an unsigned format is NaN unless the rounding
# goes toward zero or +Inf, or the value rounds to 0 (binary8p4ue: min 2^-18)
expect_out "v4 satnone -1 rne" "0xff${tab}nan" -- "$FP8LAB" cast --to binary8p4ue -O satnone -- -1
expect_out "v4 satnone -inf rne" "0xff${tab}nan" -- "$FP8LAB" cast --to binary8p4ue -O satnone -- -inf
expect_out "v4 satnone -1 rtz" "0x00${tab}0" -- "$FP8LAB" cast --to binary8p4ue -O satnone -r rtz -- -1
expect_out "v4 satnone -1 rtp" "0x00${tab}0" -- "$FP8LAB" cast --to binary8p4ue -O satnone -r rtp -- -1
expect_out "v4 satnone tiny rne" "0x00${tab}0" -- "$FP8LAB" cast --to binary8p4ue -O satnone -- -0x1p-20
# rto beyond max under satnone: the odd code, Inf's in a signed extended format
expect_out "v4 rto satnone" "0x7f${tab}inf" -- "$FP8LAB" cast --to binary8p4se -O satnone -r rto 1e6
expect_out "v4 rto satnone unsigned" "0xfd${tab}53248" -- "$FP8LAB" cast --to binary8p4ue -O satnone -r rto 1e9
# more than 8 exponent bits: E = 9, bias 256 (1 = 0x4000, max 63*2^250 = 0x7ffe);
# E = 10, bias 512, M = 0 (3 ties to the even code 0x202 = 4); E = 16, bias
# 32768 (code c is 2^(c-32768): 2^-1074 = 0x7bce, beyond a double in hex)
expect_out "binary16p7se 1" "0x4000${tab}1" -- "$FP8LAB" cast --to binary16p7se 1
expect_out "binary16p7se max" "0x7ffe${tab}1.1398283784298313e+77" -- "$FP8LAB" cast --to binary16p7se -O satfinite 1e300
expect_out "binary16p7se min" "0x0001${tab}2.698802673467014e-79" -- "$FP8LAB" cast --to binary16p7se 0x1p-261
expect_out "binary10p1ue tie" "0x202${tab}4" -- "$FP8LAB" cast --to binary10p1ue 3
expect_out "binary16p1ue 2^-1074" "0x7bce${tab}5e-324" -- "$FP8LAB" cast --to binary16p1ue 0x1p-1074
"$FP8LAB" table --tsv binary16p1ue >"$tmp/t" || fail "table binary16p1ue"
grep -q "^0x0001${tab}0${tab}1${tab}0${tab}normal${tab}0x1p-32767$" "$tmp/t" || fail "binary16p1ue 0x0001 is not 2^-32767"
grep -q "^0xfffd${tab}0${tab}65533${tab}0${tab}normal${tab}0x1p+32765$" "$tmp/t" || fail "binary16p1ue max is not 2^32765"
grep -q "^0xfffe${tab}0${tab}65534${tab}0${tab}inf${tab}inf$" "$tmp/t" || fail "binary16p1ue 0xfffe is not Inf"
"$FP8LAB" table --tsv binary16p4se >"$tmp/t" || fail "table binary16p4se"
grep -q "^0xfffe${tab}1${tab}4095${tab}6${tab}normal${tab}-0x1.cp+2047$" "$tmp/t" || fail "binary16p4se -max is not -1.75*2^2047"
expect_usage "binary17p1ue" "binary17p1ue" -- "$FP8LAB" table binary17p1ue

finish formats_modes.sh
