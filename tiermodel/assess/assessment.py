"""The four assessments of a year in one result: :func:`assess_service` → :class:`Assessment`,
whose ``tables()`` is the one list of sheets the assessment exports (the command line's
workbook and the report's notebook 05 both write it)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..notes import Note
from ..policy import Policy
from ..result import Result
from .complaints import ComplaintConsequences, complaint_consequences
from .compliance import ServiceCompliance, service_compliance
from .revisits import RevisitPlan, plan_revisits
from .satisfaction import Scorecard, satisfaction_scorecard
from .scorecard import BranchScorecard, branch_scorecard


@dataclass
class Assessment(Result):
    """Service levels of a year (result of :func:`assess_service`): service-time compliance
    (第17–18条), the satisfaction scorecard (第35条), complaint consequences (第34条), the
    executives' revisit plan (第23–27条) and the branch scorecard that gathers them (第32条)."""

    compliance: ServiceCompliance
    scorecard: Scorecard
    consequences: ComplaintConsequences
    revisit_plan: RevisitPlan
    branches: BranchScorecard | None = None

    #: The parameters the assessment reads (prefixes of :func:`tiermodel.policy.describe`): the
    #: readings behind its figures (第12条, 第17–18条, 第23–25条, 第32–35条).
    PARAMETERS = ("service_times", "service_start", "budget_assumptions.new_gold_approval_month",
                  "budget_assumptions.new_silver_approval_month", "satisfaction", "complaints", "revisits",
                  "executive_quotas", "hotline", "delivery_minimums", "delivery_rules.part_year_rounding",
                  "branch_scorecard")

    @property
    def notes(self) -> list[Note]:
        """What the revisit plan cannot meet, by how much and where (:class:`~tiermodel.notes.Note`)."""
        return self.revisit_plan.notes

    def tables(self) -> dict[str, pd.DataFrame]:
        """Compliance, satisfaction, complaints, the revisit plan and the branch scorecard, in
        that order."""
        branches = self.branches.tables() if self.branches is not None else {}
        return {**self.compliance.tables(), **self.scorecard.tables(), **self.consequences.tables(),
                **self.revisit_plan.tables(), **branches}


def assess_service(tier_table: pd.DataFrame, service_log: pd.DataFrame, survey: pd.DataFrame,
                   complaints: pd.DataFrame, executives: pd.DataFrame, policy: Policy,
                   files: dict[str, str] | None = None,
                   delivery_by_branch: pd.DataFrame | None = None) -> Assessment:
    """Assess a year of service to the tiers (第17–18条, 第23–27条, 第34–35条).

    Parameters
    ----------
    tier_table : DataFrame or ServiceYear
        Tier table with ``customer_id``, ``branch``, ``tier``; the year under review
        (:class:`tiermodel.compare.ServiceYear`) gives every VIP's service start (第12条).
    service_log, survey, complaints, executives : DataFrame
        The validated event tables (:mod:`tiermodel.events`: service events with start and
        end dates, survey answers, complaints, executives).
    policy : Policy
        ``service_times`` [working days], ``satisfaction`` [share], ``complaints``,
        ``revisits`` [revisits/yr] and ``executive_quotas`` [customers a person a year].
    files : dict of str to str, optional
        Name of each table in messages, by ``service`` and ``survey`` (e.g. the file read).
    delivery_by_branch : DataFrame, optional
        :attr:`DeliveryCheck.by_branch` (第18条 2 minima): the delivery part of the branch
        scorecard (第32条); without it that part is left empty.

    Returns
    -------
    Assessment
        The five results; ``tables()`` gives every sheet.
    """
    files = files or {}
    tier_table = getattr(tier_table, "table", tier_table)  # a ServiceYear: its table, dates and all
    compliance = service_compliance(service_log, tier_table, policy, files.get("service", "<service log>"))
    satisfaction = satisfaction_scorecard(survey, tier_table, policy, files.get("survey", "<survey>"))
    consequences = complaint_consequences(complaints, policy, tier_table)
    branches = branch_scorecard(tier_table, compliance.events, satisfaction.weighted, consequences.complaints,
                                delivery_by_branch, policy)
    return Assessment(compliance, satisfaction, consequences, plan_revisits(tier_table, executives, policy),
                      branches)


__all__ = ["Assessment", "assess_service"]
