"""Parameter sweeps: ``cogov sweep FILE [--workers N | --scheduler ADDRESS] [--out DIR]``.

Resumable: every run has a deterministic id (a hash of its parameters, seed
and length) and is stored as its own Parquet part as soon as it finishes, so a
sweep stopped at any moment and started again computes only the missing runs,
and the final tables equal an uninterrupted sweep's. Load results with
``experiments.load_sweep(DIR)``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import platform
import sys
import time
from pathlib import Path
from typing import Any

import mesa
import numpy as np

import sim
from experiments import runner, store
from experiments.design import SweepFileError, SweepSpec, design_table, load_sweep_file, unit_design
from sim import safety
from sim.params import BY_NAME

EXIT_BAD_INPUT = 2


class SweepDirError(ValueError):
    """The output directory holds a different sweep."""


def spec_fingerprint(spec: SweepSpec, run_ids: list[str]) -> str:
    """Hash of what the sweep computes (its run ids), to refuse mixing two sweeps in one directory."""
    return hashlib.sha256(json.dumps(sorted(set(run_ids))).encode()).hexdigest()[:20]


def manifest_ids(out: Path) -> list[str]:
    """Distinct run ids of the sweep stored in ``out`` (from its design table)."""
    import pandas as pd

    return list(dict.fromkeys(pd.read_parquet(out / "design.parquet")["run_id"]))


def default_out(spec: SweepSpec) -> Path:
    """results/sweeps/<name>."""
    return Path("results") / "sweeps" / spec.name


def design_size(spec: SweepSpec) -> tuple[int, int]:
    """(points, runs) of a design, counted without building it (a grid may be astronomically large)."""
    d = len(spec.factors) + (1 if spec.dummy_factor else 0)  # a Sobol design's dummy factor counts as a factor
    if spec.design == "grid":
        points = 1
        for f in spec.factors:
            if f.categorical:
                points *= len(f.values)
            elif spec.samples <= 10_000:
                points *= len(f.levels(spec.samples))
            elif BY_NAME[f.name].kind == "int":  # rounded levels: at most one per integer
                points *= min(spec.samples, int(np.floor(f.hi) - np.ceil(f.lo)) + 1)
            else:
                points *= spec.samples
    elif spec.design == "lhs":
        points = spec.samples
    elif spec.design == "sobol":
        points = spec.samples * (2 * d + 2 if spec.second_order else d + 2)
    else:  # morris: one trajectory visits d + 1 points
        points = spec.samples * (d + 1)
    return points, points * len(spec.seeds)


def check_spec(spec: SweepSpec, max_runs: int = safety.MAX_RUNS) -> tuple[int, int]:
    """Refuse a sweep with text control characters or more than ``max_runs`` runs; return (points, runs)."""
    for key in ("name", "description"):
        bad = safety.control_character(str(getattr(spec, key)))
        if bad is not None:
            raise SweepFileError(
                f"{spec.path}: [sweep] {key}: holds the control character U+{ord(bad):04X}; "
                "allowed: text without control characters"
            )
    points, runs = design_size(spec)
    if runs > max_runs:
        raise SweepFileError(
            f"{spec.path}: [sweep]: the {spec.design} design has {runs:,} runs ({points:,} points × "
            f"{len(spec.seeds):,} seeds), more than the limit of {max_runs:,}; allowed: fewer samples, "
            "factors or seeds, or a higher limit with --max-runs N"
        )
    return points, runs


def library_versions() -> dict[str, str]:
    """Versions of the libraries that make and analyse a sweep's numbers."""
    from importlib import metadata

    import dask
    import pandas as pd
    import scipy
    import sklearn

    return {
        "mesa": mesa.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "pandas": pd.__version__,
        "SALib": metadata.version("SALib"),
        "scikit-learn": sklearn.__version__,
        "dask": dask.__version__,
        "python": platform.python_version(),
    }


def prepare(spec: SweepSpec, out: Path, fresh: bool = False) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Write design and manifest (or check them on resume); return the missing tasks and the manifest.

    Stored runs made by other model sources raise ``store.StaleRunsError``;
    ``fresh`` deletes them (and the summary) so they are recomputed.
    """
    table, tasks = design_table(spec)
    fp = spec_fingerprint(spec, list(table["run_id"]))
    out.mkdir(parents=True, exist_ok=True)
    mpath = out / "manifest.json"
    if mpath.exists():
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
        if manifest.get("fingerprint") != fp:
            raise SweepDirError(
                f"{out}: holds the results of a different sweep ('{manifest.get('name')}' from "
                f"{manifest.get('sweep_file')}); allowed: the same sweep file to resume, or another --out"
            )
        if manifest.get("version") != sim.__version__:
            print(
                f"warning: {out} was started with cogov-sim {manifest.get('version')}, "
                f"this is {sim.__version__}; runs may differ",
                file=sys.stderr,
            )
    else:
        manifest = {
            "name": spec.name,
            "description": spec.description,
            "sweep_file": spec.path,
            "sweep_file_text": Path(spec.path).read_text(encoding="utf-8"),
            "base": spec.base_ref,
            "base_scenario": spec.base.name,
            "base_overrides": spec.overrides,
            "base_parameters": store.canonical(spec.base.params),
            "design": spec.design,
            "samples": spec.samples,
            "design_seed": spec.design_seed,
            "second_order": spec.second_order,
            "factors": [{"name": f.name, "lo": f.lo, "hi": f.hi, "values": list(f.values)} for f in spec.factors],
            "seeds": list(spec.seeds),
            "ticks": spec.ticks,
            "points": int(table["point"].nunique()),
            "runs": len(table),
            "distinct_runs": len(tasks),
            "fingerprint": fp,
            "package": "cogov-sim",
            "version": sim.__version__,
            "mesa_version": mesa.__version__,
            "numpy_version": np.__version__,
            "python": platform.python_version(),
            "versions": library_versions(),
            "git_commit": store.git_commit(),
            "source": store.source_identity(),
            "window": store.DEFAULT_WINDOW,
            "dummy_factor": spec.dummy_factor,
            "sessions": [],
        }
        store.atomic_write_parquet(table, out / "design.parquet")
        unit = unit_design(spec)
        if unit is not None:
            store.atomic_write_parquet(unit, out / "unit_design.parquet")
        store.atomic_write_json(manifest, mpath)
    store.clean_temporaries(out)
    ids = {t["run_id"] for t in tasks}
    if fresh:
        store.drop_runs(out, ids)
        (out / "summary.parquet").unlink(missing_ok=True)
    done = store.done_ids(out, expected={t["run_id"]: t["ticks"] for t in tasks})
    store.check_sources(out, done & ids)
    manifest["source"] = store.source_identity()
    manifest["git_commit"] = store.git_commit()
    return [t for t in tasks if t["run_id"] not in done], manifest


def run_sweep(
    spec: SweepSpec,
    out: str | Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    quiet: bool = False,
    max_runs: int = safety.MAX_RUNS,
    fresh: bool = False,
) -> runner.Outcome:
    """Run (or resume) a sweep into ``out``; return what this session did.

    Raises:
        SweepFileError: the design has more than ``max_runs`` runs (checked before it is built).
        safety.OutputError: ``out`` cannot be created or written.
    """
    out = Path(out) if out is not None else default_out(spec)
    points, runs = check_spec(spec, max_runs)
    safety.check_output_dir(out)
    stream = io.StringIO() if quiet else sys.stderr
    print(f"{spec.name}: {runs:,} runs ({points:,} points × {len(spec.seeds):,} seeds) into {out}", file=stream)
    todo, manifest = prepare(spec, out, fresh)
    total = manifest["distinct_runs"]
    already = total - len(todo)
    if already and not quiet:
        print(f"resuming {spec.name}: {already} of {total} runs already stored in {out}", file=stream)
    progress = runner.Progress(total, already, spec.name, stream=stream)
    result = runner.execute(
        todo,
        lambda rid, df: store.write_run(out, rid, df),
        store_dir=out,
        workers=workers,
        scheduler=scheduler,
        progress=progress,
    )
    session = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(time.time() - result.seconds)),
        "runs_computed": result.finished,
        "runs_failed": len(result.failed),
        "seconds": round(result.seconds, 2),
        "workers": result.workers,
        "scheduler": scheduler,
        "interrupted": result.interrupted,
        "runs_per_second": round(result.finished / result.seconds, 3) if result.seconds else None,
    }
    manifest["sessions"].append(session)
    manifest["failed"] = result.failed
    store.atomic_write_json(manifest, out / "manifest.json")
    store.compact_series(out)  # finished or interrupted: the session's series go into one dataset
    if len(store.done_ids(out) & set(manifest_ids(out))) == total:
        store.atomic_write_parquet(store.load_sweep(out), out / store.SUMMARY)
    return result


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``cogov sweep``."""
    parser.add_argument("file", help="sweep file (TOML): base scenario, [vary] ranges, design, seeds")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--workers",
        type=safety.workers_arg,
        default=None,
        help="worker processes of a local dask cluster (default: all cores; 0 = no dask)",
    )
    where.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="address of an existing dask scheduler, e.g. tcp://10.0.0.5:8786",
    )
    parser.add_argument("--out", default=None, help="output directory (default: results/sweeps/<name>)")
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    parser.add_argument(
        "--max-runs",
        type=safety.whole_number("runs", 1),
        default=safety.MAX_RUNS,
        metavar="N",
        help=f"refuse designs of more than N runs (default: {safety.MAX_RUNS:,})",
    )
    parser.add_argument(
        "--fresh", action="store_true", help="recompute stored runs instead of reusing them (after a code change)"
    )


def main_args(args: argparse.Namespace) -> int:
    """Run ``cogov sweep`` from parsed arguments; return the exit status."""
    try:
        spec = load_sweep_file(args.file)
        out = Path(args.out) if args.out else default_out(spec)
        result = run_sweep(
            spec,
            out,
            workers=args.workers,
            scheduler=args.scheduler,
            quiet=args.quiet,
            max_runs=args.max_runs,
            fresh=args.fresh,
        )
    except (SweepFileError, SweepDirError, safety.OutputError, runner.SchedulerError, store.StaleRunsError) as exc:
        safety.report_error(str(exc))
        return EXIT_BAD_INPUT
    if result.interrupted:
        print(
            f"\ninterrupted: finished runs are stored in {out}; run the same command again to resume", file=sys.stderr
        )
        return safety.EXIT_INTERRUPTED
    if result.failed:
        first = next(iter(result.failed.items()))
        safety.report_error(
            f"{len(result.failed)} runs failed (first: {first[0]}: {first[1]}); see {out / 'manifest.json'}"
        )
        return 1
    if not args.quiet:
        print(f"{spec.name}: results in {out} (load with experiments.load_sweep('{out}'))", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m experiments.sweep``."""
    parser = safety.OneLineParser(prog="cogov sweep", description=__doc__.splitlines()[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    with safety.sigterm_as_interrupt():  # SIGTERM stops it like Ctrl-C: finished runs kept, exit 143
        try:
            return safety.exit_code(main_args(args))
        except KeyboardInterrupt:
            return safety.exit_code(safety.EXIT_INTERRUPTED)


if __name__ == "__main__":
    sys.exit(main())
