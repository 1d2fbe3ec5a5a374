"""Community rules (居民公约) made by a meeting, imposed by the committee, or from above.

A scenario may hold community rules: conventions on the kinds of norm breach of
norms.py (garbage, noise, parking, pets, shared spaces; ``norms.KINDS``), one
rule per kind at most. Residents are expected to keep such conventions (seed
000 §5.2.1 「居民则需遵守社区公约」) and to make them together (seed 000 §5.3.2
「引导居民共同制定关于小区环境卫生、公共设施爱护等方面的公约,相互监督执行」); meetings
themselves run on rules the community set (seed 002 §2 四是 「成立周周议、逢四说事等
协商议事规则」).

Which rules, and how each is made: ``rule_origin``, ``rule_day`` and
``rule_enforced`` are the *all-kinds* shorthand (one convention covering every
kind); ``rule_origin_<kind>``, ``rule_day_<kind>`` and ``rule_enforced_<kind>``
set one kind apart (origin "inherit" and day -1 take the shorthand's value; a
kind is enforced while either its own flag or the shorthand's is on). Kinds
whose origin and day both inherit form the one all-kinds convention, made in
one go; every other kind with an origin is a rule of its own. All are levers
the timeline can set on given days.

How a rule is made: by a consultation meeting under its decision rule
(consultation.py: the meeting must agree, and what it agrees carries that
rule's legitimacy), by the residents' committee, or from above (both imposed:
in force from the rule's day on). A meeting takes up one rule at a time, the
oldest pending one (earliest day; the all-kinds convention first, then
``KINDS`` order); a meeting that refuses it tries again next time.

What a rule does: a resident who *knows* the rule of a breach's kind breaches
that kind less, by a relative reduction that depends on how the rule was made
and whether he or she took part in making it (experiments on endogenous vs
imposed rules: Tyran & Feld 2006, Dal Bó et al. 2010, Sutter et al. 2010; see
docs/dev/evidence-behaviour.md §2) and, while that kind is enforced, by a
further reduction (deterrent sanctions work whoever made the rule). A resident
who does not know the rule of a kind is not affected in that kind; ``rule_scope``
is the share of a ruled kind's breaches the rule covers. Knowledge is a bit
mask per resident (bit k: knows the rule of ``KINDS[k]``): the meeting's
attendees and the notice learn the rule made that day; attendees of later
meetings and word of mouth (notice board, neighbours) learn every rule in force
in the community. Newcomers arrive knowing none.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import override

import numpy as np

from sim.arrays import unique_ints
from sim.mechanisms.base import Mechanism, ModelLike, Outcome, Param, State, coef
from sim.mechanisms.norms import KIND_ZH, KINDS, LAST_BREACH

ORIGINS = ("none", "meeting", "committee", "above")
INHERIT = "inherit"  # a kind's origin that takes the all-kinds shorthand's
KIND_ORIGINS = (INHERIT, *ORIGINS)
NOT_MADE = -1
ALL_KINDS = (1 << len(KINDS)) - 1  # knowledge mask of every kind
BITS = np.array([1 << k for k in range(len(KINDS))], np.uint8)  # each kind's bit in the masks

S000_CONVENTION = "seed 000 §5.2.1 「居民则需遵守社区公约」; §5.3.2 「引导居民共同制定…公约,相互监督执行」"
S002_MEETING_RULES = "seed 002 §2 四是 「成立周周议、逢四说事等协商议事规则」"

# levers of section [rules]
CORE_PARAMS: tuple[Param, ...] = (
    Param(
        "rule_origin",
        "rules",
        "none",
        "choice",
        "how the community's rule (公约) on norm breaches of every kind is made (the all-kinds shorthand; "
        "rule_origin_<kind> sets a kind apart): none, by a consultation meeting under its decision rule, "
        "imposed by the residents' committee, or from above",
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
        "day from which the all-kinds rule is imposed, or from which meetings take it up (a meeting-made rule "
        "is in force from the first meeting on or after this day that agrees to it)",
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
        "the rules of every kind are enforced (patrols, fines, public naming); schedule start and end with "
        "[[timeline]]",
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
        "share of a ruled kind's breaches the rule covers (1: the whole kind; a kind without a rule is not "
        "covered at all)",
        "assumption",
        "",
        0.0,
        1.0,
        lever=True,
        label_zh="公约覆盖范围",
        meaning_zh="公约覆盖该类违规行为的比例",
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


def _kind_levers(k: str) -> tuple[Param, ...]:
    words, zh = k.replace("_", " "), KIND_ZH[k]
    return (
        Param(
            f"rule_origin_{k}",
            "rules",
            INHERIT,
            "choice",
            f"how the rule on {words} breaches is made: inherit (as rule_origin, in the all-kinds convention), "
            "none, by a meeting, imposed by the committee, or from above",
            f"{S000_CONVENTION}; {S002_MEETING_RULES}",
            choices=KIND_ORIGINS,
            lever=True,
            label_zh=f"{zh}公约订立方式",
            meaning_zh=f"{zh}公约的订立方式（inherit：随总公约）",
        ),
        Param(
            f"rule_day_{k}",
            "rules",
            -1,
            "int",
            f"day from which the rule on {words} is imposed or taken up by meetings (-1: rule_day)",
            "assumption",
            "day",
            -1,
            100_000,
            lever=True,
            label_zh=f"{zh}公约订立日",
            meaning_zh=f"{zh}公约下达或开始讨论之日（-1：同总公约）",
        ),
        Param(
            f"rule_enforced_{k}",
            "rules",
            False,
            "bool",
            f"the rule on {words} is enforced (also while rule_enforced is on); schedule with [[timeline]]",
            "seed 000 §5.3.2 (相互监督执行)",
            lever=True,
            label_zh=f"{zh}公约执行",
            meaning_zh=f"{zh}公约是否有人监督执行（总公约执行时亦然）",
        ),
    )


CORE_PARAMS += tuple(q for k in KINDS for q in _kind_levers(k))


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
    return float(np.count_nonzero((res.knows_rule != 0) & res.adult) / max(int(np.count_nonzero(res.adult)), 1))


OUTCOMES = (
    Outcome(
        "rule_knowledge",
        "share of adults who know at least one of the community's rules",
        "",
        "Residents who know the rule",
        "知晓公约的居民比例",
        "stock",
        "higher",
        compute=_knowledge,
    ),
    Outcome(
        "rules_made",
        "communities with at least one rule made",
        "communities",
        "Communities with a rule",
        "已订立公约的社区数",
        "stock",
        "neutral",
        compute=lambda m: float((m.mech["rules"].made_day >= 0).any(axis=1).sum()),
    ),
)


ORIGIN_KEY = tuple(f"rule_origin_{k}" for k in KINDS)
DAY_KEY = tuple(f"rule_day_{k}" for k in KINDS)
_kind_origins = operator.itemgetter(*ORIGIN_KEY)  # every kind's own origin, in one C call (active() runs often)
NO_RULE = frozenset(("none", INHERIT))
ENFORCED_KEY = tuple(f"rule_enforced_{k}" for k in KINDS)


def kind_origin(p: dict, k: int) -> str:
    """How the rule on kind ``KINDS[k]`` is made ("none": no rule), the shorthand filled in."""
    own = p[ORIGIN_KEY[k]]
    return p["rule_origin"] if own == INHERIT else own


@dataclass(frozen=True)
class Item:
    """One rule to make: the kinds it covers (bit mask), how it is made, and from which day."""

    mask: int
    origin: str
    day: int


def agenda(p: dict) -> list[Item]:
    """The scenario's rules, oldest first (the all-kinds convention before single kinds on the same day)."""
    items, shared = [], 0
    for k in range(len(KINDS)):
        origin, day = kind_origin(p, k), p[DAY_KEY[k]]
        if origin == "none":
            continue
        if p[ORIGIN_KEY[k]] == INHERIT and day < 0:
            shared |= 1 << k  # part of the one convention on every inheriting kind
        else:
            items.append(Item(1 << k, origin, p["rule_day"] if day < 0 else day))
    if shared:
        items.insert(0, Item(shared, p["rule_origin"], p["rule_day"]))
    return sorted(items, key=lambda it: it.day)  # stable: ties keep the convention first, then KINDS order


def kinds_in(mask: int) -> np.ndarray:
    """Indices of the kinds whose bits are set in ``mask``."""
    return np.array([k for k in range(len(KINDS)) if mask >> k & 1], np.int64)


class Rules(Mechanism):
    """Make the rules (by meeting or by imposition), spread knowledge of them, and weigh breaches by kind."""

    name = "rules"
    outcomes = OUTCOMES
    params = CORE_PARAMS + PARAMS
    states = (
        State("knows_rule", np.uint8, 0, "rules the resident knows (bit k: the rule on norms.KINDS[k])"),
        State("rule_maker", np.uint8, 0, "rules the resident helped make at a meeting (bit k: norms.KINDS[k])"),
    )
    counters = ("rule_meetings_refused",)
    after = ("consultation",)  # today's meeting attendees

    def __init__(self, model: ModelLike):
        super().__init__(model)
        n, kinds = model.struct.n_communities, len(KINDS)
        self.made_day = np.full((n, kinds), NOT_MADE, np.int64)  # day each community's rule on each kind was made
        self.legit = np.zeros((n, kinds))  # legitimacy of the decision rule that made it (meeting-made only)
        self.mask = np.zeros(n, np.uint8)  # kinds with a rule made, per community (bit k: KINDS[k])
        self._tables: tuple[np.ndarray, np.ndarray] | None = None  # breach_factor's, rebuilt when stale
        self.params_changed()

    @override
    def params_changed(self) -> None:
        """Re-read the rules' levers (the timeline may change origins, days and enforcement)."""
        p = self.model.p
        self.items = agenda(p)
        self.ruled = np.array([kind_origin(p, k) != "none" for k in range(len(KINDS))])
        self.ruled_mask = np.uint8(sum(1 << k for k in np.flatnonzero(self.ruled)))
        self.enforced = np.array([float(p["rule_enforced"] or p[key]) for key in ENFORCED_KEY])
        self._tables = None

    @override
    def active(self, p: dict) -> bool:
        """Runs when the scenario holds a rule on some kind."""
        return p["rule_origin"] != "none" or not NO_RULE.issuperset(_kind_origins(p))

    @override
    def step(self) -> None:
        m = self.model
        due = [it for it in self.items if it.day <= m.tick]
        if not due and not self.mask.any():
            return
        met = self._met_today()
        if due:
            self._make(due, met)
        self._spread(met)

    def _met_today(self) -> dict[int, np.ndarray]:
        cons = self.model.mech.get("consultation")
        if cons is None or cons.meeting_day != self.model.tick:
            return {}
        return cons.attendees

    def _make(self, due: list[Item], met: dict[int, np.ndarray]) -> None:
        """Make today's due rules: imposed ones at once, at most one meeting-made one per meeting (the oldest)."""
        want = np.uint8(sum(it.mask for it in due))
        for c in np.flatnonzero(want & ~self.mask).tolist():
            took_up = False
            for it in due:
                if not it.mask & ~int(self.mask[c]):
                    continue
                if it.origin != "meeting":
                    self._made(c, it.mask)
                elif not took_up and c in met:
                    took_up = True  # a meeting takes up one rule: the oldest pending
                    self._try_meeting(c, it.mask, met[c])

    def _try_meeting(self, c: int, mask: int, att: np.ndarray) -> None:
        m, p = self.model, self.model.p
        cons, rule = m.mech["consultation"], p["decision_rule"]
        base, slope = cons.agree[rule]
        if self.rng.random() >= base + slope * cons.last_representativeness.get(c, 0.0):
            m.count("rule_meetings_refused", 1)
            return
        self._made(c, mask, att, cons.legitimacy[rule])

    def _made(self, c: int, mask: int, makers: np.ndarray | None = None, legit: float = 0.0) -> None:
        """Community ``c`` now has the rules on the kinds of ``mask`` (those it did not have yet)."""
        m, p, res = self.model, self.model.p, self.model.residents
        new = np.uint8(mask & ~int(self.mask[c]))
        ks = kinds_in(int(new))
        self.made_day[c, ks] = m.tick
        self.legit[c, ks] = legit
        self.mask[c] |= new
        self._tables = None
        lo, hi = m.community_slice[c]
        told = lo + np.flatnonzero(self.rng.random(hi - lo) < p["rule_notice_share"])
        res.knows_rule[told] |= new
        if makers is not None:
            res.knows_rule[makers] |= new
            res.rule_maker[makers] |= new

    def _spread(self, met: dict[int, np.ndarray]) -> None:
        p, res = self.model.p, self.model.residents
        for c, att in met.items():
            if self.mask[c]:
                res.knows_rule[att] |= self.mask[c]  # later meetings remind those who attend of every rule
        n = res.n
        heard = unique_ints(self.rng.integers(0, n, self.rng.poisson(n * p["rule_spread_rate"])))
        known = self.mask[res.community[heard]]
        heard = heard[known != 0]
        res.knows_rule[heard] |= known[known != 0]  # word of mouth carries the community's rules together

    def in_force(self) -> np.ndarray:
        """Kinds whose rule is in force, per community (bit mask, ``KINDS`` order)."""
        return self.mask & self.ruled_mask

    def breach_factor(self, who: np.ndarray, kind: np.ndarray) -> np.ndarray:
        """Multiplier on the chance that residents ``who`` commit a breach of kind ``kind`` (index in KINDS).

        1 for those who do not know a rule in force on that kind; the rules of other kinds do not matter.
        """
        res = self.model.residents
        if self._tables is None:
            self._tables = self._reductions()
        makers, others = self._tables
        idx = res.community[who] * len(KINDS) + kind
        bit = BITS[kind]
        reduction = np.where(res.rule_maker[who] & bit, makers[idx], others[idx])
        return 1 - reduction * ((res.knows_rule[who] & bit) != 0)

    def _reductions(self) -> tuple[np.ndarray, np.ndarray]:
        """``rule_scope`` × the relative fall in breaches, per (community, kind), flattened.

        One table for those who helped make the rule, one for the others who know it; 0 where no rule is in force.
        """
        p = self.model.p
        imposed = p["rule_effect_imposed"]
        keep = 1 - p["enforcement_effect"] * self.enforced
        in_force = (self.made_day >= 0) & self.ruled
        out = []
        for effect in (p["rule_effect_deliberated"], p["rule_effect_nonparticipant"]):
            base = imposed + (effect - imposed) * self.legit  # legitimacy 0: imposed
            reduction = 1 - (1 - base) * keep
            out.append((p["rule_scope"] * reduction * in_force).ravel())
        return out[0], out[1]

    def kept(self, since: int) -> np.ndarray:
        """Residents who know a rule in force and broke none of the rules they know after day ``since``."""
        res = self.model.residents
        known = res.knows_rule & self.in_force()[res.community]
        broke = np.zeros(res.n, np.uint8)
        for k, name in enumerate(LAST_BREACH):
            broke |= (getattr(res, name) >= since).astype(np.uint8) << k
        return (known != 0) & ((known & broke) == 0)

    def covers(self, who: np.ndarray, day: int) -> np.ndarray:
        """Which of residents ``who`` (each breached on ``day``) broke a kind whose rule is in force."""
        res = self.model.residents
        kind = np.zeros(len(who), np.int64)
        for k, name in enumerate(LAST_BREACH):
            kind[getattr(res, name)[who] == day] = k  # one breach per resident and day: one kind matches
        return (self.in_force()[res.community[who]] >> kind & 1).astype(bool)


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
