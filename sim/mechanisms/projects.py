"""Implementation of agreed problems as governance projects.

A project starts when the community fund can pay its share and the government
commits the co-funding share (seed 000 §4.1.3: 30%). It then progresses each
day at the pace the delivery module allows (money in hand, enforced deadlines,
blockers on site and the three-party channel, the firm's effort; delivery.py);
the Xi'an renovation planned for 3 months took 8 (seed 000 §4.1.3). When it
completes, every matter it bundled is resolved and the estate sees the result (the closing of the loop, seed 002 §2).
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import T_PARTY, T_RC
from sim.mechanisms.base import A, Mechanism, Outcome, Param, coef, param, toward
from sim.mechanisms.matters import resolve
from sim.store import RecordStore

# the mechanism's scenario parameters: levers, sourced values and uncertainties (section [projects])
CORE_PARAMS: tuple[Param, ...] = (
    param(
        "project_cost",
        "projects",
        25000.0,
        "float",
        "mean cost of a governance project (micro-renovation etc.)",
        A,
        "yuan",
        0.0,
        1e8,
        zh="项目平均成本",
    ),
    param(
        "project_days",
        "projects",
        90,
        "int",
        "planned duration of a project",
        "seed 000 §4.1.3 (3-month renovation)",
        "days",
        1,
        3650,
        zh="项目计划工期",
    ),
    param(
        "government_cofunding",
        "projects",
        0.30,
        "float",
        "share of a project's cost paid by government",
        "seed 000 §4.1.3 (30% co-funding)",
        "",
        0.0,
        1.0,
        lever=True,
        zh="政府配套比例",
    ),
    param(
        "project_share",
        "projects",
        0.25,
        "float",
        "share of agreed problems that need a funded project; the rest are implemented by the "
        "handlers within implement_days",
        A,
        "",
        0.0,
        1.0,
        zh="需立项的问题比例",
    ),
    param(
        "implement_days",
        "projects",
        14,
        "int",
        "planned days to implement an agreed problem that needs no funded project",
        A,
        "days",
        1,
        365,
        zh="无需立项问题的落实天数",
    ),
    param(
        "max_open_projects",
        "projects",
        4,
        "int",
        "projects a community can run at once",
        A,
        "projects",
        0,
        100,
        zh="同时在建项目上限",
    ),
)


def _c(name, default, meaning, zh, lo=0.0, hi=1.0, plausible=None, unit=""):
    return coef("projects", name, default, meaning, zh, lo, hi, plausible, unit)


PARAMS = (
    _c(
        "cost_spread",
        0.3,
        "sd of the log of a project's cost around project_cost",
        "项目成本对数标准差",
        hi=2.0,
        plausible=(0.1, 0.5),
    ),
    _c(
        "plan_spread",
        0.3,
        "planned duration varies uniformly within ± this share of the standard duration",
        "计划工期浮动比例",
        hi=0.9,
        plausible=(0.1, 0.5),
    ),
    _c(
        "speed_spread",
        0.1,
        "work speed varies uniformly within ± this share",
        "施工速度浮动比例",
        hi=0.9,
        plausible=(0.0, 0.3),
    ),
    _c(
        "completion_satisfaction_gain",
        0.04,
        "step of the estate's satisfaction towards 1 when a fully legitimate project completes",
        "项目完成的满意度增益",
        plausible=(0.01, 0.08),
    ),
)


def new_project_store() -> RecordStore:
    """An empty table of projects."""
    return RecordStore(
        {
            "community": np.int32,
            "estate": np.int32,
            "start": np.int32,
            "planned": np.int32,
            "progress": np.float64,
            "speed": np.float64,
            "cost": np.float64,
            "legitimacy": np.float64,
            "done": np.int32,
            "in_hand": np.float64,  # share of the cost in hand (delivery.py)
            "money_due": np.int32,  # day the government's share arrives, -1 when in hand
            "blocked": np.int8,  # a problem on site blocks the work today
            "enforced_until": np.int32,  # last day of full pace after an enforced deadline
        },
        capacity=64,
    )


def start_project(m, matter_ids: np.ndarray, c: int, estate: int, legitimacy: float) -> bool:
    """Implement an agreed problem: a funded project, or plain handling.

    A share ``project_share`` of agreed problems needs money and a project slot;
    the rest are implemented by the handlers within ``implement_days``. How fast
    either goes is up to delivery.py.
    """
    p, ps = m.p, m.projects
    rng = m.mech["projects"].rng
    spread = p["plan_spread"]
    speed_spread = p["speed_spread"]
    funded = rng.random() < p["project_share"]
    cost = 0.0
    planned_days = p["implement_days"]
    if funded:
        n_open = int(((ps.column("community")[ps.open_ids] == c) & (ps.column("cost")[ps.open_ids] > 0)).sum())
        if n_open >= p["max_open_projects"]:
            m.count("projects_waiting", 1)
            return False
        cost = p["project_cost"] * float(rng.lognormal(0.0, p["cost_spread"]))
        gov_share = cost * p["government_cofunding"]
        own_share = cost - gov_share
        if own_share > m.funds.community[c] or gov_share > m.government.budget:
            m.count("projects_unfunded", 1)
            return False
        if p["pre_evaluation"]:  # residents assess the plan first: dropped or changed (appraisal.py)
            assessed = m.mech["appraisal"].assess(estate, legitimacy)
            if assessed is None:
                return False
            legitimacy = assessed
        m.government.cofund(gov_share)
        m.funds.spend_community(c, own_share)
        planned_days = p["project_days"]
    planned = max(1, int(round(planned_days * rng.uniform(1 - spread, 1 + spread))))
    speed = rng.uniform(1 - speed_spread, 1 + speed_spread)
    pid = ps.add(
        1,
        community=c,
        estate=estate,
        start=m.tick,
        planned=planned,
        progress=0.0,
        speed=speed,
        cost=cost,
        legitimacy=legitimacy,
        blocked=0,
        enforced_until=-1,
    )[0]
    m.mech["delivery"].on_start(int(pid), funded)
    m.matters.column("project")[matter_ids] = pid
    m.count("projects_started" if funded else "implementations_started", 1)
    return True


# the outcomes this mechanism defines (columns of results())
OUTCOMES = (
    Outcome(
        "projects_started",
        "governance projects started so far",
        "projects",
        "Projects started so far",
        "累计启动项目",
        "cumulative",
        "higher",
        counter="projects_started",
    ),
    Outcome(
        "projects_completed",
        "governance projects completed so far",
        "projects",
        "Projects completed so far",
        "累计完成项目",
        "cumulative",
        "higher",
        counter="projects_completed",
    ),
    Outcome(
        "projects_open",
        "governance projects under way",
        "projects",
        "Projects under way",
        "在建项目",
        "stock",
        "neutral",
        compute=lambda m: int(len(m.projects.open_ids)),
    ),
    Outcome(
        "project_overrun",
        "mean actual/planned duration of completed projects (1 = on time)",
        "×",
        "Project overrun",
        "项目工期超支比",
        "cumulative",
        "lower",
        compute=lambda m: m.totals.get("project_overrun_sum", 0.0) / max(m.totals.get("projects_completed", 0), 1),
    ),
    Outcome(
        "implementations_completed",
        "agreed problems implemented without a funded project so far",
        "problems",
        "Implementations completed so far",
        "累计完成落实事项",
        "cumulative",
        "higher",
        counter="implementations_completed",
    ),
    Outcome(
        "implementation_overrun",
        "mean actual/planned duration of completed implementations (1 = on time)",
        "×",
        "Implementation overrun",
        "落实工期超支比",
        "cumulative",
        "lower",
        compute=lambda m: (
            m.totals.get("implementation_overrun_sum", 0.0) / max(m.totals.get("implementations_completed", 0), 1)
        ),
    ),
)


class Projects(Mechanism):
    """Advance open projects; complete those that are finished."""

    name = "projects"
    outcomes = OUTCOMES
    params = CORE_PARAMS + PARAMS
    counters = (
        "projects_started",
        "projects_waiting",
        "projects_unfunded",
        "implementations_started",
        "projects_completed",
        "project_overrun_sum",
        "implementations_completed",
        "implementation_overrun_sum",
    )
    after = ("delivery",)  # today's money, blockers and enforced deadlines
    needs = ("appraisal",)  # start_project asks for the residents' pre-evaluation

    @override
    def step(self) -> None:
        m, ps = self.model, self.model.projects
        ids = ps.open_ids
        if len(ids) == 0:
            return
        prog = ps.column("progress")
        delivery = m.mech["delivery"]
        step = ps.column("speed")[ids] / ps.column("planned")[ids] * delivery.pace(ids)
        # work goes only as far as the money in hand pays for (the last bit once everything is in)
        prog[ids] = np.minimum(prog[ids] + step, np.where(delivery.in_hand(ids) >= 1.0, np.inf, delivery.in_hand(ids)))
        done = ids[prog[ids] >= 1.0]
        if len(done) == 0:
            return
        ps.column("done")[done] = m.tick
        ps.close(done)
        funded = ps.column("cost")[done] > 0
        overrun = (m.tick - ps.column("start")[done]) / ps.column("planned")[done]
        m.count("projects_completed", int(funded.sum()))
        m.count("project_overrun_sum", float(overrun[funded].sum()))
        m.count("implementations_completed", int((~funded).sum()))
        m.count("implementation_overrun_sum", float(overrun[~funded].sum()))
        ms, res, p = m.matters, m.residents, m.p
        mids = ms.open_ids[np.isin(ms.column("project")[ms.open_ids], done)]
        resolve(m, mids, T_RC)
        for pid in done:
            lo, hi = m.estate_range(int(ps.column("estate")[pid]))
            gain = p["completion_satisfaction_gain"] * ps.column("legitimacy")[pid]
            res.satisfaction[lo:hi] = toward(res.satisfaction[lo:hi], gain)
            res.trust[lo:hi, T_PARTY] = toward(res.trust[lo:hi, T_PARTY], 0.5 * gain)
