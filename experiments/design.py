"""Sweep files and experimental designs.

A sweep file is a scenario file with two extra tables::

    [sweep]
    name = "points-budget"              # optional; default: the file's name
    description = "..."
    base = "governance-partners"        # preset, path (relative to this file) or "defaults"
    design = "grid"                     # grid | lhs | sobol | morris
    samples = 5                         # grid: levels per numeric range; lhs: points;
                                        # sobol: base sample N, a power of two (N*(D+3) points with
                                        # the dummy factor); morris: trajectories
    seeds = 4                           # seeds per point (the same seeds at every point; sobol: 2 or
                                        # more, and the dummy factor shifts a point's seed set)
    seed_start = 1                      # first seed (default 1)
    ticks = 365
    design_seed = 20240601              # seeds the sampler (lhs, sobol, morris)

    [vary]                              # the parameters to vary
    points_budget = [0, 120000]         # a numeric range [lo, hi]
    meeting_cadence = ["none", "weekly", "monthly"]   # or a list of values
    w_reward = { lo = 0.5, hi = 4 }     # a range written as a table
    turnover = { values = [0.05, 0.2] } # explicit values written as a table

    [population]                        # ordinary scenario sections: fixed overrides of the base
    residents = 2000

Numeric ranges are sampled (int parameters rounded); value lists are used as
given by ``grid`` and sampled as equally likely categories by the other
designs. Every problem raises ``SweepFileError`` naming the file and the key.
"""

from __future__ import annotations

import difflib
import itertools
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.store import canonical, run_id
from sim.params import BY_NAME, SECTIONS
from sim.safety import SEED_ALLOWED, SEED_LIMIT
from sim.scenario import Scenario, ScenarioError, load_scenario

DESIGNS = ("grid", "lhs", "sobol", "morris")
SWEEP_KEYS = {
    "name": str,
    "description": str,
    "base": str,
    "design": str,
    "samples": int,
    "seeds": int,
    "seed_start": int,
    "ticks": int,
    "design_seed": int,
    "second_order": bool,
    "levels": int,
}
DEFAULT_SAMPLES = {"grid": 3, "lhs": 20, "sobol": 8, "morris": 4}
DUMMY = "dummy"  # name of the Sobol design's dummy factor (not a parameter: the model never reads it)


class SweepFileError(ValueError):
    """Malformed sweep file; the message names the file, the key and what is allowed."""


@dataclass(frozen=True)
class Factor:
    """One varied parameter: a numeric range or a list of values."""

    name: str
    lo: float | None = None
    hi: float | None = None
    values: tuple = ()

    @property
    def categorical(self) -> bool:
        """True when the factor is a list of values, not a range."""
        return bool(self.values)

    def from_unit(self, u: np.ndarray) -> list[Any]:
        """Map numbers in [0, 1] to parameter values."""
        if self.categorical:
            idx = np.minimum((u * len(self.values)).astype(int), len(self.values) - 1)
            return [self.values[i] for i in idx]
        x = self.lo + u * (self.hi - self.lo)
        return [self._cast(v) for v in x]

    def levels(self, n: int) -> list[Any]:
        """Grid levels: the values, or ``n`` evenly spaced numbers over the range."""
        if self.categorical:
            return list(self.values)
        return list(dict.fromkeys(self._cast(v) for v in np.linspace(self.lo, self.hi, n)))

    def _cast(self, v: float) -> Any:
        if BY_NAME[self.name].kind == "int":
            return int(round(float(v)))
        return float(v)


@dataclass
class SweepSpec:
    """A parsed, validated sweep file."""

    path: str
    name: str
    description: str
    base: Scenario
    base_ref: str
    overrides: dict[str, Any]
    factors: list[Factor]
    design: str
    samples: int
    seeds: range
    ticks: int
    design_seed: int
    second_order: bool = False
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def dummy_factor(self) -> bool:
        """Sobol designs carry a dummy factor the model never reads: its ST is the noise floor."""
        return self.design == "sobol"

    def problem(self) -> dict[str, Any]:
        """The SALib problem: every factor on the unit interval (and the dummy factor of a Sobol design)."""
        names = [f.name for f in self.factors] + ([DUMMY] if self.dummy_factor else [])
        return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}


def _fail(path: Path | str, key: str, problem: str, allowed: str) -> SweepFileError:
    return SweepFileError(f"{path}: {key}: {problem}; allowed: {allowed}")


def load_sweep_file(path: str | Path) -> SweepSpec:
    """Read and validate a sweep file; raise ``SweepFileError`` naming file and key."""
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SweepFileError(f"{path}: no such file; allowed: a path to a sweep .toml file") from None
    except tomllib.TOMLDecodeError as exc:
        raise SweepFileError(f"{path}: malformed TOML: {exc}; allowed: a TOML file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SweepFileError(f"{path}: cannot be read ({exc}); allowed: a readable UTF-8 TOML file") from None
    sweep = doc.get("sweep")
    if not isinstance(sweep, dict):
        raise _fail(path, "[sweep]", "missing", "a [sweep] table with base, design, seeds, ticks")
    _check_sweep_table(path, sweep)
    design = sweep.get("design", "grid")
    if design not in DESIGNS:
        close = difflib.get_close_matches(str(design), DESIGNS, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise _fail(path, "[sweep] design", f"'{design}' is not a design{hint}", ", ".join(DESIGNS))
    overrides = _overrides(path, doc)
    factors = _factors(path, doc.get("vary"))
    base_ref = sweep.get("base", "defaults")
    base = _load_base(path, base_ref, overrides)
    samples = sweep.get("samples", sweep.get("levels", DEFAULT_SAMPLES[design]))
    minimum = 2 if design in ("grid", "sobol", "morris") else 1
    if samples < minimum:
        raise _fail(path, "[sweep] samples", f"{samples} is too few", f"an integer of at least {minimum}")
    if design == "sobol" and samples & (samples - 1):
        raise _fail(
            path,
            "[sweep] samples",
            f"{samples} is not a power of two (Saltelli's scheme loses its balance properties)",
            "2, 4, 8, 16, 32, 64, ...",
        )
    seeds = sweep.get("seeds", 2 if design == "sobol" else 1)
    if seeds < 1:
        raise _fail(path, "[sweep] seeds", f"{seeds} seeds", "an integer of at least 1")
    if design == "sobol" and seeds < 2:
        raise _fail(
            path,
            "[sweep] seeds",
            f"{seeds} seed per point cannot separate seed noise from parameter effects in Sobol indices",
            "2 or more seeds per point",
        )
    ticks = sweep.get("ticks", 365)
    if ticks < 0:
        raise _fail(path, "[sweep] ticks", f"{ticks} ticks", "an integer of at least 0")
    start = sweep.get("seed_start", 1)
    if start < 0 or start + seeds > SEED_LIMIT:  # one seed range for CLI, API and sweep files
        raise _fail(
            path, "[sweep] seed_start", f"seeds {start}..{start + seeds - 1} leave the seed range", SEED_ALLOWED
        )
    spec = SweepSpec(
        str(path),
        sweep.get("name", path.stem),
        sweep.get("description", ""),
        base,
        base_ref,
        overrides,
        factors,
        design,
        int(samples),
        range(start, start + seeds),  # a range, not a list: a huge count is refused by --max-runs, not built
        int(ticks),
        int(sweep.get("design_seed", 12345)),
        bool(sweep.get("second_order", False)),
        doc,
    )
    return spec


def _check_sweep_table(path: Path, sweep: dict[str, Any]) -> None:
    for key, val in sweep.items():
        kind = SWEEP_KEYS.get(key)
        if kind is None:
            close = difflib.get_close_matches(key, list(SWEEP_KEYS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise _fail(path, f"[sweep] {key}", f"unknown key{hint}", ", ".join(SWEEP_KEYS))
        if not isinstance(val, kind) or (kind is int and isinstance(val, bool)):
            raise _fail(path, f"[sweep] {key}", f"value {val!r} has the wrong type", kind.__name__)


def _overrides(path: Path, doc: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for section, body in doc.items():
        if section in ("sweep", "vary"):
            continue
        if section == "scenario":
            raise _fail(
                path, "[scenario]", "a sweep file has [sweep], not [scenario]", "[sweep], [vary] and parameter sections"
            )
        if section not in SECTIONS:
            close = difflib.get_close_matches(section, list(SECTIONS) + ["vary", "sweep"], n=1)
            hint = f" (did you mean [{close[0]}]?)" if close else ""
            raise _fail(path, f"[{section}]", f"unknown section{hint}", "sweep, vary, " + ", ".join(SECTIONS))
        if not isinstance(body, dict):
            raise _fail(path, f"[{section}]", "must be a table", f"[{section}] with parameters")
        for key, val in body.items():
            p = BY_NAME.get(key)
            if p is None or p.section != section:
                where = f"; it belongs under [{p.section}]" if p else ""
                raise _fail(
                    path,
                    f"[{section}] {key}",
                    f"unknown parameter{where}",
                    ", ".join(q.name for q in BY_NAME.values() if q.section == section),
                )
            out[key] = val
    return out


def _factors(path: Path, vary: Any) -> list[Factor]:
    if not isinstance(vary, dict) or not vary:
        raise _fail(path, "[vary]", "missing or empty", "a [vary] table naming at least one parameter")
    return [_factor(path, name, spec) for name, spec in vary.items()]


def _factor(path: Path, name: str, spec: Any) -> Factor:
    key = f"[vary] {name}"
    p = BY_NAME.get(name)
    if p is None:
        close = difflib.get_close_matches(name, list(BY_NAME), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise _fail(path, key, f"unknown parameter{hint}", "a parameter listed by `cogov params`")
    if p.kind == "table" or name in ("shock_set",):
        raise _fail(path, key, "a table parameter cannot be varied", "a number, flag or choice parameter")
    explicit = False
    if isinstance(spec, dict):
        extra = set(spec) - {"lo", "hi", "values"}
        if extra:
            raise _fail(path, key, f"unknown field '{sorted(extra)[0]}'", "lo and hi, or values")
        if "values" in spec:
            spec, explicit = spec["values"], True
        elif "lo" in spec and "hi" in spec:
            return _range(path, key, p, spec["lo"], spec["hi"])
        else:
            raise _fail(path, key, "a table needs lo and hi, or values", "{ lo = .., hi = .. } or { values = [..] }")
    if not isinstance(spec, list) or not spec:
        raise _fail(
            path,
            key,
            f"empty range {spec!r}" if spec == [] else f"{spec!r} is not a range",
            "[lo, hi] with lo < hi, or a non-empty list of values",
        )
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in spec)
    if numeric and len(spec) == 2 and p.kind in ("int", "float") and not explicit:
        return _range(path, key, p, spec[0], spec[1])
    values = tuple(spec)
    for v in values:
        _check_value(path, key, p, v)
    if len(set(map(repr, values))) != len(values):
        raise _fail(path, key, "repeated values", "distinct values")
    return Factor(name, values=values)


def _range(path: Path, key: str, p, lo: Any, hi: Any) -> Factor:
    if p.kind not in ("int", "float"):
        raise _fail(path, key, f"a range for a {p.kind} parameter", f"a list of values: {p.allowed()}")
    for v in (lo, hi):
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            raise _fail(path, key, f"bound {v!r} is not a number", p.allowed())
    if not lo < hi:
        raise _fail(path, key, f"empty range [{lo}, {hi}]", "[lo, hi] with lo < hi")
    if lo < p.lo or hi > p.hi:
        raise _fail(path, key, f"range [{lo}, {hi}] leaves the parameter's bounds", p.allowed())
    if p.kind == "int" and math.floor(hi) - math.ceil(lo) < 1:
        raise _fail(path, key, f"range [{lo}, {hi}] holds fewer than two integers", "a wider integer range")
    return Factor(p.name, lo=float(lo), hi=float(hi))


def _check_value(path: Path, key: str, p, v: Any) -> None:
    ok = {
        "bool": lambda x: isinstance(x, bool),
        "choice": lambda x: x in p.choices,
        "int": lambda x: isinstance(x, int) and not isinstance(x, bool) and p.lo <= x <= p.hi,
        "float": lambda x: isinstance(x, (int, float)) and not isinstance(x, bool) and p.lo <= x <= p.hi,
    }[p.kind](v)
    if not ok:
        raise _fail(path, key, f"value {v!r} is not allowed", p.allowed())


def _load_base(path: Path, ref: str, overrides: dict[str, Any]) -> Scenario:
    try:
        if ref == "defaults":
            return load_scenario(None, **overrides)
        local = path.parent / ref
        for cand in (local, local.with_suffix(".toml")):
            if cand.is_file():
                return load_scenario(cand, **overrides)
        return load_scenario(ref, **overrides)
    except ScenarioError as exc:
        raise SweepFileError(f"{path}: [sweep] base = '{ref}' with this file's overrides: {exc}") from None


# --- designs ---------------------------------------------------------------------------


def unit_sample(spec: SweepSpec) -> np.ndarray:
    """Design points on the unit hypercube (rows = points), for lhs, sobol and morris."""
    d = len(spec.factors)
    if spec.design == "lhs":
        from scipy.stats import qmc

        return qmc.LatinHypercube(d=d, seed=spec.design_seed).random(spec.samples)
    if spec.design == "sobol":
        from SALib.sample import sobol

        return sobol.sample(spec.problem(), spec.samples, calc_second_order=spec.second_order, seed=spec.design_seed)
    if spec.design == "morris":
        from SALib.sample import morris

        return morris.sample(spec.problem(), spec.samples, num_levels=4, seed=spec.design_seed)
    raise ValueError(f"no unit sample for design {spec.design}")


def unit_design(spec: SweepSpec) -> pd.DataFrame | None:
    """The design on the unit cube (one column per factor, and the dummy), stored for the analysis; None for grid."""
    if spec.design == "grid":
        return None
    return pd.DataFrame(unit_sample(spec), columns=spec.problem()["names"])


def points(spec: SweepSpec) -> list[dict[str, Any]]:
    """The design's parameter points, in design order (SALib's order for sobol and morris)."""
    if spec.design == "grid":
        levels = [f.levels(spec.samples) for f in spec.factors]
        return [dict(zip([f.name for f in spec.factors], combo, strict=True)) for combo in itertools.product(*levels)]
    u = unit_sample(spec)
    cols = [f.from_unit(u[:, j]) for j, f in enumerate(spec.factors)]
    return [{f.name: canonical(cols[j][i]) for j, f in enumerate(spec.factors)} for i in range(len(u))]


DUMMY_LEVELS = 2**16  # distinct seed sets the dummy factor can select


def point_seeds(spec: SweepSpec) -> list[list[int]]:
    """The seeds of each design point: the sweep's seeds, shifted by the dummy factor in a Sobol design.

    The dummy factor selects one of ``DUMMY_LEVELS`` disjoint seed sets and
    changes nothing else. In Saltelli's scheme the rows that vary a real factor
    keep the dummy of their base row, so they keep its seeds (common random
    numbers), while the rows that vary the dummy rerun the same parameters with
    other seeds: the dummy's total index is the share of variance that a pure
    re-draw of the randomness produces, the noise floor of every other index.
    """
    n = len(points(spec)) if spec.design == "grid" else None
    if not spec.dummy_factor:
        return [list(spec.seeds)] * (n if n is not None else len(unit_sample(spec)))
    u = unit_sample(spec)[:, -1]
    shift = np.minimum((u * DUMMY_LEVELS).astype(int), DUMMY_LEVELS - 1) * len(spec.seeds)
    return [[s + int(k) for s in spec.seeds] for k in shift]


def design_table(spec: SweepSpec) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """One row per (point, seed) with its run id, and the distinct run tasks.

    Every point is validated as a full scenario before anything runs; a point
    that breaks a cross-field rule raises ``SweepFileError``.
    """
    rows, tasks = [], {}
    seed_sets = point_seeds(spec)
    for i, pt in enumerate(points(spec)):
        try:
            scen = spec.base.with_overrides(**pt)
        except ScenarioError as exc:
            raise SweepFileError(f"{spec.path}: [vary] point {i} ({pt}) is not a valid scenario: {exc}") from None
        params = canonical(scen.params)
        for rep, seed in enumerate(seed_sets[i]):
            rid = run_id(params, seed, spec.ticks)
            rows.append({"point": i, "seed": seed, "replicate": rep, "run_id": rid, **pt})
            if rid not in tasks:
                tasks[rid] = {
                    "run_id": rid,
                    "scenario": spec.base.name,
                    "params": params,
                    "seed": seed,
                    "ticks": spec.ticks,
                    "description": spec.base.description,
                    "sources": spec.base.sources,
                }
    return pd.DataFrame(rows), list(tasks.values())
