"""Government: funds communities, co-funds projects, takes hard matters.

In a district, one government budget is shared by all communities
(seed 003 §1; co-funding share seed 000 §4.1.3).
"""

from __future__ import annotations

import mesa

HARD_CAPACITY = 0.4  # hard matters a day the government settles per community (assumption)


class Government(mesa.Agent):
    """The district or city government above the communities."""

    def __init__(self, model: mesa.Model, budget: float):
        super().__init__(model)
        self.budget = float(budget)  # yuan left this year for co-funding
        self.spent = 0.0
        self.hard_settled = 0

    def hard_capacity(self, data_silos: float) -> float:
        """Hard matters per day per community; data silos slow them down."""
        return HARD_CAPACITY * (1 - 0.6 * data_silos)

    def cofund(self, amount: float) -> bool:
        """Pay ``amount`` if the budget allows; report whether it did."""
        if amount > self.budget:
            return False
        self.budget -= amount
        self.spent += amount
        return True
