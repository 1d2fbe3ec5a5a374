"""Worked example: compare the seven policy presets with honest uncertainty.

Runs government-led (the baseline) and the six co-governance presets over the
same seeds and writes the comparison table, figures and HTML report into
``results/policy-comparison/``::

    python -m experiments.policy_comparison                 # 20 seeds, 365 days, full community
    python -m experiments.policy_comparison --seeds 5 --ticks 180 --residents 3000   # a quick look

The same as ``cogov compare government-led governance-partners five-micro ...``.
"""

from __future__ import annotations

import argparse
import sys

from experiments.compare import run_comparison
from experiments.report import write_report
from sim.scenario import preset_names

POLICIES = (
    "government-led",
    "governance-partners",
    "five-micro",
    "people-centred",
    "share-bear-win",
    "technology-led",
    "three-chiefs",
)


def main(argv: list[str] | None = None) -> int:
    """Run the comparison and print the report's path."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--ticks", type=int, default=365)
    ap.add_argument(
        "--residents", type=int, default=None, help="smaller community for a quick look (households scaled to match)"
    )
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--lang", choices=("en", "zh"), default="en")
    ap.add_argument("--out", default="results/policy-comparison")
    args = ap.parse_args(argv)
    presets = [p for p in POLICIES if p in preset_names()]
    overrides = {}
    if args.residents:
        overrides = {"residents": args.residents, "households": max(args.residents * 7191 // 21235, 10)}
    comp = run_comparison(
        presets,
        seeds=args.seeds,
        ticks=args.ticks,
        overrides=overrides,
        workers=args.workers,
        out=args.out,
        command="python -m experiments.policy_comparison " + " ".join(argv or sys.argv[1:]),
    )
    path = write_report(comp, args.out, lang=args.lang)
    t = comp.table[comp.table["outcome"].isin(["participation", "disputes_total", "satisfaction"])]
    print(t.pivot(index="scenario", columns="outcome", values="mean").loc[comp.names].round(3).to_string())
    print(f"report: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
