"""The satisfaction scorecard (第35条): shares of the four answer levels per tier and branch
against the tier's targets, plain and weighted head office : branch.

The weights (第35条 "总、分公司考核权重分别为 30% 和 70%") are read as the weights of the
head-office survey and the branch survey of the same customers (``satisfaction.weights_reading``,
assumed); a tier/branch with only one of the two surveys takes that survey alone (the weights
are renormalised).

Regular customers (第35条 3): the text says 选择满意的客户占比为65%以上. Read literally, the
share that chose 满意 must be ≥ 65 %; read cumulatively (the default,
``satisfaction.regular_reading``, assumed), satisfied-or-better must be ≥ 30 + 65 = 95 %.
Every verdict table shows both checks beside the one applied.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..policy import Policy
from ..result import Result
from ..vocabulary import ANSWER_LEVELS, TIERS, VIP_TIERS
from ._lookup import with_tiers

LEVELS = list(ANSWER_LEVELS)
#: Which surveys a weighted row rests on (column ``surveys`` of :attr:`Scorecard.weighted`).
SURVEYS = ("head_office_and_branch", "head_office_only", "branch_only")
_TOL = 1e-9


def _shares(answers: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    counts = pd.crosstab([answers[b] for b in by], answers["answer"]).reindex(columns=LEVELS, fill_value=0)
    n = counts.sum(axis=1)
    shares = counts.div(n, axis=0)
    shares["satisfied_or_better"] = shares["very_satisfied"] + shares["satisfied"]
    shares.insert(0, "answers", n)
    shares.columns.name = None
    return shares


def _targets(tiers: pd.Series, index, policy: Policy) -> pd.DataFrame:
    target = pd.DataFrame({t: getattr(policy.satisfaction, t).model_dump() for t in TIERS}).T
    t = target.reindex(tiers.to_numpy())
    t.index = index
    return t


def _passes(shares: pd.DataFrame, tiers: pd.Series, policy: Policy,
            reading: str | None = None) -> pd.Series:
    """第35条 test of each row's shares against its tier's targets.

    ``reading`` of the regular customers' 满意 ≥ 65 % (第35条 3): ``literal`` tests the
    share that chose 满意 itself against ``satisfied_min``; ``cumulative`` tests
    satisfied-or-better against ``satisfied_or_better_min`` (95 %). Default:
    ``satisfaction.regular_reading`` (assumed). Gold and Silver have no ``satisfied_min``;
    both readings test them alike.
    """
    reading = reading or policy.satisfaction.regular_reading
    t = _targets(tiers, shares.index, policy)
    common = ((shares["very_satisfied"] >= t["very_satisfied_min"] - _TOL)
              & (shares["average"] <= t["average_max"] + _TOL)
              & (shares["dissatisfied"] <= t["dissatisfied_max"] + _TOL))
    cumulative = shares["satisfied_or_better"] >= t["satisfied_or_better_min"] - _TOL
    if reading == "cumulative":
        return common & cumulative
    has_literal = t["satisfied_min"].notna()
    literal = shares["satisfied"] >= t["satisfied_min"].fillna(0.0).astype(float) - _TOL
    return common & np.where(has_literal, literal, cumulative)


def _verdicts(shares: pd.DataFrame, tiers: pd.Series, policy: Policy) -> pd.DataFrame:
    """``passes`` under the reading in force, with the literal and cumulative checks beside."""
    shares = shares.copy()
    shares["passes"] = _passes(shares, tiers, policy)
    shares["passes_literal"] = _passes(shares, tiers, policy, "literal")
    shares["passes_cumulative"] = _passes(shares, tiers, policy, "cumulative")
    return shares


@dataclass
class Scorecard(Result):
    """Result of :func:`satisfaction_scorecard`: shares of the four levels [share, 0–1] and
    the 第35条 verdict, per tier (``by_tier``), per branch and tier (``by_branch``), and the
    head-office/branch weighted shares per branch and tier (``weighted``).

    ``passes`` applies ``regular_reading`` (``satisfaction.regular_reading``, assumed) to the
    regular customers' 满意 ≥ 65 % (第35条 3); ``passes_literal`` and ``passes_cumulative``
    show both readings beside it (they agree for Gold and Silver)."""

    by_tier: pd.DataFrame
    by_branch: pd.DataFrame
    weighted: pd.DataFrame
    regular_reading: str = "cumulative"

    def tables(self) -> dict[str, pd.DataFrame]:
        """Shares and verdicts per tier, per branch and tier, and weighted per branch and tier."""
        return {"satisfaction by tier": self.by_tier.reset_index(),
                "satisfaction by branch": self.by_branch.reset_index(),
                "satisfaction weighted": self.weighted.reset_index()}

    def passing_by_tier(self) -> pd.DataFrame:
        """Per tier the branches with a weighted survey (``branches``) and those meeting the
        第35条 targets (``passing``) [branches]; empty without a weighted row."""
        if not len(self.weighted):
            return pd.DataFrame(columns=["branches", "passing"], index=pd.Index([], name="tier"))
        return self.weighted.groupby(level="tier", observed=True)["passes"].agg(branches="size", passing="sum")

    def failing_vip_groups(self) -> pd.DataFrame:
        """The weighted rows (branch and tier) of Gold and Silver that miss the 第35条 targets."""
        w = self.weighted.reset_index()
        if not len(w):
            return w
        return w[w["tier"].astype(str).isin(VIP_TIERS).to_numpy() & ~w["passes"].to_numpy(dtype=bool)] \
            .reset_index(drop=True)


def satisfaction_scorecard(survey: pd.DataFrame, tier_table: pd.DataFrame, policy: Policy,
                           file: str = "<survey>") -> Scorecard:
    """Satisfaction shares and the 第35条 pass/fail, plain and head-office/branch weighted.

    Parameters
    ----------
    survey : DataFrame
        Validated survey answers (:data:`tiermodel.events.SURVEY_SCHEMA`); ``surveyed_by``
        defaults to ``branch``.
    tier_table : DataFrame
        Tier table with ``customer_id``, ``branch``, ``tier``.
    policy : Policy
        ``satisfaction`` targets [share] and head-office weights (Gold 30 %, Silver 20 %).

    Returns
    -------
    Scorecard
        ``weighted`` holds, per branch and tier, the shares of each survey
        (``head_office``/``branch``), the weighted shares ``w_HO × head-office share +
        (1 − w_HO) × branch share``, ``passes`` and ``surveys``, the surveys the row rests
        on (:data:`SURVEYS`).
    """
    answers = with_tiers(survey, tier_table, file)
    if "surveyed_by" not in answers:
        answers["surveyed_by"] = "branch"
    answers["surveyed_by"] = answers["surveyed_by"].fillna("branch").replace("", "branch")
    answers["tier"] = pd.Categorical(answers["tier"], categories=list(TIERS))

    by_tier = _shares(answers, ["tier"])
    by_tier = _verdicts(by_tier, by_tier.index.to_series(), policy)
    by_branch = _shares(answers, ["branch", "tier"])
    by_branch = _verdicts(by_branch, by_branch.index.get_level_values("tier").to_series(), policy)

    per_surveyor = _shares(answers, ["branch", "tier", "surveyed_by"])
    w_ho = pd.Series({t: getattr(policy.satisfaction, t).head_office_weight for t in TIERS})
    idx = per_surveyor.index
    weight = np.where(idx.get_level_values("surveyed_by") == "head_office",
                      w_ho.reindex(idx.get_level_values("tier").astype(str)).to_numpy(),
                      1 - w_ho.reindex(idx.get_level_values("tier").astype(str)).to_numpy())
    weight = pd.Series(weight, index=idx)
    cols = LEVELS + ["satisfied_or_better"]
    norm = weight.groupby(level=["branch", "tier"], observed=True).transform("sum")
    norm_weight = (weight / norm.where(norm > 0, np.nan)).fillna(0.0)
    weighted = per_surveyor[cols].mul(norm_weight, axis=0).groupby(level=["branch", "tier"], observed=True).sum()
    very = per_surveyor["very_satisfied"].unstack("surveyed_by")
    weighted.insert(0, "very_satisfied_branch", very.get("branch"))
    weighted.insert(0, "very_satisfied_head_office", very.get("head_office"))
    present = per_surveyor["answers"].unstack("surveyed_by").notna()
    weighted.insert(0, "surveys", np.select(
        [present.get("head_office", False) & present.get("branch", False), present.get("head_office", False)],
        list(SURVEYS[:2]), SURVEYS[2]))
    weighted.insert(0, "head_office_weight", w_ho.reindex(weighted.index.get_level_values("tier").astype(str)).to_numpy())
    weighted = _verdicts(weighted, weighted.index.get_level_values("tier").to_series(), policy)
    return Scorecard(by_tier, by_branch, weighted, policy.satisfaction.regular_reading)


__all__ = ["LEVELS", "SURVEYS", "Scorecard", "satisfaction_scorecard"]
