"""Community profiles (sim.profile): template, reader, every field, every bad-cell class, .xlsx and .csv."""

from __future__ import annotations

import csv
import math

import pytest

from sim.params import defaults
from sim.profile import BY_KEY, FIELDS, SHEET, read_profile, template_rows, to_params, write_template
from sim.scenario import ScenarioError, load_scenario

EXT = ("xlsx", "csv")


def _write(path, changes=None, lang="en", drop=(), extra_rows=()):
    """A profile file: the template's rows with ``changes`` {key: cell value}, rows ``drop`` removed."""
    rows = template_rows(lang)
    out = [rows[0]]
    for r in rows[1:]:
        if r[0] in drop:
            continue
        r = list(r)
        if changes and r[0] in changes:
            r[2] = changes[r[0]]
        out.append(r)
    out += [list(r) for r in extra_rows]
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(["" if v is None else v for v in r] for r in out)
    else:
        import openpyxl

        wb = openpyxl.Workbook()
        wb.active.title = "instructions"
        ws = wb.create_sheet(SHEET)
        for r in out:
            ws.append(r)
        wb.save(path)
    return path


def _row_of(key: str) -> int:
    return 1 + next(i for i, f in enumerate(FIELDS, start=1) if f.key == key)


@pytest.mark.parametrize("ext", EXT)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_template_reads_back_as_x_community(tmp_path, ext, lang):
    path = write_template(tmp_path / f"my-community.{ext}", lang)
    prof = read_profile(path)
    d = defaults()
    assert prof.name == "X community" and prof.observed == {}
    for k, v in prof.params.items():
        assert math.isclose(v, d[k], rel_tol=0.01), (k, v, d[k])
    assert len(prof.params) == 18


def test_template_has_instructions_headers_in_the_language_units_and_ranges(tmp_path):
    import openpyxl

    wb = openpyxl.load_workbook(write_template(tmp_path / "zh.xlsx", "zh"))
    assert wb.sheetnames == ["instructions", SHEET]
    assert "台账" in wb["instructions"]["A1"].value
    ws = wb[SHEET]
    assert [c.value for c in ws[1]] == ["键", "项目", "数值", "单位", "允许范围"]
    res = ws[_row_of("residents")]
    assert res[0].value == "residents" and res[1].value == "常住人口" and res[2].value == 21235
    assert res[3].value == "人" and res[4].value == "整数 10–1,000,000"
    en = openpyxl.load_workbook(write_template(tmp_path / "en.xlsx", "en"))[SHEET]
    assert [c.value for c in en[1]] == ["key", "field", "value", "unit", "allowed"]
    assert en[_row_of("property_fee")][3].value == "yuan/household/month"


# every field reaches its parameter (changed alone, the rest as X community)
FIELD_CASES = {
    "estates": (3, {"estates": 3}),
    "buildings": (250, {"households_per_building": round(7191 / 250)}),
    "households": (7000, {"households": 7000}),
    "residents": (20000, {"residents": 20000}),
    "children_pct": ("12%", {"share_children": 0.12}),
    "elderly_pct": (30, {"share_elderly": 0.30}),
    "renters_pct": (40, {"share_renters": 0.40}),
    "migrants_pct": (5.5, {"share_migrants": 0.055}),
    "party_members": (2123, {"share_party": 2123 / 21235}),
    "capable_residents": (100, {"share_capable": 100 / 21235}),
    "volunteer_teams": (20, {"volunteer_teams": 20}),
    "professional_orgs": (5, {"professional_orgs": 5}),
    "interest_groups": (9, {"interest_groups": 9}),
    "grid_workers": (36, {"households_per_grid_worker": round(7191 / 36)}),
    "property_fee": ("1,500", {"property_fee": 1500.0}),
    "community_fund": (50_000, {"initial_fund": 50_000.0}),
    "government_grant": (0, {"government_grant": 0.0}),
    "points_budget": (12_345.5, {"points_budget": 12_345.5}),
}


def test_every_fact_field_has_a_case():
    facts = [f.key for f in FIELDS if not f.observed and f.key != "community"]
    assert sorted(FIELD_CASES) == sorted(facts)


@pytest.mark.parametrize("ext", EXT)
@pytest.mark.parametrize("key", sorted(FIELD_CASES))
def test_each_field_sets_its_parameter(tmp_path, ext, key):
    value, expected = FIELD_CASES[key]
    prof = read_profile(_write(tmp_path / f"p.{ext}", {key: value}))
    for name, want in expected.items():
        assert math.isclose(prof.params[name], want, rel_tol=1e-9), (name, prof.params[name], want)
    base = to_params({f.key: f.example for f in FIELDS if not f.observed and f.key != "community"})
    derived = ("share_party", "share_capable", "households_per_building", "households_per_grid_worker")
    others = {k: v for k, v in prof.params.items() if k not in expected and k not in derived}
    assert others == {k: base[k] for k in others}


@pytest.mark.parametrize("ext", EXT)
def test_name_and_observed_figures(tmp_path, ext):
    obs = {"obs_volunteers": 1800, "obs_matters": 5400, "obs_disputes": 120, "obs_meetings": 52}
    prof = read_profile(_write(tmp_path / f"p.{ext}", {"community": "幸福社区", **obs}))
    assert prof.name == "幸福社区"
    assert prof.observed == {k: float(v) for k, v in obs.items()}
    assert not set(obs) & set(prof.params)


# every class of bad cell: one error naming the sheet (xlsx), row, column, value and what is allowed
BAD = [
    ("residents", "many", "is not a number", "whole number 10–1,000,000"),
    ("residents", 2000.5, "is not a whole number", "whole number 10–1,000,000"),
    ("residents", 5, "is out of range", "whole number 10–1,000,000"),
    ("children_pct", 120, "is out of range", "percent 0–60%"),
    ("property_fee", "nan", "is not a finite number", "number 0–5,000"),
    ("households", "", "empty", "whole number 10–200,000"),
    ("residents", 5000, "is inconsistent", "at least the number of households"),
    ("party_members", 20000, "is inconsistent", "at most the adult residents"),
    ("buildings", 2, "is inconsistent", "at least one building per estate"),
    ("grid_workers", 8000, "is inconsistent", "at most the number of households"),
    ("community", "x" * 201, "longer than 200 characters", "text"),
]


@pytest.mark.parametrize("ext", EXT)
@pytest.mark.parametrize(("key", "value", "what", "allowed"), BAD, ids=[f"{b[0]}-{b[2]}" for b in BAD])
def test_bad_cell_names_sheet_row_column_value_and_allowed(tmp_path, ext, key, value, what, allowed):
    path = _write(tmp_path / f"p.{ext}", {key: value})
    with pytest.raises(ScenarioError) as err:
        read_profile(path)
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith(str(path))
    assert f"row {_row_of(key)}, column C" in msg and what in msg and f"allowed: {allowed}" in msg
    assert (f"sheet '{SHEET}'" in msg) == (ext == "xlsx")
    if value not in ("",):
        assert repr(value) in msg or str(value) in msg


@pytest.mark.parametrize("ext", EXT)
def test_unknown_duplicate_and_missing_fields(tmp_path, ext):
    with pytest.raises(ScenarioError, match=r"column A: unknown field 'resdents'; allowed: community, estates"):
        read_profile(_write(tmp_path / f"a.{ext}", extra_rows=[["resdents", "", 5]]))
    with pytest.raises(ScenarioError, match=r"field 'estates' again \(first in row 3\); allowed: each field once"):
        read_profile(_write(tmp_path / f"b.{ext}", extra_rows=[["estates", "", 5]]))
    with pytest.raises(ScenarioError, match=r"missing fields residents; allowed"):
        read_profile(_write(tmp_path / f"c.{ext}", drop=("residents",)))


def test_not_a_profile_file(tmp_path):
    (tmp_path / "x.xlsx").write_bytes(b"not a zip")
    with pytest.raises(ScenarioError, match="not a readable .xlsx workbook"):
        read_profile(tmp_path / "x.xlsx")
    with pytest.raises(ScenarioError, match="allowed: a .xlsx or .csv"):
        read_profile(tmp_path / "x.txt")
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.save(tmp_path / "nosheet.xlsx")
    with pytest.raises(ScenarioError, match="no sheet named 'profile'"):
        read_profile(tmp_path / "nosheet.xlsx")


def test_formulas_are_not_evaluated(tmp_path):
    # data only: a formula cell has no cached value in a file openpyxl wrote, so it reads as empty
    path = _write(tmp_path / "f.xlsx", {"households": "=7000+191"})
    with pytest.raises(ScenarioError, match=r"\(households\): (empty|value '=7000\+191' is not a number)"):
        read_profile(path)


# --- a profile wherever a scenario is --------------------------------------------------------


@pytest.mark.parametrize("ext", EXT)
def test_profile_is_a_scenario_and_a_scenario_builds_on_one(tmp_path, ext):
    prof = _write(tmp_path / f"my-community.{ext}", {"residents": 9000, "households": 3500, "community": "Y"})
    scen = load_scenario(prof)
    assert scen.name == "Y" and scen.params["residents"] == 9000 and scen.params["households"] == 3500
    toml = tmp_path / "policy.toml"
    toml.write_text(
        f'[scenario]\nname = "y-points"\ncommunity = "my-community.{ext}"\n\n[incentives]\npoints_budget = 0\n',
        encoding="utf-8",
    )
    s2 = load_scenario(toml)
    assert s2.params["residents"] == 9000 and s2.params["points_budget"] == 0
    # the scenario's own values win over the profile's
    toml.write_text(
        f'[scenario]\ncommunity = "my-community.{ext}"\n\n[population]\nresidents = 9500\n', encoding="utf-8"
    )
    assert load_scenario(toml).params["residents"] == 9500


def test_cli_template_run_and_one_line_errors(tmp_path, capsys):
    from sim.cli import main

    path = tmp_path / "my-community.xlsx"
    assert main(["community", "template", str(path), "--lang", "zh"]) == 0
    assert path.is_file()
    assert main(["community", "template", str(path)]) == 2  # no silent overwrite
    assert "exists" in capsys.readouterr().err
    assert main(["community", "check", str(path)]) == 0
    assert "households_per_grid_worker = 300" in capsys.readouterr().out
    bad = _write(tmp_path / "bad.xlsx", {"residents": "abc"})
    assert main(["community", "check", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith("cogov: error: ")
    assert f"sheet 'profile', row {_row_of('residents')}, column C (residents): value 'abc'" in err
    small = {"households": 300, "residents": 800, "buildings": 15, "grid_workers": 2, "party_members": 50}
    small = _write(tmp_path / "small.csv", {**small, "capable_residents": 3})
    out = tmp_path / "run"
    assert main(["run", str(small), "--ticks", "3", "--out", str(out)]) == 0
    assert (out / "manifest.json").is_file()


def test_every_field_has_units_and_both_languages():
    for f in FIELDS:
        assert f.en and f.zh and f.allowed("en") and f.allowed("zh")
        if f.kind != "text":
            assert f.unit_en and f.unit_zh
    assert BY_KEY["residents"].example == defaults()["residents"]


# --- calibration on a synthetic profile ---------------------------------------------------------


def test_calibration_recovers_a_known_value_within_its_interval(tmp_path):
    """Observed figures made by the model at base_logit = -8.7 give back -8.7 within the stated interval."""
    from sim.calibrate import simulate
    from sim.profile import calibrate_profile, profile_scenario, profile_targets, write_calibration

    known, seeds, ticks = -8.7, [1, 2, 3, 4], 240
    facts = {"households": 900, "residents": 2600, "buildings": 45, "grid_workers": 6, "party_members": 180}
    facts["capable_residents"] = 8
    path = _write(tmp_path / "synthetic.csv", facts)
    scen = profile_scenario(path)
    # what the model says at the known value: the community's "observed" registered volunteers
    probe = profile_targets(read_profile(_write(tmp_path / "probe.csv", {**facts, "obs_volunteers": 1})), ticks)
    share = float(simulate(scen, {"base_logit": known}, probe, seeds, ticks).iloc[:, 0].mean())
    volunteers = round(share * 2600)
    assert volunteers >= 20, "too few volunteers for a meaningful figure"
    prof = _write(tmp_path / "with-obs.csv", {**facts, "obs_volunteers": volunteers})
    fit = calibrate_profile(prof, seeds=len(seeds), ticks=ticks, max_evals=20)
    lo, hi = fit.interval["base_logit"]
    assert lo <= known <= hi, (fit.params, fit.interval)
    assert hi - lo < 1.5  # an interval that says something
    scen_file, report = write_calibration(fit, prof, tmp_path / "out")
    calibrated = load_scenario(scen_file)
    assert calibrated.params["residents"] == 2600
    assert math.isclose(calibrated.params["base_logit"], fit.params["base_logit"], rel_tol=1e-5)
    assert "| base_logit |" in report.read_text(encoding="utf-8")


def test_calibrate_says_when_the_figures_are_too_few(tmp_path, capsys):
    from sim.cli import main

    path = write_template(tmp_path / "no-obs.xlsx")
    assert main(["calibrate", str(path), "--seeds", "2", "--ticks", "5"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cogov: error: ") and "no observed figures to fit" in err
