"""Join an event table to the tier list (shared by the compliance, satisfaction, hotline and
complaint checks)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputTableError, Problem
from ..service_period import tier_on
from ..vocabulary import TIERS


def with_tiers(log: pd.DataFrame, tiers: pd.DataFrame, file: str, on: str | None = None) -> pd.DataFrame:
    """Add ``branch`` and ``tier`` of each log row's customer; refuse unknown customers.

    With ``on`` (a date column of the log) and a year under review's table
    (:class:`tiermodel.compare.ServiceYear`: ``service_start``, ``previous_tier``), ``tier``
    is the tier served on that date (第12条: last year's before the service start).
    """
    tiers = getattr(tiers, "table", tiers)
    lookup = tiers[["customer_id", "branch", "tier"]].astype({"tier": str})
    out = log.merge(lookup, on="customer_id", how="left", validate="many_to_one")
    missing = np.flatnonzero(out["tier"].isna().to_numpy())
    if len(missing):
        raise InputTableError(file, [Problem(int(i) + 2, out["customer_id"].iloc[i], "customer_id",
                                             f"unknown customer '{out['customer_id'].iloc[i]}': "
                                             "not in the portfolio") for i in missing[:50]])
    if on is not None:
        served = served_tiers(out["customer_id"], out[on], tiers)
        if served is not None:
            out["tier"] = served
    return out


def served_tiers(customer_ids: pd.Series, dates: pd.Series, tiers: pd.DataFrame) -> np.ndarray | None:
    """The tier each customer is served at on each date, from the year under review's
    ``service_start`` and ``previous_tier``; None for a tier list without them. Unknown
    customers read ``""``."""
    tiers = getattr(tiers, "table", tiers)
    if "service_start" not in tiers or "previous_tier" not in tiers:
        return None
    pos = pd.Index(tiers["customer_id"].astype(str)).get_indexer(pd.Series(customer_ids).astype(str))
    known = pos >= 0
    at = np.where(known, pos, 0)
    cats = pd.Categorical(tiers["tier"].astype(str), categories=list(TIERS)).codes
    prev = pd.Categorical(tiers["previous_tier"].astype(str), categories=list(TIERS)).codes
    codes = tier_on(cats[at], prev[at], pd.to_datetime(tiers["service_start"]).to_numpy()[at],
                    pd.to_datetime(pd.Series(dates)).to_numpy())
    return np.where(known, np.asarray(TIERS, dtype=object)[codes], "")
