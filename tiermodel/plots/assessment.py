"""Plots of the assessment (issue 6): compliance by service type and tier, and the branch
heads' Silver revisits against the 第25条 quota. Call :func:`tiermodel.plots.use_cjk_font`
first so the Chinese labels render."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..vocabulary import SERVICE_TYPES, TIER_LABELS
from .style import TIER_COLORS


def compliance_bars(matrix: pd.DataFrame, ax=None):
    """Grouped bars: compliance with the 第17–18条 service times per service type and tier.

    Parameters
    ----------
    matrix : DataFrame
        :meth:`tiermodel.assess.ServiceCompliance.compliance_matrix`: service types as rows,
        tiers as columns, compliance share [share, 0–1].
    ax : matplotlib Axes, optional
        Where to draw (default: a new 9 × 3.8 in figure).

    Returns
    -------
    matplotlib Axes
        Bars in per cent [%].
    """
    ax = ax or plt.subplots(figsize=(9, 3.8))[1]
    width = 0.8 / max(len(matrix.columns), 1)
    x = np.arange(len(matrix))
    for i, tier in enumerate(matrix.columns):
        ax.bar(x + i * width, matrix[tier].to_numpy() * 100, width, label=TIER_LABELS[tier],
               color=TIER_COLORS[tier])
    ax.set_xticks(x + width * (len(matrix.columns) - 1) / 2)
    ax.set_xticklabels([SERVICE_TYPES.get(t, t) for t in matrix.index])
    ax.set_ylabel("按时完成 within limit [%]")
    ax.set_ylim(0, 105)
    ax.legend(loc="lower left", ncol=3)
    ax.set_title("服务时效达标率 Service-time compliance (第17–18条)")
    return ax


def branch_head_silver(executives: pd.DataFrame, ax=None):
    """Distinct Silver customers each branch head revisits against the 第25条 minimum.

    Parameters
    ----------
    executives : DataFrame
        :attr:`tiermodel.assess.RevisitPlan.executives` (``role``, ``branch``,
        ``silver_customers``, ``silver_min`` [customers]).
    ax : matplotlib Axes, optional
        Where to draw (default: a new 9 × 3.8 in figure).

    Returns
    -------
    matplotlib Axes
        One bar per branch head [customers], the quota as a dashed line.
    """
    heads = executives[executives["role"] == "branch_head"].sort_values("silver_customers")
    ax = ax or plt.subplots(figsize=(9, 3.8))[1]
    x = np.arange(len(heads))
    ax.bar(x, heads["silver_customers"], color=TIER_COLORS["silver"], label=TIER_LABELS["silver"])
    quota = heads["silver_min"].max() if len(heads) else 0
    ax.axhline(quota, color="black", lw=1, ls="--", label=f"第25条 quota {quota}")
    ax.set_xticks(x)
    ax.set_xticklabels(heads["branch"], rotation=90, fontsize=7)
    ax.set_ylabel("银牌客户 Silver customers revisited")
    ax.set_title("分公司团险负责人回访 Branch heads' Silver revisits")
    ax.legend()
    return ax
