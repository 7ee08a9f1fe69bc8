"""The fuzzing and access suite: the whole stack started once, an admin of its own, and signed-in people whose
access tokens are refreshed before they expire (a run lasts longer than one token)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from backoffice.testing import Stack, create_admin
from fuzzkit import PASSWORD, RUN, Person, sign_in


@pytest.fixture(scope="session")
def stack_env() -> dict[str, str]:
    # Everything comes from 127.0.0.1: the per-address limit of /auth/ is raised so that signing in a person per
    # role is not throttled (the limits themselves are the gateway's tests' business).
    return {
        "BACKOFFICE_GATEWAY_RATE_LIMITS": json.dumps(
            [
                {"prefix": "/api/", "per_user": "60000/minute", "per_address": "120000/minute"},
                {"prefix": "/auth/", "per_address": "1200/minute"},
            ]
        )
    }


@pytest.fixture(scope="session")
def gateway(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.gateway_url, timeout=60) as client:
        yield client


@pytest.fixture(scope="session")
def admin(stack: Stack, gateway: httpx.Client) -> Person:
    if stack.mode != "local":
        pytest.skip("the first admin is made with the gateway's create-admin command, on the local suite only")
    login = f"fuzz-admin-{RUN}"
    create_admin(stack.services["gateway"], login, PASSWORD)
    return sign_in(gateway, login)
