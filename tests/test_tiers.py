"""Eligibility (第11条) and selection (第12–13条), by hand and against the row-by-row oracle.

Thresholds written out from RULES.md §3 (not read from the code):
  Gold            long-term ≥ 50,000,000 | health ≥ 5,000,000 (LR ≤ 60 %) | non-health ≥ 1,000,000 (LR ≤ 40 %)
  Silver class A  ≥ 20,000,000           | ≥ 3,000,000                    | ≥ 500,000
  Silver class B  ≥ 10,000,000           | ≥ 2,000,000                    | ≥ 200,000
  Silver C and D  ≥ 5,000,000            | ≥ 1,000,000                    | ≥ 100,000
Bounds inclusive (以上 / 不高于 include the number).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import customers, raw_customers, tier_of
from tiermodel.errors import TiermodelError
from tiermodel.run_inputs import load_inputs
from tiermodel.policy import load_policy
from tiermodel.portfolio import validate_branches, validate_portfolio
from tiermodel.reference import tiers_naive
from tiermodel.scoring import score
from tiermodel.tiers import (assign_tiers, branch_capacity, criteria_label, eligibility_bits,
                             tier_counts)

THRESHOLDS = {  # (long-term, health, non-health) minimums [CNY/yr]
    "gold": (50_000_000, 5_000_000, 1_000_000),
    "A": (20_000_000, 3_000_000, 500_000),
    "B": (10_000_000, 2_000_000, 200_000),
    "C": (5_000_000, 1_000_000, 100_000),
    "D": (5_000_000, 1_000_000, 100_000),
}
HEALTH_CAP, NON_HEALTH_CAP = 0.60, 0.40


def _cases():
    """(tier/class, fields, expected bitmask) at and on either side of every bound."""
    for who, (long_min, health_min, non_min) in THRESHOLDS.items():
        yield who, {"long_term_std_premium": long_min}, 1
        yield who, {"long_term_std_premium": long_min - 1}, 0
        yield who, {"long_term_std_premium": long_min + 1}, 1
        yield who, {"health_premium": health_min, "health_loss_ratio": HEALTH_CAP}, 2
        yield who, {"health_premium": health_min - 1, "health_loss_ratio": 0.30}, 0
        yield who, {"health_premium": health_min + 1, "health_loss_ratio": 0.59}, 2
        yield who, {"health_premium": health_min, "health_loss_ratio": 0.6001}, 0
        yield who, {"non_health_premium": non_min, "non_health_loss_ratio": NON_HEALTH_CAP}, 4
        yield who, {"non_health_premium": non_min - 1, "non_health_loss_ratio": 0.10}, 0
        yield who, {"non_health_premium": non_min + 1, "non_health_loss_ratio": 0.39}, 4
        yield who, {"non_health_premium": non_min, "non_health_loss_ratio": 0.4001}, 0
        # criteria combine as a bitmask (any one qualifies)
        yield who, {"long_term_std_premium": long_min, "health_premium": health_min,
                    "health_loss_ratio": 0.2, "non_health_premium": non_min,
                    "non_health_loss_ratio": 0.2}, 7
        # a large premium does not rescue a loss ratio above the cap
        yield who, {"health_premium": health_min * 10, "health_loss_ratio": 0.61,
                    "non_health_premium": non_min * 10, "non_health_loss_ratio": 0.41}, 0


CASES = list(_cases())


@pytest.mark.parametrize("who, fields, bits", CASES,
                         ids=[f"{w}-{'-'.join(f'{k}={v}' for k, v in f.items())}" for w, f, _ in CASES])
def test_entry_criteria_at_and_around_each_bound(policy, who, fields, bits):
    branch_class = "C" if who == "gold" else who
    table = customers({**fields, "branch_class": branch_class})
    gold_bits, silver_bits = eligibility_bits(table, policy)
    got = gold_bits[0] if who == "gold" else silver_bits[0]
    assert got == bits


def test_rules_md_examples(tiered):
    result = tiered(
        # class B, 2.1M health at 59 %: ≥ 2,000,000 and ≤ 60 % → Silver-eligible
        {"customer_id": "B59", "branch": "Jinan", "branch_class": "B",
         "health_premium": 2_100_000, "health_loss_ratio": 0.59},
        # the same at 61 %: above the cap → not eligible
        {"customer_id": "B61", "branch": "Jinan", "branch_class": "B",
         "health_premium": 2_100_000, "health_loss_ratio": 0.61},
        # 5,000,000 health at exactly 60 % → Gold-eligible (bounds inclusive)
        {"customer_id": "G60", "health_premium": 5_000_000, "health_loss_ratio": 0.60},
    )
    t = result.table.set_index("customer_id")
    assert bool(t.loc["B59", "silver_eligible"]) and not t.loc["B61", "silver_eligible"]
    assert bool(t.loc["G60", "gold_eligible"])
    assert tier_of(result.table) == {"B59": "silver", "B61": "regular", "G60": "gold"}
    assert t.loc["G60", "gold_criteria"] == "health premium" == criteria_label(2)
    assert t.loc["B61", "reason"] == "Regular: meets no 第11条 criterion"


# ----------------------------------------------------------------------------- 30 + 10
def _existing(n, start=1):
    """n established customers E01.. with 50M + k×1M long-term premium (k = 0..n-1).

    All year 10, margin 0: 50–100M → 0.80, year 10 → 1.00, margin 0 → 0.30;
    value = 0.80×0.30 + 1.00×0.30×1.0 + 0.30×0.40 = 0.24 + 0.30 + 0.12 = 0.66 for all,
    so they rank by standard premium: E(n) first.
    """
    return [{"customer_id": f"E{k + start:02d}", "long_term_std_premium": 50_000_000 + k * 1_000_000}
            for k in range(n)]


def _new(n):
    """n new customers N01.. with 50M + k×1M long-term premium, year 1.

    value = 0.80×0.30 + 0.20×0.30×3.5 + 0.30×0.40 = 0.24 + 0.21 + 0.12 = 0.57.
    """
    return [{"customer_id": f"N{k + 1:02d}", "long_term_std_premium": 50_000_000 + k * 1_000_000,
             "effective_years": 1, "is_new": True} for k in range(n)]


def test_thirty_plus_ten_with_enough_candidates(tiered, policy):
    # a class-C branch with 10 Silver places (the default is now 20, 第25条; set here so that
    # the places run out inside the hand-made book)
    ten = policy.with_values({"silver_selection.capacity_per_class.C": 10}, note="test")
    result = tiered(*_existing(40), *_new(12), policy_=ten)
    table = result.table.set_index("customer_id")
    tiers = tier_of(result.table)
    gold = sorted(c for c, t in tiers.items() if t == "gold")
    # existing: the 30 largest premiums E11..E40; new: the 10 largest N03..N12
    assert gold == [f"E{k:02d}" for k in range(11, 41)] + [f"N{k:02d}" for k in range(3, 13)]
    assert table.loc["E40", "gold_rank"] == 1 and table.loc["E11", "gold_rank"] == 30
    assert table.loc["N12", "gold_rank"] == 1 and table.loc["N03", "gold_rank"] == 10
    assert table.loc["E10", "gold_rank"] == 31
    # the Gold-eligible left out are Silver candidates of their class-C branch (10 places):
    # E01..E10 (0.66) rank above N01, N02 (0.57) → E01..E10 Silver, N01 and N02 Regular
    assert [tiers[f"E{k:02d}"] for k in range(1, 11)] == ["silver"] * 10
    assert (tiers["N01"], tiers["N02"]) == ("regular", "regular")
    assert table.loc["E10", "branch_rank"] == 1 and table.loc["N01", "branch_rank"] == 12
    assert "beyond branch capacity" in table.loc["N01", "reason"]
    assert "outside the 10 new places" in table.loc["N01", "reason"]
    assert any("Gold: 30 existing + 10 new = 40" in n for n in result.notes)
    assert not any(n.startswith("Only") for n in result.notes)


def test_too_few_new_customers_leaves_places_empty(tiered):
    result = tiered(*_existing(40), *_new(4))
    gold = result.table[result.table["tier"] == "gold"]
    assert len(gold) == 34  # 30 existing + 4 new; 6 new places stay empty (assumed default)
    assert int(gold["is_new"].sum()) == 4
    assert any("Only 4 new customer(s)" in n and "6 place(s) unfilled" in n and "stay empty" in n
               for n in result.notes)


def test_too_few_new_customers_places_pass_to_existing_when_set(tiered, policy):
    pol = policy.with_values({"gold_selection.unfilled_new_places_go_to_existing": True})
    result = tiered(*_existing(40), *_new(4), policy_=pol)
    tiers = tier_of(result.table)
    # 30 + (10 − 4) = 36 existing places: E05..E40, plus N01..N04
    gold = sorted(c for c, t in tiers.items() if t == "gold")
    assert gold == [f"E{k:02d}" for k in range(5, 41)] + [f"N{k:02d}" for k in range(1, 5)]
    assert any("pass to existing customers" in n for n in result.notes)


def test_too_few_existing_candidates_is_noted(tiered):
    result = tiered(*_existing(20), *_new(10))
    assert (result.table["tier"] == "gold").sum() == 30  # 20 + 10
    assert any("Only 20 existing customer(s)" in n and "10 place(s) empty" in n for n in result.notes)


def test_no_candidates_at_all(tiered):
    result = tiered({}, {"health_premium": 10_000})
    assert tier_of(result.table) == {"C001": "regular", "C002": "regular"}
    assert any("Only 0 new customer(s)" in n for n in result.notes)
    assert any("Only 0 existing customer(s)" in n for n in result.notes)


# ----------------------------------------------------------------------------- ties
def test_tie_rule_value_index_then_premium_then_id(tiered, policy):
    pol = policy.with_values({"gold_selection.existing_places": 3, "gold_selection.new_places": 0})
    result = tiered(
        # 60M, 35 % margin: 0.80×0.30 + 1.00×0.30 + 1.00×0.40 = 0.94 — highest index, smallest premium
        {"customer_id": "C5", "long_term_std_premium": 55_000_000, "profit_margin": 0.35},
        # these four all 0.80×0.30 + 0.30 + 0.30×0.40 = 0.66
        {"customer_id": "C3", "long_term_std_premium": 60_000_000},
        {"customer_id": "C1", "long_term_std_premium": 60_000_000},
        {"customer_id": "C2", "long_term_std_premium": 70_000_000},
        {"customer_id": "C10", "long_term_std_premium": 60_000_000},
        policy_=pol,
    )
    t = result.table.set_index("customer_id")
    # C5 (0.94) · C2 (0.66, 70M) · then 60M: ids in text order C1 < C10 < C3
    ranks = t["gold_rank"].to_dict()
    assert ranks == {"C5": 1, "C2": 2, "C1": 3, "C10": 4, "C3": 5}
    assert tier_of(result.table) == {"C5": "gold", "C2": "gold", "C1": "gold",
                                     "C10": "silver", "C3": "silver"}
    assert t.loc["C10", "branch_rank"] == 1 and t.loc["C3", "branch_rank"] == 2


def test_order_of_rows_does_not_change_the_tiers(tiered, policy):
    rows = _existing(35) + _new(12)
    forward = tier_of(tiered(*rows).table)
    backward = tier_of(tiered(*rows[::-1]).table)
    assert forward == backward


# ----------------------------------------------------------------------------- branch capacity
BRANCHES = [("Beijing", "A"), ("Jinan", "B"), ("Hefei", "C"), ("Lhasa", "D")]


def test_default_capacity_by_class(policy):
    table = customers(*({"branch": b, "branch_class": c} for b, c in BRANCHES))
    cap = branch_capacity(table, policy)
    # assumed defaults A 40 · B 30 · C 20 · D 20 (第13条 leaves it to the branch; at least the
    # 20 Silver VIPs a branch head must revisit, 第25条)
    assert cap.to_dict() == {"Beijing": 40, "Hefei": 20, "Jinan": 30, "Lhasa": 20}


def test_branch_table_supplies_class_and_capacity(policy):
    branches = validate_branches(pd.DataFrame({
        "branch": [b for b, _ in BRANCHES], "branch_class": [c for _, c in BRANCHES],
        "silver_capacity": [None, 3, None, 1]}), "branches.csv")
    raw = raw_customers(*({"branch": b} for b, _ in BRANCHES)).drop(columns=["branch_class"])
    table = validate_portfolio(raw, "book.csv", branches)
    assert table["branch_class"].astype(str).tolist() == ["A", "B", "C", "D"]
    cap = branch_capacity(table, policy, branches)
    assert cap.to_dict() == {"Beijing": 40, "Hefei": 20, "Jinan": 3, "Lhasa": 1}


def _lhasa(n):
    """n Silver-eligible class-D customers L01.. with 1.0M + k×0.1M health at 50 %.

    1–5M → 0.20, year 10, margin 0: 0.20×0.30 + 0.30 + 0.12 = 0.48 for all → rank by premium.
    """
    return [{"customer_id": f"L{k + 1:02d}", "branch": "Lhasa", "branch_class": "D",
             "health_premium": 1_000_000 + k * 100_000, "health_loss_ratio": 0.50} for k in range(n)]


def test_silver_is_limited_by_branch_capacity(tiered):
    result = tiered(*_lhasa(7), capacity=pd.Series({"Lhasa": 5}))
    tiers = tier_of(result.table)
    # class D: 5 places → the 5 largest premiums L03..L07; L01, L02 Regular
    assert [tiers[f"L{k:02d}"] for k in range(1, 8)] == ["regular"] * 2 + ["silver"] * 5
    t = result.table.set_index("customer_id")
    assert t.loc["L07", "branch_rank"] == 1 and t.loc["L01", "branch_rank"] == 7
    assert t.loc["L01", "reason"].startswith("Regular: Silver-eligible") and \
        "beyond branch capacity" in t.loc["L01", "reason"]


def test_silver_capacity_override_and_scenario(tiered):
    cap = pd.Series({"Lhasa": 2})
    tiers = tier_of(tiered(*_lhasa(7), capacity=cap).table)
    assert sorted(c for c, t in tiers.items() if t == "silver") == ["L06", "L07"]
    doubled = load_policy("silver-capacity-doubled")  # class D 20 → 40
    result = tiered(*_lhasa(45), policy_=doubled)
    assert (result.table["tier"] == "silver").sum() == 40


def test_fewer_silver_candidates_than_places_is_noted(tiered):
    result = tiered(*_lhasa(3))
    assert (result.table["tier"] == "silver").sum() == 3
    assert any("fewer Silver candidates than Silver places" in n for n in result.notes)


def test_a_branch_without_capacity_is_refused(tiered):
    with pytest.raises(TiermodelError, match="Lhasa"):
        tiered(*_lhasa(2), capacity=pd.Series({"Hefei": 3}))


def test_tier_counts_have_totals(tiered):
    counts = tier_counts(tiered(*_lhasa(7), capacity=pd.Series({"Lhasa": 5})).table, "branch_class")
    assert counts.loc["total", "silver"] == 5 and counts.loc["total", "regular"] == 2
    assert counts.loc["total", "total"] == 7


# ----------------------------------------------------------------------------- the bundled sample
def test_bundled_sample_figures():
    # whole-pipeline figures of the sample (seed 2003, 20,000 customers) as documented
    table = load_inputs().tiering().table
    assert int(table["gold_eligible"].sum()) == 54
    assert int((table["gold_eligible"] & table["is_new"]).sum()) == 11
    assert int(table["silver_eligible"].sum()) == 575
    # Silver places A 40 · B 30 · C 20 · D 20 (assumed, 第25条): 520 Silver (423 with the
    # former 30/20/10/5); the independent count is in tests/test_policy.py
    assert table["tier"].value_counts().to_dict() == {"regular": 19_440, "silver": 520, "gold": 40}


# ----------------------------------------------------------------------------- properties
amounts = st.one_of(
    st.sampled_from([0.0, 99_999.0, 100_000.0, 200_000.0, 500_000.0, 1e6, 2e6, 3e6, 5e6, 1e7,
                     2e7, 5e7, 6e7]),
    st.floats(0, 1e8, allow_nan=False))
loss_ratios = st.one_of(st.sampled_from([0.0, 0.3999, 0.40, 0.4001, 0.5999, 0.60, 0.6001, 1.2]),
                        st.floats(0, 5, allow_nan=False))
row = st.fixed_dictionaries({
    "branch": st.sampled_from(range(len(BRANCHES))),
    "effective_years": st.integers(1, 12),
    "is_new": st.booleans(),
    "long_term_std_premium": amounts, "health_premium": amounts, "non_health_premium": amounts,
    "health_loss_ratio": loss_ratios, "non_health_loss_ratio": loss_ratios,
    "profit_margin": st.sampled_from([-0.1, 0.0, 0.05, 0.12, 0.3]),
})
BASE = load_policy()
SMALL = BASE.with_values({"gold_selection.existing_places": 3, "gold_selection.new_places": 2,
                          "silver_selection.capacity_per_class.A": 3,
                          "silver_selection.capacity_per_class.B": 2,
                          "silver_selection.capacity_per_class.C": 1,
                          "silver_selection.capacity_per_class.D": 0}, note="small")
SMALL_PASS = SMALL.with_values({"gold_selection.unfilled_new_places_go_to_existing": True}, note="pass")


def _table(rows):
    return customers(*({**r, "branch": BRANCHES[r["branch"]][0], "branch_class": BRANCHES[r["branch"]][1],
                        "customer_id": f"C{i}"} for i, r in enumerate(rows)))


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(row, min_size=1, max_size=40), which=st.sampled_from(["base", "small", "pass"]))
def test_vectorised_tiers_equal_the_row_by_row_oracle(rows, which):
    pol = {"base": BASE, "small": SMALL, "pass": SMALL_PASS}[which]
    table = _table(rows)
    cap = branch_capacity(table, pol)
    fast = assign_tiers(score(table, pol), pol, cap).table
    slow = tiers_naive(table, pol, cap.to_dict())
    assert fast["tier"].astype(str).tolist() == slow.tolist()
    # every customer gets exactly one tier
    assert len(fast) == len(table) and set(fast["tier"].astype(str)) <= {"gold", "silver", "regular"}
    # Gold within the places; Silver within each branch's capacity
    gs = pol.gold_selection
    assert (fast["tier"] == "gold").sum() <= gs.existing_places + gs.new_places
    silver = fast[fast["tier"] == "silver"].groupby("branch").size()
    assert (silver <= cap.reindex(silver.index)).all()


@settings(max_examples=15, deadline=None)
@given(n_existing=st.integers(0, 70), n_new=st.integers(0, 30), seed=st.integers(0, 1000))
def test_gold_never_exceeds_forty(n_existing, n_new, seed):
    rng = np.random.default_rng(seed)
    n = n_existing + n_new
    rows = [{"customer_id": f"C{i:03d}", "long_term_std_premium": float(rng.choice([5e7, 6e7, 1.2e8])),
             "profit_margin": float(rng.choice([0.0, 0.12, 0.35])), "is_new": i >= n_existing,
             "effective_years": 1 if i >= n_existing else int(rng.integers(2, 12))} for i in range(n)]
    if not rows:
        return
    table = assign_tiers(score(customers(*rows), BASE), BASE).table
    n_gold = int((table["tier"] == "gold").sum())
    # every one is Gold-eligible (≥ 50M long-term): Gold = min(30, existing) + min(10, new) ≤ 40
    assert n_gold == min(30, n_existing) + min(10, n_new) <= 40
    assert table["tier"].notna().all()
