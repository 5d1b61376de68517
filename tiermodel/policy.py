"""The policy's parameters: load, validate, merge scenarios, keep provenance.

A parameter file is a tree whose leaves are mappings ``{value: ..., source: 第N条}`` or
``{value: ..., assumed: true, reason: ...}``. Loading splits it into

* a typed, validated :class:`Policy` of plain values (pydantic models, unknown keys refused);
* a provenance map ``{dotted.path: Provenance}`` saying where each value comes from.

A scenario file (``params/scenarios/NAME.yaml``) has the same shape but states only the
leaves it changes, as a bare value or as ``{value: ...}``; its values are marked
``scenario: NAME`` and keep the base value they replace.
"""
from __future__ import annotations

import copy
import difflib
import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import ParameterError
from .resources import data_dir
from .vocabulary import BRANCH_CLASSES

PARAMS_DIR = data_dir("params")
BASE_FILE = "policy-2003.yaml"


# ----------------------------------------------------------------------------- value models
class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Share = Field(ge=0.0, le=1.0)


class Weights(_Model):
    """第10条 weights of the three coefficients [share, 0–1]; they sum to 1."""

    premium: float = Share
    loyalty: float = Share
    profit: float = Share

    @model_validator(mode="after")
    def _sum_to_one(self):
        check_weights_sum(self.premium, self.loyalty, self.profit)
        return self

    def as_array(self) -> np.ndarray:
        return np.array([self.premium, self.loyalty, self.profit])


# The checks the models' validators run, as plain functions that can be called on their own.
def check_weights_sum(premium: float, loyalty: float, profit: float) -> None:
    """第10条: the three weights [share] sum to 1 (to 1e-9); ValueError otherwise."""
    total = premium + loyalty + profit
    if not math.isclose(total, 1.0, abs_tol=1e-9):
        raise ValueError(
            f"weights must sum to 1 (第10条 30/30/40); these sum to {total:.10g}"
        )


class YearFactors(_Model):
    """A factor by effective insured year (K1, K2 of 第10条) [-], each > 0."""

    year_1: float = Field(gt=0)
    year_2: float = Field(gt=0)
    year_3: float = Field(gt=0)
    year_4_plus: float = Field(gt=0)

    def as_array(self) -> np.ndarray:
        """Factors for years 1, 2, 3, 4+ as an array indexed by ``min(year, 4) - 1``."""
        return np.array([self.year_1, self.year_2, self.year_3, self.year_4_plus])


class ValueIndex(_Model):
    """The customer value index of 第10条: weights 30/30/40 and the year factors K1, K2."""

    weights: Weights
    k1: YearFactors
    k2: YearFactors


class BandTable(_Model):
    """A conversion table (附表1–3): ``len(breaks) + 1`` coefficients in [0, 1]."""

    breaks: list[float] = Field(min_length=1)
    coefficients: list[float] = Field(min_length=2)

    @field_validator("breaks")
    @classmethod
    def _increasing(cls, breaks):
        check_increasing(breaks)
        return breaks

    @field_validator("coefficients")
    @classmethod
    def _in_unit_interval(cls, coefs):
        check_unit_interval(coefs)
        return coefs

    @model_validator(mode="after")
    def _lengths(self):
        check_band_lengths(self.breaks, self.coefficients)
        return self


def check_increasing(breaks: list[float]) -> None:
    """Band edges of a 附表 strictly increasing; ValueError naming the first pair that is not."""
    for i in range(1, len(breaks)):
        if not breaks[i] > breaks[i - 1]:
            raise ValueError(
                f"band edges must be strictly increasing; breaks[{i - 1}] = {breaks[i - 1]} "
                f"is not below breaks[{i}] = {breaks[i]}"
            )


def check_unit_interval(coefs: list[float]) -> None:
    """Every coefficient of a 附表 in [0, 1]; ValueError naming the first that is not."""
    for i, c in enumerate(coefs):
        if not 0.0 <= c <= 1.0:
            raise ValueError(f"coefficients[{i}] = {c} is outside [0, 1]")


def check_band_lengths(breaks: list[float], coefs: list[float]) -> None:
    """A 附表 with n band edges has n + 1 coefficients; ValueError otherwise."""
    if len(coefs) != len(breaks) + 1:
        raise ValueError(
            f"a table with {len(breaks)} breaks needs {len(breaks) + 1} "
            f"coefficients, not {len(coefs)}"
        )


class ConversionTables(_Model):
    """The three conversion tables of 第10条 (附表1–3, lost: banded assumptions)."""

    premium: BandTable  # 附表1, standard premium [CNY/yr]
    loyalty: BandTable  # 附表2, effective insured years [years]
    profit: BandTable  # 附表3, profit margin [share]


class TableSpread(_Model):
    """How far one lost conversion table (附表1–3) may lie from the assumed one.

    ``around``: each band edge moves uniformly up to ``edge_spread`` of the way to the midpoint
    with its neighbour (on ``scale``: ``log`` for premium, ``linear`` otherwise), each coefficient
    up to ``coefficient_spread`` of the way to the midpoint with its neighbour (0 below the
    first, 1 above the last). ``between``: every edge and coefficient uniform between
    ``bracket_low`` and ``bracket_high`` (element by element), then sorted.
    """

    scale: Literal["log", "linear"]
    edge_spread: float = Share
    coefficient_spread: float = Share
    bracket_low: BandTable
    bracket_high: BandTable

    @model_validator(mode="after")
    def _brackets(self):
        low, high = self.bracket_low, self.bracket_high
        if len(low.breaks) != len(high.breaks):
            raise ValueError(f"bracket_low has {len(low.breaks)} band edges, bracket_high "
                             f"{len(high.breaks)}; the two bracketing tables need the same bands")
        for field in ("breaks", "coefficients"):
            lo, hi = getattr(low, field), getattr(high, field)
            for i, (a, b) in enumerate(zip(lo, hi)):
                if a > b:
                    raise ValueError(f"bracket_low.{field}[{i}] = {a} is above bracket_high.{field}[{i}] = {b}")
        for name, table in (("bracket_low", low), ("bracket_high", high)):
            c = table.coefficients
            for i in range(1, len(c)):
                if c[i] < c[i - 1]:
                    raise ValueError(f"{name}.coefficients must not decrease (附表 coefficients rise with "
                                     f"the measure); [{i - 1}] = {c[i - 1]} > [{i}] = {c[i]}")
        if self.scale == "log" and min(low.breaks) <= 0:
            raise ValueError("a log-scale table needs band edges > 0")
        return self


class TableUncertainty(_Model):
    """The family of plausible 附表1–3 (lost): how drawn tables differ from the assumed ones.

    ``band_counts`` ``fixed`` keeps each table's bands; ``varied`` also drops each band edge
    with ``edge_drop_probability`` (the band below extends) and splits each closed band with
    ``band_split_probability``. Robust core: Gold in at least ``robust_share`` of the draws;
    contested: Gold in at least ``contested_share`` but fewer than ``robust_share``.
    """

    method: Literal["around", "between"]
    band_counts: Literal["fixed", "varied"]
    edge_drop_probability: float = Share
    band_split_probability: float = Share
    robust_share: float = Share
    contested_share: float = Share
    premium: TableSpread  # 附表1
    loyalty: TableSpread  # 附表2
    profit: TableSpread  # 附表3

    @model_validator(mode="after")
    def _shares(self):
        if not self.contested_share < self.robust_share:
            raise ValueError(f"contested_share = {self.contested_share} must be below robust_share = "
                             f"{self.robust_share}")
        return self


class StandardPremium(_Model):
    """标准保费规模: factors on long-term, health and non-health premium (assumed 1.0)."""

    long_term_factor: float = Field(ge=0)
    health_factor: float = Field(ge=0)
    non_health_factor: float = Field(ge=0)


class Criteria(_Model):
    """第11条 entry criteria for one tier/class: premiums [CNY/yr] and loss-ratio caps [share]."""

    long_term_std_premium_min: float = Field(ge=0)
    health_premium_min: float = Field(ge=0)
    health_loss_ratio_max: float = Share
    non_health_premium_min: float = Field(ge=0)
    non_health_loss_ratio_max: float = Share


class SilverCriteria(_Model):
    """第11条 Silver entry criteria per branch class A–D."""

    A: Criteria
    B: Criteria
    C: Criteria
    D: Criteria


class Eligibility(_Model):
    """第11条 entry criteria: Gold (company-wide) and Silver per branch class.

    Thresholds may not loosen from Silver to Gold: per criterion, the premium minimums
    keep Gold ≥ Silver A ≥ B ≥ C ≥ D and the loss-ratio caps Gold ≤ A ≤ B ≤ C ≤ D. The
    selection rests on it (第13条: a Gold-eligible customer left out of Gold is Silver-eligible).
    """

    gold: Criteria
    silver: SilverCriteria

    @model_validator(mode="after")
    def _ordered(self):
        check_threshold_order(self)
        return self


PREMIUM_MINIMUMS = ("long_term_std_premium_min", "health_premium_min", "non_health_premium_min")
LOSS_RATIO_CAPS = ("health_loss_ratio_max", "non_health_loss_ratio_max")


def check_threshold_order(eligibility: "Eligibility") -> None:
    """第11条 thresholds in order Gold, Silver A, B, C, D; ValueError naming both keys.

    Premium minimums [CNY/yr] may not rise, loss-ratio caps [share] may not fall, from one
    to the next: every Gold-eligible customer is then Silver-eligible in any branch class.
    """
    chain = [("gold", eligibility.gold)] + [
        (f"silver.{c}", getattr(eligibility.silver, c)) for c in BRANCH_CLASSES]
    for (upper, hi), (lower, lo) in zip(chain, chain[1:]):
        for name in PREMIUM_MINIMUMS:
            if getattr(hi, name) < getattr(lo, name):
                raise ValueError(
                    f"{upper}.{name} = {getattr(hi, name):,.0f} is below {lower}.{name} = "
                    f"{getattr(lo, name):,.0f}; 第11条 minimums must not rise from Gold to "
                    f"Silver A, B, C, D")
        for name in LOSS_RATIO_CAPS:
            if getattr(hi, name) > getattr(lo, name):
                raise ValueError(
                    f"{upper}.{name} = {getattr(hi, name):g} exceeds {lower}.{name} = "
                    f"{getattr(lo, name):g}; 第11条 loss-ratio caps must not fall from Gold to "
                    f"Silver A, B, C, D")


class GoldSelection(_Model):
    """第13条 Gold places: 30 for earlier customers, 10 for this year's new customers."""

    existing_places: int = Field(ge=0)
    new_places: int = Field(ge=0)
    unfilled_new_places_go_to_existing: bool


class PerClassCount(_Model):
    """A count per branch class A–D."""

    A: int = Field(ge=0)
    B: int = Field(ge=0)
    C: int = Field(ge=0)
    D: int = Field(ge=0)


#: The tie rule of the selection (第13条 ranks, gives no tie rule): the one implemented.
TIE_RULES = ("value_index_then_standard_premium_then_customer_id",)


class SilverSelection(_Model):
    """第13条 Silver places: a branch's own capacity (default per class, assumed) and the tie
    rule of the ranking (assumed; :mod:`tiermodel.tiers` implements it)."""

    capacity_per_class: PerClassCount
    tie_rule: Literal[TIE_RULES] = TIE_RULES[0]


class Readings(_Model):
    """Readings of ambiguous wording (assumed): 累计 as one year, 原则上 as a hard rule (also for head
    office's Gold overrides), Silver overrides as the branch's alone (第8条)."""

    cumulative_is_annual: bool = True
    in_principle_is_hard_rule: bool = True
    override_gold_without_criterion: bool = False  # 第11条 原则上: head office may not lift it
    head_office_silver_override: bool = False  # 第8条: Silver is the branch's decision
    override_dates_within_service_year: bool = True  # no window in the text: an override dated in its year


class ServiceStart(_Model):
    """第12条 service start: the month after approval (确定次月)."""

    months_after_approval: int = Field(ge=0, le=12)
    approval_month: int = Field(ge=1, le=12)
    previous_tier_default: Literal["same_tier_unless_new", "regular"] = "same_tier_unless_new"


class ServiceTime(_Model):
    """One service-time limit of 第17–18条 in working days: regular, VIP, extra-large VIP.

    ``regular_days`` is None where the text sets no standard for regular customers (the VIP
    hotline of 第18条 2①): their events are not judged.
    """

    regular_days: int | None = Field(ge=0)
    vip_days: int = Field(ge=0)
    vip_extra_large_days: int | None = Field(default=None, ge=0)


class ServiceTimes(_Model):
    """Service-time limits of 第17–18条 per service type."""

    policy_issuance: ServiceTime
    policy_change: ServiceTime
    simple_information_change: ServiceTime
    claim_ordinary: ServiceTime
    claim_investigated: ServiceTime
    hotline_enquiry: ServiceTime
    hotline_complaint: ServiceTime
    renewal_reminder_months_ahead: int = Field(ge=0)
    # 第17条 4 提前两个月: read as at least that many months before expiry (assumed); 续期
    # (renewal premium due dates) is not modelled
    renewal_reminder_reading: Literal["at_least_months_ahead"] = "at_least_months_ahead"
    working_days: Literal["official_calendar_from_day_after_start"] = "official_calendar_from_day_after_start"
    extra_large_customer: Literal["flagged_per_service_event"] = "flagged_per_service_event"


class UnitCosts(_Model):
    """Sourced unit costs of 第18条 2 [CNY per person, 2003 prices]."""

    birthday_first_object_cny: float = Field(ge=0)
    birthday_second_object_cny: float = Field(ge=0)
    festival_gift_cny: float = Field(ge=0)
    festivals_per_year: int = Field(ge=0)
    hospital_visit_max_cny: float = Field(ge=0)


class Revisits(_Model):
    """Revisits a year (第17条 6, 第18条 2③): Gold ≥ 3, Silver ≥ 2 per customer; for regular
    customers ``regular_per_year`` campaigns a year (第17条 6 回访活动, assumed: a campaign, not
    a revisit owed to each customer)."""

    gold_min_per_year: int = Field(ge=0)
    silver_min_per_year: int = Field(ge=0)
    regular_per_year: int = Field(ge=0)


class ExecutiveQuotas(_Model):
    """第23–25条: revisits executives join in person each year [distinct customers].

    ``*_min`` are minima (至少); ``*_max`` the expected upper end of the range, never a cap
    (``range_reading``, assumed). ``gm_office_may_join_silver`` (assumed) lets GM-office
    members join Silver revisits too.
    """

    gm_office_members: int = Field(ge=0)
    gm_office_gold_min: int = Field(ge=0)
    gm_office_gold_max: int = Field(ge=0)
    gm_office_may_join_silver: bool = False
    department_heads: int = Field(ge=0)
    department_head_gold_min: int = Field(ge=0)
    department_head_gold_max: int = Field(ge=0)
    department_head_silver_min: int = Field(ge=0)
    department_head_silver_max: int = Field(ge=0)
    branch_head_silver_min: int = Field(ge=0)
    branch_head_visits_all_local_gold: bool
    range_reading: Literal["minimum_with_expected_upper_end"] = "minimum_with_expected_upper_end"

    @model_validator(mode="after")
    def _ranges(self):
        for lo, hi in [("gm_office_gold_min", "gm_office_gold_max"),
                       ("department_head_gold_min", "department_head_gold_max"),
                       ("department_head_silver_min", "department_head_silver_max")]:
            if getattr(self, lo) > getattr(self, hi):
                raise ValueError(f"{lo} = {getattr(self, lo)} exceeds {hi} = {getattr(self, hi)}")
        return self

    def quota_table(self):
        """The executives' revisit quotas of 第23–25条: the one table of who visits how many VIPs.

        Used by the budget's revisit load and by the assessment's revisit plan.

        Returns
        -------
        DataFrame
            One row per role: ``gm_office`` (总经理室, 第23条), ``department_head`` (部门负责人,
            第24条), ``branch_head`` (分公司团险负责人, 第25条). Columns: ``persons`` [persons;
            NaN for branch heads, one a branch], ``gold_min``, ``gold_max``, ``silver_min``,
            ``silver_max`` [distinct customers a person a year; ``*_min`` the minimum (至少),
            ``*_max`` the expected upper end of the range (``range_reading``: never a cap),
            ``inf`` where the articles name no range], ``all_local_gold`` (the branch head's
            Gold minimum is every Gold customer of the branch, 第25条, on top of
            ``gold_min``) and ``may_join_silver`` (the role may be assigned Silver revisits).
        """
        import pandas as pd

        inf = math.inf
        rows = {
            "gm_office": (self.gm_office_members, self.gm_office_gold_min, self.gm_office_gold_max,
                          0, 0, False, self.gm_office_may_join_silver),
            "department_head": (self.department_heads, self.department_head_gold_min,
                                self.department_head_gold_max, self.department_head_silver_min,
                                self.department_head_silver_max, False, True),
            "branch_head": (math.nan, 0, inf, self.branch_head_silver_min, inf,
                            self.branch_head_visits_all_local_gold, True),
        }
        table = pd.DataFrame.from_dict(rows, orient="index", columns=[
            "persons", "gold_min", "gold_max", "silver_min", "silver_max", "all_local_gold",
            "may_join_silver"])
        table.index.name = "role"
        return table


class SatisfactionTarget(_Model):
    """第35条 satisfaction targets of one tier [shares]; ``satisfied_min`` is the share that
    chose 满意 itself (第35条 3, regular customers only)."""

    very_satisfied_min: float = Share
    satisfied_min: float | None = Field(default=None, ge=0.0, le=1.0)
    satisfied_or_better_min: float = Share
    average_max: float = Share
    dissatisfied_max: float = Share
    head_office_weight: float = Share


class Satisfaction(_Model):
    """第35条 satisfaction targets per tier and the head-office : branch weights.

    ``regular_reading`` (assumed): ``literal`` tests 满意 alone ≥ ``regular.satisfied_min``
    (65 %); ``cumulative`` tests satisfied-or-better ≥ ``regular.satisfied_or_better_min``
    (30 + 65 = 95 %). ``weights_reading`` (assumed): the 30 : 70 weights blend the
    head-office and branch surveys.
    """

    gold: SatisfactionTarget
    silver: SatisfactionTarget
    regular: SatisfactionTarget
    regular_reading: Literal["literal", "cumulative"] = "cumulative"
    weights_reading: Literal["survey_blend"] = "survey_blend"

    @model_validator(mode="after")
    def _literal_needs_number(self):
        if self.regular_reading == "literal" and self.regular.satisfied_min is None:
            raise ValueError("regular_reading 'literal' needs regular.satisfied_min (第35条 3: 65 %)")
        return self


class Complaints(_Model):
    """第34条 consequences of verified complaints."""

    back_office_actions: list[str] = Field(min_length=1)
    back_office_pay_deduction_share: float = Share
    salesperson_actions: list[str] = Field(min_length=1)
    count_window: Literal["calendar_year", "all_time"] = "calendar_year"
    beyond_last_action: Literal["repeat_last"] = "repeat_last"
    monthly_deduction_cap: float = Field(default=1.0, ge=0.0, le=1.0)


# ----------------------------------------------------------------------------- service budget
CostBasis = Literal["first_object", "second_object", "service_object", "customer", "event", "branch",
                   "company"]
Payer = Literal["head_office", "branch"]
VipTier = Literal["gold", "silver"]


class ServiceItem(_Model):
    """One VIP service of 第18–19条 in the cost catalogue: a row of 附件七.

    ``per_year`` [count/yr] and ``unit_cost_cny`` [CNY, base-year prices] are numbers or the
    dotted path of a policy value (``unit_costs.festival_gift_cny``), so that sourced numbers
    stay in one place. See ``params/policy-2003.yaml`` for the meaning of every field.
    """

    label: str = Field(min_length=1)
    article: str = Field(min_length=1)
    tiers: list[VipTier] = Field(min_length=1)
    basis: CostBasis
    per_year: float | str
    unit_cost_cny: float | str
    take_up: float = Field(default=1.0, ge=0.0, le=1.0)
    variation: Literal["none", "poisson", "participation"] = "none"
    prorate: bool
    payer: Payer
    branch_classes: list[Literal["A", "B", "C", "D"]] = Field(default=list(BRANCH_CLASSES), min_length=1)

    @field_validator("per_year", "unit_cost_cny")
    @classmethod
    def _non_negative(cls, v):
        if isinstance(v, str):
            if not v or " " in v:
                raise ValueError(f"'{v}' is neither a number nor a dotted policy path")
        elif not v >= 0:  # also refuses NaN
            raise ValueError("must be a number >= 0")
        return v


class PriceIndex(_Model):
    """Carries base-year unit costs to a forecast year: ``(1 + annual_rate) ** (year - base_year)``."""

    base_year: int = Field(ge=1990, le=2100)
    annual_rate: float = Field(ge=-0.5, le=1.0)  # [share a year]
    annual_rate_sd: float = Field(ge=0.0, le=1.0)  # [share a year], Monte Carlo only


class VipCountScenario(_Model):
    """Yearly churn and new business as shares of the current VIP count [share, 0–1]."""

    gold_churn: float = Share
    gold_new: float = Share
    silver_churn: float = Share
    silver_new: float = Share


class BudgetAssumptions(_Model):
    """Assumptions of the VIP service budget (第26条, 附件七): approval month, VIP-count cases."""

    new_gold_approval_month: int = Field(ge=1, le=12)
    new_silver_approval_month: int = Field(default=7, ge=1, le=12)
    vip_count_scenario: str
    vip_count_scenarios: dict[str, VipCountScenario] = Field(min_length=1)

    @model_validator(mode="after")
    def _known_scenario(self):
        if self.vip_count_scenario not in self.vip_count_scenarios:
            raise ValueError(f"vip_count_scenario '{self.vip_count_scenario}' is not one of "
                             f"{sorted(self.vip_count_scenarios)}")
        return self


class AnnualCycle(_Model):
    """The annual cycle: the 15 January due date of the Gold list and revisit plan (第26条 4,
    第27条 1) and the assumptions of the years-ahead projection [share a year]."""

    list_due_month: int = Field(ge=1, le=12)
    list_due_day: int = Field(ge=1, le=31)
    due_date_inclusive: bool
    premium_growth: float = Field(ge=-0.5, le=1.0)
    premium_growth_sd: float = Field(ge=0.0, le=1.0)
    new_customer_share: float = Share
    lapse_share: float = Share

# ----------------------------------------------------------------------------- service delivery
class Hotline(_Model):
    """第18条 2① VIP hotline (附件五): who it serves and the answer times [days after receipt]."""

    vip_only: bool
    enquiry_answer_days: int = Field(ge=0)
    complaint_answer_days: int = Field(ge=0)
    complaint_calendar_days: bool  # 三天内 read as calendar days (assumed); False: working days


class DeliveryMinimum(_Model):
    """A minimum yearly delivery of one catalogue service to each VIP of its tiers (第18条 2, 第19条).

    ``per_year`` [count/yr per basis unit] is a number or a dotted policy path; ``basis`` the
    unit it is counted on (customer or key persons, 第16条); ``prorate``: scaled by the
    service months of a part year (第12条).
    """

    per_year: float | str
    basis: Literal["customer", "first_object", "second_object", "service_object"]
    prorate: bool


class DeliveryRules(_Model):
    """Readings of the delivery standards the text leaves open (附件二/四, 第17条 5)."""

    part_year_rounding: Literal["ceil", "floor", "round"]
    notice_max_days: int = Field(ge=0)  # [calendar days] maturity/lapse notice after the event
    # 第19条 2: what meets the yearly minimum of the club event and the study tour (邀请, invited):
    # an invitation (or an attendance, which proves one) or only an attendance
    invitation_count: Literal["invitation", "attendance"]
    # 第19条 1: what meets the yearly minimum of the health check (提供, provided): a check
    # offered (or taken, which proves the offer) or only a check taken
    health_check_count: Literal["offer", "attendance"]


class BranchScorecardRules(_Model):
    """第32条 branch service scorecard: how its parts are combined (assumed; the text gives no
    weighting). ``mean_rank``: the mean of the branch's ranks on service times, satisfaction,
    complaints and delivery; ``none``: no composite, the parts only."""

    composite: Literal["mean_rank", "none"] = "mean_rank"


def resolve_number(tree: Any, ref: float | str, where: str) -> float:
    """The number ``ref`` names: itself, or the policy value at a dotted path.

    ``tree`` is a Policy (or the dict of already validated sections during validation).
    """
    if not isinstance(ref, str):
        return float(ref)
    node = tree
    for key in ref.split("."):
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, BaseModel) and key in type(node).model_fields:
            node = getattr(node, key)
        else:
            options = node.keys() if isinstance(node, dict) else (
                type(node).model_fields if isinstance(node, BaseModel) else [])
            raise ValueError(f"{where}: '{ref}' names no policy value (at '{key}'"
                             f"{_nearest(key, options) if options else ''})")
    if isinstance(node, bool) or not isinstance(node, (int, float)) or not node >= 0:
        raise ValueError(f"{where}: '{ref}' is {node!r}, not a number >= 0")
    return float(node)


class Policy(_Model):
    """Every number of the policy in force (the 2003 text plus assumptions, plus a scenario)."""

    value_index: ValueIndex
    conversion_tables: ConversionTables
    table_uncertainty: TableUncertainty  # the lost 附表1–3: family of plausible tables
    standard_premium: StandardPremium
    eligibility: Eligibility
    readings: Readings = Readings()
    gold_selection: GoldSelection
    silver_selection: SilverSelection
    service_start: ServiceStart
    service_times: ServiceTimes
    unit_costs: UnitCosts
    revisits: Revisits
    executive_quotas: ExecutiveQuotas
    satisfaction: Satisfaction
    complaints: Complaints
    service_catalogue: dict[str, ServiceItem] = Field(min_length=1)  # 第18–19条, 附件七
    price_index: PriceIndex
    budget_assumptions: BudgetAssumptions
    annual_cycle: AnnualCycle

    hotline: Hotline  # 第18条 2①, 附件五
    delivery_minimums: dict[str, DeliveryMinimum] = Field(min_length=1)  # 第18条 2, 第19条, 附件二/四
    delivery_rules: DeliveryRules
    branch_scorecard: BranchScorecardRules = BranchScorecardRules()  # 第32条

    @field_validator("service_catalogue")
    @classmethod
    def _catalogue_references(cls, catalogue, info):
        """Paths in ``per_year`` / ``unit_cost_cny`` must name numbers of the policy."""
        for name, item in catalogue.items():
            for field in ("per_year", "unit_cost_cny"):
                resolve_number(info.data, getattr(item, field), f"{name}.{field}")
        return catalogue

    @field_validator("delivery_minimums")
    @classmethod
    def _minimums_name_services(cls, minimums, info):
        """Each minimum names a catalogue service; its ``per_year`` path names a number."""
        catalogue = info.data.get("service_catalogue") or {}
        for name, item in minimums.items():
            if catalogue and name not in catalogue:
                raise ValueError(f"'{name}' is not a service of service_catalogue")
            resolve_number(info.data, item.per_year, f"{name}.per_year")
        return minimums

    # Not validated fields: where each value comes from, and the files it was read from.
    _provenance: dict = {}
    _files: tuple = ()
    _scenario: str | None = None

    @property
    def provenance(self) -> dict[str, "Provenance"]:
        return self._provenance

    @property
    def files(self) -> tuple[Path, ...]:
        return self._files

    @property
    def scenario(self) -> str | None:
        return self._scenario

    def silver_criteria(self, branch_class: str) -> Criteria:
        return getattr(self.eligibility.silver, branch_class)

    def assumptions(self) -> list[tuple[str, Any, str]]:
        """``(path, value, reason)`` of every assumed value in force."""
        out = []
        for path, prov in self._provenance.items():
            if prov.assumed or prov.scenario:
                out.append((path, get_path(self.model_dump(), path), prov.describe()))
        return out

    def with_values(self, changes: dict[str, Any], note: str = "override") -> "Policy":
        """A new policy with the dotted-path ``changes`` applied and validated.

        Each changed value is marked in the provenance as set by ``note`` (e.g. a scenario
        or a calibration), keeping the value it replaced.
        """
        values = self.model_dump()
        prov = dict(self._provenance)
        for path, new in changes.items():
            # the leaf is the path itself or the table it is a key of (….premium.breaks)
            leaf = _leaf_path(prov, path, file=f"<{note}>")
            try:
                set_path(values, path, new)
            except (KeyError, TypeError, IndexError):  # a key below a value that has none
                raise ParameterError(f"<{note}>", path,
                                     f"not a parameter: '{leaf}' has no '{path[len(leaf) + 1:]}'") from None
            prov[leaf] = prov[leaf].changed_by(note, get_path(self.model_dump(), leaf))
        return _build(values, prov, files=self._files, scenario=self._scenario, file=f"<{note}>")

    def as_leaves(self) -> dict[str, Any]:
        """``{dotted.path: value}`` of every leaf."""
        values = self.model_dump()
        return {path: get_path(values, path) for path in self._provenance}


@dataclass(frozen=True)
class Provenance:
    """Where a parameter value comes from."""

    source: str | None = None  # article, e.g. "第11条"
    assumed: bool = False
    reason: str | None = None  # the reason of an assumption, in English
    scenario: str | None = None  # name of the scenario/calibration that set it
    base_value: Any = None  # the value it replaced
    label_zh: str | None = None  # the reader's name of the parameter (报告、图表、假设清单)
    label_en: str | None = None
    reason_zh: str | None = None  # the reason of an assumption, in Chinese

    def label(self, lang: str = "zh") -> str | None:
        """The reader's name in ``lang`` ("zh" or "en")."""
        return self.label_zh if lang == "zh" else self.label_en

    def reason_in(self, lang: str = "zh") -> str | None:
        """The reason of an assumption in ``lang`` ("zh" or "en"); None for a sourced value."""
        return self.reason_zh if lang == "zh" else self.reason

    @property
    def kind(self) -> str:
        if self.scenario:
            return f"scenario:{self.scenario}"
        return "assumed" if self.assumed else "sourced"

    def describe(self) -> str:
        base = f"assumed — {self.reason}" if self.assumed else f"{self.source}"
        if self.scenario:
            return f"set by {self.scenario} (was {self.base_value!r}; {base})"
        return base

    def changed_by(self, scenario: str, base_value: Any) -> "Provenance":
        if self.scenario:  # keep the original base value through successive changes
            base_value = self.base_value
        return Provenance(self.source, self.assumed, self.reason, scenario, base_value,
                          self.label_zh, self.label_en, self.reason_zh)


# ----------------------------------------------------------------------------- path helpers
def get_path(tree: dict, path: str) -> Any:
    """The value at dotted ``path`` of a nested mapping."""
    node = tree
    for key in path.split("."):
        node = node[key]
    return node


def set_path(tree: dict, path: str, value: Any) -> None:
    """Set the value at dotted ``path`` of a nested mapping."""
    keys = path.split(".")
    node = tree
    for key in keys[:-1]:
        node = node[key]
    node[keys[-1]] = value


def _nearest(name: str, options) -> str:
    match = difflib.get_close_matches(name, list(options), n=1, cutoff=0.5)
    return f"; did you mean '{match[0]}'?" if match else f"; valid keys: {', '.join(sorted(options))}"


def _leaf_path(prov: dict, path: str, file: str) -> str:
    """The provenance leaf that holds ``path`` (itself, or the table it is a key of)."""
    if path in prov:
        return path
    parts = path.split(".")
    for i in range(len(parts) - 1, 0, -1):
        head = ".".join(parts[:i])
        if head in prov:
            return head
    # unknown: find the deepest valid prefix to suggest a name
    known = {p for leaf in prov for p in _prefixes(leaf)}
    prefix = ""
    for depth, key in enumerate(parts):
        cand = f"{prefix}.{key}" if prefix else key
        if cand not in known:
            siblings = {p.rsplit(".", 1)[-1] for p in known
                        if p.count(".") == depth and (not prefix or p.startswith(prefix + "."))}
            raise ParameterError(file, cand, f"unknown key '{key}'{_nearest(key, siblings)}")
        prefix = cand
    raise ParameterError(file, path, "not a parameter")


def _prefixes(path: str):
    parts = path.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


# ----------------------------------------------------------------------------- loading
PROVENANCE_KEYS = {"value", "source", "assumed", "reason", "reason_zh", "label_zh", "label_en"}
#: What a leaf of the base policy must carry beside its value: the reader's name in both
#: languages (pages, charts and the register never show the dotted path).
LABEL_KEYS = ("label_zh", "label_en")
#: What a scenario file may write beside a value: names and reasons come from the base policy.
SCENARIO_LEAF_KEYS = {"value", "source", "assumed", "reason"}
_PROVENANCE_ORDER = ("source", "assumed", "reason", "reason_zh", "label_zh", "label_en")


def _split(node: Any, path: str, file: str, values: dict, prov: dict) -> None:
    """Walk a raw base tree, filling ``values`` (plain tree) and ``prov`` (leaf → Provenance)."""
    if not isinstance(node, dict):
        raise ParameterError(
            file, path,
            "every parameter must be written as {value: ..., source: 第N条} or "
            "{value: ..., assumed: true, reason: ...}",
        )
    if "value" in node:
        _split_leaf(node, path, file, values, prov)
        return
    stray = [k for k in _PROVENANCE_ORDER if k in node and not isinstance(node[k], dict)]
    if stray:
        raise ParameterError(file, path, f"'{stray[0]}' without a 'value': write the parameter as "
                                         f"{{value: ..., {stray[0]}: ...}}")
    for key, child in node.items():
        child_path = f"{path}.{key}" if path else str(key)
        if isinstance(child, dict) and "value" not in child:
            set_path(values, child_path, {})
        _split(child, child_path, file, values, prov)


def _split_leaf(node: dict, path: str, file: str, values: dict, prov: dict) -> None:
    """One parameter of the base: its value and its provenance (a source, or assumed with a reason)."""
    extra = set(node) - PROVENANCE_KEYS
    if extra:
        key = sorted(extra)[0]
        raise ParameterError(file, f"{path}.{key}",
                             f"unknown key '{key}' beside 'value'{_nearest(key, PROVENANCE_KEYS)}")
    assumed = node.get("assumed", False)
    if assumed is not True and assumed is not False:
        raise ParameterError(file, f"{path}.assumed", "must be true or false")
    if assumed and not node.get("reason"):
        raise ParameterError(file, path, "an assumed value needs a 'reason'")
    if assumed and not _text(node.get("reason_zh")):
        raise ParameterError(file, f"{path}.reason_zh",
                             "an assumed value needs its reason in Chinese ('reason_zh') beside 'reason'")
    if not assumed and not node.get("source"):
        raise ParameterError(file, path,
                             "a value needs its 'source' (article) or 'assumed: true' with a reason")
    for key in LABEL_KEYS:
        if not _text(node.get(key)):
            raise ParameterError(file, f"{path}.{key}",
                                 f"every value needs its reader's name in Chinese and English ('label_zh' and "
                                 f"'label_en'); '{key}' is missing — pages, charts and the assumptions "
                                 f"register show it instead of the path")
    set_path(values, path, copy.deepcopy(node["value"]))
    prov[path] = Provenance(source=node.get("source"), assumed=assumed, reason=node.get("reason"),
                            label_zh=node["label_zh"].strip(), label_en=node["label_en"].strip(),
                            reason_zh=_text(node.get("reason_zh")) or None)


def _text(value) -> str:
    """A text field's words ("" when absent, blank or not text)."""
    return value.strip() if isinstance(value, str) else ""


def _build(values: dict, prov: dict, files, scenario, file: str) -> Policy:
    try:
        policy = Policy.model_validate(values)
    except ValidationError as exc:
        errors = exc.errors()
        # a misspelt key also shows as the right key missing: report the misspelling
        err = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        path = ".".join(str(p) for p in err["loc"])
        if err["type"] == "extra_forbidden":
            key = str(err["loc"][-1])
            parent = ".".join(str(p) for p in err["loc"][:-1])
            model = Policy
            for k in err["loc"][:-1]:
                if str(k) in getattr(model, "model_fields", {}):
                    model = model.model_fields[str(k)].annotation
                else:  # a key of a mapping field (service_catalogue.NAME): its value model
                    model = get_args(model)[-1]
            rule = f"unknown key '{key}'{_nearest(key, model.model_fields)}"
            path = f"{parent}.{key}" if parent else key
        elif err["type"] == "missing":
            rule = "required value is missing"
        else:
            got = err.get("input")  # a whole table as input would drown the message
            rule = err["msg"] + ("" if isinstance(got, (dict, list)) else f" (got {got!r})")
        raise ParameterError(file, path, rule) from None
    policy._provenance = prov
    policy._files = tuple(files)
    policy._scenario = scenario
    return policy


#: Largest parameter file read [bytes]: the policy as written is about 85 KB (with its names and
#: Chinese reasons), a scenario a few KB.
YAML_MAX_BYTES = 1 << 20
#: The booleans a parameter file may write (YAML 1.1 also reads yes/no/on/off as booleans).
_BOOLEANS = {"true": True, "false": False}


class _YamlRule(Exception):
    """A parameter file breaking one of the loader's rules: (line, rule)."""


class _ParameterLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when present: 10× faster
    """The safe loader, stricter: a key given twice in one mapping and a YAML 1.1 boolean
    (yes/no/on/off) are refused, naming the line."""

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (str, int, float, bool)) and key in seen:
                raise _YamlRule(key_node.start_mark.line + 1,
                                f"key '{key}' is given twice in one mapping (first on line {seen[key]}); "
                                f"keep one")
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_bool(self, node):
        text = str(node.value)
        if text.lower() not in _BOOLEANS:
            raise _YamlRule(node.start_mark.line + 1, f"'{text}' would be read as the boolean "
                                                      f"{text.lower() in ('yes', 'on', 'y')}; write true or false, "
                                                      f"or the number meant")
        return _BOOLEANS[text.lower()]


_ParameterLoader.add_constructor("tag:yaml.org,2002:bool", _ParameterLoader.construct_yaml_bool)


def _read_yaml(path: Path) -> dict:
    text = _yaml_text(Path(path))
    try:
        if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(text, Loader=_ParameterLoader)):
            raise ParameterError(str(path), "", "uses a YAML alias (*name); write each value out (aliases are "
                                                "not read: they can expand without bound)")
        data = yaml.load(text, Loader=_ParameterLoader)
    except _YamlRule as exc:
        line, rule = exc.args
        raise ParameterError(str(path), "", f"line {line}: {rule}") from None
    except yaml.YAMLError as exc:
        raise ParameterError(str(path), "", f"not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ParameterError(str(path), "", "the file must hold a mapping of parameters")
    _refuse_non_finite(data, "", str(path))
    return data


def _yaml_text(path: Path) -> str:
    """The text of a parameter file: a regular file, UTF-8, at most :data:`YAML_MAX_BYTES`."""
    import stat

    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise ParameterError(str(path), "", "is a folder, not a YAML file")
        if not stat.S_ISREG(mode):
            raise ParameterError(str(path), "", "is not a regular file (a named pipe or a device); give a "
                                                "YAML file saved on disk")
        with open(path, "rb") as fh:
            data = fh.read(YAML_MAX_BYTES + 1)
    except FileNotFoundError:
        raise ParameterError(str(path), "", "file not found") from None
    except OSError as exc:
        raise ParameterError(str(path), "", f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > YAML_MAX_BYTES:
        raise ParameterError(str(path), "", f"is larger than {YAML_MAX_BYTES // 1024:,} KB; a parameter file is "
                                            f"a few KB (the policy as written about 85 KB)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParameterError(str(path), "", f"is not UTF-8 text (byte {exc.start}); save it as UTF-8 "
                                            f"(GBK/GB18030 files are not read)") from None


#: Largest magnitude of any parameter: amounts are CNY a year, shares decimals, counts persons;
#: beyond it a value is a typo or an overflow (1e308), never a policy.
VALUE_MAX = 1e15
_TEXT_KEYS = {"description", "reason", "source", "note", "title", "label", "reason_zh", "label_zh", "label_en"}
_NUMBER_TEXT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|[+-]?\.?(inf|infinity|nan)", re.I)


def _refuse_non_finite(node: Any, path: str, file: str) -> None:
    """inf, -inf and NaN (YAML .inf, .nan) and absurd magnitudes (1e308) are never parameter
    values; neither as numbers nor as number text that a field would convert."""
    if isinstance(node, dict):
        for key, child in node.items():
            if str(key) not in _TEXT_KEYS:
                _refuse_non_finite(child, f"{path}.{key}" if path else str(key), file)
        return
    if isinstance(node, list):
        for i, child in enumerate(node):
            _refuse_non_finite(child, f"{path}[{i}]", file)
        return
    if isinstance(node, bool):
        return
    if isinstance(node, str) and _NUMBER_TEXT.fullmatch(node.strip()):
        node = float(node.strip().replace(".inf", "inf").replace(".nan", "nan").replace(".INF", "inf"))
    if isinstance(node, (int, float)):
        if isinstance(node, float) and not math.isfinite(node):
            raise ParameterError(file, path, f"{node} is not a finite number")
        if abs(node) > VALUE_MAX:
            raise ParameterError(file, path, f"{node:g} is beyond ±{VALUE_MAX:g}: not a plausible parameter "
                                             f"(amounts are CNY a year, shares decimals)")


def scenario_names(params_dir: Path | str = PARAMS_DIR) -> list[str]:
    """Names of the scenario files under ``params/scenarios/``."""
    return sorted(p.stem for p in (Path(params_dir) / "scenarios").glob("*.yaml"))


def scenario_path(name: str, params_dir: Path | str = PARAMS_DIR) -> Path:
    """The file of scenario ``name`` (a name under params/scenarios/ or a path to a YAML file)."""
    if not str(name).strip():
        raise ParameterError(str(name), "", "no scenario given (an empty name)")
    candidate = Path(name)
    if candidate.is_dir():
        raise ParameterError(str(candidate), "", "is a folder; give a scenario name or a .yaml file")
    if candidate.suffix in (".yaml", ".yml") and candidate.exists():
        return candidate
    path = Path(params_dir) / "scenarios" / f"{name}.yaml"
    if not path.exists():
        known = scenario_names(params_dir)
        raise ParameterError(str(path), "", f"no scenario '{name}'{_nearest(name, known) if known else ''}")
    return path


def _apply_scenario(raw: dict, values: dict, prov: dict, path: str, file: str, name: str) -> None:
    for key, child in raw.items():
        child_path = f"{path}.{key}" if path else str(key)
        if child_path in prov:
            if isinstance(child, dict) and "value" in child:
                extra = set(child) - SCENARIO_LEAF_KEYS
                if extra:
                    k = sorted(extra)[0]
                    rule = (f"'{k}' is not set by a scenario: names and Chinese reasons come from the base "
                            f"policy; a scenario changes values only") if k in PROVENANCE_KEYS \
                        else f"unknown key '{k}' beside 'value'"
                    raise ParameterError(file, f"{child_path}.{k}", rule)
                new = child["value"]
            else:
                new = child
            old = get_path(values, child_path)
            if isinstance(old, dict) and isinstance(new, dict):  # partial change of a table
                unknown = set(new) - set(old)
                if unknown:
                    k = sorted(unknown)[0]
                    raise ParameterError(file, f"{child_path}.{k}", f"unknown key '{k}'{_nearest(k, old)}")
                new = {**old, **new}
            set_path(values, child_path, copy.deepcopy(new))
            prov[child_path] = prov[child_path].changed_by(name, old)
        else:
            if not any(leaf.startswith(child_path + ".") for leaf in prov):  # not a branch node
                _leaf_path(prov, child_path, file)  # raises with the nearest valid name if unknown
            if not isinstance(child, dict):
                raise ParameterError(file, child_path, "expected a mapping of parameters here")
            _apply_scenario(child, values, prov, child_path, file, name)


def load_policy(scenario: str | None = None, params_dir: Path | str = PARAMS_DIR,
                base: str = BASE_FILE) -> Policy:
    """Load the 2003 policy, optionally with a scenario merged over it.

    Parameters
    ----------
    scenario : str, optional
        Name of a file in ``params/scenarios/`` (without ``.yaml``) or a path to one.
    params_dir : path
        Folder holding ``policy-2003.yaml`` and ``scenarios/``.

    Raises
    ------
    ParameterError
        Naming the file, the key path and the rule broken.
    """
    base_path = Path(params_dir) / base
    raw = _read_yaml(base_path)
    values: dict = {}
    prov: dict = {}
    _split(raw, "", str(base_path), values, prov)
    files = [base_path]
    policy = _build(values, prov, files, None, str(base_path))
    if scenario is None:
        return policy
    spath = scenario_path(scenario, params_dir)
    sraw = _read_yaml(spath)
    unchanged = ParameterError(str(spath), "", f"changes no parameter of {base}: it is the policy as written under "
                                                f"another name; leave --scenario out for the 2003 policy, or give "
                                                f"a file with only the keys it changes")
    if sraw == raw:  # the base policy itself, a link to it or a copy of it
        raise unchanged
    sraw.pop("description", None)
    name = spath.stem
    values = policy.model_dump()
    prov = dict(policy.provenance)
    _apply_scenario(sraw, values, prov, "", str(spath), name)
    if values == policy.model_dump():
        raise unchanged
    files.append(spath)
    return _build(values, prov, files, name, str(spath))


def scenario_description(scenario: str, params_dir: Path | str = PARAMS_DIR) -> str:
    """The ``description`` line of a scenario file."""
    return str(_read_yaml(scenario_path(scenario, params_dir)).get("description", ""))


def describe(policy: Policy, prefixes=None, assumed_only: bool = False) -> list[dict]:
    """Rows ``path, value, kind, provenance`` of every leaf, for display and reports.

    Parameters
    ----------
    policy : Policy
        The policy in force.
    prefixes : iterable of str, optional
        Keep only leaves whose dotted path starts with one of these (e.g.
        ``["executive_quotas", "satisfaction"]``); None keeps every leaf.
    assumed_only : bool
        Keep only assumed (or scenario-set) leaves: the assumptions a report rests on.

    Returns
    -------
    list of dict
        One row per leaf, the provenance in full text (article, or reason of the assumption).
    """
    prefixes = tuple(prefixes) if prefixes is not None else None
    rows = []
    for path, value in policy.as_leaves().items():
        if prefixes is not None and not any(path == p or path.startswith(p + ".") for p in prefixes):
            continue
        prov = policy.provenance[path]
        if assumed_only and not (prov.assumed or prov.scenario):
            continue
        rows.append({"path": path, "value": value, "kind": prov.kind, "provenance": prov.describe(),
                     "label_zh": prov.label_zh, "label_en": prov.label_en, "source": prov.source,
                     "reason_zh": prov.reason_zh, "reason_en": prov.reason,
                     "scenario": prov.scenario, "base_value": prov.base_value})
    return rows


@functools.lru_cache(maxsize=1)
def _base_provenance() -> dict:
    return dict(load_policy().provenance)


def parameter_leaf(path: str, policy: "Policy | None" = None) -> str | None:
    """The leaf of the policy file that holds dotted ``path`` (itself, or the table value it is
    a field of: ``conversion_tables.premium.breaks`` → ``conversion_tables.premium``); None
    when ``path`` is no parameter."""
    prov = dict(policy.provenance) if policy is not None else _base_provenance()
    try:
        return _leaf_path(prov, str(path), "<label>")
    except ParameterError:
        return None


def parameter_label(path: str, lang: str = "zh", policy: "Policy | None" = None) -> str:
    """The reader's name of the parameter at dotted ``path`` in ``lang``.

    The name is the leaf's ``label_zh``/``label_en`` in the policy file (``policy``, or the
    shipped 2003 policy); a path below a leaf (``conversion_tables.premium.breaks``) takes the
    leaf's name. A path that is no parameter is returned unchanged.
    """
    prov = dict(policy.provenance) if policy is not None else _base_provenance()
    try:
        leaf = _leaf_path(prov, str(path), "<label>")
    except ParameterError:
        return str(path)
    return prov[leaf].label(lang) or str(path)
