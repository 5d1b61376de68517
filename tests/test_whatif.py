"""The what-if explorer's analysis (compare.whatif): hand-worked settings on a small book, the
saved scenario read back, bad settings refused with nothing changed."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
import yaml

import tiermodel as tm
from tiermodel.compare.whatif import WhatIf, branch_places_table, check_scenario_name, scenario_text
from tiermodel.errors import LeverError

from conftest import customers


def _hefei(margin: float, cid: str) -> dict:
    # class C Silver criterion (第11条): non-health premium 200,000 ≥ 100,000 at loss ratio 20 % ≤ 40 %
    return {"customer_id": cid, "branch": "Hefei", "branch_class": "C", "effective_years": 10,
            "non_health_premium": 200_000.0, "non_health_loss_ratio": 0.2, "profit_margin": margin}


@pytest.fixture(scope="module")
def small():
    # Four Silver-eligible customers of Hefei (class C), two Silver places in the branch table.
    # Value index (第10条) = 0.3 × premium coef + 0.3 × loyalty coef × K1 + 0.4 × profit coef × K2:
    # same premiums (coef 0.1: standard premium below the first 附表1 break, 1,000,000) and 10
    # years (附表2 coef 1.0, K1 = K2 = 1.0 for year 4+), so only the profit coefficient (附表3)
    # differs: margin 35 % → 1.0, 25 % → 0.85, 15 % → 0.7, 7 % → 0.5:
    #   P 0.03 + 0.3 + 0.40 = 0.73;  Q 0.03 + 0.3 + 0.34 = 0.67;  R 0.03 + 0.3 + 0.28 = 0.61;
    #   S 0.03 + 0.3 + 0.20 = 0.53.   Two places: P and Q Silver, R and S Regular.
    book = customers(_hefei(0.35, "P"), _hefei(0.25, "Q"), _hefei(0.15, "R"), _hefei(0.07, "S"))
    branches = pd.DataFrame({"branch": ["Hefei"], "branch_class": ["C"], "silver_capacity": [2]})
    return WhatIf(book, tm.load_policy(), branches)


def test_small_book_base(small):
    t = small.base.table.set_index("customer_id")
    assert t["value_index"].to_dict() == pytest.approx({"P": 0.73, "Q": 0.67, "R": 0.61, "S": 0.53})
    assert t["tier"].astype(str).to_dict() == {"P": "silver", "Q": "silver", "R": "regular", "S": "regular"}


def test_one_more_silver_place_brings_in_the_next_customer(small):
    # Hefei 2 → 3 places: R (0.61, third by value index) enters as branch_room, rank 3 of 3;
    # S (0.53) stays Regular; no one leaves; class C Silver 2 → 3
    r = small.apply({"silver_places.Hefei": 3})
    ent = r.entrants()
    assert ent["customer_id"].tolist() == ["R"]
    assert ent.loc[0, ["before", "after", "reason_code"]].tolist() == ["regular", "silver", "branch_room"]
    assert int(ent.loc[0, "rank_after"]) == 3 and int(ent.loc[0, "places"]) == 3
    assert r.leavers().empty
    assert r.counts.loc["C", ["silver_base", "silver_scenario", "silver_change"]].tolist() == [2, 3, 1]
    assert r.counts.loc["total", "gold_change"] == 0
    n = r.reason_notes(ent)[0]
    assert n.code == "whatif.reason.branch_room" and n.fields["rank"] == 3 and n.fields["places"] == 3
    assert tm.present.messages.render(n, "zh")  # the template exists and fills in


def test_movers_match_compare_tierings(small):
    # the explorer's movers are compare_tierings' on the same settings (one machinery)
    r = small.apply({"silver_places.Hefei": 3})
    caps = pd.Series({"Hefei": 3})
    policy = small.policy
    scen = tm.assign_tiers(tm.score(small.portfolio, policy), policy, caps)
    cmp = tm.compare_tierings(small.base, scen, policy, policy)
    ch = cmp.changes()
    assert ch["customer_id"].tolist() == r.movers["customer_id"].tolist()
    assert ch["reason_code"].astype(str).tolist() == r.movers["reason_code"].tolist()
    assert r.budget_change == pytest.approx(float(cmp.budget.loc["total", "cost_change_cny"]))


def test_customer_parts_and_rank(small):
    r = small.apply({"silver_places.Hefei": 3})
    c = r.customer("R")
    # R: premium 0.3 × 0.1 = 0.03, loyalty 0.3 × 1.0 × 1.0 = 0.3, profit 0.4 × 0.7 × 1.0 = 0.28;
    # third of four by value index; rank 3 in Hefei's Silver candidates
    assert c.loc[["premium_part", "loyalty_part", "profit_part", "value_index"], "scenario"].astype(float).tolist() \
        == pytest.approx([0.03, 0.3, 0.28, 0.61])
    assert c.loc["book_rank", "scenario"] == 3 and c.loc["tier", "base"] == "regular"
    assert c.loc["tier", "scenario"] == "silver" and int(c.loc["branch_rank", "scenario"]) == 3


def test_weights_change_rescored(small):
    # profit weight 0.4 → 0.2, premium 0.3 → 0.5: P = 0.05 + 0.3 + 0.2 = 0.55, S = 0.05 + 0.3 + 0.1
    r = small.apply({"value_index.weights.premium": 0.5, "value_index.weights.profit": 0.2})
    t = r.tiering.table.set_index("customer_id")
    assert t.loc["P", "value_index"] == pytest.approx(0.55) and t.loc["S", "value_index"] == pytest.approx(0.45)


@pytest.mark.parametrize("changes, code, lever", [
    ({"value_index.weights.premium": 0.31}, "weights_sum", None),  # 0.31 + 0.3 + 0.4 = 1.01
    ({"eligibility.silver.C.non_health_premium_min": -1.0}, "negative", "eligibility.silver.C.non_health_premium_min"),
    ({"gold_selection.existing_places": 30.5}, "places", "gold_selection.existing_places"),
    ({"silver_places.Hefei": -1}, "places", "silver_places.Hefei"),
    ({"silver_places.Nowhere": 3}, "unknown_branch", "silver_places.Nowhere"),
    ({"value_index.k1.year_9": 1.0}, "unknown_lever", "value_index.k1.year_9"),
    ({"value_index.k2.year_1": "x"}, "not_number", "value_index.k2.year_1"),
    ({"eligibility.gold.health_premium_min": 10.0}, "policy", None),  # Gold below Silver A: refused by the policy
])
def test_bad_settings_refused_and_nothing_changes(small, changes, code, lever):
    before = small.apply({"silver_places.Hefei": 3})
    cap = small.capacity.copy()
    with pytest.raises(LeverError) as exc:
        small.apply(changes)
    assert exc.value.note.code == f"whatif.error.{code}"
    if lever:
        assert lever in str(exc.value) and exc.value.note.fields["lever"] == lever
    assert tm.present.messages.render(exc.value.note, "zh")
    # nothing changed: the base and the answer to the last good setting are as they were
    assert small.capacity.equals(cap) and small.policy.scenario is None
    after = small.apply({"silver_places.Hefei": 3})
    assert after.movers.equals(before.movers) and after.counts.equals(before.counts)


def test_weights_within_tolerance_accepted(small):
    # 0.3 + 1e-10: the sum is 1 + 1e-10, within 1e-9 of 1 (第10条 checked to 1e-9)
    r = small.apply({"value_index.weights.premium": 0.3 + 1e-10, "value_index.weights.loyalty": 0.3})
    assert r.settings["value_index.weights.premium"] == pytest.approx(0.3)


@pytest.mark.parametrize("name, code", [("", "name_empty"), ("  ", "name_empty"), ("weights-equal", "name_shipped"),
                                        ("silver-capacity-doubled", "name_shipped"), ("../x", "name_chars")])
def test_scenario_names_refused(name, code):
    with pytest.raises(LeverError) as exc:
        check_scenario_name(name)
    assert exc.value.note.code == f"whatif.error.{code}"


def test_saved_scenario_equals_settings_and_reads_back(small, tmp_path):
    settings = {"value_index.k2.year_4_plus": 1.2, "eligibility.silver.C.health_premium_min": 1_500_000.0,
                "gold_selection.existing_places": 32, "silver_places.Hefei": 3}
    text = scenario_text(settings, "委员会会上的问题：如果……", "meeting-q1", small.policy)
    tree = yaml.safe_load(text)
    assert tree["value_index"]["k2"]["year_4_plus"] == {"value": 1.2, "assumed": True,
                                                        "reason": "委员会会上的问题：如果……"}
    assert tree["gold_selection"]["existing_places"]["value"] == 32
    assert "silver_places" not in tree  # branch places are branch-table data, not a parameter
    path = tmp_path / "meeting-q1.yaml"
    path.write_text(text, encoding="utf-8")
    back = tm.load_policy(scenario=str(path))
    leaves = back.as_leaves()
    for p, v in settings.items():
        if not p.startswith("silver_places."):
            assert leaves[p] == v and back.provenance[p].scenario == "meeting-q1"
    base = small.policy.as_leaves()
    assert {p for p in leaves if leaves[p] != base[p]} == {p for p in settings if not p.startswith("silver_places.")}
    # the command line reads it back too
    done = subprocess.run([sys.executable, "-m", "tiermodel", "params", "show", "--scenario", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "value_index.k2.year_4_plus" in done.stdout and "scenario:meeting-q1" in done.stdout
    # the branch places as a branch table: every branch, Hefei at 3
    table = branch_places_table(settings, small.capacity, small.branch_class)
    assert table.to_dict("list") == {"branch": ["Hefei"], "branch_class": ["C"], "silver_capacity": [3]}


def test_scenario_text_refuses(small):
    with pytest.raises(LeverError) as exc:
        scenario_text({"silver_places.Hefei": 3}, "r", "only-branches", small.policy)
    assert exc.value.note.code == "whatif.error.nothing_changed"
    with pytest.raises(LeverError) as exc:
        scenario_text({"value_index.k2.year_1": 1.1}, "  ", "no-reason", small.policy)
    assert exc.value.note.code == "whatif.error.reason_empty"


def test_starting_from_a_shipped_scenario(small):
    scen = tm.load_policy("silver-capacity-doubled")
    settings = small.settings_of(scen)
    # A 40 → 80, B 30 → 60, C 20 → 40, D 20 → 40 (the scenario file)
    assert settings == {f"silver_selection.capacity_per_class.{c}": v for c, v in
                        {"A": 80, "B": 60, "C": 40, "D": 40}.items()}
    # Hefei's places come from the branch table (2), not the class default: nothing moves
    assert small.apply(settings).movers.empty



@pytest.mark.parametrize("changes", [{"value_index.k2.year_4_plus": 1.2},
                                     {"eligibility.gold.health_premium_min": 4_000_000.0},
                                     {"gold_selection.existing_places": 25,
                                      "silver_selection.capacity_per_class.B": 20}])
def test_movers_and_budget_are_compare_tierings_on_the_sample(changes):
    # the explorer compares only the customers whose tier changed: the same rows, reasons, ranks
    # and budget change as the full comparison of the two lists
    inputs = tm.load_inputs()
    w = WhatIf(inputs.portfolio, inputs.policy, inputs.branches)
    r = w.apply(changes)
    policy = inputs.policy.with_values(changes)
    cmp = tm.compare_tierings(inputs.tiering(), inputs.tiering(policy), inputs.policy, policy)
    a = r.movers.sort_values("customer_id").reset_index(drop=True)
    b = cmp.changes().sort_values("customer_id").reset_index(drop=True)
    assert len(a) > 0 and a["customer_id"].tolist() == b["customer_id"].astype(str).tolist()
    assert a["reason_code"].tolist() == b["reason_code"].astype(str).tolist()
    assert a["rank_after"].astype("Float64").fillna(-1).tolist() == b["rank_after"].astype("Float64").fillna(-1).tolist()
    assert r.budget_change == pytest.approx(float(cmp.budget.loc["total", "cost_change_cny"]))
    assert int(r.counts.loc["total", "silver_scenario"]) == int((cmp.table["after"] == "silver").sum())


@pytest.mark.parametrize("changes", [{"value_index.k2.year_4_plus": 1.2, "value_index.k1.year_2": 2.5},
                                     {"value_index.weights.premium": 0.2, "value_index.weights.profit": 0.5}])
def test_recombined_value_index_is_the_book_scored_again(changes):
    # weights and K change only how the three coefficients combine: the explorer recombines the
    # base's coefficients; the result equals scoring the book under the changed policy
    inputs = tm.load_inputs()
    w = WhatIf(inputs.portfolio, inputs.policy, inputs.branches)
    r = w.apply(changes)
    again = tm.score(inputs.portfolio, inputs.policy.with_values(changes))
    for col in ("k1", "k2", "value_index"):
        assert r.tiering.table[col].to_numpy() == pytest.approx(again[col].to_numpy(), abs=0, rel=0), col
