"""The console at ``/`` (its files, the single-page fallback, caching and the Content-Security-Policy) and its
cookie session (``/auth/session``: HttpOnly refresh cookie, CSRF double-submit, rotation, sign-out)."""

from __future__ import annotations

from http.cookies import SimpleCookie
from pathlib import Path

import httpx
import pytest
from gatewaykit import Gateway, GatewayStarter

PASSWORD = "console user's long password"


@pytest.fixture
def console_gateway(start_gateway: GatewayStarter, tmp_path: Path) -> Gateway:
    built = tmp_path / "dist"
    (built / "assets").mkdir(parents=True)
    (built / "index.html").write_text('<!doctype html><script type="module" src="/assets/index-abc123.js"></script>')
    (built / "assets" / "index-abc123.js").write_text("console.log('console')")
    (tmp_path / "secret.txt").write_text("outside the console")
    return start_gateway(env={"BACKOFFICE_GATEWAY_CONSOLE_DIR": str(built)})


def cookies_of(response: httpx.Response) -> dict[str, SimpleCookie]:
    found: dict[str, SimpleCookie] = {}
    for header in response.headers.get_list("set-cookie"):
        cookie: SimpleCookie = SimpleCookie()
        cookie.load(header)
        for name in cookie:
            found[name] = cookie
    return found


def test_console_files_fallback_caching_and_policy(console_gateway: Gateway) -> None:
    c = console_gateway.client
    index = c.get("/")
    assert index.status_code == 200
    assert "index-abc123.js" in index.text
    assert index.headers["cache-control"] == "no-cache"
    policy = index.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-eval" not in policy
    assert index.headers["x-content-type-options"] == "nosniff"

    # A screen's address, reloaded: the console's index answers and its router shows the screen.
    deep = c.get("/employees/E-42/show")
    assert deep.status_code == 200
    assert deep.text == index.text

    asset = c.get("/assets/index-abc123.js")
    assert asset.status_code == 200
    assert asset.headers["content-type"].startswith("text/javascript")
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"

    # Sent compressed to a browser that accepts it: the same bytes once decompressed.
    packed = c.get("/assets/index-abc123.js", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.text == asset.text
    assert packed.headers["cache-control"] == "public, max-age=31536000, immutable"
    plain = httpx.get(f"{console_gateway.url}/assets/index-abc123.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.text == asset.text

    # A missing file is a 404, not the index (a stale page asking for an old chunk must fail clearly).
    assert c.get("/assets/index-old999.js").status_code == 404
    assert c.get("/favicon.png").status_code == 404
    # The API's own paths never fall back to the console.
    missing = c.get("/auth/nothing-here")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert c.get("/api/nothing/here").status_code in (401, 404)
    # Nothing outside the built console is served.
    assert c.get("/../secret.txt").status_code in (400, 404)
    assert "outside" not in c.get("/assets/../../secret.txt").text


def test_console_not_built_says_how_to_build_it(start_gateway: GatewayStarter, tmp_path: Path) -> None:
    gateway = start_gateway(env={"BACKOFFICE_GATEWAY_CONSOLE_DIR": str(tmp_path / "nothing")})
    answer = gateway.client.get("/")
    assert answer.status_code == 503
    assert "make console" in answer.text


def test_cookie_session_sign_in_refresh_csrf_and_sign_out(console_gateway: Gateway) -> None:
    gw = console_gateway
    c = gw.client
    gw.make_user("carla", ["employee"], password=PASSWORD, employee_id="emp-carla")

    wrong = c.post("/auth/session", json={"login": "carla", "password": "not her password"})
    assert wrong.status_code == 401
    assert "set-cookie" not in wrong.headers

    opened = c.post("/auth/session", json={"login": "carla", "password": PASSWORD})
    assert opened.status_code == 200, opened.text
    body = opened.json()
    assert body["access_token"]
    assert "refresh_token" not in body  # never where a script can read it
    assert opened.headers["cache-control"] == "no-store"
    cookies = cookies_of(opened)
    refresh = cookies["backoffice_refresh"]["backoffice_refresh"]
    assert refresh["httponly"]
    assert refresh["secure"]
    assert refresh["samesite"].lower() == "strict"
    assert refresh["path"] == "/auth"
    csrf = cookies["backoffice_csrf"]["backoffice_csrf"]
    assert not csrf["httponly"]
    assert csrf["secure"]
    assert csrf["samesite"].lower() == "strict"
    assert csrf["path"] == "/"
    me = c.get("/auth/me", headers=gw.auth(body["access_token"]))
    assert me.status_code == 200
    assert me.json()["login"] == "carla"

    jar = f"backoffice_refresh={refresh.value}; backoffice_csrf={csrf.value}"
    # Without the CSRF header, or with another value, the cookie alone does nothing.
    no_header = c.post("/auth/session/refresh", headers={"Cookie": jar})
    assert no_header.status_code == 403
    assert no_header.json()["type"].endswith("csrf-token-mismatch")
    forged = c.post("/auth/session/refresh", headers={"Cookie": jar, "X-CSRF-Token": "guess"})
    assert forged.status_code == 403
    # Another site's page cannot use the session even with the token.
    other_site = c.post(
        "/auth/session/refresh",
        headers={"Cookie": jar, "X-CSRF-Token": csrf.value, "Origin": "https://evil.example"},
    )
    assert other_site.status_code == 403
    assert other_site.json()["type"].endswith("origin-refused")
    assert c.post("/auth/session/refresh").status_code == 401  # no session at all

    renewed = c.post("/auth/session/refresh", headers={"Cookie": jar, "X-CSRF-Token": csrf.value})
    assert renewed.status_code == 200, renewed.text
    new_refresh = cookies_of(renewed)["backoffice_refresh"]["backoffice_refresh"].value
    new_csrf = cookies_of(renewed)["backoffice_csrf"]["backoffice_csrf"].value
    assert new_refresh != refresh.value  # rotated, as /auth/refresh rotates

    # The old cookie again: someone copied it. The whole session ends and the cookies are cleared.
    reused = c.post("/auth/session/refresh", headers={"Cookie": jar, "X-CSRF-Token": csrf.value})
    assert reused.status_code == 401
    assert reused.json()["type"].endswith("refresh-token-reused")
    assert cookies_of(reused)["backoffice_refresh"]["backoffice_refresh"]["max-age"] == "0"
    new_jar = f"backoffice_refresh={new_refresh}; backoffice_csrf={new_csrf}"
    assert c.post("/auth/session/refresh", headers={"Cookie": new_jar, "X-CSRF-Token": new_csrf}).status_code == 401

    # Sign out: the session ends, the cookies go.
    again = c.post("/auth/session", json={"login": "carla", "password": PASSWORD})
    cookies = cookies_of(again)
    token = cookies["backoffice_csrf"]["backoffice_csrf"].value
    jar = f"backoffice_refresh={cookies['backoffice_refresh']['backoffice_refresh'].value}; backoffice_csrf={token}"
    assert c.post("/auth/session/logout", headers={"Cookie": jar}).status_code == 403
    out = c.post("/auth/session/logout", headers={"Cookie": jar, "X-CSRF-Token": token})
    assert out.status_code == 204
    assert cookies_of(out)["backoffice_refresh"]["backoffice_refresh"]["max-age"] == "0"
    assert c.post("/auth/session/refresh", headers={"Cookie": jar, "X-CSRF-Token": token}).status_code == 401
