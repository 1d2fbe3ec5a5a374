"""The community map: estates, buildings and grids, coloured by an indicator.

The model has no coordinates, only membership (resident → building → estate,
building → grid), so the map is a schematic a student can read at a glance:
each estate (小区) is a block, each building (楼栋) a square inside it in
building order, and grid (网格) boundaries are thick lines between squares of
different grids, with the grid's number written on it. Buildings are coloured
by the chosen indicator on a fixed colour scale per indicator (counts above the
top of the scale take its top colour), so colours can be compared over time
and between the two maps of a side-by-side comparison.

``MapPainter`` keeps the figure of one map and only recolours the buildings on
later updates, which is what keeps a running page responsive.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from sim.agents.resident import T_RC
from sim.dashboard.i18n import series_label, t
from sim.plotting import use_cjk_font

INDICATORS = ("participation", "matters", "disputes", "trust", "satisfaction")
DISPUTE_WINDOW = 90  # days of disputes shown on the map

# colour map and fixed scale of each indicator
SCALES: dict[str, tuple[str, float, float]] = {
    "participation": ("YlGn", 0.0, 0.3),
    "matters": ("OrRd", 0.0, 5.0),
    "disputes": ("OrRd", 0.0, 3.0),
    "trust": ("RdYlGn", 0.2, 0.8),
    "satisfaction": ("RdYlGn", 0.2, 0.9),
}


def ensure_fonts() -> None:
    """Let matplotlib draw the Chinese labels (sim.plotting.use_cjk_font)."""
    use_cjk_font()


def font_rc() -> dict:
    """Matplotlib settings that draw Chinese labels, for ``matplotlib.rc_context``.

    Solara keeps matplotlib's settings per browser tab, while ``use_cjk_font``
    chooses its font once per process: only the first tab got it in its settings,
    every other tab drew boxes. Every figure of the dashboard is therefore drawn
    inside ``rc_context(font_rc())``, whatever the tab's own settings are.
    """
    import matplotlib as mpl

    font = use_cjk_font()
    families = [f for f in mpl.rcParamsDefault["font.family"]]
    if font and font not in families:
        families.append(font)
    return {"font.family": families, "axes.unicode_minus": False}


@dataclass(frozen=True)
class Layout:
    """Positions of buildings on the schematic map (unit squares)."""

    x: np.ndarray  # lower-left corner of each building
    y: np.ndarray
    estate_box: np.ndarray  # (n_estates, 4): x0, y0, width, height
    cols: int  # building columns per estate block
    col: np.ndarray  # column and row of each building inside its estate block
    row: np.ndarray


@lru_cache(maxsize=16)
def _layout(building_estate: bytes, n_estates: int) -> Layout:
    b_estate = np.frombuffer(building_estate, dtype=np.int64)
    counts = np.bincount(b_estate, minlength=n_estates)
    per = max(int(counts.max()), 1)
    cols = max(1, math.ceil(math.sqrt(per * 1.3)))
    rows = math.ceil(per / cols)
    e_cols = max(1, math.ceil(math.sqrt(n_estates)))
    gap = 1.5
    bw, bh = cols + gap, rows + gap + 1.0  # room for the estate's name
    x = np.empty(len(b_estate))
    y = np.empty(len(b_estate))
    rank = np.zeros(len(b_estate), int)
    seen = np.zeros(n_estates, int)
    for b, e in enumerate(b_estate):
        rank[b] = seen[e]
        seen[e] += 1
    ex, ey = np.arange(n_estates) % e_cols, np.arange(n_estates) // e_cols
    x0, y0 = ex * bw, -ey * bh
    x[:] = x0[b_estate] + rank % cols
    y[:] = y0[b_estate] - rank // cols
    boxes = np.column_stack(
        [x0 - 0.25, y0 - rows + 0.75, np.full(n_estates, cols + 0.5), np.full(n_estates, rows + 0.5)]
    )
    return Layout(x, y, boxes, cols, rank % cols, rank // cols)


def layout(model) -> Layout:
    """The map layout of a model's buildings (cached by structure)."""
    s = model.struct
    return _layout(np.ascontiguousarray(s.building_estate, dtype=np.int64).tobytes(), s.n_estates)


def building_grid(model) -> np.ndarray:
    """Grid id of each building (from its residents)."""
    res = model.residents
    out = np.full(model.struct.n_buildings, -1, np.int64)
    out[res.building] = res.grid
    return out


def indicator_values(model, indicator: str) -> np.ndarray:
    """The indicator's value for each building."""
    res, nb = model.residents, model.struct.n_buildings
    if indicator == "participation":
        return np.asarray(model.building_activity, float)
    if indicator == "matters":
        ms = model.matters
        who = ms.column("resident")[ms.open_ids]
        return np.bincount(res.building[who], minlength=nb).astype(float)
    if indicator == "disputes":
        ds = model.disputes
        opened = ds.opened
        recent = np.flatnonzero(opened > model.tick - DISPUTE_WINDOW)
        who = ds.resident[recent]
        return np.bincount(res.building[who], minlength=nb).astype(float)
    count = np.maximum(np.bincount(res.building, minlength=nb), 1)
    if indicator == "trust":
        return np.bincount(res.building, weights=res.trust[:, T_RC], minlength=nb) / count
    if indicator == "satisfaction":
        return np.bincount(res.building, weights=res.satisfaction, minlength=nb) / count
    raise ValueError(f"unknown map indicator {indicator!r}; allowed: {', '.join(INDICATORS)}")


def colour_range(indicator: str) -> tuple[float, float]:
    """The fixed colour scale of ``indicator``."""
    _, lo, hi = SCALES[indicator]
    return float(lo), float(hi)


def _title(model, lang: str, title: str | None) -> str:
    day = f"{t('day', lang)} {model.tick}{t('day_suffix', lang)}"
    return f"{title or ''}  {day}".strip()


def draw_map(
    model,
    indicator: str = "participation",
    lang: str = "en",
    title: str | None = None,
    values: np.ndarray | None = None,
) -> Figure:
    """A figure of the community map coloured by ``indicator``."""
    import matplotlib as mpl

    with mpl.rc_context(font_rc()):
        return _draw_map(model, indicator, lang, title, values)


def _draw_map(model, indicator: str, lang: str, title: str | None, values: np.ndarray | None) -> Figure:
    import matplotlib as mpl

    lay = layout(model)
    vals = indicator_values(model, indicator) if values is None else values
    lo, hi = colour_range(indicator)
    cmap = mpl.colormaps[SCALES[indicator][0]]
    norm = mpl.colors.Normalize(lo, hi, clip=True)
    fig = Figure(figsize=(5.6, 5.0), dpi=80)
    ax = fig.add_axes((0.01, 0.1, 0.98, 0.82))
    rects = [Rectangle((x, y), 0.92, 0.92) for x, y in zip(lay.x, lay.y, strict=True)]
    pc = PatchCollection(rects, cmap=cmap, norm=norm, edgecolor="#bbbbbb", linewidth=0.3)
    pc.set_array(vals)
    pc.set_gid("buildings")
    ax.add_collection(pc)
    s = model.struct
    for e in range(s.n_estates):
        x0, y0, w, h = lay.estate_box[e]
        ax.add_patch(Rectangle((x0, y0), w, h, fill=False, edgecolor="#333333", linewidth=1.2))
        name = f"{t('estate', lang)} {e + 1}"
        if s.n_communities > 1:
            name += f" (C{int(s.estate_community[e]) + 1})"
        ax.text(x0, y0 + h + 0.2, name, fontsize=8, va="bottom", ha="left")
    _grid_lines(ax, model, lay)
    ax.set_xlim(lay.estate_box[:, 0].min() - 0.5, (lay.estate_box[:, 0] + lay.estate_box[:, 2]).max() + 0.5)
    ax.set_ylim(lay.estate_box[:, 1].min() - 0.5, (lay.estate_box[:, 1] + lay.estate_box[:, 3]).max() + 1.6)
    ax.set_aspect("equal")
    ax.axis("off")
    cax = fig.add_axes((0.2, 0.05, 0.6, 0.025))
    extend = "max" if indicator in ("matters", "disputes") else "neither"
    cb = fig.colorbar(mpl.cm.ScalarMappable(norm=norm, cmap=cmap), cax=cax, orientation="horizontal", extend=extend)
    cb.ax.tick_params(labelsize=7)
    cb.set_label(series_label(f"ind_{indicator}", lang), fontsize=8)
    fig.suptitle(_title(model, lang, title), fontsize=10, y=0.985)
    return fig


class MapPainter:
    """Draws one map as PNG, rebuilding the figure only when its layout, language or indicator change."""

    def __init__(self):
        self._key: tuple | None = None
        self._model = None
        self._fig: Figure | None = None

    def png(self, model, indicator: str, lang: str, title: str | None = None) -> bytes:
        """The map of ``model`` now, as PNG bytes."""
        import matplotlib as mpl

        key = (indicator, lang, title)
        vals = indicator_values(model, indicator)
        with mpl.rc_context(font_rc()):
            if key != self._key or model is not self._model or self._fig is None:
                self._fig = draw_map(model, indicator, lang, title, vals)
                self._key, self._model = key, model
            else:
                coll = next(c for c in self._fig.axes[0].collections if c.get_gid() == "buildings")
                coll.set_array(vals)
                if self._fig._suptitle is not None:
                    self._fig._suptitle.set_text(_title(model, lang, title))
            return to_png(self._fig)


def _grid_lines(ax, model, lay: Layout) -> None:
    grid = building_grid(model)
    be = model.struct.building_estate
    cell = {(int(e), int(c), int(r)): b for b, (e, c, r) in enumerate(zip(be, lay.col, lay.row, strict=True))}
    segs = []
    for (e, c, r), b in cell.items():
        x, y = lay.x[b], lay.y[b]
        right, below = cell.get((e, c + 1, r)), cell.get((e, c, r + 1))
        if right is not None and grid[right] != grid[b]:
            segs.append([(x + 0.96, y - 0.04), (x + 0.96, y + 0.96)])
        if below is not None and grid[below] != grid[b]:
            segs.append([(x - 0.04, y - 0.04), (x + 0.96, y - 0.04)])
    ax.add_collection(LineCollection(segs, colors="#1f3b73", linewidths=1.8))
    # one label per grid part inside each estate
    for g in np.unique(grid):
        for e in np.unique(be[grid == g]):
            sel = (grid == g) & (be == e)
            if sel.sum() < 2:
                continue
            cx, cy = lay.x[sel].mean() + 0.46, lay.y[sel].mean() + 0.46
            ax.text(
                cx,
                cy,
                f"G{int(g) + 1}",
                fontsize=6.5,
                ha="center",
                va="center",
                color="#1f3b73",
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7},
            )


def to_png(fig: Figure, dpi: int | None = None) -> bytes:
    """PNG bytes of a figure."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi or fig.dpi, pil_kwargs={"compress_level": 1})
    return buf.getvalue()
