"""Consultation and deliberation (协商议事).

Meetings sit on a cadence (weekly 周周议, the 4th/14th/24th 逢四说事, monthly,
quarterly: seed 002 §2, seed 000 §5.1) with 1+3+N seats (seed 000 §5.5.1):
the Party organisation, the residents' committee, the property firm and a grid
worker, plus N residents. An offline "elders' hall" fills with those who have
time; an online hall with the digitally connected (seed 000 §5.2.2). Each
meeting takes up the problems with most pending complaints (one estate, one
kind) and decides by its rule; agreed problems become projects, which closes
the loop problem → deliberation → handling → implementation (seed 002 §2).
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import ELDERLY, T_PARTY, T_RC
from sim.mechanisms.base import Mechanism
from sim.mechanisms.channels import at_home
from sim.mechanisms.matters import ROUTE_MEETING
from sim.mechanisms.projects import start_project

INSTITUTIONAL_SEATS = 4  # the "1+3": Party organisation, residents' committee, firm, grid worker
AGREE = {"consensus": (0.35, 0.5), "majority": (0.6, 0.3), "leadership": (0.9, 0.0)}
LEGITIMACY = {"consensus": 1.0, "majority": 0.8, "leadership": 0.4}


def is_meeting_day(tick: int, cadence: str) -> bool:
    """Whether a meeting sits on day ``tick`` (months are 30 days)."""
    if cadence == "weekly":
        return tick % 7 == 0
    if cadence == "4-14-24":
        return tick % 30 in (4, 14, 24)
    if cadence == "monthly":
        return tick % 30 == 4
    if cadence == "quarterly":
        return tick % 91 == 4
    return False


class Consultation(Mechanism):
    """Hold meetings on meeting days, decide on agenda problems, launch projects."""

    name = "consultation"

    def __init__(self, model):
        super().__init__(model)
        self._shares: dict[int, tuple[int, np.ndarray]] = {}

    @override
    def active(self, p: dict) -> bool:
        """Meetings sit only when a cadence is set."""
        return p["meeting_cadence"] != "none"

    @override
    def step(self) -> None:
        m, p = self.model, self.model.p
        if not is_meeting_day(m.tick, p["meeting_cadence"]):
            return
        for c in range(m.struct.n_communities):
            self._meet(c)

    def _attendees(self, c: int) -> np.ndarray:
        m, p, res = self.model, self.model.p, self.model.residents
        lo, hi = m.community_slice[c]
        seats = p["resident_seats"]
        if seats == 0:
            return np.empty(0, np.int64)
        mode = p["meeting_mode"]
        ft, dig = res.free_time[lo:hi], res.digital[lo:hi]
        offline, online = at_home(ft) ** 2, dig * 0.8
        reach = {"offline": offline, "online": online, "mixed": np.maximum(offline, online)}[mode]
        w = (reach * (res.intrinsic[lo:hi] + res.belonging[lo:hi]) * res.adult[lo:hi]).astype(np.float64)
        total = w.sum()
        if total <= 0:
            return np.empty(0, np.int64)
        k = min(seats, int((w > 0).sum()))
        return lo + self.rng.choice(hi - lo, size=k, replace=False, p=w / total)

    def _population_shares(self, c: int) -> np.ndarray:
        """Shares of elderly, migrants and renters among adults; refreshed monthly (turnover is slow)."""
        month = self.model.tick // 30
        cached = self._shares.get(c)
        if cached is None or cached[0] != month:
            m, res = self.model, self.model.residents
            lo, hi = m.community_slice[c]
            adult = res.adult[lo:hi]
            n = max(int(adult.sum()), 1)
            shares = np.array(
                [
                    np.count_nonzero((res.age[lo:hi] == ELDERLY) & adult) / n,
                    np.count_nonzero(res.migrant[lo:hi] & adult) / n,
                    np.count_nonzero(~res.owner[lo:hi] & adult) / n,
                ]
            )
            cached = self._shares[c] = (month, shares)
        return cached[1]

    def _representativeness(self, att: np.ndarray, c: int) -> float:
        """1 minus the summed gaps between attendees' and adults' shares of three groups."""
        if len(att) == 0:
            return 0.0
        res = self.model.residents
        seated = np.array([(res.age[att] == ELDERLY).mean(), res.migrant[att].mean(), (~res.owner[att]).mean()])
        return float(np.clip(1 - np.abs(seated - self._population_shares(c)).sum(), 0, 1))

    def _meet(self, c: int) -> None:
        m, p, res, ms = self.model, self.model.p, self.model.residents, self.model.matters
        att = self._attendees(c)
        m.committees.meetings[c] += 1
        m.count("meetings", 1)
        m.count("meeting_attendance", len(att) + INSTITUTIONAL_SEATS)
        m.record_activity(att)
        for col in (T_PARTY, T_RC):
            res.trust[att, col] += 0.03 * (1 - res.trust[att, col])
        r = self._representativeness(att, c)
        m.count("meeting_representativeness", r)
        ids = ms.open_ids
        q = ids[
            (ms.column("route")[ids] == ROUTE_MEETING)
            & (ms.column("project")[ids] < 0)
            & (ms.column("community")[ids] == c)
        ]
        if len(q) == 0:
            return
        key = ms.column("estate")[q].astype(np.int64) * 16 + ms.column("kind")[q]
        groups, counts = np.unique(key, return_counts=True)
        order = np.argsort(-counts, kind="stable")[: p["agenda_size"]]
        base, slope = AGREE[p["decision_rule"]]
        legit = LEGITIMACY[p["decision_rule"]] * (0.5 + 0.5 * r)
        for g in groups[order]:
            m.count("agenda_items", 1)
            if self.rng.random() >= base + slope * r:
                continue
            m.count("agenda_agreed", 1)
            start_project(m, q[key == g], c, int(g // 16), legit)
