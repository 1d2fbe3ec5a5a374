"""Government: funds communities, co-funds projects, takes hard matters.

In a district, one government budget is shared by all communities
(seed 003 §1; co-funding share seed 000 §4.1.3).
"""

from __future__ import annotations

import mesa


class Government(mesa.Agent):
    """The district or city government above the communities.

    Its coefficients (``hard_capacity``, ``silo_slowdown``) are declared by the
    handling mechanism (``sim.mechanisms.routing.PARAMS``).
    """

    def __init__(self, model: mesa.Model, budget: float):
        super().__init__(model)
        self.budget = float(budget)  # yuan left this year for co-funding
        self.hard_settled = 0

    def hard_capacity(self, data_silos: float) -> float:
        """Hard matters per day per community; data silos slow them down."""
        p = self.model.p
        return p["hard_capacity"] * (1 - p["silo_slowdown"] * data_silos)

    def cofund(self, amount: float) -> bool:
        """Pay ``amount`` if the budget allows; report whether it did."""
        if amount > self.budget:
            return False
        self.budget -= amount
        return True
