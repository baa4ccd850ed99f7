"""encode/decode against ml_dtypes, bit for bit, on the stratified inputs of
tests/mldtypes_cast.py (every value, every midpoint and one float32 ulp
either side, the overflow boundary, specials, every binade, random bits,
log-uniform values).  ml_dtypes' astype rounds to nearest even and does not
saturate: overflow='nonsat'.  The saturating mode is checked against
ml_dtypes on the inputs clipped to +-max (what saturation means for finite
inputs under RNE)."""
import numpy as np
import pytest

import fp8lab
from conftest import ML_TYPES, NO_NAN, BITS
import doctest_values


def values_equal(a, b):
    """Same type and shape; NaN where the other is NaN; otherwise the same bits (-0 != +0)."""
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    na, nb = np.isnan(a), np.isnan(b)
    u = np.uint32 if a.dtype == np.float32 else np.uint64
    return bool(np.all(na == nb) and np.all(a.view(u)[~na] == b.view(u)[~nb]))


def compare_codes(got, want, x, name):
    nan = np.isnan(x)
    cmp = ~nan if name in NO_NAN else np.ones_like(nan)
    bad = np.nonzero((got != want) & cmp)[0]
    assert bad.size == 0, (f"{name}: {bad.size} of {x.size} codes differ, first x={x[bad[0]]!r}: "
                           f"fp8lab 0x{got[bad[0]]:02x}, ml_dtypes 0x{want[bad[0]]:02x}")
    if name in NO_NAN:     # ml_dtypes gives -0 for NaN (no NaN code); fp8lab +0, flagged invalid
        assert np.all(got[nan] == 0)


@pytest.mark.parametrize("name", ML_TYPES)
@pytest.mark.parametrize("src", ["float32", "float64"])
def test_encode_nonsat_matches_ml_dtypes(name, src, ml_dtypes, stratified, rng):
    t = getattr(ml_dtypes, name)
    with np.errstate(invalid="ignore"):
        x = stratified(t, rng).astype(src)
    with np.errstate(invalid="ignore", over="ignore"):
        want = x.astype(t).view(np.uint8)
    got = fp8lab.encode(x, name, overflow="nonsat")
    assert got.dtype == np.uint8 and got.shape == x.shape
    compare_codes(got, want, x, name)


@pytest.mark.parametrize("name", ML_TYPES)
def test_encode_sat_is_nonsat_of_clipped(name, ml_dtypes, stratified, rng):
    t = getattr(ml_dtypes, name)
    x = stratified(t, rng)
    x = x[np.isfinite(x)]
    top = float(ml_dtypes.finfo(t).max)
    with np.errstate(invalid="ignore", over="ignore"):
        want = np.clip(x, -top, top).astype(t).view(np.uint8)
    compare_codes(fp8lab.encode(x, name), want, x, name)


@pytest.mark.parametrize("name", ML_TYPES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_decode_every_code_matches_ml_dtypes(name, dtype, ml_dtypes):
    t = getattr(ml_dtypes, name)
    codes = np.arange(1 << BITS.get(name, 8), dtype=np.uint8)
    want = codes.view(t).astype(dtype)
    assert values_equal(fp8lab.decode(codes, name, dtype=dtype), want)
    # an ml_dtypes array is taken as codes of its own format
    assert values_equal(fp8lab.decode(codes.view(t), dtype=dtype), want)
    assert values_equal(fp8lab.decode(codes.view(t), name, dtype=dtype), want)


@pytest.mark.parametrize("name", ML_TYPES)
def test_ml_dtypes_interop(name, ml_dtypes, rng):
    t = getattr(ml_dtypes, name)
    x = (rng.standard_normal(1000) * 3).astype(np.float32)
    got = fp8lab.encode(x, name, overflow="nonsat", ml_dtype=True)
    assert got.dtype == np.dtype(t)
    with np.errstate(invalid="ignore", over="ignore"):
        assert got.view(np.uint8).tobytes() == x.astype(t).view(np.uint8).tobytes()
    # the ml_dtypes type names the format; values of such an array are numbers too
    assert fp8lab.Format(t).name == name and fp8lab.Format(np.dtype(t)).ml_dtype == np.dtype(t)
    vals = x.astype(t)
    assert fp8lab.encode(vals, name).tobytes() == vals.view(np.uint8).tobytes()


def test_wide_formats_match_ml_dtypes_and_numpy(ml_dtypes, rng):
    """16-bit codes: fp16 against numpy's float16, bf16 against ml_dtypes.bfloat16."""
    x = np.concatenate([rng.standard_normal(1 << 14) * 1e3, rng.standard_normal(1 << 14) * 1e-6,
                        [0.0, -0.0, np.inf, -np.inf, 65504, 65520, 7e4]]).astype(np.float32)
    with np.errstate(over="ignore"):
        assert fp8lab.encode(x, "fp16", overflow="nonsat").tobytes() == x.astype(np.float16).view(np.uint16).tobytes()
        want = x.astype(ml_dtypes.bfloat16).view(np.uint16)
    got = fp8lab.encode(x, "bf16", overflow="nonsat")
    assert got.dtype == np.uint16 and got.tobytes() == want.tobytes()
    codes = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16)
    assert values_equal(fp8lab.decode(codes, "fp16"), codes.view(np.float16).astype(np.float32))


def test_flags():
    codes, flags = fp8lab.encode([1.0, 2.0], "float8_e4m3fn", return_flags=True)
    assert flags == frozenset()
    _, flags = fp8lab.encode([1000.0], "float8_e4m3fn", return_flags=True)
    assert flags == {"inexact", "overflow"}
    _, flags = fp8lab.encode([2.0 ** -12], "float8_e4m3fn", return_flags=True)
    assert flags == {"inexact", "underflow"}
    _, flags = fp8lab.encode([np.nan], "int8", return_flags=True)
    assert flags == {"invalid"}


def test_ocp_facts():
    """OCP 8-bit FP spec v1.0 (doc/DESIGN.md section 2), independent of ml_dtypes."""
    e4 = fp8lab.encode(np.array([448, 464, 465, 2.0 ** -9, -0.0], np.float32), "float8_e4m3fn", overflow="nonsat")
    assert list(e4) == [0x7e, 0x7e, 0x7f, 0x01, 0x80]
    e5 = fp8lab.encode(np.array([57344, 61440, np.inf, 2.0 ** -16]), "float8_e5m2", overflow="nonsat")
    assert list(e5) == [0x7b, 0x7c, 0x7c, 0x01]
    assert list(fp8lab.encode([1e6, -1e6], "float8_e5m2")) == [0x7b, 0xfb]     # sat: +-max
    assert list(fp8lab.encode([-0.0], "fp8-e4")) == [0x00]                     # fnuz: -0 -> +0


def test_stochastic_seeded(rng):
    x = rng.standard_normal(4096).astype(np.float32)
    a = fp8lab.encode(x, "e3m4:fnuz", rounding="stochastic", seed=7)
    b = fp8lab.encode(x, "e3m4:fnuz", rounding="stochastic", seed=7)
    c = fp8lab.encode(x, "e3m4:fnuz", rounding="stochastic", seed=8)
    assert a.tobytes() == b.tobytes() and a.tobytes() != c.tobytes()
    # each code is one of the two neighbours: rtz or one step away from zero
    down = fp8lab.encode(x, "e3m4:fnuz", rounding="rtz")
    vd = fp8lab.decode(down, "e3m4:fnuz", dtype=np.float64)
    va = fp8lab.decode(a, "e3m4:fnuz", dtype=np.float64)
    assert np.all(np.abs(va) >= np.abs(vd))
    assert np.all((va == vd) | (np.abs(va - vd) <= np.abs(vd) / 8 + 2.0 ** -7))


def test_doctests():
    from fp8lab import _codec, _format, _quant
    for mod in (_codec, _format, _quant):
        failed, attempted = doctest_values.testmod(mod)
        assert failed == 0 and attempted > 0, mod.__name__
