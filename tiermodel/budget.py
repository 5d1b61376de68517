"""VIP service budget: the 附件七 yearly cost table and a Monte Carlo forecast (第26–27条).

第26条 2 and 第27条 2 ask head office and each branch for a yearly service budget; 附件七
("VIP 客户年度服务投入测算表") was its form and is lost. This module rebuilds it from the
service catalogue of the parameters (``service_catalogue``: every service of 第18–19条 with
its tiers, cost basis, frequency, unit cost, payer and provenance) and the tier list.

Pieces, all pure (no printing, reading or writing):

* :func:`catalogue` — the catalogue resolved to numbers, one row per service, with where each
  number comes from (sourced article or assumption).
* :func:`vip_table` — the VIPs of a tier list with their service months (第12条: service
  starts the month after approval; new customers' Gold places, 第13条, are filled during the
  year, ``budget_assumptions.new_gold_approval_month``) and key persons (第16条).
* :func:`estimate` → :class:`BudgetEstimate` — the deterministic yearly cost per customer
  and service, by tier, branch and payer, and :meth:`BudgetEstimate.annex7`, the 附件七 table.
* :func:`simulate` → :class:`Forecast` — a seeded Monte Carlo of the budget year: VIP count
  (churn and new business), key persons (1–2 of each kind), hospitalisations,
  celebrations, participation in events and tours, unit-cost inflation. Quantiles by tier,
  branch and payer.
* :func:`forecast_path` — the same simulation chained over several years (fan chart).
* :func:`revisit_load` / :func:`revisit_load_by_branch` — revisits the tiers need (第18条 2③)
  against the executives' quotas (第23–25条).

Cost bases (``basis``): ``first_object`` / ``second_object`` count the key persons of
第16条 of each kind, ``service_object`` both kinds, ``customer`` and ``event`` the VIP
customer (``event``: ``per_year`` events a customer a year), ``branch`` each branch with at
least one VIP the service applies to; a branch cost is shared between its Gold and Silver
customers by head count.

Amounts are CNY at the forecast year's prices unless a name says ``base`` (base-year,
2003, prices).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import InputTableError, ParameterError, Problem, TiermodelError
from .policy import Policy, resolve_number

VIP_TIERS = ("gold", "silver")
PAYERS = ("head_office", "branch")
PAYER_LABELS = {"head_office": "总公司 head office", "branch": "分公司 branch"}
BASES = ("first_object", "second_object", "service_object", "customer", "event", "branch")
BASIS_LABELS = {"first_object": "第一服务对象 first key person", "second_object": "第二服务对象 second key person",
                "service_object": "服务对象 key person", "customer": "客户 customer",
                "event": "事件 event", "branch": "机构 branch"}
#: Headers of the 附件七 table (English column → bilingual header) for reports and Excel.
ANNEX7_HEADERS = {
    "label": "服务项目 service", "article": "条款 article", "basis": "计费单位 basis",
    "unit_cost_cny": "单价 unit cost (CNY)", "quantity": "数量 quantity",
    "gold_cny": "金牌 Gold (CNY)", "silver_cny": "银牌 Silver (CNY)", "total_cny": "合计 total (CNY)",
    "payer": "承担方 payer", "status": "来源 sourced/assumed", "provenance": "依据 provenance",
}
VIP_COLUMNS = ("customer_id", "branch", "branch_class", "is_new", "tier", "first_service_objects",
               "second_service_objects")
QUANTILES = (0.50, 0.90, 0.95)
CHUNK_SIMS = 20_000  # simulated years per chunk: bounds memory, fixes the random streams


# ----------------------------------------------------------------------------- catalogue
def catalogue(policy: Policy) -> pd.DataFrame:
    """The service catalogue resolved to numbers, one row per service (第18–19条).

    Returns
    -------
    DataFrame indexed by service name with ``label``, ``article``, ``tiers`` (tuple),
    ``basis``, ``per_year`` [count/yr], ``unit_cost_base_cny`` [CNY, base-year prices],
    ``take_up`` [share], ``variation``, ``prorate``, ``payer``, ``branch_classes`` (tuple),
    ``status`` (sourced / assumed / scenario:NAME) and ``provenance`` (article or reason;
    where a number is taken from another policy value, that value's provenance).
    """
    rows = []
    for name, item in policy.service_catalogue.items():
        prov = policy.provenance.get(f"service_catalogue.{name}")
        status = prov.kind if prov else "set in code"
        notes = [prov.describe()] if prov else []
        for field_name in ("per_year", "unit_cost_cny"):
            ref = getattr(item, field_name)
            if isinstance(ref, str):
                ref_prov = policy.provenance.get(ref)
                if ref_prov is not None:
                    notes.append(f"{field_name} = {ref} ({ref_prov.describe()})")
        rows.append({
            "item": name, "label": item.label, "article": item.article, "tiers": tuple(item.tiers),
            "basis": item.basis,
            "per_year": resolve_number(policy, item.per_year, f"service_catalogue.{name}.per_year"),
            "unit_cost_base_cny": resolve_number(policy, item.unit_cost_cny,
                                                 f"service_catalogue.{name}.unit_cost_cny"),
            "take_up": item.take_up, "variation": item.variation, "prorate": item.prorate,
            "payer": item.payer, "branch_classes": tuple(item.branch_classes),
            "status": status, "provenance": "; ".join(notes),
        })
    return pd.DataFrame(rows).set_index("item")


def price_factor(policy: Policy, year: int) -> float:
    """Price level of ``year`` relative to the base year: ``(1 + annual_rate) ** (year - base_year)`` [-]."""
    pi = policy.price_index
    return float((1.0 + pi.annual_rate) ** (int(year) - pi.base_year))


# ----------------------------------------------------------------------------- the VIPs
def service_months(is_new_gold, policy: Policy) -> np.ndarray:
    """Months of service in the year [months, 0–12] (第12条, 第13条).

    Service starts ``service_start.months_after_approval`` months after approval. The list
    is approved in ``service_start.approval_month``; new customers' Gold places are filled
    during the year, on average in ``budget_assumptions.new_gold_approval_month``.
    """
    ss = policy.service_start
    approval = np.where(np.asarray(is_new_gold, dtype=bool),
                        policy.budget_assumptions.new_gold_approval_month, ss.approval_month)
    first_month = approval + ss.months_after_approval
    return np.clip(13 - first_month, 0, 12).astype(np.int64)


def vip_table(tier_table: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """The Gold and Silver customers of a tier list, with what the budget counts.

    Parameters
    ----------
    tier_table : DataFrame
        ``Tiering.table`` (or any table with ``customer_id``, ``branch``, ``branch_class``,
        ``is_new``, ``tier``, ``first_service_objects``, ``second_service_objects``).

    Returns
    -------
    DataFrame with ``customer_id``, ``branch``, ``branch_class``, ``tier`` (gold/silver),
    ``is_new``, ``service_months`` [months], ``first_objects``, ``second_objects`` [persons].
    """
    missing = [c for c in VIP_COLUMNS if c not in tier_table]
    if missing:
        raise InputTableError("<tier list>", [Problem(None, None, c, "column needed by the budget is missing")
                                              for c in missing])
    tier = tier_table["tier"].astype(str)
    v = tier_table.loc[tier.isin(VIP_TIERS).to_numpy()]
    tiers = v["tier"].astype(str).to_numpy()
    is_new = v["is_new"].to_numpy(dtype=bool)
    return pd.DataFrame({
        "customer_id": v["customer_id"].astype(str).to_numpy(),
        "branch": v["branch"].astype(str).to_numpy(),
        "branch_class": v["branch_class"].astype(str).to_numpy(),
        "tier": tiers,
        "is_new": is_new,
        "service_months": service_months(is_new & (tiers == "gold"), policy),
        "first_objects": v["first_service_objects"].to_numpy(dtype=np.int64),
        "second_objects": v["second_service_objects"].to_numpy(dtype=np.int64),
    })


def _applies(tiers, branch_classes, items: pd.DataFrame) -> np.ndarray:
    """Boolean (rows × services): the service applies to the row's tier and branch class."""
    tiers = np.asarray(tiers).astype(str)
    classes = np.asarray(branch_classes).astype(str)
    tier_ok = np.stack([np.isin(tiers, t) for t in items["tiers"]], axis=1)
    class_ok = np.stack([np.isin(classes, c) for c in items["branch_classes"]], axis=1)
    return tier_ok & class_ok


# ----------------------------------------------------------------------------- deterministic
@dataclass
class BudgetEstimate:
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
        """Cost [CNY] by payer (rows head office, branch, total) and tier (columns)."""
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


def estimate(tier_table: pd.DataFrame, policy: Policy, year: int | None = None) -> BudgetEstimate:
    """Deterministic yearly cost of the VIP services for a tier list (附件七, 第26条 2).

    Each VIP receives each service that applies to its tier (and branch class)
    ``per_year × take_up`` times per basis unit, scaled by ``service_months / 12`` where the
    service is pro-rated; a branch service costs ``per_year × unit cost`` per branch with
    such VIPs, shared by head count. Unit costs are carried from the base year by
    :func:`price_factor`.

    Parameters
    ----------
    tier_table : DataFrame
        ``Tiering.table`` of the Foundation (or :func:`vip_table`'s output).
    policy : Policy
    year : int, optional
        Forecast year (default: the price index's base year, 2003).
    """
    year = policy.price_index.base_year if year is None else int(year)
    vips = tier_table if "service_months" in tier_table else vip_table(tier_table, policy)
    items = catalogue(policy)
    applies = _applies(vips["tier"], vips["branch_class"], items) & (vips["service_months"].to_numpy() > 0)[:, None]
    first = vips["first_objects"].to_numpy(dtype=float)
    second = vips["second_objects"].to_numpy(dtype=float)
    ones = np.ones(len(vips))
    # branch services: each applicable customer carries 1 / (applicable customers of its branch)
    per_branch = pd.DataFrame(applies.astype(float)).groupby(vips["branch"].to_numpy()).transform("sum").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        branch_share = np.where(applies, 1.0 / per_branch, 0.0)
    units_by_basis = {"first_object": first, "second_object": second, "service_object": first + second,
                      "customer": ones, "event": ones}
    units = np.stack([units_by_basis[b] if b != "branch" else branch_share[:, j]
                      for j, b in enumerate(items["basis"])], axis=1) if len(items) else np.zeros((len(vips), 0))
    month_share = vips["service_months"].to_numpy() / 12.0
    time_share = np.where(items["prorate"].to_numpy()[None, :], month_share[:, None], 1.0)
    qty = units * (items["per_year"] * items["take_up"]).to_numpy()[None, :] * time_share * applies
    factor = price_factor(policy, year)
    cost = qty * (items["unit_cost_base_cny"].to_numpy() * factor)[None, :]
    index = pd.Index(vips["customer_id"].to_numpy(), name="customer_id")
    return BudgetEstimate(vips.reset_index(drop=True),
                          items, pd.DataFrame(qty, index=index, columns=items.index),
                          pd.DataFrame(cost, index=index, columns=items.index), year, factor)


# ----------------------------------------------------------------------------- Monte Carlo
@dataclass
class _CostModel:
    """Per-group cost coefficients at base-year prices, built once per simulation."""

    groups: pd.DataFrame  # tier, branch, branch_class, service_months, n, first, second
    fixed: np.ndarray  # (payer, 3, G): cost per customer, first person, second person
    random_items: list  # (kind, basis, take_up, cols, per_unit (cols,), rate (cols,), unit, payer)
    branch_items: list  # (payer, member (G, B) applicable, alloc (B, G), cost per branch)


def _groups(vips: pd.DataFrame) -> pd.DataFrame:
    keys = ["tier", "branch", "branch_class", "service_months"]
    g = vips.groupby(keys, sort=True).agg(n=("customer_id", "size"), first=("first_objects", "sum"),
                                           second=("second_objects", "sum")).reset_index()
    return g


def _cost_model(vips: pd.DataFrame, policy: Policy) -> _CostModel:
    items = catalogue(policy)
    g = _groups(vips)
    n_groups = len(g)
    applies = _applies(g["tier"], g["branch_class"], items) & (g["service_months"].to_numpy() > 0)[:, None]
    time_share = np.where(items["prorate"].to_numpy()[None, :], g["service_months"].to_numpy()[:, None] / 12.0, 1.0)
    per_unit = (items["per_year"].to_numpy()[None, :] * time_share * applies
                * items["unit_cost_base_cny"].to_numpy()[None, :])  # (G, items) per basis unit, before take-up
    fixed = np.zeros((len(PAYERS), 3, n_groups))
    random_items, branch_items = [], []
    branch_codes, branch_names = pd.factorize(g["branch"], sort=True)
    for j, (name, it) in enumerate(items.iterrows()):  # over services (~25), not customers
        p = PAYERS.index(it["payer"])
        if it["basis"] == "branch":
            member = np.zeros((n_groups, len(branch_names)))
            member[np.arange(n_groups), branch_codes] = applies[:, j]
            heads = g["n"].to_numpy() * applies[:, j]
            per_branch_heads = heads @ member
            with np.errstate(divide="ignore", invalid="ignore"):
                alloc = np.where(member.T > 0, heads[None, :] / per_branch_heads[:, None], 0.0)
            cost = it["per_year"] * it["take_up"] * it["unit_cost_base_cny"]
            branch_items.append((p, member, alloc, cost))
        elif it["variation"] == "none":
            coef = per_unit[:, j] * it["take_up"]
            if it["basis"] in ("customer", "event"):
                fixed[p, 0] += coef
            if it["basis"] in ("first_object", "service_object"):
                fixed[p, 1] += coef
            if it["basis"] in ("second_object", "service_object"):
                fixed[p, 2] += coef
        else:
            cols = np.flatnonzero(applies[:, j])
            if len(cols):
                rate = items["per_year"].iloc[j] * time_share[cols, j] * it["take_up"]
                random_items.append((it["variation"], it["basis"], it["take_up"], cols,
                                     per_unit[cols, j], rate, it["unit_cost_base_cny"], p))
    return _CostModel(g, fixed, random_items, branch_items)


def _count_rates(policy: Policy, tiers: np.ndarray, scenario: str | None) -> tuple[np.ndarray, np.ndarray]:
    ba = policy.budget_assumptions
    name = scenario or ba.vip_count_scenario
    if name not in ba.vip_count_scenarios:
        raise ParameterError("<budget>", "budget_assumptions.vip_count_scenarios",
                             f"no VIP-count scenario '{name}'; known: {', '.join(sorted(ba.vip_count_scenarios))}")
    sc = ba.vip_count_scenarios[name]
    gold = tiers == "gold"
    return np.where(gold, sc.gold_churn, sc.silver_churn), np.where(gold, sc.gold_new, sc.silver_new)


def _gold_places(groups: pd.DataFrame, policy: Policy) -> tuple[np.ndarray, int]:
    """Which groups are Gold, and the Gold places of 第13条 (30 existing + 10 new)."""
    gs = policy.gold_selection
    return groups["tier"].to_numpy() == "gold", gs.existing_places + gs.new_places


def _cap_gold(n_next: np.ndarray, gold: np.ndarray, places: int) -> np.ndarray:
    """Hold each simulated year's Gold count within its places (第13条: 30–40 a year).

    Where the Gold groups of a simulated year hold more than ``places`` customers, they are
    scaled down to exactly ``places`` by largest remainders, so no group is favoured by its
    position. ``n_next`` is (simulations, groups); ``gold`` marks the Gold groups.
    """
    counts = n_next[:, gold]
    total = counts.sum(axis=1, keepdims=True)
    over = total[:, 0] > places
    if not over.any():
        return n_next
    scaled = counts[over] * (places / total[over])
    kept = np.floor(scaled).astype(n_next.dtype)
    short = places - kept.sum(axis=1, keepdims=True)
    order = np.argsort(-(scaled - kept), axis=1, kind="stable")
    bonus = np.zeros_like(kept)
    np.put_along_axis(bonus, order, (np.arange(kept.shape[1])[None, :] < short).astype(kept.dtype), axis=1)
    out = np.array(n_next)
    rows = np.flatnonzero(over)
    out[np.ix_(rows, np.flatnonzero(gold))] = kept + bonus
    return out


def _draw_people(rng, n_now, first_now, second_now, churn, new, share_first, share_second,
                 gold=None, gold_places=None):
    """The year's customers and key persons per group (第16条: 1–2 of each kind).

    Customers lost ~ Binomial(n, churn), new business ~ Poisson(n × new); the Gold groups
    together never exceed ``gold_places`` (:func:`_cap_gold`). The customers that stay keep
    their key persons; each customer gained or lost has two key persons of a kind with the
    group's observed share, else one. Key persons stay between one and two a customer.
    """
    change = rng.poisson(n_now * new)
    change -= rng.binomial(n_now, churn)
    n_next = n_now + change
    if gold is not None and gold.any():
        n_next = _cap_gold(n_next, gold, gold_places)
        change = n_next - n_now
    size = np.abs(change)
    sign = np.sign(change)
    twice = 2 * n_next
    people = []
    for now, share in ((first_now, share_first), (second_now, share_second)):
        persons = rng.binomial(size, share)
        persons *= sign
        persons += change
        persons += now
        people.append(np.clip(persons, n_next, twice, out=persons))
    return n_next, people[0], people[1]


def _two_person_shares(groups: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Share of a group's customers with two key persons of the first and second kind."""
    n = groups["n"].to_numpy(dtype=float)
    return (np.clip(groups["first"].to_numpy() / n - 1.0, 0.0, 1.0),
            np.clip(groups["second"].to_numpy() / n - 1.0, 0.0, 1.0))


def _year_cost(rng, model: _CostModel, n, first, second, out=None) -> np.ndarray:
    """Cost (payers × sims × groups) at base-year prices for given people counts."""
    n_sims, n_groups = n.shape
    if out is None:
        out = np.empty((len(PAYERS), n_sims, n_groups))
    for p in range(len(PAYERS)):
        f = model.fixed[p]
        np.multiply(n, f[0], out=out[p])
        out[p] += first * f[1]
        out[p] += second * f[2]
    units = {"customer": n, "event": n, "first_object": first, "second_object": second}
    for kind, basis, take_up, cols, per_unit, rate, unit_cost, p in model.random_items:
        x = first[:, cols] + second[:, cols] if basis == "service_object" else units[basis][:, cols]
        if kind == "participation":
            out[p][:, cols] += rng.binomial(x, take_up) * per_unit
        else:  # poisson: events among the units
            out[p][:, cols] += rng.poisson(x * rate) * unit_cost
    for p, member, alloc, cost in model.branch_items:
        active = (n @ member) > 0  # (sims, branches) branch still has such VIPs
        out[p] += (active * cost) @ alloc
    return out


def _price_draws(rng, policy: Policy, year: int, n_sims: int) -> np.ndarray:
    """Price level per simulated year [-]: mean :func:`price_factor`, log-normal spread
    ``annual_rate_sd × sqrt(years from base)``."""
    years = abs(int(year) - policy.price_index.base_year)
    sd = policy.price_index.annual_rate_sd * np.sqrt(years)
    z = rng.standard_normal(n_sims)
    return price_factor(policy, year) * np.exp(sd * z - 0.5 * sd * sd)


@dataclass
class Forecast:
    """Simulated yearly costs (result of :func:`simulate`).

    ``cost`` is (payers × simulations × groups) [CNY, forecast-year prices]; ``groups`` says
    each group's tier, branch, class and service months; ``vip_count`` is (simulations ×
    groups) customers.
    """

    groups: pd.DataFrame
    cost: np.ndarray
    vip_count: np.ndarray
    year: int
    seed: int
    scenario: str
    notes: list[str] = field(default_factory=list)

    @property
    def n_sims(self) -> int:
        return self.cost.shape[1]

    def totals(self, by: str = "total") -> pd.DataFrame:
        """Simulated totals [CNY], one column per ``tier``, ``branch``, ``payer`` or ``total``."""
        if by == "total":
            return pd.DataFrame({"total": self.cost.sum(axis=(0, 2))})
        if by == "payer":
            return pd.DataFrame(self.cost.sum(axis=2).T, columns=list(PAYERS))
        if by not in ("tier", "branch"):
            raise ValueError(f"by must be 'total', 'tier', 'branch' or 'payer', not {by!r}")
        per_group = self.cost.sum(axis=0)
        codes, names = pd.factorize(self.groups[by], sort=True)
        member = np.zeros((len(self.groups), len(names)))
        member[np.arange(len(self.groups)), codes] = 1.0
        return pd.DataFrame(per_group @ member, columns=list(names))

    def quantiles(self, by: str = "total", q=QUANTILES) -> pd.DataFrame:
        """Mean and quantiles (P50, P90, P95) of the totals [CNY] by ``by``."""
        t = self.totals(by)
        out = pd.DataFrame({"mean": t.mean()})
        for level, values in zip(q, np.quantile(t.to_numpy(), q, axis=0)):
            out[f"P{round(level * 100)}"] = values
        out.index.name = by
        return out

    def summary(self) -> pd.DataFrame:
        """Mean, P50, P90, P95 [CNY] of the total, each tier and each payer."""
        parts = [self.quantiles("total"), self.quantiles("tier"), self.quantiles("payer")]
        out = pd.concat(parts)
        out.index.name = "total / tier / payer"
        return out

    def vip_count_quantiles(self, q=(0.05, 0.5, 0.95)) -> pd.DataFrame:
        """Simulated VIP customers by tier: mean and quantiles."""
        rows = {}
        for tier in VIP_TIERS:
            counts = self.vip_count[:, (self.groups["tier"] == tier).to_numpy()].sum(axis=1)
            rows[tier] = [counts.mean(), *np.quantile(counts, q)]
        return pd.DataFrame.from_dict(rows, orient="index",
                                      columns=["mean"] + [f"P{round(x * 100)}" for x in q])


def _chunks(n_sims: int, seed: int):
    """(size, generator) per chunk; the streams depend only on the seed and the chunk number."""
    n_chunks = -(-n_sims // CHUNK_SIMS)
    children = np.random.SeedSequence(seed).spawn(n_chunks)
    for i, child in enumerate(children):
        yield min(CHUNK_SIMS, n_sims - i * CHUNK_SIMS), np.random.Generator(np.random.SFC64(child))


def simulate(tier_table: pd.DataFrame, policy: Policy, year: int | None = None,
             n_sims: int = 100_000, seed: int = 2003, scenario: str | None = None,
             progress: bool = False) -> Forecast:
    """Monte Carlo of the budget year: ``n_sims`` simulated years, seeded.

    Per group of VIPs (tier × branch × service months) and simulated year: customers lost
    ~ Binomial(n, churn), new business ~ Poisson(n × new) (``budget_assumptions.vip_count_scenarios``);
    customers that stay keep their key persons, each customer gained or lost has 1 or 2 of
    each kind (第16条; two at the group's observed share); services with
    ``variation: participation`` taken up ~ Binomial(units, take_up); ``poisson`` services
    (hospitalisations, celebrations) ~ Poisson(units × per_year × months/12); branch
    services paid while a branch keeps VIPs; the price level log-normal around
    :func:`price_factor`. Under a scenario where churn equals new business the mean equals
    :func:`estimate` (branch services aside, which stop when a branch loses all its VIPs).

    Parameters
    ----------
    tier_table : DataFrame
        ``Tiering.table`` (or :func:`vip_table`'s output).
    year : int, optional
        Forecast year (default: the price index's base year).
    n_sims : int
        Simulated years (≥ 1).
    seed : int
        Seed; the same seed and inputs give the same numbers.
    scenario : str, optional
        VIP-count scenario name (default ``budget_assumptions.vip_count_scenario``).
    progress : bool
        Show a progress bar over chunks of 20,000 simulated years.
    """
    if int(n_sims) < 1:
        raise ValueError(f"n_sims must be at least 1, not {n_sims}")
    year = policy.price_index.base_year if year is None else int(year)
    vips = tier_table if "service_months" in tier_table else vip_table(tier_table, policy)
    model = _cost_model(vips, policy)
    g = model.groups
    name = scenario or policy.budget_assumptions.vip_count_scenario
    churn, new = _count_rates(policy, g["tier"].to_numpy(), name)
    gold, places = _gold_places(g, policy)
    n0, f0, s0 = (g[c].to_numpy() for c in ("n", "first", "second"))
    share_first, share_second = _two_person_shares(g)
    n_sims = int(n_sims)
    cost = np.empty((len(PAYERS), n_sims, len(g)))
    counts = np.empty((n_sims, len(g)), dtype=np.int32)
    chunks = _chunks(n_sims, seed)
    if progress:
        from tqdm.auto import tqdm
        chunks = tqdm(chunks, total=-(-n_sims // CHUNK_SIMS), desc=f"simulating {n_sims:,} years",
                      unit="chunk")
    start = 0
    for size, rng in chunks:
        rows = slice(start, start + size)
        n_now = np.broadcast_to(n0, (size, len(g)))
        n, first, second = _draw_people(rng, n_now, f0, s0, churn, new, share_first, share_second,
                                        gold, places)
        _year_cost(rng, model, n, first, second, out=cost[:, rows])
        cost[:, rows] *= _price_draws(rng, policy, year, size)[None, :, None]
        counts[rows] = n
        start += size
    notes = [f"{n_sims:,} simulated years, seed {seed}, VIP-count scenario '{name}', {year} prices."]
    return Forecast(g, cost, counts, year, seed, name, notes)


def forecast_path(tier_table: pd.DataFrame, policy: Policy, first_year: int, n_years: int = 5,
                  n_sims: int = 10_000, seed: int = 2003, scenario: str | None = None,
                  q=(0.05, 0.25, 0.5, 0.75, 0.95)) -> pd.DataFrame:
    """Total yearly cost over ``n_years`` from ``first_year``, for a fan chart [CNY].

    The simulation of :func:`simulate` chained year to year: each year's VIPs start from
    the last year's simulated counts; prices grow by ``annual_rate`` with spread
    ``annual_rate_sd`` a year. Returns one row per year: mean and quantiles ``q``.
    """
    vips = tier_table if "service_months" in tier_table else vip_table(tier_table, policy)
    model = _cost_model(vips, policy)
    g = model.groups
    churn, new = _count_rates(policy, g["tier"].to_numpy(), scenario)
    gold, places = _gold_places(g, policy)
    n0 = g["n"].to_numpy()
    share_first, share_second = _two_person_shares(g)
    rate, sd = policy.price_index.annual_rate, policy.price_index.annual_rate_sd
    rng = np.random.Generator(np.random.SFC64(np.random.SeedSequence([seed, 1])))
    n_now = np.broadcast_to(n0, (n_sims, len(g)))
    first, second = (np.broadcast_to(g[c].to_numpy(), (n_sims, len(g))) for c in ("first", "second"))
    prices = _price_draws(rng, policy, first_year, n_sims)
    rows = []
    for k in range(n_years):  # over years, each vectorised over simulations and groups
        if k:
            prices = prices * (1 + rate) * np.exp(sd * rng.standard_normal(n_sims) - 0.5 * sd * sd)
        n_now, first, second = _draw_people(rng, n_now, first, second, churn, new, share_first,
                                            share_second, gold, places)
        total = _year_cost(rng, model, n_now, first, second).sum(axis=(0, 2)) * prices
        rows.append([first_year + k, total.mean(), *np.quantile(total, q)])
    return pd.DataFrame(rows, columns=["year", "mean"] + [f"P{round(x * 100)}" for x in q]).set_index("year")


# ----------------------------------------------------------------------------- revisits
def revisit_load(tier_table: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Revisits the VIP tiers need in a year against the executives' quotas (第18条 2③, 第23–25条).

    Rows gold and silver. Columns: ``customers``; ``revisits_needed`` (customers × the
    minimum a year: Gold 3, Silver 2); the revisits executives must join, lowest and highest
    quota: ``gm_office_min/max`` (members × 10–15 Gold, 第23条; members in
    ``executive_quotas.gm_office_members``), ``department_heads_min/max`` (6 heads × 2–3
    Gold, 3–5 Silver, 第24条), ``branch_heads_min`` (every local Gold customer, and 20 Silver
    a branch, 第25条); ``executive_min/max`` their sum; ``executive_share_min/max`` of the
    revisits needed [share]; ``branch_silver_short`` Silver revisits the 第25条 quota asks
    for beyond the branches' Silver customers (a branch with 12 Silver cannot visit 20).
    Each executive revisit is counted once per customer; quotas larger than the tier are
    capped at its size per person.
    """
    tiers = tier_table["tier"].astype(str)
    vip = tier_table.loc[tiers.isin(VIP_TIERS).to_numpy()]
    n = vip["tier"].astype(str).value_counts().reindex(list(VIP_TIERS), fill_value=0)
    rv, eq = policy.revisits, policy.executive_quotas
    members = policy.executive_quotas.gm_office_members
    per_branch = (vip.assign(tier=vip["tier"].astype(str)).groupby(["branch", "tier"]).size()
                  .unstack(fill_value=0).reindex(columns=list(VIP_TIERS), fill_value=0))
    silver_quota = np.minimum(eq.branch_head_silver_min, per_branch["silver"]).sum()
    silver_short = int((eq.branch_head_silver_min - per_branch["silver"]).clip(lower=0)
                       .where(per_branch["silver"] > 0, 0).sum())
    gold_branch = int(n["gold"]) if eq.branch_head_visits_all_local_gold else 0
    rows = {
        "gold": dict(customers=int(n["gold"]), revisits_needed=int(n["gold"]) * rv.gold_min_per_year,
                     gm_office_min=members * min(eq.gm_office_gold_min, n["gold"]),
                     gm_office_max=members * min(eq.gm_office_gold_max, n["gold"]),
                     department_heads_min=eq.department_heads * min(eq.department_head_gold_min, n["gold"]),
                     department_heads_max=eq.department_heads * min(eq.department_head_gold_max, n["gold"]),
                     branch_heads_min=gold_branch, branch_silver_short=0),
        "silver": dict(customers=int(n["silver"]), revisits_needed=int(n["silver"]) * rv.silver_min_per_year,
                       gm_office_min=0, gm_office_max=0,
                       department_heads_min=eq.department_heads * min(eq.department_head_silver_min, n["silver"]),
                       department_heads_max=eq.department_heads * min(eq.department_head_silver_max, n["silver"]),
                       branch_heads_min=int(silver_quota), branch_silver_short=silver_short),
    }
    out = pd.DataFrame.from_dict(rows, orient="index").astype(int)
    out["executive_min"] = out["gm_office_min"] + out["department_heads_min"] + out["branch_heads_min"]
    out["executive_max"] = out["gm_office_max"] + out["department_heads_max"] + out["branch_heads_min"]
    needed = out["revisits_needed"].where(out["revisits_needed"] > 0)
    out["executive_share_min"] = out["executive_min"] / needed
    out["executive_share_max"] = out["executive_max"] / needed
    out.index.name = "tier"
    return out


def revisit_load_by_branch(tier_table: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Per branch: VIPs, revisits needed (第18条 2③) and the branch head's quota (第25条).

    Columns ``gold``, ``silver`` [customers], ``revisits_needed``, ``branch_head_quota``
    (all local Gold + 20 Silver), ``branch_head_possible`` (Silver capped at the branch's
    Silver customers), ``branch_head_share`` of the revisits needed [share].
    """
    tiers = tier_table["tier"].astype(str)
    vip = tier_table.loc[tiers.isin(VIP_TIERS).to_numpy()]
    rv, eq = policy.revisits, policy.executive_quotas
    out = (vip.assign(tier=vip["tier"].astype(str)).groupby(["branch", "tier"]).size()
           .unstack(fill_value=0).reindex(columns=list(VIP_TIERS), fill_value=0))
    out["revisits_needed"] = out["gold"] * rv.gold_min_per_year + out["silver"] * rv.silver_min_per_year
    local_gold = out["gold"] if eq.branch_head_visits_all_local_gold else 0
    out["branch_head_quota"] = local_gold + eq.branch_head_silver_min
    out["branch_head_possible"] = local_gold + np.minimum(eq.branch_head_silver_min, out["silver"])
    out["branch_head_share"] = out["branch_head_possible"] / out["revisits_needed"].where(out["revisits_needed"] > 0)
    out.columns.name = None
    return out




# ----------------------------------------------------------------------------- tables, workbook
def budget_tables(tier_table: pd.DataFrame, policy: Policy, year: int | None = None,
                  n_sims: int = 100_000, seed: int = 2003, scenario: str | None = None,
                  progress: bool = False) -> dict[str, pd.DataFrame]:
    """Every table of the budget, by sheet name: 附件七, the estimate by tier, payer and
    branch, the Monte Carlo quantiles, the revisit load, the catalogue and its provenance."""
    est = estimate(tier_table, policy, year)
    fc = simulate(est.vips, policy, est.year, n_sims, seed, scenario, progress)
    annex = est.annex7().rename(columns=ANNEX7_HEADERS)
    cat = catalogue(policy).assign(tiers=lambda d: d["tiers"].map("+".join),
                                   branch_classes=lambda d: d["branch_classes"].map("".join))
    return {
        "附件七 annex 7": annex,
        "by tier": est.by_tier(),
        "by payer": est.by_payer(),
        "by branch": est.by_branch(),
        "forecast summary": fc.summary(),
        "forecast by branch": fc.quantiles("branch"),
        "forecast VIP count": fc.vip_count_quantiles(),
        "revisit load": revisit_load(tier_table, policy),
        "revisit load by branch": revisit_load_by_branch(tier_table, policy),
        "catalogue": cat,
        "notes": pd.DataFrame({"note": [f"{est.year} prices: factor {est.price_factor:.4f} on "
                                        f"{policy.price_index.base_year} unit costs.", *fc.notes]}),
    }


# ----------------------------------------------------------------------------- figure
def plot_forecast(est: BudgetEstimate, fc: Forecast, path: pd.DataFrame | None = None):
    """Figure for the report: simulated total (histogram with P50/P90/P95 and the
    deterministic estimate), cost by tier and payer, and the fan chart of ``path``
    (:func:`forecast_path`). Call :func:`tiermodel.plotting.use_cjk_font` first. Returns the figure.
    """
    import matplotlib.pyplot as plt

    from .plots.style import TIER_COLORS, TIER_LABELS

    n_panels = 3 if path is not None else 2
    fig, axes = plt.subplots(1, n_panels, figsize=(5.2 * n_panels, 4.2))
    total = fc.totals("total")["total"].to_numpy() / 1e6
    ax = axes[0]
    ax.hist(total, bins=80, color="#4C72B0", alpha=0.8)
    for level, style in zip(QUANTILES, (":", "--", "-.")):
        value = np.quantile(total, level)
        ax.axvline(value, color="k", ls=style, lw=1, label=f"P{round(level * 100)} {value:.2f}")
    ax.axvline(est.total / 1e6, color="#C44E52", lw=1.5, label=f"确定性估计 estimate {est.total / 1e6:.2f}")
    ax.set(title=f"{fc.year} 年度服务投入 yearly cost, {fc.n_sims:,} 次模拟",
           xlabel="百万元 million CNY", ylabel="模拟年数 simulated years")
    ax.legend(fontsize=8)
    ax = axes[1]
    payer = est.by_payer()
    bottom = np.zeros(2)
    for row, hatch in zip(PAYERS, ("", "//")):
        values = payer.loc[row, list(VIP_TIERS)].to_numpy() / 1e6
        ax.bar([TIER_LABELS[t] for t in VIP_TIERS], values, bottom=bottom, hatch=hatch,
               color=[TIER_COLORS[t] for t in VIP_TIERS], edgecolor="k", label=PAYER_LABELS[row])
        bottom += values
    ax.set(title="按层级与承担方 by tier and payer", ylabel="百万元 million CNY")
    ax.legend(fontsize=8)
    if path is not None:
        ax = axes[2]
        years = path.index.to_numpy()
        ax.fill_between(years, path["P5"] / 1e6, path["P95"] / 1e6, color="#4C72B0", alpha=0.25, label="P5–P95")
        ax.fill_between(years, path["P25"] / 1e6, path["P75"] / 1e6, color="#4C72B0", alpha=0.45, label="P25–P75")
        ax.plot(years, path["P50"] / 1e6, color="k", lw=1.5, label="P50")
        ax.set(title="扇形图 fan chart", xlabel="年 year", ylabel="百万元 million CNY")
        ax.set_xticks(years)
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig



def compare_count_scenarios(tier_table: pd.DataFrame, policy: Policy, year: int | None = None,
                            n_sims: int = 20_000, seed: int = 2003) -> pd.DataFrame:
    """Mean and P50 / P90 / P95 of the total [CNY] and mean VIPs under each VIP-count
    scenario of ``budget_assumptions.vip_count_scenarios``, one row each."""
    rows = {}
    for name in policy.budget_assumptions.vip_count_scenarios:
        fc = simulate(tier_table, policy, year, n_sims, seed, name)
        row = fc.quantiles("total").loc["total"].to_dict()
        counts = fc.vip_count_quantiles()["mean"]
        row.update(gold_mean=counts["gold"], silver_mean=counts["silver"])
        rows[name] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "vip_count_scenario"
    return out


__all__ = ["ANNEX7_HEADERS", "BudgetEstimate", "Forecast", "budget_tables", "catalogue", "estimate",
           "compare_count_scenarios", "forecast_path", "plot_forecast", "price_factor", "revisit_load", "revisit_load_by_branch",
           "service_months", "simulate", "vip_table"]
