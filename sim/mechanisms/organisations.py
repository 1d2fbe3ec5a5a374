"""Social organisations' activities, and refusal without prior communication.

Each organisation launches activities (micro-services) and invites residents
of its community. Invited residents who trust organisations join; when an
activity is launched without prior communication, many refuse (seed 000
§4.2.2, the Hangzhou sachets). Uneven skill shows in what a joined activity
does for the participants' satisfaction. Money offered for accepting a
request may crowd out the civic reason to accept (prices.py).
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import T_ORGS
from sim.arrays import unique_ints
from sim.calendar import DAYS_PER_MONTH
from sim.mechanisms.base import A, Mechanism, Outcome, Param, coef, param, toward

# the mechanism's scenario parameters: levers, sourced values and uncertainties (section [organisations])
CORE_PARAMS: tuple[Param, ...] = (
    param(
        "volunteer_teams",
        "organisations",
        12,
        "int",
        "volunteer teams per community",
        "seed 002 §2 一是 (X: 12 teams)",
        "teams",
        0,
        500,
        lever=True,
        zh="志愿服务队数",
    ),
    param(
        "professional_orgs",
        "organisations",
        2,
        "int",
        "professional service organisations (elderly care, tutoring)",
        A,
        "organisations",
        0,
        200,
        lever=True,
        zh="专业社会组织数",
    ),
    param(
        "interest_groups",
        "organisations",
        6,
        "int",
        "interest groups (square dance, chess)",
        A,
        "groups",
        0,
        500,
        zh="兴趣团体数",
    ),
    param(
        "org_capacity",
        "organisations",
        0.8,
        "float",
        "small matters one organisation can settle per day at full skill",
        A,
        "matters/day",
        0.0,
        50.0,
        zh="组织日处理能力",
    ),
    param(
        "org_skill_mean",
        "organisations",
        0.6,
        "float",
        "mean skill of organisations",
        "seed 000 §4.2.2 (uneven skill); value assumption",
        "",
        0.0,
        1.0,
        zh="组织平均能力",
    ),
    param(
        "org_skill_spread",
        "organisations",
        0.2,
        "float",
        "spread of skill across organisations",
        "seed 000 §4.2.2; value assumption",
        "",
        0.0,
        0.5,
        zh="组织能力差异",
    ),
    param(
        "org_friction_rate",
        "organisations",
        0.01,
        "float",
        "daily growth of internal friction (resources, credit) when funding is short",
        "seed 000 §4.2.1; value assumption",
        "1/day",
        0.0,
        1.0,
        zh="组织内耗增速",
    ),
    param(
        "activities_per_month",
        "organisations",
        1.0,
        "float",
        "activities each organisation launches per month",
        A,
        "activities/month",
        0.0,
        30.0,
        zh="组织每月活动数",
    ),
    param(
        "refusal_without_communication",
        "organisations",
        0.5,
        "float",
        "share of invited residents who refuse an activity launched without prior communication, at zero trust",
        "seed 000 §4.2.2; value assumption",
        "",
        0.0,
        1.0,
        zh="未沟通时拒绝率",
    ),
)


def _c(name, default, meaning, zh, lo=0.0, hi=1.0, plausible=None, unit="", kind="float"):
    return coef("organisations", name, default, meaning, zh, lo, hi, plausible, unit, kind=kind)


PARAMS = (
    _c(
        "invited",
        20,
        "residents invited to an activity",
        "每次活动邀请人数",
        lo=1,
        hi=500,
        plausible=(10, 40),
        unit="residents",
        kind="int",
    ),
    _c(
        "refusal_base",
        0.1,
        "chance a resident with no trust refuses after prior communication (one with full trust: without it)",
        "沟通后的基础拒绝率",
        plausible=(0.05, 0.2),
    ),
    _c(
        "accept_base",
        0.2,
        "chance an invitation is accepted by a resident with no trust in organisations",
        "基础接受率",
        plausible=(0.1, 0.3),
    ),
    _c(
        "accept_w_trust",
        0.4,
        "extra acceptance chance with full trust in a frictionless organisation",
        "接受率: 信任权重",
        plausible=(0.2, 0.6),
    ),
    _c(
        "refusal_trust_keep",
        0.97,
        "share of trust in organisations kept after refusing them",
        "拒绝后信任保留比例",
        plausible=(0.9, 1.0),
    ),
    _c(
        "activity_gain",
        0.03,
        "step of satisfaction and trust towards 1 from an activity of a fully skilled organisation",
        "参加活动的满意度与信任增益",
        plausible=(0.01, 0.06),
    ),
)


# the organisations' own table: yuan a day to keep one running, by kind (volunteer teams and
# interest groups run on volunteers' time, professional services pay staff), skill floor, friction cap
TABLE_PARAMS = (
    coef(
        "organisations",
        "daily_cost_volunteer",
        3.0,
        "daily running cost of a volunteer team",
        "志愿服务队日运行成本",
        0.0,
        1000.0,
        (1.5, 6.0),
        "yuan",
    ),
    coef(
        "organisations",
        "daily_cost_professional",
        30.0,
        "daily running cost of a professional service organisation",
        "专业社工机构日运行成本",
        0.0,
        5000.0,
        (15.0, 60.0),
        "yuan",
    ),
    coef(
        "organisations",
        "daily_cost_interest",
        2.0,
        "daily running cost of an interest group",
        "兴趣团体日运行成本",
        0.0,
        1000.0,
        (1.0, 4.0),
        "yuan",
    ),
    coef(
        "organisations",
        "org_skill_floor",
        0.05,
        "lowest skill an organisation is drawn with",
        "组织能力下限",
        0.0,
        0.5,
        (0.0, 0.15),
    ),
    coef(
        "organisations",
        "friction_cap",
        0.9,
        "highest friction an underfunded organisation reaches",
        "组织内耗上限",
        0.0,
        1.0,
        (0.7, 1.0),
    ),
)


# the outcomes this mechanism defines (columns of results())
OUTCOMES = (
    Outcome(
        "refusals",
        "invitations to activities refused so far",
        "invitations",
        "Refusals so far",
        "累计拒绝参加活动",
        "cumulative",
        "lower",
        counter="refusals",
    ),
    Outcome(
        "acceptances",
        "invitations to activities accepted so far",
        "invitations",
        "Acceptances so far",
        "累计接受邀请",
        "cumulative",
        "higher",
        counter="acceptances",
    ),
)


class Organisations(Mechanism):
    """Launch today's activities and record who joins or refuses."""

    name = "organisations"
    outcomes = OUTCOMES
    params = (
        CORE_PARAMS + PARAMS + TABLE_PARAMS
    )  # the organisations' own table (running costs, skill floor, friction cap)
    counters = ("org_activities", "invitations", "refusals", "acceptances")
    needs = ("prices",)  # paid requests

    @override
    def active(self, p: dict) -> bool:
        """Runs when organisations launch activities."""
        return p["activities_per_month"] > 0

    @override
    def step(self) -> None:
        m, p, orgs, res = self.model, self.model.p, self.model.orgs, self.model.residents
        if orgs.n == 0:
            return
        launched = np.repeat(np.arange(orgs.n), self.rng.poisson(p["activities_per_month"] / DAYS_PER_MONTH, orgs.n))
        launched = launched[orgs.alive[launched]]  # organisations that dropped out launch nothing
        if len(launched) == 0:
            return
        m.count("org_activities", len(launched))
        lo = m.community_start[orgs.community[launched]]
        size = m.community_sizes[orgs.community[launched]]
        k = p["invited"]
        invited = (lo[:, None] + (self.rng.random((len(launched), k)) * size[:, None]).astype(np.int64)).ravel()
        org = np.repeat(launched, k)
        keep = res.adult[invited]
        invited, org = invited[keep], org[keep]
        trust = res.trust[invited, T_ORGS]
        if p["prior_communication"]:
            refuse_p = p["refusal_base"] * (1 - trust)
        else:
            refuse_p = p["refusal_without_communication"] * (1 - trust) + p["refusal_base"] * trust
        u = self.rng.random((2, len(invited)))
        refused = u[0] < refuse_p
        accept = p["accept_base"] + p["accept_w_trust"] * trust * (1 - orgs.friction[org])
        if p["request_reward"] > 0:  # a paid request (prices.py)
            accept, offered = m.mech["prices"].request_acceptance(accept, invited)
        joined = ~refused & (u[1] < accept)
        if p["request_reward"] > 0:
            m.mech["prices"].pay_requests(invited[joined & offered])
        m.count("invitations", len(invited))
        m.count("refusals", int(refused.sum()))
        m.count("acceptances", int(joined.sum()))
        res.trust[invited[refused], T_ORGS] *= p["refusal_trust_keep"]
        who = invited[joined]
        # who joined which of today's activities, for the request at the end (requests.py)
        self.joined_today = (m.tick, who, np.repeat(np.arange(len(launched)), k)[keep][joined])
        m.record_activity(unique_ints(who))
        gain = p["activity_gain"] * orgs.skill[org[joined]]
        res.satisfaction[who] = toward(res.satisfaction[who], gain)
        res.trust[who, T_ORGS] = toward(res.trust[who, T_ORGS], gain)
