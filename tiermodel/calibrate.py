"""Threshold calibration: what the 第11条 thresholds produce on a book, and the values that
meet a stated target.

The 2003 thresholds were set for a 2003 book. This module answers four questions.

1. **Diagnostics** — candidates per tier and branch class, which criterion qualifies them and
   how the three overlap, how far the Gold pool exceeds its places, and the value-index
   margin at the Gold cut (:func:`candidate_table`, :func:`criteria_overlap`,
   :func:`gold_pool_excess`, :func:`gold_cut_margin`).
2. **Count curves** — eligible customers as a function of each threshold, of one scale
   factor on the three premium minimums of a tier/class, and of the loss-ratio caps
   (:func:`count_curves`).
3. **Solving** — thresholds that meet a target count (:func:`calibrate`).
4. **Conversion tables** — band edges of 附表1–3 fitted to the book's quantiles
   (:func:`fit_band_edges`, :func:`fitted_tables`), and the effect on the Gold list.

Definitions (ours; the policy states no target):

* A *group* is the Gold tier (``"gold"``, company-wide thresholds) or the Silver tier of one
  branch class (``"A"``–``"D"``).
* **Gold candidates** are the Gold-eligible customers (existing and new), the pool of 第13条.
* **Silver candidates** of a class are its Silver-eligible customers *not made Gold*: those
  competing for the class's Silver places (第13条). Gold selection does not depend on the
  Silver thresholds, so this population is fixed while Silver thresholds move.
* Default targets: a Gold pool of twice the Gold places (2 × (30 + 10) = 80), and Silver
  candidates per class equal to the summed Silver places of the class's branches.

**Why order statistics, not root finding.** With one scale factor ``s`` on the three premium
minimums ``m_c`` of a group (loss-ratio caps fixed) a customer is eligible iff ``s ≤ r``,
``r = max_c P_c / m_c`` over the criteria whose loss ratio is within its cap (bounds inclusive,
第11条). The count ``N(s) = #{r ≥ s}`` is a step function, so the ``s`` meeting a target ``k``
is exactly the k-th largest ``r`` — no iteration, no tolerance. The same holds for one
criterion's minimum with the other two fixed. A root finder on a step function would only
approximate this order statistic, so none is used.

**Ties.** Bounds are inclusive: customers tied on the deciding value all qualify or none
does. When a tie straddles the target the count cannot equal it; ``tie="at_least"`` (default)
takes the tied customers in (count ≥ target), ``tie="at_most"`` leaves them out
(count ≤ target). The count achieved is always reported beside the target.

**Round thresholds.** Any threshold between the deciding customer's value (inclusive) and the
next lower customer's value (exclusive) gives exactly the same candidates; within that
interval (and within ±1 % of the exact scale) the roundest number is written, so a scenario
reads 41,000,000 rather than 41,234,567.3.
"""
from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd
import yaml

from .errors import CalibrationError, TiermodelError
from .policy import BASE_FILE, BRANCH_CLASSES, PARAMS_DIR, BandTable, Criteria, Policy, load_policy
from .scoring import score
from .tiers import (GOLD, candidate_id_rank, criteria_label, criteria_met,
                    eligibility_bits, select)

GROUPS = ("gold",) + BRANCH_CLASSES
CRITERIA = ("long_term", "health", "non_health")
PREMIUM_COLUMNS = ("long_term_std_premium", "health_premium", "non_health_premium")
LOSS_RATIO_COLUMNS = (None, "health_loss_ratio", "non_health_loss_ratio")
PREMIUM_MIN_FIELDS = ("long_term_std_premium_min", "health_premium_min", "non_health_premium_min")
LOSS_RATIO_MAX_FIELDS = (None, "health_loss_ratio_max", "non_health_loss_ratio_max")
CRITERION_TEXT = ("long-term standard premium", "health premium", "non-health premium")
TIES = ("at_least", "at_most")
METHODS = ("scale",) + CRITERIA
#: 附表1–3: the policy table, the column of the scored book it converts, its unit.
TABLE_MEASURES = {"premium": ("standard_premium_used", "CNY/yr", "附表1"),
                  "loyalty": ("effective_years", "years", "附表2"),
                  "profit": ("profit_margin", "share", "附表3")}
SCALE_WINDOW = 0.01  # a rounded threshold stays within ±1 % of the exact scaled value


# ----------------------------------------------------------------------------- groups
def group_path(group: str) -> str:
    """Dotted parameter path of a group's criteria: ``eligibility.gold`` / ``eligibility.silver.A``."""
    _check_group(group)
    return "eligibility.gold" if group == "gold" else f"eligibility.silver.{group}"


def group_label(group: str) -> str:
    """'金牌 Gold' or '银牌 Silver, class A'."""
    _check_group(group)
    return "金牌 Gold" if group == "gold" else f"银牌 Silver, class {group}"


def group_criteria(policy: Policy, group: str) -> Criteria:
    _check_group(group)
    return policy.eligibility.gold if group == "gold" else policy.silver_criteria(group)


def _check_group(group: str) -> None:
    if group not in GROUPS:
        raise CalibrationError(f"unknown tier/class '{group}'; use one of {', '.join(GROUPS)}")


def criteria_vectors(criteria: Criteria) -> tuple[np.ndarray, np.ndarray]:
    """Premium minimums [CNY/yr] and loss-ratio caps [share] of 第11条 as arrays of 3
    (long-term, health, non-health); the long-term criterion has no cap (``inf``)."""
    mins = np.array([getattr(criteria, f) for f in PREMIUM_MIN_FIELDS], dtype=float)
    caps = np.array([np.inf] + [getattr(criteria, f) for f in LOSS_RATIO_MAX_FIELDS[1:]], dtype=float)
    return mins, caps


def book_matrices(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Premiums ``(n, 3)`` [CNY/yr] and loss ratios ``(n, 3)`` [share] (long-term: 0)."""
    premiums = np.column_stack([table[c].to_numpy(dtype=float) for c in PREMIUM_COLUMNS])
    ratios = np.column_stack([np.zeros(len(table))]
                             + [table[c].to_numpy(dtype=float) for c in LOSS_RATIO_COLUMNS[1:]])
    return premiums, ratios


def _bits(premiums, ratios, mins, caps) -> np.ndarray:
    return criteria_met(premiums[:, 0], premiums[:, 1], ratios[:, 1], premiums[:, 2], ratios[:, 2],
                        mins[0], mins[1], caps[1], mins[2], caps[2])


def scale_ratio(premiums: np.ndarray, ratios: np.ndarray, mins: np.ndarray, caps: np.ndarray) -> np.ndarray:
    """The largest scale factor at which each customer is still eligible [-].

    ``r = max_c P_c / m_c`` over the criteria c whose loss ratio is within its cap (第11条,
    bounds inclusive); 0 where none is, ``inf`` where a criterion with a zero minimum is met.
    A customer is eligible at scale ``s > 0`` iff ``s ≤ r``.
    """
    within = ratios <= caps
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(mins > 0, premiums / np.where(mins > 0, mins, 1.0), np.inf)
    r = np.where(within, r, 0.0)
    return r.max(axis=1)


def _criterion_keys(premiums, ratios, mins, caps, c: int) -> tuple[int, np.ndarray]:
    """Customers qualifying by the other two criteria (count), and the key of the rest on
    criterion ``c``: its premium where the loss ratio is within the cap, else ``-inf``."""
    others = [j for j in range(3) if j != c]
    base = np.zeros(len(premiums), dtype=bool)
    for j in others:
        base |= (premiums[:, j] >= mins[j]) & (ratios[:, j] <= caps[j])
    keys = np.where(ratios[:, c] <= caps[c], premiums[:, c], -np.inf)
    return int(base.sum()), keys[~base]


def _cap_keys(premiums, ratios, mins, caps, c: int) -> tuple[int, np.ndarray]:
    """As :func:`_criterion_keys` for criterion ``c``'s loss-ratio cap: key = loss ratio where
    the premium meets its minimum, else ``inf`` (never)."""
    others = [j for j in range(3) if j != c]
    base = np.zeros(len(premiums), dtype=bool)
    for j in others:
        base |= (premiums[:, j] >= mins[j]) & (ratios[:, j] <= caps[j])
    keys = np.where(premiums[:, c] >= mins[c], ratios[:, c], np.inf)
    return int(base.sum()), keys[~base]


# ----------------------------------------------------------------------------- populations
def gold_members(scored: pd.DataFrame, policy: Policy) -> np.ndarray:
    """Boolean mask of the customers made Gold under ``policy`` (第13条 hard ranking)."""
    gold_bits, _ = eligibility_bits(scored, policy)
    n = len(scored)
    id_rank = candidate_id_rank(scored["customer_id"].to_numpy(), gold_bits != 0)
    gs = policy.gold_selection
    tier, _, _ = select(scored["value_index"].to_numpy(), scored["standard_premium_used"].to_numpy(),
                        id_rank, scored["is_new"].to_numpy(dtype=bool), gold_bits,
                        np.zeros(n, dtype=np.uint8), np.zeros(n, dtype=np.int64), np.zeros(1, dtype=np.int64),
                        gs.existing_places, gs.new_places, gs.unfilled_new_places_go_to_existing)
    return tier == GOLD


def populations(scored: pd.DataFrame, gold: np.ndarray) -> dict[str, np.ndarray]:
    """Who each group's candidates are drawn from: Gold — every customer; Silver class X —
    customers of class X not made Gold."""
    cls = scored["branch_class"].astype(str).to_numpy()
    out = {"gold": np.ones(len(scored), dtype=bool)}
    for c in BRANCH_CLASSES:
        out[c] = (cls == c) & ~gold
    return out


# ----------------------------------------------------------------------------- targets
@dataclass(frozen=True)
class Targets:
    """Target candidate counts: the Gold pool, and Silver candidates per branch class [customers].

    A class missing from ``silver`` (or a Gold pool of None) is not calibrated.
    """

    gold_pool: int | None
    silver: dict[str, int] = field(default_factory=dict)

    def items(self) -> list[tuple[str, int]]:
        out = [("gold", self.gold_pool)] if self.gold_pool is not None else []
        return out + [(c, self.silver[c]) for c in BRANCH_CLASSES if c in self.silver]

    def describe(self, group: str) -> str:
        k = dict(self.items())[group]
        if group == "gold":
            return f"Gold candidate pool of {k}"
        return f"{k} Silver candidates in class {group}"


def silver_places_per_class(scored: pd.DataFrame, capacity: pd.Series) -> dict[str, int]:
    """Summed Silver places of each class's branches (第13条; branch table or class defaults)."""
    cls = scored.groupby("branch", observed=True)["branch_class"].first().astype(str)
    per = capacity.groupby(cls.reindex(capacity.index)).sum()
    return {c: int(per.get(c, 0)) for c in BRANCH_CLASSES}


def default_targets(scored: pd.DataFrame, policy: Policy, capacity: pd.Series) -> Targets:
    """Gold pool twice the Gold places (2 × (30 + 10)); Silver candidates per class equal to
    the summed Silver places of its branches."""
    gs = policy.gold_selection
    return Targets(2 * (gs.existing_places + gs.new_places), silver_places_per_class(scored, capacity))


def parse_targets(gold_pool=None, silver=None, *, default: Targets) -> Targets:
    """Targets from user input, filling what is not given from ``default``.

    Parameters
    ----------
    gold_pool : int, optional
        Gold candidates wanted [customers]; None or "" keeps the default. A negative or
        fractional number is refused.
    silver : dict or str, optional
        ``{"A": 40, ...}`` or text ``"A=40,B=30"``; classes not named keep the default.
    """
    gold = default.gold_pool if gold_pool is None or gold_pool == "" else gold_pool
    per_class = dict(default.silver)
    if isinstance(silver, str) and silver.strip():
        parsed = {}
        for part in silver.split(","):
            key, sep, val = part.partition("=")
            if not sep:
                raise CalibrationError(f"Silver target '{part.strip()}': write CLASS=COUNT, e.g. A=40")
            parsed[key.strip().upper()] = val.strip()
        silver = parsed
    for key, val in (silver or {}).items() if isinstance(silver, dict) else []:
        if key not in BRANCH_CLASSES:
            raise CalibrationError(f"Silver target for unknown branch class '{key}'; use A, B, C or D")
        per_class[key] = val
    return Targets(_count("Gold pool target", gold) if gold is not None else None,
                   {c: _count(f"Silver target for class {c}", v) for c, v in per_class.items()})


def _count(what: str, value) -> int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise CalibrationError(f"{what} must be a whole number of customers, not {value!r}") from None
    if not math.isfinite(number) or number != int(number):
        raise CalibrationError(f"{what} must be a whole number of customers, not {value!r}")
    if number < 0:
        raise CalibrationError(f"{what} is {int(number)}: a count of customers cannot be negative")
    return int(number)


def check_targets(targets: Targets, pops: dict[str, np.ndarray]) -> None:
    """Refuse targets larger than the book they are drawn from."""
    for group, k in targets.items():
        size = int(pops[group].sum())
        if k > size:
            where = "the book" if group == "gold" else f"class {group} (customers not made Gold)"
            raise CalibrationError(f"{targets.describe(group)} is more than the book: {where} has "
                                   f"only {size:,} customers")


# ----------------------------------------------------------------------------- order statistics
def roundest_between(lo: float, hi: float) -> float:
    """The roundest number ``x`` with ``lo < x ≤ hi`` (fewest significant digits; the largest
    such multiple of the coarsest power of ten)."""
    if not hi > lo:
        raise ValueError(f"empty interval ({lo}, {hi}]")
    if math.isinf(hi):
        hi = max(2 * abs(lo), abs(lo) + 1.0)
    top = math.floor(math.log10(max(abs(hi), abs(lo), 1e-12))) + 1
    for power in range(top, -13, -1):
        step = 10.0 ** power
        x = math.floor(hi / step) * step
        if x > lo and x <= hi:
            return float(round(x, max(0, -power)))
    return float(hi)


def solve_order_statistic(keys: np.ndarray, target: int, tie: str = "at_least"):
    """The interval of thresholds ``x`` at which ``#{keys ≥ x}`` meets ``target``.

    Returns ``(count, lo, hi)``: every ``x`` with ``lo < x ≤ hi`` gives ``count`` customers
    (``count == target`` unless a tie straddles it; then ``tie`` decides). Keys ``≤ 0`` can
    never be reached by a positive threshold and ``-inf`` marks customers who never qualify.
    """
    if tie not in TIES:
        raise CalibrationError(f"tie rule '{tie}' unknown; use one of {', '.join(TIES)}")
    d = np.sort(keys[keys > 0])[::-1]
    if target > len(d):
        raise ValueError("target beyond reach")  # callers check first
    if target == 0:
        count = 0
    else:
        kth = d[target - 1]
        count = int(np.count_nonzero(d >= kth)) if tie == "at_least" else int(np.count_nonzero(d > kth))
    hi = d[count - 1] if count > 0 else np.inf
    lo = d[count] if count < len(d) else 0.0
    return count, float(lo), float(hi)


def _snap(exact: float, lo: float, hi: float) -> float:
    """A round value in ``(lo, hi]`` near ``exact`` (within ±1 %), else ``exact`` clamped."""
    w_lo, w_hi = max(lo, exact * (1 - SCALE_WINDOW)), min(hi, exact * (1 + SCALE_WINDOW))
    if w_hi > w_lo:
        return roundest_between(w_lo, w_hi)
    if exact > hi:
        return float(hi)
    return float(np.nextafter(lo, np.inf)) if exact <= lo else float(exact)


# ----------------------------------------------------------------------------- solving
@dataclass
class Solution:
    """Outcome of calibrating one group: new thresholds or why the target cannot be met."""

    group: str
    method: str  # "scale" or the criterion moved
    target: int
    current: int  # candidates under the thresholds in force
    achieved: int | None  # candidates under the new thresholds (None: unreachable)
    scale: float | None  # new ÷ old premium minimums (the exact order statistic)
    changes: dict[str, tuple[float, float]] = field(default_factory=dict)  # path → (old, new)
    message: str = ""

    @property
    def reachable(self) -> bool:
        return self.achieved is not None

    def row(self) -> dict:
        return {"group": group_label(self.group), "method": self.method, "target": self.target,
                "current": self.current, "achieved": self.achieved,
                "scale": None if self.scale is None else round(self.scale, 4), "message": self.message}


def _labels(criteria: Criteria) -> list[str]:
    return [CRITERION_TEXT[0],
            f"{CRITERION_TEXT[1]} with loss ratio ≤ {criteria.health_loss_ratio_max:.0%}",
            f"{CRITERION_TEXT[2]} with loss ratio ≤ {criteria.non_health_loss_ratio_max:.0%}"]


def _who(group: str) -> str:
    return "customers" if group == "gold" else f"class-{group} customers not made Gold"


def solve_scale(premiums, ratios, criteria: Criteria, target: int, group: str = "gold",
                tie: str = "at_least") -> Solution:
    """One scale factor on the three premium minimums of a group (loss-ratio caps fixed,
    the policy's proportions kept) giving ``target`` candidates (第11条).

    Parameters
    ----------
    premiums, ratios : ndarray (n, 3)
        The group's population (see :func:`book_matrices`) [CNY/yr], [share].
    criteria : Criteria
        Thresholds in force.
    target : int
        Candidates wanted [customers].
    """
    mins, caps = criteria_vectors(criteria)
    r = scale_ratio(premiums, ratios, mins, caps)
    current = int(np.count_nonzero(r >= 1.0))
    reach = int(np.count_nonzero(r > 0))
    sol = Solution(group, "scale", target, current, None, None)
    if target > reach:
        sol.message = (f"unreachable: only {reach:,} {_who(group)} have any "
                       + ", any ".join(_labels(criteria)) + f"; no threshold gives {target:,}")
        return sol
    count, lo, hi = solve_order_statistic(r, target, tie)
    s = hi if math.isfinite(hi) else lo * 2 if lo > 0 else 1.0
    sol.scale, sol.achieved = float(s), count
    eligible = r >= hi if count else np.zeros(len(r), dtype=bool)
    base = group_path(group)
    for c in range(3):
        if mins[c] == 0:
            continue
        ok = ratios[:, c] <= caps[c]
        p = premiums[:, c]
        # every customer outside must fail criterion c; every one whose r_c ≥ s must pass it
        outside = p[ok & ~eligible]
        inside = p[ok & eligible & (p / mins[c] >= s)]
        c_lo = float(outside.max()) if len(outside) else 0.0
        c_hi = float(inside.min()) if len(inside) else np.inf
        new = _snap(s * mins[c], c_lo, c_hi)
        if new != mins[c]:
            sol.changes[f"{base}.{PREMIUM_MIN_FIELDS[c]}"] = (float(mins[c]), new)
    sol.message = _tie_note(count, target) or f"all three premium minimums × {s:.4g}"
    return sol


def solve_criterion(premiums, ratios, criteria: Criteria, criterion: str, target: int,
                    group: str = "gold", tie: str = "at_least") -> Solution:
    """Move one criterion's premium minimum (the other two criteria fixed) to meet ``target``."""
    if criterion not in CRITERIA:
        raise CalibrationError(f"criterion '{criterion}' unknown; use one of {', '.join(CRITERIA)}")
    c = CRITERIA.index(criterion)
    mins, caps = criteria_vectors(criteria)
    base_count, keys = _criterion_keys(premiums, ratios, mins, caps, c)
    current = base_count + int(np.count_nonzero(keys >= mins[c]))
    reach = int(np.count_nonzero(keys > 0))
    sol = Solution(group, criterion, target, current, None, None)
    label = _labels(criteria)[c]
    others = " or ".join(_labels(criteria)[j] for j in range(3) if j != c)
    if target < base_count:
        sol.message = (f"unreachable: {base_count:,} {_who(group)} already qualify by {others}; "
                       f"moving the {CRITERION_TEXT[c]} minimum alone cannot bring the count to {target:,}")
        return sol
    if target > base_count + reach:
        extra = f" beyond the {base_count:,} qualifying by {others}" if base_count else ""
        sol.message = (f"unreachable: only {reach:,} {_who(group)} have any {label}{extra}; "
                       f"at most {base_count + reach:,} candidates")
        return sol
    count, lo, hi = solve_order_statistic(keys, target - base_count, tie)
    new = roundest_between(lo, hi)  # any value in (lo, hi] gives the same candidates
    sol.achieved = base_count + count
    sol.scale = new / mins[c] if mins[c] > 0 else None
    if new != mins[c]:
        sol.changes[f"{group_path(group)}.{PREMIUM_MIN_FIELDS[c]}"] = (float(mins[c]), float(new))
    sol.message = _tie_note(sol.achieved, target) or f"{CRITERION_TEXT[c]} minimum alone moved"
    return sol


def _tie_note(achieved: int, target: int) -> str:
    if achieved == target:
        return ""
    return (f"customers tied at the threshold: {achieved:,} candidates, not {target:,} "
            f"(bounds inclusive, 第11条; tied customers qualify together or not at all)")


@dataclass
class Calibration:
    """Result of :func:`calibrate`: one :class:`Solution` per group and the calibrated policy."""

    base: Policy
    policy: Policy
    targets: Targets
    solutions: list[Solution]
    tie: str

    def table(self) -> pd.DataFrame:
        """One row per group: target, candidates now, candidates after, scale, message."""
        out = pd.DataFrame([s.row() for s in self.solutions]).set_index("group")
        out["achieved"] = out["achieved"].astype("Int64")
        return out

    def changes(self) -> pd.DataFrame:
        """One row per changed threshold: path, old, new, the target it meets."""
        rows = [{"parameter": path, "old": old, "new": new,
                 "meets": f"{self.targets.describe(s.group)} (achieved {s.achieved:,})"}
                for s in self.solutions for path, (old, new) in s.changes.items()]
        return pd.DataFrame(rows, columns=["parameter", "old", "new", "meets"])

    def unreachable(self) -> list[str]:
        return [f"{group_label(s.group)}: {s.message}" for s in self.solutions if not s.reachable]


def calibrate(scored: pd.DataFrame, policy: Policy, targets: Targets, method: str = "scale",
              tie: str = "at_least") -> Calibration:
    """Thresholds (第11条) meeting the target candidate counts.

    Gold is solved first; the Silver populations then exclude the customers made Gold under
    the calibrated Gold thresholds. Unreachable targets leave the group's thresholds as they
    are and say why in the solution's message.

    Parameters
    ----------
    scored : DataFrame
        Output of :func:`tiermodel.scoring.score` (thresholds do not change the value index).
    policy : Policy
        Thresholds in force.
    targets : Targets
    method : {"scale", "long_term", "health", "non_health"}
        One scale factor on a group's three premium minimums, or one criterion's minimum.
    tie : {"at_least", "at_most"}
        Which side of a tie straddling the target to land on.
    """
    if method not in METHODS:
        raise CalibrationError(f"method '{method}' unknown; use one of {', '.join(METHODS)}")
    if tie not in TIES:
        raise CalibrationError(f"tie rule '{tie}' unknown; use one of {', '.join(TIES)}")
    premiums, ratios = book_matrices(scored)
    pops = populations(scored, gold_members(scored, policy))
    check_targets(targets, pops)
    solutions = []
    new_policy = policy

    def solve(group, k, mask):
        crit = group_criteria(policy, group)
        if method == "scale":
            return solve_scale(premiums[mask], ratios[mask], crit, k, group, tie)
        return solve_criterion(premiums[mask], ratios[mask], crit, method, k, group, tie)

    items = dict(targets.items())
    if "gold" in items:
        sol = solve("gold", items["gold"], pops["gold"])
        solutions.append(sol)
        if sol.changes:
            new_policy = new_policy.with_values({p: v for p, (_, v) in sol.changes.items()},
                                                note="calibration")
            pops = populations(scored, gold_members(scored, new_policy))
            check_targets(Targets(None, targets.silver), pops)
    for group in BRANCH_CLASSES:
        if group in items:
            sol = solve(group, items[group], pops[group])
            solutions.append(sol)
            if sol.changes:
                new_policy = new_policy.with_values({p: v for p, (_, v) in sol.changes.items()},
                                                    note="calibration")
    return Calibration(policy, new_policy, targets, solutions, tie)


def candidate_counts(scored: pd.DataFrame, policy: Policy) -> dict[str, int]:
    """Gold pool and Silver candidates per class under ``policy`` (the calibration's measure)."""
    gold_bits, silver_bits = eligibility_bits(scored, policy)
    pops = populations(scored, gold_members(scored, policy))
    out = {"gold": int(np.count_nonzero(gold_bits))}
    for c in BRANCH_CLASSES:
        out[c] = int(np.count_nonzero((silver_bits != 0) & pops[c]))
    return out


# ----------------------------------------------------------------------------- diagnostics
def candidate_table(tiering) -> pd.DataFrame:
    """Customers, candidates, places and tiers per branch class, with a total row.

    Columns: customers; gold_eligible; silver_eligible (all meeting a Silver criterion);
    silver_candidates (Silver-eligible not made Gold); silver_places; gold; silver.
    """
    t = tiering.table
    gold = t["tier"] == "gold"
    cls = t["branch_class"].astype(str)
    frame = pd.DataFrame({
        "customers": 1, "gold_eligible": t["gold_eligible"], "silver_eligible": t["silver_eligible"],
        "silver_candidates": t["silver_eligible"] & ~gold, "gold": gold, "silver": t["tier"] == "silver",
    }).astype(int).groupby(cls.to_numpy()).sum().reindex(list(BRANCH_CLASSES), fill_value=0)
    places = silver_places_per_class(t, tiering.capacity)
    frame.insert(4, "silver_places", [places[c] for c in BRANCH_CLASSES])
    frame.loc["total"] = frame.sum()
    frame.index.name = "branch_class"
    return frame


def criteria_overlap(tiering) -> pd.DataFrame:
    """Gold and Silver candidates by the combination of criteria they meet (第11条, OR'd)."""
    t = tiering.table
    labels = [criteria_label(b) for b in range(1, 8)]
    out = pd.DataFrame({
        "gold": t.loc[t["gold_eligible"], "gold_criteria"].astype(str).value_counts(),
        "silver": t.loc[t["silver_eligible"], "silver_criteria"].astype(str).value_counts(),
    }).reindex(labels, fill_value=0).fillna(0).astype(int)
    out.index.name = "criteria met"
    out.loc["total"] = out.sum()
    return out


def gold_pool_excess(tiering, policy: Policy) -> pd.DataFrame:
    """Gold candidates against the 第13条 places, per pool (existing/new) and in total."""
    t = tiering.table
    gs = policy.gold_selection
    elig = t[t["gold_eligible"]]
    n_new = int(elig["is_new"].sum())
    rows = {"existing": (len(elig) - n_new, gs.existing_places),
            "new": (n_new, gs.new_places),
            "total": (len(elig), gs.existing_places + gs.new_places)}
    out = pd.DataFrame([{"pool": k, "candidates": c, "places": p, "excess": c - p,
                         "candidates_per_place": round(c / p, 2) if p else None}
                        for k, (c, p) in rows.items()]).set_index("pool")
    return out


def gold_cut_margin(tiering) -> pd.DataFrame:
    """Value index of the last Gold and the first non-Gold candidate in each Gold pool, and the
    margin between them [-] — how far the hard ranking (第13条) is from flipping."""
    t = tiering.table
    rows = []
    for pool in ("existing", "new"):
        cand = t[t["gold_eligible"] & (t["gold_pool"] == pool)].sort_values("gold_rank")
        gold = cand[cand["tier"] == "gold"]
        out = cand[cand["tier"] != "gold"]
        last = gold["value_index"].iloc[-1] if len(gold) else np.nan
        first = out["value_index"].iloc[0] if len(out) else np.nan
        rows.append({"pool": pool, "gold": len(gold), "candidates": len(cand),
                     "last_gold_id": gold["customer_id"].iloc[-1] if len(gold) else None,
                     "last_gold_value_index": last,
                     "first_out_id": out["customer_id"].iloc[0] if len(out) else None,
                     "first_out_value_index": first, "margin": last - first,
                     "tied_at_cut": int(np.count_nonzero(cand["value_index"].to_numpy() == last)) if len(gold) else 0})
    return pd.DataFrame(rows).set_index("pool")


# ----------------------------------------------------------------------------- count curves
def _count_ge(sorted_keys: np.ndarray, xs: np.ndarray) -> np.ndarray:
    return len(sorted_keys) - np.searchsorted(sorted_keys, xs, side="left")


def count_curves(scored: pd.DataFrame, policy: Policy, n_points: int = 200,
                 factor_range: tuple[float, float] = (0.1, 10.0), groups: Iterable[str] = GROUPS,
                 gold: np.ndarray | None = None) -> pd.DataFrame:
    """Candidates of each group as one parameter moves, the others held as in force.

    Curves per group: ``scale`` (the three premium minimums × factor), each premium minimum
    (× factor, log-spaced over ``factor_range``) and each loss-ratio cap (0 to 1, ``n_points``
    values). Counts are exact (sorted keys + binary search, bounds inclusive).

    Returns
    -------
    DataFrame
        Long form: group, parameter, factor (value ÷ value in force), value [CNY/yr or
        share], candidates [customers].
    """
    if n_points < 2:
        raise CalibrationError(f"a count curve needs at least 2 points, not {n_points}")
    premiums, ratios = book_matrices(scored)
    pops = populations(scored, gold_members(scored, policy) if gold is None else gold)
    factors = np.geomspace(factor_range[0], factor_range[1], n_points)
    cap_values = np.linspace(0.0, 1.0, n_points)
    parts = []

    def add(group, parameter, factor, value, count):
        parts.append(pd.DataFrame({"group": group, "parameter": parameter, "factor": factor,
                                   "value": value, "candidates": count}))

    for group in groups:
        mask = pops[group]
        P, L = premiums[mask], ratios[mask]
        mins, caps = criteria_vectors(group_criteria(policy, group))
        add(group, "scale", factors, factors, _count_ge(np.sort(scale_ratio(P, L, mins, caps)), factors))
        for c in range(3):
            base, keys = _criterion_keys(P, L, mins, caps, c)
            values = factors * mins[c]
            add(group, PREMIUM_MIN_FIELDS[c], factors, values, base + _count_ge(np.sort(keys), values))
        for c in (1, 2):
            base, keys = _cap_keys(P, L, mins, caps, c)
            # key ≤ cap ⇔ -key ≥ -cap
            count = base + _count_ge(np.sort(-keys), -cap_values)
            add(group, LOSS_RATIO_MAX_FIELDS[c], cap_values / caps[c], cap_values, count)
    out = pd.concat(parts, ignore_index=True)
    out["candidates"] = out["candidates"].astype(np.int64)
    return out


# ----------------------------------------------------------------------------- 附表1–3
def fit_band_edges(values, shares) -> list[float]:
    """Band edges so that each band of a conversion table holds the given share of customers.

    Lower edges are inclusive (as :func:`tiermodel.scoring.band_coefficient`), so edge ``i`` is
    the value at sorted position ``round(q_i · n)`` with ``q_i`` the cumulative share below it
    — an exact order statistic. Where ties (e.g. whole insured years) would repeat an edge, the
    next distinct value of the book is taken, so the bands then hold the nearest shares
    possible.

    Parameters
    ----------
    values : array_like
        The measure the table converts, one per customer [CNY/yr, years or share].
    shares : sequence of float
        Share of customers per band, one per coefficient [share, 0–1]; they sum to 1.
    """
    shares = np.asarray(shares, dtype=float)
    if shares.ndim != 1 or len(shares) < 2:
        raise CalibrationError("band shares need one share per band, at least two bands")
    if (shares < 0).any() or not math.isclose(shares.sum(), 1.0, abs_tol=1e-6):
        raise CalibrationError(f"band shares must be ≥ 0 and sum to 1; these sum to {shares.sum():.6g}")
    v = np.sort(np.asarray(values, dtype=float))
    v = v[np.isfinite(v)]
    distinct = np.unique(v)
    if len(distinct) < len(shares):
        raise CalibrationError(f"only {len(distinct)} distinct values in the book: cannot form "
                               f"{len(shares)} bands")
    wanted = np.cumsum(shares)[:-1] * len(v)  # customers wanted below each edge
    below = np.searchsorted(v, distinct, side="left")  # customers below each distinct value
    out: list[float] = []
    n_edges = len(wanted)
    for i, w in enumerate(wanted):
        j = int(np.clip(np.searchsorted(below, w), 0, len(distinct) - 1))
        if j > 0 and abs(below[j - 1] - w) <= abs(below[j] - w):
            j -= 1  # the nearer of the two distinct values around the wanted count
        first = 0 if not out else int(np.searchsorted(distinct, out[-1], side="right"))
        last = len(distinct) - (n_edges - i)  # leave room for the edges still to place
        out.append(float(distinct[min(max(j, first), last)]))
    return out


def fitted_tables(scored: pd.DataFrame, policy: Policy,
                  shares: dict[str, list[float]] | None = None) -> dict[str, BandTable]:
    """附表1–3 with band edges fitted to the book (coefficients kept as in force).

    ``shares`` gives each table's band shares; a table not named gets equal shares.
    """
    shares = shares or {}
    unknown = set(shares) - set(TABLE_MEASURES)
    if unknown:
        raise CalibrationError(f"band shares for unknown table(s) {sorted(unknown)}; use "
                               f"{', '.join(TABLE_MEASURES)}")
    out = {}
    for name, (column, _, _) in TABLE_MEASURES.items():
        table = getattr(policy.conversion_tables, name)
        n_bands = len(table.coefficients)
        s = shares.get(name) or [1.0 / n_bands] * n_bands
        if len(s) != n_bands:
            raise CalibrationError(f"{name} table has {n_bands} bands; {len(s)} shares given")
        out[name] = BandTable(breaks=fit_band_edges(scored[column], s), coefficients=table.coefficients)
    return out


def band_shares(scored: pd.DataFrame, policy: Policy, fitted: dict[str, BandTable]) -> pd.DataFrame:
    """Share of customers per band under the assumed and the fitted edges, per table."""
    rows = []
    for name, (column, unit, annex) in TABLE_MEASURES.items():
        v = scored[column].to_numpy(dtype=float)
        for kind, table in (("assumed", getattr(policy.conversion_tables, name)), ("fitted", fitted[name])):
            idx = np.searchsorted(np.asarray(table.breaks, dtype=float), v, side="right")
            counts = np.bincount(idx, minlength=len(table.coefficients))
            lower = [-np.inf] + list(table.breaks)
            for b, (edge, coef) in enumerate(zip(lower, table.coefficients)):
                rows.append({"table": f"{annex} {name}", "edges": kind, "band": b + 1,
                             "lower_edge": edge, "coefficient": coef,
                             "share": round(counts[b] / len(v), 4)})
    return pd.DataFrame(rows)


def table_changes(policy: Policy, fitted: dict[str, BandTable]) -> dict[str, dict]:
    """``with_values`` changes that put the fitted band edges in force."""
    return {f"conversion_tables.{name}.breaks": t.breaks for name, t in fitted.items()
            if t.breaks != getattr(policy.conversion_tables, name).breaks}


def gold_list_change(before, after) -> pd.DataFrame:
    """Customers whose Gold status differs between two tierings: id, pool, rank before/after."""
    b = before.table.set_index("customer_id")
    a = after.table.set_index("customer_id")
    gb, ga = b["tier"] == "gold", a["tier"] == "gold"
    moved = gb.index[gb.to_numpy() != ga.reindex(gb.index).to_numpy()]
    out = pd.DataFrame({
        "change": np.where(ga.reindex(moved).to_numpy(), "enters Gold", "leaves Gold"),
        "pool": b.loc[moved, "gold_pool"].astype(str).to_numpy(),
        "rank_before": b.loc[moved, "gold_rank"].to_numpy(),
        "rank_after": a.loc[moved, "gold_rank"].to_numpy(),
        "value_index_before": b.loc[moved, "value_index"].round(4).to_numpy(),
        "value_index_after": a.loc[moved, "value_index"].round(4).to_numpy(),
    }, index=pd.Index(moved, name="customer_id"))
    return out.sort_values(["change", "pool", "rank_after"])


# ----------------------------------------------------------------------------- scenario file
def _fmt(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.6g}" if isinstance(value, (int, float)) else repr(value)


def scenario_text(changes: pd.DataFrame, title: str) -> str:
    """YAML text of a scenario setting each changed leaf, with its old value and the target
    it meets in a comment beside it and in the ``description``."""
    lines_desc = [title] + [f"{r.parameter}: {_fmt(r.old)} -> {_fmt(r.new)}; meets {r.meets}"
                            for r in changes.itertuples()]
    out = ["# Calibrated scenario written by `tiermodel calibrate` (tiermodel.calibrate).",
           "# Each value below replaces the one in params/policy-2003.yaml; the comment gives the",
           "# value it replaces and the target it meets.",
           "description: |"] + [f"  {line}" for line in lines_desc]
    tree: dict = {}
    for r in changes.itertuples():
        keys = r.parameter.split(".")
        node = tree
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        node[keys[-1]] = r

    def emit(node, depth):
        for key, child in node.items():
            pad = "  " * depth
            if isinstance(child, dict):
                out.append(f"{pad}{key}:")
                emit(child, depth + 1)
            else:
                value = yaml.safe_dump(_plain(child.new), default_flow_style=True, width=10_000)
                value = value.strip().removesuffix("...").strip()
                out.append(f"{pad}{key}: {{value: {value}}}  # was {_fmt(child.old)}; meets {child.meets}")

    emit(tree, 0)
    return "\n".join(out) + "\n"


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (np.floating, float)):
        f = float(value)
        return int(f) if f.is_integer() and abs(f) < 1e15 else f
    if isinstance(value, np.integer):
        return int(value)
    return value


def check_scenario_path(path: str | Path, force: bool = False,
                        params_dir: str | Path = PARAMS_DIR) -> Path:
    """Refuse a scenario path that is not .yaml, is the base policy file, or exists (unless
    ``force``) — checked before any work so that nothing is computed in vain."""
    path = Path(path)
    if path.suffix not in (".yaml", ".yml"):
        raise CalibrationError(f"{path}: a scenario file must end in .yaml")
    base = (Path(params_dir) / BASE_FILE).resolve()
    if path.resolve() == base or path.name == BASE_FILE:
        raise CalibrationError(f"{path}: refusing to write over the policy as written ({BASE_FILE}); "
                               "choose another file name")
    if path.exists() and not force:
        raise CalibrationError(f"{path} already exists; choose another path or pass --force to replace it")
    return path


def write_scenario(changes: pd.DataFrame, path: str | Path, title: str = "", force: bool = False,
                   params_dir: str | Path = PARAMS_DIR) -> Path:
    """Write a calibrated scenario file; refuse the base policy file and, unless ``force``,
    any existing file. The file is written beside its target, checked to load with
    :func:`~tiermodel.policy.load_policy`, then renamed into place (nothing half-written)."""
    path = check_scenario_path(path, force, params_dir)
    if changes.empty:
        raise CalibrationError("no threshold changes to write (targets already met or unreachable)")
    title = title or f"Calibrated thresholds ({_dt.date.today().isoformat()})"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.partial.yaml")
    try:
        tmp.write_text(scenario_text(changes, title), encoding="utf-8")
        load_policy(str(tmp), params_dir)  # the file must load as a scenario
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def calibrated_changes(calibration: Calibration | None = None, fitted: dict[str, BandTable] | None = None,
                       base: Policy | None = None) -> pd.DataFrame:
    """Changed thresholds (and fitted band edges, if given) as one table for :func:`write_scenario`."""
    frames = []
    if calibration is not None:
        frames.append(calibration.changes())
        base = base or calibration.base
    if fitted:
        rows = [{"parameter": f"conversion_tables.{name}", "old": _table_value(getattr(base.conversion_tables, name)),
                 "new": {"breaks": t.breaks}, "meets": f"{TABLE_MEASURES[name][2]} bands fitted to the book's quantiles"}
                for name, t in fitted.items() if t.breaks != getattr(base.conversion_tables, name).breaks]
        frames.append(pd.DataFrame(rows, columns=["parameter", "old", "new", "meets"]))
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=["parameter", "old", "new", "meets"])
    return pd.concat(frames, ignore_index=True)


def _table_value(table: BandTable) -> str:
    return "breaks " + ", ".join(_fmt(float(b)) for b in table.breaks)


# ----------------------------------------------------------------------------- one call
@dataclass
class CalibrationRun:
    """Everything :func:`run_calibration` computed: scored book, calibration, fitted tables,
    the changes to write, and the candidate counts the calibrated policy gives."""

    scored: pd.DataFrame
    calibration: Calibration
    fitted: dict[str, BandTable] | None
    changes: pd.DataFrame
    policy: Policy  # base policy with every change applied
    counts: dict[str, int]


def run_calibration(inputs, gold_pool=None, silver=None, method: str = "scale", tie: str = "at_least",
                    fit_tables: bool = False, shares: dict[str, list[float]] | None = None) -> CalibrationRun:
    """Calibrate the thresholds of a run's inputs (:class:`tiermodel.inputs.RunInputs`).

    ``gold_pool`` / ``silver`` override the default targets (see :func:`parse_targets`);
    ``fit_tables`` also fits the 附表1–3 band edges to the book.
    """
    base = inputs.policy
    fitted = None
    if fit_tables:  # the tables move the value index, hence who is Gold: fit them first
        fitted = fitted_tables(score(inputs.portfolio, base), base, shares)
        base = base.with_values(table_changes(inputs.policy, fitted), note="calibration")
    scored = score(inputs.portfolio, base)
    targets = parse_targets(gold_pool, silver,
                            default=default_targets(scored, base, inputs.capacity()))
    cal = calibrate(scored, base, targets, method, tie)
    changes = calibrated_changes(cal, fitted, inputs.policy)
    policy = cal.policy
    return CalibrationRun(scored, cal, fitted, changes, policy, candidate_counts(scored, policy))


def format_changes(changes: pd.DataFrame) -> pd.DataFrame:
    """The changes table with old and new values as readable text (thousands separators,
    band edges listed) for printing."""
    def text(v):
        if isinstance(v, dict) and "breaks" in v:
            return "breaks " + ", ".join(_fmt(float(b)) for b in v["breaks"])
        return _fmt(v)
    return changes.assign(old=changes["old"].map(text), new=changes["new"].map(text))
