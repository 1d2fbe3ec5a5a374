"""Population turnover: residents leave and newcomers take their place.

Newcomers arrive with low trust and weak identity (seed 003 §1: Wengdun
receives migrants equal to 20%+ of its residents a year; seed 000 §4.3.2:
weak cultural identity). A leaver is replaced in place (same household and
age group), so residents and households are conserved; the leaver's points
are forfeited. Moves are booked every day (booking them once a week made a
weekly step in every mean over residents: newcomers' attitudes arrived together;
validation case "smooth"). Renters and migrants are more likely to leave (assumption);
newcomers' traits are drawn as for the first residents (population.draw_traits).
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import ACTORS
from sim.calendar import DAYS_PER_YEAR
from sim.mechanisms.base import A, Mechanism, ModelLike, Outcome, Param, coef, param
from sim.population import draw_traits
from sim.store import sample_by_group

MOVE_DAYS = 1  # moves are booked every day: weekly booking put a weekly step in every attitude mean


# the mechanism's scenario parameters: levers, sourced values and uncertainties (section [turnover])
CORE_PARAMS: tuple[Param, ...] = (
    param(
        "turnover",
        "turnover",
        0.08,
        "float",
        "share of residents replaced by newcomers per year",
        "seed 003 §1(三) (Wengdun: 20%+ a year); X default assumption",
        "1/year",
        0.0,
        2.0,
        lever=True,
        zh="年人口更替率",
    ),
    param(
        "newcomer_migrant_share",
        "turnover",
        0.6,
        "float",
        "share of newcomers who are migrants",
        A,
        "",
        0.0,
        1.0,
        zh="新居民中外来人口比例",
    ),
    param(
        "inclusion",
        "turnover",
        False,
        "bool",
        "non-locals sit on committees (e.g. 30% of the self-management committee)",
        "seed 003 §1(三) (30% of Wengdun's self-management committee non-local)",
        lever=True,
        zh="非户籍居民参与自治",
    ),
)


def _c(name, default, meaning, zh, lo=0.0, hi=1.0, plausible=None, unit=""):
    return coef("turnover", name, default, meaning, zh, lo, hi, plausible, unit)


PARAMS = (
    _c(
        "mobility_renter_migrant",
        1.5,
        "leaving rate of renters or migrants relative to local owners",
        "租户或外来人口相对迁出率",
        lo=1.0,
        hi=5.0,
        plausible=(1.2, 2.0),
        unit="×",
    ),
    _c(
        "mobility_renter_and_migrant",
        2.0,
        "leaving rate of migrant renters relative to local owners",
        "外来租户相对迁出率",
        lo=1.0,
        hi=10.0,
        plausible=(1.5, 3.0),
        unit="×",
    ),
    _c(
        "newcomer_spread",
        0.08,
        "sd of newcomers' trust and belonging around newcomer_trust",
        "新居民信任与归属感离散度",
        hi=0.5,
        plausible=(0.04, 0.15),
    ),
    _c("newcomer_satisfaction", 0.5, "newcomers' satisfaction on arrival", "新居民初始满意度", plausible=(0.3, 0.7)),
)


# the outcomes this mechanism defines (columns of results())
OUTCOMES = (
    Outcome(
        "points_forfeited",
        "points lost when their holders moved away",
        "points",
        "Points forfeited so far",
        "累计作废积分",
        "cumulative",
        "neutral",
        counter="points_forfeited",
        zero=0.0,
    ),
    Outcome(
        "arrivals",
        "newcomers so far",
        "residents",
        "Newcomers so far",
        "累计新迁入居民",
        "cumulative",
        "neutral",
        counter="arrivals",
    ),
)


class Turnover(Mechanism):
    """Replace today's leavers by newcomers."""

    name = "turnover"
    outcomes = OUTCOMES
    params = CORE_PARAMS + PARAMS
    counters = ("departures", "arrivals", "points_forfeited")

    def __init__(self, model: ModelLike):
        super().__init__(model)
        res = model.residents
        # renters or migrants, and migrant renters, move more often than local owners (assumption)
        self._mobility = (res.migrant.astype(np.int64) + (~res.owner)).astype(np.int64)
        self._class_sizes = np.bincount(self._mobility, minlength=3).astype(float)

    def _rates(self, p: dict) -> np.ndarray:
        """Daily leaving chance by mobility class (0, 1, 2), averaging ``turnover``/365."""
        weight = np.array([1, p["mobility_renter_migrant"], p["mobility_renter_and_migrant"]], dtype=np.float64)
        share = self._class_sizes / self._class_sizes.sum()
        return MOVE_DAYS * p["turnover"] / DAYS_PER_YEAR * weight / float((weight * share).sum())

    @override
    def active(self, p: dict) -> bool:
        """Runs when anyone moves at all."""
        return p["turnover"] > 0

    @override
    def step(self) -> None:
        m, p, res, rng = self.model, self.model.p, self.model.residents, self.rng
        who = sample_by_group(rng, self._rates(p), self._mobility)
        k = len(who)
        if k == 0:
            return
        m.count("departures", k)
        m.count("arrivals", k)
        m.count("points_forfeited", float(res.points[who].sum()))
        m.funds.bank_hours_forfeited += float(res.bank_hours[who].sum())
        res.migrant[who] = rng.random(k) < p["newcomer_migrant_share"]
        traits = draw_traits(p, rng, res.age[who], res.migrant[who], res.owner[who])
        for name, values in traits.items():
            getattr(res, name)[who] = values
        res.intrinsic[who] = traits["public_spirit"]
        res.capable[who] = False
        start = p["newcomer_trust"]
        res.trust[who] = np.clip(start + rng.normal(0, p["newcomer_spread"], (k, len(ACTORS))), 0, 1)
        res.belonging[who] = np.clip(start + rng.normal(0, p["newcomer_spread"], k), 0, 1)
        res.satisfaction[who] = p["newcomer_satisfaction"]
        m.reset_states(who)  # every mechanism-owned state back to its declared initial value
        res.arrived[who] = m.tick
        self._class_sizes -= np.bincount(self._mobility[who], minlength=3)
        self._mobility[who] = res.migrant[who].astype(np.int64) + (~res.owner[who])
        self._class_sizes += np.bincount(self._mobility[who], minlength=3)
        m.regroup(who)
