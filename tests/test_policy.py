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
    # A 30→60, B 20→40, C 10→20, D 5→10
    assert (cap.A, cap.B, cap.C, cap.D) == (60, 40, 20, 10)
    assert (base.A, base.B, base.C, base.D) == (30, 20, 10, 5)


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
