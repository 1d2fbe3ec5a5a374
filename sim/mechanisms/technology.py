"""Technology and its side effects (seed 004 §2–§3).

The information platform widens the online channel (channels module) and data
silos slow hard matters (government agent). The side effects are costed here:
grid workers' hours lost to forms ("digital paperwork") and the trust that
intrusive data collection costs, in grid workers, government and the
property firm (smart gates).
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import T_FIRM, T_GOV, T_GRID
from sim.calendar import per_day
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
        zh="信息平台覆盖度",
    ),
    param(
        "data_demanded",
        "technology",
        9.0,
        "float",
        "data entries (forms, ledgers, reports) demanded from above per household per year; each is typed in "
        "by the household's grid worker, so paperwork follows from it (and from the platform's use, data silos "
        "and the grid's size) instead of being a fixed share of time",
        "seed 004 §3(二) 「大量采集信息的填表、录入、上报和备案等成为他们的主要工作」; value assumption "
        "(calibrated so that the reference grid of 300 households spends about 30% of the day on forms)",
        "entries/household/year",
        0.0,
        200.0,
        lever=True,
        zh="上级要求的数据采集量",
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
        zh="个人数据采集强度",
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
        zh="数据孤岛程度",
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
    coef(
        "technology",
        "entry_hours",
        0.25,
        "hours to collect and type in one data entry for one household",
        "每条数据采集录入工时",
        0.0,
        4.0,
        (0.1, 0.5),
        "hours/entry",
    ),
    coef(
        "technology",
        "silo_reentry",
        1.0,
        "extra entries per entry per unit of data silos: the same data typed again for each unconnected "
        "department (seed 004 §4(二) 「一次采集、多方利用」 removes it)",
        "数据孤岛造成的重复录入倍数",
        0.0,
        5.0,
        (0.5, 2.0),
    ),
    coef(
        "technology",
        "log_hours",
        0.2,
        "hours to log one surfaced matter on the platform at full platform level (留痕)",
        "平台留痕每事项工时",
        0.0,
        4.0,
        (0.1, 0.5),
        "hours/matter",
    ),
    coef(
        "technology",
        "max_paperwork_share",
        0.95,
        "most of a grid worker's day that paperwork can take (the rest is the bare minimum of walking)",
        "填表时间占比上限",
        0.0,
        1.0,
        (0.8, 1.0),
    ),
)


def paperwork_hours(p: dict, households: np.ndarray, surfaced_yesterday: np.ndarray) -> np.ndarray:
    """Hours each grid worker spends on forms today.

    Data collection: every household owes ``data_demanded`` entries a year, typed
    again for each unconnected department (data silos); platform use: every
    matter surfaced in the grid is logged (留痕) at the platform's level (seed 004
    §3(二)). Capped at ``max_paperwork_share`` of the working day.
    """
    entries = households * per_day(p["data_demanded"]) * (1 + p["silo_reentry"] * p["data_silos"])
    hours = entries * p["entry_hours"] + surfaced_yesterday * p["log_hours"] * p["platform_level"]
    return np.minimum(hours, p["max_paperwork_share"] * p["work_hours"])


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
    """Book paperwork hours daily (from data demanded and platform use); charge the privacy cost to trust weekly."""

    name = "technology"
    outcomes = OUTCOMES
    params = CORE_PARAMS + PARAMS
    counters = ("paperwork_hours",)

    @override
    def step(self) -> None:
        m, p = self.model, self.model.p
        gw = m.grid_workers
        gw.paperwork_today = paperwork_hours(p, gw.households, gw.surfaced_today)
        gw.surfaced_today = np.zeros(gw.n)  # channels counts today's afresh
        gw.paperwork_hours += gw.paperwork_today
        m.count("paperwork_hours", float(gw.paperwork_today.sum()))
        loss = p["privacy_trust_cost"] * p["data_intensity"]
        if loss > 0:  # daily, so trust shows no weekly sawtooth (issue 10 item 6)
            for col in (T_GRID, T_GOV, T_FIRM):  # trust is stored by column: each scaled in place
                m.residents.trust[:, col] *= 1 - loss
