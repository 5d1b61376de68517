"""Service-time compliance (第17–18条): each service event against its working-day limit.

A service meets its limit when its working days (:func:`~tiermodel.assess.calendar.working_days`)
are ≤ the limit: 第17条 for regular customers, 第18条 (VIP green channel) for Gold and
Silver; VIP policy issuance of an extra-large customer ≤ 7 (第18条 1②; who is 特大型 is
flagged per event, ``service_times.extra_large_customer``, assumed).

Service start (第12条 从确定次月): VIP standards apply from the month after approval; before
that a customer is served and assessed at its previous tier (:func:`assessed_tiers`). A new
customer's first policy issuance comes before any rating and is never judged against VIP
limits.

The VIP hotline (第18条 2①) is not judged here: each hotline event is judged once, by
:func:`~tiermodel.assess.hotline.check_hotline`, in calendar days (三天内, the flagged reading);
hotline events of the service log are left out (``ServiceCompliance.left_to_hotline`` counts them).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputTableError, Problem
from ..policy import Policy
from ..result import Result
from ..service_period import service_dates
from ..vocabulary import SERVICE_TYPES, TIERS, VIP_TIERS
from ._lookup import with_tiers
from .calendar import calendar_hint, calendar_years, working_days, workday_table

#: Service types of the service log judged elsewhere, once: the VIP hotline (第18条 2①) is
#: judged by :func:`tiermodel.assess.check_hotline` in calendar days (``hotline.complaint_calendar_days``,
#: assumed), never here in working days.
JUDGED_BY_HOTLINE = ("hotline_enquiry", "hotline_complaint")
#: Columns of the breach list a reader needs, in order.
BREACH_COLUMNS = ["event_id", "customer_id", "tier", "assessed_as", "branch", "service_type", "start_date",
                  "end_date", "working_days", "limit_days", "excess_days"]


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

    ``events`` is the log with ``branch``, ``tier``, ``assessed_as`` (the tier whose limit
    applies on the event's date, 第12条), ``working_days``, ``limit_days``,
    ``within_limit`` and ``excess_days``; ``by_type`` and ``by_branch`` count events, breaches
    and the compliance share per service type (branch) and tier; ``breaches`` lists the
    events over their limit, worst first.
    """

    events: pd.DataFrame
    by_type: pd.DataFrame
    by_branch: pd.DataFrame
    breaches: pd.DataFrame
    left_to_hotline: int = 0  # hotline events of the log, judged by check_hotline (calendar days)

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


def vip_start_dates(tier_table: pd.DataFrame, policy: Policy, year: int) -> pd.Series:
    """First day VIP standards apply to each customer of the tier list (第12条 确定次月) [date].

    The year under review's ``service_start`` (:class:`tiermodel.compare.ServiceYear`) where
    the table carries it. Else the one rule (:func:`tiermodel.service_period.service_dates`): a
    continuing customer from 1 January; the month after ``approval_date`` where the tier list
    has that column; else the flagged
    default approval month: ``service_start.approval_month`` (January) for the year-start
    list, ``budget_assumptions.new_gold_approval_month`` / ``new_silver_approval_month``
    (July) for this year's new customers (``is_new``), rated during the year (第13条). A start
    past December is the next year (no VIP standard this year).

    Parameters
    ----------
    tier_table : DataFrame
        Tier table (``customer_id``, ``tier``; optional ``is_new``, ``approval_date``).
    policy : Policy
        ``service_start`` and ``budget_assumptions``.
    year : int
        Year of the service events [year].

    Returns
    -------
    Series of datetime64
        Indexed by customer id.
    """
    if "service_start" in tier_table:  # the year under review (tiermodel.compare.ServiceYear) dated them once
        return pd.Series(pd.to_datetime(tier_table["service_start"]).to_numpy(),
                         index=tier_table["customer_id"].astype(str).to_numpy())
    tier = pd.Categorical(tier_table["tier"].astype(str), categories=list(TIERS)).codes.astype(np.int8)
    prev = pd.Categorical(previous_tiers(tier_table, policy).to_numpy(dtype=str), categories=list(TIERS)).codes
    is_new = tier_table["is_new"].to_numpy(dtype=bool) if "is_new" in tier_table else np.zeros(len(tier_table), dtype=bool)
    override = np.full(len(tier_table), np.datetime64("NaT"), dtype="datetime64[D]")
    if "approval_date" in tier_table:
        override = pd.to_datetime(tier_table["approval_date"], errors="coerce").to_numpy().astype("datetime64[D]")
    # the one rule of 第12条 (tiermodel.service_period): a continuing customer from 1 January
    start = service_dates(tier, prev.astype(np.int8), is_new, override, int(year), policy)["service_start"]
    return pd.Series(start.astype("datetime64[ns]"), index=tier_table["customer_id"].astype(str).to_numpy())


def previous_tiers(tier_table: pd.DataFrame, policy: Policy) -> pd.Series:
    """Each customer's tier before this year's rating (第12条: served at it until the start).

    The tier list's ``previous_tier`` column where present; else
    ``service_start.previous_tier_default`` (assumed): ``same_tier_unless_new`` — a
    customer insured before this year keeps its tier, a new customer was regular — or
    ``regular`` for everyone.
    """
    ids = tier_table["customer_id"].astype(str).to_numpy()
    tier = tier_table["tier"].astype(str)
    if "previous_tier" in tier_table:
        prev = tier_table["previous_tier"].astype("string").fillna("regular").replace("", "regular")
        return pd.Series(prev.to_numpy(dtype=object), index=ids)
    if policy.service_start.previous_tier_default == "regular":
        return pd.Series("regular", index=ids, dtype=object)
    is_new = tier_table["is_new"].to_numpy(dtype=bool) if "is_new" in tier_table else np.zeros(len(tier_table), dtype=bool)
    return pd.Series(np.where(is_new, "regular", tier.to_numpy()), index=ids, dtype=object)


def assessed_tiers(events: pd.DataFrame, tier_table: pd.DataFrame, policy: Policy) -> np.ndarray:
    """The tier each service event is judged at (第12条 确定次月, 第17–18条).

    An event that starts before the customer's VIP start (:func:`vip_start_dates`) is judged
    at the previous tier (:func:`previous_tiers`); a new customer's first policy issuance is
    judged as regular whatever its date (it comes before any rating).

    Parameters
    ----------
    events : DataFrame
        Service events with ``customer_id``, ``tier``, ``service_type``, ``start_date``.
    tier_table : DataFrame
        Tier table (optional ``is_new``, ``previous_tier``, ``approval_date``).
    policy : Policy
        ``service_start``, ``budget_assumptions``.

    Returns
    -------
    ndarray of str
        ``gold``, ``silver`` or ``regular`` per event.
    """
    if not len(events):
        return np.array([], dtype=object)
    ids = events["customer_id"].astype(str)
    years = events["start_date"].dt.year.to_numpy()
    starts = np.empty(len(events), dtype="datetime64[ns]")
    for year in np.unique(years):  # default approval dates fall in the event's own year
        here = years == year
        starts[here] = ids[here].map(vip_start_dates(tier_table, policy, int(year))).to_numpy(dtype="datetime64[ns]")
    before = events["start_date"].to_numpy(dtype="datetime64[ns]") < starts
    prev = ids.map(previous_tiers(tier_table, policy)).to_numpy(dtype=object)
    out = np.where(before, prev, events["tier"].astype(str).to_numpy()).astype(object)
    if "is_new" in tier_table:
        new_ids = set(tier_table.loc[tier_table["is_new"].to_numpy(dtype=bool), "customer_id"].astype(str))
        issuance = (events["service_type"].astype(str) == "policy_issuance").to_numpy() & ids.isin(new_ids).to_numpy()
        if issuance.any():
            first = events.loc[issuance].sort_values("start_date", kind="stable") \
                .drop_duplicates("customer_id").index
            out[events.index.get_indexer(first)] = "regular"
    return out


def service_compliance(log: pd.DataFrame, tier_table: pd.DataFrame, policy: Policy,
                       file: str = "<service log>") -> ServiceCompliance:
    """Service-time compliance against 第17条 (regular) and 第18条 (VIP green channel).

    Parameters
    ----------
    log : DataFrame
        Validated service event log (:data:`tiermodel.events.SERVICE_LOG_SCHEMA`).
    tier_table : DataFrame
        Tier table with ``customer_id``, ``branch``, ``tier``; optional ``is_new``,
        ``previous_tier`` and ``approval_date`` (第12条 service start, :func:`assessed_tiers`).
    policy : Policy
        Supplies ``service_times`` [working days] and ``service_start``.
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
    events = with_tiers(log, tier_table, file)
    hotline = events["service_type"].astype(str).isin(JUDGED_BY_HOTLINE).to_numpy()
    rows = np.flatnonzero(~hotline) + 2  # the file's row of each event judged here
    events = events[~hotline].reset_index(drop=True)  # the hotline is judged once, by check_hotline
    first, last, cum = workday_table()
    problems = []
    for column in ("start_date", "end_date"):
        d = events[column].to_numpy().astype("datetime64[D]")
        for i in np.flatnonzero((d < first) | (d > last))[:50]:
            y0, y1 = calendar_years()
            problems.append(Problem(int(rows[i]), events["customer_id"].iloc[i], column,
                                    f"{pd.Timestamp(d[i]).date()} is outside the official holiday "
                                    f"calendar ({y0}–{y1}); working days cannot be counted: "
                                    f"{calendar_hint(pd.Timestamp(d[i]).year)}"))
    if problems:
        raise InputTableError(file, problems)
    events["working_days"] = working_days(events["start_date"], events["end_date"])
    events["assessed_as"] = assessed_tiers(events, tier_table, policy)
    limits = service_limits(policy).reindex(events["service_type"])
    vip = events["assessed_as"].isin(VIP_TIERS).to_numpy()
    # no standard for a regular customer (the VIP hotline, 第18条 2①): the event is not judged
    judged = vip | limits["regular_days"].notna().to_numpy()
    events, limits, vip = events[judged].reset_index(drop=True), limits[judged], vip[judged]
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
    return ServiceCompliance(events, by_type, by_branch, breaches.reset_index(drop=True), int(hotline.sum()))


__all__ = ["BREACH_COLUMNS", "JUDGED_BY_HOTLINE", "ServiceCompliance", "assessed_tiers", "previous_tiers", "service_compliance",
           "service_limits", "vip_start_dates"]
