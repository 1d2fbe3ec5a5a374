"""Scenario files: loading, inheritance and validation.

A scenario is a TOML file in ``sim/scenarios/`` (a preset) or anywhere on
disk. It has an optional ``[scenario]`` table (``description``, ``extends``,
``sources``) and one table per parameter section (see ``sim.params``)::

    [scenario]
    description = "Points with a small budget"
    extends = "governance-partners"

    [incentives]
    points_budget = 5000

Validation is strict: an unknown key, a key in the wrong section, a wrong
type, a value out of range or an inconsistent combination raises
``ScenarioError`` with one message naming the file, the key and what is
allowed. Types and ranges are checked by a pydantic model generated from the
parameter schema, so the schema stays the single source.

Dated policy changes are ``[[timeline]]`` tables (``sim/timeline.py``); with
``extends`` a child's timeline is appended to its parent's, and a keyword
override ``timeline=[...]`` replaces it.
"""

from __future__ import annotations

import difflib
import math
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import pydantic

from sim.mechanisms.norms import KINDS, unknown_kind
from sim.params import BY_NAME, PARAMS, SECTIONS, STRUCTURAL, SUM_TO_ONE, Param, defaults
from sim.safety import check_text

PRESET_DIR = Path(__file__).parent / "scenarios"
META_KEYS = {"description", "extends", "sources", "name", "community"}
MAX_TOTAL_RESIDENTS = 6_000_000


class ScenarioError(ValueError):
    """Invalid scenario input; the message names file, key and what is allowed."""


@dataclass
class Scenario:
    """A validated scenario: a name, its provenance and a full parameter set."""

    name: str
    params: dict[str, Any]
    description: str = ""
    sources: str = ""
    path: str | None = None
    chain: list[str] = field(default_factory=list)

    def with_overrides(self, **overrides: Any) -> Scenario:
        """Return a copy with flat keyword overrides applied and validated."""
        if not overrides:
            return self
        params = dict(self.params)
        params.update(overrides)
        origin = f"overrides of scenario '{self.name}'"
        validate(params, origin, keys=set(overrides))
        return Scenario(self.name, params, self.description, self.sources, self.path, self.chain + ["overrides"])


# --- pydantic model generated from the schema --------------------------------------------


def _annotation(p: Param) -> Any:
    if p.kind == "bool":
        return pydantic.StrictBool
    if p.kind == "int":
        return Annotated[pydantic.StrictInt, pydantic.Field(ge=p.lo, le=p.hi)]
    if p.kind == "float":
        # ints are fine where a float is asked (TOML writes 5000 for 5000.0); bools are not
        return Annotated[float, pydantic.Field(ge=p.lo, le=p.hi, strict=True, allow_inf_nan=False)]
    if p.kind == "choice":
        return Literal[p.choices]
    if isinstance(p.default, list):
        return list[Any]  # the timeline: its entries are checked by sim/timeline.py
    return dict[str, Any]


@cache
def _model() -> type[pydantic.BaseModel]:
    fields = {p.name: (_annotation(p), p.default) for p in PARAMS}
    return pydantic.create_model("ScenarioParams", __config__=pydantic.ConfigDict(extra="forbid"), **fields)


def _problem(err: dict) -> str:
    kind = err.get("type", "")
    value = err.get("input")
    if kind in ("greater_than_equal", "less_than_equal", "finite_number"):
        return f"value {value!r} is out of range"
    if kind == "literal_error":
        return f"value {value!r} is not allowed"
    return f"value {value!r} has the wrong type"


def _where(origin: str, name: str) -> str:
    p = BY_NAME.get(name)
    return f"{origin}: [{p.section}] {name}" if p else f"{origin}: {name}"


def validate(params: dict[str, Any], origin: str, keys: set[str] | None = None) -> None:
    """Check types, ranges and cross-field rules; raise ScenarioError on the first problems."""
    from sim import timeline  # timeline builds on this module's checks, so it is imported here

    unknown = [k for k in (keys if keys is not None else params) if k not in BY_NAME]
    if unknown:
        raise ScenarioError("\n".join(_unknown(origin, k, None) for k in unknown))
    if keys is None or timeline.KEY in keys:
        timeline.check_entries(params[timeline.KEY], origin)
    try:
        _model().model_validate(params)
    except pydantic.ValidationError as exc:
        lines = []
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else "?"
            p = BY_NAME[name]
            lines.append(f"{_where(origin, name)}: {_problem(err)}; allowed: {p.allowed()}")
        raise ScenarioError("\n".join(lines)) from None
    _check_combinations(params, origin)
    timeline.check_schedule(params, origin)


def _check_combinations(v: dict[str, Any], origin: str) -> None:
    for group in SUM_TO_ONE:
        total = sum(v[k] for k in group)
        if not math.isclose(total, 1.0, abs_tol=1e-6):
            raise ScenarioError(f"{origin}: {' + '.join(group)} = {total:g}; allowed: shares that sum to 1")
    if v["residents"] < v["households"]:
        raise ScenarioError(
            f"{_where(origin, 'residents')}: {v['residents']} residents for {v['households']} "
            "households; allowed: at least one resident per household"
        )
    buildings = math.ceil(v["households"] / v["households_per_building"])
    if buildings < v["estates"]:
        raise ScenarioError(
            f"{_where(origin, 'estates')}: {v['estates']} estates but only {buildings} buildings; "
            "allowed: at most one estate per building (lower households_per_building)"
        )
    if v["share_children"] + v["share_elderly"] > 1:
        raise ScenarioError(
            f"{_where(origin, 'share_elderly')}: share_children + share_elderly > 1; "
            "allowed: shares that leave room for working-age residents"
        )
    if v["n_communities"] * v["residents"] > MAX_TOTAL_RESIDENTS:
        raise ScenarioError(
            f"{_where(origin, 'n_communities')}: {v['n_communities']} × {v['residents']} residents "
            f"exceeds {MAX_TOTAL_RESIDENTS:,}; allowed: a district of at most that many residents"
        )
    _check_shock(v, origin)
    _check_rule(v, origin)


def _check_rule(v: dict[str, Any], origin: str) -> None:
    """A meeting-made rule (of any kind) needs meetings (at the start, or scheduled by the timeline)."""
    from sim.mechanisms.rules import INHERIT, ORIGIN_KEY, kind_origin

    if v.get("meeting_cadence") != "none" or "rule_origin" not in v:
        return
    by_meeting = [k for k in range(len(ORIGIN_KEY)) if kind_origin(v, k) == "meeting"]
    if not by_meeting:
        return
    scheduled = any("meeting_cadence" in (e.get("set") or {}) for e in v.get("timeline") or [] if isinstance(e, dict))
    if not scheduled:
        own = ORIGIN_KEY[by_meeting[0]]
        key = "rule_origin" if v[own] == INHERIT else own
        raise ScenarioError(
            f"{_where(origin, key)}: 'meeting' but meeting_cadence is 'none', so no meeting can make "
            f"the rule; allowed: a meeting_cadence other than 'none', or {key} 'committee' or 'above'"
        )


def _check_shock(v: dict[str, Any], origin: str) -> None:
    shock = v["shock_set"]
    if v["shock_tick"] >= 0 and not shock:
        raise ScenarioError(
            f"{_where(origin, 'shock_tick')}: a shock day is set but [shock.shock_set] is empty; "
            "allowed: name the parameters the shock changes, or shock_tick = -1"
        )
    if shock and v["shock_tick"] < 0:
        raise ScenarioError(
            f"{_where(origin, 'shock_set')}: shock values given but shock_tick = -1; allowed: a shock day of 0 or more"
        )
    bad = [k for k in shock if k in STRUCTURAL]
    if bad:
        raise ScenarioError(
            f"{_where(origin, 'shock_set')}: '{bad[0]}' cannot change during a run; "
            "allowed: policy and behaviour parameters (not population, grid or organisation counts)"
        )
    if not shock:
        return
    unknown = [k for k in shock if k not in BY_NAME]
    if unknown:
        raise ScenarioError(_unknown(origin + ": [shock.shock_set]", unknown[0], None))
    merged = dict(v)
    merged.update(shock)
    merged["shock_set"] = {}
    merged["shock_tick"] = -1
    validate(merged, origin + ": [shock.shock_set]", keys=set(shock))


def _unknown(origin: str, key: str, section: str | None) -> str:
    kind = unknown_kind(key)
    if kind is not None:
        where = f"{origin}: [{section}] {key}" if section else f"{origin}: {key}"
        return f"{where}: unknown breach kind '{kind}'; allowed kinds: {', '.join(KINDS)}"
    close = difflib.get_close_matches(key, list(BY_NAME), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    if section is not None:
        valid = ", ".join(p.name for p in PARAMS if p.section == section)
        return f"{origin}: [{section}] unknown key '{key}'{hint}; allowed keys in [{section}]: {valid}"
    return f"{origin}: unknown parameter '{key}'{hint}; allowed: a parameter listed by `cogov params`"


# --- files -----------------------------------------------------------------------------


def preset_names() -> list[str]:
    """Names of the preset scenarios shipped with the package."""
    return sorted(p.stem for p in PRESET_DIR.glob("*.toml") if not p.stem.startswith("_"))


def _resolve(name_or_path: str | Path, relative_to: Path | None = None) -> Path:
    text = str(name_or_path)
    candidates = []
    if relative_to is not None:
        candidates.append(relative_to / text)
        candidates.append(relative_to / f"{text}.toml")
    candidates += [Path(text), PRESET_DIR / f"{text}.toml"]
    for c in candidates:
        if c.is_file():
            return c
    raise ScenarioError(
        f"scenario '{text}': no such preset or file; allowed: a path to a .toml file "
        f"or one of {', '.join(preset_names())}"
    )


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: malformed TOML: {exc}; allowed: a TOML file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot be read ({exc}); allowed: a readable UTF-8 TOML file") from None


def _flatten(doc: dict[str, Any], path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split a file into its [scenario] metadata and its flat parameter values."""
    meta: dict[str, Any] = {}
    values: dict[str, Any] = {}
    for key, body in doc.items():
        if key == "timeline":
            # [[timeline]] tables: dated changes (sim/timeline.py), numbered in this file from 1
            from sim import timeline

            if "timeline" in values:
                raise ScenarioError(
                    f"{path}: timeline is given twice; allowed: [[timeline]] tables or [shock] timeline, not both"
                )
            values["timeline"] = timeline.check_entries(body, str(path))
            continue
        if key == "scenario":
            if not isinstance(body, dict):
                raise ScenarioError(f"{path}: 'scenario' must be a table; allowed: [scenario]")
            for k, val in body.items():
                if k not in META_KEYS:
                    raise ScenarioError(
                        f"{path}: [scenario] unknown key '{k}'; allowed keys: {', '.join(sorted(META_KEYS))}"
                    )
                if not isinstance(val, str):
                    raise ScenarioError(f"{path}: [scenario] {k} must be text; allowed: a string")
                # a NUL or escape in a name or description breaks files and terminals later, after the run
                meta[k] = check_text(val, f"{path}: [scenario] {k}", multiline=k in ("description", "sources"))
            continue
        if key not in SECTIONS:
            if key in BY_NAME:
                raise ScenarioError(
                    f"{path}: '{key}' is outside any section; allowed: put it under [{BY_NAME[key].section}]"
                )
            close = difflib.get_close_matches(key, list(SECTIONS), n=1)
            hint = f"; did you mean [{close[0]}]?" if close else ""
            raise ScenarioError(
                f"{path}: unknown section [{key}]{hint} allowed sections: scenario, {', '.join(SECTIONS)}"
            )
        if not isinstance(body, dict):
            raise ScenarioError(f"{path}: '{key}' must be a table; allowed: [{key}] with parameters")
        for k, val in body.items():
            p = BY_NAME.get(k)
            if p is None:
                raise ScenarioError(_unknown(str(path), k, key))
            if p.section != key:
                raise ScenarioError(
                    f"{path}: [{key}] {k} belongs to another section; allowed: put it under [{p.section}]"
                )
            if k in values:
                raise ScenarioError(
                    f"{path}: {k} is given twice; allowed: [[timeline]] tables or [shock] timeline, not both"
                )
            values[k] = val
    return meta, values


def _community(meta: dict[str, Any], path: Path) -> dict[str, Any]:
    """Parameters of the community profile a scenario file builds on (``community = "file.xlsx"``)."""
    if "community" not in meta:
        return {}
    from sim.profile import read_profile  # the profile module imports this one

    target = Path(meta["community"])
    if not target.is_absolute():
        target = path.parent / target
    return read_profile(target).params


def _load_chain(path: Path, seen: tuple[Path, ...]) -> tuple[dict, dict, list[str]]:
    if path.resolve() in seen:
        chain = " → ".join(str(p) for p in seen + (path.resolve(),))
        raise ScenarioError(f"{path}: [scenario] extends forms a cycle ({chain}); allowed: a chain without loops")
    meta, values = _flatten(_read(path), path)
    if "extends" not in meta:
        if "community" in meta:
            return meta, {**_community(meta, path), **values}, [Path(meta["community"]).name, path.stem]
        return meta, values, [path.stem]
    try:
        parent = _resolve(meta["extends"], relative_to=path.parent)
    except ScenarioError:  # name the file and the key, not only the missing parent
        raise ScenarioError(
            f"{path}: [scenario] extends: '{meta['extends']}' is no preset or file; allowed: a path to a "
            f".toml file (relative to this file) or one of {', '.join(preset_names())}"
        ) from None
    _, base_values, chain = _load_chain(parent, seen + (path.resolve(),))
    merged = {**base_values, **_community(meta, path)}
    chain = chain + ([Path(meta["community"]).name] if "community" in meta else [])
    for k, val in values.items():
        if k == "shock_set" and isinstance(val, dict) and isinstance(merged.get(k), dict):
            merged[k] = {**merged[k], **val}
        elif k == "timeline" and isinstance(val, list) and isinstance(merged.get(k), list):
            merged[k] = merged[k] + val  # a child's timeline appends to its parent's
        else:
            merged[k] = val
    return meta, merged, chain + [path.stem]


def load_scenario(name_or_path: str | Path | Scenario | None = None, **overrides: Any) -> Scenario:
    """Load a preset by name or a scenario file by path, apply overrides, validate.

    Args:
        name_or_path: preset name (see ``cogov list``), path to a TOML file, an
            already loaded ``Scenario``, or None for the built-in defaults.
        **overrides: flat parameter values that replace the file's.

    Raises:
        ScenarioError: with a message naming the file, the key and what is allowed.
    """
    if isinstance(name_or_path, Scenario):
        return name_or_path.with_overrides(**overrides)
    if name_or_path is None:
        scen = Scenario(
            "defaults",
            defaults(),
            "built-in defaults of every parameter",
            "docs/ODD.md parameter table",
            None,
            ["defaults"],
        )
        validate(scen.params, "built-in defaults")
        return scen.with_overrides(**overrides)
    path = _resolve(name_or_path)
    if path.suffix.lower() in (".xlsx", ".csv"):  # a community profile (sim.profile) is a scenario too
        from sim.profile import profile_scenario

        return profile_scenario(path).with_overrides(**overrides)
    meta, values, chain = _load_chain(path, ())
    params = defaults()
    params.update(values)
    validate(params, str(path))
    scen = Scenario(
        meta.get("name", path.stem), params, meta.get("description", ""), meta.get("sources", ""), str(path), chain
    )
    return scen.with_overrides(**overrides)
