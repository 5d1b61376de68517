"""The 附件七 budget (budget/annex7.py): payers per branch, cost per customer, part-year VIPs
approved in November and December, the default approval months and the 0–12 month bounds.

Yearly cost of each service [CNY, 2003 prices] from the catalogue of params/policy-2003.yaml,
as worked in tests/test_budget.py for one class-A Gold customer G1 (Beijing, 2 first + 1
second key persons) and one class-C Silver customer S1 (Anhui, 1 + 2), both served all year:
  G1 head office 50 + 300 + 0.9 + 50 + 2,100 + 8,000 + 600 + 30,000 + 2,000 = 43,100.9
     branch      300 + 6,000 + 180 + 1,500 + 240 + 80 + 1,200 + 30 + 60 + 200 + 20,000
                 + 2,400 + 4,000 = 36,190                     total 79,290.9
  S1 head office 50 + 300 + 0.9 + 50 + 30,000 = 30,400.9
     branch      300 + 6,000 + 180 + 1,000 + 120 + 160 + 1,200 + 30 + 60 + 200 + 8,000
                 = 17,250                                     total 47,650.9
(30,000 each: head office's VIP line of 60,000 a year shared by the two, 第26条 8.)
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tiermodel import budget


def tier_table(rows, previous=None, approval=None):
    t = pd.DataFrame(rows, columns=["customer_id", "branch", "branch_class", "tier", "is_new",
                                    "first_service_objects", "second_service_objects"])
    if previous is not None:
        t["previous_tier"] = previous
    if approval is not None:
        t["approval_date"] = approval
    return t


GOLD_SILVER = tier_table([("G1", "Beijing", "A", "gold", False, 2, 1),
                          ("S1", "Anhui", "C", "silver", False, 1, 2)])


def test_payers_per_branch_not_swapped(policy):
    b = budget.estimate(GOLD_SILVER, policy, 2003).by_branch()
    assert b.loc["Beijing", ["head_office_cny", "branch_cny"]].tolist() == pytest.approx([43100.9, 36190.0])
    assert b.loc["Anhui", ["head_office_cny", "branch_cny"]].tolist() == pytest.approx([30400.9, 17250.0])
    assert b.loc["Beijing", ["gold_cny", "silver_cny", "total_cny"]].tolist() == pytest.approx([79290.9, 0, 79290.9])
    assert b.loc["Anhui", ["gold_cny", "silver_cny", "total_cny"]].tolist() == pytest.approx([0, 47650.9, 47650.9])
    assert b.loc["Beijing", ["branch_class", "gold", "silver"]].tolist() == ["A", 1, 0]
    assert b.loc["Anhui", ["branch_class", "gold", "silver"]].tolist() == ["C", 0, 1]


def test_cost_per_customer_by_tier(policy):
    # two Gold in Beijing share its hotline and room; the cost per customer halves the total:
    # per Gold: 79,290.9 − 6,000/2 − 20,000/2 − 60,000 × (1/2 − 1/3) = 79,290.9 − 13,000 − 10,000
    #   = 56,290.9 (head office's line shared by three: 20,000 each instead of 30,000)
    # S1 alone in Anhui: 47,650.9 − 30,000 + 20,000 = 37,650.9
    # total: (2 × 56,290.9 + 37,650.9) / 3 = 150,232.7 / 3 = 50,077.5667
    t = tier_table([("G1", "Beijing", "A", "gold", False, 2, 1), ("G2", "Beijing", "A", "gold", False, 2, 1),
                    ("S1", "Anhui", "C", "silver", False, 1, 2)])
    by = budget.estimate(t, policy, 2003).by_tier()
    assert by["customers"].tolist() == [2, 1, 3]
    assert by["cost_cny"].tolist() == pytest.approx([112581.8, 37650.9, 150232.7])
    assert by["cost_per_customer_cny"].tolist() == pytest.approx([56290.9, 37650.9, 150232.7 / 3])


def test_no_silver_cost_per_customer_is_blank(policy):
    by = budget.estimate(GOLD_SILVER.iloc[:1], policy, 2003).by_tier()
    assert by.loc["silver", "customers"] == 0 and np.isnan(by.loc["silver", "cost_per_customer_cny"])


def test_service_months_of_november_and_december_approvals(policy):
    # newly rated (regular last year); service from the month after approval (第12条):
    # November → December only = 1 month; December → none this year = 0 (13 − 13)
    months = budget.service_months(["gold", "silver", "gold"], [False, False, False], policy,
                                   ["regular", "regular", "gold"], [11, 12, 12])
    assert months.tolist() == [1, 0, 12]  # a continuing Gold is served all year whatever the date


def test_estimate_and_list_totals_with_zero_and_one_month(policy):
    # G0 approved 2003-12-05 (0 months): no service at all, not even the yearly ones, and it
    # takes no share of the branch or head-office lines. GN approved 2003-11-20 (1 month):
    # pro-rated services × 1/12, yearly ones whole. Both Gold in Beijing (class A, 2 + 1
    # persons), regular last year.
    t = tier_table([("G0", "Beijing", "A", "gold", False, 2, 1), ("GN", "Beijing", "A", "gold", False, 2, 1)],
                   previous=["regular", "regular"], approval=["2003-12-05", "2003-11-20"])
    est = budget.estimate(t, policy, 2003)
    assert est.vips["service_months"].tolist() == [0, 1]
    assert est.cost.loc["G0"].sum() == 0
    gn = est.cost.loc["GN"]
    assert gn["monthly_mailing"] == pytest.approx(12 * 15 / 12)  # 15
    assert gn["birthday_first_object"] == pytest.approx(2 * 120 / 12)  # 20
    assert gn["revisit_gold"] == pytest.approx(1500)  # 第18条 2③ not pro-rated
    assert gn["vip_hotline"] == pytest.approx(6000)  # the branch's whole line: G0 takes none
    assert gn["hq_vip_hotline"] == pytest.approx(60000)  # head office's whole line
    # GN at head office: 43,100.9 − 30,000 + 60,000 (the whole line) = 73,100.9, of which only
    # the SMS greetings (0.9) are pro-rated → 73,100 + 0.9/12. Branch: pro-rated home service
    # 300, mailing 180, birthdays 240 + 80, festivals 1,200, hospital 30, report 60, celebration
    # 200, wealth adviser 4,000 = 6,290 → 6,290/12; whole-year hotline 6,000, revisits 1,500,
    # room 20,000, health check 2,400 = 29,900
    expected = 73100.0 + 0.9 / 12 + 29900 + 6290 / 12
    assert est.total == pytest.approx(expected)
    totals = budget.list_totals(t, np.array([["gold", "gold"], ["regular", "gold"], ["gold", "regular"]]),
                                policy, 2003)
    assert totals.tolist() == pytest.approx([expected, expected, 0.0])


def test_default_approval_months(policy):
    # new Gold: July (budget_assumptions.new_gold_approval_month) → 5 months; new Silver set to
    # March → April–December = 9; newly rated, not new: January (service_start.approval_month)
    # → 11; continuing (the flagged default: a customer insured before keeps its tier) → 12
    pol = policy.with_values({"budget_assumptions.new_silver_approval_month": 3}, note="test")
    m = budget.service_months(["gold", "silver", "silver", "gold"], [True, True, False, False], pol,
                              ["regular", "regular", "regular", None])
    assert m.tolist() == [5, 9, 11, 11]  # None = regular last year
    assert budget.service_months(["gold", "silver"], [True, True], pol).tolist() == [5, 9]
    assert budget.service_months(["gold", "silver"], [False, False], pol).tolist() == [12, 12]
    pol2 = policy.with_values({"service_start.approval_month": 4, "budget_assumptions.new_gold_approval_month": 9},
                              note="test")
    # April → May–December = 8; September → October–December = 3
    assert budget.service_months(["gold", "gold"], [False, True], pol2, ["silver", "regular"]).tolist() == [8, 3]
    regular = policy.with_values({"service_start.previous_tier_default": "regular"}, note="test")
    # every VIP taken as newly rated: January approval → 11 months
    assert budget.service_months(["gold", "silver"], [False, False], regular).tolist() == [11, 11]


def test_service_months_bounds(policy):
    # start 2 months after approval: November → January next year, December → February: 0
    # this year (13 − 13 = 0, 13 − 14 = −1 → 0); January → March–December = 10
    late = policy.with_values({"service_start.months_after_approval": 2}, note="test")
    m = budget.service_months(["gold"] * 3, [False] * 3, late, ["regular"] * 3, [11, 12, 1])
    assert m.tolist() == [0, 0, 10]
    # service from the month of approval: January → all 12 months, never 13
    at_once = policy.with_values({"service_start.months_after_approval": 0}, note="test")
    m = budget.service_months(["gold", "gold"], [False, False], at_once, ["regular", "regular"], [1, 12])
    assert m.tolist() == [12, 1]
    assert m.dtype == np.int64


def test_by_payer_totals_and_default_year(policy):
    # no year: the price index's base year (2003), factor 1 — the 2003 figures above
    est = budget.estimate(GOLD_SILVER, policy)
    assert (est.year, est.price_factor) == (2003, 1.0)
    p = est.by_payer()
    assert p.index.tolist() == ["head_office", "branch", "total"]
    assert p.loc["head_office"].tolist() == pytest.approx([43100.9, 30400.9, 73501.8])
    assert p.loc["branch"].tolist() == pytest.approx([36190.0, 17250.0, 53440.0])
    assert p.loc["total"].tolist() == pytest.approx([79290.9, 47650.9, 126941.8])
    assert est.total == pytest.approx(126941.8)
    annex = est.annex7()
    assert annex.loc["total", ["gold_cny", "silver_cny", "total_cny"]].tolist() == \
        pytest.approx([79290.9, 47650.9, 126941.8])
    # revisits: Gold 3 a year, Silver 2, one VIP each (第18条 2③)
    assert annex.loc["revisit_gold", ["quantity", "gold_cny", "silver_cny"]].tolist() == pytest.approx([3, 1500, 0])
    assert annex.loc["revisit_silver", ["quantity", "gold_cny", "silver_cny"]].tolist() == pytest.approx([2, 0, 1000])
    assert list(est.tables()) == ["附件七 annex 7", "budget by tier", "budget by payer", "budget by branch"]


def test_a_vip_table_passes_through_and_list_totals_checks_its_shape(policy):
    vips = budget.vip_table(GOLD_SILVER, policy)
    from tiermodel.budget.annex7 import as_vips

    assert as_vips(vips, policy) is vips
    assert vips[["customer_id", "tier", "service_months", "first_objects", "second_objects"]].values.tolist() == \
        [["G1", "gold", 12, 2, 1], ["S1", "silver", 12, 1, 2]]
    with pytest.raises(ValueError, match="tiers has 3 customers per list; the book has 2"):
        budget.list_totals(GOLD_SILVER, np.array([["gold", "silver", "gold"]]), policy)
    # one list as a 1-D array; the default year is the base year
    assert budget.list_totals(GOLD_SILVER, np.array(["gold", "silver"]), policy).tolist() == pytest.approx([126941.8])


def test_a_categorical_or_text_tier_column_gives_the_same_vips(policy):
    cat = GOLD_SILVER.assign(tier=pd.Categorical(GOLD_SILVER["tier"], ["gold", "silver", "regular"]))
    with_regular = pd.concat([GOLD_SILVER, tier_table([("R1", "Anhui", "C", "regular", False, 1, 1)])],
                             ignore_index=True)
    for t in (cat, GOLD_SILVER, with_regular):
        assert budget.vip_table(t, policy)["customer_id"].tolist() == ["G1", "S1"]


def test_tables_without_silver_order_of_branches_and_vip_columns(policy):
    # a Gold-only list: no Silver cost for either payer; branches in name order (Anhui before
    # Beijing, whatever the list's order); the VIP table keeps only its own columns
    gold_only = budget.estimate(GOLD_SILVER.iloc[:1], policy, 2003)
    p = gold_only.by_payer()
    assert p["silver"].tolist() == [0.0, 0.0, 0.0]
    assert p.loc["head_office", "gold"] == pytest.approx(43100.9 + 30000)  # head office's whole line
    est = budget.estimate(GOLD_SILVER, policy, 2003)
    assert est.by_branch().index.tolist() == ["Anhui", "Beijing"]
    assert list(est.vips.columns) == ["customer_id", "branch", "branch_class", "tier", "is_new", "service_months",
                                      "first_objects", "second_objects"]
