"""Rights-and-responsibility lists (权责清单) versus buck-passing (推诿).

Without a list, a matter that reaches a handler may be passed back and forth
instead of handled (seed 000 §5.2.1), and implementation drags (seed 000
§4.1.3: a 3-month renovation took 8). With a list, every matter has one
clear handler: no passing, no drag from unclear duties. This module owns the
buck-passing draws, so turning the list on or off changes no other stream.
"""

from __future__ import annotations

import numpy as np

from sim.mechanisms.base import Mechanism, coef

PARAMS = (
    coef(
        "supervision",
        "no_list_drag",
        0.9,
        "extra implementation time without a responsibility list, as a share of plan",
        "无责任清单的额外工期比例",
        0.0,
        5.0,
        (0.45, 1.35),
        "×",
    ),
)


class Responsibility(Mechanism):
    """Decides which handling attempts are passed on rather than done."""

    name = "responsibility"
    section = "supervision"
    params = PARAMS

    def passed(self, n: int) -> np.ndarray:
        """Mask of ``n`` handling attempts that are passed to someone else today."""
        p = self.model.p
        if p["responsibility_list"] or n == 0:
            return np.zeros(n, bool)
        return self.rng.random(n) < p["buck_passing"]

    def drag(self) -> float:
        """Extra implementation time (share of plan) from unclear duties."""
        p = self.model.p
        return 0.0 if p["responsibility_list"] else p["no_list_drag"]
