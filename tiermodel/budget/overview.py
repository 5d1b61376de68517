"""The whole VIP service budget of a tier list in one result: :func:`forecast_budget` →
:class:`BudgetForecast`, whose ``tables()`` is the one list of sheets the budget exports
(the command line's workbook and the report's notebook 04 both write it)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..notes import Note, note
from ..policy import Policy
from ..result import Result
from ..vocabulary import HEALTH, LONG_TERM, NON_HEALTH
from .services import catalogue_sheet, catalogue_sources
from .annex7 import BudgetEstimate, estimate
from .revisits import revisit_load, revisit_load_by_branch
from .monte_carlo import Forecast, compare_count_cases, count_case_word, forecast_path, simulate


@dataclass
class BudgetForecast(Result):
    """The VIP service budget of a tier list (result of :func:`forecast_budget`, 第26–27条).

    ``estimate`` is the deterministic 附件七 cost, ``forecast`` the Monte Carlo of the year,
    ``path`` the fan chart over several years and ``count_cases`` the budget under each
    VIP-count case (None where not asked for); ``revisit_load`` and
    ``revisit_load_by_branch`` the executives' revisits (第18条 2③, 第23–25条);
    ``catalogue`` the services with their provenance, ``sources`` where each one's numbers
    come from (:func:`~tiermodel.budget.services.catalogue_sources`); ``notes`` the run's
    statements as :class:`~tiermodel.notes.Note` values (rendered by the present layer).
    """

    estimate: BudgetEstimate
    forecast: Forecast
    revisit_load: pd.DataFrame
    revisit_load_by_branch: pd.DataFrame
    catalogue: pd.DataFrame
    path: pd.DataFrame | None = None
    count_cases: pd.DataFrame | None = None
    notes: list[Note] = field(default_factory=list)
    sources: pd.DataFrame | None = None

    def tables(self) -> dict[str, pd.DataFrame]:
        """附件七, the cost by tier, payer and branch, the forecast (summary, branches, VIP
        counts, path, count cases), the revisit load, the catalogue and the notes."""
        tables = {**self.estimate.tables(), **self.forecast.tables()}
        if self.path is not None:
            tables["forecast path"] = self.path
        if self.count_cases is not None:
            tables["count cases"] = self.count_cases
        tables.update({"revisit load": self.revisit_load,
                       "revisit load by branch": self.revisit_load_by_branch,
                       "catalogue": self.catalogue,
                       "notes": pd.DataFrame({"note": self.notes}, dtype=object)})
        if self.sources is not None:
            tables["catalogue sources"] = self.sources
        return tables

    def report_tables(self) -> dict[str, pd.DataFrame]:
        """:meth:`tables` as the report's page 04 shows and exports them: 附件七 and the catalogue
        by service key (:meth:`BudgetEstimate.annex7_by_key`; the reader table names each
        service in the page's language) and the forecast path with its years as a column."""
        tables = self.tables()
        tables["附件七 annex 7"] = self.estimate.annex7_by_key()
        # the catalogue by service key, as 附件七: its Chinese names and English provenance text
        # are in the reader's words on the page (item, catalogue sources, the register)
        tables["catalogue"] = self.catalogue.drop(columns=["label", "provenance"])
        if self.path is not None:
            tables["forecast path"] = self.path.reset_index()
        return tables

    def note_of(self, code: str) -> Note | None:
        """The run's note of message ``code`` (``"budget.prices"``, ``"budget.simulated"``,
        ``"budget.gold_cap"`` …), None when the run made none."""
        return next((n for n in self.notes if n.code == code), None)

    def by_branch_largest_first(self) -> pd.DataFrame:
        """The cost by branch (``budget by branch``), the largest total first."""
        table = self.estimate.by_branch()
        return table.sort_values("total_cny", ascending=False, kind="stable") if len(table) else table

    def forecast_by_branch_largest_first(self) -> pd.DataFrame:
        """The simulated cost by branch (``forecast by branch``), the largest mean first."""
        table = self.forecast.tables()["forecast by branch"]
        return table.sort_values("mean", ascending=False, kind="stable") if len(table) else table

    def status_counts(self) -> pd.Series:
        """How many catalogue services are sourced, assumed, or sourced in their numbers only."""
        return self.catalogue["status"].value_counts()


def cap_note(est, fc, policy: Policy) -> Note:
    """What the 40-place Gold cap (第13条) does to the forecast's mean, beside P50 and P95.

    The count case replaces lost VIPs by as many new ones on average, but a full Gold list is
    cut back in a year with more gains than losses and not topped up in one with fewer: the
    mean Gold count sits below the places, and the mean total below the 附件七 estimate.
    """
    places = policy.gold_selection.existing_places + policy.gold_selection.new_places
    gold = float(fc.vip_count_quantiles().loc["gold", "mean"])
    total = est.total
    mean = float(fc.totals().to_numpy().mean())
    diff = (mean - total) / total if total else 0.0
    return note("budget.gold_cap", case=count_case_word(fc.count_case), gold=round(gold, 1), places=places,
                diff=diff)


def forecast_budget(tier_table: pd.DataFrame, policy: Policy, year: int | None = None,
                    n_sims: int = 100_000, seed: int = 2003, count_case: str | None = None,
                    path_years: int = 0, path_sims: int = 10_000, count_case_sims: int = 0,
                    progress: bool = False) -> BudgetForecast:
    """The VIP service budget of a tier list: 附件七, Monte Carlo forecast, revisit load (第26–27条).

    Parameters
    ----------
    tier_table : DataFrame
        ``Tiering.table`` of the Foundation's list.
    policy : Policy
        Service catalogue (第18–19条), VIP-count cases, price index, revisits and executive
        quotas (第23–25条).
    year : int, optional
        Budget year [year]; 2003 unit costs carried by the price index (default 2003).
    n_sims : int
        Simulated years of the forecast [years] (≥ 1).
    seed : int
        Seed of every draw; the same seed and inputs give the same numbers.
    count_case : str, optional
        VIP-count case of the forecast and the path (default
        ``budget_assumptions.vip_count_scenario``).
    path_years : int
        Years of the fan chart [years] from ``year``; 0 leaves it out.
    path_sims : int
        Simulated paths of the fan chart.
    count_case_sims : int
        Simulated years per VIP-count case in the comparison [years]; 0 leaves it out.
    progress : bool
        Show a progress bar over the forecast's chunks.

    Returns
    -------
    BudgetForecast
        Costs in CNY at ``year`` prices.
    """
    est = estimate(tier_table, policy, year)
    vips = est.vips
    fc = simulate(vips, policy, est.year, n_sims, seed, count_case, progress)
    path = forecast_path(vips, policy, est.year, path_years, path_sims, seed, count_case) if path_years else None
    cases = compare_count_cases(vips, policy, est.year, count_case_sims, seed) if count_case_sims else None
    notes = [note("budget.prices", year=est.year, factor=round(est.price_factor, 4),
                  base_year=policy.price_index.base_year), *fc.notes]
    notes.append(cap_note(est, fc, policy))
    if path is not None:
        notes.append(note("budget.path", first=est.year, last=est.year + path_years - 1, paths=path_sims, seed=seed))
    if cases is not None:
        notes.append(note("budget.count_cases", sims=count_case_sims, seed=seed))
    return BudgetForecast(est, fc, revisit_load(vips, policy), revisit_load_by_branch(vips, policy),
                          catalogue_sheet(policy), path, cases, notes, catalogue_sources(policy))


#: The three premiums of 第11条 (column, criterion key of the vocabulary).
_PREMIUMS = (("long_term_std_premium", LONG_TERM), ("health_premium", HEALTH), ("non_health_premium", NON_HEALTH))


def vip_absence(tier_table: pd.DataFrame, policy: Policy, lang: str | None = None) -> Note | None:
    """Why a tier list has no Gold or Silver customer, as a note; None when it has one.

    The lowest 第11条 premium threshold of any class (Silver of class C/D, where the bar is
    lowest) is set beside the largest premium of the book; where the largest premium is at
    below 1/100 of its threshold but would reach one ×10,000, the amounts may be in 万元
    read as 元 and the note (``budget.no_vip_wan``) asks.

    Parameters
    ----------
    tier_table : DataFrame
        ``Tiering.table`` (columns ``tier`` and the three premiums [CNY/yr]).
    policy : Policy
        Its ``eligibility`` thresholds (第11条) [CNY/yr].
    lang : str, optional
        Ignored: the note is rendered in the page's language by the present layer (kept for
        pages that still pass it).

    Returns
    -------
    Note or None
        ``budget.no_vip`` or ``budget.no_vip_wan`` with the customers ``n`` and one
        ``budget.premium_bar`` note per premium (``criterion``, ``lowest``, ``largest`` [CNY/yr]).
    """
    tiers = tier_table["tier"].astype(str) if len(tier_table) else pd.Series([], dtype=str)
    if tiers.isin(["gold", "silver"]).any():
        return None
    bars, slip = _premium_bars(tier_table, policy)
    return note("budget.no_vip_wan" if slip else "budget.no_vip", n=len(tier_table), bars=bars)


def _largest(tier_table: pd.DataFrame, column: str) -> float:
    """The largest amount of a premium column [CNY/yr]; 0 where none (absent, empty or NaN)."""
    if not len(tier_table) or column not in tier_table:
        return 0.0
    largest = float(tier_table[column].max())
    return largest if largest == largest else 0.0


def _premium_bars(tier_table: pd.DataFrame, policy: Policy) -> tuple[list[Note], bool]:
    """Each premium's lowest 第11条 bar beside the book's largest, and whether every premium is
    far below its bar while 万元 would reach one (amounts in 万元 read as 元)."""
    # the lowest bar of each premium over the classes (Silver of C/D is the lowest in 2003)
    classes = [getattr(policy.eligibility.silver, c) for c in ("A", "B", "C", "D")
               if hasattr(policy.eligibility.silver, c)] or [policy.eligibility.gold]
    bars, tiny, reachable = [], True, False
    for column, criterion in _PREMIUMS:
        lowest = min(getattr(c, f"{column}_min") for c in classes)
        largest = _largest(tier_table, column)
        tiny = tiny and largest < lowest / 100  # every premium far below its bar …
        reachable = reachable or (largest > 0 and largest * 10_000 >= lowest)  # … and 万元 would reach one
        bars.append(note("budget.premium_bar", criterion=criterion, lowest=lowest, largest=largest))
    return bars, tiny and reachable


__all__ = ["BudgetForecast", "cap_note", "forecast_budget", "vip_absence"]
