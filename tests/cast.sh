#!/bin/sh
# cast.sh - the fp8lab cast command line: outputs, modes, binary layout, errors.
# Expected codes are OCP 8-bit FP spec v1.0 and IEEE 754 binary16 facts.
. "${top_srcdir:?}/tests/testlib.sh"
tab=$(printf '\t')

# --- the issue's examples and spec boundaries ----------------------------------
expect_out "464 -> 448" "0x7e${tab}448" -- sh -c "echo 464 | $FP8LAB cast --to float8_e4m3fn"
expect_out "465 nonsat -> nan" "0x7f${tab}nan" -- sh -c "echo 465 | $FP8LAB cast --to float8_e4m3fn --overflow nonsat"
expect_out "465 sat -> 448" "0x7e${tab}448" -- "$FP8LAB" cast --to float8_e4m3fn 465
expect_out "e5m2 61440 nonsat" "0x7c${tab}inf" -- "$FP8LAB" cast --to float8_e5m2 -O nonsat 61440
expect_out "e5m2 61439 nonsat" "0x7b${tab}57344" -- "$FP8LAB" cast --to float8_e5m2 -O nonsat 61439
expect_out "e5m2 -inf" "0xfc${tab}-inf" -- "$FP8LAB" cast --to float8_e5m2 -- -inf
expect_out "fnuz -0" "0x00${tab}0" -- "$FP8LAB" cast --to float8_e4m3fnuz -- -0
expect_out "fnuz nan" "0x80${tab}nan" -- "$FP8LAB" cast --to fp8-e4 nan
expect_out "hex float" "0x01${tab}0.001953125" -- "$FP8LAB" cast --to float8_e4m3fn 0x1p-9
expect_out "rtz" "0x7e${tab}448" -- "$FP8LAB" cast --to float8_e4m3fn --round rtz -O nonsat 479
expect_out "rna tie" "0x03${tab}3" -- "$FP8LAB" cast --to int8 --round rna 2.5
expect_out "rne tie" "0x02${tab}2" -- "$FP8LAB" cast --to int8 2.5
expect_out "int8 negative" "0x80${tab}-128" -- "$FP8LAB" cast --to int8 -- -1000
expect_out "negative numbers without --" "0xfc${tab}-4
0x02${tab}2
0xf9${tab}-7" -- "$FP8LAB" cast --to int8 -3.5 2 -- -7
expect_out "negative option value" "0x02${tab}-4" -- "$FP8LAB" cast --scale -2 --to int8 -4
expect_out "fp16 wide code" "0x3c00${tab}1" -- "$FP8LAB" cast --to fp16 1
expect_out "scale" "0x7e${tab}896" -- "$FP8LAB" cast --to float8_e4m3fn --scale 2 900
expect_out "1e999 saturates" "0x7e${tab}448" -- "$FP8LAB" cast --to float8_e4m3fn 1e999
expect_out "flags column" "0x7e${tab}448${tab}inexact,overflow" -- "$FP8LAB" cast --to float8_e4m3fn --flags 1000
expect_out "tsv header" "code${tab}value
0x38${tab}1" -- "$FP8LAB" cast --to float8_e4m3fn --tsv 1

# stdin: blank lines and comments skipped, same as arguments
printf '1.5\n\n  # a comment\n-2e-3\n 0x1p-9 \ninf\n' >"$tmp/in.txt"
"$FP8LAB" cast --to float8_e5m2 <"$tmp/in.txt" >"$tmp/a" || fail "stdin cast"
"$FP8LAB" cast --to float8_e5m2 -- 1.5 -2e-3 0x1p-9 inf >"$tmp/b" || fail "argument cast"
cmp -s "$tmp/a" "$tmp/b" || fail "stdin and arguments differ"
[ "$(wc -l <"$tmp/a")" -eq 4 ] || fail "expected 4 output lines for 4 numbers"

# printed values read back exactly: casting them again gives the same codes
cut -f2 "$tmp/a" | "$FP8LAB" cast --to float8_e5m2 >"$tmp/c" || fail "re-cast"
cmp -s "$tmp/a" "$tmp/c" || fail "printed values do not read back to the same codes"

# stochastic: seed printed, same seed same output, another seed differs
seq 1 400 | sed 's/$/.37/' >"$tmp/many.txt"
"$FP8LAB" cast --to e3m4:fnuz --round stochastic --seed 7 <"$tmp/many.txt" >"$tmp/s1" 2>"$tmp/e1" || fail "stochastic"
"$FP8LAB" cast --to e3m4:fnuz --round stochastic --seed 7 <"$tmp/many.txt" >"$tmp/s2" 2>/dev/null
"$FP8LAB" cast --to e3m4:fnuz --round stochastic --seed 8 <"$tmp/many.txt" >"$tmp/s3" 2>/dev/null
grep -q "seed 7" "$tmp/e1" || fail "stochastic seed not printed on stderr"
cmp -s "$tmp/s1" "$tmp/s2" || fail "same seed, different output"
cmp -s "$tmp/s1" "$tmp/s3" && fail "seeds 7 and 8 gave the same output"
"$FP8LAB" cast --to e3m4:fnuz --round stochastic 1.37 2>"$tmp/e2" >/dev/null
grep -q "seed [0-9]" "$tmp/e2" || fail "default stochastic seed not printed"

# binary: little-endian float32 in (1.0, -2.0, 464, 2^-9), codes out
printf '\000\000\200\077\000\000\000\300\000\000\350\103\000\000\000\073' >"$tmp/in.f32"
"$FP8LAB" cast --to float8_e4m3fn --binary <"$tmp/in.f32" >"$tmp/out.u8" || fail "binary cast"
[ "$(od -An -tx1 "$tmp/out.u8" | tr -d ' \n')" = "38c07e01" ] || fail "binary e4m3fn codes: $(od -An -tx1 "$tmp/out.u8")"
"$FP8LAB" cast --to fp16 --binary <"$tmp/in.f32" >"$tmp/out.u16" || fail "binary fp16"
[ "$(od -An -tx1 "$tmp/out.u16" | tr -d ' \n')" = "003c00c0405f0018" ] || fail "binary fp16 little-endian: $(od -An -tx1 "$tmp/out.u16")"
"$FP8LAB" cast --to float8_e4m3fn --binary --flags <"$tmp/in.f32" >/dev/null 2>"$tmp/err"
grep -q "4 values; inexact 1" "$tmp/err" || fail "binary --flags counts: $(cat "$tmp/err")"
"$FP8LAB" cast --to float8_e4m3fn --binary -o "$tmp/o.u8" <"$tmp/in.f32" || fail "binary -o"
cmp -s "$tmp/o.u8" "$tmp/out.u8" || fail "binary -o differs from stdout"

# errors: exit 2, message naming the bad value; no half-written -o file
expect_usage "bad format" "int9x" -- "$FP8LAB" cast --to int9x 1
expect_usage "no --to" "--to" -- "$FP8LAB" cast 1
expect_usage "bad number argument" "'1.5x'" -- "$FP8LAB" cast --to int8 1.5x
expect_usage "missing option value" "requires an argument" -- "$FP8LAB" cast --to int8 --scale
expect_usage "unknown option" "unknown option" -- "$FP8LAB" cast --to int8 --bogus 1
expect_usage "bad round" "'up'" -- "$FP8LAB" cast --to int8 --round up 1
expect_usage "bad overflow" "'clip'" -- "$FP8LAB" cast --to int8 --overflow clip 1
expect_usage "bad scale" "'0'" -- "$FP8LAB" cast --to int8 --scale 0 1
expect_usage "seed without stochastic" "--seed" -- "$FP8LAB" cast --to int8 --seed 3 1
expect_usage "bad seed" "'-3'" -- "$FP8LAB" cast --to int8 --round stochastic --seed -3 1
expect_usage "empty input" "empty input" -- "$FP8LAB" cast --to int8
expect_usage "binary empty input" "empty input" -- "$FP8LAB" cast --to int8 --binary
expect_usage "binary too wide" "at most 16" -- "$FP8LAB" cast --to fp32 --binary
printf '1\n2\nfoo\n4\n' >"$tmp/bad.txt"
"$FP8LAB" cast --to int8 -o "$tmp/bad.out" <"$tmp/bad.txt" 2>"$tmp/err"
[ $? -eq 2 ] || fail "bad stdin line: exit status"
grep -q "line 3: 'foo'" "$tmp/err" || fail "bad stdin line not named: $(cat "$tmp/err")"
[ -e "$tmp/bad.out" ] && fail "half-written output file left behind"
ls "$tmp" | grep -q 'bad.out.tmp' && fail "temporary output file left behind"
head -c 7 "$tmp/in.f32" >"$tmp/odd.f32"
"$FP8LAB" cast --to int8 --binary -o "$tmp/odd.out" <"$tmp/odd.f32" 2>"$tmp/err"
[ $? -eq 2 ] || fail "stray bytes: exit status"
grep -q "3 stray bytes" "$tmp/err" || fail "stray bytes not reported: $(cat "$tmp/err")"
[ -e "$tmp/odd.out" ] && fail "half-written binary output left behind"
"$FP8LAB" cast --to int8 nan >/dev/null 2>"$tmp/err" || fail "NaN into int8"
grep -q "1 NaN input encoded as 0" "$tmp/err" || fail "NaN into a NaN-less format not counted"
# binary to a terminal is refused (where script(1) can give us one)
if command -v script >/dev/null 2>&1; then
  script -qec "$FP8LAB cast --to int8 --binary < $tmp/in.f32" /dev/null >"$tmp/tty.out" 2>&1
  grep -q "refusing to write binary" "$tmp/tty.out" || fail "binary to a terminal not refused"
fi

finish cast.sh
