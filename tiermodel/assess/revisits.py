"""The executives' revisit plan (第23–27条): who joins which VIP revisits, by mixed-integer
programming.

A quota of 第23–25条 counts distinct customers ("10~15 个金牌 VIP 客户"); the quotas come from
the one table of the policy, :meth:`~tiermodel.policy.ExecutiveQuotas.quota_table`, which
the budget's revisit load uses too. An executive may join several revisits of one customer,
up to the customer's yearly minimum; a customer's revisits are counted once per executive
joining them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from ..errors import TiermodelError
from ..policy import Policy
from ..result import Result
from ..vocabulary import VIP_TIERS

#: Tie-break among equally good revisit plans: which executives' visits to prefer.
ROLE_PREFERENCE = {"gm_office": 1.0, "department_head": 0.5, "branch_head": 0.25}


@dataclass
class RevisitPlan(Result):
    """Result of :func:`plan_revisits`.

    ``assignments``: executive, customer and the revisits the executive joins;
    ``executives``: per executive the distinct Gold and Silver customers, the 第23–25条
    bounds and any shortfall; ``customers``: per VIP the revisits required (第18条) and
    planned; ``notes``: plain statements of what cannot be met, by how much and where.
    """

    assignments: pd.DataFrame
    executives: pd.DataFrame
    customers: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    status: str = ""

    @property
    def feasible(self) -> bool:
        """True when every quota (第23–25条) and every revisit minimum (第18条) is met."""
        return not (self.executives[["gold_shortfall", "silver_shortfall"]].to_numpy().any()
                    or self.customers["shortfall"].to_numpy().any())

    def tables(self) -> dict[str, pd.DataFrame]:
        """The assignments, the executives against their quotas, the customers and the notes."""
        return {"revisit plan": self.assignments, "executive quotas": self.executives,
                "revisit customers": self.customers,
                "revisit notes": pd.DataFrame({"note": self.notes})}


def _quota_table(executives: pd.DataFrame, policy: Policy, vip: pd.DataFrame) -> pd.DataFrame:
    """Per executive the bounds on distinct Gold/Silver customers (第23–25条), from the one
    quota table of the policy (:meth:`~tiermodel.policy.ExecutiveQuotas.quota_table`)."""
    per_role = policy.executive_quotas.quota_table().reindex(executives["role"].to_numpy())
    big = len(vip)
    local_gold = vip[vip["tier"] == "gold"].groupby("branch").size()
    n_local_gold = executives["branch"].map(local_gold).fillna(0).astype(int).to_numpy()
    all_local = per_role["all_local_gold"].to_numpy(dtype=bool)
    out = pd.DataFrame({
        "gold_min": per_role["gold_min"].to_numpy() + np.where(all_local, n_local_gold, 0),
        "gold_max": np.where(np.isinf(per_role["gold_max"]), big, per_role["gold_max"]),
        "silver_min": per_role["silver_min"].to_numpy(),
        "silver_max": np.where(np.isinf(per_role["silver_max"]), big, per_role["silver_max"]),
    }, index=executives.index)
    return out.astype(np.int64)


def plan_revisits(tiers: pd.DataFrame, executives: pd.DataFrame, policy: Policy) -> RevisitPlan:
    """Assign executives to the year's VIP revisits by mixed-integer programming (第23–27条).

    Decision variables, for every executive–customer pair allowed (GM-office members: any
    Gold; department heads: any Gold or Silver; a branch head: the Gold and Silver of the
    branch): ``x`` = revisits of the customer the executive joins (0 … the customer's
    minimum) and ``z`` = 1 when ``x ≥ 1``. Constraints:

    * every Gold has ≥ ``revisits.gold_min_per_year`` (3) revisits joined by executives,
      every Silver ≥ ``silver_min_per_year`` (2) (第18条 2③);
    * a GM-office member joins 10–15 distinct Gold customers (第23条); a department head
      2–3 Gold and 3–5 Silver (第24条); a branch head ≥ 20 local Silver and every local Gold
      (第25条).

    Minimum quotas and customer revisits are elastic: a shortfall variable on each, priced
    far above a revisit, so the plan always exists and the shortfalls say by how much and
    where the quotas cannot be met. Subject to the smallest total shortfall, the plan uses
    the fewest executive revisits and then, among equal plans, the most distinct executives
    per customer (head office before department heads before branch heads,
    :data:`ROLE_PREFERENCE`), so a Gold customer meets head office where the quotas allow.
    A branch head's Silver quota counts the branch's own Silver customers (Silver is rated
    and served by the branch, 第13条).

    Parameters
    ----------
    tiers : DataFrame
        Tier table (``customer_id``, ``branch``, ``tier``).
    executives : DataFrame
        Validated executive table (:func:`tiermodel.events.validate_executives`).
    policy : Policy
        ``revisits`` and ``executive_quotas``.

    Returns
    -------
    RevisitPlan
        Revisits each executive joins per customer [revisits/yr], each executive's distinct
        customers against the quota bounds [customers] and shortfalls, each VIP's revisits
        required and planned, and notes.
    """
    vip = tiers.loc[tiers["tier"].astype(str).isin(VIP_TIERS), ["customer_id", "branch", "tier"]] \
        .astype({"tier": str}).sort_values(["tier", "branch", "customer_id"]).reset_index(drop=True)
    ex = executives.reset_index(drop=True)
    rv = policy.revisits
    required = np.where(vip["tier"] == "gold", rv.gold_min_per_year, rv.silver_min_per_year)
    is_gold = (vip["tier"] == "gold").to_numpy()
    quotas = _quota_table(ex, policy, vip)

    # allowed pairs (executive e, customer c)
    role = ex["role"].to_numpy()
    n_e, n_c = len(ex), len(vip)
    allowed = np.zeros((n_e, n_c), dtype=bool)
    allowed[role == "gm_office"] = is_gold
    allowed[role == "department_head"] = True
    heads = np.flatnonzero(role == "branch_head")
    allowed[heads] = ex["branch"].to_numpy()[heads, None] == vip["branch"].to_numpy()[None, :]
    pe, pc = np.nonzero(allowed)
    n_p = len(pe)
    gold_pair = is_gold[pc]
    must_visit = (role[pe] == "branch_head") & gold_pair & policy.executive_quotas.branch_head_visits_all_local_gold

    # variables: x (n_p), z (n_p), gold shortfall (n_e), silver shortfall (n_e), customer shortfall (n_c)
    n_var = 2 * n_p + 2 * n_e + n_c
    ix, iz = np.arange(n_p), n_p + np.arange(n_p)
    isg, iss, iu = 2 * n_p + np.arange(n_e), 2 * n_p + n_e + np.arange(n_e), 2 * n_p + 2 * n_e + np.arange(n_c)
    penalty = float(required.sum() + 1)
    cost = np.zeros(n_var)
    cost[ix] = 1.0
    cost[n_p * 2:] = penalty
    # among plans with the fewest shortfalls and revisits, prefer more distinct executives per
    # customer, head office first (the reward stays below one revisit in total)
    role_weight = pd.Series(ROLE_PREFERENCE).reindex(role[pe]).fillna(0).to_numpy()
    cost[iz] = -0.5 * role_weight / (n_p + 1)
    lower = np.zeros(n_var)
    upper = np.full(n_var, np.inf)
    upper[ix] = required[pc]
    upper[iz] = 1
    lower[iz[must_visit]] = 1
    integrality = np.zeros(n_var)
    integrality[: 2 * n_p] = 1

    def block(rows, cols, vals, n_rows):
        return sparse.csr_matrix((vals, (rows, cols)), shape=(n_rows, n_var))

    cons = []
    p = np.arange(n_p)
    # link: x - z >= 0 and x - m z <= 0
    link = block(np.r_[p, p], np.r_[ix, iz], np.r_[np.ones(n_p), -np.ones(n_p)], n_p)
    cons.append(LinearConstraint(link, 0, np.inf))
    link2 = block(np.r_[p, p], np.r_[ix, iz], np.r_[np.ones(n_p), -required[pc].astype(float)], n_p)
    cons.append(LinearConstraint(link2, -np.inf, 0))
    # coverage: sum_e x + u >= required
    cover = block(np.r_[pc, np.arange(n_c)], np.r_[ix, iu], np.ones(n_p + n_c), n_c)
    cons.append(LinearConstraint(cover, required, np.inf))
    # quotas on distinct customers
    for tier_mask, short, lo, hi in [(gold_pair, isg, "gold_min", "gold_max"),
                                     (~gold_pair, iss, "silver_min", "silver_max")]:
        sel = np.flatnonzero(tier_mask)
        a_min = block(np.r_[pe[sel], np.arange(n_e)], np.r_[iz[sel], short], np.ones(len(sel) + n_e), n_e)
        cons.append(LinearConstraint(a_min, quotas[lo].to_numpy(float), np.inf))
        a_max = block(pe[sel], iz[sel], np.ones(len(sel)), n_e)
        cons.append(LinearConstraint(a_max, -np.inf, quotas[hi].to_numpy(float)))
    res = milp(cost, constraints=cons, integrality=integrality, bounds=Bounds(lower, upper),
               options={"time_limit": 60})
    if res.x is None:
        raise TiermodelError(f"the revisit plan could not be solved: {res.message}")
    sol = np.round(res.x).astype(np.int64)

    x = sol[ix]
    keep = x > 0
    assignments = pd.DataFrame({
        "executive_id": ex["executive_id"].to_numpy()[pe[keep]],
        "role": role[pe[keep]],
        "customer_id": vip["customer_id"].to_numpy()[pc[keep]],
        "tier": vip["tier"].to_numpy()[pc[keep]],
        "branch": vip["branch"].to_numpy()[pc[keep]],
        "revisits": x[keep],
    })
    z = sol[iz].astype(bool)
    gold_count = np.bincount(pe[z & gold_pair], minlength=n_e)
    silver_count = np.bincount(pe[z & ~gold_pair], minlength=n_e)
    exec_table = ex[["executive_id", "role", "branch"]].copy()
    exec_table["gold_customers"] = gold_count
    exec_table["gold_min"], exec_table["gold_max"] = quotas["gold_min"], quotas["gold_max"]
    exec_table["silver_customers"] = silver_count
    exec_table["silver_min"], exec_table["silver_max"] = quotas["silver_min"], quotas["silver_max"]
    exec_table["gold_shortfall"] = np.maximum(quotas["gold_min"].to_numpy() - gold_count, 0)
    exec_table["silver_shortfall"] = np.maximum(quotas["silver_min"].to_numpy() - silver_count, 0)
    planned = np.bincount(pc, weights=x, minlength=n_c).astype(np.int64)
    customers = vip.copy()
    customers["required"] = required
    customers["planned"] = planned
    customers["executives"] = np.bincount(pc[z], minlength=n_c)
    customers["shortfall"] = np.maximum(required - planned, 0)
    notes = revisit_notes(exec_table, customers, vip, ex)
    return RevisitPlan(assignments, exec_table, customers, notes, res.message)


def revisit_notes(executives: pd.DataFrame, customers: pd.DataFrame, vip: pd.DataFrame,
                  ex: pd.DataFrame) -> list[str]:
    """Plain statements of the quotas (第23–25条) and revisits (第18条 2③) a plan cannot meet.

    Parameters
    ----------
    executives : DataFrame
        :attr:`RevisitPlan.executives` (distinct customers, bounds, shortfalls).
    customers : DataFrame
        :attr:`RevisitPlan.customers` (revisits required, planned, shortfall).
    vip : DataFrame
        The Gold and Silver customers (``customer_id``, ``branch``, ``tier``).
    ex : DataFrame
        The executive table.

    Returns
    -------
    list of str
        One sentence per kind of shortfall, by how much and where; one sentence when all is met.
    """
    notes = []
    silver_local = vip[vip["tier"] == "silver"].groupby("branch").size()
    labels = {"gm_office": "GM-office member", "department_head": "department head",
              "branch_head": "branch head"}
    for kind in ("gold", "silver"):
        short = executives[executives[f"{kind}_shortfall"] > 0]
        for role, grp in short.groupby("role", sort=False):
            where = ", ".join(
                f"{r.branch or r.executive_id} {getattr(r, kind + '_shortfall')}"
                + (f" (only {int(silver_local.get(r.branch, 0))} Silver)" if role == "branch_head" and kind == "silver" else "")
                for r in grp.itertuples())
            notes.append(f"{len(grp)} {labels[role]}(s) fall short of the {kind.title()} quota by "
                         f"{int(grp[kind + '_shortfall'].sum())} customer(s) in all: {where}.")
    short = customers[customers["shortfall"] > 0]
    if len(short):
        by = short.groupby(["tier", "branch"])["shortfall"].sum()
        notes.append(f"{len(short)} VIP customer(s) lack {int(short['shortfall'].sum())} executive "
                     f"revisit(s): " + ", ".join(f"{t} in {b} {v}" for (t, b), v in by.items()) + ".")
    no_head = sorted(set(vip["branch"]) - set(ex.loc[ex["role"] == "branch_head", "branch"]))
    if no_head:
        notes.append(f"No branch head listed for {len(no_head)} branch(es) with VIPs: {', '.join(no_head)}.")
    if not notes:
        notes.append("Every quota of 第23–25条 and every revisit minimum of 第18条 is met.")
    return notes


__all__ = ["ROLE_PREFERENCE", "RevisitPlan", "plan_revisits", "revisit_notes"]
