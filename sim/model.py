"""The community co-governance model.

One tick is one day. Each tick first applies the day's scheduled changes (the
``[[timeline]]``, sim/timeline.py), then runs the registered mechanisms in the order of
``sim.mechanisms.PIPELINE`` (docs/ODD.md §3 says what each does), then any
plug-ins where they declare, then records the outcomes. Each mechanism draws
from its own random stream and is skipped when switched off. The model is
assembled from the mechanisms' declarations (``sim.mechanisms.base``): their
parameters join the schema, their resident state is created here and reset for
newcomers, their counters are the only ones ``count`` accepts, their outcomes
are columns of ``results()``, and their declared dependencies are checked
against the order when the model is built.
"""

from __future__ import annotations

import time
from typing import Any

import mesa
import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from sim import __version__
from sim.agents.committees import Committees, HomeownersCommittees
from sim.agents.government import Government
from sim.agents.grid_worker import GridWorkers
from sim.agents.party_member import PartyMemberView
from sim.agents.property_firm import PropertyFirms
from sim.agents.resident import ResidentView
from sim.agents.social_org import Organisations
from sim.arrays import unique_ints
from sim.invariants import check_invariants
from sim.mechanisms import PIPELINE
from sim.mechanisms.base import Mechanism, Outcome, State, segment_starts
from sim.mechanisms.disputes import new_dispute_store
from sim.mechanisms.funding import Funds
from sim.mechanisms.matters import new_matter_store
from sim.mechanisms.participation import occasions, record_activity
from sim.mechanisms.projects import new_project_store
from sim.outcomes import OUTCOMES, compute_row, outcome_plan
from sim.params import plugin_schema
from sim.population import Index, build_residents
from sim.rng import Streams, fresh_seed
from sim.safety import check_seed
from sim.scenario import Scenario, ScenarioError, load_scenario
from sim.timeline import Timeline

_dict_get = dict.get


class Counters(dict):
    """Today's or the running counters: reading a counter no mechanism declared is an error."""

    __slots__ = ("names",)

    def __init__(self, names: frozenset[str]):
        super().__init__()
        self.names = names

    def get(self, name: str, default: Any = None) -> Any:
        """The counter's value (``default`` if nothing was counted yet); KeyError if undeclared."""
        if name not in self.names:
            raise KeyError(f"counter {name!r} is not declared by any mechanism")
        return dict.get(self, name, default)


def build_pipeline(plugins: list[type[Mechanism]] | tuple = ()) -> list[type[Mechanism]]:
    """The registered mechanisms with ``plugins`` inserted where each declares, order checked."""
    classes = list(PIPELINE)
    for cls in plugins:
        if not (isinstance(cls, type) and issubclass(cls, Mechanism)):
            raise TypeError(f"plug-in {cls!r} is not a sim.Mechanism subclass")
        if any(c.name == cls.name for c in classes):
            raise ValueError(f"plug-in {cls.__name__}: a mechanism named {cls.name!r} already exists")
        if cls.position_after is None:
            classes.append(cls)
        else:
            names = [c.name for c in classes]
            if cls.position_after not in names:
                raise ValueError(
                    f"plug-in {cls.__name__}: position_after {cls.position_after!r} is not a mechanism; "
                    f"allowed: {', '.join(names)}"
                )
            classes.insert(names.index(cls.position_after) + 1, cls)
    check_order(classes)
    return classes


def check_order(classes: list[type[Mechanism]]) -> None:
    """Refuse an order that breaks a declared dependency, naming both mechanisms."""
    where = {c.name: i for i, c in enumerate(classes)}
    for i, cls in enumerate(classes):
        for dep in cls.after:
            if dep not in where:
                raise ValueError(f"mechanism {cls.name} runs after {dep}, but there is no mechanism {dep}")
            if where[dep] > i:
                raise ValueError(
                    f"mechanism {cls.name} must run after {dep} (it reads what {dep} writes that day), "
                    f"but the pipeline puts {dep} later"
                )
        for dep in cls.needs:
            if dep not in where:
                raise ValueError(f"mechanism {cls.name} needs mechanism {dep}, which is not in the pipeline")


def _declared_counters(classes: list[type[Mechanism]]) -> frozenset[str]:
    names: dict[str, str] = {}
    for cls in classes:
        for c in cls.counters:
            if c in names:
                raise ValueError(f"counter {c} declared twice (by {names[c]} and {cls.name})")
            names[c] = cls.name
    return frozenset(names)


def load_plugin(spec: str) -> type[Mechanism]:
    """The mechanism class named by ``path/to/file.py:ClassName`` (``cogov run --plugin``).

    Raises:
        ScenarioError: naming the file, the class and what is wrong.
    """
    import importlib.util
    from pathlib import Path

    path, sep, cls_name = spec.rpartition(":")
    if not sep or not path or not cls_name:
        raise ScenarioError(f"{spec}: --plugin: expected path/to/file.py:ClassName; allowed: a Python file and a class")
    file = Path(path)
    if not file.is_file():
        raise ScenarioError(f"{path}: --plugin: no such file; allowed: an existing .py file")
    name = f"cogov_plugin_{file.stem}"
    module_spec = importlib.util.spec_from_file_location(name, file)
    if module_spec is None or module_spec.loader is None:
        raise ScenarioError(f"{path}: --plugin: not a Python module; allowed: a .py file")
    module = importlib.util.module_from_spec(module_spec)
    try:
        module_spec.loader.exec_module(module)
    except Exception as exc:  # the user's own file: report its error in one line
        raise ScenarioError(f"{path}: --plugin: importing it failed ({type(exc).__name__}: {exc})") from exc
    cls = getattr(module, cls_name, None)
    if not (isinstance(cls, type) and issubclass(cls, Mechanism)):
        found = sorted(
            k
            for k, v in vars(module).items()
            if isinstance(v, type) and issubclass(v, Mechanism) and v is not Mechanism
        )
        allowed = ", ".join(found) or "none found"
        raise ScenarioError(f"{path}: {cls_name}: not a sim.Mechanism subclass in this file; allowed: {allowed}")
    return cls


class CommunityModel(mesa.Model):
    """A community (or a district of communities) under a co-governance scenario.

    Args:
        scenario: preset name, path to a scenario file, a loaded ``Scenario``,
            or None for the built-in defaults.
        seed: the run's seed; every random draw derives from it. None draws one
            from the OS (it is recorded in ``manifest()``).
        check: assert the model's invariants after every tick.
        **overrides: flat parameter values replacing the scenario's (see
            ``cogov params``), so ``mesa.batch_run`` can drive the model.
    """

    def __init__(
        self,
        scenario: str | Scenario | None = None,
        seed: int | None = None,
        check: bool = False,
        plugins: list[type[Mechanism]] | tuple = (),
        **overrides: Any,
    ):
        classes = build_pipeline(plugins)
        self.plugin_params = [p for cls in classes if cls not in PIPELINE for p in cls.params]
        # plug-in parameters join the schema while the scenario loads: their own [section] in a
        # scenario file and flat overrides are validated like every other parameter
        with plugin_schema(self.plugin_params):
            scen = load_scenario(scenario, **overrides)
        self.seed = fresh_seed() if seed is None else check_seed(seed)  # 1.7 or "abc" is an error, not 1
        super().__init__(rng=self.seed)
        self.config = scen
        self.p: dict[str, Any] = dict(scen.params)
        for prm in self.plugin_params:  # a Scenario loaded before the plug-in was known
            self.p.setdefault(prm.name, prm.default)
        self.check = check
        self.wall_time = 0.0
        self.streams = Streams(self.seed)
        self._counter_names = _declared_counters(classes)
        self._build_population()
        self._build_states(classes)
        self._build_actors()
        self.mech: dict[str, Mechanism] = {cls.name: cls(self) for cls in classes}
        self.pipeline = [self.mech[cls.name] for cls in classes]
        self.today = Counters(self._counter_names)
        self.totals = Counters(self._counter_names)
        registered = set(OUTCOMES)
        self.mechanism_outcomes: list[Outcome] = [o for cls in classes for o in cls.outcomes]
        self.outcome_flows, self.outcome_totals, self.outcome_computed = outcome_plan(
            self.mechanism_outcomes, self._counter_names
        )
        self.outcome_names = list(OUTCOMES) + [o.name for o in self.mechanism_outcomes if o.name not in registered]
        # who moved in on which day (turnover.py), so mechanisms find newcomers without a scan of everyone
        self._arrivals: list[tuple[int, np.ndarray]] = []
        # dated changes, the shock shorthand included, run through the timeline (sim/timeline.py)
        self.timeline = Timeline(self.p)
        self.p.update(shock_tick=-1, shock_set={})
        self.timeline.apply(self)  # changes dated day 0
        self.regroup()
        self._after_step()
        # one outcome row per day; a plain list of the rows compute_row makes (Mesa's DataCollector
        # called a reporter and deep-copied a value per outcome per day: 10% of a year's time)
        self._row: dict[str, float] = compute_row(self)
        self.rows: list[dict[str, float]] = [self._row]
        if self.check:
            check_invariants(self)

    # --- construction -------------------------------------------------------------------
    def _build_population(self) -> None:
        p = self.p
        self.struct, self.residents = build_residents(p, self.streams["population"])
        s, res = self.struct, self.residents
        self.index = Index(res, s.n_buildings, s.n_households)
        self.community_sizes = np.bincount(res.community, minlength=s.n_communities)
        self.community_start = segment_starts(self.community_sizes)
        self.community_slice = [
            (int(a), int(a + n)) for a, n in zip(self.community_start, self.community_sizes, strict=True)
        ]
        self.estate_sizes = np.bincount(res.estate, minlength=s.n_estates)
        self.estate_start = segment_starts(self.estate_sizes)
        # residents are stored community by community, estate by estate, building by building and grid by
        # grid, so a per-unit value reaches every resident by np.repeat: ten times a gather with int32 ids
        self._spread = {}
        for level, ids, n in (
            ("building", res.building, s.n_buildings),
            ("estate", res.estate, s.n_estates),
            ("community", res.community, s.n_communities),
            ("grid", res.grid, s.n_grids),
        ):
            ordered = bool((ids[1:] >= ids[:-1]).all())
            self._spread[level] = (np.bincount(ids, minlength=n) if ordered else None, ids)
        self.building_activity = np.zeros(s.n_buildings)
        # ages never change (leavers are replaced within their age group), so adult weights are fixed
        self.adult_weight = res.adult.astype(np.float32)
        self.adults_per_building = np.maximum(np.bincount(res.building, weights=res.adult, minlength=s.n_buildings), 1)
        self.building_cohesion = np.bincount(res.building, weights=res.belonging, minlength=s.n_buildings) / np.maximum(
            self.index.b_count, 1
        )
        self.breaches_by_building = np.zeros(s.n_buildings)
        self.matters = new_matter_store()
        self.disputes = new_dispute_store()
        self.projects = new_project_store()

    def _build_states(self, classes: list[type[Mechanism]]) -> None:
        """Create the per-resident arrays the mechanisms declare (or check those the population made)."""
        res, n = self.residents, self.residents.n
        self.states: dict[str, State] = {}
        for cls in classes:
            for st in cls.states:
                if st.name in self.states:
                    raise ValueError(f"resident state {st.name} declared twice (again by mechanism {cls.name})")
                self.states[st.name] = st
                arr = getattr(res, st.name, None)
                if arr is None:
                    setattr(res, st.name, np.full(n, st.default, st.dtype))
                elif arr.shape != (n,) or arr.dtype != np.dtype(st.dtype):
                    raise ValueError(f"resident state {st.name}: built as {arr.dtype}{arr.shape}, declared {st.dtype}")

    def reset_states(self, who: np.ndarray) -> None:
        """Give newcomers ``who`` the declared initial value of every mechanism-owned state."""
        res = self.residents
        for st in self.states.values():
            getattr(res, st.name)[who] = st.default

    def _build_actors(self) -> None:
        p, s = self.p, self.struct
        hh_per_estate = np.bincount(s.building_estate[s.household_building], minlength=s.n_estates)
        self.firms = PropertyFirms(s.n_estates, hh_per_estate, p["property_fee"], p)
        self.orgs = Organisations(p, s.n_communities, self.streams["organisations.setup"])
        self.grid_workers = GridWorkers(s.grid_community, s.grid_households)
        self.committees = Committees(s.n_communities)
        self.homeowners = HomeownersCommittees(s.n_estates)
        self.government = Government(self, p["government_budget"])
        self.funds = Funds(s.n_communities, p["initial_fund"])

    # --- services used by mechanisms ---------------------------------------------------------
    @property
    def tick(self) -> int:
        """Current day (0 before the first step)."""
        return self.steps

    def count(self, name: str, value: float) -> None:
        """Add ``value`` to today's and the running total of counter ``name`` (declared by a mechanism)."""
        if name not in self._counter_names:
            raise KeyError(f"counter {name!r} is not declared by any mechanism (Mechanism.counters)")
        # name is checked above, so the plain dict lookup (not Counters.get's check again) is safe
        today, totals = self.today, self.totals
        today[name] = _dict_get(today, name, 0) + value
        totals[name] = _dict_get(totals, name, 0) + value

    def record_activity(self, who: np.ndarray) -> None:
        """Book residents ``who`` as taking part today."""
        record_activity(self, who)

    def log_arrivals(self, who: np.ndarray) -> None:
        """Residents ``who`` moved in today (their ``arrived`` is today)."""
        self.residents.arrived[who] = self.tick
        if len(who):
            self._arrivals.append((self.tick, np.asarray(who, dtype=np.intp)))

    def arrived_since(self, day: int) -> np.ndarray:
        """Sorted ids of residents who arrived after ``day``: ``np.flatnonzero(residents.arrived > day)``.

        Read from the log of arrivals (a week's movers) instead of a pass over every resident,
        which four mechanisms made each day. ``arrived`` only grows, so the ids logged after
        ``day`` are exactly those whose ``arrived`` is later than ``day``. Before day 0 (everyone
        counts as arrived on day 0) it is the scan.
        """
        if day < 0:
            return np.flatnonzero(self.residents.arrived > day)
        parts = []
        for d, ids in reversed(self._arrivals):
            if d <= day:
                break
            parts.append(ids)
        if not parts:
            return np.empty(0, np.intp)
        return unique_ints(np.concatenate(parts))

    def estate_range(self, e: int) -> tuple[int, int]:
        """First and one-past-last resident id of estate ``e``."""
        lo = int(self.estate_start[e])
        return lo, lo + int(self.estate_sizes[e])

    def spread(self, values: np.ndarray, level: str) -> np.ndarray:
        """``values[res.<level>]``: each resident's entry of a per-building/estate/community/grid array."""
        counts, ids = self._spread[level]
        return values[ids] if counts is None else np.repeat(values, counts)

    def estate_mean(self, values: np.ndarray) -> np.ndarray:
        """Mean of a per-resident array within each estate."""
        return np.bincount(self.residents.estate, weights=values, minlength=self.struct.n_estates) / np.maximum(
            self.estate_sizes, 1
        )

    def apply_shock(self, values: dict[str, Any]) -> None:
        """Change parameters from today on (a policy shock or a dashboard lever)."""
        self.p.update(values)
        for mech in self.pipeline:
            mech.params_changed()

    # --- the tick ---------------------------------------------------------------------
    def step(self) -> None:
        """Advance one day: run the mechanisms in order, then record outcomes."""
        t0 = time.perf_counter()
        self.today = Counters(self._counter_names)
        if self.timeline:
            self.timeline.apply(self)
        p = self.p
        for mech in self.pipeline:
            if mech.active(p):
                mech.step()
        self._after_step()
        self._row = compute_row(self)
        self.rows.append(self._row)
        if self.check:
            check_invariants(self)
        self.wall_time += time.perf_counter() - t0

    def regroup(self, ids: np.ndarray | None = None) -> None:
        """Refresh the group cells of residents ``ids`` (all when None) after they changed."""
        res = self.residents
        if ids is None:
            self.group_code = res.group_code()
            self.group_counts = np.bincount(self.group_code, minlength=24)
        else:
            self.group_counts -= np.bincount(self.group_code[ids], minlength=24)
            self.group_code[ids] = res.group_code(ids)
            self.group_counts += np.bincount(self.group_code[ids], minlength=24)

    def _after_step(self) -> None:
        res = self.residents
        self.recent = res.last_active > self.tick - self.p["activity_window"]
        # residents are stored building by building, so a segmented sum counts each building
        active = np.add.reduceat(self.recent.view(np.uint8), self.index.b_start, dtype=np.int32)
        self.building_activity = active / self.adults_per_building
        self.occasions = occasions(self.orgs, self.struct.n_communities, self.p["occasions_half"])

    def run(self, ticks: int, progress: bool = False) -> CommunityModel:
        """Run ``ticks`` days; show a progress bar on a terminal if ``progress``."""
        if ticks < 0:
            raise ValueError("ticks must be 0 or more")
        days = range(ticks)
        if progress:
            from tqdm import tqdm

            days = tqdm(days, desc=self.config.name, unit="day", leave=False)
        # the model is single-threaded by design (parallelism comes from running many runs);
        # a BLAS thread pool would only wait for a core, so it is held to one thread here
        with threadpool_limits(limits=1, user_api="blas"):
            for _ in days:
                self.step()
        return self

    # --- inspection and results -----------------------------------------------------------
    def resident(self, rid: int) -> ResidentView:
        """An inspectable view of resident ``rid`` (a Party member's view for members)."""
        if 0 <= rid < self.residents.n and self.residents.party[rid]:
            return PartyMemberView(self, rid)
        return ResidentView(self, rid)

    def manifest(self) -> dict[str, Any]:
        """Everything needed to reproduce this run."""
        return {
            "scenario": self.config.name,
            "scenario_file": self.config.path,
            "scenario_chain": self.config.chain,
            "description": self.config.description,
            "sources": self.config.sources,
            "seed": self.seed,
            "ticks": self.tick,
            "parameters": {k: v for k, v in self.config.params.items()},
            "timeline": self.timeline.records(),
            "plugins": [
                f"{type(m).__module__}.{type(m).__qualname__}" for m in self.pipeline if type(m) not in PIPELINE
            ],
            "package": "cogov-sim",
            "version": __version__,
            "mesa_version": mesa.__version__,
            "numpy_version": np.__version__,
            "wall_time_s": round(self.wall_time, 3),
        }

    def results(self) -> pd.DataFrame:
        """The per-tick outcome table (one row per tick, tick 0 = initial state).

        The table carries its provenance: ``scenario`` and ``seed`` columns, and
        the full manifest (parameters, package version) in ``df.attrs``.
        """
        df = pd.DataFrame.from_records(self.rows, columns=self.outcome_names)
        df.insert(0, "scenario", self.config.name)
        df.insert(1, "seed", self.seed)
        df.attrs["manifest"] = self.manifest()
        return df
