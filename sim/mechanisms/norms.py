"""Norm breaches (garbage, noise, parking, pets, shared spaces) under informal supervision.

Residents break norms more when compliance is inconvenient (seed 000 §4.1.1,
Licheng: after garbage points were cut, residents walked hundreds of metres
and littering rose) and less where acquaintance networks, face and reputation
keep people in line (informal supervision, seed 000 §3.4), which works
through the cohesion of the building. A breach may set neighbours against
each other or prompt a complaint about the environment. A fine for breaches
deters, and may reframe the norm as a price (prices.py).

Each breach has a kind (``KINDS``), the everyday troubles seed 000 §3.3 lists
for the micro-grid (「小区内的噪音扰民、车辆停放,楼栋前后的空地种植蔬菜,生活垃圾乱扔,
小区内流浪狗、流浪猫管理等」). A candidate breach draws its kind, from a random
stream of its own, by the declared weights ``breach_weight_<kind>`` (normalised
to shares at the reference walk). Only garbage breaches answer to the walk to
the garbage point: the garbage weight is multiplied by the inconvenience factor,
and the total rate by the weighted mean factor over kinds (``breach_multiplier``),
so a longer walk adds garbage breaches and leaves the expected number of every
other kind as it was. At the reference walk (the default) the factor is exactly 1
and the total rate is exactly as before the kinds existed; without a rule the kinds
only split the same breaches. A community rule (rules.py) acts on the breaches of
its own kind only.
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import NEVER
from sim.arrays import unique_ints
from sim.mechanisms.base import A, Mechanism, Outcome, Param, State, coef, param
from sim.mechanisms.disputes import NEIGHBOUR, open_disputes
from sim.mechanisms.matters import MAJOR, add_matters

# the kinds of norm breach; a kind's index is its bit in rules.py's knowledge masks (so at most 8)
KINDS = ("garbage", "noise", "parking", "pets", "shared_spaces")
KIND_ZH = {
    "garbage": "垃圾投放",
    "noise": "噪音扰民",
    "parking": "车辆停放",
    "pets": "宠物管理",
    "shared_spaces": "公共空间",
}
GARBAGE = KINDS.index("garbage")
S000_KINDS = (
    "seed 000 §3.3 「小区内的噪音扰民、车辆停放,楼栋前后的空地种植蔬菜,生活垃圾乱扔,小区内流浪狗、流浪猫管理等」"
)


PER_KIND_KEYS = ("rule_origin", "rule_day", "rule_enforced", "breach_weight")  # parameters <prefix>_<kind>


def unknown_kind(name: str) -> str | None:
    """The kind in a per-kind parameter name ``<prefix>_<kind>`` when that kind does not exist, else None.

    Lets a scenario error say "unknown breach kind" where it would say "unknown parameter".
    """
    for pre in PER_KIND_KEYS:
        if name.startswith(pre + "_") and name[len(pre) + 1 :] not in KINDS:
            return name[len(pre) + 1 :]
    return None


# the mechanism's scenario parameters: levers, sourced values and uncertainties (section [norms])
CORE_PARAMS: tuple[Param, ...] = (
    param(
        "breach_rate",
        "norms",
        0.0015,
        "float",
        "daily chance a resident breaks a norm (garbage, noise, parking, pets, shared spaces, all kinds "
        "together) at convenient facilities and no supervision",
        A,
        "1/day",
        0.0,
        1.0,
        zh="失范行为率",
    ),
    param(
        "garbage_distance",
        "norms",
        50.0,
        "float",
        "walking distance to the nearest garbage point",
        "seed 000 §4.1.1 (Licheng: hundreds of metres after the cut); default 50 m assumption",
        "m",
        5.0,
        2000.0,
        lever=True,
        zh="垃圾点步行距离",
    ),
)


def _c(name, default, meaning, zh, lo=0.0, hi=1.0, plausible=None, unit="", source=A):
    return coef("norms", name, default, meaning, zh, lo, hi, plausible, unit, source)


PARAMS = (
    _c(
        "reference_distance",
        50.0,
        "walk to a garbage point at which breach_rate applies",
        "参照投放距离",
        lo=1.0,
        hi=1000.0,
        plausible=(30.0, 100.0),
        unit="m",
    ),
    _c(
        "distance_elasticity",
        0.8,
        "elasticity of breaches with the walk to the garbage point",
        "违规对投放距离的弹性",
        hi=3.0,
        plausible=(0.4, 1.2),
    ),
    _c(
        "complaint_chance",
        0.1,
        "chance a breach prompts a neighbour's environment complaint",
        "违规引发投诉的概率",
        plausible=(0.05, 0.2),
    ),
    _c(
        "breach_headroom",
        1.3,
        "largest breach chance relative to breach_rate (a resident with no belonging)",
        "违规概率上限倍数",
        lo=1.0,
        hi=3.0,
        plausible=(1.1, 1.6),
        unit="×",
    ),
    _c(
        "watch_effect",
        0.7,
        "share of breaches stopped by full informal supervision in a wholly cohesive building",
        "非正式监督抑制违规比例",
        plausible=(0.4, 0.9),
    ),
)


def _weight_meaning(kind: str) -> str:
    return (
        f"relative frequency of {kind.replace('_', ' ')} breaches among all breaches at the reference walk "
        "(the weights of all kinds are normalised to shares)"
    )


# relative frequency of each kind at the reference walk: assumptions (no seed gives counts)
S_KINDS = f"assumption; kinds after {S000_KINDS}"
PARAMS += (
    _c(
        "breach_weight_garbage",
        0.35,
        _weight_meaning("garbage"),
        "垃圾投放违规权重",
        0.01,
        1.0,
        (0.2, 0.5),
        "",
        S_KINDS,
    ),
    _c("breach_weight_noise", 0.2, _weight_meaning("noise"), "噪音扰民违规权重", 0.01, 1.0, (0.1, 0.3), "", S_KINDS),
    _c(
        "breach_weight_parking", 0.2, _weight_meaning("parking"), "车辆停放违规权重", 0.01, 1.0, (0.1, 0.3), "", S_KINDS
    ),
    _c("breach_weight_pets", 0.1, _weight_meaning("pets"), "宠物管理违规权重", 0.01, 1.0, (0.05, 0.2), "", S_KINDS),
    _c(
        "breach_weight_shared_spaces",
        0.15,
        _weight_meaning("shared_spaces"),
        "公共空间违规权重",
        0.01,
        1.0,
        (0.05, 0.25),
        "",
        S_KINDS,
    ),
)


def inconvenience(distance: float, p: dict) -> float:
    """Multiplier on breaches from the walk to the nearest garbage point."""
    return (distance / p["reference_distance"]) ** p["distance_elasticity"]


def kind_weights(p: dict) -> np.ndarray:
    """The declared relative frequency of each kind (``KINDS`` order) at the reference walk."""
    return np.array([p[f"breach_weight_{k}"] for k in KINDS], dtype=float)


def breach_multiplier(p: dict) -> float:
    """Multiplier on the total breach rate from the walk: only the garbage kind answers to it.

    The weighted mean of the kinds' factors (garbage ``inconvenience``, every other kind 1),
    written so that it is exactly 1.0 at the reference walk (runs there are unchanged).
    """
    w = kind_weights(p)
    total = float(w.sum())
    return (total + float(w[GARBAGE]) * (inconvenience(p["garbage_distance"], p) - 1.0)) / total


def kind_shares(p: dict) -> np.ndarray:
    """Share of each kind (``KINDS`` order) among today's breaches; the garbage share grows with the walk."""
    w = kind_weights(p)
    w[GARBAGE] *= inconvenience(p["garbage_distance"], p)
    return w / w.sum()


# the outcomes this mechanism defines (columns of results())
OUTCOMES = (
    Outcome(
        "norm_breaches",
        "norm breaches today (all kinds)",
        "breaches",
        "Norm breaches today",
        "当日违规行为",
        "flow",
        "lower",
        counter="norm_breaches",
    ),
    Outcome(
        "breaches_total",
        "norm breaches so far",
        "breaches",
        "Norm breaches so far",
        "累计违规行为",
        "cumulative",
        "lower",
        counter="norm_breaches",
    ),
) + tuple(
    Outcome(
        f"breaches_{k}",
        f"{k.replace('_', ' ')} breaches so far",
        "breaches",
        f"{k.replace('_', ' ').capitalize()} breaches so far",
        f"累计{KIND_ZH[k]}违规",
        "cumulative",
        "lower",
        counter=f"norm_breaches_{k}",
    )
    for k in KINDS
)
LAST_BREACH = tuple(f"last_breach_{k}" for k in KINDS)  # per-kind State names, KINDS order
KIND_COUNTERS = tuple(f"norm_breaches_{k}" for k in KINDS)


class Norms(Mechanism):
    """Draw today's norm breaches and their consequences."""

    name = "norms"
    outcomes = OUTCOMES
    params = CORE_PARAMS + PARAMS
    states = (State("last_breach", np.int32, NEVER, "day the resident last breached a norm"),) + tuple(
        State(name, np.int32, NEVER, f"day the resident last breached a {k.replace('_', ' ')} norm")
        for name, k in zip(LAST_BREACH, KINDS, strict=True)
    )
    counters = ("norm_breaches", *KIND_COUNTERS)
    after = ("prices",)  # today's price frame
    needs = ("rules",)  # a known rule weighs breaches (rules.py runs later in the day: yesterday's knowledge)

    def __init__(self, model):
        super().__init__(model)
        # kinds come from a stream of their own, so the breach draws (and a run without rules) are
        # exactly those of the single-kind model
        self.kind_rng = model.streams["norms.kind"]
        self.params_changed()

    @override
    def params_changed(self) -> None:
        """Kind shares and the walk's multiplier, re-read when the walk or the weights change (timeline, dashboard)."""
        self._cum_shares = np.cumsum(kind_shares(self.model.p))[:-1]
        self._multiplier = breach_multiplier(self.model.p)

    @override
    def active(self, p: dict) -> bool:
        """Runs when residents can breach norms at all."""
        return p["breach_rate"] > 0

    @override
    def step(self) -> None:
        m, p, res = self.model, self.model.p, self.model.residents
        prices = m.mech["prices"]
        boost = prices.breach_boost()  # 1.0 unless a fine was ever in force (prices.py)
        h = p["breach_headroom"]
        pmax = min(1.0, p["breach_rate"] * self._multiplier * h * boost)
        cand = unique_ints(self.rng.integers(0, res.n, self.rng.poisson(res.n * pmax)))
        cand = cand[res.age[cand] != 0]
        kind = np.searchsorted(self._cum_shares, self.kind_rng.random(len(cand)), side="right")
        watch = p["informal_supervision"] * m.building_cohesion[res.building[cand]]
        prob = pmax * (1 - p["watch_effect"] * watch) * (h - res.belonging[cand]) / h
        if prices.frame is not None:
            prob = prob / boost * prices.breach_factor(cand)
        rules = m.mech["rules"]
        if rules.active(p):
            # a known rule of the breach's kind (and its enforcement) deters (rules.py)
            prob = prob * rules.breach_factor(cand, kind)
        hit = self.rng.random(len(cand)) < prob / pmax
        who, kind = cand[hit], kind[hit]
        if len(who) == 0:
            return
        prices.fine(who)
        res.last_breach[who] = m.tick
        m.count("norm_breaches", len(who))
        # per kind: date the breaches and count them (grouped by a sort: cheaper than a mask per kind)
        by_kind = who[np.argsort(kind, kind="stable")]
        ends = np.cumsum(np.bincount(kind, minlength=len(KINDS))).tolist()
        start = 0
        for k, end in enumerate(ends):
            if end > start:
                getattr(res, LAST_BREACH[k])[by_kind[start:end]] = m.tick
                m.count(KIND_COUNTERS[k], end - start)
            start = end
        m.breaches_by_building += np.bincount(res.building[who], minlength=m.struct.n_buildings)
        open_disputes(m, who[self.rng.random(len(who)) < p["breach_dispute_rate"]], NEIGHBOUR)
        told = who[self.rng.random(len(who)) < p["complaint_chance"]]
        if len(told):
            b = res.building[told]
            neighbour = m.index.b_start[b] + (self.rng.random(len(b)) * m.index.b_count[b]).astype(np.int64)
            neighbour = neighbour[res.age[neighbour] != 0]  # children complain through their parents
            k = len(neighbour)
            add_matters(m, neighbour, np.full(k, MAJOR, np.int8), np.zeros(k, np.int8), np.ones(k, bool))
