"""Reporting channels: how raised matters surface to those who can act.

Grid walks (网格走访) and building listening (楼栋听访) are face to face: they
reach a resident only when at home, so busy residents are missed. Online
collection (线上集访) reaches only the digitally connected (seed 004 §3: the
digital divide). Mobile reporters (couriers, riders: seed 001 §1) see public
hazards only. A Party member's home visit surfaces the household's matters.
Walking into the committee office is always possible but rare.
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import T_RC
from sim.mechanisms.base import Mechanism
from sim.mechanisms.routing import route_for

CHANNELS = ("office", "grid_walk", "listening", "online", "mobile", "home_visit")


def at_home(free_time: np.ndarray) -> np.ndarray:
    """Chance a resident is found at home by a face-to-face channel."""
    return 0.25 + 0.75 * free_time


class Channels(Mechanism):
    """Surface pending matters through the channels switched on."""

    name = "channels"

    @override
    def step(self) -> None:
        m, p, ms, res = self.model, self.model.p, self.model.matters, self.model.residents
        ids = ms.open_ids[ms.column("surfaced")[ms.open_ids] < 0]
        if len(ids) == 0:
            return
        who = ms.column("resident")[ids]
        home = at_home(res.free_time[who])
        probs = np.zeros((len(CHANNELS), len(ids)))
        probs[0] = p["self_report_rate"] * home
        if p["grid_walks"] and m.grid_workers.n:
            share = m.grid_workers.visit_share(p["grid_visits_per_day"], p["paperwork_share"])
            probs[1] = share[ms.column("grid")[ids]] * home
        if p["building_listening"]:
            zones = 1.0 if p["party_responsibility_zones"] else 0.5
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
        for c, label in enumerate(("small", "major", "hard")):
            m.count(f"surfaced_{label}", int((cls == c).sum()))
