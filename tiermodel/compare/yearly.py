"""Last year's list against this year's (第8条: the VIP list is published at the start of each year).

:func:`year_over_year` answers the committee's first question — who enters, who leaves, and
why — with a transition matrix, the changes with their reasons (:mod:`.changes`), entrants
and leavers per branch and class, and this year's Gold list with last year's rank beside it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..notes import Note, note
from ..policy import Policy
from ..result import Result
from ..tiers import Tiering
from .changes import transitions
from .standings import STATES, places, standing



def _table_of(x) -> pd.DataFrame:
    return x.table if isinstance(x, Tiering) else x


def transition_matrix(table: pd.DataFrame) -> pd.DataFrame:
    """Customers by state before (rows) and after (columns), with totals."""
    m = pd.crosstab(table["before"], table["after"], dropna=False)
    m = m.reindex(index=STATES, columns=STATES, fill_value=0)
    m.loc["total"] = m.sum()
    m["total"] = m.sum(axis=1)
    m.index.name, m.columns.name = "before", "after"
    return m


def entrants_leavers(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """Gold and Silver entrants and leavers per ``by`` (``branch`` or ``branch_class``), with totals.

    An entrant holds the tier after and did not before (a Silver promoted to Gold is a Gold
    entrant and a Silver leaver); ``*_net`` = entrants − leavers.
    """
    before, after = table["before"].cat.codes.to_numpy(), table["after"].cat.codes.to_numpy()
    moved = np.flatnonzero(before != after)
    before, after = before[moved], after[moved]
    cols = {}
    for code, tier in ((0, "gold"), (1, "silver")):
        cols[f"{tier}_in"] = (after == code) & (before != code)
        cols[f"{tier}_out"] = (before == code) & (after != code)
    frame = pd.DataFrame(cols)
    frame[by] = np.asarray(table[by].iloc[moved], dtype=object).astype(str)
    out = frame.groupby(by, sort=True).sum().astype(np.int64)
    out = out[(out != 0).any(axis=1)]
    out.loc["total"] = out.sum()
    for tier in ("gold", "silver"):
        out[f"{tier}_net"] = out[f"{tier}_in"] - out[f"{tier}_out"]
    return out


def reason_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Changed customers per reason code and move (before → after)."""
    ch = table[table["change"] != "same"]
    move = ch["before"].astype(str) + " → " + ch["after"].astype(str)
    out = pd.crosstab(ch["reason_code"].astype(str), move)
    out.index.name, out.columns.name = "reason_code", "move"
    return out


@dataclass
class YearOverYear(Result):
    """Result of :func:`year_over_year`: every customer of either year, before and after."""

    last_year: int | None
    this_year: int | None
    table: pd.DataFrame
    gold: pd.DataFrame
    notes: list = field(default_factory=list)

    def changes(self) -> pd.DataFrame:
        """Customers whose state changed, VIP moves first, each with its reason code and reason (a note)."""
        ch = self.table[self.table["change"] != "same"]
        vip = (ch["before"].isin(["gold", "silver"]) | ch["after"].isin(["gold", "silver"])).to_numpy()
        order = np.lexsort((ch["customer_id"].to_numpy(dtype=str), ch["after"].cat.codes.to_numpy(),
                            ch["before"].cat.codes.to_numpy(), ~vip))
        return ch.iloc[order].reset_index(drop=True)

    def matrix(self) -> pd.DataFrame:
        return transition_matrix(self.table)

    def rates(self) -> pd.DataFrame:
        """Observed stay, drop and entry rates by tier [share of last year's tier count]."""
        return observed_rates(self.table, self.last_year, self.this_year)

    def vip_moves(self) -> pd.DataFrame:
        """:meth:`changes` of the customers who enter or leave a Gold or Silver list."""
        ch = self.changes()
        return ch[(ch["before"].isin(["gold", "silver"]) | ch["after"].isin(["gold", "silver"])).to_numpy()] \
            .reset_index(drop=True)

    def reason_totals(self) -> pd.DataFrame:
        """The VIP moves per reason code (``reason_code``, ``customers``), most first."""
        codes = self.vip_moves()["reason_code"].astype(str).value_counts()
        return codes[codes > 0].rename_axis("reason_code").rename("customers").reset_index()

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"transition matrix": self.matrix(), "changes": self.changes(),
                "reasons": reason_counts(self.table),
                "movers by branch": entrants_leavers(self.table, "branch"),
                "movers by class": entrants_leavers(self.table, "branch_class"),
                "gold list vs last year": self.gold, "observed rates": self.rates(),
                "notes": pd.DataFrame({"note": pd.Series(list(self.notes), dtype=object)})}


def observed_rates(table: pd.DataFrame, last_year=None, this_year=None) -> pd.DataFrame:
    """Stay, drop and enter rates per VIP tier between two lists.

    ``stay`` = share of last year's tier still in it; ``churn`` = 1 − stay (dropped a tier,
    moved up, or left the book); ``new`` = this year's entrants to the tier ÷ last year's
    count — the shapes of ``budget_assumptions.vip_count_scenarios`` [share].
    """
    before, after = table["before"], table["after"]
    rows = []
    for tier in ("gold", "silver"):
        n_before = int((before == tier).sum())
        stay = int(((before == tier) & (after == tier)).sum())
        enter = int(((after == tier) & (before != tier)).sum())
        rows.append({"from_year": last_year, "to_year": this_year, "tier": tier, "count_before": n_before,
                     "count_after": int((after == tier).sum()), "stayed": stay, "entered": enter,
                     "stay_rate": stay / n_before if n_before else np.nan,
                     "churn_rate": 1 - stay / n_before if n_before else np.nan,
                     "new_rate": enter / n_before if n_before else np.nan})
    return pd.DataFrame(rows)


def tier_rates(last: pd.DataFrame, this: pd.DataFrame, last_year=None, this_year=None) -> pd.DataFrame:
    """:func:`observed_rates` between two lists from their Gold and Silver customers alone.

    The same figures as ``year_over_year(last, this, ...).rates()`` without a row per customer:
    a tier's stayers are the ids in that tier in both lists, its entrants this year's count less
    the stayers (第8条, the yearly list). Regular customers, and customers in only one book,
    count nowhere, so either list may be given as its VIP rows only.

    Parameters
    ----------
    last, this : DataFrame
        ``customer_id`` and ``tier`` (gold, silver, regular) of each list; a ``Tiering.table``,
        one year of history, or their VIP rows.
    last_year, this_year : int, optional
        Years of the two lists, for the ``from_year`` and ``to_year`` columns.

    Returns
    -------
    DataFrame
        As :func:`observed_rates`: ``count_before``, ``count_after``, ``stayed``, ``entered``
        [customers], ``stay_rate``, ``churn_rate``, ``new_rate`` [share of last year's count].
    """
    rows = []
    for tier in ("gold", "silver"):
        ids_before = set(last["customer_id"].to_numpy()[(last["tier"] == tier).to_numpy()].tolist())
        ids_after = set(this["customer_id"].to_numpy()[(this["tier"] == tier).to_numpy()].tolist())
        n_before, n_after = len(ids_before), len(ids_after)
        stay = len(ids_before & ids_after)
        rows.append({"from_year": last_year, "to_year": this_year, "tier": tier, "count_before": n_before,
                     "count_after": n_after, "stayed": stay, "entered": n_after - stay,
                     "stay_rate": stay / n_before if n_before else np.nan,
                     "churn_rate": 1 - stay / n_before if n_before else np.nan,
                     "new_rate": (n_after - stay) / n_before if n_before else np.nan})
    return pd.DataFrame(rows)


def year_over_year(last, this, policy: Policy, last_policy: Policy | None = None,
                   last_year: int | None = None, this_year: int | None = None,
                   capacity: pd.Series | None = None, overridden=None) -> YearOverYear:
    """Compare last year's tier list with this year's (第8条, 第11–13条).

    Parameters
    ----------
    last : DataFrame or Tiering
        Last year's list: one year of :func:`tiermodel.history.read_history` (the ``tier``
        output of that year, or the minimal customer/year/tier table), or a ``Tiering``.
    this : Tiering or DataFrame
        This year's list.
    policy : Policy
        The policy in force this year: its 第11条 thresholds judge this year's figures.
    last_policy : Policy, optional
        The policy of last year's list (default: ``policy``); its weights split last year's
        value index into parts.
    last_year, this_year : int, optional
        Years, for the titles (default: from the history's ``year`` column).
    capacity : Series, optional
        This year's Silver places per branch (default: ``this.capacity`` of a Tiering).
    overridden : array of bool, optional
        Customers of ``this`` forced in or out by head office.

    Returns
    -------
    YearOverYear
    """
    last_table, this_table = _table_of(last), _table_of(this)
    if last_year is None and "year" in last_table and len(last_table):
        last_year = int(last_table["year"].iloc[0])
    if this_year is None and "year" in this_table and len(this_table):
        this_year = int(this_table["year"].iloc[0])
    if capacity is None and isinstance(this, Tiering):
        capacity = this.capacity
    last_policy = last_policy or policy
    st_b, st_a = standing(last_table, last_policy), standing(this_table, policy)
    pl_b, pl_a = places(st_b, last_policy), places(st_a, policy, capacity)
    table = transitions(st_b, st_a, pl_b, pl_a, policy, overridden)
    gold = gold_with_last_rank(table, this_table)
    notes = _notes(table, last_year, this_year, st_b)
    return YearOverYear(last_year, this_year, table, gold, notes)


def gold_with_last_rank(table: pd.DataFrame, tier_table: pd.DataFrame) -> pd.DataFrame:
    """This year's Gold list, pool then rank, with last year's tier, rank and value index beside.

    ``table`` is :func:`year_over_year`'s, whose first rows are ``tier_table``'s in its order.
    """
    gold = np.flatnonzero((tier_table["tier"] == "gold").to_numpy())
    cols = [c for c in ("gold_pool", "tier_rank", "customer_id", "branch", "branch_class", "value_index")
            if c in tier_table]
    g = tier_table.iloc[gold][cols].reset_index(drop=True)
    t = table.iloc[gold].reset_index(drop=True)
    g = g.assign(last_tier=t["before"].astype(str), last_rank=t["rank_before"],
                 last_value_index=t["value_index_before"], reason_code=t["reason_code"].astype(str),
                 reason=t["reason"].to_numpy())
    return g.sort_values([c for c in ("gold_pool", "tier_rank") if c in cols]).reset_index(drop=True)


def _notes(table: pd.DataFrame, last_year, this_year, st_before) -> list[Note]:
    """What the comparison found, as notes: each VIP tier's count before and after, the book's
    leavers and joiners, and what last year's list lacks."""
    ly = note("compare.year", year=last_year) if last_year is not None else note("compare.year.last")
    ty = note("compare.year", year=this_year) if this_year is not None else note("compare.year.this")
    before, after = table["before"], table["after"]
    notes = []
    for tier in ("gold", "silver"):
        b, a = int((before == tier).sum()), int((after == tier).sum())
        stay = int(((before == tier) & (after == tier)).sum())
        notes.append(note("compare.yoy.tier", tier=tier, last_year=ly, this_year=ty, before=b, after=a, stayed=stay,
                          left=b - stay, entered=a - stay))
    notes.append(note("compare.yoy.book", left=int((table["change"] == "left").sum()),
                      joined=int((table["change"] == "joined").sum())))
    if np.isnan(st_before["premium_part"]).all():
        notes.append(note("compare.yoy.no_components", last_year=ly))
    if (st_before["gold_bits"] < 0).all():
        notes.append(note("compare.yoy.no_figures", last_year=ly))
    return notes
