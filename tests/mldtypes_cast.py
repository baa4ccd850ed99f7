#!/usr/bin/env python3
"""fp8lab cast --binary --overflow nonsat against ml_dtypes, bit for bit.

For every float8/float6/float4 type of ml_dtypes that fp8lab has a preset for,
stratified float32 inputs (every value of the type, every midpoint of adjacent
values and one float32 ulp either side, the overflow boundary, specials, every
float32 binade, random bit patterns, log-uniform values in range) are cast by
ml_dtypes (numpy astype: round to nearest even, non-saturating) and by
`$FP8LAB cast --binary`; the codes must be identical.

Known and stated difference: ml_dtypes' float6_*/float4_* types have no NaN and
encode a NaN input as a zero whose sign bit is the NaN's sign bit inverted
(0x7fc00000 -> 0x20, i.e. -0); fp8lab encodes it as +0 and flags it invalid.
NaN inputs are therefore compared only for the types that have a NaN, and for
the others fp8lab's +0 is checked on its own.  (ml_dtypes keeps a NaN's sign
for float8_e4m3fn, float8_e5m2, float8_e3m4, float8_e4m3, as fp8lab does; fnuz
types have the one NaN 0x80; Inf goes to the NaN of sign for fn, to 0x80 for
fnuz and saturates for float6/float4 -- all as fp8lab's nonsat mode.)
float8_e8m0fnu (OCP MX E8M0, unsigned, no zero) is compared with fp8lab's
`--round rna`: ml_dtypes rounds its ties away from zero (3 -> 4, 1.5 -> 2), and
gives NaN for 0, negatives and overflow, as fp8lab's nonsat mode does.  One
stated difference: ml_dtypes (0.5) rounds every float32 subnormal strictly
between 2^-127 and 1.5 * 2^-127 up to 2^-126 (e.g. 0x005fffff, nearer to
2^-127); fp8lab rounds them to nearest, so those inputs are left out for E8M0.

Exit 0 pass, 1 mismatch, 77 skipped (ml_dtypes or numpy missing).
Seed: FP8LAB_SEED, else a fixed default; printed.
"""
import os
import subprocess
import sys

try:
    import numpy as np
    import ml_dtypes
except ImportError as e:
    print(f"SKIP: {e}")
    sys.exit(77)

TYPES = ["float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz",
         "float8_e4m3b11fnuz", "float8_e3m4", "float8_e4m3",
         "float6_e2m3fn", "float6_e3m2fn", "float4_e2m1fn", "float8_e8m0fnu"]
ROUND = {"float8_e8m0fnu": "rna"}
NO_NAN = {"float6_e2m3fn", "float6_e3m2fn", "float4_e2m1fn"}
BITS = {"float6_e2m3fn": 6, "float6_e3m2fn": 6, "float4_e2m1fn": 4}


def stratified(t, rng):
    nbits = BITS.get(t.__name__, 8)
    codes = np.arange(1 << nbits, dtype=np.uint8)
    vals = codes.view(t).astype(np.float32)
    fin = np.unique(np.abs(vals[np.isfinite(vals)].astype(np.float64)))  # magnitudes, 0 first
    mids = ((fin[:-1] + fin[1:]) / 2).astype(np.float32)
    fin = np.concatenate([[0.0], fin]) if fin[0] != 0 else fin   # no zero (E8M0): the log range below
    top = fin[-1]
    # one more value after max: max + (max - previous) for M >= 1 grids
    beyond = top + (fin[-1] - fin[-2])
    edge = np.array([top, (top + beyond) / 2, beyond, 2 * beyond], dtype=np.float32)
    base = np.concatenate([vals[np.isfinite(vals)], mids, edge])
    base = np.concatenate([base, -base])
    inf = np.float32(np.inf)
    near = np.concatenate([base, np.nextafter(base, inf), np.nextafter(base, -inf)])
    special = np.array([0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000,
                        0xffc00000, 0x7f800001, 0xff800001, 0x7fffffff, 0x7f7fffff,
                        0xff7fffff, 0x00000001, 0x80000001, 0x00800000], dtype=np.uint32).view(np.float32)
    e = np.repeat(np.arange(255, dtype=np.uint32), 16)
    binades = ((rng.integers(0, 2, e.size, dtype=np.uint32) << 31) | (e << 23)
               | rng.integers(0, 1 << 23, e.size, dtype=np.uint32)).view(np.float32)
    rbits = rng.integers(0, 1 << 32, 1 << 17, dtype=np.uint64).astype(np.uint32).view(np.float32)
    lo, hi = np.log2(fin[1] / 8), np.log2(beyond * 4)
    logu = np.exp2(rng.uniform(lo, hi, 1 << 17)) * rng.choice([-1.0, 1.0], 1 << 17)
    return np.concatenate([special, near, binades, rbits, logu.astype(np.float32)]).astype(np.float32)


def main():
    fp8lab = os.environ.get("FP8LAB", "./fp8lab")
    seed = int(os.environ.get("FP8LAB_SEED", "20260103"), 0)
    print(f"mldtypes_cast: seed {seed} (override with FP8LAB_SEED), ml_dtypes {ml_dtypes.__version__}")
    rng = np.random.default_rng(seed)
    failed = 0
    for name in TYPES:
        t = getattr(ml_dtypes, name)
        x = stratified(t, rng)
        with np.errstate(invalid="ignore", over="ignore"):
            want = x.astype(t).view(np.uint8)
        out = subprocess.run([fp8lab, "cast", "--to", name, "--binary", "--overflow", "nonsat",
                              "--round", ROUND.get(name, "rne")],
                             input=x.astype("<f4").tobytes(), capture_output=True)
        if out.returncode != 0:
            print(f"FAIL {name}: fp8lab exit {out.returncode}: {out.stderr.decode().strip()}")
            failed += 1
            continue
        got = np.frombuffer(out.stdout, dtype=np.uint8)
        if got.size != x.size:
            print(f"FAIL {name}: {got.size} codes for {x.size} inputs")
            failed += 1
            continue
        nan = np.isnan(x)
        cmp = ~nan if name in NO_NAN else np.ones_like(nan)
        if name == "float8_e8m0fnu":
            ax = np.abs(x.astype(np.float64))
            cmp &= ~((ax > 2.0 ** -127) & (ax < 1.5 * 2.0 ** -127))
        bad = np.nonzero((got != want) & cmp)[0]
        if name in NO_NAN and np.any(got[nan] != 0):
            print(f"FAIL {name}: NaN inputs not encoded as +0")
            failed += 1
        if bad.size:
            failed += 1
            print(f"FAIL {name}: {bad.size} of {x.size} codes differ; first:")
            for i in bad[:5]:
                print(f"  x = {float(x[i])!r} (0x{x[i:i+1].view(np.uint32)[0]:08x}): "
                      f"fp8lab 0x{got[i]:02x}, ml_dtypes 0x{want[i]:02x}")
        else:
            print(f"ok   {name}: {int(cmp.sum())} inputs identical")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
