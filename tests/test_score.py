"""The value index of 第10条: conversion tables, K1/K2, weights — by hand and against the oracle.

Conversion tables (附表1–3, assumed, RULES.md §2):
  premium [CNY]: <1M 0.10 · 1–5M 0.20 · 5–10M 0.30 · 10–20M 0.45 · 20–50M 0.60 · 50–100M 0.80 · ≥100M 1.00
  loyalty [years]: 1 0.20 · 2 0.35 · 3 0.50 · 4 0.60 · 5 0.70 · 6–7 0.80 · 8–9 0.90 · ≥10 1.00
  profit [margin]: <0 0.00 · 0–5 % 0.30 · 5–10 % 0.50 · 10–20 % 0.70 · 20–30 % 0.85 · ≥30 % 1.00
value = premium_coef × 0.30 + loyalty_coef × 0.30 × K1 + profit_coef × 0.40 × K2
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import customers, examples
from tiermodel.policy import load_policy
from tiermodel.reference import score_naive, value_index_row
from tiermodel.scoring import band_coefficient, score, value_index, year_factor


def test_k1_by_year(policy):
    # 第10条: first year 3.5, second 2, third 1.5; from the fourth on 1 (assumed)
    years = [1, 2, 3, 4, 10]
    assert year_factor(years, policy.value_index.k1).tolist() == [3.5, 2.0, 1.5, 1.0, 1.0]
    scored = score(customers(*({"effective_years": y} for y in years)), policy)
    assert scored["k1"].tolist() == [3.5, 2.0, 1.5, 1.0, 1.0]
    assert scored["k2"].tolist() == [1.0] * 5  # K2 blank in the source: assumed 1.0


@pytest.mark.parametrize("premium, coef", [
    (0, 0.10), (999_999, 0.10), (1_000_000, 0.20), (4_999_999, 0.20), (5_000_000, 0.30),
    (9_999_999, 0.30), (10_000_000, 0.45), (20_000_000, 0.60), (49_999_999, 0.60),
    (50_000_000, 0.80), (99_999_999, 0.80), (100_000_000, 1.00), (3e9, 1.00),
])
def test_premium_table_lower_edges_inclusive(policy, premium, coef):
    assert band_coefficient([premium], policy.conversion_tables.premium)[0] == coef


@pytest.mark.parametrize("years, coef", [
    (1, 0.20), (2, 0.35), (3, 0.50), (4, 0.60), (5, 0.70), (6, 0.80), (7, 0.80), (8, 0.90),
    (9, 0.90), (10, 1.00), (25, 1.00),
])
def test_loyalty_table(policy, years, coef):
    assert band_coefficient([years], policy.conversion_tables.loyalty)[0] == coef


@pytest.mark.parametrize("margin, coef", [
    (-0.50, 0.00), (-0.0001, 0.00), (0.0, 0.30), (0.0499, 0.30), (0.05, 0.50), (0.10, 0.70),
    (0.12, 0.70), (0.20, 0.85), (0.2999, 0.85), (0.30, 1.00), (0.60, 1.00),
])
def test_profit_table(policy, margin, coef):
    assert band_coefficient([margin], policy.conversion_tables.profit)[0] == coef


@pytest.mark.parametrize("row, expected", [
    # year 2, 7M standard premium (5–10M → 0.30), 12 % margin (10–20 % → 0.70):
    # 0.30×0.30 + 0.35×0.30×2.0 + 0.70×0.40×1.0 = 0.09 + 0.21 + 0.28 = 0.58
    ({"effective_years": 2, "long_term_std_premium": 7_000_000, "profit_margin": 0.12}, 0.58),
    # year 1, 0.5M (<1M → 0.10), loss-making (−10 % → 0.00):
    # 0.10×0.30 + 0.20×0.30×3.5 + 0.00×0.40 = 0.03 + 0.21 + 0 = 0.24
    ({"effective_years": 1, "is_new": True, "health_premium": 500_000, "profit_margin": -0.10}, 0.24),
    # year 3, 2M + 2M + 1.5M = 5.5M (→ 0.30), 5 % margin (→ 0.50):
    # 0.30×0.30 + 0.50×0.30×1.5 + 0.50×0.40 = 0.09 + 0.225 + 0.20 = 0.515
    ({"effective_years": 3, "long_term_std_premium": 2_000_000, "health_premium": 2_000_000,
      "non_health_premium": 1_500_000, "profit_margin": 0.05}, 0.515),
    # year 10, 120M (→ 1.00), 35 % (→ 1.00): 0.30 + 1.00×0.30×1.0 + 0.40 = 1.00
    ({"effective_years": 10, "long_term_std_premium": 120_000_000, "profit_margin": 0.35}, 1.00),
    # year 4, 20M exactly (→ 0.60), 20 % exactly (→ 0.85):
    # 0.60×0.30 + 0.60×0.30×1.0 + 0.85×0.40 = 0.18 + 0.18 + 0.34 = 0.70
    ({"effective_years": 4, "non_health_premium": 20_000_000, "profit_margin": 0.20}, 0.70),
])
def test_value_index_by_hand(policy, row, expected):
    scored = score(customers(row), policy)
    assert scored["value_index"].iloc[0] == pytest.approx(expected, abs=1e-12)


def test_score_columns_by_hand(policy):
    scored = score(customers({"effective_years": 2, "long_term_std_premium": 7_000_000,
                              "profit_margin": 0.12}), policy)
    r = scored.iloc[0]
    assert (r.standard_premium_used, r.premium_coef, r.loyalty_coef, r.profit_coef, r.k1, r.k2) == \
        (7_000_000, 0.30, 0.35, 0.70, 2.0, 1.0)


def test_supplied_standard_premium_is_used_as_is(policy):
    # 3M of received premium, but the core system says 标准保费 = 60M (→ 0.80):
    # year 10, margin 0: 0.80×0.30 + 1.00×0.30 + 0.30×0.40 = 0.24 + 0.30 + 0.12 = 0.66
    raw = customers({"health_premium": 3_000_000})
    raw["standard_premium"] = [60_000_000.0]
    scored = score(raw, policy)
    assert scored["standard_premium_used"].iloc[0] == 60_000_000
    assert scored["value_index"].iloc[0] == pytest.approx(0.66, abs=1e-12)


def test_weights_equal_scenario_changes_the_index():
    pol = load_policy("weights-equal")
    scored = score(customers({"effective_years": 2, "long_term_std_premium": 7_000_000,
                              "profit_margin": 0.12}), pol)
    # 0.30×0.34 + 0.35×0.33×2.0 + 0.70×0.33 = 0.102 + 0.231 + 0.231 = 0.564
    assert scored["value_index"].iloc[0] == pytest.approx(0.564, abs=1e-12)


def test_k2_can_be_varied(policy):
    pol = policy.with_values({"value_index.k2.year_1": 1.2})
    scored = score(customers({"effective_years": 1, "is_new": True, "profit_margin": 0.12}), pol)
    # 0 premium (→ 0.10), year 1, 12 %: 0.10×0.30 + 0.20×0.30×3.5 + 0.70×0.40×1.2
    #   = 0.03 + 0.21 + 0.336 = 0.576
    assert scored["value_index"].iloc[0] == pytest.approx(0.576, abs=1e-12)


def test_equal_inputs_tie_exactly(policy):
    # the same customer entered through different premium splits: 3M+3M vs 6M vs 1M+2M+3M
    scored = score(customers({"long_term_std_premium": 3e6, "health_premium": 3e6},
                             {"non_health_premium": 6e6},
                             {"long_term_std_premium": 1e6, "health_premium": 2e6, "non_health_premium": 3e6}),
                   policy)
    assert scored["value_index"].nunique() == 1


def test_score_does_not_change_its_input(policy):
    table = customers({"long_term_std_premium": 7e6})
    before = table.copy()
    score(table, policy)
    pd.testing.assert_frame_equal(table, before)


# ----------------------------------------------------------------------------- properties
POLICY = load_policy()
amounts = st.one_of(st.sampled_from([0.0, 999_999.0, 1e6, 5e6, 1e7, 2e7, 5e7, 1e8]),
                    st.floats(0, 3e8, allow_nan=False))
margins = st.one_of(st.sampled_from([-0.01, 0.0, 0.05, 0.1, 0.2, 0.3]), st.floats(-2, 1))
customer = st.fixed_dictionaries({
    "effective_years": st.integers(1, 25),
    "long_term_std_premium": amounts, "health_premium": amounts, "non_health_premium": amounts,
    "profit_margin": margins,
})


@settings(max_examples=examples(60), deadline=None)
@given(row=customer, which=st.sampled_from(["long_term_std_premium", "health_premium",
                                            "non_health_premium"]),
       extra=st.floats(0, 2e8, allow_nan=False))
def test_raising_a_premium_never_lowers_the_value_index(row, which, extra):
    pol = POLICY
    before = score(customers(row), pol)["value_index"].iloc[0]
    after = score(customers({**row, which: row[which] + extra}), pol)["value_index"].iloc[0]
    assert after >= before


@settings(max_examples=examples(40), deadline=None)
@given(rows=st.lists(customer, min_size=1, max_size=30))
def test_vectorised_index_equals_the_row_by_row_oracle(rows):
    pol = POLICY
    table = customers(*rows)
    fast = score(table, pol)["value_index"].to_numpy()
    slow = score_naive(table, pol).to_numpy()
    np.testing.assert_array_equal(fast, slow)
    years = table["effective_years"].to_numpy()
    std = (table["long_term_std_premium"] + table["health_premium"] + table["non_health_premium"]).to_numpy()
    np.testing.assert_array_equal(value_index(std, years, table["profit_margin"].to_numpy(), pol), fast)
    assert value_index_row(table.iloc[0], pol) == fast[0]


def test_scoring_and_tiering_never_change_the_input(policy):
    # the output shares the input's columns (copy-on-write): writing into the output, even
    # into a column that came from the input, leaves the input as it was
    from tiermodel.tiers import assign_tiers, branch_capacity

    table = customers({"health_premium": 6_000_000, "health_loss_ratio": 0.5}, {})
    before = table.copy(deep=True)
    scored = score(table, policy)
    tiered = assign_tiers(scored, policy, branch_capacity(scored, policy)).table
    scored.loc[scored.index[0], "health_premium"] = -1.0
    tiered.loc[tiered.index[0], "long_term_std_premium"] = -1.0
    pd.testing.assert_frame_equal(table, before)
    assert list(table.columns) == list(before.columns)


def test_a_table_with_more_bands_than_a_byte_holds():
    # 300 edges 1, 2, …, 300 and 301 coefficients k/300: a value of 299.5 has 299 edges at or
    # below it (band 299, coefficient 299/300), 1000 has all 300 (band 300, coefficient 1.0)
    from tiermodel.policy import BandTable
    table = BandTable(breaks=list(range(1, 301)), coefficients=[k / 300 for k in range(301)])
    assert band_coefficient([0.5, 299.5, 1000.0], table).tolist() == [0.0, 299 / 300, 1.0]


def test_year_factor_is_the_fourth_from_year_four_on(policy):
    # K2 drawn apart for each year: 1.1, 1.2, 1.3 and 1.4 from the fourth year on
    pol = policy.with_values({"value_index.k2.year_1": 1.1, "value_index.k2.year_2": 1.2,
                              "value_index.k2.year_3": 1.3, "value_index.k2.year_4_plus": 1.4})
    assert year_factor([1, 2, 3, 4, 5, 40], pol.value_index.k2).tolist() == [1.1, 1.2, 1.3, 1.4, 1.4, 1.4]


def test_standard_premium_factors_multiply_each_part(policy):
    # factors long-term 0.5, health 2, non-health 0.1 (drawn apart to tell the parts apart):
    # 4M × 0.5 + 1M × 2 + 10M × 0.1 = 2M + 2M + 1M = 5M → 5–10M band, coefficient 0.30;
    # year 10, margin 0: 0.30×0.30 + 1.00×0.30 + 0.30×0.40 = 0.09 + 0.30 + 0.12 = 0.51
    pol = policy.with_values({"standard_premium.long_term_factor": 0.5, "standard_premium.health_factor": 2.0,
                              "standard_premium.non_health_factor": 0.1})
    scored = score(customers({"long_term_std_premium": 4e6, "health_premium": 1e6, "non_health_premium": 1e7}), pol)
    assert scored["standard_premium_used"].iloc[0] == pytest.approx(5_000_000)
    assert scored["premium_coef"].iloc[0] == 0.30
    assert scored["value_index"].iloc[0] == pytest.approx(0.51, abs=1e-12)


@pytest.mark.parametrize("k2", [2.0, 0.5])
def test_k2_the_same_in_every_year(policy, k2):
    # K2 = 2.0 (then 0.5) in every year; year 10, no premium (<1M → 0.10), margin 12 % (→ 0.70):
    # 0.10×0.30 + 1.00×0.30×1.0 + 0.70×0.40×2.0 = 0.03 + 0.30 + 0.56 = 0.89
    # 0.10×0.30 + 1.00×0.30×1.0 + 0.70×0.40×0.5 = 0.03 + 0.30 + 0.14 = 0.47
    pol = policy.with_values({f"value_index.k2.{y}": k2 for y in ("year_1", "year_2", "year_3", "year_4_plus")})
    expected = {2.0: 0.89, 0.5: 0.47}[k2]
    assert value_index([0.0], [10], [0.12], pol)[0] == pytest.approx(expected, abs=1e-12)
    assert score(customers({"profit_margin": 0.12}), pol)["value_index"].iloc[0] == pytest.approx(expected, abs=1e-12)
