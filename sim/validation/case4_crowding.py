"""Case 4: rewards and fines that crowd out (motivation crowding).

All three parts run a small community (700 households, 2,000 residents,
default behaviour) with ``crowding_out`` on, and again with it off; each
treatment is paired by seed with its control.

(a) Points (Gneezy & Rustichini 2000, QJE 115(3): donations collected 239
    unpaid, 154 at a 1% commission, 219 at 10%). Points worth ¥1 ("small") or
    ¥100 ("large") per activity, budget large enough never to bind, 180 days;
    participation over the last 60 days. Expected with crowding-out: small <
    none, large > small; without: monotone. Crowding acts on those who receive
    points, one step per award whatever its size (``reward_crowding``,
    ``reward_crowding_step``); (b) and (c) use the price parameters
    ``crowding_strength`` and ``crowding_rate``.
(b) Fines (Gneezy & Rustichini 2000, J. Legal Stud. 29(1): late pickups 8.0
    a centre-week before, 18.5 with a fine, 18.7 after it was removed). On one
    estate of X's size (1,798 households, 5,309 residents: breaches are rare). Four
    weeks without a fine, twelve with ``breach_fine`` = ¥2 and every breach
    caught (as every late pickup was), four after removal; breaches
    relative to the same community never fined. Expected with crowding-out:
    about double with the fine (last eight fined weeks) and no return after
    removal; without: fewer breaches.
(c) Paid civic requests (Frey & Oberholzer-Gee 1997, AER 87(4): 50.8% accept
    unpaid, 24.6% when compensated). ``request_reward`` = ¥2 on organisations'
    invitations, 60 days; acceptance = accepted / invited. Expected with
    crowding-out: about half; without: higher.
"""

from __future__ import annotations

import numpy as np

from sim.params import defaults
from sim.validation.common import CaseResult, Settings, check_ci, mean_ci, new_figure, pmap, save_figure

POP = dict(households=700, residents=2000, households_per_building=20, households_per_grid_worker=150)
ESTATE = dict(estates=1, households=1798, residents=5309)  # (b): breaches are rare, so one estate of X's size
POINTS = {"none": 0.0, "small (¥1)": 1.0, "large (¥100)": 100.0}
REWARDS = (0.0, 2.0, 20.0, 200.0)
SMALL_FINE, SMALL_REWARD = 2.0, 2.0
WEEKS = (4, 12, 4)  # before, with the fine, after removal (Gneezy & Rustichini's 20 weeks)


def _points(job: tuple) -> float:
    from sim.model import CommunityModel

    seed, crowd, ppa, ticks = job
    kw = dict(points=True, points_per_activity=ppa, points_budget=1e9) if ppa > 0 else {}
    df = CommunityModel(None, seed=seed, **POP, crowding_out=crowd, **kw).run(ticks).results()
    return float(df["participation"].iloc[-60:].mean())


def _fines(job: tuple) -> np.ndarray:
    """Breaches per week over the 20 weeks, with the fine or without."""
    from sim.model import CommunityModel

    seed, crowd, fine = job
    m = CommunityModel(None, seed=seed, **ESTATE, crowding_out=crowd, fine_detection=1.0)
    m.run(7 * WEEKS[0])
    m.apply_shock({"breach_fine": fine})
    m.run(7 * WEEKS[1])
    m.apply_shock({"breach_fine": 0.0})
    m.run(7 * WEEKS[2])
    daily = m.results()["norm_breaches"].to_numpy()[1:]
    return daily.reshape(-1, 7).sum(1)


def _requests(job: tuple) -> float:
    from sim.model import CommunityModel

    seed, crowd, reward = job
    m = CommunityModel(None, seed=seed, **POP, crowding_out=crowd, request_reward=reward).run(60)
    return m.totals.get("acceptances", 0) / max(m.totals.get("invitations", 0), 1)


def run(settings: Settings) -> CaseResult:
    """Run case 4 and judge it."""
    seeds = settings.seed_list()
    ticks = 120 if settings.quick else 180
    d = defaults()
    res = CaseResult(
        "4",
        "Rewards and fines that crowd out",
        "Gneezy & Rustichini 2000a (QJE 115(3)), 2000b (J. Legal Stud. 29(1)); Frey & Oberholzer-Gee 1997 (AER 87(4))",
        "700 households / 2,000 residents, default behaviour; crowding_out on (defaults: points "
        f"reward_crowding {d['reward_crowding']:g}, reward_crowding_step {d['reward_crowding_step']:g}; fines "
        f"and paid requests crowding_strength {d['crowding_strength']:g}, crowding_rate {d['crowding_rate']:g}) "
        "or off; each treatment paired by seed with its control",
    )
    # (a) points
    jobs = [(s, c, v, ticks) for s in seeds for c in (True, False) for v in POINTS.values()]
    pts = np.array(pmap(_points, jobs, settings.jobs)).reshape(len(seeds), 2, len(POINTS)) * 100
    on, off = pts[:, 0], pts[:, 1]
    res.checks.append(
        check_ci(
            "(a) crowding on: small points − none (participation, points)",
            "< 0 (239 → 154)",
            on[:, 1] - on[:, 0],
            lambda m, lo, hi: hi < 0,
        )
    )
    res.checks.append(
        check_ci(
            "(a) crowding on: large points − small", "> 0 (154 → 219)", on[:, 2] - on[:, 1], lambda m, lo, hi: lo > 0
        )
    )
    m_large = mean_ci(on[:, 2] - on[:, 0])
    res.notes.append(
        f"(a) Large points − none with crowding on: {m_large[0]:+.2f} points [{m_large[1]:+.2f}, "
        f"{m_large[2]:+.2f}] (Gneezy & Rustichini: 219 vs 239, not significantly different)."
    )
    res.checks.append(
        check_ci(
            "(a) crowding off: small − none",
            "≥ 0 (monotone)",
            off[:, 1] - off[:, 0],
            lambda m, lo, hi: m >= 0 and hi > 0,
        )
    )
    res.checks.append(
        check_ci("(a) crowding off: large − small", "> 0 (monotone)", off[:, 2] - off[:, 1], lambda m, lo, hi: lo > 0)
    )
    # (b) fines
    jobs = [(s, c, f) for s in seeds for c in (True, False) for f in (SMALL_FINE, 0.0)]
    wk = np.array(pmap(_fines, jobs, settings.jobs)).reshape(len(seeds), 2, 2, sum(WEEKS))
    b0, b1 = WEEKS[0], WEEKS[0] + WEEKS[1]
    # crowding on: the last 8 fined weeks (the price frame is still growing before them);
    # crowding off: every fined week (nothing grows, so all of them measure the deterrent)
    periods = {
        "before": slice(0, b0),
        "with fine": slice(b1 - 8, b1),
        "all fined weeks": slice(b0, b1),
        "after removal": slice(b1, None),
    }

    def ratio(c: int, period: str) -> np.ndarray:
        sl = periods[period]
        return wk[:, c, 0, sl].sum(1) / np.maximum(wk[:, c, 1, sl].sum(1), 1)

    res.checks.append(
        check_ci(
            "(b) crowding on: breaches with a small fine / never fined (last 8 fined weeks)",
            "≈ 2 (18.5 / 8.0 = 2.3): between 1.5 and 3.5",
            ratio(0, "with fine"),
            lambda m, lo, hi: 1.5 <= m <= 3.5 and lo > 1,
        )
    )
    res.checks.append(
        check_ci(
            "(b) crowding on: breaches after removal / never fined (4 weeks)",
            "stays up (18.7 / 8.0 = 2.3): > 1.5",
            ratio(0, "after removal"),
            lambda m, lo, hi: m > 1.5 and lo > 1,
        )
    )
    res.checks.append(
        check_ci(
            "(b) crowding on: after removal / with fine",
            "no return: ≥ 0.8 (18.7 / 18.5)",
            ratio(0, "after removal") / ratio(0, "with fine"),
            lambda m, lo, hi: m >= 0.8,
        )
    )
    res.checks.append(
        check_ci(
            "(b) crowding off: breaches with a small fine / never fined (all fined weeks)",
            "< 1 (deters)",
            ratio(1, "all fined weeks"),
            lambda m, lo, hi: hi < 1,
        )
    )
    # (c) paid requests
    jobs = [(s, c, r) for s in seeds for c in (True, False) for r in REWARDS]
    acc = np.array(pmap(_requests, jobs, settings.jobs)).reshape(len(seeds), 2, len(REWARDS))
    small = REWARDS.index(SMALL_REWARD)
    res.checks.append(
        check_ci(
            "(c) crowding on: acceptance with a ¥2 reward / without",
            "about half (24.6 / 50.8 = 0.48): 0.35–0.7",
            acc[:, 0, small] / acc[:, 0, 0],
            lambda m, lo, hi: 0.35 <= m <= 0.7 and hi < 1,
        )
    )
    res.checks.append(
        check_ci(
            "(c) crowding off: acceptance with a ¥2 reward / without",
            "≥ 1 (monotone)",
            acc[:, 1, small] / acc[:, 1, 0],
            lambda m, lo, hi: m >= 1 and hi > 1,
        )
    )
    mid = REWARDS.index(20.0)
    res.checks.append(
        check_ci(
            "(c) crowding off: acceptance with a ¥20 reward / with ¥2",
            "> 1 (monotone)",
            acc[:, 1, mid] / acc[:, 1, small],
            lambda m, lo, hi: lo > 1,
        )
    )
    base = mean_ci(acc[:, 0, 0])
    res.notes.append(f"(c) Acceptance without a reward {100 * base[0]:.1f}% (Frey & Oberholzer-Gee: 50.8%).")
    # figure
    fig, (a1, a2, a3) = new_figure(3, width=15)
    for c, label, col in ((0, "crowding-out on", "C3"), (1, "crowding-out off", "C0")):
        ms = [mean_ci(pts[:, c, j]) for j in range(len(POINTS))]
        a1.errorbar(
            range(len(POINTS)),
            [m[0] for m in ms],
            yerr=[[m[0] - m[1] for m in ms], [m[2] - m[0] for m in ms]],
            marker="o",
            color=col,
            label=label,
            capsize=3,
        )
    a1.set_xticks(range(len(POINTS)), list(POINTS))
    a1.set(ylabel="participation, last 60 days (% of adults)", title="(a) Points per activity")
    a1.legend(fontsize=8)
    weeks = np.arange(1, sum(WEEKS) + 1)
    for c, label, col in ((0, "crowding-out on", "C3"), (1, "crowding-out off", "C0")):
        r = wk[:, c, 0] / np.maximum(wk[:, c, 1], 1)
        m = r.mean(0)
        a2.plot(weeks, m, marker=".", color=col, label=label)
    a2.axvspan(b0 + 0.5, b1 + 0.5, color="0.9", label="fine in force")
    a2.axhline(1, color="0.5", lw=0.8)
    a2.axhline(18.5 / 8.0, color="k", ls="--", lw=0.8, label="Gneezy & Rustichini: 18.5 / 8")
    a2.set(xlabel="week", ylabel="breaches / never-fined community", title=f"(b) A ¥{SMALL_FINE:g} fine")
    a2.legend(fontsize=7)
    for c, label, col in ((0, "crowding-out on", "C3"), (1, "crowding-out off", "C0")):
        ms = [mean_ci(acc[:, c, j] * 100) for j in range(len(REWARDS))]
        a3.errorbar(
            range(len(REWARDS)),
            [m[0] for m in ms],
            yerr=[[m[0] - m[1] for m in ms], [m[2] - m[0] for m in ms]],
            marker="o",
            color=col,
            label=label,
            capsize=3,
        )
    a3.set_xticks(range(len(REWARDS)), [f"¥{r:g}" for r in REWARDS])
    a3.set(xlabel="reward for accepting", ylabel="invitations accepted (%)", title="(c) Paid civic requests")
    a3.legend(fontsize=8)
    res.figure = save_figure(fig, settings, "case4_crowding.png")
    return res
