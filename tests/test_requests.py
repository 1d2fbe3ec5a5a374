"""The request at the end of an activity (sim/mechanisms/requests.py; seed 000 §4.2.2 Hangzhou)."""

from __future__ import annotations

import numpy as np
from conftest import assert_greater

from sim.agents.resident import T_ORGS
from sim.model import CommunityModel

POP = dict(estates=1, households=300, residents=900, households_per_building=20, households_per_grid_worker=100)
SEEDS = (1, 2, 3)


def _run(seed: int, **kw) -> CommunityModel:
    return CommunityModel("hangzhou-sachet", seed=seed, check=True, **POP, **kw).run(150)


def _refusal_share(m: CommunityModel) -> float:
    return m.totals.get("request_refusals", 0) / max(m.totals.get("end_requests", 0), 1)


def test_unannounced_request_is_refused_more_and_costs_trust():
    silent = [_run(s) for s in SEEDS]
    told = [_run(s, prior_communication=True) for s in SEEDS]
    assert all(m.totals["end_requests"] > 0 for m in silent + told)
    assert_greater(
        np.array([_refusal_share(m) for m in silent]),
        np.array([_refusal_share(m) for m in told]),
        "request refusals, unannounced vs announced",
    )
    assert all(_refusal_share(m) > 0.3 for m in silent)


def test_the_request_step_alone_lowers_trust_in_organisations():
    # same community, same invitations; only whether activities end with a request differs
    ask = [_run(s, end_request_share=1.0) for s in SEEDS]
    none = [_run(s, end_request_share=0.0) for s in SEEDS]
    t_ask = np.array([m.residents.trust[m.residents.adult, T_ORGS].mean() for m in ask])
    t_none = np.array([m.residents.trust[m.residents.adult, T_ORGS].mean() for m in none])
    assert_greater(t_none, t_ask, "trust in organisations, no request vs unannounced request")
    assert all(m.totals.get("end_requests", 0) == 0 for m in none)


def test_participants_only_are_asked():
    m = _run(1, end_request_share=1.0)
    # everyone asked had joined: requests never exceed acceptances
    assert 0 < m.totals["end_requests"] <= m.totals["acceptances"]
