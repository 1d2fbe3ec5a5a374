"""Waste sorting (sim/mechanisms/waste.py): mixed transport, what residents infer, fit, consultation, evaluation.

Small populations, fixed seeds, paired by seed (common random numbers).
"""

from __future__ import annotations

import numpy as np
from conftest import assert_greater

from sim.model import CommunityModel

POP = dict(estates=2, households=200, residents=600, households_per_building=20, households_per_grid_worker=100)
SEEDS = (1, 2, 3)
SORTING = dict(waste_sorting=True, garbage_distance=60.0)


def _run(ticks: int, seed: int, scenario: str | None = None, **kw) -> CommunityModel:
    return CommunityModel(scenario, seed=seed, check=True, **POP, **kw).run(ticks)


def _last(m: CommunityModel, name: str, days: int = 30) -> float:
    return float(m.results()[name].iloc[-days:].mean())


def test_mixed_transport_lowers_quality_and_effort_of_residents_who_see_it():
    mixed = [_run(150, s, **SORTING, mixed_transport=0.5) for s in SEEDS]
    apart = [_run(150, s, **SORTING, mixed_transport=0.0) for s in SEEDS]
    q_mixed = np.array([_last(m, "sorting_quality") for m in mixed])
    q_apart = np.array([_last(m, "sorting_quality") for m in apart])
    e_mixed = np.array([_last(m, "sorting_effort") for m in mixed])
    e_apart = np.array([_last(m, "sorting_effort") for m in apart])
    assert_greater(q_apart, q_mixed, "sorting quality, separate vs mixed transport")
    # not only the trucks: residents who saw it sort less (the inference), so effort falls too
    assert_greater(e_apart, e_mixed, "sorting effort, separate vs mixed transport")
    for m in mixed:
        assert m.residents.sorting_doubt[m.residents.adult].mean() > 0.1
    for m in apart:
        assert m.residents.sorting_doubt.max() == 0.0


def test_nobody_sees_the_trucks_no_inference():
    blind = [_run(120, s, **SORTING, mixed_transport=0.5, collection_seen=0.0) for s in SEEDS]
    apart = [_run(120, s, **SORTING, mixed_transport=0.0, collection_seen=0.0) for s in SEEDS]
    for a, b in zip(blind, apart, strict=True):
        # same effort (no one learns), lower quality only from the trucks themselves
        assert np.allclose(a.results()["sorting_effort"], b.results()["sorting_effort"])


def test_a_longer_walk_lowers_fit_and_effort():
    near = np.array([_last(_run(120, s, waste_sorting=True, garbage_distance=50.0), "sorting_effort") for s in SEEDS])
    far = np.array([_last(_run(120, s, waste_sorting=True, garbage_distance=400.0), "sorting_effort") for s in SEEDS])
    assert_greater(near, far, "sorting effort, 50 m vs 400 m walk")


def test_consultation_shortens_the_planned_walk_to_what_fits_residents():
    m = _run(40, 1, waste_sorting=True, waste_consulted=True, garbage_distance=400.0)
    assert m.p["garbage_distance"] < 400.0
    tol = m.mech["waste"].tolerance()[m.residents.adult]
    # the amended walk is within the tolerance of fit_target of adults (up to turnover since)
    assert abs((tol >= m.p["garbage_distance"]).mean() - m.p["fit_target"]) < 0.05
    assert m.totals["waste_adjustments"] == 1  # one plan, consulted once
    plain = _run(40, 1, waste_sorting=True, waste_consulted=False, garbage_distance=400.0)
    assert plain.p["garbage_distance"] == 400.0
    assert _last(m, "policy_fit", 5) > _last(plain, "policy_fit", 5) + 0.3


def test_evaluation_detects_failure_and_schedules_the_fix_on_the_timeline():
    kw = dict(waste_sorting=True, garbage_distance=400.0, mixed_transport=0.5, evaluation_interval=60)
    ev = _run(200, 1, waste_evaluation=True, adjustment_delay=20, **kw)
    none = _run(200, 1, waste_evaluation=False, **kw)
    # first evaluation on day 61 (sorting starts on day 1): failure, fix in force from day 81
    assert ev.timeline.records() == [
        {"day": 81, "set": {"mixed_transport": 0.0, "garbage_distance": ev.p["garbage_distance"]}}
    ]
    assert ev.p["mixed_transport"] == 0.0 and ev.p["garbage_distance"] < 400.0
    assert none.p["mixed_transport"] == 0.5 and none.p["garbage_distance"] == 400.0
    d = ev.results()
    assert d["waste_evaluations"].iloc[-1] == 3 and d["waste_adjustments"].iloc[-1] == 1
    assert _last(ev, "sorting_quality") > _last(none, "sorting_quality") + 0.2


def test_evaluation_that_passes_changes_nothing():
    m = _run(200, 1, waste_sorting=True, garbage_distance=50.0, waste_evaluation=True, quality_target=0.0)
    assert m.totals["waste_evaluations"] >= 2
    assert m.totals.get("waste_adjustments", 0) == 0 and m.timeline.records() == []


def test_licheng_presets_failure_and_remedy():
    fail = [_run(250, s, "licheng-garbage") for s in SEEDS]
    fixed = [_run(250, s, "licheng-garbage-remedied") for s in SEEDS]
    for m in fail + fixed:
        assert (m.results()["sorting_quality"].iloc[:90] == 0).all()  # no sorting before the change
    q_fail = np.array([_last(m, "sorting_quality", 60) for m in fail])
    q_fixed = np.array([_last(m, "sorting_quality", 60) for m in fixed])
    assert_greater(q_fixed, q_fail, "sorting quality, remedied vs Licheng")
    assert q_fail.max() < 0.2 and q_fixed.min() > 0.5
