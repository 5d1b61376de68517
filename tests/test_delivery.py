"""Issue 13: VIP service delivery (附件二/四), renewals and notices (第17条 4–5), the hotline
(第18条 2①, 附件五) and disability-assessment claims (第17条 3).

Expected values are worked out by hand from the articles and the parameters, arithmetic in
the comments. Defaults used: the VIP list is approved in January and served from February
(第12条, ``service_start``): 11 service months; a part year owes per_year × months / 12,
rounded up (``delivery_rules.part_year_rounding``, assumed).
"""
from __future__ import annotations

import pandas as pd
import pytest

from tiermodel import events, present
from tiermodel.assess import compliance, delivery, hotline, renewals
from tiermodel.errors import InputTableError, ParameterError
from tiermodel.policy import describe, load_policy

YEAR = 2025


@pytest.fixture(scope="module")
def policy():
    return load_policy()


@pytest.fixture(scope="module")
def tiers():
    # G1 Gold newly rated, approved in January (service from February: 11 months), S1 Silver
    # approved in June (service from July: 6 months), both in Beijing with one first and one
    # second key person; R1 regular. (A VIP without an approval month is a continuing VIP,
    # served all 12 months: service_start.previous_tier_default.)
    return pd.DataFrame({
        "customer_id": ["G1", "S1", "R1"], "branch": ["Beijing", "Beijing", "Beijing"],
        "branch_class": ["A", "A", "A"], "is_new": [False, False, False],
        "tier": ["gold", "silver", "regular"], "first_service_objects": [1, 1, 1],
        "second_service_objects": [1, 1, 1], "approval_month": [1, 6, None]})


@pytest.fixture(scope="module")
def executives(tiers):
    return events.validate_executives(pd.DataFrame({
        "executive_id": ["GM1", "BH01"], "role": ["gm_office", "branch_head"], "branch": ["", "Beijing"]}),
        "executives", tiers["branch"])


def rows(customer, counts, month=3, cost=100.0):
    """``counts`` deliveries of each service to ``customer`` in ``month`` at ``cost`` each."""
    return [(customer, s, f"{YEAR}-{month:02d}-15", cost, "") for s, n in counts.items() for _ in range(n)]


def table(rows_, tiers, executives):
    raw = pd.DataFrame(rows_, columns=["customer_id", "service", "date", "cost_cny", "executives"])
    return events.validate_delivery(raw, "delivery.csv", tiers["customer_id"], YEAR, executives["executive_id"])


# Gold G1, 11 months, everything at its minimum except the revisits:
#   birthday first 1 × 1 person × 11/12 = 0.92 -> 1, second the same -> 1 (pro-rated like the
#   budget, issue 24; rounded up)
#   festivals 2 × (1 + 1) persons × 11/12 = 3.67 -> 4;  mailings 12 × 11/12 = 11
#   reports 2 × 11/12 = 1.83 -> 2;  survey 1;  health check, club event, study tour 1 each
#   revisits 3 × 11/12 = 2.75 -> 3 required, 2 delivered -> 1 missing
G1_FULL = {"birthday_first_object": 1, "birthday_second_object": 1, "festival_gifts": 4,
           "monthly_mailing": 11, "policy_report": 2, "satisfaction_survey": 1, "health_check": 1,
           "club_event": 1, "study_tour": 1}
# Silver S1, approved June, served July–December = 6 months:
#   revisits 2 × 6/12 = 1;  mailings 12 × 6/12 = 6;  reports 2 × 6/12 = 1
#   festivals 2 × 2 persons × 6/12 = 2;  birthdays 1 + 1;  survey 1
#   delivered 5 mailings -> 1 missing, the rest complete
S1_DELIVERED = {"revisit": 1, "monthly_mailing": 5, "policy_report": 1, "festival_gifts": 2,
                "birthday_first_object": 1, "birthday_second_object": 1, "satisfaction_survey": 1}


@pytest.fixture(scope="module")
def check(policy, tiers, executives):
    r = rows("G1", G1_FULL) + rows("S1", S1_DELIVERED, month=9)
    # G1's two revisits: February (Q1) with the Beijing head and a GM-office member, May (Q2)
    r += [("G1", "revisit", f"{YEAR}-02-10", 500.0, "BH01;GM1"), ("G1", "回访", f"{YEAR}-05-10", 500.0, "BH01")]
    return delivery.check_delivery(table(r, tiers, executives), tiers, executives, policy, YEAR, "delivery.csv")


def test_gold_with_two_revisits_is_one_short(check):
    s = check.shortfalls.set_index(["customer_id", "service"])
    assert s.loc[("G1", "revisit_gold"), ["required", "delivered", "missing"]].tolist() == [3, 2, 1]
    g1 = check.below_standard.set_index("customer_id").loc["G1"]
    assert g1["missing"] == delivery.missing_note(["revisit_gold"], [1]) and g1["service_months"] == 11


def test_silver_approved_in_june_has_pro_rated_minimums(check):
    req = check.required.loc["S1"]
    # see S1_DELIVERED: 1 revisit, 6 mailings, 1 report, 2 festival gifts, 1 + 1 birthdays, 1 survey
    assert req[["revisit_silver", "monthly_mailing", "policy_report", "festival_gifts",
                "birthday_first_object", "birthday_second_object", "satisfaction_survey"]].tolist() == [1, 6, 1, 2, 1, 1, 1]
    assert req[["revisit_gold", "health_check", "club_event", "study_tour"]].tolist() == [0, 0, 0, 0]  # Gold only
    s1 = check.below_standard.set_index("customer_id").loc["S1"]
    assert s1["missing"] == delivery.missing_note(["monthly_mailing"], [1]) and s1["service_months"] == 6


def test_executive_attendance_against_quotas(check):
    ex = check.executives.set_index("executive_id")
    # GM1 joined G1 once: 1 distinct Gold customer against the 第23条 minimum 10 -> short 9
    assert ex.loc["GM1", ["gold_customers", "gold_min", "gold_shortfall"]].tolist() == [1, 10, 9]
    # BH01: every local Gold (1: G1) revisited -> 0 short; Silver 0 of the 第25条 20 -> short 20
    assert ex.loc["BH01", ["gold_customers", "gold_min", "gold_shortfall"]].tolist() == [1, 1, 0]
    assert ex.loc["BH01", ["silver_customers", "silver_min", "silver_shortfall"]].tolist() == [0, 20, 20]


def test_quarterly_record_laid_out_like_the_form(check):
    form = check.annex2.loc["Beijing"]
    rev = form.loc["revisit_gold"]
    # G1's revisits: one in February (Q1), one in May (Q2), 500 CNY each
    assert rev["q1_gold_count"] == 1 and rev["q2_gold_count"] == 1
    assert rev["q3_gold_count"] == 0 and rev["year_cost_cny"] == 1000.0
    below = form.loc["below_standard"]
    # at the year's end G1 (revisits) and S1 (mailings) are below standard: 1 Gold, 1 Silver
    assert below["year_gold_count"] == 1 and below["year_silver_count"] == 1
    # end of Q1: G1 owes floor(3 × 2/12) = 0 revisits, floor(12 × 2/12) = 2 mailings but got its
    # 11 mailings only in March (counted: 11 >= 2) -> not below; S1 not served yet -> not below
    assert below["q1_gold_count"] == 0 and below["q1_silver_count"] == 0
    total = form.loc["total"]
    # 2 revisits + 22 other Gold deliveries = 24 Gold deliveries; S1 12 deliveries
    assert total["year_gold_count"] == 2 + sum(G1_FULL.values())
    assert total["year_silver_count"] == sum(S1_DELIVERED.values())


def test_actual_against_the_annex7_budget(check):
    item = check.budget_by_item.set_index("item")
    # revisit_gold budget: 3 revisits × 500 CNY (2003 prices) × 1.025 ** (2025 − 2003); not
    # pro-rated in the catalogue.  Actual: 2 × 500 = 1,000 CNY
    budget = 3 * 500 * 1.025 ** 22
    assert item.loc["revisit_gold", "budget_cny"] == pytest.approx(budget)
    assert item.loc["revisit_gold", "actual_cny"] == 1000.0
    assert item.loc["revisit_gold", "variance_cny"] == pytest.approx(1000.0 - budget)
    top = check.budget_contributors.iloc[0]
    assert abs(top["variance_cny"]) == pytest.approx(check.budget_contributors["variance_cny"].abs().max())


def test_malformed_delivery_tables_are_refused(tiers, executives):
    raw = pd.DataFrame({
        "customer_id": ["G1", "G1", "S1", "G1"],
        "service": ["massage", "revisit", "monthly_mailing", "health_check"],
        "date": ["2025-03-01", "2024-12-31", "2025-08-01", "2025-04-01"],
        "cost_cny": ["100", "500", "-5", "abc"]})
    with pytest.raises(InputTableError) as err:
        events.validate_delivery(raw, "delivery.csv", tiers["customer_id"], YEAR, executives["executive_id"])
    text = str(err.value)
    assert text.startswith("delivery.csv: 4 problem(s); nothing was written")
    assert "row 2, customer G1, column 'service': unknown service name 'massage'" in text
    assert "row 3, customer G1, column 'date': 2024-12-31 is outside the year 2025 of the record" in text
    assert "row 4, customer S1, column 'cost_cny': cost -5 is negative" in text
    assert "row 5, customer G1, column 'cost_cny': 'abc' is not an amount in CNY" in text


def test_delivery_to_a_regular_customer_is_refused(policy, tiers, executives):
    d = table(rows("R1", {"monthly_mailing": 1}), tiers, executives)
    with pytest.raises(InputTableError, match="row 2, customer R1, column 'customer_id': customer 'R1' is not a Gold"):
        delivery.check_delivery(d, tiers, executives, policy, YEAR, "delivery.csv")


# ----------------------------------------------------------------------------- 第19条 invitations
# 第19条 2: head office invites (邀请) Gold customers to the club event and the study tour; 第19条 1
# provides (提供) the health check. delivery_rules.invitation_count / health_check_count (assumed)
# say whether the offer or only the attendance meets the yearly minimum of one per customer.
@pytest.fixture(scope="module")
def three_golds():
    # GA, GB, GC: Gold, continuing VIPs (no approval month: served all 12 months), one leader each
    return pd.DataFrame({
        "customer_id": ["GA", "GB", "GC"], "branch": ["Beijing"] * 3, "branch_class": ["A"] * 3,
        "is_new": [False] * 3, "tier": ["gold"] * 3, "first_service_objects": [1, 1, 1],
        "second_service_objects": [1, 1, 1]})


INVITED = ("health_check", "club_event", "study_tour")


def _invitation_shortfalls(policy, golds, reading):
    ex = events.validate_executives(pd.DataFrame({
        "executive_id": ["GM1", "BH01"], "role": ["gm_office", "branch_head"], "branch": ["", "Beijing"]}),
        "executives", golds["branch"])
    # GA was offered the check and invited to both events and declined all three (cost 0, by
    # label and by key); GB attended all three with no invitation row; GC has no row at all
    r = [("GA", "高级体检邀约", f"{YEAR}-03-01", 0.0, ""), ("GA", "club_event_invitation", f"{YEAR}-03-01", 0.0, ""),
         ("GA", "学习考察邀请", f"{YEAR}-03-01", 0.0, "")]
    r += rows("GB", {"health_check": 1, "club_event": 1, "study_tour": 1}, month=6, cost=1000.0)
    d = table(r, golds, ex)
    p = policy.with_values({"delivery_rules.invitation_count": reading,
                            "delivery_rules.health_check_count": "offer" if reading == "invitation" else reading},
                           note="test")
    check = delivery.check_delivery(d, golds, ex, p, YEAR, "delivery.csv")
    s = check.shortfalls[check.shortfalls["service"].isin(INVITED)]
    return check, s.set_index(["customer_id", "service"])[["required", "delivered", "missing"]]


def test_declined_invitation_is_no_shortfall_under_the_invitation_reading(policy, three_golds):
    check, s = _invitation_shortfalls(policy, three_golds, "invitation")
    # counted = max(offer rows, attendance rows): GA max(1, 0) = 1 >= 1, GB max(0, 1) = 1 >= 1,
    # GC max(0, 0) = 0 < 1 -> only GC is short, by 1 of each of the three services
    assert sorted(s.index) == [("GC", "club_event"), ("GC", "health_check"), ("GC", "study_tour")]
    assert s.loc[("GC", "club_event")].tolist() == [1, 0, 1]
    # the rows as recorded: GA's invitation in a column of its own, no attendance
    assert check.delivered.loc["GA", ["club_event_invitation", "club_event"]].tolist() == [1, 0]
    # the 附件二 form lists the invitations (3 GA rows, Q1, Gold) and the budget leaves them out
    form = check.annex2.loc["Beijing"]
    assert form.loc["club_event_invitation", "q1_gold_count"] == 1
    assert "club_event_invitation" not in set(check.budget_by_item["item"])


def test_declined_invitation_is_a_shortfall_under_the_attendance_reading(policy, three_golds):
    _, s = _invitation_shortfalls(policy, three_golds, "attendance")
    # attendance rows only: GA 0 < 1 (invited, declined) and GC 0 < 1 short; GB 1 >= 1 not short
    # -> per service one more shortfall than under the invitation reading: 2 customers × 3 services
    assert sorted(s.index) == [(c, v) for c in ("GA", "GC") for v in sorted(INVITED)]
    assert s.loc[("GA", "study_tour")].tolist() == [1, 0, 1]
    assert s.xs("club_event", level="service").shape[0] == 2


def test_invitation_reading_refuses_an_unknown_value(policy):
    with pytest.raises(ParameterError) as err:
        policy.with_values({"delivery_rules.invitation_count": "attended"}, note="test")
    assert err.value.path == "delivery_rules.invitation_count"
    assert "'invitation' or 'attendance'" in err.value.rule and "attended" in err.value.rule
    with pytest.raises(ParameterError) as err:
        policy.with_values({"delivery_rules.health_check_count": "invitation"}, note="test")
    assert err.value.path == "delivery_rules.health_check_count"
    assert "'offer' or 'attendance'" in err.value.rule


def test_invitation_readings_are_flagged_in_the_assumptions_register(policy):
    register = {r["path"]: r for r in describe(policy, ["delivery_rules", "delivery_minimums"], assumed_only=True)}
    for path, value, article in (("delivery_rules.invitation_count", "invitation", "第19条 2"),
                                 ("delivery_rules.health_check_count", "offer", "第19条 1")):
        assert register[path]["value"] == value and register[path]["kind"] == "assumed"
        assert article in register[path]["provenance"]
    # the one-a-year-per-customer minima are readings too, still citing their article
    for name, article in (("health_check", "第19条 1"), ("club_event", "第19条 2①"), ("study_tour", "第19条 2②")):
        row = register[f"delivery_minimums.{name}"]
        assert row["kind"] == "assumed" and article in row["provenance"]
    # the register of every report page (present.assumptions_table) and Policy.assumptions()
    shown = present.assumptions_table(list(register.values()), "en").frame
    # shown by its reader's name, the path kept in the last column (参数路径 / parameter path)
    assert "delivery_rules.invitation_count" in set(shown.iloc[:, -1])
    assert any(p == "delivery_rules.invitation_count" and v == "invitation" and "第19条 2" in why
               for p, v, why in policy.assumptions())


def test_sample_delivery_invites_every_gold_and_draws_attendance_with_take_up():
    golds = pd.DataFrame({"customer_id": ["GA", "GB", "S1"], "branch": ["Beijing"] * 3, "tier": ["gold", "gold", "silver"],
                          "first_service_objects": [2, 1, 1], "second_service_objects": [1, 1, 1]})
    ex = pd.DataFrame({"executive_id": ["BH01"], "role": ["branch_head"], "branch": ["Beijing"]})
    take_up = {"club_event": 0.0, "study_tour": 1.0, "health_check": 1.0}
    d = events.sample_delivery(golds, {"study_tour": 20000.0}, ex, seed=7, year=YEAR, short_share=0.0,
                               take_up=take_up)
    n = d["service"].value_counts()
    # one offer of each kind per Gold customer (2), none for the Silver S1
    assert [n.get(k, 0) for k in ("health_check_offer", "club_event_invitation", "study_tour_invitation")] == [2, 2, 2]
    # take-up 0: nobody attends the club event; 1: both tour, every first key person checked (2 + 1 = 3)
    assert [n.get(k, 0) for k in ("club_event", "study_tour", "health_check")] == [0, 2, 3]
    assert set(d.loc[d["service"].str.endswith(("_invitation", "_offer")), "cost_cny"]) == {0.0}
    tour = d[d["service"] == "study_tour"]
    assert tour["cost_cny"].between(0.8 * 20000, 1.3 * 20000).all()  # unit cost × U(0.8, 1.3)
    for c in ("GA", "GB"):  # attended after the invitation, within the year
        inv = d.loc[(d["customer_id"] == c) & (d["service"] == "study_tour_invitation"), "date"].iloc[0]
        went = d.loc[(d["customer_id"] == c) & (d["service"] == "study_tour"), "date"].iloc[0]
        assert inv <= went <= pd.Timestamp(f"{YEAR}-12-31")
    again = events.sample_delivery(golds, {"study_tour": 20000.0}, ex, seed=7, year=YEAR, short_share=0.0,
                                   take_up=take_up)
    pd.testing.assert_frame_equal(d, again)  # same seed, same table


# ----------------------------------------------------------------------------- renewals
def test_reminder_59_days_before_expiry_is_late(policy, tiers):
    raw = pd.DataFrame({
        "policy_id": ["P1", "P2", "P3"], "customer_id": ["G1", "S1", "R1"],
        "expiry_date": ["2025-09-30", "2025-09-30", "2025-09-30"],
        # two months before 2025-09-30 is 2025-07-30.  P1: 59 days before = 2025-08-02
        # (Sep 30 − 30 days = Aug 31, − 29 more = Aug 2) -> after the deadline: late.
        # P2: 2025-07-30, 62 days before -> on time.  P3: none -> missing.
        "reminder_date": ["2025-08-02", "2025-07-30", ""]})
    r = renewals.check_renewals(events.validate_policies(raw, "policies.csv", tiers["customer_id"]),
                                tiers, policy, YEAR, "policies.csv")
    got = r.reminders.set_index("policy_id")
    assert got.loc["P1", "days_ahead"] == 59 and got.loc["P1", "status"] == "late"
    assert got.loc["P2", "status"] == "on time" and got.loc["P3", "status"] == "missing"
    assert str(got.loc["P1", "deadline"].date()) == "2025-07-30"
    by_tier = r.by_tier.set_index("tier")
    assert by_tier.loc["gold", ["expiries", "late"]].tolist() == [1, 1]


def test_maturity_and_lapse_notices(policy, tiers):
    raw = pd.DataFrame({
        "policy_id": ["P1", "P2", "P3"], "customer_id": ["G1", "S1", "R1"],
        "expiry_date": ["2025-06-30", "2025-06-30", "2025-12-31"],
        "reminder_date": ["2025-04-01", "2025-04-01", ""],
        "renewed": ["否", "是", "否"],
        "lapse_date": ["", "", "2025-05-10"],
        # P1 matured unrenewed 06-30, notice 07-07 = 7 days after ≤ 7 -> on time; P2 renewed:
        # no notice owed; P3 lapsed 05-10, notice 05-20 = 10 days > 7 -> late
        "notice_date": ["2025-07-07", "", "2025-05-20"]})
    r = renewals.check_renewals(events.validate_policies(raw, "policies.csv", tiers["customer_id"]),
                                tiers, policy, YEAR)
    n = r.notices.set_index("policy_id")
    assert list(n.index) == ["P1", "P3"]
    assert n.loc["P1", ["days_after", "status"]].tolist() == [7, "on time"]
    assert n.loc["P3", ["days_after", "status"]].tolist() == [10, "late"]
    # P3 lapsed 05-10, before its reminder deadline 2025-10-31: no reminder owed
    assert "P3" not in set(r.reminders["policy_id"])


# ----------------------------------------------------------------------------- hotline
def hotline_log(tiers):
    raw = pd.DataFrame({
        "customer_id": ["G1", "G1", "S1", "R1"],
        "kind": ["投诉", "complaint", "enquiry", "enquiry"],
        # Fri 2025-06-06 -> Mon 06-09: 3 calendar days (1 working day) -> on time
        # Fri 2025-06-06 -> Tue 06-10: 4 calendar days (2 working days) -> late under 三天内
        # enquiry Tue 06-10 -> Wed 06-11: 1 day > same day -> late;  R1 regular: no standard
        "received_date": ["2025-06-06", "2025-06-06", "2025-06-10", "2025-06-10"],
        "answered_date": ["2025-06-09", "2025-06-10", "2025-06-11", "2025-06-12"]})
    return events.validate_hotline(raw, "hotline.csv", tiers["customer_id"], YEAR)


def test_complaint_on_third_calendar_day_over_weekend_and_fourth(policy, tiers):
    h = hotline.check_hotline(hotline_log(tiers), tiers, policy)
    c = h.calls
    assert c["calendar_days"].tolist() == [3, 4, 1] and c["working_days"].tolist() == [1, 2, 1]
    assert c["on_time"].tolist() == [True, False, False]
    assert len(h.outside_standard) == 1 and h.outside_standard["customer_id"].iloc[0] == "R1"
    assert policy.provenance["hotline.complaint_calendar_days"].assumed


def test_working_day_reading_of_three_days(policy, tiers):
    # the other reading: 2 working days ≤ 3 -> the Tuesday answer is on time too
    working = policy.with_values({"hotline.complaint_calendar_days": False})
    h = hotline.check_hotline(hotline_log(tiers), tiers, working)
    assert h.calls["on_time"].tolist() == [True, True, False]


# ----------------------------------------------------------------------------- disability claims
def test_disability_claim_over_15_days_is_exempt(policy, tiers):
    raw = pd.DataFrame({
        "customer_id": ["R1", "R1"], "service_type": ["claim_investigated"] * 2,
        # Mon 2025-03-03 -> Tue 03-25: Mar 4–7 (4) + 10–14 (5) + 17–21 (5) + 24–25 (2) = 16
        # working days > the regular investigated limit 15 (第17条 3)
        "start_date": ["2025-03-03"] * 2, "end_date": ["2025-03-25"] * 2,
        "disability_assessment": ["是", "否"]})
    log = events.validate_log(raw, events.SERVICE_LOG_SCHEMA, "events.csv", tiers["customer_id"])
    got = compliance.service_compliance(log, tiers, policy, "events.csv").events
    assert got["working_days"].tolist() == [16, 16]
    assert got["exempt"].tolist() == [True, False]
    assert got["within_limit"].tolist() == [True, False]
    assert got["excess_days"].tolist() == [0, 1]


# ----------------------------------------------------------------------------- samples
def test_samples_show_every_section(policy):
    from tiermodel.run_inputs import load_inputs
    from tiermodel.budget.services import catalogue

    tiers = load_inputs(None, None, None, "yuan", 2003).tiering().table
    ex = events.validate_executives(events.sample_executives(tiers["branch"], 4), "ex", tiers["branch"])
    costs = catalogue(policy)["unit_cost_base_cny"].to_dict()
    logs = events.load_delivery_logs(tiers, ex, costs, seed=2003, year=YEAR)
    again = events.load_delivery_logs(tiers, ex, costs, seed=2003, year=YEAR)
    assert logs.samples == ["delivery", "hotline", "policies"]
    pd.testing.assert_frame_equal(logs.delivery, again.delivery)  # seeded
    d = delivery.check_delivery(logs.delivery, tiers, ex, policy, YEAR)
    assert len(d.below_standard) > 0
    r = renewals.check_renewals(logs.policies, tiers, policy, YEAR)
    assert (r.reminders["status"] == "late").any() and (r.reminders["status"] == "missing").any()
    h = hotline.check_hotline(logs.hotline, tiers, policy)
    assert (~h.calls["on_time"]).any()


# ----------------------------------------------------------------------------- command line
def test_assess_refuses_a_bad_delivery_file_with_exit_2(tmp_path, capsys):
    from tiermodel import cli

    bad = tmp_path / "delivery.csv"
    bad.write_text("customer_id,service,date,cost_cny\nC000001,massage,2025-03-01,-5\n", encoding="utf-8")
    out = tmp_path / "assess.xlsx"
    assert cli.main(["assess", "--delivery", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "delivery.csv" in err
    assert "column 'service': unknown service name 'massage'" in err and "cost -5 is negative" in err
    assert not out.exists()


def test_malformed_hotline_and_policy_tables_are_refused(tiers):
    raw = pd.DataFrame({"customer_id": ["G1", "S1"], "kind": ["投诉", "chat"],
                        "received_date": ["2025-06-06", "2024-06-06"], "answered_date": ["2025-06-05", ""]})
    with pytest.raises(InputTableError) as err:
        events.validate_hotline(raw, "hotline.csv", tiers["customer_id"], YEAR)
    text = str(err.value)
    assert "row 2, customer G1, column 'answered_date': answered 2025-06-05 before it was received 2025-06-06" in text
    raw = raw.assign(kind=["投诉", "咨询"])
    with pytest.raises(InputTableError, match="row 3, customer S1, column 'received_date': 2024-06-06 is outside "
                                              "the year 2025"):
        events.validate_hotline(raw, "hotline.csv", tiers["customer_id"], YEAR)
    pol = pd.DataFrame({"policy_id": ["P1", "P1"], "customer_id": ["G1", "S1"],
                        "expiry_date": ["2025-06-30", "2025-06-30"], "reminder_date": ["2025-04-01", "2025-07-01"]})
    with pytest.raises(InputTableError) as err:
        events.validate_policies(pol, "policies.csv", tiers["customer_id"])
    text = str(err.value)
    assert "row 3, customer S1, column 'policy_id': policy 'P1' listed twice" in text
    assert "row 3, customer S1, column 'reminder_date': 2025-07-01 is after the expiry 2025-06-30" in text


def test_sample_banner_is_the_first_row_of_a_sheet(tmp_path):
    import openpyxl

    from tiermodel.io import write_sheets
    from tiermodel.report import mark_samples

    tables = {"from a file": pd.DataFrame({"a": [1]}), "from a sample": pd.DataFrame({"a": [2]})}
    marked = mark_samples(tables, {"from a file": ("policies",), "from a sample": ("delivery",)}, ["delivery"])
    assert "banner" not in tables["from a sample"].attrs  # the caller's tables are left alone
    path = write_sheets(marked, tmp_path / "w.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb["from a file"]["A1"].value == "a"
    # the mark in the report's language (zh by default), naming the sample input by its reader's name
    assert wb["from a sample"]["A1"].value == "样本数据：基于随机样本（服务落实记录），并非实际数据"
    english = mark_samples(tables, {"from a sample": ("delivery",)}, ["delivery"], lang="en")
    assert english["from a sample"].attrs["banner"] == ("SAMPLE DATA: built on the seeded sample (delivery log), "
                                                        "not on your data")
    assert wb["from a sample"]["A3"].value == "a" and wb["from a sample"]["A4"].value == 2


def test_birthday_counted_alike_in_minima_and_budget(policy):
    # Issue 24 (第18条 2④, 第12条): a Gold VIP approved in August is served from September, 4
    # months. The birthday greeting is prorated in both the delivery minima and the 附件七 budget
    # (the date is not recorded): share 4/12 of a greeting per key person.
    #   budget (2003 prices): first object 1 × 4/12 = 0.3333 × 120 = 40.00 CNY;
    #                         second objects 2 × 4/12 = 0.6667 × 80 = 53.33 CNY
    #   minima: the same shares, rounded up (part_year_rounding ceil): ceil(0.33) = 1,
    #           ceil(0.67) = 1; rounded down (floor): 0 and 0
    from tiermodel.budget import annex7
    from tiermodel.budget.services import catalogue

    t = pd.DataFrame({"customer_id": ["G8"], "branch": ["Beijing"], "branch_class": ["A"], "is_new": [False],
                      "tier": ["gold"], "first_service_objects": [1], "second_service_objects": [2],
                      "approval_month": [8]})
    vips = delivery.delivery_vips(t, policy)
    assert vips["service_months"].tolist() == [4]
    mins, items = delivery.minimums(policy), catalogue(policy)
    for name in ("birthday_first_object", "birthday_second_object"):
        assert bool(mins.at[name, "prorate"]) and bool(items.at[name, "prorate"])  # the same reading
        assert policy.provenance[f"delivery_minimums.{name}"].assumed
    est = annex7.estimate(vips, policy, 2003)  # the same VIP table: the same 4 months
    assert est.quantity.loc["G8", "birthday_first_object"] == pytest.approx(4 / 12)
    assert est.cost.loc["G8", "birthday_first_object"] == pytest.approx(40.0)
    assert est.quantity.loc["G8", "birthday_second_object"] == pytest.approx(8 / 12)
    assert est.cost.loc["G8", "birthday_second_object"] == pytest.approx(160 / 3)
    cols = [mins.index.get_loc(n) for n in ("birthday_first_object", "birthday_second_object")]
    assert delivery.required_matrix(vips, mins, policy)[0, cols].tolist() == [1, 1]
    assert delivery.required_matrix(vips, mins, policy, rounding="floor")[0, cols].tolist() == [0, 0]


def test_new_readings_are_flagged_assumptions(policy):
    # Issue 24: readings of the text filed as assumptions, each with a reason
    for path in ("delivery_minimums.policy_report", "delivery_minimums.satisfaction_survey",
                 "delivery_minimums.revisit_gold", "delivery_minimums.revisit_silver", "revisits.regular_per_year",
                 "service_times.renewal_reminder_reading", "branch_scorecard.composite"):
        prov = policy.provenance[path]
        assert prov.assumed and prov.reason, path
    assert "根据实际情况" in policy.provenance["delivery_minimums.policy_report"].reason
    assert "续期" in policy.provenance["service_times.renewal_reminder_reading"].reason
    assert "campaign" in policy.provenance["revisits.regular_per_year"].reason
    # the revisit difference is flagged on both sides: minima prorate, the budget prices in full
    assert "flagged difference" in policy.provenance["delivery_minimums.revisit_gold"].reason.lower()
    assert "flagged difference" in policy.provenance["service_catalogue.revisit_gold"].reason
