"""Trust and voice that answer to service (issue 10 item 3; Hirschman's exit and voice).

A matter left open beyond residents' patience (``patience_days``) erodes, each
day, the trust its raiser has in the actor responsible for it (the committees
for their own queue, for meetings' queue and for matters nobody has heard of;
organisations, the government, the firm for theirs) and the raiser's
satisfaction. When the matter is resolved, a share of what it cost comes back.
A matter that passes its due date also lowers its raiser's felt responsiveness
(state ``felt_response``), and so does seeing neighbours' matters go unanswered
in one's building; ``sim.mechanisms.matters.Needs`` draws raisers in proportion
to it (voice), and while it is below 1 it keeps wearing trust in the committees
down after the matter itself is gone (the daily attitude drift alone would
pull trust back to what satisfaction justifies). A resolution restores part of
it, and it fades back towards 1 slowly. Some raisers of overdue matters the
committees hold (or never heard of) go over the committees' head: they call the
12345 hotline or petition, the matter moves to the government's queue (loading
it) and some of these calls become disputes (petitions). Others give up: the
matter leaves the queue unresolved (silence, in Hirschman's terms).

Evidence (docs/dev/evidence-behaviour.md §3): responsiveness shapes satisfaction,
trust and continued participation (T1-T3 expectancy disconfirmation; T6 张宇、
黄慧敏 2024: the quality of government responses raises political trust and the
intention to keep participating); threats to complain to higher levels make
Chinese local governments respond (T4 Chen, Pan & Xu 2016) and matters drift
upwards (T7). None of these gives a number for a residents' committee, so every
coefficient here is an assumption with a wide plausible range.

Work is per open matter, vectorised: no loop over residents or matters.
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import T_FIRM, T_GOV, T_ORGS, T_RC
from sim.arrays import FirstOccurrence, unique_counts, unique_ints
from sim.mechanisms.base import Mechanism, Outcome, Param, State, coef
from sim.mechanisms.disputes import GRIEVANCE, open_disputes
from sim.mechanisms.matters import (
    CLASSES,
    ROUTE_COMMITTEE,
    ROUTE_FIRM,
    ROUTE_HARD,
    ROUTE_MEETING,
    ROUTE_ORGS,
)

# the actor (trust column) answerable for a matter on each route; a matter nobody has heard of
# yet (route -1) is the committees' failure to hear it (index -1 of this table is T_RC too)
ACTOR_OF_ROUTE = np.full(8, T_RC, np.int8)
ACTOR_OF_ROUTE[[ROUTE_COMMITTEE, ROUTE_MEETING, ROUTE_ORGS, ROUTE_HARD, ROUTE_FIRM]] = [
    T_RC,
    T_RC,
    T_ORGS,
    T_GOV,
    T_FIRM,
]

SRC_TRUST = (
    "assumption; direction from docs/dev/evidence-behaviour.md §3 T4-T6 (Chen, Pan & Xu 2016; "
    "张宇、黄慧敏 2024: response quality raises trust); proposed 0.03/month (0.01-0.1)"
)


def _c(name, default, meaning, zh, lo=0.0, hi=1.0, plausible=None, unit="", source="assumption"):
    return coef("service", name, default, meaning, zh, lo, hi, plausible, unit, source)


PARAMS = (
    Param(
        "service_trust",
        "service",
        True,
        "bool",
        "open matters erode their raisers' trust in the actor responsible and their voice; some go over "
        "the committees' head (switch of the mechanism, for comparisons)",
        "assumption (model structure; docs/dev/evidence-behaviour.md §3)",
        label_zh="服务回应影响信任与表达",
    ),
    _c(
        "open_trust_loss",
        0.006,
        "share of the raiser's trust in the responsible actor lost each day a matter is open beyond patience",
        "逾期事项每日信任流失比例",
        hi=0.1,
        plausible=(0.002, 0.015),
        unit="1/day",
        source=SRC_TRUST + " = 0.001/day against no pull-back; here the daily attitude drift (towards weekly "
        "targets) pulls trust back to what satisfaction justifies at ~0.01/day, so the loss is of that order "
        "(a year unanswered takes trust from ~0.5 to ~0.3)",
    ),
    _c(
        "open_satisfaction_loss",
        0.002,
        "share of the raiser's satisfaction lost each day a matter is open beyond patience",
        "逾期事项每日满意度流失比例",
        hi=0.1,
        plausible=(0.0005, 0.006),
        unit="1/day",
        source="assumption; direction from docs/dev/evidence-behaviour.md §3 T1-T3 (expectancy disconfirmation)",
    ),
    _c(
        "resolved_restore_share",
        0.5,
        "share of the trust and satisfaction a matter cost that comes back when it is resolved",
        "事项解决后信任恢复比例",
        plausible=(0.2, 1.0),
        source="assumption; docs/dev/evidence-behaviour.md §3.2 resolved_trust_gain 0.5 (0.2-1.0), T1",
    ),
    _c(
        "voice_decay",
        0.15,
        "share of a resident's voice (propensity to raise matters) lost when a matter of theirs passes patience",
        "事项逾期后表达意愿下降比例",
        plausible=(0.05, 0.4),
        source="assumption; docs/dev/evidence-behaviour.md §3.2 voice_decay 0.15 (0.05-0.4), T6",
    ),
    _c(
        "voice_recovery",
        0.5,
        "step of a resident's voice towards 1 when a matter of theirs is resolved",
        "事项解决后表达意愿恢复",
        plausible=(0.2, 0.8),
    ),
    _c(
        "hotline_rate",
        0.002,
        "daily chance that the raiser of an overdue matter the committees hold (or never heard of) takes it "
        "over their head (12345 hotline, petition)",
        "越级反映（12345、信访）日概率",
        hi=0.1,
        plausible=(0.0005, 0.006),
        unit="1/day",
        source="assumption; docs/dev/evidence-behaviour.md §3.2 escalation_prob 0.1 (0.02-0.3) per overdue "
        "matter, spread over ~50 days; T4 (complaining upwards works), T7 (matters drift upwards)",
    ),
    _c(
        "hotline_dispute_share",
        0.2,
        "share of matters taken over the committees' head that also open a dispute (a petition)",
        "越级反映转为纠纷的比例",
        plausible=(0.05, 0.4),
    ),
    _c(
        "memory_trust_loss",
        0.01,
        "share of trust in the committees lost a day per unit of unanswered experience (1 − felt_response)",
        "未获回应记忆的每日信任流失",
        plausible=(0.003, 0.03),
        unit="1/day",
        source="assumption; docs/dev/evidence-behaviour.md §3 T6 (response quality → political trust, for "
        "claimants and bystanders); of the order of the attitude drift's pull-back (~0.01/day)",
    ),
    _c(
        "bystander_voice_loss",
        0.01,
        "share of voice every resident loses a day per unit share of their building's adults with an "
        "overdue matter (seeing nothing happen)",
        "旁观者表达意愿日流失",
        plausible=(0.0, 0.03),
        unit="1/day",
        source="assumption; docs/dev/evidence-behaviour.md §3 T6 (bystanders' perceived response quality drives "
        "their intention to keep participating); with a fifth of a building's adults waiting, voice settles "
        "near 2/3 at the default voice_regain",
    ),
    _c(
        "voice_regain",
        0.004,
        "daily step of every resident's voice back towards 1 (memories of unanswered matters fade)",
        "表达意愿日恢复",
        hi=0.1,
        plausible=(0.001, 0.01),
        unit="1/day",
    ),
    _c(
        "give_up_rate",
        0.0027,
        "daily chance that the raiser of an overdue matter gives up on it (it leaves the queue unresolved)",
        "居民放弃逾期事项日概率",
        hi=0.1,
        plausible=(0.001, 0.011),
        unit="1/day",
        source="assumption (Hirschman 1970, docs/dev/evidence-behaviour.md §3 T9: silence when voice fails; "
        "about a year of waiting beyond patience; range 90 days to 3 years)",
    ),
)


def _adult_mean_voice(m) -> float:
    res = m.residents
    return float((m.adult_weight @ res.felt_response) / max(1.0, float(m.adult_weight.sum())))


OUTCOMES = (
    Outcome(
        "hotline_escalations_total",
        "matters taken over the committees' head so far (12345 hotline, petition)",
        "matters",
        "Matters taken over the committees' head so far",
        "累计越级反映事项",
        "cumulative",
        "lower",
        counter="hotline_escalations",
    ),
    Outcome(
        "matters_given_up_total",
        "overdue matters their raisers gave up on so far (left the queue unresolved)",
        "matters",
        "Matters given up so far",
        "累计居民放弃的事项",
        "cumulative",
        "lower",
        counter="matters_given_up",
    ),
    Outcome(
        "voice",
        "mean voice of adults (propensity to raise matters, 1 = undamped)",
        "0–1",
        "Voice (propensity to raise matters)",
        "居民表达意愿",
        "stock",
        "higher",
        compute=_adult_mean_voice,
    ),
)


class ServiceTrust(Mechanism):
    """Open matters erode their raisers' trust and voice; resolutions restore some; some go over the head."""

    name = "service"
    params = PARAMS
    outcomes = OUTCOMES
    states = (
        State(
            "felt_response",
            np.float32,
            1.0,
            "responsiveness the resident has experienced (own and neighbours' matters; 1 = all answered); "
            "scales their propensity to raise matters (voice)",
        ),
    )
    counters = ("hotline_escalations", "matters_given_up")
    after = ("handling",)  # today's resolutions by the handlers are known
    needs = ("disputes", "channels")  # opens petitions as disputes; counts surfaced matters

    def __init__(self, model):
        super().__init__(model)
        # per matter (indexed by matter id): trust and satisfaction its raiser has lost to it so far, the
        # trust column that loss was taken from, and whether it has passed patience
        self._lost_trust = np.zeros(0, np.float32)
        self._lost_sat = np.zeros(0, np.float32)
        self._lost_actor = np.zeros(0, np.int8)
        self._overdue = np.zeros(0, bool)
        self._prev_open = np.empty(0, np.int64)
        self._first = FirstOccurrence()

    @override
    def active(self, p) -> bool:
        return p["service_trust"]

    def _grow(self, size: int) -> None:
        """Extend the per-matter arrays to the matter store's size."""
        old = len(self._overdue)
        if size <= old:
            return
        new = max(size, 2 * old, 1024)
        for attr in ("_lost_trust", "_lost_sat", "_lost_actor", "_overdue"):
            arr = getattr(self, attr)
            grown = np.zeros(new, arr.dtype)
            grown[:old] = arr
            setattr(self, attr, grown)

    @override
    def step(self) -> None:
        ms = self.model.matters
        self._grow(ms.size)
        self._closed_since_yesterday()
        ids = ms.open_ids
        overdue = ids[self.model.tick - ms.column("raised")[ids] > self.model.p["patience_days"]]
        if len(overdue):
            self._newly_overdue(overdue)
            self._erode(overdue)
            self._bystanders(overdue)
            self._over_the_head(overdue)
            self._give_up(overdue)
        self._remember()
        self._prev_open = ms.open_ids.copy()

    def _remember(self) -> None:
        """Unanswered experience lowers trust in the committees every day; its memory fades slowly."""
        p, res = self.model.p, self.model.residents
        fr = res.felt_response
        gap = np.subtract(np.float32(1), fr)  # 1 − felt_response: unanswered experience (float32, one temporary)
        keep = gap * np.float32(p["memory_trust_loss"])
        np.subtract(np.float32(1), keep, out=keep)
        res.trust[:, T_RC] *= keep
        gap *= np.float32(p["voice_regain"])
        fr += gap

    def _closed_since_yesterday(self) -> None:
        """Matters resolved since the last step give back part of what they cost, and some voice."""
        p, ms, res = self.model.p, self.model.matters, self.model.residents
        # both id lists are sorted: what was open yesterday and is not found today has closed
        prev, now = self._prev_open, ms.open_ids
        is_open = np.zeros(ms.size, bool)  # a flag per matter: cheaper than bisecting one list in the other
        is_open[now] = True
        gone = prev[~is_open[prev]]
        gone = gone[ms.column("resolved")[gone] >= 0]
        if len(gone) == 0:
            return
        who = ms.column("resident")[gone]
        share = p["resolved_restore_share"]
        col = self._lost_actor[gone]
        # np.add.at: a resident with several matters resolved the same day gets each one back
        np.add.at(res.trust, (who, col), share * self._lost_trust[gone])
        np.add.at(res.satisfaction, who, share * self._lost_sat[gone])
        res.trust[who] = np.minimum(res.trust[who], 1)
        res.satisfaction[who] = np.minimum(res.satisfaction[who], 1)
        late = gone[self._overdue[gone]]
        lw = ms.column("resident")[late]
        res.felt_response[lw] += p["voice_recovery"] * (1 - res.felt_response[lw])
        self._lost_trust[gone] = 0
        self._lost_sat[gone] = 0

    def _newly_overdue(self, overdue: np.ndarray) -> None:
        """A matter passing its due date lowers its raiser's voice once."""
        p, ms, res = self.model.p, self.model.matters, self.model.residents
        new = overdue[~self._overdue[overdue]]
        if len(new) == 0:
            return
        self._overdue[new] = True
        who, k = unique_counts(ms.column("resident")[new])
        res.felt_response[who] *= (1 - p["voice_decay"]) ** k

    def _erode(self, overdue: np.ndarray) -> None:
        """Each overdue matter costs its raiser a share of trust in the actor responsible, and satisfaction."""
        p, ms, res = self.model.p, self.model.matters, self.model.residents
        who = ms.column("resident")[overdue]
        actor = ACTOR_OF_ROUTE[ms.column("route")[overdue]]
        # one loss per resident and actor a day, however many matters: booked on the first such matter
        n_keys = self.model.residents.n * 8
        first = self._first(who.astype(np.int64) * 8 + actor, n_keys)
        mid, w, a = overdue[first], who[first], actor[first]
        loss = (p["open_trust_loss"] * res.trust[w, a]).astype(np.float32)
        res.trust[w, a] -= loss
        self._lost_trust[mid] += loss
        self._lost_actor[mid] = a
        first = self._first(who, n_keys)
        mid, w = overdue[first], who[first]
        loss = (p["open_satisfaction_loss"] * res.satisfaction[w]).astype(np.float32)
        res.satisfaction[w] -= loss
        self._lost_sat[mid] += loss

    def _bystanders(self, overdue: np.ndarray) -> None:
        """Neighbours see matters go unanswered in their building: their felt responsiveness falls."""
        m, p, ms, res = self.model, self.model.p, self.model.matters, self.model.residents
        # residents (not matters) with an overdue matter, as a share of each building's adults
        raisers = unique_ints(ms.column("resident")[overdue])
        share = np.bincount(res.building[raisers], minlength=m.struct.n_buildings) / m.adults_per_building
        keep = (1 - p["bystander_voice_loss"] * np.minimum(share, 1)).astype(np.float32)
        res.felt_response *= m.spread(keep, "building")

    def _give_up(self, overdue: np.ndarray) -> None:
        """Some raisers give up on overdue matters: they leave the queue unresolved (silence, not voice)."""
        m, p, ms = self.model, self.model.p, self.model.matters
        free = overdue[(ms.column("project")[overdue] < 0) & (ms.column("resolved")[overdue] < 0)]
        quit_ = free[self.rng.random(len(free)) < p["give_up_rate"]]
        if len(quit_):
            ms.close(quit_)
            m.count("matters_given_up", len(quit_))

    def _over_the_head(self, overdue: np.ndarray) -> None:
        """Some raisers of overdue matters the committees hold, or never heard, call the hotline or petition."""
        m, p, ms = self.model, self.model.p, self.model.matters
        route = ms.column("route")[overdue]
        surfaced = ms.column("surfaced")[overdue]
        held = overdue[(surfaced < 0) | (route == ROUTE_COMMITTEE)]
        if len(held) == 0:
            return
        hit = held[self.rng.random(len(held)) < p["hotline_rate"]]
        if len(hit) == 0:
            return
        unheard = hit[ms.column("surfaced")[hit] < 0]
        ms.column("surfaced")[unheard] = m.tick  # the hotline hears it: it reaches a handler today
        cls = ms.column("cls")[unheard]
        for c, label in enumerate(CLASSES):
            m.count(f"surfaced_{label}", int((cls == c).sum()))
        ms.column("route")[hit] = ROUTE_HARD  # now the government's to settle (it loads its queue)
        # the trust this matter already cost stays lost to the committees; from now the government answers
        self._restore_nothing(hit)
        m.count("hotline_escalations", len(hit))
        petition = hit[(self.rng.random(len(hit)) < p["hotline_dispute_share"]) & ~ms.column("grievance")[hit]]
        ms.column("grievance")[petition] = True
        open_disputes(m, ms.column("resident")[petition], GRIEVANCE)

    def _restore_nothing(self, ids: np.ndarray) -> None:
        """Forget what matters ``ids`` cost so far (it is not given back on resolution)."""
        self._lost_trust[ids] = 0
        self._lost_sat[ids] = 0
