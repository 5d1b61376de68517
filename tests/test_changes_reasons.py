"""Year over year, every reason code of compare/changes.py at least once, with its sentence in
both languages; unchanged customers stay unchanged; last year's figures read from the right row.

Reason codes are the primary check; every code's reason (a note: code and fields) is rendered
from present/messages/compare.toml and checked in both languages against sentences written here
by hand.

Tables of RULES.md §2 (assumed defaults) used below:
  附表1 standard premium: < 1M → 0.10, 1–5M → 0.20, 5–10M → 0.30
  附表2 loyalty: year 1 → 0.20, 2 → 0.35, 3 → 0.50, 4 → 0.60, ≥ 10 → 1.00
  附表3 profit margin: 0–5 % → 0.30, 5–10 % → 0.50, 10–20 % → 0.70, 20–30 % → 0.85
  K1: year 1 → 3.5, 2 → 2.0, 3 → 1.5, ≥ 4 → 1.0; K2 = 1
  value = premium × 0.30 + loyalty × 0.30 × K1 + profit × 0.40 × K2
Gold (第11条): health ≥ 5,000,000 at loss ratio ≤ 60 %; Silver class C: health ≥ 1,000,000 at
≤ 60 %, non-health ≥ 100,000 at ≤ 40 %, long-term ≥ 5,000,000.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import customers
from tiermodel.compare import year_over_year
from tiermodel.compare.changes import REASON_CODES
from tiermodel.history import validate_history
from tiermodel.present.messages import render
from tiermodel.scoring import score
from tiermodel.tiers import assign_tiers

def said(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with each reason note rendered in both languages (``reason_zh``, ``reason_en``;
    blank where nothing changed), as a reader sees it on a zh or an en page."""
    from tiermodel.present.messages import render

    return table.assign(**{f"reason_{lang}": [render(r, lang) if r is not None else "" for r in table["reason"]]
                           for lang in ("zh", "en")})


# year 10 (loyalty 1.00 × 0.30 × 1.0 = 0.30), health 6,000,000 at 50 % (Gold and Silver), margin 7 %:
#   0.30 × 0.30 + 0.30 + 0.50 × 0.40 = 0.09 + 0.30 + 0.20 = 0.59
EST = {"effective_years": 10, "health_premium": 6_000_000, "health_loss_ratio": 0.50, "profit_margin": 0.07}


def _tier(rows, policy, capacity=None):
    return assign_tiers(score(customers(*rows), policy), policy, capacity)


@pytest.fixture(scope="module")
def small(policy):
    # 3 existing + 2 new Gold places (第13条 scaled down so every rank is worked by hand)
    return policy.with_values({"gold_selection.existing_places": 3, "gold_selection.new_places": 2},
                              note="test")


@pytest.fixture(scope="module")
def gold_yoy(small):
    """Every Gold reason in one year over year (3 existing + 2 new places).

    Last year (2025), all in Hefei (class C, 10 Silver places) unless said:
      A  margin 15 %: 0.09 + 0.30 + 0.70 × 0.40 = 0.67                     existing Gold, rank 1
      B  year 3, margin 15 %: 0.09 + 0.50 × 0.30 × 1.5 + 0.28 = 0.595     existing Gold, rank 2
      C  health 8,000,000 (branch Wuhu): 0.59                              existing Gold, rank 3
      D  margin 2 %: 0.09 + 0.30 + 0.30 × 0.40 = 0.51                      rank 4 → Silver
      G  health 4,000,000 (below Gold's 5M; Silver): 0.20 × 0.30 + 0.30 + 0.20 = 0.56 → Silver
      P  new, year 1: 0.09 + 0.20 × 0.30 × 3.5 + 0.20 = 0.50                new-pool Gold
      F  new, year 1, health 6,000,000: 0.50                                new-pool Gold
    This year (2026); Wuhu has no Silver place:
      A  margin 7 %: 0.59 (6M)     B  year 4: 0.09 + 0.60 × 0.30 + 0.28 = 0.55
      C  0.59 (8M)                 D  margin 25 %: 0.09 + 0.30 + 0.85 × 0.40 = 0.73
      G  health 9,000,000: 0.59 (9M; now Gold-eligible)
      P  year 2, no longer new: 0.09 + 0.35 × 0.30 × 2.0 + 0.20 = 0.50
      F  year 2, health 500,000 (below Gold's 5M and Silver's 1M), non-health 100,000 at 50 % (over
         Silver's 40 % cap): standard premium 600,000 → 0.10 × 0.30 + 0.21 + 0.20 = 0.44
      M  new to the book, existing pool, margin 15 %: 0.67
      N  new customer, year 1: 0.50 (new pool)
    Existing pool this year: D 0.73, M 0.67, then the 0.59s by standard premium G (9M), C (8M),
    A (6M), then B 0.55, P 0.50: D, M, G take the 3 places; the cut line is G's 0.59.
    """
    last_rows = [
        {**EST, "customer_id": "A", "profit_margin": 0.15},
        {**EST, "customer_id": "B", "effective_years": 3, "profit_margin": 0.15},
        {**EST, "customer_id": "C", "health_premium": 8_000_000, "branch": "Wuhu"},
        {**EST, "customer_id": "D", "profit_margin": 0.02},
        {**EST, "customer_id": "G", "health_premium": 4_000_000},
        {**EST, "customer_id": "P", "effective_years": 1, "is_new": True},
        {**EST, "customer_id": "F", "effective_years": 1, "is_new": True},
    ]
    this_rows = [
        {**EST, "customer_id": "A"},
        {**EST, "customer_id": "B", "effective_years": 4, "profit_margin": 0.15},
        {**EST, "customer_id": "C", "health_premium": 8_000_000, "branch": "Wuhu"},
        {**EST, "customer_id": "D", "profit_margin": 0.25},
        {**EST, "customer_id": "G", "health_premium": 9_000_000},
        {**EST, "customer_id": "P", "effective_years": 2},
        {**EST, "customer_id": "F", "effective_years": 2, "health_premium": 500_000,
         "non_health_premium": 100_000, "non_health_loss_ratio": 0.50},
        {**EST, "customer_id": "M", "profit_margin": 0.15},
        {**EST, "customer_id": "N", "effective_years": 1, "is_new": True},
    ]
    last = _tier(last_rows, small, pd.Series({"Hefei": 10, "Wuhu": 10}))
    this = _tier(this_rows, small, pd.Series({"Hefei": 10, "Wuhu": 0}))
    return year_over_year(last, this, small, last_year=2025, this_year=2026)


@pytest.fixture(scope="module")
def gold_moves(gold_yoy):
    return said(gold_yoy.table).set_index("customer_id")


def test_gold_tiers_before_and_after(gold_moves):
    t = gold_moves
    # last year: A, B, C existing Gold (ranks 1–3), P, F new-pool Gold, D and G Silver
    # this year: D, M, G existing Gold, N new-pool Gold; A, B, P Silver; C Regular (Wuhu has
    # no Silver place); F Regular (no criterion)
    expected = {"A": ("gold", "silver"), "B": ("gold", "silver"), "C": ("gold", "regular"),
                "D": ("silver", "gold"), "G": ("silver", "gold"), "P": ("gold", "silver"),
                "F": ("gold", "regular"), "M": ("none", "gold"), "N": ("none", "gold")}
    assert {c: (t.loc[c, "before"], t.loc[c, "after"]) for c in expected} == expected
    assert t["change"].astype(str).to_dict() == {"A": "down", "B": "down", "C": "down", "D": "up", "G": "up",
                                                 "P": "down", "F": "down", "M": "joined", "N": "joined"}
    # ranks: last year A, B, C existing Gold 1–3, F and P new-pool 1–2 (both 0.50 on 6M: by id),
    # G and D Hefei's Silver 1–2
    # (0.56, 0.51); this year D, M, G Gold 1–3, N new-pool 1, A, B, P Hefei's Silver 1–3 (0.59,
    # 0.55, 0.50), C and F Regular (no rank: blank); M and N not in the book last year (blank)
    ranks = lambda col: {k: (None if pd.isna(v) else int(v)) for k, v in t[col].items()}  # noqa: E731
    assert ranks("rank_before") == {"A": 1, "B": 2, "C": 3, "D": 2, "G": 1, "P": 2, "F": 1, "M": None, "N": None}
    assert ranks("rank_after") == {"A": 1, "B": 2, "C": None, "D": 1, "G": 3, "P": 3, "F": None, "M": 2, "N": 1}


def test_value_fell_against_overtaken(gold_moves):
    t = gold_moves
    # A: 0.67 → 0.59 (profit part 0.28 → 0.20), and 0.67 ≥ the cut line 0.59: had it kept its
    # value it would be in — value_fell. Rank 5 of the existing pool (D, M, G, C, A).
    a = t.loc["A"]
    assert a["reason_code"] == "value_fell"
    assert a["delta_value_index"] == pytest.approx(-0.08)
    assert a["delta_profit_k2"] == pytest.approx(-0.08)
    assert a["reason_zh"] == ("金牌→银牌：价值指标 0.6700→0.5900（-0.0800：保费 +0.0000，忠诚度×K1 +0.0000，"
                              "利润×K2 -0.0800）；上年及以前已承保客户金牌名额 3 个，排名第 5（入选线 0.5900）")
    assert a["reason_en"] == ("Gold → Silver: value index 0.6700→0.5900 (-0.0800: premium +0.0000, "
                              "loyalty×K1 +0.0000, profit×K2 -0.0800); rank 5 for the 3 existing-customer "
                              "Gold places (cut line 0.5900)")
    # C: 0.59 → 0.59, still Gold-eligible: ranked below others (rank 4) — overtaken. Wuhu has
    # no Silver place, so C ends Regular though Silver-eligible: rank 1 of Wuhu's 0 places
    c = t.loc["C"]
    assert c["reason_code"] == "overtaken"
    assert c["delta_value_index"] == pytest.approx(0.0)
    assert c["reason_zh"] == ("金牌→普通：仍符合金牌入围标准，但被其他客户超越；价值指标 0.5900→0.5900（+0.0000：保费 "
                              "+0.0000，忠诚度×K1 +0.0000，利润×K2 +0.0000）；上年及以前已承保客户金牌名额 3 个，"
                              "排名第 4（入选线 0.5900）；且Wuhu 银牌名额 0 个，机构内排名第 1，未入银牌")
    assert c["reason_en"] == ("Gold → Regular: still Gold-eligible but ranked below others; value index "
                              "0.5900→0.5900 (+0.0000: premium +0.0000, loyalty×K1 +0.0000, profit×K2 +0.0000); "
                              "rank 4 for the 3 existing-customer Gold places (cut line 0.5900); and not within "
                              "the Silver places: rank 1 in branch Wuhu for its 0 Silver places")


def test_k1_ageing_with_premium_and_profit_parts_unchanged(gold_moves):
    # B: year 3 → 4, the same 6M premium (0.09) and 15 % margin (0.28); loyalty × K1
    # 0.50 × 0.30 × 1.5 = 0.225 → 0.60 × 0.30 × 1.0 = 0.180: -0.045; 0.595 ≥ cut 0.59. Rank 6.
    b = gold_moves.loc["B"]
    assert b["reason_code"] == "k1_ageing"
    assert (b["delta_premium"], b["delta_profit_k2"]) == (pytest.approx(0.0), pytest.approx(0.0))
    assert b["delta_loyalty_k1"] == pytest.approx(-0.045)
    assert b["reason_zh"] == ("金牌→银牌：K1 由 1.5 降至 1（有效投保年度 3→4），保费与利润部分不变；价值指标 "
                              "0.5950→0.5500（-0.0450：保费 +0.0000，忠诚度×K1 -0.0450，利润×K2 +0.0000）；"
                              "上年及以前已承保客户金牌名额 3 个，排名第 6（入选线 0.5900）")
    assert b["reason_en"] == ("Gold → Silver: K1 fell from 1.5 to 1 (effective year 3→4); premium and profit "
                              "parts unchanged; value index 0.5950→0.5500 (-0.0450: premium +0.0000, "
                              "loyalty×K1 -0.0450, profit×K2 +0.0000); rank 6 for the 3 existing-customer Gold "
                              "places (cut line 0.5900)")


def test_pool_change(gold_moves):
    # P: one of the 2 new-customer places last year; this year (year 2, not new) it competes
    # for the 3 existing places at 0.50: rank 7 (after B's 0.55). Value 0.21 loyalty both years.
    p = gold_moves.loc["P"]
    assert p["reason_code"] == "pool_change"
    assert p["delta_value_index"] == pytest.approx(0.0, abs=1e-12)
    assert p["reason_zh"].startswith("金牌→银牌：上年占本年度新客户名额（2 个），本年转入3 个上年及以前已承保客户名额竞争（第13条）；"
                                     "价值指标 0.5000→0.5000")
    assert p["reason_zh"].endswith("上年及以前已承保客户金牌名额 3 个，排名第 7（入选线 0.5900）")
    assert p["reason_en"].startswith("Gold → Silver: held one of the 2 new-customer places last time; now "
                                     "competes for the 3 places of customers insured earlier (第13条); "
                                     "value index 0.5000→0.5000")


def test_gold_lost_nor_a_silver_criterion(gold_moves):
    # F: health 6,000,000 → 500,000, below Gold's 5,000,000 and Silver's 1,000,000; no long-term
    # (0 < 5,000,000) nor non-health (0 < 100,000) premium: Gold → Regular. Value
    # 0.09 + 0.21 + 0.20 = 0.50 → 0.03 + 0.21 + 0.20 = 0.44 (premium part -0.06).
    f = gold_moves.loc["F"]
    assert f["reason_code"] == "lost_criterion"
    assert f["delta_premium"] == pytest.approx(-0.06)
    assert f["reason_zh"].startswith("金牌→普通：不再满足第11条金牌入围标准：健康险保费 50.0 万元 < 500.0 万元；")
    # non-health 100,000 meets Silver's minimum (≥ 100,000) but its loss ratio 50 % > 40 %
    assert f["reason_zh"].endswith("；亦不满足银牌入围标准：长险标准保费 0.0 万元 < 500.0 万元；健康险保费 50.0 万元 "
                                   "< 100.0 万元；非健康险保费赔付率 50.0% > 40.0%")
    assert f["reason_en"].startswith("Gold → Regular: no longer meets a 第11条 Gold criterion: health premium "
                                     "CNY 0.50 m < CNY 5.00 m; value index 0.5000→0.4400 (-0.0600")
    assert f["reason_en"].endswith("; nor a Silver criterion: long-term premium CNY 0.00 m < CNY 5.00 m; "
                                   "health premium CNY 0.50 m < CNY 1.00 m; non-health premium loss ratio 50.0% "
                                   "> 40.0%")


def test_gold_gained_by_value_and_by_criterion(gold_moves):
    t = gold_moves
    # D: Silver → Gold, 0.51 → 0.73 (+0.22, margin 2 % → 25 %: profit 0.12 → 0.34); 0.51 was
    # below the cut line 0.59: value_rose. Rank 1.
    d = t.loc["D"]
    assert d["reason_code"] == "value_rose"
    assert d["reason_zh"] == ("银牌→金牌：价值指标 0.5100→0.7300（+0.2200：保费 +0.0000，忠诚度×K1 +0.0000，"
                              "利润×K2 +0.2200）；上年及以前已承保客户金牌名额 3 个，排名第 1（入选线 0.5900）")
    assert d["reason_en"] == ("Silver → Gold: value index 0.5100→0.7300 (+0.2200: premium +0.0000, "
                              "loyalty×K1 +0.0000, profit×K2 +0.2200); rank 1 for the 3 existing-customer Gold "
                              "places (cut line 0.5900)")
    # G: health 4,000,000 (no Gold criterion) → 9,000,000 at 50 %: now meets the health
    # criterion (≥ 5,000,000, ≤ 60 %): gained_criterion, rank 3
    g = t.loc["G"]
    assert g["reason_code"] == "gained_criterion"
    assert g["reason_zh"] == ("银牌→金牌：新满足第11条金牌入围标准：健康险保费 900.0 万元 ≥ 500.0 万元，赔付率 50.0% ≤ "
                              "60.0%；上年及以前已承保客户金牌名额 3 个，排名第 3（入选线 0.5900）")
    assert g["reason_en"] == ("Silver → Gold: now meets a 第11条 Gold criterion: health premium CNY 9.00 m ≥ "
                              "CNY 5.00 m, loss ratio 50.0% ≤ 60.0%; rank 3 for the 3 existing-customer Gold "
                              "places (cut line 0.5900)")


def test_new_to_the_book_gold_in_each_pool(gold_moves):
    t = gold_moves
    # M: existing pool, rank 2; N: new pool, 1 candidate for 2 places (no cut line)
    assert t.loc["M", "reason_code"] == t.loc["N", "reason_code"] == "new_to_book"
    assert t.loc["M", "reason_zh"] == "未在册→金牌：本年新进入客户名单；上年及以前已承保客户金牌名额 3 个，排名第 2（入选线 0.5900）"
    assert t.loc["M", "reason_en"] == ("not in book → Gold: new to the book; rank 2 for the 3 existing-customer "
                                       "Gold places (cut line 0.5900)")
    assert t.loc["N", "reason_zh"] == "未在册→金牌：本年新进入客户名单；本年度新客户金牌名额 2 个，排名第 1（名额未满）"
    assert t.loc["N", "reason_en"] == ("not in book → Gold: new to the book; rank 1 for the 2 new-customer Gold "
                                       "places (places not all filled)")


@pytest.fixture(scope="module")
def silver_yoy(policy):
    """Every Silver reason (policy as written; Silver places set per branch).

    Value of a year-10 customer at 50 % health loss ratio: 0.30 × premium_coef + 0.30 + profit.
    Hefei, 2 places both years:
      S  health 1,500,000 (0.20), margin 7 % (0.20): 0.06 + 0.30 + 0.20 = 0.56; this year
         800,000 (below 1,000,000: no criterion): 0.03 + 0.30 + 0.20 = 0.53
      T  health 1,200,000, margin 7 %: 0.56 both years (smaller premium: after S)
      U  health 1,500,000, year 3 → 4: 0.06 + 0.225 + 0.20 = 0.485 → 0.06 + 0.18 + 0.20 = 0.44
         last year 3rd of 2 places; this year S is out, U 2nd
    Wuhu, 1 place both years:
      V  health 1,500,000, margin 7 %: 0.56 both years
      W  health 1,200,000, margin 2 % → 25 %: 0.06 + 0.30 + 0.12 = 0.48 → 0.06 + 0.30 + 0.34 = 0.70
    Bengbu, 2 places:
      H  health 800,000 → 1,500,000 (margin 7 %): 0.53 → 0.56
    Regular customers: R left the book, J joined it (no premium: 0.03 + 0.30 + 0.12 = 0.45
    at margin 2 %).
    """
    s = {"effective_years": 10, "health_loss_ratio": 0.50, "profit_margin": 0.07}
    last = [{**s, "customer_id": "S", "health_premium": 1_500_000},
            {**s, "customer_id": "T", "health_premium": 1_200_000},
            {**s, "customer_id": "U", "health_premium": 1_500_000, "effective_years": 3},
            {**s, "customer_id": "V", "health_premium": 1_500_000, "branch": "Wuhu"},
            {**s, "customer_id": "W", "health_premium": 1_200_000, "branch": "Wuhu", "profit_margin": 0.02},
            {**s, "customer_id": "H", "health_premium": 800_000, "branch": "Bengbu"},
            {"customer_id": "R", "profit_margin": 0.02}]
    this = [{**s, "customer_id": "S", "health_premium": 800_000},
            {**s, "customer_id": "T", "health_premium": 1_200_000},
            {**s, "customer_id": "U", "health_premium": 1_500_000, "effective_years": 4},
            {**s, "customer_id": "V", "health_premium": 1_500_000, "branch": "Wuhu"},
            {**s, "customer_id": "W", "health_premium": 1_200_000, "branch": "Wuhu", "profit_margin": 0.25},
            {**s, "customer_id": "H", "health_premium": 1_500_000, "branch": "Bengbu"},
            {"customer_id": "J", "profit_margin": 0.02}]
    cap = pd.Series({"Hefei": 2, "Wuhu": 1, "Bengbu": 2})
    return year_over_year(_tier(last, policy, cap), _tier(this, policy, cap), policy)


@pytest.fixture(scope="module")
def silver_moves(silver_yoy):
    return said(silver_yoy.table).set_index("customer_id")


def test_silver_lost_criterion_against_branch_full(silver_moves):
    t = silver_moves
    # S: health 800,000 < 1,000,000 (class C): Silver → Regular, lost_criterion
    assert (t.loc["S", "before"], t.loc["S", "after"], t.loc["S", "reason_code"]) == \
        ("silver", "regular", "lost_criterion")
    assert t.loc["S", "reason_zh"] == ("银牌→普通：不再满足第11条银牌入围标准：健康险保费 80.0 万元 < 100.0 万元；"
                                       "价值指标 0.5600→0.5300（-0.0300：保费 -0.0300，忠诚度×K1 +0.0000，利润×K2 +0.0000）")
    assert t.loc["S", "reason_en"] == ("Silver → Regular: no longer meets a 第11条 Silver criterion: health premium "
                                       "CNY 0.80 m < CNY 1.00 m; value index 0.5600→0.5300 (-0.0300: premium "
                                       "-0.0300, loyalty×K1 +0.0000, profit×K2 +0.0000)")
    # V: still Silver-eligible at 0.56, W (0.70) takes Wuhu's one place: branch_full, rank 2,
    # last place at 0.70
    assert (t.loc["V", "before"], t.loc["V", "after"], t.loc["V", "reason_code"]) == \
        ("silver", "regular", "branch_full")
    assert t.loc["V", "reason_zh"] == ("银牌→普通：仍符合银牌入围标准，但机构银牌名额已满；价值指标 0.5600→0.5600（+0.0000："
                                       "保费 +0.0000，忠诚度×K1 +0.0000，利润×K2 +0.0000）；Wuhu 银牌名额 1 个，机构内排名第 2，"
                                       "末位价值指标 0.7000")
    assert t.loc["V", "reason_en"] == ("Silver → Regular: still Silver-eligible but the branch's Silver places are "
                                       "full; value index 0.5600→0.5600 (+0.0000: premium +0.0000, loyalty×K1 "
                                       "+0.0000, profit×K2 +0.0000); rank 2 in branch Wuhu for its 1 Silver places, "
                                       "last place at 0.7000")


def test_silver_branch_room_against_value_rose(silver_moves):
    t = silver_moves
    # U: 0.485 → 0.44 (value fell, K1 1.5 → 1.0), yet in: S left a place — branch_room, rank 2
    # of Hefei's 2 (T 0.56, U 0.44), last place at 0.44
    assert (t.loc["U", "before"], t.loc["U", "after"], t.loc["U", "reason_code"]) == \
        ("regular", "silver", "branch_room")
    assert t.loc["U", "reason_zh"] == ("普通→银牌：机构银牌名额空出或增加；价值指标 0.4850→0.4400（-0.0450：保费 +0.0000，"
                                       "忠诚度×K1 -0.0450，利润×K2 +0.0000）；Hefei 银牌名额 2 个，机构内排名第 2，"
                                       "末位价值指标 0.4400")
    assert t.loc["U", "reason_en"] == ("Regular → Silver: a Silver place of the branch came free or was added; "
                                       "value index 0.4850→0.4400 (-0.0450: premium +0.0000, loyalty×K1 -0.0450, "
                                       "profit×K2 +0.0000); rank 2 in branch Hefei for its 2 Silver places, last "
                                       "place at 0.4400")
    # W: 0.48 → 0.70 (+0.22), and 0.48 was below Wuhu's last place this year (0.70): value_rose
    assert (t.loc["W", "before"], t.loc["W", "after"], t.loc["W", "reason_code"]) == \
        ("regular", "silver", "value_rose")
    assert t.loc["W", "reason_zh"] == ("普通→银牌：价值指标 0.4800→0.7000（+0.2200：保费 +0.0000，忠诚度×K1 +0.0000，"
                                       "利润×K2 +0.2200）；Wuhu 银牌名额 1 个，机构内排名第 1，末位价值指标 0.7000")
    assert t.loc["W", "reason_en"] == ("Regular → Silver: value index 0.4800→0.7000 (+0.2200: premium +0.0000, "
                                       "loyalty×K1 +0.0000, profit×K2 +0.2200); rank 1 in branch Wuhu for its 1 "
                                       "Silver places, last place at 0.7000")


def test_silver_gained_criterion(silver_moves):
    # H: health 800,000 → 1,500,000 at 50 %: now meets class C's health criterion
    # (≥ 1,000,000, ≤ 60 %); Bengbu has 2 places and 1 candidate: rank 1, no last-place figure
    h = silver_moves.loc["H"]
    assert (h["before"], h["after"], h["reason_code"]) == ("regular", "silver", "gained_criterion")
    assert h["reason_zh"] == ("普通→银牌：新满足第11条银牌入围标准：健康险保费 150.0 万元 ≥ 100.0 万元，赔付率 50.0% ≤ "
                              "60.0%；Bengbu 银牌名额 2 个，机构内排名第 1")
    assert h["reason_en"] == ("Regular → Silver: now meets a 第11条 Silver criterion: health premium CNY 1.50 m ≥ "
                              "CNY 1.00 m, loss ratio 50.0% ≤ 60.0%; rank 1 in branch Bengbu for its 2 Silver places")


def test_regular_joined_and_left_texts(silver_moves):
    t = silver_moves
    assert (t.loc["J", "change"], t.loc["J", "reason_code"]) == ("joined", "new_to_book")
    assert (t.loc["J", "reason_zh"], t.loc["J", "reason_en"]) == ("新进入客户名单（普通客户）", "new to the book (Regular)")
    assert (t.loc["R", "change"], t.loc["R", "reason_code"]) == ("left", "left_book")
    assert pd.isna(t.loc["R", "rank_after"]) and pd.isna(t.loc["J", "rank_before"])  # no rank where not in the book
    assert (t.loc["R", "reason_zh"], t.loc["R", "reason_en"]) == ("离开客户名单（上年普通客户）", "left the book (was Regular)")


def test_every_reason_code_is_reached(gold_moves, silver_moves):
    seen = set(gold_moves["reason_code"].astype(str)) | set(silver_moves["reason_code"].astype(str))
    # place_freed and override are reached in the tests below
    assert set(REASON_CODES) - seen == {"place_freed", "override", "unchanged"} - seen


def test_unchanged_tier_keeps_reason_unchanged_though_values_moved(policy):
    # Every customer keeps its tier while its figures move; each would carry a reason if the
    # masks leaked beyond the changed customers:
    #   K  Gold both years, year 3 → 4 (K1 1.5 → 1.0, pure K1 ageing): 0.595 → 0.55
    #   Q  Gold both years, margin 7 % → 15 %: 0.59 → 0.67 (value rose)
    #   Z  Silver both years (health 1,500,000), margin 15 % → 7 %: 0.06 + 0.30 + 0.28 = 0.64 → 0.56
    #   Y  Regular both years, no criterion (gold and silver bits 0), year 3 → 4: 0.03 + 0.225 +
    #      0.20 = 0.455 → 0.03 + 0.18 + 0.20 = 0.41
    #   X  Regular, gains a Silver criterion (health 0 → 1,500,000, premium part 0.03 → 0.06) but
    #      Hefei's 1 place is Z's: 0.03 + 0.30 + 0.12 = 0.45 → 0.06 + 0.30 + 0.12 = 0.48 < Z's 0.56
    #   O  Gold both years, new customer last year (new pool), existing this year: 0.50 → 0.50
    rows_last = [{**EST, "customer_id": "K", "effective_years": 3, "profit_margin": 0.15},
                 {**EST, "customer_id": "Q"},
                 {**EST, "customer_id": "Z", "health_premium": 1_500_000, "profit_margin": 0.15},
                 {"customer_id": "Y", "effective_years": 3, "profit_margin": 0.07},
                 {"customer_id": "X", "profit_margin": 0.02},
                 {**EST, "customer_id": "O", "effective_years": 1, "is_new": True}]
    rows_this = [{**EST, "customer_id": "K", "effective_years": 4, "profit_margin": 0.15},
                 {**EST, "customer_id": "Q", "profit_margin": 0.15},
                 {**EST, "customer_id": "Z", "health_premium": 1_500_000},
                 {"customer_id": "Y", "effective_years": 4, "profit_margin": 0.07},
                 {**EST, "customer_id": "X", "health_premium": 1_500_000, "profit_margin": 0.02},
                 {**EST, "customer_id": "O", "effective_years": 2}]
    cap = pd.Series({"Hefei": 1})
    t = year_over_year(_tier(rows_last, policy, cap), _tier(rows_this, policy, cap), policy).table
    t = t.set_index("customer_id")
    assert t["change"].astype(str).to_dict() == dict.fromkeys("KQZYXO", "same")
    assert t["before"].astype(str).to_dict() == {"K": "gold", "Q": "gold", "Z": "silver", "Y": "regular",
                                                 "X": "regular", "O": "gold"}
    assert t["delta_value_index"].round(4).to_dict() == {"K": -0.045, "Q": 0.08, "Z": -0.08, "Y": -0.045,
                                                         "X": 0.03, "O": 0.0}
    assert (t["reason_code"] == "unchanged").all()
    assert t["reason"].isna().all()  # no reason note where nothing changed


def test_place_freed(policy, small):
    # existing places 3: last year A 0.67, B 0.67, C 0.67 (margin 15 %) Gold; E 0.59 Silver
    # (4th). This year C leaves the book: E, unchanged at 0.59, takes the freed place (rank 3,
    # cut line 0.59) — place_freed.
    e15 = {**EST, "profit_margin": 0.15}
    last = _tier([{**e15, "customer_id": "A"}, {**e15, "customer_id": "B"}, {**e15, "customer_id": "C"},
                  {**EST, "customer_id": "E"}], small)
    this = _tier([{**e15, "customer_id": "A"}, {**e15, "customer_id": "B"}, {**EST, "customer_id": "E"}], small)
    t = said(year_over_year(last, this, small).table).set_index("customer_id")
    assert (t.loc["E", "before"], t.loc["E", "after"], t.loc["E", "reason_code"]) == ("silver", "gold", "place_freed")
    assert t.loc["E", "reason_zh"] == ("银牌→金牌：名额空出或入选线下降；价值指标 0.5900→0.5900（+0.0000：保费 +0.0000，"
                                       "忠诚度×K1 +0.0000，利润×K2 +0.0000）；上年及以前已承保客户金牌名额 3 个，排名第 3"
                                       "（入选线 0.5900）")
    assert t.loc["E", "reason_en"] == ("Silver → Gold: a place came free or the cut line fell; value index "
                                       "0.5900→0.5900 (+0.0000: premium +0.0000, loyalty×K1 +0.0000, profit×K2 "
                                       "+0.0000); rank 3 for the 3 existing-customer Gold places (cut line 0.5900)")
    assert (t.loc["C", "change"], t.loc["C", "reason_code"]) == ("left", "left_book")
    assert t.loc["C", "reason_zh"] == "金牌→未在册：本年度不在客户名单中（离册）"
    assert t.loc["C", "reason_en"] == "Gold → not in book: no longer in the book"


def test_override_reason_only_where_the_tier_changed(policy):
    # A: Regular (no premium) → Gold (health 6,000,000 at 50 %), forced by head office;
    # B: Gold both years, also on the override list: unchanged, no reason
    # O: Gold → Regular, forced out (Silver-eligible at 1,500,000, Wuhu has no Silver place):
    #    the override alone, no Silver-place clause; L: left the book (not on this year's list)
    last = _tier([{"customer_id": "A"}, {**EST, "customer_id": "B"}, {**EST, "customer_id": "O", "branch": "Wuhu"},
                  {**EST, "customer_id": "L"}], policy)
    this = _tier([{**EST, "customer_id": "A"}, {**EST, "customer_id": "B"},
                  {**EST, "customer_id": "O", "branch": "Wuhu", "health_premium": 1_500_000}], policy,
                 pd.Series({"Hefei": 20, "Wuhu": 0}))
    t = said(year_over_year(last, this, policy, overridden=np.array([True, True, True])).table).set_index("customer_id")
    assert (t.loc["O", "before"], t.loc["O", "after"], t.loc["O", "reason_code"]) == ("gold", "regular", "override")
    assert (t.loc["O", "reason_zh"], t.loc["O", "reason_en"]) == (
        "金牌→普通：总公司审批调整（见调整清单）", "Gold → Regular: head-office override (see the overrides list)")
    assert (t.loc["L", "change"], t.loc["L", "reason_code"]) == ("left", "left_book")
    assert (t.loc["A", "before"], t.loc["A", "after"], t.loc["A", "reason_code"]) == ("regular", "gold", "override")
    assert t.loc["A", "reason_zh"] == "普通→金牌：总公司审批调整（见调整清单）"
    assert t.loc["A", "reason_en"] == "Regular → Gold: head-office override (see the overrides list)"
    assert (t.loc["B", "change"], t.loc["B", "reason_code"], t.loc["B", "reason_zh"]) == ("same", "unchanged", "")


def test_a_vip_that_changed_against_a_history_without_components(policy):
    # last year's list holds customer, year, tier and value index only: K was Gold at 0.6000;
    # this year K (health 1,500,000 at 50 %, below Gold's 5M) is Silver at 0.56. The change
    # is a total, never a made-up split; the figures of this year stand against the thresholds.
    this = _tier([{**EST, "customer_id": "K", "health_premium": 1_500_000}], policy)
    hist = validate_history(pd.DataFrame({"customer_id": ["K"], "year": [2025], "tier": ["gold"],
                                          "value_index": [0.60]}), "h.csv")
    row = said(year_over_year(hist, this, policy).table).iloc[0]
    assert (row["before"], row["after"]) == ("gold", "silver")
    assert row["value_index_before"] == pytest.approx(0.60)
    assert np.isnan(row["delta_premium"])
    # no 第11条 bits last year (-1): this year's Gold bits are 0 → lost_criterion, all three
    # Gold criteria held against this year's figures
    assert row["reason_code"] == "lost_criterion"
    assert row["reason_zh"] == ("金牌→银牌：不再满足第11条金牌入围标准：长险标准保费 0.0 万元 < 5,000.0 万元；健康险保费 "
                                "150.0 万元 < 500.0 万元；非健康险保费 0.0 万元 < 100.0 万元；价值指标 0.6000→0.5600"
                                "（-0.0400；上年无分项）")
    assert row["reason_en"] == ("Gold → Silver: no longer meets a 第11条 Gold criterion: long-term premium CNY 0.00 m "
                                "< CNY 50.00 m; health premium CNY 1.50 m < CNY 5.00 m; non-health premium CNY 0.00 m "
                                "< CNY 1.00 m; value index 0.6000→0.5600 (-0.0400; no components last time)")


def test_last_years_figures_from_the_right_row(policy):
    # Last year's order P, Q, R; this year's R, S, P. The union takes this year's order, then
    # those only last year: R, S, P, Q. R (first row) and Q (last row, only last year) must
    # carry their own last-year figures and branches.
    #   P  Hefei, margin 2 %, no premium: 0.03 + 0.30 + 0.12 = 0.45
    #   Q  Wuhu (last year only), margin 15 %: 0.03 + 0.30 + 0.28 = 0.61
    #   R  Chuzhou last year, Bengbu this year (this year's branch is shown), margin 25 % last
    #      year: 0.03 + 0.30 + 0.34 = 0.67; 7 % this year: 0.53
    #   S  Anqing (this year only), margin 7 %: 0.53
    last = _tier([{"customer_id": "P", "profit_margin": 0.02},
                  {"customer_id": "Q", "profit_margin": 0.15, "branch": "Wuhu", "branch_class": "B"},
                  {"customer_id": "R", "profit_margin": 0.25, "branch": "Chuzhou"}], policy)
    this = _tier([{"customer_id": "R", "profit_margin": 0.07, "branch": "Bengbu"},
                  {"customer_id": "S", "profit_margin": 0.07, "branch": "Anqing", "branch_class": "D"},
                  {"customer_id": "P", "profit_margin": 0.02}], policy)
    t = year_over_year(last, this, policy).table
    assert t["customer_id"].tolist() == ["R", "S", "P", "Q"]
    assert t["value_index_before"].iloc[0] == pytest.approx(0.67)
    assert t["value_index_after"].iloc[0] == pytest.approx(0.53)
    assert t["value_index_before"].iloc[-1] == pytest.approx(0.61)
    assert np.isnan(t["value_index_after"].iloc[-1]) and np.isnan(t["value_index_before"].iloc[1])
    assert t["value_index_before"].iloc[2] == pytest.approx(0.45)
    assert t["value_index_after"].iloc[2] == pytest.approx(0.45)  # P: the last row of this year's list
    assert t["branch"].astype(str).tolist() == ["Bengbu", "Anqing", "Hefei", "Wuhu"]
    assert t["branch_class"].astype(str).tolist() == ["C", "D", "C", "B"]
    assert t["change"].astype(str).tolist() == ["same", "joined", "same", "left"]


# ----------------------------------------------------------------------------- the yearly tables
def test_transition_matrix_and_rates(silver_yoy):
    # last year Silver S, T (Hefei), V (Wuhu); Regular U, W, H, R. This year Silver T, U, W, H;
    # Regular S, V, J (joined); R left.
    m = silver_yoy.matrix()
    assert m.loc["silver", "silver"] == 1 and m.loc["silver", "regular"] == 2
    assert m.loc["regular", "silver"] == 3 and m.loc["regular", "none"] == 1 and m.loc["none", "regular"] == 1
    assert m.loc["total"].tolist() == [0, 4, 3, 1, 8] and m["total"].tolist() == [0, 3, 4, 1, 8]
    r = silver_yoy.rates().set_index("tier")
    # Silver: 3 before, 1 stayed (T), 3 entered (U, W, H): stay 1/3, churn 2/3, new 3/3
    assert r.loc["silver", ["count_before", "count_after", "stayed", "entered"]].tolist() == [3, 4, 1, 3]
    assert r.loc["silver", ["stay_rate", "churn_rate", "new_rate"]].tolist() == pytest.approx([1 / 3, 2 / 3, 1.0])
    assert r.loc["gold", "count_before"] == 0 and np.isnan(r.loc["gold", "stay_rate"])


def test_movers_per_branch_and_reasons(silver_yoy):
    movers = silver_yoy.tables()["movers by branch"]
    # Bengbu: H in; Hefei: U in, S out; Wuhu: W in, V out; R and J move no VIP tier
    assert movers.index.tolist() == ["Bengbu", "Hefei", "Wuhu", "total"]
    assert movers["silver_in"].tolist() == [1, 1, 1, 3] and movers["silver_out"].tolist() == [0, 1, 1, 2]
    assert movers["silver_net"].tolist() == [1, 0, 0, 1] and movers["gold_in"].tolist() == [0, 0, 0, 0]
    by_class = silver_yoy.tables()["movers by class"]
    assert by_class.loc["C", ["silver_in", "silver_out", "silver_net"]].tolist() == [3, 2, 1]
    reasons = silver_yoy.tables()["reasons"]
    assert reasons.loc["lost_criterion", "silver → regular"] == 1 and reasons.loc["branch_full", "silver → regular"] == 1
    assert reasons.loc["branch_room", "regular → silver"] == 1 and reasons.loc["value_rose", "regular → silver"] == 1
    assert reasons.loc["gained_criterion", "regular → silver"] == 1
    assert reasons.loc["left_book", "regular → none"] == 1 and reasons.loc["new_to_book", "none → regular"] == 1
    assert reasons.to_numpy().sum() == 7


def test_changes_vip_moves_first_then_by_state_and_id(silver_yoy):
    # VIP moves: Silver → Regular (S, V), Regular → Silver (H, U, W); then R (left), J (joined)
    assert silver_yoy.changes()["customer_id"].tolist() == ["S", "V", "H", "U", "W", "R", "J"]


def test_notes_without_years(silver_yoy):
    # Silver last year S, T, U, V (… 3 of them? S, T (Hefei's 2), V (Wuhu's 1)); this year T, U, W, H:
    # 1 stayed (T), 2 left (S, V), 3 entered (U, W, H); R left the book, J joined it
    assert [render(n, "zh") for n in silver_yoy.notes] == [
        "金牌：上年0户 → 本年0户；留任0户，退出0户，新进0户。",
        "银牌：上年3户 → 本年4户；留任1户，退出2户，新进3户。",
        "客户总数：离开1户，新加入1户。"]
    assert [render(n, "en") for n in silver_yoy.notes] == [
        "Gold: 0 in last year → 0 in this year; 0 stayed, 0 left the tier, 0 entered.",
        "Silver: 3 in last year → 4 in this year; 1 stayed, 2 left the tier, 3 entered.",
        "Book: 1 customer(s) left, 1 joined."]


def test_gold_list_with_last_years_rank(gold_yoy):
    # this year's Gold: existing pool D (rank 1), M (2), G (3); new pool N (1). Last year D and
    # G were Hefei's Silver: G 0.56 rank 1, D 0.51 rank 2; M and N were not in the book.
    g = gold_yoy.gold
    assert g["customer_id"].tolist() == ["D", "M", "G", "N"]
    assert g["last_tier"].tolist() == ["silver", "none", "silver", "none"]
    assert [None if pd.isna(v) else int(v) for v in g["last_rank"]] == [2, None, 1, None]  # blank: not in the book
    assert g["last_value_index"].iloc[[0, 2]].tolist() == pytest.approx([0.51, 0.56])
    assert g["last_value_index"].iloc[[1, 3]].isna().all()
    assert g["reason_code"].iloc[0] == "value_rose"
    assert render(g["reason"].iloc[0], "en").startswith("Silver → Gold: value index 0.5100→0.7300")
    assert render(g["reason"].iloc[0], "zh").startswith("银牌→金牌：价值指标 0.5100→0.7300")
    assert (gold_yoy.last_year, gold_yoy.this_year) == (2025, 2026)
    # Gold last year A, B, C, P, F (5); this year D, M, G, N (4); none stayed
    assert render(gold_yoy.notes[0], "en") == "Gold: 5 in 2025 → 4 in 2026; 0 stayed, 5 left the tier, 4 entered."
    assert render(gold_yoy.notes[0], "zh") == "金牌：2025年5户 → 2026年4户；留任0户，退出5户，新进4户。"


def test_years_from_the_history_and_notes_of_a_minimal_one(policy):
    this = _tier([{**EST, "customer_id": "K"}], policy)
    hist = validate_history(pd.DataFrame({"customer_id": ["K"], "year": [2025], "tier": ["gold"]}), "h.csv")
    yoy = year_over_year(hist, this, policy, this_year=2026)
    assert (yoy.last_year, yoy.this_year) == (2025, 2026)
    assert [render(n, "en") for n in yoy.notes[-2:]] == [
        "The 2025 list has no value-index components: changes are given as totals, not split into premium, "
        "loyalty × K1 and profit × K2.",
        "The 2025 list has no 第11条 figures: a criterion 'gained' cannot be told from one already met; this "
        "year's figures are shown."]
    assert [render(n, "zh") for n in yoy.notes[-2:]] == [
        "2025年名单没有客户价值指标分项：变动只列总值，不拆分为保费、忠诚度×K1与利润×K2。",
        "2025年名单没有第11条各项数据：无法区分新满足的入围标准与原已满足的标准；所列为本年数据。"]


# ----------------------------------------------------------------------------- standings and places
def test_standing_and_places_by_hand(small):
    from tiermodel.compare.standings import places, standing
    from tiermodel.history import history_from_tiering

    # 3 existing + 2 new Gold places: A 0.67, B 0.59, C 0.59 fill the 3 existing (cut 0.59);
    # N (new, year 1: 0.09 + 0.21 + 0.20 = 0.50) is alone in the new pool (not full: −inf);
    # D (0.51) is Hefei's one Silver
    rows = [{**EST, "customer_id": "A", "profit_margin": 0.15}, {**EST, "customer_id": "B"},
            {**EST, "customer_id": "C"}, {**EST, "customer_id": "D", "profit_margin": 0.02},
            {**EST, "customer_id": "N", "effective_years": 1, "is_new": True}]
    t = _tier(rows, small).table
    st = standing(t, small)
    assert st["tier"].tolist() == [0, 0, 0, 1, 0] and len(st) == 5
    assert st["is_new"].tolist() == [False, False, False, False, True]
    # A: premium 0.30 × 0.30 = 0.09, loyalty 1.00 × 0.30 × K1 1.0 = 0.30, profit 0.70 × 0.40 × K2 1 = 0.28
    assert [st["premium_part"][0], st["loyalty_part"][0], st["profit_part"][0]] == pytest.approx([0.09, 0.30, 0.28])
    assert st["loyalty_part"][4] == pytest.approx(0.20 * 0.30 * 3.5)
    assert st["gold_bits"].tolist() == [2, 2, 2, 2, 2] and st["silver_bits"].tolist() == [2, 2, 2, 2, 2]
    assert st["tier_rank"].tolist() == [1, 2, 3, 1, 1] and st["effective_years"].tolist() == [10, 10, 10, 10, 1]
    assert list(st["branch"]) == ["Hefei"] * 5 and st.frame().shape == (5, len(st.keys()))
    pl = places(st, small)
    assert pl.gold_places == (3, 2)
    assert pl.gold_cut[0] == pytest.approx(0.59) and pl.gold_cut[1] == -np.inf
    assert pl.silver_cut["Hefei"] == pytest.approx(0.51)  # default capacity: the Silver held (1 of 1)
    roomy = places(st, small, pd.Series({"Hefei": 2}))
    assert roomy.silver_cut["Hefei"] == -np.inf and roomy.capacity["Hefei"] == 2
    # the same list as one year of history: bits from its *_bits columns, the same figures
    hist = standing(history_from_tiering(t, 2025), small)
    for col in ("tier", "gold_bits", "silver_bits", "tier_rank", "gold_rank", "branch_rank", "is_new"):
        assert hist[col].tolist() == st[col].tolist(), col
    np.testing.assert_allclose(hist["value_index"], st["value_index"])


def test_standing_of_a_minimal_list(policy):
    from tiermodel.compare.standings import places, standing

    # customer id and tier only (text): nothing else is made up — NaN figures, −1 bits, one
    # blank branch
    t = pd.DataFrame({"customer_id": ["X", "Y", "Z"], "tier": ["gold", "silver", "regular"]})
    st = standing(t, policy)
    assert st["tier"].tolist() == [0, 1, 2]
    assert np.isnan(st["value_index"]).all() and np.isnan(st["premium_part"]).all()
    assert st["gold_bits"].tolist() == [-1, -1, -1] and st["silver_bits"].tolist() == [-1, -1, -1]
    assert st["tier_rank"].tolist() == [0, 0, 0] and st["is_new"].tolist() == [False] * 3
    assert list(st["branch"]) == ["", "", ""]
    pl = places(st, policy)
    assert pl.gold_cut == (-np.inf, -np.inf)  # 1 Gold of 30 existing places


def test_no_value_text_without_last_years_value_index(policy):
    # last year's list: customer, year and tier only; K Gold → Silver (health 1,500,000): the
    # sentence names the failing figures and no value index (there is none to compare)
    this = _tier([{**EST, "customer_id": "K", "health_premium": 1_500_000}], policy)
    hist = validate_history(pd.DataFrame({"customer_id": ["K"], "year": [2025], "tier": ["gold"]}), "h.csv")
    row = said(year_over_year(hist, this, policy).table).iloc[0]
    assert row["reason_en"] == ("Gold → Silver: no longer meets a 第11条 Gold criterion: long-term premium CNY 0.00 m "
                                "< CNY 50.00 m; health premium CNY 1.50 m < CNY 5.00 m; non-health premium CNY 0.00 m "
                                "< CNY 1.00 m")
    assert row["reason_zh"].endswith("非健康险保费 0.0 万元 < 100.0 万元")


def test_silver_thresholds_of_the_customers_own_class(policy):
    # class D's health minimum lowered to 500,000 (C keeps 1,000,000): S (class C) at 800,000
    # fails C's bar, and the sentence holds it against C's 1,000,000, not D's
    pol = policy.with_values({"eligibility.silver.D.health_premium_min": 500_000}, note="test")
    s = {"customer_id": "S", "effective_years": 10, "health_loss_ratio": 0.50, "profit_margin": 0.07}
    last = _tier([{**s, "health_premium": 1_500_000}], pol)
    this = _tier([{**s, "health_premium": 800_000}], pol)
    row = said(year_over_year(last, this, pol).table).iloc[0]
    assert row["reason_code"] == "lost_criterion"
    assert "health premium CNY 0.80 m < CNY 1.00 m" in row["reason_en"]
    assert "健康险保费 80.0 万元 < 100.0 万元" in row["reason_zh"]


def test_gold_held_through_the_long_term_criterion_only(policy):
    # L: long-term standard premium 60,000,000 (≥ Gold's 50,000,000) last year, 40,000,000 this
    # year (< 50M; ≥ Silver C's 5M): Gold → Silver; only the long-term figure is named
    l_ = {"customer_id": "L", "effective_years": 10, "profit_margin": 0.07}
    last = _tier([{**l_, "long_term_std_premium": 60_000_000}], policy)
    this = _tier([{**l_, "long_term_std_premium": 40_000_000}], policy)
    row = said(year_over_year(last, this, policy).table).iloc[0]
    assert (row["before"], row["after"], row["reason_code"]) == ("gold", "silver", "lost_criterion")
    assert row["reason_zh"].startswith("金牌→银牌：不再满足第11条金牌入围标准：长险标准保费 4,000.0 万元 < 5,000.0 万元；价值指标")
    assert row["reason_en"].startswith("Gold → Silver: no longer meets a 第11条 Gold criterion: long-term premium "
                                       "CNY 40.00 m < CNY 50.00 m; value index")


@pytest.fixture(scope="module")
def edges(policy):
    """The edges of value_fell, place_freed and k1_ageing (4 existing Gold places).

    Year 10 unless said; 12,000,000 health (10–20M → 0.45 × 0.30 = 0.135) or 6,000,000 (0.09):
    Last year: Y6 6M, margin 15 %: 0.09 + 0.30 + 0.28 = 0.67     L2 year 3, 6M, 25 %: 0.09 + 0.225 + 0.34 = 0.655
               K2 year 3, 12M, 15 %: 0.135 + 0.225 + 0.28 = 0.64  Q and U 12M, 7 %: 0.135 + 0.30 + 0.20 = 0.635
               (tie, same premium: Q before U by id → U 5th, Silver)
               S1 health 1,500,000 (0.06), margin 2 %: 0.06 + 0.30 + 0.12 = 0.48 (Silver)
    This year: Y6 year 6 (loyalty 0.80): 0.09 + 0.24 + 0.28 = 0.61 (K1 1.0 both years)
               L2 year 4, 15 %: 0.09 + 0.18 + 0.28 = 0.55        K2 year 4, 6M: 0.09 + 0.18 + 0.28 = 0.55
               Q margin 2 %: 0.135 + 0.30 + 0.12 = 0.555          U margin 25 %: 0.135 + 0.30 + 0.34 = 0.775
               S1 margin 7 %: 0.06 + 0.30 + 0.20 = 0.56           Z1–Z4 new to the book, 12M, 7 %: 0.635
               H2 (Anqing) long-term 6,000,000 (≥ Silver C's 5,000,000; was 0): 0.09 + 0.30 + 0.20 = 0.59
    Gold this year: U 0.775, Z1, Z2, Z3 (0.635, by id); cut line 0.635; Z4 5th.
    """
    pol = policy.with_values({"gold_selection.existing_places": 4}, note="test")
    b12 = {**EST, "health_premium": 12_000_000}
    last = [{**EST, "customer_id": "Y6", "profit_margin": 0.15},
            {**EST, "customer_id": "L2", "effective_years": 3, "profit_margin": 0.25},
            {**b12, "customer_id": "K2", "effective_years": 3, "profit_margin": 0.15},
            {**b12, "customer_id": "Q"}, {**b12, "customer_id": "U"},
            {**EST, "customer_id": "S1", "health_premium": 1_500_000, "profit_margin": 0.02},
            {"customer_id": "H2", "branch": "Anqing", "profit_margin": 0.07}]
    this = [{**EST, "customer_id": "Y6", "effective_years": 6, "profit_margin": 0.15},
            {**EST, "customer_id": "L2", "effective_years": 4, "profit_margin": 0.15},
            {**EST, "customer_id": "K2", "effective_years": 4, "profit_margin": 0.15},
            {**b12, "customer_id": "Q", "profit_margin": 0.02}, {**b12, "customer_id": "U", "profit_margin": 0.25},
            {**EST, "customer_id": "S1", "health_premium": 1_500_000},
            {"customer_id": "H2", "branch": "Anqing", "profit_margin": 0.07, "long_term_std_premium": 6_000_000},
            *({**b12, "customer_id": f"Z{i}"} for i in range(1, 5))]
    return said(year_over_year(_tier(last, pol), _tier(this, pol), pol).table).set_index("customer_id")


def test_value_fell_at_its_edges(edges):
    t = edges
    # Y6: only the loyalty part fell (1.00 → 0.80 × 0.30: -0.06) while K1 stayed 1.0: not K1 ageing
    # L2: K1 fell (1.5 → 1.0) but the profit part fell too (0.34 → 0.28): not K1 ageing alone
    # K2: K1 fell but the premium part fell too (0.135 → 0.09): not K1 ageing alone
    # Q: 0.635 → 0.555; 0.635 is the cut line itself: it would have been in — value_fell;
    # rank 7 (U, Z1–Z4, Y6 0.61 before it)
    assert {c: t.loc[c, "reason_code"] for c in ("Y6", "L2", "K2", "Q")} == dict.fromkeys(
        ("Y6", "L2", "K2", "Q"), "value_fell")
    assert t.loc["Y6", "delta_loyalty_k1"] == pytest.approx(-0.06)
    assert t.loc["L2", "delta_profit_k2"] == pytest.approx(-0.06)
    assert t.loc["K2", "delta_premium"] == pytest.approx(-0.045)
    assert t.loc["Q", "reason_en"].endswith("rank 7 for the 4 existing-customer Gold places (cut line 0.6350)")


def test_place_freed_at_the_cut_line_and_unchanged_silver(edges):
    t = edges
    # U: 0.635 → 0.775, but 0.635 already reached the cut line (0.635): a place came free
    assert (t.loc["U", "before"], t.loc["U", "after"], t.loc["U", "reason_code"]) == ("silver", "gold", "place_freed")
    # S1: Silver both years, value 0.48 → 0.56 below the Gold cut line: unchanged
    assert (t.loc["S1", "change"], t.loc["S1", "reason_code"]) == ("same", "unchanged")


def test_new_to_the_book_silver_and_gained_long_term_criterion(edges):
    t = edges
    # Z4: new, 5th for 4 Gold places: Silver, 1st of Hefei's Silver candidates (0.635 before
    # Y6 0.61, S1 0.56, Q 0.555, K2 and L2 0.55) — its Silver place stated
    assert (t.loc["Z4", "after"], t.loc["Z4", "reason_code"]) == ("silver", "new_to_book")
    assert t.loc["Z4", "reason_en"].startswith("not in book → Silver: new to the book; rank 1 in branch Hefei for "
                                               "its 20 Silver places")
    assert t.loc["Z4", "reason_zh"].startswith("未在册→银牌：本年新进入客户名单；Hefei 银牌名额 20 个，机构内排名第 1")
    # H2: long-term 0 → 6,000,000 ≥ 5,000,000 (Silver C): no loss ratio for the long-term criterion
    assert (t.loc["H2", "before"], t.loc["H2", "after"], t.loc["H2", "reason_code"]) == \
        ("regular", "silver", "gained_criterion")
    assert t.loc["H2", "reason_zh"] == ("普通→银牌：新满足第11条银牌入围标准：长险标准保费 600.0 万元 ≥ 500.0 万元；"
                                        "Anqing 银牌名额 20 个，机构内排名第 1")
    assert t.loc["H2", "reason_en"] == ("Regular → Silver: now meets a 第11条 Silver criterion: long-term premium "
                                        "CNY 6.00 m ≥ CNY 5.00 m; rank 1 in branch Anqing for its 20 Silver places")


def test_standing_works_out_bits_from_a_historys_figures(policy):
    from tiermodel.compare.standings import standing

    # a history with the 第11条 figures and branch class but no criteria bits: the bits are worked
    # out — X health 6,000,000 at 50 % (Gold and Silver health bit 2), Y 1,500,000 (Silver only),
    # Z nothing; K2 1.2 given: profit part 0.5 × 0.40 × 1.2 = 0.24; no rank columns: ranks 0
    t = pd.DataFrame({"customer_id": ["X", "Y", "Z"], "tier": ["gold", "silver", "regular"],
                      "branch_class": ["C", "C", "C"], "long_term_std_premium": [0.0, 0.0, 0.0],
                      "health_premium": [6e6, 1.5e6, 0.0], "health_loss_ratio": [0.5, 0.5, 0.0],
                      "non_health_premium": [0.0, 0.0, 0.0], "non_health_loss_ratio": [0.0, 0.0, 0.0],
                      "profit_coef": [0.5, 0.5, 0.5], "k2": [1.2, 1.2, 1.2]})
    st = standing(t, policy)
    assert st["gold_bits"].tolist() == [2, 0, 0] and st["silver_bits"].tolist() == [2, 2, 0]
    assert st["profit_part"].tolist() == pytest.approx([0.24, 0.24, 0.24])
    assert st["gold_rank"].tolist() == [0, 0, 0] and st["branch_rank"].tolist() == [0, 0, 0]
    # one figure missing: the bits stay unknown rather than guessed
    st = standing(t.assign(health_premium=[6e6, np.nan, 0.0]), policy)
    assert st["gold_bits"].tolist() == [-1, -1, -1]
    st = standing(t.drop(columns=["branch_class"]), policy)
    assert st["silver_bits"].tolist() == [-1, -1, -1]
