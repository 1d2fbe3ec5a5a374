"""Property-management firms (物业公司): one per estate.

Market actors: they collect fees, choose a service effort, answer complaints
and quarrel with homeowners' committees over shared revenue. Each month a
firm sets its effort below the governance target by an amount that grows with
its profit motive and shrinks with the chance that shirking is detected
(seed 002 §1 "profit over governance"; seed 000 §4.1.3 weak supervision).
"""

from __future__ import annotations

import numpy as np

from sim.agents._view import ArrayRowAgent

EFFORT_TARGET = 0.9  # service effort residents expect (assumption)
MAX_SHIRK = 0.6  # effort a profit-only firm cuts when never detected (assumption)
COST_SHARE = 0.85  # share of fee income that full effort costs (assumption)


class PropertyFirms:
    """Array state of all firms; row = estate."""

    def __init__(self, n_estates: int, households: np.ndarray, fee: float):
        self.households = households.astype(np.float64)
        self.effort = np.full(n_estates, 0.75)
        self.profit = np.zeros(n_estates)
        self.detected = np.zeros(n_estates, bool)
        self.complaints = np.zeros(n_estates, np.int64)
        self.fee = fee

    @property
    def shirking(self) -> np.ndarray:
        """Effort withheld below the governance target (0 = none)."""
        return np.clip(EFFORT_TARGET - self.effort, 0, 1)

    def choose_effort(self, profit_motive: float, detection: np.ndarray) -> None:
        """Monthly effort decision: move towards the myopically best effort."""
        best = EFFORT_TARGET - MAX_SHIRK * profit_motive * (1 - detection)
        self.effort += 0.4 * (np.clip(best, 0.05, 1.0) - self.effort)

    def daily_accounts(self, collection_rate: np.ndarray) -> None:
        """Book one day of fee income and service cost."""
        income = self.fee * self.households * collection_rate * 12 / 365
        cost = self.fee * self.households * COST_SHARE * self.effort * 12 / 365
        self.profit += income - cost


class PropertyFirm(ArrayRowAgent):
    """The firm managing one estate (a view of row ``index`` of ``model.firms``)."""

    table_name = "firms"
