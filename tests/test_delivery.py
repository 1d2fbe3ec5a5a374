"""Project delivery (sim/mechanisms/delivery.py): money in hand, enforcement, three-party channel, firm.

Xi'an (seed 000 §4.1.3) on a small estate, fixed seeds, paired by seed.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import assert_greater

from sim.model import CommunityModel

POP = dict(estates=1, households=400, residents=1100, households_per_building=20, households_per_grid_worker=100)
SEEDS = (1, 2, 3)


def _xian(ticks: int, seed: int, **kw) -> CommunityModel:
    return CommunityModel("xian-renovation", seed=seed, check=True, **POP, **kw).run(ticks)


def _overrun(m: CommunityModel) -> float:
    ps = m.projects
    done = (ps.done >= 0) & (ps.cost > 0)
    return float(((ps.done[done] - ps.start[done]) / ps.planned[done]).mean())


@pytest.mark.parametrize("share", [0.3, 0.7])
def test_work_stops_where_the_money_in_hand_ends(share):
    # the government's share never arrives: no funded project completes, each stops at 1 − share
    m = _xian(240, 1, cofunding_delay=3650.0, government_cofunding=share)
    ps = m.projects
    funded = np.flatnonzero(ps.cost > 0)
    assert len(funded) > 0
    assert (ps.done[funded] < 0).all()
    assert ps.progress[funded].max() == pytest.approx(1 - share)
    # with the money on time they do complete
    on_time = _xian(240, 1, cofunding_delay=0.0, government_cofunding=share)
    assert (on_time.projects.done[on_time.projects.cost > 0] >= 0).any()


@pytest.mark.parametrize(
    ("fix", "what"),
    [
        (dict(three_party_channel=True), "a three-party channel"),
        (dict(committee_enforcement=True), "a committee that can enforce deadlines"),
        (dict(cofunding_delay=0.0), "the government's share in hand at the start"),
    ],
)
def test_each_cause_removed_shortens_the_overrun(fix, what):
    base = np.array([_overrun(_xian(540, s)) for s in SEEDS])
    fixed = np.array([_overrun(_xian(540, s, **fix)) for s in SEEDS])
    assert_greater(base, fixed, f"overrun as in Xi'an vs with {what}")


def test_inspections_enforce_deadlines_only_when_behind():
    none = _xian(300, 2, inspections_per_month=0.0)
    some = _xian(300, 2, inspections_per_month=4.0)
    assert none.totals.get("deadline_enforcements", 0) == 0
    assert some.totals["deadline_enforcements"] > 0
