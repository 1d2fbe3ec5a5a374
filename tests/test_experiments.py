"""Experiments: comparison statistics and report, resumable sweeps on dask, sensitivity wiring."""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from experiments import analysis, compare, design, store, sweep
from experiments.design import SweepFileError, load_sweep_file

ROOT = Path(__file__).resolve().parents[1]
SMOKE = ROOT / "experiments" / "smoke-sweep.toml"
TINY_POP = {
    "residents": 400,
    "households": 140,
    "households_per_building": 10,
    "households_per_grid_worker": 40,
    "estates": 2,
}
PY = sys.executable


def tiny_sweep_file(tmp_path: Path, ticks: int = 20, extra: str = "") -> Path:
    """A 20-run sweep (10 grid points x 2 seeds) of a tiny community."""
    text = f"""
[sweep]
name = "tiny"
base = "defaults"
design = "grid"
samples = 5
seeds = 2
ticks = {ticks}

[vary]
points_budget = [0, 100000]
meeting_cadence = ["none", "weekly"]

[population]
residents = 400
households = 140
households_per_building = 10
estates = 2

[channels]
households_per_grid_worker = 40

[incentives]
points = true
{extra}
"""
    path = tmp_path / "tiny-sweep.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --- statistics -----------------------------------------------------------------------------


def test_holm_matches_hand_computation():
    p = np.array([0.01, 0.04, 0.03, np.nan, 0.005])
    adj = compare.holm(p)
    # sorted: 0.005*4=0.02, 0.01*3=0.03, 0.03*2=0.06, 0.04*1=0.04 -> monotone 0.06
    assert np.allclose(adj[[4, 0, 2, 1]], [0.02, 0.03, 0.06, 0.06])
    assert math.isnan(adj[3])


def test_benjamini_hochberg_matches_hand_computation():
    p = np.array([0.01, 0.04, 0.03, 0.005])
    adj = compare.benjamini_hochberg(p)
    # sorted 0.005,0.01,0.03,0.04 -> *4/1..4 = 0.02,0.02,0.04,0.04
    assert np.allclose(adj[[3, 0, 2, 1]], [0.02, 0.02, 0.04, 0.04])


def test_outcome_table_pairs_seeds_and_flags_noise():
    rng = np.random.default_rng(0)
    seeds = range(1, 9)
    base = rng.normal(10, 1, 8)
    rows = [("A", s, v, 5.0) for s, v in zip(seeds, base, strict=True)]
    wiggle = np.tile([0.1, -0.1], 4)  # paired noise with mean 0: the true difference is exactly 3
    rows += [("B", s, v + 3 + w, 5.0) for s, v, w in zip(seeds, base, wiggle, strict=True)]
    finals = pd.DataFrame(rows, columns=["scenario", "seed", "backlog", "meetings"]).set_index(["scenario", "seed"])
    t = compare.outcome_table(finals, ["A", "B"], ["backlog", "meetings"]).set_index(["outcome", "scenario"])
    b = t.loc[("backlog", "B")]
    assert b["diff"] == pytest.approx(3.0) and b["diff_low"] < 3 < b["diff_high"] < 3.2
    assert b["p_adj"] < 0.001 and not b["within_noise"], "a shift of 3 sd with paired noise 0.1 is not noise"
    assert t.loc[("meetings", "B")]["family"] == "identical", "identical values are not a test"
    assert np.isnan(t.loc[("meetings", "B")]["p"]) and not t.loc[("meetings", "B")]["within_noise"]


# --- comparison end to end ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def comparison(tmp_path_factory):
    out = tmp_path_factory.mktemp("cmp")
    refs = ["government-led", "governance-partners"]
    if not set(refs) <= set(sim.preset_names()):  # presets not installed: two scenario files
        (out / "base.toml").write_text('[scenario]\ndescription = "defaults"\n')
        (out / "mediation.toml").write_text('[scenario]\ndescription = "mediation on"\n[disputes]\nmediation = true\n')
        refs = [str(out / "base.toml"), str(out / "mediation.toml")]
    comp = compare.run_comparison(refs, seeds=4, ticks=25, overrides=TINY_POP, workers=0, out=out, quiet=True)
    return comp, out


def test_compare_cis_contain_per_seed_means(comparison):
    comp, _ = comparison
    t = comp.table.set_index(["outcome", "scenario"])
    for name in ("participation", "backlog", "satisfaction", "disputes_total"):
        for scen in comp.names:
            per_seed = comp.finals.loc[scen][name].to_numpy(dtype=float)
            r = t.loc[(name, scen)]
            assert r["mean"] == pytest.approx(per_seed.mean())
            assert r["ci_low"] - 1e-12 <= per_seed.mean() <= r["ci_high"] + 1e-12
            assert r["n"] == 4


def test_compare_uses_common_seeds_and_matches_a_direct_run(comparison):
    comp, _ = comparison
    first = comp.scenarios[0]
    model = sim.CommunityModel(first, seed=3).run(25)
    direct = store.summary_values(model.results())  # participation: mean of days 1-25 (window 30)
    assert direct["participation"] == pytest.approx(model.results()["participation"].iloc[1:].mean())
    assert comp.finals.loc[(first.name, 3), "participation"] == pytest.approx(direct["participation"])
    for scen in comp.names:
        assert sorted(comp.finals.loc[scen].index) == [1, 2, 3, 4]


def test_report_is_self_contained_with_figures_assumptions_and_provenance(comparison):
    from experiments.report import write_report

    comp, out = comparison
    html = write_report(comp, out).read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == 3
    assert "http://" not in html and "https://" not in html and "<script" not in html
    assert "within noise" in html.lower()
    assert sim.__version__ in html and "1, 2, 3, 4" in html
    diff = set(__import__("experiments.report", fromlist=["x"]).differing_parameters(comp.scenarios))
    for name in diff:
        assert f"<code>{name}</code>" in html
    zh = write_report(comp, out, lang="zh").read_text(encoding="utf-8")
    assert "参与率" in zh and "情景比较" in zh
    assert (out / "outcomes.csv").exists() and (out / "manifest.json").exists()


def test_compare_cli_rejects_unknown_scenario(tmp_path, capsys):
    code = compare.main(["no-such-scenario", "also-missing", "--seeds", "2", "--out", str(tmp_path)])
    assert code == 2
    assert "no-such-scenario" in capsys.readouterr().err


# --- sweep files -------------------------------------------------------------------------------


def test_smoke_sweep_file_is_small():
    spec = load_sweep_file(SMOKE)
    table, tasks = design.design_table(spec)
    assert "smoke-sweep" in SMOKE.name
    assert 15 <= len(table) <= 30 and spec.ticks == 60
    assert len(tasks) == len(table)


@pytest.mark.parametrize(
    "edit, key",
    [
        (("points_budget = [0, 100000]", "no_such_param = [0, 1]"), "no_such_param"),
        (("points_budget = [0, 100000]", "points_budget = []"), "points_budget"),
        (("points_budget = [0, 100000]", "points_budget = [5, 5]"), "points_budget"),
        (('design = "grid"', 'design = "factorial"'), "design"),
        (("seeds = 2", "seedz = 2"), "seedz"),
        (("residents = 400", "residentz = 400"), "residentz"),
    ],
)
def test_malformed_sweep_file_names_file_and_key(tmp_path, capsys, edit, key):
    path = tiny_sweep_file(tmp_path)
    path.write_text(path.read_text().replace(*edit))
    with pytest.raises(SweepFileError, match=key):
        load_sweep_file(path)
    assert sweep.main([str(path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and key in err


def test_malformed_sweep_file_exits_2_from_the_command_line(tmp_path):
    path = tiny_sweep_file(tmp_path)
    path.write_text(path.read_text().replace('design = "grid"', 'design = "montecarlo"'))
    res = subprocess.run([PY, "-m", "experiments.sweep", str(path)], capture_output=True, text=True, cwd=tmp_path)
    assert res.returncode == 2
    assert str(path) in res.stderr and "design" in res.stderr and "grid, lhs, sobol, morris" in res.stderr


def test_run_ids_are_deterministic_and_depend_on_params_and_seed():
    p = sim.load_scenario(None).params
    assert store.run_id(p, 1, 10) == store.run_id(dict(p), 1, 10)
    assert store.run_id(p, 1, 10) != store.run_id(p, 2, 10)
    assert store.run_id(p, 1, 10) != store.run_id({**p, "turnover": 0.1}, 1, 10)


@pytest.mark.parametrize("name, n", [("lhs", 7), ("sobol", 4), ("morris", 3)])
def test_sampled_designs_stay_in_bounds_and_repeat(tmp_path, name, n):
    path = tiny_sweep_file(tmp_path)
    path.write_text(
        path.read_text().replace('design = "grid"', f'design = "{name}"').replace("samples = 5", f"samples = {n}")
    )
    spec = load_sweep_file(path)
    pts = design.points(spec)
    assert pts == design.points(load_sweep_file(path)), "same file, same design"
    assert all(0 <= p["points_budget"] <= 100000 and p["meeting_cadence"] in ("none", "weekly") for p in pts)
    expected = {"lhs": n, "sobol": n * (2 + 1 + 2), "morris": n * (2 + 1)}[name]  # sobol: + the dummy factor
    assert len(pts) == expected


# --- sweeps on dask ------------------------------------------------------------------------------


def _table(out: Path) -> pd.DataFrame:
    return store.load_sweep(out).sort_values(["point", "seed"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def reference_sweep(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ref")
    path = tiny_sweep_file(tmp)
    out = tmp / "ref"
    res = sweep.run_sweep(load_sweep_file(path), out, workers=1, quiet=True)
    assert res.finished == 20 and not res.failed
    return path, out


def test_sweep_with_one_and_two_workers_gives_identical_tables(reference_sweep, tmp_path):
    path, ref = reference_sweep
    out = tmp_path / "two"
    sweep.run_sweep(load_sweep_file(path), out, workers=2, quiet=True)
    a, b = _table(ref), _table(out)
    assert len(a) == 20 and a["participation"].notna().all()
    pd.testing.assert_frame_equal(a, b)
    sa = store.load_series(ref).sort_values(["run_id", "tick"]).reset_index(drop=True)
    sb = store.load_series(out).sort_values(["run_id", "tick"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(sa, sb)


def _worker_settings():
    import dask

    return (
        dask.config.get("distributed.worker.profile.enabled"),
        os.environ.get("MALLOC_TRIM_THRESHOLD_"),
    )


def test_local_cluster_workers_run_without_profiler_and_with_the_trim_threshold():
    """The settings that keep a run as fast in a worker as in-process reach the spawned workers."""
    from distributed import Client

    from experiments import runner

    runner.configure_dask()
    cluster = runner._local_cluster(1)
    try:
        with Client(cluster) as client:
            (got,) = client.run(_worker_settings).values()
    finally:
        cluster.close()
    assert got == (False, str(runner.MALLOC_TRIM_THRESHOLD))


def test_sweep_killed_midway_resumes_to_the_uninterrupted_result(reference_sweep, tmp_path):
    path, ref = reference_sweep
    slow = tiny_sweep_file(tmp_path, ticks=20)  # same sweep, new file
    out = tmp_path / "killed"
    proc = subprocess.Popen(
        [PY, "-m", "experiments.sweep", str(slow), "--workers", "1", "--out", str(out), "--quiet"],
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        deadline = time.time() + 120
        while time.time() < deadline and len(store.done_ids(out)) < 4:
            time.sleep(0.01)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the sweep and its dask workers, as a crash would
        proc.wait()
    done = len(store.done_ids(out))
    assert 4 <= done < 20, f"kill should land midway, {done} runs were stored"
    # a torn write left behind by the kill must not count as a finished run
    (out / "runs" / ".deadbeef.parquet.123.tmp").write_bytes(b"partial")
    res = sweep.run_sweep(load_sweep_file(slow), out, workers=1, quiet=True)
    assert res.finished == 20 - done, "only the missing runs are computed"
    assert not list((out / "runs").glob(".*.tmp"))
    pd.testing.assert_frame_equal(_table(ref), _table(out))
    assert len(list((out / "runs").glob("*.parquet"))) == 20
    again = sweep.run_sweep(load_sweep_file(slow), out, workers=0, quiet=True)
    assert again.finished == 0, "a finished sweep computes nothing"


def test_sweep_refuses_a_directory_of_another_sweep(reference_sweep, tmp_path):
    path, ref = reference_sweep
    other = tiny_sweep_file(tmp_path, ticks=21)
    with pytest.raises(sweep.SweepDirError, match="different sweep"):
        sweep.run_sweep(load_sweep_file(other), ref, workers=0, quiet=True)


# --- analysis --------------------------------------------------------------------------------------


def test_sobol_wiring_recovers_ishigami_indices(tmp_path):
    path = tmp_path / "ishigami.toml"
    # three numeric parameters used only as names; the values are mapped to [-pi, pi] below
    path.write_text("""
[sweep]
base = "defaults"
design = "sobol"
samples = 2048
[vary]
w_trust = [0, 1]
w_social = [0, 1]
w_status = [0, 1]
""")
    spec = load_sweep_file(path)
    pts = design.points(spec)
    x = np.array([[p["w_trust"], p["w_social"], p["w_status"]] for p in pts]) * 2 * np.pi - np.pi
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    idx = analysis.sobol_from_values(spec.problem(), y).set_index("parameter")
    expected_s1 = {"w_trust": 0.3139, "w_social": 0.4424, "w_status": 0.0}
    expected_st = {"w_trust": 0.5576, "w_social": 0.4424, "w_status": 0.2437}
    for name in expected_s1:
        assert idx.loc[name, "S1"] == pytest.approx(expected_s1[name], abs=0.05)
        assert idx.loc[name, "ST"] == pytest.approx(expected_st[name], abs=0.05)


def test_morris_wiring_ranks_a_linear_toy_function(tmp_path):
    path = tmp_path / "morris.toml"
    path.write_text(
        '[sweep]\nbase = "defaults"\ndesign = "morris"\nsamples = 10\n'
        "[vary]\nw_trust = [0, 1]\nw_social = [0, 1]\nw_status = [0, 1]\n"
    )
    spec = load_sweep_file(path)
    x = design.unit_sample(spec)
    pts = design.points(spec)
    assert np.allclose(x[:, 0], [p["w_trust"] for p in pts])
    y = 3 * x[:, 0] + 1 * x[:, 1] + 0 * x[:, 2]
    idx = analysis.morris_from_values(spec.problem(), x, y).set_index("parameter")
    assert idx.loc["w_trust", "mu_star"] == pytest.approx(3, abs=1e-9)
    assert idx.loc["w_social", "mu_star"] == pytest.approx(1, abs=1e-9)
    assert idx.loc["w_status", "mu_star"] == pytest.approx(0, abs=1e-9)


def test_scenario_discovery_finds_the_planted_region():
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"a": rng.uniform(0, 1, 400), "b": rng.uniform(0, 10, 400), "c": rng.choice(["x", "y"], 400)})
    df["conflict"] = ((df["a"] > 0.7) & (df["b"] < 4)).astype(float) + rng.normal(0, 0.01, 400)
    rules = analysis.discover(df, ["a", "b", "c"], "conflict", threshold=0.5, max_boxes=1, resamples=0)
    assert rules, "the planted region must be found"
    best = rules[0]
    text = best.text()
    assert "<= a" in text and "b <=" in text and best.density > 0.9 and best.coverage > 0.8
    assert "c " not in " AND ".join(best.conditions)


def test_later_discovery_boxes_hold_only_the_runs_outside_the_earlier_ones():
    # two planted regions that overlap in a corner: PRIM's second box peels the runs outside the
    # first, so the boxes' runs are disjoint and their coverages add up to at most 100%
    rng = np.random.default_rng(3)
    n = 1000
    df = pd.DataFrame({"a": rng.uniform(0, 1, n), "b": rng.uniform(0, 1, n), "c": rng.uniform(0, 1, n)})
    df["y"] = ((df["a"] > 0.7) | (df["b"] > 0.7)).astype(float)
    rules = analysis.discover(df, ["a", "b", "c"], "y", 0.5, max_boxes=2, resamples=0, min_coverage=0.4)
    assert len(rules) == 2, [r.text() for r in rules]
    total = int((df["y"] > 0.5).sum())
    assert sum(r.hits for r in rules) <= total
    assert sum(r.coverage for r in rules) <= 1.0 + 1e-12
    # the second box counts none of the first box's runs: with the corner (a > 0.7 and b > 0.7) in
    # both, counting over all runs would give coverages adding up to about 1.3
    assert rules[1].outside == 1 and rules[1].text().startswith("IF (outside the box above) AND ")
    assert rules[0].hits + rules[1].hits == pytest.approx(total, rel=0.1)
