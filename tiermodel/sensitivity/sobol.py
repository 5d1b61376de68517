"""Sobol' indices of the Gold and Silver list overlaps (Jaccard) over the 7 independent inputs
of :mod:`tiermodel.sensitivity.sampling`, with bootstrap confidence intervals.

The Silver *count* barely moves (each branch fills its places whatever the weights) while
customers swap in and out; the Jaccard overlap of each list with the baseline's is what the
weights change. The profit weight and K2 are one input (their product is what the ranking
sees)."""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..policy import Policy
from .engine import SOURCE, CandidatePool, policy_setting, sweep
from .sampling import SOBOL_INPUTS, check_spreads, multiplier_bounds, settings_from_multipliers

SOBOL_OUTPUTS = ("gold_jaccard", "silver_jaccard")


@dataclass
class SobolAnalysis:
    """Sobol indices of the list metrics with bootstrap confidence intervals.

    ``indices`` has one row per (output, input) with ``first_order``, ``first_low``,
    ``first_high``, ``total_order``, ``total_low``, ``total_high``; ``outputs`` the mean,
    standard deviation, minimum and maximum of each output over the sample; ``evaluations``
    the settings run.
    """

    indices: pd.DataFrame
    outputs: pd.DataFrame
    evaluations: int

    def to_df(self) -> pd.DataFrame:
        """The indices table (as SALib's ``to_df``)."""
        return self.indices


def sobol_design(n: int, low, high, seed: int = 2003):
    """Saltelli sample matrices on the box ``[low, high]`` (one bound per input; here the 8
    multipliers of the 第10条 values).

    ``A`` and ``B`` are ``(n, d)`` halves of one scrambled Sobol' sequence in ``2d``
    dimensions (as ``scipy.stats.sobol_indices`` draws them); ``AB[i]`` is ``A`` with
    column ``i`` taken from ``B``, shape ``(d, n, d)``.

    Parameters
    ----------
    n : int
        Base sample size (a power of 2).
    low, high : array_like (d,)
        Bounds of each input, in its unit.
    seed : int
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


def output_variance(f_a: np.ndarray, f_b: np.ndarray) -> np.ndarray:
    """Variance of each output over the A and B samples [output's unit²], the denominator
    of :func:`first_order` and :func:`total_order`.

    Parameters
    ----------
    f_a, f_b : ndarray (s, n)

    Returns
    -------
    ndarray (s,)
    """
    return np.var(np.stack([f_a, f_b]), axis=(0, -1))


def first_order(f_a: np.ndarray, f_b: np.ndarray, f_ab: np.ndarray, var: np.ndarray | None = None) -> np.ndarray:
    """First-order Sobol' indices [share of variance], Saltelli et al. (2010):
    ``mean(f_B (f_ABi − f_A)) / V`` (here of the 第12–13条 list metrics).

    Parameters
    ----------
    f_a, f_b : ndarray (s, n)
        Outputs on the sample matrices A and B, in the output's unit.
    f_ab : ndarray (d, s, n)
        Outputs on AB_i.
    var : ndarray (s,), optional
        :func:`output_variance` of ``f_a`` and ``f_b``, where already computed.

    Returns
    -------
    ndarray (s, d)
    """
    var = output_variance(f_a, f_b) if var is None else var
    return (np.mean(f_b * (f_ab - f_a), axis=-1) / var).T


def total_order(f_a: np.ndarray, f_b: np.ndarray, f_ab: np.ndarray, var: np.ndarray | None = None) -> np.ndarray:
    """Total-order Sobol' indices [share of variance], Jansen (1999):
    ``mean((f_A − f_ABi)²) / 2V`` (here of the 第12–13条 list metrics).

    Parameters
    ----------
    f_a, f_b : ndarray (s, n)
        Outputs on the sample matrices A and B, in the output's unit.
    f_ab : ndarray (d, s, n)
        Outputs on AB_i.
    var : ndarray (s,), optional
        :func:`output_variance` of ``f_a`` and ``f_b``, where already computed.

    Returns
    -------
    ndarray (s, d)
    """
    var = output_variance(f_a, f_b) if var is None else var
    return (0.5 * np.mean((f_a - f_ab) ** 2, axis=-1) / var).T


def sobol_analysis(pool: CandidatePool, policy: Policy, n: int = 1024, weight_spread: float = 0.5,
                   k_spread: float = 0.5, seed: int = 2003, confidence_level: float = 0.95,
                   n_resamples: int = 200) -> SobolAnalysis:
    """First- and total-order Sobol' indices of the Gold and Silver overlaps (第10条 inputs,
    第12–13条 lists), with bootstrap confidence intervals (shown beside each estimate: at the
    default n the intervals are a few hundredths wide, so read the estimates to that).

    The inputs are the 7 independent multipliers of
    :func:`~tiermodel.sensitivity.sampling.settings_from_multipliers` (weights through their
    unnormalised values, so every draw lies on the simplex; the profit weight carrying K2,
    whose product alone the ranking sees; K1 per year),
    each uniform on ``[1 − spread, 1 + spread]``. The estimators are those of
    ``scipy.stats.sobol_indices`` (Saltelli 2010 first order, Jansen total order, on outputs
    centred on their mean); the ``n × (7 + 2)`` settings run in one
    :func:`~tiermodel.sensitivity.engine.sweep`, and the bootstrap (BCa) is seeded so a run
    reproduces.

    Parameters
    ----------
    pool : CandidatePool
    policy : Policy
    n : int
        Base sample size, a power of 2 (1024 → 9,216 settings).
    weight_spread, k_spread : float [share, 0–1)
    seed : int
    confidence_level : float [share]
    n_resamples : int
        Bootstrap resamples.
    """
    check_spreads(weight_spread, k_spread)
    if n < 2 or n & (n - 1):
        raise ParameterError(SOURCE, "n", f"n = {n}; the Sobol base sample must be a power of 2")
    lo, hi = multiplier_bounds(weight_spread, k_spread)
    a, b, ab = sobol_design(n, lo, hi, seed)
    d = len(lo)
    x = np.vstack([a, b, ab.reshape(d * n, d)])
    met = sweep(pool, settings_from_multipliers(policy, x), policy_setting(policy), keep_tiers=False).metrics()
    indices = indices_with_intervals(met[list(SOBOL_OUTPUTS)].to_numpy(dtype=float), n, SOBOL_INPUTS,
                                     SOBOL_OUTPUTS, seed, confidence_level, n_resamples)
    summary = met[list(SOBOL_OUTPUTS)].agg(["mean", "std", "min", "max"]).T
    return SobolAnalysis(indices, summary, len(met))


def indices_with_intervals(y: np.ndarray, n: int, inputs, outputs, seed: int = 2003,
                           confidence_level: float = 0.95, n_resamples: int = 200) -> pd.DataFrame:
    """First- and total-order Sobol' indices of list metrics (第12–13条) with seeded BCa
    bootstrap intervals, from the outputs of a Saltelli design.

    Parameters
    ----------
    y : ndarray (n (d + 2), s)
        Outputs, in their units, on the rows of A, then B, then AB_1 … AB_d (``n`` rows each).
    n : int
        Base sample size.
    inputs : sequence of str
        Names of the ``d`` inputs (or groups of inputs, e.g. one conversion table).
    outputs : sequence of str
        Names of the ``s`` outputs.
    seed : int
    confidence_level : float [share]
    n_resamples : int

    Returns
    -------
    DataFrame
        One row per (output, input): ``first_order``, ``first_low``, ``first_high``,
        ``total_order``, ``total_low``, ``total_high`` [share of variance].
    """
    from scipy.stats import DegenerateDataWarning, bootstrap

    d = len(inputs)
    # centred on the mean of A and B (Sobol' & Levitan 1999), as scipy does: without it the
    # first-order estimator drowns in the mean of an output like a Silver count of ~420
    y = y - y[:2 * n].mean(axis=0)
    f_a, f_b = y[:n].T, y[n:2 * n].T
    f_ab = y[2 * n:].reshape(d, n, -1).transpose(0, 2, 1)

    def statistic(idx, axis=-1):
        # idx: (n,) one resample, or (k, n) k resamples at once (scipy's vectorized call, the
        # resampled axis last) → (2, s, d) or (2, s, d, k); computed as one resample at a time
        fa, fb, fab = f_a[:, idx], f_b[:, idx], f_ab[..., idx]  # (s, ..., n), (d, s, ..., n)
        var = output_variance(fa, fb)
        out = np.stack([first_order(fa, fb, fab, var), total_order(fa, fb, fab, var)])  # (2, ..., s, d)
        return np.moveaxis(out, (-2, -1), (1, 2))

    # An input with no effect at all (on the sample: K1 of year 1, see the notebook) has
    # zero indices and a degenerate bootstrap: its interval is NaN.
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        est = np.nan_to_num(statistic(np.arange(n)), nan=0.0, posinf=0.0, neginf=0.0)  # no variance: 0
        # 128 resamples (and jackknife samples) per call: the same draws as one at a time
        boot = bootstrap([np.arange(n)], statistic, method="BCa", n_resamples=n_resamples, vectorized=True,
                         batch=128, confidence_level=confidence_level, rng=np.random.default_rng(seed))
    low, high = boot.confidence_interval
    rows = []
    for o, out_name in enumerate(outputs):
        for i, in_name in enumerate(inputs):
            rows.append({"output": out_name, "input": in_name,
                         "first_order": est[0, o, i], "first_low": low[0, o, i], "first_high": high[0, o, i],
                         "total_order": est[1, o, i], "total_low": low[1, o, i], "total_high": high[1, o, i]})
    return pd.DataFrame(rows)
