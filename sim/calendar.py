"""The model's calendar: one tick is one day; weeks of 7, months of 30, quarters of 91, years of 365 days.

Every "is this a new week/month/quarter/year" and "which month is day t" question
is answered here, so the calendar is written once. Day 0 is the initial state;
the first simulated day is day 1. Yearly budgets renew on day 1 of each year
(``is_year_start``); weekly and monthly work falls on days divisible by the
period (day 0, 7, 14, …), as it always has.
"""

from __future__ import annotations

DAYS_PER_WEEK = 7
DAYS_PER_MONTH = 30
DAYS_PER_QUARTER = 91
DAYS_PER_YEAR = 365


def is_week_start(t: int, offset: int = 0) -> bool:
    """Whether day ``t`` starts a week (shifted by ``offset`` days)."""
    return t % DAYS_PER_WEEK == offset


def is_month_start(t: int, offset: int = 0) -> bool:
    """Whether day ``t`` starts a month (shifted by ``offset`` days)."""
    return t % DAYS_PER_MONTH == offset


def is_quarter_start(t: int, offset: int = 0) -> bool:
    """Whether day ``t`` starts a quarter (shifted by ``offset`` days)."""
    return t % DAYS_PER_QUARTER == offset


def is_year_start(t: int) -> bool:
    """Whether day ``t`` is the first day of a budget year (day 1, 366, …)."""
    return t % DAYS_PER_YEAR == 1


def day_of_month(t: int) -> int:
    """Day ``t``'s position within its month, 0–29."""
    return t % DAYS_PER_MONTH


def week_of(t: int) -> int:
    """Number of the week day ``t`` falls in (0 for days 0–6)."""
    return t // DAYS_PER_WEEK


def month_of(t: int) -> int:
    """Number of the month day ``t`` falls in (0 for days 0–29)."""
    return t // DAYS_PER_MONTH


def month_of_year(t: int) -> int:
    """Calendar month 1–12 of day ``t``.

    A 365-day year of twelve 30-day months; the five days left over count as December.
    """
    return min((t % DAYS_PER_YEAR) // DAYS_PER_MONTH, 11) + 1


def per_day(per_year: float) -> float:
    """A yearly amount or rate as a daily one."""
    return per_year / DAYS_PER_YEAR
