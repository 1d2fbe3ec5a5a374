"""Waste sorting at the garbage points: effort, mixed transport, policy fit and evaluation.

Licheng (seed 000 §4.1.1): centralised sorting points replaced the old ones,
some residents had to walk hundreds of metres, the trucks mixed sorted waste
again (「垃圾转运车辆还存在混合转运情况」), so sorting had "form without
quality" (「分类有形式无质量」); the policy did not identify residents' needs
(「未能有效识别和回应」) and nobody evaluated it (「内外部缺乏有效的监督和评估机制」).

- Each adult sorts with an effort in [0, 1] that moves each day towards
  willingness × fit × (1 − doubt). *Fit* is min(1, tolerable walk / walk to
  the garbage point): convenience drives behaviour (evidence W4). *Doubt* is
  what a resident infers from seeing the collection: seeing sorted waste
  mixed in the truck raises it, seeing it kept apart lowers it.
- Sorting quality (the outcome) is the share of the day's waste that reaches
  treatment sorted: mean effort × share of estates whose waste was not mixed.
- Consultation (lever): residents' needs are collected before a change of
  the points; a planned walk longer than the one that fits ``fit_target`` of
  residents is shortened to it the day it would take effect (the plan is
  amended, through ``model.apply_shock``, the path every timeline change takes).
- Evaluation (lever): every ``evaluation_interval`` days an evaluator measures
  sorting quality; below ``quality_target`` it names the causes it sees
  (mixed transport, a walk that fits too few) and schedules the fix on the
  policy timeline (``sim.timeline.reschedule``) ``adjustment_delay`` days later.
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.agents.resident import ELDERLY
from sim.arrays import unique_ints
from sim.mechanisms.base import Mechanism, ModelLike, Outcome, Param, State, coef

SEED = "seed 000 §4.1.1"
EVIDENCE = "docs/dev/evidence-behaviour.md §5.1"

LEVERS: tuple[Param, ...] = (
    Param(
        "waste_sorting",
        "waste",
        False,
        "bool",
        "residents are asked to sort household waste at the garbage points (分类投放)",
        f"{SEED} 「设立集中分类投放点」",
        lever=True,
        label_zh="垃圾分类投放",
    ),
    Param(
        "mixed_transport",
        "waste",
        0.0,
        "float",
        "daily chance that an estate's sorted waste is mixed again in the truck (混合转运)",
        f"{SEED} 「垃圾转运车辆还存在混合转运情况」; value a lever",
        "1/day",
        0.0,
        1.0,
        lever=True,
        label_zh="混合转运概率",
    ),
    Param(
        "waste_consulted",
        "waste",
        False,
        "bool",
        "residents' needs are collected before garbage points change; the plan keeps the walk within "
        "the tolerance of fit_target of residents",
        f"{SEED} 「未能有效识别和回应」 (its absence); seed 000 §5.2.2",
        lever=True,
        label_zh="变更前征询居民",
    ),
    Param(
        "waste_evaluation",
        "waste",
        False,
        "bool",
        "an evaluator measures sorting quality periodically and schedules adjustments when it fails",
        f"{SEED} 「内外部缺乏有效的监督和评估机制」 (its absence); seed 000 §5.2.3",
        lever=True,
        label_zh="分类效果评估",
    ),
)


def _c(name, default, meaning, zh, lo=0.0, hi=1.0, plausible=None, unit="", source="assumption", kind="float"):
    return coef("waste", name, default, meaning, zh, lo, hi, plausible, unit, source, kind)


PARAMS = (
    _c(
        "sorting_willingness",
        0.825,
        "effort a resident would put into sorting with a convenient point and no doubts",
        "分类意愿",
        source="evidence W4 (Ningbo, 2,036 households: 82.5% willing to sort), docs/dev/evidence-behaviour.md §5.1",
    ),
    _c(
        "sorting_habit_rate",
        0.02,
        "daily step of a resident's sorting effort towards its target",
        "分类习惯调整速度",
        plausible=(0.01, 0.05),
        unit="1/day",
        source="assumption (evidence W1 shape: most of the rise within 4–6 months)",
    ),
    _c(
        "walk_tolerance",
        150.0,
        "median walk to a garbage point that a working-age resident accepts",
        "可接受投放步行距离中位数",
        lo=5.0,
        hi=2000.0,
        plausible=(80.0, 300.0),
        unit="m",
    ),
    _c(
        "tolerance_spread",
        0.5,
        "sd of the log of residents' tolerable walk",
        "可接受步行距离对数标准差",
        hi=2.0,
        plausible=(0.3, 0.8),
    ),
    _c(
        "elderly_tolerance",
        0.6,
        "tolerable walk of the elderly relative to working-age residents",
        "老年人可接受距离倍数",
        plausible=(0.4, 0.9),
        unit="×",
    ),
    _c(
        "collection_seen",
        0.05,
        "daily chance that a resident sees the collection of their estate's waste",
        "目睹清运日概率",
        plausible=(0.02, 0.15),
        unit="1/day",
    ),
    _c(
        "seen_mixing_effect",
        0.3,
        "step of a resident's doubt towards 1 on seeing sorted waste mixed in the truck",
        "目睹混合转运的怀疑增量",
        plausible=(0.1, 0.6),
        source=f"assumption ({EVIDENCE}: default 0.3, range 0.1–0.6; direction from W4, W5)",
    ),
    _c(
        "seen_separate_effect",
        0.1,
        "step of a resident's doubt towards 0 on seeing sorted waste kept apart",
        "目睹分类运输的怀疑消减",
        plausible=(0.05, 0.3),
    ),
    _c(
        "fit_target",
        0.8,
        "share of residents whose tolerable walk a consulted plan or an adjustment respects",
        "征询方案覆盖居民比例",
        plausible=(0.6, 0.95),
    ),
    _c(
        "evaluation_interval",
        90,
        "days between evaluations of sorting",
        "评估间隔",
        lo=1,
        hi=3650,
        plausible=(30, 180),
        unit="days",
        kind="int",
    ),
    _c(
        "quality_target",
        0.5,
        "sorting quality below which the evaluation reports failure",
        "分类质量合格线",
        plausible=(0.3, 0.7),
    ),
    _c(
        "adjustment_delay",
        30,
        "days from an evaluation that failed to the adjustment taking effect",
        "整改生效时滞",
        lo=1,
        hi=365,
        plausible=(7, 90),
        unit="days",
        kind="int",
    ),
)


def _mech(m) -> Waste:
    return m.mech["waste"]


OUTCOMES = (
    Outcome(
        "sorting_quality",
        "share of the day's household waste that reaches treatment sorted, a level (0 while sorting is not asked)",
        "",
        "Sorting quality",
        "垃圾分类质量",
        "stock",
        "higher",
        compute=lambda m: _mech(m).quality,
    ),
    Outcome(
        "sorting_effort",
        "mean sorting effort of adults at the garbage points (0 while sorting is not asked)",
        "",
        "Sorting effort",
        "居民分类投放努力",
        "stock",
        "higher",
        compute=lambda m: _mech(m).effort_mean,
    ),
    Outcome(
        "policy_fit",
        "mean fit of the garbage points to adults' tolerable walk, min(1, tolerance/walk) "
        "(0 while sorting is not asked)",
        "",
        "Fit of the garbage points",
        "投放点与居民需求契合度",
        "stock",
        "higher",
        compute=lambda m: _mech(m).fit_mean,
    ),
    Outcome(
        "waste_evaluations",
        "evaluations of sorting so far",
        "evaluations",
        "Sorting evaluations so far",
        "累计分类评估次数",
        "cumulative",
        "neutral",
        counter="waste_evaluations",
    ),
    Outcome(
        "waste_adjustments",
        "adjustments to the garbage policy so far (by consultation or evaluation)",
        "changes",
        "Garbage policy adjustments so far",
        "累计垃圾政策调整次数",
        "cumulative",
        "neutral",
        counter="waste_adjustments",
    ),
)


class Waste(Mechanism):
    """Sorting effort, mixed transport, consulted plans and evaluation of the garbage policy."""

    name = "waste"
    params = LEVERS + PARAMS
    outcomes = OUTCOMES
    states = (
        State("sorting_effort", np.float32, 0.0, "effort the resident puts into sorting waste, 0–1"),
        State("sorting_doubt", np.float32, 0.0, "belief that sorted waste is mixed again anyway, 0–1"),
        State("tolerance_z", np.float32, np.nan, "standard-normal draw behind the resident's tolerable walk"),
    )
    counters = ("waste_evaluations", "waste_adjustments")
    after = ("turnover",)  # newcomers' states were reset today

    def __init__(self, model: ModelLike):
        super().__init__(model)
        self.quality = 0.0
        self.effort_mean = 0.0
        self.fit_mean = 0.0
        self.pending_until = -1  # an adjustment is scheduled up to this day: do not schedule another
        self.next_evaluation = -1
        self.last_plan = float("nan")  # the walk the consulted plan last settled on

    @override
    def active(self, p: dict) -> bool:
        """Runs while residents are asked to sort."""
        return p["waste_sorting"]

    def tolerance(self) -> np.ndarray:
        """Each resident's tolerable walk (m); residents without a draw get one now."""
        p, res = self.model.p, self.model.residents
        z = res.tolerance_z
        new = np.flatnonzero(np.isnan(z))
        if len(new):
            z[new] = self.rng.standard_normal(len(new))
        tol = p["walk_tolerance"] * np.exp(p["tolerance_spread"] * z.astype(np.float64))
        return np.where(res.age == ELDERLY, tol * p["elderly_tolerance"], tol)

    def fitting_walk(self, tol: np.ndarray) -> float:
        """The longest walk within the tolerance of ``fit_target`` of adults."""
        adults = tol[self.model.residents.adult]
        return float(np.quantile(adults, 1 - self.model.p["fit_target"])) if len(adults) else float("inf")

    @override
    def step(self) -> None:
        m, p, res = self.model, self.model.p, self.model.residents
        tol = self.tolerance()
        if p["waste_consulted"]:
            self._consulted_plan(tol)
        adult = res.adult
        fit = np.minimum(1.0, tol / p["garbage_distance"])
        # the trucks: mixed or kept apart per estate today; some residents see it and draw conclusions
        mixed = self.rng.random(m.struct.n_estates) < p["mixed_transport"]
        k = self.rng.poisson(res.n * p["collection_seen"])
        seen = unique_ints(self.rng.integers(0, res.n, k))
        seen = seen[adult[seen]]
        saw_mixed = mixed[res.estate[seen]]
        doubt = res.sorting_doubt
        doubt[seen[saw_mixed]] += p["seen_mixing_effect"] * (1 - doubt[seen[saw_mixed]])
        doubt[seen[~saw_mixed]] -= p["seen_separate_effect"] * doubt[seen[~saw_mixed]]
        target = p["sorting_willingness"] * fit * (1 - doubt)
        eff = res.sorting_effort
        eff += (p["sorting_habit_rate"] * (target - eff)).astype(np.float32)
        n_adult = max(int(adult.sum()), 1)
        self.effort_mean = float(eff[adult].sum()) / n_adult
        self.fit_mean = float(fit[adult].sum()) / n_adult
        w = np.bincount(res.estate[adult], weights=eff[adult], minlength=m.struct.n_estates)
        self.quality = float(w[~mixed].sum()) / n_adult
        self._evaluate(tol)

    def _consulted_plan(self, tol: np.ndarray) -> None:
        # a new plan (a walk this mechanism did not set) is consulted once: a walk longer than
        # what fits fit_target of residents is shortened to it
        planned = self.model.p["garbage_distance"]
        if planned == self.last_plan:
            return
        fitted = round(self.fitting_walk(tol), 1)
        self.last_plan = min(planned, fitted)
        if planned > fitted:
            self.model.apply_shock({"garbage_distance": fitted})
            self.model.count("waste_adjustments", 1)

    def _evaluate(self, tol: np.ndarray) -> None:
        m, p = self.model, self.model.p
        if not p["waste_evaluation"]:
            return
        if self.next_evaluation < 0:  # the first evaluation one interval after sorting starts
            self.next_evaluation = m.tick + p["evaluation_interval"]
        if m.tick < self.next_evaluation:
            return
        self.next_evaluation = m.tick + p["evaluation_interval"]
        m.count("waste_evaluations", 1)
        if self.quality >= p["quality_target"] or m.tick <= self.pending_until:
            return
        fix: dict[str, float] = {}
        if p["mixed_transport"] > 0:
            fix["mixed_transport"] = 0.0  # separate transport
        fitted = round(self.fitting_walk(tol), 1)
        # a walk already planned to fit (by consultation or an earlier adjustment) is not re-planned
        if p["garbage_distance"] != self.last_plan and p["garbage_distance"] > fitted:
            fix["garbage_distance"] = fitted  # more points, nearer the residents
            self.last_plan = fitted
        if not fix:
            return  # failure without a cause the evaluator can see
        from sim.timeline import reschedule  # the timeline imports the parameter schema, which imports us

        day = m.tick + p["adjustment_delay"]
        # appended to the run's timeline (past entries stay, for the record; they do not apply again)
        reschedule(m, [*m.timeline.records(), {"day": day, "set": fix}])
        self.pending_until = day
        m.count("waste_adjustments", 1)
