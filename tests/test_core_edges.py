"""Edges of the core modules that the other focused tests do not reach (found by `make mutate`):
the executives' quota table (第23–25条), refusals of a scenario name, the tier counts of a book
whose last group lacks a tier, and the Gold list of a book without customer names."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from tiermodel.errors import ParameterError
from tiermodel.policy import PARAMS_DIR, load_policy, scenario_path
from tiermodel.tiers import GOLD_LIST_COLUMNS, Tiering, gold_places, tier_counts


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


@pytest.mark.parametrize("categorical", [False, True])
def test_tier_counts_refuse_an_unknown_tier(categorical):
    table = pd.DataFrame({"branch": ["A", "A", "B"], "tier": ["gold", "platinum", "bronze"]})
    if categorical:  # as the tiering writes it: codes of its own categories, not TIER_NAMES'
        table["tier"] = table["tier"].astype(pd.CategoricalDtype(["platinum", "gold", "bronze"]))
    with pytest.raises(ValueError) as err:
        tier_counts(table, "branch")
    assert str(err.value) == "unknown tier in the table: ['bronze', 'platinum']"


def test_tier_counts_of_a_categorical_tier_count_by_name_not_by_code():
    # categories in another order than gold, silver, regular: 2 Gold, 1 Silver in A; 1 Regular in B
    tier = pd.Categorical(["gold", "gold", "silver", "regular"], categories=["regular", "silver", "gold"])
    counts = tier_counts(pd.DataFrame({"branch": ["A", "A", "A", "B"], "tier": tier}), "branch")
    assert counts.to_numpy().tolist() == [[2, 1, 0, 3], [0, 0, 1, 1], [2, 1, 1, 4]]


def test_tier_counts_refuse_a_missing_categorical_tier():
    # a categorical tier with a missing cell (code -1) is no tier: refused, not counted as one
    tier = pd.Categorical(["gold", None, "silver"], categories=["gold", "silver", "regular"])
    with pytest.raises(ValueError, match="unknown tier in the table"):
        tier_counts(pd.DataFrame({"branch": ["A", "A", "B"], "tier": tier}), "branch")


def test_tier_counts_refuse_a_blank_group():
    table = pd.DataFrame({"branch": ["A", None], "tier": ["gold", "silver"]})
    with pytest.raises(ValueError, match="blank branch in the table"):
        tier_counts(table, "branch")


# ----------------------------------------------------------------------------- Gold list
def test_gold_list_of_a_book_without_names(tiered):
    """A book without a name column: the Gold list has every other column of GOLD_LIST_COLUMNS."""
    t = tiered({"non_health_premium": 2_000_000, "non_health_loss_ratio": 0.3})  # Gold (第11条 1M)
    without = Tiering(t.table.drop(columns="name"))
    gold = without.gold_list()
    assert list(gold.columns) == [c for c in GOLD_LIST_COLUMNS if c != "name"]
    assert gold["customer_id"].tolist() == ["C001"]
    assert list(t.gold_list().columns) == GOLD_LIST_COLUMNS  # with names: the name column too


# ----------------------------------------------------------------------------- 第13条 places
def test_unfilled_new_places_stay_empty_unless_asked():
    """30 existing and 10 new places, 4 new candidates: by default the 6 unfilled new places stay
    empty (10, 30); passed on they give the existing pool 30 + 6 = 36."""
    assert gold_places(30, 10, 4) == (10, 30)
    assert gold_places(30, 10, 4, True) == (10, 36)


# ----------------------------------------------------------------------------- unreadable files
def test_a_folder_as_base_file_is_refused(tmp_path):
    (tmp_path / "policy-2003.yaml").mkdir()
    with pytest.raises(ParameterError) as err:
        load_policy(params_dir=tmp_path)
    assert (err.value.file, err.value.path, err.value.rule) == \
        (str(tmp_path / "policy-2003.yaml"), "", "is a folder, not a YAML file")


def _scenario(tmp_path, text: str):
    file = tmp_path / "bad.yaml"
    file.write_text(text, encoding="utf-8")
    return file


@pytest.mark.parametrize("text, path, rule", [
    ("value_index:\n  k1:\n    year_1: .inf\n", "value_index.k1.year_1", "inf is not a finite number"),
    ("value_index: .nan\n", "value_index", "nan is not a finite number"),
    ("value_index:\n  k1:\n    year_2: '-.INF'\n", "value_index.k1.year_2", "-inf is not a finite number"),
    # YAML's .inf and .nan written as text (quoted): a field would convert them, so refused too
    ("value_index:\n  k2:\n    year_3: '.inf'\n", "value_index.k2.year_3", "inf is not a finite number"),
    ("value_index:\n  k2:\n    year_4_plus: ' .nan '\n", "value_index.k2.year_4_plus", "nan is not a finite number"),
    ("conversion_tables:\n  premium:\n    breaks: [1000000, .nan, 10000000, 20000000, 50000000, 100000000]\n",
     "conversion_tables.premium.breaks[1]", "nan is not a finite number"),
    ("eligibility:\n  gold:\n    long_term_std_premium_min: '1e16'\n", "eligibility.gold.long_term_std_premium_min",
     "1e+16 is beyond ±1e+15: not a plausible parameter (amounts are CNY a year, shares decimals)"),
    ("eligibility:\n  gold:\n    long_term_std_premium_min: -2.0e+15\n", "eligibility.gold.long_term_std_premium_min",
     "-2e+15 is beyond ±1e+15: not a plausible parameter (amounts are CNY a year, shares decimals)"),
])
def test_non_finite_and_absurd_numbers_are_refused(tmp_path, text, path, rule):
    file = _scenario(tmp_path, "description: broken\n" + text)
    with pytest.raises(ParameterError) as err:
        load_policy(str(file))
    assert (err.value.file, err.value.path, err.value.rule) == (str(file), path, rule)


def test_text_fields_and_the_limit_itself_are_taken(tmp_path):
    """A description reading 'nan' is text, not a number; 1e15 CNY is at the limit, not beyond."""
    file = _scenario(tmp_path, "description: .nan\neligibility:\n  gold:\n    long_term_std_premium_min: 1.0e+15\n")
    pol = load_policy(str(file))
    assert pol.eligibility.gold.long_term_std_premium_min == 1e15


def test_a_gbk_scenario_file_is_refused(tmp_path):
    """'description: ' is 13 bytes of ASCII; the GBK bytes of 中文 after it are not UTF-8."""
    file = tmp_path / "gbk.yaml"
    file.write_bytes("description: 中文\n".encode("gbk"))
    with pytest.raises(ParameterError) as err:
        load_policy(str(file))
    assert (err.value.file, err.value.path, err.value.rule) == \
        (str(file), "", "is not UTF-8 text (byte 13); save it as UTF-8 (GBK/GB18030 files are not read)")


def test_a_base_file_below_a_file_cannot_be_read(tmp_path):
    """params_dir is a plain file, so its policy-2003.yaml cannot be opened (not a directory)."""
    folder = tmp_path / "params.txt"
    folder.write_text("not a folder", encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        load_policy(params_dir=folder)
    assert (err.value.file, err.value.path, err.value.rule) == \
        (str(folder / "policy-2003.yaml"), "", "cannot be read (Not a directory)")
