"""The core's remaining gaps: per-class Silver loss-ratio caps, the new-customer Gold cut line,
a branch table without capacities, a fractional last loyalty edge, and ``with_columns`` on a
table with repeated column names.

Tables of RULES.md §2 (assumed defaults): 附表1 < 1M → 0.10, 1–5M → 0.20, 5–10M → 0.30;
附表2 year 1 → 0.20, ≥ 10 → 1.00; 附表3 0–5 % → 0.30 (0 % is the band's lower edge),
5–10 % → 0.50, 10–20 % → 0.70; K1 year 1 → 3.5, ≥ 4 → 1.0.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import customers, raw_customers
from tiermodel.portfolio import validate_branches, validate_portfolio
from tiermodel.scoring import score, value_index, with_columns
from tiermodel.tiers import assign_tiers, branch_capacity, cut_lines, eligibility_bits


def test_silver_loss_ratio_cap_per_branch_class(policy):
    # class D's health loss-ratio cap raised to 0.70 (class C keeps 0.60; caps may not fall
    # from C to D, 0.60 ≤ 0.70). Health 1,500,000 ≥ 1,000,000 (both classes):
    #   D at 65 % ≤ 70 %: Silver-eligible (health bit 2); C at 65 % > 60 %: not
    #   D at 75 % > 70 %: not; C at 60 % ≤ 60 %: eligible (the cap is inclusive)
    pol = policy.with_values({"eligibility.silver.D.health_loss_ratio_max": 0.70}, note="test")
    book = customers({"customer_id": "D65", "branch": "Lhasa", "branch_class": "D", "health_premium": 1_500_000,
                      "health_loss_ratio": 0.65},
                     {"customer_id": "C65", "health_premium": 1_500_000, "health_loss_ratio": 0.65},
                     {"customer_id": "D75", "branch": "Lhasa", "branch_class": "D", "health_premium": 1_500_000,
                      "health_loss_ratio": 0.75},
                     {"customer_id": "C60", "health_premium": 1_500_000, "health_loss_ratio": 0.60})
    gold, silver = eligibility_bits(book, pol)
    assert gold.tolist() == [0, 0, 0, 0]  # 1.5M < Gold's 5M
    assert silver.tolist() == [2, 0, 0, 2]
    tiers = assign_tiers(score(book, pol), pol).table
    assert tiers["tier"].astype(str).tolist() == ["silver", "regular", "regular", "silver"]
    # the policy as written (D capped at 0.60): the class-D customer at 65 % is not eligible
    assert eligibility_bits(book, policy)[1].tolist() == [0, 0, 0, 2]


def test_non_health_loss_ratio_cap_per_branch_class(policy):
    # class A's non-health cap lowered to 0.30 (Gold's is 0.40: caps may not fall from Gold to
    # A, so Gold's goes to 0.30 too); non-health 600,000 ≥ 500,000 (A) at 35 %:
    # class A 35 % > 30 %: no; class C (cap 0.40, minimum 100,000) 35 % ≤ 40 %: non-health bit 4
    pol = policy.with_values({"eligibility.silver.A.non_health_loss_ratio_max": 0.30,
                              "eligibility.gold.non_health_loss_ratio_max": 0.30}, note="test")
    book = customers({"customer_id": "A35", "branch": "Beijing", "branch_class": "A", "non_health_premium": 600_000,
                      "non_health_loss_ratio": 0.35},
                     {"customer_id": "C35", "non_health_premium": 600_000, "non_health_loss_ratio": 0.35})
    assert eligibility_bits(book, pol)[1].tolist() == [0, 4]


def test_cut_lines_of_each_gold_pool_and_silver(policy):
    # margin 7 % (0.50 × 0.40 = 0.20); health 6,000,000 at 50 % (5–10M → 0.30 × 0.30 = 0.09):
    #   E1 year 10: 0.09 + 0.30 + 0.20 = 0.59; E2 year 10, margin 15 % (0.28): 0.67
    #   N1 new, year 1: 0.09 + 0.20 × 0.30 × 3.5 + 0.20 = 0.50; N2 new, margin 15 %: 0.58
    #   S1 health 1,500,000 (1–5M → 0.20 × 0.30 = 0.06), year 10: 0.06 + 0.30 + 0.20 = 0.56 (Silver)
    g = {"health_premium": 6_000_000, "health_loss_ratio": 0.50, "profit_margin": 0.07}
    t = assign_tiers(score(customers(
        {**g, "customer_id": "E1"}, {**g, "customer_id": "E2", "profit_margin": 0.15},
        {**g, "customer_id": "N1", "effective_years": 1, "is_new": True},
        {**g, "customer_id": "N2", "effective_years": 1, "is_new": True, "profit_margin": 0.15},
        {**g, "customer_id": "S1", "health_premium": 1_500_000}), policy), policy).table
    lines = cut_lines(t)
    assert lines == {"gold_existing": pytest.approx(0.59), "gold_new": pytest.approx(0.50),
                     "silver": pytest.approx(0.56)}


def test_cut_line_of_an_empty_pool_is_nan(policy):
    t = assign_tiers(score(customers({"customer_id": "E1", "health_premium": 6_000_000, "health_loss_ratio": 0.5}),
                           policy), policy).table
    lines = cut_lines(t)
    assert np.isnan(lines["gold_new"]) and np.isnan(lines["silver"]) and not np.isnan(lines["gold_existing"])


def test_branch_table_without_silver_capacity(policy):
    # branch classes from the table, capacities the class defaults A 40 · B 30 · C 20 · D 20
    branches = validate_branches(pd.DataFrame({"branch": ["Beijing", "Jinan", "Lhasa"],
                                               "branch_class": ["A", "B", "D"]}), "branches.csv")
    raw = raw_customers({"branch": "Beijing"}, {"branch": "Jinan"}, {"branch": "Lhasa"}).drop(columns=["branch_class"])
    table = validate_portfolio(raw, "book.csv", branches)
    cap = branch_capacity(table, policy, branches)
    assert cap.to_dict() == {"Beijing": 40, "Jinan": 30, "Lhasa": 20}
    assert cap.name == "silver_capacity" and cap.dtype.kind == "i"
    # and tiering the book with it works
    assert assign_tiers(score(table, policy), policy, cap).capacity.to_dict() == cap.to_dict()


def test_fractional_last_loyalty_edge(policy):
    # loyalty table breaks [2, 5.5], coefficients [0.2, 0.5, 1.0]: year 6 ≥ 5.5 → 1.0;
    # year 5 (2 ≤ 5 < 5.5) → 0.5. Premium 0 (< 1M → 0.10), margin 0 %: profit breaks start at
    # 0.0, so 0 is in the band [0, 5 %) → 0.30.
    #   year 6: 0.10 × 0.30 + 1.0 × 0.30 × 1.0 + 0.30 × 0.40 = 0.03 + 0.30 + 0.12 = 0.45
    #   year 5: 0.03 + 0.5 × 0.30 = 0.15 + 0.12 = 0.30;  year 12 (beyond): 0.45
    pol = policy.with_values({"conversion_tables.loyalty.breaks": [2, 5.5],
                              "conversion_tables.loyalty.coefficients": [0.2, 0.5, 1.0]}, note="test")
    vi = value_index(np.zeros(3), np.array([6, 5, 12]), np.zeros(3), pol)
    assert vi.tolist() == pytest.approx([0.45, 0.30, 0.45])
    scored = score(customers({"effective_years": 6}, {"effective_years": 5}), pol)
    assert scored["loyalty_coef"].tolist() == [1.0, 0.5]
    assert scored["value_index"].tolist() == pytest.approx([0.45, 0.30])


def test_with_columns_on_repeated_column_names():
    # two columns named "a" (as a raw sheet may have): both kept, in place, beside the new one
    table = pd.DataFrame([[1, 2, 3], [4, 5, 6]], columns=["a", "a", "b"])
    for copy in (True, False):
        out = with_columns(table, {"c": np.array([7, 8]), "b": np.array([9, 10])}, copy=copy)
        assert out.columns.tolist() == ["a", "a", "b", "c"]
        assert out.to_numpy().tolist() == [[1, 2, 9, 7], [4, 5, 10, 8]]
    assert table.to_numpy().tolist() == [[1, 2, 3], [4, 5, 6]]  # the input unchanged


def test_with_columns_shares_without_copying():
    table = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]}, index=[10, 20])
    table.attrs["file"] = "book.csv"
    new = np.array([5.0, 6.0])
    out = with_columns(table, {"c": new}, copy=False)
    assert out.columns.tolist() == ["a", "b", "c"] and out.index.tolist() == [10, 20]
    assert out.attrs == {"file": "book.csv"}
    assert out["c"].tolist() == [5.0, 6.0] and "c" not in table
    # a Series is aligned on the index, not taken by position
    out = with_columns(table, {"c": pd.Series([7.0, 8.0], index=[20, 10])}, copy=False)
    assert out["c"].tolist() == [8.0, 7.0]


def test_year_factor_below_year_one_and_for_float_years(policy):
    from tiermodel.scoring import year_factor

    # K1 (第10条): year 1 → 3.5, 2 → 2.0, 3 → 1.5, 4 and later → 1.0; a year below 1 counts as
    # year 1; whole years given as floats (a history read as numbers) look up the same
    k1 = policy.value_index.k1
    assert year_factor(np.array([0, 1, 2, 3, 4, 9]), k1).tolist() == [3.5, 3.5, 2.0, 1.5, 1.0, 1.0]
    assert year_factor(np.array([1.0, 3.0, 12.0]), k1).tolist() == [3.5, 1.5, 1.0]


def test_combine_with_one_row_of_weights_per_setting():
    from tiermodel.scoring import combine

    # two customers (premium, loyalty, profit coefficients; K1), two settings of the weights:
    #   c0 = (0.3, 1.0, 0.5), K1 1.0;  c1 = (0.1, 0.2, 0.0), K1 3.5;  K2 = 1
    #   30/30/40: c0 0.09 + 0.30 + 0.20 = 0.59;  c1 0.03 + 0.2 × 0.3 × 3.5 = 0.03 + 0.21 = 0.24
    #   50/25/25: c0 0.15 + 0.25 + 0.125 = 0.525; c1 0.05 + 0.2 × 0.25 × 3.5 = 0.05 + 0.175 = 0.225
    coefs = np.array([[0.3, 1.0, 0.5], [0.1, 0.2, 0.0]])
    k1, k2 = np.array([1.0, 3.5]), np.ones(2)
    out = combine(coefs, k1, k2, np.array([[0.3, 0.3, 0.4], [0.5, 0.25, 0.25]]))
    assert out.shape == (2, 2)
    np.testing.assert_allclose(out, [[0.59, 0.24], [0.525, 0.225]])
    assert combine(coefs, k1, k2, np.array([0.3, 0.3, 0.4])).tolist() == pytest.approx([0.59, 0.24])
