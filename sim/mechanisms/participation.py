"""Residents' daily choice to take part in community activities.

Each adult joins an activity on a given day with a logistic chance built from
intrinsic public spirit (after any crowding-out), belonging, trust in the
community's organisers, free time, the material reward on offer (points, time
bank) weighted by reward sensitivity, status from a public ranking, the share
of building neighbours recently active ("neighbours lead neighbours",
seed 001 §2), a recent Party member's visit, Party members' duty, and
dissatisfaction, plus the resident's habit stock and a registered volunteer's
role identity (habit.py). Organisations provide the occasions: with none there is
nothing to join. This is the only per-tick work over every resident, and it
is one vector expression.
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import NEVER, T_ORGS, T_PARTY, T_RC
from sim.mechanisms.base import A, Mechanism, ModelLike, Outcome, Param, State, coef, param

# children take part with their families, not on their own: a logit no chance can lift
CHILD_LOGIT = -50

# the mechanism's scenario parameters: levers, sourced values and uncertainties (section [behaviour])
CORE_PARAMS: tuple[Param, ...] = (
    param(
        "base_logit",
        "behaviour",
        -10.6974,
        "float",
        "baseline log-odds of joining a community activity on a given day",
        "calibrated: SMM fit to X's 5.6% registered volunteers after a year under "
        "governance-partners with habit on (seed 002 §2; docs/validation.md, case 1)",
        "logit",
        -20.0,
        5.0,
        # the window the calibrations search (docs/validation.md; cogov calibrate for other communities):
        # the default ±50 % rule would give -16.0 .. -5.3, which on the log-odds scale runs from no
        # volunteers at all to most residents. The lower end is -11.5 since the re-fit of 2026-11-29
        # landed at -10.70; the upper end leaves room for communities more active than X
        plausible=(-11.5, -8.0),
        zh="参与基线对数几率",
    ),
    param(
        "w_public_spirit",
        "behaviour",
        3.0,
        "float",
        "weight of intrinsic public spirit in the participation choice",
        A,
        "logit",
        0.0,
        20.0,
        zh="公共精神权重",
    ),
    param(
        "w_belonging", "behaviour", 1.5, "float", "weight of sense of belonging", A, "logit", 0.0, 20.0, zh="归属感权重"
    ),
    param(
        "w_trust",
        "behaviour",
        1.0,
        "float",
        "weight of trust in the community's organisers",
        A,
        "logit",
        0.0,
        20.0,
        zh="信任权重",
    ),
    param("w_free_time", "behaviour", 1.5, "float", "weight of free time", A, "logit", 0.0, 20.0, zh="空闲时间权重"),
    param(
        "w_reward",
        "behaviour",
        2.0,
        "float",
        "weight of the expected material reward (scaled by reward sensitivity)",
        A,
        "logit",
        0.0,
        20.0,
        zh="物质奖励权重",
    ),
    param(
        "w_social",
        "behaviour",
        2.0,
        "float",
        "weight of the share of building neighbours recently active (neighbours lead neighbours)",
        "seed 001 §2 二是 (邻居带邻居); weight assumption",
        "logit",
        0.0,
        20.0,
        zh="邻里带动权重",
    ),
    param(
        "w_status",
        "behaviour",
        0.8,
        "float",
        "weight of public ranking for status-seeking residents",
        A,
        "logit",
        0.0,
        20.0,
        zh="排名荣誉权重",
    ),
    param(
        "w_mobilised",
        "behaviour",
        1.2,
        "float",
        "boost after a Party member's home visit",
        "seed 000 §5.1; weight assumption",
        "logit",
        0.0,
        20.0,
        zh="入户动员权重",
    ),
    param(
        "w_dissatisfaction",
        "behaviour",
        1.0,
        "float",
        "penalty of dissatisfaction with the community on participation",
        A,
        "logit",
        0.0,
        20.0,
        zh="不满惩罚权重",
    ),
    param(
        "volunteer_after",
        "behaviour",
        6,
        "int",
        "activities after which a resident registers as a volunteer",
        A,
        "activities",
        1,
        100,
        zh="注册志愿者所需活动次数",
    ),
    param(
        "activity_window",
        "behaviour",
        30,
        "int",
        "days over which a resident counts as participating after an activity",
        A,
        "days",
        1,
        365,
        zh="参与统计窗口",
    ),
)


PARAMS = (
    coef(
        "behaviour",
        "mobilised_days",
        14,
        "days a home visit keeps mobilising the visited",
        "入户动员持续天数",
        1,
        90,
        (7, 28),
        "days",
        kind="int",
    ),
    coef(
        "behaviour",
        "time_bank_value",
        8.0,
        "yuan-equivalent of one banked hour of care",
        "时间银行每小时折合价值",
        0.0,
        200.0,
        (4.0, 16.0),
        "yuan",
    ),
    coef(
        "behaviour",
        "occasions_half",
        6.0,
        "working organisations per community giving 1 − 1/e of full activity occasions",
        "活动机会半饱和组织数",
        0.1,
        100.0,
        (3.0, 12.0),
        "organisations",
    ),
)


def reward_value(p: dict, redeemable: np.ndarray) -> np.ndarray:
    """Expected material value (yuan) of one activity, per community."""
    value = np.zeros_like(redeemable)
    if p["points"]:
        value = value + p["points_per_activity"] * p["yuan_per_point"] * redeemable
    if p["time_bank"]:
        value = value + p["time_bank_value"]
    return value


# the outcomes this mechanism defines (columns of results())
OUTCOMES = (
    Outcome(
        "activities",
        "activities joined today (all kinds)",
        "activities",
        "Activities today",
        "当日参与活动人次",
        "flow",
        "higher",
        counter="activities",
    ),
)


class Participation(Mechanism):
    """Draw who takes part today.

    A resident's propensity has a fixed part (free time, Party duty: traits that
    change only when a newcomer arrives or parameters change), kept between days,
    and a part computed every day from what can move daily (public spirit, which
    rewards crowd out; belonging, trust, satisfaction, volunteer identity,
    rewards, ranking, neighbours, visits). Until 2026-11-29 the attitude part
    was refreshed once a week, which put a weekly step into participation
    (validation case "smooth").
    """

    name = "participation"
    outcomes = OUTCOMES
    section = "behaviour"
    params = CORE_PARAMS + PARAMS
    # record_activity (below) is how every mechanism books an activity: its state and counter are declared here
    states = (
        State("activities", np.int32, 0, "activities joined"),
        State("volunteer", np.bool_, False, "registered volunteer"),
        State("last_active", np.int32, NEVER, "day of the resident's last activity"),
    )
    counters = ("activities",)
    needs = ("incentives", "outreach")  # rewards and the belief that points pay out; what residents know

    def __init__(self, model: ModelLike):
        super().__init__(model)
        self._fixed_u: np.ndarray | None = None
        self._fixed_key = None
        self._fixed_day = 0  # newcomers who arrived after this day get their fixed part computed

    @override
    def active(self, p: dict) -> bool:
        """Runs under the logistic rule (the threshold rule is thresholds.py)."""
        return p["participation_rule"] == "logit"

    @override
    def step(self) -> None:
        m, p, res = self.model, self.model.p, self.model.residents
        self._refresh_fixed(m, p, res)
        u = self._attitudes(p, res)
        u += self._fixed_u
        if p["habit"]:  # memory of past participation (habit.py)
            u += np.float32(p["w_habit"]) * res.habit_stock
        value = reward_value(p, m.mech["incentives"].redeemable)
        if value.any():
            pull = (p["w_reward"] * value / (value + p["reward_half_value"])).astype(np.float32)
            u += res.reward_sensitivity * per_community(m, pull)
        if p["ranking"] and p["points"]:
            seen = m.mech["incentives"].roll_seen()  # only those who see the honour roll (None: all)
            u += np.float32(p["w_status"]) * (res.status_seeking if seen is None else res.status_seeking * seen)
        u += m.spread((p["w_social"] * m.building_activity).astype(np.float32), "building")
        if m.mech["outreach"].active(p):  # what residents know of services, rules and meetings (outreach.py)
            u += m.mech["outreach"].participation_shift()
        if p["home_visits_per_week"] > 0:
            u += np.float32(p["w_mobilised"]) * (res.last_visited > m.tick - p["mobilised_days"])
        np.negative(u, out=u)
        np.exp(u, out=u)
        u += 1
        prob = np.divide(per_community(m, m.occasions.astype(np.float32)), u, out=u)
        who = np.flatnonzero(self.rng.random(res.n, dtype=np.float32) < prob)
        m.record_activity(who)

    def _refresh_fixed(self, m, p: dict, res) -> None:
        """Keep the fixed part current: all of it when parameters change, newcomers' rows when they arrive."""
        key = (id(p), tuple(p[k] for k in _FIXED_KEYS))
        if self._fixed_u is None or key != self._fixed_key:
            self._fixed_u = self._fixed(p, res)
            self._fixed_key = key
        else:
            new = m.arrived_since(self._fixed_day)
            if len(new):
                self._fixed_u[new] = self._fixed(p, res, new)
        self._fixed_day = m.tick

    def _fixed(self, p: dict, res, idx: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Traits' part of the propensity (children: the fixed logit that keeps them out)."""
        party, migrant = res.party[idx], res.migrant[idx]
        duty = party if p["mobile_party_branch"] else party & ~migrant
        u = (
            p["base_logit"]
            - p["w_dissatisfaction"]  # the constant of −w (1 − satisfaction); its slope is daily
            + p["w_free_time"] * res.free_time[idx]
            + p["party_duty_boost"] * duty
        ).astype(np.float32)
        u[res.age[idx] == 0] = CHILD_LOGIT
        return u

    def _attitudes(self, p: dict, res) -> np.ndarray:
        """Today's part from attitudes and identity, in float32 (zero for children)."""
        f32 = np.float32
        u = res.trust[:, T_PARTY] + res.trust[:, T_RC]
        u += res.trust[:, T_ORGS]
        u *= f32(p["w_trust"] / 3)  # trust in those who organise activities
        u += f32(p["w_public_spirit"]) * res.intrinsic  # public spirit, which rewards can crowd out daily
        u += f32(p["w_belonging"]) * res.belonging
        u += f32(p["w_dissatisfaction"]) * res.satisfaction
        if p["habit"] and p["w_identity"]:  # role identity of registered volunteers (habit.py)
            u += f32(p["w_identity"]) * res.volunteer
        u *= self.model.adult_weight  # children: 0 (their fixed part keeps them out)
        return u


_FIXED_KEYS = (
    "base_logit",
    "w_free_time",
    "party_duty_boost",
    "w_dissatisfaction",
    "mobile_party_branch",
)


def per_community(m, values: np.ndarray) -> np.ndarray | np.float32:
    """Each resident's community's entry of ``values``, or the one value itself when there is one community."""
    return values[0] if len(values) == 1 else m.spread(values, "community")


def occasions(orgs, n_communities: int, half: float) -> np.ndarray:
    """Share of full activity occasions each community's organisations provide (``half``: occasions_half)."""
    active = np.bincount(orgs.community, weights=1 - orgs.friction, minlength=n_communities)
    return 1 - np.exp(-active / half)


def record_activity(m, who: np.ndarray) -> None:
    """Book activities of residents ``who`` today (from any mechanism)."""
    if len(who) == 0:
        return
    p, res = m.p, m.residents
    res.last_active[who] = m.tick
    res.activities[who] += 1
    res.volunteer[who] |= res.activities[who] >= p["volunteer_after"]
    m.count("activities", len(who))
    habit = m.mech.get("habit")
    if habit is not None:
        habit.book(who)
    m.mech["incentives"].reward(who)
