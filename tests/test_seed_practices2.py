"""Seed practices of issue 11, second part: pre-evaluation and supervision engineers (item 8),
partners as roles (item 7), whether collaboration lasts (item 11), outreach (item 9).

Small communities, fixed seeds, paired by seed.
"""

from __future__ import annotations

import numpy as np
from conftest import SMALL, assert_greater

from sim.model import CommunityModel

XIAN = dict(estates=1, households=400, residents=1100, households_per_building=20, households_per_grid_worker=100)


def _run(scenario, ticks, seed=1, pop=SMALL, **kw) -> CommunityModel:
    return CommunityModel(scenario, seed=seed, check=True, **pop, **kw).run(ticks)


# --- item 8: 事前预评 and 工程监理师 (seed 002 §2 三是) -------------------------------------------


def _funded_legitimacy(m) -> float:
    ps = m.projects
    return float(ps.legitimacy[ps.cost > 0].mean())


def test_pre_evaluation_drops_and_changes_weak_plans():
    # a leadership decision gives thin legitimacy: residents' panels drop some plans and change others
    off = _run("governance-partners", 240, decision_rule="leadership")
    on = _run("governance-partners", 240, decision_rule="leadership", pre_evaluation=True)
    assert off.totals.get("projects_pre_dropped", 0) == 0
    assert on.totals["projects_pre_dropped"] > 0
    assert on.totals["projects_pre_changed"] > 0
    assert on.totals["preassess_panellists"] > 0
    # what does start is what residents want: higher legitimacy, so a larger gain at completion
    assert _funded_legitimacy(on) > _funded_legitimacy(off) + 0.1
    # no money was spent on a dropped plan: fewer funded projects started than without the panel
    assert on.totals["projects_started"] < off.totals["projects_started"]


def test_pre_evaluation_passes_plans_residents_want():
    # a consensus meeting's plans are well supported: none is dropped
    on = _run("governance-partners", 240, decision_rule="consensus", pre_evaluation=True)
    assert on.totals.get("projects_pre_dropped", 0) == 0


def test_supervision_engineer_cuts_the_slack_of_an_unenforced_contractor():
    m = CommunityModel("xian-renovation", seed=1, **XIAN).run(60)
    ps, delivery = m.projects, m.mech["delivery"]
    ids = np.flatnonzero((ps.cost > 0) & (ps.done < 0))
    assert len(ids) > 0
    ps.column("blocked")[ids] = 0
    ps.column("enforced_until")[ids] = -1
    before = delivery.pace(ids)
    m.p["supervision_engineer"] = True
    after = delivery.pace(ids)
    slack, cut = m.p["contractor_slack"], m.p["engineer_slack_cut"]
    firm = before / (1 - slack)
    np.testing.assert_allclose(after, firm * (1 - slack * (1 - cut)))
    assert (after > before).all()


def _overrun(m) -> float:
    ps = m.projects
    done = (ps.done >= 0) & (ps.cost > 0)
    return float(((ps.done[done] - ps.start[done]) / ps.planned[done]).mean())


def test_supervision_engineer_shortens_the_xian_overrun():
    seeds = (1, 2, 3, 4)
    base = np.array([_overrun(_run("xian-renovation", 540, s, XIAN)) for s in seeds])
    eng = np.array([_overrun(_run("xian-renovation", 540, s, XIAN, supervision_engineer=True)) for s in seeds])
    assert_greater(base, eng, "overrun without vs with a supervision engineer")
