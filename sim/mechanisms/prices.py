"""Prices on civic behaviour: fines for norm breaches, rewards on civic requests.

Putting a price on behaviour that a norm or civic duty used to govern can
backfire (motivation crowding, switched on by ``crowding_out`` as for points):

- **Fines.** With ``breach_fine`` > 0, a breach that is caught (chance
  ``fine_detection``) costs the breaker the fine, paid into the community
  fund. The expected fine deters: it removes a share
  F / (F + ``reward_half_value``) of breaches, F the expected fine. But a
  fine also tells residents that a breach is something one can pay for.
  While a fine is in force and crowding-out is on, every adult's *price
  frame* f moves at ``crowding_rate`` a day towards
  ``crowding_strength``, and it does not move back when the fine is removed:
  the share ``norm_restraint`` of would-be breaches that the moral norm held
  back shrinks to ``norm_restraint`` · (1 − f). A small fine can so raise
  breaches, and removing it does not bring them back down (Gneezy &
  Rustichini 2000, J. Legal Stud. 29(1): late pickups at Haifa day-care
  centres rose from about 8 to 18.5 a week with a fine and stayed at 18.7
  after it was removed).
- **Rewards on civic requests.** With ``request_reward`` > 0, organisations
  offer that much money to residents who accept an invitation to their
  activities (while the community fund can pay). With crowding-out on, a
  paid request is no longer a civic request: the civic part of the chance to
  accept is cut by ``crowding_strength`` at once, and the money adds back
  reward_sensitivity · R / (R + ``reward_half_value``) of the rest (Frey &
  Oberholzer-Gee 1997, AER 87(4): acceptance of a nuclear-waste repository
  fell from 50.8% to 24.6% when compensation was offered). Without
  crowding-out, money only adds.

``crowding_strength`` and ``crowding_rate`` (declared with the incentives
parameters) act only here; points crowd out through ``reward_crowding`` and
``reward_crowding_step``, on the residents who receive them (incentives.py).

The breach factor multiplies the norms module's breach chance; this module
draws only to decide which breaches are caught, and only while a fine is set.
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.mechanisms.base import A, Mechanism, ModelLike, Outcome, Param, param

NO_RESTRAINT_BOOST = 10**6  # breach headroom when norms restrain nothing (r = 1): effectively unbounded


# the mechanism's scenario parameters: levers, sourced values and uncertainties (section [prices])
CORE_PARAMS: tuple[Param, ...] = (
    param(
        "breach_fine",
        "prices",
        0.0,
        "float",
        "fine for a norm breach that is caught (0: no fine); with crowding-out it reframes the norm as a price",
        "Gneezy & Rustichini 2000, J. Legal Stud. 29(1) (a fine for late pickup doubled it); amount assumption",
        "yuan",
        0.0,
        1e5,
        lever=True,
        zh="失范罚款",
    ),
    param(
        "fine_detection",
        "prices",
        0.5,
        "float",
        "chance that a breach is caught and fined",
        A,
        "",
        0.0,
        1.0,
        zh="罚款查处概率",
    ),
    param(
        "norm_restraint",
        "prices",
        0.75,
        "float",
        "share of would-be breaches the moral norm holds back before any price frame",
        "assumption (Gneezy & Rustichini 2000: late pickups 8 → 18.5 a week once priced)",
        "",
        0.0,
        0.99,
        zh="道德规范约束",
    ),
    param(
        "request_reward",
        "prices",
        0.0,
        "float",
        "money offered to residents who accept an organisation's invitation (paid from the community fund)",
        "Frey & Oberholzer-Gee 1997, AER 87(4) (compensation halved acceptance); amount assumption",
        "yuan",
        0.0,
        1e5,
        lever=True,
        zh="应邀参与报酬",
    ),
)


# the outcomes this mechanism defines (columns of results())
OUTCOMES = (
    Outcome(
        "fines",
        "norm breaches fined so far",
        "fines",
        "Fines so far",
        "累计罚款次数",
        "cumulative",
        "neutral",
        counter="fines",
    ),
)


class Prices(Mechanism):
    """Keep the price frame of norms; fine caught breaches; price civic requests."""

    name = "prices"
    outcomes = OUTCOMES
    params = CORE_PARAMS
    counters = ("fines", "fines_paid", "request_rewards", "request_reward_cost")

    def __init__(self, model: ModelLike):
        super().__init__(model)
        self.frame: np.ndarray | None = None  # per resident; None until a fine was ever in force

    @override
    def active(self, p: dict) -> bool:
        """Runs (daily reframing) while a fine is in force."""
        return p["breach_fine"] > 0

    @override
    def step(self) -> None:
        m, p, res = self.model, self.model.p, self.model.residents
        if self.frame is None:
            self.frame = np.zeros(res.n)
        if p["crowding_out"]:
            adult = res.adult
            target = p["crowding_strength"]
            grow = p["crowding_rate"] * np.maximum(target - self.frame, 0.0)
            self.frame += np.where(adult, grow, 0.0)
        # newcomers arrive without the frame
        new = res.arrived == m.tick
        if new.any():
            self.frame[new] = 0.0

    # --- fines (used by norms.py) -----------------------------------------------------
    def _deterrence(self) -> float:
        p = self.model.p
        expected = p["breach_fine"] * p["fine_detection"]
        if expected <= 0:
            return 0.0
        return expected / (expected + p["reward_half_value"])

    def breach_boost(self) -> float:
        """Largest factor by which breaches can exceed the no-fine level (1.0 if fines were never used)."""
        if self.frame is None:
            return 1.0
        r = self.model.p["norm_restraint"]
        return 1.0 / (1.0 - r) if r < 1 else NO_RESTRAINT_BOOST

    def breach_factor(self, ids: np.ndarray) -> np.ndarray:
        """Factor on the breach chance of residents ``ids`` from the price frame and the fine."""
        r = self.model.p["norm_restraint"]
        f = self.frame[ids]
        moral = (1.0 - r * (1.0 - f)) / max(1.0 - r, 1e-6)
        return moral * (1.0 - self._deterrence())

    def fine(self, who: np.ndarray) -> None:
        """Fine the breaches of ``who`` that are caught; the money goes to the community fund."""
        m, p = self.model, self.model.p
        if p["breach_fine"] <= 0 or len(who) == 0:
            return
        caught = who[self.rng.random(len(who)) < p["fine_detection"]]
        if len(caught) == 0:
            return
        paid = np.bincount(m.residents.community[caught], minlength=m.struct.n_communities) * p["breach_fine"]
        m.funds.community += paid
        m.count("fines", len(caught))
        m.count("fines_paid", float(paid.sum()))

    # --- rewards on civic requests (used by organisations.py) ---------------------------
    def request_acceptance(self, civic: np.ndarray, invited: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Chance to accept paid requests, and the mask of invitations that carry the reward.

        ``civic`` is the chance to accept the unpaid request. Invitations carry the reward
        while their community fund can pay it.
        """
        m, p = self.model, self.model.p
        reward = p["request_reward"]
        offered = m.funds.community[m.residents.community[invited]] >= reward
        kept = 1.0 - p["crowding_strength"] if p["crowding_out"] else 1.0
        paid = m.residents.reward_sensitivity[invited] * reward / (reward + p["reward_half_value"])
        accept = 1.0 - (1.0 - kept * civic) * (1.0 - paid)
        return np.where(offered, accept, civic), offered

    def pay_requests(self, joined: np.ndarray) -> None:
        """Pay the reward to residents ``joined`` (each one accepted a paid request)."""
        m, p = self.model, self.model.p
        if len(joined) == 0:
            return
        f = m.funds
        owed = np.bincount(m.residents.community[joined], minlength=m.struct.n_communities) * p["request_reward"]
        paid = np.minimum(owed, f.community)
        f.community -= paid
        m.count("request_rewards", len(joined))
        m.count("request_reward_cost", float(paid.sum()))
