"""The engine's array helpers give the same answers as the slow, obvious way (random cases)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.arrays import FirstOccurrence, unique_counts, unique_ints
from sim.store import first_k, rank_within, take_capacity


@pytest.mark.parametrize("trial", range(100))
def test_take_capacity_matches_a_stable_sort(trial):
    rng = np.random.default_rng(trial)
    n, groups_n = int(rng.integers(1, 300)), int(rng.integers(1, 12))  # above FEW_GROUPS too
    groups = rng.integers(0, groups_n, n)
    keys = rng.integers(0, int(rng.integers(1, 50)), n)  # many ties
    capacity = rng.random(groups_n) * int(rng.integers(0, 40))
    got = take_capacity(np.random.default_rng(trial), groups, keys, capacity)
    cap = np.floor(capacity + np.random.default_rng(trial).random(groups_n)).astype(np.int64)
    # the definition: within each group, the first cap[g] items in (key, position) order
    want = np.zeros(n, bool)
    for g in range(groups_n):
        members = [i for i in range(n) if groups[i] == g]
        members.sort(key=lambda i: (keys[i], i))
        want[members[: max(cap[g], 0)]] = True
    assert np.array_equal(got, want)
    assert np.array_equal(rank_within(groups, keys) < cap[groups], want)


def test_first_k_boundaries():
    keys = np.array([3, 1, 2, 1, 3])
    assert first_k(keys, 0).tolist() == [False] * 5
    assert first_k(keys, 9).tolist() == [True] * 5
    assert first_k(keys, 1).tolist() == [False, True, False, False, False]  # ties: earlier position first
    assert first_k(keys, 4).tolist() == [True, True, True, True, False]


@pytest.mark.parametrize("trial", range(50))
def test_first_occurrence_matches_np_unique(trial):
    rng = np.random.default_rng(trial)
    size = int(rng.integers(1, 500))
    keys = rng.integers(0, size, int(rng.integers(0, 800)))
    first = FirstOccurrence(size // 3)  # starts too small: it must grow
    for _ in range(2):  # the scratch table is reset between calls
        got = first(keys, size)
        want = np.sort(np.unique(keys, return_index=True)[1])
        assert np.array_equal(got, want)
    assert np.array_equal(unique_ints(keys), np.unique(keys))


@pytest.mark.parametrize("trial", range(50))
def test_unique_counts_matches_np_unique(trial):
    rng = np.random.default_rng(trial)
    keys = rng.integers(0, int(rng.integers(1, 80)), int(rng.integers(0, 120)))
    for x in (keys, np.unique(keys), keys.astype(np.int32)):  # repeats, the increasing fast path, another dtype
        want_v, want_k = np.unique(x, return_counts=True)
        got_v, got_k = unique_counts(x)
        assert np.array_equal(got_v, want_v) and got_v.dtype == want_v.dtype
        assert np.array_equal(got_k, want_k) and got_k.dtype == want_k.dtype
