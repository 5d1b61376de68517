"""附表1–3 band edges fitted to the book's quantiles, and what they do to the Gold list.

The three conversion tables of 第10条 are lost; the assumed ones put most of today's book in
their lowest premium band. Here each table's band edges are fitted so that each band holds a
stated share of customers (coefficients kept as in force).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..notes import Note, note
from ..errors import CalibrationError
from ..policy import BandTable, Policy
from ..tiers import Tiering

#: 附表1–3: the policy table, the column of the tier_table book it converts, its unit.
TABLE_MEASURES = {"premium": ("standard_premium_used", "CNY/yr", "附表1"),
                  "loyalty": ("effective_years", "years", "附表2"),
                  "profit": ("profit_margin", "share", "附表3")}


def fit_band_edges(values, shares) -> list[float]:
    """Band edges so that each band of a conversion table (附表1–3) holds the given share of
    customers.

    Lower edges are inclusive (as :func:`tiermodel.scoring.band_coefficient`), so edge ``i`` is
    the value at sorted position ``round(q_i · n)`` with ``q_i`` the cumulative share below it
    — an exact order statistic. Where ties (e.g. whole insured years) would repeat an edge, the
    next distinct value of the book is taken, so the bands then hold the nearest shares
    possible.

    Parameters
    ----------
    values : array_like
        The measure the table converts, one per customer [CNY/yr, years or share].
    shares : sequence of float
        Share of customers per band, one per coefficient [share, 0–1]; they sum to 1.

    Returns
    -------
    list of float
        ``len(shares) - 1`` increasing edges, in the unit of ``values``.
    """
    shares = np.asarray(shares, dtype=float)
    if shares.ndim != 1 or len(shares) < 2:
        raise CalibrationError("band shares need one share per band, at least two bands")
    if (shares < 0).any() or not math.isclose(shares.sum(), 1.0, abs_tol=1e-6):
        raise CalibrationError(f"band shares must be ≥ 0 and sum to 1; these sum to {shares.sum():.6g}")
    v = np.sort(np.asarray(values, dtype=float))
    v = v[np.isfinite(v)]
    distinct = np.unique(v)
    if len(distinct) < len(shares):
        raise CalibrationError(f"only {len(distinct)} distinct values in the book: cannot form "
                               f"{len(shares)} bands")
    wanted = np.cumsum(shares)[:-1] * len(v)  # customers wanted below each edge
    below = np.searchsorted(v, distinct, side="left")  # customers below each distinct value
    out: list[float] = []
    n_edges = len(wanted)
    for i, w in enumerate(wanted):
        j = int(np.clip(np.searchsorted(below, w), 0, len(distinct) - 1))
        if j > 0 and abs(below[j - 1] - w) <= abs(below[j] - w):
            j -= 1  # the nearer of the two distinct values around the wanted count
        first = 0 if not out else int(np.searchsorted(distinct, out[-1], side="right"))
        last = len(distinct) - (n_edges - i)  # leave room for the edges still to place
        out.append(float(distinct[min(max(j, first), last)]))
    return out


def fitted_tables(tier_table: pd.DataFrame, policy: Policy,
                  shares: dict[str, list[float]] | None = None) -> dict[str, BandTable]:
    """附表1–3 with band edges fitted to the book (coefficients kept as in force).

    Parameters
    ----------
    tier_table : DataFrame
        The tiered table (``assign_tiers(...).table``); only its scored columns are read.
    policy : Policy
    shares : dict, optional
        Band shares per table (``"premium"``, ``"loyalty"``, ``"profit"``) [share]; a table
        not named gets equal shares.

    Returns
    -------
    dict of str to BandTable
    """
    shares = shares or {}
    unknown = set(shares) - set(TABLE_MEASURES)
    if unknown:
        raise CalibrationError(f"band shares for unknown table(s) {sorted(unknown)}; use "
                               f"{', '.join(TABLE_MEASURES)}")
    out = {}
    for name, (column, _, _) in TABLE_MEASURES.items():
        table = getattr(policy.conversion_tables, name)
        n_bands = len(table.coefficients)
        s = shares.get(name) or [1.0 / n_bands] * n_bands
        if len(s) != n_bands:
            raise CalibrationError(f"{name} table has {n_bands} bands; {len(s)} shares given")
        if too_few_values(tier_table[column], n_bands):  # a tiny book: the table in force is kept
            out[name] = table
            continue
        out[name] = BandTable(breaks=fit_band_edges(tier_table[column], s), coefficients=table.coefficients)
    return out


def too_few_values(values, n_bands: int) -> bool:
    """Whether a book has fewer distinct finite values of a measure than a table has bands."""
    v = np.asarray(values, dtype=float)
    return len(np.unique(v[np.isfinite(v)])) < n_bands


def unfittable_tables(tier_table: pd.DataFrame, policy: Policy) -> list[Note]:
    """Why a table of 附表1–3 cannot be fitted to this book (too few distinct values), one
    finding per table; the table in force is kept for it.

    Parameters
    ----------
    tier_table : DataFrame
        The tiered table (``assign_tiers(...).table``); only its scored columns are read.
    policy : Policy
    """
    out = []
    for name, (column, _, _) in TABLE_MEASURES.items():
        n_bands = len(getattr(policy.conversion_tables, name).coefficients)
        v = np.asarray(tier_table[column], dtype=float)
        distinct = len(np.unique(v[np.isfinite(v)]))
        if distinct < n_bands:
            out.append(note("calibrate.unfittable", annex=TABLE_MEASURES[name][2], distinct=distinct, bands=n_bands))
    return out


def band_shares(tier_table: pd.DataFrame, policy: Policy, fitted: dict[str, BandTable]) -> pd.DataFrame:
    """Share of customers per band of 附表1–3 under the assumed and the fitted edges.

    Parameters
    ----------
    tier_table : DataFrame
    policy : Policy
        Gives the assumed tables.
    fitted : dict of str to BandTable
        From :func:`fitted_tables`.

    Returns
    -------
    DataFrame
        Long form: table, edges (assumed/fitted), band, lower_edge [unit of the table],
        coefficient [0–1], share [share].
    """
    rows = []
    for name, (column, unit, annex) in TABLE_MEASURES.items():
        v = tier_table[column].to_numpy(dtype=float)
        for kind, table in (("assumed", getattr(policy.conversion_tables, name)), ("fitted", fitted[name])):
            idx = np.searchsorted(np.asarray(table.breaks, dtype=float), v, side="right")
            counts = np.bincount(idx, minlength=len(table.coefficients))
            lower = [-np.inf] + list(table.breaks)
            for b, (edge, coef) in enumerate(zip(lower, table.coefficients)):
                rows.append({"table": annex, "edges": kind, "band": b + 1,
                             "lower_edge": edge, "coefficient": coef,
                             "share": round(counts[b] / len(v), 4)})
    return pd.DataFrame(rows)


def band_shares_wide(shares: pd.DataFrame) -> pd.DataFrame:
    """:func:`band_shares` side by side: one row per table and band, one column per set of
    edges (``assumed``, ``fitted``), values the share of customers in the band [share]."""
    return shares.pivot_table(index=["table", "band"], columns="edges", values="share")


def table_changes(policy: Policy, fitted: dict[str, BandTable]) -> dict[str, list[float]]:
    """``Policy.with_values`` changes that put the fitted 附表1–3 band edges in force.

    Parameters
    ----------
    policy : Policy
    fitted : dict of str to BandTable

    Returns
    -------
    dict
        Dotted path → new band edges, for the tables whose edges differ.
    """
    return {f"conversion_tables.{name}.breaks": t.breaks for name, t in fitted.items()
            if t.breaks != getattr(policy.conversion_tables, name).breaks}


def gold_list_change(before: Tiering, after: Tiering) -> pd.DataFrame:
    """Customers whose Gold status (第13条) differs between two tierings.

    Parameters
    ----------
    before, after : Tiering

    Returns
    -------
    DataFrame
        Indexed by customer_id: change (``enters_gold``/``leaves_gold``, words in the vocabulary), pool, rank_before,
        rank_after, value_index_before, value_index_after [-].
    """
    b = before.table.set_index("customer_id")
    a = after.table.set_index("customer_id")
    gb, ga = b["tier"] == "gold", a["tier"] == "gold"
    moved = gb.index[gb.to_numpy() != ga.reindex(gb.index).to_numpy()]
    out = pd.DataFrame({
        "change": np.where(ga.reindex(moved).to_numpy(), "enters_gold", "leaves_gold"),
        "pool": b.loc[moved, "gold_pool"].astype(str).to_numpy(),
        "rank_before": b.loc[moved, "gold_rank"].array,  # nullable: blank where not ranked
        "rank_after": a.loc[moved, "gold_rank"].array,
        "value_index_before": b.loc[moved, "value_index"].round(4).to_numpy(),
        "value_index_after": a.loc[moved, "value_index"].round(4).to_numpy(),
    }, index=pd.Index(moved, name="customer_id"))
    return out.sort_values(["change", "pool", "rank_after"])
