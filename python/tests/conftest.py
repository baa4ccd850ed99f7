"""Shared fixtures: the seed (MPFR style: printed, FP8LAB_SEED overrides), the
CLI, ml_dtypes, and the stratified inputs of tests/mldtypes_cast.py (the same
inputs the CLI's ml_dtypes test uses)."""
import importlib.util
import os
import pathlib

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SEED = int(os.environ.get("FP8LAB_SEED", "20260104"), 0)

ML_TYPES = ["float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz",
            "float8_e4m3b11fnuz", "float8_e3m4", "float8_e4m3",
            "float6_e2m3fn", "float6_e3m2fn", "float4_e2m1fn"]
NO_NAN = {"float6_e2m3fn", "float6_e3m2fn", "float4_e2m1fn"}
BITS = {"float6_e2m3fn": 6, "float6_e3m2fn": 6, "float4_e2m1fn": 4}


def pytest_report_header(config):
    import fp8lab
    return [f"fp8lab: seed {SEED} (override with FP8LAB_SEED), library {fp8lab.library_path()}"]


@pytest.fixture
def rng():
    return np.random.default_rng(SEED)


def _ml_dtypes():
    if os.environ.get("FP8LAB_REQUIRE_ML_DTYPES"):
        import ml_dtypes              # configure found it: its absence is a failure
        return ml_dtypes
    return pytest.importorskip("ml_dtypes")


@pytest.fixture
def ml_dtypes():
    return _ml_dtypes()


@pytest.fixture(scope="session")
def stratified():
    """stratified(ml_type, rng) from tests/mldtypes_cast.py."""
    _ml_dtypes()
    spec = importlib.util.spec_from_file_location("mldtypes_cast", ROOT / "tests" / "mldtypes_cast.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.stratified


@pytest.fixture(scope="session")
def cli():
    path = os.environ.get("FP8LAB", str(ROOT / "fp8lab"))
    if not os.access(path, os.X_OK):
        pytest.fail(f"fp8lab program not found at {path} (set FP8LAB)")
    return path


def same_bits(a, b):
    """Equal element for element, NaN equal to NaN, -0 different from +0."""
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()
