"""The branch service scorecard (第32条): one row per branch with the four parts of its
customer-service record, each on its own, and a rank.

第32条 puts each branch's customer-service record (机构客户服务状况指标) into the year-end
assessment of its 团险负责人, 客户资源部负责人 and 业务管理部负责人, without saying how the
record is scored. The parts are those the assessment measures:

* service times (第17–18条): the share of the branch's service events within their limit;
* satisfaction (第35条): the branch's tier groups (Gold, Silver, Regular) whose head-office :
  branch weighted survey meets the tier's targets, and their share;
* complaints (第34条): the verified complaints in the article's scope about the branch's
  customers (fewer is better);
* delivery (第18条 2, 第19条): the share of the branch's VIPs at or above every minimum delivery.

The composite is a reading (``branch_scorecard.composite``, assumed): ``mean_rank`` ranks the
branches on each part (1 = best, ties share the better rank), averages the ranks of the parts
the branch has data for, and ranks that mean (ties share the better rank); ``none`` gives no
composite and ranks the branches by name only. Each part stays in the table on its own.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..notes import Note, note
from ..policy import Policy
from ..result import Result

#: The parts of the record: column → True where larger is better.
PARTS = {"service_time_compliance": True, "satisfaction_share": True, "complaints_counted": False,
         "delivery_share": True}


@dataclass
class BranchScorecard(Result):
    """Result of :func:`branch_scorecard`: one row per branch (``table``) with each part of
    the 第32条 record [share, 0–1, or complaints], each part's rank among the branches, the
    composite (a flagged reading) and the branch's rank; ``composite`` names the reading."""

    table: pd.DataFrame
    composite: str = "mean_rank"

    def tables(self) -> dict[str, pd.DataFrame]:
        """The scorecard, best-ranked branch first."""
        return {"branch scorecard": self.table}

    def summary(self) -> Note:
        """How many branches the scorecard ranks and the composite reading in force."""
        return note("assess.scorecard.summary", branches=len(self.table),
                    composite=note(f"assess.scorecard.composite.{self.composite}"))


def _service(events: pd.DataFrame) -> pd.DataFrame:
    g = events.groupby("branch", sort=True)
    return pd.DataFrame({"service_events": g.size(), "service_within_limit": g["within_limit"].sum()})


def _satisfaction(weighted: pd.DataFrame) -> pd.DataFrame:
    if not len(weighted):
        return pd.DataFrame(columns=["satisfaction_groups", "satisfaction_passing"])
    w = weighted.reset_index()
    g = w.groupby("branch", sort=True)
    return pd.DataFrame({"satisfaction_groups": g.size(), "satisfaction_passing": g["passes"].sum()})


def _complaints(counted: pd.DataFrame, tier_table: pd.DataFrame) -> pd.Series:
    branch = counted["customer_id"].astype(str).map(
        dict(zip(tier_table["customer_id"].astype(str), tier_table["branch"].astype(str))))
    return branch.value_counts().rename("complaints_counted")


def _delivery(by_branch: pd.DataFrame | None) -> pd.DataFrame:
    if by_branch is None or not len(by_branch):
        return pd.DataFrame(columns=["vips", "vips_below_standard"])
    g = by_branch.groupby("branch", sort=True)
    return pd.DataFrame({"vips": g["vips"].sum(), "vips_below_standard": g["below_standard"].sum()})


def _ranks(table: pd.DataFrame, composite: str) -> pd.DataFrame:
    """Each part's rank (1 best, ties share the better), the composite and the branch rank."""
    for part, larger_better in PARTS.items():
        table[f"{part}_rank"] = table[part].rank(ascending=not larger_better, method="min").astype("Int64")
    if composite == "mean_rank":
        ranks = table[[f"{p}_rank" for p in PARTS]].astype(float)
        table["composite_mean_rank"] = ranks.mean(axis=1, skipna=True)
        table["rank"] = table["composite_mean_rank"].rank(method="min").astype("Int64")
        return table.sort_values(["rank", "branch"], kind="stable")
    table["composite_mean_rank"] = np.nan
    table["rank"] = pd.array([pd.NA] * len(table), dtype="Int64")
    return table.sort_values("branch", kind="stable")


def branch_scorecard(tier_table: pd.DataFrame, service_events: pd.DataFrame, satisfaction_weighted: pd.DataFrame,
                     counted_complaints: pd.DataFrame, delivery_by_branch: pd.DataFrame | None,
                     policy: Policy) -> BranchScorecard:
    """The 第32条 service record of each branch, its parts side by side, and a rank.

    Parameters
    ----------
    tier_table : DataFrame
        Tier table (``customer_id``, ``branch``): every branch of it gets a row.
    service_events : DataFrame
        :attr:`ServiceCompliance.events` (``branch``, ``within_limit``; 第17–18条).
    satisfaction_weighted : DataFrame
        :attr:`Scorecard.weighted` (index or columns ``branch``, ``tier``; ``passes``; 第35条).
    counted_complaints : DataFrame
        :attr:`ComplaintConsequences.complaints`: the complaints that count under 第34条.
    delivery_by_branch : DataFrame or None
        :attr:`DeliveryCheck.by_branch` (``branch``, ``tier``, ``vips``, ``below_standard``;
        第18条 2, 第19条); None where no delivery record was checked (the part is then NaN).
    policy : Policy
        ``branch_scorecard.composite`` (assumed): ``mean_rank`` or ``none``.

    Returns
    -------
    BranchScorecard
        Per branch: ``service_events``, ``service_within_limit``, ``service_time_compliance``
        [share]; ``satisfaction_groups``, ``satisfaction_passing``, ``satisfaction_share``
        [share]; ``complaints_counted`` [complaints]; ``vips``, ``vips_below_standard``,
        ``delivery_share`` [share of VIPs meeting every minimum]; each part's ``*_rank``;
        ``composite_mean_rank`` and ``rank``. A branch without data for a part has NaN there
        and no rank for it.
    """
    branches = pd.Index(sorted(tier_table["branch"].astype(str).unique()), name="branch")
    table = pd.concat([_service(service_events), _satisfaction(satisfaction_weighted),
                       _delivery(delivery_by_branch)], axis=1).reindex(branches)
    table["complaints_counted"] = _complaints(counted_complaints, tier_table).reindex(branches).fillna(0).astype(np.int64)
    table["service_time_compliance"] = table["service_within_limit"] / table["service_events"].where(
        table["service_events"] > 0)
    table["satisfaction_share"] = table["satisfaction_passing"] / table["satisfaction_groups"].where(
        table["satisfaction_groups"] > 0)
    table["delivery_share"] = 1 - table["vips_below_standard"] / table["vips"].where(table["vips"] > 0)
    counts = ["service_events", "service_within_limit", "satisfaction_groups", "satisfaction_passing", "vips",
              "vips_below_standard"]
    table[counts] = table[counts].astype(float).astype("Int64")
    table = table.reset_index()
    table = table[["branch", "service_events", "service_within_limit", "service_time_compliance",
                   "satisfaction_groups", "satisfaction_passing", "satisfaction_share", "complaints_counted",
                   "vips", "vips_below_standard", "delivery_share"]]
    composite = policy.branch_scorecard.composite
    return BranchScorecard(_ranks(table, composite).reset_index(drop=True), composite)


__all__ = ["BranchScorecard", "PARTS", "branch_scorecard"]
