"""Thresholds of 第11条 that meet target candidate counts, solved as order statistics.

With one scale factor ``s`` on the three premium minimums ``m_c`` of a group (loss-ratio caps
fixed) a customer is eligible iff ``s ≤ r``, ``r = max_c P_c / m_c`` over the criteria whose
loss ratio is within its cap (bounds inclusive, 第11条). The count ``N(s) = #{r ≥ s}`` is a
step function, so the ``s`` meeting a target ``k`` is exactly the k-th largest ``r`` — no
iteration, no tolerance. The same holds for one criterion's minimum with the other two fixed.

**Ties.** Customers tied on the deciding value all qualify or none does. When a tie straddles
the target, ``tie="at_least"`` (default) takes the tied customers in (count ≥ target),
``tie="at_most"`` leaves them out (count ≤ target). The count achieved is always reported.

**Round thresholds.** Any threshold between the deciding customer's value (inclusive) and the
next lower customer's value (exclusive) gives the same candidates; within that interval (and
within ±1 % of the exact scale) the roundest number is taken: 41,000,000, not 41,234,567.3.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import CalibrationError
from ..notes import Note, note
from ..policy import Criteria, Policy
from ..vocabulary import BRANCH_CLASSES
from .groups import (CRITERIA, PREMIUM_MIN_FIELDS, book_matrices, criteria_vectors,
                     criterion_keys, gold_members, group_criteria, group_label, group_path,
                     populations, scale_ratio)
from ..tiers import class_codes

TIES = ("at_least", "at_most")
METHODS = ("scale",) + CRITERIA
SCALE_WINDOW = 0.01  # a rounded threshold stays within ±1 % of the exact scaled value


# ----------------------------------------------------------------------------- targets
@dataclass(frozen=True)
class Targets:
    """Target candidate counts: the Gold pool, and Silver candidates per branch class [customers].

    A class missing from ``silver`` (or a Gold pool of None) is not calibrated.
    """

    gold_pool: int | None
    silver: dict[str, int] = field(default_factory=dict)
    #: Defaults fitted to the book (:func:`default_targets`): a target larger than its
    #: population is reported as an unreachable finding instead of refused.
    from_book: bool = False

    def items(self) -> list[tuple[str, int]]:
        """``(group, target)`` pairs, Gold first, then the classes A–D that have a target."""
        out = [("gold", self.gold_pool)] if self.gold_pool is not None else []
        return out + [(c, self.silver[c]) for c in BRANCH_CLASSES if c in self.silver]

    def describe(self, group: str) -> Note:
        """The target of a group as a note, e.g. ``calibrate.target_gold`` (k=80): 'Gold
        candidate pool of 80'."""
        k = dict(self.items())[group]
        if group == "gold":
            return note("calibrate.target_gold", k=k)
        return note("calibrate.target_silver", k=k, group=group)

    def describe_text(self, group: str) -> str:
        """The target of a group in the words of the parameter files (English), for error
        messages and the comments of a scenario file."""
        k = dict(self.items())[group]
        return f"Gold candidate pool of {k}" if group == "gold" else f"{k} Silver candidates in class {group}"


def silver_places_per_class(tier_table: pd.DataFrame, capacity: pd.Series) -> dict[str, int]:
    """Summed Silver places of each class's branches (第13条) [customers].

    Parameters
    ----------
    tier_table : DataFrame
        Customer table with ``branch`` and ``branch_class``.
    capacity : Series
        Silver places per branch (branch table or class defaults).
    """
    cls = tier_table.groupby("branch", observed=True)["branch_class"].first().astype(str)
    per = capacity.groupby(cls.reindex(capacity.index)).sum()
    return {c: int(per.get(c, 0)) for c in BRANCH_CLASSES}


def default_targets(tier_table: pd.DataFrame, policy: Policy, capacity: pd.Series) -> Targets:
    """Default targets (ours; the policy states none) that fit the book: a Gold pool of twice
    the Gold places of 第13条 (2 × (30 + 10) = 80) or the number of customers with any
    premium, whichever is smaller; Silver candidates per class equal to the summed Silver
    places of its branches or the class's customers with any premium, whichever is smaller.
    A default still out of reach (the class's customers made Gold) is a finding, not an error.

    Parameters
    ----------
    tier_table : DataFrame
    policy : Policy
    capacity : Series
        Silver places per branch [customers].
    """
    gs = policy.gold_selection
    premium = premium_holders(tier_table)
    code = class_codes(tier_table["branch_class"])
    places = silver_places_per_class(tier_table, capacity)
    silver = {c: min(int(k), int((premium & (code == BRANCH_CLASSES.index(c))).sum())) for c, k in places.items()}
    return Targets(min(2 * (gs.existing_places + gs.new_places), int(premium.sum())), silver, from_book=True)


def premium_holders(tier_table: pd.DataFrame) -> np.ndarray:
    """Customers with any premium (long-term standard, health or non-health > 0 CNY): the only
    ones a 第11条 premium minimum can ever admit."""
    total = (tier_table["long_term_std_premium"].to_numpy(dtype=float) + tier_table["health_premium"].to_numpy(dtype=float)
             + tier_table["non_health_premium"].to_numpy(dtype=float))
    return total > 0


def parse_targets(gold_pool=None, silver=None, *, default: Targets) -> Targets:
    """Candidate-count targets (第11条 thresholds, 第13条 places) from user input, filling what
    is not given from ``default``.

    Parameters
    ----------
    gold_pool : int, optional
        Gold candidates wanted [customers]; None or "" keeps the default. A negative or
        fractional number is refused.
    silver : dict or str, optional
        ``{"A": 40, ...}`` or text ``"A=40,B=30"`` [customers]; classes not named keep the default.
    default : Targets

    Raises
    ------
    CalibrationError
        A count that is not a whole number ≥ 0, or an unknown branch class.
    """
    gold = default.gold_pool if gold_pool is None or gold_pool == "" else gold_pool
    if isinstance(silver, str):
        silver = _silver_text(silver)
    per_class = dict(default.silver)
    for key, val in (silver or {}).items() if isinstance(silver, dict) else []:
        if key not in BRANCH_CLASSES:
            raise CalibrationError(f"Silver target for unknown branch class '{key}'; use A, B, C or D")
        per_class[key] = val
    given = not (gold_pool is None or gold_pool == "") or bool(silver)
    return Targets(_count("Gold pool target", gold) if gold is not None else None,
                   {c: _count(f"Silver target for class {c}", v) for c, v in per_class.items()},
                   from_book=default.from_book and not given)


def _silver_text(text: str) -> dict[str, str] | str:
    """``"A=40,B=30"`` as ``{"A": "40", "B": "30"}`` (classes upper-cased); blank text as it is."""
    if not text.strip():
        return text
    parsed = {}
    for part in text.split(","):
        key, sep, val = part.partition("=")
        if not sep:
            raise CalibrationError(f"Silver target '{part.strip()}': write CLASS=COUNT, e.g. A=40")
        parsed[key.strip().upper()] = val.strip()
    return parsed


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
    """Refuse targets larger than the population they are drawn from (第13条: Silver
    candidates exclude the customers made Gold).

    Parameters
    ----------
    targets : Targets
    pops : dict
        From :func:`tiermodel.calibrate.groups.populations`.

    Raises
    ------
    CalibrationError
    """
    for group, k in targets.items():
        size = int(pops[group].sum())
        if k > size and not targets.from_book:
            where = "the book" if group == "gold" else f"class {group} (customers not made Gold)"
            raise CalibrationError(f"{targets.describe_text(group)} is more than the book: {where} has "
                                   f"only {size:,} customers")


# ----------------------------------------------------------------------------- order statistics
def roundest_between(lo: float, hi: float) -> float:
    """The roundest number ``x`` with ``lo < x ≤ hi``: fewest significant digits, the largest
    such multiple of the coarsest power of ten — how a 第11条 threshold is written.

    Parameters
    ----------
    lo, hi : float
        The interval, in the threshold's unit [CNY/yr or share].
    """
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
    """The interval of thresholds ``x`` at which ``#{keys ≥ x}`` meets ``target`` (第11条,
    bounds inclusive).

    Parameters
    ----------
    keys : ndarray
        One value per customer in the threshold's unit; keys ``≤ 0`` can never be reached by a
        positive threshold and ``-inf`` marks customers who never qualify.
    target : int
        Customers wanted [customers].
    tie : {"at_least", "at_most"}

    Returns
    -------
    count, lo, hi
        Every ``x`` with ``lo < x ≤ hi`` gives ``count`` customers (``count == target`` unless
        a tie straddles it; then ``tie`` decides).
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
    message: Note | None = None  # how the target was met, or why not

    @property
    def reachable(self) -> bool:
        """Whether a threshold meets the target."""
        return self.achieved is not None

    def finding(self) -> Note:
        """The group and its message: ``calibrate.finding`` ('Gold: unreachable: …')."""
        return note("calibrate.finding", group=group_label(self.group), why=self.message)

    def row(self) -> dict:
        """The solution as one row of :meth:`SolvedThresholds.table`."""
        return {"group": self.group, "method": self.method, "target": self.target,
                "current": self.current, "achieved": self.achieved,
                "scale": None if self.scale is None else round(self.scale, 4), "message": self.message}


_CRITERION_WORDS = tuple(note(f"calibrate.label_{c}") for c in CRITERIA)


def _labels(criteria: Criteria) -> list[Note]:
    return [note("calibrate.label_long_term"),
            note("calibrate.label_health_capped", cap=criteria.health_loss_ratio_max),
            note("calibrate.label_non_health_capped", cap=criteria.non_health_loss_ratio_max)]


def _who(group: str) -> Note:
    return note("calibrate.who_gold") if group == "gold" else note("calibrate.who_class", group=group)


def _where(group: str) -> Note:
    return note("calibrate.where_book") if group == "gold" else note("calibrate.where_class", group=group)


def solve_scale(premiums, ratios, criteria: Criteria, target: int, group: str = "gold",
                tie: str = "at_least") -> Solution:
    """One scale factor on the three premium minimums of a group (loss-ratio caps fixed, the
    policy's proportions kept) giving ``target`` candidates (第11条).

    Parameters
    ----------
    premiums, ratios : ndarray (n, 3)
        The group's population (see :func:`~tiermodel.calibrate.groups.book_matrices`)
        [CNY/yr], [share].
    criteria : Criteria
        Thresholds in force.
    target : int
        Candidates wanted [customers].
    group : {"gold", "A", "B", "C", "D"}
    tie : {"at_least", "at_most"}
    """
    mins, caps = criteria_vectors(criteria)
    r = scale_ratio(premiums, ratios, mins, caps)
    current = int(np.count_nonzero(r >= 1.0))
    reach = int(np.count_nonzero(r > 0))
    sol = Solution(group, "scale", target, current, None, None)
    if target > reach:
        sol.message = note("calibrate.unreachable_scale", reach=reach, who=_who(group), labels=_labels(criteria),
                           target=target)
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
    sol.message = _tie_note(count, target) or note("calibrate.scale", factor=float(s))
    return sol


def solve_criterion(premiums, ratios, criteria: Criteria, criterion: str, target: int,
                    group: str = "gold", tie: str = "at_least") -> Solution:
    """Move one criterion's premium minimum (the other two criteria fixed) to meet ``target``
    (第11条).

    Parameters
    ----------
    premiums, ratios : ndarray (n, 3)
        The group's population [CNY/yr], [share].
    criteria : Criteria
        Thresholds in force.
    criterion : {"long_term", "health", "non_health"}
    target : int
        Candidates wanted [customers].
    group : {"gold", "A", "B", "C", "D"}
    tie : {"at_least", "at_most"}
    """
    if criterion not in CRITERIA:
        raise CalibrationError(f"criterion '{criterion}' unknown; use one of {', '.join(CRITERIA)}")
    c = CRITERIA.index(criterion)
    mins, caps = criteria_vectors(criteria)
    base_count, keys = criterion_keys(premiums, ratios, mins, caps, c)
    current = base_count + int(np.count_nonzero(keys >= mins[c]))
    reach = int(np.count_nonzero(keys > 0))
    sol = Solution(group, criterion, target, current, None, None)
    label = _labels(criteria)[c]
    others = [_labels(criteria)[j] for j in range(3) if j != c]
    if target < base_count:
        sol.message = note("calibrate.unreachable_already", base=base_count, who=_who(group), others=others,
                           criterion=_CRITERION_WORDS[c], target=target)
        return sol
    if target > base_count + reach:
        sol.message = (note("calibrate.unreachable_few_beyond", reach=reach, who=_who(group), label=label,
                            base=base_count, others=others, most=base_count + reach) if base_count else
                       note("calibrate.unreachable_few", reach=reach, who=_who(group), label=label,
                            most=base_count + reach))
        return sol
    count, lo, hi = solve_order_statistic(keys, target - base_count, tie)
    new = roundest_between(lo, hi)  # any value in (lo, hi] gives the same candidates
    sol.achieved = base_count + count
    sol.scale = new / mins[c] if mins[c] > 0 else None
    if new != mins[c]:
        sol.changes[f"{group_path(group)}.{PREMIUM_MIN_FIELDS[c]}"] = (float(mins[c]), float(new))
    sol.message = _tie_note(sol.achieved, target) or note("calibrate.criterion_moved", criterion=_CRITERION_WORDS[c])
    return sol


def _tie_note(achieved: int, target: int) -> Note | None:
    if achieved == target:
        return None
    return note("calibrate.tie", achieved=achieved, target=target)


_PREMIUM_MINIMUMS = ("long_term_std_premium_min", "health_premium_min", "non_health_premium_min")
_LOSS_RATIO_CAPS = ("health_loss_ratio_max", "non_health_loss_ratio_max")


def _eligibility_values(policy: Policy, solutions=()) -> dict:
    """The 第11条 thresholds of ``policy`` with the solutions' changes, as a plain mapping."""
    values = {"eligibility": policy.eligibility.model_dump()}
    for sol in solutions:
        for path, (_, new) in sol.changes.items():
            *head, last = path.split(".")
            node = values
            for key in head:
                node = node[key]
            node[last] = new
    return values["eligibility"]


def _first_inversion(values: dict):
    """(upper group, lower group, note) of the first break of the 第11条 order, or None."""
    chain = [("gold", values["gold"])] + [(c, values["silver"][c]) for c in BRANCH_CLASSES]
    for (upper, hi), (lower, lo) in zip(chain, chain[1:]):
        for code, names, broken in (("calibrate.order_premium", _PREMIUM_MINIMUMS, lambda a, b: a < b),
                                    ("calibrate.order_cap", _LOSS_RATIO_CAPS, lambda a, b: a > b)):
            for name in names:
                if broken(hi[name], lo[name]):
                    return upper, lower, note(code, upper=f"{group_path(upper)}.{name}", upper_value=hi[name],
                                              lower=f"{group_path(lower)}.{name}", lower_value=lo[name])
    return None


def threshold_order_problem(policy: Policy) -> Note | str:
    """Why ``policy`` breaks the order of the 第11条 thresholds (a note), or "" when it keeps it.

    Gold ≥ Silver A ≥ B ≥ C ≥ D for every premium minimum [CNY/yr], and the loss-ratio caps
    [share] the other way: then every Gold-eligible customer is Silver-eligible in any class,
    which the selection and its reasons rely on (第13条).

    Parameters
    ----------
    policy : Policy
        Thresholds to check.

    Returns
    -------
    Note or str
        The first inversion, naming both thresholds (``calibrate.order_premium`` or
        ``calibrate.order_cap``), or "".
    """
    found = _first_inversion(_eligibility_values(policy))
    return found[2] if found else ""


def _keep_order(policy: Policy, solutions: list) -> list:
    """Refuse, one at a time, the Silver solutions that break the 第11条 order of the final
    thresholds (the lower group of the first inverted pair), until the order holds."""
    solutions = list(solutions)
    while (found := _first_inversion(_eligibility_values(policy, solutions))) is not None:
        upper, lower, message = found
        changed = {s.group: i for i, s in enumerate(solutions) if s.changes}
        victim = lower if lower in changed else upper if upper in changed and upper != "gold" else None
        if victim is None:  # cannot happen: the Gold solution was checked against Silver as is
            raise CalibrationError(f"the calibrated Gold thresholds would break the order of 第11条: {message}")
        s = solutions[changed[victim]]
        solutions[changed[victim]] = Solution(s.group, s.method, s.target, s.current, None, None, {},
                                              note("calibrate.refused_order", problem=message))
    return solutions


@dataclass
class SolvedThresholds:
    """Result of :func:`solve_thresholds`: one :class:`Solution` per group and the policy with
    the new thresholds in force."""

    base: Policy
    policy: Policy
    targets: Targets
    solutions: list[Solution]
    tie: str

    def table(self) -> pd.DataFrame:
        """One row per group: method, target, candidates now, candidates after, scale, message."""
        out = pd.DataFrame([s.row() for s in self.solutions]).set_index("group")
        out["achieved"] = out["achieved"].astype("Int64")
        return out

    def changes(self) -> pd.DataFrame:
        """One row per changed threshold: parameter path, old and new value [CNY/yr], the target
        it meets."""
        rows = [{"parameter": path, "old": old, "new": new,
                 "meets": note("calibrate.meets", target=self.targets.describe(s.group), achieved=s.achieved)}
                for s in self.solutions for path, (old, new) in s.changes.items()]
        return pd.DataFrame(rows, columns=["parameter", "old", "new", "meets"])

    def unreachable(self) -> list[Note]:
        """'group: why' (``calibrate.finding``) for every target no threshold meets."""
        return [s.finding() for s in self.solutions if not s.reachable]

    def messages(self) -> list[Note]:
        """'group: how the target was met, or why not' for every group with a message."""
        return [s.finding() for s in self.solutions if s.message is not None]


def solve_thresholds(tier_table: pd.DataFrame, policy: Policy, targets: Targets, method: str = "scale",
                     tie: str = "at_least") -> SolvedThresholds:
    """Thresholds of 第11条 meeting the target candidate counts.

    Gold is solved first; the Silver populations then exclude the customers made Gold under
    the calibrated Gold thresholds (第13条). Unreachable targets leave the group's thresholds as
    they are and say why in the solution's message. So does a target whose thresholds would
    break the order of 第11条 (Gold ≥ Silver A ≥ B ≥ C ≥ D per criterion,
    :func:`threshold_order_problem`): the calibration refuses it rather than publish a
    scenario the policy model refuses.

    Parameters
    ----------
    tier_table : DataFrame
        The tiered table (``assign_tiers(...).table``; thresholds do not change the value
        index); only its scored columns are read, so :func:`tiermodel.scoring.score`'s output serves too.
    policy : Policy
        Thresholds in force.
    targets : Targets
        Candidates wanted per group [customers].
    method : {"scale", "long_term", "health", "non_health"}
        One scale factor on a group's three premium minimums, or one criterion's minimum.
    tie : {"at_least", "at_most"}
        Which side of a tie straddling the target to land on.

    Returns
    -------
    SolvedThresholds

    Raises
    ------
    CalibrationError
        Unknown method or tie rule, or a target larger than its population.
    """
    if method not in METHODS:
        raise CalibrationError(f"method '{method}' unknown; use one of {', '.join(METHODS)}")
    if tie not in TIES:
        raise CalibrationError(f"tie rule '{tie}' unknown; use one of {', '.join(TIES)}")
    premiums, ratios = book_matrices(tier_table)
    pops = populations(tier_table, gold_members(tier_table, policy))
    check_targets(targets, pops)
    solutions = []
    new_policy = policy

    def solve(group, k, mask):
        crit = group_criteria(policy, group)
        if k > int(mask.sum()):  # a default target the book cannot reach: a finding
            mins, caps = criteria_vectors(crit)
            current = int((scale_ratio(premiums[mask], ratios[mask], mins, caps) >= 1).sum())
            return Solution(group, method, k, current, None, None, {},
                            note("calibrate.unreachable_population", target=targets.describe(group),
                                 where=_where(group), size=int(mask.sum())))
        if method == "scale":
            return solve_scale(premiums[mask], ratios[mask], crit, k, group, tie)
        return solve_criterion(premiums[mask], ratios[mask], crit, method, k, group, tie)

    items = dict(targets.items())
    if "gold" in items:
        sol = solve("gold", items["gold"], pops["gold"])
        found = _first_inversion(_eligibility_values(policy, [sol])) if sol.changes else None
        if found is not None:  # Gold below a Silver class as it stands: refused, Silver solved as is
            sol = Solution(sol.group, sol.method, sol.target, sol.current, None, None, {},
                           note("calibrate.refused_order", problem=found[2]))
        solutions.append(sol)
        if sol.changes:
            new_policy = new_policy.with_values({p: v for p, (_, v) in sol.changes.items()},
                                                note="calibration")
            pops = populations(tier_table, gold_members(tier_table, new_policy))
            check_targets(Targets(None, targets.silver, targets.from_book), pops)
    for group in BRANCH_CLASSES:
        if group in items:
            solutions.append(solve(group, items[group], pops[group]))

    solutions = _keep_order(policy, solutions)
    changes = {p: v for sol in solutions for p, (_, v) in sol.changes.items()}
    new_policy = policy.with_values(changes, note="calibration") if changes else policy
    return SolvedThresholds(policy, new_policy, targets, solutions, tie)


def criterion_alone_table(tier_table: pd.DataFrame, policy: Policy, targets: Targets,
                          tie: str = "at_least") -> pd.DataFrame:
    """The same targets met by moving one criterion's premium minimum alone, for each of the
    three criteria of 第11条.

    Parameters
    ----------
    tier_table : DataFrame
    policy : Policy
    targets : Targets
        Candidates wanted per group [customers].
    tie : {"at_least", "at_most"}

    Returns
    -------
    DataFrame
        Indexed by (criterion moved, group): target, current, achieved, scale, message.
    """
    return pd.concat({c: solve_thresholds(tier_table, policy, targets, c, tie).table() for c in CRITERIA},
                     names=["criterion moved"])
