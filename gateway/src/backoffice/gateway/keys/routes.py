"""The public keys (JWKS) and key rotation."""

from __future__ import annotations

from typing import Annotated, Any

from backoffice.gateway.limits import limit_auth_requests
from backoffice.shared.auth import Principal, require_roles
from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel

router = APIRouter(tags=["auth"])


class RotationResult(BaseModel):
    kid: str
    previous_keys_verify_for_s: int


@router.get("/.well-known/jwks.json", summary="Public keys that verify access tokens")
async def jwks(request: Request, response: Response) -> dict[str, Any]:
    response.headers["Cache-Control"] = "public, max-age=60"
    return request.app.state.keyring.jwks()  # type: ignore[no-any-return]


@router.post(
    "/auth/keys/rotate",
    response_model=RotationResult,
    summary="Start signing with a new key (admin)",
    dependencies=[Depends(limit_auth_requests)],
)
async def rotate(request: Request, _admin: Annotated[Principal, Depends(require_roles("admin"))]) -> RotationResult:
    keyring = request.app.state.keyring
    kid = await keyring.rotate()
    return RotationResult(kid=kid, previous_keys_verify_for_s=int(keyring.verify_window.total_seconds()))
