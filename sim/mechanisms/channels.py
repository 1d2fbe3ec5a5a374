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
from sim.mechanisms.base import Mechanism, State, coef
from sim.mechanisms.routing import route_for

CHANNELS = ("office", "grid_walk", "listening", "online", "mobile", "home_visit")
CLASS_NAMES = ("small", "major", "hard")

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
    params = PARAMS
    states = (State("last_reported", np.int32, NEVER, "day a matter of the resident's last surfaced"),)
    counters = tuple(f"surfaced_via_{c}" for c in CHANNELS) + tuple(f"surfaced_{c}" for c in CLASS_NAMES)
    after = ("needs", "party")  # today's matters and today's home visits

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
        if p["grid_walks"] and m.grid_workers.n:
            share = m.grid_workers.visit_share(p["grid_visits_per_day"], p["paperwork_share"])
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
        for k, name in enumerate(CHANNELS):
            m.count(f"surfaced_via_{name}", int((pick == k).sum()))
        ms.column("surfaced")[sid] = m.tick
        ms.column("route")[sid] = route_for(ms.column("cls")[sid], p, ms.column("firm")[sid])
        res.last_reported[swho] = m.tick
        cls = ms.column("cls")[sid]
        for c, label in enumerate(CLASS_NAMES):
            m.count(f"surfaced_{label}", int((cls == c).sum()))
