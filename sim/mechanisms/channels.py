"""Reporting channels: how raised matters surface to those who can act.

Grid walks (网格走访) and building listening (楼栋听访) are face to face: they
reach a resident only when at home, so busy residents are missed. Online
collection (线上集访) reaches only the digitally connected (seed 004 §3: the
digital divide). Mobile reporters (couriers, riders: seed 001 §3 二是) see public
hazards only. A Party member's home visit surfaces the household's matters.
Walking into the committee office is always possible but rare.
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import NEVER, T_RC
from sim.mechanisms.base import A, Mechanism, Param, State, coef, param
from sim.mechanisms.routing import route_for

CHANNELS = ("office", "grid_walk", "listening", "online", "mobile", "home_visit")
CLASS_NAMES = ("small", "major", "hard")
VIA_COUNTERS = tuple(f"surfaced_via_{c}" for c in CHANNELS)
CLASS_COUNTERS = tuple(f"surfaced_{c}" for c in CLASS_NAMES)

# the mechanism's scenario parameters: levers, sourced values and uncertainties (section [channels])
CORE_PARAMS: tuple[Param, ...] = (
    param(
        "grid_walks",
        "channels",
        True,
        "bool",
        "grid workers walk their grid and collect matters face to face (网格走访)",
        "seed 002 §2 二是 (网格走访, daily); seed 000 §2.1.5",
        lever=True,
        zh="网格走访",
    ),
    param(
        "building_listening",
        "channels",
        False,
        "bool",
        "building chiefs / Party members listen door to door in their building (楼栋听访)",
        "seed 002 §2 二是 (楼栋听访 by building Party leaders); seed 003 §1(二) (building chiefs)",
        lever=True,
        zh="楼栋听访",
    ),
    param(
        "online_collection",
        "channels",
        False,
        "bool",
        "matters collected online (WeChat groups, apps: 线上集访)",
        "seed 002 §2 二是 (线上集访: WeChat groups, phone); seed 003 §1(二) (WeChat work group)",
        lever=True,
        zh="线上集访",
    ),
    param(
        "mobile_reporters",
        "channels",
        False,
        "bool",
        "couriers and delivery riders report public hazards as mobile grid workers",
        "seed 001 §3 二是 (couriers and riders as 移动网格员)",
        lever=True,
        zh="移动网格员(快递、外卖)",
    ),
    param(
        "households_per_grid_worker",
        "channels",
        300,
        "int",
        "households per grid worker (sets the number of grid workers)",
        "assumption (typical grids of 300–500 households)",
        "households",
        30,
        5000,
        lever=True,
        zh="每名网格员户数",
    ),
    param(
        "grid_visits_per_day",
        "channels",
        12,
        "int",
        "households a grid worker can visit in a full working day",
        A,
        "households/day",
        0,
        200,
        zh="网格员日走访户数",
    ),
    param(
        "listening_rate",
        "channels",
        0.02,
        "float",
        "daily chance that building listening reaches a given resident who is at home",
        A,
        "1/day",
        0.0,
        1.0,
        zh="楼栋听访覆盖率",
    ),
    param(
        "online_report_rate",
        "channels",
        0.04,
        "float",
        "daily chance that a digitally connected resident reports a pending matter online, at full platform level",
        A,
        "1/day",
        0.0,
        1.0,
        zh="线上反映率",
    ),
    param(
        "mobile_report_rate",
        "channels",
        0.05,
        "float",
        "daily chance that a pending public hazard is reported by a mobile reporter",
        A,
        "1/day",
        0.0,
        1.0,
        zh="移动网格员上报率",
    ),
    param(
        "self_report_rate",
        "channels",
        0.004,
        "float",
        "daily chance that a resident walks into the committee office to report a matter unprompted",
        A,
        "1/day",
        0.0,
        1.0,
        zh="主动上门反映率",
    ),
)


PARAMS = (
    coef(
        "channels",
        "home_base",
        0.25,
        "chance a resident with no free time is found at home",
        "无空闲者在家概率",
        0.0,
        1.0,
        (0.1, 0.4),
    ),
    coef(
        "channels",
        "home_w_free_time",
        0.75,
        "extra chance of being found at home per unit of free time",
        "在家概率: 空闲时间权重",
        0.0,
        1.0,
        (0.5, 0.9),
    ),
    coef(
        "channels",
        "listening_without_zones",
        0.5,
        "listening reach without Party responsibility zones, as a share of it with them",
        "无责任区时楼栋听访覆盖比例",
        0.0,
        1.0,
        (0.3, 0.8),
    ),
)


def at_home(free_time: np.ndarray, p: dict) -> np.ndarray:
    """Chance a resident is found at home by a face-to-face channel."""
    return p["home_base"] + p["home_w_free_time"] * free_time


class Channels(Mechanism):
    """Surface pending matters through the channels switched on."""

    name = "channels"
    params = CORE_PARAMS + PARAMS
    states = (State("last_reported", np.int32, NEVER, "day a matter of the resident's last surfaced"),)
    counters = VIA_COUNTERS + CLASS_COUNTERS
    after = ("needs", "party")  # today's matters and today's home visits
    needs = ("outreach",)  # what residents know decides whether they report themselves

    @override
    def step(self) -> None:
        m, p, ms, res = self.model, self.model.p, self.model.matters, self.model.residents
        ids = ms.open_ids[ms.column("surfaced")[ms.open_ids] < 0]
        if len(ids) == 0:
            return
        who = ms.column("resident")[ids]
        home = at_home(res.free_time[who], p)
        probs = np.zeros((len(CHANNELS), len(ids)))
        probs[0] = p["self_report_rate"] * home
        if m.mech["outreach"].active(p):  # knowing where to turn (outreach.py)
            probs[0] *= m.mech["outreach"].report_factor(who)
        if p["grid_walks"] and m.grid_workers.n:
            share = m.grid_workers.visit_share(p["grid_visits_per_day"], p["work_hours"])
            probs[1] = share[ms.column("grid")[ids]] * home
        if p["building_listening"]:
            zones = 1.0 if p["party_responsibility_zones"] else p["listening_without_zones"]
            probs[2] = p["listening_rate"] * zones * home
        if p["online_collection"]:
            trust = res.trust[who, T_RC]
            probs[3] = p["online_report_rate"] * p["platform_level"] * res.digital[who] * (0.5 + 0.5 * trust)
        if p["mobile_reporters"]:
            probs[4] = p["mobile_report_rate"] * ms.column("public")[ids]
        probs[5] = res.last_visited[who] == m.tick
        miss = np.prod(1 - probs, axis=0)
        hit = self.rng.random(len(ids)) < 1 - miss
        if not hit.any():
            return
        sid, swho = ids[hit], who[hit]
        # credit the channel in proportion to its chance
        share = probs[:, hit] / probs[:, hit].sum(axis=0)
        pick = (share.cumsum(axis=0) < self.rng.random(len(sid))).sum(axis=0)
        for name, n in zip(VIA_COUNTERS, np.bincount(pick, minlength=len(CHANNELS)).tolist(), strict=False):
            m.count(name, n)
        ms.column("surfaced")[sid] = m.tick
        ms.column("route")[sid] = route_for(ms.column("cls")[sid], p, ms.column("firm")[sid])
        res.last_reported[swho] = m.tick
        if m.grid_workers.n:  # each surfaced matter is logged on the platform (technology: paperwork)
            m.grid_workers.surfaced_today += np.bincount(ms.column("grid")[sid], minlength=m.grid_workers.n)
        for name, n in zip(CLASS_COUNTERS, np.bincount(ms.column("cls")[sid], minlength=3).tolist(), strict=True):
            m.count(name, n)
