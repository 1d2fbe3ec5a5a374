"""Run identity and crash-safe storage of sweep results.

A sweep directory holds::

    manifest.json        the sweep spec, versions, and one entry per session
    design.parquet       one row per (point, seed): the varied values and run_id
    runs/<run_id>.parquet     one row: the run's outcomes at the last tick
    series/<run_id>.parquet   the run's per-tick outcome table

A run is finished when its ``runs/`` part reads back whole (``check_run``): one
row, matching the checksum of that row and the size, SHA-256 and row count of
its series part, all recorded in the run part's Parquet metadata. Parts are
written to a temporary name in the same directory and renamed into place
(``os.replace`` is atomic on POSIX), so a kill at any moment leaves either a
whole part or none; the series part is renamed before the run part, so a
finished run always has its series. A part damaged later (truncated, garbled,
deleted) fails the check and its run is computed again. Re-running a run
overwrites its parts with the same content: a run is never stored twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.outcomes import OUTCOMES

RUNS, SERIES = "runs", "series"
PART_META_KEY = b"cogov"  # Parquet key-value metadata of a run part: checksums of the run's two parts


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


def atomic_write_parquet(df: pd.DataFrame, path: Path, metadata: dict[str, Any] | None = None) -> None:
    """Write a DataFrame as Parquet through a temporary file and an atomic rename.

    ``metadata`` (JSON-able) is stored in the file's key-value metadata under ``cogov``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        if metadata is None:
            df.to_parquet(tmp, index=False)
        else:
            table = pa.Table.from_pandas(df, preserve_index=False)
            extra = {PART_META_KEY: json.dumps(metadata, sort_keys=True).encode("utf-8")}
            pq.write_table(table.replace_schema_metadata({**(table.schema.metadata or {}), **extra}), tmp)
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


def done_ids(directory: Path, expected: dict[str, int] | None = None, warn=None) -> set[str]:
    """Ids of the runs whose results are stored (finished runs).

    Without ``expected``, every run part present counts. With ``expected`` (run id ->
    its ticks), only those runs count whose parts pass ``check_run``; a damaged run has
    its parts removed, so it is computed again, and one warning line naming it is
    printed on ``warn`` (default stderr).
    """
    runs = Path(directory) / RUNS
    if not runs.is_dir():
        return set()
    present = {p.stem for p in runs.glob("*.parquet")}
    if expected is None:
        return present
    done = set()
    for rid in sorted(present & set(expected)):
        problem = check_run(directory, rid, expected[rid])
        if problem is None:
            done.add(rid)
            continue
        print(f"cogov: warning: {problem}; computing run {rid} again", file=warn if warn is not None else sys.stderr)
        for folder in (RUNS, SERIES):
            (Path(directory) / folder / f"{rid}.parquet").unlink(missing_ok=True)
    return done


def _frame_digest(df: pd.DataFrame) -> str:
    """SHA-256 of a table's column names, types and values (equal after a Parquet round trip)."""
    digest = hashlib.sha256(json.dumps([[str(c), str(t)] for c, t in df.dtypes.items()]).encode("utf-8"))
    digest.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_run(directory: str | Path, rid: str, ticks: int) -> str | None:
    """None if run ``rid`` is stored whole; otherwise what is wrong, naming the damaged part.

    Checks the run part's Parquet footer, that it holds one row whose checksum matches
    the one recorded with it, and that the series part has the recorded size, SHA-256
    and ``ticks + 1`` rows (days 0..ticks). Parts written before checksums were recorded
    are checked by their footers and row counts only.
    """
    run_path = Path(directory) / RUNS / f"{rid}.parquet"
    series_path = Path(directory) / SERIES / f"{rid}.parquet"
    try:
        part = pq.ParquetFile(run_path)
        rows = part.metadata.num_rows
        raw = (part.schema_arrow.metadata or {}).get(PART_META_KEY)
        record = json.loads(raw) if raw else None
        row = part.read().to_pandas() if record else None
    except Exception as exc:  # noqa: BLE001 - any unreadable part is damaged (pyarrow raises many kinds)
        return f"{run_path}: unreadable ({type(exc).__name__})"
    if rows != 1:
        return f"{run_path}: {rows} rows; expected 1"
    if record is not None and _frame_digest(row) != record.get("row_sha256"):
        return f"{run_path}: its row does not match its checksum"
    if not series_path.is_file():
        return f"{series_path}: missing"
    if record is not None:
        if series_path.stat().st_size != record.get("series_bytes"):
            return f"{series_path}: {series_path.stat().st_size} bytes; expected {record.get('series_bytes')}"
        if _file_digest(series_path) != record.get("series_sha256"):
            return f"{series_path}: SHA-256 differs from the one recorded"
    try:
        series_rows = pq.ParquetFile(series_path).metadata.num_rows
    except Exception as exc:  # noqa: BLE001
        return f"{series_path}: unreadable ({type(exc).__name__})"
    if series_rows != int(ticks) + 1:
        return f"{series_path}: {series_rows} rows; expected {int(ticks) + 1} (days 0..{int(ticks)})"
    return None


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
    series_path = directory / SERIES / f"{rid}.parquet"
    atomic_write_parquet(series, series_path)
    row = summary_row(series, rid)
    record = {
        "series_bytes": series_path.stat().st_size,
        "series_sha256": _file_digest(series_path),
        "series_rows": len(series),
        # digest of the row as it reads back (Parquet may change a column's dtype, e.g. object to bool)
        "row_sha256": _frame_digest(pa.Table.from_pandas(row, preserve_index=False).to_pandas()),
    }
    atomic_write_parquet(row, directory / RUNS / f"{rid}.parquet", metadata=record)


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
