r"""Calibration by the simulated method of moments (SMM), over common random seeds.

A calibration fits a few free parameters of a scenario so that the model's
outcomes, averaged over seeds, match observed figures of a real community.
The observed figures are a CSV file with one row per target::

    outcome,value,tick,weight,note
    volunteer_share,0.05613,365,1,"X: 1,192 registered volunteers of 21,235 residents (seed 002 §2 一是)"

- ``outcome``: a column of the outcome table (``cogov params`` lists parameters,
  ``sim.outcomes.OUTCOMES`` the outcomes);
- ``value``: the observed value;
- ``tick`` (optional): the day at which the outcome is read (default: the
  last simulated day);
- ``weight`` (optional, default 1) and ``scale`` (optional, default ``|value|``):
  the target's term in the objective is ``weight · ((m̄ − value) / scale)²``,
  where m̄ is the mean of the outcome over the seeds.

Every parameter set is run on the same seeds (common random numbers), so the
objective is a deterministic function of the parameters and a one-parameter
fit can use a bounded scalar minimiser (``scipy.optimize.minimize_scalar``);
with more free parameters Nelder–Mead runs on the box scaled to [0, 1]. The
result records the fitted values, the moments with 95% confidence intervals
over the seeds, and every evaluation.

Usage::

    python -m sim.calibrate governance-partners --targets sim/validation/x-targets.csv \
        --free base_logit=-11:-8 --seeds 8 --ticks 365 --out results/calibration-x
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from sim.outcomes import OUTCOMES
from sim.params import BY_NAME
from sim.scenario import load_scenario

# --- targets -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One observed figure the model should reproduce."""

    outcome: str
    value: float
    tick: int | None = None
    weight: float = 1.0
    scale: float | None = None
    note: str = ""

    def term(self, simulated: float) -> float:
        """This target's contribution to the objective."""
        scale = self.scale if self.scale else (abs(self.value) or 1.0)
        return self.weight * ((simulated - self.value) / scale) ** 2


def read_targets(path: str | Path) -> list[Target]:
    """Read a CSV of observed targets (see the module docstring for its columns)."""
    df = pd.read_csv(path, comment="#", skipinitialspace=True)
    if "outcome" not in df.columns or "value" not in df.columns:
        raise ValueError(
            f"{path}: a targets file needs the columns 'outcome' and 'value'; found {', '.join(df.columns)}"
        )
    out = []
    for i, row in df.iterrows():
        name = str(row["outcome"]).strip()
        if name not in OUTCOMES:
            raise ValueError(
                f"{path}: row {i + 2}: unknown outcome {name!r}; allowed: a column of "
                "sim.outcomes.OUTCOMES such as volunteer_share"
            )

        def opt(col: str, cast: Callable, default: Any, row=row) -> Any:
            v = row.get(col)
            return default if v is None or (isinstance(v, float) and math.isnan(v)) else cast(v)

        out.append(
            Target(
                name,
                float(row["value"]),
                opt("tick", int, None),
                opt("weight", float, 1.0),
                opt("scale", float, None),
                opt("note", str, ""),
            )
        )
    if not out:
        raise ValueError(f"{path}: no targets")
    return out


def parse_free(items: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Turn ``["name=lo:hi", ...]`` into bounds; check names and that bounds lie in range."""
    free: dict[str, tuple[float, float]] = {}
    for item in items:
        name, _, rng = item.partition("=")
        name = name.strip()
        p = BY_NAME.get(name)
        if p is None or p.kind != "float":
            raise ValueError(f"--free {item!r}: {name!r} is not a float parameter (see `cogov params`)")
        try:
            lo, hi = (float(x) for x in rng.split(":"))
        except ValueError:
            raise ValueError(f"--free {item!r}: expected name=lo:hi, e.g. base_logit=-11:-8") from None
        if not (p.lo <= lo < hi <= p.hi):
            raise ValueError(f"--free {item!r}: bounds must satisfy {p.lo:g} <= lo < hi <= {p.hi:g}")
        free[name] = (lo, hi)
    if not free:
        raise ValueError("name at least one free parameter (--free name=lo:hi)")
    return free


# --- simulation of moments ------------------------------------------------------------------------


def _run_one(job: tuple) -> dict[str, float]:
    """Run one seed and read the targets' outcomes (top level, so processes can run it)."""
    from sim.model import CommunityModel

    scenario, seed, ticks, params, targets = job
    df = CommunityModel(scenario, seed=seed, **params).run(ticks).results()
    out = {}
    for t in targets:
        tick = ticks if t.tick is None else min(t.tick, ticks)
        out[t.outcome + (f"@{t.tick}" if t.tick is not None else "")] = float(df[t.outcome].iloc[tick])
    return out


def _key(t: Target) -> str:
    return t.outcome + (f"@{t.tick}" if t.tick is not None else "")


def simulate(
    scenario: Any, params: dict[str, Any], targets: Sequence[Target], seeds: Sequence[int], ticks: int, jobs: int = 1
) -> pd.DataFrame:
    """Outcome values per seed (rows) and target (columns) for one parameter set."""
    work = [(scenario, int(s), ticks, dict(params), tuple(targets)) for s in seeds]
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            rows = list(pool.map(_run_one, work))
    else:
        rows = [_run_one(w) for w in work]
    return pd.DataFrame(rows, index=pd.Index(list(seeds), name="seed"))


def mean_ci(x: Sequence[float], level: float = 0.95) -> tuple[float, float, float]:
    """Mean and a t-based confidence interval over seeds."""
    a = np.asarray(x, float)
    m = float(a.mean())
    if len(a) < 2 or np.allclose(a, a[0]):
        return m, m, m
    h = float(stats.t.ppf(0.5 + level / 2, len(a) - 1) * a.std(ddof=1) / math.sqrt(len(a)))
    return m, m - h, m + h


# --- calibration ----------------------------------------------------------------------------------


@dataclass
class CalibrationResult:
    """What a calibration found and how."""

    scenario: str
    params: dict[str, float]
    objective: float
    moments: list[dict[str, Any]]
    seeds: list[int]
    ticks: int
    method: str
    evaluations: list[dict[str, Any]] = field(default_factory=list)
    fixed: dict[str, Any] = field(default_factory=dict)
    wall_time_s: float = 0.0

    def to_json(self, path: str | Path) -> None:
        """Write the result as JSON."""
        Path(path).write_text(json.dumps(asdict(self), indent=2, ensure_ascii=False, default=float) + "\n")

    def summary(self) -> str:
        """A few lines for the terminal."""
        lines = [
            f"calibrated {', '.join(f'{k} = {v:.4g}' for k, v in self.params.items())} "
            f"({self.method}, {len(self.evaluations)} evaluations × {len(self.seeds)} seeds, "
            f"{self.ticks} days, objective {self.objective:.3g})"
        ]
        for mo in self.moments:
            lines.append(
                f"  {mo['target']}: simulated {mo['mean']:.4g} [95% CI {mo['ci_low']:.4g}, "
                f"{mo['ci_high']:.4g}] vs observed {mo['observed']:.4g}"
            )
        return "\n".join(lines)


def calibrate(
    scenario: Any,
    targets: Sequence[Target],
    free: dict[str, tuple[float, float]],
    seeds: Sequence[int] = tuple(range(1, 9)),
    ticks: int = 365,
    fixed: dict[str, Any] | None = None,
    jobs: int = 1,
    xatol: float = 0.01,
    max_evals: int = 60,
    log: Callable[[str], None] | None = None,
) -> CalibrationResult:
    """Fit the ``free`` parameters (name → (lo, hi)) of ``scenario`` to ``targets`` by SMM.

    Args:
        scenario: preset name, scenario file or ``Scenario``.
        targets: observed figures (see ``read_targets``).
        free: the parameters to fit and their bounds.
        seeds: the common random seeds every parameter set is run on.
        ticks: days simulated per run.
        fixed: other parameter overrides held fixed (e.g. a smaller population).
        jobs: worker processes (1 runs in this process).
        xatol: tolerance on the parameter (one free parameter) or on the scaled box.
        max_evals: most objective evaluations.
        log: called with one line per evaluation.
    """
    t0 = time.perf_counter()
    fixed = dict(fixed or {})
    scen = load_scenario(scenario, **fixed)
    names = list(free)
    evals: list[dict[str, Any]] = []
    cache: dict[tuple, float] = {}

    def params_of(x: Sequence[float]) -> dict[str, float]:
        return {n: float(v) for n, v in zip(names, x, strict=True)}

    def objective(x: Sequence[float]) -> float:
        key = tuple(round(float(v), 10) for v in x)
        if key in cache:
            return cache[key]
        params = dict(fixed, **params_of(x))
        sims = simulate(scen, params, targets, seeds, ticks, jobs)
        value = sum(t.term(float(sims[_key(t)].mean())) for t in targets)
        cache[key] = value
        evals.append({**params_of(x), "objective": value, **{_key(t): float(sims[_key(t)].mean()) for t in targets}})
        if log:
            log(
                f"  eval {len(evals):2d}: "
                + ", ".join(f"{k}={v:.4f}" for k, v in params_of(x).items())
                + f" -> objective {value:.4g}"
            )
        return value

    if len(names) == 1:
        lo, hi = free[names[0]]
        res = optimize.minimize_scalar(
            lambda v: objective([v]), bounds=(lo, hi), method="bounded", options={"xatol": xatol, "maxiter": max_evals}
        )
        best = [float(res.x)]
        method = "SMM, bounded Brent (scipy.optimize.minimize_scalar)"
    else:
        lo = np.array([free[n][0] for n in names])
        hi = np.array([free[n][1] for n in names])

        def scaled(z: np.ndarray) -> float:
            return objective(lo + np.clip(z, 0, 1) * (hi - lo))

        res = optimize.minimize(
            scaled,
            x0=np.full(len(names), 0.5),
            method="Nelder-Mead",
            options={"xatol": xatol, "fatol": 1e-6, "maxfev": max_evals},
        )
        best = list(lo + np.clip(res.x, 0, 1) * (hi - lo))
        method = "SMM, Nelder-Mead on the scaled box (scipy.optimize.minimize)"
    best_params = params_of(best)
    sims = simulate(scen, dict(fixed, **best_params), targets, seeds, ticks, jobs)
    moments = []
    for t in targets:
        m, lo_ci, hi_ci = mean_ci(sims[_key(t)])
        moments.append(
            {
                "target": _key(t),
                "observed": t.value,
                "mean": m,
                "ci_low": lo_ci,
                "ci_high": hi_ci,
                "sd": float(sims[_key(t)].std(ddof=1)) if len(seeds) > 1 else 0.0,
                "note": t.note,
            }
        )
    return CalibrationResult(
        scenario=scen.name,
        params=best_params,
        objective=objective(best),
        moments=moments,
        seeds=[int(s) for s in seeds],
        ticks=ticks,
        method=method,
        evaluations=evals,
        fixed=fixed,
        wall_time_s=round(time.perf_counter() - t0, 1),
    )


# --- uncertainty: history matching ------------------------------------------------------------------

CUTOFF = 3.0  # implausibility above which a parameter set is ruled out (Pukelsheim's three-sigma rule)
OBS_SD_REL = 0.05  # assumption: observation error sd of a target, as a share of its value, when not given
DISCREPANCY_REL = 0.05  # assumption: model discrepancy sd, as a share of the target's value


@dataclass
class HistoryMatch:
    """Parameter sets not ruled out by the targets, and the plausible range they span."""

    plausible: dict[str, tuple[float, float]]
    points: list[dict[str, Any]]
    waves: int
    cutoff: float
    obs_sd_rel: float
    discrepancy_rel: float
    seeds: list[int]
    ticks: int

    def summary(self) -> str:
        """One line per free parameter."""
        kept = sum(p["plausible"] for p in self.points if p["wave"] == self.waves)
        last = sum(p["wave"] == self.waves for p in self.points)
        lines = [
            f"history matching: {self.waves} waves, {len(self.points)} parameter sets x {len(self.seeds)} seeds, "
            f"implausibility cutoff {self.cutoff:g}; last wave kept {kept} of {last}"
        ]
        lines += [f"  plausible {k}: {lo:.4g} .. {hi:.4g}" for k, (lo, hi) in self.plausible.items()]
        return "\n".join(lines)


def implausibility(t: Target, mean: float, sd: float, n: int, obs_sd_rel: float, discrepancy_rel: float) -> float:
    """|simulated mean - observed| over the combined sd of observation error, discrepancy and seed noise.

    Craig et al. (1997); Andrianakis et al. (2015) for stochastic models: the
    seed noise enters as the variance of the mean over ``n`` seeds. A target's
    ``scale`` column, when given, is taken as its observation error sd.
    """
    obs = t.scale if t.scale else obs_sd_rel * abs(t.value)
    var = obs**2 + (discrepancy_rel * abs(t.value)) ** 2 + (sd**2 / max(n, 1))
    return abs(mean - t.value) / math.sqrt(var) if var > 0 else (0.0 if mean == t.value else math.inf)


def _wave_points(box: dict[str, tuple[float, float]], n: int, seed: int) -> list[dict[str, float]]:
    names = list(box)
    if len(names) == 1:
        lo, hi = box[names[0]]
        return [{names[0]: float(v)} for v in np.linspace(lo, hi, n)]
    from scipy.stats import qmc

    u = qmc.LatinHypercube(d=len(names), seed=seed).random(n)
    return [{k: float(box[k][0] + u[i, j] * (box[k][1] - box[k][0])) for j, k in enumerate(names)} for i in range(n)]


def history_match(
    scenario: Any,
    targets: Sequence[Target],
    free: dict[str, tuple[float, float]],
    seeds: Sequence[int] = tuple(range(1, 9)),
    ticks: int = 365,
    fixed: dict[str, Any] | None = None,
    points: int = 12,
    waves: int = 2,
    cutoff: float = CUTOFF,
    obs_sd_rel: float = OBS_SD_REL,
    discrepancy_rel: float = DISCREPANCY_REL,
    jobs: int = 1,
    log: Callable[[str], None] | None = None,
) -> HistoryMatch:
    """The plausible range of the ``free`` parameters given the targets, by history matching.

    Why history matching and not a point estimate or ABC-SMC: a target such as
    one volunteer share is a single moment, so many parameter values fit it
    equally well; what matters downstream (uncertainty and robustness analysis)
    is the range that the evidence cannot rule out. History matching evaluates
    the model on a design over the box, rules out every parameter set whose
    implausibility (``implausibility``) on any target exceeds ``cutoff``, and
    refines the design inside the bounding box of the survivors in the next
    wave. With one to three parameters the model is cheap enough to run
    directly (no emulator) and, unlike ABC, it needs no prior beyond the box
    and no acceptance tolerance: the error budget (observation error,
    discrepancy, seed noise) is stated explicitly. ``plausible`` is the range of
    the last wave's surviving points widened by half a design step; when no
    point survives a wave, ``ValueError`` says the model cannot match the
    targets within the stated errors.
    """
    fixed = dict(fixed or {})
    scen = load_scenario(scenario, **fixed)
    box = dict(free)
    out: list[dict[str, Any]] = []
    for wave in range(1, waves + 1):
        for pt in _wave_points(box, points, seed=wave):
            sims = simulate(scen, dict(fixed, **pt), targets, seeds, ticks, jobs)
            imp = max(
                implausibility(
                    t,
                    float(sims[_key(t)].mean()),
                    float(sims[_key(t)].std(ddof=1)) if len(seeds) > 1 else 0.0,
                    len(seeds),
                    obs_sd_rel,
                    discrepancy_rel,
                )
                for t in targets
            )
            out.append(
                {
                    "wave": wave,
                    **pt,
                    "implausibility": imp,
                    "plausible": bool(imp <= cutoff),
                    **{_key(t): float(sims[_key(t)].mean()) for t in targets},
                }
            )
            if log:
                log(f"  wave {wave}: " + ", ".join(f"{k}={v:.4f}" for k, v in pt.items()) + f" -> I = {imp:.2f}")
        kept = [p for p in out if p["wave"] == wave and p["plausible"]]
        if not kept:
            raise ValueError(
                f"history matching wave {wave}: every parameter set is ruled out (implausibility > {cutoff:g}); "
                "the model cannot reach the targets within the stated errors: widen the bounds or the error budget"
            )
        new = {}
        for k, (lo, hi) in box.items():
            step = (hi - lo) / max(points - 1, 1) if len(box) == 1 else (hi - lo) / points ** (1 / len(box))
            vals = [p[k] for p in kept]
            new[k] = (max(free[k][0], min(vals) - step / 2), min(free[k][1], max(vals) + step / 2))
        box = new
    return HistoryMatch(
        {k: (float(lo), float(hi)) for k, (lo, hi) in box.items()},
        out,
        waves,
        cutoff,
        obs_sd_rel,
        discrepancy_rel,
        [int(s) for s in seeds],
        ticks,
    )


# --- command line -----------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m sim.calibrate``: fit free parameters to a CSV of observed targets."""
    from sim.cli import parse_sets

    ap = argparse.ArgumentParser(prog="python -m sim.calibrate", description=__doc__.split("\n\n")[1])
    ap.add_argument("scenario", help="preset name or scenario file")
    ap.add_argument("--targets", required=True, help="CSV of observed targets (outcome,value[,tick,weight,scale])")
    ap.add_argument(
        "--free",
        action="append",
        required=True,
        metavar="NAME=LO:HI",
        help="a float parameter to fit and its bounds (repeatable)",
    )
    ap.add_argument("--seeds", type=int, default=8, help="number of common seeds (1..N; default 8)")
    ap.add_argument("--ticks", type=int, default=365, help="days per run (default 365)")
    ap.add_argument("--set", action="append", metavar="KEY=VALUE", help="fixed parameter override (repeatable)")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    ap.add_argument("--xatol", type=float, default=0.01, help="tolerance on the parameter (default 0.01)")
    ap.add_argument("--out", help="write calibration.json and evaluations.csv into this directory")
    ap.add_argument(
        "--plausible",
        action="store_true",
        help="also find the plausible range of the free parameters by history matching (plausible.json)",
    )
    ap.add_argument("--points", type=int, default=12, help="history matching: parameter sets per wave (default 12)")
    args = ap.parse_args(argv)
    try:
        targets = read_targets(args.targets)
        free = parse_free(args.free)
    except ValueError as exc:
        print(f"calibrate: error: {exc}", file=sys.stderr)
        return 2
    result = calibrate(
        args.scenario,
        targets,
        free,
        seeds=range(1, args.seeds + 1),
        ticks=args.ticks,
        fixed=parse_sets(args.set),
        jobs=args.jobs,
        xatol=args.xatol,
        log=lambda s: print(s, flush=True),
    )
    print(result.summary())
    hm = None
    if args.plausible:
        try:
            hm = history_match(
                args.scenario,
                targets,
                free,
                seeds=range(1, args.seeds + 1),
                ticks=args.ticks,
                fixed=parse_sets(args.set),
                points=args.points,
                jobs=args.jobs,
                log=lambda s: print(s, flush=True),
            )
        except ValueError as exc:
            print(f"calibrate: error: {exc}", file=sys.stderr)
            return 1
        print(hm.summary())
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        result.to_json(out / "calibration.json")
        pd.DataFrame(result.evaluations).to_csv(out / "evaluations.csv", index=False)
        print(f"written: {out / 'calibration.json'}, {out / 'evaluations.csv'}")
        if hm is not None:
            (out / "plausible.json").write_text(json.dumps(asdict(hm), indent=2, default=float) + "\n")
            pd.DataFrame(hm.points).to_csv(out / "history-matching.csv", index=False)
            print(f"written: {out / 'plausible.json'}, {out / 'history-matching.csv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
