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

from conftest import customers, examples, raw_customers, tier_of
from tiermodel.errors import TiermodelError
from tiermodel.run_inputs import load_inputs
from tiermodel.policy import load_policy
from tiermodel.notes import note
from tiermodel.present.messages import render
from tiermodel.portfolio import validate_branches, validate_portfolio
from tiermodel.reference import tiering_naive, tiers_naive
from tiermodel.scoring import score
from tiermodel.tiers import (GOLD_LIST_COLUMNS, assign_tiers, branch_capacity, candidate_id_rank,
                             criteria_label, cut_lines, eligibility_bits, tier_counts)

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
    assert any("Gold: 30 existing + 10 new = 40" in n for n in _en(result))
    assert not any(n.startswith("Only") for n in _en(result))


def test_too_few_new_customers_leaves_places_empty(tiered):
    result = tiered(*_existing(40), *_new(4))
    gold = result.table[result.table["tier"] == "gold"]
    assert len(gold) == 34  # 30 existing + 4 new; 6 new places stay empty (assumed default)
    assert int(gold["is_new"].sum()) == 4
    assert any("Only 4 new customer(s)" in n and "6 place(s) unfilled" in n and "stay empty" in n
               for n in _en(result))


def test_too_few_new_customers_places_pass_to_existing_when_set(tiered, policy):
    pol = policy.with_values({"gold_selection.unfilled_new_places_go_to_existing": True})
    result = tiered(*_existing(40), *_new(4), policy_=pol)
    tiers = tier_of(result.table)
    # 30 + (10 − 4) = 36 existing places: E05..E40, plus N01..N04
    gold = sorted(c for c, t in tiers.items() if t == "gold")
    assert gold == [f"E{k:02d}" for k in range(5, 41)] + [f"N{k:02d}" for k in range(1, 5)]
    assert any("pass to existing customers" in n for n in _en(result))


def test_too_few_existing_candidates_is_noted(tiered):
    result = tiered(*_existing(20), *_new(10))
    assert (result.table["tier"] == "gold").sum() == 30  # 20 + 10
    assert any("Only 20 existing customer(s)" in n and "10 place(s) empty" in n for n in _en(result))


def test_no_candidates_at_all(tiered):
    result = tiered({}, {"health_premium": 10_000})
    assert tier_of(result.table) == {"C001": "regular", "C002": "regular"}
    assert any("Only 0 new customer(s)" in n for n in _en(result))
    assert any("Only 0 existing customer(s)" in n for n in _en(result))


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


def test_numeric_ids_tied_go_in_the_documented_text_order(tiered, policy):
    # Issue 24: 35 existing customers with ids "1"…"35", all 60M long-term premium, year 10,
    # margin 0: value 0.80×0.30 + 1.00×0.30 + 0.30×0.40 = 0.66 and premium equal — a 35-way tie
    # for the 30 existing places, decided by the id as text (silver_selection.tie_rule, reason
    # and docs/rules-as-implemented.md say so). Text order: 1, 10–19, 2, 20–29, 3, 30–35, 4, 5, …, 9;
    # counting places: "1" 1, "10"–"19" 11, "2" 12, "20"–"29" 22, "3" 23, "30"–"35" 29, "4" 30 —
    # Gold is 1–4 and 10–35; 5–9 stay out, and "10" ranks 2nd.
    pol = policy.with_values({"gold_selection.new_places": 0})
    rows = [{"customer_id": str(k), "long_term_std_premium": 60_000_000} for k in range(1, 36)]
    result = tiered(*rows, policy_=pol)
    gold = {c for c, t in tier_of(result.table).items() if t == "gold"}
    assert gold == {str(k) for k in range(1, 36)} - {str(k) for k in range(5, 10)}
    assert result.table.set_index("customer_id").loc["10", "gold_rank"] == 2  # 10 before 5
    reason = policy.provenance["silver_selection.tie_rule"].reason
    assert "as text" in reason and '"10" comes before "5"' in reason
    from pathlib import Path
    doc = (Path(__file__).parents[1] / "docs" / "rules-as-implemented.md").read_text(encoding="utf-8")
    assert "as text" in doc and "10 before 5" in doc


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
    assert cap.dtype.kind == "i" and cap.name == "silver_capacity"  # whole places, as without a table


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
    assert any("fewer Silver candidates than Silver places" in n for n in _en(result))


def test_a_branch_without_capacity_is_refused(tiered):
    with pytest.raises(TiermodelError, match="Lhasa"):
        tiered(*_lhasa(2), capacity=pd.Series({"Hefei": 3}))


def test_tier_counts_have_totals(tiered):
    counts = tier_counts(tiered(*_lhasa(7), capacity=pd.Series({"Lhasa": 5})).table, "branch_class")
    assert counts.loc["total", "silver"] == 5 and counts.loc["total", "regular"] == 2
    assert counts.loc["total", "total"] == 7
    # no Gold customer: the Gold column is there, with 0 (class D: 5 Silver places of 7)
    assert list(counts.columns) == ["gold", "silver", "regular", "total"] and counts.columns.name == "tier"
    assert counts.loc["total", "gold"] == 0 and counts.loc["D", "gold"] == 0
    assert counts.to_dict("index") == {"D": {"gold": 0, "silver": 5, "regular": 2, "total": 7},
                                       "total": {"gold": 0, "silver": 5, "regular": 2, "total": 7}}


def test_tier_counts_with_gold(tiered, policy):
    # 32 existing Gold-eligible (30 Gold, E01 and E02 Silver in Hefei, class C) and 7 in Lhasa
    # (class D, 5 Silver places as given here): Gold 30 · Silver 2 + 5 · Regular 2
    five = policy.with_values({"silver_selection.capacity_per_class.D": 5}, note="test")
    counts = tiered(*_existing(32), *_lhasa(7), policy_=five).summary()
    assert counts.to_dict("index") == {"C": {"gold": 30, "silver": 2, "regular": 0, "total": 32},
                                       "D": {"gold": 0, "silver": 5, "regular": 2, "total": 7},
                                       "total": {"gold": 30, "silver": 7, "regular": 2, "total": 39}}


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


def test_bundled_sample_against_an_independent_count():
    # the same book counted without tiermodel.tiers: eligibility by plain pandas comparisons
    # with the 第11条 thresholds written out above, tiers by the row-by-row reference
    inputs = load_inputs()
    book = inputs.portfolio
    table = inputs.tiering().table

    def eligible(long_min, health_min, non_min):
        return ((book["long_term_std_premium"] >= long_min)
                | ((book["health_premium"] >= health_min) & (book["health_loss_ratio"] <= HEALTH_CAP))
                | ((book["non_health_premium"] >= non_min) & (book["non_health_loss_ratio"] <= NON_HEALTH_CAP)))

    gold = eligible(*THRESHOLDS["gold"])
    silver = pd.Series(False, index=book.index)
    for cls in "ABCD":
        silver |= (book["branch_class"] == cls) & eligible(*THRESHOLDS[cls])
    assert table["gold_eligible"].tolist() == gold.tolist()
    assert table["silver_eligible"].tolist() == silver.tolist()
    assert (int(gold.sum()), int((gold & book["is_new"]).sum()), int(silver.sum())) == (54, 11, 575)
    reference = tiering_naive(book, inputs.policy, inputs.capacity().to_dict())
    assert reference["tier"].value_counts().to_dict() == {"regular": 19_440, "silver": 520, "gold": 40}
    assert table["tier"].astype(str).tolist() == reference["tier"].tolist()
    assert table["tier_rank"].reset_index(drop=True).equals(reference["tier_rank"].reset_index(drop=True))
    # 第13条: with 43 existing and 11 new Gold-eligible, both pools fill: 30 + 10
    assert int((table["tier"] == "gold").sum()) == min(30, 54 - 11) + min(10, 11) == 40


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


@settings(max_examples=examples(60), deadline=None)
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


@settings(max_examples=examples(15), deadline=None)
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


# ----------------------------------------------------------------------------- ranks, lists, cut lines
@pytest.fixture()
def former(policy):
    """The policy with the former Silver class defaults A 30 · B 20 · C 10 · D 5: the hand cases
    below were worked with them (Hefei, class C, 10 places; Lhasa, class D, 5 places). The
    defaults are now A 40 · B 30 · C 20 · D 20 (第25条)."""
    return policy.with_values({"silver_selection.capacity_per_class.A": 30,
                               "silver_selection.capacity_per_class.B": 20,
                               "silver_selection.capacity_per_class.C": 10,
                               "silver_selection.capacity_per_class.D": 5}, note="former defaults")


def _hefei(n):
    """n Silver-eligible class-C customers H01.. with 1.0M + k×0.1M health at 50 % (value 0.48)."""
    return [{"customer_id": f"H{k + 1:02d}", "health_premium": 1_000_000 + k * 100_000,
             "health_loss_ratio": 0.50} for k in range(n)]


@pytest.fixture()
def mixed(tiered, former):
    """32 existing and 11 new Gold-eligible customers in Hefei (C), 7 Silver-eligible in Lhasa (D).

    E32 has a 35 % margin: 0.80×0.30 + 1.00×0.30 + 1.00×0.40 = 0.94 (the others 0.66);
    N11 has a 35 % margin: 0.80×0.30 + 0.20×0.30×3.5 + 1.00×0.40 = 0.85 (the others 0.57).
    Gold: E03..E32 (30 places), N02..N11 (10 places). Left out: E01, E02 (0.66) and N01 (0.57),
    Silver candidates of Hefei (10 places): E02 1, E01 2, N01 3. Lhasa: 5 places of 7.
    Regular customers in Hefei meeting no criterion: R01 (year 10) and R02, new (year 1):
    0.10×0.30 + 0.20×0.30×3.5 + 0.30×0.40 = 0.03 + 0.21 + 0.12 = 0.36, below every new Gold.
    """
    existing, new = _existing(32), _new(11)
    existing[-1]["profit_margin"] = 0.35
    new[-1]["profit_margin"] = 0.35
    return tiered(*existing, *new, *_lhasa(7), {"customer_id": "R01"},
                  {"customer_id": "R02", "is_new": True, "effective_years": 1}, policy_=former)


def test_tier_rank_is_the_rank_that_won_the_place(mixed):
    t = mixed.table.set_index("customer_id")
    rank = t["tier_rank"].to_dict()
    # Gold: rank in its pool; Silver: rank among the branch's candidates; Regular: none
    assert (rank["E32"], rank["E31"], rank["E03"]) == (1, 2, 30)
    assert (rank["N11"], rank["N10"], rank["N02"]) == (1, 2, 10)
    assert (rank["E02"], rank["E01"], rank["N01"]) == (1, 2, 3)
    assert (rank["L07"], rank["L03"]) == (1, 5)
    assert all(pd.isna(rank[c]) for c in ("L02", "L01", "R01"))  # no rank: blank, not 0
    # the underlying ranks stay: E01 was 32nd of the existing pool, L01 7th in Lhasa
    assert (t.loc["E01", "gold_rank"], t.loc["N01", "gold_rank"], t.loc["L01", "branch_rank"]) == (32, 11, 7)
    assert t.loc[["R01"], ["gold_rank", "branch_rank"]].isna().all(axis=None) and pd.isna(t.loc["E32", "branch_rank"])


def test_gold_list_existing_pool_then_new_pool_by_rank(mixed):
    gold = mixed.gold_list()
    assert list(gold.columns) == GOLD_LIST_COLUMNS
    assert gold["customer_id"].tolist() == [f"E{k:02d}" for k in range(32, 2, -1)] + \
        [f"N{k:02d}" for k in range(11, 1, -1)]
    assert gold["tier_rank"].tolist() == list(range(1, 31)) + list(range(1, 11))
    assert gold["gold_pool"].astype(str).tolist() == ["existing"] * 30 + ["new"] * 10
    assert gold["gold_criteria"].astype(str).unique().tolist() == ["long-term premium"]
    everything = mixed.gold_list(columns=None)
    assert list(everything.columns) == list(mixed.table.columns)
    assert everything["customer_id"].tolist() == gold["customer_id"].tolist()


def test_cut_lines_are_the_last_value_in(mixed, tiered):
    # Gold existing: lowest of E03..E32 = 0.66 (E32's 0.94 is the highest);
    # Gold new: lowest of N02..N11 = 0.57 (not R02's 0.36: new, but not Gold); Silver: Lhasa's 0.20×0.30 + 0.30 + 0.12 = 0.48
    assert cut_lines(mixed.table) == pytest.approx({"gold_existing": 0.66, "gold_new": 0.57, "silver": 0.48},
                                                   abs=1e-12)
    # no Gold at all: NaN for both pools
    lines = cut_lines(tiered(*_lhasa(3)).table)
    assert np.isnan(lines["gold_existing"]) and np.isnan(lines["gold_new"]) and lines["silver"] == pytest.approx(0.48)
    none = cut_lines(tiered({}).table)
    assert all(np.isnan(v) for v in none.values())


def test_reasons_word_for_word(mixed, tiered):
    r = mixed.table.set_index("customer_id")["reason"].astype(str)
    assert r["E32"] == "Gold: within the 30 places for existing customers; qualifies by long-term premium"
    assert r["N11"] == "Gold: within the 10 places for new customers; qualifies by long-term premium"
    assert r["E01"] == ("Silver: within branch capacity; qualifies by long-term premium "
                        "(Gold-eligible by long-term premium, outside the 30 existing places)")
    assert r["N01"] == ("Silver: within branch capacity; qualifies by long-term premium "
                        "(Gold-eligible by long-term premium, outside the 10 new places)")
    assert r["L07"] == "Silver: within branch capacity; qualifies by health premium"
    assert r["L01"] == "Regular: Silver-eligible by health premium but beyond branch capacity"
    assert r["R01"] == "Regular: meets no 第11条 criterion"
    # several criteria at once, and a Gold-eligible customer beyond Silver capacity too
    pol_small = load_policy().with_values({"gold_selection.new_places": 1,
                                           "silver_selection.capacity_per_class.C": 0})
    result = tiered(
        # new, 6M health at 50 % and 2M non-health at 30 %: Gold by health + non-health
        {"customer_id": "M1", "is_new": True, "effective_years": 1, "health_premium": 6_000_000,
         "health_loss_ratio": 0.5, "non_health_premium": 2_000_000, "non_health_loss_ratio": 0.3,
         "profit_margin": 0.35},
        # the same, smaller margin: second of the one new place, Silver places 0 in class C
        {"customer_id": "M2", "is_new": True, "effective_years": 1, "health_premium": 6_000_000,
         "health_loss_ratio": 0.5, "non_health_premium": 2_000_000, "non_health_loss_ratio": 0.3},
        policy_=pol_small)
    r = result.table.set_index("customer_id")["reason"].astype(str)
    assert r["M1"] == ("Gold: within the 1 places for new customers; "
                       "qualifies by health premium + non-health premium")
    assert r["M2"] == ("Regular: Silver-eligible by health premium + non-health premium but beyond "
                       "branch capacity (Gold-eligible by health premium + non-health premium, "
                       "outside the 1 new places)")


def _en(result):
    """A tiering's notes as the English page reads them."""
    return [render(n, "en") for n in result.notes]


def test_tables_of_a_tiering(mixed):
    tables = mixed.tables()
    assert list(tables) == ["tier counts by class", "tier counts by branch", "gold list", "vip list", "notes"]
    by_branch = tables["tier counts by branch"]
    # Hefei (C, 10 places): 30 + 10 Gold, E01, E02, N01 Silver, R01, R02 Regular; Lhasa (D, 5 places)
    assert by_branch.loc["Hefei", ["gold", "silver", "regular", "total", "silver_places"]].tolist() == [40, 3, 2, 45, 10]
    assert by_branch.loc["Lhasa", ["gold", "silver", "regular", "total", "silver_places"]].tolist() == [0, 5, 2, 7, 5]
    pd.testing.assert_frame_equal(tables["tier counts by class"], mixed.summary())
    pd.testing.assert_frame_equal(tables["gold list"], mixed.gold_list())
    vip = tables["vip list"]
    # Gold first (by rank within the pools of the branch), then Silver by branch and rank
    assert vip["tier"].astype(str).tolist() == ["gold"] * 40 + ["silver"] * 8
    assert vip["customer_id"].tolist()[40:] == ["E02", "E01", "N01", "L07", "L06", "L05", "L04", "L03"]
    assert tables["notes"]["note"].tolist() == mixed.notes


# ----------------------------------------------------------------------------- notes, word for word
def test_notes_of_a_full_selection(mixed):
    # 32 existing and 11 new candidates: both pools full, so no "Only ..." note;
    # Hefei has 3 Silver candidates for 10 places (short), Lhasa 7 for 5 (not short)
    assert _en(mixed) == [
        "Gold: 30 existing + 10 new = 40 (第13条: 30–40); candidates 32 existing, 11 new.",
        "1 of 2 branches have fewer Silver candidates than Silver places; their remaining places stay empty.",
    ]


def test_exactly_ten_new_candidates_fill_the_places_without_a_note(tiered):
    result = tiered(*_existing(30), *_new(10))
    assert (result.table["tier"] == "gold").sum() == 40
    # every candidate is Gold: Hefei's 10 Silver places have no candidate left
    assert _en(result) == [
        "Gold: 30 existing + 10 new = 40 (第13条: 30–40); candidates 30 existing, 10 new.",
        "1 of 1 branches have fewer Silver candidates than Silver places; their remaining places stay empty.",
    ]


def test_nine_new_candidates_leave_one_place_unfilled(tiered, policy):
    result = tiered(*_existing(30), *_new(9))
    assert _en(result)[0] == ("Only 9 new customer(s) meet a Gold criterion for the 10 new-customer places: "
                               "1 place(s) unfilled; they stay empty.")
    assert _en(result)[1] == "Gold: 30 existing + 9 new = 39 (第13条: 30–40); candidates 30 existing, 9 new."
    passing = policy.with_values({"gold_selection.unfilled_new_places_go_to_existing": True})
    result = tiered(*_existing(31), *_new(9), policy_=passing)
    # 30 + (10 − 9) = 31 existing places: all 31 existing candidates are Gold
    assert _en(result)[:2] == [
        "Only 9 new customer(s) meet a Gold criterion for the 10 new-customer places: "
        "1 place(s) unfilled; they pass to existing customers.",
        "Gold: 31 existing + 9 new = 40 (第13条: 30–40); candidates 31 existing, 9 new."]


def test_too_few_existing_candidates_note_word_for_word(tiered):
    result = tiered(*_existing(20), *_new(10))
    assert _en(result)[0] == ("Only 20 existing customer(s) meet a Gold criterion for the 30 "
                               "existing-customer places: 10 place(s) empty.")


def test_fewer_silver_candidates_note_counts_the_branches(tiered, former):
    # Lhasa (D): 3 candidates for 5 places — short; Hefei (C): exactly 10 for 10 — not short;
    # Beijing (A): one customer meeting nothing, 0 candidates for 30 places — short. 2 of 3.
    result = tiered(*_lhasa(3), *_hefei(10), {"customer_id": "B01", "branch": "Beijing", "branch_class": "A"},
                    policy_=former)
    assert (result.table["tier"] == "silver").sum() == 13
    assert _en(result)[-1] == ("2 of 3 branches have fewer Silver candidates than Silver places; "
                                "their remaining places stay empty.")
    # one more Lhasa candidate than places and one fewer in Hefei: still 2 of 3 (Hefei, Beijing)
    result = tiered(*_lhasa(6), *_hefei(9), {"customer_id": "B01", "branch": "Beijing", "branch_class": "A"},
                    policy_=former)
    assert _en(result)[-1].startswith("2 of 3 branches have fewer Silver candidates")
    # Beijing given 1 place and no candidate is short too (0 < 1)
    result = tiered(*_lhasa(5), *_hefei(10), {"customer_id": "B01", "branch": "Beijing", "branch_class": "A"},
                    capacity=pd.Series({"Lhasa": 5, "Hefei": 10, "Beijing": 1}))
    assert _en(result)[-1].startswith("1 of 3 branches have fewer Silver candidates")
    # every branch full: no note
    result = tiered(*_lhasa(5), *_hefei(10), policy_=former)
    assert not any("fewer Silver candidates" in n for n in _en(result))


def test_missing_capacity_message(tiered):
    with pytest.raises(TiermodelError) as err:
        tiered(*_lhasa(2), {"customer_id": "B01", "branch": "Beijing", "branch_class": "A"},
               capacity=pd.Series({"Hefei": 3}))
    assert str(err.value) == ("no Silver capacity for branch(es) Beijing, Lhasa: add them to the branch "
                              "table (silver_capacity) or give their branch_class")


# ----------------------------------------------------------------------------- Silver-only ties
def test_silver_ties_on_value_and_premium_go_by_customer_id_not_row(tiered):
    # four class-D customers, all 1,000,000 health at 50 %: 1–5M → 0.20, year 10, margin 0:
    # 0.20×0.30 + 1.00×0.30 + 0.30×0.40 = 0.48 each, same premium; 2 places.
    # Text order of the ids: S1 < S10 < S2 < S3, whatever the rows' order.
    ids = ["S3", "S10", "S1", "S2"]
    rows = [{"customer_id": c, "branch": "Lhasa", "branch_class": "D", "health_premium": 1_000_000,
             "health_loss_ratio": 0.5} for c in ids]
    for order in (rows, rows[::-1], rows[1:] + rows[:1]):
        t = tiered(*order, capacity=pd.Series({"Lhasa": 2})).table.set_index("customer_id")
        assert t["branch_rank"].to_dict() == {"S1": 1, "S10": 2, "S2": 3, "S3": 4}
        assert tier_of(t.reset_index()) == {"S1": "silver", "S10": "silver", "S2": "regular", "S3": "regular"}


def test_silver_ties_on_value_go_by_premium_before_id(tiered):
    # same 0.48 (1–5M band), premiums 1.2M (Z1), 1.1M (A1), 1.1M (A2): Z1 first though its id is last
    rows = [{"customer_id": c, "branch": "Lhasa", "branch_class": "D", "health_premium": p,
             "health_loss_ratio": 0.5} for c, p in (("A2", 1_100_000), ("Z1", 1_200_000), ("A1", 1_100_000))]
    t = tiered(*rows, capacity=pd.Series({"Lhasa": 2})).table.set_index("customer_id")
    assert t["branch_rank"].to_dict() == {"A2": 3, "Z1": 1, "A1": 2}


def test_silver_ties_with_gold_candidates_among_them(tiered, policy):
    # Gold-eligible customers left out of Gold compete for Silver on the same tie rule:
    # no Gold places; G2, G1 (60M) and S1 (5M..: 0.30) — G1, G2 0.66 first, by id
    pol = policy.with_values({"gold_selection.existing_places": 0, "gold_selection.new_places": 0,
                              "silver_selection.capacity_per_class.C": 2})
    result = tiered({"customer_id": "G2", "long_term_std_premium": 60_000_000},
                    {"customer_id": "S1", "long_term_std_premium": 5_000_000},
                    {"customer_id": "G1", "long_term_std_premium": 60_000_000}, policy_=pol)
    t = result.table.set_index("customer_id")
    assert t["branch_rank"].to_dict() == {"G2": 2, "S1": 3, "G1": 1}
    assert tier_of(result.table) == {"G2": "silver", "S1": "regular", "G1": "silver"}


def test_candidate_id_rank_orders_ids_as_text_among_candidates_only():
    ids = ["C3", "C1", "C2", "X"]
    candidate = np.array([True, True, False, True])
    # candidates C3, C1, X in text order C1 < C3 < X; C2 is not a candidate (0)
    assert candidate_id_rank(np.array(ids), candidate).tolist() == [1, 0, 0, 2]
    assert candidate_id_rank(pd.Series(ids, index=[10, 11, 12, 13]), candidate).tolist() == [1, 0, 0, 2]
    # numeric ids compare as text too: "10" < "2" < "3"
    assert candidate_id_rank(pd.Series([3, 10, 2]), np.array([True, True, True])).tolist() == [2, 0, 1]


def test_class_codes_by_name_whatever_the_categories():
    from tiermodel.tiers import class_codes
    assert class_codes(pd.Series(["A", "D", "C"])).tolist() == [0, 3, 2]
    assert class_codes(["B"]).tolist() == [1]
    # a categorical with the classes in another order still maps by name: A 0 … D 3
    reordered = pd.Series(pd.Categorical(["A", "D"], categories=["D", "C", "B", "A"]))
    assert class_codes(reordered).tolist() == [0, 3]
    fitting = pd.Series(pd.Categorical(["B", "D"], categories=["A", "B", "C", "D"]))
    assert class_codes(fitting).tolist() == [1, 3]


# ----------------------------------------------------------------------------- select() on arrays
def test_select_on_arrays_by_hand():
    from tiermodel.tiers import select
    # five customers, two branches (0, 1) with 1 and 0 Silver places; 1 existing + 1 new Gold place
    #   #0 existing, Gold-eligible, 0.9 → Gold (rank 1 of the existing pool)
    #   #1 existing, Gold-eligible, 0.8 → rank 2, out of Gold → first Silver candidate of branch 0
    #   #2 new, Gold-eligible, 0.8 → Gold (rank 1 of the new pool)
    #   #3 Silver-eligible only, branch 1 (0 places) → rank 1 there, Regular
    #   #4 meets nothing → Regular, no ranks
    args = dict(value_index=np.array([0.9, 0.8, 0.8, 0.5, 0.4]), std_premium=np.array([1.0, 2.0, 1.0, 1.0, 1.0]),
                id_rank=np.arange(5), is_new=np.array([False, False, True, False, False]),
                gold_bits=np.array([1, 1, 1, 0, 0], dtype=np.uint8), silver_bits=np.array([1, 1, 1, 1, 0], dtype=np.uint8),
                branch_code=np.array([0, 0, 0, 1, 0]), branch_capacity=np.array([1, 0]), existing_places=1, new_places=1)
    tier, gold_rank, branch_rank = select(**args)
    assert tier.tolist() == [0, 1, 0, 2, 2]  # 0 Gold, 1 Silver, 2 Regular
    assert gold_rank.tolist() == [1, 2, 1, 0, 0]
    assert branch_rank.tolist() == [0, 1, 0, 1, 0]
    assert (tier.dtype, gold_rank.dtype, branch_rank.dtype) == (np.int8, np.int32, np.int32)
    # no new customer: by default the new place stays empty, #1 stays out of Gold; branch 0's one
    # Silver place goes to #1 (0.8 with premium 2.0) before #2 (0.8 with premium 1.0)
    args["is_new"] = np.zeros(5, dtype=bool)
    tier, gold_rank, branch_rank = select(**args)
    assert tier.tolist() == [0, 1, 2, 2, 2] and gold_rank.tolist() == [1, 2, 3, 0, 0]
    assert branch_rank.tolist() == [0, 1, 2, 1, 0]
    # passed on: 1 + 1 existing places → #0 and #1 Gold; #2 (rank 3) the Silver of branch 0
    tier, _, branch_rank = select(**args, unfilled_new_to_existing=True)
    assert tier.tolist() == [0, 0, 1, 2, 2] and branch_rank.tolist() == [0, 0, 1, 1, 0]


def test_tiering_columns_keep_their_types(tiered):
    t = tiered(*_existing(2), *_lhasa(2)).table
    # ranks are nullable integers: 1, 2, … where ranked, <NA> (a blank cell) where not
    assert (t["gold_rank"].dtype, t["branch_rank"].dtype, t["tier_rank"].dtype) == (pd.Int32Dtype(),) * 3
    assert not (t[["gold_rank", "branch_rank", "tier_rank"]] == 0).any().any()
    assert list(t["tier"].cat.categories) == ["gold", "silver", "regular"]
    assert list(t["gold_pool"].cat.categories) == ["existing", "new"]
    assert t["gold_eligible"].dtype == bool and t["silver_eligible"].dtype == bool
    # E01, E02: 50M and 51M long-term (Gold and Silver by long-term); L01, L02: health at 50 %
    criteria = t.set_index("customer_id")[["gold_criteria", "silver_criteria"]].astype(str)
    assert criteria.to_dict("index") == {
        "E01": {"gold_criteria": "long-term premium", "silver_criteria": "long-term premium"},
        "E02": {"gold_criteria": "long-term premium", "silver_criteria": "long-term premium"},
        "L01": {"gold_criteria": "none", "silver_criteria": "health premium"},
        "L02": {"gold_criteria": "none", "silver_criteria": "health premium"}}
    assert list(t["gold_criteria"].cat.categories) == [
        "none", "long-term premium", "health premium", "long-term premium + health premium",
        "non-health premium", "long-term premium + non-health premium", "health premium + non-health premium",
        "long-term premium + health premium + non-health premium"]


def test_capacity_is_an_integer_series_in_branch_order(policy):
    # rows in the order Lhasa, Jinan, Beijing, Hefei; the capacity lists branches by name
    table = customers(*({"branch": b, "branch_class": c} for b, c in reversed(BRANCHES[1:] + BRANCHES[:1])))
    cap = branch_capacity(table, policy)
    assert cap.index.tolist() == ["Beijing", "Hefei", "Jinan", "Lhasa"]
    per_class = policy.silver_selection.capacity_per_class  # the class defaults (assumed, 第13条)
    assert cap.tolist() == [per_class.A, per_class.C, per_class.B, per_class.D]
    assert cap.dtype.kind == "i" and cap.name == "silver_capacity"


def test_selection_notes_read_in_chinese(tiered, policy):
    # one note, one code and its fields, rendered in both languages from present/messages/tiers.toml
    # 30 existing + 9 new candidates: 10 − 9 = 1 new place left empty; 30 + 9 = 39 Gold
    result = tiered(*_existing(30), *_new(9))
    assert result.notes[0] == note("tiers.gold_new_short", n=9, places=10, unfilled=1)
    assert [render(n, "zh") for n in result.notes[:2]] == [
        "只有9户本年新客户符合金牌标准，本年新客户名额10个：1个名额未满，空缺。",
        "金牌：已承保客户30户 + 本年新客户9户 = 39户（第13条：30–40户）；候选已承保客户30户、本年新客户9户。"]
    passing = policy.with_values({"gold_selection.unfilled_new_places_go_to_existing": True})
    result = tiered(*_existing(31), *_new(9), policy_=passing)
    assert render(result.notes[0], "zh") == "只有9户本年新客户符合金牌标准，本年新客户名额10个：1个名额未满，转给已承保客户。"
    # 20 existing candidates for 30 places: 30 − 20 = 10 empty
    result = tiered(*_existing(20), *_new(10))
    assert render(result.notes[0], "zh") == "只有20户已承保客户符合金牌标准，已承保客户名额30个：10个名额空缺。"
    assert render(result.notes[0], "en") == ("Only 20 existing customer(s) meet a Gold criterion for the 30 "
                                             "existing-customer places: 10 place(s) empty.")
    assert render(note("tiers.silver_short", short=1, branches=1), "zh") == "1家机构中1家的银牌候选人少于银牌名额，余下名额空缺。"