"""The whole sensitivity analysis of one book in one call: :func:`sensitivity_analysis` →
:class:`Sensitivity`, whose :meth:`~Sensitivity.tables` is the one list of what it exports
(notebook 03, the ``tiermodel sensitivity`` workbook and the report's workbook)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..notes import Note, note
from ..policy import Policy
from ..result import Result
from .engine import CandidatePool, Settings, Sweep, candidate_pool, policy_setting, sweep
from .oat import one_at_a_time, simplex_map, tornado_table
from .odds import borderline, membership_odds, safety_summary
from .sampling import draw_settings
from .sobol import SobolAnalysis, sobol_analysis


@dataclass
class Sensitivity(Result):
    """Everything :func:`sensitivity_analysis` computed.

    Attributes
    ----------
    pool : CandidatePool
        The Gold- or Silver-eligible customers (第11条).
    baseline : Settings
        The policy's own 30/30/40 and K1/K2.
    oat, tornado : DataFrame
        One parameter at a time, and its two ends per parameter (:mod:`.oat`).
    simplex : DataFrame
        The lists over the weight simplex.
    sobol : SobolAnalysis
    sampled : Sweep
        The lists under the settings drawn for the membership odds: each candidate's tier
        counts and each setting's list metrics (its ``tier`` is not kept: ``None``).
    odds, borderline, safety : DataFrame
        Membership odds, customers on the edge, counts per list (:mod:`.odds`).
    """

    pool: CandidatePool
    baseline: Settings
    oat: pd.DataFrame
    tornado: pd.DataFrame
    simplex: pd.DataFrame
    sobol: SobolAnalysis
    sampled: Sweep
    odds: pd.DataFrame
    borderline: pd.DataFrame
    safety: pd.DataFrame
    options: dict = field(default_factory=dict)

    @property
    def cannot_show(self) -> Note | str:
        """Why the list measures say nothing on this book ("" when they do): with 0 or 1
        candidates (第11条) no weight or K can reorder a list, so overlaps, Sobol indices and odds
        are empty or undefined (NaN), not computed by dividing by zero."""
        return pool_note(self.pool)

    def baseline_counts(self) -> dict[str, int]:
        """Candidates per tier in the baseline lists [customers]."""
        return self.sampled.baseline_counts()

    def baseline_summary(self) -> Note:
        """Two lines on the baseline: customers, candidates (第11条), the policy's weights and
        K1/K2 (第10条), and the Gold and Silver candidates in its lists (:func:`baseline_summary`)."""
        b = self.baseline
        return baseline_summary(self.pool.n_customers, len(self.pool), int(self.pool.gold_eligible.sum()),
                                b.weights[0], b.k1[0], b.k2[0], self.baseline_counts())

    def simplex_summary(self, near: float = 0.1, overlap: float = 0.9) -> Note:
        """Two lines on the weight simplex (:func:`simplex_summary`) around the policy's weights."""
        return simplex_summary(self.simplex, self.baseline.weights[0], near, overlap)

    def borderline_of(self, which: str) -> pd.DataFrame:
        """The customers on the edge of one list, ``"gold"`` or ``"silver"`` (rows of
        :attr:`borderline` whose ``list`` is ``which``)."""
        return self.borderline[self.borderline["list"] == which]

    def tables(self) -> dict[str, pd.DataFrame]:
        """Tornado, one at a time, weight simplex, Sobol indices, safety, borderline customers
        and membership odds."""
        return {"tornado": self.tornado.reset_index(), "one at a time": self.oat,
                "weight simplex": self.simplex, "sobol indices": self.sobol.indices,
                "safety": self.safety.reset_index(), "borderline": self.borderline,
                "membership odds": self.odds}


def baseline_summary(n_customers: int, n_candidates: int, n_gold_eligible: int, weights, k1, k2,
                     counts: dict[str, int]) -> Note:
    """The baseline as a note (``sensitivity.baseline``): customers, candidates, the
    Gold-eligible among them, the weights [share] and K1/K2 [-] to 2 decimals, and the Gold and
    Silver customers of its lists.

    Parameters
    ----------
    n_customers, n_candidates, n_gold_eligible : int
        The book, its Gold- or Silver-eligible candidates (第11条), the Gold-eligible among them.
    weights, k1, k2 : array-like
        The 第10条 weights (premium, loyalty, profit) and K1/K2 for years 1, 2, 3, 4+.
    counts : dict of str to int
        Candidates per tier in the baseline lists; ``gold`` and ``silver`` are shown.
    """
    import numpy as np

    def two(values) -> list:
        return np.asarray(values, dtype=float).round(2).tolist()

    return note("sensitivity.baseline", customers=n_customers, candidates=n_candidates, gold_eligible=n_gold_eligible,
                weights=two(weights), k1=two(k1), k2=two(k2), gold=int(counts["gold"]), silver=int(counts["silver"]))


def simplex_summary(grid: pd.DataFrame, weights, near: float = 0.1, overlap: float = 0.9) -> Note:
    """The lists over the weight simplex as a note (``sensitivity.simplex``): how many weight triples, the share with a
    Gold overlap (Jaccard) of at least ``overlap``, the lowest overlap and most Gold swaps; then,
    within ``near`` of ``weights`` on every weight, the range of the Gold overlap, the most swaps
    and the range of the Silver change.

    Parameters
    ----------
    grid : DataFrame
        :func:`~.oat.simplex_map`: ``w_premium``, ``w_loyalty``, ``w_profit`` [share],
        ``gold_jaccard`` [0–1], ``gold_swaps`` and ``silver_change`` [customers].
    weights : array-like (3,)
        The baseline weights (第10条: 0.3, 0.3, 0.4).
    near : float
        Largest difference on any weight for a triple to count as near the baseline [share].
    overlap : float
        Gold overlap counted as "the same list" [0–1].
    """
    import numpy as np

    weight_columns = ["w_premium", "w_loyalty", "w_profit"]
    distance = (grid[weight_columns] - np.asarray(weights, dtype=float)).abs().max(axis=1)
    close = grid[distance <= near + 1e-9]  # 1e-9: grid points exactly ``near`` away count
    share = (grid["gold_jaccard"] >= overlap - 1e-12).mean()
    return note("sensitivity.simplex", triples=len(grid), overlap=overlap, share=float(share),
                lowest=float(grid["gold_jaccard"].min()), most_swaps=int(grid["gold_swaps"].max()), near=near,
                near_triples=len(close), near_low=float(close["gold_jaccard"].min()),
                near_high=float(close["gold_jaccard"].max()), near_swaps=int(close["gold_swaps"].max()),
                silver_low=int(close["silver_change"].min()), silver_high=int(close["silver_change"].max()))


def pool_note(pool) -> Note | str:
    """The finding for a candidate pool too small to rank (``sensitivity.no_candidates`` or
    ``sensitivity.one_candidate``): "" for 2 or more candidates."""
    if len(pool) >= 2:
        return ""
    code = "sensitivity.no_candidates" if len(pool) == 0 else "sensitivity.one_candidate"
    return note(code, customers=pool.n_customers)


def sensitivity_analysis(portfolio: pd.DataFrame, policy: Policy, capacity: pd.Series | None = None, *,
                         weight_range=(0.10, 0.60), k_range=(0.5, 1.5), steps: int = 11,
                         simplex_step: float = 0.02, weight_spread: float = 0.5, k_spread: float = 0.5,
                         sobol_n: int = 1024, draws: int = 4096, borderline_share: float = 0.2,
                         with_budget: bool = True, seed: int = 2003) -> Sensitivity:
    """How much the Gold and Silver lists (第12–13条) depend on the 第10条 weights and K1/K2.

    One parameter at a time with its tornado, the whole weight simplex, Sobol' indices, and
    each candidate's odds of being Gold or Silver over randomly drawn settings, with the
    customers on the edge of a list.

    Parameters
    ----------
    portfolio : DataFrame
        Validated customer table (:func:`tiermodel.portfolio.validate_portfolio`).
    policy : Policy
        The baseline values, thresholds and places.
    capacity : Series, optional
        Silver places per branch [customers]; default :func:`tiermodel.tiers.branch_capacity`.
    weight_range : (low, high) [share, 0–1]
        One-at-a-time range of each weight.
    k_range : (low, high) [× policy value, > 0]
        One-at-a-time range of each K factor.
    steps : int
        Points per one-at-a-time range (≥ 2).
    simplex_step : float [share]
        Grid spacing of the weight simplex.
    weight_spread, k_spread : float [share, 0–1)
        Global analysis: each multiplier uniform on ``1 ± spread``.
    sobol_n : int
        Sobol' base sample, a power of 2 (``sobol_n × 10`` settings).
    draws : int
        Settings drawn for the membership odds.
    borderline_share : float [share, 0–1)
        On the edge: out of (or in) a list in more than this share of the drawn settings.
    with_budget : bool
        Add the yearly VIP service cost (附件七) to the one-at-a-time steps.
    seed : int
        Seed of the Sobol' design, its bootstrap and the drawn settings.

    Returns
    -------
    Sensitivity

    Raises
    ------
    ParameterError
        A range, spread, sample size or share that cannot be used.
    """
    pool = candidate_pool(portfolio, policy, capacity)
    baseline = policy_setting(policy)
    oat = one_at_a_time(pool, policy, weight_range, k_range, steps, with_budget)
    sobol = sobol_analysis(pool, policy, sobol_n, weight_spread, k_spread, seed)
    sampled = sweep(pool, draw_settings(policy, draws, weight_spread, k_spread, seed), baseline,
                    keep_tiers=False)  # the odds need each candidate's counts, not the (draws, m) tiers
    odds = membership_odds(sampled)
    return Sensitivity(
        pool=pool, baseline=baseline, oat=oat, tornado=tornado_table(oat),
        simplex=simplex_map(pool, policy, simplex_step), sobol=sobol, sampled=sampled, odds=odds,
        borderline=borderline(odds, borderline_share), safety=safety_summary(odds, borderline_share),
        options={"weight_range": tuple(weight_range), "k_range": tuple(k_range), "steps": steps,
                 "simplex_step": simplex_step, "weight_spread": weight_spread, "k_spread": k_spread,
                 "sobol_n": sobol_n, "draws": draws, "borderline_share": borderline_share, "seed": seed})
