"""Worked example: a sensitivity study and scenario discovery.

Runs (or resumes) ``experiments/sensitivity-sweep.toml`` (Sobol design, two
seeds per point, a dummy factor) into ``results/sensitivity/`` and
``experiments/discovery-sweep.toml`` (Latin hypercube) into
``results/discovery/``; computes Sobol first- and total-order indices of
participation and of disputes with confidence intervals, each outcome's noise
share, the dummy factor's index (the noise floor) and the change of the indices
from N/2 to N; draws tornado charts; and prints the parameter regions that lead
to low participation or high conflict (PRIM scenario discovery on the
hypercube)::

    python -m experiments.sensitivity [--workers N]
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from experiments import analysis, load_sweep
from experiments.design import load_sweep_file
from experiments.sweep import run_sweep

HERE = Path(__file__).parent
OUTCOMES = ("participation", "disputes_total")


def sobol_report(out: Path, outcome: str) -> str:
    """Indices of one outcome with their noise share, noise floor and convergence, as text (and CSV, chart)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", analysis.NoisyOutcomeWarning)
        idx = analysis.sobol_indices(out, outcome)
    idx.to_csv(out / f"sobol-{outcome}.csv", index=False)
    analysis.sensitivity_chart(idx, f"Sobol indices of {outcome}", out / f"sobol-{outcome}.png")
    a = idx.attrs
    head = (
        f"Sobol indices of {outcome} (N = {a['N']}, {a['seeds']} seeds per point, SALib {a['salib_version']}; "
        f"95% CI half-widths; *_half: the same from the first N/2 base samples)\n"
        f"noise share {a['noise_share']:.3f}; dummy factor ST {a.get('dummy_ST', float('nan')):.3f} "
        f"(noise floor); largest ST change from N/2 to N {a['max_ST_change']:.3f} "
        f"({'converged' if a['converged'] else 'NOT converged'}: tolerance {analysis.CONVERGED_CHANGE}); "
        f"sum of S1 {idx.loc[idx['parameter'] != 'dummy', 'S1'].sum():.3f}"
    )
    warn = "".join(f"\nWARNING: {w.message}" for w in caught)
    cols = ["parameter", "S1", "S1_conf", "ST", "ST_conf", "S1_half", "ST_half", "ST_change"]
    return f"{head}{warn}\n{idx[cols].round(3).to_string(index=False)}"


def main(argv: list[str] | None = None) -> int:
    """Run the sweeps and the analyses; write charts and rules into the output directories."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--out", default="results/sensitivity")
    ap.add_argument("--discovery-out", default="results/discovery")
    args = ap.parse_args(argv)
    out, dout = Path(args.out), Path(args.discovery_out)
    spec = load_sweep_file(HERE / "sensitivity-sweep.toml")
    run_sweep(spec, out, workers=args.workers)
    dspec = load_sweep_file(HERE / "discovery-sweep.toml")
    run_sweep(dspec, dout, workers=args.workers)
    report = [sobol_report(out, o) for o in OUTCOMES]
    df = load_sweep(dout, complete=True)
    low = df["participation"].quantile(0.25)
    high = df["disputes_total"].quantile(0.75)
    report.append(
        analysis.print_rules(
            analysis.discover_sweep(dout, "participation", low, above=False),
            f"participation is below {low:.3f} (lowest quarter)",
        )
    )
    report.append(
        analysis.print_rules(
            analysis.discover_sweep(dout, "disputes_total", high, above=True),
            f"disputes exceed {high:.0f} (highest quarter)",
        )
    )
    text = "\n\n".join(report)
    (out / "sensitivity.txt").write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
