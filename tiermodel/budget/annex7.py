"""The deterministic yearly service cost of a tier list: the 附件七 table (第26条 2, 第27条 2).

:func:`vip_table` picks the Gold and Silver customers with their service months (第12–13条)
and key persons (第16条); :func:`estimate` prices every service of the catalogue for them
and returns a :class:`BudgetEstimate`, whose :meth:`~BudgetEstimate.annex7` is the lost
附件七 form ("VIP 客户年度服务投入测算表") rebuilt.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputTableError, Problem
from ..policy import Policy
from ..result import Result
from ..service_period import previous_tier_codes, service_dates
from ..vocabulary import TIERS, VIP_TIERS
from .services import ANNEX7_HEADERS, PAYERS, applicable, catalogue, price_factor

#: Columns of the tier list the budget reads.
VIP_COLUMNS = ("customer_id", "branch", "branch_class", "is_new", "tier", "first_service_objects",
               "second_service_objects")


def service_months(tier, is_new, policy: Policy, previous_tier=None, approval_month=None) -> np.ndarray:
    """Months of VIP service in the year [months, 0–12] (第12条, 第13条).

    A continuing VIP — the same tier last year — is served all year (12 months, no January
    gap). Only a newly rated customer starts ``service_start.months_after_approval`` months
    after its approval (第12条 从确定次月): in the month after ``approval_month`` where given,
    else after the flagged default — ``budget_assumptions.new_gold_approval_month`` /
    ``new_silver_approval_month`` (July) for this year's new customers, rated during the year
    (第13条), ``service_start.approval_month`` (January) for the others. Last year's tier is
    ``previous_tier`` where given, else ``service_start.previous_tier_default`` (assumed: a
    customer insured before this year keeps its tier, a new customer was regular).

    Parameters
    ----------
    tier : array-like of str
        This year's tier (gold/silver) of each customer.
    is_new : array-like of bool
        True for this year's new customers (第13条).
    policy : Policy
        Supplies ``service_start`` and ``budget_assumptions``.
    previous_tier : array-like of str, optional
        Last year's tier (gold/silver/regular; blank or NaN = regular).
    approval_month : array-like of float, optional
        Month of approval [1–12] (NaN where not known: the default applies).

    Returns
    -------
    ndarray of int64
        Service months of each customer [months].
    """
    tier = np.asarray(tier).astype(str)
    is_new = np.asarray(is_new, dtype=bool)
    codes = _tier_codes(tier)
    if previous_tier is not None:
        prev = _tier_codes(pd.Series(previous_tier, dtype="string").fillna("regular").replace("", "regular")
                           .to_numpy(dtype=str))
    else:
        prev = previous_tier_codes(codes, is_new, policy)
    override = np.full(len(tier), np.datetime64("NaT"), dtype="datetime64[D]")
    if approval_month is not None:  # a given month moves the start of a newly rated VIP only
        month = np.asarray(approval_month, dtype=float)
        given = np.isfinite(month) & (prev != codes)
        first = np.datetime64(f"{_ANY_YEAR}-01", "M")
        override[given] = (first + (month[given].astype(np.int64) - 1).astype("timedelta64[M]")).astype("datetime64[D]")
    # the one rule of 第12条 (tiermodel.service_period); months do not depend on the year
    return service_dates(codes, prev, is_new, override, _ANY_YEAR, policy)["service_months"].astype(np.int64)


#: Any year: months of service depend on the approval month, not on the year.
_ANY_YEAR = 2001


def _tier_codes(tier: np.ndarray) -> np.ndarray:
    return pd.Categorical(np.asarray(tier, dtype=str), categories=list(TIERS)).codes.astype(np.int8)


def vip_table(tier_table: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """The Gold and Silver customers of a tier list, with what the budget counts (第12–16条).

    Parameters
    ----------
    tier_table : DataFrame
        ``Tiering.table`` (or any table with ``customer_id``, ``branch``, ``branch_class``,
        ``is_new``, ``tier``, ``first_service_objects``, ``second_service_objects``). The
        year under review's table (:class:`tiermodel.compare.ServiceYear`) carries
        ``service_months``, taken as they are; a bare tier list gets them from
        :func:`service_months` (optional ``previous_tier`` and ``approval_date``).
    policy : Policy
        Supplies the service start (第12条).

    Returns
    -------
    DataFrame
        ``customer_id``, ``branch``, ``branch_class``, ``tier`` (gold/silver), ``is_new``,
        ``service_months`` [months], ``first_objects``, ``second_objects`` [persons, 第16条].

    Raises
    ------
    InputTableError
        A column the budget needs is missing.
    """
    missing = [c for c in VIP_COLUMNS if c not in tier_table]
    if missing:
        raise InputTableError("<tier list>", [Problem(None, None, c, "column needed by the budget is missing")
                                              for c in missing])
    tier = tier_table["tier"]
    if not isinstance(tier.dtype, pd.CategoricalDtype):  # a categorical's values are compared once each
        tier = tier.astype(str)
    v = tier_table.loc[tier.isin(VIP_TIERS).to_numpy()]
    tiers = v["tier"].astype(str).to_numpy()
    is_new = v["is_new"].to_numpy(dtype=bool)
    if "service_months" in v:  # the year under review (tiermodel.compare.ServiceYear) dated them once
        months = v["service_months"].to_numpy(dtype=np.int64)
    else:
        previous = v["previous_tier"].astype("string").to_numpy() if "previous_tier" in v else None
        approval = pd.to_datetime(v["approval_date"], errors="coerce").dt.month.to_numpy(dtype=float) \
            if "approval_date" in v else None
        months = service_months(tiers, is_new, policy, previous, approval)
    return pd.DataFrame({
        "customer_id": v["customer_id"].astype(str).to_numpy(),
        "branch": v["branch"].astype(str).to_numpy(),
        "branch_class": v["branch_class"].astype(str).to_numpy(),
        "tier": tiers,
        "is_new": is_new,
        "service_months": months,
        "first_objects": v["first_service_objects"].to_numpy(dtype=np.int64),
        "second_objects": v["second_service_objects"].to_numpy(dtype=np.int64),
    })


def as_vips(tier_table: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """``tier_table`` as :func:`vip_table` gives it (第12–16条); a VIP table passes through.

    Parameters
    ----------
    tier_table : DataFrame
        The year under review (:class:`tiermodel.compare.ServiceYear`, or its table),
        ``Tiering.table``, or :func:`vip_table`'s output (recognised by ``first_objects``).
    policy : Policy
        Supplies the service start (第12条).

    Returns
    -------
    DataFrame
        As :func:`vip_table`.
    """
    tier_table = getattr(tier_table, "table", tier_table)  # a ServiceYear or a Tiering: its table
    return tier_table if "first_objects" in tier_table else vip_table(tier_table, policy)


@dataclass
class BudgetEstimate(Result):
    """Deterministic yearly service cost of a tier list (result of :func:`estimate`).

    ``quantity`` and ``cost`` are (VIP customer × service) tables: how many times each
    service is given to the customer in the year and what it costs [CNY, forecast-year
    prices]; a branch service appears as the customer's share of it.
    """

    vips: pd.DataFrame
    items: pd.DataFrame
    quantity: pd.DataFrame
    cost: pd.DataFrame
    year: int
    price_factor: float

    @property
    def total(self) -> float:
        """Total yearly cost [CNY]."""
        return float(self.cost.to_numpy().sum())

    def by_tier(self) -> pd.DataFrame:
        """Customers, cost [CNY] and cost per customer [CNY] of Gold, Silver and both."""
        per_customer = self.cost.sum(axis=1)
        g = per_customer.groupby(self.vips["tier"].to_numpy()).agg(["size", "sum"])
        g = g.reindex(list(VIP_TIERS), fill_value=0)
        g.loc["total"] = g.sum()
        out = pd.DataFrame({"customers": g["size"].astype(int), "cost_cny": g["sum"]})
        out["cost_per_customer_cny"] = out["cost_cny"] / out["customers"].where(out["customers"] > 0)
        out.index.name = "tier"
        return out

    def by_payer(self) -> pd.DataFrame:
        """Cost [CNY] by payer (rows head office, branch, total) and tier (columns), 第26条."""
        tier = self.vips["tier"].to_numpy()
        out = pd.DataFrame(0.0, index=list(PAYERS), columns=list(VIP_TIERS))
        for payer in PAYERS:
            cols = self.items.index[self.items["payer"] == payer]
            by = self.cost[cols].sum(axis=1).groupby(tier).sum()
            out.loc[payer] = by.reindex(list(VIP_TIERS), fill_value=0.0).to_numpy()
        out.loc["total"] = out.sum()
        out["total"] = out.sum(axis=1)
        out.index.name = "payer"
        return out

    def by_branch(self) -> pd.DataFrame:
        """Per branch: class, Gold and Silver customers, cost by tier and by payer [CNY]."""
        v = self.vips
        frame = pd.DataFrame({"branch": v["branch"], "branch_class": v["branch_class"],
                              "gold": v["tier"].eq("gold"), "silver": v["tier"].eq("silver")})
        total = pd.Series(self.cost.to_numpy().sum(axis=1), index=frame.index)
        frame["gold_cny"] = total.where(frame["gold"], 0.0)
        frame["silver_cny"] = total.where(frame["silver"], 0.0)
        for payer in PAYERS:
            frame[f"{payer}_cny"] = self.cost[self.items.index[self.items["payer"] == payer]].to_numpy().sum(axis=1)
        frame["total_cny"] = total
        out = frame.groupby("branch", sort=True).agg(
            branch_class=("branch_class", "first"), gold=("gold", "sum"), silver=("silver", "sum"),
            gold_cny=("gold_cny", "sum"), silver_cny=("silver_cny", "sum"),
            head_office_cny=("head_office_cny", "sum"), branch_cny=("branch_cny", "sum"),
            total_cny=("total_cny", "sum"))
        return out

    def annex7(self) -> pd.DataFrame:
        """The 附件七 table (VIP 客户年度服务投入测算表): one row per service plus a total.

        Columns: ``label``, ``article``, ``basis``, ``unit_cost_cny`` [CNY, forecast-year
        prices], ``quantity`` (times given in the year; branches for a branch service),
        ``gold_cny``, ``silver_cny``, ``total_cny`` [CNY], ``payer``, ``status``
        (sourced/assumed) and ``provenance``. :data:`ANNEX7_HEADERS` gives bilingual headers.
        """
        it = self.items
        tier = self.vips["tier"].to_numpy()
        gold = self.cost.loc[tier == "gold"].sum()
        silver = self.cost.loc[tier == "silver"].sum()
        table = pd.DataFrame({
            "label": it["label"], "article": it["article"], "basis": it["basis"],
            "unit_cost_cny": it["unit_cost_base_cny"] * self.price_factor,
            "quantity": self.quantity.sum(),
            "gold_cny": gold, "silver_cny": silver, "total_cny": gold + silver,
            "payer": it["payer"], "status": it["status"], "provenance": it["provenance"],
        })
        total = {"label": "合计 total", "article": "", "basis": "", "unit_cost_cny": np.nan,
                 "quantity": np.nan, "gold_cny": table["gold_cny"].sum(),
                 "silver_cny": table["silver_cny"].sum(), "total_cny": table["total_cny"].sum(),
                 "payer": "", "status": "", "provenance": ""}
        table.loc["total"] = total
        table.index.name = "item"
        return table

    def annex7_by_key(self) -> pd.DataFrame:
        """The 附件七 table for a reader table (the report's page and workbook): each service by
        its key (``item``, the index; ``total`` last), no ``label`` (the catalogue's Chinese
        name) and no ``provenance`` (its English text): the reader table names the service in
        the page's language, :func:`~tiermodel.budget.services.catalogue_sources` and the
        register say where each number comes from."""
        return self.annex7().drop(columns=["label", "provenance"])

    def tables(self) -> dict[str, pd.DataFrame]:
        """附件七 (bilingual headers) and the cost by tier, payer and branch [CNY]."""
        return {
            "附件七 annex 7": self.annex7().rename(columns=ANNEX7_HEADERS),
            "budget by tier": self.by_tier(),
            "budget by payer": self.by_payer(),
            "budget by branch": self.by_branch(),
        }


def estimate(tier_table: pd.DataFrame, policy: Policy, year: int | None = None) -> BudgetEstimate:
    """Deterministic yearly cost of the VIP services for a tier list (附件七, 第26条 2).

    Each VIP receives each service that applies to its tier (and branch class)
    ``per_year × take_up`` times per basis unit, scaled by ``service_months / 12`` where the
    service is pro-rated; a branch service costs ``per_year × unit cost`` per branch with
    such VIPs, shared by head count; a company service (``basis: company``, e.g. head
    office's VIP line, 第26条 8) costs it once for the whole list, shared by head count. Unit costs are carried from the base year by
    :func:`~tiermodel.budget.services.price_factor`.

    Parameters
    ----------
    tier_table : DataFrame
        The year under review (:class:`tiermodel.compare.ServiceYear`: the approved lists
        and their months of service), ``Tiering.table`` or :func:`vip_table`'s output.
    policy : Policy
        Supplies the service catalogue (第18–19条), service start (第12条) and price index.
    year : int, optional
        Price year [year] (default: a ServiceYear's own year, else the price index's base
        year, 2003).

    Returns
    -------
    BudgetEstimate
        Quantities [times/yr] and costs [CNY, ``year`` prices] per customer and service.
    """
    year = getattr(tier_table, "year", policy.price_index.base_year) if year is None else int(year)
    vips = as_vips(tier_table, policy)
    items = catalogue(policy)
    months = vips["service_months"].to_numpy()
    applies = applicable(vips["tier"], vips["branch_class"], items) & (months > 0)[:, None]
    _, branch = np.unique(vips["branch"].to_numpy().astype(str), return_inverse=True)
    qty = _quantities(items, applies, branch, vips["first_objects"].to_numpy(dtype=float),
                      vips["second_objects"].to_numpy(dtype=float), months)
    factor = price_factor(policy, year)
    cost = qty * (items["unit_cost_base_cny"].to_numpy() * factor)[None, :]
    index = pd.Index(vips["customer_id"].to_numpy(), name="customer_id")
    return BudgetEstimate(vips.reset_index(drop=True),
                          items, pd.DataFrame(qty, index=index, columns=items.index),
                          pd.DataFrame(cost, index=index, columns=items.index), year, factor)


def _quantities(items: pd.DataFrame, applies: np.ndarray, branch: np.ndarray, first: np.ndarray,
                second: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Times each service is given to each VIP in the year [times/yr] (附件七, 第18–19条).

    ``applies`` (VIPs × services) says which services a VIP receives; ``branch`` holds each
    VIP's branch as an integer code; ``first``/``second`` its key persons [persons, 第16条];
    ``months`` its service months [months, 第12条]. A branch service is shared among the
    branch's VIPs that receive it, a company service among all of them, by head count.
    """
    n = len(applies)
    # branch services: each applicable customer carries 1 / (applicable customers of its branch)
    per_branch = np.zeros((int(branch.max()) + 1 if n else 0, applies.shape[1]))
    np.add.at(per_branch, branch, applies)
    with np.errstate(divide="ignore", invalid="ignore"):
        branch_share = np.where(applies, 1.0 / per_branch[branch], 0.0)
    # company services (one for the whole list, e.g. head office's VIP line): shared by head count
    with np.errstate(divide="ignore", invalid="ignore"):
        company_share = np.where(applies, 1.0 / applies.sum(axis=0, keepdims=True), 0.0)
    ones = np.ones(n)
    units_by_basis = {"first_object": first, "second_object": second, "service_object": first + second,
                      "customer": ones, "event": ones}
    shares = {"branch": branch_share, "company": company_share}
    units = np.stack([units_by_basis[b] if b not in shares else shares[b][:, j]
                      for j, b in enumerate(items["basis"])], axis=1) if len(items) else np.zeros((n, 0))
    month_share = months / 12.0
    time_share = np.where(items["prorate"].to_numpy()[None, :], month_share[:, None], 1.0)
    return units * (items["per_year"] * items["take_up"]).to_numpy()[None, :] * time_share * applies


def list_totals(tier_table: pd.DataFrame, tiers: np.ndarray, policy: Policy, year: int | None = None) -> np.ndarray:
    """Total yearly VIP service cost [CNY] of many tier lists of one book (附件七, 第26条 2).

    Row ``s`` of the result is ``estimate(tier_table with tier = tiers[s], policy, year).total``
    to the last bit; the catalogue, the service months (第12–13条) and the services that apply
    (第18–19条) are resolved once for the book instead of once per list, and only the totals
    are formed — for the many lists of a sensitivity sweep.

    Parameters
    ----------
    tier_table : DataFrame
        The book with the columns :func:`vip_table` reads (its ``tier`` column is ignored).
    tiers : ndarray (S, m) of str
        Tier (gold/silver/regular) of each of the ``m`` customers under each of ``S`` settings.
    policy : Policy
        Supplies the service catalogue, service start and price index.
    year : int, optional
        Forecast year [year] (default: the price index's base year, 2003).

    Returns
    -------
    ndarray (S,) [CNY/yr]
    """
    year = policy.price_index.base_year if year is None else int(year)
    tiers = np.atleast_2d(np.asarray(tiers).astype(str))
    m = len(tier_table)
    if tiers.shape[1] != m:
        raise ValueError(f"tiers has {tiers.shape[1]} customers per list; the book has {m}")
    # each customer as Gold and as Silver, once; a list only picks between them
    as_tier = {t: vip_table(tier_table.assign(tier=t), policy) for t in VIP_TIERS}
    items = catalogue(policy)
    applies = {t: applicable(v["tier"], v["branch_class"], items) & (v["service_months"].to_numpy() > 0)[:, None]
               for t, v in as_tier.items()}
    any_vip = next(iter(as_tier.values()))
    _, branch = np.unique(any_vip["branch"].to_numpy().astype(str), return_inverse=True)
    first = any_vip["first_objects"].to_numpy(dtype=float)
    second = any_vip["second_objects"].to_numpy(dtype=float)
    unit_cost = items["unit_cost_base_cny"].to_numpy() * price_factor(policy, year)
    out = np.empty(len(tiers))
    for s, row in enumerate(tiers):
        gold, vip = row == "gold", np.isin(row, VIP_TIERS)
        months = np.where(gold, as_tier["gold"]["service_months"], as_tier["silver"]["service_months"])[vip]
        applies_s = np.where(gold[:, None], applies["gold"], applies["silver"])[vip]
        qty = _quantities(items, applies_s, branch[vip], first[vip], second[vip], months)
        # summed as BudgetEstimate.total sums its cost table: the same additions in the same order
        out[s] = float(pd.DataFrame(qty * unit_cost[None, :]).to_numpy().sum())
    return out


__all__ = ["BudgetEstimate", "VIP_COLUMNS", "as_vips", "estimate", "list_totals", "service_months",
           "vip_table"]
