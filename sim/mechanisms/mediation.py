"""Mediation (seed 002 §2, the "Fengqiao experience").

Capable residents (社区能人) and respected old Party members settle disputes
inside the community before they escalate. The number of active mediators is
``mediators_per_1000`` per 1,000 residents, but never more than the community
has such people (refreshed weekly). Mediators take the oldest open disputes up
to their daily capacity; each mediation succeeds with a chance
(field figures: 61% of property cases in Nanjing ended in mediation or
withdrawal) scaled by the mediators' mean skill relative to an average pool.
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import ELDERLY, T_PARTY
from sim.mechanisms.base import Mechanism
from sim.mechanisms.disputes import MEDIATED, close_disputes
from sim.store import take_capacity

CASES_PER_MEDIATOR = 0.1  # disputes a mediator takes up per day (assumption)
REFERENCE_SKILL = 0.3  # mean resident skill: mediators this skilled succeed at mediation_success (assumption)


class Mediation(Mechanism):
    """Mediators settle open disputes."""

    name = "mediation"

    def __init__(self, model):
        super().__init__(model)
        self._pool_week = -1
        self.pool_size = np.zeros(model.struct.n_communities)
        self.skill_factor = np.ones(model.struct.n_communities)

    def _refresh_pool(self) -> None:
        m, res = self.model, self.model.residents
        week = m.tick // 7
        if week == self._pool_week:
            return
        self._pool_week = week
        pool = res.capable | (res.party & (res.age == ELDERLY))
        C = m.struct.n_communities
        self.pool_size = np.bincount(res.community, weights=pool, minlength=C)
        skill = np.bincount(res.community, weights=pool * res.skill, minlength=C) / np.maximum(self.pool_size, 1)
        self.skill_factor = np.clip(skill / REFERENCE_SKILL, 0.5, 1.5)

    @override
    def active(self, p: dict) -> bool:
        """Runs only with mediation switched on."""
        return bool(p["mediation"]) and p["mediators_per_1000"] > 0

    @override
    def step(self) -> None:
        m, p, ds, res = self.model, self.model.p, self.model.disputes, self.model.residents
        ids = ds.open_ids
        if len(ids) == 0:
            return
        self._refresh_pool()
        mediators = np.minimum(p["mediators_per_1000"] * m.community_sizes / 1000, self.pool_size)
        cap = mediators * CASES_PER_MEDIATOR
        taken = ids[take_capacity(self.rng, ds.column("community")[ids], ds.column("opened")[ids], cap)]
        m.count("mediations", len(taken))
        chance = np.minimum(1.0, p["mediation_success"] * self.skill_factor[ds.column("community")[taken]])
        ok = taken[self.rng.random(len(taken)) < chance]
        close_disputes(m, ok, MEDIATED)
        m.count("disputes_mediated", len(ok))
        who = ds.column("resident")[ok]
        res.trust[who, T_PARTY] += 0.05 * (1 - res.trust[who, T_PARTY])
        res.belonging[who] += 0.02 * (1 - res.belonging[who])
