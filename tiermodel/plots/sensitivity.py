"""Figures of the weight/K sensitivity (notebook 03): tornado, Gold swaps per step, the ternary
map of the weight simplex, Sobol' indices and the membership odds; and the Gold odds under
plausible 附表1–3 (notebook 08, :func:`table_odds_chart`). Call
:func:`tiermodel.plots.use_cjk_font` first so the Chinese labels render."""
from __future__ import annotations

import matplotlib.pyplot as plt
import matplotlib.tri as mtri
import numpy as np

from ..vocabulary import TIER_LABELS, TIERS
from .style import TIER_COLORS

OUTPUT_TITLES = {"gold_jaccard": "金牌 Gold overlap", "silver_jaccard": "银牌 Silver overlap",
                 "silver_count": "银牌 Silver count"}


def _axes(ax, figsize):
    return (plt.subplots(figsize=figsize)[1], True) if ax is None else (ax, False)


def tornado_chart(table, ax=None, title: str | None = "金牌 Gold list: one parameter at a time"):
    """Tornado chart of :func:`tiermodel.sensitivity.tornado_table` (第10条 parameters,
    第13条 Gold list): Gold customers swapped
    out of the baseline list at the low end (left) and the high end (right) of each
    parameter's range, widest effect on top.

    Parameters
    ----------
    table : DataFrame
        From :func:`tiermodel.sensitivity.tornado_table`.
    ax : Axes, optional
    title : str, optional
    """
    ax, own = _axes(ax, (7, 0.35 * len(table) + 1.2))
    labels = [f"{p.removeprefix('value_index.')}  [{lo:.3g} … {hi:.3g}]"
              for p, lo, hi in zip(table.index, table["low"], table["high"])]
    y = np.arange(len(table))[::-1]
    ax.barh(y, -table["gold_swaps_low"], color=TIER_COLORS["silver"], label="low end 低端")
    ax.barh(y, table["gold_swaps_high"], color=TIER_COLORS["gold"], label="high end 高端")
    ax.set_yticks(y, labels)
    ax.axvline(0, color="black", lw=0.8)
    ticks = ax.get_xticks()
    ax.set_xticks(ticks, [f"{abs(t):g}" for t in ticks])
    ax.set_xlabel("金牌 Gold customers swapped out of the baseline list")
    ax.legend(loc="lower right")
    if title:
        ax.set_title(title)
    if own:
        ax.figure.tight_layout()
    return ax


def swaps_by_step(oat, ax=None, title: str | None = None):
    """Gold swaps (第13条) at every step of every one-at-a-time range of the 第10条 parameters,
    against the parameter's value
    relative to the policy (1.0 = the policy value).

    Parameters
    ----------
    oat : DataFrame
        From :func:`tiermodel.sensitivity.one_at_a_time`.
    ax : Axes, optional
    title : str, optional
    """
    ax, own = _axes(ax, (7.5, 4))
    for name, part in oat.groupby("parameter", sort=False):
        ax.plot(part["relative"], part["gold_swaps"], marker=".", label=name.removeprefix("value_index."))
    ax.set_xlabel("value ÷ policy value")
    ax.set_ylabel("金牌 Gold swaps")
    ax.legend(fontsize=7, ncol=2)
    if title:
        ax.set_title(title)
    if own:
        ax.figure.tight_layout()
    return ax


def ternary_map(grid, policy, column: str = "gold_jaccard", ax=None,
                title: str | None = "金牌 Gold overlap with the 30/30/40 list"):
    """Ternary map of ``column`` over the 第10条 weight simplex (premium / loyalty / profit), the
    policy's weights marked.

    Parameters
    ----------
    grid : DataFrame
        From :func:`tiermodel.sensitivity.simplex_map`.
    policy : Policy
        Its weights are marked with a star.
    column : str
        The list metric to colour by [0–1].
    ax : Axes, optional
    title : str, optional
    """
    ax, own = _axes(ax, (6.4, 5.6))

    def xy(w):  # corners: premium bottom-left, loyalty bottom-right, profit top
        w = np.atleast_2d(w)
        return w[:, 1] + 0.5 * w[:, 2], np.sqrt(3) / 2 * w[:, 2]

    x, y = xy(grid[["w_premium", "w_loyalty", "w_profit"]].to_numpy())
    tri = mtri.Triangulation(x, y)
    lowest = np.floor(float(grid[column].min()) * 20) / 20 if len(grid) else 0.0
    levels = np.linspace(min(lowest, 0.95), 1.0, int(round((1.0 - min(lowest, 0.95)) * 20)) + 1)
    cs = ax.tricontourf(tri, grid[column], levels=levels, cmap="viridis")
    plt.colorbar(cs, ax=ax, label=f"{column} (金牌 Gold overlap with 30/30/40)")
    px, py = xy(policy.value_index.weights.as_array())
    ax.plot(px, py, marker="*", color="red", markersize=14, ls="none", label="policy 30/30/40")
    ax.plot([0, 1, 0.5, 0], [0, 0, np.sqrt(3) / 2, 0], color="black", lw=0.8)
    for (cx, cy), text in (((0, 0), "premium 保费 = 1"), ((1, 0), "loyalty 忠诚度 = 1"),
                           ((0.5, np.sqrt(3) / 2), "profit 利润 = 1")):
        ax.annotate(text, (cx, cy), xytext=(0, -14 if cy == 0 else 6), textcoords="offset points",
                    ha="center", fontsize=9)
    for t in (0.2, 0.4, 0.6, 0.8):  # faint lines of equal profit weight
        ax.plot([t / 2, 1 - t / 2], [np.sqrt(3) / 2 * t] * 2, color="white", lw=0.4, alpha=0.6)
    ax.set_xlim(-0.2, 1.2)
    ax.set_ylim(-0.1, 1.0)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.legend(loc="upper left")
    if title:
        ax.set_title(title)
    if own:
        ax.figure.tight_layout()
    return ax


def sobol_bars(indices, title: str | None = None):
    """One panel per output (第12–13条 lists): first- and total-order Sobol' indices of each
    第10条 input, with the
    bootstrap interval of the total order.

    Parameters
    ----------
    indices : DataFrame
        ``SobolAnalysis.indices`` (:func:`tiermodel.sensitivity.sobol_analysis`).
    title : str, optional

    Returns
    -------
    Figure
    """
    outputs = list(dict.fromkeys(indices["output"]))
    fig, axes = plt.subplots(1, len(outputs), figsize=(5 * len(outputs), 3.8), sharey=True, squeeze=False)
    for ax, (out, part) in zip(axes[0], indices.groupby("output", sort=False)):
        y = range(len(part))[::-1]
        ax.barh([v + 0.2 for v in y], part["total_order"], height=0.4, color=TIER_COLORS["gold"],
                label="total order")
        ax.barh([v - 0.2 for v in y], part["first_order"], height=0.4, color=TIER_COLORS["regular"],
                label="first order")
        ax.errorbar(part["total_order"], [v + 0.2 for v in y], fmt="none", color="black", lw=0.8,
                    xerr=[(part["total_order"] - part["total_low"]).fillna(0),
                          (part["total_high"] - part["total_order"]).fillna(0)])
        ax.set_yticks(list(y), part["input"])
        ax.set_title(OUTPUT_TITLES.get(out, out))
    axes[0][0].legend(fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def membership_scatter(odds, ax=None, title: str | None = "Candidates: share of settings in each list"):
    """Each candidate's share of drawn settings in Gold against its share in Silver (第12–13条),
    coloured by baseline tier.

    Parameters
    ----------
    odds : DataFrame
        From :func:`tiermodel.sensitivity.membership_odds`.
    ax : Axes, optional
    title : str, optional
    """
    ax, own = _axes(ax, (6, 4.5))
    for name in TIERS:
        part = odds[odds["baseline_tier"].astype(str) == name]
        ax.scatter(part["p_gold"], part["p_silver"], s=14, color=TIER_COLORS[name], alpha=0.7,
                   label=f"baseline {TIER_LABELS[name]}")
    ax.set_xlabel("share of settings in 金牌 Gold")
    ax.set_ylabel("share of settings in 银牌 Silver")
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    if own:
        ax.figure.tight_layout()
    return ax


def table_odds_chart(odds, robust_share: float = 0.95, contested_share: float = 0.05, ax=None,
                     title: str | None = "金牌 Gold odds under plausible 附表1–3 against the value index"):
    """Each candidate's share of table draws in which it is Gold (第13条) against its value
    index under the assumed 附表1–3 (第10条), coloured by its tier under the assumed tables,
    existing and new customers marked apart, with the bootstrap interval of each share and the
    robust-core and contested lines.

    Parameters
    ----------
    odds : DataFrame
        From :func:`tiermodel.sensitivity.table_draws.table_odds` (``TableSensitivity.odds``).
    robust_share, contested_share : float [share, 0–1]
        Drawn as dashed lines (the parameter file's ``table_uncertainty``).
    ax : Axes, optional
    title : str, optional
    """
    ax, own = _axes(ax, (8, 4.8))
    for name in TIERS:
        for is_new, marker in ((False, "o"), (True, "^")):
            part = odds[(odds["baseline_tier"].astype(str) == name) & (odds["is_new"] == is_new)]
            if part.empty:
                continue
            ax.errorbar(part["value_index"], part["p_gold"], fmt="none", ecolor=TIER_COLORS[name], lw=0.6,
                        alpha=0.5, yerr=[part["p_gold"] - part["p_gold_low"], part["p_gold_high"] - part["p_gold"]])
            ax.scatter(part["value_index"], part["p_gold"], s=16, marker=marker, color=TIER_COLORS[name],
                       edgecolor="black", linewidth=0.2, alpha=0.8,
                       label=f"{TIER_LABELS[name]} under assumed tables, {'new 新' if is_new else 'existing'}")
    for share, text in ((robust_share, f"robust core ≥ {robust_share:.0%}"),
                        (contested_share, f"contested ≥ {contested_share:.0%}")):
        ax.axhline(share, color="grey", ls="--", lw=0.8)
        ax.annotate(text, (0, share), xycoords=("axes fraction", "data"), xytext=(3, 3),
                    textcoords="offset points", fontsize=8, color="dimgrey")
    ax.set_xlabel("value index under the assumed 附表1–3 (第10条)")
    ax.set_ylabel("share of table draws in 金牌 Gold")
    ax.set_ylim(-0.03, 1.03)
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(0.0, 0.55))  # the empty low-index side
    if title:
        ax.set_title(title)
    if own:
        ax.figure.tight_layout()
    return ax
