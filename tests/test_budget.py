"""VIP service budget (tiermodel.budget): hand-worked costs, Monte Carlo against the
deterministic estimate, empty lists, bad catalogue entries, the revisit load, the CLI."""
from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest
import yaml

from tiermodel import budget
from tiermodel.errors import ParameterError
from tiermodel.run_inputs import load_inputs
from tiermodel.policy import PARAMS_DIR, load_policy

# service months share of a continuing VIP (same tier last year): served all year, no January
# gap; only newly rated customers start the month after approval (第12条)
M = 12 / 12


@pytest.fixture(scope="module")
def policy():
    return load_policy()


@pytest.fixture(scope="module")
def sample_tiers():
    inputs = load_inputs()
    return inputs.tiering().table, inputs.policy


def tier_table(rows):
    """A minimal tier list: (id, branch, class, tier, is_new, first persons, second persons)."""
    return pd.DataFrame(rows, columns=["customer_id", "branch", "branch_class", "tier", "is_new",
                                       "first_service_objects", "second_service_objects"])


ONE_GOLD_ONE_SILVER = tier_table([
    ("G1", "Beijing", "A", "gold", False, 2, 1),
    ("S1", "Anhui", "C", "silver", False, 1, 2),
    ("R1", "Anhui", "C", "regular", False, 1, 1),
])

# Yearly cost of each service [CNY, 2003 prices], worked out from the catalogue of
# params/policy-2003.yaml. G1: class-A branch alone in Beijing, 2 first + 1 second key
# persons (3 in all), insured before this year and (by the flagged default) Gold last year
# too: 12 service months. S1: class-C branch alone in Anhui, 1 first + 2 second (3 in all),
# 12 months.
GOLD_EXPECTED = {
    "vip_handbook": 50,                       # 1 × 50
    "sos_assistance": 300,                    # 1 × 300
    "home_service_specialist": 4 * 0.5 * 150 * M,  # 4 visits × take-up 0.5 × 150 = 300
    "vip_hotline": 6000,                      # the branch's whole line: G1 is its only VIP
    "monthly_mailing": 12 * 15 * M,           # 180
    "revisit_gold": 3 * 500,                  # 第18条 2③ three revisits × 500 = 1,500
    "birthday_first_object": 2 * 120 * M,     # 第18条 2④ 2 persons × 120 = 240
    "birthday_second_object": 1 * 80 * M,     # 1 person × 80 = 80
    "festival_gifts": 3 * 2 * 200 * M,        # 第18条 2⑤ 3 persons × 2 festivals × 200 = 1,200
    "hospital_visit": 3 * 0.05 * 200 * M,     # 3 persons × 5 % × 200 (cap) = 30
    "sms_greetings": 3 * 3 * 0.1 * M,         # 0.9
    "policy_report": 2 * 30 * M,              # 60
    "celebration_gift": 0.2 * 1000 * M,       # 200
    "satisfaction_survey": 50,
    "reception_room": 20000,                  # class A: independent room, G1 alone
    "health_check": 2 * 0.8 * 1500,           # 第19条 1: 2 leaders × 80 % × 1,500 = 2,400
    "club_event": 0.7 * 3000,                 # 2,100
    "study_tour": 0.4 * 20000,                # 8,000
    "concierge_card": 2 * 300,                # 600
    "wealth_adviser": 2 * 2000 * M,           # 4,000
    "website_promotion": 0,
    "hq_vip_hotline": 60000 / 2,              # 第26条 8 one head-office line, shared by G1 and S1
    "top_client_club_membership": 2000,       # 第16条 1 the chairman/GM of a Gold customer
}
SILVER_EXPECTED = {
    "vip_handbook": 50, "sos_assistance": 300, "home_service_specialist": 4 * 0.5 * 150 * M,
    "vip_hotline": 6000, "monthly_mailing": 12 * 15 * M,
    "revisit_silver": 2 * 500,                # 第18条 2③ two revisits × 500 = 1,000
    "birthday_first_object": 1 * 120 * M,     # 120
    "birthday_second_object": 2 * 80 * M,     # 160
    "festival_gifts": 3 * 2 * 200 * M,        # 1,200
    "hospital_visit": 3 * 0.05 * 200 * M, "sms_greetings": 3 * 3 * 0.1 * M,
    "policy_report": 2 * 30 * M, "celebration_gift": 0.2 * 1000 * M, "satisfaction_survey": 50,
    "designated_receptionist": 8000,          # class C: designated receptionist
    "hq_vip_hotline": 60000 / 2,              # the other half of head office's line
}
# Totals: Gold head office 50 + 300 + 0.9 + 50 + 2,100 + 8,000 + 600 + 30,000 + 2,000 = 43,100.9
#         + branch 300 + 6,000 + 180 + 1,500 + 240 + 80 + 1,200 + 30 + 60 + 200 + 20,000
#         + 2,400 + 4,000 = 36,190 -> 79,290.9;
#         Silver head office 50 + 300 + 0.9 + 50 + 30,000 = 30,400.9 + branch 300 + 6,000 + 180
#         + 1,000 + 120 + 160 + 1,200 + 30 + 60 + 200 + 8,000 = 17,250 -> 47,650.9.


def test_one_gold_one_silver_by_hand(policy):
    est = budget.estimate(ONE_GOLD_ONE_SILVER, policy, 2003)
    assert list(est.vips["customer_id"]) == ["G1", "S1"]  # the Regular customer costs nothing
    gold, silver = est.cost.loc["G1"], est.cost.loc["S1"]
    for item, cost in gold.items():
        assert cost == pytest.approx(GOLD_EXPECTED.get(item, 0.0)), item
    for item, cost in silver.items():
        assert cost == pytest.approx(SILVER_EXPECTED.get(item, 0.0)), item
    assert gold.sum() == pytest.approx(79290.9, abs=0.01)
    assert silver.sum() == pytest.approx(47650.9, abs=0.01)
    by_payer = est.by_payer()
    assert by_payer.loc["head_office", "gold"] == pytest.approx(43100.9)
    assert by_payer.loc["branch", "silver"] == pytest.approx(17250.0)
    by_tier = est.by_tier()
    assert by_tier.loc["gold", "cost_per_customer_cny"] == pytest.approx(79290.9, abs=0.01)


def test_annex7_layout_and_totals(policy):
    table = budget.estimate(ONE_GOLD_ONE_SILVER, policy, 2003).annex7()
    for column in ("label", "unit_cost_cny", "quantity", "gold_cny", "silver_cny", "total_cny",
                   "payer", "status"):
        assert column in table
    assert table.loc["total", "total_cny"] == pytest.approx(79290.9 + 47650.9, abs=0.02)
    # sourced numbers stay sourced: birthday 120 / 80, festivals 2 × 200 (第18条 2④⑤)
    assert table.loc["birthday_first_object", "unit_cost_cny"] == 120
    assert table.loc["birthday_second_object", "unit_cost_cny"] == 80
    # split provenance: numbers from the text, payer/basis/proration ours
    assert table.loc["festival_gifts", "status"] == "sourced numbers, assumed terms"
    assert "第18条 2⑤" in table.loc["festival_gifts", "provenance"]
    assert table.loc["study_tour", "status"] == "assumed"
    # quantities: festival gifts 2 × 6 persons × 12/12 = 12; hospital visits budgeted at the 200 cap
    assert table.loc["festival_gifts", "quantity"] == pytest.approx(12.0)
    # head office's VIP line is one line for the whole list (第26条 8)
    assert table.loc["hq_vip_hotline", "quantity"] == pytest.approx(1.0)
    assert table.loc["hq_vip_hotline", "payer"] == "head_office"
    assert table.loc["hospital_visit", "unit_cost_cny"] == 200


def test_list_totals_by_hand_and_as_estimate(policy, sample_tiers):
    book = ONE_GOLD_ONE_SILVER
    lists = np.array([["gold", "silver", "regular"],     # 79,290.9 + 47,650.9 (worked out above)
                      ["regular", "regular", "regular"],  # no VIP: nothing to pay
                      ["silver", "gold", "regular"]])
    totals = budget.list_totals(book, lists, policy, 2003)
    assert totals[0] == pytest.approx(79290.9 + 47650.9, abs=0.02)
    assert totals[1] == 0
    # each list costs, to the last bit, what estimate gives for it
    assert totals[2] == budget.estimate(book.assign(tier=lists[2]), policy, 2003).total
    table, sample_policy = sample_tiers
    rng = np.random.default_rng(5)
    many = rng.choice(["gold", "silver", "regular"], size=(6, len(table)), p=[0.02, 0.1, 0.88])
    expected = [budget.estimate(table.assign(tier=row), sample_policy, 2026).total for row in many]
    assert budget.list_totals(table, many, sample_policy, 2026).tolist() == expected


def test_branch_service_shared_by_head_count(policy):
    # G1 and S1 in the same class-A branch share its hotline (6,000) and room (20,000) 50/50
    both = tier_table([("G1", "Beijing", "A", "gold", False, 1, 1),
                       ("S1", "Beijing", "A", "silver", False, 1, 1)])
    annex = budget.estimate(both, policy, 2003).annex7()
    assert annex.loc["vip_hotline", ["gold_cny", "silver_cny"]].tolist() == pytest.approx([3000, 3000])
    assert annex.loc["reception_room", "quantity"] == pytest.approx(1.0)  # one room
    assert annex.loc["designated_receptionist", "total_cny"] == 0


def test_price_index_and_new_gold_months(policy):
    # 2027: (1 + 2.5 %) ** 24 = 1.80873...
    assert budget.price_factor(policy, 2027) == pytest.approx(1.025 ** 24)
    est = budget.estimate(ONE_GOLD_ONE_SILVER, policy, 2027)
    assert est.annex7().loc["birthday_first_object", "unit_cost_cny"] == pytest.approx(120 * 1.025 ** 24)
    # a new customer's Gold place is filled in July (assumed): service August–December = 5
    # months; a continuing Gold customer is served all year (12); a new Silver customer is
    # approved in July too (assumed): 5 months
    assert budget.service_months(["gold", "gold", "silver"], [False, True, True], policy).tolist() == [12, 5, 5]
    # newly rated this year (previous tier regular), approved in January: February–December = 11;
    # an approval date in March: April–December = 9
    assert budget.service_months(["silver", "silver"], [False, False], policy, ["regular", "regular"],
                                 [float("nan"), 3]).tolist() == [11, 9]
    new_gold = tier_table([("G2", "Beijing", "A", "gold", True, 1, 1)])
    cost = budget.estimate(new_gold, policy, 2003).cost.loc["G2"]
    assert cost["monthly_mailing"] == pytest.approx(12 * 15 * 5 / 12)  # 75: pro-rated
    assert cost["revisit_gold"] == 1500  # the yearly minimum still applies


def test_no_vips_no_variable_cost(policy):
    nobody = tier_table([("R1", "Anhui", "C", "regular", False, 1, 1),
                         ("R2", "Beijing", "A", "regular", True, 2, 2)])
    est = budget.estimate(nobody, policy, 2004)
    assert est.total == 0
    assert est.annex7().loc["total", "total_cny"] == 0
    fc = budget.simulate(nobody, policy, 2004, n_sims=500, seed=1)
    assert fc.totals("total")["total"].eq(0).all()


def test_monte_carlo_mean_matches_estimate(sample_tiers):
    table, policy = sample_tiers
    est = budget.estimate(table, policy, 2004)
    # Gold places raised far above the 40 on the list, so the 第13条 cap never binds here
    # (the cap is tested below): base scenario, churn = new business, so the mean is the
    # deterministic estimate; the standard error of the mean is about
    # 130,000 / sqrt(20,000) < 1,000 CNY on ~2.9 M, so 0.5 % is a wide margin.
    policy = policy.with_values({"gold_selection.existing_places": 1000})
    fc = budget.simulate(table, policy, 2004, n_sims=20_000, seed=7)
    assert fc.totals("total")["total"].mean() == pytest.approx(est.total, rel=0.005)
    tiers = fc.quantiles("tier")
    assert tiers.loc["gold", "mean"] == pytest.approx(est.by_tier().loc["gold", "cost_cny"], rel=0.01)
    assert tiers.loc["silver", "mean"] == pytest.approx(est.by_tier().loc["silver", "cost_cny"], rel=0.01)
    payer = fc.quantiles("payer")
    assert payer.loc["head_office", "mean"] == pytest.approx(est.by_payer().loc["head_office", "total"], rel=0.01)
    summary = fc.summary()
    assert (summary["P50"] <= summary["P90"]).all() and (summary["P90"] <= summary["P95"]).all()
    by_branch = fc.quantiles("branch")
    assert set(by_branch.index) == set(est.by_branch().index)


def test_monte_carlo_mean_below_estimate_when_gold_list_is_full(sample_tiers):
    # the sample's Gold list is full (40 of 40 places, 第13条): a simulated year with more
    # Gold gains than losses is cut back to 40, one with fewer is not topped up, so the mean
    # Gold count is about 38.9 (see below) and the mean Gold cost about 1.1 / 40 ≈ 3 % below
    # the deterministic estimate, which counts the 40 on the list
    table, policy = sample_tiers
    est = budget.estimate(table, policy, 2004)
    fc = budget.simulate(table, policy, 2004, n_sims=20_000, seed=7)
    gold_mean = fc.quantiles("tier").loc["gold", "mean"]
    gold_est = est.by_tier().loc["gold", "cost_cny"]
    assert gold_mean < gold_est
    assert gold_mean == pytest.approx(gold_est * (1 - 1.1 / 40), rel=0.02)
    assert "below" in budget.simulate.__doc__


def test_continuing_and_new_vips_service_months(policy):
    # previous_tier given: C1 Silver last year and this year -> 12 months; C2 regular last year,
    # Silver now, approved in January -> February–December = 11; C3 new customer rated Silver,
    # approval date 2003-09-10 -> October–December = 3
    t = tier_table([("C1", "Anhui", "C", "silver", False, 1, 1), ("C2", "Anhui", "C", "silver", False, 1, 1),
                    ("C3", "Anhui", "C", "silver", True, 1, 1)])
    t["previous_tier"] = ["silver", "regular", ""]
    t["approval_date"] = [None, None, "2003-09-10"]
    vips = budget.vip_table(t, policy)
    assert vips["service_months"].tolist() == [12, 11, 3]


def test_simulated_gold_never_exceeds_its_places(sample_tiers):
    # 第13条: 30 + 10 = 40 Gold places. Base scenario: next year's Gold = 40 + Poisson(40 × 0.10)
    # − Binomial(40, 0.10), variance 4 + 3.6 = 7.6 (sd 2.76); capping at 40 removes the upper
    # tail, E[max(X − 40, 0)] ≈ 0.40 × 2.76 ≈ 1.1 customers, so the mean Gold count is about
    # 38.9: below 40, and above 40 − 2 × 1.1.
    table, policy = sample_tiers
    fc = budget.simulate(table, policy, 2004, n_sims=20_000, seed=7)
    gold = fc.vip_count[:, fc.groups["tier"].to_numpy() == "gold"].sum(axis=1)
    assert gold.max() == 40
    assert 40 - 2.2 < gold.mean() < 40
    # the trimmed draws lose whole customers from the Gold groups, never from Silver
    silver = fc.vip_count[:, fc.groups["tier"].to_numpy() == "silver"].sum(axis=1)
    assert silver.mean() == pytest.approx(520, abs=1.0)  # the sample's 520 Silver (A 40 · B 30 · C 20 · D 20 places)


def test_monte_carlo_no_uncertainty_equals_estimate(policy):
    # no churn, no new business, full take-up, no events, no inflation spread: every
    # simulated year costs exactly the deterministic estimate
    fixed = policy.with_values({
        "budget_assumptions.vip_count_scenarios.base": {"gold_churn": 0, "gold_new": 0,
                                                        "silver_churn": 0, "silver_new": 0},
        "service_catalogue.health_check.take_up": 1.0,
        "service_catalogue.club_event.take_up": 1.0,
        "service_catalogue.study_tour.take_up": 1.0,
        "service_catalogue.hospital_visit.variation": "none",
        "service_catalogue.celebration_gift.variation": "none",
        "price_index.annual_rate_sd": 0.0,
    }, note="test")
    est = budget.estimate(ONE_GOLD_ONE_SILVER, fixed, 2010)
    fc = budget.simulate(ONE_GOLD_ONE_SILVER, fixed, 2010, n_sims=50, seed=3)
    assert np.allclose(fc.totals("total")["total"], est.total)


def test_simulation_is_reproducible_and_count_cases_shift(sample_tiers):
    table, policy = sample_tiers
    a = budget.simulate(table, policy, 2004, n_sims=3000, seed=11).summary()
    b = budget.simulate(table, policy, 2004, n_sims=3000, seed=11).summary()
    pd.testing.assert_frame_equal(a, b)
    churn = budget.simulate(table, policy, 2004, n_sims=3000, seed=11, count_case="high_churn")
    growth = budget.simulate(table, policy, 2004, n_sims=3000, seed=11, count_case="growth")
    assert churn.summary().loc["total", "mean"] < a.loc["total", "mean"] < growth.summary().loc["total", "mean"]
    with pytest.raises(ParameterError, match="no VIP-count case 'boom'"):
        budget.simulate(table, policy, 2004, n_sims=10, count_case="boom")
    path = budget.forecast_path(table, policy, 2004, n_years=3, n_sims=2000, seed=1)
    assert list(path.index) == [2004, 2005, 2006]
    assert (path["P95"] >= path["P5"]).all()


@pytest.mark.parametrize("change, path, words", [
    ({"service_catalogue.health_check.basis": "per_head"}, "service_catalogue.health_check.basis",
     "first_object"),
    ({"service_catalogue.health_check.unit_cost_cny": -100}, "service_catalogue.health_check.unit_cost_cny",
     ">= 0"),
    ({"service_catalogue.health_check.tiers": ["gold", "platinum"]}, "service_catalogue.health_check.tiers.1",
     "'gold' or 'silver'"),
    ({"service_catalogue.health_check.payer": "customer"}, "service_catalogue.health_check.payer",
     "'head_office' or 'branch'"),
    ({"service_catalogue.health_check.take_up": 1.5}, "service_catalogue.health_check.take_up", "1"),
    ({"service_catalogue.festival_gifts.unit_cost_cny": "unit_costs.festival_cny"}, "service_catalogue",
     "festival_gifts.unit_cost_cny: 'unit_costs.festival_cny' names no policy value"),
    ({"service_catalogue.health_check.frequency": 2}, "service_catalogue.health_check.frequency",
     "unknown key"),
    ({"budget_assumptions.vip_count_scenario": "boom"}, "budget_assumptions", "boom"),
])
def test_bad_catalogue_entries_refused(policy, change, path, words):
    with pytest.raises(ParameterError) as err:
        policy.with_values(change, note="test")
    assert err.value.path == path
    assert words in err.value.rule


def test_bad_catalogue_entry_in_a_scenario_file(tmp_path):
    shutil.copy(PARAMS_DIR / "policy-2003.yaml", tmp_path / "policy-2003.yaml")
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "bad.yaml").write_text(yaml.safe_dump(
        {"service_catalogue": {"study_tour": {"basis": "per_trip"}}}), encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        load_policy("bad", params_dir=tmp_path)
    assert err.value.path == "service_catalogue.study_tour.basis"
    assert err.value.file.endswith("bad.yaml")


def test_revisit_load_by_hand(policy):
    table = tier_table([("G1", "Beijing", "A", "gold", False, 1, 1),
                        ("G2", "Anhui", "C", "gold", True, 1, 1),
                        ("S1", "Anhui", "C", "silver", False, 1, 1)])
    load = budget.revisit_load(table, policy)
    # Gold: 2 × 3 = 6 revisits; GM office 4 members × min(10, 2) = 8 (max 4 × 2 = 8);
    # 6 department heads × min(2, 2) = 12; branch heads all local Gold = 2
    assert load.loc["gold", "revisits_needed"] == 6
    assert load.loc["gold", "gm_office_min"] == 8
    assert load.loc["gold", "department_heads_min"] == 12
    assert load.loc["gold", "branch_heads_min"] == 2
    assert load.loc["gold", "executive_min"] == 22
    # Silver: 1 × 2 = 2 revisits; 6 heads × min(3, 1) = 6; Anhui's head min(20, 1) = 1,
    # 19 short of the 第25条 quota of 20
    assert load.loc["silver", "revisits_needed"] == 2
    assert load.loc["silver", "department_heads_min"] == 6
    assert load.loc["silver", "branch_heads_min"] == 1
    assert load.loc["silver", "branch_silver_short"] == 19
    by_branch = budget.revisit_load_by_branch(table, policy)
    assert by_branch.loc["Anhui", "revisits_needed"] == 3 + 2
    assert by_branch.loc["Anhui", "branch_head_quota"] == 1 + 20


def test_cli_budget_writes_workbook(tmp_path, capsys):
    from tiermodel.cli import main

    out = tmp_path / "budget.xlsx"
    assert main(["budget", "--year", "2027", "--sims", "2000", "--out", str(out)]) == 0
    with pd.ExcelFile(out) as book:
        sheets = book.sheet_names
    # a contents sheet, then the tables of the result in order, named in --lang (zh)
    assert sheets[:2] == ["目录", _sheet("附件七 annex 7")]
    assert _sheet("forecast summary") in sheets and _sheet("revisit load") in sheets
    assert "wrote" in capsys.readouterr().out
    assert main(["budget", "--out", str(tmp_path / "budget.csv")]) == 2
    assert not (tmp_path / "budget.csv").exists()


def test_tier_list_without_needed_columns_refused(policy):
    from tiermodel.errors import InputTableError

    with pytest.raises(InputTableError, match="first_service_objects"):
        budget.estimate(ONE_GOLD_ONE_SILVER.drop(columns=["first_service_objects"]), policy)


# ----------------------------------------------------------------------------- one home per rule
def test_executive_quota_table_from_the_articles(policy):
    q = policy.executive_quotas.quota_table()
    # 第23条: each GM-office member 10–15 Gold, no Silver; members 4 (assumed)
    assert q.loc["gm_office", ["persons", "gold_min", "gold_max", "silver_min", "silver_max"]].tolist() == [4, 10, 15, 0, 0]
    # 第24条: six department heads, each 2–3 Gold and 3–5 Silver
    assert q.loc["department_head", ["persons", "gold_min", "gold_max", "silver_min", "silver_max"]].tolist() == [6, 2, 3, 3, 5]
    # 第25条: each branch head all local Gold and at least 20 Silver, no upper bound
    head = q.loc["branch_head"]
    assert bool(head["all_local_gold"]) and head["silver_min"] == 20 and head["silver_max"] == np.inf


def test_random_streams_depend_on_seed_and_chunk_only():
    first = [rng.random(3) for _, rng in budget.random_streams(5, 50_000, chunk_sims=20_000)]
    sizes = [size for size, _ in budget.random_streams(5, 50_000, chunk_sims=20_000)]
    assert sizes == [20_000, 20_000, 10_000]
    fewer = [rng.random(3) for _, rng in budget.random_streams(5, 20_000, chunk_sims=20_000)]
    assert np.array_equal(first[0], fewer[0])  # a chunk's stream does not depend on how many follow
    (size, one), = budget.random_streams(5, 777, chunk_sims=None, stream=1)
    (_, again), = budget.random_streams(5, 777, chunk_sims=None, stream=1)
    assert size == 777 and np.array_equal(one.random(4), again.random(4))


def test_budget_result_tables_are_the_one_sheet_list(policy):
    result = budget.forecast_budget(ONE_GOLD_ONE_SILVER, policy, 2003, n_sims=200, seed=1,
                                    path_years=2, path_sims=100, count_case_sims=100)
    tables = result.tables()
    assert list(tables) == ["附件七 annex 7", "budget by tier", "budget by payer", "budget by branch",
                            "forecast summary", "forecast by branch", "forecast VIP count", "forecast path",
                            "count cases", "revisit load", "revisit load by branch", "catalogue", "notes",
                            "catalogue sources"]
    assert max(len(k) for k in tables) <= 28
    # the hand-worked totals above: Gold 79,290.9 + Silver 47,650.9
    assert tables["附件七 annex 7"].loc["total", "合计 total (CNY)"] == pytest.approx(79290.9 + 47650.9, abs=0.02)
    cases = tables["count cases"]
    assert cases.index.name == "count_case"
    assert list(cases.index) == list(policy.budget_assumptions.vip_count_scenarios)
    assert list(tables["forecast path"].index) == [2003, 2004]
    # without a path or a comparison those two sheets are left out
    bare = budget.forecast_budget(ONE_GOLD_ONE_SILVER, policy, 2003, n_sims=50, seed=1).tables()
    assert "forecast path" not in bare and "count cases" not in bare


def test_cli_count_case_and_its_deprecated_alias(tmp_path, capsys):
    from tiermodel.cli import main

    base = ["budget", "--year", "2004", "--sims", "300", "--path-years", "0", "--count-case-sims", "0"]
    assert main(base + ["--count-case", "growth", "--out", str(tmp_path / "a.xlsx")]) == 0
    assert "VIP人数情形“增长”" in capsys.readouterr().out  # the forecast's note, in Chinese by default (growth: 增长)
    assert main(base + ["--count-scenario", "growth", "--out", str(tmp_path / "b.xlsx")]) == 0
    captured = capsys.readouterr()
    assert "VIP人数情形“增长”" in captured.out and "deprecated" in captured.err
    a = pd.read_excel(tmp_path / "a.xlsx", sheet_name=_sheet("forecast summary"), index_col=0)
    b = pd.read_excel(tmp_path / "b.xlsx", sheet_name=_sheet("forecast summary"), index_col=0)
    pd.testing.assert_frame_equal(a, b)
    out = tmp_path / "c.xlsx"
    assert main(base + ["--count-case", "boom", "--out", str(out)]) == 2
    assert "no VIP-count case 'boom'" in capsys.readouterr().err and not out.exists()
    assert main(base + ["--count-case", "base", "--count-scenario", "growth", "--out", str(out)]) == 2
    assert "--count-case" in capsys.readouterr().err and not out.exists()


# ----------------------------------------------------------------------------- exact table draws
from tiermodel.budget import monte_carlo as mc  # noqa: E402


class _GivenUniforms:
    """A stand-in generator whose 64-bit uniforms are given (to check the inverse CDF exactly)."""

    def __init__(self, raw):
        self.bit_generator = self
        self.raw = np.asarray(raw, dtype=np.uint64)

    def random_raw(self, size):
        assert size == self.raw.size
        return self.raw.copy()


def _net_change_pmf_by_hand(n, churn, new, top):
    # P(next year's count = k) = sum over kept j of C(n, j) (1 − churn)^j churn^(n − j)
    #                            × e^(−n new) (n new)^(k − j) / (k − j)!
    import math
    lam = n * new
    return np.array([sum(math.comb(n, j) * (1 - churn) ** j * churn ** (n - j)
                         * math.exp(-lam) * lam ** (k - j) / math.factorial(k - j)
                         for j in range(0, min(n, k) + 1)) for k in range(top + 1)])


def test_net_change_table_is_the_exact_distribution():
    # groups of 19 Silver (base: churn 15 %, new 15 %), 1 Gold (10 %, 10 %), 7 Silver in the
    # growth case (15 %, 30 %): the table's probabilities are the convolution worked by hand
    n0, churn, new = np.array([19, 1, 7]), np.array([0.15, 0.10, 0.15]), np.array([0.15, 0.10, 0.30])
    table = mc._net_change_table(n0, churn, new)
    pmf = np.diff(np.concatenate([np.zeros((3, 1)), np.where(np.isinf(table.cdf), 1.0, table.cdf)], axis=1))
    for g in range(3):
        assert pmf[g] == pytest.approx(_net_change_pmf_by_hand(n0[g], churn[g], new[g], pmf.shape[1] - 1), abs=1e-13)
    # the lookup is the inverse CDF for every uniform: bin edges, the CDF's own points and
    # their neighbours, and random ones, each compared with a direct search of the CDF
    m = 1 << table.bits
    points = np.floor(table.cdf[np.isfinite(table.cdf)] * 2 ** 53).astype(np.int64)
    u53 = np.concatenate([np.arange(m) * (2 ** 53 // m), np.arange(1, m + 1) * (2 ** 53 // m) - 1,
                          points - 1, points, points + 1,
                          np.random.default_rng(1).integers(0, 2 ** 53, 4000)])
    u53 = np.clip(u53, 0, 2 ** 53 - 1).astype(np.uint64)
    for g in range(3):
        raw = (u53 << np.uint64(11)) | np.uint64(0x5A5)  # low bits are not part of the uniform
        got = mc._draw(table, _GivenUniforms(raw), np.array([g << table.bits]), raw.shape)
        u = u53 * 2.0 ** -53
        assert np.array_equal(got, np.searchsorted(table.cdf[g], u, side="right")), g


def test_net_change_draws_have_the_exact_moments():
    # 19 customers, churn 15 %, new 15 %: next year's count n + Poisson(n × new) − Binomial(n, churn)
    # has mean 19 × (1 + 0.15 − 0.15) = 19 and variance 19 × (0.15 + 0.15 × 0.85) = 5.2725.
    # 200,000 draws: standard error of the mean sqrt(5.2725 / 2e5) = 0.0051, of the variance
    # about 5.2725 × sqrt(2 / 2e5) = 0.017 (CLT); tolerance four of them.
    table = mc._net_change_table(np.array([19]), np.array([0.15]), np.array([0.15]))
    rng = np.random.Generator(np.random.SFC64(7))
    x = mc._draw(table, rng, np.array([0]), (200_000, 1)).astype(float)
    assert x.mean() == pytest.approx(19.0, abs=4 * 0.0051)
    assert x.var() == pytest.approx(5.2725, abs=4 * 0.017)


def test_event_and_take_up_tables_have_the_exact_moments():
    # Poisson(k × 0.05) hospital stays for k = 40 and 3 key persons: mean = variance = 2.0 and
    # 0.15; Binomial(k, 0.4) for k = 12 and 1: mean 4.8 and 0.4, variance 2.88 and 0.24.
    # 100,000 draws a column; tolerance four standard errors of the mean (sqrt(var / 1e5)) and
    # of the variance (about var × sqrt(2 / 1e5) + the fourth-cumulant term, taken as 2 × that).
    rng = np.random.Generator(np.random.SFC64(11))
    size = 100_000
    events = mc._family("poisson", np.array([0.05, 0.05]), np.array([30, 30]))  # 40 > 30: numpy's draws
    units = np.broadcast_to(np.array([40, 3], dtype=np.int32), (size, 2)).copy()
    x = events.draw(rng, units).astype(float)
    for col, lam in enumerate((2.0, 0.15)):
        assert x[:, col].mean() == pytest.approx(lam, abs=4 * np.sqrt(lam / size))
        assert x[:, col].var() == pytest.approx(lam, abs=8 * lam * np.sqrt(2 / size) + 4 * np.sqrt(lam / size))
    taken = mc._family("binomial", np.array([0.4, 0.4]), np.array([20, 20]))
    units = np.broadcast_to(np.array([12, 1], dtype=np.int32), (size, 2)).copy()
    y = taken.draw(rng, units).astype(float)
    for col, (mean, var) in enumerate(((4.8, 2.88), (0.4, 0.24))):
        assert y[:, col].mean() == pytest.approx(mean, abs=4 * np.sqrt(var / size))
        assert y[:, col].var() == pytest.approx(var, abs=8 * var * np.sqrt(2 / size))
    assert y.min() >= 0 and (y <= units).all()


def test_simulated_silver_count_has_the_exact_mean_and_variance(sample_tiers):
    # Silver groups are never capped: the Silver count is the sum over its groups of
    # n + Poisson(n × 0.15) − Binomial(n, 0.15), independent, so its mean is the 520 on the
    # list and its variance 520 × (0.15 + 0.15 × 0.85) = 144.3 (sd 12.0). 20,000 simulated
    # years: standard error of the mean 12.0 / sqrt(20,000) = 0.085, of the variance about
    # 144.3 × sqrt(2 / 20,000) = 1.44; tolerance four of them.
    table, policy = sample_tiers
    fc = budget.simulate(table, policy, 2004, n_sims=20_000, seed=5)
    silver = fc.vip_count[:, fc.groups["tier"].to_numpy() == "silver"].sum(axis=1).astype(float)
    assert silver.mean() == pytest.approx(520, abs=4 * 0.085)
    assert silver.var() == pytest.approx(144.3, abs=4 * 1.44)
    again = budget.simulate(table, policy, 2004, n_sims=20_000, seed=5)
    assert np.array_equal(fc.cost, again.cost)  # same seed, same numbers


def _sheet(key: str, lang: str = "zh", unit: str = "yuan") -> str:
    """The sheet name a command's workbook gives the table ``key`` in --lang / --amount-unit."""
    from tiermodel.present import reader_table
    from tiermodel.present.workbook import sheet_names

    return sheet_names([reader_table(pd.DataFrame(), key, lang, unit)], ["目录", "Contents"])[0]


def test_cli_budget_same_numbers_in_en_and_zh_and_wan_is_yuan_over_10000(tmp_path):
    # --lang changes words only; the display unit divides every 万元 column by 10,000
    # (e.g. a 附件七 total of 1,230,000 元 is written 123 万元); same seed → same draws.
    # Defaults by language: a zh workbook in 万元, an en one in 元 (as --display-unit yuan)
    from tiermodel.cli import main
    from workbook_checks import assert_same_numbers, assert_wan_is_yuan_over_10000

    base = ["budget", "--year", "2004", "--sims", "300", "--path-years", "2", "--path-sims", "100",
            "--count-case-sims", "100"]
    paths = {k: tmp_path / f"{k}.xlsx" for k in ("zh", "en", "wan")}
    assert main(base + ["--display-unit", "yuan", "--out", str(paths["zh"])]) == 0
    assert main(base + ["--lang", "en", "--out", str(paths["en"])]) == 0
    assert main(base + ["--out", str(paths["wan"])]) == 0  # zh, no option: 万元
    with pd.ExcelFile(paths["en"]) as book:
        assert book.sheet_names[0] == "Contents"
    assert assert_same_numbers(paths["zh"], paths["en"]) > 0
    assert assert_wan_is_yuan_over_10000(paths["wan"], paths["zh"]) > 0
