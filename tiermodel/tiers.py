"""Eligibility (第11条) and selection (第12–13条) of Gold and Silver VIPs.

Eligibility: a customer enters a tier's candidate list when any one of three criteria
holds (bounds inclusive — 以上 and 不高于 include the number, Civil Code art. 1259):

1. long-term standard premium ≥ the tier/class minimum, or
2. health received premium ≥ minimum and health loss ratio ≤ cap (60 %), or
3. non-health received premium ≥ minimum and non-health loss ratio ≤ cap (40 %).

Gold thresholds are company-wide; Silver thresholds depend on the branch class A–D.

Selection:

* **Gold** — the top ``existing_places`` (30) Gold-eligible customers insured before this
  year, and the top ``new_places`` (10) Gold-eligible new customers, by value index.
* **Silver** — Silver-eligible customers not made Gold, ranked within their branch, up to
  the branch's capacity. Every Gold threshold exceeds every Silver one, so a Gold-eligible
  customer left out of Gold is Silver-eligible.
* **Regular** — everyone else.

**Tie rule** (ours; the policy has none): higher value index first; on equal value index
the larger standard premium; then the smaller customer id (text order). The order is total,
so the lists are deterministic.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import TiermodelError
from .notes import Note, note
from .policy import Criteria, Policy
from .result import Result
from .scoring import with_columns
from .vocabulary import (BRANCH_CLASSES, CRITERION_TERMS, GOLD, HEALTH, LONG_TERM, NON_HEALTH,  # noqa: F401
                         REASON_TERMS, REGULAR, SILVER, TIER_LABELS, TIERS)

CRITERION_LABELS = {bit: term.en for bit, term in CRITERION_TERMS.items()}
TIER_NAMES = list(TIERS)


def criteria_label(bits: int) -> str:
    """Which criteria a bitmask holds, e.g. ``"long-term premium + health premium"``."""
    names = [label for bit, label in CRITERION_LABELS.items() if bits & bit]
    return " + ".join(names) if names else "none"


def criteria_met(long_term_std_premium, health_premium, health_loss_ratio, non_health_premium,
                 non_health_loss_ratio, long_term_min, health_min, health_lr_max,
                 non_health_min, non_health_lr_max) -> np.ndarray:
    """Bitmask of the 第11条 criteria each customer meets (1 long-term, 2 health, 4 non-health).

    Thresholds may be scalars or per-customer arrays (Silver: by branch class). Bounds are
    inclusive: premium ≥ minimum, loss ratio ≤ cap.
    """
    # booleans viewed as 0/1 bytes and shifted into place: no conversion passes
    bits = (np.asarray(long_term_std_premium) >= long_term_min).view(np.uint8)
    health = ((np.asarray(health_premium) >= health_min)
              & (np.asarray(health_loss_ratio) <= health_lr_max)).view(np.uint8)
    non_health = ((np.asarray(non_health_premium) >= non_health_min)
                  & (np.asarray(non_health_loss_ratio) <= non_health_lr_max)).view(np.uint8)
    bits |= health << 1  # HEALTH = 2
    bits |= non_health << 2  # NON_HEALTH = 4
    return bits


def _criteria_arrays(criteria: list[Criteria]) -> dict[str, np.ndarray]:
    names = ["long_term_std_premium_min", "health_premium_min", "health_loss_ratio_max",
             "non_health_premium_min", "non_health_loss_ratio_max"]
    return {n: np.array([getattr(c, n) for c in criteria]) for n in names}


def class_codes(branch_class) -> np.ndarray:
    """Branch class A–D as codes 0–3."""
    if isinstance(branch_class, pd.Series) and isinstance(branch_class.dtype, pd.CategoricalDtype) \
            and list(branch_class.cat.categories) == list(BRANCH_CLASSES):
        return branch_class.cat.codes.to_numpy()
    return pd.Categorical(branch_class, categories=BRANCH_CLASSES).codes


def eligibility_bits(portfolio: pd.DataFrame, policy: Policy) -> tuple[np.ndarray, np.ndarray]:
    """Gold and Silver criteria bitmasks for every customer (第11条).

    Returns
    -------
    gold_bits, silver_bits : numpy.ndarray of uint8
        Non-zero where the customer is eligible; the bits say which criteria qualified.
    """
    cols = [portfolio[c].to_numpy() for c in ("long_term_std_premium", "health_premium",
                                              "health_loss_ratio", "non_health_premium",
                                              "non_health_loss_ratio")]
    g = policy.eligibility.gold
    gold = criteria_met(*cols, g.long_term_std_premium_min, g.health_premium_min,
                        g.health_loss_ratio_max, g.non_health_premium_min, g.non_health_loss_ratio_max)
    silver = silver_bits(*cols, class_codes(portfolio["branch_class"]), policy)
    return gold, silver


def silver_bits(long_term_std_premium, health_premium, health_loss_ratio, non_health_premium,
                non_health_loss_ratio, class_code, policy: Policy) -> np.ndarray:
    """第11条 2 criteria bitmask with each customer's branch-class thresholds (class codes 0–3 = A–D).

    A customer meets a criterion at the bar of its class only if it meets it at the lowest bar
    of the four classes; the bars of its own class are looked up for those few customers only.
    """
    per_class = _criteria_arrays([policy.silver_criteria(c) for c in BRANCH_CLASSES])
    cols = [np.asarray(x) for x in (long_term_std_premium, health_premium, health_loss_ratio,
                                    non_health_premium, non_health_loss_ratio)]
    lowest = [per_class["long_term_std_premium_min"].min(), per_class["health_premium_min"].min(),
              per_class["health_loss_ratio_max"].max(), per_class["non_health_premium_min"].min(),
              per_class["non_health_loss_ratio_max"].max()]
    some = np.flatnonzero(criteria_met(*cols, *lowest))
    bits = np.zeros(cols[0].shape, dtype=np.uint8)
    code = np.asarray(class_code)[some].astype(np.intp)
    bits[some] = criteria_met(*(c[some] for c in cols), *(np.take(per_class[n], code) for n in per_class))
    return bits


def candidate_id_rank(customer_ids, candidate: np.ndarray) -> np.ndarray:
    """Text order of the customer ids among the candidates (0 elsewhere).

    Only candidates compete for places, so only their ids need ranking for the tie rule;
    sorting a million ids as text would cost more than the whole selection.
    """
    idx = np.flatnonzero(candidate)
    ids = customer_ids.iloc[idx] if isinstance(customer_ids, pd.Series) else np.asarray(customer_ids)[idx]
    id_rank = np.zeros(len(candidate), dtype=np.int64)
    id_rank[idx[np.argsort(np.asarray(ids, dtype=str), kind="stable")]] = np.arange(len(idx))
    return id_rank


def order_key(value_index, std_premium, id_rank) -> np.ndarray:
    """Positions sorted by the tie rule: value index ↓, standard premium ↓, id rank ↑."""
    return np.lexsort((id_rank, -np.asarray(std_premium), -np.asarray(value_index)))


def gold_places(existing_places: int, new_places: int, new_candidates: int,
                unfilled_new_to_existing: bool = False) -> tuple[int, int]:
    """Gold places of the new and of the existing pool after any pass-on (第13条).

    The new pool is filled first; where fewer than ``new_places`` new customers are
    Gold-eligible, the places left over pass to the existing pool if
    ``unfilled_new_to_existing`` (``gold_selection.unfilled_new_places_go_to_existing``,
    assumed), else they stay empty. The one home of this rule: :func:`select` and the batched
    sweep of :mod:`tiermodel.sensitivity` both call it.

    Parameters
    ----------
    existing_places, new_places : int
        Gold places of 第13条 for existing and new customers [customers] (30 and 10).
    new_candidates : int
        Gold-eligible new customers [customers].
    unfilled_new_to_existing : bool
        Whether unfilled new places pass to the existing pool.

    Returns
    -------
    new, existing : int
        Places of the new pool and of the existing pool [customers].

    Examples
    --------
    20 new places, 11 new candidates, pass-on: the existing pool gets 30 + 9 = 39.

    >>> gold_places(30, 20, 11, True)
    (20, 39)
    """
    unfilled = max(new_places - new_candidates, 0)
    return new_places, existing_places + (unfilled if unfilled_new_to_existing else 0)


def select(value_index, std_premium, id_rank, is_new, gold_bits, silver_bits, branch_code,
           branch_capacity, existing_places: int, new_places: int,
           unfilled_new_to_existing: bool = False):
    """Gold/Silver/Regular selection from arrays (第12–13条).

    Parameters
    ----------
    value_index, std_premium : array of float, one per customer
    id_rank : array of int
        Position of each customer id in text order (ties broken by smaller rank).
    is_new : array of bool
        New customer this year (competes for the ``new_places``).
    gold_bits, silver_bits : array of uint8
        Criteria bitmasks; eligible where non-zero.
    branch_code : array of int
        Branch of each customer as 0..B-1.
    branch_capacity : array of int, length B
        Silver places of each branch.

    Returns
    -------
    tier : array of int8 (0 Gold, 1 Silver, 2 Regular)
    gold_rank : array of int32
        Rank (1-based) among the Gold-eligible customers of the same pool (existing or
        new); 0 where not Gold-eligible.
    branch_rank : array of int32
        Rank (1-based) among the branch's Silver-eligible customers not made Gold; 0 elsewhere.
    """
    n = len(value_index)
    gold_bits, silver_bits = np.asarray(gold_bits), np.asarray(silver_bits)
    tier = np.full(n, REGULAR, dtype=np.int8)
    gold_rank = np.zeros(n, dtype=np.int32)
    branch_rank = np.zeros(n, dtype=np.int32)
    # Only candidates compete: work on their positions, a few per cent of the book.
    cand = np.flatnonzero((gold_bits | silver_bits) != 0)  # on booleans: ~10× faster than on bytes
    value, std, ids = (np.asarray(x)[cand] for x in (value_index, std_premium, id_rank))
    new = np.asarray(is_new, dtype=bool)[cand]
    cand_tier = np.full(len(cand), REGULAR, dtype=np.int8)
    cand_gold_rank = np.zeros(len(cand), dtype=np.int32)
    gold_eligible = np.flatnonzero(gold_bits[cand])
    pools = {is_new_pool: gold_eligible[new[gold_eligible] == is_new_pool] for is_new_pool in (True, False)}
    places = dict(zip((True, False), gold_places(existing_places, new_places, len(pools[True]),
                                                 unfilled_new_to_existing)))
    for pool_is_new, pool in pools.items():
        ordered = pool[order_key(value[pool], std[pool], ids[pool])]
        cand_gold_rank[ordered] = np.arange(1, len(ordered) + 1, dtype=np.int32)
        cand_tier[ordered[:places[pool_is_new]]] = GOLD

    silver = np.flatnonzero((silver_bits[cand] != 0) & (cand_tier != GOLD))
    if len(silver):
        b = np.asarray(branch_code)[cand[silver]]
        order = np.lexsort((ids[silver], -std[silver], -value[silver], b))
        silver, b = silver[order], b[order]
        starts = np.flatnonzero(np.r_[True, b[1:] != b[:-1]])
        group_start = np.repeat(starts, np.diff(np.r_[starts, len(b)]))
        rank = np.arange(len(b)) - group_start + 1
        branch_rank[cand[silver]] = rank
        cand_tier[silver[rank <= np.asarray(branch_capacity)[b]]] = SILVER
    tier[cand] = cand_tier
    gold_rank[cand] = cand_gold_rank
    return tier, gold_rank, branch_rank


GOLD_LIST_COLUMNS = ["gold_pool", "tier_rank", "customer_id", "name", "branch", "branch_class",
                     "effective_years", "standard_premium_used", "premium_coef", "loyalty_coef",
                     "k1", "profit_margin", "profit_coef", "k2", "value_index", "gold_criteria"]


@dataclass
class Tiering(Result):
    """Result of :func:`assign_tiers`.

    ``table`` is the scored portfolio with the eligibility and tier columns (the tiered table,
    ``tier_table`` where a function takes it); ``notes`` are what the selection found (places
    left empty, candidates fewer than places) as :class:`~tiermodel.notes.Note` values.
    """

    table: pd.DataFrame
    notes: list[Note] = field(default_factory=list)
    capacity: pd.Series | None = None  # Silver places per branch

    def summary(self) -> pd.DataFrame:
        """Customers per tier and branch class (rows) with totals."""
        return tier_counts(self.table, "branch_class")

    def gold_list(self, columns: list[str] | None = GOLD_LIST_COLUMNS) -> pd.DataFrame:
        """The Gold customers, existing pool then new pool, by rank, with every score component
        (and the customer's name where the portfolio has one)."""
        g = self.table[self.table["tier"] == "gold"]
        g = g.sort_values(["gold_pool", "tier_rank"], ascending=[True, True])
        if columns:
            columns = [c for c in columns if c != "name" or "name" in g.columns]
        return g[columns] if columns else g

    def tables(self) -> dict[str, pd.DataFrame]:
        """Counts by class and branch, the Gold list, the VIP list and the notes."""
        by_branch = tier_counts(self.table, "branch")
        if self.capacity is not None:
            by_branch = by_branch.join(self.capacity.rename("silver_places"))
        vip = self.table[self.table["tier"] != "regular"].sort_values(["tier", "branch", "tier_rank"])
        return {"tier counts by class": self.summary(), "tier counts by branch": by_branch,
                "gold list": self.gold_list(), "vip list": vip,
                "notes": pd.DataFrame({"note": self.notes})}


def tier_counts(tier_table: pd.DataFrame, by: str) -> pd.DataFrame:
    """Customers per ``by`` (e.g. ``branch_class`` or ``branch``) and tier, with totals.

    Rows are the values of ``by`` that occur, sorted, then ``total``; columns gold, silver,
    regular, total [customers]. Counted with one ``bincount`` over (group, tier) codes.
    """
    # hashing (or a categorical's own codes), not a sort of a million strings
    group_code, groups = pd.factorize(tier_table[by], sort=True)
    if (group_code < 0).any():
        raise ValueError(f"blank {by} in the table")
    tier_code = _tier_codes(tier_table["tier"])
    if (tier_code < 0).any():
        raise ValueError(f"unknown tier in the table: {sorted(set(tier_table['tier'].astype(str)) - set(TIER_NAMES))}")
    cells = np.bincount(group_code * len(TIER_NAMES) + tier_code,
                        minlength=len(groups) * len(TIER_NAMES)).reshape(len(groups), len(TIER_NAMES))
    cells = np.vstack([cells, cells.sum(axis=0)])
    counts = pd.DataFrame(np.column_stack([cells, cells.sum(axis=1)]),
                          index=pd.Index([str(g) for g in groups] + ["total"], name=by),
                          columns=pd.Index(TIER_NAMES + ["total"], name="tier"))
    return counts


def _tier_codes(tier: pd.Series) -> np.ndarray:
    """Position of each tier in :data:`TIER_NAMES` (-1 for a word that is none of them), from a
    categorical's own codes where it is one (no text compared per row)."""
    names = pd.Index(TIER_NAMES)
    if isinstance(tier.dtype, pd.CategoricalDtype):
        lookup = np.append(names.get_indexer(tier.cat.categories.astype(str)), -1)
        return lookup[tier.cat.codes.to_numpy()]  # code -1 (missing) takes the appended -1
    return names.get_indexer(tier.astype(str))


def branch_capacity(portfolio: pd.DataFrame, policy: Policy,
                    branches: pd.DataFrame | None = None) -> pd.Series:
    """Silver places per branch: the branch table's ``silver_capacity`` where given, else the
    class default of ``silver_selection.capacity_per_class`` (assumed, 第13条)."""
    per_class = policy.silver_selection.capacity_per_class
    first_class = portfolio.groupby("branch", observed=True, sort=True)["branch_class"].first()
    cap = first_class.astype(str).map(lambda c: getattr(per_class, c)).astype(int)
    if branches is not None and "silver_capacity" in branches:
        given = branches.dropna(subset=["silver_capacity"]).set_index("branch")["silver_capacity"]
        cap.update(given.astype(int))
        cap = cap.astype(int)
    cap.name = "silver_capacity"
    return cap


def _reason_labels(tier, gold_bits, silver_bits, is_new, existing_places, new_places):
    """Categorical reason for every customer, built once per combination of tier, criteria
    bits and Gold pool (at most 3 × 8 × 8 × 2 texts)."""
    # ((tier × 8 + gold bits) × 8 + silver bits) × 2 + new, below 384: two bytes a customer
    key = tier.astype(np.uint16)
    key *= 8
    key += gold_bits
    key *= 8
    key += silver_bits
    key *= 2
    key += is_new
    # the keys that occur, in order, from a table of the 384 possible keys (no hashing)
    seen = np.zeros(3 * 8 * 8 * 2, dtype=bool)
    seen[key] = True
    uniques = np.flatnonzero(seen)
    labels = []
    for k in uniques:
        rest, new = divmod(int(k), 2)
        rest, s = divmod(rest, 8)
        t, g = divmod(rest, 8)
        places, pool = (new_places, "new") if new else (existing_places, "existing")
        outside = REASON_TERMS["outside"].en.format(criteria=criteria_label(g), places=places, pool=pool) \
            if g else ""
        if t == GOLD:
            text = REASON_TERMS["gold"].en.format(places=places, pool=pool, criteria=criteria_label(g))
        elif t == SILVER:
            text = REASON_TERMS["silver"].en.format(criteria=criteria_label(s), outside=outside)
        elif s:
            text = REASON_TERMS["regular_beyond"].en.format(criteria=criteria_label(s), outside=outside)
        else:
            text = REASON_TERMS["regular_none"].en
        labels.append(text)
    categories, label_code = np.unique(labels, return_inverse=True)
    code_of_key = np.zeros(len(seen), dtype=np.int16)
    code_of_key[uniques] = label_code
    return pd.Categorical.from_codes(code_of_key[key], categories=categories)


def _criteria_categorical(bits: np.ndarray) -> pd.Categorical:
    return pd.Categorical.from_codes(bits.astype(np.int8), [criteria_label(b) for b in range(8)])


def assign_tiers(scored: pd.DataFrame, policy: Policy,
                 capacity: pd.Series | None = None) -> Tiering:
    """Tier a scored portfolio (第11–13条).

    Parameters
    ----------
    scored : DataFrame
        Output of :func:`tiermodel.scoring.score`.
    policy : Policy
    capacity : Series, optional
        Silver places per branch (index = branch); default from :func:`branch_capacity`.

    Returns
    -------
    Tiering
        ``table`` adds ``gold_criteria``, ``silver_criteria`` (bitmask labels),
        ``gold_eligible``, ``silver_eligible``, ``gold_pool`` (existing/new),
        ``gold_rank`` (rank in the Gold pool, blank (<NA>) if not eligible), ``branch_rank``
        (rank among the branch's Silver candidates, blank if none), ``tier``
        (gold/silver/regular), ``tier_rank`` (Gold: rank in pool; Silver: rank in branch;
        Regular: blank) and ``reason``; the ranks are nullable integers (``Int32``).
    """
    if capacity is None:
        capacity = branch_capacity(scored, policy)
    gold_bits, silver_bits = eligibility_bits(scored, policy)
    branch_codes, branch_names = pd.factorize(scored["branch"], sort=True)
    cap = capacity.reindex(branch_names)
    missing = cap[cap.isna()].index.tolist()
    if missing:
        raise TiermodelError(f"no Silver capacity for branch(es) {', '.join(map(str, missing))}: "
                             f"add them to the branch table (silver_capacity) or give their branch_class")
    id_rank = candidate_id_rank(scored["customer_id"], (gold_bits | silver_bits) != 0)
    is_new = scored["is_new"].to_numpy(dtype=bool)
    gs = policy.gold_selection
    tier, gold_rank, branch_rank = select(
        scored["value_index"].to_numpy(), scored["standard_premium_used"].to_numpy(), id_rank,
        is_new, gold_bits, silver_bits, branch_codes, cap.to_numpy(dtype=np.int64),
        gs.existing_places, gs.new_places, gs.unfilled_new_places_go_to_existing)

    out = with_columns(scored, {
        "gold_eligible": gold_bits != 0,
        "gold_criteria": _criteria_categorical(gold_bits),
        "silver_eligible": silver_bits != 0,
        "silver_criteria": _criteria_categorical(silver_bits),
        "gold_pool": pd.Categorical.from_codes(is_new.astype(np.int8), ["existing", "new"]),
        "gold_rank": _ranks(gold_rank),
        "branch_rank": _ranks(branch_rank),
        "tier": pd.Categorical.from_codes(tier, TIER_NAMES),
        "tier_rank": _ranks(np.select([tier == GOLD, tier == SILVER], [gold_rank, branch_rank], 0)),
        "reason": _reason_labels(tier, gold_bits, silver_bits, is_new, gs.existing_places, gs.new_places),
    }, copy=False)
    return Tiering(out, selection_notes(out, policy, capacity), capacity)


def _ranks(rank: np.ndarray) -> pd.arrays.IntegerArray:
    """Ranks 1, 2, … as a nullable integer column: a customer without a rank (0 in the
    selection's arrays) has none (<NA>), shown blank in every sheet and CSV."""
    rank = np.asarray(rank, dtype=np.int32)
    return pd.arrays.IntegerArray(rank, rank == 0)


def selection_notes(tier_table: pd.DataFrame, policy: Policy, capacity: pd.Series) -> list[Note]:
    """What the selection found where candidates are fewer than places (第13条), as notes
    (:mod:`tiermodel.notes`; templates in ``present/messages/tiers.toml``)."""
    gs = policy.gold_selection
    notes = []
    eligible = tier_table["gold_eligible"].to_numpy(dtype=bool)  # masks: no copy of the table's rows
    is_new = tier_table["is_new"].to_numpy(dtype=bool)
    n_new = int(np.count_nonzero(eligible & is_new))
    n_old = int(np.count_nonzero(eligible)) - n_new
    gold = (tier_table["tier"] == "gold").to_numpy(dtype=bool)
    new_filled = int(np.count_nonzero(gold & is_new))
    old_filled = int(np.count_nonzero(gold & ~is_new))
    if n_new < gs.new_places:
        code = "tiers.gold_new_short_passed" if gs.unfilled_new_places_go_to_existing else "tiers.gold_new_short"
        notes.append(note(code, n=n_new, places=gs.new_places, unfilled=gs.new_places - n_new))
    if old_filled < gs.existing_places:
        notes.append(note("tiers.gold_existing_short", n=n_old, places=gs.existing_places,
                          empty=gs.existing_places - old_filled))
    notes.append(note("tiers.gold_filled", existing=old_filled, new=new_filled, gold=old_filled + new_filled,
                      candidates_existing=n_old, candidates_new=n_new))
    silver = tier_table["silver_eligible"].to_numpy(dtype=bool) & ~gold
    silver_cand = tier_table.loc[silver, ["branch"]].groupby("branch", observed=True).size()
    short = capacity.reindex(silver_cand.index.union(capacity.index), fill_value=0)
    under = silver_cand.reindex(short.index, fill_value=0) < short
    n_under = int(under.sum())
    if n_under:
        notes.append(note("tiers.silver_short", short=n_under, branches=len(short)))
    return notes


def cut_lines(tier_table: pd.DataFrame) -> dict[str, float]:
    """Value index of the last customer in: Gold (existing pool), Gold (new pool), Silver.

    NaN where the tier or pool is empty.
    """
    def lowest(mask):
        values = tier_table.loc[mask, "value_index"]
        return float(values.min()) if len(values) else float("nan")

    gold = tier_table["tier"] == "gold"
    return {"gold_existing": lowest(gold & ~tier_table["is_new"]),
            "gold_new": lowest(gold & tier_table["is_new"]),
            "silver": lowest(tier_table["tier"] == "silver")}
