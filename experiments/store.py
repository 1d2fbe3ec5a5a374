"""Run identity and crash-safe storage of sweep results.

A sweep directory holds::

    manifest.json        the sweep spec, versions, and one entry per session
    design.parquet       one row per (point, seed): the varied values and run_id
    runs/<run_id>.parquet     one row: the run's summary values (``summary_row``)
    series.parquet            every finished run's per-tick outcome table, one row group per run
    series/<run_id>.parquet   a run's series part, until its session ends and gathers it (``compact_series``)

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

import functools
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
from pandas.core.util.hashing import combine_hash_arrays  # how hash_pandas_object joins its columns

from sim.outcomes import OUTCOME_KIND

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


def run_id(params: dict[str, Any], seed: int, ticks: int, burn_in: dict[str, Any] | None = None) -> str:
    """Deterministic id of one run: a hash of its full parameter set, seed, length (and burn-in, if any)."""
    doc = {"params": canonical(params), "seed": int(seed), "ticks": int(ticks)}
    if burn_in:
        doc["burn_in"] = canonical(burn_in)
    doc = json.dumps(doc, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(doc.encode("utf-8")).hexdigest()[:20]


def _file_mode() -> int:
    # mkstemp creates files readable by their owner only; a result file should get the mode
    # an ordinary open() would give it (0666 less the umask), like the other files of a run
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()


def _temp_beside(path: Path) -> tuple[int, str]:
    """A temporary file in ``path``'s folder, with the mode ``path`` would get from ``open``."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.chmod(tmp, FILE_MODE)
    return fd, tmp


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _temp_beside(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_parquet(df: pd.DataFrame | pa.Table, path: Path, metadata: dict[str, Any] | None = None) -> None:
    """Write a DataFrame (or the Arrow table made from one) as Parquet through a temporary file and an atomic rename.

    ``metadata`` (JSON-able) is stored in the file's key-value metadata under ``cogov``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _temp_beside(path)
    os.close(fd)
    try:
        if metadata is None and isinstance(df, pd.DataFrame):
            df.to_parquet(tmp, index=False)
        else:
            table = df if isinstance(df, pa.Table) else pa.Table.from_pandas(df, preserve_index=False)
            extra = {} if metadata is None else {PART_META_KEY: json.dumps(metadata, sort_keys=True).encode("utf-8")}
            pq.write_table(table.replace_schema_metadata({**(table.schema.metadata or {}), **extra}), tmp)
        _sync_replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _sync_replace(tmp: str | Path, path: Path) -> None:
    """Flush a finished temporary file to disk, then put it in place in one step."""
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def atomic_write_json(obj: Any, path: Path) -> None:
    """Write JSON (UTF-8, indented) atomically."""
    atomic_write_bytes(path, json.dumps(obj, indent=2, ensure_ascii=False, default=str).encode("utf-8"))


# --- source identity (which model code made a run) -------------------------------------------


@functools.lru_cache(maxsize=1)
def source_identity() -> str:
    """Identity of the model code that makes runs here: a hash of the installed ``sim`` sources.

    A run id hashes parameters, seed and length, not the code, so a run stored
    by older code would otherwise be reused silently. The hash covers every
    ``.py`` and ``.toml`` file of the ``sim`` package (the code and the presets
    that define a run) and nothing else, so editing docs or experiments does not
    invalidate stored runs, while an uncommitted edit of the model does (which a
    git commit alone would miss). ``git_commit()`` is recorded next to it.
    """
    import sim

    root = Path(sim.__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".toml") and "__pycache__" not in p.parts):
        h.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


@functools.lru_cache(maxsize=1)
def git_commit() -> str:
    """The git commit of the checkout ``sim`` is imported from ('' outside git), with '-dirty' if edited."""
    import subprocess

    import sim

    root = Path(sim.__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5
        ).stdout.strip()
        if not head:
            return ""
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", "sim"], capture_output=True, text=True, timeout=5
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
    return head + ("-dirty" if dirty else "")


class StaleRunsError(ValueError):
    """Stored runs were made by other model sources than the code running now."""


def stored_sources(directory: Path, ids: list[str] | set[str]) -> dict[str, str]:
    """Source identity of each stored run among ``ids`` ('unknown' for parts written before it was recorded)."""
    folder = Path(directory) / RUNS
    out: dict[str, str] = {}
    for rid in ids:
        path = folder / f"{rid}.parquet"
        if not path.exists():
            continue
        try:
            df = pd.read_parquet(path, columns=["source"])
            out[rid] = str(df["source"].iloc[0])
        except (KeyError, ValueError, OSError):  # a part written before the source was recorded
            out[rid] = "unknown"
    return out


def check_sources(directory: Path, ids: list[str] | set[str]) -> None:
    """Refuse stored runs among ``ids`` made by other model sources than this code (``StaleRunsError``)."""
    here = source_identity()
    stale = {rid: src for rid, src in stored_sources(directory, ids).items() if src != here}
    if stale:
        other = sorted(set(stale.values()))
        raise StaleRunsError(
            f"{directory}: {len(stale)} stored runs were made by other model sources ({', '.join(other[:3])}) "
            f"than this code ({here}); allowed: --fresh to recompute them, or another --out"
        )


def drop_runs(directory: Path, ids: list[str] | set[str]) -> int:
    """Delete the stored parts of the runs ``ids`` (for ``--fresh``); return how many runs were removed."""
    n = 0
    for rid in ids:
        found = False
        for sub in (SERIES, RUNS):
            path = Path(directory) / sub / f"{rid}.parquet"
            if path.exists():
                path.unlink()
                found = True
        n += found
    if (Path(directory) / SERIES_DATASET).is_file():  # their gathered series go too
        _rewrite_series(Path(directory), {}, drop=set(ids))
    return n


DEFAULT_WINDOW = 30  # days: stocks are averaged over the last WINDOW days of a run


# cumulative outcomes that are running means since day 0 (they cannot be restarted after a burn-in)
RUNNING_MEANS = frozenset(
    n
    for n in OUTCOME_KIND
    if n.startswith("days_to_resolve_")
    or n in ("incentive_cost_per_activity", "project_overrun", "implementation_overrun")
)


def aggregation(name: str, ticks: int, window: int = DEFAULT_WINDOW, start: int = 0, lang: str = "en") -> str:
    """How ``summary_values`` reduces outcome ``name`` of a run of ``ticks`` days after ``start``, in words.

    ``lang`` "zh" gives the same words in Chinese (the report's "汇总" column).
    """
    zh = lang == "zh"
    kind, end = OUTCOME_KIND[name], start + ticks
    day = (lambda d: f"第 {d} 天") if zh else (lambda d: f"day {d}")
    if kind == "flow":
        if ticks < 1:
            return day(end)
        return f"第 {start + 1}–{end} 天合计" if zh else f"total over days {start + 1}–{end}"
    if kind == "cumulative":
        if start and name not in RUNNING_MEANS:
            return f"第 {start} 天至第 {end} 天的增量" if zh else f"increase from day {start} to day {end}"
        if zh:
            return f"第 {end} 天的累计{'均值' if name in RUNNING_MEANS else '总数'}"
        return f"running {'mean' if name in RUNNING_MEANS else 'total'} on day {end}"
    first = max(end - window + 1, start + 1) if ticks >= 1 else end
    if first >= end:
        return day(end)
    return f"第 {first}–{end} 天均值" if zh else f"mean of days {first}–{end}"


def _by_tick(series: pd.DataFrame) -> pd.DataFrame:
    """The table in tick order (a model's table already is: the sort, a copy of every column, is skipped)."""
    return series if series["tick"].is_monotonic_increasing else series.sort_values("tick")


def summary_values(series: pd.DataFrame, window: int = DEFAULT_WINDOW, start: int = 0) -> dict[str, float]:
    """One value per outcome of one run's per-tick table, by the outcome's kind.

    Flows (counts for a day) are summed over days 1..T: a weekly meeting is
    counted whether or not the last day is a meeting day. Stocks (levels) are
    averaged over the last ``window`` days, which damps day-to-day noise.
    Cumulative outcomes (running totals or means since day 0) are read on the
    last day. Day 0 is the initial state and never counts. With a burn-in of
    ``start`` days only the days after it count: flows are summed over days
    start+1..T, stocks averaged over the window within them, running totals
    counted from day ``start`` (running means stay since day 0).
    """
    if window < 1:
        raise ValueError(f"window {window}: allowed: 1 or more days")
    s = _by_tick(series)
    s.attrs = {}  # pandas deep-copies attrs (a run's whole manifest) on every column read: 10 times the work
    tick = s["tick"].to_numpy()
    last_tick = int(tick[-1])
    first = start + 1 if last_tick > start else start
    # tick is sorted: the days counted and the recent window are the rows from these positions on
    days = int(np.searchsorted(tick, first))
    recent = int(np.searchsorted(tick, max(last_tick - window + 1, first)))
    at_start = int(np.flatnonzero(tick == start)[0]) if start else None
    out: dict[str, float] = {}
    columns = _column_arrays(s, [n for n in OUTCOME_KIND if n in s.columns])
    for name, kind in OUTCOME_KIND.items():
        if name not in columns:
            continue
        col = columns[name]
        if kind == "flow":
            out[name] = _pandas_sum(col[days:])
        elif kind == "stock":
            out[name] = _pandas_mean(col[recent:])
        elif at_start is not None and name not in RUNNING_MEANS:
            out[name] = col[-1] - col[at_start]
        else:
            out[name] = col[-1]
    return out


def _column_arrays(s: pd.DataFrame, names: list[str]) -> dict[str, np.ndarray]:
    """Columns ``names`` as arrays (numpy where the dtype is), fetched one dtype at a time (50 µs a column apart)."""
    out: dict[str, np.ndarray] = {}
    by_dtype: dict[Any, list[str]] = {}
    for name, t in s[names].dtypes.items():
        by_dtype.setdefault(t, []).append(name)
    for t, group in by_dtype.items():
        if isinstance(t, np.dtype):
            block = s[group].to_numpy(dtype=t)
            out.update((n, np.ascontiguousarray(block[:, j])) for j, n in enumerate(group))
        else:
            out.update((n, s[n].array) for n in group)
    return out


# Series.sum() and Series.mean() of a numeric column, in numpy (a pandas Series per outcome cost
# 25 ms a run): the same operations in the same order as pandas' nanops, so the same bits.
def _pandas_sum(x: np.ndarray) -> Any:
    if x.dtype.kind == "f":
        nan = np.isnan(x)
        if nan.any():
            x = np.where(nan, x.dtype.type(0), x)
    return x.sum(dtype={"b": np.int64, "i": np.int64, "u": np.uint64}.get(x.dtype.kind, x.dtype))


def _pandas_mean(x: np.ndarray) -> Any:
    count = len(x)
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float64)  # the sum's and the count's type
    if x.dtype.kind == "f":
        nan = np.isnan(x)
        if nan.any():
            x = np.where(nan, x.dtype.type(0), x)
            count -= int(nan.sum())
    return x.sum(dtype=dtype) / dtype.type(count) if count > 0 else np.nan


def summary_row(series: pd.DataFrame, rid: str | None = None, window: int = DEFAULT_WINDOW) -> pd.DataFrame:
    """One-row table of a run: its id, seed, length, source identity and one value per outcome.

    The values come from ``summary_values`` (flows summed, stocks averaged over
    the last ``window`` days, cumulative outcomes on the last day).
    """
    last = _by_tick(series).iloc[-1]
    if rid is None:
        rid = str(last["run_id"]) if "run_id" in series.columns else ""
    row: dict[str, Any] = {"run_id": rid, "seed": int(last["seed"]), "ticks": int(last["tick"])}
    row.update(summary_values(series, window))
    row["window"] = int(window)
    row["source"] = source_identity()
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
    packed = packed_series_rows(directory)
    gathered = Path(directory) / SERIES_DATASET
    if gathered.is_file() and not packed:  # damaged: the runs whose series it held are computed again
        print(f"cogov: warning: {gathered}: unreadable; removed", file=warn if warn is not None else sys.stderr)
        gathered.unlink()
    for rid in sorted(present & set(expected)):
        problem = check_run(directory, rid, expected[rid], packed)
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
    digest.update(_row_hashes(df).tobytes())
    return digest.hexdigest()


def _row_hashes(df: pd.DataFrame) -> np.ndarray:
    """``pd.util.hash_pandas_object(df, index=False)`` as an array, without its per-column pandas overhead.

    pandas hashes each column apart through a Series (about 0.2 ms a column: 30 ms for a run
    part's 150 outcomes); the same per-column hashes, taken from the column arrays fetched one
    dtype at a time (``_column_arrays``) and combined as pandas does, are the same bits.
    """
    if not df.columns.is_unique:
        return pd.util.hash_pandas_object(df, index=False).to_numpy()
    columns = _column_arrays(df, list(df.columns))
    return combine_hash_arrays((pd.util.hash_array(columns[c]) for c in df.columns), df.shape[1])


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def packed_series_rows(directory: str | Path) -> dict[str, int]:
    """Rows per run in the gathered series dataset (``series.parquet``) of a folder; {} if none.

    Reads only the run-id column. A dataset that cannot be read counts as empty, so
    the runs whose series only it held are computed again rather than trusted.
    """
    target = Path(directory) / "series.parquet"
    if not target.is_file():
        return {}
    try:
        ids = pq.read_table(target, columns=["run_id"]).column("run_id").to_pandas()
    except Exception:  # noqa: BLE001 - a damaged dataset: nothing in it is trusted
        return {}
    return {str(k): int(v) for k, v in ids.value_counts().items()}


def check_run(directory: str | Path, rid: str, ticks: int, packed: dict[str, int] | None = None) -> str | None:
    """None if run ``rid`` is stored whole; otherwise what is wrong, naming the damaged part.

    Checks the run part's Parquet footer, that it holds one row whose checksum matches
    the one recorded with it, and that the series part has the recorded size, SHA-256
    and ``ticks + 1`` rows (days 0..ticks). Parts written before checksums were recorded
    are checked by their footers and row counts only. A run whose series was gathered
    into the folder's ``series.parquet`` (``packed``: rows per run there) is checked by
    its row count in that dataset, which was written whole and atomically.
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
        if packed and rid in packed:
            if packed[rid] != int(ticks) + 1:
                return (
                    f"{Path(directory) / 'series.parquet'}: run {rid} has {packed[rid]} rows; expected {int(ticks) + 1}"
                )
            return None
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


_SCHEMAS: dict[tuple, pa.Schema] = {}


def _arrow_table(df: pd.DataFrame) -> pa.Table:
    """``pa.Table.from_pandas(df, preserve_index=False)``, the same table, at a fraction of the cost.

    pyarrow converts and describes each column apart (about 0.2 ms a column, 50 ms for a run's
    two parts); a sweep's runs share their columns and dtypes. So the schema, pandas metadata
    included, is made once per column layout from an empty frame, and the values are taken one
    dtype at a time. Frames with object columns (whose Arrow type depends on the values) take
    the plain path.
    """
    if any(pd.api.types.is_object_dtype(t) for t in df.dtypes):
        return pa.Table.from_pandas(df, preserve_index=False)
    key = tuple(zip(map(str, df.columns), map(str, df.dtypes), strict=True))
    schema = _SCHEMAS.get(key)
    if schema is None:
        schema = _SCHEMAS[key] = pa.Schema.from_pandas(df.iloc[:0], preserve_index=False)
    columns = _column_arrays(df, list(df.columns))
    arrays = [pa.array(columns[f.name], type=f.type, from_pandas=True) for f in schema]  # NaN: null, as pandas
    return pa.Table.from_arrays(arrays, schema=schema)


def write_run(directory: Path, rid: str, series: pd.DataFrame) -> None:
    """Store one finished run: its per-tick series, then its summary row (the 'done' mark)."""
    directory = Path(directory)
    series = series.copy()
    series.attrs = {}
    series.insert(0, "run_id", rid)
    series_path = directory / SERIES / f"{rid}.parquet"
    atomic_write_parquet(_arrow_table(series), series_path)
    row = _arrow_table(summary_row(series, rid))  # converted once: digest and file
    record = {
        "series_bytes": series_path.stat().st_size,
        "series_sha256": _file_digest(series_path),
        "series_rows": len(series),
        # digest of the row as it reads back (Parquet may change a column's dtype, e.g. object to bool)
        "row_sha256": _frame_digest(row.to_pandas()),
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


SUMMARY, SERIES_DATASET = "summary.parquet", "series.parquet"


def _current_summary(directory: Path, design: pd.DataFrame) -> pd.DataFrame | None:
    """``summary.parquet`` when it holds exactly the finished runs of the design (else None)."""
    path = directory / SUMMARY
    if not path.exists():
        return None
    summary = pd.read_parquet(path)
    if len(summary) != len(design) or "ticks" not in summary.columns:
        return None
    if not summary["run_id"].equals(design["run_id"]):
        return None
    stored = set(summary.loc[summary["ticks"].notna(), "run_id"])
    if stored != done_ids(directory) & set(design["run_id"]):
        return None
    return summary


def load_sweep(directory: str | Path, complete: bool = False) -> pd.DataFrame:
    """Load a sweep directory into one DataFrame: one row per (point, seed).

    Columns: ``point``, ``seed``, ``run_id``, the varied parameters, then one
    value per outcome (``summary_row``; an outcome named like a varied
    parameter, such as ``residents``, gets the suffix ``_outcome``). Rows are in
    design order; runs not finished yet have missing outcomes unless
    ``complete`` drops them. Reads ``summary.parquet`` (one file) when it is
    current, else one part per finished run.
    """
    directory = Path(directory)
    design = pd.read_parquet(directory / "design.parquet")
    out = _current_summary(directory, design)
    if out is None:
        out = _merge_parts(directory, design)
    if complete:
        done = done_ids(directory)
        out = out[out["run_id"].isin(done)].reset_index(drop=True)
    return out


def _merge_parts(directory: Path, design: pd.DataFrame) -> pd.DataFrame:
    uniq = list(dict.fromkeys(design["run_id"]))
    runs = _read_parts(directory / RUNS, uniq)
    if runs.empty:
        runs = pd.DataFrame({"run_id": pd.Series(dtype=str)})
    runs = runs.drop(columns=["seed"], errors="ignore")
    clash = [c for c in runs.columns if c in design.columns and c != "run_id"]
    runs = runs.rename(columns={c: f"{c}_outcome" for c in clash})
    return design.merge(runs, on="run_id", how="left", sort=False)


def compact_series(directory: str | Path) -> int:
    """Gather the finished runs' series parts into one Parquet dataset, ``series.parquet``; return the runs moved.

    Called at the end of every sweep, compare and robust-compare session,
    finished or interrupted, so a folder holds one series file rather than one
    per run; a session killed outright leaves its parts, and the next session
    gathers them. Only parts whose run part exists are gathered (a series part
    written just before a kill, without its run part, stays until the run is
    computed again), and an unreadable part is left for ``check_run`` to catch.
    The dataset keeps one row group per run, sorted by run id, so reading some
    runs reads only their row groups. Crash-safe: the new dataset (old content
    plus the parts) is written atomically before any part is deleted, and
    readers prefer a part to the dataset, so a kill in between leaves
    duplicates that are ignored, never a lost series.
    """
    directory = Path(directory)
    finished = {p.stem for p in (directory / RUNS).glob("*.parquet")}
    parts = {p.stem: p for p in sorted((directory / SERIES).glob("*.parquet")) if p.stem in finished}
    return _rewrite_series(directory, parts, drop=set())


def _row_groups_by_run(pf: pq.ParquetFile) -> dict[str, list[int]]:
    """Row-group indices of each run in a gathered dataset (one group per run; read the ids if unsure)."""
    col = pf.schema_arrow.get_field_index("run_id")
    groups: dict[str, list[int]] = {}
    for i in range(pf.num_row_groups):
        stats = pf.metadata.row_group(i).column(col).statistics
        if stats is not None and stats.has_min_max and stats.min == stats.max:
            ids = [stats.min]
        else:
            ids = pf.read_row_group(i, columns=["run_id"]).column(0).unique().to_pylist()
        for rid in ids:
            groups.setdefault(str(rid), []).append(i)
    return groups


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` with exactly ``schema``'s columns and types (a column it lacks is all null)."""
    if table.schema.remove_metadata().equals(schema):  # the usual case: every run has the same columns
        return table.replace_schema_metadata(schema.metadata)
    cols = [
        table.column(f.name).cast(f.type) if f.name in table.column_names else pa.nulls(len(table), f.type)
        for f in schema
    ]
    return pa.Table.from_arrays(cols, schema=schema)


def _rewrite_series(directory: Path, parts: dict[str, Path], drop: set[str]) -> int:
    """Write ``series.parquet`` anew: its runs minus ``drop``, each replaced or added from ``parts``.

    Streams one run at a time (memory of one run, not of the sweep). Returns the
    parts gathered (and deleted).
    """
    target = directory / SERIES_DATASET
    old = pq.ParquetFile(target) if target.is_file() else None
    try:
        groups = _row_groups_by_run(old) if old is not None else {}
        readable: dict[str, Path] = {}
        schemas = [old.schema_arrow.remove_metadata()] if old is not None else []
        for rid, path in parts.items():
            try:
                schemas.append(pq.read_schema(path).remove_metadata())
                readable[rid] = path
            except Exception:  # noqa: BLE001 - a damaged part is left for check_run, which recomputes its run
                continue
        if not readable and not (drop & set(groups)):
            return 0
        keep = sorted((set(groups) - drop) | set(readable))
        fd, tmp = _temp_beside(target)
        os.close(fd)
        try:
            if not keep:
                Path(tmp).unlink()
                target.unlink(missing_ok=True)
            else:
                schema = pa.unify_schemas(schemas, promote_options="permissive")
                with pq.ParquetWriter(tmp, schema) as writer:
                    for rid in keep:
                        table = pq.read_table(readable[rid]) if rid in readable else old.read_row_groups(groups[rid])
                        writer.write_table(_conform(table, schema))
                _sync_replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    finally:
        if old is not None:
            old.close()
    for path in readable.values():
        path.unlink(missing_ok=True)
    return len(readable)


def load_series(directory: str | Path, run_ids: list[str] | None = None) -> pd.DataFrame:
    """Per-tick series of the finished runs of a sweep (all, or those in ``run_ids``)."""
    directory = Path(directory)
    parts = _read_parts(directory / SERIES, run_ids)
    target = directory / SERIES_DATASET
    if not target.exists():
        return parts
    filters = [("run_id", "in", list(run_ids))] if run_ids is not None else None
    packed = pd.read_parquet(target, filters=filters)
    if not parts.empty:
        packed = packed[~packed["run_id"].isin(set(parts["run_id"]))]
    out = pd.concat([packed, parts], ignore_index=True) if not parts.empty else packed
    if run_ids is not None:
        order = {r: i for i, r in enumerate(dict.fromkeys(run_ids))}
        out = out.sort_values(["run_id", "tick"], key=lambda c: c.map(order) if c.name == "run_id" else c)
    return out.reset_index(drop=True)


def read_manifest(directory: str | Path) -> dict[str, Any]:
    """The sweep's manifest (spec, versions, sessions)."""
    return json.loads((Path(directory) / "manifest.json").read_text(encoding="utf-8"))
