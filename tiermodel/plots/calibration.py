"""Figures of the threshold calibration (notebook 02): candidate counts as the 第11条
thresholds move. Call :func:`tiermodel.plots.use_cjk_font` first so the Chinese labels render."""
from __future__ import annotations

import matplotlib.pyplot as plt

from ..calibrate import GROUPS, PREMIUM_MIN_FIELDS, group_label
from .style import TIER_COLORS

#: One colour per group: Gold in its tier colour, the Silver classes A–D apart.
GROUP_COLORS = {"gold": TIER_COLORS["gold"], "A": "#4C72B0", "B": "#55A868", "C": "#8172B2", "D": "#C44E52"}
CRITERION_COLORS = dict(zip(PREMIUM_MIN_FIELDS, ["#4C72B0", "#55A868", "#C44E52"]))
CRITERION_LABELS = dict(zip(PREMIUM_MIN_FIELDS, ["长险标准保费 long-term", "健康险 health", "非健康险 non-health"]))


def scale_and_cap_curves(curves, policy, title: str | None = None):
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
        Title above the three panels.

    Returns
    -------
    Figure
    """
    gold = policy.eligibility.gold
    caps = [("health_loss_ratio_max", gold.health_loss_ratio_max, "健康险赔付率上限 health"),
            ("non_health_loss_ratio_max", gold.non_health_loss_ratio_max, "非健康险赔付率上限 non-health")]
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    for g in GROUPS:
        s = curves[(curves["group"] == g) & (curves["parameter"] == "scale")]
        axes[0].plot(s["factor"], s["candidates"], label=group_label(g), color=GROUP_COLORS[g])
        for ax, (cap, _, _) in zip(axes[1:], caps):
            c = curves[(curves["group"] == g) & (curves["parameter"] == cap)]
            ax.plot(c["value"], c["candidates"], label=group_label(g), color=GROUP_COLORS[g])
    axes[0].set(xscale="log", yscale="symlog", xlabel="倍数 factor on the three premium minimums",
                ylabel="候选客户 candidates", title="保费门槛 premium thresholds × factor")
    axes[0].axvline(1, ls=":", color="grey")
    for ax, (_, in_force, label) in zip(axes[1:], caps):
        ax.set(xlabel=f"{label} loss-ratio cap", ylabel="候选客户 candidates",
               title=f"{label} cap ({in_force:.0%})", yscale="symlog")
        ax.axvline(in_force, ls=":", color="grey")
    axes[0].legend(fontsize=8)
    for ax in axes:
        ax.set_ylim(bottom=0)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def premium_minimum_curves(curves, groups=("gold", "A"), title: str | None = None):
    """One panel per group: candidates against each 第11条 premium minimum alone (× factor, the
    other two criteria held). A flat curve means the other criteria already decide the count.

    Parameters
    ----------
    curves : DataFrame
        From :func:`tiermodel.calibrate.count_curves`.
    groups : sequence of {"gold", "A", "B", "C", "D"}
    title : str, optional
        Title above the panels.

    Returns
    -------
    Figure
    """
    fig, axes = plt.subplots(1, len(groups), figsize=(6 * len(groups), 4.2), squeeze=False)
    for ax, g in zip(axes[0], groups):
        for param in PREMIUM_MIN_FIELDS:
            c = curves[(curves["group"] == g) & (curves["parameter"] == param)]
            ax.plot(c["factor"], c["candidates"], label=CRITERION_LABELS[param], color=CRITERION_COLORS[param])
        ax.axvline(1, ls=":", color="grey")
        ax.set(xscale="log", yscale="symlog", title=group_label(g), xlabel="倍数 factor on one minimum",
               ylabel="候选客户 candidates")
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
