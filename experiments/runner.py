"""Execute many model runs on dask.distributed (or in this process).

One task is a small dict: a run id, the scenario's name, its full validated
parameter set, a seed and a number of ticks. Workers rebuild the scenario and
the model themselves, so nothing large is shipped to them; each run depends
only on its parameters and seed, so results do not depend on how many workers
there are or which worker ran what.

Pitfalls handled here (measured on this project, see docs/experiments.md):

* dask's nanny starts workers with ``MALLOC_TRIM_THRESHOLD_=65536``, which made
  a vectorised run 3.5x slower inside a worker than outside; we set it to
  256 MiB in dask's config before any worker starts.
* each worker samples its task thread's stack every 10 ms for dask's statistical
  profiler (``distributed.worker.profile``); each sample takes the GIL from the
  model's thread. Switched off, a reference run in a worker took the same time as
  in-process (16 alternating pairs: median ratio 0.97-0.99, against 1.07-1.09 with
  it on) and 18 robust-comparison runs on 2 workers took 8% less wall time.
* ``mesa.batch_run`` forces the "spawn" start method globally, so it is not used.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

MALLOC_TRIM_THRESHOLD = 268435456


def run_task(task: dict[str, Any]) -> tuple[str, pd.DataFrame]:
    """Run one model from a small task dict; return (run_id, per-tick results)."""
    from sim.model import CommunityModel
    from sim.scenario import Scenario

    scen = Scenario(
        task["scenario"],
        dict(task["params"]),
        task.get("description", ""),
        task.get("sources", ""),
        task.get("path"),
        list(task.get("chain", [])),
    )
    model = CommunityModel(scenario=scen, seed=int(task["seed"]))
    burn = task.get("burn_in")
    if burn:  # days before the policies differ: the baseline's run-time parameters, then this scenario's
        model.apply_shock(dict(burn["params"]))
        model.run(int(burn["days"]))
        model.apply_shock({k: scen.params[k] for k in burn["params"]})
    model.run(int(task["ticks"]))
    return task["run_id"], model.results()


def run_and_store(task: dict[str, Any], directory: str) -> str:
    """Run one model and store its parts in ``directory`` from where it ran; return the run id.

    Used with a local cluster, where workers and client share the disk: the
    per-tick table then never travels between processes, and the client's
    core stays free for the workers.
    """
    from experiments.store import write_run

    rid, df = run_task(task)
    write_run(Path(directory), rid, df)
    return rid


def configure_dask() -> None:
    """Dask settings every sweep needs (set before a cluster starts)."""
    import dask

    dask.config.set(
        {
            "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": MALLOC_TRIM_THRESHOLD,
            "distributed.scheduler.allowed-failures": 5,
            # the statistical profiler interrupts the model's thread 100 times a second; nothing here reads it
            "distributed.worker.profile.enabled": False,
        }
    )


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # pragma: no cover - not Linux
        return max(os.cpu_count() or 1, 1)


class Progress:
    """Prints runs done, runs per second and time left (one line; rewritten on a terminal)."""

    def __init__(self, total: int, already: int, label: str, stream=None, every: float = 2.0):
        self.total, self.done, self.new = total, already, 0
        self.label, self.every = label, every
        self.stream = stream if stream is not None else sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.t0 = self.last = time.perf_counter()

    def restart(self) -> None:
        """Start the clock now (when the workers are ready)."""
        self.t0 = self.last = time.perf_counter()

    def rate(self) -> float:
        """Runs finished per second in this session."""
        dt = time.perf_counter() - self.t0
        return self.new / dt if dt > 0 else 0.0

    def line(self) -> str:
        """The progress text."""
        rate = self.rate()
        left = self.total - self.done
        eta = f"{_duration(left / rate)} left" if rate > 0 else "time left unknown"
        return f"{self.label}: {self.done}/{self.total} runs done · {rate:.2f} runs/s · {eta}"

    def tick(self) -> None:
        """Count one finished run and print if due."""
        self.done += 1
        self.new += 1
        now = time.perf_counter()
        if self.tty or now - self.last >= self.every or self.done == self.total:
            self.last = now
            end = "" if self.tty and self.done < self.total else "\n"
            print(("\r" if self.tty else "") + self.line(), end=end, file=self.stream, flush=True)


def _duration(s: float) -> str:
    s = int(round(s))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{(s % 3600) // 60:02d}m"


class SchedulerError(ValueError):
    """The dask scheduler named by ``--scheduler`` cannot be reached; a user error (exit 2)."""


@dataclass
class Outcome:
    """What an execution did: finished and failed runs, time taken."""

    finished: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    workers: int = 0
    interrupted: bool = False


def execute(
    tasks: list[dict[str, Any]],
    on_result: Callable[[str, pd.DataFrame], None],
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
    store_dir: str | Path | None = None,
) -> Outcome:
    """Run ``tasks`` and hand each result to ``on_result`` as soon as it is finished.

    Args:
        tasks: small task dicts (see ``run_task``).
        on_result: called in this process with (run_id, per-tick DataFrame).
        workers: worker processes of a local dask cluster (default: all cores);
            0 runs the tasks one by one in this process, without dask.
        scheduler: address of an existing dask scheduler (``tcp://host:8786``);
            overrides ``workers``.
        progress: progress printer, ticked once per finished run.
        store_dir: where ``on_result`` stores runs (``experiments.store.write_run``); with a
            local cluster the workers then store their own runs there instead of shipping
            them back (results are the same files either way).
    """
    out = Outcome()
    t0 = time.perf_counter()
    try:
        if scheduler is None and workers == 0:
            out.workers = 0
            _execute_inline(tasks, on_result, progress, out)
        else:
            _execute_dask(tasks, on_result, workers, scheduler, progress, out, store_dir)
    except KeyboardInterrupt:
        out.interrupted = True
    out.seconds = time.perf_counter() - t0
    return out


def _execute_inline(tasks, on_result, progress, out: Outcome) -> None:
    for task in tasks:
        try:
            rid, df = run_task(task)
        except Exception as exc:  # noqa: BLE001 - a failing run is reported, the others go on
            out.failed[task["run_id"]] = f"{type(exc).__name__}: {exc}"
            continue
        on_result(rid, df)
        out.finished += 1
        if progress:
            progress.tick()


def _execute_dask(tasks, on_result, workers, scheduler, progress, out: Outcome, store_dir=None) -> None:
    from distributed import Client, as_completed

    configure_dask()
    cluster = None
    if scheduler is None:
        cluster = _local_cluster(workers or default_workers())
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler)
        except (OSError, TimeoutError, ValueError, TypeError) as exc:  # unreachable or malformed address
            reason = str(exc).splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise SchedulerError(
                f"--scheduler {scheduler}: cannot connect ({reason}); "
                "allowed: the address of a running dask scheduler, e.g. tcp://10.0.0.5:8786"
            ) from None
    try:
        out.workers = len(client.scheduler_info().get("workers", {}))
        if progress:
            progress.restart()
        keys = [f"cogov-run-{t['run_id']}" for t in tasks]
        in_worker = store_dir is not None and cluster is not None
        if in_worker:
            futures = client.map(run_and_store, tasks, directory=str(store_dir), key=keys, pure=False)
        else:
            futures = client.map(run_task, tasks, key=keys, pure=False)
        by_key = {f.key: t for f, t in zip(futures, tasks, strict=True)}
        for fut in as_completed(futures):
            task = by_key[fut.key]
            if fut.status == "error":
                exc = fut.exception()
                out.failed[task["run_id"]] = f"{type(exc).__name__}: {exc}"
            else:
                if not in_worker:
                    rid, df = fut.result()
                    on_result(rid, df)
                out.finished += 1
                if progress:
                    progress.tick()
            fut.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _local_cluster(n: int):
    """A local cluster of ``n`` single-threaded worker processes (one retry if start-up fails)."""
    from distributed import LocalCluster

    for attempt in (1, 2):
        try:
            return LocalCluster(
                n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=40
            )
        except (RuntimeError, TimeoutError, OSError) as exc:
            if attempt == 2:
                raise
            print(f"dask cluster did not start ({exc}); trying once more", file=sys.stderr)
    raise AssertionError("unreachable")


def dedupe(tasks: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tasks with distinct run ids, first occurrence kept (identical runs are computed once)."""
    seen: dict[str, dict[str, Any]] = {}
    for t in tasks:
        seen.setdefault(t["run_id"], t)
    return list(seen.values())
