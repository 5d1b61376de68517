"""Re-tier Gold and Silver under 10,000 weight/K settings; compare with a per-setting loop.

Target (issue 4, this 2-core machine): 10,000 settings over the 20,000-customer sample,
re-tiering Gold and Silver, in ≤ 3 s; peak memory ≤ 2 GB. The baseline is the Foundation
run once per setting — ``assign_tiers(score(df, policy.with_values(...)))`` — timed on a
few settings in the same run and scaled to the same count.

Run: .venv/bin/python benchmarks/bench_sensitivity.py [--settings N] [--loop N]
"""
from __future__ import annotations

import argparse
import resource
import time
import tracemalloc

import numpy as np

from tiermodel import sensitivity as se
from tiermodel.run_inputs import load_inputs
from tiermodel.scoring import score
from tiermodel.tiers import assign_tiers

TARGET_SECONDS = 3.0
TARGET_PEAK_BYTES = 2 * 2 ** 30


def batched(inputs, settings):
    """The whole fast path: prepare the pool, re-tier every setting, the list metrics."""
    pool = se.candidate_pool(inputs.portfolio, inputs.policy, inputs.capacity())
    sw = se.sweep(pool, settings, se.policy_setting(inputs.policy))
    return sw, sw.metrics()


def loop(inputs, settings, rows):
    """Naive: the Foundation tiering of the whole portfolio, one setting at a time."""
    cap = inputs.capacity()
    out = []
    for i in rows:
        p = settings.policy(inputs.policy, i)
        out.append(assign_tiers(score(inputs.portfolio, p), p, cap).table["tier"].astype(str).to_numpy())
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--settings", type=int, default=10_000)
    ap.add_argument("--loop", type=int, default=20, help="settings run through the per-setting loop")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    inputs = load_inputs()
    settings = se.draw_settings(inputs.policy, args.settings, seed=2003)

    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        sw, metrics = batched(inputs, settings)
        times.append(time.perf_counter() - t0)
    fast = min(times)

    rows = np.linspace(0, args.settings - 1, args.loop).astype(int)
    t0 = time.perf_counter()
    ref = loop(inputs, settings, rows)
    per_setting = (time.perf_counter() - t0) / len(rows)
    agree = all((r == sw.tiers_of_all(i)).all() for r, i in zip(ref, rows))

    tracemalloc.start()
    batched(inputs, settings)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB

    n, m = args.settings, len(sw.pool)
    naive_total = per_setting * n
    print(f"portfolio {inputs.portfolio.shape[0]:,} customers, {m} candidates (Gold or Silver eligible)")
    print(f"batched sweep : {n:,} settings in {fast:.3f} s  ({n / fast:,.0f} settings/s, best of {args.repeat})")
    print(f"naive loop    : {per_setting * 1000:.1f} ms per setting ({len(rows)} run) "
          f"→ {naive_total:,.0f} s for {n:,}  ({1 / per_setting:,.1f} settings/s)")
    print(f"speed-up      : {naive_total / fast:,.0f}×")
    print(f"agreement     : {'exact' if agree else 'MISMATCH'} on {len(rows)} settings re-run through the Foundation")
    print(f"Gold swaps    : mean {metrics['gold_swaps'].mean():.2f}, max {metrics['gold_swaps'].max()}")
    print(f"peak memory   : {traced_peak / 2**20:,.0f} MiB allocated by the batched path (tracemalloc); "
          f"process peak RSS {rss_peak / 2**20:,.0f} MiB")
    ok = fast <= TARGET_SECONDS and rss_peak <= TARGET_PEAK_BYTES and agree
    print(f"target        : ≤ {TARGET_SECONDS:g} s and ≤ 2 GB → {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
