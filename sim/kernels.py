"""Compiled loops for the few per-resident passes that numpy makes in several sweeps.

Why: a numpy expression such as ``x += rate * (target - x)`` walks the 21,235 residents
three times and allocates two temporaries; under two sweep workers sharing the cache
that costs about ten times one fused loop (measured: 64 µs against 4 µs). Each kernel
here does *the same floating-point operations in the same order* as the numpy code it
replaces, so results are the same to the bit (``tests/test_kernels.py`` checks each
against its numpy form; the golden run checks the whole model). Numba compiles them on
first use and caches the machine code beside this file (``cache=True``), so only the
first run on a machine pays the compilation.

Kept small on purpose: a kernel is worth it only where a pass over every resident is
made every day; everything else stays numpy.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def drift(x: np.ndarray, rate: np.float32, target: np.ndarray) -> None:
    """``x += rate * (target - x)`` in place (float32 arrays, float32 rate)."""
    for i in range(x.size):
        x[i] = x[i] + rate * (target[i] - x[i])


@njit(cache=True, nogil=True)
def cell_sums(code: np.ndarray, values: np.ndarray, n_cells: int) -> np.ndarray:
    """``np.bincount(code, weights=values, minlength=n_cells)``: float64 sums added in index order."""
    out = np.zeros(n_cells)
    for i in range(code.size):
        out[code[i]] += np.float64(values[i])
    return out


@njit(cache=True, nogil=True)
def cell_counts(code: np.ndarray, mask: np.ndarray, n_cells: int) -> np.ndarray:
    """``np.bincount(code[mask], minlength=n_cells)``: how many of each cell's members are flagged."""
    out = np.zeros(n_cells, np.int64)
    for i in range(code.size):
        if mask[i]:
            out[code[i]] += 1
    return out


@njit(cache=True, nogil=True)
def unanswered_memory(felt: np.ndarray, trust_rc: np.ndarray, loss: np.float32, regain: np.float32) -> None:
    """service_trust's daily memory, in place: with g = 1 − felt, ``trust_rc *= 1 − g·loss; felt += g·regain``."""
    one = np.float32(1)
    for i in range(felt.size):
        g = one - felt[i]
        trust_rc[i] = trust_rc[i] * (one - g * loss)
        felt[i] = felt[i] + g * regain


@njit(cache=True, nogil=True)
def attitude_logit(
    t_party: np.ndarray,
    t_rc: np.ndarray,
    t_orgs: np.ndarray,
    w_trust3: np.float32,
    intrinsic: np.ndarray,
    w_spirit: np.float32,
    belonging: np.ndarray,
    w_belonging: np.float32,
    satisfaction: np.ndarray,
    w_dissatisfaction: np.float32,
    volunteer: np.ndarray,
    w_identity: np.float32,
    identity: bool,
    adult_weight: np.ndarray,
) -> np.ndarray:
    """Participation's daily part of the logit from attitudes and identity (float32; see ``_attitudes``)."""
    n = t_party.size
    u = np.empty(n, np.float32)
    for i in range(n):
        x = t_party[i] + t_rc[i]
        x = x + t_orgs[i]
        x = x * w_trust3
        x = x + w_spirit * intrinsic[i]
        x = x + w_belonging * belonging[i]
        x = x + w_dissatisfaction * satisfaction[i]
        if identity:
            x = x + w_identity * np.float32(volunteer[i])
        u[i] = x * adult_weight[i]
    return u
