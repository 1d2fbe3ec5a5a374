"""Benchmark of comparisons across worlds and of Shapley lever attribution (issue 13).

    python benchmarks/bench_robust.py [--quick] [--workers N] [--out DIR] [--json OUT]

Two measurements, reported and never asserted:

1. ``robust``: 100 worlds × 3 scenarios (government-led, five-micro, share-bear-win)
   × 2 seeds at the reference community size (21,235 residents), one year each:
   600 runs (plus the 6 runs of the scenarios' own world), uncertain parameters from
   ``experiments/uncertain-example.toml``. Target ≤ 10 minutes on 2 cores.
2. ``shapley``: exact Shapley attribution between government-led and five-micro with
   five-micro's organisation counts, and its lever groups after the sixth, set to
   government-led's, so that they differ in exactly 6 lever groups: 64 coalitions × 2 seeds
   = 128 runs. Target ≤ 3 minutes.

``--quick`` runs both at a tiny size (600 residents, 4 worlds, 60 days, 1 seed for
Shapley) to check that the script works; its times say nothing about the targets.
Runs go into a fresh temporary directory (or ``--out``), so nothing is cached.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _common import REF_RESIDENTS, ROOT, machine_info, print_machine, size_overrides  # noqa: E402

SCENARIOS = ["government-led", "five-micro", "share-bear-win"]
UNCERTAIN = ROOT / "experiments" / "uncertain-example.toml"
TARGETS = {"robust": 600.0, "shapley": 180.0}


def _timed(module, name: str, phases: dict) -> None:
    """Wrap ``module.name`` so that its wall time adds up in ``phases[name]``."""
    fn = getattr(module, name)

    def wrapper(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            phases[name] = round(phases.get(name, 0.0) + time.perf_counter() - t0, 1)

    setattr(module, name, wrapper)


def single_years(size: dict, ticks: int) -> dict[str, float]:
    """Wall time of one run of each scenario (seed 1, the scenarios' own parameters), in this process."""
    from sim.model import CommunityModel

    times = {}
    for name in SCENARIOS:
        model = CommunityModel(name, seed=1, **size)
        t0 = time.perf_counter()
        model.run(ticks)
        times[name] = round(time.perf_counter() - t0, 2)
    return times


def bench_robust(out: Path, quick: bool, workers: int | None) -> dict:
    """Time ``robust_compare`` of the three scenarios (computing every run), with its phases."""
    import experiments.robust as robust_mod
    from experiments.robust import robust_compare

    phases: dict[str, float] = {}
    for name in ("execute", "summarise"):  # running the worlds; verdicts, PRIM, indices, regret
        _timed(robust_mod, name, phases)
    size = size_overrides(600 if quick else REF_RESIDENTS)
    # this machine's speed drifts by a third within an hour: one year of each scenario, alone and
    # just before, says how fast the machine was (the wall time can then be read against it)
    single = single_years(size, 60 if quick else 365)

    worlds, seeds, ticks = (4, 2, 60) if quick else (100, 2, 365)
    t0 = time.perf_counter()
    res = robust_compare(
        SCENARIOS, worlds, seeds, ticks, UNCERTAIN, size, workers=workers, out=out / "robust", quiet=False
    )
    wall = time.perf_counter() - t0
    n = int(res.runs["run_id"].nunique())
    what = f"{worlds} worlds x 3 scenarios x {seeds} seeds, {size['residents']} residents, {ticks} days"
    return {
        "what": what,
        "runs": n,
        "seconds": round(wall, 1),
        "runs_per_second": round(n / wall, 3),
        "phases": phases,
        "single_run_seconds": single,
        # the same runs one after another on one core, from the single runs' times
        "serial_estimate_seconds": round(n / len(single) * sum(single.values()), 1),
    }


def bench_shapley(out: Path, quick: bool, workers: int | None) -> dict:
    """Time an exact Shapley attribution over 6 lever groups."""
    from experiments.compare import load_scenarios
    from experiments.shapley import attribute, lever_groups

    size = size_overrides(600 if quick else REF_RESIDENTS)
    a, b = load_scenarios(["government-led", "five-micro"], size)
    same = {k: a.params[k] for k in ("volunteer_teams", "professional_orgs", "interest_groups")}
    b = b.with_overrides(**same)
    # the target is for scenarios that differ in 6 lever groups: five-micro now differs in more
    # (outreach, micro-grids, ...), so the groups after the sixth take government-led's values
    groups = lever_groups(a, b)
    extra = {k: a.params[k] for g in list(groups)[6:] for k in groups[g]}
    b = b.with_overrides(**extra)
    groups = lever_groups(a, b)
    assert len(groups) == 6, groups
    seeds, ticks = ([1], 60) if quick else ([1, 2], 365)
    t0 = time.perf_counter()
    att = attribute(a, b, seeds, ticks, out / "shapley", workers=workers, quiet=False)
    wall = time.perf_counter() - t0
    # the coalitions actually run (all 2^k when exact, fewer when sampled), each once per seed
    coalitions = len(att.values)
    n = coalitions * len(seeds)
    what = (
        f"{len(groups)} groups ({', '.join(groups)}), {coalitions} coalitions x {len(seeds)} seeds, "
        f"{size['residents']} residents, {ticks} days, {'exact' if att.exact else 'sampled'}"
    )
    return {"what": what, "runs": n, "seconds": round(wall, 1), "runs_per_second": round(n / wall, 3)}


def main() -> int:
    """Run both benchmarks and print their times against the targets."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="tiny size: checks the script, not the targets")
    ap.add_argument("--workers", type=int, default=None, help="dask workers (default: all cores)")
    ap.add_argument("--out", default=None, help="keep the runs here (default: a temporary directory)")
    ap.add_argument("--json", default=None, help="also write the results as JSON")
    ap.add_argument("--only", choices=("robust", "shapley"), default=None, help="run one of the two")
    args = ap.parse_args()
    info = machine_info()
    print_machine(info)
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-robust-") as tmp:
        out = Path(args.out) if args.out else Path(tmp)
        for name, fn in (("robust", bench_robust), ("shapley", bench_shapley)):
            if args.only in (None, name):
                results[name] = fn(out, args.quick, args.workers)
    for name, r in results.items():
        verdict = "PASS" if r["seconds"] <= TARGETS[name] else "MISS"
        verdict = "(quick size: no target)" if args.quick else f"{verdict} (target <= {TARGETS[name]:.0f} s)"
        print(f"{name:8}: {r['what']}: {r['runs']} runs in {r['seconds']} s ({r['runs_per_second']} runs/s) {verdict}")
        if r.get("phases"):
            print("          phases (s): " + ", ".join(f"{k} {v}" for k, v in r["phases"].items()))
        if r.get("single_run_seconds"):
            one = ", ".join(f"{k} {v} s" for k, v in r["single_run_seconds"].items())
            serial = r["serial_estimate_seconds"]
            print(f"          one run alone just before: {one}; the runs one after another: ~{serial} s")
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": info, "quick": args.quick, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
