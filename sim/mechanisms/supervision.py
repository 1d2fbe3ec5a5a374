"""Supervision and sanctions (seed 000 §3.4; seed 004 §3).

Formal supervision: committees, firm and organisations watch one another and
inspect; the chance that a firm's shirking is detected grows with inspections
and with the strength of mutual supervision. A third-party evaluator adds an
independent look, unless it is captured by the side that pays it, in which
case its rating says nothing (drawn each month per estate). Informal
supervision (acquaintances, face, reputation) works through the norms module.
Site inspections of projects (seed 000 §4.1.3: fewer than 2 a month in Xi'an)
enforce deadlines in delivery.py.
"""

from __future__ import annotations

from typing import override

import numpy as np

from sim.calendar import is_month_start
from sim.mechanisms.base import Mechanism, ModelLike, Param, param

# the mechanism's scenario parameters: levers, sourced values and uncertainties (section [supervision])
CORE_PARAMS: tuple[Param, ...] = (
    param(
        "informal_supervision",
        "supervision",
        0.5,
        "float",
        "strength of acquaintance networks, face and reputation in keeping norms",
        "seed 000 §3.4; value assumption",
        "",
        0.0,
        1.0,
        lever=True,
        zh="非正式监督(熟人、面子)",
    ),
    param(
        "formal_supervision",
        "supervision",
        0.5,
        "float",
        "strength of mutual formal supervision among committees, firm and organisations",
        "seed 000 §3.4; value assumption",
        "",
        0.0,
        1.0,
        lever=True,
        zh="正式相互监督",
    ),
    param(
        "inspections_per_month",
        "supervision",
        4.0,
        "float",
        "inspections of firms and projects per month",
        "seed 000 §4.1.3 (Xi'an: fewer than 2); default 4 assumption",
        "inspections/month",
        0.0,
        60.0,
        lever=True,
        zh="每月检查次数",
    ),
    param(
        "third_party_evaluation",
        "supervision",
        False,
        "bool",
        "an independent evaluator also rates firms and projects",
        "seed 004 §3(三); seed 000 §5.2.3",
        lever=True,
        zh="第三方评估",
    ),
    param(
        "evaluation_capture",
        "supervision",
        0.3,
        "float",
        "chance that the evaluator is captured by the side that pays it (its rating then says nothing)",
        "seed 004 §3(三) (evaluators defer to the contracting party); value assumption",
        "",
        0.0,
        1.0,
        lever=True,
        zh="评估被俘获概率",
    ),
    param(
        "responsibility_list",
        "supervision",
        False,
        "bool",
        "rights-and-responsibility list (权责清单): every matter has one clear handler",
        "seed 000 §5.2.1",
        lever=True,
        zh="权责清单",
    ),
    param(
        "buck_passing",
        "supervision",
        0.35,
        "float",
        "chance that a handling attempt is passed to another party instead of done, without a list",
        "seed 000 §5.2.1 (推诿); value assumption",
        "1/day",
        0.0,
        0.95,
        zh="推诿概率",
    ),
)


class Supervision(Mechanism):
    """Monthly detection chances per estate."""

    name = "supervision"
    params = CORE_PARAMS
    counters = ("evaluations_captured",)

    def __init__(self, model: ModelLike):
        super().__init__(model)
        self.informative = np.zeros(model.struct.n_estates)
        self.detection = self._detection()

    def _formal(self) -> float:
        p = self.model.p
        return 1 - np.exp(-p["inspections_per_month"] * p["formal_supervision"] / 2)

    def _detection(self) -> np.ndarray:
        return 1 - (1 - self._formal()) * (1 - 0.5 * self.informative)

    @override
    def step(self) -> None:
        if not is_month_start(self.model.tick):
            return
        p = self.model.p
        if p["third_party_evaluation"]:
            captured = self.rng.random(len(self.informative)) < p["evaluation_capture"]
            self.informative = (~captured).astype(float)
            self.model.count("evaluations_captured", int(captured.sum()))
        else:
            self.informative[:] = 0.0
        self.detection = self._detection()
