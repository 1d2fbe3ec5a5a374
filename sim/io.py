"""Writing a run's results to disk, shared by the CLI and the experiment code.

``write_run`` puts into one directory:

- ``results.parquet`` and ``results.csv``: the per-tick outcome table;
- ``manifest.json``: the model's manifest (scenario, seed, every parameter,
  versions) merged with ``extra_manifest`` and the list of files written;
- ``outcomes.png``: the headline outcomes over time (``sim.plotting``).

The files are written into a temporary folder beside the output folder and
moved into place together, manifest last; the manifest records each file's
size and SHA-256, and ``read_run`` refuses a folder whose files do not match.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
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


def to_json(data: Mapping[str, Any]) -> str:
    """Serialise a manifest (numpy values, paths and dates included) as indented JSON."""
    return json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class RunFilesError(ValueError):
    """A run folder whose files do not match its manifest (missing, changed, or from another run)."""


def write_run(
    model_or_df: Any, out_dir: str | Path, extra_manifest: Mapping[str, Any] | None = None, figure: bool = True
) -> dict[str, Path]:
    """Write a run's table, manifest and figure into ``out_dir``, all or nothing.

    The files are written into a temporary folder beside ``out_dir`` and then moved into
    place together: a new folder by one rename; into an existing folder (an earlier run's)
    by first removing its manifest, then moving the tables and figure, and the manifest
    last. The manifest records each file's size and SHA-256, so a folder interrupted
    between two moves has no manifest or one that does not match, and ``read_run``
    refuses it instead of mixing two runs.

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
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    except PermissionError:
        if not out.is_dir():
            raise
        # a writable folder in a read-only one (a container's mounted /output): stage inside it
        tmp = Path(tempfile.mkdtemp(prefix=".partial-", dir=out))
    try:
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o777 & ~umask)  # mkdtemp's 0700 would otherwise become the run folder's mode
        table = df.copy()
        table.attrs = {}  # the manifest goes to manifest.json, not into every file's metadata
        table.to_parquet(tmp / FILES["parquet"], index=False)
        table.to_csv(tmp / FILES["csv"], index=False)
        keys = ["parquet", "csv"]
        if figure:
            plot_outcomes(df, tmp / FILES["figure"])
            keys.append("figure")
        manifest["files"] = [FILES[k] for k in keys] + [FILES["manifest"]]
        manifest["checksums"] = {
            FILES[k]: {"bytes": (tmp / FILES[k]).stat().st_size, "sha256": _sha256(tmp / FILES[k])} for k in keys
        }
        (tmp / FILES["manifest"]).write_text(to_json(manifest), encoding="utf-8")
        _move_into_place(tmp, out, [FILES[k] for k in keys])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {k: out / FILES[k] for k in [*keys, "manifest"]}


def _move_into_place(tmp: Path, out: Path, data_files: list[str]) -> None:
    """Move a run's files from ``tmp`` to ``out``: data files first, the manifest last."""
    if tmp.parent != out and out.is_dir() and not any(out.iterdir()):
        out.rmdir()  # an empty folder (made by the up-front write check) is replaced whole
    if not out.exists():
        os.rename(tmp, out)  # one atomic step
        return
    (out / FILES["manifest"]).unlink(missing_ok=True)  # the old manifest never describes new tables
    for name in FILES.values():
        if name not in data_files and name != FILES["manifest"]:
            (out / name).unlink(missing_ok=True)  # e.g. an old figure when none is drawn now
    for name in data_files:
        os.replace(tmp / name, out / name)
    os.replace(tmp / FILES["manifest"], out / FILES["manifest"])


def verify_run(out_dir: str | Path) -> dict[str, Any]:
    """Return a run folder's manifest after checking its files against it; raise ``RunFilesError`` if not."""
    out = Path(out_dir)
    manifest_path = out / FILES["manifest"]
    if not manifest_path.is_file():
        raise RunFilesError(f"{out}: no {FILES['manifest']}; the run was not written in full")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise RunFilesError(f"{manifest_path}: not a readable manifest ({exc})") from None
    checksums = manifest.get("checksums")
    if not isinstance(checksums, dict) or FILES["parquet"] not in checksums:
        raise RunFilesError(f"{manifest_path}: lists no file checksums; allowed: a run written by `cogov run`")
    for name, want in checksums.items():
        path = out / name
        if not path.is_file():
            raise RunFilesError(f"{path}: missing; the manifest lists it")
        size = path.stat().st_size
        if size != want.get("bytes") or _sha256(path) != want.get("sha256"):
            raise RunFilesError(f"{path}: does not match the manifest (size or SHA-256 differs); the files disagree")
    return manifest


def read_run(out_dir: str | Path) -> pd.DataFrame:
    """Read a run written by ``write_run``: its table, with the manifest in ``attrs``.

    Raises:
        RunFilesError: the folder has no manifest, or a file's size or SHA-256 differs from it.
    """
    out = Path(out_dir)
    manifest = verify_run(out)
    df = pd.read_parquet(out / FILES["parquet"])
    df.attrs["manifest"] = manifest
    return df
