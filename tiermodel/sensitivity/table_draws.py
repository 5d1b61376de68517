"""How much the Gold and Silver lists rest on the lost conversion tables 附表1–3 (第10条).

The three tables that turn standard premium, insured years and profit margin into the
coefficients of the value index are lost; the banded tables in ``params/`` are assumptions.
This module asks the committee's first question — *would this customer still be Gold if the
lost tables had been different?* — by drawing many plausible tables and re-tiering under each.

* **The family** (``table_uncertainty`` in the parameter file, every value assumed):
  :func:`draw_tables` draws ``N`` sets of 附表1–3, either *around* the assumed tables (each
  band edge uniform between the midpoints with its neighbours, scaled by ``edge_spread``, on
  a log scale for premium; each coefficient likewise between the midpoints with its
  neighbours, 0 below the first and 1 above the last) or *between* two bracketing tables
  (element by element, then sorted). With ``band_counts: varied`` each edge may also be
  dropped (the band below extends over the next) and each closed band split at its midpoint
  (the upper half takes the coefficient midway to the band above). Every drawn table rises
  with premium, years and margin and keeps its coefficients in [0, 1]. Named members:
  the assumed tables, the quantile-fitted tables of :mod:`tiermodel.calibrate.tables`, and
  the two bracketing tables.
* **Re-tiering**: eligibility (第11条) does not depend on the tables, so only the candidate
  pool is re-ranked. A candidate's coefficient under a draw is a band lookup, vectorised
  over all draws at once (:func:`table_coefficients`: one ``searchsorted`` of the drawn
  edges into the candidates' sorted measures, a cumulative count, two gathers); the value
  index comes from :func:`tiermodel.scoring.combine`, the one kernel, and the lists from
  the engine's exact tie rule (:func:`.engine.order_keys`, :func:`.engine.tier_codes`).
* **Outputs** (:func:`table_uncertainty` → :class:`TableSensitivity`): per candidate the
  share of draws in which it is Gold, Silver or Regular with a seeded bootstrap interval;
  the robust core (Gold in ≥ ``robust_share`` of draws) and the contested customers; Sobol
  indices of each table (optionally beside the weights and K); the expected number of Gold
  swaps against the assumed tables; the effect on the 附件七 budget.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..calibrate.tables import TABLE_MEASURES, fitted_tables
from ..errors import CalibrationError, ParameterError, TiermodelError
from ..notes import Note, note
from ..policy import BandTable, Policy, describe
from ..result import Result
from ..scoring import score
from ..vocabulary import GOLD, REGULAR, SILVER, TIERS
from .engine import (SOURCE, CandidatePool, Settings, TierSummary, candidate_pool, list_metrics, order_keys,
                     policy_setting, tier_codes, value_indices)
from .sampling import check_spreads, multiplier_bounds, settings_from_multipliers
from .sobol import SOBOL_OUTPUTS, SobolAnalysis, indices_with_intervals

#: The three conversion tables in the order of the coefficients (附表1, 附表2, 附表3).
TABLE_NAMES = ("premium", "loyalty", "profit")
#: Inputs of the table Sobol analysis: one group per table, then (optionally) the weights and K.
TABLE_INPUTS = tuple(f"{TABLE_MEASURES[t][2]} {t}" for t in TABLE_NAMES)
WEIGHT_K_INPUT = "weights and K1/K2"
METHODS = ("around", "between")
BAND_COUNTS = ("fixed", "varied")
_MEMORY_BUDGET_BYTES = 64 * 2 ** 20  # per chunk of draws
_BYTES_PER_CELL = 96  # coefficients (24), band index, value index, keys, partition copies, masks


# ----------------------------------------------------------------------------- the tables
@dataclass(frozen=True)
class TableDraws:
    """``S`` sets of the three conversion tables 附表1–3, as arrays.

    Attributes
    ----------
    edges : dict of str to ndarray (S, R)
        Band edges of each table (``"premium"`` [CNY/yr], ``"loyalty"`` [years], ``"profit"``
        [share]), non-decreasing along each row; ``+inf`` pads the edges a row does not have
        (fewer bands). A value ``v`` falls in band ``#{edges <= v}`` (lower edges inclusive, as
        :func:`tiermodel.scoring.band_coefficient`).
    coefficients : dict of str to ndarray (S, R + 1)
        Coefficient of each band [0–1], non-decreasing along each row (the padding repeats the
        last coefficient).
    labels : tuple of str
        Name of each row (``"assumed"``, ``"quantile-fitted"``, ``"draw 17"`` …).
    """

    edges: dict
    coefficients: dict
    labels: tuple

    def __len__(self) -> int:
        return len(self.labels)

    def band_counts(self) -> np.ndarray:
        """Bands of each table in each row, ``(S, 3)`` [-] (premium, loyalty, profit)."""
        return np.stack([1 + np.isfinite(self.edges[t]).sum(axis=1) for t in TABLE_NAMES], axis=1)

    def table(self, name: str, i: int) -> BandTable:
        """Row ``i`` of table ``name`` as a validated :class:`~tiermodel.policy.BandTable`."""
        e = self.edges[name][i]
        k = int(np.isfinite(e).sum())
        return BandTable(breaks=[float(x) for x in e[:k]],
                         coefficients=[float(x) for x in self.coefficients[name][i, :k + 1]])

    def changes(self, i: int) -> dict:
        """Dotted-path values of row ``i`` for :meth:`Policy.with_values` (the three 附表)."""
        out = {}
        for name in TABLE_NAMES:
            t = self.table(name, i)
            out[f"conversion_tables.{name}"] = {"breaks": t.breaks, "coefficients": t.coefficients}
        return out

    def policy(self, base: Policy, i: int) -> Policy:
        """The validated policy with the tables of row ``i`` in force (else ``base``)."""
        return base.with_values(self.changes(i), note=f"table draw {self.labels[i]}")

    def subset(self, rows) -> "TableDraws":
        """The rows at ``rows`` (a slice or indices)."""
        labels = np.asarray(self.labels, dtype=object)[rows]
        return TableDraws({t: self.edges[t][rows] for t in TABLE_NAMES},
                          {t: self.coefficients[t][rows] for t in TABLE_NAMES}, tuple(labels))

    def to_frame(self) -> pd.DataFrame:
        """Long form, one row per (table set, table, band): ``member``, ``table``, ``band``,
        ``lower_edge`` and ``upper_edge`` [unit of the table; -inf/inf open], ``coefficient``
        [0–1]. Meant for the few named members, not for thousands of draws."""
        rows = []
        for i, label in enumerate(self.labels):
            for name in TABLE_NAMES:
                t = self.table(name, i)
                lower = [-np.inf] + t.breaks
                upper = t.breaks + [np.inf]
                for b, coef in enumerate(t.coefficients):
                    rows.append({"member": label, "table": f"{TABLE_MEASURES[name][2]} {name}",
                                 "unit": TABLE_MEASURES[name][1], "band": b + 1,
                                 "lower_edge": lower[b], "upper_edge": upper[b], "coefficient": coef})
        return pd.DataFrame(rows)


def _pad(arr: np.ndarray, width: int, value) -> np.ndarray:
    if arr.shape[1] >= width:
        return arr
    if value is None:  # repeat the last column
        fill = np.repeat(arr[:, -1:], width - arr.shape[1], axis=1)
    else:
        fill = np.full((len(arr), width - arr.shape[1]), value)
    return np.concatenate([arr, fill], axis=1)


def concat_tables(parts) -> TableDraws:
    """Rows of several :class:`TableDraws` one after the other (padded to the widest).

    Parameters
    ----------
    parts : sequence of TableDraws
    """
    parts = list(parts)
    edges, coefs = {}, {}
    for name in TABLE_NAMES:
        width = max(p.edges[name].shape[1] for p in parts)
        edges[name] = np.concatenate([_pad(p.edges[name], width, np.inf) for p in parts])
        coefs[name] = np.concatenate([_pad(p.coefficients[name], width + 1, None) for p in parts])
    return TableDraws(edges, coefs, tuple(label for p in parts for label in p.labels))


def named_tables(tables: dict, label: str) -> TableDraws:
    """One set of 附表1–3 as a one-row :class:`TableDraws`.

    Parameters
    ----------
    tables : dict of str to BandTable
        ``"premium"``, ``"loyalty"``, ``"profit"`` (a :class:`ConversionTables` works too via
        :func:`policy_tables`).
    label : str
    """
    return TableDraws({t: np.asarray([tables[t].breaks], dtype=float) for t in TABLE_NAMES},
                      {t: np.asarray([tables[t].coefficients], dtype=float) for t in TABLE_NAMES},
                      (label,))


def policy_tables(policy: Policy, label: str = "assumed") -> TableDraws:
    """The policy's own 附表1–3 (the assumed tables, 第10条) as a one-row :class:`TableDraws`.

    Parameters
    ----------
    policy : Policy
    label : str
    """
    ct = policy.conversion_tables
    return named_tables({t: getattr(ct, t) for t in TABLE_NAMES}, label)


def bracket_tables(policy: Policy) -> TableDraws:
    """The two bracketing tables of ``table_uncertainty`` (element by element the lowest and
    the highest plausible 附表1–3) as two rows: ``"bracket low"``, ``"bracket high"``.

    Parameters
    ----------
    policy : Policy
    """
    tu = policy.table_uncertainty
    return concat_tables([named_tables({t: getattr(tu, t).bracket_low for t in TABLE_NAMES}, "bracket low"),
                          named_tables({t: getattr(tu, t).bracket_high for t in TABLE_NAMES}, "bracket high")])


def _around_edges(breaks, scale: str, spread: float, rng, n: int) -> np.ndarray:
    """Each edge uniform between ``spread`` × half the distance to each neighbour (mirrored at
    the ends), on ``scale``; with ``spread`` 0 exactly the assumed edges."""
    b = np.asarray(breaks, dtype=float)
    x = np.log(b) if scale == "log" else b
    gaps = np.diff(x)
    below = np.r_[gaps[:1], gaps] if len(b) > 1 else np.zeros(1)
    above = np.r_[gaps, gaps[-1:]] if len(b) > 1 else np.zeros(1)
    u = rng.random((n, len(b)))
    delta = spread * (u * (below + above) / 2 - below / 2)
    e = b * np.exp(delta) if scale == "log" else b + delta
    return np.maximum.accumulate(e, axis=1)


def _around_coefficients(coefs, spread: float, rng, n: int) -> np.ndarray:
    """Each coefficient uniform between ``spread`` × half the distance to each neighbour
    (0 below the first band, 1 above the last)."""
    c = np.asarray(coefs, dtype=float)
    ext = np.r_[0.0, c, 1.0]
    below, above = c - ext[:-2], ext[2:] - c
    u = rng.random((n, len(c)))
    return c + spread * (u * (below + above) / 2 - below / 2)


def _between(low, high, scale: str, rng, n: int) -> np.ndarray:
    """Each element uniform between ``low`` and ``high`` (on ``scale``), then sorted along the
    row: the i-th smallest of such draws still lies in ``[low_i, high_i]``."""
    lo, hi = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    if scale == "log":
        lo, hi = np.log(lo), np.log(hi)
    x = np.sort(lo + (hi - lo) * rng.random((n, len(lo))), axis=1)
    return np.exp(x) if scale == "log" else x


def _vary(edges: np.ndarray, coefs: np.ndarray, scale: str, p_drop: float, p_split: float, rng):
    """Drop and split bands: each edge kept with ``1 - p_drop`` (a dropped edge: the band below
    extends over the next), each closed band split at its midpoint with ``p_split`` (the upper
    half takes the coefficient midway to the band above). At least one edge stays.

    Returns edges ``(n, 2E - 1)`` (``+inf`` where absent, present ones first) and coefficients
    ``(n, 2E)`` padded with the last band's coefficient.
    """
    n, e_count = edges.shape
    if e_count > 1:
        a, b = edges[:, :-1], edges[:, 1:]
        mids = np.sqrt(a * b) if scale == "log" else (a + b) / 2
    else:
        mids = np.empty((n, 0))
    r = 2 * e_count - 1
    ref_e = np.empty((n, r))
    ref_e[:, 0::2], ref_e[:, 1::2] = edges, mids
    ref_c = np.empty((n, r + 1))
    ref_c[:, 0] = coefs[:, 0]
    ref_c[:, 1::2] = coefs[:, 1:]
    ref_c[:, 2::2] = (coefs[:, 1:-1] + coefs[:, 2:]) / 2
    present = np.empty((n, r), dtype=bool)
    present[:, 0::2] = rng.random((n, e_count)) >= p_drop
    present[:, 1::2] = rng.random((n, e_count - 1)) < p_split
    present[~present.any(axis=1), 2 * (e_count // 2)] = True  # keep the middle assumed edge
    order = np.argsort(~present, axis=1, kind="stable")  # present edges first, in order
    k = present.sum(axis=1)
    out_e = np.take_along_axis(ref_e, order, axis=1)
    out_e[np.arange(r)[None, :] >= k[:, None]] = np.inf
    out_c = np.concatenate([ref_c[:, :1], np.take_along_axis(ref_c[:, 1:], order, axis=1)], axis=1)
    out_c = np.take_along_axis(out_c, np.minimum(np.arange(r + 1)[None, :], k[:, None]), axis=1)
    return out_e, out_c


def _check_choice(value, options, name: str) -> None:
    if value not in options:
        raise ParameterError(SOURCE, f"table_uncertainty.{name}",
                             f"'{value}' is not one of {', '.join(options)}")


def draw_tables(policy: Policy, n: int, seed: int = 2003, method: str | None = None,
                band_counts: str | None = None) -> TableDraws:
    """``n`` plausible sets of the lost 附表1–3 (第10条), drawn from the family stated in
    ``policy.table_uncertainty`` (every value assumed).

    ``around`` (default): edge ``i`` of a table is ``e_i`` moved by ``u × spread`` of half the
    distance to its neighbour on either side (on a log scale for premium; the end edges
    mirror their one gap), ``u`` uniform; coefficient ``i`` likewise within ``spread`` of the
    midpoints with its neighbours, taking 0 below the first band and 1 above the last. Bands
    stay in their order, so tables stay monotone. ``between``: each edge and coefficient
    uniform between ``bracket_low`` and ``bracket_high``, then sorted. ``varied`` band counts
    then drop edges (``edge_drop_probability``; the band below extends) and split closed bands
    at their midpoints (``band_split_probability``).

    Parameters
    ----------
    policy : Policy
        Gives the assumed tables and the family (``table_uncertainty``).
    n : int
        Table sets to draw (≥ 1).
    seed : int
        Same seed, same tables.
    method : {"around", "between"}, optional
        Default: ``table_uncertainty.method``.
    band_counts : {"fixed", "varied"}, optional
        Default: ``table_uncertainty.band_counts``.

    Returns
    -------
    TableDraws
        Rows labelled ``"draw 1"`` … ``"draw n"``; coefficients non-decreasing and in [0, 1],
        edges non-decreasing.

    Raises
    ------
    ParameterError
        ``n`` < 1, or an unknown method or band-count choice.
    """
    spec = policy.table_uncertainty
    method = method or spec.method
    band_counts = band_counts or spec.band_counts
    _check_choice(method, METHODS, "method")
    _check_choice(band_counts, BAND_COUNTS, "band_counts")
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ParameterError(SOURCE, "draws", f"draws = {n}; at least one table set is needed")
    rng = np.random.default_rng(seed)
    edges, coefs = {}, {}
    for name in TABLE_NAMES:
        assumed, sp = getattr(policy.conversion_tables, name), getattr(spec, name)
        if method == "around":
            if sp.scale == "log" and min(assumed.breaks) <= 0:
                raise ParameterError(SOURCE, f"table_uncertainty.{name}.scale",
                                     f"a log scale needs the assumed {name} band edges > 0")
            e = _around_edges(assumed.breaks, sp.scale, sp.edge_spread, rng, n)
            c = _around_coefficients(assumed.coefficients, sp.coefficient_spread, rng, n)
        else:
            e = _between(sp.bracket_low.breaks, sp.bracket_high.breaks, sp.scale, rng, n)
            c = _between(sp.bracket_low.coefficients, sp.bracket_high.coefficients, "linear", rng, n)
        c = np.clip(np.maximum.accumulate(c, axis=1), 0.0, 1.0)  # guards rounding at the midpoints
        if band_counts == "varied":
            e, c = _vary(e, c, sp.scale, spec.edge_drop_probability, spec.band_split_probability, rng)
        edges[name], coefs[name] = e, c
    return TableDraws(edges, coefs, tuple(f"draw {i + 1}" for i in range(n)))


# ----------------------------------------------------------------------------- band lookup
@dataclass(frozen=True)
class Measures:
    """The three measures 附表1–3 convert, for every candidate, reduced once to their sorted
    distinct values (insured years take a few dozen values, margins a few thousand).

    Attributes
    ----------
    values : ndarray (3, m)
        Standard premium [CNY/yr], effective insured years [years], profit margin [share].
    distinct : tuple of 3 ndarrays
        Sorted distinct values of each measure.
    inverse : ndarray (3, m)
        Position of each candidate's value in ``distinct``.
    """

    values: np.ndarray
    distinct: tuple
    inverse: np.ndarray


def candidate_measures(pool: CandidatePool) -> Measures:
    """The measures of the candidate pool that 附表1–3 convert (第10条), prepared for lookups.

    Parameters
    ----------
    pool : CandidatePool
    """
    values = np.stack([pool.table[TABLE_MEASURES[t][0]].to_numpy(dtype=float) for t in TABLE_NAMES]) \
        if len(pool) else np.empty((3, 0))
    bad = ~np.isfinite(values)
    if bad.any():
        j, i = np.argwhere(bad)[0]
        raise TiermodelError(f"customer {pool.table['customer_id'].iloc[i]}: "
                             f"{TABLE_MEASURES[TABLE_NAMES[j]][0]} is not a finite number")
    distinct, inverse = zip(*(np.unique(v, return_inverse=True) for v in values))
    return Measures(values, tuple(distinct), np.stack([np.ravel(i) for i in inverse]).astype(np.intp))


def table_coefficients(measures: Measures, tables: TableDraws) -> np.ndarray:
    """Premium, loyalty and profit coefficients of every candidate under every table set,
    ``(S, m, 3)`` [0–1] (附表1–3 of 第10条).

    Exactly :func:`tiermodel.scoring.band_coefficient` (``v >= edge`` counts, lower edges
    inclusive), vectorised over the table sets: the drawn edges are located among the sorted
    distinct measures by one ``searchsorted``, a cumulative count along them gives each
    value's band, a gather its coefficient, and a last gather spreads it to the candidates.

    Parameters
    ----------
    measures : Measures
    tables : TableDraws
    """
    s, m = len(tables), measures.values.shape[1]
    out = np.empty((3, s, m))
    rows = np.arange(s)[:, None]
    for j, name in enumerate(TABLE_NAMES):
        u = measures.distinct[j]
        pos = np.searchsorted(u, tables.edges[name], side="left")  # first value >= edge
        steps = np.zeros((s, len(u) + 1), dtype=np.uint8)
        np.add.at(steps, (rows, pos), 1)
        band = np.cumsum(steps[:, :len(u)], axis=1, dtype=np.uint8)
        coef = np.take_along_axis(tables.coefficients[name], band, axis=1)  # (s, distinct values)
        np.take(coef, measures.inverse[j], axis=1, out=out[j])
    return out.transpose(1, 2, 0)  # (S, m, 3) view, each coefficient contiguous


def sweep_tables(pool: CandidatePool, measures: Measures, tables: TableDraws, settings: Settings,
                 memory_budget: int = _MEMORY_BUDGET_BYTES) -> np.ndarray:
    """Tiers of the candidate pool under every table set (第10条 → 第12–13条), in chunks that
    bound memory.

    Parameters
    ----------
    pool : CandidatePool
    measures : Measures
        From :func:`candidate_measures` of the same pool.
    tables : TableDraws
        ``S`` table sets.
    settings : Settings
        One setting of the weights and K for every table set, or ``S`` (row by row).
    memory_budget : int [bytes]
        Working memory per chunk of table sets.

    Returns
    -------
    ndarray (S, m) of int8
        Tier codes (0 Gold, 1 Silver, 2 Regular), ties broken by the policy's rule exactly as
        :func:`tiermodel.tiers.assign_tiers`.
    """
    tier = np.empty((len(tables), len(pool)), dtype=np.int8)
    for rows, codes in _table_chunks(pool, measures, tables, settings, memory_budget):
        tier[rows] = codes
    return tier


def _table_chunks(pool: CandidatePool, measures: Measures, tables: TableDraws, settings: Settings,
                  memory_budget: int = _MEMORY_BUDGET_BYTES):
    """``(rows, tiers)`` of one chunk of table sets after another (see :func:`sweep_tables`)."""
    n, m = len(tables), len(pool)
    if len(settings) not in (1, n):
        raise TiermodelError(f"{len(settings)} settings for {n} table sets; give one or one per set")
    step = int(max(1, memory_budget // (_BYTES_PER_CELL * max(1, m))))
    for start in range(0, n, step):
        rows = slice(start, min(n, start + step))
        coefs = table_coefficients(measures, tables.subset(rows))
        part = settings if len(settings) == 1 else settings.subset(rows)
        yield rows, tier_codes(pool, order_keys(pool, value_indices(pool, part, coefs)))


def summarise_tables(pool: CandidatePool, measures: Measures, tables: TableDraws, settings: Settings,
                     baseline: np.ndarray, keep_rows: int = 0, counts: bool = True,
                     memory_budget: int = _MEMORY_BUDGET_BYTES) -> tuple[TierSummary, np.ndarray]:
    """:func:`sweep_tables` without the ``(S, m)`` tiers: what the analysis reads of them, added
    chunk by chunk (第10条 → 第12–13条).

    Parameters
    ----------
    pool, measures, tables, settings
        As :func:`sweep_tables`.
    baseline : ndarray (m,) of tier codes
        The lists the metrics compare with (under the assumed tables).
    keep_rows : int
        Tiers of the first ``keep_rows`` table sets kept as well (for their 附件七 budget).
    counts : bool
        Count each candidate's tiers over the table sets (for the odds).
    memory_budget : int [bytes]

    Returns
    -------
    summary : TierSummary
        :func:`~tiermodel.sensitivity.list_metrics` of every table set (``summary.metrics()``)
        and, with ``counts``, the ``(3, m)`` table sets in which each candidate is Gold, Silver,
        Regular (``summary.counts``); ``summary.rows`` table sets in all.
    first : ndarray (min(keep_rows, S), m) of int8
    """
    summary = TierSummary(baseline, counts=counts)
    first = np.empty((min(max(keep_rows, 0), len(tables)), len(pool)), dtype=np.int8)
    for rows, codes in _table_chunks(pool, measures, tables, settings, memory_budget):
        summary.add(codes)
        if rows.start < len(first):
            first[rows.start:min(rows.stop, len(first))] = codes[:len(first) - rows.start]
    return summary, first


# ----------------------------------------------------------------------------- outputs
def table_odds(pool: CandidatePool, tier: np.ndarray, baseline: np.ndarray, value_index: np.ndarray,
               robust_share: float = 0.95, contested_share: float = 0.05, n_boot: int = 1000,
               confidence_level: float = 0.95, seed: int = 2003) -> pd.DataFrame:
    """Per candidate: the share of table draws in which it is Gold, Silver, Regular (第12–13条)
    with a seeded bootstrap interval, and its Gold status.

    The bootstrap resamples the ``N`` draws with replacement; for a share the resampled count
    is exactly Binomial(N, share), which is drawn directly (``n_boot`` times per candidate).
    The interval measures the Monte Carlo error of ``N`` draws, not the width of the family.

    Parameters
    ----------
    pool : CandidatePool
    tier : ndarray (N, m) of tier codes, or TierSummary
        The tiers under the ``N`` draws, or their :class:`~tiermodel.sensitivity.engine.TierSummary`
        with counts (:func:`summarise_tables`): the shares need only each candidate's counts.
    baseline : ndarray (m,) of tier codes
        Under the assumed tables.
    value_index : ndarray (m,) [-]
        Under the assumed tables (第10条).
    robust_share, contested_share : float [share, 0–1]
        Robust core: Gold in ≥ ``robust_share`` of draws; contested: in ≥ ``contested_share``
        and < ``robust_share``.
    n_boot : int
        Bootstrap resamples.
    confidence_level : float [share]
    seed : int

    Returns
    -------
    DataFrame
        customer_id, branch, branch_class, is_new, gold_eligible, value_index, baseline_tier,
        p_gold, p_gold_low, p_gold_high, p_silver (…low, …high), p_regular (…low, …high),
        gold_status (robust core / contested / rarely Gold / never Gold); highest ``p_gold``
        first.
    """
    if isinstance(tier, TierSummary):
        n, counts = tier.rows, tier.counts
    else:
        n, counts = len(tier), TierSummary(np.zeros(np.shape(tier)[1], dtype=np.int8), metrics=False)
        for start in range(0, n, 256):
            counts.add(tier[start:start + 256])
        counts = counts.counts
    out = pool.table[["customer_id", "branch", "branch_class", "is_new", "gold_eligible"]].copy()
    out["value_index"] = value_index
    out["baseline_tier"] = pd.Categorical.from_codes(baseline, list(TIERS))
    rng = np.random.default_rng(seed)
    alpha = (1 - confidence_level) / 2
    for name, code in (("gold", GOLD), ("silver", SILVER), ("regular", REGULAR)):
        p = counts[code] / n if n else np.zeros(counts.shape[1])
        out[f"p_{name}"] = p
        out[f"p_{name}_low"], out[f"p_{name}_high"] = _binomial_interval(rng, n, p, n_boot, alpha)
    p = out["p_gold"].to_numpy()
    out["gold_status"] = np.select([p >= robust_share, p >= contested_share, p > 0],
                                   ["robust core", "contested", "rarely Gold"], "never Gold")
    out = out.sort_values(["p_gold", "p_silver", "value_index", "customer_id"],
                          ascending=[False, False, False, True], kind="stable")
    return out.reset_index(drop=True)


def _binomial_interval(rng, n: int, p: np.ndarray, n_boot: int, alpha: float,
                       memory_budget: int = _MEMORY_BUDGET_BYTES) -> tuple[np.ndarray, np.ndarray]:
    """The ``alpha`` and ``1 − alpha`` quantiles over ``n_boot`` resampled shares
    Binomial(n, p) / n of each candidate [share].

    The counts are drawn a block of resamples at a time, in the order of one
    ``rng.binomial(n, p, size=(n_boot, m))`` (the same numbers), kept as small integers (2 bytes
    each for up to 65,535 draws, not 8 as shares), and the quantiles taken a block of candidates
    at a time: on 28,000 candidates × 1,000 resamples 56 MB instead of 225 MB three times over.
    """
    m = len(p)
    dtype = np.uint16 if n <= np.iinfo(np.uint16).max else np.int64
    draws = np.empty((n_boot, m), dtype=dtype)
    step = int(max(1, memory_budget // (8 * max(1, m))))
    for start in range(0, n_boot, step):
        k = min(step, n_boot - start)
        draws[start:start + k] = rng.binomial(n, p, size=(k, m))
    low, high = np.empty(m), np.empty(m)
    step = int(max(1, memory_budget // (24 * max(1, n_boot))))  # shares, and quantile's sorted copy
    for start in range(0, m, step):
        cols = slice(start, start + step)
        low[cols], high[cols] = np.quantile(draws[:, cols] / n, [alpha, 1 - alpha], axis=0)
    return low, high


def list_summary(odds: pd.DataFrame, metrics: pd.DataFrame, robust_share: float = 0.95,
                 contested_share: float = 0.05) -> pd.DataFrame:
    """Counts per list (第12–13条) over the table draws [customers].

    ``baseline`` (under the assumed tables), ``robust`` (in the list in ≥ ``robust_share`` of
    draws), ``contested`` (≥ ``contested_share`` and < ``robust_share``),
    ``baseline_not_robust`` (on the assumed list but not robust), ``newcomers`` (off the
    assumed list, in it in ≥ ``contested_share`` of draws), ``always`` (in every draw), and
    ``mean_size`` — the mean list length [customers].

    Parameters
    ----------
    odds : DataFrame from :func:`table_odds`
    metrics : DataFrame from :func:`tiermodel.sensitivity.list_metrics`
    robust_share, contested_share : float [share]
    """
    rows = []
    for name in ("gold", "silver"):
        base = odds["baseline_tier"].astype(str) == name
        p = odds[f"p_{name}"]
        rows.append({"list": name, "baseline": int(base.sum()), "robust": int((p >= robust_share).sum()),
                     "contested": int(((p >= contested_share) & (p < robust_share)).sum()),
                     "baseline_not_robust": int((base & (p < robust_share)).sum()),
                     "newcomers": int((~base & (p >= contested_share)).sum()),
                     "always": int((p == 1).sum()),
                     "mean_size": float(metrics[f"{name}_count"].mean()) if len(metrics) else np.nan})
    return pd.DataFrame(rows)


def draw_summary(metrics: pd.DataFrame) -> pd.DataFrame:
    """Mean, standard deviation, 5/50/95 % quantiles, min and max of each list metric over the
    draws (第12–13条); the mean of ``gold_swaps`` is the expected number of Gold swaps against
    the assumed tables [customers].

    Parameters
    ----------
    metrics : DataFrame from :func:`tiermodel.sensitivity.list_metrics`
    """
    stats = metrics.agg(["mean", "std", "min", "max"])
    q = metrics.quantile([0.05, 0.5, 0.95])
    q.index = ["p5", "p50", "p95"]
    out = pd.concat([stats.loc[["mean", "std"]], q, stats.loc[["min", "max"]]])
    out.index.name = "statistic"
    return out.reset_index()


def swap_distribution(metrics: pd.DataFrame) -> pd.DataFrame:
    """How many draws replace how many of the assumed Gold customers (第13条): ``gold_swaps``
    [customers], ``draws`` and ``share`` [share of draws], and ``at_least`` [share of draws with
    that many swaps or more].

    Parameters
    ----------
    metrics : DataFrame from :func:`tiermodel.sensitivity.list_metrics`
    """
    counts = metrics["gold_swaps"].value_counts().sort_index()
    share = counts / max(1, len(metrics))
    return pd.DataFrame({"gold_swaps": counts.index.astype(int), "draws": counts.to_numpy(),
                         "share": share.to_numpy(), "at_least": share[::-1].cumsum()[::-1].to_numpy()})


def _seeds(seed: int, k: int) -> list[int]:
    return [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(seed).spawn(k)]


def table_sobol(pool: CandidatePool, measures: Measures, policy: Policy, n: int = 1024, seed: int = 2003,
                with_weights: bool = True, weight_spread: float = 0.5, k_spread: float = 0.5,
                method: str | None = None, band_counts: str | None = None,
                confidence_level: float = 0.95, n_resamples: int = 200) -> SobolAnalysis:
    """Which lost table moves the lists most: Sobol' indices of the Gold overlap and the Silver
    count (第12–13条) with each table of 附表1–3 as one group of inputs, optionally beside the
    weights and K1/K2 of 第10条 as a fourth group.

    A Saltelli design on groups: independent draws A and B of every group; ``AB_i`` is A with
    group ``i`` from B. Tables come from :func:`draw_tables`; the weights and K from the eight
    multipliers of :mod:`.sampling`, uniform on ``1 ± spread``. Estimators (Saltelli 2010,
    Jansen 1999) and the seeded BCa bootstrap as :func:`.sobol.sobol_analysis`.

    Parameters
    ----------
    pool : CandidatePool
    measures : Measures
    policy : Policy
    n : int
        Base sample (≥ 2): ``n × (groups + 2)`` evaluations.
    seed : int
    with_weights : bool
        Add the weights and K1/K2 as a fourth group (else they stay at the policy values).
    weight_spread, k_spread : float [share, 0–1)
    method, band_counts : str, optional
        As :func:`draw_tables`.
    confidence_level : float [share]
    n_resamples : int
    """
    if not isinstance(n, (int, np.integer)) or n < 2:
        raise ParameterError(SOURCE, "sobol_n", f"sobol_n = {n}; the base sample needs at least 2 draws")
    seeds = _seeds(seed, 3)
    ta = draw_tables(policy, n, seeds[0], method, band_counts)
    tb = draw_tables(policy, n, seeds[1], method, band_counts)
    groups = list(TABLE_INPUTS)
    base = policy_setting(policy)
    if with_weights:
        check_spreads(weight_spread, k_spread)
        lo, hi = multiplier_bounds(weight_spread, k_spread)
        u = np.random.default_rng(seeds[2]).uniform(lo, hi, size=(2 * n, len(lo)))
        sa, sb = settings_from_multipliers(policy, u[:n]), settings_from_multipliers(policy, u[n:])
        groups.append(WEIGHT_K_INPUT)
    else:
        sa = sb = base.subset(np.zeros(n, dtype=np.intp))
    parts, settings = [ta, tb], [sa, sb]
    for j, group in enumerate(groups):
        if group == WEIGHT_K_INPUT:
            parts.append(ta)
            settings.append(sb)
        else:
            name = TABLE_NAMES[j]
            parts.append(TableDraws({t: (tb if t == name else ta).edges[t] for t in TABLE_NAMES},
                                    {t: (tb if t == name else ta).coefficients[t] for t in TABLE_NAMES},
                                    ta.labels))
            settings.append(sa)
    tables = concat_tables(parts)
    setting = Settings(*(np.concatenate([getattr(s, f) for s in settings]) for f in ("weights", "k1", "k2")))
    base_tier = sweep_tables(pool, measures, policy_tables(policy), base)[0]
    met = summarise_tables(pool, measures, tables, setting, base_tier, counts=False)[0].metrics()
    indices = indices_with_intervals(met[list(SOBOL_OUTPUTS)].to_numpy(dtype=float), n, groups,
                                     SOBOL_OUTPUTS, seed, confidence_level, n_resamples)
    summary = met[list(SOBOL_OUTPUTS)].agg(["mean", "std", "min", "max"]).T
    return SobolAnalysis(indices, summary, len(met))


def assumption_table(policy: Policy) -> pd.DataFrame:
    """The values the table analysis rests on, each with its provenance: the assumed 附表1–3
    (``conversion_tables``) and the family of plausible tables (``table_uncertainty``), one row
    each: ``path``, ``value`` (as in the file), ``kind``, ``article``, ``reason_zh``, ``reason_en``.

    Parameters
    ----------
    policy : Policy
    """
    rows = [{**r, "article": r["source"] or "", "reason_zh": r["reason_zh"] or "", "reason_en": r["reason_en"] or ""}
            for r in describe(policy) if r["path"].startswith(("conversion_tables.", "table_uncertainty."))]
    return pd.DataFrame(rows, columns=["path", "value", "kind", "article", "reason_zh", "reason_en"])


@dataclass
class TableSensitivity(Result):
    """Everything :func:`table_uncertainty` computed.

    Attributes
    ----------
    pool : CandidatePool
    draws : TableDraws
        The ``N`` drawn table sets.
    tier : ndarray (k, m) of int8
        Tier of every candidate under the first ``k = min(budget_draws, N)`` draws, those whose
        budget is computed (0 rows without the budget); the odds and metrics cover all ``N``.
    baseline : ndarray (m,)
        Tiers under the assumed tables.
    metrics : DataFrame
        List metrics of every draw against the assumed tables.
    odds, summary, draw_stats, swaps : DataFrame
        Per candidate shares (:func:`table_odds`), counts per list, metric statistics, swap
        distribution.
    named : TableDraws
        The named members (assumed, quantile-fitted, bracket low, bracket high).
    members : DataFrame
        Lists (and budget) under each named member.
    sobol : SobolAnalysis or None
    budget : DataFrame or None
        Yearly VIP service cost (附件七) under the assumed tables, the named members and a
        subsample of draws [CNY/yr].
    assumptions : DataFrame
    """

    pool: CandidatePool
    draws: TableDraws
    tier: np.ndarray
    baseline: np.ndarray
    metrics: pd.DataFrame
    odds: pd.DataFrame
    summary: pd.DataFrame
    draw_stats: pd.DataFrame
    swaps: pd.DataFrame
    named: TableDraws
    members: pd.DataFrame
    sobol: SobolAnalysis | None
    budget: pd.DataFrame | None
    assumptions: pd.DataFrame
    options: dict = field(default_factory=dict)

    @property
    def robust_core(self) -> pd.DataFrame:
        """Candidates Gold in at least ``robust_share`` of the draws."""
        return self.odds[self.odds["gold_status"] == "robust core"].reset_index(drop=True)

    @property
    def contested(self) -> pd.DataFrame:
        """Candidates Gold in at least ``contested_share`` but fewer than ``robust_share`` of
        the draws, most uncertain (share nearest ½) first."""
        part = self.odds[self.odds["gold_status"] == "contested"]
        order = (part["p_gold"] - 0.5).abs().sort_values(kind="stable").index
        return part.loc[order].reset_index(drop=True)

    def expected_gold_swaps(self) -> float:
        """Mean number of assumed-table Gold customers replaced per draw [customers]."""
        return float(self.metrics["gold_swaps"].mean())

    def settings_summary(self) -> Note:
        """How the tables were drawn and what is assumed, as a note (:func:`draws_summary`)."""
        return draws_summary(self.options, self.assumptions)

    def core_summary(self) -> Note:
        """The robust core and the contested customers, as a note (:func:`core_summary`)."""
        return core_summary(self.robust_core, self.contested)

    @property
    def cannot_show(self) -> Note | str:
        """Why the table draws say nothing on this book, a note ("" when they do): 0 or 1 candidates."""
        from .analysis import pool_note

        return pool_note(self.pool)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Assumptions, list summary, named members, swap distribution, draw statistics,
        robust core, contested customers, Sobol indices, budget, per-candidate odds, and the
        named tables themselves."""
        out = {"table assumptions": self.assumptions, "table list summary": self.summary,
               "table members": self.members, "table gold swaps": self.swaps,
               "table draw statistics": self.draw_stats, "table robust core": self.robust_core,
               "table contested": self.contested}
        if self.sobol is not None:
            out["table sobol"] = self.sobol.indices
        if self.budget is not None:
            out["table budget"] = self.budget
        out["table odds"] = self.odds
        out["named tables"] = self.named.to_frame()
        return out


def draws_summary(options: dict, assumptions: pd.DataFrame) -> Note:
    """A table-uncertainty run as a note (``sensitivity.table_draws``): draws, method, band
    counts, seed and the shares that make the robust core and the contested customers; then how
    many assumed values the run rests on (the page lists them, by name, in its register).

    Parameters
    ----------
    options : dict
        ``TableSensitivity.options``: ``draws``, ``method``, ``band_counts``, ``seed``,
        ``robust_share`` and ``contested_share`` [share of draws].
    assumptions : DataFrame
        One row per assumed value, ``path`` dotted (``"conversion_tables.premium.breaks"``);
        its second part names the group.
    """
    return note("sensitivity.table_draws", draws=options["draws"], method=options["method"],
                band_counts=options["band_counts"], seed=options["seed"], robust=options["robust_share"],
                contested=options["contested_share"], values=len(assumptions))


def core_summary(core: pd.DataFrame, contested: pd.DataFrame) -> Note:
    """The robust core and the contested customers as a note (``sensitivity.core``): ``"robust
    core: <n> customers (<g> of them Gold under the assumed tables); contested: <c>"``.

    Parameters
    ----------
    core, contested : DataFrame
        ``TableSensitivity.robust_core`` and ``.contested`` (``baseline_tier`` column).
    """
    gold = int((core["baseline_tier"] == "gold").sum())
    return note("sensitivity.core", core=len(core), gold=gold, contested=len(contested))


def _budget_totals(pool, tier, policy):
    from .oat import _budget_available, budget_totals

    if not _budget_available():
        return None
    unique, inverse = np.unique(np.atleast_2d(tier), axis=0, return_inverse=True)
    return budget_totals(pool, unique, policy)[np.ravel(inverse)]


def _budget_table(pool, policy, named_tier, named_labels, draw_tier, budget_draws):
    base_total = _budget_totals(pool, named_tier[:1], policy)
    if base_total is None:
        return None, None
    named_total = _budget_totals(pool, named_tier, policy)
    rows = [{"case": label, "draws": 1, "total_cny": t} for label, t in zip(named_labels, named_total)]
    k = min(budget_draws, len(draw_tier))
    if k:
        totals = _budget_totals(pool, draw_tier[:k], policy)
        for stat, value in (("mean", totals.mean()), ("p5", np.quantile(totals, 0.05)),
                            ("p50", np.quantile(totals, 0.5)), ("p95", np.quantile(totals, 0.95)),
                            ("min", totals.min()), ("max", totals.max())):
            rows.append({"case": f"draws {stat}", "draws": k, "total_cny": value})
    out = pd.DataFrame(rows)
    out["change_cny"] = out["total_cny"] - base_total[0]
    out["change_share"] = out["change_cny"] / base_total[0] if base_total[0] else np.nan
    return out, named_total


def table_uncertainty(portfolio: pd.DataFrame, policy: Policy, capacity: pd.Series | None = None, *,
                      draws: int = 4096, sobol_n: int = 1024, with_weights: bool = True,
                      weight_spread: float = 0.5, k_spread: float = 0.5, method: str | None = None,
                      band_counts: str | None = None, budget_draws: int = 200, with_budget: bool = True,
                      n_boot: int = 1000, seed: int = 2003) -> TableSensitivity:
    """How much the Gold and Silver lists (第12–13条) rest on the lost 附表1–3 (第10条).

    Draws ``draws`` plausible table sets (:func:`draw_tables`, seeded), re-tiers the candidate
    pool under each with the policy's weights, K and tie rule, and reports each candidate's
    odds, the robust core and the contested customers, the expected Gold swaps against the
    assumed tables, the lists under the named members (assumed, quantile-fitted, the two
    brackets), Sobol indices of the three tables (beside the weights and K), and the yearly VIP
    service cost (附件七).

    Parameters
    ----------
    portfolio : DataFrame
        Validated customer table.
    policy : Policy
        The assumed tables, the family (``table_uncertainty``), weights, K, thresholds, places.
    capacity : Series, optional
        Silver places per branch [customers]; default :func:`tiermodel.tiers.branch_capacity`.
    draws : int
        Table sets drawn (≥ 1).
    sobol_n : int
        Base sample of the Sobol analysis (≥ 2; ``sobol_n × 5`` or ``× 6`` evaluations); 0
        skips it.
    with_weights : bool
        Sobol analysis with the weights and K1/K2 as a fourth group of inputs.
    weight_spread, k_spread : float [share, 0–1)
        Their multipliers uniform on ``1 ± spread`` (as the weight/K analysis).
    method : {"around", "between"}, optional
        Default ``table_uncertainty.method``.
    band_counts : {"fixed", "varied"}, optional
        Default ``table_uncertainty.band_counts``.
    budget_draws : int
        Draws (the first ones) whose 附件七 budget is computed (≈ 25 ms each on the sample).
    with_budget : bool
        Compute the budget at all (needs :mod:`tiermodel.budget`).
    n_boot : int
        Bootstrap resamples of the per-candidate shares.
    seed : int
        Seed of the draws, the Sobol design and the bootstraps.

    Returns
    -------
    TableSensitivity

    Raises
    ------
    ParameterError
        A count, share or choice that cannot be used.
    """
    if not isinstance(budget_draws, (int, np.integer)) or budget_draws < 0:
        raise ParameterError(SOURCE, "budget_draws", f"budget_draws = {budget_draws}; it must be ≥ 0")
    if not isinstance(n_boot, (int, np.integer)) or n_boot < 1:
        raise ParameterError(SOURCE, "n_boot", f"n_boot = {n_boot}; at least one resample is needed")
    spec = policy.table_uncertainty
    seeds = _seeds(seed, 3)
    drawn = draw_tables(policy, draws, seeds[0], method, band_counts)
    pool = candidate_pool(portfolio, policy, capacity)
    measures = candidate_measures(pool)
    base = policy_setting(policy)
    members = [policy_tables(policy)]
    try:  # a book with fewer distinct values than bands has no quantile-fitted tables
        members.append(named_tables(fitted_tables(score(portfolio, policy), policy), "quantile-fitted"))
    except CalibrationError:
        pass
    named = concat_tables([*members, bracket_tables(policy)])
    named_tier = sweep_tables(pool, measures, named, base)
    baseline = named_tier[0]
    # the odds need each candidate's counts, the budget the first draws' tiers: not all (draws, m)
    summary, tier = summarise_tables(pool, measures, drawn, base, baseline, keep_rows=budget_draws if with_budget else 0)
    metrics = summary.metrics()
    value_index = value_indices(pool, base)[0]
    odds = table_odds(pool, summary, baseline, value_index, spec.robust_share, spec.contested_share, n_boot,
                      seed=seeds[1])
    del summary
    members = list_metrics(named_tier, baseline)
    members.insert(0, "bands", [" / ".join(map(str, row)) for row in named.band_counts()])
    members.insert(0, "member", list(named.labels))
    budget = None
    if with_budget:
        budget, named_total = _budget_table(pool, policy, named_tier, named.labels, tier, budget_draws)
        if budget is not None:
            members["budget_cny"] = named_total
            members["budget_change_cny"] = named_total - named_total[0]
    sobol = None
    if sobol_n:
        sobol = table_sobol(pool, measures, policy, sobol_n, seeds[2], with_weights, weight_spread, k_spread,
                            method, band_counts)
    return TableSensitivity(
        pool=pool, draws=drawn, tier=tier, baseline=baseline, metrics=metrics, odds=odds,
        summary=list_summary(odds, metrics, spec.robust_share, spec.contested_share),
        draw_stats=draw_summary(metrics), swaps=swap_distribution(metrics), named=named, members=members,
        sobol=sobol, budget=budget, assumptions=assumption_table(policy),
        options={"draws": draws, "sobol_n": sobol_n, "with_weights": with_weights,
                 "weight_spread": weight_spread, "k_spread": k_spread,
                 "method": method or spec.method, "band_counts": band_counts or spec.band_counts,
                 "budget_draws": budget_draws, "n_boot": n_boot, "seed": seed,
                 "robust_share": spec.robust_share, "contested_share": spec.contested_share})
