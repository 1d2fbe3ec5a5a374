"""The community donation fund (sim/mechanisms/donations.py): giving, matching, micro-projects."""

from __future__ import annotations

import numpy as np
from conftest import SMALL, assert_greater, per_seed, run_small

from sim.rng import Streams

ON = dict(donations=True, donation_match_cap=1e6)


def _final(m, name):
    return float(m.results()[name].iloc[-1])


def test_off_by_default_draws_nothing_and_books_nothing():
    m = run_small(61, seed=1)
    assert not m.mech["donations"].active(m.p)
    assert _final(m, "donations_total") == 0 and _final(m, "donation_fund_balance") == 0
    assert m.mech["donations"].rng.bit_generator.state == Streams(m.seed)["donations"].bit_generator.state


def test_money_is_conserved_and_never_negative():
    m = run_small(200, seed=2, **ON)
    d = m.mech["donations"]
    given, matched = _final(m, "donations_total"), _final(m, "donation_match_total")
    assert given > 0 and _final(m, "micro_projects_total") > 0
    assert np.isclose(given + matched, d.balance.sum() + d.spent.sum())
    assert (d.balance >= 0).all() and (d.balance < m.p["micro_project_cost"]).all()
    # residents' own records: what those still here gave (leavers' records go with them)
    assert 0 < m.residents.donated.sum() <= given


def test_government_matches_at_its_rate_up_to_the_yearly_cap():
    full = run_small(150, seed=3, **ON)
    assert np.isclose(_final(full, "donation_match_total"), _final(full, "donations_total"))  # rate 1, cap not hit
    capped = run_small(150, seed=3, donations=True, donation_match_cap=500.0)
    assert np.isclose(_final(capped, "donation_match_total"), 500.0 * SMALL.get("n_communities", 1))
    half = run_small(150, seed=3, donations=True, donation_match_cap=1e6, donation_match_rate=0.5)
    assert np.isclose(_final(half, "donation_match_total"), 0.5 * _final(half, "donations_total"))


def test_matching_funds_more_micro_projects_than_donations_alone():
    # would fail if matching did nothing: the same residents, the match doubles the money
    def projects(m):
        return _final(m, "micro_projects_total")

    matched = per_seed(projects, 240, seeds=(11, 12, 13), **ON)
    alone = per_seed(projects, 240, seeds=(11, 12, 13), donations=True, donation_match_rate=0.0)
    assert_greater(matched, alone, "micro-projects with vs without government matching")
    assert matched.mean() > 1.5 * alone.mean()


def test_public_spirit_raises_giving():
    def given(m):
        return _final(m, "donations_total")

    low = per_seed(given, 95, seeds=(11, 12, 13), mean_public_spirit=0.1, **ON)
    high = per_seed(given, 95, seeds=(11, 12, 13), mean_public_spirit=0.8, **ON)
    assert_greater(high, low, "donations with high vs low public spirit")


def test_micro_projects_raise_satisfaction():
    def sat(m):
        return _final(m, "satisfaction")

    on = per_seed(sat, 240, seeds=(11, 12, 13), donations=True, donation_match_cap=1e6, micro_project_gain=0.03)
    off = per_seed(sat, 240, seeds=(11, 12, 13), donations=True, donation_match_cap=1e6, micro_project_gain=0.0)
    assert_greater(on, off, "satisfaction with vs without the micro-projects' effect")
