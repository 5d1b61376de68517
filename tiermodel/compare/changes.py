"""Who moved between two tier lists, and why — in words a committee reads (Chinese and English).

One engine serves both comparisons: last year's list against this year's (the annual
cycle, 第8条) and the base policy's list against a scenario's on the same book. For every
customer in either list it gives the state before and after (金牌 / 银牌 / 普通 / 未在册) and,
for each customer whose state changed, one reason code and a sentence stating the figure
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
30 % × K1 and profit × 40 % × K2. Amounts are shown in 万元 (Chinese) and million CNY (English).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..policy import Policy
from ..vocabulary import CRITERION_TERMS, HEALTH, LONG_TERM, NON_HEALTH, TIER_TERMS
from .standings import ABSENT, GOLD, REGULAR, SILVER, STATES, Places

REASON_CODES = ["unchanged", "left_book", "new_to_book", "lost_criterion", "gained_criterion",
                "k1_ageing", "value_fell", "value_rose", "pool_change", "overtaken", "place_freed",
                "branch_full", "branch_room", "override"]
CHANGE_KINDS = ["same", "up", "down", "joined", "left"]
STATE_ZH = {0: "金牌", 1: "银牌", 2: "普通", 3: "未在册"}
STATE_EN = {0: "Gold", 1: "Silver", 2: "Regular", 3: "not in book"}
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
        ``delta_premium``, ``delta_loyalty_k1``, ``delta_profit_k2`` [-], ``reason_code``,
        ``reason_zh``, ``reason_en`` (blank where nothing changed).
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
    # detailed sentences where a VIP tier is involved; constant ones for Regular ↔ not in book
    plain = (change >= 3) & (np.minimum(t_b, t_a) == REGULAR)
    detail = np.flatnonzero((change != 0) & ~plain)
    zh, en = [""] * len(detail), [""] * len(detail)
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
        for j in range(len(detail)):
            zh[j], en[j] = ctx.sentence({k: v[j] for k, v in sub.items()})
    joined, left = np.flatnonzero(plain & (change == 3)), np.flatnonzero(plain & (change == 4))
    out["reason_zh"] = _texts(n, [(detail, zh), (joined, "新进入客户名单（普通客户）"),
                                  (left, "离开客户名单（上年普通客户）")])
    out["reason_en"] = _texts(n, [(detail, en), (joined, "new to the book (Regular)"),
                                  (left, "left the book (was Regular)")])
    return out


def _texts(n: int, assignments) -> pd.Categorical:
    """A text column as a categorical ("" elsewhere): a million texts, few of them written."""
    codes = np.zeros(n, dtype=np.int32)
    categories = [""]
    seen = {"": 0}
    for idx, texts in assignments:
        if isinstance(texts, str):
            if len(idx):
                codes[idx] = len(categories)
                seen[texts] = len(categories)
                categories.append(texts)
            continue
        for i, text in zip(idx, texts):
            k = seen.get(text)
            if k is None:
                k = seen[text] = len(categories)
                categories.append(text)
            codes[i] = k
    return pd.Categorical.from_codes(codes, categories)


# ----------------------------------------------------------------------------- sentences
def _wan(v: float) -> str:
    return f"{v / 1e4:,.1f} 万元"


def _mcny(v: float) -> str:
    return f"CNY {v / 1e6:,.2f} m"


def _pct(v: float) -> str:
    return f"{v * 100:.1f}%"


class _Context:
    def __init__(self, policy: Policy, places: Places):
        self.policy, self.places = policy, places

    def _criteria(self, tier: int, cls: str):
        return self.policy.eligibility.gold if tier == GOLD else self.policy.silver_criteria(cls or "D")

    def _figures(self, row, tier: int, bits: int, passing: bool) -> tuple[str, str]:
        """The 第11条 figures of ``bits`` against the thresholds: why each fails or passes."""
        c = self._criteria(tier, row["cls"])
        zh, en = [], []
        checks = [(LONG_TERM, "long_term_std_premium", c.long_term_std_premium_min, None, None),
                  (HEALTH, "health_premium", c.health_premium_min, "health_loss_ratio", c.health_loss_ratio_max),
                  (NON_HEALTH, "non_health_premium", c.non_health_premium_min, "non_health_loss_ratio",
                   c.non_health_loss_ratio_max)]
        for bit, prem, minimum, lr, cap in checks:
            if not bits & bit:
                continue
            term = CRITERION_TERMS[bit]
            value = row[prem]
            if np.isnan(value):
                continue
            ratio = row[lr] if lr else np.nan
            if passing:
                zh.append(f"{term.zh} {_wan(value)} ≥ {_wan(minimum)}" + (f"，赔付率 {_pct(ratio)} ≤ {_pct(cap)}" if lr else ""))
                en.append(f"{term.en} {_mcny(value)} ≥ {_mcny(minimum)}" + (f", loss ratio {_pct(ratio)} ≤ {_pct(cap)}" if lr else ""))
            elif value < minimum:
                zh.append(f"{term.zh} {_wan(value)} < {_wan(minimum)}")
                en.append(f"{term.en} {_mcny(value)} < {_mcny(minimum)}")
            elif lr and ratio > cap:
                zh.append(f"{term.zh}赔付率 {_pct(ratio)} > {_pct(cap)}")
                en.append(f"{term.en} loss ratio {_pct(ratio)} > {_pct(cap)}")
        return "；".join(zh), "; ".join(en)

    @staticmethod
    def _value(row) -> tuple[str, str]:
        if np.isnan(row["vi_b"]) or np.isnan(row["vi_a"]):
            return "", ""
        head_zh = f"价值指标 {row['vi_b']:.4f}→{row['vi_a']:.4f}（{row['dvi']:+.4f}"
        head_en = f"value index {row['vi_b']:.4f}→{row['vi_a']:.4f} ({row['dvi']:+.4f}"
        if np.isnan(row["dp"]):
            return head_zh + "；上年无分项）", head_en + "; no components last time)"
        return (head_zh + f"：保费 {row['dp']:+.4f}，忠诚度×K1 {row['dl']:+.4f}，利润×K2 {row['dpr']:+.4f}）",
                head_en + f": premium {row['dp']:+.4f}, loyalty×K1 {row['dl']:+.4f}, profit×K2 {row['dpr']:+.4f})")

    def _gold_place(self, row) -> tuple[str, str]:
        new = bool(row["new_a"])
        k = self.places.gold_places[1 if new else 0]
        pool_zh, pool_en = ("本年新客户", "new-customer") if new else ("上年及以前已承保客户", "existing-customer")
        cut = row["gold_cut_a"]
        cut_zh = f"（入选线 {cut:.4f}）" if np.isfinite(cut) else "（名额未满）"
        cut_en = f" (cut line {cut:.4f})" if np.isfinite(cut) else " (places not all filled)"
        r = row["gold_rank_a"]
        return (f"{pool_zh}金牌名额 {k} 个，排名第 {r}{cut_zh}",
                f"rank {r} for the {k} {pool_en} Gold places{cut_en}")

    def _silver_place(self, row) -> tuple[str, str]:
        cap = int(self.places.capacity.get(row["branch"], 0))
        r = row["branch_rank_a"]
        cut = row["silver_cut_a"]
        cut_zh = f"，末位价值指标 {cut:.4f}" if np.isfinite(cut) else ""
        cut_en = f", last place at {cut:.4f}" if np.isfinite(cut) else ""
        return (f"{row['branch']} 银牌名额 {cap} 个，机构内排名第 {r}{cut_zh}",
                f"rank {r} in branch {row['branch']} for its {cap} Silver places{cut_en}")

    def sentence(self, row) -> tuple[str, str]:
        t_b, t_a, code = int(row["t_b"]), int(row["t_a"]), REASON_CODES[int(row["code"])]
        head_zh = f"{STATE_ZH[t_b]}→{STATE_ZH[t_a]}："
        head_en = f"{STATE_EN[t_b]} → {STATE_EN[t_a]}: "
        v_zh, v_en = self._value(row)
        parts_zh, parts_en = [], []

        def add(zh, en):
            if zh:
                parts_zh.append(zh)
                parts_en.append(en)

        lost = t_b if t_a > t_b or t_a == ABSENT else None
        gained = t_a if t_a < t_b else None
        if code == "left_book":
            add("本年度不在客户名单中（离册）", "no longer in the book")
        elif code == "new_to_book":
            add("本年新进入客户名单", "new to the book")
            if t_a == GOLD:
                add(*self._gold_place(row))
            elif t_a == SILVER:
                add(*self._silver_place(row))
        elif code == "override":
            add("总公司审批调整（见调整清单）", "head-office override (see the overrides list)")
        elif code == "lost_criterion":
            bits_key = "gbits_b" if lost == GOLD else "sbits_b"
            known = int(row[bits_key])
            bits = known if known > 0 else 7
            fz, fe = self._figures(row, lost, bits, passing=False)
            name = TIER_TERMS["gold" if lost == GOLD else "silver"]
            add(f"不再满足第11条{name.zh}入围标准：{fz}", f"no longer meets a 第11条 {name.en} criterion: {fe}")
            add(v_zh, v_en)
        elif code == "gained_criterion":
            bits_key = "gbits_a" if gained == GOLD else "sbits_a"
            before_key = "gbits_b" if gained == GOLD else "sbits_b"
            bits = int(row[bits_key]) & ~max(int(row[before_key]), 0)
            fz, fe = self._figures(row, gained, bits, passing=True)
            name = TIER_TERMS["gold" if gained == GOLD else "silver"]
            add(f"新满足第11条{name.zh}入围标准：{fz}", f"now meets a 第11条 {name.en} criterion: {fe}")
            add(*(self._gold_place(row) if gained == GOLD else self._silver_place(row)))
        elif code == "k1_ageing":
            add(f"K1 由 {row['k1_b']:g} 降至 {row['k1_a']:g}（有效投保年度 {row['y_b']:.0f}→{row['y_a']:.0f}），"
                f"保费与利润部分不变",
                f"K1 fell from {row['k1_b']:g} to {row['k1_a']:g} (effective year {row['y_b']:.0f}→{row['y_a']:.0f}); "
                f"premium and profit parts unchanged")
            add(v_zh, v_en)
            add(*self._gold_place(row))
        elif code in ("value_fell", "value_rose", "overtaken", "place_freed"):
            if code == "overtaken":
                add("仍符合金牌入围标准，但被其他客户超越", "still Gold-eligible but ranked below others")
            elif code == "place_freed":
                add("名额空出或入选线下降", "a place came free or the cut line fell")
            add(v_zh, v_en)
            add(*(self._silver_place(row) if gained == SILVER else self._gold_place(row)))
        elif code == "pool_change":
            add(f"上年占本年新客户名额（{self.places.gold_places[1]} 个），本年转入"
                f"{self.places.gold_places[0]} 个已承保客户名额竞争（第13条）",
                f"held one of the {self.places.gold_places[1]} new-customer places last time; now competes for "
                f"the {self.places.gold_places[0]} places of customers insured earlier (第13条)")
            add(v_zh, v_en)
            add(*self._gold_place(row))
        elif code in ("branch_full", "branch_room"):
            if code == "branch_full":
                add("仍符合银牌入围标准，但机构银牌名额已满", "still Silver-eligible but the branch's Silver places are full")
            else:
                add("机构银牌名额空出或增加", "a Silver place of the branch came free or was added")
            add(v_zh, v_en)
            add(*self._silver_place(row))
        # a Gold lost ends Silver or Regular: where Regular, say why not Silver
        if lost == GOLD and t_a == REGULAR and code not in ("left_book", "override"):
            if row["sbits_a"] > 0:
                add("且" + self._silver_place(row)[0] + "，未入银牌",
                    "and not within the Silver places: " + self._silver_place(row)[1])
            elif row["sbits_a"] == 0:
                fz, fe = self._figures(row, SILVER, 7, passing=False)
                add(f"亦不满足银牌入围标准：{fz}", f"nor a Silver criterion: {fe}")
        return head_zh + "；".join(parts_zh), head_en + "; ".join(parts_en)


def _ranks(rank) -> pd.arrays.IntegerArray:
    """Ranks as a nullable integer column: blank (<NA>) for a customer without one (0 here)."""
    rank = np.asarray(rank).astype(np.int64)
    return pd.arrays.IntegerArray(rank, rank == 0)
