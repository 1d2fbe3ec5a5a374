"""The parameter schema: every scenario parameter, assembled in one table.

Validation, defaults, units, ranges, sources, CLI help, dashboard controls and
the ODD parameter table are all generated from ``PARAMS``. Each parameter
belongs to one section (a mechanism or a structural part of the model); in a
scenario file it is written inside that section, as a flat keyword it is
passed to ``CommunityModel`` or ``load_scenario``.

Sources cite the seed papers in ``shared/seeds`` ("seed 002 §2" means the
second section of seed file 002) or the field figures in
``shared/data/field-figures.csv``; everything else is marked "assumption".

``PARAMS`` is assembled: the population's structural parameters written below,
followed by the parameters each mechanism declares in its own file
(``Mechanism.params``, see ``sim.mechanisms.base``: its levers, sourced values,
uncertainties and behavioural coefficients, in the mechanism's section). ``Param`` lives in
``sim.mechanisms.base`` so mechanisms can declare parameters without importing
this module; it is re-exported here.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sim.mechanisms.base import Param
from sim.mechanisms.consultation import CADENCES, DECISION_RULES, MEETING_MODES  # noqa: F401 (re-exported)


def _p(
    name,
    section,
    default,
    kind,
    meaning,
    source,
    unit="",
    lo=None,
    hi=None,
    choices=(),
    lever=False,
    plausible=None,
    zh="",
) -> Param:
    return Param(name, section, default, kind, meaning, source, unit, lo, hi, tuple(choices), lever, "", plausible, zh)


def _assemble(core: list[Param]) -> list[Param]:
    """The core table followed by the parameters every registered mechanism declares."""
    from sim.mechanisms import PIPELINE

    out = list(core)
    seen = {p.name for p in core}
    for cls in PIPELINE:
        for p in cls.params:
            if p.name in seen:
                raise ValueError(f"parameter {p.name} declared twice (again by mechanism {cls.name})")
            seen.add(p.name)
            out.append(p)
    return out


A = "assumption"

_CORE: list[Param] = [
    # --- population and structure (no mechanism owns these: the population is built from them) ---
    _p(
        "n_communities",
        "population",
        1,
        "int",
        "communities simulated; more than 1 makes a district sharing one government budget",
        "seed 003 §1(一) (Meilie: big Party committees in 26 communities)",
        "communities",
        1,
        200,
        zh="社区数",
    ),
    _p(
        "estates",
        "population",
        4,
        "int",
        "estates (小区) per community",
        "seed 002 §2 (X: 4 estates)",
        "estates",
        1,
        50,
        zh="每社区小区数",
    ),
    _p(
        "households",
        "population",
        7191,
        "int",
        "households per community",
        "seed 002 §2 (X: 7,191 households)",
        "households",
        10,
        200_000,
        zh="每社区户数",
    ),
    _p(
        "residents",
        "population",
        21235,
        "int",
        "residents per community",
        "seed 002 §2 (X: 21,235 residents)",
        "residents",
        10,
        1_000_000,
        zh="每社区居民数",
    ),
    _p(
        "households_per_building",
        "population",
        24,
        "int",
        "households per building (楼栋)",
        A,
        "households",
        1,
        500,
        zh="每栋户数",
    ),
    _p(
        "share_children", "population", 0.15, "float", "share of residents under 18", A, "", 0.0, 0.6, zh="未成年人比例"
    ),
    _p("share_elderly", "population", 0.20, "float", "share of residents aged 60+", A, "", 0.0, 0.8, zh="老年人比例"),
    _p("share_renters", "population", 0.25, "float", "share of households renting", A, "", 0.0, 1.0, zh="租户比例"),
    _p(
        "share_migrants",
        "population",
        0.15,
        "float",
        "share of residents from elsewhere (non-local hukou)",
        "assumption (seed 003 §1(三) gives Wengdun's yearly inflow of 20%+, not a stock share)",
        "",
        0.0,
        1.0,
        zh="外来人口比例",
    ),
    _p(
        "share_party",
        "population",
        0.07,
        "float",
        "share of residents who are Party members (all of them adults)",
        A,
        "",
        0.0,
        0.5,
        zh="党员比例",
    ),
    _p(
        "share_capable",
        "population",
        0.0031,
        "float",
        "share of residents who are 'capable residents' (社区能人): skilled, respected, can lead and mediate",
        "seed 002 §2 一是 (X: 65 capable residents of 21,235)",
        "",
        0.0,
        0.2,
        zh="社区能人比例",
    ),
    _p(
        "digital_access_elderly",
        "population",
        0.35,
        "float",
        "share of elderly residents with usable digital access",
        "seed 004 §3(二) (the elderly and low-income are the digitally weak); value assumption",
        "",
        0.0,
        1.0,
        zh="老年人数字接入率",
    ),
    _p(
        "digital_access_others",
        "population",
        0.92,
        "float",
        "share of non-elderly residents with usable digital access",
        A,
        "",
        0.0,
        1.0,
        zh="其他居民数字接入率",
    ),
    _p(
        "mean_public_spirit",
        "population",
        0.30,
        "float",
        "mean intrinsic public spirit (Beta-distributed, 0–1)",
        A,
        "",
        0.01,
        0.99,
        zh="平均公共精神",
    ),
    _p(
        "community_wealth",
        "population",
        1.0,
        "float",
        "multiplier on the community's grant and service income (rich vs poor communities)",
        "seed 000 §4.1.2 (uneven resources); value assumption",
        "×",
        0.1,
        5.0,
        lever=True,
        zh="社区财力倍数",
    ),
]

PARAMS: list[Param] = _assemble(_CORE)
BY_NAME: dict[str, Param] = {p.name: p for p in PARAMS}
# a list (not a tuple) so a plug-in's section can join it in place (see ``plugin_schema``)
SECTIONS: list[str] = list(dict.fromkeys(p.section for p in PARAMS))

# Population parameters that are read again after the community is built, so a timeline entry
# or a shock changes something from its day on:
# - the traits newcomers are drawn with (turnover.py calls population.draw_traits): a change
#   reaches residents who move in from that day, not those already living here;
# - the community's wealth, which scales the grant and service income every day (funding.py).
NEWCOMER_TRAITS = frozenset({"mean_public_spirit", "share_party", "digital_access_elderly", "digital_access_others"})
LIVE_POPULATION = NEWCOMER_TRAITS | {"community_wealth"}
# Mechanism parameters of the same kind: types drawn for each resident when the module first
# runs and again for newcomers (cofunding.py's conditional cooperators and first beliefs,
# thresholds.py's thresholds), so a change after that first day reaches newcomers only.
TYPES_DRAWN_ONCE = frozenset(
    {"cc_share", "cc_slope", "initial_belief", "belief_spread", "threshold_dist", "threshold_mean", "threshold_sd"}
)

# Parameters that fix the structure or the initial state of the community: read only while it is
# built, so the timeline and the shock refuse them (a change during a run would silently do
# nothing). tests/test_timeline.py checks this set against the keys a run actually reads.
STRUCTURAL = frozenset(
    {p.name for p in PARAMS if p.section == "population" and p.name not in LIVE_POPULATION}
    | {
        "households_per_grid_worker",
        "volunteer_teams",
        "professional_orgs",
        "interest_groups",
        "shock_tick",
        "shock_set",
        "timeline",
        # read only when the community is built (population.py, social_org.py, model.py): a change
        # during a run would silently do nothing, so the timeline refuses it
        "initial_trust",
        "org_skill_mean",  # (org_skill_spread is read again: training's gain in skill scales with it)
        "initial_fund",
        "daily_cost_volunteer",  # each organisation's running cost (agents/social_org.py)
        "daily_cost_professional",
        "daily_cost_interest",
        "initial_effort",  # the firm's starting effort (agents/property_firm.py)
    }
)

# The community's size: the same in every world of a robust comparison, never drawn as an
# uncertain assumption (a world changes what is assumed about residents, not how many there are).
# Parameters read only when the community is built are otherwise free to vary between worlds:
# every run of a world starts from them.
SIZE = frozenset({"n_communities", "estates", "households", "residents"})

# Shares that must sum to one; cross-field rule checked in validation.
SUM_TO_ONE = (
    ("share_small", "share_major", "share_hard"),
    ("share_provider", "share_incubator", "share_fund"),
)


def _extend(params: list[Param]) -> tuple[list[Param], list[str]]:
    """Add plug-in parameters to the tables in place; return what was added."""
    from sim import scenario

    added = []
    for p in params:
        if p.name in BY_NAME:
            if BY_NAME[p.name] is p:
                continue
            raise ValueError(
                f"plug-in parameter {p.name} clashes with a parameter of section [{BY_NAME[p.name].section}]"
            )
        added.append(p)
    new_sections = [s for s in dict.fromkeys(p.section for p in added) if s not in SECTIONS]
    PARAMS.extend(added)
    BY_NAME.update({p.name: p for p in added})
    SECTIONS.extend(new_sections)
    if added:  # the validating model is rebuilt only when the schema changed (it costs ~0.1 s a model)
        scenario._model.cache_clear()
    return added, new_sections


@contextmanager
def plugin_schema(params: list[Param]) -> Iterator[None]:
    """Extend the schema with plug-in parameters while the block runs (scenario loading).

    The tables are extended in place, so every module that imported them sees the
    plug-in's section and parameters: scenario files accept ``[section]`` tables and
    ``--set name=value`` for them, validated like any other parameter.
    """
    from sim import scenario

    added, new_sections = _extend(params)
    try:
        yield
    finally:
        del PARAMS[len(PARAMS) - len(added) :]
        for p in added:
            del BY_NAME[p.name]
        for s in new_sections:
            SECTIONS.remove(s)
        if added:
            scenario._model.cache_clear()


def register_plugins(classes: list) -> None:
    """Add plug-ins' parameters to the schema for the rest of the process.

    For long-lived processes that build controls or tables from ``PARAMS`` (the
    dashboard): the plug-in's levers then appear like any other. Models built
    with ``plugins=[...]`` do not need this.
    """
    _extend([p for cls in classes for p in cls.params])


def defaults() -> dict[str, Any]:
    """Return a fresh dict of every parameter's default."""
    return {p.name: (copy.deepcopy(p.default) if p.kind == "table" else p.default) for p in PARAMS}


def by_section() -> dict[str, list[Param]]:
    """Group parameters by section, in declaration order."""
    out: dict[str, list[Param]] = {s: [] for s in SECTIONS}
    for p in PARAMS:
        out[p.section].append(p)
    return out
