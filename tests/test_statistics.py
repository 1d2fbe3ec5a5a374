"""Statistics of the experiments layer (issue 12): run summaries, effect sizes, test families,
source identity, Sobol noise, scenario discovery, calibration uncertainty."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments import compare, store
from sim.outcomes import HEADLINE, OUTCOME_KIND, OUTCOMES

TINY_POP = {
    "residents": 400,
    "households": 140,
    "households_per_building": 10,
    "households_per_grid_worker": 40,
    "estates": 2,
}


# --- item 1: outcome kinds and window summaries ------------------------------------------------


def test_every_outcome_has_a_kind_that_matches_its_meaning():
    assert set(OUTCOME_KIND) == set(OUTCOMES) - {"tick"}
    assert set(OUTCOME_KIND.values()) == {"flow", "stock", "cumulative"}
    for name, kind in OUTCOME_KIND.items():
        meaning = OUTCOMES[name]
        if "today" in meaning:
            assert kind == "flow", name
        if "so far" in meaning:
            assert kind == "cumulative", name
    flows = {
        "activities",
        "meetings",
        "meeting_attendance",
        "disputes_new",
        "disputes_escalated",
        "disputes_mediated",
        "norm_breaches",
        "home_visits",
        "paperwork_hours",
    }
    declared = {n for n, k in OUTCOME_KIND.items() if k == "flow"}
    assert flows <= declared  # the nine daily counts of the issue are flows
    for name in declared - flows:  # flows added by later mechanisms say they are the day's amount
        assert "today" in OUTCOMES[name] or "per day" in OUTCOMES[name], name


def _series(meeting_days: set[int], ticks: int = 60, seed: int = 1, level: float = 0.5) -> pd.DataFrame:
    """A per-tick table with every outcome 0 except meetings (on meeting_days) and a noisy stock."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"tick": np.arange(ticks + 1), "seed": seed})
    df = pd.concat([df, pd.DataFrame(0.0, index=df.index, columns=list(OUTCOME_KIND))], axis=1)
    df["meetings"] = [1.0 if t in meeting_days else 0.0 for t in df["tick"]]
    df["participation"] = level + rng.normal(0, 0.05, ticks + 1)
    df["disputes_total"] = np.arange(ticks + 1) * 2.0
    return df


def test_flow_outcome_is_summed_over_the_run_not_read_on_the_last_day():
    weekly = _series({t for t in range(1, 61) if t % 7 == 3})  # day 60 is not a meeting day
    v = store.summary_values(weekly, window=30)
    assert weekly.iloc[-1]["meetings"] == 0
    assert v["meetings"] == 9  # days 3, 10, ..., 59
    assert v["participation"] == pytest.approx(weekly["participation"].iloc[-30:].mean())
    assert v["disputes_total"] == 120  # cumulative: last day
    assert store.summary_values(weekly, window=5)["participation"] == pytest.approx(
        weekly["participation"].iloc[-5:].mean()
    )
    assert "total over days 1–60" == store.aggregation("meetings", 60)
    assert "mean of days 31–60" == store.aggregation("participation", 60)
    row = store.summary_row(weekly.assign(run_id="r1"))
    assert row.loc[0, "meetings"] == 9 and row.loc[0, "run_id"] == "r1" and row.loc[0, "window"] == 30


def test_flow_outcome_compared_over_a_window_is_not_within_noise():
    parts = []
    for seed in range(1, 6):
        parts.append(_series({t for t in range(1, 61) if t % 7 == 3}, seed=seed).assign(scenario="weekly"))
        parts.append(_series(set(), seed=seed).assign(scenario="none"))
    finals = compare.final_values(pd.concat(parts, ignore_index=True), window=30)
    t = compare.outcome_table(finals, ["none", "weekly"], ["meetings", "participation"]).set_index(
        ["outcome", "scenario"]
    )
    r = t.loc[("meetings", "weekly")]
    assert r["diff"] == 9 and r["verdict"] == "different", "52 vs 0 meetings a year is not 'within noise'"


# --- item 5: effect sizes and equivalence -------------------------------------------------------


def test_d_z_matches_hand_computation_and_ignores_the_spread_of_levels():
    a = np.array([10.0, 20.0, 30.0, 40.0])
    b = a + np.array([1.0, 2.0, 1.0, 2.0])
    # differences 1, 2, 1, 2: mean 1.5, sd sqrt(1/3)
    assert compare.d_z(a, b) == pytest.approx(1.5 / np.sqrt(1 / 3))
    assert compare.d_z(a * 100, a * 100 + (b - a)) == pytest.approx(compare.d_z(a, b))
    finals = pd.DataFrame(
        [("A", s, v) for s, v in enumerate(a)] + [("B", s, v) for s, v in enumerate(b)],
        columns=["scenario", "seed", "backlog"],
    ).set_index(["scenario", "seed"])
    r = compare.outcome_table(finals, ["A", "B"], ["backlog"]).set_index("scenario").loc["B"]
    assert r["d_z"] == pytest.approx(1.5 / np.sqrt(1 / 3))
    assert r["diff"] == pytest.approx(1.5) and r["rel_diff"] == pytest.approx(1.5 / 25)
    assert "effect_size" not in compare.outcome_table(finals, ["A", "B"], ["backlog"]).columns


def test_equivalence_test_separates_equivalent_from_inconclusive():
    rng = np.random.default_rng(3)
    a = rng.normal(10, 1, 30)
    b = a + rng.normal(0, 0.05, 30)  # tiny paired difference
    from statsmodels.stats.weightstats import ttost_paired

    assert compare.equivalence_p(a, b, 0.2) == pytest.approx(ttost_paired(b, a, -0.2, 0.2)[0])
    assert compare.equivalence_p(a, b, 0.2) < 0.001
    assert compare.equivalence_p(a, b, 0.001) > 0.5
    finals = pd.DataFrame(
        [("A", s, v) for s, v in enumerate(a)] + [("B", s, v) for s, v in enumerate(b)],
        columns=["scenario", "seed", "backlog"],
    ).set_index(["scenario", "seed"])
    eq = compare.outcome_table(finals, ["A", "B"], ["backlog"], sesoi={"backlog": 0.2}).set_index("scenario")
    assert eq.loc["B", "verdict"] == "equivalent"
    no = compare.outcome_table(finals, ["A", "B"], ["backlog"], sesoi={"backlog": 0.001}).set_index("scenario")
    assert no.loc["B", "verdict"] == "inconclusive"
    plain = compare.outcome_table(finals, ["A", "B"], ["backlog"]).set_index("scenario")
    assert plain.loc["B", "verdict"] == "within noise"


def test_parse_sesoi_rejects_bad_items():
    assert compare.parse_sesoi(["participation=0.02"]) == {"participation": 0.02}
    for bad in ("nope=1", "participation=-1", "participation=abc"):
        with pytest.raises(ValueError, match="allowed"):
            compare.parse_sesoi([bad])


# --- item 6: test families --------------------------------------------------------------------


def _family_finals(n_seeds: int = 8) -> tuple[pd.DataFrame, list[str]]:
    rng = np.random.default_rng(7)
    names = ["participation", "backlog", "satisfaction", "meetings", "fines", "residents", "activities"]
    shifts = {"participation": 0.5, "backlog": 0.9, "satisfaction": 0.0, "meetings": 0.8, "fines": 0.0}
    rows = []
    base = {n: rng.normal(10, 1, n_seeds) for n in names}
    for s in range(n_seeds):
        rows.append({"scenario": "A", "seed": s, **{n: base[n][s] for n in names}, "residents": 400.0})
        b = {n: base[n][s] + shifts.get(n, 0.3) + rng.normal(0, 0.6) for n in names}
        rows.append({"scenario": "B", "seed": s, **b, "residents": 400.0})
    return pd.DataFrame(rows).set_index(["scenario", "seed"]), names


def test_family_split_holm_for_headline_bh_for_the_rest_and_identical_outcomes_dropped():
    from statsmodels.stats.multitest import multipletests

    finals, names = _family_finals()
    t = compare.outcome_table(finals, ["A", "B"], names).set_index(["outcome", "scenario"])
    b = t.xs("B", level="scenario")
    conf = [n for n in names if n in HEADLINE]
    expl = [n for n in names if n not in HEADLINE and n != "residents"]
    assert set(b.index[b["family"] == "confirmatory"]) == set(conf)
    assert set(b.index[b["family"] == "exploratory"]) == set(expl)
    assert b.loc["residents", "family"] == "identical" and np.isnan(b.loc["residents", "p"])
    assert np.allclose(b.loc[conf, "p_adj"], multipletests(b.loc[conf, "p"], method="holm")[1])
    assert np.allclose(b.loc[expl, "p_adj"], multipletests(b.loc[expl, "p"], method="fdr_bh")[1])
    # CIs agree with the adjusted tests: a CI excludes 0 exactly when the adjusted p < 0.05
    tested = b[b["family"].isin(["confirmatory", "exploratory"])]
    excludes = (tested["diff_low"] > 0) | (tested["diff_high"] < 0)
    assert (excludes == (tested["p_adj"] < 0.05)).all()
    assert (tested["ci_level"] >= 0.95).all()


def test_adjusted_level_holm_and_bh_by_hand():
    p = np.array([0.001, 0.004, 0.03, 0.5])
    # Holm: 0.001*4, 0.004*3 rejected; 0.03*2 = 0.06 not: r = 2, level alpha/(4-2)
    assert compare.adjusted_level(p, "holm") == pytest.approx(0.05 / 2)
    # BH: 0.03 <= 3*0.05/4 = 0.0375 -> R = 3, level 3*0.05/4
    assert compare.adjusted_level(p, "bh") == pytest.approx(3 * 0.05 / 4)
    assert compare.adjusted_level(np.array([0.2, 0.6]), "bh") == pytest.approx(0.05 / 2)


# --- item 7: achieved common-random-numbers gain ----------------------------------------------


def test_crn_gain_by_hand():
    a = np.array([1.0, 2.0, 3.0, 4.0])
    b = np.array([1.5, 2.0, 3.5, 4.0])
    corr, vr = compare.crn_gain(a, b)
    assert corr == pytest.approx(np.corrcoef(a, b)[0, 1])
    assert vr == pytest.approx(1 - np.var(b - a, ddof=1) / (np.var(a, ddof=1) + np.var(b, ddof=1)))
    rng = np.random.default_rng(0)
    _, vr_indep = compare.crn_gain(rng.normal(size=200), rng.normal(size=200))
    assert abs(vr_indep) < 0.2, "independent runs gain nothing from pairing"


# --- item 8: settling -------------------------------------------------------------------------


def test_settling_flags_a_still_rising_outcome():
    parts = []
    for seed in (1, 2):
        df = _series(set(), ticks=120, seed=seed)
        df["belonging"] = 0.1 + df["tick"] * 0.002  # still rising linearly
        df["satisfaction"] = 0.6  # flat
        parts.append(df.assign(scenario="A"))
    st = compare.settling(pd.concat(parts), ["belonging", "satisfaction", "disputes_total"], 30).set_index("outcome")
    assert not st.loc["belonging", "settled"]
    assert st.loc["satisfaction", "settled"]
    assert st.loc["disputes_total", "settled"], "a constant daily rate of a running total has settled"


# --- item 4: source identity ---------------------------------------------------------------------


def test_source_identity_is_recorded_and_runs_from_other_sources_are_refused(tmp_path, capsys, monkeypatch):
    refs = ["government-led", "governance-partners"]
    kw = dict(seeds=2, ticks=3, overrides=TINY_POP, workers=0, out=tmp_path, quiet=True)
    comp = compare.run_comparison(refs, **kw)
    parts = sorted((tmp_path / "runs").glob("*.parquet"))
    assert parts and all(pd.read_parquet(p)["source"].iloc[0] == store.source_identity() for p in parts)
    assert comp.source == store.source_identity()
    compare.run_comparison(refs, **kw)  # same sources: reused
    monkeypatch.setattr(store, "source_identity", lambda: "0123456789abcdef")
    with pytest.raises(store.StaleRunsError, match="--fresh"):
        compare.run_comparison(refs, **kw)
    sets = [w for k, v in TINY_POP.items() for w in ("--set", f"{k}={v}")]
    code = compare.main(
        [*refs, "--seeds", "2", "--ticks", "3", "--out", str(tmp_path), "--workers", "0", "--quiet", *sets]
    )
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and err.startswith("cogov: error: ") and "--fresh" in err
    again = compare.run_comparison(refs, fresh=True, **kw)
    assert all(pd.read_parquet(p)["source"].iloc[0] == "0123456789abcdef" for p in (tmp_path / "runs").glob("*"))
    assert again.finals.equals(comp.finals)


def test_source_identity_changes_with_the_model_code(tmp_path, monkeypatch):
    import shutil

    import sim

    src = tmp_path / "pkg" / "sim"
    shutil.copytree(__import__("pathlib").Path(sim.__file__).parent, src, ignore=shutil.ignore_patterns("__pycache__"))
    fake = type("M", (), {"__file__": str(src / "__init__.py")})
    monkeypatch.setitem(__import__("sys").modules, "sim", fake)
    store.source_identity.cache_clear()
    try:
        first = store.source_identity()
        store.source_identity.cache_clear()
        (src / "model.py").write_text((src / "model.py").read_text() + "\n# edited\n")
        assert store.source_identity() != first
    finally:
        store.source_identity.cache_clear()


# --- item 3: Sobol indices and seed noise ---------------------------------------------------------


def _sobol_file(tmp_path, samples: int = 256, seeds: int = 2, extra: str = ""):
    path = tmp_path / "sobol.toml"
    path.write_text(
        f'[sweep]\nbase = "defaults"\ndesign = "sobol"\nsamples = {samples}\nseeds = {seeds}\nticks = 1\n{extra}'
        "[vary]\nw_trust = [0, 1]\nw_social = [0, 1]\nw_status = [0, 1]\n"
    )
    return path


def _fake_sweep(tmp_path, signal, noise_sd: float, samples: int = 256):
    """A stored Sobol sweep whose outcomes are computed, not simulated: signal(params) + noise(params, seed)."""
    import zlib

    from experiments import design, sweep

    spec = design.load_sweep_file(_sobol_file(tmp_path, samples))
    out = tmp_path / "sweep"
    todo, _ = sweep.prepare(spec, out)
    for t in todo:
        p = t["params"]
        key = f"{p['w_trust']:.12f}|{p['w_social']:.12f}|{p['w_status']:.12f}|{t['seed']}"
        noise = np.random.default_rng(zlib.crc32(key.encode())).normal(0, noise_sd)  # same run, same draw
        row = {"run_id": t["run_id"], "seed": t["seed"], "backlog": signal(p) + noise, "pure_noise": noise}
        store.atomic_write_parquet(pd.DataFrame([row]), out / "runs" / f"{t['run_id']}.parquet")
    return out


def test_sobol_design_needs_two_seeds_and_a_power_of_two(tmp_path):
    from experiments.design import SweepFileError, load_sweep_file

    with pytest.raises(SweepFileError, match="power of two"):
        load_sweep_file(_sobol_file(tmp_path, samples=12))
    with pytest.raises(SweepFileError, match="seeds"):
        load_sweep_file(_sobol_file(tmp_path, seeds=1))
    spec = load_sweep_file(_sobol_file(tmp_path, samples=8))
    assert spec.problem()["names"][-1] == "dummy"


def test_noise_only_outcome_has_a_high_noise_share_and_a_dummy_index_like_the_others(tmp_path):
    from experiments import analysis

    out = _fake_sweep(tmp_path, lambda p: 5 * p["w_trust"], noise_sd=0.01)
    with pytest.warns(analysis.NoisyOutcomeWarning, match="pure_noise"):
        noisy = analysis.sobol_indices(out, "pure_noise")
    assert noisy.attrs["noise_share"] > 0.5
    st = noisy.set_index("parameter")["ST"]
    others = st.drop("dummy")
    assert st["dummy"] > 0.5 and abs(st["dummy"] - others.median()) < 0.35, "pure noise: the dummy is like the rest"
    assert (others < st["dummy"] + noisy.set_index("parameter")["ST_conf"]["dummy"]).all()
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", analysis.NoisyOutcomeWarning)
        clean = analysis.sobol_indices(out, "backlog")
    c = clean.set_index("parameter")
    assert clean.attrs["noise_share"] < 0.01
    assert c.loc["w_trust", "ST"] > 0.95 and c.loc["dummy", "ST"] < 0.01
    assert clean.attrs["dummy_ST"] == pytest.approx(c.loc["dummy", "ST"])
    assert c.loc["w_trust", "ST_half"] == pytest.approx(c.loc["w_trust", "ST"], abs=0.05)
    assert clean.attrs["max_ST_change"] < 0.05 and clean.attrs["N"] == 256 and clean.attrs["seeds"] == 2
    assert "salib_version" in clean.attrs
    unit = pd.read_parquet(out / "unit_design.parquet")
    assert list(unit.columns) == ["w_trust", "w_social", "w_status", "dummy"] and len(unit) == 256 * 6
    man = store.read_manifest(out)
    assert man["versions"]["SALib"] and man["source"] == store.source_identity() and man["dummy_factor"]


def test_sobol_keeps_second_order_indices(tmp_path):
    from experiments import analysis, design

    spec = design.load_sweep_file(_sobol_file(tmp_path, samples=512, extra="second_order = true\n"))
    x = design.unit_sample(spec)
    y = x[:, 0] * x[:, 1] * 4 + x[:, 2]
    idx = analysis.sobol_from_values(spec.problem(), y, second_order=True)
    s2 = idx.attrs["S2"]
    assert s2.loc["w_trust", "w_social"] > 0.1 and abs(s2.loc["w_trust", "w_status"]) < 0.05


# --- item 2: scenario discovery by PRIM ---------------------------------------------------------


def test_prim_recovers_a_planted_box_with_a_categorical_condition():
    from experiments import analysis

    rng = np.random.default_rng(1)
    n = 300
    df = pd.DataFrame({"a": rng.uniform(0, 1, n), "b": rng.uniform(0, 10, n), "c": rng.choice(["x", "y", "z"], n)})
    inside = (df["c"] == "y") & (df["a"] > 0.5)
    df["conflict"] = inside.astype(float) + rng.normal(0, 0.01, n)
    rules = analysis.discover(df, ["a", "b", "c"], "conflict", 0.5, max_boxes=1, resamples=3)
    best = rules[0]
    assert "c in {y}" in best.conditions, best.text()  # not "c in {y, z}": categories are not ordered
    lo = [c for c in best.conditions if c.endswith("<= a")]
    assert lo and 0.4 < float(lo[0].split()[0]) < 0.6
    assert not any(" b" in c or c.startswith("b") for c in best.conditions)
    truth = int(inside.sum())
    assert best.density > 0.9 and best.coverage > 0.85 and best.hits <= truth
    assert best.qp["c"] < 0.01 and best.qp["a"] < 0.01 and best.stability["c"] == 1.0


def test_prim_recovers_a_planted_numeric_box():
    from experiments import analysis

    rng = np.random.default_rng(2)
    n = 300
    df = pd.DataFrame({"a": rng.uniform(0, 1, n), "b": rng.uniform(0, 10, n), "k": rng.uniform(0, 1, n)})
    df["y"] = ((df["a"] > 0.7) & (df["b"] < 4)).astype(float)
    best = analysis.discover(df, ["a", "b", "k"], "y", 0.5, max_boxes=1, resamples=0)[0]
    conds = " AND ".join(best.conditions)
    assert "<= a" in conds and "b <=" in conds and "k" not in conds
    assert best.density > 0.9 and best.coverage > 0.8


def test_discovery_refuses_a_saltelli_design(tmp_path):
    from experiments import analysis

    out = _fake_sweep(tmp_path, lambda p: p["w_trust"], noise_sd=0.1, samples=8)
    with pytest.raises(ValueError, match="lhs"):
        analysis.discover_sweep(out, "backlog", 0.5)


# --- item 9: provenance and loading ----------------------------------------------------------------


def _tiny_grid_sweep(tmp_path):
    from experiments import design

    path = tmp_path / "grid.toml"
    path.write_text(
        '[sweep]\nbase = "defaults"\ndesign = "grid"\nsamples = 2\nseeds = 2\nticks = 3\n'
        "[vary]\nw_social = [0.5, 4.0]\n"
        "[population]\nresidents = 400\nhouseholds = 140\nhouseholds_per_building = 10\nestates = 2\n"
        "[channels]\nhouseholds_per_grid_worker = 40\n"
    )
    return design.load_sweep_file(path)


def test_sweep_summary_is_read_when_current_and_series_form_one_dataset(tmp_path, monkeypatch):
    from experiments import sweep

    spec = _tiny_grid_sweep(tmp_path)
    out = tmp_path / "s"
    sweep.run_sweep(spec, out, workers=0, quiet=True)
    assert (out / "summary.parquet").exists() and (out / "series.parquet").exists()
    assert not list((out / "series").glob("*.parquet")), "the per-run parts were gathered into one dataset"
    import pyarrow.parquet as pq

    assert pq.ParquetFile(out / "series.parquet").metadata.num_row_groups == 4  # one per run
    full = store.load_series(out)
    one = store.load_series(out, [full["run_id"].iloc[0]])
    assert set(one["run_id"]) == {full["run_id"].iloc[0]} and len(one) == 4
    man = store.read_manifest(out)
    assert set(man["versions"]) >= {"SALib", "scipy", "pandas", "scikit-learn", "dask"}
    assert "git_commit" in man and man["source"] == store.source_identity()
    slow = store.load_sweep(out)
    calls = []
    monkeypatch.setattr(store, "_merge_parts", lambda *a: calls.append(a) or slow)
    fast = store.load_sweep(out)
    assert not calls, "a current summary.parquet is read instead of one file per run"
    pd.testing.assert_frame_equal(fast, slow)
    (out / "runs" / f"{slow['run_id'].iloc[0]}.parquet").unlink()  # summary no longer current
    store.load_sweep(out)
    assert calls


def test_sweep_refuses_runs_of_other_sources_and_recomputes_with_fresh(tmp_path, capsys):
    from experiments import sweep

    spec = _tiny_grid_sweep(tmp_path)
    out = tmp_path / "s"
    sweep.run_sweep(spec, out, workers=0, quiet=True)
    part = next((out / "runs").glob("*.parquet"))
    df = pd.read_parquet(part).assign(source="older-code")
    store.atomic_write_parquet(df, part)
    with pytest.raises(store.StaleRunsError, match="1 stored runs"):
        sweep.prepare(spec, out)
    todo, _ = sweep.prepare(spec, out, fresh=True)
    assert len(todo) == 4


# --- item 11: calibration with uncertainty ---------------------------------------------------------


def test_history_matching_keeps_the_true_value_and_rules_out_far_ones():
    from sim import calibrate

    fixed = dict(TINY_POP)
    seeds, ticks, true = (1, 2, 3), 15, -9.0
    sims = calibrate.simulate(
        calibrate.load_scenario("governance-partners", **fixed),
        {**fixed, "base_logit": true},
        [calibrate.Target("participation", 0.0)],
        seeds,
        ticks,
    )
    observed = float(sims["participation"].mean())
    target = calibrate.Target("participation", observed)
    hm = calibrate.history_match(
        "governance-partners", [target], {"base_logit": (-12.0, -5.0)}, seeds, ticks, fixed, points=8, waves=2
    )
    lo, hi = hm.plausible["base_logit"]
    assert lo <= true <= hi, hm.summary()
    assert hi - lo < 5.0, "the targets must narrow the box"
    far = [p for p in hm.points if abs(p["base_logit"] - true) >= 2.5]
    assert far and not any(p["plausible"] for p in far)
    t = calibrate.Target("participation", 0.1)
    # implausibility by hand: |0.13 - 0.1| / sqrt(0.005^2 + 0.005^2 + 0.02^2 / 4)
    assert calibrate.implausibility(t, 0.13, 0.02, 4, 0.05, 0.05) == pytest.approx(
        0.03 / np.sqrt(0.005**2 + 0.005**2 + 0.0001)
    )


# --- item 10: EMA Workbench adapter ------------------------------------------------------------------


def test_ema_scripts_run_through_the_store_and_resume(tmp_path):
    from ema_workbench import RealParameter, ScalarOutcome, perform_experiments

    from experiments.ema import StoreEvaluator, cogov_model, run_cogov

    model = cogov_model("defaults", ticks=3, **TINY_POP)
    model.uncertainties = [RealParameter("w_social", 0.5, 4.0)]
    model.outcomes = [ScalarOutcome("participation"), ScalarOutcome("activities")]
    with StoreEvaluator(model, tmp_path, workers=0) as ev:
        exps, outs = perform_experiments(model, scenarios=3, evaluator=ev, uncertainty_sampling_kwargs={"rng": 7})
    assert len(list((tmp_path / "runs").glob("*.parquet"))) == 3 and ev.last.finished == 3
    direct = run_cogov("defaults", ticks=3, w_social=float(exps["w_social"].iloc[1]), **TINY_POP)
    assert outs["participation"][1] == pytest.approx(direct["participation"])
    assert outs["activities"][1] == pytest.approx(direct["activities"])
    with StoreEvaluator(model, tmp_path, workers=0) as ev2:
        _, again = perform_experiments(model, scenarios=3, evaluator=ev2, uncertainty_sampling_kwargs={"rng": 7})
    assert ev2.last.finished == 0, "stored runs are reused"
    assert np.allclose(again["participation"], outs["participation"])


# --- item 8: burn-in -----------------------------------------------------------------------------


def test_summary_after_a_burn_in_counts_only_the_later_days():
    s = _series({2, 9, 12}, ticks=12)
    s["project_overrun"] = 1.5  # a running mean: not restartable
    v = store.summary_values(s, window=30, start=5)
    assert v["meetings"] == 2  # days 9 and 12, not day 2
    assert v["disputes_total"] == 14  # 24 - 10: counted from day 5
    assert v["participation"] == pytest.approx(s["participation"].iloc[6:].mean())
    assert v["project_overrun"] == 1.5
    assert store.aggregation("disputes_total", 7, 30, start=5) == "increase from day 5 to day 12"
    assert store.aggregation("meetings", 7, 30, start=5) == "total over days 6–12"


def test_burn_in_runs_the_baseline_until_the_scenarios_differ(tmp_path):
    (tmp_path / "a.toml").write_text(
        '[scenario]\ndescription = "no meetings"\n[consultation]\nmeeting_cadence = "none"\n'
    )
    (tmp_path / "b.toml").write_text('[scenario]\ndescription = "weekly"\n[consultation]\nmeeting_cadence = "weekly"\n')
    refs = [str(tmp_path / "a.toml"), str(tmp_path / "b.toml")]
    kw = dict(seeds=2, ticks=14, overrides=TINY_POP, workers=0, quiet=True)
    comp = compare.run_comparison(refs, out=tmp_path / "burn", burn_in=10, **kw)
    s = comp.series.sort_values(["scenario", "seed", "tick"])
    assert s["tick"].max() == 24
    early = s[s["tick"] <= 10]
    a, b = (early[early["scenario"] == n].drop(columns="scenario").reset_index(drop=True) for n in comp.names)
    pd.testing.assert_frame_equal(a, b)  # same parameters during the burn-in: identical runs
    assert (s[(s["tick"] > 10) & (s["scenario"] == comp.names[1])]["meetings"] > 0).any()
    for seed in comp.seeds:
        g = s[(s["scenario"] == comp.names[1]) & (s["seed"] == seed)]
        assert comp.finals.loc[(comp.names[1], seed), "meetings"] == g[g["tick"] > 10]["meetings"].sum()
    cold = compare.run_comparison(refs, out=tmp_path / "cold", **kw)
    assert not set(cold.run_ids[comp.names[0]]) & set(comp.run_ids[comp.names[0]])


def test_report_states_the_burn_in_and_the_summary_of_each_outcome(tmp_path):
    from experiments.report import write_report

    (tmp_path / "a.toml").write_text('[scenario]\ndescription = "a"\n[consultation]\nmeeting_cadence = "none"\n')
    (tmp_path / "b.toml").write_text('[scenario]\ndescription = "b"\n[consultation]\nmeeting_cadence = "weekly"\n')
    refs = [str(tmp_path / "a.toml"), str(tmp_path / "b.toml")]
    comp = compare.run_comparison(
        refs, seeds=3, ticks=8, overrides=TINY_POP, workers=0, quiet=True, out=tmp_path, burn_in=5
    )
    html = write_report(comp, tmp_path).read_text(encoding="utf-8")
    assert "Burn-in: every run first simulated 5 days" in html
    assert "total over days 6–13" in html and "mean of days 6–13" in html
    m_conf = int((comp.table["family"] == "confirmatory").sum())
    m_expl = int((comp.table["family"] == "exploratory").sum())
    assert 0 < m_conf <= 8 and m_expl > 0
    assert f"confirmatory family ({m_conf} tests, Holm)" in html and f"exploratory ({m_expl} tests" in html
    assert "Not tested:" in html
    assert "median" in html and "CRN" in html
    assert "Settling cannot be judged: the runs are too short (13 days" in html  # 13 days < two 30-day windows


def test_sobol_convergence_flag_follows_the_change_from_half_to_full_n(tmp_path):
    """N = 8 on a signal with an interaction moves ST by more than the tolerance; N = 256 does not."""
    from experiments import analysis

    def signal(p):
        return 4 * p["w_trust"] + 3 * p["w_social"] * p["w_status"] + np.sin(6 * p["w_status"])

    (tmp_path / "s").mkdir()
    (tmp_path / "l").mkdir()
    small = analysis.sobol_indices(_fake_sweep(tmp_path / "s", signal, 0.001, samples=8), "backlog")
    large = analysis.sobol_indices(_fake_sweep(tmp_path / "l", signal, 0.001, samples=256), "backlog")
    assert small.attrs["max_ST_change"] > analysis.CONVERGED_CHANGE and not small.attrs["converged"]
    assert large.attrs["max_ST_change"] <= analysis.CONVERGED_CHANGE and large.attrs["converged"]
    assert small.attrs["max_ST_change"] == pytest.approx(small["ST_change"].abs().max())


def test_history_matched_range_feeds_the_worlds_of_a_robust_comparison(tmp_path):
    """Item 11: ``--uncertain plausible.json`` (written by ``sim.calibrate --plausible``) gives the worlds."""
    import json

    from experiments import worlds

    path = tmp_path / "plausible.json"
    path.write_text(json.dumps({"plausible": {"base_logit": [-10.6, -9.9]}, "waves": 2}), encoding="utf-8")
    found, seed = worlds.load_uncertain(path)
    assert [(u.name, u.lo, u.hi) for u in found] == [("base_logit", -10.6, -9.9)] and seed is None
    drawn = worlds.draw_worlds(found, 16)["base_logit"]
    assert drawn.between(-10.6, -9.9).all() and drawn.max() - drawn.min() > 0.5
    path.write_text(json.dumps({"points": []}), encoding="utf-8")
    with pytest.raises(worlds.WorldsError, match="plausible: missing or empty"):
        worlds.load_uncertain(path)
    path.write_text(json.dumps({"plausible": {"no_such_param": [0, 1]}}), encoding="utf-8")
    with pytest.raises(worlds.WorldsError) as err:
        worlds.load_uncertain(path)
    assert "\n" not in str(err.value) and "no_such_param" in str(err.value)
