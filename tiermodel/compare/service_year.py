"""The year under review, computed once: who is a Gold or Silver VIP, approved when, served from
which month, by which reading (第8条, 第12–13条).

:class:`ServiceYear` is built by :func:`tiermodel.compare.review_year` from the tiering, the
branches' nominations and head office's overrides, and handed to the budget (附件七), the
service-time assessment, the hotline, the complaints (第34条), the delivery minima, the
附件一 table and the published lists. A page that needs "who is a VIP on date d" asks
:meth:`ServiceYear.tier_on`; it never works it out again.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..policy import Policy
from ..result import Result
from ..scoring import with_columns
from ..service_period import DATE_READINGS, previous_tier_codes, service_dates, tier_on
from ..tiers import Tiering
from ..vocabulary import REGULAR, TIERS

#: Columns of :meth:`ServiceYear.tables`' ``service year`` sheet, one row per VIP.
SERVICE_YEAR_COLUMNS = ["customer_id", "name", "branch", "branch_class", "tier", "previous_tier", "gold_pool",
                        "is_new", "override", "approval_date", "service_start", "service_months", "date_reading"]


@dataclass
class ServiceYear(Result):
    """The approved lists of a service year with each VIP's dates (result of :func:`review_year`).

    ``tiering.table`` is the tiered frame after nominations and overrides, with
    ``previous_tier`` (last year's tier), ``approval_date`` and ``service_start``
    (datetime64; ``approval_date`` NaT for a Regular customer), ``service_months``
    [months, 0–12] and ``date_reading`` (continuing / list / new_customer / override,
    :data:`tiermodel.service_period.DATE_READINGS`). ``overrides`` are the overrides applied,
    ``notes`` plain statements as data (code and fields).
    """

    tiering: Tiering
    overrides: pd.DataFrame
    year: int
    notes: list = field(default_factory=list)

    @property
    def table(self) -> pd.DataFrame:
        """The tiered frame of the year with every customer's dates."""
        return self.tiering.table

    def vip_table(self) -> pd.DataFrame:
        """One row per Gold and Silver customer: tier, pool, dates, months and reading."""
        t = self.table
        vip = (t["tier"] != "regular").to_numpy()
        out = t.loc[vip].assign(name=t["name"] if "name" in t else "")
        out = out.assign(tier=out["tier"].astype(str), previous_tier=out["previous_tier"].astype(str),
                         date_reading=out["date_reading"].astype(str))
        order = np.lexsort((out["customer_id"].astype(str).to_numpy(), (out["tier"] != "gold").to_numpy()))
        return out.iloc[order][SERVICE_YEAR_COLUMNS].reset_index(drop=True)

    def counts(self) -> pd.DataFrame:
        """VIPs by tier and date reading, with their months of service [months]."""
        v = self.vip_table()
        return (v.groupby(["tier", "date_reading"], sort=True)
                .agg(customers=("customer_id", "size"), service_months=("service_months", "sum")).reset_index())

    def tier_on(self, customer_ids, dates) -> np.ndarray:
        """The tier each customer is served at on each date (第12条: last year's tier before the
        service start). Unknown customers read ``""``."""
        t = self.table
        pos = pd.Index(t["customer_id"].astype(str)).get_indexer(pd.Series(customer_ids).astype(str))
        known = pos >= 0
        at = np.where(known, pos, 0)
        dates = pd.to_datetime(pd.Series(dates)).to_numpy().astype("datetime64[D]")
        codes = tier_on(t["tier"].cat.codes.to_numpy()[at], _codes(t["previous_tier"])[at],
                        t["service_start"].to_numpy()[at], dates)
        return np.where(known, np.asarray(TIERS, dtype=object)[codes], "")

    def vips_on(self, date) -> pd.DataFrame:
        """The customers who are Gold or Silver VIPs on ``date``, with the tier they hold then."""
        t = self.table
        tier = self.tier_on(t["customer_id"], np.full(len(t), pd.Timestamp(date)))
        vip = tier != "regular"
        return pd.DataFrame({"customer_id": t["customer_id"].to_numpy()[vip], "branch": t["branch"].to_numpy()[vip],
                             "tier": tier[vip]}).reset_index(drop=True)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The VIPs with their dates, the counts by reading, the overrides applied and the notes."""
        return {"service year": self.vip_table(), "service year counts": self.counts(),
                "overrides": self.overrides,
                "notes": pd.DataFrame({"note": pd.Series(list(self.notes), dtype=object)})}


def _codes(tiers: pd.Series) -> np.ndarray:
    if isinstance(tiers.dtype, pd.CategoricalDtype) and list(tiers.cat.categories) == list(TIERS):
        return tiers.cat.codes.to_numpy().astype(np.int8)
    s = pd.Series(tiers, dtype="string").fillna("regular").replace("", "regular")
    return pd.Categorical(s, categories=list(TIERS)).codes.astype(np.int8)


def date_year(tier_table: pd.DataFrame, policy: Policy, year: int, override_date: np.ndarray | None = None,
              previous: pd.DataFrame | None = None, listed_tier: np.ndarray | None = None) -> pd.DataFrame:
    """``tier_table`` with every customer's previous tier, approval date, service start, months of
    service and date reading (:func:`tiermodel.service_period.service_dates`).

    ``previous`` is last year's list (``customer_id``, ``tier``); without it the table's own
    ``previous_tier`` column, else the flagged default applied to ``listed_tier`` (the tier
    codes of the list before head office's overrides; default the table's own tiers).
    """
    tier = tier_table["tier"].cat.codes.to_numpy().astype(np.int8)
    is_new = tier_table["is_new"].to_numpy(dtype=bool)
    if previous is not None:
        prev = pd.Series(previous["tier"].astype(str).to_numpy(), index=previous["customer_id"].astype(str))
        prev = _codes(tier_table["customer_id"].astype(str).map(prev[~prev.index.duplicated()]))
    elif "previous_tier" in tier_table:
        prev = _codes(tier_table["previous_tier"])
    else:
        prev = previous_tier_codes(tier if listed_tier is None else listed_tier, is_new, policy)
    if override_date is None:
        override_date = np.full(len(tier_table), np.datetime64("NaT"), dtype="datetime64[D]")
    d = service_dates(tier, prev, is_new, override_date, year, policy)
    regular = tier == REGULAR
    return with_columns(tier_table, {
        "previous_tier": pd.Categorical.from_codes(prev, list(TIERS)),
        "approval_date": np.where(regular, np.datetime64("NaT"), d["approval_date"]).astype("datetime64[ns]"),
        "service_start": d["service_start"].astype("datetime64[ns]"),
        "service_months": d["service_months"],
        "date_reading": pd.Categorical.from_codes(d["date_reading"], list(DATE_READINGS)),
    })


__all__ = ["SERVICE_YEAR_COLUMNS", "ServiceYear", "date_year"]
