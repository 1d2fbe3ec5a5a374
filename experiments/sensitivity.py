"""Worked example: a sensitivity study and scenario discovery.

Runs (or resumes) ``experiments/sensitivity-sweep.toml`` into
``results/sensitivity/``, computes Sobol first- and total-order indices of
participation and of disputes with confidence intervals, draws tornado charts,
and prints the parameter regions that lead to low participation or high
conflict (decision-tree scenario discovery)::

    python -m experiments.sensitivity [--workers N]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from experiments import analysis, load_sweep
from experiments.design import load_sweep_file
from experiments.sweep import run_sweep

HERE = Path(__file__).parent


def main(argv: list[str] | None = None) -> int:
    """Run the sweep and the analyses; write charts and rules into the output directory."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--out", default="results/sensitivity")
    args = ap.parse_args(argv)
    out = Path(args.out)
    spec = load_sweep_file(HERE / "sensitivity-sweep.toml")
    run_sweep(spec, out, workers=args.workers)
    factors = [f.name for f in spec.factors]
    report = []
    for outcome in ("participation", "disputes_total"):
        idx = analysis.sobol_indices(out, outcome)
        idx.to_csv(out / f"sobol-{outcome}.csv", index=False)
        analysis.sensitivity_chart(idx, f"Sobol indices of {outcome}", out / f"sobol-{outcome}.png")
        report.append(f"Sobol indices of {outcome} (95% CI half-widths):\n{idx.round(3).to_string(index=False)}")
    df = load_sweep(out, complete=True)
    low = df["participation"].quantile(0.25)
    high = df["disputes_total"].quantile(0.75)
    report.append(
        analysis.print_rules(
            analysis.discover(df, factors, "participation", low, above=False),
            f"participation is below {low:.3f} (lowest quarter)",
        )
    )
    report.append(
        analysis.print_rules(
            analysis.discover(df, factors, "disputes_total", high, above=True),
            f"disputes exceed {high:.0f} (highest quarter)",
        )
    )
    text = "\n\n".join(report)
    (out / "sensitivity.txt").write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
