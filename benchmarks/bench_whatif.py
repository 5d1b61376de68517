"""One lever of the what-if explorer moved: re-tier, compare and price 1,000,000 customers (and the
20,000-customer sample) against a base computed once, beside a full `compare_tierings` +
`forecast_budget` call on the same setting and the floor (tiering the book once).

Targets (issue 27, this 2-core machine): one change ≤ 1 s on 1,000,000 customers, ≤ 0.3 s on the
sample.

Run: .venv/bin/python benchmarks/bench_whatif.py [--customers N] [--sims N]
"""
from __future__ import annotations

import argparse

from _timing import best_of
from bench_compare import book
from tiermodel import budget
from tiermodel.compare import compare_tierings
from tiermodel.compare.whatif import WhatIf
from tiermodel.policy import load_policy
from tiermodel.portfolio import load_sample
from tiermodel.scoring import score
from tiermodel.tiers import assign_tiers, branch_capacity


def levers(w: WhatIf) -> dict[str, dict]:
    """The issue's three questions: a branch's Silver places +30, K2 for year 4+ at 1.2, the
    Gold health-premium bar at 400 万元."""
    t = w.base.table
    left_out = t[t["silver_eligible"] & (t["tier"] == "regular")].groupby("branch", observed=True).size()
    branch = str(left_out.idxmax())  # the branch where 30 more places bring most customers in
    return {"Silver places +30 (one branch)": {f"silver_places.{branch}": int(w.capacity[branch]) + 30},
            "K2 year 4+ = 1.2": {"value_index.k2.year_4_plus": 1.2},
            "Gold health bar 400 万元": {"eligibility.gold.health_premium_min": 4_000_000.0}}


def full_call(df, base, policy, changes, sims: int):
    """What a scenario answer costs without the explorer: tier under the changed policy, the full
    comparison (with its budget) and the budget forecast."""
    scen_policy = policy.with_values(changes)
    scen = assign_tiers(score(df, scen_policy), scen_policy, branch_capacity(df, scen_policy))
    cmp = compare_tierings(base, scen, policy, scen_policy)
    fc = budget.forecast_budget(scen.table, scen_policy, n_sims=sims)
    return cmp, fc


def run(label: str, df, sims: int, repeat: int) -> None:
    policy = load_policy()
    t_init, w = best_of(lambda: WhatIf(df, policy), repeat=1)
    cap = branch_capacity(df, policy)
    t_floor, base = best_of(lambda: assign_tiers(score(df, policy), policy, cap), repeat=repeat)
    print(f"{label}: {len(df):,} customers; base computed once in {t_init:.2f} s; floor (score + tier once) "
          f"{t_floor:.3f} s")
    for name, changes in levers(w).items():
        t, r = best_of(lambda: w.apply(changes), repeat=repeat)
        line = f"  {name:<32} what-if {t:.3f} s ({len(r.movers):,} movers, budget {r.budget_change / 1e4:+,.1f} 万元)"
        if "Silver places" not in name:  # the full call takes policy parameters only
            t_full, _ = best_of(lambda: full_call(df, base, policy, changes, sims), repeat=1)
            line += f"; full compare_tierings + forecast_budget ({sims:,} sims) {t_full:.2f} s, {t_full / t:.0f}×"
        print(line)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--sims", type=int, default=100_000, help="years simulated by forecast_budget in the full call (its default)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    run("sample", load_sample(), args.sims, args.repeat)
    run("book", book(args.customers), args.sims, args.repeat)


if __name__ == "__main__":
    main()
