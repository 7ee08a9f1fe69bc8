"""What a person inside the company must not do to another's account (issue 16: activation, resets, sessions,
throttling, caching, token lifetime, duplicate Authorization headers, the operator token)."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime, timedelta

import httpx
import jwt
from backoffice.gateway.settings import GatewaySettings
from backoffice.shared.auth import AUDIENCE, ISSUER
from backoffice.testing import RunningService, ServiceStarter, events_about
from gatewaykit import Gateway, GatewayStarter, gateway_keyring, problem

NO_STORE = {"cache-control": "no-store", "pragma": "no-cache"}


def user_id(gateway: Gateway, login: str) -> str:
    page = gateway.client.get("/auth/users", params={"q": login}, headers=gateway.auth(gateway.admin_token)).json()
    return str(next(u["id"] for u in page["items"] if u["login"] == login))


def create_pending(gateway: Gateway, login: str, roles: list[str]) -> str:
    """A login made by the admin without a password: it waits for activation."""
    created = gateway.client.post(
        "/auth/users",
        headers=gateway.auth(gateway.admin_token),
        json={"login": login, "email": f"{login}@example.com", "roles": roles},
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def assert_not_cached(response: httpx.Response) -> None:
    assert {k: response.headers.get(k) for k in NO_STORE} == NO_STORE, (response.request.url, response.headers)


def test_activation_tokens_only_for_logins_never_activated(gateway: Gateway) -> None:
    c = gateway.client
    hr = gateway.auth(gateway.make_user("hr-officer", ["hr"]))
    admin = gateway.auth(gateway.admin_token)
    gateway.make_user("amy", ["employee"], password="amy's long password")
    root, amy = user_id(gateway, "root"), user_id(gateway, "amy")

    # The takeover of issue 16: HR asks for an activation token of the admin's login, activated long ago.
    refused = problem(c.post(f"/auth/users/{root}/activation-token", headers=hr), 403)
    assert "admin" in refused["detail"]
    for who in (hr, admin):  # an activated login gets a password reset, never an activation token
        again = problem(c.post(f"/auth/users/{amy}/activation-token", headers=who), 409)
        assert again["type"].endswith("already-activated")
        assert "password-reset" in again["detail"]

    # A login waiting for activation: HR hands out tokens only for the roles HR may grant.
    clerk = create_pending(gateway, "new-clerk", ["employee", "payroll"])
    assert "payroll" in problem(c.post(f"/auth/users/{clerk}/activation-token", headers=hr), 403)["detail"]
    issued = c.post(f"/auth/users/{clerk}/activation-token", headers=admin)
    assert issued.status_code == 200
    assert_not_cached(issued)
    joiner = create_pending(gateway, "new-joiner", ["employee", "manager"])
    token = c.post(f"/auth/users/{joiner}/activation-token", headers=hr)
    assert token.status_code == 200
    activated = c.post("/auth/activate", json={"token": token.json()["token"], "password": "joiner's own password"})
    assert activated.status_code == 200
    assert_not_cached(activated)
    problem(c.post(f"/auth/users/{joiner}/activation-token", headers=hr), 409)


def test_password_reset_is_audited_told_to_the_owner_and_signs_out_every_session(gateway: Gateway) -> None:
    c = gateway.client
    hr_token = gateway.make_user("hr-officer", ["hr"])
    hr, admin = gateway.auth(hr_token), gateway.auth(gateway.admin_token)
    hr_id = c.get("/auth/me", headers=hr).json()["id"]
    gateway.make_user("ben", ["employee", "manager"], password="ben's long password")
    gateway.make_user("pat", ["employee", "payroll"], password="pat's long password")
    ben, pat, root = user_id(gateway, "ben"), user_id(gateway, "pat"), user_id(gateway, "root")
    session = gateway.login("ben", "ben's long password").json()  # the owner's session, in another browser

    # HR may not reset logins holding roles only an admin grants; nobody resets a login never activated.
    for target in (pat, root):
        assert problem(c.post(f"/auth/users/{target}/password-reset", headers=hr), 403)["type"].endswith("forbidden")
    pending = create_pending(gateway, "not-yet", ["employee"])
    assert problem(c.post(f"/auth/users/{pending}/password-reset", headers=hr), 409)["type"].endswith("not-activated")
    assert c.post(f"/auth/users/{pat}/password-reset", headers=admin).status_code == 200

    issued = c.post(f"/auth/users/{ben}/password-reset", headers=hr)
    assert issued.status_code == 200
    assert issued.json()["user_id"] == ben
    assert_not_cached(issued)
    reset_token = issued.json()["token"]
    # The reset token is not an activation token.
    problem(c.post("/auth/activate", json={"token": reset_token, "password": "a new long password"}), 400)
    problem(c.post("/auth/password-reset", json={"token": reset_token, "password": "short"}), 422)
    done = c.post("/auth/password-reset", json={"token": reset_token, "password": "ben's new long password"})
    assert done.status_code == 200
    assert done.json()["login"] == "ben"
    assert_not_cached(done)
    problem(c.post("/auth/password-reset", json={"token": reset_token, "password": "another long password"}), 400)

    # Every session that existed before the reset is signed out.
    revoked = problem(c.post("/auth/refresh", json={"refresh_token": session["refresh_token"]}), 401)
    assert revoked["type"].endswith("refresh-token-revoked")
    problem(gateway.login("ben", "ben's long password"), 401)
    assert gateway.login("ben", "ben's new long password").status_code == 200

    # The owner is told: the event names the login, its e-mail and who issued the reset (never the token).
    nats_url = gateway.service.env["BACKOFFICE_NATS_URL"]
    told = events_about(nats_url, "gateway.password_reset_issued", "GATEWAY", lambda e: e.data["user_id"] == ben)
    assert told[0].data["email"] == "ben@example.com"
    assert told[0].data["issued_by"] == hr_id
    assert reset_token.encode() not in told[0].to_json()


def test_token_answers_are_never_cached(gateway: Gateway) -> None:
    c = gateway.client
    gateway.make_user("cat", ["employee"], password="cat's long password")
    signed_in = gateway.login("cat", "cat's long password")
    assert_not_cached(signed_in)
    refreshed = c.post("/auth/refresh", json={"refresh_token": signed_in.json()["refresh_token"]})
    assert refreshed.status_code == 200
    assert_not_cached(refreshed)
    assert_not_cached(c.get("/auth/me", headers=gateway.auth(refreshed.json()["access_token"])))
    changed = c.post(
        "/auth/password",
        headers=gateway.auth(refreshed.json()["access_token"]),
        json={"current_password": "cat's long password", "new_password": "cat's other long password"},
    )
    assert changed.status_code == 204
    assert_not_cached(changed)


def test_a_password_change_signs_out_every_refresh_token_of_the_login(gateway: Gateway) -> None:
    c = gateway.client
    token = gateway.make_user("dan", ["employee"], password="dan's long password")
    sessions = [gateway.login("dan", "dan's long password").json() for _ in range(3)]
    rotated = c.post("/auth/refresh", json={"refresh_token": sessions[0]["refresh_token"]}).json()
    changed = c.post(
        "/auth/password",
        headers=gateway.auth(token),
        json={"current_password": "dan's long password", "new_password": "dan's second password"},
    )
    assert changed.status_code == 204
    for refresh in [rotated["refresh_token"], *(s["refresh_token"] for s in sessions[1:])]:
        problem(c.post("/auth/refresh", json={"refresh_token": refresh}), 401)


def test_auth_routes_have_the_documented_per_address_limit(start_gateway: GatewayStarter) -> None:
    defaults = [rule.model_dump() for rule in GatewaySettings().rate_limits]
    assert {"prefix": "/auth/", "per_user": None, "per_address": "120/minute"} in defaults  # as docs say
    gateway = start_gateway({"BACKOFFICE_GATEWAY_RATE_LIMITS": json.dumps(defaults)})  # (the tests raise it)
    # 120 requests a minute from one address to /auth/* (the admin's sign-in counted one).
    answers = [gateway.client.get("/auth/me").status_code for _ in range(125)]
    assert set(answers[:110]) == {401}, answers
    assert 429 in answers[115:], answers
    limited = gateway.client.get("/auth/me")
    assert limited.status_code == 429
    assert "/auth/" in limited.json()["detail"]
    assert int(limited.headers["Retry-After"]) >= 1


def test_guessing_the_current_password_is_throttled_like_sign_ins(start_gateway: GatewayStarter) -> None:
    gateway = start_gateway({"BACKOFFICE_GATEWAY_LOGIN_FAILURES_PER_ACCOUNT_ADDRESS": "3/minute"})
    token = gateway.make_user("eve", ["employee"], password="eve's long password")

    def change(current: str) -> httpx.Response:
        return gateway.client.post(
            "/auth/password",
            headers=gateway.auth(token),
            json={"current_password": current, "new_password": "eve's stolen password"},
        )

    for guess in ("guess 1", "guess 2", "guess 3"):
        problem(change(guess), 403)
    limited = problem(change("eve's long password"), 429)  # the right one too: guessing stops here
    assert "too many failed sign-ins" in limited["detail"]
    problem(gateway.login("eve", "eve's long password"), 429)  # the same counter as sign-ins


def test_failed_sign_ins_elsewhere_do_not_lock_the_owner_out(start_gateway: GatewayStarter) -> None:
    gateway = start_gateway(
        {
            "BACKOFFICE_TRUSTED_PROXIES": '["127.0.0.1"]',  # X-Forwarded-For says where each request comes from
            "BACKOFFICE_GATEWAY_LOGIN_FAILURES_PER_ACCOUNT_ADDRESS": "3/minute",
            "BACKOFFICE_GATEWAY_LOGIN_FAILURES_PER_ACCOUNT": "6/minute",
        }
    )
    gateway.make_user("fay", ["employee"], password="fay's long password")

    def sign_in(password: str, address: str) -> httpx.Response:
        return gateway.client.post(
            "/auth/login", json={"login": "fay", "password": password}, headers={"X-Forwarded-For": address}
        )

    assert sign_in("fay's long password", "192.0.2.10").status_code == 200  # where fay usually works
    for n in range(3):
        problem(sign_in(f"guess {n}", "203.0.113.1"), 401)
    pair = problem(sign_in("fay's long password", "203.0.113.1"), 429)  # the attacker's address stops
    assert "from this address" in pair["detail"]
    for n in range(3, 9):  # the attacker moves on to other addresses
        sign_in(f"guess {n}", f"203.0.113.{n}")
    everywhere = problem(sign_in("fay's long password", "198.51.100.7"), 429)  # new places wait
    assert "too many failed sign-ins for this login" in everywhere["detail"]
    # The owner, from where she signed in before, is not locked out by the attacker.
    assert sign_in("fay's long password", "192.0.2.10").status_code == 200
    assert sign_in("fay's long password", "192.0.2.10").status_code == 200


def _signed(gateway: Gateway, lifetime: timedelta, roles: list[str]) -> str:
    keyring = gateway_keyring(gateway)

    async def signing_key() -> tuple[str, object]:
        await keyring.load()
        kid, key = keyring.signing_key()
        await keyring.db.dispose()
        return kid, key

    kid, key = asyncio.run(signing_key())
    now = datetime.now(UTC)
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "forged",
        "typ": "access",
        "roles": roles,
        "jti": f"j-{time.monotonic_ns()}",
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
    }
    return jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": kid})  # type: ignore[arg-type]


def test_services_refuse_tokens_that_live_longer_than_the_gateway_gives(
    gateway: Gateway, start_service: ServiceStarter
) -> None:
    hr = start_service("hr")
    ten_years = _signed(gateway, timedelta(days=3650), ["admin"])
    usual = _signed(gateway, timedelta(seconds=300), ["admin"])
    for url in (f"{hr.url}/admin/dead-letters", f"{hr.url}/employees", f"{gateway.url}/auth/users"):
        body = problem(httpx.get(url, headers=gateway.auth(ten_years)), 401)
        assert "at most 300 s" in body["detail"], (url, body)
        assert httpx.get(url, headers=gateway.auth(usual)).status_code == 200, url


def test_a_request_with_two_authorization_headers_is_refused(gateway: Gateway, start_service: ServiceStarter) -> None:
    hr = start_service("hr")
    for url in (f"{hr.url}/employees", f"{hr.url}/admin/dead-letters", f"{gateway.url}/auth/me"):
        both = httpx.get(
            url, headers=[("Authorization", f"Bearer {gateway.admin_token}"), ("Authorization", "Basic x")]
        )
        body = problem(both, 400)
        # the same answer at the gateway's edge and at a service reached directly
        assert body["detail"] == "send one Authorization header; this request has 2", (url, body)
        assert body["type"].endswith("several-authorization-headers"), (url, body)
        assert httpx.get(url, headers=gateway.auth(gateway.admin_token)).status_code == 200, url


def test_an_empty_operator_token_opens_nothing(start_service: ServiceStarter) -> None:
    service: RunningService = start_service("hr", env={"BACKOFFICE_ADMIN_TOKEN": ""})
    for guess in ("dev-admin-token-change-me", "replace-with-a-long-random-token", "x"):
        problem(httpx.get(f"{service.url}/admin/dead-letters", headers={"Authorization": f"Bearer {guess}"}), 401)
