"""Run identity and crash-safe storage of sweep results.

A sweep directory holds::

    manifest.json        the sweep spec, versions, and one entry per session
    design.parquet       one row per (point, seed): the varied values and run_id
    runs/<run_id>.parquet     one row: the run's outcomes at the last tick
    series/<run_id>.parquet   the run's per-tick outcome table

A run is finished when its ``runs/`` part exists. Parts are written to a
temporary name in the same directory and renamed into place (``os.replace``
is atomic on POSIX), so a kill at any moment leaves either a whole part or
none; the series part is renamed before the run part, so a finished run always
has its series. Re-running a run overwrites its parts with the same content:
a run is never stored twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.outcomes import OUTCOMES

RUNS, SERIES = "runs", "series"


def canonical(value: Any) -> Any:
    """Plain JSON-able Python values (numpy scalars and tuples converted), for hashing and storage."""
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def run_id(params: dict[str, Any], seed: int, ticks: int) -> str:
    """Deterministic id of one run: a hash of its full parameter set, seed and length."""
    doc = json.dumps(
        {"params": canonical(params), "seed": int(seed), "ticks": int(ticks)}, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(doc.encode("utf-8")).hexdigest()[:20]


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_parquet(df: pd.DataFrame, path: Path) -> None:
    """Write a DataFrame as Parquet through a temporary file and an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        df.to_parquet(tmp, index=False)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_json(obj: Any, path: Path) -> None:
    """Write JSON (UTF-8, indented) atomically."""
    atomic_write_bytes(path, json.dumps(obj, indent=2, ensure_ascii=False, default=str).encode("utf-8"))


def summary_row(series: pd.DataFrame, rid: str) -> pd.DataFrame:
    """One-row table of a run: its id, seed and every outcome at the last tick."""
    last = series.iloc[-1]
    row: dict[str, Any] = {"run_id": rid, "seed": int(last["seed"]), "ticks": int(last["tick"])}
    for name in OUTCOMES:
        if name != "tick":
            row[name] = last[name]
    return pd.DataFrame([row])


def done_ids(directory: Path) -> set[str]:
    """Ids of the runs whose results are stored (finished runs)."""
    runs = Path(directory) / RUNS
    if not runs.is_dir():
        return set()
    return {p.stem for p in runs.glob("*.parquet")}


def clean_temporaries(directory: Path) -> int:
    """Remove half-written temporary files left by a killed sweep; return how many."""
    n = 0
    for sub in (RUNS, SERIES, "."):
        d = Path(directory) / sub
        if d.is_dir():
            for p in d.glob(".*.tmp"):
                p.unlink(missing_ok=True)
                n += 1
    return n


def write_run(directory: Path, rid: str, series: pd.DataFrame) -> None:
    """Store one finished run: its per-tick series, then its summary row (the 'done' mark)."""
    directory = Path(directory)
    series = series.copy()
    series.attrs = {}
    series.insert(0, "run_id", rid)
    atomic_write_parquet(series, directory / SERIES / f"{rid}.parquet")
    atomic_write_parquet(summary_row(series, rid), directory / RUNS / f"{rid}.parquet")


def _read_parts(folder: Path, ids: list[str] | None) -> pd.DataFrame:
    if ids is None:
        files = sorted(folder.glob("*.parquet"))
    else:
        files = [folder / f"{i}.parquet" for i in ids if (folder / f"{i}.parquet").exists()]
    if not files:
        return pd.DataFrame()
    return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)


def load_sweep(directory: str | Path, complete: bool = False) -> pd.DataFrame:
    """Load a sweep directory into one DataFrame: one row per (point, seed).

    Columns: ``point``, ``seed``, ``run_id``, the varied parameters, then every
    outcome at the last tick (an outcome named like a varied parameter, such as
    ``residents``, gets the suffix ``_outcome``). Rows are in design order;
    runs not finished yet have missing outcomes unless ``complete`` drops them.
    """
    directory = Path(directory)
    design = pd.read_parquet(directory / "design.parquet")
    uniq = list(dict.fromkeys(design["run_id"]))
    runs = _read_parts(directory / RUNS, uniq)
    if runs.empty:
        runs = pd.DataFrame({"run_id": pd.Series(dtype=str)})
    runs = runs.drop(columns=["seed"], errors="ignore")
    clash = [c for c in runs.columns if c in design.columns and c != "run_id"]
    runs = runs.rename(columns={c: f"{c}_outcome" for c in clash})
    out = design.merge(runs, on="run_id", how="left", sort=False)
    if complete:
        out = out[out["run_id"].isin(set(runs["run_id"]))].reset_index(drop=True)
    return out


def load_series(directory: str | Path, run_ids: list[str] | None = None) -> pd.DataFrame:
    """Per-tick series of the finished runs of a sweep (all, or those in ``run_ids``)."""
    return _read_parts(Path(directory) / SERIES, run_ids)


def read_manifest(directory: str | Path) -> dict[str, Any]:
    """The sweep's manifest (spec, versions, sessions)."""
    return json.loads((Path(directory) / "manifest.json").read_text(encoding="utf-8"))
