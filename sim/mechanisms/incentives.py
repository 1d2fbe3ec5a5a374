"""Incentives: points, redemption against a finite budget, ranking, time bank, awards.

Points are earned per activity and redeemed for goods once a resident holds
enough; each redemption costs the community's points budget, and when that
budget is spent redemptions are refused and residents soon stop counting on
points (seed 001 §2, seed 002 §2; field figures for values). While points are
offered, crowding-out erodes intrinsic public spirit towards a lower level and
it does not come back when points are withdrawn (motivation crowding: an
assumption, tested by the validation cases). The time bank stores hours of
service that elderly residents draw on as care; monthly awards ("most
beautiful family") honour the most active residents and their buildings.
Conservation: points issued = redeemed + held + forfeited by leavers.
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import ELDERLY
from sim.mechanisms.base import Mechanism
from sim.store import rank_within

CARE_USE_RATE = 0.02  # daily chance an elderly account holder draws an hour of care (assumption)
AWARDS_PER_1000 = 1.0  # monthly awards per 1,000 residents (assumption)


class Incentives(Mechanism):
    """Issue and redeem points; crowding-out; time bank; awards."""

    name = "incentives"

    def __init__(self, model):
        super().__init__(model)
        self.redeemable = np.ones(model.struct.n_communities)  # residents' belief points pay out

    def reward(self, who: np.ndarray) -> None:
        """Credit points and banked hours for activities of ``who``."""
        m, p, res = self.model, self.model.p, self.model.residents
        if p["points"] and p["points_per_activity"] > 0:
            res.points[who] += p["points_per_activity"]
            m.count("points_issued", p["points_per_activity"] * len(who))
        if p["time_bank"]:
            res.bank_hours[who] = np.minimum(res.bank_hours[who] + 1.0, p["time_bank_cap"])

    @override
    def step(self) -> None:
        p = self.model.p
        if p["points"]:
            self._redeem()
            if p["crowding_out"] and p["points_per_activity"] > 0:
                self._crowd_out()
        if p["time_bank"]:
            self._use_time_bank()
        if p["awards"] and self.model.tick % 30 == 0:
            self._awards()

    def _crowd_out(self) -> None:
        p, res = self.model.p, self.model.residents
        floor = res.public_spirit * (1 - p["crowding_strength"])
        res.intrinsic += p["crowding_rate"] * (np.minimum(floor, res.intrinsic) - res.intrinsic)

    def _redeem(self) -> None:
        m, p, res, f = self.model, self.model.p, self.model.residents, self.model.funds
        thr = p["redeem_threshold"]
        holders = np.flatnonzero(res.points >= thr)
        holders = holders[self.rng.random(len(holders)) < p["redeem_rate"]]
        can_pay = f.points_budget >= thr * p["yuan_per_point"]
        # residents hear whether redemption still works; belief follows within days
        self.redeemable += np.where(can_pay, 0.2 * (1 - self.redeemable), -0.2 * self.redeemable)
        if len(holders) == 0:
            return
        pts = np.floor(res.points[holders] / thr) * thr
        cost = pts * p["yuan_per_point"]
        comm = res.community[holders]
        order = np.argsort(comm, kind="stable")
        csum = np.empty(len(holders))
        sorted_cost = cost[order]
        cum = np.cumsum(sorted_cost)
        start = np.r_[0, np.flatnonzero(np.diff(comm[order])) + 1]
        offset = np.repeat(cum[start] - sorted_cost[start], np.diff(np.r_[start, len(order)]))
        csum[order] = cum - offset
        paid = csum <= f.points_budget[comm] + 1e-9
        m.count("redemptions_refused", int((~paid).sum()))
        who, pts, cost, comm = holders[paid], pts[paid], cost[paid], comm[paid]
        res.points[who] -= pts
        res.last_redeemed[who] = m.tick
        spent = np.bincount(comm, weights=cost, minlength=len(f.points_budget))
        f.points_budget -= spent
        f.outflow["points"] += float(spent.sum())
        m.count("points_redeemed", float(pts.sum()))
        m.count("redemption_cost", float(cost.sum()))

    def _use_time_bank(self) -> None:
        m, res = self.model, self.model.residents
        holders = np.flatnonzero((res.bank_hours >= 1) & (res.age == ELDERLY))
        use = holders[self.rng.random(len(holders)) < CARE_USE_RATE]
        res.bank_hours[use] -= 1.0
        res.satisfaction[use] += 0.05 * (1 - res.satisfaction[use])
        m.count("care_hours_used", len(use))

    def _awards(self) -> None:
        m, res = self.model, self.model.residents
        recent = np.flatnonzero(res.last_active > m.tick - 30)
        if len(recent) == 0:
            return
        comm = res.community[recent]
        k = np.maximum(1, np.round(m.community_sizes * AWARDS_PER_1000 / 1000)).astype(int)
        top = recent[rank_within(comm, -res.activities[recent].astype(np.int64)) < k[comm]]
        m.count("awards", len(top))
        res.belonging[top] += 0.1 * (1 - res.belonging[top])
        res.satisfaction[top] += 0.05 * (1 - res.satisfaction[top])
        # role models: neighbours in the award winner's building feel a little prouder
        b = np.unique(res.building[top])
        counts = m.index.b_count[b]
        nb = np.repeat(m.index.b_start[b] - np.r_[0, np.cumsum(counts)[:-1]], counts) + np.arange(counts.sum())
        res.belonging[nb] += 0.01 * (1 - res.belonging[nb])
