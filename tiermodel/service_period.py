"""The one rule for when a tier applies (第12条 "从确定次月开始"), vectorised.

Every customer of the year's list gets one approval date, one service start and its months
of service, and the reading that produced them:

* ``continuing`` — the same tier as last year: served from 1 January, 12 months;
* ``list`` — rated with the year's list (approved on the due day of the approval month,
  15 January by default): service from the first of the next month;
* ``new_customer`` — this year's new customer, rated during the year (第13条): approved in
  the flagged month ``budget_assumptions.new_gold_approval_month`` /
  ``new_silver_approval_month`` (assumed July), service from the next month;
* ``override`` — head office's override: its own date, service from the next month.

Before its service start a customer is served, and assessed, at last year's tier. The year
under review (:class:`tiermodel.compare.ServiceYear`) calls this once; nothing else works
dates out.
"""
from __future__ import annotations

import numpy as np

from .policy import Policy
from .vocabulary import GOLD, REGULAR, SILVER

#: Readings of a date, in code order (``date_reading`` codes).
DATE_READINGS = ("continuing", "list", "new_customer", "override")
CONTINUING, LIST, NEW_CUSTOMER, OVERRIDE = 0, 1, 2, 3


def previous_tier_codes(tier: np.ndarray, is_new: np.ndarray, policy: Policy) -> np.ndarray:
    """Last year's tier where no list of last year is given (``service_start.previous_tier_default``,
    assumed): a customer insured before this year keeps its tier, a new one was regular."""
    if policy.service_start.previous_tier_default == "regular":
        return np.full(len(tier), REGULAR, dtype=np.int8)
    return np.where(is_new, REGULAR, tier).astype(np.int8)


def service_dates(tier: np.ndarray, previous: np.ndarray, is_new: np.ndarray, override_date: np.ndarray,
                  year: int, policy: Policy) -> dict[str, np.ndarray]:
    """Approval date, service start, months of service and reading of each customer (第12–13条).

    Parameters
    ----------
    tier, previous : ndarray of int
        This year's and last year's tier codes (0 Gold, 1 Silver, 2 Regular).
    is_new : ndarray of bool
        This year's new customers (第13条).
    override_date : ndarray of datetime64[D]
        Date of head office's override (NaT where none).
    year : int
        The service year [year].
    policy : Policy
        ``service_start``, ``annual_cycle`` (list due day) and ``budget_assumptions`` (the
        new customers' approval month).

    Returns
    -------
    dict
        ``approval_date`` and ``service_start`` (datetime64[D]; for a continuing customer
        the list's approval date and 1 January), ``service_months`` [months, 0–12; 0 for a
        Regular customer] and ``date_reading`` (int8 codes into :data:`DATE_READINGS`).
    """
    tier = np.asarray(tier, dtype=np.int8)
    previous = np.asarray(previous, dtype=np.int8)
    is_new = np.asarray(is_new, dtype=bool)
    override_date = np.asarray(override_date, dtype="datetime64[D]")
    ss, ba, ac = policy.service_start, policy.budget_assumptions, policy.annual_cycle
    overridden = ~np.isnat(override_date)
    continuing = (tier == previous) & ~overridden
    new = is_new & (tier != REGULAR) & ~continuing & ~overridden
    reading = np.select([overridden, continuing, new], [OVERRIDE, CONTINUING, NEW_CUSTOMER], LIST).astype(np.int8)
    year_start = np.datetime64(f"{int(year):04d}-01", "M")
    month = np.where(tier == GOLD, ba.new_gold_approval_month,
                     np.where(tier == SILVER, ba.new_silver_approval_month, ss.approval_month))
    month = np.where(reading == NEW_CUSTOMER, month, ss.approval_month)
    day = np.timedelta64(ac.list_due_day - 1, "D")
    assumed = (year_start + (month - 1).astype("timedelta64[M]")).astype("datetime64[D]") + day
    approval = np.where(overridden, override_date, assumed)
    start = (approval.astype("datetime64[M]") + np.timedelta64(ss.months_after_approval, "M")).astype("datetime64[D]")
    start = np.where(reading == CONTINUING, year_start.astype("datetime64[D]"), start)
    months_from_start = (start.astype("datetime64[M]") - year_start).astype(np.int64)
    months = np.clip(12 - months_from_start, 0, 12)
    months = np.where(tier == REGULAR, 0, months).astype(np.int64)
    return {"approval_date": approval, "service_start": start, "service_months": months, "date_reading": reading}


def tier_on(tier: np.ndarray, previous: np.ndarray, start: np.ndarray, dates: np.ndarray) -> np.ndarray:
    """The tier served on each date [codes]: this year's from its service start, last year's before."""
    dates = np.asarray(dates, dtype="datetime64[D]")
    return np.where(dates >= np.asarray(start, dtype="datetime64[D]"), tier, previous).astype(np.int8)


__all__ = ["CONTINUING", "DATE_READINGS", "LIST", "NEW_CUSTOMER", "OVERRIDE", "previous_tier_codes",
           "service_dates", "tier_on"]
