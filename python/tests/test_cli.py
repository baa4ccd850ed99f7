"""The package against the CLI on the same inputs, byte for byte: float32
through `fp8lab cast --binary` (the vectorized kernel, and the generic path
for stochastic rounding), float64 through text mode (every double parsed
exactly by strtod)."""
import subprocess

import numpy as np
import pytest

import fp8lab

FORMATS = ["float8_e4m3fn", "float8_e5m2", "fp8-e4", "e3m4:fnuz", "int8", "int8-sm", "int4",
           "e2m1:none:nosub", "e4m3:fn:bias=11", "fp16", "bf16", "e6m9:fnuz"]


def inputs(rng, f):
    top = min(f.max, 3e38)
    logu = np.exp2(rng.uniform(np.log2(f.min_subnormal / 8), np.log2(top * 4), 1 << 14))
    bits = rng.integers(0, 1 << 32, 1 << 13, dtype=np.uint64).astype(np.uint32).view(np.float32)
    special = np.float32([0, -0.0, np.inf, -np.inf, np.nan, top, -top, top * 1.0625, f.min_subnormal / 2])
    with np.errstate(over="ignore", invalid="ignore"):
        return np.concatenate([special, logu * rng.choice([-1, 1], logu.size), bits]).astype(np.float32)


def cast_binary(cli, x, fmt, *args):
    r = subprocess.run([cli, "cast", "--to", fmt, "--binary", *args], input=x.astype("<f4").tobytes(),
                       capture_output=True)
    assert r.returncode == 0, r.stderr.decode()
    return r.stdout


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("mode", [("rne", "sat"), ("rtz", "nonsat"), ("rna", "sat"), ("rne", "nonsat")])
def test_binary_cast(fmt, mode, cli, rng):
    f = fp8lab.Format(fmt)
    x = inputs(rng, f)
    got = fp8lab.encode(x, fmt, rounding=mode[0], overflow=mode[1])
    want = cast_binary(cli, x, fmt, "--round", mode[0], "--overflow", mode[1])
    assert got.astype(got.dtype.newbyteorder("<")).tobytes() == want


@pytest.mark.parametrize("fmt", ["float8_e4m3fn", "e3m4:fnuz", "fp16"])
def test_stochastic_same_seed_as_cli(fmt, cli, rng):
    f = fp8lab.Format(fmt)
    x = inputs(rng, f)
    x = x[:x.size // 7 * 7].reshape(-1, 7)[:, ::-1].T    # C order of a strided view = the bytes sent
    got = fp8lab.encode(x, fmt, rounding="stochastic", seed=12345)
    want = cast_binary(cli, np.array(x, order="C"), fmt, "--round", "stochastic", "--seed", "12345")
    assert got.astype(got.dtype.newbyteorder("<")).tobytes() == want


@pytest.mark.parametrize("fmt", ["float8_e4m3fn", "fp8-e3", "int8", "fp16"])
def test_text_cast_float64(fmt, cli, rng):
    f = fp8lab.Format(fmt)
    x = np.exp2(rng.uniform(np.log2(f.min_subnormal / 4), np.log2(f.max * 2), 3000)) * rng.choice([-1, 1], 3000)
    r = subprocess.run([cli, "cast", "--to", fmt], input="\n".join(map(repr, x.tolist())),
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    want = [int(line.split("\t")[0], 16) for line in r.stdout.strip().split("\n")]
    assert fp8lab.encode(x, fmt).tolist() == want
