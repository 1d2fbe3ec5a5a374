"""Policy shocks: the ``[shock]`` section, shorthand for one dated change.

The scenario names the day (``shock_tick``) and the parameter values the shock
sets (``shock_set``), e.g. the Licheng case: garbage points cut so residents
walk hundreds of metres (seed 000 §4.1.1). Since dated changes exist
(``[[timeline]]``, sim/timeline.py), the shorthand is one ``set`` entry of the
timeline: the model hands it to the timeline when it is built and clears
``shock_tick``, so this module only declares the section's parameters (and the
``shocks`` counter the timeline books); it never steps.
"""

from __future__ import annotations

from typing import override

from sim.mechanisms.base import Mechanism, Param, param

# the mechanism's scenario parameters: levers, sourced values and uncertainties (section [shock])
CORE_PARAMS: tuple[Param, ...] = (
    param(
        "shock_tick",
        "shock",
        -1,
        "int",
        "day on which the policy shock takes effect (-1: no shock)",
        "seed 000 §4.1.1",
        "day",
        -1,
        100_000,
        lever=True,
        zh="冲击日",
    ),
    param(
        "shock_set",
        "shock",
        {},
        "table",
        "parameter values that the shock sets (a table of overrides)",
        "seed 000 §4.1.1",
        zh="冲击设定",
    ),
    # written as [[timeline]] tables at the top of a scenario file; checked and run by sim/timeline.py
    Param(
        "timeline",
        "shock",
        [],
        "table",
        "dated policy changes: [[timeline]] tables with day + set, or from_day + to_day + ramp (see docs/ODD.md 7.1)",
        "policy input (the seeds' practices were phased in and withdrawn, e.g. seed 000 §4.1.1)",
        lever=True,
        label_zh="政策时间表",
        meaning_zh="按日期安排的政策变化：某日设定，或在两日之间逐步调整",
    ),
)


class PolicyShock(Mechanism):
    """The ``[shock]`` section: its parameters and counter; the timeline applies the change."""

    name = "shock"
    params = CORE_PARAMS
    counters = ("shocks",)

    @override
    def active(self, p: dict) -> bool:
        """Never runs: the model moves the shorthand into the timeline (``Timeline``) when it is built."""
        return False
