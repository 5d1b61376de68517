"""Each validator and field bound of policy.py tested directly on its model: the bracketing
tables of the lost 附表1–3, the robust/contested shares, the 第35条 3 literal reading, the
第23–25条 executive quota ranges, delivery minimums, negative counts and amounts, and frozen
models.

Each case starts from the model as params/policy-2003.yaml gives it (which validates) and
changes one value: the refusal is then that value's, and the unchanged model is accepted.
"""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from tiermodel.policy import (BandTable, BudgetAssumptions, Criteria, Eligibility, ExecutiveQuotas,
                              GoldSelection, PerClassCount, Policy, Satisfaction, ServiceItem, StandardPremium,
                              TableSpread, TableUncertainty, Weights, YearFactors)


def _with(model, **changes):
    """The model's fields as a dict, with ``changes`` (dotted keys go one level down)."""
    d = model.model_dump()
    for key, value in changes.items():
        node = d
        *parents, leaf = key.split("__")
        for p in parents:
            node = node[p]
        node[leaf] = value
    return d


def test_unchanged_models_validate(policy):
    for model in (policy.table_uncertainty, policy.table_uncertainty.premium, policy.executive_quotas,
                  policy.satisfaction, policy.eligibility, policy.budget_assumptions):
        assert type(model).model_validate(model.model_dump()) == model


# ------------------------------------------------------------------ TableSpread brackets
def test_brackets_with_differing_band_counts_refused(policy):
    spread = policy.table_uncertainty.loyalty  # linear scale
    low = spread.bracket_low.model_dump()
    low["breaks"] = low["breaks"][:-1]
    low["coefficients"] = low["coefficients"][:-1]
    with pytest.raises(ValidationError, match=rf"bracket_low has {len(low['breaks'])} band edges, bracket_high "
                                              rf"{len(low['breaks']) + 1}; the two bracketing tables need the same"):
        TableSpread.model_validate(_with(spread, bracket_low=low))


def test_bracket_low_above_high_refused(policy):
    spread = policy.table_uncertainty.loyalty
    low, high = spread.bracket_low.model_dump(), spread.bracket_high.model_dump()
    # the two tables swapped: the first edge where they differ is above its partner
    i = next(i for i, (a, b) in enumerate(zip(low["breaks"], high["breaks"])) if a < b)
    with pytest.raises(ValidationError, match=rf"bracket_low.breaks\[{i}\] = {high['breaks'][i]} is above "
                                              rf"bracket_high.breaks\[{i}\] = {low['breaks'][i]}"):
        TableSpread.model_validate(_with(spread, bracket_low=high, bracket_high=low))
    # the same edges, the coefficients swapped
    j = next(j for j, (a, b) in enumerate(zip(low["coefficients"], high["coefficients"])) if a < b)
    with pytest.raises(ValidationError, match=rf"bracket_low.coefficients\[{j}\] = {high['coefficients'][j]} is "
                                              rf"above bracket_high.coefficients\[{j}\]"):
        TableSpread.model_validate(_with(spread, bracket_low=dict(low, coefficients=high["coefficients"]),
                                         bracket_high=dict(low, coefficients=low["coefficients"])))


def test_equal_brackets_accepted(policy):
    spread = policy.table_uncertainty.profit
    same = spread.bracket_low.model_dump()
    assert TableSpread.model_validate(_with(spread, bracket_high=same)).bracket_high.breaks == same["breaks"]


def test_decreasing_bracket_coefficients_refused(policy):
    spread = policy.table_uncertainty.loyalty
    for name in ("bracket_low", "bracket_high"):
        table = getattr(spread, name).model_dump()
        c = table["coefficients"]
        c[0], c[1] = c[1], c[0]  # [0] > [1]
        other = "bracket_high" if name == "bracket_low" else "bracket_low"
        # keep low ≤ high element by element: both tables swapped
        other_table = getattr(spread, other).model_dump()
        oc = other_table["coefficients"]
        oc[0], oc[1] = oc[1], oc[0]
        tables = {name: table, other: other_table}
        with pytest.raises(ValidationError, match=r"bracket_low.coefficients must not decrease .*\[0\] = .* > \[1\]"):
            TableSpread.model_validate(_with(spread, **tables))


def test_decreasing_high_bracket_coefficients_refused(policy):
    # low stays increasing; high's last coefficient pulled down to its second last but not
    # below low's: [.., x, x−] decreases only in bracket_high
    spread = policy.table_uncertainty.loyalty
    low, high = spread.bracket_low.model_dump(), spread.bracket_high.model_dump()
    low["coefficients"] = [0.0] * len(low["coefficients"])
    high["coefficients"] = [*high["coefficients"][:-2], 0.9, 0.8]
    with pytest.raises(ValidationError, match=r"bracket_high.coefficients must not decrease .*\] = 0.9 > \[.*\] = 0.8"):
        TableSpread.model_validate(_with(spread, bracket_low=low, bracket_high=high))
    # equal neighbours are not a decrease
    high["coefficients"] = [*high["coefficients"][:-2], 0.9, 0.9]
    TableSpread.model_validate(_with(spread, bracket_low=low, bracket_high=high))


@pytest.mark.parametrize("first_edge", [0.0, -1.0])
def test_log_scale_edge_not_above_zero_refused(policy, first_edge):
    spread = policy.table_uncertainty.premium
    assert spread.scale == "log"
    low = spread.bracket_low.model_dump()
    low["breaks"][0] = first_edge
    with pytest.raises(ValidationError, match="a log-scale table needs band edges > 0"):
        TableSpread.model_validate(_with(spread, bracket_low=low))
    # the same edges on a linear scale are fine
    TableSpread.model_validate(_with(spread, bracket_low=low, scale="linear"))


# ------------------------------------------------------------------ TableUncertainty shares
@pytest.mark.parametrize("contested, robust, ok", [(0.5, 0.95, True), (0.95, 0.95, False), (0.96, 0.95, False),
                                                   (0.0, 0.01, True)])
def test_contested_share_below_robust_share(policy, contested, robust, ok):
    d = _with(policy.table_uncertainty, contested_share=contested, robust_share=robust)
    if ok:
        assert TableUncertainty.model_validate(d).contested_share == contested
    else:
        with pytest.raises(ValidationError, match=rf"contested_share = {contested} must be below robust_share = "
                                                  rf"{robust}"):
            TableUncertainty.model_validate(d)


# ------------------------------------------------------------------ Satisfaction literal reading
def test_literal_reading_needs_the_satisfied_share(policy):
    s = policy.satisfaction
    with pytest.raises(ValidationError, match=r"regular_reading 'literal' needs regular.satisfied_min"):
        Satisfaction.model_validate(_with(s, regular_reading="literal", regular__satisfied_min=None))
    assert Satisfaction.model_validate(_with(s, regular_reading="literal", regular__satisfied_min=0.65)) \
        .regular.satisfied_min == 0.65
    # the cumulative reading does not need it
    assert Satisfaction.model_validate(_with(s, regular_reading="cumulative", regular__satisfied_min=None)) \
        .regular.satisfied_min is None


# ------------------------------------------------------------------ ExecutiveQuotas ranges
@pytest.mark.parametrize("lo, hi", [("gm_office_gold_min", "gm_office_gold_max"),
                                    ("department_head_gold_min", "department_head_gold_max"),
                                    ("department_head_silver_min", "department_head_silver_max")])
def test_quota_minimum_above_its_upper_end_refused(policy, lo, hi):
    q = policy.executive_quotas
    top = getattr(q, hi)
    with pytest.raises(ValidationError, match=rf"{lo} = {top + 1} exceeds {hi} = {top}"):
        ExecutiveQuotas.model_validate(_with(q, **{lo: top + 1}))
    assert getattr(ExecutiveQuotas.model_validate(_with(q, **{lo: top})), lo) == top  # equal: a point range


# ------------------------------------------------------------------ delivery minimums
def test_delivery_minimum_naming_an_unknown_service_refused(policy):
    d = policy.model_dump()
    first = next(iter(d["delivery_minimums"]))
    d["delivery_minimums"]["no_such_service"] = d["delivery_minimums"].pop(first)
    with pytest.raises(ValidationError, match="'no_such_service' is not a service of service_catalogue"):
        Policy.model_validate(d)


def test_delivery_minimum_with_a_bad_path_refused(policy):
    d = policy.model_dump()
    name = next(iter(d["delivery_minimums"]))
    d["delivery_minimums"][name]["per_year"] = "revisits.gold_min_per_yaer"
    with pytest.raises(ValidationError, match=rf"{name}.per_year: 'revisits.gold_min_per_yaer' names no policy "
                                              r"value \(at 'gold_min_per_yaer'"):
        Policy.model_validate(d)
    d["delivery_minimums"][name]["per_year"] = "revisits.gold_min_per_year"
    assert Policy.model_validate(d).delivery_minimums[name].per_year == "revisits.gold_min_per_year"


def test_catalogue_path_to_a_non_number_refused(policy):
    d = policy.model_dump()
    name = next(iter(d["service_catalogue"]))
    d["service_catalogue"][name]["unit_cost_cny"] = "satisfaction.regular_reading"
    with pytest.raises(ValidationError, match=rf"{name}.unit_cost_cny: 'satisfaction.regular_reading' is "
                                              r"'\w+', not a number >= 0"):
        Policy.model_validate(d)


@pytest.mark.parametrize("value, ok", [(0, True), (2.5, True), (-1, False), (float("nan"), False), ("", False),
                                       ("a path", False), ("unit_costs.festival_gift_cny", True)])
def test_service_item_amounts(policy, value, ok):
    item = next(iter(policy.service_catalogue.values()))
    d = _with(item, per_year=value)
    if ok:
        assert ServiceItem.model_validate(d).per_year == value
    else:
        with pytest.raises(ValidationError, match="must be a number >= 0|neither a number nor a dotted policy path"):
            ServiceItem.model_validate(d)


# ------------------------------------------------------------------ negative counts and amounts
@pytest.mark.parametrize("model, field", [
    (lambda p: p.standard_premium, "health_factor"), (lambda p: p.standard_premium, "long_term_factor"),
    (lambda p: p.standard_premium, "non_health_factor"),
    (lambda p: p.eligibility.gold, "health_premium_min"), (lambda p: p.eligibility.gold, "long_term_std_premium_min"),
    (lambda p: p.eligibility.gold, "non_health_premium_min"),
    (lambda p: p.gold_selection, "existing_places"), (lambda p: p.gold_selection, "new_places"),
    (lambda p: p.silver_selection.capacity_per_class, "A"), (lambda p: p.silver_selection.capacity_per_class, "D"),
    (lambda p: p.executive_quotas, "gm_office_members"), (lambda p: p.revisits, "gold_min_per_year"),
    (lambda p: p.unit_costs, "festival_gift_cny"),
])
def test_negative_values_refused_zero_accepted(policy, model, field):
    m = model(policy)
    with pytest.raises(ValidationError, match=rf"{field}\n  Input should be greater than or equal to 0"):
        type(m).model_validate(_with(m, **{field: -1}))
    if not (field.endswith("_max") or field.endswith("_min") and type(m).__name__ == "ExecutiveQuotas"):
        assert getattr(type(m).model_validate(_with(m, **{field: 0})), field) == 0


def test_year_factors_above_zero(policy):
    k1 = policy.value_index.k1
    for field in ("year_1", "year_2", "year_3", "year_4_plus"):
        with pytest.raises(ValidationError, match=rf"{field}\n  Input should be greater than 0"):
            YearFactors.model_validate(_with(k1, **{field: 0}))
    assert YearFactors.model_validate(_with(k1, year_1=0.01)).year_1 == 0.01


def test_zero_criteria_minimum_accepted(policy):
    # a zero minimum (e.g. no long-term premium needed) is a valid 第11条 threshold; the class
    # D minimums can go to 0 without breaking the Gold ≥ A ≥ B ≥ C ≥ D order
    c = Criteria.model_validate(_with(policy.eligibility.silver.D, health_premium_min=0,
                                      long_term_std_premium_min=0, non_health_premium_min=0))
    assert (c.health_premium_min, c.long_term_std_premium_min, c.non_health_premium_min) == (0, 0, 0)
    e = _with(policy.eligibility, silver__D=c.model_dump())
    assert Eligibility.model_validate(e).silver.D.health_premium_min == 0


def test_gold_selection_and_capacity_counts(policy):
    assert GoldSelection.model_validate(_with(policy.gold_selection, existing_places=0, new_places=0)).new_places == 0
    assert PerClassCount.model_validate({"A": 0, "B": 0, "C": 0, "D": 0}).D == 0


def test_weights_sum_and_band_table_checks():
    assert Weights(premium=0.3, loyalty=0.3, profit=0.4).premium == 0.3
    with pytest.raises(ValidationError, match="weights must sum to 1 .* these sum to 1.1"):
        Weights(premium=0.4, loyalty=0.3, profit=0.4)
    with pytest.raises(ValidationError, match=r"breaks\[0\] = 2.0 is not below breaks\[1\] = 2.0"):
        BandTable(breaks=[2, 2], coefficients=[0, 0.5, 1])
    with pytest.raises(ValidationError, match=r"coefficients\[1\] = 1.5 is outside \[0, 1\]"):
        BandTable(breaks=[2], coefficients=[0, 1.5])
    with pytest.raises(ValidationError, match="a table with 1 breaks needs 2 coefficients, not 3"):
        BandTable(breaks=[2], coefficients=[0, 0.5, 1])


def test_unknown_vip_count_scenario_refused(policy):
    ba = policy.budget_assumptions
    with pytest.raises(ValidationError, match="vip_count_scenario 'nope' is not one of"):
        BudgetAssumptions.model_validate(_with(ba, vip_count_scenario="nope"))


# ------------------------------------------------------------------ frozen models
def test_a_frozen_model_is_not_assignable(policy):
    with pytest.raises(ValidationError, match="frozen"):
        policy.gold_selection.existing_places = 5
    with pytest.raises(ValidationError, match="frozen"):
        policy.standard_premium.health_factor = 2.0
    assert policy.gold_selection.existing_places == 30
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        StandardPremium.model_validate({**policy.standard_premium.model_dump(), "dental_factor": 1.0})
