"""Crowding-out of points acts on those rewarded (incentives.py ``_crowd_out``; issue 10, brief `crowd`).

Each award of points moves the recipient's intrinsic public spirit a share
``reward_crowding_step`` of the way to the floor public_spirit · (1 − ``reward_crowding``);
residents never rewarded keep theirs; nothing restores it after points are withdrawn.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import make_small, run_small

# points from day 0 for every activity and nothing else; a budget that never binds
POINTS = dict(points=True, points_budget=1e9)
DAYS = 90


def _rewarded(m) -> tuple[np.ndarray, np.ndarray]:
    """Residents here since day 0 with and without activities (every activity earned points)."""
    r = m.residents
    first = r.arrived == 0
    return first & (r.activities > 0), first & (r.activities == 0)


def test_never_rewarded_residents_keep_their_public_spirit_while_points_are_on():
    m = run_small(DAYS, seed=3, **POINTS)
    r = m.residents
    rewarded, never = _rewarded(m)
    assert rewarded.sum() > 20 and never.sum() > 100, "the test needs both groups"
    np.testing.assert_array_equal(r.intrinsic[never], r.public_spirit[never])
    # the rewarded lost some (those born with any public spirit)
    lost = rewarded & (r.public_spirit > 0.01)
    assert (r.intrinsic[lost] < r.public_spirit[lost]).all()


def test_each_reward_closes_a_share_of_the_gap_to_the_floor():
    step, depth = 0.3, 0.25
    m = run_small(DAYS, seed=4, reward_crowding_step=step, reward_crowding=depth, **POINTS)
    r = m.residents
    rewarded, _ = _rewarded(m)
    k = r.activities[rewarded].astype(float)
    ps = r.public_spirit[rewarded].astype(float)
    expected = ps * (1 - depth * (1 - (1 - step) ** k))
    np.testing.assert_allclose(r.intrinsic[rewarded], expected, rtol=1e-5, atol=1e-7)
    # more rewards, more loss: the share lost rises with the number of rewards received
    share = 1 - r.intrinsic[rewarded] / np.maximum(r.public_spirit[rewarded], 1e-9)
    few, many = share[k == 1], share[k >= 4]
    assert len(few) and len(many) and many.min() > few.max()


def test_public_spirit_never_falls_below_the_floor():
    depth = 0.4
    m = run_small(DAYS, seed=5, reward_crowding_step=1.0, reward_crowding=depth, **POINTS)
    r = m.residents
    floor = r.public_spirit * np.float32(1 - depth)
    assert (r.intrinsic >= floor - 1e-6).all()
    rewarded, _ = _rewarded(m)
    np.testing.assert_allclose(r.intrinsic[rewarded], floor[rewarded], rtol=1e-6)  # a full step lands on it


def test_repeated_awards_on_one_day_each_count():
    m = make_small(seed=6, points=True, reward_crowding_step=0.5, reward_crowding=0.4)
    r, inc = m.residents, m.mech["incentives"]
    who = np.flatnonzero(r.adult & (r.public_spirit > 0.1))[:3]
    ps = r.public_spirit[who].astype(float)
    inc._issue(np.array([who[0], who[1], who[1], who[1]]), 5.0)  # e.g. one report, three reports
    gap = 0.4 * ps
    np.testing.assert_allclose(r.intrinsic[who], ps - gap * np.array([0.5, 0.875, 0.0]), rtol=1e-6)


def test_points_for_reports_crowd_out_too():
    m = run_small(DAYS, seed=7, points_per_activity=0.0, points_per_report=5.0, **POINTS)
    r = m.residents
    raised = np.unique(m.matters.column("resident")[: m.matters.size])
    raised = raised[(r.arrived[raised] == 0) & (r.public_spirit[raised] > 0.01)]
    assert len(raised) > 5
    assert (r.intrinsic[raised] < r.public_spirit[raised]).all()
    quiet = (r.arrived == 0) & ~np.isin(np.arange(r.n), raised)
    np.testing.assert_array_equal(r.intrinsic[quiet], r.public_spirit[quiet])


def test_no_recovery_after_points_are_withdrawn():
    t = 60
    m = make_small(seed=8, **POINTS, timeline=[{"day": t, "set": {"points": False}}])
    m.run(t)
    before = m.residents.intrinsic.copy()
    m.run(DAYS)
    r = m.residents
    stayed = r.arrived == 0
    crowded = stayed & (before < r.public_spirit)
    assert crowded.sum() > 20
    np.testing.assert_array_equal(r.intrinsic[stayed], before[stayed])


@pytest.mark.parametrize("points", [True, False])
def test_crowding_out_off_changes_nothing_of_public_spirit(points):
    kw = dict(points=points, points_budget=1e9, crowding_out=False)
    m = run_small(DAYS, seed=9, **kw)
    np.testing.assert_array_equal(m.residents.intrinsic, m.residents.public_spirit)
    # with crowding-out off, its strength and step are inert
    a = m.results()
    b = run_small(DAYS, seed=9, reward_crowding=0.5, reward_crowding_step=1.0, **kw).results()
    pd.testing.assert_frame_equal(a, b)


def test_crowding_out_lowers_participation_of_the_rewarded_after_withdrawal():
    """The direction the crowding is for: after points stop, those rewarded take part less than without it."""
    t, end = 60, 150
    scheme = dict(POINTS, timeline=[{"day": t, "set": {"points": False}}])
    on = run_small(end, seed=10, **scheme)
    off = run_small(end, seed=10, crowding_out=False, **scheme)
    after_on = on.results()["activities"].iloc[t + 30 :].sum()
    after_off = off.results()["activities"].iloc[t + 30 :].sum()
    assert after_on < after_off
