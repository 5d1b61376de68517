"""The year under review, computed once (issue 22): dates by reading, overrides within the rules,
and every consumer taking the same dates. Expected values worked by hand from 第8条, 第11–13条."""
from __future__ import annotations

import pandas as pd
import pytest

from conftest import customers
from tiermodel import assess, budget, events
from tiermodel.compare import review_year
from tiermodel.errors import InputTableError
from tiermodel.history import validate_overrides
from tiermodel.scoring import score
from tiermodel.tiers import assign_tiers

# Gold by 第11条: health premium ≥ 5,000,000 at a loss ratio ≤ 60 %
GOLD_ROW = {"effective_years": 10, "health_premium": 6_000_000, "health_loss_ratio": 0.50, "profit_margin": 0.07}
# Silver only (class C: health ≥ 1,000,000), no Gold criterion
SILVER_ROW = {"effective_years": 10, "health_premium": 2_000_000, "health_loss_ratio": 0.50, "profit_margin": 0.07}
NEW = {"effective_years": 1, "is_new": True}


def _tier(rows, policy, capacity=None):
    return assign_tiers(score(customers(*rows), policy), policy, capacity)


def _overrides(rows, ids):
    raw = pd.DataFrame(rows, columns=["customer_id", "action", "tier", "reason", "approver", "date"])
    return validate_overrides(raw, ids, "overrides.csv")


def _book(policy):
    # G1 Gold, insured before this year (continuing by the default reading); N1 a new customer
    # rated Gold; S1 Silver only, existing; R1 no criterion.
    return _tier([{**GOLD_ROW, "customer_id": "G1"}, {**GOLD_ROW, **NEW, "customer_id": "N1"},
                  {**SILVER_ROW, "customer_id": "S1"}, {"customer_id": "R1"}], policy)


def test_dates_by_reading(policy):
    year = review_year(_book(policy), policy, 2026)
    t = year.table.set_index("customer_id")
    # continuing Gold: served from 1 January, January–December = 12 months
    assert t.loc["G1", "service_start"] == pd.Timestamp(2026, 1, 1) and t.loc["G1", "service_months"] == 12
    assert t.loc["G1", "date_reading"] == "continuing"
    # new customer: approved in July (flagged reading new_gold_approval_month = 7), served from
    # the next month (第12条 从确定次月), 1 August: August–December = 12 − 7 = 5 months
    assert t.loc["N1", "approval_date"] == pd.Timestamp(2026, 7, 15)
    assert t.loc["N1", "service_start"] == pd.Timestamp(2026, 8, 1) and t.loc["N1", "service_months"] == 5
    assert t.loc["N1", "date_reading"] == "new_customer"
    # a Regular customer has no approval date and no months of service
    assert pd.isna(t.loc["R1", "approval_date"]) and t.loc["R1", "service_months"] == 0
    # who is a VIP on 3 March: G1 (Gold all year), S1 (continuing Silver); N1 still Regular
    assert year.tier_on(["N1", "N1", "G1"], ["2026-03-03", "2026-08-01", "2026-03-03"]).tolist() == \
        ["regular", "gold", "gold"]
    assert sorted(year.vips_on("2026-03-03")["customer_id"]) == ["G1", "S1"]
    assert list(year.tables())[:2] == ["service year", "service year counts"]


def test_an_override_on_1_march_serves_from_1_april(policy):
    t = _book(policy)
    # S1 forced out of Silver on 1 March: Regular from 1 April; before, served as Silver
    ov = _overrides([["S1", "out", "silver", "客户要求", "总经理室", "2026-03-01"]], t.table["customer_id"])
    year = review_year(t, policy, 2026, overrides=ov)
    row = year.table.set_index("customer_id").loc["S1"]
    assert row["tier"] == "regular" and row["service_start"] == pd.Timestamp(2026, 4, 1)
    assert row["date_reading"] == "override"
    assert year.tier_on(["S1", "S1"], ["2026-03-31", "2026-04-01"]).tolist() == ["silver", "regular"]


def test_a_gold_override_in_on_1_march_serves_from_1_april(policy):
    # 31 Gold-eligible existing customers: E31 (largest id at equal index) outside the 30 places.
    rows = [{**GOLD_ROW, "customer_id": f"E{i:02d}"} for i in range(1, 32)]
    t = _tier(rows, policy)
    ov = _overrides([["E01", "out", "gold", "经营风险", "总经理室", "2026-01-10"],
                     ["E31", "in", "gold", "战略客户", "总经理室", "2026-03-01"]], t.table["customer_id"])
    year = review_year(t, policy, 2026, overrides=ov)
    row = year.table.set_index("customer_id").loc["E31"]
    # approved 1 March → service from 1 April: April–December = 12 − 3 = 9 months
    assert row["tier"] == "gold" and row["service_start"] == pd.Timestamp(2026, 4, 1)
    assert row["service_months"] == 9
    vips = budget.vip_table(year.table, policy).set_index("customer_id")
    assert vips.loc["E31", "service_months"] == 9


def test_a_gold_override_without_a_criterion_is_refused(policy):
    t = _book(policy)
    ov = _overrides([["S1", "in", "gold", "战略客户", "总经理室", "2026-01-10"]], t.table["customer_id"])
    with pytest.raises(InputTableError) as err:
        review_year(t, policy, 2026, overrides=ov)
    msg = str(err.value)
    assert "overrides.csv" in msg and "row 2" in msg and "customer S1" in msg and "第11条" in msg
    # the flagged reading lets it through (off by default)
    allowing = policy.with_values({"readings.override_gold_without_criterion": True})
    year = review_year(_book(allowing), allowing, 2026, overrides=ov)
    assert year.table.set_index("customer_id").loc["S1", "tier"] == "gold"


def test_an_override_making_the_new_pool_11_is_refused(policy):
    # 11 new Gold-eligible customers: 10 take the new places (第13条), N11 stays outside.
    rows = [{**GOLD_ROW, **NEW, "customer_id": f"N{i:02d}"} for i in range(1, 12)]
    t = _tier(rows, policy)
    assert (t.table["tier"] == "gold").sum() == 10
    ov = _overrides([["N11", "in", "gold", "战略客户", "总经理室", "2026-02-01"]], t.table["customer_id"])
    with pytest.raises(InputTableError) as err:
        review_year(t, policy, 2026, overrides=ov)
    # Gold would be 11 < 40 in all, but the new pool 10 + 1 = 11 > 10
    msg = str(err.value)
    assert "row 2" in msg and "customer N11" in msg and "makes 11 in the pool of new customers' places" in msg


def test_a_head_office_silver_override_is_refused(policy):
    # R1 meets no criterion, S2 is Silver-eligible; branch capacity 1 held by S1.
    rows = [{**SILVER_ROW, "customer_id": "S1", "health_premium": 3_000_000},
            {**SILVER_ROW, "customer_id": "S2"}]
    t = _tier(rows, policy, capacity=pd.Series({"Hefei": 1}))
    assert t.table.set_index("customer_id")["tier"].astype(str).to_dict() == {"S1": "silver", "S2": "regular"}
    ov = _overrides([["S2", "in", "silver", "战略客户", "总经理室", "2026-01-10"]], t.table["customer_id"])
    with pytest.raises(InputTableError) as err:  # 第8条: Silver is the branch's decision
        review_year(t, policy, 2026, overrides=ov)
    assert "row 2" in str(err.value) and "customer S2" in str(err.value) and "第8条" in str(err.value)
    allowing = policy.with_values({"readings.head_office_silver_override": True})
    with pytest.raises(InputTableError) as err:  # allowed by the reading, but 1 + 1 = 2 > 1 place
        review_year(t, allowing, 2026, overrides=ov)
    assert "would hold 2 Silver customers, beyond its 1 places" in str(err.value)


def _hotline(rows):
    raw = pd.DataFrame(rows, columns=["call_id", "customer_id", "kind", "received_date", "answered_date"])
    return events.validate_hotline(raw, "hotline.csv", ["G1", "N1", "S1", "R1"]) \
        if "validate_hotline" in dir(events) else raw


def test_a_new_customer_is_a_vip_from_august_in_every_check(policy):
    year = review_year(_book(policy), policy, 2026)
    # budget: N1 5 months (August–December), G1 12
    months = budget.vip_table(year.table, policy).set_index("customer_id")["service_months"]
    assert months["N1"] == 5 and months["G1"] == 12
    # delivery minima: Gold revisits 3 a year (第18条 2③) × 5/12 = 1.25 → rounded up (minima) = 2
    vips = assess.delivery.delivery_vips(year, policy).set_index("customer_id")
    assert vips.loc["N1", "service_months"] == 5 and vips.loc["N1", "first_month"] == 8
    mins = assess.delivery.minimums(policy)
    req = assess.delivery.required_matrix(vips.reset_index(), mins, policy)
    col = list(mins.index).index("revisit_gold")
    assert req[list(vips.index).index("N1"), col] == 2 and req[list(vips.index).index("G1"), col] == 3
    # hotline: N1's 3 March call comes before its VIP service → not judged (Regular has no
    # hotline standard); its 3 September call is judged: complaint answered 3 → 10 Sept = 7 days > 3
    calls = pd.DataFrame({"call_id": ["a", "b"], "customer_id": ["N1", "N1"], "kind": ["complaint", "complaint"],
                          "received_date": pd.to_datetime(["2026-03-03", "2026-09-03"]),
                          "answered_date": pd.to_datetime(["2026-03-10", "2026-09-10"]),
                          "complaint_id": ["", ""]})
    check = assess.check_hotline(calls, year, policy)
    assert check.calls["call_id"].tolist() == ["b"] and check.outside_standard["call_id"].tolist() == ["a"]
    assert check.calls["calendar_days"].tolist() == [7] and not check.calls["on_time"].iloc[0]
    # complaints (第34条 ①): back office sanctioned only for VIP service; 3 March N1 was Regular
    log = pd.DataFrame({"complaint_id": ["k1", "k2"], "complaint_date": pd.to_datetime(["2026-03-03", "2026-09-03"]),
                        "customer_id": ["N1", "N1"], "person": ["王", "王"], "role": ["back_office", "back_office"],
                        "verified": [True, True], "below_vip_standard": [True, True]})
    screened = assess.complaints.screen_complaints(log, year)
    assert screened["counts"].tolist() == [False, True]
    assert screened["tier"].tolist() == ["regular", "gold"]


def test_changing_the_approval_reading_moves_every_consumer(policy):
    # new Gold approved in April instead of July: service from 1 May, May–December = 12 − 4 = 8 months
    april = policy.with_values({"budget_assumptions.new_gold_approval_month": 4})
    year = review_year(_book(april), april, 2026)
    assert year.table.set_index("customer_id").loc["N1", "service_start"] == pd.Timestamp(2026, 5, 1)
    assert budget.vip_table(year.table, april).set_index("customer_id").loc["N1", "service_months"] == 8
    assert assess.delivery.delivery_vips(year, april).set_index("customer_id").loc["N1", "service_months"] == 8
    # the 5 May call and complaint now fall in VIP service (they did not under July)
    calls = pd.DataFrame({"call_id": ["a"], "customer_id": ["N1"], "kind": ["enquiry"],
                          "received_date": pd.to_datetime(["2026-05-05"]),
                          "answered_date": pd.to_datetime(["2026-05-05"]), "complaint_id": [""]})
    assert assess.check_hotline(calls, year, april).calls["call_id"].tolist() == ["a"]
    july = review_year(_book(policy), policy, 2026)
    assert assess.check_hotline(calls, july, policy).calls.empty
    log = pd.DataFrame({"complaint_id": ["k1"], "complaint_date": pd.to_datetime(["2026-05-05"]),
                        "customer_id": ["N1"], "person": ["王"], "role": ["back_office"],
                        "verified": [True], "below_vip_standard": [True]})
    assert assess.complaints.screen_complaints(log, year)["counts"].tolist() == [True]
    assert assess.complaints.screen_complaints(log, july)["counts"].tolist() == [False]
    # the budget: N1's Gold services for 8 months instead of 5 — the per-customer pro-rated cost
    # rises by 8/5 on the pro-rated services, so the total rises
    assert budget.estimate(year, april).total > budget.estimate(july, policy).total
    # 附件一 and the published lists carry the same service start
    from tiermodel.compare import approval_table, published_lists
    annex1 = approval_table(year, april).set_index("customer_id")
    assert annex1.loc["N1", "service_start"] == pd.Timestamp(2026, 5, 1)
    assert published_lists(year)["gold"].set_index("customer_id").loc["N1", "service_start"] == \
        pd.Timestamp(2026, 5, 1)
