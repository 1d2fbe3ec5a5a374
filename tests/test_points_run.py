"""Points systems as run (incentives.py): points per kind of action, deductions, expiry, honour-roll visibility."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sim

SMALL = dict(residents=400, households=140, points=True, points_per_activity=0.0, redeem_rate=0.0)


def run(days=40, seed=1, preset="governance-partners", **kw):
    m = sim.CommunityModel(preset, seed=seed, check=True, **{**SMALL, **kw})
    m.run(days)
    return m


def issued(m):
    return m.totals.get("points_issued", 0.0)


def test_report_points_only_when_matters_are_raised():
    m = run(points_per_report=5.0)
    seen, ms = m.mech["incentives"]._reports_seen, m.matters
    assert seen > 0
    # every matter raised up to the last incentives step earned 5 points, no more
    assert issued(m) == 5.0 * seen
    assert (ms.raised[seen:] == m.tick - 1).all()  # the rest were raised after it on the last day
    quiet = run(points_per_report=5.0, matter_rate=0.0, breach_rate=0.0)  # (almost) nothing raised
    assert issued(quiet) == 5.0 * quiet.mech["incentives"]._reports_seen < 0.3 * issued(m)


def test_meeting_points_only_when_meetings_sit():
    m = run(points_per_meeting=7.0, meeting_cadence="weekly", resident_seats=10)
    seats = m.totals["meeting_attendance"] - 4 * m.totals["meetings"]  # the 1+3 institutional seats earn nothing
    assert seats > 0 and issued(m) == 7.0 * seats
    assert issued(run(points_per_meeting=7.0, meeting_cadence="none")) == 0


def test_activity_points_only_for_activities():
    m = run(points_per_activity=3.0)
    assert issued(m) == 3.0 * m.totals["activities"] > 0


def test_rule_kept_points_only_under_a_known_rule():
    kw = dict(points_per_rule_kept=4.0, breach_rate=0.002, rule_notice_share=1.0)
    with_rule = run(days=65, rule_origin="committee", **kw)
    assert issued(with_rule) > 0 and issued(with_rule) % 4.0 == 0
    assert issued(run(days=65, **kw)) == 0


def test_deductions_for_breaches_of_a_rule_in_force():
    kw = dict(points_per_activity=50.0, breach_rate=0.02, breach_deduction=10.0)
    m = run(rule_origin="committee", **kw)
    assert m.totals.get("points_deducted", 0) > 0
    assert run(**kw).totals.get("points_deducted", 0) == 0  # no rule, nothing to deduct for


def test_points_expire_after_n_months_not_before():
    # points earned only in the first month (activity points switched off on day 30)
    tl = [{"day": 30, "set": {"points_per_activity": 0.0}}]
    kw = dict(points_per_activity=10.0, points_expiry_months=2, timeline=tl)
    m = run(days=95, **kw)
    exp = m.results()["points_held"].to_numpy()
    earned = m.totals["points_issued"]
    assert earned > 0
    assert exp[59] > 0.9 * earned and m.totals.get("points_expired", 0) > 0.9 * earned  # expired at month 2
    assert exp[61] == 0 and exp[55:60].min() > 0.9 * earned  # not a day before
    never = run(days=95, points_per_activity=10.0, timeline=tl)
    assert never.totals.get("points_expired", 0) == 0
    assert never.residents.points.sum() + never.totals.get("points_forfeited", 0) == never.totals["points_issued"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    act=st.sampled_from([0.0, 10.0]),
    report=st.sampled_from([0.0, 5.0]),
    meeting=st.sampled_from([0.0, 8.0]),
    kept=st.sampled_from([0.0, 6.0]),
    deduct=st.sampled_from([0.0, 3.0, 200.0]),
    expiry=st.sampled_from([0, 1, 2]),
    redeem=st.sampled_from([0.0, 0.3]),
    rule=st.sampled_from(["none", "committee", "meeting"]),
    budget=st.sampled_from([0.0, 60000.0]),
    seed=st.integers(1, 5),
)
def test_points_balance_holds_for_every_combination(
    act, report, meeting, kept, deduct, expiry, redeem, rule, budget, seed
):
    m = sim.CommunityModel(
        "governance-partners",
        seed=seed,
        check=True,  # the invariant: issued = redeemed + held + forfeited + expired + deducted
        residents=150,
        households=60,
        households_per_building=10,
        households_per_grid_worker=30,
        points=True,
        points_per_activity=act,
        points_per_report=report,
        points_per_meeting=meeting,
        points_per_rule_kept=kept,
        breach_deduction=deduct,
        points_expiry_months=expiry,
        redeem_rate=redeem,
        redeem_threshold=5.0,
        points_budget=budget,
        rule_origin=rule,
        breach_rate=0.01,
        turnover=0.3,
    )
    m.run(70)


def test_honour_roll_visibility_raises_participation():
    def acts(v, place="building"):
        kw = dict(points_per_activity=10.0, ranking=True, honour_roll_visibility=v, honour_roll_place=place)
        return sum(run(days=30, seed=s, **kw).totals["activities"] for s in (1, 2, 3))

    none, online, full = acts(0.0), acts(1.0, "online"), acts(1.0)
    assert none < online < full
