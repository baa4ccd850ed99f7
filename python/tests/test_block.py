"""Block-scaled formats: fp8lab.block_encode / block_decode / block_quantize
against ml_dtypes (the element casts and E8M0 / E4M3 scales), against the OCP
MX floor rule computed here, and against ``fp8lab cast --binary`` byte for
byte.  Random blocks come from tests/block_mldtypes.py (ties placed on purpose)."""
import importlib.util
import subprocess

import numpy as np
import pytest

import fp8lab
from conftest import ROOT

MX = {"mxfp8_e4m3": ("float8_e4m3fn", 448.0, 8), "mxfp8_e5m2": ("float8_e5m2", 57344.0, 15),
      "mxfp6_e3m2": ("float6_e3m2fn", 28.0, 4), "mxfp6_e2m3": ("float6_e2m3fn", 7.5, 2),
      "mxfp4_e2m1": ("float4_e2m1fn", 6.0, 2)}


@pytest.fixture
def gen(ml_dtypes):
    """tests/block_mldtypes.py: make_rows, midpoints."""
    spec = importlib.util.spec_from_file_location("block_mldtypes", ROOT / "tests" / "block_mldtypes.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_presets():
    names = [b.name for b in fp8lab.block_formats()]
    assert names == ["mxfp8_e4m3", "mxfp8_e5m2", "mxfp6_e3m2", "mxfp6_e2m3", "mxfp4_e2m1", "mxint8", "nvfp4"]
    nv = fp8lab.BlockFormat("nvfp4")
    assert (nv.block, nv.rule, nv.tensor, nv.elem_max, nv.bits_per_value) == (16, "nearest", True, 6.0, 4.5)
    assert nv.elem.name == "e2m1:none" and nv.scale.max == 448 and nv.source
    mi = fp8lab.BlockFormat("mxint8")
    assert (mi.shift, mi.elem_max, mi.emax, mi.code_dtype) == (-6, 127 / 64, 0, np.uint8)
    assert fp8lab.BlockFormat("mxfp8_e4m3:rule=rceil").canonical == "mxfp8_e4m3:rule=rceil"
    assert fp8lab.BlockFormat("block:elem=fp16:scale=bf16").code_dtype == np.uint16


@pytest.mark.parametrize("preset", sorted(MX))
def test_mx_against_ml_dtypes(preset, gen, ml_dtypes, rng):
    name, mx, emax = MX[preset]
    t = getattr(ml_dtypes, name)
    x = gen.make_rows(rng, 20, 100, 32, gen.midpoints(t), emax)      # blocks 32 32 32 4
    codes, scales, tt = fp8lab.block_encode(x, preset)
    assert tt == 1.0 and codes.shape == x.shape and scales.shape == (20, 4)
    vals = fp8lab.block_decode(codes, scales, preset)
    for r in range(20):
        for k in range(4):
            v = x[r, 32 * k:32 * k + 32].astype(np.float64)
            got = codes[r, 32 * k:32 * k + 32]
            if not np.all(np.isfinite(v)):
                assert scales[r, k] == 0xff and not got.any()
                assert np.all(np.isnan(vals[r, 32 * k:32 * k + 32]))
                continue
            amax = np.max(np.abs(v))
            e = -127 if amax == 0 else int(np.clip(np.frexp(amax)[1] - 1 - emax, -127, 127))
            X = float(np.uint8(scales[r, k]).reshape(1).view(ml_dtypes.float8_e8m0fnu).astype(np.float64)[0])
            assert scales[r, k] == e + 127 and X == 2.0 ** e
            want = np.clip(v / X, -mx, mx).astype(t).view(np.uint8)
            np.testing.assert_array_equal(got, want, err_msg=f"{preset} row {r} block {k}, X = 2^{e}")
            np.testing.assert_array_equal(vals[r, 32 * k:32 * k + 32], got.view(t).astype(np.float64) * X)


def test_nvfp4_against_ml_dtypes(ml_dtypes, rng):
    x = (rng.standard_normal((8, 40)) * np.exp2(rng.integers(-8, 8, (8, 1)))).astype(np.float32)
    codes, scales, t = fp8lab.block_encode(x, "nvfp4")
    assert t == float(np.float32(np.max(np.abs(x.astype(np.float64))) / 2688))
    for r in range(8):
        for k in range(3):
            v = x[r, 16 * k:16 * k + 16].astype(np.float64)
            s = np.array([min(np.max(np.abs(v)) / (6 * t), 448.0)]).astype(ml_dtypes.float8_e4m3fn)
            assert scales[r, k] == s.view(np.uint8)[0]
            d = float(s.astype(np.float64)[0]) * t
            want = np.clip(v / d, -6, 6).astype(ml_dtypes.float4_e2m1fn).view(np.uint8)
            np.testing.assert_array_equal(codes[r, 16 * k:16 * k + 16], want)


@pytest.mark.parametrize("preset", sorted(MX) + ["mxint8", "nvfp4", "mxfp4_e2m1:block=7:rule=rceil"])
def test_same_bytes_as_cli(preset, cli, rng, tmp_path):
    x = (rng.standard_normal((6, 50)) * 10).astype(np.float32)
    x[2, 3] = np.nan
    p = tmp_path / "x.f32"
    x.tofile(p)
    with open(p, "rb") as f:
        out = subprocess.run([cli, "cast", "--to", preset, "--binary", "--row", "50"], stdin=f,
                             capture_output=True, check=True).stdout
    codes, scales, t = fp8lab.block_encode(x, preset)
    tb = np.float32(t).tobytes() if fp8lab.BlockFormat(preset).tensor else b""
    assert out == codes.tobytes() + tb + scales.tobytes()


def test_round_trip_and_shapes(rng):
    x = rng.standard_normal((2, 3, 37))
    for preset in ("mxfp8_e4m3", "mxint8", "nvfp4", "mxfp6_e2m3:rule=ceil"):
        codes, scales, t = fp8lab.block_encode(x, preset)
        assert scales.shape == (2, 3, -(-37 // fp8lab.BlockFormat(preset).block))
        q = fp8lab.block_quantize(x, preset)
        assert np.array_equal(fp8lab.block_decode(codes, scales, preset, t), q)
        if fp8lab.BlockFormat(preset).rule == "floor":   # quantized values re-quantize to themselves
            c2, s2, _ = fp8lab.block_encode(q, preset)
            assert np.array_equal(c2, codes) and np.array_equal(s2, scales)


def test_errors():
    with pytest.raises(fp8lab.Fp8labError, match="rule=round"):
        fp8lab.BlockFormat("mxfp8_e4m3:rule=round")
    with pytest.raises(fp8lab.Fp8labError, match="unknown block format 'e4m3'"):
        fp8lab.block_encode([1.0], "e4m3")
    codes, scales, t = fp8lab.block_encode(np.ones((2, 40)), "mxfp4_e2m1")
    with pytest.raises(fp8lab.Fp8labError, match=r"scales of shape \(2, 1\)"):
        fp8lab.block_decode(codes, scales[:, :1], "mxfp4_e2m1")
    bad = codes.copy()
    bad[1, 5] = 16
    with pytest.raises(fp8lab.Fp8labError, match="element code 16 is beyond"):
        fp8lab.block_decode(bad, scales, "mxfp4_e2m1")
    with pytest.raises(fp8lab.Fp8labError, match="scale code 128 is beyond"):
        fp8lab.block_decode(np.zeros((1, 16), np.uint8), np.array([[128]], np.uint8), "nvfp4", 1.0)
    with pytest.raises(fp8lab.Fp8labError, match="0-d"):
        fp8lab.block_encode(np.float32(1), "nvfp4")
    with pytest.raises(fp8lab.Fp8labError, match="tensor scale"):
        fp8lab.block_decode(codes, scales, "mxfp4_e2m1", t=float("nan"))


def test_mx_has_no_tensor_scale():
    # E4M3 0x38 = 1 with E8M0 127 = 2^0 is 1 (OCP MX v1.0): an MX format has no
    # second-level scale, so a t other than 1 is refused, never multiplied in.
    one = np.array([[0x38]], np.uint8)
    assert fp8lab.block_decode(one, np.array([[127]], np.uint8), "mxfp8_e4m3")[0, 0] == 1.0
    for t in (2.0, 0.5):
        with pytest.raises(fp8lab.Fp8labError, match=f"t {t}: mxfp8_e4m3 has no tensor scale"):
            fp8lab.block_decode(one, np.array([[127]], np.uint8), "mxfp8_e4m3", t)
        with pytest.raises(fp8lab.Fp8labError, match="tensor_scale 2.0: mxint8 has no tensor scale"):
            fp8lab.block_encode(np.ones((1, 32)), "mxint8", tensor_scale=2.0)
    # NVFP4 takes one: E2M1 0x2 = 1, UE4M3 0x38 = 1, T = 0.5
    assert fp8lab.block_decode(np.array([[2]], np.uint8), np.array([[0x38]], np.uint8), "nvfp4", 0.5)[0, 0] == 0.5
