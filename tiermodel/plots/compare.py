"""Figures of the comparisons (notebook 06): transition matrix, movers, the years ahead.

Call :func:`tiermodel.plots.use_cjk_font` first so the Chinese labels render; words come from
:data:`tiermodel.vocabulary.PLOT_TERMS` in the output language ``lang``.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..vocabulary import TIER_TERMS
from .style import TIER_COLORS, amount_divisor, axis_label, thousands, tier_label, words


def state_label(state: str, lang: str = "zh") -> str:
    """A tier (金牌 …) or 未在册 (not in the book that year) in ``lang``."""
    if state in TIER_TERMS:
        return tier_label(state, lang)
    return words("not_in_book", lang) if state == "none" else str(state)


def _year_axis(year, default: str, lang: str) -> str:
    if year is None:
        return words(default, lang)
    return words("ax_tier_in_year", lang, year=year) if str(year).isdigit() else str(year)


def transition_heatmap(matrix: pd.DataFrame, before=None, after=None, ax=None, lang: str = "zh"):
    """Customers by tier before (rows) and after (columns); log-shaded, counts written in each cell.

    Parameters
    ----------
    matrix : DataFrame
        ``YearOverYear.matrix()`` [customers]; a ``total`` row and column are left out.
    before, after : int or str, optional
        The two years (axis "2003年层级" / "tier in 2003"), or a label used as is
        (default: last year's and this year's tier).
    ax : matplotlib Axes, optional
        Where to draw (default: a new 6.2 × 4.6 in figure).
    lang : {"zh", "en"}
        Output language.

    Returns
    -------
    matplotlib Axes
    """
    m = matrix.drop(index="total", columns="total", errors="ignore")
    ax = ax or plt.subplots(figsize=(6.2, 4.6))[1]
    values = m.to_numpy(dtype=float)
    ax.imshow(np.log1p(values), cmap="YlOrBr")
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            ax.text(j, i, f"{int(values[i, j]):,}", ha="center", va="center", fontsize=9,
                    color="black" if values[i, j] < values.max() / 3 else "white")
    ax.set_xticks(range(len(m.columns)), [state_label(c, lang) for c in m.columns])
    ax.set_yticks(range(len(m.index)), [state_label(c, lang) for c in m.index])
    ax.set_xlabel(_year_axis(after, "ax_tier_after", lang))
    ax.set_ylabel(_year_axis(before, "ax_tier_before", lang))
    ax.set_title(words("t_transitions", lang))
    return ax


def movers_by_class(movers: pd.DataFrame, ax=None, lang: str = "zh"):
    """Gold and Silver entrants (up) and leavers (down) per branch class [customers].

    Parameters
    ----------
    movers : DataFrame
        ``YearOverYear`` "movers by class": ``gold_in``, ``gold_out``, ``silver_in``, ``silver_out``.
    ax : matplotlib Axes, optional
        Where to draw (default: a new 6.2 × 3.6 in figure).
    lang : {"zh", "en"}
        Output language.

    Returns
    -------
    matplotlib Axes
    """
    m = movers.drop(index="total", errors="ignore")
    ax = ax or plt.subplots(figsize=(6.2, 3.6))[1]
    x = np.arange(len(m))
    for k, tier in enumerate(("gold", "silver")):
        off = (k - 0.5) * 0.38
        name = tier_label(tier, lang)
        ax.bar(x + off, m[f"{tier}_in"], 0.36, color=TIER_COLORS[tier], label=words("moved_in", lang, tier=name))
        ax.bar(x + off, -m[f"{tier}_out"], 0.36, color=TIER_COLORS[tier], alpha=0.45,
               label=words("moved_out", lang, tier=name))
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(x, [str(i) for i in m.index])
    ax.set_xlabel(axis_label("ax_branch_class", lang))
    ax.set_ylabel(axis_label("ax_movers", lang))
    ax.legend(fontsize=8, ncol=2)
    ax.set_title(words("t_movers", lang))
    return ax


def projection(counts: pd.DataFrame, spend: pd.DataFrame | None = None, axes=None, lang: str = "zh",
               amount_unit: str = "wan"):
    """VIP counts per year and, beside them, the 附件七 budget per year [万元 or 元].

    Parameters
    ----------
    counts : DataFrame
        ``project_years(...).counts``: years as rows, ``gold`` and ``silver`` [customers].
    spend : DataFrame, optional
        ``project_years(...).spend``: ``gold_cny`` and ``silver_cny`` [CNY/yr].
    axes : sequence of matplotlib Axes, optional
        Where to draw (default: a new figure with one or two panels).
    lang : {"zh", "en"}
        Output language.
    amount_unit : {"wan", "yuan"}
        Unit of the budget: 万元 (10,000 CNY) or 元.

    Returns
    -------
    sequence of matplotlib Axes
    """
    if axes is None:
        _, axes = plt.subplots(1, 2 if spend is not None else 1, figsize=(10, 3.6), squeeze=False)
        axes = axes[0]
    years = [str(y) for y in counts.index]
    ax = axes[0]
    ax.bar(years, counts["silver"], color=TIER_COLORS["silver"], label=tier_label("silver", lang))
    ax.bar(years, counts["gold"], bottom=counts["silver"], color=TIER_COLORS["gold"], label=tier_label("gold", lang))
    ax.set_xlabel(axis_label("ax_year", lang))
    ax.set_ylabel(axis_label("ax_vips", lang))
    ax.set_title(words("t_vips_per_year", lang))
    ax.legend(fontsize=8)
    if spend is not None:
        unit = amount_divisor(amount_unit)
        ax2 = axes[1]
        ax2.bar(years, spend["silver_cny"] / unit, color=TIER_COLORS["silver"], label=tier_label("silver", lang))
        ax2.bar(years, spend["gold_cny"] / unit, bottom=spend["silver_cny"] / unit, color=TIER_COLORS["gold"],
                label=tier_label("gold", lang))
        ax2.set_xlabel(axis_label("ax_year", lang))
        ax2.set_ylabel(axis_label("ax_budget", lang, amount_unit))
        thousands(ax2.yaxis)
        ax2.set_title(words("t_budget_per_year", lang))
        ax2.legend(fontsize=8)
    return axes
