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


def unique_counts(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(x, return_counts=True)`` for a 1-d integer array, without its hash table.

    The ids handed to it are usually already increasing (from ``np.flatnonzero``): then the
    answer is the array itself with counts of one, found by a single comparison pass.
    """
    x = np.asarray(x)
    if len(x) < 2 or bool((x[1:] > x[:-1]).all()):
        return x.copy(), np.ones(len(x), np.intp)
    s = np.sort(x)
    starts = np.flatnonzero(np.concatenate(([True], s[1:] != s[:-1])))
    return s[starts], np.diff(np.append(starts, len(s)))


_BIG = np.iinfo(np.int64).max


class FirstOccurrence:
    """Positions of the first occurrence of each distinct key, for keys in ``[0, size)``.

    The same positions as ``np.unique(keys, return_index=True)[1]``, but in increasing
    order and without a sort: a scratch table keeps, per key, the least position seen
    (``np.minimum.at``), and is reset after each call. On the few thousand keys of a
    day's overdue matters this costs about a quarter of the sort.
    """

    def __init__(self, size: int = 0):
        self._scratch = np.full(size, _BIG, np.int64)

    def __call__(self, keys: np.ndarray, size: int) -> np.ndarray:
        """Increasing positions of the first occurrence of each key of ``keys`` (all below ``size``)."""
        if size > len(self._scratch):
            self._scratch = np.full(max(size, 2 * len(self._scratch)), _BIG, np.int64)
        pos = np.arange(len(keys))
        np.minimum.at(self._scratch, keys, pos)
        first = np.flatnonzero(self._scratch[keys] == pos)
        self._scratch[keys] = _BIG  # ready for the next call
        return first
