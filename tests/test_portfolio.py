"""The customer table: every bad input refused naming file, row, customer, column and rule;
Chinese headers, 万元 amounts, the three file formats, the branch table, the sample."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from conftest import file_sha256, raw_customers
from tiermodel.errors import InputTableError
from tiermodel.portfolio import (LABELS, read_portfolio, sample_portfolio, validate_branches,
                                 validate_portfolio, write_table)

GOOD = {"branch": "Jinan", "branch_class": "B", "long_term_std_premium": 12_000_000,
        "health_premium": 2_100_000, "health_loss_ratio": 0.59, "non_health_premium": 300_000,
        "non_health_loss_ratio": 0.35, "profit_margin": 0.12, "effective_years": 4}


def _raw(*bad_rows):
    """Two good customers, then the given ones (so the first bad one is row 4, C003)."""
    return raw_customers(GOOD, GOOD, *({**GOOD, **r} for r in bad_rows))


def _refused(raw, **kw) -> InputTableError:
    with pytest.raises(InputTableError) as err:
        validate_portfolio(raw, "book.csv", **kw)
    assert err.value.file == "book.csv"
    assert str(err.value).startswith("book.csv: ") and "nothing was written" in str(err.value)
    return err.value


# ----------------------------------------------------------------------------- bad values
@pytest.mark.parametrize("bad, column, rule", [
    ({"health_premium": "1,234万"}, "health_premium", "'1,234万' is not a number"),
    ({"long_term_std_premium": "12.5 million"}, "long_term_std_premium", "is not a number"),
    # ('59%' is read as 0.59 since real extracts carry percentages; see test_real_extracts.py)
    ({"health_loss_ratio": "六成"}, "health_loss_ratio", "'六成' is not a number"),
    ({"non_health_loss_ratio": "low"}, "non_health_loss_ratio", "'low' is not a number"),
    ({"effective_years": "two"}, "effective_years", "'two' is not a number"),
    ({"non_health_premium": -1}, "non_health_premium", "negative amount"),
    ({"health_loss_ratio": -0.01}, "health_loss_ratio", "loss ratio out of range"),
    ({"non_health_loss_ratio": 59}, "non_health_loss_ratio", "loss ratio out of range"),
    ({"profit_margin": 1.5}, "profit_margin", "profit margin out of range"),
    ({"branch_class": "E"}, "branch_class", "unknown branch class 'E'"),
    ({"effective_years": 0}, "effective_years", "whole number ≥ 1"),
    ({"effective_years": -2}, "effective_years", "whole number ≥ 1"),
    ({"effective_years": 2.5}, "effective_years", "whole number ≥ 1"),
    ({"branch": ""}, "branch", "required value is missing"),
    ({"branch_class": None}, "branch_class", "required value is missing"),
    ({"health_premium": None}, "health_premium", "required value is missing"),
    ({"effective_years": None}, "effective_years", "required value is missing"),
    # a loss ratio may only be blank where its premium is 0
    ({"health_loss_ratio": None}, "health_loss_ratio", "required value is missing"),
    ({"is_new": "maybe"}, "is_new", "'maybe' is not a yes/no value"),
    ({"first_service_objects": 3}, "first_service_objects", "1 or 2 persons"),
])
def test_bad_value_is_refused_naming_row_customer_column_and_rule(bad, column, rule):
    err = _refused(_raw(bad))
    assert len(err.problems) == 1
    p = err.problems[0]
    # header = row 1, two good customers on rows 2 and 3, the bad one on row 4
    assert (p.row, p.customer_id, p.column) == (4, "C003", column)
    assert rule in p.rule
    assert f"row 4, customer C003, column '{column}': " in str(err)


def test_blank_loss_ratio_with_no_premium_is_zero():
    table = validate_portfolio(_raw({"health_premium": 0, "health_loss_ratio": None}), "book.csv")
    assert table["health_loss_ratio"].iloc[2] == 0.0


def test_every_problem_is_listed_not_only_the_first():
    err = _refused(_raw({"health_premium": "n/a"}, {"effective_years": 0, "branch_class": "Z"}))
    where = sorted((p.row, p.customer_id, p.column) for p in err.problems)
    assert where == [(4, "C003", "health_premium"), (5, "C004", "branch_class"),
                     (5, "C004", "effective_years")]


def test_duplicate_ids_name_both_rows():
    err = _refused(_raw({"customer_id": "C001"}))
    assert {(p.row, p.customer_id) for p in err.problems} == {(2, "C001"), (4, "C001")}
    # each row names the other: row 2 → "also at row 4", row 4 → "also at row 2"
    rules = {p.row: p.rule for p in err.problems if p.column == "customer_id"}
    assert rules == {2: "duplicate customer id (also at row 4)", 4: "duplicate customer id (also at row 2)"}


def test_missing_customer_id():
    err = _refused(_raw({"customer_id": " "}))
    p = err.problems[0]
    assert (p.row, p.customer_id, p.column, p.rule) == (4, None, "customer_id", "required value is missing")


# ----------------------------------------------------------------------------- bad columns
def test_missing_column_is_named_with_its_label():
    err = _refused(_raw().drop(columns=["health_loss_ratio"]))
    p = err.problems[0]
    assert (p.row, p.column) == (None, "health_loss_ratio")
    assert "required column is missing" in p.rule and "健康险赔付率" in p.rule


def test_unexpected_column_suggests_the_nearest():
    err = _refused(_raw().rename(columns={"health_premium": "helth_premium"}))
    assert [(p.column, p.rule) for p in err.problems] == [
        ("helth_premium", "unexpected column; did you mean 'health_premium'?")]


def test_column_given_twice_under_english_and_chinese_names():
    raw = _raw()
    raw[LABELS["health_premium"]] = raw["health_premium"]
    err = _refused(raw)
    assert err.problems[0].column == LABELS["health_premium"]
    assert "appears twice" in err.problems[0].rule


def test_profit_needs_margin_or_underwriting_profit():
    err = _refused(_raw().drop(columns=["profit_margin"]))
    assert err.problems[0].column == "profit_margin"
    assert "underwriting_profit" in err.problems[0].rule


def test_underwriting_profit_gives_the_margin():
    raw = _raw().drop(columns=["profit_margin"])
    raw["underwriting_profit"] = [1_443_000, -288_600]  # ÷ (12M + 2.1M + 0.3M = 14.4M)
    table = validate_portfolio(raw, "book.csv")
    # 1,443,000 / 14,400,000 = 0.1002…; −288,600 / 14,400,000 = −0.0200…
    np.testing.assert_allclose(table["profit_margin"], [1_443_000 / 14_400_000, -288_600 / 14_400_000])


def test_text_in_a_number_column_read_from_csv(tmp_path):
    path = tmp_path / "book.csv"
    raw = _raw()
    raw["health_premium"] = raw["health_premium"].astype(object)
    raw.loc[0, "health_premium"] = "2,100,000"  # thousands separators, as Excel exports: read
    raw.loc[1, "health_premium"] = "2.100.000"  # dots as separators: not a number
    raw.to_csv(path, index=False)
    with pytest.raises(InputTableError) as err:
        read_portfolio(path)
    p = err.value.problems[0]
    assert err.value.file == str(path)
    assert len(err.value.problems) == 1
    assert (p.row, p.customer_id, p.column) == (3, "C002", "health_premium")
    assert "'2.100.000' is not a number" in p.rule and "1,234,567.5" in p.rule


def test_unknown_file_type_and_missing_file(tmp_path):
    with pytest.raises(InputTableError, match="unknown file type '.txt'"):
        (tmp_path / "book.txt").write_text("x")
        read_portfolio(tmp_path / "book.txt")
    with pytest.raises(InputTableError, match="file not found"):
        read_portfolio(tmp_path / "absent.csv")


def test_bad_amount_unit():
    with pytest.raises(ValueError, match="amount_unit"):
        validate_portfolio(_raw(), "book.csv", amount_unit="thousand")


# ----------------------------------------------------------------------------- real extracts
def test_chinese_headers_are_accepted():
    english = validate_portfolio(_raw(), "book.csv")
    chinese = validate_portfolio(_raw().rename(columns=LABELS), "book.csv")
    assert "客户号" in _raw().rename(columns=LABELS).columns and "机构" in _raw().rename(columns=LABELS).columns
    pd.testing.assert_frame_equal(english, chinese)


def test_chinese_header_problems_use_the_english_name():
    raw = _raw({"health_premium": "abc"}).rename(columns=LABELS)
    err = _refused(raw)
    assert err.problems[0].column == "health_premium"


def test_amounts_in_wan_are_multiplied_by_ten_thousand():
    raw = raw_customers({**GOOD, "long_term_std_premium": 1_200, "health_premium": 210,
                         "non_health_premium": 30})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the right unit gives no scale warning
        table = validate_portfolio(raw, "book.xlsx", amount_unit="wan")
    # 1,200 万元 = 12,000,000 CNY; 210 万元 = 2,100,000; 30 万元 = 300,000
    row = table.iloc[0]
    assert (row.long_term_std_premium, row.health_premium, row.non_health_premium) == \
        (12_000_000, 2_100_000, 300_000)
    # shares and counts are not amounts
    assert (row.health_loss_ratio, row.profit_margin, row.effective_years) == (0.59, 0.12, 4)


def test_wan_read_as_yuan_warns():
    raw = raw_customers({**GOOD, "long_term_std_premium": 1_200, "health_premium": 210,
                         "non_health_premium": 30})
    # 1,200 + 210 + 30 = 1,440 "CNY" is no group customer: the classic 10,000× slip
    with pytest.warns(UserWarning, match="amounts may be in 万元"):
        validate_portfolio(raw.assign(long_term_std_premium=500), "book.xlsx")


def test_yuan_read_as_wan_warns():
    # 14.4M read as 万元 = 144,000,000,000 CNY per customer
    with pytest.warns(UserWarning, match="read as 万元"):
        validate_portfolio(_raw(), "book.xlsx", amount_unit="wan")


def test_the_median_premium_is_worked_out_only_where_the_counts_do_not_decide():
    from tiermodel.portfolio import _median_outside

    # 4 values, 3 below 1,000: both middle values (500, 999) are below, the median 749.5 too
    assert _median_outside(np.array([400.0, 500, 999, 5_000]), 1_000, 1e9) == 749.5
    # 2 of 4 below: the middle values 999 and 1,000 average 999.5, below 1,000 (a slip)
    assert _median_outside(np.array([500.0, 999, 1_000, 1_001]), 1_000, 1e9) == 999.5
    # 2 of 4 below, middle values 999 and 1,003: median 1,001 is within the bounds
    assert _median_outside(np.array([500.0, 999, 1_003, 2_000]), 1_000, 1e9) is None
    # 1 of 5 below, 1 above: the middle value 40,000 decides nothing is off
    assert _median_outside(np.array([10.0, 30_000, 40_000, 50_000, 2e9]), 1_000, 1e9) is None
    # 3 of 5 above 1e9: the median 3e9 is the 万元-read-as-元 reverse slip
    assert _median_outside(np.array([5.0, 6e3, 3e9, 4e9, 5e9]), 1_000, 1e9) == 3e9


def test_yuan_read_as_yuan_is_quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        validate_portfolio(_raw(), "book.csv")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_readers_give_the_same_table_and_never_change_the_file(tmp_path, suffix):
    expected = validate_portfolio(_raw(), "book")
    path = write_table(_raw(), tmp_path / f"book{suffix}")
    before = file_sha256(path)
    table = read_portfolio(path)
    assert file_sha256(path) == before
    pd.testing.assert_frame_equal(table, expected)


def test_bad_file_is_not_changed(tmp_path):
    path = write_table(_raw({"health_loss_ratio": "high"}), tmp_path / "book.xlsx")
    before = file_sha256(path)
    with pytest.raises(InputTableError):
        read_portfolio(path)
    assert file_sha256(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]


def test_sample_round_trips_through_parquet(tmp_path):
    sample = sample_portfolio(seed=7, n_customers=300)
    path = write_table(sample, tmp_path / "sample.parquet")
    table = read_portfolio(path)
    assert len(table) == 300 and table["customer_id"].is_unique
    np.testing.assert_array_equal(table["health_premium"], sample["health_premium"])


# ----------------------------------------------------------------------------- branch table
def _branches(**extra):
    return pd.DataFrame({"branch": ["Jinan", "Hefei"], "branch_class": ["B", "C"], **extra})


def test_branch_table_supplies_the_class(tmp_path):
    raw = raw_customers({**GOOD, "branch": "Hefei"}, GOOD).drop(columns=["branch_class"])
    table = validate_portfolio(raw, "book.csv", validate_branches(_branches()))
    assert table["branch_class"].astype(str).tolist() == ["C", "B"]
    path = write_table(_branches(silver_capacity=[4, None]), tmp_path / "branches.csv")
    write_table(raw, tmp_path / "book.csv")
    table = read_portfolio(tmp_path / "book.csv", branches=path)
    assert table["branch_class"].astype(str).tolist() == ["C", "B"]


def test_branch_missing_from_branch_table():
    raw = raw_customers(GOOD, {**GOOD, "branch": "Lhasa"}).drop(columns=["branch_class"])
    err = _refused(raw, branches=validate_branches(_branches()))
    p = err.problems[0]
    assert (p.row, p.customer_id, p.column) == (3, "C002", "branch")
    assert "'Lhasa' is not in the branch table" in p.rule


def test_class_disagreeing_with_branch_table():
    err = _refused(raw_customers({**GOOD, "branch_class": "A"}), branches=validate_branches(_branches()))
    p = err.problems[0]
    assert (p.row, p.customer_id, p.column) == (2, "C001", "branch_class")
    assert "disagrees with the branch table (B)" in p.rule


def test_no_class_and_no_branch_table():
    err = _refused(raw_customers(GOOD).drop(columns=["branch_class"]))
    assert err.problems[0].column == "branch_class"
    assert "no branch table" in err.problems[0].rule


@pytest.mark.parametrize("table, row, column, rule", [
    (_branches(branch_class=["B", "X"]), 3, "branch_class", "unknown branch class 'X' for branch Hefei"),
    (pd.DataFrame({"branch": ["Jinan", "Jinan"], "branch_class": ["B", "B"]}), 3, "branch", "listed twice"),
    (_branches(silver_capacity=[4, -1]), 3, "silver_capacity", "whole number ≥ 0"),
    (_branches(silver_capacity=["4", "many"]), 3, "silver_capacity", "'many' is not a number"),
    (_branches().drop(columns=["branch_class"]), None, "branch_class", "required column is missing"),
])
def test_bad_branch_table(table, row, column, rule):
    with pytest.raises(InputTableError) as err:
        validate_branches(table, "branches.csv")
    p = err.value.problems[0]
    assert err.value.file == "branches.csv"
    assert (p.row, p.column) == (row, column)
    assert rule in p.rule


def test_branch_table_with_chinese_headers():
    table = validate_branches(pd.DataFrame({"机构": ["Jinan"], "机构类别": ["b"], "银牌名额": [7]}))
    assert table.to_dict("records") == [{"branch": "Jinan", "branch_class": "B", "silver_capacity": 7.0}]


# ----------------------------------------------------------------------------- the sample
def test_sample_is_seeded_and_valid():
    a = sample_portfolio(seed=11, n_customers=500)
    pd.testing.assert_frame_equal(a, sample_portfolio(seed=11, n_customers=500))
    assert not a.equals(sample_portfolio(seed=12, n_customers=500))
    table = validate_portfolio(a, "sample")
    assert len(table) == 500 and set(table["branch_class"].astype(str)) == {"A", "B", "C", "D"}
    assert (table["effective_years"] >= 1).all()
    assert (table.loc[table["is_new"], "effective_years"] == 1).all()


def test_write_table_refuses_unknown_types(tmp_path):
    from tiermodel.errors import OutputPathError

    with pytest.raises(OutputPathError, match="must end in .csv, .xlsx or .parquet"):
        write_table(_raw(), tmp_path / "book.json")
    assert list(tmp_path.iterdir()) == []
