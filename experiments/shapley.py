"""Why A beats B: Shapley attribution of a difference to the lever groups that differ.

Two scenarios usually differ in many levers at once. A *lever group* is the set
of differing parameters of one mechanism section of ``sim.params`` (routing and
admin load under ``matters``, meeting cadence and seats under ``consultation``,
...). For a set S of groups, v(S) is the outcome (mean over the same seeds) of
scenario A with the values of B for the groups in S; v(∅) = A, v(all) = B.
The Shapley value of a group is its marginal contribution v(S ∪ g) − v(S)
averaged over all orders in which groups can be switched from A to B, so the
contributions always add up to B − A (efficiency) and a group whose values
are equal in A and B is not a group and gets nothing. Interactions are shared
equally between the groups involved.

Exact over all 2^G coalitions when G ≤ ``EXACT_MAX``, otherwise estimated from
seeded random orders (permutation sampling); efficiency holds exactly in both
cases because every order telescopes from A to B.

``cogov explain A B [--seeds K] [--outcome NAME] [--set KEY=VALUE]`` prints and writes it for one world.
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments import store
from experiments.compare import load_scenarios, parse_set
from experiments.robust import execute, outcome_names
from sim import safety
from sim.outcomes import HEADLINE, OUTCOME_BETTER
from sim.params import BY_NAME, PARAMS
from sim.scenario import Scenario, ScenarioError

EXACT_MAX = 6
DEFAULT_PERMUTATIONS = 24
EXIT_BAD_INPUT = 2


class ExplainError(ValueError):
    """Scenarios that cannot be attributed (identical, or a mixed coalition breaks a model rule)."""


def lever_groups(a: Scenario, b: Scenario) -> dict[str, list[str]]:
    """Differing parameters grouped by their section (schema order); levers and other differences alike.

    Non-lever differences (e.g. a scenario's own organisation counts) are grouped
    with their section too, so that v(all groups) is exactly scenario B.
    """
    groups: dict[str, list[str]] = {}
    for p in PARAMS:
        va, vb = store.canonical(a.params[p.name]), store.canonical(b.params[p.name])
        if va != vb:
            groups.setdefault(p.section, []).append(p.name)
    return groups


def coalition_scenario(a: Scenario, b: Scenario, groups: dict[str, list[str]], members: frozenset[str]) -> Scenario:
    """Scenario A with B's values for the parameters of the groups in ``members`` (validated)."""
    values = {n: b.params[n] for g in members for n in groups[g]}
    label = "+".join(sorted(members)) or "none"
    try:
        s = a.with_overrides(**values)
    except ScenarioError as exc:
        raise ExplainError(
            f"{a.name} with {b.name}'s {label}: {str(exc).splitlines()[0]}; allowed: scenarios whose mixed "
            "lever groups are valid (merge the groups in one section)"
        ) from None
    return Scenario(f"{a.name}+[{label}]", s.params, s.description, s.sources, s.path, s.chain)


def coalitions(names: list[str], permutations: int | None, seed: int) -> tuple[list[frozenset], list[tuple]]:
    """The coalitions to run and the orders used (all orders' subsets when exact)."""
    g = len(names)
    if permutations is None:
        subsets = [frozenset(c) for k in range(g + 1) for c in itertools.combinations(names, k)]
        return subsets, []
    rng = np.random.default_rng(seed)
    orders = [tuple(names[i] for i in rng.permutation(g)) for _ in range(permutations)]
    subsets = {frozenset(o[:k]) for o in orders for k in range(g + 1)}
    return sorted(subsets, key=lambda s: (len(s), sorted(s))), orders


def shapley_exact(names: list[str], v: dict[frozenset, float]) -> dict[str, float]:
    """Exact Shapley values from the value of every coalition."""
    g = len(names)
    phi = dict.fromkeys(names, 0.0)
    for s, vs in v.items():
        for n in names:
            if n in s:
                continue
            w = math.factorial(len(s)) * math.factorial(g - len(s) - 1) / math.factorial(g)
            phi[n] += w * (v[s | {n}] - vs)
    return phi


def shapley_sampled(orders: list[tuple], v: dict[frozenset, float]) -> dict[str, float]:
    """Shapley values estimated as mean marginal contributions over sampled orders."""
    phi: dict[str, float] = {}
    for order in orders:
        s: frozenset = frozenset()
        for n in order:
            phi[n] = phi.get(n, 0.0) + v[s | {n}] - v[s]
            s = s | {n}
    return {n: x / len(orders) for n, x in phi.items()}


@dataclass
class Attribution:
    """Shapley contributions of lever groups to B − A for every outcome (one world)."""

    a: str
    b: str
    groups: dict[str, list[str]]
    values: pd.DataFrame  # coalition (label), size, outcome columns: mean over seeds
    contributions: pd.DataFrame  # outcome, group, contribution, parameters
    totals: pd.Series  # outcome -> v(all) - v(none)
    exact: bool
    permutations: int
    seeds: list[int]
    world: dict[str, Any] = field(default_factory=dict)

    def for_outcome(self, outcome: str) -> pd.DataFrame:
        """Contributions to one outcome, largest magnitude first."""
        c = self.contributions[self.contributions["outcome"] == outcome]
        return c.reindex(c["contribution"].abs().sort_values(ascending=False).index).reset_index(drop=True)


def attribute(
    a: Scenario,
    b: Scenario,
    seeds: list[int],
    ticks: int,
    out: Path,
    permutations: int | None = None,
    seed: int = 1,
    workers: int | None = 0,
    scheduler: str | None = None,
    quiet: bool = True,
    world: dict[str, Any] | None = None,
) -> Attribution:
    """Shapley attribution of B − A to lever groups, in the world ``world`` (parameter overrides of both).

    ``permutations`` None: exact when there are at most ``EXACT_MAX`` groups, else
    ``DEFAULT_PERMUTATIONS`` sampled orders; a number forces sampling.
    """
    world = world or {}
    if world:
        a, b = a.with_overrides(**world), b.with_overrides(**world)
    groups = lever_groups(a, b)
    if not groups:
        raise ExplainError(f"{a.name} and {b.name}: no parameter differs; allowed: two different scenarios")
    names = list(groups)
    if permutations is None and len(names) > EXACT_MAX:
        permutations = DEFAULT_PERMUTATIONS
    subsets, orders = coalitions(names, permutations, seed)
    scen = {s: coalition_scenario(a, b, groups, s) for s in subsets}
    tasks, ids = [], {}
    for s, sc in scen.items():
        params = store.canonical(sc.params)
        ids[s] = []
        for sd in seeds:
            rid = store.run_id(params, sd, ticks)
            ids[s].append(rid)
            tasks.append({"run_id": rid, "scenario": sc.name, "params": params, "seed": sd, "ticks": ticks})
    out.mkdir(parents=True, exist_ok=True)
    execute(tasks, out, workers, scheduler, quiet, label="shapley")
    runs = store._read_parts(out / store.RUNS, sorted({t["run_id"] for t in tasks})).set_index("run_id")
    outcomes = outcome_names(runs.reset_index())
    rows = []
    for s in subsets:
        m = runs.loc[ids[s], outcomes].astype(float).mean()
        rows.append({"coalition": "+".join(g for g in names if g in s) or "(none)", "size": len(s), **m.to_dict()})
    values = pd.DataFrame(rows)
    v_by = {s: values.iloc[i] for i, s in enumerate(subsets)}
    contrib = []
    for o in outcomes:
        v = {s: float(v_by[s][o]) for s in subsets}
        phi = shapley_exact(names, v) if permutations is None else shapley_sampled(orders, v)
        for g in names:
            contrib.append({"outcome": o, "group": g, "contribution": phi[g], "parameters": ", ".join(groups[g])})
    full, none = frozenset(names), frozenset()
    totals = pd.Series({o: float(v_by[full][o]) - float(v_by[none][o]) for o in outcomes})
    return Attribution(
        a.name,
        b.name,
        groups,
        values,
        pd.DataFrame(contrib),
        totals,
        permutations is None,
        permutations or 0,
        list(seeds),
        dict(world),
    )


def text_report(att: Attribution, outcomes: list[str] | tuple[str, ...] = HEADLINE) -> str:
    """The attribution as plain text: per outcome, total B − A and each group's share of it."""
    how = "exact over all coalitions" if att.exact else f"sampled over {att.permutations} random orders"
    lines = [
        f"Why {att.b} differs from {att.a}: Shapley contributions of the lever groups ({how}; "
        f"mean over seeds {', '.join(map(str, att.seeds))})",
    ]
    if att.world:
        lines.append(
            "world: "
            + ", ".join(f"{k} = {v:g}" if isinstance(v, float) else f"{k} = {v}" for k, v in att.world.items())
        )
    for g, ps in att.groups.items():
        lever = [n for n in ps if getattr(BY_NAME[n], "lever", False)]
        rest = [n for n in ps if n not in lever]
        lines.append(f"  group {g}: {', '.join(lever) or '-'}" + (f" (not levers: {', '.join(rest)})" if rest else ""))
    for o in outcomes:
        if o not in att.totals:
            continue
        better = OUTCOME_BETTER.get(o, "neutral")
        lines.append(f"\n{o} ({better} is better): {att.b} − {att.a} = {att.totals[o]:+.4g}")
        for r in att.for_outcome(o).itertuples():
            share = r.contribution / att.totals[o] if abs(att.totals[o]) > 1e-12 else float("nan")
            pct = f"{100 * share:+.0f}% of the total" if np.isfinite(share) else ""
            lines.append(f"  {r.group:<16} {r.contribution:+.4g}  {pct}")
    return "\n".join(lines)


def _colour(outcome: str, x: float) -> str:
    """Green for a contribution in the outcome's better direction, red against it, blue when neutral."""
    better = OUTCOME_BETTER.get(outcome, "neutral")
    if better == "neutral" or x == 0:
        return "#2980b9"
    return "#27ae60" if (x > 0) == (better == "higher") else "#c0392b"


def fig_waterfall(att: Attribution, outcome: str, label: str | None = None) -> bytes:
    """A waterfall chart: from A's value through each group's contribution to B's value (green = better)."""
    from experiments.report import _png, plt

    c = att.for_outcome(outcome)
    none_label = "(none)"
    start = float(att.values.loc[att.values["coalition"] == none_label, outcome].iloc[0])
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(c) + 1.6))
    level = start
    ys = list(range(len(c) + 2))
    ax.barh(ys[-1], start, color="#7f8c8d")
    for i, r in enumerate(c.itertuples()):
        y = ys[-2 - i]
        ax.barh(y, r.contribution, left=level, color=_colour(outcome, r.contribution))
        ax.text(level + r.contribution, y, f" {r.contribution:+.3g}", va="center", fontsize=8)
        level += r.contribution
    ax.barh(ys[0], level, color="#2c3e50")
    ax.set_yticks(ys)
    ax.set_yticklabels([att.b, *reversed(c["group"].tolist()), att.a], fontsize=9)
    lo = min(start, level, *(start + np.cumsum(c["contribution"])))
    hi = max(start, level, *(start + np.cumsum(c["contribution"])))
    pad = 0.15 * (hi - lo) if hi > lo else abs(hi) * 0.1 + 1e-9
    ax.set_xlim(lo - pad, hi + pad)
    ax.set_title(f"{label or outcome}: {att.a} → {att.b}", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return _png(fig)


# --- command line --------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``cogov explain``."""
    parser.add_argument("a", metavar="A", help="the scenario the difference starts from")
    parser.add_argument("b", metavar="B", help="the scenario it ends at")
    parser.add_argument("--seeds", type=int, default=2, help="seeds 1..K per coalition (default 2)")
    parser.add_argument("--ticks", type=int, default=365, help="days per run (default 365)")
    parser.add_argument(
        "--outcome", action="append", default=None, help="outcome to explain (repeatable; default: headline)"
    )
    parser.add_argument(
        "--permutations",
        type=int,
        default=None,
        help=f"sample this many random orders instead of all coalitions (default: exact up to {EXACT_MAX} groups)",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="the world: set a parameter in both scenarios (repeatable), e.g. --set w_social=2.6",
    )
    parser.add_argument("--out", default=None, help="output directory (default results/explain-A-vs-B)")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default all cores; 0 = here)")
    parser.add_argument("--quiet", action="store_true", help="no progress output")


def main_args(args: argparse.Namespace) -> int:
    """Run ``cogov explain``: print the attribution and write text, CSV and waterfall PNGs."""
    outcomes = args.outcome or list(HEADLINE)
    if args.seeds < 1 or args.ticks < 1:
        print("cogov: error: --seeds/--ticks: must be 1 or more; allowed: whole numbers >= 1", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.permutations is not None and args.permutations < 1:
        print(f"cogov: error: --permutations {args.permutations}; allowed: 1 or more", file=sys.stderr)
        return EXIT_BAD_INPUT
    bad = [o for o in outcomes if o not in OUTCOME_BETTER or o == "tick"]
    if bad:
        print(f"cogov: error: --outcome {bad[0]}: unknown outcome; allowed: a column of sim.outcomes", file=sys.stderr)
        return EXIT_BAD_INPUT
    out = Path(args.out) if args.out else Path("results") / f"explain-{Path(args.a).stem}-vs-{Path(args.b).stem}"
    try:  # before any run: a file in the way is a bad input, not a crash after the runs
        safety.check_output_dir(out)
    except safety.OutputError as exc:
        safety.report_error(str(exc))
        return EXIT_BAD_INPUT
    try:
        world = parse_set(args.set)
        a, b = load_scenarios([args.a, args.b], {})
        att = attribute(
            a,
            b,
            list(range(1, args.seeds + 1)),
            args.ticks,
            out,
            args.permutations,
            workers=args.workers,
            quiet=args.quiet,
            world=world,
        )
    except (ScenarioError, ExplainError) as exc:
        print(f"cogov: error: {str(exc).splitlines()[0]}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(f"\ninterrupted: finished runs are kept in {out}; run the same command again to resume", file=sys.stderr)
        return 130
    text = text_report(att, outcomes)
    print(text)
    (out / "explain.txt").write_text(text + "\n", encoding="utf-8")
    att.contributions.to_csv(out / "shapley.csv", index=False)
    att.values.to_csv(out / "coalitions.csv", index=False)
    for o in outcomes:
        (out / f"waterfall-{o}.png").write_bytes(fig_waterfall(att, o))
    print(f"\nwritten: {out / 'explain.txt'}, shapley.csv, coalitions.csv, waterfall-*.png", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m experiments.shapley``."""
    parser = argparse.ArgumentParser(prog="cogov explain", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return main_args(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
