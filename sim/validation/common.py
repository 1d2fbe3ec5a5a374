"""Shared pieces of the validation cases: settings, checks, statistics over seeds, figures."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

LEVEL = 0.95


@dataclass(frozen=True)
class Settings:
    """How a validation run is done.

    Attributes:
        seeds: number of seeds per configuration (the issue asks for ≥ 20).
        quick: smaller populations, coarser grids, shorter runs (for tests and a first look).
        out: directory for figures (None: no figures).
        jobs: worker processes for independent seeds (1: run here).
        first_seed: the first seed; seeds are first_seed, first_seed + 1, …
    """

    seeds: int = 20
    quick: bool = False
    out: Path | None = None
    jobs: int = 1
    first_seed: int = 101

    def seed_list(self) -> list[int]:
        """The seeds to run."""
        return list(range(self.first_seed, self.first_seed + self.seeds))


@dataclass
class Check:
    """One expected pattern, what was measured, and whether it holds."""

    name: str
    expected: str
    measured: str
    passed: bool
    value: float = float("nan")
    ci: tuple[float, float] = (float("nan"), float("nan"))


@dataclass
class CaseResult:
    """The outcome of one validation case."""

    case: str
    title: str
    source: str
    config: str
    checks: list[Check] = field(default_factory=list)
    figure: str | None = None
    notes: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """A case passes when every one of its checks does."""
        return all(c.passed for c in self.checks)


def mean_ci(x: Iterable[float], level: float = LEVEL) -> tuple[float, float, float]:
    """Mean and t-based confidence interval over seeds (NaNs dropped)."""
    a = np.asarray(list(x), float)
    a = a[~np.isnan(a)]
    if len(a) == 0:
        return float("nan"), float("nan"), float("nan")
    m = float(a.mean())
    if len(a) < 2 or np.allclose(a, a[0]):
        return m, m, m
    h = float(stats.t.ppf(0.5 + level / 2, len(a) - 1) * a.std(ddof=1) / math.sqrt(len(a)))
    return m, m - h, m + h


def fmt_ci(m: float, lo: float, hi: float, pct: bool = False, digits: int = 3) -> str:
    """'m [lo, hi]' for a table cell."""
    if pct:
        d = max(digits - 2, 1)
        return f"{100 * m:.{d}f}% [{100 * lo:.{d}f}, {100 * hi:.{d}f}]"
    return f"{m:.{digits}g} [{lo:.{digits}g}, {hi:.{digits}g}]"


def check_ci(
    name: str,
    expected: str,
    values: Iterable[float],
    ok: Callable[[float, float, float], bool],
    pct: bool = False,
    digits: int = 3,
    unit: str = "",
) -> Check:
    """A check on the mean of per-seed values and its 95% CI."""
    m, lo, hi = mean_ci(values)
    passed = bool(not math.isnan(m) and ok(m, lo, hi))
    return Check(name, expected, fmt_ci(m, lo, hi, pct, digits) + unit, passed, m, (lo, hi))


def pmap(fn: Callable, items: Sequence, jobs: int = 1) -> list:
    """``[fn(i) for i in items]``, in worker processes when ``jobs`` > 1."""
    if jobs > 1 and len(items) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            return list(pool.map(fn, items))
    return [fn(i) for i in items]


def new_figure(ncols: int = 2, width: float = 11.0, height: float = 4.0):
    """A matplotlib figure with ``ncols`` panels (Agg backend, no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, ncols, figsize=(width, height), squeeze=False)
    return fig, list(axes[0])


def save_figure(fig, settings: Settings, name: str) -> str | None:
    """Write the figure as PNG into ``settings.out``; return its path."""
    import matplotlib.pyplot as plt

    if settings.out is None:
        plt.close(fig)
        return None
    settings.out.mkdir(parents=True, exist_ok=True)
    path = settings.out / name
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return str(path)


def band(ax, x, runs: np.ndarray, label: str, **kw) -> None:
    """Plot the mean over seeds (rows of ``runs``) with a 95% CI band."""
    runs = np.asarray(runs, float)
    m = np.nanmean(runs, axis=0)
    n = np.sum(~np.isnan(runs), axis=0)
    sd = np.nanstd(runs, axis=0, ddof=1) if runs.shape[0] > 1 else np.zeros_like(m)
    h = stats.t.ppf(0.5 + LEVEL / 2, np.maximum(n - 1, 1)) * sd / np.sqrt(np.maximum(n, 1))
    line = ax.plot(x, m, label=label, **kw)[0]
    ax.fill_between(x, m - h, m + h, color=line.get_color(), alpha=0.2, linewidth=0)
