"""Trust and voice that answer to service (sim/mechanisms/service_trust.py, issue 10 item 3).

Each test would fail if the mechanism did nothing: paired seeds (common random numbers),
mechanism on vs off, in a small government-led community whose committees are short of
capacity, so matters go unanswered.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import assert_greater, cached_run, final, per_seed, run_small

from sim.agents.resident import T_RC
from sim.mechanisms.matters import resolve

# government-led, committees short of time: matters pile up (a small community, more matters per head)
LOW = dict(scenario="government-led", committee_capacity=1.0, matter_rate=1.0)
DAYS = 240
SEEDS = (21, 22, 23, 24)


def _on(metric):
    return per_seed(metric, DAYS, seeds=SEEDS, service_trust=True, **LOW)


def _off(metric):
    return per_seed(metric, DAYS, seeds=SEEDS, service_trust=False, **LOW)


def _rc_trust(m):
    return final(m, "trust_residents_committee")


def test_unanswered_matters_lower_trust_in_the_committee():
    assert_greater(_off(_rc_trust), _on(_rc_trust), "trust in the committee, off vs on")


def test_residents_who_see_nothing_happen_raise_fewer_matters():
    def raised(m):
        return final(m, "matters_raised")

    assert_greater(_off(raised), _on(raised), "matters raised, off vs on")
    voice = _on(lambda m: final(m, "voice"))
    assert (voice < 1).all(), voice


def test_some_matters_go_over_the_committees_head_to_government():
    def esc(m):
        return final(m, "hotline_escalations_total")

    on, off = _on(esc), _off(esc)
    assert (off == 0).all()
    assert (on > 0).all(), on

    # escalated matters load the government: it settles more matters
    def gov_settled(m):
        return float(m.government.hard_settled)

    assert_greater(_on(gov_settled), _off(gov_settled), "matters settled by government, on vs off")


def test_the_backlog_levels_off_only_with_the_mechanism():
    def growth(m):
        b = m.results()["backlog"].to_numpy()
        return float(b[-1] - b[DAYS // 2])  # growth over the second half of the run

    assert_greater(_off(growth), _on(growth), "backlog growth in the second half, off vs on")


def test_a_resolved_matter_restores_trust_in_its_handler():
    m = run_small(120, seed=5, service_trust=True, **LOW)
    mech = m.mech["service"]
    ms, res = m.matters, m.residents
    ids = ms.open_ids[mech._lost_trust[ms.open_ids] > 0]
    ids = ids[mech._lost_actor[ids] == T_RC]
    assert len(ids) > 0
    # one matter per resident, so each restoration can be read off that resident's trust
    _, first = np.unique(ms.column("resident")[ids], return_index=True)
    ids = ids[first][:20]
    who = ms.column("resident")[ids]
    lost = mech._lost_trust[ids].copy()
    resolve(m, ids, T_RC)  # the handler's own gain for a resolution (matters.py)
    before = res.trust[who, T_RC].copy()
    mech._closed_since_yesterday()
    gain = res.trust[who, T_RC] - before
    assert (gain > 0).all()
    expected = np.minimum(before + m.p["resolved_restore_share"] * lost, 1) - before
    np.testing.assert_allclose(gain, expected, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("seed", (1, 2))
def test_infinite_patience_nothing_erodes(seed):
    """Boundary: with patience beyond the run no matter is overdue, so the mechanism changes nothing."""
    kw = dict(LOW, patience_days=3650)
    on = cached_run(150, seed=seed, service_trust=True, **kw).results()
    off = cached_run(150, seed=seed, service_trust=False, **kw).results()
    own = ["hotline_escalations_total", "matters_given_up_total", "voice"]
    assert (on[own[:2]].to_numpy() == 0).all()
    assert (on["voice"] == 1).all()
    cols = [c for c in on.select_dtypes("number").columns if c not in own]
    assert "trust_residents_committee" in cols and "matters_raised" in cols
    np.testing.assert_array_equal(on[cols].to_numpy(float), off[cols].to_numpy(float))


def test_matters_taken_over_the_head_can_become_petitions():
    def petitions(m):
        return float(m.totals.get("disputes_grievance", 0))

    some = per_seed(petitions, DAYS, seeds=SEEDS, service_trust=True, hotline_dispute_share=1.0, **LOW)
    none = per_seed(petitions, DAYS, seeds=SEEDS, service_trust=True, hotline_dispute_share=0.0, **LOW)
    assert_greater(some, none, "grievance disputes, every hotline call a petition vs none")
