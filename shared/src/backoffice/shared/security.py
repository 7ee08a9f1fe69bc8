"""Access to the operations endpoints (``/admin/*``): an admin's access token, or the operator token.

The operator token (``BACKOFFICE_ADMIN_TOKEN``) lets the ``backoffice`` command and automation reach
a service without a user login. There is no default: unset, only an admin's access token opens these
routes (the launcher generates a random one on first start); production refuses to start without it.
"""

from __future__ import annotations

import hmac

from backoffice.shared.auth import TokenVerifier, authorization_header, unauthenticated
from backoffice.shared.errors import Problem
from fastapi import Request


async def require_admin_token(request: Request) -> None:
    """Require ``Authorization: Bearer <admin access token or BACKOFFICE_ADMIN_TOKEN>``."""
    header = authorization_header(request) or ""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise unauthenticated("send 'Authorization: Bearer <token>' with an admin's access token or the operator token")
    configured = request.app.state.settings.admin_token
    expected = configured.get_secret_value() if configured is not None else ""
    if expected and hmac.compare_digest(token.encode(), expected.encode()):
        return
    if token.count(".") != 2:
        raise unauthenticated("the access token is malformed (and it is not the operator token either)")
    verifier: TokenVerifier = request.app.state.token_verifier
    principal = await verifier.verify(token)
    if not principal.is_admin:
        raise Problem(403, "this needs the admin role", slug="forbidden")
