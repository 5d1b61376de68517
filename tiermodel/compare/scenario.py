"""A scenario's tier list against the base policy's, on the same book.

:func:`compare_tierings` says what a scenario changes: the parameters (base value → scenario
value), the customers who move and why (the reasons of :mod:`.changes`, now caused by the
parameters, not by the business), the counts by tier, branch and class, and the change in
the 附件七 VIP service budget (第26条 2).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import budget
from ..policy import Policy, describe
from ..result import Result
from ..tiers import Tiering
from ..notes import note
from .changes import Amount, transitions
from .standings import places, standing
from .yearly import entrants_leavers, reason_counts, transition_matrix


def parameter_changes(base: Policy, scenario: Policy) -> pd.DataFrame:
    """Every parameter whose value differs: ``path``, ``base_value``, ``scenario_value``,
    ``kind``, ``article`` (the source), ``reason_zh`` and ``reason_en`` (of an assumption).

    Values are kept as they are (a table value as its mapping); the present layer shows them
    in words and the path by its reader's name. Empty when the two agree.
    """
    base_rows = {r["path"]: r for r in describe(base)}
    rows = []
    for r in describe(scenario):
        b = base_rows.get(r["path"])
        if b is None or b["value"] != r["value"]:
            rows.append({"path": r["path"], "base_value": None if b is None else b["value"],
                         "scenario_value": r["value"], "kind": r["kind"], "article": r["source"] or "",
                         "reason_zh": r["reason_zh"] or "", "reason_en": r["reason_en"] or ""})
    return pd.DataFrame(rows, columns=PARAMETER_CHANGE_COLUMNS)


#: Columns of :func:`parameter_changes`.
PARAMETER_CHANGE_COLUMNS = ["path", "base_value", "scenario_value", "kind", "article", "reason_zh", "reason_en"]


def _tier_counts(codes: np.ndarray, cats, tier: np.ndarray, by: str) -> pd.DataFrame:
    """Customers per ``by`` and tier (codes 0–2; 3 = not in the list, not counted), with totals."""
    keep = tier < 3
    m = np.bincount(codes[keep].astype(np.int64) * 3 + tier[keep], minlength=len(cats) * 3).reshape(-1, 3)
    out = pd.DataFrame(m, index=pd.Index(np.asarray(cats).astype(str), name=by),
                       columns=pd.Index(["gold", "silver", "regular"], name="tier"))
    out = out[out.sum(axis=1) > 0]
    out["total"] = out.sum(axis=1)
    out.loc["total"] = out.sum()
    return out


def _counts(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """Counts by ``by`` and tier of both lists (``before`` = base) and the change, from the comparison."""
    col = table[by]
    codes, cats = col.cat.codes.to_numpy(), col.cat.categories
    b = _tier_counts(codes, cats, table["before"].cat.codes.to_numpy().astype(np.int64), by)
    s = _tier_counts(codes, cats, table["after"].cat.codes.to_numpy().astype(np.int64), by)
    idx = b.index.union(s.index, sort=False)
    b, s = b.reindex(idx, fill_value=0), s.reindex(idx, fill_value=0)
    out = pd.concat({"base": b, "scenario": s, "change": s - b}, axis=1)
    out.columns = [f"{tier}_{side}" for side, tier in out.columns]
    order = [f"{t}_{side}" for t in ("gold", "silver", "regular", "total") for side in ("base", "scenario", "change")]
    return out[order]


def budget_change(base: pd.DataFrame, scen: pd.DataFrame, base_policy: Policy, scenario_policy: Policy,
                  year: int | None = None) -> pd.DataFrame:
    """附件七 budget of both lists by tier: customers and cost [CNY], and the change."""
    eb = budget.estimate(base, base_policy, year).by_tier()
    es = budget.estimate(scen, scenario_policy, year).by_tier()
    out = pd.DataFrame({"customers_base": eb["customers"], "customers_scenario": es["customers"],
                        "cost_base_cny": eb["cost_cny"], "cost_scenario_cny": es["cost_cny"]})
    out["cost_change_cny"] = out["cost_scenario_cny"] - out["cost_base_cny"]
    out["cost_change_share"] = out["cost_change_cny"] / out["cost_base_cny"].where(out["cost_base_cny"] > 0)
    return out


@dataclass
class Comparison(Result):
    """Result of :func:`compare_tierings`."""

    base_name: str
    scenario_name: str
    parameters: pd.DataFrame
    table: pd.DataFrame
    counts_by_class: pd.DataFrame
    counts_by_branch: pd.DataFrame
    budget: pd.DataFrame | None
    year: int | None
    notes: list = field(default_factory=list)

    def changes(self) -> pd.DataFrame:
        ch = self.table[self.table["change"] != "same"]
        order = np.lexsort((ch["customer_id"].to_numpy(dtype=str), ch["after"].cat.codes.to_numpy(),
                            ch["before"].cat.codes.to_numpy()))
        return ch.iloc[order].reset_index(drop=True)

    def tables(self) -> dict[str, pd.DataFrame]:
        out = {"parameter changes": self.parameters, "transition matrix": transition_matrix(self.table),
               "list changes": self.changes(), "reasons": reason_counts(self.table),
               "counts by class": self.counts_by_class, "counts by branch": self.counts_by_branch,
               "movers by branch": entrants_leavers(self.table, "branch")}
        if self.budget is not None:
            out["budget change"] = self.budget
        out["notes"] = pd.DataFrame({"note": pd.Series(list(self.notes), dtype=object)})
        return out


def compare_tierings(base: Tiering, scenario: Tiering, base_policy: Policy, scenario_policy: Policy,
                     year: int | None = None, with_budget: bool = True) -> Comparison:
    """Compare two tierings of the same book: a scenario against the 2003 policy, or two scenarios.

    Parameters
    ----------
    base, scenario : Tiering
        :func:`tiermodel.tiers.assign_tiers` of the same portfolio under each policy.
    base_policy, scenario_policy : Policy
    year : int, optional
        Budget year (unit costs carried from 2003 by the price index; default 2003).
    with_budget : bool
        Also cost both lists with :func:`tiermodel.budget.estimate` (附件七).

    Returns
    -------
    Comparison
        Parameter differences, every customer before (base) and after (scenario) with the
        reason for each move, counts by class and branch, and the budget change.
    """
    st_b = standing(base.table, base_policy)
    st_a = standing(scenario.table, scenario_policy, like=st_b)
    pl_b = places(st_b, base_policy, base.capacity)
    pl_a = places(st_a, scenario_policy, scenario.capacity)
    table = transitions(st_b, st_a, pl_b, pl_a, scenario_policy)
    params = parameter_changes(base_policy, scenario_policy)
    spend = budget_change(base.table, scenario.table, base_policy, scenario_policy, year) if with_budget else None
    name_b = base_policy.scenario or "policy-2003"
    name_s = scenario_policy.scenario or "policy-2003"
    moved = int((table["change"] != "same").sum())
    notes = [note("compare.scenario", scenario=name_s, base=name_b, parameters=len(params), moved=moved,
                  customers=len(table))]
    if spend is not None:
        total = spend.loc["total"]
        notes.append(note("compare.scenario_budget", year=note("compare.nothing") if year is None else
                          note("compare.budget_year", year=int(year)), base=Amount(total["cost_base_cny"]),
                          scenario=Amount(total["cost_scenario_cny"]), change=Amount(total["cost_change_cny"])))
    return Comparison(name_b, name_s, params, table, _counts(table, "branch_class"), _counts(table, "branch"),
                      spend, year, notes)
