#!/usr/bin/env python3
"""encode float32 -> float8_e4m3fn through the fp8lab package against ml_dtypes'
astype, in the same process (run by `make bench`; not a test).

Both produce the same codes (checked here) from the same 2^22 float32 values
(N(0,1) * 100, so some overflow); the best of several runs of each is
reported (thread CPU time), as values per second and the ratio.  ml_dtypes' astype is
non-saturating, so the package runs with overflow='nonsat' too.
Usage: bench_encode.py [SECONDS_PER_MEASUREMENT]   (default 1)
"""
import sys
import time

import numpy as np

import fp8lab

try:
    import ml_dtypes
except ImportError:
    print("bench_encode: ml_dtypes not installed (pip install ml_dtypes); nothing to compare")
    sys.exit(0)

N = 1 << 22


def best_rate(fn, secs):
    """Values per second, best of repeated runs for at least secs of CPU time
    (thread CPU time, as bench_cast: other load on the machine matters less)."""
    best, spent = 0.0, 0.0
    while spent < secs:
        t0 = time.thread_time()
        fn()
        t = time.thread_time() - t0
        spent += t
        best = max(best, N / max(t, 1e-9))
    return best


def main():
    secs = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    x = (np.random.default_rng(1).standard_normal(N) * 100).astype(np.float32)
    out = np.empty(N, np.uint8)
    with np.errstate(invalid="ignore", over="ignore"):
        want = x.astype(ml_dtypes.float8_e4m3fn).view(np.uint8)
        assert fp8lab.encode(x, "float8_e4m3fn", overflow="nonsat").tobytes() == want.tobytes()
        ml = best_rate(lambda: x.astype(ml_dtypes.float8_e4m3fn), secs)
    ours = best_rate(lambda: fp8lab.encode(x, "float8_e4m3fn", overflow="nonsat"), secs)
    ours_out = best_rate(lambda: fp8lab.encode(x, "float8_e4m3fn", overflow="nonsat", out=out), secs)
    strided = x.reshape(1024, -1).T
    ours_t = best_rate(lambda: fp8lab.encode(strided, "float8_e4m3fn", overflow="nonsat"), secs)
    print(f"encode float32 -> float8_e4m3fn, {N} values, numpy {np.__version__}, "
          f"ml_dtypes {ml_dtypes.__version__}")
    print(f"  ml_dtypes astype               {ml / 1e6:8.1f} M values/s")
    print(f"  fp8lab.encode                  {ours / 1e6:8.1f} M values/s  ({ours / ml:.1f}x)")
    print(f"  fp8lab.encode(out=)            {ours_out / 1e6:8.1f} M values/s  ({ours_out / ml:.1f}x)")
    print(f"  fp8lab.encode, transposed view {ours_t / 1e6:8.1f} M values/s  ({ours_t / ml:.1f}x)")


if __name__ == "__main__":
    main()
