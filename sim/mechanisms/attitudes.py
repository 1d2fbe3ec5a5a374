"""Trust, belonging and satisfaction follow experience (daily drift, weekly targets).

Events move attitudes at once where they happen (a resolved matter, a visit,
a mediation, an escalation: see those modules). Every day every resident's
satisfaction, belonging and trust also move a share ``attitude_rate`` of the
way towards what their surroundings justify. The targets (the costly part) are
re-assessed once a week from: the firm's service effort in the estate, norm breaches
in the building, their own overdue matters, their own and their neighbours'
participation, how long they have lived here, and whether non-locals are
included on committees (seed 003 §1; seed 000 §4.3.2). Moving daily towards a
target held for the week gives the same drift over a week as the former single
weekly step of ``1 − (1 − attitude_rate)^7`` (exactly, for a fixed target), but
without the weekly sawtooth in satisfaction, belonging and trust (issue 10 item 6).
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import T_FIRM, T_GRID, T_PARTY, T_RC
from sim.calendar import DAYS_PER_MONTH, is_week_start
from sim.mechanisms.base import A, Mechanism, Param, coef, param, toward

# the mechanism's scenario parameters: levers, sourced values and uncertainties (section [attitudes])
CORE_PARAMS: tuple[Param, ...] = (
    param(
        "attitude_rate",
        "attitudes",
        0.02,
        "float",
        "daily speed at which trust, belonging and satisfaction follow experience",
        A,
        "1/day",
        0.0,
        1.0,
        zh="态度变化速度",
    ),
    param(
        "initial_trust",
        "attitudes",
        0.5,
        "float",
        "mean initial trust of long-standing residents in each actor",
        A,
        "",
        0.0,
        1.0,
        zh="初始信任",
    ),
    param(
        "newcomer_trust",
        "attitudes",
        0.3,
        "float",
        "initial trust and belonging of newcomers",
        "seed 003 §1(三); seed 000 §4.3.2 (weak identity of newcomers); value assumption",
        "",
        0.0,
        1.0,
        zh="新居民初始信任",
    ),
    param(
        "privacy_trust_cost",
        "attitudes",
        0.002,
        "float",
        "daily trust lost per unit of data intensity",
        "seed 004 §3(一) (privacy intrusions displease residents); value assumption",
        "1/day",
        0.0,
        0.1,
        zh="隐私侵扰信任损失",
    ),
)


def _c(name, default, meaning, zh, lo=0.0, hi=1.0, plausible=None, unit=""):
    return coef("attitudes", name, default, meaning, zh, lo, hi, plausible, unit)


# The weekly targets are linear in what residents experience; every weight is an
# assumption (no seed gives one), so each carries a plausible range for uncertainty analysis.
PARAMS = (
    _c("sat_base", 0.3, "satisfaction target with no service, trust or activity", "满意度基准", plausible=(0.2, 0.4)),
    _c(
        "sat_w_effort",
        0.35,
        "weight of the firm's service effort in the satisfaction target",
        "满意度: 物业努力权重",
        plausible=(0.2, 0.5),
    ),
    _c(
        "sat_w_trust",
        0.15,
        "weight of trust in the residents' committee in the satisfaction target",
        "满意度: 居委会信任权重",
        plausible=(0.05, 0.25),
    ),
    _c("sat_w_active", 0.1, "satisfaction gained by taking part", "满意度: 参与权重", plausible=(0.05, 0.2)),
    _c(
        "sat_w_overdue",
        0.25,
        "satisfaction lost while one's own matter is overdue",
        "满意度: 事项逾期扣减",
        plausible=(0.1, 0.4),
    ),
    _c(
        "sat_breach_cap",
        0.3,
        "largest satisfaction loss from neighbours' norm breaches",
        "满意度: 违规扣减上限",
        plausible=(0.15, 0.45),
    ),
    _c(
        "sat_w_breach",
        40.0,
        "satisfaction lost per daily breach per resident of the building",
        "满意度: 违规权重",
        hi=200.0,
        plausible=(20.0, 60.0),
    ),
    _c("bel_base", 0.2, "belonging target of a newcomer who does nothing", "归属感基准", plausible=(0.1, 0.3)),
    _c("bel_w_active", 0.2, "belonging gained by taking part", "归属感: 参与权重", plausible=(0.1, 0.3)),
    _c(
        "bel_w_neighbours",
        0.2,
        "belonging gained from active neighbours in the building",
        "归属感: 邻里活跃权重",
        plausible=(0.1, 0.3),
    ),
    _c("bel_w_owner", 0.1, "belonging gained by owning one's home", "归属感: 业主权重", plausible=(0.05, 0.2)),
    _c(
        "bel_w_tenure",
        0.2,
        "belonging gained by full integration (years of residence)",
        "归属感: 居住年限权重",
        plausible=(0.1, 0.3),
    ),
    _c(
        "bel_w_excluded",
        0.12,
        "belonging lost by migrants kept off committees",
        "归属感: 排斥扣减",
        plausible=(0.05, 0.2),
    ),
    _c(
        "bel_w_satisfaction",
        0.1,
        "belonging gained per unit of satisfaction",
        "归属感: 满意度权重",
        plausible=(0.05, 0.2),
    ),
    _c(
        "integration_days",
        1825.0,
        "days for a newcomer to feel fully at home (five years)",
        "融入所需天数",
        lo=30.0,
        hi=10950.0,
        plausible=(730.0, 3650.0),
        unit="days",
    ),
    _c(
        "trust_rate_share",
        0.5,
        "speed of trust in Party and committee, as a share of the attitude rate",
        "信任调整速度比例",
        plausible=(0.25, 1.0),
    ),
    _c(
        "trust_base",
        0.2,
        "trust target in Party and committee of a wholly dissatisfied resident",
        "信任基准",
        plausible=(0.1, 0.3),
    ),
    _c(
        "trust_w_satisfaction",
        0.6,
        "trust target gained per unit of satisfaction",
        "信任: 满意度权重",
        plausible=(0.4, 0.8),
    ),
    _c("grid_trust_base", 0.3, "trust target in grid workers nobody visits", "网格员信任基准", plausible=(0.2, 0.4)),
    _c(
        "grid_trust_w_visits",
        0.5,
        "trust target in grid workers gained by monthly visits to every household",
        "网格员信任: 走访权重",
        plausible=(0.3, 0.7),
    ),
)


class Attitudes(Mechanism):
    """Daily drift of satisfaction, belonging and trust towards weekly-assessed targets."""

    name = "attitudes"
    params = CORE_PARAMS + PARAMS
    # breaches_by_building (norms) and building_activity (model, after participation) are read here
    after = ("norms", "participation", "property")

    def __init__(self, model):
        super().__init__(model)
        self._targets: dict[str, np.ndarray] | None = None
        self._assessed = 0  # day of the last assessment

    @override
    def step(self) -> None:
        m = self.model
        if self._targets is None or is_week_start(m.tick):
            self._targets = self._assess()
        p, res, tg = m.p, m.residents, self._targets
        # one day's share of the way; seven of them equal the former weekly step 1 − (1 − rate)^7
        k = np.float32(p["attitude_rate"])
        toward(res.satisfaction, k, tg["sat"], inplace=True)
        toward(res.belonging, k, tg["bel"], inplace=True)
        kt = np.float32(p["trust_rate_share"] * k)
        # trust is stored column by column (population.py), so each actor's column updates in place
        for col in (T_PARTY, T_RC):
            toward(res.trust[:, col], kt, tg["trust"], inplace=True)
        toward(res.trust[:, T_FIRM], k, tg["firm"], inplace=True)
        toward(res.trust[:, T_GRID], kt, tg["grid"], inplace=True)
        # residents are stored building by building: a segmented sum per building
        m.building_cohesion = np.add.reduceat(res.belonging, m.index.b_start, dtype=np.float64) / np.maximum(
            m.index.b_count, 1
        )

    def _assess(self) -> dict[str, np.ndarray]:
        """This week's targets of every resident's satisfaction, belonging and trust."""
        m = self.model
        p, res = m.p, m.residents
        active = (res.last_active > m.tick - p["activity_window"]).astype(np.float32)
        overdue = self._overdue_flags()
        # breaches booked since the last assessment, per resident of the building and day
        days = max(m.tick - self._assessed, 1)
        self._assessed = m.tick
        breach = m.breaches_by_building / np.maximum(m.index.b_count, 1) / days
        m.breaches_by_building[:] = 0
        effort = m.spread(m.firms.effort, "estate")
        sat_target = (
            p["sat_base"]
            + p["sat_w_effort"] * effort
            + p["sat_w_trust"] * res.trust[:, T_RC]
            + p["sat_w_active"] * active
            - p["sat_w_overdue"] * overdue
            - np.minimum(p["sat_breach_cap"], p["sat_w_breach"] * m.spread(breach, "building"))
        )
        tenure = np.minimum(1.0, (m.tick - res.arrived) / p["integration_days"])
        tenure[res.arrived == 0] = 1.0
        excluded = res.migrant & (not p["inclusion"])
        bel_target = (
            p["bel_base"]
            + p["bel_w_active"] * active
            + p["bel_w_neighbours"] * m.spread(m.building_activity, "building")
            + p["bel_w_owner"] * res.owner
            + p["bel_w_tenure"] * tenure
            - p["bel_w_excluded"] * excluded
            + p["bel_w_satisfaction"] * res.satisfaction
        )
        trust_target = p["trust_base"] + p["trust_w_satisfaction"] * res.satisfaction
        visit = m.grid_workers.visit_share(p["grid_visits_per_day"], p["work_hours"]) if p["grid_walks"] else 0.0
        grid_target = p["grid_trust_base"] + p["grid_trust_w_visits"] * np.minimum(
            1.0, np.asarray(visit) * DAYS_PER_MONTH
        )
        grid = m.spread(grid_target, "grid") if np.ndim(grid_target) else np.full(res.n, grid_target)
        f32 = np.float32
        return {
            "sat": np.clip(sat_target, 0, 1).astype(f32),
            "bel": np.clip(bel_target, 0, 1).astype(f32),
            "trust": np.clip(trust_target, 0, 1).astype(f32),
            "firm": np.clip(effort, 0, 1).astype(f32),
            "grid": np.clip(grid, 0, 1).astype(f32),
        }

    def _overdue_flags(self) -> np.ndarray:
        m, ms = self.model, self.model.matters
        ids = ms.open_ids
        late = ids[m.tick - ms.column("raised")[ids] > m.p["patience_days"]]
        flags = np.zeros(m.residents.n, np.float32)
        flags[ms.column("resident")[late]] = 1.0
        return flags
