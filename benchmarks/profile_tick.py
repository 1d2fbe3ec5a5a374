"""Profile the tick of the reference community with the full mechanism set.

    python benchmarks/profile_tick.py [--ticks 120] [--top 25] [--out FILE.prof]

Two runs of the reference community (21,235 residents), same seed:

1. per-mechanism timing: each ``model.pipeline`` entry's ``step()`` is wrapped with a
   timer (no profiler attached, so the figures are not inflated), plus the bookkeeping
   after the mechanisms (``_after_step``, ``compute_row``, the DataCollector);
2. the same run under cProfile: top functions by cumulative and by total (own) time.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import os
import pstats
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _common import machine_info, print_machine, scenario_args  # noqa: E402

SEED = 20240601


def _timed(fn, name: str, acc: dict):
    @functools.wraps(fn)
    def wrapper(*a, **k):
        t0 = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            calls, total = acc.get(name, (0, 0.0))
            acc[name] = (calls + 1, total + time.perf_counter() - t0)

    return wrapper


def build(scenario, overrides):
    import sim

    t0 = time.perf_counter()
    model = sim.CommunityModel(scenario=scenario, seed=SEED, **overrides)
    return model, time.perf_counter() - t0


def per_mechanism(scenario, overrides, ticks: int) -> None:
    import sim.model as sm

    model, t_build = build(scenario, overrides)
    acc: dict[str, tuple[int, float]] = {}
    order = []
    for mech in model.pipeline:  # the model calls mech.step(), so an instance attribute wins
        mech.step = _timed(mech.step, mech.name, acc)
        order.append(mech.name)
    # bookkeeping after the mechanisms, booked separately
    model._after_step = _timed(model._after_step, "[_after_step]", acc)
    orig_row = sm.compute_row
    sm.compute_row = _timed(orig_row, "[compute_row]", acc)
    order += ["[_after_step]", "[compute_row]"]
    t0 = time.perf_counter()
    try:
        model.run(ticks)
    finally:
        sm.compute_row = orig_row
    wall = time.perf_counter() - t0
    # _after_step also runs once in construction (before wrapping), so counts are per tick here
    accounted = sum(total for _, total in acc.values())
    active = {m.name for m in model.pipeline if m.active(model.p)}

    print(
        f"\n== Per-mechanism time: {model.residents.n:,} residents, {ticks} ticks, "
        f"wall {wall:.3f} s ({wall / ticks * 1e3:.2f} ms/tick); construction {t_build:.3f} s =="
    )
    print(f"{'mechanism':<26} {'calls':>6} {'total s':>8} {'ms/tick':>8} {'share':>6}  {'':<20}")
    rows = sorted(order, key=lambda n: -acc.get(n, (0, 0.0))[1])
    for name in rows:
        calls, total = acc.get(name, (0, 0.0))
        share = total / wall if wall else 0.0
        bar = "#" * round(share * 40)
        flag = "" if name.startswith("[") or name in active else "  (inactive)"
        print(f"{name:<26} {calls:>6} {total:>8.3f} {total / ticks * 1e3:>8.3f} {share:>6.1%}  {bar}{flag}")
    other = wall - accounted
    print(f"{'(loop, step overhead)':<26} {'':>6} {other:>8.3f} {other / ticks * 1e3:>8.3f} {other / wall:>6.1%}")
    print("  'responsibility' is not a pipeline entry: its time is inside 'handling'.")


def profiled(scenario, overrides, ticks: int, top: int, out: str | None) -> None:
    model, _ = build(scenario, overrides)
    prof = cProfile.Profile()
    prof.enable()
    model.run(ticks)
    prof.disable()
    if out:
        prof.dump_stats(out)
        print(f"\nprofile written to {out} (open with `python -m pstats {out}` or snakeviz)")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
    for key, title in (("cumulative", "cumulative"), ("tottime", "total (own)")):
        buf = io.StringIO()
        stats = pstats.Stats(prof, stream=buf)
        stats.sort_stats(key).print_stats(top)
        text = buf.getvalue().replace(root, "")
        # drop pstats' preamble up to the table header
        lines = text.splitlines()
        start = next((i for i, ln in enumerate(lines) if "ncalls" in ln), 0)
        print(f"\n== cProfile, {ticks} ticks: top {top} functions by {title} time ==")
        total_line = next((ln for ln in lines if "function calls" in ln), "")
        if total_line:
            print(total_line.strip())
        print("\n".join(ln for ln in lines[start:] if ln.strip()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ticks", type=int, default=120)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--out", help="also dump the cProfile stats to this file")
    ap.add_argument("--scenario", help="preset to profile (default: governance-partners, the full mechanism set)")
    args = ap.parse_args(argv)

    print("cogov-sim tick profile (reference community)")
    print_machine(machine_info())
    if args.scenario:
        scenario, overrides, label = args.scenario, {}, args.scenario
    else:
        scenario, overrides, label = scenario_args()
    if scenario is None:
        print("note    : preset 'governance-partners' not found; using scenario=None with all levers on")
    print(f"scenario: {label}; seed {SEED}; {args.ticks} ticks")
    per_mechanism(scenario, overrides, args.ticks)
    profiled(scenario, overrides, args.ticks, args.top, args.out)
    la = os.getloadavg()
    print(f"\nload avg: {la[0]:.2f} {la[1]:.2f} {la[2]:.2f} (1/5/15 min) at end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
