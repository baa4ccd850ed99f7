#!/usr/bin/env python3
"""fp8lab.gemm with the hopper-fp8 unit against the C model it wraps, in the
same process (run by `make bench`; not a test).

The shape and data of tests/bench/bench_gemm: float8_e4m3fn x float8_e4m3fn,
M = N = 64, K = 4096 (16.8 M products), random finite codes.  Reported in
products per second of the thread's CPU time, best of several runs: fp8_gemm
called directly through ctypes (the C model: what bench_gemm measures), and
fp8lab.gemm with b in torch._scaled_mm's layout (b = B.T of an N x K matrix:
read in place) and as a C-contiguous K x N matrix (copied once).
Usage: bench_gemm.py [SECONDS_PER_MEASUREMENT]   (default 1)
"""
import ctypes
import sys
import time

import numpy as np

import fp8lab
from fp8lab import _gemm, _lib
from fp8lab._format import as_format

M = N = 64
K = 4096


def best_rate(fn, secs):
    """Products per second, best of runs for at least secs of thread CPU time."""
    best, spent, runs = 0.0, 0.0, 0
    while spent < secs or runs < 3:
        t0 = time.thread_time()
        fn()
        t = time.thread_time() - t0
        spent += t
        runs += 1
        best = max(best, M * N * K / max(t, 1e-9))
    return best


def main():
    secs = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    rng = np.random.default_rng(1)
    a = rng.integers(0, 256, (M, K), dtype=np.uint8)
    bnk = rng.integers(0, 256, (N, K), dtype=np.uint8)
    a[(a & 0x7f) == 0x7f] = 0                  # no NaN (S.1111.111)
    bnk[(bnk & 0x7f) == 0x7f] = 0
    lib = _gemm._lib_gemm()
    spec = _gemm._unit("hopper-fp8", None)
    f, f32 = as_format("float8_e4m3fn"), as_format("fp32")
    op = _gemm._operand(f)
    c = np.empty((M, N), np.float32)
    err = _lib.errbuf()

    def direct():
        _lib.check(lib.fp8_gemm(spec, op, op, M, N, K, a.ctypes.data, bnk.ctypes.data, None, None, 1.0, 1.0,
                                f32, c.ctypes.data, err, _lib.ERRLEN), err)

    direct()
    b_view, b_c = bnk.T, np.ascontiguousarray(bnk.T)
    assert fp8lab.gemm(a, b_view).tobytes() == c.tobytes() == fp8lab.gemm(a, b_c).tobytes()
    c_model = best_rate(direct, secs)
    view = best_rate(lambda: fp8lab.gemm(a, b_view), secs)
    copied = best_rate(lambda: fp8lab.gemm(a, b_c), secs)
    print(f"gemm hopper-fp8, float8_e4m3fn x float8_e4m3fn, M = N = {M}, K = {K}, one core, "
          f"numpy {np.__version__}")
    print(f"  fp8_gemm through ctypes (C model)     {c_model / 1e6:8.1f} M products/s")
    print(f"  fp8lab.gemm(a, B.T)                   {view / 1e6:8.1f} M products/s  "
          f"({view / c_model:.2f}x the C model)")
    print(f"  fp8lab.gemm(a, b), b C-contiguous     {copied / 1e6:8.1f} M products/s  "
          f"({copied / c_model:.2f}x the C model)")


if __name__ == "__main__":
    main()
