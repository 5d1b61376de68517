"""One parameter at a time: each 第10条 weight and K factor across a range (a tornado), and the
whole weight simplex (a ternary map)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..policy import Policy
from ..vocabulary import TIERS
from .engine import (SOURCE, WEIGHT_NAMES, YEAR_KEYS, CandidatePool, kendall_tau, make_settings,
                     policy_setting, sweep)

#: One-at-a-time parameters: the three weights, then K1 and K2 for each effective year.
OAT_PARAMETERS = (tuple(f"value_index.weights.{w}" for w in WEIGHT_NAMES)
                  + tuple(f"value_index.k1.{y}" for y in YEAR_KEYS)
                  + tuple(f"value_index.k2.{y}" for y in YEAR_KEYS))


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
    """Weight ``index`` set to each of ``values``; the other two scaled so each row sums to 1
    (第10条).

    The other two keep their ratio (30:40 when the premium weight moves from 30 %).

    Parameters
    ----------
    base_weights : array_like (3,) [share]
    index : int
        0 premium, 1 loyalty, 2 profit.
    values : array_like (S,) [share, 0–1]

    Returns
    -------
    ndarray (S, 3) [share]
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


_TEXT_BUDGET_BYTES = 32 * 2 ** 20  # lists handed to the budget as text at once


def budget_totals(pool: CandidatePool, tier: np.ndarray, policy: Policy) -> np.ndarray:
    """Yearly VIP service cost [CNY/yr] of each setting's Gold and Silver lists (附件七, 第26条).

    :func:`tiermodel.budget.estimate`'s total for each distinct list, through
    :func:`tiermodel.budget.list_totals` (the catalogue resolved once for all settings).

    Parameters
    ----------
    pool : CandidatePool
    tier : ndarray (S, m) of tier codes
    policy : Policy
    """
    from .. import budget

    tier = np.atleast_2d(tier)  # one setting as (m,), or (1, 0) on a pool of no candidates
    unique, inverse = np.unique(tier, axis=0, return_inverse=True)  # same lists, same budget
    names = np.asarray(TIERS)
    # the lists go to list_totals as text (28 bytes a cell, copied once there): a block of them
    # at a time, not 200 table draws × 28,000 candidates of a 1,000,000-customer book at once
    step = int(max(1, _TEXT_BUDGET_BYTES // (64 * max(1, tier.shape[1]))))
    totals = [budget.list_totals(pool.table, names[unique[start:start + step]], policy)
              for start in range(0, max(len(unique), 1), step)]
    return np.concatenate(totals)[np.ravel(inverse)]


def _budget_available() -> bool:
    try:
        from .. import budget  # noqa: F401  (built by the budget issue)
    except ImportError:
        return False
    return True


def one_at_a_time(pool: CandidatePool, policy: Policy, weight_range=(0.10, 0.60),
                  k_range=(0.5, 1.5), steps: int = 11, with_budget: bool = True) -> pd.DataFrame:
    """Move one 第10条 parameter at a time across a range; the lists of 第12–13条 at each step.

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
    :func:`~tiermodel.sensitivity.engine.list_metrics`, ``kendall_tau`` of the candidate
    ranking against the baseline and, optionally, the budget columns.
    """
    _check_range(*weight_range, steps, "weight_range", 0.0, True, upper_bound=1.0)
    _check_range(*k_range, steps, "k_range", 0.0, False)
    base = policy_setting(policy)
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
    settings = make_settings(*(np.vstack([b[i] for b in blocks]) for i in range(3)))
    sw = sweep(pool, settings, baseline=base, keep_keys=True)
    out = pd.DataFrame(rows, columns=["parameter", "step", "value", "relative"])
    out = pd.concat([out, sw.metrics()], axis=1)
    out["kendall_tau"] = kendall_tau(sw.baseline_keys, sw.keys)
    if with_budget and _budget_available():
        out["budget_cny"] = budget_totals(pool, sw.tier, policy)
        out["budget_change_cny"] = out["budget_cny"] - budget_totals(pool, sw.baseline, policy)[0]
    return out


def tornado_table(oat: pd.DataFrame) -> pd.DataFrame:
    """The low and high ends of each one-at-a-time range of the 第10条 parameters, widest Gold
    effect (第13条) first.

    Parameters
    ----------
    oat : DataFrame
        From :func:`one_at_a_time`.

    Returns
    -------
    DataFrame
        Indexed by parameter: ``low``, ``high`` (parameter values), ``gold_swaps_low/high``
        [customers], the list overlaps with the baseline per tier ``gold_jaccard_low/high``,
        ``silver_jaccard_low/high`` [0–1] (the Silver count barely moves while customers swap,
        so the overlap is reported, not the count), ``max_gold_swaps``, ``min_gold_jaccard``,
        ``min_silver_jaccard`` and ``min_kendall_tau`` over the whole range, and
        ``budget_change_low/high_cny`` [CNY/yr] when the budget was computed.
    """
    g = oat.groupby("parameter", sort=False)
    first, last = g.nth(0).set_index("parameter"), g.nth(-1).set_index("parameter")
    out = pd.DataFrame({
        "low": first["value"], "high": last["value"],
        "gold_swaps_low": first["gold_swaps"], "gold_swaps_high": last["gold_swaps"],
        "gold_jaccard_low": first["gold_jaccard"], "gold_jaccard_high": last["gold_jaccard"],
        "silver_jaccard_low": first["silver_jaccard"], "silver_jaccard_high": last["silver_jaccard"],
        "max_gold_swaps": g["gold_swaps"].max(), "min_gold_jaccard": g["gold_jaccard"].min(),
        "min_silver_jaccard": g["silver_jaccard"].min(), "min_kendall_tau": g["kendall_tau"].min(),
    })
    if "budget_change_cny" in oat:
        out["budget_change_low_cny"] = first["budget_change_cny"]
        out["budget_change_high_cny"] = last["budget_change_cny"]
    return out.sort_values(["max_gold_swaps", "min_kendall_tau"], ascending=[False, True], kind="stable")


def simplex_weights(step: float = 0.02) -> np.ndarray:
    """Every weight triple on a grid of the simplex (premium, loyalty, profit ≥ 0, sum 1; 第10条).

    Parameters
    ----------
    step : float [share]
        Grid spacing; 1/step must be a whole number (0.02 → 1,326 points).

    Returns
    -------
    ndarray (P, 3) [share]
    """
    n = round(1.0 / step) if step > 0 else 0
    if n < 1 or not np.isclose(n * step, 1.0):
        raise ParameterError(SOURCE, "simplex step", f"step = {step}; 1/step must be a whole number ≥ 1")
    i, j = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")
    keep = i + j <= n
    i, j = i[keep], j[keep]
    return np.column_stack([i / n, j / n, (n - i - j) / n])


def simplex_map(pool: CandidatePool, policy: Policy, step: float = 0.02) -> pd.DataFrame:
    """Gold and Silver lists (第12–13条) over the whole 第10条 weight simplex, K1/K2 held at the
    policy values.

    Parameters
    ----------
    pool : CandidatePool
    policy : Policy
    step : float [share]
        Grid spacing (:func:`simplex_weights`).

    Returns
    -------
    DataFrame
        One row per grid point: ``w_premium``, ``w_loyalty``, ``w_profit`` [share] and the
        list metrics against the policy's 30/30/40.
    """
    base = policy_setting(policy)
    w = simplex_weights(step)
    sw = sweep(pool, make_settings(w, base.k1, base.k2), baseline=base, keep_tiers=False)
    return pd.concat([pd.DataFrame(w, columns=[f"w_{n}" for n in WEIGHT_NAMES]), sw.metrics()], axis=1)
