"""A plain, row-by-row implementation written straight from the articles.

It serves twice: as the oracle the tests hold the vectorised code against, and as the naive
baseline of the benchmarks (``DataFrame.apply(axis=1)``). It shares nothing with
:mod:`tiermodel.scoring` and :mod:`tiermodel.tiers` but the :class:`Policy`.
"""
from __future__ import annotations

import pandas as pd

from .notes import Note
from .policy import BandTable, Policy


def _band(value: float, table: BandTable) -> float:
    """附表 lookup by walking the bands: lower edges inclusive."""
    coef = table.coefficients[0]
    for edge, next_coef in zip(table.breaks, table.coefficients[1:]):
        if value >= edge:
            coef = next_coef
    return coef


def _by_year(year: int, factors) -> float:
    if year <= 1:
        return factors.year_1
    if year == 2:
        return factors.year_2
    if year == 3:
        return factors.year_3
    return factors.year_4_plus


def value_index_row(row, policy: Policy) -> float:
    """第10条 for one customer (a mapping with the portfolio's columns)."""
    f = policy.standard_premium
    supplied = row.get("standard_premium")
    if supplied is not None and supplied == supplied:  # not NaN
        std = supplied
    else:
        std = (row["long_term_std_premium"] * f.long_term_factor + row["health_premium"] * f.health_factor
               + row["non_health_premium"] * f.non_health_factor)
    t, vi = policy.conversion_tables, policy.value_index
    w = vi.weights
    years = int(row["effective_years"])
    value = (_band(std, t.premium) * w.premium
             + _band(years, t.loyalty) * w.loyalty * _by_year(years, vi.k1)
             + _band(row["profit_margin"], t.profit) * w.profit * _by_year(years, vi.k2))
    return round(value, 10)


def meets(row, c) -> bool:
    """第11条: any one of the three criteria, bounds inclusive."""
    return (row["long_term_std_premium"] >= c.long_term_std_premium_min
            or (row["health_premium"] >= c.health_premium_min
                and row["health_loss_ratio"] <= c.health_loss_ratio_max)
            or (row["non_health_premium"] >= c.non_health_premium_min
                and row["non_health_loss_ratio"] <= c.non_health_loss_ratio_max))


def score_naive(portfolio: pd.DataFrame, policy: Policy) -> pd.Series:
    """Value index of every customer by ``apply(axis=1)``."""
    return portfolio.apply(value_index_row, axis=1, policy=policy)


def _standard_premium(r, policy: Policy) -> float:
    """第10条 standard premium of one customer: supplied, or long-term + health + non-health × factors."""
    f = policy.standard_premium
    supplied = r.get("standard_premium")
    if supplied is not None and supplied == supplied:  # not NaN
        return supplied
    return (r["long_term_std_premium"] * f.long_term_factor + r["health_premium"] * f.health_factor
            + r["non_health_premium"] * f.non_health_factor)


def _tie_key(r):
    """The tie rule: value index ↓, standard premium ↓, customer id ↑ as text."""
    return (-r["_value"], -r["_std"], str(r["customer_id"]))


def _gold_pools(rows: list, policy: Policy, is_gold) -> tuple[dict, dict]:
    """The two 第13条 pools (new True, existing False) of Gold-eligible rows, in tie-rule order,
    and the places of each (unfilled new places passed on where the policy says so)."""
    gs = policy.gold_selection
    pools = {is_new: sorted((r for r in rows if is_gold(r) and bool(r["is_new"]) == is_new), key=_tie_key)
             for is_new in (True, False)}
    places = {True: gs.new_places, False: gs.existing_places}
    if gs.unfilled_new_places_go_to_existing:
        places[False] += max(0, gs.new_places - len(pools[True]))
    return pools, places


def _silver_candidates(rows: list, is_silver) -> dict[str, list]:
    """Per branch, the Silver-eligible rows not made Gold, in tie-rule order."""
    by_branch: dict[str, list] = {}
    for r in rows:
        if r["_tier"] != "gold" and is_silver(r):
            by_branch.setdefault(r["branch"], []).append(r)
    return {branch: sorted(cands, key=_tie_key) for branch, cands in by_branch.items()}


def tiers_naive(portfolio: pd.DataFrame, policy: Policy, capacity: dict[str, int]) -> pd.Series:
    """Tier of every customer (gold/silver/regular) by sorting Python lists (第11–13条)."""
    rows = portfolio.to_dict("records")
    for r in rows:
        r["_std"] = _standard_premium(r, policy)
        r["_value"] = value_index_row(r, policy)
        r["_tier"] = "regular"
    pools, places = _gold_pools(rows, policy, lambda r: meets(r, policy.eligibility.gold))
    for is_new, pool in pools.items():
        for r in pool[: places[is_new]]:
            r["_tier"] = "gold"
    silver = _silver_candidates(rows, lambda r: meets(r, policy.silver_criteria(str(r["branch_class"]))))
    for branch, cands in silver.items():
        for r in cands[: capacity[branch]]:
            r["_tier"] = "silver"
    return pd.Series([r["_tier"] for r in rows], index=portfolio.index, name="tier")


CRITERION_NAMES = ("long-term premium", "health premium", "non-health premium")


def criteria_names(row, c) -> list[str]:
    """第11条 criteria one customer meets, in article order (long-term, health, non-health)."""
    met = [row["long_term_std_premium"] >= c.long_term_std_premium_min,
           row["health_premium"] >= c.health_premium_min and row["health_loss_ratio"] <= c.health_loss_ratio_max,
           row["non_health_premium"] >= c.non_health_premium_min
           and row["non_health_loss_ratio"] <= c.non_health_loss_ratio_max]
    return [name for name, ok in zip(CRITERION_NAMES, met) if ok]


def _reason(r, policy: Policy) -> Note:
    """Why :func:`tiermodel.tiers.assign_tiers` gives one customer its tier, as the note it
    writes (template ``tiers.reason.*``), from the customer's own parts."""
    gs = policy.gold_selection
    pool, n = ("new", gs.new_places) if r["is_new"] else ("existing", gs.existing_places)
    gold_by = sum(bit for bit, name in zip((1, 2, 4), CRITERION_NAMES) if name in r["_gold_by"])
    silver_by = sum(bit for bit, name in zip((1, 2, 4), CRITERION_NAMES) if name in r["_silver_by"])
    outside = Note("tiers.reason.outside", {"criteria": gold_by, "places": n, "pool": pool}) if gold_by else ""
    if r["_tier"] == "gold":
        return Note("tiers.reason.gold", {"places": n, "pool": pool, "criteria": gold_by})
    if r["_tier"] == "silver":
        return Note("tiers.reason.silver", {"criteria": silver_by, "outside": outside})
    if silver_by:
        return Note("tiers.reason.regular_beyond", {"criteria": silver_by, "outside": outside})
    return Note("tiers.reason.regular_none", {})


def tiering_naive(portfolio: pd.DataFrame, policy: Policy, capacity: dict[str, int]) -> pd.DataFrame:
    """Tier, rank and reason of every customer by sorting Python lists (第11–13条).

    Columns ``value_index``, ``tier``, ``tier_rank`` (Gold: rank in its pool; Silver: rank among
    the branch's Silver candidates; Regular: none, <NA> in a nullable integer column) and ``reason``, the sentence
    :func:`tiermodel.tiers.assign_tiers` writes, composed here from its parts.
    """
    rows = portfolio.to_dict("records")
    for r in rows:
        r["_std"] = _standard_premium(r, policy)
        r["_value"] = value_index_row(r, policy)
        r["_gold_by"] = criteria_names(r, policy.eligibility.gold)
        r["_silver_by"] = criteria_names(r, policy.silver_criteria(str(r["branch_class"])))
        r["_tier"], r["_rank"] = "regular", None
    pools, places = _gold_pools(rows, policy, lambda r: bool(r["_gold_by"]))
    for is_new, pool in pools.items():
        for rank, r in enumerate(pool[: places[is_new]], start=1):
            r["_tier"], r["_rank"] = "gold", rank
    for branch, cands in _silver_candidates(rows, lambda r: bool(r["_silver_by"])).items():
        for rank, r in enumerate(cands[: capacity[branch]], start=1):
            r["_tier"], r["_rank"] = "silver", rank
    return pd.DataFrame({"value_index": [r["_value"] for r in rows], "tier": [r["_tier"] for r in rows],
                         "tier_rank": pd.array([r["_rank"] for r in rows], dtype="Int32"), "reason": [_reason(r, policy) for r in rows]},
                        index=portfolio.index)
