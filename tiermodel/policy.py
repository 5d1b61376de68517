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
import math
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
        total = self.premium + self.loyalty + self.profit
        if not math.isclose(total, 1.0, abs_tol=1e-9):
            raise ValueError(
                f"weights must sum to 1 (第10条 30/30/40); these sum to {total:.6g}"
            )
        return self

    def as_array(self) -> np.ndarray:
        return np.array([self.premium, self.loyalty, self.profit])


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
        for i in range(1, len(breaks)):
            if not breaks[i] > breaks[i - 1]:
                raise ValueError(
                    f"band edges must be strictly increasing; breaks[{i - 1}] = {breaks[i - 1]} "
                    f"is not below breaks[{i}] = {breaks[i]}"
                )
        return breaks

    @field_validator("coefficients")
    @classmethod
    def _in_unit_interval(cls, coefs):
        for i, c in enumerate(coefs):
            if not 0.0 <= c <= 1.0:
                raise ValueError(f"coefficients[{i}] = {c} is outside [0, 1]")
        return coefs

    @model_validator(mode="after")
    def _lengths(self):
        if len(self.coefficients) != len(self.breaks) + 1:
            raise ValueError(
                f"a table with {len(self.breaks)} breaks needs {len(self.breaks) + 1} "
                f"coefficients, not {len(self.coefficients)}"
            )
        return self


class ConversionTables(_Model):
    """The three conversion tables of 第10条 (附表1–3, lost: banded assumptions)."""

    premium: BandTable  # 附表1, standard premium [CNY/yr]
    loyalty: BandTable  # 附表2, effective insured years [years]
    profit: BandTable  # 附表3, profit margin [share]


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
    """第11条 entry criteria (入围标准) of Gold and of Silver per class."""

    gold: Criteria
    silver: SilverCriteria


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


class SilverSelection(_Model):
    """第13条 Silver places: a branch's own capacity (default per class, assumed)."""

    capacity_per_class: PerClassCount


class ServiceStart(_Model):
    """第12条 service start: the month after approval (确定次月)."""

    months_after_approval: int = Field(ge=0, le=12)
    approval_month: int = Field(ge=1, le=12)


class ServiceTime(_Model):
    """One service-time limit of 第17–18条 in working days: regular, VIP, extra-large VIP."""

    regular_days: int = Field(ge=0)
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


class UnitCosts(_Model):
    """Sourced unit costs of 第18条 2 [CNY per person, 2003 prices]."""

    birthday_first_object_cny: float = Field(ge=0)
    birthday_second_object_cny: float = Field(ge=0)
    festival_gift_cny: float = Field(ge=0)
    festivals_per_year: int = Field(ge=0)
    hospital_visit_max_cny: float = Field(ge=0)


class Revisits(_Model):
    """Revisits a year (第17条 6, 第18条 2③): Gold ≥ 3, Silver ≥ 2, one regular campaign."""

    gold_min_per_year: int = Field(ge=0)
    silver_min_per_year: int = Field(ge=0)
    regular_per_year: int = Field(ge=0)


class ExecutiveQuotas(_Model):
    """第23–25条: revisits executives join in person each year (minima)."""

    gm_office_members: int = Field(ge=0)
    gm_office_gold_min: int = Field(ge=0)
    gm_office_gold_max: int = Field(ge=0)
    department_heads: int = Field(ge=0)
    department_head_gold_min: int = Field(ge=0)
    department_head_gold_max: int = Field(ge=0)
    department_head_silver_min: int = Field(ge=0)
    department_head_silver_max: int = Field(ge=0)
    branch_head_silver_min: int = Field(ge=0)
    branch_head_visits_all_local_gold: bool

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
            ``silver_max`` [distinct customers a person a year; ``inf`` where the articles set
            no upper bound] and ``all_local_gold`` (the branch head's Gold minimum is every
            Gold customer of the branch, 第25条, on top of ``gold_min``).
        """
        import pandas as pd

        inf = math.inf
        rows = {
            "gm_office": (self.gm_office_members, self.gm_office_gold_min, self.gm_office_gold_max,
                          0, 0, False),
            "department_head": (self.department_heads, self.department_head_gold_min,
                                self.department_head_gold_max, self.department_head_silver_min,
                                self.department_head_silver_max, False),
            "branch_head": (math.nan, 0, inf, self.branch_head_silver_min, inf,
                            self.branch_head_visits_all_local_gold),
        }
        table = pd.DataFrame.from_dict(rows, orient="index", columns=[
            "persons", "gold_min", "gold_max", "silver_min", "silver_max", "all_local_gold"])
        table.index.name = "role"
        return table


class SatisfactionTarget(_Model):
    """第35条 satisfaction targets of one tier [shares]."""

    very_satisfied_min: float = Share
    satisfied_or_better_min: float = Share
    average_max: float = Share
    dissatisfied_max: float = Share
    head_office_weight: float = Share


class Satisfaction(_Model):
    """第35条 satisfaction targets per tier and the head-office : branch weights."""

    gold: SatisfactionTarget
    silver: SatisfactionTarget
    regular: SatisfactionTarget


class Complaints(_Model):
    """第34条 consequences of verified complaints."""

    back_office_actions: list[str] = Field(min_length=1)
    back_office_pay_deduction_share: float = Share
    salesperson_actions: list[str] = Field(min_length=1)


# ----------------------------------------------------------------------------- service budget
CostBasis = Literal["first_object", "second_object", "service_object", "customer", "event", "branch"]
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
    vip_count_scenario: str
    vip_count_scenarios: dict[str, VipCountScenario] = Field(min_length=1)

    @model_validator(mode="after")
    def _known_scenario(self):
        if self.vip_count_scenario not in self.vip_count_scenarios:
            raise ValueError(f"vip_count_scenario '{self.vip_count_scenario}' is not one of "
                             f"{sorted(self.vip_count_scenarios)}")
        return self


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
    standard_premium: StandardPremium
    eligibility: Eligibility
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
    hotline: Hotline  # 第18条 2①, 附件五
    delivery_minimums: dict[str, DeliveryMinimum] = Field(min_length=1)  # 第18条 2, 第19条, 附件二/四
    delivery_rules: DeliveryRules

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
            set_path(values, path, new)
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
    reason: str | None = None
    scenario: str | None = None  # name of the scenario/calibration that set it
    base_value: Any = None  # the value it replaced

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
        return Provenance(self.source, self.assumed, self.reason, scenario, base_value)


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
PROVENANCE_KEYS = {"value", "source", "assumed", "reason"}


def _split(node: Any, path: str, file: str, values: dict, prov: dict) -> None:
    """Walk a raw base tree, filling ``values`` (plain tree) and ``prov`` (leaf → Provenance)."""
    if not isinstance(node, dict):
        raise ParameterError(
            file, path,
            "every parameter must be written as {value: ..., source: 第N条} or "
            "{value: ..., assumed: true, reason: ...}",
        )
    if "value" in node:
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
        if not assumed and not node.get("source"):
            raise ParameterError(file, path,
                                 "a value needs its 'source' (article) or 'assumed: true' with a reason")
        set_path(values, path, copy.deepcopy(node["value"]))
        prov[path] = Provenance(source=node.get("source"), assumed=assumed, reason=node.get("reason"))
        return
    for key, child in node.items():
        child_path = f"{path}.{key}" if path else str(key)
        if isinstance(child, dict) and "value" not in child:
            set_path(values, child_path, {})
        _split(child, child_path, file, values, prov)


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


def _read_yaml(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except FileNotFoundError:
        raise ParameterError(str(path), "", "file not found") from None
    except yaml.YAMLError as exc:
        raise ParameterError(str(path), "", f"not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ParameterError(str(path), "", "the file must hold a mapping of parameters")
    return data


def scenario_names(params_dir: Path | str = PARAMS_DIR) -> list[str]:
    """Names of the scenario files under ``params/scenarios/``."""
    return sorted(p.stem for p in (Path(params_dir) / "scenarios").glob("*.yaml"))


def scenario_path(name: str, params_dir: Path | str = PARAMS_DIR) -> Path:
    """The file of scenario ``name`` (a name under params/scenarios/ or a path to a YAML file)."""
    candidate = Path(name)
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
                extra = set(child) - PROVENANCE_KEYS
                if extra:
                    k = sorted(extra)[0]
                    raise ParameterError(file, f"{child_path}.{k}", f"unknown key '{k}' beside 'value'")
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
    sraw.pop("description", None)
    name = spath.stem
    values = policy.model_dump()
    prov = dict(policy.provenance)
    _apply_scenario(sraw, values, prov, "", str(spath), name)
    files.append(spath)
    return _build(values, prov, files, name, str(spath))


def scenario_description(scenario: str, params_dir: Path | str = PARAMS_DIR) -> str:
    """The ``description`` line of a scenario file."""
    return str(_read_yaml(scenario_path(scenario, params_dir)).get("description", ""))


def describe(policy: Policy) -> list[dict]:
    """Rows ``path, value, kind, provenance`` of every leaf, for display and reports."""
    rows = []
    for path, value in policy.as_leaves().items():
        prov = policy.provenance[path]
        rows.append({"path": path, "value": value, "kind": prov.kind, "provenance": prov.describe()})
    return rows
