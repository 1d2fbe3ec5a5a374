"""Dashboard security: where exports may go, and who may open a page served to the network.

Exports stay under one export root fixed when the server starts (``--export-dir``,
default ``results/dashboard``); the page only names a folder inside it, and that
name must be one plain name (``check_folder_name``). The page shows paths
relative to the root, never the server's absolute paths.

A server listening on anything but loopback serves the page only to requests
that carry the access token printed at start (``?token=...`` once; a cookie
keeps it), so a classroom link cannot be used by anyone who merely reaches the
port. ``TokenGate`` is the ASGI middleware that enforces it, for plain HTTP and
for the page's websocket alike.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import unicodedata
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs

MAX_FOLDER_NAME = 100
DEFAULT_EXPORT_DIR = "results/dashboard"
TOKEN_COOKIE = "cogov_token"
# characters a folder name may hold besides letters, marks and digits of any script
_NAME_PUNCT = set(" -_.()")


class UnsafeName(ValueError):
    """A folder name that is not one plain name."""


def check_folder_name(name: str) -> str:
    """Return ``name`` if it is one plain folder name; raise UnsafeName (with what is allowed) otherwise.

    Allowed: 1–100 letters or digits of any script, spaces, ``- _ . ( )``; not starting
    with a dot or a space, not ending with a space or a dot. Refused: separators,
    ``..``, control characters and everything else a path could use to leave the root.
    """
    allowed = (
        f"one plain folder name of 1-{MAX_FOLDER_NAME} letters (any script), digits, spaces or - _ . ( ), "
        "not starting with a dot"
    )
    if not isinstance(name, str) or not name:
        raise UnsafeName(f"empty folder name; allowed: {allowed}")
    if len(name) > MAX_FOLDER_NAME:
        raise UnsafeName(f"folder name is {len(name)} characters long; allowed: {allowed}")
    if name.startswith((".", " ")) or name.endswith((" ", ".")):
        raise UnsafeName(f"folder name {name!r} starts or ends with a dot or a space; allowed: {allowed}")
    for ch in name:
        cat = unicodedata.category(ch)
        if not (cat[0] in "LMN" or ch in _NAME_PUNCT):
            raise UnsafeName(f"folder name {name!r} contains {ch!r}; allowed: {allowed}")
    return name


def export_root(path: str | Path | None = None) -> Path:
    """The absolute export root (created if missing)."""
    root = Path(path or DEFAULT_EXPORT_DIR).expanduser().resolve()
    root.mkdir(parents=True, exist_ok=True)
    return root


def export_folder(root: Path, name: str) -> Path:
    """The folder ``name`` under ``root``, checked to be one plain name that stays inside the root."""
    root = Path(root).resolve()
    target = (root / check_folder_name(name)).resolve()
    # a symlink planted inside the root could still point out of it
    if target.parent != root:
        raise UnsafeName(f"folder name {name!r} leads outside the export folder")
    return target


def is_loopback(host: str) -> bool:
    """True for addresses only this computer can reach (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: may be reachable from elsewhere


def new_token() -> str:
    """A random access token (URL-safe)."""
    return secrets.token_urlsafe(24)


class TokenGate:
    """ASGI middleware: pass requests that carry the token (query or cookie), refuse the rest with 403.

    A request with the right ``?token=`` gets a cookie, so the page's own follow-up
    requests (scripts, websocket) pass without the query.
    """

    def __init__(self, app, token: str):
        if not token:
            raise ValueError("TokenGate needs a non-empty token")
        self.app = app
        self.token = token

    def _presented(self, scope) -> tuple[bool, bool]:
        """(allowed, came in the query)."""
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        for value in query.get("token", []):
            if hmac.compare_digest(value.encode(), self.token.encode()):
                return True, True
        for key, value in scope.get("headers", []):
            if key == b"cookie":
                cookie = SimpleCookie()
                try:
                    cookie.load(value.decode("latin-1"))
                except Exception:  # noqa: BLE001 (a malformed cookie header is just no token)
                    continue
                morsel = cookie.get(TOKEN_COOKIE)
                if morsel is not None and hmac.compare_digest(morsel.value.encode(), self.token.encode()):
                    return True, False
        return False, False

    async def __call__(self, scope, receive, send):
        """Refuse without the token; on a first request with it, add the cookie to the response."""
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        allowed, in_query = self._presented(scope)
        if not allowed:
            if scope["type"] == "websocket":
                # closing before accepting makes the server answer the handshake with 403
                await send({"type": "websocket.close", "code": 1008})
                return
            body = b"403 Forbidden: this dashboard needs the link with its access token (?token=...)\n"
            await send(
                {
                    "type": "http.response.start",
                    "status": 403,
                    "headers": [
                        (b"content-type", b"text/plain; charset=utf-8"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        if not in_query or scope["type"] != "http":
            return await self.app(scope, receive, send)
        cookie = f"{TOKEN_COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict".encode()

        async def send_with_cookie(message):
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = list(message.get("headers", [])) + [(b"set-cookie", cookie)]
            await send(message)

        return await self.app(scope, receive, send_with_cookie)
