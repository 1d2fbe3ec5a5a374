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
def drift(x: np.ndarray, rate: float, target: np.ndarray) -> None:
    """``x += np.float32(rate) * (target - x)`` in place (float32 arrays)."""
    r = np.float32(rate)
    for i in range(x.size):
        x[i] = x[i] + r * (target[i] - x[i])


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
def unanswered_memory(felt: np.ndarray, trust_rc: np.ndarray, loss_: float, regain_: float) -> None:
    """service_trust's daily memory, in place: with g = 1 − felt, ``trust_rc *= 1 − g·loss; felt += g·regain``."""
    one, loss, regain = np.float32(1), np.float32(loss_), np.float32(regain_)
    for i in range(felt.size):
        g = one - felt[i]
        trust_rc[i] = trust_rc[i] * (one - g * loss)
        felt[i] = felt[i] + g * regain


@njit(cache=True, nogil=True)
def attitude_logit(
    t_party: np.ndarray,
    t_rc: np.ndarray,
    t_orgs: np.ndarray,
    w_trust3_: float,
    intrinsic: np.ndarray,
    w_spirit_: float,
    belonging: np.ndarray,
    w_belonging_: float,
    satisfaction: np.ndarray,
    w_dissatisfaction_: float,
    volunteer: np.ndarray,
    w_identity_: float,
    identity: bool,
    adult_weight: np.ndarray,
) -> np.ndarray:
    """Participation's daily part of the logit from attitudes and identity (float32; see ``_attitudes``)."""
    # weights arrive as Python floats (a numpy scalar argument costs 1.4 µs to dispatch) and are
    # rounded to float32 here, as np.float32(w) did
    w_trust3, w_spirit, w_belonging = np.float32(w_trust3_), np.float32(w_spirit_), np.float32(w_belonging_)
    w_dissatisfaction, w_identity = np.float32(w_dissatisfaction_), np.float32(w_identity_)
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


@njit(cache=True, nogil=True)
def negated_logit(
    u: np.ndarray,
    fixed: np.ndarray,
    habit: np.ndarray,
    w_habit_: float,
    reward_sensitivity: np.ndarray,
    pull: np.ndarray,
    community: np.ndarray,
    status: np.ndarray,
    seen: np.ndarray,
    w_status_: float,
    social: np.ndarray,
    building: np.ndarray,
    informed: np.ndarray,
    w_informed_: float,
    informed_reference_: float,
    last_visited: np.ndarray,
    visited_after: float,
    w_mobilised_: float,
    use_habit: bool,
    use_reward: bool,
    use_status: bool,
    use_informed: bool,
    use_visits: bool,
) -> None:
    """Participation's logit completed and negated in place: ``u = −(u + fixed + the switched-on terms)``.

    The terms are added in participation.step's order, each as numpy computed it: habit
    ``w_habit·habit``; reward ``reward_sensitivity·pull`` (``pull`` per community, or one value);
    honour roll ``w_status·(status·seen)`` (``seen`` empty: everyone sees it); neighbours
    ``social`` per building; outreach ``w_informed·(informed − reference)``; home visits
    ``w_mobilised·(last_visited > visited_after)``. the ``use_`` flags say which are on. Weights arrive as
    Python floats and are rounded to float32 here, as np.float32(w) did.
    """
    w_habit, w_status, w_informed = np.float32(w_habit_), np.float32(w_status_), np.float32(w_informed_)
    informed_reference, w_mobilised = np.float32(informed_reference_), np.float32(w_mobilised_)
    per_community = pull.size > 1
    everyone_sees = seen.size == 0
    for i in range(u.size):
        x = u[i] + fixed[i]
        if use_habit:
            x = x + w_habit * habit[i]
        if use_reward:
            x = x + reward_sensitivity[i] * (pull[community[i]] if per_community else pull[0])
        if use_status:
            x = x + w_status * (status[i] if everyone_sees else status[i] * np.float32(seen[i]))
        x = x + social[building[i]]
        if use_informed:
            x = x + w_informed * (informed[i] - informed_reference)
        if use_visits:
            x = x + w_mobilised * np.float32(last_visited[i] > visited_after)
        u[i] = -x


@njit(cache=True, nogil=True)
def draw_participants(e: np.ndarray, occasions: np.ndarray, community: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Ids with ``r < occasions / (1 + e)`` (float32; ``occasions`` per community, or one value), in order."""
    per_community = occasions.size > 1
    out = np.empty(e.size, np.int64)
    k = 0
    one = np.float32(1)
    for i in range(e.size):
        prob = (occasions[community[i]] if per_community else occasions[0]) / (e[i] + one)
        if r[i] < prob:
            out[k] = i
            k += 1
    return out[:k]
