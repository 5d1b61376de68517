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


# ----------------------------------------------------------------------------- service delivery (issue 13)
def delivery_below_standard(by_branch: pd.DataFrame, ax=None):
    """Share of VIPs below the minimum deliveries per branch and tier (第18–19条, 附件二).

    Parameters
    ----------
    by_branch : DataFrame
        ``DeliveryCheck.by_branch`` (``branch``, ``tier``, ``share_below`` [share, 0–1]).
    ax : matplotlib Axes, optional
        Where to draw (default: a new 9 × 3.8 in figure).

    Returns
    -------
    matplotlib Axes
        Grouped bars per branch [%], Gold and Silver.
    """
    share = by_branch.pivot_table(index="branch", columns="tier", values="share_below", fill_value=0.0)
    share = share.reindex(columns=[t for t in ("gold", "silver") if t in share.columns])
    share = share.loc[share.max(axis=1).sort_values(ascending=False).index]
    ax = ax or plt.subplots(figsize=(9, 3.8))[1]
    width = 0.8 / max(len(share.columns), 1)
    x = np.arange(len(share))
    for i, tier in enumerate(share.columns):
        ax.bar(x + i * width, share[tier].to_numpy() * 100, width, label=TIER_LABELS[tier], color=TIER_COLORS[tier])
    ax.set_xticks(x + width * (len(share.columns) - 1) / 2)
    ax.set_xticklabels(share.index, rotation=90, fontsize=7)
    ax.set_ylabel("未达标 below standard [%]")
    ax.set_title("VIP服务未达最低频次 VIPs below the minimum deliveries (第18–19条)")
    ax.legend()
    return ax


def budget_variance_bars(by_item: pd.DataFrame, ax=None):
    """Delivered cost against the 附件七 estimate per service item [万元].

    Parameters
    ----------
    by_item : DataFrame
        ``DeliveryCheck.budget_by_item`` (``item``, ``label``, ``budget_cny``, ``actual_cny``
        [CNY]; the last row is the total and is left out).
    ax : matplotlib Axes, optional
        Where to draw (default: a new 9 × 4 in figure).

    Returns
    -------
    matplotlib Axes
        Horizontal bars, budget and actual [万元].
    """
    t = by_item[by_item["item"] != "total"].sort_values("budget_cny")
    ax = ax or plt.subplots(figsize=(9, 4))[1]
    y = np.arange(len(t))
    ax.barh(y - 0.2, t["budget_cny"] / 1e4, 0.4, label="附件七 budget", color="#bbbbbb")
    ax.barh(y + 0.2, t["actual_cny"] / 1e4, 0.4, label="实际 actual", color=TIER_COLORS["gold"])
    ax.set_yticks(y)
    ax.set_yticklabels(t["label"], fontsize=7)
    ax.set_xlabel("万元 10,000 CNY")
    ax.set_title("实际服务投入与预算 Delivered cost against 附件七")
    ax.legend(loc="lower right")
    return ax


def timeliness_bars(table: pd.DataFrame, group: str, ax=None, title: str = ""):
    """On time, late and missing counts per group: renewal reminders (第17条 4) or hotline calls
    (第18条 2①).

    Parameters
    ----------
    table : DataFrame
        ``RenewalCheck.by_tier`` (``on_time``, ``late``, ``missing``) or ``HotlineCheck.by_kind``
        (``on_time``, ``late``), with the column ``group``.
    group : str
        Column naming the bars (e.g. ``"tier"``).
    ax : matplotlib Axes, optional
        Where to draw (default: a new 6 × 3 in figure).
    title : str
        Title.

    Returns
    -------
    matplotlib Axes
        Stacked horizontal bars [count].
    """
    ax = ax or plt.subplots(figsize=(6, 3))[1]
    labels = table[group].astype(str).map(lambda k: TIER_LABELS.get(k, k)).to_numpy()
    if "kind" in table and group != "kind":
        labels = np.char.add(np.char.add(labels.astype(str), " "), table["kind"].astype(str).to_numpy())
    left = np.zeros(len(table))
    for col, color, name in (("on_time", "#4c9a2a", "按时 on time"), ("late", "#e0a800", "逾期 late"),
                             ("missing", "#c00000", "未发 missing")):
        if col in table:
            ax.barh(np.arange(len(table)), table[col], left=left, color=color, label=name)
            left = left + table[col].to_numpy()
    ax.set_yticks(np.arange(len(table)))
    ax.set_yticklabels(labels)
    ax.set_xlabel("件数 count")
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize=7)
    return ax
