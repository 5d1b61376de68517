"""Edges of the core modules that the other focused tests do not reach (found by `make mutate`):
the executives' quota table (第23–25条), refusals of a scenario name, the tier counts of a book
whose last group lacks a tier, and the Gold list of a book without customer names."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from tiermodel.errors import ParameterError
from tiermodel.policy import PARAMS_DIR, load_policy, scenario_path
from tiermodel.tiers import GOLD_LIST_COLUMNS, Tiering, tier_counts


# ----------------------------------------------------------------------------- 第23–25条 quotas
def test_quota_table_by_hand():
    """params/policy-2003.yaml: 4 members of the GM office, each at least 10 (expected up to 15)
    Gold customers a year (第23条), no Silver (assumed); 6 department heads, 2–3 Gold and 3–5
    Silver each (第24条); a branch head at least 20 Silver and every Gold customer of the branch
    (第25条), no further Gold minimum and no range (∞), one head a branch (persons not counted)."""
    table = load_policy().executive_quotas.quota_table()
    assert table.index.name == "role"
    assert list(table.index) == ["gm_office", "department_head", "branch_head"]
    assert list(table.columns) == ["persons", "gold_min", "gold_max", "silver_min", "silver_max",
                                   "all_local_gold", "may_join_silver"]
    rows = {role: table.loc[role].tolist() for role in table.index}
    assert rows["gm_office"] == [4, 10, 15, 0, 0, False, False]
    assert rows["department_head"] == [6, 2, 3, 3, 5, False, True]
    head = rows["branch_head"]
    assert math.isnan(head[0]) and head[1:] == [0, math.inf, 20, math.inf, True, True]


# ----------------------------------------------------------------------------- scenario names
@pytest.mark.parametrize("name", ["", "   "])
def test_an_empty_scenario_name_is_refused(name):
    with pytest.raises(ParameterError) as err:
        scenario_path(name)
    assert (err.value.file, err.value.path, err.value.rule) == (name, "", "no scenario given (an empty name)")


def test_a_folder_as_scenario_is_refused(tmp_path):
    with pytest.raises(ParameterError) as err:
        scenario_path(str(tmp_path))
    assert (err.value.file, err.value.path, err.value.rule) == \
        (str(tmp_path), "", "is a folder; give a scenario name or a .yaml file")


def test_a_scenario_name_is_a_file_under_params_scenarios():
    assert scenario_path("weights-equal") == PARAMS_DIR / "scenarios" / "weights-equal.yaml"


# ----------------------------------------------------------------------------- tier counts
def test_tier_counts_when_the_last_group_lacks_a_tier():
    """Branch A: 2 Gold, 1 Regular; branch B: 1 Silver only (no Regular, the last cell)."""
    table = pd.DataFrame({"branch": ["B", "A", "A", "A"], "tier": ["silver", "gold", "regular", "gold"]})
    counts = tier_counts(table, "branch")
    assert counts.index.name == "branch" and counts.columns.name == "tier"
    assert list(counts.index) == ["A", "B", "total"]
    assert list(counts.columns) == ["gold", "silver", "regular", "total"]
    assert counts.to_numpy().tolist() == [[2, 0, 1, 3], [0, 1, 0, 1], [2, 1, 1, 4]]


def test_tier_counts_refuse_an_unknown_tier():
    table = pd.DataFrame({"branch": ["A", "A", "B"], "tier": ["gold", "platinum", "bronze"]})
    with pytest.raises(ValueError) as err:
        tier_counts(table, "branch")
    assert str(err.value) == "unknown tier in the table: ['bronze', 'platinum']"


# ----------------------------------------------------------------------------- Gold list
def test_gold_list_of_a_book_without_names(tiered):
    """A book without a name column: the Gold list has every other column of GOLD_LIST_COLUMNS."""
    t = tiered({"non_health_premium": 2_000_000, "non_health_loss_ratio": 0.3})  # Gold (第11条 1M)
    without = Tiering(t.table.drop(columns="name"))
    gold = without.gold_list()
    assert list(gold.columns) == [c for c in GOLD_LIST_COLUMNS if c != "name"]
    assert gold["customer_id"].tolist() == ["C001"]
    assert list(t.gold_list().columns) == GOLD_LIST_COLUMNS  # with names: the name column too
