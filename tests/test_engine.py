"""The batched re-tiering engine (tiermodel/sensitivity/engine.py) on small hand-worked books.

Focused and fast: `make mutate` runs these tests against every mutant of the engine. Every
expected list below is worked out by hand from the articles; each setting is also re-run
through the single-policy path ``assign_tiers(score(book, policy))`` (第10–13条).

The book (``BOOK``; class-C branches, every loss ratio 0.30 ≤ 40 %, standard premium = the
non-health premium since the other amounts are 0 and every factor is 1). Coefficients read from
the assumed 附表1–3 of RULES.md §2; K1 = 3.5 / 2 / 1.5 / 1 for years 1 / 2 / 3 / 4+, K2 = 1:

  row id    branch  new  non-health  years  margin | premium loyalty  profit | 30/30/40 index
  r0  C005  Wuhu    yes   2,000,000    1     0.35  |  0.20    0.20     1.00  | .06+.21 +.40 = 0.67
  r1  C002  Hefei   no   30,000,000    2     0.25  |  0.60    0.35     0.85  | .18+.21 +.34 = 0.73
  r2  C001  Hefei   no    1,200,000   10     0.02  |  0.20    1.00     0.30  | .06+.30 +.12 = 0.48
  r3  C004  Hefei   yes  60,000,000    1    -0.05  |  0.80    0.20     0.00  | .24+.21 +.00 = 0.45
  r4  C003  Wuhu    no    8,000,000    6     0.12  |  0.30    0.80     0.70  | .09+.24 +.28 = 0.61
  r5  C006  Hefei   no      600,000   10     0.35  |  0.10    1.00     1.00  | .03+.30 +.40 = 0.73
  r6  C007  Wuhu    no      300,000    5     0.15  |  0.10    0.70     0.70  | .03+.21 +.28 = 0.52
  r7  C008  Hefei   no       50,000   10     0.00  |  not a candidate (below every 第11条 minimum)
  r8  C009  Anqing  no      200,000    3     0.07  |  0.10    0.50     0.50  | .03+.225+.20 = 0.455

(loyalty × K1 inside the index: C005 and C004 0.20 × 3.5 = 0.70, C002 0.35 × 2 = 0.70,
C009 0.50 × 1.5 = 0.75.) Gold-eligible (non-health ≥ 1,000,000): C001–C005; Silver-eligible
(class C: non-health ≥ 100,000): C001–C007 and C009. Places: 2 existing Gold, 1 new Gold,
1 Silver place in each branch.

Candidates in tie-rule order (standard premium ↓, id ↑): C004 60M, C002 30M, C003 8M,
C005 2M, C001 1.2M, C006 600k, C007 300k, C009 200k — rows 3, 1, 4, 0, 2, 5, 6, 8.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import customers
from tiermodel.errors import ParameterError, TiermodelError
from tiermodel.policy import load_policy
from tiermodel.scoring import score
from tiermodel.sensitivity import engine as se
from tiermodel.tiers import assign_tiers

ROWS = [
    dict(customer_id="C005", branch="Wuhu", is_new=True, non_health_premium=2_000_000, effective_years=1,
         profit_margin=0.35),
    dict(customer_id="C002", non_health_premium=30_000_000, effective_years=2, profit_margin=0.25),
    dict(customer_id="C001", non_health_premium=1_200_000, effective_years=10, profit_margin=0.02),
    dict(customer_id="C004", is_new=True, non_health_premium=60_000_000, effective_years=1, profit_margin=-0.05),
    dict(customer_id="C003", branch="Wuhu", non_health_premium=8_000_000, effective_years=6, profit_margin=0.12),
    dict(customer_id="C006", non_health_premium=600_000, effective_years=10, profit_margin=0.35),
    dict(customer_id="C007", branch="Wuhu", non_health_premium=300_000, effective_years=5, profit_margin=0.15),
    dict(customer_id="C008", non_health_premium=50_000, effective_years=10, profit_margin=0.0),
    dict(customer_id="C009", branch="Anqing", non_health_premium=200_000, effective_years=3, profit_margin=0.07),
]
for _row in ROWS:
    _row["non_health_loss_ratio"] = 0.3
ORDER = ["C004", "C002", "C003", "C005", "C001", "C006", "C007", "C009"]  # pool order
CAPACITY = pd.Series({"Hefei": 1, "Wuhu": 1, "Anqing": 1})
K1 = [3.5, 2.0, 1.5, 1.0]
K2 = [1.0, 1.0, 1.0, 1.0]


def _policy(**changes):
    values = {"gold_selection.existing_places": 2, "gold_selection.new_places": 1}
    values.update({f"gold_selection.{k}": v for k, v in changes.items()})
    return load_policy().with_values(values, note="test")


@pytest.fixture(scope="module")
def book():
    policy = _policy()
    table = customers(*ROWS)
    return policy, table, se.candidate_pool(table, policy, CAPACITY)


def _lists(sw, pool, i=0):
    """``{tier: set of ids}`` of setting ``i``."""
    tiers = sw.tiers_of_all(i)
    ids = np.full(pool.n_customers, "", dtype=object)
    ids[pool.position] = pool.table["customer_id"].to_numpy()
    out = {"gold": set(), "silver": set(), "regular": set()}
    for cid, t in zip(ids, tiers):
        if cid:
            out[t].add(cid)
    return out


def _reference(table, policy, capacity=CAPACITY):
    """``{tier: set of ids}`` of the candidates by the single-policy path."""
    ref = assign_tiers(score(table, policy), policy, capacity).table
    out = {"gold": set(), "silver": set(), "regular": set()}
    for cid, t in zip(ref["customer_id"], ref["tier"].astype(str)):
        out[t].add(cid)
    out["regular"] -= {"C008"} if "C008" in set(ref["customer_id"]) else set()
    return out


# ----------------------------------------------------------------------------- the pool
def test_pool_holds_the_candidates_in_tie_rule_order(book):
    _, table, pool = book
    assert len(pool) == 8 and pool.n_customers == 9
    assert list(pool.table["customer_id"]) == ORDER
    assert pool.position.tolist() == [3, 1, 4, 0, 2, 5, 6, 8]
    # effective years 1, 2, 6, 1, 10, 10, 5, 3 → K column 0, 1, 3, 0, 3, 3, 3, 2 (4+ shares one)
    assert pool.year_index.tolist() == [0, 1, 3, 0, 3, 3, 3, 2]
    assert pool.gold_eligible.tolist() == [True] * 5 + [False] * 3
    assert pool.silver_eligible.tolist() == [True] * 8
    assert pool.is_new.tolist() == [True, False, False, True, False, False, False, False]
    # branches in sorted order: Anqing 0, Hefei 1, Wuhu 2
    assert pool.branch_names.tolist() == ["Anqing", "Hefei", "Wuhu"]
    assert pool.branch_code.tolist() == [1, 1, 2, 2, 1, 1, 2, 0]
    assert pool.capacity.tolist() == [1, 1, 1] and pool.capacity.dtype == np.int64
    # 1 new place for 2 new Gold candidates, nothing passes on; 2 existing places
    assert (pool.new_places, pool.existing_places) == (1, 2)
    assert pool.coefs.tolist() == [[0.80, 0.20, 0.00], [0.60, 0.35, 0.85], [0.30, 0.80, 0.70],
                                   [0.20, 0.20, 1.00], [0.20, 1.00, 0.30], [0.10, 1.00, 1.00],
                                   [0.10, 0.70, 0.70], [0.10, 0.50, 0.50]]
    assert pool.coefs.flags["C_CONTIGUOUS"]
    # the table: the scored columns without the policy's own index and K, plus eligibility
    scored = list(score(table, book[0]).columns)
    assert list(pool.table.columns) == [c for c in scored if c not in ("value_index", "k1", "k2")] + \
        ["gold_eligible", "silver_eligible"]
    assert pool.table["standard_premium_used"].tolist() == [60e6, 30e6, 8e6, 2e6, 1.2e6, 6e5, 3e5, 2e5]
    assert pool.table["gold_eligible"].tolist() == pool.gold_eligible.tolist()
    assert pool.table["silver_eligible"].tolist() == [True] * 8
    assert list(pool.table.index) == list(range(8))


def test_pool_default_capacity_is_the_class_default(book):
    policy, table, _ = book
    pool = se.candidate_pool(table, policy)
    assert pool.capacity.tolist() == [20, 20, 20]  # class C: 20 Silver places (assumed, 第13条)


def test_pool_holds_capacity_in_whole_places(book):
    policy, table, _ = book
    pool = se.candidate_pool(table, policy, pd.Series({"Wuhu": 3.0, "Hefei": 2.0, "Anqing": 1.0, "Other": 9.0}))
    assert pool.capacity.tolist() == [1, 2, 3] and pool.capacity.dtype == np.int64  # Anqing, Hefei, Wuhu


def test_every_criterion_makes_a_candidate():
    """第11条: any one criterion qualifies. Hefei (class C), 4 Silver places, 2 existing Gold:
      G1 long-term standard premium 60,000,000 ≥ 50M (Gold by the first criterion only)
      G2 health premium 6,000,000 ≥ 5M at loss ratio 0.5 ≤ 60 % (Gold by the second only)
      S1 long-term 6,000,000 ≥ 5M (class C Silver minimum; below Gold's 50M)
      S2 health 1,500,000 ≥ 1M at loss ratio 0.5 (Silver only)
      S3 non-health 200,000 ≥ 100,000 at loss ratio 0.3 (Silver only)
    All five are candidates; G1 and G2 Gold, the three others Silver."""
    policy = _policy()
    table = customers(dict(long_term_std_premium=60_000_000), dict(health_premium=6_000_000, health_loss_ratio=0.5),
                      dict(long_term_std_premium=6_000_000), dict(health_premium=1_500_000, health_loss_ratio=0.5),
                      dict(non_health_premium=200_000, non_health_loss_ratio=0.3))
    cap = pd.Series({"Hefei": 4})
    pool = se.candidate_pool(table, policy, cap)
    # standard premium 60M, 6M, 6M (tied: id order), 1.5M, 0.2M
    assert list(pool.table["customer_id"]) == ["C001", "C002", "C003", "C004", "C005"]
    assert pool.gold_eligible.tolist() == [True, True, False, False, False]
    assert pool.silver_eligible.tolist() == [True] * 5 and pool.table["silver_eligible"].tolist() == [True] * 5
    base = se.policy_setting(policy)
    sw = se.sweep(pool, base, base)
    assert sw.tiers_of_all(0).tolist() == ["gold", "gold", "silver", "silver", "silver"]
    ref = assign_tiers(score(table, policy), policy, cap).table
    assert ref["tier"].astype(str).tolist() == ["gold", "gold", "silver", "silver", "silver"]


def test_pool_refuses_a_branch_without_capacity(book):
    policy, table, _ = book
    with pytest.raises(TiermodelError) as err:
        se.candidate_pool(table, policy, pd.Series({"Hefei": 1}))
    assert str(err.value) == "no Silver capacity for branch(es) ['Anqing', 'Wuhu']"


def test_unfilled_new_places_pass_on_in_the_pool():
    """3 new places, 2 new Gold candidates (C004, C005): 1 passes on, existing 2 + 1 = 3."""
    policy = _policy(new_places=3, unfilled_new_places_go_to_existing=True)
    table = customers(*ROWS)
    pool = se.candidate_pool(table, policy, CAPACITY)
    assert (pool.new_places, pool.existing_places) == (3, 3)
    base = se.policy_setting(policy)
    sw = se.sweep(pool, base, base)
    # every Gold candidate is Gold (2 new of 3 places, 3 existing of 3); Silver: the best of the
    # rest per branch — Hefei C006, Wuhu C007, Anqing C009
    want = {"gold": {"C001", "C002", "C003", "C004", "C005"}, "silver": {"C006", "C007", "C009"},
            "regular": set()}
    assert _lists(sw, pool) == want == _reference(table, policy)


def test_no_new_place_leaves_the_new_pool_out():
    """0 new places: neither C004 nor C005 is Gold; they compete for Silver in their branches."""
    policy = _policy(new_places=0)
    table = customers(*ROWS)
    pool = se.candidate_pool(table, policy, CAPACITY)
    base = se.policy_setting(policy)
    sw = se.sweep(pool, base, base)
    # Gold: C002 0.73, C003 0.61. Hefei Silver: C006 0.73 > C001 0.48 > C004 0.45;
    # Wuhu: C005 0.67 > C007 0.52; Anqing: C009
    want = {"gold": {"C002", "C003"}, "silver": {"C006", "C005", "C009"},
            "regular": {"C001", "C004", "C007"}}
    assert _lists(sw, pool) == want == _reference(table, policy)


# ----------------------------------------------------------------------------- value index, keys
def test_value_indices_and_order_keys_by_hand(book):
    policy, _, pool = book
    base = se.policy_setting(policy)
    vi = se.value_indices(pool, base)
    assert vi.shape == (1, 8)
    assert vi[0].tolist() == pytest.approx([0.45, 0.73, 0.61, 0.67, 0.48, 0.73, 0.52, 0.455], abs=1e-12)
    # key = round(index × 10^10) × 2^b + (m − 1 − position); m = 8 → b = bit length of 7 = 3
    keys = se.order_keys(pool, vi)
    assert keys.dtype == np.int64
    assert keys[0].tolist() == [4_500_000_000 * 8 + 7, 7_300_000_000 * 8 + 6, 6_100_000_000 * 8 + 5,
                                6_700_000_000 * 8 + 4, 4_800_000_000 * 8 + 3, 7_300_000_000 * 8 + 2,
                                5_200_000_000 * 8 + 1, 4_550_000_000 * 8 + 0]


@pytest.mark.parametrize("weights, k1, k2, want", [
    # premium only: 0.80 0.60 0.30 0.20 0.20 0.10 0.10 0.10
    ([1, 0, 0], K1, K2, [0.80, 0.60, 0.30, 0.20, 0.20, 0.10, 0.10, 0.10]),
    # loyalty × K1: 0.20·3.5, 0.35·2, 0.80·1, 0.20·3.5, 1.00·1, 1.00·1, 0.70·1, 0.50·1.5
    ([0, 1, 0], K1, K2, [0.70, 0.70, 0.80, 0.70, 1.00, 1.00, 0.70, 0.75]),
    # profit × K2 with K2 = 0.1 in year 2 and 3 in year 3: 0.85·0.1 for C002, 0.50·3 for C009
    ([0, 0, 1], K1, [1, 0.1, 3, 1], [0.00, 0.085, 0.70, 1.00, 0.30, 1.00, 0.70, 1.50]),
    # loyalty with K1 = 1, 2, 4, 8: 0.20·1, 0.35·2, 0.80·8, 0.20·1, 1·8, 1·8, 0.70·8, 0.50·4
    ([0, 1, 0], [1, 2, 4, 8], K2, [0.20, 0.70, 6.40, 0.20, 8.00, 8.00, 5.60, 2.00]),
])
def test_value_indices_of_other_settings(book, weights, k1, k2, want):
    _, _, pool = book
    vi = se.value_indices(pool, se.make_settings(weights, k1, k2))
    assert vi[0].tolist() == pytest.approx(want, abs=1e-12)


def test_value_indices_under_other_coefficients(book):
    """Coefficients all 1 (other 附表1–3), 30/30/40: 0.3 + 0.3·K1 + 0.4·K2 per year column."""
    _, _, pool = book
    coefs = np.ones((2, 8, 3))
    coefs[1, :, 2] = 0.0  # second row: profit coefficient 0 → 0.3 + 0.3·K1
    vi = se.value_indices(pool, se.make_settings([0.3, 0.3, 0.4], K1, K2), coefs)
    # year 1: 0.3 + 1.05 + 0.4 = 1.75; year 2: 0.3 + 0.6 + 0.4 = 1.30; year 3: 0.3 + 0.45 + 0.4
    # = 1.15; year 4+: 0.3 + 0.3 + 0.4 = 1.00
    assert vi[0].tolist() == pytest.approx([1.75, 1.30, 1.00, 1.75, 1.00, 1.00, 1.00, 1.15], abs=1e-12)
    assert vi[1].tolist() == pytest.approx([1.35, 0.90, 0.60, 1.35, 0.60, 0.60, 0.60, 0.75], abs=1e-12)


def test_order_keys_of_one_candidate_and_of_none():
    """m = 1: one position bit all the same (b = max(1, 0) = 1): key = round(index·10^10) · 2."""
    policy = _policy()
    one = se.candidate_pool(customers(ROWS[8]), policy, pd.Series({"Anqing": 1}))
    assert len(one) == 1
    keys = se.order_keys(one, np.array([[0.455], [0.5]]))
    assert keys.tolist() == [[4_550_000_000 * 2], [5_000_000_000 * 2]]
    none = se.candidate_pool(customers(ROWS[7]), policy, pd.Series({"Hefei": 1}))
    assert len(none) == 0
    assert se.order_keys(none, np.zeros((2, 0))).shape == (2, 0)


def test_order_keys_refuse_an_index_too_large_to_rank_exactly():
    """One candidate: b = 1 and the limit is 2^min(53, 61) = 2^53 ≈ 9.007e15 integer units of
    10^-10, an index of 900,719.93. Loyalty 1.0 (10 years) × K1 = 900,719.9 is ranked, 900,720
    is refused."""
    policy = _policy()
    pool = se.candidate_pool(customers(ROWS[8] | {"effective_years": 10}), policy, pd.Series({"Anqing": 1}))
    ok = se.order_keys(pool, se.value_indices(pool, se.make_settings([0, 1, 0], [1, 1, 1, 900_719.9], K2)))
    assert ok.tolist() == [[9_007_199_000_000_000 * 2]]
    with pytest.raises(TiermodelError, match=r"value index up to 9\.007e\+05 is too large to rank exactly "
                                             r"with 1 candidates; narrow the K ranges"):
        se.order_keys(pool, se.value_indices(pool, se.make_settings([0, 1, 0], [1, 1, 1, 900_720], K2)))


def test_order_keys_refuse_an_index_at_two_to_the_53():
    """An index of 2^53 / 10^10 = 900,719.9254740992 is 2^53 units exactly: refused, since above
    2^53 neighbouring whole numbers are no longer all floats (2^53 + 1 is not one), so two
    different indices could share that key."""
    policy = _policy()
    pool = se.candidate_pool(customers(ROWS[8] | {"effective_years": 10}), policy, pd.Series({"Anqing": 1}))
    k = 2.0 ** 53 / 1e10
    with pytest.raises(TiermodelError, match="too large to rank exactly"):
        se.order_keys(pool, se.value_indices(pool, se.make_settings([0, 1, 0], [1, 1, 1, k], K2)))


def test_order_keys_leave_room_for_the_position_bits():
    """513 candidates need b = bit length of 512 = 10 position bits, so the index may use at most
    62 − 10 = 52 bits: limit 2^52 = 4,503,599,627,370,496 units, an index of 450,359.96.
    K1 = 450,359.9 (× loyalty 1.0) is ranked with every key below 2^62; 450,360 is refused."""
    policy = _policy()
    rows = [dict(ROWS[5], customer_id=f"S{i:03d}") for i in range(513)]
    pool = se.candidate_pool(customers(*rows), policy, pd.Series({"Hefei": 20}))
    assert len(pool) == 513
    keys = se.order_keys(pool, se.value_indices(pool, se.make_settings([0, 1, 0], [1, 1, 1, 450_359.9], K2)))
    # 4,503,599,000,000,000 · 1024 + 512 − position
    assert keys[0, 0] == 4_503_599_000_000_000 * 1024 + 512 and keys[0, -1] == 4_503_599_000_000_000 * 1024
    with pytest.raises(TiermodelError, match="with 513 candidates"):
        se.order_keys(pool, se.value_indices(pool, se.make_settings([0, 1, 0], [1, 1, 1, 450_360], K2)))


# ----------------------------------------------------------------------------- lists
# Lists of the book under four settings, worked out from the indices above (2 existing Gold,
# 1 new Gold, 1 Silver place per branch; a tie falls to the larger standard premium):
SETTINGS = [
    # 30/30/40: new C005 0.67 > C004 0.45; existing C002 0.73 > C003 0.61 > C001 0.48.
    # Silver: Hefei C006 0.73 > C001 0.48 > C004 0.45; Wuhu C007 (C003, C005 Gold); Anqing C009
    ([0.3, 0.3, 0.4], K1, K2, {"gold": {"C005", "C002", "C003"}, "silver": {"C006", "C007", "C009"},
                               "regular": {"C001", "C004"}}),
    # premium only: new C004 0.80 > C005 0.20; existing C002 0.60, C003 0.30 > C001 0.20.
    # Silver: Hefei C001 0.20 > C006 0.10; Wuhu C005 0.20 > C007 0.10; Anqing C009
    ([1, 0, 0], K1, K2, {"gold": {"C004", "C002", "C003"}, "silver": {"C001", "C005", "C009"},
                         "regular": {"C006", "C007"}}),
    # loyalty only: new C004 0.70 = C005 0.70, C004 has the larger premium (60M > 2M);
    # existing C001 1.00, C003 0.80 > C002 0.70. Silver: Hefei C006 1.00 > C002 0.70;
    # Wuhu C005 0.70 = C007 0.70, C005 has the larger premium (2M > 300k); Anqing C009
    ([0, 1, 0], K1, K2, {"gold": {"C004", "C001", "C003"}, "silver": {"C006", "C005", "C009"},
                         "regular": {"C002", "C007"}}),
    # profit only, K2 = 0.1 in year 2: C002 0.085; existing C003 0.70, C001 0.30 > C002;
    # new C005 1.00. Silver: Hefei C006 1.00; Wuhu C007 0.70; Anqing C009 (0.50 · 3 = 1.50)
    ([0, 0, 1], K1, [1, 0.1, 3, 1], {"gold": {"C005", "C003", "C001"}, "silver": {"C006", "C007", "C009"},
                                      "regular": {"C002", "C004"}}),
]


def _settings():
    return se.make_settings([s[0] for s in SETTINGS], [s[1] for s in SETTINGS], [s[2] for s in SETTINGS])


@pytest.mark.parametrize("budget", [se._MEMORY_BUDGET_BYTES, 1, 48 * 8 * 3])
def test_sweep_lists_by_hand_in_any_chunks(book, budget):
    """One chunk; one setting a chunk; chunks of 3 settings (48 bytes × 8 candidates each)
    and a last chunk of 1."""
    policy, table, pool = book
    settings = _settings()
    sw = se.sweep(pool, settings, se.policy_setting(policy), keep_keys=True, memory_budget=budget)
    assert sw.tier.shape == (4, 8) and sw.tier.dtype == np.int8
    codes = se.tier_codes(pool, se.order_keys(pool, se.value_indices(pool, settings)))
    assert codes.dtype == np.int8 and np.array_equal(codes, sw.tier)
    assert sw.keys.dtype == np.int64
    for i, (*_, want) in enumerate(SETTINGS):
        assert _lists(sw, pool, i) == want, i
        assert _reference(table, settings.policy(policy, i)) == want, i
    assert np.array_equal(sw.keys, se.order_keys(pool, se.value_indices(pool, settings)))
    # the baseline: the policy's own 30/30/40 lists, and its keys
    assert sw.baseline.tolist() == sw.tier[0].tolist() == [2, 0, 0, 0, 2, 1, 1, 1]
    assert sw.baseline_keys.tolist() == sw.keys[0].tolist()
    assert sw.baseline_counts() == {"gold": 3, "silver": 3, "regular": 2}


def test_sweep_works_in_chunks_within_the_memory_budget(book, monkeypatch):
    """Budget 48 bytes × 8 candidates × 3: the baseline, then chunks of 3 and 1 of the 4 settings."""
    policy, _, pool = book
    seen = []
    kernel = se.value_indices

    def spy(pool_, settings, coefs=None):
        seen.append(len(settings))
        return kernel(pool_, settings, coefs)

    monkeypatch.setattr(se, "value_indices", spy)
    se.sweep(pool, _settings(), se.policy_setting(policy), memory_budget=48 * 8 * 3)
    assert seen == [1, 3, 1]


def test_sweep_without_keys_keeps_none(book):
    policy, _, pool = book
    sw = se.sweep(pool, _settings(), se.policy_setting(policy))
    assert sw.keys is None and sw.settings.weights.shape == (4, 3) and sw.pool is pool
    # every customer of the book, in its rows; C008 (row 7) is no candidate: Regular
    names = sw.tiers_of_all(1)
    assert names.tolist() == ["silver", "gold", "silver", "gold", "gold", "regular", "regular", "regular", "silver"]
    assert names.dtype == object  # Python text, as the tiered table's tier column read as text


def test_metrics_of_the_sweep(book):
    policy, _, pool = book
    sw = se.sweep(pool, _settings(), se.policy_setting(policy))
    m = sw.metrics()
    # baseline Gold {C005, C002, C003}, Silver {C006, C007, C009}
    # premium only: Gold {C004, C002, C003}: 2 shared of 4 → 0.5, 1 swap; Silver {C001, C005,
    # C009}: 1 shared of 5 → 0.2, change 0
    assert m.loc[1].tolist() == pytest.approx([3, 0.5, 1, 3, 0, 0.2])
    # loyalty only: Gold {C004, C001, C003}: 1 of 5 → 0.2, 2 swaps; Silver {C006, C005, C009}: 2 of 4
    assert m.loc[2].tolist() == pytest.approx([3, 0.2, 2, 3, 0, 0.5])
    assert m.loc[0].tolist() == pytest.approx([3, 1.0, 0, 3, 0, 1.0])



def test_a_sweep_keeping_only_its_summaries(book):
    """keep_tiers=False, in chunks of 3 and 1 settings: no (S, m) tiers, the same metrics, and
    each candidate's tier counts over the 4 settings of SETTINGS (lists above), candidates in
    ORDER C004 C002 C003 C005 C001 C006 C007 C009:
      Gold:    C004 s1 s2; C002 s0 s1; C003 all four; C005 s0 s3; C001 s2 s3   → 2 2 4 2 2 0 0 0
      Silver:  C005 s1 s2; C001 s1; C006 s0 s2 s3; C007 s0 s3; C009 all four  → 0 0 0 2 1 3 2 4
      Regular: the rest of the four                                            → 2 2 0 0 1 1 2 0"""
    policy, _, pool = book
    whole = se.sweep(pool, _settings(), se.policy_setting(policy))
    lean = se.sweep(pool, _settings(), se.policy_setting(policy), memory_budget=48 * 8 * 3, keep_tiers=False)
    assert lean.tier is None
    assert lean.tier_counts().tolist() == [[2, 2, 4, 2, 2, 0, 0, 0], [0, 0, 0, 2, 1, 3, 2, 4],
                                           [2, 2, 0, 0, 1, 1, 2, 0]]
    assert whole.tier_counts().tolist() == lean.tier_counts().tolist()
    pd.testing.assert_frame_equal(lean.metrics(), whole.metrics())
    assert lean.baseline.tolist() == whole.baseline.tolist()
    with pytest.raises(ValueError, match="keep_tiers"):
        lean.tiers_of_all(0)
    from tiermodel.sensitivity import odds

    # the odds from the counts: C003 Gold in 4 of 4, C001 in 2 of 4 and Silver in 1 of 4
    p = odds.membership_odds(lean).set_index("customer_id")
    assert p.loc["C003", "p_gold"] == 1.0 and p.loc["C001", ["p_gold", "p_silver", "p_regular"]].tolist() == [
        0.5, 0.25, 0.25]
    pd.testing.assert_frame_equal(odds.membership_odds(whole), odds.membership_odds(lean))

def test_a_zero_index_still_takes_a_free_silver_place():
    """Profit only. Z1 (1.2M, margin 0.35 → 1.00) is the one Gold (1 existing place); Z2 (600k,
    margin 0.12 → 0.70) and Z3 (300k, margin −0.05 → 0.00) are Silver-only in Hefei. Z3 has
    index 0 and the last position, so its key is 0; with 2 or 3 Silver places it is Silver."""
    policy = load_policy().with_values({"gold_selection.existing_places": 1}, note="test")
    table = customers(dict(non_health_premium=1_200_000, profit_margin=0.35),
                      dict(non_health_premium=600_000, profit_margin=0.12),
                      dict(non_health_premium=300_000, profit_margin=-0.05))
    for places in (2, 3):
        cap = pd.Series({"Hefei": places})
        pool = se.candidate_pool(table, policy, cap)
        sw = se.sweep(pool, se.make_settings([0, 0, 1], K1, K2), se.policy_setting(policy), keep_keys=True)
        assert sw.keys[0, -1] == 0
        assert sw.tiers_of_all(0).tolist() == ["gold", "silver", "silver"]
        ref = assign_tiers(score(table, policy.with_values({"value_index.weights.premium": 0.0,
                                                             "value_index.weights.loyalty": 0.0,
                                                             "value_index.weights.profit": 1.0})),
                           policy, cap).table
        assert ref["tier"].astype(str).tolist() == ["gold", "silver", "silver"]


def test_no_candidate_everyone_regular():
    policy = _policy()
    pool = se.candidate_pool(customers(ROWS[7], ROWS[7] | {"customer_id": "C010"}), policy,
                             pd.Series({"Hefei": 1}))
    sw = se.sweep(pool, _settings(), se.policy_setting(policy))
    assert sw.tier.shape == (4, 0)
    assert sw.tiers_of_all(3).tolist() == ["regular", "regular"]
    assert sw.baseline_counts() == {"gold": 0, "silver": 0, "regular": 0}


def test_one_candidate_in_its_branch():
    """C009 alone in Anqing, one Silver place there: Silver in every setting."""
    policy = _policy()
    pool = se.candidate_pool(customers(ROWS[8]), policy, pd.Series({"Anqing": 1}))
    sw = se.sweep(pool, _settings(), se.policy_setting(policy))
    assert sw.tier.tolist() == [[1], [1], [1], [1]]


def test_top_k_edges():
    keys = np.array([[5, -1, 9, 2], [1, 3, -1, -1]])
    assert se._top_k(keys, 0).tolist() == [[False] * 4] * 2 and se._top_k(keys, 0).dtype == bool
    empty = se._top_k(np.zeros((2, 0), dtype=np.int64), 3)
    assert empty.shape == (2, 0) and empty.dtype == bool
    # k ≥ g: every present key
    assert se._top_k(keys, 4).tolist() == [[True, False, True, True], [True, True, False, False]]
    # top 2 of 9, 5, 2 and of 3, 1
    assert se._top_k(keys, 2).tolist() == [[True, False, True, False], [True, True, False, False]]
    # top 3: row 2 has only 2 present keys
    assert se._top_k(keys, 3).tolist() == [[True, False, True, True], [True, True, False, False]]


def test_chunk_size_bounds_memory():
    """~48 bytes per candidate and setting: 10 candidates, 4,800 bytes → 10 settings a chunk."""
    assert se._chunk_size(10, 4_800) == 10
    assert se._chunk_size(10, 4_799) == 9
    assert se._chunk_size(10, 1) == 1  # at least one setting
    assert se._chunk_size(0, 100) == 100  # no candidate: 48 · max(1, 0) → 100 // 1


# ----------------------------------------------------------------------------- settings
def test_settings_changes_policy_subset_and_frame(book):
    policy, _, _ = book
    s = se.make_settings([[0.3, 0.3, 0.4], [0.5, 0.25, 0.25]], K1, [[1, 1, 1, 1], [1, 2, 3, 4]])
    assert len(s) == 2
    want = {"value_index.weights.premium": 0.5, "value_index.weights.loyalty": 0.25,
            "value_index.weights.profit": 0.25, "value_index.k1.year_1": 3.5, "value_index.k1.year_2": 2.0,
            "value_index.k1.year_3": 1.5, "value_index.k1.year_4_plus": 1.0, "value_index.k2.year_1": 1.0,
            "value_index.k2.year_2": 2.0, "value_index.k2.year_3": 3.0, "value_index.k2.year_4_plus": 4.0}
    got = s.changes(1)
    assert got == want and all(type(v) is float for v in got.values())
    p = s.policy(policy, 1)
    assert p.value_index.weights.as_array().tolist() == [0.5, 0.25, 0.25]
    assert p.value_index.k2.as_array().tolist() == [1.0, 2.0, 3.0, 4.0]
    assert p.provenance["value_index.k2.year_3"].scenario == "sensitivity setting 1"
    assert p.gold_selection.existing_places == 2  # the rest of the base policy is kept
    sub = s.subset([1])
    assert sub.weights.tolist() == [[0.5, 0.25, 0.25]] and sub.k2.tolist() == [[1, 2, 3, 4]]
    assert sub.k1.tolist() == [K1]
    frame = s.to_frame()
    assert list(frame.columns) == ["w_premium", "w_loyalty", "w_profit", "k1_year_1", "k1_year_2", "k1_year_3",
                                   "k1_year_4_plus", "k2_year_1", "k2_year_2", "k2_year_3", "k2_year_4_plus"]
    assert frame.iloc[1].tolist() == [0.5, 0.25, 0.25, 3.5, 2, 1.5, 1, 1, 2, 3, 4]


def test_policy_setting_is_the_policys_own_values(book):
    policy, _, _ = book
    s = se.policy_setting(policy)
    assert s.weights.tolist() == [[0.3, 0.3, 0.4]] and s.k1.tolist() == [K1] and s.k2.tolist() == [K2]


def test_make_settings_broadcasts_and_gives_floats():
    s = se.make_settings([1, 0, 0], [[1, 1, 1, 1], [2, 2, 2, 2]], [1, 1, 1, 1])
    assert s.weights.tolist() == [[1, 0, 0], [1, 0, 0]] and s.k2.tolist() == [[1, 1, 1, 1]] * 2
    assert s.weights.dtype == s.k1.dtype == s.k2.dtype == np.float64
    s.weights[0, 0] = 0.5  # own writable arrays, not views of one row
    assert s.weights[1, 0] == 1.0


@pytest.mark.parametrize("weights, k1, k2, path, rule", [
    ([1, 0], K1, K2, "value_index.weights", "expected 3 values per setting, got shape (1, 2)"),
    ([1, 0, 0], [1, 1, 1], K2, "value_index.k1", "expected 4 values per setting, got shape (1, 3)"),
    ([1, 0, 0], K1, [1, 1, 1, 1, 1], "value_index.k2", "expected 4 values per setting, got shape (1, 5)"),
    ([1, 0, 0], K1, [[[1, 1, 1, 1]]], "value_index.k2", "expected 4 values per setting, got shape (1, 1, 4)"),
    ([[1, 0, 0]] * 2, [K1] * 3, K2, "value_index",
     "setting counts differ: 2 weight rows, 3 K1 rows, 1 K2 rows"),
    (np.zeros((0, 3)), np.zeros((0, 4)), np.zeros((0, 4)), "value_index", "no settings: the range is empty"),
    ([[1, 0, 0], [1.5, -0.5, 0], [1, -1, 1]], K1, K2, "value_index.weights.loyalty",
     "setting 1: weight np.float64(-0.5) is not allowed; weights must be finite and ≥ 0 (第10条)"),
    ([[1, 0, 0], [np.nan, 0.5, 0.5]], K1, K2, "value_index.weights.premium",
     "setting 1: weight np.float64(nan) is not allowed; weights must be finite and ≥ 0 (第10条)"),
    ([[1, 0, 0], [0.5, 0.5, 0.1], [0.5, 0.5, 0.2]], K1, K2, "value_index.weights",
     "setting 1: weights sum to 1.1, not 1 (第10条 30/30/40)"),
    ([[1, 0, 0], [0.5, 0.5, 1e-8]], K1, K2, "value_index.weights",
     "setting 1: weights sum to 1, not 1 (第10条 30/30/40)"),
    ([1, 0, 0], [[1, 1, 1, 1], [1, 1, 0, -1]], K2, "value_index.k1.year_3",
     "setting 1: K1 = np.float64(0.0); a K factor must be > 0 (第10条)"),
    ([1, 0, 0], K1, [[1, 1, 1, 1], [1, 1, 1, np.inf]], "value_index.k2.year_4_plus",
     "setting 1: K2 = np.float64(inf); a K factor must be > 0 (第10条)"),
])
def test_bad_settings_refused_naming_the_parameter(weights, k1, k2, path, rule):
    with pytest.raises(ParameterError) as err:
        se.make_settings(weights, k1, k2, source="sweep.yaml")
    assert (err.value.file, err.value.path, err.value.rule) == ("sweep.yaml", path, rule)


def test_weights_within_1e_9_of_one_are_taken():
    s = se.make_settings([0.3, 0.3, 0.4 + 5e-10], K1, K2)
    assert s.weights[0, 2] == 0.4 + 5e-10
    with pytest.raises(ParameterError) as err:
        se.make_settings([0.3, 0.3, 0.4], K1, [1, 1, 1, 0])
    assert err.value.file == "<sensitivity>"


# ----------------------------------------------------------------------------- comparisons
def test_list_metrics_by_hand():
    baseline = np.array([0, 0, 1, 1, 2], dtype=np.int8)  # G G S S R
    tier = np.array([[0, 2, 1, 0, 1], [2, 2, 2, 2, 2], [0, 0, 1, 1, 2]], dtype=np.int8)
    m = se.list_metrics(tier, baseline)
    assert list(m.columns) == ["gold_count", "gold_jaccard", "gold_swaps", "silver_count", "silver_change",
                               "silver_jaccard"]
    # setting 0: Gold {0, 3} vs {0, 1}: 1 of 3, 1 swap; Silver {2, 4} vs {2, 3}: 1 of 3, change 0
    assert m.loc[0].tolist() == pytest.approx([2, 1 / 3, 1, 2, 0, 1 / 3])
    # setting 1: nobody: Gold 0 of 2, 2 swaps; Silver 0 of 2, change −2
    assert m.loc[1].tolist() == pytest.approx([0, 0, 2, 0, -2, 0])
    assert m.loc[2].tolist() == pytest.approx([2, 1, 0, 2, 0, 1])
    # one customer: Gold in both (1 of 1), Gold only in the baseline (0 of 1)
    one = se.list_metrics(np.array([[0, 2], [2, 2]], dtype=np.int8), np.array([0, 2], dtype=np.int8))
    assert one["gold_jaccard"].tolist() == [1.0, 0.0]
    # no Gold and no Silver anywhere: the empty lists agree (Jaccard 1)
    none = se.list_metrics(np.full((1, 2), 2, dtype=np.int8), np.full(2, 2, dtype=np.int8))
    assert none.loc[0].tolist() == [0, 1.0, 0, 0, 0, 1.0]
    # the settings added one at a time give the same rows, and the tier counts per customer:
    # customer 0 Gold in settings 0 and 2, Regular in 1 → [2, 0, 1]
    summary = se.TierSummary(baseline)
    for row in tier:
        summary.add(row[None, :])
    pd.testing.assert_frame_equal(summary.metrics(), m)
    assert summary.rows == 3 and summary.counts[:, 0].tolist() == [2, 0, 1]
    assert se.count_tiers(tier)[:, 4].tolist() == [0, 1, 2]  # customer 4: Silver once, Regular twice
    assert se.list_metrics(np.empty((0, 5), dtype=np.int8), baseline).shape == (0, 6)


def test_kendall_tau_by_hand():
    base = np.array([30, 20, 10])
    # the same order: +1; reversed: −1; first two swapped: 2 concordant, 1 discordant of 3 → 1/3
    assert se.kendall_tau(base, np.array([[3, 2, 1], [1, 2, 3], [2, 3, 1]])).tolist() == \
        pytest.approx([1.0, -1.0, 1 / 3])
    assert se.kendall_tau(base, np.array([1, 2, 3])).tolist() == pytest.approx([-1.0])
    # two candidates: one pair, concordant or not
    assert se.kendall_tau(np.array([2, 1]), np.array([[2, 1], [1, 2]])).tolist() == [1.0, -1.0]
    one = se.kendall_tau(np.array([5]), np.array([[5], [6]]))
    assert one.shape == (2,) and np.isnan(one).all()
