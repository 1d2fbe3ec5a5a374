"""The policy timeline on the dashboard (issue 10 item 4): list, add, remove, validate, keep; and in a browser."""

from __future__ import annotations

import json
import re
import time

import pytest
from conftest import SMALL
from test_dashboard import CHROMIUM, CHROMIUM_ARGS, ROOT, _day, _enter, _run_to, _until, dashboard_url  # noqa: F401

from sim.dashboard.session import Session, open_state, parse_state, save_state
from sim.dashboard.timeline_panel import add_change, entries, menu, remove_change, rows, status
from sim.scenario import ScenarioError


@pytest.fixture
def session():
    return Session("governance-partners", seed=3, size=SMALL)


def p(session, which="A"):
    return session.runs[which].model.p


def test_a_dated_change_added_on_the_page_acts_on_its_day_and_not_before(session):
    before = p(session)["admin_load"]
    assert before != 0.9
    session.step(3)
    add_change(session, "A", "10", "admin_load", "0.9")
    assert entries(session.runs["A"]) == [{"day": 10, "set": {"admin_load": 0.9}}]
    assert [r["status"] for r in rows(session, "A")] == ["planned"]
    session.step(6)  # day 9
    assert p(session)["admin_load"] == before
    session.step(1)  # day 10: in force for the whole day
    assert p(session)["admin_load"] == 0.9
    (r,) = rows(session, "A")
    assert (r["when"], r["param"], r["kind"], r["value"], r["status"], r["now"]) == (
        "day 10",
        "admin load",
        "set to",
        "0.9",
        "applied",
        "0.9",
    )
    (zh,) = rows(session, "A", "zh")
    assert (zh["when"], zh["kind"], zh["status_text"]) == ("第 10 天", "设为", "已生效")
    assert zh["param"] != "admin load" and not zh["removable"]


def test_a_ramp_moves_the_lever_linearly_between_its_days(session):
    add_change(session, "A", 5, "garbage_distance", "250", to_day="15")
    start = p(session)["garbage_distance"]
    session.step(10)
    assert rows(session, "A")[0]["status"] == "under way"
    assert p(session)["garbage_distance"] == pytest.approx(start + (250 - start) * 5 / 10)
    session.step(5)
    assert p(session)["garbage_distance"] == 250.0
    assert status(entries(session.runs["A"])[0], session.tick) == "applied"


def test_a_parameter_that_cannot_change_mid_run_is_refused_like_in_a_scenario_file(session):
    add_change(session, "A", 20, "admin_load", 0.8)
    kept = (entries(session.runs["A"]), dict(session.runs["A"].overrides))  # refused changes leave these
    with pytest.raises(ScenarioError, match=r"timeline\[2\]\.set\.residents: 'residents' cannot change during a run"):
        add_change(session, "A", 20, "residents", "100")
    with pytest.raises(ScenarioError, match=r"allowed: a number in \[0, 0.95\]"):
        add_change(session, "A", 20, "admin_load", "2")  # out of range: the schema's own bound
    with pytest.raises(ScenarioError, match=r"is not a valid value; allowed: a number"):
        add_change(session, "A", 20, "admin_load", "much")
    assert (entries(session.runs["A"]), session.runs["A"].overrides) == kept
    add_change(session, "A", 30, "garbage_distance", 100, to_day=60)
    with pytest.raises(ScenarioError, match=r"overlap the ramp"):
        add_change(session, "A", 40, "garbage_distance", 200, to_day=80)
    assert entries(session.runs["A"])[:1] == kept[0] and len(entries(session.runs["A"])) == 2
    session.step(5)
    with pytest.raises(ScenarioError, match=r"day 5 has passed \(today is day 5\)"):
        add_change(session, "A", 5, "admin_load", 0.1)
    # the page's menu offers the fixed parameters too, marked, so the refusal can be seen on the page
    labels = dict(menu("en"))
    assert labels["residents"] == "residents (fixed at the start)" and labels["admin_load"] == "admin load"
    assert "timeline" not in labels and "shock_tick" not in labels


def test_only_a_change_not_yet_applied_can_be_removed(session):
    base = p(session)["admin_load"]
    add_change(session, "A", 4, "admin_load", 0.9)
    add_change(session, "A", 8, "admin_load", 0.1)
    session.step(5)
    with pytest.raises(ScenarioError, match="already applied"):
        remove_change(session, "A", 0)
    assert p(session)["admin_load"] == 0.9
    remove_change(session, "A", 1)  # the day-8 change never happens
    assert entries(session.runs["A"]) == [{"day": 4, "set": {"admin_load": 0.9}}]
    session.step(5)
    assert p(session)["admin_load"] == 0.9 != base


def test_the_scenarios_own_timeline_is_listed_and_a_planned_entry_can_be_removed():
    # licheng-garbage sets garbage_distance = 400 (and more) on day 90: the panel reads the timeline, not shock_tick
    s = Session("licheng-garbage", seed=2, size=SMALL)
    (e,) = entries(s.runs["A"])
    assert e["day"] == 90 and e["set"]["garbage_distance"] == 400.0
    assert {r["name"] for r in rows(s, "A")} == set(e["set"])
    assert not s.runs["A"].overrides
    remove_change(s, "A", 0, "garbage_distance")  # only that parameter of the entry
    s.step(91)
    assert p(s)["garbage_distance"] == 50.0 and p(s)["waste_sorting"] is True
    assert s.runs["A"].overrides["timeline"] == [{"day": 90, "set": {"waste_sorting": True, "mixed_transport": 0.5}}]


def test_the_timeline_is_kept_through_reset_side_by_side_export_and_saved_page_state(session, tmp_path):
    add_change(session, "A", 6, "admin_load", 0.9)
    session.set_side_by_side(True)  # B starts as a copy of A's changes
    add_change(session, "both", 9, "points_budget", "0")
    assert (
        entries(session.runs["B"])
        == entries(session.runs["A"])
        == [
            {"day": 6, "set": {"admin_load": 0.9}},
            {"day": 9, "set": {"points_budget": 0.0}},
        ]
    )
    session.step(10)
    assert p(session, "B")["points_budget"] == 0.0 and p(session, "B")["admin_load"] == 0.9
    session.reset()  # the whole timeline again from day 0
    session.step(6)
    assert p(session)["admin_load"] == 0.9 and p(session)["points_budget"] != 0.0
    out = session.export(tmp_path)
    manifest = json.loads((out / "A" / "manifest.json").read_text(encoding="utf-8"))
    assert {"day": 9, "set": {"points_budget": 0.0}} in manifest["timeline"]
    doc = parse_state(save_state(session))
    assert doc["runs"]["A"]["changes"]["timeline"][0] == {"day": 6, "set": {"admin_load": 0.9}}
    fresh = Session("governance-partners", seed=1, size=SMALL)
    open_state(fresh, doc)
    assert entries(fresh.runs["B"]) == entries(session.runs["B"])
    fresh.step(9)
    assert p(fresh, "B")["points_budget"] == 0.0
    # a state file with a bad timeline entry is refused like a scenario file
    bad = json.loads(save_state(session))
    bad["runs"]["A"]["changes"]["timeline"].append({"day": 3, "set": {"residents": 5}})
    with pytest.raises(ScenarioError, match="cannot change during a run"):
        parse_state(json.dumps(bad).encode())


def test_a_model_in_a_worker_process_is_rescheduled_there(monkeypatch):
    from sim.dashboard import workers

    monkeypatch.setenv("COGOV_DASHBOARD_WORKERS", "1")
    monkeypatch.setattr(workers, "_POOL", None)
    try:
        s = Session("governance-partners", seed=3, size=SMALL)
        assert isinstance(s.runs["A"].model, workers.RemoteModel)
        add_change(s, "A", 2, "admin_load", 0.9)
        s.step(1)
        assert p(s)["admin_load"] != 0.9
        s.step(1)
        assert p(s)["admin_load"] == 0.9
    finally:
        if workers._POOL is not None:
            for w in workers._POOL.workers:
                w.proc.terminate()
        workers._POOL = None


# --- in a browser ------------------------------------------------------------------------------


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not found (Debian: apt-get install chromium)")
def test_browser_add_a_dated_change_and_see_the_lever_change_on_its_day(dashboard_url):  # noqa: F811
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (viz extra)")
    from sim.dashboard import i18n

    shots = ROOT / "results" / "dashboard-test"
    shots.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1500})
        try:
            page.goto(dashboard_url)
            page.wait_for_selector(".cogov-tick", timeout=120_000)
            page.get_by_text(i18n.section_label("shock", "en")).click()
            page.wait_for_selector(".cogov-tl-none", timeout=30_000)

            def row() -> str:
                loc = page.locator(".cogov-tl-row")
                return loc.first.inner_text() if loc.count() else ""

            # a parameter fixed at the start is refused, with the scenario file's message on the page
            _pick(page, "residents", "residents (fixed at the start)")
            _enter(page.locator(".cogov-tl-day input"), "10", _has(page, ".cogov-tl-day input", "10"), "day")
            _enter(page.locator(".cogov-tl-value input"), "100", _has(page, ".cogov-tl-value input", "100"), "value")
            time.sleep(1)
            page.locator(".cogov-tl-add").click()
            _until(lambda: "cannot change during a run" in _message(page), 60, "the refusal")
            assert page.locator(".cogov-tl-row").count() == 0

            # admin load = 0.9 from day 10, chosen from the menu
            _pick(page, "admin", "admin load")
            _enter(page.locator(".cogov-tl-value input"), "0.9", _has(page, ".cogov-tl-value input", "0.9"), "value")
            time.sleep(1)
            page.locator(".cogov-tl-add").click()
            _until(lambda: "admin load" in row(), 60, "the new entry")
            assert "day 10" in row() and "planned" in row() and "now: 0.9" not in row(), row()

            page.locator(".cogov-step").click()  # 5 days per update
            _until(lambda: _day(page) == 5, 60, "day 5")
            _until(lambda: "planned" in row(), 30, "still planned on day 5")
            assert "now: 0.9" not in row(), row()
            _run_to(page, 15)
            assert _day(page) == 15
            _until(lambda: "applied" in row() and "now: 0.9" in row(), 60, "the lever changed on day 10")
            assert page.locator(".cogov-tl-remove").count() == 0  # applied: no longer removable
            page.screenshot(path=str(shots / "timeline-change-day-10.png"))
        except Exception:
            page.screenshot(path=str(shots / "timeline-failure.png"))
            raise
        finally:
            browser.close()


def _message(page) -> str:
    loc = page.locator(".cogov-message")
    return loc.first.inner_text() if loc.count() else ""


def _has(page, selector: str, text: str):
    return lambda: page.locator(selector).input_value() == text


def _pick(page, typed: str, label: str) -> None:
    """Choose a parameter in the timeline's menu by typing part of its name, as a user would."""
    field = page.locator(".cogov-tl-param input[type=text]")
    field.click()
    field.fill(typed)
    item = page.locator(".v-menu__content .v-list-item", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    item.first.click()
    _until(lambda: field.input_value() == label, 30, f"{label} chosen")
