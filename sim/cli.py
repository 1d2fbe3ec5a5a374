"""The ``cogov`` command line: list presets, explain parameters, show and run scenarios.

Every user error (a bad scenario file, an unknown or out-of-range parameter, a
bad option) ends in one line on stderr starting ``cogov: error:`` and exit
code 2; an interrupted run writes what it finished and exits with 130 after
Ctrl-C and 143 after SIGTERM (``timeout``, Slurm, containers), as a shell would.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shlex
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from sim import __version__, safety

with safety.quiet_interrupt_on_import():  # Ctrl-C while importing: exit 130, no traceback
    from sim import timeline
    from sim.invariants import InvariantError
    from sim.outcomes import HEADLINE
    from sim.params import NEWCOMER_TRAITS, PARAMS, SECTIONS, STRUCTURAL, TYPES_DRAWN_ONCE, by_section, defaults
    from sim.scenario import PRESET_DIR, ScenarioError, load_scenario, preset_names

EXIT_INVARIANT = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = safety.EXIT_INTERRUPTED


class UsageError(Exception):
    """A bad command-line value; reported as one ``cogov: error:`` line, exit 2."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises instead of printing usage and exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `{self.prog} --help`)")


# --- value parsing ----------------------------------------------------------------------


def parse_value(text: str) -> Any:
    """Parse one ``--set`` value as a TOML literal; a bare word is taken as a string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def parse_sets(items: Sequence[str] | None) -> dict[str, Any]:
    """Turn ``["key=value", ...]`` into a dict of parsed values (a later key wins)."""
    out: dict[str, Any] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"--set expects key=value, got {item!r} (e.g. --set points=true)")
        out[key] = parse_value(value.strip())
    return out


def _whole_number(unit: str = ""):
    """An argparse type for a whole number ≥ 0 (of ``unit``), with a plain error message."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            of = f" of {unit}" if unit else ""
            raise argparse.ArgumentTypeError(f"expected a whole number{of}, got {text!r}") from None
        if value < 0:
            raise argparse.ArgumentTypeError(f"expected 0 {unit} or more, got {value}".replace("  ", " "))
        return value

    return parse


_ticks = _whole_number("days")
_seed = safety.seed_arg  # 0 ≤ seed < 2**63, the one seed range of CLI, API and sweep files


# --- TOML-like rendering ----------------------------------------------------------------


def toml_value(value: Any) -> str:
    """Render a parameter value as a TOML literal."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


# --- subcommands ----------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    """Print the preset scenarios and their descriptions."""
    names = preset_names()
    if not names:
        print(f"No preset scenarios found in {PRESET_DIR}.")
        print("Run a scenario file instead: cogov run path/to/scenario.toml")
        return 0
    width = max(len(n) for n in names)
    for name in names:
        try:
            description = load_scenario(name).description or "(no description)"
        except ScenarioError as exc:
            description = f"(does not load: {str(exc).splitlines()[0]})"
        print(f"{name:<{width}}  {description}")
    return 0


def _num(x: float | None) -> str:
    if x is None:
        return "?"
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:g}"


def _range(p) -> str:
    if p.kind == "table" and isinstance(p.default, list):
        return "[[timeline]] tables: day + set, or from_day + to_day + ramp"
    if p.kind == "table":
        return "table of parameter values"
    if p.kind == "bool":
        return "true / false"
    if p.kind == "choice":
        return " | ".join(str(c) for c in p.choices)
    lo, hi = _num(p.lo), _num(p.hi)
    return f"{'integer' if p.kind == 'int' else 'number'} {lo} … {hi}"


def _plausible(p) -> str:
    """The range uncertainty analyses draw a calibrated or assumed number from ("" for the others)."""
    if p.plausible is None:
        return ""
    return f"{_num(p.plausible[0])} … {_num(p.plausible[1])}"


def _during_run(p) -> str:
    """What a dated change of ``p`` does ("" when it simply takes effect from its day)."""
    if p.name in ("shock_tick", "shock_set", "timeline"):
        return ""
    if p.name in STRUCTURAL:
        return "fixed (read only when the community is built; the timeline refuses it)"
    if p.name in NEWCOMER_TRAITS:
        return "a dated change reaches newcomers only (residents already here keep theirs)"
    if p.name in TYPES_DRAWN_ONCE:
        return "drawn per resident when the module first runs and for newcomers: a later change reaches newcomers only"
    return ""


def cmd_params(args: argparse.Namespace) -> int:
    """Print the parameter table, as text or Markdown."""
    if args.section is not None and args.section not in SECTIONS:
        raise UsageError(f"unknown section {args.section!r}; allowed: {', '.join(SECTIONS)}")
    chosen = [p for p in PARAMS if args.section in (None, p.section)]
    if args.markdown:
        columns = "name | section | default | allowed | unit | kind | plausible range | during a run | meaning | source"
        print(f"| {columns} |")
        print("|---|---|---|---|---|---|---|---|---|---|")

        def cell(text: Any) -> str:
            return str(text).replace("|", "\\|").replace("\n", " ")

        for p in chosen:
            print(
                f"| `{p.name}` | {p.section} | `{cell(toml_value(p.default))}` | {cell(_range(p))} | "
                f"{cell(p.unit)} | {p.role} | {cell(_plausible(p))} | {cell(_during_run(p))} | {cell(p.meaning)} | "
                f"{cell(p.source)} |"
            )
        return 0
    groups = by_section()
    for section in SECTIONS:
        params = [p for p in groups[section] if p in chosen]
        if not params:
            continue
        print(f"[{section}]")
        for p in params:
            unit = f" {p.unit}" if p.unit else ""
            lever = "   (policy lever)" if p.lever else ""
            print(f"  {p.name} = {toml_value(p.default)}{unit}{lever}")
            print(f"      allowed: {_range(p)}")
            print(f"      {p.meaning}")
            print(f"      source: {p.source}")
            plausible = _plausible(p)
            print(f"      kind: {p.role}" + (f"; plausible range {plausible}" if plausible else ""))
            if during := _during_run(p):
                print(f"      during a run: {during}")
        print()
    print(f"{len(chosen)} parameters. Set them in a scenario file under their [section], or with --set name=value.")
    return 0


def _load(args: argparse.Namespace):
    overrides = parse_sets(args.set)
    return load_scenario(args.scenario, **overrides), overrides


def cmd_show(args: argparse.Namespace) -> int:
    """Print a scenario's resolved parameters as TOML (loadable as a scenario file)."""
    scen, overrides = _load(args)
    base = defaults()
    lines = [
        f"# scenario: {scen.name}",
        f"# file: {scen.path or '(built-in defaults)'}",
        "# inheritance: " + " → ".join(["defaults", *[c for c in scen.chain if c != "defaults"]]),
    ]
    if overrides:
        lines.append("# --set: " + ", ".join(f"{k} = {toml_value(v)}" for k, v in overrides.items()))
    lines += ["# values that differ from the built-in default are marked '# default: ...'", "", "[scenario]"]
    if scen.description:
        lines.append(f"description = {toml_value(scen.description)}")
    if scen.sources:
        lines.append(f"sources = {toml_value(scen.sources)}")
    groups = by_section()
    for section in SECTIONS:
        lines += ["", f"[{section}]"]
        width = max(len(p.name) for p in groups[section])
        for p in groups[section]:
            value = scen.params[p.name]
            if p.name == "timeline":
                continue  # printed as [[timeline]] tables below
            text = f"{p.name:<{width}} = {toml_value(value)}"
            if value != base[p.name]:
                text += f"    # default: {toml_value(base[p.name])}"
            lines.append(text)
    lines += _show_timeline(scen.params)
    print("\n".join(lines))
    return 0


def _show_timeline(params: dict) -> list[str]:
    """The policy timeline: a readable schedule as comments, then the loadable [[timeline]] tables."""
    schedule = timeline.describe(params)
    if not schedule:
        return ["", "# policy timeline: no scheduled changes"]
    lines = ["", "# policy timeline, in the order the changes apply:"]
    lines += [f"#   {line}" for line in schedule]
    for entry in params["timeline"]:
        lines.append("")
        lines.append("[[timeline]]")
        lines += [f"{k} = {toml_value(v)}" for k, v in entry.items()]
    return lines


def _days(n: int) -> str:
    """'1 day', '5 days'."""
    return f"{n} day" if n == 1 else f"{n} days"


def _summary(df) -> list[str]:
    """Five lines of final headline values."""
    last = df.iloc[-1]
    first = df.iloc[0]

    def val(name: str, fmt: str) -> str:
        if name not in df.columns:
            return "n/a"
        return format(last[name], fmt)

    def change(name: str) -> str:
        if name not in df.columns:
            return ""
        return f" ({last[name] - first[name]:+.2f} since day 0)"

    lines = [
        f"participation   {val('participation', '.1%')} of adults active in the last "
        f"{_days(df.attrs.get('manifest', {}).get('parameters', {}).get('activity_window', 30))}; "
        f"registered volunteers {val('volunteer_share', '.2%')} of residents",
        f"matters         {val('backlog', ',.0f')} open (backlog)",
        f"disputes        {val('disputes_total', ',.0f')} so far, {val('escalations_total', ',.0f')} escalated "
        "(petition, lawsuit)",
        f"attitudes       satisfaction {val('satisfaction', '.2f')}{change('satisfaction')}, "
        f"belonging {val('belonging', '.2f')}{change('belonging')}  (0–1)",
        f"trust           in the residents' committee {val('trust_residents_committee', '.2f')}"
        f"{change('trust_residents_committee')}  (0–1)",
    ]
    missing = [
        h
        for h in HEADLINE
        if h
        not in {
            "participation",
            "volunteer_share",
            "backlog",
            "disputes_total",
            "escalations_total",
            "satisfaction",
            "belonging",
            "trust_residents_committee",
        }
        and h in df.columns
    ]
    if missing:
        lines[-1] += "; " + ", ".join(f"{h} {last[h]:.3g}" for h in missing)
    return lines


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def cmd_run(args: argparse.Namespace) -> int:
    """Run a scenario and write its table, manifest and figure."""
    from tqdm import tqdm

    from sim.io import write_run
    from sim.model import CommunityModel, build_pipeline, load_plugin
    from sim.params import plugin_schema

    overrides = parse_sets(args.set)
    plugins = [load_plugin(spec) for spec in args.plugin or []]
    try:
        build_pipeline(plugins)
    except (TypeError, ValueError) as exc:
        raise UsageError(f"--plugin: {exc}") from exc
    with plugin_schema([p for cls in plugins for p in cls.params]):
        scen = load_scenario(args.scenario, **overrides)  # fail fast, before any output
    safe_name = scen.name.replace("/", "-").replace("\\", "-")
    out = Path(args.out) if args.out else Path("results") / f"{safe_name}-seed{args.seed}"
    safety.check_output_dir(out)  # before simulating, not after
    started = _now()
    try:
        model = CommunityModel(scen, seed=args.seed, check=args.check, plugins=plugins)
    except KeyboardInterrupt:
        print("cogov: interrupted while building the community; nothing written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except InvariantError as exc:
        print(f"cogov: invariant violated in the initial state: {exc}; nothing written", file=sys.stderr)
        return EXIT_INVARIANT
    interrupted = False
    violation: str | None = None
    bar = tqdm(
        total=args.ticks, desc=scen.name, unit="day", leave=False, disable=not sys.stderr.isatty(), file=sys.stderr
    )
    try:
        for _ in range(args.ticks):
            model.step()
            bar.update()
    except KeyboardInterrupt:
        interrupted = True
    except InvariantError as exc:
        violation = str(exc)
    finally:
        bar.close()
    df = model.results()
    done = len(df) - 1  # rows are days 0..done; a day cut short is not recorded
    if interrupted:
        print(f"cogov: interrupted after {done} of {_days(args.ticks)}; writing what was finished", file=sys.stderr)
    if violation:
        print(f"cogov: invariant violated ({violation}); writing the days up to and including it", file=sys.stderr)
    extra = {
        "ticks": done,
        "ticks_requested": args.ticks,
        "interrupted": interrupted,
        "signal": safety.interrupted_by() if interrupted else None,
        "invariant_violation": violation,
        "check": args.check,
        "overrides": overrides,
        "command": shlex.join(["cogov", *args.argv]),
        "cwd": str(Path.cwd()),
        "started": started,
        "finished": _now(),
    }
    with safety.signals_deferred():
        paths = write_run(df, out, extra)
    print(f"{scen.name}, seed {args.seed}: {_days(done)}{' (interrupted)' if interrupted else ''}; files in {out}/")
    for path in paths.values():
        print(f"  {path}")
    print(f"Final values on day {done}:")
    for line in _summary(df):
        print(f"  {line}")
    if violation:
        return EXIT_INVARIANT
    return EXIT_INTERRUPTED if interrupted else 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Run the validation cases of docs/validation.md; exit 1 if any case fails."""
    from sim.validation.runner import main as validate

    if args.seeds < 2:
        raise UsageError(f"--seeds {args.seeds}: too few for confidence intervals; allowed: 2 or more")
    if args.jobs < 1:
        raise UsageError(f"--jobs {args.jobs}; allowed: 1 or more")
    if args.out:
        safety.check_output_dir(args.out)
    return validate(out=args.out, seeds=args.seeds, quick=args.quick, jobs=args.jobs, cases=args.case)


# --- parser --------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``cogov``."""
    parser = _Parser(
        prog="cogov",
        description="Simulate community co-governance rules on a synthetic community before rollout.",
        epilog="Scenarios are preset names (see `cogov list`) or paths to TOML scenario files.",
    )
    parser.add_argument("--version", action="version", version=f"cogov-sim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "list",
        help="list the preset scenarios with their descriptions",
        description="List the preset scenarios with their descriptions.",
    )
    p.set_defaults(func=cmd_list)

    p = sub.add_parser(
        "params",
        help="print the parameter table (defaults, ranges, units, sources)",
        description="Print every scenario parameter: default, allowed values, unit, meaning and source.",
    )
    p.add_argument("--section", metavar="S", help=f"only this section: {', '.join(SECTIONS)}")
    p.add_argument("--markdown", action="store_true", help="print a Markdown table")
    p.set_defaults(func=cmd_params)

    set_help = (
        "override a parameter (repeatable); VALUE is a TOML literal such as true, 0, 0.5 "
        "or '\"weekly\"', and a bare word is taken as text (meeting_cadence=weekly)"
    )

    p = sub.add_parser(
        "show",
        help="print a scenario's resolved parameters as TOML",
        description="Print a scenario's inheritance chain and every resolved parameter "
        "as TOML; the output is itself a valid scenario file.",
    )
    p.add_argument("scenario", metavar="SCENARIO", help="preset name or path to a .toml scenario file")
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help=set_help)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser(
        "run",
        help="run a scenario and write results, manifest and figure",
        description="Run a scenario day by day and write results.parquet, results.csv, "
        "manifest.json and outcomes.png into the output directory.",
    )
    p.add_argument("scenario", metavar="SCENARIO", help="preset name or path to a .toml scenario file")
    p.add_argument(
        "--seed",
        type=_seed,
        default=1,
        metavar="N",
        help="random seed; the same seed and scenario give the same run (default: 1)",
    )
    p.add_argument("--ticks", type=_ticks, default=365, metavar="N", help="days to simulate (default: 365)")
    p.add_argument("--out", metavar="DIR", help="output directory (default: results/<scenario>-seed<N>)")
    p.add_argument(
        "--check",
        action="store_true",
        help="check the model's invariants after every day (slower); a violation stops the run",
    )
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help=set_help)
    p.add_argument(
        "--plugin",
        action="append",
        metavar="FILE.py:CLASS",
        help="add your own mechanism (a sim.Mechanism subclass) to the run; its parameters take "
        "--set and their own [section] in the scenario file (docs/extending.md)",
    )
    p.set_defaults(func=cmd_run)

    p = sub.add_parser(
        "validate",
        help="run the validation cases (known patterns, 95%% CIs over seeds)",
        description="Run the validation suite (docs/validation.md): reference community X, the "
        "seed's failure cases, public goods with peer sanctions, crowding-out, threshold "
        "cascades, trust and voice that answer to service. Prints a table of checks with 95% "
        "confidence intervals over seeds and "
        "exits with 1 if any case fails.",
    )
    p.add_argument(
        "--out", metavar="DIR", help="write one figure per case, validation.json and validation-results.md into DIR"
    )
    p.add_argument("--seeds", type=int, default=20, metavar="N", help="seeds per configuration (default: 20)")
    p.add_argument("--quick", action="store_true", help="smaller populations, coarser grids, shorter runs")
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="worker processes (default: 1)")
    p.add_argument(
        "--case",
        action="append",
        choices=["1", "2", "3", "4", "5", "6", "7", "8", "rules", "points", "timeline", "smooth"],
        help="run only this case (repeatable; default: all)",
    )
    p.set_defaults(func=cmd_validate)

    from sim import profile  # `cogov community`: profiles from a community's ledger

    p = sub.add_parser("community", help="community profile from its ledger: template, check")
    profile.add_arguments(p)
    p.set_defaults(func=profile.main_args)
    p = sub.add_parser("calibrate", help="fit the calibrated parameters to a community profile's observed figures")
    profile.add_calibrate_arguments(p)
    p.set_defaults(func=profile.calibrate_main)

    from experiments import compare, robust, shapley, sweep  # experiments/ implements these commands

    p = sub.add_parser(
        "compare",
        help="compare scenarios over the same seeds: CIs, tests, HTML report",
        description=compare.__doc__.split("\n\n")[1].replace("\n", " "),
    )
    compare.add_arguments(p)
    robust.add_arguments(p)  # --worlds N [--uncertain FILE]: across plausible worlds (experiments/robust.py)
    p.set_defaults(func=robust.main_args)
    p = sub.add_parser(
        "explain",
        help="why B differs from A: Shapley contributions of the lever groups, with waterfall charts",
        description=shapley.__doc__.split("\n\n")[1].replace("\n", " "),
    )
    shapley.add_arguments(p)
    p.set_defaults(func=shapley.main_args)
    p = sub.add_parser(
        "sweep",
        help="run a parameter sweep file on dask (resumable)",
        description=sweep.__doc__.split("\n\n")[1].replace("\n", " "),
    )
    sweep.add_arguments(p)
    p.set_defaults(func=sweep.main_args)

    from sim import dashboard  # light: Solara is imported only when the server starts

    p = sub.add_parser(
        "dashboard",
        help="open the interactive teaching dashboard on localhost",
        description=dashboard.__doc__.split("\n\n")[1].replace("\n", " "),
    )
    dashboard.add_arguments(p)
    p.set_defaults(func=dashboard.main_args)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``cogov`` command line; return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    with safety.sigterm_as_interrupt():
        try:
            return safety.exit_code(_main(argv))
        except KeyboardInterrupt:  # while importing a subcommand's modules, before any work
            return safety.exit_code(EXIT_INTERRUPTED)


def _main(argv: list[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        return _fail(str(exc))
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else 0
    if args.command is None:
        parser.print_help()
        return 0
    args.argv = argv
    try:
        return args.func(args)
    except (safety.OutputError, UsageError) as exc:
        return _fail(str(exc))
    except ScenarioError as exc:
        message = str(exc).rstrip()
        if message.endswith(" or one of"):  # no presets installed
            message = message.removesuffix(" or one of") + f" (no presets in {PRESET_DIR})"
        return _fail(message)
    except KeyboardInterrupt:
        print("cogov: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `cogov params | head`: silence the flush at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def _fail(message: str) -> int:
    safety.report_error(message)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
