"""Build the year under review (nominations, overrides, every customer's approval date, service
start, months and reading) for 1,000,000 customers, beside the current path and the floor.

Target (issue 22, this 2-core machine): ≤ 1 s for 1,000,000 customers.

* ``review_year`` — :func:`tiermodel.compare.review_year`: the one result every page takes;
* each on its own — the budget's ``vip_table`` and the assessment's ``vip_start_dates`` given
  a bare tier list, each working the dates out again (their path before the year under
  review, now through the same kernel);
* floor — the one vectorised date kernel alone (:func:`tiermodel.service_period.service_dates`).

Run: .venv/bin/python benchmarks/bench_service_year.py [--customers N]
"""
from __future__ import annotations

import argparse

import numpy as np

from _timing import best_of
from bench_compare import book
from tiermodel.assess.compliance import vip_start_dates
from tiermodel.budget import vip_table
from tiermodel.compare import review_year
from tiermodel.policy import load_policy
from tiermodel.portfolio import sample_branches
from tiermodel.scoring import score
from tiermodel.service_period import previous_tier_codes, service_dates
from tiermodel.tiers import assign_tiers, branch_capacity


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=1_000_000)
    args = ap.parse_args()
    policy = load_policy()
    df = book(args.customers)
    tiering = assign_tiers(score(df, policy), policy, branch_capacity(sample_branches(), policy))
    t = tiering.table
    tier = t["tier"].cat.codes.to_numpy().astype(np.int8)
    is_new = t["is_new"].to_numpy(dtype=bool)
    nat = np.full(len(t), np.datetime64("NaT"), dtype="datetime64[D]")

    built, year = best_of(lambda: review_year(tiering, policy, 2026), repeat=3)

    def current():  # each consumer working the dates out on its own, as before
        vip_table(t, policy)
        vip_start_dates(t[["customer_id", "tier", "is_new"]], policy, 2026)

    was, _ = best_of(current, repeat=3)
    floor, _ = best_of(lambda: service_dates(tier, previous_tier_codes(tier, is_new, policy), is_new, nat,
                                             2026, policy), repeat=3)
    vips = int((tier < 2).sum())
    print(f"{args.customers:,} customers, {vips:,} VIPs")
    print(f"review_year (the year under review, once): {built:6.3f} s   target ≤ 1 s")
    print(f"each on its own (budget months + assessment starts from a bare list): {was:6.3f} s")
    print(f"floor (the date kernel alone): {floor:6.3f} s")
    print(year.counts().to_string(index=False))


if __name__ == "__main__":
    main()
