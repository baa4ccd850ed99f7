"""fp8lab.gemm: every case of the H200 recording (tests/data/h200-fp8: the
chip's own outputs) bit for bit; the `fp8lab gemm` CLI byte for byte on the
same inputs; numpy.matmul's layout checked against exact arithmetic (the
Kulisch unit rounds the exact sum once, which float64 matmul of ml_dtypes'
values computes exactly for these sizes); any strides; every error path."""
import ctypes
import pathlib
import pydoc
import subprocess
import threading

import numpy as np
import pytest

import fp8lab
from fp8lab import Fp8labError, _lib

import doctest_values

DATA = pathlib.Path(__file__).resolve().parents[2] / "tests" / "data" / "h200-fp8"
RECORDED = {"e4m3fn": "float8_e4m3fn", "e5m2": "float8_e5m2"}
OUT_BYTES = {"f32": 4, "bf16": 2, "f16": 2}


def manifest():
    rows = []
    with open(DATA / "manifest.tsv") as f:
        lines = [line.rstrip("\n").split("\t") for line in f if not line.startswith("#")]
    head = lines[0]
    for cols in lines[1:]:
        rows.append(dict(zip(head, cols)))
    return rows


def raw_bits(c):
    """Output codes as little-endian unsigned integers."""
    return c.view(np.uint32 if c.dtype.itemsize == 4 else np.uint16).astype("<u4")


def test_h200_recording_bit_for_bit(ml_dtypes):
    A = np.fromfile(DATA / "a.bin", np.uint8)
    B = np.fromfile(DATA / "b.bin", np.uint8)
    O = np.fromfile(DATA / "out.bin", np.uint8)
    cases = outputs = fast = scaled = mixed = typed = 0
    seen_out = set()
    bad = []
    for r in manifest():
        m, n, k = int(r["M"]), int(r["N"]), int(r["K"])
        ao, bo, oo = int(r["a_offset"]), int(r["b_offset"]), int(r["out_offset"])
        a = A[ao:ao + m * k].reshape(m, k)
        bt = B[bo:bo + n * k].reshape(n, k).T          # K x N, a transposed view read in place
        fa, fb = RECORDED[r["a_format"]], RECORDED[r["b_format"]]
        kw = dict(promote=0 if r["fast_accum"] == "1" else 4, scale_a=float(r["scale_a"]),
                  scale_b=float(r["scale_b"]), out=r["out"])
        if int(r["case"]) % 2:                          # ml_dtypes arrays: formats from the dtype
            c = fp8lab.gemm(a.view(getattr(ml_dtypes, fa)), bt.view(getattr(ml_dtypes, fb)), **kw)
            typed += 1
        else:
            c = fp8lab.gemm(a, bt, "hopper-fp8", a_format=fa, b_format=fb, **kw)
        size = OUT_BYTES[r["out"]]
        want = O[oo:oo + m * n * size].view("<u4" if size == 4 else "<u2").reshape(m, n)
        assert c.shape == (m, n)
        assert c.dtype == {"f32": np.float32, "f16": np.float16, "bf16": ml_dtypes.bfloat16}[r["out"]]
        diff = np.flatnonzero(raw_bits(c) != want)
        if diff.size:
            bad.append(f"case {r['case']} ({fa} x {fb} -> {r['out']}, fast {r['fast_accum']}, K {k}): "
                       f"{diff.size} outputs differ, first at {diff[0]}: chip {want.flat[diff[0]]:#x}, "
                       f"model {raw_bits(c).flat[diff[0]]:#x}")
        cases += 1
        outputs += m * n
        fast += r["fast_accum"] == "1"
        scaled += r["scale_a"] != "1.0"
        mixed += fa != fb
        seen_out.add(r["out"])
    print(f"h200: {cases} cases ({fast} fast, {scaled} scaled, {mixed} mixed formats, {typed} as "
          f"ml_dtypes arrays), {outputs} outputs, {len(bad)} cases differ")
    assert not bad, "\n".join(bad[:10])
    assert cases == 720 and outputs == 737280
    assert 0 < fast < cases and scaled > 0 and mixed > 0 and seen_out == {"f32", "bf16", "f16"}


def random_codes(rng, shape, fmt, specials=0):
    """Uniform finite codes of fmt, then `specials` random places set to its
    Inf/NaN codes (few, so that most outputs stay finite)."""
    c = rng.integers(0, 256, shape, dtype=np.uint8)
    vals = fp8lab.decode(c, fmt)
    c[~np.isfinite(vals)] = 0
    if specials:
        allc = np.arange(256, dtype=np.uint8)
        nonfinite = allc[~np.isfinite(fp8lab.decode(allc, fmt))]
        c.flat[rng.choice(c.size, specials, replace=False)] = rng.choice(nonfinite, specials)
    return c


CLI_CASES = [  # unit, a format, b format, out, scales, Inf/NaN codes per operand
    ("hopper-fp8", "float8_e4m3fn", "float8_e5m2", "f32", (1.0, 1.0), 0),
    ("hopper-fp8:promote=4", "float8_e4m3fn", "float8_e4m3fn", "bf16", (0.3, 1.7), 0),
    ("ada-fp8", "float8_e5m2", "float8_e5m2", "f16", (1.0, 1e-6), 1),   # the per-step path
    ("kulisch", "fp8-e4", "fp8-e4", "f32", (1.0, 1.0), 0),
    ("fp32:n=16:window=24:term=rne", "fp8-e3", "int8", "f32", (2.0, 1.0), 0),
]


@pytest.mark.parametrize("case", CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_same_bytes_as_cli(case, cli, rng, tmp_path, ml_dtypes):
    unit, fa, fb, out, (sa, sb), specials = case
    m, n, k = 7, 5, 300                       # K not a multiple of any step
    a = random_codes(rng, (m, k), fa, specials)
    bnk = random_codes(rng, (n, k), fb, specials)
    (tmp_path / "A.bin").write_bytes(a.tobytes())
    (tmp_path / "B.bin").write_bytes(bnk.tobytes())
    r = subprocess.run([cli, "gemm", "--unit", unit, "--a-format", fa, "--b-format", fb, "--out", out,
                        "--scale-a", repr(sa), "--scale-b", repr(sb), "-m", str(m), "-n", str(n), "-k", str(k),
                        "-o", str(tmp_path / "C.bin"), str(tmp_path / "A.bin"), str(tmp_path / "B.bin")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    c = fp8lab.gemm(a, bnk.T, unit, a_format=fa, b_format=fb, scale_a=sa, scale_b=sb, out=out)
    assert c.flags.c_contiguous
    v = c.astype(np.float32)
    assert np.isfinite(v).sum() > v.size // 2 and (v != 0).sum() > v.size // 2   # not a degenerate case
    assert (not specials) == np.isfinite(v).all()
    assert c.astype(c.dtype.newbyteorder("<")).tobytes() == (tmp_path / "C.bin").read_bytes()


def test_promote_argument_is_the_unit_key(rng):
    a, b = random_codes(rng, (4, 1024), "float8_e4m3fn"), random_codes(rng, (1024, 3), "float8_e4m3fn")
    assert fp8lab.gemm(a, b, promote=4).tobytes() == fp8lab.gemm(a, b, "hopper-fp8:promote=4").tobytes()
    assert fp8lab.gemm(a, b, "hopper-fp8:promote=4", promote=0).tobytes() == fp8lab.gemm(a, b).tobytes()
    assert fp8lab.gemm(a, b, "hopper-fp8:promote=4").tobytes() != fp8lab.gemm(a, b).tobytes()


@pytest.mark.parametrize("fmt", ["float8_e4m3fn", "float8_e5m2"])
def test_matmul_layout_exact(fmt, rng, ml_dtypes):
    """Kulisch + f32 out = the exact a @ b rounded once to float32; float64
    matmul of the values is exact here (every partial sum is a multiple of the
    smallest product within 53 bits), so it is the oracle."""
    a = random_codes(rng, (9, 64), fmt)
    b = random_codes(rng, (64, 11), fmt)
    t = getattr(ml_dtypes, fmt)
    want = (a.view(t).astype(np.float64) @ b.view(t).astype(np.float64)).astype(np.float32)
    got = fp8lab.gemm(a, b, "kulisch", a_format=fmt)
    assert got.tobytes() == want.tobytes()
    # and with scales: one float32 rounding of acc * round_fp32(sa * sb)
    s = np.float32(np.float32(0.3) * np.float32(1.7))
    assert fp8lab.gemm(a, b, "kulisch", a_format=fmt, scale_a=0.3, scale_b=1.7).tobytes() == \
        (want * s).astype(np.float32).tobytes()


def test_strides_and_views(rng):
    a = random_codes(rng, (40, 96), "float8_e4m3fn")
    b = random_codes(rng, (96, 24), "float8_e4m3fn")
    want = fp8lab.gemm(a, b)
    assert not np.all(want == 0)
    views = [
        (np.asfortranarray(a), b),                               # a column-major
        (a, np.ascontiguousarray(b.T).T),                         # b = B.T: read in place
        (a, np.asfortranarray(b)),
        (a[::-1][::-1], b[:, ::-1][:, ::-1]),                     # negative strides (copies of views)
        (np.repeat(a, 2, axis=1)[:, ::2], np.repeat(b, 3, axis=0)[::3]),   # step > 1
    ]
    for x, y in views:
        assert fp8lab.gemm(x, y).tobytes() == want.tobytes()
    # reversed rows of a and columns of b give the reversed product
    assert fp8lab.gemm(a[::-1], b[:, ::-1]).tobytes() == np.ascontiguousarray(want[::-1, ::-1]).tobytes()
    # a K-slice of a bigger matrix
    big = random_codes(rng, (40, 200), "float8_e4m3fn")
    big[:, 50:146] = a
    assert fp8lab.gemm(big[:, 50:146], b).tobytes() == want.tobytes()
    # integer arrays of codes
    assert fp8lab.gemm(a.astype(np.int64), b.astype(np.int32)).tobytes() == want.tobytes()


def test_empty_and_zero_k():
    z = fp8lab.gemm(np.zeros((3, 0), np.uint8), np.zeros((0, 2), np.uint8))
    assert z.shape == (3, 2) and z.dtype == np.float32 and not z.any() and not np.signbit(z).any()
    assert fp8lab.gemm(np.zeros((0, 4), np.uint8), np.zeros((4, 2), np.uint8)).shape == (0, 2)
    assert fp8lab.gemm(np.zeros((2, 4), np.uint8), np.zeros((4, 0), np.uint8), out="f16").shape == (2, 0)


def test_inputs_unchanged(rng):
    a, b = random_codes(rng, (8, 64), "float8_e4m3fn"), random_codes(rng, (64, 8), "float8_e4m3fn")
    a0, b0 = a.copy(), b.copy()
    fp8lab.gemm(a, b)
    assert np.array_equal(a, a0) and np.array_equal(b, b0)


def test_nan_output_is_nvidia_canonical(ml_dtypes):
    a = np.uint8([[0x7f, 0x38]])                  # NaN (e4m3fn S.1111.111), 1.0
    b = np.uint8([[0x38], [0x38]])
    assert fp8lab.gemm(a, b).view(np.uint32)[0, 0] == 0x7fffffff
    assert fp8lab.gemm(a, b, out="bf16").view(np.uint16)[0, 0] == 0x7fff
    assert fp8lab.gemm(a, b, out="f16").view(np.uint16)[0, 0] == 0x7fff


def test_codes_beyond_the_format_are_refused():
    # float4_e2m1fn has 4 bits: codes 0x0..0xf; 0xf2 is none of them (the library masked it to 0x2, 1.0)
    a = np.uint8([[0x02, 0xf2]])
    b = np.uint8([[0x02], [0x02]])
    raises(("a[0, 1] (byte 1) is 0xf2", "beyond the 4-bit format float4_e2m1fn (expected 0..0xf)"),
           fp8lab.gemm, a, b, a_format="float4_e2m1fn")
    raises("b[1, 0] (byte 1) is 0xf2", fp8lab.gemm, b.T, np.uint8([[0x02], [0xf2]]),
           a_format="float4_e2m1fn")
    # the C API refuses the same byte in the same words (A's rows as given, row-major)
    from fp8lab import _gemm, _format
    lib = _gemm._lib_gemm()
    f = _format.as_format("float4_e2m1fn")
    op = _gemm._operand(f)
    A = np.ascontiguousarray(a)
    B = np.ascontiguousarray(b.T)
    res = np.zeros((1, 1), np.float32)
    err = _lib.errbuf()
    st = lib.fp8_gemm(_gemm._unit("hopper-fp8", None), op, op, 1, 1, 2, A.ctypes.data, B.ctypes.data, None,
                      None, 1.0, 1.0, _format.as_format("fp32"), res.ctypes.data, err, _lib.ERRLEN)
    assert st == -1
    assert "A's codes: byte 1 (row 0, column 1) is 0xf2, beyond the 4-bit format float4_e2m1fn" in \
        err.value.decode(), err.value


def raises(match, fn, *args, exc=Fp8labError, **kw):
    with pytest.raises(exc) as e:
        fn(*args, **kw)
    for m in match if isinstance(match, tuple) else (match,):
        assert m in str(e.value), str(e.value)


A2 = np.zeros((2, 3), np.uint8)
B2 = np.zeros((3, 4), np.uint8)


def test_errors(ml_dtypes):
    g = fp8lab.gemm
    raises(("(2, 3)", "(4, 3)", "3 columns", "4 rows"), g, A2, B2.T)
    raises(("shape (3,)", "2-d"), g, np.zeros(3, np.uint8), B2)
    raises(("shape (2, 3, 1)", "2-d"), g, A2, np.zeros((2, 3, 1), np.uint8))
    raises(("unknown unit 'tpu'", "hopper-fp8"), g, A2, B2, "tpu")
    raises("empty unit", g, A2, B2, "")
    raises(("n=0", "expected 1..1024"), g, A2, B2, "hopper-fp8:n=0")
    raises(("window=3", "Kulisch"), g, A2, B2, "kulisch:window=3")
    raises(("promote=-1", "expected 0..1048576 (0: never"), g, A2, B2, promote=-1)
    raises(("promote=1.5", "expected None"), g, A2, B2, promote=1.5)
    raises(("promote=True", "expected None"), g, A2, B2, promote=True)
    raises(("unit must be", "int"), g, A2, B2, 3, exc=TypeError)
    raises(("fp16", "16 bits", "at most 8"), g, A2, B2, a_format="fp16")
    raises(("bf16", "16 bits", "at most 8"), g, A2, B2, b_format="bf16")
    raises(("'e17m9'",), g, A2, B2, a_format="e17m9")
    raises(("float8_e5m2", "decoded as", "float8_e4m3fn"), g,
           A2.view(ml_dtypes.float8_e5m2), B2, a_format="float8_e4m3fn")
    raises(("float32", "expected uint8 codes", "encode"), g, A2.astype(np.float32), B2)
    raises(("code 256", "0..255"), g, A2 + np.int16(256), B2)
    raises(("code -1", "0..255"), g, A2, B2.astype(np.int8) - 1)
    raises(("0x10", "a[1, 2]", "float4_e2m1fn", "4-bit", "0..0xf"), g,
           np.uint8([[1, 2, 3], [4, 5, 0x10]]), B2, a_format="float4_e2m1fn")
    raises(("0x40", "b[0, 3]", "float6_e2m3fn"), g, A2, np.uint8([[0, 0, 0, 0x40]] * 3),
           b_format="float6_e2m3fn")
    raises(("out='e5m2'", "'f32', 'bf16' or 'f16'"), g, A2, B2, out="e5m2")
    raises(("out=None", "'f32'"), g, A2, B2, out=None)
    raises(("float64", "'f32'"), g, A2, B2, out=np.float64)
    raises(("scale_a of shape (2,)", "one number"), g, A2, B2, scale_a=[1, 2])
    raises(("scale_b must be a real number", "str"), g, A2, B2, scale_b="2", exc=TypeError)
    raises(("scale_a must be a real number", "complex"), g, A2, B2, scale_a=1j, exc=TypeError)


def test_dtype_spellings_of_out(ml_dtypes):
    a = np.uint8([[0x38, 0x40]])
    b = np.uint8([[0x38], [0x38]])                # 1 + 2 = 3
    assert fp8lab.gemm(a, b, out=np.float32).dtype == np.float32
    assert fp8lab.gemm(a, b, out=np.float16)[0, 0] == 3
    assert fp8lab.gemm(a, b, out=ml_dtypes.bfloat16).dtype == ml_dtypes.bfloat16


def test_gil_released_and_threads(rng):
    assert not _lib.core().fp8_gemm._flags_ & ctypes._FUNCFLAG_PYTHONAPI
    jobs = [(random_codes(rng, (16, 512), "float8_e4m3fn"), random_codes(rng, (512, 16), "float8_e4m3fn"),
             ["hopper-fp8", "ada-fp8", "kulisch", "hopper-fp8:promote=4"][i % 4]) for i in range(8)]
    serial = [fp8lab.gemm(a, b, u).tobytes() for a, b, u in jobs]
    results = [None] * len(jobs)

    def run(i):
        a, b, u = jobs[i]
        results[i] = fp8lab.gemm(a, b, u).tobytes()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == serial


def test_help_shows_the_docstring():
    text = pydoc.render_doc(fp8lab.gemm)
    for s in ("hopper-fp8", "numpy.matmul", "promote", "a_format", "Fp8labError"):
        assert s in text


def test_doctests():
    from fp8lab import _gemm
    failed, attempted = doctest_values.testmod(_gemm)
    assert failed == 0 and attempted > 0


def test_readme_h200_session(ml_dtypes):
    """The user guide's 'emulate an H200 GEMM against numpy.matmul' session runs as shown."""
    import doctest
    text = (DATA.parents[2] / "doc" / "guide.md").read_text()
    start = text.index("```python\n", text.index("Emulate an H200 GEMM against `numpy.matmul`")) + 10
    block = text[start:text.index("```\n", start)]
    test = doctest.DocTestParser().get_doctest(block, {"np": np, "fp8lab": fp8lab}, "guide", "doc/guide.md", 0)
    runner = doctest_values.run(test)
    assert runner.failures == 0 and runner.tries >= 10


LARGEK = DATA.parent / "h100-fp8-largek"


def test_splitk_h100_recording(ml_dtypes):
    """splitk='auto' on one fast case per K of the H100 recording (where cuBLAS
    splits K; the C test checks all of them): the chip's outputs bit for bit,
    which the single chain misses; splitk=1 is the single chain."""
    A = np.fromfile(LARGEK / "a.bin", np.uint8)
    B = np.fromfile(LARGEK / "b.bin", np.uint8)
    O = np.fromfile(LARGEK / "out.bin", np.uint8)
    with open(LARGEK / "manifest.tsv") as f:
        lines = [line.rstrip("\n").split("\t") for line in f if not line.startswith("#")]
    rows = [dict(zip(lines[0], cols)) for cols in lines[1:]]
    seen = set()
    for r in rows:
        k = int(r["K"])
        if k in seen or r["out"] != "f32" or r["fast_accum"] != "1":
            continue
        seen.add(k)
        m, n = int(r["M"]), int(r["N"])
        ao, bo, oo = int(r["a_offset"]), int(r["b_offset"]), int(r["out_offset"])
        a = A[ao:ao + m * k].reshape(m, k)
        bt = B[bo:bo + n * k].reshape(n, k).T
        kw = dict(promote=0, a_format=RECORDED[r["a_format"]],
                  b_format=RECORDED[r["b_format"]], scale_a=float(r["scale_a"]),
                  scale_b=float(r["scale_b"]))
        want = O[oo:oo + m * n * 4].view("<u4").reshape(m, n)
        assert (raw_bits(fp8lab.gemm(a, bt, splitk="auto", **kw)) == want).all(), r["case"]
        one = raw_bits(fp8lab.gemm(a, bt, **kw))
        assert (raw_bits(fp8lab.gemm(a, bt, splitk=1, **kw)) == one).all()
        assert (one != want).any(), f"case {r['case']}: the single chain matches too"
    assert seen == {6144, 8192, 12288, 16384}


@pytest.mark.parametrize("bad", [0, 1025, "two", 2.5, True])
def test_splitk_bad(bad):
    a = np.zeros((1, 4), np.uint8)
    with pytest.raises(Fp8labError, match="splitk="):
        fp8lab.gemm(a, a.T, splitk=bad)
