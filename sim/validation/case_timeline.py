"""Case "timeline": a points scheme introduced and withdrawn through ``[[timeline]]`` (issue 10 item 4).

Configuration: the ``governance-partners`` preset at a reduced population with points
switched off from the start; the treated runs switch points (with the preset's honour
roll) on at day ``D1`` and off again at day ``D2`` through two timeline ``set`` entries
(the new budget set with them); the control never has points. Same seeds (paired).
Activities are summed over three windows: before ``D1``; ``SETTLE`` days after ``D1``
until ``D2`` ("during"); ``SETTLE`` days after ``D2`` to the end ("after").

Expected pattern (direction only):

- (a) during the scheme, participation above the never-rewarded control: rewards raise
  the rewarded behaviour while they are in force (the operant finding Deci, Koestner &
  Ryan 1999 start from: rewards "increase the likelihood that the behavior would be
  emitted again, an effect that persisted as long as the reward contingency was
  operative");
- (b) after withdrawal, participation *below* the never-rewarded control: tangible,
  expected, engagement-contingent rewards undermine free-choice intrinsic motivation
  (Deci, Koestner & Ryan 1999, Psychological Bulletin 125(6): d = −0.40 for
  engagement-contingent rewards, measured after the reward is withdrawn); Gneezy &
  Rustichini (2000, J. Legal Studies 29(1)): "after the fine was removed no reduction
  occurred" — the changed behaviour outlived the incentive;
- (c) property of the timeline, not validation: a ramped lever moves the outcome
  gradually. ``honour_roll_visibility`` ramped from 0 to 1 over ``D1``..``D2`` against
  the same change made at once on ``D1`` (a ``set``), both against a never-visible
  control: in the first ``EARLY`` days of the window the ramp's gain over the control is
  less than half the step's; in the last ``EARLY`` days before ``D2`` more than half.

What (a) and (b) test is the crowding-out of incentives.py, which acts on the residents
who receive points (``reward_crowding`` 0.25, mapped from Deci et al.'s d = −0.40), combined
with habit and the reward's pull, run through the timeline. ``reward_crowding_step`` (1)
is calibration: it was chosen after the first choice (0.3) left (b) null on 20 seeds
(docs/validation.md), so (b) is a calibration target, not an independent check; (a) was
not a target. Magnitudes (d = −0.40) are not compared, because the model's outcome
(activities of a community) is not the meta-analysis's (free-choice time of individuals
in a laboratory).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.validation.common import CaseResult, Settings, band, check_ci, new_figure, pmap, save_figure


def _days(quick: bool) -> tuple[int, int, int, int, int]:
    """D1, D2, end, settle and early window lengths."""
    return (30, 120, 210, 15, 15) if quick else (60, 180, 300, 30, 20)


def _run(job: tuple) -> dict:
    from sim.model import CommunityModel

    seed, quick = job
    d1, d2, end, settle, early = _days(quick)
    pop = dict(residents=1000, households=340) if quick else dict(residents=3000, households=1000)
    scheme = [
        {"day": d1, "set": {"points": True, "points_budget": 60000.0}},
        {"day": d2, "set": {"points": False}},
    ]
    variants = {
        "never": dict(points=False),
        "on-off": dict(points=False, timeline=scheme),
        "roll never": dict(honour_roll_visibility=0.0),
        "roll step": dict(honour_roll_visibility=0.0, timeline=[{"day": d1, "set": {"honour_roll_visibility": 1.0}}]),
        "roll ramp": dict(
            honour_roll_visibility=0.0,
            timeline=[{"from_day": d1, "to_day": d2, "ramp": {"honour_roll_visibility": 1.0}}],
        ),
    }
    out = {}
    for name, kw in variants.items():
        m = CommunityModel("governance-partners", seed=seed, **pop, **kw)
        a = m.run(end).results()["activities"].to_numpy().astype(float)
        out[name] = {
            "pre": a[1 : d1 + 1].sum(),
            "during": a[d1 + settle : d2 + 1].sum(),
            "after": a[d2 + settle :].sum(),
            "early": a[d1 + 1 : d1 + 1 + early].sum(),
            "late": a[d2 + 1 - early : d2 + 1].sum(),
            "series": pd.Series(a).rolling(7, min_periods=1).mean().to_numpy(),
        }
    return out


def run(settings: Settings) -> CaseResult:
    """Run the timeline case and judge it."""
    d1, d2, end, settle, early = _days(settings.quick)
    runs = pmap(_run, [(s, settings.quick) for s in settings.seed_list()], settings.jobs)
    size = "1,000 residents" if settings.quick else "3,000 residents"
    res = CaseResult(
        "timeline",
        "A points scheme introduced and withdrawn on a timeline; a ramped lever",
        "Deci, Koestner & Ryan 1999; Gneezy & Rustichini 2000 (direction only)",
        f"`governance-partners` without points, {size}, {end} days; points (with the honour roll) set on at day "
        f"{d1} and off at day {d2} vs never; honour_roll_visibility 0→1 ramped over days {d1}–{d2} vs set at "
        f"day {d1} vs never visible",
    )

    def arr(v: str, k: str) -> np.ndarray:
        return np.array([r[v][k] for r in runs])

    never, onoff = "never", "on-off"
    res.checks.append(
        check_ci(
            f"(a) activities while points are on (days {d1 + settle}–{d2}), on-off / never − 1",
            "> 0 (rewards raise behaviour while in force)",
            arr(onoff, "during") / arr(never, "during") - 1,
            lambda m, lo, hi: lo > 0,
            pct=True,
        )
    )
    res.checks.append(
        check_ci(
            f"(b) activities after withdrawal (days {d2 + settle}–{end}), on-off / never − 1",
            "< 0 (overjustification: below the never-rewarded control)",
            arr(onoff, "after") / arr(never, "after") - 1,
            lambda m, lo, hi: hi < 0,
            pct=True,
        )
    )
    gain = {k: arr("roll ramp", k) - arr("roll never", k) for k in ("early", "late")}
    step = {k: arr("roll step", k) - arr("roll never", k) for k in ("early", "late")}
    res.checks.append(
        check_ci(
            f"(c) ramp's gain / step's gain over never-visible, first {early} days of the ramp",
            "< 0.5 (property: a ramp moves the outcome gradually)",
            gain["early"] / np.maximum(step["early"].mean(), 1e-9),
            lambda m, lo, hi: hi < 0.5,
            digits=2,
        )
    )
    res.checks.append(
        check_ci(
            f"(c) ramp's gain / step's gain over never-visible, last {early} days of the ramp",
            "> 0.5 (property: the ramp arrives)",
            gain["late"] / np.maximum(step["late"].mean(), 1e-9),
            lambda m, lo, hi: lo > 0.5,
            digits=2,
        )
    )
    res.notes.append(
        "The ramp ratios divide each seed's gain by the mean over seeds of the step's gain (a per-seed step "
        "gain can be near zero in a small window)."
    )
    res.data = {
        "pre_ratio": float((arr(onoff, "pre") / arr(never, "pre")).mean()),
        "during_ratio": float((arr(onoff, "during") / arr(never, "during")).mean()),
        "after_ratio": float((arr(onoff, "after") / arr(never, "after")).mean()),
    }
    fig, (a1, a2) = new_figure(2)
    days = np.arange(end + 1)
    for v, label in ((never, "never points"), (onoff, f"points on day {d1}–{d2}")):
        band(a1, days, arr(v, "series"), label)
    for d in (d1, d2):
        a1.axvline(d, color="0.5", lw=0.8, ls=":")
    a1.set(xlabel="day", ylabel="activities per day (7-day mean)", title="(a, b) Points introduced and withdrawn")
    a1.legend(fontsize=8)
    for v, label in (("roll never", "never visible"), ("roll step", f"set on day {d1}"), ("roll ramp", "ramped")):
        band(a2, days, arr(v, "series"), label)
    for d in (d1, d2):
        a2.axvline(d, color="0.5", lw=0.8, ls=":")
    a2.set(xlabel="day", ylabel="activities per day (7-day mean)", title="(c) Honour roll visibility: ramp vs step")
    a2.legend(fontsize=8)
    res.figure = save_figure(fig, settings, "case_timeline.png")
    return res
