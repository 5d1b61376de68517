"""Facts a report page opens with, gathered from a run's inputs (app side: reads the data file
to hash it). The present layer's :func:`tiermodel.present.page_header` draws them."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

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


# ----------------------------------------------------------------------------- page 00
def from_run(output_dir: str, key: str) -> pd.DataFrame | None:
    """A table another page of the same run exported (``tables/<key>.pkl``); None when the page
    is opened by hand (no run folder) or that page has not exported it."""
    from pathlib import Path

    path = Path(output_dir) / "tables" / f"{key}.pkl" if output_dir else None
    return pd.read_pickle(path) if path is not None and path.exists() else None


def compliance_by_tier(by_type: pd.DataFrame) -> pd.DataFrame:
    """Page 05's ``compliance by type`` summed by tier: events, breaches and the share of events
    within their working-day limit (第17–18条), ``compliance = 1 − breaches ÷ events``."""
    sums = by_type.groupby("tier", sort=False)[["events", "breaches"]].sum()
    return sums.assign(compliance=1 - sums["breaches"] / sums["events"])


@dataclass
class DecisionPage:
    """What page 00 shows: the decision facts, the counts, the Gold list, the scenario's changes,
    the service level and the count of assumptions (:func:`decision_page`)."""

    review: object
    facts: object
    counts: pd.DataFrame
    gold: pd.DataFrame
    gold_missing: str = ""
    silver_missing: str = ""
    comparison: object = None
    compliance: pd.DataFrame | None = None
    compliance_missing: object = ""
    samples: list = field(default_factory=list)
    n_assumed: int = 0

    def tables(self, lang: str = "zh", unit: str = "wan") -> dict[str, pd.DataFrame]:
        """What page 00 exports: the decision sheet (part, line) in ``lang`` and ``unit``, for the
        workbook and the committee pack."""
        from .present.decision import decision_table

        return {"decision sheet": decision_table(self.facts, lang, unit)}

    def gold_ids(self, n: int = 10) -> str:
        """The first ``n`` Gold customers' ids, for the checked summary line."""
        ids = self.gold["customer_id"].astype(str)
        return f"{len(ids)} Gold: " + ", ".join(ids.head(n)) + (" …" if len(ids) > n else "")

    def compliance_line(self) -> str:
        """The compliance by tier, rounded to 3 decimals, for the checked summary line ("" without)."""
        return "" if self.compliance is None else self.compliance["compliance"].round(3).to_string()


def _compliance(inputs: RunInputs, table: pd.DataFrame, output_dir: str, logs: dict, seed: int, log_year: int):
    """The service level by tier (page 05's, when it ran in this report), or why it cannot be shown."""
    from . import assess
    from .compare import review_year
    from .events import load_assessment_logs
    from .notes import note

    if not (table["tier"] != "regular").any():
        return None, note("decision.no_vips")
    by_type = from_run(output_dir, "05 compliance by type")
    if by_type is not None:
        return compliance_by_tier(by_type), ""
    try:  # the logs' year under review: each VIP's dates in log_year (第12条)
        log_review = review_year(inputs.tiering(), inputs.policy, log_year)
        found = load_assessment_logs(table, logs.get("service") or None, logs.get("survey") or None,
                                     logs.get("complaints") or None, logs.get("executives") or None, seed, log_year,
                                     inputs.policy.executive_quotas.gm_office_members)
        result = assess.assess_service(log_review, found.service, found.survey, found.complaints, found.executives,
                                       inputs.policy, files=found.sources)
        return result.compliance.by_tier(), ""
    except Exception as exc:  # noqa: BLE001 - the page says what failed and carries on
        return None, f"{type(exc).__name__}: {exc}"


def decision_page(inputs: RunInputs, year: int, output_dir: str = "", history: str = "", history_year: int = 0,
                  overrides: str = "", nominations: str = "", sims: int = 0, seed: int = 2003,
                  forecast_year: int | None = None, steps: int = 3, draws: int = 256, gold_list_date: str = "",
                  revisit_plan_date: str = "", base: str = "", logs: dict | None = None,
                  log_year: int = 2025) -> DecisionPage:
    """Everything page 00 shows, from a run's inputs: page 03's tornado and page 08's Gold odds
    when those pages ran in this report (else a short run of each: ``steps`` points per range,
    ``draws`` table draws), the decision facts (:func:`run_decision`), the counts by class, the
    Gold list, a scenario's changes against ``base``, the service level by tier (page 05's,
    else assessed from ``logs``: service, survey, complaints, executives files; empty: the
    seeded sample) and the number of assumptions in force."""
    from . import sensitivity as se
    from .notes import note
    from .policy import describe, load_policy
    from .tiers import tier_counts

    tornado = from_run(output_dir, "03 tornado")
    if tornado is not None:
        tornado = tornado.set_index("parameter")
    else:
        pool = se.candidate_pool(inputs.portfolio, inputs.policy, inputs.capacity())
        tornado = se.tornado_table(se.one_at_a_time(pool, inputs.policy, steps=steps, with_budget=False)) \
            if len(pool) >= 2 else None
    odds = from_run(output_dir, "08 table odds")
    if odds is None:
        odds = se.table_uncertainty(inputs.portfolio, inputs.policy, inputs.capacity(), draws=draws, sobol_n=0,
                                    budget_draws=0, seed=seed).odds
    review, facts = run_decision(inputs, year, history, history_year or None, overrides, nominations, sims, seed,
                                 forecast_year, tornado, odds, gold_list_date, revisit_plan_date)
    table = review.table
    gold = summary_gold_list(review.tiering.tables()["gold list"])
    comparison = None
    if inputs.policy.scenario:
        from .compare import compare_tierings

        base_policy = load_policy(base or None)
        comparison = compare_tierings(inputs.tiering(base_policy), inputs.tiering(), base_policy, inputs.policy,
                                      with_budget=False)
    logs = logs or {}
    compliance, missing = _compliance(inputs, table, output_dir, logs, seed, log_year)
    samples = [k for k in ("service", "survey", "complaints", "executives") if not logs.get(k)]
    n_assumed = sum(r["kind"] != "sourced" for r in describe(inputs.policy))
    gold_missing = inputs.gold_note(table) or ("" if len(gold) else note("decision.no_gold"))
    return DecisionPage(review, facts, tier_counts(table, "branch_class"), gold, gold_missing,
                        inputs.silver_note(table), comparison, compliance, missing, samples, n_assumed)


# ----------------------------------------------------------------------------- page 06
#: The workbook keeps the changes that move a Gold or Silver list (the VIP moves); every
#: customer's change, Regular entrants and leavers of the book included, is in ``tiermodel compare``.
VIP_MOVE_COLUMNS = ["customer_id", "branch", "before", "after", "reason_code", "reason"]
GOLD_VS_LAST_COLUMNS = ["gold_pool", "tier_rank", "customer_id", "branch", "value_index", "last_tier", "last_rank",
                        "last_value_index"]
#: The parts of the policy page 06's assumptions register shows.
ANNUAL_REVIEW_SECTIONS = ["annual_cycle", "budget_assumptions", "gold_selection", "silver_selection", "service_start",
                          "price_index", "readings"]


@dataclass
class AnnualReview:
    """What page 06 shows (:func:`annual_review`): last year's list against this year's, a
    scenario against the base, nomination and approval (附件一), the approved budget against
    last year's, the published lists, the 15 January check, measured churn in the budget and
    the years ahead."""

    year: int
    cycle: object
    absent: str
    yoy: object
    comparison: object
    approval: object
    annex1: pd.DataFrame
    approved_cost: pd.DataFrame
    against: pd.DataFrame | None
    lists: dict
    deadlines: pd.DataFrame
    sample_dates: bool
    rates: pd.DataFrame | None
    measured: object
    churn_budget: pd.DataFrame
    ahead: object
    assumptions: list
    #: The report's language: of the published lists written by :meth:`write_lists`.
    lang: str = "zh"

    def history_line(self, lang: str = "zh") -> str:
        """Where last year's list comes from, in ``lang``."""
        from .notes import note
        from .present.messages import render

        c = self.cycle
        if c.history is None:
            source = note("decision.history.none")
        elif c.sample:
            source = note("decision.history.sample", years=int(c.history["year"].nunique()))
        else:
            source = c.history_source
        return render(note("decision.history", source=source), lang)

    def vip_moves(self) -> pd.DataFrame | None:
        """The customers who enter or leave a Gold or Silver list, with the reason (a note)."""
        return None if self.yoy is None else self.yoy.vip_moves()[VIP_MOVE_COLUMNS]

    def movers_by_branch(self) -> pd.DataFrame:
        """Entrants and leavers per branch, the branches losing most Silver first."""
        by_branch = self.yoy.tables()["movers by branch"]
        return by_branch.sort_values("silver_net") if len(by_branch) else by_branch

    def gold_vs_last(self) -> pd.DataFrame:
        """This year's Gold list with last year's tier, rank and value index beside it."""
        return self.yoy.gold[GOLD_VS_LAST_COLUMNS]

    def scenario_moves(self) -> pd.DataFrame:
        """The scenario's changes against the base, with the reason (a note)."""
        return self.comparison.changes()[VIP_MOVE_COLUMNS]

    def annex1_shown(self) -> pd.DataFrame:
        """附件一 as the page shows it, without the column of 第11条 figures (in the workbook)."""
        return self.annex1.drop(columns=["criteria_figures"])

    def approval_counts(self) -> pd.Series:
        """附件一 candidates by head office's decision (the code of each approval note)."""
        return pd.Series([n.code.rsplit(".", 1)[1] for n in self.annex1["approval"]], dtype=object,
                         name="approval").value_counts()

    def branch_counts(self) -> pd.DataFrame:
        """VIPs on each branch's published list, the largest first."""
        per_branch = pd.DataFrame({"branch": [b for b in self.lists if b != "gold"],
                                   "vips": [len(t) for b, t in self.lists.items() if b != "gold"]})
        return per_branch.sort_values(["vips", "branch"], ascending=[False, True]).reset_index(drop=True)

    def lists_line(self) -> str:
        """The published lists in one checked line."""
        per_branch = self.branch_counts()
        return (f"company-wide Gold list: {len(self.lists['gold'])}; {len(per_branch)} branch lists, "
                f"{per_branch['vips'].sum():,} VIPs")

    def write_lists(self, output_dir: str, policy_name: str, source: str):
        """Write ``published-lists-<year>.xlsx`` into the run folder, in the report's language;
        None without one."""
        from .published import write_published_lists

        if not output_dir:
            return None
        return write_published_lists(self.lists, f"{output_dir}/published-lists-{self.year}.xlsx", self.year,
                                     policy_name, source, self.lang)

    def projection_counts(self) -> pd.DataFrame:
        """Customers by tier in each year ahead, the year a column."""
        return self.ahead.counts.reset_index()

    def projection_budget(self) -> pd.DataFrame:
        """The 附件七 budget of each year ahead at that year's prices, the year a column [CNY]."""
        return self.ahead.spend.reset_index()

    def churn_in_force(self) -> dict:
        """The VIP-count rates the budget uses (measured where history gave them), to 3 decimals."""
        ba = self.measured.budget_assumptions
        return {k: round(v, 3) for k, v in ba.vip_count_scenarios[ba.vip_count_scenario].model_dump().items()}

    def tables(self) -> dict[str, pd.DataFrame]:
        """What page 06 exports for the workbook and the committee pack."""
        from .compare import branch_lists

        tables = {}
        if self.yoy is not None:
            for k, v in self.yoy.tables().items():
                if k == "changes":
                    tables["yoy vip moves"] = self.yoy.vip_moves()
                elif k != "notes":
                    tables[f"yoy {k}"[:28]] = v
        if self.rates is not None:
            tables["measured churn"] = self.rates
        if self.against is not None:
            tables["budget against last year"] = self.against
        tables.update({"annex1 approval": self.annex1, "approved budget": self.approved_cost,
                       "overrides": self.approval.overrides, "published gold list": self.lists["gold"],
                       "published lists": branch_lists(self.lists), "projection counts": self.ahead.counts,
                       "projection turnover": self.ahead.turnover, "projection budget": self.ahead.spend,
                       "assumptions": pd.DataFrame(self.assumptions).astype(str)})
        if self.comparison is not None:
            tables.update({f"vs base {k}"[:28]: v for k, v in self.comparison.tables().items()})
        return tables


def _churn_budget(approval, policy, measured, year: int, sims: int, seed: int) -> pd.DataFrame:
    """The Monte Carlo total of the approved lists with the assumed and the measured churn, side by side."""
    from . import budget

    stats = ["mean", "P50", "P90", "P95"]
    assumed = budget.simulate(approval, policy, year, sims, seed).summary().loc["total", stats].to_numpy()
    measured_fc = budget.simulate(approval, measured, year, sims, seed).summary().loc["total", stats].to_numpy()
    return pd.DataFrame({"statistic": stats, "assumed_cny": assumed, "measured_cny": measured_fc})


def annual_review(inputs: RunInputs, year: int, history: str = "", history_year: int = 0, overrides: str = "",
                  nominations: str = "", gold_list_date: str = "", revisit_plan_date: str = "", years_ahead: int = 3,
                  sims: int = 20000, seed: int = 2003, base: str = "", lang: str = "zh") -> AnnualReview:
    """Everything page 06 shows, from a run's inputs and the cycle's files (the ``tiermodel
    compare`` options): see :class:`AnnualReview`. On the sample without submission dates, the
    Gold list reads as submitted on 12 January and the revisit plan on 16 January."""
    from . import budget
    from .compare import (approval_table, budget_change, compare_tierings, deadline_check, measured_churn,
                          policy_with_measured_churn, project_years, published_lists, year_over_year)
    from .cycle_inputs import date_or_none, load_cycle
    from .policy import describe, load_policy

    policy = inputs.policy
    cycle = load_cycle(inputs, year, history, history_year or None, overrides, nominations)
    this = inputs.tiering()
    absent = budget.vip_absence(this.table, policy, lang)
    yoy = None if cycle.history is None else year_over_year(cycle.last(), this, policy, last_year=cycle.last_year,
                                                            this_year=year)
    comparison = None
    if policy.scenario or base:
        base_policy = load_policy(base or None)
        comparison = compare_tierings(inputs.tiering(base_policy), this, base_policy, policy, year)
    approval = cycle.review(this, policy)
    last_review = cycle.last_review(this, policy)
    against = budget_change(approval, last_review, policy) if last_review is not None else None
    sample_dates = cycle.sample and not (gold_list_date or revisit_plan_date)
    gold_date = date_or_none(gold_list_date or (f"{year}-01-12" if sample_dates else ""), "gold_list_date")
    plan_date = date_or_none(revisit_plan_date or (f"{year}-01-16" if sample_dates else ""), "revisit_plan_date")
    rates = measured_churn(cycle.history, this.table, year) if cycle.history is not None else None
    measured = policy if rates is None else policy_with_measured_churn(policy, rates)
    del this  # the projection re-tiers the book on its own; on a large book it needs the memory
    ahead = project_years(inputs.portfolio, policy, years_ahead, year, seed, inputs.branches, keep_tierings=False)
    return AnnualReview(year, cycle, absent, yoy, comparison, approval, approval_table(approval, policy),
                        budget.estimate(approval, policy, year).by_tier(), against, published_lists(approval),
                        deadline_check(year, policy, gold_date, plan_date), sample_dates, rates, measured,
                        _churn_budget(approval, policy, measured, year, sims, seed), ahead,
                        describe(measured, ANNUAL_REVIEW_SECTIONS, assumed_only=True), lang)
