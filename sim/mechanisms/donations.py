"""Community donation fund (社区基金), matched by the government (seed 001 §2 二是, §3 一是).

Seed 001 names the community fund as a platform of co-governance (§2 二是:
「社区基金会」) and has 5% of outsourced-service income flow into it (§3 一是:
「5%汇入社区基金」; that share already reaches the community fund in
``funding.py``). With ``donations`` on, adults give to a separate donation fund
once a month: each gives ``donation_amount`` with a chance that grows with their
public spirit, belonging and trust in the residents' committee. The government
matches every yuan given with ``donation_match_rate`` yuan, up to
``donation_match_cap`` yuan per community and year (an earmark of its own, not
the co-funding budget of ``government_budget``). Whenever the fund holds the cost
of a micro-project it pays for one (a bench, a light, a repaired path), and every
resident of the community gains a little satisfaction; donors gain a little
belonging (warm glow). Nothing here runs, or draws, while ``donations`` is off.

The propensity and amounts are assumptions (no seed gives them).
Conservation: donations + matches = balance + spent on micro-projects.
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import T_RC
from sim.calendar import is_month_start, is_year_start
from sim.mechanisms.base import Mechanism, ModelLike, Outcome, Param, State, coef, toward

SECTION = "funding"
SEED = "seed 001 §2 二是 (社区基金会), §3 一是 (5%汇入社区基金); value assumption"


def _c(name, default, meaning, zh, lo=0.0, hi=1.0, plausible=None, unit=""):
    return coef(SECTION, name, default, meaning, zh, lo, hi, plausible, unit)


PARAMS = (
    Param(
        "donations",
        SECTION,
        False,
        "bool",
        "residents donate monthly to a community donation fund that pays for micro-projects",
        SEED,
        lever=True,
        label_zh="社区基金捐赠",
        meaning_zh="居民每月向社区基金捐款, 基金用于社区微项目",
    ),
    Param(
        "donation_match_rate",
        SECTION,
        1.0,
        "float",
        "yuan the government adds for every yuan residents donate",
        SEED,
        "×",
        0.0,
        5.0,
        lever=True,
        label_zh="政府配捐比例",
        meaning_zh="居民每捐 1 元, 政府配捐的金额",
    ),
    Param(
        "donation_match_cap",
        SECTION,
        20000.0,
        "float",
        "most the government adds per community and year",
        SEED,
        "yuan/year",
        0.0,
        1e7,
        lever=True,
        label_zh="政府配捐年度上限",
        meaning_zh="每个社区每年政府配捐的最高金额",
    ),
    _c(
        "donation_rate",
        0.1,
        "monthly chance of giving of an adult with full public spirit, belonging and trust",
        "捐赠月概率",
        plausible=(0.03, 0.2),
    ),
    _c(
        "donation_amount", 50.0, "yuan given per gift", "每次捐款金额", hi=10000.0, plausible=(20.0, 100.0), unit="yuan"
    ),
    _c(
        "donation_w_spirit",
        0.4,
        "weight of public spirit in the propensity to give",
        "捐赠倾向: 公益心权重",
        plausible=(0.2, 0.6),
    ),
    _c(
        "donation_w_belonging",
        0.3,
        "weight of belonging in the propensity to give",
        "捐赠倾向: 归属感权重",
        plausible=(0.1, 0.5),
    ),
    _c(
        "donation_w_trust",
        0.3,
        "weight of trust in the residents' committee in the propensity to give",
        "捐赠倾向: 信任权重",
        plausible=(0.1, 0.5),
    ),
    _c(
        "micro_project_cost",
        5000.0,
        "cost of one micro-project paid by the fund",
        "微项目成本",
        lo=1.0,
        hi=1e6,
        plausible=(2000.0, 10000.0),
        unit="yuan",
    ),
    _c(
        "micro_project_gain",
        0.01,
        "step of every resident's satisfaction towards 1 per micro-project",
        "微项目满意度增益",
        plausible=(0.0, 0.03),
    ),
    _c(
        "donor_belonging_gain",
        0.01,
        "step of a donor's belonging towards 1 (warm glow)",
        "捐赠者归属感增益",
        plausible=(0.0, 0.03),
    ),
)


class Donations(Mechanism):
    """Monthly gifts to the community donation fund, government matching, micro-projects."""

    name = "donations"
    section = SECTION
    params = PARAMS
    states = (State("donated", np.float64, 0.0, "yuan the resident has given to the donation fund"),)
    counters = ("donations_yuan", "donation_match_yuan", "micro_projects", "donors")
    outcomes = (
        Outcome(
            "donations_total",
            "yuan residents gave to the community donation fund so far",
            "yuan",
            "Donations so far",
            "累计居民捐款（元）",
            "cumulative",
            "higher",
            counter="donations_yuan",
        ),
        Outcome(
            "donation_match_total",
            "yuan the government added to the donation fund so far",
            "yuan",
            "Government matching so far",
            "累计政府配捐（元）",
            "cumulative",
            "neutral",
            counter="donation_match_yuan",
        ),
        Outcome(
            "donation_fund_balance",
            "yuan in the community donation funds",
            "yuan",
            "Donation fund balance",
            "社区基金捐赠余额（元）",
            "stock",
            "neutral",
            compute=lambda m: float(m.mech["donations"].balance.sum()),
        ),
        Outcome(
            "micro_projects_total",
            "micro-projects paid by the donation fund so far",
            "projects",
            "Micro-projects funded so far",
            "累计社区基金微项目",
            "cumulative",
            "higher",
            counter="micro_projects",
        ),
    )
    after = ("turnover",)  # newcomers arrive (their donation record reset) before they may give

    def __init__(self, model: ModelLike):
        super().__init__(model)
        n = model.struct.n_communities
        self.balance = np.zeros(n)
        self.spent = np.zeros(n)
        self.match_left = np.full(n, float(model.p["donation_match_cap"]))

    @override
    def active(self, p: dict) -> bool:
        """Runs only with the donation fund on."""
        return p["donations"]

    @override
    def step(self) -> None:
        m, p = self.model, self.model.p
        if is_year_start(m.tick):
            self.match_left[:] = p["donation_match_cap"]
        if not is_month_start(m.tick):
            return
        gifts = self._gifts(p)
        match = np.minimum(p["donation_match_rate"] * gifts, self.match_left)
        self.match_left -= match
        self.balance += gifts + match
        m.count("donations_yuan", float(gifts.sum()))
        m.count("donation_match_yuan", float(match.sum()))
        self._micro_projects(p)

    def _gifts(self, p: dict) -> np.ndarray:
        """Draw this month's donors; book their gifts; return yuan given per community."""
        m, res = self.model, self.model.residents
        propensity = (
            p["donation_w_spirit"] * res.intrinsic
            + p["donation_w_belonging"] * res.belonging
            + p["donation_w_trust"] * res.trust[:, T_RC]
        )
        chance = p["donation_rate"] * np.clip(propensity, 0, 1) * res.adult
        donors = np.flatnonzero(self.rng.random(res.n) < chance)
        res.donated[donors] += p["donation_amount"]
        res.belonging[donors] = toward(res.belonging[donors], p["donor_belonging_gain"])
        m.count("donors", len(donors))
        return np.bincount(res.community[donors], minlength=len(self.balance)) * p["donation_amount"]

    def _micro_projects(self, p: dict) -> None:
        """Pay for as many micro-projects as each fund holds; residents of the community notice."""
        m, res = self.model, self.model.residents
        n = np.floor(self.balance / p["micro_project_cost"])
        if not n.any():
            return
        cost = n * p["micro_project_cost"]
        self.balance -= cost
        self.spent += cost
        m.count("micro_projects", int(n.sum()))
        for c in np.flatnonzero(n):
            lo, hi = m.community_slice[c]
            # k projects each move satisfaction a step towards 1: together 1 − (1 − g)^k of the way
            step = 1 - (1 - p["micro_project_gain"]) ** n[c]
            res.satisfaction[lo:hi] = toward(res.satisfaction[lo:hi], step)
