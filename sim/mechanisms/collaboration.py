"""Whether collaboration lasts (seed 002 §4 四是: 「有协同而不持续」).

Seed 002 warns that co-governance without institutional support 「往往陷于“有协同而不持续”
“有协同而无效果”的治理困境」: organisations and partners take part for a while and then
stop. With ``collaboration_dropout`` on, each organisation, and the partners of each
community together (partners.py), hold a *commitment* in [0, 1] (1 at the start) that
follows what they get back for their work, at rate ``commitment_rate`` a day, towards

    w_fund · funded + w_recognition · recognised + w_results · results

- *funded*: an organisation had money for today's running costs (funding.py); for
  partners, the share of their community's organisations that had;
- *recognised*: the community publicly recognises service (awards or an honour roll,
  or points residents believe pay out; incentives.py);
- *results*: what the work achieves: an organisation's delivery (skill × (1 −
  friction)); for partners, the mean delivery of their community's organisations.

An organisation whose commitment falls below ``dropout_below`` drops out for good: it
launches no activities, provides no occasions and settles no matters. While the
partners' commitment in a community is below ``dropout_below``, a share
``partner_dropout_rate`` of its partners give up their role each day and no new
partners are recruited there.

The weights sum to 1; with money for running costs an organisation's commitment
stays at or above ``w_fund``, so none drops out while ``w_fund`` ≥ ``dropout_below``.
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.mechanisms.base import Mechanism, Outcome, Param, coef

SEED = "seed 002 §4 四是"

SWITCH: tuple[Param, ...] = (
    Param(
        "collaboration_dropout",
        "collaboration",
        False,
        "bool",
        "organisations and partners drop out when funding, recognition or results fail",
        f"{SEED} 「往往陷于“有协同而不持续”“有协同而无效果”的治理困境」",
        lever=True,
        label_zh="协同不持续（退出机制）",
        meaning_zh="资金、认可或成效不足时，社会组织和合伙人逐渐退出",
    ),
)


def _c(name, default, meaning, zh, lo=0.0, hi=1.0, plausible=None, unit=""):
    return coef("collaboration", name, default, meaning, zh, lo, hi, plausible, unit)


PARAMS = (
    _c(
        "w_fund",
        0.5,
        "weight of funding in what keeps collaborators committed",
        "持续性: 资金权重",
        plausible=(0.3, 0.6),
    ),
    _c(
        "w_recognition",
        0.2,
        "weight of public recognition in what keeps collaborators committed",
        "持续性: 认可权重",
        plausible=(0.1, 0.35),
    ),
    _c(
        "w_results",
        0.3,
        "weight of results (delivery) in what keeps collaborators committed",
        "持续性: 成效权重",
        plausible=(0.15, 0.45),
    ),
    _c(
        "commitment_rate",
        0.02,
        "daily step of commitment towards what collaborators get back",
        "承诺度日调整率",
        plausible=(0.005, 0.05),
        unit="1/day",
    ),
    _c(
        "dropout_below",
        0.35,
        "commitment below which an organisation drops out and partners start giving up",
        "退出阈值",
        plausible=(0.2, 0.45),
    ),
    _c(
        "partner_dropout_rate",
        0.01,
        "daily share of a community's partners who give up while their commitment is below the threshold",
        "合伙人日退出比例",
        plausible=(0.003, 0.03),
        unit="1/day",
    ),
)

OUTCOMES = (
    Outcome(
        "orgs_dropped_out",
        "organisations that dropped out so far",
        "organisations",
        "Organisations dropped out",
        "累计退出的社会组织",
        "cumulative",
        "lower",
        counter="orgs_dropped_out",
    ),
    Outcome(
        "partners_dropped_out",
        "partners who gave up their role so far",
        "residents",
        "Partners dropped out",
        "累计退出的合伙人",
        "cumulative",
        "lower",
        counter="partners_dropped_out",
    ),
    Outcome(
        "org_commitment",
        "mean commitment of the organisations still active (1 at the start)",
        "",
        "Organisations' commitment",
        "社会组织承诺度",
        "stock",
        "higher",
        compute=lambda m: m.mech["collaboration"].org_commitment_mean() if "collaboration" in m.mech else 1.0,
    ),
)


class Collaboration(Mechanism):
    """Commitment of organisations and partners follows funding, recognition and results; too low, they leave."""

    name = "collaboration"
    params = SWITCH + PARAMS
    outcomes = OUTCOMES
    counters = ("orgs_dropped_out", "partners_dropped_out")
    after = ("funding",)  # today's running costs were paid (or not)
    needs = ("partners", "incentives")

    def __init__(self, model):
        super().__init__(model)
        self.org = np.ones(model.orgs.n)
        self.partner = np.ones(model.struct.n_communities)

    @override
    def active(self, p: dict) -> bool:
        """Runs with drop-out switched on."""
        return bool(p["collaboration_dropout"])

    def recruiting(self, c: int) -> bool:
        """Whether community ``c`` can still recruit partners (their commitment has not failed)."""
        return bool(self.partner[c] >= self.model.p["dropout_below"])

    def org_commitment_mean(self) -> float:
        """Mean commitment of organisations still active."""
        alive = self.model.orgs.alive
        return float(self.org[alive].mean()) if alive.any() else 0.0

    def _recognised(self) -> np.ndarray:
        m, p = self.model, self.model.p
        C = m.struct.n_communities
        if p["awards"] or p["ranking"]:
            return np.ones(C)
        if p["points"]:
            return np.asarray(m.mech["incentives"].redeemable, float)
        return np.zeros(C)

    @override
    def step(self) -> None:
        m, p, orgs = self.model, self.model.p, self.model.orgs
        C = m.struct.n_communities
        recognised = self._recognised()
        rate = p["commitment_rate"]
        if orgs.n:
            alive = orgs.alive
            funded = (orgs.funding > 0) & alive
            result = orgs.delivery() * alive
            target = p["w_fund"] * funded + p["w_recognition"] * recognised[orgs.community] + p["w_results"] * result
            self.org += rate * (target - self.org)
            leave = alive & (self.org < p["dropout_below"])
            if leave.any():
                orgs.dissolve(leave)
                m.count("orgs_dropped_out", int(leave.sum()))
            n_orgs = np.maximum(np.bincount(orgs.community, minlength=C), 1)
            funded_share = np.bincount(orgs.community, weights=funded, minlength=C) / n_orgs
            results = np.bincount(orgs.community, weights=result, minlength=C) / n_orgs
        else:
            funded_share, results = np.zeros(C), np.zeros(C)
        target = p["w_fund"] * funded_share + p["w_recognition"] * recognised + p["w_results"] * results
        self.partner += rate * (target - self.partner)
        if p["partner_roles"]:
            self._partners_leave()

    def _partners_leave(self) -> None:
        m, p, res = self.model, self.model.p, self.model.residents
        failing = self.partner < p["dropout_below"]
        if not failing.any():
            return
        partners = m.mech["partners"]
        ids = np.concatenate(partners.ids())
        ids = ids[failing[res.community[ids]]]
        leave = ids[self.rng.random(len(ids)) < p["partner_dropout_rate"]]
        if len(leave):
            partners.drop(leave)
            m.count("partners_dropped_out", len(leave))
