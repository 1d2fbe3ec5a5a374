"""Figures of outcomes over time, shared by the CLI and the experiment code.

``plot_outcomes`` draws small multiples, one panel per outcome, from the
per-tick table of ``CommunityModel.results()``. A table holding several runs
(rows of several ``scenario``/``seed`` pairs, as from ``pandas.concat``) is
drawn one line per run, coloured by scenario.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.ticker import MaxNLocator, PercentFormatter  # noqa: E402

from sim.outcomes import HEADLINE, outcome_label  # noqa: E402

CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "AR PL UMing CN",
)
_CJK_FONT: list[str | None] = []  # the font chosen, once


def use_cjk_font() -> str | None:
    """Let matplotlib draw Chinese labels; return the CJK font used, or None (with a warning).

    The CJK font is appended to the font families, so Latin text keeps its font and
    Chinese glyphs fall back to the CJK one. Fonts installed after matplotlib built its
    font cache (e.g. Debian's fonts-noto-cjk by the set-up) are added by path.
    """
    if _CJK_FONT:  # chosen before: set it again, the current settings may be fresh (rc_context, a new tab)
        return _apply_cjk(_CJK_FONT[0]) if _CJK_FONT[0] else None
    from matplotlib import font_manager as fm

    known = {f.name for f in fm.fontManager.ttflist}
    if not known.intersection(CJK_FONTS):
        for path in fm.findSystemFonts():
            name = Path(path).name
            if ("SansCJK" in name and "Regular" in name) or name.startswith(("wqy-zenhei", "DroidSansFallback")):
                try:
                    fm.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        known = {f.name for f in fm.fontManager.ttflist}
    font = next((f for f in CJK_FONTS if f in known), None)
    if font is None:
        warnings.warn(
            "no CJK font found: Chinese labels in figures will show as boxes; install one "
            "(Debian/Ubuntu: apt-get install fonts-noto-cjk)",
            stacklevel=2,
        )
        return None
    _CJK_FONT.append(font)
    return _apply_cjk(font)


def _apply_cjk(font: str) -> str:
    """Append ``font`` to the current font families (Latin text keeps its font)."""
    families = list(matplotlib.rcParams["font.family"])
    if font not in families:
        matplotlib.rcParams["font.family"] = families + [font]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return font


# Han, kana, hangul, CJK punctuation and full-width forms: text matplotlib's default font draws as boxes
_CJK = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0002fa1f]")


def has_cjk(*texts: object) -> bool:
    """True if any of ``texts`` holds a Chinese, Japanese or Korean character."""
    return any(_CJK.search(str(t)) for t in texts if t is not None)


# y-axis labels of the panels; "%" marks shares drawn as percentages. Titles come from the
# outcome declarations (sim.outcomes.OUTCOME_LABELS), the one label catalogue.
AXIS: dict[str, str] = {
    "participation": "%",
    "volunteer_share": "%",
    "backlog": "matters",
    "disputes_total": "disputes",
    "escalations_total": "disputes",
    "satisfaction": "mean, 0–1",
    "trust_residents_committee": "mean, 0–1",
    "belonging": "mean, 0–1",
    "cohesion": "mean, 0–1",
    "meetings": "meetings",
    "disputes_open": "disputes",
    "matters_resolved": "matters",
    "fund_balance": "yuan",
    "projects_completed": "projects",
}


def label(outcome: str, lang: str = "en") -> tuple[str, str]:
    """Return the plain-word title (from the outcome's declaration) and y-axis label of an outcome."""
    title = outcome_label(outcome, lang)
    unit = AXIS.get(outcome, "%" if outcome.startswith(("participation_", "share_")) else "")
    return (title if len(title) <= 40 else title[:39] + "…"), unit


def _runs(df: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    keys = [k for k in ("scenario", "seed") if k in df.columns]
    if not keys or df.groupby(keys, sort=False).ngroups == 1:
        return [("", df)]
    return [(str(key[0] if isinstance(key, tuple) else key), part) for key, part in df.groupby(keys, sort=False)]


def plot_outcomes(
    df: pd.DataFrame, path: str | Path, title: str | None = None, outcomes: Sequence[str] = HEADLINE, ncols: int = 4
) -> Path:
    """Draw one small panel per outcome over time and save the figure.

    Args:
        df: per-tick results (``CommunityModel.results()``), one or several runs.
        path: output file; the format follows the suffix (``.png``, ``.pdf``, ``.svg``).
        title: figure title; defaults to the scenario and seed found in ``df``.
        outcomes: columns to draw, by default ``sim.outcomes.HEADLINE``.
        ncols: panels per row.

    Returns:
        The path written.
    """
    path = Path(path)
    names = [o for o in outcomes if o in df.columns]
    if not names:
        raise ValueError(f"none of the outcomes {list(outcomes)} is a column of the table")
    ncols = max(1, min(ncols, len(names)))
    nrows = math.ceil(len(names) / ncols)
    runs = _runs(df)
    scenarios = list(dict.fromkeys(name for name, _ in runs))
    if title is None:
        title = _default_title(df)
    if has_cjk(title, *scenarios, *(label(n)[0] for n in names)):
        # before any text exists: a text takes its font when created, and Chinese names would be boxes
        use_cjk_font()
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.4 * ncols, 2.9 * nrows + 0.6), squeeze=False, sharex=True)
    colours = {s: f"C{i % 10}" for i, s in enumerate(scenarios)}
    x_col = "tick" if "tick" in df.columns else None
    window = df.attrs.get("manifest", {}).get("parameters", {}).get("activity_window")
    for ax, name in zip(axes.flat, names, strict=False):
        text, unit = label(name)
        if name == "participation" and window:
            text = text.replace("last 30 days", f"last {window} days")
        scale = 100.0 if unit == "%" else 1.0
        for scen, part in runs:
            x = part[x_col] if x_col else part.index
            ax.plot(
                x,
                part[name] * scale,
                color=colours[scen],
                lw=1.4 if len(runs) == 1 else 0.9,
                alpha=1.0 if len(runs) == 1 else 0.7,
            )
        _limits(ax, [part[name] * scale for _, part in runs], unit)
        ax.set_title(text, fontsize=10)
        ax.set_xlabel("day", fontsize=9)
        ax.set_ylabel(unit, fontsize=9)
        if unit == "%":
            ax.yaxis.set_major_formatter(PercentFormatter(decimals=None))
            ax.set_ylabel("")
        ax.tick_params(labelsize=8)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        counts = unit != "%" and all((part[name].dropna() % 1 == 0).all() for _, part in runs)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=counts))
        ax.grid(True, lw=0.4, alpha=0.5)
        ax.spines[["top", "right"]].set_visible(False)
        ax.xaxis.set_tick_params(labelbottom=True)
    for ax in axes.flat[len(names) :]:
        ax.set_visible(False)
    if len(scenarios) > 1:
        handles = [plt.Line2D([], [], color=colours[s], lw=2) for s in scenarios]
        fig.legend(handles, scenarios, loc="lower center", ncol=min(len(scenarios), 6), frameon=False, fontsize=9)
        fig.tight_layout(rect=(0, 0.06, 1, 0.95 if title else 1))
    else:
        fig.tight_layout(rect=(0, 0, 1, 0.95 if title else 1))
    if title:
        fig.suptitle(title, fontsize=12)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def _limits(ax, series: list[pd.Series], unit: str) -> None:
    """Keep counts and shares anchored at zero and small changes of 0–1 means from looking large."""
    values = pd.concat(series).dropna()
    if values.empty:
        return
    lo, hi = float(values.min()), float(values.max())
    if "0–1" in unit:
        span = max(hi - lo, 0.1)
        mid = (hi + lo) / 2
        bottom = min(max(mid - span / 2, 0.0), 1.0 - span)
        ax.set_ylim(bottom - 0.02 * span, bottom + span + 0.02 * span)
    elif lo >= 0:
        ax.set_ylim(0, hi * 1.05 if hi > 0 else 1.0)


def _default_title(df: pd.DataFrame) -> str:
    if "scenario" not in df.columns or df.empty:
        return ""
    scenarios = list(dict.fromkeys(df["scenario"].astype(str)))
    if len(scenarios) > 1:
        return "Outcomes by scenario"
    seeds = list(dict.fromkeys(df["seed"])) if "seed" in df.columns else []
    seed = f", seed {seeds[0]}" if len(seeds) == 1 else (f", {len(seeds)} seeds" if seeds else "")
    days = int(df["tick"].max()) if "tick" in df.columns else len(df) - 1
    return f"{scenarios[0]}{seed}: main outcomes over {days} days"
