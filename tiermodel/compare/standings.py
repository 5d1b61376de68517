"""Where each customer stands in one tier list: the uniform frame the comparisons work on.

A *standing* is built from a tiered table (``Tiering.table``) or one year of history
(:mod:`tiermodel.history`): tier code, ranks, Gold pool, value index split into its three
parts of 第10条 (premium × w, loyalty × w × K1, profit × w × K2), the 第11条 criteria bits and
the figures they rest on. What a minimal history file does not hold is NaN (numbers) or -1
(criteria bits): the reasons then say less, never something false.

Beside it a :class:`Places` holds the list's places and cut lines: the 30 + 10 Gold places of
第13条 and each branch's Silver capacity.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..policy import Policy
from ..tiers import eligibility_bits
from ..vocabulary import GOLD, REGULAR, SILVER, TIERS

FIGURES = ["long_term_std_premium", "health_premium", "health_loss_ratio", "non_health_premium",
           "non_health_loss_ratio"]
#: Tier code of a customer absent from a list (not in that year's book).
ABSENT = 3
STATES = list(TIERS) + ["none"]


def _codes(tier) -> np.ndarray:
    if isinstance(getattr(tier, "dtype", None), pd.CategoricalDtype) and list(tier.cat.categories) == list(TIERS):
        return tier.cat.codes.to_numpy().astype(np.int8)
    return pd.Categorical(np.asarray(tier, dtype=object).astype(str), categories=list(TIERS)).codes.astype(np.int8)


def _col(table: pd.DataFrame, name: str, dtype=float, fill=np.nan) -> np.ndarray:
    if name in table:
        return table[name].to_numpy(dtype=dtype)
    return np.full(len(table), fill, dtype=dtype)


def _bits(table: pd.DataFrame, side: str) -> np.ndarray | None:
    crit = f"{side}_criteria"
    if crit in table and isinstance(table[crit].dtype, pd.CategoricalDtype):
        return table[crit].cat.codes.to_numpy().astype(np.int16)
    if f"{side}_bits" in table:
        return table[f"{side}_bits"].to_numpy(dtype=np.int16)
    return None


def _categorical(values, n) -> pd.Categorical:
    if values is None:
        return pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), [""])
    if isinstance(getattr(values, "dtype", None), pd.CategoricalDtype):
        return values.array if isinstance(values, pd.Series) else values
    codes, uniques = pd.factorize(values, sort=True)
    return pd.Categorical.from_codes(codes, pd.Index(uniques).astype(str))


class Standing(dict):
    """Column name → array (numpy, or categorical for branch and class), one row per customer.

    A dict of arrays rather than a DataFrame: building a million-row frame copies every
    column into blocks, and nothing here needs a frame. :meth:`frame` gives one to look at.
    """

    def __len__(self) -> int:  # customers, not columns
        return len(self["tier"])

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(dict(self))


def standing(tier_table: pd.DataFrame, policy: Policy, like: "Standing | None" = None) -> Standing:
    """The uniform per-customer frame of one tier list.

    Parameters
    ----------
    tier_table : DataFrame
        ``Tiering.table`` or one year of a history table.
    policy : Policy
        The policy the list was made under: its weights split the value index into parts and
        its 第11条 thresholds give the criteria where the table does not carry them.

    Returns
    -------
    Standing
        ``customer_id``, ``branch`` and ``branch_class`` (categorical), ``tier`` (code 0 Gold,
        1 Silver, 2 Regular), ``tier_rank``, ``gold_rank``, ``branch_rank``, ``is_new``,
        ``value_index`` [-], ``premium_part``, ``loyalty_part``, ``profit_part`` [-],
        ``effective_years`` [years], ``k1`` [-], ``gold_bits``, ``silver_bits`` (-1 unknown)
        and the 第11条 figures [CNY/yr, share]. Text columns are kept as they are (no
        conversion of a million ids). ``like``: the standing of another list of the same
        book (the same id array), whose branch categoricals are reused.
    """
    n = len(tier_table)
    w = policy.value_index.weights
    ids = tier_table["customer_id"].array
    out = {
        "customer_id": ids,
        **_branches(tier_table, like if like is not None and like["customer_id"] is ids else None),
        "tier": _codes(tier_table["tier"]),
        "tier_rank": np.nan_to_num(_col(tier_table, "tier_rank", float, 0)).astype(np.int64),
        "gold_rank": np.nan_to_num(_col(tier_table, "gold_rank", float, 0)).astype(np.int64),
        "branch_rank": np.nan_to_num(_col(tier_table, "branch_rank", float, 0)).astype(np.int64),
        "is_new": tier_table["is_new"].to_numpy(dtype=bool) if "is_new" in tier_table else np.zeros(n, dtype=bool),
        "value_index": _col(tier_table, "value_index"),
        "premium_part": _col(tier_table, "premium_coef") * w.premium,
        "loyalty_part": _col(tier_table, "loyalty_coef") * w.loyalty * _col(tier_table, "k1"),
        "profit_part": _col(tier_table, "profit_coef") * w.profit * _col(tier_table, "k2"),
        "effective_years": _col(tier_table, "effective_years"),
        "k1": _col(tier_table, "k1"),
    }
    for name in FIGURES:
        out[name] = _col(tier_table, name)
    out["gold_bits"], out["silver_bits"] = _criteria_bits(tier_table, policy)
    return Standing(out)


def _branches(table: pd.DataFrame, like: "Standing | None") -> dict:
    """``branch`` and ``branch_class`` as categoricals; those of ``like`` (same book) reused."""
    if like is not None:
        return {"branch": like["branch"], "branch_class": like["branch_class"]}
    n = len(table)
    return {name: _categorical(table[name] if name in table else None, n) for name in ("branch", "branch_class")}


def _criteria_bits(table: pd.DataFrame, policy: Policy) -> tuple[np.ndarray, np.ndarray]:
    """第11条 Gold and Silver criteria bits: the table's own, else worked out from its figures,
    else -1 (unknown)."""
    gold, silver = _bits(table, "gold"), _bits(table, "silver")
    if (gold is None or silver is None) and all(c in table for c in FIGURES) and "branch_class" in table \
            and not table[FIGURES].isna().any().any():
        gold, silver = (b.astype(np.int16) for b in eligibility_bits(table, policy))
    unknown = np.full(len(table), -1, dtype=np.int16)
    return (gold if gold is not None else unknown, silver if silver is not None else unknown.copy())


@dataclass
class Places:
    """The places of one list and the value index of the last customer in each.

    ``gold_places`` is (existing, new) — 30 and 10 in 第13条; ``gold_cut`` the lowest value
    index in each Gold pool (−inf where the pool is not full: anyone eligible got in);
    ``capacity`` the Silver places per branch; ``silver_cut`` the lowest Silver value index
    per branch (−inf where the branch has room).
    """

    gold_places: tuple[int, int]
    gold_cut: tuple[float, float]
    capacity: pd.Series
    silver_cut: pd.Series


def places(st: Standing, policy: Policy, capacity: pd.Series | None = None) -> Places:
    """The :class:`Places` of a standing under ``policy`` (capacity default: Silver held per branch)."""
    gs = policy.gold_selection
    tier = st["tier"]
    gold = tier == GOLD
    new = st["is_new"]
    vi = st["value_index"]
    n_places = (gs.existing_places, gs.new_places)
    cuts = []
    for pool_new, k in zip((False, True), n_places):
        in_pool = gold & (new == pool_new)
        cuts.append(float(vi[in_pool].min()) if in_pool.sum() >= k and in_pool.any() else -np.inf)
    silver = np.flatnonzero(tier == SILVER)
    branch = st["branch"]
    names = pd.Index(branch.categories)
    codes = branch.codes[silver]
    held = pd.Series(np.bincount(codes, minlength=len(names)), index=names)
    low = np.full(len(names), np.inf)
    np.fmin.at(low, codes, vi[silver])  # NaN (a history without value index) ignored
    low = pd.Series(low, index=names)
    if capacity is None:
        capacity = held.astype(np.int64)
    cap = capacity.reindex(names).fillna(0)
    full = held >= cap
    silver_cut = low.where(full & np.isfinite(low), -np.inf)
    return Places(n_places, tuple(cuts), capacity, silver_cut)


__all__ = ["ABSENT", "FIGURES", "GOLD", "Places", "Standing", "REGULAR", "SILVER", "STATES", "places", "standing"]
