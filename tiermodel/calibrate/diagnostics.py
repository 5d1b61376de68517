"""What the 第11条 thresholds in force produce on a book: candidates per tier and branch class,
which criterion qualifies them, how far the Gold pool exceeds its places (第13条), and the
value-index margin at the Gold cut."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..policy import Policy
from ..tiers import Tiering, criteria_label
from ..vocabulary import BRANCH_CLASSES
from .thresholds import silver_places_per_class


def candidate_table(tiering: Tiering) -> pd.DataFrame:
    """Customers, candidates, places and tiers per branch class, with a total row (第11–13条).

    Parameters
    ----------
    tiering : Tiering
        From :func:`tiermodel.tiers.assign_tiers` (with its Silver capacity).

    Returns
    -------
    DataFrame
        Indexed by branch class [customers]: customers; gold_eligible; silver_eligible (all
        meeting a Silver criterion); silver_candidates (Silver-eligible not made Gold);
        silver_places; gold; silver.
    """
    t = tiering.table
    gold = t["tier"] == "gold"
    cls = t["branch_class"].astype(str)
    frame = pd.DataFrame({
        "customers": 1, "gold_eligible": t["gold_eligible"], "silver_eligible": t["silver_eligible"],
        "silver_candidates": t["silver_eligible"] & ~gold, "gold": gold, "silver": t["tier"] == "silver",
    }).astype(int).groupby(cls.to_numpy()).sum().reindex(list(BRANCH_CLASSES), fill_value=0)
    places = silver_places_per_class(t, tiering.capacity)
    frame.insert(4, "silver_places", [places[c] for c in BRANCH_CLASSES])
    frame.loc["total"] = frame.sum()
    frame.index.name = "branch_class"
    return frame


def criteria_overlap(tiering: Tiering) -> pd.DataFrame:
    """Gold and Silver candidates by the combination of 第11条 criteria they meet (OR'd).

    Parameters
    ----------
    tiering : Tiering

    Returns
    -------
    DataFrame
        One row per combination and a total row; columns gold, silver [customers].
    """
    t = tiering.table
    labels = [criteria_label(b) for b in range(1, 8)]
    out = pd.DataFrame({
        "gold": t.loc[t["gold_eligible"], "gold_criteria"].astype(str).value_counts(),
        "silver": t.loc[t["silver_eligible"], "silver_criteria"].astype(str).value_counts(),
    }).reindex(labels, fill_value=0).fillna(0).astype(int)
    out.index.name = "criteria met"
    out.loc["total"] = out.sum()
    return out


def gold_pool_excess(tiering: Tiering, policy: Policy) -> pd.DataFrame:
    """Gold candidates against the 第13条 places, per pool (existing/new) and in total.

    Parameters
    ----------
    tiering : Tiering
    policy : Policy
        Gives the Gold places (30 existing, 10 new).

    Returns
    -------
    DataFrame
        Indexed by pool: candidates, places, excess [customers], candidates_per_place [-].
    """
    t = tiering.table
    gs = policy.gold_selection
    elig = t[t["gold_eligible"]]
    n_new = int(elig["is_new"].sum())
    rows = {"existing": (len(elig) - n_new, gs.existing_places),
            "new": (n_new, gs.new_places),
            "total": (len(elig), gs.existing_places + gs.new_places)}
    return pd.DataFrame([{"pool": k, "candidates": c, "places": p, "excess": c - p,
                          "candidates_per_place": round(c / p, 2) if p else None}
                         for k, (c, p) in rows.items()]).set_index("pool")


def gold_cut_margin(tiering: Tiering) -> pd.DataFrame:
    """How far the hard ranking of 第13条 is from flipping: value index of the last Gold and
    the first non-Gold candidate in each Gold pool, and the margin between them [-].

    Parameters
    ----------
    tiering : Tiering

    Returns
    -------
    DataFrame
        Indexed by pool: gold, candidates [customers], last_gold_id, last_gold_value_index,
        first_out_id, first_out_value_index, margin [-], tied_at_cut [customers].
    """
    t = tiering.table
    rows = []
    for pool in ("existing", "new"):
        cand = t[t["gold_eligible"] & (t["gold_pool"] == pool)].sort_values("gold_rank")
        gold = cand[cand["tier"] == "gold"]
        out = cand[cand["tier"] != "gold"]
        last = gold["value_index"].iloc[-1] if len(gold) else np.nan
        first = out["value_index"].iloc[0] if len(out) else np.nan
        rows.append({"pool": pool, "gold": len(gold), "candidates": len(cand),
                     "last_gold_id": gold["customer_id"].iloc[-1] if len(gold) else None,
                     "last_gold_value_index": last,
                     "first_out_id": out["customer_id"].iloc[0] if len(out) else None,
                     "first_out_value_index": first, "margin": last - first,
                     "tied_at_cut": int(np.count_nonzero(cand["value_index"].to_numpy() == last)) if len(gold) else 0})
    return pd.DataFrame(rows).set_index("pool")
