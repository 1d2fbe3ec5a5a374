"""The module contract: a mechanism declares its parameters, state, counters, outcomes and reads.

Like a Starsim module, a mechanism is one class in one file that says, in one place:

- ``params``: the coefficients it uses (``Param``: default, range, unit, meaning,
  source, ``role`` lever/sourced/calibrated/assumption and, for calibrated and
  assumption numbers, a ``plausible`` range for uncertainty analysis). They are
  assembled into ``sim.params.PARAMS``, so scenario files (under the mechanism's
  section), ``--set``, sweeps, the dashboard and the ODD tables all see them.
- ``states``: the per-resident arrays it owns (``State``). The model creates them
  from the declaration and turnover resets them for newcomers from the same
  declaration.
- ``counters``: the names it passes to ``model.count``. A counter nobody declared
  is an error, when written and when read.
- ``outcomes``: what it reports each tick (``Outcome``: name, meaning, unit,
  English and Chinese label, kind, which direction is better, and how it is
  computed).
- ``after``: mechanisms it reads from or calls that must run *before* it in the
  tick; ``needs``: mechanisms it calls whatever their position. The model
  refuses a pipeline that breaks either, naming both mechanisms.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

if TYPE_CHECKING:
    from sim.agents.resident import Residents

ROLES = ("lever", "sourced", "calibrated", "assumption")
A = "assumption"


def _fmt(x: float | None) -> str:
    if x is None:
        return "?"
    return f"{x:g}"


@dataclass(frozen=True)
class Param:
    """One scenario parameter.

    Attributes:
        name: flat keyword, unique across sections.
        section: scenario-file section (mechanism) it belongs to.
        default: value used when no scenario sets it.
        kind: "int", "float", "bool", "choice" or "table" (a table of overrides).
        lo, hi: inclusive bounds for numbers.
        choices: allowed values for "choice".
        unit: unit of measure, "" for shares and flags.
        meaning: one line for help texts and the ODD table.
        source: seed file and section, field figure, or "assumption".
        lever: True for policy levers (shown first in the dashboard).
        role: "lever" (a policymaker sets it), "sourced" (from a seed or field
            figure), "calibrated" or "assumption". Derived from ``lever`` and
            ``source`` when not given.
        plausible: (lo, hi) range for uncertainty analysis; set for every
            calibrated and assumption number (when not declared: the default
            ±50 %, within [lo, hi]).
        label_zh: Chinese label (dashboard, reports).
        meaning_zh: Chinese one-line explanation (levers, in the dashboard).
    """

    name: str
    section: str
    default: Any
    kind: str
    meaning: str
    source: str
    unit: str = ""
    lo: float | None = None
    hi: float | None = None
    choices: tuple = field(default_factory=tuple)
    lever: bool = False
    role: str = ""
    plausible: tuple[float, float] | None = None
    label_zh: str = ""
    meaning_zh: str = ""

    def __post_init__(self) -> None:
        role = self.role or _derive_role(self)
        if role not in ROLES:
            raise ValueError(f"parameter {self.name}: role {role!r}; allowed: {', '.join(ROLES)}")
        object.__setattr__(self, "role", role)
        if role == "lever" and not self.lever:
            object.__setattr__(self, "lever", True)
        numeric = self.kind in ("int", "float")
        if self.plausible is None and numeric and role in ("calibrated", "assumption"):
            object.__setattr__(self, "plausible", _default_plausible(self))
        if self.plausible is not None:
            lo, hi = self.plausible
            if not (lo <= hi) or (self.lo is not None and lo < self.lo) or (self.hi is not None and hi > self.hi):
                raise ValueError(
                    f"parameter {self.name}: plausible range {self.plausible} outside [{self.lo}, {self.hi}]"
                )

    def allowed(self) -> str:
        """Describe the allowed values in words, for error messages."""
        if self.kind == "bool":
            return "true or false"
        if self.kind == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.kind == "table":
            return "a table of parameter overrides"
        what = "an integer" if self.kind == "int" else "a number"
        return f"{what} in [{_fmt(self.lo)}, {_fmt(self.hi)}]"


def _derive_role(p: Param) -> str:
    if p.lever:
        return "lever"
    src = p.source.lower()
    if src.startswith("assumption"):
        return "assumption"
    if "calibrat" in src:
        return "calibrated"
    return "sourced"


def _default_plausible(p: Param) -> tuple[float, float]:
    d = float(p.default)
    lo, hi = sorted((d * (1 - 0.5), d * (1 + 0.5)))  # the default ±50 %
    if d == 0:
        lo, hi = (p.lo if p.lo is not None else 0.0), (p.hi if p.hi is not None else 0.0)
    if p.lo is not None:
        lo = max(lo, p.lo)
    if p.hi is not None:
        hi = min(hi, p.hi)
    if p.kind == "int":
        lo, hi = float(np.floor(lo)), float(np.ceil(hi))
    return (lo, hi)


def param(
    name: str,
    section: str,
    default: Any,
    kind: str,
    meaning: str,
    source: str,
    unit: str = "",
    lo: float | None = None,
    hi: float | None = None,
    choices: tuple | list = (),
    lever: bool = False,
    plausible: tuple[float, float] | None = None,
    zh: str = "",
) -> Param:
    """A scenario parameter (positional form of ``Param``; ``choices`` may be any sequence; ``zh``: Chinese label)."""
    return Param(name, section, default, kind, meaning, source, unit, lo, hi, tuple(choices), lever, "", plausible, zh)


def coef(
    section: str,
    name: str,
    default: float,
    meaning: str,
    zh: str,
    lo: float,
    hi: float,
    plausible: tuple[float, float] | None = None,
    unit: str = "",
    source: str = A,
    kind: str = "float",
) -> Param:
    """A behavioural coefficient of a mechanism (an assumption unless ``source`` says otherwise)."""
    return Param(name, section, default, kind, meaning, source, unit, lo, hi, (), False, "", plausible, zh)


@dataclass(frozen=True)
class State:
    """A per-resident array owned by a mechanism: created from this, reset for newcomers."""

    name: str
    dtype: Any
    default: Any
    meaning: str


OUTCOME_KINDS = ("flow", "stock", "cumulative")
BETTER = ("higher", "lower", "neutral")


@dataclass(frozen=True)
class Outcome:
    """One column of the per-tick outcome table.

    ``kind``: "flow" (today's amount), "stock" (a level now) or "cumulative" (so far).
    ``better``: "higher", "lower" or "neutral" for a policy reading.
    ``compute``: ``model -> value``; None for the core outcomes computed together in
    ``sim.outcomes.compute_row``. ``counter``: shortcut, the value is that counter's
    running total (cumulative) or today's amount (flow).
    """

    name: str
    meaning: str
    unit: str
    en: str
    zh: str
    kind: str
    better: str
    compute: Callable[[Any], float] | None = None
    counter: str | None = None
    zero: float = 0  # a counter's value before anything was counted (0.0 for amounts, 0 for counts)

    def __post_init__(self) -> None:
        if self.kind not in OUTCOME_KINDS:
            raise ValueError(f"outcome {self.name}: kind {self.kind!r}; allowed: {', '.join(OUTCOME_KINDS)}")
        if self.better not in BETTER:
            raise ValueError(f"outcome {self.name}: better {self.better!r}; allowed: {', '.join(BETTER)}")


class ModelLike(Protocol):
    """What a mechanism may use of the model (``sim.model.CommunityModel`` satisfies it)."""

    p: dict[str, Any]
    residents: Residents
    streams: Any
    mech: dict[str, Mechanism]

    @property
    def tick(self) -> int:
        """Current day."""
        ...

    def count(self, name: str, value: float) -> None:
        """Add to a declared counter."""
        ...

    def spread(self, values: np.ndarray, level: str) -> np.ndarray:
        """Each resident's entry of a per-building/estate/community/grid array."""
        ...

    def record_activity(self, who: np.ndarray) -> None:
        """Book residents ``who`` as taking part today."""
        ...

    def arrived_since(self, day: int) -> np.ndarray:
        """Sorted ids of residents who moved in after ``day``."""
        ...


class Mechanism:
    """One rule module of the tick.

    Subclasses set ``name`` (also the name of their random stream and, unless
    ``section`` says otherwise, of their scenario-file section), declare what
    they own (see the module docstring), override ``active`` to say when they
    run (a mechanism switched off is skipped: it costs nothing and draws
    nothing) and ``step`` for one day's work. ``params_changed`` is called when
    parameters change mid-run (a shock, a dashboard lever), so a mechanism can
    refresh what it resolved from them.
    """

    name = "mechanism"
    section: str | None = None
    params: tuple[Param, ...] = ()
    states: tuple[State, ...] = ()
    counters: tuple[str, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    after: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    # a plug-in names the built-in mechanism it runs after (None: at the end of the tick)
    position_after: str | None = None

    def __init__(self, model: ModelLike):
        self.model = model
        self.rng = model.streams[self.name]

    def active(self, p: dict) -> bool:
        """Whether the mechanism runs under parameters ``p``."""
        return True

    def step(self) -> None:
        """Advance the mechanism by one day."""

    def params_changed(self) -> None:
        """Parameters changed mid-run; refresh anything resolved from them."""


def toward(x: Any, rate: Any, target: Any = 1.0, inplace: bool = False) -> Any:
    """``x`` moved a share ``rate`` of the way towards ``target``: ``x + rate (target − x)``.

    The one form of the partial-adjustment update every attitude and belief uses.
    With ``inplace`` (whole arrays updated every day) ``x`` itself is updated, with
    one temporary fewer; the result is the same to the bit.
    """
    if inplace:
        x += rate * (target - x)
        return x
    return x + rate * (target - x)


def group_cumsum(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Running sum of ``values`` within runs of equal ``group`` (``group`` sorted or at least contiguous)."""
    cum = np.cumsum(values)
    if len(values) == 0:
        return cum
    start = np.r_[0, np.flatnonzero(np.diff(group)) + 1]
    offset = np.repeat(cum[start] - values[start], np.diff(np.r_[start, len(values)]))
    return cum - offset


def segment_starts(sizes: np.ndarray) -> np.ndarray:
    """First index of each segment given segment sizes (``np.r_[0, cumsum(sizes)[:-1]]``)."""
    return np.r_[0, np.cumsum(sizes)[:-1]]
