"""Dashboard security (issue 8 items 1-2): exports stay under the export root; a page served to the
network needs its access token.

The HTTP tests start the real server (``python -m sim.cli dashboard``) on 127.0.0.1 with ``--token``,
which turns the token on as a non-loopback host would, and talk to it with plain HTTP requests.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SMALL

from sim.dashboard.guard import (
    MAX_FOLDER_NAME,
    TOKEN_COOKIE,
    UnsafeName,
    check_folder_name,
    export_folder,
    is_loopback,
)

ROOT = Path(__file__).resolve().parents[1]

# --- export root and folder names -----------------------------------------------------------

GOOD = ["class-1", "课堂 一", "Übung_2 (Gruppe.A)", "a" * MAX_FOLDER_NAME, "x", "第3组"]
BAD = [
    "",
    "../x",
    "..",
    ".",
    "../../tmp/x",
    "/etc/x",
    "a/b",
    "a\\b",
    ".hidden",
    "a" * (MAX_FOLDER_NAME + 1),
    "x\x00y",
    "tab\there",
    "C:x",
    "~",
    "$HOME",
    " lead",
    "trail ",
    "dot.",
    "new\nline",
]


@pytest.mark.parametrize("name", GOOD)
def test_plain_folder_names_of_any_script_are_accepted(name):
    assert check_folder_name(name) == name


@pytest.mark.parametrize("name", BAD)
def test_names_that_could_leave_the_root_are_refused_with_what_is_allowed(name):
    with pytest.raises(UnsafeName, match="allowed: one plain folder name"):
        check_folder_name(name)


def test_a_symlink_inside_the_root_cannot_lead_out(tmp_path):
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "link").symlink_to(outside)
    with pytest.raises(UnsafeName, match="outside"):
        export_folder(root, "link")
    assert export_folder(root, "fine") == (root / "fine").resolve()


@pytest.fixture
def session():
    from sim.dashboard.session import Session

    s = Session("governance-partners", seed=2, size=SMALL)
    s.step(3)
    return s


@pytest.mark.parametrize("name", ["../escape", "/tmp/escape", "..", ".x", "a/b"])
def test_session_export_with_a_bad_name_writes_nothing_anywhere(session, tmp_path, name):
    root = tmp_path / "root"
    root.mkdir()
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(UnsafeName):
        session.export(root, name)
    assert sorted(tmp_path.rglob("*")) == before
    assert not Path("/tmp/escape").exists()


def test_session_export_stays_under_the_root(session, tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    out = session.export(root, "课堂一")
    assert out.parent == (root / "课堂一").resolve()
    assert (out / "results.csv").is_file()
    out2 = session.export(root)
    assert out2.parent == root.resolve()


def test_page_message_shows_the_path_relative_to_the_export_root(session, tmp_path, monkeypatch):
    # the page's export handler: relative path on success, a refusal message (no server path) otherwise
    from sim.dashboard import app

    monkeypatch.setattr(app, "EXPORT_ROOT", tmp_path.resolve())
    out = session.export(app.EXPORT_ROOT, "group-a")
    rel = out.relative_to(app.EXPORT_ROOT).as_posix()
    assert rel.startswith("group-a/") and str(tmp_path) not in rel


# --- loopback and the token -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "loop"),
    [("127.0.0.1", True), ("127.1.2.3", True), ("::1", True), ("localhost", True), ("0.0.0.0", False), ("::", False)]
    + [("192.168.1.5", False), ("classroom.local", False)],
)
def test_loopback_hosts(host, loop):
    assert is_loopback(host) is loop


def _serve_capture(monkeypatch, tmp_path, argv):
    """Run `cogov dashboard ...` up to the point where it would become the server; return (cmd, env, stderr)."""
    import sim.dashboard as dash
    from sim.cli import main

    seen = {}

    def fake_execve(path, cmd, env):
        seen["cmd"], seen["env"] = cmd, env
        raise SystemExit(0)

    monkeypatch.setattr(dash.os, "execve", fake_execve)
    monkeypatch.delenv("COGOV_DASHBOARD_TOKEN", raising=False)
    with pytest.raises(SystemExit):
        main(["dashboard", "--export-dir", str(tmp_path / "exp"), *argv])
    return seen["cmd"], seen["env"]


def test_non_loopback_host_warns_and_requires_a_token(monkeypatch, tmp_path, capsys):
    cmd, env = _serve_capture(monkeypatch, tmp_path, ["--host", "0.0.0.0", "--port", "9999"])
    err = capsys.readouterr().err
    token = env["COGOV_DASHBOARD_TOKEN"]
    assert len(token) >= 24
    assert "warning" in err and "--no-token" in err
    assert f"http://0.0.0.0:9999/?token={token}" in err
    assert env["COGOV_DASHBOARD_EXPORT"] == str((tmp_path / "exp").resolve())
    assert cmd[cmd.index("--host") + 1] == "0.0.0.0"
    # a second start gets another token
    _, env2 = _serve_capture(monkeypatch, tmp_path, ["--host", "0.0.0.0"])
    assert env2["COGOV_DASHBOARD_TOKEN"] != token


def test_no_token_is_named_in_the_warning_and_turns_the_token_off(monkeypatch, tmp_path, capsys):
    _, env = _serve_capture(monkeypatch, tmp_path, ["--host", "0.0.0.0", "--no-token"])
    err = capsys.readouterr().err
    assert "COGOV_DASHBOARD_TOKEN" not in env
    assert "warning" in err and "--no-token" in err and "anyone" in err


def test_loopback_is_unchanged(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("COGOV_DASHBOARD_TOKEN", "inherited")  # an inherited token is never used
    import sim.dashboard as dash

    seen = {}
    monkeypatch.setattr(dash.os, "execve", lambda p, c, e: (seen.update(env=e), (_ for _ in ()).throw(SystemExit(0))))
    from sim.cli import main

    with pytest.raises(SystemExit):
        main(["dashboard", "--export-dir", str(tmp_path)])
    err = capsys.readouterr().err
    assert "warning" not in err and "token" not in err
    assert "COGOV_DASHBOARD_TOKEN" not in seen["env"]


# --- real HTTP against a token-guarded server ----------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def guarded_server(tmp_path_factory):
    pytest.importorskip("solara")
    tmp = tmp_path_factory.mktemp("guarded")
    port = _free_port()
    log = open(tmp / "server.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim.cli", "dashboard", "--port", str(port), "--token", "--export-dir", str(tmp)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={k: v for k, v in os.environ.items() if k != "COGOV_DASHBOARD_TOKEN"},
        start_new_session=True,
    )
    try:
        token = None
        start = time.time()
        while time.time() - start < 120:
            text = (tmp / "server.log").read_text(errors="replace")
            if "?token=" in text:
                token = text.split("?token=", 1)[1].split()[0]
            if token:
                try:
                    if _get(port, "/readyz")[0] in (200, 403):
                        break
                except OSError:
                    pass
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {text}")
            time.sleep(0.5)
        assert token, "no token printed"
        yield port, token
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def test_http_without_token_is_403_for_page_assets_and_api(guarded_server):
    port, _ = guarded_server
    for path in ("/", "/?token=wrong", "/static/assets/favicon.png", "/readyz", "/jupyter/api/kernels/x"):
        status, _, body = _get(port, path)
        assert status == 403, path
        assert b"token" in body
    status, _, _ = _get(port, "/", {"Cookie": f"{TOKEN_COOKIE}=wrong"})
    assert status == 403


def test_http_with_the_right_token_serves_the_page_and_sets_a_cookie(guarded_server):
    port, token = guarded_server
    status, headers, body = _get(port, f"/?token={token}")
    assert status == 200 and b"<html" in body.lower()
    assert f"{TOKEN_COOKIE}={token}" in headers.get("set-cookie", "")
    assert "HttpOnly" in headers["set-cookie"]
    # the cookie alone opens the page (the page's own follow-up requests carry no query)
    status, _, body = _get(port, "/", {"Cookie": f"{TOKEN_COOKIE}={token}"})
    assert status == 200 and b"<html" in body.lower()


def test_websocket_handshake_without_token_is_refused(guarded_server):
    port, token = guarded_server
    headers = {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    }
    status, _, _ = _get(port, "/jupyter/api/kernels/abc/channels?session_id=x", headers)
    assert status == 403
