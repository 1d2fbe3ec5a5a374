"""Every preset scenario loads and runs in checked mode, with its own levers in effect."""

from __future__ import annotations

import pytest

from sim import CommunityModel, load_scenario, preset_names
from sim.outcomes import OUTCOMES
from sim.params import BY_NAME
from sim.timeline import schedule

EXPECTED = (
    "government-led",
    "five-micro",
    "governance-partners",
    "three-chiefs",
    "share-bear-win",
    "technology-led",
    "people-centred",
    "licheng-garbage",
    "xian-renovation",
    "hangzhou-sachet",
    "capacity-building",
)
# reduce the population only; the preset's levers (grids, organisations, ...) stay as written
REDUCED = dict(households=900, residents=2600, households_per_building=20)
NAMES = sorted(set(preset_names()) | set(EXPECTED))
_RUNS: dict[str, CommunityModel] = {}


def _run(name: str) -> CommunityModel:
    if name not in _RUNS:
        _RUNS[name] = CommunityModel(name, seed=1, check=True, **REDUCED).run(30)
    return _RUNS[name]


def test_expected_presets_exist():
    missing = sorted(set(EXPECTED) - set(preset_names()))
    assert not missing, f"presets missing from sim/scenarios/: {missing}"


@pytest.mark.parametrize("name", NAMES)
def test_preset_loads_and_runs_checked(name):
    scen = load_scenario(name)
    assert scen.description, f"preset {name} has no description"
    assert scen.chain[-1] == name
    m = _run(name)
    df = m.results()
    assert len(df) == 31 and df["tick"].iloc[-1] == 30
    assert set(OUTCOMES) <= set(df.columns)
    assert not df[list(OUTCOMES)].isna().any().any()
    n = scen.params["n_communities"] * REDUCED["residents"]
    assert (df["residents"] == n).all()
    assert df["matters_raised"].iloc[-1] > 0
    # the preset's own levers are what the model runs with (until a shock changes them)
    for key, value in scen.params.items():
        if BY_NAME[key].section == "population" and key in REDUCED:
            continue
        if any(c.day <= 30 and key in c.values for c in schedule(scen.params)):
            continue
        assert m.p[key] == value, key


def test_presets_differ_where_the_seeds_say():
    if not set(EXPECTED) <= set(preset_names()):
        pytest.skip("not all presets written yet")
    base = load_scenario("government-led").params
    assert base["meeting_cadence"] == "none" and not base["points"] and not base["routing"]
    gp = load_scenario("governance-partners").params
    assert gp["routing"] and gp["points"] and gp["meeting_cadence"] != "none"
    assert gp["responsibility_list"] and gp["mediation"]
    lic = load_scenario("licheng-garbage").params
    (cut,) = lic["timeline"]  # the cut of garbage points is one dated change
    assert cut["set"].get("garbage_distance", 0) > base["garbage_distance"]
    assert not load_scenario("hangzhou-sachet").params["prior_communication"]
    xian = load_scenario("xian-renovation").params
    assert xian["government_cofunding"] == pytest.approx(0.3)
    assert xian["inspections_per_month"] < 2 and not xian["responsibility_list"]
    sbw = load_scenario("share-bear-win").params
    assert sbw["points"] and sbw["time_bank"]
    assert (sbw["share_provider"], sbw["share_incubator"], sbw["share_fund"]) == pytest.approx((0.7, 0.25, 0.05))
    tech, people = load_scenario("technology-led").params, load_scenario("people-centred").params
    assert tech["data_intensity"] > people["data_intensity"] or tech["data_demanded"] > people["data_demanded"]
    # and in behaviour after 30 days: governance partners meet and issue points, the baseline does not
    g, p = _run("government-led").results(), _run("governance-partners").results()
    assert g["meetings"].sum() == 0 and p["meetings"].sum() > 0
    assert g["points_issued"].iloc[-1] == 0 < p["points_issued"].iloc[-1]
    assert g["buck_passes"].iloc[-1] > 0 and p["buck_passes"].iloc[-1] == 0
