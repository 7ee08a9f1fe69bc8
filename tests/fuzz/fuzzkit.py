"""Helpers of the fuzzing and access suite: people signed in at the gateway with tokens refreshed as they age."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

PASSWORD = "a long enough password"
RUN = uuid.uuid4().hex[:6]
REFRESH_AFTER_S = 120.0  # access tokens last 5 minutes


@dataclass
class Person:
    """Someone signed in at the gateway; ``headers()`` gives a fresh enough access token."""

    gateway: httpx.Client
    login: str
    access_token: str
    refresh_token: str
    signed_in_at: float
    user_id: str = ""
    employee_id: str | None = None

    def headers(self) -> dict[str, str]:
        if time.monotonic() - self.signed_in_at > REFRESH_AFTER_S:
            pair = self.gateway.post("/auth/refresh", json={"refresh_token": self.refresh_token})
            assert pair.status_code == 200, pair.text
            self.access_token, self.refresh_token = pair.json()["access_token"], pair.json()["refresh_token"]
            self.signed_in_at = time.monotonic()
        return {"Authorization": f"Bearer {self.access_token}"}

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        for _ in range(5):
            response = self.gateway.request(method, path, headers=self.headers(), **kwargs)
            if response.status_code != 429:
                return response
            time.sleep(float(response.headers.get("retry-after", "1")))
        return response


def sign_in(gateway: httpx.Client, login: str, password: str = PASSWORD) -> Person:
    pair = gateway.post("/auth/login", json={"login": login, "password": password})
    assert pair.status_code == 200, pair.text
    person = Person(gateway, login, pair.json()["access_token"], pair.json()["refresh_token"], time.monotonic())
    me = person.request("GET", "/auth/me").json()
    person.user_id, person.employee_id = me["id"], me["employee_id"]
    return person


# What is not fuzzed, and why:
# - /auth/login, /auth/refresh, /auth/activate, /auth/password, /auth/logout: the sign-in endpoints. Failed
#   attempts count towards the per-address and per-login lockouts (30 per 15 minutes), which would lock this
#   suite's own sign-ins out; the gateway's tests cover them, including their errors.
# - /auth/keys/rotate: has no input; each call adds a signing key to every service's cache. Its test is the
#   gateway's.
# - /auth/session, /auth/session/refresh, /auth/session/logout: the console's sign-in, the same lockouts; its
#   cookie and CSRF rules are tested in gateway/tests/test_console.py.
EXCLUDED_PATHS = [
    "/auth/login",
    "/auth/session",
    "/auth/session/refresh",
    "/auth/session/logout",
    "/auth/refresh",
    "/auth/activate",
    "/auth/password",
    "/auth/logout",
    "/auth/keys/rotate",
]
