"""compare/service_year.py: the VIP table of the year under review (VIPs only, Gold first, then by
id, its columns), its counts by tier and reading in order, the tier served on a date for an id
not in the book, and last year's tier read from a categorical in another category order.

Gold by 第11条: health premium ≥ 5,000,000 at a loss ratio ≤ 60 %; Silver class C: health ≥
1,000,000. Dates by 第12条 (service from the month after approval), the list approved on 15
January (assumed), a new customer in July (assumed).
"""
from __future__ import annotations

import pandas as pd
import pytest

from conftest import customers
from tiermodel.compare import review_year
from tiermodel.compare.service_year import ServiceYear, date_year
from tiermodel.scoring import score
from tiermodel.tiers import Tiering, assign_tiers

GOLD = {"effective_years": 10, "health_premium": 6_000_000, "health_loss_ratio": 0.50, "profit_margin": 0.07}
SILVER = {"effective_years": 10, "health_premium": 2_000_000, "health_loss_ratio": 0.50, "profit_margin": 0.07}
COLUMNS = ["customer_id", "name", "branch", "branch_class", "tier", "previous_tier", "gold_pool", "is_new",
           "override", "approval_date", "service_start", "service_months", "date_reading"]


def _tier(rows, policy):
    return assign_tiers(score(customers(*rows), policy), policy)


@pytest.fixture(scope="module")
def year(policy):
    # A1 Silver only (existing: continuing), Z1 Gold (existing: continuing), B1 Gold and new
    # (new_customer: approved July, 5 months), R1 Regular; names given
    t = _tier([{**SILVER, "customer_id": "A1", "name": "甲"}, {**GOLD, "customer_id": "Z1", "name": "乙"},
               {**GOLD, "customer_id": "B1", "name": "丙", "effective_years": 1, "is_new": True},
               {"customer_id": "R1", "name": "丁"}], policy)
    return review_year(t, policy, 2026)


def test_vip_table_gold_first_then_by_id(year):
    v = year.vip_table()
    # Gold B1, Z1 (by id), then Silver A1 — though A1 comes first by id; R1 Regular is not a VIP
    assert v["customer_id"].tolist() == ["B1", "Z1", "A1"]
    assert v["name"].tolist() == ["丙", "乙", "甲"]
    assert v["tier"].tolist() == ["gold", "gold", "silver"]
    assert list(v.columns) == COLUMNS and v.index.tolist() == [0, 1, 2]


def test_counts_by_tier_then_reading(year):
    c = year.counts()
    # gold: continuing Z1 (12 months), new_customer B1 (August–December: 5); silver: A1 (12)
    assert c[["tier", "date_reading"]].values.tolist() == [["gold", "continuing"], ["gold", "new_customer"],
                                                           ["silver", "continuing"]]
    assert c["customers"].tolist() == [1, 1, 1] and c["service_months"].tolist() == [12, 5, 12]


def test_vips_on_a_date_columns(year):
    # 3 March: Z1 Gold, A1 Silver; B1 not yet (served from 1 August)
    on = year.vips_on("2026-03-03")
    assert list(on.columns) == ["customer_id", "branch", "tier"]
    assert sorted(on["customer_id"]) == ["A1", "Z1"] and on.index.tolist() == [0, 1]


def test_a_year_of_one_customer_and_an_unknown_id(policy):
    one = review_year(_tier([{**GOLD, "customer_id": "G"}], policy), policy, 2026)
    # G continuing Gold; X is in no list: no tier at all
    assert one.tier_on(["X", "G"], ["2026-03-03", "2026-03-03"]).tolist() == ["", "gold"]


def test_a_table_without_names(policy):
    t = _tier([{**GOLD, "customer_id": "G"}], policy).table.drop(columns=["name"]).assign(override=False)
    sy = ServiceYear(Tiering(date_year(t, policy, 2026)), pd.DataFrame(), 2026)
    assert sy.vip_table()["name"].tolist() == [""]


def test_last_years_tier_from_a_categorical_in_text_order(policy):
    # previous_tier given as a categorical in text order (gold, regular, silver): G was Silver
    # last year, so its reading is "list" (approved 15 January, served from 1 February: 11 months)
    t = _tier([{**GOLD, "customer_id": "G"}], policy).table
    t = t.assign(previous_tier=pd.Categorical(["silver"], categories=["gold", "regular", "silver"]))
    out = date_year(t, policy, 2026)
    assert out["previous_tier"].astype(str).tolist() == ["silver"]
    assert out["date_reading"].astype(str).tolist() == ["list"] and out["service_months"].tolist() == [11]
