"""Threads: concurrent calls give what serial calls give (the library keeps no
shared state; each stochastic call owns its generator), and every entry point
is a plain CDLL function, which ctypes calls with the GIL released."""
import ctypes
import threading

import numpy as np

import fp8lab
from fp8lab import _lib


def test_calls_release_the_gil():
    core = _lib.core()
    assert type(core) is ctypes.CDLL
    for name in ("fp8_array_encode", "fp8_array_decode", "fp8_array_quantize"):
        assert not getattr(core, name)._flags_ & ctypes._FUNCFLAG_PYTHONAPI
    assert not _lib.analysis().fp8_quant_search_mse._flags_ & ctypes._FUNCFLAG_PYTHONAPI


def test_concurrent_results_equal_serial(rng):
    jobs = []
    for k in range(8):
        x = (rng.standard_normal((128, 1024)) * 10 ** (k % 4)).astype(np.float32)
        fmt = ["float8_e4m3fn", "fp8-e4", "fp16", "int8"][k % 4]
        jobs.append((x, fmt, k))

    def work(x, fmt, k):
        return (fp8lab.encode(x.T, fmt),
                fp8lab.encode(x, fmt, rounding="stochastic", seed=k),
                fp8lab.decode(fp8lab.encode(x, fmt), fmt),
                fp8lab.quantize(x[:4], fmt, range="mse", granularity="channel"))

    serial = [work(*j) for j in jobs]
    results = [None] * len(jobs)
    errors = []

    def run(i):
        try:
            for _ in range(2):
                r = work(*jobs[i])
                assert all(np.array_equal(a, b, equal_nan=True) for a, b in zip(r, serial[i]))
            results[i] = True
        except Exception as e:          # reported below, with the thread's index
            errors.append((i, e))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert all(results)
