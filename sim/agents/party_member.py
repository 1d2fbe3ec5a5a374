"""Party members: a role on residents with extra duties and standing.

Duties (seed 000 §5.1; seed 001 §1–§2; seed 002 §2): weekly home visits,
responsibility zones in grids (building listening), leading organisations,
mediating disputes and mobilising others. Kinds: members registered where
they live, dispatched cadres (counted apart, as a capacity for hard matters)
and migrant members reached by a mobile Party branch.
"""

from __future__ import annotations

import numpy as np

from sim.agents.resident import ResidentView
from sim.arrays import unique_ints
from sim.calendar import DAYS_PER_WEEK


def active_members(res, mobile_branch: bool) -> np.ndarray:
    """Ids of Party members who take up local duties.

    Migrant members count only when a mobile Party branch organises them
    (seed 001 §1).
    """
    mask = res.party if mobile_branch else res.party & ~res.migrant
    return np.flatnonzero(mask)


def visit_households(rng: np.random.Generator, res, members: np.ndarray, visits_per_week: float, index) -> np.ndarray:
    """Residents of households visited today, each member visiting in their own building.

    ``index`` is the model's ``Index`` of contiguous resident ranges per building
    and household (residents are stored grouped by building and household).
    """
    if visits_per_week <= 0 or len(members) == 0:
        return np.empty(0, np.int64)
    n_visits = rng.poisson(visits_per_week / DAYS_PER_WEEK, len(members))
    visitors = np.repeat(members, n_visits)
    if len(visitors) == 0:
        return visitors
    b = res.building[visitors]
    picked = index.b_start[b] + (rng.random(len(visitors)) * index.b_count[b]).astype(np.int64)
    return index.members(unique_ints(res.household[picked]))


class PartyMemberView(ResidentView):
    """A resident who is a Party member, with the duties that role carries."""

    def __init__(self, model, rid: int):
        super().__init__(model, rid)
        if not model.residents.party[rid]:
            raise ValueError(f"resident {rid} is not a Party member")

    @property
    def duties(self) -> list[str]:
        """Duties switched on in the current scenario."""
        p = self.model.p
        out = []
        if p["home_visits_per_week"] > 0:
            out.append(f"visit {p['home_visits_per_week']:g} households a week")
        if p["party_responsibility_zones"]:
            out.append("hold a responsibility zone and listen in the building")
        if p["mediation"] and self.age == 2:
            out.append("mediate disputes (respected old member)")
        out.append("mobilise neighbours")
        return out
