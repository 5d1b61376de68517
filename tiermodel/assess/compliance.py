"""Service-time compliance (第17–18条): each service event against its working-day limit.

A service meets its limit when its working days (:func:`~tiermodel.assess.calendar.working_days`)
are ≤ the limit: 第17条 for regular customers, 第18条 (VIP green channel) for Gold and
Silver; VIP policy issuance of an extra-large customer ≤ 7 (第18条 1②).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputTableError, Problem
from ..policy import Policy
from ..result import Result
from ..vocabulary import SERVICE_TYPES, TIERS, VIP_TIERS
from ._lookup import with_tiers
from .calendar import calendar_hint, calendar_years, working_days, workday_table

#: Columns of the breach list a reader needs, in order.
BREACH_COLUMNS = ["event_id", "customer_id", "tier", "branch", "service_type", "start_date", "end_date",
                  "working_days", "limit_days", "excess_days"]


def service_limits(policy: Policy) -> pd.DataFrame:
    """The 第17–18条 limits per service type [working days]: regular, VIP, VIP extra-large.

    Parameters
    ----------
    policy : Policy
        Supplies ``service_times``.

    Returns
    -------
    DataFrame
        Indexed by ``service_type``: ``regular_days`` (第17条), ``vip_days`` (第18条 1) and
        ``vip_extra_large_days`` (VIP policy issuance of an extra-large customer, 第18条 1②)
        [working days].
    """
    rows = []
    for name in SERVICE_TYPES:
        t = getattr(policy.service_times, name)
        xl = t.vip_extra_large_days if t.vip_extra_large_days is not None else t.vip_days
        rows.append((name, t.regular_days, t.vip_days, xl))
    return pd.DataFrame(rows, columns=["service_type", "regular_days", "vip_days",
                                       "vip_extra_large_days"]).set_index("service_type")


@dataclass
class ServiceCompliance(Result):
    """Result of :func:`service_compliance`.

    ``events`` is the log with ``branch``, ``tier``, ``working_days``, ``limit_days``,
    ``within_limit`` and ``excess_days``; ``by_type`` and ``by_branch`` count events, breaches
    and the compliance share per service type (branch) and tier; ``breaches`` lists the
    events over their limit, worst first.
    """

    events: pd.DataFrame
    by_type: pd.DataFrame
    by_branch: pd.DataFrame
    breaches: pd.DataFrame

    def by_tier(self) -> pd.DataFrame:
        """Events, breaches and compliance share [share, 0–1] per tier."""
        return _compliance_table(self.events, ["tier"])

    def compliance_matrix(self) -> pd.DataFrame:
        """Compliance share [share, 0–1] with service types as rows and tiers as columns."""
        return self.by_type["compliance"].unstack("tier").reindex(columns=list(TIERS))

    def breach_table(self) -> pd.DataFrame:
        """The breaches, worst first, with the columns a reader needs (:data:`BREACH_COLUMNS`)."""
        return self.breaches[[c for c in BREACH_COLUMNS if c in self.breaches]]

    def tables(self) -> dict[str, pd.DataFrame]:
        """Compliance by service type and tier, by branch and tier, and the breaches."""
        return {"compliance by type": self.by_type.reset_index(),
                "compliance by branch": self.by_branch.reset_index(),
                "service breaches": self.breach_table()}


def _compliance_table(events: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    g = events.groupby(by, observed=True, sort=True)
    table = pd.DataFrame({
        "events": g.size(),
        "breaches": g["within_limit"].apply(lambda s: int((~s).sum())),
        "compliance": g["within_limit"].mean(),
        "mean_working_days": g["working_days"].mean(),
    })
    return table


def service_compliance(log: pd.DataFrame, tiers: pd.DataFrame, policy: Policy,
                       file: str = "<service log>") -> ServiceCompliance:
    """Service-time compliance against 第17条 (regular) and 第18条 (VIP green channel).

    Parameters
    ----------
    log : DataFrame
        Validated service event log (:data:`tiermodel.events.SERVICE_LOG_SCHEMA`).
    tiers : DataFrame
        Tier table with ``customer_id``, ``branch``, ``tier``.
    policy : Policy
        Supplies ``service_times`` [working days].
    file : str
        Name of the log in messages.

    Returns
    -------
    ServiceCompliance
        Each event's working days, limit and excess [working days]; compliance shares
        [share, 0–1] by service type, branch and tier; the breaches.

    Raises
    ------
    InputTableError
        An unknown customer, or a date outside the calendar's years (row and column named).
    """
    events = with_tiers(log, tiers, file)
    first, last, cum = workday_table()
    problems = []
    for column in ("start_date", "end_date"):
        d = events[column].to_numpy().astype("datetime64[D]")
        for i in np.flatnonzero((d < first) | (d > last))[:50]:
            y0, y1 = calendar_years()
            problems.append(Problem(int(i) + 2, events["customer_id"].iloc[i], column,
                                    f"{pd.Timestamp(d[i]).date()} is outside the official holiday "
                                    f"calendar ({y0}–{y1}); working days cannot be counted: "
                                    f"{calendar_hint(pd.Timestamp(d[i]).year)}"))
    if problems:
        raise InputTableError(file, problems)
    events["working_days"] = working_days(events["start_date"], events["end_date"])
    limits = service_limits(policy).reindex(events["service_type"])
    vip = events["tier"].isin(VIP_TIERS).to_numpy()
    extra_large = events["extra_large"].to_numpy(dtype=bool) if "extra_large" in events \
        else np.zeros(len(events), dtype=bool)
    events["limit_days"] = np.where(vip, np.where(extra_large, limits["vip_extra_large_days"],
                                                  limits["vip_days"]),
                                    limits["regular_days"]).astype(np.int64)
    events["within_limit"] = events["working_days"] <= events["limit_days"]
    # 第17条 3: a claim tied to a disability assessment follows the assessment's own time
    disability = events["disability_assessment"].to_numpy(dtype=bool) if "disability_assessment" in events \
        else np.zeros(len(events), dtype=bool)
    events["exempt"] = disability & events["service_type"].isin(["claim_ordinary", "claim_investigated"]).to_numpy()
    events.loc[events["exempt"], "within_limit"] = True
    events["excess_days"] = np.where(events["exempt"], 0, np.maximum(events["working_days"] - events["limit_days"], 0))
    events["tier"] = pd.Categorical(events["tier"], categories=list(TIERS))
    events["service_type"] = pd.Categorical(events["service_type"], categories=list(SERVICE_TYPES))
    by_type = _compliance_table(events, ["service_type", "tier"])
    by_type.insert(0, "limit_days", events.groupby(["service_type", "tier"], observed=True)["limit_days"].min())
    by_branch = _compliance_table(events, ["branch", "tier"])
    breaches = events[~events["within_limit"]].sort_values(
        ["excess_days", "start_date", "customer_id"], ascending=[False, True, True])
    return ServiceCompliance(events, by_type, by_branch, breaches.reset_index(drop=True))


__all__ = ["BREACH_COLUMNS", "ServiceCompliance", "service_compliance", "service_limits"]
