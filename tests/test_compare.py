"""The annual cycle, worked by hand: year over year, scenario against base, overrides, 15 January,
projection.

Tables of RULES.md §2 (assumed defaults) used below:
  附表1 standard premium: 5–10M → 0.30        附表3 profit margin: 5–10 % → 0.50, 10–20 % → 0.70
  附表2 loyalty: year 3 → 0.50, year 4 → 0.60, year ≥ 10 → 1.00
  K1: year 3 → 1.5, year ≥ 4 → 1.0 (assumed); K2 = 1
  value = premium × 0.30 + loyalty × 0.30 × K1 + profit × 0.40 × K2
Gold (第11条): health premium ≥ 5,000,000 at loss ratio ≤ 60 %; Silver class C: ≥ 1,000,000.
Gold places (第13条): 30 existing + 10 new. Silver class C default capacity: 10 (assumed).
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from conftest import customers
from tiermodel.compare import (apply_overrides, compare_tierings, deadline_check, project_years,
                               year_over_year)
from tiermodel.errors import InputTableError
from tiermodel.history import history_from_tiering, validate_overrides
from tiermodel.scoring import score
from tiermodel.tiers import assign_tiers
from tiermodel.present.messages import render

def said(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with each reason note rendered in both languages (``reason_zh``, ``reason_en``;
    blank where nothing changed), as a reader sees it on a zh or an en page."""
    from tiermodel.present.messages import render

    return table.assign(**{f"reason_{lang}": [render(r, lang) if r is not None else "" for r in table["reason"]]
                           for lang in ("zh", "en")})


# An established Gold-eligible customer: year 10, health 6,000,000 at 50 %, margin 7 %:
#   0.30 × 0.30 + 1.00 × 0.30 × 1.0 + 0.50 × 0.40 = 0.09 + 0.30 + 0.20 = 0.59
ESTABLISHED = {"effective_years": 10, "health_premium": 6_000_000, "health_loss_ratio": 0.50,
               "profit_margin": 0.07}


def _tier(rows, policy, capacity=None):
    return assign_tiers(score(customers(*rows), policy), policy, capacity)


def _row(table, cid):
    return table.set_index("customer_id").loc[cid]


def test_gold_lost_purely_through_k1_ageing(policy):
    # X, same business both years (health 6,000,000 at 50 %, margin 15 % → profit 0.70):
    #   last year, effective year 3: 0.30×0.30 + 0.50×0.30×1.5 + 0.70×0.40 = 0.09 + 0.225 + 0.28 = 0.595
    #   this year, effective year 4: 0.30×0.30 + 0.60×0.30×1.0 + 0.70×0.40 = 0.09 + 0.180 + 0.28 = 0.550
    # 30 established customers at 0.59 (above): last year X (0.595) ranks 1st of 31 and the 30th
    # of them (largest id, same value and premium) is left out; this year X (0.550) ranks 31st.
    x = {"customer_id": "X", "health_premium": 6_000_000, "health_loss_ratio": 0.50, "profit_margin": 0.15}
    others = [{**ESTABLISHED, "customer_id": f"E{i:02d}"} for i in range(1, 31)]
    last = _tier([{**x, "effective_years": 3}, *others], policy)
    this = _tier([{**x, "effective_years": 4}, *[{**o, "effective_years": 11} for o in others]], policy)
    assert _row(last.table, "X")["tier"] == "gold" and _row(last.table, "E30")["tier"] == "silver"
    yoy = year_over_year(history_from_tiering(last.table, 2025), this, policy, this_year=2026)
    t = said(yoy.table).set_index("customer_id")
    x_row = t.loc["X"]
    assert (x_row["before"], x_row["after"]) == ("gold", "silver")
    assert x_row["reason_code"] == "k1_ageing"
    assert x_row["delta_value_index"] == pytest.approx(-0.045)
    assert x_row["delta_premium"] == pytest.approx(0.0)
    assert x_row["delta_loyalty_k1"] == pytest.approx(0.180 - 0.225)
    assert x_row["delta_profit_k2"] == pytest.approx(0.0)
    assert "K1 由 1.5 降至 1" in x_row["reason_zh"] and "有效投保年度 3→4" in x_row["reason_zh"]
    assert "第 31" in x_row["reason_zh"] and "入选线 0.5900" in x_row["reason_zh"]
    assert "K1 fell from 1.5 to 1" in x_row["reason_en"]
    # E30 takes the place X left, with its value index unchanged (0.59 → 0.59)
    assert (t.loc["E30", "before"], t.loc["E30", "after"], t.loc["E30", "reason_code"]) == \
        ("silver", "gold", "place_freed")
    m = yoy.matrix()
    assert m.loc["gold", "gold"] == 29 and m.loc["gold", "silver"] == 1 and m.loc["silver", "gold"] == 1
    gold = yoy.gold.set_index("customer_id")
    assert gold.loc["E30", "last_tier"] == "silver" and gold.loc["E01", "last_rank"] == 2


def test_gold_lost_through_a_criterion(policy):
    # Y: health premium 5,200,000 → 4,800,000 at 55 %; 4,800,000 < 5,000,000 (Gold) but
    # ≥ 1,000,000 (Silver, class C): Gold → Silver, the figure named against its threshold.
    y = {"customer_id": "Y", "effective_years": 10, "health_loss_ratio": 0.55, "profit_margin": 0.07}
    last = _tier([{**y, "health_premium": 5_200_000}], policy)
    this = _tier([{**y, "health_premium": 4_800_000}], policy)
    row = said(year_over_year(history_from_tiering(last.table, 2025), this, policy).table).iloc[0]
    assert (row["before"], row["after"], row["reason_code"]) == ("gold", "silver", "lost_criterion")
    assert "健康险保费 480.0 万元 < 500.0 万元" in row["reason_zh"]
    assert "health premium CNY 4.80 m < CNY 5.00 m" in row["reason_en"]


def test_silver_pushed_out_by_a_full_branch(policy):
    # Branch Hefei holds 2 Silver places. Year 10 (loyalty 1.00 × 0.30 = 0.30), margin 7 %
    # (profit 0.50 × 0.40 = 0.20), value = 0.30 × premium_coef + 0.30 + 0.20:
    #   Z: health 1,500,000 at 50 % (Silver C) → premium 0.20: 0.06 + 0.30 + 0.20 = 0.56
    #   W: health 2,000,000 at 50 %            → premium 0.20: 0.56; tie → larger premium first: W, Z
    #   V (new to the book, year 10): health 8,000,000 at 65 % (above both caps: no health criterion),
    #      non-health 300,000 at 30 % (Silver C: ≥ 100,000 at ≤ 40 %; Gold needs 1,000,000):
    #      standard premium 8,300,000 → 0.30: 0.09 + 0.30 + 0.20 = 0.59
    # This year V ranks 1st, W 2nd, Z 3rd for 2 places: Z pushed out, its own figures unchanged.
    base = {"effective_years": 10, "health_loss_ratio": 0.50, "profit_margin": 0.07}
    z = {**base, "customer_id": "Z", "health_premium": 1_500_000}
    w = {**base, "customer_id": "W", "health_premium": 2_000_000}
    v = {**base, "customer_id": "V", "health_premium": 8_000_000, "health_loss_ratio": 0.65,
         "non_health_premium": 300_000, "non_health_loss_ratio": 0.30}
    capacity = pd.Series({"Hefei": 2}, name="silver_capacity")
    last = _tier([z, w], policy, capacity)
    this = _tier([z, w, v], policy, capacity)
    yoy = year_over_year(history_from_tiering(last.table, 2025), this, policy)
    t = said(yoy.table).set_index("customer_id")
    assert (t.loc["Z", "before"], t.loc["Z", "after"], t.loc["Z", "reason_code"]) == ("silver", "regular", "branch_full")
    assert t.loc["Z", "delta_value_index"] == pytest.approx(0.0)
    assert "Hefei 银牌名额 2 个，机构内排名第 3" in t.loc["Z", "reason_zh"]
    assert "末位价值指标 0.5600" in t.loc["Z", "reason_zh"]
    assert (t.loc["V", "before"], t.loc["V", "after"], t.loc["V", "reason_code"]) == ("none", "silver", "new_to_book")
    movers = yoy.tables()["movers by branch"]
    assert movers.loc["Hefei", "silver_in"] == 1 and movers.loc["Hefei", "silver_out"] == 1


def test_a_customer_leaving_the_book(policy):
    last = _tier([{**ESTABLISHED, "customer_id": "L"}, {**ESTABLISHED, "customer_id": "K"}], policy)
    this = _tier([{**ESTABLISHED, "customer_id": "K"}], policy)
    yoy = year_over_year(history_from_tiering(last.table, 2025), this, policy)
    t = said(yoy.table).set_index("customer_id")
    assert (t.loc["L", "before"], t.loc["L", "after"], t.loc["L", "change"]) == ("gold", "none", "left")
    assert t.loc["L", "reason_code"] == "left_book" and "离册" in t.loc["L", "reason_zh"]
    assert t.loc["K", "change"] == "same" and t.loc["K", "reason_zh"] == ""
    rates = yoy.rates().set_index("tier")
    assert rates.loc["gold", "stay_rate"] == pytest.approx(0.5)  # 1 of 2 Gold stayed



def test_rates_from_the_vip_customers_alone(policy):
    from tiermodel.compare import tier_rates

    # 2025: G1, G2 Gold; S1, S2, S3 Silver; R1 Regular. 2026: G1 Gold, G2 Silver, S1 Silver,
    #   S2 Regular, S3 gone, N1 Gold (new), R1 Silver.
    #   Gold: 2 before, 1 stayed (G1) → stay 1/2 = 0.5, churn 0.5; 2 after → 1 entered (N1), new 1/2 = 0.5
    #   Silver: 3 before, 1 stayed (S1) → stay 1/3, churn 2/3; 3 after (G2, S1, R1) → 2 entered, new 2/3
    cats = ["gold", "silver", "regular"]
    last = pd.DataFrame({"customer_id": ["G1", "G2", "S1", "S2", "S3", "R1"],
                         "tier": pd.Categorical(["gold", "gold", "silver", "silver", "silver", "regular"], cats)})
    this = pd.DataFrame({"customer_id": ["G1", "G2", "S1", "S2", "N1", "R1"],
                         "tier": pd.Categorical(["gold", "silver", "silver", "regular", "gold", "silver"], cats)})
    r = tier_rates(last, this, 2025, 2026).set_index("tier")
    assert r.loc["gold", ["count_before", "count_after", "stayed", "entered"]].tolist() == [2, 2, 1, 1]
    assert r.loc["silver", ["count_before", "count_after", "stayed", "entered"]].tolist() == [3, 3, 1, 2]
    assert r.loc["gold", ["stay_rate", "churn_rate", "new_rate"]].tolist() == [0.5, 0.5, 0.5]
    assert r.loc["silver", ["stay_rate", "churn_rate", "new_rate"]].tolist() == pytest.approx([1 / 3, 2 / 3, 2 / 3])
    # the VIP rows alone give the same rates: Regular customers count nowhere
    vip = tier_rates(last[last["tier"] != "regular"], this[this["tier"] != "regular"], 2025, 2026)
    pd.testing.assert_frame_equal(vip, r.reset_index()[vip.columns])


def test_rates_without_a_row_per_customer_match_the_year_over_year_table(policy):
    from tiermodel.compare import tier_rates
    from tiermodel.portfolio import sample_earlier_year, sample_portfolio, validate_portfolio

    book = validate_portfolio(sample_portfolio(7, 3_000), "sample")
    last = assign_tiers(score(sample_earlier_year(book, 7, 1), policy), policy)
    this = assign_tiers(score(book, policy), policy)
    full = year_over_year(last, this, policy, last_year=2025, this_year=2026).rates()
    pd.testing.assert_frame_equal(tier_rates(last.table, this.table, 2025, 2026), full)

def test_a_minimal_history_without_components(policy):
    # customer id, year and tier only: the change is a total, never a made-up split
    this = _tier([{**ESTABLISHED, "customer_id": "K"}], policy)
    hist = pd.DataFrame({"customer_id": ["K", "GONE"], "year": [2025, 2025], "tier": ["银牌", "金牌"]})
    from tiermodel.history import validate_history

    yoy = year_over_year(validate_history(hist, "h.csv"), this, policy)
    t = said(yoy.table).set_index("customer_id")
    assert t.loc["K", "after"] == "gold" and t.loc["GONE", "reason_code"] == "left_book"
    assert any(n.code == "compare.yoy.no_components" for n in yoy.notes)


def test_scenario_against_base_with_one_known_change(policy):
    # One change: the Gold health-premium minimum 5,000,000 → 6,000,000. Y (5,200,000 at 55 %)
    # loses Gold for Silver; K (6,000,000) keeps it; nothing else differs.
    scen = policy.with_values({"eligibility.gold.health_premium_min": 6_000_000}, note="test")
    rows = [{"customer_id": "Y", "effective_years": 10, "health_premium": 5_200_000,
             "health_loss_ratio": 0.55, "profit_margin": 0.07}, {**ESTABLISHED, "customer_id": "K"}]
    book = customers(*rows)
    cmp = compare_tierings(assign_tiers(score(book, policy), policy), assign_tiers(score(book, scen), scen),
                           policy, scen, year=2026)
    params = cmp.parameters
    assert params["path"].tolist() == ["eligibility.gold.health_premium_min"]
    assert params[["base_value", "scenario_value"]].iloc[0].tolist() == [5_000_000, 6_000_000]
    assert params[["kind", "article"]].iloc[0].tolist() == ["scenario:test", "第11条"]
    ch = cmp.changes()
    assert ch["customer_id"].tolist() == ["Y"]
    assert ch["reason_code"].iloc[0] == "lost_criterion"
    assert "健康险保费 520.0 万元 < 600.0 万元" in said(ch)["reason_zh"].iloc[0]
    # 附件七 of the scenario's notes: the same Y costs a Silver's, not a Gold's, service
    assert [n.code for n in cmp.notes] == ["compare.scenario", "compare.scenario_budget"]
    from tiermodel.present.messages import render
    # with_values(note=...) keeps the scenario's name: both read policy-2003
    assert render(cmp.notes[0], "en") == ("policy-2003 against policy-2003: 1 parameter(s) differ; 1 of 2 customers "
                                          "change tier.")
    assert render(cmp.notes[0], "zh") == "policy-2003与policy-2003相比：1项参数不同；2户客户中1户层级变化。"
    by_class = cmp.counts_by_class
    assert by_class.loc["C", "gold_change"] == -1 and by_class.loc["C", "silver_change"] == 1
    spend = cmp.budget
    assert spend.loc["gold", "customers_base"] - spend.loc["gold", "customers_scenario"] == 1
    assert spend.loc["total", "customers_scenario"] == spend.loc["total", "customers_base"] == 2


def _forty_one(policy):
    # 31 existing and 10 new Gold-eligible customers: Gold = 30 + 10 = 40; E31 (largest id) out.
    rows = [{**ESTABLISHED, "customer_id": f"E{i:02d}"} for i in range(1, 32)]
    rows += [{**ESTABLISHED, "customer_id": f"N{i:02d}", "effective_years": 1, "is_new": True} for i in range(1, 11)]
    return _tier(rows, policy)


def _overrides(rows, book_ids):
    raw = pd.DataFrame(rows, columns=["customer_id", "action", "tier", "reason", "approver", "date"])
    return validate_overrides(raw, book_ids, "overrides.csv")



def test_override_reasons_beside_everyone_elses(policy):
    t = _forty_one(policy)
    ov = _overrides([["E01", "剔除", "金牌", "降级", "总经理室", "2026-01-09"],
                     ["E31", "纳入", "金牌", "战略客户", "总经理室", "2026-01-10"]], t.table["customer_id"])
    a = apply_overrides(t, policy, ov, 2026)
    reason = a.table.set_index("customer_id")["reason"]
    assert render(reason["E01"], "en") == "Override (out of Gold) by 总经理室 on 2026-01-09: 降级"
    assert render(reason["E31"], "en") == "Override (into Gold) by 总经理室 on 2026-01-10: 战略客户"
    assert render(reason["E01"], "zh") == "总公司调整（剔除出金牌），总经理室于2026-01-09批准：降级"
    before = t.table.set_index("customer_id")["reason"].astype(str)
    others = before.index.difference(["E01", "E31"])
    assert (reason[others].astype(str) == before[others]).all()
    # one categorical of the distinct reasons (notes), each once, every one in use
    notes = list(a.table["reason"].cat.categories)
    assert len(notes) == len(set(notes)) and set(notes) == set(reason)

def test_an_override_over_the_40_gold_places_is_refused(policy):
    t = _forty_one(policy)
    assert (t.table["tier"] == "gold").sum() == 40
    ov = _overrides([["E31", "纳入", "金牌", "战略客户", "总经理室", "2026-01-10"]], t.table["customer_id"])
    with pytest.raises(InputTableError) as err:
        apply_overrides(t, policy, ov, 2026)
    msg = str(err.value)
    assert "overrides.csv" in msg and "row 2" in msg and "customer E31" in msg and "'tier'" in msg
    # 第13条 two pools: 30 existing (E01–E30 hold them) + 1 = 31 > 30
    assert "makes 31 in the pool of places of customers insured before this year" in msg and "allows 30" in msg


def test_an_override_within_the_places_is_applied_and_dated(policy):
    t = _forty_one(policy)
    ov = _overrides([["E31", "in", "gold", "战略客户", "总经理室", "2026-03-20"],
                     ["E30", "out", "gold", "经营风险", "总经理室", "2026-01-10"]], t.table["customer_id"])
    ap = apply_overrides(t, policy, ov, 2026)
    table = ap.table.set_index("customer_id")
    assert table.loc["E31", "tier"] == "gold" and table.loc["E30", "tier"] == "silver"
    assert (ap.table["tier"] == "gold").sum() == 40
    # approved 20 March → service from 1 April (第12条: the month after approval)
    assert table.loc["E31", "service_start"] == pd.Timestamp(2026, 4, 1)
    # E01 was Gold last year (previous_tier_default: insured before this year, keeps its tier):
    # a continuing VIP, served from the start of the year
    assert table.loc["E01", "service_start"] == pd.Timestamp(2026, 1, 1)


def test_an_override_of_an_unknown_customer_is_refused():
    with pytest.raises(InputTableError) as err:
        _overrides([["C999", "in", "gold", "战略客户", "总经理室", "2026-01-10"]], ["C001", "C002"])
    msg = str(err.value)
    assert "row 2" in msg and "customer C999" in msg and "not in this year's book" in msg


@pytest.mark.parametrize("submitted, on_time, late", [
    (dt.date(2026, 1, 14), True, 0),
    (dt.date(2026, 1, 15), True, 0),  # "1月15日前" read as on or before (assumed)
    (dt.date(2026, 1, 16), False, 1),
    (dt.date(2026, 2, 1), False, 17),  # 16 days of January after the 15th + 1
])
def test_the_15_january_check_on_both_sides(policy, submitted, on_time, late):
    check = deadline_check(2026, policy, submitted, None)
    gold, plan = check.iloc[0], check.iloc[1]
    assert gold["due"] == dt.date(2026, 1, 15)
    assert bool(gold["on_time"]) is on_time and gold["days_late"] == late
    assert not plan["on_time"] and plan["status"].code == "compare.deadline.not_submitted"
    from tiermodel.present.messages import render
    # late by 1 day: "逾期 1 天" / "late by 1 day(s)"; on time: "按时" / "on time"
    assert render(gold["status"], "zh") == ("按时" if on_time else f"逾期 {late} 天")
    assert render(gold["status"], "en") == ("on time" if on_time else f"late by {late} day(s)")
    assert (render(plan["item"], "zh"), render(plan["item"], "en")) == ("回访年度分解计划", "executives' revisit plan")


def test_projection_first_year_is_todays_tiering(policy):
    rows = [{**ESTABLISHED, "customer_id": f"E{i:02d}", "health_premium": 6_000_000 + i} for i in range(1, 6)]
    rows += [{"customer_id": "X", "effective_years": 3, "health_premium": 6_000_000, "health_loss_ratio": 0.5,
              "profit_margin": 0.15}]
    book = customers(*rows)
    today = assign_tiers(score(book, policy), policy)
    proj = project_years(book, policy, n_years=3, first_year=2026, seed=1, lapse_share=0.0, new_share=0.0,
                         growth=0.0, growth_sd=0.0)
    first = proj.tierings[0].table
    assert first["customer_id"].tolist() == today.table["customer_id"].tolist()
    assert first["tier"].tolist() == today.table["tier"].tolist()
    assert first["value_index"].tolist() == today.table["value_index"].tolist()
    # year 2: nobody leaves or arrives, no growth; X is in effective year 4, K1 1.0:
    #   0.09 + 0.60 × 0.30 × 1.0 + 0.28 = 0.55 (from 0.595)
    second = proj.tierings[1].table.set_index("customer_id")
    assert second.loc["X", "effective_years"] == 4 and second.loc["X", "value_index"] == pytest.approx(0.55)
    assert proj.counts.index.tolist() == [2026, 2027, 2028]
    assert (proj.counts["customers"] == 6).all()
    assert set(proj.spend.columns) == {"gold_cny", "silver_cny", "total_cny"}



def test_a_book_aged_one_year_by_hand(policy):
    from tiermodel.compare.cycle import age_book

    # A (year 1), B (year 5), C (year 3); nobody leaves (lapse 0), premiums +10 % with no spread
    # (log-normal σ 0 draws exactly 1): 1,000,000 → 1,100,000; one new customer (⅓ × 3 = 1),
    # drawn from the year-1 customers (only A): A's figures as they were, id N2027-000001,
    # year 1, new. The stayers age a year: A 2, B 6, C 4, none of them new any more.
    book = customers({"customer_id": "A", "effective_years": 1, "is_new": True, "health_premium": 1_000_000},
                     {"customer_id": "B", "effective_years": 5, "health_premium": 2_000_000},
                     {"customer_id": "C", "effective_years": 3, "health_premium": 3_000_000})
    aged = age_book(book, policy, np.random.default_rng(0), "N2027", growth=0.10, growth_sd=0.0,
                    new_share=1 / 3, lapse_share=0.0)
    assert aged["customer_id"].tolist() == ["A", "B", "C", "N2027-000001"]
    assert aged["effective_years"].tolist() == [2, 6, 4, 1]
    assert aged["is_new"].tolist() == [False, False, False, True]
    assert aged["health_premium"].tolist() == [1_100_000, 2_200_000, 3_300_000, 1_000_000]
    assert aged["branch_class"].tolist() == book["branch_class"].tolist() + [book["branch_class"].iloc[0]]
    assert list(aged.columns) == list(book.columns) and list(book["customer_id"]) == ["A", "B", "C"]

def test_projection_is_seeded(policy):
    from tiermodel.portfolio import sample_portfolio, validate_portfolio

    book = validate_portfolio(sample_portfolio(5, 2_000), "sample")
    a = project_years(book, policy, 3, seed=9, with_budget=False)
    b = project_years(book, policy, 3, seed=9, with_budget=False)
    pd.testing.assert_frame_equal(a.counts, b.counts)
    assert np.array_equal(a.tierings[2].table["value_index"], b.tierings[2].table["value_index"])


def test_a_projection_without_its_tierings_holds_the_same_figures(policy):
    from tiermodel.portfolio import sample_portfolio, validate_portfolio

    book = validate_portfolio(sample_portfolio(5, 2_000), "sample")
    full = project_years(book, policy, 3, seed=9)
    lean = project_years(book, policy, 3, seed=9, keep_tierings=False)
    assert len(full.tierings) == 3 and lean.tierings == []
    for name, table in full.tables().items():
        pd.testing.assert_frame_equal(lean.tables()[name], table, obj=name)
    # each year's Gold list is the Gold customers of that year's tiering, best first
    for k, year in enumerate(full.years):
        gold = full.tierings[k].table.query("tier == 'gold'")
        listed = lean.gold_lists().query("year == @year")
        assert sorted(listed["customer_id"]) == sorted(gold["customer_id"])
        assert listed["year"].eq(year).all()


# ----------------------------------------------------------------------------- command line
def test_cli_sample_with_an_earlier_year_then_compare_with_it(tmp_path, capsys):
    from tiermodel.cli import main

    book = tmp_path / "book.csv"
    assert main(["sample", "--customers", "3000", "--years", "2", "--out", str(book)]) == 0
    history = tmp_path / "book-history.csv"
    assert history.exists()
    assert sorted(pd.read_csv(history)["year"].unique()) == [2025]
    out = tmp_path / "yoy.xlsx"
    assert main(["compare", "--portfolio", str(book), "--history", str(history), "--year", "2026",
                 "--out", str(out)]) == 0
    sheets = pd.read_excel(out, sheet_name=None)
    assert {_sheet("transition matrix"), _sheet("changes"), _sheet("gold list vs last year")} <= set(sheets)
    assert "against 2025's" in capsys.readouterr().out


def test_cli_compare_a_scenario_against_the_2003_policy(tmp_path, capsys):
    from tiermodel.cli import main

    out = tmp_path / "cmp.xlsx"
    assert main(["compare", "--scenario", "silver-capacity-doubled", "--out", str(out)]) == 0
    sheets = pd.read_excel(out, sheet_name=None)
    params = sheets[_sheet("parameter changes")]
    # A 30 → 60, B 20 → 40, C 10 → 20, D 5 → 10: four parameters, Silver only grows
    assert len(params) == 4
    matrix = sheets[_sheet("transition matrix")].set_index("上年层级")  # before; --lang zh headers and tiers
    assert matrix.loc["银牌", "普通（户）"] == 0 and matrix.loc["金牌", "金牌（户）"] == matrix.loc["金牌", "合计（户）"]
    # refused before any work: an existing output without --force, no scenario nor history
    assert main(["compare", "--scenario", "weights-equal", "--out", str(out)]) == 2
    assert main(["compare", "--out", str(tmp_path / "x.xlsx")]) == 2
    assert not (tmp_path / "x.xlsx").exists()
    assert "Traceback" not in capsys.readouterr().err


def test_published_lists_one_sheet_per_branch_in_chinese(tmp_path, policy):
    import openpyxl

    from tiermodel.compare import published_lists
    from tiermodel.published import write_published_lists

    rows = [{**ESTABLISHED, "customer_id": "G1", "branch": "Hefei"},
            {**ESTABLISHED, "customer_id": "S1", "branch": "Wuhu", "health_premium": 2_000_000},
            {"customer_id": "R1", "branch": "Wuhu"}]
    ap = apply_overrides(_tier(rows, policy), policy, None, 2026)
    lists = published_lists(ap)
    assert list(lists) == ["gold", "Hefei", "Wuhu"]
    assert lists["Wuhu"]["customer_id"].tolist() == ["S1"]  # the Regular customer is not published
    path = write_published_lists(lists, tmp_path / "lists.xlsx", 2026, None, "sample(seed=1)")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["金牌客户名单 全公司", "Hefei", "Wuhu"]
    ws = wb["Wuhu"]
    assert "2026年度" in ws["A1"].value and "示例数据" in ws["A1"].value
    assert [c.value for c in ws[3]][:6] == ["序号", "客户号", "客户名称", "机构", "机构类别", "层级"]
    assert ws["F4"].value == "银牌VIP" and ws["K4"].number_format == "yyyy-mm-dd"


def test_approval_dates_drive_the_months_of_service(policy):
    from tiermodel.compare import approved_vips

    t = _forty_one(policy)
    ov = _overrides([["E31", "in", "gold", "战略客户", "总经理室", "2026-03-20"],
                     ["E30", "out", "gold", "经营风险", "总经理室", "2026-01-10"]], t.table["customer_id"])
    vips = approved_vips(apply_overrides(t, policy, ov, 2026), policy).set_index("customer_id")
    # E01 continuing (Gold last year and this) → January–December = 12 months;
    # E31 approved 20 March → April–December = 9 months; E30 (out 10 January) → February on = 11
    assert vips.loc["E01", "service_months"] == 12
    assert vips.loc["E31", "service_months"] == 9
    assert vips.loc["E30", "service_months"] == 11


def test_cli_compare_refuses_a_bad_history_and_writes_nothing(tmp_path, capsys):
    from conftest import file_sha256
    from tiermodel.cli import main

    history = tmp_path / "last.csv"
    pd.DataFrame({"customer_id": ["C000001", "C000001"], "year": [2025, 2025],
                  "tier": ["gold", "silver"]}).to_csv(history, index=False)
    before = file_sha256(history)
    out = tmp_path / "yoy.xlsx"
    assert main(["compare", "--history", str(history), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "last.csv" in err and "row 2, customer C000001, column 'customer_id'" in err and "Traceback" not in err
    assert not out.exists() and file_sha256(history) == before


def test_only_nominated_customers_compete_for_gold(policy):
    from tiermodel.compare import apply_nominations

    # E1 (health 6,000,001) and E2 (6,000,000) are both Gold-eligible at 0.59; only E2 is
    # nominated by its branch (第12条 1): E2 is Gold, E1 competes for Silver in Hefei and gets it.
    rows = [{**ESTABLISHED, "customer_id": "E1", "health_premium": 6_000_001}, {**ESTABLISHED, "customer_id": "E2"}]
    t = _tier(rows, policy)
    assert t.table["tier"].tolist() == ["gold", "gold"]
    nominations = pd.DataFrame({"customer_id": ["E2"], "branch": ["Hefei"], "date": [None]})
    n = apply_nominations(t, policy, nominations).table.set_index("customer_id")
    assert n.loc["E2", "tier"] == "gold" and n.loc["E2", "tier_rank"] == 1
    assert n.loc["E1", "tier"] == "silver"
    assert render(n.loc["E1", "reason"], "en") == "Silver: Gold-eligible but not nominated by its branch"
    assert render(n.loc["E1", "reason"], "zh") == "银牌：符合金牌标准，但未获分公司推荐"
    assert n["nominated"].tolist() == [False, True]


def test_measured_churn_by_hand(policy):
    from tiermodel.compare import measured_churn, policy_with_measured_churn

    # 2025: G1, G2 Gold; S1, S2 Silver. 2026: G1 Gold, G2 Silver, S1 Silver, S2 gone, N1 Gold.
    #   Gold: 2 before, 1 stayed → churn 1/2 = 0.5; entered 1 (N1) → new 1/2 = 0.5
    #   Silver: 2 before, 1 stayed (S1) → churn 0.5; entered 1 (G2) → new 0.5
    hist = pd.DataFrame({"customer_id": ["G1", "G2", "S1", "S2"], "year": 2025,
                         "tier": pd.Categorical(["gold", "gold", "silver", "silver"],
                                                categories=["gold", "silver", "regular"])})
    this = pd.DataFrame({"customer_id": ["G1", "G2", "S1", "N1"],
                         "tier": pd.Categorical(["gold", "silver", "silver", "gold"],
                                                categories=["gold", "silver", "regular"])})
    rates = measured_churn(hist, this, 2026)
    pooled = rates[rates["from_year"] == "all"].set_index("tier")
    assert pooled.loc["gold", ["churn_rate", "new_rate"]].tolist() == [0.5, 0.5]
    assert pooled.loc["silver", ["churn_rate", "new_rate"]].tolist() == [0.5, 0.5]
    measured = policy_with_measured_churn(policy, rates)
    base = measured.budget_assumptions.vip_count_scenarios["base"]
    assert (base.gold_churn, base.gold_new, base.silver_churn, base.silver_new) == (0.5, 0.5, 0.5, 0.5)
    assert "measured_churn 2025–2026" in measured.provenance["budget_assumptions.vip_count_scenarios.base"].describe()


def test_a_list_compared_with_itself_changes_nothing(policy):
    from tiermodel.portfolio import sample_portfolio, validate_portfolio

    book = validate_portfolio(sample_portfolio(11, 3_000), "sample")
    t = assign_tiers(score(book, policy), policy)
    cmp = compare_tierings(t, t, policy, policy, with_budget=False)
    assert (cmp.table["change"] == "same").all() and cmp.changes().empty and cmp.parameters.empty
    m = cmp.tables()["transition matrix"]
    assert m.loc["gold", "gold"] == (t.table["tier"] == "gold").sum()
    assert m.loc["total", "total"] == len(book)


def test_cli_writes_annex1_overrides_the_deadline_check_and_the_published_lists(tmp_path, capsys):
    from tiermodel.cli import main

    ov = tmp_path / "ov.csv"
    pd.DataFrame({"客户号": ["C000001"], "操作": ["纳入"], "层级": ["金牌"], "理由": ["战略客户"],
                  "批准人": ["总经理室"], "批准日期": ["2026-01-10"]}).to_csv(ov, index=False)
    out, lists = tmp_path / "approval.xlsx", tmp_path / "lists.xlsx"
    # the sample's Gold list is full (40): one more is refused, naming the row, nothing written
    assert main(["compare", "--overrides", str(ov), "--year", "2026", "--lists", str(lists), "--out", str(out)]) == 2
    assert "row 2, customer C000001" in capsys.readouterr().err
    assert not out.exists() and not lists.exists()
    assert main(["compare", "--year", "2026", "--gold-list-date", "2026-01-15", "--lists", str(lists),
                 "--out", str(out)]) == 0
    sheets = pd.read_excel(out, sheet_name=None)
    assert set(sheets) == {"目录", _sheet("附件一 approval"), _sheet("overrides"), _sheet("15 January check")}
    assert sheets[_sheet("15 January check")]["按时"].tolist() == ["是", "否"]  # on_time True, False
    assert pd.ExcelFile(lists).sheet_names[0] == "金牌客户名单 全公司"


def _sheet(key: str, lang: str = "zh", unit: str = "yuan") -> str:
    """The sheet name a command's workbook gives the table ``key`` in --lang / --amount-unit."""
    from tiermodel.present import reader_table
    from tiermodel.present.workbook import sheet_names

    return sheet_names([reader_table(pd.DataFrame(), key, lang, unit)], ["目录", "Contents"])[0]


def test_cli_compare_same_numbers_in_en_and_zh_and_wan_is_yuan_over_10000(tmp_path):
    # --lang changes words only; --display-unit wan divides every column whose header says 万元
    # by 10,000 (1,230,000 元 is written 123 万元) and leaves every other number as it is
    from tiermodel.cli import main
    from workbook_checks import assert_same_numbers, assert_wan_is_yuan_over_10000

    base = ["compare", "--scenario", "silver-capacity-doubled"]
    paths = {k: tmp_path / f"{k}.xlsx" for k in ("zh", "en", "wan")}
    assert main(base + ["--display-unit", "yuan", "--out", str(paths["zh"])]) == 0
    assert main(base + ["--lang", "en", "--out", str(paths["en"])]) == 0
    assert main(base + ["--display-unit", "wan", "--out", str(paths["wan"])]) == 0
    with pd.ExcelFile(paths["en"]) as book:
        assert book.sheet_names[0] == "Contents"
    assert assert_same_numbers(paths["zh"], paths["en"]) > 0
    assert_wan_is_yuan_over_10000(paths["wan"], paths["zh"])  # no 万元 header yet: see the next test


def test_cli_compare_budget_change_in_wan(tmp_path):
    from tiermodel.cli import main
    from workbook_checks import assert_wan_is_yuan_over_10000

    base = ["compare", "--scenario", "silver-capacity-doubled"]
    assert main(base + ["--display-unit", "yuan", "--out", str(tmp_path / "yuan.xlsx")]) == 0
    assert main(base + ["--display-unit", "wan", "--out", str(tmp_path / "wan.xlsx")]) == 0
    assert assert_wan_is_yuan_over_10000(tmp_path / "wan.xlsx", tmp_path / "yuan.xlsx") > 0
