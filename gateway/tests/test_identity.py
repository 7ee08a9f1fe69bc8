"""Sign-in, tokens and their life-cycle, against a real gateway process and a real database."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
from backoffice.shared.auth import AUDIENCE, ISSUER
from backoffice.suite.processes import free_port
from backoffice.testing import ADMIN_PASSWORD, ServiceStarter
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from gatewaykit import Gateway, GatewayStarter, gateway_keyring, problem


def test_login_me_refresh_rotation_reuse_detection_and_logout(gateway: Gateway) -> None:
    c = gateway.client
    gateway.make_user("alice", ["employee"], password="alice's long password", employee_id="emp-alice")
    first = gateway.login("alice", "alice's long password").json()
    assert first["token_type"] == "bearer"
    assert first["expires_in"] == 300
    claims = jwt.decode(first["access_token"], options={"verify_signature": False})
    assert claims["roles"] == ["employee"]
    assert claims["employee_id"] == "emp-alice"
    assert {"sub", "exp", "jti", "iat"} <= set(claims)
    assert jwt.get_unverified_header(first["access_token"])["alg"] == "EdDSA"

    me = c.get("/auth/me", headers=gateway.auth(first["access_token"]))
    assert me.status_code == 200
    assert me.json()["login"] == "alice"
    assert me.json()["activated"] is True

    second = c.post("/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    assert second.json()["refresh_token"] != first["refresh_token"]
    # The old refresh token again: someone copied it. The whole family is signed out.
    reused = problem(c.post("/auth/refresh", json={"refresh_token": first["refresh_token"]}), 401)
    assert reused["type"].endswith("refresh-token-reused")
    revoked = problem(c.post("/auth/refresh", json={"refresh_token": second.json()["refresh_token"]}), 401)
    assert revoked["type"].endswith("refresh-token-revoked")

    third = gateway.login("alice", "alice's long password").json()
    assert c.post("/auth/logout", json={"refresh_token": third["refresh_token"]}).status_code == 204
    problem(c.post("/auth/refresh", json={"refresh_token": third["refresh_token"]}), 401)
    problem(c.post("/auth/refresh", json={"refresh_token": "made-up.token-value"}), 401)


def test_wrong_password_and_brute_force_get_429_with_retry_after(start_gateway: GatewayStarter) -> None:
    gateway: Gateway = start_gateway({"BACKOFFICE_GATEWAY_LOGIN_FAILURES_PER_ACCOUNT_ADDRESS": "3/minute"})
    gateway.make_user("bob", ["employee"], password="bob's long password")
    wrong = problem(gateway.login("bob", "guess"), 401)
    assert wrong["detail"] == "the login or the password is wrong"
    problem(gateway.login("nobody", "guess"), 401)  # an unknown login reads the same
    gateway.login("bob", "guess 2")
    gateway.login("bob", "guess 3")
    limited = gateway.login("bob", "bob's long password")  # even the right password waits now
    body = problem(limited, 429)
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert "too many failed sign-ins for this login from this address" in body["detail"]
    assert gateway.login("carol-unrelated", "x").status_code == 401  # other accounts are not blocked


def test_password_change_signs_out_other_sessions(gateway: Gateway) -> None:
    c = gateway.client
    token = gateway.make_user("dave", ["employee"], password="dave's first password")
    other = gateway.login("dave", "dave's first password").json()
    weak = problem(
        c.post(
            "/auth/password",
            headers=gateway.auth(token),
            json={"current_password": "dave's first password", "new_password": "short"},
        ),
        422,
    )
    assert "at least 10 characters" in weak["detail"]
    problem(
        c.post(
            "/auth/password",
            headers=gateway.auth(token),
            json={"current_password": "wrong", "new_password": "dave's second password"},
        ),
        403,
    )
    ok = c.post(
        "/auth/password",
        headers=gateway.auth(token),
        json={"current_password": "dave's first password", "new_password": "dave's second password"},
    )
    assert ok.status_code == 204
    problem(c.post("/auth/refresh", json={"refresh_token": other["refresh_token"]}), 401)
    assert gateway.login("dave", "dave's second password").status_code == 200
    problem(gateway.login("dave", "dave's first password"), 401)


def _forge(claims: dict[str, Any], key: object, kid: str, alg: str = "EdDSA") -> str:
    return jwt.encode(claims, key, algorithm=alg, headers={"kid": kid})  # type: ignore[arg-type]


def test_bad_tokens_get_401_problems_never_500(gateway: Gateway, start_service: ServiceStarter) -> None:
    hr = start_service("hr")
    c = gateway.client
    keyring = gateway_keyring(gateway)

    async def signing_key() -> tuple[str, object]:
        await keyring.load()
        kid, key = keyring.signing_key()
        await keyring.db.dispose()
        return kid, key

    kid, key = asyncio.run(signing_key())
    now = datetime.now(UTC)
    base = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "someone",
        "typ": "access",
        "roles": ["admin"],
        "jti": "j",
        "iat": int(now.timestamp()),
    }
    expired = _forge({**base, "exp": int((now - timedelta(minutes=10)).timestamp())}, key, kid)
    foreign = _forge({**base, "exp": int((now + timedelta(minutes=5)).timestamp())}, Ed25519PrivateKey.generate(), kid)
    other_kid = _forge(
        {**base, "exp": int((now + timedelta(minutes=5)).timestamp())}, Ed25519PrivateKey.generate(), "unknown-kid"
    )
    header = base64.urlsafe_b64encode(json.dumps({"alg": "none", "kid": kid}).encode()).rstrip(b"=").decode()
    payload = base64.urlsafe_b64encode(json.dumps({**base, "exp": int(time.time()) + 300}).encode()).rstrip(b"=")
    unsigned = f"{header}.{payload.decode()}."
    # hr caches the gateway's keys and asks again for an unknown one at most every few seconds: after an earlier
    # test's rotation, wait until it knows the current key, so that each case below meets only its own fault.
    valid = _forge({**base, "exp": int((now + timedelta(minutes=5)).timestamp())}, key, kid)
    deadline = time.monotonic() + 60
    while httpx.get(f"{hr.url}/admin/dead-letters", headers={"Authorization": f"Bearer {valid}"}).status_code == 401:
        assert time.monotonic() < deadline, "hr never learnt the gateway's current signing key"
        time.sleep(0.5)
    cases = {
        "has expired": expired,
        "signature is not valid": foreign,
        "unknown key": other_kid,
        "'none' are not accepted": unsigned,
        "malformed": "not-a-jwt",
    }
    for expected, token in cases.items():
        for where, client_url in (
            ("gateway", f"{gateway.url}/auth/me"),
            ("hr", f"{hr.url}/admin/dead-letters"),
            ("proxy", f"{gateway.url}/api/docs/echo"),
        ):
            body = problem(httpx.get(client_url, headers={"Authorization": f"Bearer {token}"}), 401)
            assert expected in body["detail"], (where, body)
    anonymous = problem(c.get("/auth/me"), 401)
    assert "Authorization: Bearer" in anonymous["detail"]


def test_key_rotation_keeps_old_tokens_valid_and_services_learn_the_new_key(
    gateway: Gateway,
    start_service: ServiceStarter,
) -> None:
    hr = start_service("hr")
    c = gateway.client
    old_token = gateway.admin_token
    old_kid = jwt.get_unverified_header(old_token)["kid"]
    assert httpx.get(f"{hr.url}/admin/dead-letters", headers=gateway.auth(old_token)).status_code == 200

    rotated = c.post("/auth/keys/rotate", headers=gateway.auth(old_token))
    assert rotated.status_code == 200
    new_kid = rotated.json()["kid"]
    assert new_kid != old_kid
    kids = {k["kid"] for k in c.get("/.well-known/jwks.json").json()["keys"]}
    assert kids == {old_kid, new_kid}

    new_token = gateway.login("root", ADMIN_PASSWORD).json()["access_token"]
    assert jwt.get_unverified_header(new_token)["kid"] == new_kid
    for token in (old_token, new_token):
        assert c.get("/auth/me", headers=gateway.auth(token)).status_code == 200
        assert httpx.get(f"{hr.url}/admin/dead-letters", headers=gateway.auth(token)).status_code == 200
    employee = gateway.make_user("erin", ["employee"])
    assert c.post("/auth/keys/rotate", headers=gateway.auth(employee)).status_code == 403


def test_services_answer_401_without_token_and_403_with_the_wrong_role(
    start_gateway: GatewayStarter,
    start_service: ServiceStarter,
) -> None:
    gateway_port = free_port()
    hr = start_service("hr", env={"BACKOFFICE_JWKS_URL": f"http://127.0.0.1:{gateway_port}/.well-known/jwks.json"})
    gateway = start_gateway({"BACKOFFICE_GATEWAY_HR_URL": hr.url}, port=gateway_port)
    employee = gateway.make_user("frank", ["employee"])
    operator = hr.env["BACKOFFICE_ADMIN_TOKEN"]
    # Directly at the service, and through the gateway: the service applies the same rules.
    direct, proxied = f"{hr.url}/admin/dead-letters", f"{gateway.url}/api/hr/admin/dead-letters"
    for url in (direct, proxied):
        problem(httpx.get(url), 401)
        assert problem(httpx.get(url, headers=gateway.auth(employee)), 403)["detail"] == "this needs the admin role"
        assert httpx.get(url, headers=gateway.auth(gateway.admin_token)).status_code == 200
    # The operator token opens the service's admin routes from inside the network, never through the gateway.
    assert httpx.get(direct, headers=gateway.auth(operator)).status_code == 200
    problem(httpx.get(proxied, headers=gateway.auth(operator)), 401)
    problem(gateway.client.get("/auth/users", headers=gateway.auth(employee)), 403)
    assert gateway.client.get("/auth/users", headers=gateway.auth(gateway.admin_token)).json()["total"] == 2


def test_bad_requests_get_clear_problems(gateway: Gateway) -> None:
    c = gateway.client
    malformed = problem(
        c.post("/auth/login", content=b'{"login": "x", ', headers={"content-type": "application/json"}), 400
    )
    assert "not valid JSON" in malformed["detail"]
    wrong_type = problem(
        c.post(
            "/auth/login", content=b"login=x&password=y", headers={"content-type": "application/x-www-form-urlencoded"}
        ),
        415,
    )
    assert "application/json" in wrong_type["detail"]
    missing = problem(c.post("/auth/login", json={"login": "x"}), 422)
    assert missing["errors"][0]["field"] == "body.password"
    huge = problem(c.get("/auth/me", headers={"X-Padding": "x" * 20000}), 431)
    assert "16384" in huge["detail"]
