"""The vectorised core against the row-by-row reference under drawn policies, not only 2003's.

The policy strategy varies every number of 第10条 and 第13条 the code reads: the weights on
the simplex, K1 and K2 for each year, the standard-premium factors, the three band tables
(附表1–3), the Gold places (30 + 10), whether unfilled new places pass on, and the Silver
capacities. Customers are drawn at and around the drawn band edges and the 第11条 bounds.
Under each policy the scored and tiered book must equal :mod:`tiermodel.reference` on
value index, tier, tier rank and the reason sentence, customer by customer.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import customers, examples
from tiermodel.policy import load_policy
from tiermodel.reference import score_naive, tiering_naive, value_index_row
from tiermodel.scoring import coefficients, combine, score, standard_premium, value_index, year_factor
from tiermodel.tiers import assign_tiers, branch_capacity

BASE = load_policy()
BRANCHES = [("Beijing", "A"), ("Jinan", "B"), ("Hefei", "C"), ("Lhasa", "D")]
SETTINGS = settings(max_examples=examples(40), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

coefficient = st.sampled_from([round(0.05 * k, 2) for k in range(21)])  # ties are likely on purpose


def band_table(edges):
    """A 附表 from a pool of candidate edges: 1–6 increasing edges, one more coefficient."""
    return st.lists(st.sampled_from(edges), min_size=1, max_size=6, unique=True).flatmap(
        lambda br: st.lists(coefficient, min_size=len(br) + 1, max_size=len(br) + 1).map(
            lambda co: {"breaks": sorted(br), "coefficients": co}))


@st.composite
def weights(draw):
    """Weights on the simplex: percentages, or arbitrary positive numbers normalised."""
    if draw(st.booleans()):
        a = draw(st.integers(0, 100))
        b = draw(st.integers(0, 100 - a))
        return {"premium": a / 100, "loyalty": b / 100, "profit": (100 - a - b) / 100}
    x = draw(st.lists(st.floats(0.01, 1.0), min_size=3, max_size=3))
    total = sum(x)
    w = [v / total for v in x]
    assume(abs(sum(w) - 1.0) <= 1e-9 and all(0 <= v <= 1 for v in w))
    return dict(zip(("premium", "loyalty", "profit"), w))


factor = st.one_of(st.sampled_from([0.5, 1.0, 1.2, 1.5, 2.0, 3.5]), st.floats(0.05, 5.0))


@st.composite
def year_factors(draw):
    """K1 or K2 per year 1, 2, 3, 4+: neutral, one value for all years, or each its own."""
    kind = draw(st.sampled_from(["neutral", "flat", "each"]))
    if kind == "neutral":
        values = [1.0] * 4
    elif kind == "flat":
        values = [draw(factor)] * 4
    else:
        values = draw(st.lists(factor, min_size=4, max_size=4))
    return dict(zip(("year_1", "year_2", "year_3", "year_4_plus"), values))


@st.composite
def policies(draw):
    """A valid policy: the 2003 one with the 第10条 and 第13条 numbers redrawn."""
    changes = {
        "value_index.weights": draw(weights()),
        "value_index.k1": draw(year_factors()),
        "value_index.k2": draw(year_factors()),
        "standard_premium.long_term_factor": draw(st.sampled_from([0.0, 0.5, 1.0, 1.3, 2.0])),
        "standard_premium.health_factor": draw(st.sampled_from([0.0, 0.5, 1.0, 1.3, 2.0])),
        "standard_premium.non_health_factor": draw(st.sampled_from([0.0, 0.5, 1.0, 1.3, 2.0])),
        "conversion_tables.premium": draw(band_table([5e5, 1e6, 2e6, 5e6, 1e7, 2e7, 5e7, 1e8, 2e8])),
        "conversion_tables.loyalty": draw(band_table([2, 3, 4, 5, 6, 8, 10, 12, 15])),
        "conversion_tables.profit": draw(band_table([-0.1, 0.0, 0.05, 0.1, 0.2, 0.3, 0.5])),
        "gold_selection.existing_places": draw(st.integers(0, 4)),
        "gold_selection.new_places": draw(st.integers(0, 3)),
        "gold_selection.unfilled_new_places_go_to_existing": draw(st.booleans()),
    }
    for cls in "ABCD":
        changes[f"silver_selection.capacity_per_class.{cls}"] = draw(st.integers(0, 3))
    return BASE.with_values(leaves(changes), note="drawn")


def leaves(changes):
    """Dotted-path changes with the K and weight mappings spelt out leaf by leaf."""
    out = {}
    for path, value in changes.items():
        if path.startswith("value_index."):
            out.update({f"{path}.{k}": v for k, v in value.items()})
        else:
            out[path] = value
    return out


def customer_rows(pol):
    """Customers at, just below and away from the policy's band edges and 第11条 bounds."""
    t = pol.conversion_tables
    amounts = st.one_of(
        st.sampled_from([0.0, 100_000.0, 200_000.0, 500_000.0, 1e6, 2e6, 3e6, 5e6, 1e7, 2e7, 5e7]),
        st.sampled_from(t.premium.breaks),
        st.floats(0, 1.2e8, allow_nan=False))
    loss = st.one_of(st.sampled_from([0.0, 0.40, 0.4001, 0.60, 0.6001]), st.floats(0, 1.5))
    margin = st.one_of(st.sampled_from(t.profit.breaks), st.floats(-0.3, 0.7))
    return st.fixed_dictionaries({
        "branch": st.integers(0, len(BRANCHES) - 1),
        "effective_years": st.one_of(st.sampled_from([int(b) for b in t.loyalty.breaks]), st.integers(1, 20)),
        "is_new": st.booleans(),
        "long_term_std_premium": amounts, "health_premium": amounts, "non_health_premium": amounts,
        "health_loss_ratio": loss, "non_health_loss_ratio": loss, "profit_margin": margin,
    })


def book(rows):
    """Validated customers; ids C0.. in row order, so text order differs from row order (C10 < C2)."""
    return customers(*({**r, "branch": BRANCHES[r["branch"]][0], "branch_class": BRANCHES[r["branch"]][1],
                        "customer_id": f"C{i}"} for i, r in enumerate(rows)))


@SETTINGS
@given(data=st.data())
def test_value_index_equals_the_reference_under_drawn_policies(data):
    pol = data.draw(policies())
    rows = data.draw(st.lists(customer_rows(pol), min_size=1, max_size=25))
    table = book(rows)
    scored = score(table, pol)
    slow = score_naive(table, pol).to_numpy()
    np.testing.assert_array_equal(scored["value_index"].to_numpy(), slow)
    # the fast array path gives the very same numbers
    std = standard_premium(table["long_term_std_premium"], table["health_premium"],
                           table["non_health_premium"], pol)
    years = table["effective_years"].to_numpy()
    np.testing.assert_array_equal(value_index(std, years, table["profit_margin"].to_numpy(), pol), slow)
    # and so do the components, recombined
    f = pol.standard_premium
    expected_std = (table["long_term_std_premium"] * f.long_term_factor + table["health_premium"] * f.health_factor
                    + table["non_health_premium"] * f.non_health_factor).to_numpy()
    np.testing.assert_array_equal(scored["standard_premium_used"].to_numpy(), expected_std)
    coefs = scored[["premium_coef", "loyalty_coef", "profit_coef"]].to_numpy()
    np.testing.assert_array_equal(
        combine(coefs, scored["k1"].to_numpy(), scored["k2"].to_numpy(), pol.value_index.weights.as_array()), slow)
    np.testing.assert_array_equal(coefficients(std, years, table["profit_margin"].to_numpy(), pol), coefs)
    assert value_index_row(table.iloc[0], pol) == slow[0]


@SETTINGS
@given(data=st.data())
def test_tier_rank_and_reason_equal_the_reference_under_drawn_policies(data):
    pol = data.draw(policies())
    rows = data.draw(st.lists(customer_rows(pol), min_size=1, max_size=30))
    table = book(rows)
    cap = branch_capacity(table, pol)
    fast = assign_tiers(score(table, pol), pol, cap).table
    slow = tiering_naive(table, pol, cap.to_dict())
    assert fast["tier"].astype(str).tolist() == slow["tier"].tolist()
    assert fast["tier_rank"].reset_index(drop=True).equals(slow["tier_rank"].reset_index(drop=True))
    assert fast["reason"].tolist() == slow["reason"].tolist()  # the same note (code and fields) per customer
    np.testing.assert_array_equal(fast["value_index"].to_numpy(), slow["value_index"].to_numpy())


@SETTINGS
@given(data=st.data())
def test_year_factors_follow_the_year(data):
    # 第10条: K by effective insured year 1, 2, 3, and the same from the fourth year on
    k = data.draw(year_factors())
    pol = BASE.with_values(leaves({"value_index.k2": k}), note="drawn")
    years = data.draw(st.lists(st.integers(1, 40), min_size=1, max_size=10))
    expected = [k["year_1"] if y == 1 else k["year_2"] if y == 2 else k["year_3"] if y == 3
                else k["year_4_plus"] for y in years]
    assert year_factor(years, pol.value_index.k2).tolist() == expected


def test_rounding_to_ten_decimals():
    # weights 1/3 each; 0 premium (<1M → 0.10), year 10 (→ 1.00, K1 1), margin 0 (→ 0.30):
    # (0.10 + 1.00 + 0.30) / 3 = 1.4 / 3 = 0.46666…, rounded to 10 decimals = 0.4666666667
    third = 1 / 3
    pol = BASE.with_values(leaves({"value_index.weights": {"premium": third, "loyalty": third, "profit": third}}))
    scored = score(customers({}), pol)
    assert scored["value_index"].iloc[0] == pytest.approx(0.4666666667, abs=1e-15)
    fast = value_index([0.0], [10], [0.0], pol)
    assert fast[0] == pytest.approx(0.4666666667, abs=1e-15)
