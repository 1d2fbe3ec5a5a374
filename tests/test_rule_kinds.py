"""Breach kinds (norms.KINDS) and community rules per kind (rules.py): each rule acts on its own kind only."""

from pathlib import Path

import numpy as np
import pytest

import sim
from sim.agents.resident import NEVER
from sim.cli import main
from sim.mechanisms.norms import KINDS, breach_multiplier, kind_shares
from sim.mechanisms.rules import ALL_KINDS
from sim.scenario import ScenarioError, load_scenario

SEEDS = (1, 2, 3, 4)
BASE = dict(residents=1200, households=400, breach_rate=0.02, meeting_cadence="weekly", resident_seats=40)
G, P = KINDS.index("garbage"), KINDS.index("parking")
BIT = {k: 1 << i for i, k in enumerate(KINDS)}


def run(seed, days=90, **kw):
    m = sim.CommunityModel("governance-partners", seed=seed, check=True, **{**BASE, **kw})
    m.run(days)
    return m


def by_kind(m) -> dict[str, np.ndarray]:
    """Daily breaches of each kind (from the cumulative per-kind outcomes)."""
    df = m.results()
    return {k: np.diff(df[f"breaches_{k}"].to_numpy(), prepend=0.0) for k in KINDS}


# --- without rules: the kinds only split the same breaches --------------------------------


def test_kinds_split_the_breaches_without_changing_them():
    for seed in SEEDS[:3]:
        plain = run(seed, days=60)
        reweighted = run(seed, days=60, breach_weight_garbage=1.0, breach_weight_pets=0.01)
        df, dw = plain.results(), reweighted.results()
        # per-kind totals sum to the total, day by day
        assert (sum(df[f"breaches_{k}"] for k in KINDS) == df["breaches_total"]).all()
        # the kinds come from their own random stream: other weights, the very same breaches
        assert (df["norm_breaches"] == dw["norm_breaches"]).all()
        assert dw["breaches_garbage"].iloc[-1] > df["breaches_garbage"].iloc[-1]


def test_kind_shares_follow_the_weights_and_the_walk_to_the_garbage_point():
    for distance in (50.0, 400.0):
        counts = np.zeros(len(KINDS))
        for seed in SEEDS:
            m = run(seed, days=60, garbage_distance=distance)
            counts += [m.results()[f"breaches_{k}"].iloc[-1] for k in KINDS]
        share = kind_shares(m.p)
        n = counts.sum()
        se = np.sqrt(share * (1 - share) / n)
        assert (np.abs(counts / n - share) < 4 * se).all(), (counts / n, share)
    assert kind_shares({**m.p, "garbage_distance": 400.0})[G] > kind_shares({**m.p, "garbage_distance": 50.0})[G]


def test_only_garbage_breaches_answer_to_the_walk_to_the_garbage_point():
    p = run(1, days=1).p
    near, far = {**p, "garbage_distance": 50.0}, {**p, "garbage_distance": 400.0}
    assert breach_multiplier(near) == 1.0  # the reference walk: the total rate is the calibrated one
    # the expected rate of each kind is breach_rate x multiplier x share
    rate_near = breach_multiplier(near) * kind_shares(near)
    rate_far = breach_multiplier(far) * kind_shares(far)
    others = [i for i in range(len(KINDS)) if i != G]
    assert np.allclose(rate_far[others], rate_near[others])
    assert rate_far[G] > 3 * rate_near[G]
    # and in runs: the far walk multiplies garbage breaches, not the other kinds (the single-kind
    # rate made every kind about 2.1 times as frequent at 400 m)
    counts = {d: np.zeros(len(KINDS)) for d in (50.0, 400.0)}
    for seed in SEEDS[:3]:
        for d in counts:
            m = run(seed, days=60, garbage_distance=d)
            counts[d] += [m.results()[f"breaches_{k}"].iloc[-1] for k in KINDS]
    ratio = counts[400.0] / counts[50.0]
    assert ratio[G] > 3, ratio
    assert (np.abs(ratio[others] - 1) < 0.25).all(), ratio


# --- a rule on one kind acts on that kind only -------------------------------------------


def test_a_parking_rule_lowers_parking_breaches_and_not_garbage_ones():
    kw = dict(rule_origin_parking="committee", rule_enforced_parking=True, rule_notice_share=1.0)
    parking, garbage = [], []
    for seed in SEEDS:
        none, ruled = by_kind(run(seed)), by_kind(run(seed, **kw))
        parking.append(ruled["parking"].sum() / none["parking"].sum())
        garbage.append(ruled["garbage"].sum() / none["garbage"].sum())
    assert np.mean(parking) < 0.6  # an enforced, known rule: 1 - (1 - 0.05)(1 - 0.6) = 0.62 fewer
    d = np.array(garbage) - 1
    assert abs(d.mean()) <= max(2 * d.std(ddof=1) / np.sqrt(len(d)), 0.05), garbage


def test_knowing_one_kinds_rule_does_not_touch_another_kind():
    m = run(1, days=5, rule_origin="committee", rule_enforced=True, rule_notice_share=0.0, rule_spread_rate=0.0)
    res, rules = m.residents, m.mech["rules"]
    assert (rules.made_day >= 0).all()  # every kind has a rule in force
    who = np.arange(200)
    res.knows_rule[who] = BIT["parking"]
    assert (rules.breach_factor(who, np.full(200, P)) < 0.5).all()
    for k in range(len(KINDS)):
        if k != P:
            assert (rules.breach_factor(who, np.full(200, k)) == 1).all()
    res.knows_rule[who] = ALL_KINDS & ~BIT["parking"]
    assert (rules.breach_factor(who, np.full(200, P)) == 1).all()


def test_the_parking_meeting_teaches_the_parking_rule_not_the_garbage_one():
    kw = dict(rule_origin_parking="meeting", rule_origin_garbage="meeting", rule_day_garbage=10)
    m = run(1, days=40, rule_notice_share=0.0, rule_spread_rate=0.0, **kw)
    res, made = m.residents, m.mech["rules"].made_day[0]
    assert 0 <= made[P] < made[G]  # parking's rule was pending first
    only_parking = res.last_meeting == made[P]  # their last meeting made the parking rule
    assert only_parking.any()
    assert (res.knows_rule[only_parking] == BIT["parking"]).all()
    assert (res.rule_maker[only_parking] == BIT["parking"]).all()
    nobody = res.last_meeting < made[P]  # never at a meeting since the rules existed: know neither
    assert (res.knows_rule[nobody] == 0).all()


def test_meetings_take_up_one_rule_at_a_time_oldest_first():
    kw = {f"rule_origin_{k}": "meeting" for k in KINDS}
    kw["rule_day_noise"] = 0  # noise first (day 0), the others from day 20 in KINDS order
    kw.update({f"rule_day_{k}": 20 for k in KINDS if k != "noise"})
    m = run(2, days=120, decision_rule="consensus", **kw)
    made = m.mech["rules"].made_day[0]
    assert (made >= 0).all()
    order = [KINDS.index("noise")] + [i for i, k in enumerate(KINDS) if k != "noise"]
    assert (np.diff(made[order]) > 0).all(), made  # one per meeting, never two the same day
    assert made[KINDS.index("noise")] < 20 <= made[order[1]]


def test_the_all_kinds_shorthand_is_one_convention_made_at_one_meeting():
    m = run(1, days=30, rule_origin="meeting", rule_origin_pets="none")
    made = m.mech["rules"].made_day[0]
    others = [i for i, k in enumerate(KINDS) if k != "pets"]
    assert made[KINDS.index("pets")] < 0 and (made[others] == made[others[0]]).all() and made[others[0]] >= 0


def test_enforcement_switched_on_for_parking_by_the_timeline_lowers_parking_only_from_that_day():
    day = 45
    kw = dict(rule_origin="committee", rule_notice_share=1.0)
    tl = [{"day": day, "set": {"rule_enforced_parking": True}}]
    after = {k: np.zeros(2) for k in KINDS}  # breaches from the switch on: (switched on, never on), all seeds
    for seed in SEEDS:
        off, on = by_kind(run(seed, **kw)), by_kind(run(seed, timeline=tl, **kw))
        for k in KINDS:
            assert (off[k][: day - 1] == on[k][: day - 1]).all()  # the same run until the switch
            after[k] += on[k][day:].sum(), off[k][day:].sum()
    assert after["parking"][0] < 0.6 * after["parking"][1]  # known and enforced: 62 % fewer
    for k in KINDS:
        if k != "parking":  # within three standard errors of counting noise (Poisson counts)
            on, off = after[k]
            assert abs(on - off) < 3 * np.sqrt(on + off), (k, after[k])


# --- points follow the rule of the breach's kind ----------------------------------------


def test_deductions_and_rule_kept_points_follow_the_breachs_kind():
    m = run(1, days=3, rule_origin_parking="committee", rule_notice_share=1.0)
    res, rules, t = m.residents, m.mech["rules"], m.tick
    who = np.array([10, 11])
    assert (res.knows_rule[who] == BIT["parking"]).all()
    res.last_breach_garbage[who] = [t, NEVER]
    res.last_breach_parking[who] = [NEVER, t]
    assert rules.covers(who, t).tolist() == [False, True]
    kept = rules.kept(t - 30)
    assert kept[10] and not kept[11]  # a garbage breach does not break the parking rule


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kw, expect",
    [
        (dict(rule_origin_cars="meeting"), "unknown breach kind 'cars'"),
        (dict(rule_enforced_litter=True), "unknown breach kind 'litter'"),
        (dict(breach_weight_smoking=0.1), "unknown breach kind 'smoking'"),
        (dict(rule_origin_parking="vote"), "rule_origin_parking"),
        (dict(rule_day_noise=-2), "rule_day_noise"),
        (dict(breach_weight_pets=0.0), "breach_weight_pets"),
        (dict(rule_origin_pets="meeting", meeting_cadence="none"), "rule_origin_pets"),
        (dict(rule_origin="meeting", rule_origin_pets="none", meeting_cadence="none"), "rule_origin:"),
        (dict(timeline=[{"day": 5, "set": {"rule_enforced_cars": True}}]), "unknown breach kind 'cars'"),
    ],
)
def test_bad_kind_settings_are_refused_in_one_line(kw, expect):
    with pytest.raises(ScenarioError) as e:
        load_scenario("government-led", **kw)
    msg = str(e.value)
    assert expect in msg and "allowed" in msg and "\n" not in msg, msg


def test_an_unknown_kind_in_a_file_is_one_error_line_from_the_cli(tmp_path: Path, capsys):
    f = tmp_path / "s.toml"
    f.write_text('[scenario]\nextends = "government-led"\n\n[rules]\nrule_origin_cars = "committee"\n')
    code = main(["run", str(f), "--ticks", "1", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 2 and len(lines) == 1, err
    assert lines[0].startswith("cogov: error: ") and "unknown breach kind 'cars'" in lines[0]
    assert "allowed kinds: " + ", ".join(KINDS) in lines[0]


def test_per_kind_levers_are_scheduled_by_the_timeline():
    tl = [{"day": 3, "set": {"rule_origin_noise": "above", "rule_day_noise": 3}}]
    m = run(1, days=6, timeline=tl)
    made = m.mech["rules"].made_day[0]
    assert made[KINDS.index("noise")] == 3 and (np.delete(made, KINDS.index("noise")) < 0).all()


def test_points_are_deducted_only_for_breaches_of_the_ruled_kind():
    kw = dict(points=True, points_per_activity=50.0, redeem_rate=0.0, breach_deduction=10.0, rule_notice_share=1.0)
    parking = run(1, days=60, rule_origin_parking="committee", **kw)
    every = run(1, days=60, rule_origin="committee", **kw)
    cap = 10.0 * parking.results()["breaches_parking"].iloc[-1]
    assert 0 < parking.totals["points_deducted"] <= cap < every.totals["points_deducted"]


def test_a_longer_walk_scheduled_by_the_timeline_raises_the_garbage_share_from_that_day():
    tl = [{"day": 20, "set": {"garbage_distance": 400.0}}]
    m = sim.CommunityModel("governance-partners", seed=1, check=True, **{**BASE, "timeline": tl})
    m.run(19)
    before = m.mech["norms"]._cum_shares.copy()
    m.run(2)
    after = m.mech["norms"]._cum_shares
    assert np.allclose(after, np.cumsum(kind_shares(m.p))[:-1]) and after[G] > before[G]
