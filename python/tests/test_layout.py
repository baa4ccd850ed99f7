"""Shapes and strides: every layout gives what the same values, laid out
contiguously, give through ml_dtypes (the oracle: numpy applies it element by
element whatever the layout).  Views are read and written in place."""
import numpy as np
import pytest

import fp8lab

NAME = "float8_e4m3fn"


def oracle(x, ml_dtypes):
    with np.errstate(invalid="ignore", over="ignore"):
        return np.array(x, order="C").astype(getattr(ml_dtypes, NAME)).view(np.uint8)


def layouts(rng, dtype):
    base = (rng.standard_normal((7, 600, 5)) * 50).astype(dtype)   # rows longer than the C chunk (512)
    two = (rng.standard_normal((33, 1100)) * 50).astype(dtype)
    yield "contiguous", base
    yield "transposed", base.T
    yield "axes swapped", np.swapaxes(base, 0, 1)
    yield "fortran", np.asfortranarray(two)
    yield "reversed", base[::-1, ::-3, ::-1]
    yield "strided slice", two[1::3, 5:1000:7]
    yield "inner stride only", two[:, ::2]
    yield "broadcast (stride 0)", np.broadcast_to(two[:1], (4, 1100))
    yield "0-d", np.array(3.3, dtype=dtype)
    yield "0-d view", two[3, 4, ...]
    yield "empty", np.empty((0,), dtype=dtype)
    yield "empty 2-d", np.empty((3, 0, 2), dtype=dtype)
    yield "single", two[:1, :1]
    yield "long 1-d strided", np.tile(two.reshape(-1), 2)[::5]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_encode_any_layout(dtype, rng, ml_dtypes):
    for what, x in layouts(rng, dtype):
        got = fp8lab.encode(x, NAME, overflow="nonsat")
        assert got.shape == x.shape, what
        assert got.strides == np.empty_like(x, np.uint8).strides, what   # astype's memory order
        assert got.tobytes() == oracle(x, ml_dtypes).tobytes(), what


def test_encode_into_strided_out(rng, ml_dtypes):
    x = (rng.standard_normal((40, 30)) * 10).astype(np.float32)
    big = np.zeros((30, 80), dtype=np.uint8)
    out = big[:, ::2].T                      # (40, 30) view with both strides foreign
    res = fp8lab.encode(x, NAME, out=out)
    assert res is out
    assert np.array_equal(big[:, ::2].T, oracle(x, ml_dtypes))
    assert not big[:, 1::2].any()            # the elements between were not touched
    u16 = np.zeros((40, 30), dtype=np.uint16)
    fp8lab.encode(x, NAME, out=u16)          # uint16 out is allowed for 8-bit codes
    assert np.array_equal(u16, oracle(x, ml_dtypes))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_decode_any_layout(dtype, rng, ml_dtypes):
    t = getattr(ml_dtypes, NAME)
    for what, x in layouts(rng, np.float32):
        codes = oracle(x, ml_dtypes).reshape(x.shape)
        view = codes if codes.ndim < 2 else codes.T.copy().T   # fortran-ordered codes
        for c in (codes, view, codes[..., ::-1] if codes.ndim else codes):
            got = fp8lab.decode(c, NAME, dtype=dtype)
            want = np.array(c, order="C").view(t).astype(dtype)
            assert got.shape == c.shape, what
            assert np.array_equal(got, want, equal_nan=True), what
    out = np.zeros((8, 6), dtype=dtype)[::2, ::-2]
    fp8lab.decode(np.full((4, 3), 0x38, np.uint8), NAME, out=out)
    assert np.all(out == 1.0)


def test_quantize_any_layout(rng):
    x = rng.standard_normal((20, 700))
    want = fp8lab.quantize(np.ascontiguousarray(x.T), NAME, scale=0.01)
    assert np.array_equal(fp8lab.quantize(x.T, NAME, scale=0.01), want)
    inplace = x.T.copy(order="F")
    fp8lab.quantize(inplace, NAME, scale=0.01, out=inplace)
    assert np.array_equal(inplace, want)
    per_ch = fp8lab.quantize(x, NAME, scale=np.arange(1, 21) * 0.01, granularity="channel", axis=0)
    per_ch_t = fp8lab.quantize(x.T, NAME, scale=np.arange(1, 21) * 0.01, granularity="channel", axis=1)
    assert np.array_equal(per_ch.T, per_ch_t)
    assert fp8lab.quantize(np.empty((0, 4)), NAME, granularity="channel", axis=0).shape == (0, 4)
    assert fp8lab.quantize(np.float64(1.7), NAME, scale=1.0).shape == ()
