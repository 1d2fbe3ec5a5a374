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
from sim.calendar import week_of
from sim.mechanisms.base import Mechanism, ModelLike, Outcome, coef, toward
from sim.mechanisms.disputes import MEDIATED, close_disputes
from sim.store import take_capacity


def _c(name, default, meaning, zh, lo=0.0, hi=1.0, plausible=None, unit=""):
    return coef("disputes", name, default, meaning, zh, lo, hi, plausible, unit)


PARAMS = (
    _c(
        "cases_per_mediator",
        0.1,
        "disputes a mediator takes up per day",
        "调解员每日受理纠纷数",
        hi=5.0,
        plausible=(0.05, 0.3),
        unit="1/day",
    ),
    _c(
        "reference_skill",
        0.3,
        "mediator skill at which mediation succeeds at mediation_success (the mean resident skill)",
        "调解参照技能",
        lo=0.01,
        plausible=(0.2, 0.4),
    ),
    _c(
        "skill_factor_min",
        0.5,
        "lowest factor skill can put on the mediation success chance",
        "调解技能系数下限",
        plausible=(0.25, 0.75),
    ),
    _c(
        "skill_factor_max",
        1.5,
        "highest factor skill can put on the mediation success chance",
        "调解技能系数上限",
        lo=1.0,
        hi=3.0,
        plausible=(1.2, 2.0),
    ),
    _c(
        "mediation_trust_gain",
        0.05,
        "step of trust in the Party organisation towards 1 after a successful mediation",
        "调解成功后对党组织信任增益",
        plausible=(0.02, 0.1),
    ),
    _c(
        "mediation_belonging_gain",
        0.02,
        "step of belonging towards 1 after a successful mediation",
        "调解成功后归属感增益",
        plausible=(0.0, 0.05),
    ),
)


# the outcomes this mechanism defines (columns of results())
OUTCOMES = (
    Outcome(
        "disputes_mediated",
        "disputes settled by mediation today",
        "disputes",
        "Disputes mediated today",
        "当日调解成功纠纷",
        "flow",
        "higher",
        counter="disputes_mediated",
    ),
    Outcome(
        "mediated_total",
        "disputes mediated so far",
        "disputes",
        "Disputes mediated so far",
        "累计调解纠纷",
        "cumulative",
        "higher",
        counter="disputes_mediated",
    ),
)


class Mediation(Mechanism):
    """Mediators settle open disputes."""

    name = "mediation"
    outcomes = OUTCOMES
    section = "disputes"
    params = PARAMS
    counters = ("mediations", "disputes_mediated")

    def __init__(self, model: ModelLike):
        super().__init__(model)
        self._pool_week = -1
        self.pool_size = np.zeros(model.struct.n_communities)
        self.skill_factor = np.ones(model.struct.n_communities)

    def _refresh_pool(self) -> None:
        m, res = self.model, self.model.residents
        week = week_of(m.tick)
        if week == self._pool_week:
            return
        self._pool_week = week
        pool = res.capable | (res.party & (res.age == ELDERLY))
        C = m.struct.n_communities
        self.pool_size = np.bincount(res.community, weights=pool, minlength=C)
        skill = np.bincount(res.community, weights=pool * res.skill, minlength=C) / np.maximum(self.pool_size, 1)
        p = m.p
        self.skill_factor = np.clip(skill / p["reference_skill"], p["skill_factor_min"], p["skill_factor_max"])

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
        cap = mediators * p["cases_per_mediator"]
        taken = ids[take_capacity(self.rng, ds.column("community")[ids], ds.column("opened")[ids], cap)]
        m.count("mediations", len(taken))
        chance = np.minimum(1.0, p["mediation_success"] * self.skill_factor[ds.column("community")[taken]])
        ok = taken[self.rng.random(len(taken)) < chance]
        close_disputes(m, ok, MEDIATED)
        m.count("disputes_mediated", len(ok))
        who = ds.column("resident")[ok]
        res.trust[who, T_PARTY] = toward(res.trust[who, T_PARTY], p["mediation_trust_gain"])
        res.belonging[who] = toward(res.belonging[who], p["mediation_belonging_gain"])
