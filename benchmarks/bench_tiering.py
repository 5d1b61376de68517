"""Score and tier 1,000,000 synthetic customers; compare with a row-by-row baseline.

Target (issue 2, this 2-core machine): 1M customers scored and tiered in ≤ 0.1 s
(≥ 10M customers/s, ≥ 1,000× the naive baseline), peak memory ≤ 1 GB.

Run: .venv/bin/python benchmarks/bench_tiering.py [--customers N] [--naive N]
"""
from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import pandas as pd

from _timing import best_of
from tiermodel import scoring as sc
from tiermodel.policy import BRANCH_CLASSES, load_policy
from tiermodel.portfolio import sample_arrays, sample_branches, sample_portfolio
from tiermodel.reference import score_naive, tiers_naive
from tiermodel.tiers import (assign_tiers, branch_capacity, candidate_id_rank, criteria_met,
                             select, silver_bits)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--naive", type=int, default=20_000, help="customers for the row-by-row baseline")
    args = ap.parse_args()
    n = args.customers
    policy = load_policy()
    a = sample_arrays(n, seed=1)
    branches = sample_branches()
    cls_code = pd.Categorical(a["branch_class"], categories=BRANCH_CLASSES).codes
    cap_per_class = policy.silver_selection.capacity_per_class
    capacity = branches["branch_class"].map(lambda c: getattr(cap_per_class, c)).to_numpy()
    ids = np.array([f"C{i:07d}" for i in range(n)])
    f, g = policy.standard_premium, policy.eligibility.gold
    gs = policy.gold_selection
    lt, h, hlr, nh, nhlr = (a[k] for k in ("long_term_std_premium", "health_premium",
                                           "health_loss_ratio", "non_health_premium",
                                           "non_health_loss_ratio"))

    def score_and_tier():
        std = lt * f.long_term_factor + h * f.health_factor + nh * f.non_health_factor
        years = a["effective_years"]
        value = sc.value_index(std, years, a["profit_margin"], policy)
        gold_bits = criteria_met(lt, h, hlr, nh, nhlr, g.long_term_std_premium_min,
                                 g.health_premium_min, g.health_loss_ratio_max,
                                 g.non_health_premium_min, g.non_health_loss_ratio_max)
        silver = silver_bits(lt, h, hlr, nh, nhlr, cls_code, policy)
        id_rank = candidate_id_rank(ids, (gold_bits | silver) != 0)
        return select(value, std, id_rank, a["is_new"], gold_bits, silver, a["branch_code"],
                      capacity, gs.existing_places, gs.new_places, gs.unfilled_new_places_go_to_existing)

    t_core, (tier, _, _) = best_of(score_and_tier)
    counts = np.bincount(tier, minlength=3)
    peak_core_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # the DataFrame path an actuary calls: score() + assign_tiers() with reasons and labels
    df = pd.DataFrame({k: v for k, v in a.items() if k not in ("branch_code", "branch_class")})
    df.insert(0, "customer_id", ids)
    df["branch"] = branches["branch"].to_numpy()[a["branch_code"]]
    df["branch_class"] = pd.Categorical(a["branch_class"], categories=BRANCH_CLASSES)
    df["standard_premium"] = np.nan
    cap = branch_capacity(df, policy)
    t_frame, result = best_of(lambda: assign_tiers(sc.score(df, policy), policy, cap), repeat=3)
    assert (result.table["tier"].cat.codes.to_numpy() == tier).all()

    # naive baseline, same run: row-by-row apply on a subset
    small = sample_portfolio(seed=1, n_customers=args.naive)
    t0 = time.perf_counter()
    score_naive(small, policy)
    t_naive_score = time.perf_counter() - t0
    t0 = time.perf_counter()
    tiers_naive(small, policy, branch_capacity(small, policy).to_dict())
    t_naive = t_naive_score + (time.perf_counter() - t0)

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate_core, rate_frame, rate_naive = n / t_core, n / t_frame, args.naive / t_naive
    print(f"customers                 {n:>12,}   tiers gold/silver/regular = {counts[0]}/{counts[1]}/{counts[2]}")
    print(f"arrays: score + tier      {t_core * 1e3:>9.1f} ms   {rate_core / 1e6:8.2f} M customers/s   (target ≤ 100 ms, ≥ 10 M/s)")
    print(f"frames: score()+assign_tiers() {t_frame * 1e3:>4.0f} ms   {rate_frame / 1e6:8.2f} M customers/s   (with reasons, labels)")
    print(f"naive row-by-row apply    {t_naive * 1e3:>9.1f} ms   {rate_naive / 1e3:8.1f} k customers/s   (on {args.naive:,})")
    print(f"speed-up arrays / naive   {rate_core / rate_naive:>12,.0f}×   (target ≥ 1,000×)")
    print(f"speed-up frames / naive   {rate_frame / rate_naive:>12,.0f}×")
    print(f"peak memory (RSS)         {peak_core_mb:>9.0f} MB after the array path, {peak_mb:.0f} MB with the "
          f"DataFrame path (target ≤ 1,024 MB)")


if __name__ == "__main__":
    main()
