"""Plots of the assessment (issue 6): compliance by service type and tier, and the branch
heads' Silver revisits against the 第25条 quota. Call :func:`tiermodel.plots.use_cjk_font`
first so the Chinese labels render; words come from :data:`tiermodel.vocabulary.PLOT_TERMS` in
the output language ``lang``."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..vocabulary import DELIVERY_SERVICE_TERMS, HOTLINE_KIND_TERMS, SERVICE_TYPE_TERMS, TIER_TERMS
from .style import TIER_COLORS, amount_divisor, axis_label, thousands, tier_label, words


def _word(terms: dict, key, lang: str) -> str:
    term = terms.get(key)
    return str(key) if term is None else (term.zh if lang == "zh" else term.en)


def compliance_bars(matrix: pd.DataFrame, ax=None, lang: str = "zh"):
    """Grouped bars: compliance with the 第17–18条 service times per service type and tier.

    Parameters
    ----------
    matrix : DataFrame
        :meth:`tiermodel.assess.ServiceCompliance.compliance_matrix`: service types as rows,
        tiers as columns, compliance share [share, 0–1].
    ax : matplotlib Axes, optional
        Where to draw (default: a new 9 × 3.8 in figure).
    lang : {"zh", "en"}
        Output language.

    Returns
    -------
    matplotlib Axes
        Bars in per cent [%].
    """
    ax = ax or plt.subplots(figsize=(9, 3.8))[1]
    width = 0.8 / max(len(matrix.columns), 1)
    x = np.arange(len(matrix))
    for i, tier in enumerate(matrix.columns):
        ax.bar(x + i * width, matrix[tier].to_numpy() * 100, width, label=tier_label(tier, lang),
               color=TIER_COLORS[tier])
    ax.set_xticks(x + width * (len(matrix.columns) - 1) / 2)
    ax.set_xticklabels([_word(SERVICE_TYPE_TERMS, t, lang) for t in matrix.index])
    ax.set_ylabel(axis_label("ax_on_time", lang))
    ax.set_ylim(0, 105)
    ax.legend(loc="lower left", ncol=3)
    ax.set_title(words("t_compliance", lang))
    return ax


def branch_head_silver(executives: pd.DataFrame, ax=None, lang: str = "zh"):
    """Distinct Silver customers each branch head revisits against the 第25条 minimum.

    Parameters
    ----------
    executives : DataFrame
        :attr:`tiermodel.assess.RevisitPlan.executives` (``role``, ``branch``,
        ``silver_customers``, ``silver_min`` [customers]).
    ax : matplotlib Axes, optional
        Where to draw (default: a new 9 × 3.8 in figure).
    lang : {"zh", "en"}
        Output language.

    Returns
    -------
    matplotlib Axes
        One bar per branch head [customers], the quota as a dashed line.
    """
    heads = executives[executives["role"] == "branch_head"].sort_values("silver_customers")
    ax = ax or plt.subplots(figsize=(9, 3.8))[1]
    x = np.arange(len(heads))
    ax.bar(x, heads["silver_customers"], color=TIER_COLORS["silver"], label=tier_label("silver", lang))
    quota = heads["silver_min"].max() if len(heads) else 0
    ax.axhline(quota, color="black", lw=1, ls="--", label=words("quota", lang, quota=quota))
    ax.set_xticks(x)
    ax.set_xticklabels(heads["branch"], rotation=90, fontsize=7)
    ax.set_ylabel(axis_label("ax_silver_revisited", lang))
    ax.set_title(words("t_branch_heads", lang))
    ax.legend()
    return ax


# ----------------------------------------------------------------------------- service delivery (issue 13)
def delivery_below_standard(by_branch: pd.DataFrame, ax=None, lang: str = "zh"):
    """Share of VIPs below the minimum deliveries per branch and tier (第18–19条, 附件二).

    Parameters
    ----------
    by_branch : DataFrame
        ``DeliveryCheck.by_branch`` (``branch``, ``tier``, ``share_below`` [share, 0–1]).
    ax : matplotlib Axes, optional
        Where to draw (default: a new 9 × 3.8 in figure).
    lang : {"zh", "en"}
        Output language.

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
        ax.bar(x + i * width, share[tier].to_numpy() * 100, width, label=tier_label(tier, lang),
               color=TIER_COLORS[tier])
    ax.set_xticks(x + width * (len(share.columns) - 1) / 2)
    ax.set_xticklabels(share.index, rotation=90, fontsize=7)
    ax.set_ylabel(axis_label("ax_below_standard", lang))
    ax.set_title(words("t_below_standard", lang))
    ax.legend()
    return ax


def budget_variance_bars(by_item: pd.DataFrame, ax=None, lang: str = "zh", amount_unit: str = "wan"):
    """Delivered cost against the 附件七 estimate per service item [万元 or 元].

    Parameters
    ----------
    by_item : DataFrame
        ``DeliveryCheck.budget_by_item`` (``item``, ``budget_cny``, ``actual_cny``
        [CNY]; the last row is the total and is left out).
    ax : matplotlib Axes, optional
        Where to draw (default: a new 9 × 4 in figure).
    lang : {"zh", "en"}
        Output language.
    amount_unit : {"wan", "yuan"}
        Unit of the amounts shown: 万元 (10,000 CNY) or 元.

    Returns
    -------
    matplotlib Axes
        Horizontal bars, budget and actual [万元 or 元].
    """
    t = by_item[by_item["item"] != "total"].sort_values("budget_cny")
    unit = amount_divisor(amount_unit)
    ax = ax or plt.subplots(figsize=(9, 4))[1]
    y = np.arange(len(t))
    ax.barh(y - 0.2, t["budget_cny"] / unit, 0.4, label=words("annex7_budget", lang), color="#bbbbbb")
    ax.barh(y + 0.2, t["actual_cny"] / unit, 0.4, label=words("actual", lang), color=TIER_COLORS["gold"])
    ax.set_yticks(y)
    ax.set_yticklabels([_word(DELIVERY_SERVICE_TERMS, k, lang) for k in t["item"]], fontsize=7)
    ax.set_xlabel(axis_label("ax_cost", lang, amount_unit))
    thousands(ax.xaxis)
    ax.set_title(words("t_variance", lang))
    ax.legend(loc="lower right")
    return ax


def timeliness_bars(table: pd.DataFrame, group: str, ax=None, title: str = "", lang: str = "zh"):
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
        Title (default: the vocabulary's "on time, late and missing"); e.g.
        ``words("t_renewals", lang)``.
    lang : {"zh", "en"}
        Output language.

    Returns
    -------
    matplotlib Axes
        Stacked horizontal bars [items].
    """
    ax = ax or plt.subplots(figsize=(6, 3))[1]
    labels = table[group].astype(str).map(lambda k: _word(TIER_TERMS, k, lang)).to_numpy()
    if "kind" in table and group != "kind":
        kinds = table["kind"].astype(str).map(lambda k: _word(HOTLINE_KIND_TERMS, k, lang)).to_numpy()
        labels = np.char.add(np.char.add(labels.astype(str), " "), kinds.astype(str))
    left = np.zeros(len(table))
    for col, color in (("on_time", "#4c9a2a"), ("late", "#e0a800"), ("missing", "#c00000")):
        if col in table:
            ax.barh(np.arange(len(table)), table[col], left=left, color=color, label=words(col, lang))
            left = left + table[col].to_numpy()
    ax.set_yticks(np.arange(len(table)))
    ax.set_yticklabels(labels)
    ax.set_xlabel(axis_label("ax_items", lang))
    ax.set_title(title or words("t_timeliness", lang))
    ax.legend(loc="lower right", fontsize=7)
    return ax
