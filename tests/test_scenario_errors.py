"""Bad scenario input: every class of mistake raises ScenarioError naming file, key and what is allowed."""

from __future__ import annotations

import pytest
from conftest import SMALL

from sim import CommunityModel, ScenarioError, load_scenario, preset_names
from sim.params import PARAMS

# (case id, file text, fragments the message must contain besides the file name)
FILE_CASES = [
    (
        "unknown key",
        "[incentives]\npoints_budgt = 5000\n",
        ["points_budgt", "did you mean 'points_budget'", "allowed keys in [incentives]"],
    ),
    ("key in wrong section", "[channels]\npoints = true\n", ["points", "[channels]", "put it under [incentives]"]),
    ("key outside any section", "points = true\n", ["points", "put it under [incentives]"]),
    (
        "unknown section",
        "[incentive]\npoints = true\n",
        ["[incentive]", "did you mean [incentives]", "allowed sections"],
    ),
    ("unknown [scenario] key", "[scenario]\nauthor = 'me'\n", ["author", "allowed keys", "description"]),
    (
        "string for a number",
        '[incentives]\npoints_budget = "5000"\n',
        ["points_budget", "wrong type", "a number in [0, 1e+09]"],
    ),
    (
        "float for an int",
        "[population]\nhouseholds = 900.0\n",
        ["households", "wrong type", "an integer in [10, 200000]"],
    ),
    ("number for a bool", "[incentives]\npoints = 1\n", ["points", "wrong type", "true or false"]),
    ("bool for a number", "[incentives]\npoints_budget = true\n", ["points_budget", "wrong type", "a number"]),
    ("out of range", "[population]\nshare_renters = 1.5\n", ["share_renters", "out of range", "a number in [0, 1]"]),
    ("negative int", "[party]\ndispatched_cadres = -3\n", ["dispatched_cadres", "out of range", "[0, 500]"]),
    ("nan", "[incentives]\npoints_budget = nan\n", ["points_budget", "allowed: a number"]),
    ("infinity", "[funding]\ngovernment_grant = inf\n", ["government_grant", "allowed: a number"]),
    (
        "bad choice",
        '[consultation]\nmeeting_cadence = "daily"\n',
        ["meeting_cadence", "'daily'", "'weekly'", "'4-14-24'"],
    ),
    (
        "shares not summing to 1",
        "[matters]\nshare_small = 0.7\n",
        ["share_small", "share_major", "share_hard", "sum to 1"],
    ),
    ("funding split not summing to 1", "[funding]\nshare_fund = 0.5\n", ["share_provider", "sum to 1"]),
    (
        "residents < households",
        "[population]\nhouseholds = 1000\nresidents = 900\n",
        ["residents", "households", "at least one resident per household"],
    ),
    ("shock_tick without shock_set", "[shock]\nshock_tick = 10\n", ["shock_tick", "shock_set"]),
    ("shock_set without shock_tick", "[shock.shock_set]\npoints = true\n", ["shock_set", "shock day"]),
    (
        "structural key in shock",
        "[shock]\nshock_tick = 10\n[shock.shock_set]\nhouseholds = 5\n",
        ["households", "cannot change during a run"],
    ),
    (
        "unknown key in shock",
        "[shock]\nshock_tick = 10\n[shock.shock_set]\npointz = true\n",
        ["pointz", "did you mean 'points'"],
    ),
    ("bad value in shock", "[shock]\nshock_tick = 10\n[shock.shock_set]\npoints = 3\n", ["points", "true or false"]),
    ("section not a table", "incentives = 5\n", ["incentives", "must be a table"]),
    ("malformed TOML", "[incentives\npoints = true\n", ["malformed TOML", "allowed: a TOML file"]),
    ("malformed value", "[incentives]\npoints = tru\n", ["malformed TOML"]),
]


@pytest.mark.parametrize("case, text, fragments", FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_bad_file_names_file_key_and_allowed(tmp_path, case, text, fragments):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    msg = str(err.value)
    assert msg.startswith(f"{path}: "), msg  # "<file>: <key>: <what is wrong>; allowed: …"
    # what is allowed: spelled out, or (for a misspelled parameter) the nearest name and where to list all
    assert "allowed" in msg or ("did you mean" in msg and "cogov params" in msg), msg
    for frag in fragments:
        assert frag in msg, f"{frag!r} not in {msg!r}"
    # the model refuses it the same way
    with pytest.raises(ScenarioError):
        CommunityModel(path, seed=1)


@pytest.mark.parametrize(
    "overrides, fragments",
    [
        (dict(pointz=True), ["pointz", "did you mean 'points'"]),
        (dict(households=900.5), ["households", "an integer"]),
        (dict(points="yes"), ["points", "true or false"]),
        (dict(points=None), ["points", "true or false"]),
        (dict(turnover=-0.1), ["turnover", "out of range", "[0, 2]"]),
        (dict(meeting_cadence="daily"), ["meeting_cadence", "'weekly'"]),
        (dict(share_hard=0.5), ["share_hard", "sum to 1"]),
        (dict(shock_tick=5), ["shock_tick", "shock_set"]),
        (dict(households=900, residents=800), ["residents", "at least one resident per household"]),
    ],
)
def test_bad_overrides_name_origin_key_and_allowed(overrides, fragments):
    with pytest.raises(ScenarioError) as err:
        CommunityModel(seed=1, **overrides)
    msg = str(err.value)
    assert "overrides of scenario 'defaults'" in msg, msg
    assert "allowed" in msg or "did you mean" in msg, msg
    for frag in fragments:
        assert frag in msg, f"{frag!r} not in {msg!r}"


def test_missing_file(tmp_path):
    path = tmp_path / "nothere.toml"
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert str(path) in str(err.value) and "no such preset or file" in str(err.value)


def test_unknown_preset_lists_the_presets():
    with pytest.raises(ScenarioError) as err:
        load_scenario("goverment-led")
    msg = str(err.value)
    assert "goverment-led" in msg and "allowed" in msg
    for name in preset_names():
        assert name in msg


def test_extends_cycle(tmp_path):
    (tmp_path / "a.toml").write_text('[scenario]\nextends = "b"\n')
    (tmp_path / "b.toml").write_text('[scenario]\nextends = "a.toml"\n')
    with pytest.raises(ScenarioError) as err:
        load_scenario(tmp_path / "a.toml")
    msg = str(err.value)
    assert "cycle" in msg and "a.toml" in msg and "b.toml" in msg


def test_extends_self(tmp_path):
    (tmp_path / "me.toml").write_text('[scenario]\nextends = "me"\n')
    with pytest.raises(ScenarioError, match="cycle"):
        load_scenario(tmp_path / "me.toml")


def test_extends_missing_parent(tmp_path):
    (tmp_path / "child.toml").write_text('[scenario]\nextends = "no-such-parent"\n')
    with pytest.raises(ScenarioError, match="no-such-parent") as err:
        load_scenario(tmp_path / "child.toml")
    # the line names the file and the key that point at the missing parent
    assert str(err.value).startswith(f"{tmp_path / 'child.toml'}: [scenario] extends: 'no-such-parent'")


def test_error_in_parent_names_the_parent(tmp_path):
    (tmp_path / "parent.toml").write_text("[incentives]\npoints = 2\n")
    (tmp_path / "child.toml").write_text('[scenario]\nextends = "parent"\n[incentives]\nranking = true\n')
    with pytest.raises(ScenarioError) as err:
        load_scenario(tmp_path / "child.toml")
    assert "points" in str(err.value)


# --- the valid side, so the checks above are not just "everything fails" ------------------


def test_extends_inherits_overrides_and_merges_shock_tables(tmp_path):
    (tmp_path / "parent.toml").write_text(
        "[incentives]\npoints = true\npoints_budget = 1000\n"
        "[shock]\nshock_tick = 30\n[shock.shock_set]\ngarbage_distance = 300.0\n"
    )
    (tmp_path / "child.toml").write_text(
        '[scenario]\nextends = "parent"\ndescription = "child"\n'
        "[incentives]\npoints_budget = 2000\n[shock.shock_set]\npoints = false\n"
    )
    scen = load_scenario(tmp_path / "child.toml")
    p = scen.params
    assert p["points"] is True and p["points_budget"] == 2000
    assert p["shock_tick"] == 30
    assert p["shock_set"] == {"garbage_distance": 300.0, "points": False}
    assert scen.chain == ["parent", "child"] and scen.description == "child"
    m = CommunityModel(tmp_path / "child.toml", seed=1, check=True, **SMALL).run(31)
    assert m.p["garbage_distance"] == 300.0 and m.p["points"] is False


def test_extends_a_preset(tmp_path):
    name = "government-led"
    if name not in preset_names():
        pytest.skip("preset not written yet")
    (tmp_path / "mine.toml").write_text(f'[scenario]\nextends = "{name}"\n[incentives]\npoints = true\n')
    scen = load_scenario(tmp_path / "mine.toml")
    assert scen.params["points"] is True and scen.chain[0] == name


def test_int_accepted_where_float_expected(tmp_path):
    path = tmp_path / "ok.toml"
    path.write_text("[incentives]\npoints_budget = 5000\n[population]\nhouseholds = 900\nresidents = 2600\n")
    p = load_scenario(path).params
    assert p["points_budget"] == 5000 and p["households"] == 900


def test_every_default_is_valid_and_every_param_has_an_allowed_text():
    load_scenario(None)
    for p in PARAMS:
        assert p.allowed()
        if p.kind in ("int", "float"):
            assert p.lo <= p.default <= p.hi, p.name
        if p.kind == "choice":
            assert p.default in p.choices
