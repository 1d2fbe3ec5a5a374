"""Case "smooth": no weekly sawtooth in the attitude outcomes (issue 10 item 6). A property check.

This is not validation against data: residents' satisfaction, belonging and trust
have no weekly rhythm to reproduce; the check guards a modelling artefact (attitudes
used to jump once a week). Attitudes now drift daily towards targets re-assessed weekly
(attitudes.py), so a weekly *sawtooth* should be gone, while a small weekly kink (the
daily step changes when the target is re-assessed) may remain.

Detector (fixed before the 20-seed run): for each outcome's daily series x after a
burn-in of ``BURN_IN`` days, take the first differences d = Δx over a whole number of
weeks (n days), the periodogram P of d − mean(d), and the ratio of the mean of P at the
weekly frequencies 1/7, 2/7, 3/7 to the mean of P at the ``NEIGHBOURS`` bins on each side
of each of them (other weekly bins excluded). Without a weekly component the ordinates
are about equally large (ratio ≈ 1; for white noise the mean of three exponentials over
a mean of 48); a change made once a week (all of a week's change on one day) puts most of
the power of d at the weekly frequencies (ratio ≫ 1). Per outcome, the ratio is averaged
over seeds with a 95% CI.

Criterion (fixed before the run): for every judged outcome the upper 95% CI bound of the
mean ratio is below ``THRESHOLD`` = 2 (weekly power at most twice its neighbours').
Judged: every "stock" outcome (``sim.outcomes.OUTCOME_KIND``) that reads residents'
attitudes (names beginning satisfaction, belonging, cohesion, trust), in
``governance-partners`` and ``government-led``. Every other stock outcome is measured and
reported, not judged: several follow events the scenarios schedule weekly (meetings,
moves, fee decisions), whose weekly rhythm is the calendar, not an artefact. Outcomes
constant over the window are skipped. ``tests/test_validation.py`` shows the detector
flags the former weekly update (monkeypatched back in) and a synthetic weekly step.
"""

from __future__ import annotations

import numpy as np

from sim.validation.common import CaseResult, Settings, check_ci, mean_ci, new_figure, pmap, save_figure

BURN_IN = 28
NEIGHBOURS = 8
THRESHOLD = 2.0
HARMONICS = (1, 2, 3)
SCENARIOS = ("governance-partners", "government-led")
ATTITUDE_PREFIXES = ("satisfaction", "belonging", "cohesion", "trust")


def weekly_ratio(x: np.ndarray, neighbours: int = NEIGHBOURS) -> float:
    """Power of Δx at 1/7, 2/7, 3/7 over the mean power of nearby frequencies (NaN: Δx constant)."""
    d = np.diff(np.asarray(x, float))
    n = (len(d) // 7) * 7
    d = d[len(d) - n :]
    d = d - d.mean()
    if n <= 7 * neighbours or not np.any(np.abs(d) > 1e-12 * max(np.abs(x).max(), 1.0)):
        return float("nan")
    power = np.abs(np.fft.rfft(d)) ** 2
    weekly = [h * n // 7 for h in HARMONICS]
    near = {k + j for k in weekly for j in range(-neighbours, neighbours + 1) if j != 0}
    near = sorted(k for k in near - set(weekly) if 0 < k < len(power) - (n % 2 == 0))
    base = power[near].mean()
    if base <= 0:
        return float("nan")
    return float(power[weekly].mean() / base)


def is_attitude(name: str) -> bool:
    """Outcomes that read residents' satisfaction, belonging or trust."""
    return name.startswith(ATTITUDE_PREFIXES)


def _attitude_ratios(df) -> dict[str, float]:
    """Weekly power ratio of each attitude outcome of a run's table, after the burn-in."""
    return {c: weekly_ratio(df[c].to_numpy()[BURN_IN:]) for c in df.columns if is_attitude(c)}


def _run(job: tuple) -> dict:
    from sim.model import CommunityModel
    from sim.outcomes import OUTCOME_KIND

    seed, quick = job
    pop = dict(residents=1000, households=340) if quick else dict(residents=3000, households=1000)
    days = BURN_IN + (7 * 26 if quick else 7 * 52)
    out = {}
    for scen in SCENARIOS:
        df = CommunityModel(scen, seed=seed, **pop).run(days).results()
        stocks = [c for c in df.columns if OUTCOME_KIND.get(c) == "stock"]
        out[scen] = {
            "ratio": {c: weekly_ratio(df[c].to_numpy()[BURN_IN:]) for c in stocks},
            "belonging": df["belonging"].to_numpy(),
            "satisfaction": df["satisfaction"].to_numpy(),
        }
    # diagnostic (added after the first run, not judged): the same without moves of residents
    df = CommunityModel(SCENARIOS[1], seed=seed, turnover=0.0, **pop).run(days).results()
    out["no turnover"] = _attitude_ratios(df)
    out["no turnover belonging"] = df["belonging"].to_numpy()
    # diagnostic (added 2026-11-30, not judged): governance-partners without its weekly meetings
    # (周周议), to show whether the weekly rhythm left in it is the meetings' or the update's
    df = CommunityModel(SCENARIOS[0], seed=seed, meeting_cadence="none", **pop).run(days).results()
    out["no meetings"] = _attitude_ratios(df)  # cohesion among them (is_attitude)
    return out


def run(settings: Settings) -> CaseResult:
    """Run the smooth-attitudes case and judge it."""
    runs = pmap(_run, [(s, settings.quick) for s in settings.seed_list()], settings.jobs)
    size = "1,000 residents, 26 weeks" if settings.quick else "3,000 residents, 52 weeks"
    res = CaseResult(
        "smooth",
        "No weekly sawtooth in attitude outcomes (property, not validation)",
        "issue 10 item 6 (no data: a property of the model)",
        f"{' and '.join(f'`{s}`' for s in SCENARIOS)}, {size} after a {BURN_IN}-day burn-in; periodogram of "
        f"daily first differences at 1/7, 2/7, 3/7 vs {NEIGHBOURS} neighbouring bins each side",
    )
    table: dict[str, dict[str, tuple[float, float, float]]] = {}
    for scen in SCENARIOS:
        names = list(runs[0][scen]["ratio"])
        per = {c: np.array([r[scen]["ratio"][c] for r in runs]) for c in names}
        per = {c: v for c, v in per.items() if np.isfinite(v).sum() >= 2}
        table[scen] = {c: mean_ci(v) for c, v in per.items()}
        judged = [c for c in per if is_attitude(c)]
        worst = max(judged, key=lambda c: table[scen][c][2])
        res.checks.append(
            check_ci(
                f"{scen}: weekly power ratio, worst of {len(judged)} attitude outcomes ({worst})",
                f"upper CI bound < {THRESHOLD:g} (no weekly sawtooth)",
                per[worst],
                lambda m, lo, hi: hi < THRESHOLD,
                digits=3,
            )
        )
        over = [c for c in per if not is_attitude(c) and table[scen][c][2] >= THRESHOLD]
        others = [c for c in per if not is_attitude(c)]
        res.notes.append(
            f"{scen}: other stock outcomes (reported, not judged): {len(others) - len(over)} of {len(others)} "
            f"below {THRESHOLD:g}"
            + (
                "; at or above: "
                + ", ".join(
                    f"{c} {table[scen][c][0]:.3g} [{table[scen][c][1]:.3g}, {table[scen][c][2]:.3g}]" for c in over
                )
                if over
                else ""
            )
            + "."
        )
    diag = {c: mean_ci([r["no turnover"][c] for r in runs]) for c in runs[0]["no turnover"]}
    worst = max(diag, key=lambda c: diag[c][2])
    res.notes.append(
        f"Diagnostic, added after the first run (not judged): {SCENARIOS[1]} with turnover 0: worst attitude "
        f"outcome {worst} {diag[worst][0]:.3g} [{diag[worst][1]:.3g}, {diag[worst][2]:.3g}]. Until 2026-11-29 moves "
        "were booked once a week (turnover.py): leavers with settled attitudes were replaced by newcomers with "
        "newcomers' attitudes on one day, a weekly step in every mean over residents; they are booked daily now."
    )
    quiet = {c: mean_ci([r["no meetings"][c] for r in runs]) for c in runs[0]["no meetings"]}
    quiet_worst = max(quiet, key=lambda c: quiet[c][2])
    coh = quiet["cohesion"]
    res.notes.append(
        f"Diagnostic, added 2026-11-30 (not judged): {SCENARIOS[0]} with meeting_cadence 'none' (its weekly "
        f"meetings, 周周议, abolished; everything else as the preset): worst attitude outcome {quiet_worst} "
        f"{quiet[quiet_worst][0]:.3g} [{quiet[quiet_worst][1]:.3g}, {quiet[quiet_worst][2]:.3g}], cohesion "
        f"{coh[0]:.3g} [{coh[1]:.3g}, {coh[2]:.3g}]: the weekly rhythm that remains in {SCENARIOS[0]} is its "
        "meetings' (attendees count as active and gain trust on the meeting day), not the attitude update's."
    )
    res.data = {
        "no_turnover": diag,
        "no_meetings": quiet,
        "ratios": {s: {c: list(v) for c, v in t.items()} for s, t in table.items()},
    }
    fig, (a1, a2) = new_figure(2)
    days = np.arange(BURN_IN + 1, BURN_IN + 64)
    for x, label in (
        (runs[0][SCENARIOS[1]]["belonging"], f"{SCENARIOS[1]}"),
        (runs[0]["no turnover belonging"], f"{SCENARIOS[1]}, turnover 0"),
    ):
        a1.plot(days, 1e4 * np.diff(x)[days - 1], marker=".", lw=1, label=label)
    for d in days[days % 7 == 0]:
        a1.axvline(d, color="0.85", lw=0.8, zorder=0)
    a1.set(
        xlabel="day (grey: first day of each week)",
        ylabel="daily change of mean belonging (× 10⁻⁴)",
        title=f"Daily change of belonging, seed {settings.first_seed}",
    )
    a1.legend(fontsize=8)
    rows = {
        **table,
        f"{SCENARIOS[1]}, turnover 0 (diagnostic)": diag,
        f"{SCENARIOS[0]}, no meetings (diagnostic)": quiet,
    }
    for i, t in enumerate(rows.values()):
        names = sorted(t, key=lambda c: t[c][0])
        m = np.array([t[c][0] for c in names])
        col = ["C0" if is_attitude(c) else "0.6" for c in names]
        a2.scatter(m, np.full(len(m), i) + np.linspace(-0.3, 0.3, len(m)), c=col, s=10)
    a2.axvline(THRESHOLD, color="C3", lw=1, label=f"threshold {THRESHOLD:g}")
    a2.axvline(1, color="0.5", lw=0.8, ls=":")
    a2.set_xscale("log")
    a2.set_yticks(range(len(rows)), [r.replace(", ", ",\n") for r in rows], fontsize=8)
    a2.set(xlabel="weekly power ratio (mean over seeds)", title="Stock outcomes (blue: attitudes, judged)")
    a2.legend(fontsize=8)
    res.figure = save_figure(fig, settings, "case_smooth.png")
    return res
