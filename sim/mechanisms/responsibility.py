"""Rights-and-responsibility lists (权责清单) versus buck-passing (推诿).

Without a list, a matter that reaches a handler may be passed back and forth
instead of handled (seed 000 §5.2.1). With a list, every matter has one
clear handler: no passing; on a project site, a list also clears blockers
faster (delivery.py, seed 000 §4.1.3 「责任不清、权责不明」). This module owns the
buck-passing draws, so turning the list on or off changes no other stream.
"""

from __future__ import annotations

import numpy as np

from sim.mechanisms.base import Mechanism


class Responsibility(Mechanism):
    """Decides which handling attempts are passed on rather than done."""

    name = "responsibility"
    section = "supervision"

    def passed(self, n: int) -> np.ndarray:
        """Mask of ``n`` handling attempts that are passed to someone else today."""
        p = self.model.p
        if p["responsibility_list"] or n == 0:
            return np.zeros(n, bool)
        return self.rng.random(n) < p["buck_passing"]
