"""Checked mode: the model's invariants, asserted after every tick.

Conservation of residents and households (leavers are replaced), of points
(issued = redeemed + held + forfeited + expired + deducted), of matters (open = raised −
resolved − given up), the order of matters (resolved ≤ surfaced ≤ raised, record by record
and in total), funds never negative,
shares within [0, 1] and no NaN anywhere in state or outcomes.
"""

from __future__ import annotations

import math

import numpy as np


class InvariantError(AssertionError):
    """An invariant of the model failed; the message says which, and on which day."""


def _fail(m, what: str) -> None:
    raise InvariantError(f"day {m.tick}: {what}")


def check_invariants(m) -> None:
    """Raise InvariantError if any invariant does not hold now."""
    res, s, row, t = m.residents, m.struct, m._row, m.totals
    if res.n != int(m.community_sizes.sum()):
        _fail(m, f"residents {res.n} != {int(m.community_sizes.sum())} at start")
    if len(np.unique(res.household)) != s.n_households:
        _fail(m, "a household has lost all its residents")
    if t.get("arrivals", 0) != t.get("departures", 0):
        _fail(m, "arrivals differ from departures")
    issued = t.get("points_issued", 0.0)
    accounted = (
        t.get("points_redeemed", 0.0)
        + float(res.points.sum())
        + t.get("points_forfeited", 0.0)
        + t.get("points_expired", 0.0)
        + t.get("points_deducted", 0.0)
    )
    if not math.isclose(issued, accounted, rel_tol=1e-9, abs_tol=1e-6):
        _fail(m, f"points issued {issued} != redeemed + held + forfeited + expired + deducted {accounted}")
    if (res.points < 0).any():
        _fail(m, "a resident holds negative points")
    ms = m.matters
    surfaced, resolved, raised = ms.surfaced, ms.resolved, ms.raised
    if ((resolved >= 0) & (surfaced < 0)).any():
        _fail(m, "a matter was resolved without being surfaced")
    if ((surfaced >= 0) & (surfaced < raised)).any():
        _fail(m, "a matter surfaced before it was raised")
    if not (row["matters_resolved"] <= row["matters_surfaced"] <= row["matters_raised"]):
        _fail(m, "matters resolved ≤ surfaced ≤ raised does not hold")
    # a matter leaves the backlog when resolved or when its raiser gives up on it (service_trust)
    gone = row["matters_resolved"] + t.get("matters_given_up", 0)
    if len(ms.open_ids) != row["matters_raised"] - gone:
        _fail(m, "open matters != raised − resolved − given up")
    for name, arr in (
        ("community fund", m.funds.community),
        ("points budget", m.funds.points_budget),
        ("organisation funding", m.orgs.funding),
    ):
        if (arr < -1e-6).any():
            _fail(m, f"{name} is negative")
    if m.government.budget < -1e-6:
        _fail(m, "government budget is negative")
    for name in ("trust", "belonging", "satisfaction", "intrinsic", "public_spirit", "free_time"):
        arr = getattr(res, name)
        if np.isnan(arr).any():
            _fail(m, f"NaN in residents' {name}")
        if arr.min() < 0 or arr.max() > 1:
            _fail(m, f"residents' {name} outside [0, 1]")
    # the past year's record (habit.py): counts never negative, never above a resident's activities here
    if hasattr(res, "year_count") and ((res.year_count < 0) | (res.year_count > res.activities)).any():
        _fail(m, "a resident's activities in the past year are negative or exceed their activities")
    hab = m.mech.get("habit")
    if hab is not None and hab._hist is not None:  # the kept histogram (habit.year_histogram) against a recount
        recount = np.bincount(res.year_count[hab.adult_ids], minlength=len(hab._hist))
        if len(recount) != len(hab._hist) or (recount != hab._hist).any():
            _fail(m, "the histogram of the past year's activities differs from a recount")
    if hasattr(res, "habit_stock") and (res.habit_stock.min(initial=0) < 0 or res.habit_stock.max(initial=0) > 1):
        _fail(m, "a resident's habit stock is outside [0, 1]")
    for k, v in row.items():
        if isinstance(v, float) and math.isnan(v):
            _fail(m, f"outcome {k} is NaN")
        if (
            k.startswith(("participation_", "satisfaction", "trust_", "belonging"))
            and "gap" not in k
            and not 0 <= v <= 1
        ):
            _fail(m, f"share {k} = {v} outside [0, 1]")
