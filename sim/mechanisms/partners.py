"""Governance partners as roles (治理合伙人, seed 002 §2 一是 and §3 三是).

X community organised its residents as three kinds of partner: good-neighbour
partners (睦邻合伙人: 「引导党员和热心居民组成“睦邻合伙人”」, 1,192 registered volunteers
in 12 teams), building partners (建设合伙人: 「“社区能人”“能工巧匠”65人」 who work on parking,
greenery, sanitation) and team partners (团队合伙人: 「将居住地报到党员、组织派遣下沉党员、志愿者服务队、
户外工作群体等力量进行吸纳」, red work teams). When the community park was built, the
partners 「投工投劳」: they contributed labour.

With ``partner_roles`` on, each resident holds at most one role (state ``partner``);
a partner's days of taking part (booked by participation and the other mechanisms)
are spent on the work of that role:

- *Good-neighbour partners* are the registered volunteers (X's 1,192 registered
  volunteers are its good-neighbour partners; ``base_logit`` is calibrated to that
  figure, participation.py). On each day a neighbour partner takes part, they help a
  neighbour in their own building: the helped neighbour's belonging moves
  ``help_belonging_gain`` towards 1.
- *Building partners* (capable residents, 社区能人; ``building_partner_share``) who
  take part on a day when their estate has an open funded project give that day's
  labour to it. A labour day is worth ``labour_day_value`` yuan of the project's
  work: it advances the project by that share of its cost and covers the same share
  of the money (work given in kind needs no payment). The project books it from the
  next day's progress.
- *Team partners* (Party members; ``team_partner_share``) recently active lead the
  community's organisations: each day the friction of every organisation falls by
  ``team_lead_heal`` × active team partners per organisation.

Partners are recruited on the first day and on each month start (new registered
volunteers; vacancies of residents who moved away or dropped out), unless
collaboration has failed in the community (collaboration.py). Roles add no days of
taking part: they decide what those days do.
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.calendar import month_of
from sim.mechanisms.base import Mechanism, Outcome, Param, State, coef

SEED = "seed 002 §2 一是"
NONE, NEIGHBOUR, BUILDING, TEAM = 0, 1, 2, 3
KINDS = ("neighbour", "building", "team")

LEVERS: tuple[Param, ...] = (
    Param(
        "partner_roles",
        "partners",
        False,
        "bool",
        "residents are good-neighbour, building or team partners and do that kind of work",
        f"{SEED} 「睦邻合伙人」「建设合伙人」「团队合伙人」; §3 三是 「投工投劳」",
        lever=True,
        label_zh="治理合伙人角色",
        meaning_zh="居民分别担任睦邻、建设、团队合伙人，做各自的工作（邻里互助、投工投劳、带领队伍）",
    ),
)


def _c(name, default, meaning, zh, lo=0.0, hi=1.0, plausible=None, unit="", source="assumption", kind="float"):
    return coef("partners", name, default, meaning, zh, lo, hi, plausible, unit, source, kind)


PARAMS = (
    _c(
        "building_partner_share",
        0.00306,
        "share of residents who are building partners (capable residents and craftsmen)",
        "建设合伙人占居民比例",
        plausible=(0.001, 0.01),
        source=f"{SEED} 「“社区能人”“能工巧匠”65人」 of 「居民21235人」 (65/21235)",
    ),
    _c(
        "team_partner_share",
        0.005,
        "share of residents who are team partners (Party members leading red work teams)",
        "团队合伙人占居民比例",
        plausible=(0.002, 0.01),
    ),
    _c(
        "help_belonging_gain",
        0.05,
        "step of a helped neighbour's belonging towards 1",
        "邻里互助的归属感增益",
        plausible=(0.02, 0.1),
    ),
    _c(
        "labour_day_value",
        200.0,
        "value of a day's labour given in kind, as project work",
        "一个投工日折合价值",
        hi=5000.0,
        plausible=(100.0, 400.0),
        unit="yuan",
    ),
    _c(
        "team_lead_heal",
        0.002,
        "daily fall of an organisation's friction per recently active team partner per organisation",
        "团队合伙人带队的内耗下降",
        hi=0.1,
        plausible=(0.0005, 0.005),
        unit="1/day",
    ),
)


OUTCOMES = (
    Outcome(
        "partners_neighbour",
        "residents who are good-neighbour partners",
        "residents",
        "Good-neighbour partners",
        "睦邻合伙人数",
        "stock",
        "higher",
        compute=lambda m: m.mech["partners"].counts[0] if "partners" in m.mech else 0,  # refreshed daily
    ),
    Outcome(
        "partners_building",
        "residents who are building partners",
        "residents",
        "Building partners",
        "建设合伙人数",
        "stock",
        "higher",
        compute=lambda m: m.mech["partners"].counts[1] if "partners" in m.mech else 0,
    ),
    Outcome(
        "partners_team",
        "residents who are team partners",
        "residents",
        "Team partners",
        "团队合伙人数",
        "stock",
        "higher",
        compute=lambda m: m.mech["partners"].counts[2] if "partners" in m.mech else 0,
    ),
    Outcome(
        "neighbourly_help_total",
        "neighbours helped by good-neighbour partners so far",
        "helps",
        "Neighbourly help so far",
        "累计邻里互助次数",
        "cumulative",
        "higher",
        counter="neighbourly_help",
    ),
    Outcome(
        "labour_days_total",
        "days of labour building partners gave to projects so far (投工投劳)",
        "labour-days",
        "Labour given to projects so far",
        "累计投工投劳日数",
        "cumulative",
        "higher",
        counter="labour_days",
    ),
    Outcome(
        "labour_value_total",
        "value of the labour given in kind to projects so far",
        "yuan",
        "Labour value given so far",
        "累计投工投劳折合价值",
        "cumulative",
        "higher",
        counter="labour_value",
        zero=0.0,
    ),
)


class Partners(Mechanism):
    """Recruit partners; each kind does its work: neighbourly help, labour on projects, leading teams."""

    name = "partners"
    params = LEVERS + PARAMS
    outcomes = OUTCOMES
    states = (State("partner", np.int8, NONE, "governance partner role: 0 none, 1 neighbour, 2 building, 3 team"),)
    counters = ("neighbourly_help", "labour_days", "labour_value", "partners_recruited")
    after = ("participation",)  # partners' work is done on the days they take part

    def __init__(self, model):
        super().__init__(model)
        self.counts = [0, 0, 0]
        self._month = -1  # month of the last recruitment
        self._all = np.empty(0, np.int64)  # ids that held a role at the last recruitment
        self._seen = np.empty(0, np.int32)  # their activity counts at the last (daily) reckoning

    @override
    def active(self, p: dict) -> bool:
        """Runs with partner roles switched on."""
        return bool(p["partner_roles"])

    @override
    def step(self) -> None:
        """Every day: the day's taking part becomes each partner's work; recruit monthly.

        (Until 2026-11-29 a week's work was reckoned at once, a weekly step in belonging:
        validation case "smooth".)
        """
        m, res = self.model, self.model.residents
        first = self._month < 0
        if not first:
            acts = res.activities[self._all]
            # a resident who moved away left a newcomer with a count from 0: nothing to reckon
            days = np.maximum(acts - self._seen, 0)
            role = res.partner[self._all]
            self._help(np.repeat(self._all[role == NEIGHBOUR], days[role == NEIGHBOUR]))
            self._labour(np.repeat(self._all[role == BUILDING], days[role == BUILDING]))
            self._lead()
        if month_of(m.tick) != self._month:
            self._month = month_of(m.tick)
            self._recruit()
        self._seen = res.activities[self._all]
        self._recount()

    def ids(self) -> list[np.ndarray]:
        """Current partners of each kind (neighbour, building, team)."""
        role = self.model.residents.partner[self._all]
        return [self._all[role == k] for k in (NEIGHBOUR, BUILDING, TEAM)]

    def drop(self, who: np.ndarray) -> None:
        """Partners ``who`` give up their role (collaboration.py)."""
        self.model.residents.partner[who] = NONE
        self._recount()

    def _recount(self) -> None:
        """Partners of each kind (the outcomes; refreshed daily, at recruitment and at drop-outs)."""
        self.counts = np.bincount(self.model.residents.partner[self._all], minlength=4)[1:].tolist()

    def _recruit(self) -> None:
        m, p, res = self.model, self.model.p, self.model.residents
        coll = m.mech.get("collaboration")
        shares = (p["building_partner_share"], p["team_partner_share"])
        for c, (lo, hi) in enumerate(m.community_slice):
            if coll is not None and coll.active(p) and not coll.recruiting(c):
                continue
            role = res.partner[lo:hi]
            free = res.adult[lo:hi] & (role == NONE)
            pools = (free & res.capable[lo:hi], free & res.party[lo:hi])  # 社区能人; reporting/dispatched members
            for k, (share, pool) in enumerate(zip(shares, pools, strict=True), start=BUILDING):
                want = int(round(share * (hi - lo))) - int(np.count_nonzero(role == k))
                cand = np.flatnonzero(pool & (role == NONE))
                w = res.intrinsic[lo + cand].astype(np.float64)  # the keenest first, by chance
                if want <= 0 or len(cand) == 0 or w.sum() <= 0:
                    continue
                pick = lo + self.rng.choice(cand, size=min(want, len(cand)), replace=False, p=w / w.sum())
                res.partner[pick] = k
                m.count("partners_recruited", len(pick))
            # registered volunteers without another role are the good-neighbour partners (「注册志愿者达1192人」)
            new = lo + np.flatnonzero(res.volunteer[lo:hi] & (res.partner[lo:hi] == NONE))
            res.partner[new] = NEIGHBOUR
            m.count("partners_recruited", len(new))
        self._all = np.flatnonzero(res.partner)
        self._recount()

    def _help(self, helpers: np.ndarray) -> None:
        """Each day a neighbour partner took part (``helpers``, repeated), they helped a neighbour in the building."""
        m, p, res = self.model, self.model.p, self.model.residents
        if len(helpers) == 0:
            return
        b = res.building[helpers]
        helped = m.index.b_start[b] + (self.rng.random(len(helpers)) * m.index.b_count[b]).astype(np.int64)
        helped = helped[helped != helpers]
        res.belonging[helped] += np.float32(p["help_belonging_gain"]) * (1 - res.belonging[helped])
        m.count("neighbourly_help", len(helped))

    def _labour(self, builders: np.ndarray) -> None:
        """投工投劳: each day a building partner took part (``builders``, repeated) is a day's labour on a project."""
        m, p, ps, res = self.model, self.model.p, self.model.projects, self.model.residents
        if len(builders) == 0:
            return
        ids = ps.open_ids
        ids = ids[ps.column("cost")[ids] > 0]
        if len(ids) == 0:
            return
        # a builder works on one open project of the estate: the estate's first open funded project
        first = np.full(m.struct.n_estates, -1, np.int64)
        first[ps.column("estate")[ids][::-1]] = ids[::-1]
        pids = first[res.estate[builders]]
        pids = pids[pids >= 0]
        if len(pids) == 0:
            return
        days = np.bincount(pids, minlength=ps.column("cost").shape[0])[ids]
        share = days * p["labour_day_value"] / ps.column("cost")[ids]
        # the work given in kind needs no money: it is in hand and done
        ps.column("in_hand")[ids] = np.minimum(ps.column("in_hand")[ids] + share, 1.0)
        ps.column("progress")[ids] += share
        m.count("labour_days", len(pids))
        m.count("labour_value", float(len(pids) * p["labour_day_value"]))

    def _lead(self) -> None:
        """Team partners active within ``activity_window`` days lower organisations' friction (a day's worth)."""
        m, p, orgs, res = self.model, self.model.p, self.model.orgs, self.model.residents
        leaders = self._all[res.partner[self._all] == TEAM]
        leaders = leaders[res.last_active[leaders] > m.tick - p["activity_window"]]
        if orgs.n == 0 or len(leaders) == 0:
            return
        C = m.struct.n_communities
        n_orgs = np.maximum(np.bincount(orgs.community, minlength=C), 1)
        per_org = np.bincount(res.community[leaders], minlength=C) / n_orgs
        # nobody leads a dissolved organisation back
        heal = p["team_lead_heal"] * per_org[orgs.community] * orgs.alive
        orgs.friction = np.maximum(orgs.friction - heal, 0.0)
