"""Figures of the threshold calibration (notebook 02): candidate counts as the 第11条
thresholds move. Call :func:`tiermodel.plots.use_cjk_font` first so the Chinese labels render;
words come from :data:`tiermodel.vocabulary.PLOT_TERMS` in the output language ``lang``."""
from __future__ import annotations

import matplotlib.pyplot as plt

from ..calibrate import GROUPS, PREMIUM_MIN_FIELDS
from .style import TIER_COLORS, axis_label, words

#: One colour per group: Gold in its tier colour, the Silver classes A–D apart.
GROUP_COLORS = {"gold": TIER_COLORS["gold"], "A": "#4C72B0", "B": "#55A868", "C": "#8172B2", "D": "#C44E52"}
CRITERION_COLORS = dict(zip(PREMIUM_MIN_FIELDS, ["#4C72B0", "#55A868", "#C44E52"]))
#: The vocabulary key of each premium minimum's curve.
CRITERION_KEYS = dict(zip(PREMIUM_MIN_FIELDS, ["premium_long_term", "premium_health", "premium_non_health"]))


def group_words(group: str, lang: str = "zh") -> str:
    """'金牌' / 'Gold', or '银牌A类' / 'Silver, class A' (第7条, 第11条)."""
    return words("gold_group", lang) if group == "gold" else words("silver_group", lang, group=group)


def scale_and_cap_curves(curves, policy, title: str | None = None, lang: str = "zh"):
    """Three panels (第11条 thresholds): candidates of each group against one factor on its three premium
    minimums (left, log scale), and against the health and the non-health loss-ratio caps
    (the Gold caps in force dotted).

    Parameters
    ----------
    curves : DataFrame
        From :func:`tiermodel.calibrate.count_curves`.
    policy : Policy
        The policy in force (marks the Gold loss-ratio caps).
    title : str, optional
        Title above the three panels (default: the vocabulary's).
    lang : {"zh", "en"}
        Output language.

    Returns
    -------
    Figure
        Candidates [customers] against the factor [×] and the caps [%].
    """
    gold = policy.eligibility.gold
    caps = [("health_loss_ratio_max", gold.health_loss_ratio_max, words("health", lang)),
            ("non_health_loss_ratio_max", gold.non_health_loss_ratio_max, words("non_health", lang))]
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    for g in GROUPS:
        s = curves[(curves["group"] == g) & (curves["parameter"] == "scale")]
        axes[0].plot(s["factor"], s["candidates"], label=group_words(g, lang), color=GROUP_COLORS[g])
        for ax, (cap, _, _) in zip(axes[1:], caps):
            c = curves[(curves["group"] == g) & (curves["parameter"] == cap)]
            ax.plot(c["value"] * 100, c["candidates"], label=group_words(g, lang), color=GROUP_COLORS[g])
    axes[0].set(xscale="log", yscale="symlog", xlabel=axis_label("ax_factor_all", lang),
                ylabel=axis_label("ax_candidates", lang), title=words("t_premium_factor", lang))
    axes[0].axvline(1, ls=":", color="grey")
    for ax, (_, in_force, what) in zip(axes[1:], caps):
        ax.set(xlabel=axis_label("ax_loss_ratio_cap", lang, what=what), ylabel=axis_label("ax_candidates", lang),
               title=words("t_cap", lang, what=what, in_force=in_force), yscale="symlog")
        ax.axvline(in_force * 100, ls=":", color="grey")
    axes[0].legend(fontsize=8)
    for ax in axes:
        ax.set_ylim(bottom=0)
    fig.suptitle(title or words("t_candidates_curves", lang))
    fig.tight_layout()
    return fig


def premium_minimum_curves(curves, groups=("gold", "A"), title: str | None = None, lang: str = "zh"):
    """One panel per group: candidates against each 第11条 premium minimum alone (× factor, the
    other two criteria held). A flat curve means the other criteria already decide the count.

    Parameters
    ----------
    curves : DataFrame
        From :func:`tiermodel.calibrate.count_curves`.
    groups : sequence of {"gold", "A", "B", "C", "D"}
    title : str, optional
        Title above the panels (default: the vocabulary's).
    lang : {"zh", "en"}
        Output language.

    Returns
    -------
    Figure
        Candidates [customers] against the factor [×], one panel per group.
    """
    fig, axes = plt.subplots(1, len(groups), figsize=(6 * len(groups), 4.2), squeeze=False)
    for ax, g in zip(axes[0], groups):
        for param in PREMIUM_MIN_FIELDS:
            c = curves[(curves["group"] == g) & (curves["parameter"] == param)]
            ax.plot(c["factor"], c["candidates"], label=words(CRITERION_KEYS[param], lang),
                    color=CRITERION_COLORS[param])
        ax.axvline(1, ls=":", color="grey")
        ax.set(xscale="log", yscale="symlog", title=group_words(g, lang), xlabel=axis_label("ax_factor_one", lang),
               ylabel=axis_label("ax_candidates", lang))
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=8)
    fig.suptitle(title or words("t_premium_minimums", lang))
    fig.tight_layout()
    return fig
