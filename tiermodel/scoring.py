"""The customer value index of 第10条, vectorised.

    value_index = premium_coef × w_premium
                + loyalty_coef × w_loyalty × K1(year)
                + profit_coef  × w_profit  × K2(year)

with the coefficients read from the conversion tables 附表1–3 (banded lookups) and the
weights 30 % / 30 % / 40 %. Every function here is pure: arrays or a DataFrame and a
:class:`~tiermodel.policy.Policy` in, new arrays or a new DataFrame out.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .policy import BandTable, Policy, YearFactors

#: Decimals the value index is rounded to, so that equal inputs give exactly equal indices
#: whatever the order of summation (ties are then broken by the stated rule, not by noise).
VALUE_INDEX_DECIMALS = 10

SCORE_COLUMNS = ["standard_premium_used", "premium_coef", "loyalty_coef", "profit_coef",
                 "k1", "k2", "value_index"]


def band_coefficient(values, table: BandTable) -> np.ndarray:
    """Coefficient of each value in a banded conversion table (附表1–3).

    A value below ``breaks[0]`` takes ``coefficients[0]``; ``breaks[i-1] <= v < breaks[i]``
    takes ``coefficients[i]``; ``v >= breaks[-1]`` takes the last. Lower band edges are
    inclusive (a 1,000,000 CNY premium falls in the 1–5M band).

    Parameters
    ----------
    values : array_like
        The measure the table converts [CNY/yr, years or share, as the table].
    table : BandTable

    Returns
    -------
    numpy.ndarray of float [0–1]
    """
    return np.asarray(table.coefficients, dtype=float)[band_index(values, table)]


def band_index(values, table: BandTable) -> np.ndarray:
    """Band of each value in a conversion table: the number of band edges at or below it."""
    values = np.asarray(values)
    # With a handful of edges, one vectorised comparison per edge is several times faster
    # than a binary search per value.
    idx = np.zeros(values.shape, dtype=np.uint8 if len(table.breaks) < 255 else np.intp)
    for edge in table.breaks:
        idx += values >= edge
    return idx


def year_factor(effective_years, factors: YearFactors) -> np.ndarray:
    """K1 or K2 for each effective insured year (第10条): year 1, 2, 3, then 4 and later.

    Parameters
    ----------
    effective_years : array_like of int [years, ≥ 1]
    factors : YearFactors
    """
    by_year = factors.as_array()[[0, 0, 1, 2, 3]]  # years 0 (below 1: as year 1), 1, 2, 3, 4+
    year = np.clip(np.asarray(effective_years), 0, 4)
    return by_year[year if year.dtype.kind in "iu" else year.astype(np.intp)]


def standard_premium(long_term_std_premium, health_premium, non_health_premium, policy: Policy,
                     supplied=None) -> np.ndarray:
    """标准保费规模 [CNY/yr]: long-term standard premium + short-term received premiums.

    Each part is multiplied by its conversion factor (``standard_premium.*_factor``, assumed
    1.0). Where ``supplied`` holds a number (the portfolio's own standard premium), it is used
    as is.
    """
    f = policy.standard_premium

    def part(values, factor):  # × 1.0 is exact: skipped
        values = np.asarray(values, dtype=float)
        return values if factor == 1.0 else values * factor

    total = (part(long_term_std_premium, f.long_term_factor) + part(health_premium, f.health_factor)
             + part(non_health_premium, f.non_health_factor))
    if supplied is not None:
        supplied = np.asarray(supplied, dtype=float)
        total = np.where(np.isnan(supplied), total, supplied)
    return total


def coefficients(std_premium, effective_years, profit_margin, policy: Policy) -> np.ndarray:
    """The three conversion coefficients as an ``(n, 3)`` array: premium, loyalty, profit.

    Column-major: each coefficient is contiguous in memory, so that a column is taken and
    combined without striding over the other two.
    """
    t = policy.conversion_tables
    out = np.empty((3, np.size(std_premium)))
    out[0] = band_coefficient(std_premium, t.premium)
    out[1] = band_coefficient(effective_years, t.loyalty)
    out[2] = band_coefficient(profit_margin, t.profit)
    return out.T


def combine(coefs: np.ndarray, k1, k2, weights) -> np.ndarray:
    """第10条 value index from the coefficients, K1, K2 and the weights: the one kernel.

    ``premium_coef × w_premium + loyalty_coef × w_loyalty × K1 + profit_coef × w_profit × K2``,
    summed in that order and rounded to ``VALUE_INDEX_DECIMALS``. :func:`score` calls it with one
    set of weights; the batched sweep of :mod:`tiermodel.sensitivity` with ``S`` settings at
    once — the same operations in the same order, so the numbers agree bit for bit.

    Parameters
    ----------
    coefs : ndarray (n, 3) or (S, n, 3)
        Premium, loyalty and profit coefficients [0–1] (附表1–3); per setting when 3-D (the
        tables drawn by :mod:`tiermodel.sensitivity.table_draws`).
    k1, k2 : array_like (n,) or (S, n)
        K1 and K2 of each customer [-] (per setting when 2-D).
    weights : array_like (3,) or (S, 3)
        Premium, loyalty and profit weights [share] (one row per setting when 2-D).

    Returns
    -------
    ndarray (n,) or (S, n) of float [-]
    """
    w = np.asarray(weights, dtype=float)
    w_premium, w_loyalty, w_profit = (w[..., j, None] if w.ndim > 1 else w[j] for j in range(3))
    raw = coefs[..., 0] * w_premium
    raw += coefs[..., 1] * w_loyalty * k1
    raw += coefs[..., 2] * w_profit * k2
    return np.round(raw, VALUE_INDEX_DECIMALS, out=raw)


def value_index(std_premium, effective_years, profit_margin, policy: Policy) -> np.ndarray:
    """The customer value index (客户价值指标, 第10条) [-] from arrays, without the components.

    Gives exactly the numbers of ``combine(coefficients(...), K1, K2, weights)``: the same
    products in the same order. The year-dependent part ``loyalty_coef × w × K1`` is tabulated
    once per whole year instead of per customer, which makes this the fast path for large books.

    Parameters
    ----------
    std_premium : array_like [CNY/yr]
    effective_years : array_like of int [years, ≥ 1]
    profit_margin : array_like [share]
    """
    vi, tables = policy.value_index, policy.conversion_tables
    w = vi.weights
    top = max(int(np.ceil(tables.loyalty.breaks[-1])), 4)  # from here on nothing depends on the year
    grid = np.arange(top + 1)
    loyalty_part = band_coefficient(grid, tables.loyalty) * w.loyalty * year_factor(grid, vi.k1)
    year = np.minimum(np.asarray(effective_years), top)
    # coefficient × weight tabulated per band: the same products, looked up instead of computed
    premium_part = (np.asarray(tables.premium.coefficients) * w.premium)[band_index(std_premium, tables.premium)]
    profit_part = (np.asarray(tables.profit.coefficients) * w.profit)[band_index(profit_margin, tables.profit)]
    k2 = year_factor(grid, vi.k2)
    if np.any(k2 != 1.0):  # × 1.0 is exact, so a neutral K2 (the default) is skipped
        profit_part *= k2[year]
    raw = premium_part + loyalty_part[year]
    raw += profit_part
    return np.round(raw, VALUE_INDEX_DECIMALS, out=raw)


def score(portfolio: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Score a validated portfolio: a new frame with the inputs and each component.

    Added columns: ``standard_premium_used`` [CNY/yr], ``premium_coef``, ``loyalty_coef``,
    ``profit_coef`` [0–1], ``k1``, ``k2`` [-] and ``value_index`` [-].
    """
    supplied = portfolio["standard_premium"] if "standard_premium" in portfolio else None
    std = standard_premium(portfolio["long_term_std_premium"], portfolio["health_premium"],
                           portfolio["non_health_premium"], policy, supplied)
    years = portfolio["effective_years"].to_numpy()
    coefs = coefficients(std, years, portfolio["profit_margin"].to_numpy(), policy)
    vi = policy.value_index
    k1 = year_factor(years, vi.k1)
    k2 = year_factor(years, vi.k2)
    return with_columns(portfolio, {
        "standard_premium_used": std, "premium_coef": coefs[:, 0], "loyalty_coef": coefs[:, 1],
        "profit_coef": coefs[:, 2], "k1": k1, "k2": k2,
        "value_index": combine(coefs, k1, k2, vi.weights.as_array()),
    }, copy=False)


def with_columns(table: pd.DataFrame, columns: dict, copy: bool = True) -> pd.DataFrame:
    """A new frame: ``table`` with ``columns`` (name → array) set beside its own.

    The input's columns are shared, not copied, and the input itself is not changed;
    copying a million-row table would cost more than scoring it. ``copy=False`` hands the
    new arrays over too (the caller made them and does not change them afterwards): nothing
    of a million rows is copied.
    """
    if copy or not table.columns.is_unique or any(isinstance(v, (pd.Series, pd.Index)) for v in columns.values()):
        out = table.copy(deep=False)
        for name, values in columns.items():
            out[name] = values
        return out
    data = {name: table[name] for name in table.columns}
    data.update(columns)
    return pd.DataFrame(data, index=table.index, copy=False).__finalize__(table)
