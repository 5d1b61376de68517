"""Figures of the VIP service budget (第26–27条, 附件七): the simulated yearly total, the cost
by tier and payer, and the fan chart. Call :func:`tiermodel.plots.use_cjk_font` first so
the Chinese labels render; words come from :data:`tiermodel.vocabulary.PLOT_TERMS` in the
output language ``lang``, amounts are shown in ``amount_unit`` (万元 or 元)."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..vocabulary import PAYER_TERMS, VIP_TIERS
from .style import TIER_COLORS, amount_divisor, axis_label, thousands, tier_label, words

#: Quantiles marked on the histogram.
MARKED_QUANTILES = (0.50, 0.90, 0.95)


def forecast_figure(estimate, forecast, path: pd.DataFrame | None = None, lang: str = "zh",
                    amount_unit: str = "wan"):
    """The budget figure for the report (第26条 2): two or three panels.

    Parameters
    ----------
    estimate : tiermodel.budget.BudgetEstimate
        The deterministic 附件七 cost (its total is marked on the histogram).
    forecast : tiermodel.budget.Forecast
        The simulated year: histogram of the total [万元 or 元] with P50 / P90 / P95.
    path : DataFrame, optional
        :func:`tiermodel.budget.forecast_path`: fan chart P5–P95 and P25–P75 [万元 or 元].
    lang : {"zh", "en"}
        Output language.
    amount_unit : {"wan", "yuan"}
        Unit of the amounts shown: 万元 (10,000 CNY) or 元.

    Returns
    -------
    matplotlib.figure.Figure
        Histogram, cost by tier and payer (stacked bars) and, with ``path``, the fan chart.
    """
    n_panels = 3 if path is not None else 2
    fig, axes = plt.subplots(1, n_panels, figsize=(5.2 * n_panels, 4.2))
    unit = amount_divisor(amount_unit)
    places = 1 if unit > 1 else 0  # 万元 to one decimal, 元 whole
    total = forecast.totals("total")["total"].to_numpy() / unit
    ax = axes[0]
    ax.hist(total, bins=80, color="#4C72B0", alpha=0.8)
    for level, style in zip(MARKED_QUANTILES, (":", "--", "-.")):
        value = np.quantile(total, level)
        ax.axvline(value, color="k", ls=style, lw=1, label=f"P{round(level * 100)} {value:,.{places}f}")
    ax.axvline(estimate.total / unit, color="#C44E52", lw=1.5,
               label=f"{words('estimate', lang)} {estimate.total / unit:,.{places}f}")
    ax.set(title=words("t_forecast", lang, year=forecast.year, n=forecast.n_sims),
           xlabel=axis_label("ax_yearly_cost", lang, amount_unit), ylabel=axis_label("ax_simulations", lang))
    thousands(ax.xaxis)
    ax.legend(fontsize=8)
    ax = axes[1]
    payer = estimate.by_payer()
    bottom = np.zeros(len(VIP_TIERS))
    for row, hatch in zip(PAYER_TERMS, ("", "//")):
        values = payer.loc[row, list(VIP_TIERS)].to_numpy() / unit
        ax.bar([tier_label(t, lang) for t in VIP_TIERS], values, bottom=bottom, hatch=hatch,
               color=[TIER_COLORS[t] for t in VIP_TIERS], edgecolor="k",
               label=PAYER_TERMS[row].zh if lang == "zh" else PAYER_TERMS[row].en)
        bottom += values
    ax.set(title=words("t_by_tier_payer", lang), ylabel=axis_label("ax_cost", lang, amount_unit))
    thousands(ax.yaxis)
    ax.legend(fontsize=8)
    if path is not None:
        ax = axes[2]
        years = path.index.to_numpy()
        ax.fill_between(years, path["P5"] / unit, path["P95"] / unit, color="#4C72B0", alpha=0.25, label="P5–P95")
        ax.fill_between(years, path["P25"] / unit, path["P75"] / unit, color="#4C72B0", alpha=0.45,
                        label="P25–P75")
        ax.plot(years, path["P50"] / unit, color="k", lw=1.5, label="P50")
        ax.set(title=words("t_fan", lang), xlabel=axis_label("ax_year", lang),
               ylabel=axis_label("ax_yearly_cost", lang, amount_unit))
        ax.set_xticks(years, [str(y) for y in years])
        thousands(ax.yaxis)
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


__all__ = ["forecast_figure"]
