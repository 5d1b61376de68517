"""Shared timing helper of the benchmark scripts (run as `python benchmarks/bench_*.py`)."""
import time


def best_of(fn, repeat=5):
    """Best wall time of ``repeat`` calls [s] and the last call's result."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out
