"""What a report page cannot show on a small book, and why (app side: reads a run's inputs).

A page run on a book with few or no VIP candidates shows the rest and says, in one box,
what it cannot show — "no Gold candidates: the Gold thresholds start at 1,000,000 CNY of
non-health premium; the largest in this book is 81 CNY — are the amounts in 万元?". Every page
says it the same way, with the vocabulary's template ``TEXT_TERMS["cannot_show"]``
("无法显示：{what}。原因：{why}" / "Cannot show: {what}. Why: {why}") drawn by :func:`tiermodel.present.page.cannot_show`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .notes import Note, note
from .policy import Policy
from .present import page
from .vocabulary import BRANCH_CLASSES


def _largest(portfolio: pd.DataFrame, column: str) -> float:
    values = portfolio[column].to_numpy(dtype=float) if len(portfolio) else np.zeros(0)
    return float(values.max()) if values.size else 0.0


def gold_note(portfolio: pd.DataFrame, tier_table: pd.DataFrame, policy: Policy) -> Note | str:
    """Why there is no Gold list on this book, as a note (``"tiers.no_gold_candidates"``;
    ``""`` when there is a list).

    Parameters
    ----------
    portfolio : DataFrame
        The validated book (amounts in 元).
    tier_table : DataFrame
        Its tiering (``tier`` and ``gold_eligible`` columns).
    policy : Policy
        The 第11条 Gold thresholds [CNY/yr].
    """
    from .portfolio import amount_scale_slip

    if len(tier_table) and bool(tier_table["gold_eligible"].any()):
        return ""
    crit = policy.eligibility.gold
    slip = bool(len(portfolio)) and bool(amount_scale_slip(portfolio))
    return note("tiers.no_gold_candidates_wan" if slip else "tiers.no_gold_candidates", customers=len(portfolio),
                non_health_min=crit.non_health_premium_min, health_min=crit.health_premium_min,
                long_term_min=crit.long_term_std_premium_min, largest=_largest(portfolio, "non_health_premium"))


def silver_note(portfolio: pd.DataFrame, tier_table: pd.DataFrame, policy: Policy) -> Note | str:
    """Why there is no Silver list on this book, as a note (``""`` when there is one)."""
    if len(tier_table) and bool(tier_table["silver_eligible"].any()):
        return ""
    lowest = min(policy.silver_criteria(c).non_health_premium_min for c in BRANCH_CLASSES)
    return note("tiers.no_silver_candidates", customers=len(portfolio), lowest=lowest,
                largest=_largest(portfolio, "non_health_premium"))


def list_notes(portfolio: pd.DataFrame, tier_table: pd.DataFrame, policy: Policy) -> list[Note]:
    """The Gold and Silver findings of a book, those that apply."""
    return [n for n in (gold_note(portfolio, tier_table, policy), silver_note(portfolio, tier_table, policy)) if n]


# The "cannot show" box moved to the present layer's page helper; this name stays importable
# from here only for the pages not yet converted to it (00, 04, 05, 06, 07).
cannot_show = page.cannot_show
