"""compare/standings.py at its edges: the tier codes of a categorical in another category order,
the branch order of the Silver cut lines, another list's branches never borrowed, and the 第11条
criteria bits of a history that holds some of them.

Bits (第11条, tiers.criteria_met): 1 long-term premium, 2 health premium, 4 non-health premium.
Gold: health ≥ 5,000,000 at loss ratio ≤ 60 %; Silver class C: health ≥ 1,000,000 at ≤ 60 %.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from tiermodel.compare.standings import places, standing

FIGS = {"long_term_std_premium": 0.0, "non_health_premium": 0.0, "non_health_loss_ratio": 0.0}


def test_tier_codes_of_a_categorical_in_text_order(policy):
    # categories in text order (gold, regular, silver), not the tier order: codes are still
    # 0 Gold, 1 Silver, 2 Regular — silver is 1, not its category position 2
    tier = pd.Categorical(["silver", "regular", "gold"], categories=["gold", "regular", "silver"])
    st = standing(pd.DataFrame({"customer_id": ["S", "R", "G"], "tier": tier}), policy)
    assert st["tier"].tolist() == [1, 2, 0]


def test_silver_cut_lines_in_branch_order(policy):
    # branches given as text, West first: the standing's branches and the cut lines per branch
    # come in name order (East, West). East: one Silver at 0.40 of capacity 1 → full, cut 0.40;
    # West: one Silver at 0.55 of capacity 3 → room, −inf
    t = pd.DataFrame({"customer_id": ["W1", "E1"], "tier": ["silver", "silver"], "branch": ["West", "East"],
                      "value_index": [0.55, 0.40]})
    st = standing(t, policy)
    assert list(st["branch"].categories) == ["East", "West"]
    assert list(st["branch"]) == ["West", "East"]
    pl = places(st, policy, pd.Series({"West": 3, "East": 1}))
    assert pl.silver_cut.index.tolist() == ["East", "West"]
    assert pl.silver_cut.tolist() == [0.40, -np.inf]


def test_another_lists_branches_not_borrowed(policy):
    # ``like`` is reused only for the same id array; a different list keeps its own branches
    a = pd.DataFrame({"customer_id": ["X"], "tier": ["gold"], "branch": ["East"], "branch_class": ["A"]})
    b = pd.DataFrame({"customer_id": ["Y"], "tier": ["gold"], "branch": ["West"], "branch_class": ["D"]})
    st = standing(b, policy, like=standing(a, policy))
    assert list(st["branch"]) == ["West"] and list(st["branch_class"]) == ["D"]


def _history(**bits):
    # X: health 6,000,000 at 50 % → Gold bit 2 and Silver (class C) bit 2;
    # Y: health 1,500,000 at 50 % → no Gold bit, Silver bit 2
    return pd.DataFrame({"customer_id": ["X", "Y"], "tier": ["gold", "silver"], "branch_class": ["C", "C"],
                         "health_premium": [6e6, 1.5e6], "health_loss_ratio": [0.5, 0.5], **FIGS, **bits})


def test_bits_of_the_history_kept_when_it_holds_both(policy):
    # both bit columns given (0 and 4, whatever the figures say): kept as they are, not worked out
    st = standing(_history(gold_bits=[0, 0], silver_bits=[4, 4]), policy)
    assert st["gold_bits"].tolist() == [0, 0] and st["silver_bits"].tolist() == [4, 4]


def test_bits_worked_out_when_the_history_holds_only_one_side(policy):
    # only Gold bits given: both sides worked out from the figures (Gold 2, 0; Silver 2, 2)
    st = standing(_history(gold_bits=[0, 0]), policy)
    assert st["gold_bits"].tolist() == [2, 0] and st["silver_bits"].tolist() == [2, 2]
    # only Silver bits given: the same
    st = standing(_history(silver_bits=[0, 0]), policy)
    assert st["gold_bits"].tolist() == [2, 0] and st["silver_bits"].tolist() == [2, 2]
