"""Mediation (seed 002 §2, the "Fengqiao experience").

Capable residents, organisation heads and respected old Party members settle
disputes inside the community before they escalate. Mediators take the oldest
open disputes up to their daily capacity; each mediation succeeds with a
chance (field figures: 61% of property cases in Nanjing ended in mediation or
withdrawal).
"""

from __future__ import annotations

from typing import override

from sim.agents.resident import T_PARTY
from sim.mechanisms.base import Mechanism
from sim.mechanisms.disputes import MEDIATED, close_disputes
from sim.store import take_capacity

CASES_PER_MEDIATOR = 0.1  # disputes a mediator takes up per day (assumption)


class Mediation(Mechanism):
    """Mediators settle open disputes."""

    name = "mediation"

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
        cap = p["mediators_per_1000"] * m.community_sizes / 1000 * CASES_PER_MEDIATOR
        taken = ids[take_capacity(self.rng, ds.column("community")[ids], ds.column("opened")[ids], cap)]
        m.count("mediations", len(taken))
        ok = taken[self.rng.random(len(taken)) < p["mediation_success"]]
        close_disputes(m, ok, MEDIATED)
        m.count("disputes_mediated", len(ok))
        who = ds.column("resident")[ok]
        res.trust[who, T_PARTY] += 0.05 * (1 - res.trust[who, T_PARTY])
        res.belonging[who] += 0.02 * (1 - res.belonging[who])
