"""The cycle over several years: the sample's earlier years, measured churn, the years ahead.

* :func:`sample_history` — earlier years' tier lists matching the bundled sample, so a report
  runs the whole cycle without user data (pages built on it say so);
* :func:`measured_churn` — stay, drop and enter rates observed over two or more years, and
  :func:`policy_with_measured_churn` putting them in place of the assumed churn of the budget;
* :func:`project_years` — the book aged year by year (第10条: effective years + 1, so K1 and the
  loyalty coefficient move), premiums grown by a flagged assumption with a seeded spread, new
  customers arriving and customers leaving as flagged assumptions; re-tiered every year with
  its turnover and 附件七 budget.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import budget
from ..history import history_from_tiering
from ..notes import note
from ..policy import Policy
from ..portfolio import sample_earlier_year
from ..result import Result
from ..scoring import score
from ..tiers import Tiering, assign_tiers, branch_capacity
from ..vocabulary import BRANCH_CLASSES
from .approval import list_approval_date
from .yearly import tier_rates


def sample_history(portfolio: pd.DataFrame, policy: Policy, this_year: int, years: int = 2,
                   seed: int = 2003, branches: pd.DataFrame | None = None) -> pd.DataFrame:
    """Tier lists of the ``years - 1`` years before ``this_year`` for a (sample) book.

    Each earlier book is :func:`tiermodel.portfolio.sample_earlier_year`, tiered under
    ``policy``; approval on 15 January of its year. Returns a history table
    (:mod:`tiermodel.history`) with ``attrs["file"] = "sample history"``.
    """
    frames = []
    for k in range(1, years):
        earlier = sample_earlier_year(portfolio, seed, k)
        t = assign_tiers(score(earlier, policy), policy, branch_capacity(earlier, policy, branches))
        h = history_from_tiering(t.table, this_year - k)
        h["approval_date"] = np.where(h["tier"].astype(str) != "regular", list_approval_date(this_year - k, policy), None)
        frames.append(h)
    out = pd.concat(frames, ignore_index=True) if frames else history_from_tiering(portfolio.iloc[:0].assign(
        tier="regular"), this_year - 1)
    out["tier"] = pd.Categorical(out["tier"].astype(str), categories=["gold", "silver", "regular"])
    out.attrs["file"] = f"sample history ({years - 1} earlier year(s))"
    return out


def measured_churn(history: pd.DataFrame, tier_table: pd.DataFrame | None = None, this_year: int | None = None,
                   policy: Policy | None = None) -> pd.DataFrame:
    """Observed yearly rates per VIP tier over consecutive years of history (and this year's list).

    Returns
    -------
    DataFrame
        One row per pair of years and tier (``from_year``, ``to_year``, ``tier``, counts,
        ``stay_rate``, ``churn_rate``, ``new_rate`` [share]) and, per tier, a pooled row
        (``from_year`` = "all"): stayed ÷ counted over every pair.
    """
    years = sorted(int(y) for y in history["year"].unique())
    lists = {y: history[history["year"] == y] for y in years}
    if tier_table is not None:
        lists[this_year] = tier_table
        years = sorted(lists)
    rows = [tier_rates(lists[y0], lists[y1], y0, y1) for y0, y1 in zip(years[:-1], years[1:])]
    if not rows:
        return pd.DataFrame(columns=["from_year", "to_year", "tier", "count_before", "count_after", "stayed",
                                     "entered", "stay_rate", "churn_rate", "new_rate"])
    out = pd.concat(rows, ignore_index=True)
    pooled = out.groupby("tier", sort=False)[["count_before", "count_after", "stayed", "entered"]].sum().reset_index()
    pooled["stay_rate"] = pooled["stayed"] / pooled["count_before"]
    pooled["churn_rate"] = 1 - pooled["stay_rate"]
    pooled["new_rate"] = pooled["entered"] / pooled["count_before"]
    pooled["from_year"], pooled["to_year"] = "all", "all"
    return pd.concat([out, pooled[out.columns]], ignore_index=True)


def policy_with_measured_churn(policy: Policy, rates: pd.DataFrame) -> Policy:
    """``policy`` with the budget's VIP-count scenario in force replaced by the measured rates.

    The pooled rows of :func:`measured_churn` set ``gold_churn``, ``gold_new``,
    ``silver_churn`` and ``silver_new``; the provenance records "measured_churn Y0–Y1" and the
    assumed values they replace, so the assumptions register says which rates the budget used.
    """
    pooled = rates[rates["from_year"].astype(str) == "all"].set_index("tier")
    if pooled.empty or pooled[["churn_rate", "new_rate"]].isna().any().any():
        return policy
    name = policy.budget_assumptions.vip_count_scenario
    span = rates[rates["from_year"].astype(str) != "all"]
    note = f"{MEASURED_CHURN} {span['from_year'].min()}–{span['to_year'].max()}"
    value = {f"{tier}_{kind}": float(min(max(pooled.loc[tier, f"{kind}_rate"], 0.0), 1.0))
             for tier in ("gold", "silver") for kind in ("churn", "new")}
    return policy.with_values({f"budget_assumptions.vip_count_scenarios.{name}": value}, note=note)


#: How the provenance names the rates measured from earlier lists ("measured_churn 2024–2026"): a
#: key the assumptions register shows in the reader's words.
MEASURED_CHURN = "measured_churn"


# ----------------------------------------------------------------------------- projection
#: Columns of each year's Gold list in a projection.
PROJECTION_GOLD_COLUMNS = ["gold_pool", "tier_rank", "customer_id", "branch", "branch_class", "effective_years",
                           "k1", "value_index"]


@dataclass
class Projection(Result):
    """Result of :func:`project_years`: each year's Gold list, turnover and budget, and each
    year's whole tiering where they were kept (``tierings``, else empty)."""

    years: list[int]
    tierings: list[Tiering]
    counts: pd.DataFrame
    turnover: pd.DataFrame
    spend: pd.DataFrame | None
    notes: list = field(default_factory=list)
    gold: pd.DataFrame | None = None

    def gold_lists(self) -> pd.DataFrame:
        """Each year's Gold list: ``year`` then :data:`PROJECTION_GOLD_COLUMNS`."""
        return self.gold

    def tables(self) -> dict[str, pd.DataFrame]:
        out = {"counts by year": self.counts, "turnover by year": self.turnover}
        if self.spend is not None:
            out["budget by year"] = self.spend
        out["gold lists by year"] = self.gold_lists()
        out["notes"] = pd.DataFrame({"note": pd.Series(list(self.notes), dtype=object)})
        return out


def age_book(book: pd.DataFrame, policy: Policy, rng: np.random.Generator, year_tag: str,
             growth: float, growth_sd: float, new_share: float, lapse_share: float) -> pd.DataFrame:
    """The book one year on: some leave, the rest age a year and grow, new customers arrive.

    Leavers: each customer leaves with probability ``lapse_share``. Stayers: effective years
    + 1, ``is_new`` false, premiums × (1 + growth) × log-normal(−σ²/2, σ) (mean 1 + growth).
    New customers: ``new_share`` × book size, drawn (seeded) from the book's own year-1
    customers (else from all), in effective year 1 with ``is_new``; ids ``<year_tag>-<n>``.
    """
    n = len(book)
    kept = np.flatnonzero(rng.random(n) >= lapse_share)
    m = len(kept)
    growths = {col: (1 + growth) * rng.lognormal(-0.5 * growth_sd ** 2, growth_sd, m)
               for col in ("long_term_std_premium", "health_premium", "non_health_premium")}
    k = int(round(new_share * n))
    pool = np.flatnonzero(book["effective_years"].to_numpy() == 1)  # rows of the year-1 customers
    pool = pool if len(pool) else np.arange(n)
    picked = pool[rng.integers(0, len(pool), k)]
    # one copy of the book's rows (stayers, then the customers the new ones are drawn from),
    # changed column by column, rather than stayers and newcomers copied and then joined
    out = book.iloc[np.concatenate([kept, picked])].reset_index(drop=True)
    years = out["effective_years"].to_numpy().copy()
    years[:m] += 1
    years[m:] = 1
    out["effective_years"] = years
    out["is_new"] = np.arange(m + k) >= m
    for col, factor in growths.items():
        values = out[col].to_numpy(dtype=float, copy=True)
        values[:m] = np.round(values[:m] * factor)
        out[col] = values
    ids = {"customer_id": [f"{year_tag}-{i:06d}" for i in range(1, k + 1)]}
    if "name" in out:
        ids["name"] = [f"新客户{year_tag}-{i:06d}" for i in range(1, k + 1)]
    for col, texts in ids.items():
        out[col] = pd.concat([book[col].iloc[kept], pd.Series(texts, dtype=object if not texts else None)],
                             ignore_index=True)
    cls = out["branch_class"]
    out["branch_class"] = (cls.cat.set_categories(list(BRANCH_CLASSES)) if isinstance(cls.dtype, pd.CategoricalDtype)
                           else pd.Categorical(cls.astype(str), categories=list(BRANCH_CLASSES)))
    return out


def project_years(book: pd.DataFrame, policy: Policy, n_years: int = 3, first_year: int = 2026,
                  seed: int = 2003, branches: pd.DataFrame | None = None, growth: float | None = None,
                  growth_sd: float | None = None, new_share: float | None = None,
                  lapse_share: float | None = None, with_budget: bool = True,
                  keep_tierings: bool = True) -> Projection:
    """Age the book ``n_years`` years, re-tier each year, with turnover and 附件七 budget.

    Year 1 is today's book tiered as it is (the same list as :func:`assign_tiers`); each
    following year is :func:`age_book` of the one before. Defaults of ``growth``,
    ``growth_sd``, ``new_share`` and ``lapse_share`` are the assumed ``annual_cycle``
    parameters (flagged in the assumptions register).

    Parameters
    ----------
    book : DataFrame
        This year's validated customer table.
    n_years : int
        Years to show, today's included [years, ≥ 1].
    first_year : int
        Service year of today's list; the budget of each year is at that year's prices.
    seed : int
    growth, growth_sd : float, optional
        Yearly premium growth and its log-normal spread [share a year].
    new_share, lapse_share : float, optional
        New customers arriving and customers leaving each year [share of the book].
    keep_tierings : bool
        Keep each year's whole tiering in ``tierings``; False keeps only the Gold lists,
        counts, turnover and budget, and the aged books go without the customers' names
        (1,000,000 customers, 3 years: about 260 MB of arrays at the peak beside the book itself).

    Returns
    -------
    Projection
    """
    if n_years < 1:
        raise ValueError(f"n_years must be ≥ 1, not {n_years}")
    ac = policy.annual_cycle
    growth = ac.premium_growth if growth is None else growth
    growth_sd = ac.premium_growth_sd if growth_sd is None else growth_sd
    new_share = ac.new_customer_share if new_share is None else new_share
    lapse_share = ac.lapse_share if lapse_share is None else lapse_share
    rng = np.random.default_rng([seed, 12])
    tierings, years, counts, turnover, spend, gold = [], [], [], [], [], []
    # without the whole tierings nothing reads the customers' names: the aged books go without them
    current = book if keep_tierings or "name" not in book else book.drop(columns="name")
    prev_vips = None  # last year's Gold and Silver customers: all the turnover needs of it
    for k in range(n_years):
        year = first_year + k
        if k:
            current = age_book(current, policy, rng, f"N{year}", growth, growth_sd, new_share, lapse_share)
        t = assign_tiers(score(current, policy), policy, branch_capacity(current, policy, branches))
        if keep_tierings:
            tierings.append(t)
        gold.append(t.gold_list(PROJECTION_GOLD_COLUMNS).assign(year=year))
        years.append(year)
        per_tier = t.table["tier"].value_counts()  # a categorical's counts, no text per customer
        counts.append({"year": year, "customers": len(t.table), "gold": int(per_tier.get("gold", 0)),
                       "silver": int(per_tier.get("silver", 0)), "regular": int(per_tier.get("regular", 0))})
        vips = t.table.loc[(t.table["tier"] != "regular").to_numpy(), ["customer_id", "tier"]]
        if prev_vips is not None:
            r = tier_rates(prev_vips, vips, year - 1, year)
            for _, row in r.iterrows():
                turnover.append({"year": year, "tier": row["tier"], "stayed": row["stayed"], "entered": row["entered"],
                                 "left_tier": row["count_before"] - row["stayed"], "churn_rate": row["churn_rate"],
                                 "new_rate": row["new_rate"]})
        if with_budget:
            by = budget.estimate(t.table, policy, year).by_tier()
            spend.append({"year": year, "gold_cny": by.loc["gold", "cost_cny"], "silver_cny": by.loc["silver", "cost_cny"],
                          "total_cny": by.loc["total", "cost_cny"]})
        prev_vips = vips
        del t  # this year's whole tiering is not needed for the next (unless kept above)
    notes = [note("compare.projection", first=years[0], last=years[-1], growth=growth, growth_sd=growth_sd,
                  new_share=new_share, lapse_share=lapse_share)]
    return Projection(years, tierings, pd.DataFrame(counts).set_index("year"),
                      pd.DataFrame(turnover, columns=["year", "tier", "stayed", "entered", "left_tier",
                                                      "churn_rate", "new_rate"]),
                      pd.DataFrame(spend).set_index("year") if with_budget else None, notes,
                      pd.concat(gold, ignore_index=True)[["year"] + PROJECTION_GOLD_COLUMNS])
