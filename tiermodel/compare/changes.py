"""Who moved between two tier lists, and why — in words a committee reads (Chinese and English).

One engine serves both comparisons: last year's list against this year's (the annual
cycle, 第8条) and the base policy's list against a scenario's on the same book. For every
customer in either list it gives the state before and after (金牌 / 银牌 / 普通 / 未在册) and,
for each customer whose state changed, one reason code and a note stating the figure
that decided it:

===================  ==========================================================================
code                 meaning
===================  ==========================================================================
left_book            in the first list, not in the second's book (离册)
new_to_book          not in the first list's book (新客户)
lost_criterion       no longer meets any 第11条 criterion of the tier it held; the failing figure
                     against its threshold (premium < minimum, or loss ratio > cap)
gained_criterion     meets a 第11条 criterion of the tier it gained that it did not meet before
k1_ageing            still eligible, premium and profit parts unchanged, the loyalty × K1 part
                     fell as K1 fell with the effective years (第10条): out of the places
value_fell           still eligible; the value index fell below the cut line it would have met
value_rose           the value index rose past the cut line
pool_change          last year in the 10 new-customer places, this year competing for the 30
                     places of customers insured in earlier years (第13条)
overtaken            still eligible, value index not the cause: others ranked above it
place_freed          ranked into a place left by others (cut line fell, or places added)
branch_full          Silver-eligible but the branch's Silver places are full (第12条 2, 第13条)
branch_room          a Silver place of the branch came free, or the capacity rose
override             head office forced the customer in or out (第12条 1)
===================  ==========================================================================

The value-index change is split into its three parts of 第10条: premium × 30 %, loyalty ×
30 % × K1 and profit × 40 % × K2. A reason is a note (:class:`tiermodel.notes.Note`: a code and
its fields), never a sentence: the present layer renders it in the reader's language from
``present/messages/compare.toml`` (amounts in 万元 in Chinese, million CNY in English).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..notes import Note, note
from ..policy import Policy
from ..vocabulary import HEALTH, LONG_TERM, NON_HEALTH, TIERS
from .standings import ABSENT, GOLD, REGULAR, SILVER, STATES, Places

REASON_CODES = ["unchanged", "left_book", "new_to_book", "lost_criterion", "gained_criterion",
                "k1_ageing", "value_fell", "value_rose", "pool_change", "overtaken", "place_freed",
                "branch_full", "branch_room", "override"]
CHANGE_KINDS = ["same", "up", "down", "joined", "left"]
EPS = 1e-9


def _same(ids_before, ids_after) -> bool:
    if ids_before is ids_after:
        return True
    if len(ids_before) != len(ids_after):
        return False
    try:
        return bool(np.asarray(ids_before == ids_after, dtype=bool).all())
    except (TypeError, ValueError):
        return False


def align(ids_before, ids_after) -> tuple[pd.Index, np.ndarray, np.ndarray, bool]:
    """Union of two id lists: the second list's order, then those only in the first.

    Returns ``ids``, ``pos_before``, ``pos_after`` (-1 where a customer is absent from a
    list) and whether both lists are the same book in the same order (scenario against
    base), which costs one comparison and no reordering.
    """
    n_a = len(ids_after)
    if _same(ids_before, ids_after):
        pos = np.arange(n_a)
        return pd.Index(ids_after), pos, pos, True
    # one factorisation of both id lists (hashing a million text ids once, not per lookup)
    sb, sa = pd.Series(ids_before, copy=False), pd.Series(ids_after, copy=False)
    codes, uniques = pd.factorize(pd.concat([sb, sa], ignore_index=True))
    code_b, code_a = codes[:len(sb)], codes[len(sb):]
    where_b = np.full(len(uniques), -1, dtype=np.int64)
    where_b[code_b] = np.arange(len(sb))
    pos_b_of_a = where_b[code_a]
    in_a = np.zeros(len(uniques), dtype=bool)
    in_a[code_a] = True
    only_b = np.flatnonzero(~in_a[code_b])
    ids = pd.Index(pd.concat([sa, sb.iloc[only_b]], ignore_index=True))
    pos_b = np.concatenate([pos_b_of_a, only_b])
    pos_a = np.concatenate([np.arange(n_a), np.full(len(only_b), -1)])
    return ids, pos_b, pos_a, False


def _union_codes(before: pd.Categorical, after: pd.Categorical, pb, pa, same: bool):
    """Codes of a categorical column over the aligned customers (after's value where present)."""
    if same:
        return np.asarray(after.codes, dtype=np.intp), pd.Index(after.categories)
    cats = pd.Index(after.categories).union(pd.Index(before.categories))
    code_a = cats.get_indexer(after.categories)[after.codes] if len(after) else np.zeros(0, np.intp)
    code_b = cats.get_indexer(before.categories)[before.codes] if len(before) else np.zeros(0, np.intp)
    code = np.where(pa >= 0, _take(code_a, pa, -1), _take(code_b, pb, -1))
    return code.astype(np.intp), cats


def _take(values, pos: np.ndarray, fill, same: bool = False):
    values = np.asarray(values)
    if same:
        return values
    out = values[np.clip(pos, 0, max(len(values) - 1, 0))] if len(values) else np.empty(len(pos), values.dtype)
    if (pos < 0).any():
        out = out.astype(object if values.dtype == object else np.result_type(values.dtype, type(fill)))
        out[pos < 0] = fill
    return out


def transitions(before: pd.DataFrame, after: pd.DataFrame, places_before: Places, places_after: Places,
                policy_after: Policy, overridden=None) -> pd.DataFrame:
    """Every customer of either list with its state before and after and, where it changed, why.

    Parameters
    ----------
    before, after : Standing
        Standings (:func:`tiermodel.compare.standings.standing`).
    places_before, places_after : Places
        Their places and cut lines.
    policy_after : Policy
        The policy of the second list: its 第11条 thresholds are the ones a figure is held
        against (第11条 criteria; Silver by branch class).
    overridden : array of bool, optional
        Customers of ``after`` head office forced in or out.

    Returns
    -------
    DataFrame
        ``customer_id``, ``branch``, ``branch_class``, ``before``, ``after`` (gold, silver,
        regular, none), ``change`` (same, up, down, joined, left), ``rank_before``,
        ``rank_after`` (nullable: blank where the customer had no rank), ``value_index_before``,
        ``value_index_after``, ``delta_value_index``,
        ``delta_premium``, ``delta_loyalty_k1``, ``delta_profit_k2`` [-], ``reason_code`` and
        ``reason`` (a :class:`~tiermodel.notes.Note` ``compare.move``; None where nothing changed).
    """
    ids, pb, pa, same = align(before["customer_id"], after["customer_id"])
    n = len(ids)

    def b(col, fill=np.nan):
        return _take(before[col], pb, fill, same)

    def a(col, fill=np.nan):
        return _take(after[col], pa, fill, same)

    t_b = b("tier", ABSENT).astype(np.int8)
    t_a = a("tier", ABSENT).astype(np.int8)
    vi_b, vi_a = b("value_index").astype(float), a("value_index").astype(float)
    parts = {}
    for p in ("premium_part", "loyalty_part", "profit_part"):
        parts[p] = a(p).astype(float) - b(p).astype(float)
    new_b, new_a = b("is_new", False).astype(bool), a("is_new", False).astype(bool)
    gbits_b, gbits_a = b("gold_bits", -1).astype(np.int16), a("gold_bits", -1).astype(np.int16)
    sbits_b, sbits_a = b("silver_bits", -1).astype(np.int16), a("silver_bits", -1).astype(np.int16)
    branch_code, branches = _union_codes(before["branch"], after["branch"], pb, pa, same)
    class_code, classes = _union_codes(before["branch_class"], after["branch_class"], pb, pa, same)

    # ---- the kind of change
    change = np.zeros(n, dtype=np.int8)  # same
    change[(t_b < ABSENT) & (t_a < ABSENT) & (t_a < t_b)] = 1  # up
    change[(t_b < ABSENT) & (t_a < ABSENT) & (t_a > t_b)] = 2  # down
    change[(t_b == ABSENT) & (t_a < ABSENT)] = 3
    change[(t_b < ABSENT) & (t_a == ABSENT)] = 4

    # ---- cut lines the customer faced in the second list
    gold_cut_a = np.where(new_a, places_after.gold_cut[1], places_after.gold_cut[0])
    silver_cut_a = places_after.silver_cut.reindex(branches).fillna(-np.inf).to_numpy(dtype=float)[branch_code]
    dvi = vi_a - vi_b
    pure_k1 = ((np.abs(parts["premium_part"]) < EPS) & (np.abs(parts["profit_part"]) < EPS)
               & (parts["loyalty_part"] < -EPS) & (a("k1").astype(float) < b("k1").astype(float)))

    code = np.zeros(n, dtype=np.int8)  # unchanged
    R = {c: i for i, c in enumerate(REASON_CODES)}
    code[change == 4] = R["left_book"]
    code[change == 3] = R["new_to_book"]

    down = change == 2
    lost_gold = down & (t_b == GOLD)
    lost_silver = down & (t_b == SILVER)
    # Gold lost
    no_gold = lost_gold & (gbits_a == 0)
    code[no_gold] = R["lost_criterion"]
    ranked_out = lost_gold & (gbits_a != 0)
    fell_enough = (dvi < -EPS) & (vi_b >= gold_cut_a)
    code[ranked_out] = R["overtaken"]
    code[ranked_out & fell_enough] = R["value_fell"]
    code[ranked_out & fell_enough & pure_k1] = R["k1_ageing"]
    code[ranked_out & new_b & ~new_a] = R["pool_change"]
    # Silver lost
    code[lost_silver & (sbits_a == 0)] = R["lost_criterion"]
    code[lost_silver & (sbits_a != 0)] = R["branch_full"]

    up = change == 1
    gain_gold = up & (t_a == GOLD)
    gain_silver = up & (t_a == SILVER)
    code[gain_gold] = R["place_freed"]
    code[gain_gold & (dvi > EPS) & (vi_b < gold_cut_a)] = R["value_rose"]
    code[gain_gold & (gbits_b == 0)] = R["gained_criterion"]
    code[gain_silver] = R["branch_room"]
    code[gain_silver & (dvi > EPS) & (vi_b < silver_cut_a)] = R["value_rose"]
    code[gain_silver & (sbits_b == 0)] = R["gained_criterion"]
    if overridden is not None:
        ov = _take(np.asarray(overridden, dtype=bool), pa, False, same).astype(bool)
        code[ov & (change != 0)] = R["override"]

    out = pd.DataFrame({
        "customer_id": ids.array, "branch": pd.Categorical.from_codes(branch_code, branches),
        "branch_class": pd.Categorical.from_codes(class_code, classes),
        "before": pd.Categorical.from_codes(t_b, STATES),
        "after": pd.Categorical.from_codes(t_a, STATES),
        "change": pd.Categorical.from_codes(change, CHANGE_KINDS),
        "rank_before": _ranks(b("tier_rank", 0)), "rank_after": _ranks(a("tier_rank", 0)),
        "value_index_before": vi_b, "value_index_after": vi_a, "delta_value_index": dvi,
        "delta_premium": parts["premium_part"], "delta_loyalty_k1": parts["loyalty_part"],
        "delta_profit_k2": parts["profit_part"],
        "reason_code": pd.Categorical.from_codes(code, REASON_CODES),
    })
    # a reason (a note: code and fields) where a VIP tier is involved; one shared note for
    # Regular ↔ not in book, however many customers
    plain = (change >= 3) & (np.minimum(t_b, t_a) == REGULAR)
    detail = np.flatnonzero((change != 0) & ~plain)
    reasons = np.full(n, None, dtype=object)
    if len(detail):
        ctx = _Context(policy_after, places_after)
        fields = {
            "t_b": t_b, "t_a": t_a, "code": code, "vi_b": vi_b, "vi_a": vi_a, "dvi": dvi,
            "dp": parts["premium_part"], "dl": parts["loyalty_part"], "dpr": parts["profit_part"],
            "new_b": new_b, "new_a": new_a, "gbits_b": gbits_b, "gbits_a": gbits_a,
            "sbits_b": sbits_b, "sbits_a": sbits_a, "branch": branch_code, "cls": class_code,
            "k1_b": b("k1").astype(float), "k1_a": a("k1").astype(float),
            "y_b": b("effective_years").astype(float), "y_a": a("effective_years").astype(float),
            "gold_rank_a": a("gold_rank", 0).astype(np.int64), "branch_rank_a": a("branch_rank", 0).astype(np.int64),
            "gold_cut_a": gold_cut_a, "silver_cut_a": silver_cut_a,
        }
        for f in ("long_term_std_premium", "health_premium", "health_loss_ratio", "non_health_premium",
                  "non_health_loss_ratio"):
            fields[f] = a(f).astype(float)
        sub = {k: np.asarray(v)[detail] for k, v in fields.items()}
        sub["branch"] = np.asarray(branches, dtype=object)[sub["branch"]]
        sub["cls"] = np.asarray(classes, dtype=object)[sub["cls"]]
        for j, i in enumerate(detail):
            reasons[i] = ctx.reason({k: v[j] for k, v in sub.items()})
    reasons[plain & (change == 3)] = note("compare.joined_regular")
    reasons[plain & (change == 4)] = note("compare.left_regular")
    out["reason"] = reasons
    return out


# ----------------------------------------------------------------------------- reasons as notes
class Amount(float):
    """An amount [CNY] in a note: ``{x:wan}`` writes it in 万元 with one decimal, ``{x:m}`` in
    millions with two (``{x:+wan}`` with its sign), any other format spec as a float."""

    def __format__(self, spec: str) -> str:
        for unit, divisor, decimals in (("wan", 1e4, 1), ("m", 1e6, 2)):
            if spec.endswith(unit) and spec[:-len(unit)] in ("", "+"):
                return format(float(self) / divisor, f"{spec[:-len(unit)]},.{decimals}f")
        return float.__format__(float(self), spec)

    def __reduce__(self):
        return (Amount, (float(self),))


def joined(parts) -> Note | None:
    """Clauses one after another (``；`` in Chinese, ``; `` in English): a chain of
    ``compare.and`` notes; None for no clause."""
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    out = parts[-1]
    for p in reversed(parts[:-1]):
        out = note("compare.and", first=p, rest=out)
    return out


_STATE_NOTES = {GOLD: "compare.state.gold", SILVER: "compare.state.silver", REGULAR: "compare.state.regular",
                ABSENT: "compare.state.none"}
_FIGURES = ((LONG_TERM, "long_term_std_premium", "long_term_std_premium_min", None, None),
            (HEALTH, "health_premium", "health_premium_min", "health_loss_ratio", "health_loss_ratio_max"),
            (NON_HEALTH, "non_health_premium", "non_health_premium_min", "non_health_loss_ratio",
             "non_health_loss_ratio_max"))


class _Context:
    """The reason of one customer's move as a note, from its row of figures."""

    def __init__(self, policy: Policy, places: Places):
        self.policy, self.places = policy, places

    def _criteria(self, tier: int, cls: str):
        return self.policy.eligibility.gold if tier == GOLD else self.policy.silver_criteria(cls or "D")

    def _figures(self, row, tier: int, bits: int, passing: bool) -> Note | None:
        """The 第11条 figures of ``bits`` against the thresholds: why each fails or passes."""
        c = self._criteria(tier, row["cls"])
        out = []
        for bit, prem, minimum, lr, cap in _FIGURES:
            value = row[prem]
            if not bits & bit or np.isnan(value):
                continue
            f = {"criterion": bit, "value": Amount(value), "minimum": Amount(getattr(c, minimum))}
            if lr:
                f.update(ratio=float(row[lr]), cap=float(getattr(c, cap)))
            if passing:
                out.append(note("compare.figure.meets_ratio" if lr else "compare.figure.meets", **f))
            elif value < f["minimum"]:
                out.append(note("compare.figure.below", criterion=bit, value=f["value"], minimum=f["minimum"]))
            elif lr and f["ratio"] > f["cap"]:
                out.append(note("compare.figure.ratio_above", criterion=bit, ratio=f["ratio"], cap=f["cap"]))
        return joined(out)

    @staticmethod
    def _value(row) -> Note | None:
        if np.isnan(row["vi_b"]) or np.isnan(row["vi_a"]):
            return None
        f = {"before": float(row["vi_b"]), "after": float(row["vi_a"]), "change": float(row["dvi"])}
        if np.isnan(row["dp"]):
            return note("compare.value_total", **f)
        return note("compare.value", **f, premium=float(row["dp"]), loyalty=float(row["dl"]),
                    profit=float(row["dpr"]))

    def _gold_place(self, row) -> Note:
        new = bool(row["new_a"])
        cut = row["gold_cut_a"]
        cut_note = note("compare.cut_line", cut=float(cut)) if np.isfinite(cut) else note("compare.places_open")
        return note("compare.gold_place.new" if new else "compare.gold_place.existing",
                    places=int(self.places.gold_places[1 if new else 0]), rank=int(row["gold_rank_a"]), cut=cut_note)

    def _silver_place(self, row) -> Note:
        cut = row["silver_cut_a"]
        last = note("compare.last_place", cut=float(cut)) if np.isfinite(cut) else note("compare.nothing")
        return note("compare.silver_place", branch=str(row["branch"]),
                    places=int(self.places.capacity.get(row["branch"], 0)), rank=int(row["branch_rank_a"]), last=last)

    def _place(self, row, silver: bool) -> Note:
        return self._silver_place(row) if silver else self._gold_place(row)

    # one method per reason code: the clauses of its sentence, in order
    def _left_book(self, row, lost, gained):
        return [note("compare.left_book")]

    def _new_to_book(self, row, lost, gained):
        t_a = int(row["t_a"])
        return [note("compare.new_to_book"), self._place(row, t_a == SILVER) if t_a in (GOLD, SILVER) else None]

    def _override(self, row, lost, gained):
        return [note("compare.override")]

    def _lost_criterion(self, row, lost, gained):
        known = int(row["gbits_b" if lost == GOLD else "sbits_b"])
        figures = self._figures(row, lost, known if known > 0 else 7, passing=False)
        return [note("compare.lost_criterion", tier=TIERS[lost], figures=figures), self._value(row)]

    def _gained_criterion(self, row, lost, gained):
        key, before_key = ("gbits_a", "gbits_b") if gained == GOLD else ("sbits_a", "sbits_b")
        bits = int(row[key]) & ~max(int(row[before_key]), 0)
        figures = self._figures(row, gained, bits, passing=True)
        return [note("compare.gained_criterion", tier=TIERS[gained], figures=figures),
                self._place(row, gained == SILVER)]

    def _k1_ageing(self, row, lost, gained):
        return [note("compare.k1_ageing", k1_before=float(row["k1_b"]), k1_after=float(row["k1_a"]),
                     years_before=float(row["y_b"]), years_after=float(row["y_a"])),
                self._value(row), self._gold_place(row)]

    def _ranked(self, row, lost, gained, first=None):
        return [first, self._value(row), self._place(row, gained == SILVER)]

    def _overtaken(self, row, lost, gained):
        return self._ranked(row, lost, gained, note("compare.overtaken"))

    def _place_freed(self, row, lost, gained):
        return self._ranked(row, lost, gained, note("compare.place_freed"))

    def _pool_change(self, row, lost, gained):
        existing, new = self.places.gold_places
        return [note("compare.pool_change", new_places=int(new), existing_places=int(existing)),
                self._value(row), self._gold_place(row)]

    def _branch_full(self, row, lost, gained):
        return [note("compare.branch_full"), self._value(row), self._silver_place(row)]

    def _branch_room(self, row, lost, gained):
        return [note("compare.branch_room"), self._value(row), self._silver_place(row)]

    def _why_not_silver(self, row) -> Note | None:
        """A Gold lost that ends Regular: why not Silver."""
        if row["sbits_a"] > 0:
            return note("compare.not_silver_place", place=self._silver_place(row))
        if row["sbits_a"] == 0:
            return note("compare.nor_silver", figures=self._figures(row, SILVER, 7, passing=False))
        return None

    def reason(self, row) -> Note:
        """The reason of one move: ``compare.move`` with the states before and after and the
        clauses of its reason code."""
        t_b, t_a, code = int(row["t_b"]), int(row["t_a"]), REASON_CODES[int(row["code"])]
        lost = t_b if t_a > t_b or t_a == ABSENT else None
        gained = t_a if t_a < t_b else None
        clauses = getattr(self, f"_{code}", self._ranked)(row, lost, gained)
        if lost == GOLD and t_a == REGULAR and code not in ("left_book", "override"):
            clauses.append(self._why_not_silver(row))
        return note("compare.move", before=note(_STATE_NOTES[t_b]), after=note(_STATE_NOTES[t_a]),
                    reason=joined(clauses) or note("compare.nothing"))


def _ranks(rank) -> pd.arrays.IntegerArray:
    """Ranks as a nullable integer column: blank (<NA>) for a customer without one (0 here)."""
    rank = np.asarray(rank).astype(np.int64)
    return pd.arrays.IntegerArray(rank, rank == 0)
