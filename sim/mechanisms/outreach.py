"""Outreach against information asymmetry (seed 000 §4.3.1; 微宣讲 §2.1.3, §5.5.3; 微平台 §2.1.4).

Seed 000 names information asymmetry as a cause of low participation:
「居民与社区之间存在信息不对称问题,居民对社区微治理的理念与活动认知不足、动力不足,无法有效参与」.
Micro-talks (微宣讲) 「传播政策法规、文化知识、道德规范等内容」 in lectures and building
meetings; residents 「可通过社区专属APP、微信群、公众号获取社区资讯、服务信息」; notice boards
(「社区广播、宣传栏」, §5.3.2) carry the same.

Each resident has a state ``informed`` in [0, 1]: the share of what there is to know
about the community's services, rules and meetings that they know (one index, not
three). Residents forget ``forget_rate`` of it a day and learn from word of mouth at
the rate that holds everyone at ``informed_reference`` when there is no outreach
(the level the model's other coefficients were set at). Outreach adds:

- *micro-talks* (``micro_talks_per_month`` per community): each talk invites
  ``talk_audience`` adults of the community at random; those at home attend
  (booked as taking part) and move ``talk_gain`` of the way towards knowing all;
- *notice boards* (``notice_boards``): every resident learns at ``board_learn_rate``
  a day more;
- *online groups* (``online_groups``): the digitally connected learn at
  ``online_learn_rate`` a day more.

What residents know acts where they decide: the participation logit gains
``w_informed`` · (informed − reference) (participation.py), and the chance that a
resident reports a matter themself is × (1 + ``report_w_informed`` · (informed −
reference)) (channels.py). With no outreach lever on the mechanism does not run,
and both terms are absent, which is the same as everyone at the reference.
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.arrays import unique_ints
from sim.calendar import DAYS_PER_MONTH
from sim.mechanisms.base import Mechanism, Outcome, Param, State, coef
from sim.mechanisms.channels import at_home

SEED = "seed 000"

LEVERS: tuple[Param, ...] = (
    Param(
        "micro_talks_per_month",
        "outreach",
        0.0,
        "float",
        "micro-talks (微宣讲: lectures, building meetings) per community per month",
        f"{SEED} §2.1.3 「传播政策法规、文化知识、道德规范等内容」; §5.5.3 「广泛开展讲理论、说政策、学法律」",
        unit="talks/month",
        lo=0.0,
        hi=100.0,
        lever=True,
        label_zh="每月微宣讲场次",
        meaning_zh="每个社区每月举办的微宣讲（讲座、楼栋会议）场次，向居民传播服务、规则和议事信息",
    ),
    Param(
        "notice_boards",
        "outreach",
        False,
        "bool",
        "notice boards and community broadcasts carry information on services, rules and meetings",
        f"{SEED} §5.3.2 「通过社区广播、宣传栏等形式」",
        lever=True,
        label_zh="宣传栏与社区广播",
        meaning_zh="宣传栏和社区广播发布服务、规则和议事信息",
    ),
    Param(
        "online_groups",
        "outreach",
        False,
        "bool",
        "online groups (WeChat groups, community app, official account) carry community information",
        f"{SEED} §2.1.4 「居民也可通过社区专属APP、微信群、公众号获取社区资讯、服务信息」",
        lever=True,
        label_zh="线上群组信息发布",
        meaning_zh="通过微信群、社区APP、公众号发布社区资讯和服务信息",
    ),
)


def _c(name, default, meaning, zh, lo=0.0, hi=1.0, plausible=None, unit="", kind="float"):
    return coef("outreach", name, default, meaning, zh, lo, hi, plausible, unit, kind=kind)


PARAMS = (
    _c(
        "informed_reference",
        0.3,
        "what residents know without outreach (held there by word of mouth against forgetting)",
        "无宣传时居民知晓程度",
        plausible=(0.15, 0.5),
    ),
    _c(
        "forget_rate",
        0.01,
        "daily share of what a resident knows that is forgotten or goes out of date",
        "知晓度日遗忘率",
        plausible=(0.003, 0.03),
        unit="1/day",
    ),
    _c(
        "talk_audience",
        30,
        "adults invited to a micro-talk",
        "每场微宣讲邀请人数",
        lo=0,
        hi=1000,
        plausible=(15, 60),
        unit="residents",
        kind="int",
    ),
    _c(
        "talk_gain",
        0.5,
        "step of an attendee's knowledge towards knowing all",
        "微宣讲知晓度增益",
        plausible=(0.25, 0.75),
    ),
    _c(
        "board_learn_rate",
        0.005,
        "extra daily learning rate from notice boards and broadcasts",
        "宣传栏日学习率",
        plausible=(0.002, 0.01),
        unit="1/day",
    ),
    _c(
        "online_learn_rate",
        0.01,
        "extra daily learning rate of a digitally connected resident from online groups",
        "线上群组日学习率",
        plausible=(0.004, 0.02),
        unit="1/day",
    ),
    _c(
        "w_informed",
        1.0,
        "weight of knowledge (informed − reference) in the participation logit",
        "参与选择: 知晓度权重",
        hi=10.0,
        plausible=(0.5, 2.0),
        unit="logit",
    ),
    _c(
        "report_w_informed",
        1.0,
        "relative change of the chance to report a matter oneself per unit of knowledge above the reference",
        "自行反映诉求: 知晓度权重",
        hi=5.0,
        plausible=(0.5, 2.0),
    ),
)

OUTCOMES = (
    Outcome(
        "informed_mean",
        "mean of what adults know about services, rules and meetings (0-1)",
        "",
        "Residents informed",
        "居民知晓度",
        "stock",
        "higher",
        compute=lambda m: m.mech["outreach"].informed_mean() if "outreach" in m.mech else 0.0,
    ),
    Outcome(
        "micro_talks_total",
        "micro-talks held so far",
        "talks",
        "Micro-talks so far",
        "累计微宣讲场次",
        "cumulative",
        "higher",
        counter="micro_talks",
    ),
)


class Outreach(Mechanism):
    """Residents' knowledge of services, rules and meetings: forgotten, spread by talks, boards and groups."""

    name = "outreach"
    params = LEVERS + PARAMS
    outcomes = OUTCOMES
    states = (State("informed", np.float32, 0.0, "share of services, rules and meetings known (0-1)"),)
    counters = ("micro_talks", "micro_talk_attendance")

    def __init__(self, model):
        super().__init__(model)
        self._started = False
        self._rate_key = None
        self._rate: tuple = (0.0, 1.0)

    @override
    def active(self, p: dict) -> bool:
        """Runs when any outreach lever is on."""
        return p["micro_talks_per_month"] > 0 or bool(p["notice_boards"]) or bool(p["online_groups"])

    def informed_mean(self) -> float:
        """Mean knowledge of adults (the reference when outreach is off)."""
        m = self.model
        if not self._started:
            return float(m.p["informed_reference"])
        res = m.residents
        return float(res.informed[res.adult].mean())

    def participation_shift(self) -> np.ndarray:
        """Today's term of the participation logit (float32, one per resident)."""
        p, res = self.model.p, self.model.residents
        return np.float32(p["w_informed"]) * (res.informed - np.float32(p["informed_reference"]))

    def report_factor(self, who: np.ndarray) -> np.ndarray:
        """Multiplier of residents ``who``'s chance to report a matter themself."""
        p, res = self.model.p, self.model.residents
        return np.maximum(1 + p["report_w_informed"] * (res.informed[who] - p["informed_reference"]), 0.0)

    def _learn_rate(self) -> tuple[np.ndarray | float, np.ndarray | float]:
        """Daily learning rate r per resident (word of mouth, boards, online groups) and 1 − forget − r (weekly)."""
        m, p, res = self.model, self.model.p, self.model.residents
        key = (m.tick // 7, p["informed_reference"], p["forget_rate"], p["notice_boards"], p["online_groups"])
        if key != self._rate_key:
            ref = p["informed_reference"]
            rate = p["forget_rate"] * ref / (1 - ref) if ref < 1 else 1.0  # holds everyone at ref alone
            rate += p["board_learn_rate"] if p["notice_boards"] else 0.0
            if p["online_groups"]:
                rate = (rate + p["online_learn_rate"] * res.digital).astype(np.float32)
            self._rate = (rate, np.float32(1 - p["forget_rate"]) - rate)
            self._rate_key = key
        return self._rate

    @override
    def step(self) -> None:
        p, res = self.model.p, self.model.residents
        if not self._started:  # everyone starts where the model's other coefficients were set
            res.informed[:] = p["informed_reference"]
            self._started = True
        rate, keep = self._learn_rate()
        # x += rate (1 − x) − forget · x, in place: x · (1 − forget − rate) + rate
        res.informed *= keep
        res.informed += rate
        if p["micro_talks_per_month"] > 0:
            self._talks()

    def _talks(self) -> None:
        m, p, res = self.model, self.model.p, self.model.residents
        C = m.struct.n_communities
        n = self.rng.poisson(p["micro_talks_per_month"] / DAYS_PER_MONTH, C)
        if n.sum() == 0 or p["talk_audience"] == 0:
            return
        m.count("micro_talks", int(n.sum()))
        comm = np.repeat(np.arange(C), n)
        k = p["talk_audience"]
        lo, size = m.community_start[comm], m.community_sizes[comm]
        invited = (lo[:, None] + (self.rng.random((len(comm), k)) * size[:, None]).astype(np.int64)).ravel()
        invited = invited[res.adult[invited]]
        came = unique_ints(invited[self.rng.random(len(invited)) < at_home(res.free_time[invited], p)])
        res.informed[came] += np.float32(p["talk_gain"]) * (1 - res.informed[came])
        m.count("micro_talk_attendance", len(came))
        m.record_activity(came)
