"""Every error path: a Python exception (Fp8labError, a ValueError, or
TypeError for non-numbers) whose message names the bad value and what was
expected; nothing is written to an out= array on an argument error."""
import os
import subprocess
import sys

import numpy as np
import pytest

import fp8lab
from fp8lab import Fp8labError

X = np.float32([1.0, 2.0])


def raises(match, fn, *args, exc=Fp8labError, **kw):
    with pytest.raises(exc) as e:
        fn(*args, **kw)
    for m in match if isinstance(match, tuple) else (match,):
        assert m in str(e.value), str(e.value)
    return e.value


def test_error_is_value_error():
    assert issubclass(Fp8labError, ValueError)


def test_bad_formats():
    raises(("'e17m3'", "expected 1..16"), fp8lab.Format, "e17m3")
    raises(("'float9'", "expected a preset"), fp8lab.Format, "float9")
    raises(("'zz'", "expected ieee, fn, fnuz, none"), fp8lab.encode, X, "e4m3:zz")
    raises("empty format name", fp8lab.decode, np.uint8([0]), "")
    raises(("3.5", "expected a name"), fp8lab.Format, 3.5, exc=TypeError)
    raises(("fp32", "32 bits", "at most 16"), fp8lab.encode, X, "fp32")


def test_bad_modes():
    raises(("'up'", "expected rne, rtz, rna, rtp, rtn, rto, stochastic"), fp8lab.encode, X, "int8", rounding="up")
    raises(("'clip'", "expected satpropagate (= sat), satfinite, nonsat or satnone"), fp8lab.encode, X, "int8", overflow="clip")
    raises(("'clip'", "expected satpropagate (= sat), satfinite, nonsat or satnone"), fp8lab.quantize, X, "int8", overflow="clip")
    raises("must be a mode name", fp8lab.encode, X, "int8", rounding=1, exc=TypeError)
    raises(("stochastic", "seed=N"), fp8lab.encode, X, "int8", rounding="stochastic")
    raises(("seed=3", "'rne'"), fp8lab.encode, X, "int8", seed=3)
    for bad in (-1, 2 ** 64, 1.5, True, "7"):
        raises(("seed", "0..2^64-1"), fp8lab.encode, X, "int8", rounding="stochastic", seed=bad)


def test_bad_inputs():
    raises(("complex", "expected real numbers"), fp8lab.encode, np.array([1j]), "int8", exc=TypeError)
    raises(("<U1", "expected real numbers"), fp8lab.encode, np.array(["a"]), "int8", exc=TypeError)
    raises(("object", "expected real numbers"), fp8lab.encode, np.array([None]), "int8", exc=TypeError)


def test_decode_errors(ml_dtypes):
    e = raises(("0x45", "flat index 2", "float6_e2m3fn", "0x0..0x3f"), fp8lab.decode,
               np.uint8([1, 2, 0x45, 0x50]), "float6_e2m3fn")
    # the first bad code in C order of the logical array, whatever the layout
    raises(("0x50", "flat index 1"), fp8lab.decode, np.uint8([[1, 0x45], [0x50, 2]]).T, "float6_e2m3fn")
    raises(("0x100", "int8", "0x0..0xff"), fp8lab.decode, np.uint16([0x100]), "int8")
    raises(("float32", "expected uint8 or uint16"), fp8lab.decode, np.float32([1]), "int8")
    raises(("int64", "expected uint8 or uint16"), fp8lab.decode, np.array([-1]), "int8")
    raises("need a format", fp8lab.decode, np.uint8([1]))
    raises(("float8_e5m2", "'float8_e4m3fn'", "expected the same format"), fp8lab.decode,
           np.uint8([1]).view(ml_dtypes.float8_e5m2), "float8_e4m3fn")
    raises(("int32", "expected float32 or float64"), fp8lab.decode, np.uint8([1]), "int8", dtype=np.int32)
    raises(("uint8", "'fp16'", "expected uint16"), fp8lab.decode, np.uint8([1]), "fp16")


def test_out_errors():
    out = np.zeros(3, np.uint8)
    raises(("(3,)", "(2,)"), fp8lab.encode, X, "int8", out=out)
    raises(("float32", "uint8 or uint16"), fp8lab.encode, X, "int8", out=np.zeros(2, np.float32))
    raises(("uint8", "uint16"), fp8lab.encode, X, "fp16", out=np.zeros(2, np.uint8))
    ro = np.zeros(2, np.uint8)
    ro.flags.writeable = False
    raises("read-only", fp8lab.encode, X, "int8", out=ro)
    raises("must be a numpy array", fp8lab.encode, X, "int8", out=[0, 0], exc=TypeError)
    raises(("int8", "expected float32 or float64"), fp8lab.decode, np.uint8([1, 2]), "int8", out=np.zeros(2, np.int8))
    raises("ml_dtypes has no type for 'int8'", fp8lab.encode, X, "int8", ml_dtype=True)
    assert not out.any()


def test_quantize_errors():
    raises(("'block'", "expected 'tensor' or 'channel'"), fp8lab.quantize, X, "int8", granularity="block")
    raises(("axis 2", "expected -1..0"), fp8lab.quantize, X, "int8", granularity="channel", axis=2)
    raises("0-d", fp8lab.quantize, np.float32(1), "int8", granularity="channel")
    raises(("'best'", "expected 'max', 'mse' or 'fixed'"), fp8lab.quantize, X, "int8", range="best")
    raises("needs scale=", fp8lab.quantize, X, "int8", range="fixed")
    raises(("3 scales for 2 channels", "expected 2"), fp8lab.quantize, X, "int8", scale=[1, 2, 3],
           granularity="channel")
    raises(("2 scales for 1 tensor", "expected 1"), fp8lab.quantize, X, "int8", scale=[1, 2])
    for bad in (0.0, -1.0, np.inf, np.nan):
        raises(("scale", "not a finite number > 0"), fp8lab.quantize, X, "int8", scale=bad)
    raises(("scale [1, 'a']",), fp8lab.quantize, X, "int8", scale=[1, "a"], granularity="channel")
    raises(("range='max'", "inf"), fp8lab.quantize, np.float32([1, np.inf]), "int8")
    raises(("infinite", "flat index 1"), fp8lab.quantize, np.float32([1, -np.inf]), "int8", range="mse")
    raises(("fp32", "at most 16"), fp8lab.quantize, X, "fp32", range="mse")
    raises(("'max'", "pass scale="), fp8lab.scale_for, X, "int8", range="fixed")


def test_library_not_found():
    env = dict(os.environ, FP8LAB_LIBRARY="/nonexistent/libfp8lab.so")
    r = subprocess.run([sys.executable, "-c", "import fp8lab; fp8lab.Format('int8')"],
                       env=env, capture_output=True, text=True)
    assert r.returncode != 0
    assert "libfp8lab not found" in r.stderr and "/nonexistent/libfp8lab.so" in r.stderr


# ---- hostile arguments: overlapping out=, None scales, NUL in spellings ----------------

def test_out_overlapping_the_input():
    """out= that shares memory with the input (a reversed view, a shifted
    view) gets the values a separate array gets; expected values from an
    out-of-place call (the library's plain path) and, for decode, from
    ml_dtypes where installed."""
    g = np.random.default_rng(13)
    codes = g.integers(0, 256, 4096).astype(np.uint8)
    want = fp8lab.decode(codes.copy(), "float8_e4m3fn")
    # decode: uint16 codes whose buffer the float32 output reuses, reversed
    buf = np.zeros(4096, dtype=np.float32)
    c16 = buf.view(np.uint16)[:4096]
    c16[:] = codes
    got = fp8lab.decode(c16, "float8_e4m3fn", out=buf[::-1])
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(buf[::-1], want)
    try:
        import ml_dtypes
        np.testing.assert_array_equal(buf[::-1], codes.view(ml_dtypes.float8_e4m3fn).astype(np.float32))
    except ImportError:
        pass
    # encode: codes written over the float32 input's own bytes, reversed
    x = g.standard_normal(4096).astype(np.float32) * 100
    want = fp8lab.encode(x.copy(), "float8_e4m3fn")
    y = x.copy()
    out = y.view(np.uint8)[::-4][:4096]
    fp8lab.encode(y, "float8_e4m3fn", out=out)
    np.testing.assert_array_equal(out, want)
    # quantize: in place stays in place; a reversed view of the input is not in place
    x = g.standard_normal(4096)
    want = fp8lab.quantize(x.copy(), "float8_e4m3fn", scale=0.01)
    z = x.copy()
    fp8lab.quantize(z, "float8_e4m3fn", scale=0.01, out=z)
    np.testing.assert_array_equal(z, want)
    z = x.copy()
    fp8lab.quantize(z, "float8_e4m3fn", scale=0.01, out=z[::-1])
    np.testing.assert_array_equal(z[::-1], want)


def test_gemm_scale_none():
    a = np.full((2, 4), 0x38, dtype=np.uint8)   # 1.0 in float8_e4m3fn
    raises(("scale_a=None", "real number"), fp8lab.gemm, a, a.T.copy(), a_format="float8_e4m3fn",
           b_format="float8_e4m3fn", scale_a=None, exc=TypeError)
    raises(("scale_b=None",), fp8lab.gemm, a, a.T.copy(), a_format="float8_e4m3fn",
           b_format="float8_e4m3fn", scale_b=None, exc=TypeError)
    raises(("scale_a=",), fp8lab.gemm, a, a.T.copy(), a_format="float8_e4m3fn",
           b_format="float8_e4m3fn", scale_a=object(), exc=TypeError)


def test_nul_in_spellings():
    raises(("'int8\\x00junk'", "NUL"), fp8lab.Format, "int8\x00junk")
    raises(("NUL",), fp8lab.encode, X, "fp8-e4\x00")
    a = np.full((2, 4), 0x38, dtype=np.uint8)
    raises(("unit", "'fp32\\x00:n=16'", "NUL"), fp8lab.gemm, a, a.T.copy(), unit="fp32\x00:n=16",
           a_format="float8_e4m3fn", b_format="float8_e4m3fn")
    raises(("rounding", "NUL"), fp8lab.encode, X, "fp8-e4", rounding="rne\x00junk")
    raises(("overflow", "NUL"), fp8lab.encode, X, "fp8-e4", overflow="sat\x00")
