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
from sim.calendar import DAYS_PER_WEEK, is_week_start
from sim.mechanisms.base import Mechanism, coef

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


class Technology(Mechanism):
    """Book paperwork hours daily; charge the privacy cost to trust weekly."""

    name = "technology"
    params = PARAMS
    counters = ("paperwork_hours",)

    @override
    def step(self) -> None:
        m, p = self.model, self.model.p
        hours = m.grid_workers.n * p["work_hours"] * p["paperwork_share"]
        m.grid_workers.paperwork_hours += p["work_hours"] * p["paperwork_share"]
        m.count("paperwork_hours", hours)
        loss = p["privacy_trust_cost"] * p["data_intensity"]
        if loss > 0 and is_week_start(m.tick):
            keep = (1 - loss) ** DAYS_PER_WEEK
            m.residents.trust[:, [T_GRID, T_GOV, T_FIRM]] *= keep
