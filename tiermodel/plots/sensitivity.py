"""Figures of the weight/K sensitivity (notebook 03): tornado, Gold swaps per step, the ternary
map of the weight simplex, Sobol' indices and the membership odds; and the Gold odds under
plausible 附表1–3 (notebook 08, :func:`table_odds_chart`). Call
:func:`tiermodel.plots.use_cjk_font` first so the Chinese labels render; words come from
:data:`tiermodel.vocabulary.PLOT_TERMS` in the output language ``lang``, and a ``title`` of
None takes the vocabulary's title."""
from __future__ import annotations

import matplotlib.pyplot as plt
import matplotlib.tri as mtri
import numpy as np

from ..present.labels import parameter_name, translate_values
from ..vocabulary import COLUMN_TERMS, POOL_TERMS, TIERS
from .style import TIER_COLORS, axis_label, tier_label, words


def output_title(column: str, lang: str = "zh") -> str:
    """A list metric's name (``gold_jaccard`` → 金牌名单重合度) in ``lang``; the key if unknown."""
    term = COLUMN_TERMS.get(column)
    return column if term is None else (term.zh if lang == "zh" else term.en)


def _axes(ax, figsize):
    return (plt.subplots(figsize=figsize)[1], True) if ax is None else (ax, False)


def tornado_chart(table, ax=None, title: str | None = None, lang: str = "zh"):
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
        Title (default: the vocabulary's).
    lang : {"zh", "en"}
        Output language.
    """
    ax, own = _axes(ax, (7, 0.35 * len(table) + 1.2))
    labels = [f"{parameter_name(p, lang)}  [{lo:.3g} … {hi:.3g}]"
              for p, lo, hi in zip(table.index, table["low"], table["high"])]
    y = np.arange(len(table))[::-1]
    ax.barh(y, -table["gold_swaps_low"], color=TIER_COLORS["silver"], label=words("low_end", lang))
    ax.barh(y, table["gold_swaps_high"], color=TIER_COLORS["gold"], label=words("high_end", lang))
    ax.set_yticks(y, labels)
    ax.axvline(0, color="black", lw=0.8)
    ticks = ax.get_xticks()
    ax.set_xticks(ticks, [f"{abs(t):g}" for t in ticks])
    ax.set_xlabel(axis_label("ax_gold_swapped", lang))
    ax.legend(loc="lower right")
    ax.set_title(title or words("t_tornado", lang))
    if own:
        ax.figure.tight_layout()
    return ax


def swaps_by_step(oat, ax=None, title: str | None = None, lang: str = "zh"):
    """Gold swaps (第13条) at every step of every one-at-a-time range of the 第10条 parameters,
    against the parameter's value
    relative to the policy (1.0 = the policy value).

    Parameters
    ----------
    oat : DataFrame
        From :func:`tiermodel.sensitivity.one_at_a_time`.
    ax : Axes, optional
    title : str, optional
        Title (default: the vocabulary's).
    lang : {"zh", "en"}
        Output language.
    """
    ax, own = _axes(ax, (7.5, 4))
    for name, part in oat.groupby("parameter", sort=False):
        ax.plot(part["relative"], part["gold_swaps"], marker=".", label=parameter_name(name, lang))
    ax.set_xlabel(axis_label("ax_relative", lang))
    ax.set_ylabel(axis_label("ax_gold_swaps", lang))
    ax.legend(fontsize=7, ncol=2)
    ax.set_title(title or words("t_swaps_by_step", lang))
    if own:
        ax.figure.tight_layout()
    return ax


def ternary_map(grid, policy, column: str = "gold_jaccard", ax=None, title: str | None = None,
                lang: str = "zh"):
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
        Title (default: the vocabulary's).
    lang : {"zh", "en"}
        Output language.
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
    plt.colorbar(cs, ax=ax, label=axis_label("ax_overlap", lang, what=output_title(column, lang)))
    px, py = xy(policy.value_index.weights.as_array())
    ax.plot(px, py, marker="*", color="red", markersize=14, ls="none", label=words("policy_weights", lang))
    ax.plot([0, 1, 0.5, 0], [0, 0, np.sqrt(3) / 2, 0], color="black", lw=0.8)
    for (cx, cy), text in (((0, 0), words("corner_premium", lang)), ((1, 0), words("corner_loyalty", lang)),
                           ((0.5, np.sqrt(3) / 2), words("corner_profit", lang))):
        ax.annotate(text, (cx, cy), xytext=(0, -14 if cy == 0 else 6), textcoords="offset points",
                    ha="center", fontsize=9)
    for t in (0.2, 0.4, 0.6, 0.8):  # faint lines of equal profit weight
        ax.plot([t / 2, 1 - t / 2], [np.sqrt(3) / 2 * t] * 2, color="white", lw=0.4, alpha=0.6)
    ax.set_xlim(-0.2, 1.2)
    ax.set_ylim(-0.1, 1.0)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.legend(loc="upper left")
    ax.set_title(title or words("t_ternary", lang, what=output_title(column, lang)))
    if own:
        ax.figure.tight_layout()
    return ax


def sobol_bars(indices, title: str | None = None, lang: str = "zh"):
    """One panel per output (第12–13条 lists): first- and total-order Sobol' indices of each
    第10条 input, with the
    bootstrap interval of the total order.

    Parameters
    ----------
    indices : DataFrame
        ``SobolAnalysis.indices`` (:func:`tiermodel.sensitivity.sobol_analysis`).
    title : str, optional
        Title (default: the vocabulary's).
    lang : {"zh", "en"}
        Output language.

    Returns
    -------
    Figure
    """
    outputs = list(dict.fromkeys(indices["output"]))
    fig, axes = plt.subplots(1, len(outputs), figsize=(5 * len(outputs), 3.8), sharey=True, squeeze=False)
    for ax, (out, part) in zip(axes[0], indices.groupby("output", sort=False)):
        y = range(len(part))[::-1]
        ax.barh([v + 0.2 for v in y], part["total_order"], height=0.4, color=TIER_COLORS["gold"],
                label=words("total_order", lang))
        ax.barh([v - 0.2 for v in y], part["first_order"], height=0.4, color=TIER_COLORS["regular"],
                label=words("first_order", lang))
        ax.errorbar(part["total_order"], [v + 0.2 for v in y], fmt="none", color="black", lw=0.8,
                    xerr=[(part["total_order"] - part["total_low"]).fillna(0),
                          (part["total_high"] - part["total_order"]).fillna(0)])
        ax.set_yticks(list(y), translate_values(part["input"], "input", lang).tolist())  # inputs in words
        ax.set_title(output_title(out, lang))
        ax.set_xlabel(axis_label("ax_sobol", lang))
    axes[0][0].legend(fontsize=8)
    fig.suptitle(title or words("t_sobol", lang))
    fig.tight_layout()
    return fig


def membership_scatter(odds, ax=None, title: str | None = None, lang: str = "zh"):
    """Each candidate's share of drawn settings in Gold against its share in Silver (第12–13条),
    coloured by baseline tier.

    Parameters
    ----------
    odds : DataFrame
        From :func:`tiermodel.sensitivity.membership_odds`.
    ax : Axes, optional
    title : str, optional
        Title (default: the vocabulary's).
    lang : {"zh", "en"}
        Output language.
    """
    ax, own = _axes(ax, (6, 4.5))
    for name in TIERS:
        part = odds[odds["baseline_tier"].astype(str) == name]
        ax.scatter(part["p_gold"] * 100, part["p_silver"] * 100, s=14, color=TIER_COLORS[name], alpha=0.7,
                   label=words("baseline_tier", lang, tier=tier_label(name, lang)))
    ax.set_xlabel(axis_label("ax_share_gold", lang))
    ax.set_ylabel(axis_label("ax_share_silver", lang))
    ax.legend(fontsize=8)
    ax.set_title(title or words("t_membership", lang))
    if own:
        ax.figure.tight_layout()
    return ax


def table_odds_chart(odds, robust_share: float = 0.95, contested_share: float = 0.05, ax=None,
                     title: str | None = None, lang: str = "zh"):
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
        Title (default: the vocabulary's).
    lang : {"zh", "en"}
        Output language.
    """
    ax, own = _axes(ax, (8, 4.8))
    for name in TIERS:
        for is_new, marker in ((False, "o"), (True, "^")):
            part = odds[(odds["baseline_tier"].astype(str) == name) & (odds["is_new"] == is_new)]
            if part.empty:
                continue
            pct = part["p_gold"] * 100
            ax.errorbar(part["value_index"], pct, fmt="none", ecolor=TIER_COLORS[name], lw=0.6, alpha=0.5,
                        yerr=[pct - part["p_gold_low"] * 100, part["p_gold_high"] * 100 - pct])
            pool = POOL_TERMS["new" if is_new else "existing"]
            ax.scatter(part["value_index"], pct, s=16, marker=marker, color=TIER_COLORS[name],
                       edgecolor="black", linewidth=0.2, alpha=0.8,
                       label=words("assumed_tables_tier", lang, tier=tier_label(name, lang),
                                   pool=pool.zh if lang == "zh" else pool.en))
    for share, key in ((robust_share, "robust_line"), (contested_share, "contested_line")):
        ax.axhline(share * 100, color="grey", ls="--", lw=0.8)
        ax.annotate(words(key, lang, share=share), (0, share * 100), xycoords=("axes fraction", "data"),
                    xytext=(3, 3), textcoords="offset points", fontsize=8, color="dimgrey")
    ax.set_xlabel(axis_label("ax_value_index_assumed", lang))
    ax.set_ylabel(axis_label("ax_share_draws_gold", lang))
    ax.set_ylim(-3, 103)
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(0.0, 0.55))  # the empty low-index side
    ax.set_title(title or words("t_table_odds", lang))
    if own:
        ax.figure.tight_layout()
    return ax
