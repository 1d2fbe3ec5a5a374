"""Property tests: each mechanism does what the seeds say it does.

Statistical claims run several seeds with common random numbers (the same seeds on
both arms) and require the mean paired difference to exceed two standard errors.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SMALL, assert_greater, cached_run, final, per_seed, run_small

from sim.agents.resident import ELDERLY, WORKING
from sim.mechanisms.consultation import INSTITUTIONAL_SEATS
from sim.mechanisms.matters import HARD

# --- incentives ------------------------------------------------------------------------


def _recent_share_reward_sensitive(m) -> float:
    """Share of strongly reward-sensitive adults active within the last 30 days."""
    r = m.residents
    hi = r.adult & (r.reward_sensitivity > 0.6)
    return float((r.last_active[hi] > m.tick - 30).mean())


# crowding-out is switched off here to isolate the pull of the reward; it has its own test
POINTS = dict(points=True, crowding_out=False, redeem_threshold=10.0, redeem_rate=0.5)


def test_points_raise_participation_of_reward_sensitive_while_budget_lasts():
    funded = per_seed(_recent_share_reward_sensitive, 120, points_budget=1e5, **POINTS)
    none = per_seed(_recent_share_reward_sensitive, 120, points=False)
    spent = per_seed(_recent_share_reward_sensitive, 120, points_budget=200.0, **POINTS)
    assert_greater(funded, none, "points (funded) vs no points")
    assert_greater(funded, spent, "points with budget vs budget spent")
    # once the budget is gone residents stop counting on points: back to the no-points level
    assert abs(spent.mean() - none.mean()) < 0.25 * (funded.mean() - none.mean())


def test_points_pull_is_stronger_for_reward_sensitive():
    def gain_by_sensitivity(m_on, m_off):
        r = m_on.residents
        act_on, act_off = m_on.residents.activities, m_off.residents.activities
        hi = r.adult & (r.reward_sensitivity > 0.6)
        lo = r.adult & (r.reward_sensitivity < 0.3)
        return act_on[hi].mean() - act_off[hi].mean(), act_on[lo].mean() - act_off[lo].mean()

    his, los = [], []
    for s in (11, 12, 13, 14, 15):
        h, lo = gain_by_sensitivity(cached_run(120, s, points_budget=1e5, **POINTS), cached_run(120, s, points=False))
        his.append(h)
        los.append(lo)
    assert_greater(np.array(his), np.array(los), "participation gain: reward-sensitive vs insensitive")


def test_redemption_stops_when_budget_is_spent():
    m = run_small(
        150,
        seed=11,
        points=True,
        points_per_activity=40.0,
        redeem_threshold=40.0,
        redeem_rate=1.0,
        points_budget=2000.0,
    )
    d = m.results()
    assert d["points_budget_left"].iloc[0] == 0 < d["points_budget_left"].iloc[1]  # allocated on day 1
    gone = d.index[(d["tick"] > 0) & (d["points_budget_left"] <= 0)]
    assert len(gone), f"budget never spent: {d['points_budget_left'].min()}"
    t0 = int(gone[0])
    after = d.iloc[t0:]
    assert (after["points_budget_left"] == 0).all()
    assert after["points_redeemed"].nunique() == 1, "points still redeemed after the budget ran out"
    # exactly the year's budget was paid out, not a yuan more
    assert m.totals["redemption_cost"] == pytest.approx(2000.0)
    assert d["points_redeemed"].iloc[-1] * 1.0 == pytest.approx(2000.0)  # 1 yuan per point
    # refusals grow once the budget is gone (none may fall on the very day it runs out exactly)
    assert after["redemptions_refused"].iloc[-1] > after["redemptions_refused"].iloc[0] >= 0
    assert after["points_issued"].iloc[-1] > after["points_issued"].iloc[0]  # people still earn points
    # residents stop counting on points once redemption fails
    assert m.mech["incentives"].redeemable.max() < 0.01


def test_crowding_out_leaves_participation_below_no_points_after_withdrawal():
    T = 150

    def part_after(m):
        return float(m.results()["participation"].iloc[T + 45 :].mean())

    never = per_seed(part_after, T + 120, points=False)
    withdrawn = per_seed(part_after, T + 120, points=True, shock_tick=T, shock_set={"points": False})
    assert_greater(never, withdrawn, "participation: never rewarded vs rewards withdrawn (crowding-out)")
    # the mechanism is crowding-out: without it, withdrawal leaves no such dent
    no_crowd = per_seed(part_after, T + 120, points=True, crowding_out=False, shock_tick=T, shock_set={"points": False})
    assert no_crowd.mean() >= never.mean() - 0.1 * (never.mean() - withdrawn.mean())
    # intrinsic motivation of those rewarded really was eroded and did not come back; the never active kept theirs
    m = cached_run(T + 120, 11, points=True, shock_tick=T, shock_set={"points": False})
    r = m.residents
    regulars = (r.arrived == 0) & (r.activities >= 3)
    assert r.intrinsic[regulars].mean() < 0.9 * r.public_spirit[regulars].mean()
    never_active = (r.arrived == 0) & (r.activities == 0)
    np.testing.assert_array_equal(r.intrinsic[never_active], r.public_spirit[never_active])


def test_time_bank_is_used_by_elderly_and_capped():
    m = run_small(120, seed=3, time_bank=True, time_bank_cap=2.0)
    r = m.residents
    assert r.bank_hours.max() <= 2.0
    assert m.totals.get("care_hours_used", 0) > 0
    m0 = cached_run(120, 3)
    assert m0.residents.bank_hours.sum() == 0


def test_awards_raise_belonging_of_the_active():
    on = per_seed(lambda m: final(m, "belonging"), 180, seeds=(11, 12, 13), awards=True)
    off = per_seed(lambda m: final(m, "belonging"), 180, seeds=(11, 12, 13), awards=False)
    assert_greater(on, off, "belonging with awards vs without")


# --- channels --------------------------------------------------------------------------

OFFLINE = dict(grid_walks=True, building_listening=True, online_collection=False, turnover=0.0)
ONLINE = dict(grid_walks=False, building_listening=False, online_collection=True, turnover=0.0)


def _surfaced_shares(m) -> tuple[float, float]:
    """Shares of surfaced matters raised by digitally connected busy adults, and by the elderly."""
    r, ms = m.residents, m.matters
    who, surfaced = ms.resident, ms.surfaced >= 0
    working = r.age == WORKING
    busy_digital = r.digital & working & (r.free_time < np.median(r.free_time[working]))
    elderly = r.age == ELDERLY
    return float(busy_digital[who][surfaced].mean()), float(elderly[who][surfaced].mean())


def test_offline_channels_miss_busy_connected_and_online_misses_elderly():
    seeds = (11, 12, 13, 14)
    off = np.array([_surfaced_shares(cached_run(180, s, **OFFLINE)) for s in seeds])
    on = np.array([_surfaced_shares(cached_run(180, s, **ONLINE)) for s in seeds])
    assert_greater(on[:, 0], off[:, 0], "share of surfaced matters from busy connected residents: online vs offline")
    assert_greater(off[:, 1], on[:, 1], "share of surfaced matters from the elderly: offline vs online")


def test_paperwork_cuts_grid_walk_surfacing():
    def walks(m):
        return m.totals.get("surfaced_via_grid_walk", 0)

    light = per_seed(walks, 120, seeds=(11, 12, 13), data_demanded=2.0)
    heavy = per_seed(walks, 120, seeds=(11, 12, 13), data_demanded=25.0)
    assert_greater(light, heavy, "grid-walk surfacing: little vs much paperwork")


def test_paperwork_hours_follow_data_demanded_and_platform_use():
    # without the platform log, paperwork is exactly households x entries/day x (1 + silos) x hours/entry
    m = run_small(10, seed=2, data_demanded=12.0, platform_level=0.0)
    d = m.results()
    p = m.p
    per_hh = 12.0 / 365 * (1 + p["silo_reentry"] * p["data_silos"]) * p["entry_hours"]
    expected = np.minimum(m.grid_workers.households * per_hh, p["max_paperwork_share"] * p["work_hours"]).sum()
    np.testing.assert_allclose(d["paperwork_hours"].iloc[1:], expected)
    # logging surfaced matters on the platform adds paperwork
    on = run_small(10, seed=2, data_demanded=12.0, platform_level=1.0)
    assert on.results()["paperwork_hours"].iloc[1:].sum() > d["paperwork_hours"].iloc[1:].sum()
    assert m.grid_workers.n == round(SMALL["households"] / SMALL["households_per_grid_worker"])


def test_mobile_reporters_surface_only_public_hazards():
    m = run_small(120, seed=5, mobile_reporters=True, mobile_report_rate=0.5)
    assert m.totals.get("surfaced_via_mobile", 0) > 0
    off = cached_run(120, 5)
    assert off.totals.get("surfaced_via_mobile", 0) == 0
    # with mobile reporters, public matters surface faster than private ones of the same class
    ms = m.matters
    done = (ms.surfaced >= 0) & (ms.cls != 0)
    lag = ms.surfaced - ms.raised
    assert lag[done & ms.public].mean() < lag[done & ~ms.public].mean()


# --- handling: routing, responsibility lists ------------------------------------------------

# The committees' capacity is per community, not per resident: in the small community it is
# scaled to the per-resident load of X's 21,235 residents (4 a day there).
X_LOAD = dict(committee_capacity=4.0 * SMALL["residents"] / 21235)


def test_routing_lowers_backlog_of_small_matters():
    def small_backlog(m):
        return float(m.results()["backlog_small"].iloc[-60:].mean())

    off = per_seed(small_backlog, 180, seeds=(11, 12, 13), routing=False, **X_LOAD)
    on = per_seed(small_backlog, 180, seeds=(11, 12, 13), routing=True, **X_LOAD)
    assert_greater(off, on, "backlog of small matters without vs with routing")


def test_routing_sends_hard_matters_to_government_and_cadres():
    m = run_small(180, seed=4, routing=True, dispatched_cadres=20, **X_LOAD)
    base = cached_run(180, 4, routing=False, **X_LOAD)
    # overloaded committees sit on hard matters; routed to cadres and government they get settled
    assert final(m, "resolved_hard") > final(base, "resolved_hard") + 5
    assert m.government.hard_settled > 0


def test_responsibility_list_shortens_time_to_resolution():
    # Same cohort either way: matters raised in the first 120 days, the unresolved counted
    # as open until day 240 (mean days over resolved matters alone would favour whichever
    # setting resolves fewer); buck-passing costs time where handlers are busy, as in X.
    def cohort_days(m):
        ms = m.matters
        cohort = ms.raised <= 120
        end = np.where(ms.resolved >= 0, ms.resolved, m.tick)
        return float((end - ms.raised)[cohort].mean())

    without = per_seed(cohort_days, 240, responsibility_list=False, **X_LOAD)
    with_list = per_seed(cohort_days, 240, responsibility_list=True, **X_LOAD)
    assert_greater(without, with_list, "mean days to resolve without vs with a responsibility list")
    assert final(cached_run(240, 11, responsibility_list=True), "buck_passes") == 0


# --- supervision, projects, property ------------------------------------------------------

WEAK = dict(inspections_per_month=0.0, formal_supervision=0.0)
STRONG = dict(inspections_per_month=8.0, formal_supervision=1.0)


def test_weak_supervision_raises_firm_shirking():
    def shirk(m):
        return float(m.results()["firm_shirking"].iloc[-30:].mean())

    weak = per_seed(shirk, 150, seeds=(11, 12, 13), **WEAK)
    strong = per_seed(shirk, 150, seeds=(11, 12, 13), **STRONG)
    assert (weak > strong + 0.1).all(), (weak, strong)
    # shirking shows in service complaints
    compl_w = per_seed(lambda m: final(m, "firm_complaints"), 150, seeds=(11, 12, 13), **WEAK)
    compl_s = per_seed(lambda m: final(m, "firm_complaints"), 150, seeds=(11, 12, 13), **STRONG)
    assert_greater(compl_w, compl_s, "firm complaints under weak vs strong supervision")


def test_weak_supervision_makes_projects_overrun():
    # eight seeds: since delivery.py (issue 11 item 3) the overrun has several causes and more spread
    common = dict(meeting_cadence="weekly", project_days=20, responsibility_list=True)

    def overrun(m):
        assert final(m, "projects_completed") >= 3, "too few projects completed to compare"
        return final(m, "project_overrun")

    weak = per_seed(overrun, 240, seeds=tuple(range(11, 19)), **common, **WEAK)
    strong = per_seed(overrun, 240, seeds=tuple(range(11, 19)), **common, **STRONG)
    assert_greater(weak, strong, "project overrun under weak vs strong supervision")
    assert weak.mean() > 1.5  # Xi'an: planned 3 months, took 8


def test_completed_projects_resolve_their_matters():
    m = run_small(200, seed=12, meeting_cadence="weekly", project_days=20, responsibility_list=True)
    ms, ps = m.matters, m.projects
    done = np.flatnonzero(ps.done >= 0)
    assert len(done) >= 3, f"only {len(done)} implementations completed: too few to test the loop"
    bundled = np.isin(ms.project, done)
    assert bundled.any()
    assert (ms.resolved[bundled] >= 0).all()
    assert (ms.resolved[bundled] == ps.done[ms.project[bundled]]).all()


def test_third_party_evaluation_helps_unless_captured():
    def shirk(m):
        return final(m, "firm_shirking")

    base = dict(inspections_per_month=1.0, formal_supervision=0.3)
    none = per_seed(shirk, 120, seeds=(11, 12), third_party_evaluation=False, **base)
    honest = per_seed(shirk, 120, seeds=(11, 12), third_party_evaluation=True, evaluation_capture=0.0, **base)
    captured = per_seed(shirk, 120, seeds=(11, 12), third_party_evaluation=True, evaluation_capture=1.0, **base)
    assert (honest < none - 0.02).all(), (honest, none)
    np.testing.assert_allclose(captured, none)  # a captured evaluator says nothing


# --- disputes and mediation -------------------------------------------------------------


def test_mediation_lowers_escalations():
    seeds = (11, 12, 13, 14, 15, 16)
    off = per_seed(lambda m: final(m, "escalations_total"), 365, seeds=seeds, mediation=False)
    on = per_seed(lambda m: final(m, "escalations_total"), 365, seeds=seeds, mediation=True)
    assert_greater(off, on, "escalations without vs with mediation")
    assert final(cached_run(365, 11, mediation=True), "mediated_total") > 0


def test_no_escalation_when_escalation_rate_zero():
    m = run_small(200, seed=2, escalation_rate=0.0)
    assert final(m, "escalations_total") == 0
    assert final(m, "disputes_total") > 0


def test_impatience_turns_overdue_matters_into_grievances():
    patient = run_small(150, seed=6, patience_days=365)
    impatient = run_small(150, seed=6, patience_days=5)
    assert patient.totals.get("disputes_grievance", 0) == 0
    assert impatient.totals.get("disputes_grievance", 0) > 5


# --- norms -------------------------------------------------------------------------------


def _breaches(m) -> float:
    return float(m.results()["norm_breaches"].sum())


def test_norm_breaches_rise_with_garbage_distance():
    breaches = _breaches
    near = per_seed(breaches, 120, seeds=(11, 12, 13), garbage_distance=50.0)
    far = per_seed(breaches, 120, seeds=(11, 12, 13), garbage_distance=400.0)
    assert_greater(far, near, "norm breaches at 400 m vs 50 m")
    assert far.mean() > 2 * near.mean()


def test_informal_supervision_lowers_breaches():
    breaches = _breaches
    weak = per_seed(breaches, 120, seeds=(11, 12, 13), informal_supervision=0.0)
    strong = per_seed(breaches, 120, seeds=(11, 12, 13), informal_supervision=1.0)
    assert_greater(weak, strong, "norm breaches with no vs strong informal supervision")


def test_licheng_shock_raises_breaches_from_its_day():
    m = run_small(120, seed=7, shock_tick=60, shock_set={"garbage_distance": 400.0})
    d = m.results()
    assert m.totals.get("shocks") == 1
    assert m.p["garbage_distance"] == 400.0
    assert m.config.params["garbage_distance"] == 50.0  # the scenario itself is not changed
    # only garbage breaches answer to the walk (norms.breach_multiplier): (400/50)^0.8 = 5.3 times as
    # many of them, about 2.5 times as many breaches of all kinds
    garbage = d["breaches_garbage"].diff()
    assert garbage.iloc[61:120].sum() > 3.5 * garbage.iloc[1:60].sum()
    before = d["norm_breaches"].iloc[1:60].sum()
    after = d["norm_breaches"].iloc[61:120].sum()
    assert after > 1.7 * before, (before, after)
    # identical to the unshocked run up to the shock day
    base = cached_run(120, 7).results()
    assert d["norm_breaches"].iloc[:60].equals(base["norm_breaches"].iloc[:60])


# --- organisations and participation -------------------------------------------------------


def test_no_prior_communication_raises_refusals():
    with_comm = per_seed(lambda m: final(m, "refusals"), 120, seeds=(11, 12, 13), prior_communication=True)
    without = per_seed(lambda m: final(m, "refusals"), 120, seeds=(11, 12, 13), prior_communication=False)
    assert_greater(without, with_comm, "refusals without vs with prior communication")
    assert without.mean() > 2 * with_comm.mean()


def test_no_organisations_no_occasions_no_participation():
    m = run_small(60, seed=1, volunteer_teams=0, professional_orgs=0, interest_groups=0)
    d = m.results()
    assert (d["activities"] == 0).all()
    assert (d["participation"] == 0).all()


def test_public_spirit_raises_participation():
    low = per_seed(lambda m: final(m, "participation"), 90, seeds=(11, 12, 13), mean_public_spirit=0.1)
    high = per_seed(lambda m: final(m, "participation"), 90, seeds=(11, 12, 13), mean_public_spirit=0.8)
    assert_greater(high, low, "participation with high vs low public spirit")


def test_more_resident_seats_raise_meeting_attendance():
    few = run_small(60, seed=3, meeting_cadence="weekly", resident_seats=3).results()
    many = run_small(60, seed=3, meeting_cadence="weekly", resident_seats=20).results()
    assert few["meetings"].sum() == many["meetings"].sum() > 0
    assert many["meeting_attendance"].sum() > few["meeting_attendance"].sum()
    # 1+3+N: every meeting seats the 4 institutions and N residents
    held = few["meetings"] > 0
    assert (few.loc[held, "meeting_attendance"] == INSTITUTIONAL_SEATS + 3).all()


def test_no_meetings_without_cadence():
    d = cached_run(120, 11).results()
    assert d["meetings"].sum() == 0 and final(cached_run(120, 11), "projects_started") == 0


# --- Party members -------------------------------------------------------------------------


def test_home_visits_raise_trust_in_party_committee():
    on = per_seed(lambda m: final(m, "trust_party_committee"), 120, seeds=(11, 12, 13), home_visits_per_week=5.0)
    off = per_seed(lambda m: final(m, "trust_party_committee"), 120, seeds=(11, 12, 13))
    assert_greater(on, off, "trust in the Party committee with vs without home visits")


def test_mobile_party_branch_brings_migrant_members_into_visits():
    base = dict(home_visits_per_week=5.0, share_migrants=0.5)
    without = run_small(60, seed=2, mobile_party_branch=False, **base)
    with_branch = run_small(60, seed=2, mobile_party_branch=True, **base)
    assert with_branch.totals["home_visits"] > 1.2 * without.totals["home_visits"]


# --- turnover and attitudes -----------------------------------------------------------------


def test_turnover_lowers_belonging():
    still = per_seed(lambda m: final(m, "belonging"), 365, seeds=(11, 12, 13), turnover=0.0)
    churn = per_seed(lambda m: final(m, "belonging"), 365, seeds=(11, 12, 13), turnover=0.5)
    assert_greater(still, churn, "belonging without vs with 50% turnover")


def test_turnover_conserves_population_and_forfeits_points():
    m = run_small(200, seed=5, turnover=1.0, points=True)
    d = m.results()
    assert (d["residents"] == SMALL["residents"]).all()
    assert (d["households"] == SMALL["households"]).all()
    assert d["arrivals"].iloc[-1] > 0.3 * SMALL["residents"]
    assert d["points_forfeited"].iloc[-1] > 0
    newcomers = m.residents.arrived > 0
    assert newcomers.sum() > 0
    assert m.totals["arrivals"] == m.totals["departures"]
    still = cached_run(120, 11, turnover=0.0)
    assert (still.residents.arrived == 0).all() and final(still, "arrivals") == 0


def test_inclusion_raises_migrants_belonging():
    def migrant_belonging(m):
        r = m.residents
        return float(r.belonging[r.migrant & r.adult].mean())

    base = dict(turnover=0.0, share_migrants=0.3)
    on = per_seed(migrant_belonging, 150, seeds=(11, 12), inclusion=True, **base)
    off = per_seed(migrant_belonging, 150, seeds=(11, 12), inclusion=False, **base)
    assert (on > off + 0.02).all(), (on, off)


def test_privacy_intrusion_costs_trust():
    lax = per_seed(lambda m: final(m, "trust_government"), 120, seeds=(11, 12), data_intensity=0.0)
    intrusive = per_seed(
        lambda m: final(m, "trust_government"), 120, seeds=(11, 12), data_intensity=1.0, privacy_trust_cost=0.01
    )
    assert (intrusive < lax - 0.1).all(), (intrusive, lax)


# --- needs -------------------------------------------------------------------------------


def test_hard_matters_raised_at_the_configured_rate():
    # hard matters come only from residents' needs (norms and property add small and major ones)
    shares = dict(share_small=0.25, share_major=0.25, share_hard=0.5)
    m = run_small(90, seed=3, matter_rate=2.0, turnover=0.0, **shares)
    adults = int(m.residents.adult.sum())
    expected = adults * 2.0 / 365 * 90 * 0.5
    got = final(m, "raised_hard")
    assert abs(got - expected) < 4 * np.sqrt(expected), (got, expected)
    # children's needs come through their parents: no hard matter is raised by a child
    hard = m.matters.cls == HARD
    assert (m.residents.age[m.matters.resident[hard]] != 0).all()
    assert final(run_small(30, seed=3, matter_rate=0.0, breach_rate=0.0, **shares), "raised_hard") == 0


# --- funding -------------------------------------------------------------------------------


def test_fund_follows_grant_and_the_5_percent_share_exactly():
    # no points, no meetings, no projects: the fund only receives grant + 5% of service income
    m = run_small(100, seed=1, government_grant=36500.0, service_income=73000.0, initial_fund=1000.0)
    d = m.results()
    expected = 1000.0 + d["tick"] * (36500.0 + 73000.0 * 0.05) / 365
    np.testing.assert_allclose(d["fund_balance"], expected, rtol=1e-9)


def test_70_25_5_split_funds_organisations():
    def org_funding(m):
        return float(m.orgs.funding.sum())

    split = dict(service_income=400000.0)
    standard = run_small(120, seed=2, share_provider=0.70, share_incubator=0.25, share_fund=0.05, **split)
    all_fund = run_small(120, seed=2, share_provider=0.0, share_incubator=0.0, share_fund=1.0, **split)
    assert org_funding(standard) > org_funding(all_fund) + 10000
    assert final(all_fund, "fund_balance") > final(standard, "fund_balance")
    # starving organisations breeds friction (seed 000 §4.2.1)
    assert all_fund.orgs.friction.mean() > standard.orgs.friction.mean()
    # providers get the 70%: more than volunteer teams
    k = standard.orgs.kind
    assert standard.orgs.funding[k == 1].mean() > standard.orgs.funding[k == 0].mean()


def test_funds_never_go_negative_under_pressure():
    m = run_small(
        200,
        seed=3,
        initial_fund=0.0,
        government_grant=20000.0,
        points=True,
        points_budget=1e6,
        points_per_activity=100.0,
        redeem_threshold=10.0,
        redeem_rate=1.0,
        meeting_cadence="weekly",
        project_cost=50000.0,
        service_income=0.0,
        government_budget=0.0,
    )
    d = m.results()
    assert (d["fund_balance"] >= 0).all()
    assert (d["points_budget_left"] >= 0).all()
    assert (m.orgs.funding >= 0).all()
    assert m.government.budget >= 0
    # the refusal paths were exercised: projects unfunded, redemptions refused
    assert m.totals.get("projects_unfunded", 0) > 0
    assert m.totals.get("redemptions_refused", 0) > 0


# --- district ------------------------------------------------------------------------------


def test_district_has_three_times_the_residents():
    m = run_small(30, seed=1, n_communities=3)
    one = cached_run(30, 1)
    assert m.residents.n == 3 * one.residents.n == 3 * SMALL["residents"]
    d = m.results()
    assert (d["residents"] == 3 * SMALL["residents"]).all()
    assert (d["households"] == 3 * SMALL["households"]).all()
    assert m.struct.n_communities == 3
    assert np.bincount(m.residents.community).tolist() == [SMALL["residents"]] * 3
    assert m.grid_workers.n == 3 * one.grid_workers.n
    assert final(m, "matters_raised") > 2 * final(one, "matters_raised")


def test_revenue_disputes_need_a_homeowners_committee_and_fall_with_oversight():
    none = run_small(180, seed=8, homeowners_committee=False, revenue_dispute_rate=1.0)
    assert final(none, "revenue_disputes") == 0
    lax = run_small(180, seed=8, revenue_dispute_rate=0.5, formal_supervision=0.0)
    watched = run_small(
        180,
        seed=8,
        revenue_dispute_rate=0.5,
        formal_supervision=1.0,
        third_party_evaluation=True,
        evaluation_capture=0.0,
    )
    assert final(lax, "revenue_disputes") > final(watched, "revenue_disputes")
    assert lax.totals.get("disputes_revenue", 0) == final(lax, "revenue_disputes")


def test_profit_motive_lowers_firm_effort_and_trust_in_the_firm():
    greedy = run_small(120, seed=9, firm_profit_motive=1.0, inspections_per_month=1.0)
    civic = run_small(120, seed=9, firm_profit_motive=0.0, inspections_per_month=1.0)
    assert final(greedy, "firm_effort") < final(civic, "firm_effort") - 0.2
    assert final(greedy, "trust_property_firm") < final(civic, "trust_property_firm")
    assert final(civic, "firm_shirking") < 0.05  # converging on the governance target
