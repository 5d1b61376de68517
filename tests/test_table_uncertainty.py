"""How much the lists rest on the lost 附表1–3 (第10条): drawn tables, batched re-tiering under
them, robust core and contested customers.

Hand-made books below are existing class-C customers (branch Hefei), Gold-eligible by
non-health premium ≥ 1,000,000 at a loss ratio ≤ 40 % (第11条). The assumed tables
(RULES.md §2): 附表1 <1M 0.10 · 1–5M 0.20 · 5–10M 0.30 · … · ≥100M 1.00; 附表2 … 5 → 0.70 …
≥10 → 1.00; 附表3 … 5–10 % 0.50 … ≥30 % 1.00. The family drawn around them (parameter file,
``table_uncertainty``, spreads 1.0): each edge between the midpoints with its neighbours
(premium on a log scale), so the top edges stay below 100M·√2 ≈ 141M, 10 + 1 = 11 years and
0.30 + 0.05 = 0.35; every coefficient between the midpoints with its neighbours.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import customers
from tiermodel import sensitivity as se
from tiermodel.cli import main
from tiermodel.errors import ParameterError
from tiermodel.policy import load_policy
from tiermodel.result import MAX_TABLE_NAME
from tiermodel.run_inputs import load_inputs
from tiermodel.scoring import score
from tiermodel.tiers import assign_tiers
from tiermodel.vocabulary import TIERS

TIER_NAMES = np.asarray(TIERS, dtype=object)


def _gold(premium, years, margin, **extra):
    return {"non_health_premium": premium, "non_health_loss_ratio": 0.3, "effective_years": years,
            "profit_margin": margin, **extra}


@pytest.fixture(scope="module")
def sample():
    inputs = load_inputs()
    pool = se.candidate_pool(inputs.portfolio, inputs.policy, inputs.capacity())
    return inputs, pool, se.candidate_measures(pool)


def _foundation(inputs, policy):
    return assign_tiers(score(inputs.portfolio, policy), policy, inputs.capacity()).table


# ----------------------------------------------------------------------------- 1. assumed draw
def test_a_draw_equal_to_the_assumed_tables_reproduces_todays_lists(sample):
    inputs, pool, measures = sample
    today = _foundation(inputs, inputs.policy)["tier"].astype(str).to_numpy()
    # spreads 0: every edge moves by 0 × its gap, every coefficient by 0 × its gap
    still = inputs.policy.with_values({f"table_uncertainty.{t}.{k}": 0.0 for t in se.TABLE_NAMES
                                       for k in ("edge_spread", "coefficient_spread")}, note="test")
    drawn = se.draw_tables(still, 5, seed=1)
    for name in se.TABLE_NAMES:
        assumed = getattr(inputs.policy.conversion_tables, name)
        assert (drawn.edges[name] == np.asarray(assumed.breaks)).all()
        assert (drawn.coefficients[name] == np.asarray(assumed.coefficients)).all()
    base = se.policy_setting(inputs.policy)
    for tables in (drawn, se.policy_tables(inputs.policy)):
        tier = se.sweep_tables(pool, measures, tables, base)
        for row in tier:
            full = np.full(pool.n_customers, "regular", dtype=object)
            full[pool.position] = TIER_NAMES[row]
            assert (full == today).all()
    # today's lists: 40 Gold (30 existing + 10 new) and 520 Silver on the sample (A 40 · B 30 · C 20 · D 20 places)
    assert (today == "gold").sum() == 40 and (today == "silver").sum() == 520
    # and the coefficients are the pool's own, bit for bit
    assert np.array_equal(se.table_coefficients(measures, se.policy_tables(inputs.policy))[0], pool.coefs)


# ----------------------------------------------------------------------------- 2. property
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2 ** 32 - 1), n=st.integers(1, 40),
       method=st.sampled_from(["around", "between"]), counts=st.sampled_from(["fixed", "varied"]),
       edge_spread=st.floats(0, 1), coef_spread=st.floats(0, 1),
       p_drop=st.floats(0, 1), p_split=st.floats(0, 1))
def test_drawn_tables_are_monotone_and_within_unit_interval(policy, seed, n, method, counts, edge_spread,
                                                             coef_spread, p_drop, p_split):
    changes = {"table_uncertainty.edge_drop_probability": p_drop,
               "table_uncertainty.band_split_probability": p_split}
    for t in se.TABLE_NAMES:
        changes[f"table_uncertainty.{t}.edge_spread"] = edge_spread
        changes[f"table_uncertainty.{t}.coefficient_spread"] = coef_spread
    p = policy.with_values(changes, note="property")
    drawn = se.draw_tables(p, n, seed=seed, method=method, band_counts=counts)
    assert len(drawn) == n
    for name in se.TABLE_NAMES:
        e, c = drawn.edges[name], drawn.coefficients[name]
        assert (np.diff(c, axis=1) >= 0).all() and (c >= 0).all() and (c <= 1).all()
        assert (e[:, 1:] >= e[:, :-1]).all()  # +inf pads absent edges
        assumed = getattr(p.conversion_tables, name)
        bands = 1 + np.isfinite(e).sum(axis=1)
        if counts == "fixed":
            assert (bands == len(assumed.coefficients)).all()
        else:  # at least one edge kept, at most every edge and every midpoint
            assert (bands >= 2).all() and (bands <= 2 * len(assumed.breaks)).all()
        if method == "between" and counts == "fixed":
            spec = getattr(p.table_uncertainty, name)
            assert (e >= np.asarray(spec.bracket_low.breaks) * (1 - 1e-12) - 1e-12).all()
            assert (e <= np.asarray(spec.bracket_high.breaks) * (1 + 1e-12) + 1e-12).all()
            assert (c >= np.asarray(spec.bracket_low.coefficients) - 1e-12).all()
            assert (c <= np.asarray(spec.bracket_high.coefficients) + 1e-12).all()
        for i in range(min(n, 5)):  # a validated 附表: edges strictly rising, coefficients in [0, 1]
            drawn.table(name, i)


def test_same_seed_same_tables(policy):
    a, b = se.draw_tables(policy, 50, seed=9), se.draw_tables(policy, 50, seed=9)
    c = se.draw_tables(policy, 50, seed=10)
    for name in se.TABLE_NAMES:
        assert np.array_equal(a.edges[name], b.edges[name])
        assert np.array_equal(a.coefficients[name], b.coefficients[name])
        assert not np.array_equal(a.edges[name], c.edges[name])


# ----------------------------------------------------------------------------- 3. top bands
@pytest.mark.parametrize("method,counts", [("around", "fixed"), ("around", "varied"),
                                           ("between", "fixed"), ("between", "varied")])
def test_gold_in_the_top_band_of_every_table_is_the_robust_core(method, counts):
    """Three customers at 250M premium, 12 years and a 45 % margin sit above the highest any
    drawn top edge can reach (141M, 11 years, 0.35 around; 200M, 12, 0.40 between), so their
    three coefficients are the top ones of every draw. Coefficients rise with the measure, so
    nobody scores more; ties go to the larger standard premium (第13条 tie rule, ours) — also
    theirs. With 3 existing Gold places they are Gold in every draw: p_gold = 1."""
    policy = load_policy().with_values({"gold_selection.existing_places": 3}, note="test")
    book = customers(_gold(250e6, 12, 0.45), _gold(260e6, 15, 0.50), _gold(300e6, 20, 0.60),
                     _gold(3e6, 5, 0.08), _gold(8e6, 3, 0.12), _gold(40e6, 7, 0.22), _gold(1.5e6, 2, -0.1))
    result = se.table_uncertainty(book, policy, pd.Series({"Hefei": 2}), draws=400, sobol_n=0,
                                  with_budget=False, method=method, band_counts=counts, seed=5)
    gold = set(book["customer_id"][:3])
    assert set(result.robust_core["customer_id"]) == gold
    assert (result.odds.set_index("customer_id").loc[sorted(gold), "p_gold"] == 1.0).all()
    assert result.expected_gold_swaps() == 0
    assert set(result.odds.loc[result.odds["baseline_tier"] == "gold", "customer_id"]) == gold


# ----------------------------------------------------------------------------- 4. cut in a tie
def test_customers_tied_at_the_gold_cut_are_contested():
    """Under the assumed tables C003 and C004 tie:
    C003 4.8M → 0.20, 5 years → 0.70, 6 % → 0.50: 0.20×0.3 + 0.70×0.3 + 0.50×0.4 = 0.47
    C004 1.2M → 0.20, 5 years → 0.70, 9 % → 0.50: the same 0.47.
    C001/C002 sit in every top band (as above); the third and last existing place goes to the
    tie, won by C003 on the larger standard premium. Drawn tables split them both ways: the
    5M edge (drawn in 2.24M–7.07M) falls below 4.8M in about 2 draws of 3 (C003 gains a
    premium band), the 10 % edge (7.5–15 %) at or below 9 % in 1 of 5 and the 5 % edge
    (2.5–7.5 %) above 6 % in 3 of 10 (C004 gains a profit band). C005 is below both in every
    table (1.1M, 4 years, a loss) and loses ties to both, so exactly one of the pair is Gold in
    every draw: p(C003) + p(C004) = 1, and each is contested (Gold in 5–95 % of the draws)."""
    policy = load_policy().with_values({"gold_selection.existing_places": 3}, note="test")
    book = customers(_gold(250e6, 12, 0.45), _gold(300e6, 15, 0.50), _gold(4.8e6, 5, 0.06),
                     _gold(1.2e6, 5, 0.09), _gold(1.1e6, 4, -0.05))
    tiering = assign_tiers(score(book, policy), policy, pd.Series({"Hefei": 5}))
    vi = tiering.table.set_index("customer_id")["value_index"]
    assert vi["C003"] == vi["C004"] == pytest.approx(0.47)
    assert tiering.table.set_index("customer_id")["tier"]["C003"] == "gold"
    result = se.table_uncertainty(book, policy, pd.Series({"Hefei": 5}), draws=2000, sobol_n=0,
                                  with_budget=False, seed=11)
    odds = result.odds.set_index("customer_id")
    assert set(result.contested["customer_id"]) == {"C003", "C004"}
    assert odds.loc["C003", "p_gold"] + odds.loc["C004", "p_gold"] == pytest.approx(1.0)
    assert set(result.robust_core["customer_id"]) == {"C001", "C002"}
    assert odds.loc["C005", "p_gold"] == 0
    # the bootstrap interval surrounds the share
    for cid in ("C003", "C004"):
        assert odds.loc[cid, "p_gold_low"] <= odds.loc[cid, "p_gold"] <= odds.loc[cid, "p_gold_high"]


# ----------------------------------------------------------------------------- 5. oracle
@pytest.mark.parametrize("method,counts", [("around", "fixed"), ("between", "varied")])
def test_every_draw_equals_assign_tiers_under_the_same_tables(sample, method, counts):
    inputs, pool, measures = sample
    drawn = se.draw_tables(inputs.policy, 400, seed=21, method=method, band_counts=counts)
    tier = se.sweep_tables(pool, measures, drawn, se.policy_setting(inputs.policy))
    rows = np.random.default_rng(3).choice(len(drawn), 20, replace=False)
    for i in rows:
        p = drawn.policy(inputs.policy, i)
        ref = _foundation(inputs, p)
        assert np.array_equal(ref["premium_coef"].to_numpy()[pool.position],
                              se.table_coefficients(measures, drawn.subset([i]))[0, :, 0])
        full = np.full(pool.n_customers, "regular", dtype=object)
        full[pool.position] = TIER_NAMES[tier[i]]
        assert (ref["tier"].astype(str).to_numpy() == full).all(), drawn.labels[i]



# ----------------------------------------------------------------------------- without every tier
def test_the_summaries_of_the_draws_equal_what_the_tiers_give(sample):
    """summarise_tables in chunks of a few draws: the list metrics of every draw, each
    candidate's tier counts and the first draws' tiers, as sweep_tables' (S, m) tiers give them."""
    inputs, pool, measures = sample
    base = se.policy_setting(inputs.policy)
    drawn = se.draw_tables(inputs.policy, 50, seed=8)
    tier = se.sweep_tables(pool, measures, drawn, base)
    baseline = se.sweep_tables(pool, measures, se.policy_tables(inputs.policy), base)[0]
    summary, first = se.summarise_tables(pool, measures, drawn, base, baseline, keep_rows=7,
                                         memory_budget=96 * len(pool) * 3)  # chunks of 3 draws
    assert summary.rows == 50 and np.array_equal(first, tier[:7])
    pd.testing.assert_frame_equal(summary.metrics(), se.list_metrics(tier, baseline))
    for code in range(3):
        assert np.array_equal(summary.counts[code], (tier == code).sum(axis=0))
    # the odds and their bootstrap intervals: the same numbers from the counts as from the tiers
    vi = se.value_indices(pool, base)[0]
    pd.testing.assert_frame_equal(se.table_draws.table_odds(pool, summary, baseline, vi, n_boot=50, seed=3),
                                  se.table_draws.table_odds(pool, tier, baseline, vi, n_boot=50, seed=3))


def test_bootstrap_interval_a_block_at_a_time_is_the_one_draw():
    # Binomial(10, p) counts drawn as one (n_boot, m) array, shares = counts / 10, quantiles
    # over the resamples; drawn in blocks of 3 resamples and taken over blocks of 2 candidates
    from tiermodel.sensitivity.table_draws import _binomial_interval

    p = np.array([0.0, 0.1, 0.5, 0.9, 1.0])
    boot = np.random.default_rng(4).binomial(10, p, size=(40, 5)) / 10
    want = np.quantile(boot, [0.025, 0.975], axis=0)
    low, high = _binomial_interval(np.random.default_rng(4), 10, p, 40, 0.025, memory_budget=8 * 5 * 3)
    assert np.array_equal(low, want[0]) and np.array_equal(high, want[1])
    assert low[0] == high[0] == 0.0 and low[4] == high[4] == 1.0  # never or always: no spread

# ----------------------------------------------------------------------------- result, errors, CLI
def test_result_tables_on_the_sample(sample):
    inputs, _, _ = sample
    r = se.table_uncertainty(inputs.portfolio, inputs.policy, inputs.capacity(), draws=256, sobol_n=64,
                             budget_draws=8, seed=4)
    tables = r.tables()
    assert all(len(k) <= MAX_TABLE_NAME for k in tables)
    assert list(r.members["member"]) == ["assumed", "quantile-fitted", "bracket low", "bracket high"]
    assert r.members.loc[0, "gold_swaps"] == 0 and r.members.loc[0, "gold_jaccard"] == 1
    odds = tables["table odds"]
    assert np.allclose(odds[["p_gold", "p_silver", "p_regular"]].sum(axis=1), 1)
    gold = r.summary.set_index("list").loc["gold"]
    assert gold["baseline"] == 40 and gold["mean_size"] == 40
    assert r.expected_gold_swaps() == pytest.approx(r.metrics["gold_swaps"].mean())
    assert set(tables["table sobol"]["input"]) == {*se.TABLE_INPUTS, "weights and K1/K2"}
    budget = tables["table budget"].set_index("case")
    assert budget.loc["assumed", "change_cny"] == 0
    assert (tables["table assumptions"]["kind"] == "assumed").all()
    again = se.table_uncertainty(inputs.portfolio, inputs.policy, inputs.capacity(), draws=256, sobol_n=64,
                                 budget_draws=8, seed=4)
    pd.testing.assert_frame_equal(again.odds, r.odds)


def test_bad_counts_and_choices_are_refused(policy):
    with pytest.raises(ParameterError, match="draws"):
        se.draw_tables(policy, 0)
    with pytest.raises(ParameterError, match="method"):
        se.draw_tables(policy, 3, method="sideways")
    with pytest.raises(ParameterError, match="band_counts"):
        se.draw_tables(policy, 3, band_counts="some")


def test_bracket_tables_out_of_order_are_refused():
    with pytest.raises(ParameterError, match="bracket_low"):
        load_policy().with_values({"table_uncertainty.profit.bracket_low":
                                   {"breaks": [0.5, 0.6, 0.7, 0.8, 0.9],
                                    "coefficients": [0, 0.2, 0.4, 0.6, 0.75, 0.9]}}, note="test")


def test_cli_sensitivity_tables_writes_the_workbook(tmp_path, capsys):
    out = tmp_path / "tables.xlsx"
    assert main(["sensitivity", "--tables", "--draws", "64", "--sobol-n", "16", "--budget-draws", "4",
                 "--out", str(out)]) == 0
    sheets = pd.ExcelFile(out).sheet_names
    from tiermodel.present import reader_table

    titles = {k: reader_table(pd.DataFrame(), k, "zh", "yuan").title for k in
              ("table odds", "table robust core", "table assumptions")}
    assert all(t in sheets for t in titles.values()), (titles, sheets)
    printed = capsys.readouterr().out
    # the terminal follows --lang (default zh): the summary's headers and the swaps line
    assert "稳定入选" in printed and "金牌名单平均更替" in printed
    assert main(["sensitivity", "--tables", "--draws", "0", "--out", str(tmp_path / "x.xlsx")]) == 2
    assert not (tmp_path / "x.xlsx").exists()
