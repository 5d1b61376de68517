"""Join an event table to the tier list (shared by the compliance and satisfaction checks)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputTableError, Problem


def with_tiers(log: pd.DataFrame, tiers: pd.DataFrame, file: str) -> pd.DataFrame:
    """Add ``branch`` and ``tier`` of each log row's customer; refuse unknown customers."""
    lookup = tiers[["customer_id", "branch", "tier"]].astype({"tier": str})
    out = log.merge(lookup, on="customer_id", how="left", validate="many_to_one")
    missing = np.flatnonzero(out["tier"].isna().to_numpy())
    if len(missing):
        raise InputTableError(file, [Problem(int(i) + 2, out["customer_id"].iloc[i], "customer_id",
                                             f"unknown customer '{out['customer_id'].iloc[i]}': "
                                             "not in the portfolio") for i in missing[:50]])
    return out
