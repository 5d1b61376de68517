"""What if a lever of the policy moved? The base computed once, each change answered at once.

:class:`WhatIf` holds the base — the policy, the book, the Silver places per branch, the base
tiering, its standing and its 附件七 budget — and :meth:`WhatIf.apply` answers one setting of
the levers against it: the Gold and Silver counts by branch class, who enters and who leaves
with the reason code of :mod:`.changes`, the 附件七 budget and its change [CNY], and, for a
chosen customer, the value index split into its three parts of 第10条 and the ranks.

A setting (``changes``) maps a lever to its value:

* a parameter path of the policy: ``value_index.weights.premium`` (第10条 30/30/40),
  ``value_index.k1.year_4_plus`` and the other K1/K2 factors, ``eligibility.gold.health_premium_min``
  and the other 第11条 thresholds (Gold, Silver A–D) [CNY/yr, share],
  ``gold_selection.existing_places`` / ``new_places`` (第13条 30 + 10),
  ``silver_selection.capacity_per_class.A`` … (the class default of Silver places) — or any
  other leaf a scenario file may change;
* ``silver_places.<branch>``: one branch's own Silver places (第13条 leaves them to the
  branch's service capacity; they are branch-table data, not a policy parameter).

A bad setting raises :class:`~tiermodel.errors.LeverError` naming the lever, and changes
nothing. :func:`scenario_text` writes a setting as a scenario file (every changed value
``assumed: true`` with the user's reason) that :func:`tiermodel.policy.load_policy` reads back.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import yaml

from .. import budget
from ..errors import LeverError, ParameterError
from ..notes import Note, note
from ..policy import PARAMS_DIR, Policy, get_path, parameter_leaf, scenario_names
from ..result import Result
from ..scoring import combine, score, with_columns, year_factor
from ..tiers import Tiering, assign_tiers, branch_capacity
from ..vocabulary import BRANCH_CLASSES, TIERS
from .changes import transitions
from .standings import Standing, places, standing

#: Prefix of a branch's own Silver places in a setting: ``silver_places.<branch>``.
BRANCH_PLACES = "silver_places"
#: Tolerance of the weight sum (第10条: the three weights sum to 1).
WEIGHT_TOL = 1e-9
#: Parameters of the value index that leave the three coefficients (附表1–3) as they are: a
#: change of them only recombines the coefficients (``scoring.combine``).
RECOMBINE = ("value_index.",)
#: Parameters whose change leaves the value index as it is: the book need not be scored again.
TIERING_ONLY = ("eligibility.", "gold_selection.", "silver_selection.", "service_catalogue.", "unit_costs.",
                "price_index.", "budget_assumptions.", "service_start.", "service_times.", "revisits.")
CRITERIA = ("long_term_std_premium_min", "health_premium_min", "health_loss_ratio_max",
            "non_health_premium_min", "non_health_loss_ratio_max")
YEARS = ("year_1", "year_2", "year_3", "year_4_plus")


def levers() -> list[str]:
    """The policy levers of the explorer, in page order: weights, K1, K2, the 第11条 thresholds
    (Gold, Silver A–D), the Gold places, the Silver places per class."""
    out = [f"value_index.weights.{w}" for w in ("premium", "loyalty", "profit")]
    out += [f"value_index.{k}.{y}" for k in ("k1", "k2") for y in YEARS]
    out += [f"eligibility.gold.{c}" for c in CRITERIA]
    out += [f"eligibility.silver.{cls}.{c}" for cls in BRANCH_CLASSES for c in CRITERIA]
    out += ["gold_selection.existing_places", "gold_selection.new_places"]
    out += [f"silver_selection.capacity_per_class.{cls}" for cls in BRANCH_CLASSES]
    return out


def _tier_codes(tier: pd.Series) -> np.ndarray:
    """Tier codes 0 Gold, 1 Silver, 2 Regular of a tiered table's ``tier`` column."""
    if isinstance(tier.dtype, pd.CategoricalDtype) and list(tier.cat.categories) == list(TIERS):
        return tier.cat.codes.to_numpy().astype(np.int8)
    return pd.Categorical(tier, categories=list(TIERS)).codes.astype(np.int8)


def _refuse(message: str, code: str, **fields) -> LeverError:
    return LeverError(message, note(f"whatif.error.{code}", **fields))


def _number(lever: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise _refuse(f"{lever}: {value!r} is not a number", "not_number", lever=lever, value=str(value))
    value = float(value)
    if not math.isfinite(value):
        raise _refuse(f"{lever}: {value} is not a finite number", "not_number", lever=lever, value=str(value))
    return value


def _places(lever: str, value) -> int:
    v = _number(lever, value)
    if v < 0 or v != int(v):
        raise _refuse(f"{lever}: places must be a whole number ≥ 0 (got {value!r})", "places", lever=lever,
                      value=value)
    return int(v)


def _check_value(lever: str, value):
    """One lever's value, checked by its kind: places whole ≥ 0, thresholds ≥ 0, weights in
    [0, 1], K factors > 0; any other leaf as given (the policy's own validation judges it)."""
    if lever.endswith("_places") or lever.startswith("silver_selection.capacity_per_class."):
        return _places(lever, value)
    if lever.startswith("eligibility."):
        v = _number(lever, value)
        if v < 0:
            raise _refuse(f"{lever}: a 第11条 threshold must be ≥ 0 (got {v:g})", "negative", lever=lever, value=v)
        return v
    if lever.startswith("value_index.weights."):
        v = _number(lever, value)
        if not 0 <= v <= 1:
            raise _refuse(f"{lever}: a 第10条 weight is a share from 0 to 1 (got {v:g})", "weight_range",
                          lever=lever, value=v)
        return v
    if lever.startswith(("value_index.k1.", "value_index.k2.")):
        v = _number(lever, value)
        if v <= 0:
            raise _refuse(f"{lever}: a K factor must be > 0 (got {v:g})", "k_positive", lever=lever, value=v)
        return v
    return value


@dataclass
class WhatIfResult(Result):
    """One setting of the levers against the base: :meth:`WhatIf.apply`."""

    settings: dict
    policy: Policy
    tiering: Tiering
    counts: pd.DataFrame  # by branch class + total: gold/silver × base/scenario/change
    movers: pd.DataFrame  # every customer whose tier changed, with its reason code
    budget: pd.DataFrame  # 附件七 by tier: cost_base_cny, cost_scenario_cny, cost_change_cny
    year: int | None
    explain: object = field(repr=False, default=None)  # WhatIf.customer bound to this setting

    @property
    def budget_base(self) -> float:
        """附件七 budget of the base lists [CNY]."""
        return float(self.budget.loc["total", "cost_base_cny"])

    @property
    def budget_scenario(self) -> float:
        """附件七 budget of this setting's lists [CNY]."""
        return float(self.budget.loc["total", "cost_scenario_cny"])

    @property
    def budget_change(self) -> float:
        """Change of the 附件七 budget [CNY]."""
        return self.budget_scenario - self.budget_base

    def entrants(self) -> pd.DataFrame:
        """Customers who moved up (into Silver or Gold), best value index first."""
        m = self.movers[self.movers["change"].isin(["up", "joined"])]
        return m.sort_values(["after", "value_index_after", "customer_id"], ascending=[True, False, True],
                             kind="stable").reset_index(drop=True)

    def leavers(self) -> pd.DataFrame:
        """Customers who moved down (out of Gold or Silver), highest former tier first."""
        m = self.movers[self.movers["change"].isin(["down", "left"])]
        return m.sort_values(["before", "value_index_before", "customer_id"], ascending=[True, False, True],
                             kind="stable").reset_index(drop=True)

    def reason_notes(self, movers: pd.DataFrame) -> list[Note]:
        """The reason of each mover as a note ``whatif.reason.<reason code>``: before and after
        (tier keys), the branch, the rank after the change and the places it was ranked for."""
        return [reason_note(r) for r in movers.itertuples(index=False)]

    def customer(self, who: str) -> pd.DataFrame:
        """A customer's value index in its parts (第10条) and ranks, base and this setting."""
        return self.explain(who, self)

    def tables(self) -> dict[str, pd.DataFrame]:
        settings = pd.DataFrame({"lever": list(self.settings), "value": [str(v) for v in self.settings.values()]})
        return {"settings": settings, "counts by class": self.counts, "entrants": self.entrants(),
                "leavers": self.leavers(), "budget change": self.budget}


def reason_note(row) -> Note:
    """The note of one mover (a row of :attr:`WhatIfResult.movers`)."""
    rank = row.rank_after
    return note(f"whatif.reason.{row.reason_code}", before=str(row.before), after=str(row.after),
                branch=str(row.branch), rank="—" if pd.isna(rank) else int(rank), places=int(row.places))


class WhatIf:
    """The base of the what-if explorer, computed once; :meth:`apply` answers a setting.

    Parameters
    ----------
    portfolio : DataFrame
        The validated customer table (:func:`tiermodel.load_inputs` ``.portfolio``).
    policy : Policy
        The base policy (the 2003 policy as written, or a scenario).
    branches : DataFrame, optional
        The branch table: its ``silver_capacity`` overrides the class default per branch.
    year : int, optional
        Price year of the 附件七 budget (default 2003, as :func:`compare_tierings`).
    """

    def __init__(self, portfolio: pd.DataFrame, policy: Policy, branches: pd.DataFrame | None = None,
                 year: int | None = None):
        self.portfolio, self.policy, self.branches, self.year = portfolio, policy, branches, year
        self.capacity = branch_capacity(portfolio, policy, branches)
        self.scored = score(portfolio, policy)
        self.base = assign_tiers(self.scored, policy, self.capacity)
        self.standing = standing(self.base.table, policy)
        self.places = places(self.standing, policy, self.capacity)
        self.base_budget = budget.estimate(self.base.table, policy, year).by_tier()
        self.class_codes = pd.Categorical(portfolio["branch_class"], categories=BRANCH_CLASSES).codes.astype(np.int64)
        self.base_counts = self._class_tiers(self.standing["tier"])
        self.branch_class = portfolio.groupby("branch", observed=True, sort=True)["branch_class"].first().astype(str)
        self._ids: pd.Index | None = None

    # ------------------------------------------------------------------ settings
    def branches_of_book(self) -> list[str]:
        """The branches of the book, as the Silver places are indexed."""
        return [str(b) for b in self.capacity.index]

    def validate(self, changes: dict) -> tuple[Policy, pd.Series, dict]:
        """The policy and Silver places per branch of a setting, and the setting cleaned.

        Raises :class:`LeverError` naming the lever: an unknown lever or branch, a value that
        is no number, weights not summing to 1 (within 1e-9), a threshold below zero, places
        that are not a whole number ≥ 0, or values the policy refuses (e.g. a Gold threshold
        below a Silver one).
        """
        params, by_branch = {}, {}
        for lever, value in changes.items():
            lever = str(lever)
            if lever.startswith(BRANCH_PLACES + "."):
                branch = lever[len(BRANCH_PLACES) + 1:]
                if branch not in self.capacity.index:
                    raise _refuse(f"{lever}: no branch '{branch}' in the book", "unknown_branch", lever=lever)
                by_branch[branch] = _places(lever, value)
            elif parameter_leaf(lever, self.policy) is None:
                raise _refuse(f"{lever}: not a parameter of the policy", "unknown_lever", lever=lever)
            else:
                params[lever] = _check_value(lever, value)
        self._check_weights(params)
        try:
            policy = self.policy.with_values(params, note="what-if") if params else self.policy
        except ParameterError as exc:
            raise _refuse(f"the setting is refused: {exc}", "policy", detail=str(exc)) from None
        return policy, self._capacity(policy, params, by_branch), {**params, **{
            f"{BRANCH_PLACES}.{b}": v for b, v in by_branch.items()}}

    def _check_weights(self, params: dict) -> None:
        w = self.policy.value_index.weights
        total = sum(params.get(f"value_index.weights.{k}", getattr(w, k)) for k in ("premium", "loyalty", "profit"))
        if not math.isclose(total, 1.0, abs_tol=WEIGHT_TOL):
            raise _refuse(f"value_index.weights: the three 第10条 weights sum to {total:.10g}, not 1",
                          "weights_sum", total=total)

    def _capacity(self, policy: Policy, params: dict, by_branch: dict) -> pd.Series:
        cap = self.capacity
        if any(p.startswith("silver_selection.capacity_per_class") for p in params):
            cap = branch_capacity(self.portfolio, policy, self.branches)
        if by_branch:
            cap = cap.copy()
            for b, v in by_branch.items():
                cap[b] = v
        return cap

    # ------------------------------------------------------------------ answer
    def apply(self, changes: dict) -> WhatIfResult:
        """Re-tier, compare and price the book under a setting of the levers (see the module)."""
        policy, capacity, settings = self.validate(changes)
        scored = self._scored(policy, [p for p in settings if not p.startswith(BRANCH_PLACES + ".")])
        tiering = assign_tiers(scored, policy, capacity)
        tier = _tier_codes(tiering.table["tier"])
        table = self._transitions(tiering, tier, policy, capacity)
        spend = budget.estimate(tiering.table, policy, self.year).by_tier()
        return WhatIfResult(settings, policy, tiering, self._counts(tier), self._movers(table, policy, capacity),
                            self._budget(spend), self.year, self._customer)

    def _scored(self, policy: Policy, params: list[str]) -> pd.DataFrame:
        """The book scored under ``policy``: the base's where no 第10条 value moved; the base's
        coefficients recombined (K1, K2, weights: :func:`~tiermodel.scoring.combine`) where only
        the weights or K moved; scored again otherwise (附表, standard premium)."""
        moved = [p for p in params if not p.startswith(TIERING_ONLY)]
        if not moved:
            return self.scored
        if any(not p.startswith(RECOMBINE) for p in moved):
            return score(self.portfolio, policy)
        s, vi = self.scored, policy.value_index
        years = s["effective_years"].to_numpy()
        coefs = np.column_stack([s[c].to_numpy() for c in ("premium_coef", "loyalty_coef", "profit_coef")])
        k1, k2 = year_factor(years, vi.k1), year_factor(years, vi.k2)
        return with_columns(s, {"k1": k1, "k2": k2, "value_index": combine(coefs, k1, k2, vi.weights.as_array())},
                            copy=False)

    def _transitions(self, tiering: Tiering, tier: np.ndarray, policy: Policy, capacity: pd.Series) -> pd.DataFrame:
        """:func:`~.changes.transitions` of the customers whose tier changed — the rows of
        :func:`compare_tierings` with a change — against the places and cut lines of the whole lists."""
        b = self.standing
        whole = Standing({"tier": tier, "is_new": b["is_new"], "branch": b["branch"],
                          "value_index": tiering.table["value_index"].to_numpy(dtype=float)})
        pl = places(whole, policy, capacity)
        moved = np.flatnonzero(tier != b["tier"])
        before = Standing({k: v[moved] for k, v in b.items()})
        after = standing(tiering.table.iloc[moved], policy)
        table = transitions(before, after, self.places, pl, policy)
        table.index = moved
        return table

    def _class_tiers(self, tier: np.ndarray) -> np.ndarray:
        """Customers per branch class (rows A–D) and tier (columns Gold, Silver, Regular)."""
        key = self.class_codes * 3 + tier.astype(np.int64)
        return np.bincount(key, minlength=len(BRANCH_CLASSES) * 3).reshape(-1, 3)

    def _counts(self, tier: np.ndarray) -> pd.DataFrame:
        out = {}
        for side, m in (("base", self.base_counts), ("scenario", self._class_tiers(tier))):
            out[f"gold_{side}"], out[f"silver_{side}"] = m[:, 0], m[:, 1]
        frame = pd.DataFrame(out, index=pd.Index(list(BRANCH_CLASSES), name="branch_class"))
        frame.loc["total"] = frame.sum()
        for t in ("gold", "silver"):
            frame[f"{t}_change"] = frame[f"{t}_scenario"] - frame[f"{t}_base"]
        return frame[[f"{t}_{s}" for t in ("gold", "silver") for s in ("base", "scenario", "change")]]

    def _movers(self, table: pd.DataFrame, policy: Policy, capacity: pd.Series) -> pd.DataFrame:
        moved = table.index.to_numpy()  # rows of the book (same book, same order)
        m = table[["customer_id", "branch", "branch_class", "before", "after", "change", "reason_code",
                               "rank_before", "rank_after", "value_index_before", "value_index_after"]]
        m = m.reset_index(drop=True)
        for c in ("before", "after", "change", "reason_code", "branch", "branch_class"):
            m[c] = m[c].astype(str)
        names = self.portfolio["name"] if "name" in self.portfolio else self.portfolio["customer_id"]
        m.insert(1, "name", names.iloc[moved].astype(str).to_numpy())
        gs = policy.gold_selection
        gold_places = gs.existing_places + gs.new_places
        cap = capacity.reindex(m["branch"]).fillna(0).to_numpy(dtype=np.int64)
        vip = np.where(m["after"] == "regular", m["before"], m["after"])
        m["places"] = np.where(vip == "gold", gold_places, cap)
        return m

    def _budget(self, spend: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame({"customers_base": self.base_budget["customers"], "customers_scenario": spend["customers"],
                            "cost_base_cny": self.base_budget["cost_cny"], "cost_scenario_cny": spend["cost_cny"]})
        out["cost_change_cny"] = out["cost_scenario_cny"] - out["cost_base_cny"]
        return out

    def find(self, who: str) -> int:
        """Row of a customer by its id, or else its exact name; LeverError if none."""
        if self._ids is None:
            self._ids = pd.Index(self.portfolio["customer_id"].astype(str))
        who = str(who).strip()
        hits = np.flatnonzero(self._ids == who)
        if not len(hits) and "name" in self.portfolio:
            hits = np.flatnonzero(self.portfolio["name"].astype(str).to_numpy() == who)
        if not len(hits):
            raise _refuse(f"no customer '{who}' in the book (give its id or its name)", "unknown_customer", who=who)
        return int(hits[0])

    def _customer(self, who: str, result: WhatIfResult) -> pd.DataFrame:
        i = self.find(who)
        rows = {}
        for side, table, policy in (("base", self.base.table, self.policy),
                                    ("scenario", result.tiering.table, result.policy)):
            w = policy.value_index.weights
            r = table.iloc[i]
            vi = table["value_index"].to_numpy()
            rows[side] = {"premium_part": r["premium_coef"] * w.premium,
                          "loyalty_part": r["loyalty_coef"] * w.loyalty * r["k1"],
                          "profit_part": r["profit_coef"] * w.profit * r["k2"],
                          "value_index": r["value_index"],
                          "book_rank": int((vi > r["value_index"]).sum()) + 1,
                          "tier": str(r["tier"]),
                          "gold_rank": r["gold_rank"], "branch_rank": r["branch_rank"]}
        out = pd.DataFrame(rows)
        out.index.name = "part"
        out.attrs.update(customer_id=str(self.portfolio["customer_id"].iloc[i]),
                         name=str(self.portfolio["name"].iloc[i]) if "name" in self.portfolio else "",
                         branch=str(self.portfolio["branch"].iloc[i]))
        return out

    def settings_of(self, scenario: Policy) -> dict:
        """The setting that reproduces a loaded scenario against the base: every leaf whose value
        differs (its path → value)."""
        base = self.policy.as_leaves()
        return {p: v for p, v in scenario.as_leaves().items() if base.get(p) != v}


# ----------------------------------------------------------------------------- saving
#: A scenario name: letters (any script), digits, - and _; no path.
_NAME = re.compile(r"^[\w\-]+$")


def check_scenario_name(name: str, params_dir=PARAMS_DIR) -> str:
    """A name a new scenario may take: not empty, no path, not a shipped scenario's."""
    name = str(name or "").strip()
    if not name:
        raise _refuse("the scenario needs a name", "name_empty")
    if not _NAME.match(name) or name.startswith("-"):
        raise _refuse(f"'{name}': a scenario name holds letters, digits, - and _ only", "name_chars", name=name)
    if name in scenario_names(params_dir) or name == "policy-2003":
        raise _refuse(f"'{name}' is a shipped scenario; it is not overwritten: choose another name",
                      "name_shipped", name=name)
    return name


def scenario_text(changes: dict, reasons, name: str, base: Policy, description: str = "",
                  params_dir=PARAMS_DIR) -> str:
    """A setting's policy parameters as a scenario file (YAML) for ``params/scenarios/<name>.yaml``.

    Every changed value is written ``assumed: true`` with the user's reason (``reasons``: one
    text for all, or path → text); values equal to the base policy's are left out. The branch
    Silver places of a setting are no policy parameter: :func:`branch_places_table` writes them.
    Refuses (:class:`LeverError`) an empty or shipped name, an empty reason and a setting that
    changes no parameter.
    """
    check_scenario_name(name, params_dir)
    params = _changed_parameters(changes, base)
    try:
        base.with_values(params, note=name)
    except ParameterError as exc:
        raise _refuse(f"the setting is refused: {exc}", "policy", detail=str(exc)) from None
    why = {p: " ".join(str((reasons.get(p, "") if isinstance(reasons, dict) else reasons) or "").split())
           for p in params}
    for path, reason in why.items():
        if not reason:
            raise _refuse(f"{path}: give the reason for the change (it is written beside the value)",
                          "reason_empty", lever=path)
    said = "; ".join(dict.fromkeys(why.values()))
    tree: dict = {"description": description or f"{said} (saved from the what-if explorer: {', '.join(params)})"}
    for path, value in params.items():
        node = tree
        keys = path.split(".")
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        node[keys[-1]] = {"value": _plain(value), "assumed": True, "reason": why[path]}
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False, width=100)


def _changed_parameters(changes: dict, base: Policy) -> dict:
    """The policy parameters of a setting whose value differs from ``base`` (branch places left
    out); LeverError when there is none."""
    base_values = base.model_dump()
    params = {p: v for p, v in changes.items()
              if not str(p).startswith(BRANCH_PLACES + ".") and get_path(base_values, p) != v}
    if not params:
        raise _refuse("the setting changes no parameter of the policy: nothing to save as a scenario",
                      "nothing_changed")
    return params


def _plain(value):
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    return value


def branch_places_table(changes: dict, capacity: pd.Series, branch_class: pd.Series) -> pd.DataFrame | None:
    """The branch table (branch, branch_class, silver_capacity) of a setting's branch Silver
    places (every branch, the changed ones at their new value); None when it changes none."""
    by_branch = {str(p)[len(BRANCH_PLACES) + 1:]: int(v) for p, v in changes.items()
                 if str(p).startswith(BRANCH_PLACES + ".")}
    if not by_branch:
        return None
    cap = capacity.copy()
    for b, v in by_branch.items():
        cap[b] = v
    return pd.DataFrame({"branch": cap.index.astype(str), "branch_class": branch_class.reindex(cap.index).astype(str).to_numpy(),
                         "silver_capacity": cap.to_numpy(dtype=np.int64)})
