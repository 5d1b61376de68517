"""Figures of the VIP service budget (第26–27条, 附件七): the simulated yearly total, the cost
by tier and payer, and the fan chart. Call :func:`tiermodel.plots.use_cjk_font` first so
the Chinese labels render."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..vocabulary import PAYER_LABELS, PAYER_TERMS, TIER_LABELS, VIP_TIERS
from .style import TIER_COLORS

#: Quantiles marked on the histogram.
MARKED_QUANTILES = (0.50, 0.90, 0.95)


def forecast_figure(estimate, forecast, path: pd.DataFrame | None = None):
    """The budget figure for the report (第26条 2): two or three panels.

    Parameters
    ----------
    estimate : tiermodel.budget.BudgetEstimate
        The deterministic 附件七 cost (its total is marked on the histogram).
    forecast : tiermodel.budget.Forecast
        The simulated year: histogram of the total [million CNY] with P50 / P90 / P95.
    path : DataFrame, optional
        :func:`tiermodel.budget.forecast_path`: fan chart P5–P95 and P25–P75 [million CNY].

    Returns
    -------
    matplotlib.figure.Figure
        Histogram, cost by tier and payer (stacked bars) and, with ``path``, the fan chart.
    """
    n_panels = 3 if path is not None else 2
    fig, axes = plt.subplots(1, n_panels, figsize=(5.2 * n_panels, 4.2))
    total = forecast.totals("total")["total"].to_numpy() / 1e6
    ax = axes[0]
    ax.hist(total, bins=80, color="#4C72B0", alpha=0.8)
    for level, style in zip(MARKED_QUANTILES, (":", "--", "-.")):
        value = np.quantile(total, level)
        ax.axvline(value, color="k", ls=style, lw=1, label=f"P{round(level * 100)} {value:.2f}")
    ax.axvline(estimate.total / 1e6, color="#C44E52", lw=1.5,
               label=f"确定性估计 estimate {estimate.total / 1e6:.2f}")
    ax.set(title=f"{forecast.year} 年度服务投入 yearly cost, {forecast.n_sims:,} 次模拟",
           xlabel="百万元 million CNY", ylabel="模拟年数 simulated years")
    ax.legend(fontsize=8)
    ax = axes[1]
    payer = estimate.by_payer()
    bottom = np.zeros(len(VIP_TIERS))
    for row, hatch in zip(PAYER_TERMS, ("", "//")):
        values = payer.loc[row, list(VIP_TIERS)].to_numpy() / 1e6
        ax.bar([TIER_LABELS[t] for t in VIP_TIERS], values, bottom=bottom, hatch=hatch,
               color=[TIER_COLORS[t] for t in VIP_TIERS], edgecolor="k", label=PAYER_LABELS[row])
        bottom += values
    ax.set(title="按层级与承担方 by tier and payer", ylabel="百万元 million CNY")
    ax.legend(fontsize=8)
    if path is not None:
        ax = axes[2]
        years = path.index.to_numpy()
        ax.fill_between(years, path["P5"] / 1e6, path["P95"] / 1e6, color="#4C72B0", alpha=0.25, label="P5–P95")
        ax.fill_between(years, path["P25"] / 1e6, path["P75"] / 1e6, color="#4C72B0", alpha=0.45, label="P25–P75")
        ax.plot(years, path["P50"] / 1e6, color="k", lw=1.5, label="P50")
        ax.set(title="扇形图 fan chart", xlabel="年 year", ylabel="百万元 million CNY")
        ax.set_xticks(years)
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


__all__ = ["forecast_figure"]
