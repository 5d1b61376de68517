"""The service catalogue of 第18–19条 resolved to numbers, and the price index.

``service_catalogue`` of the parameters lists every VIP service with its tiers, cost basis,
frequency, unit cost, payer and provenance; :func:`catalogue` turns it into one row per
service, :func:`price_factor` carries base-year (2003) unit costs to the forecast year.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..policy import Policy, resolve_number
from ..vocabulary import PAYER_LABELS, PAYER_TERMS

#: Who pays a service (第26条), in the order of the cost arrays: head office, branch.
PAYERS = tuple(PAYER_TERMS)
#: Cost bases of a catalogue entry (what one unit of ``per_year`` is counted on).
BASES = ("first_object", "second_object", "service_object", "customer", "event", "branch", "company")
BASIS_LABELS = {"first_object": "第一服务对象 first key person", "second_object": "第二服务对象 second key person",
                "service_object": "服务对象 key person", "customer": "客户 customer",
                "event": "事件 event", "branch": "机构 branch", "company": "全系统 whole list"}
#: Headers of the 附件七 table (English column → bilingual header) for reports and Excel.
ANNEX7_HEADERS = {
    "label": "服务项目 service", "article": "条款 article", "basis": "计费单位 basis",
    "unit_cost_cny": "单价 unit cost (CNY)", "quantity": "数量 quantity",
    "gold_cny": "金牌 Gold (CNY)", "silver_cny": "银牌 Silver (CNY)", "total_cny": "合计 total (CNY)",
    "payer": "承担方 payer", "status": "来源 sourced/assumed", "provenance": "依据 provenance",
}


def catalogue(policy: Policy) -> pd.DataFrame:
    """The service catalogue resolved to numbers, one row per service (第18–19条, 附件七).

    Parameters
    ----------
    policy : Policy
        Supplies ``service_catalogue`` and the values its entries name (e.g.
        ``unit_costs.festival_gift_cny``).

    Returns
    -------
    DataFrame
        Indexed by service name, with ``label``, ``article``, ``tiers`` (tuple), ``basis``,
        ``per_year`` [count/yr], ``unit_cost_base_cny`` [CNY, base-year prices], ``take_up``
        [share, 0–1], ``variation``, ``prorate``, ``payer``, ``branch_classes`` (tuple),
        ``status`` (sourced / assumed / scenario:NAME, or "sourced numbers, assumed terms"
        where frequency and unit cost are the text's and payer, basis and proration ours) and
        ``provenance`` (article or reason; where a number is taken from another policy value,
        that value's provenance).
    """
    rows = []
    for name, item in policy.service_catalogue.items():
        prov = policy.provenance.get(f"service_catalogue.{name}")
        status = prov.kind if prov else "set in code"
        notes = [prov.describe()] if prov else []
        sourced_numbers = []
        for field_name in ("per_year", "unit_cost_cny"):
            ref = getattr(item, field_name)
            if isinstance(ref, str):
                ref_prov = policy.provenance.get(ref)
                if ref_prov is not None:
                    notes.append(f"{field_name} = {ref} ({ref_prov.describe()})")
                    sourced_numbers.append(ref_prov.kind == "sourced")
        if status == "assumed" and len(sourced_numbers) == 2 and all(sourced_numbers):
            # split provenance: numbers from the text, payer/basis/proration ours
            status = "sourced numbers, assumed terms"
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


def catalogue_sheet(policy: Policy) -> pd.DataFrame:
    """:func:`catalogue` with its tuples written out ("gold+silver", "A, B, C, D") for a workbook.

    Parameters
    ----------
    policy : Policy
        Supplies ``service_catalogue`` (第18–19条).

    Returns
    -------
    DataFrame
        As :func:`catalogue`; ``tiers`` and ``branch_classes`` as text.
    """
    return catalogue(policy).assign(tiers=lambda d: d["tiers"].map("+".join),
                                    branch_classes=lambda d: d["branch_classes"].map(", ".join))


def catalogue_sources(policy: Policy) -> pd.DataFrame:
    """Where each number of the 附件七 catalogue comes from, one row per service (第18–19条).

    Parameters
    ----------
    policy : Policy
        Supplies ``service_catalogue`` and its provenance.

    Returns
    -------
    DataFrame
        ``parameter`` (the entry's path, ``service_catalogue.<service>``: a page shows it by
        its reader's name, the workbook keeps the path), ``article`` (the article the service
        rests on), ``status`` (as :func:`catalogue`: sourced, assumed, "sourced numbers, assumed
        terms" or scenario:NAME) and ``numbers`` (the articles of the text that give its
        frequency or unit cost, where the entry takes them from a sourced value; "" where both
        are assumed). The reason of every assumption is in the register (:func:`tiermodel.policy.describe`).
    """
    items = catalogue(policy)
    numbers = []
    for name, item in policy.service_catalogue.items():
        refs = [getattr(item, f) for f in ("per_year", "unit_cost_cny")]
        provs = [policy.provenance.get(r) for r in refs if isinstance(r, str)]
        numbers.append(" ".join(dict.fromkeys(p.source for p in provs if p is not None and p.kind == "sourced"
                                              and p.source)))
    return pd.DataFrame({"parameter": [f"service_catalogue.{n}" for n in items.index],
                         "article": items["article"].str.strip().to_numpy(), "status": items["status"].to_numpy(),
                         "numbers": numbers})


def price_factor(policy: Policy, year: int) -> float:
    """Price level of ``year`` relative to the base year [-] (unit costs of 附件七, 第26条).

    Parameters
    ----------
    policy : Policy
        Supplies ``price_index.base_year`` [year] and ``price_index.annual_rate`` [1/yr].
    year : int
        Forecast year [year].

    Returns
    -------
    float
        ``(1 + annual_rate) ** (year - base_year)`` [-].
    """
    pi = policy.price_index
    return float((1.0 + pi.annual_rate) ** (int(year) - pi.base_year))


def applicable(tiers, branch_classes, items: pd.DataFrame) -> np.ndarray:
    """Which services apply to which rows (第18–19条: a service names its tiers and classes).

    Parameters
    ----------
    tiers, branch_classes : array-like of str
        Tier (gold/silver) and branch class (A–D) of each row.
    items : DataFrame
        :func:`catalogue`.

    Returns
    -------
    ndarray of bool
        (rows × services): the service applies to the row's tier and branch class.
    """
    tiers = np.asarray(tiers).astype(str)
    classes = np.asarray(branch_classes).astype(str)
    tier_ok = np.stack([np.isin(tiers, t) for t in items["tiers"]], axis=1)
    class_ok = np.stack([np.isin(classes, c) for c in items["branch_classes"]], axis=1)
    return tier_ok & class_ok


__all__ = ["ANNEX7_HEADERS", "BASES", "BASIS_LABELS", "PAYERS", "PAYER_LABELS", "applicable",
           "catalogue", "catalogue_sheet", "catalogue_sources", "price_factor"]


def delivery_prices(policy: Policy, year: int) -> tuple[dict[str, float], dict[str, float]]:
    """What the delivery logs of ``year`` are costed and drawn with: each 附件七 service's unit
    cost at that year's prices [元] (:func:`price_factor`) and its take-up [-], by service key."""
    services = catalogue(policy)
    costs = (services["unit_cost_base_cny"] * price_factor(policy, year)).to_dict()
    return costs, services["take_up"].to_dict()
