"""Needs and matters (诉求/事项): residents raise matters of three classes.

Small matters (caring for the lonely elderly, family quarrels), major ones
(environment, facilities, parking) and hard ones beyond the community
(seed 002 §2). Major matters have a kind, so a meeting can take up all the
complaints about one problem in one estate together. Matters are raised at a
per-resident rate; most come from working-age and elderly residents.
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.calendar import per_day
from sim.mechanisms.base import A, Mechanism, Param, coef, param, toward
from sim.store import RecordStore, thin_sample

SMALL, MAJOR, HARD = 0, 1, 2
CLASSES = ("small", "major", "hard")
RAISED = tuple(f"raised_{c}" for c in CLASSES)
RESOLVED = tuple(f"resolved_{c}" for c in CLASSES)
DAYS_TO_RESOLVE = tuple(f"days_to_resolve_{c}" for c in CLASSES)
MAJOR_KINDS = ("environment", "parking", "facilities", "greenery", "sports", "leaks", "noise", "security")
ROUTE_COMMITTEE, ROUTE_ORGS, ROUTE_MEETING, ROUTE_HARD, ROUTE_FIRM = 0, 1, 2, 3, 4

# the mechanism's scenario parameters: levers, sourced values and uncertainties (section [matters])
CORE_PARAMS: tuple[Param, ...] = (
    param(
        "matter_rate",
        "matters",
        0.15,
        "float",
        "matters (needs, complaints, hazards) raised per resident per year",
        A,
        "matters/resident/year",
        0.0,
        20.0,
        zh="人均年诉求数",
    ),
    param(
        "share_small",
        "matters",
        0.60,
        "float",
        "share of matters that are small (caring, family quarrels)",
        "seed 002 §2 二是 (small/major/hard classes); shares assumption",
        "",
        0.0,
        1.0,
        zh="小事比例",
    ),
    param(
        "share_major",
        "matters",
        0.30,
        "float",
        "share of matters that are major (environment, facilities, parking)",
        "seed 002 §2 二是; share assumption",
        "",
        0.0,
        1.0,
        zh="大事比例",
    ),
    param(
        "share_hard",
        "matters",
        0.10,
        "float",
        "share of matters that are hard (beyond the community)",
        "seed 002 §2 二是; share assumption",
        "",
        0.0,
        1.0,
        zh="难事比例",
    ),
    param(
        "share_public",
        "matters",
        0.35,
        "float",
        "share of matters that are public hazards visible from outside (mobile reporters can see them)",
        A,
        "",
        0.0,
        1.0,
        zh="公共隐患比例",
    ),
    param(
        "routing",
        "matters",
        False,
        "bool",
        "route matters by class: small → volunteer teams and social organisations, hard → dispatched "
        "cadres and government (major matters go to meetings whenever meetings sit, routing or not)",
        "seed 002 §2 二是 (分类分责: hard → 下沉干部, registered members, outdoor workers; government as a "
        "resolver is an assumption)",
        lever=True,
        zh="分类分责处置",
    ),
    param(
        "committee_capacity",
        "matters",
        8.0,
        "float",
        "matters the two committees (两委) can settle per day per community when fully free",
        A,
        "matters/day",
        0.0,
        200.0,
        zh="两委日处理能力",
    ),
    param(
        "admin_load",
        "matters",
        0.5,
        "float",
        "share of the committees' time eaten by administrative work pushed down from above",
        "seed 002 §1 二是 (residents' committee carries heavy administrative work); value assumption",
        "",
        0.0,
        0.95,
        lever=True,
        zh="行政事务负担",
    ),
    param(
        "patience_days",
        "matters",
        45,
        "int",
        "days an unresolved matter is tolerated before it becomes a grievance that can turn into a dispute",
        A,
        "days",
        1,
        3650,
        zh="居民耐心天数",
    ),
)


PARAMS = (
    coef(
        "matters",
        "resolve_trust_gain_feedback",
        0.08,
        "step of the raiser's trust in the handler towards 1 when the loop is closed (they hear back)",
        "闭环反馈时解决事项的信任增益",
        0.0,
        1.0,
        (0.04, 0.15),
    ),
    coef(
        "matters",
        "resolve_trust_gain",
        0.03,
        "step of the raiser's trust in the handler towards 1 when the matter just disappears",
        "无反馈时解决事项的信任增益",
        0.0,
        1.0,
        (0.01, 0.06),
    ),
)


def new_matter_store() -> RecordStore:
    """An empty table of matters."""
    return RecordStore(
        {
            "resident": np.int32,
            "community": np.int32,
            "estate": np.int32,
            "grid": np.int32,
            "cls": np.int8,
            "kind": np.int8,
            "public": bool,
            "raised": np.int32,
            "surfaced": np.int32,
            "resolved": np.int32,
            "route": np.int8,
            "project": np.int32,
            "passes": np.int16,
            "grievance": bool,
            "firm": bool,
        }
    )


def add_matters(
    model, who: np.ndarray, cls: np.ndarray, kind: np.ndarray, public: np.ndarray, firm: bool = False
) -> np.ndarray:
    """Record new matters raised by residents ``who``; return their ids.

    ``firm`` marks complaints about property service, which the firm handles.
    """
    res, ms = model.residents, model.matters
    ids = ms.add(
        len(who),
        resident=who,
        community=res.community[who],
        estate=res.estate[who],
        grid=res.grid[who],
        cls=cls,
        kind=kind,
        public=public,
        raised=model.tick,
        passes=0,
        firm=firm,
    )
    for name, n in zip(RAISED, np.bincount(cls, minlength=3).tolist(), strict=True):
        model.count(name, n)
    return ids


class Needs(Mechanism):
    """Residents raise matters each day."""

    name = "needs"
    section = "matters"
    params = CORE_PARAMS + PARAMS
    # add_matters and resolve are called by several mechanisms; their counters are declared here, once
    counters = (
        tuple(f"raised_{c}" for c in CLASSES)
        + tuple(f"resolved_{c}" for c in CLASSES)
        + tuple(f"days_to_resolve_{c}" for c in CLASSES)
    )

    @override
    def step(self) -> None:
        p, res = self.model.p, self.model.residents
        rate = per_day(p["matter_rate"])
        if rate <= 0:
            return
        # voice: residents who saw matters go unanswered raise fewer (felt_response, service_trust.py; 1 if off)
        who = thin_sample(self.rng, rate * res.felt_response, res.n, rate)
        who = who[res.age[who] != 0]  # children's needs come through their parents
        if len(who) == 0:
            return
        u = self.rng.random(len(who))
        cls = np.where(
            u < p["share_small"], SMALL, np.where(u < p["share_small"] + p["share_major"], MAJOR, HARD)
        ).astype(np.int8)
        kind = self.rng.integers(0, len(MAJOR_KINDS), len(who)).astype(np.int8)
        public = (cls != SMALL) & (self.rng.random(len(who)) < p["share_public"] / max(1e-9, 1 - p["share_small"]))
        add_matters(self.model, who, cls, kind, public)


def resolve(model, ids: np.ndarray, actor: int) -> None:
    """Mark matters resolved today by ``actor`` (a trust column); raisers learn of it.

    With the closed feedback loop on (seed 002 §2), the raiser hears back and
    trust in the handler grows more than when the matter just disappears.
    """
    if len(ids) == 0:
        return
    ms, res, p = model.matters, model.residents, model.p
    ms.column("resolved")[ids] = model.tick
    ms.close(ids)
    cls = ms.column("cls")[ids]
    days = model.tick - ms.column("raised")[ids]
    n_by_class = np.bincount(cls, minlength=3).tolist()
    days_by_class = np.bincount(cls, weights=days, minlength=3).tolist()  # sums of whole days: exact in float64
    for c in range(3):
        model.count(RESOLVED[c], n_by_class[c])
        model.count(DAYS_TO_RESOLVE[c], days_by_class[c])
    who = ms.column("resident")[ids]
    gain = p["resolve_trust_gain_feedback"] if p["feedback_loop"] else p["resolve_trust_gain"]
    res.trust[who, actor] = toward(res.trust[who, actor], gain)
    res.satisfaction[who] = toward(res.satisfaction[who], 0.5 * gain)
