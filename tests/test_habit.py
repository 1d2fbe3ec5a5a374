"""Participation with memory (habit.py): the past year's record is exact, and habit concentrates participation."""

from __future__ import annotations

import numpy as np
import pytest

from sim.mechanisms.habit import top_share
from tests.conftest import TINY, make_small


def test_top_share_from_histogram():
    # ten people: counts 0×5, 1×3, 4, 12 → the top tenth (one person) did 12 of 19
    hist = np.bincount([0] * 5 + [1] * 3 + [4, 12])
    assert top_share(hist, 10) == pytest.approx(12 / 19)
    # twenty people tied at 1: the top tenth (two) did 2 of 20, ties split evenly
    assert top_share(np.bincount([1] * 20), 20) == pytest.approx(0.1)
    assert top_share(np.zeros(1, int), 5) == 0.0


def test_year_count_is_the_rolling_365_days_with_newcomers():
    """The incremental count equals a brute-force count of the last 365 days' bookings (turnover on)."""
    m = make_small(seed=3, **TINY, turnover=0.5)
    log: list[tuple[int, np.ndarray]] = []
    book = m.mech["habit"].book

    def logged(who):
        log.append((m.tick, np.asarray(who).copy()))
        book(who)

    m.mech["habit"].book = logged
    m.run(420)
    res = m.residents
    expected = np.zeros(res.n, int)
    for day, who in log:
        if day > m.tick - 365:
            keep = who[res.arrived[who] <= day]
            np.add.at(expected, keep, 1)
    assert len(log) > 0 and expected.sum() > 0
    np.testing.assert_array_equal(res.year_count, expected)


def test_kept_histogram_equals_a_recount_every_day():
    """habit.year_histogram (updated only where counts moved) equals a full recount on every day,
    through the window's first expiries (day 365 on) and newcomers (turnover on)."""
    m = make_small(seed=5, **TINY, turnover=0.5)
    hab, res = m.mech["habit"], m.residents
    days_checked = 0
    for _ in range(400):
        m.run(1)
        hist = hab.year_histogram()
        recount = np.bincount(res.year_count[hab.adult_ids], minlength=len(hist))
        np.testing.assert_array_equal(hist, recount)
        days_checked += 1
    assert days_checked == 400 and recount[1:].sum() > 0 and (res.arrived > 0).any()


def _concentration_and_persistence(seed: int, habit: bool) -> tuple[float, float]:
    m = make_small("governance-partners", seed=seed, habit=habit).run(90)
    res = m.residents
    first = res.year_count.copy()  # days 1–90 (the window is since the start)
    m.run(90)
    second = res.year_count - first  # days 91–180
    stay = res.adult & (res.arrived == 0)
    a1 = stay & (first > 0)
    persistence = float((a1 & (second > 0)).sum() / a1.sum())
    return float(m.results()["top_tenth_share"].iloc[-1]), persistence


def test_habit_concentrates_participation_and_makes_it_persist():
    """Paired seeds, everything else equal: habit on raises concentration and persistence."""
    on = np.array([_concentration_and_persistence(s, True) for s in (1, 2, 3)])
    off = np.array([_concentration_and_persistence(s, False) for s in (1, 2, 3)])
    diff = on - off
    assert (diff[:, 0] > 0).all(), f"top-tenth share on − off per seed: {diff[:, 0]}"
    assert (diff[:, 1] > 0).all(), f"persistence on − off per seed: {diff[:, 1]}"
