"""Figures of the tier list (notebook 01): VIP counts by class, value-index distribution.

Words come from :data:`tiermodel.vocabulary.PLOT_TERMS` in the output language ``lang``.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .style import TIER_COLORS, axis_label, tier_label, words


def tier_counts_by_class(counts, ax=None, lang: str = "zh"):
    """Stacked bars of VIP counts per branch class (第11–13条; Regular omitted: it dwarfs the VIPs).

    Parameters
    ----------
    counts : DataFrame
        ``TierResult.tables()["tier counts by class"]``: branch classes as rows, ``gold`` and
        ``silver`` [customers].
    ax : matplotlib Axes, optional
        Where to draw (default: a new 6 × 3.5 in figure).
    lang : {"zh", "en"}
        Output language of the title, labels and legend.

    Returns
    -------
    matplotlib Axes
        Bars [customers].
    """
    ax = ax or plt.subplots(figsize=(6, 3.5))[1]
    data = counts.drop(index="total", errors="ignore")
    bottom = None
    for tier in ("gold", "silver"):
        ax.bar(data.index.astype(str), data[tier], bottom=bottom, color=TIER_COLORS[tier],
               label=tier_label(tier, lang))
        bottom = data[tier] if bottom is None else bottom + data[tier]
    ax.set_xlabel(axis_label("ax_branch_class", lang))
    ax.set_ylabel(axis_label("ax_customers", lang))
    ax.set_title(words("t_vips_by_class", lang))
    ax.legend()
    return ax


def value_index_histogram(table, cuts: dict, ax=None, lang: str = "zh"):
    """Distribution of the value index (第10条) by tier, with the Gold and Silver cut lines (第13条).

    Parameters
    ----------
    table : DataFrame
        The tier table (``value_index`` [-], ``tier``).
    cuts : dict
        :func:`tiermodel.tiers.cut_lines`: ``gold_existing``, ``gold_new``, ``silver`` [-] (NaN
        where there is no cut).
    ax : matplotlib Axes, optional
        Where to draw (default: a new 7 × 3.8 in figure).
    lang : {"zh", "en"}
        Output language.

    Returns
    -------
    matplotlib Axes
        Histogram [customers, log scale] against the value index [dimensionless].
    """
    ax = ax or plt.subplots(figsize=(7, 3.8))[1]
    bins = np.linspace(table["value_index"].min(), table["value_index"].max(), 40)
    for tier in ("regular", "silver", "gold"):
        ax.hist(table.loc[table["tier"] == tier, "value_index"], bins=bins, color=TIER_COLORS[tier],
                label=tier_label(tier, lang), alpha=0.85, log=True)
    styles = {"gold_existing": ("cut_gold_existing", "-"), "gold_new": ("cut_gold_new", "--"),
              "silver": ("cut_silver", ":")}
    for key, (label, style) in styles.items():
        if cuts.get(key) == cuts.get(key):  # not NaN
            ax.axvline(cuts[key], color="black", linestyle=style, linewidth=1,
                       label=f"{words(label, lang)} = {cuts[key]:.3f}")
    ax.set_xlabel(axis_label("ax_value_index", lang))
    ax.set_ylabel(axis_label("ax_customers_log", lang))
    ax.set_title(words("t_value_index", lang))
    ax.legend(fontsize=8, loc="upper left")
    return ax
