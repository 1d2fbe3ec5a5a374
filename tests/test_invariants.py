"""Checked mode: invariants hold over a rich run, and the check fails when state is corrupted."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SMALL, make_small

from sim.invariants import InvariantError, check_invariants

RICH = dict(
    points=True,
    points_budget=400.0,
    redeem_threshold=20.0,
    ranking=True,
    time_bank=True,
    awards=True,
    routing=True,
    building_listening=True,
    online_collection=True,
    mobile_reporters=True,
    meeting_cadence="weekly",
    feedback_loop=True,
    project_days=20,
    home_visits_per_week=5.0,
    party_responsibility_zones=True,
    dispatched_cadres=3,
    mobile_party_branch=True,
    mediation=True,
    third_party_evaluation=True,
    turnover=0.5,
    inclusion=True,
    n_communities=2,
    shock_tick=120,
    shock_set={"garbage_distance": 400.0, "points": False, "meeting_cadence": "4-14-24"},
)


@pytest.fixture(scope="module")
def rich():
    return make_small(seed=21, **RICH).run(240)  # checked after every tick


def test_rich_run_exercises_the_mechanisms(rich):
    d = rich.results()
    t = rich.totals
    for counter in (
        "points_issued",
        "points_redeemed",
        "redemptions_refused",
        "projects_completed",
        "disputes_mediated",
        "arrivals",
        "home_visits",
        "meetings",
        "care_hours_used",
        "awards",
        "surfaced_via_online",
        "surfaced_via_mobile",
        "surfaced_via_listening",
        "shocks",
    ):
        assert t.get(counter, 0) > 0, counter
    assert rich.p["garbage_distance"] == 400.0 and rich.p["points"] is False
    assert len(d) == 241


def test_rich_run_invariants_seen_from_outside(rich):
    # the same conservation laws, recomputed from the outcome table rather than by check_invariants
    d = rich.results()
    n = 2 * SMALL["residents"]
    assert (d["residents"] == n).all() and (d["households"] == 2 * SMALL["households"]).all()
    np.testing.assert_allclose(
        d["points_issued"], d["points_redeemed"] + d["points_held"] + d["points_forfeited"], rtol=1e-9, atol=1e-6
    )
    assert (d["matters_resolved"] <= d["matters_surfaced"]).all()
    assert (d["matters_surfaced"] <= d["matters_raised"]).all()
    # matters leave the backlog by resolution or when their raisers give up (service_trust)
    assert (d["backlog"] == d["matters_raised"] - d["matters_resolved"] - d["matters_given_up_total"]).all()
    assert (d["matters_raised"].diff().dropna() >= 0).all()
    assert (d["fund_balance"] >= 0).all() and (d["points_budget_left"] >= 0).all()
    assert not d.drop(columns=["scenario"]).isna().any().any()
    for col in ("participation", "satisfaction", "belonging", "trust_party_committee", "firm_effort"):
        assert d[col].between(0, 1).all(), col
    ms = rich.matters
    assert ((ms.resolved < 0) | (ms.resolved >= ms.surfaced)).all()
    assert ((ms.surfaced < 0) | (ms.surfaced >= ms.raised)).all()
    assert rich.totals["arrivals"] == rich.totals["departures"]


def _fresh():
    m = make_small(seed=2, points=True, turnover=0.3)
    m.run(20)
    check_invariants(m)  # sound before we break it
    return m


@pytest.mark.parametrize(
    "corrupt, match",
    [
        (lambda m: m.residents.trust.__setitem__((0, 0), 1.5), "trust"),
        (lambda m: m.residents.belonging.__setitem__(3, -0.1), "belonging"),
        (lambda m: m.residents.satisfaction.__setitem__(5, np.nan), "satisfaction"),
        (lambda m: m.residents.points.__setitem__(0, m.residents.points[0] + 5.0), "points"),
        (lambda m: m.totals.__setitem__("points_issued", m.totals.get("points_issued", 0) + 10.0), "points"),
        (lambda m: m.funds.community.__setitem__(0, -1.0), "fund"),
        (lambda m: m.orgs.funding.__setitem__(0, -5.0), "organisation funding"),
        (lambda m: m.totals.__setitem__("arrivals", m.totals.get("arrivals", 0) + 1), "arrivals"),
        (lambda m: setattr(m.government, "budget", -100.0), "government"),
        (lambda m: m.totals.__setitem__("matters_given_up", m.totals.get("matters_given_up", 0) + 1), "given up"),
    ],
)
def test_check_invariants_fails_on_corrupted_state(corrupt, match):
    m = _fresh()
    corrupt(m)
    with pytest.raises(InvariantError, match=match):
        check_invariants(m)


def test_matter_resolved_without_surfacing_is_caught():
    m = _fresh()
    ms = m.matters
    unsurfaced = np.flatnonzero(ms.surfaced < 0)
    assert len(unsurfaced)
    ms.column("resolved")[unsurfaced[0]] = m.tick
    with pytest.raises(InvariantError, match="resolved without being surfaced"):
        check_invariants(m)


def test_checked_step_raises_on_corruption_and_names_the_day():
    m = _fresh()
    m.residents.points[7] += 3.0
    with pytest.raises(InvariantError, match=r"day 21"):
        m.step()


def test_unchecked_model_does_not_check():
    m = make_small(seed=2)
    m.check = False
    m.residents.points[7] += 3.0
    m.step()  # no check, no error: check=False really is off
    with pytest.raises(InvariantError):
        check_invariants(m)
