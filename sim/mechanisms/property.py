"""Property management: firms' effort, complaints and shared-revenue disputes.

Each month a firm sets its service effort (sim/agents/property_firm.py) given
the chance that shirking is detected (supervision). Low effort produces
complaints, which become matters and sometimes disputes with residents; fee
collection follows residents' trust in the firm (unpaid fees are what most
property lawsuits are about: field figures). Where estates have homeowners'
committees, quarrels over shared revenue from common areas break out, less
often when the accounts are watched (seed 002 §1).
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import T_FIRM
from sim.mechanisms.base import Mechanism
from sim.mechanisms.disputes import FIRM, REVENUE, open_disputes
from sim.mechanisms.matters import SMALL, add_matters
from sim.store import sample_by_group

COMPLAINT_RATE = 0.0004  # complaints per resident per day at zero effort (assumption)


class Property(Mechanism):
    """Firms decide effort monthly, book accounts daily, draw complaints and quarrels."""

    name = "property"

    def __init__(self, model):
        super().__init__(model)
        self.collection = None

    @override
    def step(self) -> None:
        m, p, firms, res = self.model, self.model.p, self.model.firms, self.model.residents
        sup = m.mech["supervision"]
        if m.tick % 30 == 0:
            firms.choose_effort(p["firm_profit_motive"], sup.detection)
            if p["homeowners_committee"]:
                self._revenue_disputes(sup)
        if m.tick % 7 == 1 or self.collection is None:  # fee payers reconsider weekly
            self.collection = 0.5 + 0.5 * m.estate_mean(res.trust[:, T_FIRM])
        firms.daily_accounts(self.collection)
        rate = COMPLAINT_RATE * (1 - firms.effort)
        who = sample_by_group(self.rng, rate, res.estate)
        who = who[res.age[who] != 0]  # children complain through their parents
        if len(who) == 0:
            return
        firms.complaints += np.bincount(res.estate[who], minlength=len(firms.effort))
        m.count("firm_complaints", len(who))
        add_matters(
            m, who, np.full(len(who), SMALL, np.int8), np.zeros(len(who), np.int8), np.zeros(len(who), bool), firm=True
        )
        angry = who[self.rng.random(len(who)) < 0.2 * (1 - res.trust[who, T_FIRM])]
        open_disputes(m, angry, FIRM)
        res.trust[who, T_FIRM] *= 0.97

    def _revenue_disputes(self, sup) -> None:
        m, p = self.model, self.model.p
        watched = 0.5 * p["formal_supervision"] + 0.5 * sup.informative
        chance = p["revenue_dispute_rate"] * (1 - np.clip(watched, 0, 1))
        hit = np.flatnonzero(self.rng.random(len(chance)) < chance)
        if len(hit) == 0:
            return
        m.homeowners.revenue_disputes[hit] += 1
        m.count("revenue_disputes", len(hit))
        # the homeowners' committee chair stands for the estate: first resident of the estate
        reps = np.array([m.estate_range(int(e))[0] for e in hit])
        open_disputes(m, reps, REVENUE)
