"""Batched re-tiering: the Gold and Silver lists of 第12–13条 under many settings of the 第10条
weights and K1/K2 at once.

A **setting** is one choice of the three weights and the eight K factors (a point of a sweep;
a *scenario* is a parameter file, something else). Eligibility (第11条) does not depend on
weights or K, so only the eligible pool is re-ranked (:class:`CandidatePool`, built once),
and the settings are batched (:func:`sweep`): the value index of every candidate under every
setting of a chunk is an ``(S, m)`` array from :func:`tiermodel.scoring.combine` — the one
value-index kernel, which :func:`tiermodel.scoring.score` also calls — packed with the tie rule
into one integer key per customer; the lists come from ``np.partition`` thresholds (Gold per
pool, Silver per branch). Python loops run only over chunks of settings (which bound memory)
and over branches, never over settings or customers.

**Exactness.** The index is rounded to the same ``VALUE_INDEX_DECIMALS``; the integer key
orders by value index ↓, standard premium ↓, customer id ↑ — the tie rule of
:func:`tiermodel.tiers.order_key`; the Gold places come from :func:`tiermodel.tiers.gold_places`.
A setting re-run through ``assign_tiers(score(df, policy.with_values(...)))`` gives the same
tiers.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ParameterError, TiermodelError
from ..policy import Policy
from ..scoring import VALUE_INDEX_DECIMALS, combine, score
from ..tiers import branch_capacity, candidate_id_rank, eligibility_bits, gold_places
from ..vocabulary import GOLD, REGULAR, SILVER, TIERS

WEIGHT_NAMES = ("premium", "loyalty", "profit")
YEAR_KEYS = ("year_1", "year_2", "year_3", "year_4_plus")
SOURCE = "<sensitivity>"
_SCALE = 10.0 ** VALUE_INDEX_DECIMALS
_MEMORY_BUDGET_BYTES = 64 * 2 ** 20  # per chunk of settings
_METRICS_BUDGET_BYTES = 32 * 2 ** 20  # per chunk of list comparisons (a few booleans per cell)


# ----------------------------------------------------------------------------- settings
@dataclass(frozen=True)
class Settings:
    """``S`` settings of the 第10条 parameters.

    Attributes
    ----------
    weights : ndarray (S, 3)
        Weights of premium, loyalty and profit coefficients [share, 0–1], each row summing to 1.
    k1, k2 : ndarray (S, 4)
        K1 and K2 for effective years 1, 2, 3 and 4+ [-], all > 0.
    """

    weights: np.ndarray
    k1: np.ndarray
    k2: np.ndarray

    def __len__(self) -> int:
        return len(self.weights)

    def changes(self, i: int) -> dict[str, float]:
        """Dotted-path values of setting ``i`` for :meth:`Policy.with_values`."""
        out = {f"value_index.weights.{w}": float(self.weights[i, j]) for j, w in enumerate(WEIGHT_NAMES)}
        out.update({f"value_index.k1.{y}": float(self.k1[i, j]) for j, y in enumerate(YEAR_KEYS)})
        out.update({f"value_index.k2.{y}": float(self.k2[i, j]) for j, y in enumerate(YEAR_KEYS)})
        return out

    def policy(self, base: Policy, i: int) -> Policy:
        """The validated policy of setting ``i`` (``base`` with its 第10条 values replaced)."""
        return base.with_values(self.changes(i), note=f"sensitivity setting {i}")

    def subset(self, rows) -> "Settings":
        """The settings at ``rows`` (a slice, indices or a mask)."""
        return Settings(self.weights[rows], self.k1[rows], self.k2[rows])

    def to_frame(self) -> pd.DataFrame:
        """One row per setting: ``w_premium`` … [share], ``k1_year_1`` … ``k2_year_4_plus`` [-]."""
        cols = {f"w_{w}": self.weights[:, j] for j, w in enumerate(WEIGHT_NAMES)}
        cols.update({f"k1_{y}": self.k1[:, j] for j, y in enumerate(YEAR_KEYS)})
        cols.update({f"k2_{y}": self.k2[:, j] for j, y in enumerate(YEAR_KEYS)})
        return pd.DataFrame(cols)


def make_settings(weights, k1, k2, source: str = SOURCE) -> Settings:
    """Validated :class:`Settings` from arrays (rows broadcast against each other).

    Parameters
    ----------
    weights : array_like (S, 3) or (3,)
        Premium, loyalty, profit weights [share, 0–1]; each row ≥ 0 and summing to 1 (第10条).
    k1, k2 : array_like (S, 4) or (4,)
        K factors for effective years 1, 2, 3, 4+ [-]; each > 0 (第10条).
    source : str
        Named in error messages as the file of the parameter.

    Raises
    ------
    ParameterError
        Naming the parameter and the setting's row when a weight is negative or the weights do
        not sum to 1, or a K factor is not a positive finite number.
    """
    w = np.atleast_2d(np.asarray(weights, dtype=float))
    a = np.atleast_2d(np.asarray(k1, dtype=float))
    b = np.atleast_2d(np.asarray(k2, dtype=float))
    for arr, name, width in ((w, "weights", 3), (a, "k1", 4), (b, "k2", 4)):
        if arr.ndim != 2 or arr.shape[1] != width:
            raise ParameterError(source, f"value_index.{name}",
                                 f"expected {width} values per setting, got shape {arr.shape}")
    n = max(len(w), len(a), len(b))
    try:
        w, a, b = (np.broadcast_to(x, (n, x.shape[1])).copy() for x in (w, a, b))
    except ValueError:
        raise ParameterError(source, "value_index", f"setting counts differ: {len(w)} weight rows, "
                             f"{len(a)} K1 rows, {len(b)} K2 rows") from None
    if n == 0:
        raise ParameterError(source, "value_index", "no settings: the range is empty")
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise ParameterError(source, f"value_index.weights.{WEIGHT_NAMES[j]}",
                             f"setting {i}: weight {w[i, j]!r} is not allowed; weights must be "
                             f"finite and ≥ 0 (第10条)")
    total = w.sum(axis=1)
    off = np.flatnonzero(np.abs(total - 1.0) > 1e-9)
    if len(off):
        raise ParameterError(source, "value_index.weights",
                             f"setting {off[0]}: weights sum to {total[off[0]]:.6g}, not 1 (第10条 30/30/40)")
    for arr, name in ((a, "k1"), (b, "k2")):
        bad = ~np.isfinite(arr) | (arr <= 0)
        if bad.any():
            i, j = np.argwhere(bad)[0]
            raise ParameterError(source, f"value_index.{name}.{YEAR_KEYS[j]}",
                                 f"setting {i}: {name.upper()} = {arr[i, j]!r}; a K factor must be > 0 (第10条)")
    return Settings(w, a, b)


def policy_setting(policy: Policy) -> Settings:
    """The policy's own 第10条 weights and K1/K2 as a single setting (the baseline).

    Parameters
    ----------
    policy : Policy
    """
    vi = policy.value_index
    return make_settings(vi.weights.as_array(), vi.k1.as_array(), vi.k2.as_array())


# ----------------------------------------------------------------------------- candidate pool
@dataclass(frozen=True)
class CandidatePool:
    """The customers eligible for Gold or Silver (第11条), prepared once for many settings.

    Candidates are held in tie-rule order (standard premium ↓, customer id ↑), so that a
    candidate's position breaks ties of the value index exactly as :func:`tiers.order_key`.

    Attributes
    ----------
    table : DataFrame
        One row per candidate: the portfolio's columns, ``standard_premium_used``, the three
        coefficients and ``gold_eligible`` / ``silver_eligible``.
    position : ndarray (m,)
        Row of each candidate in the portfolio.
    coefs : ndarray (m, 3)
        Premium, loyalty and profit coefficients [0–1] (附表1–3).
    year_index : ndarray (m,)
        0–3 for effective year 1, 2, 3, 4+ (the column of K1/K2 that applies).
    gold_eligible, silver_eligible, is_new : ndarray (m,) of bool
    branch_code : ndarray (m,)
        Branch as 0..B-1 (``branch_names`` in sorted order).
    capacity : ndarray (B,)
        Silver places per branch (第13条) [customers].
    new_places, existing_places : int
        Gold places of the new and the existing pool, after any pass-on of unfilled new
        places (:func:`tiermodel.tiers.gold_places`) [customers].
    n_customers : int
        Customers in the portfolio (the rest are Regular in every setting).
    """

    table: pd.DataFrame
    position: np.ndarray
    coefs: np.ndarray
    year_index: np.ndarray
    gold_eligible: np.ndarray
    silver_eligible: np.ndarray
    is_new: np.ndarray
    branch_code: np.ndarray
    branch_names: np.ndarray
    capacity: np.ndarray
    new_places: int
    existing_places: int
    n_customers: int

    def __len__(self) -> int:
        return len(self.position)


def candidate_pool(portfolio: pd.DataFrame, policy: Policy,
                   capacity: pd.Series | None = None) -> CandidatePool:
    """Prepare the eligible pool of a validated portfolio (第11条 eligibility, 第13条 places).

    Parameters
    ----------
    portfolio : DataFrame
        Validated customer table (:func:`tiermodel.portfolio.validate_portfolio`).
    policy : Policy
        Gives the conversion tables, thresholds and places; its weights and K only give the
        baseline, they are not fixed in the pool.
    capacity : Series, optional
        Silver places per branch [customers]; default :func:`tiermodel.tiers.branch_capacity`.
    """
    if capacity is None:
        capacity = branch_capacity(portfolio, policy)
    # 第11条 eligibility rests on the customer's own figures: only the candidates (a few per
    # cent of the book) are scored, each row as :func:`score` scores it in the whole book
    gold_bits, silver_bits = eligibility_bits(portfolio, policy)
    branch_codes, branch_names = pd.factorize(portfolio["branch"], sort=True)
    cap = capacity.reindex(branch_names)
    if cap.isna().any():
        raise TiermodelError(f"no Silver capacity for branch(es) {cap[cap.isna()].index.tolist()}")
    candidate = (gold_bits | silver_bits) != 0
    id_rank = candidate_id_rank(portfolio["customer_id"].to_numpy(), candidate)
    cand = np.flatnonzero(candidate)
    scored = score(portfolio.iloc[cand], policy)
    order = np.lexsort((id_rank[cand], -scored["standard_premium_used"].to_numpy()))  # tie rule after the value index
    idx = cand[order]
    years = scored["effective_years"].to_numpy()[order]
    coefs = scored[["premium_coef", "loyalty_coef", "profit_coef"]].to_numpy()[order]
    is_new = scored["is_new"].to_numpy(dtype=bool)[order]
    gold = gold_bits[idx] != 0
    gs = policy.gold_selection
    new_places, existing_places = gold_places(gs.existing_places, gs.new_places, int((gold & is_new).sum()),
                                              gs.unfilled_new_places_go_to_existing)
    table = scored.iloc[order].drop(columns=["value_index", "k1", "k2"]).reset_index(drop=True)
    table["gold_eligible"] = gold
    table["silver_eligible"] = silver_bits[idx] != 0
    return CandidatePool(
        table=table, position=idx, coefs=np.ascontiguousarray(coefs),
        year_index=(np.clip(years, 1, 4) - 1).astype(np.intp),
        gold_eligible=gold, silver_eligible=silver_bits[idx] != 0, is_new=is_new,
        branch_code=branch_codes[idx], branch_names=np.asarray(branch_names),
        capacity=cap.to_numpy(dtype=np.int64), new_places=new_places,
        existing_places=existing_places, n_customers=len(portfolio))


# ----------------------------------------------------------------------------- batched tiering
def value_indices(pool: CandidatePool, settings: Settings, coefs: np.ndarray | None = None) -> np.ndarray:
    """第10条 value index of every candidate under every setting, ``(S, m)`` [-].

    :func:`tiermodel.scoring.combine` — the kernel :func:`tiermodel.scoring.score` uses — with
    one row of weights and K per setting: bit for bit the Foundation's numbers.

    Parameters
    ----------
    pool : CandidatePool
    settings : Settings
        ``S`` settings, or one setting for all rows of ``coefs``.
    coefs : ndarray (S, m, 3), optional
        Premium, loyalty and profit coefficients [0–1] per row, under other 附表1–3 than the
        pool's (:mod:`.table_draws`); default the pool's own ``coefs``.
    """
    return combine(pool.coefs if coefs is None else coefs, settings.k1[:, pool.year_index],
                   settings.k2[:, pool.year_index], settings.weights)


def order_keys(pool: CandidatePool, value_index: np.ndarray) -> np.ndarray:
    """One int64 key per candidate and setting: larger key = earlier in the tie rule (第13条).

    ``key = round(value_index × 10^decimals) × 2^b + (m − 1 − position)``: the rounded value
    index as an exact integer, then the candidate's place in (standard premium ↓, id ↑) order.

    Parameters
    ----------
    pool : CandidatePool
    value_index : ndarray (S, m) [-]
    """
    m = len(pool)
    bits = max(1, int(m - 1).bit_length())
    kint = np.rint(value_index * _SCALE)
    top = float(kint.max()) if kint.size else 0.0
    if top >= 2.0 ** min(53, 62 - bits):  # exact as a float, and room for the position bits
        raise TiermodelError(f"value index up to {top / _SCALE:.4g} is too large to rank exactly "
                             f"with {m} candidates; narrow the K ranges")
    key = kint.astype(np.int64)
    key <<= bits
    key += (m - 1 - np.arange(m, dtype=np.int64))
    return key


def _top_k(keys: np.ndarray, k: int) -> np.ndarray:
    """Boolean mask of the ``k`` largest keys of each row (keys unique within a row; -1 = absent)."""
    g = keys.shape[1]
    if k <= 0 or g == 0:
        return np.zeros(keys.shape, dtype=bool)
    if k >= g:
        return keys >= 0
    kth = np.partition(keys, g - k, axis=1)[:, g - k]
    return (keys >= kth[:, None]) & (keys >= 0)


def tier_codes(pool: CandidatePool, keys: np.ndarray) -> np.ndarray:
    """Tier of every candidate under every setting from its order keys (第12–13条).

    Gold: the top ``new_places`` of the Gold-eligible new customers and the top
    ``existing_places`` of the Gold-eligible existing ones. Silver: per branch, the top
    ``capacity`` of the Silver-eligible customers not made Gold.

    Parameters
    ----------
    pool : CandidatePool
    keys : ndarray (S, m) of int64
        From :func:`order_keys`.

    Returns
    -------
    ndarray (S, m) of int8
        Tier codes of :mod:`tiermodel.vocabulary`: 0 Gold, 1 Silver, 2 Regular.
    """
    tier = np.full(keys.shape, REGULAR, dtype=np.int8)
    if keys.shape[1] == 0:  # nobody meets a 第11条 criterion
        return tier
    gold = np.zeros(keys.shape, dtype=bool)
    for pool_cols, places in ((pool.gold_eligible & pool.is_new, pool.new_places),
                              (pool.gold_eligible & ~pool.is_new, pool.existing_places)):
        cols = np.flatnonzero(pool_cols)
        gold[:, cols] = _top_k(keys[:, cols], places)
    silver_keys = np.where(gold | ~pool.silver_eligible, -1, keys)
    silver = np.zeros(keys.shape, dtype=bool)
    order = np.argsort(pool.branch_code, kind="stable")
    bounds = np.flatnonzero(np.r_[True, np.diff(pool.branch_code[order]) != 0, True])
    for start, stop in zip(bounds[:-1], bounds[1:]):  # one partition per branch, all settings
        cols = order[start:stop]
        silver[:, cols] = _top_k(silver_keys[:, cols], int(pool.capacity[pool.branch_code[cols[0]]]))
    tier[silver] = SILVER
    tier[gold] = GOLD
    return tier


def _chunk_size(m: int, memory_budget: int) -> int:
    return int(max(1, memory_budget // max(1, 48 * m)))  # ~6 float64/int64 arrays of (S, m)


@dataclass
class Sweep:
    """Tiers of the candidates under a batch of settings (see :func:`sweep`).

    ``tier`` is ``(S, m)`` int8 (0 Gold, 1 Silver, 2 Regular), or None where the sweep kept
    only its summaries (``keep_tiers=False``: ``counts`` and the list metrics, computed chunk
    by chunk); ``baseline`` the ``(m,)`` tiers under the policy's own values; ``keys`` the
    order keys when kept; ``counts`` the ``(3, m)`` settings in which each candidate is Gold,
    Silver, Regular, where computed.
    """

    pool: CandidatePool
    settings: Settings
    tier: np.ndarray | None
    baseline: np.ndarray
    baseline_keys: np.ndarray
    keys: np.ndarray | None = None
    counts: np.ndarray | None = None
    kept_metrics: pd.DataFrame | None = None

    def metrics(self) -> pd.DataFrame:
        """Per setting: Gold count, Gold Jaccard overlap with the baseline and Gold swaps
        (baseline Gold customers replaced), Silver count and its change, Silver Jaccard."""
        if self.kept_metrics is not None:
            return self.kept_metrics.copy()
        return list_metrics(self.tier, self.baseline)

    def tier_counts(self) -> np.ndarray:
        """``(3, m)`` [settings]: in how many settings each candidate is Gold, Silver, Regular."""
        if self.counts is None:
            self.counts = count_tiers(self.tier)
        return self.counts

    def baseline_counts(self) -> dict[str, int]:
        """Candidates per tier in the baseline lists [customers]."""
        return {name: int(np.count_nonzero(self.baseline == code)) for code, name in enumerate(TIERS)}

    def tiers_of_all(self, i: int) -> np.ndarray:
        """Tier names of every customer of the portfolio under setting ``i`` (non-candidates Regular)."""
        if self.tier is None:
            raise ValueError("this sweep kept its summaries only (keep_tiers=False); run it with keep_tiers=True")
        out = np.full(self.pool.n_customers, REGULAR, dtype=np.int8)
        out[self.pool.position] = self.tier[i]
        return np.asarray(TIERS, dtype=object)[out]


def sweep(pool: CandidatePool, settings: Settings, baseline: Settings, keep_keys: bool = False,
          memory_budget: int = _MEMORY_BUDGET_BYTES, keep_tiers: bool = True) -> Sweep:
    """Re-tier the candidate pool under every setting (第10条 → 第12–13条), in chunks that bound
    memory.

    Parameters
    ----------
    pool : CandidatePool
    settings : Settings
    baseline : Settings
        The one setting the lists are compared with, usually :func:`policy_setting`.
    keep_keys : bool
        Keep the ``(S, m)`` order keys (for Kendall tau); costs 8 bytes per cell.
    memory_budget : int [bytes]
        Working memory per chunk of settings.
    keep_tiers : bool
        Keep the ``(S, m)`` tiers (1 byte per cell: 9,216 Sobol settings × 28,000 candidates of a
        1,000,000-customer book are 260 MB). False keeps what the analyses read of them — the
        list metrics of each setting and each candidate's tier counts — summed chunk by chunk.
    """
    base_keys = order_keys(pool, value_indices(pool, baseline))
    base_tier = tier_codes(pool, base_keys)[0]
    n, m = len(settings), len(pool)
    tier = np.empty((n, m), dtype=np.int8) if keep_tiers else None
    keys = np.empty((n, m), dtype=np.int64) if keep_keys else None
    summary = None if keep_tiers else TierSummary(base_tier)
    step = _chunk_size(m, memory_budget)
    for start in range(0, n, step):
        part = settings.subset(slice(start, start + step))
        k = order_keys(pool, value_indices(pool, part))
        codes = tier_codes(pool, k)
        if keep_tiers:
            tier[start:start + len(part)] = codes
        else:
            summary.add(codes)
        if keep_keys:
            keys[start:start + len(part)] = k
    if keep_tiers:
        return Sweep(pool, settings, tier, base_tier, base_keys[0], keys)
    return Sweep(pool, settings, None, base_tier, base_keys[0], keys, summary.counts, summary.metrics())


def count_tiers(tier: np.ndarray, memory_budget: int = _METRICS_BUDGET_BYTES) -> np.ndarray:
    """``(3, m)`` [settings]: in how many rows of ``tier`` (S, m) each candidate is Gold,
    Silver, Regular (第12–13条), counted a chunk of rows at a time."""
    summary = TierSummary(np.full(np.shape(tier)[1], REGULAR, dtype=np.int8), metrics=False)
    for rows in _row_chunks(tier, memory_budget):
        summary.add(tier[rows])
    return summary.counts


def _row_chunks(tier: np.ndarray, memory_budget: int):
    s, m = np.shape(tier)
    step = int(max(1, memory_budget // max(1, 4 * m)))  # a few booleans per cell
    return [slice(start, start + step) for start in range(0, s, step)]


class TierSummary:
    """What the analyses read of the tiers of many settings, added a chunk of rows at a time:
    each candidate's tier counts (``counts``, ``(3, m)``) and each setting's list metrics
    against ``baseline`` (:func:`list_metrics`), without the ``(S, m)`` tiers."""

    def __init__(self, baseline: np.ndarray, counts: bool = True, metrics: bool = True):
        self.baseline = np.asarray(baseline)
        self.counts = np.zeros((len(TIERS), len(self.baseline)), dtype=np.int64) if counts else None
        self.parts = [] if metrics else None
        self.rows = 0  # settings added

    def add(self, tier: np.ndarray) -> None:
        """Add the tiers ``(s, m)`` of ``s`` more settings."""
        self.rows += len(tier)
        if self.counts is not None:
            for code in range(len(TIERS)):
                self.counts[code] += np.count_nonzero(tier == code, axis=0)
        if self.parts is not None:
            self.parts.append(_metric_columns(tier, self.baseline))

    def metrics(self) -> pd.DataFrame:
        """:func:`list_metrics` of every setting added, in the order added."""
        parts = self.parts or [_metric_columns(np.empty((0, len(self.baseline)), dtype=np.int8), self.baseline)]
        return pd.DataFrame({name: np.concatenate([p[name] for p in parts]) for name in METRIC_COLUMNS})


#: Columns of :func:`list_metrics`.
METRIC_COLUMNS = ["gold_count", "gold_jaccard", "gold_swaps", "silver_count", "silver_change", "silver_jaccard"]


def _metric_columns(tier: np.ndarray, baseline: np.ndarray) -> dict[str, np.ndarray]:
    out = {}
    for name, code in (("gold", GOLD), ("silver", SILVER)):
        now = tier == code
        base = baseline == code
        inter = (now & base).sum(axis=1)
        union = (now | base).sum(axis=1)
        count = now.sum(axis=1)
        out[f"{name}_count"] = count
        out[f"{name}_jaccard"] = np.where(union > 0, inter / np.maximum(union, 1), 1.0)
        if name == "gold":
            out["gold_swaps"] = int(base.sum()) - inter
        else:
            out["silver_change"] = count - int(base.sum())
    return out


def list_metrics(tier: np.ndarray, baseline: np.ndarray) -> pd.DataFrame:
    """Overlap of each setting's lists with the baseline lists (第12–13条).

    Parameters
    ----------
    tier : ndarray (S, m) of tier codes
    baseline : ndarray (m,) of tier codes

    Returns
    -------
    DataFrame with ``gold_count``, ``gold_jaccard`` [0–1] (|G ∩ G0| / |G ∪ G0|),
    ``gold_swaps`` (baseline Gold customers not Gold in the setting), ``silver_count``,
    ``silver_change`` (count − baseline count), ``silver_jaccard`` [0–1]. Computed a chunk of
    settings at a time (a few booleans per cell, never of all ``S × m`` cells at once).
    """
    tier = np.asarray(tier)
    summary = TierSummary(baseline, counts=False)
    for rows in _row_chunks(tier, _METRICS_BUDGET_BYTES):
        summary.add(tier[rows])
    return summary.metrics()


def kendall_tau(baseline_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Kendall tau [-1–1] between the baseline ranking of the candidates (第12–13条) and each
    setting's.

    The rankings are the full orders of the tie rule (value index ↓, standard premium ↓,
    id ↑), so there are no ties and tau-b = tau-a. One O(m log m) call per setting.

    Parameters
    ----------
    baseline_keys : ndarray (m,)
    keys : ndarray (S, m)
        Order keys (:func:`order_keys`).
    """
    from scipy.stats import kendalltau

    keys = np.atleast_2d(keys)
    if len(baseline_keys) < 2:  # 0 or 1 candidates: no order to compare (the result says so)
        return np.full(len(keys), np.nan)
    return np.array([kendalltau(baseline_keys, row).statistic for row in keys])
