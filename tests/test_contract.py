"""The module contract: declarations assemble the schema; coefficients live in declarations only."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.dashboard.i18n import PARAM_ZH
from sim.mechanisms import PIPELINE
from sim.mechanisms.base import Mechanism, Outcome, Param, State, coef, group_cumsum, toward
from sim.model import build_pipeline, check_order
from sim.outcomes import OUTCOME_BETTER, OUTCOME_KIND, OUTCOME_LABELS, OUTCOMES
from sim.params import BY_NAME, PARAMS

ROOT = Path(__file__).resolve().parent.parent
DECLARING = {"coef", "_c", "param", "Param", "State", "Outcome"}
ALLOWED = {0.0, 1.0, 0.5}
TOLERANCE = 1e-6  # numerical tolerances (1e-9, 1e-6) are not coefficients


def _stray_floats(path: Path) -> list[str]:
    """Float literals outside a declaration call, other than 0, 1, ½ and tolerances."""
    tree = ast.parse(path.read_text())
    declared: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            if name in DECLARING:
                declared |= {id(n) for n in ast.walk(node)}
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and type(node.value) is float and id(node) not in declared:
            v = abs(node.value)
            if v not in ALLOWED and v > TOLERANCE:
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value}")
    return bad


def _sources() -> list[Path]:
    return sorted((ROOT / "sim" / "mechanisms").glob("*.py")) + sorted((ROOT / "sim" / "agents").glob("*.py"))


def test_no_coefficient_outside_a_declaration():
    bad = [b for f in _sources() for b in _stray_floats(f)]
    assert not bad, "float literals with behavioural meaning must be declared parameters:\n" + "\n".join(bad)


def test_the_literal_walk_catches_a_stray_coefficient(tmp_path):
    f = ROOT / "sim" / "mechanisms" / "_probe_tmp.py"
    try:
        f.write_text("x = 0.35 * 2\ny = coef('s', 'n', 0.35, 'm', 'z', 0.0, 1.0)\nz = 1e-9 + 0.5\n")
        assert _stray_floats(f) == [f"{f.relative_to(ROOT)}:1: 0.35"]
    finally:
        f.unlink()


def test_every_parameter_has_a_role_and_calibrated_or_assumed_numbers_a_plausible_range():
    for p in PARAMS:
        assert p.role in ("lever", "sourced", "calibrated", "assumption"), p.name
        if p.role in ("calibrated", "assumption") and p.kind in ("int", "float"):
            lo, hi = p.plausible
            assert p.lo <= lo <= hi <= p.hi, p.name
            assert lo <= p.default <= hi, f"{p.name}: default outside its plausible range"
    declared = [p for cls in PIPELINE for p in cls.params]
    assert len(declared) >= 250  # every parameter but the population's structure
    for p in declared:
        assert BY_NAME[p.name] is p and p.source
        assert p.label_zh, f"{p.name}: no Chinese label in its declaration"
    # the dashboard's Chinese names are the declarations' labels, not a catalogue of their own
    assert all(PARAM_ZH[p.name] == p.label_zh for p in BY_NAME.values())


def test_bad_role_or_plausible_range_is_refused():
    with pytest.raises(ValueError, match="role"):
        Param("x", "s", 0.1, "float", "m", "assumption", role="guess")
    with pytest.raises(ValueError, match="plausible"):
        coef("s", "x", 0.1, "m", "z", 0.0, 1.0, plausible=(0.0, 2.0))


def test_outcome_views_derive_from_declarations():
    # the day itself has no kind
    assert set(OUTCOME_KIND) | {"tick"} == set(OUTCOMES) == set(OUTCOME_BETTER) == set(OUTCOME_LABELS)
    assert OUTCOME_KIND["backlog"] == "stock" and OUTCOME_KIND["disputes_total"] == "cumulative"
    assert OUTCOME_KIND["meetings"] == "flow" and OUTCOME_BETTER["backlog"] == "lower"
    assert OUTCOME_LABELS["cofunding_contribution"][1]  # declared in cofunding.py, Chinese label included
    from experiments.labels import outcome_label

    assert outcome_label("backlog", "zh") == OUTCOME_LABELS["backlog"][1]
    assert outcome_label("participation_migrant", "en") == OUTCOME_LABELS["participation_migrant"][0]


def test_a_misspelt_counter_is_an_error_when_written_and_when_read():
    m = sim.CommunityModel(households=60, residents=150, households_per_building=10, households_per_grid_worker=30)
    m.count("meetings", 1)
    with pytest.raises(KeyError, match="not declared"):
        m.count("meetngs", 1)
    with pytest.raises(KeyError, match="not declared"):
        m.totals.get("meetngs", 0)
    assert m.totals.get("meetings", 0) == 1


def test_order_violating_a_dependency_is_refused_naming_both():
    classes = list(PIPELINE)
    i, j = [c.name for c in classes].index("norms"), [c.name for c in classes].index("prices")
    classes[i], classes[j] = classes[j], classes[i]
    with pytest.raises(ValueError, match="norms must run after prices"):
        check_order(classes)
    check_order(list(PIPELINE))


def test_declared_state_is_created_and_reset_for_newcomers():
    class Keeper(Mechanism):
        name = "keeper"
        states = (State("kept", np.float32, 0.25, "a probe state"),)

        def step(self):
            self.model.residents.kept[:] = 0.9

    m = sim.CommunityModel(
        seed=3,
        plugins=[Keeper],
        households=60,
        residents=150,
        households_per_building=10,
        households_per_grid_worker=30,
    )
    assert m.residents.kept.dtype == np.float32 and (m.residents.kept == np.float32(0.25)).all()
    m.run(1)
    who = np.array([0, 5])
    m.reset_states(who)
    assert (m.residents.kept[who] == np.float32(0.25)).all() and m.residents.kept[1] == np.float32(0.9)


def test_turnover_resets_declared_state_of_newcomers():
    m = sim.CommunityModel(
        seed=2, turnover=2.0, households=200, residents=500, households_per_building=10, households_per_grid_worker=50
    ).run(30)
    new = m.residents.arrived == 28  # the week's newcomers, booked on day 28
    assert new.any()
    assert (m.residents.points[new] == 0).all() and not m.residents.volunteer[new].any()


def test_helpers_match_the_hand_written_forms():
    x = np.array([0.2, 0.7], np.float32)
    assert np.array_equal(toward(x, 0.03), x + 0.03 * (1 - x))
    y = x.copy()
    toward(y, np.float32(0.2), np.float32(0.9), inplace=True)
    z = x.copy()
    z += np.float32(0.2) * (np.float32(0.9) - z)
    assert np.array_equal(y, z)
    v, g = np.array([1.0, 2.0, 3.0, 4.0]), np.array([0, 0, 1, 1])
    assert group_cumsum(v, g).tolist() == [1.0, 3.0, 3.0, 7.0]


def test_pipeline_registry_is_the_model_order():
    m = sim.CommunityModel(households=60, residents=150, households_per_building=10, households_per_grid_worker=30)
    assert [type(x) for x in m.pipeline] == list(PIPELINE) == build_pipeline()


def test_parameters_live_in_their_mechanisms_file():
    from sim import params

    assert {p.section for p in params._CORE} == {"population"}  # structure only; the rest is declared
    for cls in PIPELINE:
        for p in cls.params:
            assert p.section == (cls.section or cls.name) or cls.name in ("organisations", "handling"), (cls.name, p)


def test_sim_exports_the_contract():
    assert sim.Mechanism is Mechanism and sim.Param is Param and sim.Outcome is Outcome


# --- plug-ins: the example of docs/extending.md, run as written ------------------------------

SMALL_TURNOVER = dict(
    households=300, residents=800, households_per_building=20, households_per_grid_worker=100, turnover=0.5
)


@pytest.fixture
def welcome(tmp_path):
    """The plug-in file of docs/extending.md, saved as the guide says, and its class."""
    import re

    from sim.model import load_plugin

    text = (ROOT / "docs" / "extending.md").read_text()
    code = re.findall(r"```python\n(.*?)```", text, re.DOTALL)[0]
    path = tmp_path / "welcome.py"
    path.write_text(code)
    return path, load_plugin(f"{path}:WelcomeVisits")


def test_extending_guide_plugin_runs_and_moves_what_it_says(welcome):
    _, cls = welcome
    on = sim.CommunityModel(seed=4, plugins=[cls], welcome_visits=True, **SMALL_TURNOVER).run(60)
    off = sim.CommunityModel(seed=4, plugins=[cls], **SMALL_TURNOVER).run(60)
    assert [type(x).__name__ for x in on.pipeline].index("WelcomeVisits") == 2  # right after turnover
    df = on.results()
    assert df["welcomed_total"].iloc[-1] > 0 and off.results()["welcomed_total"].iloc[-1] == 0
    assert df["welcomed_total"].is_monotonic_increasing
    welcomed = on.residents.welcomed
    assert welcomed.any() and welcomed.sum() <= df["welcomed_total"].iloc[-1]
    # newcomers who had a visit feel more at home than they would have (same draws otherwise)
    assert on.residents.belonging[welcomed].mean() > off.residents.belonging[welcomed].mean()
    assert on.manifest()["parameters"]["welcome_visits"] is True
    assert on.manifest()["plugins"][0].endswith("WelcomeVisits")


def test_plugin_parameters_are_validated_and_have_a_scenario_section(welcome, tmp_path):
    path, cls = welcome
    with pytest.raises(sim.ScenarioError, match="welcome_rate"):
        sim.CommunityModel(seed=1, plugins=[cls], welcome_rate=2.0, **SMALL_TURNOVER)
    scen = tmp_path / "with-welcome.toml"
    scen.write_text('[scenario]\ndescription = "welcome"\n\n[welcome]\nwelcome_visits = true\nwelcome_rate = 0.3\n')
    m = sim.CommunityModel(str(scen), seed=1, plugins=[cls], **SMALL_TURNOVER)
    assert m.p["welcome_visits"] is True and m.p["welcome_rate"] == 0.3
    with pytest.raises(sim.ScenarioError, match="unknown section"):
        sim.CommunityModel(str(scen), seed=1, **SMALL_TURNOVER)  # without the plug-in the section is unknown
    from sim.params import BY_NAME

    assert "welcome_rate" not in BY_NAME  # the schema is back to the registered mechanisms


def test_cli_run_with_plugin(welcome, tmp_path):
    from sim.cli import main

    path, _ = welcome
    out = tmp_path / "run"
    sets = [f"--set={k}={v}" for k, v in SMALL_TURNOVER.items()]
    code = main(
        ["run", "three-chiefs", "--plugin", f"{path}:WelcomeVisits", "--set", "welcome_visits=true", "--ticks", "30"]
        + sets
        + ["--out", str(out)]
    )
    assert code == 0
    table = out / "results.csv"
    import pandas as pd

    df = pd.read_csv(table) if ".csv" in table.name else pd.read_parquet(table)
    assert "welcomed_total" in df.columns and df["welcomed_total"].iloc[-1] > 0
    assert main(["run", "three-chiefs", "--plugin", f"{path}:NoSuchClass", "--ticks", "1"]) == 2


def test_plugin_order_is_checked(welcome):
    _, cls = welcome

    class Early(cls):
        name = "early_welcome"
        position_after = "shock"  # before turnover, which it declares it runs after
        params = ()
        states = ()
        counters = ()
        outcomes = ()

    with pytest.raises(ValueError, match="early_welcome must run after turnover"):
        build_pipeline([Early])


def test_every_cross_mechanism_call_is_declared():
    import re

    by_module = {cls.__module__: cls for cls in PIPELINE}
    for module, cls in by_module.items():
        text = (ROOT / (module.replace(".", "/") + ".py")).read_text()
        used = set(re.findall(r'mech\["(\w+)"\]', text)) - {cls.name}
        if cls.name == "consultation":  # start_project (projects.py) is called from consultation
            used |= {"projects"}
        declared = set(cls.after) | set(cls.needs)
        # a module's helper functions run inside other mechanisms; the module's class declares their reads
        if module.endswith("projects"):
            declared |= {"projects"}
        assert used <= declared, f"{cls.name} uses {sorted(used - declared)} without declaring it"


def test_parameter_change_mid_run_reaches_resolved_values():
    m = sim.CommunityModel(households=60, residents=150, households_per_building=10, households_per_grid_worker=30)
    m.apply_shock({"agree_base_majority": 0.1, "property_fee": 3.5})
    assert m.mech["consultation"].agree["majority"][0] == 0.1
    assert m.firms.fee == 3.5


def test_odd_prose_quotes_the_declared_defaults():
    # the tables are generated; where the prose quotes a parameter's value next to its name
    # ("0.1 (`complaint_chance`)", "`project_drag` = 1.2") it must be the declared default
    import re

    text = (ROOT / "docs" / "ODD.md").read_text()
    body = text[: text.index("## Appendix A")]
    quotes = [(m.group(2), m.group(1)) for m in re.finditer(r"(-?\d[\d,]*\.?\d*)\s*\(`(\w+)`", body)]
    quotes += [(m.group(1), m.group(2)) for m in re.finditer(r"`(\w+)`\s*=\s*(-?\d[\d,]*\.?\d*)", body)]
    checked = 0
    for name, number in quotes:
        p = BY_NAME.get(name)
        if p is None or p.kind not in ("int", "float"):
            continue
        assert float(number.replace(",", "")) == pytest.approx(float(p.default)), f"ODD quotes {name} = {number}"
        checked += 1
    assert checked >= 20


def test_outcomes_are_declared_by_their_mechanisms_and_read_declared_counters():
    owner = {o.name: cls.name for cls in PIPELINE for o in cls.outcomes}
    assert owner["meetings"] == "consultation" and owner["disputes_total"] == "disputes"
    assert owner["firm_effort"] == "property" and owner["donations_total"] == "donations"
    counters = {c for cls in PIPELINE for c in cls.counters}
    for cls in PIPELINE:
        for o in cls.outcomes:
            assert (o.counter is None) != (o.compute is None), o.name
            assert o.counter is None or o.counter in counters, o.name


def test_an_outcome_reading_an_undeclared_counter_is_refused_at_construction():
    class Typo(Mechanism):
        name = "typo"
        outcomes = (Outcome("typo_total", "m", "", "T", "T", "cumulative", "neutral", counter="meetngs"),)

    with pytest.raises(ValueError, match="meetngs"):
        sim.CommunityModel(
            plugins=[Typo], households=60, residents=150, households_per_building=10, households_per_grid_worker=30
        )


def test_registered_plugin_levers_reach_the_dashboard_controls(welcome):
    import sim.params as sp
    from sim.dashboard.controls import control_specs

    _, cls = welcome
    n = len(sp.PARAMS)
    try:
        sp.register_plugins([cls])
        spec = next(c for c in control_specs() if c.name == "welcome_visits")
        assert spec.lever and spec.section == "welcome"
    finally:  # leave the schema as other tests expect it
        del sp.PARAMS[n:]
        for name in ("welcome_visits", "welcome_rate", "welcome_gain"):
            sp.BY_NAME.pop(name, None)
        sp.SECTIONS.remove("welcome")
        import sim.scenario

        sim.scenario._model.cache_clear()
