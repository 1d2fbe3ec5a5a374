"""The community's committees: the two committees (两委) and homeowners' committees.

The Party committee and residents' committee (两委) serve the community; the
homeowners' committees (业委会) serve the estates.

The two committees convene meetings and settle matters with a capacity cut by
the administrative work pushed down on them (seed 002 §1). Homeowners'
committees bargain with property firms over shared revenue.
"""

from __future__ import annotations

import numpy as np


class Committees:
    """Array state of the two committees of each community (row = community)."""

    def __init__(self, n_communities: int):
        self.settled = np.zeros(n_communities, np.int64)
        self.meetings = np.zeros(n_communities, np.int64)
        self.skill_factor = np.ones(n_communities)  # staff skill (capacity mechanism; 1 = reference staff)

    def capacity(self, per_day: float, admin_load: float) -> np.ndarray:
        """Matters per day the committees can settle, scaled by their staff's skill."""
        return per_day * (1 - admin_load) * self.skill_factor


class HomeownersCommittees:
    """Array state of homeowners' committees (row = estate)."""

    def __init__(self, n_estates: int):
        self.revenue_disputes = np.zeros(n_estates, np.int64)
