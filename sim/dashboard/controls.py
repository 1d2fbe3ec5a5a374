"""Dashboard controls generated from the parameter schema (``sim.params.PARAMS``).

Every parameter of the schema gets exactly one control, and no control exists
without a parameter: ``control_specs()`` is computed from ``PARAMS``, the same
list the scenario validation is generated from. Policy levers (``lever=True``)
are shown first in each mechanism's panel; the other parameters sit under
"more parameters". The table parameter ``shock_set`` is edited by the policy
shock panel (a day, a parameter and its value).

The widget of a parameter follows from its kind and range: a switch for flags,
a menu for choices, a slider where the range is short enough to cover in
steps that hit the default, a number field otherwise. ``coerce`` turns what a
widget returns into a value of the parameter's type.

``ParamControl`` renders one control with Solara (imported lazily, so the
specifications can be used and tested without the ``viz`` extra).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sim.params import PARAMS, SECTIONS, STRUCTURAL, Param

MAX_SLIDER_STEPS = 1000
# mechanisms in teaching order; sections not named here follow in schema order
SECTION_ORDER = (
    "incentives",
    "consultation",
    "channels",
    "matters",
    "disputes",
    "supervision",
    "party",
    "organisations",
    "technology",
    "projects",
    "funding",
    "property",
    "norms",
    "prices",
    "cofunding",
    "turnover",
    "shock",
    "population",
    "behaviour",
    "thresholds",
    "attitudes",
)


@dataclass(frozen=True)
class ControlSpec:
    """How one parameter is shown and edited."""

    name: str
    section: str
    kind: str  # the parameter's kind
    widget: str  # "switch", "select", "slider_int", "slider_float", "input_int", "input_float", "shock"
    default: Any
    lo: float | None
    hi: float | None
    step: float | None
    choices: tuple
    unit: str
    lever: bool
    at_reset: bool  # structural: changes take effect when the model is rebuilt

    def range_text(self) -> str:
        """The allowed range in words, e.g. ``0–1e+09``."""
        if self.kind in ("int", "float"):
            return f"{_num(self.lo)}–{_num(self.hi)}"
        if self.kind == "choice":
            return " / ".join(self.choices)
        return ""


def _num(x: float | None) -> str:
    if x is None:
        return "?"
    if abs(x) >= 1e6:
        return f"{x:.0e}".replace("e+0", "e").replace("e+", "e")
    return f"{x:g}"


def _slider_step(p: Param) -> float | None:
    """A step for a slider over [lo, hi] that lands on the default, or None for a number field."""
    span = float(p.hi) - float(p.lo)
    if span <= 0:
        return None
    if p.kind == "int":
        return 1 if span <= MAX_SLIDER_STEPS else None
    step = 10.0 ** math.floor(math.log10(span / 100))
    if span / step > MAX_SLIDER_STEPS:
        return None
    on_grid = all(abs(v / step - round(v / step)) < 1e-6 for v in (float(p.default), float(p.lo)))
    return step if on_grid else None


def spec_for(p: Param) -> ControlSpec:
    """The control of parameter ``p``."""
    step = None
    if p.kind == "bool":
        widget = "switch"
    elif p.kind == "choice":
        widget = "select"
    elif p.kind == "table":
        widget = "shock"
    else:
        step = _slider_step(p)
        widget = ("slider_" if step is not None else "input_") + p.kind
    return ControlSpec(
        p.name, p.section, p.kind, widget, p.default, p.lo, p.hi, step, p.choices, p.unit, p.lever, p.name in STRUCTURAL
    )


def control_specs(params: list[Param] | None = None) -> list[ControlSpec]:
    """One control per parameter, in schema order."""
    return [spec_for(p) for p in (PARAMS if params is None else params)]


def grouped(specs: list[ControlSpec] | None = None) -> dict[str, tuple[list[ControlSpec], list[ControlSpec]]]:
    """Controls by mechanism (section): (levers, other parameters), in teaching order."""
    specs = control_specs() if specs is None else specs
    out: dict[str, tuple[list[ControlSpec], list[ControlSpec]]] = {}
    for s in SECTIONS:
        mine = [c for c in specs if c.section == s]
        out[s] = ([c for c in mine if c.lever], [c for c in mine if not c.lever])
    rank = {s: i for i, s in enumerate(SECTION_ORDER)}
    order = sorted(out, key=lambda s: (rank.get(s, len(rank)), SECTIONS.index(s)))
    return {s: out[s] for s in order}


def coerce(spec: ControlSpec, value: Any) -> Any:
    """Turn a widget's value into the parameter's type; raise ValueError if impossible."""
    if value is None:
        raise ValueError(f"{spec.name}: a value is needed")
    if spec.kind == "bool":
        return bool(value)
    if spec.kind == "int":
        f = float(value)
        if not f.is_integer():
            raise ValueError(f"{spec.name}: expected a whole number, got {value!r}")
        return int(f)
    if spec.kind == "float":
        return float(value)
    if spec.kind == "choice":
        if value not in spec.choices:
            raise ValueError(f"{spec.name}: {value!r} is not one of {', '.join(spec.choices)}")
        return value
    return value


# --- rendering (Solara) -------------------------------------------------------------------


def _label(spec: ControlSpec, lang: str) -> str:
    from sim.dashboard.i18n import param_label, t, unit_label

    text = param_label(spec.name, lang)
    unit = unit_label(spec.unit, lang)
    if unit:
        text += f" ({unit})"
    if spec.at_reset:
        text += f" · {t('at_reset', lang)}"
    return text


def _component():
    import solara

    from sim.dashboard.i18n import choice_label, param_meaning, range_text, t

    @solara.component
    def LabelledSelect(label: str, options: list[tuple[Any, str]], value: Any, on_value, classes=()):
        """A drop-down whose items show a label but return a value (labels follow the language)."""
        items = [{"text": text, "value": val} for val, text in options]
        solara.v.Select(
            label=label,
            items=items,
            v_model=value,
            on_v_model=on_value,
            dense=True,
            hide_details=True,
            class_=" ".join(classes),
            style_="max-width: 300px; margin-top: 14px",
        )

    @solara.component
    def ParamControl(spec: ControlSpec, value: Any, on_value, lang: str = "en", changed: bool = False):
        """One parameter's widget, its unit and range, and its one-line explanation."""
        label = _label(spec, lang)
        cls = [f"cogov-param-{spec.name}"]
        with solara.Column(
            gap="0px",
            classes=["cogov-param"] + cls,
            style={
                "border-left": "3px solid #e6a23c" if changed else "3px solid transparent",
                "padding-left": "6px",
                "margin-bottom": "4px",
            },
        ):
            if spec.widget == "switch":
                solara.Switch(label=label, value=bool(value), on_value=on_value, classes=cls)
            elif spec.widget == "select":
                LabelledSelect(label, [(c, choice_label(c, lang)) for c in spec.choices], value, on_value, cls)
            elif spec.widget == "slider_int":
                solara.Text(f"{label}: {int(value)}", style={"font-size": "13px", "margin-top": "8px"})
                solara.SliderInt("", value=int(value), min=int(spec.lo), max=int(spec.hi), step=1, on_value=on_value)
            elif spec.widget == "slider_float":
                solara.Text(f"{label}: {float(value):g}", style={"font-size": "13px", "margin-top": "8px"})
                solara.SliderFloat(
                    "",
                    value=float(value),
                    min=float(spec.lo),
                    max=float(spec.hi),
                    step=float(spec.step),
                    on_value=on_value,
                )
            elif spec.widget == "input_int":
                solara.InputInt(
                    label,
                    value=int(value),
                    on_value=on_value,
                    dense=True,
                    classes=cls,
                    hide_details=True,
                    style={"margin-top": "14px"},
                )
            elif spec.widget == "input_float":
                solara.InputFloat(
                    label,
                    value=float(value),
                    on_value=on_value,
                    dense=True,
                    classes=cls,
                    hide_details=True,
                    style={"margin-top": "14px"},
                )
            rng = range_text(spec.lo, spec.hi, lang) if spec.kind in ("int", "float") else ""
            hint = param_meaning(spec.name, lang) + (f" [{t('range', lang)} {rng}]" if rng else "")
            # a block with its own bottom margin: a two-line Chinese hint never runs into the next label
            solara.Text(
                hint,
                style={
                    "font-size": "11px",
                    "color": "#666",
                    "line-height": "1.35",
                    "display": "block",
                    "margin-bottom": "6px",
                },
            )

    return ParamControl, LabelledSelect


_COMPONENTS: tuple | None = None


def _components() -> tuple:
    global _COMPONENTS
    if _COMPONENTS is None:
        _COMPONENTS = _component()
    return _COMPONENTS


def ParamControl(*args, **kwargs):  # noqa: N802 (a Solara component)
    """Solara component: the widget of one parameter, its unit, range and explanation."""
    return _components()[0](*args, **kwargs)


def LabelledSelect(*args, **kwargs):  # noqa: N802 (a Solara component)
    """Solara component: a drop-down of (value, label) options."""
    return _components()[1](*args, **kwargs)
