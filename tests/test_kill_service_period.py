"""service_period.py, the one rule for when a tier applies (第12条 "从确定次月开始"), on arrays
worked by hand: every date reading, the months of service clipped to 0–12, last year's tier by
default, and the tier served on a date.

Policy here: the list approved in February (service_start.approval_month 2, flagged reading) on
the due day 15 (第26条), service from the next month (months_after_approval 1, 第12条); new
Gold customers approved in July, new Silver in September (budget_assumptions, flagged).
"""
from __future__ import annotations

import numpy as np
import pytest

from tiermodel.service_period import previous_tier_codes, service_dates, tier_on

G, S, R = 0, 1, 2
NAT = np.datetime64("NaT")


@pytest.fixture(scope="module")
def pol(policy):
    return policy.with_values({"service_start.approval_month": 2,
                               "budget_assumptions.new_gold_approval_month": 7,
                               "budget_assumptions.new_silver_approval_month": 9}, note="test")


def D(s):
    return np.datetime64(s, "D")


# customer: (tier, last year's tier, new, override date)
CASES = [
    (G, G, False, NAT),            # 0 continuing Gold
    (G, S, False, NAT),            # 1 Silver → Gold with the list
    (G, R, True, NAT),             # 2 new customer rated Gold
    (S, R, True, NAT),             # 3 new customer rated Silver
    (R, R, True, NAT),             # 4 new Regular: the same tier as "last year"
    (R, S, False, NAT),            # 5 Silver → Regular with the list
    (S, S, False, D("2026-03-01")),  # 6 override on 1 March
    (G, R, True, D("2026-12-20")),   # 7 override on 20 December
    (S, S, True, NAT),             # 8 new, but the same tier as last year's
    (R, G, True, NAT),             # 9 new customer, Regular
    (S, R, False, D("2025-11-10")),  # 10 override dated last November
]


@pytest.fixture(scope="module")
def dates(pol):
    tier, prev, new, ov = (np.array(c, dtype=object) for c in zip(*CASES))
    return service_dates(tier.astype(np.int8), prev.astype(np.int8), new.astype(bool),
                         ov.astype("datetime64[D]"), 2026, pol)


def test_readings(dates):
    # 0 continuing, 1 list, 2 new_customer, 3 override
    # 4 and 8: the same tier as last year → continuing, new or not; 9 new but Regular → list
    assert dates["date_reading"].tolist() == [0, 1, 2, 2, 0, 1, 3, 3, 0, 1, 3]


def test_approval_dates(dates):
    # the list: February 15 (month 2, day 15); new Gold July 15, new Silver September 15;
    # an override its own date
    assert dates["approval_date"].tolist() == [D(x).item() for x in (
        "2026-02-15", "2026-02-15", "2026-07-15", "2026-09-15", "2026-02-15", "2026-02-15",
        "2026-03-01", "2026-12-20", "2026-02-15", "2026-02-15", "2025-11-10")]


def test_service_starts(dates):
    # continuing: 1 January; else the first of the month after approval
    assert dates["service_start"].tolist() == [D(x).item() for x in (
        "2026-01-01", "2026-03-01", "2026-08-01", "2026-10-01", "2026-01-01", "2026-03-01",
        "2026-04-01", "2027-01-01", "2026-01-01", "2026-03-01", "2025-12-01")]


def test_months_of_service(dates):
    # 12 − months from January to the start: March 10, August 5, October 3, April 9;
    # from 1 January 2027: 12 − 12 = 0; from 1 December 2025: 12 − (−1) = 13 → 12;
    # a Regular customer 0 whatever its dates
    assert dates["service_months"].tolist() == [12, 10, 5, 3, 0, 0, 9, 0, 12, 0, 12]
    assert dates["service_months"].dtype == np.int64


def test_last_years_tier_by_default(policy):
    tier = np.array([G, S, R, G], dtype=np.int8)
    new = np.array([False, False, False, True])
    # same_tier_unless_new (assumed): a customer insured before keeps its tier, a new one was Regular
    assert previous_tier_codes(tier, new, policy).tolist() == [G, S, R, R]
    reg = policy.with_values({"service_start.previous_tier_default": "regular"}, note="test")
    assert previous_tier_codes(tier, new, reg).tolist() == [R, R, R, R]


def test_tier_served_on_a_date():
    tier = np.array([G, S, R], dtype=np.int8)
    prev = np.array([R, G, S], dtype=np.int8)
    start = np.array(["2026-03-01", "2026-03-01", "2026-03-01"], dtype="datetime64[D]")
    # the day before the start: last year's tier; the start itself and after: this year's
    on = tier_on(tier, prev, start, np.array(["2026-02-28", "2026-03-01", "2026-12-31"], dtype="datetime64[D]"))
    assert on.tolist() == [R, S, R]
    assert tier_on(tier, prev, start, np.array(["2026-03-01"] * 3, dtype="datetime64[D]")).tolist() == [G, S, R]
