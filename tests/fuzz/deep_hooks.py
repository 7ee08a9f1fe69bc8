"""Schemathesis hooks of the deep run (``make fuzz``): every request is signed as the run's admin, whose access
token is renewed before it expires (a deep run lasts far longer than one token). The login and password come
from the environment the test sets: ``BACKOFFICE_FUZZ_GATEWAY``, ``BACKOFFICE_FUZZ_LOGIN``,
``BACKOFFICE_FUZZ_PASSWORD``."""

from __future__ import annotations

import os
from typing import Any

import httpx
import schemathesis


@schemathesis.auth(refresh_interval=120)  # access tokens last 5 minutes
class AdminToken:
    def get(self, case: Any, ctx: Any) -> str:
        pair = httpx.post(
            f"{os.environ['BACKOFFICE_FUZZ_GATEWAY']}/auth/login",
            json={"login": os.environ["BACKOFFICE_FUZZ_LOGIN"], "password": os.environ["BACKOFFICE_FUZZ_PASSWORD"]},
            timeout=60,
        )
        pair.raise_for_status()
        return str(pair.json()["access_token"])

    def set(self, case: Any, data: str, ctx: Any) -> None:
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"
