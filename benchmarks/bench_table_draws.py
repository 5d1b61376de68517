"""Re-tier Gold and Silver under thousands of plausible 附表1–3; compare with a per-draw loop.

Targets (issue 15, this 2-core machine): 4,096 table draws × the 20,000-customer sample,
re-tiered with exact ties, in ≤ 2 s; 10,000 draws × 1,000,000 customers in ≤ 60 s and
≤ 4 GB. The baseline is the Foundation run once per draw —
``assign_tiers(score(df, draws.policy(policy, i)))`` — timed on a few draws in the same run
and scaled to the same count; its tiers are compared with the batched ones.

Run: .venv/bin/python benchmarks/bench_table_draws.py [--draws 4096] [--customers 20000]
     .venv/bin/python benchmarks/bench_table_draws.py --draws 10000 --customers 1000000 --repeat 1
"""
from __future__ import annotations

import argparse
import resource
import time

import numpy as np

from tiermodel import sensitivity as se
from tiermodel.portfolio import sample_branches, sample_portfolio, validate_branches, validate_portfolio
from tiermodel.run_inputs import load_inputs
from tiermodel.scoring import score
from tiermodel.tiers import assign_tiers, branch_capacity

TARGETS = {20_000: (2.0, 4 * 2 ** 30), 1_000_000: (60.0, 4 * 2 ** 30)}


def batched(portfolio, policy, capacity, tables):
    """The whole fast path: candidate pool, measures, every draw re-tiered, list metrics."""
    pool = se.candidate_pool(portfolio, policy, capacity)
    measures = se.candidate_measures(pool)
    base = se.policy_setting(policy)
    tier = se.sweep_tables(pool, measures, tables, base)
    baseline = se.sweep_tables(pool, measures, se.policy_tables(policy), base)[0]
    return pool, tier, se.list_metrics(tier, baseline)


def loop(portfolio, policy, capacity, tables, rows):
    """Naive: the Foundation tiering of the whole portfolio, one draw at a time."""
    out = []
    for i in rows:
        p = tables.policy(policy, i)
        out.append(assign_tiers(score(portfolio, p), p, capacity).table["tier"].astype(str).to_numpy())
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=4096)
    ap.add_argument("--customers", type=int, default=20_000)
    ap.add_argument("--loop", type=int, default=20, help="draws run through the per-draw loop")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--band-counts", choices=["fixed", "varied"], default=None)
    args = ap.parse_args()
    inputs = load_inputs()
    policy = inputs.policy
    if args.customers == len(inputs.portfolio):
        portfolio, capacity = inputs.portfolio, inputs.capacity()
    else:
        branches = validate_branches(sample_branches(), "sample branches")
        portfolio = validate_portfolio(sample_portfolio(inputs.seed, args.customers),
                                       f"sample({args.customers})", branches)
        capacity = branch_capacity(portfolio, policy, branches)
    tables = se.draw_tables(policy, args.draws, seed=2003, band_counts=args.band_counts)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        pool, tier, metrics = batched(portfolio, policy, capacity, tables)
        times.append(time.perf_counter() - t0)
    fast = min(times)
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB

    rows = np.linspace(0, args.draws - 1, args.loop).astype(int)
    t0 = time.perf_counter()
    ref = loop(portfolio, policy, capacity, tables, rows)
    per_draw = (time.perf_counter() - t0) / len(rows)
    names = np.asarray(se.engine.TIERS, dtype=object)
    agree = all((r[pool.position] == names[tier[i]]).all() and
                (np.delete(r, pool.position) == "regular").all() for r, i in zip(ref, rows))

    n, m = args.draws, len(pool)
    naive_total = per_draw * n
    seconds, memory = TARGETS.get(args.customers, (None, 4 * 2 ** 30))
    print(f"portfolio {len(portfolio):,} customers, {m:,} candidates (Gold or Silver eligible); "
          f"tables {'/'.join(map(str, tables.band_counts().max(axis=0)))} bands at most")
    print(f"batched sweep : {n:,} table draws in {fast:.3f} s  ({n / fast:,.0f} draws/s, "
          f"{n * m / fast / 1e6:,.0f} M candidate-draws/s, best of {args.repeat})")
    print(f"naive loop    : {per_draw * 1000:.1f} ms per draw ({len(rows)} run) "
          f"→ {naive_total:,.0f} s for {n:,}  ({1 / per_draw:,.1f} draws/s)")
    print(f"speed-up      : {naive_total / fast:,.0f}×")
    print(f"agreement     : {'exact' if agree else 'MISMATCH'} on {len(rows)} draws re-run through assign_tiers")
    print(f"Gold swaps    : mean {metrics['gold_swaps'].mean():.2f}, max {metrics['gold_swaps'].max()} "
          f"against the assumed tables")
    print(f"peak memory   : process peak RSS {rss_peak / 2**20:,.0f} MiB "
          f"({rss_before / 2**20:,.0f} MiB before the sweep: portfolio and inputs)")
    if seconds is not None:
        ok = fast <= seconds and rss_peak <= memory and agree
        print(f"target        : ≤ {seconds:g} s and ≤ {memory / 2**30:g} GB → {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
