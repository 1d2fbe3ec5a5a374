"""A growable table of records (matters, disputes, projects) held as NumPy columns.

Records are appended in batches and never removed; the ids of the records
still open are kept apart so per-tick work touches only those.
"""

from __future__ import annotations

import numpy as np

from sim.arrays import unique_ints


class RecordStore:
    """Columns of equal length that grow by doubling; ``open_ids`` lists open records."""

    def __init__(self, columns: dict[str, np.dtype], capacity: int = 1024):
        self._dtypes = dict(columns)
        self._cols = {k: np.empty(capacity, dt) for k, dt in self._dtypes.items()}
        self.size = 0
        self.open_ids = np.empty(0, np.int64)

    def __getattr__(self, name: str) -> np.ndarray:
        cols = self.__dict__.get("_cols")
        if cols is not None and name in cols:
            return cols[name][: self.__dict__["size"]]
        raise AttributeError(name)

    def column(self, name: str) -> np.ndarray:
        """The full writable column (first ``size`` rows are records)."""
        return self._cols[name]

    def add(self, n: int, **values) -> np.ndarray:
        """Append ``n`` records; unspecified columns get -1 (or False); return their ids."""
        if n <= 0:
            return np.empty(0, np.int64)
        need = self.size + n
        cap = len(next(iter(self._cols.values())))
        if need > cap:
            new_cap = max(need, 2 * cap)
            for k, arr in self._cols.items():
                grown = np.empty(new_cap, arr.dtype)
                grown[: self.size] = arr[: self.size]
                self._cols[k] = grown
        ids = np.arange(self.size, need)
        for k, arr in self._cols.items():
            arr[self.size : need] = values.get(k, False if arr.dtype == bool else -1)
        self.size = need
        self.open_ids = np.concatenate([self.open_ids, ids])
        return ids

    def close(self, ids: np.ndarray) -> None:
        """Remove ``ids`` (all of them open) from the open set."""
        if len(ids):
            # open_ids stays sorted (appended in order, removed in place): locate by bisection
            pos = np.minimum(np.searchsorted(self.open_ids, ids), len(self.open_ids) - 1)
            if len(self.open_ids) == 0 or (self.open_ids[pos] != ids).any():
                raise ValueError("closing records that are not open")
            keep = np.ones(len(self.open_ids), bool)
            keep[pos] = False
            self.open_ids = self.open_ids[keep]


def rank_within(groups: np.ndarray, order_key: np.ndarray) -> np.ndarray:
    """Rank of each element within its group when sorted by ``order_key`` (0 = first)."""
    if len(groups) == 0:
        return np.empty(0, np.int64)
    order = np.lexsort((order_key, groups))
    g = groups[order]
    pos = np.arange(len(g))
    # position of each element's group start: the last position so far where the group changed
    starts = np.empty(len(g), bool)
    starts[0] = True
    np.not_equal(g[1:], g[:-1], out=starts[1:])
    first = np.where(starts, pos, 0)
    np.maximum.accumulate(first, out=first)
    ranks = np.empty(len(g), np.int64)
    ranks[order] = pos - first
    return ranks


def take_capacity(
    rng: np.random.Generator, groups: np.ndarray, order_key: np.ndarray, capacity: np.ndarray
) -> np.ndarray:
    """Mask of items served: the first ``capacity[g]`` of each group, in ``order_key`` order.

    Fractional capacities are rounded up or down at random, so a capacity of
    0.3 a day serves one item on about 30% of days.
    """
    if len(groups) == 0:
        return np.zeros(0, bool)
    cap = np.floor(capacity + rng.random(len(capacity))).astype(np.int64)
    if len(cap) > FEW_GROUPS:
        return rank_within(groups, order_key) < cap[groups]
    # few groups (a community's queue, an estate's): select by partition, not a full sort
    if len(cap) == 1:
        return first_k(order_key, int(cap[0]))
    served = np.zeros(len(groups), bool)
    for g in range(len(cap)):
        members = np.flatnonzero(groups == g)
        if len(members):
            served[members[first_k(order_key[members], int(cap[g]))]] = True
    return served


FEW_GROUPS = 8  # above this many groups one lexsort beats a pass per group


def first_k(keys: np.ndarray, k: int) -> np.ndarray:
    """Mask of the first ``k`` elements in stable order of ``keys`` (ties: the earlier position first).

    The same elements as ``rank < k`` from a stable sort, found in linear time: all keys
    below the k-th smallest, then as many of those equal to it as there is room for.
    """
    n = len(keys)
    if k >= n:
        return np.ones(n, bool)
    if k <= 0:
        return np.zeros(n, bool)
    kth = np.partition(keys, k - 1)[k - 1]
    mask = keys < kth
    ties = np.flatnonzero(keys == kth)
    mask[ties[: k - np.count_nonzero(mask)]] = True
    return mask


def thin_sample(rng: np.random.Generator, prob: np.ndarray | float, n: int, pmax: float):
    """Ids drawn with per-id chance ``prob`` (≤ pmax) without one draw per id.

    Draws a Poisson number of candidates at the upper rate ``pmax`` and keeps each
    with chance prob/pmax: exact for rare events and far cheaper than n uniforms.
    """
    if n == 0 or pmax <= 0:
        return np.empty(0, np.int64)
    k = rng.poisson(n * pmax)
    cand = unique_ints(rng.integers(0, n, k))
    if np.ndim(prob) == 0:
        keep = rng.random(len(cand)) < prob / pmax
    else:
        keep = rng.random(len(cand)) < prob[cand] / pmax
    return cand[keep]


def sample_by_group(rng: np.random.Generator, group_prob: np.ndarray, group_of: np.ndarray) -> np.ndarray:
    """Ids drawn with chance ``group_prob[group_of[id]]``, without one draw per id."""
    pmax = float(group_prob.max()) if len(group_prob) else 0.0
    n = len(group_of)
    if n == 0 or pmax <= 0:
        return np.empty(0, np.int64)
    cand = unique_ints(rng.integers(0, n, rng.poisson(n * pmax)))
    return cand[rng.random(len(cand)) < group_prob[group_of[cand]] / pmax]
