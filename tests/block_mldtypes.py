#!/usr/bin/env python3
"""fp8lab cast --binary into block formats against ml_dtypes, bit for bit.

For every block preset whose element type ml_dtypes has (float8_e4m3fn,
float8_e5m2, float6_e3m2fn, float6_e2m3fn, float4_e2m1fn; NVFP4's elements are
float4_e2m1fn and its UE4M3 block scale is float8_e4m3fn's nonnegative half),
random float32 blocks (log-uniform magnitudes over the whole float32 range,
zeros, maxima exactly on powers of two and one float32 ulp either side, NaN and
Inf blocks, rows with a short last block) are cast by `$FP8LAB cast --binary
--scales FILE --row N`, and checked against definitions computed here:
  - MX scales (OCP MX v1.0 section 6.3): X = 2^(floor(log2 amax) - emax_elem),
    clamped to E8M0's 2^-127..2^127; `rule=rceil` the smallest 2^e with
    amax <= 2^e * max_elem (exact rational comparison); decoded by ml_dtypes
    float8_e8m0fnu; a block with a NaN or Inf gets the NaN scale 0xff;
  - NVFP4: T = float32(amax_tensor / 2688) (the scales file's first 4 bytes),
    S = ml_dtypes float8_e4m3fn of amax_block / (6 T), saturated at 448;
  - element codes == ml_dtypes astype(clip(x / X, -max, max)) (saturation as
    the spec says: elements beyond the max normal become +-max);
  - --decode gives float32(ml_dtypes value of the code * X).
Exit 0 pass, 1 mismatch, 77 skipped (ml_dtypes or numpy missing).
Seed: FP8LAB_SEED, else a fixed default; printed.
"""
import os
import subprocess
import sys
import tempfile
from fractions import Fraction

try:
    import numpy as np
    import ml_dtypes
except ImportError as e:
    print(f"SKIP: {e}")
    sys.exit(77)

FP8LAB = os.environ.get("FP8LAB", "./fp8lab")
SEED = int(os.environ.get("FP8LAB_SEED", "1414"))
# preset: (ml_dtypes element type, max normal, emax_elem)
MX = {
    "mxfp8_e4m3": (ml_dtypes.float8_e4m3fn, 448.0, 8),
    "mxfp8_e5m2": (ml_dtypes.float8_e5m2, 57344.0, 15),
    "mxfp6_e3m2": (ml_dtypes.float6_e3m2fn, 28.0, 4),
    "mxfp6_e2m3": (ml_dtypes.float6_e2m3fn, 7.5, 2),
    "mxfp4_e2m1": (ml_dtypes.float4_e2m1fn, 6.0, 2),
}
failures = 0


def fail(msg):
    global failures
    failures += 1
    if failures <= 20:
        print("FAIL:", msg)


def run(args, inp):
    with open(inp, "rb") as f:
        r = subprocess.run([FP8LAB] + args, stdin=f, capture_output=True)
    if r.returncode != 0:
        fail(f"{' '.join(args)}: exit {r.returncode}: {r.stderr.decode()}")
        return None
    return r.stdout


def midpoints(t):
    """The midpoints between adjacent nonnegative finite values of t (ties)."""
    bits = {ml_dtypes.float4_e2m1fn: 4, ml_dtypes.float6_e2m3fn: 6, ml_dtypes.float6_e3m2fn: 6}.get(t, 8)
    v = np.arange(1 << bits, dtype=np.uint8).view(t).astype(np.float64)
    g = np.unique(v[np.isfinite(v) & (v >= 0)])
    return (g[1:] + g[:-1]) / 2


def make_rows(rng, nrows, row, block, ties=None, emax=0):
    """float32 rows; each block's magnitudes from its own binade range; with
    ties (midpoints of the element grid), some values of each finite block are
    ties at the block's floor scale 2^(floor(log2 amax) - emax)."""
    x = np.empty((nrows, row), dtype=np.float32)
    for r in range(nrows):
        for j in range(0, row, block):
            n = min(block, row - j)
            lo = int(rng.integers(-140, 120))
            spread = int(rng.integers(1, 12))
            mag = np.exp2(rng.uniform(lo, min(lo + spread, 127), n))
            v = (mag * rng.choice([-1.0, 1.0], n)).astype(np.float32)
            v[rng.random(n) < 0.05] = 0
            kind = rng.integers(0, 10)
            k = int(rng.integers(lo, min(lo + spread, 127) + 1))
            if kind == 0:
                v[int(rng.integers(0, n))] = np.float32(2.0 ** k)
            elif kind == 1:
                v[int(rng.integers(0, n))] = np.nextafter(np.float32(2.0 ** k), np.float32(0))
            elif kind == 2:
                v[int(rng.integers(0, n))] = np.nextafter(np.float32(2.0 ** min(k, 126)), np.float32(np.inf))
            elif kind == 3 and rng.random() < 0.3:
                v[int(rng.integers(0, n))] = rng.choice([np.nan, np.inf, -np.inf])
            a = float(np.max(np.abs(v.astype(np.float64))))
            if ties is not None and np.isfinite(a) and a > 0:
                X = 2.0 ** (floor_exp(a) - emax)
                ok = ties[ties * X < a]
                for i in rng.integers(0, n, min(n, 6)) if ok.size else []:
                    y = float(rng.choice(ok)) * X * float(rng.choice([-1.0, 1.0]))
                    if float(np.float32(y)) == y:
                        v[i] = np.float32(y)
            x[r, j:j + n] = v
    return x


def blocks(x, block):
    """(row, start, values) for each block in row-major order."""
    for r in range(x.shape[0]):
        for j in range(0, x.shape[1], block):
            yield r, j, x[r, j:j + block]


def floor_exp(a):
    m, e = np.frexp(np.float64(a))   # a = m * 2^e, m in [0.5, 1)
    return int(e) - 1


def rceil_exp(a, mx):
    a, mx = Fraction(float(a)), Fraction(mx)
    e = floor_exp(float(a)) - floor_exp(float(mx)) - 1
    while mx * Fraction(2) ** e < a:
        e += 1
    while e > -2000 and mx * Fraction(2) ** (e - 1) >= a:
        e -= 1
    return e


def check_mx(preset, rule, x, block, tmp):
    t, mx, emax = MX[preset]
    spec = preset if rule == "floor" else f"{preset}:rule={rule}"
    nrows, row = x.shape
    inp, sc = os.path.join(tmp, "in.f32"), os.path.join(tmp, "sc")
    x.astype("<f4").tofile(inp)
    out = run(["cast", "--to", spec, "--binary", "--row", str(row), "--scales", sc], inp)
    if out is None:
        return
    codes = np.frombuffer(out, dtype=np.uint8).reshape(nrows, row)
    scales = np.fromfile(sc, dtype=np.uint8)
    nb = (row + block - 1) // block
    if codes.size != x.size or scales.size != nrows * nb:
        fail(f"{spec}: {codes.size} codes, {scales.size} scales; expected {x.size}, {nrows * nb}")
        return
    want_dec = np.empty(x.shape, dtype=np.float32)
    for k, (r, j, v) in enumerate(blocks(x, block)):
        s = int(scales[k])
        got = codes[r, j:j + len(v)]
        if not np.all(np.isfinite(v)):
            if s != 0xff or np.any(got != 0):
                fail(f"{spec} block {k}: NaN/Inf block: scale 0x{s:02x}, codes {got}")
            want_dec[r, j:j + len(v)] = np.nan
            continue
        amax = float(np.max(np.abs(v.astype(np.float64))))
        if amax == 0:
            e = -127
        elif rule == "floor":
            e = min(max(floor_exp(amax) - emax, -127), 127)
        else:
            e = min(max(rceil_exp(amax, mx), -127), 127)
        X = float(np.array([s], dtype=np.uint8).view(ml_dtypes.float8_e8m0fnu).astype(np.float64)[0])
        if s != e + 127 or X != 2.0 ** e:
            fail(f"{spec} block {k}: amax {amax!r}: scale code 0x{s:02x} ({X}), expected 2^{e}")
            continue
        q = np.clip(v.astype(np.float64) / X, -mx, mx)
        want = q.astype(t).view(np.uint8)
        bad = np.nonzero(want != got)[0]
        for i in bad[:3]:
            fail(f"{spec} block {k}: x = {float(v[i])!r}, X = 2^{e}: code 0x{got[i]:02x}, ml_dtypes 0x{want[i]:02x}")
        want_dec[r, j:j + len(v)] = (got.view(t).astype(np.float64) * X).astype(np.float32)
    cpath = os.path.join(tmp, "codes")
    with open(cpath, "wb") as f:
        f.write(out)
    dec = run(["cast", "--to", spec, "--binary", "--decode", "--row", str(row), "--scales", sc], cpath)
    if dec is not None:
        d = np.frombuffer(dec, dtype="<f4").reshape(x.shape)
        same = (d.view(np.uint32) == want_dec.view(np.uint32)) | (np.isnan(d) & np.isnan(want_dec))
        if not np.all(same):
            i = np.argwhere(~same)[0]
            fail(f"{spec} --decode at {tuple(i)}: {d[tuple(i)]!r}, expected {want_dec[tuple(i)]!r}")


def check_nvfp4(x, tmp):
    nrows, row = x.shape
    inp, sc = os.path.join(tmp, "in.f32"), os.path.join(tmp, "sc")
    x.astype("<f4").tofile(inp)
    out = run(["cast", "--to", "nvfp4", "--binary", "--row", str(row), "--scales", sc], inp)
    if out is None:
        return
    codes = np.frombuffer(out, dtype=np.uint8).reshape(nrows, row)
    raw = np.fromfile(sc, dtype=np.uint8)
    fin = np.abs(x[np.isfinite(x)].astype(np.float64))
    amax_t = float(fin.max()) if fin.size else 0.0
    T = float(np.float32(amax_t / 2688.0)) if amax_t > 0 else 1.0
    gotT = float(raw[:4].view("<f4")[0])
    if gotT != T:
        fail(f"nvfp4: tensor scale {gotT!r}, expected {T!r}")
        return
    scales = raw[4:]
    for k, (r, j, v) in enumerate(blocks(x, 16)):
        s = int(scales[k])
        got = codes[r, j:j + len(v)]
        if not np.all(np.isfinite(v)):
            if s != 0x7f or np.any(got != 0):
                fail(f"nvfp4 block {k}: NaN/Inf block: scale 0x{s:02x}")
            continue
        ba = float(np.max(np.abs(v.astype(np.float64))))
        q = min(ba / (6.0 * T), 448.0)
        want_s = int(np.array([q]).astype(ml_dtypes.float8_e4m3fn).view(np.uint8)[0])
        if s != want_s:
            fail(f"nvfp4 block {k}: amax {ba!r}, T {T!r}: S 0x{s:02x}, ml_dtypes 0x{want_s:02x}")
            continue
        S = float(np.array([s], dtype=np.uint8).view(ml_dtypes.float8_e4m3fn).astype(np.float64)[0])
        D = S * T
        want = (np.clip(v.astype(np.float64) / D, -6, 6).astype(ml_dtypes.float4_e2m1fn).view(np.uint8)
                if D > 0 else np.zeros(len(v), dtype=np.uint8))
        bad = np.nonzero(want != got)[0]
        for i in bad[:3]:
            fail(f"nvfp4 block {k}: x = {float(v[i])!r}, S*T = {D!r}: code 0x{got[i]:x}, ml_dtypes 0x{want[i]:x}")


def main():
    print(f"block_mldtypes.py: seed {SEED}")
    rng = np.random.default_rng(SEED)
    with tempfile.TemporaryDirectory() as tmp:
        for preset in MX:
            for rule in ("floor", "rceil"):
                for row in (96, 100):   # 3 whole blocks; 3 + a short block of 4
                    x = make_rows(rng, 40, row, 32, midpoints(MX[preset][0]), MX[preset][2])
                    check_mx(preset, rule, x, 32, tmp)
        for row in (64, 70):
            for _ in range(4):
                x = make_rows(rng, 30, row, 16)
                # NVFP4 tensors span a range it is built for: scale the rows into 2^-20..2^20
                x = np.where(np.isfinite(x), np.ldexp(np.frexp(x)[0], np.frexp(x)[1] % 40 - 20), x)
                check_nvfp4(x.astype(np.float32), tmp)
    if failures:
        print(f"block_mldtypes.py: {failures} mismatch(es)")
        return 1
    print("block_mldtypes.py: all block casts agree with ml_dtypes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
