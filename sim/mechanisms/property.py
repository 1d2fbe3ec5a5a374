"""Property management: firms' effort, complaints and shared-revenue disputes.

Each month a firm sets its service effort (sim/agents/property_firm.py) given
the chance that shirking is detected (supervision). Low effort produces
complaints, which become matters and sometimes disputes with residents; fee
collection follows residents' trust in the firm (unpaid fees are what most
property lawsuits are about: field figures). Where estates have homeowners'
committees, quarrels over shared revenue from common areas break out, less
often when the accounts are watched (seed 002 §1).
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import T_FIRM
from sim.arrays import unique_ints
from sim.calendar import DAYS_PER_MONTH, is_month_start, is_week_start
from sim.mechanisms.base import A, Mechanism, ModelLike, Outcome, Param, coef, param, toward
from sim.mechanisms.disputes import FIRM, REVENUE, open_disputes
from sim.mechanisms.matters import SMALL, add_matters
from sim.store import sample_by_group

# the mechanism's scenario parameters: levers, sourced values and uncertainties (section [property])
CORE_PARAMS: tuple[Param, ...] = (
    param(
        "property_fee",
        "property",
        120.0,
        "float",
        "monthly property fee per household",
        A,
        "yuan/month",
        0.0,
        5000.0,
        zh="物业费",
    ),
    param(
        "firm_profit_motive",
        "property",
        0.6,
        "float",
        "how strongly the firm trades service for profit (profit over governance)",
        "seed 002 §1 一是 (盈利大于治理); value assumption",
        "",
        0.0,
        1.0,
        zh="物业逐利倾向",
    ),
    param(
        "homeowners_committee",
        "property",
        True,
        "bool",
        "estates have homeowners' committees (业委会) that bargain over shared revenue",
        "seed 002 §1 一是; seed 002 §2 四是 (revenue quarrels)",
        lever=True,
        zh="业主委员会",
    ),
    param(
        "revenue_dispute_rate",
        "property",
        0.08,
        "float",
        "monthly chance of a shared-revenue dispute between firm and homeowners' committee when nothing is transparent",
        "seed 002 §2 四是 (公共收益分成 quarrels); value assumption",
        "1/month",
        0.0,
        1.0,
        zh="公共收益纠纷率",
    ),
    param(
        "firm_seat",
        "property",
        False,
        "bool",
        "the property firm takes its seat at the 1+3+N consultation meeting, where residents' complaints "
        "about its service can commit it to act",
        "seed 000 §5.5.1 「构建居民区党组织联合“居委会、物业、网格员”的“1 + 3 + N”社区民主协商议事机制」, "
        "「推动解决物业服务」",
        lever=True,
        zh="物业参加“1+3+N”议事会",
    ),
)


def _c(name, default, meaning, zh, lo=0.0, hi=1.0, plausible=None, unit=""):
    return coef("property", name, default, meaning, zh, lo, hi, plausible, unit)


PARAMS = (
    _c(
        "complaint_rate",
        0.0004,
        "complaints about service per resident per day at zero effort",
        "零努力时每人每日投诉率",
        hi=0.05,
        plausible=(0.0002, 0.0008),
        unit="1/day",
    ),
    _c(
        "complaint_dispute_share",
        0.2,
        "chance a complaint of a resident with no trust in the firm becomes a dispute",
        "投诉转为纠纷的概率",
        plausible=(0.1, 0.4),
    ),
    _c(
        "complaint_trust_keep",
        0.97,
        "share of trust in the firm kept after complaining",
        "投诉后对物业信任保留比例",
        plausible=(0.9, 1.0),
    ),
    _c(
        "collection_base",
        0.5,
        "fee collection rate of an estate with no trust in the firm",
        "零信任时物业费收缴率",
        plausible=(0.3, 0.7),
    ),
    _c(
        "revenue_watch_formal",
        0.5,
        "weight of formal supervision in watching shared revenue (the rest: third-party evaluation)",
        "公共收益监督中正式监督权重",
        plausible=(0.3, 0.7),
    ),
    _c("effort_target", 0.9, "service effort residents expect", "居民期望的服务努力", plausible=(0.8, 1.0)),
    _c(
        "max_shirk",
        0.6,
        "effort a profit-only firm cuts when never detected",
        "纯逐利物业最大懈怠",
        plausible=(0.4, 0.8),
    ),
    _c(
        "cost_share",
        0.85,
        "share of fee income that full effort costs",
        "全力服务成本占收入比例",
        plausible=(0.7, 0.95),
    ),
    _c(
        "effort_adjust",
        0.4,
        "monthly step of effort towards the firm's best effort",
        "物业努力月调整速度",
        plausible=(0.2, 0.6),
    ),
    _c("effort_floor", 0.05, "lowest effort a firm keeps", "物业最低努力", hi=0.5, plausible=(0.0, 0.15)),
    _c(
        "firm_commit_chance",
        0.5,
        "chance a meeting with the firm at the table commits it to act on an estate with open service complaints",
        "议事会促成物业承诺整改的概率",
        plausible=(0.3, 0.8),
    ),
    coef(
        "property",
        "commitment_months",
        3,
        "months a firm's commitment made at a meeting binds its effort",
        "物业整改承诺有效月数",
        1,
        24,
        (1, 6),
        "months",
        kind="int",
    ),
    _c("initial_effort", 0.75, "firms' service effort on day 0", "初始服务努力", plausible=(0.6, 0.9)),
)


# the outcomes this mechanism defines (columns of results())
OUTCOMES = (
    Outcome(
        "firm_commitments_total",
        "estates where a 1+3+N meeting committed the firm to act, so far",
        "commitments",
        "Firm commitments at meetings so far",
        "累计议事会物业整改承诺数",
        "cumulative",
        "higher",
        counter="firm_commitments",
    ),
    Outcome(
        "firm_effort",
        "mean service effort of property firms (0–1)",
        "0–1",
        "Firm service effort",
        "物业服务努力程度",
        "stock",
        "higher",
        compute=lambda m: float(m.firms.effort.mean()),
    ),
    Outcome(
        "firm_shirking",
        "mean effort withheld below the governance target (0–1)",
        "0–1",
        "Firm shirking",
        "物业服务懈怠程度",
        "stock",
        "lower",
        compute=lambda m: float(m.firms.shirking.mean()),
    ),
    Outcome(
        "firm_profit",
        "property firms' cumulative profit (yuan)",
        "yuan",
        "Firm profit so far",
        "物业累计利润（元）",
        "cumulative",
        "neutral",
        compute=lambda m: float(m.firms.profit.sum()),
    ),
    Outcome(
        "firm_complaints",
        "complaints about property service so far",
        "complaints",
        "Firm complaints so far",
        "累计物业投诉",
        "cumulative",
        "lower",
        counter="firm_complaints",
    ),
    Outcome(
        "revenue_disputes",
        "shared-revenue disputes between firms and homeowners' committees so far",
        "disputes",
        "Revenue disputes so far",
        "累计公共收益纠纷",
        "cumulative",
        "lower",
        counter="revenue_disputes",
    ),
)


class Property(Mechanism):
    """Firms decide effort monthly, book accounts daily, draw complaints and quarrels."""

    name = "property"
    outcomes = OUTCOMES
    params = CORE_PARAMS + PARAMS
    counters = ("firm_complaints", "revenue_disputes", "firm_commitments")
    after = ("supervision",)  # this month's detection chances

    def __init__(self, model: ModelLike):
        super().__init__(model)
        self.collection = None
        self.committed_until = np.full(model.struct.n_estates, -1, np.int64)  # day each estate's pledge ends

    def commit_at_meeting(self, c: int) -> None:
        """A 1+3+N meeting of community ``c`` with the firm at the table (called by consultation).

        Each estate of the community with open complaints about service is taken up;
        with chance ``firm_commit_chance`` the firm commits to act for
        ``commitment_months`` (seed 000 §5.5.1 「推动解决物业服务」). The pledge binds the
        firm's monthly effort decision (``step``). Without the firm's seat nothing happens.
        """
        m, p, ms = self.model, self.model.p, self.model.matters
        if not p["firm_seat"]:
            return
        ids = ms.open_ids
        ids = ids[ms.column("firm")[ids] & (ms.column("community")[ids] == c)]
        estates = unique_ints(ms.column("estate")[ids])
        if len(estates) == 0:
            return
        pledged = estates[self.rng.random(len(estates)) < p["firm_commit_chance"]]
        self.committed_until[pledged] = m.tick + p["commitment_months"] * DAYS_PER_MONTH
        m.count("firm_commitments", len(pledged))

    def params_changed(self) -> None:
        """The fee is resolved into the firms' accounts."""
        self.model.firms.fee = self.model.p["property_fee"]

    @override
    def step(self) -> None:
        m, p, firms, res = self.model, self.model.p, self.model.firms, self.model.residents
        sup = m.mech["supervision"]
        if is_month_start(m.tick):
            before = firms.effort.copy()
            firms.choose_effort(p["firm_profit_motive"], sup.detection)
            # a firm bound by a meeting's pledge moves towards the governance target, not its profit-best
            bound = self.committed_until >= m.tick
            firms.effort[bound] = toward(before[bound], p["effort_adjust"], p["effort_target"])
            if p["homeowners_committee"]:
                self._revenue_disputes(sup)
        if is_week_start(m.tick, offset=1) or self.collection is None:  # fee payers reconsider weekly
            base = p["collection_base"]
            self.collection = base + (1 - base) * m.estate_mean(res.trust[:, T_FIRM])
        firms.daily_accounts(self.collection)
        rate = p["complaint_rate"] * (1 - firms.effort)
        who = sample_by_group(self.rng, rate, res.estate)
        who = who[res.age[who] != 0]  # children complain through their parents
        if len(who) == 0:
            return
        firms.complaints += np.bincount(res.estate[who], minlength=len(firms.effort))
        m.count("firm_complaints", len(who))
        add_matters(
            m, who, np.full(len(who), SMALL, np.int8), np.zeros(len(who), np.int8), np.zeros(len(who), bool), firm=True
        )
        angry = who[self.rng.random(len(who)) < p["complaint_dispute_share"] * (1 - res.trust[who, T_FIRM])]
        open_disputes(m, angry, FIRM)
        res.trust[who, T_FIRM] *= p["complaint_trust_keep"]

    def _revenue_disputes(self, sup) -> None:
        m, p = self.model, self.model.p
        w = p["revenue_watch_formal"]
        watched = w * p["formal_supervision"] + (1 - w) * sup.informative
        chance = p["revenue_dispute_rate"] * (1 - np.clip(watched, 0, 1))
        hit = np.flatnonzero(self.rng.random(len(chance)) < chance)
        if len(hit) == 0:
            return
        m.homeowners.revenue_disputes[hit] += 1
        m.count("revenue_disputes", len(hit))
        # the homeowners' committee chair stands for the estate: first resident of the estate
        reps = np.array([m.estate_range(int(e))[0] for e in hit])
        open_disputes(m, reps, REVENUE)
