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
        self.paperwork_hours = np.zeros(len(grid_community))

    @property
    def n(self) -> int:
        """Number of grid workers."""
        return len(self.community)

    def visit_share(self, visits_per_day: int, paperwork_share: float) -> np.ndarray:
        """Share of each grid's households a worker reaches today."""
        reach = visits_per_day * (1 - paperwork_share)
        return np.minimum(1.0, reach / np.maximum(self.households, 1))
