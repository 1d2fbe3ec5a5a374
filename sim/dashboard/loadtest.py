"""How long concurrent tabs wait: N sessions run at once, as N browser tabs' run loops do.

    python -m sim.dashboard.loadtest --tabs 1 4 8 --days 60 --workers 0 2

Each "tab" is a ``Session`` stepped in its own thread in chunks of ``--speed`` days,
with the map and charts drawn after every chunk (what the page's run loop does),
so the figures are the server's work for a class, without the browser. Prints one
line per (workers, tabs): wall time until every tab reached the day, and the
slowest tab's time.
"""

from __future__ import annotations

import argparse
import os
import threading
import time


def run_tabs(tabs: int, days: int, speed: int, size: dict | None = None) -> tuple[float, float]:
    """Wall time for ``tabs`` sessions to run ``days`` days at once; and the slowest tab's own time."""
    from sim.dashboard.app import figures
    from sim.dashboard.session import Session

    sessions = [Session("governance-partners", seed=i + 1, size=size or {}) for i in range(tabs)]
    times = [0.0] * tabs

    def loop(i: int) -> None:
        t0 = time.perf_counter()
        s = sessions[i]
        while s.tick < days:
            s.step(min(speed, days - s.tick))
            figures(s, "en", "participation", "none")
        times[i] = time.perf_counter() - t0

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(tabs)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return time.perf_counter() - t0, max(times)


def main(argv: list[str] | None = None) -> None:
    """Print wall times for each number of workers and tabs."""
    p = argparse.ArgumentParser(prog="python -m sim.dashboard.loadtest")
    p.add_argument("--tabs", type=int, nargs="+", default=[1, 4, 8])
    p.add_argument("--workers", type=int, nargs="+", default=[0, os.cpu_count() or 1])
    p.add_argument("--days", type=int, default=60)
    p.add_argument("--speed", type=int, default=10)
    args = p.parse_args(argv)
    from sim.dashboard import workers as w

    for n in args.workers:
        os.environ["COGOV_DASHBOARD_WORKERS"] = str(n)
        w._POOL = None
        if n:
            w.pool()  # start the workers before timing (each imports the model once)
        for tabs in args.tabs:
            wall, slowest = run_tabs(tabs, args.days, args.speed)
            print(f"workers={n} tabs={tabs} days={args.days}: all done in {wall:.1f} s (slowest tab {slowest:.1f} s)")
        if w._POOL is not None:
            for wk in w._POOL.workers:
                wk.proc.terminate()


if __name__ == "__main__":
    main()
