"""The dashboard's web server: Solara's Starlette app under uvicorn, behind the access-token gate.

Run as ``python -m sim.dashboard.server --host H --port N`` by ``cogov dashboard``
(``sim.dashboard.serve``); the environment carries the starting scenario and,
when the page is served to the network, the access token
(``COGOV_DASHBOARD_TOKEN``). Solara's documented way to deploy is exactly this
(``SOLARA_APP=... uvicorn solara.server.starlette:app``); running it here lets
the token gate wrap the whole app, page, assets and websocket alike.
"""

from __future__ import annotations

import argparse
import os


def build_app(token: str | None = None):
    """Solara's ASGI app for ``sim.dashboard.app``, behind TokenGate when ``token`` is given."""
    os.environ.setdefault("SOLARA_APP", "sim.dashboard.app")
    os.environ.setdefault("SOLARA_MODE", "production")
    from solara.server.starlette import app as solara_app

    from sim.dashboard.guard import TokenGate

    return TokenGate(solara_app, token) if token else solara_app


def main(argv: list[str] | None = None) -> None:
    """Serve until interrupted."""
    p = argparse.ArgumentParser(prog="python -m sim.dashboard.server")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    args = p.parse_args(argv)
    os.environ["SERVER_NAME"], os.environ["SERVER_PORT"] = args.host, str(args.port)
    import uvicorn

    app = build_app(os.environ.get("COGOV_DASHBOARD_TOKEN") or None)
    # a loaded classroom server may answer pings late: a slow page is better than a dropped one
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", ws_ping_interval=20, ws_ping_timeout=120)


if __name__ == "__main__":
    main()
