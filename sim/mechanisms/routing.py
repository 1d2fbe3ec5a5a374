"""Routing and handling of surfaced matters by class (seed 002 §2, 分类处置).

Complaints about property service go to the firm, which settles them in
proportion to its service effort. With routing on, small matters go to
volunteer teams and social organisations, hard ones to dispatched cadres and government; major matters
go to the consultation meeting when meetings sit. With routing off
(government-led), the two committees take everything, forwarding hard
matters upward only after handling them. Each handler serves its oldest
matters first up to its daily capacity; without a responsibility list some
attempts are passed on instead of done.
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import T_FIRM, T_GOV, T_ORGS, T_RC
from sim.mechanisms.base import Mechanism, Outcome, coef
from sim.mechanisms.matters import (
    HARD,
    MAJOR,
    ROUTE_COMMITTEE,
    ROUTE_FIRM,
    ROUTE_HARD,
    ROUTE_MEETING,
    ROUTE_ORGS,
    SMALL,
    resolve,
)
from sim.store import take_capacity


def _c(name, default, meaning, zh, lo=0.0, hi=1.0, plausible=None, unit=""):
    return coef("matters", name, default, meaning, zh, lo, hi, plausible, unit)


PARAMS = (
    _c(
        "cadre_capacity",
        0.08,
        "hard matters a dispatched cadre settles per day",
        "下派干部每日办结难事数",
        hi=5.0,
        plausible=(0.04, 0.16),
        unit="matters/day",
    ),
    _c(
        "firm_capacity",
        1.0,
        "service complaints a firm settles per estate per day at full effort",
        "物业每日处理投诉能力",
        hi=50.0,
        plausible=(0.5, 2.0),
        unit="matters/day",
    ),
    _c(
        "hard_capacity",
        0.4,
        "hard matters a day the government settles per community",
        "政府每日办结难事数",
        hi=20.0,
        plausible=(0.2, 0.8),
        unit="matters/day",
    ),
    _c(
        "silo_slowdown",
        0.6,
        "share of the government's capacity for hard matters lost to fully siloed data",
        "数据孤岛造成的能力损失",
        plausible=(0.3, 0.8),
    ),
)


def route_for(cls: np.ndarray, p: dict, firm: np.ndarray) -> np.ndarray:
    """Handler queue of newly surfaced matters of classes ``cls``.

    Complaints about property service (``firm``) always go to the firm.
    """
    route = np.full(len(cls), ROUTE_COMMITTEE, np.int8)
    if p["routing"]:
        route[cls == SMALL] = ROUTE_ORGS
        route[cls == HARD] = ROUTE_HARD
    if p["meeting_cadence"] != "none":
        route[cls == MAJOR] = ROUTE_MEETING
    route[firm] = ROUTE_FIRM
    return route


# the outcomes this mechanism defines (columns of results())
OUTCOMES = (
    Outcome(
        "buck_passes",
        "handling attempts passed on instead of done so far",
        "attempts",
        "Buck-passing so far",
        "累计推诿次数",
        "cumulative",
        "lower",
        counter="buck_passes",
    ),
)


class Handling(Mechanism):
    """Committees, organisations and government work through their queues."""

    name = "handling"
    outcomes = OUTCOMES
    section = "matters"
    params = PARAMS
    counters = ("buck_passes",)
    after = ("channels", "responsibility")  # today's surfaced matters; who passes the buck

    @override
    def step(self) -> None:
        m, p, ms = self.model, self.model.p, self.model.matters
        ids = ms.open_ids[ms.column("surfaced")[ms.open_ids] >= 0]
        if len(ids) == 0:
            return
        route = ms.column("route")[ids]
        C = m.struct.n_communities
        org_cap = m.orgs.small_matter_capacity(p["org_capacity"], C)
        # organisations that cannot serve send their queue back to the committees
        comm = ms.column("community")[ids]
        stranded = (route == ROUTE_ORGS) & (org_cap[comm] <= 0)
        ms.column("route")[ids[stranded]] = ROUTE_COMMITTEE
        route = np.where(stranded, ROUTE_COMMITTEE, route)
        if p["meeting_cadence"] == "none":  # meetings abolished: their queue returns to the committees
            back = route == ROUTE_MEETING
            ms.column("route")[ids[back]] = ROUTE_COMMITTEE
            route = np.where(back, ROUTE_COMMITTEE, route)
        committee_cap = m.committees.capacity(p["committee_capacity"], p["admin_load"])
        self._serve(ids[route == ROUTE_COMMITTEE], committee_cap, T_RC, forward_hard=True)
        self._serve(ids[route == ROUTE_ORGS], org_cap, T_ORGS)
        hard_cap = p["dispatched_cadres"] * p["cadre_capacity"] + m.government.hard_capacity(p["data_silos"])
        self._serve(ids[route == ROUTE_HARD], np.full(C, hard_cap), T_GOV)
        self._serve(ids[route == ROUTE_FIRM], p["firm_capacity"] * m.firms.effort, T_FIRM, group="estate")

    def _serve(
        self, ids: np.ndarray, capacity: np.ndarray, actor: int, forward_hard: bool = False, group: str = "community"
    ) -> None:
        if len(ids) == 0:
            return
        m, ms = self.model, self.model.matters
        served = take_capacity(self.rng, ms.column(group)[ids], ms.column("surfaced")[ids], capacity)
        ids = ids[served]
        passed = m.mech["responsibility"].passed(len(ids))
        ms.column("passes")[ids[passed]] += 1
        m.count("buck_passes", int(passed.sum()))
        done = ids[~passed]
        if forward_hard:
            hard = ms.column("cls")[done] == HARD
            ms.column("route")[done[hard]] = ROUTE_HARD
            done = done[~hard]
        if actor == T_GOV:
            m.government.hard_settled += len(done)
        elif actor == T_RC:
            m.committees.settled += np.bincount(ms.column("community")[done], minlength=m.struct.n_communities)
        resolve(m, done, actor)
