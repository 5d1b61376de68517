"""What the service assessment loads beside the run inputs (page 05): the year under review
(第12条), the event tables — each a file or a seeded sample —, the delivery check of 第18条 2
that the branch scorecard takes, and the assessment itself (:func:`assess_year`).

App layer: it reads files (through :mod:`tiermodel.events`) and calls the analyses; what a page
prints of it is a :class:`~tiermodel.notes.Note` rendered by the present layer.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .assess import Assessment, DeliveryCheck, assess_service, calendar_years, check_delivery
from .budget import vip_absence
from .budget.services import delivery_prices
from .compare import ServiceYear, review_year
from .events import AssessmentLogs, DeliveryLogs, load_assessment_logs, load_delivery_logs
from .notes import Note, note
from .policy import Policy
from .report import ASSESSMENT_BASED_ON

#: The event tables of the assessment, in the order a page names them.
LOG_KINDS = ("service", "survey", "complaints", "executives", "delivery")
#: Input tables each sheet of the assessment rests on (one home: the report's table); a sheet
#: not listed rests on every input.
BASED_ON = ASSESSMENT_BASED_ON


@dataclass
class AssessmentRun:
    """A year's assessment as page 05 shows it (result of :func:`assess_year`).

    Attributes
    ----------
    year : ServiceYear
        The year under review: each VIP's service start (第12条).
    logs : AssessmentLogs
        The service log, survey, complaints and executives, validated, with their sources.
    delivery : DeliveryLogs
        The delivery table (附件二/四), validated.
    delivered : DeliveryCheck
        The delivery check (第18条 2 minima): the scorecard's delivery part.
    result : Assessment
        Compliance, satisfaction, complaints, the revisit plan and the branch scorecard.
    policy : Policy
    samples : list of str
        The event tables drawn as seeded samples (of :data:`LOG_KINDS`).
    """

    year: ServiceYear
    logs: AssessmentLogs
    delivery: DeliveryLogs
    delivered: DeliveryCheck
    result: Assessment
    policy: Policy
    samples: list[str] = field(default_factory=list)

    def source_notes(self) -> list[Note]:
        """Where each event table came from and its rows; the calendar years covered; the
        hotline rows of the service log left to the hotline check (page 07)."""
        y0, y1 = calendar_years()
        notes = [note("assess.calendar_years", first=y0, last=y1)]
        for kind in LOG_KINDS:
            table = self.delivery.delivery if kind == "delivery" else getattr(self.logs, kind)
            source = self.delivery.sources["delivery"] if kind == "delivery" else self.logs.sources[kind]
            where = note("assess.input_sample") if kind in self.samples else source
            notes.append(note("assess.input_rows", what=note(f"assess.input.{kind}"), source=where,
                              rows=len(table)))
        notes.append(note("assess.hotline_left", rows=self.result.compliance.left_to_hotline))
        return notes

    def vip_absence(self, lang: str = "zh") -> str:
        """Why the year's list has no Gold or Silver customer, in ``lang``; ``""`` when it has
        (:func:`tiermodel.budget.vip_absence`)."""
        return vip_absence(self.year.table, self.policy, lang)

    def sheets(self, assumptions: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
        """The assessment's tables for the run's workbook, those built on a seeded sample
        marked (:func:`tiermodel.present.page.mark_samples`), and the page's ``assumptions``."""
        from .present.page import mark_samples

        sheets = mark_samples(self.result.tables(), BASED_ON, self.samples)
        if assumptions is not None:
            sheets["assumptions"] = assumptions
        return sheets


def assess_year(inputs, log_year: int, service_log: str = "", survey: str = "", complaints: str = "",
                executives: str = "", delivery: str = "", seed: int | None = None) -> AssessmentRun:
    """Load a year's event tables and assess it (第17–18条, 第23–27条, 第32条, 第34–35条).

    Parameters
    ----------
    inputs : RunInputs
        What the run loaded (:func:`tiermodel.load_inputs`): policy, portfolio, seed.
    log_year : int
        Year of the logs and of the samples [year]; the year under review (第12条).
    service_log, survey, complaints, executives, delivery : str
        The event tables' files; an empty one is a seeded sample.
    seed : int, optional
        Seed of the samples (default: the run's).

    Returns
    -------
    AssessmentRun
    """
    policy = inputs.policy
    seed = inputs.seed if seed is None else seed
    year = review_year(inputs.tiering(), policy, log_year)
    tier_table = year.table
    found = load_assessment_logs(tier_table, service_log, survey, complaints, executives, seed, log_year,
                                 policy.executive_quotas.gm_office_members)
    costs, take_up = delivery_prices(policy, log_year)
    logs = load_delivery_logs(tier_table, found.executives, costs, delivery, None, None, seed, log_year,
                              found.complaints, take_up=take_up)
    delivered = check_delivery(logs.delivery, tier_table, found.executives, policy, log_year,
                               logs.sources["delivery"])
    result = assess_service(tier_table, found.service, found.survey, found.complaints, found.executives, policy,
                            files=found.sources, delivery_by_branch=delivered.by_branch)
    given = dict(zip(LOG_KINDS, (service_log, survey, complaints, executives, delivery)))
    return AssessmentRun(year, found, logs, delivered, result, policy, [k for k in LOG_KINDS if not given[k]])


__all__ = ["AssessmentRun", "BASED_ON", "LOG_KINDS", "assess_year"]
