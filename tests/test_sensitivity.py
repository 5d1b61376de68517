"""Weight/K sensitivity (第10条): the batched sweep against the Foundation, hand cases, bad input.

The hand-made customers below are all existing, class C (branch Hefei) and Gold-eligible by
non-health premium ≥ 1,000,000 at a loss ratio ≤ 40 % (第11条). Their coefficients, read by
hand from the assumed 附表1–3 of RULES.md §2:

  id    non-health premium  → premium coef  | years → loyalty × K1       | margin → profit coef
  C001   1,200,000 (1–5M)   → 0.20          | 10    → 1.00 × 1.0 = 1.00  | 0.02  → 0.30
  C002  30,000,000 (20–50M) → 0.60          |  2    → 0.35 × 2.0 = 0.70  | 0.25  → 0.85
  C003   8,000,000 (5–10M)  → 0.30          |  6    → 0.80 × 1.0 = 0.80  | 0.12  → 0.70
  C004  60,000,000 (50–100M)→ 0.80          |  4    → 0.60 × 1.0 = 0.60  | -0.05 → 0.00
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import customers
from tiermodel import sensitivity as se
from tiermodel.errors import ParameterError
from tiermodel.run_inputs import load_inputs
from tiermodel.policy import load_policy
from tiermodel.scoring import score
from tiermodel.tiers import assign_tiers
from tiermodel.vocabulary import TIERS

HAND = [
    {"non_health_premium": 1_200_000, "non_health_loss_ratio": 0.3, "effective_years": 10, "profit_margin": 0.02},
    {"non_health_premium": 30_000_000, "non_health_loss_ratio": 0.3, "effective_years": 2, "profit_margin": 0.25},
    {"non_health_premium": 8_000_000, "non_health_loss_ratio": 0.3, "effective_years": 6, "profit_margin": 0.12},
    {"non_health_premium": 60_000_000, "non_health_loss_ratio": 0.3, "effective_years": 4, "profit_margin": -0.05},
]


@pytest.fixture(scope="module")
def sample():
    inputs = load_inputs()
    pool = se.candidate_pool(inputs.portfolio, inputs.policy, inputs.capacity())
    return inputs, pool


@pytest.fixture(scope="module")
def hand():
    """Pool of the four hand-made customers; 2 existing Gold places, 1 Silver place in Hefei."""
    policy = load_policy().with_values({"gold_selection.existing_places": 2}, note="test")
    table = customers(*HAND)
    return policy, table, se.candidate_pool(table, policy, pd.Series({"Hefei": 1}))


def _tiers_by_id(sw, pool, i=0):
    return dict(zip(pool.table["customer_id"], np.asarray(TIERS)[sw.tier[i]]))


# ----------------------------------------------------------------------------- exact agreement
def _foundation_tiers(inputs, policy):
    return assign_tiers(score(inputs.portfolio, policy), policy, inputs.capacity()).table


def summary_at_risk(odds):
    """Baseline Gold customers out of Gold in more than 20 % of the settings, counted by hand."""
    gold = odds["baseline_tier"].astype(str) == "gold"
    return int((gold & (1 - odds["p_gold"] > 0.2)).sum())


def test_batched_sweep_agrees_exactly_with_foundation(sample):
    inputs, pool = sample
    policy = inputs.policy
    drawn = se.draw_settings(policy, 2000, seed=7)
    corners = se.make_settings([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0.5, 0.5, 0.0]],
                                policy.value_index.k1.as_array(), policy.value_index.k2.as_array())
    rows = np.random.default_rng(11).choice(len(drawn), 8, replace=False)
    for scen in (drawn, corners):
        sw = se.sweep(pool, scen, se.policy_setting(policy))
        for i in (rows if scen is drawn else range(len(scen))):
            p = scen.policy(policy, i)
            ref = _foundation_tiers(inputs, p)
            # the same value index, bit for bit, and the same tier for every customer
            assert np.array_equal(ref["value_index"].to_numpy()[pool.position],
                                  se.value_indices(pool, scen.subset([i]))[0])
            assert (ref["tier"].astype(str).to_numpy() == sw.tiers_of_all(i)).all(), i
    # the baseline of the sweep is the Foundation's own tiering: 40 Gold, 520 Silver
    assert (sw.baseline == 0).sum() == 40 and (sw.baseline == 1).sum() == 520


def test_sweep_agrees_when_unfilled_new_places_pass_on(sample):
    """20 new places for 11 new candidates: 9 pass to the existing pool (30 + 9 = 39)."""
    inputs, _ = sample
    policy = inputs.policy.with_values({"gold_selection.new_places": 20,
                                        "gold_selection.unfilled_new_places_go_to_existing": True},
                                       note="test")
    pool = se.candidate_pool(inputs.portfolio, policy, inputs.capacity())
    assert pool.existing_places == 39
    scen = se.draw_settings(policy, 3, seed=3)
    sw = se.sweep(pool, scen, se.policy_setting(policy))
    for i in range(len(scen)):
        ref = _foundation_tiers(inputs, scen.policy(policy, i))
        assert (ref["tier"].astype(str).to_numpy() == sw.tiers_of_all(i)).all()
        assert (sw.tier[i] == 0).sum() == 39 + 11


def test_chunking_does_not_change_the_result(sample):
    inputs, pool = sample
    scen = se.draw_settings(inputs.policy, 300, seed=5)
    base = se.policy_setting(inputs.policy)
    whole = se.sweep(pool, scen, base)
    tiny = se.sweep(pool, scen, base, memory_budget=1)  # one setting per chunk
    assert np.array_equal(whole.tier, tiny.tier)


# ----------------------------------------------------------------------------- hand cases
@pytest.mark.parametrize("weights, gold, silver, regular", [
    # premium only: 0.80 C004 > 0.60 C002 > 0.30 C003 > 0.20 C001
    ([1, 0, 0], {"C004", "C002"}, {"C003"}, {"C001"}),
    # loyalty only (× K1): 1.00 C001 > 0.80 C003 > 0.70 C002 > 0.60 C004
    ([0, 1, 0], {"C001", "C003"}, {"C002"}, {"C004"}),
    # profit only (× K2 = 1): 0.85 C002 > 0.70 C003 > 0.30 C001 > 0.00 C004
    ([0, 0, 1], {"C002", "C003"}, {"C001"}, {"C004"}),
])
def test_one_coefficient_alone_gives_its_order(hand, weights, gold, silver, regular):
    policy, _, pool = hand
    base = se.policy_setting(policy)
    sw = se.sweep(pool, se.make_settings(weights, base.k1, base.k2), base)
    tiers = _tiers_by_id(sw, pool)
    assert {c for c, t in tiers.items() if t == "gold"} == gold
    assert {c for c, t in tiers.items() if t == "silver"} == silver
    assert {c for c, t in tiers.items() if t == "regular"} == regular


def test_hand_value_indices_and_baseline(hand):
    policy, table, pool = hand
    vi = se.value_indices(pool, se.policy_setting(policy))[0]
    got = dict(zip(pool.table["customer_id"], vi))
    # 30/30/40:  C001 0.2·0.3 + 1.0·0.3·1 + 0.30·0.4 = 0.06 + 0.30 + 0.12 = 0.48
    #            C002 0.6·0.3 + 0.35·0.3·2 + 0.85·0.4 = 0.18 + 0.21 + 0.34 = 0.73
    #            C003 0.3·0.3 + 0.8·0.3·1 + 0.70·0.4 = 0.09 + 0.24 + 0.28 = 0.61
    #            C004 0.8·0.3 + 0.6·0.3·1 + 0.00·0.4 = 0.24 + 0.18 + 0.00 = 0.42
    assert got == pytest.approx({"C001": 0.48, "C002": 0.73, "C003": 0.61, "C004": 0.42}, abs=1e-12)
    sw = se.sweep(pool, se.policy_setting(policy), se.policy_setting(policy))
    assert _tiers_by_id(sw, pool) == {"C002": "gold", "C003": "gold", "C001": "silver", "C004": "regular"}
    ref = assign_tiers(score(table, policy), policy, pd.Series({"Hefei": 1})).table
    assert dict(zip(ref["customer_id"], ref["tier"].astype(str))) == _tiers_by_id(sw, pool)


def test_k1_of_year_two_lifts_the_two_year_customer(hand):
    """Loyalty only: C002's 0.35 × K1(2); at K1(2) = 3.0 it scores 1.05 and leads C001 (1.00)."""
    policy, _, pool = hand
    base = se.policy_setting(policy)
    k1 = base.k1.copy()
    k1[0, 1] = 3.0
    sw = se.sweep(pool, se.make_settings([0, 1, 0], k1, base.k2), base, keep_keys=True)
    order = pool.table["customer_id"].to_numpy()[np.argsort(-sw.keys[0])]
    assert list(order) == ["C002", "C001", "C003", "C004"]


def test_equal_index_ties_broken_by_standard_premium_then_id(hand):
    """Premium only with C001 and a twin C005 (same 0.20 band): the larger premium first."""
    policy = load_policy().with_values({"gold_selection.existing_places": 1}, note="test")
    rows = [dict(HAND[0]), dict(HAND[0], non_health_premium=1_500_000), dict(HAND[0])]
    table = customers(*rows)  # C001 1.2M, C002 1.5M, C003 1.2M — all premium coef 0.20
    pool = se.candidate_pool(table, policy, pd.Series({"Hefei": 1}))
    base = se.policy_setting(policy)
    sw = se.sweep(pool, se.make_settings([1, 0, 0], base.k1, base.k2), base)
    # Gold: C002 (larger premium); Silver (1 place): C001 before C003 by id
    assert _tiers_by_id(sw, pool) == {"C002": "gold", "C001": "silver", "C003": "regular"}


def test_no_candidates_everyone_regular(policy):
    table = customers({}, {"non_health_premium": 50_000})  # below every 第11条 minimum
    pool = se.candidate_pool(table, policy, pd.Series({"Hefei": 10}))
    base = se.policy_setting(policy)
    sw = se.sweep(pool, se.draw_settings(policy, 5), base)
    assert len(pool) == 0 and sw.tier.shape == (5, 0)
    assert list(sw.tiers_of_all(0)) == ["regular", "regular"]
    assert (sw.metrics()["gold_count"] == 0).all()


def test_cli_writes_the_workbook_and_refuses_bad_options(tmp_path, capsys):
    from tiermodel.cli import main

    out = tmp_path / "sens.xlsx"
    assert main(["sensitivity", "--out", str(out), "--steps", "2", "--sobol-n", "64", "--draws", "64"]) == 0
    sheets = pd.ExcelFile(out).sheet_names
    # a contents sheet, then one sheet per table of Sensitivity.tables(), in order, named in --lang (zh)
    from tiermodel.present import reader_table
    from tiermodel.present.workbook import sheet_names

    keys = ["tornado", "one at a time", "weight simplex", "sobol indices", "safety", "borderline",
            "membership odds"]
    assert sheets == ["目录"] + sheet_names([reader_table(pd.DataFrame(), k, "zh", "yuan") for k in keys], ["目录"])
    bad = tmp_path / "bad.xlsx"
    assert main(["sensitivity", "--out", str(bad), "--k-range", "1.5,0.5"]) == 2
    assert "k_range" in capsys.readouterr().err and not bad.exists()
    assert main(["sensitivity", "--out", str(tmp_path / "x.csv")]) == 2
    before = out.stat().st_mtime_ns
    assert main(["sensitivity", "--out", str(out)]) == 2  # refused before any work
    assert "already exists" in capsys.readouterr().err and out.stat().st_mtime_ns == before


# ----------------------------------------------------------------------------- metrics, helpers
def test_list_metrics_by_hand():
    baseline = np.array([0, 0, 1, 2], dtype=np.int8)  # G G S R
    tier = np.array([[0, 1, 0, 2], [0, 0, 1, 2]], dtype=np.int8)
    m = se.list_metrics(tier, baseline)
    # setting 0: Gold {0,2} vs {0,1}: 1 shared of 3 → 1/3, one swap; Silver {1} vs {2}: 0/2
    assert m.loc[0, "gold_jaccard"] == pytest.approx(1 / 3)
    assert m.loc[0, "gold_swaps"] == 1
    assert m.loc[0, "silver_count"] == 1 and m.loc[0, "silver_change"] == 0
    assert m.loc[0, "silver_jaccard"] == 0
    assert m.loc[1, "gold_jaccard"] == 1 and m.loc[1, "gold_swaps"] == 0


def test_rescale_weights_keeps_ratio_and_sum():
    w = se.rescale_weights([0.3, 0.3, 0.4], 0, [0.1, 0.3])
    # premium 0.1: the other 0.9 split 30:40 → 0.9·3/7 = 0.3857142857, 0.9·4/7 = 0.5142857143
    assert w[0] == pytest.approx([0.1, 0.3857142857, 0.5142857143])
    assert w[1] == pytest.approx([0.3, 0.3, 0.4])
    assert np.allclose(w.sum(axis=1), 1)


def test_simplex_grid_and_multipliers():
    g = se.simplex_weights(0.5)
    assert sorted(map(tuple, g)) == [(0, 0, 1), (0, 0.5, 0.5), (0, 1, 0), (0.5, 0, 0.5), (0.5, 0.5, 0), (1, 0, 0)]
    assert len(se.simplex_weights(0.02)) == 51 * 52 // 2  # 1,326 points
    policy = load_policy()
    u = np.ones((2, 8))
    u[1, 0] = 2.0  # premium weight doubled before rescaling: 0.6, 0.3, 0.4 over 1.3
    u[1, 3] = 0.5  # K1 year 1: 3.5 × 0.5 = 1.75
    u[1, 7] = 1.2  # K2, every year: 1.0 × 1.2
    s = se.settings_from_multipliers(policy, u)
    assert s.weights[0] == pytest.approx([0.3, 0.3, 0.4])
    assert s.weights[1] == pytest.approx([0.6 / 1.3, 0.3 / 1.3, 0.4 / 1.3])
    assert s.k1[1] == pytest.approx([1.75, 2.0, 1.5, 1.0])
    assert s.k2[1] == pytest.approx([1.2] * 4)


def test_one_at_a_time_and_tornado(sample):
    inputs, pool = sample
    oat = se.one_at_a_time(pool, inputs.policy, steps=3, with_budget=False)
    assert len(oat) == 11 * 3
    # premium weight 0.10 / 0.35 / 0.60 (the others rescaled), K1 year 2: 1.0 / 2.0 / 3.0
    prem = oat[oat["parameter"] == "value_index.weights.premium"]
    assert prem["value"].tolist() == pytest.approx([0.10, 0.35, 0.60])
    k12 = oat[oat["parameter"] == "value_index.k1.year_2"]
    assert k12["value"].tolist() == pytest.approx([1.0, 2.0, 3.0])
    # at K1 year 2 = its policy value (×1.0) the lists are the baseline's
    mid = k12.iloc[1]
    assert mid["gold_jaccard"] == 1 and mid["gold_swaps"] == 0 and mid["silver_change"] == 0
    assert mid["kendall_tau"] == pytest.approx(1.0)
    assert (oat["gold_count"] == 40).all()
    tor = se.tornado_table(oat)
    assert len(tor) == 11 and tor["max_gold_swaps"].is_monotonic_decreasing
    # list overlap per tier instead of the Silver count: at K1 year 2 × 1.0 both overlaps are 1
    assert {"gold_jaccard_low", "silver_jaccard_high", "min_silver_jaccard"} <= set(tor.columns)
    assert "silver_change_low" not in tor.columns
    assert ((tor["min_silver_jaccard"] >= 0) & (tor["min_silver_jaccard"] <= 1)).all()


def test_budget_of_the_baseline_lists_is_the_foundation_budget(sample):
    budget = pytest.importorskip("tiermodel.budget")
    inputs, pool = sample
    sw = se.sweep(pool, se.policy_setting(inputs.policy), se.policy_setting(inputs.policy))
    whole = budget.estimate(inputs.tiering().table, inputs.policy).total
    assert se.budget_totals(pool, sw.tier, inputs.policy)[0] == pytest.approx(whole, rel=1e-12)



def test_budgets_of_many_lists_a_block_at_a_time(sample, monkeypatch):
    # 12 settings, the lists of each handed to the budget 5 at a time (blocks of 5, 5, 2 distinct
    # lists): every total as one estimate of that setting's lists gives it
    budget = pytest.importorskip("tiermodel.budget")
    from tiermodel.sensitivity import oat

    inputs, pool = sample
    sw = se.sweep(pool, se.draw_settings(inputs.policy, 12, seed=6), se.policy_setting(inputs.policy))
    monkeypatch.setattr(oat, "_TEXT_BUDGET_BYTES", 64 * len(pool) * 5)
    totals = se.budget_totals(pool, sw.tier, inputs.policy)
    names = np.asarray(["gold", "silver", "regular"])
    for i in (0, 5, 11):
        one = budget.estimate(pool.table.assign(tier=names[sw.tier[i]]), inputs.policy).total
        assert totals[i] == one

def test_membership_odds_and_borderline(sample):
    inputs, pool = sample
    base = se.policy_setting(inputs.policy)
    sw = se.sweep(pool, se.draw_settings(inputs.policy, 200, seed=1), base)
    odds = se.membership_odds(sw)
    assert np.allclose(odds[["p_gold", "p_silver", "p_regular"]].sum(axis=1), 1)
    # Gold places are fixed (30 + 10 filled in every setting): the shares add up to 40
    assert odds["p_gold"].sum() == pytest.approx(40)
    assert (odds.loc[~odds["gold_eligible"], "p_gold"] == 0).all()
    edge = se.borderline(odds, share=0.2)
    gold_risk = edge[(edge["list"] == "gold") & (edge["status"] == "at_risk")]
    assert len(gold_risk) == summary_at_risk(odds) and (gold_risk["baseline_tier"].astype(str) == "gold").all() and (gold_risk["p_in"] < 0.8).all()
    contenders = edge[(edge["list"] == "gold") & (edge["status"] == "contender")]
    assert (contenders["baseline_tier"].astype(str) != "gold").all() and (contenders["p_in"] > 0.2).all()
    summary = se.safety_summary(odds, share=0.2)
    assert set(edge["status"]) <= {"at_risk", "contender"}  # codes; the page shows 可能落选 / at risk
    assert summary.loc["gold", "safely_in"] + summary.loc["gold", "at_risk"] == 40
    # the baseline itself, repeated: nobody is on the edge
    same = se.sweep(pool, se.make_settings(base.weights.repeat(3, 0), base.k1, base.k2), base)
    assert se.borderline(se.membership_odds(same)).empty


def test_sobol_indices_small(sample):
    inputs, pool = sample
    res = se.sobol_analysis(pool, inputs.policy, n=64, n_resamples=20)
    again = se.sobol_analysis(pool, inputs.policy, n=64, n_resamples=20)
    assert res.indices.equals(again.indices)  # seeded, bootstrap included
    idx = res.indices.set_index(["output", "input"])
    # 7 inputs: the profit weight and K2 are one (only their product moves the ranking)
    assert res.evaluations == 64 * (7 + 2)
    assert len(idx) == 2 * 7
    assert "weight profit × K2" in se.SOBOL_INPUTS and "K2 (all years)" not in se.SOBOL_INPUTS
    # K1 of year 1 touches only year-1 customers, who are exactly the new ones: they share one
    # loyalty coefficient (0.20), so K1(1) adds the same amount to each and never reorders the
    # new pool; in a branch's Silver list it may reorder but not change the count. No effect.
    assert idx.loc[("gold_jaccard", "K1 year 1"), "total_order"] == pytest.approx(0, abs=1e-12)
    # the Silver list overlap (Jaccard) replaces the Silver count as the second output
    assert set(res.indices["output"]) == {"gold_jaccard", "silver_jaccard"}
    assert (idx["total_order"].fillna(0) >= -0.05).all()
    # the same indices as scipy.stats.sobol_indices drawing the same design (seed 2003, ±50 %)
    from scipy.stats import sobol_indices, uniform
    base = se.policy_setting(inputs.policy)

    def func(x):
        met = se.sweep(pool, se.settings_from_multipliers(inputs.policy, x.T), base).metrics()
        return met[["gold_jaccard", "silver_jaccard"]].to_numpy(dtype=float).T.copy()  # writable for scipy

    ref = sobol_indices(func=func, n=64, dists=[uniform(loc=0.5, scale=1.0)] * 7,
                        rng=np.random.default_rng(2003))
    ours = res.indices.pivot(index="output", columns="input")
    for kind, theirs in (("first_order", ref.first_order), ("total_order", ref.total_order)):
        got = ours[kind].loc[["gold_jaccard", "silver_jaccard"], list(se.SOBOL_INPUTS)].to_numpy()
        assert np.allclose(got, theirs, atol=1e-9)


def test_sobol_estimators_on_a_linear_function():
    """Y = X1 + 2·X2 + 0·X3, X ~ U(0, 1): V = 1/12 + 4/12 = 5/12, so S1 = 0.2, S2 = 0.8, S3 = 0
    (additive: first = total order)."""
    a, b, ab = se.sobol_design(4096, [0, 0, 0], [1, 1, 1], seed=1)
    f = lambda x: (x[..., 0] + 2 * x[..., 1])[..., None, :]  # noqa: E731  (…, s=1, n)
    f_a, f_b, f_ab = f(a), f(b), f(ab)
    assert se.first_order(f_a, f_b, f_ab)[0] == pytest.approx([0.2, 0.8, 0.0], abs=0.03)
    assert se.total_order(f_a, f_b, f_ab)[0] == pytest.approx([0.2, 0.8, 0.0], abs=0.03)
    # the same numbers as scipy's own estimator on the same evaluations
    from scipy.stats import sobol_indices
    ref = sobol_indices(func={"f_A": f_a, "f_B": f_b, "f_AB": f_ab}, n=4096)
    assert np.allclose(ref.first_order, se.first_order(f_a, f_b, f_ab))
    assert np.allclose(ref.total_order, se.total_order(f_a, f_b, f_ab))


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("weights, k1, k2, path, words", [
    ([-0.1, 0.5, 0.6], [3.5, 2, 1.5, 1], [1, 1, 1, 1], "value_index.weights.premium", "≥ 0"),
    ([0.3, 0.3, 0.3], [3.5, 2, 1.5, 1], [1, 1, 1, 1], "value_index.weights", "sum to 0.9"),
    ([0.3, 0.3, 0.4], [3.5, 0, 1.5, 1], [1, 1, 1, 1], "value_index.k1.year_2", "must be > 0"),
    ([0.3, 0.3, 0.4], [3.5, 2, 1.5, 1], [1, 1, 1, -1], "value_index.k2.year_4_plus", "must be > 0"),
    ([0.3, 0.3, 0.4], [3.5, 2, np.nan, 1], [1, 1, 1, 1], "value_index.k1.year_3", "must be > 0"),
    ([0.3, 0.7], [3.5, 2, 1.5, 1], [1, 1, 1, 1], "value_index.weights", "expected 3 values"),
    (np.empty((0, 3)), np.empty((0, 4)), np.empty((0, 4)), "value_index", "no settings"),
])
def test_bad_settings_refused(weights, k1, k2, path, words):
    with pytest.raises(ParameterError) as err:
        se.make_settings(weights, k1, k2)
    assert err.value.path == path
    assert words in str(err.value)


@pytest.mark.parametrize("kwargs, path, words", [
    ({"weight_range": (0.5, 0.5)}, "weight_range", "empty"),
    ({"weight_range": (0.6, 0.1)}, "weight_range", "empty"),
    ({"weight_range": (-0.1, 0.5)}, "weight_range", "≥ 0"),
    ({"weight_range": (0.1, 1.2)}, "weight_range", "≤ 1"),
    ({"k_range": (0.0, 1.5)}, "k_range", "> 0"),
    ({"k_range": (-1.0, 1.5)}, "k_range", "> 0"),
    ({"k_range": (1.5, 1.5)}, "k_range", "empty"),
    ({"steps": 1}, "weight_range", "at least 2 steps"),
])
def test_bad_ranges_refused(hand, kwargs, path, words):
    policy, _, pool = hand
    with pytest.raises(ParameterError) as err:
        se.one_at_a_time(pool, policy, **kwargs)
    assert err.value.path == path and words in str(err.value)


def test_other_bad_settings_refused(hand):
    policy, _, pool = hand
    with pytest.raises(ParameterError, match="whole number"):
        se.simplex_weights(0.03)
    with pytest.raises(ParameterError, match="k_spread"):
        se.draw_settings(policy, 10, k_spread=1.0)
    with pytest.raises(ParameterError, match="weight_spread"):
        se.draw_settings(policy, 10, weight_spread=0)
    with pytest.raises(ParameterError, match="power of 2"):
        se.sobol_analysis(pool, policy, n=100)
    with pytest.raises(ParameterError, match="at least one setting"):
        se.draw_settings(policy, 0)
    with pytest.raises(ParameterError, match="share"):
        se.borderline(pd.DataFrame(), share=1.0)


def test_profit_weight_and_k2_act_only_as_a_product(sample):
    # 第10条: value = p·w_p + l·w_l·K1 + r·w_r·K2; the lists depend on the ranking alone, and a
    # common scale of the weights leaves it alone. Profit weight × 1.2 (before rescaling) and
    # K2 × 1.2 give the same ranking, hence the same lists: they are one input.
    inputs, pool = sample
    policy = inputs.policy
    u_weight, u_k2 = np.ones((1, 8)), np.ones((1, 8))
    u_weight[0, 2] = 1.2
    u_k2[0, 7] = 1.2
    base = se.policy_setting(policy)
    a = se.sweep(pool, se.settings_from_multipliers(policy, u_weight), base)
    b = se.sweep(pool, se.settings_from_multipliers(policy, u_k2), base)
    assert np.array_equal(a.tier, b.tier)
