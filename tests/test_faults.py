"""Fault injection (issue 8): kill or terminate `cogov sweep` and `cogov compare` at several moments,
resume, and get exactly the tables of an uninterrupted run; damage stored parts and get exactly
those recomputed.

The commands run in forked copies of this process (already imported, so a launch costs no
start-up time) through ``sim.cli.main``, the `cogov` entry point, and are stopped from outside
with real signals: SIGKILL as a crash or an out-of-memory kill would, SIGTERM as ``timeout``,
Slurm or a container runtime would.
"""

from __future__ import annotations

import os
import signal
import sys
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest

from experiments import runner, store, sweep
from experiments.design import load_sweep_file
from sim.cli import main

TINY = dict(households=50, residents=120, households_per_building=10, households_per_grid_worker=30, estates=2)
TINY_SET = [w for k, v in TINY.items() for w in ("--set", f"{k}={v}")]
TWO = ["government-led", "governance-partners"]
SWEEP_RUNS = 8


def sweep_file(tmp_path: Path) -> Path:
    """An 8-run sweep (2 budgets x 2 cadences x 2 seeds) of a tiny community, 30 days.

    Long enough that no run is stored before moment 0's signal: with 5 days a forked,
    already-imported sweep once finished all 8 runs within those 50 ms.
    """
    path = tmp_path / "fault-sweep.toml"
    path.write_text(
        """[sweep]
name = "faults"
base = "defaults"
design = "grid"
samples = 2
seeds = 2
ticks = 30

[vary]
points_budget = [0, 100000]
meeting_cadence = ["none", "weekly"]

[population]
residents = 120
households = 50
households_per_building = 10
estates = 2

[channels]
households_per_grid_worker = 30

[incentives]
points = true
""",
        encoding="utf-8",
    )
    return path


def forked(argv: list[str], log: Path) -> int:
    """Start ``cogov ARGV`` in a forked copy of this process, output appended to ``log``; return its pid."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # "multi-threaded, fork() may deadlock": the child
        pid = os.fork()  # only runs the command and never touches the parent's threads' locks it could hold
    if pid == 0:  # pragma: no cover - the child
        code = 70
        try:
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            sys.stdout = sys.stderr = open(log, "a", buffering=1, encoding="utf-8")  # noqa: SIM115
            signal.signal(signal.SIGINT, signal.default_int_handler)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            code = main([str(a) for a in argv])
        finally:
            sys.stdout.flush()
            os._exit(code)
    return pid


def wait_exit(pid: int, timeout: float = 300) -> int:
    deadline = time.time() + timeout
    while time.time() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.01)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    raise AssertionError("the command did not end")


def parts(out: Path) -> int:
    return len(list((out / "runs").glob("*.parquet"))) if (out / "runs").is_dir() else 0


def stop_at_moments(argv: list[str], out: Path, moments: list[int], sig: signal.Signals, log: Path) -> list[int]:
    """Start the command, stop it with ``sig`` once ``moments[i]`` runs are stored, again and again.

    Moment 0 is right after the start (setting up); a moment equal to the number of runs
    stops it after the last run, while it writes its tables. Returns the exit codes.
    """
    codes = []
    for at in moments:
        pid = forked(argv, log)
        deadline = time.time() + 300
        while parts(out) < at and time.time() < deadline:
            if os.waitpid(pid, os.WNOHANG)[0]:
                raise AssertionError(f"finished before moment {at}: {log.read_text()[-2000:]}")
            time.sleep(0.005)
        time.sleep(0.05 if at == 0 else 0.0)
        os.kill(pid, sig)
        codes.append(wait_exit(pid))
    return codes


def expected_codes(sig: signal.Signals) -> set[int]:
    # 143/130 when the command caught it; -N when it came before `main` set its handler (or SIGKILL);
    # 0 when the command had just finished
    return {143, -15, 0} if sig == signal.SIGTERM else {-9, 0}


# --- sweep -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sweep_reference(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ref")
    path = sweep_file(tmp)
    out = tmp / "ref"
    assert sweep.run_sweep(load_sweep_file(path), out, workers=0, quiet=True).finished == SWEEP_RUNS
    return path, out


def sweep_tables(out: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    table = store.load_sweep(out).sort_values(["point", "seed"]).reset_index(drop=True)
    summary = pd.read_parquet(out / "summary.parquet").sort_values(["point", "seed"]).reset_index(drop=True)
    series = store.load_series(out).sort_values(["run_id", "tick"]).reset_index(drop=True)
    return table, summary, series


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_sweep_stopped_at_five_moments_resumes_to_the_uninterrupted_tables(sweep_reference, tmp_path, sig):
    path, ref = sweep_reference
    out = tmp_path / "out"
    log = tmp_path / "log.txt"
    argv = ["sweep", path, "--workers", "0", "--quiet", "--out", out]
    codes = stop_at_moments(argv, out, [0, 1, 3, 5, SWEEP_RUNS], sig, log)
    assert set(codes) <= expected_codes(sig), (codes, log.read_text()[-3000:])
    if sig == signal.SIGTERM:
        assert codes.count(143) >= 3, codes  # caught and handled like Ctrl-C
    assert "Traceback" not in log.read_text()
    pid = forked(argv, log)
    assert wait_exit(pid) == 0, log.read_text()[-3000:]
    for a, b in zip(sweep_tables(ref), sweep_tables(out), strict=True):
        pd.testing.assert_frame_equal(a, b)
    assert parts(out) == SWEEP_RUNS
    assert not [p for p in out.rglob(".*.tmp")], "no temporary files left"


# --- compare ---------------------------------------------------------------------------------------


def compare_argv(out: Path) -> list[str]:
    # 30 days: long enough that no run is stored before moment 0's signal (as for the sweep above)
    return ["compare", *TWO, "--seeds", "2", "--ticks", "30", "--workers", "0", "--quiet", "--out", out, *TINY_SET]


@pytest.fixture(scope="module")
def compare_reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("cmpref") / "ref"
    assert main([str(a) for a in compare_argv(out)]) == 0
    return out


def compare_tables(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.read_csv(out / "outcomes.csv"), pd.read_csv(out / "final_values.csv")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_compare_stopped_at_five_moments_resumes_to_the_uninterrupted_tables(compare_reference, tmp_path, sig):
    out = tmp_path / "out"
    log = tmp_path / "log.txt"
    argv = compare_argv(out)
    codes = stop_at_moments(argv, out, [0, 1, 2, 3, 4], sig, log)
    assert set(codes) <= expected_codes(sig), (codes, log.read_text()[-3000:])
    if sig == signal.SIGTERM:
        assert codes.count(143) >= 3, codes
    assert "Traceback" not in log.read_text()
    pid = forked(argv, log)
    assert wait_exit(pid) == 0, log.read_text()[-3000:]
    for a, b in zip(compare_tables(compare_reference), compare_tables(out), strict=True):
        pd.testing.assert_frame_equal(a, b)
    assert parts(out) == 4


# --- damaged parts ---------------------------------------------------------------------------------


def truncate(p: Path) -> None:
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])


def garble(p: Path) -> None:
    data = bytearray(p.read_bytes())
    third = len(data) // 3
    data[third : 2 * third] = bytes((b ^ 0x5A) for b in data[third : 2 * third])  # same size, other bytes
    p.write_bytes(bytes(data))


def test_damaged_parts_and_only_those_are_recomputed(sweep_reference, tmp_path, monkeypatch, capsys):
    path, ref = sweep_reference
    out = tmp_path / "out"
    spec = load_sweep_file(path)
    with monkeypatch.context() as m:  # parts as a killed sweep leaves them, before they are gathered
        m.setattr(store, "compact_series", lambda directory: 0)
        sweep.run_sweep(spec, out, workers=0, quiet=True)
    ids = sorted(p.stem for p in (out / "runs").glob("*.parquet"))
    damage = {
        ids[0]: lambda r: truncate(out / "runs" / f"{r}.parquet"),
        ids[1]: lambda r: truncate(out / "series" / f"{r}.parquet"),
        ids[2]: lambda r: (out / "runs" / f"{r}.parquet").unlink(),
        ids[3]: lambda r: (out / "series" / f"{r}.parquet").unlink(),
        ids[4]: lambda r: garble(out / "runs" / f"{r}.parquet"),
        ids[5]: lambda r: garble(out / "series" / f"{r}.parquet"),
        ids[6]: lambda r: (out / "runs" / f"{r}.parquet").write_bytes(b""),
    }
    for rid, hurt in damage.items():
        hurt(rid)
    computed: list[str] = []
    real = runner.run_task

    def counting(task):
        computed.append(task["run_id"])
        return real(task)

    monkeypatch.setattr(runner, "run_task", counting)
    capsys.readouterr()
    res = sweep.run_sweep(spec, out, workers=0, quiet=True)
    err = capsys.readouterr().err
    assert sorted(computed) == sorted(damage), "exactly the damaged runs are computed again"
    assert res.finished == len(damage)
    warned = [ln for ln in err.splitlines() if ln.startswith("cogov: warning:")]
    # a deleted run part is an unfinished run (no warning); every other damage is named once
    assert len(warned) == len(damage) - 1, err
    for rid in set(damage) - {ids[2]}:
        assert sum(rid in ln for ln in warned) == 1, (rid, err)
    for a, b in zip(sweep_tables(ref), sweep_tables(out), strict=True):
        pd.testing.assert_frame_equal(a, b)
