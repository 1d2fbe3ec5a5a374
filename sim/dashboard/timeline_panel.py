"""The policy timeline on the dashboard: list a run's dated changes, add one, remove one not yet applied.

Issue 10 item 4: "the dashboard shows the timeline and lets a user add a dated
change". A run's timeline is the scenario's ``[[timeline]]`` (its ``[shock]``
shorthand shown as the set entry it stands for) until the user changes it;
from then on the whole list is kept as the run's override ``timeline``, so a
Reset, side by side, a saved page state and the export manifest all carry it
like any other change. Every change is validated exactly as a scenario file's
``timeline`` (``load_scenario(..., timeline=[...])``: unknown parameters,
parameters that cannot change mid-run, values out of range, overlapping
ramps, shares) and then given to the running model with
``sim.timeline.reschedule`` (in the model's worker when it runs in one).

The first half of this module is plain functions over a ``Session`` (tested
without a browser); ``TimelinePanel`` at the end draws them.
"""

from __future__ import annotations

from typing import Any

from sim.dashboard.session import Run, Session
from sim.params import BY_NAME, NEWCOMER_TRAITS, STRUCTURAL, TYPES_DRAWN_ONCE
from sim.scenario import ScenarioError, load_scenario
from sim.timeline import KEY, schedule

TRUE_WORDS = ("true", "on", "yes", "开", "是")
FALSE_WORDS = ("false", "off", "no", "关", "否")
SHORTHAND_OFF = {"shock_tick": -1, "shock_set": {}}


# --- the run's timeline as entries ---------------------------------------------------------


def entries(run: Run) -> list[dict[str, Any]]:
    """The run's dated changes as ``[[timeline]]`` entries (the shock shorthand as a set entry, first)."""
    return [c.record() for c in schedule(run.values())]


def _targets(session: Session, which: str) -> list[Run]:
    return list(session.runs.values()) if which == "both" else [session.runs[which]]


def first_day(entry: dict[str, Any]) -> int:
    """The first day on which an entry changes anything (a ramp moves from the day after from_day)."""
    return entry["day"] if "set" in entry else entry["from_day"] + 1


def status(entry: dict[str, Any], tick: int) -> str:
    """'planned' (nothing applied yet), 'under way' (a ramp part-way) or 'applied', on day ``tick``."""
    if first_day(entry) > tick:
        return "planned"
    if "ramp" in entry and entry["to_day"] > tick:
        return "under way"
    return "applied"


def _apply(session: Session, run: Run, new: list[dict[str, Any]]) -> None:
    """Validate ``new`` as the run's whole timeline, keep it as an override and give it to the running model."""
    from sim.timeline import reschedule

    base = run.base_values()
    # a [shock] shorthand of the scenario is now one of the entries: switched off so it does not act twice
    off = SHORTHAND_OFF if base.get("shock_tick", -1) >= 0 and base.get("shock_set") else {}
    change = {KEY: new, **off}
    # the same checks as a scenario file's [[timeline]] (types, ranges, structural, ramps, shares)
    load_scenario(run.scenario, **{**run.size, **run.overrides, **change})
    run.overrides.update(change)
    if new == [c.record() for c in schedule(base)]:  # back to the scenario's own timeline
        for k in change:
            run.overrides.pop(k, None)
    if hasattr(run.model, "reschedule"):  # a RemoteModel: rescheduled in its worker
        run.model.reschedule(new)
    else:
        reschedule(run.model, new)


def parse_value(name: str, value: Any) -> Any:
    """A value typed on the page (text) or given by a caller, as parameter ``name``'s type.

    Raises ScenarioError ``timeline: <name>: <what is wrong>; allowed: <what>``. Range and
    other rules are checked later with the scenario's own validation.
    """
    p = BY_NAME.get(name)
    if p is None:
        raise ScenarioError(f"timeline: unknown parameter '{name}'; allowed: a parameter listed by `cogov params`")
    text = value.strip() if isinstance(value, str) else value
    wrong = ScenarioError(f"timeline: {name}: {text!r} is not a valid value; allowed: {p.allowed()}")
    if text == "" or text is None:
        raise ScenarioError(f"timeline: {name}: a value is needed; allowed: {p.allowed()}")
    if p.kind == "bool":
        if isinstance(text, bool):
            return text
        low = str(text).lower()
        if low in TRUE_WORDS or low in FALSE_WORDS:
            return low in TRUE_WORDS
        raise wrong
    if p.kind == "choice":
        from sim.dashboard.i18n import choice_label

        for c in p.choices:  # the identifier or its label in either language
            if text in (c, choice_label(c, "en"), choice_label(c, "zh")):
                return c
        raise wrong
    if p.kind in ("int", "float"):
        if isinstance(text, bool):
            raise wrong
        try:
            f = float(str(text).replace(",", ""))
        except ValueError:
            raise wrong from None
        if p.kind == "int":
            if not f.is_integer():
                raise wrong
            return int(f)
        return f
    return text  # a table parameter: the scenario's validation refuses it with its own message


def _day(text: Any, what: str) -> int:
    try:
        f = float(str(text).strip())
    except ValueError:
        f = float("nan")
    if not f.is_integer():
        raise ScenarioError(f"timeline: {what}: {text!r} is not a day; allowed: a whole number of days")
    return int(f)


def add_change(session: Session, which: str, day: Any, name: str, value: Any, to_day: Any = None) -> dict[str, Any]:
    """Add a dated change to run ``which`` ("A", "B" or "both"); return the entry added.

    ``to_day`` None or "": a ``set`` from ``day`` on; otherwise a ``ramp`` from
    ``day`` to ``to_day``. The change must lie ahead: a set after today, a ramp
    from today or later (what has happened cannot change; Reset runs the whole
    timeline from day 0). Raises ScenarioError with the scenario file's message
    (e.g. a parameter that cannot change mid-run) and leaves every run as it was.
    """
    day = _day(day, "day")
    ramp = to_day not in (None, "") and str(to_day).strip() != ""
    value = parse_value(name, value)
    if ramp:
        entry: dict[str, Any] = {"from_day": day, "to_day": _day(to_day, "ramp end day"), "ramp": {name: value}}
    else:
        entry = {"day": day, "set": {name: value}}
    with session.lock:
        tick = session.tick
        if (ramp and day < tick) or (not ramp and day <= tick):
            allowed = f"a day from {tick}" if ramp else f"a day after {tick}"
            raise ScenarioError(
                f"timeline: day {day} has passed (today is day {tick}); allowed: {allowed}, or Reset to start again"
            )
        runs = _targets(session, which)
        # check every target before changing any, so "both" changes both or neither
        for run in runs:
            load_scenario(run.scenario, **{**run.size, **run.overrides, KEY: entries(run) + [entry], **SHORTHAND_OFF})
        for run in runs:
            _apply(session, run, entries(run) + [entry])
    return entry


def remove_change(session: Session, which: str, index: int, name: str | None = None) -> None:
    """Remove entry ``index`` (0-based, as ``entries`` lists run A's for "both"), or only its parameter ``name``.

    Only a change not yet applied can be removed (ScenarioError otherwise). With
    "both", the same entry is removed from each run that has it.
    """
    with session.lock:
        tick = session.tick
        shown = entries(session.runs["A" if which == "both" else which])
        if not 0 <= index < len(shown):
            raise ScenarioError(f"timeline: no entry {index + 1}; allowed: 1 to {len(shown)}")
        entry = shown[index]
        if status(entry, tick) != "planned":
            raise ScenarioError(
                f"timeline: the change of day {first_day(entry)} is already applied (today is day {tick}); "
                "allowed: remove a change not yet applied, or Reset to start again"
            )
        kind = "set" if "set" in entry else "ramp"
        for run in _targets(session, which):
            new = entries(run)
            if entry not in new:
                continue
            i = new.index(entry)
            if name is not None and len(entry[kind]) > 1:
                new[i] = {**entry, kind: {k: v for k, v in entry[kind].items() if k != name}}
            else:
                del new[i]
            _apply(session, run, new)


def rows(session: Session, which: str, lang: str = "en") -> list[dict[str, Any]]:
    """What the panel lists: one row per parameter of each entry, in ``lang``, with its status and today's value."""
    from sim.dashboard.i18n import param_label, t, value_text

    run = session.runs["A" if which == "both" else which]
    tick = session.tick
    now = run.model.p  # one request when the model runs in a worker
    out = []
    for i, e in enumerate(entries(run)):
        kind = "set" if "set" in e else "ramp"
        when = t("tl_day", lang, day=e["day"]) if kind == "set" else t("tl_days", lang, a=e["from_day"], b=e["to_day"])
        st = status(e, tick)
        for name, value in e[kind].items():
            out.append(
                {
                    "index": i,
                    "name": name,
                    "when": when,
                    "param": param_label(name, lang),
                    "kind": t(f"tl_{kind}", lang),
                    "value": value_text(name, value, lang),
                    "status": st,
                    "status_text": t("tl_" + st.replace(" ", "_"), lang),
                    "now": value_text(name, now.get(name), lang),
                    "removable": st == "planned",
                }
            )
    return out


def menu(lang: str = "en") -> list[tuple[str, str]]:
    """The parameters a user can pick: levers first, then the rest; those fixed at the start say so."""
    from sim.dashboard.i18n import param_label, t

    def label(name: str) -> str:
        if name in STRUCTURAL:
            return f"{param_label(name, lang)} ({t('tl_fixed', lang)})"
        if name in NEWCOMER_TRAITS or name in TYPES_DRAWN_ONCE:  # drawn for residents who move in; others keep theirs
            return f"{param_label(name, lang)} ({t('tl_newcomers', lang)})"
        return param_label(name, lang)

    names = [n for n in BY_NAME if n not in (KEY, "shock_set", "shock_tick")]
    levers = sorted((n for n in names if BY_NAME[n].lever), key=lambda n: label(n))
    rest = sorted((n for n in names if not BY_NAME[n].lever), key=lambda n: label(n))
    return [(n, label(n)) for n in levers + rest]


# --- the panel (Solara) --------------------------------------------------------------------


def TimelinePanel(*args: Any, **kwargs: Any):  # noqa: N802 (a Solara component)
    """Solara component: the run's timeline, a form to add a dated change, remove buttons."""
    return _component()(*args, **kwargs)


_COMPONENT = None


def _component():
    # built on first use, so the functions above import without Solara (tests, the command line)
    global _COMPONENT
    if _COMPONENT is None:
        _COMPONENT = _build()
    return _COMPONENT


def _build():
    import solara

    from sim.dashboard.i18n import param_label, range_text, t, unit_label

    @solara.component
    def Panel(session: Session, which: str, lang: str, version, params_version, message):
        """``version``/``params_version``/``message``: the page's reactive values (re-render, report)."""
        version.value  # noqa: B018 (subscribe: status and today's values follow the run)
        params_version.value  # noqa: B018
        day = solara.use_reactive("30")
        name = solara.use_reactive("admin_load")
        raw = solara.use_reactive("")
        end = solara.use_reactive("")

        def changed():
            message.value = ""
            params_version.value += 1
            version.value += 1

        def add():
            try:
                add_change(session, which, day.value, name.value, raw.value, end.value)
            except (ScenarioError, ValueError) as exc:
                message.value = str(exc)
                return
            changed()

        def remover(index: int, pname: str):
            def remove():
                try:
                    remove_change(session, which, index, pname)
                except (ScenarioError, ValueError) as exc:
                    message.value = str(exc)
                    return
                changed()

            return remove

        small = {"font-size": "12px", "word-break": "break-word"}
        with solara.Column(gap="2px", classes=["cogov-timeline"]):
            solara.Text(t("tl_note", lang), style={**small, "color": "#555"})
            listed = rows(session, which, lang)
            if not listed:
                solara.Text(t("tl_none", lang), classes=["cogov-tl-none"], style=small)
            for r in listed:
                colour = {"planned": "#555", "under way": "#a05a00", "applied": "#1b5e20"}[r["status"]]
                with solara.Row(
                    gap="6px",
                    classes=["cogov-tl-row", f"cogov-tl-{r['status'].replace(' ', '-')}"],
                    style={"align-items": "center", "flex-wrap": "wrap"},
                ):
                    solara.Text(f"{r['when']} · {r['param']} · {r['kind']} {r['value']}", style=small)
                    solara.Text(r["status_text"], classes=["cogov-tl-status"], style={**small, "color": colour})
                    solara.Text(
                        f"{t('tl_now', lang)}: {r['now']}", classes=["cogov-tl-now"], style={**small, "color": "#666"}
                    )
                    if r["removable"]:
                        solara.Button(
                            t("tl_remove", lang),
                            on_click=remover(r["index"], r["name"]),
                            text=True,
                            small=True,
                            classes=["cogov-tl-remove"],
                        )
            solara.InputText(t("tl_when", lang), value=day, classes=["cogov-tl-day"], continuous_update=True)
            # some 200 parameters: a menu the user can type into to narrow it
            solara.v.Autocomplete(
                label=t("tl_param", lang),
                items=[{"text": text, "value": val} for val, text in menu(lang)],
                v_model=name.value,
                on_v_model=lambda v: name.set(v) if v in BY_NAME else None,
                dense=True,
                hide_details=True,
                class_="cogov-tl-param",
                style_="max-width: 300px; margin-top: 14px",
            )
            p = BY_NAME[name.value]
            unit = unit_label(p.unit, lang)
            allowed = range_text(p.lo, p.hi, lang) if p.kind in ("int", "float") else p.allowed()
            solara.Text(
                f"{param_label(name.value, lang)}: {allowed}" + (f" {unit}" if unit else ""),
                style={"font-size": "11px", "color": "#666", "word-break": "break-word"},
            )
            solara.InputText(t("tl_value", lang), value=raw, classes=["cogov-tl-value"], continuous_update=True)
            solara.InputText(t("tl_end", lang), value=end, classes=["cogov-tl-end"], continuous_update=True)
            solara.Button(t("tl_add", lang), on_click=add, outlined=True, classes=["cogov-tl-add"])

    return Panel
