"""Case 8: Licheng sorting, a policy that did not fit and nobody evaluated (seed 000 §4.1.1).

The preset ``licheng-garbage`` (day 90: sorting at centralised points, a 400 m walk,
sorted waste mixed again in the truck on half of the days, no consultation, no
evaluation) is compared, paired by seed, with:

- the same change with separate transport (only 「混合转运」 removed): residents who
  see their sorted waste kept apart keep sorting, so *effort* (not only quality) is
  higher; this is the inference the mechanism adds;
- the same change with an evaluation only: it detects the failure and schedules a
  fix on the timeline, so quality over the last quarter is higher;
- ``licheng-garbage-remedied`` (consultation, separate transport, evaluation).

Expected (directions from the seed; no published figure to calibrate against, see
docs/dev/evidence-behaviour.md §5.1): Licheng's sorting quality over days 271–365 is
low (「分类有形式无质量」: below 0.25, an assumption of what "form without quality"
means), and each remedy raises it. Nothing here was calibrated to these checks.
"""

from __future__ import annotations

import numpy as np

from sim.validation.common import CaseResult, Settings, check_ci, mean_ci, pmap

ESTATE = dict(estates=1, households=1798, residents=5309)
QUICK = dict(estates=1, households=700, residents=2000, households_per_building=20)
CUT = {"garbage_distance": 400.0, "waste_sorting": True}
ARMS = {
    "Licheng": ("licheng-garbage", {}),
    "separate transport": ("licheng-garbage", dict(timeline=[{"day": 90, "set": {**CUT, "mixed_transport": 0.0}}])),
    "evaluation only": ("licheng-garbage", dict(waste_evaluation=True)),
    "remedied": ("licheng-garbage-remedied", {}),
}
WINDOW = slice(271, 366)


def _run(job: tuple) -> dict:
    from sim.model import CommunityModel

    seed, pop, arm = job
    preset, kw = ARMS[arm]
    df = CommunityModel(preset, seed=seed, **pop, **kw).run(365).results()
    return {k: float(df[k].iloc[WINDOW].mean()) for k in ("sorting_quality", "sorting_effort", "norm_breaches")}


def run(settings: Settings) -> CaseResult:
    """Run case 8 and judge it."""
    pop = QUICK if settings.quick else ESTATE
    seeds = settings.seed_list()
    res = CaseResult(
        "8",
        "Licheng: mixed transport, policy fit and evaluation",
        "seed 000 §4.1.1 (file 000_168e81895c2ccbd5.txt)",
        f"presets `licheng-garbage` and `licheng-garbage-remedied` on {pop['households']:,} households / "
        f"{pop['residents']:,} residents, 365 days, days 271–365 compared, paired by seed",
    )
    arms = list(ARMS)
    out = pmap(_run, [(s, pop, a) for s in seeds for a in arms], settings.jobs)
    by = {a: [out[i * len(arms) + j] for i in range(len(seeds))] for j, a in enumerate(arms)}
    q = {a: np.array([r["sorting_quality"] for r in by[a]]) for a in arms}
    e = {a: np.array([r["sorting_effort"] for r in by[a]]) for a in arms}
    res.checks.append(
        check_ci(
            "Licheng: sorting quality, days 271–365",
            "< 0.25 (分类有形式无质量)",
            q["Licheng"],
            lambda m, lo, hi: hi < 0.25,
        )
    )
    res.checks.append(
        check_ci(
            "Separate transport − Licheng: sorting effort (residents' inference)",
            "> 0 (seeing mixing discourages sorting)",
            e["separate transport"] - e["Licheng"],
            lambda m, lo, hi: lo > 0,
        )
    )
    res.checks.append(
        check_ci(
            "Evaluation only − Licheng: sorting quality",
            "> 0 (evaluation detects failure, the fix follows)",
            q["evaluation only"] - q["Licheng"],
            lambda m, lo, hi: lo > 0,
        )
    )
    res.checks.append(
        check_ci(
            "Remedied − Licheng: sorting quality",
            "> 0.3 (consultation + separate transport + evaluation)",
            q["remedied"] - q["Licheng"],
            lambda m, lo, hi: lo > 0.3,
        )
    )
    b = {a: mean_ci([r["norm_breaches"] for r in by[a]])[0] for a in arms}
    res.notes.append(
        "Norm breaches a day, days 271–365: "
        + ", ".join(f"{a} {b[a]:.2f}" for a in arms)
        + " (the consulted walk also cuts littering through sim/mechanisms/norms.py)."
    )
    res.data = {"sorting_quality": {a: float(q[a].mean()) for a in arms}}
    return res
