"""Issue 8: runs that lose nothing, caches that heal, arguments checked before work starts.

Each reproduction of the issue is a test here. Populations are tiny and runs a few days long;
commands run in this process, or in a forked copy of it when a signal must hit them (a fork
starts at once, where a fresh interpreter spends seconds importing).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments import compare, runner, store, sweep
from experiments.design import SweepFileError, design_table, load_sweep_file
from sim import CommunityModel, ScenarioError
from sim import io as simio
from sim.cli import main

ROOT = Path(__file__).resolve().parents[1]
TINY = dict(households=50, residents=120, households_per_building=10, households_per_grid_worker=30, estates=2)
TINY_SET = [w for k, v in TINY.items() for w in ("--set", f"{k}={v}")]
TWO = ["government-led", "governance-partners"]


def cli(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(code: int, err: str) -> str:
    assert code == 2, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("cogov: error:"), err
    assert "Traceback" not in err
    return lines[0]


def sweep_file(tmp_path: Path, ticks: int = 3, extra: str = "", vary: str = "") -> Path:
    """An 8-run sweep (4 grid points x 2 seeds) of a tiny community."""
    vary = vary or 'points_budget = [0, 100000]\nmeeting_cadence = ["none", "weekly"]'
    path = tmp_path / "tiny-sweep.toml"
    path.write_text(
        f"""[sweep]
name = "tiny"
base = "defaults"
design = "grid"
samples = 2
seeds = 2
ticks = {ticks}
{extra}
[vary]
{vary}

[population]
residents = 120
households = 50
households_per_building = 10
estates = 2

[channels]
households_per_grid_worker = 30
""",
        encoding="utf-8",
    )
    return path


def forked(argv: list[str], log: Path, ready: Path | None = None) -> int:
    """Start ``cogov ARGV`` in a forked copy of this process (output to ``log``); return its pid.

    With ``ready``, the child creates that file when its model has simulated its first day.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # "multi-threaded": the child only runs the command
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 70
        try:
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            sys.stdout = sys.stderr = open(log, "a", buffering=1, encoding="utf-8")  # noqa: SIM115
            signal.signal(signal.SIGINT, signal.default_int_handler)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            if ready is not None:
                _mark_when_simulating(ready)
            code = main([str(a) for a in argv])
        finally:
            sys.stdout.flush()
            os._exit(code)
    return pid


def _mark_when_simulating(ready: Path) -> None:
    """Create ``ready`` after the first simulated day (the signal must hit a run, not its set-up)."""
    from sim.model import CommunityModel

    step = CommunityModel.step

    def marking_step(self):
        step(self)
        if not ready.exists():
            ready.touch()

    CommunityModel.step = marking_step


def wait_for(path: Path, pid: int, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while not path.exists():
        assert time.time() < deadline and not os.waitpid(pid, os.WNOHANG)[0], "the command never simulated"
        time.sleep(0.02)


def wait_exit(pid: int, timeout: float = 120) -> int:
    deadline = time.time() + timeout
    while time.time() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    raise AssertionError("the command did not end")


# --- item 3: SIGTERM like Ctrl-C; Ctrl-C while importing ------------------------------------------


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_during_a_run_writes_the_days_done(tmp_path, sig, code):
    out = tmp_path / "run"
    log = tmp_path / "log.txt"
    ready = tmp_path / "simulating"
    pid = forked(["run", "governance-partners", "--ticks", "10000000", "--out", out, *TINY_SET], log, ready)
    wait_for(ready, pid)
    time.sleep(0.2)
    os.kill(pid, sig)
    assert wait_exit(pid) == code, log.read_text()
    df = simio.read_run(out)  # whole and consistent
    manifest = df.attrs["manifest"]
    assert manifest["interrupted"] is True and manifest["signal"] == sig.name
    assert manifest["ticks"] >= 1 and len(df) == manifest["ticks"] + 1
    assert "Traceback" not in log.read_text()


def test_sigterm_from_timeout_exits_143_with_the_run_written(tmp_path):
    """The issue's reproduction in a fresh interpreter (the `cogov` script): ``timeout`` sends SIGTERM."""
    out = tmp_path / "run"
    ready = tmp_path / "simulating"
    args = ["run", "governance-partners", "--ticks", "10000000", "--out", str(out), *TINY_SET]
    prog = (
        "import sys\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from tests.test_reliability import _mark_when_simulating\n"
        "from pathlib import Path\n"
        "_mark_when_simulating(Path(sys.argv[2]))\n"
        "from sim.cli import main\n"
        "sys.exit(main(sys.argv[3:]))\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", prog, str(ROOT), str(ready), *args], cwd=ROOT, stderr=subprocess.PIPE, text=True
    )
    wait_for(ready, proc.pid, timeout=180)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 143, err
    manifest = simio.read_run(out).attrs["manifest"]
    assert manifest["interrupted"] is True and manifest["ticks"] >= 1
    assert "Traceback" not in err


def test_ctrl_c_while_importing_exits_130_without_a_traceback():
    # deterministic: the interrupt is raised while sim.scenario is being imported by sim.cli
    prog = (
        "import os, signal, sys, importlib.abc\n"
        "class Hook(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name == 'sim.scenario':\n"
        "            os.kill(os.getpid(), signal.SIGINT)\n"
        "        return None\n"
        "sys.meta_path.insert(0, Hook())\n"
        "from sim.cli import main\n"  # what the `cogov` script does
        "sys.exit(main(['list']))\n"
    )
    proc = subprocess.run([sys.executable, "-c", prog], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 130, proc.stderr
    assert "Traceback" not in proc.stderr and "KeyboardInterrupt" not in proc.stderr


# --- item 4: a run folder is written all or nothing -------------------------------------------------


def _tiny_run(ticks: int, seed: int = 1) -> CommunityModel:
    return CommunityModel("governance-partners", seed=seed, **TINY).run(ticks)


def test_manifest_records_size_and_sha256_of_every_file(tmp_path):
    paths = simio.write_run(_tiny_run(2), tmp_path / "r")
    manifest = json.loads(paths["manifest"].read_text())
    assert set(manifest["checksums"]) == {"results.parquet", "results.csv", "outcomes.png"}
    for name, want in manifest["checksums"].items():
        data = (tmp_path / "r" / name).read_bytes()
        assert want == {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temporary folder left"


def test_interrupted_write_into_an_earlier_runs_folder_leaves_the_earlier_run_whole(tmp_path, monkeypatch):
    out = tmp_path / "r"
    simio.write_run(_tiny_run(2), out)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(simio, "plot_outcomes", interrupted)  # Ctrl-C after the tables, before the figure
    with pytest.raises(KeyboardInterrupt):
        simio.write_run(_tiny_run(5), out)
    df = simio.read_run(out)
    assert len(df) == 3 and df.attrs["manifest"]["ticks"] == 2, "the earlier run, not a mix"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_read_run_refuses_files_that_do_not_match_the_manifest(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    simio.write_run(_tiny_run(2), a, figure=False)
    simio.write_run(_tiny_run(4), b, figure=False)
    (a / "results.parquet").write_bytes((b / "results.parquet").read_bytes())  # tables of another run
    with pytest.raises(simio.RunFilesError, match="results.parquet"):
        simio.read_run(a)
    (b / "manifest.json").unlink()
    with pytest.raises(simio.RunFilesError, match="manifest"):
        simio.read_run(b)


def test_a_second_write_into_the_same_folder_replaces_it_whole(tmp_path):
    out = tmp_path / "r"
    simio.write_run(_tiny_run(2), out, figure=False)
    (out / "outcomes.png").write_bytes(b"an old figure")
    simio.write_run(_tiny_run(4), out, figure=False)
    df = simio.read_run(out)
    assert len(df) == 5 and df.attrs["manifest"]["ticks"] == 4
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "results.csv", "results.parquet"]


# --- item 5: unwritable --out found before simulating -----------------------------------------------


@pytest.fixture
def no_work(monkeypatch):
    """Make any simulation fail the test: the output check must come first."""

    def forbidden(*args, **kwargs):
        raise AssertionError("simulation started before the output folder was checked")

    monkeypatch.setattr("sim.model.CommunityModel.__init__", forbidden)
    monkeypatch.setattr(runner, "execute", forbidden)
    monkeypatch.setattr("sim.validation.runner.main", forbidden)


def _bad_outs(tmp_path: Path) -> list[Path]:
    afile = tmp_path / "afile"
    afile.write_text("x")
    return [afile, afile / "sub", Path("/proc/cogov-test-out")]


@pytest.mark.parametrize("command", ["run", "compare", "compare-worlds", "explain", "sweep", "validate"])
def test_unwritable_out_is_refused_before_any_work(tmp_path, capsys, no_work, command):
    for out in _bad_outs(tmp_path):
        args = {
            "run": ["run", "governance-partners", "--ticks", "2"],
            "compare": ["compare", *TWO, "--seeds", "2", "--ticks", "2", "--workers", "0"],
            "compare-worlds": ["compare", *TWO, "--worlds", "2", "--seeds", "1", "--ticks", "2", "--workers", "0"],
            "explain": ["explain", *TWO, "--seeds", "1", "--ticks", "2", "--workers", "0"],
            "sweep": ["sweep", sweep_file(tmp_path), "--workers", "0"],
            "validate": ["validate", "--quick", "--case", "1"],
        }[command]
        code, _, err = cli(capsys, *args, "--out", out)
        line = one_error_line(code, err)
        assert str(out) in line, line


# --- item 6: damaged parts are recomputed -------------------------------------------------------------


def test_truncated_run_part_is_recomputed_with_one_warning(tmp_path, capsys):
    out = tmp_path / "cmp"

    def comparison():
        return compare.run_comparison(TWO, seeds=2, ticks=3, overrides=dict(TINY), workers=0, out=out)

    before = comparison().table
    capsys.readouterr()
    victim = sorted((out / "runs").glob("*.parquet"))[0]
    victim.write_bytes(victim.read_bytes()[:100])  # the issue: every resume then crashed in pyarrow
    after = comparison().table
    err = capsys.readouterr().err
    warnings_ = [ln for ln in err.splitlines() if "warning" in ln]
    assert len(warnings_) == 1 and victim.stem in warnings_[0], err
    assert "compare: 4/4 runs done" in err.replace("\r", "\n")  # recomputed: 3 stored + 1 new
    pd.testing.assert_frame_equal(before, after)


def test_truncated_series_part_is_not_taken_as_done(tmp_path, monkeypatch):
    spec = load_sweep_file(sweep_file(tmp_path))
    out = tmp_path / "sw"
    with monkeypatch.context() as m:  # as if killed before the finished sweep gathered its series parts
        m.setattr(store, "compact_series", lambda directory: 0)
        sweep.run_sweep(spec, out, workers=0, quiet=True)
    series = sorted((out / "series").glob("*.parquet"))[0]
    whole = store.load_series(out, [series.stem])
    series.write_bytes(series.read_bytes()[: series.stat().st_size // 2])
    res = sweep.run_sweep(spec, out, workers=0, quiet=True)
    assert res.finished == 1
    pd.testing.assert_frame_equal(whole, store.load_series(out, [series.stem]))


def test_truncated_gathered_series_is_recomputed_whole(tmp_path):
    spec = load_sweep_file(sweep_file(tmp_path))
    out = tmp_path / "sw"
    first = sweep.run_sweep(spec, out, workers=0, quiet=True)
    packed = out / "series.parquet"
    assert packed.is_file() and not list((out / "series").glob("*.parquet"))
    whole = store.load_series(out)
    assert sweep.run_sweep(spec, out, workers=0, quiet=True).finished == 0  # whole: nothing recomputed
    packed.write_bytes(packed.read_bytes()[: packed.stat().st_size // 2])
    res = sweep.run_sweep(spec, out, workers=0, quiet=True)
    assert res.finished == first.finished  # every run whose series it held is computed again
    pd.testing.assert_frame_equal(whole, store.load_series(out))


# --- item 7: workers --------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["compare", "sweep"])
def test_negative_workers_are_refused(tmp_path, capsys, no_work, command):
    args = ["compare", *TWO] if command == "compare" else ["sweep", sweep_file(tmp_path)]
    line = one_error_line(*cli(capsys, *args, "--workers", "-1", "--out", tmp_path / "o")[::2])
    assert "--workers" in line and "0" in line


# --- item 8: design size ------------------------------------------------------------------------------


def test_huge_grid_is_refused_before_it_is_built(tmp_path, capsys, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("the design was built")

    monkeypatch.setattr(sweep, "design_table", forbidden)
    vary = "\n".join(f"{p} = [0.1, 0.9]" for p in ["share_renters"])
    path = sweep_file(tmp_path, vary=vary)
    path.write_text(path.read_text().replace("samples = 2", "samples = 100000000").replace("seeds = 2", "seeds = 100"))
    spec = load_sweep_file(path)
    assert sweep.design_size(spec) == (100_000_000, 10_000_000_000)
    line = one_error_line(*cli(capsys, "sweep", path, "--out", tmp_path / "o")[::2])
    assert "10,000,000,000 runs" in line and "--max-runs" in line
    code, _, err = cli(capsys, "sweep", path, "--out", tmp_path / "o", "--max-runs", "100")
    assert code == 2 and "limit of 100" in err


@pytest.mark.parametrize(
    "design, extra",
    [("grid", ""), ("lhs", ""), ("sobol", ""), ("sobol", "second_order = true"), ("morris", "")],
)
def test_design_size_is_the_number_of_runs_built(tmp_path, design, extra):
    path = sweep_file(tmp_path, extra=extra, vary="points_budget = [0, 100000]\nshare_renters = [0.1, 0.5]")
    path.write_text(path.read_text().replace('design = "grid"', f'design = "{design}"'))
    spec = load_sweep_file(path)
    table, _ = design_table(spec)
    assert sweep.design_size(spec) == (table["point"].nunique(), len(table))


def test_run_count_is_printed_before_starting(tmp_path, capsys):
    sweep.run_sweep(load_sweep_file(sweep_file(tmp_path)), tmp_path / "o", workers=0)
    err = capsys.readouterr().err
    assert err.splitlines()[0].startswith("tiny: 8 runs (4 points × 2 seeds)")


# --- item 9: one seed range ----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [str(2**64), str(2**63), "-1", "1.5"])
def test_cli_seed_out_of_range_is_refused_and_nothing_written(tmp_path, capsys, seed):
    out = tmp_path / "o"
    line = one_error_line(*cli(capsys, "run", "governance-partners", "--seed", seed, "--out", out, *TINY_SET)[::2])
    assert "--seed" in line and str(2**63 - 1) in line
    assert not out.exists()


def test_largest_seed_runs_and_is_written(tmp_path, capsys):
    out = tmp_path / "o"
    seed = 2**63 - 1
    assert cli(capsys, "run", "governance-partners", "--seed", seed, "--ticks", "1", "--out", out, *TINY_SET)[0] == 0
    assert int(simio.read_run(out)["seed"].iloc[0]) == seed


@pytest.mark.parametrize("seed", [1.7, "abc", "3", True, 2**63, -1, float("nan"), float("inf")])
def test_api_refuses_a_seed_that_is_not_a_whole_number_in_range(seed):
    with pytest.raises(ScenarioError, match="seed"):
        CommunityModel(None, seed=seed, **TINY)


def test_api_takes_integral_numbers_as_seeds():
    assert CommunityModel(None, seed=3.0, **TINY).seed == 3
    assert CommunityModel(None, seed=np.int64(4), **TINY).seed == 4


@pytest.mark.parametrize("start, seeds", [(-5, 2), (2**63 - 1, 2)])
def test_sweep_seed_range_is_checked_up_front(tmp_path, capsys, start, seeds):
    path = sweep_file(tmp_path, extra=f"seed_start = {start}")
    with pytest.raises(SweepFileError, match="seed_start"):
        load_sweep_file(path)
    line = one_error_line(*cli(capsys, "sweep", path, "--out", tmp_path / "o")[::2])
    assert "seed_start" in line
    assert not (tmp_path / "o").exists()


# --- item 10: control characters -------------------------------------------------------------------------


@pytest.mark.parametrize("key, text", [("description", "a\\u0000b"), ("name", "x\\u001b[31m"), ("sources", "\\u0007")])
def test_control_characters_in_text_are_refused_up_front(tmp_path, capsys, key, text):
    path = tmp_path / "ctl.toml"
    path.write_text(f'[scenario]\n{key} = "{text}"\n', encoding="utf-8")
    out = tmp_path / "o"
    line = one_error_line(*cli(capsys, "run", path, "--ticks", "1", "--out", out, *TINY_SET)[::2])
    assert key in line and "control character" in line
    assert not out.exists()


def test_multiline_description_is_still_allowed(tmp_path):
    path = tmp_path / "ml.toml"
    path.write_text('[scenario]\ndescription = """two\nlines"""\n', encoding="utf-8")
    from sim import load_scenario

    assert load_scenario(path).description == "two\nlines"


def test_control_characters_in_a_sweep_name_are_refused(tmp_path, capsys):
    path = sweep_file(tmp_path)
    path.write_text(path.read_text().replace('name = "tiny"', 'name = "ti\\u0000ny"'))
    line = one_error_line(*cli(capsys, "sweep", path, "--out", tmp_path / "o")[::2])
    assert "name" in line and "U+0000" in line


# --- item 11: every error line starts with cogov: error: ----------------------------------------------------


def test_compare_error_of_several_lines_is_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[population]\nresidents = -5\nhouseholds = -1\n")
    line = one_error_line(*cli(capsys, "compare", "governance-partners", bad, "--out", tmp_path / "o")[::2])
    assert "residents" in line and "households" in line


def test_sweep_error_of_several_lines_is_one_line(tmp_path, capsys):
    path = sweep_file(tmp_path)
    path.write_text(path.read_text().replace("residents = 120", "residents = -5\nshare_elderly = 7"))
    one_error_line(*cli(capsys, "sweep", path, "--out", tmp_path / "o")[::2])


def test_failed_runs_of_a_comparison_are_reported_in_one_line(tmp_path, capsys, monkeypatch):
    def broken(task):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(runner, "run_task", broken)
    code, _, err = cli(capsys, "compare", *TWO, "--seeds", "2", "--ticks", "2", "--workers", "0", "--out", tmp_path)
    lines = [ln for ln in err.splitlines() if ln.strip() and not ln.startswith("compare:")]
    assert code == 1 and len(lines) == 1 and lines[0].startswith("cogov: error:") and "boom" in lines[0], err


# --- item 12: Chinese labels in outcomes.png -------------------------------------------------------------------


def test_plot_outcomes_uses_a_cjk_font_for_chinese_scenario_names(tmp_path, monkeypatch):
    import matplotlib

    from sim import plotting

    df = _tiny_run(3).results()
    df["scenario"] = "网格治理"
    with matplotlib.rc_context():
        monkeypatch.setattr(plotting, "_CJK_FONT", [])  # as in a fresh process
        matplotlib.rcParams["font.family"] = ["sans-serif"]
        if plotting.use_cjk_font() is None:
            pytest.skip("no CJK font installed (./bootstrap.sh fonts)")
        matplotlib.rcParams["font.family"] = ["sans-serif"]
        plotting._CJK_FONT.clear()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            plotting.plot_outcomes(df, tmp_path / "zh.png")
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert not missing, missing[:2]


def test_plot_outcomes_leaves_fonts_alone_for_latin_labels(tmp_path, monkeypatch):
    from sim import plotting

    calls = []
    monkeypatch.setattr(plotting, "use_cjk_font", lambda: calls.append(1))
    plotting.plot_outcomes(_tiny_run(2).results(), tmp_path / "en.png")
    assert calls == []
    assert plotting.has_cjk("网格") and plotting.has_cjk("ｘ") and not plotting.has_cjk("café", None)


def test_safety_error_line_joins_lines():
    from sim import safety

    assert safety.error_line("a\n  b\n\nc") == "cogov: error: a (and 2 more: b; c)"


@pytest.mark.parametrize("command", ["compare", "sweep"])
def test_unreachable_scheduler_is_one_error_line(tmp_path, capsys, command):
    import dask
    import distributed  # noqa: F401 - its config defaults must exist before the config is set below

    args = ["compare", *TWO, "--seeds", "2"] if command == "compare" else ["sweep", sweep_file(tmp_path)]
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        code, _, err = cli(capsys, *args, "--scheduler", "tcp://127.0.0.1:9", "--out", tmp_path / "o")
    line = one_error_line(code, "\n".join(ln for ln in err.splitlines() if not ln.startswith("tiny:")))
    assert "--scheduler tcp://127.0.0.1:9" in line


def test_run_into_a_writable_folder_inside_a_read_only_one(tmp_path, monkeypatch):
    """A container's mounted output folder: no temporary folder can be made beside it."""
    out = tmp_path / "mounted"
    out.mkdir()
    real = simio.tempfile.mkdtemp

    def no_sibling(prefix="", dir=None):
        if Path(dir) == tmp_path:
            raise PermissionError(13, "Permission denied")
        return real(prefix=prefix, dir=dir)

    monkeypatch.setattr(simio.tempfile, "mkdtemp", no_sibling)
    simio.write_run(_tiny_run(2), out, figure=False)
    assert len(simio.read_run(out)) == 3
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "results.csv", "results.parquet"]


def test_signals_ignored_by_the_caller_stay_ignored():
    from sim import safety

    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with safety.sigterm_as_interrupt():
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
            assert signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
        assert signal.getsignal(signal.SIGTERM) is not safety._on_sigterm
    finally:
        signal.signal(signal.SIGINT, previous)


def test_out_with_a_nul_is_one_error_line(tmp_path, capsys):
    one_error_line(*cli(capsys, "run", "governance-partners", "--out", f"{tmp_path}/a\0b", *TINY_SET)[::2])


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_out_is_refused(tmp_path, capsys, no_work):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        line = one_error_line(*cli(capsys, "run", "governance-partners", "--out", ro / "x", *TINY_SET)[::2])
        assert str(ro / "x") in line
    finally:
        ro.chmod(0o755)


def test_out_that_cannot_be_written_is_refused_even_as_root(tmp_path, monkeypatch):
    from sim import safety

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(safety.tempfile, "mkstemp", denied)  # what a read-only folder does to a non-root user
    with pytest.raises(safety.OutputError, match="Permission denied"):
        safety.check_output_dir(tmp_path / "x")


def test_module_entry_points_report_bad_options_in_one_line(capsys):
    for entry in (sweep.main, compare.main):
        with pytest.raises(SystemExit) as stop:
            entry(["a", "b", "--workers", "-1"])
        assert stop.value.code == 2
        one_error_line(2, capsys.readouterr().err)


def test_result_files_get_the_mode_an_ordinary_write_gives(tmp_path):
    # written through mkstemp and a rename, they used to be readable by their owner only (0600)
    import os

    import pandas as pd

    from experiments import store

    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    want = plain.stat().st_mode & 0o777
    store.atomic_write_bytes(tmp_path / "report.html", b"<html></html>")
    store.atomic_write_parquet(pd.DataFrame({"a": [1]}), tmp_path / "summary.parquet")
    for name in ("report.html", "summary.parquet"):
        assert (tmp_path / name).stat().st_mode & 0o777 == want, oct((tmp_path / name).stat().st_mode)
    mask = os.umask(0)
    os.umask(mask)
    assert want == 0o666 & ~mask  # the umask is left as it was
