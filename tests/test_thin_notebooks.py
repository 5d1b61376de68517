"""Thin report pages: a converted notebook imports ``tiermodel as tm`` and reaches the page helper
(``tm.present.Page``) and the figures through it; it imports no app module and computes nothing
in its cells — what a cell printed or showed is a function of the package, tested here by hand.
"""
from __future__ import annotations

import ast
import json
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent

#: The pages converted to the page helper. A page joins this list when it is converted
#: (04 and 07 are still to come).
THIN_NOTEBOOKS = ["00_summary", "01_tier_portfolio", "02_calibrate_thresholds", "03_weight_k_sensitivity",
                  "04_vip_budget_forecast", "05_service_assessment", "06_annual_review", "07_service_delivery",
                  "08_table_uncertainty"]
#: tiermodel modules a page may import: the package itself, and for a figure or a table
#: rendering the present layers (reached as ``tm.present`` and ``tm.plots`` as well).
ALLOWED_MODULES = ("tiermodel", "tiermodel.present", "tiermodel.plots")
#: What a cell must not hold: functions, classes, loops and comprehensions (computation
#: belongs in the package, with a docstring and a test).
FORBIDDEN_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.For, ast.AsyncFor,
                   ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _code(name: str) -> ast.Module:
    cells = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    return ast.parse("\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code"))


def _tiermodel_imports(tree: ast.Module) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names += [f"{node.module}.{a.name}" if node.module == "tiermodel" else node.module
                      for a in node.names]
    return [n for n in names if n == "tiermodel" or n.startswith("tiermodel.")]


def _allowed(module: str) -> bool:
    return module == "tiermodel" or any(module == a or module.startswith(f"{a}.") for a in ALLOWED_MODULES[1:])


@pytest.mark.parametrize("name", THIN_NOTEBOOKS)
def test_a_thin_page_imports_tiermodel_as_tm(name):
    tree = _code(name)
    aliases = [(a.name, a.asname) for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert ("tiermodel", "tm") in aliases, name


@pytest.mark.parametrize("name", THIN_NOTEBOOKS)
def test_a_thin_page_imports_no_app_or_analysis_module(name):
    # not tiermodel.report, run_inputs, pages, small_book, cli, … nor any module below the present
    # layers: those are reached through tm's public names (tm.load_inputs, tm.calibrate_book, …)
    wrong = [m for m in _tiermodel_imports(_code(name)) if not _allowed(m)]
    assert wrong == [], f"{name} imports {wrong}"


@pytest.mark.parametrize("name", THIN_NOTEBOOKS)
def test_a_thin_page_defines_no_function_and_runs_no_loop(name):
    found = [(type(n).__name__, n.lineno) for n in ast.walk(_code(name)) if isinstance(n, FORBIDDEN_NODES)]
    assert found == [], f"{name}: {found}"


def test_the_check_finds_what_it_forbids():
    # the rules above on a cell written the old way: a helper function, a loop, an app import
    tree = ast.parse("from tiermodel.report import export_tables\nfrom tiermodel import small_book\n"
                     "import tiermodel.plots.tiering\n"
                     "def show(k):\n    pass\nfor n in notes:\n    print(n)\nx = [a for a in b]\n")
    assert [m for m in _tiermodel_imports(tree) if not _allowed(m)] == ["tiermodel.report", "tiermodel.small_book"]
    assert sorted(type(n).__name__ for n in ast.walk(tree) if isinstance(n, FORBIDDEN_NODES)) == \
        ["For", "FunctionDef", "ListComp"]


# ----------------------------------------------------------------------------- the page helper
def test_present_and_plots_are_reached_from_tm():
    import tiermodel as tm
    from tiermodel.present import page

    assert tm.present.Page is page.Page and tm.present.page is page
    assert callable(tm.plots.tiering.value_index_histogram)
    assert tm.cut_lines.__module__ == "tiermodel.tiers"


def test_the_old_names_stay_for_the_pages_not_yet_converted():
    from tiermodel import pages, report, small_book
    from tiermodel.present import page

    assert report.export_tables is page.export_tables and report.mark_samples is page.mark_samples
    assert report.sample_notice is page.sample_notice and report.page_banner is page.page_banner
    assert small_book.cannot_show is page.cannot_show
    assert report.TABLES_SUBDIR == page.TABLES_SUBDIR == "tables"
    assert callable(pages.run_page_header)
    with pytest.raises(AttributeError):
        report.no_such_name  # noqa: B018


def test_a_page_exports_its_tables_under_its_number(tmp_path):
    import tiermodel as tm

    counts = pd.DataFrame({"gold": [30, 10]}, index=["existing", "new"])
    page = tm.present.Page("01", output_dir=str(tmp_path), tables={"tier counts": counts})
    page.export()
    saved = tmp_path / "tables" / "01 tier counts.pkl"
    pd.testing.assert_frame_equal(pd.read_pickle(saved), counts)
    page.export({"01 renamed": counts}, prefix=False)
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == ["01 renamed.pkl", "01 tier counts.pkl"]
    # opened by hand (no run folder): nothing written, no error
    tm.present.Page("01", tables={"tier counts": counts}).export()
    assert tm.present.Page("02").save_text("x.yaml", "a: 1") is None
    assert tm.present.Page("02", output_dir=str(tmp_path)).save_text("x.yaml", "a: 1").read_text() == "a: 1"


def test_a_sheet_name_longer_than_excel_allows_is_refused(tmp_path):
    from tiermodel.present import page

    # "01 " + 29 characters = 32 > Excel's 31
    with pytest.raises(ValueError, match="longer than Excel's 31 characters"):
        page.export_tables(tmp_path, {"x" * 29: pd.DataFrame({"a": [1]})}, "01")


def test_the_page_header_names_the_data_source_the_inputs_give():
    from tiermodel.present import page

    inputs = SimpleNamespace(data_source=lambda: ("book.csv", "ab" * 32, False),
                             policy=SimpleNamespace(scenario="tight"))
    html = page.header(inputs, ("01 · 客户分层", "01 · Tier the portfolio"), ("关于", "about"), "en",
                       run_date="2026-11-26")
    assert "01 · Tier the portfolio" in html and "about" in html and "关于" not in html
    assert "book.csv · SHA-256 abababababab…" in html  # the first 12 hex characters
    assert "tight" in html and "2026-11-26" in html and 'class="tm-banner"' not in html  # a file: no banner


def test_cannot_show_boxes_only_for_findings_that_are_not_empty():
    from tiermodel.present import page

    boxes = page.cannot_show_each(("金牌名单", "the Gold list"), ["", "no Gold candidates", ""], "en")
    assert [b.description for b in boxes] == ["Cannot show: the Gold list. Why: no Gold candidates"]
    assert page.cannot_show_each("x", ["", ""], "en") == []


def test_lines_rounding_ranking_and_assumptions_as_a_page_prints_them(capsys):
    from tiermodel.present import page

    page.print_lines(["a", "b"], "- ")
    page.print_lines([])
    assert capsys.readouterr().out == "- a\n- b\n"  # nothing at all for no lines
    assert page.rounded({"gold": 0.123456, "silver": 2.0}, 4) == {"gold": 0.1235, "silver": 2.0}
    by_branch = pd.DataFrame({"gold": [1, 3, 3, 7], "silver": [5, 2, 9, 16]}, index=["b1", "b2", "b3", "total"])
    # gold descending, then silver descending among the tied 3s: b3 (9) before b2 (2); total last
    assert list(page.ranked(by_branch, ["gold", "silver"]).index) == ["b3", "b2", "b1", "total"]
    rows = [{"path": "a", "value": 1, "kind": "sourced"}, {"path": "b", "value": 0.5, "kind": "assumed"}]
    assumed = page.assumptions_in_force(rows, "en")
    assert assumed.to_dict("records") == [{"parameter": "b", "value": "0.5", "kind": "assumed", "article": "—",
                                           "assumption_reason": ""}]


# ----------------------------------------------------------------------------- run inputs
def test_the_run_inputs_say_why_a_list_is_missing():
    from tiermodel.policy import load_policy
    from tiermodel.run_inputs import RunInputs

    # 2 customers, non-health premium 5,000 and 80,000 CNY: below Gold's 1,000,000 (第11条)
    book = pd.DataFrame({"non_health_premium": [5_000.0, 80_000.0], "health_premium": [0.0, 0.0],
                         "long_term_std_premium": [0.0, 0.0]})
    tiers = pd.DataFrame({"gold_eligible": [False, False], "silver_eligible": [False, False]})
    inputs = RunInputs(load_policy(), book, None, "book.csv", 1)
    from tiermodel.present.messages import render

    assert render(inputs.gold_note(tiers), "en").startswith("no Gold candidates among 2 customers")
    assert render(inputs.silver_note(tiers), "en").endswith("the largest non-health premium in this book is 80,000 CNY")


# ----------------------------------------------------------------------------- page 02 (calibration)
def test_curve_ends_are_the_first_and_last_point_of_each_scale_curve():
    from tiermodel.calibrate.book import Calibration
    from tiermodel.calibrate.curves import curve_ends

    curves = pd.DataFrame({"group": ["gold"] * 3 + ["A"] * 2 + ["gold"] * 2,
                           "parameter": ["scale"] * 5 + ["premium_min"] * 2,
                           "candidates": [50, 30, 2, 400, 10, 999, 0]})
    ends = curve_ends(curves)  # the premium_min curve (999 … 0) is not a scale curve
    assert list(ends.index) == ["gold", "A"]
    assert ends.to_dict("list") == {"at factor 0.1": [50, 400], "at factor 10": [2, 10]}
    # curves: (gold, scale), (A, scale), (gold, premium_min) = 3
    assert Calibration.curve_count(SimpleNamespace(curves=curves)) == 3


def test_band_shares_side_by_side():
    from tiermodel.calibrate.tables import band_shares_wide

    long = pd.DataFrame({"table": ["附表1 premium"] * 4, "edges": ["assumed", "assumed", "fitted", "fitted"],
                         "band": [1, 2, 1, 2], "share": [0.7, 0.3, 0.5, 0.5]})
    wide = band_shares_wide(long)
    assert list(wide.columns) == ["assumed", "fitted"]
    assert wide.loc[("附表1 premium", 1)].tolist() == [0.7, 0.5]
    assert wide.loc[("附表1 premium", 2)].tolist() == [0.3, 0.5]


def test_calibration_findings_fitted_edges_and_gold_moves():
    from tiermodel.calibrate.book import Calibration
    from tiermodel.present.messages import render

    result = SimpleNamespace(
        thresholds=SimpleNamespace(unreachable=lambda: ["A: no threshold reaches 180"]),
        options={"findings": ["附表2 loyalty: too few values"]},
        fitted={"premium": SimpleNamespace(breaks=[10_000.123456, 50_000.0])},
        gold_change=pd.DataFrame({"change": ["enters_gold", "leaves_gold", "enters_gold"]}))
    assert Calibration.findings(result) == ["A: no threshold reaches 180", "附表2 loyalty: too few values"]
    assert Calibration.fitted_edge_lines(result) == ["premium fitted edges: [10000.1235, 50000.0]"]
    assert Calibration.gold_change_counts(result) == {"enters_gold": 2, "leaves_gold": 1}
    # 2 enter, 1 leaves: one note, one sentence per language
    moved = Calibration.gold_change_note(SimpleNamespace(gold_change_counts=lambda: Calibration.gold_change_counts(result)))
    assert render(moved, "zh") == "按拟合附表，2户客户新进金牌名单，1户退出"
    assert render(moved, "en") == "2 customers enter Gold and 1 leave it under the fitted tables"
    result.gold_change = pd.DataFrame()  # no change at all
    assert Calibration.gold_change_counts(result) == {"enters_gold": 0, "leaves_gold": 0}


# ----------------------------------------------------------------------------- page 03 (weights and K)
def test_the_baseline_in_both_languages():
    from tiermodel.present.messages import render
    from tiermodel.sensitivity.analysis import baseline_summary

    found = baseline_summary(20_000, 120, 45, [0.3, 0.3, 0.4], [1.0, 1.104, 1.1, 1.2], [1.0, 0.996, 1.0, 1.0],
                             {"gold": 40, "silver": 75, "regular": 5})
    # 1.104 → 1.1 and 0.996 → 1.0 at 2 decimals; only Gold and Silver are shown
    assert found.code == "sensitivity.baseline"
    assert render(found, "en") == ("20,000 customers; 120 candidates (45 Gold-eligible); weights 0.3, 0.3, 0.4; "
                                   "K1 1.0, 1.1, 1.1, 1.2; K2 1.0, 1.0, 1.0, 1.0; the baseline lists: 40 Gold, 75 Silver")
    assert render(found, "zh") == ("20,000户客户中候选人120户（其中符合金牌标准45户）；权重 0.3、0.3、0.4，"
                                   "K1 1.0、1.1、1.1、1.2，K2 1.0、1.0、1.0、1.0；现行名单：金牌40户，银牌75户")


def test_the_weight_simplex_in_both_languages():
    from tiermodel.present.messages import render
    from tiermodel.sensitivity.analysis import simplex_summary

    grid = pd.DataFrame({"w_premium": [0.3, 0.4, 0.6, 0.2], "w_loyalty": [0.3, 0.3, 0.2, 0.4],
                         "w_profit": [0.4, 0.3, 0.2, 0.4], "gold_jaccard": [1.0, 0.95, 0.5, 0.9],
                         "gold_swaps": [0, 1, 10, 2], "silver_change": [0, -2, 5, 3]})
    # overlap ≥ 0.9: rows 1, 2, 4 = 3 of 4 = 75%; lowest 0.5 with 10 swaps.
    # within 0.10 of (0.3, 0.3, 0.4) on every weight: rows 1 (0), 2 (0.1), 4 (0.1) — not row 3 (0.3):
    # overlap 0.9–1.0, at most 2 swaps, Silver change −2 … 3
    found = simplex_summary(grid, [0.3, 0.3, 0.4])
    assert render(found, "en") == (
        "4 weight triples; Gold overlap ≥ 0.9 in 75%; lowest 0.500 (10 swaps). "
        "Within ±0.10 of 30/30/40 (3 triples): overlap 0.900–1.000, at most 2 swaps, Silver change -2…3")
    assert render(found, "zh") == (
        "权重组合4组：金牌名单重合度 ≥ 0.9 的占75%；最低0.500（最多更替10户）。"
        "距30/30/40各权重 ±0.10 以内的3组：重合度0.900–1.000，最多更替2户，银牌变化-2…3户")


def test_the_customers_on_the_edge_of_one_list():
    from tiermodel.sensitivity.analysis import Sensitivity

    edge = pd.DataFrame({"list": ["gold", "silver", "gold"], "customer_id": ["C1", "C2", "C3"]})
    got = Sensitivity.borderline_of(SimpleNamespace(borderline=edge), "gold")
    assert got["customer_id"].tolist() == ["C1", "C3"]


# ----------------------------------------------------------------------------- page 08 (附表1–3)
def test_how_the_tables_were_drawn_in_both_languages():
    from tiermodel.present.messages import render
    from tiermodel.sensitivity.table_draws import draws_summary

    options = {"draws": 4096, "method": "around", "band_counts": "fixed", "seed": 2003,
               "robust_share": 0.9, "contested_share": 0.1}
    assumptions = pd.DataFrame({"path": ["conversion_tables.premium.breaks", "conversion_tables.premium.coefficients",
                                         "conversion_tables.loyalty.breaks", "value_index.weights.premium"]})
    found = draws_summary(options, assumptions)  # 4 assumed values; the method and band counts in words
    assert render(found, "en") == (
        "4,096 table draws, method: around the assumed tables, band counts: fixed, seed 2003; robust core: Gold in "
        "≥ 90% of draws, contested: ≥ 10%. 4 values, all assumed (附表1–3 and the family of plausible tables, "
        "listed below)")
    assert render(found, "zh") == (
        "抽取附表4,096套，抽取方式：围绕假设表抽取，分档数：固定，随机种子2003；稳定金牌：在 ≥ 90% 的抽样中为金牌，"
        "存在争议：≥ 10%。依据4项假设值（附表1–3及其可能取值范围，见下表）")


def test_the_robust_core_in_both_languages():
    from tiermodel.present.messages import render
    from tiermodel.sensitivity.table_draws import core_summary

    # 3 in the core, 2 of them Gold under the assumed tables; 2 contested
    found = core_summary(pd.DataFrame({"baseline_tier": ["gold", "gold", "silver"]}),
                         pd.DataFrame({"baseline_tier": ["gold", "regular"]}))
    assert render(found, "en") == "robust core: 3 customers (2 of them Gold under the assumed tables); contested: 2"
    assert render(found, "zh") == "稳定金牌客户3户（其中2户在假设附表下为金牌）；存在争议2户"


# ----------------------------------------------------------------------------- page 00 (the decision sheet)
def test_compliance_by_tier_from_page_05s_table():
    from tiermodel.pages import compliance_by_tier

    by_type = pd.DataFrame({"tier": ["gold", "gold", "silver"], "events": [10, 30, 50], "breaches": [1, 3, 0]})
    # gold: 40 events, 4 breaches → 1 − 4/40 = 0.90; silver: 50 events, none late → 1.00
    got = compliance_by_tier(by_type)
    assert got.loc["gold", ["events", "breaches"]].tolist() == [40, 4]
    assert got["compliance"].to_dict() == {"gold": pytest.approx(0.9), "silver": 1.0}


def test_page_00s_links_boxes_and_lines_in_one_language():
    from tiermodel.present.decision import PAGES, assumed_line, page_links, sample_box

    zh, en = page_links("zh"), page_links("en")
    assert zh.description.splitlines()[0] == "附：各页" and en.description.splitlines()[0] == "Appendix: the pages"
    assert len(zh.description.splitlines()) == 1 + len(PAGES) == 9  # pages 01–08
    assert "08 · The lost conversion tables" in en and 'href="06_annual_review.html"' in zh
    assert sample_box([], "zh") is None
    assert sample_box(["service", "survey"], "zh").description == "样本数据：服务水平基于随机样本（服务记录、满意度调查），并非实际数据"
    assert sample_box(["complaints"], "en").description == ("SAMPLE DATA: the service level is built on the seeded "
                                                           "sample (complaints), not on your data")
    assert assumed_line(114, "zh").description == "114项参数为本模型的假设或情景设定（非政策原文），各附理由"


def test_the_annual_review_counts_each_branch_list_largest_first():
    from tiermodel.pages import AnnualReview

    lists = {"gold": pd.DataFrame({"customer_id": ["G1"]}), "乙分公司": pd.DataFrame({"customer_id": ["a", "b"]}),
             "甲分公司": pd.DataFrame({"customer_id": ["c", "d"]}), "丙分公司": pd.DataFrame({"customer_id": ["e"]})}
    review = SimpleNamespace(lists=lists)
    # 2, 2, 1 VIPs: the two with 2 by name (乙 U+4E59 before 甲 U+7532), then 丙
    counts = AnnualReview.branch_counts(review)
    assert counts.to_dict("list") == {"branch": ["乙分公司", "甲分公司", "丙分公司"], "vips": [2, 2, 1]}
    review.branch_counts = lambda: counts
    assert AnnualReview.lists_line(review) == "company-wide Gold list: 1; 3 branch lists, 5 VIPs"
