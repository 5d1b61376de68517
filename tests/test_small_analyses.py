"""The budget, assessment, annual-review and delivery analyses on books of any size (issue 17):
one customer, thirty, three hundred in two branches, and a book where nobody meets a 第11条
criterion. Each analysis returns an empty-but-valid result, never an error or a division by
zero; each page (notebooks 04–07) runs through papermill on a tiny book and says what it
cannot show.

The books are built from ``sample_portfolio(seed, n)`` plus hand-made rows.
"""
from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tiermodel import assess, budget
from tiermodel.assess.revisits import NO_VIP_PLAN_NOTE, plan_revisits, shortfall_reason
from tiermodel.notes import note
from tiermodel.present.messages import render
from tiermodel.compare import (apply_nominations, apply_overrides, approval_table, measured_churn,
                               policy_with_measured_churn, project_years, published_lists)
from tiermodel.events import load_assessment_logs, load_delivery_logs, sample_complaints
from tiermodel.budget.services import catalogue, price_factor
from tiermodel.portfolio import sample_portfolio, validate_portfolio
from tiermodel.scoring import score
from tiermodel.tiers import assign_tiers, branch_capacity
from tiermodel.vocabulary import translate_cells

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
PREMIUMS = ("long_term_std_premium", "health_premium", "non_health_premium")


# ----------------------------------------------------------------------------- the books
def one_gold_book() -> pd.DataFrame:
    """One established customer in Beijing (class A) with 6,000,000 CNY health premium at a 30 %
    loss ratio: ≥ 5,000,000 and ≤ 60 % meets the Gold health criterion of 第11条."""
    one = sample_portfolio(3, 1)
    one.loc[0, ["branch", "branch_class", "is_new", "effective_years", "long_term_std_premium", "health_premium",
                "health_loss_ratio", "non_health_premium", "non_health_loss_ratio", "profit_margin"]] = \
        ["Beijing", "A", False, 6, 0.0, 6_000_000.0, 0.30, 0.0, 0.0, 0.25]
    return one


def thirty_book() -> pd.DataFrame:
    return sample_portfolio(7, 30)


def two_branch_book() -> pd.DataFrame:
    """300 sample customers moved into two branches: every third to Hefei (class C), the rest to
    Beijing (class A)."""
    book = sample_portfolio(11, 300)
    branch = np.where(np.arange(300) % 3 == 0, "Hefei", "Beijing")
    book["branch"] = branch
    book["branch_class"] = pd.Categorical(np.where(branch == "Beijing", "A", "C"), categories=["A", "B", "C", "D"])
    return book


def no_candidate_book() -> pd.DataFrame:
    """50 sample customers whose premiums are capped at 40,000 CNY: below the lowest 第11条 bar of
    every class (non-health 100,000 for classes C/D, the lowest of the three premiums)."""
    book = sample_portfolio(5, 50)
    for column in PREMIUMS:
        book[column] = book[column].clip(upper=40_000.0)
    return book


BOOKS = {"one": one_gold_book, "thirty": thirty_book, "two_branches": two_branch_book,
         "no_candidates": no_candidate_book}


def tiered(book: pd.DataFrame, policy) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*median customer premium")
        portfolio = validate_portfolio(book, "tiny book")
    return assign_tiers(score(portfolio, policy), policy, branch_capacity(portfolio, policy)).table


def tiering(book: pd.DataFrame, policy):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*median customer premium")
        portfolio = validate_portfolio(book, "tiny book")
    return portfolio, assign_tiers(score(portfolio, policy), policy, branch_capacity(portfolio, policy))


def vip_count(table: pd.DataFrame) -> dict[str, int]:
    counts = table["tier"].astype(str).value_counts()
    return {t: int(counts.get(t, 0)) for t in ("gold", "silver")}


# ----------------------------------------------------------------------------- the books themselves
def test_the_books_are_what_they_say(policy):
    assert vip_count(tiered(one_gold_book(), policy)) == {"gold": 1, "silver": 0}
    assert vip_count(tiered(no_candidate_book(), policy)) == {"gold": 0, "silver": 0}
    two = tiered(two_branch_book(), policy)
    assert set(two["branch"]) == {"Beijing", "Hefei"} and len(two) == 300


# ----------------------------------------------------------------------------- budget (第18–19条, 第23–27条)
def test_budget_of_a_book_without_vips_is_zero_not_an_error(policy):
    table = tiered(no_candidate_book(), policy)
    result = budget.forecast_budget(table, policy, 2027, n_sims=50, seed=1, path_years=2, path_sims=20,
                                    count_case_sims=20)
    # no VIP → no service is owed: every cost is 0 CNY, the forecast too
    assert result.estimate.total == 0
    assert result.estimate.by_tier().loc["total", "customers"] == 0
    assert result.forecast.summary().loc["total"].eq(0).all()
    assert result.path["mean"].eq(0).all()
    load = result.revisit_load
    assert load["customers"].tolist() == [0, 0] and load["revisits_needed"].tolist() == [0, 0]
    # 0 executive revisits of 0 needed: the share is undefined (NaN), not a division error
    assert load["executive_share_min"].isna().all()
    assert len(result.revisit_load_by_branch) == 0
    for name, t in result.tables().items():
        assert isinstance(t, pd.DataFrame), name


def test_revisit_load_of_one_gold_customer(policy):
    table = tiered(one_gold_book(), policy)
    load = budget.revisit_load(table, policy).loc["gold"]
    # 1 Gold × 3 revisits a year (第18条 2③) = 3 needed
    assert load["revisits_needed"] == 3
    # GM office: 4 members × min(10, 1 Gold) = 4 (第23条); department heads 6 × min(2, 1) = 6 (第24条);
    # the Beijing branch head joins its 1 local Gold (第25条): 4 + 6 + 1 = 11
    assert (load["gm_office_min"], load["department_heads_min"], load["branch_heads_min"]) == (4, 6, 1)
    assert load["executive_min"] == 11
    assert load["executive_share_min"] == pytest.approx(11 / 3)
    silver = budget.revisit_load(table, policy).loc["silver"]
    assert silver["revisits_needed"] == 0 and math.isnan(silver["executive_share_min"])


def test_budget_of_two_branches_has_two_rows_at_most(policy):
    table = tiered(two_branch_book(), policy)
    counts = vip_count(table)
    result = budget.forecast_budget(table, policy, 2027, n_sims=50, seed=1)
    assert set(result.estimate.by_branch().index) <= {"Beijing", "Hefei"}
    by_branch = result.revisit_load_by_branch
    # revisits needed = Gold × 3 + Silver × 2 (第18条 2③), summed over the two branches
    assert by_branch["revisits_needed"].sum() == counts["gold"] * 3 + counts["silver"] * 2


def test_vip_absence_names_the_thresholds_and_the_book(policy):
    from tiermodel.present.messages import render

    table = tiered(no_candidate_book(), policy)
    absent = budget.vip_absence(table, policy)
    zh = render(absent, "zh")
    # the lowest 第11条 bars over the classes (C/D): long-term 5,000,000, health 1,000,000,
    # non-health 100,000 CNY; the book's premiums are capped at 40,000 CNY
    for figure in ("5,000,000", "1,000,000", "100,000", "40,000"):
        assert figure in zh
    assert absent.code == "budget.no_vip" and "万元" not in zh  # 40,000 is not 100× below 100,000
    assert render(absent, "en").startswith("None of the 50 customers meets a 第11条 criterion")
    assert budget.vip_absence(tiered(one_gold_book(), policy), policy) is None


def test_vip_absence_asks_about_wan_when_amounts_look_10000_times_too_small(policy):
    from tiermodel.present.messages import render

    book = thirty_book()
    for column in PREMIUMS:
        book[column] = book[column] / 10_000  # a 万元 extract read as 元
    table = tiered(book, policy)
    assert vip_count(table) == {"gold": 0, "silver": 0}
    message = render(budget.vip_absence(table, policy), "en")
    assert "Are the amounts in 万元?" in message and "--amount-unit wan" in message


# ----------------------------------------------------------------------------- assessment (第17–35条)
def logs_for(table, policy, seed=3):
    return load_assessment_logs(table, "", "", "", "", seed, 2025, policy.executive_quotas.gm_office_members)


def test_revisit_plan_without_vips_is_empty_and_says_so(policy):
    table = tiered(no_candidate_book(), policy)
    found = logs_for(table, policy)
    plan = plan_revisits(table, found.executives, policy)
    assert len(plan.assignments) == 0 and len(plan.customers) == 0
    assert plan.notes[0] == NO_VIP_PLAN_NOTE
    # every executive is listed, none with a customer
    assert len(plan.executives) == len(found.executives)
    assert plan.executives[["gold_customers", "silver_customers"]].to_numpy().sum() == 0


def test_assessment_of_a_book_without_vips_returns_every_table(policy):
    table = tiered(no_candidate_book(), policy)
    found = logs_for(table, policy)
    result = assess.assess_service(table, found.service, found.survey, found.complaints, found.executives, policy)
    tables = result.tables()
    assert len(tables["revisit plan"]) == 0 and len(tables["revisit customers"]) == 0
    # the sample complaints of a book without VIPs come from regular customers: 第34条 ① (back
    # office) covers VIP service only, so no back-office complaint counts; ② (a salesperson's
    # misleading conduct) is not limited to VIPs
    complaints = tables["complaints"]
    assert len(complaints) == 50 and set(complaints["tier"].astype(str)) == {"regular"}
    assert not complaints.loc[complaints["role"] == "back_office", "counts"].any()


def test_sample_complaints_without_vips_come_from_regular_customers(policy):
    table = tiered(no_candidate_book(), policy)
    log = sample_complaints(table, seed=1, n_complaints=5)
    assert len(log) == 5 and set(log["customer_id"]) <= set(table["customer_id"])


def test_service_record_of_a_book_without_vips(policy):
    table = tiered(no_candidate_book(), policy)
    found = logs_for(table, policy)
    costs = (catalogue(policy)["unit_cost_base_cny"] * price_factor(policy, 2025)).to_dict()
    logs = load_delivery_logs(table, found.executives, costs, "", "", "", 3, 2025, found.complaints)
    assert len(logs.delivery) == 0  # no VIP owes a delivery
    record = assess.service_record(table, logs.delivery, logs.hotline, logs.policies, found.executives, policy, 2025)
    assert len(record.hotline.by_kind) == 0
    assert list(record.hotline.by_kind.columns) == ["tier", "kind", "calls", "on_time", "late", "unanswered",
                                                     "on_time_share"]
    assert note("assess.hotline", on_time=0, calls=0, late=0, unanswered=0) in record.notes
    for name, t in record.tables().items():
        assert isinstance(t, pd.DataFrame), name


def test_assessment_of_one_gold_customer(policy):
    table = tiered(one_gold_book(), policy)
    found = logs_for(table, policy)
    plan = plan_revisits(table, found.executives, policy)
    # the one Gold customer: 3 company revisits (第18条 2③), joined by its branch head (第25条)
    row = plan.customers.iloc[0]
    assert (row["tier"], row["company_revisits"], bool(row["branch_head_joins"])) == ("gold", 3, True)


# ----------------------------------------------------------------------------- annual review (第8、12条)
def test_annual_review_pieces_on_a_book_without_vips(policy):
    portfolio, this = tiering(no_candidate_book(), policy)
    approval = apply_overrides(apply_nominations(this, policy, None), policy, None, 2026)
    assert len(approval_table(approval, policy)) == 0
    lists = published_lists(approval)
    assert list(lists) == ["gold"] and len(lists["gold"]) == 0
    ahead = project_years(portfolio, policy, 2, 2026, 1)
    assert ahead.counts[["gold", "silver"]].to_numpy().sum() == 0
    assert ahead.spend["total_cny"].eq(0).all()


def test_measured_churn_of_a_history_without_vips_has_no_rates(policy):
    _, this = tiering(no_candidate_book(), policy)
    last = this.table.assign(year=2025)
    rates = measured_churn(last, this.table, 2026)
    # 0 Gold and 0 Silver before: 0 / 0 is no rate (NaN), and nothing raised
    assert rates["count_before"].eq(0).all() and rates["churn_rate"].isna().all()
    # no measured rate: the budget keeps the assumed churn (the policy itself)
    assert policy_with_measured_churn(policy, rates) is policy


# ----------------------------------------------------------------------------- reader's words
def test_complaint_steps_and_revisit_notes_in_both_languages():
    # a complaint's step is the policy's word in a cell, its reader's word on the page; a revisit
    # note is one code and its fields, the sentence written by hand in each language
    steps = note("assess.complaint.actions", steps=[note("assess.complaint.step", action="warning"),
                                                    note("assess.complaint.step", action="public criticism")])
    assert render(steps, "zh") == "警告、通报批评"
    assert render(steps, "en") == "warning, public criticism"
    short = shortfall_reason("branch_head", "Anhui", 0, 9, 0, 20, 0, 11)
    plan_note = note("assess.revisit.short", role="branch_head", executive="BH01",
                     short=[note("assess.revisit.count", n=9, tier="silver")], reason=short)
    assert render(plan_note, "zh") == "分公司团险负责人BH01缺银牌9户：Anhui只有11户银牌VIP客户，配额为20户。"
    assert render(plan_note, "en") == ("branch head BH01 is short by 9 Silver customer(s): branch Anhui has 11 "
                                       "Silver VIPs, the quota is 20.")
    assert shortfall_reason("branch_head", "Anhui", 0, 0, 0, 20, 0, 30) == ""  # nothing short: no reason
    df = pd.DataFrame({"action": ["warning", ""], "n": [1, 2]})
    assert translate_cells(df, "zh")["action"].tolist() == ["警告", ""]


# ----------------------------------------------------------------------------- the pages on tiny books
def _run(notebook: str, book: pd.DataFrame, tmp_path: Path, **params) -> list[str]:
    """Run a notebook through papermill on ``book``; return the text of its outputs."""
    import papermill as pm

    csv = tmp_path / "book.csv"
    book.to_csv(csv, index=False)
    out = tmp_path / f"{notebook}.ipynb"
    pm.execute_notebook(str(NOTEBOOKS / f"{notebook}.ipynb"), str(out), parameters={"portfolio": str(csv), **params},
                        kernel_name="python3", progress_bar=False, cwd=str(NOTEBOOKS))
    texts = []
    for cell in json.loads(out.read_text(encoding="utf-8"))["cells"]:
        for o in cell.get("outputs", []):
            assert o.get("output_type") != "error", cell["source"]
            texts.append("".join(o.get("text", "")))
            texts.append("".join(o.get("data", {}).get("text/markdown", "")))
            texts.append("".join(o.get("data", {}).get("text/plain", "")))  # a box's one-line description
    return texts


def _says(texts: list[str], *words: str) -> bool:
    return any(all(w in t for w in words) for t in texts)


def test_budget_page_on_a_book_without_vips(tmp_path):
    texts = _run("04_vip_budget_forecast", no_candidate_book(), tmp_path, sims=50, path_years=2, path_sims=20,
                 count_case_sims=20)
    assert _says(texts, "没有满足第11条入围标准的客户", "5,000,000")  # why, with the lowest bar (长险 5,000,000 元)


def test_assessment_page_on_a_book_without_vips(tmp_path):
    texts = _run("05_service_assessment", no_candidate_book(), tmp_path)
    assert _says(texts, "名单中没有金牌或银牌VIP客户：回访计划为空")


def test_annual_review_page_on_one_customer(tmp_path):
    texts = _run("06_annual_review", one_gold_book(), tmp_path, sims=50, years_ahead=2)
    assert _says(texts, "无法显示：上年对比", "未提供上年名单")
    assert _says(texts, "company-wide Gold list: 1")


def test_delivery_page_on_two_branches_in_english(tmp_path):
    texts = _run("07_service_delivery", two_branch_book(), tmp_path, lang="en", amount_unit="wan")
    assert _says(texts, "assumptions on this page")
    assert not _says(texts, "Cannot show: VIP deliveries")  # this book has VIPs



def test_year_over_year_notes_in_both_languages_from_one_code():
    from tiermodel.notes import note
    from tiermodel.present.messages import render

    # 26 stayed + 11 left = 37 last year; 26 stayed + 14 entered = 40 this year
    tier = note("compare.yoy.tier", tier="gold", last_year=note("compare.year", year=2025),
                this_year=note("compare.year", year=2026), before=37, after=40, stayed=26, left=11, entered=14)
    assert render(tier, "zh") == "金牌：2025年37户 → 2026年40户；留任26户，退出11户，新进14户。"
    assert render(tier, "en") == "Gold: 37 in 2025 → 40 in 2026; 26 stayed, 11 left the tier, 14 entered."
    book = note("compare.yoy.book", left=1822, joined=3602)
    assert render(book, "zh") == "客户总数：离开1,822户，新加入3,602户。"
    assert render(book, "en") == "Book: 1,822 customer(s) left, 3,602 joined."
