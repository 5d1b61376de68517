"""The report on any real book: tiny books, no VIP candidates, a forgotten 万元, loss ratios in %.

One papermill smoke run of the whole report per tiny book, with small simulation sizes so the
suite stays fast: exit 0, and each page that has nothing to show on the book says so.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

import small_books
from tiermodel.cli import main

SMALL = small_books.SMALL
#: Pages that each say what they cannot show on a book
#: with no VIP candidates.
SAYS_CANNOT_SHOW = ("00_summary", "01_tier_portfolio", "02_calibrate_thresholds", "03_weight_k_sensitivity",
                    "04_vip_budget_forecast", "05_service_assessment", "06_annual_review",
                    "07_service_delivery", "08_table_uncertainty")


def _args(book: Path, reports: Path, *extra: str) -> list[str]:
    return small_books.report_args(book, reports, *extra)


def _run_dir(reports: Path) -> Path:
    runs = [p for p in reports.iterdir() if p.is_dir()]
    assert len(runs) == 1
    return runs[0]


@pytest.mark.parametrize("name", ["one", "thirty", "two_branches", "no_criterion"])
def test_the_whole_report_runs_on_a_tiny_book(tmp_path, capsys, request, name):
    if name == "two_branches":  # the run other tests read too (conftest.two_branches_report)
        shared = request.getfixturevalue("two_branches_report")
        status, err, run = shared.status, shared.err, shared.run_dir
    else:
        book = small_books.write(name, tmp_path)
        reports = tmp_path / "reports"
        status = main(_args(book, reports))
        err = capsys.readouterr().err
        run = _run_dir(reports)
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    failed = [s for s in manifest["notebooks"] if s["status"] != "ok"]
    assert failed == [], err
    assert (run / "workbook.xlsx").exists()
    if name != "two_branches":  # no VIP candidates at all: every page of this branch says so
        for page in SAYS_CANNOT_SHOW:
            html = (run / f"{page}.html").read_text(encoding="utf-8")
            assert "无法显示" in html, page
            assert re.search(r"无法显示：[^<]+。原因：", html), page  # the vocabulary's one phrasing
    if name in ("one", "thirty"):
        html = (run / "01_tier_portfolio.html").read_text(encoding="utf-8")
        # 第11条: Gold from 1,000,000 CNY of non-health premium; the book's largest is named
        # (the zh page says it in Chinese: 没有金牌候选人 … 非健康险保费1,000,000元)
        assert "没有金牌候选人" in html and "非健康险保费1,000,000元" in html
    assert status == 0, err


# ----------------------------------------------------------------------------- the 万元 slip
def test_tier_refuses_amounts_in_wan_read_as_yuan(tmp_path, capsys):
    # the 300-customer book written in 万元: its median premium of some 4 万元 reads as 4 CNY,
    # 10,000× below a group book; the option that fixes it is named, nothing is written
    book = tmp_path / "wan.csv"
    small_books.in_wan(small_books.two_branches()).to_csv(book, index=False)
    out = tmp_path / "tiers.csv"
    assert main(["tier", "--portfolio", str(book), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "--amount-unit wan" in err and "万元" in err
    assert not out.exists()
    # said once: --amount-unit yuan is "I know", the run goes on
    assert main(["tier", "--portfolio", str(book), "--amount-unit", "yuan", "--out", str(out)]) == 0
    assert out.exists()
    # and --amount-unit wan reads it as the book it is: the same tiers as the book in 元
    fixed, plain = tmp_path / "fixed.csv", tmp_path / "plain.csv"
    small_books.two_branches().to_csv(tmp_path / "yuan.csv", index=False)
    assert main(["tier", "--portfolio", str(book), "--amount-unit", "wan", "--out", str(fixed)]) == 0
    assert main(["tier", "--portfolio", str(tmp_path / "yuan.csv"), "--out", str(plain)]) == 0
    a, b = pd.read_csv(fixed), pd.read_csv(plain)
    assert a["tier"].tolist() == b["tier"].tolist()


def test_report_refuses_amounts_in_wan_before_any_run(tmp_path, capsys):
    book = tmp_path / "wan.csv"
    small_books.in_wan(small_books.two_branches()).to_csv(book, index=False)
    reports = tmp_path / "reports"
    assert main(["report", "--portfolio", str(book), "--reports-dir", str(reports)]) == 2
    assert "--amount-unit wan" in capsys.readouterr().err
    assert not reports.exists() or not any(reports.iterdir())


def test_loss_ratios_typed_as_percentages_are_refused_naming_the_column(tmp_path, capsys):
    # 0.42 typed as 42: most non-health loss ratios above 1.5 → one finding for the column
    book = tmp_path / "percent.csv"
    small_books.percent_loss_ratios(small_books.two_branches()).to_csv(book, index=False)
    out = tmp_path / "tiers.csv"
    assert main(["tier", "--portfolio", str(book), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "non_health_loss_ratio" in err and "percentages" in err and "0.55 for 55 %" in err
    assert re.search(r"column 'non_health_loss_ratio': \d+% of the loss ratios are above 1.5", err)
    assert not out.exists()


# ----------------------------------------------------------------------------- notebook parameters
def test_a_parameter_no_notebook_declares_is_refused_before_the_run(tmp_path, capsys):
    reports = tmp_path / "reports"
    # notebook 03 takes weight_range (the CLI's --weight-range), not weight_low
    assert main(["report", "--reports-dir", str(reports), "-p", "weight_low=0.1"]) == 2
    err = capsys.readouterr().err
    assert "weight_low" in err and "weight_range" in err
    assert not reports.exists() or not any(reports.iterdir())


def test_notebook_parameter_names_are_the_cli_options():
    from tiermodel.notebook_params import declared_parameters
    from tiermodel.report import notebooks

    declared = {nb.name[:2]: set(declared_parameters(nb)) for nb in notebooks()}
    assert {"weight_range", "k_range", "steps", "spread", "sobol_n", "draws", "share"} <= declared["03"]
    assert not {"weight_low", "weight_high", "k_low", "k_high"} & declared["03"]
    assert {"gold_pool", "silver", "method", "tie", "fit_tables"} <= declared["02"]
    for page in ("00", "01", "02", "03", "08"):
        assert {"lang", "amount_unit"} <= declared[page], page


# ----------------------------------------------------------------------------- languages
def test_lang_en_and_zh_give_the_same_numbers(tmp_path):
    """The report workbook in English and in Chinese: same sheets in the same order, same numbers."""
    import openpyxl

    from tiermodel.present import report_workbook
    from tiermodel.run_inputs import load_inputs

    tables = {f"01 {k}": t for k, t in load_inputs().tiering().tables().items()}
    zh, en = tmp_path / "zh.xlsx", tmp_path / "en.xlsx"
    report_workbook(tables, zh, "zh", "yuan")
    report_workbook(tables, en, "en", "yuan")
    a, b = openpyxl.load_workbook(zh), openpyxl.load_workbook(en)
    assert len(a.sheetnames) == len(b.sheetnames)
    assert a.sheetnames != b.sheetnames  # names in the output language
    for sa, sb in zip(a.worksheets[1:], b.worksheets[1:]):
        numbers = [[c for c in row if isinstance(c, (int, float))] for row in sa.iter_rows(min_row=2, values_only=True)]
        assert numbers == [[c for c in row if isinstance(c, (int, float))]
                           for row in sb.iter_rows(min_row=2, values_only=True)], sa.title


# ----------------------------------------------------------------------------- one "cannot show" phrasing
def test_cannot_show_says_what_and_why_in_the_vocabulary_template():
    from tiermodel.small_book import cannot_show

    zh = cannot_show(("金牌名单", "the Gold list"), "本名单没有金牌或银牌客户", "zh")
    en = cannot_show(("金牌名单", "the Gold list"), "no Gold candidates", "en")
    assert zh.description == "无法显示：金牌名单。原因：本名单没有金牌或银牌客户"
    assert en.description == "Cannot show: the Gold list. Why: no Gold candidates"
    assert 'class="tm-cannot-show"' in zh and "无法显示：金牌名单。原因：" in zh
    # one phrase already in the reader's language is used as is; text is escaped in the HTML
    assert cannot_show("a <b> list", "x", "en").startswith('<div class="tm-cannot-show"')
    assert "&lt;b&gt;" in cannot_show("a <b> list", "x", "en")


def test_why_a_list_is_missing_reads_in_the_page_language():
    from tiermodel.policy import load_policy
    from tiermodel.small_book import cannot_show, gold_note, silver_note

    policy = load_policy()
    # 2 customers, non-health premium 5,000 and 80,000 CNY: below the Gold 1,000,000 (第11条)
    # and below the lowest Silver threshold (class D) of 100,000 CNY; the largest is 80,000
    book = pd.DataFrame({"non_health_premium": [5_000.0, 80_000.0], "health_premium": [0.0, 0.0],
                         "long_term_std_premium": [0.0, 0.0]})
    tiers = pd.DataFrame({"gold_eligible": [False, False], "silver_eligible": [False, False]})
    from tiermodel.present.messages import render

    gold, silver = gold_note(book, tiers, policy), silver_note(book, tiers, policy)
    assert gold.code == "tiers.no_gold_candidates" and gold.fields["largest"] == 80_000
    assert render(gold, "en").startswith("no Gold candidates among 2 customers") and "80,000 CNY" in render(gold, "en")
    zh = cannot_show(("金牌名单", "the Gold list"), gold, "zh").description
    assert zh.startswith("无法显示：金牌名单。原因：2户客户中没有金牌候选人：第11条金牌标准最低为非健康险保费1,000,000元")
    assert zh.endswith("本名单最大的非健康险保费为80,000元")
    assert cannot_show(("银牌名单", "the Silver lists"), silver, "zh").description == (
        "无法显示：银牌名单。原因：2户客户中没有银牌候选人：第11条银牌最低标准（D类机构）为赔付率上限内非健康险保费"
        "100,000元；本名单最大的非健康险保费为80,000元")
    assert cannot_show(("金牌名单", "the Gold list"), gold, "en").description == (
        f"Cannot show: the Gold list. Why: {render(gold, 'en')}")


def test_every_page_says_cannot_show_one_way():
    # every page draws its "cannot show" boxes with present.page.cannot_show (the vocabulary's
    # template); the old "无法显示 · cannot show" heading and hand-made Markdown quotes are gone
    root = Path(__file__).resolve().parent.parent
    for nb in sorted((root / "notebooks").glob("[0-9]*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        assert "无法显示 · cannot show" not in code and "CANNOT_SHOW" not in code, nb.name
        assert 'Markdown("> **" + text("cannot_show"' not in code, nb.name
        if "cannot_show(" in code.replace('text("cannot_show"', ""):
            # the page helper (tm.present.Page / tm.present.page), or its old name on the pages
            # not yet converted to it
            assert "tm.present." in code or "from tiermodel.small_book import cannot_show" in code, nb.name
    import tiermodel.small_book as sb

    assert not hasattr(sb, "CANNOT_SHOW")
