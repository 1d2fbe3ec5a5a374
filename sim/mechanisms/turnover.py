"""Population turnover: residents leave and newcomers take their place.

Newcomers arrive with low trust and weak identity (seed 003 §1: Wengdun
receives migrants equal to 20%+ of its residents a year; seed 000 §4.3.2:
weak cultural identity). A leaver is replaced in place (same household and
age group), so residents and households are conserved; the leaver's points
are forfeited. Moves are booked weekly (the week's leavers and newcomers
together), which keeps the daily tick cheap. Renters and migrants are more likely to leave (assumption);
newcomers' traits are drawn as for the first residents (population.draw_traits).
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import ACTORS, NEVER
from sim.mechanisms.base import Mechanism
from sim.population import draw_traits
from sim.store import sample_by_group

MOVE_DAYS = 7  # moves are booked once a week: the week's leavers go and newcomers arrive together


class Turnover(Mechanism):
    """Replace today's leavers by newcomers."""

    name = "turnover"

    def __init__(self, model):
        super().__init__(model)
        res = model.residents
        # renters and migrants move twice as often as local owners (assumption)
        self._mobility = (res.migrant.astype(np.int64) + (~res.owner)).astype(np.int64)
        self._class_sizes = np.bincount(self._mobility, minlength=3).astype(float)

    def _rates(self, p: dict) -> np.ndarray:
        """Weekly leaving chance by mobility class (0, 1, 2), averaging 7 · ``turnover``/365."""
        weight = np.array([1.0, 1.5, 2.0])
        share = self._class_sizes / self._class_sizes.sum()
        return MOVE_DAYS * p["turnover"] / 365.0 * weight / float((weight * share).sum())

    @override
    def active(self, p: dict) -> bool:
        """Runs when anyone moves at all."""
        return p["turnover"] > 0

    @override
    def step(self) -> None:
        m, p, res, rng = self.model, self.model.p, self.model.residents, self.rng
        if m.tick % MOVE_DAYS != 0:
            return
        who = sample_by_group(rng, self._rates(p), self._mobility)
        k = len(who)
        if k == 0:
            return
        m.count("departures", k)
        m.count("arrivals", k)
        m.count("points_forfeited", float(res.points[who].sum()))
        m.funds.bank_hours_forfeited += float(res.bank_hours[who].sum())
        res.migrant[who] = rng.random(k) < p["newcomer_migrant_share"]
        traits = draw_traits(p, rng, res.age[who], res.migrant[who], res.owner[who])
        for name, values in traits.items():
            getattr(res, name)[who] = values
        res.intrinsic[who] = traits["public_spirit"]
        res.capable[who] = False
        start = p["newcomer_trust"]
        res.trust[who] = np.clip(start + rng.normal(0, 0.08, (k, len(ACTORS))), 0, 1)
        res.belonging[who] = np.clip(start + rng.normal(0, 0.08, k), 0, 1)
        res.satisfaction[who] = 0.5
        res.points[who] = 0.0
        res.bank_hours[who] = 0.0
        res.activities[who] = 0
        res.volunteer[who] = False
        for name in ("last_active", "last_reported", "last_breach", "last_dispute", "last_visited", "last_redeemed"):
            getattr(res, name)[who] = NEVER
        res.arrived[who] = m.tick
        self._class_sizes -= np.bincount(self._mobility[who], minlength=3)
        self._mobility[who] = res.migrant[who].astype(np.int64) + (~res.owner[who])
        self._class_sizes += np.bincount(self._mobility[who], minlength=3)
        m.regroup(who)
