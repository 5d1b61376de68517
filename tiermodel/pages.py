"""Facts a report page opens with, gathered from a run's inputs (app side: reads the data file
to hash it). The present layer's :func:`tiermodel.present.page_header` draws them."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .present.html import Html
from .present.page import header
from .run_inputs import RunInputs

#: Columns of the summary page's Gold list, names first: the 第13条 pool (已承保客户 existing /
#: 本年新客户 new) stands beside the rank, which restarts at 1 in each pool (30 + 10 places).
SUMMARY_GOLD_COLUMNS = ["gold_pool", "tier_rank", "customer_id", "name", "branch", "branch_class", "value_index"]


def data_source(inputs: RunInputs) -> tuple[str, str, bool]:
    """The data source of a run: (name, SHA-256 hex, is the sample) — :meth:`RunInputs.data_source`."""
    return inputs.data_source()


def run_page_header(inputs: RunInputs, title: str, about: str = "", lang: str = "zh",
                    amount_unit: str | None = None, run_date: dt.date | str | None = None) -> Html:
    """The page header of a report notebook — :func:`tiermodel.present.page.header`, under its
    old name for the pages not yet converted to the page helper (00, 04, 05, 06, 07)."""
    return header(inputs, title, about, lang, amount_unit, run_date)


def summary_gold_list(gold: pd.DataFrame) -> pd.DataFrame:
    """The Gold list of page 00: each customer's pool (第13条: existing or new customers) beside
    its rank within that pool, then id, name, branch, class and value index (第10条).

    Parameters
    ----------
    gold : DataFrame
        ``TierResult.tables()["gold list"]`` (``gold_pool``, ``tier_rank`` [rank in the pool], …).

    Returns
    -------
    DataFrame
        The columns of :data:`SUMMARY_GOLD_COLUMNS` the list has, existing pool first, by rank.
    """
    columns = [c for c in SUMMARY_GOLD_COLUMNS if c in gold.columns]
    out = gold[columns]
    if {"gold_pool", "tier_rank"} <= set(columns):
        pool_order = out["gold_pool"].map({"existing": 0, "new": 1}).fillna(2)
        out = out.assign(_pool=pool_order).sort_values(["_pool", "tier_rank"], kind="stable").drop(columns="_pool")
    return out.reset_index(drop=True)


def run_decision(inputs: RunInputs, year: int, history: str = "", history_year: int | None = None,
                 overrides: str = "", nominations: str = "", sims: int = 0, seed: int = 2003,
                 forecast_year: int | None = None, tornado: pd.DataFrame | None = None,
                 odds: pd.DataFrame | None = None, gold_list_date: str = "", revisit_plan_date: str = ""):
    """The facts of the decision page (page 00) for a run: the year under review, the one
    budget figure and its range, the change against last year, the Gold moves with reasons,
    the contested Gold customers (page 08's ``odds``), the three parameters that move the
    Gold list most (page 03's ``tornado``) and the 15 January check.

    Returns
    -------
    (ServiceYear, DecisionFacts)
        The year under review every page takes, and :func:`tiermodel.compare.decision_facts`.
    """
    from .compare import deadline_check, decision_budget, decision_facts, year_over_year
    from .cycle_inputs import date_or_none, load_cycle

    policy = inputs.policy
    cycle = load_cycle(inputs, year, history, history_year or None, overrides, nominations)
    tiering = inputs.tiering()
    review = cycle.review(tiering, policy)
    last = cycle.last_review(tiering, policy)
    money = decision_budget(review, policy, sims, seed, last, forecast_year)
    changes = None
    if cycle.history is not None:
        changes = year_over_year(cycle.last(), review.tiering, policy, last_year=cycle.last_year,
                                 this_year=year).changes()
    sample_dates = cycle.sample and not (gold_list_date or revisit_plan_date)
    gold_date = date_or_none(gold_list_date or (f"{year}-01-12" if sample_dates else ""), "gold_list_date")
    plan_date = date_or_none(revisit_plan_date or (f"{year}-01-16" if sample_dates else ""), "revisit_plan_date")
    deadlines = deadline_check(year, policy, gold_date, plan_date)
    sample = inputs.portfolio_source.startswith("sample") or cycle.sample
    return review, decision_facts(review, policy, money, changes, odds, tornado, deadlines, sample)
