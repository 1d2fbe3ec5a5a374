"""Resource integration by the big Party committee (大党委) and its alliance of member units.

Seed 003 §1(一): Meilie district's big Party committees integrate the Party
organisations of 「辖区内365个机关企事业单位、商会、楼宇」 (in 26 communities, about
14 a community) and make in-service Party members take part in their home
community (「以发挥在职党员参与社区共同家园建设为载体」); seed 002 §2 一是 draws in
「居住地报到党员」 (members registered where they live); seed 000 §5.1 and §5.2.1 call
for the Party to lead and integrate resources (「整合资源」).

With ``alliance_units`` > 0, member units join the community's alliance one by
one over ``alliance_join_days`` (the schedule). Every joined unit pays
``unit_funds_per_year`` into the community fund, a twelfth on each month start,
and holds ``unit_activities_per_year`` joint activities (共建活动) at its venue with
``unit_volunteers`` of its staff as volunteers; residents invited to such an
activity join with a chance that grows with their trust in the Party committee.
With ``in_service_reporting`` on, working-age Party members report to their
residential community and take part on ``report_days_per_year`` days a year.
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import T_PARTY, WORKING
from sim.arrays import unique_ints
from sim.calendar import is_month_start, per_day
from sim.mechanisms.base import Mechanism, Outcome, coef, param

UNITS_SOURCE = (
    "seed 003 §1(一) 「实现对辖区内365个机关企事业单位、商会、楼宇等党组织资源的有效整合」 in "
    "「全区26个社区」 (365/26 ≈ 14 a community)"
)

PARAMS = (
    param(
        "alliance_units",
        "alliance",
        0,
        "int",
        "member units (agencies, schools, firms, chambers, office buildings) in each community's big Party "
        "committee alliance",
        UNITS_SOURCE,
        "units",
        0,
        1000,
        lever=True,
        zh="大党委共建单位数",
    ),
    param(
        "in_service_reporting",
        "alliance",
        False,
        "bool",
        "in-service (working-age) Party members report to their residential community and take part there (居住地报到)",
        "seed 003 §1(一) 「以发挥在职党员参与社区共同家园建设为载体」; seed 002 §2 一是 「居住地报到党员」",
        lever=True,
        zh="在职党员到居住地社区报到",
    ),
    coef(
        "alliance",
        "alliance_join_days",
        180,
        "days over which the member units join, one after another (the alliance's build-up schedule)",
        "共建单位陆续加入所需天数",
        1,
        3650,
        (60, 365),
        "days",
        kind="int",
    ),
    coef(
        "alliance",
        "unit_funds_per_year",
        5000.0,
        "money a member unit gives the community fund per year (paid monthly)",
        "每个共建单位每年投入社区基金",
        0.0,
        1e7,
        (1000.0, 20000.0),
        "yuan/unit/year",
    ),
    coef(
        "alliance",
        "unit_activities_per_year",
        4.0,
        "joint activities (共建活动) a member unit holds in the community per year, at its venue",
        "每个共建单位每年共建活动数",
        0.0,
        100.0,
        (2.0, 12.0),
        "activities/unit/year",
    ),
    coef(
        "alliance",
        "unit_volunteers",
        5,
        "staff a member unit sends as volunteers to each joint activity (they are not residents)",
        "每次共建活动单位派出志愿者数",
        0,
        200,
        (2, 15),
        "volunteers",
        kind="int",
    ),
    coef(
        "alliance",
        "alliance_invited",
        40,
        "residents invited to each joint activity",
        "每次共建活动邀请居民数",
        0,
        1000,
        (20, 80),
        "residents",
        kind="int",
    ),
    coef(
        "alliance",
        "alliance_accept",
        0.1,
        "chance an invited resident with no trust in the Party committee joins a joint activity",
        "共建活动基础参与率",
        0.0,
        1.0,
        (0.05, 0.2),
    ),
    coef(
        "alliance",
        "alliance_accept_trust",
        0.3,
        "extra chance of joining per unit of trust in the Party committee",
        "共建活动参与率: 党组织信任权重",
        0.0,
        1.0,
        (0.1, 0.5),
    ),
    coef(
        "alliance",
        "report_days_per_year",
        6.0,
        "days a year a reporting in-service Party member takes part in the residential community",
        "报到党员每年参与社区活动天数",
        0.0,
        365.0,
        (2.0, 12.0),
        "days/year",
    ),
)

OUTCOMES = (
    Outcome(
        "alliance_units_joined",
        "member units in the alliance, per community",
        "units",
        "Alliance member units",
        "大党委共建单位数",
        "stock",
        "higher",
        compute=lambda m: m.mech["alliance"].joined if "alliance" in m.mech else 0,
    ),
    Outcome(
        "alliance_funds_total",
        "money member units have given the community funds so far",
        "yuan",
        "Alliance funds so far",
        "累计共建单位投入资金",
        "cumulative",
        "higher",
        counter="alliance_funds",
        zero=0.0,
    ),
    Outcome(
        "alliance_activities_total",
        "joint activities member units have held so far",
        "activities",
        "Joint activities so far",
        "累计共建活动数",
        "cumulative",
        "higher",
        counter="alliance_activities",
    ),
    Outcome(
        "alliance_volunteer_days_total",
        "volunteer-days member units' staff have given so far",
        "volunteer-days",
        "Unit volunteer-days so far",
        "累计共建单位志愿服务人次",
        "cumulative",
        "higher",
        counter="alliance_volunteer_days",
    ),
    Outcome(
        "reporting_member_days_total",
        "days in-service Party members took part in their residential community so far",
        "member-days",
        "Reporting Party members' days so far",
        "累计报到党员参与人次",
        "cumulative",
        "higher",
        counter="reporting_member_days",
    ),
)


class Alliance(Mechanism):
    """Member units join on a schedule and bring money, volunteers and venues; in-service members report."""

    name = "alliance"
    params = PARAMS
    outcomes = OUTCOMES
    counters = (
        "alliance_funds",
        "alliance_activities",
        "alliance_volunteer_days",
        "alliance_attendance",
        "reporting_member_days",
    )
    after = ("funding",)  # pays into the fund after the day's grants

    def __init__(self, model):
        super().__init__(model)
        self.joined = 0

    @override
    def active(self, p: dict) -> bool:
        """Runs with member units in the alliance or in-service members reporting."""
        return p["alliance_units"] > 0 or bool(p["in_service_reporting"])

    @override
    def step(self) -> None:
        p = self.model.p
        if p["alliance_units"] > 0:
            self._units()
        if p["in_service_reporting"]:
            self._reporting_members()

    def _units(self) -> None:
        m, p = self.model, self.model.p
        units = p["alliance_units"]
        # the schedule: unit k joins on day k · join_days / units
        self.joined = min(units, (m.tick + 1) * units // max(p["alliance_join_days"], 1))
        if self.joined == 0:
            return
        C = m.struct.n_communities
        if is_month_start(m.tick):
            money = self.joined * p["unit_funds_per_year"] / 12
            m.funds.community += money
            m.count("alliance_funds", money * C)
        n_act = self.rng.poisson(self.joined * per_day(p["unit_activities_per_year"]), C)
        if n_act.sum() == 0:
            return
        m.count("alliance_activities", int(n_act.sum()))
        m.count("alliance_volunteer_days", int(n_act.sum()) * p["unit_volunteers"])
        comm = np.repeat(np.arange(C), n_act)
        k = p["alliance_invited"]
        lo, size = m.community_start[comm], m.community_sizes[comm]
        invited = (lo[:, None] + (self.rng.random((len(comm), k)) * size[:, None]).astype(np.int64)).ravel()
        res = m.residents
        invited = invited[res.adult[invited]]
        chance = p["alliance_accept"] + p["alliance_accept_trust"] * res.trust[invited, T_PARTY]
        who = unique_ints(invited[self.rng.random(len(invited)) < chance])
        m.count("alliance_attendance", len(who))
        m.record_activity(who)

    def _reporting_members(self) -> None:
        m, p, res = self.model, self.model.p, self.model.residents
        members = np.flatnonzero(res.party & (res.age == WORKING))
        who = members[self.rng.random(len(members)) < per_day(p["report_days_per_year"])]
        m.count("reporting_member_days", len(who))
        m.record_activity(who)
