"""Compare two tierings of 1,000,000 customers with reasons; project the 20,000-customer sample
3 years with its budget. Each beside a naive per-customer loop and the floor, in one run.

Targets (issue 12, this 2-core machine): comparison with reasons ≤ 1 s; 3-year projection of
the sample, budget included, ≤ 3 s.

Run: .venv/bin/python benchmarks/bench_compare.py [--customers N] [--naive N]
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from _timing import best_of
from tiermodel.compare import compare_tierings, project_years, year_over_year
from tiermodel.history import history_from_tiering
from tiermodel.compare.changes import STATE_EN
from tiermodel.policy import BRANCH_CLASSES, load_policy
from tiermodel.portfolio import sample_arrays, sample_branches, sample_portfolio, validate_portfolio
from tiermodel.scoring import score
from tiermodel.tiers import assign_tiers, branch_capacity


def book(n: int) -> pd.DataFrame:
    a = sample_arrays(n, seed=1)
    branches = sample_branches()
    df = pd.DataFrame({k: v for k, v in a.items() if k not in ("branch_code", "branch_class")})
    df.insert(0, "customer_id", np.array([f"C{i:07d}" for i in range(n)], dtype=object))
    df["branch"] = branches["branch"].to_numpy()[a["branch_code"]]
    df["branch_class"] = pd.Categorical(a["branch_class"], categories=BRANCH_CLASSES)
    df["standard_premium"] = np.nan
    return df


def naive_compare(base: pd.DataFrame, scen: pd.DataFrame) -> list[str]:
    """Per-customer loop: look each customer up, compare tiers, write a reason."""
    after = {r["customer_id"]: r for r in scen[["customer_id", "tier", "value_index", "gold_eligible",
                                                "silver_eligible"]].to_dict("records")}
    order = {"gold": 0, "silver": 1, "regular": 2}
    out = []
    for r in base[["customer_id", "tier", "value_index"]].to_dict("records"):
        a = after.get(r["customer_id"])
        if a is None:
            out.append("left the book")
        elif a["tier"] == r["tier"]:
            out.append("")
        else:
            lost = order[a["tier"]] > order[r["tier"]]
            crit = not (a["gold_eligible"] if r["tier"] == "gold" else a["silver_eligible"]) if lost else False
            out.append(f"{STATE_EN[order[r['tier']]]} → {STATE_EN[order[a['tier']]]}: "
                       f"{'criterion lost' if crit else 'value index'} {r['value_index']:.4f}→{a['value_index']:.4f}")
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--naive", type=int, default=100_000, help="customers for the per-customer loop")
    args = ap.parse_args()
    n = args.customers
    base_policy, scen_policy = load_policy(), load_policy("weights-equal")
    df = book(n)
    base = assign_tiers(score(df, base_policy), base_policy, branch_capacity(df, base_policy))
    scen = assign_tiers(score(df, scen_policy), scen_policy, branch_capacity(df, scen_policy))

    t_cmp, cmp = best_of(lambda: compare_tierings(base, scen, base_policy, scen_policy, with_budget=False), repeat=3)
    t_tables, _ = best_of(cmp.tables, repeat=3)
    t_floor, _ = best_of(lambda: (base.table["tier"].cat.codes.to_numpy() != scen.table["tier"].cat.codes.to_numpy()).sum())
    moved = int((cmp.table["change"] != "same").sum())
    t0 = time.perf_counter()
    naive_compare(base.table.iloc[:args.naive], scen.table.iloc[:args.naive])
    t_naive = (time.perf_counter() - t0) * n / args.naive

    # last year's list against this year's: 10 % of this year's book new, everyone a year older
    last_book = df.sample(frac=0.9, random_state=1).sort_index().reset_index(drop=True)
    this_book = df.assign(effective_years=df["effective_years"] + 1)
    last = history_from_tiering(assign_tiers(score(last_book, base_policy), base_policy,
                                             branch_capacity(last_book, base_policy)).table, 2025)
    this = assign_tiers(score(this_book, base_policy), base_policy, branch_capacity(this_book, base_policy))
    t_yoy, yoy = best_of(lambda: year_over_year(last, this, base_policy, this_year=2026), repeat=2)

    policy = load_policy()
    sample = validate_portfolio(sample_portfolio(), "sample")
    t_proj, proj = best_of(lambda: project_years(sample, policy, 3, 2026, seed=2003), repeat=3)
    t_tier, _ = best_of(lambda: assign_tiers(score(sample, policy), policy, branch_capacity(sample, policy)))
    # naive: age the book row by row (dict per customer) before each re-tiering
    t0 = time.perf_counter()
    rows = sample.to_dict("records")
    rng = np.random.default_rng(1)
    for _ in range(2):
        for r in rows:
            r["effective_years"] += 1
            r["is_new"] = False
            for c in ("long_term_std_premium", "health_premium", "non_health_premium"):
                r[c] = round(r[c] * 1.05 * rng.lognormal(-0.005, 0.1))
        aged = pd.DataFrame(rows)
        assign_tiers(score(aged, policy), policy, branch_capacity(aged, policy))
    t_naive_proj = time.perf_counter() - t0 + t_proj  # + the vectorised rest, for the same output

    print(f"customers compared         {n:>12,}   {moved:,} change tier under weights-equal")
    print(f"compare_tierings + reasons {t_cmp * 1e3:>9.0f} ms   (target ≤ 1,000 ms)")
    print(f"  + .tables() (sheets)     {t_tables * 1e3:>9.0f} ms")
    print(f"floor: compare tier codes  {t_floor * 1e3:>9.1f} ms")
    print(f"naive per-customer loop    {t_naive * 1e3:>9.0f} ms   (measured on {args.naive:,}, scaled)"
          f"   speed-up {t_naive / t_cmp:,.0f}×")
    print(f"year over year, 1,000,000  {t_yoy * 1e3:>9.0f} ms   (10 % new customers, everyone a year older; "
          f"{int((yoy.table['change'] != 'same').sum()):,} changes)")
    print(f"3-year projection, 20,000  {t_proj * 1e3:>9.0f} ms   with 附件七 budget each year (target ≤ 3,000 ms); "
          f"VIPs {proj.counts[['gold', 'silver']].sum(axis=1).tolist()}")
    print(f"floor: tier the book once  {t_tier * 1e3:>9.0f} ms")
    print(f"naive row-by-row ageing    {t_naive_proj * 1e3:>9.0f} ms")


if __name__ == "__main__":
    main()
