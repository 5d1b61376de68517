"""Service delivery (issue 13): 1,000,000 delivery rows checked against the 第18–19条 minimum
frequencies, with executive attendance, the 附件二 quarterly record and the 附件七 variance,
beside a per-customer loop in the same run.

Target (issue 13): ≤ 2 s for 1,000,000 rows (minimum frequencies + quarterly record).
The floor is reading the validated table's customer and service columns once (``get_indexer``).

Run: .venv/bin/python benchmarks/bench_delivery.py [--vips N] [--naive N]
"""
from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from _timing import best_of
from tiermodel import events
from tiermodel.assess import delivery
from tiermodel.budget.services import catalogue
from tiermodel.policy import load_policy

YEAR = 2025


def vip_book(n: int, seed: int = 1) -> pd.DataFrame:
    """A synthetic VIP book: ``n`` customers, 1 Gold in 12, 40 branches, 1–2 key persons each."""
    rng = np.random.default_rng(seed)
    branch = rng.integers(0, 40, n)
    return pd.DataFrame({
        "customer_id": [f"V{i:07d}" for i in range(n)], "branch": [f"B{b:02d}" for b in branch],
        "branch_class": np.array(list("ABCD"))[branch % 4], "is_new": rng.random(n) < 0.1,
        "tier": np.where(rng.random(n) < 1 / 12, "gold", "silver"),
        "first_service_objects": rng.integers(1, 3, n), "second_service_objects": rng.integers(1, 3, n),
        "approval_month": np.where(rng.random(n) < 0.2, rng.integers(1, 12, n), np.nan)})


def naive_shortfalls(d: pd.DataFrame, vips: pd.DataFrame, req: pd.DataFrame) -> dict:
    """Customer by customer: filter its rows, count each service, compare with the minimum."""
    out = {}
    for cid, tier in zip(vips["customer_id"], vips["tier"]):
        rows = d[d["customer_id"] == cid]
        got = rows["service"].replace("revisit", f"revisit_{tier}").value_counts()
        missing = {s: int(req.at[cid, s] - got.get(s, 0)) for s in req.columns if req.at[cid, s] > got.get(s, 0)}
        if missing:
            out[cid] = missing
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000, help="delivery rows")
    ap.add_argument("--vips", type=int, default=40_000, help="VIPs (about 26 deliveries each)")
    ap.add_argument("--naive", type=int, default=300, help="customers for the per-customer loop")
    args = ap.parse_args()
    policy = load_policy()
    book = vip_book(args.vips)
    ex = events.validate_executives(events.sample_executives(book["branch"], 4), "ex", book["branch"])
    costs = catalogue(policy)["unit_cost_base_cny"].to_dict()
    raw = events.sample_delivery(book, costs, ex, seed=1, year=YEAR)
    raw = raw.head(args.rows)  # sorted by customer: the last customers lose their later rows
    d = raw.assign(cost_cny=raw["cost_cny"].astype(float))  # as validate_delivery returns it
    n = len(d)

    t_floor, _ = best_of(lambda: pd.Index(book["customer_id"]).get_indexer(d["customer_id"]), repeat=3)
    t_fast, check = best_of(lambda: delivery.check_delivery(d, book, ex, policy, YEAR), repeat=3)
    print(f"delivery check : {n:,} rows, {len(book):,} VIPs in {t_fast:.3f} s = {n / t_fast:,.0f} rows/s "
          f"(minima, attendance, 附件二 record, 附件七 variance); target ≤ 2 s")
    print(f"  floor        : customer codes of {n:,} rows in {t_floor:.3f} s")
    print(f"  {len(check.below_standard):,} VIPs below standard; 附件二 form {check.annex2.shape[0]:,} rows")

    sub = book.head(args.naive)
    vips = check.vips.set_index("customer_id").loc[sub["customer_id"]].reset_index()
    part = d[d["customer_id"].isin(set(sub["customer_id"]))]
    t_naive, slow = best_of(lambda: naive_shortfalls(part, vips, check.required.loc[sub["customer_id"]]), repeat=1)
    fast = check.shortfalls[check.shortfalls["customer_id"].isin(set(sub["customer_id"]))]
    fast = {c: dict(zip(g["service"], g["missing"].astype(int))) for c, g in fast.groupby("customer_id")}
    assert fast == slow, "vectorised shortfalls disagree with the per-customer loop"
    per_vip = t_naive / args.naive
    print(f"  naive loop   : {args.naive:,} customers in {t_naive:.3f} s -> {per_vip * len(book):,.1f} s "
          f"for the book (speed-up {per_vip * len(book) / t_fast:,.0f}x)")


if __name__ == "__main__":
    main()
