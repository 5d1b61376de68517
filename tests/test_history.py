"""Earlier tier lists, overrides and nominations: read like every input, refused with file, row,
customer, column and rule."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from conftest import customers, file_sha256
from tiermodel.errors import InputTableError
from tiermodel.history import (parse_date, read_history, validate_history, validate_nominations,
                               validate_overrides)
from tiermodel.io import write_table
from tiermodel.scoring import score
from tiermodel.tiers import assign_tiers


def test_a_minimal_table_with_chinese_headers_and_tier_words():
    raw = pd.DataFrame({"客户号": ["C1", "C2", "C3"], "年度": ["2025", "2025", "2024"],
                        "层级": ["金牌", "银牌VIP", "普通客户"], "客户价值指标": ["0.71", "0.55", ""],
                        "批准日期": ["2025-01-15", "2025/1/15", ""]})
    h = validate_history(raw, "h.csv")
    assert h["tier"].astype(str).tolist() == ["gold", "silver", "regular"]
    assert h["year"].tolist() == [2025, 2025, 2024]
    assert h["approval_date"].tolist()[:2] == [dt.date(2025, 1, 15)] * 2
    assert h.attrs["rows"].tolist() == [2, 3, 4]


def test_unknown_customers_are_allowed_duplicate_customer_years_refused():
    ok = pd.DataFrame({"customer_id": ["GONE", "GONE"], "year": [2024, 2025], "tier": ["gold", "silver"]})
    assert len(validate_history(ok, "h.csv")) == 2  # the same customer in two years is fine
    bad = pd.DataFrame({"customer_id": ["C1", "C2", "C1"], "year": [2025, 2025, 2025],
                        "tier": ["gold", "silver", "regular"]})
    with pytest.raises(InputTableError) as err:
        validate_history(bad, "h.csv")
    msg = str(err.value)
    assert "h.csv" in msg and "row 2, customer C1, column 'customer_id'" in msg and "also at row 4" in msg
    assert "row 4, customer C1" in msg and "twice in one year" in msg


@pytest.mark.parametrize("column, value, words", [
    ("tier", "铂金", "'铂金' is not a tier"),
    ("year", "2025.5", "year must be a whole number"),
    ("year", "", "required value is missing"),
    ("value_index", "高", "'高' is not a finite number"),
    ("approval_date", "03/04/2025", "not an unambiguous date"),
])
def test_a_bad_value_names_row_customer_column_and_rule(column, value, words):
    raw = pd.DataFrame({"customer_id": ["C1", "C2"], "year": ["2025", "2025"], "tier": ["gold", "silver"],
                        "value_index": ["0.7", "0.6"], "approval_date": ["2025-01-15", "2025-01-15"]})
    raw.loc[1, column] = value
    with pytest.raises(InputTableError) as err:
        validate_history(raw, "h.csv")
    assert f"row 3, customer C2, column '{column}'" in str(err.value) and words in str(err.value)


def test_missing_year_column_needs_the_year_and_unknown_columns_are_refused():
    raw = pd.DataFrame({"customer_id": ["C1"], "tier": ["gold"]})
    with pytest.raises(InputTableError, match="year.*required column is missing"):
        validate_history(raw, "h.csv")
    assert validate_history(raw, "h.csv", year=2025)["year"].tolist() == [2025]
    with pytest.raises(InputTableError, match="'teir'.*did you mean 'tier'"):
        validate_history(pd.DataFrame({"customer_id": ["C1"], "year": [2025], "teir": ["gold"]}), "h.csv")


def test_last_years_tier_output_reads_back_as_history(tmp_path, policy):
    book = customers({"customer_id": "G", "health_premium": 6_000_000, "health_loss_ratio": 0.5},
                     {"customer_id": "R"})
    table = assign_tiers(score(book, policy), policy).table
    path = write_table(table, tmp_path / "tiers-2025.xlsx")
    before = file_sha256(path)
    h = read_history(path, year=2025)
    assert file_sha256(path) == before  # the input is never changed
    assert h["tier"].astype(str).tolist() == ["gold", "regular"]
    assert h["gold_bits"].tolist() == [2, 0]  # health premium criterion (bit 2)
    assert h["premium_coef"].tolist() == table["premium_coef"].tolist()


def test_the_same_customer_year_in_two_files_is_refused(tmp_path):
    a = tmp_path / "a.csv"
    b = tmp_path / "b.csv"
    pd.DataFrame({"customer_id": ["C1"], "year": [2025], "tier": ["gold"]}).to_csv(a, index=False)
    pd.DataFrame({"customer_id": ["C1"], "year": [2025], "tier": ["silver"]}).to_csv(b, index=False)
    with pytest.raises(InputTableError, match="customer C1.*already listed for 2025 in .*a.csv row 2"):
        read_history([a, b])


def test_override_rules():
    raw = pd.DataFrame({"客户号": ["C1", "C2", "C1", "C3"], "操作": ["纳入", "提拔", "剔除", "in"],
                        "层级": ["金牌", "金牌", "金牌", "普通"], "理由": ["战略客户", "x", "y", ""],
                        "批准人": ["张总", "张总", "张总", "张总"], "批准日期": ["2026-01-10"] * 4})
    with pytest.raises(InputTableError) as err:
        validate_overrides(raw, ["C1", "C2", "C3"], "ov.xlsx")
    msg = str(err.value)
    assert "row 3, customer C2, column 'action': '提拔' is not an action" in msg
    assert "row 2, customer C1, column 'customer_id'" in msg and "overridden twice" in msg
    assert "row 5, customer C3, column 'tier'" in msg
    assert "row 5, customer C3, column 'reason': required value is missing" in msg


def test_nominations_name_customers_of_the_nominating_branch():
    book = customers({"customer_id": "C1", "branch": "Hefei"}, {"customer_id": "C2", "branch": "Wuhu"})
    ok = validate_nominations(pd.DataFrame({"客户号": ["C1"], "推荐机构": ["Hefei"]}), book, "nom.csv")
    assert ok["customer_id"].tolist() == ["C1"]
    bad = pd.DataFrame({"customer_id": ["C2", "C9"], "branch": ["Hefei", "Hefei"]})
    with pytest.raises(InputTableError) as err:
        validate_nominations(bad, book, "nom.csv")
    msg = str(err.value)
    assert "row 2, customer C2, column 'branch': nominated by Hefei but served by Wuhu" in msg
    assert "row 3, customer C9, column 'customer_id': customer is not in this year's book" in msg


@pytest.mark.parametrize("text, date", [("2026-01-15", dt.date(2026, 1, 15)), ("2026/1/5", dt.date(2026, 1, 5)),
                                        ("2026年1月15日", dt.date(2026, 1, 15)), ("20260115", dt.date(2026, 1, 15)),
                                        ("15/01/2026", None), ("2026-02-30", None)])
def test_dates_are_read_only_when_unambiguous(text, date):
    assert parse_date(text) == date
