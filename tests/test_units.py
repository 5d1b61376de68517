"""Input unit and display unit (issue 23 item 4): ``--amount-unit`` says what the customer file
holds, a header that states its unit is read in that unit, ``--display-unit`` sets what pages,
sheets and the console show (万元 in zh, 元 in en by default)."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from conftest import file_sha256, raw_customers
from tiermodel.cli import build_parser, main
from tiermodel.errors import InputTableError, OptionError
from tiermodel.portfolio import (LABELS, check_amount_scale, file_amount_unit, read_portfolio,
                                 validate_portfolio, write_table)

# 6,000 万元 of long-term premium = 6,000 × 10,000 = 60,000,000 元: Gold (第11条: ≥ 1,000,000 元)
WAN_GOLD = {"customer_id": "G1", "long_term_std_premium": 6_000, "health_premium": 12.5,
            "health_loss_ratio": 0.4}


def _book(headers: dict) -> pd.DataFrame:
    """A one-customer raw table (Chinese labels) with some headers renamed."""
    return raw_customers(WAN_GOLD).rename(columns=LABELS).rename(columns=headers)


@pytest.mark.parametrize("header", ["长险标准保费（万元）", "长险标准保费(万元)", "长险标准保费（万元/年）",
                                    "long_term_std_premium_wan", "long_term_std_premium (10,000 CNY)"])
def test_a_header_in_wan_is_read_in_wan_without_the_option(header):
    # 6,000 万元 → 60,000,000 元; the health premium, whose header states no unit, stays 12.5 元
    book = validate_portfolio(_book({"长险标准保费": header}), "book.csv")
    assert book.loc[0, "long_term_std_premium"] == 60_000_000
    assert book.loc[0, "health_premium"] == 12.5
    assert book.attrs["header_units"] == {"long_term_std_premium": "wan"}
    # the option that agrees is accepted, and reads the same
    again = validate_portfolio(_book({"长险标准保费": header}), "book.csv", amount_unit="wan")
    assert again.loc[0, "long_term_std_premium"] == 60_000_000
    assert again.loc[0, "health_premium"] == 12.5 * 10_000  # 12.5 万元 = 125,000 元 under --amount-unit wan


@pytest.mark.parametrize("header", ["长险标准保费（元）", "长险标准保费(元)", "long_term_std_premium_yuan",
                                    "long_term_std_premium (CNY/yr)"])
def test_a_header_in_yuan_is_read_in_yuan_under_amount_unit_wan_refused(header):
    book = validate_portfolio(_book({"长险标准保费": header}), "book.csv")
    assert book.loc[0, "long_term_std_premium"] == 6_000  # 6,000 元 as the header says
    with pytest.raises(InputTableError) as err:
        validate_portfolio(_book({"长险标准保费": header}), "book.csv", amount_unit="wan")
    message = str(err.value)
    assert message.startswith("book.csv: 1 problem(s)")
    assert ("column 'long_term_std_premium': the header says the amounts are in 元 (yuan), but --amount-unit "
            "says 万元 (wan)") in message


def test_headers_in_two_units_each_read_as_they_say():
    # 6,000 万元 = 60,000,000 元; 1,250,000 元 of health premium stays 1,250,000 元
    raw = raw_customers({**WAN_GOLD, "health_premium": 1_250_000}).rename(columns=LABELS)
    raw = raw.rename(columns={"长险标准保费": "长险标准保费（万元）", "健康险实收保费": "健康险实收保费（元）"})
    book = validate_portfolio(raw, "book.csv")
    assert book.loc[0, ["long_term_std_premium", "health_premium"]].tolist() == [60_000_000, 1_250_000]
    assert file_amount_unit(book, None) == ""  # two units: no one unit for the pages to be told
    with pytest.raises(InputTableError) as err:  # either option contradicts one of them
        validate_portfolio(raw, "book.csv", amount_unit="yuan")
    assert "column 'long_term_std_premium'" in str(err.value) and "health_premium" not in str(err.value)


def test_the_unit_a_file_holds():
    plain = validate_portfolio(raw_customers(WAN_GOLD), "book.csv")
    assert file_amount_unit(plain, None) == "yuan" and file_amount_unit(plain, "wan") == "wan"
    every = {"长险标准保费": "长险标准保费（万元）", "健康险实收保费": "健康险实收保费（万元）",
             "非健康险实收保费": "非健康险实收保费（万元）"}
    assert file_amount_unit(validate_portfolio(_book(every), "book.csv"), None) == "wan"
    # one premium column stated, the others not: they are read in 元, the file holds both
    assert file_amount_unit(validate_portfolio(_book({"长险标准保费": "长险标准保费（万元）"}), "b.csv"), None) == ""


def test_the_wan_slip_check_trusts_a_header_that_states_every_premium_unit():
    tiny = {"customer_id": "T1", "long_term_std_premium": 60, "health_premium": 12, "health_loss_ratio": 0.4}
    rows = [{**tiny, "customer_id": f"T{i}"} for i in range(5)]
    with pytest.warns(UserWarning, match="may be in 万元"):
        plain = validate_portfolio(raw_customers(*rows), "book.csv")
    # median customer premium 60 + 12 = 72 元 < 1,000 元: looks like 万元 read as 元
    with pytest.raises(OptionError, match="--amount-unit wan"):
        check_amount_scale(plain, "book.csv", None)
    check_amount_scale(plain, "book.csv", "yuan")  # the option said so: goes on
    stated = raw_customers(*rows).rename(columns={"long_term_std_premium": "long_term_std_premium_yuan",
                                                  "health_premium": "health_premium_yuan",
                                                  "non_health_premium": "non_health_premium_yuan"})
    with pytest.warns(UserWarning, match="may be in 万元"):
        stated_book = validate_portfolio(stated, "book.csv")
    check_amount_scale(stated_book, "book.csv", None)  # the header said so: goes on


def test_tier_reads_a_wan_header_and_refuses_a_contradiction(tmp_path, capsys):
    book = write_table(_book({"长险标准保费": "长险标准保费（万元）"}), tmp_path / "extract.xlsx")
    out = tmp_path / "tiers.csv"
    assert main(["tier", "--portfolio", str(book), "--out", str(out)]) == 0
    back = pd.read_csv(out, dtype={"customer_id": str})
    assert back.loc[0, "long_term_std_premium"] == 60_000_000 and back.loc[0, "tier"] == "gold"
    capsys.readouterr()
    before = file_sha256(book)
    refused = tmp_path / "out" / "tiers.xlsx"
    assert main(["tier", "--portfolio", str(book), "--amount-unit", "yuan", "--out", str(refused)]) == 2
    err = capsys.readouterr().err
    assert f"error: {book}: 1 problem(s); nothing was written" in err
    assert "column 'long_term_std_premium': the header says the amounts are in 万元 (wan)" in err
    assert not (tmp_path / "out").exists() and file_sha256(book) == before


def test_read_portfolio_without_a_unit(tmp_path):
    path = write_table(_book({"长险标准保费": "长险标准保费（万元）"}), tmp_path / "b.csv")
    assert read_portfolio(path).loc[0, "long_term_std_premium"] == 60_000_000


# ----------------------------------------------------------------------------- options
COMMANDS_WITH_AMOUNTS = ["tier", "report", "calibrate", "assess", "sensitivity", "budget", "compare"]


@pytest.mark.parametrize("command", COMMANDS_WITH_AMOUNTS)
def test_every_command_with_amounts_takes_both_unit_options(command):
    parser = build_parser()
    extra = ["--out", "x.xlsx"] if command in ("tier", "assess", "sensitivity", "budget", "compare") else []
    args = parser.parse_args([command, *extra])
    assert args.amount_unit is None and args.display_unit is None  # neither given: the defaults apply
    args = parser.parse_args([command, *extra, "--amount-unit", "wan", "--display-unit", "yuan"])
    assert (args.amount_unit, args.display_unit) == ("wan", "yuan")


def test_a_display_unit_that_is_no_unit_is_refused(capsys):
    with pytest.raises(SystemExit) as stop:
        build_parser().parse_args(["budget", "--out", "x.xlsx", "--display-unit", "qian"])
    assert stop.value.code == 2
    assert "--display-unit: invalid choice: 'qian' (choose from 'wan', 'yuan')" in capsys.readouterr().err


# ----------------------------------------------------------------------------- the report: page 04
@pytest.fixture(scope="module")
def page04_wan(two_branches_report, tmp_path_factory):
    """The report on the 300-customer book in 元 (no unit option, no unit in its headers) run
    with ``--display-unit wan`` (conftest.two_branches_report); its 万元 workbook, and the same
    saved tables written again as a zh workbook in 元 and an en one in the default unit
    (``report.write_workbook``), each in a folder of its own."""
    import shutil

    from tiermodel.report import write_workbook

    run_dir = two_branches_report.run_dir
    assert two_branches_report.status == 0, two_branches_report.err[-2000:]
    tmp = tmp_path_factory.mktemp("page04")
    again = {}
    for name, lang, unit in (("yuan", "zh", "yuan"), ("en", "en", None)):
        shutil.copytree(run_dir / "tables", tmp / name / "tables")
        again[name] = write_workbook(tmp / name, lang, unit)
    return run_dir, run_dir / "workbook.xlsx", again["yuan"], again["en"]


def _budget_total(run_dir: Path) -> float:
    """The 附件七 total of page 04 [CNY], as the page saved it (budget by tier, row total)."""
    t = pd.read_pickle(run_dir / "tables" / "04 budget by tier.pkl")
    return float((t.set_index("tier") if "tier" in t else t).loc["total", "cost_cny"])


def test_page04_sheets_in_wan_are_the_yuan_totals_over_10000(page04_wan):
    from workbook_checks import assert_wan_is_yuan_over_10000

    run_dir, wan, yuan, _ = page04_wan
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "ok"
    # the manifest records both units: the file holds 元, the pages and sheets show 万元
    assert (manifest["amount_unit"], manifest["display_unit"]) == ("yuan", "wan")
    assert manifest["notebook_parameters"]["amount_unit"] == "yuan"
    assert manifest["notebook_parameters"]["display_unit"] == "wan"
    # every amount column of every sheet of page 04 (headers （万元…）) holds the 元 figure / 10,000
    assert assert_wan_is_yuan_over_10000(wan, yuan) > 0
    # the budget total: T 元 in the saved table is T / 10,000 万元 in the sheet, e.g. 1,234,567 元 →
    # 123.4567 万元 (shown 123.46)
    total = _budget_total(run_dir)
    sheets = pd.read_excel(wan, sheet_name=None, header=None)
    cells = [v for s in sheets.values() for v in s.to_numpy().ravel() if isinstance(v, float)]
    assert total > 10_000 and any(v == pytest.approx(total / 10_000, rel=1e-12) for v in cells)
    assert not any(v == pytest.approx(total, rel=1e-12) for v in cells)


def test_the_report_workbook_is_in_wan_in_zh_and_in_yuan_in_en_by_default(page04_wan):
    run_dir, wan, _, en = page04_wan
    headers = lambda path: {v for s in pd.read_excel(path, sheet_name=None, header=None).values()  # noqa: E731
                            for v in s.to_numpy().ravel() if isinstance(v, str)}
    assert any("（万元" in h for h in headers(wan))
    en_headers = headers(en)
    assert any(h.endswith("(CNY/yr)") for h in en_headers) and not any("10,000 CNY" in h for h in en_headers)


def test_page04_html_shows_the_totals_in_wan(page04_wan):
    """Page 04's own tables in 万元 once its parameters cell declares ``display_unit`` (the
    report passes it to every notebook that declares it)."""
    from tiermodel.notebook_params import declared_parameters

    run_dir, *_ = page04_wan
    if "display_unit" not in declared_parameters(run_dir / "04_vip_budget_forecast.ipynb"):
        pytest.skip("notebook 04 does not declare display_unit yet: it shows its amounts in amount_unit")
    html = (run_dir / "04_vip_budget_forecast.html").read_text(encoding="utf-8")
    total = _budget_total(run_dir)
    # T 元 shown as T / 10,000 万元 to two decimals, under a header that says 万元
    assert f"{total / 10_000:,.2f}" in html and "（万元/年）" in html
    assert f"{total:,.0f}" not in html


def test_display_unit_is_the_runs_own_option_not_a_page_parameter():
    from tiermodel.report import refuse_run_parameters

    with pytest.raises(OptionError, match="use --display-unit instead"):
        refuse_run_parameters({"display_unit": "wan"})
