"""Writing a run's results to disk, shared by the CLI and the experiment code.

``write_run`` puts into one directory:

- ``results.parquet`` and ``results.csv``: the per-tick outcome table;
- ``manifest.json``: the model's manifest (scenario, seed, every parameter,
  versions) merged with ``extra_manifest`` and the list of files written;
- ``outcomes.png``: the headline outcomes over time (``sim.plotting``).

Each file is written to a temporary name first and then renamed, so an
interrupted write never leaves a half-written file under the final name.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from sim.plotting import plot_outcomes

FILES = {
    "parquet": "results.parquet",
    "csv": "results.csv",
    "figure": "outcomes.png",
    "manifest": "manifest.json",
}


def _json_default(obj: Any) -> Any:
    if hasattr(obj, "item"):  # numpy scalars
        return obj.item()
    if hasattr(obj, "tolist"):  # numpy arrays
        return obj.tolist()
    if isinstance(obj, (Path, set, frozenset, tuple)):
        return str(obj) if isinstance(obj, Path) else list(obj)
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    return str(obj)


def _atomic(path: Path, write: Callable[[Path], Any]) -> Path:
    tmp = path.with_name(f".{path.name}.tmp{path.suffix}")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def to_json(data: Mapping[str, Any]) -> str:
    """Serialise a manifest (numpy values, paths and dates included) as indented JSON."""
    return json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n"


def write_run(
    model_or_df: Any, out_dir: str | Path, extra_manifest: Mapping[str, Any] | None = None, figure: bool = True
) -> dict[str, Path]:
    """Write a run's table, manifest and figure into ``out_dir``.

    Args:
        model_or_df: a ``CommunityModel`` or its ``results()`` table (whose
            ``attrs["manifest"]`` is used as the manifest).
        out_dir: directory to write into; created if missing. Files of the same
            names are replaced.
        extra_manifest: entries added to (and overriding) the model's manifest.
        figure: draw ``outcomes.png``.

    Returns:
        The paths written, keyed ``parquet``, ``csv``, ``figure`` (if drawn) and
        ``manifest``.
    """
    if isinstance(model_or_df, pd.DataFrame):
        df = model_or_df
        manifest = dict(df.attrs.get("manifest", {}))
    else:
        df = model_or_df.results()
        manifest = dict(model_or_df.manifest())
    manifest.update(extra_manifest or {})

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    table = df.copy()
    table.attrs = {}  # the manifest goes to manifest.json, not into every file's metadata
    paths["parquet"] = _atomic(out / FILES["parquet"], lambda p: table.to_parquet(p, index=False))
    paths["csv"] = _atomic(out / FILES["csv"], lambda p: table.to_csv(p, index=False))
    if figure:
        paths["figure"] = _atomic(out / FILES["figure"], lambda p: plot_outcomes(df, p))
    paths["manifest"] = out / FILES["manifest"]
    manifest["files"] = [p.name for p in paths.values()]
    _atomic(paths["manifest"], lambda p: p.write_text(to_json(manifest), encoding="utf-8"))
    return paths


def read_run(out_dir: str | Path) -> pd.DataFrame:
    """Read a run written by ``write_run``: its table, with the manifest in ``attrs``."""
    out = Path(out_dir)
    df = pd.read_parquet(out / FILES["parquet"])
    manifest_path = out / FILES["manifest"]
    if manifest_path.is_file():
        df.attrs["manifest"] = json.loads(manifest_path.read_text(encoding="utf-8"))
    return df
