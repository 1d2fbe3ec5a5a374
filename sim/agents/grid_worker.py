"""Grid workers (网格员): one per grid, collecting matters face to face.

Their walking time is what is left after paperwork (seed 004 §3: digital
paperwork eats grid workers' time).
"""

from __future__ import annotations

import numpy as np


class GridWorkers:
    """Array state of all grid workers; row = grid."""

    def __init__(self, grid_community: np.ndarray, grid_households: np.ndarray):
        self.community = grid_community
        self.households = grid_households
        self.paperwork_hours = np.zeros(len(grid_community))  # so far
        self.paperwork_today = np.zeros(len(grid_community))  # set by the technology mechanism
        self.surfaced_today = np.zeros(len(grid_community))  # matters surfaced in the grid (platform log)
        self.skill_factor = np.ones(len(grid_community))  # worker skill (capacity mechanism; 1 = reference)

    @property
    def n(self) -> int:
        """Number of grid workers."""
        return len(self.community)

    def visit_share(self, visits_per_day: int, work_hours: float) -> np.ndarray:
        """Share of each grid's households a worker reaches today, with the time paperwork leaves."""
        reach = visits_per_day * (1 - self.paperwork_today / work_hours) * self.skill_factor
        return np.minimum(1.0, reach / np.maximum(self.households, 1))
