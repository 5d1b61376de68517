"""Every field bound and default of policy.py at its edge: the lowest and highest value the text
allows accepted, the next one out refused.

The bounds are the policy's own units: shares in [0, 1], counts, days and amounts ≥ 0, a
month 1–12 (第12条, 第26条), a day of the month 1–31, K factors > 0 (第10条), a price-index base
year 1990–2100 and yearly rates between −50 % and +100 %; a list the text needs at least one
entry of (complaint actions 第34条, a service's tiers) holds one. Each case starts from the
model as params/policy-2003.yaml gives it and changes one value.
"""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from tiermodel.policy import (BandTable, Complaints, Readings, ServiceItem, ServiceTime)


def _validate(model, **changes):
    d = model.model_dump()
    d.update(changes)
    return type(model).model_validate(d)


# (where in the policy, field, values accepted, values refused)
SHARE = ([0.0, 1.0], [-0.01, 1.01])
COUNT = ([0, 3], [-1])
MONTH = ([1, 12], [0, 13])
BOUNDS = [
    (lambda p: p.value_index.k1, "year_1", [0.5], [0.0]),
    (lambda p: p.value_index.k2, "year_4_plus", [0.5], [0.0]),
    (lambda p: p.table_uncertainty, "edge_drop_probability", *SHARE),
    (lambda p: p.table_uncertainty, "band_split_probability", *SHARE),
    (lambda p: p.table_uncertainty.premium, "edge_spread", *SHARE),
    (lambda p: p.table_uncertainty.premium, "coefficient_spread", *SHARE),
    (lambda p: p.standard_premium, "long_term_factor", [0.0, 2.5], [-0.01]),
    (lambda p: p.eligibility.gold, "health_loss_ratio_max", *SHARE),
    (lambda p: p.eligibility.gold, "non_health_loss_ratio_max", *SHARE),
    (lambda p: p.eligibility.silver.D, "health_premium_min", [0.0], [-1.0]),
    (lambda p: p.gold_selection, "existing_places", *COUNT),
    (lambda p: p.gold_selection, "new_places", *COUNT),
    (lambda p: p.silver_selection.capacity_per_class, "A", *COUNT),
    (lambda p: p.silver_selection.capacity_per_class, "B", *COUNT),
    (lambda p: p.silver_selection.capacity_per_class, "C", *COUNT),
    (lambda p: p.silver_selection.capacity_per_class, "D", *COUNT),
    (lambda p: p.service_start, "months_after_approval", [0, 12], [-1, 13]),
    (lambda p: p.service_start, "approval_month", *MONTH),
    (lambda p: p.service_times.policy_issuance, "regular_days", [0, None], [-1]),
    (lambda p: p.service_times.policy_issuance, "vip_days", *COUNT),
    (lambda p: p.service_times.policy_issuance, "vip_extra_large_days", [0, None], [-1]),
    (lambda p: p.service_times, "renewal_reminder_months_ahead", *COUNT),
    (lambda p: p.unit_costs, "birthday_first_object_cny", [0.0], [-0.01]),
    (lambda p: p.unit_costs, "birthday_second_object_cny", [0.0], [-0.01]),
    (lambda p: p.unit_costs, "festival_gift_cny", [0.0], [-0.01]),
    (lambda p: p.unit_costs, "festivals_per_year", *COUNT),
    (lambda p: p.unit_costs, "hospital_visit_max_cny", [0.0], [-0.01]),
    (lambda p: p.revisits, "gold_min_per_year", *COUNT),
    (lambda p: p.revisits, "silver_min_per_year", *COUNT),
    (lambda p: p.revisits, "regular_per_year", *COUNT),
    (lambda p: p.executive_quotas, "gm_office_members", *COUNT),
    (lambda p: p.executive_quotas, "department_heads", *COUNT),
    (lambda p: p.executive_quotas, "branch_head_silver_min", *COUNT),
    (lambda p: p.executive_quotas, "gm_office_gold_min", [0], [-1]),
    (lambda p: p.executive_quotas, "department_head_gold_min", [0], [-1]),
    (lambda p: p.executive_quotas, "department_head_silver_min", [0], [-1]),
    (lambda p: p.satisfaction.gold, "very_satisfied_min", *SHARE),
    (lambda p: p.satisfaction.gold, "satisfied_or_better_min", *SHARE),
    (lambda p: p.satisfaction.gold, "average_max", *SHARE),
    (lambda p: p.satisfaction.gold, "dissatisfied_max", *SHARE),
    (lambda p: p.satisfaction.gold, "head_office_weight", *SHARE),
    (lambda p: p.satisfaction.regular, "satisfied_min", [0.0, 1.0, None], [-0.01, 1.01]),
    (lambda p: p.complaints, "back_office_pay_deduction_share", *SHARE),
    (lambda p: p.complaints, "monthly_deduction_cap", *SHARE),
    (lambda p: p.complaints, "back_office_actions", [["warning"]], [[]]),
    (lambda p: p.complaints, "salesperson_actions", [["warning"]], [[]]),
    (lambda p: p.service_catalogue["vip_handbook"], "take_up", *SHARE),
    (lambda p: p.service_catalogue["vip_handbook"], "label", ["x"], [""]),
    (lambda p: p.service_catalogue["vip_handbook"], "article", ["x"], [""]),
    (lambda p: p.service_catalogue["vip_handbook"], "tiers", [["gold"]], [[]]),
    (lambda p: p.service_catalogue["vip_handbook"], "branch_classes", [["D"]], [[]]),
    (lambda p: p.price_index, "base_year", [1990, 2100], [1989, 2101]),
    (lambda p: p.price_index, "annual_rate", [-0.5, 1.0], [-0.51, 1.01]),
    (lambda p: p.price_index, "annual_rate_sd", *SHARE),
    (lambda p: p.budget_assumptions.vip_count_scenarios["base"], "gold_churn", *SHARE),
    (lambda p: p.budget_assumptions.vip_count_scenarios["base"], "gold_new", *SHARE),
    (lambda p: p.budget_assumptions.vip_count_scenarios["base"], "silver_churn", *SHARE),
    (lambda p: p.budget_assumptions.vip_count_scenarios["base"], "silver_new", *SHARE),
    (lambda p: p.budget_assumptions, "new_gold_approval_month", *MONTH),
    (lambda p: p.budget_assumptions, "new_silver_approval_month", *MONTH),
    (lambda p: p.annual_cycle, "list_due_month", *MONTH),
    (lambda p: p.annual_cycle, "list_due_day", [1, 31], [0, 32]),
    (lambda p: p.annual_cycle, "premium_growth", [-0.5, 1.0], [-0.51, 1.01]),
    (lambda p: p.annual_cycle, "premium_growth_sd", *SHARE),
    (lambda p: p.annual_cycle, "new_customer_share", *SHARE),
    (lambda p: p.annual_cycle, "lapse_share", *SHARE),
    (lambda p: p.hotline, "enquiry_answer_days", *COUNT),
    (lambda p: p.hotline, "complaint_answer_days", *COUNT),
    (lambda p: p.delivery_rules, "notice_max_days", *COUNT),
]


@pytest.mark.parametrize("where, field, ok, bad", BOUNDS, ids=[f"{b[1]}-{i}" for i, b in enumerate(BOUNDS)])
def test_field_bounds(policy, where, field, ok, bad):
    model = where(policy)
    for value in ok:
        assert getattr(_validate(model, **{field: value}), field) == value
    for value in bad:
        with pytest.raises(ValidationError, match=field):
            _validate(model, **{field: value})


def test_executive_quota_upper_ends_down_to_zero(policy):
    q = policy.executive_quotas
    # a range 0–0 is a range (minimum ≤ upper end); a negative upper end is refused
    for lo, hi in (("gm_office_gold_min", "gm_office_gold_max"), ("department_head_gold_min", "department_head_gold_max"),
                   ("department_head_silver_min", "department_head_silver_max")):
        assert getattr(_validate(q, **{lo: 0, hi: 0}), hi) == 0
        with pytest.raises(ValidationError, match=hi):
            _validate(q, **{lo: 0, hi: -1})


def test_a_band_table_of_one_edge_and_two_coefficients():
    # the smallest 附表: one band edge, two bands
    t = BandTable(breaks=[1_000_000.0], coefficients=[0.1, 0.2])
    assert t.coefficients == [0.1, 0.2]
    with pytest.raises(ValidationError, match="breaks"):
        BandTable(breaks=[], coefficients=[0.1])
    with pytest.raises(ValidationError, match="coefficients"):
        BandTable(breaks=[1.0], coefficients=[0.1])


def test_defaults(policy):
    # readings of ambiguous wording (assumed): 累计 one year, 原则上 a hard rule, head office may
    # not lift a Gold criterion nor decide Silver (第8条), an override dated within its year
    assert Readings().model_dump() == {"cumulative_is_annual": True, "in_principle_is_hard_rule": True,
                                       "override_gold_without_criterion": False,
                                       "head_office_silver_override": False,
                                       "override_dates_within_service_year": True}
    # a service time without an extra-large standard has none
    assert ServiceTime(regular_days=5, vip_days=3).vip_extra_large_days is None
    # complaints: the monthly deduction capped at the whole pay (100 %) unless said
    c = policy.complaints.model_dump()
    del c["monthly_deduction_cap"]
    assert Complaints.model_validate(c).monthly_deduction_cap == 1.0
    # a service taken up by every VIP unless said, in every branch class
    item = policy.service_catalogue["vip_handbook"].model_dump()
    for key in ("take_up", "branch_classes"):
        del item[key]
    item = ServiceItem.model_validate(item)
    assert item.take_up == 1.0 and item.branch_classes == ["A", "B", "C", "D"]
    # new Silver customers approved in July (第12条 2, assumed) when not given
    b = policy.budget_assumptions.model_dump()
    del b["new_silver_approval_month"]
    assert type(policy.budget_assumptions).model_validate(b).new_silver_approval_month == 7


def test_a_policy_of_one_service_and_one_minimum(policy):
    # the smallest catalogue (附件七): one service, 第18条 2② monthly mailing, with its one
    # delivery minimum (12 a year); an empty catalogue or no minimum at all is refused
    from tiermodel.policy import Policy

    d = policy.model_dump()
    d["service_catalogue"] = {"monthly_mailing": d["service_catalogue"]["monthly_mailing"]}
    d["delivery_minimums"] = {"monthly_mailing": d["delivery_minimums"]["monthly_mailing"]}
    one = Policy.model_validate(d)
    assert list(one.service_catalogue) == ["monthly_mailing"] and one.delivery_minimums["monthly_mailing"].per_year == 12
    for key in ("service_catalogue", "delivery_minimums"):
        with pytest.raises(ValidationError, match=key):
            Policy.model_validate({**d, key: {}})


def test_executive_quota_table_by_hand(policy):
    # 第23条: the GM office (4 members, assumed) joins at least 10–15 Gold revisits each, no
    # Silver; 第24条: 6 department heads (assumed) 2–3 Gold and 3–5 Silver; 第25条: a branch head
    # at least 20 Silver and every local Gold (no Gold minimum of its own, no upper ends)
    import math

    t = policy.executive_quotas.quota_table()
    assert t.index.tolist() == ["gm_office", "department_head", "branch_head"]
    assert t.loc["gm_office"].tolist() == [4, 10, 15, 0, 0, False, False]
    assert t.loc["department_head"].tolist() == [6, 2, 3, 3, 5, False, True]
    bh = t.loc["branch_head"]
    assert math.isnan(bh["persons"]) and bh["gold_min"] == 0 and bh["gold_max"] == math.inf
    assert bh["silver_min"] == 20 and bh["silver_max"] == math.inf
    assert bool(bh["all_local_gold"]) is True and bool(bh["may_join_silver"]) is True
    # GM-office members join no Silver revisit unless the file says so (assumed)
    q = policy.executive_quotas.model_dump()
    del q["gm_office_may_join_silver"]
    assert type(policy.executive_quotas).model_validate(q).gm_office_may_join_silver is False


def test_one_vip_count_scenario_is_enough(policy):
    b = policy.budget_assumptions.model_dump()
    b["vip_count_scenarios"] = {"base": b["vip_count_scenarios"]["base"]}
    assert list(type(policy.budget_assumptions).model_validate(b).vip_count_scenarios) == ["base"]


def test_provenance_defaults_names_and_immutability(policy):
    import dataclasses

    from tiermodel.policy import Provenance, parameter_label

    p = Provenance(source="第10条", label_zh="权重", label_en="weight", reason="r", reason_zh="理由")
    assert p.assumed is False and p.kind == "sourced"
    assert (p.label("zh"), p.label("en"), p.reason_in("zh"), p.reason_in("en")) == ("权重", "weight", "理由", "r")
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.assumed = True
    # the reader's name of 第10条's premium weight, from the given policy and from the shipped one
    for pol in (policy, None):
        assert parameter_label("value_index.weights.premium", "zh", pol) == "价值指数权重·保费规模"
        assert parameter_label("value_index.weights.premium", "en", pol) == "Value index weight: premium scale"


# ------------------------------------------------------------------ the parameter files' own rules
def test_a_parameter_file_of_exactly_1_mib_is_read_one_byte_more_refused(tmp_path):
    from tiermodel.errors import ParameterError
    from tiermodel.policy import _yaml_text

    # 1 MiB = 1,048,576 bytes: a comment padded to exactly that size is read whole
    f = tmp_path / "big.yaml"
    f.write_bytes(b"#" + b"x" * (1_048_576 - 2) + b"\n")
    assert len(_yaml_text(f)) == 1_048_576
    f.write_bytes(b"#" + b"x" * (1_048_576 - 1) + b"\n")
    with pytest.raises(ParameterError, match=r"is larger than 1,024 KB"):
        _yaml_text(f)


def test_magnitudes_up_to_1e15_accepted_text_keys_not_read(tmp_path):
    from tiermodel.errors import ParameterError
    from tiermodel.policy import _refuse_non_finite

    _refuse_non_finite({"a": {"value": 1e15}}, "", "f.yaml")  # 1e15 itself: accepted
    with pytest.raises(ParameterError, match="beyond"):
        _refuse_non_finite({"a": {"value": 1_000_000_000_000_001}}, "", "f.yaml")  # 1e15 + 1
    with pytest.raises(ParameterError, match="a.value"):
        _refuse_non_finite({"a": {"value": 1e16}}, "", "f.yaml")
    _refuse_non_finite({"a": {"value": 1, "reason": "1e999", "label_en": "inf"}}, "", "f.yaml")  # words, not values


def test_line_numbers_of_a_repeated_key_and_a_yaml_11_boolean(tmp_path):
    from tiermodel.errors import ParameterError
    from tiermodel.policy import _read_yaml

    f = tmp_path / "s.yaml"
    f.write_text("a: 1\nb: 2\na: 3\n", encoding="utf-8")
    # the second 'a' on line 3, the first on line 1 (lines counted from 1)
    with pytest.raises(ParameterError, match=r"line 3: key 'a' is given twice in one mapping \(first on line 1\)"):
        _read_yaml(f)
    f.write_text("a: 1\nflag: yes\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"line 2: 'yes' would be read as the boolean True"):
        _read_yaml(f)
    f.write_text("a: 1\nflag: off\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"line 2: 'off' would be read as the boolean False"):
        _read_yaml(f)


def test_bracket_messages_and_a_log_edge_below_one(policy):
    spread = policy.table_uncertainty.premium  # log scale
    low = spread.bracket_low.model_dump()
    # a first band edge of 0.5 CNY is > 0: a log scale takes it
    edges = [0.5, *low["breaks"][1:]]
    d = spread.model_dump()
    d["bracket_low"] = {**low, "breaks": edges}
    assert type(spread).model_validate(d).bracket_low.breaks[0] == 0.5
    # coefficients falling from the first band to the second: the message names [0] and [1]
    # (low 0.05, 0.15, 0.25, … under high 0.15, 0.25, 0.40, …): low's first two set to 0.15, 0.14
    c = list(low["coefficients"])
    d["bracket_low"] = {**low, "coefficients": [0.15, 0.14, *c[2:]]}
    with pytest.raises(ValidationError, match=r"bracket_low.coefficients must not decrease .*; \[0\] = 0.15 > \[1\] = 0.14"):
        type(spread).model_validate(d)


def test_parameter_leaf_of_a_table_value(policy):
    from tiermodel.policy import parameter_leaf

    # a band edge of 附表1 is held by the table's leaf, in the given policy and in the shipped one
    assert parameter_leaf("conversion_tables.premium.breaks", policy) == "conversion_tables.premium"
    assert parameter_leaf("conversion_tables.premium.breaks") == "conversion_tables.premium"
    assert parameter_leaf("no_such.section") is None
