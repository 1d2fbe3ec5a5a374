"""The inspectable resident: attributes, role, recent actions; Party members carry duties."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import make_small

from sim.agents.party_member import PartyMemberView
from sim.agents.resident import ACTORS, AGE_GROUPS


@pytest.fixture(scope="module")
def visited():
    return make_small(seed=3, home_visits_per_week=5.0, party_responsibility_zones=True, mediation=True).run(20)


def test_as_dict_has_attributes_role_and_recent_actions(visited):
    m, r = visited, visited.residents
    i = (
        int(np.flatnonzero(r.last_visited == m.tick)[0])
        if (r.last_visited == m.tick).any()
        else int(np.argmax(r.last_visited))
    )
    d = m.resident(i).as_dict()
    assert d["id"] == i
    assert d["age_group"] == AGE_GROUPS[r.age[i]]
    assert isinstance(d["role"], str) and d["role"]
    for a in ACTORS:
        assert d[f"trust_{a}"] == pytest.approx(float(r.trust[i, ACTORS.index(a)]), abs=1e-3)
    for name in (
        "belonging",
        "satisfaction",
        "free_time",
        "public_spirit",
        "migrant",
        "owner",
        "digital",
        "points",
        "household",
        "building",
        "estate",
    ):
        assert name in d, name
    assert d["belonging"] == pytest.approx(float(r.belonging[i]))
    assert d["migrant"] is bool(r.migrant[i])
    assert any("visited by a Party member" in a for a in d["recent_actions"])
    assert all(a.startswith("day ") for a in d["recent_actions"])
    # values are plain Python, so the dict can be shown or serialised as is
    assert all(not isinstance(v, np.generic) for v in d.values())


def test_recent_actions_of_an_active_resident_are_newest_first(visited):
    m, r = visited, visited.residents
    i = int(np.flatnonzero(r.last_active > 0)[0])
    actions = m.resident(i).recent_actions(window=1000)
    assert f"day {int(r.last_active[i])}: joined a community activity" in actions
    days = [int(a.split(":")[0].split()[1]) for a in actions]
    assert days == sorted(days, reverse=True)
    quiet = int(
        np.flatnonzero(
            (r.last_active < 0)
            & (r.last_visited < 0)
            & (r.last_reported < 0)
            & (r.last_breach < 0)
            & (r.last_dispute < 0)
            & (r.last_redeemed < 0)
        )[0]
    )
    assert m.resident(quiet).as_dict()["recent_actions"] == []


def test_party_member_gets_duties(visited):
    m, r = visited, visited.residents
    pid = int(np.flatnonzero(r.party)[0])
    view = m.resident(pid)
    assert isinstance(view, PartyMemberView)
    assert "Party member" in view.role
    duties = view.duties
    assert any("visit 5 households a week" in x for x in duties)
    assert any("responsibility zone" in x for x in duties)
    elder = np.flatnonzero(r.party & (r.age == 2))
    if len(elder):
        assert any("mediate" in x for x in m.resident(int(elder[0])).duties)
    assert "Party member" in view.as_dict()["role"]


def test_non_member_has_no_duties(visited):
    m, r = visited, visited.residents
    i = int(np.flatnonzero(~r.party & r.adult)[0])
    view = m.resident(i)
    assert not isinstance(view, PartyMemberView)
    assert "Party member" not in view.role
    with pytest.raises(AttributeError):
        _ = view.duties


def test_duties_follow_the_scenario():
    m = make_small(seed=3)  # no visits, no zones, no mediation
    pid = int(np.flatnonzero(m.residents.party)[0])
    assert m.resident(pid).duties == ["mobilise neighbours"]


def test_view_reads_live_state_and_rejects_bad_ids(visited):
    m = visited
    with pytest.raises(IndexError):
        m.resident(m.residents.n)
    with pytest.raises(IndexError):
        m.resident(-1)
    m2 = make_small(seed=4)
    v = m2.resident(0)
    m2.residents.belonging[0] = 0.123
    assert v.belonging == pytest.approx(0.123)
