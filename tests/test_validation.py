"""Reduced validation suite: every case of docs/validation.md on fewer seeds and smaller populations.

Each case must still pass: a broken pattern fails here. Also: the calibration helper
recovers a known parameter, the new mechanisms cost nothing while switched off, and
`cogov validate` exits non-zero when a case fails.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim import CommunityModel
from sim.calibrate import Target, calibrate, parse_free, read_targets
from sim.rng import Streams
from sim.validation import CASES, Settings
from sim.validation import runner as validation_runner

TINY = dict(
    households=50, residents=120, households_per_building=10, households_per_grid_worker=30, estates=2, n_communities=1
)
QUICK_SEEDS = {
    "1": 2,
    "2": 4,
    "3": 4,
    "4": 10,
    "5": 4,
    "6": 2,
    "7": 6,
    "8": 4,
    "rules": 10,
    "points": 3,
    "timeline": 3,
    "smooth": 3,
}
# cases that fail on the model as it is (docs/validation.md says why); strict: a fix makes the test say so
KNOWN_FAILING: dict[str, str] = {
    "6": "the most active tenth's share of activities in year 2 ends just above its band after base_logit was "
    "re-fitted for crowding of the rewarded (docs/validation.md)",
    "smooth": "governance-partners: cohesion and trust in the committee follow weekly meetings (docs/validation.md)",
    "timeline": "since a points scheme switched on mid-year is funded on its day, activities after withdrawal are "
    "not below the never-rewarded control (docs/validation.md)",
}
_RESULTS: dict[str, object] = {}


def _case(case: str):
    if case not in _RESULTS:
        _RESULTS[case] = CASES[case](Settings(seeds=QUICK_SEEDS[case], quick=True, out=None))
    return _RESULTS[case]


def _explain(res) -> str:
    return "\n".join(
        f"{'ok  ' if c.passed else 'FAIL'} {c.name}: expected {c.expected}; measured {c.measured}" for c in res.checks
    )


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=KNOWN_FAILING[c])) if c in KNOWN_FAILING else c
        for c in sorted(CASES)
    ],
)
def test_validation_case_passes_reduced(case):
    res = _case(case)
    assert res.checks, f"case {case} made no checks"
    assert res.passed, f"case {case} ({res.title}) fails:\n{_explain(res)}"


def test_public_goods_patterns_by_round():
    data = _case("3").data
    none_s, sanc_s = np.array(data["strangers, no sanctions"]), np.array(data["strangers, sanctions"])
    none_p, sanc_p = np.array(data["partners, no sanctions"]), np.array(data["partners, sanctions"])
    assert (np.diff(none_s) < 0.02).all(), "without sanctions contributions should fall round by round"
    assert sanc_s[-1] > none_s[-1] + 0.3 and sanc_p[-1] > none_p[-1] + 0.3
    assert none_p.mean() > none_s.mean() and sanc_p.mean() > sanc_s.mean()


def test_threshold_cascade_exact():
    data = _case("5").data
    crit = np.array(data["critical_sd"])
    assert np.isfinite(crit).all() and (crit >= 8).all() and (crit <= 20).all(), crit


# --- the calibration helper --------------------------------------------------------------


def test_calibration_recovers_a_known_parameter():
    # targets made by the model itself at a known base_logit: SMM must find it again
    truth = -8.0
    seeds = (1, 2)
    kw = dict(TINY, share_children=0.0)
    df = [CommunityModel(None, seed=s, base_logit=truth, **kw).run(60).results() for s in seeds]
    target = float(np.mean([d["participation"].iloc[-1] for d in df]))
    res = calibrate(
        None,
        [Target("participation", target)],
        {"base_logit": (-11.0, -6.0)},
        seeds=seeds,
        ticks=60,
        fixed=kw,
        xatol=0.02,
    )
    assert abs(res.params["base_logit"] - truth) < 0.3, res.summary()
    assert res.objective < 1e-3
    assert len(res.evaluations) >= 3 and res.moments[0]["observed"] == target


def test_targets_file_and_free_parameters_are_checked(tmp_path):
    ok = tmp_path / "t.csv"
    ok.write_text("outcome,value,tick,weight\nvolunteer_share,0.056,365,2\nparticipation,0.1,,\n")
    t = read_targets(ok)
    assert t[0] == Target("volunteer_share", 0.056, 365, 2.0) and t[1].tick is None and t[1].weight == 1.0
    bad = tmp_path / "bad.csv"
    bad.write_text("outcome,value\nvolunteers,0.05\n")
    with pytest.raises(ValueError, match="unknown outcome"):
        read_targets(bad)
    assert parse_free(["base_logit=-11:-8"]) == {"base_logit": (-11.0, -8.0)}
    for item in ("points=0:1", "base_logit=-8:-11", "base_logit=-30:0", "base_logit"):
        with pytest.raises(ValueError):
            parse_free([item])


def test_x_targets_file_reads():
    from sim.validation.case1_x import TARGETS, calibrated

    (t,) = read_targets(TARGETS)
    assert t.outcome == "volunteer_share" and abs(t.value - 1192 / 21235) < 1e-5 and t.tick == 365
    assert -11.5 < calibrated()["base_logit"] < -10.0  # inside the bounds recalibrate() searches


# --- new mechanisms are free when off, and act when on -------------------------------------


@pytest.mark.parametrize("mech", ["cofunding", "prices", "thresholds", "waste", "requests"])
def test_new_mechanism_switched_off_draws_nothing(mech, monkeypatch):
    model = CommunityModel(None, seed=4, **TINY)
    fresh = Streams(4)[mech].bit_generator.state

    def boom():
        raise AssertionError(f"{mech}.step ran while switched off")

    monkeypatch.setattr(model.mech[mech], "step", boom)
    model.run(40)
    assert model.mech[mech].rng.bit_generator.state == fresh


def test_new_mechanisms_off_leave_a_run_unchanged():
    # the new parameters at their defaults: same run as with them explicitly off
    a = CommunityModel(None, seed=9, **TINY).run(40).results()
    b = (
        CommunityModel(
            None, seed=9, **TINY, cofunding=False, breach_fine=0.0, request_reward=0.0, participation_rule="logit"
        )
        .run(40)
        .results()
    )
    pd.testing.assert_frame_equal(a, b)


def test_new_mechanisms_run_in_checked_mode_with_turnover():
    m = CommunityModel(
        None,
        seed=2,
        check=True,
        **TINY,
        turnover=2.0,
        cofunding=True,
        cofunding_round_days=3,
        peer_sanctions=True,
        cofunding_groups="rematched",
        cofunding_unit="household",
        breach_fine=5.0,
        breach_rate=0.05,
        request_reward=3.0,
    ).run(60)
    df = m.results()
    assert df["cofunding_contribution"].iloc[-1] > 0 and df["sanction_points"].iloc[-1] >= 0
    assert df["fines"].iloc[-1] > 0
    t = CommunityModel(
        None,
        seed=2,
        check=True,
        **TINY,
        turnover=2.0,
        participation_rule="threshold",
        threshold_dist="uniform",
        threshold_scope="building",
    ).run(40)
    assert t.results()["activities"].sum() > 0


# --- the command ------------------------------------------------------------------------------


def test_validate_exits_nonzero_when_a_case_fails(monkeypatch, capsys):
    from sim.cli import main
    from sim.validation.common import CaseResult, Check

    def failing(settings):
        return CaseResult("3", "broken", "", "", [Check("pattern", "> 0", "-1 [-2, 0]", False)])

    def passing(settings):
        return CaseResult("5", "fine", "", "", [Check("pattern", "> 0", "1 [0.5, 2]", True)])

    monkeypatch.setitem(validation_runner.CASES, "3", failing)
    monkeypatch.setitem(validation_runner.CASES, "5", passing)
    assert main(["validate", "--case", "5", "--seeds", "2"]) == 0
    assert main(["validate", "--case", "3", "--case", "5", "--seeds", "2"]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "pattern" in out
    capsys.readouterr()
    assert main(["validate", "--seeds", "1"]) == 2
    assert main(["validate", "--jobs", "0"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2 and all(x.startswith("cogov: error: --") and "; allowed: " in x for x in lines), lines


# --- points as run, the timeline, smooth attitudes (cases "points", "timeline", "smooth") ----------

SMALL = dict(residents=400, households=140)


def _points_run(seed: int, **kw):
    from sim.validation.case_points import _balance

    m = CommunityModel(
        "governance-partners", seed=seed, check=True, breach_rate=0.02, rule_origin="committee", **SMALL, **kw
    ).run(90)
    return m, float(m.results()["activities"].sum()), _balance(m)


def test_points_honour_roll_expiry_and_deductions_act():
    for seed in (3, 4):
        base, act, bal = _points_run(seed)
        _, act0, bal0 = _points_run(seed, honour_roll_visibility=0.0)
        exp, _, bal1 = _points_run(seed, points_expiry_months=1)
        ded, _, bal2 = _points_run(seed, breach_deduction=20.0)
        assert act > act0 * 1.05, "an invisible honour roll should lower activities"
        assert exp.totals["points_expired"] > 0 and exp.residents.points.sum() < base.residents.points.sum()
        assert ded.totals["points_deducted"] > 0 and base.totals.get("points_deducted", 0.0) == 0
        assert max(bal, bal0, bal1, bal2) < 1e-12


def _activities(seed: int, **kw) -> np.ndarray:
    return CommunityModel("governance-partners", seed=seed, **SMALL, **kw).run(140).results()["activities"].to_numpy()


def test_timeline_scheme_on_then_off_changes_nothing_before_and_leaves_a_deficit_after():
    scheme = [{"day": 20, "set": {"points": True}}, {"day": 70, "set": {"points": False}}]
    for seed in (3, 4):
        never = _activities(seed, points=False)
        onoff = _activities(seed, points=False, timeline=scheme)
        np.testing.assert_array_equal(never[:20], onoff[:20])
        assert onoff[21:35].sum() > never[21:35].sum(), "points should raise activities at first"
        assert onoff[85:].sum() < 0.9 * never[85:].sum(), "crowding-out should outlive the scheme"


def test_timeline_ramp_moves_the_outcome_gradually():
    early = slice(21, 36)
    gain = {"ramp": 0.0, "step": 0.0}
    for seed in (3, 4, 5):
        never = _activities(seed, honour_roll_visibility=0.0)
        step = _activities(
            seed, honour_roll_visibility=0.0, timeline=[{"day": 20, "set": {"honour_roll_visibility": 1.0}}]
        )
        ramp = _activities(
            seed,
            honour_roll_visibility=0.0,
            timeline=[{"from_day": 20, "to_day": 120, "ramp": {"honour_roll_visibility": 1.0}}],
        )
        gain["step"] += step[early].sum() - never[early].sum()
        gain["ramp"] += ramp[early].sum() - never[early].sum()
    assert gain["step"] > 0 and gain["ramp"] < 0.5 * gain["step"], gain


def test_weekly_detector_on_synthetic_series():
    from sim.validation.case_smooth import weekly_ratio

    rng = np.random.default_rng(0)
    smooth = [weekly_ratio(np.cumsum(rng.normal(0.01, 0.01, 400))) for _ in range(20)]
    assert np.mean(smooth) < 1.5
    # the former weekly update: nothing for six days, a week's change on the seventh
    steps = np.cumsum(np.where(np.arange(400) % 7 == 0, 0.07, 0.0) + rng.normal(0, 0.01, 400))
    assert weekly_ratio(steps) > 10
    assert np.isnan(weekly_ratio(np.full(400, 0.5)))


def test_weekly_meetings_put_a_weekly_rhythm_into_cohesion():
    """Case "smooth"'s diagnostic: the rhythm left in governance-partners is its meetings' (周周议).

    Cohesion (a building's adults active within 30 days) gains each meeting's attendees on the
    meeting day; with meetings abolished its weekly power ratio falls to about 1. Would fail if
    the residual rhythm came from anything else in the preset (an update made once a week).
    """
    from sim.validation.case_smooth import BURN_IN, THRESHOLD, weekly_ratio

    def cohesion_ratio(cadence: str) -> float:
        vals = []
        for seed in (3, 4, 5, 6):
            df = CommunityModel(
                "governance-partners", seed=seed, meeting_cadence=cadence, residents=1000, households=340
            ).run(BURN_IN + 126)
            vals.append(weekly_ratio(df.results()["cohesion"].to_numpy()[BURN_IN:]))
        return float(np.mean(vals))

    weekly, none = cohesion_ratio("weekly"), cohesion_ratio("none")
    assert none < THRESHOLD < weekly and weekly > 2 * none, (weekly, none)


def test_weekly_detector_flags_the_former_weekly_attitude_update(monkeypatch):
    from sim.calendar import is_week_start
    from sim.mechanisms.attitudes import Attitudes
    from sim.validation.case_smooth import BURN_IN, THRESHOLD, weekly_ratio

    def ratios() -> dict[str, float]:
        out = {}
        for k in ("belonging", "satisfaction"):
            vals = []
            for seed in (3, 4):
                df = CommunityModel("government-led", seed=seed, turnover=0.0, **SMALL).run(BURN_IN + 126).results()
                vals.append(weekly_ratio(df[k].to_numpy()[BURN_IN:]))
            out[k] = float(np.mean(vals))
        return out

    daily = ratios()
    original = Attitudes.step

    def weekly_step(self):  # the former rule: one step of 1 − (1 − rate)^7 on the week's first day
        if self._targets is not None and not is_week_start(self.model.tick):
            return
        p, rate = self.model.p, self.model.p["attitude_rate"]
        p["attitude_rate"] = 1 - (1 - rate) ** 7
        try:
            original(self)
        finally:
            p["attitude_rate"] = rate

    monkeypatch.setattr(Attitudes, "step", weekly_step)
    weekly = ratios()
    assert all(v < THRESHOLD for v in daily.values()), daily
    assert all(v > THRESHOLD and v > 3 * daily[k] for k, v in weekly.items()), (daily, weekly)
