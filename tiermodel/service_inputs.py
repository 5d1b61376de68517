"""What the service delivery page (07) loads: the year under review of the log year, the
delivery table (附件二/四), the hotline log (附件五), the policy table (第17条 4–5), the
complaint log and the executives — each a file or its seeded sample — and the year's service
record built on them (:func:`tiermodel.assess.service_record`).

App layer: reads files (through :mod:`tiermodel.events`) and calls the analyses; the page
only shows what :func:`load_service_record` returns.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .assess import ServiceRecord, calendar_years, complaint_consequences, service_record
from .budget.services import delivery_prices
from .compare import review_year
from .events import AssessmentLogs, DeliveryLogs, load_assessment_logs, load_delivery_logs
from .notes import Note, note
from .run_inputs import RunInputs

#: The inputs of the page, in the order its first lines name them.
INPUT_KINDS = ("delivery", "hotline", "policies", "complaints", "executives")


@dataclass
class ServiceRecordRun:
    """The year's service record with what it was built on: ``tier_table`` (the year under
    review of ``year``: each VIP's service start, 第12条), ``logs`` (delivery, hotline,
    policies), ``found`` (complaints, executives), ``record`` and ``samples`` (the inputs drawn
    as seeded samples)."""

    tier_table: pd.DataFrame
    logs: DeliveryLogs
    found: AssessmentLogs
    record: ServiceRecord
    samples: list[str]
    seed: int
    year: int

    def _table(self, kind: str) -> tuple[pd.DataFrame, str]:
        owner = self.logs if kind in ("delivery", "hotline", "policies") else self.found
        return getattr(owner, kind), owner.sources[kind]

    def input_notes(self) -> list[Note]:
        """One note per input: its file and rows, or the seeded sample drawn
        (``delivery.source_file`` / ``delivery.source_sample``), then the years the official
        calendar covers (``delivery.calendar``)."""
        notes = []
        for kind in INPUT_KINDS:
            table, source = self._table(kind)
            name = note(f"delivery.input.{kind}")
            notes.append(note("delivery.source_sample", table=name, seed=self.seed, year=self.year, rows=len(table))
                         if kind in self.samples else
                         note("delivery.source_file", table=name, file=source, rows=len(table)))
        first, last = calendar_years()
        notes.append(note("delivery.calendar", first=first, last=last))
        return notes

    def exported(self) -> dict[str, pd.DataFrame]:
        """The record's tables, those built on a seeded sample marked (their ``banner``)."""
        from .present.page import mark_samples

        return mark_samples(self.record.tables(), self.record.based_on(), self.samples)


def load_service_record(inputs: RunInputs, year: int, delivery: str = "", hotline: str = "", policies: str = "",
                        complaints: str = "", executives: str = "", seed: int = 2003) -> ServiceRecordRun:
    """The year's VIP service record of page 07 (附件二/四/五; 第17条 4–5, 第18–19条, 第23–25条).

    Parameters
    ----------
    inputs : RunInputs
        The run's policy and book (:func:`tiermodel.load_inputs`).
    year : int
        Year of the record and of the sample logs [year].
    delivery, hotline, policies, complaints, executives : str
        The input files; "" draws each one's seeded sample.
    seed : int
        Seed of the samples.

    Returns
    -------
    ServiceRecordRun
    """
    policy = inputs.policy
    # the logs' year under review (第12条): each VIP's service start in the year, one set of dates
    tier_table = review_year(inputs.tiering(), policy, year).table
    found = load_assessment_logs(tier_table, None, None, complaints, executives, seed, year,
                                 policy.executive_quotas.gm_office_members)
    costs, take_up = delivery_prices(policy, year)
    logs = load_delivery_logs(tier_table, found.executives, costs, delivery, hotline, policies, seed, year,
                              found.complaints, take_up=take_up)
    consequences = complaint_consequences(found.complaints, policy).complaints  # 第34条, linked to hotline
    record = service_record(tier_table, logs.delivery, logs.hotline, logs.policies, found.executives, policy, year,
                            consequences, files=logs.sources)
    samples = logs.samples + [k for k, v in (("complaints", complaints), ("executives", executives)) if not v]
    return ServiceRecordRun(tier_table, logs, found, record, samples, seed, year)


__all__ = ["INPUT_KINDS", "ServiceRecordRun", "load_service_record"]
