"""An admin manages logins: reads one, changes its roles, disables and enables it; the refusals name the field."""

from __future__ import annotations

import time

import jwt
from backoffice.testing import ADMIN_PASSWORD
from gatewaykit import Gateway, problem

PASSWORD = "a long enough password"


def user_id(gateway: Gateway, login: str) -> str:
    page = gateway.client.get("/auth/users", params={"q": login}, headers=gateway.auth(gateway.admin_token)).json()
    return str(next(u["id"] for u in page["items"] if u["login"] == login))


def test_an_admin_changes_roles_disables_and_enables_a_login_and_its_sessions_end(gateway: Gateway) -> None:
    c = gateway.client
    admin = gateway.auth(gateway.admin_token)
    gateway.make_user("carol", ["employee"], password=PASSWORD)
    carol = user_id(gateway, "carol")
    read = c.get(f"/auth/users/{carol}", headers=admin)
    assert read.status_code == 200, read.text
    assert read.json()["roles"] == ["employee"]
    assert read.json()["active"] is True
    assert read.headers["cache-control"] == "no-store"
    problem(c.get("/auth/users/no-such-login", headers=admin), 404)

    session = gateway.login("carol", PASSWORD).json()
    changed = c.patch(f"/auth/users/{carol}", headers=admin, json={"roles": ["employee", "office"]})
    assert changed.status_code == 200, changed.text
    assert changed.json()["roles"] == ["employee", "office"]
    # Her old session ends: a new sign-in carries the new roles.
    assert problem(c.post("/auth/refresh", json={"refresh_token": session["refresh_token"]}), 401)
    fresh = gateway.login("carol", PASSWORD).json()
    assert jwt.decode(fresh["access_token"], options={"verify_signature": False})["roles"] == ["employee", "office"]

    disabled = c.patch(f"/auth/users/{carol}", headers=admin, json={"active": False})
    assert disabled.status_code == 200, disabled.text
    assert disabled.json()["active"] is False
    assert disabled.json()["disabled_reason"].startswith("disabled by")
    # At once: her access token is refused, her refresh token too, and she cannot sign in.
    refused = c.get("/api/docs/echo", headers=gateway.auth(fresh["access_token"]))
    assert refused.status_code == 401, refused.text
    assert refused.json()["type"].endswith("login-disabled")
    problem(c.post("/auth/refresh", json={"refresh_token": fresh["refresh_token"]}), 401)
    problem(gateway.login("carol", PASSWORD), 403)
    listed = c.get("/auth/users", params={"active": "false"}, headers=admin).json()["items"]
    assert [u["login"] for u in listed] == ["carol"]

    enabled = c.patch(f"/auth/users/{carol}", headers=admin, json={"active": True})
    assert enabled.status_code == 200
    assert enabled.json()["active"] is True
    assert enabled.json()["disabled_reason"] is None
    deadline = time.monotonic() + 10
    while gateway.login("carol", PASSWORD).status_code != 200:
        assert time.monotonic() < deadline, "the enabled login could not sign in"
        time.sleep(0.2)


def test_the_last_admin_and_oneself_cannot_be_removed_and_only_admins_change_logins(gateway: Gateway) -> None:
    c = gateway.client
    admin = gateway.auth(gateway.admin_token)
    root = user_id(gateway, "root")
    hr = gateway.auth(gateway.make_user("hr-officer", ["hr"]))
    gateway.make_user("dave", ["employee"], password=PASSWORD)
    dave = user_id(gateway, "dave")

    own_role = problem(c.patch(f"/auth/users/{root}", headers=admin, json={"roles": ["employee"]}), 409)
    assert own_role["errors"] == [{"field": "body.roles", "message": "you may not remove your own admin role"}]
    own_login = problem(c.patch(f"/auth/users/{root}", headers=admin, json={"active": False}), 409)
    assert own_login["errors"][0]["field"] == "body.active"

    # HR reads a login but changes none (roles come from an admin).
    assert c.get(f"/auth/users/{dave}", headers=hr).status_code == 200
    problem(c.patch(f"/auth/users/{dave}", headers=hr, json={"roles": ["employee", "manager"]}), 403)
    invalid = problem(c.patch(f"/auth/users/{dave}", headers=admin, json={"roles": []}), 422)
    assert invalid["errors"][0]["field"] == "body.roles"
    problem(c.patch(f"/auth/users/{dave}", headers=admin, json={"roles": ["service"]}), 422)

    # Dave becomes an admin; root steps down (the suite keeps one admin); dave cannot then be demoted by root.
    assert c.patch(f"/auth/users/{dave}", headers=admin, json={"roles": ["admin"]}).status_code == 200
    dave_token = gateway.auth(gateway.login("dave", PASSWORD).json()["access_token"])
    stepped_down = c.patch(f"/auth/users/{root}", headers=dave_token, json={"roles": ["employee"]})
    assert stepped_down.status_code == 200, stepped_down.text
    last = problem(c.patch(f"/auth/users/{dave}", headers=dave_token, json={"active": False}), 409)
    assert last["errors"][0]["field"] == "body.active"
    root_back = c.patch(f"/auth/users/{root}", headers=dave_token, json={"roles": ["admin"]})
    assert root_back.status_code == 200
    root_token = gateway.auth(gateway.login("root", ADMIN_PASSWORD).json()["access_token"])
    # Now two admins: root may disable dave; the last one left may not be demoted by anyone.
    assert c.patch(f"/auth/users/{dave}", headers=root_token, json={"active": False}).status_code == 200
    problem(c.patch(f"/auth/users/{root}", headers=root_token, json={"active": False}), 409)
