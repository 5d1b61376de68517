"""The book as calibration sees it: groups, their 第11条 criteria as arrays, and who each
group's candidates are drawn from.

A *group* is the Gold tier (``"gold"``, company-wide thresholds) or the Silver tier of one
branch class (``"A"``–``"D"``). Gold candidates are drawn from every customer; the Silver
candidates of a class from its customers *not made Gold* (第13条).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import CalibrationError
from ..notes import Note, note
from ..policy import Criteria, Policy
from ..tiers import candidate_id_rank, class_codes, eligibility_bits, select
from ..vocabulary import BRANCH_CLASSES, GOLD

GROUPS = ("gold",) + BRANCH_CLASSES
CRITERIA = ("long_term", "health", "non_health")
PREMIUM_COLUMNS = ("long_term_std_premium", "health_premium", "non_health_premium")
LOSS_RATIO_COLUMNS = (None, "health_loss_ratio", "non_health_loss_ratio")
PREMIUM_MIN_FIELDS = ("long_term_std_premium_min", "health_premium_min", "non_health_premium_min")
LOSS_RATIO_MAX_FIELDS = (None, "health_loss_ratio_max", "non_health_loss_ratio_max")
CRITERION_TEXT = ("long-term standard premium", "health premium", "non-health premium")


def group_path(group: str) -> str:
    """Dotted parameter path of a group's 第11条 criteria.

    Parameters
    ----------
    group : {"gold", "A", "B", "C", "D"}

    Returns
    -------
    str
        ``eligibility.gold`` or ``eligibility.silver.A`` (…).
    """
    _check_group(group)
    return "eligibility.gold" if group == "gold" else f"eligibility.silver.{group}"


def group_label(group: str) -> Note:
    """The name of a group as a note, rendered by the present layer: 金牌 / Gold, or
    银牌（A类机构） / Silver, class A (第7条, 第11条).

    Parameters
    ----------
    group : {"gold", "A", "B", "C", "D"}
    """
    _check_group(group)
    return note("calibrate.group_gold") if group == "gold" else note("calibrate.group_silver", group=group)


def group_criteria(policy: Policy, group: str) -> Criteria:
    """The 第11条 criteria in force for a group (Gold: company-wide; Silver: its class).

    Parameters
    ----------
    policy : Policy
    group : {"gold", "A", "B", "C", "D"}
    """
    _check_group(group)
    return policy.eligibility.gold if group == "gold" else policy.silver_criteria(group)


def _check_group(group: str) -> None:
    if group not in GROUPS:
        raise CalibrationError(f"unknown tier/class '{group}'; use one of {', '.join(GROUPS)}")


def criteria_vectors(criteria: Criteria) -> tuple[np.ndarray, np.ndarray]:
    """Premium minimums and loss-ratio caps of 第11条 as arrays of 3.

    Parameters
    ----------
    criteria : Criteria

    Returns
    -------
    mins : ndarray (3,)
        Long-term, health, non-health premium minimums [CNY/yr].
    caps : ndarray (3,)
        Their loss-ratio caps [share]; the long-term criterion has none (``inf``).
    """
    mins = np.array([getattr(criteria, f) for f in PREMIUM_MIN_FIELDS], dtype=float)
    caps = np.array([np.inf] + [getattr(criteria, f) for f in LOSS_RATIO_MAX_FIELDS[1:]], dtype=float)
    return mins, caps


def book_matrices(tier_table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The three 第11条 premiums and loss ratios of every customer.

    Parameters
    ----------
    tier_table : DataFrame
        The tiered table (or any customer table with the 第11条 premiums and loss ratios).

    Returns
    -------
    premiums : ndarray (n, 3)
        Long-term standard, health and non-health premiums [CNY/yr].
    ratios : ndarray (n, 3)
        Their loss ratios [share]; the long-term column is 0.
    """
    premiums = np.column_stack([tier_table[c].to_numpy(dtype=float) for c in PREMIUM_COLUMNS])
    ratios = np.column_stack([np.zeros(len(tier_table))]
                             + [tier_table[c].to_numpy(dtype=float) for c in LOSS_RATIO_COLUMNS[1:]])
    return premiums, ratios


def scale_ratio(premiums: np.ndarray, ratios: np.ndarray, mins: np.ndarray, caps: np.ndarray) -> np.ndarray:
    """The largest scale factor on the premium minimums at which each customer is still
    eligible (第11条) [-].

    ``r = max_c P_c / m_c`` over the criteria c whose loss ratio is within its cap (bounds
    inclusive); 0 where none is, ``inf`` where a criterion with a zero minimum is met. A
    customer is eligible at scale ``s > 0`` iff ``s ≤ r``.

    Parameters
    ----------
    premiums, ratios : ndarray (n, 3)
        From :func:`book_matrices` [CNY/yr], [share].
    mins, caps : ndarray (3,)
        From :func:`criteria_vectors` [CNY/yr], [share].
    """
    within = ratios <= caps
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(mins > 0, premiums / np.where(mins > 0, mins, 1.0), np.inf)
    r = np.where(within, r, 0.0)
    return r.max(axis=1)


def _others_qualify(premiums, ratios, mins, caps, c: int) -> np.ndarray:
    base = np.zeros(len(premiums), dtype=bool)
    for j in range(3):
        if j != c:
            base |= (premiums[:, j] >= mins[j]) & (ratios[:, j] <= caps[j])
    return base


def criterion_keys(premiums, ratios, mins, caps, c: int) -> tuple[int, np.ndarray]:
    """Customers qualifying by the other two criteria (count), and the key of the rest on
    criterion ``c``: its premium [CNY/yr] where the loss ratio is within the cap, else ``-inf``
    (第11条).

    Parameters
    ----------
    premiums, ratios : ndarray (n, 3)
        From :func:`book_matrices` [CNY/yr], [share].
    mins, caps : ndarray (3,)
        From :func:`criteria_vectors` [CNY/yr], [share].
    c : int
        The criterion: 0 long-term, 1 health, 2 non-health.
    """
    base = _others_qualify(premiums, ratios, mins, caps, c)
    keys = np.where(ratios[:, c] <= caps[c], premiums[:, c], -np.inf)
    return int(base.sum()), keys[~base]


def cap_keys(premiums, ratios, mins, caps, c: int) -> tuple[int, np.ndarray]:
    """As :func:`criterion_keys` for criterion ``c``'s loss-ratio cap (第11条 不高于): key =
    loss ratio [share] where the premium meets its minimum, else ``inf`` (never qualifies).

    Parameters
    ----------
    premiums, ratios : ndarray (n, 3)
        From :func:`book_matrices` [CNY/yr], [share].
    mins, caps : ndarray (3,)
        From :func:`criteria_vectors` [CNY/yr], [share].
    c : int
        The criterion: 1 health, 2 non-health.
    """
    base = _others_qualify(premiums, ratios, mins, caps, c)
    keys = np.where(premiums[:, c] >= mins[c], ratios[:, c], np.inf)
    return int(base.sum()), keys[~base]


def gold_members(tier_table: pd.DataFrame, policy: Policy) -> np.ndarray:
    """Boolean mask of the customers made Gold under ``policy`` (第13条 hard ranking).

    Parameters
    ----------
    tier_table : DataFrame
        The tiered table (``assign_tiers(...).table``); only its scored columns are read.
    policy : Policy
    """
    gold_bits, _ = eligibility_bits(tier_table, policy)
    n = len(tier_table)
    id_rank = candidate_id_rank(tier_table["customer_id"], gold_bits != 0)  # ranks only the candidates
    gs = policy.gold_selection
    tier, _, _ = select(tier_table["value_index"].to_numpy(), tier_table["standard_premium_used"].to_numpy(),
                        id_rank, tier_table["is_new"].to_numpy(dtype=bool), gold_bits,
                        np.zeros(n, dtype=np.uint8), np.zeros(n, dtype=np.int64), np.zeros(1, dtype=np.int64),
                        gs.existing_places, gs.new_places, gs.unfilled_new_places_go_to_existing)
    return tier == GOLD


def populations(tier_table: pd.DataFrame, gold: np.ndarray) -> dict[str, np.ndarray]:
    """Who each group's candidates are drawn from (第13条).

    Parameters
    ----------
    tier_table : DataFrame
    gold : ndarray (n,) of bool
        Customers made Gold (:func:`gold_members`).

    Returns
    -------
    dict of str to ndarray of bool
        Gold — every customer; Silver class X — customers of class X not made Gold.
    """
    code = class_codes(tier_table["branch_class"])  # A–D as 0–3, without converting to text
    out = {"gold": np.ones(len(tier_table), dtype=bool)}
    for i, c in enumerate(BRANCH_CLASSES):
        out[c] = (code == i) & ~gold
    return out


def candidate_counts(tier_table: pd.DataFrame, policy: Policy) -> dict[str, int]:
    """Gold pool and Silver candidates per class under ``policy`` — the calibration's
    measure (第11条, 第13条) [customers].

    Parameters
    ----------
    tier_table : DataFrame
        The tiered table (``assign_tiers(...).table``); only its scored columns are read.
    policy : Policy

    Returns
    -------
    dict
        ``{"gold": n, "A": n, …, "D": n}``; Silver counts leave out customers made Gold.
    """
    gold_bits, silver_bits = eligibility_bits(tier_table, policy)
    pops = populations(tier_table, gold_members(tier_table, policy))
    out = {"gold": int(np.count_nonzero(gold_bits))}
    for c in BRANCH_CLASSES:
        out[c] = int(np.count_nonzero((silver_bits != 0) & pops[c]))
    return out
