"""Disputes: how unmet matters and clashes turn into conflict, and escalate.

Sources of disputes: a matter left unresolved past residents' patience
becomes a grievance against the committees; norm breaches set neighbours
against each other (norms module); poor service sets residents against the
firm, and shared revenue sets homeowners' committees against it (property
module). An open dispute that nobody settles may escalate (petition,
lawsuit), which costs trust; otherwise it fades after a while (seed 002 §2,
Fengqiao experience: settle conflicts before they leave the community).
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import NEVER, T_GOV, T_PARTY, T_RC
from sim.mechanisms.base import A, Mechanism, Outcome, Param, State, coef, param
from sim.store import RecordStore

NEIGHBOUR, GRIEVANCE, FIRM, REVENUE = 0, 1, 2, 3
KINDS = ("neighbour", "grievance", "firm", "revenue")
OPEN, MEDIATED, ESCALATED, FADED = 0, 1, 2, 3

# the mechanism's scenario parameters: levers, sourced values and uncertainties (section [disputes])
CORE_PARAMS: tuple[Param, ...] = (
    param(
        "mediation",
        "disputes",
        False,
        "bool",
        "capable residents, organisation heads and old Party members mediate disputes (Fengqiao experience)",
        "seed 002 §2 四是 (Fengqiao experience); seed 000 §5.5.5 (grid staff mediate)",
        lever=True,
        zh="调解(枫桥经验)",
    ),
    param(
        "mediation_success",
        "disputes",
        0.65,
        "float",
        "chance that a mediation settles the dispute",
        "assumption, anchored on field figures (61% of first-instance property cases in Nanjing ended in "
        "mediation or withdrawal: a court-case share including withdrawals, not a mediator's success rate)",
        "",
        0.0,
        1.0,
        plausible=(0.4, 0.8),
        zh="调解成功率",
    ),
    param(
        "mediators_per_1000",
        "disputes",
        1.0,
        "float",
        "active mediators per 1,000 residents when mediation is on",
        A,
        "mediators/1000",
        0.0,
        50.0,
        lever=True,
        zh="每千人调解员数",
    ),
    param(
        "grievance_dispute_rate",
        "disputes",
        0.01,
        "float",
        "daily chance that an overdue matter turns into a dispute",
        A,
        "1/day",
        0.0,
        1.0,
        zh="积怨转纠纷率",
    ),
    param(
        "breach_dispute_rate",
        "disputes",
        0.05,
        "float",
        "chance that a norm breach starts a neighbour dispute",
        A,
        "",
        0.0,
        1.0,
        zh="失范引发纠纷率",
    ),
    param(
        "escalation_rate",
        "disputes",
        0.01,
        "float",
        "daily chance an open, unmediated dispute escalates (petition, lawsuit)",
        A,
        "1/day",
        0.0,
        1.0,
        zh="纠纷升级率",
    ),
    param(
        "dispute_days",
        "disputes",
        21,
        "int",
        "days after which an open dispute fades by itself if it has not escalated",
        A,
        "days",
        1,
        3650,
        zh="纠纷自行平息天数",
    ),
)


PARAMS = (
    coef(
        "disputes",
        "escalation_trust_keep",
        0.85,
        "share of trust in committee, Party and government kept after one's dispute escalates",
        "纠纷升级后信任保留比例",
        0.0,
        1.0,
        (0.7, 0.95),
    ),
    coef(
        "disputes",
        "escalation_satisfaction_keep",
        0.9,
        "share of satisfaction kept after one's dispute escalates",
        "纠纷升级后满意度保留比例",
        0.0,
        1.0,
        (0.8, 0.98),
    ),
)


def new_dispute_store() -> RecordStore:
    """An empty table of disputes."""
    return RecordStore(
        {
            "resident": np.int32,
            "community": np.int32,
            "kind": np.int8,
            "opened": np.int32,
            "closed": np.int32,
            "outcome": np.int8,
        },
        capacity=256,
    )


def open_disputes(m, who: np.ndarray, kind: int) -> None:
    """Open one dispute per resident in ``who``."""
    if len(who) == 0:
        return
    m.disputes.add(len(who), resident=who, community=m.residents.community[who], kind=kind, opened=m.tick, outcome=OPEN)
    m.residents.last_dispute[who] = m.tick
    m.count("disputes_new", len(who))
    m.count(f"disputes_{KINDS[kind]}", len(who))


def close_disputes(m, ids: np.ndarray, outcome: int) -> None:
    """Close disputes with ``outcome``."""
    m.disputes.column("closed")[ids] = m.tick
    m.disputes.column("outcome")[ids] = outcome
    m.disputes.close(ids)


# the outcomes this mechanism defines (columns of results())
OUTCOMES = (
    Outcome(
        "disputes_new",
        "disputes opened today",
        "disputes",
        "New disputes today",
        "当日新增纠纷",
        "flow",
        "lower",
        counter="disputes_new",
    ),
    Outcome(
        "disputes_escalated",
        "disputes escalated today (petition, lawsuit)",
        "disputes",
        "Disputes escalated today",
        "当日升级纠纷（信访、诉讼）",
        "flow",
        "lower",
        counter="disputes_escalated",
    ),
    Outcome(
        "disputes_total",
        "disputes opened so far",
        "disputes",
        "Disputes so far",
        "累计纠纷",
        "cumulative",
        "lower",
        counter="disputes_new",
    ),
    Outcome(
        "escalations_total",
        "disputes escalated so far",
        "disputes",
        "Escalated disputes so far",
        "累计升级纠纷",
        "cumulative",
        "lower",
        counter="disputes_escalated",
    ),
    Outcome(
        "disputes_open",
        "disputes currently open",
        "disputes",
        "Disputes open",
        "未结纠纷",
        "stock",
        "lower",
        compute=lambda m: int(len(m.disputes.open_ids)),
    ),
)


class Disputes(Mechanism):
    """Turn overdue matters into disputes; escalate or fade open disputes."""

    name = "disputes"
    outcomes = OUTCOMES
    params = CORE_PARAMS + PARAMS
    states = (State("last_dispute", np.int32, NEVER, "day the resident last opened a dispute"),)
    counters = ("disputes_new", "disputes_escalated", "disputes_faded") + tuple(f"disputes_{k}" for k in KINDS)
    after = ("mediation",)  # mediators settle before the rest escalate or fade

    @override
    def step(self) -> None:
        self._grievances()
        self._escalate_or_fade()

    def _grievances(self) -> None:
        m, p, ms = self.model, self.model.p, self.model.matters
        ids = ms.open_ids
        overdue = ids[(m.tick - ms.column("raised")[ids] > p["patience_days"]) & ~ms.column("grievance")[ids]]
        if len(overdue) == 0:
            return
        hit = overdue[self.rng.random(len(overdue)) < p["grievance_dispute_rate"]]
        ms.column("grievance")[hit] = True
        open_disputes(m, ms.column("resident")[hit], GRIEVANCE)

    def _escalate_or_fade(self) -> None:
        m, p, ds, res = self.model, self.model.p, self.model.disputes, self.model.residents
        ids = ds.open_ids
        if len(ids) == 0:
            return
        esc = ids[self.rng.random(len(ids)) < p["escalation_rate"]]
        if len(esc):
            close_disputes(m, esc, ESCALATED)
            m.count("disputes_escalated", len(esc))
            who = ds.column("resident")[esc]
            for col in (T_RC, T_PARTY, T_GOV):
                res.trust[who, col] *= p["escalation_trust_keep"]
            res.satisfaction[who] *= p["escalation_satisfaction_keep"]
        ids = ds.open_ids
        old = ids[m.tick - ds.column("opened")[ids] >= p["dispute_days"]]
        if len(old):
            close_disputes(m, old, FADED)
            m.count("disputes_faded", len(old))
