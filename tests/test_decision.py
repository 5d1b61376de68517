"""One budget figure to approve and the change against last year (issue 22, items 3–4).
Expected values worked by hand from a one-service catalogue (第18条 2⑤ festival gifts)."""
from __future__ import annotations

import pandas as pd
import pytest

from conftest import customers
from tiermodel.compare import budget_change, decision_budget, last_year_review, review_year
from tiermodel.scoring import score
from tiermodel.tiers import assign_tiers

GOLD_ROW = {"effective_years": 10, "health_premium": 6_000_000, "health_loss_ratio": 0.50, "profit_margin": 0.07}


@pytest.fixture()
def festival_only(policy):
    # one service: festival gifts (第18条 2⑤), 2 a year × 200 CNY per key person, pro-rated by
    # months of service, 2003 prices carried by 2.5 % a year
    return policy.model_copy(update={"service_catalogue": {"festival_gifts": policy.service_catalogue["festival_gifts"]}})


def _tier(rows, policy):
    return assign_tiers(score(customers(*rows), policy), policy)


def test_budget_against_last_year_split_into_count_and_price(festival_only):
    pol = festival_only
    # 2025: G1 Gold (also Gold in 2024: continuing, 12 months); G2 no criterion → Regular.
    # 2026: G1 Gold continuing (12 months); G2 Gold with the list (approved 15 January, served
    # February–December = 11 months). Each has 1 first + 1 second key person = 2 persons.
    book_2026 = _tier([{**GOLD_ROW, "customer_id": "G1"}, {**GOLD_ROW, "customer_id": "G2"}], pol)
    last_list = pd.DataFrame({"customer_id": ["G1", "G2"], "tier": ["gold", "regular"]})
    this = review_year(book_2026, pol, 2026, previous=last_list)
    last = last_year_review(book_2026, last_list, pol, 2025,
                            before_last=pd.DataFrame({"customer_id": ["G1"], "tier": ["gold"]}))
    f25 = 1.025 ** (2025 - 2003)
    f26 = 1.025 ** (2026 - 2003)
    # last year: G1, 2 persons × 2 festivals × 200 CNY × 12/12 = 800 CNY at 2003 prices
    cost_last = 800 * f25
    # this year at 2025 prices: G1 800 + G2 800 × 11/12 = 800 + 733.33 = 1,533.33 CNY at 2003 prices
    this_at_last = (800 + 800 * 11 / 12) * f25
    cost_this = (800 + 800 * 11 / 12) * f26
    change = budget_change(this, last, pol).set_index("tier")
    total = change.loc["total"]
    assert total["customers_last"] == 1 and total["customers_this"] == 2
    assert total["cost_last_cny"] == pytest.approx(cost_last)
    assert total["cost_this_cny"] == pytest.approx(cost_this)
    assert total["count_effect_cny"] == pytest.approx(this_at_last - cost_last)  # 733.33 × f25
    assert total["price_effect_cny"] == pytest.approx(cost_this - this_at_last)  # 1,533.33 × f25 × 0.025
    assert total["change_cny"] == pytest.approx(total["count_effect_cny"] + total["price_effect_cny"])
    # change share: (1,533.33 × 1.025 − 800) / 800 = (1,571.67 − 800) / 800 = 96.46 %
    assert total["change_share"] == pytest.approx((1533.3333 * 1.025 - 800) / 800, rel=1e-4)


def test_the_decision_budget_is_annex7_of_the_approved_lists_at_the_service_years_prices(festival_only):
    pol = festival_only
    book = _tier([{**GOLD_ROW, "customer_id": "G1"}, {**GOLD_ROW, "customer_id": "N1", "effective_years": 1,
                                                      "is_new": True}], pol)
    year = review_year(book, pol, 2026)
    decision = decision_budget(year, pol, sims=200, seed=7, forecast_year=2027)
    # G1 continuing 12 months: 800; N1 new, approved July, August–December 5 months: 800 × 5/12
    # = 333.33; total 1,133.33 CNY at 2003 prices × 1.025^23 (2026 prices)
    assert decision.total == pytest.approx((800 + 800 * 5 / 12) * 1.025 ** 23)
    head = decision.headline().set_index("figure")
    assert head.loc["budget", "year"] == 2026 and head.loc["forecast P50", "year"] == 2027
    assert head.loc["P50", "cost_cny"] <= head.loc["P95", "cost_cny"]


def _run_pages(tmp_path):
    """Run pages 00, 04 and 06 as a report on the sample; its run folder."""
    import shutil

    from tiermodel.report import run_report
    from tiermodel.resources import data_dir

    books = tmp_path / "notebooks"
    books.mkdir()
    for name in ("00_summary.ipynb", "04_vip_budget_forecast.ipynb", "06_annual_review.ipynb"):
        shutil.copy(data_dir("notebooks") / name, books / name)
    return run_report(reports_dir=tmp_path / "reports", notebooks_dir=books, workers=1,
                      progress=False, parameters={"sims": 200, "path_years": 0, "count_case_sims": 0,
                                                  "steps": 2, "draws": 32, "years_ahead": 1})


def _report_figures(run_dir):
    """The budget pages 00, 04 and 06 of a run show, and the workbook's numbers."""
    import re

    import nbformat

    tables = run_dir / "tables"
    def total(key):
        t = pd.read_pickle(tables / f"{key}.pkl")
        return (t.set_index("tier") if "tier" in t else t).loc["total", "cost_cny"]

    page04, page06 = total("04 budget by tier"), total("06 approved budget")
    page00_nb = nbformat.read(run_dir / "00_summary.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in page00_nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    # page 00 prints it in its display unit (a zh page: 万元, CNY ÷ 10,000) to the decimals it
    # shows; ``step`` is the last digit printed [CNY]: 0.1 万元 = 1,000 元, 1 元 = 1 元
    found = re.search(r"服务预算 ([\d,]+)(\.\d+)? (万元|元)", printed)
    scale = 10_000 if found.group(3) == "万元" else 1
    step = scale * 10.0 ** -(len(found.group(2)) - 1 if found.group(2) else 0)
    page00 = (float(found.group(1).replace(",", "") + (found.group(2) or "")) * scale, step)
    workbook = run_dir / "workbook.xlsx"
    numbers = {float(v) for sheet in pd.read_excel(workbook, sheet_name=None, header=None).values()
               for v in sheet.to_numpy().ravel() if isinstance(v, (int, float)) and not isinstance(v, bool)
               and v == v}
    return page00, page04, page06, numbers


@pytest.mark.parametrize("which", ["sample", "300 customers"])
def test_the_one_budget_figure_is_equal_on_every_page(tmp_path, request, which):
    # the 300-customer book: the whole report other tests read too (conftest.two_branches_report)
    run_dir = _run_pages(tmp_path) if which == "sample" else request.getfixturevalue("two_branches_report").run_dir
    page00, page04, page06, workbook = _report_figures(run_dir)
    # pages 04 and 06 export 附件七 of the same approved lists for 2026 at 2026 prices; page 00
    # prints it rounded to its last digit; the zh workbook holds it in 万元 (its sheets of pages 04
    # and 06): the 元 figure / 10,000
    assert page04 == pytest.approx(page06, abs=1e-6)
    printed, step = page00
    assert abs(printed - page04) <= step / 2 + 1e-6
    assert any(v == pytest.approx(page04 / 10_000, rel=1e-12) for v in workbook)


def test_the_chinese_decision_sheet_has_no_keys_and_no_english(policy):
    import re

    from tiermodel.compare import decision_facts, deadline_check
    from tiermodel.present.decision import decision_text

    book = _tier([{**GOLD_ROW, "customer_id": "G1", "name": "甲公司"},
                  {**GOLD_ROW, "customer_id": "G2", "name": "乙公司"}], policy)
    year = review_year(book, policy, 2026)
    money = decision_budget(year, policy, sims=50, seed=1)
    tornado = pd.DataFrame({"low": [0.5], "high": [1.5], "max_gold_swaps": [3]},
                           index=pd.Index(["value_index.k1.year_2"], name="parameter"))
    odds = pd.DataFrame({"customer_id": ["G2"], "branch": ["Hefei"], "p_gold": [0.4], "gold_status": ["contested"]})
    facts = decision_facts(year, policy, money, None, odds, tornado,
                           deadline_check(2026, policy, None, None), sample=True)
    text = decision_text(facts, "zh", "wan")
    # the asked line first, in the order
    assert text.splitlines()[0].startswith("请审批：金牌 2 户（名额 40，未满 38 个）、银牌 0 户")
    # the parameter by its name in params/policy-2003.yaml (label_zh), never its path
    assert "K1系数·有效投保第2年" in text and "value_index" not in text and "_" not in text
    assert "乙公司" in text  # the contested customer by name
    assert "1月15日前提交金牌名单与高管回访计划：否" in text
    # no English words: the Latin runs of two letters or more are the policy's own "VIP" and the
    # data's branch name (Hefei); P50/P95 and K1 are one letter and a number
    assert set(re.findall(r"[A-Za-z]{2,}", text)) <= {"VIP", "Hefei"}
