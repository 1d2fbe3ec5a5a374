"""Community rules (居民公约) made by a meeting, imposed by the committee, or from above.

A scenario may hold a community rule: a convention on the norm breaches of
norms.py (garbage, noise, parking, pets, shared spaces; norms.py draws them as
one kind, so ``rule_scope`` says which share of them the convention covers).
Residents are expected to keep such conventions (seed 000 §5.2.1 「居民则需遵守
社区公约」) and to make them together (seed 000 §5.3.2 「引导居民共同制定关于小区
环境卫生、公共设施爱护等方面的公约,相互监督执行」); meetings themselves run on
rules the community set (seed 002 §2 四是 「成立周周议、逢四说事等协商议事规则」).

How it is made (``rule_origin``): by a consultation meeting under its decision
rule (consultation.py: the meeting must agree, and what it agrees carries that
rule's legitimacy), by the residents' committee, or from above (both imposed:
they are in force from ``rule_day`` on). What it does: a resident who *knows* a
rule breaches the covered norms less, by a relative reduction that depends on
how it was made and whether he or she took part in making it (experiments on
endogenous vs imposed rules: Tyran & Feld 2006, Dal Bó et al. 2010, Sutter et
al. 2010; see docs/dev/evidence-behaviour.md §2) and, while it is enforced
(``rule_enforced``, a lever the timeline can switch on and off on given days),
by a further reduction (deterrent sanctions work whoever made the rule). A
resident who does not know the rule is not affected. Knowledge spreads: the
meeting's attendees know it, the notice reaches a share of residents the day it
is made, attendees of later meetings learn it, and word of mouth reaches the
rest slowly. Newcomers arrive not knowing it.
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.arrays import unique_ints
from sim.mechanisms.base import Mechanism, ModelLike, Outcome, Param, State, coef

ORIGINS = ("none", "meeting", "committee", "above")
NOT_MADE = -1

S000_CONVENTION = "seed 000 §5.2.1 「居民则需遵守社区公约」; §5.3.2 「引导居民共同制定…公约,相互监督执行」"
S002_MEETING_RULES = "seed 002 §2 四是 「成立周周议、逢四说事等协商议事规则」"

# levers of section [rules]
CORE_PARAMS: tuple[Param, ...] = (
    Param(
        "rule_origin",
        "rules",
        "none",
        "choice",
        "how the community's rule (公约) on norm breaches is made: none, by a consultation meeting under its "
        "decision rule, imposed by the residents' committee, or from above",
        f"{S000_CONVENTION}; {S002_MEETING_RULES}",
        choices=ORIGINS,
        lever=True,
        label_zh="公约订立方式",
        meaning_zh="社区公约由议事会按议事规则订立、由居委会制定或由上级下达",
    ),
    Param(
        "rule_day",
        "rules",
        0,
        "int",
        "day from which the rule is imposed, or from which meetings take it up (a meeting-made rule is in "
        "force from the first meeting on or after this day that agrees to it)",
        "assumption",
        "day",
        0,
        100_000,
        lever=True,
        label_zh="公约订立日",
        meaning_zh="公约下达之日，或议事会开始讨论公约之日",
    ),
    Param(
        "rule_enforced",
        "rules",
        False,
        "bool",
        "the rule is enforced (patrols, fines, public naming); schedule start and end with [[timeline]]",
        "seed 000 §5.3.2 (相互监督执行)",
        lever=True,
        label_zh="公约执行",
        meaning_zh="公约是否有人监督执行（巡查、处罚、公示）",
    ),
    Param(
        "rule_scope",
        "rules",
        1.0,
        "float",
        "share of norm breaches the rule covers (norms.py draws garbage, noise, parking and pet breaches "
        "as one kind; a convention on all of them is 1)",
        "assumption",
        "",
        0.0,
        1.0,
        lever=True,
        label_zh="公约覆盖范围",
        meaning_zh="公约覆盖的违规行为比例",
    ),
    Param(
        "rule_notice_share",
        "rules",
        0.3,
        "float",
        "share of residents who learn the rule from the notice on the day it is made",
        "assumption",
        "",
        0.0,
        1.0,
        lever=True,
        label_zh="公约公告知晓率",
        meaning_zh="公约订立当天通过公告得知的居民比例",
    ),
)


def _c(name, default, meaning, zh, lo=0.0, hi=1.0, plausible=None, unit="", source="assumption"):
    return coef("rules", name, default, meaning, zh, lo, hi, plausible, unit, source)


EVID = "docs/dev/evidence-behaviour.md §2"
PARAMS = (
    _c(
        "rule_effect_imposed",
        0.05,
        "relative fall in a resident's breaches of a covered norm when he or she knows an unenforced rule "
        "imposed by the committee or from above",
        "强加规则的守规效应",
        plausible=(0.0, 0.2),
        source=f"assumption; Tyran & Feld 2006 (mild imposed law does not achieve compliance), Ostrom 2006 ({EVID})",
    ),
    _c(
        "rule_effect_deliberated",
        0.30,
        "relative fall in breaches of a resident who knows an unenforced meeting-made rule and attended the "
        "meeting that made it (at a legitimacy of 1; scaled by the decision rule's legitimacy)",
        "参与制定者的守规效应",
        plausible=(0.0, 0.6),
        source=f"assumption; direction Tyran & Feld 2006, Dal Bó et al. 2010, Sutter et al. 2010; 0 in range "
        f"after Gallier 2020 ({EVID})",
    ),
    _c(
        "rule_effect_nonparticipant",
        0.15,
        "same, for a resident who knows the meeting-made rule but did not attend the meeting that made it",
        "未参与制定者的守规效应",
        plausible=(0.0, 0.3),
        source=f"assumption; Gallier 2020 (taking part matters) ({EVID})",
    ),
    _c(
        "enforcement_effect",
        0.6,
        "further relative fall in breaches of residents who know the rule while it is enforced (any origin)",
        "执行规则的威慑效应",
        plausible=(0.3, 0.9),
        source=f"assumption; Tyran & Feld 2006 (deterrent sanctions almost perfectly deter) ({EVID})",
    ),
    _c(
        "rule_spread_rate",
        0.01,
        "daily chance a resident who does not know the rule hears of it (notice board, neighbours)",
        "规则口耳相传日概率",
        plausible=(0.002, 0.03),
        unit="1/day",
    ),
    Param(
        "deliberation_cofund",
        "rules",
        False,
        "bool",
        "co-funding members who deliberated together recently contribute more (communication raises cooperation)",
        f"assumption; Balliet 2010 (communication d = 1.01) ({EVID})",
        label_zh="协商促进共筹",
    ),
    _c(
        "deliberation_cofund_shift",
        0.25,
        "rise in a co-funding member's contribution (share of the endowment) after face-to-face deliberation "
        "with all group mates",
        "协商对共筹出资的提升",
        plausible=(0.1, 0.4),
        source=f"assumption; Balliet 2010 face to face d = 1.21, converted with a contribution sd of 0.2–0.3 "
        f"of the endowment ({EVID})",
    ),
    _c(
        "deliberation_online_factor",
        0.4,
        "that rise after online deliberation, as a share of the face-to-face rise",
        "线上协商效应折算",
        plausible=(0.2, 0.7),
        source=f"Balliet 2010 (written d = 0.46 vs face to face 1.21 ≈ 0.38) ({EVID})",
    ),
    _c(
        "deliberation_memory_days",
        90.0,
        "days for which a meeting attended still counts as having deliberated",
        "协商效应持续天数",
        lo=1.0,
        hi=3650.0,
        plausible=(30.0, 365.0),
        unit="days",
    ),
)


def _knowledge(m) -> float:
    res = m.residents
    return float(np.count_nonzero(res.knows_rule & res.adult) / max(int(np.count_nonzero(res.adult)), 1))


OUTCOMES = (
    Outcome(
        "rule_knowledge",
        "share of adults who know the community's rule",
        "",
        "Residents who know the rule",
        "知晓公约的居民比例",
        "stock",
        "higher",
        compute=_knowledge,
    ),
    Outcome(
        "rules_made",
        "communities whose rule is in force",
        "communities",
        "Communities with a rule",
        "已订立公约的社区数",
        "stock",
        "neutral",
        compute=lambda m: float((m.mech["rules"].made_day >= 0).sum()),
    ),
)


class Rules(Mechanism):
    """Make the rule (by meeting or by imposition), spread knowledge of it, and weigh breaches by it."""

    name = "rules"
    outcomes = OUTCOMES
    params = CORE_PARAMS + PARAMS
    states = (
        State("knows_rule", np.bool_, False, "knows the community's rule"),
        State("rule_maker", np.bool_, False, "attended the meeting that made the community's rule"),
    )
    counters = ("rule_meetings_refused",)
    after = ("consultation",)  # today's meeting attendees

    def __init__(self, model: ModelLike):
        super().__init__(model)
        n = model.struct.n_communities
        self.made_day = np.full(n, NOT_MADE, np.int64)
        self.legit = np.zeros(n)  # legitimacy of the decision rule that made it (meeting-made only)

    @override
    def active(self, p: dict) -> bool:
        """Runs when the scenario holds a rule."""
        return p["rule_origin"] != "none"

    @override
    def step(self) -> None:
        m, p = self.model, self.model.p
        if m.tick < p["rule_day"] and not (self.made_day >= 0).any():
            return
        met = self._met_today()
        if m.tick >= p["rule_day"]:
            for c in np.flatnonzero(self.made_day < 0):
                self._try_make(int(c), met.get(int(c)))
        self._spread(met)

    def _met_today(self) -> dict[int, np.ndarray]:
        cons = self.model.mech.get("consultation")
        if cons is None or cons.meeting_day != self.model.tick:
            return {}
        return cons.attendees

    def _try_make(self, c: int, att: np.ndarray | None) -> None:
        m, p, res = self.model, self.model.p, self.model.residents
        makers = np.empty(0, np.int64)
        if p["rule_origin"] == "meeting":
            if att is None:
                return
            cons, rule = m.mech["consultation"], p["decision_rule"]
            base, slope = cons.agree[rule]
            if self.rng.random() >= base + slope * cons.last_representativeness.get(c, 0.0):
                m.count("rule_meetings_refused", 1)
                return
            self.legit[c] = cons.legitimacy[rule]
            makers = att
        self.made_day[c] = m.tick
        lo, hi = m.community_slice[c]
        told = lo + np.flatnonzero(self.rng.random(hi - lo) < p["rule_notice_share"])
        res.knows_rule[told] = True
        res.knows_rule[makers] = True
        res.rule_maker[makers] = True

    def _spread(self, met: dict[int, np.ndarray]) -> None:
        p, res = self.model.p, self.model.residents
        made = self.made_day >= 0
        for c, att in met.items():
            if made[c]:
                res.knows_rule[att] = True  # later meetings remind those who attend
        n = res.n
        heard = unique_ints(self.rng.integers(0, n, self.rng.poisson(n * p["rule_spread_rate"])))
        heard = heard[made[res.community[heard]]]
        res.knows_rule[heard] = True

    def breach_factor(self, who: np.ndarray) -> np.ndarray:
        """Multiplier on the breach chance of residents ``who`` (1 for those the rule does not reach)."""
        p, res = self.model.p, self.model.residents
        comm = res.community[who]
        imposed = p["rule_effect_imposed"]
        if p["rule_origin"] == "meeting":
            legit = self.legit[comm]
            made = np.where(res.rule_maker[who], p["rule_effect_deliberated"], p["rule_effect_nonparticipant"])
            base = imposed + (made - imposed) * legit
        else:
            base = np.full(len(who), imposed)
        keep = 1 - p["enforcement_effect"] * p["rule_enforced"]
        reduction = 1 - (1 - base) * keep
        reached = res.knows_rule[who] & (self.made_day[comm] >= 0)
        return 1 - p["rule_scope"] * reduction * reached


def deliberation_shift(m, members: np.ndarray, gid: np.ndarray) -> np.ndarray:
    """Rise in co-funding contributions of ``members`` (groups ``gid``) who deliberated with group mates.

    A member who attended a consultation meeting in the last ``deliberation_memory_days`` gains
    ``deliberation_cofund_shift`` (× ``deliberation_online_factor`` if the meeting was online),
    scaled by the share of his or her group mates who deliberated too: talking *together* matters.
    """
    p, res = m.p, m.residents
    recent = (m.tick - res.last_meeting[members] <= p["deliberation_memory_days"]).astype(np.float64)
    n_groups = int(gid.max()) + 1
    size = np.bincount(gid, minlength=n_groups)
    talked = np.bincount(gid, weights=recent, minlength=n_groups)
    mates = np.where(size[gid] > 1, (talked[gid] - recent) / np.maximum(size[gid] - 1, 1), 0.0)
    weight = np.where(res.met_online[members], p["deliberation_online_factor"], 1.0)
    return p["deliberation_cofund_shift"] * recent * weight * mates
