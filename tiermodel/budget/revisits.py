"""The revisit load of a tier list: revisits the tiers need (第18条 2③) against the revisits
the executives' quotas make them join (第23–25条, ``ExecutiveQuotas.quota_table``)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..policy import Policy
from ..vocabulary import VIP_TIERS


def _vip_counts_by_branch(tier_table: pd.DataFrame) -> pd.DataFrame:
    """Gold and Silver customers per branch (rows branches, columns gold, silver)."""
    tiers = tier_table["tier"].astype(str)
    vip = tier_table.loc[tiers.isin(VIP_TIERS).to_numpy()]
    return (vip.assign(tier=vip["tier"].astype(str)).groupby(["branch", "tier"]).size()
            .unstack(fill_value=0).reindex(columns=list(VIP_TIERS), fill_value=0))


def revisit_load(tier_table: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Revisits the VIP tiers need in a year against the executives' quotas (第18条 2③, 第23–25条).

    Parameters
    ----------
    tier_table : DataFrame
        Tier list with ``branch`` and ``tier``.
    policy : Policy
        Supplies ``revisits`` and the quota table of ``executive_quotas``.

    Returns
    -------
    DataFrame
        Rows gold and silver. Columns: ``customers``; ``revisits_needed`` [revisits/yr]
        (customers × the minimum a year: Gold 3, Silver 2; the company makes them all, 第18条
        2③); the revisits executives join in person, at the minimum and at the expected upper
        end of each range (至少 10~15: the upper number is expected, never a cap,
        ``executive_quotas.range_reading``): ``gm_office_min/max`` (members × 10–15 Gold, 第23条;
        members in ``executive_quotas.gm_office_members``), ``department_heads_min/max`` (6
        heads × 2–3 Gold, 3–5 Silver, 第24条), ``branch_heads_min`` (every local Gold customer,
        and 20 Silver a branch, 第25条); ``executive_min/max`` their sum;
        ``executive_share_min/max`` of the revisits needed [share]; ``branch_silver_short``
        Silver revisits the 第25条 quota asks for beyond the branches' Silver customers (a
        branch with 12 Silver cannot visit 20). Each executive revisit is counted once per
        customer; quotas larger than the tier are capped at its size per person.

        ``revisits_needed`` counts the full yearly minimum of every VIP, as the 附件七 budget
        prices it; the delivery minima prorate a part-year VIP's revisits (a flagged difference,
        ``delivery_minimums.revisit_gold`` / ``revisit_silver``): the load is an upper bound for a
        list with VIPs rated during the year.
    """
    per_branch = _vip_counts_by_branch(tier_table)
    n = per_branch.sum().reindex(list(VIP_TIERS), fill_value=0)
    rv = policy.revisits
    quota = policy.executive_quotas.quota_table()
    needed = {"gold": rv.gold_min_per_year, "silver": rv.silver_min_per_year}
    rows = {}
    for tier in VIP_TIERS:
        row = {"customers": int(n[tier]), "revisits_needed": int(n[tier]) * needed[tier]}
        for role, column in (("gm_office", "gm_office"), ("department_head", "department_heads")):
            q = quota.loc[role]
            row[f"{column}_min"] = int(q["persons"] * min(q[f"{tier}_min"], n[tier]))
            row[f"{column}_max"] = int(q["persons"] * min(q[f"{tier}_max"], n[tier]))
        head = quota.loc["branch_head"]
        local = per_branch[tier]
        reachable = np.minimum(head[f"{tier}_min"], local)
        if tier == "gold" and head["all_local_gold"]:
            reachable = local
        row["branch_heads_min"] = int(reachable.sum())
        row["branch_silver_short"] = 0 if tier == "gold" else int(
            (head["silver_min"] - local).clip(lower=0).where(local > 0, 0).sum())
        rows[tier] = row
    out = pd.DataFrame.from_dict(rows, orient="index").astype(int)
    out = out[["customers", "revisits_needed", "gm_office_min", "gm_office_max", "department_heads_min",
               "department_heads_max", "branch_heads_min", "branch_silver_short"]]
    out["executive_min"] = out["gm_office_min"] + out["department_heads_min"] + out["branch_heads_min"]
    out["executive_max"] = out["gm_office_max"] + out["department_heads_max"] + out["branch_heads_min"]
    needed_n = out["revisits_needed"].where(out["revisits_needed"] > 0)
    out["executive_share_min"] = out["executive_min"] / needed_n
    out["executive_share_max"] = out["executive_max"] / needed_n
    out.index.name = "tier"
    return out


def revisit_load_by_branch(tier_table: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Per branch: VIPs, revisits needed (第18条 2③) and the branch head's quota (第25条).

    Parameters
    ----------
    tier_table : DataFrame
        Tier list with ``branch`` and ``tier``.
    policy : Policy
        Supplies ``revisits`` and the quota table of ``executive_quotas``.

    Returns
    -------
    DataFrame
        One row per branch with VIPs: ``gold``, ``silver`` [customers], ``revisits_needed``
        [revisits/yr], ``branch_head_quota`` (all local Gold + 20 Silver) [customers],
        ``branch_head_possible`` (Silver capped at the branch's Silver customers)
        [customers], ``branch_head_share`` of the revisits needed [share].
    """
    rv = policy.revisits
    head = policy.executive_quotas.quota_table().loc["branch_head"]
    out = _vip_counts_by_branch(tier_table)
    out["revisits_needed"] = out["gold"] * rv.gold_min_per_year + out["silver"] * rv.silver_min_per_year
    local_gold = out["gold"] if head["all_local_gold"] else int(head["gold_min"])
    silver_min = int(head["silver_min"])
    out["branch_head_quota"] = local_gold + silver_min
    out["branch_head_possible"] = local_gold + np.minimum(silver_min, out["silver"])
    out["branch_head_share"] = out["branch_head_possible"] / out["revisits_needed"].where(out["revisits_needed"] > 0)
    out.columns.name = None
    return out


__all__ = ["revisit_load", "revisit_load_by_branch"]
