"""Participation with memory: habit, volunteer role identity, and the past year's record.

Each activity a resident takes part in adds to a habit stock ``h`` in [0, 1]
(``h ← h + habit_step (1 − h)``); without activity the stock halves every
``habit_halflife`` days ("lapses erode it"). The participation choice
(participation.py) adds ``w_habit · h`` to the resident's daily log-odds, and
registered volunteers carry a role identity worth ``w_identity`` on top.
Persistent differences between residents (public spirit, free time, skill,
reward sensitivity) are drawn once per resident (population.py) and kept for
as long as the resident lives here; they are not redrawn.

Evidence (docs/dev/evidence-behaviour.md §1): about two thirds of one year's
volunteers volunteer again the next (P1, CNCS 2008: retention ≈ 0.65, range
0.53–0.79 by intensity, P2); role identity predicts hours and intent to remain
(R1, direction only). ``w_habit`` is calibrated to that retention; the
concentration of participation (C1–C5, P1, CN6) is held out for validation
(docs/validation.md, case 6).

The record of the past year is a per-resident count of activities over the
last 365 days (since the start while the run is shorter), kept incrementally:
the ids booked each day are stored in a 365-slot ring and subtracted when they
leave the window, so no resident carries a day-by-day history. A newcomer
starts at zero; entries of the resident who lived there before are not
subtracted from the newcomer (they predate the newcomer's arrival).
"""

from __future__ import annotations

import math
from typing import override

import numpy as np

from sim.arrays import unique_ints
from sim.calendar import DAYS_PER_YEAR
from sim.mechanisms.base import Mechanism, ModelLike, Outcome, Param, State, coef

RETENTION_SOURCE = (
    "calibrated: year-to-year retention of participants ≈ 0.65 (docs/dev/evidence-behaviour.md §1, P1 "
    "CNCS 2008 'more than one out of every three ... had not done so again'; range 0.53–0.79, P2); "
    "docs/validation.md, case 6"
)

CORE_PARAMS: tuple[Param, ...] = (
    # a modelling switch, not a policy lever: off reproduces the memoryless daily choice
    Param(
        "habit",
        "behaviour",
        True,
        "bool",
        "participation has memory: habit from past activity and a volunteer's role identity",
        "assumption (persistence and concentration figures in docs/dev/evidence-behaviour.md §1)",
        role="assumption",
        label_zh="参与习惯",
        meaning_zh="参与有记忆：过去的参与形成习惯，注册志愿者有角色认同",
    ),
)

PARAMS = (
    coef(
        "behaviour",
        "w_habit",
        3.5,
        "log-odds of taking part added by a full habit stock",
        "习惯权重(满习惯存量的对数几率增量)",
        0.0,
        20.0,
        (1.5, 4.5),
        "logit",
        source=RETENTION_SOURCE,
    ),
    coef(
        "behaviour",
        "habit_step",
        0.25,
        "share of the way to a full habit stock one activity adds",
        "每次参与增加的习惯存量比例",
        0.0,
        1.0,
        (0.1, 0.5),
    ),
    coef(
        "behaviour",
        "habit_halflife",
        120.0,
        "days for the habit stock to halve without taking part",
        "习惯存量半衰期",
        1.0,
        3650.0,
        (30.0, 365.0),
        "days",
        source="assumption; docs/dev/evidence-behaviour.md §1.3 (P2's intensity-dependent retention only bounds it)",
    ),
    coef(
        "behaviour",
        "w_identity",
        0.8,
        "log-odds of taking part added by a registered volunteer's role identity",
        "志愿者身份认同权重",
        0.0,
        20.0,
        (0.0, 1.6),
        "logit",
        source="assumption; direction from docs/dev/evidence-behaviour.md §1, R1 (role identity predicts hours "
        "and intent to remain; magnitude not read)",
    ),
)

TOP_SHARE = 1 / 10  # the most active tenth: the definition of the outcome, not a behavioural coefficient


def top_share(counts_hist: np.ndarray, n: int, share: float = TOP_SHARE) -> float:
    """Share of all activities done by the most active ``share`` of ``n`` people, from a histogram of counts."""
    levels = np.arange(len(counts_hist))
    total = float((counts_hist * levels).sum())
    if total == 0 or n == 0:
        return 0.0
    k = math.ceil(share * n)
    above = np.cumsum(counts_hist[::-1])[::-1]  # people with at least each count
    # the lowest count level c such that fewer than k people have more than c
    more = above - counts_hist  # people with more than each count
    c = int(np.flatnonzero(more < k)[0])
    top = float((counts_hist[c + 1 :] * levels[c + 1 :]).sum()) + (k - int(more[c])) * c
    return top / total


def _year_record(m) -> tuple[float, float]:
    """(top-tenth share of activities, share of adults with none) over the past year; cached per day."""
    hab = m.mech["habit"]
    if hab._record_day != m.tick:
        hist, n = hab.year_histogram(), len(hab.adult_ids)
        hab._record = (top_share(hist, n), float(hist[0]) / n if n else 0.0)
        hab._record_day = m.tick
    return hab._record


OUTCOMES = (
    Outcome(
        "top_tenth_share",
        "share of the past year's activities done by the most active tenth of adults (rolling 365 days; "
        "since the start while the run is shorter)",
        "share",
        "Activities by most active tenth",
        "最活跃十分之一成年人完成的活动占比",
        "stock",
        "neutral",
        compute=lambda m: _year_record(m)[0],
    ),
    Outcome(
        "never_active_share",
        "share of adults with no activity in the past year (rolling 365 days; since the start while shorter)",
        "share",
        "Adults not active in the past year",
        "过去一年未参与的成年人比例",
        "stock",
        "lower",
        compute=lambda m: _year_record(m)[1],
    ),
)


class Habit(Mechanism):
    """Habit decay and the rolling one-year record of who took part (booking is in ``record_activity``)."""

    name = "habit"
    section = "behaviour"
    params = CORE_PARAMS + PARAMS
    outcomes = OUTCOMES
    states = (
        State("habit_stock", np.float32, 0.0, "habit stock from past participation (0–1)"),
        State("year_count", np.int32, 0, "activities in the past 365 days"),
    )
    # runs after every mechanism that books activities, so each day's bookings are complete
    after = ("participation", "consultation", "organisations", "thresholds")

    def __init__(self, model: ModelLike):
        super().__init__(model)
        res = model.residents
        # ages never change (leavers are replaced within their age group): the adults are fixed
        self.adult_ids = np.flatnonzero(res.adult)
        self._ring: list[np.ndarray | None] = [None] * DAYS_PER_YEAR
        self._today: list[np.ndarray] = []
        self._record_day = -1
        self._record = (0.0, 1.0)
        # histogram of year_count over adults, brought up to date only where counts changed (the
        # residents booked or leaving the window since, and newcomers), not recounted every day
        self._is_adult = res.adult.copy()
        self._hist: np.ndarray | None = None
        self._counted = np.zeros(res.n, np.int32)  # each resident's count as the histogram holds it
        self._changed: list[np.ndarray] = []
        self._hist_day = -1

    def book(self, who: np.ndarray) -> None:
        """Residents ``who`` took part today: habit grows, the year's record counts it."""
        m, res = self.model, self.model.residents
        if m.p["habit"]:
            h = res.habit_stock[who]
            res.habit_stock[who] = h + np.float32(m.p["habit_step"]) * (1 - h)
        np.add.at(res.year_count, who, 1)
        self._today.append(np.asarray(who, dtype=np.int64))
        self._changed.append(self._today[-1])

    def year_histogram(self) -> np.ndarray:
        """Adults by activities in the past year (``np.bincount(year_count[adults])``, maybe with trailing zeros)."""
        res = self.model.residents
        count = res.year_count
        if self._hist is None:
            self._hist = np.bincount(count[self.adult_ids])
            self._counted[:] = count
        else:
            # residents whose count may have moved: booked or leaving the window since, or newly arrived
            arrived = self.model.arrived_since(self._hist_day)
            ids = unique_ints(np.concatenate([*self._changed, arrived]))
            ids = ids[self._is_adult[ids]]
            if len(ids):
                now = count[ids]
                size = max(len(self._hist), int(now.max()) + 1)
                hist = np.zeros(size, np.int64)
                hist[: len(self._hist)] = self._hist
                hist -= np.bincount(self._counted[ids], minlength=size)
                hist += np.bincount(now, minlength=size)
                self._hist = hist
                self._counted[ids] = now
        self._changed = []
        self._hist_day = self.model.tick
        return self._hist

    @override
    def step(self) -> None:
        m, p, res = self.model, self.model.p, self.model.residents
        slot = m.tick % DAYS_PER_YEAR
        old = self._ring[slot]
        if old is not None and len(old):
            # booked exactly a year ago: leaves the window, unless the resident has since been replaced
            day = m.tick - DAYS_PER_YEAR
            leaving = old[res.arrived[old] <= day]
            np.subtract.at(res.year_count, leaving, 1)
            self._changed.append(leaving)
        self._ring[slot] = np.concatenate(self._today) if self._today else None
        self._today = []
        if p["habit"]:
            res.habit_stock *= np.float32(0.5 ** (1 / p["habit_halflife"]))
