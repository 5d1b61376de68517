"""Tier-membership odds: for every candidate, the share of sampled settings in which it is
Gold and in which it is Silver (第12–13条), and who is on the edge of a list."""
from __future__ import annotations

import pandas as pd

from ..errors import ParameterError
from ..vocabulary import GOLD, REGULAR, SILVER, TIERS
from .engine import SOURCE, Sweep


def membership_odds(sw: Sweep) -> pd.DataFrame:
    """For every candidate: the share of the sweep's settings in which it is Gold, Silver,
    Regular (第7条, 第12–13条) [share, 0–1], beside its baseline tier.

    Parameters
    ----------
    sw : Sweep

    Returns
    -------
    DataFrame
        customer_id, branch, branch_class, is_new, gold_eligible, baseline_tier, p_gold,
        p_silver, p_regular.
    """
    counts, n = sw.tier_counts(), len(sw.settings)  # (3, m) settings per tier: no (S, m) array needed
    out = sw.pool.table[["customer_id", "branch", "branch_class", "is_new", "gold_eligible"]].copy()
    out["baseline_tier"] = pd.Categorical.from_codes(sw.baseline, list(TIERS))
    for name, code in (("gold", GOLD), ("silver", SILVER), ("regular", REGULAR)):
        out[f"p_{name}"] = counts[code] / n
    return out


def borderline(odds: pd.DataFrame, share: float = 0.2) -> pd.DataFrame:
    """Customers on the edge of the Gold or Silver list (第12–13条).

    * ``"at_risk"``: in the baseline Gold (Silver) list but out of it in more than ``share``
      of the settings;
    * ``"contender"``: not in the baseline list but in it in more than ``share`` of them.

    Parameters
    ----------
    odds : DataFrame from :func:`membership_odds`
    share : float [share, 0–1)

    Returns
    -------
    DataFrame with ``list`` (gold/silver), ``status``, ``p_in`` [share] and the candidate's
    columns, most uncertain (p_in nearest 0.5) first within each list and status.
    """
    if not (0 <= share < 1):
        raise ParameterError(SOURCE, "share", f"share = {share}; it must lie in [0, 1)")
    parts = []
    for name in ("gold", "silver"):
        in_base = odds["baseline_tier"].astype(str) == name
        p = odds[f"p_{name}"]
        at_risk = in_base & (1 - p > share)
        contender = ~in_base & (p > share)
        for mask, status in ((at_risk, "at_risk"), (contender, "contender")):
            part = odds[mask].copy()
            part.insert(0, "status", status)
            part.insert(0, "list", name)
            part["p_in"] = p[mask]
            parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out["_u"] = (out["p_in"] - 0.5).abs()
    out = out.sort_values(["list", "status", "_u", "customer_id"], kind="stable").drop(columns="_u")
    return out.reset_index(drop=True)


def safety_summary(odds: pd.DataFrame, share: float = 0.2) -> pd.DataFrame:
    """Counts per list (第12–13条) [customers]: the baseline, safely in (out in ≤ ``share`` of settings),
    at risk, contenders from outside, and always in.

    Parameters
    ----------
    odds : DataFrame from :func:`membership_odds`
    share : float [share, 0–1)
    """
    rows = []
    for name in ("gold", "silver"):
        in_base = odds["baseline_tier"].astype(str) == name
        p = odds[f"p_{name}"]
        rows.append({"list": name, "baseline": int(in_base.sum()),
                     "safely_in": int((in_base & (1 - p <= share)).sum()),
                     "at_risk": int((in_base & (1 - p > share)).sum()),
                     "contenders": int((~in_base & (p > share)).sum()),
                     "always_in": int((in_base & (p == 1)).sum())})
    return pd.DataFrame(rows).set_index("list")
