"""Property-management firms (物业公司): one per estate.

Market actors: they collect fees, choose a service effort, answer complaints
and quarrel with homeowners' committees over shared revenue. Each month a
firm sets its effort below the governance target by an amount that grows with
its profit motive and shrinks with the chance that shirking is detected
(seed 002 §1 "profit over governance"; seed 000 §4.1.3 weak supervision).
"""

from __future__ import annotations

import numpy as np

from sim.calendar import DAYS_PER_YEAR

MONTHS_PER_YEAR = 12


class PropertyFirms:
    """Array state of all firms; row = estate.

    ``p`` is the model's parameter dict (read, never copied, so a shock reaches the
    firms); the coefficients are declared by the property mechanism
    (``sim.mechanisms.property.PARAMS``).
    """

    def __init__(self, n_estates: int, households: np.ndarray, fee: float, p: dict):
        self.p = p
        self.households = households.astype(np.float64)
        self.effort = np.full(n_estates, p["initial_effort"])
        self.profit = np.zeros(n_estates)
        self.complaints = np.zeros(n_estates, np.int64)
        self.fee = fee

    @property
    def shirking(self) -> np.ndarray:
        """Effort withheld below the governance target (0 = none)."""
        return np.clip(self.p["effort_target"] - self.effort, 0, 1)

    def choose_effort(self, profit_motive: float, detection: np.ndarray) -> None:
        """Monthly effort decision: move towards the myopically best effort."""
        p = self.p
        best = p["effort_target"] - p["max_shirk"] * profit_motive * (1 - detection)
        self.effort += p["effort_adjust"] * (np.clip(best, p["effort_floor"], 1.0) - self.effort)

    def daily_accounts(self, collection_rate: np.ndarray) -> None:
        """Book one day of fee income and service cost."""
        income = self.fee * self.households * collection_rate * MONTHS_PER_YEAR / DAYS_PER_YEAR
        cost = self.fee * self.households * self.p["cost_share"] * self.effort * MONTHS_PER_YEAR / DAYS_PER_YEAR
        self.profit += income - cost
