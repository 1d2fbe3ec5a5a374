"""Comparisons across plausible worlds: ``cogov compare A B [C ...] --worlds N [--seeds K] [--uncertain FILE]``.

Seeds measure chance within one set of assumptions; worlds measure the
assumptions themselves. Every scenario runs in every world (a Latin hypercube
over the uncertain parameters, see ``experiments.worlds``) on the same seeds,
so differences between scenarios within a world are paired by seed (common
random numbers across scenarios and across worlds). Runs go through the
sweep machinery (dask, crash-safe store, resumable, same tables for any number
of workers). For each outcome and pair of scenarios the summary gives the
share of worlds in which each is better beyond seed noise, the median
difference and its 5–95% range across worlds, and each scenario's regret;
when the winner changes between worlds, PRIM scenario discovery (EMA
Workbench) and a SALib RBD-FAST index of the difference say which
assumptions decide it.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import shlex
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd
from scipy import stats

import sim
from experiments import runner, store
from experiments.compare import Comparison, _Null, final_values, load_scenarios, outcome_table, parse_set
from experiments.worlds import DEFAULT_SEED, Uncertain, WorldsError, draw_worlds, resolve_uncertain, world_values
from sim import safety
from sim.outcomes import HEADLINE, OUTCOME_BETTER, OUTCOMES
from sim.scenario import Scenario, ScenarioError

EXIT_BAD_INPUT = 2
ROBUST_SHARE = 0.9  # a result is "robust" when one side wins (or nobody does) in at least 90% of worlds
NOMINAL = -1  # world number of the runs with the scenarios' own values (no world overrides)
TOP_DRIVERS = 3
MAX_RULE_DIMS = 2  # parameters a "depends on" rule may name


# --- plan and run -----------------------------------------------------------------------------------


def _task(s: Scenario, seed: int, ticks: int) -> dict[str, Any]:
    params = store.canonical(s.params)
    return {
        "run_id": store.run_id(params, seed, ticks),
        "scenario": s.name,
        "params": params,
        "seed": int(seed),
        "ticks": int(ticks),
        "description": s.description,
        "sources": s.sources,
        "path": s.path,
        "chain": s.chain,
    }


def plan(
    scens: list[Scenario], worlds: pd.DataFrame, seeds: list[int], ticks: int
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """The design (one row per world, scenario and seed; the nominal world first) and its tasks."""
    names = [c for c in worlds.columns if c != "world"]
    rows, tasks = [], []
    point = 0
    for w in [NOMINAL, *worlds["world"].tolist()]:
        values = {} if w == NOMINAL else world_values(worlds, w)
        for s in scens:
            try:
                sw = s.with_overrides(**values)
            except ScenarioError as exc:
                raise WorldsError(f"world {w}: {str(exc).splitlines()[0]}") from None
            for seed in seeds:
                t = _task(sw, seed, ticks)
                tasks.append(t)
                row = {"point": point, "world": int(w), "scenario": s.name, "seed": int(seed), "run_id": t["run_id"]}
                row.update({n: sw.params[n] for n in names})
                rows.append(row)
            point += 1
    return pd.DataFrame(rows), tasks


def execute(
    tasks: list[dict[str, Any]],
    out: Path,
    workers: int | None,
    scheduler: str | None,
    quiet: bool,
    label: str = "worlds",
) -> runner.Outcome:
    """Run the missing tasks through the sweep runner into ``out`` (resumable; raises on failure)."""
    store.clean_temporaries(out)
    uniq = runner.dedupe(tasks)
    done = store.done_ids(out, expected={t["run_id"]: t["ticks"] for t in uniq})  # damaged parts: run again
    todo = [t for t in uniq if t["run_id"] not in done]
    stream = sys.stderr if not quiet else _Null()
    if len(todo) < len(uniq) and not quiet:
        print(f"resuming: {len(uniq) - len(todo)} of {len(uniq)} runs already stored in {out}", file=stream)
    progress = runner.Progress(len(uniq), len(uniq) - len(todo), label, stream=stream)
    res = runner.execute(
        todo,
        lambda rid, df: store.write_run(out, rid, df),
        store_dir=out,
        workers=workers,
        scheduler=scheduler,
        progress=progress,
    )
    store.compact_series(out)  # finished, failed or interrupted: the session's series go into one dataset
    if res.interrupted:
        raise KeyboardInterrupt
    if res.failed:
        rid, msg = next(iter(res.failed.items()))
        raise RuntimeError(f"{len(res.failed)} runs failed; first {rid}: {msg}")
    return res


# --- statistics -------------------------------------------------------------------------------------


def outcome_names(runs: pd.DataFrame) -> list[str]:
    """Outcomes present in the runs table (schema order)."""
    return [o for o in OUTCOMES if o != "tick" and o in runs.columns and pd.api.types.is_numeric_dtype(runs[o])]


def _arrays(runs: pd.DataFrame, names: list[str], outcomes: list[str]) -> tuple[dict, list[int], list[int]]:
    """Per scenario, a worlds × seeds × outcomes array (worlds and seeds sorted), built once."""
    worlds = sorted(runs["world"].unique())
    seeds = sorted(runs["seed"].unique())
    idx = pd.MultiIndex.from_product([worlds, seeds], names=["world", "seed"])
    out = {}
    for s in names:
        sub = runs[runs["scenario"] == s].set_index(["world", "seed"])[outcomes].reindex(idx)
        out[s] = sub.to_numpy(dtype=float).reshape(len(worlds), len(seeds), len(outcomes))
    return out, worlds, seeds


def paired_differences(d: np.ndarray) -> tuple[np.ndarray, float]:
    """Per-world mean of seed-paired differences and the half-width of seed noise around it.

    The seed-noise variance of a paired difference is pooled over worlds (every
    world has the same seeds), so the 95% half-width uses W·(K−1) degrees of
    freedom even with two seeds. With one seed the noise is unknown: 0.
    """
    w, k = d.shape
    mean = d.mean(axis=1)
    if k < 2:
        return mean, 0.0
    var = float(np.mean(d.var(axis=1, ddof=1)))
    half = float(stats.t.ppf(0.975, w * (k - 1)) * math.sqrt(var / k))
    return mean, half


def _beyond(x: np.ndarray, half: float) -> np.ndarray:
    tol = 1e-12 * max(1.0, float(np.nanmax(np.abs(x))) if len(x) else 1.0)
    return x > max(half, tol)


def pair_summary(runs: pd.DataFrame, names: list[str], outcomes: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per (pair, outcome): shares of worlds won beyond seed noise and the spread of B − A across worlds.

    Returns the summary and the per-world differences (``world``, ``a``, ``b``,
    ``outcome``, ``diff`` = mean over seeds of B − A, ``a_better``, ``b_better``).
    """
    arr, worlds, seeds = _arrays(runs[runs["world"] >= 0], names, outcomes)
    rows, per_world = [], []
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            for j, o in enumerate(outcomes):
                d = arr[b][:, :, j] - arr[a][:, :, j]
                diff, half = paired_differences(d)
                better = OUTCOME_BETTER.get(o, "neutral")
                up, down = _beyond(diff, half), _beyond(-diff, half)
                b_better = up if better == "higher" else down if better == "lower" else np.zeros(len(diff), bool)
                a_better = down if better == "higher" else up if better == "lower" else np.zeros(len(diff), bool)
                rows.append(
                    {
                        "a": a,
                        "b": b,
                        "outcome": o,
                        "better": better,
                        "worlds": len(worlds),
                        "seeds": len(seeds),
                        "diff_median": float(np.median(diff)),
                        "diff_q05": float(np.quantile(diff, 0.05)),
                        "diff_q95": float(np.quantile(diff, 0.95)),
                        "seed_noise": half,
                        "share_b_higher": float(up.mean()),
                        "share_a_higher": float(down.mean()),
                        "share_a_better": float(a_better.mean()) if better != "neutral" else np.nan,
                        "share_b_better": float(b_better.mean()) if better != "neutral" else np.nan,
                        "share_within_noise": float((~up & ~down).mean()),
                    }
                )
                per_world.append(
                    pd.DataFrame(
                        {"world": worlds, "a": a, "b": b, "outcome": o, "diff": diff}
                        | {"a_better": a_better, "b_better": b_better}
                    )
                )
    return pd.DataFrame(rows), pd.concat(per_world, ignore_index=True)


def regret_table(runs: pd.DataFrame, names: list[str], outcomes: list[str]) -> pd.DataFrame:
    """Per (outcome, scenario) with a better direction: regret (distance to the best scenario of each world).

    Columns: median and worst regret, share of worlds in which the scenario is
    the best (ties count for every tied scenario), and its best and worst rank.
    """
    arr, _, _ = _arrays(runs[runs["world"] >= 0], names, outcomes)
    rows = []
    for k, o in enumerate(outcomes):
        better = OUTCOME_BETTER.get(o, "neutral")
        if better == "neutral":
            continue
        sign = 1.0 if better == "higher" else -1.0
        m = sign * np.stack([arr[s][:, :, k].mean(axis=1) for s in names], axis=1)  # worlds × scenarios
        regret = m.max(axis=1, keepdims=True) - m
        rank = stats.rankdata(-m, axis=1, method="min")
        for j, s in enumerate(names):
            rows.append(
                {
                    "outcome": o,
                    "scenario": s,
                    "better": better,
                    "regret_median": float(np.median(regret[:, j])),
                    "regret_worst": float(regret[:, j].max()),
                    "share_best": float((regret[:, j] <= 1e-12).mean()),
                    "rank_best": int(rank[:, j].min()),
                    "rank_worst": int(rank[:, j].max()),
                }
            )
    return pd.DataFrame(rows)


# --- what the result depends on -----------------------------------------------------------------------


@dataclass
class Drivers:
    """What decides a comparison: a PRIM box as readable conditions and sensitivity indices."""

    target: str  # what holds in the box: "other_better" or "leader_not_better" (the other wins or ties)
    leader: str
    other: str
    conditions: list[tuple[str, str, float]]  # (parameter, ">" or "<", value)
    density: float
    coverage: float
    indices: pd.DataFrame  # parameter, S1, S1_conf (SALib RBD-FAST), sorted by S1

    def top(self, n: int = TOP_DRIVERS, floor: float = 0.05) -> list[str]:
        """The most influential parameters by first-order index (at least ``floor``)."""
        idx = self.indices[self.indices["S1"] >= floor]
        return idx["parameter"].head(n).tolist()

    def named(self) -> list[str]:
        """Every parameter the verdict names (rule conditions first)."""
        return list(dict.fromkeys([c[0] for c in self.conditions] + self.top()))


def prim_box(x: pd.DataFrame, y: np.ndarray, min_coverage: float = 0.5) -> tuple[list, float, float]:
    """PRIM (EMA Workbench): the box with the highest density among those covering ``min_coverage`` of y.

    Returns the box as (parameter, ">"|"<", limit) conditions, its density and coverage.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim

        # whole-number parameters as floats: pasting writes midpoints such as 19.5 into the box limits,
        # which pandas refuses in an int64 column
        ints = {
            c: float for c in x.columns if pd.api.types.is_integer_dtype(x[c]) and not pd.api.types.is_bool_dtype(x[c])
        }
        x = x.reset_index(drop=True).astype(ints)
        p = prim.Prim(x, y.astype(bool), peel_alpha=0.1, mass_min=max(0.05, 2 / len(y)))
        box = p.find_box()
    if box is None:
        return [], float(y.mean()), 1.0
    traj = box.peeling_trajectory.reset_index(drop=True)
    # few worlds make deep boxes overfit: keep rules short (at most MAX_RULE_DIMS parameters)
    short = traj[traj["res_dim"] <= MAX_RULE_DIMS]
    ok = short[short["coverage"] >= min_coverage]
    ok = ok if len(ok) else short
    i = int(ok.sort_values(["density", "coverage"], ascending=[False, False], kind="stable").index[0])
    lims, full = box.box_lims[i], box.box_lims[0]
    conds = []
    for col in x.columns:
        lo, hi = float(lims[col].iloc[0]), float(lims[col].iloc[1])
        if lo > float(full[col].iloc[0]):
            conds.append((col, ">", lo))
        if hi < float(full[col].iloc[1]):
            conds.append((col, "<", hi))
    return conds, float(traj.loc[i, "density"]), float(traj.loc[i, "coverage"])


def sensitivity(x: pd.DataFrame, y: np.ndarray, bounds: list[tuple[float, float]], seed: int = 1) -> pd.DataFrame:
    """SALib RBD-FAST first-order indices of ``y`` over the world parameters (works on a Latin hypercube)."""
    from SALib.analyze import rbd_fast

    names = list(x.columns)
    # harmonics: the bootstrap uses half of the worlds and needs more than 2M of them
    m = min(10, (len(y) // 2 - 1) // 2)
    problem = {"num_vars": len(names), "names": names, "bounds": [list(b) for b in bounds]}
    if m < 1:  # fewer than 6 worlds: no index (NaN), the verdict names the PRIM rule only
        s1, conf = np.full(len(names), np.nan), np.full(len(names), np.nan)
    elif np.allclose(y, y[0]):
        s1, conf = np.zeros(len(names)), np.zeros(len(names))
    else:
        with np.errstate(all="ignore"):  # a parameter with no spectral power gives 0/0: index 0
            res = rbd_fast.analyze(problem, x.to_numpy(dtype=float), np.asarray(y, float), M=m, seed=seed)
        s1 = np.nan_to_num(np.asarray(res["S1"], float))
        conf = np.nan_to_num(np.asarray(res["S1_conf"], float))
    out = pd.DataFrame({"parameter": names, "S1": np.clip(s1, 0, 1), "S1_conf": conf})
    return out.sort_values("S1", ascending=False, kind="stable").reset_index(drop=True)


def drivers(
    x: pd.DataFrame, diff: np.ndarray, a_better: np.ndarray, b_better: np.ndarray, a: str, b: str, bounds
) -> Drivers:
    """What decides the winner between ``a`` and ``b`` across the worlds ``x``."""
    lead_a = a_better.mean() >= b_better.mean()
    leader, other = (a, b) if lead_a else (b, a)
    wins_lead, wins_other = (a_better, b_better) if lead_a else (b_better, a_better)
    y = ~wins_lead
    target = "other_better" if y.sum() and wins_other[y].all() else "leader_not_better"
    conds, density, coverage = prim_box(x, y)
    idx = sensitivity(x, diff, bounds)
    return Drivers(target, leader, other, conds, density, coverage, idx)


@dataclass
class Verdict:
    """The plain answer for one pair and outcome."""

    a: str
    b: str
    outcome: str
    kind: str  # "robust", "no_difference" or "depends"
    winner: str | None
    share: float  # share of worlds behind the verdict
    share_a: float
    share_b: float
    share_tie: float
    drivers: Drivers | None = None


def verdicts(summary: pd.DataFrame, per_world: pd.DataFrame, worlds: pd.DataFrame, uncertain, outcomes) -> list:
    """A verdict for every pair and every directed outcome in ``outcomes``."""
    x = worlds.drop(columns=["world"])
    bounds = [(u.lo, u.hi) for u in uncertain]
    out = []
    for r in summary.itertuples():
        if r.outcome not in outcomes or r.better == "neutral":
            continue
        pa, pb, pt = r.share_a_better, r.share_b_better, r.share_within_noise
        if pa >= ROBUST_SHARE or pb >= ROBUST_SHARE:
            win = r.a if pa >= pb else r.b
            out.append(Verdict(r.a, r.b, r.outcome, "robust", win, max(pa, pb), pa, pb, pt))
        elif pt >= ROBUST_SHARE:
            out.append(Verdict(r.a, r.b, r.outcome, "no_difference", None, pt, pa, pb, pt))
        else:
            pw = per_world[(per_world["a"] == r.a) & (per_world["b"] == r.b) & (per_world["outcome"] == r.outcome)]
            pw = pw.set_index("world").loc[worlds["world"]]
            d = drivers(
                x, pw["diff"].to_numpy(), pw["a_better"].to_numpy(), pw["b_better"].to_numpy(), r.a, r.b, bounds
            )
            out.append(Verdict(r.a, r.b, r.outcome, "depends", None, max(pa, pb), pa, pb, pt, d))
    return out


def verdict_table(vs: list[Verdict]) -> pd.DataFrame:
    """Verdicts as a tidy table (the parameters they name joined by commas)."""
    return pd.DataFrame(
        [
            {
                "a": v.a,
                "b": v.b,
                "outcome": v.outcome,
                "verdict": v.kind,
                "winner": v.winner,
                "share": v.share,
                "share_a_better": v.share_a,
                "share_b_better": v.share_b,
                "share_within_noise": v.share_tie,
                "depends_on": ", ".join(v.drivers.named()) if v.drivers else "",
                "rule": rule_text(v.drivers) if v.drivers else "",
            }
            for v in vs
        ]
    )


def fmt_num(x: float) -> str:
    """A rule limit with three significant digits."""
    return f"{x:.3g}"


def rule_text(d: Drivers, lang: str = "en") -> str:
    """The PRIM box as a readable rule, e.g. "B is better when w_social > 2.6 and committee_capacity < 6"."""
    if not d.conditions:
        return ""
    sep = " 且 " if lang == "zh" else " and "
    parts: dict[str, list[tuple[str, float]]] = {}
    for n, op, v in d.conditions:
        parts.setdefault(n, []).append((op, v))
    conds = sep.join(
        f"{fmt_num(dict(c)['>'])} < {n} < {fmt_num(dict(c)['<'])}"
        if len(c) == 2
        else f"{n} {c[0][0]} {fmt_num(c[0][1])}"
        for n, c in parts.items()
    )
    if lang == "zh":
        who = f"{d.other} 更好" if d.target == "other_better" else f"{d.leader} 不占优"
        return f"当 {conds} 时，{who}（该区域内 {d.density:.0%} 的世界如此，覆盖全部此类世界的 {d.coverage:.0%}）"
    who = f"{d.other} is better" if d.target == "other_better" else f"{d.leader} is not better"
    return (
        f"{who} when {conds} ({d.density:.0%} of the worlds in that region, "
        f"{d.coverage:.0%} of all such worlds fall in it)"
    )


def verdict_sentence(v: Verdict, label: str, lang: str = "en") -> str:
    """One plain sentence for a verdict (``label`` is the outcome's readable name)."""
    if lang == "zh":
        if v.kind == "robust":
            return f"{label}：在 {v.share:.0%} 的可能世界中 {v.winner} 更好。"
        if v.kind == "no_difference":
            return f"{label}：在 {v.share:.0%} 的可能世界中 {v.a} 与 {v.b} 的差别不超过随机噪声。"
        s = (
            f"{label}：视情况而定。{v.a} 在 {v.share_a:.0%} 的世界中更好，{v.b} 在 {v.share_b:.0%} 中更好，"
            f"{v.share_tie:.0%} 中无明显差别。"
        )
        if min(v.share_a, v.share_b) == 0:
            lead, lag = (v.a, v.b) if v.share_a > 0 else (v.b, v.a)
            s = (
                f"{label}：视情况而定。{lead} 在 {max(v.share_a, v.share_b):.0%} 的世界中更好，"
                f"其余世界中无明显差别；{lag} 在任何世界中都不更好。"
            )
    else:
        if v.kind == "robust":
            return f"{label}: {v.winner} is better in {v.share:.0%} of plausible worlds."
        if v.kind == "no_difference":
            return f"{label}: {v.a} and {v.b} differ by no more than seed noise in {v.share:.0%} of plausible worlds."
        s = (
            f"{label}: it depends. {v.a} is better in {v.share_a:.0%} of worlds, {v.b} in {v.share_b:.0%}, "
            f"no clear difference in {v.share_tie:.0%}."
        )
        if min(v.share_a, v.share_b) == 0:
            lead, lag = (v.a, v.b) if v.share_a > 0 else (v.b, v.a)
            s = (
                f"{label}: it depends. {lead} is better in {max(v.share_a, v.share_b):.0%} of worlds and "
                f"within seed noise of {lag} in the rest; {lag} is better in none."
            )
    d = v.drivers
    if d is not None:
        rule = rule_text(d, lang)
        if rule:
            s += (" " if lang == "en" else "") + rule + ("." if lang == "en" else "。")
        top = d.top()
        if top:
            idx = d.indices.set_index("parameter")["S1"]
            items = ", ".join(f"{n} ({idx[n]:.2f})" for n in top)
            s += (
                f"最能左右差值的假设（一阶敏感度指数）：{items}。"
                if lang == "zh"
                else f" The assumptions that move the difference most (first-order index): {items}."
            )
    return s


# --- the result ------------------------------------------------------------------------------------------


@dataclass
class RobustResult:
    """Tidy tables of a comparison across worlds (and everything its report needs)."""

    scenarios: list[Scenario]
    uncertain: list[Uncertain]
    worlds: pd.DataFrame  # world, one column per uncertain parameter
    runs: pd.DataFrame  # one row per (world, scenario, seed); world -1 = the scenarios' own values
    summary: pd.DataFrame  # one row per (pair, outcome)
    per_world: pd.DataFrame  # per (pair, outcome, world): mean difference B − A and who is better
    regret: pd.DataFrame  # one row per (directed outcome, scenario)
    verdicts: list[Verdict]
    nominal: Comparison  # seed-only comparison within one set of assumptions
    seeds: list[int]
    ticks: int
    out: Path
    origin: str
    design_seed: int
    overrides: dict[str, Any]
    command: str = ""
    seconds: float = 0.0
    workers: int = 0
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        """Scenario names in order."""
        return [s.name for s in self.scenarios]

    @property
    def verdict_table(self) -> pd.DataFrame:
        """The verdicts as a DataFrame."""
        return verdict_table(self.verdicts)


def default_out(refs: list[str]) -> Path:
    """results/robust-<A>-vs-<B>..."""
    stems = (r.name if isinstance(r, Scenario) else Path(r).stem for r in refs)
    return Path("results") / ("robust-" + "-vs-".join(stems))


def robust_compare(
    refs: list[str | Scenario],
    worlds: int = 16,
    seeds: int | list[int] = 2,
    ticks: int = 365,
    uncertain: str | Path | list[Uncertain] | None = None,
    overrides: dict[str, Any] | None = None,
    design_seed: int | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    out: str | Path | None = None,
    verdict_outcomes: list[str] | tuple[str, ...] = HEADLINE,
    correction: str = "holm",
    quiet: bool = False,
    command: str = "",
    run_tasks: Any = None,
) -> RobustResult:
    """Run every scenario in every world on the same seeds and summarise; return tidy tables.

    ``refs`` are preset names, scenario or profile paths, or loaded ``Scenario``
    objects (the dashboard's uploads and page levers). ``run_tasks(tasks, out)``,
    when given, runs the tasks and stores each with ``store.write_run`` in place
    of the sweep runner (the dashboard's capped pool, with its progress and cancel).

    ``out`` (default ``results/robust-A-vs-B``) holds ``design.parquet``,
    ``runs/``, ``series.parquet`` and ``manifest.json`` like a sweep, so
    ``experiments.load_sweep(out)`` gives one row per (world, scenario, seed);
    running again computes only the missing runs.

    Raises:
        WorldsError: bad uncertain parameters or a world that breaks a rule of the model.
        ScenarioError: a bad scenario or override.
    """
    overrides = overrides or {}
    seed_list = list(range(1, seeds + 1)) if isinstance(seeds, int) else [int(s) for s in seeds]
    unc, file_seed, origin = resolve_uncertain(uncertain)
    dseed = design_seed if design_seed is not None else file_seed if file_seed is not None else DEFAULT_SEED
    clash = sorted(set(overrides) & {u.name for u in unc})
    if clash:
        raise WorldsError(f"--set {clash[0]}: is also an uncertain parameter; allowed: one or the other")
    scens = load_scenarios(refs, overrides)
    differ = [u.name for u in unc if len({json.dumps(store.canonical(s.params[u.name])) for s in scens}) > 1]
    if differ and uncertain is not None:  # a world sets the value in every scenario: it would erase the difference
        raise WorldsError(
            f"{origin}: [uncertain] {differ[0]}: the compared scenarios set it differently, and a world would "
            "erase that difference; allowed: parameters the scenarios agree on"
        )
    if differ:  # declared ranges: keep what the scenarios choose, vary the rest
        unc = [u for u in unc if u.name not in differ]
        if not quiet:
            print(f"not varied (the scenarios set them differently): {', '.join(differ)}", file=sys.stderr)
        if not unc:
            raise WorldsError(
                f"{origin}: every uncertain parameter is set differently by the scenarios; "
                "allowed: pass --uncertain FILE"
            )
    wtable = draw_worlds(unc, worlds, dseed)
    design, tasks = plan(scens, wtable, seed_list, ticks)
    out = Path(out) if out else default_out(refs)
    out.mkdir(parents=True, exist_ok=True)
    manifest = {
        "kind": "robust-compare",
        "scenarios": [s.name for s in scens],
        "references": [r.name if isinstance(r, Scenario) else str(r) for r in refs],
        "worlds": worlds,
        "design": "lhs",
        "design_seed": dseed,
        "uncertain_from": origin,
        "uncertain": [u.__dict__ for u in unc],
        "not_varied": differ,
        "factors": [{"name": u.name, "lo": u.lo, "hi": u.hi, "values": []} for u in unc],
        "seeds": seed_list,
        "ticks": ticks,
        "overrides": store.canonical(overrides),
        "runs": len(design),
        "distinct_runs": len(runner.dedupe(tasks)),
        "command": command,
        "package": "cogov-sim",
        "version": sim.__version__,
        "mesa_version": mesa.__version__,
        "numpy_version": np.__version__,
        "python": platform.python_version(),
    }
    store.atomic_write_parquet(design, out / "design.parquet")
    store.atomic_write_json(manifest, out / "manifest.json")
    t0 = time.perf_counter()
    res = execute(tasks, out, workers, scheduler, quiet) if run_tasks is None else run_tasks(tasks, out)
    runs = store.load_sweep(out)
    result = summarise(runs, scens, unc, wtable, seed_list, ticks, out, verdict_outcomes, correction)
    result.origin, result.design_seed, result.overrides, result.command = origin, dseed, overrides, command
    result.seconds, result.workers, result.manifest = time.perf_counter() - t0, getattr(res, "workers", 0), manifest
    return result


def nominal_comparison(
    runs: pd.DataFrame, scens: list[Scenario], seeds: list[int], ticks: int, out: Path, correction: str
) -> Comparison:
    """The ordinary seed-only comparison of the nominal world (world −1), as ``cogov compare`` computes it."""
    nom = runs[runs["world"] == NOMINAL]
    ids = {s.name: nom[nom["scenario"] == s.name]["run_id"].tolist() for s in scens}
    parts = []
    for s in scens:
        df = store.load_series(out, ids[s.name])
        df["scenario"] = s.name
        parts.append(df)
    series = pd.concat(parts, ignore_index=True).drop(columns=["run_id"])
    finals = final_values(series)
    names = [s.name for s in scens]
    table = outcome_table(finals, names, outcome_names(runs), correction) if len(seeds) > 1 else pd.DataFrame()
    return Comparison(scens, seeds, ticks, series, finals, table, correction, {}, run_ids=ids)


def summarise(
    runs: pd.DataFrame,
    scens: list[Scenario],
    unc: list[Uncertain],
    wtable: pd.DataFrame,
    seeds: list[int],
    ticks: int,
    out: Path,
    verdict_outcomes=HEADLINE,
    correction: str = "holm",
) -> RobustResult:
    """Summaries, regret and verdicts from the tidy runs table."""
    names = [s.name for s in scens]
    outcomes = outcome_names(runs)
    summary, per_world = pair_summary(runs, names, outcomes)
    regret = regret_table(runs, names, outcomes)
    vs = verdicts(summary, per_world, wtable, unc, list(verdict_outcomes))
    nominal = nominal_comparison(runs, scens, seeds, ticks, out, correction)
    return RobustResult(scens, unc, wtable, runs, summary, per_world, regret, vs, nominal, seeds, ticks, out, "", 0, {})


def write_tables(result: RobustResult) -> None:
    """The tidy tables as CSV next to the runs (for spreadsheets)."""
    out = result.out
    result.summary.to_csv(out / "robust_summary.csv", index=False)
    result.regret.to_csv(out / "regret.csv", index=False)
    result.verdict_table.to_csv(out / "verdicts.csv", index=False)
    result.worlds.to_csv(out / "worlds.csv", index=False)
    store.atomic_write_parquet(result.runs, out / "summary.parquet")


# --- command line -----------------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``--worlds`` options of ``cogov compare`` (added to compare's own arguments)."""
    parser.add_argument(
        "--worlds",
        type=int,
        default=None,
        metavar="N",
        help="also vary the model's assumptions: run every scenario in N plausible worlds "
        "(Latin hypercube over the uncertain parameters) and say how often each wins; "
        "--seeds then defaults to 2 per world",
    )
    parser.add_argument(
        "--uncertain",
        default=None,
        metavar="FILE",
        help="TOML file naming the uncertain parameters and their ranges (see experiments/uncertain-example.toml), "
        "or a plausible.json from python -m sim.calibrate --plausible",
    )
    parser.add_argument(
        "--world-seed", type=int, default=None, metavar="N", help="seed of the Latin hypercube of worlds"
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="with --worlds: also attribute each scenario's difference from the first to its lever groups "
        "(Shapley values, in the scenarios' own world; see cogov explain)",
    )
    # without --worlds the default stays compare's 20 seeds; with it, 2 (see main_args)
    parser.set_defaults(seeds=None)


def command_line(args: argparse.Namespace) -> str:
    """The command that reproduces a comparison across worlds."""
    words = ["cogov", "compare", *args.scenarios, "--worlds", str(args.worlds), "--seeds", str(args.seeds)]
    words += ["--ticks", str(args.ticks)]
    if args.uncertain:
        words += ["--uncertain", args.uncertain]
    if args.world_seed is not None:
        words += ["--world-seed", str(args.world_seed)]
    for item in args.set:
        words += ["--set", item]
    if args.explain:
        words += ["--explain"]
    if args.lang != "en":
        words += ["--lang", args.lang]
    return " ".join(shlex.quote(w) for w in words)


def explain_all(result: RobustResult, args: argparse.Namespace) -> list:
    """Shapley attributions of every scenario against the first, in the scenarios' own world."""
    from experiments.shapley import attribute

    base = result.scenarios[0]
    return [
        attribute(
            base,
            s,
            result.seeds,
            result.ticks,
            result.out / "shapley",
            workers=args.workers,
            scheduler=args.scheduler,
            quiet=args.quiet,
        )
        for s in result.scenarios[1:]
    ]


def _fail(msg: str) -> int:
    print(f"cogov: error: {msg}", file=sys.stderr)
    return EXIT_BAD_INPUT


def main_args(args: argparse.Namespace) -> int:
    """``cogov compare``: across worlds when ``--worlds`` is given, else the ordinary seed-only comparison."""
    from experiments import compare

    worlds = getattr(args, "worlds", None)
    if worlds is None:
        if args.uncertain or args.world_seed is not None or args.explain:
            return _fail("--uncertain/--world-seed/--explain: need --worlds N; allowed: --worlds N with them")
        if args.seeds is None:
            args.seeds = 20
        return compare.main_args(args)
    from experiments.robust_report import write_report

    if args.seeds is None:
        args.seeds = 2
    if len(args.scenarios) < 2:
        return _fail("compare needs at least two scenarios; allowed: A B [C ...]")
    if repeated := compare.repeated_scenario_error(args.scenarios):
        return _fail(repeated)
    if worlds < 2:
        return _fail(f"--worlds {worlds}: too few to tell worlds apart; allowed: 2 or more")
    if args.seeds < 1:
        return _fail(f"--seeds {args.seeds}; allowed: 1 or more (2 or more to separate seed noise)")
    if args.ticks < 1:
        return _fail(f"--ticks {args.ticks}; allowed: 1 or more")
    out = Path(args.out) if args.out else default_out(args.scenarios)
    try:  # before any run, as the seed-only comparison does
        safety.check_output_dir(out)
    except safety.OutputError as exc:
        return _fail(str(exc))
    try:
        result = robust_compare(
            args.scenarios,
            worlds,
            args.seeds,
            args.ticks,
            args.uncertain,
            parse_set(args.set),
            args.world_seed,
            args.workers,
            args.scheduler,
            out,
            correction=args.correction,
            quiet=args.quiet,
            command=command_line(args),
        )
    except (WorldsError, ScenarioError) as exc:
        return _fail(str(exc).splitlines()[0])
    except KeyboardInterrupt:
        print(f"\ninterrupted: finished runs are kept in {out}; run the same command again to resume", file=sys.stderr)
        return 130
    except RuntimeError as exc:
        print(f"cogov: error: {exc}; see {out}", file=sys.stderr)
        return 1
    write_tables(result)
    attributions = None
    if args.explain:
        from experiments.shapley import ExplainError

        try:
            attributions = explain_all(result, args)
        except ExplainError as exc:
            return _fail(str(exc))
        except KeyboardInterrupt:
            print(f"\ninterrupted: finished runs are kept in {out}; run the same command again", file=sys.stderr)
            return 130
    html = write_report(result, out, lang=args.lang, attributions=attributions)
    if not args.quiet:
        print(
            f"compared {', '.join(result.names)} in {worlds} worlds × {len(result.seeds)} "
            f"seed{'' if len(result.seeds) == 1 else 's'} "
            f"in {result.seconds:.1f}s\nreport: {html}",
            file=sys.stderr,
        )
    print(html)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m experiments.robust`` (same arguments as ``cogov compare``)."""
    from experiments import compare

    parser = argparse.ArgumentParser(prog="cogov compare", description=__doc__.splitlines()[0])
    compare.add_arguments(parser)
    add_arguments(parser)
    return main_args(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
