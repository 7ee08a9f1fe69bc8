"""Operator access to the admin endpoints (dead letters) with the shared admin token."""

from __future__ import annotations

import hmac

from backoffice.shared.errors import Problem
from fastapi import Request


async def require_admin_token(request: Request) -> None:
    """Require ``Authorization: Bearer <BACKOFFICE_ADMIN_TOKEN>``."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    expected = request.app.state.settings.admin_token.get_secret_value()
    if scheme.lower() != "bearer" or not token:
        raise Problem(
            401,
            "send the admin token as 'Authorization: Bearer <token>'",
            slug="unauthenticated",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not hmac.compare_digest(token.encode(), expected.encode()):
        raise Problem(403, "the admin token is not valid", slug="forbidden")
