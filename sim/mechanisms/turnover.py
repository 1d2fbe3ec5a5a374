"""Population turnover: residents leave and newcomers take their place.

Newcomers arrive with low trust and weak identity (seed 003 §1: Wengdun
receives migrants equal to 20%+ of its residents a year; seed 000 §4.3.2:
weak cultural identity). A leaver is replaced in place (same household and
age group), so residents and households are conserved; the leaver's points
are forfeited.
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import ACTORS, ELDERLY, NEVER
from sim.mechanisms.base import Mechanism
from sim.population import _beta_mean
from sim.store import thin_sample


class Turnover(Mechanism):
    """Replace today's leavers by newcomers."""

    name = "turnover"

    @override
    def active(self, p: dict) -> bool:
        """Runs when anyone moves at all."""
        return p["turnover"] > 0

    @override
    def step(self) -> None:
        m, p, res, rng = self.model, self.model.p, self.model.residents, self.rng
        rate = p["turnover"] / 365.0
        who = thin_sample(rng, rate, res.n, rate)
        k = len(who)
        if k == 0:
            return
        m.count("departures", k)
        m.count("arrivals", k)
        m.count("points_forfeited", float(res.points[who].sum()))
        m.funds.bank_hours_forfeited += float(res.bank_hours[who].sum())
        elderly = res.age[who] == ELDERLY
        res.migrant[who] = rng.random(k) < p["newcomer_migrant_share"]
        res.party[who] = (res.age[who] != 0) & (rng.random(k) < p["share_party"])
        res.capable[who] = False
        res.digital[who] = rng.random(k) < np.where(elderly, p["digital_access_elderly"], p["digital_access_others"])
        res.free_time[who] = _beta_mean(rng, np.where(elderly, 0.7, 0.3), k)
        spirit = _beta_mean(rng, p["mean_public_spirit"], k, conc=5.0)
        res.public_spirit[who] = spirit
        res.intrinsic[who] = spirit
        res.reward_sensitivity[who] = _beta_mean(rng, 0.5, k, conc=4.0)
        res.status_seeking[who] = _beta_mean(rng, 0.4, k, conc=4.0)
        res.skill[who] = _beta_mean(rng, 0.3, k, conc=5.0)
        start = p["newcomer_trust"]
        res.trust[who] = np.clip(start + rng.normal(0, 0.08, (k, len(ACTORS))), 0, 1)
        res.belonging[who] = np.clip(start + rng.normal(0, 0.08, k), 0, 1)
        res.satisfaction[who] = 0.5
        res.points[who] = 0.0
        res.bank_hours[who] = 0.0
        res.activities[who] = 0
        res.volunteer[who] = False
        for name in ("last_active", "last_reported", "last_breach", "last_dispute",
                     "last_visited", "last_redeemed"):
            getattr(res, name)[who] = NEVER
        res.arrived[who] = m.tick
        m.regroup(who)
