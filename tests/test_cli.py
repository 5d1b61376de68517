"""``tiermodel ...``: params show (with scenarios), sample, tier — and nothing written on bad input."""
from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from conftest import file_sha256, raw_customers
from tiermodel.cli import main
from tiermodel.portfolio import LABELS, write_table


def _line(out: str, path: str) -> str:
    (line,) = [ln for ln in out.splitlines() if ln.startswith(path + " ")]
    return line


def test_params_show_the_policy_as_written(capsys):
    assert main(["params", "show"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# policy-2003 as written")
    line = _line(out, "eligibility.gold.health_loss_ratio_max")
    assert "0.6" in line and "sourced" in line and "第11条" in line
    assert "assumed" in _line(out, "value_index.k1.year_4_plus")
    assert "weights-equal" in out.splitlines()[-1]


@pytest.mark.parametrize("scenario, path, value, base", [
    ("weights-equal", "value_index.weights.premium", "0.34", "was 0.3;"),
    ("weights-equal", "value_index.weights.profit", "0.33", "was 0.4;"),
    ("silver-capacity-doubled", "silver_selection.capacity_per_class.A", "80", "was 40;"),
    ("silver-capacity-doubled", "silver_selection.capacity_per_class.D", "40", "was 20;"),
])
def test_params_show_a_scenario_with_the_base_value(capsys, scenario, path, value, base):
    assert main(["params", "show", "--scenario", scenario]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"# scenario {scenario}")
    line = _line(out, path)
    assert line.split()[1] == value
    assert f"scenario:{scenario}" in line and f"set by {scenario} ({base}" in line
    # what the scenario does not state is the base value, still sourced
    assert "sourced" in _line(out, "eligibility.gold.long_term_std_premium_min")


def test_params_show_unknown_scenario(capsys):
    assert main(["params", "show", "--scenario", "silver-capacity-doubld"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "silver-capacity-doubld.yaml" in err
    assert "did you mean 'silver-capacity-doubled'" in err


def test_sample_writes_a_seeded_table(tmp_path, capsys):
    out = tmp_path / "sample.csv"
    assert main(["sample", "--seed", "5", "--customers", "40", "--out", str(out)]) == 0
    assert len(pd.read_csv(out)) == 40
    assert "wrote 40 customers (seed 5)" in capsys.readouterr().out


GOLD_ROW = {"customer_id": "G1", "long_term_std_premium": 60_000_000}
SILVER_ROW = {"customer_id": "S1", "branch": "Jinan", "branch_class": "B",
              "health_premium": 2_100_000, "health_loss_ratio": 0.59}


def test_tier_writes_the_list(tmp_path, capsys):
    book = write_table(raw_customers(GOLD_ROW, SILVER_ROW, {"customer_id": "R1"}), tmp_path / "book.csv")
    before = file_sha256(book)
    out = tmp_path / "out" / "tiers.csv"
    assert main(["tier", "--portfolio", str(book), "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert dict(zip(table["customer_id"], table["tier"])) == {"G1": "gold", "S1": "silver", "R1": "regular"}
    assert file_sha256(book) == before
    printed = capsys.readouterr().out
    # zh by default: no new customer for the 10 new places; G1 the one existing Gold candidate
    assert "wrote 3 customers" in printed and "只有0户本年新客户符合金牌标准，本年新客户名额10个：10个名额未满" in printed
    assert "金牌（户）" in printed.splitlines()[0]
    assert main(["tier", "--portfolio", str(book), "--out", str(out), "--force", "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    assert "Only 0 new customer(s) meet a Gold criterion for the 10 new-customer places" in printed
    assert "Gold (customers)" in printed.splitlines()[0]


def test_tier_xlsx_with_chinese_headers_in_wan(tmp_path):
    # 6,000 万元 = 60,000,000 CNY → Gold; 210 万元 health at 59 % in class B → Silver;
    # 5 万元 = 50,000 non-health in class C (< 100,000) → Regular
    rows = raw_customers({**GOLD_ROW, "long_term_std_premium": 6_000},
                         {**SILVER_ROW, "health_premium": 210},
                         {"customer_id": "R1", "non_health_premium": 5})
    book = write_table(rows.rename(columns=LABELS), tmp_path / "extract.xlsx")
    out = tmp_path / "tiers.xlsx"
    assert main(["tier", "--portfolio", str(book), "--amount-unit", "wan", "--out", str(out)]) == 0
    # a workbook for a reader (zh by default): contents first, then the full list, the counts,
    # the Gold and VIP lists and the notes, each named in Chinese, headers with their units
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["目录", "客户层级名单", "各类机构分层人数", "各机构分层人数", "金牌客户名单",
                             "VIP客户名单", "选拔说明"]
    listing = pd.read_excel(out, sheet_name="客户层级名单", dtype={"客户号": str})
    assert dict(zip(listing["客户号"], listing["层级"])) == {"G1": "金牌", "S1": "银牌", "R1": "普通"}
    # amounts in 万元 as given: 6,000 万元 (= 60,000,000 CNY)
    assert listing.set_index("客户号").loc["G1", "长险标准保费（万元/年）"] == 6_000
    ws = wb["客户层级名单"]
    assert ws.freeze_panes == "A2" and ws["A1"].value == "客户号"
    # it reads back as the same book: the same tiers, with the same --amount-unit
    again = tmp_path / "again.csv"
    assert main(["tier", "--portfolio", str(out), "--amount-unit", "wan", "--out", str(again)]) == 0
    back = pd.read_csv(again, dtype={"customer_id": str})
    assert dict(zip(back["customer_id"], back["tier"])) == {"G1": "gold", "S1": "silver", "R1": "regular"}
    assert back.set_index("customer_id").loc["G1", "long_term_std_premium"] == 60_000_000


def test_a_formatted_tier_list_in_wan_reads_back_without_the_option(tmp_path, capsys):
    # the zh workbook's header says 长险标准保费（万元/年）: read in 万元 without --amount-unit;
    # 6,000 万元 = 6,000 × 10,000 = 60,000,000 CNY, as the book had it
    rows = raw_customers({**GOLD_ROW, "long_term_std_premium": 6_000})
    out = tmp_path / "tiers.xlsx"
    book = write_table(rows, tmp_path / "book.csv")
    assert main(["tier", "--portfolio", str(book), "--amount-unit", "wan", "--out", str(out)]) == 0
    capsys.readouterr()
    again = tmp_path / "again.csv"
    assert main(["tier", "--portfolio", str(out), "--out", str(again)]) == 0
    back = pd.read_csv(again, dtype={"customer_id": str})
    assert back.set_index("customer_id").loc["G1", "long_term_std_premium"] == 60_000_000
    assert dict(zip(back["customer_id"], back["tier"])) == {"G1": "gold"}


def test_a_header_unit_against_an_explicit_amount_unit_is_refused(tmp_path, capsys):
    # the header says 万元, --amount-unit says 元: which one holds is the user's to say
    rows = raw_customers({**GOLD_ROW, "long_term_std_premium": 6_000}).rename(columns=LABELS)
    rows = rows.rename(columns={"长险标准保费": "长险标准保费（万元）"})
    book = write_table(rows, tmp_path / "book.csv")
    before = file_sha256(book)
    again = tmp_path / "out" / "again.xlsx"
    assert main(["tier", "--portfolio", str(book), "--amount-unit", "yuan", "--out", str(again)]) == 2
    err = capsys.readouterr().err
    assert f"error: {book}: 1 problem(s); nothing was written" in err
    assert ("column 'long_term_std_premium': the header says the amounts are in 万元 (wan), but --amount-unit "
            "says 元 (yuan); a column whose header states its unit is read in that unit") in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists() and file_sha256(book) == before


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_tier_writes_nothing_when_the_input_is_bad(tmp_path, capsys, suffix):
    bad = raw_customers(GOLD_ROW, {**SILVER_ROW, "health_loss_ratio": "六成"})  # ('59%' is read)
    book = write_table(bad, tmp_path / "book.csv")
    before = file_sha256(book)
    out = tmp_path / "out" / f"tiers{suffix}"
    assert main(["tier", "--portfolio", str(book), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"error: {book}: 1 problem(s); nothing was written" in err
    assert "row 3, customer S1, column 'health_loss_ratio': '六成' is not a number" in err
    assert not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.csv"]
    assert file_sha256(book) == before


def test_tier_with_a_branch_table(tmp_path):
    rows = raw_customers(*({"customer_id": f"L{k}", "branch": "Lhasa", "health_premium": 1_000_000 + k,
                            "health_loss_ratio": 0.5} for k in range(4))).drop(columns=["branch_class"])
    book = write_table(rows, tmp_path / "book.parquet")
    branches = write_table(pd.DataFrame({"branch": ["Lhasa"], "branch_class": ["D"], "silver_capacity": [2]}),
                           tmp_path / "branches.csv")
    out = tmp_path / "tiers.csv"
    assert main(["tier", "--portfolio", str(book), "--branches", str(branches), "--out", str(out)]) == 0
    table = pd.read_csv(out)
    # class D from the branch table, 2 places from its capacity: the two largest premiums L3, L2
    assert sorted(table.loc[table["tier"] == "silver", "customer_id"]) == ["L2", "L3"]
    assert set(table["branch_class"]) == {"D"}


def test_tier_refuses_an_unknown_output_type(tmp_path, capsys):
    assert main(["tier", "--out", str(tmp_path / "tiers.json")]) == 2
    assert "--out must end in .xlsx or .csv" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_tier_with_unknown_scenario(tmp_path, capsys):
    assert main(["tier", "--scenario", "nope", "--out", str(tmp_path / "t.csv")]) == 2
    assert "no scenario 'nope'" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_terminal_summaries_follow_lang_and_display_unit(tmp_path, capsys):
    # budget prints the 附件七 table as the workbook shows it: headers in --lang, amounts in
    # --display-unit (default: 万元 in zh, 元 in en). The VIP handbook costs 50 元 a copy (unit
    # cost, params/policy-2003.yaml), shown in 元 whatever the display unit (0.005 万元 would
    # round away); its Gold cost is 40 Gold × 50 元 = 2,000 元 = 2,000 / 10,000 = 0.20 万元.
    base = ["budget", "--sims", "200", "--path-years", "0", "--count-case-sims", "0"]
    assert main(base + ["--out", str(tmp_path / "zh.xlsx")]) == 0
    zh = capsys.readouterr().out
    assert main(base + ["--out", str(tmp_path / "en.xlsx"), "--lang", "en", "--display-unit", "wan"]) == 0
    en = capsys.readouterr().out
    assert main(base + ["--out", str(tmp_path / "en-yuan.xlsx"), "--lang", "en"]) == 0
    en_yuan = capsys.readouterr().out
    assert "单价（元）" in zh and "合计（万元/年）" in zh and "unit cost" not in zh
    assert "unit cost (CNY)" in en and "total (10,000 CNY/yr)" in en and "单价" not in en
    assert "unit cost (CNY)" in en_yuan and "total (CNY/yr)" in en_yuan
    handbook_zh = next(line for line in zh.splitlines() if line.strip().startswith("VIP专用服务手册"))
    handbook_en = next(line for line in en.splitlines() if line.strip().startswith("VIP专用服务手册"))
    handbook_yuan = next(line for line in en_yuan.splitlines() if line.strip().startswith("VIP专用服务手册"))
    assert handbook_zh.split()[1:4] == ["50", "560", "0.20"] and handbook_en.split()[1:4] == ["50", "560", "0.20"]
    assert handbook_yuan.split()[1:4] == ["50", "560", "2,000"]
    # the forecast summary's rows are named in the language too
    assert "金牌" in zh.split("P95")[1] and "Gold" in en.split("P95")[1]
