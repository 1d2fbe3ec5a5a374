"""The compare page's engine: 2–4 scenarios over several seeds, in the background, with progress and cancel.

A ``CompareJob`` runs every (scenario, seed) in a process pool shared by the
whole server and capped (``MAX_RUNS_AT_ONCE``, default the number of cores), so
one user's comparison cannot starve a classroom: other tabs keep stepping, and
jobs from several tabs queue for the same slots. It reports runs done, time
left and can be cancelled between runs. The statistics and the report are
those of ``cogov compare`` (``experiments.compare.outcome_table``,
``experiments.report``): means with 95% intervals over the seeds, paired
differences from the first scenario, corrected tests, the HTML report.
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

import pandas as pd

from sim.scenario import Scenario, load_scenario

MAX_RUNS_AT_ONCE = int(os.environ.get("COGOV_DASHBOARD_COMPARE_RUNS", "0") or 0) or max(1, os.cpu_count() or 1)
_EXECUTOR: ProcessPoolExecutor | None = None
_EXECUTOR_LOCK = threading.Lock()


def _executor() -> ProcessPoolExecutor:
    global _EXECUTOR
    with _EXECUTOR_LOCK:
        if _EXECUTOR is None:
            import multiprocessing as mp

            _EXECUTOR = ProcessPoolExecutor(max_workers=MAX_RUNS_AT_ONCE, mp_context=mp.get_context("spawn"))
        return _EXECUTOR


def _one_run(scenario: Scenario, seed: int, ticks: int) -> pd.DataFrame:
    """One run's per-tick table (top level, so worker processes can run it)."""
    from sim.model import CommunityModel

    df = CommunityModel(scenario, seed=seed).run(ticks).results()
    df = df.drop(columns=[c for c in ("scenario", "seed") if c in df.columns])
    df.insert(0, "seed", seed)
    df.insert(0, "scenario", scenario.name)
    return df


class CompareJob:
    """One comparison running in the background."""

    def __init__(self, scenarios: list[Scenario], seeds: list[int], ticks: int):
        if not 2 <= len(scenarios) <= 4:
            raise ValueError(f"{len(scenarios)} scenarios; allowed: 2 to 4")
        names = [s.name for s in scenarios]
        if len(set(names)) != len(names):
            raise ValueError(f"scenario names repeat ({', '.join(names)}); allowed: different names")
        self.scenarios, self.seeds, self.ticks = scenarios, list(seeds), int(ticks)
        self.total = len(scenarios) * len(self.seeds)
        self.done = 0
        self.started = time.monotonic()
        self.cancelled = threading.Event()
        self.error: str | None = None
        self.comparison = None
        self.finished = threading.Event()
        self._futures: list[Future] = []

    def start(self) -> CompareJob:
        """Submit every run and collect them in a thread; returns at once."""
        ex = _executor()
        self._futures = [ex.submit(_one_run, s, seed, self.ticks) for s in self.scenarios for seed in self.seeds]
        threading.Thread(target=self._collect, daemon=True, name="cogov-compare").start()
        return self

    def cancel(self) -> None:
        """Stop: runs not started are dropped, running ones are left to finish and ignored."""
        self.cancelled.set()
        for f in self._futures:
            f.cancel()

    def time_left(self) -> float | None:
        """Seconds left, from the pace so far (None before the first run is done)."""
        if not self.done:
            return None
        rate = (time.monotonic() - self.started) / self.done
        return rate * (self.total - self.done)

    def _collect(self) -> None:
        from experiments.compare import Comparison, final_values, outcome_table
        from sim.outcomes import OUTCOMES

        parts = []
        try:
            for f in self._futures:
                if self.cancelled.is_set():
                    return
                parts.append(f.result())
                self.done += 1
            series = pd.concat(parts, ignore_index=True)
            finals = final_values(series)
            outcomes = [o for o in OUTCOMES if o != "tick" and o in series.columns]
            table = outcome_table(finals, [s.name for s in self.scenarios], outcomes)
            self.comparison = Comparison(
                self.scenarios, self.seeds, self.ticks, series, finals, table, "holm", {}, "dashboard compare"
            )
        except Exception as exc:  # noqa: BLE001 (shown on the page)
            if not self.cancelled.is_set():
                self.error = f"{type(exc).__name__}: {exc}"
        finally:
            self.finished.set()

    # --- results ---------------------------------------------------------------------------
    def bands_png(self, lang: str) -> bytes:
        """The headline outcomes over time: each scenario's mean over the seeds with its 95% band (PNG, cached)."""
        cache = self.__dict__.setdefault("_bands", {})
        if lang not in cache:
            from experiments.labels import use_cjk_font
            from experiments.report import fig_trajectories, plt
            from sim.outcomes import HEADLINE

            with plt.rc_context():  # the tab's settings stay as they were
                if lang == "zh":
                    use_cjk_font()
                cache[lang] = fig_trajectories(self.comparison, list(HEADLINE), lang)
        return cache[lang]

    def verdict(self, lang: str) -> tuple[list[str], list[str]]:
        """Plain-language differences: (beyond the noise of the seeds, within it)."""
        from experiments.report import headline_sentences

        return headline_sentences(self.comparison, lang)

    def report_html(self, lang: str) -> str:
        """The HTML report of ``cogov compare``, in ``lang``."""
        from experiments.report import make_figures, render_html

        return render_html(self.comparison, make_figures(self.comparison, lang), lang)

    def tables_zip(self) -> bytes:
        """The outcome table and the final values per seed, as CSV in a zip."""
        import io
        import zipfile

        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("outcomes.csv", self.comparison.table.to_csv(index=False))
            z.writestr("final_values.csv", self.comparison.finals.reset_index().to_csv(index=False))
        return buf.getvalue()


class _Cancelled(Exception):
    """The user cancelled a comparison across worlds."""


MAX_WORLDS = 64


class RobustJob(CompareJob):
    """A comparison across plausible worlds (``experiments.robust_compare``) in the background.

    Every scenario runs in ``worlds`` worlds drawn over the declared uncertain
    parameters, plus the scenarios' own values, on the same seeds. The runs go
    to the same capped pool as a plain comparison, with the same progress and
    cancel; they are stored in a private temporary folder only while the
    summary is computed, then removed (the result is kept in memory, in the tab).
    """

    def __init__(self, scenarios: list[Scenario], seeds: list[int], ticks: int, worlds: int):
        super().__init__(scenarios, seeds, ticks)
        if not 2 <= int(worlds) <= MAX_WORLDS:
            raise ValueError(f"worlds {worlds}; allowed: 0 (off) or 2 to {MAX_WORLDS}")
        self.worlds = int(worlds)
        self.total = (self.worlds + 1) * len(scenarios) * len(self.seeds)  # until the plan is known
        self.robust = None

    def start(self) -> RobustJob:
        """Plan, run and summarise in a thread; returns at once."""
        threading.Thread(target=self._robust, daemon=True, name="cogov-robust").start()
        return self

    def cancel(self) -> None:
        """Stop: runs not started are dropped, the summary is not computed."""
        self.cancelled.set()
        for f in list(self._futures):
            f.cancel()

    def _run_tasks(self, tasks: list[dict[str, Any]], out) -> None:
        """``robust_compare``'s runner: the shared capped pool, counting runs and stopping on cancel."""
        from experiments import runner, store

        uniq = runner.dedupe(tasks)
        self.total, self.done = len(uniq), 0
        ex = _executor()
        self._futures = [ex.submit(runner.run_task, t) for t in uniq]
        if self.cancelled.is_set():  # cancelled while the worlds were being drawn
            self.cancel()
        for f in self._futures:
            if self.cancelled.is_set():
                raise _Cancelled
            rid, df = f.result()
            store.write_run(out, rid, df)
            self.done += 1

    def _robust(self) -> None:
        import shutil
        import tempfile

        from experiments.robust import robust_compare

        tmp = tempfile.mkdtemp(prefix="cogov-robust-")
        try:
            self.robust = robust_compare(
                self.scenarios,
                worlds=self.worlds,
                seeds=self.seeds,
                ticks=self.ticks,
                out=tmp,
                quiet=True,
                command="dashboard compare --worlds",
                run_tasks=self._run_tasks,
            )
            self.comparison = self.robust.nominal
        except _Cancelled:
            pass
        except Exception as exc:  # noqa: BLE001 (shown on the page)
            if not self.cancelled.is_set():
                self.error = f"{type(exc).__name__}: {exc}"
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            self.finished.set()

    def robust_verdict(self, lang: str) -> list[tuple[str, str]]:
        """One (kind, sentence) per pair and headline outcome: kind is "robust", "depends" or "no_difference"."""
        from experiments.labels import outcome_label
        from experiments.robust import verdict_sentence

        return [(v.kind, verdict_sentence(v, outcome_label(v.outcome, lang), lang)) for v in self.robust.verdicts]

    def report_html(self, lang: str) -> str:
        """The HTML report of ``cogov compare --worlds``, in ``lang``."""
        from experiments.robust_report import make_figures, render_html

        return render_html(self.robust, make_figures(self.robust, None, lang), None, lang)

    def tables_zip(self) -> bytes:
        """The verdicts, the per-pair summary, regret, the worlds and the per-run table, as CSV in a zip."""
        import io
        import zipfile

        r = self.robust
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("verdicts.csv", r.verdict_table.to_csv(index=False))
            z.writestr("robust_summary.csv", r.summary.to_csv(index=False))
            z.writestr("regret.csv", r.regret.to_csv(index=False))
            z.writestr("worlds.csv", r.worlds.to_csv(index=False))
            z.writestr("runs.csv", r.runs.to_csv(index=False))
        return buf.getvalue()


def scenario_of(ref: str, size: dict[str, Any], name: str | None = None, changes: dict[str, Any] | None = None):
    """A preset (or the page's run with its changes, saved under ``name``) as a Scenario for a comparison."""
    scen = load_scenario(ref, **{**size, **(changes or {})})
    if name:
        scen.name = name
    return scen


# --- uploads: a profile or scenario file from the user's computer -------------------------------

MAX_UPLOAD_BYTES = 256_000


def parse_upload(name: str, data: bytes, size: dict[str, Any]) -> Scenario:
    """A Scenario from an uploaded profile (.xlsx, .csv) or scenario file (.toml), checked as on the command line.

    Data only: the bytes go to a private temporary file only while they are read
    (openpyxl reads values, never formulas or macros; TOML is data). A scenario
    may extend only presets and may not name a profile on the server. Nothing
    is kept on the server: the Scenario lives in the user's session.
    """
    import tempfile
    import tomllib
    from pathlib import Path

    from sim.scenario import ScenarioError, preset_names

    base = Path(str(name)).name or "upload"
    suffix = Path(base).suffix.lower()
    if suffix not in (".xlsx", ".csv", ".toml"):
        raise ScenarioError(f"{base}: unknown file type; allowed: a profile (.xlsx, .csv) or a scenario (.toml)")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ScenarioError(f"{base}: {len(data):,} bytes; allowed: at most {MAX_UPLOAD_BYTES:,} bytes")
    if suffix == ".toml":
        try:
            meta = tomllib.loads(data.decode("utf-8")).get("scenario", {})
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ScenarioError(f"{base}: malformed TOML: {exc}; allowed: a TOML scenario file") from None
        if isinstance(meta, dict):
            if "community" in meta:
                raise ScenarioError(f"{base}: [scenario] community: allowed in uploads: upload the profile itself")
            if "extends" in meta and meta["extends"] not in preset_names():
                raise ScenarioError(
                    f"{base}: [scenario] extends = {meta['extends']!r}; allowed in uploads: one of "
                    + ", ".join(preset_names())
                )
    with tempfile.TemporaryDirectory(prefix="cogov-upload-") as tmp:
        path = Path(tmp) / base
        path.write_bytes(data)
        try:
            # a profile brings its own community size; the server's test size applies to scenario files only
            scen = load_scenario(path, **(size if suffix == ".toml" else {}))
        except ScenarioError as exc:
            # name the user's file, not the server's temporary folder
            raise ScenarioError(str(exc).replace(str(path), base).replace(tmp, "")) from None
    scen.path = None
    if scen.name in ("", base):
        scen.name = Path(base).stem
    return scen
