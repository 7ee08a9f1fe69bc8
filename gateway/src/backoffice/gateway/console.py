"""The console (the office's web app) served at ``/``: its built files, and ``index.html`` for its own routes.

- Hashed assets (``/assets/<name>-<hash>.js``) never change under their name: cached for a year, ``immutable``.
- ``index.html`` names the current assets, so it is revalidated on every load (``no-cache``).
- Any other path that is not the API's (``/employees/42``) is one of the console's routes: ``index.html``
  answers it and the console's router shows the screen (the single-page application fallback).
- Every answer carries a strict Content-Security-Policy: scripts only from the gateway itself (no inline
  script, no ``eval``), connections only to the gateway, no frames, no plugins. Styles allow ``'unsafe-inline'``
  because the component library (MUI, through Emotion) writes its styles into ``<style>`` elements at run time;
  a style cannot run code, which is what the policy is there to stop.
"""

from __future__ import annotations

import gzip
import mimetypes
from functools import lru_cache
from pathlib import Path

from backoffice.gateway.settings import GatewaySettingsDep
from backoffice.shared.errors import Problem
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "frame-src 'self' blob:",  # a payslip's PDF shown inside the console
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
IMMUTABLE = "public, max-age=31536000, immutable"
# Paths that belong to the API or the gateway itself: a miss there is the API's 404, never the console.
NOT_CONSOLE = ("api/", "auth/", "health", "openapi", "docs", "metrics", ".well-known/")

NOT_BUILT = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Backoffice</title></head>
<body><h1>The console is not built</h1><p>Run <code>make console</code> (or <code>make run</code>, which builds it
when its sources changed), then reload. The API is at <a href="/docs">/docs</a>.</p></body></html>"""

mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("text/css", ".css")
mimetypes.add_type("image/svg+xml", ".svg")

router = APIRouter(include_in_schema=False)
COMPRESSIBLE = (".js", ".css", ".html", ".svg", ".json", ".map", ".txt")


@lru_cache(maxsize=256)
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    """A file's gzip form, made once per version of the file (assets never change under their name)."""
    return gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)


def _send(request: Request, path: Path, headers: dict[str, str], media_type: str | None = None) -> Response:
    """The file, gzip-compressed when the browser accepts it (a third of the bytes for the console's scripts)."""
    accepts = request.headers.get("accept-encoding", "")
    if path.suffix in COMPRESSIBLE and "gzip" in accepts:
        body = _gzipped(path, path.stat().st_mtime_ns)
        kind = media_type or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return Response(
            body, media_type=kind, headers={**headers, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
        )
    return FileResponse(path, media_type=media_type, headers={**headers, "Vary": "Accept-Encoding"})


def _file(root: Path, path: str) -> Path | None:
    """The file under ``root`` that ``path`` names, never one outside it."""
    candidate = (root / path).resolve()
    if candidate.is_file() and candidate.is_relative_to(root.resolve()):
        return candidate
    return None


@router.get("/{path:path}")
async def console(path: str, request: Request, settings: GatewaySettingsDep) -> Response:
    """The console's files, and its ``index.html`` for any other path (the single-page fallback)."""
    if path.startswith(NOT_CONSOLE):
        raise Problem(404, f"no route {request.method} /{path}", slug="not-found")
    root = settings.console_dir
    if path:
        found = _file(root, path)
        if found is not None and found.name != "index.html":
            cache = IMMUTABLE if path.startswith("assets/") else "no-cache"
            return _send(request, found, {**SECURITY_HEADERS, "Cache-Control": cache})
        if path.startswith("assets/") or "." in path.rsplit("/", 1)[-1]:
            raise Problem(404, f"the console has no file /{path}", slug="not-found")
    index = _file(root, "index.html")
    if index is None:
        return HTMLResponse(NOT_BUILT, status_code=503, headers={**SECURITY_HEADERS, "Cache-Control": "no-store"})
    return _send(request, index, {**SECURITY_HEADERS, "Cache-Control": "no-cache"}, media_type="text/html")
