"""Party members' duties: home visits and mobilisation (seed 000 §5.1; seed 001 §2).

Each active Party member visits households in their building every week
("visit at least 5 households a week"). A visit surfaces the household's
matters (channels module), raises trust in the Party committee and belonging,
and mobilises the visited to take part for a while (participation module:
"Party members lead the masses, neighbours lead neighbours").
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.party_member import active_members, visit_households
from sim.agents.resident import NEVER, T_PARTY
from sim.calendar import week_of
from sim.mechanisms.base import Mechanism, ModelLike, Outcome, Param, State, coef, param, toward

# the mechanism's scenario parameters: levers, sourced values and uncertainties (section [party])
CORE_PARAMS: tuple[Param, ...] = (
    param(
        "home_visits_per_week",
        "party",
        0.0,
        "float",
        "households each Party member visits per week",
        "seed 000 §5.1 (at least 5 households a week)",
        "households/week",
        0.0,
        50.0,
        lever=True,
        zh="党员每周入户数",
    ),
    param(
        "party_responsibility_zones",
        "party",
        False,
        "bool",
        "Party members hold responsibility zones in grids and lead building listening (党员责任区)",
        "seed 000 §5.5.5 (党员责任区); seed 002 §2 二是 (building Party leaders listen)",
        lever=True,
        zh="党员责任区",
    ),
    param(
        "party_duty_boost",
        "party",
        1.0,
        "float",
        "extra participation log-odds of Party members (duty and standing)",
        "seed 001 §2 二是 (党员带群众); value assumption",
        "logit",
        0.0,
        10.0,
        zh="党员责任加成",
    ),
    param(
        "dispatched_cadres",
        "party",
        0,
        "int",
        "cadres dispatched down to the community (下沉干部), who take hard matters",
        "seed 002 §2 一是, 二是 (下沉干部 take hard matters); count assumption",
        "cadres",
        0,
        500,
        lever=True,
        zh="下沉干部数",
    ),
    param(
        "mobile_party_branch",
        "party",
        False,
        "bool",
        "mobile Party branch that organises migrant Party members",
        "seed 001 §1 一是 (流动党支部)",
        lever=True,
        zh="流动党支部",
    ),
)


PARAMS = (
    coef(
        "party",
        "visit_trust_gain",
        0.03,
        "step of a visited household's trust in the Party organisation towards 1",
        "入户走访的党组织信任增益",
        0.0,
        1.0,
        (0.01, 0.06),
    ),
    coef(
        "party",
        "visit_belonging_gain",
        0.01,
        "step of a visited household's belonging towards 1",
        "入户走访的归属感增益",
        0.0,
        1.0,
        (0.0, 0.03),
    ),
)


# the outcomes this mechanism defines (columns of results())
OUTCOMES = (
    Outcome(
        "home_visits",
        "residents reached by Party members' home visits today",
        "residents",
        "Home visits today",
        "当日党员入户走访人数",
        "flow",
        "higher",
        counter="home_visits",
    ),
)


class PartyDuties(Mechanism):
    """Today's home visits."""

    name = "party"
    outcomes = OUTCOMES
    params = CORE_PARAMS + PARAMS
    states = (State("last_visited", np.int32, NEVER, "day of the last Party member's home visit"),)
    counters = ("home_visits",)

    def __init__(self, model: ModelLike):
        super().__init__(model)
        self._members, self._members_key = None, None

    @override
    def active(self, p: dict) -> bool:
        """Runs when members visit households."""
        return p["home_visits_per_week"] > 0

    @override
    def step(self) -> None:
        m, p, res = self.model, self.model.p, self.model.residents
        key = (week_of(m.tick), p["mobile_party_branch"])
        if key != self._members_key:  # membership changes only through turnover: refresh weekly
            self._members, self._members_key = active_members(res, p["mobile_party_branch"]), key
        members = self._members
        visited = visit_households(self.rng, res, members, p["home_visits_per_week"], m.index)
        if len(visited) == 0:
            return
        res.last_visited[visited] = m.tick
        m.count("home_visits", len(visited))
        res.trust[visited, T_PARTY] = toward(res.trust[visited, T_PARTY], p["visit_trust_gain"])
        res.belonging[visited] = toward(res.belonging[visited], p["visit_belonging_gain"])
