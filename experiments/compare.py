"""Scenario comparison: ``cogov compare A B [C ...] [--seeds N] [--ticks N] [--out DIR]``.

Every scenario is run over the same seeds (common random numbers: the model
derives each mechanism's random stream from the seed, so two scenarios differ
only where their parameters differ). For each outcome at the last tick the
comparison reports the mean and its 95% confidence interval across seeds, the
difference from the first scenario (the baseline) paired by seed with its CI,
an effect size, and a paired t-test corrected for the number of comparisons
(Holm by default, Benjamini–Hochberg on request). It writes a table, figures
and a self-contained HTML report.
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
from sim.outcomes import OUTCOMES
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
    """Holm–Bonferroni adjusted p-values (NaN stays NaN and does not count as a test)."""
    p = np.asarray(p, dtype=float)
    out = np.full_like(p, np.nan)
    ok = np.flatnonzero(np.isfinite(p))
    m = len(ok)
    if m == 0:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    adj = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out[order] = np.minimum(adj, 1.0)
    return out


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (false discovery rate; NaN stays NaN), by SciPy."""
    p = np.asarray(p, dtype=float)
    out = np.full_like(p, np.nan)
    ok = np.isfinite(p)
    if ok.any():
        out[ok] = stats.false_discovery_control(p[ok], method="bh")
    return out


def paired_test(a: np.ndarray, b: np.ndarray) -> float:
    """p-value of a paired t-test of b - a; exact 1 or 0 when the differences do not vary."""
    d = np.asarray(b, dtype=float) - np.asarray(a, dtype=float)
    if len(d) < 2:
        return float("nan")
    if np.allclose(d, d[0], rtol=0, atol=1e-12):
        return 1.0 if abs(d[0]) < 1e-12 else 0.0
    return float(stats.ttest_rel(b, a).pvalue)


def effect_size(a: np.ndarray, b: np.ndarray) -> float:
    """Cohen's d: mean difference over the pooled standard deviation across seeds."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(a) < 2:
        return float("nan")
    sd = math.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2)
    diff = float(b.mean() - a.mean())
    if sd < 1e-12:
        return 0.0 if abs(diff) < 1e-12 else float("nan")
    return diff / sd


def effect_word(d: float) -> str:
    """Conventional size of an effect d (Cohen 1988)."""
    if not np.isfinite(d):
        return "n/a"
    d = abs(d)
    return "negligible" if d < 0.2 else "small" if d < 0.5 else "medium" if d < 0.8 else "large"


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


def final_values(series: pd.DataFrame) -> pd.DataFrame:
    """Outcomes at each run's last tick, indexed by (scenario, seed)."""
    last = series.sort_values("tick").groupby(["scenario", "seed"], sort=False).tail(1)
    return last.set_index(["scenario", "seed"])


def outcome_table(
    finals: pd.DataFrame, order: list[str], outcomes: list[str], correction: str = "holm"
) -> pd.DataFrame:
    """One row per (outcome, scenario): mean, CI, paired difference from the baseline, effect, test.

    ``order[0]`` is the baseline. p-values are adjusted over every (outcome,
    non-baseline scenario) test in the table.
    """
    base = order[0]
    seeds = sorted(finals.loc[base].index)
    rows = []
    for name in outcomes:
        a = finals.loc[base].loc[seeds, name].to_numpy(dtype=float)
        for scen in order:
            x = finals.loc[scen].loc[seeds, name].to_numpy(dtype=float)
            m, lo, hi = mean_ci(x)
            lo, hi = (float(v) for v in clip_to_range(name, lo, hi))
            sd = float(np.std(x, ddof=1)) if len(x) > 1 else 0.0
            row = {"outcome": name, "scenario": scen, "n": len(x), "mean": m, "sd": sd, "ci_low": lo, "ci_high": hi}
            if scen == base:
                row.update(diff=0.0, diff_low=0.0, diff_high=0.0, rel_diff=0.0, effect=np.nan, p=np.nan)
            else:
                d, dlo, dhi = mean_ci(x - a)
                row.update(
                    diff=d,
                    diff_low=dlo,
                    diff_high=dhi,
                    rel_diff=d / abs(a.mean()) if abs(a.mean()) > 1e-12 else np.nan,
                    effect=effect_size(a, x),
                    p=paired_test(a, x),
                )
            rows.append(row)
    table = pd.DataFrame(rows)
    adjust = holm if correction == "holm" else benjamini_hochberg
    table["p_adj"] = adjust(table["p"].to_numpy())
    table["within_noise"] = ~(table["p_adj"] < ALPHA)
    table.loc[table["scenario"] == base, "within_noise"] = False
    table["effect_size"] = [effect_word(d) for d in table["effect"]]
    return table


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

    @property
    def names(self) -> list[str]:
        """Scenario names in order; the first is the baseline."""
        return [s.name for s in self.scenarios]


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


def run_comparison(
    refs: list[str],
    seeds: int | list[int] = 20,
    ticks: int = 365,
    overrides: dict[str, Any] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    out: str | Path | None = None,
    correction: str = "holm",
    quiet: bool = False,
    command: str = "",
) -> Comparison:
    """Run every scenario over the same seeds and compute the outcome table.

    Runs are cached in ``out/runs`` and ``out/series`` by run id, so running
    the same comparison again (or adding a scenario) computes only what is missing.
    """
    overrides = overrides or {}
    seed_list = list(range(1, seeds + 1)) if isinstance(seeds, int) else [int(s) for s in seeds]
    scens = load_scenarios(refs, overrides)
    out = Path(out) if out else default_out(refs)
    tasks, ids = [], {}
    for s in scens:
        params = store.canonical(s.params)
        ids[s.name] = []
        for seed in seed_list:
            rid = store.run_id(params, seed, ticks)
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
                }
            )
    store.clean_temporaries(out)
    done = store.done_ids(out, expected={t["run_id"]: t["ticks"] for t in tasks})
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
    finals = final_values(series)
    outcomes = [o for o in OUTCOMES if o != "tick"]
    table = outcome_table(finals, [s.name for s in scens], outcomes, correction)
    return Comparison(
        scens, seed_list, ticks, series, finals, table, correction, overrides, command, res.seconds, res.workers, ids
    )


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


# --- command line -----------------------------------------------------------------------------


def command_line(args: argparse.Namespace) -> str:
    """The ``cogov compare`` command that reproduces this comparison."""
    words = ["cogov", "compare", *args.scenarios, "--seeds", str(args.seeds), "--ticks", str(args.ticks)]
    for item in args.set:
        words += ["--set", item]
    if args.correction != "holm":
        words += ["--correction", args.correction]
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
        default="holm",
        help="multiple-comparison correction: holm (family-wise) or bh (false discovery rate)",
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
        )
    except (ScenarioError, runner.SchedulerError) as exc:
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
