"""Seed practices as mechanisms (issue 11): micro-grids, alliances, 1+3+N, capacity building."""

from __future__ import annotations

import numpy as np
from conftest import assert_greater, final, per_seed, run_small

from sim.agents.resident import ELDERLY
from sim.mechanisms.matters import ROUTE_COMMITTEE, SMALL

SEEDS3 = (11, 12, 13)
MICRO = dict(micro_grid_settling=True)


def _settled_onsite(m) -> float:
    return m.totals.get("small_settled_onsite", 0)


def _reached_committee(m) -> float:
    """Matters that reached the committee: those it settled plus small ones still in its queue."""
    ms = m.matters
    ids = ms.open_ids
    sel = (ms.column("surfaced")[ids] >= 0) & (ms.column("cls")[ids] == SMALL)
    waiting = float((sel & (ms.column("route")[ids] == ROUTE_COMMITTEE)).sum())
    return float(m.committees.settled.sum()) + waiting


def test_micro_grids_settle_small_matters_that_would_reach_the_committee():
    on = per_seed(_reached_committee, 120, seeds=SEEDS3, **MICRO)
    off = per_seed(_reached_committee, 120, seeds=SEEDS3)
    assert_greater(off, on, "small matters waiting in the committee's queue: off vs on")
    assert (per_seed(_settled_onsite, 120, seeds=SEEDS3, **MICRO) > 0).all()
    assert (per_seed(_settled_onsite, 120, seeds=SEEDS3) == 0).all()


def _share_small_onward(m) -> float:
    """Share of surfaced small matters not settled in the grid (they go on to the committee or organisations)."""
    surfaced = m.totals.get("surfaced_small", 0)
    return 1 - m.totals.get("small_settled_onsite", 0) / max(surfaced, 1)


def test_smaller_grids_settle_more_on_the_spot_and_send_fewer_to_the_committee():
    # smaller grids also surface more matters (more walks), so the committee claim is a share
    # many matters, so that the grid staff's hours bind
    small = dict(MICRO, households_per_grid_worker=100, matter_rate=3.0)
    large = dict(MICRO, households_per_grid_worker=450, matter_rate=3.0)
    assert_greater(
        per_seed(_settled_onsite, 120, seeds=SEEDS3, **small),
        per_seed(_settled_onsite, 120, seeds=SEEDS3, **large),
        "settled on the spot: small vs large grids",
    )
    assert_greater(
        per_seed(_share_small_onward, 120, seeds=SEEDS3, **large),
        per_seed(_share_small_onward, 120, seeds=SEEDS3, **small),
        "share of surfaced small matters passed on: large vs small grids",
    )


def test_more_data_demanded_means_more_paperwork_and_fewer_settled():
    light = dict(MICRO, data_demanded=3.0)
    heavy = dict(MICRO, data_demanded=20.0)

    def paperwork(m):
        return float(m.grid_workers.paperwork_hours.sum())

    assert_greater(
        per_seed(paperwork, 120, seeds=SEEDS3, **heavy),
        per_seed(paperwork, 120, seeds=SEEDS3, **light),
        "paperwork hours: heavy vs light data demands",
    )
    assert_greater(
        per_seed(_settled_onsite, 120, seeds=SEEDS3, **light),
        per_seed(_settled_onsite, 120, seeds=SEEDS3, **heavy),
        "settled on the spot: light vs heavy data",
    )


def test_zone_party_members_add_hours_and_grid_staff_mediate_disputes():
    def hours(m):
        return float(m.results()["onsite_hours"].iloc[1:].sum())

    zones = per_seed(hours, 60, seeds=SEEDS3, party_responsibility_zones=True, **MICRO)
    no_zones = per_seed(hours, 60, seeds=SEEDS3, **MICRO)
    assert (zones > no_zones).all()
    mediated = per_seed(lambda m: m.totals.get("disputes_settled_onsite", 0), 180, seeds=SEEDS3, **MICRO)
    assert (mediated > 0).all()


ALLIANCE = dict(alliance_units=14)


def test_alliance_brings_funds_activities_and_participation():
    def fund(m):
        return float(m.funds.community.sum())

    def participation(m):
        return float(m.results()["participation"].iloc[1:].mean())

    assert_greater(per_seed(fund, 120, seeds=SEEDS3, **ALLIANCE), per_seed(fund, 120, seeds=SEEDS3), "fund: on vs off")
    assert_greater(
        per_seed(participation, 120, seeds=SEEDS3, **ALLIANCE),
        per_seed(participation, 120, seeds=SEEDS3),
        "participation: alliance on vs off",
    )
    on = per_seed(lambda m: m.totals.get("alliance_activities", 0), 120, seeds=SEEDS3, **ALLIANCE)
    assert (on > 0).all()
    assert (per_seed(lambda m: m.totals.get("alliance_activities", 0), 120, seeds=SEEDS3) == 0).all()


def test_alliance_units_join_on_schedule_and_money_is_conserved():

    m = run_small(100, seed=3, alliance_units=10, alliance_join_days=200)
    assert m.mech["alliance"].joined == 5  # half the units by day 100
    # every yuan the units gave is in the fund's inflows: fund with alliance − without = the units' money,
    # as long as nothing else the alliance changes spends from the fund (points off by default)
    off = run_small(100, seed=3)
    gain = float(m.funds.community.sum() - off.funds.community.sum())
    np.testing.assert_allclose(gain, m.totals["alliance_funds"], rtol=1e-9)


def test_reporting_in_service_members_take_part():
    from sim.agents.resident import WORKING

    def members_activity(m):
        res = m.residents
        sel = res.party & (res.age == WORKING)
        return float(res.activities[sel].mean())

    on = per_seed(members_activity, 120, seeds=SEEDS3, in_service_reporting=True)
    off = per_seed(members_activity, 120, seeds=SEEDS3)
    assert_greater(on, off, "in-service Party members' activities: reporting on vs off")


FIRM = dict(meeting_cadence="monthly", firm_profit_motive=1.0, complaint_rate=0.002)


def test_firm_at_the_table_commits_it_and_effort_and_complaints_follow():
    def effort(m):
        return float(m.results()["firm_effort"].iloc[-60:].mean())

    def complaints(m):
        return float(m.totals.get("firm_complaints", 0))

    seated = dict(FIRM, firm_seat=True)
    assert (per_seed(lambda m: m.totals.get("firm_commitments", 0), 240, seeds=SEEDS3, **seated) > 0).all()
    assert (per_seed(lambda m: m.totals.get("firm_commitments", 0), 240, seeds=SEEDS3, **FIRM) == 0).all()
    assert_greater(per_seed(effort, 240, seeds=SEEDS3, **seated), per_seed(effort, 240, seeds=SEEDS3, **FIRM), "effort")
    assert_greater(
        per_seed(complaints, 240, seeds=SEEDS3, **FIRM), per_seed(complaints, 240, seeds=SEEDS3, **seated), "complaints"
    )


def test_no_meetings_no_commitment_even_with_the_seat():
    m = run_small(120, seed=4, **dict(FIRM, firm_seat=True, meeting_cadence="none"))
    assert m.totals.get("firm_commitments", 0) == 0


CAP = dict(capacity_dynamics=True, training_paid_by="government")


def test_training_raises_committee_skill_and_what_the_committee_settles():
    def skill(m):
        return final(m, "committee_skill")

    def settled(m):
        return float(m.committees.settled.sum())

    # many matters and a small committee, so that its capacity binds
    busy = dict(CAP, matter_rate=3.0, committee_capacity=2.0, skill_elasticity=0.4)
    trained = dict(busy, staff_training_share=2.0)
    assert_greater(per_seed(skill, 240, seeds=SEEDS3, **trained), per_seed(skill, 240, seeds=SEEDS3, **busy), "skill")
    assert_greater(
        per_seed(settled, 240, seeds=SEEDS3, **trained), per_seed(settled, 240, seeds=SEEDS3, **busy), "settled"
    )


def test_turnover_wears_trained_skill_away():
    def skill(m):
        return final(m, "grid_worker_skill")

    low = dict(CAP, staff_training_share=1.0, staff_turnover_rate=0.05)
    high = dict(CAP, staff_training_share=1.0, staff_turnover_rate=0.6)
    assert_greater(per_seed(skill, 120, seeds=SEEDS3, **low), per_seed(skill, 120, seeds=SEEDS3, **high), "skill")
    # without training, turnover leaves staff below the reference (newcomers start behind)
    assert (per_seed(skill, 120, seeds=SEEDS3, **CAP) < 0).all()


def test_training_is_paid_from_the_fund_and_stops_when_it_is_empty():
    m = run_small(60, seed=2, capacity_dynamics=True, staff_training_share=1.0, training_cost=1000.0)
    assert m.totals["training_cost"] > 0
    broke = run_small(
        60,
        seed=2,
        capacity_dynamics=True,
        staff_training_share=1.0,
        initial_fund=0.0,
        government_grant=0.0,
        service_income=0.0,
    )
    assert broke.totals.get("training_cost", 0) == 0
    assert final(broke, "committee_skill") <= 0  # nothing paid, nothing trained


def test_digital_training_gives_elderly_access():
    def elderly_digital(m):
        res = m.residents
        return float(res.digital[res.age == ELDERLY].mean())

    on = per_seed(elderly_digital, 120, seeds=SEEDS3, digital_training_per_1000=300.0, **CAP)
    off = per_seed(elderly_digital, 120, seeds=SEEDS3, **CAP)
    assert_greater(on, off, "elderly digital access: training on vs off")


def test_presets_encode_the_practices():
    from sim.scenario import load_scenario

    five = load_scenario("five-micro").params
    assert five["micro_grid_settling"] and five["firm_seat"]
    chiefs = load_scenario("three-chiefs").params
    assert chiefs["alliance_units"] == 14 and chiefs["in_service_reporting"]
    cap = load_scenario("capacity-building").params
    assert cap["capacity_dynamics"] and cap["staff_training_share"] > 0
    gov = load_scenario("government-led").params
    assert not (gov["micro_grid_settling"] or gov["firm_seat"] or gov["alliance_units"] or gov["capacity_dynamics"])
