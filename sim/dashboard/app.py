"""The dashboard page (Solara): levers, run controls, community map, live charts, export.

Started by ``cogov dashboard`` (see ``sim.dashboard.serve``), which runs
``solara run sim.dashboard.app``. Every browser tab gets its own kernel, so
its own ``Session`` (``solara.use_memo`` below) and its own module-level
reactive values: a class of 30 on one server do not disturb each other.

The model runs in a background thread in chunks of "days per update"; after
each chunk only the live view (map, charts, day counter) is re-rendered, so the
page never freezes at the reference community's size. The lever panel is
generated from the parameter schema (``controls.py``).

Built on Solara directly rather than on Mesa's ``SolaraViz``: the page needs
levers that act mid-run, grouped by mechanism with units and explanations, two
models stepping together, export and two languages, which SolaraViz's
generic model-parameter panel and single-model controller do not offer.
"""

from __future__ import annotations

import json
import os
import threading
import time
from typing import Any

import solara

from sim.dashboard import community
from sim.dashboard.charts import BREAKDOWNS, ChartPainter
from sim.dashboard.controls import LabelledSelect, ParamControl, grouped
from sim.dashboard.guard import UnsafeName, export_root
from sim.dashboard.guard import export_folder as guard_folder
from sim.dashboard.i18n import (
    param_label,
    param_meaning,
    preset_description,
    preset_label,
    range_text,
    section_label,
    series_label,
    t,
    t_lab,
    unit_label,
    value_text,
)
from sim.dashboard.map import INDICATORS, MapPainter
from sim.dashboard.session import (
    MAX_STATE_BYTES,
    SPECS,
    Session,
    export_zip,
    open_state,
    parse_state,
    run_title,
    save_state,
)
from sim.dashboard.timeline_panel import TimelinePanel
from sim.dashboard.upload import FileDropPick
from sim.scenario import ScenarioError, preset_names

SPEEDS = (1, 2, 5, 10, 20, 30)
HORIZON = 365  # default stop day: the horizon of `cogov run` (a year: budgets refill on day 366)
PAUSE_S = 0.05  # breathing time between updates, so clicks get through while running
DISCONNECT_GRACE_S = 5.0  # a run stops when its page has been gone this long (a reconnect is not a close)
# fixed when the server starts (``cogov dashboard --export-dir``): the page only names a folder inside it
EXPORT_ROOT = export_root(os.environ.get("COGOV_DASHBOARD_EXPORT"))

# per-tab (kernel) state
lang = solara.reactive("en")
version = solara.reactive(0)  # bumped after every model change: re-renders the live view
params_version = solara.reactive(0)  # bumped after lever changes: re-renders the lever panel
playing = solara.reactive(False)
speed = solara.reactive(5)
stop_day = solara.reactive(HORIZON)  # Run stops here, never past it
indicator = solara.reactive("participation")
breakdown = solara.reactive("none")
target = solara.reactive("A")  # which run the levers change in side-by-side mode
message = solara.reactive("")
export_folder = solara.reactive("")  # one plain folder name inside EXPORT_ROOT ("" = the root itself)
export_message = solara.reactive("")


def _start_options() -> tuple[str | None, int, dict[str, Any]]:
    scenario = os.environ.get("COGOV_DASHBOARD_SCENARIO") or None
    seed = int(os.environ.get("COGOV_DASHBOARD_SEED", "1"))
    size = json.loads(os.environ.get("COGOV_DASHBOARD_SIZE", "{}"))
    return scenario, seed, size


def figures(session: Session, language: str, ind: str, brk: str) -> dict[str, bytes]:
    """PNG bytes of the map of each run and of the charts (shown on the page and exported)."""
    painters = session.__dict__.setdefault("painters", {})
    with session.lock:
        runs = session.runs
        out = {}
        for k, run in runs.items():
            # A and B named by scenario and changed levers (exported figures must tell them apart)
            title = run_title(run, language) if session.side_by_side or run.overrides else run.scenario
            if hasattr(run.model, "map_png"):  # drawn in the model's worker process
                out[f"map_{k}"] = run.model.map_png(ind, language, title)
            else:
                out[f"map_{k}"] = painters.setdefault(f"map_{k}", MapPainter()).png(run.model, ind, language, title)
        tables = {k: r.results() for k, r in runs.items()}
        previous = {k: r.previous for k, r in runs.items()}
        titles = [run_title(r, language) for r in runs.values()]
    title = " vs ".join(titles) if session.side_by_side else (titles[0] if runs["A"].overrides else "")
    out["charts"] = painters.setdefault("charts", ChartPainter()).png(tables, previous, brk, language, title)
    return out


def frame(session: Session, key: tuple, language: str, ind: str, brk: str) -> dict[str, bytes]:
    """The figures of ``key`` = (version, language, indicator, breakdown), drawn once.

    The run loop draws the next frame in its own thread before it bumps the
    version, so rendering the page only picks the PNGs up and clicks (Pause)
    are not held up behind figure drawing.
    """
    cached = session.__dict__.get("frame")
    if cached is not None and cached[0] == key:
        return cached[1]
    pngs = figures(session, language, ind, brk)
    session.__dict__["frame"] = (key, pngs)
    return pngs


def _page_connected() -> bool:
    """True while a browser page of this session is connected (True outside a Solara server)."""
    try:
        from solara.server import kernel_context

        ctx = kernel_context.get_current_context()
        if ctx.closed_event.is_set():
            return False
        return kernel_context.PageStatus.CONNECTED in ctx.page_status.values()
    except Exception:  # noqa: BLE001 (no server context, or another Solara version: keep running)
        return True


def _view() -> tuple[str, str, str]:
    return lang.value, indicator.value, breakdown.value


def _bump() -> None:
    version.value += 1


def _guard(fn, *args) -> bool:
    """Run a session call; show a bad value's message instead of failing the page."""
    try:
        fn(*args)
    except (ScenarioError, ValueError) as exc:
        message.value = str(exc)
        return False
    message.value = ""
    return True


@solara.component
def RunControls(session: Session):
    """Step, run/pause, reset, speed."""
    language = lang.value

    def do_step():
        session.step(speed.value)
        _bump()

    def do_toggle():
        if not playing.value and session.tick >= stop_day.value:
            message.value = t_lab("stopped_at", lang.value, day=session.tick)
            return
        playing.value = not playing.value

    def do_reset():
        playing.value = False
        with session.lock:
            session.reset()
        _bump()

    def loop(cancel: threading.Event):
        # step a chunk, show it, wait until it is shown: the page never queues up stale frames
        lost_since = None
        while playing.value and not cancel.is_set():
            if _page_connected():
                lost_since = None
            else:
                lost_since = lost_since or time.monotonic()
                if time.monotonic() - lost_since > DISCONNECT_GRACE_S:
                    playing.value = False  # nobody has been watching for a while (tab closed): stop
                    break
            with session.lock:
                if not playing.value:  # paused or reset while this chunk waited for the lock
                    break
                # never past the stop day: the last chunk is cut short
                days = min(int(speed.value), int(stop_day.value) - session.tick)
                try:
                    if days > 0:
                        session.step(days)
                except Exception as exc:  # noqa: BLE001 (show it on the page and stop, not a silent stall)
                    message.value = f"{t('error', lang.value)}: {type(exc).__name__}: {exc}"
                    playing.value = False
                    break
                at_stop = session.tick >= int(stop_day.value)
                frame(session, (version.value + 1, lang.value, indicator.value, breakdown.value), *_view())
            session.shown.clear()
            _bump()
            if at_stop:
                playing.value = False
                message.value = t_lab("stopped_at", lang.value, day=session.tick)
                break
            session.shown.wait(timeout=30)
            time.sleep(PAUSE_S)

    solara.use_thread(loop, dependencies=[playing.value], intrusive_cancel=False)

    with solara.Row(gap="8px", style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Button(
            t("step", language),
            on_click=do_step,
            disabled=playing.value,
            color="primary",
            outlined=True,
            classes=["cogov-step"],
        )
        solara.Button(
            t("pause", language) if playing.value else t("run", language),
            on_click=do_toggle,
            color="primary",
            classes=["cogov-play"],
        )
        solara.Button(t("reset", language), on_click=do_reset, color="warning", outlined=True, classes=["cogov-reset"])
        with solara.Column(gap="0px", style={"min-width": "200px"}):
            solara.SliderInt(f"{t('speed', language)}: {speed.value}", value=speed, min=1, max=30, step=1)
        solara.InputInt(
            t_lab("stop_day", language),
            value=stop_day,
            dense=True,
            classes=["cogov-stop-day"],
            style={"max-width": "150px"},
        )


HEADLINE = (
    ("participation", "{:.1%}"),
    ("backlog", "{:,.0f}"),
    ("disputes_total", "{:,.0f}"),
    ("escalations_total", "{:,.0f}"),
    ("satisfaction", "{:.3f}"),
    ("trust_residents_committee", "{:.3f}"),
    ("points_budget_left", "¥{:,.0f}"),
)
HEADLINE_KEYS = {
    "participation": "ind_participation",
    "backlog": "ind_matters",
    "disputes_total": "disputes",
    "escalations_total": "escalations_total",
    "satisfaction": "ind_satisfaction",
    "trust_residents_committee": "ind_trust",
    "points_budget_left": "points_budget_left",
}


@solara.component
def Headline(which: str, row, language: str):
    """Today's headline numbers of one run (readable, and checked by the browser test)."""
    with solara.Row(gap="14px", style={"flex-wrap": "wrap", "font-size": "13px"}):
        if which:
            solara.Text(f"{which}:", style={"font-weight": "600"})
        for col, fmt in HEADLINE:
            with solara.Row(gap="4px"):
                name = series_label(HEADLINE_KEYS[col], language)
                solara.Text(name[:1].upper() + name[1:] + ":", style={"color": "#666"})
                solara.Text(
                    fmt.format(float(row[col])),
                    classes=[f"cogov-value-{col}"] + ([f"cogov-value-{which}-{col}"] if which else []),
                    style={"font-weight": "600"},
                )


@solara.component
def LiveView(session: Session):
    """Day counter, maps and charts; re-rendered after every chunk of days."""
    v = version.value
    language, ind, brk = lang.value, indicator.value, breakdown.value
    pngs = frame(session, (v, language, ind, brk), language, ind, brk)
    session.shown.set()
    state = t("running", language) if playing.value else t("paused", language)
    day = f"{t('day', language)} {session.tick}{t('day_suffix', language)}"
    n = session.runs["A"].model.residents.n
    with solara.Row(style={"align-items": "baseline", "flex-wrap": "wrap"}):
        solara.Text(day, classes=["cogov-tick"], style={"font-size": "22px", "font-weight": "600"})
        solara.Text(f"({state}; {n:,} {t('residents', language)})", style={"color": "#666"})
        if message.value:
            solara.Text(message.value, style={"color": "#b00020"}, classes=["cogov-message"])
    with solara.Row(gap="18px", style={"flex-wrap": "wrap"}):
        for k, run in session.runs.items():
            Headline(k if session.side_by_side else "", run.results().iloc[-1], language)
    # two maps fit side by side on a 1366-pixel screen, with the charts starting above the fold
    width = "300px" if session.side_by_side else "380px"
    with solara.Row(gap="10px", style={"flex-wrap": "wrap", "align-items": "flex-start"}):
        for k in session.runs:
            with solara.Column(gap="2px", classes=[f"cogov-map-{k}", "cogov-map"], style={"width": width}):
                solara.Image(pngs[f"map_{k}"], width=width)
        if not session.side_by_side:
            with solara.Column(style={"max-width": "330px"}):
                solara.Text(t("map_caption", language), style={"font-size": "12px", "color": "#555"})
                solara.Text(t("memory_note", language), style={"font-size": "12px", "color": "#555"})
    with solara.Column(classes=["cogov-charts"], style={"width": "100%", "max-width": "920px"}):
        solara.Image(pngs["charts"], width="100%")

    def do_export():
        name = export_folder.value.strip()
        try:
            if name:
                guard_folder(EXPORT_ROOT, name)  # refuse before any drawing or writing
            out = session.export(EXPORT_ROOT, name, figures(session, language, ind, brk))
        except UnsafeName as exc:
            export_message.value = f"{t('error', language)}: {exc}"
            return
        except OSError as exc:  # the message names no server path: only what went wrong
            export_message.value = f"{t('error', language)}: {exc.strerror or type(exc).__name__}"
            return
        # paths relative to the export root: the page never shows the server's folders
        export_message.value = t("exported", language, path=out.relative_to(EXPORT_ROOT).as_posix())

    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.InputText(
            t("export_folder", language),
            value=export_folder,
            style={"min-width": "320px"},
            classes=["cogov-export-folder"],
            continuous_update=True,
        )
        solara.Button(
            t("export", language), on_click=do_export, color="primary", outlined=True, classes=["cogov-export"]
        )
        if export_message.value:
            solara.Text(export_message.value, classes=["cogov-export-message"], style={"font-size": "12px"})
        # the run as a zip for the user's own computer: summary in the page's language, figures, tables
        solara.FileDownload(
            lambda: export_zip(session, language, figures(session, language, ind, brk)),
            filename=f"cogov-{session.runs['A'].scenario.replace('/', '_')}-day{session.tick}.zip",
            label=t_lab("download", language),
            mime_type="application/zip",
            children=[
                solara.Button(
                    t_lab("download", language), color="primary", classes=["cogov-download"], icon_name="mdi-download"
                )
            ],
        )


@solara.component
def LeverPanel(session: Session):
    """Every parameter, grouped by mechanism, levers first; generated from the schema."""
    params_version.value  # noqa: B018 (subscribe: re-render after lever changes)
    language = lang.value
    which = target.value if session.side_by_side else "A"
    run = session.runs["A" if which == "both" else which]  # "both": the controls show A's values
    values = run.values()

    def setter(name):
        def on_value(value):
            if _guard(session.set_param, which, name, value):
                params_version.value += 1
                _bump()

        return on_value

    def undo():
        session.clear_changes(which)
        params_version.value += 1
        _bump()

    solara.Text(t("changes_note", language), style={"font-size": "11px", "color": "#555"})
    with solara.Column(gap="0px"):  # a fixed slot, so the panels below keep their open/closed state
        if run.overrides:
            changed = "; ".join(
                f"{param_label(k, language)} = {value_text(k, v, language)}" for k, v in run.overrides.items()
            )
            solara.Text(
                f"{t('changed', language)}: {changed}",
                classes=["cogov-changes"],
                style={"font-size": "12px", "color": "#a05a00"},
            )
            solara.Button(t("undo_changes", language), on_click=undo, text=True, small=True)
    for section, (levers, others) in grouped().items():
        specs = [c for c in levers + others if c.widget != "shock"]
        if not specs and section != "shock":
            continue
        with solara.Details(summary=section_label(section, language), expand=False):
            with solara.Column(gap="2px", classes=[f"cogov-section-{section}"]):
                for spec in levers:
                    if spec.widget == "shock" or spec.name == "shock_tick":  # the timeline panel has them
                        continue
                    ParamControl(
                        spec, values[spec.name], setter(spec.name), language, changed=spec.name in run.overrides
                    )
                if section == "shock":  # dated changes: the scenario's timeline, editable (timeline_panel.py)
                    TimelinePanel(session, which, language, version, params_version, message)
                rest = [c for c in others if c.widget != "shock" and c.name != "shock_tick"]
                if rest:
                    with solara.Details(summary=t("more_params", language), expand=False):
                        for spec in rest:
                            ParamControl(
                                spec, values[spec.name], setter(spec.name), language, changed=spec.name in run.overrides
                            )


@solara.component
def ScenarioPanel(session: Session):
    """Scenario pickers, seed, side-by-side mode."""
    params_version.value  # noqa: B018
    language = lang.value
    presets = preset_names()

    def pick(which):
        def on_value(name):
            playing.value = False
            if _guard(session.set_scenario, which, name):
                params_version.value += 1
                _bump()

        return on_value

    def set_seed(value):
        playing.value = False
        if value is not None and _guard(session.set_seed, int(value)):
            _bump()

    def side(on):
        playing.value = False
        session.set_side_by_side(on)
        if not on:
            target.value = "A"
        params_version.value += 1
        _bump()

    for k, run in session.runs.items():
        options = presets if run.scenario in presets else [run.scenario] + presets
        label = (
            t("scenario_a" if k == "A" else "scenario_b", language) if session.side_by_side else t("scenario", language)
        )
        LabelledSelect(
            label,
            [(o, preset_label(o, language)) for o in options],
            run.scenario,
            pick(k),
            [f"cogov-scenario-{k}"],
        )
        desc = preset_description(run.scenario, run.model.config.description, language)
        if desc:
            solara.Text(desc, style={"font-size": "11px", "color": "#666"}, classes=[f"cogov-description-{k}"])
    solara.InputInt(t("seed", language), value=session.seed, on_value=set_seed, dense=True)
    solara.Switch(
        label=t("side_by_side", language), value=session.side_by_side, on_value=side, classes=["cogov-side-by-side"]
    )
    if session.side_by_side:
        solara.Text(t("edit_run", language))
        solara.ToggleButtonsSingle(
            value=target,
            classes=["cogov-target"],
            children=[
                solara.Button("A", value="A", text=True, classes=["cogov-target-A"]),
                solara.Button("B", value="B", text=True, classes=["cogov-target-B"]),
                solara.Button(t_lab("both", language), value="both", text=True, classes=["cogov-target-both"]),
            ],
        )


compare_job = solara.reactive(None)  # this tab's comparison (a CompareJob), if any
compare_tick = solara.reactive(0)  # bumped while a comparison runs: re-renders its progress


@solara.component
def ComparePanel(session: Session):
    """2–4 scenarios over several seeds in the background: progress, time left, cancel, verdict, report."""
    from sim.dashboard.compare import (
        MAX_RUNS_AT_ONCE,
        MAX_UPLOAD_BYTES,
        CompareJob,
        RobustJob,
        parse_upload,
        scenario_of,
    )

    compare_tick.value  # noqa: B018 (subscribe)
    language = lang.value
    picked = solara.use_reactive(["governance-partners", "government-led"])
    mine = solara.use_reactive("")
    seeds = solara.use_reactive(5)
    days = solara.use_reactive(HORIZON)
    worlds = solara.use_reactive(0)  # 0: seeds only; N: also across N plausible worlds (experiments.robust_compare)
    note = solara.use_reactive("")
    job = compare_job.value

    uploaded = session.__dict__.setdefault("uploaded", {})  # name -> Scenario, only in this tab's session

    def on_file(info):
        if int(info.get("size", 0)) > MAX_UPLOAD_BYTES:
            note.value = f"{t('error', language)}: {info.get('name')}: > {MAX_UPLOAD_BYTES:,} bytes"
            return
        try:
            scen = parse_upload(str(info.get("name", "")), info["data"], session.size)
        except ScenarioError as exc:
            note.value = f"{t('error', language)}: {exc}"
            return
        uploaded[scen.name] = scen
        picked.value = list(picked.value) + [scen.name] if scen.name not in picked.value else picked.value
        note.value = t_lab("compare_uploaded", language, name=scen.name)

    def start():
        a = session.runs["A"]
        try:
            scens = [uploaded[p] if p in uploaded else scenario_of(p, session.size) for p in picked.value]
            if mine.value.strip():
                scens.append(scenario_of(a.scenario, session.size, mine.value.strip()[:60], dict(a.overrides)))
            if not 1 <= int(seeds.value) <= 50 or not 1 <= int(days.value) <= 3650:
                raise ValueError("seeds 1–50, days 1–3650")
            seed_list, n_worlds = list(range(1, int(seeds.value) + 1)), int(worlds.value or 0)
            if n_worlds:
                new = RobustJob(scens, seed_list, int(days.value), n_worlds)
            else:
                new = CompareJob(scens, seed_list, int(days.value))
        except (ScenarioError, ValueError) as exc:
            note.value = f"{t('error', language)}: {exc}"
            return
        note.value = ""
        compare_job.value = new.start()

    def watch(cancel: threading.Event):
        # re-render the progress when it moves (the runs are in other processes), at most once a second:
        # a bump on a timer re-rendered without end when a render under load took longer than the timer
        seen = None
        while job is not None and not job.finished.is_set() and not cancel.is_set():
            time.sleep(1.0)
            now = (job.done, job.total, job.cancelled.is_set())
            if now != seen:
                seen = now
                compare_tick.value += 1
        if job is not None and job.finished.is_set():
            compare_tick.value += 1

    solara.use_thread(watch, dependencies=[job], intrusive_cancel=False)

    solara.SelectMultiple(
        t_lab("compare_pick", language),
        values=picked,
        all_values=preset_names() + list(uploaded),
        classes=["cogov-compare-pick"],
    )
    with solara.Column(classes=["cogov-compare-upload"]):
        FileDropPick(
            t_lab("compare_upload", language),
            t_lab("compare_choose", language),
            on_file,
            accept=".xlsx,.csv,.toml",
            max_bytes=MAX_UPLOAD_BYTES,
        )
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "center"}):
        solara.InputText(t_lab("compare_mine", language), value=mine, classes=["cogov-compare-mine"])
        # continuous_update: the value Run reads is what was typed, even without Enter or leaving the field
        solara.InputInt(
            t_lab("compare_seeds", language), value=seeds, continuous_update=True, classes=["cogov-compare-seeds"]
        )
        solara.InputInt(
            t_lab("compare_days", language), value=days, continuous_update=True, classes=["cogov-compare-days"]
        )
        solara.InputInt(
            t_lab("compare_worlds", language), value=worlds, continuous_update=True, classes=["cogov-compare-worlds"]
        )
    solara.Text(t_lab("compare_worlds_help", language), style={"font-size": "11px", "color": "#666"})
    running = job is not None and not job.finished.is_set()
    with solara.Row(style={"align-items": "center"}):
        solara.Button(
            t_lab("compare_start", language),
            on_click=start,
            disabled=running,
            color="primary",
            classes=["cogov-compare-start"],
        )
        if running:
            solara.Button(t_lab("compare_cancel", language), on_click=job.cancel, classes=["cogov-compare-cancel"])
    solara.Text(t_lab("compare_queue", language, n=MAX_RUNS_AT_ONCE), style={"font-size": "11px", "color": "#666"})
    if note.value:
        solara.Text(note.value, style={"font-size": "12px"}, classes=["cogov-compare-message"])
    if job is None:
        return
    solara.ProgressLinear(value=100 * job.done / max(job.total, 1))
    left = job.time_left()
    status = t_lab("compare_progress", language, done=job.done, total=job.total)
    if running and job.done >= job.total:
        status += "; " + t_lab("compare_summarising", language)
    elif running and left is not None:
        status += "; " + t_lab("compare_left", language, s=left)
    if job.cancelled.is_set():
        status += " " + t_lab("compare_cancelled", language)
    solara.Text(status, classes=["cogov-compare-status"])
    if job.error:
        solara.Text(f"{t('error', language)}: {job.error}", style={"color": "#b00020"})
    if job.comparison is None:
        return
    if isinstance(job, RobustJob) and job.robust is not None:
        colours = {"robust": "#e8f6ef", "depends": "#fdebd0", "no_difference": "#f4f4f4"}
        with solara.Column(classes=["cogov-robust-verdict"], gap="2px"):
            solara.Text(t_lab("compare_robust_title", language, w=job.worlds), style={"font-weight": "600"})
            for kind, line in job.robust_verdict(language):
                solara.Text(
                    f"{t_lab('verdict_' + kind, language)} · {line}",
                    classes=[f"cogov-robust-{kind}"],
                    style={"font-size": "13px", "background": colours[kind], "padding": "2px 6px"},
                )
    if not job.comparison.table.empty:  # (one seed across worlds: no seed-only verdict, the noise is unknown)
        beyond, within = job.verdict(language)
        with solara.Column(classes=["cogov-verdict"]):
            if isinstance(job, RobustJob):
                solara.Text(t_lab("compare_nominal", language), style={"font-size": "13px", "font-style": "italic"})
            solara.Text(t_lab("compare_beyond", language), style={"font-weight": "600"})
            for line in beyond or ["—"]:
                solara.Text("• " + line, classes=["cogov-verdict-beyond"], style={"font-size": "13px"})
            solara.Text(t_lab("compare_within", language), style={"font-weight": "600"})
            for line in within or ["—"]:
                solara.Text("• " + line, style={"font-size": "13px", "color": "#666"})
    with solara.Row():
        solara.FileDownload(
            lambda: job.report_html(language).encode("utf-8"),
            filename=f"cogov-compare-{language}.html",
            mime_type="text/html",
            children=[
                solara.Button(t_lab("compare_report", language), outlined=True, classes=["cogov-compare-report"])
            ],
        )
        solara.FileDownload(
            job.tables_zip,
            filename="cogov-compare-tables.zip",
            mime_type="application/zip",
            children=[
                solara.Button(t_lab("compare_tables", language), outlined=True, classes=["cogov-compare-tables"])
            ],
        )
    # the uncertainty over seeds on the page itself: mean per day and its 95% band, one line per scenario
    with solara.Column(classes=["cogov-compare-bands"]):
        solara.Text(t_lab("compare_bands", language), style={"font-weight": "600"})
        solara.Image(job.bands_png(language), width="100%")


@solara.component
def StatePanel(session: Session):
    """Workshops: save the page (scenarios, seed, changed levers, stop day) to a file and open it again."""
    language = lang.value
    note = solara.use_reactive("")

    def on_file(info):
        # parsed as data only (JSON), size-limited, kept only in this tab's session: never written on the server
        if int(info.get("size", 0)) > MAX_STATE_BYTES:
            note.value = f"{t('error', language)}: {info.get('name')}: > {MAX_STATE_BYTES:,} bytes"
            return
        try:
            doc = parse_state(info["data"], str(info.get("name", "state file")))
        except ScenarioError as exc:
            note.value = f"{t('error', language)}: {exc}"
            return
        playing.value = False
        open_state(session, doc)
        stop = doc.get("stop_day")
        if isinstance(stop, int) and not isinstance(stop, bool) and stop > 0:
            stop_day.value = stop
        target.value = "A"
        note.value = t_lab("state_opened", language, name=info.get("name", ""))
        params_version.value += 1
        _bump()

    solara.FileDownload(
        lambda: save_state(session, {"stop_day": int(stop_day.value)}),
        filename="cogov-page-state.json",
        mime_type="application/json",
        children=[solara.Button(t_lab("state_save", language), text=True, small=True, classes=["cogov-state-save"])],
    )
    FileDropPick(t_lab("state_open", language), t_lab("compare_choose", language), on_file, ".json", MAX_STATE_BYTES)
    if note.value:
        solara.Text(note.value, classes=["cogov-state-message"], style={"font-size": "12px"})


@solara.component
def CommunityPanel(session: Session):
    """The "My community" panel: the ledger facts of the community, shares in %, with plausibility warnings."""
    params_version.value  # noqa: B018
    language = lang.value
    which = target.value if session.side_by_side else "A"
    run = session.runs["A" if which == "both" else which]
    values = run.values()
    facts = {n: values[n] for n in community.FIELDS}

    def setter(name):
        def on_value(value):
            if value is None:
                return
            v = float(value) / 100.0 if community.is_share(name) else value
            if _guard(session.set_param, which, name, v):
                params_version.value += 1
                _bump()

        return on_value

    def apply():
        playing.value = False
        with session.lock:
            session.reset()
        _bump()

    solara.Text(t_lab("community_note", language), style={"font-size": "11px", "color": "#555"})
    per = float(facts["residents"]) / max(float(facts["households"]), 1.0)
    for n in community.FIELDS:
        spec = SPECS[n]
        unit = "%" if community.is_share(n) else unit_label(spec.unit, language)
        label = param_label(n, language) + (f" ({unit})" if unit else "")
        cls = ["cogov-community-field", f"cogov-community-{n}"]
        if community.is_share(n):
            solara.InputFloat(
                label,
                value=round(float(facts[n]) * 100, 4),
                on_value=setter(n),
                dense=True,
                hide_details=True,
                classes=cls,
                style={"margin-top": "10px"},
            )
        elif spec.kind == "int":
            solara.InputInt(
                label,
                value=int(facts[n]),
                on_value=setter(n),
                dense=True,
                hide_details=True,
                classes=cls,
                style={"margin-top": "10px"},
            )
        else:
            solara.InputFloat(
                label,
                value=float(facts[n]),
                on_value=setter(n),
                dense=True,
                hide_details=True,
                classes=cls,
                style={"margin-top": "10px"},
            )
        rng = range_text(spec.lo, spec.hi, language, share=community.is_share(n))
        solara.Text(
            f"{param_meaning(n, language)} [{t('range', language)} {rng}]",
            style={"font-size": "11px", "color": "#666", "line-height": "1.3", "margin-bottom": "2px"},
        )
    solara.Text(t_lab("per_household", language, x=per), style={"font-size": "12px"})
    warns = community.warnings(facts)
    for key, args in warns:
        solara.Text(
            "⚠ " + t_lab(key, language, **args),
            classes=["cogov-community-warning"],
            style={"color": "#b05000", "font-size": "12px"},
        )
    if not warns:
        solara.Text(t_lab("plausible", language), style={"font-size": "12px", "color": "#2e7d32"})
    solara.Button(
        t_lab("community_apply", language), on_click=apply, outlined=True, small=True, classes=["cogov-community-apply"]
    )


@solara.component
def Page():
    """The dashboard page of one browser tab."""
    scenario, seed, size = _start_options()
    session = solara.use_memo(lambda: Session(scenario, seed, size), dependencies=[])
    language = lang.value
    solara.Title(t("title", language))
    solara.Style(
        ".v-input--dense .v-label { font-size: 13px; } .cogov-param .v-input { margin-top: 0; }"
        # the sidebar keeps its width whatever a panel holds (long menu items wrap instead)
        " .v-navigation-drawer { max-width: 340px; } .v-navigation-drawer .v-select__selection"
        " { white-space: normal; } .v-navigation-drawer .v-card { overflow-x: hidden; }"
    )
    with solara.AppBar():
        solara.AppBarTitle(t("title", language))
        solara.ToggleButtonsSingle(
            value=lang,
            classes=["cogov-lang"],
            children=[
                solara.Button("EN", value="en", text=True, classes=["cogov-lang-en"]),
                solara.Button("中文", value="zh", text=True, classes=["cogov-lang-zh"]),
            ],
        )
    with solara.Sidebar():
        with solara.Card(t("scenario", language), margin=0):
            ScenarioPanel(session)
        with solara.Card(margin=0, style={"margin-top": "8px"}, classes=["cogov-community"]):
            # keyed by language: a header that stays mounted kept its first language in some tabs
            with solara.Details(summary=t_lab("community", language), expand=False).key(f"community-{language}"):
                CommunityPanel(session)
            with solara.Details(summary=t_lab("state", language), expand=False).key(f"state-{language}"):
                StatePanel(session)
        with solara.Card(t("levers", language), margin=0, style={"margin-top": "8px"}):
            LeverPanel(session)
    with solara.Column(style={"padding": "8px"}):
        with solara.Card(margin=0):
            RunControls(session)
            with solara.Row(style={"flex-wrap": "wrap"}):
                LabelledSelect(
                    t("map_colour", language),
                    [(k, series_label("ind_" + k, language)) for k in INDICATORS],
                    indicator.value,
                    indicator.set,
                    ["cogov-indicator"],
                )
                LabelledSelect(
                    t("breakdown", language),
                    [(k, series_label("br_" + k, language)) for k in BREAKDOWNS],
                    breakdown.value,
                    breakdown.set,
                    ["cogov-breakdown"],
                )
        LiveView(session)
        with solara.Card(margin=0, style={"margin-top": "12px"}, classes=["cogov-compare"]):
            with solara.Details(summary=t_lab("compare", language), expand=False):
                ComparePanel(session)
