"""Norm breaches (littering, noise, parking, pets) under informal supervision.

Residents break norms more when compliance is inconvenient (seed 000 §4.1.1,
Licheng: after garbage points were cut, residents walked hundreds of metres
and littering rose) and less where acquaintance networks, face and reputation
keep people in line (informal supervision, seed 000 §3.4), which works
through the cohesion of the building. A breach may set neighbours against
each other or prompt a complaint about the environment. A fine for breaches
deters, and may reframe the norm as a price (prices.py).
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.mechanisms.base import Mechanism
from sim.mechanisms.disputes import NEIGHBOUR, open_disputes
from sim.mechanisms.matters import MAJOR, add_matters

REFERENCE_DISTANCE = 50.0  # metres to a garbage point at which breach_rate applies (assumption)
COMPLAINT_CHANCE = 0.1  # chance a breach prompts an environment complaint (assumption)


def inconvenience(distance: float) -> float:
    """Multiplier on breaches from the walk to the nearest garbage point."""
    return (distance / REFERENCE_DISTANCE) ** 0.8


class Norms(Mechanism):
    """Draw today's norm breaches and their consequences."""

    name = "norms"

    @override
    def active(self, p: dict) -> bool:
        """Runs when residents can breach norms at all."""
        return p["breach_rate"] > 0

    @override
    def step(self) -> None:
        m, p, res = self.model, self.model.p, self.model.residents
        prices = m.mech["prices"]
        boost = prices.breach_boost()  # 1.0 unless a fine was ever in force (prices.py)
        pmax = min(1.0, p["breach_rate"] * inconvenience(p["garbage_distance"]) * 1.3 * boost)
        cand = np.unique(self.rng.integers(0, res.n, self.rng.poisson(res.n * pmax)))
        cand = cand[res.age[cand] != 0]
        watch = p["informal_supervision"] * m.building_cohesion[res.building[cand]]
        prob = pmax * (1 - 0.7 * watch) * (1.3 - res.belonging[cand]) / 1.3
        if prices.frame is not None:
            prob = prob / boost * prices.breach_factor(cand)
        who = cand[self.rng.random(len(cand)) < prob / pmax]
        if len(who) == 0:
            return
        prices.fine(who)
        res.last_breach[who] = m.tick
        m.count("norm_breaches", len(who))
        m.breaches_by_building += np.bincount(res.building[who], minlength=m.struct.n_buildings)
        open_disputes(m, who[self.rng.random(len(who)) < p["breach_dispute_rate"]], NEIGHBOUR)
        told = who[self.rng.random(len(who)) < COMPLAINT_CHANCE]
        if len(told):
            b = res.building[told]
            neighbour = m.index.b_start[b] + (self.rng.random(len(b)) * m.index.b_count[b]).astype(np.int64)
            neighbour = neighbour[res.age[neighbour] != 0]  # children complain through their parents
            k = len(neighbour)
            add_matters(m, neighbour, np.full(k, MAJOR, np.int8), np.zeros(k, np.int8), np.ones(k, bool))
