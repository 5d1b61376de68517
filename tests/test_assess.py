"""Issue 6: service-time compliance, satisfaction scorecard, complaints, revisit plan.

Expected values are worked out by hand from RULES.md / the articles, with the arithmetic in
the comments. Calendar facts (国务院办公厅 2025 holiday notice): Spring Festival holiday
2025-01-28 (Tue) … 2025-02-04 (Tue); adjusted working days Sun 2025-01-26 and Sat 2025-02-08.
"""
from __future__ import annotations

import pandas as pd
import pytest

from tiermodel import assess, events
from tiermodel.errors import InputTableError
from tiermodel.notes import note
from tiermodel.present.messages import render
from tiermodel.policy import load_policy


@pytest.fixture(scope="module")
def policy():
    return load_policy()


@pytest.fixture(scope="module")
def tiers():
    # G1 Gold, S1 S2 Silver and R1 Regular in Beijing; G2 Gold in Hainan
    return pd.DataFrame({
        "customer_id": ["G1", "S1", "S2", "R1", "G2"],
        "branch": ["Beijing", "Beijing", "Beijing", "Beijing", "Hainan"],
        "tier": ["gold", "silver", "silver", "regular", "gold"],
    })


def service_log(rows):
    raw = pd.DataFrame(rows, columns=["customer_id", "service_type", "start_date", "end_date",
                                      "extra_large"])
    return raw


# ----------------------------------------------------------------------------- calendar
def test_working_days_across_spring_festival_2025():
    # opened Fri 01-24; after it: Sun 01-26 (adjusted working day) 1, Mon 01-27 2,
    # 01-28..02-04 holiday, Wed 02-05 3, Thu 02-06 4, Fri 02-07 5  ->  5 working days
    # (plain Monday–Friday counting would say 10)
    assert assess.working_days("2025-01-24", "2025-02-07")[0] == 5


def test_working_days_closed_on_adjusted_saturday():
    # opened Mon 01-27; after it: 01-28..02-04 holiday, 02-05, 02-06, 02-07, Sat 02-08 (worked) -> 4
    assert assess.working_days("2025-01-27", "2025-02-08")[0] == 4
    # Fri 02-07 -> adjusted Sat 02-08 is one working day (plain weekdays would give 0)
    assert assess.working_days("2025-02-07", "2025-02-08")[0] == 1


def test_working_days_conventions():
    # same day = 0; Fri 2025-03-07 -> Mon 2025-03-10 = 1; vectorised over arrays
    got = assess.working_days(["2025-03-07", "2025-03-07"], ["2025-03-07", "2025-03-10"])
    assert got.tolist() == [0, 1]


def test_calendar_range_is_stated_and_enforced():
    first, last = assess.calendar_years()
    assert first == 2004 and last >= 2026
    with pytest.raises(assess.CalendarRangeError, match="2003-05-06.*2004"):
        assess.working_days("2003-05-06", "2003-05-09")  # the policy year itself: not covered


# ----------------------------------------------------------------------------- 1. service times
def test_service_compliance_hand_cases(policy, tiers):
    raw = service_log([
        ("G1", "claim_ordinary", "2025-01-24", "2025-02-07", False),   # 5 wd ≤ VIP 5: met
        ("R1", "普通理赔", "2025-01-24", "2025-02-07", False),          # 5 wd ≤ regular 7: met
        ("S1", "policy_change", "2025-01-27", "2025-02-08", False),    # 4 wd > VIP 2: breach by 2
        # Mon 03-03 -> Wed 03-12: 03-04..07 (4), 03-10..12 (3) = 7 wd
        ("G1", "policy_issuance", "2025-03-03", "2025-03-12", True),   # extra-large VIP ≤ 7: met
        ("G2", "policy_issuance", "2025-03-03", "2025-03-12", False),  # VIP 3: breach by 4
        ("R1", "simple_information_change", "2025-03-05", "2025-03-05", False),  # 0 ≤ 0: met
    ])
    log = events.validate_log(raw, events.SERVICE_LOG_SCHEMA, "events.csv", tiers["customer_id"])
    result = assess.service_compliance(log, tiers, policy)
    ev = result.events
    assert ev["working_days"].tolist() == [5, 5, 4, 7, 7, 0]
    assert ev["limit_days"].tolist() == [5, 7, 2, 7, 3, 0]
    assert ev["within_limit"].tolist() == [True, True, False, True, False, True]
    # breaches worst first: G2 by 4, then S1 by 2
    assert result.breaches["customer_id"].tolist() == ["G2", "S1"]
    assert result.breaches["excess_days"].tolist() == [4, 2]
    # policy issuance, Gold: 2 events, 1 breach -> 50 %
    row = result.by_type.loc[("policy_issuance", "gold")]
    assert (row["events"], row["breaches"], row["compliance"]) == (2, 1, 0.5)
    # Beijing Gold: the claim and the extra-large issuance, both met; Hainan Gold: 0 of 1
    assert result.by_branch.loc[("Beijing", "gold"), "compliance"] == 1.0
    assert result.by_branch.loc[("Hainan", "gold"), "compliance"] == 0.0


def test_hotline_judged_once_in_calendar_days(policy, tiers):
    # Issue 24: a VIP hotline complaint is judged once, by the hotline check, in calendar days
    # (第18条 2① 三天内, the flagged reading) — never again by service-time compliance in working
    # days. G1 (Gold) complains on Thu 2025-03-06, answered Mon 2025-03-10, across the weekend:
    # calendar days 10 - 6 = 4 > 3 -> late; working days Fri 03-07, Mon 03-10 = 2 (≤ 3 would
    # have passed it). A regular customer's call (R1) is outside the standard.
    raw = service_log([
        ("G1", "hotline_complaint", "2025-03-06", "2025-03-10", False),
        ("R1", "hotline_complaint", "2025-03-03", "2025-03-14", False),
        ("G1", "claim_ordinary", "2025-03-03", "2025-03-05", False),    # Mon -> Wed: 2 wd ≤ VIP 5
    ])
    # hotline calls in a service log are refused (rows 2 and 3), not left out unjudged: they
    # belong in the hotline log (附件五), where they are judged
    with pytest.raises(InputTableError) as refused:
        events.validate_log(raw, events.SERVICE_LOG_SCHEMA, "events.csv", tiers["customer_id"])
    assert [(p.row, p.column) for p in refused.value.problems] == [(2, "service_type"), (3, "service_type")]
    log = events.validate_log(raw.iloc[[2]], events.SERVICE_LOG_SCHEMA, "events.csv", tiers["customer_id"])
    result = assess.service_compliance(log, tiers, policy)
    assert result.events["service_type"].astype(str).tolist() == ["claim_ordinary"]  # the claim alone
    calls = events.validate_hotline(pd.DataFrame({
        "call_id": ["H1", "H2"], "customer_id": ["G1", "R1"], "kind": ["complaint", "complaint"],
        "received_date": ["2025-03-06", "2025-03-03"], "answered_date": ["2025-03-10", "2025-03-14"]}),
        "hotline.csv", tiers["customer_id"])
    h = assess.check_hotline(calls, tiers, policy)
    assert h.calls["call_id"].tolist() == ["H1"] and len(h.outside_standard) == 1
    row = h.calls.iloc[0]
    assert (row["calendar_days"], row["working_days"], row["counted_as"]) == (4, 2, "calendar days")
    assert not row["on_time"] and h.late["call_id"].tolist() == ["H1"]
    assert load_policy().service_times.hotline_complaint.regular_days is None


def test_service_start_month_after_approval(policy):
    # 第12条 从确定次月: VIP standards apply from the month after approval; before that the
    # customer is served and assessed at its previous tier.
    # N1: this year's new customer rated Gold, no approval date -> flagged default: approved in
    # July (budget_assumptions.new_gold_approval_month), VIP from 1 August; previous tier regular.
    # G1: insured before this year, Gold (previous tier by default the same): VIP all year.
    t = pd.DataFrame({"customer_id": ["N1", "G1"], "branch": "X", "tier": "gold", "is_new": [True, False]})
    raw = service_log([
        # Mon 06-09 -> Tue 06-17: 06-10..13 (4) + 06-16, 06-17 (2) = 6 wd; before August ->
        # regular limit 7: met (the VIP limit 5 would be a breach)
        ("N1", "claim_ordinary", "2025-06-09", "2025-06-17", False),
        # Mon 09-08 -> Tue 09-16: 6 wd, VIP from August -> limit 5: breach by 1
        ("N1", "claim_ordinary", "2025-09-08", "2025-09-16", False),
        # first issuance Mon 09-01 -> Fri 09-05: 4 wd; a new customer's first issuance comes
        # before any rating -> regular limit 5: met (VIP 3 would be a breach)
        ("N1", "policy_issuance", "2025-09-01", "2025-09-05", False),
        # a later issuance Mon 10-13 -> Fri 10-17: 4 wd > VIP 3: breach by 1
        ("N1", "policy_issuance", "2025-10-13", "2025-10-17", False),
        # G1 in January: continuing Gold, VIP limit 5; Mon 01-06 -> Tue 01-14 = 6 wd: breach by 1
        ("G1", "claim_ordinary", "2025-01-06", "2025-01-14", False),
    ])
    log = events.validate_log(raw, events.SERVICE_LOG_SCHEMA, "events.csv", t["customer_id"])
    ev = assess.service_compliance(log, t, policy).events
    assert ev["working_days"].tolist() == [6, 6, 4, 4, 6]
    assert ev["assessed_as"].tolist() == ["regular", "gold", "regular", "gold", "gold"]
    assert ev["limit_days"].tolist() == [7, 5, 5, 3, 5]
    assert ev["excess_days"].tolist() == [0, 1, 0, 1, 1]
    assert policy.provenance["service_start.previous_tier_default"].assumed
    assert policy.provenance["service_start.approval_month"].assumed


def test_service_start_from_approval_date_and_previous_tier(policy):
    # C1 was regular last year (previous_tier) and was approved Silver on 2025-03-20 -> VIP
    # from 1 April. Policy change Mon 03-24 -> Thu 03-27 = 3 wd: regular limit 3, met; the same
    # in April (Mon 04-14 -> Thu 04-17, 3 wd) against the VIP limit 2: breach by 1.
    t = pd.DataFrame({"customer_id": ["C1"], "branch": ["X"], "tier": ["silver"], "is_new": [False],
                      "previous_tier": ["regular"], "approval_date": ["2025-03-20"]})
    raw = service_log([("C1", "policy_change", "2025-03-24", "2025-03-27", False),
                       ("C1", "policy_change", "2025-04-14", "2025-04-17", False)])
    log = events.validate_log(raw, events.SERVICE_LOG_SCHEMA, "events.csv", t["customer_id"])
    ev = assess.service_compliance(log, t, policy).events
    assert ev["assessed_as"].tolist() == ["regular", "silver"]
    assert ev["limit_days"].tolist() == [3, 2]
    assert ev["within_limit"].tolist() == [True, False]


def test_service_log_refuses_malformed_rows(tiers):
    raw = service_log([
        ("G1", "claim_ordinary", "2025-02-07", "2025-01-24", False),  # end before start
        ("G1", "claim_express", "2025-02-07", "2025-02-10", False),   # unknown service type
        ("X9", "claim_ordinary", "2025-02-07", "2025-02-10", False),  # unknown customer
        ("G1", "claim_ordinary", "2025-02-31", "2025-03-03", False),  # not a date
    ])
    with pytest.raises(InputTableError) as err:
        events.validate_log(raw, events.SERVICE_LOG_SCHEMA, "events.csv", tiers["customer_id"])
    text = str(err.value)
    assert "events.csv: 4 problem(s)" in text
    assert "row 2, customer G1, column 'end_date': end date 2025-01-24 is before the start date 2025-02-07" in text
    assert "row 3, customer G1, column 'service_type': unknown service type 'claim_express'" in text
    assert "row 4, customer X9, column 'customer_id': unknown customer 'X9'" in text
    assert "row 5, customer G1, column 'start_date': '2025-02-31' is not a date" in text


def test_service_log_missing_column_and_out_of_calendar(policy, tiers):
    raw = service_log([("G1", "claim_ordinary", "2025-02-07", "2025-02-10", False)]).drop(columns="end_date")
    with pytest.raises(InputTableError, match="column 'end_date': required column is missing"):
        events.validate_log(raw, events.SERVICE_LOG_SCHEMA, "events.csv")
    old = events.validate_log(service_log([("G1", "claim_ordinary", "2003-03-03", "2003-03-05", False)]),
                            events.SERVICE_LOG_SCHEMA, "events.csv")
    with pytest.raises(InputTableError, match="row 2, customer G1, column 'start_date': 2003-03-03 "
                                              "is outside the official holiday calendar"):
        assess.service_compliance(old, tiers, policy, file="events.csv")


def test_chinese_headers_are_read(tiers):
    raw = pd.DataFrame({"客户号": ["S2"], "服务类型": ["保全"], "开始日期": ["2025-06-03"],
                        "结束日期": ["2025-06-05"]})
    log = events.validate_log(raw, events.SERVICE_LOG_SCHEMA, "事件.xlsx", tiers["customer_id"])
    assert log.loc[0, "service_type"] == "policy_change"


# ----------------------------------------------------------------------------- 2. satisfaction
def survey(rows):
    return events.validate_log(pd.DataFrame(rows, columns=["customer_id", "answer", "surveyed_by"]),
                             events.SURVEY_SCHEMA, "survey.csv")


def test_scorecard_gold_weighted_30_70(policy):
    # five Gold customers in one branch, surveyed by the branch and by head office
    t = pd.DataFrame({"customer_id": [f"G{i}" for i in range(5)], "branch": "X", "tier": "gold"})
    branch_answers = ["非常满意"] * 4 + ["满意"]            # very 4/5 = 0.80 ≥ 0.80, all ≥ satisfied
    ho_answers = ["very_satisfied"] * 3 + ["satisfied"] * 2  # very 3/5 = 0.60 < 0.80
    rows = [(f"G{i}", a, "branch") for i, a in enumerate(branch_answers)]
    rows += [(f"G{i}", a, "总公司") for i, a in enumerate(ho_answers)]
    card = assess.satisfaction_scorecard(survey(rows), t, policy)
    w = card.weighted.loc[("X", "gold")]
    assert w["very_satisfied_branch"] == pytest.approx(0.8)
    assert w["very_satisfied_head_office"] == pytest.approx(0.6)
    # 0.3 × 0.60 + 0.7 × 0.80 = 0.18 + 0.56 = 0.74 < 0.80 -> fails
    assert w["very_satisfied"] == pytest.approx(0.74)
    assert w["satisfied_or_better"] == pytest.approx(1.0)
    assert not w["passes"]
    # all 10 answers pooled: very 7/10 = 0.70 < 0.80 -> fails
    assert card.by_tier.loc["gold", "very_satisfied"] == pytest.approx(0.7)
    assert not card.by_tier.loc["gold", "passes"]


def test_scorecard_silver_and_regular_bounds(policy):
    t = pd.DataFrame({"customer_id": [f"S{i}" for i in range(10)] + [f"R{i}" for i in range(20)],
                      "branch": ["Y"] * 10 + ["Z"] * 20, "tier": ["silver"] * 10 + ["regular"] * 20})
    # Silver: 7 very + 3 satisfied -> 0.70 ≥ 0.70 and 100 % satisfied or better: passes
    rows = [(f"S{i}", "非常满意" if i < 7 else "满意", "") for i in range(10)]
    # Regular: 6 very (0.30), 13 satisfied (0.65), 1 average (0.05 ≤ 0.05): passes
    rows += [(f"R{i}", "非常满意" if i < 6 else "满意" if i < 19 else "一般", "分公司") for i in range(20)]
    card = assess.satisfaction_scorecard(survey(rows), t, policy)
    assert card.by_branch.loc[("Y", "silver"), "passes"]
    assert card.by_branch.loc[("Z", "regular"), "passes"]
    # only a branch survey: the weighted shares are the branch's own
    assert card.weighted.loc[("Y", "silver"), "surveys"] == "branch_only"
    assert card.weighted.loc[("Y", "silver"), "very_satisfied"] == pytest.approx(0.7)
    # one Regular "不满" instead of "一般": dissatisfied 0.05 > 0 (assumed cap) -> fails
    rows[-1] = ("R19", "不满", "分公司")
    # one Silver "一般": average 0.1 > 0 -> fails
    rows[9] = ("S9", "一般", "")
    card = assess.satisfaction_scorecard(survey(rows), t, policy)
    assert not card.by_branch.loc[("Z", "regular"), "passes"]
    assert not card.by_branch.loc[("Y", "silver"), "passes"]


def test_regular_40_56_4_0_under_both_readings(policy):
    # 第35条 3: 非常满意 ≥ 30 %, 选择满意的客户占比 ≥ 65 %, 一般 ≤ 5 %, 不满 0 (assumed).
    # 25 regular answers: 10 very (0.40), 14 satisfied (0.56), 1 average (0.04), 0 dissatisfied.
    # literal: satisfied 0.56 < 0.65 -> fails; cumulative: 0.40 + 0.56 = 0.96 ≥ 0.30 + 0.65 = 0.95 -> passes
    t = pd.DataFrame({"customer_id": [f"R{i}" for i in range(25)], "branch": "Z", "tier": "regular"})
    rows = [(f"R{i}", "非常满意" if i < 10 else "满意" if i < 24 else "一般", "branch") for i in range(25)]
    card = assess.satisfaction_scorecard(survey(rows), t, policy)
    row = card.by_tier.loc["regular"]
    assert (row["very_satisfied"], row["satisfied"], row["average"]) == pytest.approx((0.40, 0.56, 0.04))
    assert not row["passes_literal"] and row["passes_cumulative"]
    assert policy.satisfaction.regular_reading == "cumulative" and row["passes"]
    assert policy.provenance["satisfaction.regular_reading"].assumed
    assert policy.satisfaction.regular.satisfied_min == 0.65  # the sourced number stays 65 %
    literal = policy.with_values({"satisfaction.regular_reading": "literal"}, note="test")
    card = assess.satisfaction_scorecard(survey(rows), t, literal)
    assert not card.by_tier.loc["regular", "passes"] and card.by_tier.loc["regular", "passes_cumulative"]
    # the 30/65/5/0 profile the numbers add up to passes both readings: 6/13/1 of 20 below
    rows = [(f"R{i}", "非常满意" if i < 6 else "满意" if i < 19 else "一般", "branch") for i in range(20)]
    card = assess.satisfaction_scorecard(survey(rows), t, literal)
    assert card.by_tier.loc["regular", "passes_literal"] and card.by_tier.loc["regular", "passes_cumulative"]


def test_survey_refuses_unknown_level():
    with pytest.raises(InputTableError, match="row 2, customer S1, column 'answer': unknown satisfaction level '还行'"):
        survey([("S1", "还行", "branch")])


# ----------------------------------------------------------------------------- 3. complaints
def complaint_log(rows):
    columns = ["complaint_date", "customer_id", "person", "role", "department_head", "verified",
               "below_vip_standard", "misleading"][:len(rows[0])]
    raw = pd.DataFrame(rows, columns=columns)
    return events.validate_log(raw, events.COMPLAINT_SCHEMA, "complaints.csv")


def test_complaint_consequences_hand_case(policy):
    # every complaint in the 第34条 scope: back office about VIP service below standard,
    # salespersons with verified misleading conduct
    c = complaint_log([
        ("2025-03-03", "G1", "Li", "后线", "Head", "是", "是", ""),
        ("2025-03-20", "S1", "Li", "back_office", "Head", "是", "是", ""),
        ("2025-04-02", "S1", "Li", "back_office", "Head", "true", "是", ""),
        ("2025-04-09", "S1", "Li", "back_office", "Head", "否", "是", ""),  # not verified: no consequence
        ("2025-02-01", "G1", "Wang", "业务员", "", "1", "", "是"),
        ("2025-05-01", "S1", "Wang", "salesperson", "", "1", "", "是"),
        ("2025-06-01", "S2", "Wang", "salesperson", "", "1", "", "是"),
        ("2026-01-05", "S2", "Wang", "salesperson", "", "1", "", "是"),  # new year: counted afresh
    ])
    out = assess.complaint_consequences(c, policy)
    li = out.complaints[out.complaints["person"] == "Li"]
    assert li["action"].tolist() == ["public criticism", "job rotation", "job rotation"]
    wang = out.complaints[out.complaints["person"] == "Wang"]
    # the third step names no customer in the cell: the customer lost is the row's own (S2)
    assert wang["action"].tolist() == ["warning", "public criticism", "loses the right to serve the customer",
                                       "warning"]
    assert wang["customer_id"].tolist()[2] == "S2"
    # per person the steps in order, the loss with its customer
    steps = out.by_person.set_index("person").loc["Wang", "actions"]
    assert render(steps, "en") == "warning, public criticism, loses the right to serve the customer S2, warning"
    assert render(steps, "zh") == "警告、通报批评、取消对相应客户的维护资格（S2）、警告"
    pay = out.pay_deductions.set_index(["person", "as", "month"])["pay_deduction_share"]
    # Li: two complaints in March -> 2 × 10 % = 20 %; one in April -> 10 %; same for the head
    assert pay[("Li", "person complained about", "2025-03")] == pytest.approx(0.2)
    assert pay[("Li", "person complained about", "2025-04")] == pytest.approx(0.1)
    assert pay[("Head", "department head", "2025-03")] == pytest.approx(0.2)
    assert pay[("Head", "department head", "2025-04")] == pytest.approx(0.1)
    assert "Wang" not in pay.index.get_level_values("person")  # salespersons: no pay rule in 第34条
    by = out.by_person.set_index("person")
    assert by.loc["Li", "complaints"] == 3 and by.loc["Wang", "complaints"] == 4


def test_regular_customer_complaint_triggers_no_sanction(policy, tiers):
    # 第34条 ①: back office is sanctioned for failing to give *VIP* service to standard; R1 is
    # regular, so its verified complaint costs nobody anything and the output says why
    c = complaint_log([("2025-03-03", "R1", "Li", "back_office", "Head", "是", "是", "")])
    out = assess.complaint_consequences(c, policy, tiers)
    assert out.complaints.empty and out.pay_deductions.empty and out.by_person.empty
    row = out.tables()["complaints"].iloc[0]
    assert not row["counts"]
    assert row["reason"] == note("assess.complaint.regular")
    assert render(row["reason"], "en") == "regular customer: 第34条 ① covers VIP service only"


def test_salesperson_complaint_needs_misleading_conduct(policy, tiers):
    # 第34条 ②: poor service *and* 有误导行为; without verified misleading conduct nothing follows.
    # Wang: 1st complaint misleading -> warning; 2nd not misleading -> nothing; 3rd misleading ->
    # his 2nd counted -> public criticism (not the 3rd step)
    c = complaint_log([
        ("2025-02-01", "G1", "Wang", "salesperson", "", "是", "", "是"),
        ("2025-03-01", "S1", "Wang", "salesperson", "", "是", "", "否"),
        ("2025-04-01", "S2", "Wang", "salesperson", "", "是", "", "是"),
        ("2025-05-01", "G1", "Zhao", "back_office", "Head", "是", "否", ""),  # not below standard
    ])
    out = assess.complaint_consequences(c, policy, tiers)
    assert out.complaints["action"].tolist() == ["warning", "public criticism"]
    screened = out.tables()["complaints"].set_index("customer_id")
    assert screened.loc["S1", "reason"] == assess.NOT_COUNTED["not_misleading"]
    assert render(screened.loc["S1", "reason"], "zh") == "未核实有误导行为（第34条②须有误导行为）"
    assert screened.loc["G1"].set_index("person").loc["Zhao", "reason"] == assess.NOT_COUNTED["not_below_standard"]
    assert out.pay_deductions.empty  # Zhao's complaint is outside ①: no 10 % deduction


def test_complaint_counting_window_and_monthly_cap(policy, tiers):
    # three counted back-office complaints in one month at 10 % each = 30 %; with the cap
    # lowered to 25 % (a flagged convention) the month's deduction is 25 %
    rows = [(f"2025-03-0{d}", "G1", "Li", "back_office", "Head", "是", "是", "") for d in (3, 4, 5)]
    rows.append(("2026-01-05", "G1", "Li", "back_office", "Head", "是", "是", ""))
    c = complaint_log(rows)
    out = assess.complaint_consequences(c, policy, tiers)
    pay = out.pay_deductions.set_index(["person", "as", "month"])["pay_deduction_share"]
    assert pay[("Li", "person complained about", "2025-03")] == pytest.approx(0.3)
    # calendar-year window: 2026-01-05 is Li's 1st of 2026 -> public criticism again
    assert out.complaints["action"].tolist() == ["public criticism", "job rotation", "job rotation",
                                                 "public criticism"]
    alt = policy.with_values({"complaints.monthly_deduction_cap": 0.25,
                              "complaints.count_window": "all_time"}, note="test")
    out = assess.complaint_consequences(c, alt, tiers)
    pay = out.pay_deductions.set_index(["person", "as", "month"])["pay_deduction_share"]
    assert pay[("Li", "person complained about", "2025-03")] == pytest.approx(0.25)
    # all-time window: the 2026 complaint is the 4th -> job rotation (the last step again)
    assert out.complaints["action"].tolist()[-1] == "job rotation"


def test_complaint_log_refuses_unknown_role():
    with pytest.raises(InputTableError, match="row 2, customer G1, column 'role': unknown role 'manager'"):
        complaint_log([("2025-03-03", "G1", "Li", "manager", "Head", "是")])


# ----------------------------------------------------------------------------- 4. revisit plan
def executives(rows):
    return events.validate_executives(pd.DataFrame(rows, columns=["executive_id", "role", "branch"]))


def test_revisit_plan_reports_shortfalls(policy, tiers):
    # Beijing: Gold G1, Silver S1 S2; Hainan: Gold G2 (no branch head listed)
    ex = executives([("GM1", "gm_office", ""), ("DH1", "department_head", ""), ("BJ", "branch_head", "Beijing")])
    plan = assess.plan_revisits(tiers, ex, policy)
    e = plan.executives.set_index("executive_id")
    # GM: 10 Gold required, only 2 exist -> short 8.  DH: Gold 2 of 2 (ok), Silver 3 needed, 2 exist -> short 1
    # BJ: all local Gold (1) met; Silver 20 needed, 2 local -> short 18
    assert (e.loc["GM1", "gold_customers"], e.loc["GM1", "gold_shortfall"]) == (2, 8)
    assert (e.loc["DH1", "gold_shortfall"], e.loc["DH1", "silver_shortfall"]) == (0, 1)
    assert (e.loc["BJ", "gold_customers"], e.loc["BJ", "silver_shortfall"]) == (1, 18)
    # the shortfall is stated with the executive and the reason
    assert render(e.loc["BJ", "shortfall_reason"], "en") == "branch Beijing has 2 Silver VIPs, the quota is 20"
    assert render(e.loc["GM1", "shortfall_reason"], "en") == "the list has 2 Gold VIPs, the quota is 10"
    assert render(e.loc["BJ", "shortfall_reason"], "zh") == "Beijing只有2户银牌VIP客户，配额为20户"
    # the company makes every 第18条 2③ revisit (G 3, S 2); executives join some of them. The
    # plan sends nobody beyond a minimum: GM 2 + DH 2 Gold + 2 Silver + BJ 1 Gold + 2 Silver = 9
    assert len(plan.assignments) == 9
    assert not plan.feasible
    text = " ".join(render(n, "en") for n in plan.notes)
    assert "branch head BJ is short by 18 Silver customer(s): branch Beijing has 2 Silver VIPs, the quota is 20." in text
    assert "No branch head listed for 1 branch(es) with Gold VIPs" in text and "Hainan" in text
    # revisits without an executive are not findings: nothing is said about customers
    assert "lack" not in text


def test_revisit_plan_feasible_with_lower_quotas(policy, tiers):
    # add a Silver S3 in Hainan, so both branch heads have local Silver (Beijing 2, Hainan 1)
    tiers = pd.concat([tiers, pd.DataFrame({"customer_id": ["S3"], "branch": ["Hainan"],
                                            "tier": ["silver"]})], ignore_index=True)
    small = policy.with_values({"executive_quotas.gm_office_gold_min": 1,
                                "executive_quotas.department_head_gold_min": 1,
                                "executive_quotas.department_head_silver_min": 2,
                                "executive_quotas.branch_head_silver_min": 1}, note="test")
    ex = executives([("GM1", "gm_office", ""), ("DH1", "department_head", ""),
                     ("BJ", "branch_head", "Beijing"), ("HN", "branch_head", "Hainan")])
    plan = assess.plan_revisits(tiers, ex, small)
    assert plan.feasible
    assert plan.notes == [note("assess.revisit.all_met")]
    # the Hainan head joins the revisits of Hainan's Gold (第25条), none of Beijing's customers
    hn = plan.assignments[plan.assignments["executive_id"] == "HN"]
    assert sorted(hn["customer_id"]) == ["G2", "S3"]
    # GM joins 1–15 Gold; DH 1–3 Gold and 2–5 Silver: all within bounds
    e = plan.executives.set_index("executive_id")
    assert 1 <= e.loc["GM1", "gold_customers"] <= 15
    assert 1 <= e.loc["DH1", "gold_customers"] <= 3 and 2 <= e.loc["DH1", "silver_customers"] <= 5


def test_revisit_plan_exact_optimum_spreads_head_office(policy):
    # 12 Gold in two branches (6 each), 40 Silver (20 each); 2 GM members (10 Gold each),
    # 1 department head (2 Gold, 3 Silver), 2 branch heads (6 local Gold + 20 local Silver).
    # Every minimum can be met: shortfall 0. Fewest visits: 2×10 + (2+3) + 2×(6+20) = 77.
    # Most customers met: all 12 Gold (branch heads) and 40 Silver (branch heads) -> 52.
    # Head office first: GM members together cover 10 + 10 over 12 Gold -> every Gold customer
    # meets a GM member (12 distinct), the remaining 8 GM visits repeat some.
    gold = [(f"G{b}{i}", b, "gold") for b in "XY" for i in range(6)]
    silver = [(f"S{b}{i:02d}", b, "silver") for b in "XY" for i in range(20)]
    t = pd.DataFrame(gold + silver, columns=["customer_id", "branch", "tier"])
    ex = executives([("GM1", "gm_office", ""), ("GM2", "gm_office", ""), ("DH1", "department_head", ""),
                     ("BX", "branch_head", "X"), ("BY", "branch_head", "Y")])
    plan = assess.plan_revisits(t, ex, policy)
    assert plan.feasible
    assert len(plan.assignments) == 77
    c = plan.customers.set_index("customer_id")
    gm = plan.assignments[plan.assignments["role"] == "gm_office"]
    assert gm["customer_id"].nunique() == 12
    assert (c["executives"] >= 1).all()
    # the company's revisits (G 3, S 2) stand beside; those without an executive are no finding
    assert c.loc["SX00", "company_revisits"] == 2


def test_gm_office_may_join_silver_is_a_flagged_parameter(policy, tiers):
    assert policy.provenance["executive_quotas.gm_office_may_join_silver"].assumed
    ex = executives([("GM1", "gm_office", "")])
    plan = assess.plan_revisits(tiers, ex, policy)
    assert set(plan.assignments["tier"]) == {"gold"}  # default: Gold only (第23条)
    alt = policy.with_values({"executive_quotas.gm_office_may_join_silver": True}, note="test")
    assert alt.executive_quotas.quota_table().loc["gm_office", "may_join_silver"]


def test_gm_office_member_with_16_gold_revisits_is_no_finding(policy):
    # 第23条 至少 10~15: at least 10, 15 the expected upper end, never a cap -> 16 is fine
    t = pd.DataFrame({"customer_id": [f"G{i:02d}" for i in range(16)], "branch": "X", "tier": "gold"})
    ex = executives([("GM1", "gm_office", "")])
    log = pd.DataFrame({"customer_id": t["customer_id"], "executive_id": "GM1"})
    check = assess.check_revisits(log, t, ex, policy)
    e = check.executives.set_index("executive_id").loc["GM1"]
    assert (e["gold_customers"], e["gold_min"], e["gold_shortfall"]) == (16, 10, 0)
    assert e["above_expected"]  # noted against the expected upper end of 15, not a finding
    assert not any("GM1" in render(f, "en") for f in check.findings)


def test_vip_revisit_without_an_executive_is_not_a_shortfall(policy):
    # one Silver S1 revisited twice by the company's staff alone (第18条 2③: ≥ 2): met;
    # no executive quota is involved, so there is no finding at all
    t = pd.DataFrame({"customer_id": ["S1"], "branch": ["X"], "tier": ["silver"]})
    ex = executives([("DH1", "department_head", "")]).iloc[:0]
    log = pd.DataFrame({"customer_id": ["S1", "S1"], "executive_id": [None, ""],
                        "revisit_date": ["2025-03-01", "2025-09-01"]})
    check = assess.check_revisits(log, t, ex, policy)
    c = check.customers.set_index("customer_id").loc["S1"]
    assert (c["revisits"], c["executives"], c["shortfall"]) == (2, 0, 0)
    assert check.findings == [note("assess.revisit.all_met_recorded")]


def test_revisit_plan_solves_exactly_without_time_limit():
    import inspect

    src = inspect.getsource(assess.revisits._solve_stage)
    assert '"mip_rel_gap": 0.0' in src and "time_limit" not in src


def test_executive_table_refused_clearly():
    with pytest.raises(InputTableError) as err:
        executives([("BH1", "branch_head", ""), ("X", "chairman", "")])
    text = str(err.value)
    assert "row 3, column 'role': unknown role 'chairman'" in text


def test_branch_head_without_branch():
    with pytest.raises(InputTableError, match="row 2, column 'branch': a branch head needs the branch"):
        executives([("BH1", "branch_head", "")])


# ----------------------------------------------------------------------------- sample logs
def test_sample_logs_are_seeded_and_valid(policy):
    t = pd.DataFrame({"customer_id": [f"C{i}" for i in range(300)], "branch": ["A", "B", "C"] * 100,
                      "tier": ["gold"] * 10 + ["silver"] * 40 + ["regular"] * 250})
    a = events.sample_service_log(t, seed=7, n_events=400)
    b = events.sample_service_log(t, seed=7, n_events=400)
    pd.testing.assert_frame_equal(a, b)
    log = events.validate_log(a, events.SERVICE_LOG_SCHEMA, "sample", t["customer_id"])
    assert assess.service_compliance(log, t, policy).events["within_limit"].mean() > 0.5
    events.validate_log(events.sample_survey(t, seed=7), events.SURVEY_SCHEMA, "sample", t["customer_id"])
    events.validate_log(events.sample_complaints(t, seed=7), events.COMPLAINT_SCHEMA, "sample", t["customer_id"])
    events.validate_executives(events.sample_executives(t["branch"], 5), "sample", t["branch"])


# ----------------------------------------------------------------------------- files and command
def test_read_log_from_csv_and_cli_refuses_bad_log(tmp_path, capsys):
    from tiermodel.cli import main

    good = tmp_path / "events.csv"
    good.write_text("客户号,服务类型,开始日期,结束日期,特大型客户\nG1,调查理赔,2025-01-24,2025-02-07,否\n",
                    encoding="utf-8")
    log = events.read_log(good, "service", pd.Series(["G1"]))
    assert log.loc[0, "service_type"] == "claim_investigated" and not log.loc[0, "extra_large"]
    bad = tmp_path / "bad.csv"
    bad.write_text("customer_id,service_type,start_date,end_date\nC000001,claim_ordinary,2025-02-07,2025-01-24\n",
                   encoding="utf-8")
    out = tmp_path / "assess.xlsx"
    assert main(["assess", "--service-log", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "row 2, customer C000001, column 'end_date': end date 2025-01-24 is before" in err
    assert not out.exists()  # nothing written


# ----------------------------------------------------------------------------- layers and tables
def test_events_do_not_import_the_assessment():
    import subprocess
    import sys

    code = "import sys, tiermodel.events; print('tiermodel.assess' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_assessment_tables_are_the_one_sheet_list(policy, tiers):
    service = events.validate_log(service_log([("G1", "claim_ordinary", "2025-03-03", "2025-03-05", False)]),
                                  events.SERVICE_LOG_SCHEMA, "events.csv")
    answers = survey([("G1", "非常满意", "branch"), ("S1", "满意", "branch")])
    complaints = complaint_log([("2025-03-03", "G1", "后线1", "back_office", "契约部负责人", "是")])
    ex = executives([("GM1", "gm_office", ""), ("DH1", "department_head", ""), ("BJ", "branch_head", "Beijing")])
    result = assess.assess_service(tiers, service, answers, complaints, ex, policy)
    tables = result.tables()
    assert list(tables) == ["compliance by type", "compliance by branch", "service breaches",
                            "satisfaction by tier", "satisfaction by branch", "satisfaction weighted",
                            "complaints", "complaints by person", "pay deductions", "revisit plan",
                            "executive quotas", "revisit customers", "revisit notes", "branch scorecard"]
    assert max(len(k) for k in tables) <= 28
    # G1's ordinary claim: Mon 03-03 to Wed 03-05 = 2 working days <= the VIP limit of 5 (第18条 1④)
    assert tables["compliance by type"]["breaches"].sum() == 0
    assert result.notes == result.revisit_plan.notes


def test_cli_assess_same_numbers_in_en_and_zh_and_wan_is_yuan_over_10000(tmp_path):
    # --lang changes words only (the seeded sample logs are the same); the display unit 万元
    # divides every 万元 column (service costs) by 10,000: 1,230,000 元 is written 123 万元.
    # Defaults by language: a zh workbook in 万元, an en one in 元 (as --display-unit yuan)
    from tiermodel.cli import main
    from workbook_checks import assert_same_numbers, assert_wan_is_yuan_over_10000

    paths = {k: tmp_path / f"{k}.xlsx" for k in ("zh", "en", "wan")}
    assert main(["assess", "--display-unit", "yuan", "--out", str(paths["zh"])]) == 0
    assert main(["assess", "--lang", "en", "--out", str(paths["en"])]) == 0
    assert main(["assess", "--out", str(paths["wan"])]) == 0  # zh, no option: 万元
    with pd.ExcelFile(paths["en"]) as book:
        assert book.sheet_names[0] == "Contents"
    assert assert_same_numbers(paths["zh"], paths["en"]) > 0
    assert assert_wan_is_yuan_over_10000(paths["wan"], paths["zh"]) > 0


# ----------------------------------------------------------------------------- issue 24
def test_complaint_log_without_verified_column_sanctions_no_one(policy, tiers):
    # 第34条: only complaints 经核实确认 count. A log without the verified column records no
    # verification, so neither the back-office complaint (VIP service below standard) nor the
    # salesperson's (misleading conduct) is sanctioned: 0 counted, 0 pay deducted.
    raw = pd.DataFrame({"complaint_date": ["2025-03-03", "2025-04-01"], "customer_id": ["G1", "S1"],
                        "person": ["Li", "Wang"], "role": ["back_office", "salesperson"],
                        "department_head": ["Head", ""], "below_vip_standard": ["是", ""],
                        "misleading": ["", "是"]})
    log = events.validate_log(raw, events.COMPLAINT_SCHEMA, "complaints.csv")
    assert "verified" not in log or not log["verified"].any()
    result = assess.complaint_consequences(log, policy, tiers)
    assert result.complaints.empty and result.pay_deductions.empty
    assert result.screened["counts"].tolist() == [False, False]
    assert result.screened["reason"].tolist() == [assess.NOT_COUNTED["unverified"]] * 2


def test_branch_scorecard_three_branches_by_hand(policy):
    # 第32条 on a three-branch book, every part worked by hand.
    #   service events (within limit): A 4 of 4 = 1.00, B 3 of 4 = 0.75, C 1 of 2 = 0.50
    #   satisfaction groups passing:   A 1 of 2 = 0.50, B 2 of 2 = 1.00, C 0 of 1 = 0.00
    #   verified complaints (第34条):  A 2, B 0, C 0
    #   VIPs meeting the minima:       A 1 - 1/4 = 0.75, B 1 - 0/2 = 1.00, C 1 - 1/1 = 0.00
    # ranks (1 best, ties share the better): service A1 B2 C3; satisfaction B1 A2 C3;
    # complaints (fewer better) B1 C1 A3; delivery B1 A2 C3
    # mean rank A (1+2+3+2)/4 = 2.00, B (2+1+1+1)/4 = 1.25, C (3+3+1+3)/4 = 2.50 -> B 1, A 2, C 3
    tiers = pd.DataFrame({"customer_id": ["a1", "a2", "b1", "c1"], "branch": ["A", "A", "B", "C"],
                          "tier": ["gold", "silver", "silver", "gold"]})
    service = pd.DataFrame({"branch": ["A"] * 4 + ["B"] * 4 + ["C"] * 2,
                            "within_limit": [True] * 4 + [True, True, True, False] + [True, False]})
    weighted = pd.DataFrame({"branch": ["A", "A", "B", "B", "C"], "tier": ["gold", "silver", "silver", "regular", "gold"],
                             "passes": [True, False, True, True, False]}).set_index(["branch", "tier"])
    counted = pd.DataFrame({"customer_id": ["a1", "a2"]})
    delivery = pd.DataFrame({"branch": ["A", "A", "B", "C"], "tier": ["gold", "silver", "silver", "gold"],
                             "vips": [1, 3, 2, 1], "below_standard": [0, 1, 0, 1]})
    card = assess.branch_scorecard(tiers, service, weighted, counted, delivery, policy)
    t = card.table.set_index("branch")
    assert card.table["branch"].tolist() == ["B", "A", "C"]
    assert t["service_time_compliance"].tolist() == [0.75, 1.0, 0.5]
    assert t["satisfaction_share"].tolist() == [1.0, 0.5, 0.0]
    assert t["complaints_counted"].tolist() == [0, 2, 0]
    assert t["delivery_share"].tolist() == [1.0, 0.75, 0.0]
    assert t.loc["A", ["service_time_compliance_rank", "satisfaction_share_rank", "complaints_counted_rank",
                       "delivery_share_rank"]].tolist() == [1, 2, 3, 2]
    assert t["complaints_counted_rank"].tolist() == [1, 3, 1]
    assert t["composite_mean_rank"].tolist() == [1.25, 2.0, 2.5]
    assert t["rank"].tolist() == [1, 2, 3]
    # no composite under the other reading: the parts alone, branches by name
    none = policy.with_values({"branch_scorecard.composite": "none"})
    plain = assess.branch_scorecard(tiers, service, weighted, counted, delivery, none).table
    assert plain["branch"].tolist() == ["A", "B", "C"] and plain["rank"].isna().all()
    # without a delivery record the part is empty and not ranked
    bare = assess.branch_scorecard(tiers, service, weighted, counted, None, policy).table.set_index("branch")
    assert bare["delivery_share"].isna().all() and bare["delivery_share_rank"].isna().all()
    # A (1+2+3)/3 = 2.00, B (2+1+1)/3 = 1.33, C (3+3+1)/3 = 2.33
    assert bare["composite_mean_rank"].round(2).tolist() == [1.33, 2.0, 2.33]


# ----------------------------------------------------------------------------- notes as data (issue 23)
def test_an_assessment_note_in_both_languages_from_one_code():
    # one code and its fields; each sentence written by hand from the template's intent
    short = note("assess.revisit.branch_has", branch="北京分公司", n=12, tier="silver", quota=20)
    assert render(short, "zh") == "北京分公司只有12户银牌VIP客户，配额为20户"
    assert render(short, "en") == "branch 北京分公司 has 12 Silver VIPs, the quota is 20"
    reminders = note("assess.renewals", on_time=1200, expiries=1500, late=280, missing=20)
    assert render(reminders, "zh") == "续保提醒：1,500件中1,200件提前两个月发出；280件逾期，20件缺失。"
    assert render(reminders, "en") == "Renewal reminders: 1,200 of 1,500 sent two months ahead; 280 late, 20 missing."


def _seven_complaints():
    return complaint_log([
        ("2025-03-03", "G1", "Li", "back_office", "Head", "是", "是", ""),    # counts: Li's 1st
        ("2025-03-04", "G1", "Li", "back_office", "Head", "否", "是", ""),    # not verified
        ("2025-03-05", "R1", "Li", "back_office", "Head", "是", "是", ""),    # regular customer
        ("2025-04-01", "S1", "Wang", "salesperson", "", "是", "", "是"),      # counts: Wang's 1st
        ("2025-04-02", "S2", "Wang", "salesperson", "", "是", "", "否"),      # no misleading conduct
        ("2025-04-03", "S1", "Zhao", "back_office", "Head", "是", "否", ""),  # not below standard
        ("2025-05-01", "G1", "Li", "back_office", "Head", "是", "是", ""),    # counts: Li's 2nd
    ])


def test_complaint_reasons_are_codes_in_the_table_and_words_on_the_page(policy, tiers):
    from tiermodel.present import reader_table

    out = assess.complaint_consequences(_seven_complaints(), policy, tiers)
    listed = out.tables()["complaints"]
    assert listed["reason"].tolist() == [assess.COUNTED["back_office"], assess.NOT_COUNTED["unverified"],
                                         assess.NOT_COUNTED["regular"], assess.COUNTED["salesperson"],
                                         assess.NOT_COUNTED["not_misleading"],
                                         assess.NOT_COUNTED["not_below_standard"], assess.COUNTED["back_office"]]
    # the same table in each language: the reason and the step in the reader's words
    for lang, first, step in (("zh", "经核实确认：未能按标准提供VIP客户服务（第34条①）", "通报批评"),
                              ("en", "verified: VIP service below standard (第34条 ①)", "public criticism")):
        shown = reader_table(listed, "complaints", lang)
        cells = {c.key: shown.frame.iloc[:, i].tolist() for i, c in enumerate(shown.columns)}
        assert cells["reason"][0] == first and cells["action"][0] == step
        assert all(isinstance(r, str) for r in cells["reason"])
    # back office counted twice, then one each in the order the screen tests them
    counts = out.reason_counts()
    assert [(n.fields["n"], n.fields["reason"]) for n in counts] == [
        (2, assess.COUNTED["back_office"]), (1, assess.NOT_COUNTED["unverified"]),
        (1, assess.NOT_COUNTED["regular"]), (1, assess.NOT_COUNTED["not_below_standard"]),
        (1, assess.NOT_COUNTED["not_misleading"]), (1, assess.COUNTED["salesperson"])]
    assert render(counts[0], "en") == "2 · verified: VIP service below standard (第34条 ①)"
    # Li 2 counted complaints before Wang's 1: public criticism, then job rotation (第34条 ①)
    ranked = out.persons_ranked()
    assert ranked["person"].tolist() == ["Li", "Wang"]
    assert render(ranked["actions"][0], "zh") == "通报批评、调换岗位"


def test_satisfaction_groups_passing_and_failing():
    weighted = pd.DataFrame({"branch": ["A", "A", "B", "B", "C"],
                             "tier": ["gold", "silver", "gold", "regular", "silver"],
                             "passes": [True, False, False, False, True]}).set_index(["branch", "tier"])
    card = assess.Scorecard(pd.DataFrame(), pd.DataFrame(), weighted)
    passing = card.passing_by_tier()
    # Gold: A passes, B not -> 2 branches, 1 passing; Silver: A not, C passes; Regular: B not
    assert passing.loc["gold"].tolist() == [2, 1] and passing.loc["silver"].tolist() == [2, 1]
    assert passing.loc["regular"].tolist() == [1, 0]
    # failing Gold and Silver groups only (B regular fails too but is not a VIP group)
    failing = card.failing_vip_groups()
    assert list(zip(failing["branch"], failing["tier"])) == [("A", "silver"), ("B", "gold")]


def test_revisit_plan_by_role_and_what_the_page_prints():
    ex = pd.DataFrame({"executive_id": ["GM1", "BH1", "BH2"], "role": ["gm_office", "branch_head", "branch_head"],
                       "gold_customers": [10, 1, 0], "silver_customers": [0, 20, 11],
                       "gold_shortfall": [0, 0, 0], "silver_shortfall": [0, 0, 9]})
    assignments = pd.DataFrame({"executive_id": ["GM1", "BH1", "BH1"], "role": ["gm_office", "branch_head", "branch_head"],
                                "customer_id": ["G1", "S2", "G1"], "tier": ["gold", "silver", "gold"]})
    customers = pd.DataFrame({"customer_id": ["G1", "S2"], "tier": ["gold", "silver"]})
    notes = [note("assess.revisit.all_met"), note("assess.revisit.no_vips")]
    plan = assess.RevisitPlan(assignments, ex, customers, notes)
    # branch heads: Silver 20 + 11 = 31, short 0 + 9 = 9; the GM office: 10 Gold
    by_role = plan.by_role()
    assert by_role.loc["branch_head"].tolist() == [1, 31, 0, 9]
    assert by_role.loc["gm_office"].tolist() == [10, 0, 0, 0]
    # role, then executive, then tier (gold before silver), then customer
    assert plan.by_executive()["customer_id"].tolist() == ["G1", "S2", "G1"]
    assert plan.summary(1) == [note("assess.revisit.summary", customers=2, notes=2), notes[0]]
    assert render(plan.summary(0)[0], "zh") == "回访计划覆盖2户VIP客户；说明2条"
    assert plan.absence() == ""  # customers planned: nothing to explain
    empty = assess.RevisitPlan(assignments.iloc[:0], ex, customers.iloc[:0], [note("assess.revisit.no_vips")])
    assert empty.absence() == note("assess.revisit.no_vips")


def test_branch_scorecard_says_its_reading():
    card = assess.BranchScorecard(pd.DataFrame({"branch": ["A", "B", "C"]}), "mean_rank")
    assert render(card.summary(), "zh") == "共3家机构；综合名次：名次平均（假设）"
    assert render(assess.BranchScorecard(card.table, "none").summary(), "en") == "3 branches; composite: none, the parts only"


def test_the_sample_box_names_the_sample_tables_in_the_page_language():
    from tiermodel.present.page import sample_box

    # complaints and the survey drawn as samples; the box of the scorecard (service, survey,
    # complaints, delivery) names them in the order a page lists its inputs
    box = sample_box(["complaints", "survey"], ("service", "survey", "complaints", "delivery"), "zh")
    assert box.description == "样本数据：基于随机样本（满意度调查、投诉记录），并非实际数据"
    box = sample_box(["complaints", "survey"], None, "en")
    assert box.description == "SAMPLE DATA: built on the seeded sample (survey, complaints), not on your data"
    assert sample_box(["executives"], ("service",), "zh") is None  # no sample among the kinds: no box
