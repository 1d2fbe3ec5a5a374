"""Capacity building: skills that training raises and staff turnover wears away.

Seed 000 §4.2.2 (「微治理主体能力参差不齐」: 「从专业技能到文化水平都存在差异」, the
Hangzhou sachets) and §5.3; seed 003 §2(三) (making micro-governance
professional: 「培育专业化的自治组织」, 「加强社区精英的发掘与培育力度」); seed 004 §3(二)
(the digital divide). With ``capacity_dynamics`` on, the skill of committee staff
(per community), grid workers (per grid) and organisations (per organisation) is
a state in standard deviations (sd) from the reference staff of day 0, changing
daily as

    s += r_train · training_effect − turnover · (s + newcomer_gap) − job_learning · s      (all per day)

where r_train is the yearly share of staff a programme trains (training gain
0.6 sd: Arthur et al. 2003; turnover 0.20 a year: Chinese social-worker surveys;
docs/dev/evidence-behaviour.md §5.3, K1–K4). Newcomers arrive ``newcomer_gap`` sd
below the reference and learn on the job. Skill acts downstream: the committees'
daily capacity and the grid workers' visits and on-the-spot work scale with
1 + ``skill_elasticity`` · s; an organisation's skill (which scales its activities
and small-matter work) is its drawn skill + s · ``org_skill_spread``. A digital
training programme gives elderly residents without digital access a chance to gain
it. Each trainee costs ``training_cost`` yuan a year, paid from the community fund
(training stops while the fund cannot pay) or by the government.
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import ELDERLY
from sim.calendar import per_day
from sim.mechanisms.base import Mechanism, Outcome, coef, param

EVIDENCE = "docs/dev/evidence-behaviour.md §5.3"

PARAMS = (
    param(
        "capacity_dynamics",
        "capacity",
        False,
        "bool",
        "skills of committee staff, grid workers and organisations change over time (training, turnover); "
        "off: fixed at the reference",
        "seed 000 §4.2.2 「微治理主体能力参差不齐」; seed 003 §2(三) 「培育专业化的自治组织」",
        lever=True,
        zh="能力随培训和人员流动变化",
    ),
    param(
        "staff_training_share",
        "capacity",
        0.0,
        "float",
        "share of committee staff and grid workers a training programme trains each year",
        "seed 000 §5.3; seed 003 §2(三); lever",
        "1/year",
        0.0,
        2.0,
        lever=True,
        zh="两委和网格员年培训比例",
    ),
    param(
        "org_training_share",
        "capacity",
        0.0,
        "float",
        "share of organisations' core members a training programme trains each year",
        "seed 003 §2(三) 「加强社区精英的发掘与培育力度」; lever",
        "1/year",
        0.0,
        2.0,
        lever=True,
        zh="社会组织骨干年培训比例",
    ),
    param(
        "digital_training_per_1000",
        "capacity",
        0.0,
        "float",
        "elderly residents without digital access trained in digital skills each year, per 1,000 of them",
        "seed 004 §3(二) (digital divide); lever",
        "trainees/1000/year",
        0.0,
        1000.0,
        lever=True,
        zh="老年人数字技能培训(每千人)",
    ),
    param(
        "training_paid_by",
        "capacity",
        "fund",
        "choice",
        "who pays for training: the community fund (training stops while it cannot pay) or the government",
        "assumption",
        choices=("fund", "government"),
        lever=True,
        zh="培训经费来源",
    ),
    coef(
        "capacity",
        "training_effect",
        0.6,
        "skill gain of one trained person, in sd of the skill distribution",
        "培训技能提升(标准差)",
        0.0,
        3.0,
        (0.3, 0.9),
        "sd",
        source=EVIDENCE + " K1 (Arthur et al. 2003: d ≈ 0.62); transfer to China an assumption",
    ),
    coef(
        "capacity",
        "staff_turnover_rate",
        0.20,
        "share of staff replaced by newcomers each year",
        "工作人员年流失率",
        0.0,
        1.0,
        (0.10, 0.35),
        "1/year",
        source=EVIDENCE + " K2–K4 (social workers ≈ 20%); for committee staff and grid workers an assumption",
    ),
    coef(
        "capacity",
        "newcomer_gap",
        0.5,
        "how far below the reference staff a newcomer starts, in sd",
        "新入职人员技能差距(标准差)",
        0.0,
        3.0,
        (0.2, 1.0),
        "sd",
    ),
    coef(
        "capacity",
        "job_learning",
        1.0,
        "yearly rate at which staff close the gap to the reference by learning on the job",
        "在岗学习速率",
        0.0,
        10.0,
        (0.5, 2.0),
        "1/year",
    ),
    coef(
        "capacity",
        "skill_elasticity",
        0.2,
        "relative change of committee capacity and grid workers' output per sd of skill",
        "技能对工作能力的弹性",
        0.0,
        1.0,
        (0.1, 0.4),
        "1/sd",
    ),
    coef(
        "capacity",
        "skill_factor_floor",
        0.3,
        "lowest capacity factor unskilled staff keep",
        "技能能力系数下限",
        0.0,
        1.0,
        (0.2, 0.5),
    ),
    coef(
        "capacity",
        "committee_staff",
        9,
        "staff of the two committees per community",
        "两委工作人员数",
        1,
        100,
        (5, 15),
        "staff",
        kind="int",
    ),
    coef(
        "capacity",
        "org_core_members",
        3,
        "core members of an organisation who can be trained",
        "社会组织骨干人数",
        1,
        50,
        (2, 6),
        "members",
        kind="int",
    ),
    coef(
        "capacity",
        "digital_training_success",
        0.7,
        "chance an elderly trainee without digital access gains it",
        "老年人数字技能培训成功率",
        0.0,
        1.0,
        (0.5, 0.9),
    ),
    coef(
        "capacity",
        "training_cost",
        1000.0,
        "cost of training one person for a year",
        "每人每年培训费用",
        0.0,
        1e6,
        (300.0, 3000.0),
        "yuan/trainee",
    ),
)

OUTCOMES = (
    Outcome(
        "committee_skill",
        "mean skill of committee staff, sd from the reference",
        "sd",
        "Committee staff skill",
        "两委工作人员技能",
        "stock",
        "higher",
        compute=lambda m: float(m.mech["capacity"].committee.mean()) if "capacity" in m.mech else 0.0,
    ),
    Outcome(
        "grid_worker_skill",
        "mean skill of grid workers, sd from the reference",
        "sd",
        "Grid worker skill",
        "网格员技能",
        "stock",
        "higher",
        compute=lambda m: float(m.mech["capacity"].grid.mean()) if "capacity" in m.mech else 0.0,
    ),
    Outcome(
        "training_cost_total",
        "money spent on training so far (fund or government)",
        "yuan",
        "Training cost so far",
        "累计培训费用",
        "cumulative",
        "neutral",
        counter="training_cost",
        zero=0.0,
    ),
    Outcome(
        "digital_trained_total",
        "elderly residents who gained digital access through training so far",
        "residents",
        "Elderly digitally trained so far",
        "累计老年人数字技能培训成功人数",
        "cumulative",
        "higher",
        counter="digital_trained",
    ),
)


class Capacity(Mechanism):
    """Training raises staff and organisation skill; turnover wears it; skill scales capacity."""

    name = "capacity"
    params = PARAMS
    outcomes = OUTCOMES
    counters = ("training_cost", "digital_trained")
    after = ("funding",)  # pays from today's fund

    def __init__(self, model):
        super().__init__(model)
        self.committee = np.zeros(model.struct.n_communities)
        self.grid = np.zeros(model.grid_workers.n)
        self.org = np.zeros(model.orgs.n)
        self._org_base: np.ndarray | None = None

    @override
    def active(self, p: dict) -> bool:
        """Runs only with capacity dynamics switched on."""
        return bool(p["capacity_dynamics"])

    def _paid(self, trainees: np.ndarray) -> np.ndarray:
        """Share of each community's trainees (per day) that can be paid for today."""
        m, p = self.model, self.model.p
        cost = trainees * p["training_cost"]
        if p["training_paid_by"] == "government" or p["training_cost"] == 0:
            m.count("training_cost", float(cost.sum()))
            return np.ones_like(trainees)
        f = m.funds.community
        ok = np.minimum(1, np.divide(f, cost, out=np.ones_like(cost), where=cost > 0))
        paid = cost * ok
        f -= paid
        np.maximum(f, 0, out=f)  # rounding: the fund never goes negative
        m.count("training_cost", float(paid.sum()))
        return ok

    def _update(self, s: np.ndarray, trained_share: np.ndarray) -> None:
        p = self.model.p
        s += trained_share * p["training_effect"]
        s -= per_day(p["staff_turnover_rate"]) * (s + p["newcomer_gap"])
        s -= per_day(p["job_learning"]) * s

    def _factor(self, s: np.ndarray) -> np.ndarray:
        p = self.model.p
        return np.maximum(1 + p["skill_elasticity"] * s, p["skill_factor_floor"])

    @override
    def step(self) -> None:
        m, p = self.model, self.model.p
        C = m.struct.n_communities
        gw, orgs = m.grid_workers, m.orgs
        staff_rate = per_day(p["staff_training_share"])
        org_rate = per_day(p["org_training_share"])
        grids_per_c = np.bincount(gw.community, minlength=C)
        orgs_per_c = np.bincount(orgs.community, minlength=C)
        trainees = staff_rate * (p["committee_staff"] + grids_per_c) + org_rate * p["org_core_members"] * orgs_per_c
        ok = self._paid(trainees)
        self._update(self.committee, staff_rate * ok)
        self._update(self.grid, staff_rate * ok[gw.community])
        self._update(self.org, org_rate * ok[orgs.community])
        m.committees.skill_factor = self._factor(self.committee)
        gw.skill_factor = self._factor(self.grid)
        if self._org_base is None:
            self._org_base = orgs.skill.copy()
        orgs.skill = np.clip(self._org_base + self.org * p["org_skill_spread"], p["org_skill_floor"], 1.0)
        self._digital(ok)

    def _digital(self, ok: np.ndarray) -> None:
        m, p, res = self.model, self.model.p, self.model.residents
        if p["digital_training_per_1000"] <= 0:
            return
        offline = np.flatnonzero((res.age == ELDERLY) & ~res.digital)
        chance = per_day(p["digital_training_per_1000"] / 1000) * ok[res.community[offline]]
        trainees = offline[self.rng.random(len(offline)) < chance]
        gained = trainees[self.rng.random(len(trainees)) < p["digital_training_success"]]
        res.digital[gained] = True
        m.count("digital_trained", len(gained))
        cost = np.bincount(res.community[trainees], minlength=len(m.funds.community)) * p["training_cost"]
        if p["training_paid_by"] == "fund":
            cost = np.minimum(cost, m.funds.community)
            m.funds.community -= cost
        m.count("training_cost", float(cost.sum()))
