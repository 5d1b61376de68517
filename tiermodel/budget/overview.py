"""The whole VIP service budget of a tier list in one result: :func:`forecast_budget` →
:class:`BudgetForecast`, whose ``tables()`` is the one list of sheets the budget exports
(the command line's workbook and the report's notebook 04 both write it)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..policy import Policy
from ..result import Result
from .services import catalogue_sheet
from .annex7 import BudgetEstimate, as_vips, estimate
from .revisits import revisit_load, revisit_load_by_branch
from .monte_carlo import Forecast, compare_count_cases, forecast_path, simulate


@dataclass
class BudgetForecast(Result):
    """The VIP service budget of a tier list (result of :func:`forecast_budget`, 第26–27条).

    ``estimate`` is the deterministic 附件七 cost, ``forecast`` the Monte Carlo of the year,
    ``path`` the fan chart over several years and ``count_cases`` the budget under each
    VIP-count case (None where not asked for); ``revisit_load`` and
    ``revisit_load_by_branch`` the executives' revisits (第18条 2③, 第23–25条);
    ``catalogue`` the services with their provenance; ``notes`` plain statements of the run.
    """

    estimate: BudgetEstimate
    forecast: Forecast
    revisit_load: pd.DataFrame
    revisit_load_by_branch: pd.DataFrame
    catalogue: pd.DataFrame
    path: pd.DataFrame | None = None
    count_cases: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)

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
                       "notes": pd.DataFrame({"note": self.notes})})
        return tables


def cap_note(est, fc, policy: Policy) -> str:
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
    return (f"Count case '{fc.count_case}': Gold averages {gold:.1f} of the {places} places (第13条 cap); "
            f"the mean total is {diff:+.1%} against the 附件七 estimate.")


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
    notes = [f"{est.year} prices: factor {est.price_factor:.4f} on {policy.price_index.base_year} unit costs.",
             *fc.notes]
    notes.append(cap_note(est, fc, policy))
    if path is not None:
        notes.append(f"Forecast path {est.year}–{est.year + path_years - 1}: {path_sims:,} simulated paths, "
                     f"seed {seed} (stream 1).")
    if cases is not None:
        notes.append(f"VIP-count cases: {count_case_sims:,} simulated years each, seed {seed}.")
    return BudgetForecast(est, fc, revisit_load(vips, policy), revisit_load_by_branch(vips, policy),
                          catalogue_sheet(policy), path, cases, notes)


_PREMIUMS = (("long_term_std_premium", "长险标准保费", "long-term standard premium"),
             ("health_premium", "健康险实收保费", "health premium"),
             ("non_health_premium", "非健康险实收保费", "non-health premium"))


def vip_absence(tier_table: pd.DataFrame, policy: Policy, lang: str = "zh") -> str:
    """Why a tier list has no Gold or Silver customer, in the reader's language; "" when it has.

    The lowest 第11条 premium threshold of any class (Silver of class C/D, where the bar is
    lowest) is set beside the largest premium of the book; where the largest premium is at
    below 1/100 of its threshold but would reach one ×10,000, the amounts may be in 万元
    read as 元 and the sentence asks.

    Parameters
    ----------
    tier_table : DataFrame
        ``Tiering.table`` (columns ``tier`` and the three premiums [CNY/yr]).
    policy : Policy
        Its ``eligibility`` thresholds (第11条) [CNY/yr].
    lang : {"zh", "en"}

    Returns
    -------
    str
        One sentence, or "" when the list holds a VIP.
    """
    tiers = tier_table["tier"].astype(str) if len(tier_table) else pd.Series([], dtype=str)
    if tiers.isin(["gold", "silver"]).any():
        return ""
    n = len(tier_table)
    # the lowest bar of each premium over the classes (Silver of C/D is the lowest in 2003)
    classes = [getattr(policy.eligibility.silver, c) for c in ("A", "B", "C", "D")
               if hasattr(policy.eligibility.silver, c)] or [policy.eligibility.gold]
    parts, tiny, reachable = [], True, False
    for column, zh, en in _PREMIUMS:
        lowest = min(getattr(c, f"{column}_min") for c in classes)
        largest = float(tier_table[column].max()) if n and column in tier_table else 0.0
        largest = largest if largest == largest else 0.0  # NaN: no premium
        tiny = tiny and largest < lowest / 100  # every premium far below its bar …
        reachable = reachable or (largest > 0 and largest * 10_000 >= lowest)  # … and 万元 would reach one
        parts.append(f"{zh}门槛最低 {lowest:,.0f} 元，本名单最大 {largest:,.0f} 元" if lang == "zh" else
                     f"{en}: lowest threshold {lowest:,.0f} CNY, largest in this book {largest:,.0f} CNY")
    slip = tiny and reachable
    if lang == "zh":
        out = f"本名单 {n:,} 户客户中没有满足第11条入围标准的客户（{'；'.join(parts)}）"
        return out + ("。金额是否以万元为单位？请用 amount_unit=\"wan\"（--amount-unit wan）。" if slip else "。")
    out = f"none of the {n:,} customers meets a 第11条 criterion ({'; '.join(parts)})"
    return out + (". Are the amounts in 万元? Use amount_unit=\"wan\" (--amount-unit wan)." if slip else ".")


__all__ = ["BudgetForecast", "forecast_budget", "vip_absence"]
