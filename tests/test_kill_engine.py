"""sensitivity/engine.py: the default working memory of a sweep (64 MiB a chunk of settings) and of
the tier counts and list metrics (32 MiB a chunk), the chunks of an explicit budget, and
settings and pools that cannot be changed once made.

Bytes a setting: the sweep holds about 6 float64/int64 arrays of (settings × candidates), 48
bytes a candidate; the tier counts a few booleans, 4 bytes a candidate.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from conftest import customers
from tiermodel.sensitivity import engine as se

# health 6,000,000 at 50 %: Gold- and Silver-eligible (第11条), so each row is a candidate
ELIGIBLE = {"health_premium": 6_000_000, "health_loss_ratio": 0.50, "profit_margin": 0.07}


@pytest.fixture(scope="module")
def pool4(policy):
    table = customers(*({**ELIGIBLE, "customer_id": f"C{i}"} for i in range(4)))
    return se.candidate_pool(table, policy)


def test_a_default_sweep_works_in_chunks_of_64_mib(policy, pool4, monkeypatch):
    # 4 candidates × 48 bytes = 192 bytes a setting; 64 MiB = 67,108,864 bytes → 349,525.3:
    # 349,525 settings a chunk; 349,526 settings → the baseline (1), then 349,525 and 1
    assert len(pool4) == 4
    n = 349_526
    settings = se.make_settings(np.tile([0.3, 0.3, 0.4], (n, 1)), [3.5, 2.0, 1.5, 1.0], [1.0] * 4)
    seen = []
    kernel = se.tier_codes

    def spy(pool, keys):
        seen.append(len(keys))
        return kernel(pool, keys)

    monkeypatch.setattr(se, "tier_codes", spy)
    sw = se.sweep(pool4, settings, se.policy_setting(policy), keep_tiers=False)
    assert seen == [1, 349_525, 1]
    # every setting is the policy's own: the 4 candidates hold the same tier in all of them
    assert sw.tier_counts().sum(axis=0).tolist() == [n] * 4


def _spy_chunks(monkeypatch):
    seen = []
    add = se.TierSummary.add

    def spy(self, tier):
        seen.append(len(tier))
        return add(self, tier)

    monkeypatch.setattr(se.TierSummary, "add", spy)
    return seen


def test_tier_counts_and_metrics_work_in_chunks_of_32_mib(monkeypatch):
    # 1,024 candidates × 4 bytes = 4,096 bytes a setting; 32 MiB = 33,554,432 bytes → 8,192
    # settings a chunk; 8,193 settings → chunks of 8,192 and 1
    tier = np.full((8_193, 1_024), 2, dtype=np.int8)
    tier[:, 0] = 0
    seen = _spy_chunks(monkeypatch)
    counts = se.count_tiers(tier)
    assert seen == [8_192, 1]
    assert counts[:, 0].tolist() == [8_193, 0, 0] and counts[:, 1].tolist() == [0, 0, 8_193]
    seen.clear()
    m = se.list_metrics(tier, tier[0])
    assert seen == [8_192, 1] and len(m) == 8_193 and (m["gold_jaccard"] == 1.0).all()


@pytest.mark.parametrize("budget, chunks", [(64, [2, 1]), (1, [1, 1, 1]), (10_000, [3])])
def test_tier_counts_in_chunks_of_an_explicit_budget(monkeypatch, budget, chunks):
    # 8 candidates × 4 bytes = 32 bytes a setting: 64 bytes → 2 settings a chunk; 1 byte →
    # still 1 setting a chunk; 10,000 bytes → 312, all 3 settings at once
    tier = np.array([[0] * 8, [1] * 8, [2] * 8], dtype=np.int8)
    seen = _spy_chunks(monkeypatch)
    counts = se.count_tiers(tier, memory_budget=budget)
    assert seen == chunks
    assert counts[:, 0].tolist() == [1, 1, 1]


def test_settings_and_pools_cannot_be_changed(pool4):
    s = se.make_settings([0.3, 0.3, 0.4], [3.5, 2.0, 1.5, 1.0], [1.0] * 4)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.weights = np.array([[1.0, 0.0, 0.0]])
    with pytest.raises(dataclasses.FrozenInstanceError):
        pool4.new_places = 99
