"""Consultation and deliberation (协商议事).

Meetings sit on a cadence (weekly 周周议, the 4th/14th/24th 逢四说事, monthly,
quarterly: seed 002 §2, seed 000 §5.1) with 1+3+N seats (seed 000 §5.5.1):
the Party organisation, the residents' committee, the property firm and a grid
worker, plus N residents. An offline "elders' hall" fills with those who have
time; an online hall with the digitally connected (seed 000 §5.2.2). Each
meeting takes up the problems with most pending complaints (one estate, one
kind) and decides by its rule; agreed problems become projects, which closes
the loop problem → deliberation → handling → implementation (seed 002 §2).
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import ELDERLY, NEVER, T_PARTY, T_RC
from sim.calendar import day_of_month, is_month_start, is_quarter_start, is_week_start, month_of
from sim.mechanisms.base import A, Mechanism, ModelLike, Outcome, Param, State, coef, param, toward
from sim.mechanisms.channels import at_home
from sim.mechanisms.matters import ROUTE_MEETING
from sim.mechanisms.projects import start_project

CADENCES = ("none", "weekly", "4-14-24", "monthly", "quarterly")
MEETING_MODES = ("offline", "online", "mixed")
DECISION_RULES = ("consensus", "majority", "leadership")
INSTITUTIONAL_SEATS = 4  # the "1+3": Party organisation, residents' committee, firm, grid worker
RULES = ("consensus", "majority", "leadership")


# the mechanism's scenario parameters: levers, sourced values and uncertainties (section [consultation])
CORE_PARAMS: tuple[Param, ...] = (
    param(
        "meeting_cadence",
        "consultation",
        "none",
        "choice",
        "how often consultation meetings (协商议事) sit",
        "seed 002 §2 四是 (周周议 weekly, 逢四说事; the days 4th/14th/24th are our reading); seed 000 §5.1 "
        "(monthly, quarterly)",
        choices=CADENCES,
        lever=True,
        zh="议事频次",
    ),
    param(
        "resident_seats",
        "consultation",
        7,
        "int",
        "N in the 1+3+N seats: resident seats per meeting",
        "seed 000 §5.5.1 (1+3+N; N not given, value assumption)",
        "seats",
        0,
        200,
        lever=True,
        zh="居民席位(1+3+N 的 N)",
    ),
    param(
        "meeting_mode",
        "consultation",
        "offline",
        "choice",
        "offline hall, online hall, or both",
        "seed 000 §5.2.2 (elders' hall vs online hall)",
        choices=MEETING_MODES,
        lever=True,
        zh="议事方式",
    ),
    param(
        "agenda_size",
        "consultation",
        4,
        "int",
        "major matters deliberated per meeting",
        A,
        "matters",
        1,
        100,
        zh="每次议题数",
    ),
    param(
        "decision_rule",
        "consultation",
        "majority",
        "choice",
        "how a meeting decides",
        A,
        choices=DECISION_RULES,
        lever=True,
        zh="决策规则",
    ),
    param(
        "feedback_loop",
        "consultation",
        False,
        "bool",
        "close the loop: results are fed back to the residents who raised the matter",
        "seed 002 §2 四是 (loop 问题-商议-办理-落实; 有反馈 named separately)",
        lever=True,
        zh="结果反馈闭环",
    ),
    param(
        "prior_communication",
        "consultation",
        True,
        "bool",
        "organisations explain activities to residents before launch (without it, more invited residents refuse)",
        "seed 000 §4.2.2 (Hangzhou sachets refused without prior communication)",
        lever=True,
        zh="活动前沟通",
    ),
)


def _c(name, default, meaning, zh, lo=0.0, hi=1.0, plausible=None):
    return coef("consultation", name, default, meaning, zh, lo, hi, plausible)


# Agreement chance = base + slope × representativeness; legitimacy of what is agreed.
# The ordering (consensus slow but legitimate, leadership quick but thin) follows
# seed 000 §5.5 and seed 002 §2; the numbers are assumptions.
PARAMS = (
    _c(
        "agree_base_consensus",
        0.35,
        "chance a consensus meeting agrees, before representativeness",
        "共识规则: 基础同意率",
        plausible=(0.2, 0.5),
    ),
    _c(
        "agree_slope_consensus",
        0.5,
        "extra agreement chance of a fully representative consensus meeting",
        "共识规则: 代表性加成",
        plausible=(0.3, 0.6),
    ),
    _c(
        "agree_base_majority",
        0.6,
        "chance a majority-vote meeting agrees, before representativeness",
        "多数规则: 基础同意率",
        plausible=(0.45, 0.75),
    ),
    _c(
        "agree_slope_majority",
        0.3,
        "extra agreement chance of a fully representative majority meeting",
        "多数规则: 代表性加成",
        plausible=(0.15, 0.4),
    ),
    _c(
        "agree_base_leadership",
        0.9,
        "chance a leadership-decided meeting agrees",
        "领导决定: 基础同意率",
        plausible=(0.75, 1.0),
    ),
    _c(
        "agree_slope_leadership",
        0.0,
        "extra agreement chance from representativeness under leadership decision",
        "领导决定: 代表性加成",
        hi=0.1,
        plausible=(0.0, 0.1),
    ),
    _c(
        "legitimacy_consensus",
        1.0,
        "legitimacy of what a consensus meeting agrees",
        "共识规则: 合法性",
        plausible=(0.8, 1.0),
    ),
    _c(
        "legitimacy_majority",
        0.8,
        "legitimacy of what a majority meeting agrees",
        "多数规则: 合法性",
        plausible=(0.6, 0.95),
    ),
    _c(
        "legitimacy_leadership",
        0.4,
        "legitimacy of what a leadership decision agrees",
        "领导决定: 合法性",
        plausible=(0.2, 0.6),
    ),
    _c(
        "online_reach",
        0.8,
        "chance a digitally connected resident can join an online meeting",
        "线上议事可及率",
        plausible=(0.6, 1.0),
    ),
    _c(
        "meeting_trust_gain",
        0.03,
        "step of attendees' trust in Party and committee towards 1 per meeting",
        "参会信任增益",
        hi=0.5,
        plausible=(0.01, 0.06),
    ),
)


def is_meeting_day(tick: int, cadence: str) -> bool:
    """Whether a meeting sits on day ``tick`` (sim.calendar: months are 30 days)."""
    if cadence == "weekly":
        return is_week_start(tick)
    if cadence == "4-14-24":
        return day_of_month(tick) in (4, 14, 24)
    if cadence == "monthly":
        return is_month_start(tick, offset=4)
    if cadence == "quarterly":
        return is_quarter_start(tick, offset=4)
    return False


# the outcomes this mechanism defines (columns of results())
OUTCOMES = (
    Outcome(
        "meetings",
        "consultation meetings held today (all communities)",
        "meetings",
        "Meetings today",
        "当日协商议事会次数",
        "flow",
        "neutral",
        counter="meetings",
    ),
    Outcome(
        "meeting_attendance",
        "seats filled at today's meetings (1+3 institutional + residents)",
        "seats",
        "Meeting attendance today",
        "当日议事会出席人次",
        "flow",
        "higher",
        counter="meeting_attendance",
    ),
    Outcome(
        "agenda_items",
        "problems deliberated at consultation meetings so far",
        "problems",
        "Agenda items so far",
        "累计议事议题",
        "cumulative",
        "higher",
        counter="agenda_items",
    ),
)


class Consultation(Mechanism):
    """Hold meetings on meeting days, decide on agenda problems, launch projects."""

    name = "consultation"
    outcomes = OUTCOMES
    params = CORE_PARAMS + PARAMS
    counters = ("meetings", "meeting_attendance", "meeting_representativeness", "agenda_items", "agenda_agreed")
    needs = ("projects", "property")  # start_project draws from the projects stream; the firm's seat
    # who deliberated, and how (rules.py: rule makers; co-funding: members who talked together)
    states = (
        State("last_meeting", np.int32, NEVER, "day the resident last attended a consultation meeting"),
        State("met_online", np.bool_, False, "the resident's last meeting was attended online"),
    )

    def __init__(self, model: ModelLike):
        super().__init__(model)
        self._shares: dict[int, tuple[int, np.ndarray]] = {}
        # today's attendees and representativeness per community (read by rules.py and incentives.py)
        self.meeting_day = NEVER
        self.attendees: dict[int, np.ndarray] = {}
        self.last_representativeness: dict[int, float] = {}
        self.params_changed()

    def params_changed(self) -> None:
        """Resolve the decision rule's agreement and legitimacy once (not per meeting)."""
        p = self.model.p
        self.agree = {r: (p[f"agree_base_{r}"], p[f"agree_slope_{r}"]) for r in RULES}
        self.legitimacy = {r: p[f"legitimacy_{r}"] for r in RULES}

    @override
    def active(self, p: dict) -> bool:
        """Meetings sit only when a cadence is set."""
        return p["meeting_cadence"] != "none"

    @override
    def step(self) -> None:
        m, p = self.model, self.model.p
        if not is_meeting_day(m.tick, p["meeting_cadence"]):
            return
        self.meeting_day, self.attendees = m.tick, {}
        for c in range(m.struct.n_communities):
            self._meet(c)

    def _attendees(self, c: int) -> np.ndarray:
        m, p, res = self.model, self.model.p, self.model.residents
        lo, hi = m.community_slice[c]
        seats = p["resident_seats"]
        if seats == 0:
            return np.empty(0, np.int64)
        mode = p["meeting_mode"]
        ft, dig = res.free_time[lo:hi], res.digital[lo:hi]
        offline, online = at_home(ft, p) ** 2, dig * p["online_reach"]
        reach = {"offline": offline, "online": online, "mixed": np.maximum(offline, online)}[mode]
        w = (reach * (res.intrinsic[lo:hi] + res.belonging[lo:hi]) * res.adult[lo:hi]).astype(np.float64)
        total = w.sum()
        if total <= 0:
            return np.empty(0, np.int64)
        k = min(seats, int((w > 0).sum()))
        return lo + self.rng.choice(hi - lo, size=k, replace=False, p=w / total)

    def _population_shares(self, c: int) -> np.ndarray:
        """Shares of elderly, migrants and renters among adults; refreshed monthly (turnover is slow)."""
        month = month_of(self.model.tick)
        cached = self._shares.get(c)
        if cached is None or cached[0] != month:
            m, res = self.model, self.model.residents
            lo, hi = m.community_slice[c]
            adult = res.adult[lo:hi]
            n = max(int(adult.sum()), 1)
            shares = np.array(
                [
                    np.count_nonzero((res.age[lo:hi] == ELDERLY) & adult) / n,
                    np.count_nonzero(res.migrant[lo:hi] & adult) / n,
                    np.count_nonzero(~res.owner[lo:hi] & adult) / n,
                ]
            )
            cached = self._shares[c] = (month, shares)
        return cached[1]

    def _representativeness(self, att: np.ndarray, c: int) -> float:
        """1 minus the summed gaps between attendees' and adults' shares of three groups."""
        if len(att) == 0:
            return 0.0
        res = self.model.residents
        seated = np.array([(res.age[att] == ELDERLY).mean(), res.migrant[att].mean(), (~res.owner[att]).mean()])
        return float(np.clip(1 - np.abs(seated - self._population_shares(c)).sum(), 0, 1))

    def _note_attendance(self, c: int, att: np.ndarray, r: float) -> None:
        """Remember who deliberated today and whether online (a mixed hall: the digitally connected)."""
        p, res = self.model.p, self.model.residents
        self.attendees[c], self.last_representativeness[c] = att, r
        res.last_meeting[att] = self.model.tick
        mode = p["meeting_mode"]
        res.met_online[att] = True if mode == "online" else (res.digital[att] if mode == "mixed" else False)

    def _firm_at_table(self, c: int) -> None:
        """The firm's seat of the 1+3+N: property complaints can commit the firm (property module)."""
        self.model.mech["property"].commit_at_meeting(c)

    def _meet(self, c: int) -> None:
        m, p, res, ms = self.model, self.model.p, self.model.residents, self.model.matters
        att = self._attendees(c)
        m.committees.meetings[c] += 1
        m.count("meetings", 1)
        m.count("meeting_attendance", len(att) + INSTITUTIONAL_SEATS)
        m.record_activity(att)
        self._firm_at_table(c)
        for col in (T_PARTY, T_RC):
            res.trust[att, col] = toward(res.trust[att, col], p["meeting_trust_gain"])
        r = self._representativeness(att, c)
        m.count("meeting_representativeness", r)
        self._note_attendance(c, att, r)
        ids = ms.open_ids
        q = ids[
            (ms.column("route")[ids] == ROUTE_MEETING)
            & (ms.column("project")[ids] < 0)
            & (ms.column("community")[ids] == c)
        ]
        if len(q) == 0:
            return
        key = ms.column("estate")[q].astype(np.int64) * 16 + ms.column("kind")[q]
        groups, counts = np.unique(key, return_counts=True)
        order = np.argsort(-counts, kind="stable")[: p["agenda_size"]]
        base, slope = self.agree[p["decision_rule"]]
        legit = self.legitimacy[p["decision_rule"]] * (0.5 + 0.5 * r)
        for g in groups[order]:
            m.count("agenda_items", 1)
            if self.rng.random() >= base + slope * r:
                continue
            m.count("agenda_agreed", 1)
            start_project(m, q[key == g], c, int(g // 16), legit)
