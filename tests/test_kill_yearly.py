"""compare/yearly.py at its edges: the movers per branch without a branch of Regular movers only,
the order and columns of the changes and of this year's Gold list, the years and the Silver
capacity taken from the right place, and a transition matrix of text states.

Tables of RULES.md §2 (assumed defaults): 附表1 premium 5–10M → 0.30; 附表2 loyalty year 10 →
1.00 (K1 1.0); 附表3 margin 0–5 % → 0.30, 10–20 % → 0.70; value = premium × 0.30 + loyalty ×
0.30 × K1 + profit × 0.40. Gold (第11条): health ≥ 5,000,000 at loss ratio ≤ 60 %.
"""
from __future__ import annotations

import pandas as pd
import pytest

from conftest import customers
from tiermodel.compare import year_over_year
from tiermodel.compare.yearly import entrants_leavers, transition_matrix
from tiermodel.history import history_from_tiering
from tiermodel.scoring import score
from tiermodel.tiers import assign_tiers

# health 6,000,000 at 50 % (Gold- and Silver-eligible), year 10
VIP = {"effective_years": 10, "health_premium": 6_000_000, "health_loss_ratio": 0.50, "branch": "East"}


@pytest.fixture(scope="module")
def one_place(policy):
    # one existing and one new Gold place, so two eligible customers split into Gold and Silver
    return policy.with_values({"gold_selection.existing_places": 1, "gold_selection.new_places": 1},
                              note="test")


def _tier(rows, policy):
    return assign_tiers(score(customers(*rows), policy), policy)


@pytest.fixture(scope="module")
def lists(one_place):
    """Last year (2025): A margin 15 %: 0.09 + 0.30 + 0.70 × 0.40 = 0.67 → Gold;
    B margin 2 %: 0.09 + 0.30 + 0.30 × 0.40 = 0.51 → Silver (East, class C: 20 places);
    R (West) no premium, no criterion → Regular.
    This year (2026): A no health premium → no criterion → Regular (Gold → Regular);
    B margin 15 %: 0.67 → the one Gold place (Silver → Gold); R has left the book."""
    last = _tier([{**VIP, "customer_id": "A", "profit_margin": 0.15},
                  {**VIP, "customer_id": "B", "profit_margin": 0.02},
                  {"customer_id": "R", "branch": "West"}], one_place)
    this = _tier([{**VIP, "customer_id": "A", "health_premium": 0.0, "profit_margin": 0.15},
                  {**VIP, "customer_id": "B", "profit_margin": 0.15}], one_place)
    return last, this


def test_movers_per_branch_leave_out_a_branch_of_regular_movers_only(lists, one_place):
    last, this = lists
    yoy = year_over_year(last, this, one_place)
    out = entrants_leavers(yoy.table, "branch")
    # East: A Gold out; B Gold in and Silver out. West: R Regular → not in book, no VIP move: no row
    assert out.index.tolist() == ["East", "total"]
    assert out.loc["East"].to_dict() == {"gold_in": 1, "gold_out": 1, "silver_in": 0, "silver_out": 1,
                                         "gold_net": 0, "silver_net": -1}


def test_changes_vip_moves_by_last_years_tier_then_the_rest(lists, one_place):
    last, this = lists
    yoy = year_over_year(last, this, one_place)
    ch = yoy.changes()
    # every move: A Gold → Regular (a VIP move, last year Gold), B Silver → Gold (a VIP move, last
    # year Silver), then R Regular → not in book (no VIP on either side)
    assert ch["customer_id"].tolist() == ["A", "B", "R"]
    assert list(ch.columns) == list(yoy.table.columns)  # no extra index column
    assert ch.index.tolist() == [0, 1, 2]


def test_gold_list_columns(lists, one_place):
    last, this = lists
    g = year_over_year(last, this, one_place).gold
    assert g["customer_id"].tolist() == ["B"] and g["last_tier"].tolist() == ["silver"]
    assert list(g.columns) == ["gold_pool", "tier_rank", "customer_id", "branch", "branch_class", "value_index",
                               "last_tier", "last_rank", "last_value_index", "reason_code", "reason"]
    assert g.index.tolist() == [0]


def test_this_years_list_as_history_and_explicit_years(lists, one_place):
    last, this = lists
    # this year's list given as one year of history (no Tiering, no capacity): the year read
    # from its first row; the capacity from the list itself (Silver held)
    this_hist = history_from_tiering(this.table.iloc[[1]].reset_index(drop=True), 2026)
    yoy = year_over_year(last, this_hist, one_place)
    assert (yoy.last_year, yoy.this_year) == (None, 2026)
    assert yoy.table.set_index("customer_id").loc["B", "after"] == "gold"
    # an explicit year wins over the history's own
    yoy = year_over_year(last, this_hist, one_place, this_year=2027)
    assert yoy.this_year == 2027


def test_a_given_capacity_wins_over_the_lists_own(one_place):
    # Last year East had 1 Silver place: G margin 15 % (0.67) the one Gold place; S1 margin 7 %
    # (0.09 + 0.30 + 0.50 × 0.40 = 0.59) the Silver place; X margin 2 % (0.51) 2nd → Regular.
    # This year (the list's own capacity: 20, class C) X margin 7 %: 0.59 → Silver beside S1.
    g = {**VIP, "customer_id": "G", "profit_margin": 0.15}
    s1 = {**VIP, "customer_id": "S1", "profit_margin": 0.07}
    last = assign_tiers(score(customers(g, s1, {**VIP, "customer_id": "X", "profit_margin": 0.02}), one_place),
                        one_place, pd.Series({"East": 1}))
    this = _tier([g, s1, {**VIP, "customer_id": "X", "profit_margin": 0.07}], one_place)
    assert last.table["tier"].astype(str).tolist() == ["gold", "silver", "regular"]
    assert this.table["tier"].astype(str).tolist() == ["gold", "silver", "silver"]
    # 20 places, 2 held: the branch had room → branch_room
    own = year_over_year(last, this, one_place).table.set_index("customer_id")
    assert own.loc["X", "reason_code"] == "branch_room"
    # the committee's capacity of 2, both held: the cut line is 0.59 and X's 0.51 last year was
    # below it → its value rose
    given = year_over_year(last, this, one_place, capacity=pd.Series({"East": 2})).table.set_index("customer_id")
    assert given.loc["X", "reason_code"] == "value_rose"


def test_transition_matrix_of_text_states():
    # states as text (not categoricals): the states no customer has are rows and columns of 0
    t = pd.DataFrame({"before": ["gold", "silver", "none"], "after": ["gold", "none", "silver"]})
    m = transition_matrix(t)
    assert m.index.tolist() == ["gold", "silver", "regular", "none", "total"]
    assert m.columns.tolist() == ["gold", "silver", "regular", "none", "total"]
    assert m.loc["gold"].tolist() == [1, 0, 0, 0, 1]
    assert m.loc["silver"].tolist() == [0, 0, 0, 1, 1]
    assert m.loc["regular"].tolist() == [0, 0, 0, 0, 0]
    assert m.loc["none"].tolist() == [0, 1, 0, 0, 1]
    assert m.loc["total"].tolist() == [1, 1, 0, 1, 3]


def test_vip_moves_and_reason_totals(lists, one_place):
    last, this = lists
    yoy = year_over_year(last, this, one_place)
    # A Gold → Regular and B Silver → Gold are VIP moves; R Regular → not in book is not
    mv = yoy.vip_moves()
    assert mv["customer_id"].tolist() == ["A", "B"] and mv.index.tolist() == [0, 1]
    assert list(mv.columns) == list(yoy.table.columns)
    # one customer per reason: two reasons of one customer each
    tot = yoy.reason_totals()
    assert list(tot.columns) == ["reason_code", "customers"] and tot["customers"].tolist() == [1, 1]
    assert tot["reason_code"].iloc[0] != tot["reason_code"].iloc[1]
