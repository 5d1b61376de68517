"""The one budget figure the committee approves, and how it moved against last year (第26条 2,
第27条 2, 附件七).

The budget of the decision is the 附件七 cost of the approved lists of the year under review
(:class:`~tiermodel.compare.ServiceYear`) for their service year, at that year's prices
(:func:`decision_budget`). The Monte Carlo P50 and P95 of the same year are the range around
it; a forecast of the next year is carried apart and labelled as a forecast. With last year's
lists, :func:`budget_change` sets last year's lists at last year's prices beside this year's
and splits the change into a count effect and a price effect:

* count effect = this year's lists at last year's prices − last year's lists at last year's prices;
* price effect = this year's lists at this year's prices − this year's lists at last year's prices;

so that the two add up to the change.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..notes import note
from ..policy import Policy
from ..result import Result
from ..scoring import with_columns
from ..tiers import Tiering
from .service_year import ServiceYear, date_year


@dataclass
class DecisionBudget(Result):
    """The budget the committee approves (result of :func:`decision_budget`) [CNY].

    ``total`` is 附件七 for the approved lists at ``year`` prices; ``p50`` / ``p95`` the
    Monte Carlo of the same year (None without a simulation); ``by_tier`` the cost and
    customers by tier; ``change`` :func:`budget_change` against last year (None without
    last year's lists); ``next_year`` the forecast of the next year (``forecast_year``,
    P50 and P95), None where not asked for.
    """

    year: int
    total: float
    by_tier: pd.DataFrame
    p50: float | None = None
    p95: float | None = None
    change: pd.DataFrame | None = None
    next_year: pd.DataFrame | None = None

    def headline(self) -> pd.DataFrame:
        """One row per figure: the budget, its range, and (labelled) the next year's forecast."""
        rows = [{"figure": "budget", "year": self.year, "cost_cny": self.total},
                {"figure": "P50", "year": self.year, "cost_cny": self.p50},
                {"figure": "P95", "year": self.year, "cost_cny": self.p95}]
        if self.next_year is not None:
            rows += [{"figure": f"forecast {q}", "year": int(self.next_year["year"].iat[0]),
                      "cost_cny": float(self.next_year[q].iat[0])} for q in ("P50", "P95")]
        return pd.DataFrame(rows)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The budget and its range, by tier, and against last year where known."""
        out = {"decision budget": self.headline(), "decision budget by tier": self.by_tier}
        if self.change is not None:
            out["budget against last year"] = self.change
        return out


def decision_budget(year: ServiceYear, policy: Policy, sims: int = 0, seed: int = 2003,
                    last: ServiceYear | None = None, forecast_year: int | None = None) -> DecisionBudget:
    """The budget of the decision: 附件七 for the approved lists, their service year, that year's prices.

    Parameters
    ----------
    year : ServiceYear
        The year under review (:func:`tiermodel.compare.review_year`).
    policy : Policy
    sims : int
        Simulated years of the range (P50, P95) [years]; 0 leaves the range out.
    seed : int
        Seed of the simulation.
    last : ServiceYear, optional
        Last year's lists (:func:`last_year_review`): the change against them.
    forecast_year : int, optional
        A year after the service year to forecast (P50, P95 at its prices), labelled as a
        forecast; None leaves it out.

    Returns
    -------
    DecisionBudget
        Amounts in CNY at the service year's prices (the forecast at its own year's).
    """
    from .. import budget

    est = budget.estimate(year, policy, year.year)
    by_tier = est.by_tier()
    p50 = p95 = None
    next_year = None
    if sims:
        q = budget.simulate(year, policy, year.year, sims, seed).quantiles("total").iloc[0]
        p50, p95 = float(q["P50"]), float(q["P95"])
        if forecast_year is not None:
            f = budget.simulate(year, policy, int(forecast_year), sims, seed).quantiles("total").iloc[0]
            next_year = pd.DataFrame({"year": [int(forecast_year)], "P50": [float(f["P50"])],
                                      "P95": [float(f["P95"])]})
    change = budget_change(year, last, policy) if last is not None else None
    return DecisionBudget(year.year, float(est.total), by_tier, p50, p95, change, next_year)


def budget_change(this: ServiceYear, last: ServiceYear, policy: Policy) -> pd.DataFrame:
    """This year's budget against last year's, split into a count and a price effect [CNY].

    Returns
    -------
    DataFrame
        Rows ``gold``, ``silver``, ``total``: ``customers_last``, ``customers_this``
        [customers], ``cost_last_cny`` (last year's lists, last year's prices),
        ``cost_this_cny`` (this year's lists, this year's prices), ``change_cny``,
        ``change_share`` [share of last year's], ``count_effect_cny`` (this year's lists at
        last year's prices less last year's cost) and ``price_effect_cny`` (the rest).
    """
    from .. import budget

    a = budget.estimate(last, policy, last.year).by_tier()
    b_old = budget.estimate(this, policy, last.year).by_tier()
    b = budget.estimate(this, policy, this.year).by_tier()
    rows = ["gold", "silver", "total"]
    col = "cost_cny"
    out = pd.DataFrame({
        "customers_last": a["customers"].reindex(rows).fillna(0).astype(int),
        "customers_this": b["customers"].reindex(rows).fillna(0).astype(int),
        "cost_last_cny": a[col].reindex(rows).fillna(0.0),
        "cost_this_cny": b[col].reindex(rows).fillna(0.0),
    }, index=pd.Index(rows, name="tier"))
    at_old = b_old[col].reindex(rows).fillna(0.0)
    out["change_cny"] = out["cost_this_cny"] - out["cost_last_cny"]
    last_cost = out["cost_last_cny"].to_numpy()
    out["change_share"] = np.divide(out["change_cny"].to_numpy(), last_cost,
                                    out=np.full(len(out), np.nan), where=last_cost != 0)
    out["count_effect_cny"] = at_old - out["cost_last_cny"]
    out["price_effect_cny"] = out["cost_this_cny"] - at_old
    out.attrs.update(last_year=int(last.year), this_year=int(this.year))
    return out.reset_index()


def last_year_review(this: Tiering, last_list: pd.DataFrame, policy: Policy, last_year: int,
                     before_last: pd.DataFrame | None = None) -> ServiceYear:
    """Last year's lists as a year under review, for :func:`budget_change`.

    Last year's list (``customer_id``, ``tier``) names the tiers; each customer's branch,
    class and key persons come from this year's book (a customer of last year's list no
    longer in the book is left out, and counted in the notes). Months of service follow the
    one rule (:func:`tiermodel.service_period.service_dates`): continuing where the list of
    the year before (``before_last``) had the same tier, else the flagged default.
    """
    t = this.table
    tiers = pd.Series(last_list["tier"].astype(str).to_numpy(), index=last_list["customer_id"].astype(str))
    tiers = tiers[~tiers.index.duplicated()]
    held = tiers.reindex(t["customer_id"].astype(str)).fillna("regular").to_numpy()
    table = with_columns(t, {"tier": pd.Categorical(held, categories=["gold", "silver", "regular"]),
                             "is_new": np.zeros(len(t), dtype=bool)})
    table = table.drop(columns=[c for c in ("previous_tier", "service_start", "service_months", "approval_date",
                                            "date_reading") if c in table])
    dated = date_year(table.assign(override=False), policy, last_year, previous=before_last)
    vip = tiers[tiers.isin(["gold", "silver"])]
    gone = int((~vip.index.isin(t["customer_id"].astype(str))).sum())
    notes = [note("compare.last_year_lists", year=int(last_year), vips=len(vip), gone=gone)]
    empty = pd.DataFrame(columns=["customer_id", "action", "tier", "tier_before", "tier_after", "reason",
                                  "approver", "date", "service_start"])
    return ServiceYear(Tiering(dated, notes, this.capacity), empty, int(last_year), notes)


__all__ = ["DecisionBudget", "budget_change", "decision_budget", "last_year_review"]


# ----------------------------------------------------------------------------- page 00
@dataclass
class DecisionFacts(Result):
    """What the committee is asked to approve, in the order page 00 shows it (issue 22 item 6).

    ``counts``: Gold (existing and new pools) and Silver against the places; ``budget`` the
    one figure with its range and the change against last year; ``gold_moves`` the Gold
    entrants and leavers by name with a reason (a note, rendered in the page language); ``silver_moves`` Silver
    entrants and leavers [customers]; ``robust`` / ``contested`` the Gold list under the lost
    附表1–3 (page 08; None where not computed); ``parameters`` the three parameters that move
    the Gold list most (page 03; None where not computed); ``deadlines`` the 15 January check;
    ``sample`` True where sample data is used.
    """

    year: int
    counts: dict
    budget: DecisionBudget
    gold_moves: pd.DataFrame | None = None
    silver_moves: dict | None = None
    robust: int | None = None
    contested: pd.DataFrame | None = None
    parameters: pd.DataFrame | None = None
    deadlines: pd.DataFrame | None = None
    sample: bool = False

    def tables(self) -> dict[str, pd.DataFrame]:
        """The budget, the Gold moves, the contested customers and the parameters."""
        out = dict(self.budget.tables())
        for key, table in (("gold moves", self.gold_moves), ("contested gold", self.contested),
                           ("top parameters", self.parameters), ("deadlines", self.deadlines)):
            if table is not None:
                out[key] = table
        return out


def decision_facts(year: ServiceYear, policy: Policy, budget: DecisionBudget, changes: pd.DataFrame | None = None,
                   odds: pd.DataFrame | None = None, tornado: pd.DataFrame | None = None,
                   deadlines: pd.DataFrame | None = None, sample: bool = False) -> DecisionFacts:
    """The facts of the decision page from the results the other pages compute.

    Parameters
    ----------
    year : ServiceYear
        The year under review.
    budget : DecisionBudget
        :func:`decision_budget` of ``year``.
    changes : DataFrame, optional
        :meth:`YearOverYear.changes` of last year's list against ``year``'s.
    odds : DataFrame, optional
        Page 08's Gold odds under the lost 附表 (``customer_id``, ``gold_status``, ``p_gold``).
    tornado : DataFrame, optional
        Page 03's tornado (indexed by parameter path; ``max_gold_swaps``).
    deadlines : DataFrame, optional
        :func:`deadline_check`.
    sample : bool
        Sample data is used.
    """
    t = year.table
    tier = t["tier"].astype(str).to_numpy()
    new = t["is_new"].to_numpy(dtype=bool)
    gs = policy.gold_selection
    gold = tier == "gold"
    counts = {"gold": int(gold.sum()), "gold_existing": int((gold & ~new).sum()), "gold_new": int((gold & new).sum()),
              "places": gs.existing_places + gs.new_places, "existing_places": gs.existing_places,
              "new_places": gs.new_places, "silver": int((tier == "silver").sum()),
              "silver_branches": int(t.loc[tier == "silver", "branch"].nunique())}
    counts["unfilled"] = counts["places"] - counts["gold"]
    names = dict(zip(t["customer_id"].astype(str), t["name"].astype(str))) if "name" in t else {}
    return DecisionFacts(int(year.year), counts, budget, *_moves(changes, names), *_contested(odds, gold, t),
                         _top_parameters(tornado), deadlines, bool(sample))


def _moves(changes: pd.DataFrame | None, names: dict) -> tuple[pd.DataFrame | None, dict | None]:
    if changes is None:
        return None, None
    before, after = changes["before"].astype(str), changes["after"].astype(str)
    into, out_of = (after == "gold") & (before != "gold"), (before == "gold") & (after != "gold")
    g = changes.loc[into | out_of, ["customer_id", "branch", "reason_code", "reason"]].copy()
    g.insert(0, "move", np.where(into[into | out_of], "in", "out"))
    g.insert(2, "name", g["customer_id"].astype(str).map(names).fillna(""))
    g = g.sort_values(["move", "customer_id"]).reset_index(drop=True)
    silver = {"in": int(((after == "silver") & (before != "silver")).sum()),
              "out": int(((before == "silver") & (after != "silver")).sum())}
    return g, silver


def _contested(odds: pd.DataFrame | None, gold: np.ndarray, t: pd.DataFrame) -> tuple[int | None, pd.DataFrame | None]:
    if odds is None or "gold_status" not in odds:
        return None, None
    status = pd.Series(odds["gold_status"].astype(str).to_numpy(), index=odds["customer_id"].astype(str))
    on_list = t.loc[gold, "customer_id"].astype(str)
    robust = int((status.reindex(on_list) == "robust core").sum())
    c = odds[odds["gold_status"].astype(str) == "contested"].sort_values(["p_gold", "customer_id"],
                                                                          ascending=[False, True])
    names = pd.Series(t["name"].astype(str).to_numpy() if "name" in t else t["customer_id"].astype(str).to_numpy(),
                      index=t["customer_id"].astype(str))
    out = pd.DataFrame({"customer_id": c["customer_id"].astype(str).to_numpy(),
                        "name": c["customer_id"].astype(str).map(names).fillna("").to_numpy(),
                        "branch": c["branch"].astype(str).to_numpy(), "p_gold": c["p_gold"].to_numpy()})
    return robust, out


def _top_parameters(tornado: pd.DataFrame | None) -> pd.DataFrame | None:
    if tornado is None or not len(tornado):
        return None
    top = tornado.head(3)
    return pd.DataFrame({"parameter": top.index.astype(str), "low": top["low"].to_numpy(),
                         "high": top["high"].to_numpy(), "max_gold_swaps": top["max_gold_swaps"].to_numpy()})


__all__ += ["DecisionFacts", "decision_facts"]
