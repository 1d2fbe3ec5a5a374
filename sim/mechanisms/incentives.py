"""Incentives: points, redemption against a finite budget, ranking, time bank, awards.

Points are earned per activity and redeemed for goods once a resident holds
enough; each redemption costs the community's points budget, and when that
budget is spent redemptions are refused and residents soon stop counting on
points (seed 001 §2, seed 002 §2; field figures for values). While points are
offered, crowding-out acts on those rewarded: each award of points a resident
receives moves his or her intrinsic public spirit a step towards a floor below
its value as born, and it does not come back when points are withdrawn
(motivation crowding; strength from Deci, Koestner & Ryan 1999, see
``reward_crowding``). Residents never rewarded keep theirs. The time bank stores hours of
service that elderly residents draw on as care; monthly awards ("most
beautiful family") honour the most active residents and their buildings.
Points systems as run (seed 001 §2 一是: reporting fire hazards earns points too):
points per kind of action (activity, report, meeting, a month of keeping the
community's rule), deductions for breaches where a rule is in force, expiry of
points a set number of months after the month they were earned (oldest spent
first), and an honour roll (the ranking) that only some residents see: a share
of buildings with a board, or digitally connected residents online.
Conservation: points issued = redeemed + held + forfeited by leavers + expired + deducted.
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import ELDERLY, NEVER
from sim.arrays import unique_counts, unique_ints
from sim.calendar import DAYS_PER_MONTH, is_month_start, month_of
from sim.mechanisms.base import (
    A,
    Mechanism,
    ModelLike,
    Outcome,
    Param,
    State,
    coef,
    group_cumsum,
    param,
    segment_starts,
    toward,
)
from sim.store import rank_within

# the mechanism's scenario parameters: levers, sourced values and uncertainties (section [incentives])
CORE_PARAMS: tuple[Param, ...] = (
    param(
        "points",
        "incentives",
        False,
        "bool",
        "points for service and reporting, redeemable for goods (积分)",
        "seed 001 §2 一是; seed 002 §2 三是",
        lever=True,
        zh="积分制",
    ),
    param(
        "points_per_activity",
        "incentives",
        10.0,
        "float",
        "points earned per activity",
        "field figures (10–600 points per activity)",
        "points",
        0.0,
        600.0,
        lever=True,
        zh="每次活动积分",
    ),
    param(
        "yuan_per_point",
        "incentives",
        1.0,
        "float",
        "money value of one point at redemption",
        "field figures (¥1 per point, Yandu 2021)",
        "yuan",
        0.0,
        100.0,
        zh="每积分折合金额",
    ),
    param(
        "points_budget",
        "incentives",
        60000.0,
        "float",
        "money available for redeeming points per community per year (refilled on each anniversary; a change "
        "during the year resizes that year's budget on its day)",
        A,
        "yuan/year",
        0.0,
        1e9,
        lever=True,
        zh="积分兑换年度预算",
    ),
    param(
        "redeem_threshold",
        "incentives",
        40.0,
        "float",
        "points a resident gathers before redeeming an item",
        "field figures (≈40 points per item, Shenzhen)",
        "points",
        1.0,
        10000.0,
        zh="兑换门槛积分",
    ),
    param(
        "redeem_rate",
        "incentives",
        0.05,
        "float",
        "daily chance that a resident above the threshold redeems",
        A,
        "1/day",
        0.0,
        1.0,
        zh="兑换概率",
    ),
    param(
        "ranking",
        "incentives",
        False,
        "bool",
        "public ranking of points (honour roll)",
        "seed 001 §2 一是 (排名公示); seed 002 §2 三是 (honour roll)",
        lever=True,
        zh="积分排名公示",
    ),
    param(
        "time_bank",
        "incentives",
        False,
        "bool",
        "hours of service banked for later care (time bank)",
        "seed 001 §2 一是; field figures",
        lever=True,
        zh="时间银行",
    ),
    param(
        "time_bank_cap",
        "incentives",
        1500.0,
        "float",
        "most hours one account can hold",
        "field figures (Nanjing 2019)",
        "hours",
        1.0,
        100000.0,
        zh="时间银行上限",
    ),
    param(
        "awards",
        "incentives",
        False,
        "bool",
        "monthly role-model awards ('most beautiful family')",
        "seed 001 §2 一是 (最美家庭评选); seed 000 §5.5.3; seed 002 §2 三是 (身边好人); monthly cadence assumption",
        lever=True,
        zh="评先树优(最美家庭)",
    ),
    param(
        "crowding_out",
        "incentives",
        True,
        "bool",
        "extrinsic rewards crowd out intrinsic public spirit",
        "assumption (motivation crowding theory)",
        zh="挤出效应",
    ),
    param(
        "crowding_strength",
        "incentives",
        0.5,
        "float",
        "largest share of the moral or civic motive a price crowds out: the price frame a fine builds, and the "
        "civic part of accepting a paid request (prices.py; points use reward_crowding)",
        "assumption (checked against Gneezy & Rustichini 2000 and Frey & Oberholzer-Gee 1997, "
        "docs/validation.md case 4)",
        "",
        0.0,
        1.0,
        plausible=(0.25, 0.75),
        zh="价格挤出强度",
    ),
    param(
        "crowding_rate",
        "incentives",
        0.03,
        "float",
        "daily speed at which every adult's price frame grows towards crowding_strength while a fine is in force "
        "(prices.py)",
        A,
        "1/day",
        0.0,
        1.0,
        zh="价格挤出速度",
    ),
    param(
        "reward_crowding",
        "incentives",
        0.25,
        "float",
        "largest share of a rewarded resident's intrinsic public spirit that the points he or she receives crowd "
        "out (floor public_spirit × (1 − this); residents never rewarded keep theirs)",
        "Deci, Koestner & Ryan 1999, Psychol. Bull. 125(6): engagement-contingent rewards lower free-choice "
        "intrinsic motivation by d = −0.40 (−0.36 completion-, −0.28 performance-contingent); mapped as d × SD / "
        "mean of public spirit across adults (0.40 × 0.193 / 0.307 ≈ 0.25); docs/ODD.md §7.17",
        "",
        0.0,
        1.0,
        plausible=(0.05, 0.5),
        zh="奖励挤出上限",
    ),
    param(
        "reward_crowding_step",
        "incentives",
        1.0,
        "float",
        "share of the remaining gap to the crowded-out floor that each award of points closes (1: the first "
        "award takes a resident to the floor)",
        "calibrated against case timeline (b) (docs/validation.md): 1 reads Deci et al.'s d as the effect of being "
        "rewarded at all (one session) and was chosen after the first choice, 0.3, left participation after "
        "withdrawal at the never-rewarded level; no dose-response figure was found. That calibration ran on a "
        "scheme the timeline left unfunded; funded (fixed 2026-11-29), check (b) fails even at 1",
        "",
        0.0,
        1.0,
        plausible=(0.05, 1.0),
        zh="每次奖励挤出步长",
    ),
    param(
        "reward_half_value",
        "incentives",
        20.0,
        "float",
        "reward per activity (yuan) at which its pull on participation is half its maximum",
        A,
        "yuan",
        0.1,
        10000.0,
        zh="奖励半效值",
    ),
)


# points systems as run: points per kind of action, deductions, expiry, who sees the honour roll
FIELD_KINDS = "field figures (Yandu 2021: 10–600 points per kind of action; Yiyang 2025: 10 per publicity session)"
RUN_PARAMS: tuple[Param, ...] = (
    Param(
        "points_per_report",
        "incentives",
        0.0,
        "float",
        "points for raising a matter or reporting a hazard (0: reports earn nothing)",
        f"seed 001 §2 一是 「社区成员通过提供服务、上报火情风险信息等均可以获取积分」; {FIELD_KINDS}",
        "points",
        0.0,
        600.0,
        lever=True,
        label_zh="上报积分",
        meaning_zh="居民上报诉求或隐患（如火情风险）可得积分",
    ),
    Param(
        "points_per_meeting",
        "incentives",
        0.0,
        "float",
        "points for attending a consultation meeting",
        f"assumption; {FIELD_KINDS}",
        "points",
        0.0,
        600.0,
        lever=True,
        label_zh="议事积分",
        meaning_zh="参加协商议事会可得积分",
    ),
    Param(
        "points_per_rule_kept",
        "incentives",
        0.0,
        "float",
        "points each month for a resident who knows a community rule (rules.py) and broke no known rule that month",
        f"assumption; {FIELD_KINDS}",
        "points",
        0.0,
        600.0,
        lever=True,
        label_zh="守约积分",
        meaning_zh="知晓公约且当月无违规的居民每月可得积分",
    ),
    Param(
        "breach_deduction",
        "incentives",
        0.0,
        "float",
        "points deducted (at most what is held) for a norm breach of a kind whose rule is in force",
        "assumption (no field figure; docs/dev/evidence-behaviour.md §4.1, scaled to Yandu's 10–600 per action)",
        "points",
        0.0,
        600.0,
        lever=True,
        plausible=(0.0, 50.0),
        label_zh="违约扣分",
        meaning_zh="公约生效后违规一次扣除的积分",
    ),
    Param(
        "points_expiry_months",
        "incentives",
        0,
        "int",
        "points expire this many months after the month they were earned (0: never); oldest points are spent first",
        "assumption (validity periods exist: 曹晓敏、彭涛 2025; no figure; docs/dev/evidence-behaviour.md §4.1)",
        "months",
        0,
        120,
        lever=True,
        plausible=(0.0, 36.0),
        label_zh="积分有效期（月）",
        meaning_zh="积分在获得后若干个月过期（0为永久有效）",
    ),
    Param(
        "honour_roll_visibility",
        "incentives",
        1.0,
        "float",
        "share of residents who see the points ranking (honour roll): a share of buildings with a board, or of "
        "digitally connected residents online",
        "assumption (no figure; docs/dev/evidence-behaviour.md §4.2 suggests 0.3 posted, 0.6 online)",
        "",
        0.0,
        1.0,
        lever=True,
        label_zh="光荣榜可见度",
        meaning_zh="看得到积分排名（光荣榜）的居民比例",
    ),
    Param(
        "honour_roll_place",
        "incentives",
        "building",
        "choice",
        "where the honour roll is posted: on boards in buildings, or online (only digitally connected residents)",
        "seed 002 §2 三是 「常态化设立线上、线下光荣榜」 (online and offline honour rolls)",
        choices=("building", "online"),
        lever=True,
        label_zh="光荣榜张贴方式",
        meaning_zh="光荣榜张贴在楼栋公告栏或发布在线上",
    ),
)


def _c(name, default, meaning, zh, lo=0.0, hi=1.0, plausible=None, unit=""):
    return coef("incentives", name, default, meaning, zh, lo, hi, plausible, unit)


PARAMS = (
    _c(
        "care_use_rate",
        0.02,
        "daily chance an elderly account holder draws an hour of care",
        "老人每日提取时间银行概率",
        plausible=(0.005, 0.05),
        unit="1/day",
    ),
    _c("awards_per_1000", 1.0, "monthly awards per 1,000 residents", "每千人每月表彰数", hi=20.0, plausible=(0.5, 3.0)),
    _c(
        "redeem_belief_rate",
        0.2,
        "daily step of residents' belief that points pay out towards what they hear",
        "兑现信念调整速度",
        plausible=(0.05, 0.5),
    ),
    _c(
        "care_satisfaction_gain",
        0.05,
        "step of satisfaction towards 1 when an elderly resident draws an hour of care",
        "时间银行养老满意度增益",
        plausible=(0.02, 0.1),
    ),
    _c(
        "award_belonging_gain",
        0.1,
        "step of a winner's belonging towards 1",
        "获表彰者归属感增益",
        plausible=(0.05, 0.2),
    ),
    _c(
        "award_satisfaction_gain",
        0.05,
        "step of a winner's satisfaction towards 1",
        "获表彰者满意度增益",
        plausible=(0.02, 0.1),
    ),
    _c(
        "award_neighbour_gain",
        0.01,
        "step of belonging towards 1 of neighbours in a winner's building",
        "获表彰楼栋邻居归属感增益",
        plausible=(0.0, 0.03),
    ),
)


# the outcomes this mechanism defines (columns of results())
OUTCOMES = (
    Outcome(
        "points_issued",
        "points issued so far",
        "points",
        "Points issued so far",
        "累计发放积分",
        "cumulative",
        "neutral",
        counter="points_issued",
        zero=0.0,
    ),
    Outcome(
        "points_redeemed",
        "points redeemed so far",
        "points",
        "Points redeemed so far",
        "累计兑换积分",
        "cumulative",
        "neutral",
        counter="points_redeemed",
        zero=0.0,
    ),
    Outcome(
        "points_held",
        "points held by residents",
        "points",
        "Points held",
        "居民持有积分",
        "stock",
        "neutral",
        compute=lambda m: float(m.residents.points.sum()),
    ),
    Outcome(
        "redemptions_refused",
        "redemptions refused for lack of budget so far",
        "redemptions",
        "Redemptions refused so far",
        "累计因预算不足拒绝兑换",
        "cumulative",
        "lower",
        counter="redemptions_refused",
    ),
    Outcome(
        "incentive_cost_per_activity",
        "redemption cost so far per activity so far (yuan)",
        "yuan",
        "Incentive cost per activity",
        "每次活动激励成本（元）",
        "cumulative",
        "lower",
        compute=lambda m: m.totals.get("redemption_cost", 0.0) / max(m.totals.get("activities", 0), 1),
    ),
)


class Incentives(Mechanism):
    """Issue and redeem points; crowding-out; time bank; awards."""

    name = "incentives"
    outcomes = OUTCOMES
    params = CORE_PARAMS + RUN_PARAMS + PARAMS
    states = (
        State("points", np.float64, 0.0, "points held"),
        State("bank_hours", np.float32, 0.0, "time-bank hours held"),
        State("last_redeemed", np.int32, NEVER, "day the resident last redeemed points"),
    )
    counters = (
        "points_issued",
        "points_redeemed",
        "redemption_cost",
        "redemptions_refused",
        "care_hours_used",
        "awards",
        "points_deducted",
        "points_expired",
    )
    after = ("funding", "consultation", "norms", "rules")  # budget; today's meetings, breaches and rule
    needs = ("rules",)

    def __init__(self, model: ModelLike):
        super().__init__(model)
        self.redeemable = np.ones(model.struct.n_communities)  # residents' belief points pay out
        self._reports_seen = 0  # matters raised before this record were already rewarded
        self._cohorts: np.ndarray | None = None  # points held per resident by month earned (expiry on)
        # who sees the honour roll: fixed draws per building and per resident slot, from their own stream
        roll = model.streams["honour_roll"]
        self._roll_building = roll.random(model.struct.n_buildings)
        self._roll_resident = roll.random(model.residents.n)

    def roll_seen(self) -> np.ndarray | None:
        """Residents who see the honour roll (None: everyone, the roll on every building's board)."""
        p, res = self.model.p, self.model.residents
        v = p["honour_roll_visibility"]
        if p["honour_roll_place"] == "building":
            return None if v >= 1 else self.model.spread(self._roll_building, "building") < v
        return res.digital & (self._roll_resident < v)

    def _issue(self, who: np.ndarray, amount: float) -> None:
        """Credit ``amount`` points to each of ``who`` (indices may repeat), into this month's cohort."""
        if amount <= 0 or len(who) == 0:
            return
        m, res = self.model, self.model.residents
        np.add.at(res.points, who, amount)
        if self._cohorts is not None:
            np.add.at(self._cohorts[:, month_of(m.tick) % self._cohorts.shape[1]], who, amount)
        m.count("points_issued", amount * len(who))
        self._crowd_out(who)

    def reward(self, who: np.ndarray) -> None:
        """Credit points and banked hours for activities of ``who``."""
        p, res = self.model.p, self.model.residents
        if p["points"] and p["points_per_activity"] > 0:
            res.points[who] += p["points_per_activity"]
            if self._cohorts is not None:
                self._cohorts[who, month_of(self.model.tick) % self._cohorts.shape[1]] += p["points_per_activity"]
            self.model.count("points_issued", p["points_per_activity"] * len(who))
            self._crowd_out(who)
        if p["time_bank"]:
            res.bank_hours[who] = np.minimum(res.bank_hours[who] + 1.0, p["time_bank_cap"])

    @override
    def params_changed(self) -> None:
        """Start or stop tracking points by month when expiry is switched (held points count from now)."""
        k, res = self.model.p["points_expiry_months"], self.model.residents
        if k == 0:
            self._cohorts = None
        elif self._cohorts is None or self._cohorts.shape[1] != k:
            self._cohorts = np.zeros((res.n, k))
            self._cohorts[:, month_of(self.model.tick) % k] = res.points

    @override
    def step(self) -> None:
        p = self.model.p
        if p["points"]:
            if self._cohorts is None and p["points_expiry_months"] > 0:
                self.params_changed()
            self._earn_by_kind()
            self._deduct()
            if self._cohorts is not None and is_month_start(self.model.tick):
                self._expire()
            self._redeem()
        if p["time_bank"]:
            self._use_time_bank()
        if p["awards"] and is_month_start(self.model.tick):
            self._awards()

    def _earn_by_kind(self) -> None:
        """Points for reports (matters raised since yesterday), meetings attended today, a month of keeping the rule."""
        m, p, ms = self.model, self.model.p, self.model.matters
        if p["points_per_report"] > 0:
            self._issue(ms.column("resident")[self._reports_seen : ms.size], p["points_per_report"])
        self._reports_seen = ms.size
        cons = m.mech["consultation"]
        if p["points_per_meeting"] > 0 and cons.meeting_day == m.tick:
            for att in cons.attendees.values():
                self._issue(att, p["points_per_meeting"])
        rules = m.mech["rules"]
        if p["points_per_rule_kept"] > 0 and rules.active(p) and is_month_start(m.tick):
            # a month without breaking any rule in force that the resident knows (rules of other kinds aside)
            self._issue(np.flatnonzero(rules.kept(m.tick - DAYS_PER_MONTH)), p["points_per_rule_kept"])

    def _deduct(self) -> None:
        """Deduct points (at most what is held) for today's breaches of a kind whose rule is in force."""
        m, p, res = self.model, self.model.p, self.model.residents
        rules = m.mech["rules"]
        if p["breach_deduction"] <= 0 or not rules.active(p):
            return
        who = np.flatnonzero(res.last_breach == m.tick)
        who = who[rules.covers(who, m.tick)]
        take = np.minimum(res.points[who], p["breach_deduction"])
        res.points[who] -= take
        m.count("points_deducted", float(take.sum()))

    def _expire(self) -> None:
        """At a month's start, points earned ``points_expiry_months`` months ago lapse.

        Cohorts are first brought in line with what residents hold (redemptions, deductions and
        leavers took points out, oldest first); the oldest cohort then expires.
        """
        m, res, coh = self.model, self.model.residents, self._cohorts
        k = coh.shape[1]
        oldest = month_of(m.tick) % k  # holds points earned k months ago, expiring now
        order = [(oldest + j) % k for j in range(k)]
        np.maximum(coh, 0, out=coh)
        excess = np.maximum(coh.sum(axis=1) - res.points, 0)
        for col in order:
            take = np.minimum(coh[:, col], excess)
            coh[:, col] -= take
            excess -= take
        lapse = np.minimum(coh[:, oldest], res.points)
        res.points -= lapse
        coh[:, oldest] = 0
        m.count("points_expired", float(lapse.sum()))

    def _crowd_out(self, who: np.ndarray) -> None:
        """Crowd out the intrinsic public spirit of residents ``who``, one step per award of points received.

        Only those rewarded are touched (Deci, Koestner & Ryan 1999 measure the residents who
        received the reward): each award closes a share ``reward_crowding_step`` of the gap
        to the floor public_spirit · (1 − ``reward_crowding``), so k awards close 1 − (1 − s)^k
        of it and the floor is never passed. Nothing restores it: the undermining is measured
        after the reward stops, and no study found followed it long enough to see it recover.
        """
        p, res = self.model.p, self.model.residents
        step, depth = p["reward_crowding_step"], p["reward_crowding"]
        if not p["crowding_out"] or step <= 0 or depth <= 0 or len(who) == 0:
            return
        who, k = unique_counts(who)  # indices may repeat (two reports in a day)
        keep = (1.0 - step) ** k if k.max() > 1 else 1.0 - step
        floor = res.public_spirit[who] * np.float32(1.0 - depth)
        now = res.intrinsic[who]
        res.intrinsic[who] = np.where(now > floor, floor + (now - floor) * keep, now).astype(res.intrinsic.dtype)

    def _redeem(self) -> None:
        m, p, res, f = self.model, self.model.p, self.model.residents, self.model.funds
        thr = p["redeem_threshold"]
        holders = np.flatnonzero(res.points >= thr)
        holders = holders[self.rng.random(len(holders)) < p["redeem_rate"]]
        can_pay = f.points_budget >= thr * p["yuan_per_point"]
        # residents hear whether redemption still works; belief follows within days
        r = p["redeem_belief_rate"]
        self.redeemable += np.where(can_pay, r * (1 - self.redeemable), -r * self.redeemable)
        if len(holders) == 0:
            return
        pts = np.floor(res.points[holders] / thr) * thr
        cost = pts * p["yuan_per_point"]
        comm = res.community[holders]
        if comm[0] == comm[-1] and (len(comm) < 3 or (comm == comm[0]).all()):  # one community: a plain running sum
            csum = np.cumsum(cost)
        else:
            order = np.argsort(comm, kind="stable")
            csum = np.empty(len(holders))
            csum[order] = group_cumsum(cost[order], comm[order])
        paid = csum <= f.points_budget[comm] + 1e-9
        m.count("redemptions_refused", int((~paid).sum()))
        who, pts, cost, comm = holders[paid], pts[paid], cost[paid], comm[paid]
        res.points[who] -= pts
        res.last_redeemed[who] = m.tick
        spent = np.bincount(comm, weights=cost, minlength=len(f.points_budget))
        f.points_budget -= spent
        m.count("points_redeemed", float(pts.sum()))
        m.count("redemption_cost", float(cost.sum()))

    def _use_time_bank(self) -> None:
        m, p, res = self.model, self.model.p, self.model.residents
        holders = np.flatnonzero((res.bank_hours >= 1) & (res.age == ELDERLY))
        use = holders[self.rng.random(len(holders)) < p["care_use_rate"]]
        res.bank_hours[use] -= 1.0
        res.satisfaction[use] = toward(res.satisfaction[use], p["care_satisfaction_gain"])
        m.count("care_hours_used", len(use))

    def _awards(self) -> None:
        m, p, res = self.model, self.model.p, self.model.residents
        recent = np.flatnonzero(res.last_active > m.tick - DAYS_PER_MONTH)
        if len(recent) == 0:
            return
        comm = res.community[recent]
        k = np.maximum(1, np.round(m.community_sizes * p["awards_per_1000"] / 1000)).astype(int)
        top = recent[rank_within(comm, -res.activities[recent].astype(np.int64)) < k[comm]]
        m.count("awards", len(top))
        res.belonging[top] = toward(res.belonging[top], p["award_belonging_gain"])
        res.satisfaction[top] = toward(res.satisfaction[top], p["award_satisfaction_gain"])
        # role models: neighbours in the award winner's building feel a little prouder
        b = unique_ints(res.building[top])
        counts = m.index.b_count[b]
        nb = np.repeat(m.index.b_start[b] - segment_starts(counts), counts) + np.arange(counts.sum())
        res.belonging[nb] = toward(res.belonging[nb], p["award_neighbour_gain"])
