"""Trust, belonging and satisfaction follow experience (weekly update).

Events move attitudes at once where they happen (a resolved matter, a visit,
a mediation, an escalation: see those modules). Once a week every resident's
satisfaction, belonging and trust also move a step towards what their
surroundings justify: the firm's service effort in the estate, norm breaches
in the building, their own overdue matters, their own and their neighbours'
participation, how long they have lived here, and whether non-locals are
included on committees (seed 003 §1; seed 000 §4.3.2).
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import T_FIRM, T_GRID, T_PARTY, T_RC
from sim.mechanisms.base import Mechanism

WEEK = 7
INTEGRATION_YEARS = 5.0  # years for a newcomer to feel fully at home (assumption)


class Attitudes(Mechanism):
    """Weekly drift of satisfaction, belonging and trust."""

    name = "attitudes"

    @override
    def step(self) -> None:
        m = self.model
        if m.tick % WEEK != 0:
            return
        p, res = m.p, m.residents
        k = np.float32(1 - (1 - p["attitude_rate"]) ** WEEK)
        active = (res.last_active > m.tick - p["activity_window"]).astype(np.float32)
        overdue = self._overdue_flags()
        breach = m.breaches_by_building / np.maximum(m.index.b_count, 1) / WEEK
        m.breaches_by_building[:] = 0
        effort = m.firms.effort[res.estate]
        sat_target = (
            0.3
            + 0.35 * effort
            + 0.15 * res.trust[:, T_RC]
            + 0.1 * active
            - 0.25 * overdue
            - np.minimum(0.3, 40.0 * breach[res.building])
        )
        res.satisfaction += k * (np.clip(sat_target, 0, 1) - res.satisfaction)
        tenure = np.minimum(1.0, (m.tick - res.arrived) / (365.0 * INTEGRATION_YEARS))
        tenure[res.arrived == 0] = 1.0
        excluded = res.migrant & (not p["inclusion"])
        bel_target = (
            0.2
            + 0.2 * active
            + 0.2 * m.building_activity[res.building]
            + 0.1 * res.owner
            + 0.2 * tenure
            - 0.12 * excluded
            + 0.1 * res.satisfaction
        )
        res.belonging += k * (np.clip(bel_target, 0, 1) - res.belonging)
        for col in (T_PARTY, T_RC):
            res.trust[:, col] += 0.5 * k * (0.2 + 0.6 * res.satisfaction - res.trust[:, col])
        res.trust[:, T_FIRM] += k * (effort - res.trust[:, T_FIRM])
        visit = m.grid_workers.visit_share(p["grid_visits_per_day"], p["paperwork_share"]) if p["grid_walks"] else 0.0
        grid_target = 0.3 + 0.5 * np.minimum(1.0, np.asarray(visit) * 30)
        target = grid_target[res.grid] if np.ndim(grid_target) else grid_target
        res.trust[:, T_GRID] += 0.5 * k * (target - res.trust[:, T_GRID])
        np.clip(res.trust, 0, 1, out=res.trust)
        m.building_cohesion = np.bincount(
            res.building, weights=res.belonging, minlength=m.struct.n_buildings
        ) / np.maximum(m.index.b_count, 1)

    def _overdue_flags(self) -> np.ndarray:
        m, ms = self.model, self.model.matters
        ids = ms.open_ids
        late = ids[m.tick - ms.column("raised")[ids] > m.p["patience_days"]]
        flags = np.zeros(m.residents.n, np.float32)
        flags[ms.column("resident")[late]] = 1.0
        return flags
