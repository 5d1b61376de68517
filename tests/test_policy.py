"""Parameters: loading, provenance, scenario merge and refusal of bad parameter files."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tiermodel.errors import ParameterError
from tiermodel.policy import (BRANCH_CLASSES, PARAMS_DIR, describe, load_policy,
                              scenario_description, scenario_names)


# ----------------------------------------------------------------------------- the 2003 policy
def test_weights_and_k_factors_are_those_of_article_10(policy):
    w = policy.value_index.weights
    assert (w.premium, w.loyalty, w.profit) == (0.30, 0.30, 0.40)  # 第10条 30 % / 30 % / 40 %
    k1 = policy.value_index.k1
    assert (k1.year_1, k1.year_2, k1.year_3, k1.year_4_plus) == (3.5, 2.0, 1.5, 1.0)
    assert policy.provenance["value_index.weights.profit"].source == "第10条"
    assert policy.provenance["value_index.k1.year_1"].source == "第10条"
    # K1 from the fourth year and all of K2 are ours, flagged with a reason
    assert policy.provenance["value_index.k1.year_4_plus"].assumed
    assert policy.provenance["value_index.k2.year_1"].reason


def test_entry_criteria_are_those_of_article_11(policy):
    g = policy.eligibility.gold
    assert (g.long_term_std_premium_min, g.health_premium_min, g.non_health_premium_min) == \
        (50_000_000, 5_000_000, 1_000_000)
    assert (g.health_loss_ratio_max, g.non_health_loss_ratio_max) == (0.60, 0.40)
    expected = {"A": (20_000_000, 3_000_000, 500_000), "B": (10_000_000, 2_000_000, 200_000),
                "C": (5_000_000, 1_000_000, 100_000), "D": (5_000_000, 1_000_000, 100_000)}
    for cls in BRANCH_CLASSES:
        c = policy.silver_criteria(cls)
        assert (c.long_term_std_premium_min, c.health_premium_min, c.non_health_premium_min) == expected[cls]
        assert policy.provenance[f"eligibility.silver.{cls}.health_premium_min"].source == "第11条"
    assert (policy.gold_selection.existing_places, policy.gold_selection.new_places) == (30, 10)


def test_every_leaf_is_sourced_or_assumed_with_a_reason(policy):
    rows = describe(policy)
    assert len(rows) == len(policy.provenance) > 50
    for path, prov in policy.provenance.items():
        assert prov.source or (prov.assumed and prov.reason), path
    assumed = {path for path, _, _ in policy.assumptions()}
    assert "conversion_tables.premium" in assumed  # 附表1 is lost
    assert "eligibility.gold.health_premium_min" not in assumed  # 第11条


def test_with_values_validates_and_records_the_change(policy):
    changed = policy.with_values({"gold_selection.new_places": 5}, note="test")
    assert changed.gold_selection.new_places == 5
    assert policy.gold_selection.new_places == 10  # the original is untouched (frozen)
    prov = changed.provenance["gold_selection.new_places"]
    assert (prov.scenario, prov.base_value, prov.source) == ("test", 10, "第13条")
    # a key of a table leaf: the table's provenance records the change
    table = changed.with_values({"conversion_tables.premium.coefficients":
                                 [0.1, 0.2, 0.3, 0.4, 0.6, 0.8, 1.0]}, note="t2")
    assert table.provenance["conversion_tables.premium"].scenario == "t2"


# ----------------------------------------------------------------------------- bad values
@pytest.mark.parametrize("changes, path, rule", [
    ({"value_index.weights.premium": 0.5}, "value_index.weights", "sum to 1"),
    ({"conversion_tables.premium.breaks": [1_000_000, 1_000_000, 10e6, 20e6, 50e6, 100e6]},
     "conversion_tables.premium.breaks", "strictly increasing"),
    ({"conversion_tables.profit.coefficients": [0.0, 0.3, 0.5, 0.7, 0.85, 1.2]},
     "conversion_tables.profit.coefficients", "outside [0, 1]"),
    ({"conversion_tables.loyalty.coefficients": [-0.1, 0.35, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]},
     "conversion_tables.loyalty.coefficients", "outside [0, 1]"),
    ({"eligibility.gold.health_loss_ratio_max": 1.5}, "eligibility.gold.health_loss_ratio_max",
     "less than or equal to 1"),
    ({"value_index.k1.year_1": 0}, "value_index.k1.year_1", "greater than 0"),
])
def test_bad_values_are_refused_naming_path_and_rule(policy, changes, path, rule):
    with pytest.raises(ParameterError) as err:
        policy.with_values(changes, note="my-change")
    assert err.value.file == "<my-change>"
    assert err.value.path == path
    assert rule in err.value.rule
    assert path in str(err.value) and "<my-change>" in str(err.value)


@pytest.mark.parametrize("path, bad, nearest", [
    ("value_index.weigths.premium", "value_index.weigths", "weights"),
    ("eligibility.silver.B.health_premium_mn", "eligibility.silver.B.health_premium_mn",
     "health_premium_min"),
])
def test_typo_in_a_key_names_the_path_and_the_nearest_name(policy, path, bad, nearest):
    with pytest.raises(ParameterError) as err:
        policy.with_values({path: 1})
    assert err.value.path == bad
    assert f"did you mean '{nearest}'" in err.value.rule


# ----------------------------------------------------------------------------- bad files
@pytest.fixture()
def params_copy(tmp_path) -> Path:
    """A private copy of params/ to break."""
    target = tmp_path / "params"
    shutil.copytree(PARAMS_DIR, target)
    return target


def _edit_base(params_dir: Path, old: str, new: str) -> Path:
    path = params_dir / "policy-2003.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_typo_in_the_base_file_names_file_path_and_nearest(params_copy):
    path = _edit_base(params_copy, "  k1:\n", "  kk1:\n")
    with pytest.raises(ParameterError) as err:
        load_policy(params_dir=params_copy)
    assert err.value.file == str(path)
    assert err.value.path == "value_index.kk1"
    assert "did you mean 'k1'" in err.value.rule


def test_weights_not_summing_to_one_in_the_file(params_copy):
    # premium 0.30 → 0.35: 0.35 + 0.30 + 0.40 = 1.05
    path = _edit_base(params_copy, "    premium:\n      value: 0.30\n", "    premium:\n      value: 0.35\n")
    with pytest.raises(ParameterError) as err:
        load_policy(params_dir=params_copy)
    assert err.value.file == str(path)
    assert err.value.path == "value_index.weights"
    assert "sum to 1" in err.value.rule and "1.05" in err.value.rule


def test_band_edges_not_increasing_in_the_file(params_copy):
    _edit_base(params_copy, "breaks: [2, 3, 4, 5, 6, 8, 10]", "breaks: [2, 3, 4, 4, 6, 8, 10]")
    with pytest.raises(ParameterError) as err:
        load_policy(params_dir=params_copy)
    assert err.value.path == "conversion_tables.loyalty.breaks"
    assert "strictly increasing" in err.value.rule


def test_coefficient_outside_unit_interval_in_the_file(params_copy):
    _edit_base(params_copy, "coefficients: [0.00, 0.30, 0.50, 0.70, 0.85, 1.00]",
               "coefficients: [0.00, 0.30, 0.50, 0.70, 0.85, 1.10]")
    with pytest.raises(ParameterError) as err:
        load_policy(params_dir=params_copy)
    assert err.value.path == "conversion_tables.profit.coefficients"
    assert "outside [0, 1]" in err.value.rule


def test_a_value_without_source_or_assumption_is_refused(params_copy):
    _edit_base(params_copy, "      value: 3.5\n      source: 第10条\n", "      value: 3.5\n")
    with pytest.raises(ParameterError) as err:
        load_policy(params_dir=params_copy)
    assert err.value.path == "value_index.k1.year_1"
    assert "source" in err.value.rule


# ----------------------------------------------------------------------------- scenarios
def test_the_two_bundled_scenarios_exist_with_a_description():
    assert {"weights-equal", "silver-capacity-doubled"} <= set(scenario_names())
    for name in ("weights-equal", "silver-capacity-doubled"):
        assert len(scenario_description(name)) > 40


def test_weights_equal_scenario_merges_over_the_base():
    pol = load_policy("weights-equal")
    w = pol.value_index.weights
    assert (w.premium, w.loyalty, w.profit) == (0.34, 0.33, 0.33)  # 0.34 + 0.33 + 0.33 = 1
    prov = pol.provenance["value_index.weights.profit"]
    assert (prov.scenario, prov.base_value, prov.source) == ("weights-equal", 0.40, "第10条")
    assert pol.scenario == "weights-equal" and len(pol.files) == 2
    # everything the scenario does not state keeps the base value
    assert pol.value_index.k1 == load_policy().value_index.k1
    assert pol.eligibility == load_policy().eligibility


def test_silver_capacity_doubled_scenario():
    base = load_policy().silver_selection.capacity_per_class
    cap = load_policy("silver-capacity-doubled").silver_selection.capacity_per_class
    # A 40→80, B 30→60, C 20→40, D 20→40
    assert (cap.A, cap.B, cap.C, cap.D) == (80, 60, 40, 40)
    assert (base.A, base.B, base.C, base.D) == (40, 30, 20, 20)


def test_unknown_scenario_name_suggests_the_nearest():
    with pytest.raises(ParameterError) as err:
        load_policy("weights-equl")
    assert "no scenario 'weights-equl'" in err.value.rule
    assert "did you mean 'weights-equal'" in err.value.rule
    assert err.value.file.endswith("weights-equl.yaml")


@pytest.mark.parametrize("body, path, nearest", [
    ({"value_index": {"weights": {"premum": 0.3}}}, "value_index.weights.premum", "premium"),
    ({"silver_selection": {"capacity_per_clas": {"A": 40}}}, "silver_selection.capacity_per_clas",
     "capacity_per_class"),
    ({"gold_selektion": {"new_places": 5}}, "gold_selektion", "gold_selection"),
])
def test_scenario_with_an_unknown_key_names_file_path_and_nearest(params_copy, body, path, nearest):
    scenario = params_copy / "scenarios" / "typo.yaml"
    scenario.write_text(yaml.safe_dump({"description": "a typo", **body}), encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        load_policy("typo", params_dir=params_copy)
    assert err.value.file == str(scenario)
    assert err.value.path == path
    assert f"did you mean '{nearest}'" in err.value.rule


def test_scenario_values_are_validated(params_copy):
    scenario = params_copy / "scenarios" / "heavy.yaml"
    scenario.write_text("value_index:\n  weights:\n    profit: {value: 0.5}\n", encoding="utf-8")
    with pytest.raises(ParameterError) as err:  # 0.30 + 0.30 + 0.50 = 1.10
        load_policy("heavy", params_dir=params_copy)
    assert err.value.file == str(scenario)
    assert err.value.path == "value_index.weights"
    assert "sum to 1" in err.value.rule


def test_scenario_partial_table_change_keeps_the_other_keys(params_copy):
    scenario = params_copy / "scenarios" / "premium-bands.yaml"
    scenario.write_text("conversion_tables:\n  premium:\n    coefficients: [0.1, 0.2, 0.3, 0.4, 0.6, 0.8, 1.0]\n",
                        encoding="utf-8")
    pol = load_policy("premium-bands", params_dir=params_copy)
    assert pol.conversion_tables.premium.coefficients == [0.1, 0.2, 0.3, 0.4, 0.6, 0.8, 1.0]
    assert pol.conversion_tables.premium.breaks == [1e6, 5e6, 10e6, 20e6, 50e6, 100e6]


# ----------------------------------------------------------------------------- readings (issue 10)
#: Every reading of ambiguous text the model rests on (RULES.md §4–8): flagged, with a reason.
READINGS = [
    "silver_selection.tie_rule",                      # 第13条 hard ranking, no tie rule
    "service_times.working_days",                     # 第17–18条 工作日
    "service_times.extra_large_customer",             # 第18条 1② 特大型客户
    "complaints.count_window", "complaints.beyond_last_action", "complaints.monthly_deduction_cap",
    "satisfaction.regular_reading",                   # 第35条 3 满意 ≥ 65 %
    "satisfaction.weights_reading",                   # 第35条 30 : 70
    "satisfaction.regular.satisfied_or_better_min",   # 30 + 65 = 95 % under the cumulative reading
    "readings.cumulative_is_annual",                  # 第11条 累计
    "readings.in_principle_is_hard_rule",             # 第11条 原则上
    "executive_quotas.department_heads",              # 第24条 六个…等
    "executive_quotas.range_reading",                 # 第23–24条 至少 10~15
    "executive_quotas.gm_office_may_join_silver",     # 第23条 silent on Silver
    "service_start.approval_month", "service_start.previous_tier_default",  # 第12条 确定次月
    "silver_selection.capacity_per_class.A", "silver_selection.capacity_per_class.D",
    "budget_assumptions.new_silver_approval_month",
    "service_catalogue.hq_vip_hotline", "service_catalogue.top_client_club_membership",
]


@pytest.mark.parametrize("path", READINGS)
def test_every_reading_is_a_flagged_parameter(path):
    prov = load_policy().provenance[path]
    assert prov.assumed and prov.reason and not prov.source


def test_sourced_numbers_stay_sourced():
    pol = load_policy()
    # the text's own numbers are not filed as assumptions
    for path in ("satisfaction.regular.satisfied_min", "executive_quotas.gm_office_gold_min",
                 "executive_quotas.gm_office_gold_max", "unit_costs.birthday_first_object_cny"):
        assert not pol.provenance[path].assumed, path
    assert pol.satisfaction.regular.satisfied_min == 0.65


def test_silver_capacity_defaults_do_not_contradict_article_25():
    # 第25条: a branch head joins at least 20 Silver revisits a year -> at least 20 places
    pol = load_policy()
    cap = pol.silver_selection.capacity_per_class
    assert min(cap.A, cap.B, cap.C, cap.D) >= pol.executive_quotas.branch_head_silver_min == 20


def test_quota_upper_ends_are_expected_not_caps():
    table = load_policy().executive_quotas.quota_table()
    assert table.loc["gm_office", ["gold_min", "gold_max"]].tolist() == [10, 15]
    assert not table.loc["gm_office", "may_join_silver"]
    assert load_policy().executive_quotas.range_reading == "minimum_with_expected_upper_end"


def test_literal_reading_validated():
    pol = load_policy()
    assert pol.with_values({"satisfaction.regular_reading": "literal"}).satisfaction.regular_reading == "literal"
    with pytest.raises(ParameterError, match="regular_reading"):
        pol.with_values({"satisfaction.regular_reading": "generous"})


def test_describe_filters_paths_and_assumptions():
    from tiermodel.policy import describe

    rows = describe(load_policy(), ["executive_quotas"], assumed_only=True)
    paths = {r["path"] for r in rows}
    assert "executive_quotas.range_reading" in paths and "executive_quotas.gm_office_gold_min" not in paths
    assert all(r["path"].startswith("executive_quotas.") for r in rows)
    # the full reason, nothing cut off
    reason = next(r for r in rows if r["path"] == "executive_quotas.range_reading")["provenance"]
    assert reason.endswith("never a cap on what an executive may join")


def test_params_show_lists_the_readings(capsys):
    from tiermodel.cli import main

    assert main(["params", "show"]) == 0
    out = capsys.readouterr().out
    for path in ("satisfaction.regular_reading", "silver_selection.tie_rule", "complaints.count_window"):
        assert path in out


def _independent_silver_count(portfolio, gold_ids, capacity):
    """Silver by hand from 第11条 and the capacities, without the tiering code: per branch the
    Silver-eligible customers outside Gold, at most the branch's places."""
    minimums = {"A": (20e6, 3e6, 5e5), "B": (10e6, 2e6, 2e5), "C": (5e6, 1e6, 1e5), "D": (5e6, 1e6, 1e5)}
    total = 0
    for _, g in portfolio.groupby("branch", observed=True):
        cls = str(g["branch_class"].iloc[0])
        lt, health, non_health = minimums[cls]
        eligible = ((g["long_term_std_premium"] >= lt)
                    | ((g["health_premium"] >= health) & (g["health_loss_ratio"] <= 0.60))
                    | ((g["non_health_premium"] >= non_health) & (g["non_health_loss_ratio"] <= 0.40)))
        total += min(capacity[cls], int((eligible & ~g["customer_id"].isin(gold_ids)).sum()))
    return total


def test_tiering_with_another_policy_uses_its_silver_capacity():
    from tiermodel.run_inputs import load_inputs

    inputs = load_inputs()
    old = {"A": 30, "B": 20, "C": 10, "D": 5}  # the former defaults, doubled below
    doubled = {c: 2 * v for c, v in old.items()}
    pol = inputs.policy.with_values({f"silver_selection.capacity_per_class.{c}": v for c, v in doubled.items()},
                                    note="doubled")
    table = inputs.tiering(pol).table
    gold = set(table.loc[table["tier"] == "gold", "customer_id"])
    silver = int((table["tier"] == "silver").sum())
    # doubling the former capacity gives 518 Silver on the sample (not the 423 of the run's own
    # capacity), and an independent count from 第11条 agrees
    assert silver == 518 == _independent_silver_count(inputs.portfolio, gold, doubled)
    assert inputs.capacity(pol).max() == 60 and inputs.capacity().max() == 40  # class A places
    # the run's own defaults (A 40 · B 30 · C 20 · D 20): 520, counted independently too
    base = inputs.tiering().table
    gold = set(base.loc[base["tier"] == "gold", "customer_id"])
    assert int((base["tier"] == "silver").sum()) == 520 == _independent_silver_count(
        inputs.portfolio, gold, {"A": 40, "B": 30, "C": 20, "D": 20})
