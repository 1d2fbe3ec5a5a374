"""Case 5: threshold cascades (Granovetter 1978, AJS 83(6)).

Configuration: a community of 100 adults (40 households, no children, no
turnover) deciding by ``participation_rule = "threshold"`` on the share of
the other 99 already taking part (``threshold_scope = "community"``).
Organisations launch no activities of their own (``activities_per_month`` =
0), so that nobody is drawn in except by the threshold rule; they still
provide the occasions to take part.

- ``threshold_dist = "even"``: thresholds 0, 1, …, 99 (as shares 0, 0.01, …,
  0.99), in random order. Expected: all 100 take part.
- The same, with the resident whose threshold is 1 given threshold 2 (the
  thresholds are the residents' state, changed before the first day).
  Expected: the cascade stops at 1.
- ``threshold_dist = "normal-even"`` (the normal quantiles, i.e. the expected
  distribution Granovetter analyses), mean 25 (0.25), sd varied. Expected:
  the outcome jumps from a few to nearly everyone near a critical sd of
  about 12 (Granovetter: 12.2).
- ``threshold_dist = "normal"``: each seed draws its own thresholds, so its
  critical sd scatters; sampling gaps in the low tail stop cascades, so it
  lies above the expected-distribution value.
"""

from __future__ import annotations

import numpy as np

from sim.validation.common import CaseResult, Check, Settings, band, check_ci, new_figure, pmap, save_figure

POP = dict(
    households=40,
    residents=100,
    share_children=0.0,
    estates=1,
    households_per_building=20,
    households_per_grid_worker=40,
    turnover=0.0,
    activities_per_month=0.0,
    participation_rule="threshold",
    threshold_scope="community",
)
EVEN_DAYS, NORMAL_DAYS = 130, 100


def _count(m) -> int:
    return int(np.count_nonzero(m.recent & m.residents.adult))


def _even(job: tuple) -> int:
    from sim.model import CommunityModel

    seed, perturb = job
    m = CommunityModel(None, seed=seed, **POP, threshold_dist="even")
    if perturb:
        theta = m.mech["thresholds"].thresholds()
        theta[np.flatnonzero(np.isclose(theta, 0.01))] = 0.02
    m.run(EVEN_DAYS)
    return _count(m)


def _normal(job: tuple) -> list[int]:
    from sim.model import CommunityModel

    seed, sds = job
    return [
        _count(
            CommunityModel(
                None, seed=seed, **POP, threshold_dist="normal", threshold_mean=0.25, threshold_sd=float(sd)
            ).run(NORMAL_DAYS)
        )
        for sd in sds
    ]


def _quantile(sds) -> list[int]:
    from sim.model import CommunityModel

    return [
        _count(
            CommunityModel(
                None, seed=1, **POP, threshold_dist="normal-even", threshold_mean=0.25, threshold_sd=float(sd)
            ).run(NORMAL_DAYS)
        )
        for sd in sds
    ]


def run(settings: Settings) -> CaseResult:
    """Run case 5 and judge it."""
    seeds = settings.seed_list()
    res = CaseResult(
        "5",
        "Threshold cascades",
        "Granovetter 1978, AJS 83(6)",
        '100 adults, participation_rule = "threshold" on the share of the other 99 taking part; '
        "organisations launch no activities of their own",
    )
    even = pmap(_even, [(s, p) for s in seeds for p in (False, True)], settings.jobs)
    full, cut = np.array(even[0::2]), np.array(even[1::2])
    res.checks.append(
        Check(
            "even thresholds 0…99: participants at the end",
            "100 in every seed",
            f"{full.min()}–{full.max()} (mean {full.mean():.1f})",
            bool((full == 100).all()),
            float(full.mean()),
            (float(full.min()), float(full.max())),
        )
    )
    res.checks.append(
        Check(
            "threshold-1 resident given threshold 2: participants",
            "1 in every seed",
            f"{cut.min()}–{cut.max()} (mean {cut.mean():.1f})",
            bool((cut == 1).all()),
            float(cut.mean()),
            (float(cut.min()), float(cut.max())),
        )
    )
    fine = np.round(np.arange(0.10, 0.16 + 1e-9, 0.005 if settings.quick else 0.0025), 4)
    expected = np.array(_quantile(fine))
    jump = np.flatnonzero(expected > 50)
    crit_expected = 100 * fine[jump[0]] if len(jump) else float("nan")
    res.checks.append(
        Check(
            "normal quantile thresholds (mean 25): critical sd (first sd with > 50 joining)",
            "about 12 (Granovetter: 12.2): within 11–14",
            f"{crit_expected:.2f}",
            bool(11 <= crit_expected <= 14),
            crit_expected,
            (crit_expected, crit_expected),
        )
    )
    step = 0.02 if settings.quick else 0.01
    sds = np.round(np.arange(0.04, 0.24 + 1e-9, step), 4)
    grid = np.array(pmap(_normal, [(s, sds) for s in seeds], settings.jobs))  # seeds × sds
    crit = []
    for row in grid:
        above = np.flatnonzero(row > 50)
        crit.append(100 * sds[above[0]] if len(above) else np.nan)
    crit = np.array(crit)
    res.checks.append(
        check_ci(
            "normal draws (mean 25): critical sd per seed (first sd with > 50 joining)",
            "near 12, above it (sampling gaps): mean within 10–15",
            crit,
            lambda m, lo, hi: 10 <= m <= 15,
        )
    )
    below = [
        grid[i, np.flatnonzero(sds < crit[i] / 100 - 0.025)].max(initial=0)
        for i in range(len(seeds))
        if not np.isnan(crit[i])
    ]
    above = [
        grid[i, np.flatnonzero(sds > crit[i] / 100 + 0.025)].min(initial=100)
        for i in range(len(seeds))
        if not np.isnan(crit[i])
    ]
    res.checks.append(
        check_ci(
            "normal draws: participants 3 sd-points below the critical sd (worst)",
            "few: ≤ 20 (a jump, not a slope)",
            below,
            lambda m, lo, hi: m <= 20,
            digits=3,
        )
    )
    res.checks.append(
        check_ci(
            "normal draws: participants 3 sd-points above the critical sd (worst)",
            "nearly all: ≥ 80",
            above,
            lambda m, lo, hi: m >= 80,
            digits=3,
        )
    )
    fig, (a1, a2) = new_figure(2)
    band(a1, sds * 100, grid, "normal draws: mean over seeds (95% CI)")
    a1.plot(fine * 100, expected, color="k", lw=1.5, label="normal quantiles (expected distribution)")
    for row in grid[: min(8, len(grid))]:
        a1.plot(sds * 100, row, color="0.6", lw=0.6, alpha=0.7)
    a1.axvline(12.2, color="k", ls="--", lw=1, label="Granovetter: 12.2")
    a1.set(
        xlabel="sd of thresholds (mean 25, of 100)",
        ylabel=f"participants after {NORMAL_DAYS} days",
        title="Normal thresholds: the jump (grey: single seeds)",
    )
    a1.legend(fontsize=8)
    a2.bar([0, 1], [full.mean(), cut.mean()], color=["C0", "C3"])
    a2.set_yscale("log")
    a2.set_xticks([0, 1], ["thresholds 0…99", "threshold 1 → 2"])
    a2.set(ylabel="participants (log scale)", title="Uniform thresholds: all or one")
    for i, v in enumerate([full.mean(), cut.mean()]):
        a2.text(i, v, f"{v:.0f}", ha="center", va="bottom")
    res.figure = save_figure(fig, settings, "case5_thresholds.png")
    res.data = {"critical_sd": [float(c) for c in crit], "critical_sd_expected": float(crit_expected)}
    return res
