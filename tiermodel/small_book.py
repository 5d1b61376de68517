"""What a report page cannot show on a small book, and why (app side: reads a run's inputs).

A page run on a book with few or no VIP candidates shows the rest and says, in one box,
what it cannot show — "no Gold candidates: the Gold thresholds start at 1,000,000 CNY of
non-health premium; the largest in this book is 81 CNY — are the amounts in 万元?". Every page
says it the same way, with the vocabulary's template ``TEXT_TERMS["cannot_show"]``
("无法显示：{what}。原因：{why}" / "Cannot show: {what}. Why: {why}") drawn by :func:`cannot_show`.
"""
from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd

from .policy import Policy
from .present.html import Html
from .present.labels import text
from .vocabulary import BRANCH_CLASSES, translate_text


def _largest(portfolio: pd.DataFrame, column: str) -> float:
    values = portfolio[column].to_numpy(dtype=float) if len(portfolio) else np.zeros(0)
    return float(values.max()) if values.size else 0.0


def gold_note(portfolio: pd.DataFrame, tier_table: pd.DataFrame, policy: Policy) -> str:
    """Why there is no Gold list on this book ("" when there is one).

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
    largest = _largest(portfolio, "non_health_premium")
    slip = " — are the amounts in 万元 (--amount-unit wan)?" if len(portfolio) and amount_scale_slip(portfolio) \
        else ""
    return (f"no Gold candidates among {len(portfolio):,} customers: the Gold thresholds (第11条) start at "
            f"{crit.non_health_premium_min:,.0f} CNY of non-health premium (or {crit.health_premium_min:,.0f} "
            f"health, {crit.long_term_std_premium_min:,.0f} long-term standard premium); the largest "
            f"non-health premium in this book is {largest:,.0f} CNY{slip}")


def silver_note(portfolio: pd.DataFrame, tier_table: pd.DataFrame, policy: Policy) -> str:
    """Why there is no Silver list on this book ("" when there is one)."""
    if len(tier_table) and bool(tier_table["silver_eligible"].any()):
        return ""
    lowest = min(policy.silver_criteria(c).non_health_premium_min for c in BRANCH_CLASSES)
    largest = _largest(portfolio, "non_health_premium")
    return (f"no Silver candidates among {len(portfolio):,} customers: the lowest Silver threshold (第11条, "
            f"class D) is {lowest:,.0f} CNY of non-health premium within the loss-ratio caps; the largest "
            f"non-health premium in this book is {largest:,.0f} CNY")


def list_notes(portfolio: pd.DataFrame, tier_table: pd.DataFrame, policy: Policy) -> list[str]:
    """The Gold and Silver findings of a book, those that apply."""
    return [n for n in (gold_note(portfolio, tier_table, policy), silver_note(portfolio, tier_table, policy)) if n]


def cannot_show(what: str | tuple[str, str], why: str, lang: str = "zh") -> Html:
    """A visible box on a report page: what the page cannot show, and why, in the vocabulary's
    words ("无法显示：金牌名单。原因：…").

    Parameters
    ----------
    what : str or (str, str)
        The section that is left out, e.g. ``("金牌名单", "the Gold list")`` (Chinese, English)
        or one phrase already in the reader's language.
    why : str
        The finding, e.g. :func:`gold_note` or :func:`tiermodel.budget.vip_absence`.
    lang : {"zh", "en"}
        Output language of the template (and of ``what`` when it is a pair).
    """
    if isinstance(what, tuple):
        what = what[0] if lang == "zh" else what[1]
    line = text("cannot_show", lang, what=what, why=translate_text(why, lang))
    return Html(f'<div class="tm-cannot-show" style="border:1px solid #e0b84c;background:#fff8e1;padding:6px 10px;'
                f'margin:6px 0"><b>{escape(line)}</b></div>', line)
