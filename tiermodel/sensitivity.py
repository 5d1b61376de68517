"""How much the Gold and Silver lists depend on the 第10条 weights and the K1/K2 factors.

The value index of 第10条 is

    value_index = premium_coef × w_premium + loyalty_coef × w_loyalty × K1(year)
                + profit_coef × w_profit × K2(year)

with the weights 30 % / 30 % / 40 % (sourced), K1 = 3.5 / 2 / 1.5 in years 1–3 (sourced) and
1.0 from the fourth year (assumed), K2 = 1.0 (assumed; blank in the source). This module asks
what happens to the lists of 第12–13条 when those numbers move:

* :func:`one_at_a_time` — each weight (the other two rescaled so the sum stays 1) and each
  K1/K2 factor across a range; Gold overlap, Silver count, Kendall tau per step
  (:func:`tornado_table` condenses it into a tornado chart);
* :func:`simplex_map` — Gold overlap over the whole weight simplex (a ternary map);
* :func:`sobol_analysis` — Sobol indices of Gold overlap and Silver count with confidence
  intervals, over independent inputs (see :func:`scenarios_from_multipliers` for how the
  weights are kept on the simplex);
* :func:`membership_odds` / :func:`borderline` — for every candidate, the share of sampled
  scenarios in which it is Gold and in which it is Silver, and who is on the edge.

**Speed.** Eligibility (第11条) does not depend on weights or K, so only the eligible pool is
re-ranked (:class:`CandidatePool`, built once), and the scenarios are batched
(:func:`sweep`): the value index of every candidate under every scenario of a chunk is an
``(S, m)`` array, packed with the tie rule into one integer key per customer, and the lists
come from ``np.partition`` thresholds (Gold per pool, Silver per branch). Python loops run
only over chunks of scenarios (which bound memory) and over branches (one partition per
branch for every scenario of the chunk), never over scenarios or customers.

**Exactness.** The batched index is computed with the same floating-point operations in the
same order as :func:`tiermodel.scoring.combine` (not a matrix product, whose summation order
differs in the last bit) and rounded to the same ``VALUE_INDEX_DECIMALS``; the integer key
then orders by value index ↓, standard premium ↓, customer id ↑ — the tie rule of
:func:`tiermodel.tiers.order_key`. A scenario re-run through
``assign_tiers(score(df, policy.with_values(...)))`` gives the same tiers.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import ParameterError, TiermodelError
from .policy import Policy
from .scoring import VALUE_INDEX_DECIMALS, score
from .tiers import GOLD, REGULAR, SILVER, TIER_NAMES, branch_capacity, candidate_id_rank, eligibility_bits

WEIGHT_NAMES = ("premium", "loyalty", "profit")
YEAR_KEYS = ("year_1", "year_2", "year_3", "year_4_plus")
#: One-at-a-time parameters: the three weights, then K1 and K2 for each effective year.
OAT_PARAMETERS = (tuple(f"value_index.weights.{w}" for w in WEIGHT_NAMES)
                  + tuple(f"value_index.k1.{y}" for y in YEAR_KEYS)
                  + tuple(f"value_index.k2.{y}" for y in YEAR_KEYS))
#: Inputs of the global (Sobol) analysis, each an independent multiplier of the policy value.
SOBOL_INPUTS = ("weight premium", "weight loyalty", "weight profit",
                "K1 year 1", "K1 year 2", "K1 year 3", "K1 year 4+", "K2 (all years)")
SOURCE = "<sensitivity>"
_SCALE = 10.0 ** VALUE_INDEX_DECIMALS
_MEMORY_BUDGET_BYTES = 256 * 2 ** 20  # per chunk of scenarios


# ----------------------------------------------------------------------------- scenarios
@dataclass(frozen=True)
class Scenarios:
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
        """Dotted-path values of scenario ``i`` for :meth:`Policy.with_values`."""
        out = {f"value_index.weights.{w}": float(self.weights[i, j]) for j, w in enumerate(WEIGHT_NAMES)}
        out.update({f"value_index.k1.{y}": float(self.k1[i, j]) for j, y in enumerate(YEAR_KEYS)})
        out.update({f"value_index.k2.{y}": float(self.k2[i, j]) for j, y in enumerate(YEAR_KEYS)})
        return out

    def policy(self, base: Policy, i: int) -> Policy:
        """The validated policy of scenario ``i`` (``base`` with its 第10条 values replaced)."""
        return base.with_values(self.changes(i), note=f"sensitivity scenario {i}")

    def subset(self, rows) -> "Scenarios":
        return Scenarios(self.weights[rows], self.k1[rows], self.k2[rows])

    def to_frame(self) -> pd.DataFrame:
        cols = {f"w_{w}": self.weights[:, j] for j, w in enumerate(WEIGHT_NAMES)}
        cols.update({f"k1_{y}": self.k1[:, j] for j, y in enumerate(YEAR_KEYS)})
        cols.update({f"k2_{y}": self.k2[:, j] for j, y in enumerate(YEAR_KEYS)})
        return pd.DataFrame(cols)


def make_scenarios(weights, k1, k2, source: str = SOURCE) -> Scenarios:
    """Validated :class:`Scenarios` from arrays (rows broadcast against each other).

    Parameters
    ----------
    weights : array_like (S, 3) or (3,)
        Premium, loyalty, profit weights [share, 0–1]; each row ≥ 0 and summing to 1 (第10条).
    k1, k2 : array_like (S, 4) or (4,)
        K factors for effective years 1, 2, 3, 4+ [-]; each > 0 (第10条).

    Raises
    ------
    ParameterError
        Naming the parameter and the scenario row when a weight is negative or the weights do
        not sum to 1, or a K factor is not a positive finite number.
    """
    w = np.atleast_2d(np.asarray(weights, dtype=float))
    a = np.atleast_2d(np.asarray(k1, dtype=float))
    b = np.atleast_2d(np.asarray(k2, dtype=float))
    for arr, name, width in ((w, "weights", 3), (a, "k1", 4), (b, "k2", 4)):
        if arr.ndim != 2 or arr.shape[1] != width:
            raise ParameterError(source, f"value_index.{name}",
                                 f"expected {width} values per scenario, got shape {arr.shape}")
    n = max(len(w), len(a), len(b))
    try:
        w, a, b = (np.broadcast_to(x, (n, x.shape[1])).copy() for x in (w, a, b))
    except ValueError:
        raise ParameterError(source, "value_index", f"scenario counts differ: {len(w)} weight rows, "
                             f"{len(a)} K1 rows, {len(b)} K2 rows") from None
    if n == 0:
        raise ParameterError(source, "value_index", "no scenarios: the range is empty")
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise ParameterError(source, f"value_index.weights.{WEIGHT_NAMES[j]}",
                             f"scenario {i}: weight {w[i, j]!r} is not allowed; weights must be "
                             f"finite and ≥ 0 (第10条)")
    total = w.sum(axis=1)
    off = np.flatnonzero(np.abs(total - 1.0) > 1e-9)
    if len(off):
        raise ParameterError(source, "value_index.weights",
                             f"scenario {off[0]}: weights sum to {total[off[0]]:.6g}, not 1 (第10条 30/30/40)")
    for arr, name in ((a, "k1"), (b, "k2")):
        bad = ~np.isfinite(arr) | (arr <= 0)
        if bad.any():
            i, j = np.argwhere(bad)[0]
            raise ParameterError(source, f"value_index.{name}.{YEAR_KEYS[j]}",
                                 f"scenario {i}: {name.upper()} = {arr[i, j]!r}; a K factor must be > 0 (第10条)")
    return Scenarios(w, a, b)


def policy_scenario(policy: Policy) -> Scenarios:
    """The policy's own 第10条 values as a single scenario (the baseline)."""
    vi = policy.value_index
    return make_scenarios(vi.weights.as_array(), vi.k1.as_array(), vi.k2.as_array())


def _check_range(low: float, high: float, steps: int, path: str, lower_bound: float,
                 inclusive: bool, upper_bound: float | None = None) -> None:
    if not (np.isfinite(low) and np.isfinite(high)) or not low < high:
        raise ParameterError(SOURCE, path, f"range ({low}, {high}) is empty: the low end must be below the high end")
    if steps < 2:
        raise ParameterError(SOURCE, path, f"steps = {steps}; a range needs at least 2 steps")
    if (low < lower_bound) if inclusive else (low <= lower_bound):
        sign = "≥" if inclusive else ">"
        raise ParameterError(SOURCE, path, f"range starts at {low}; values must be {sign} {lower_bound}")
    if upper_bound is not None and high > upper_bound:
        raise ParameterError(SOURCE, path, f"range ends at {high}; values must be ≤ {upper_bound}")


def rescale_weights(base_weights, index: int, values) -> np.ndarray:
    """Weight ``index`` set to each of ``values``; the other two scaled so each row sums to 1.

    The other two keep their ratio (30:40 when the premium weight moves from 30 %).

    Parameters
    ----------
    base_weights : array_like (3,) [share]
    index : int
        0 premium, 1 loyalty, 2 profit.
    values : array_like (S,) [share, 0–1]
    """
    base = np.asarray(base_weights, dtype=float)
    values = np.asarray(values, dtype=float)
    rest = 1.0 - base[index]
    if rest <= 0:
        raise ParameterError(SOURCE, f"value_index.weights.{WEIGHT_NAMES[index]}",
                             "the other two weights are 0 in the base policy; they cannot be rescaled")
    out = np.outer(1.0 - values, base / rest)
    out[:, index] = values
    return out


# ----------------------------------------------------------------------------- candidate pool
@dataclass(frozen=True)
class CandidatePool:
    """The customers eligible for Gold or Silver (第11条), prepared once for many scenarios.

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
        Silver places per branch (第13条).
    new_places, existing_places : int
        Gold places of the new and the existing pool, after any pass-on of unfilled new places.
    n_customers : int
        Customers in the portfolio (the rest are Regular in every scenario).
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
        Silver places per branch; default :func:`tiermodel.tiers.branch_capacity`.
    """
    if capacity is None:
        capacity = branch_capacity(portfolio, policy)
    scored = score(portfolio, policy)
    gold_bits, silver_bits = eligibility_bits(scored, policy)
    branch_codes, branch_names = pd.factorize(scored["branch"], sort=True)
    cap = capacity.reindex(branch_names)
    if cap.isna().any():
        raise TiermodelError(f"no Silver capacity for branch(es) {cap[cap.isna()].index.tolist()}")
    candidate = (gold_bits | silver_bits) != 0
    id_rank = candidate_id_rank(scored["customer_id"].to_numpy(), candidate)
    idx = np.flatnonzero(candidate)
    std = scored["standard_premium_used"].to_numpy()
    idx = idx[np.lexsort((id_rank[idx], -std[idx]))]  # tie rule after the value index
    years = scored["effective_years"].to_numpy()[idx]
    coefs = scored[["premium_coef", "loyalty_coef", "profit_coef"]].to_numpy()[idx]
    is_new = scored["is_new"].to_numpy(dtype=bool)[idx]
    gold = gold_bits[idx] != 0
    gs = policy.gold_selection
    filled_new = min(gs.new_places, int((gold & is_new).sum()))
    existing_places = gs.existing_places + (gs.new_places - filled_new
                                            if gs.unfilled_new_places_go_to_existing else 0)
    table = scored.iloc[idx].drop(columns=["value_index", "k1", "k2"]).reset_index(drop=True)
    table["gold_eligible"] = gold
    table["silver_eligible"] = silver_bits[idx] != 0
    return CandidatePool(
        table=table, position=idx, coefs=np.ascontiguousarray(coefs),
        year_index=(np.clip(years, 1, 4) - 1).astype(np.intp),
        gold_eligible=gold, silver_eligible=silver_bits[idx] != 0, is_new=is_new,
        branch_code=branch_codes[idx], branch_names=np.asarray(branch_names),
        capacity=cap.to_numpy(dtype=np.int64), new_places=gs.new_places,
        existing_places=existing_places, n_customers=len(scored))


# ----------------------------------------------------------------------------- batched tiering
def value_indices(pool: CandidatePool, scenarios: Scenarios) -> np.ndarray:
    """第10条 value index of every candidate under every scenario, ``(S, m)`` [-].

    The same operations in the same order as :func:`tiermodel.scoring.combine`, then rounded to
    ``VALUE_INDEX_DECIMALS``: bit for bit the Foundation's numbers.
    """
    c = pool.coefs
    w = scenarios.weights
    k1 = scenarios.k1[:, pool.year_index]
    k2 = scenarios.k2[:, pool.year_index]
    raw = c[:, 0] * w[:, 0:1]
    raw += c[:, 1] * w[:, 1:2] * k1
    raw += c[:, 2] * w[:, 2:3] * k2
    return np.round(raw, VALUE_INDEX_DECIMALS, out=raw)


def order_keys(pool: CandidatePool, value_index: np.ndarray) -> np.ndarray:
    """One int64 key per candidate and scenario: larger key = earlier in the tie rule.

    ``key = round(value_index × 10^decimals) × 2^b + (m − 1 − position)``: the rounded value
    index as an exact integer, then the candidate's place in (standard premium ↓, id ↑) order.
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
    """Tier of every candidate under every scenario from its order keys (第12–13条).

    Gold: the top ``new_places`` of the Gold-eligible new customers and the top
    ``existing_places`` of the Gold-eligible existing ones. Silver: per branch, the top
    ``capacity`` of the Silver-eligible customers not made Gold.

    Returns
    -------
    ndarray (S, m) of int8 : 0 Gold, 1 Silver, 2 Regular (``tiers.GOLD/SILVER/REGULAR``).
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
    for start, stop in zip(bounds[:-1], bounds[1:]):  # one partition per branch, all scenarios
        cols = order[start:stop]
        silver[:, cols] = _top_k(silver_keys[:, cols], int(pool.capacity[pool.branch_code[cols[0]]]))
    tier[silver] = SILVER
    tier[gold] = GOLD
    return tier


def _chunk_size(m: int, memory_budget: int) -> int:
    return int(max(1, memory_budget // max(1, 48 * m)))  # ~6 float64/int64 arrays of (S, m)


@dataclass
class Sweep:
    """Tiers of the candidates under a batch of scenarios (see :func:`sweep`).

    ``tier`` is ``(S, m)`` int8 (0 Gold, 1 Silver, 2 Regular); ``baseline`` the ``(m,)``
    tiers under the policy's own values; ``keys`` the order keys when kept.
    """

    pool: CandidatePool
    scenarios: Scenarios
    tier: np.ndarray
    baseline: np.ndarray
    baseline_keys: np.ndarray
    keys: np.ndarray | None = None

    def metrics(self) -> pd.DataFrame:
        """Per scenario: Gold count, Gold Jaccard overlap with the baseline and Gold swaps
        (baseline Gold customers replaced), Silver count and its change, Silver Jaccard."""
        return list_metrics(self.tier, self.baseline)

    def tiers_of_all(self, i: int) -> np.ndarray:
        """Tier names of every customer of the portfolio under scenario ``i`` (non-candidates Regular)."""
        out = np.full(self.pool.n_customers, REGULAR, dtype=np.int8)
        out[self.pool.position] = self.tier[i]
        return np.asarray(TIER_NAMES, dtype=object)[out]


def sweep(pool: CandidatePool, scenarios: Scenarios, baseline: Scenarios, keep_keys: bool = False,
          memory_budget: int = _MEMORY_BUDGET_BYTES) -> Sweep:
    """Re-tier the candidate pool under every scenario, in chunks that bound memory.

    Parameters
    ----------
    pool : CandidatePool
    scenarios : Scenarios
    baseline : Scenarios
        The one scenario the lists are compared with, usually :func:`policy_scenario`.
    keep_keys : bool
        Keep the ``(S, m)`` order keys (for Kendall tau); costs 8 bytes per cell.
    memory_budget : int [bytes]
        Working memory per chunk of scenarios.
    """
    base_keys = order_keys(pool, value_indices(pool, baseline))
    base_tier = tier_codes(pool, base_keys)[0]
    n, m = len(scenarios), len(pool)
    tier = np.empty((n, m), dtype=np.int8)
    keys = np.empty((n, m), dtype=np.int64) if keep_keys else None
    step = _chunk_size(m, memory_budget)
    for start in range(0, n, step):
        part = scenarios.subset(slice(start, start + step))
        k = order_keys(pool, value_indices(pool, part))
        tier[start:start + len(part)] = tier_codes(pool, k)
        if keep_keys:
            keys[start:start + len(part)] = k
    return Sweep(pool, scenarios, tier, base_tier, base_keys[0], keys)


def list_metrics(tier: np.ndarray, baseline: np.ndarray) -> pd.DataFrame:
    """Overlap of each scenario's lists with the baseline lists.

    Parameters
    ----------
    tier : ndarray (S, m) of tier codes
    baseline : ndarray (m,) of tier codes

    Returns
    -------
    DataFrame with ``gold_count``, ``gold_jaccard`` [0–1] (|G ∩ G0| / |G ∪ G0|),
    ``gold_swaps`` (baseline Gold customers not Gold in the scenario), ``silver_count``,
    ``silver_change`` (count − baseline count), ``silver_jaccard`` [0–1].
    """
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
    return pd.DataFrame(out)[["gold_count", "gold_jaccard", "gold_swaps", "silver_count",
                              "silver_change", "silver_jaccard"]]


def kendall_tau(baseline_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Kendall tau between the baseline ranking of the candidates and each scenario's ranking.

    The rankings are the full orders of the tie rule (value index ↓, standard premium ↓,
    id ↑), so there are no ties and tau-b = tau-a. One O(m log m) call per scenario.
    """
    from scipy.stats import kendalltau

    keys = np.atleast_2d(keys)
    return np.array([kendalltau(baseline_keys, row).statistic for row in keys])


# ----------------------------------------------------------------------------- one at a time
def budget_totals(pool: CandidatePool, tier: np.ndarray, policy: Policy) -> np.ndarray:
    """Yearly VIP service cost [CNY] of each scenario's Gold and Silver lists.

    Uses :func:`tiermodel.budget.estimate` (附件七, 第26条) once per scenario (a few ms
    each): meant for the tens of one-at-a-time steps, not for thousands of draws.
    """
    from . import budget

    table = pool.table.copy()
    names = np.asarray(TIER_NAMES)
    out = np.empty(len(tier))
    for i, row in enumerate(np.atleast_2d(tier)):  # one budget per scenario
        table["tier"] = names[row]
        out[i] = budget.estimate(table, policy).total
    return out


def _budget_available() -> bool:
    try:
        from . import budget  # noqa: F401  (built by the budget issue)
    except ImportError:
        return False
    return True


def one_at_a_time(pool: CandidatePool, policy: Policy, weight_range=(0.10, 0.60),
                  k_range=(0.5, 1.5), steps: int = 11, with_budget: bool = True) -> pd.DataFrame:
    """Move one 第10条 parameter at a time across a range; the lists at each step.

    Parameters
    ----------
    pool : CandidatePool
    policy : Policy
        The baseline values.
    weight_range : (low, high) [share, 0–1]
        Values each weight takes; the other two weights are rescaled to keep their ratio and
        the sum at 1 (:func:`rescale_weights`).
    k_range : (low, high) [multiple of the policy value, > 0]
        Each K1/K2 factor runs from ``low ×`` to ``high ×`` its policy value.
    steps : int
        Points per range (≥ 2), evenly spaced.
    with_budget : bool
        Add ``budget_cny`` and ``budget_change_cny`` [CNY/yr] (:func:`budget_totals`) when
        :mod:`tiermodel.budget` is present.

    Returns
    -------
    DataFrame, one row per (parameter, step): ``parameter``, ``step``, ``value`` (the
    parameter's value), ``relative`` (value ÷ policy value), the list metrics of
    :func:`list_metrics`, ``kendall_tau`` of the candidate ranking against the baseline and,
    optionally, the budget columns.
    """
    _check_range(*weight_range, steps, "weight_range", 0.0, True, upper_bound=1.0)
    _check_range(*k_range, steps, "k_range", 0.0, False)
    base = policy_scenario(policy)
    w0, k10, k20 = base.weights[0], base.k1[0], base.k2[0]
    blocks, rows = [], []
    grid_w = np.linspace(*weight_range, steps)
    grid_k = np.linspace(*k_range, steps)
    for j, name in enumerate(WEIGHT_NAMES):
        w = rescale_weights(w0, j, grid_w)
        blocks.append((w, np.tile(k10, (steps, 1)), np.tile(k20, (steps, 1))))
        rows += [(f"value_index.weights.{name}", s, v, v / w0[j] if w0[j] else np.nan)
                 for s, v in enumerate(grid_w)]
    for which in ("k1", "k2"):
        for j, year in enumerate(YEAR_KEYS):
            k = np.tile(k10 if which == "k1" else k20, (steps, 1))
            k[:, j] = k[:, j] * grid_k
            kk = (k, np.tile(k20, (steps, 1))) if which == "k1" else (np.tile(k10, (steps, 1)), k)
            blocks.append((np.tile(w0, (steps, 1)), *kk))
            rows += [(f"value_index.{which}.{year}", s, v, v / (k10 if which == "k1" else k20)[j])
                     for s, v in zip(range(steps), k[:, j])]
    sc = make_scenarios(*(np.vstack([b[i] for b in blocks]) for i in range(3)))
    sw = sweep(pool, sc, baseline=base, keep_keys=True)
    out = pd.DataFrame(rows, columns=["parameter", "step", "value", "relative"])
    out = pd.concat([out, sw.metrics()], axis=1)
    out["kendall_tau"] = kendall_tau(sw.baseline_keys, sw.keys)
    if with_budget and _budget_available():
        out["budget_cny"] = budget_totals(pool, sw.tier, policy)
        out["budget_change_cny"] = out["budget_cny"] - budget_totals(pool, sw.baseline, policy)[0]
    return out


def tornado_table(oat: pd.DataFrame) -> pd.DataFrame:
    """The low and high ends of each one-at-a-time range, widest Gold effect first.

    Columns: ``low``, ``high`` (parameter values), ``gold_swaps_low/high``,
    ``silver_change_low/high``, ``max_gold_swaps`` and ``min_kendall_tau`` over the whole
    range, and ``budget_change_low/high_cny`` when the budget was computed.
    """
    g = oat.groupby("parameter", sort=False)
    first, last = g.nth(0).set_index("parameter"), g.nth(-1).set_index("parameter")
    out = pd.DataFrame({
        "low": first["value"], "high": last["value"],
        "gold_swaps_low": first["gold_swaps"], "gold_swaps_high": last["gold_swaps"],
        "silver_change_low": first["silver_change"], "silver_change_high": last["silver_change"],
        "max_gold_swaps": g["gold_swaps"].max(), "min_kendall_tau": g["kendall_tau"].min(),
    })
    if "budget_change_cny" in oat:
        out["budget_change_low_cny"] = first["budget_change_cny"]
        out["budget_change_high_cny"] = last["budget_change_cny"]
    return out.sort_values(["max_gold_swaps", "min_kendall_tau"], ascending=[False, True], kind="stable")


# ----------------------------------------------------------------------------- weight simplex
def simplex_weights(step: float = 0.02) -> np.ndarray:
    """Every weight triple on a grid of the simplex (premium, loyalty, profit ≥ 0, sum 1).

    Parameters
    ----------
    step : float [share]
        Grid spacing; 1/step must be a whole number (0.02 → 1,326 points).
    """
    n = round(1.0 / step) if step > 0 else 0
    if n < 1 or not np.isclose(n * step, 1.0):
        raise ParameterError(SOURCE, "simplex step", f"step = {step}; 1/step must be a whole number ≥ 1")
    i, j = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")
    keep = i + j <= n
    i, j = i[keep], j[keep]
    return np.column_stack([i / n, j / n, (n - i - j) / n])


def simplex_map(pool: CandidatePool, policy: Policy, step: float = 0.02) -> pd.DataFrame:
    """Gold and Silver lists over the whole weight simplex, K1/K2 held at the policy values.

    Returns one row per grid point: ``w_premium``, ``w_loyalty``, ``w_profit`` and the list
    metrics of :func:`list_metrics` against the policy's 30/30/40.
    """
    base = policy_scenario(policy)
    w = simplex_weights(step)
    sc = make_scenarios(w, base.k1, base.k2)
    sw = sweep(pool, sc, baseline=base)
    return pd.concat([pd.DataFrame(w, columns=[f"w_{n}" for n in WEIGHT_NAMES]), sw.metrics()], axis=1)


# ----------------------------------------------------------------------------- global analysis
def scenarios_from_multipliers(policy: Policy, u: np.ndarray) -> Scenarios:
    """Scenarios from the 8 independent inputs of the global analysis, ``u`` of shape (S, 8).

    Construction (weights live on the simplex, so they cannot be independent inputs):
    ``u[:, 0:3]`` multiply the policy weights to give *unnormalised* weights
    ``a_j = w_j × u_j``, and the weights are ``a_j / (a_1 + a_2 + a_3)`` — each input is
    "how much more or less weight coefficient j gets", and every draw lands on the simplex.
    ``u[:, 3:7]`` multiply K1 of years 1, 2, 3, 4+; ``u[:, 7]`` multiplies K2 of every year
    (K2 is blank in 第10条; one factor for all years).
    """
    u = np.asarray(u, dtype=float)
    base = policy_scenario(policy)
    a = base.weights * u[:, 0:3]
    total = a.sum(axis=1, keepdims=True)
    return make_scenarios(a / total, base.k1 * u[:, 3:7], base.k2 * u[:, 7:8])


def draw_scenarios(policy: Policy, n: int, weight_spread: float = 0.5, k_spread: float = 0.5,
                   seed: int = 2003) -> Scenarios:
    """``n`` scenarios drawn at random: each of the 8 inputs of
    :func:`scenarios_from_multipliers` uniform on ``[1 − spread, 1 + spread]``, independently.

    Parameters
    ----------
    weight_spread, k_spread : float [share of the policy value, 0–1)
        ±50 % by default.
    seed : int
    """
    _check_spreads(weight_spread, k_spread)
    if n < 1:
        raise ParameterError(SOURCE, "n", f"n = {n}; at least one scenario is needed")
    lo, hi = _bounds(weight_spread, k_spread)
    u = np.random.default_rng(seed).uniform(lo, hi, size=(n, len(lo)))
    return scenarios_from_multipliers(policy, u)


def _check_spreads(weight_spread: float, k_spread: float) -> None:
    for name, s in (("weight_spread", weight_spread), ("k_spread", k_spread)):
        if not (np.isfinite(s) and 0 < s < 1):
            raise ParameterError(SOURCE, name, f"{name} = {s}; it must lie in (0, 1) so every "
                                 "multiplier stays positive and the range is not empty")


def _bounds(weight_spread: float, k_spread: float):
    spread = np.array([weight_spread] * 3 + [k_spread] * 5)
    return 1 - spread, 1 + spread


@dataclass
class SobolAnalysis:
    """Sobol indices of the list metrics with bootstrap confidence intervals.

    ``indices`` has one row per (output, input) with ``first_order``, ``first_low``,
    ``first_high``, ``total_order``, ``total_low``, ``total_high``; ``outputs`` the mean and
    standard deviation of each output over the sample; ``evaluations`` the scenarios run.
    """

    indices: pd.DataFrame
    outputs: pd.DataFrame
    evaluations: int

    def to_df(self) -> pd.DataFrame:
        return self.indices


SOBOL_OUTPUTS = ("gold_jaccard", "silver_count")


def sobol_design(n: int, low, high, seed: int = 2003):
    """Saltelli sample matrices on the box ``[low, high]`` (one bound per input).

    ``A`` and ``B`` are ``(n, d)`` halves of one scrambled Sobol' sequence in ``2d``
    dimensions (as ``scipy.stats.sobol_indices`` draws them); ``AB[i]`` is ``A`` with
    column ``i`` taken from ``B``, shape ``(d, n, d)``.
    """
    from scipy.stats import qmc

    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    d = len(low)
    u = qmc.Sobol(d=2 * d, rng=np.random.default_rng(seed), bits=64).random(n)
    a = low + (high - low) * u[:, :d]
    b = low + (high - low) * u[:, d:]
    ab = np.repeat(a[None], d, axis=0)
    ab[np.arange(d), :, np.arange(d)] = b.T
    return a, b, ab


def first_order(f_a: np.ndarray, f_b: np.ndarray, f_ab: np.ndarray) -> np.ndarray:
    """First-order Sobol' indices, Saltelli et al. (2010): ``mean(f_B (f_ABi − f_A)) / V``.

    ``f_a, f_b`` are ``(s, n)`` outputs on A and B, ``f_ab`` is ``(d, s, n)``; returns ``(s, d)``.
    """
    var = np.var(np.stack([f_a, f_b]), axis=(0, -1))
    return (np.mean(f_b * (f_ab - f_a), axis=-1) / var).T


def total_order(f_a: np.ndarray, f_b: np.ndarray, f_ab: np.ndarray) -> np.ndarray:
    """Total-order Sobol' indices, Jansen (1999): ``mean((f_A − f_ABi)²) / 2V``; ``(s, d)``."""
    var = np.var(np.stack([f_a, f_b]), axis=(0, -1))
    return (0.5 * np.mean((f_a - f_ab) ** 2, axis=-1) / var).T


def sobol_analysis(pool: CandidatePool, policy: Policy, n: int = 1024, weight_spread: float = 0.5,
                   k_spread: float = 0.5, seed: int = 2003, confidence_level: float = 0.95,
                   n_resamples: int = 200) -> SobolAnalysis:
    """First- and total-order Sobol' indices of Gold overlap and Silver count, with
    bootstrap confidence intervals.

    The inputs are the 8 independent multipliers of :func:`scenarios_from_multipliers`
    (weights through their unnormalised values, so every draw lies on the simplex; K1 per
    year; K2 for all years), each uniform on ``[1 − spread, 1 + spread]``. The estimators are
    those of ``scipy.stats.sobol_indices`` (Saltelli 2010 first order, Jansen total order, on
    outputs centred on their mean);
    the ``n × (8 + 2)`` scenarios run in one :func:`sweep`, and the bootstrap (BCa) is seeded
    so a run reproduces.

    Parameters
    ----------
    n : int
        Base sample size, a power of 2 (1024 → 10,240 scenarios).
    weight_spread, k_spread : float [share, 0–1)
    seed : int
    confidence_level : float [share]
    n_resamples : int
        Bootstrap resamples.
    """
    from scipy.stats import DegenerateDataWarning, bootstrap

    _check_spreads(weight_spread, k_spread)
    if n < 2 or n & (n - 1):
        raise ParameterError(SOURCE, "n", f"n = {n}; the Sobol base sample must be a power of 2")
    lo, hi = _bounds(weight_spread, k_spread)
    a, b, ab = sobol_design(n, lo, hi, seed)
    d = len(lo)
    x = np.vstack([a, b, ab.reshape(d * n, d)])
    met = sweep(pool, scenarios_from_multipliers(policy, x), policy_scenario(policy)).metrics()
    y = met[list(SOBOL_OUTPUTS)].to_numpy(dtype=float)  # (n (d + 2), s)
    # centred on the mean of A and B (Sobol' & Levitan 1999), as scipy does: without it the
    # first-order estimator drowns in the mean of an output like a Silver count of ~420
    y = y - y[:2 * n].mean(axis=0)
    f_a, f_b = y[:n].T, y[n:2 * n].T
    f_ab = y[2 * n:].reshape(d, n, -1).transpose(0, 2, 1)

    def statistic(idx):
        return np.stack([first_order(f_a[:, idx], f_b[:, idx], f_ab[..., idx]),
                         total_order(f_a[:, idx], f_b[:, idx], f_ab[..., idx])])

    # An input with no effect at all (on the sample: K1 of year 1, see the notebook) has
    # zero indices and a degenerate bootstrap: its interval is NaN.
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        est = np.nan_to_num(statistic(np.arange(n)), nan=0.0, posinf=0.0, neginf=0.0)  # no variance: 0
        boot = bootstrap([np.arange(n)], statistic, method="BCa", n_resamples=n_resamples,
                         confidence_level=confidence_level, rng=np.random.default_rng(seed))
    low, high = boot.confidence_interval
    rows = []
    for o, out_name in enumerate(SOBOL_OUTPUTS):
        for i, in_name in enumerate(SOBOL_INPUTS):
            rows.append({"output": out_name, "input": in_name,
                         "first_order": est[0, o, i], "first_low": low[0, o, i], "first_high": high[0, o, i],
                         "total_order": est[1, o, i], "total_low": low[1, o, i], "total_high": high[1, o, i]})
    summary = met[list(SOBOL_OUTPUTS)].agg(["mean", "std", "min", "max"]).T
    return SobolAnalysis(pd.DataFrame(rows), summary, len(met))


# ----------------------------------------------------------------------------- membership odds
def membership_odds(sw: Sweep) -> pd.DataFrame:
    """For every candidate: the share of the sweep's scenarios in which it is Gold, Silver,
    Regular [share, 0–1], beside its baseline tier."""
    t = sw.tier
    out = sw.pool.table[["customer_id", "branch", "branch_class", "is_new", "gold_eligible"]].copy()
    out["baseline_tier"] = pd.Categorical.from_codes(sw.baseline, TIER_NAMES)
    for name, code in (("gold", GOLD), ("silver", SILVER), ("regular", REGULAR)):
        out[f"p_{name}"] = (t == code).mean(axis=0)
    return out


def borderline(odds: pd.DataFrame, share: float = 0.2) -> pd.DataFrame:
    """Customers on the edge of a list.

    * ``"at risk"``: in the baseline Gold (Silver) list but out of it in more than ``share``
      of the scenarios;
    * ``"contender"``: not in the baseline list but in it in more than ``share`` of them.

    Parameters
    ----------
    odds : DataFrame from :func:`membership_odds`
    share : float [share, 0–1)

    Returns
    -------
    DataFrame with ``list`` (gold/silver), ``status``, ``p_in`` and the candidate's columns,
    most uncertain (p_in nearest 0.5) first within each list and status.
    """
    if not (0 <= share < 1):
        raise ParameterError(SOURCE, "share", f"share = {share}; it must lie in [0, 1)")
    parts = []
    for name in ("gold", "silver"):
        in_base = odds["baseline_tier"].astype(str) == name
        p = odds[f"p_{name}"]
        at_risk = in_base & (1 - p > share)
        contender = ~in_base & (p > share)
        for mask, status in ((at_risk, "at risk"), (contender, "contender")):
            part = odds[mask].copy()
            part.insert(0, "status", status)
            part.insert(0, "list", name)
            part["p_in"] = p[mask]
            parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out["_u"] = (out["p_in"] - 0.5).abs()
    out = out.sort_values(["list", "status", "_u", "customer_id"], kind="stable").drop(columns="_u")
    return out.reset_index(drop=True)


def safety_summary(odds: pd.DataFrame, share: float = 0.2) -> pd.DataFrame:
    """Counts per baseline tier: safely in (out in ≤ ``share`` of scenarios), at risk, and
    contenders from outside, for the Gold and Silver lists."""
    rows = []
    for name in ("gold", "silver"):
        in_base = odds["baseline_tier"].astype(str) == name
        p = odds[f"p_{name}"]
        rows.append({"list": name, "baseline": int(in_base.sum()),
                     "safely_in": int((in_base & (1 - p <= share)).sum()),
                     "at_risk": int((in_base & (1 - p > share)).sum()),
                     "contenders": int((~in_base & (p > share)).sum()),
                     "always_in": int((in_base & (p == 1)).sum())})
    return pd.DataFrame(rows).set_index("list")


# ----------------------------------------------------------------------------- plots
def plot_tornado(table: pd.DataFrame, ax=None):
    """Tornado chart of :func:`tornado_table`: Gold swaps at the low end (left) and the high
    end (right) of each parameter's range."""
    import matplotlib.pyplot as plt

    from .plots.style import TIER_COLORS

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.35 * len(table) + 1.2))
    labels = [f"{p.removeprefix('value_index.')}  [{lo:.3g} … {hi:.3g}]"
              for p, lo, hi in zip(table.index, table["low"], table["high"])]
    y = np.arange(len(table))[::-1]
    ax.barh(y, -table["gold_swaps_low"], color=TIER_COLORS["silver"], label="low end 低端")
    ax.barh(y, table["gold_swaps_high"], color=TIER_COLORS["gold"], label="high end 高端")
    ax.set_yticks(y, labels)
    ax.axvline(0, color="black", lw=0.8)
    ticks = ax.get_xticks()
    ax.set_xticks(ticks, [f"{abs(t):g}" for t in ticks])
    ax.set_xlabel("金牌 Gold customers swapped out of the baseline list")
    ax.legend(loc="lower right")
    return ax


def plot_ternary(grid: pd.DataFrame, policy: Policy, column: str = "gold_jaccard", ax=None):
    """Ternary map of ``column`` over the weight simplex (premium / loyalty / profit), the
    policy's weights marked."""
    import matplotlib.pyplot as plt
    import matplotlib.tri as mtri

    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 5.6))

    def xy(w):  # corners: premium bottom-left, loyalty bottom-right, profit top
        w = np.atleast_2d(w)
        return w[:, 1] + 0.5 * w[:, 2], np.sqrt(3) / 2 * w[:, 2]

    x, y = xy(grid[["w_premium", "w_loyalty", "w_profit"]].to_numpy())
    tri = mtri.Triangulation(x, y)
    lowest = np.floor(float(grid[column].min()) * 20) / 20 if len(grid) else 0.0
    levels = np.linspace(min(lowest, 0.95), 1.0, int(round((1.0 - min(lowest, 0.95)) * 20)) + 1)
    cs = ax.tricontourf(tri, grid[column], levels=levels, cmap="viridis")
    plt.colorbar(cs, ax=ax, label=f"{column} (金牌 Gold overlap with 30/30/40)")
    px, py = xy(policy.value_index.weights.as_array())
    ax.plot(px, py, marker="*", color="red", markersize=14, ls="none", label="policy 30/30/40")
    ax.plot([0, 1, 0.5, 0], [0, 0, np.sqrt(3) / 2, 0], color="black", lw=0.8)
    for (cx, cy), text in (((0, 0), "premium 保费 = 1"), ((1, 0), "loyalty 忠诚度 = 1"),
                           ((0.5, np.sqrt(3) / 2), "profit 利润 = 1")):
        ax.annotate(text, (cx, cy), xytext=(0, -14 if cy == 0 else 6), textcoords="offset points",
                    ha="center", fontsize=9)
    for t in (0.2, 0.4, 0.6, 0.8):  # faint lines of equal profit weight
        ax.plot([t / 2, 1 - t / 2], [np.sqrt(3) / 2 * t] * 2, color="white", lw=0.4, alpha=0.6)
    ax.set_xlim(-0.2, 1.2)
    ax.set_ylim(-0.1, 1.0)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.legend(loc="upper left")
    return ax


def plot_membership(odds: pd.DataFrame, ax=None):
    """Each candidate's share of scenarios in Gold against its share in Silver, coloured by
    baseline tier."""
    import matplotlib.pyplot as plt

    from .plots.style import TIER_COLORS, TIER_LABELS

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4.5))
    for name in TIER_NAMES:
        part = odds[odds["baseline_tier"].astype(str) == name]
        ax.scatter(part["p_gold"], part["p_silver"], s=14, color=TIER_COLORS[name], alpha=0.7,
                   label=f"baseline {TIER_LABELS[name]}")
    ax.set_xlabel("share of scenarios in 金牌 Gold")
    ax.set_ylabel("share of scenarios in 银牌 Silver")
    ax.legend(fontsize=8)
    return ax


# ----------------------------------------------------------------------------- whole analysis
def run_sensitivity(inputs, weight_range=(0.10, 0.60), k_range=(0.5, 1.5), steps: int = 11,
                    simplex_step: float = 0.02, weight_spread: float = 0.5, k_spread: float = 0.5,
                    sobol_n: int = 1024, draws: int = 4096,
                    borderline_share: float = 0.2) -> dict[str, pd.DataFrame]:
    """Every table of the analysis for a run's inputs (:class:`tiermodel.inputs.RunInputs`),
    as ``{sheet name: table}``: one at a time, tornado, weight simplex, Sobol indices,
    membership odds, borderline customers and the safety summary."""
    policy = inputs.policy
    pool = candidate_pool(inputs.portfolio, policy, inputs.capacity())
    oat = one_at_a_time(pool, policy, weight_range, k_range, steps)
    sobol = sobol_analysis(pool, policy, sobol_n, weight_spread, k_spread, inputs.seed)
    sampled = sweep(pool, draw_scenarios(policy, draws, weight_spread, k_spread, inputs.seed),
                    policy_scenario(policy))
    odds = membership_odds(sampled)
    return {"tornado": tornado_table(oat).reset_index(), "one at a time": oat,
            "weight simplex": simplex_map(pool, policy, simplex_step),
            "sobol indices": sobol.indices, "safety": safety_summary(odds, borderline_share).reset_index(),
            "borderline": borderline(odds, borderline_share), "membership odds": odds}


__all__ = [
    "OAT_PARAMETERS", "SOBOL_INPUTS", "CandidatePool", "Scenarios", "SobolAnalysis", "Sweep",
    "borderline", "budget_totals", "candidate_pool", "draw_scenarios", "first_order",
    "kendall_tau", "list_metrics", "make_scenarios", "membership_odds", "one_at_a_time",
    "order_keys", "plot_membership", "plot_ternary", "plot_tornado", "policy_scenario",
    "rescale_weights", "run_sensitivity", "safety_summary", "scenarios_from_multipliers",
    "simplex_map", "simplex_weights", "sobol_analysis", "sobol_design", "sweep", "tier_codes",
    "tornado_table", "total_order", "value_indices",
]
