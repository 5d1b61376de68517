"""The year's service record in one result (附件二/四/五, 第17–19条, 第23–25条):
:func:`service_record` → :class:`ServiceRecord`, whose ``tables()`` is the one list of sheets
of the delivery check, the renewals and notices and the VIP hotline.

:attr:`ServiceRecord.BASED_ON` says which input tables each sheet is built on, so a report can
mark every sheet built on a seeded sample (:data:`~tiermodel.vocabulary.SAMPLE_BANNER`).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..policy import Policy
from ..result import Result
from .delivery import DeliveryCheck, check_delivery, delivery_notes
from .hotline import HotlineCheck, check_hotline
from .renewals import RenewalCheck, check_renewals


@dataclass
class ServiceRecord(Result):
    """VIP service delivery against the minima with the 附件二 record and the 附件七 variance,
    renewal reminders and notices (第17条 4–5), and the VIP hotline (第18条 2①)."""

    delivery: DeliveryCheck
    renewals: RenewalCheck
    hotline: HotlineCheck

    #: Input tables each sheet rests on (sheet → kinds of :func:`tiermodel.events.load_delivery_logs`
    #: and :func:`tiermodel.events.load_assessment_logs`).
    BASED_ON = {
        "executive attendance": ("delivery", "executives"),
        "hotline late calls": ("hotline", "complaints"),
    }

    def based_on(self) -> dict[str, tuple[str, ...]]:
        """Sheet name → the input tables it is built on."""
        out = {}
        for name in self.delivery.tables():
            out[name] = self.BASED_ON.get(name, ("delivery",))
        for name in self.renewals.tables():
            out[name] = ("policies",)
        for name in self.hotline.tables():
            out[name] = self.BASED_ON.get(name, ("hotline",))
        return out

    @property
    def notes(self) -> list:
        """The findings: VIPs below standard, executives short, cost against budget (the
        delivery check's), then the renewal reminders (``assess.renewals``: on time, late,
        missing) and the hotline (``assess.hotline``: in time, late, unanswered) as
        :class:`~tiermodel.notes.Note` values."""
        return [*delivery_notes(self.delivery), self.renewals.note(), self.hotline.note()]

    def tables(self) -> dict[str, pd.DataFrame]:
        """The delivery sheets (附件二 first), the renewal sheets and the hotline sheets."""
        return {**self.delivery.tables(), **self.renewals.tables(), **self.hotline.tables()}


def service_record(tier_table: pd.DataFrame, delivery: pd.DataFrame, hotline: pd.DataFrame,
                   policies: pd.DataFrame, executives: pd.DataFrame, policy: Policy, year: int,
                   complaints: pd.DataFrame | None = None, files: dict[str, str] | None = None) -> ServiceRecord:
    """The year's VIP service record (附件二/四/五; 第17条 4–5, 第18–19条, 第23–25条).

    Parameters
    ----------
    tier_table : DataFrame
        ``Tiering.table`` (optional ``approval_month`` per VIP).
    delivery, hotline, policies : DataFrame
        Validated tables of :func:`tiermodel.events.load_delivery_logs`.
    executives : DataFrame
        Validated executive table.
    policy : Policy
        Minima, readings, quotas, hotline rules, renewal reminder months, price index.
    year : int
        Year of the record [year].
    complaints : DataFrame, optional
        :attr:`ComplaintConsequences.complaints` (第34条), linked to hotline complaints.
    files : dict of str to str, optional
        Name of each table in messages, by ``delivery``, ``hotline``, ``policies``.

    Returns
    -------
    ServiceRecord
        The three checks; ``tables()`` gives every sheet.
    """
    files = files or {}
    return ServiceRecord(
        check_delivery(delivery, tier_table, executives, policy, year, files.get("delivery", "<delivery>")),
        check_renewals(policies, tier_table, policy, year, files.get("policies", "<policies>")),
        check_hotline(hotline, tier_table, policy, complaints, files.get("hotline", "<hotline>")),
    )


__all__ = ["ServiceRecord", "service_record"]
