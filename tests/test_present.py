"""The present layer: reader tables, the formatted workbook, HTML tables and page header,
and the check of notebook parameter names."""
from __future__ import annotations

import json
import re

import numpy as np
import openpyxl
import pandas as pd
import pytest

from tiermodel import present
from tiermodel.errors import OptionError, OutputPathError
from tiermodel.notebook_params import check_parameters, declared_parameters
from tiermodel.policy import describe, load_policy
from tiermodel.present.workbook import sheet_names
from tiermodel.vocabulary import COLUMN_KINDS, COLUMN_TERMS, TABLE_TERMS

CJK = re.compile(r"[\u4e00-\u9fff]")


def counts_by_class() -> pd.DataFrame:
    """Shaped like Tiering.summary(): index branch_class, a 'total' row, columns named 'tier'."""
    df = pd.DataFrame({"gold": [29, 11, 40], "silver": [79, 344, 423], "regular": [7192, 12345, 19537]},
                      index=pd.Index(["A", "B", "total"], name="branch_class"))
    df["total"] = df.sum(axis=1)
    df.columns.name = "tier"
    return df


def gold_list() -> pd.DataFrame:
    """Two Gold rows with an unnamed, non-range index (row labels of the source frame)."""
    return pd.DataFrame({
        "gold_pool": ["existing", "new"], "tier_rank": [1, 1], "customer_id": ["C005919", "=1+1"],
        "name": ["客户005919", "@SUM(A1)"], "standard_premium_used": [26_813_541.0, 12_345.0],
        "profit_margin": [0.4477, 0.1], "value_index": [0.79, 0.661234], "tier": ["gold", "gold"],
        "is_new": [False, True], "complaint_date": pd.to_datetime(["2025-03-08", "2025-12-31"]),
    }, index=[5918, 14638])


def many_branches(n: int = 40) -> pd.DataFrame:
    """Tier counts by branch: n branches then a total row (like tier_counts(table, "branch"))."""
    gold = np.arange(n) % 3
    df = pd.DataFrame({"gold": gold, "silver": np.full(n, 10), "regular": np.full(n, 100)},
                      index=pd.Index([f"B{i:02d}" for i in range(n)], name="branch"))
    df.loc["total"] = df.sum()
    return df


# ----------------------------------------------------------------------------- reader tables
def test_index_becomes_columns_and_row_labels_are_dropped():
    rt = present.reader_table(counts_by_class(), "tier counts by class", "zh", "wan")
    assert [c.key for c in rt.columns] == ["branch_class", "gold", "silver", "regular", "total"]
    assert rt.frame.columns[0] == "机构类别"
    assert isinstance(rt.frame.index, pd.RangeIndex)
    assert rt.frame.iloc[2, 0] == "合计"  # the 'total' row label translated
    assert rt.total_rows == [2]
    gl = present.reader_table(gold_list(), "gold list", "zh", "wan")
    assert gl.columns[0].key == "gold_pool"  # the unnamed index 5918, 14638 is not a column
    assert 5918 not in gl.frame.to_numpy()


def test_headers_say_the_amount_unit():
    zh = present.reader_table(gold_list(), "gold list", "zh", "wan")
    en = present.reader_table(gold_list(), "gold list", "en", "yuan")
    assert zh.column("standard_premium_used").header == "标准保费规模（万元/年）"
    assert en.column("standard_premium_used").header == "standard premium used (CNY/yr)"
    assert present.reader_table(gold_list(), "gold list", "en", "wan").column(
        "standard_premium_used").header == "standard premium used (10,000 CNY/yr)"
    # a _cny column is an amount named by its stem
    budget = pd.DataFrame({"payer": ["head_office", "branch"], "total_cny": [1_097_847.4, 4_013_962.3]})
    assert present.reader_table(budget, "x", "zh", "wan").column("total_cny").header == "合计（万元/年）"


def test_wan_output_is_yuan_output_over_10000():
    wan = present.reader_table(gold_list(), "gold list", "zh", "wan")
    yuan = present.reader_table(gold_list(), "gold list", "zh", "yuan")
    w = wan.frame[wan.column("standard_premium_used").header].to_numpy()
    y = yuan.frame[yuan.column("standard_premium_used").header].to_numpy()
    np.testing.assert_array_equal(w, y / 10_000)
    # 26,813,541 元 = 2,681.3541 万元, shown to 2 decimals; 元 shown whole
    assert w[0] == pytest.approx(2681.3541, abs=1e-9)
    assert wan.column("standard_premium_used").show(w[0]) == "2,681.35"
    assert yuan.column("standard_premium_used").show(y[0]) == "26,813,541"
    # shares and indices are not amounts: unchanged by the unit
    np.testing.assert_array_equal(wan.frame.iloc[:, 5], yuan.frame.iloc[:, 5])


def test_en_and_zh_give_the_same_numbers():
    for df, name in [(gold_list(), "gold list"), (counts_by_class(), "tier counts by class"),
                     (many_branches(), "tier counts by branch")]:
        zh = present.reader_table(df, name, "zh", "wan")
        en = present.reader_table(df, name, "en", "wan")
        assert [c.key for c in zh.columns] == [c.key for c in en.columns]
        for cz, ce in zip(zh.columns, en.columns):
            assert cz.kind == ce.kind and cz.decimals == ce.decimals
            if cz.numeric:
                np.testing.assert_array_equal(zh.frame[cz.header].to_numpy(), en.frame[ce.header].to_numpy())
        assert any(CJK.search(c.header) for c in zh.columns)
        assert not any(CJK.search(c.header) for c in en.columns)


def test_cell_words_translated():
    zh = present.reader_table(gold_list(), "gold list", "zh", "wan").frame
    en = present.reader_table(gold_list(), "gold list", "en", "wan").frame
    assert list(zh["金牌名额类别"]) == ["已承保客户", "本年新客户"]
    assert list(en["Gold pool"]) == ["existing", "new"]
    assert list(zh["层级"]) == ["金牌", "金牌"] and list(en["tier"]) == ["Gold", "Gold"]
    assert list(zh["本年新客户"]) == ["否", "是"]


def test_formats_by_kind():
    rt = present.reader_table(gold_list(), "gold list", "zh", "wan")
    # 0.4477 → 44.8 %, the value index to its stated 4 decimals, a date as ISO
    assert rt.column("profit_margin").show(0.4477) == "44.8%"
    assert rt.column("value_index").show(0.661234) == "0.6612"
    assert rt.column("complaint_date").show(pd.Timestamp("2025-03-08")) == "2025-03-08"
    assert rt.column("tier_rank").show(1234) == "1,234"
    assert rt.column("value_index").show(np.nan) == ""
    assert "客户价值指标保留4位小数" in rt.decimals_note()
    year = present.Column("year", "年度", "year", 0)
    assert year.show(2027) == "2027" and year.excel_format() == "0"  # a year has no separator


def test_every_label_has_a_known_kind():
    assert all(t.kind in COLUMN_KINDS for t in COLUMN_TERMS.values())
    assert all(len(t.zh) <= 28 and len(t.en) <= 28 for t in TABLE_TERMS.values())


def test_tiering_tables_are_all_labelled(sample_tiering=None):
    from tiermodel.run_inputs import load_inputs
    result = load_inputs(None, None, None, "yuan", 7).tiering()
    for key, table in result.tables().items():
        rt = present.reader_table(table, key, "zh", "wan")
        unlabelled = [c.key for c in rt.columns if c.key not in COLUMN_TERMS]
        assert unlabelled == [], (key, unlabelled)
        assert key in TABLE_TERMS
    assert "name" in result.gold_list().columns  # the Gold list names its customers


def _literal_table_keys(cls) -> set[str]:
    """The table keys a result's ``tables()`` writes literally: keys of the dicts it returns
    or fills (``{"a": ...}``, ``out["b"] = ...``), not the column names of frames it builds."""
    import ast
    import inspect
    import textwrap

    tree = ast.parse(textwrap.dedent(inspect.getsource(cls.tables)))
    inside_calls = {id(n) for call in ast.walk(tree) if isinstance(call, ast.Call)
                    for arg in call.args + [k.value for k in call.keywords] for n in ast.walk(arg)}
    keys = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict) and id(node) not in inside_calls:
            keys |= {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
        if (isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store)
                and isinstance(node.slice, ast.Constant)):
            keys.add(node.slice.value)
    return keys


def test_every_result_table_has_a_sheet_name_in_both_languages():
    # an unlabelled key falls back to its English key as the zh sheet name ("06 yoy changes")
    import importlib
    import pkgutil

    import tiermodel
    from tiermodel.result import Result

    for m in pkgutil.walk_packages(tiermodel.__path__, "tiermodel."):
        if not m.name.endswith("__main__"):
            importlib.import_module(m.name)
    todo, results = list(Result.__subclasses__()), []
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if "tables" in cls.__dict__:
            results.append(cls)
    assert len(results) >= 10  # tiering, calibration, sensitivity, budget, assessment, comparisons, ...
    unlabelled = {f"{c.__module__}.{c.__name__}": sorted(_literal_table_keys(c) - set(TABLE_TERMS))
                  for c in results}
    assert {k: v for k, v in unlabelled.items() if v} == {}


def test_a_page_prefix_goes_before_the_tables_own_name():
    from tiermodel.present.labels import table_term

    yoy = table_term("06 yoy gold list vs last year")
    assert (yoy.zh, yoy.en) == ("上年对比 金牌与上年对比", "Gold list vs last year (vs last year)")
    base = table_term("vs base list changes")
    assert (base.zh, base.rows_zh) == ("对比基准 名单变化", "户")
    assert table_term("yoy no such table").zh == "yoy no such table"  # unknown stays visible as is


def test_text_summary_is_compact_and_stable():
    rt = present.reader_table(counts_by_class(), "tier counts by class", "zh", "wan")
    assert rt.lines().splitlines()[0] == "A: 金牌（户） 29 · 银牌（户） 79 · 普通（户） 7,192 · 合计（户） 7,300"
    assert rt.lines() == rt.lines()
    gl = present.reader_table(gold_list(), "gold list", "en", "wan")
    assert gl.lines(["gold_pool", "tier_rank", "customer_id"], headers=False).splitlines() == [
        "Gold pool · rank · customer id", "existing · 1 · C005919", "new · 1 · =1+1"]


def test_bad_language_or_unit_is_refused():
    with pytest.raises(OptionError, match="--lang"):
        present.reader_table(gold_list(), "gold list", "fr")
    with pytest.raises(OptionError, match="--amount-unit"):
        present.reader_table(gold_list(), "gold list", "zh", "thousand")


# ----------------------------------------------------------------------------- workbook
@pytest.fixture
def workbook(tmp_path):
    tables = [present.reader_table(counts_by_class(), "01 tier counts by class", "zh", "wan", page="01 客户分层"),
              present.reader_table(gold_list(), "01 gold list", "zh", "wan", page="01 客户分层"),
              present.reader_table(many_branches(), "01 tier counts by branch", "zh", "wan", page="01 客户分层")]
    path = present.write_workbook(tables, tmp_path / "workbook.xlsx", "zh")
    return openpyxl.load_workbook(path), tables


def test_workbook_contents_sheet(workbook):
    wb, tables = workbook
    assert wb.sheetnames == ["目录", "01 各类机构分层人数", "01 金牌客户名单", "01 各机构分层人数"]
    rows = list(wb["目录"].iter_rows(values_only=True))
    assert rows[0] == ("工作表", "页面", "内容", "行数")
    assert [r[0] for r in rows[1:]] == wb.sheetnames[1:]
    assert rows[2][2] == TABLE_TERMS["gold list"].about_zh and rows[2][3] == 2
    assert rows[3][3] == 41  # 40 branches and the total row
    assert wb["目录"]["A2"].hyperlink is not None


def test_workbook_header_frozen_no_index_and_formats(workbook):
    wb, _ = workbook
    ws = wb["01 金牌客户名单"]
    assert ws.freeze_panes == "A2"
    headers = [c.value for c in ws[1]]
    assert headers[0] == "金牌名额类别"  # no index column before it, no blank header
    assert None not in headers and "index" not in headers
    col = {h: i + 1 for i, h in enumerate(headers)}
    amount = ws.cell(2, col["标准保费规模（万元/年）"])
    assert amount.value == pytest.approx(2681.3541) and amount.number_format == "#,##0.00"
    assert ws.cell(2, col["利润率"]).number_format == "0.0%"
    assert ws.cell(2, col["利润率"]).value == pytest.approx(0.4477)
    assert ws.cell(2, col["客户价值指标"]).number_format == "0.0000"
    assert ws.cell(2, col["排名"]).number_format == "#,##0"
    date = ws.cell(2, col["投诉日期"])
    assert date.number_format == "yyyy-mm-dd" and date.value.date().isoformat() == "2025-03-08"
    assert ws.column_dimensions["A"].width > 6
    assert ws[1][0].font.bold


def test_workbook_keeps_formula_text_as_text(workbook):
    wb, _ = workbook
    ws = wb["01 金牌客户名单"]
    cells = {c.value: c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str)}
    assert cells["=1+1"].data_type == "s" and cells["@SUM(A1)"].data_type == "s"


def test_workbook_autofilter_on_lists_only(workbook):
    wb, _ = workbook
    assert wb["01 各机构分层人数"].auto_filter.ref == "A1:D42"  # header + 40 branches + total; branch, gold, silver, regular
    assert not wb["01 各类机构分层人数"].auto_filter.ref


def test_workbook_refuses_a_wrong_suffix_and_writes_nothing(tmp_path):
    with pytest.raises(OutputPathError):
        present.write_workbook([], tmp_path / "book.csv")
    assert list(tmp_path.iterdir()) == []


def test_sheet_names_fit_excel():
    long = present.reader_table(counts_by_class(), "01 " + "x" * 40, "zh")
    names = sheet_names([long, long], reserved=["目录"])
    assert all(len(n) <= 31 for n in names) and len(set(names)) == 2


# ----------------------------------------------------------------------------- HTML
def test_html_table_is_formatted_html_not_text():
    html = str(present.html_table(present.reader_table(gold_list(), "gold list", "zh", "wan")))
    assert "<table" in html and "<pre" not in html
    assert "客户价值指标" in html and "标准保费规模（万元/年）" in html  # Chinese headers under zh
    assert "2,681.35" in html and "44.8%" in html and "0.7900" in html
    assert "..." not in html and "…" not in html  # no cell text cut
    assert "text-align: right" in html
    assert ">5918<" not in html  # no index column
    assert "#f7edc8" in html  # Gold rows tinted


def test_html_cut_table_says_how_many_rows_are_shown():
    rt = present.reader_table(many_branches(), "tier counts by branch", "zh", "wan")
    html = str(present.html_table(rt, max_rows=15))
    assert "显示 15 / 40 家机构（全部见工作簿）" in html
    assert html.count("<tr") == 1 + 15 + 1  # header, 15 branches, the total row
    en = str(present.html_table(present.reader_table(many_branches(), "tier counts by branch", "en"), 15))
    assert "showing 15 of 40 branches — all in the workbook" in en
    assert "显示" not in str(present.html_table(rt, max_rows=None))


def test_assumptions_register_is_never_cut():
    rows = describe(load_policy(None))
    html = str(present.assumptions_html(rows, "zh"))
    assumed = [r for r in rows if r["kind"] != "sourced"]
    assert len(assumed) > 15
    from html import unescape
    text = unescape(html)
    for r in assumed:
        assert (r["reason_zh"] or r["source"]) in text, r["path"]  # every reason whole, in Chinese
    assert "..." not in html
    assert f"本次运行共有 {len(assumed)} 项假设" in html


def test_page_header_names_page_scenario_source_and_date():
    sample = str(present.page_header("01 · 客户分层", "第10–13条", "", "sample(seed=2003)", "ab" * 32, True,
                                     "2026-11-26", "zh", "wan"))
    assert "样本数据 — 合成客户" in sample  # the SAMPLE DATA banner
    assert "2003年办法原文" in sample and "样本数据（种子 2003）" in sample and "2026-11-26" in sample
    assert "SHA-256 abababababab…" in sample and "万元" in sample
    real = str(present.page_header("01 · Tiers", "", "weights-equal", "book.xlsx", "0123456789abcdef" * 4,
                                   False, "2026-11-26", "en"))
    assert "SAMPLE DATA" not in real and "weights-equal" in real and "book.xlsx · SHA-256 0123456789ab…" in real


# ----------------------------------------------------------------------------- notebook parameters
def _notebook(tmp_path, source: str):
    nb = {"cells": [{"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": source,
                     "outputs": [], "execution_count": None}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def test_declared_parameters(tmp_path):
    path = _notebook(tmp_path, 'lang = "zh"  # output language\nweight_low, weight_high = 0.1, 0.6\n'
                               "n: int = 3\nimport os\n")
    declared = declared_parameters(path)
    assert list(declared) == ["lang", "weight_low", "weight_high", "n"]
    assert declared["weight_high"].default == "0.6" and declared["lang"].comment == "output language"


def test_a_wrong_notebook_parameter_is_refused(tmp_path):
    path = _notebook(tmp_path, "weight_low, weight_high = 0.1, 0.6\n")
    assert check_parameters(path, {"weight_low": 0.2}) == {"weight_low": 0.2}
    with pytest.raises(OptionError) as err:
        check_parameters(path, {"weight_lo": 0.2})
    assert "weight_lo" in str(err.value) and "nb.ipynb" in str(err.value) and "weight_low" in str(err.value)


def test_notebook_01_declares_lang_and_amount_unit():
    from pathlib import Path
    nb = Path(__file__).resolve().parent.parent / "notebooks" / "01_tier_portfolio.ipynb"
    declared = declared_parameters(nb)
    assert {"lang", "amount_unit", "scenario", "portfolio", "seed", "output_dir"} <= set(declared)
    with pytest.raises(OptionError):
        check_parameters(nb, {"language": "en"})


def test_notebook_01_shows_formatted_tables_not_text_tables():
    """The stored page of notebook 01 (as nbval checks it): key tables are HTML tables with
    Chinese headers; no printed output is a column-aligned text table; nothing is cut."""
    from pathlib import Path

    from nbconvert import HTMLExporter

    nb = Path(__file__).resolve().parent.parent / "notebooks" / "01_tier_portfolio.ipynb"
    html, _ = HTMLExporter(exclude_input=True).from_filename(str(nb))
    for header in ("金牌客户名单", "各机构分层人数", "假设清单", "客户名称", "客户价值指标"):
        assert header in html
    assert "显示 15 / 40 家机构（全部见工作簿）" in html
    assert "样本数据" in html
    table_like = re.compile(r"\S {2,}\S+ {2,}\S")  # columns padded with spaces, as DataFrame.to_string prints
    for pre in re.findall(r"<pre>(.*?)</pre>", html, flags=re.S):
        assert not table_like.search(pre), pre[:200]
    assert "...</td>" not in html


def test_summary_lines_several_rows_to_a_line():
    rt = present.reader_table(many_branches(5), "tier counts by branch", "en")
    text = rt.lines(["branch", "gold"], headers=False, per_line=2)
    # branches B00..B04 have gold 0, 1, 2, 0, 1 (i mod 3); the total row is 4
    assert text.splitlines() == ["branch · Gold (customers)", "B00 · 0 | B01 · 1", "B02 · 2 | B03 · 0",
                                 "B04 · 1 | total · 4"]


def test_report_workbook_groups_sheets_by_page(tmp_path):
    exported = {"02 gold pool": pd.DataFrame({"candidates": [43], "places": [30]},
                                             index=pd.Index(["existing"], name="pool")),
                "01 gold list": gold_list(), "01 tier counts by class": counts_by_class()}
    path = present.report_workbook(exported, tmp_path / "workbook.xlsx", "en", "yuan",
                                   order=["01 tier counts by class", "01 gold list"])
    wb = openpyxl.load_workbook(path)
    # page 01's two short tables (3 and 2 rows, at most STACK_MAX_ROWS) share one sheet; page
    # 02's one table keeps its own
    assert wb.sheetnames == ["Contents", "01 Short tables", "02 Gold pool"]
    rows = list(wb["Contents"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["01 Short tables · Tier counts by class", "01 Short tables · Gold list",
                                    "02 Gold pool"]
    assert [r[1] for r in rows] == ["01 Tiers", "01 Tiers", "02 Threshold calibration"]
    # each contents row links to its table: the counts' title in row 1; 1 title + 1 header
    # + 3 rows + 1 blank row later, the Gold list's title in row 7
    links = [wb["Contents"].cell(i, 1).hyperlink.location for i in (2, 3, 4)]
    assert links == ["'01 Short tables'!A1", "'01 Short tables'!A7", "'02 Gold pool'!A1"]
    ws = wb["01 Short tables"]
    assert ws["A1"].value == "Tier counts by class" and ws["A7"].value == "Gold list"
    headers = [c.value for c in ws[8]]
    # 元 output: 26,813,541 stays whole, format without decimals (row 9, the first Gold row)
    amount = ws.cell(9, headers.index("standard premium used (CNY/yr)") + 1)
    assert amount.value == 26_813_541 and amount.number_format == "#,##0"


@pytest.mark.parametrize("kind,decimals", [("amount", 2), ("amount", 0), ("share", 1), ("share", 0),
                                           ("count", 0), ("index", 4), ("index", 2), ("number", 3)])
def test_workbook_and_html_formats_agree(kind, decimals):
    """One spec per column kind: Excel's number format and the HTML text show the same
    decimals, the same % and the same thousands separator."""
    col = present.Column("x", "x", kind, decimals)
    excel, shown = col.excel_format(), col.show(12345.6789)
    assert excel.endswith("%") == shown.endswith("%")
    assert ("#,##0" in excel) == ("," in shown)
    excel_decimals = len(excel.rstrip("%").partition(".")[2])
    shown_decimals = len(shown.rstrip("%").partition(".")[2])
    assert excel_decimals == shown_decimals == decimals


def test_page_facts_name_the_file_and_its_sha256(tmp_path):
    import hashlib

    from tiermodel.io import write_table
    from tiermodel.pages import data_source, run_page_header
    from tiermodel.portfolio import sample_portfolio
    from tiermodel.run_inputs import load_inputs

    sample = load_inputs(None, None, None, "yuan", 7)
    name, sha, is_sample = data_source(sample)
    assert (name, is_sample, len(sha)) == ("sample(seed=7)", True, 64)
    book = write_table(sample_portfolio(7), tmp_path / "book.csv")
    real = load_inputs(None, book, None, "yuan", 7)
    name, sha, is_sample = data_source(real)
    assert (name, is_sample) == ("book.csv", False)
    assert sha == hashlib.sha256(book.read_bytes()).hexdigest()
    header = str(run_page_header(real, "01", lang="en", run_date="2026-11-26"))
    assert f"book.csv · SHA-256 {sha[:12]}…" in header and "SAMPLE DATA" not in header


def test_reasons_in_chinese():
    from tiermodel.present.labels import reason_text
    from tiermodel.run_inputs import load_inputs

    # 第13条: 30 places for existing customers; criterion 2 of 第11条 (health premium)
    assert reason_text("Gold: within the 30 places for existing customers; qualifies by health premium",
                       "zh") == "金牌：已承保客户30个名额之内；符合健康险保费"
    assert reason_text("Silver: within branch capacity; qualifies by long-term premium + non-health premium "
                       "(Gold-eligible by long-term premium, outside the 30 existing places)", "zh") == \
        "银牌：在机构银牌名额之内；符合长险标准保费、非健康险保费（符合金牌标准（长险标准保费），但在已承保客户30个名额之外）"
    reasons = load_inputs(None, None, None, "yuan", 2003).tiering().table["reason"]
    zh = present.translate_values(reasons, "reason", "zh")
    assert not zh.str.contains(r"[A-Za-z]").any(), zh[zh.str.contains(r"[A-Za-z]")].unique()
    en = present.translate_values(reasons, "reason", "en")
    assert (en == reasons.astype(str)).all()


def test_unit_costs_stay_in_yuan_in_a_wan_table():
    """A 2003 unit cost of 50 元 would be 0.005 万元: it stays in 元, its header says 元, while
    the table's other amounts are in 万元 (12,000 元 / 10,000 = 1.20 万元)."""
    catalogue = pd.DataFrame({"unit_cost_base_cny": [50.0, 300.0], "total_cny": [12_000.0, 3_000.0]},
                             index=pd.Index(["a", "b"], name="item"))
    wan = present.reader_table(catalogue, "catalogue", "zh", "wan")
    assert wan.columns[1].header == "2003年单价（元）" and wan.columns[2].header.endswith("（万元/年）")
    assert [wan.columns[1].show(v) for v in wan.frame.iloc[:, 1]] == ["50", "300"]
    assert [wan.columns[2].show(v) for v in wan.frame.iloc[:, 2]] == ["1.20", "0.30"]
    yuan = present.reader_table(catalogue, "catalogue", "en", "yuan")
    assert yuan.columns[1].header == "2003 unit cost (CNY)"
    assert [yuan.columns[1].show(v) for v in yuan.frame.iloc[:, 1]] == ["50", "300"]
    assert [yuan.columns[2].show(v) for v in yuan.frame.iloc[:, 2]] == ["12,000", "3,000"]


def test_an_unnamed_index_of_labels_is_kept():
    counts = pd.DataFrame({"mean": [38.9, 423.0], "P50": [40.0, 423.0]}, index=["gold", "silver"])
    rt = present.reader_table(counts, "forecast VIP count", "zh", "wan")
    assert list(rt.frame.iloc[:, 0]) == ["金牌", "银牌"]
    assert rt.column("P50").kind == "number" and "万元" not in rt.column("P50").header  # counts, not 元


# ----------------------------------------------------------------------------- page 00's Gold list
def test_summary_gold_list_names_the_pool_beside_the_rank():
    from tiermodel.pages import summary_gold_list

    # 第13条: 30 places for existing customers, 10 for new ones; each pool ranks from 1. The
    # hand-made list gives the new customer first: the page shows the existing pool first.
    gold = pd.DataFrame({"gold_pool": ["new", "existing", "existing"], "tier_rank": [1, 2, 1],
                         "customer_id": ["N1", "E2", "E1"], "name": ["新一", "老二", "老一"],
                         "branch": ["合肥"] * 3, "branch_class": ["A"] * 3, "value_index": [0.7, 0.8, 0.9],
                         "premium_coef": [0.1, 0.2, 0.3]})
    shown = summary_gold_list(gold)
    assert list(shown.columns) == ["gold_pool", "tier_rank", "customer_id", "name", "branch", "branch_class",
                                   "value_index"]
    assert shown["customer_id"].tolist() == ["E1", "E2", "N1"]
    zh = present.reader_table(shown, "gold list", "zh", "wan").frame
    en = present.reader_table(shown, "gold list", "en", "wan").frame
    assert list(zh.columns[:2]) == ["金牌名额类别", "排名"] and list(en.columns[:2]) == ["Gold pool", "rank"]
    # "1, 2, 1" reads as: existing 1, existing 2, new 1
    assert zh.iloc[:, 0].tolist() == ["已承保客户", "已承保客户", "本年新客户"]
    assert en.iloc[:, 0].tolist() == ["existing", "existing", "new"]
    assert zh.iloc[:, 1].tolist() == [1, 2, 1]


def test_summary_gold_list_of_the_sample_restarts_the_rank_in_the_new_pool():
    from tiermodel.pages import summary_gold_list
    from tiermodel.run_inputs import load_inputs

    gold = summary_gold_list(load_inputs(None, None, None, "yuan", 2003).tiering().tables()["gold list"])
    # 第13条: 30 existing + 10 new places; the sample fills both
    assert gold["gold_pool"].tolist() == ["existing"] * 30 + ["new"] * 10
    assert gold["tier_rank"].tolist() == list(range(1, 31)) + list(range(1, 11))


def test_a_number_columns_width_fits_its_widest_value_anywhere(tmp_path):
    # 3,000 rows: the widest text, "-1,234,567" (10 cells), is the last row's, beyond a sample
    # of the first rows (which would give the minimum width, 6); width = 10 + 2 = 12 cells
    # (XlsxWriter stores 12 + 0.71 of padding)
    from tiermodel.present.workbook import write_workbook

    df = pd.DataFrame({"x": [5] * 2999 + [-1_234_567]})
    rt = present.reader_table(df, "n", "en", "yuan", kinds={"x": "count"})
    assert rt.columns[0].header == "x"
    path = write_workbook([rt], tmp_path / "w.xlsx", "en")
    ws = openpyxl.load_workbook(path).worksheets[1]
    assert 12 <= ws.column_dimensions["A"].width < 13


def test_the_report_pages_extra_columns_have_words():
    # columns of page 03's tornado, page 06's 附件一 table and year-over-year changes, which the
    # zh workbook showed under their English keys
    from tiermodel.present.labels import column_term

    keys = ["gold_jaccard_low", "gold_jaccard_high", "silver_jaccard_low", "silver_jaccard_high",
            "min_gold_jaccard", "min_silver_jaccard", "criteria_figures", "branch_recommendation",
            "head_office_rating", "approval_date", "service_start", "date", "delta_value_index",
            "delta_premium", "delta_loyalty_k1", "delta_profit_k2", "reason_en"]
    assert [k for k in keys if k not in COLUMN_TERMS] == []
    assert column_term("approval_date").kind == "date" and column_term("min_gold_jaccard").decimals == 3
