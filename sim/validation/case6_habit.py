"""Case 6: participation with memory — persistence (calibrated) and concentration (held out).

Configuration: the ``governance-partners`` preset at X's scale (the defaults, with
the calibrated ``base_logit`` and ``w_habit`` of ``calibration-x.json``), two
years. Adults living here throughout both years are followed.

Calibration targets (not evidence of validity): X's 5.6% registered volunteers
after a year (case 1, fits ``base_logit``) and year-to-year retention ≈ 0.65
(docs/dev/evidence-behaviour.md §1, P1; fits ``w_habit``), checked here against
its published range 0.53–0.79 (P2).

Held out for validation (never used to choose a parameter), from the same doc:
(a) the share of the past year's activities done by the most active tenth of
adults, pass band 0.55–0.90 (C1–C5); (b) the share of adults with no activity in
the past year, pass band 0.45–0.85 (C1 0.53, P1 0.74, CN6 ≈ 0.70); (c) heavy
participants are retained more than light ones (P2: 0.79 vs 0.53, ratio ≈ 1.5;
checked by direction, ratio > 1.1). The outcomes (a) and (b) are read at day 365
(the window is the first year) and day 730 (rolling 365 days).
"""

from __future__ import annotations

import numpy as np

from sim.validation.case1_x import calibrated
from sim.validation.common import CaseResult, Settings, band, check_ci, new_figure, pmap, save_figure

YEAR = 365
RETENTION = (0.53, 0.79)  # P1/P2 range; 0.65 is the calibration target
TOP_TENTH = (0.55, 0.90)  # C1–C5, held out
NEVER = (0.45, 0.85)  # C1, P1, CN6, held out
HEAVY_LIGHT_MIN = 1.1  # P2 ratio ≈ 1.5, checked by direction with a margin
HEAVY_QUANTILE = 0.75  # heavy: the top quarter of year-1 participants by activities
LIGHT_MAX = 2  # light: one or two activities in year 1


def _run(job: tuple) -> dict:
    from sim.model import CommunityModel

    seed, params = job
    m = CommunityModel("governance-partners", seed=seed, **params).run(YEAR)
    res = m.residents
    y1 = res.year_count.copy()
    m.run(YEAR)
    df = m.results()
    stay = res.adult & (res.arrived == 0)
    a1 = (y1 > 0) & stay
    a2 = res.year_count > 0
    heavy = a1 & (y1 >= np.quantile(y1[a1], HEAVY_QUANTILE))
    light = a1 & (y1 <= LIGHT_MAX)
    return {
        "retention": float((a1 & a2).sum() / max(a1.sum(), 1)),
        "ret_heavy": float((heavy & a2).sum() / max(heavy.sum(), 1)),
        "ret_light": float((light & a2).sum() / max(light.sum(), 1)),
        "top1": float(df["top_tenth_share"].iloc[YEAR]),
        "top2": float(df["top_tenth_share"].iloc[-1]),
        "never1": float(df["never_active_share"].iloc[YEAR]),
        "never2": float(df["never_active_share"].iloc[-1]),
        "top_series": df["top_tenth_share"].to_numpy(),
        "never_series": df["never_active_share"].to_numpy(),
    }


def run(settings: Settings) -> CaseResult:
    """Run case 6 and judge it."""
    params = calibrated()
    runs = pmap(_run, [(s, params) for s in settings.seed_list()], settings.jobs)
    res = CaseResult(
        "6",
        "Participation with memory: persistence and concentration",
        "docs/dev/evidence-behaviour.md §1 (P1, P2 calibration; C1–C5, P1, CN6 validation)",
        f"`governance-partners`, X's scale, 730 days, base_logit = {params['base_logit']:.3f}, "
        f"w_habit = {params['w_habit']:.2f} (calibrated); seeds {settings.first_seed}–"
        f"{settings.first_seed + settings.seeds - 1}",
    )

    def within(lo: float, hi: float):
        return lambda m, a, b: lo <= m <= hi

    def arr(k: str) -> np.ndarray:
        return np.array([r[k] for r in runs])

    res.checks += [
        check_ci(
            "year-to-year retention of adult participants",
            f"{RETENTION[0]}–{RETENTION[1]} (calibration target 0.65, P1/P2)",
            arr("retention"),
            within(*RETENTION),
        ),
        check_ci(
            "activities by the most active tenth of adults, year 1",
            f"{TOP_TENTH[0]}–{TOP_TENTH[1]} (held out, C1–C5)",
            arr("top1"),
            within(*TOP_TENTH),
        ),
        check_ci(
            "activities by the most active tenth of adults, year 2 (rolling 365 days)",
            f"{TOP_TENTH[0]}–{TOP_TENTH[1]} (held out, C1–C5)",
            arr("top2"),
            within(*TOP_TENTH),
        ),
        check_ci(
            "adults with no activity in year 1",
            f"{NEVER[0]}–{NEVER[1]} (held out, C1, P1, CN6)",
            arr("never1"),
            within(*NEVER),
        ),
        check_ci(
            "adults with no activity in year 2 (rolling 365 days)",
            f"{NEVER[0]}–{NEVER[1]} (held out, C1, P1, CN6)",
            arr("never2"),
            within(*NEVER),
        ),
        check_ci(
            "retention of heavy over light participants",
            f"> {HEAVY_LIGHT_MIN} (held out, P2: 0.79/0.53 ≈ 1.5)",
            arr("ret_heavy") / arr("ret_light"),
            lambda m, a, b: m > HEAVY_LIGHT_MIN,
        ),
    ]
    res.data = {k: float(arr(k).mean()) for k in ("retention", "ret_heavy", "ret_light", "top1", "top2", "never1")}
    fig, (a1, a2) = new_figure(2)
    days = np.arange(2 * YEAR + 1)
    band(a1, days, arr("top_series"), "simulated (mean, 95% CI)")
    a1.axhspan(*TOP_TENTH, color="0.85", zorder=0, label="published band (C1–C5)")
    a1.set(xlabel="day", ylabel="share of the past year's activities", title="Most active tenth of adults")
    a1.legend(fontsize=8)
    band(a2, days, arr("never_series"), "simulated (mean, 95% CI)")
    a2.axhspan(*NEVER, color="0.85", zorder=0, label="published band (C1, P1, CN6)")
    a2.set(xlabel="day", ylabel="share of adults", title="Adults not active in the past year")
    a2.legend(fontsize=8)
    res.figure = save_figure(fig, settings, "case6_habit.png")
    return res
