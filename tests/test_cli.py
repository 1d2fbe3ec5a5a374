"""The ``cogov`` command line: user errors end in one line and exit code 2, never a traceback."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
if not (ROOT / "sim" / "cli.py").exists():
    pytest.skip("sim/cli.py not written yet", allow_module_level=True)

POP = "[population]\nhouseholds = 900\nresidents = 2600\nhouseholds_per_building = 20\n"


def cogov(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim.cli", *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def _one_error_line(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    return lines[0]


def main_in_process(capsys, *args: str) -> tuple[int, str, str]:
    """Run ``cogov`` in this process (cheaper than a subprocess); an escaping exception fails the test."""
    from sim.cli import main

    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def _one_error_line_in_process(code: int, out: str, err: str) -> str:
    assert code == 2, (code, out, err)
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    return lines[0]


def test_run_misspelled_key_exits_2_with_one_line(tmp_path):
    path = tmp_path / "typo.toml"
    path.write_text(POP + "[incentives]\npoints_budgt = 5000\n")
    line = _one_error_line(cogov("run", path, "--ticks", "3", "--out", tmp_path / "out"))
    assert "points_budgt" in line and "points_budget" in line
    assert not (tmp_path / "out").exists()  # failed fast, nothing written


@pytest.mark.parametrize(
    "text, key",
    [
        ("[incentives\npoints = true\n", "malformed TOML"),
        ("[population]\nshare_renters = 1.5\n", "share_renters"),
        ("[channels]\npoints = true\n", "points"),
        ('[scenario]\nextends = "typo.toml"\n', "cycle"),
    ],
)
def test_run_bad_file_exits_2_with_one_line(tmp_path, capsys, text, key):
    path = tmp_path / "typo.toml"
    path.write_text(text)
    line = _one_error_line_in_process(*main_in_process(capsys, "run", path, "--ticks", "3", "--out", tmp_path / "o"))
    assert key in line


def test_run_bad_set_exits_2(tmp_path, capsys):
    line = _one_error_line(cogov("run", "government-led", "--set", "pointz=true", "--out", tmp_path / "o"))
    assert "pointz" in line
    line = _one_error_line_in_process(*main_in_process(capsys, "run", "no-such-preset", "--out", tmp_path / "o"))
    assert "no-such-preset" in line
    line = _one_error_line_in_process(*main_in_process(capsys, "run", "government-led", "--ticks", "-3"))
    assert "-3" in line


def test_run_writes_results_and_manifest(tmp_path, capsys):
    path = tmp_path / "ok.toml"
    path.write_text(POP + "[incentives]\npoints = true\n")
    out = tmp_path / "out"
    code, stdout, err = main_in_process(capsys, "run", path, "--ticks", "5", "--seed", "3", "--check", "--out", out)
    assert code == 0, err
    df = pd.read_csv(out / "results.csv")
    assert len(df) == 6 and (df["seed"] == 3).all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 3 and manifest["parameters"]["points"] is True
    # the CLI run is the same run as the library's
    from sim import CommunityModel

    lib = CommunityModel(path, seed=3).run(5).results()
    pd.testing.assert_series_equal(df["participation"], lib["participation"], check_exact=False, rtol=1e-9)


def test_show_output_loads_back_as_the_same_scenario(tmp_path, capsys):
    from sim import load_scenario

    src = tmp_path / "src.toml"
    src.write_text(POP + "[incentives]\npoints = true\n[shock]\nshock_tick = 5\n[shock.shock_set]\npoints = false\n")
    code, stdout, err = main_in_process(capsys, "show", src, "--set", "mediation=true")
    assert code == 0, err
    shown = tmp_path / "shown.toml"
    shown.write_text(stdout)
    assert load_scenario(shown).params == load_scenario(src, mediation=True).params


def test_params_shows_each_parameters_kind_and_plausible_range(capsys):
    from sim.cli import main
    from sim.params import BY_NAME

    assert main(["params", "--section", "norms"]) == 0
    text = capsys.readouterr().out
    block = re.split(r"\n  (?=\S)", text[text.index("  reference_distance =") :])[0]
    lo, hi = BY_NAME["reference_distance"].plausible
    assert f"kind: assumption; plausible range {lo:g} … {hi:g}" in block
    block = re.split(r"\n  (?=\S)", text[text.index("  garbage_distance =") :])[0]
    assert "kind: lever" in block and "plausible" not in block
    assert main(["params", "--markdown", "--section", "norms"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert "| kind | plausible range |" in rows[0]
    row = next(r for r in rows if r.startswith("| `distance_elasticity`"))
    assert "| assumption | 0.4 … 1.2 |" in row


def test_params_says_which_parameters_a_dated_change_cannot_reach(capsys):
    from sim.cli import main

    assert main(["params", "--section", "population"]) == 0
    text = capsys.readouterr().out
    block = lambda name: re.split(r"\n  (?=\S)", text[text.index(f"  {name} =") :])[0]  # noqa: E731
    assert "during a run: fixed" in block("residents")
    assert "during a run: a dated change reaches newcomers only" in block("share_party")
    assert "during a run" not in block("community_wealth")  # read every day: a change simply takes effect
    assert main(["params", "--section", "cofunding"]) == 0
    text = capsys.readouterr().out
    assert "a later change reaches newcomers only" in block("cc_share")


def test_readme_python_example_works_after_a_plain_import_sim(tmp_path):
    # the README saves and plots with sim.io / sim.plotting after only `import sim`
    code = (
        "import sim\n"
        "m = sim.CommunityModel('governance-partners', seed=1, residents=300, households=100).run(3)\n"
        f"sim.io.write_run(m, {str(tmp_path / 'mine')!r})\n"
        f"sim.plotting.plot_outcomes(m.results(), {str(tmp_path / 'fig.png')!r})\n"
        f"print(len(sim.io.read_run({str(tmp_path / 'mine')!r})))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "fig.png").stat().st_size > 0
