"""Worked example: a points-budget sweep and what it says.

Runs (or resumes) ``experiments/points-budget-sweep.toml`` into
``results/points-budget/``, then plots participation, redemptions refused and
the incentive cost per activity against the budget, with 95% CIs across seeds::

    python -m experiments.points_budget [--workers N]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from experiments import load_sweep
from experiments.design import load_sweep_file
from experiments.sweep import run_sweep

HERE = Path(__file__).parent
OUTCOMES = ("participation", "volunteer_share", "redemptions_refused", "incentive_cost_per_activity")


def main(argv: list[str] | None = None) -> int:
    """Run the sweep, write the figure and print the table."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from scipy import stats

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--out", default="results/points-budget")
    args = ap.parse_args(argv)
    spec = load_sweep_file(HERE / "points-budget-sweep.toml")
    run_sweep(spec, args.out, workers=args.workers)
    df = load_sweep(args.out, complete=True)
    g = df.groupby("points_budget")
    fig, axes = plt.subplots(1, len(OUTCOMES), figsize=(4 * len(OUTCOMES), 3.4))
    for ax, name in zip(axes, OUTCOMES, strict=True):
        m, s, n = g[name].mean(), g[name].std(ddof=1), g[name].count()
        half = stats.t.ppf(0.975, np.maximum(n - 1, 1)) * s / np.sqrt(n)
        ax.plot(m.index / 1000, m, "o-", color="#c0392b")
        ax.fill_between(m.index / 1000, m - half, m + half, alpha=0.25, color="#c0392b")
        ax.set_xlabel("points budget (thousand yuan / year)")
        ax.set_title(name.replace("_", " "), fontsize=10)
        ax.grid(alpha=0.3)
    fig.tight_layout()
    path = Path(args.out) / "points-budget.png"
    fig.savefig(path, dpi=120)
    print(g[list(OUTCOMES)].mean().round(4).to_string())
    print(f"figure: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
