"""Policy timeline: parameter changes scheduled by day (parse, validate, apply).

A scenario schedules any number of changes as ``[[timeline]]`` tables::

    [[timeline]]
    day = 90
    set = { points = true, points_budget = 20000 }

    [[timeline]]
    from_day = 120
    to_day = 300
    ramp = { garbage_distance = 300 }

A ``set`` entry gives parameters new values from day ``day`` on. A ``ramp``
entry moves numeric parameters linearly from the value they had on
``from_day`` to the given value on ``to_day`` (and keeps it after); an integer
parameter takes the nearest integer each day. The old ``[shock] shock_tick``
plus ``shock_set`` is shorthand for one ``set`` entry placed before the
timeline's own entries.

Semantics shared by validation and the run:

- A change dated day *d* is in force for the whole of tick *d* (the model
  applies it at the start of that tick, before any mechanism runs; day 0
  changes apply before the initial state is recorded). Changes go through
  ``CommunityModel.apply_shock``, the same path as a shock or a dashboard lever.
- Entries of the same day apply in order, so a later ``set`` of the same
  parameter wins; with ``extends`` a child file's entries come after its
  parent's (the child *appends*; a keyword override ``timeline=[...]``
  replaces the whole timeline).
- The value a ramp starts from is the one in force on ``from_day`` (after that
  day's ``set`` entries); the ramp writes a value on every day from
  ``from_day + 1`` to ``to_day``.

Refused with one ``ScenarioError`` line naming file and key (e.g.
``timeline[2].ramp.garbage_distance``; entries are numbered from 1 in the
merged timeline, parent first): unknown parameters, wrong types or values out
of range, structural parameters (population, grid and organisation counts,
the shock and the timeline itself), ramps of non-numeric parameters or of
shares that must sum to one, ``to_day <= from_day``, days outside
``[0, MAX_DAY]``, two ramps of one parameter that overlap, a ``set`` of a
parameter on a day inside its own ramp, and shares that stop summing to one.
"""

from __future__ import annotations

import difflib
import json
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pydantic

from sim.mechanisms.norms import KINDS, unknown_kind
from sim.params import BY_NAME, STRUCTURAL, SUM_TO_ONE
from sim.scenario import ScenarioError, _annotation, _problem

KEY = "timeline"
MAX_DAY = 100_000  # the same bound as shock_tick
SET_KEYS = ("day", "set")
RAMP_KEYS = ("from_day", "to_day", "ramp")
ALLOWED_ENTRY = "a [[timeline]] table with day and set, or with from_day, to_day and ramp"
IN_SHARE_GROUP = {k: group for group in SUM_TO_ONE for k in group}
SHORTHAND = "[shock] shock_set"


# --- parsing and checks of single entries ------------------------------------------------


def _is_day(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool) and 0 <= x <= MAX_DAY


_ADAPTERS: dict[str, pydantic.TypeAdapter] = {}


def _adapter(name: str) -> pydantic.TypeAdapter:
    # the scenario's own pydantic annotation, so a timeline value is checked exactly like a file value
    if name not in _ADAPTERS:
        _ADAPTERS[name] = pydantic.TypeAdapter(_annotation(BY_NAME[name]))
    return _ADAPTERS[name]


def _short(x: Any) -> str:
    text = repr(x)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_value(where: str, name: str, value: Any, ramp: bool) -> None:
    p = BY_NAME.get(name) if isinstance(name, str) else None
    kind = unknown_kind(name) if isinstance(name, str) else None
    if p is None and kind is not None:
        raise ScenarioError(f"{where}: unknown breach kind '{kind}'; allowed kinds: {', '.join(KINDS)}")
    if p is None:
        close = difflib.get_close_matches(str(name), list(BY_NAME), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ScenarioError(f"{where}: unknown parameter '{name}'{hint}; allowed: a parameter listed by `cogov params`")
    if name in ("shock_tick", "shock_set", KEY):
        raise ScenarioError(
            f"{where}: '{name}' schedules changes itself and cannot be one; allowed: policy and behaviour "
            "parameters (write further changes as their own [[timeline]] entries)"
        )
    if name in STRUCTURAL:
        raise ScenarioError(
            f"{where}: '{name}' cannot change during a run (it fixes the community's structure or initial "
            "state); allowed: policy and behaviour parameters (not population, grid or organisation counts, "
            "initial values, the shock or the timeline)"
        )
    if ramp and p.kind not in ("int", "float"):
        raise ScenarioError(
            f"{where}: '{name}' is a {p.kind} parameter and cannot ramp; allowed: numeric parameters "
            f"(set '{name}' on a day instead)"
        )
    if ramp and name in IN_SHARE_GROUP:
        raise ScenarioError(
            f"{where}: '{name}' is one of the shares {' + '.join(IN_SHARE_GROUP[name])} that sum to one "
            "and cannot ramp; allowed: set the shares together on a day"
        )
    try:
        _adapter(name).validate_python(value)
    except pydantic.ValidationError as exc:
        raise ScenarioError(f"{where}: {_problem(exc.errors()[0])}; allowed: {p.allowed()}") from None


def _check_day(where: str, value: Any) -> None:
    if not _is_day(value):
        raise ScenarioError(f"{where}: value {_short(value)} is not a day; allowed: an integer in [0, {MAX_DAY}]")


def check_entry(entry: Any, where: str) -> None:
    """Check one timeline entry on its own; ``where`` names it (e.g. ``file: timeline[2]``)."""
    if not isinstance(entry, dict):
        raise ScenarioError(f"{where}: value {_short(entry)} is not a table; allowed: {ALLOWED_ENTRY}")
    kind = "set" if "set" in entry else "ramp" if "ramp" in entry else None
    strange = [k for k in entry if k not in SET_KEYS + RAMP_KEYS]
    if kind is None and strange:
        raise ScenarioError(f"{where}: unknown key '{strange[0]}'; allowed: {ALLOWED_ENTRY}")
    if kind is None or ("set" in entry and "ramp" in entry):
        raise ScenarioError(f"{where}: needs exactly one of 'set' or 'ramp'; allowed: {ALLOWED_ENTRY}")
    keys = SET_KEYS if kind == "set" else RAMP_KEYS
    extra = [k for k in entry if k not in keys]
    if extra:
        raise ScenarioError(f"{where}: unknown key '{extra[0]}' in a {kind} entry; allowed keys: {', '.join(keys)}")
    missing = [k for k in keys if k not in entry]
    if missing:
        raise ScenarioError(f"{where}: '{missing[0]}' is missing; allowed: {ALLOWED_ENTRY}")
    for k in keys[:-1]:
        _check_day(f"{where}.{k}", entry[k])
    if kind == "ramp" and entry["to_day"] <= entry["from_day"]:
        raise ScenarioError(
            f"{where}.to_day: {entry['to_day']} is not after from_day {entry['from_day']}; allowed: to_day > from_day"
        )
    values = entry[kind]
    if not isinstance(values, dict) or not values:
        raise ScenarioError(
            f"{where}.{kind}: value {_short(values)} is not a table of parameter values; "
            f"allowed: e.g. {kind} = {{ garbage_distance = 300 }}"
        )
    for name, value in values.items():
        _check_value(f"{where}.{kind}.{name}", name, value, ramp=kind == "ramp")


def check_entries(raw: Any, origin: str) -> list[dict]:
    """Check a list of entries (a file's ``[[timeline]]`` or an override); return plain copies."""
    if isinstance(raw, dict):
        raise ScenarioError(
            f"{origin}: [{KEY}] is a single table; allowed: [[{KEY}]] tables (double brackets), one per change"
        )
    if not isinstance(raw, (list, tuple)):
        raise ScenarioError(
            f"{origin}: {KEY}: value {_short(raw)} is not a list of entries; "
            f"allowed: [[timeline]] tables ({ALLOWED_ENTRY})"
        )
    out = []
    for i, entry in enumerate(raw, start=1):
        check_entry(entry, f"{origin}: {KEY}[{i}]")
        out.append(_plain(entry))
    return out


def _plain(entry: dict) -> dict:
    kind = "set" if "set" in entry else "ramp"
    keys = SET_KEYS if kind == "set" else RAMP_KEYS
    return {k: (dict(entry[k]) if k == kind else int(entry[k])) for k in keys}


# --- the whole schedule -------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One scheduled change, as the run uses it."""

    label: str  # "timeline[2]" or the shorthand's name, for messages
    values: dict[str, Any]
    day: int  # a set's day, or a ramp's from_day
    to_day: int | None = None  # None for a set

    def key(self, name: str) -> str:
        """How an error names parameter ``name`` of this change."""
        if self.label == SHORTHAND:
            return f"{SHORTHAND}.{name}"
        return f"{self.label}.{'ramp' if self.is_ramp else 'set'}.{name}"

    @property
    def is_ramp(self) -> bool:
        """True for a ramp, False for a set."""
        return self.to_day is not None

    def record(self) -> dict[str, Any]:
        """The entry as written in a scenario file (JSON- and TOML-able)."""
        if self.is_ramp:
            return {"from_day": self.day, "to_day": self.to_day, "ramp": dict(self.values)}
        return {"day": self.day, "set": dict(self.values)}


def schedule(params: dict[str, Any]) -> list[Change]:
    """Every change a parameter set schedules: the shock shorthand first, then the timeline."""
    out = []
    if params.get("shock_tick", -1) >= 0 and params.get("shock_set"):
        out.append(Change(SHORTHAND, dict(params["shock_set"]), int(params["shock_tick"])))
    for i, e in enumerate(params.get(KEY) or (), start=1):
        if "set" in e:
            out.append(Change(f"{KEY}[{i}]", dict(e["set"]), int(e["day"])))
        else:
            out.append(Change(f"{KEY}[{i}]", dict(e["ramp"]), int(e["from_day"]), int(e["to_day"])))
    return out


def check_schedule(params: dict[str, Any], origin: str) -> None:
    """Cross-entry rules over a valid parameter set: overlapping ramps, sets inside ramps, shares."""
    changes = schedule(params)
    ramps: dict[str, list[Change]] = defaultdict(list)
    for c in changes:
        if c.is_ramp:
            for name in c.values:
                ramps[name].append(c)
    for name, rs in ramps.items():
        rs = sorted(rs, key=lambda c: c.day)
        for a, b in zip(rs, rs[1:], strict=False):
            if b.day < a.to_day:
                raise ScenarioError(
                    f"{origin}: {b.key(name)}: days {b.day}–{b.to_day} overlap the ramp in {a.label} "
                    f"(days {a.day}–{a.to_day}); allowed: ramps of one parameter that do not overlap "
                    "(one may start on the day the other ends)"
                )
    for c in changes:
        if c.is_ramp:
            continue
        for name in c.values:
            for r in ramps.get(name, ()):
                if r.day < c.day <= r.to_day:
                    raise ScenarioError(
                        f"{origin}: {c.key(name)}: day {c.day} falls inside the ramp of '{name}' in "
                        f"{r.label} (days {r.day}–{r.to_day}); allowed: set it on or before day {r.day} "
                        f"or after day {r.to_day}"
                    )
    _check_days(params, changes, origin)


def _check_days(params: dict[str, Any], changes: list[Change], origin: str) -> None:
    """The cross-field rules on the state each set day leaves, after all of that day's entries.

    Only sets can touch shares and choices (ramps of them are refused), so the state that
    matters changes on set days. Checked per day, not per entry: entries of one day apply
    together before the day runs, so shares may be set across two entries of one day.
    """
    sets = sorted((c for c in changes if not c.is_ramp), key=lambda c: c.day)
    state = dict(params)
    for day in sorted({c.day for c in sets}):
        today = [c for c in sets if c.day == day]
        for c in today:
            state.update(c.values)
        for group in {IN_SHARE_GROUP[k] for c in today for k in c.values if k in IN_SHARE_GROUP}:
            total = sum(state[k] for k in group)
            if not math.isclose(total, 1.0, abs_tol=1e-6):
                last = [c for c in today if any(k in c.values for k in group)][-1]
                key = last.key(next(k for k in group if k in last.values))
                raise ScenarioError(
                    f"{origin}: {key}: {' + '.join(group)} = {total:g} from day {day}; "
                    "allowed: shares that sum to 1 (set them together)"
                )
        _check_meeting_rule(state, today, [c for c in sets if c.day > day], origin)


def _check_meeting_rule(state: dict[str, Any], today: list[Change], later: list[Change], origin: str) -> None:
    """A rule origin set to 'meeting' needs meetings: that day, or switched on by a later entry."""
    from sim.mechanisms.rules import ORIGIN_KEY, kind_origin

    # only a change of a rule's origin is judged: abolishing meetings later is a policy of its
    # own (rules already made stay in force)
    keys = {"rule_origin", *ORIGIN_KEY}
    touched = [(c, k) for c in today for k in c.values if k in keys]
    if not touched or state.get("meeting_cadence") != "none":
        return
    if not any(kind_origin(state, k) == "meeting" for k in range(len(ORIGIN_KEY))):
        return
    if any(c.values.get("meeting_cadence", "none") != "none" for c in later):
        return
    c, key = touched[0]
    raise ScenarioError(
        f"{origin}: {c.key(key)}: from day {c.day} a rule is to be made by a meeting but meeting_cadence "
        "is 'none' and no later entry sets meetings; allowed: set a meeting_cadence other than 'none' "
        "(the same day or later), or a rule origin of 'committee' or 'above'"
    )


# --- the run ---------------------------------------------------------------------------


@dataclass
class _Ramp:
    name: str
    start_day: int
    end_day: int
    target: float
    is_int: bool
    start: float | None = None  # the value on start_day, read when the ramp first moves

    def value(self, day: int, current: float) -> float:
        if self.start is None:
            self.start = current
        if day >= self.end_day:
            value = self.target  # exactly the target, free of rounding error
        else:
            value = self.start + (self.target - self.start) * (day - self.start_day) / (self.end_day - self.start_day)
        return int(round(value)) if self.is_int else float(value)


class Timeline:
    """A parameter set's schedule, precomputed as day → changes so a tick without one costs a dict look-up."""

    def __init__(self, params: dict[str, Any]):
        self.changes = schedule(params)
        self.by_day: dict[int, tuple[list[dict], list[_Ramp]]] = {}
        for c in self.changes:
            if not c.is_ramp:
                self._day(c.day)[0].append(dict(c.values))
                continue
            for name, target in c.values.items():
                ramp = _Ramp(name, c.day, c.to_day, target, BY_NAME[name].kind == "int")
                for d in range(c.day + 1, c.to_day + 1):
                    self._day(d)[1].append(ramp)

    def _day(self, d: int) -> tuple[list[dict], list[_Ramp]]:
        return self.by_day.setdefault(d, ([], []))

    def __bool__(self) -> bool:
        return bool(self.by_day)

    def apply(self, model: Any) -> None:
        """Apply the changes dated ``model.tick`` (called once at the start of each tick)."""
        today = self.by_day.get(model.tick)
        if today is None:
            return
        sets, ramps = today
        values: dict[str, Any] = {}
        for s in sets:
            values.update(s)
        for r in ramps:
            values[r.name] = r.value(model.tick, model.p[r.name])
        model.apply_shock(values)
        if sets:
            model.count("shocks", len(sets))

    def records(self) -> list[dict[str, Any]]:
        """The schedule as plain entries (the shorthand included), for the manifest."""
        return [c.record() for c in self.changes]


def describe(params: dict[str, Any]) -> list[str]:
    """One line per scheduled change, for ``cogov show`` and reports."""
    lines = []
    for c in schedule(params):
        what = ", ".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in c.values.items())
        if c.is_ramp:
            lines.append(f"days {c.day}–{c.to_day}: ramp {what}  ({c.label})")
        else:
            lines.append(f"day {c.day}: set {what}  ({c.label})")
    return lines


def reschedule(model: Any, entries: list[dict]) -> None:
    """Give a running model a new timeline (the dashboard's "add a dated change" and "clear").

    ``entries`` replace the scenario's ``[[timeline]]`` (the shock shorthand is
    dropped; include it as an entry to keep it). They are validated against
    the model's scenario like a ``timeline=[...]`` override, so a bad entry
    raises ``ScenarioError`` and leaves the model unchanged. Only changes dated
    after today take effect; a ramp under way starts again from today's value.
    """
    scen = model.config.with_overrides(timeline=list(entries), shock_tick=-1, shock_set={})
    timeline = Timeline(scen.params)
    # a ramp under way goes on from today's value to its target on the same line: counting
    # its days from ``from_day`` again would make it jump ahead by the days already ramped
    for _, ramps in timeline.by_day.values():
        for r in ramps:
            r.start_day = max(r.start_day, model.tick)
    model.timeline = timeline
