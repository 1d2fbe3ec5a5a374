"""Population turnover: residents leave and newcomers take their place.

Newcomers arrive with low trust and weak identity (seed 003 §1: Wengdun
receives migrants equal to 20%+ of its residents a year; seed 000 §4.3.2:
weak cultural identity). A leaver is replaced in place (same household and
age group), so residents and households are conserved; the leaver's points
are forfeited. Moves happen every day: a week's movers are drawn at the week's
start, each with a day of that week (booking them all on one day made a weekly step in
every mean over residents: validation case "smooth"). Renters and migrants are more likely to leave (assumption);
newcomers' traits are drawn as for the first residents (population.draw_traits).
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import ACTORS
from sim.calendar import DAYS_PER_WEEK, DAYS_PER_YEAR, week_of
from sim.mechanisms.base import A, Mechanism, ModelLike, Outcome, Param, coef, param
from sim.population import draw_traits
from sim.store import sample_by_group

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
        self._batch: dict[str, np.ndarray] | None = None  # this week's movers, their days and newcomers
        self._batch_end = 0

    def _rates(self, p: dict, days: int) -> np.ndarray:
        """Chance of leaving within ``days`` days by mobility class (0, 1, 2), averaging days · ``turnover``/365."""
        weight = np.array([1, p["mobility_renter_migrant"], p["mobility_renter_and_migrant"]], dtype=np.float64)
        share = self._class_sizes / self._class_sizes.sum()
        return days * p["turnover"] / DAYS_PER_YEAR * weight / float((weight * share).sum())

    @override
    def active(self, p: dict) -> bool:
        """Runs when anyone moves at all."""
        return p["turnover"] > 0

    @override
    def step(self) -> None:
        m = self.model
        if self._batch is None or m.tick >= self._batch_end:
            self._draw_week(m, m.p, m.residents, self.rng)
        today = np.flatnonzero(self._batch["day"] == m.tick)
        if len(today):
            self._move(m, m.p, m.residents, {k: v[today] for k, v in self._batch.items()})

    def _draw_week(self, m, p: dict, res, rng: np.random.Generator) -> None:
        """Who leaves from today to the week's end, on which day, and who replaces them.

        Drawn once a week (the draws cost the same for 5 movers as for 35) and carried out
        day by day: each mover leaves on a day drawn uniformly within the week, so moves,
        and the newcomers' attitudes, arrive every day. Parameters are read when the week
        is drawn: a change of ``turnover`` mid-week counts from the next week.
        """
        start = m.tick
        end = (week_of(start) + 1) * DAYS_PER_WEEK
        who = sample_by_group(rng, self._rates(p, end - start), self._mobility)
        k = len(who)
        migrant = rng.random(k) < p["newcomer_migrant_share"]
        traits = draw_traits(p, rng, res.age[who], migrant, res.owner[who])
        spread = p["newcomer_spread"]
        self._batch = {
            "who": who,
            "day": start + rng.integers(0, end - start, k),
            "migrant": migrant,
            "trust": np.clip(p["newcomer_trust"] + rng.normal(0, spread, (k, len(ACTORS))), 0, 1),
            "belonging": np.clip(p["newcomer_trust"] + rng.normal(0, spread, k), 0, 1),
            **{f"trait_{name}": values for name, values in traits.items()},
        }
        self._batch_end = end

    def _move(self, m, p: dict, res, b: dict[str, np.ndarray]) -> None:
        """Today's leavers ``b["who"]`` go; newcomers with the drawn traits take their places."""
        who = b["who"]
        k = len(who)
        m.count("departures", k)
        m.count("arrivals", k)
        m.count("points_forfeited", float(res.points[who].sum()))
        m.funds.bank_hours_forfeited += float(res.bank_hours[who].sum())
        res.migrant[who] = b["migrant"]
        for key, values in b.items():
            if key.startswith("trait_"):
                getattr(res, key[len("trait_") :])[who] = values
        res.intrinsic[who] = b["trait_public_spirit"]
        res.capable[who] = False
        res.trust[who] = b["trust"]
        res.belonging[who] = b["belonging"]
        res.satisfaction[who] = p["newcomer_satisfaction"]
        m.reset_states(who)  # every mechanism-owned state back to its declared initial value
        m.log_arrivals(who)  # arrived = today
        self._class_sizes -= np.bincount(self._mobility[who], minlength=3)
        self._mobility[who] = res.migrant[who].astype(np.int64) + (~res.owner[who])
        self._class_sizes += np.bincount(self._mobility[who], minlength=3)
        m.regroup(who)
