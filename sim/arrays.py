"""Small array helpers shared by the engine's hot paths.

numpy 2's ``np.unique`` takes a hash-table path for integer arrays that costs 4–6 times
a sort on the id arrays the model handles every day (tens to thousands of resident,
household or building ids). ``unique_ints`` returns the same array, to the bit and dtype.
"""

from __future__ import annotations

import numpy as np


def unique_ints(x: np.ndarray) -> np.ndarray:
    """Sorted distinct values of the 1-d integer array ``x`` (the same result as ``np.unique(x)``)."""
    s = np.sort(x)
    if len(s) < 2:
        return s
    keep = np.empty(len(s), bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]
