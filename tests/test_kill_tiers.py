"""tiers.py with a categorical branch column holding a branch no customer is in (a book filtered
from a larger one keeps its categories): the Silver capacity and the selection notes count the
branches of the book only.

Silver class C (第11条): health premium ≥ 1,000,000 at a loss ratio ≤ 60 %; capacity per class
(silver_selection.capacity_per_class, assumed): class C 20 places.
"""
from __future__ import annotations

import pandas as pd

from conftest import customers
from tiermodel.scoring import score
from tiermodel.tiers import assign_tiers, branch_capacity, selection_notes

SILVER = {"health_premium": 2_000_000, "health_loss_ratio": 0.50, "profit_margin": 0.07}


def _book():
    # A (East) Silver-eligible; B (West) meets no criterion
    return customers({**SILVER, "customer_id": "A", "branch": "East"}, {"customer_id": "B", "branch": "West"})


def _with_north(table):
    return table.assign(branch=pd.Categorical(table["branch"], categories=["East", "North", "West"]))


def test_capacity_of_the_branches_in_the_book_only(policy):
    cap = branch_capacity(_with_north(_book()), policy)
    # East and West (class C): 20 places each; North holds no customer: no capacity
    assert cap.to_dict() == {"East": 20, "West": 20}


def test_selection_notes_count_the_branches_of_the_list(policy):
    t = assign_tiers(score(_book(), policy), policy)
    notes = selection_notes(_with_north(t.table), policy, t.capacity)
    # East: 1 Silver candidate for 20 places; West: 0 for 20 — both short; North is no branch
    # of the list (no customer, no capacity): 2 of 2 branches, not 2 of 3
    last = notes[-1]
    if isinstance(last, str):
        assert last.startswith("2 of 2 branches have fewer Silver candidates than Silver places")
    else:  # a note as data (tiermodel.notes.Note): its two counts
        assert sorted(v for v in last.fields.values() if isinstance(v, int)) == [2, 2]
