"""Benchmark: sweep throughput (runs per second) with 1 and 2 dask workers.

Runs the first ``--runs`` runs of ``experiments/reference-200-sweep.toml`` (all
200 by default) into temporary directories, once per worker count, and prints
runs per second and the speed-up. The clock starts when the workers are ready,
so cluster start-up is not counted. Results are checked to be identical.

    python -m experiments.benchmark_workers [--runs 200] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import pandas as pd

from experiments import runner, store
from experiments.design import design_table, load_sweep_file

HERE = Path(__file__).parent


def measure(tasks: list[dict], workers: int, out: Path) -> float:
    """Runs per second of ``tasks`` on a local cluster of ``workers`` processes."""
    progress = runner.Progress(len(tasks), 0, f"{workers} worker(s)", every=30.0)
    runner.execute(
        tasks, lambda rid, df: store.write_run(out, rid, df), store_dir=out, workers=workers, progress=progress
    )
    return progress.rate()


def main(argv: list[str] | None = None) -> int:
    """Measure and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--file", default=str(HERE / "reference-200-sweep.toml"))
    ap.add_argument("--keep", default=None, metavar="DIR", help="keep the run parts in DIR/w<N> instead of a temp dir")
    args = ap.parse_args(argv)
    _, tasks = design_table(load_sweep_file(args.file))
    tasks = tasks[: args.runs]
    rates, tables = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for w in args.workers:
            out = Path(args.keep or tmp) / f"w{w}"
            rates[w] = measure(tasks, w, out)
            tables[w] = pd.concat([pd.read_parquet(p) for p in sorted((out / "runs").glob("*.parquet"))])
    first = args.workers[0]
    print(f"{len(tasks)} runs of {Path(args.file).name} on {os.cpu_count()} cores")
    for w in args.workers:
        same = tables[w].reset_index(drop=True).equals(tables[first].reset_index(drop=True))
        print(
            f"  {w} worker(s): {rates[w]:.3f} runs/s  speed-up {rates[w] / rates[first]:.2f}x  "
            f"identical results: {same}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
