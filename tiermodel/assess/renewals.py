"""Renewal reminders and maturity/lapse notices (第17条 4–5), for every customer.

A renewal reminder is on time when sent at least ``service_times.renewal_reminder_months_ahead``
(2) calendar months before the expiry: on or before the expiry date moved back that many
months (2025-09-30 → 2025-07-30; a month-end falls on the shorter month's last day). A
policy expiring with no reminder is listed. A policy that lapses (失效) needs a lapse notice
(复效通知), one that matures without renewal (满期) a maturity notice (领取通知); the text says
及时 (timely): within ``delivery_rules.notice_max_days`` calendar days after the event
(assumed 7).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..notes import Note, note
from ..policy import Policy
from ..result import Result
from ..vocabulary import TIERS
from ._lookup import with_tiers


@dataclass
class RenewalCheck(Result):
    """Result of :func:`check_renewals`.

    ``reminders``: one row per policy with its reminder deadline, days ahead [days] and
    status (on time / late / missing); ``by_branch``: per branch and tier the expiries,
    reminders on time, late and missing and the on-time share [share]; ``notices``: one row
    per lapse or unrenewed maturity with its notice status.
    """

    reminders: pd.DataFrame
    by_branch: pd.DataFrame
    by_tier: pd.DataFrame
    notices: pd.DataFrame

    def problems(self) -> pd.DataFrame:
        """Reminders late or missing, worst first."""
        r = self.reminders[self.reminders["status"] != "on time"]
        return r.sort_values(["status", "days_ahead", "policy_id"], na_position="first").reset_index(drop=True)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Reminders by tier and by branch, the late or missing reminders, and the notices."""
        return {"renewal reminders by tier": self.by_tier, "renewal reminders by branch": self.by_branch,
                "renewal reminders late": self.problems(), "maturity lapse notices": self.notices}

    def note(self) -> Note:
        """The reminders sent in time, late and missing (``assess.renewals``) [policies]."""
        t = self.by_tier
        return note("assess.renewals", on_time=int(t["on_time"].sum()), expiries=int(t["expiries"].sum()),
                    late=int(t["late"].sum()), missing=int(t["missing"].sum()))

    def notice_counts(self) -> pd.DataFrame:
        """Maturity and lapse notices per kind and status [notices]."""
        return self.notices.groupby(["notice", "status"]).size().rename("notices").reset_index()


def _summary(r: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    g = r.groupby(by, observed=True, sort=True)["status"]
    out = pd.DataFrame({"expiries": g.size(), "on_time": g.apply(lambda s: int((s == "on time").sum())),
                        "late": g.apply(lambda s: int((s == "late").sum())),
                        "missing": g.apply(lambda s: int((s == "missing").sum()))})
    out["on_time_share"] = out["on_time"] / out["expiries"]
    return out.reset_index()


def check_renewals(policies: pd.DataFrame, tier_table: pd.DataFrame, policy: Policy, year: int | None = None,
                   file: str = "<policies>") -> RenewalCheck:
    """Renewal reminders two months ahead (第17条 4) and maturity/lapse notices (第17条 5).

    Parameters
    ----------
    policies : DataFrame
        Validated policy table (:func:`tiermodel.events.validate_policies`).
    tier_table : DataFrame
        Tier table (``customer_id``, ``branch``, ``tier``).
    policy : Policy
        ``service_times.renewal_reminder_months_ahead`` [months] and
        ``delivery_rules.notice_max_days`` [calendar days].
    year : int, optional
        Only policies expiring in this year [year] (default all).
    file : str
        Name of the table in messages.

    Returns
    -------
    RenewalCheck
        Per policy the deadline and status; per tier and branch the counts and on-time share.
    """
    p = with_tiers(policies, tier_table, file)
    if year is not None:
        p = p[p["expiry_date"].dt.year == year].reset_index(drop=True)
    months = policy.service_times.renewal_reminder_months_ahead
    deadline = p["expiry_date"] - pd.DateOffset(months=months)
    lapsed = p["lapse_date"].notna().to_numpy()
    due = ~lapsed | (p["lapse_date"] > deadline).to_numpy()  # a policy lapsed before the deadline owes none
    sent = p["reminder_date"].notna().to_numpy()
    status = np.where(~sent, "missing", np.where((p["reminder_date"] <= deadline).to_numpy(), "on time", "late"))
    reminders = pd.DataFrame({
        "policy_id": p["policy_id"], "customer_id": p["customer_id"], "branch": p["branch"],
        "tier": pd.Categorical(p["tier"], categories=list(TIERS)), "expiry_date": p["expiry_date"],
        "deadline": deadline, "reminder_date": p["reminder_date"],
        "days_ahead": (p["expiry_date"] - p["reminder_date"]).dt.days, "status": status})[due].reset_index(drop=True)

    limit = pd.to_timedelta(policy.delivery_rules.notice_max_days, unit="D")
    matured = ~lapsed & ~p["renewed"].to_numpy(dtype=bool)
    owed = lapsed | matured
    n = p[owed]
    event = n["lapse_date"].where(n["lapse_date"].notna(), n["expiry_date"])
    kind = np.where(n["lapse_date"].notna(), "lapse notice 复效通知", "maturity notice 领取通知")
    has = n["notice_date"].notna().to_numpy()
    ok = (n["notice_date"] <= event + limit).to_numpy()
    notices = pd.DataFrame({
        "policy_id": n["policy_id"], "customer_id": n["customer_id"], "branch": n["branch"],
        "tier": n["tier"], "notice": kind, "event_date": event, "notice_date": n["notice_date"],
        "days_after": (n["notice_date"] - event).dt.days,
        "status": np.where(~has, "missing", np.where(ok, "on time", "late"))}).reset_index(drop=True)
    return RenewalCheck(reminders, _summary(reminders, ["branch", "tier"]), _summary(reminders, ["tier"]), notices)


__all__ = ["RenewalCheck", "check_renewals"]
