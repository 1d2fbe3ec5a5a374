"""One browser session's runs: models, lever changes, stepping, reset and export.

A ``Session`` holds one run (or two, side by side, with the same seed) and
everything the page shows about them. It knows nothing about Solara, so it is
tested directly; the page (``app.py``) keeps one ``Session`` per browser tab.

Lever changes are validated against the schema (``Scenario.with_overrides``),
applied to the running model from today (``CommunityModel.apply_shock``) unless
they are structural, and kept as overrides for the next reset. Shares that
must sum to one are rebalanced when one of them moves. Reset rebuilds the model
from scenario + overrides with the same seed and keeps the previous run's
table, which the charts draw as a faint line.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sim.dashboard.controls import ControlSpec, coerce, control_specs
from sim.model import CommunityModel
from sim.params import BY_NAME, STRUCTURAL, SUM_TO_ONE
from sim.scenario import ScenarioError, load_scenario

DEFAULT_SCENARIO = "governance-partners"
DEFAULT_SEED = 1
SPECS: dict[str, ControlSpec] = {c.name: c for c in control_specs()}


@dataclass
class Run:
    """One model and the changes made to its scenario."""

    label: str
    scenario: str
    seed: int
    size: dict[str, Any] = field(default_factory=dict)  # fixed overrides (e.g. a smaller community for tests)
    overrides: dict[str, Any] = field(default_factory=dict)
    model: CommunityModel | None = None
    previous: pd.DataFrame | None = None
    _results: pd.DataFrame | None = None
    _results_tick: int = -1

    def build(self) -> None:
        """(Re)build the model from scenario, size and overrides with the run's seed."""
        if self.model is not None and self.model.tick > 0:
            self.previous = self.results()
        from sim.dashboard.workers import RemoteModel, pool

        workers = pool()
        kwargs = {**self.size, **self.overrides}
        old = self.model
        if workers is not None:  # stepped in a worker process (a classroom server uses every core)
            self.model = RemoteModel(workers, self.scenario, self.seed, **kwargs)
        else:
            self.model = CommunityModel(self.scenario, seed=self.seed, **kwargs)
        if isinstance(old, RemoteModel):
            old.close()
        self._results, self._results_tick = None, -1

    def base_values(self) -> dict[str, Any]:
        """Parameter values of the scenario (with size) before the user's changes."""
        return dict(load_scenario(self.scenario, **self.size).params)

    def values(self) -> dict[str, Any]:
        """Parameter values the controls show: the scenario's, with the user's changes."""
        vals = self.base_values()
        vals.update(self.overrides)
        return vals

    def results(self) -> pd.DataFrame:
        """The model's per-tick table (cached per tick)."""
        assert self.model is not None
        if self._results_tick != self.model.tick or self._results is None:
            self._results = self.model.results()
            self._results_tick = self.model.tick
        return self._results


class Session:
    """What one browser tab runs: run A and, side by side, run B with the same seed."""

    def __init__(self, scenario: str | None = None, seed: int = DEFAULT_SEED, size: dict[str, Any] | None = None):
        scenario = scenario or DEFAULT_SCENARIO
        load_scenario(scenario)  # fail early on a bad name
        self.lock = threading.RLock()
        self.shown = threading.Event()  # set by the page once the latest state is on screen
        self.seed = int(seed)
        self.size = dict(size or {})
        self.runs: dict[str, Run] = {"A": Run("A", scenario, self.seed, self.size)}
        self.runs["A"].build()
        self.message = ""

    # --- runs ----------------------------------------------------------------------------
    @property
    def side_by_side(self) -> bool:
        """True when run B exists."""
        return "B" in self.runs

    @property
    def tick(self) -> int:
        """Day of run A (runs step together, so B's is the same)."""
        return self.runs["A"].model.tick

    def set_side_by_side(self, on: bool, scenario_b: str | None = None) -> None:
        """Add run B (a copy of A's scenario and changes unless ``scenario_b``) or drop it."""
        with self.lock:
            if on and not self.side_by_side:
                a = self.runs["A"]
                b = Run("B", scenario_b or a.scenario, self.seed, self.size, dict(a.overrides))
                b.build()
                self._catch_up(b)
                self.runs["B"] = b
            elif not on:
                self.runs.pop("B", None)

    def _catch_up(self, run: Run) -> None:
        """Bring a new run to run A's day, so both step together."""
        target = self.runs["A"].model.tick
        run.model.run(max(0, target - run.model.tick))

    def set_scenario(self, which: str, scenario: str) -> None:
        """Switch run ``which`` to another scenario (its changes are kept) and rebuild it."""
        with self.lock:
            load_scenario(scenario)
            run = self.runs[which]
            run.scenario = scenario
            run.previous = None
            run.model = None
            self._rebuild_consistent(run)
            self._align()

    def set_seed(self, seed: int) -> None:
        """Use another seed for all runs and rebuild them."""
        with self.lock:
            self.seed = int(seed)
            for run in self.runs.values():
                run.seed = self.seed
                run.previous = None
                run.model = None
                run.build()

    def _rebuild_consistent(self, run: Run) -> None:
        """Build, dropping overrides the new scenario rejects (reported in ``message``)."""
        try:
            run.build()
        except ScenarioError as exc:
            run.overrides.clear()
            self.message = str(exc)
            run.build()

    def _align(self) -> None:
        """Start all runs from day 0 together after one of them was rebuilt."""
        for run in self.runs.values():
            if run.model.tick != 0:
                run.build()

    # --- stepping ------------------------------------------------------------------------
    def step(self, days: int = 1) -> int:
        """Advance every run ``days`` days together; return the new day."""
        with self.lock:
            # runs do not interact: each steps its days in one go (one request when in a worker)
            for run in self.runs.values():
                run.model.run(max(0, int(days)))
            return self.tick

    def reset(self) -> None:
        """Rebuild every run from its scenario and changes (same seed); keep the old runs to compare."""
        with self.lock:
            for run in self.runs.values():
                run.build()

    # --- levers --------------------------------------------------------------------------
    def set_param(self, which: str, name: str, value: Any) -> dict[str, Any]:
        """Change parameter ``name`` of run ``which`` (or "both"); return the values set.

        Validated against the schema; applied from today unless structural;
        kept for resets. Raises ScenarioError or ValueError for a bad value.
        """
        if name not in BY_NAME:
            raise ScenarioError(f"unknown parameter '{name}'")
        value = coerce(SPECS[name], value)
        targets = list(self.runs) if which == "both" else [which]
        changed: dict[str, Any] = {}
        with self.lock:
            for key in targets:
                run = self.runs[key]
                current = run.values()
                change = {name: value}
                change.update(_rebalance(name, value, current))
                # validate the change against the scenario (types, ranges, cross-field rules)
                load_scenario(run.scenario, **{**run.size, **run.overrides, **change})
                run.overrides.update(change)
                base = run.base_values()
                for k in list(run.overrides):
                    if run.overrides[k] == base.get(k):
                        del run.overrides[k]
                live = {k: v for k, v in change.items() if k not in STRUCTURAL}
                if live:
                    run.model.apply_shock(live)
                changed = change
        return changed

    def clear_changes(self, which: str) -> None:
        """Drop run ``which``'s changes (they are undone in the running model, from today)."""
        with self.lock:
            targets = list(self.runs) if which == "both" else [which]
            for key in targets:
                run = self.runs[key]
                base = run.base_values()
                live = {k: base[k] for k in run.overrides if k not in STRUCTURAL}
                run.overrides.clear()
                if live:
                    run.model.apply_shock(live)

    # --- export ---------------------------------------------------------------------------
    def export(self, root: str | Path, name: str = "", figures: dict[str, bytes] | None = None) -> Path:
        """Write every run's table (CSV, Parquet), manifest and figures into a new folder; return it.

        The new folder goes under ``root`` (the server's export root) or, when ``name``
        is given, under the folder ``name`` inside it; ``name`` must be one plain
        folder name (``guard.check_folder_name``; UnsafeName otherwise), so nothing
        the page sends can write outside the root.
        """
        from sim.dashboard.guard import export_folder
        from sim.io import write_run

        folder = export_folder(Path(root), name) if name else Path(root).resolve()
        with self.lock:
            a = self.runs["A"]
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            names = "-vs-".join(dict.fromkeys(r.scenario for r in self.runs.values()))
            slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", Path(names).stem if names.endswith(".toml") else names)
            out = Path(folder) / f"{slug}-seed{self.seed}-day{a.model.tick}-{stamp}"
            for key, run in self.runs.items():
                target = out / key if self.side_by_side else out
                extra = {"dashboard_changes": dict(run.overrides), "dashboard_run": key}
                if hasattr(run.model, "write"):  # a RemoteModel: its worker writes the files
                    run.model.write(target, extra)
                else:
                    write_run(run.model, target, extra_manifest=extra)
            if self.side_by_side:
                both = pd.concat([self.runs[k].results().assign(run=k) for k in self.runs], ignore_index=True)
                both.attrs = {}
                both.to_csv(out / "comparison.csv", index=False)
            for name, png in (figures or {}).items():
                (out / f"{name}.png").write_bytes(png)
            return out


# --- page state files (workshops): save a prepared page and open it again ------------------------

STATE_FORMAT = "cogov-dashboard-state"
MAX_STATE_BYTES = 64_000


def save_state(session: Session, extra: dict[str, Any] | None = None) -> bytes:
    """The page's state as JSON bytes: scenarios, seed, side by side, changed levers (and ``extra``, e.g. stop day)."""
    import json

    with session.lock:
        doc = {
            "format": STATE_FORMAT,
            "version": 1,
            "seed": session.seed,
            "runs": {k: {"scenario": r.scenario, "changes": dict(r.overrides)} for k, r in session.runs.items()},
        }
    doc.update(extra or {})
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def parse_state(data: bytes, origin: str = "state file") -> dict[str, Any]:
    """Read and check a page state (data only: JSON); raise ScenarioError with what is allowed.

    Scenarios must be presets: a state file opened on a server never names the server's files.
    Changes are validated like a scenario file's values.
    """
    import json

    from sim.scenario import preset_names

    if len(data) > MAX_STATE_BYTES:
        raise ScenarioError(
            f"{origin}: {len(data):,} bytes; allowed: a state file of at most {MAX_STATE_BYTES:,} bytes"
        )
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ScenarioError(
            f"{origin}: not a JSON state file ({exc}); allowed: a file saved by the dashboard"
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != STATE_FORMAT:
        raise ScenarioError(f"{origin}: not a dashboard state file; allowed: a file saved by the dashboard")
    seed = doc.get("seed")
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**63:
        raise ScenarioError(f"{origin}: seed {seed!r}; allowed: a whole number 0 <= seed < 2^63")
    runs = doc.get("runs")
    if not isinstance(runs, dict) or "A" not in runs or not set(runs) <= {"A", "B"}:
        raise ScenarioError(
            f"{origin}: runs {sorted(runs) if isinstance(runs, dict) else runs!r}; allowed: A, or A and B"
        )
    for k, r in runs.items():
        if not isinstance(r, dict) or r.get("scenario") not in preset_names():
            raise ScenarioError(
                f"{origin}: run {k}: scenario {r.get('scenario') if isinstance(r, dict) else r!r}; "
                f"allowed: one of {', '.join(preset_names())}"
            )
        changes = r.get("changes", {})
        if not isinstance(changes, dict):
            raise ScenarioError(f"{origin}: run {k}: changes must be a table; allowed: parameter = value")
        load_scenario(r["scenario"], **changes)  # the same validation as a scenario file
    return doc


def open_state(session: Session, doc: dict[str, Any]) -> None:
    """Put a checked state (``parse_state``) on the page: scenarios, seed, changes; runs restart at day 0."""
    with session.lock:
        session.seed = int(doc["seed"])
        runs = {}
        for k, r in doc["runs"].items():
            run = Run(k, r["scenario"], session.seed, session.size, dict(r.get("changes", {})))
            run.build()
            runs[k] = run
        session.runs = runs


def run_title(run: Run, lang: str = "en", max_changes: int = 3) -> str:
    """A run named by scenario and changed levers, for figure titles: "B: governance-partners (points = off)"."""
    from sim.dashboard.i18n import param_label, value_text

    changes = [f"{param_label(k, lang)} = {value_text(k, v, lang)}" for k, v in run.overrides.items()]
    if len(changes) > max_changes:
        changes = changes[:max_changes] + ["…"]
    return f"{run.label}: {run.scenario}" + (f" ({'; '.join(changes)})" if changes else "")


def export_zip(session: Session, lang: str, figures: dict[str, bytes]) -> bytes:
    """The run as a zip for the browser: a one-page summary in ``lang``, the figures, tables and manifests."""
    import io
    import tempfile
    import zipfile

    from sim import __version__
    from sim.dashboard.i18n import series_label, t, t_lab

    with session.lock, tempfile.TemporaryDirectory() as tmp:
        out = session.export(tmp, "", figures)
        lines = [f"# {t('title', lang)}", ""]
        lines.append(
            f"{t_lab('summary_day', lang)}: {session.tick}; {t('seed', lang)}: {session.seed}; cogov-sim {__version__}"
        )
        lines.append("")
        columns = [c for c, _ in HEADLINE_COLUMNS]
        head = [t_lab("summary_run", lang)] + [series_label(k, lang) for _, k in HEADLINE_COLUMNS]
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "---|" * len(head))
        for run in session.runs.values():
            row = run.results().iloc[-1]
            vals = [f"{float(row[c]):.3g}" for c in columns]
            lines.append("| " + " | ".join([run_title(run, lang, 99)] + vals) + " |")
        lines += ["", t_lab("summary_note", lang)]
        legend = ["column,label"] + [f"{c},{series_label(k, lang)}" for c, k in HEADLINE_COLUMNS]
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("summary.md", "\n".join(lines) + "\n")
            z.writestr("columns.csv", "\n".join(legend) + "\n")
            for f in sorted(Path(out).rglob("*")):
                if f.is_file():
                    z.write(f, f.relative_to(out).as_posix())
        return buf.getvalue()


# headline columns of the summary and their labels (i18n.SERIES keys)
HEADLINE_COLUMNS = (
    ("participation", "ind_participation"),
    ("backlog", "ind_matters"),
    ("disputes_total", "disputes"),
    ("escalations_total", "escalations_total"),
    ("satisfaction", "ind_satisfaction"),
    ("trust_residents_committee", "ind_trust"),
)


def _rebalance(name: str, value: float, current: dict[str, Any]) -> dict[str, Any]:
    """Keep shares that must sum to one summing to one: scale the others of ``name``'s group."""
    for group in SUM_TO_ONE:
        if name not in group:
            continue
        value = min(max(float(value), 0.0), 1.0)
        others = [k for k in group if k != name]
        rest = sum(float(current[k]) for k in others)
        left = 1.0 - value
        if rest <= 0:
            shares = {k: left / len(others) for k in others}
        else:
            shares = {k: left * float(current[k]) / rest for k in others}
        # absorb rounding in the last share so the sum is exactly one
        last = others[-1]
        shares[last] = 1.0 - value - sum(v for k, v in shares.items() if k != last)
        return shares
    return {}
