"""The executives' revisit plan (第23–27条): which executives join which VIP revisits, by
mixed-integer programming solved exactly; and the check of a year's recorded revisits.

The company makes the revisits of 第18条 2③ (Gold ≥ 3, Silver ≥ 2 a year, its customer-
resources staff); 第23–25条 say how many of them executives join **in person**. A VIP revisit
without an executive is normal, not a shortfall. A quota counts distinct customers
("10~15 个金牌 VIP 客户"); it is a minimum (至少): the lower number must be met, the upper
number is the expected end of the range and never a cap (``executive_quotas.range_reading``,
assumed). A shortfall is a minimum that cannot be met, stated with the executive and the
reason ("branch X has 12 Silver VIPs, the quota is 20"). The quotas come from the one table
of the policy, :meth:`~tiermodel.policy.ExecutiveQuotas.quota_table`, which the budget's
revisit load uses too.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from ..errors import TiermodelError
from ..notes import Note, note
from ..policy import Policy
from ..result import Result
from ..vocabulary import VIP_TIERS

#: Order in which head office meets a Gold customer where the quotas leave a choice (the
#: plan's third objective counts customers met by each role, in this order).
ROLE_PREFERENCE = {"gm_office": 1.0, "department_head": 0.5, "branch_head": 0.25}


@dataclass
class RevisitPlan(Result):
    """Result of :func:`plan_revisits`.

    ``assignments``: executive, customer and the revisits the executive joins (one);
    ``executives``: per executive the distinct Gold and Silver customers, the minimum and
    expected upper end of 第23–25条, any shortfall and its reason; ``customers``: per VIP
    the company's revisits (第18条 2③) and how many executives join one of them;
    ``notes``: what cannot be met and why, as :class:`~tiermodel.notes.Note` values.
    """

    assignments: pd.DataFrame
    executives: pd.DataFrame
    customers: pd.DataFrame
    notes: list[Note] = field(default_factory=list)
    status: str = ""

    @property
    def feasible(self) -> bool:
        """True when every executive meets every minimum of 第23–25条 and every Gold
        customer is joined by its branch head (第25条)."""
        return not (self.executives[["gold_shortfall", "silver_shortfall"]].to_numpy().any()
                    or (~self.customers["branch_head_joins"]
                        & (self.customers["tier"] == "gold")).any())

    def tables(self) -> dict[str, pd.DataFrame]:
        """The assignments, the executives against their quotas, the customers and the notes."""
        return {"revisit plan": self.assignments, "executive quotas": self.executives,
                "revisit customers": self.customers,
                "revisit notes": pd.DataFrame({"note": pd.Series(self.notes, dtype=object)})}

    def by_role(self) -> pd.DataFrame:
        """Per role the distinct Gold and Silver customers its executives join and the
        shortfalls against the 第23–25条 minima [customers]."""
        cols = ["gold_customers", "silver_customers", "gold_shortfall", "silver_shortfall"]
        return self.executives.groupby("role", sort=True)[cols].sum()

    def by_executive(self) -> pd.DataFrame:
        """The assignments in reading order: by role, executive, tier and customer."""
        if not len(self.assignments):
            return self.assignments
        return self.assignments.sort_values(["role", "executive_id", "tier", "customer_id"]).reset_index(drop=True)

    def summary(self, first: int = 3) -> list[Note]:
        """How many VIP customers the plan covers and how many notes it has, then its first
        ``first`` notes."""
        return [note("assess.revisit.summary", customers=len(self.customers), notes=len(self.notes)),
                *self.notes[:first]]

    def absence(self) -> Note | str:
        """Why there is no plan (the plan's first note) when the list has no VIP; else ``""``."""
        return self.notes[0] if not len(self.customers) and self.notes else ""


def _quota_table(executives: pd.DataFrame, policy: Policy, vip: pd.DataFrame) -> pd.DataFrame:
    """Per executive the minimum and the expected upper end of distinct Gold/Silver customers
    (第23–25条), from the one quota table of the policy."""
    per_role = policy.executive_quotas.quota_table().reindex(executives["role"].to_numpy())
    local_gold = vip[vip["tier"] == "gold"].groupby("branch").size()
    n_local_gold = executives["branch"].map(local_gold).fillna(0).astype(int).to_numpy()
    all_local = per_role["all_local_gold"].to_numpy(dtype=bool)
    gold_min = per_role["gold_min"].to_numpy() + np.where(all_local, n_local_gold, 0)
    silver_ok = per_role["may_join_silver"].to_numpy(dtype=bool)
    return pd.DataFrame({
        "gold_min": gold_min.astype(np.int64),
        "gold_expected_max": per_role["gold_max"].to_numpy(dtype=float) + np.where(all_local, n_local_gold, 0),
        "silver_min": np.where(silver_ok, per_role["silver_min"], 0).astype(np.int64),
        "silver_expected_max": np.where(silver_ok, per_role["silver_max"], 0).astype(float),
    }, index=executives.index)


def _solve_stage(cost, cons, integrality, bounds, what: str):
    res = milp(cost, constraints=cons, integrality=integrality, bounds=bounds,
               options={"mip_rel_gap": 0.0, "presolve": True})
    if res.x is None or res.status != 0:
        raise TiermodelError(f"the revisit plan could not be solved ({what}): {res.message}")
    return res


def plan_revisits(tier_table: pd.DataFrame, executives: pd.DataFrame, policy: Policy) -> RevisitPlan:
    """Assign executives to the year's VIP revisits (第18条 2③, 第23–27条), solved exactly.

    Decision variables, for every executive–customer pair allowed (GM-office members: any
    Gold, and Silver where ``executive_quotas.gm_office_may_join_silver``; department heads:
    any Gold or Silver; a branch head: the Gold and Silver of the branch): ``z`` = 1 when the
    executive joins one of the company's revisits of the customer. Constraints: each
    executive's distinct Gold and Silver customers reach the minimum of 第23–25条 (10 Gold a
    GM-office member; 2 Gold and 3 Silver a department head; 20 local Silver a branch head),
    elastic through a shortfall variable; a branch head joins every local Gold customer
    (第25条, a hard constraint). No upper bound: the upper number of a range is expected,
    not a cap. The company's own revisits (第18条 2③) need no executive.

    Objectives, lexicographic, each an integer optimum found with ``mip_rel_gap = 0`` and no
    time limit (the answer does not depend on the machine): (1) the least total shortfall and
    (2) the fewest executive visits reaching it — with no caps the executives do not
    compete, so both are known in closed form per executive (shortfall = max(0, minimum −
    customers it may join); visits = the minimum or all it may join) and imposed as
    equalities; (3) the most Gold, then Silver, customers met by at least one executive,
    then the most Gold customers met by head office (GM office or a department head), as one
    integer objective whose weights keep that order exactly; (4) among plans still equal,
    the first in a fixed order (GM office first, :data:`ROLE_PREFERENCE`; then executive and
    customer), so the same inputs give the same plan.

    Parameters
    ----------
    tier_table : DataFrame
        Tier table (``customer_id``, ``branch``, ``tier``).
    executives : DataFrame
        Validated executive table (:func:`tiermodel.events.validate_executives`).
    policy : Policy
        ``revisits`` [revisits/yr] and ``executive_quotas`` [customers a person a year].

    Returns
    -------
    RevisitPlan
        Which customers each executive joins; each executive's distinct customers against
        the minimum and expected upper end [customers], the shortfall and its reason; each
        VIP's company revisits and executives joining; notes.
    """
    vip = tier_table.loc[tier_table["tier"].astype(str).isin(VIP_TIERS), ["customer_id", "branch", "tier"]] \
        .astype({"tier": str, "customer_id": str, "branch": str}) \
        .sort_values(["tier", "branch", "customer_id"]).reset_index(drop=True)
    ex = executives.reset_index(drop=True).copy()
    ex["branch"] = ex["branch"].fillna("").astype(str)
    rv = policy.revisits
    required = np.where(vip["tier"] == "gold", rv.gold_min_per_year, rv.silver_min_per_year)
    is_gold = (vip["tier"] == "gold").to_numpy()
    quotas = _quota_table(ex, policy, vip)
    eq = policy.executive_quotas

    role = ex["role"].to_numpy()
    n_e, n_c = len(ex), len(vip)
    allowed = np.zeros((n_e, n_c), dtype=bool)
    allowed[role == "gm_office"] = is_gold | eq.gm_office_may_join_silver
    allowed[role == "department_head"] = True
    heads = np.flatnonzero(role == "branch_head")
    allowed[heads] = ex["branch"].to_numpy()[heads, None] == vip["branch"].to_numpy()[None, :]
    pe, pc = np.nonzero(allowed)
    n_p = len(pe)
    gold_pair = is_gold[pc]
    must = (role[pe] == "branch_head") & gold_pair & eq.branch_head_visits_all_local_gold

    # With no cap on an executive (the upper number is expected, not a cap) and no limit on the
    # executives of one customer, the executives do not compete: the least shortfall of each
    # is max(0, minimum − customers it may join), and the fewest visits reaching it join
    # exactly min(minimum, customers it may join). Both are imposed as equalities; the MILP
    # then chooses which customers, with the remaining objectives.
    avail_gold = (allowed & is_gold[None, :]).sum(axis=1)
    avail_silver = (allowed & ~is_gold[None, :]).sum(axis=1)
    take_gold = np.minimum(quotas["gold_min"].to_numpy(), avail_gold)
    take_silver = np.minimum(quotas["silver_min"].to_numpy(), avail_silver)

    # variables: z (n_p), customer met y (n_c), Gold customer met by head office h (n_c)
    iz = np.arange(n_p)
    iy = n_p + np.arange(n_c)
    ih = n_p + n_c + np.arange(n_c)
    n_var = n_p + 2 * n_c
    lower, upper = np.zeros(n_var), np.ones(n_var)
    upper[ih[~is_gold]] = 0
    lower[iz[must]] = 1
    integrality = np.ones(n_var)
    bounds = Bounds(lower, upper)

    def block(rows, cols, vals, n_rows):
        return sparse.csr_matrix((vals, (rows, cols)), shape=(n_rows, n_var))

    cons = []
    for tier_mask, take in [(gold_pair, take_gold), (~gold_pair, take_silver)]:
        sel = np.flatnonzero(tier_mask)
        a = block(pe[sel], iz[sel], np.ones(len(sel)), n_e)
        cons.append(LinearConstraint(a, take.astype(float), take.astype(float)))
    # y_c <= sum_e z_ec: a customer counts as met only if some executive joins it
    cover = block(np.r_[np.arange(n_c), pc], np.r_[iy, iz], np.r_[np.ones(n_c), -np.ones(n_p)], n_c)
    cons.append(LinearConstraint(cover, -np.inf, 0))
    ho = np.flatnonzero(role[pe] != "branch_head")
    cover_ho = block(np.r_[np.arange(n_c), pc[ho]], np.r_[ih, iz[ho]],
                     np.r_[np.ones(n_c), -np.ones(len(ho))], n_c)
    cons.append(LinearConstraint(cover_ho, -np.inf, 0))

    # (3) most Gold customers met, (4) then most Silver, (5) then most Gold met by head office:
    # one integer objective whose weights keep that order exactly (each level outweighs the
    # whole range of the levels below it)
    n_gold, n_silver = int(is_gold.sum()), int((~is_gold).sum())
    w_ho, w_silver = 1.0, float(n_gold + 1)
    w_gold = w_silver * (n_silver + 1)
    c1 = np.zeros(n_var)
    c1[iy] = -np.where(is_gold, w_gold, w_silver)
    c1[ih] = -w_ho
    if n_var == 0:  # no Gold or Silver customer: nothing to plan, an empty plan (not a solver error)
        sol, message = np.zeros(0, dtype=np.int64), "no VIP customers: nothing to plan"
    else:
        res = _solve_stage(c1, cons, integrality, bounds, "most customers met")
        best = float(np.round(c1 @ np.round(res.x)))
        nz = np.flatnonzero(c1)
        cons.append(LinearConstraint(sparse.csr_matrix((c1[nz], (np.zeros(len(nz), dtype=int), nz)),
                                                       shape=(1, n_var)), -np.inf, best))
        # (6) among plans still equal, the first in a fixed order (GM office first, then
        # executive and customer order), so the same inputs give the same plan on any machine
        pref = pd.Series(ROLE_PREFERENCE).reindex(role[pe]).fillna(0).to_numpy()
        order = np.lexsort((pc, pe, -pref))
        c2 = np.zeros(n_var)
        c2[iz[order]] = np.arange(n_p, dtype=float)
        res = _solve_stage(c2, cons, integrality, bounds, "fixed order")
        sol, message = np.round(res.x).astype(np.int64), res.message

    z = sol[iz].astype(bool)
    assignments = pd.DataFrame({
        "executive_id": ex["executive_id"].to_numpy()[pe[z]],
        "role": role[pe[z]],
        "customer_id": vip["customer_id"].to_numpy()[pc[z]],
        "tier": vip["tier"].to_numpy()[pc[z]],
        "branch": vip["branch"].to_numpy()[pc[z]],
        "revisits": np.ones(int(z.sum()), dtype=np.int64),
    })
    gold_count = np.bincount(pe[z & gold_pair], minlength=n_e)
    silver_count = np.bincount(pe[z & ~gold_pair], minlength=n_e)
    exec_table = _executive_table(ex, quotas, gold_count, silver_count, vip, allowed, is_gold)
    customers = vip.copy()
    customers["company_revisits"] = required
    customers["executives"] = np.bincount(pc[z], minlength=n_c)
    bh = z & (role[pe] == "branch_head")
    customers["branch_head_joins"] = np.bincount(pc[bh], minlength=n_c) > 0
    customers["without_executive"] = np.maximum(required - customers["executives"].to_numpy(), 0)
    notes = revisit_notes(exec_table, customers, vip, ex)
    if n_c == 0:
        notes.insert(0, NO_VIP_PLAN_NOTE)
    return RevisitPlan(assignments, exec_table, customers, notes, message)


#: The note of a revisit plan for a list without Gold or Silver customers.
NO_VIP_PLAN_NOTE = note("assess.revisit.no_vips")


def _executive_table(ex, quotas, gold_count, silver_count, vip, allowed, is_gold) -> pd.DataFrame:
    out = ex[["executive_id", "role", "branch"]].copy()
    out["gold_customers"] = gold_count
    out["gold_min"] = quotas["gold_min"].to_numpy()
    out["gold_expected_max"] = quotas["gold_expected_max"].to_numpy()
    out["silver_customers"] = silver_count
    out["silver_min"] = quotas["silver_min"].to_numpy()
    out["silver_expected_max"] = quotas["silver_expected_max"].to_numpy()
    out["gold_shortfall"] = np.maximum(out["gold_min"].to_numpy() - gold_count, 0)
    out["silver_shortfall"] = np.maximum(out["silver_min"].to_numpy() - silver_count, 0)
    avail_gold = (allowed & is_gold[None, :]).sum(axis=1)
    avail_silver = (allowed & ~is_gold[None, :]).sum(axis=1)
    out["shortfall_reason"] = [
        shortfall_reason(r.role, r.branch, int(r.gold_shortfall), int(r.silver_shortfall),
                         int(r.gold_min), int(r.silver_min), int(g), int(s))
        for r, g, s in zip(out.itertuples(), avail_gold, avail_silver)]
    return out


def shortfall_reason(role: str, branch: str, gold_short: int, silver_short: int, gold_min: int,
                     silver_min: int, gold_available: int, silver_available: int) -> Note | str:
    """Why an executive's minimum of 第23–25条 cannot be met ("" when it can).

    Parameters
    ----------
    role, branch : str
        The executive's role and (branch heads) branch.
    gold_short, silver_short : int
        Shortfall [customers].
    gold_min, silver_min : int
        The minimum [customers].
    gold_available, silver_available : int
        VIP customers the executive may join [customers].

    Returns
    -------
    Note or str
        ``assess.revisit.branch_has`` ("branch Lhasa has 12 Silver VIPs, the quota is 20") or
        ``assess.revisit.list_has`` per tier short, both in one ``assess.revisit.reasons``;
        ``""`` when nothing is short.
    """
    code = "assess.revisit.branch_has" if role == "branch_head" else "assess.revisit.list_has"
    where = {"branch": branch} if role == "branch_head" else {}
    parts = [note(code, **where, n=available, tier=tier, quota=quota)
             for tier, short, available, quota in (("gold", gold_short, gold_available, gold_min),
                                                   ("silver", silver_short, silver_available, silver_min))
             if short]
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else note("assess.revisit.reasons", parts=parts)


def _short_counts(row) -> list[Note]:
    """The tiers an executive is short of, ``assess.revisit.count`` each ("9 Silver")."""
    return [note("assess.revisit.count", n=int(getattr(row, f"{t}_shortfall")), tier=t) for t in VIP_TIERS
            if getattr(row, f"{t}_shortfall") > 0]


def revisit_notes(executives: pd.DataFrame, customers: pd.DataFrame, vip: pd.DataFrame,
                  ex: pd.DataFrame) -> list[str]:
    """Plain statements of the quotas (第23–25条) a plan cannot meet, with executive and reason.

    Parameters
    ----------
    executives : DataFrame
        :attr:`RevisitPlan.executives` (distinct customers, minima, shortfalls, reasons).
    customers : DataFrame
        :attr:`RevisitPlan.customers`.
    vip : DataFrame
        The Gold and Silver customers (``customer_id``, ``branch``, ``tier``).
    ex : DataFrame
        The executive table.

    Returns
    -------
    list of Note
        ``assess.revisit.short`` per executive short of a minimum (role, executive, the
        customers short, the reason), ``assess.revisit.no_branch_head`` for branches with Gold
        customers and no branch head; ``assess.revisit.all_met`` when all is met. Revisits
        without an executive are not findings (第18条 2③ revisits are the company's).
    """
    notes = []
    short = executives[(executives["gold_shortfall"] > 0) | (executives["silver_shortfall"] > 0)]
    for r in short.itertuples():
        notes.append(note("assess.revisit.short", role=r.role, executive=r.executive_id, short=_short_counts(r),
                          reason=r.shortfall_reason))
    no_head = sorted(set(vip.loc[vip["tier"] == "gold", "branch"])
                     - set(ex.loc[ex["role"] == "branch_head", "branch"]))
    if no_head:
        notes.append(note("assess.revisit.no_branch_head", n=len(no_head), branches=no_head))
    if not notes:
        notes.append(note("assess.revisit.all_met"))
    return notes


# ----------------------------------------------------------------------------- recorded revisits
@dataclass
class RevisitCheck(Result):
    """Result of :func:`check_revisits`: a year's recorded revisits against 第18条 2③ and
    第23–25条. ``executives``: per executive the distinct customers joined against the minimum
    and the expected upper end (above it is noted, never a finding); ``customers``: per VIP
    the revisits made (with and without an executive) against the company's minimum."""

    executives: pd.DataFrame
    customers: pd.DataFrame
    findings: list[Note] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Executives against their minima, customers against 第18条 2③, the findings."""
        return {"revisits by executive": self.executives, "revisits by customer": self.customers,
                "revisit findings": pd.DataFrame({"finding": pd.Series(self.findings, dtype=object)})}


def check_revisits(revisits: pd.DataFrame, tier_table: pd.DataFrame, executives: pd.DataFrame,
                   policy: Policy) -> RevisitCheck:
    """Check a year's recorded VIP revisits (第18条 2③, 第23–25条).

    Parameters
    ----------
    revisits : DataFrame
        One row per revisit: ``customer_id`` and ``executive_id`` (blank or NaN when no
        executive joined: the company's staff alone, which is normal). A revisit joined by
        two executives is two rows with the same customer.
    tier_table : DataFrame
        Tier table (``customer_id``, ``branch``, ``tier``).
    executives : DataFrame
        Executive table (``executive_id``, ``role``, ``branch``).
    policy : Policy
        ``revisits`` and ``executive_quotas``.

    Returns
    -------
    RevisitCheck
        Per executive the distinct Gold and Silver customers joined [customers], the minimum
        and the expected upper end; ``shortfall`` below the minimum with the reason;
        ``above_expected`` above the upper end (a note, not a finding). Per VIP the distinct
        revisits recorded and the shortfall against Gold ≥ 3 / Silver ≥ 2 (the company's
        duty, whoever made them).
    """
    vip = tier_table.loc[tier_table["tier"].astype(str).isin(VIP_TIERS), ["customer_id", "branch", "tier"]] \
        .astype(str).reset_index(drop=True)
    ex = executives.reset_index(drop=True).copy()
    ex["branch"] = ex["branch"].fillna("").astype(str)
    quotas = _quota_table(ex, policy, vip)
    r = revisits.copy()
    r["customer_id"] = r["customer_id"].astype(str)
    r["executive_id"] = r.get("executive_id", pd.Series("", index=r.index)).fillna("").astype(str)
    tier_of = dict(zip(vip["customer_id"], vip["tier"]))
    r["tier"] = r["customer_id"].map(tier_of)
    joined = r[(r["executive_id"] != "") & r["tier"].notna()].drop_duplicates(["executive_id", "customer_id"])
    counts = joined.groupby(["executive_id", "tier"]).size().unstack(fill_value=0) \
        .reindex(columns=list(VIP_TIERS), fill_value=0)
    out = ex[["executive_id", "role", "branch"]].copy()
    for t in VIP_TIERS:
        out[f"{t}_customers"] = out["executive_id"].map(counts[t]).fillna(0).astype(int).to_numpy()
        out[f"{t}_min"] = quotas[f"{t}_min"].to_numpy()
        out[f"{t}_expected_max"] = quotas[f"{t}_expected_max"].to_numpy()
        out[f"{t}_shortfall"] = np.maximum(out[f"{t}_min"] - out[f"{t}_customers"], 0)
    out["above_expected"] = ((out["gold_customers"] > out["gold_expected_max"])
                             | (out["silver_customers"] > out["silver_expected_max"]))
    local_gold = vip[vip["tier"] == "gold"]
    findings = []
    for e in out.itertuples():
        if e.gold_shortfall or e.silver_shortfall:
            findings.append(note("assess.revisit.joined_too_few", role=e.role, executive=e.executive_id,
                                 short=_short_counts(e)))
    heads = ex[ex["role"] == "branch_head"]
    for h in heads.itertuples():
        own = set(local_gold.loc[local_gold["branch"] == h.branch, "customer_id"])
        missed = sorted(own - set(joined.loc[joined["executive_id"] == h.executive_id, "customer_id"]))
        if missed and policy.executive_quotas.branch_head_visits_all_local_gold:
            findings.append(note("assess.revisit.branch_head_missed", executive=h.executive_id, branch=h.branch,
                                 customers=missed))
    rv = policy.revisits
    made = r[r["tier"].notna()].copy()
    # a revisit is one (customer, revisit_date) where dates are given, else one row
    visits = made.drop_duplicates(["customer_id", "revisit_date"]) if "revisit_date" in made else made
    per_customer = visits.groupby("customer_id").size()
    with_exec = made[made["executive_id"] != ""].groupby("customer_id")["executive_id"].nunique()
    customers = vip.copy()
    customers["required"] = np.where(customers["tier"] == "gold", rv.gold_min_per_year, rv.silver_min_per_year)
    customers["revisits"] = customers["customer_id"].map(per_customer).fillna(0).astype(int)
    customers["executives"] = customers["customer_id"].map(with_exec).fillna(0).astype(int)
    customers["shortfall"] = np.maximum(customers["required"] - customers["revisits"], 0)
    short = customers[customers["shortfall"] > 0]
    if len(short):
        findings.append(note("assess.revisit.customers_short", n=len(short), gold=rv.gold_min_per_year,
                             silver=rv.silver_min_per_year, customers=list(short["customer_id"])))
    if not findings:
        findings.append(note("assess.revisit.all_met_recorded"))
    return RevisitCheck(out, customers, findings)


__all__ = ["ROLE_PREFERENCE", "RevisitCheck", "RevisitPlan", "check_revisits",
           "plan_revisits", "revisit_notes", "shortfall_reason"]
