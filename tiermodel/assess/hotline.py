"""The VIP hotline (第18条 2①, 附件五): enquiries answered the same day, complaints within
three days, for Gold and Silver customers only.

Regular customers have no hotline standard (``hotline.vip_only``; their enquiries go to
95511, 第17条 7): their calls are counted apart and not judged. Days are counted from the day
received to the day answered (same day = 0). "三天内" is read as calendar days
(``hotline.complaint_calendar_days``, assumed and flagged); the working-day count is shown
beside it, so a complaint received on Friday and answered on Tuesday — 4 calendar days, late;
2 working days — shows what the reading decides. An unanswered call is late.
A complaint that carries the id of the complaint log links to its 第34条 consequence.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import CalendarRangeError
from ..notes import Note, note
from ..policy import Policy
from ..result import Result
from ..vocabulary import VIP_TIERS
from ._lookup import with_tiers
from .calendar import working_days


@dataclass
class HotlineCheck(Result):
    """Result of :func:`check_hotline`: each VIP call with its days [days], limit and verdict
    (``calls``); per tier, branch and kind the calls, on time, late, unanswered and the on-time
    share [share] (``by_branch``, ``by_kind``); the late calls with any 第34条 consequence
    (``late``); the regular customers' calls outside the standard (``outside_standard``)."""

    calls: pd.DataFrame
    by_kind: pd.DataFrame
    by_branch: pd.DataFrame
    late: pd.DataFrame
    outside_standard: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """Timeliness by tier and kind, by branch, and the late calls."""
        return {"hotline by kind": self.by_kind, "hotline by branch": self.by_branch,
                "hotline late calls": self.late}

    def note(self) -> Note:
        """The calls answered in time, late and unanswered (``assess.hotline``) [calls]."""
        h = self.by_kind
        return note("assess.hotline", on_time=int(h["on_time"].sum()), calls=int(h["calls"].sum()),
                    late=int(h["late"].sum()), unanswered=int(h["unanswered"].sum()))

    def outside_note(self) -> Note:
        """The regular customers' calls, which have no hotline standard (``delivery.hotline_outside``)."""
        return note("delivery.hotline_outside", calls=len(self.outside_standard))


def _summary(c: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    if not len(c):  # no VIP calls (a book without VIPs): an empty summary with its columns
        return pd.DataFrame({**{k: pd.Series([], dtype=object) for k in by},
                             **{k: pd.Series([], dtype=np.int64) for k in ("calls", "on_time", "late", "unanswered")},
                             "on_time_share": pd.Series([], dtype=float)})
    g = c.groupby(by, sort=True)
    out = pd.DataFrame({"calls": g.size(), "on_time": g["on_time"].sum(),
                        "late": g["on_time"].apply(lambda s: int((~s).sum())),
                        "unanswered": g["answered_date"].apply(lambda s: int(s.isna().sum()))})
    out["on_time_share"] = out["on_time"] / out["calls"]
    return out.reset_index()


def check_hotline(log: pd.DataFrame, tier_table: pd.DataFrame, policy: Policy,
                  complaints: pd.DataFrame | None = None, file: str = "<hotline>") -> HotlineCheck:
    """Answer times of the VIP hotline against 第18条 2① (附件五).

    Parameters
    ----------
    log : DataFrame
        Validated hotline log (:func:`tiermodel.events.validate_hotline`).
    tier_table : DataFrame or ServiceYear
        Tier table (``customer_id``, ``branch``, ``tier``); the year under review
        (:class:`tiermodel.compare.ServiceYear`) judges a call at the tier served on the
        day it was received (第12条: VIP limits from the service start).
    policy : Policy
        ``hotline``: VIP only, enquiry and complaint days, calendar or working days.
    complaints : DataFrame, optional
        :attr:`tiermodel.assess.ComplaintConsequences.complaints` (第34条): linked by
        ``complaint_id`` to show the person and action of a hotline complaint.
    file : str
        Name of the log in messages.

    Returns
    -------
    HotlineCheck
        Calendar and working days of each call [days], its limit [days] and verdict.
    """
    rules = policy.hotline
    c = with_tiers(log, tier_table, file, on="received_date")  # the tier served that day (第12条)
    vip = c["tier"].isin(VIP_TIERS).to_numpy() | (not rules.vip_only)
    outside = c[~vip].reset_index(drop=True)
    c = c[vip].reset_index(drop=True)
    answered = c["answered_date"].notna().to_numpy()
    c["calendar_days"] = (c["answered_date"] - c["received_date"]).dt.days
    wd = np.full(len(c), np.nan)
    if answered.any():
        try:
            wd[answered] = working_days(c.loc[answered, "received_date"], c.loc[answered, "answered_date"])
        except CalendarRangeError:
            if not rules.complaint_calendar_days:
                raise
    c["working_days"] = wd
    complaint = (c["kind"] == "complaint").to_numpy()
    c["limit_days"] = np.where(complaint, rules.complaint_answer_days, rules.enquiry_answer_days)
    counted = np.where(complaint & ~rules.complaint_calendar_days, c["working_days"], c["calendar_days"])
    c["days_counted"] = counted
    c["counted_as"] = np.where(complaint & ~rules.complaint_calendar_days, "working days", "calendar days")
    c["on_time"] = answered & (np.nan_to_num(counted, nan=np.inf) <= c["limit_days"].to_numpy())
    if complaints is not None and "complaint_id" in complaints:
        link = complaints[["complaint_id", "person", "role", "action"]].drop_duplicates("complaint_id")
        c = c.merge(link, on="complaint_id", how="left")
    else:
        c["person"], c["role"], c["action"] = "", "", ""
    by_kind = _summary(c, ["tier", "kind"])
    by_branch = _summary(c, ["branch", "tier", "kind"])
    late = c[~c["on_time"]].sort_values(["kind", "days_counted", "received_date"], ascending=[True, False, True],
                                        na_position="first")
    late = late[["call_id", "customer_id", "branch", "tier", "kind", "received_date", "answered_date",
                 "calendar_days", "working_days", "limit_days", "counted_as", "complaint_id", "person",
                 "action"]].reset_index(drop=True)
    return HotlineCheck(c, by_kind, by_branch, late, outside)


__all__ = ["HotlineCheck", "check_hotline"]
