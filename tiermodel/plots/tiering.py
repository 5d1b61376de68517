"""Figures of the tier list (notebook 01): VIP counts by class, value-index distribution."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .style import TIER_COLORS, tier_label


def tier_counts_by_class(counts, ax=None):
    """Stacked bars of VIP counts per branch class (Regular omitted: it dwarfs the VIPs)."""
    ax = ax or plt.subplots(figsize=(6, 3.5))[1]
    data = counts.drop(index="total", errors="ignore")
    bottom = None
    for tier in ("gold", "silver"):
        ax.bar(data.index.astype(str), data[tier], bottom=bottom, color=TIER_COLORS[tier],
               label=tier_label(tier))
        bottom = data[tier] if bottom is None else bottom + data[tier]
    ax.set_xlabel("机构类别 branch class")
    ax.set_ylabel("客户数 customers [户]")
    ax.set_title("各类机构金牌、银牌客户数 VIP customers by branch class (第11–13条)")
    ax.legend()
    return ax


def value_index_histogram(table, cuts: dict, ax=None):
    """Distribution of the value index by tier, with the Gold and Silver cut lines."""
    ax = ax or plt.subplots(figsize=(7, 3.8))[1]
    bins = np.linspace(table["value_index"].min(), table["value_index"].max(), 40)
    for tier in ("regular", "silver", "gold"):
        ax.hist(table.loc[table["tier"] == tier, "value_index"], bins=bins, color=TIER_COLORS[tier],
                label=tier_label(tier), alpha=0.85, log=True)
    styles = {"gold_existing": ("金牌 cut, existing", "-"), "gold_new": ("金牌 cut, new", "--"),
              "silver": ("银牌 lowest", ":")}
    for key, (label, style) in styles.items():
        if cuts.get(key) == cuts.get(key):  # not NaN
            ax.axvline(cuts[key], color="black", linestyle=style, linewidth=1,
                       label=f"{label} = {cuts[key]:.3f}")
    ax.set_xlabel("客户价值指标 value index (第10条)")
    ax.set_ylabel("客户数 customers [户, log scale]")
    ax.set_title("客户价值指标分布与入选切线 Value index by tier, with the cut lines")
    ax.legend(fontsize=8, loc="upper left")
    return ax
