"""Technology and its side effects (seed 004 §2–§3).

The information platform widens the online channel (channels module) and data
silos slow hard matters (government agent). The side effects are costed here:
grid workers' hours lost to forms ("digital paperwork") and the trust that
intrusive data collection costs, in grid workers, government and the
property firm (smart gates).
"""

from __future__ import annotations

from typing import override

from sim.agents.resident import T_FIRM, T_GOV, T_GRID
from sim.mechanisms.base import Mechanism, Outcome, Param, coef, param

# the mechanism's scenario parameters: levers, sourced values and uncertainties (section [technology])
CORE_PARAMS: tuple[Param, ...] = (
    param(
        "platform_level",
        "technology",
        0.5,
        "float",
        "reach of the information platform: scales the online channel (0 none, 1 full)",
        "seed 004 §2(二); value assumption",
        "",
        0.0,
        1.0,
        lever=True,
    ),
    param(
        "paperwork_share",
        "technology",
        0.3,
        "float",
        "share of grid workers' time spent on forms and digital paperwork",
        "seed 004 §3(二) (数字文牍主义); value assumption",
        "",
        0.0,
        0.95,
        lever=True,
    ),
    param(
        "data_intensity",
        "technology",
        0.2,
        "float",
        "intensity of personal data collection (privacy intrusion costs trust)",
        "seed 004 §3(一) (privacy intrusions); value assumption",
        "",
        0.0,
        1.0,
        lever=True,
    ),
    param(
        "data_silos",
        "technology",
        0.3,
        "float",
        "how much data silos between departments slow hard matters",
        "seed 004 §3(二) (信息孤岛); value assumption",
        "",
        0.0,
        1.0,
    ),
)


PARAMS = (
    coef(
        "technology",
        "work_hours",
        8.0,
        "a grid worker's working hours per day",
        "网格员每日工作时长",
        1.0,
        16.0,
        None,
        "hours",
        source="China's statutory 8-hour working day (Labour Law art. 36)",
    ),
)


# the outcomes this mechanism defines (columns of results())
OUTCOMES = (
    Outcome(
        "paperwork_hours",
        "grid workers' hours on forms today",
        "hours",
        "Paperwork hours today",
        "当日网格员填表工时",
        "flow",
        "lower",
        counter="paperwork_hours",
        zero=0.0,
    ),
    Outcome(
        "grid_workers",
        "grid workers in post",
        "workers",
        "Grid workers",
        "网格员人数",
        "stock",
        "neutral",
        compute=lambda m: m.grid_workers.n,
    ),
)


class Technology(Mechanism):
    """Book paperwork hours daily; charge the privacy cost to trust weekly."""

    name = "technology"
    outcomes = OUTCOMES
    params = CORE_PARAMS + PARAMS
    counters = ("paperwork_hours",)

    @override
    def step(self) -> None:
        m, p = self.model, self.model.p
        hours = m.grid_workers.n * p["work_hours"] * p["paperwork_share"]
        m.grid_workers.paperwork_hours += p["work_hours"] * p["paperwork_share"]
        m.count("paperwork_hours", hours)
        loss = p["privacy_trust_cost"] * p["data_intensity"]
        if loss > 0:  # daily, so trust shows no weekly sawtooth (issue 10 item 6)
            m.residents.trust[:, [T_GRID, T_GOV, T_FIRM]] *= 1 - loss
