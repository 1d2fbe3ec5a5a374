"""Scenario comparison: ``cogov compare A B [C ...] [--seeds N] [--ticks N] [--window DAYS] [--out DIR]``.

Every scenario is run over the same seeds (common random numbers: the same
residents and first chance events; the achieved variance reduction is
reported per outcome). Each run is reduced to one value per outcome by the
outcome's kind (flows summed over the run, stocks averaged over the last
``--window`` days, running totals read on the last day). For each outcome the
comparison reports the mean and its 95% confidence interval across seeds, the
difference from the first scenario (the baseline) paired by seed, absolute and
relative, d_z, and a paired t-test: headline outcomes as a confirmatory Holm
family, the rest as an exploratory Benjamini–Hochberg family, with difference
CIs at the matching level and, given ``--sesoi``, an equivalence test. It
writes a table, figures and a self-contained HTML report.
"""

from __future__ import annotations

import argparse
import math
import shlex
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from experiments import runner, store
from sim import safety
from sim.outcomes import HEADLINE, OUTCOME_KIND, OUTCOMES
from sim.scenario import Scenario, ScenarioError, load_scenario

EXIT_BAD_INPUT = 2
ALPHA = 0.05
CORRECTIONS = ("holm", "bh")


# --- statistics -------------------------------------------------------------------------


def mean_ci(x: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and two-sided t confidence interval of the mean (bounds equal the mean for n < 2)."""
    x = np.asarray(x, dtype=float)
    m = float(x.mean())
    if len(x) < 2:
        return m, m, m
    half = stats.t.ppf(0.5 + level / 2, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x))
    return m, m - half, m + half


def holm(p: np.ndarray) -> np.ndarray:
    """Holm–Bonferroni adjusted p-values (NaN stays NaN and does not count as a test), by statsmodels."""
    return _adjust(p, "holm")


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (false discovery rate; NaN stays NaN), by statsmodels."""
    return _adjust(p, "bh")


def _adjust(p: np.ndarray, method: str) -> np.ndarray:
    from statsmodels.stats.multitest import multipletests

    p = np.asarray(p, dtype=float)
    out = np.full_like(p, np.nan)
    ok = np.isfinite(p)
    if ok.any():
        out[ok] = multipletests(p[ok], alpha=ALPHA, method="holm" if method == "holm" else "fdr_bh")[1]
    return out


def adjusted_level(p: np.ndarray, method: str, alpha: float = ALPHA) -> float:
    """Two-sided error level per interval that makes CIs agree with the adjusted tests.

    Holm (step-down): after r of m rejections the procedure stops at level
    alpha/(m-r); intervals at that level exclude 0 exactly for the rejected
    hypotheses (every rejected p is at most alpha/(m-r), every other p is above).
    Benjamini–Hochberg: the false-coverage-rate intervals of Benjamini & Yekutieli
    (2005) at level R*alpha/m for R selections (alpha/m when none), which exclude
    0 exactly for the selected ones. With every hypothesis rejected the level is alpha.
    """
    p = np.asarray(p, dtype=float)
    p = p[np.isfinite(p)]
    m = len(p)
    if m == 0:
        return alpha
    r = int((_adjust(p, method) < alpha).sum())
    if method == "holm":
        return alpha if r == m else alpha / (m - r)
    return max(r, 1) * alpha / m


def paired_test(a: np.ndarray, b: np.ndarray) -> float:
    """p-value of a paired t-test of b - a; exact 1 or 0 when the differences do not vary."""
    d = np.asarray(b, dtype=float) - np.asarray(a, dtype=float)
    if len(d) < 2:
        return float("nan")
    if np.allclose(d, d[0], rtol=0, atol=1e-12):
        return 1.0 if abs(d[0]) < 1e-12 else 0.0
    return float(stats.ttest_rel(b, a).pvalue)


def d_z(a: np.ndarray, b: np.ndarray) -> float:
    """Standardised paired difference d_z = mean(b - a) / SD(b - a) (Cohen 1988, eq. 2.3.5).

    The same standard deviation as the paired t-test (t = d_z * sqrt(n)); it
    says how consistent the difference is across seeds, not how large it is
    against the spread of the levels.
    """
    d = np.asarray(b, dtype=float) - np.asarray(a, dtype=float)
    if len(d) < 2:
        return float("nan")
    sd = float(d.std(ddof=1))
    if sd < 1e-12:
        return float("nan")
    return float(d.mean()) / sd


def equivalence_p(a: np.ndarray, b: np.ndarray, delta: float) -> float:
    """p-value of the paired two one-sided tests (TOST) that |mean(b - a)| < delta (statsmodels)."""
    from statsmodels.stats.weightstats import ttost_paired

    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    d = b - a
    if len(d) < 2:
        return float("nan")
    if np.allclose(d, d[0], rtol=0, atol=1e-12):  # no spread: the difference is known exactly
        return 0.0 if abs(d[0]) < delta else 1.0
    return float(ttost_paired(b, a, -delta, delta)[0])


def crn_gain(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Achieved common-random-numbers benefit: (correlation of the paired runs, variance reduction).

    Variance reduction = 1 - Var(b - a) / (Var(a) + Var(b)): the share of the
    variance of the difference that pairing by seed removed compared with
    independent runs (2 cov / (Var a + Var b)); negative when pairing hurt.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(a) < 3:
        return float("nan"), float("nan")
    va, vb = a.var(ddof=1), b.var(ddof=1)
    if va < 1e-24 or vb < 1e-24:
        return float("nan"), float("nan")
    corr = float(np.corrcoef(a, b)[0, 1])
    return corr, float(1 - (b - a).var(ddof=1) / (va + vb))


SHARES = ("volunteer_share", "belonging", "cohesion", "firm_effort", "firm_shirking")


def clip_to_range(name: str, lo, hi):
    """Keep a CI of a mean inside the outcome's possible values (counts >= 0, shares in [0, 1])."""
    if name.startswith("participation_gap"):
        return np.maximum(lo, -1.0), np.minimum(hi, 1.0)
    if name in ("firm_profit", "fund_balance"):  # money can go negative
        return lo, hi
    if name in SHARES or name.startswith(("participation", "satisfaction", "trust_")):
        return np.maximum(lo, 0.0), np.minimum(hi, 1.0)
    return np.maximum(lo, 0.0), hi


def final_values(series: pd.DataFrame, window: int = store.DEFAULT_WINDOW, start: int = 0) -> pd.DataFrame:
    """One value per outcome and run (``store.summary_values``), indexed by (scenario, seed).

    Flows are totals over the run, stocks means over the last ``window`` days,
    cumulative outcomes their last-day value: never one noisy day.
    """
    rows = []
    for (scen, seed), g in series.groupby(["scenario", "seed"], sort=False):
        rows.append({"scenario": scen, "seed": seed, **store.summary_values(g, window, start)})
    return pd.DataFrame(rows).set_index(["scenario", "seed"])


SETTLED_TOLERANCE = 0.02  # relative change between consecutive windows below which an outcome has settled


def _relative_change(last: float, previous: float) -> float:
    """Change of the last window against the one before, relative to the larger of the two.

    NaN when either window is empty (a run too short to have an earlier window);
    relative to the previous window when the last one is zero, so a fall to zero
    reads -100% rather than infinity.
    """
    if not (np.isfinite(last) and np.isfinite(previous)):
        return float("nan")
    scale = abs(last) if abs(last) > 1e-12 else abs(previous)
    return 0.0 if scale <= 1e-12 else (last - previous) / scale


def settling(series: pd.DataFrame, outcomes: list[str], window: int = store.DEFAULT_WINDOW) -> pd.DataFrame:
    """Whether outcomes have settled by the end of the runs (runs start cold on day 0).

    For each scenario and outcome: the mean over the last ``window`` days against
    the ``window`` days before (levels for stocks, daily increments for
    cumulative outcomes and flows, i.e. whether the rate has settled), averaged
    over seeds. ``settled`` when the relative change is below ``SETTLED_TOLERANCE``;
    ``judged`` is False (and ``rel_change`` NaN) when the run is too short to have
    an earlier window to compare with.
    """
    rows = []
    series = series.sort_values(["scenario", "seed", "tick"]).reset_index(drop=True)
    last_tick = int(series["tick"].max())
    for scen, g in series.groupby("scenario", sort=False):
        tick = g["tick"].to_numpy()
        late = tick > last_tick - window
        early = (tick > last_tick - 2 * window) & ~late & (tick >= 1)
        for name in outcomes:
            v = g[name].astype(float)
            if OUTCOME_KIND.get(name) == "cumulative":
                v = v.groupby(g["seed"]).diff()
            v = v.to_numpy()
            a = float(np.nanmean(v[late])) if np.isfinite(v[late]).any() else float("nan")
            b = float(np.nanmean(v[early])) if np.isfinite(v[early]).any() else float("nan")
            rel = _relative_change(a, b)
            rows.append(
                {
                    "scenario": scen,
                    "outcome": name,
                    "last": a,
                    "previous": b,
                    "rel_change": rel,
                    "judged": bool(np.isfinite(rel)),
                    "settled": bool(np.isfinite(rel) and abs(rel) < SETTLED_TOLERANCE),
                }
            )
    return pd.DataFrame(rows)


FAMILIES = ("confirmatory", "exploratory")


def outcome_table(
    finals: pd.DataFrame,
    order: list[str],
    outcomes: list[str],
    correction: str = "bh",
    sesoi: dict[str, float] | None = None,
    headline: tuple[str, ...] = HEADLINE,
) -> pd.DataFrame:
    """One row per (outcome, scenario): mean, CI, paired difference from the baseline, d_z, tests.

    ``order[0]`` is the baseline. Tests form two families: the headline
    outcomes (confirmatory, Holm) and the rest (exploratory, ``correction``:
    Benjamini–Hochberg by default). A difference that is zero for every seed
    (an outcome fixed by construction, such as residents) is not a test and is
    marked ``identical``. The difference CIs use the level that agrees with the
    family's adjustment (``adjusted_level``), so a CI excludes 0 exactly when
    the adjusted p is below 0.05. ``sesoi`` maps outcomes to a smallest effect
    of interest; those get a paired equivalence test (TOST), adjusted the same way.
    """
    sesoi = sesoi or {}
    base = order[0]
    seeds = sorted(finals.loc[base].index)
    rows = []
    for name in outcomes:
        a = finals.loc[base].loc[seeds, name].to_numpy(dtype=float)
        family = "confirmatory" if name in headline else "exploratory"
        for scen in order:
            x = finals.loc[scen].loc[seeds, name].to_numpy(dtype=float)
            m, lo, hi = mean_ci(x)
            lo, hi = (float(v) for v in clip_to_range(name, lo, hi))
            sd = float(np.std(x, ddof=1)) if len(x) > 1 else 0.0
            row = {"outcome": name, "scenario": scen, "n": len(x), "mean": m, "sd": sd, "ci_low": lo, "ci_high": hi}
            if scen == base:
                row.update(family="baseline", diff=0.0, rel_diff=0.0, d_z=np.nan, p=np.nan)
            else:
                d = x - a
                identical = bool(np.all(np.abs(d) < 1e-12))
                corr, vr = crn_gain(a, x)
                row.update(
                    family="identical" if identical else family,
                    diff=float(d.mean()),
                    diff_sd=float(d.std(ddof=1)) if len(d) > 1 else np.nan,
                    rel_diff=float(d.mean()) / abs(a.mean()) if abs(a.mean()) > 1e-12 else np.nan,
                    d_z=d_z(a, x),
                    p=np.nan if identical else paired_test(a, x),
                    crn_corr=corr,
                    var_reduction=vr,
                )
                if name in sesoi:
                    row.update(sesoi=float(sesoi[name]), p_equiv=equivalence_p(a, x, float(sesoi[name])))
            rows.append(row)
    table = pd.DataFrame(rows)
    for col in ("diff_sd", "crn_corr", "var_reduction", "sesoi", "p_equiv"):
        if col not in table.columns:
            table[col] = np.nan
    table["p_adj"] = np.nan
    table["p_equiv_adj"] = np.nan
    table["ci_level"] = np.nan
    for fam in FAMILIES:
        method = "holm" if fam == "confirmatory" else correction
        sel = (table["family"] == fam).to_numpy()
        if not sel.any():
            continue
        table.loc[sel, "p_adj"] = _adjust(table.loc[sel, "p"].to_numpy(), method)
        table.loc[sel, "p_equiv_adj"] = _adjust(table.loc[sel, "p_equiv"].to_numpy(), method)
        table.loc[sel, "ci_level"] = 1 - adjusted_level(table.loc[sel, "p"].to_numpy(), method)
    table["method"] = table["family"].map({"confirmatory": "holm", "exploratory": correction})
    _difference_cis(table)
    tested = table["family"].isin(FAMILIES)
    table["within_noise"] = tested & ~(table["p_adj"] < ALPHA)
    table["equivalent"] = table["p_equiv_adj"] < ALPHA
    table["verdict"] = [_verdict(r) for r in table.itertuples()]
    return table


def _difference_cis(table: pd.DataFrame) -> None:
    """Paired-difference CIs at each row's family level (0 to 0 for the baseline and identical rows)."""
    lo, hi = np.zeros(len(table)), np.zeros(len(table))
    for k, r in enumerate(table.itertuples()):
        if r.family in FAMILIES and r.n > 1 and np.isfinite(r.ci_level):
            half = stats.t.ppf(0.5 + r.ci_level / 2, r.n - 1) * r.diff_sd / math.sqrt(r.n)
            lo[k], hi[k] = r.diff - half, r.diff + half
        elif r.family in FAMILIES:
            lo[k] = hi[k] = np.nan
    table["diff_low"], table["diff_high"] = lo, hi


def _verdict(r) -> str:
    if r.family == "baseline":
        return "baseline"
    if r.family == "identical":
        return "identical"
    if r.p_adj < ALPHA:
        return "different"
    if r.equivalent:
        return "equivalent"
    return "inconclusive" if np.isfinite(r.sesoi) else "within noise"


# --- running ------------------------------------------------------------------------------


class RunsFailed(RuntimeError):
    """Some runs of a comparison raised an error (the others are stored)."""


@dataclass
class Comparison:
    """Everything a report needs: scenarios, per-tick series, final values, the outcome table."""

    scenarios: list[Scenario]
    seeds: list[int]
    ticks: int
    series: pd.DataFrame
    finals: pd.DataFrame
    table: pd.DataFrame
    correction: str
    overrides: dict[str, Any]
    command: str = ""
    seconds: float = 0.0
    workers: int = 0
    run_ids: dict[str, list[str]] = field(default_factory=dict)
    window: int = store.DEFAULT_WINDOW
    sesoi: dict[str, float] = field(default_factory=dict)
    source: str = ""
    burn_in: int = 0

    @property
    def names(self) -> list[str]:
        """Scenario names in order; the first is the baseline."""
        return [s.name for s in self.scenarios]


def repeated_scenario(refs: list[str]) -> str | None:
    """The first reference naming a scenario already named before it (same preset or file), else None.

    Comparing a scenario with itself gives zero differences and undefined statistics.
    """
    from sim.scenario import _resolve

    seen = set()
    for ref in refs:
        try:
            key = str(_resolve(ref).resolve())
        except ScenarioError:  # unknown: reported when the scenarios are loaded
            key = str(ref)
        if key in seen:
            return ref
        seen.add(key)
    return None


def repeated_scenario_error(refs: list[str]) -> str | None:
    """The one-line error for a scenario named twice (``cogov compare A A``), else None."""
    ref = repeated_scenario(refs)
    if ref is None:
        return None
    return f"{ref}: the same scenario is named twice; allowed: two or more different scenarios (A B [C ...])"


def load_scenarios(refs: list[str], overrides: dict[str, Any]) -> list[Scenario]:
    """Load and validate the compared scenarios (names made unique)."""
    scens = [load_scenario(r, **overrides) for r in refs]
    seen: dict[str, int] = {}
    for s in scens:
        k = seen.get(s.name, 0)
        seen[s.name] = k + 1
        if k:
            s.name = f"{s.name}#{k + 1}"
    return scens


def _burn_days(task: dict[str, Any]) -> int:
    """Days a run simulates before its own ticks (its series holds them too)."""
    return int((task.get("burn_in") or {}).get("days", 0))


def run_comparison(
    refs: list[str],
    seeds: int | list[int] = 20,
    ticks: int = 365,
    overrides: dict[str, Any] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    out: str | Path | None = None,
    correction: str = "bh",
    quiet: bool = False,
    command: str = "",
    window: int = store.DEFAULT_WINDOW,
    sesoi: dict[str, float] | None = None,
    fresh: bool = False,
    burn_in: int = 0,
) -> Comparison:
    """Run every scenario over the same seeds and compute the outcome table.

    Runs are cached in ``out`` by run id (a summary part per run in ``out/runs``;
    their per-tick series gathered into ``out/series.parquet`` when the session
    ends, finished or interrupted), so running the same comparison again (or
    adding a scenario) computes only what is missing.
    Stored runs made by other model sources raise ``store.StaleRunsError``
    unless ``fresh`` recomputes them. With ``burn_in`` days, every run first
    simulates that many days with the baseline's run-time parameters (the
    structural ones, such as the community's size and organisations, are the
    scenario's own from day 0), then ``ticks`` days with its own; only those count.
    """
    overrides = overrides or {}
    seed_list = list(range(1, seeds + 1)) if isinstance(seeds, int) else [int(s) for s in seeds]
    scens = load_scenarios(refs, overrides)
    out = Path(out) if out else default_out(refs)
    burn = burn_in_spec(scens[0], burn_in)
    tasks, ids = [], {}
    for s in scens:
        params = store.canonical(s.params)
        ids[s.name] = []
        for seed in seed_list:
            rid = store.run_id(params, seed, ticks, burn)
            ids[s.name].append(rid)
            tasks.append(
                {
                    "run_id": rid,
                    "scenario": s.name,
                    "params": params,
                    "seed": seed,
                    "ticks": ticks,
                    "description": s.description,
                    "sources": s.sources,
                    "path": s.path,
                    "chain": s.chain,
                    **({"burn_in": burn} if burn else {}),
                }
            )
    store.clean_temporaries(out)
    wanted = {t["run_id"] for t in tasks}
    if fresh:
        store.drop_runs(out, wanted)
    done = store.done_ids(out, expected={t["run_id"]: t["ticks"] + _burn_days(t) for t in tasks})
    store.check_sources(out, done & wanted)
    todo = [t for t in runner.dedupe(tasks) if t["run_id"] not in done]
    stream = sys.stderr if not quiet else _Null()
    progress = runner.Progress(
        len(runner.dedupe(tasks)), len(runner.dedupe(tasks)) - len(todo), "compare", stream=stream
    )
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
        raise RunsFailed(f"{len(res.failed)} runs failed; first {rid}: {msg}")
    parts = []
    for s in scens:
        df = store.load_series(out, ids[s.name])
        df["scenario"] = s.name  # identical parameter sets share stored runs
        parts.append(df)
    series = pd.concat(parts, ignore_index=True).drop(columns=["run_id"])
    finals = final_values(series, window, burn_in)
    outcomes = [o for o in OUTCOMES if o != "tick"]
    table = outcome_table(finals, [s.name for s in scens], outcomes, correction, sesoi)
    return Comparison(
        scens,
        seed_list,
        ticks,
        series,
        finals,
        table,
        correction,
        overrides,
        command,
        res.seconds,
        res.workers,
        ids,
        window,
        dict(sesoi or {}),
        store.source_identity(),
        burn_in,
    )


def burn_in_spec(baseline: Scenario, days: int) -> dict[str, Any] | None:
    """The burn-in of a task: its days and the baseline's values of every run-time (non-structural) parameter."""
    if days <= 0:
        return None
    from sim.params import STRUCTURAL

    return {
        "days": int(days),
        "params": {k: v for k, v in store.canonical(baseline.params).items() if k not in STRUCTURAL},
    }


class _Null:
    def write(self, *_):
        return 0

    def flush(self):
        pass

    def isatty(self):
        return False


def default_out(refs: list[str]) -> Path:
    """results/compare-<A>-vs-<B>..."""
    stems = [Path(r).stem for r in refs]
    return Path("results") / ("compare-" + "-vs-".join(stems))


def parse_set(items: list[str]) -> dict[str, Any]:
    """``key=value`` overrides; values parsed as TOML (numbers, true/false, "text")."""
    import tomllib

    out = {}
    for item in items:
        if "=" not in item:
            raise ScenarioError(f"--set {item}: expected key=value; allowed: a parameter name, '=', a value")
        key, val = item.split("=", 1)
        try:
            out[key.strip()] = tomllib.loads(f"v = {val.strip()}")["v"]
        except tomllib.TOMLDecodeError:
            out[key.strip()] = val.strip()
    return out


def parse_sesoi(items: list[str]) -> dict[str, float]:
    """``OUTCOME=DELTA`` items of ``--sesoi``; ``ValueError`` names the item and what is allowed."""
    out: dict[str, float] = {}
    for item in items:
        name, _, val = item.partition("=")
        name = name.strip()
        if name not in OUTCOMES or name == "tick":
            raise ValueError(f"--sesoi {item}: unknown outcome '{name}'; allowed: an outcome name, e.g. participation")
        try:
            delta = float(val)
        except ValueError:
            delta = float("nan")
        if not np.isfinite(delta) or delta <= 0:
            raise ValueError(f"--sesoi {item}: '{val}' is not a positive number; allowed: OUTCOME=DELTA with DELTA > 0")
        out[name] = delta
    return out


# --- command line -----------------------------------------------------------------------------


def command_line(args: argparse.Namespace) -> str:
    """The ``cogov compare`` command that reproduces this comparison."""
    words = ["cogov", "compare", *args.scenarios, "--seeds", str(args.seeds), "--ticks", str(args.ticks)]
    for item in args.set:
        words += ["--set", item]
    if args.correction != "bh":
        words += ["--correction", args.correction]
    if args.window != store.DEFAULT_WINDOW:
        words += ["--window", str(args.window)]
    for item in args.sesoi:
        words += ["--sesoi", item]
    if args.burn_in:
        words += ["--burn-in", str(args.burn_in)]
    if args.lang != "en":
        words += ["--lang", args.lang]
    return " ".join(shlex.quote(w) for w in words)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``cogov compare``."""
    parser.add_argument(
        "scenarios",
        nargs="+",
        metavar="SCENARIO",
        help="two or more presets or scenario files; the first is the baseline",
    )
    parser.add_argument("--seeds", type=int, default=20, help="runs per scenario, seeds 1..N (default 20)")
    parser.add_argument("--ticks", type=int, default=365, help="days per run (default 365)")
    parser.add_argument("--out", default=None, help="output directory (default results/compare-A-vs-B)")
    parser.add_argument("--lang", choices=("en", "zh"), default="en", help="report language")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a parameter in every scenario (repeatable), e.g. --set residents=3000",
    )
    parser.add_argument(
        "--correction",
        choices=CORRECTIONS,
        default="bh",
        help="correction of the exploratory family (non-headline outcomes): bh (false discovery rate, "
        "default) or holm; the headline outcomes always form a Holm family",
    )
    parser.add_argument(
        "--window",
        type=int,
        default=store.DEFAULT_WINDOW,
        metavar="DAYS",
        help=f"stocks are averaged over the last DAYS days (default {store.DEFAULT_WINDOW}); "
        "flows are summed over the run",
    )
    parser.add_argument(
        "--sesoi",
        action="append",
        default=[],
        metavar="OUTCOME=DELTA",
        help="smallest effect of interest of an outcome (repeatable): adds a paired equivalence test "
        "(TOST) of |difference| < DELTA, e.g. --sesoi participation=0.02",
    )
    parser.add_argument(
        "--fresh", action="store_true", help="recompute stored runs instead of reusing them (after a code change)"
    )
    parser.add_argument(
        "--burn-in",
        type=int,
        default=0,
        metavar="DAYS",
        help="simulate DAYS days with the baseline's run-time parameters before the scenarios differ; "
        "only the --ticks days after them count (default 0: a cold start)",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--workers",
        type=safety.workers_arg,
        default=None,
        help="worker processes (default: all cores; 0 = run in this process)",
    )
    where.add_argument("--scheduler", default=None, metavar="ADDRESS", help="existing dask scheduler")
    parser.add_argument("--quiet", action="store_true", help="no progress output")


def main_args(args: argparse.Namespace) -> int:
    """Run ``cogov compare`` from parsed arguments; return the exit status."""
    from experiments.report import write_report

    if len(args.scenarios) < 2:
        safety.report_error("compare needs at least two scenarios; allowed: A B [C ...]")
        return EXIT_BAD_INPUT
    if repeated := repeated_scenario_error(args.scenarios):
        safety.report_error(repeated)
        return EXIT_BAD_INPUT
    if args.seeds < 2:
        safety.report_error(f"--seeds {args.seeds}: too few for a confidence interval; allowed: 2 or more")
        return EXIT_BAD_INPUT
    if args.seeds * len(args.scenarios) > safety.MAX_RUNS:
        safety.report_error(
            f"--seeds {args.seeds}: {args.seeds * len(args.scenarios):,} runs; allowed: at most "
            f"{safety.MAX_RUNS:,} runs in all"
        )
        return EXIT_BAD_INPUT
    if args.ticks < 1:
        safety.report_error(f"--ticks {args.ticks}; allowed: 1 or more")
        return EXIT_BAD_INPUT
    if args.burn_in < 0:
        safety.report_error(f"--burn-in {args.burn_in}; allowed: 0 or more days")
        return EXIT_BAD_INPUT
    if args.window < 1:
        safety.report_error(f"--window {args.window}; allowed: 1 or more days")
        return EXIT_BAD_INPUT
    try:
        sesoi = parse_sesoi(args.sesoi)
    except ValueError as exc:
        print(f"cogov: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    out = Path(args.out) if args.out else default_out(args.scenarios)
    try:
        safety.check_output_dir(out)
    except safety.OutputError as exc:
        safety.report_error(str(exc))
        return EXIT_BAD_INPUT
    command = command_line(args)
    t0 = time.perf_counter()
    try:
        comp = run_comparison(
            args.scenarios,
            args.seeds,
            args.ticks,
            parse_set(args.set),
            args.workers,
            args.scheduler,
            out,
            args.correction,
            args.quiet,
            command,
            args.window,
            sesoi,
            args.fresh,
            args.burn_in,
        )
    except (ScenarioError, runner.SchedulerError, store.StaleRunsError) as exc:
        safety.report_error(str(exc))
        return EXIT_BAD_INPUT
    except RunsFailed as exc:
        safety.report_error(f"{exc}; finished runs are kept in {out}")
        return 1
    except KeyboardInterrupt:
        print(f"\ninterrupted: finished runs are kept in {out}; run the same command again to resume", file=sys.stderr)
        return safety.EXIT_INTERRUPTED
    html = write_report(comp, out, lang=args.lang)
    if not args.quiet:
        print(
            f"compared {', '.join(comp.names)} over {len(comp.seeds)} seeds in "
            f"{time.perf_counter() - t0:.1f}s\nreport: {html}",
            file=sys.stderr,
        )
    print(html)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m experiments.compare``."""
    parser = safety.OneLineParser(prog="cogov compare", description=__doc__.splitlines()[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    with safety.sigterm_as_interrupt():  # SIGTERM stops it like Ctrl-C: finished runs kept, exit 143
        try:
            return safety.exit_code(main_args(args))
        except KeyboardInterrupt:
            return safety.exit_code(safety.EXIT_INTERRUPTED)


if __name__ == "__main__":
    sys.exit(main())
