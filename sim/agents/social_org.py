"""Social organisations (社会组织): volunteer teams, professional services, interest groups.

Each has a capacity to settle small matters, a skill (uneven across
organisations, seed 000 §4.2.2), funding, and an internal friction that grows
when resources are short and lowers what it delivers (seed 000 §4.2.1).
"""

from __future__ import annotations

import numpy as np

KINDS = ("volunteer_team", "professional", "interest_group")
FUNDED_DAYS = 30  # organisations start with a month's running costs in hand


class Organisations:
    """Array state of all organisations in all communities.

    Coefficients (running costs by kind, skill floor, friction cap) are declared by the
    organisations mechanism (``sim.mechanisms.organisations.PARAMS``); ``p`` is the
    model's parameter dict, read, never copied.
    """

    def __init__(self, p: dict, n_communities: int, rng: np.random.Generator):
        counts = (p["volunteer_teams"], p["professional_orgs"], p["interest_groups"])
        kind = np.concatenate([np.full(k, i, np.int8) for i, k in enumerate(counts)])
        self.kind = np.tile(kind, n_communities)
        self.community = np.repeat(np.arange(n_communities), len(kind))
        n = len(self.kind)
        self.p = p
        self.skill = np.clip(rng.normal(p["org_skill_mean"], p["org_skill_spread"], n), p["org_skill_floor"], 1.0)
        daily = np.array([p["daily_cost_volunteer"], p["daily_cost_professional"], p["daily_cost_interest"]])
        self.cost = daily[self.kind]
        self.funding = FUNDED_DAYS * self.cost
        self.friction = np.zeros(n)
        self.alive = np.ones(n, bool)  # False once an organisation dropped out (collaboration.py)

    @property
    def n(self) -> int:
        """Number of organisations."""
        return len(self.kind)

    def delivery(self) -> np.ndarray:
        """Effective delivery factor of each organisation (skill × cohesion)."""
        return self.skill * (1 - self.friction)

    def small_matter_capacity(self, per_org: float, n_communities: int) -> np.ndarray:
        """Small matters per day each community's teams and services can settle."""
        serves = self.kind != 2  # interest groups do not take cases
        return np.bincount(self.community, weights=per_org * self.delivery() * serves, minlength=n_communities)

    def run_costs(self, friction_rate: float) -> None:
        """Pay a day's running cost; shortage breeds friction, plenty heals it."""
        self.funding -= self.cost
        short = self.funding < 0
        self.funding = np.maximum(self.funding, 0)
        self.friction = np.clip(
            self.friction + np.where(short, friction_rate, -friction_rate / 2), 0, self.p["friction_cap"]
        )
        if not self.alive.all():
            self.friction[~self.alive] = 1.0  # a dissolved organisation provides nothing

    def dissolve(self, which: np.ndarray) -> None:
        """Organisations ``which`` (a mask) drop out for good: no activities, occasions or cases."""
        self.alive &= ~which
        self.friction[which] = 1.0
