"""Live charts of a run (or two side by side): participation, disputes, matters, satisfaction, trust.

One figure of six panels drawn from the per-tick outcome tables
(``CommunityModel.results()``); column names are those of ``sim.outcomes``.
Run A is drawn solid, run B dashed; the previous run of each (before the
last reset) is drawn faint and dotted, so the effect of a changed lever shows
against the same seed. A group breakdown adds a line per group to the
participation, satisfaction and trust panels.

``ChartPainter`` keeps the figure and only replaces the lines' data on later
updates; long runs are thinned to at most ``MAX_POINTS`` points per line.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from sim.dashboard.i18n import series_label, t
from sim.dashboard.map import ensure_fonts, font_rc, to_png
from sim.outcomes import OUTCOMES

BREAKDOWNS: dict[str, tuple[str, ...]] = {
    "none": (),
    "age": ("elderly", "working"),
    "origin": ("local", "migrant"),
    "tenure": ("owner", "renter"),
    "party": ("party", "nonparty"),
}
ACTOR_TRUST = (
    "trust_residents_committee",
    "trust_party_committee",
    "trust_grid_workers",
    "trust_property_firm",
    "trust_government",
    "trust_social_orgs",
)

# panel -> series, percent axis
PANELS: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("participation", ("participation",), True),
    ("disputes", ("disputes_total", "escalations_total", "mediated_total", "disputes_open"), False),
    ("matters", ("matters_raised", "matters_surfaced", "matters_resolved"), False),
    ("backlog", ("backlog_small", "backlog_major", "backlog_hard"), False),
    ("satisfaction", ("satisfaction",), False),
    ("trust", ACTOR_TRUST, False),
)
STYLE = {"A": "-", "B": "--"}
MAX_POINTS = 400


def chart_columns(breakdown: str = "none") -> list[str]:
    """Every outcome column the charts read (all exist in ``sim.outcomes.OUTCOMES``)."""
    cols = [c for panel, base, _ in PANELS for c, _ in _series(panel, base, breakdown)]
    missing = [c for c in cols if c not in OUTCOMES]
    if missing:
        raise KeyError(f"chart columns not among the outcomes: {missing}")
    return cols


def _series(panel: str, base: tuple[str, ...], breakdown: str) -> list[tuple[str, str]]:
    """(column, label key) pairs of a panel under a breakdown."""
    groups = BREAKDOWNS[breakdown]
    if panel == "participation" and groups:
        return [("participation", "all")] + [(f"participation_{g}", g) for g in groups]
    if panel == "satisfaction" and groups:
        return [("satisfaction", "all")] + [(f"satisfaction_{g}", g) for g in groups]
    if panel == "trust" and groups:
        return [("trust_residents_committee", "trust_residents_committee")] + [(f"trust_{g}", g) for g in groups]
    return [(c, c) for c in base]


def _xy(df: pd.DataFrame, col: str, scale: float) -> tuple[np.ndarray, np.ndarray]:
    x = df["tick"].to_numpy()
    y = df[col].to_numpy(dtype=float) * scale
    if len(x) > MAX_POINTS:
        idx = np.unique(np.linspace(0, len(x) - 1, MAX_POINTS).round().astype(int))
        x, y = x[idx], y[idx]
    return x, y


class ChartPainter:
    """Draws the six panels as PNG; rebuilds only when language, breakdown or the set of lines change."""

    def __init__(self):
        self._key: tuple | None = None
        self._fig: Figure | None = None
        self._lines: dict[tuple, object] = {}

    def png(
        self,
        runs: Mapping[str, pd.DataFrame],
        previous: Mapping[str, pd.DataFrame | None] | None = None,
        breakdown: str = "none",
        lang: str = "en",
        title: str = "",
    ) -> bytes:
        """The charts now, as PNG bytes."""
        with mpl.rc_context(font_rc()):
            return self._png(runs, previous, breakdown, lang, title)

    def _png(self, runs, previous, breakdown, lang, title) -> bytes:
        previous = {k: v for k, v in (previous or {}).items() if v is not None and len(v) > 1 and k in runs}
        key = (tuple(runs), tuple(sorted(previous)), tuple(id(v) for v in previous.values()), breakdown, lang, title)
        if key != self._key or self._fig is None:
            self._fig, self._lines = _build(runs, previous, breakdown, lang, title)
            self._key = key
        else:
            for (panel_i, col, run, kind), line in self._lines.items():
                if kind == "now":
                    line.set_data(*_xy(runs[run], col, 100.0 if PANELS[panel_i][2] else 1.0))
            for ax in self._fig.axes:
                ax.relim()
                ax.autoscale_view()
        _floor(self._fig)
        return to_png(self._fig)


def _floor(fig: Figure) -> None:
    """Counts and shares start at zero; 0–1 means span at least 0.1, so small drifts do not look large."""
    for ax, (panel, _, pct) in zip(fig.axes, PANELS, strict=False):
        lo, hi = ax.get_ylim()
        if pct or panel in ("disputes", "matters", "backlog"):
            ax.set_ylim(0, hi if hi > 0 else 1, auto=True)
        elif hi - lo < 0.1:
            mid = (hi + lo) / 2
            bottom = min(max(mid - 0.05, 0.0), 0.9)
            ax.set_ylim(bottom, bottom + 0.1, auto=True)


def _build(runs, previous, breakdown, lang, title):
    ensure_fonts()
    fig = Figure(figsize=(11.5, 6.4), dpi=72)
    axes = fig.subplots(2, 3)
    lines: dict[tuple, object] = {}
    for pi, (ax, (panel, base, pct)) in enumerate(zip(axes.flat, PANELS, strict=True)):
        scale = 100.0 if pct else 1.0
        series = _series(panel, base, breakdown)
        for i, (col, key) in enumerate(series):
            colour = f"C{i % 10}"
            for run, df in runs.items():
                old = previous.get(run)
                if old is not None:
                    (ln,) = ax.plot(*_xy(old, col, scale), color=colour, lw=1.3, ls=(0, (1, 1.5)), alpha=0.75)
                    lines[(pi, col, run, "prev")] = ln
                lab = series_label(key, lang) if run == "A" else None
                (ln,) = ax.plot(
                    *_xy(df, col, scale), color=colour, lw=1.7 if i == 0 else 1.1, ls=STYLE.get(run, "-"), label=lab
                )
                lines[(pi, col, run, "now")] = ln
        ax.set_title(series_label(panel, lang), fontsize=10)
        ax.tick_params(labelsize=7)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
        ax.grid(True, lw=0.4, alpha=0.5)
        ax.spines[["top", "right"]].set_visible(False)
        if pct:
            ax.yaxis.set_major_formatter(PercentFormatter(decimals=None))
        if previous and pi == 0:
            ax.plot([], [], color="grey", lw=1.3, ls=(0, (1, 1.5)), label=t("previous_run", lang))
        if len(series) > 1 or (previous and pi == 0):
            # "best": the legend goes where it covers the fewest points (participation rises from the lower left)
            ax.legend(fontsize=6.5, frameon=False, loc="best")
    for ax in axes[1]:
        ax.set_xlabel(series_label("day", lang), fontsize=8)
    notes = []
    if len(runs) > 1:
        notes.append(t("a_vs_b", lang))
    if previous:
        notes.append(f"···· {t('previous_run', lang)}")
    head = "   ".join(x for x in [title, "; ".join(notes)] if x)
    if head:
        fig.suptitle(head, fontsize=10)
    fig.tight_layout(rect=(0, 0, 1, 0.96 if head else 1))
    return fig, lines


def draw_charts(
    runs: Mapping[str, pd.DataFrame],
    previous: Mapping[str, pd.DataFrame | None] | None = None,
    breakdown: str = "none",
    lang: str = "en",
    title: str = "",
) -> Figure:
    """The six-panel figure of ``runs`` ({"A": table, "B": table}) and their previous runs."""
    previous = {k: v for k, v in (previous or {}).items() if v is not None and len(v) > 1 and k in runs}
    with mpl.rc_context(font_rc()):
        fig, _ = _build(runs, previous, breakdown, lang, title)
        _floor(fig)
    return fig
