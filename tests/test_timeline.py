"""The policy timeline: dated set and ramp entries, their validation, shorthand and presets."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pytest
from conftest import TINY
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_fuzz import IN_GROUPS, toml_key, toml_value, valid_value

from sim import CommunityModel, ScenarioError, load_scenario
from sim.cli import main
from sim.params import BY_NAME, PARAMS, STRUCTURAL
from sim.scenario import preset_names
from sim.timeline import Timeline, schedule

# small enough that a run of a few months takes well under a second
POP = dict(households=300, residents=800, households_per_building=20, households_per_grid_worker=100)
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", 60)), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def model(timeline=None, scenario=None, seed=5, **kw):
    extra = {"timeline": timeline} if timeline is not None else {}
    return CommunityModel(scenario, seed=seed, check=True, **POP, **extra, **kw)


def step_to(m, day):
    while m.tick < day:
        m.step()
    return m


def write(tmp_path, text, name="s.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- a set on day d ----------------------------------------------------------------------


def test_set_changes_the_parameter_exactly_from_its_day():
    m = model([{"day": 30, "set": {"garbage_distance": 400.0}}])
    step_to(m, 29)
    assert m.p["garbage_distance"] == 50.0
    m.step()
    assert m.tick == 30 and m.p["garbage_distance"] == 400.0
    step_to(m, 90)
    d = m.results()
    base = model().run(90).results()
    # identical to the run without the change through day 29 (common random numbers) ...
    assert d["norm_breaches"].iloc[:30].equals(base["norm_breaches"].iloc[:30])
    # ... and breaches rise once residents walk 400 m (the outcome would not move otherwise)
    assert d["norm_breaches"].iloc[30:].sum() > 2 * base["norm_breaches"].iloc[30:].sum()
    assert m.totals["shocks"] == 1
    assert m.config.params["garbage_distance"] == 50.0  # the scenario itself is not changed


def test_day_zero_change_is_in_force_from_the_initial_state():
    m = model([{"day": 0, "set": {"garbage_distance": 400.0}}])
    assert m.p["garbage_distance"] == 400.0 and m.tick == 0


def test_pause_and_withdraw_points():
    # points on from day 20, paused on day 50, back on day 80, withdrawn on day 110
    tl = [
        {"day": 20, "set": {"points": True}},
        {"day": 50, "set": {"points": False}},
        {"day": 80, "set": {"points": True}},
        {"day": 110, "set": {"points": False}},
    ]
    m = model(tl, seed=3)
    seen = {}
    for _ in range(140):
        m.step()
        seen[m.tick] = m.p["points"]
    on = {d for d, v in seen.items() if v}
    assert on == set(range(20, 50)) | set(range(80, 110))
    issued = m.results()["points_issued"].diff().fillna(0)
    # points are issued only while the scheme runs: on both spells, and never outside them
    assert issued.iloc[20:50].sum() > 0 and issued.iloc[80:110].sum() > 0
    assert issued.iloc[:20].sum() == 0 and issued.iloc[50:80].sum() == 0 and issued.iloc[110:].sum() == 0
    assert m.totals["shocks"] == 4


def test_points_switched_on_mid_year_get_their_budget_on_that_day_and_return_it_when_withdrawn():
    # the README's example: points = true, points_budget = 20000 from day 90 on (not from the next anniversary)
    tl = [{"day": 90, "set": {"points": True, "points_budget": 20000.0}}, {"day": 150, "set": {"points": False}}]
    df = step_to(model(tl, seed=3), 160).results().set_index("tick")
    left, fund = df["points_budget_left"], df["fund_balance"]
    assert left[89] == 0 and 0 < left[90] <= 20000 and left[90] > 19000
    assert fund[90] < fund[89] - 19000  # the budget came out of the fund, not from nowhere
    assert left[150] == 0 and fund[150] > fund[149] + left[149] - 1  # withdrawn: the unspent money goes back


def test_a_mid_year_change_of_the_points_budget_resizes_this_years_budget():
    base = step_to(model(scenario="governance-partners", seed=3), 120).results().set_index("tick")
    tl = [{"day": 100, "set": {"points_budget": 90000.0}}]
    df = step_to(model(tl, scenario="governance-partners", seed=3), 120).results().set_index("tick")
    assert df["points_budget_left"][99] == base["points_budget_left"][99]
    # the year's budget rises by the difference on its day (60,000 → 90,000), less that day's redemptions
    rise = df["points_budget_left"][100] - base["points_budget_left"][100]
    assert 29000 < rise <= 30000 + 1e-6


def test_same_day_entries_apply_in_order_later_wins():
    m = model([{"day": 5, "set": {"garbage_distance": 100.0}}, {"day": 5, "set": {"garbage_distance": 300.0}}])
    step_to(m, 5)
    assert m.p["garbage_distance"] == 300.0


# --- ramps --------------------------------------------------------------------------------


def test_ramp_is_linear_from_the_value_on_from_day_to_the_target():
    tl = [{"from_day": 10, "to_day": 30, "ramp": {"garbage_distance": 250.0}}]
    m = model(tl)
    values = {}
    for _ in range(40):
        m.step()
        values[m.tick] = m.p["garbage_distance"]
    assert values[9] == values[10] == 50.0  # from: the value it had on day 10
    assert values[20] == pytest.approx(150.0)  # the middle
    assert values[15] == pytest.approx(100.0)
    assert values[30] == 250.0 and values[40] == 250.0  # to, and kept after


def test_ramp_starts_from_a_value_set_on_its_from_day_and_rounds_ints():
    tl = [
        {"day": 10, "set": {"grid_visits_per_day": 2}},
        {"from_day": 10, "to_day": 14, "ramp": {"grid_visits_per_day": 5}},
    ]
    m = model(tl)
    values = {}
    for _ in range(16):
        m.step()
        values[m.tick] = m.p["grid_visits_per_day"]
    # 2 → 5 over 4 days: 2.75, 3.5, 4.25, 5 → rounded to the nearest integer
    assert [values[d] for d in range(10, 17)] == [2, 3, 4, 4, 5, 5, 5]
    assert all(type(values[d]) is int for d in values)


def test_back_to_back_ramps_continue_from_where_the_first_ended():
    tl = [
        {"from_day": 0, "to_day": 10, "ramp": {"garbage_distance": 150.0}},
        {"from_day": 10, "to_day": 20, "ramp": {"garbage_distance": 50.0}},
    ]
    m = model(tl)
    step_to(m, 5)
    assert m.p["garbage_distance"] == pytest.approx(100.0)
    step_to(m, 10)
    assert m.p["garbage_distance"] == 150.0
    step_to(m, 15)
    assert m.p["garbage_distance"] == pytest.approx(100.0)
    step_to(m, 20)
    assert m.p["garbage_distance"] == 50.0


def test_timeline_costs_nothing_when_empty():
    m = model()
    assert not m.timeline and m.timeline.by_day == {}
    long = Timeline({"timeline": [{"from_day": 0, "to_day": 1000, "ramp": {"garbage_distance": 60.0}}]})
    assert len(long.by_day) == 1000  # days 1..1000 precomputed, look-up per tick


# --- the file format, extends, overrides ---------------------------------------------------


def test_scenario_file_with_the_issue_example_runs(tmp_path):
    path = write(
        tmp_path,
        "[[timeline]]\nday = 9\nset = { points = true, points_budget = 20000 }\n\n"
        "[[timeline]]\nfrom_day = 12\nto_day = 30\nramp = { garbage_distance = 300 }\n",
    )
    scen = load_scenario(path)
    assert scen.params["timeline"][1] == {"from_day": 12, "to_day": 30, "ramp": {"garbage_distance": 300}}
    m = CommunityModel(scen, seed=1, check=True, **POP).run(31)
    assert m.p["points"] is True and m.p["points_budget"] == 20000 and m.p["garbage_distance"] == 300


def test_extends_appends_the_child_timeline_and_override_replaces(tmp_path):
    write(tmp_path, '[scenario]\nextends = "licheng-garbage"\n\n[[timeline]]\nday = 200\nset = { points = true }\n')
    scen = load_scenario(tmp_path / "s.toml")
    assert scen.params["timeline"] == [
        {"day": 90, "set": {"garbage_distance": 400.0, "waste_sorting": True, "mixed_transport": 0.5}},
        {"day": 200, "set": {"points": True}},
    ]
    replaced = scen.with_overrides(timeline=[{"day": 3, "set": {"points": True}}])
    assert replaced.params["timeline"] == [{"day": 3, "set": {"points": True}}]
    assert load_scenario("licheng-garbage", timeline=[]).params["timeline"] == []


def test_a_childs_ramp_overlapping_its_parents_is_refused(tmp_path):
    write(tmp_path, "[[timeline]]\nfrom_day = 10\nto_day = 50\nramp = { garbage_distance = 300 }\n", "parent.toml")
    write(
        tmp_path,
        '[scenario]\nextends = "parent.toml"\n'
        "[[timeline]]\nfrom_day = 40\nto_day = 60\nramp = { garbage_distance = 9 }\n",
    )
    with pytest.raises(ScenarioError, match=r"timeline\[2\]\.ramp\.garbage_distance: days 40–60 overlap"):
        load_scenario(tmp_path / "s.toml")


def test_shorthand_is_one_set_entry():
    scen = load_scenario(None, shock_tick=40, shock_set={"garbage_distance": 400.0})
    (change,) = schedule(scen.params)
    assert change.record() == {"day": 40, "set": {"garbage_distance": 400.0}}
    a = CommunityModel(scen, seed=2, **POP).run(60).results()
    b = model([{"day": 40, "set": {"garbage_distance": 400.0}}], seed=2).run(60).results()
    assert a.drop(columns=["scenario"]).equals(b.drop(columns=["scenario"]))


# --- migrated presets ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("preset", "day", "values"),
    [("licheng-garbage", 90, {"garbage_distance": 400.0, "waste_sorting": True, "mixed_transport": 0.5})],
)
def test_migrated_preset_gives_the_outcomes_of_the_old_shock(preset, day, values):
    # the old shock module applied shock_set at the start of tick shock_tick, before any other module:
    # the same as applying it by hand between ticks day - 1 and day, on the parent scenario
    scen = load_scenario(preset)
    parent = scen.chain[-2]
    new = CommunityModel(preset, seed=4, **POP).run(day + 40).results()
    old = CommunityModel(parent, seed=4, **POP).run(day - 1)
    old.apply_shock(dict(values))
    old = old.run(41).results()
    assert not new.drop(columns=["scenario"]).empty
    assert new.drop(columns=["scenario"]).equals(old.drop(columns=["scenario"]))
    # and the shorthand on the parent gives the same
    short = CommunityModel(parent, seed=4, shock_tick=day, shock_set=values, **POP).run(day + 40).results()
    assert new.drop(columns=["scenario"]).equals(short.drop(columns=["scenario"]))


def test_no_preset_uses_the_shorthand_any_more():
    from sim.scenario import preset_names

    for name in preset_names():
        assert load_scenario(name).params["shock_tick"] == -1, name


# --- reproducibility: manifest and cogov show -------------------------------------------------


def test_manifest_records_the_timeline_and_reproduces_the_run():
    tl = [{"day": 5, "set": {"points": True}}, {"from_day": 5, "to_day": 15, "ramp": {"garbage_distance": 200.0}}]
    m = model(tl, seed=8, shock_tick=3, shock_set={"admin_load": 0.9}).run(20)
    man = m.results().attrs["manifest"]
    assert man["timeline"] == [{"day": 3, "set": {"admin_load": 0.9}}, *tl]
    assert man["parameters"]["timeline"] == tl
    again = CommunityModel(None, seed=man["seed"], check=True, **man["parameters"]).run(20)
    assert again.results().drop(columns=["scenario"]).equals(m.results().drop(columns=["scenario"]))


def test_cogov_show_prints_the_timeline_and_its_output_loads_again(tmp_path, capsys):
    assert main(["show", "licheng-garbage"]) == 0
    out = capsys.readouterr().out
    assert "day 90: set garbage_distance = 400.0" in out
    entry = "set = { garbage_distance = 400.0, waste_sorting = true, mixed_transport = 0.5 }"
    assert "[[timeline]]\nday = 90\n" + entry in out
    path = write(tmp_path, out)
    assert load_scenario(path).params["timeline"] == load_scenario("licheng-garbage").params["timeline"]


# --- errors -------------------------------------------------------------------------------

ENTRY = "[[timeline]]\n"
ERRORS = {
    "unknown parameter": (
        ENTRY + "day = 3\nset = { pointz = true }\n",
        r"timeline\[1\]\.set\.pointz: unknown parameter",
    ),
    "out of range": (
        ENTRY + "from_day = 1\nto_day = 9\nramp = { garbage_distance = 300000 }\n",
        r"timeline\[1\]\.ramp\.garbage_distance: value 300000 is out of range; allowed: a number in \[5, 2000\]",
    ),
    "wrong type": (ENTRY + "day = 3\nset = { points = 1 }\n", r"timeline\[1\]\.set\.points: .*wrong type"),
    "wrong choice": (
        ENTRY + 'day = 3\nset = { meeting_cadence = "daily" }\n',
        r"timeline\[1\]\.set\.meeting_cadence: .*not allowed; allowed: one of",
    ),
    "structural": (
        ENTRY + "day = 3\nset = { residents = 500 }\n",
        r"timeline\[1\]\.set\.residents: 'residents' cannot change during a run",
    ),
    "the timeline inside itself": (
        ENTRY + "day = 3\nset = { shock_tick = 5 }\n",
        r"timeline\[1\]\.set\.shock_tick: 'shock_tick' schedules changes itself",
    ),
    "ramp of a bool": (
        ENTRY + "from_day = 1\nto_day = 9\nramp = { points = true }\n",
        r"timeline\[1\]\.ramp\.points: 'points' is a bool parameter and cannot ramp",
    ),
    "ramp of a choice": (
        ENTRY + 'from_day = 1\nto_day = 9\nramp = { meeting_cadence = "weekly" }\n',
        r"timeline\[1\]\.ramp\.meeting_cadence: .*cannot ramp",
    ),
    "ramp of a share": (
        ENTRY + "from_day = 1\nto_day = 9\nramp = { share_small = 0.5 }\n",
        r"timeline\[1\]\.ramp\.share_small: .*sum to one",
    ),
    "to_day not after from_day": (
        ENTRY + "from_day = 9\nto_day = 9\nramp = { garbage_distance = 30 }\n",
        r"timeline\[1\]\.to_day: 9 is not after from_day 9",
    ),
    "negative day": (ENTRY + "day = -1\nset = { points = true }\n", r"timeline\[1\]\.day: value -1 is not a day"),
    "fractional day": (ENTRY + "day = 1.5\nset = { points = true }\n", r"timeline\[1\]\.day: value 1.5 is not a day"),
    "overlapping ramps": (
        ENTRY + "from_day = 1\nto_day = 20\nramp = { garbage_distance = 30 }\n"
        "[[timeline]]\nfrom_day = 10\nto_day = 30\nramp = { garbage_distance = 60 }\n",
        r"timeline\[2\]\.ramp\.garbage_distance: days 10–30 overlap the ramp in timeline\[1\]",
    ),
    "set inside a ramp": (
        ENTRY + "from_day = 1\nto_day = 20\nramp = { garbage_distance = 30 }\n"
        "[[timeline]]\nday = 20\nset = { garbage_distance = 60 }\n",
        r"timeline\[2\]\.set\.garbage_distance: day 20 falls inside the ramp",
    ),
    "shorthand inside a ramp": (
        "[shock]\nshock_tick = 5\nshock_set = { garbage_distance = 60 }\n"
        + ENTRY
        + "from_day = 1\nto_day = 20\nramp = { garbage_distance = 30 }\n",
        r"\[shock\] shock_set\.garbage_distance: day 5 falls inside the ramp",
    ),
    "shares stop summing to one": (
        ENTRY + "day = 4\nset = { share_small = 0.5 }\n",
        r"timeline\[1\]\.set\.share_small: share_small \+ share_major \+ share_hard = 0\.9 from day 4",
    ),
    "a meeting rule without meetings": (
        ENTRY + 'day = 30\nset = { rule_origin_parking = "meeting" }\n',
        r"timeline\[1\]\.set\.rule_origin_parking: from day 30 a rule is to be made by a meeting but meeting_cadence",
    ),
    "set and ramp together": (
        ENTRY + "day = 4\nset = { points = true }\nramp = { garbage_distance = 30 }\n",
        r"timeline\[1\]: needs exactly one of 'set' or 'ramp'",
    ),
    "unknown key": (ENTRY + "day = 4\nsett = { points = true }\n", r"timeline\[1\]: unknown key 'sett'"),
    "day missing": (ENTRY + "set = { points = true }\n", r"timeline\[1\]: 'day' is missing"),
    "empty set": (ENTRY + "day = 4\nset = {}\n", r"timeline\[1\]\.set: .*not a table of parameter values"),
    "single table": ("[timeline]\nday = 4\n", r"\[timeline\] is a single table; allowed: \[\[timeline\]\]"),
}


def test_rules_across_entries_are_judged_on_the_days_state(tmp_path):
    # two entries of one day apply together: shares set across them, meetings set after the rule
    ok = (
        ENTRY
        + "day = 10\nset = { share_small = 0.5 }\n"
        + ENTRY
        + "day = 10\nset = { share_major = 0.3, share_hard = 0.2 }\n"
        + ENTRY
        + 'day = 30\nset = { rule_origin = "meeting" }\n'
        + ENTRY
        + 'day = 60\nset = { meeting_cadence = "monthly" }\n'
        + ENTRY
        + 'day = 200\nset = { meeting_cadence = "none" }\n'  # abolished later: rules made stay
    )
    scen = load_scenario(write(tmp_path, ok))
    assert len(schedule(scen.params)) == 5


@pytest.mark.parametrize("case", list(ERRORS))
def test_bad_timeline_is_refused_with_file_key_and_what_is_allowed(case, tmp_path):
    text, pattern = ERRORS[case]
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError, match=pattern) as exc:
        load_scenario(path)
    message = str(exc.value)
    assert message.startswith(str(path)) and "allowed: " in message and "\n" not in message


def test_bad_timeline_exits_2_with_one_error_line(tmp_path, capsys):
    path = write(tmp_path, ERRORS["ramp of a bool"][0])
    assert main(["run", str(path), "--ticks", "2", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cogov: error: ") and "timeline[1].ramp.points" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_bad_timeline_override_is_refused():
    with pytest.raises(ScenarioError, match=r"overrides of scenario 'defaults': timeline\[1\]\.set\.residents"):
        load_scenario(None, timeline=[{"day": 1, "set": {"residents": 9}}])
    with pytest.raises(ScenarioError, match="not a list of entries"):
        load_scenario(None, timeline=7)


# --- fuzz: timeline input never gives a traceback --------------------------------------------

NAMES = [p.name for p in PARAMS]
POLICY_NUMERIC = [p.name for p in PARAMS if p.kind in ("int", "float") and p.name not in STRUCTURAL]
scalars = st.one_of(
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6),
    st.sampled_from(["weekly", "consensus", "offline"]),
)
days = st.one_of(st.integers(-3, 45), st.sampled_from([1.5, True, "3", None, 10**9]))


def _value(name):
    p = BY_NAME.get(name)
    if p is not None and p.kind in ("int", "float"):
        lo, hi = p.lo, p.hi
        inside = st.integers(int(lo), int(hi)) if p.kind == "int" else st.floats(lo, hi)
        return st.one_of(inside, inside, scalars)
    return scalars


@st.composite
def values_table(draw):
    names = draw(st.lists(st.sampled_from(NAMES + POLICY_NUMERIC * 3 + ["pointz"]), max_size=3, unique=True))
    return {k: draw(_value(k)) for k in names}


@st.composite
def entries(draw):
    kind = draw(st.sampled_from(["set", "ramp", "both", "junk"]))
    if kind == "junk":
        return draw(st.one_of(scalars, st.lists(scalars, max_size=2), st.dictionaries(st.text(max_size=5), scalars)))
    entry = {}
    if kind in ("set", "both"):
        entry.update(day=draw(days), set=draw(values_table()))
    if kind in ("ramp", "both"):
        entry.update(from_day=draw(days), to_day=draw(days), ramp=draw(values_table()))
    for k in draw(st.lists(st.sampled_from(["day", "to_day", "set", "extra"]), max_size=1)):
        entry.pop(k, None) if k != "extra" else entry.update(extra=1)
    return entry


POLICY = [p.name for p in PARAMS if p.name not in STRUCTURAL and p.name not in IN_GROUPS]
POLICY_RAMPABLE = [n for n in POLICY if BY_NAME[n].kind in ("int", "float")]


@st.composite
def valid_entries(draw):
    """Entries that are each valid on their own (together they may still overlap)."""
    if draw(st.booleans()):
        names = draw(st.lists(st.sampled_from(POLICY), min_size=1, max_size=3, unique=True))
        return {"day": draw(st.integers(0, 45)), "set": {k: draw(valid_value(BY_NAME[k])) for k in names}}
    names = draw(st.lists(st.sampled_from(POLICY_RAMPABLE), min_size=1, max_size=2, unique=True))
    a = draw(st.integers(0, 40))
    b = draw(st.integers(a + 1, 60))
    return {"from_day": a, "to_day": b, "ramp": {k: draw(valid_value(BY_NAME[k])) for k in names}}


@FUZZ
@given(
    st.one_of(
        st.lists(valid_entries(), min_size=1, max_size=4),
        st.lists(st.one_of(valid_entries(), entries()), min_size=1, max_size=4),
        scalars,
    ),
    st.integers(0, 2**16),
)
def test_fuzzed_timelines_run_or_raise_scenario_error(timeline, seed):
    try:
        m = CommunityModel(None, seed=seed, check=True, timeline=timeline, **TINY)
    except ScenarioError as exc:
        assert str(exc).strip() and "\n" not in str(exc)
        event("ScenarioError")
        return
    event("ran" if m.timeline else "ran without changes")
    m.run(45)
    assert not m.results().isna().any().any()


@FUZZ
@given(st.lists(entries(), max_size=3))
def test_fuzzed_timeline_files_load_or_raise_scenario_error(timeline):
    lines = []
    for e in timeline:
        if not isinstance(e, dict):
            lines.append(f"timeline_junk = {toml_value(e)}")
            continue
        lines.append("[[timeline]]")
        lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in e.items() if v is not None]
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "t.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        try:
            load_scenario(path)
        except ScenarioError as exc:
            assert str(exc).strip()


def test_reschedule_a_running_model_adds_and_clears_changes():
    from sim.timeline import reschedule

    m = model([{"day": 10, "set": {"garbage_distance": 400.0}}])
    step_to(m, 5)
    reschedule(m, [{"day": 8, "set": {"admin_load": 0.9}}])  # the day-10 change is gone, a day-8 one added
    step_to(m, 12)
    assert m.p["admin_load"] == 0.9 and m.p["garbage_distance"] == 50.0
    with pytest.raises(ScenarioError, match=r"timeline\[1\]\.set\.residents"):
        reschedule(m, [{"day": 20, "set": {"residents": 9}}])
    assert m.timeline.records() == [{"day": 8, "set": {"admin_load": 0.9}}]  # unchanged by the refused one
    reschedule(m, [])
    assert not m.timeline


def test_reschedule_during_a_ramp_keeps_it_on_its_line():
    # garbage_distance ramps 50 -> 350 over days 10-40 (10 m a day); rescheduling on day 20 (the
    # dashboard adding an unrelated change) must not make it jump ahead of that line
    from sim.timeline import reschedule

    ramp = {"from_day": 10, "to_day": 40, "ramp": {"garbage_distance": 350.0}}
    m = model([ramp])
    step_to(m, 20)
    assert m.p["garbage_distance"] == pytest.approx(150.0)
    reschedule(m, [ramp, {"day": 30, "set": {"admin_load": 0.9}}])
    step_to(m, 21)
    assert m.p["garbage_distance"] == pytest.approx(160.0)
    step_to(m, 40)
    assert m.p["garbage_distance"] == 350.0 and m.p["admin_load"] == 0.9


def test_readme_example_loads_and_means_what_it_says(tmp_path):
    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### Policy timeline") :]
    example = section[section.index("```toml") + len("```toml") : section.index("```\n", section.index("```toml") + 7)]
    scen = load_scenario(write(tmp_path, example))
    kinds = [("ramp" if c.is_ramp else "set", c.day, c.to_day) for c in schedule(scen.params)]
    assert kinds == [("set", 90, None), ("ramp", 120, 300), ("set", 400, None)]


@pytest.mark.parametrize(
    "name",
    [
        "initial_trust",
        "org_skill_mean",
        "initial_fund",
        "daily_cost_professional",
        "daily_cost_volunteer",
        "initial_effort",
    ],
)
def test_values_read_only_when_the_community_is_built_are_refused(name, tmp_path):
    # a dated change of these would silently do nothing: they only shape the initial state
    value = BY_NAME[name].default
    path = write(tmp_path, f"[[timeline]]\nday = 5\nset = {{ {name} = {value!r} }}\n")
    with pytest.raises(ScenarioError, match=rf"timeline\[1\]\.set\.{name}: '{name}' cannot change during a run"):
        load_scenario(path)


# --- which parameters a run reads after the community is built ------------------------------------


class _Reads(dict):
    """The model's parameter dict, noting every key read while ``recording`` is on."""

    recording = False
    keys: set[str] = set()

    def __getitem__(self, key):
        if _Reads.recording:
            _Reads.keys.add(key)
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        if _Reads.recording:
            _Reads.keys.add(key)
        return dict.get(self, key, default)


def _all_levers_on() -> dict:
    """The benchmarks' defaults with every lever on (benchmarks/_common.py), one copy for both."""
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "_common.py"
    spec = importlib.util.spec_from_file_location("_bench_common", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.ALL_LEVERS_ON)


# every mechanism on in at least one configuration: all levers, plus the switches no preset
# turns on, both participation rules and every threshold draw
_ALL_ON = {
    **_all_levers_on(),
    "cofunding": True,
    "peer_sanctions": True,
    "collaboration_dropout": True,
    "rule_origin": "meeting",
    "breach_fine": 5.0,
    "waste_sorting": True,
    "micro_talks_per_month": 2.0,
    "notice_boards": True,
    "online_groups": True,
    "deliberation_cofund": True,
    "committee_enforcement": True,
}
_READ_CONFIGS = [(name, {}) for name in preset_names()] + [
    (None, _ALL_ON),
    (None, {**_ALL_ON, "participation_rule": "threshold", "threshold_dist": "normal", "cofunding_groups": "rematched"}),
    (None, {**_ALL_ON, "participation_rule": "threshold", "threshold_scope": "building", "rule_origin": "committee"}),
    (None, {**_ALL_ON, "rule_origin": "above", "cofunding_rounds": 3}),
]
# read only on events these short runs need not meet (a failed waste scheme's re-plan, partners
# leaving a failing alliance) or never read by design (the share that is the rest of the others)
_READ_ON_RARE_EVENTS = {"adjustment_delay", "partner_dropout_rate", "share_hard"}


@pytest.fixture(scope="module")
def keys_read_during_runs():
    import sim.model

    mp = pytest.MonkeyPatch()
    # the model builds its parameter dict with dict(...): name our recorder there instead
    mp.setattr(sim.model, "dict", _Reads, raising=False)
    try:
        for name, overrides in _READ_CONFIGS:
            _Reads.recording = False
            m = CommunityModel(name, seed=5, **POP, **overrides)
            assert type(m.p) is _Reads
            _Reads.recording = True
            for mech in m.pipeline:  # what a timeline entry triggers on its day
                mech.params_changed()
            m.run(370)  # past the first year's start (funding's new year, habit's window)
    finally:
        _Reads.recording = False
        mp.undo()
    return frozenset(_Reads.keys)


def test_parameters_the_timeline_refuses_are_never_read_once_the_community_is_built(keys_read_during_runs):
    # refusing one that is read would forbid a change that does something (issue 10 item 4)
    assert sorted(STRUCTURAL & keys_read_during_runs) == []


def test_parameters_the_timeline_accepts_are_read_during_a_run(keys_read_during_runs):
    # accepting one that is never read would let a dated change silently do nothing
    accepted = {p.name for p in PARAMS} - STRUCTURAL - {"shock_tick", "shock_set", "timeline"}
    assert sorted(accepted - keys_read_during_runs - _READ_ON_RARE_EVENTS) == []


def test_a_dated_change_of_a_newcomer_trait_reaches_newcomers_only():
    day, everyone = 40, {"digital_access_elderly": 1.0, "digital_access_others": 1.0}
    m = model(timeline=[{"day": day, "set": everyone}], turnover=0.5)
    res = m.residents
    before = res.digital.copy()
    step_to(m, 150)
    stayed, came = res.arrived == 0, res.arrived > day
    assert came.sum() > 20
    assert res.digital[came].all()  # everyone who moved in after the change is online
    assert np.array_equal(res.digital[stayed], before[stayed])  # those who stayed keep theirs
    assert res.digital[stayed].mean() < 0.9


def test_a_dated_change_of_the_communitys_wealth_changes_its_income():
    plain = step_to(model(), 60).funds.community.sum()
    richer = step_to(model(timeline=[{"day": 30, "set": {"community_wealth": 3.0}}]), 60).funds.community.sum()
    assert richer > plain


def test_a_dated_change_of_a_type_drawn_once_reaches_newcomers_only():
    day = 40
    m = model(
        timeline=[{"day": day, "set": {"threshold_mean": 0.9}}],
        participation_rule="threshold",
        threshold_dist="normal",
        threshold_mean=0.1,
        threshold_sd=0.01,
        turnover=0.5,
    )
    step_to(m, day - 1)
    before = m.mech["thresholds"].thresholds().copy()
    step_to(m, 150)
    theta, res = m.mech["thresholds"].thresholds(), m.residents
    stayed, came = res.adult & (res.arrived == 0), res.adult & (res.arrived > day)
    assert came.sum() > 20
    assert np.array_equal(theta[stayed], before[stayed])  # drawn once: the change does not reach them
    assert np.all(np.abs(theta[came] - 0.9) < 0.1)  # newcomers are drawn from the new mean
    assert np.all(np.abs(theta[stayed] - 0.1) < 0.1)
