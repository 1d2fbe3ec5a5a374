"""Micro-grids settle small matters where they arise (seed 000 §2.1.5, §3.3, §5.5.5).

Seed 000 §3.3: grid workers meet residents face to face and solve "small events
inside the micro-grid" (「聚焦在微网格中解决生活中的微小事件」: noise, parking,
litter, stray animals); §2.1.5: grid workers 「调解纠纷」 and 「迅速解决小区现实难题」;
§5.5.5: Party members hold responsibility zones in the grid (「党员以“格”履职」) and
grid staff 「调解居民纠纷」. With the lever on, each grid has a budget of hours a
day: the grid worker's share of the time paperwork leaves (technology module:
paperwork follows from the data demanded and the platform's use, seed 004 §3(二)),
plus the weekly hours of the active Party members living in the grid when they
hold responsibility zones. The budget settles surfaced small matters in the grid
(oldest first) before they reach the committee's queue, then mediates open
neighbour disputes of the grid's residents. Smaller grids mean more workers and
fewer households' forms per worker, so more hours per matter.
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.party_member import active_members
from sim.agents.resident import T_GRID
from sim.calendar import DAYS_PER_WEEK
from sim.mechanisms.base import Mechanism, Outcome, coef, param, toward
from sim.mechanisms.disputes import MEDIATED, NEIGHBOUR, close_disputes
from sim.mechanisms.matters import ROUTE_FIRM, SMALL, resolve
from sim.store import take_capacity

PARAMS = (
    param(
        "micro_grid_settling",
        "microgrid",
        False,
        "bool",
        "grid workers and Party members in their responsibility zones settle small matters and mediate "
        "neighbour disputes on the spot, within the hours paperwork leaves them",
        "seed 000 §3.3 「聚焦在微网格中解决生活中的微小事件」; §2.1.5 「调解纠纷」; §5.5.5 「党员以“格”履职」",
        lever=True,
        zh="网格员与责任区党员就地解决小事、调解纠纷",
    ),
    coef(
        "microgrid",
        "onsite_share",
        0.3,
        "share of a grid worker's non-paperwork hours given to settling and mediating on the spot "
        "(the rest goes to walks, visits and assisting the committee)",
        "网格员现场处置时间占比",
        0.0,
        1.0,
        (0.15, 0.5),
    ),
    coef(
        "microgrid",
        "hours_per_small_matter",
        1.5,
        "hours a grid worker or zone Party member needs to settle one small matter on the spot",
        "现场办结一件小事所需工时",
        0.1,
        24.0,
        (0.5, 3.0),
        "hours",
    ),
    coef(
        "microgrid",
        "hours_per_dispute",
        3.0,
        "hours to mediate one neighbour dispute on the spot",
        "现场调解一起邻里纠纷所需工时",
        0.1,
        48.0,
        (1.5, 6.0),
        "hours",
    ),
    coef(
        "microgrid",
        "zone_hours_per_week",
        1.0,
        "hours a week an active Party member with a responsibility zone gives to settling matters in the grid",
        "责任区党员每周现场处置工时",
        0.0,
        40.0,
        (0.5, 2.0),
        "hours/week",
    ),
    coef(
        "microgrid",
        "onsite_mediation_success",
        0.6,
        "chance an on-the-spot mediation settles the dispute (the others stay open)",
        "现场调解成功率",
        0.0,
        1.0,
        (0.4, 0.8),
    ),
    coef(
        "microgrid",
        "onsite_trust_gain",
        0.05,
        "step of the resident's trust in the grid worker towards 1 when a dispute is settled on the spot",
        "现场调解成功的网格员信任增益",
        0.0,
        1.0,
        (0.02, 0.1),
    ),
)

OUTCOMES = (
    Outcome(
        "small_settled_onsite",
        "small matters settled on the spot in the grid so far",
        "matters",
        "Small matters settled in the grid so far",
        "累计网格内就地解决小事数",
        "cumulative",
        "higher",
        counter="small_settled_onsite",
    ),
    Outcome(
        "disputes_settled_onsite",
        "neighbour disputes mediated on the spot in the grid so far",
        "disputes",
        "Disputes mediated in the grid so far",
        "累计网格内就地调解纠纷数",
        "cumulative",
        "higher",
        counter="disputes_settled_onsite",
    ),
    Outcome(
        "onsite_hours",
        "hours grid staff and zone Party members had today for settling on the spot",
        "hours",
        "On-the-spot hours today",
        "当日网格现场处置工时",
        "flow",
        "higher",
        counter="onsite_hours",
        zero=0.0,
    ),
)


class MicroGrid(Mechanism):
    """Grid staff settle surfaced small matters and neighbour disputes on the spot."""

    name = "microgrid"
    params = PARAMS
    outcomes = OUTCOMES
    counters = ("small_settled_onsite", "disputes_settled_onsite", "onsite_hours")
    # today's paperwork (technology), surfaced matters (channels), active Party members (party);
    # before handling, so matters settled here never reach the committee's queue
    after = ("technology", "party", "channels")

    @override
    def active(self, p: dict) -> bool:
        """Runs only with on-the-spot settling switched on and grid workers in post."""
        return bool(p["micro_grid_settling"]) and self.model.grid_workers.n > 0

    def hours(self) -> np.ndarray:
        """Hours per grid for settling today: the worker's free time share plus zone Party members."""
        m, p = self.model, self.model.p
        gw = m.grid_workers
        # a more skilled worker gets more done in the same hours (capacity mechanism)
        hours = p["onsite_share"] * np.maximum(p["work_hours"] - gw.paperwork_today, 0) * gw.skill_factor
        if p["party_responsibility_zones"]:
            members = active_members(m.residents, p["mobile_party_branch"])
            per_grid = np.bincount(m.residents.grid[members], minlength=gw.n)
            hours = hours + per_grid * p["zone_hours_per_week"] / DAYS_PER_WEEK
        return hours

    @override
    def step(self) -> None:
        m, p, ms = self.model, self.model.p, self.model.matters
        hours = self.hours()
        m.count("onsite_hours", float(hours.sum()))
        ids = ms.open_ids
        ids = ids[(ms.column("surfaced")[ids] >= 0) & (ms.column("cls")[ids] == SMALL)]
        ids = ids[ms.column("route")[ids] != ROUTE_FIRM]  # the firm's complaints are the firm's
        if len(ids):
            grid = ms.column("grid")[ids]
            done = ids[take_capacity(self.rng, grid, ms.column("surfaced")[ids], hours / p["hours_per_small_matter"])]
            hours = hours - np.bincount(ms.column("grid")[done], minlength=len(hours)) * p["hours_per_small_matter"]
            m.count("small_settled_onsite", len(done))
            resolve(m, done, T_GRID)
        self._mediate(np.maximum(hours, 0))

    def _mediate(self, hours: np.ndarray) -> None:
        m, p, ds, res = self.model, self.model.p, self.model.disputes, self.model.residents
        ids = ds.open_ids
        ids = ids[ds.column("kind")[ids] == NEIGHBOUR]
        if len(ids) == 0:
            return
        grid = res.grid[ds.column("resident")[ids]]
        taken = ids[take_capacity(self.rng, grid, ds.column("opened")[ids], hours / p["hours_per_dispute"])]
        ok = taken[self.rng.random(len(taken)) < p["onsite_mediation_success"]]
        close_disputes(m, ok, MEDIATED)
        m.count("disputes_settled_onsite", len(ok))
        who = ds.column("resident")[ok]
        res.trust[who, T_GRID] = toward(res.trust[who, T_GRID], p["onsite_trust_gain"])
