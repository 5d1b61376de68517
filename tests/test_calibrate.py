"""Threshold calibration (issue 3): hand-made books where the right threshold is known.

Gold thresholds of 第11条 used below: long-term 50,000,000; health 5,000,000 at loss ratio
≤ 60 %; non-health 1,000,000 at loss ratio ≤ 40 %. Silver class A: 20M / 3M / 500k.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import yaml

from tiermodel import calibrate as cb
from tiermodel.cli import main
from tiermodel.errors import ParameterError
from tiermodel.io import write_text
from tiermodel.present.messages import render
from tiermodel.policy import BRANCH_CLASSES, load_policy
from tiermodel.scoring import score
from tiermodel.tiers import assign_tiers, eligibility_bits

M = 1_000_000


def book(rows, branch_class="A"):
    """A scored hand-made book; each row gives (long_term, health, health_lr, non_health,
    non_health_lr) and optionally is_new, class."""
    recs = []
    for i, r in enumerate(rows):
        lt, h, hlr, nh, nhlr = r[:5]
        recs.append({"customer_id": f"T{i:03d}", "branch": f"Br{r[6] if len(r) > 6 else branch_class}",
                     "branch_class": r[6] if len(r) > 6 else branch_class,
                     "effective_years": 5, "is_new": r[5] if len(r) > 5 else False,
                     "long_term_std_premium": float(lt), "health_premium": float(h),
                     "health_loss_ratio": hlr, "non_health_premium": float(nh),
                     "non_health_loss_ratio": nhlr, "profit_margin": 0.1,
                     "first_service_objects": 1, "second_service_objects": 1})
    df = pd.DataFrame(recs)
    df["branch_class"] = pd.Categorical(df["branch_class"], categories=BRANCH_CLASSES)
    df["standard_premium"] = np.nan
    return score(df, load_policy())


@pytest.fixture(scope="module")
def policy():
    return load_policy()


def gold_solution(scored, policy, target, tie="at_least", method="scale"):
    cal = cb.solve_thresholds(scored, policy, cb.Targets(target, {}), method, tie)
    return cal.solutions[0], cal


# ----------------------------------------------------------------------------- scale factor
def test_scale_is_the_kth_largest_ratio(policy):
    # r = long-term / 50M: 60M → 1.2, 45M → 0.9, 30M → 0.6, nothing → 0.
    # Two candidates wanted: s = 2nd largest r = 0.9, so the minimums become
    # 0.9 × (50M, 5M, 1M) = 45M, 4.5M, 900k (all round already).
    scored = book([(60 * M, 0, 0, 0, 0), (45 * M, 0, 0, 0, 0), (30 * M, 0, 0, 0, 0), (0, 0, 0, 0, 0)])
    sol, cal = gold_solution(scored, policy, 2)
    assert sol.current == 1 and sol.achieved == 2
    assert sol.scale == pytest.approx(0.9)
    assert sol.changes == {"eligibility.gold.long_term_std_premium_min": (50 * M, 45 * M),
                           "eligibility.gold.health_premium_min": (5 * M, 4.5 * M),
                           "eligibility.gold.non_health_premium_min": (1 * M, 900_000)}
    assert cb.candidate_counts(scored, cal.policy)["gold"] == 2


def test_scale_uses_only_criteria_within_the_loss_ratio_cap(policy):
    # health 4M at exactly 60 % → r = 4/5 = 0.8 (cap inclusive); health 4.5M at 61 % → 0;
    # non-health 700k at 40 % → 0.7; long-term 60M → 1.2, 45M → 0.9.
    # Target 3 → s = 0.8: long-term min 40M, health min 4M (the deciding customer's own
    # premium), non-health 800k (700k stays out).
    scored = book([(60 * M, 0, 0, 0, 0), (45 * M, 0, 0, 0, 0), (0, 4 * M, 0.60, 0, 0),
                   (0, 4.5 * M, 0.61, 0, 0), (0, 0, 0, 700_000, 0.40)])
    sol, cal = gold_solution(scored, policy, 3)
    assert sol.achieved == 3
    new = {k.split(".")[-1]: v[1] for k, v in sol.changes.items()}
    assert new == {"long_term_std_premium_min": 40 * M, "health_premium_min": 4 * M,
                   "non_health_premium_min": 800_000}
    gold_bits, _ = eligibility_bits(scored, cal.policy)
    assert list(gold_bits != 0) == [True, True, True, False, False]


def test_ties_straddling_the_target(policy):
    # r = 1.2, 0.9, 0.9, 0.6: no threshold gives exactly 2 (the two 45M customers qualify
    # together). at_least → 3 at 45M; at_most → 1, threshold in (45M, 60M] → 60M.
    scored = book([(60 * M, 0, 0, 0, 0), (45 * M, 0, 0, 0, 0), (45 * M, 0, 0, 0, 0), (30 * M, 0, 0, 0, 0)])
    sol, _ = gold_solution(scored, policy, 2, "at_least")
    assert sol.achieved == 3
    assert sol.changes["eligibility.gold.long_term_std_premium_min"][1] == 45 * M
    assert sol.message.code == "calibrate.tie" and "tied" in render(sol.message, "en")
    sol, _ = gold_solution(scored, policy, 2, "at_most")
    assert sol.achieved == 1
    assert sol.changes["eligibility.gold.long_term_std_premium_min"][1] == 60 * M


def test_unreachable_scale_target_says_why(policy):
    # Only 2 customers have any qualifying premium (the third's health loss ratio is 70 %).
    scored = book([(60 * M, 0, 0, 0, 0), (0, 0, 0, 10_000, 0.30), (0, 9 * M, 0.70, 0, 0)])
    sol, cal = gold_solution(scored, policy, 3)
    assert not sol.reachable and sol.changes == {}
    assert "only 2 customers have any" in render(sol.message, "en")
    assert cal.policy.eligibility.gold == policy.eligibility.gold  # left as in force
    assert cal.unreachable() and render(cal.unreachable()[0], "en").startswith("Gold: unreachable")


# ----------------------------------------------------------------------------- one criterion
def test_one_criterion_moves_alone(policy):
    # Long-term 60M qualifies whatever health does (base 1). Health keys (within 60 %):
    # 4M, 3M, 2M. Target 3 = base 1 + 2 health → health min in (2M, 3M] → roundest 3M.
    scored = book([(60 * M, 0, 0, 0, 0), (0, 4 * M, 0.5, 0, 0), (0, 3 * M, 0.6, 0, 0),
                   (0, 2 * M, 0.1, 0, 0), (0, 8 * M, 0.9, 0, 0)])
    sol, cal = gold_solution(scored, policy, 3, method="health")
    assert sol.achieved == 3
    assert sol.changes == {"eligibility.gold.health_premium_min": (5 * M, 3 * M)}
    assert cb.candidate_counts(scored, cal.policy)["gold"] == 3


def test_one_criterion_unreachable_both_ways(policy):
    # Two customers qualify by long-term premium: health alone cannot go below 2;
    # one health customer within the cap (the other is at 90 %): at most 3.
    scored = book([(60 * M, 0, 0, 0, 0), (55 * M, 0, 0, 0, 0), (0, 4 * M, 0.5, 0, 0), (0, 8 * M, 0.9, 0, 0)])
    sol, _ = gold_solution(scored, policy, 1, method="health")
    assert not sol.reachable and "2 customers already qualify by long-term" in render(sol.message, "en")
    sol, _ = gold_solution(scored, policy, 4, method="health")
    assert not sol.reachable and "only 1 customers have any health premium" in render(sol.message, "en")


# ----------------------------------------------------------------------------- silver
def test_silver_population_excludes_gold(policy):
    # Class A, one existing customer with 60M long-term is made Gold (the only Gold candidate),
    # so Silver class A candidates are drawn from the other three: long-term 25M, 15M, 12M
    # → r = 1.25, 0.75, 0.6 against 20M. Target 2 → s = 0.75 → long-term min 15M.
    scored = book([(60 * M, 0, 0, 0, 0), (25 * M, 0, 0, 0, 0), (15 * M, 0, 0, 0, 0), (12 * M, 0, 0, 0, 0)])
    cal = cb.solve_thresholds(scored, policy, cb.Targets(None, {"A": 2}))
    sol = cal.solutions[0]
    assert sol.group == "A" and sol.current == 1 and sol.achieved == 2
    assert sol.changes["eligibility.silver.A.long_term_std_premium_min"] == (20 * M, 15 * M)
    # more than the class holds once the Gold customer is out
    with pytest.raises(cb.CalibrationError, match="more than the book: class A .* only 3"):
        cb.solve_thresholds(scored, policy, cb.Targets(None, {"A": 4}))


# ----------------------------------------------------------------------------- bad targets
@pytest.mark.parametrize("gold, silver, match", [
    (-1, None, "cannot be negative"),
    (2.5, None, "whole number"),
    ("many", None, "whole number"),
    (None, "E=3", "unknown branch class 'E'"),
    (None, "A:3", "write CLASS=COUNT"),
    (None, {"B": -2}, "class B is -2"),
])
def test_bad_targets_refused(gold, silver, match):
    with pytest.raises(cb.CalibrationError, match=match):
        cb.parse_targets(gold, silver, default=cb.Targets(80, {"A": 1}))


def test_target_more_than_the_book_refused(policy):
    scored = book([(60 * M, 0, 0, 0, 0), (0, 0, 0, 0, 0)])
    with pytest.raises(cb.CalibrationError, match="Gold candidate pool of 3 is more than the book.*only 2"):
        cb.solve_thresholds(scored, policy, cb.Targets(3, {}))


def test_bad_options_refused(policy):
    scored = book([(60 * M, 0, 0, 0, 0)])
    with pytest.raises(cb.CalibrationError, match="method 'median'"):
        cb.solve_thresholds(scored, policy, cb.Targets(1, {}), method="median")
    with pytest.raises(cb.CalibrationError, match="tie rule 'nearest'"):
        cb.solve_thresholds(scored, policy, cb.Targets(1, {}), tie="nearest")


# ----------------------------------------------------------------------------- curves
def test_count_curves_match_direct_counts(policy):
    # Gold: at factor 1 the count is the count in force (2: 60M long-term, 1.2M non-health
    # at 30 %); health 6M at 65 % joins when the health cap reaches 0.65.
    scored = book([(60 * M, 0, 0, 0, 0), (0, 0, 0, 1.2 * M, 0.30), (0, 6 * M, 0.65, 0, 0), (0, 0, 0, 0, 0)])
    curves = cb.count_curves(scored, policy, n_points=201, factor_range=(0.1, 10.0), groups=["gold"])
    scale = curves[curves["parameter"] == "scale"]
    at_one = scale.iloc[(scale["factor"] - 1).abs().argmin()]
    assert at_one["candidates"] == 2
    # at scale 0.1 everyone with a qualifying premium: 60M, 1.2M non-health (6M health is over cap)
    assert scale["candidates"].iloc[0] == 2 and scale["candidates"].iloc[-1] == 0
    cap = curves[curves["parameter"] == "health_loss_ratio_max"]
    assert cap.loc[cap["value"] < 0.65, "candidates"].max() == 2
    assert cap.loc[cap["value"] >= 0.65, "candidates"].min() == 3
    assert (np.diff(scale["candidates"]) <= 0).all()


def test_count_curve_needs_points(policy):
    with pytest.raises(cb.CalibrationError, match="at least 2 points"):
        cb.count_curves(book([(0, 0, 0, 0, 0)]), policy, n_points=1)


# ----------------------------------------------------------------------------- 附表 edges
def test_fit_band_edges_distinct_values():
    # 1..100, four bands of 25 %: edge i is the value at sorted position 25·i → 26, 51, 76
    # (25 values below 26, 50 below 51, 75 below 76).
    assert cb.fit_band_edges(np.arange(1, 101), [0.25] * 4) == [26.0, 51.0, 76.0]


def test_fit_band_edges_with_ties():
    # years 1,1,1,1,2,2,3,3,3,4; two equal bands want 5 below the edge: 2 gives 4 below,
    # 3 gives 6 below — equally near; the lower (2) is taken.
    assert cb.fit_band_edges([1, 1, 1, 1, 2, 2, 3, 3, 3, 4], [0.5, 0.5]) == [2.0]


@pytest.mark.parametrize("values, shares, match", [
    (np.arange(10), [0.5, 0.6], "sum to 1"),
    (np.arange(10), [1.0], "at least two bands"),
    ([1, 1, 1], [0.5, 0.5], "only 1 distinct"),
])
def test_fit_band_edges_refuses(values, shares, match):
    with pytest.raises(cb.CalibrationError, match=match):
        cb.fit_band_edges(values, shares)


# ----------------------------------------------------------------------------- scenario file
@pytest.fixture(scope="module")
def sample_run():
    from tiermodel.run_inputs import load_inputs

    inputs = load_inputs()
    return inputs, cb.calibrate_book(inputs.portfolio, inputs.policy, inputs.capacity(), fit_tables=True)


def test_written_scenario_reproduces_targets(sample_run, tmp_path):
    inputs, run = sample_run
    targets = run.final.targets
    path = write_text(tmp_path / "calibrated.yaml", run.scenario_text("test"))
    text = path.read_text(encoding="utf-8")
    assert "# was 50,000,000; meets Gold candidate pool of 80" in text
    assert yaml.safe_load(text)["description"].startswith("test")
    loaded = load_policy(str(path))
    counts = cb.candidate_counts(score(inputs.portfolio, loaded), loaded)
    wanted = {"gold": targets.gold_pool, **targets.silver}
    achieved = {s.group: s.achieved for s in run.final.solutions}
    assert counts == achieved
    # on the sample no tie straddles a target, so every target is met exactly
    assert counts == wanted
    prov = loaded.provenance["eligibility.gold.long_term_std_premium_min"]
    assert prov.scenario == "calibrated" and prov.base_value == 50 * M


def test_result_tables_are_the_workbook(sample_run, tmp_path):
    # one list of exported tables: the CLI workbook is Calibration.tables(), in that order
    _, run = sample_run
    names = list(run.tables())
    assert names == ["candidates", "criteria overlap", "gold pool", "gold cut margin", "calibration",
                     "criterion alone", "threshold changes", "scenario changes", "band shares",
                     "gold list change"]
    assert all(len(n) <= 28 for n in names)
    out = tmp_path / "cal.xlsx"
    assert main(["calibrate", "--workbook", str(out)]) == 0
    from tiermodel.present import reader_table
    from tiermodel.present.workbook import sheet_names

    with pd.ExcelFile(out) as book:  # a contents sheet, then the tables in order, named in --lang (zh)
        assert book.sheet_names == ["目录"] + sheet_names([reader_table(pd.DataFrame(), n, "zh", "yuan")
                                                          for n in names], ["目录"])


def test_scenario_file_guards(tmp_path, capsys):
    # the scenario file is written by the command line (tiermodel.io), checked before any work
    path = tmp_path / "c.yaml"
    assert main(["calibrate", "--out", str(path)]) == 0
    capsys.readouterr()
    assert main(["calibrate", "--out", str(path)]) == 2
    assert re.search("already exists.*--force", capsys.readouterr().err)
    assert main(["calibrate", "--out", str(path), "--force"]) == 0
    capsys.readouterr()
    assert main(["calibrate", "--out", str(tmp_path / "policy-2003.yaml")]) == 2
    assert re.search("refusing to write over the policy", capsys.readouterr().err)
    assert main(["calibrate", "--out", str(tmp_path / "c.txt")]) == 2
    assert re.search("must end in .yaml", capsys.readouterr().err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.yaml"]  # no partial file left


def test_scenario_that_does_not_load_is_not_written(tmp_path):
    # the loader runs on the temporary file; if it refuses the text, nothing is left behind
    from tiermodel.policy import load_policy

    with pytest.raises(ParameterError):
        write_text(tmp_path / "bad.yaml", "value_index:\n  weights: {premium: {value: 2.0}}\n",
                   check=lambda tmp: load_policy(str(tmp)))
    assert list(tmp_path.iterdir()) == []


def test_cli_refuses_bad_target_and_existing_file(tmp_path, capsys):
    assert main(["calibrate", "--gold-pool", "-5"]) == 2
    assert "cannot be negative" in capsys.readouterr().err
    existing = tmp_path / "x.yaml"
    existing.write_text("description: mine\n")
    assert main(["calibrate", "--out", str(existing)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert existing.read_text() == "description: mine\n"


# ----------------------------------------------------------------------------- diagnostics
def test_diagnostics_on_a_hand_book(policy):
    # 3 Gold candidates (60M long-term; 6M health at 50 %; both long-term 70M and 2M
    # non-health at 20 %) — all existing, 30 places → excess -27. One Silver-only customer.
    scored = book([(60 * M, 0, 0, 0, 0), (0, 6 * M, 0.5, 0, 0), (70 * M, 0, 0, 2 * M, 0.2),
                   (25 * M, 0, 0, 0, 0), (0, 0, 0, 0, 0)])
    capacity = pd.Series({"BrA": 30}, name="silver_capacity")
    tiering = assign_tiers(scored, policy, capacity)
    overlap = cb.criteria_overlap(tiering)
    assert overlap.loc["long-term premium", "gold"] == 1
    assert overlap.loc["health premium", "gold"] == 1
    assert overlap.loc["long-term premium + non-health premium", "gold"] == 1
    assert overlap.loc["total", "gold"] == 3 and overlap.loc["total", "silver"] == 4
    excess = cb.gold_pool_excess(tiering, policy)
    assert excess.loc["existing", "excess"] == -27 and excess.loc["total", "candidates"] == 3
    table = cb.candidate_table(tiering)
    assert table.loc["A", "silver_candidates"] == 1 and table.loc["A", "silver_places"] == 30


# ----------------------------------------------------------------------------- threshold order
def test_calibration_refuses_an_inverted_threshold_order(policy):
    # Class A, four customers with long-term 45M, 44M, 43M, 42M and nothing else: none reaches
    # Gold's 50M. Silver A target 1 → scale between 44/20 = 2.2 and 45/20 = 2.25 on every A
    # minimum: long-term ≤ 45M stays below Gold's 50M, but health 3M × ≥ 2.2 ≥ 6.6M exceeds
    # Gold's 5M (and non-health 0.5M × 2.2 = 1.1M Gold's 1M): the order Gold ≥ A of 第11条
    # would break -> refused, thresholds unchanged, the message names both thresholds.
    scored = book([(45 * M, 0, 0, 0, 0), (44 * M, 0, 0, 0, 0), (43 * M, 0, 0, 0, 0), (42 * M, 0, 0, 0, 0)])
    cal = cb.solve_thresholds(scored, policy, cb.Targets(None, {"A": 1}))
    sol = cal.solutions[0]
    assert not sol.reachable and render(sol.message, "en").startswith("refused: ")
    # both thresholds by their reader's names, not their dotted keys
    assert ("Gold entry: minimum health premium = 5,000,000 would be below Silver entry, class A branch: "
            "minimum health premium") in render(sol.message, "en")
    assert "金牌入选条件·健康险年度累计保费下限为5,000,000元，将低于银牌入选条件（A类分公司）·健康险年度累计保费下限" \
        in render(sol.message, "zh")
    assert cal.policy.eligibility == policy.eligibility
    # moving the long-term minimum alone keeps the order: target 3 → 43M ≤ Gold's 50M
    cal = cb.solve_thresholds(scored, policy, cb.Targets(None, {"A": 3}), method="long_term")
    assert cal.solutions[0].reachable
    assert cal.policy.eligibility.silver.A.long_term_std_premium_min == 43 * M
    assert cb.thresholds.threshold_order_problem(cal.policy) == ""


def test_sample_calibration_keeps_the_order(sample_run):
    # solved together, the final thresholds keep Gold ≥ A ≥ B ≥ C ≥ D (A alone would sit below
    # B's current health minimum, but B is lowered too)
    inputs, run = sample_run
    assert cb.thresholds.threshold_order_problem(run.final.policy) == ""
