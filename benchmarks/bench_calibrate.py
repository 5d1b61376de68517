"""Full threshold calibration on the 20,000-customer sample; compare with a naive baseline.

Target (issue 3): every tier and class solved, count curves at 200 points each, in ≤ 1 s.

"Full calibration" = score the book, diagnostics of the thresholds in force (candidates per
class, criteria overlap, Gold pool excess, margin at the Gold cut), the 5 groups solved by
one scale factor, count curves for 5 groups × 6 parameters × 200 points, the 附表1–3 edges
fitted, and the candidate counts re-checked under the calibrated policy.

Naive baseline: the same count curves by re-running ``eligibility_bits`` (vectorised over
customers, but once per curve point) — what one would write without the order statistics —
timed on the Gold scale curve alone and scaled up to all 30 curves.

Run: .venv/bin/python benchmarks/bench_calibrate.py [--points 200]
"""
from __future__ import annotations

import argparse
import resource
import tracemalloc

import numpy as np

from _timing import best_of
from tiermodel import calibrate as cb
from tiermodel.run_inputs import load_inputs
from tiermodel.scoring import score
from tiermodel.tiers import eligibility_bits


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=200)
    args = ap.parse_args()
    inputs = load_inputs()
    policy, book = inputs.policy, inputs.portfolio
    capacity = inputs.capacity()

    def full():
        scored = score(book, policy)
        tiering = inputs.tiering()
        diag = (cb.candidate_table(tiering), cb.criteria_overlap(tiering),
                cb.gold_pool_excess(tiering, policy), cb.gold_cut_margin(tiering))
        targets = cb.default_targets(scored, policy, capacity)
        cal = cb.solve_thresholds(scored, policy, targets)
        curves = cb.count_curves(scored, policy, n_points=args.points)
        fitted = cb.fitted_tables(scored, policy)
        counts = cb.candidate_counts(scored, cal.policy)
        return cal, curves, fitted, counts, diag

    full()  # warm-up (imports, caches)
    t_full, (cal, curves, fitted, counts, _) = best_of(full)
    tracemalloc.start()  # memory in a separate run: tracing slows the code down
    full()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    scored = score(book, policy)
    factors = np.geomspace(0.1, 10.0, args.points)
    g = policy.eligibility.gold

    def naive_gold_scale_curve():
        out = []
        for f in factors:
            p = policy.with_values({"eligibility.gold.long_term_std_premium_min": g.long_term_std_premium_min * f,
                                    "eligibility.gold.health_premium_min": g.health_premium_min * f,
                                    "eligibility.gold.non_health_premium_min": g.non_health_premium_min * f},
                                   note="bench")
            out.append(int(np.count_nonzero(eligibility_bits(scored, p)[0])))
        return out

    t_naive_one, naive_counts = best_of(naive_gold_scale_curve, repeat=1)
    fast_counts = curves[(curves["group"] == "gold") & (curves["parameter"] == "scale")]["candidates"].tolist()
    n_curves = curves.groupby(["group", "parameter"]).ngroups
    t_curves, _ = best_of(lambda: cb.count_curves(scored, policy, n_points=args.points))
    # the whole analysis as notebook 02 and `tiermodel calibrate --fit-tables` run it: the above,
    # plus each criterion alone, the Gold list under the fitted tables and a second solve after them
    t_book, _ = best_of(lambda: cb.calibrate_book(book, policy, capacity, fit_tables=True,
                                                  curve_points=args.points))

    print(f"book: {len(book):,} customers; {n_curves} count curves × {args.points} points")
    print(f"full calibration (score, diagnostics, solve 5 groups, curves, 附表 fit, check): "
          f"{t_full * 1000:.1f} ms   target ≤ 1000 ms   {'OK' if t_full <= 1 else 'MISSED'}")
    print(f"calibrate_book (everything notebook 02 shows, tables fitted): {t_book * 1000:.1f} ms")
    print(f"count curves alone: {t_curves * 1000:.1f} ms "
          f"({n_curves * args.points / t_curves:,.0f} curve points/s)")
    naive_all = t_naive_one * n_curves
    print(f"naive baseline (re-evaluate eligibility per point): {t_naive_one * 1000:.0f} ms for one "
          f"curve → ~{naive_all:.1f} s for {n_curves} curves "
          f"({args.points / t_naive_one:,.0f} points/s); speed-up of the curves ≈ {naive_all / t_curves:,.0f}×")
    print(f"naive and exact Gold scale curve agree: {naive_counts == fast_counts}")
    print(f"targets met: {counts}")
    print(f"peak traced memory of one full calibration: {peak / 2**20:.1f} MiB; "
          f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
