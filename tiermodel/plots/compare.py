"""Figures of the comparisons (notebook 06): transition matrix, movers, the years ahead.

Call :func:`tiermodel.plots.use_cjk_font` first so the Chinese labels render.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .style import TIER_COLORS

STATE_LABELS = {"gold": "金牌 Gold", "silver": "银牌 Silver", "regular": "普通 Regular", "none": "未在册 none"}


def transition_heatmap(matrix: pd.DataFrame, before: str = "上年 last year", after: str = "本年 this year",
                       ax=None):
    """Customers by state before (rows) and after (columns); log-shaded, counts written in each cell."""
    m = matrix.drop(index="total", columns="total", errors="ignore")
    ax = ax or plt.subplots(figsize=(6.2, 4.6))[1]
    values = m.to_numpy(dtype=float)
    ax.imshow(np.log1p(values), cmap="YlOrBr")
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            ax.text(j, i, f"{int(values[i, j]):,}", ha="center", va="center", fontsize=9,
                    color="black" if values[i, j] < values.max() / 3 else "white")
    ax.set_xticks(range(len(m.columns)), [STATE_LABELS.get(c, c) for c in m.columns])
    ax.set_yticks(range(len(m.index)), [STATE_LABELS.get(c, c) for c in m.index])
    ax.set_xlabel(after)
    ax.set_ylabel(before)
    ax.set_title("层级变动 Tier transitions")
    return ax


def movers_by_class(movers: pd.DataFrame, ax=None):
    """Gold and Silver entrants (up) and leavers (down) per branch class."""
    m = movers.drop(index="total", errors="ignore")
    ax = ax or plt.subplots(figsize=(6.2, 3.6))[1]
    x = np.arange(len(m))
    for k, tier in enumerate(("gold", "silver")):
        off = (k - 0.5) * 0.38
        ax.bar(x + off, m[f"{tier}_in"], 0.36, color=TIER_COLORS[tier], label=f"{STATE_LABELS[tier]} 进入 in")
        ax.bar(x + off, -m[f"{tier}_out"], 0.36, color=TIER_COLORS[tier], alpha=0.45,
               label=f"{STATE_LABELS[tier]} 退出 out")
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(x, [str(i) for i in m.index])
    ax.set_xlabel("机构类别 branch class")
    ax.set_ylabel("customers")
    ax.legend(fontsize=8, ncol=2)
    ax.set_title("进入与退出 Entrants and leavers")
    return ax


def projection(counts: pd.DataFrame, spend: pd.DataFrame | None = None, axes=None):
    """VIP counts per year and, beside them, the 附件七 budget per year [万元]."""
    if axes is None:
        _, axes = plt.subplots(1, 2 if spend is not None else 1, figsize=(10, 3.6), squeeze=False)
        axes = axes[0]
    years = [str(y) for y in counts.index]
    ax = axes[0]
    ax.bar(years, counts["silver"], color=TIER_COLORS["silver"], label=STATE_LABELS["silver"])
    ax.bar(years, counts["gold"], bottom=counts["silver"], color=TIER_COLORS["gold"], label=STATE_LABELS["gold"])
    ax.set_ylabel("VIP customers")
    ax.set_title("VIP 客户数 VIPs per year")
    ax.legend(fontsize=8)
    if spend is not None:
        ax2 = axes[1]
        ax2.bar(years, spend["silver_cny"] / 1e4, color=TIER_COLORS["silver"], label=STATE_LABELS["silver"])
        ax2.bar(years, spend["gold_cny"] / 1e4, bottom=spend["silver_cny"] / 1e4, color=TIER_COLORS["gold"],
                label=STATE_LABELS["gold"])
        ax2.set_ylabel("万元 (10k CNY)")
        ax2.set_title("附件七 服务预算 Service budget")
        ax2.legend(fontsize=8)
    return axes
