"""Pages 01, 02, 03 and 08 in one language: parameters by their reader's names (not dotted
keys), the analyses' findings and cell words in Chinese or English from one code."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import pandas as pd
import pytest

from tiermodel import calibrate as cb
from tiermodel.policy import load_policy
from tiermodel.present.messages import render
from tiermodel.present.tables import reader_table

M = 1_000_000


@pytest.fixture(scope="module")
def policy():
    return load_policy()


def _book(rows):
    """A hand-made class-A book, scored: (long-term, health, health loss ratio, non-health, its loss ratio)."""
    from tiermodel.scoring import score

    book = pd.DataFrame([{"customer_id": f"T{i:03d}", "branch": "BrA", "branch_class": "A", "effective_years": 5,
                          "is_new": False, "long_term_std_premium": float(lt), "health_premium": float(h),
                          "health_loss_ratio": hlr, "non_health_premium": float(nh), "non_health_loss_ratio": nhlr,
                          "profit_margin": 0.1, "first_service_objects": 1, "second_service_objects": 1}
                         for i, (lt, h, hlr, nh, nhlr) in enumerate(rows)])
    book["branch_class"] = pd.Categorical(book["branch_class"], categories=["A", "B", "C", "D"])
    book["standard_premium"] = float("nan")
    return score(book, load_policy())


def _tornado():
    return pd.DataFrame({"low": [0.5, 0.2], "high": [1.5, 0.6], "gold_swaps_low": [0, 7], "gold_swaps_high": [0, 9]},
                        index=pd.Index(["value_index.k2.year_4_plus", "value_index.weights.profit"], name="parameter"))


@pytest.mark.parametrize("lang, names", [
    ("zh", ["K2系数·有效投保第4年及以后", "价值指数权重·利润贡献"]),
    ("en", ["K2 factor, insured year 4 on", "Value index weight: profit contribution"])])
def test_the_tornado_table_and_chart_name_each_parameter(lang, names):
    from tiermodel.plots import use_cjk_font
    from tiermodel.plots.sensitivity import tornado_chart

    use_cjk_font()

    shown = reader_table(_tornado().reset_index(), "tornado", lang, "yuan")
    assert shown.frame.iloc[:, 0].tolist() == names
    assert "value_index." not in shown.text_summary()  # the dotted path stays in the workbook's last column
    ax = tornado_chart(_tornado(), lang=lang)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert all("value_index." not in label for label in labels)
    # each tick: the parameter's name and its range, "K2系数·有效投保第4年及以后  [0.5 … 1.5]"
    assert sorted(label.split("  [")[0] for label in labels) == sorted(names)
    assert f"{names[0]}  [0.5 … 1.5]" in labels
    matplotlib.pyplot.close("all")


def test_the_calibration_tables_name_thresholds_and_targets_in_both_languages(policy):
    # r = long-term / 50M: 60M → 1.2, 45M → 0.9, 30M → 0.6, nothing → 0. Two Gold candidates
    # wanted: scale 0.9 on the three Gold minimums: 50M → 45M, 5M → 4.5M, 1M → 900,000.
    book = _book([(60 * M, 0, 0, 0, 0), (45 * M, 0, 0, 0, 0), (30 * M, 0, 0, 0, 0), (0, 0, 0, 0, 0)])
    solved = cb.solve_thresholds(book, policy, cb.Targets(2, {}))
    zh = reader_table(solved.changes(), "threshold changes", "zh", "yuan").text_summary()
    en = reader_table(solved.changes(), "threshold changes", "en", "yuan").text_summary()
    assert "金牌入选条件·长险年度标准保费下限" in zh and "金牌候选2户（实际2户）" in zh
    assert "Gold entry: minimum long-term standard premium" in en and "Gold candidate pool of 2 (achieved 2)" in en
    assert "eligibility." not in zh + en
    table = solved.table()
    zh = reader_table(table, "calibration", "zh", "yuan").frame.iloc[0].tolist()
    en = reader_table(table, "calibration", "en", "yuan").frame.iloc[0].tolist()
    assert ["金牌", "三项保费标准同比例调整"] == zh[:2] and zh[-1] == "三项保费最低标准均 × 0.9"
    assert ["Gold", "one factor on all three"] == en[:2] and en[-1] == "all three premium minimums × 0.9"


def test_a_target_out_of_reach_said_in_both_languages_from_one_note(policy):
    # only 2 customers have a premium within the Gold criteria (the third's health loss ratio,
    # 70 %, is above the 60 % cap): no threshold gives 3
    book = _book([(60 * M, 0, 0, 0, 0), (0, 0, 0, 10_000, 0.30), (0, 9 * M, 0.70, 0, 0)])
    finding, = cb.solve_thresholds(book, policy, cb.Targets(3, {})).unreachable()
    assert finding.code == "calibrate.finding" and finding.fields["why"].code == "calibrate.unreachable_scale"
    assert render(finding, "en") == (
        "Gold: unreachable: only 2 customers have any long-term standard premium, health premium with loss ratio "
        "≤ 60%, non-health premium with loss ratio ≤ 40%; no threshold gives 3")
    assert render(finding, "zh") == (
        "金牌：无法达到：只有2户客户有长险标准保费、赔付率不高于60%的健康险保费、赔付率不高于40%的非健康险保费；"
        "任何门槛都不能得到3户")


@pytest.mark.parametrize("lang, words", [("zh", ["可能落选", "可能入选", "稳定金牌", "存在争议", "新进金牌"]),
                                         ("en", ["at risk", "contender", "robust core", "contested", "enters Gold"])])
def test_cell_words_of_pages_02_03_08_in_the_page_language(lang, words):
    edge = reader_table(pd.DataFrame({"list": ["gold", "gold"], "status": ["at_risk", "contender"]}), "borderline", lang)
    odds = reader_table(pd.DataFrame({"gold_status": ["robust core", "contested"]}), "table odds", lang)
    moved = reader_table(pd.DataFrame({"change": ["enters_gold"]}), "gold list change", lang)
    assert edge.frame.iloc[:, 1].tolist() + odds.frame.iloc[:, 0].tolist() + moved.frame.iloc[:, 0].tolist() == words


def test_the_scenario_names_fitted_band_edges_as_a_parameter():
    from tiermodel.calibrate.scenario import format_changes
    from tiermodel.notes import note

    # 附表1 edges 1M, 5M (assumed) → 0.2M, 0.9M (fitted): one row, the parameter its band edges
    changes = pd.DataFrame({"parameter": ["conversion_tables.premium"], "old": [{"breaks": [1e6, 5e6]}],
                            "new": [{"breaks": [200_000.0, 900_000.0]}],
                            "meets": [note("calibrate.tables_fitted", annex="附表1")]})
    zh = reader_table(format_changes(changes), "scenario changes", "zh", "yuan").frame.iloc[0].tolist()
    en = reader_table(format_changes(changes), "scenario changes", "en", "yuan").frame.iloc[0].tolist()
    assert zh[:4] == ["附表1 保费规模折算表·分档边界", "1,000,000 / 5,000,000", "200,000 / 900,000",
                      "附表1分档边界按本业务分位数拟合"]
    assert en[:4] == ["附表1 premium conversion table: band edges", "1,000,000 / 5,000,000", "200,000 / 900,000",
                      "附表1 bands fitted to the book's quantiles"]
