"""Count curves: candidates of each group as one 第11条 threshold moves, the others as in force.

Counts are exact — each customer's deciding key sorted once, then a binary search per curve
point (bounds inclusive) — so a 200-point curve costs one sort, not 200 evaluations.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from ..errors import CalibrationError
from ..policy import Policy
from .groups import (GROUPS, LOSS_RATIO_MAX_FIELDS, PREMIUM_MIN_FIELDS, book_matrices, cap_keys,
                     criteria_vectors, criterion_keys, gold_members, group_criteria, populations,
                     scale_ratio)


def _count_ge(sorted_keys: np.ndarray, xs: np.ndarray) -> np.ndarray:
    return len(sorted_keys) - np.searchsorted(sorted_keys, xs, side="left")


def count_curves(tier_table: pd.DataFrame, policy: Policy, n_points: int = 200,
                 factor_range: tuple[float, float] = (0.1, 10.0), groups: Iterable[str] = GROUPS,
                 gold: np.ndarray | None = None) -> pd.DataFrame:
    """Candidates of each group as one 第11条 parameter moves, the others held as in force.

    Curves per group: ``scale`` (the three premium minimums × factor), each premium minimum
    (× factor, log-spaced over ``factor_range``) and each loss-ratio cap (0 to 1, ``n_points``
    values). Silver populations leave out the customers made Gold (第13条).

    Parameters
    ----------
    tier_table : DataFrame
        The tiered table (``assign_tiers(...).table``); only its scored columns are read.
    policy : Policy
        Thresholds in force.
    n_points : int
        Points per curve (≥ 2).
    factor_range : (low, high) [multiple of the value in force]
        Range of the premium-minimum factors.
    groups : iterable of {"gold", "A", "B", "C", "D"}
    gold : ndarray of bool, optional
        Customers made Gold, if already known (saves one selection).

    Returns
    -------
    DataFrame
        Long form: group, parameter, factor (value ÷ value in force), value [CNY/yr or
        share], candidates [customers].
    """
    if n_points < 2:
        raise CalibrationError(f"a count curve needs at least 2 points, not {n_points}")
    premiums, ratios = book_matrices(tier_table)
    pops = populations(tier_table, gold_members(tier_table, policy) if gold is None else gold)
    factors = np.geomspace(factor_range[0], factor_range[1], n_points)
    cap_values = np.linspace(0.0, 1.0, n_points)
    parts = []

    def add(group, parameter, factor, value, count):
        parts.append(pd.DataFrame({"group": group, "parameter": parameter, "factor": factor,
                                   "value": value, "candidates": count}))

    for group in groups:
        mask = pops[group]
        P, L = premiums[mask], ratios[mask]
        mins, caps = criteria_vectors(group_criteria(policy, group))
        add(group, "scale", factors, factors, _count_ge(np.sort(scale_ratio(P, L, mins, caps)), factors))
        for c in range(3):
            base, keys = criterion_keys(P, L, mins, caps, c)
            values = factors * mins[c]
            add(group, PREMIUM_MIN_FIELDS[c], factors, values, base + _count_ge(np.sort(keys), values))
        for c in (1, 2):
            base, keys = cap_keys(P, L, mins, caps, c)
            # key ≤ cap ⇔ -key ≥ -cap
            count = base + _count_ge(np.sort(-keys), -cap_values)
            add(group, LOSS_RATIO_MAX_FIELDS[c], cap_values / caps[c], cap_values, count)
    out = pd.concat(parts, ignore_index=True)
    out["candidates"] = out["candidates"].astype(np.int64)
    return out


def curve_ends(curves: pd.DataFrame) -> pd.DataFrame:
    """Candidates at both ends of each group's scale curve [customers].

    Parameters
    ----------
    curves : DataFrame
        :func:`count_curves` (``group``, ``parameter``, ``candidates``, points in order of the
        scale factor, 0.1 to 10).

    Returns
    -------
    DataFrame
        One row per group (in the curves' order), columns ``at factor 0.1`` and
        ``at factor 10``: the candidates at the first and the last point of its scale curve.
    """
    scale = curves[curves["parameter"] == "scale"]
    return scale.groupby("group", sort=False)["candidates"].agg(["first", "last"]).rename(
        columns={"first": "at factor 0.1", "last": "at factor 10"})
