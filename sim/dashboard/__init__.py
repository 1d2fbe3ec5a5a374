"""Browser dashboard for teaching and policy workshops (``cogov dashboard``).

Start an interactive page on http://127.0.0.1:8765/ where a class or a
workshop moves policy levers and watches the community respond: a map of
estates, buildings and grids, live charts, two scenarios side by side with the
same seed, export of the run, English and Chinese labels. It needs no network,
and each browser tab runs its own model.

``serve`` starts a Solara server for ``sim.dashboard.app`` on 127.0.0.1 unless
another host is given (``server.py``). With any other host it prints a warning
and serves the page only with a random access token (``guard.py``; ``--no-token``
turns that off). Exports stay under one export root fixed at start
(``--export-dir``, default ``results/dashboard``). The page's JavaScript comes from the ``solara-assets``
package (the ``viz`` extra: ``pip install -e '.[viz]'``) and Solara's
telemetry is switched off. Idle browser sessions are dropped after
``SOLARA_KERNEL_CULL_TIMEOUT`` (10 minutes unless set), so a server used by a
class does not keep closed tabs' models.

Modules: ``app`` (the page), ``session`` (one tab's runs), ``controls``
(controls generated from ``sim.params``), ``map`` (the community map),
``charts`` (live charts), ``i18n`` (English and Chinese labels).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Mapping
from typing import Any

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
NEEDED = ("solara", "solara_assets", "ipyvue", "ipyvuetify", "matplotlib")


class DashboardUnavailable(RuntimeError):
    """The ``viz`` extra (Solara and its offline assets) is not installed."""


def check_installed() -> None:
    """Raise DashboardUnavailable, naming what is missing, unless the viz extra is installed."""
    missing = [m for m in NEEDED if importlib.util.find_spec(m) is None]
    if missing:
        raise DashboardUnavailable(
            f"the dashboard needs {', '.join(missing)}; install the viz extra: pip install -e '.[viz]' "
            "(or ./bootstrap.sh test, which installs it)"
        )
    from importlib.metadata import version

    major = int(version("ipyvue").split(".")[0])
    if major >= 2:
        raise DashboardUnavailable(
            f"ipyvue {version('ipyvue')} is a Vue 3 build and leaves the plots blank; "
            "install the viz extra (ipyvue<2, ipyvuetify<2)"
        )


def server_env(
    scenario: str | None = None,
    seed: int | None = None,
    size: Mapping[str, Any] | None = None,
    base: Mapping[str, str] | None = None,
    token: str | None = None,
    export_dir: str | None = None,
    workers: int | None = None,
) -> dict[str, str]:
    """Environment of the dashboard server: offline, no telemetry, the starting scenario, token, export root."""
    env = dict(os.environ if base is None else base)
    env.pop("COGOV_DASHBOARD_TOKEN", None)  # only the token of this start, never an inherited one
    if token:
        env["COGOV_DASHBOARD_TOKEN"] = token
    if export_dir:
        env["COGOV_DASHBOARD_EXPORT"] = str(export_dir)
    if workers is not None:
        env["COGOV_DASHBOARD_WORKERS"] = str(int(workers))
    env.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    env.setdefault("SOLARA_KERNEL_CULL_TIMEOUT", "10m")
    env.setdefault("MPLBACKEND", "Agg")
    if scenario:
        env["COGOV_DASHBOARD_SCENARIO"] = str(scenario)
    if seed is not None:
        env["COGOV_DASHBOARD_SEED"] = str(int(seed))
    if size:
        env["COGOV_DASHBOARD_SIZE"] = json.dumps(dict(size))
    return env


def default_workers() -> int:
    """Worker processes that step the models: one per core (at most 8)."""
    return max(1, min(os.cpu_count() or 1, 8))


def server_command(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, open_browser: bool = False) -> list[str]:
    """The command line that runs the dashboard server."""
    del open_browser  # the browser is opened by ``serve`` (it knows the token)
    return [sys.executable, "-m", "sim.dashboard.server", "--host", host, "--port", str(port)]


def serve(
    scenario: str | None = None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    seed: int | None = None,
    open_browser: bool = False,
    export_dir: str | None = None,
    token: bool | None = None,
    workers: int | None = None,
) -> int:
    """Run the dashboard server until interrupted (on POSIX this process becomes the server and does not return).

    ``token``: None = required unless the host is loopback; True = always; False = never (``--no-token``).
    """
    from sim.dashboard.guard import export_root, is_loopback, new_token

    if workers is not None and workers < 0:
        from sim.cli import UsageError

        raise UsageError(f"--workers {workers}: allowed: 0 (in the server process) or more")
    check_installed()
    if scenario:
        from sim.scenario import load_scenario

        load_scenario(scenario)  # a bad name fails here, with the scenario's own message
        if os.path.isfile(scenario):
            scenario = os.path.abspath(scenario)
    root = export_root(export_dir or os.environ.get("COGOV_DASHBOARD_EXPORT"))
    local = is_loopback(host)
    secret = new_token() if (token or (token is None and not local)) else None
    if not local:
        lock = (
            "the page is served only with the access token in the link below"
            if secret
            else "--no-token was given: anyone who reaches this port can use the server"
        )
        print(
            f"cogov dashboard: warning: listening on {host} makes the page reachable from other computers; "
            f"{lock} (--no-token turns the token off)",
            file=sys.stderr,
        )
    url = f"http://{host}:{port}/" + (f"?token={secret}" if secret else "")
    print(f"cogov dashboard: {url} (exports go to {root}; Ctrl+C stops)", file=sys.stderr, flush=True)
    cmd, env = (
        server_command(host, port),
        server_env(
            scenario,
            seed,
            token=secret,
            export_dir=str(root),
            workers=default_workers() if workers is None else workers,
        ),
    )
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(3.0, webbrowser.open, [url.replace("0.0.0.0", "127.0.0.1")]).start()
    if os.name == "posix" and not open_browser:
        # become the server: Ctrl+C and kill reach it directly, and no orphan is left behind
        sys.stdout.flush()
        os.execve(cmd[0], cmd, env)
    proc = subprocess.Popen(cmd, env=env)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        return 130


# --- `cogov dashboard` ------------------------------------------------------------------------


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number 0-65535, got {value}")
    return value


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Options of ``cogov dashboard``."""
    p.add_argument(
        "scenario",
        nargs="?",
        default=None,
        metavar="SCENARIO",
        help="scenario shown first: preset name or .toml file (default: governance-partners)",
    )
    p.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, metavar="N", help=f"port to listen on (default: {DEFAULT_PORT})"
    )
    p.add_argument(
        "--host",
        default=DEFAULT_HOST,
        metavar="H",
        help="address to listen on (default: 127.0.0.1, this computer only; 0.0.0.0 lets a classroom reach it)",
    )
    p.add_argument("--seed", type=int, default=1, metavar="N", help="seed of the first run (default: 1)")
    p.add_argument("--open", action="store_true", help="open the page in the default browser")
    p.add_argument(
        "--export-dir",
        default=None,
        metavar="DIR",
        help="folder under which the page may export (default: results/dashboard); pages name only a folder inside it",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="worker processes that step the models (default: one per core, at most 8; 0: in the server process)",
    )
    lock = p.add_mutually_exclusive_group()
    lock.add_argument(
        "--no-token",
        dest="token",
        action="store_false",
        default=None,
        help="with a non-loopback --host, serve the page without the access token (anyone on the network may use it)",
    )
    lock.add_argument("--token", dest="token", action="store_true", help="require the access token even on loopback")


def main_args(args: argparse.Namespace) -> int:
    """Run ``cogov dashboard`` with parsed arguments."""
    from sim.cli import UsageError

    try:
        return serve(
            args.scenario,
            host=args.host,
            port=args.port,
            seed=args.seed,
            open_browser=args.open,
            export_dir=args.export_dir,
            token=args.token,
            workers=args.workers,
        )
    except DashboardUnavailable as exc:
        raise UsageError(str(exc)) from None
