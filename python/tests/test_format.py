"""Format and formats(): fields and limits against the OCP spec, ml_dtypes'
finfo, numpy's finfo, and the CLI's `fp8lab formats --tsv`."""
import subprocess

import numpy as np
import pytest

import fp8lab
from conftest import ML_TYPES


def test_ocp_limits():
    e4 = fp8lab.Format("float8_e4m3fn")
    assert (e4.bits, e4.ebits, e4.mbits, e4.bias, e4.special) == (8, 4, 3, 7, "fn")
    assert (e4.max, e4.min_normal, e4.min_subnormal) == (448.0, 2.0 ** -6, 2.0 ** -9)
    assert (e4.max_code, e4.nan_code, e4.inf_code) == (0x7e, 0x7f, None)
    assert e4.has_nan and not e4.has_inf and e4.has_negzero and e4.subnormals
    e5 = fp8lab.Format("float8_e5m2")
    assert (e5.max, e5.min_subnormal, e5.inf_code) == (57344.0, 2.0 ** -16, 0x7c)
    p4 = fp8lab.Format("fp8-e4")      # the paper's: fnuz, bias 2^(E-1)
    assert (p4.bias, p4.special, p4.has_negzero, p4.nan_code) == (8, "fnuz", False, 0x80)
    i8 = fp8lab.Format("int8")
    assert (i8.ebits, i8.intenc, i8.special, i8.max, i8.finite_values) == (0, "twos", "-", 127.0, 256)
    # doc/DESIGN.md section 3: exact product widths
    assert [fp8lab.Format(f).product_bits for f in ("fp8-e1", "fp8-e2", "fp8-e3", "fp8-e4", "fp8-e5", "int8")] \
        == [15, 17, 23, 37, 67, 16]


@pytest.mark.parametrize("name", ML_TYPES)
def test_against_ml_dtypes_finfo(name, ml_dtypes):
    t = getattr(ml_dtypes, name)
    fi = ml_dtypes.finfo(t)
    f = fp8lab.Format(name)
    assert f.max == float(fi.max)
    assert f.min_normal == float(fi.smallest_normal)
    assert f.min_subnormal == float(fi.smallest_subnormal)
    assert f.mbits == fi.nmant and f.bits == fi.bits
    codes = np.arange(1 << f.bits, dtype=np.uint8).view(t).astype(np.float64)
    assert f.has_nan == bool(np.isnan(codes).any()) and f.has_inf == bool(np.isinf(codes).any())
    assert f.finite_values == np.unique(codes[np.isfinite(codes)]).size
    assert f.ml_dtype == np.dtype(t) and f.code_dtype == np.uint8


def test_wide_against_numpy():
    for name, t in (("fp16", np.float16), ("fp32", np.float32)):
        f, fi = fp8lab.Format(name), np.finfo(t)
        assert (f.max, f.min_normal, f.min_subnormal) == (float(fi.max), float(fi.smallest_normal),
                                                          float(fi.smallest_subnormal))
    assert fp8lab.Format("fp16").code_dtype == np.uint16


def test_spellings_and_identity():
    a, b = fp8lab.Format("float8_e4m3fnuz"), fp8lab.Format("e4m3:fnuz")
    assert a == b and hash(a) == hash(b) and a.name == "float8_e4m3fnuz" and b.name == "e4m3:fnuz"
    assert fp8lab.Format("torch.float8_e5m2") == fp8lab.Format("e5m2")
    assert fp8lab.Format(a) == a and fp8lab.Format("e4m3:fn:bias=9").bias == 9
    assert fp8lab.Format("e2m1:none:nosub").subnormals is False
    assert fp8lab.Format("e5m2") != fp8lab.Format("e5m2:fnuz")
    assert "max" in fp8lab.Format("int4").fields() and "float8_e4m3fn" in repr(fp8lab.Format("float8_e4m3fn"))
    with pytest.raises(AttributeError):
        fp8lab.Format("int8").no_such_field
    import copy
    import pickle
    for spec in ("float8_e4m3fn", "e3m4:fnuz:bias=5:nosub", "int4-sm"):
        f = fp8lab.Format(spec)
        for g in (copy.copy(f), copy.deepcopy(f), pickle.loads(pickle.dumps(f))):
            assert g == f and g.name == f.name and g.fields() == f.fields()


def test_formats_match_cli(cli):
    tsv = subprocess.run([cli, "formats", "--tsv"], capture_output=True, text=True, check=True).stdout
    rows = [line.split("\t") for line in tsv.strip().split("\n")]
    head, rows = rows[0], rows[1:]
    fs = fp8lab.formats()
    assert [f.name for f in fs] == [r[0] for r in rows]
    col = {k: head.index(k) for k in ("n", "E", "M", "bias", "max", "min_subnormal", "finite_values", "FX")}
    for f, r in zip(fs, rows):
        assert f.note
        assert (f.bits, f.ebits, f.mbits, f.bias) == tuple(int(r[col[k]]) for k in ("n", "E", "M", "bias"))
        assert f.max == float(r[col["max"]]) and f.min_subnormal == float(r[col["min_subnormal"]])
        assert (f.finite_values, f.product_bits) == (int(r[col["finite_values"]]), int(r[col["FX"]]))
