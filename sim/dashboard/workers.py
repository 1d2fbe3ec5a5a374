"""Models stepped in worker processes, so a classroom server uses every core.

Python runs one thread at a time per process: with every tab's model in the
server process, two tabs running a year took twice as long as one. Here a small
pool of worker processes (``COGOV_DASHBOARD_WORKERS``, set by ``cogov dashboard
--workers N``; default the number of cores) holds the models; each new model
goes to the worker with the fewest. The server process keeps a ``RemoteModel``
per run, which forwards stepping, lever changes, the results table, the map
drawing and the export to its worker and caches what the page reads often
(day, population, description).

Workers are started with "spawn" (the server has threads; forking it is not
safe) and stop with the server (daemon processes).
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import os
import threading
from types import SimpleNamespace
from typing import Any


def _serve(conn) -> None:
    """A worker's loop: build, step and draw models on request; reply (ok, value)."""
    from sim.dashboard.map import MapPainter
    from sim.model import CommunityModel

    models: dict[int, Any] = {}
    painters: dict[int, MapPainter] = {}
    while True:
        try:
            op, mid, args = conn.recv()
        except EOFError:
            return
        try:
            if op == "new":
                scenario, seed, kwargs = args
                models[mid] = CommunityModel(scenario, seed=seed, **kwargs)
                value = None
            elif op == "drop":
                models.pop(mid, None)
                painters.pop(mid, None)
                value = None
            else:
                m = models[mid]
                if op == "run":
                    m.run(int(args[0]))
                    value = None
                elif op == "shock":
                    m.apply_shock(args[0])
                    value = None
                elif op == "reschedule":
                    from sim.timeline import reschedule

                    reschedule(m, args[0])
                    value = None
                elif op == "results":
                    value = m.results()
                elif op == "map":
                    value = painters.setdefault(mid, MapPainter()).png(m, *args)
                elif op == "p":
                    value = dict(m.p)
                elif op == "write":
                    from sim.io import write_run

                    write_run(m, args[0], extra_manifest=args[1])
                    value = None
                else:
                    raise ValueError(f"unknown worker operation {op!r}")
            if mid in models:
                m = models[mid]
                info = {"tick": m.tick, "n": m.residents.n, "description": m.config.description}
            else:
                info = None
            conn.send((True, value, info))
        except Exception as exc:  # noqa: BLE001 (the caller re-raises it: a bad lever must not kill the worker)
            conn.send((False, exc, None))


class Worker:
    """One worker process and the pipe to it (one request at a time)."""

    def __init__(self, ctx):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child,), daemon=True, name="cogov-dashboard-worker")
        self.proc.start()
        child.close()
        self.lock = threading.Lock()
        self.models = 0
        self.dropped: list[int] = []  # models no longer referenced: freed before the next request

    def call(self, op: str, mid: int, *args: Any) -> tuple[Any, dict | None]:
        """Send one request and wait for its reply (other threads wait for the pipe)."""
        with self.lock:
            while self.dropped:
                self.conn.send(("drop", self.dropped.pop(), ()))
                self.conn.recv()
            self.conn.send((op, mid, args))
            ok, value, info = self.conn.recv()
        if not ok:
            raise value
        return value, info


class Pool:
    """Worker processes; each model lives in the least-loaded one."""

    def __init__(self, n: int):
        ctx = mp.get_context("spawn")
        self.workers = [Worker(ctx) for _ in range(max(1, n))]
        self.lock = threading.Lock()
        self._ids = itertools.count(1)

    def place(self) -> tuple[Worker, int]:
        """A worker for a new model, and the model's id."""
        with self.lock:
            w = min(self.workers, key=lambda w: w.models)
            w.models += 1
            return w, next(self._ids)


class RemoteModel:
    """A CommunityModel in a worker process, with the attributes the dashboard reads."""

    def __init__(self, pool: Pool, scenario: Any, seed: int, **kwargs: Any):
        self.worker, self.mid = pool.place()
        self._closed = False
        try:
            self._call("new", scenario, seed, kwargs)
        except BaseException:
            self.worker.models -= 1
            self._closed = True
            raise

    def _call(self, op: str, *args: Any) -> Any:
        value, info = self.worker.call(op, self.mid, *args)
        if info is not None:
            self.tick = info["tick"]
            self.residents = SimpleNamespace(n=info["n"])
            self.config = SimpleNamespace(description=info["description"])
        return value

    def step(self) -> None:
        """One day."""
        self._call("run", 1)

    def run(self, days: int) -> RemoteModel:
        """``days`` days in one request."""
        if days > 0:
            self._call("run", days)
        return self

    def apply_shock(self, change: dict[str, Any]) -> None:
        """Change parameters from today."""
        self._call("shock", change)

    def reschedule(self, entries: list[dict]) -> None:
        """Give the model a new timeline (sim.timeline.reschedule), in its worker."""
        self._call("reschedule", entries)

    def results(self):
        """The per-tick table."""
        return self._call("results")

    @property
    def p(self) -> dict[str, Any]:
        """The model's current parameters."""
        return self._call("p")

    def map_png(self, indicator: str, lang: str, title: str | None) -> bytes:
        """The community map, drawn in the worker."""
        return self._call("map", indicator, lang, title)

    def write(self, target, extra: dict[str, Any]) -> None:
        """Write the run's files (sim.io.write_run) from the worker."""
        self._call("write", str(target), extra)

    def close(self) -> None:
        """Free the model in its worker (at its next request: no lock is taken here, so it is safe from GC)."""
        if not self._closed:
            self._closed = True
            self.worker.models -= 1
            self.worker.dropped.append(self.mid)

    def __del__(self):
        self.close()


_POOL: Pool | None = None
_POOL_LOCK = threading.Lock()


def pool() -> Pool | None:
    """The server's worker pool (``COGOV_DASHBOARD_WORKERS``; 0 = models in the server process)."""
    global _POOL
    n = int(os.environ.get("COGOV_DASHBOARD_WORKERS", "0") or 0)
    if n <= 0:
        return None
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = Pool(n)
        return _POOL
