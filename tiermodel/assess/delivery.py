"""Service delivery to the VIPs (附件二, 附件四; 第18条 2, 第19条, 第23–25条): the minimum
frequencies per VIP, executive attendance at revisits, the quarterly 附件二 record and the
delivered cost against the 附件七 estimate.

Conventions (readings, stated here and flagged in the parameters):

* The minima are ``delivery_minimums`` of the policy, one per catalogue service, counted per
  customer or per key person (第16条). A VIP served part of the year (service from the month
  after approval, 第12条) owes ``per_year × units × service months / 12`` of a pro-rated
  service, rounded by ``delivery_rules.part_year_rounding`` (assumed: up, the numbers are
  minima). A delivery named ``revisit`` counts as the revisit of the customer's tier.
* Every delivery of the year counts, whatever its month.
* The 第19条 services a customer may decline (:data:`OFFERED_SERVICES`: the health check,
  the club event, the study tour) have a delivery row of their own for the offer
  (``health_check_offer``, ``club_event_invitation``, ``study_tour_invitation``). Under the
  readings ``delivery_rules.health_check_count = offer`` and ``delivery_rules.invitation_count
  = invitation`` (assumed: 提供 / 邀请, attending is the customer's choice) the offers made
  meet the minimum, an attendance proving an offer (counted: the larger of offers and
  attendances), so a customer who declined is not short; under ``attendance`` only the
  attendances count. Offer rows are recorded in the 附件二 form but are not 附件七 items:
  their cost is left out of the budget comparison (which budgets the attendances).
* In the quarterly record a VIP is below standard at the end of a quarter when its deliveries
  so far fall short of the whole units owed so far (pro-rated services by months served,
  rounded down; yearly services only at the year's end, where the yearly rule applies).
* Executive attendance counts the distinct Gold and Silver customers each executive joined
  at a revisit, against the 第23–25条 minima (``ExecutiveQuotas.quota_table``); a branch
  head's Silver quota counts the branch's Silver customers and every local Gold must be
  revisited by the head.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..budget.annex7 import BudgetEstimate, estimate, vip_table
from ..budget.services import catalogue
from ..errors import InputTableError, Problem
from ..notes import Note, note
from ..policy import Policy, resolve_number
from ..result import Result
from ..service_period import service_dates
from ..vocabulary import DELIVERY_SERVICES, TIERS, VIP_TIERS

#: Basis units of a minimum, by column of :func:`delivery_vips`.
_UNITS = {"customer": None, "first_object": "first_objects", "second_object": "second_objects",
          "service_object": ("first_objects", "second_objects")}
_EPS = 1e-9
#: The 第19条 services a customer is offered and may decline: minimum service → (the delivery
#: service recording the offer, the ``delivery_rules`` reading of what meets the minimum).
OFFERED_SERVICES = {"health_check": ("health_check_offer", "health_check_count"),
                    "club_event": ("club_event_invitation", "invitation_count"),
                    "study_tour": ("study_tour_invitation", "invitation_count")}
QUARTERS = ("Q1", "Q2", "Q3", "Q4")
#: What the 附件二 form gives per quarter and for the year: Gold and Silver deliveries [count]
#: and their cost [CNY]; its columns are ``q1_gold_count`` … ``year_cost_cny``.
ANNEX2_MEASURES = ("gold_count", "silver_count", "cost_cny")


def delivery_vips(tier_table: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """The Gold and Silver customers with their service months and key persons (第12–16条).

    Parameters
    ----------
    tier_table : DataFrame or ServiceYear
        The year under review (:class:`tiermodel.compare.ServiceYear`: its months of service
        are taken as they are) or ``Tiering.table`` (``customer_id``, ``branch``,
        ``branch_class``, ``is_new``, ``tier``, key persons). On a bare tier list an optional ``approval_month`` column [1–12] gives each VIP's approval
        month; service then starts ``service_start.months_after_approval`` months later.
    policy : Policy
        ``service_start`` and ``budget_assumptions`` (default approval months).

    Returns
    -------
    DataFrame
        :func:`tiermodel.budget.annex7.vip_table` plus ``first_month`` (first month served,
        13 = not this year).
    """
    tier_table = getattr(tier_table, "table", tier_table)  # a ServiceYear: its table, months and all
    vips = vip_table(tier_table, policy)
    if "approval_month" in tier_table and "service_months" not in tier_table:
        vip_rows = tier_table["tier"].astype(str).isin(VIP_TIERS).to_numpy()
        approval = pd.to_numeric(tier_table.loc[vip_rows, "approval_month"], errors="coerce").to_numpy()
        given = np.isfinite(approval)
        months = _months_from_approval(vips, approval, given, policy)
        vips.loc[given, "service_months"] = months[given]
    vips["service_months"] = vips["service_months"].astype(np.int64)
    vips["first_month"] = 13 - vips["service_months"]
    return vips


def _months_from_approval(vips: pd.DataFrame, approval: np.ndarray, given: np.ndarray, policy: Policy) -> np.ndarray:
    """Months of service from a given approval month [months], by the one rule of 第12条
    (:func:`tiermodel.service_period.service_dates`: service from the next month)."""
    tier = pd.Categorical(vips["tier"], categories=list(TIERS)).codes.astype(np.int8)
    override = np.full(len(vips), np.datetime64("NaT"), dtype="datetime64[D]")
    months = (np.where(given, approval, 1) - 1).astype(np.int64).astype("timedelta64[M]")
    override[given] = (np.datetime64("2001-01", "M") + months[given]).astype("datetime64[D]")
    return service_dates(tier, tier, vips["is_new"].to_numpy(dtype=bool), override, 2001,
                         policy)["service_months"].astype(np.int64)


def minimums(policy: Policy) -> pd.DataFrame:
    """The minimum deliveries of the policy, one row per catalogue service (第18条 2, 第19条).

    Parameters
    ----------
    policy : Policy
        ``delivery_minimums`` and ``service_catalogue`` (tiers, label, payer).

    Returns
    -------
    DataFrame
        Indexed by service: ``label``, ``tiers`` (tuple), ``per_year`` [count/yr per unit],
        ``basis``, ``prorate``.
    """
    items = catalogue(policy)
    rows = []
    for name, m in policy.delivery_minimums.items():
        rows.append({"service": name, "label": items.at[name, "label"], "tiers": items.at[name, "tiers"],
                     "per_year": resolve_number(policy, m.per_year, f"delivery_minimums.{name}.per_year"),
                     "basis": m.basis, "prorate": m.prorate})
    return pd.DataFrame(rows).set_index("service")


def _units(vips: pd.DataFrame, basis: str) -> np.ndarray:
    col = _UNITS[basis]
    if col is None:
        return np.ones(len(vips))
    if isinstance(col, tuple):
        return vips[col[0]].to_numpy(float) + vips[col[1]].to_numpy(float)
    return vips[col].to_numpy(float)


def _round(x: np.ndarray, how: str) -> np.ndarray:
    if how == "ceil":
        return np.ceil(x - _EPS)
    if how == "floor":
        return np.floor(x + _EPS)
    return np.floor(x + 0.5)


def required_matrix(vips: pd.DataFrame, mins: pd.DataFrame, policy: Policy,
                    months: np.ndarray | None = None, rounding: str | None = None) -> np.ndarray:
    """Deliveries owed by each VIP of each service (VIP × service) [count].

    Parameters
    ----------
    vips : DataFrame
        :func:`delivery_vips`.
    mins : DataFrame
        :func:`minimums`.
    policy : Policy
        ``delivery_rules.part_year_rounding``.
    months : ndarray, optional
        Months served to count [months] (default ``service_months``, the year).
    rounding : {"ceil", "floor", "round"}, optional
        Rounding of a pro-rated share (default the policy's).

    Returns
    -------
    ndarray of int64
        Required count per VIP and service; 0 where the service is not for the VIP's tier
        or the VIP is not served this year.
    """
    rounding = rounding or policy.delivery_rules.part_year_rounding
    served = vips["service_months"].to_numpy(float)
    months = served if months is None else np.asarray(months, float)
    tier = vips["tier"].to_numpy()
    masks = {t: (tier == t) & (served > 0) for t in VIP_TIERS}
    out = np.zeros((len(vips), len(mins)))
    for j, (name, m) in enumerate(mins.iterrows()):
        full = _units(vips, m["basis"]) * m["per_year"]
        share = months / 12.0 if m["prorate"] else 1.0
        applies = np.logical_or.reduce([masks[t] for t in m["tiers"]])
        out[:, j] = np.where(applies, _round(full * share, rounding), 0.0)
    return out.astype(np.int64)


def counted(counts: np.ndarray, names: pd.Index, policy: Policy) -> np.ndarray:
    """The deliveries that count against each minimum, from the rows per service (第19条 1–2).

    Parameters
    ----------
    counts : ndarray
        Delivery rows [count], services on the last axis in the order of ``names``.
    names : Index
        Service names of the last axis.
    policy : Policy
        ``delivery_rules.invitation_count`` (第19条 2) and ``delivery_rules.health_check_count``
        (第19条 1).

    Returns
    -------
    ndarray
        ``counts`` with each :data:`OFFERED_SERVICES` entry whose reading is the offer
        (``invitation`` / ``offer``) replaced by the offers proven: the larger of its offer rows
        and its attendance rows (an attendance proves an invitation) [count]; under
        ``attendance`` the attendance rows alone.
    """
    out = np.array(counts, copy=True)
    for service, (offer, rule) in OFFERED_SERVICES.items():
        if service in names and offer in names and getattr(policy.delivery_rules, rule) != "attendance":
            j, k = names.get_loc(service), names.get_loc(offer)
            out[..., j] = np.maximum(out[..., j], out[..., k])
    return out


def _codes(delivery: pd.DataFrame, vips: pd.DataFrame, names: pd.Index, file: str):
    """Customer and service codes of each delivery (-1: a service outside ``names``); refuses
    deliveries to non-VIPs and service names the catalogue does not hold."""
    c_codes, c_uni = pd.factorize(delivery["customer_id"])
    cust = pd.Index(vips["customer_id"]).get_indexer(c_uni)[c_codes] if len(c_uni) else np.zeros(0, np.int64)
    s_codes, s_uni = pd.factorize(delivery["service"])
    s_uni = np.asarray(s_uni, dtype=object)
    per_uni = names.get_indexer(s_uni)
    svc = per_uni[s_codes] if len(s_uni) else np.zeros(0, np.int64)
    is_gold = vips["tier"].to_numpy() == "gold"
    for u in np.flatnonzero(pd.Series(s_uni, dtype=object).str.startswith("revisit").to_numpy()):
        rows = s_codes == u
        svc[rows] = np.where(is_gold[np.maximum(cust[rows], 0)], names.get_loc("revisit_gold"),
                             names.get_loc("revisit_silver"))
    known = set(DELIVERY_SERVICES)
    problems = []
    for i in np.flatnonzero(cust < 0)[:50]:
        problems.append(Problem(int(i) + 2, delivery["customer_id"].iloc[i], "customer_id",
                                f"customer '{delivery['customer_id'].iloc[i]}' is not a Gold or Silver VIP "
                                "this year: VIP services are recorded for VIPs only"))
    unknown = np.array([u not in known for u in s_uni], dtype=bool)
    for i in np.flatnonzero(unknown[s_codes] & (cust >= 0))[:50] if len(s_uni) else []:
        problems.append(Problem(int(i) + 2, delivery["customer_id"].iloc[i], "service",
                                f"unknown service name '{delivery['service'].iloc[i]}': not in the "
                                "service catalogue"))
    if problems:
        problems.sort(key=lambda p: p.row or 0)
        raise InputTableError(file, problems)
    return cust.astype(np.int64), svc.astype(np.int64)


@dataclass
class DeliveryCheck(Result):
    """Result of :func:`check_delivery`: VIP services delivered against the minima (第18条 2,
    第19条), executives' attendance (第23–25条), the 附件二 quarterly record and the cost
    against 附件七.

    ``required`` and ``delivered`` are (VIP × service) tables [count] (``delivered``: the
    rows recorded, offers in columns of their own); ``shortfalls`` one row per VIP and
    service below its minimum, its ``delivered`` what counts against the minimum
    (:func:`counted`); ``below_standard`` one row per VIP below
    standard with what is missing; ``by_branch`` the counts per branch and tier;
    ``executives`` each executive's distinct customers against the quotas; ``quarterly``
    the tidy quarterly record (branch, quarter, tier, service: count, cost [CNY]);
    ``annex2`` the form (index branch and service: each service's key, then
    ``below_standard`` — VIPs below standard at the quarter's end — and ``total``; columns
    ``q1_gold_count`` … ``year_cost_cny``, see :data:`ANNEX2_MEASURES`); ``budget_*`` the
    variance tables.
    """

    vips: pd.DataFrame
    required: pd.DataFrame
    delivered: pd.DataFrame
    shortfalls: pd.DataFrame
    below_standard: pd.DataFrame
    by_branch: pd.DataFrame
    executives: pd.DataFrame
    quarterly: pd.DataFrame
    annex2: pd.DataFrame
    budget_by_item: pd.DataFrame
    budget_by_group: pd.DataFrame
    budget_contributors: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """The 附件二 form, VIPs below standard, what is missing, per branch, executives,
        the quarterly record and the budget variance."""
        return {"附件二 quarterly record": self.annex2,
                "delivery below standard": self.below_standard,
                "delivery shortfalls": self.shortfalls,
                "delivery by branch": self.by_branch,
                "executive attendance": self.executives,
                "quarterly services": self.quarterly,
                "actual vs budget by item": self.budget_by_item,
                "actual vs budget by group": self.budget_by_group,
                "budget variance drivers": self.budget_contributors}

    def below_standard_worst_first(self) -> pd.DataFrame:
        """:attr:`below_standard` with the most deliveries missing first (then by customer id)."""
        b = self.below_standard
        return b.sort_values(["deliveries_missing", "customer_id"], ascending=[False, True]) if len(b) else b

    def executives_by_role(self) -> pd.DataFrame:
        """Distinct Gold and Silver customers joined and the shortfalls, summed per role
        (第23–25条) [customers]."""
        columns = ["gold_customers", "gold_shortfall", "silver_customers", "silver_shortfall"]
        return self.executives.groupby("role")[columns].sum()

    def executive_quota_note(self) -> Note:
        """How many executives are below their 第23–25条 revisit quota, of how many
        (``delivery.executives_short``)."""
        return note("delivery.executives_short", short=int((~self.executives["meets_quota"]).sum()),
                    executives=len(self.executives))

    def annex2_first_branch(self) -> pd.DataFrame | None:
        """The 附件二 record of the first branch (the rows of one branch, its name dropped);
        None when the record is empty."""
        if not len(self.annex2):
            return None
        first = self.annex2.index.get_level_values(0)[0]
        return self.annex2.loc[first].reset_index()

    def budget_by_tier_and_payer(self) -> pd.DataFrame:
        """:attr:`budget_by_group` without the per-branch rows (those are in the workbook)."""
        g = self.budget_by_group
        return g[g["by"] != "branch"] if len(g) else g


def _executive_attendance(delivery: pd.DataFrame, cust: np.ndarray, s: np.ndarray, names: pd.Index,
                          vips: pd.DataFrame, executives: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Distinct Gold and Silver customers each executive joined at revisits (第23–25条)."""
    revisit = np.isin(s, names.get_indexer(["revisit_gold", "revisit_silver"]))
    e_codes, e_uni = pd.factorize(delivery["executives"][revisit])
    cells = pd.DataFrame({"cell": np.arange(len(e_uni)), "executive_id": pd.Series(e_uni, dtype=object).str.split(";")})
    cells = cells.explode("executive_id")
    cells = cells[cells["executive_id"].notna() & cells["executive_id"].ne("")]
    pairs = np.unique(np.stack([cust[revisit], e_codes], axis=1), axis=0) if revisit.any() else np.zeros((0, 2), int)
    pairs = pd.DataFrame(pairs, columns=["c", "cell"]).merge(cells, on="cell")[["executive_id", "c"]].drop_duplicates()
    tier = vips["tier"].to_numpy()[pairs["c"].to_numpy()]
    branch = vips["branch"].to_numpy()[pairs["c"].to_numpy()]
    ex = executives[["executive_id", "role", "branch"]].reset_index(drop=True)
    own = ex.set_index("executive_id")["branch"].reindex(pairs["executive_id"]).to_numpy()
    role = ex.set_index("executive_id")["role"].reindex(pairs["executive_id"]).to_numpy()
    local = (role != "branch_head") | (branch == own)  # a branch head counts the own branch's VIPs
    pairs = pairs.assign(gold=(tier == "gold") & local, silver=(tier == "silver") & local)
    counts = pairs.groupby("executive_id")[["gold", "silver"]].sum()
    q = policy.executive_quotas.quota_table().reindex(ex["role"]).reset_index(drop=True)
    out = ex.copy()
    out["gold_customers"] = counts["gold"].reindex(ex["executive_id"]).fillna(0).astype(int).to_numpy()
    out["silver_customers"] = counts["silver"].reindex(ex["executive_id"]).fillna(0).astype(int).to_numpy()
    local_gold = vips[vips["tier"] == "gold"].groupby("branch").size()
    local_silver = vips[vips["tier"] == "silver"].groupby("branch").size()
    is_head = (ex["role"] == "branch_head").to_numpy()
    all_gold = is_head & q["all_local_gold"].to_numpy(dtype=bool)
    gold_min = q["gold_min"].to_numpy(float) + np.where(all_gold, local_gold.reindex(ex["branch"]).fillna(0).to_numpy(), 0)
    out["gold_min"] = gold_min.astype(int)
    out["silver_min"] = q["silver_min"].to_numpy(float).astype(int)
    out["local_silver"] = np.where(is_head, local_silver.reindex(ex["branch"]).fillna(0).to_numpy(), np.nan)
    out["gold_shortfall"] = np.maximum(out["gold_min"] - out["gold_customers"], 0)
    out["silver_shortfall"] = np.maximum(out["silver_min"] - out["silver_customers"], 0)
    out["meets_quota"] = (out["gold_shortfall"] == 0) & (out["silver_shortfall"] == 0)
    return out


def _quarterly(delivery: pd.DataFrame, cust: np.ndarray, s: np.ndarray, q: np.ndarray, vips: pd.DataFrame,
               labels: pd.Series, below_q: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tidy quarterly record and the 附件二 form (rows service items, columns per quarter)."""
    branches = pd.Index(sorted(vips["branch"].unique()))
    b = branches.get_indexer(vips["branch"].to_numpy())[cust]
    t = (vips["tier"].to_numpy() == "silver").astype(np.int64)[cust]
    names = pd.Index(labels.index)
    shape = (len(branches), 4, 2, len(names))
    flat = np.ravel_multi_index((b, q, t, s), shape)
    size = int(np.prod(shape))
    count = np.bincount(flat, minlength=size).reshape(shape)
    cost = np.bincount(flat, weights=delivery["cost_cny"].to_numpy(float), minlength=size).reshape(shape)
    idx = pd.MultiIndex.from_product([branches, QUARTERS, list(VIP_TIERS), names],
                                     names=["branch", "quarter", "tier", "service"])
    tidy = pd.DataFrame({"count": count.ravel(), "cost_cny": cost.ravel()}, index=idx)
    tidy = tidy[tidy["count"] > 0].reset_index()

    # the form: per branch, rows = service items + VIPs below standard + total; columns per quarter
    vb = branches.get_indexer(vips["branch"].to_numpy())
    gold = vips["tier"].to_numpy() == "gold"
    n_b, n_s = len(branches), len(names)
    grid = np.full((n_b, n_s + 2, 15), np.nan)
    for qi in range(5):
        sel = slice(qi, qi + 1) if qi < 4 else slice(0, 4)
        block = np.stack([count[:, sel, 0, :].sum(axis=1), count[:, sel, 1, :].sum(axis=1),
                          cost[:, sel, :, :].sum(axis=(1, 2))], axis=2)  # (branch, service, 3)
        grid[:, :n_s, 3 * qi:3 * qi + 3] = block
        grid[:, n_s + 1, 3 * qi:3 * qi + 3] = block.sum(axis=1)
        bq = below_q[:, min(qi, 3)]
        grid[:, n_s, 3 * qi] = np.bincount(vb[bq & gold], minlength=n_b)
        grid[:, n_s, 3 * qi + 1] = np.bincount(vb[bq & ~gold], minlength=n_b)
    columns = [f"{qn.lower()}_{m}" for qn in QUARTERS + ("year",) for m in ANNEX2_MEASURES]
    rows = [*names, "below_standard", "total"]
    index = pd.MultiIndex.from_product([branches, rows], names=["branch", "service"])
    form = pd.DataFrame(grid.reshape(n_b * (n_s + 2), 15), index=index, columns=columns)
    counts = [c for c in columns if c.endswith("_count")]
    form[counts] = form[counts].astype(np.int64)
    return tidy, form


def _variance(budget: np.ndarray, actual: np.ndarray, index) -> pd.DataFrame:
    out = pd.DataFrame({"budget_cny": budget, "actual_cny": actual}, index=index)
    out["variance_cny"] = out["actual_cny"] - out["budget_cny"]
    out["variance_share"] = out["variance_cny"] / out["budget_cny"].where(out["budget_cny"] > 0)
    return out


def _budget(actual_cost: np.ndarray, vips: pd.DataFrame, names: pd.Index, est: BudgetEstimate,
            policy: Policy) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Delivered cost against the 附件七 estimate by item, tier, branch and payer (CNY)."""
    items = est.items
    common = pd.Index([n for n in names if n in items.index], name="item")
    budget = est.cost.reindex(columns=common).to_numpy()
    actual = actual_cost[:, names.get_indexer(common)]
    payer = items["payer"].reindex(common).to_numpy()

    by_item = _variance(budget.sum(axis=0), actual.sum(axis=0), common)
    by_item.insert(0, "payer", payer)
    b_tot, a_tot = float(budget.sum()), float(actual.sum())
    by_item.loc["total"] = {"payer": "", "budget_cny": b_tot, "actual_cny": a_tot,
                            "variance_cny": a_tot - b_tot, "variance_share": (a_tot - b_tot) / b_tot if b_tot else np.nan}
    by_item = by_item.reset_index()

    groups = []
    for dim in ("tier", "branch"):
        codes, uni = pd.factorize(vips[dim].to_numpy(), sort=True)
        bs = np.bincount(codes, weights=budget.sum(axis=1), minlength=len(uni))
        ac = np.bincount(codes, weights=actual.sum(axis=1), minlength=len(uni))
        groups.append(_variance(bs, ac, pd.Index(uni, name="group")).reset_index().assign(by=dim))
    p_codes, p_uni = pd.factorize(payer, sort=True)
    bs = np.bincount(p_codes, weights=budget.sum(axis=0), minlength=len(p_uni))
    ac = np.bincount(p_codes, weights=actual.sum(axis=0), minlength=len(p_uni))
    groups.append(_variance(bs, ac, pd.Index(p_uni, name="group")).reset_index().assign(by="payer"))
    by_group = pd.concat(groups, ignore_index=True)
    by_group = by_group[["by"] + [c for c in by_group.columns if c != "by"]]

    # contributors: branch × tier × item
    b_codes, b_uni = pd.factorize(vips["branch"].to_numpy(), sort=True)
    t_codes = (vips["tier"].to_numpy() == "silver").astype(np.int64)
    n_i = len(common)
    key = ((b_codes * 2 + t_codes)[:, None] * n_i + np.arange(n_i)[None, :]).ravel()
    size = len(b_uni) * 2 * n_i
    bs = np.bincount(key, weights=budget.ravel(), minlength=size)
    ac = np.bincount(key, weights=actual.ravel(), minlength=size)
    idx = pd.MultiIndex.from_product([b_uni, list(VIP_TIERS), common], names=["branch", "tier", "item"])
    drivers = _variance(bs, ac, idx)
    drivers = drivers[(drivers["budget_cny"] != 0) | (drivers["actual_cny"] != 0)].reset_index()
    gross = drivers["variance_cny"].abs().sum()
    drivers["share_of_abs_variance"] = drivers["variance_cny"].abs() / gross if gross else 0.0
    order = np.lexsort((drivers["item"].to_numpy(), -drivers["variance_cny"].abs().to_numpy()))
    return by_item, by_group, drivers.iloc[order[:20]].reset_index(drop=True)


def check_delivery(delivery: pd.DataFrame, tier_table: pd.DataFrame, executives: pd.DataFrame,
                   policy: Policy, year: int, file: str = "<delivery>") -> DeliveryCheck:
    """Check a year of VIP service delivery (附件二/四; 第18条 2, 第19条, 第23–25条, 附件七).

    Parameters
    ----------
    delivery : DataFrame
        Validated delivery table (:func:`tiermodel.events.validate_delivery`): one row per
        delivered unit (a revisit, one key person's gift, one mailing …) with ``cost_cny``
        [CNY] and, for revisits, the executives present.
    tier_table : DataFrame
        ``Tiering.table`` (optional ``approval_month`` per VIP, see :func:`delivery_vips`).
    executives : DataFrame
        Validated executive table.
    policy : Policy
        ``delivery_minimums``, ``delivery_rules``, ``executive_quotas``, the catalogue and the
        price index (the budget at ``year`` prices).
    year : int
        Year of the record [year].
    file : str
        Name of the delivery table in messages.

    Returns
    -------
    DeliveryCheck
        Counts [count], costs [CNY], shortfalls, executive attendance [customers], the
        附件二 record and the variance against 附件七 [CNY, share].

    Raises
    ------
    InputTableError
        A delivery to a customer who is not a VIP this year, or a service the catalogue
        does not hold (row, customer and column named).
    """
    vips = delivery_vips(tier_table, policy).reset_index(drop=True)
    mins = minimums(policy)
    labels = catalogue(policy)["label"]
    offers = {offer for offer, _ in OFFERED_SERVICES.values()}
    names = pd.Index(list(mins.index) + [n for n in DELIVERY_SERVICES
                                         if (n in labels.index or n in offers) and n not in mins.index])
    labels = labels.reindex(names).fillna(pd.Series(DELIVERY_SERVICES))
    cust, s = _codes(delivery, vips, names, file)
    keep = s >= 0
    if not keep.all():
        delivery, cust, s = delivery[keep], cust[keep], s[keep]
    month = delivery["date"].dt.month.to_numpy()
    q = ((month - 1) // 3).astype(np.int64)
    n_c, n_s = len(vips), len(names)
    flat = cust * n_s + s
    delivered = np.bincount(flat, minlength=n_c * n_s).reshape(n_c, n_s)
    actual_cost = np.bincount(flat, weights=delivery["cost_cny"].to_numpy(float), minlength=n_c * n_s).reshape(n_c, n_s)
    n_m = len(mins)
    req = required_matrix(vips, mins, policy)
    meets = counted(delivered, names, policy)[:, :n_m]  # the one place offers meet a minimum
    missing = np.maximum(req - meets, 0)

    # year to date at each quarter's end (floor), the year's rule at Q4
    by_q = counted(np.bincount((cust * 4 + q) * n_s + s, minlength=n_c * 4 * n_s).reshape(n_c, 4, n_s).cumsum(axis=1),
                   names, policy)[:, :, :n_m]
    below_q = np.zeros((n_c, 4), dtype=bool)
    first = vips["first_month"].to_numpy()
    for qi in range(3):
        months = np.clip(3 * (qi + 1) - first + 1, 0, 12)
        r = required_matrix(vips, mins.assign(per_year=np.where(mins["prorate"], mins["per_year"], 0.0)),
                            policy, months=months, rounding="floor")
        below_q[:, qi] = (by_q[:, qi, :] < r).any(axis=1)
    below_q[:, 3] = (missing > 0).any(axis=1)

    index = pd.Index(vips["customer_id"], name="customer_id")
    required = pd.DataFrame(req, index=index, columns=mins.index)
    delivered_df = pd.DataFrame(delivered, index=index, columns=names)
    ci, sj = np.nonzero(missing)
    shortfalls = pd.DataFrame({
        "customer_id": vips["customer_id"].to_numpy()[ci], "branch": vips["branch"].to_numpy()[ci],
        "tier": vips["tier"].to_numpy()[ci], "service_months": vips["service_months"].to_numpy()[ci],
        "service": mins.index.to_numpy()[sj],
        "required": req[ci, sj], "delivered": meets[ci, sj], "missing": missing[ci, sj]})
    short = missing > 0
    bad = np.flatnonzero(short.any(axis=1))
    svc_names = mins.index.to_numpy(dtype=object)
    what = [missing_note(svc_names[np.flatnonzero(row)], missing[i, np.flatnonzero(row)])
            for i, row in zip(bad, short[bad])]
    below = pd.DataFrame({
        "customer_id": vips["customer_id"].to_numpy()[bad], "branch": vips["branch"].to_numpy()[bad],
        "tier": vips["tier"].to_numpy()[bad], "service_months": vips["service_months"].to_numpy()[bad],
        "services_short": short[bad].sum(axis=1), "deliveries_missing": missing[bad].sum(axis=1),
        "missing": pd.Series(what, dtype=object)})
    g = pd.DataFrame({"branch": vips["branch"], "tier": vips["tier"], "below": short.any(axis=1),
                      "missing": missing.sum(axis=1)}).groupby(["branch", "tier"], sort=True)
    by_branch = pd.DataFrame({"vips": g.size(), "below_standard": g["below"].sum(),
                              "deliveries_missing": g["missing"].sum()})
    by_branch["share_below"] = by_branch["below_standard"] / by_branch["vips"]
    by_branch = by_branch.reset_index()

    attendance = _executive_attendance(delivery, cust, s, names, vips, executives, policy)
    quarterly, form = _quarterly(delivery, cust, s, q, vips, labels, below_q)
    est = estimate(vips, policy, year)
    by_item, by_group, drivers = _budget(actual_cost, vips, names, est, policy)
    return DeliveryCheck(vips, required, delivered_df, shortfalls, below, by_branch, attendance,
                         quarterly, form, by_item, by_group, drivers)


def missing_note(services, counts) -> Note:
    """What one VIP lacks, as a note: ``delivery.missing`` holding one ``delivery.missing_item``
    (``service``, a key of :data:`~tiermodel.vocabulary.DELIVERY_SERVICE_TERMS`, and ``n``
    [deliveries]) per service below its minimum, in the catalogue's order."""
    return note("delivery.missing", items=[note("delivery.missing_item", service=str(k), n=int(n))
                                           for k, n in zip(services, counts)])


def delivery_notes(check: DeliveryCheck) -> list[Note]:
    """The VIPs below standard per tier, the executives short of their quota and the cost
    against 附件七, as notes (rendered by the present layer).

    Parameters
    ----------
    check : DeliveryCheck

    Returns
    -------
    list of Note
        ``delivery.below_minimum`` per VIP tier (``tier``, ``below``, ``vips`` [customers],
        ``missing`` [deliveries]); ``delivery.executives_short`` (``short``, ``executives``)
        where an executive is short; ``delivery.cost`` (``actual``, ``budget``, ``variance`` [CNY]).
    """
    notes = []
    b = check.below_standard
    for tier in VIP_TIERS:
        n = int((check.vips["tier"] == tier).sum())
        k = int((b["tier"] == tier).sum())
        notes.append(note("delivery.below_minimum", tier=tier, below=k, vips=n,
                          missing=int(b.loc[b["tier"] == tier, "deliveries_missing"].sum())))
    ex = check.executives
    short = ex[~ex["meets_quota"]]
    if len(short):
        notes.append(note("delivery.executives_short", short=len(short), executives=len(ex)))
    total = check.budget_by_item.iloc[-1]
    notes.append(note("delivery.cost", actual=float(total["actual_cny"]), budget=float(total["budget_cny"]),
                      variance=float(total["variance_cny"])))
    return notes


__all__ = ["ANNEX2_MEASURES", "DeliveryCheck", "OFFERED_SERVICES", "QUARTERS", "check_delivery", "counted", "delivery_notes",
           "delivery_vips", "minimums", "missing_note", "required_matrix"]
